//! `tactus bench graph`: the cost of synthesis graphs.
//!
//! * Per example (every `examples/*.tidal` and `examples/*.json` with drones or buses): the
//!   audio-side cost of one 512-frame block at 44.1 kHz (the compiled buses and drones, the
//!   drone master bus), as a share of the block's 11.61 ms budget — mean, p99 and max over
//!   the measured blocks — and, apart, the control-side cost of feeding the pattern sources
//!   (queries, done ahead on the scheduler thread, never in the callback).
//! * The live-update cost of a 200-module patch: diff against the playing layout + compile
//!   (control side) and the state hand-over (`adopt_state`, audio side), mean and max.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Result;
use tactus_dsp::graph::{compile, Input, Module, Patch};
use tactus_engine::clock::Clock;
use tactus_engine::drones::{ChangeList, DroneFeed, DroneRack};

const SR: u32 = 44_100;
const BLOCK: usize = 512;

/// Runs `tactus bench graph`.
pub fn run(files: &[PathBuf], seconds: f64, json: bool) -> Result<ExitCode> {
    let files = if files.is_empty() {
        let mut v: Vec<PathBuf> = std::fs::read_dir("examples")?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "tidal" || e == "json"))
            .collect();
        v.sort();
        v
    } else {
        files.to_vec()
    };
    let budget_ms = BLOCK as f64 / f64::from(SR) * 1e3;
    let blocks = ((seconds.max(0.1) * f64::from(SR)) as usize / BLOCK).max(10);
    for file in &files {
        let Some(program) = crate::graph::load(file)? else {
            continue;
        };
        if program.drones.is_empty() && program.buses.is_empty() {
            continue;
        }
        let cps = program.cps.unwrap_or(tactus_engine::render::DEFAULT_CPS);
        let clock = Clock::new(SR, cps);
        let mut feed = DroneFeed::new(SR as f32);
        let (set, _) = feed.build(&program, clock, 0);
        let modules: usize = program
            .drones
            .values()
            .chain(program.buses.values())
            .map(|sp| sp.patch.modules.len())
            .sum();
        let mut rack = DroneRack::new(SR as f32, BLOCK, Some(set));
        let mut list = ChangeList::default();
        let (mut l, mut r) = (vec![0.0f32; BLOCK], vec![0.0f32; BLOCK]);
        let (mut audio, mut control) = (Vec::with_capacity(blocks), 0.0f64);
        for b in 0..blocks {
            let from = (b * BLOCK) as u64;
            list.changes.clear();
            list.taken = 0;
            let t0 = Instant::now();
            feed.changes(&clock, from, from + BLOCK as u64, &mut list.changes);
            let t1 = Instant::now();
            l.fill(0.0);
            r.fill(0.0);
            rack.render(from, &mut list, None, &mut l, &mut r);
            audio.push(t1.elapsed().as_secs_f64() * 1e3);
            control += (t1 - t0).as_secs_f64() * 1e3;
        }
        audio.sort_by(f64::total_cmp);
        let mean = audio.iter().sum::<f64>() / audio.len() as f64;
        let p99 = audio[(audio.len() * 99 / 100).min(audio.len() - 1)];
        let max = audio[audio.len() - 1];
        let feed_mean = control / blocks as f64;
        let pct = |ms: f64| 100.0 * ms / budget_ms;
        let name = file.display();
        if json {
            println!(
                "{}",
                serde_json::json!({"file": name.to_string(), "modules": modules, "blocks": blocks,
                    "mean_pct": pct(mean), "p99_pct": pct(p99), "max_pct": pct(max),
                    "mean_ms": mean, "feed_mean_ms": feed_mean})
            );
        } else {
            println!(
                "{name:<28} {modules:>3} modules  block {mean:.3} ms = {:.2}% (p99 {:.2}%, max {:.2}%) of {budget_ms:.2} ms; pattern feed {feed_mean:.3} ms (control side)",
                pct(mean),
                pct(p99),
                pct(max)
            );
        }
    }
    update_cost(json);
    Ok(ExitCode::SUCCESS)
}

/// 50 voices of saw -> svf -> mul -> add (200 modules); `k` changes one constant and `kind`
/// the type of one module, as a typical edit does.
fn big_patch(k: f64, kind: &str) -> Patch {
    let mut modules = Vec::new();
    for v in 0..50 {
        let prev = if v == 0 {
            Input::Const(0.0)
        } else {
            Input::cable(&format!("sum{}.out", v - 1))
        };
        let osc = if v == 7 { kind } else { "saw" };
        modules.push(
            Module::new(format!("osc{v}"), osc)
                .with("freq", Input::Const(55.0 * (1.0 + v as f64 * 0.1))),
        );
        modules.push(
            Module::new(format!("vcf{v}"), "svf")
                .with("in", Input::cable(&format!("osc{v}.out")))
                .with("cutoff", Input::Const(if v == 3 { k } else { 800.0 }))
                .with("q", Input::Const(1.0)),
        );
        modules.push(
            Module::new(format!("vca{v}"), "mul")
                .with("a", Input::cable(&format!("vcf{v}.lp")))
                .with("b", Input::Const(0.02)),
        );
        modules.push(
            Module::new(format!("sum{v}"), "add")
                .with("a", Input::cable(&format!("vca{v}.out")))
                .with("b", prev),
        );
    }
    Patch {
        modules,
        outputs: vec![Input::cable("sum49.out")],
    }
}

fn update_cost(json: bool) {
    let sr = SR as f32;
    let mut playing = compile(&big_patch(800.0, "saw"), sr, None).expect("valid");
    let (mut compile_ms, mut adopt_ms, mut max_ms) = (Vec::new(), Vec::new(), 0.0f64);
    for i in 0..200 {
        let next = if i % 2 == 0 {
            big_patch(1200.0, "square")
        } else {
            big_patch(800.0, "saw")
        };
        let t0 = Instant::now();
        let layout = playing.layout();
        let mut new = compile(&next, sr, Some(&layout)).expect("valid");
        let t1 = Instant::now();
        new.adopt_state(&mut playing);
        let t2 = Instant::now();
        let old = std::mem::replace(&mut playing, new);
        drop(old);
        compile_ms.push((t1 - t0).as_secs_f64() * 1e3);
        adopt_ms.push((t2 - t1).as_secs_f64() * 1e3);
        max_ms = max_ms.max((t2 - t0).as_secs_f64() * 1e3);
    }
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    let (c, a) = (mean(&compile_ms), mean(&adopt_ms));
    if json {
        println!(
            "{}",
            serde_json::json!({"update_modules": 200, "diff_compile_mean_ms": c, "adopt_mean_ms": a, "update_max_ms": max_ms})
        );
    } else {
        println!(
            "update of a 200-module patch: diff + compile {c:.3} ms, adopt (audio side) {a:.4} ms, mean total {:.3} ms, max {max_ms:.3} ms (goal < 1 ms)",
            c + a
        );
    }
}
