//! The synthesized drum kit.
//!
//! Every drum is one [`DrumPatch`] of the same small model: a pitched body (sine, triangle
//! or square with an exponential pitch sweep), filtered noise (optionally in clap-style
//! bursts) and a "metal" bank of inharmonic band-limited squares for hats, cymbals and the
//! cowbell. Each part decays exponentially (time constants, -60 dB after about 6.9 of them).
//! `n` picks one of [`Instruments::DRUM_VARIATIONS`] variations (pitch, decay and balance
//! changes, and a different noise seed); `speed`/`note` scale pitch and time together, like
//! playing a sample faster.

use crate::units::filter::SvfCore;
use crate::units::noise::{NoiseColor, NoiseCore};
use crate::units::osc::{OscCore, Waveform};
use crate::voice::instruments::{Drum, Instruments};

/// How the noise (or metal) part is filtered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilterMode {
    /// Low-pass.
    Low,
    /// Band-pass.
    Band,
    /// High-pass.
    High,
}

/// Parameters of one drum sound. Times are decay time constants in seconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DrumPatch {
    /// Body level.
    pub tone_level: f32,
    /// Body waveform.
    pub tone_wave: Waveform,
    /// Body frequency at the start (Hz).
    pub tone_start: f32,
    /// Body frequency it sweeps to (Hz).
    pub tone_end: f32,
    /// Pitch sweep time constant.
    pub pitch_decay: f32,
    /// Body decay time constant.
    pub tone_decay: f32,
    /// Noise level.
    pub noise_level: f32,
    /// Noise decay time constant.
    pub noise_decay: f32,
    /// Noise filter.
    pub noise_mode: FilterMode,
    /// Noise filter frequency (Hz).
    pub noise_freq: f32,
    /// Noise filter q.
    pub noise_q: f32,
    /// Clap-style bursts before the noise tail (0 = none).
    pub bursts: u8,
    /// Time between bursts (seconds).
    pub burst_gap: f32,
    /// Metal bank level.
    pub metal_level: f32,
    /// Number of metal oscillators used (0..=6).
    pub metal_count: u8,
    /// Metal oscillator frequencies (Hz).
    pub metal_freqs: [f32; 6],
    /// Metal filter.
    pub metal_mode: FilterMode,
    /// Metal filter frequency (Hz).
    pub metal_filter: f32,
    /// Metal decay time constant.
    pub metal_decay: f32,
}

const METAL: [f32; 6] = [317.0, 421.0, 543.0, 612.0, 788.0, 1013.0];

const BASE: DrumPatch = DrumPatch {
    tone_level: 0.0,
    tone_wave: Waveform::Sine,
    tone_start: 100.0,
    tone_end: 100.0,
    pitch_decay: 0.01,
    tone_decay: 0.1,
    noise_level: 0.0,
    noise_decay: 0.05,
    noise_mode: FilterMode::High,
    noise_freq: 5_000.0,
    noise_q: 0.7,
    bursts: 0,
    burst_gap: 0.01,
    metal_level: 0.0,
    metal_count: 0,
    metal_freqs: METAL,
    metal_mode: FilterMode::High,
    metal_filter: 7_000.0,
    metal_decay: 0.05,
};

const PITCH_VAR: [f32; 8] = [1.0, 0.9, 1.12, 0.8, 1.25, 0.95, 1.06, 0.7];
const DECAY_VAR: [f32; 8] = [1.0, 1.4, 0.75, 1.8, 0.6, 1.2, 0.9, 2.2];
const NOISE_VAR: [f32; 8] = [1.0, 0.7, 1.3, 0.8, 1.2, 1.5, 0.6, 1.0];

