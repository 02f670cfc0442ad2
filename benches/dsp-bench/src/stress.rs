//! The stress render, in the spirit of Phonon's `stress_extreme`: 16 channels of
//! `stut 16 0.8 0.01 $ jux rev $ s "bd*32"`-class patterns (a different drum per channel)
//! at 1 cycle per second, rendered in 512-frame blocks at 44.1 kHz on one thread.
//!
//! Three passes over the same program and frames:
//!
//! 1. the whole [`OfflineRenderer`] (pattern queries, event building, voice starts,
//!    synthesis, master bus), timed per block: what a real-time callback would cost;
//! 2. scheduling alone ([`Scheduler::schedule`]: pattern queries and event building);
//! 3. synthesis alone (a [`Synth`] fed the events pass 2 produced).
//!
//! This file is also compiled into the `tactus` binary (`tactus bench stress`) with
//! `#[path]`, so it uses only the engine, language and DSP crates.

use std::fmt;

use tactus_dsp::{Synth, SynthConfig};
use tactus_engine::clock::Clock;
use tactus_engine::events::Event;
use tactus_engine::render::{OfflineRenderer, RenderOptions};
use tactus_engine::scheduler::Scheduler;
use tactus_engine::sounds::Sounds;
use tactus_lang::program::{eval_file, Program};

/// Settings of a stress run.
#[derive(Clone, Debug)]
pub struct StressOptions {
    /// Number of channels (`d1` ... `dN`).
    pub channels: usize,
    /// Cycles to render (at 1 cycle per second).
    pub cycles: u32,
    /// Frames per block.
    pub block: usize,
    /// Sample rate.
    pub sample_rate: u32,
    /// Size of the voice pool.
    pub voices: usize,
}

impl Default for StressOptions {
    fn default() -> Self {
        StressOptions {
            channels: 16,
            cycles: 8,
            block: 512,
            sample_rate: 44_100,
            voices: 256,
        }
    }
}

/// The drum per channel, cycling.
const SOUNDS: &[&str] = &[
    "bd", "sn", "hh", "cp", "oh", "rim", "lt", "mt", "ht", "cb", "cr", "ride", "perc", "tabla",
    "kick", "clap",
];

/// The program: `setcps 1` and one `stut 16 0.8 0.01 $ jux rev $ s "X*32"` line per channel.
///
/// ```
/// let src = tactus_dsp_bench::stress::program_text(2);
/// assert!(src.contains("d2 $ stut 16 0.8 0.01 $ jux rev $ s \"sn*32\""));
/// ```
pub fn program_text(channels: usize) -> String {
    let mut s = String::from("setcps 1\n");
    for i in 0..channels {
        let sound = SOUNDS[i % SOUNDS.len()];
        s.push_str(&format!(
            "d{} $ stut 16 0.8 0.01 $ jux rev $ s \"{sound}*32\"\n",
            i + 1
        ));
    }
    s
}

/// Per-block times of one pass, in milliseconds.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct BlockStats {
    /// Mean.
    pub mean_ms: f64,
    /// 99th percentile.
    pub p99_ms: f64,
    /// Largest.
    pub max_ms: f64,
}

impl BlockStats {
    fn from_secs(mut v: Vec<f64>) -> BlockStats {
        if v.is_empty() {
            return BlockStats::default();
        }
        v.sort_by(f64::total_cmp);
        let p99 = v[((v.len() as f64 * 0.99).ceil() as usize).clamp(1, v.len()) - 1];
        BlockStats {
            mean_ms: 1e3 * v.iter().sum::<f64>() / v.len() as f64,
            p99_ms: 1e3 * p99,
            max_ms: 1e3 * v[v.len() - 1],
        }
    }
}

/// What a stress run measured.
#[derive(Clone, Debug)]
pub struct StressReport {
    /// The options used.
    pub options: StressOptions,
    /// Blocks rendered per pass.
    pub blocks: usize,
    /// Real-time budget of one block, in milliseconds.
    pub budget_ms: f64,
    /// The whole offline renderer.
    pub total: BlockStats,
    /// Scheduling alone.
    pub schedule: BlockStats,
    /// Synthesis alone.
    pub synth: BlockStats,
    /// Voice events per second of audio.
    pub events_per_second: f64,
    /// Most voices sounding at once.
    pub max_voices: usize,
    /// Voices stolen because the pool was full.
    pub voices_stolen: u64,
}

