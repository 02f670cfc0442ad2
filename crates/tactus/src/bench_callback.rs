//! `tactus bench callback`: the audio callback's load (render time / buffer time) for each
//! example file at several buffer sizes, through the real-time path (event ring, sample
//! queue, synth) with the scheduler stepped between callbacks on the same thread and left
//! out of the timing. One core does the audio, as on a device thread.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{bail, Context as _, Result};
use tactus_engine::realtime::{self, RealtimeConfig};
use tactus_lang::program::eval_file;

/// Files to measure: the given ones, or every `examples/*.tidal`.
fn files(given: &[PathBuf]) -> Result<Vec<PathBuf>> {
    if !given.is_empty() {
        return Ok(given.to_vec());
    }
    let mut v: Vec<PathBuf> = std::fs::read_dir("examples")
        .context("cannot list examples/ (run from the repository root or name files)")?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "tidal"))
        .collect();
    v.sort();
    Ok(v)
}

struct Loads {
    mean: f64,
    p99: f64,
    max: f64,
    late: u64,
    events: u64,
}

fn measure(file: &Path, buffer: usize, seconds: f64, sample_rate: u32) -> Result<Loads> {
    let src =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    let (program, diags) = eval_file(&src);
    if diags.iter().any(|d| d.is_error()) {
        bail!("{} has errors (see `tactus check`)", file.display());
    }
    let sounds = crate::render::sounds(sample_rate, &[])?;
    let (mut control, mut audio) =
        realtime::channel(program, sounds, RealtimeConfig::new(sample_rate));
    let mut out = vec![0.0f32; buffer * 2];
    let callbacks = ((seconds * f64::from(sample_rate)) as usize / buffer).max(1);
    let buffer_s = buffer as f64 / f64::from(sample_rate);
    // warm up: first touches of voices, reverb lines and caches
    for _ in 0..(callbacks / 20).max(10) {
        control.tick(audio.position());
        audio.process(&mut out, 2);
    }
    let mut loads = Vec::with_capacity(callbacks);
    for _ in 0..callbacks {
        control.tick(audio.position());
        let t = Instant::now();
        audio.process(&mut out, 2);
        loads.push(t.elapsed().as_secs_f64() / buffer_s);
    }
    let m = control.metrics().snapshot();
    let mean = loads.iter().sum::<f64>() / loads.len() as f64;
    loads.sort_by(f64::total_cmp);
    Ok(Loads {
        mean,
        p99: loads[(loads.len() * 99 / 100).min(loads.len() - 1)],
        max: *loads.last().unwrap_or(&0.0),
        late: m.late_events,
        events: m.events_played,
    })
}

/// Asks for real-time (FIFO) scheduling of this thread, as an audio server gives its
/// callback thread, so that other jobs on the machine do not inflate the maximum. Best
/// effort: returns false without the privilege.
fn realtime_priority() -> bool {
    #[cfg(target_os = "linux")]
    // SAFETY: plain libc calls on the current thread with a valid, initialised parameter.
    unsafe {
        let param = libc::sched_param { sched_priority: 40 };
        libc::pthread_setschedparam(libc::pthread_self(), libc::SCHED_FIFO, &param) == 0
    }
    #[cfg(not(target_os = "linux"))]
    false
}

/// Runs `tactus bench callback`.
pub fn run(given: &[PathBuf], buffers: &[usize], seconds: f64, json: bool) -> Result<ExitCode> {
    let sample_rate = 48_000;
    let rt = realtime_priority();
    if !json {
        println!(
            "callback load at {sample_rate} Hz over {seconds} s of audio (render time / buffer time), {} scheduling",
            if rt { "real-time (FIFO)" } else { "normal" }
        );
        println!(
            "{:<28} {:>6} {:>8} {:>8} {:>8} {:>8}",
            "file", "buffer", "mean %", "p99 %", "max %", "events"
        );
    }
    for f in files(given)? {
        for &b in buffers {
            let l = measure(&f, b.clamp(16, 8192), seconds, sample_rate)?;
            let name = f
                .file_name()
                .map_or_else(|| f.display().to_string(), |n| n.to_string_lossy().into());
            if json {
                println!(
                    "{}",
                    serde_json::json!({"file": name, "buffer": b, "load_mean": l.mean, "load_p99": l.p99,
                        "load_max": l.max, "events": l.events, "late_events": l.late})
                );
            } else {
                println!(
                    "{:<28} {:>6} {:>8.2} {:>8.2} {:>8.2} {:>8}",
                    name,
                    b,
                    l.mean * 100.0,
                    l.p99 * 100.0,
                    l.max * 100.0,
                    l.events
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
