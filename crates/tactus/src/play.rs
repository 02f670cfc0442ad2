//! `tactus play`: real-time playback of a file that reloads on save, and `tactus devices`.
//!
//! Threads: the device (or null output) thread runs the engine's audio callback; the
//! scheduler thread queries patterns ahead of it; this (main) thread watches the file by
//! polling its modification time and contents every 100 ms, evaluates edits, hands good ones
//! to the scheduler (applied at the next cycle by default), prints the diagnostics of bad
//! ones (the previous program keeps playing), and draws the status line.
//!
//! `--duration S` stops after S seconds; `--metrics-json PATH` writes the final metrics,
//! every program change and every reload attempt as one JSON object when playback ends.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::Relaxed};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use anyhow::{bail, Context as _, Result};
use clap::Args;
use serde_json::{json, Value};
use tactus_engine::clock::ClockShare;
use tactus_engine::link::ableton::LinkSession;
use tactus_engine::link::{Follower, LinkConfig};
use tactus_engine::outputs::routing::SYNTH;
use tactus_engine::realtime::{self, Apply, Command, Metrics, RealtimeConfig, SchedulerThread};
use tactus_io::audio::cpal::{self as audio_cpal, OutputSettings};
use tactus_io::audio::null::NullStream;
use tactus_lang::program::{eval_file, Program};

use crate::outputs::{OpenMidi, Origin, Outputs};

/// Arguments of `tactus play`.
#[derive(Args)]
pub struct PlayArgs {
    /// The .tidal file to play; saved edits take over at the next cycle.
    file: PathBuf,
    /// Audio host: alsa (default) or jack (needs a running JACK server).
    #[arg(long)]
    host: Option<String>,
    /// Output device name, or a unique part of it (see `tactus devices`).
    #[arg(long)]
    device: Option<String>,
    /// Frames per device buffer (JACK uses the server's).
    #[arg(long)]
    buffer: Option<u32>,
    /// Sample rate (default: the device's; 48000 with --no-audio).
    #[arg(long)]
    sample_rate: Option<u32>,
    /// Open no audio device: the clock runs from the system's monotonic clock.
    #[arg(long)]
    no_audio: bool,
    /// When an edit takes over: now, beat or cycle.
    #[arg(long, default_value = "cycle")]
    apply: Apply,
    /// Least scheduling lookahead in milliseconds (at least two buffers plus 10 ms are kept).
    #[arg(long, default_value_t = 20.0)]
    lookahead_ms: f64,
    /// Stop after this many seconds.
    #[arg(long)]
    duration: Option<f64>,
    /// Write the final metrics, program changes and reloads as JSON to this file.
    #[arg(long)]
    metrics_json: Option<PathBuf>,
    /// A folder of samples (Dirt-Samples layout); repeatable. Also TACTUS_SAMPLES.
    #[arg(long = "samples")]
    samples: Vec<PathBuf>,
    /// Voice pool size.
    #[arg(long, default_value_t = 256)]
    voices: usize,
    /// No status line.
    #[arg(long, short)]
    quiet: bool,
    /// Destinations file: where channels play (the built-in synth, SuperDirt, other OSC
    /// targets, MIDI ports). Default: ~/.config/tactus/destinations.toml if it exists.
    #[arg(long)]
    destinations: Option<PathBuf>,
    /// Join (or start) an Ableton Link session on the local network: tempo and phase follow
    /// it (a cycle is 4 beats), and `setcps` in the file sets the session's tempo.
    #[arg(long)]
    link: bool,
    /// Link quantum in beats: phase is aligned with peers over this many beats.
    #[arg(long, default_value_t = 4.0, requires = "link")]
    link_quantum: f64,
    /// Follow the Link session's start/stop: start it on launch, fall silent while stopped.
    #[arg(long, requires = "link")]
    link_start_stop: bool,
}

/// Exit code when no audio device can be used.
const NO_DEVICE: u8 = 3;