impl DrumPatch {
    /// The patch of `drum`, variation `n` (taken modulo [`Instruments::DRUM_VARIATIONS`]).
    pub fn of(drum: Drum, n: u32) -> DrumPatch {
        let mut p = match drum {
            Drum::Kick => DrumPatch {
                tone_level: 1.0,
                tone_start: 170.0,
                tone_end: 48.0,
                pitch_decay: 0.03,
                tone_decay: 0.17,
                noise_level: 0.35,
                noise_decay: 0.003,
                noise_mode: FilterMode::Low,
                noise_freq: 4_000.0,
                ..BASE
            },
            Drum::Snare => DrumPatch {
                tone_level: 0.55,
                tone_wave: Waveform::Triangle,
                tone_start: 330.0,
                tone_end: 185.0,
                pitch_decay: 0.012,
                tone_decay: 0.06,
                noise_level: 0.75,
                noise_decay: 0.075,
                noise_mode: FilterMode::High,
                noise_freq: 1_600.0,
                ..BASE
            },
            Drum::ClosedHat => DrumPatch {
                noise_level: 0.35,
                noise_decay: 0.022,
                noise_freq: 8_000.0,
                metal_level: 0.7,
                metal_count: 6,
                metal_filter: 7_500.0,
                metal_decay: 0.025,
                ..BASE
            },
            Drum::OpenHat => DrumPatch {
                noise_level: 0.3,
                noise_decay: 0.2,
                noise_freq: 8_000.0,
                metal_level: 0.7,
                metal_count: 6,
                metal_filter: 7_000.0,
                metal_decay: 0.25,
                ..BASE
            },
            Drum::Clap => DrumPatch {
                noise_level: 1.1,
                noise_decay: 0.07,
                noise_mode: FilterMode::Band,
                noise_freq: 1_200.0,
                noise_q: 1.4,
                bursts: 3,
                burst_gap: 0.011,
                ..BASE
            },
            Drum::Rim => DrumPatch {
                tone_level: 0.7,
                tone_wave: Waveform::Triangle,
                tone_start: 1_800.0,
                tone_end: 1_700.0,
                tone_decay: 0.012,
                noise_level: 0.4,
                noise_decay: 0.004,
                noise_mode: FilterMode::Band,
                noise_freq: 2_500.0,
                noise_q: 1.0,
                ..BASE
            },
            Drum::LowTom | Drum::MidTom | Drum::HighTom => {
                let (f, d) = match drum {
                    Drum::LowTom => (90.0, 0.22),
                    Drum::MidTom => (130.0, 0.18),
                    _ => (180.0, 0.15),
                };
                DrumPatch {
                    tone_level: 0.9,
                    tone_start: f * 1.6,
                    tone_end: f,
                    pitch_decay: 0.05,
                    tone_decay: d,
                    noise_level: 0.12,
                    noise_decay: 0.012,
                    noise_mode: FilterMode::Low,
                    noise_freq: 3_000.0,
                    ..BASE
                }
            }
            Drum::Cowbell => DrumPatch {
                metal_level: 0.8,
                metal_count: 2,
                metal_freqs: [562.0, 845.0, 0.0, 0.0, 0.0, 0.0],
                metal_mode: FilterMode::Band,
                metal_filter: 2_000.0,
                metal_decay: 0.09,
                ..BASE
            },
            Drum::Crash => DrumPatch {
                noise_level: 0.35,
                noise_decay: 0.5,
                noise_freq: 4_000.0,
                metal_level: 0.6,
                metal_count: 6,
                metal_freqs: [337.0, 461.0, 587.0, 699.0, 857.0, 1_123.0],
                metal_filter: 4_500.0,
                metal_decay: 0.6,
                ..BASE
            },
            Drum::Ride => DrumPatch {
                tone_level: 0.12,
                tone_start: 3_300.0,
                tone_end: 3_300.0,
                tone_decay: 0.3,
                noise_level: 0.12,
                noise_decay: 0.4,
                noise_freq: 7_000.0,
                metal_level: 0.55,
                metal_count: 6,
                metal_freqs: [476.0, 631.0, 815.0, 918.0, 1_182.0, 1_519.0],
                metal_mode: FilterMode::Band,
                metal_filter: 8_000.0,
                metal_decay: 0.7,
                ..BASE
            },
            Drum::Perc => DrumPatch {
                tone_level: 0.8,
                tone_start: 1_000.0,
                tone_end: 620.0,
                pitch_decay: 0.006,
                tone_decay: 0.045,
                ..BASE
            },
            Drum::Tabla => DrumPatch {
                tone_level: 0.9,
                tone_start: 210.0,
                tone_end: 300.0,
                pitch_decay: 0.09,
                tone_decay: 0.3,
                noise_level: 0.2,
                noise_decay: 0.006,
                noise_mode: FilterMode::Band,
                noise_freq: 1_800.0,
                noise_q: 2.0,
                ..BASE
            },
        };
        let v = (n % Instruments::DRUM_VARIATIONS) as usize;
        let (pv, dv, nv) = (PITCH_VAR[v], DECAY_VAR[v], NOISE_VAR[v]);
        p.tone_start *= pv;
        p.tone_end *= pv;
        for f in p.metal_freqs.iter_mut() {
            *f *= pv.sqrt();
        }
        p.metal_filter *= pv.sqrt();
        p.noise_freq *= pv.sqrt();
        p.tone_decay *= dv;
        p.noise_decay *= dv;
        p.metal_decay *= dv.min(1.4); // cymbals ring long enough already
        p.noise_level *= nv;
        p
    }

    /// Natural length in seconds (all parts 60 dB down) at time scale 1.
    pub fn length(&self) -> f32 {
        let mut tau = 0.0f32;
        if self.tone_level > 0.0 {
            tau = tau.max(self.tone_decay);
        }
        if self.noise_level > 0.0 {
            tau = tau.max(self.noise_decay);
        }
        if self.metal_level > 0.0 && self.metal_count > 0 {
            tau = tau.max(self.metal_decay);
        }
        6.91 * tau + f32::from(self.bursts) * self.burst_gap
    }
}

#[inline]
fn decay_coef(tau: f32, rate: f32, sr: f32) -> f32 {
    (-rate / (tau.max(1e-4) * sr)).exp()
}

