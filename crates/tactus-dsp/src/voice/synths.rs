//! The synthesized pitched voices: sine, saw, square, tri, supersaw, pluck, fm, bass, pad
//! and a piano-like additive tone.
//!
//! Each synth has its own amplitude envelope (attack, then full level while the gate is
//! open, then its release); the gate length comes from the voice (`sustain`, `legato` or
//! `delta`). `accelerate` glides the pitch from `f` to `f * (1 + accelerate)` over the
//! sustain, as SuperDirt's synths do.

use crate::units::envelope::AhrCore;
use crate::units::filter::{OnePoleCore, SvfCore};
use crate::units::ladder::LadderCore;
use crate::units::noise::{NoiseColor, NoiseCore};
use crate::units::osc::{OscCore, SupersawCore, Waveform};
use crate::voice::instruments::SynthKind;
use std::f32::consts::TAU;

/// Lowest pitch the pluck's delay line supports.
pub const PLUCK_MIN_FREQ: f32 = 20.0;
const PIANO_PARTIALS: usize = 8;

/// Start-time settings of a synth note.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SynthNote {
    /// Frequency in Hz.
    pub freq: f32,
    /// Gate length in seconds.
    pub sustain: f32,
    /// SuperDirt `accelerate`.
    pub accelerate: f32,
    /// Detune amount in `[0, 1]` (supersaw, pad).
    pub detune: f32,
    /// Timbre control in `[0, 1]` (fm index, pluck brightness, bass resonance).
    pub voice: f32,
    /// Seed for noise and start phases.
    pub seed: u32,
}

/// A playing synth note.
#[derive(Debug, Clone, Copy)]
pub struct SynthVoice {
    kind: SynthKind,
    note: SynthNote,
    amp: AhrCore,
    release: f32,
    oscs: [OscCore; 3],
    supersaw: SupersawCore,
    svf: SvfCore,
    ladder: LadderCore,
    noise: NoiseCore,
    tone: OnePoleCore,
    phases: [f32; 2],
    piano: PianoPartials,
    mod_env: f32,
    mod_coef: f32,
    ratio: f32,
    ratio_step: f32,
    pluck_pos: usize,
    pluck_len: f32,
    pluck_loss: f32,
    pluck_smooth: f32,
    pluck_prev: f32,
    sr: f32,
    inv_sr: f32,
}

impl SynthVoice {
    /// A silent placeholder.
    pub fn idle() -> Self {
        Self::start(
            SynthKind::Sine,
            SynthNote {
                freq: 440.0,
                sustain: 0.0,
                accelerate: 0.0,
                detune: 0.5,
                voice: 0.5,
                seed: 0,
            },
            48_000.0,
            &mut [],
        )
    }

    /// Starts a note. `pluck` is the voice's preallocated delay line (used by `Pluck`).
    pub fn start(kind: SynthKind, note: SynthNote, sr: f32, pluck: &mut [f32]) -> Self {
        let freq = if note.freq.is_finite() {
            note.freq.clamp(1.0, sr * 0.45)
        } else {
            261.6
        };
        let note = SynthNote { freq, ..note };
        let (attack, release) = match kind {
            SynthKind::Sine | SynthKind::Saw | SynthKind::Square | SynthKind::Tri => (0.003, 0.05),
            SynthKind::Supersaw => (0.01, 0.12),
            SynthKind::Pluck => (0.0, 0.05),
            SynthKind::Fm => (0.002, 0.15),
            SynthKind::Bass => (0.003, 0.06),
            SynthKind::Pad => (0.4, 0.8),
            SynthKind::Piano => (0.002, 0.25),
        };
        let mut amp = AhrCore::default();
        amp.trigger_curved(attack, 1e6, release, 0.0, sr);
        let mut v = Self {
            kind,
            note,
            amp,
            release,
            oscs: [
                OscCore::new(Waveform::Saw, 0.0),
                OscCore::new(Waveform::Saw, 0.33),
                OscCore::new(Waveform::Saw, 0.71),
            ],
            supersaw: SupersawCore::new(note.seed),
            svf: SvfCore::new(),
            ladder: LadderCore::default(),
            noise: NoiseCore::new(NoiseColor::White, note.seed, sr),
            tone: OnePoleCore::default(),
            phases: [0.0; 2],
            piano: PianoPartials::default(),
            mod_env: 1.0,
            mod_coef: 1.0,
            ratio: 1.0,
            ratio_step: if note.sustain > 0.0 {
                note.accelerate / (note.sustain * sr)
            } else {
                0.0
            },
            pluck_pos: 0,
            pluck_len: 0.0,
            pluck_loss: 0.0,
            pluck_smooth: 0.5,
            pluck_prev: 0.0,
            sr,
            inv_sr: 1.0 / sr,
        };
        match kind {
            SynthKind::Sine => v.oscs[0] = OscCore::new(Waveform::Sine, 0.0),
            SynthKind::Square => v.oscs[0] = OscCore::new(Waveform::Square, 0.0),
            SynthKind::Tri => v.oscs[0] = OscCore::new(Waveform::Triangle, 0.0),
            SynthKind::Supersaw => v.svf.set((freq * 10.0).min(12_000.0), 0.7, sr),
            SynthKind::Pad => v.svf.set(1_800.0, 0.8, sr),
            SynthKind::Fm => v.mod_coef = (-1.0 / (0.35 * sr)).exp(),
            SynthKind::Bass => {
                v.oscs[1] = OscCore::new(Waveform::Square, 0.0);
                v.mod_coef = (-1.0 / (0.12 * sr)).exp();
            }
            SynthKind::Piano => {
                // a constant pitch (no `accelerate`) lets the partials rotate
                let fixed_dt = (v.ratio_step == 0.0).then_some(freq / sr);
                v.piano = PianoPartials::start(freq, sr, fixed_dt);
                v.mod_coef = (-1.0 / (0.004 * sr)).exp();
                v.tone.set(3_000.0, sr);
            }
            SynthKind::Pluck => v.start_pluck(pluck),
            SynthKind::Saw => {}
        }
        v
    }

