//! `tactus graph FILE [--json]`: the compiled patch of every drone, bus, instrument and
//! effect chain in a file.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;
use tactus_dsp::graph::{module_info, validate, Input, Patch};
use tactus_lang::program::{eval_file, Program};
use tactus_lang::synthesis::program_from_json;

/// Arguments of `tactus graph`.
#[derive(Args)]
pub struct GraphArgs {
    /// The .tidal file (or a .json patch).
    file: PathBuf,
    /// Print the patch IR as JSON: `{"drones": {"name": patch, ...}}`, with
    /// `"buses": {...}`, `"instruments": {...}` and `"fx": {"1": patch}` when the file
    /// defines them.
    #[arg(long)]
    json: bool,
}

/// Loads a `.tidal` file or a `.json` patch; prints diagnostics, `None` on errors.
pub fn load(file: &std::path::Path) -> Result<Option<Program>> {
    let src =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    let name = file.display().to_string();
    if file.extension().is_some_and(|e| e == "json") {
        return match program_from_json(&src) {
            Ok(p) => Ok(Some(p)),
            Err(e) => {
                eprintln!("{name}: {e}");
                Ok(None)
            }
        };
    }
    let (program, diags) = eval_file(&src);
    let mut errors = 0;
    for d in &diags {
        eprint!("{}", d.render(&name, &src));
        errors += d.is_error() as usize;
    }
    if errors > 0 {
        eprintln!("{name}: {errors} error(s)");
        return Ok(None);
    }
    Ok(Some(program))
}

/// Runs `tactus graph`.
pub fn run(a: GraphArgs) -> Result<ExitCode> {
    let Some(program) = load(&a.file)? else {
        return Ok(ExitCode::from(1));
    };
    if a.json {
        let map = |m: &std::collections::BTreeMap<
            std::sync::Arc<str>,
            tactus_lang::synthesis::SynthPatch,
        >| {
            m.iter()
                .map(|(k, sp)| {
                    (
                        k.to_string(),
                        serde_json::to_value(&sp.patch).unwrap_or_default(),
                    )
                })
                .collect::<serde_json::Map<String, serde_json::Value>>()
        };
        let mut out = serde_json::json!({ "drones": map(&program.drones) });
        if !program.buses.is_empty() {
            out["buses"] = serde_json::Value::Object(map(&program.buses));
        }
        if !program.fx.is_empty() {
            out["fx"] = serde_json::Value::Object(map(&program.fx));
        }
        if !program.instruments.is_empty() {
            let instruments: serde_json::Map<String, serde_json::Value> = program
                .instruments
                .iter()
                .map(|(k, d)| {
                    (
                        k.to_string(),
                        serde_json::to_value(&d.patch).unwrap_or_default(),
                    )
                })
                .collect();
            out["instruments"] = instruments.into();
        }
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(ExitCode::SUCCESS);
    }
    if program.drones.is_empty()
        && program.instruments.is_empty()
        && program.buses.is_empty()
        && program.fx.is_empty()
    {
        println!(
            "no drones, instruments or effect chains in {}",
            a.file.display()
        );
    }
    for (name, sp) in &program.buses {
        print_patch("bus", name, &sp.patch);
    }
    for (name, sp) in &program.drones {
        print_patch("drone", name, &sp.patch);
    }
    for (name, def) in &program.instruments {
        print_patch("instrument", name, &def.patch);
    }
    for (channel, sp) in &program.fx {
        print_patch("fx", channel, &sp.patch);
    }
    Ok(ExitCode::SUCCESS)
}

/// Prints a patch's modules in processing order.
fn print_patch(what: &str, name: &str, patch: &Patch) {
    let channels = if patch.outputs.len() == 2 {
        "stereo"
    } else {
        "mono"
    };
    println!(
        "{what} \"{name}\": {} modules, {channels}",
        patch.modules.len()
    );
    let order = validate(patch).map(|p| p.order).unwrap_or_default();
    for i in order {
        let m = &patch.modules[i];
        let doc = module_info(&m.kind).map(|i| i.doc).unwrap_or("");
        println!("  {:<12} {:<10} {doc}", m.id, m.kind);
        for (field, v) in &m.params {
            println!("      {field:<10} {}", show(v));
        }
    }
    let outs: Vec<String> = patch.outputs.iter().map(show).collect();
    println!("  outputs: {}", outs.join(", "));
}

fn show(v: &Input) -> String {
    match v {
        Input::Const(x) => format!("{x}"),
        Input::Cable { module, port } => format!("<- {module}.{port}"),
        Input::Pattern(t) => format!("pattern {t}"),
        Input::Cycle(p) => format!("cycle clock mod {p}"),
        Input::Bus(b) if b == tactus_lang::synthesis::FX_INPUT[0] => "input (left)".into(),
        Input::Bus(b) if b == tactus_lang::synthesis::FX_INPUT[1] => "input (right)".into(),
        Input::Bus(b) => format!("bus \"{b}\""),
        Input::Control { name, default } => format!("voice control {name} (default {default})"),
        Input::Invalid(j) => format!("invalid {j}"),
    }
}
