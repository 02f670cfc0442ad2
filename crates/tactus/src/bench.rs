//! `tactus bench query`: times pattern queries the same way `scripts/bench-vs-tidal.sh`
//! times them in TidalCycles, so the two can be compared on one machine.
//! `tactus bench callback`: audio callback load per example ([`crate::bench_callback`]).
//! `tactus bench graph`: synthesis graph block and update costs ([`crate::bench_graph`]).
//! `tactus bench osc-jitter`: OSC send-time jitter and time-tag error ([`crate::bench_osc`]).
//! `tactus bench midi`: send-time error of the MIDI timed queue ([`crate::bench_midi`]).
//! `tactus bench stress`: the Phonon-`stress_extreme`-style render of
//! `benches/dsp-bench` (the same source file, compiled in here).

use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context as _, Result};
use clap::{Args, Subcommand};
use tactus_lang::eval::types::Ty;
use tactus_lang::program::eval_pattern;
use tactus_pattern::{Span, Time};

/// Shared with `benches/dsp-bench` (its `stress` module), which this binary cannot depend
/// on because that crate pulls in FunDSP.
#[path = "../../../benches/dsp-bench/src/stress.rs"]
mod stress;

/// Arguments of `tactus bench`.
#[derive(Args)]
pub struct BenchArgs {
    #[command(subcommand)]
    what: BenchWhat,
}