    fn start_pluck(&mut self, buf: &mut [f32]) {
        // brightness: smoothing weight of the loop filter and of the excitation
        let bright = self.note.voice.clamp(0.0, 1.0);
        let s = 0.35 + 0.6 * bright;
        self.pluck_smooth = s;
        let period = self.sr / self.note.freq;
        // the loop filter delays by about (1 - s) / s samples
        self.pluck_len = (period - (1.0 - s) / s).max(2.0);
        let tau = 3.0 * (220.0 / self.note.freq).sqrt().clamp(0.2, 3.0);
        self.pluck_loss = (-period / (tau * self.sr)).exp();
        self.tone.set(1_000.0 + 9_000.0 * bright, self.sr);
        let fill = (self.pluck_len as usize + 3).min(buf.len());
        for v in buf.iter_mut() {
            *v = 0.0;
        }
        for v in buf.iter_mut().take(fill) {
            let (lp, _) = self.tone.tick(self.noise.tick());
            *v = lp;
        }
        self.pluck_pos = fill;
    }

    /// Closes the gate: the release stage starts.
    pub fn note_off(&mut self) {
        self.amp.release_now(self.release, self.sr);
    }

    /// True when the release has finished.
    pub fn finished(&self) -> bool {
        self.amp.is_done()
    }

    /// Writes `out.len()` samples of this note and returns how many were produced before
    /// the note finished (`out.len()` while it is still sounding). `pluck` is the voice's
    /// delay line (only read by `Pluck`).
    pub fn render(&mut self, out: &mut [f32], pluck: &mut [f32]) -> usize {
        let mut produced = out.len();
        for (i, o) in out.iter_mut().enumerate() {
            if self.amp.is_done() {
                produced = produced.min(i);
                *o = 0.0;
                continue;
            }
            let f = self.note.freq * self.ratio;
            self.ratio = (self.ratio + self.ratio_step).clamp(0.01, 100.0);
            let dt = f * self.inv_sr;
            let y = match self.kind {
                SynthKind::Sine | SynthKind::Saw | SynthKind::Square | SynthKind::Tri => {
                    self.oscs[0].tick(dt, 0.5) * 0.8
                }
                SynthKind::Supersaw => {
                    let s = self.supersaw.tick(dt, self.note.detune, 0.8);
                    self.svf.tick(s).lp * 1.2
                }
                SynthKind::Pad => {
                    let d = 1.0 + 0.012 * self.note.detune;
                    let s = self.oscs[0].tick(dt, 0.5)
                        + self.oscs[1].tick(dt * d, 0.5)
                        + self.oscs[2].tick(dt / d, 0.5);
                    self.svf.tick(s * 0.33).lp * 1.3
                }
                SynthKind::Fm => {
                    let index = (0.5 + 7.5 * self.note.voice) * self.mod_env;
                    self.mod_env = self.mod_env * self.mod_coef + 0.15 * (1.0 - self.mod_coef);
                    let m = (TAU * self.phases[1]).sin();
                    let c = (TAU * self.phases[0] + index * m).sin();
                    advance(&mut self.phases[0], dt);
                    advance(&mut self.phases[1], dt * 2.0);
                    c * 0.8
                }
                SynthKind::Bass => {
                    let s =
                        self.oscs[0].tick(dt, 0.5) * 0.7 + self.oscs[1].tick(dt * 0.5, 0.5) * 0.5;
                    let cut = f * (1.5 + 14.0 * self.mod_env);
                    self.mod_env *= self.mod_coef;
                    self.ladder.set(cut, 0.2 + 0.6 * self.note.voice, self.sr);
                    self.ladder.tick(s) * 1.1
                }
                SynthKind::Piano => {
                    let mut acc = self.piano.tick(dt);
                    // hammer noise
                    let (hammer, _) = self.tone.tick(self.noise.tick());
                    acc += hammer * self.mod_env * 0.3;
                    self.mod_env *= self.mod_coef;
                    acc * 0.55
                }
                SynthKind::Pluck => self.pluck_tick(pluck),
            };
            *o = y * self.amp.tick();
        }
        produced
    }

