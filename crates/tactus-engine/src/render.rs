//! Offline rendering: the scheduler and the synth driven by a virtual clock, block by
//! block, deterministically (same program and options, same samples).

pub mod drones;

use tactus_dsp::sample::bank::BankCommand;
use tactus_dsp::{Synth, SynthConfig};
use tactus_lang::program::Program;

use crate::clock::Clock;
use crate::events::Event;
use crate::instruments::Instruments;
use crate::scheduler::Scheduler;
use crate::sounds::Sounds;

/// Tidal's default tempo (cycles per second) when a file does not set one.
pub const DEFAULT_CPS: f64 = 0.5625;

/// Settings of an offline render.
#[derive(Clone, Debug)]
pub struct RenderOptions {
    /// Output sample rate.
    pub sample_rate: u32,
    /// Frames per scheduling block.
    pub block: usize,
    /// Size of the voice pool.
    pub voices: usize,
}

impl Default for RenderOptions {
    fn default() -> Self {
        RenderOptions {
            sample_rate: 48_000,
            block: 512,
            voices: 256,
        }
    }
}

/// Counters gathered while rendering.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct RenderStats {
    /// Frames rendered.
    pub frames: u64,
    /// Largest absolute sample value.
    pub peak: f32,
    /// Most voices sounding at once (sampled per block).
    pub max_voices: usize,
    /// Voice starts sent to the synth.
    pub events: u64,
}

/// Renders a program block by block.
pub struct OfflineRenderer {
    program: Program,
    scheduler: Scheduler,
    synth: Synth,
    sounds: Sounds,
    frame: u64,
    events: Vec<Event>,
    opts: RenderOptions,
    drones: drones::Drones,
    drone_errors: Vec<String>,
    /// Counters so far.
    pub stats: RenderStats,
}

impl OfflineRenderer {
    /// A renderer for a program, with sounds resolved by `sounds`.
    pub fn new(program: Program, mut sounds: Sounds, opts: RenderOptions) -> OfflineRenderer {
        let cps = program.cps.unwrap_or(DEFAULT_CPS);
        let mut synth = Synth::new(SynthConfig {
            sample_rate: opts.sample_rate as f32,
            voices: opts.voices,
            ..SynthConfig::default()
        });
        let mut drones = drones::Drones::new(opts.sample_rate as f32);
        let mut drone_errors = drones.load(&program, Clock::new(opts.sample_rate, cps), 0);
        let mut instruments = Instruments::new(
            opts.sample_rate as f32,
            tactus_dsp::voice::graph::DEFAULT_POLYPHONY,
        );
        let (set, errors) = instruments.load(&program);
        if let Some(set) = set {
            // nothing to evict in a fresh synth
            drop(synth.install_instruments(set));
        }
        sounds.set_instruments(instruments.table().clone());
        drone_errors.extend(errors);
        OfflineRenderer {
            drones,
            drone_errors,
            program,
            scheduler: Scheduler::new(Clock::new(opts.sample_rate, cps)),
            synth,
            sounds,
            frame: 0,
            events: Vec::new(),
            opts,
            stats: RenderStats::default(),
        }
    }

    /// The clock in use.
    pub fn clock(&self) -> &Clock {
        &self.scheduler.clock
    }

    /// The frame the next block starts at.
    pub fn position(&self) -> u64 {
        self.frame
    }

    /// Warnings not yet reported (unknown sounds, unreadable files...), each once.
    pub fn take_warnings(&mut self) -> Vec<String> {
        let mut w = std::mem::take(&mut self.drone_errors);
        w.extend(self.scheduler.warnings.drain());
        w
    }

    /// Renders the next `left.len()` frames (at most the configured block) into the slices.
    pub fn render(&mut self, left: &mut [f32], right: &mut [f32]) {
        let n = left.len().min(right.len());
        let (from, to) = (self.frame, self.frame + n as u64);
        self.events.clear();
        self.scheduler
            .schedule(&self.program, from, to, &mut self.sounds, &mut self.events);
        for cmd in self.sounds.commands.drain(..) {
            // Old buffers come back here and are dropped on this (control) side.
            match cmd {
                BankCommand::Install(id, buf) => drop(self.synth.install_sample(id, buf)),
                BankCommand::Remove(id) => drop(self.synth.remove_sample(id)),
            }
        }
        for e in &self.events {
            let offset = e.at_sample.saturating_sub(from) as u32;
            if self.synth.start_voice_chained(offset, &e.params, e.chain) {
                self.stats.events += 1;
            }
        }
        // buses first in each block, then the synth (its instruments read them), then the
        // drones mixed in: the same order as the real-time callback
        let clock = &self.scheduler.clock;
        self.drones.render(
            clock,
            from,
            Some(&mut self.synth),
            &mut left[..n],
            &mut right[..n],
        );
        for x in left[..n].iter().chain(right[..n].iter()) {
            self.stats.peak = self.stats.peak.max(x.abs());
        }
        self.stats.max_voices = self.stats.max_voices.max(self.synth.stats().active_voices);
        self.frame = to;
        self.stats.frames = to;
    }

    /// Renders `frames` frames, calling `sink` with each block's channels.
    pub fn render_frames(&mut self, frames: u64, mut sink: impl FnMut(&[f32], &[f32])) {
        let block = self.opts.block.max(1);
        let mut l = vec![0.0f32; block];
        let mut r = vec![0.0f32; block];
        let mut left = frames;
        while left > 0 {
            let n = (left as usize).min(block);
            self.render(&mut l[..n], &mut r[..n]);
            sink(&l[..n], &r[..n]);
            left -= n as u64;
        }
    }
}

/// Renders a program to interleaved stereo in memory (for tests and tools).
pub fn render_to_vec(
    program: Program,
    sounds: Sounds,
    opts: RenderOptions,
    frames: u64,
) -> (Vec<f32>, RenderStats) {
    let mut r = OfflineRenderer::new(program, sounds, opts);
    let mut out = Vec::with_capacity(frames as usize * 2);
    r.render_frames(frames, |l, rr| {
        for (a, b) in l.iter().zip(rr) {
            out.push(*a);
            out.push(*b);
        }
    });
    (out, r.stats)
}