impl fmt::Display for StressReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let o = &self.options;
        writeln!(
            f,
            "stress: {} channels of stut 16 0.8 0.01 $ jux rev $ s \"X*32\", cps 1, {} cycles",
            o.channels, o.cycles
        )?;
        writeln!(
            f,
            "        {} blocks of {} frames at {} Hz (budget {:.2} ms/block), {} voices max",
            self.blocks, o.block, o.sample_rate, self.budget_ms, o.voices
        )?;
        writeln!(
            f,
            "        {:.0} events/s, at most {} voices sounding, {} voices stolen",
            self.events_per_second, self.max_voices, self.voices_stolen
        )?;
        writeln!(
            f,
            "{:<22} {:>9} {:>9} {:>9} {:>9}",
            "per block", "mean ms", "p99 ms", "max ms", "% budget"
        )?;
        for (name, s) in [
            ("render (all)", self.total),
            ("  scheduling", self.schedule),
            ("  synthesis", self.synth),
        ] {
            writeln!(
                f,
                "{:<22} {:>9.3} {:>9.3} {:>9.3} {:>8.1}%",
                name,
                s.mean_ms,
                s.p99_ms,
                s.max_ms,
                100.0 * s.mean_ms / self.budget_ms
            )?;
        }
        Ok(())
    }
}

/// Parses and evaluates the stress program.
pub fn program(channels: usize) -> Result<Program, String> {
    let (program, diags) = eval_file(&program_text(channels));
    match diags.first() {
        Some(d) => Err(format!("stress program: {}", d.message)),
        None => Ok(program),
    }
}

fn sounds(o: &StressOptions) -> Sounds {
    Sounds::new(o.sample_rate as f32, 16, 1 << 20)
}

/// Runs the three passes, timing blocks with `clock` (seconds from any fixed origin, e.g.
/// `tactus_dsp_bench::thread_seconds`).
pub fn run(o: &StressOptions, clock: fn() -> f64) -> Result<StressReport, String> {
    let block = o.block.max(1);
    let frames = u64::from(o.cycles) * u64::from(o.sample_rate);
    let blocks = frames.div_ceil(block as u64) as usize;
    let budget_ms = 1e3 * block as f64 / f64::from(o.sample_rate);

    // 1. the whole renderer
    let opts = RenderOptions {
        sample_rate: o.sample_rate,
        block,
        voices: o.voices,
    };
    let mut renderer = OfflineRenderer::new(program(o.channels)?, sounds(o), opts);
    let (mut l, mut r) = (vec![0.0f32; block], vec![0.0f32; block]);
    let mut total = Vec::with_capacity(blocks);
    for _ in 0..blocks {
        let start = clock();
        renderer.render(&mut l, &mut r);
        total.push(clock() - start);
        std::hint::black_box(&l);
    }
    let events = renderer.stats.events;
    let max_voices = renderer.stats.max_voices;

    // 2. scheduling alone, keeping the events
    let prog = program(o.channels)?;
    let mut scheduler = Scheduler::new(Clock::new(o.sample_rate, prog.cps.unwrap_or(1.0)));
    let mut snd = sounds(o);
    let mut per_block: Vec<Vec<Event>> = Vec::with_capacity(blocks);
    let mut schedule = Vec::with_capacity(blocks);
    for b in 0..blocks {
        let from = (b * block) as u64;
        let mut out = Vec::new();
        let start = clock();
        scheduler.schedule(&prog, from, from + block as u64, &mut snd, &mut out);
        schedule.push(clock() - start);
        per_block.push(out);
    }

    // 3. synthesis alone
    let mut synth = Synth::new(SynthConfig {
        sample_rate: o.sample_rate as f32,
        voices: o.voices,
        ..SynthConfig::default()
    });
    let mut synth_times = Vec::with_capacity(blocks);
    for (b, evs) in per_block.iter().enumerate() {
        let from = (b * block) as u64;
        let start = clock();
        for e in evs {
            synth.start_voice(e.at_sample.saturating_sub(from) as u32, &e.params);
        }
        synth.render_block(&mut l, &mut r);
        synth_times.push(clock() - start);
        std::hint::black_box(&l);
    }
    let stats = synth.stats();

    Ok(StressReport {
        options: o.clone(),
        blocks,
        budget_ms,
        total: BlockStats::from_secs(total),
        schedule: BlockStats::from_secs(schedule),
        synth: BlockStats::from_secs(synth_times),
        events_per_second: events as f64 / o.cycles.max(1) as f64,
        max_voices,
        voices_stolen: stats.pool.stolen,
    })
}