    #[inline]
    fn pluck_tick(&mut self, buf: &mut [f32]) -> f32 {
        let n = buf.len();
        if n < 4 {
            return 0.0;
        }
        let len = (self.pluck_len / self.ratio).clamp(2.0, (n - 3) as f32);
        let i = len as usize;
        let t = len - i as f32;
        let a = buf[(self.pluck_pos + n - i) % n];
        let b = buf[(self.pluck_pos + n - i - 1) % n];
        let y = a + (b - a) * t;
        let s = self.pluck_smooth;
        let filtered = s * y + (1.0 - s) * self.pluck_prev;
        self.pluck_prev = filtered;
        buf[self.pluck_pos % n] = filtered * self.pluck_loss;
        self.pluck_pos = (self.pluck_pos + 1) % n;
        y * 0.9
    }
}

/// The partials of the piano tone: decaying sines at stiff-string ratios,
/// `f_k = k f sqrt(1 + B k^2)`, the higher ones quieter and shorter. At a constant pitch each
/// partial is a rotating phasor (a complex multiply per sample instead of a `sin`),
/// renormalised every [`RENORM_EVERY`] samples of the note (so the output does not depend on
/// block sizes); under `accelerate` the pitch moves every sample and the sines are computed
/// from phases. Partials at or above 0.45 of the sample rate are silent.
#[derive(Debug, Clone, Copy, Default)]
struct PianoPartials {
    env: [f32; PIANO_PARTIALS],
    coef: [f32; PIANO_PARTIALS],
    ratio: [f32; PIANO_PARTIALS],
    /// Rotating phasors (cos, sin of each partial's phase) and their per-sample rotation.
    re: [f32; PIANO_PARTIALS],
    im: [f32; PIANO_PARTIALS],
    rot_cos: [f32; PIANO_PARTIALS],
    rot_sin: [f32; PIANO_PARTIALS],
    /// 1 for a partial below 0.45 of the sample rate, else 0 (constant pitch only).
    audible: [f32; PIANO_PARTIALS],
    /// Phases in turns (moving pitch only).
    phases: [f32; PIANO_PARTIALS],
    rotating: bool,
    since_renorm: u32,
}

/// Samples between renormalisations of the piano's phasors (rounding drifts their length by
/// about 1e-7 per sample).
const RENORM_EVERY: u32 = 64;

impl PianoPartials {
    /// The partials of a note at `freq`; `fixed_dt` is its constant phase step per sample
    /// (`freq / sr`), if the pitch does not move.
    fn start(freq: f32, sr: f32, fixed_dt: Option<f32>) -> Self {
        let b = 0.0004;
        let base_tau = 2.5 * (261.6 / freq).sqrt().clamp(0.3, 3.0);
        let bright = (1.0 - freq / 4_000.0).clamp(0.2, 1.0);
        let mut p = PianoPartials {
            rotating: fixed_dt.is_some(),
            ..PianoPartials::default()
        };
        for k in 0..PIANO_PARTIALS {
            let kf = (k + 1) as f32;
            p.ratio[k] = kf * (1.0 + b * kf * kf).sqrt();
            p.env[k] = bright.powf(kf - 1.0) / kf.powf(1.1);
            let tau = base_tau / kf.powf(0.7);
            p.coef[k] = (-1.0 / (tau * sr)).exp();
            if let Some(dt) = fixed_dt {
                let step = dt * p.ratio[k];
                let w = std::f64::consts::TAU * f64::from(step);
                p.re[k] = 1.0;
                p.rot_cos[k] = w.cos() as f32;
                p.rot_sin[k] = w.sin() as f32;
                p.audible[k] = if step < 0.45 { 1.0 } else { 0.0 };
            }
        }
        p
    }

