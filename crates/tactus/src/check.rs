//! `tactus check FILE`: diagnostics only.

use std::process::ExitCode;

use anyhow::{Context as _, Result};
use clap::Args;
use tactus_lang::program::eval_file;

/// Arguments of `tactus check`.
#[derive(Args)]
pub struct CheckArgs {
    /// The .tidal file to check.
    file: std::path::PathBuf,
}

/// Runs `tactus check`: prints every diagnostic; exit 0 when clean, 1 otherwise.
pub fn run(a: CheckArgs) -> Result<ExitCode> {
    let src = std::fs::read_to_string(&a.file)
        .with_context(|| format!("cannot read {}", a.file.display()))?;
    let name = a.file.display().to_string();
    let (prog, diags) = eval_file(&src);
    let mut errors = 0;
    for d in &diags {
        if d.is_error() {
            errors += 1;
        }
        eprint!("{}", d.render(&name, &src));
    }
    if errors == 0 {
        println!(
            "{name}: ok ({} channel(s){})",
            prog.channels.len(),
            prog.cps.map(|c| format!(", cps {c}")).unwrap_or_default()
        );
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!("{name}: {errors} error(s)");
        Ok(ExitCode::from(1))
    }
}
