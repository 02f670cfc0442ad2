//! `tactus bench midi`: how close to their planned time the MIDI timed queue hands messages
//! out. A real [`OutputThread`] runs a [`MidiSink`] on the monotonic clock (as
//! `play --no-audio` does) with 16 channels × 32 notes per cycle and a MIDI clock; the
//! output records when each message was actually handed over. That is the timing an ALSA
//! output gets (it sends on the call); a JACK output places each message at its frame
//! instead (measured by `tests/midi_jack.rs`).

use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Result;
use tactus_engine::outputs::scheduler::OutputConfig;
use tactus_engine::outputs::thread::FrameSource;
use tactus_engine::outputs::{OutputScheduler, OutputThread};
use tactus_io::midi::{MidiHost, MidiMessage, MidiOut};

use crate::destinations::MidiTarget;
use crate::midi_out::MidiSink;

type Log = Arc<Mutex<Vec<(Instant, Instant)>>>;

/// Records (planned, handed over) for every message.
struct Timing(Log);

impl MidiOut for Timing {
    fn send(&mut self, _msg: MidiMessage) -> Result<(), String> {
        Ok(())
    }
    fn send_at(&mut self, _msg: MidiMessage, at: Instant) -> Result<(), String> {
        let now = Instant::now();
        if let Ok(mut v) = self.0.lock() {
            v.push((at, now));
        }
        Ok(())
    }
}

/// The engine clock from the monotonic clock.
struct Mono {
    start: Instant,
    rate: f64,
}

impl FrameSource for Mono {
    fn frame(&self) -> u64 {
        (self.start.elapsed().as_secs_f64() * self.rate) as u64
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

/// Runs the benchmark for `seconds`.
pub fn run(seconds: f64, json: bool) -> Result<ExitCode> {
    let mut src = String::from("setcps 0.5\n");
    for ch in 1..=16 {
        src.push_str(&format!(
            "d{ch} $ n \"0 .. 31\" # midichan {} # legato 0.5\n",
            ch - 1
        ));
    }
    let (program, diags) = tactus_lang::program::eval_file(&src);
    anyhow::ensure!(diags.is_empty(), "the benchmark program does not evaluate");
    let log: Log = Arc::default();
    let target = MidiTarget {
        name: "bench".into(),
        host: MidiHost::Alsa,
        port: None,
        channel: 0,
        latency: 0.0,
        clock: true,
    };
    let start = Instant::now();
    let sink = MidiSink::new(&target, Box::new(Timing(log.clone())), start, 0.0);
    let sched = OutputScheduler::new(program, OutputConfig::new(48_000), vec![Box::new(sink)]);
    let clock = Arc::new(Mono {
        start,
        rate: 48_000.0,
    });
    let th = OutputThread::spawn(sched, clock, Duration::from_millis(5))?;
    std::thread::sleep(Duration::from_secs_f64(seconds.clamp(0.5, 3600.0)));
    let _ = th.stop();
    let log = log.lock().map_err(|_| anyhow::anyhow!("poisoned"))?;
    // the first messages (cycle 0) are planned at the start: skip the first 100 ms
    let mut late: Vec<f64> = log
        .iter()
        .filter(|(at, _)| at.duration_since(start) > Duration::from_millis(100))
        .map(|(at, now)| {
            if now >= at {
                (*now - *at).as_secs_f64() * 1e6
            } else {
                -((*at - *now).as_secs_f64() * 1e6)
            }
        })
        .collect();
    late.sort_by(f64::total_cmp);
    let early = late.iter().filter(|x| **x < 0.0).count();
    let (p50, p99, max) = (
        percentile(&late, 0.5),
        percentile(&late, 0.99),
        late.last().copied().unwrap_or(f64::NAN),
    );
    if json {
        println!(
            "{}",
            serde_json::json!({"messages": late.len(), "early": early, "late_us_p50": p50, "late_us_p99": p99, "late_us_max": max, "seconds": seconds})
        );
    } else {
        println!(
            "midi timed queue: {} messages in {seconds} s (16 channels x 32 notes a cycle at 0.5 cps, plus clock)",
            late.len()
        );
        println!(
            "  send time - planned time: p50 {p50:.0} us, p99 {p99:.0} us, max {max:.0} us; {early} early"
        );
    }
    Ok(ExitCode::SUCCESS)
}
