//! `tactus render`: a file to a WAV, offline and deterministic.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{bail, Context as _, Result};
use clap::Args;
use tactus_engine::render::{OfflineRenderer, RenderOptions};
use tactus_engine::sounds::{Sounds, DEFAULT_SAMPLE_MEMORY};
use tactus_io::wav::{SampleFormat, WavWriter};

/// Arguments of `tactus render`.
#[derive(Args)]
pub struct RenderArgs {
    /// The .tidal file to render.
    file: PathBuf,
    /// The WAV file to write.
    #[arg(short, long)]
    output: PathBuf,
    /// Length in cycles (default 8).
    #[arg(long, conflicts_with = "seconds")]
    cycles: Option<f64>,
    /// Length in seconds.
    #[arg(long)]
    seconds: Option<f64>,
    /// Output sample rate.
    #[arg(long, default_value_t = 48_000)]
    sample_rate: u32,
    /// Sample encoding: f32, s16 or s24.
    #[arg(long, default_value = "f32")]
    format: String,
    /// A folder of samples (Dirt-Samples layout: NAME/*.wav|flac); repeatable. Also read
    /// from TACTUS_SAMPLES (colon-separated).
    #[arg(long = "samples")]
    samples: Vec<PathBuf>,
    /// Voice pool size.
    #[arg(long, default_value_t = 256)]
    voices: usize,
}

/// Builds the sound resolver from `--samples` and `TACTUS_SAMPLES`.
pub fn sounds(sample_rate: u32, dirs: &[PathBuf]) -> Result<Sounds> {
    let mut s = Sounds::new(sample_rate as f32, 4096, DEFAULT_SAMPLE_MEMORY);
    let mut all: Vec<PathBuf> = dirs.to_vec();
    if let Ok(env) = std::env::var("TACTUS_SAMPLES") {
        all.extend(env.split(':').filter(|p| !p.is_empty()).map(PathBuf::from));
    }
    for d in all {
        if !d.is_dir() {
            bail!(
                "sample folder {} does not exist or is not a folder",
                d.display()
            );
        }
        s.add_root(&d)
            .map_err(|e| anyhow::anyhow!("sample folder {}: {e}", d.display()))?;
    }
    Ok(s)
}

/// Runs `tactus render`.
pub fn run(a: RenderArgs) -> Result<ExitCode> {
    let format = SampleFormat::parse(&a.format)
        .with_context(|| format!("unknown --format {:?}: expected f32, s16 or s24", a.format))?;
    if !(8_000..=384_000).contains(&a.sample_rate) {
        bail!(
            "--sample-rate {} is out of range (8000 to 384000)",
            a.sample_rate
        );
    }
    let Some(program) = crate::graph::load(&a.file)? else {
        eprintln!("nothing rendered");
        return Ok(ExitCode::from(1));
    };
    let sounds = sounds(a.sample_rate, &a.samples)?;
    let opts = RenderOptions {
        sample_rate: a.sample_rate,
        voices: a.voices.clamp(1, 4096),
        ..RenderOptions::default()
    };
    let mut r = OfflineRenderer::new(program, sounds, opts);
    let seconds = match (a.seconds, a.cycles) {
        (Some(s), _) => s,
        (None, c) => c.unwrap_or(8.0) * r.clock().seconds_per_cycle(),
    };
    if !(seconds.is_finite() && seconds > 0.0 && seconds <= 24.0 * 3600.0) {
        bail!("the render length must be between 0 and 24 hours (got {seconds} s)");
    }
    let frames = (seconds * a.sample_rate as f64).round() as u64;
    let mut wav = WavWriter::create(&a.output, a.sample_rate, format)?;
    let tty = std::io::stderr().is_terminal();
    let started = Instant::now();
    let mut done = 0u64;
    let mut last_pct = u64::MAX;
    let mut write_err = None;
    r.render_frames(frames, |l, rr| {
        if write_err.is_none() {
            if let Err(e) = wav.write(l, rr) {
                write_err = Some(e);
            }
        }
        done += l.len() as u64;
        let pct = done * 100 / frames.max(1);
        if tty && pct != last_pct {
            last_pct = pct;
            let bar = "#".repeat((pct / 4) as usize);
            eprint!("\r[{bar:<25}] {pct:>3}%");
            let _ = std::io::stderr().flush();
        }
    });
    if tty {
        eprint!("\r{:40}\r", "");
    }
    if let Some(e) = write_err {
        return Err(e.into());
    }
    wav.finish(a.sample_rate)?;
    for w in r.take_warnings() {
        eprintln!("warning: {w}");
    }
    let elapsed = started.elapsed().as_secs_f64();
    let s = r.stats;
    let peak_db = if s.peak > 0.0 {
        20.0 * s.peak.log10()
    } else {
        f32::NEG_INFINITY
    };
    println!(
        "{}: {:.2} s at {} Hz, peak {:.1} dBFS, {} events, up to {} voices, {:.0}x realtime",
        a.output.display(),
        seconds,
        a.sample_rate,
        peak_db,
        s.events,
        s.max_voices,
        seconds / elapsed.max(1e-9)
    );
    Ok(ExitCode::SUCCESS)
}