#[inline]
fn filter_out(f: &mut SvfCore, mode: FilterMode, x: f32) -> f32 {
    let o = f.tick(x);
    match mode {
        FilterMode::Low => o.lp,
        FilterMode::Band => o.bp,
        FilterMode::High => o.hp,
    }
}

/// A playing drum.
#[derive(Debug, Clone, Copy)]
pub struct DrumVoice {
    patch: DrumPatch,
    tone: OscCore,
    metal: [OscCore; 6],
    noise: NoiseCore,
    noise_filter: SvfCore,
    metal_filter: SvfCore,
    tone_env: f32,
    noise_env: f32,
    metal_env: f32,
    pitch_env: f32,
    tone_coef: f32,
    noise_coef: f32,
    metal_coef: f32,
    pitch_coef: f32,
    burst_coef: f32,
    burst_frames: u32,
    bursts_left: u8,
    elapsed: u32,
    length_frames: u32,
    rate: f32,
    inv_sr: f32,
}

impl DrumVoice {
    /// A silent placeholder.
    pub fn idle() -> Self {
        Self::start(Drum::Kick, 0, 1.0, 48_000.0)
    }

    /// Starts `drum` variation `n` at time scale `rate` (1 = natural, 2 = twice as high and
    /// short) at sample rate `sr`.
    pub fn start(drum: Drum, n: u32, rate: f32, sr: f32) -> Self {
        let patch = DrumPatch::of(drum, n);
        let rate = rate.abs().clamp(0.05, 20.0);
        let mut noise_filter = SvfCore::new();
        noise_filter.set(patch.noise_freq * rate, patch.noise_q, sr);
        let mut metal_filter = SvfCore::new();
        metal_filter.set(patch.metal_filter * rate, 0.9, sr);
        let burst_frames = (patch.burst_gap / rate * sr).max(1.0) as u32;
        Self {
            tone: OscCore::new(patch.tone_wave, 0.0),
            metal: [OscCore::new(Waveform::Square, 0.0); 6],
            noise: NoiseCore::new(NoiseColor::White, 0xD7 + n * 7919, sr),
            noise_filter,
            metal_filter,
            tone_env: 1.0,
            noise_env: 1.0,
            metal_env: 1.0,
            pitch_env: 1.0,
            tone_coef: decay_coef(patch.tone_decay, rate, sr),
            noise_coef: decay_coef(patch.noise_decay, rate, sr),
            metal_coef: decay_coef(patch.metal_decay, rate, sr),
            pitch_coef: decay_coef(patch.pitch_decay, rate, sr),
            burst_coef: decay_coef(0.003, rate, sr),
            burst_frames,
            bursts_left: patch.bursts,
            elapsed: 0,
            length_frames: (patch.length() / rate * sr) as u32 + 1,
            rate,
            inv_sr: 1.0 / sr,
            patch,
        }
    }

    /// Natural duration in seconds at this voice's rate.
    pub fn duration(&self) -> f32 {
        self.length_frames as f32 * self.inv_sr
    }

    /// True once every part has decayed.
    pub fn finished(&self) -> bool {
        self.elapsed >= self.length_frames
    }

    /// One sample.
    #[inline]
    pub fn tick(&mut self) -> f32 {
        if self.finished() {
            return 0.0;
        }
        let p = &self.patch;
        let mut y = 0.0;
        if p.tone_level > 0.0 {
            let f = (p.tone_end + (p.tone_start - p.tone_end) * self.pitch_env) * self.rate;
            y += self.tone.tick(f * self.inv_sr, 0.5) * self.tone_env * p.tone_level;
            self.tone_env *= self.tone_coef;
            self.pitch_env *= self.pitch_coef;
        }
        if p.noise_level > 0.0 {
            let env = if self.bursts_left > 0 {
                if self.elapsed % self.burst_frames == self.burst_frames - 1 {
                    self.bursts_left -= 1;
                    self.noise_env = 1.0;
                } else {
                    self.noise_env *= self.burst_coef;
                }
                self.noise_env
            } else {
                self.noise_env *= self.noise_coef;
                self.noise_env
            };
            let x = self.noise.tick();
            y += filter_out(&mut self.noise_filter, p.noise_mode, x) * env * p.noise_level;
        }
        if p.metal_level > 0.0 && p.metal_count > 0 {
            let count = usize::from(p.metal_count.min(6));
            let mut m = 0.0;
            for (o, f) in self.metal.iter_mut().zip(p.metal_freqs).take(count) {
                m += o.tick(f * self.rate * self.inv_sr, 0.5);
            }
            m *= 1.0 / count as f32;
            y += filter_out(&mut self.metal_filter, p.metal_mode, m)
                * self.metal_env
                * p.metal_level;
            self.metal_env *= self.metal_coef;
        }
        self.elapsed = self.elapsed.saturating_add(1);
        y
    }
}