fn load(path: &Path) -> Result<(String, Result<Program, String>)> {
    let src =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let name = path.display().to_string();
    if path.extension().is_some_and(|e| e == "json") {
        return Ok(match tactus_lang::synthesis::program_from_json(&src) {
            Ok(p) => (src, Ok(p)),
            Err(e) => {
                let text = format!("{name}: {e}\n{name}: the previous program keeps playing\n");
                (src, Err(text))
            }
        });
    }
    let (program, diags) = eval_file(&src);
    let mut text = String::new();
    let mut errors = 0;
    for d in &diags {
        text.push_str(&d.render(&name, &src));
        errors += d.is_error() as usize;
    }
    if errors > 0 {
        text.push_str(&format!(
            "{name}: {errors} error(s); the previous program keeps playing\n"
        ));
        return Ok((src, Err(text)));
    }
    if !text.is_empty() {
        eprint!("{text}");
    }
    Ok((src, Ok(program)))
}

enum Output {
    Device(#[allow(dead_code)] audio_cpal::OutputStream),
    Null(#[allow(dead_code)] NullStream),
}

/// Runs `tactus play`.
pub fn run(a: PlayArgs) -> Result<ExitCode> {
    let (mut last_src, first) = load(&a.file)?;
    let program = match first {
        Ok(p) => p,
        Err(text) => {
            eprint!(
                "{}",
                text.replace("the previous program keeps playing", "nothing to play")
            );
            return Ok(ExitCode::from(1));
        }
    };
    let prepared = if a.no_audio {
        None
    } else {
        let settings = OutputSettings {
            host: a.host.clone(),
            device: a.device.clone(),
            sample_rate: a.sample_rate,
            buffer: a.buffer,
        };
        match audio_cpal::open(&settings) {
            Ok(p) => Some(p),
            Err(e) => {
                eprintln!("error: no usable audio output: {e}");
                eprintln!(
                    "  try `--host jack` (with a running jackd), `--no-audio` (no sound; the clock"
                );
                eprintln!(
                    "  still runs, for OSC/MIDI), or `tactus render FILE -o out.wav` (offline)"
                );
                return Ok(ExitCode::from(NO_DEVICE));
            }
        }
    };
    let sample_rate = prepared
        .as_ref()
        .map_or(a.sample_rate.unwrap_or(48_000), |p| p.sample_rate());
    if !(8_000..=384_000).contains(&sample_rate) {
        bail!("sample rate {sample_rate} is out of range (8000 to 384000)");
    }
    let sounds = crate::render::sounds(sample_rate, &a.samples)?;
    let mut config = RealtimeConfig::new(sample_rate);
    config.voices = a.voices.clamp(1, 4096);
    if a.lookahead_ms.is_finite() && a.lookahead_ms >= 0.0 {
        config.lookahead = (a.lookahead_ms / 1e3 * f64::from(sample_rate)) as u64;
    }
    let dests = crate::destinations::load(a.destinations.as_deref())?;
    let synth_program = dests.routes.program_for(&program, SYNTH);
    if !(a.link_quantum.is_finite() && (0.25..=64.0).contains(&a.link_quantum)) {
        bail!(
            "--link-quantum {}: expected a number of beats from 0.25 to 64",
            a.link_quantum
        );
    }
    let (mut control, mut audio) = realtime::channel(synth_program, sounds, config);
    let clock_share = a.link.then(|| Arc::new(ClockShare::default()));
    if let Some(share) = &clock_share {
        control.share_clock(Arc::clone(share));
        let link = LinkConfig {
            quantum: a.link_quantum,
            start_stop: a.link_start_stop,
            ..LinkConfig::default()
        };
        let cps = program.cps.unwrap_or(tactus_engine::render::DEFAULT_CPS);
        let session = LinkSession::new(cps, &link);
        control.set_link(Follower::new(Box::new(session), link, sample_rate));
    }
    lock_memory();
    let metrics = Arc::clone(control.metrics());
    let stream_errors = Arc::new(AtomicU64::new(0));
    let (host, device, buffer) = match &prepared {
        Some(p) => (p.host().to_string(), p.device().to_string(), p.buffer()),
        None => ("none".to_string(), "none".to_string(), None),
    };
    let midi = OpenMidi::open(&dests)?;
    // the scheduler fills the first lookahead before the device asks for audio
    let scheduler = SchedulerThread::spawn(control, Duration::from_millis(10))?;
    std::thread::sleep(Duration::from_millis(20));
    let started = Instant::now();
    let origin = SystemTime::now();
    let origin_instant = Instant::now();
    let output = match prepared {
        None => Output::Null(NullStream::start(
            sample_rate,
            Duration::from_millis(5),
            move |n| audio.advance(n),
        )?),
        Some(p) => {
            let xm = Arc::clone(&metrics);
            let errs = Arc::clone(&stream_errors);
            let res = p.start(
                move |out: &mut [f32], ch: usize| audio.process(out, ch),
                move || {
                    xm.xruns.fetch_add(1, Relaxed);
                },
                move |msg| {
                    if errs.fetch_add(1, Relaxed) < 5 {
                        eprintln!("\naudio: {msg}");
                    }
                },
            );
            match res {
                Ok(s) => Output::Device(s),
                Err(e) => {
                    eprintln!("error: no usable audio output: {e}");
                    eprintln!("  try `--host jack` (with a running jackd), `--no-audio`, or `tactus render`");
                    return Ok(ExitCode::from(NO_DEVICE));
                }
            }
        }
    };
    // the built-in synth is heard about one device buffer after the engine renders a frame;
    // MIDI waits as long, so both sound together
    let audio_latency = buffer.map_or(0.0, |b| f64::from(b) / f64::from(sample_rate));
    let outputs = Outputs::start(
        &dests,
        &program,
        sample_rate,
        Arc::clone(&metrics),
        Origin {
            system: origin,
            instant: origin_instant,
            audio_latency,
        },
        midi,
        clock_share,
    )?;
    if !a.quiet && !outputs.names().is_empty() {
        eprintln!("also playing to {}", outputs.names().join(", "));
    }
    let stop = Arc::new(AtomicBool::new(false));
    {
        let stop = Arc::clone(&stop);
        let _ = ctrlc::set_handler(move || stop.store(true, Relaxed));
    }
    let tty = std::io::stderr().is_terminal() && !a.quiet;
    if !a.quiet {
        eprintln!(
            "playing {} on {host}/{device} at {sample_rate} Hz (Ctrl-C to stop; edits apply at the next {})",
            a.file.display(),
            match a.apply {
                Apply::Now => "moment",
                Apply::Beat => "beat",
                Apply::Cycle => "cycle",
            }
        );
    }
    if a.link && !a.quiet {
        eprintln!(
            "following an Ableton Link session (a cycle is 4 beats, quantum {}{})",
            a.link_quantum,
            if a.link_start_stop {
                ", start/stop synced"
            } else {
                ""
            }
        );
    }
    let mut reloads: Vec<Value> = Vec::new();
    let mut mtime = modified(&a.file);
    let mut status = Status::new();
    let deadline = a
        .duration
        .map(|d| started + Duration::from_secs_f64(d.max(0.0)));
    while !stop.load(Relaxed) && deadline.is_none_or(|d| Instant::now() < d) {
        std::thread::sleep(Duration::from_millis(100));
        for w in scheduler
            .take_warnings()
            .into_iter()
            .chain(outputs.take_warnings())
        {
            status.clear(tty);
            eprintln!("warning: {w}");
        }
        let m = modified(&a.file);
        if m != mtime {
            mtime = m;
            let at = metrics.snapshot();
            match load(&a.file) {
                Ok((src, _)) if src == last_src => {}
                Ok((src, result)) => {
                    last_src = src;
                    status.clear(tty);
                    let ok = result.is_ok();
                    match result {
                        Ok(p) => {
                            outputs.submit(&p, a.apply);
                            scheduler.submit(dests.routes.program_for(&p, SYNTH), a.apply);
                            if !a.quiet {
                                eprintln!("reloaded {} (cycle {:.2})", a.file.display(), at.cycle);
                            }
                        }
                        Err(text) => {
                            metrics.reloads_failed.fetch_add(1, Relaxed);
                            eprint!("{text}");
                        }
                    }
                    reloads.push(json!({
                        "ok": ok,
                        "seconds": started.elapsed().as_secs_f64(),
                        "cycle": at.cycle,
                        "frame": at.frame,
                        "callbacks": at.callbacks,
                        "nonsilent_callbacks": at.nonsilent_callbacks,
                        "generation_before": at.program_generation,
                    }));
                }
                Err(e) => {
                    status.clear(tty);
                    eprintln!("warning: {e:#}");
                }
            }
        }
        if tty {
            status.draw(&metrics);
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    status.clear(tty);
    // stop scheduling, fade out, then close the device: no stuck notes
    outputs.stop();
    let control = scheduler.stop();
    let mut control = control.context("the scheduler thread panicked")?;
    control.send(Command::Stop { seconds: 0.1 });
    let fade_deadline = Instant::now() + Duration::from_millis(1000);
    while metrics.stopped.load(Relaxed) == 0 && Instant::now() < fade_deadline {
        std::thread::sleep(Duration::from_millis(10));
    }
    let final_metrics = metrics.snapshot();
    drop(output);
    let log = control.program_log().to_vec();
    let control_link = control.link().map(link_json);
    drop(control);
    let s = final_metrics;
    if !a.quiet {
        eprintln!(
            "stopped after {seconds:.1} s: {} callbacks, load mean {:.1}% max {:.1}%, {} events ({} late), {} xruns",
            s.callbacks,
            s.load_mean * 100.0,
            s.load_max * 100.0,
            s.events_played,
            s.late_events,
            s.xruns
        );
    }
    if let Some(path) = &a.metrics_json {
        let doc = json!({
            "file": a.file.display().to_string(),
            "host": host,
            "device": device,
            "sample_rate": sample_rate,
            "buffer": buffer,
            "seconds": seconds,
            "stream_errors": stream_errors.load(Relaxed),
            "metrics": snapshot_json(&s),
            "programs": log.iter().map(|c| json!({
                "generation": c.generation, "cycle": c.cycle, "frame": c.frame, "cps": c.cps,
            })).collect::<Vec<_>>(),
            "reloads": reloads,
            "link": control_link,
        });
        std::fs::write(path, serde_json::to_string_pretty(&doc)? + "\n")
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Locks the pages in memory so far (the synth's voice pool, delay lines and reverbs were
/// just allocated and prefaulted), so the callback never waits on the kernel to bring a page
/// back. `MCL_ONFAULT` locks only pages in use (and later ones as they are touched) instead
/// of faulting in every mapping: the allocator's address-space reservation would otherwise
/// become a gigabyte of resident memory. Best effort: without the privilege it does nothing.
fn lock_memory() {
    #[cfg(target_os = "linux")]
    // SAFETY: mlockall takes flags only and has no memory-safety preconditions.
    unsafe {
        libc::mlockall(libc::MCL_CURRENT | libc::MCL_ONFAULT);
    }
}

fn modified(path: &Path) -> Option<(SystemTime, u64)> {
    let m = std::fs::metadata(path).ok()?;
    Some((m.modified().ok()?, m.len()))
}

/// The metrics as a JSON object (also used by `tactus bench callback`).
pub fn snapshot_json(s: &realtime::MetricsSnapshot) -> Value {
    json!({
        "frame": s.frame,
        "callbacks": s.callbacks,
        "nonsilent_callbacks": s.nonsilent_callbacks,
        "load_mean": s.load_mean,
        "load_max": s.load_max,
        "last_buffer": s.last_buffer,
        "voices": s.voices,
        "xruns": s.xruns,
        "events_sent": s.events_sent,
        "events_played": s.events_played,
        "late_events": s.late_events,
        "events_overflowed": s.events_overflowed,
        "ring_full": s.ring_full,
        "skipped_windows": s.skipped_windows,
        "skipped_frames": s.skipped_frames,
        "cycle": s.cycle,
        "cps": s.cps,
        "program_generation": s.program_generation,
        "program_cycle": s.program_cycle,
        "reloads_applied": s.reloads_applied,
        "reloads_failed": s.reloads_failed,
        "samples_installed": s.samples_installed,
        "drone_swaps": s.drone_swaps,
        "link_enabled": s.link_enabled,
        "link_peers": s.link_peers,
        "link_bpm": s.link_bpm,
        "link_beat": s.link_beat,
        "link_playing": s.link_playing,
        "link_jumps": s.link_jumps,
    })
}

/// The Link follower's settings, last timeline and its (host µs, engine beat, session beat,
/// bpm) samples, one per scheduler tick: two processes on one machine compare these at
/// equal host times.
fn link_json(f: &Follower) -> Value {
    let c = f.config();
    json!({
        "quantum": c.quantum,
        "start_stop": c.start_stop,
        "output_latency": f.latency(),
        "bpm": f.timeline().map(|t| t.bpm),
        "peers": f.timeline().map(|t| t.peers),
        "samples": f.samples().map(|s| [s.micros, s.beat, s.session_beat, s.bpm]).collect::<Vec<_>>(),
    })
}

/// The one-line status display on stderr.
struct Status {
    shown: bool,
    last: Instant,
    render_ns: u64,
    buffer_ns: u64,
}

impl Status {
    fn new() -> Status {
        Status {
            shown: false,
            last: Instant::now(),
            render_ns: 0,
            buffer_ns: 0,
        }
    }

    fn draw(&mut self, m: &Metrics) {
        if self.last.elapsed() < Duration::from_millis(250) {
            return;
        }
        self.last = Instant::now();
        let s = m.snapshot();
        let (r, b) = (m.render_ns.load(Relaxed), m.buffer_ns.load(Relaxed));
        let mean = (r - self.render_ns) as f64 / (b - self.buffer_ns).max(1) as f64;
        (self.render_ns, self.buffer_ns) = (r, b);
        let max = m.take_recent_load_max();
        let link = if s.link_enabled {
            format!(
                "link {:.1} bpm {} peer(s){}  ",
                s.link_bpm,
                s.link_peers,
                if s.link_playing { "" } else { " stopped" }
            )
        } else {
            String::new()
        };
        eprint!(
            "\rcycle {:>8.2}  cps {:.3}  {link}load {:>5.1}% (max {:>5.1}%)  voices {:>3}  xruns {}  late {}  \x1b[K",
            s.cycle,
            s.cps,
            mean * 100.0,
            max * 100.0,
            s.voices,
            s.xruns,
            s.late_events
        );
        let _ = std::io::stderr().flush();
        self.shown = true;
    }

    fn clear(&mut self, tty: bool) {
        if tty && self.shown {
            eprint!("\r\x1b[K");
            self.shown = false;
        }
    }
}

/// Runs `tactus devices`: every audio host with its output devices.
pub fn devices() -> Result<ExitCode> {
    for h in audio_cpal::list() {
        println!(
            "{}{}",
            h.name,
            if h.default { " (default host)" } else { "" }
        );
        match h.devices {
            Ok(devs) if devs.is_empty() => println!("  (no output devices)"),
            Ok(devs) => {
                for d in devs {
                    let mark = if d.default { "*" } else { " " };
                    println!(" {mark} {}  [{}]", d.name, d.config);
                }
            }
            Err(e) => println!("  unavailable: {e}"),
        }
    }
    println!("--no-audio plays with no device; `tactus render` writes a WAV file offline");
    Ok(ExitCode::SUCCESS)
}
