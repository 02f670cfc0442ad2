//! `tactus graph FILE [--json]`: the compiled patch of every drone in a file.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;
use tactus_dsp::graph::{module_info, validate, Input};
use tactus_lang::program::{eval_file, Program};
use tactus_lang::synthesis::program_from_json;

/// Arguments of `tactus graph`.
#[derive(Args)]
pub struct GraphArgs {
    /// The .tidal file (or a .json patch).
    file: PathBuf,
    /// Print the patch IR as JSON: `{"drones": {"name": patch, ...}, "buses": {...}}`.
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
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(ExitCode::SUCCESS);
    }
    if program.drones.is_empty() && program.buses.is_empty() {
        println!("no drones in {}", a.file.display());
    }
    let buses = program.buses.iter().map(|(n, sp)| ("bus", n, sp));
    for (what, name, sp) in buses.chain(program.drones.iter().map(|(n, sp)| ("drone", n, sp))) {
        let channels = if sp.patch.outputs.len() == 2 {
            "stereo"
        } else {
            "mono"
        };
        println!(
            "{what} \"{name}\": {} modules, {channels}",
            sp.patch.modules.len()
        );
        let order = validate(&sp.patch).map(|p| p.order).unwrap_or_default();
        for i in order {
            let m = &sp.patch.modules[i];
            let doc = module_info(&m.kind).map(|i| i.doc).unwrap_or("");
            println!("  {:<12} {:<10} {doc}", m.id, m.kind);
            for (field, v) in &m.params {
                println!("      {field:<10} {}", show(v));
            }
        }
        let outs: Vec<String> = sp.patch.outputs.iter().map(show).collect();
        println!("  outputs: {}", outs.join(", "));
    }
    Ok(ExitCode::SUCCESS)
}

fn show(v: &Input) -> String {
    match v {
        Input::Const(x) => format!("{x}"),
        Input::Cable { module, port } => format!("<- {module}.{port}"),
        Input::Pattern(t) => format!("pattern {t}"),
        Input::Cycle(p) => format!("cycle clock mod {p}"),
        Input::Bus(b) => format!("bus \"{b}\""),
        Input::Invalid(j) => format!("invalid {j}"),
    }
}
