//! `tactus-dsp-bench`: prints tactus-dsp against FunDSP (ns per frame and ratio) for every
//! case, then the stress render.
//!
//! ```text
//! tactus-dsp-bench [dsp|stress|all] [--rounds N] [--blocks N] [--cycles N]
//! ```

use std::process::ExitCode;

use tactus_dsp_bench::stress::{self, StressOptions};
use tactus_dsp_bench::{cases, measure, BLOCK};

/// The allocator the `tactus` binary uses, so the stress render measures the same control
/// side here as in `tactus bench stress` (the DSP cases do not allocate).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn arg_value(args: &[String], name: &str) -> Option<usize> {
    let i = args.iter().position(|a| a == name)?;
    args.get(i + 1)?.parse().ok()
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let what = args
        .first()
        .filter(|a| !a.starts_with("--"))
        .map_or("all", String::as_str);
    let rounds = arg_value(&args, "--rounds").unwrap_or(21);
    let blocks = arg_value(&args, "--blocks").unwrap_or(2_000);
    if what == "dsp" || what == "all" {
        println!(
            "tactus-dsp vs FunDSP, {BLOCK}-frame blocks, {blocks} blocks x {rounds} rounds, median"
        );
        println!(
            "{:<12} {:>12} {:>12} {:>8}  what",
            "case", "tactus ns/f", "fundsp ns/f", "ratio"
        );
        let only = args
            .iter()
            .position(|a| a == "--case")
            .and_then(|i| args.get(i + 1));
        for mut case in cases::all()
            .into_iter()
            .filter(|c| only.is_none_or(|n| n == c.name))
        {
            let t = measure(&mut case, blocks, rounds);
            println!(
                "{:<12} {:>12.2} {:>12.2} {:>8.2}  {}",
                case.name,
                t.tactus_ns,
                t.fundsp_ns,
                t.ratio(),
                case.what
            );
        }
        println!("(ratio = tactus / fundsp; below 1 means tactus is faster)");
    }
    if what == "stress" || what == "all" {
        let opts = StressOptions {
            cycles: arg_value(&args, "--cycles").map_or(8, |c| c as u32),
            ..StressOptions::default()
        };
        match stress::run(&opts, tactus_dsp_bench::thread_seconds) {
            Ok(report) => print!("{report}"),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::FAILURE;
            }
        }
    }
    if !matches!(what, "dsp" | "stress" | "all") {
        eprintln!(
            "usage: tactus-dsp-bench [dsp|stress|all] [--case NAME] [--rounds N] [--blocks N] [--cycles N]"
        );
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