#[derive(Subcommand)]
enum BenchWhat {
    /// Query throughput (CPU time): each expression queried cycle by cycle over 100 cycles.
    Query {
        /// File of expressions, one per line (`#` comments).
        #[arg(default_value = "benches/query-exprs.txt")]
        file: std::path::PathBuf,
        /// Minimum measuring time per expression, in seconds.
        #[arg(long, default_value_t = 1.0)]
        seconds: f64,
        /// Print one JSON object per expression.
        #[arg(long)]
        json: bool,
    },
    /// Audio callback load (mean, p99, max) of each example at several buffer sizes.
    Callback {
        /// Files to measure (default: every examples/*.tidal).
        files: Vec<std::path::PathBuf>,
        /// Buffer sizes in frames.
        #[arg(long, value_delimiter = ',', default_value = "64,128,512")]
        buffers: Vec<usize>,
        /// Seconds of audio per measurement.
        #[arg(long, default_value_t = 20.0)]
        seconds: f64,
        /// Print one JSON object per measurement.
        #[arg(long)]
        json: bool,
        /// Also list the N most expensive callbacks (by CPU time) of each measurement:
        /// when they ran, page faults, preemptions, voices started and stolen, program and
        /// bus swaps.
        #[arg(long, default_value_t = 0)]
        worst: usize,
        /// Do not lock memory (`mlockall`), as for a user without that privilege: the
        /// callbacks then take a page fault for any buffer not mapped at allocation.
        #[arg(long)]
        no_mlock: bool,
        /// Also run each measurement twice (fresh engines) and report `work max`: the
        /// largest over callbacks of the smaller of the two passes' CPU times, i.e. the
        /// engine's own worst callback without one-off interference (interrupts are charged
        /// to the thread they interrupt; a hypervisor or a busy neighbour core slows it).
        #[arg(long)]
        twin: bool,
        /// Reload the file every SECONDS of audio (evaluated again off the callback and
        /// taking over at the next cycle, as when it is saved during `tactus play`) and
        /// report the callbacks that swapped programs (`swaps`, `swap max`).
        #[arg(long, value_name = "SECONDS")]
        reload_every: Option<f64>,
    },
    /// Synthesis graphs: per-block cost of each example's buses and drones at 512 frames /
    /// 44.1 kHz as a share of the 11.61 ms budget, and the live-update cost (diff + compile)
    /// of a 200-module patch.
    Graph {
        /// Files to measure (default: every examples/*.tidal and *.json with drones).
        files: Vec<std::path::PathBuf>,
        /// Seconds of audio per example.
        #[arg(long, default_value_t = 10.0)]
        seconds: f64,
        /// Print one JSON object per measurement.
        #[arg(long)]
        json: bool,
    },
    /// 16 channels of `stut 16 0.8 0.01 $ jux rev $ s "X*32"` through the offline
    /// renderer: per-block time (mean, p99, max), split into scheduling and synthesis.
    Stress {
        /// Cycles to render (at 1 cycle per second).
        #[arg(long, default_value_t = 8)]
        cycles: u32,
        /// Number of channels.
        #[arg(long, default_value_t = 16)]
        channels: usize,
    },
    /// MIDI timed queue: send time minus planned time (p50, p99, max) for 16 channels of
    /// 32 notes per cycle plus MIDI clock, on the real output thread.
    Midi {
        /// Seconds to run.
        #[arg(long, default_value_t = 10.0)]
        seconds: f64,
        /// Print one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// OSC output: 16 channels x 32 events per cycle to a loopback UDP listener; send-time
    /// jitter, time-tag error and scheduling cost (`crate::bench_osc`).
    OscJitter {
        /// How long to run.
        #[arg(long, default_value_t = 60.0)]
        seconds: f64,
        /// Number of channels.
        #[arg(long, default_value_t = 16)]
        channels: usize,
        /// OSC latency added to every time-tag, in seconds.
        #[arg(long, default_value_t = 0.2)]
        latency: f64,
        /// Print one JSON object.
        #[arg(long)]
        json: bool,
    },
}

/// Runs `tactus bench`.
pub fn run(a: BenchArgs) -> Result<ExitCode> {
    match a.what {
        BenchWhat::Query {
            file,
            seconds,
            json,
        } => query(&file, seconds, json),
        BenchWhat::Callback {
            files,
            buffers,
            seconds,
            json,
            worst,
            no_mlock,
            twin,
            reload_every,
        } => crate::bench_callback::run(
            &files,
            &buffers,
            seconds,
            json,
            crate::bench_callback::Options {
                worst,
                mlock: !no_mlock,
                twin,
                reload_every,
            },
        ),
        BenchWhat::Graph {
            files,
            seconds,
            json,
        } => crate::bench_graph::run(&files, seconds, json),
        BenchWhat::OscJitter {
            seconds,
            channels,
            latency,
            json,
        } => crate::bench_osc::run(seconds, channels, latency, json),
        BenchWhat::Midi { seconds, json } => crate::bench_midi::run(seconds, json),
        BenchWhat::Stress { cycles, channels } => {
            let opts = stress::StressOptions {
                cycles,
                channels,
                ..stress::StressOptions::default()
            };
            // thread CPU time: other jobs on a shared machine do not inflate the figures
            // (preemption shows up in `tactus bench callback`, which uses wall time)
            println!("timing: thread CPU time per block");
            print!(
                "{}",
                stress::run(&opts, thread_cpu_seconds).map_err(anyhow::Error::msg)?
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// CPU time of the calling thread in seconds.
fn thread_cpu_seconds() -> f64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime only writes the timespec we pass.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9
}

/// CPU time of this process in seconds (what the Tidal side measures with `getCPUTime`), so
/// the comparison is fair on a loaded machine.
fn cpu_seconds() -> f64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime only writes the timespec we pass.
    unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut ts) };
    ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9
}

/// One run: cycles `[100k, 100k + 100)` queried one cycle at a time; returns the event count.
fn one_run(pat: &tactus_pattern::Pattern<tactus_pattern::Value>, k: i64) -> usize {
    let mut n = 0;
    for i in 0..100 {
        let c = 100 * k + i;
        n += pat
            .query_span(Span::new(Time::int(c), Time::int(c + 1)))
            .iter()
            .map(|h| h.value.as_map().map_or(1, |m| m.len()))
            .sum::<usize>();
    }
    n
}

fn query(file: &std::path::Path, seconds: f64, json: bool) -> Result<ExitCode> {
    let src =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    let budget = Duration::from_secs_f64(seconds.max(0.01));
    for (idx, expr) in src
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .enumerate()
    {
        let pat = eval_pattern(expr, Ty::Control)
            .map_err(|d| anyhow::anyhow!("{expr}: {}", d.message))?;
        let _ = one_run(&pat, 0); // warm up
        let start = cpu_seconds();
        let mut runs = 0i64;
        let mut checksum = 0usize;
        while runs < 3 || cpu_seconds() - start < budget.as_secs_f64() {
            checksum += one_run(&pat, runs);
            runs += 1;
        }
        let per_run = (cpu_seconds() - start) / runs as f64;
        if json {
            println!(
                "{}",
                serde_json::json!({"index": idx, "expr": expr, "runs": runs, "ms_per_run": per_run * 1e3, "checksum": checksum})
            );
        } else {
            println!(
                "{idx:>2}  {:>10.3} ms/run  ({runs} runs)  {expr}",
                per_run * 1e3
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