    /// The next sample of the partials' sum; `dt` is this sample's phase step of the
    /// fundamental (read only when the pitch moves).
    #[inline]
    // one index over the parallel per-partial arrays (the loops run on vector lanes)
    #[allow(clippy::needless_range_loop)]
    fn tick(&mut self, dt: f32) -> f32 {
        let mut terms = [0.0f32; PIANO_PARTIALS];
        if self.rotating {
            for k in 0..PIANO_PARTIALS {
                let (re, im) = (self.re[k], self.im[k]);
                terms[k] = im * self.env[k] * self.audible[k];
                self.re[k] = re * self.rot_cos[k] - im * self.rot_sin[k];
                self.im[k] = re * self.rot_sin[k] + im * self.rot_cos[k];
                self.env[k] *= self.coef[k];
            }
            self.since_renorm += 1;
            if self.since_renorm == RENORM_EVERY {
                self.since_renorm = 0;
                for k in 0..PIANO_PARTIALS {
                    let g = 1.0 / (self.re[k] * self.re[k] + self.im[k] * self.im[k]).sqrt();
                    self.re[k] *= g;
                    self.im[k] *= g;
                }
            }
        } else {
            for k in 0..PIANO_PARTIALS {
                let step = dt * self.ratio[k];
                if step < 0.45 {
                    terms[k] = (TAU * self.phases[k]).sin() * self.env[k];
                }
                self.env[k] *= self.coef[k];
                advance(&mut self.phases[k], step);
            }
        }
        // a fixed summation order (pairwise)
        let [a, b, c, d, e, f, g, h] = terms;
        ((a + b) + (c + d)) + ((e + f) + (g + h))
    }
}

#[inline]
fn advance(phase: &mut f32, dt: f32) {
    *phase += dt;
    if *phase >= 1.0 {
        *phase -= phase.floor();
    }
}

/// Length of the pluck delay line a voice needs at sample rate `sr`.
pub fn pluck_buffer_len(sr: f32) -> usize {
    (sr / PLUCK_MIN_FREQ) as usize + 8
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rotating phasors of a constant-pitch piano note follow exact sines (computed in
    /// f64 from the sample count) to within 1e-3 of the peak over 4 s, at least as closely
    /// as sines of f32 phases (the path `accelerate` takes) do, and mute the partials at or
    /// above 0.45 of the sample rate.
    #[test]
    fn rotating_piano_partials_follow_exact_sines() {
        let sr = 48_000.0;
        for freq in [27.5f32, 261.6, 1_760.0, 4_186.0] {
            let dt = freq / sr;
            let mut rotating = PianoPartials::start(freq, sr, Some(dt));
            let mut phased = PianoPartials::start(freq, sr, None);
            let mut env = rotating.env;
            let (coef, ratio) = (rotating.coef, rotating.ratio);
            let (mut err_rot, mut err_phase, mut peak) = (0.0f64, 0.0f64, 0.0f64);
            for n in 0..(4.0 * sr) as usize {
                let mut exact = 0.0f64;
                for k in 0..PIANO_PARTIALS {
                    let step = f64::from(dt * ratio[k]);
                    if step < 0.45 {
                        let turns = (n as f64 * step).fract();
                        exact += (std::f64::consts::TAU * turns).sin() * f64::from(env[k]);
                    }
                    env[k] *= coef[k];
                }
                err_rot = err_rot.max((f64::from(rotating.tick(dt)) - exact).abs());
                err_phase = err_phase.max((f64::from(phased.tick(dt)) - exact).abs());
                peak = peak.max(exact.abs());
            }
            assert!(peak > 0.1, "{freq} Hz: peak {peak}");
            assert!(
                err_rot < 1e-3 * peak && err_rot <= err_phase,
                "{freq} Hz: phasors off by {err_rot}, f32 phases by {err_phase} (peak {peak})"
            );
        }
    }
}
