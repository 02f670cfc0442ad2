//! `docs/reference.md` is the output of `tactus reference` (so it lists every function,
//! instrument and module type the code has), and every instrument and module example in it
//! plays. (Function examples run in tactus-lang's registry tests.)

use std::path::Path;
use std::process::Command;

use tactus_engine::render::{render_to_vec, RenderOptions};
use tactus_engine::sounds::Sounds;
use tactus_lang::program::{eval_file, Program};

const SR: u32 = 44_100;

fn reference() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/reference.md");
    std::fs::read_to_string(path).expect("docs/reference.md")
}

/// The part of the reference under the `## {title}` heading.
fn section<'a>(doc: &'a str, title: &str) -> &'a str {
    let start = doc
        .find(&format!("\n## {title}\n"))
        .unwrap_or_else(|| panic!("no section {title}"));
    let rest = &doc[start + 1..];
    let end = rest[3..].find("\n## ").map_or(rest.len(), |e| e + 3);
    &rest[..end]
}

fn render(p: Program, seconds: f64) -> Vec<f32> {
    let opts = RenderOptions {
        sample_rate: SR,
        ..RenderOptions::default()
    };
    let (audio, _) = render_to_vec(
        p,
        Sounds::new(SR as f32, 8, 1 << 20),
        opts,
        (seconds * SR as f64) as u64,
    );
    audio
}

fn peak(x: &[f32]) -> f32 {
    x.iter().map(|v| v.abs()).fold(0.0, f32::max)
}

#[test]
fn the_checked_in_reference_is_current() {
    let out = Command::new(env!("CARGO_BIN_EXE_tactus"))
        .arg("reference")
        .output()
        .expect("run tactus reference");
    assert!(out.status.success());
    let generated = String::from_utf8(out.stdout).unwrap();
    assert!(
        generated == reference(),
        "docs/reference.md is out of date: run `cargo run -p tactus -- reference > docs/reference.md`"
    );
    for name in [
        "fast",
        "every",
        "jux",
        "osc",
        "instrument",
        "ladder",
        "cutoff",
    ] {
        assert!(
            generated.contains(&format!("| `{name}` |")),
            "`{name}` is missing from the function tables"
        );
    }
}

#[test]
fn every_built_in_instrument_example_plays() {
    let doc = reference();
    let rows: Vec<&str> = section(&doc, "Built-in instruments")
        .lines()
        .filter(|l| l.starts_with("| `"))
        .collect();
    assert!(rows.len() >= 30, "only {} instruments listed", rows.len());
    for row in rows {
        let cells: Vec<&str> = row.split(" | ").collect();
        let name = cells[0].trim_start_matches("| ").trim_matches('`');
        let example = cells[3].trim_end_matches(" |").trim_matches('`');
        let (p, diags) = eval_file(example);
        assert!(diags.is_empty(), "{name}: {example}: {diags:?}");
        let audio = render(p, 1.0);
        assert!(audio.iter().all(|v| v.is_finite()), "{name}: not finite");
        assert!(peak(&audio) > 0.01, "{name}: `{example}` is silent");
    }
}

#[test]
fn every_module_example_is_a_valid_patch_that_renders() {
    let doc = reference();
    let modules = section(&doc, "Module types");
    let mut count = 0;
    let mut sounding = 0;
    for block in modules.split("```json\n").skip(1) {
        let json = &block[..block.find("```").unwrap()];
        let program = tactus_lang::synthesis::program_from_json(json)
            .unwrap_or_else(|e| panic!("invalid example patch: {e}\n{json}"));
        let audio = render(program, 0.25);
        assert!(audio.iter().all(|v| v.is_finite()), "not finite:\n{json}");
        count += 1;
        if peak(&audio) > 1e-4 {
            sounding += 1;
        }
    }
    let types = modules.matches("\n### `").count();
    assert_eq!(count, types, "every module type has one example");
    // Envelopes without a gate, a sample-and-hold without a trigger and the like are
    // silent on their own; the sources and processors must sound.
    assert!(
        sounding * 3 >= count * 2,
        "only {sounding} of {count} module examples make sound"
    );
}
