//! Stereo chorus: three delay taps swept by sine LFOs 120 degrees apart.
//!
//! The LFO is a rotating unit phasor `(cos, sin)`, advanced by one complex multiplication
//! per sample and pulled back onto the unit circle by a first-order correction, so the
//! three sweeps cost a few multiplications per sample instead of three `sin` calls (the
//! chorus runs once per voice in instruments such as `examples/pad.tidal`). The taps at
//! +120 and +240 degrees are rotations of the same phasor by constants.

use crate::unit::{frames, input, ParamInfo, Params, PortInfo, ProcessContext, Unit, UnitInfo};
use crate::units::delay::DelayLine;
use std::f32::consts::TAU;

const BASE_MS: f32 = 12.0;
const MAX_MS: f32 = 40.0;
/// `sin(120°)`; `cos(120°)` is `-0.5`.
const SIN_120: f32 = 0.866_025_4;

/// The chorus core.
#[derive(Debug, Clone)]
pub struct ChorusCore {
    line: DelayLine,
    /// The LFO phasor: `(cos, sin)` of the sweep's phase angle.
    phasor: (f32, f32),
    /// The rate the rotation below was computed for, and the rotation per sample.
    rate: f32,
    rotation: (f32, f32),
    sr: f32,
}

impl Default for ChorusCore {
    fn default() -> Self {
        Self {
            line: DelayLine::default(),
            phasor: (1.0, 0.0),
            rate: f32::NAN,
            rotation: (1.0, 0.0),
            sr: 0.0,
        }
    }
}

impl ChorusCore {
    /// Allocates the delay line. Control side only.
    pub fn prepare(&mut self, sr: f32) {
        self.sr = sr;
        self.line.allocate((MAX_MS * 0.001 * sr) as usize + 4);
        self.reset();
    }
    /// Clears the state.
    pub fn reset(&mut self) {
        self.line.clear();
        self.phasor = (1.0, 0.0);
    }
    /// One sample in, wet `(left, right)` out. `rate` in Hz, `depth` in `[0,1]` (±10 ms).
    #[inline]
    pub fn tick(&mut self, x: f32, rate: f32, depth: f32) -> (f32, f32) {
        self.line.write(x);
        if rate != self.rate {
            // a parameter: changes at most once per block
            let w = TAU * rate / self.sr.max(1.0);
            self.rotation = (w.cos(), w.sin());
            self.rate = rate;
        }
        let (c, s) = self.phasor;
        // sin of the phase, and of the phase plus 120 and 240 degrees
        let sweeps = [s, -0.5 * s + SIN_120 * c, -0.5 * s - SIN_120 * c];
        let ms_to_samples = 0.001 * self.sr;
        let swing = 10.0 * depth.clamp(0.0, 1.0);
        let mut taps = [0.0f32; 3];
        for (t, sweep) in taps.iter_mut().zip(sweeps) {
            *t = self.line.read((BASE_MS + swing * sweep) * ms_to_samples);
        }
        let (rc, rs) = self.rotation;
        let (c, s) = (c * rc - s * rs, s * rc + c * rs);
        // first-order step back to the unit circle: rounding never lets the level drift
        let g = 1.5 - 0.5 * (c * c + s * s);
        self.phasor = (c * g, s * g);
        (
            taps[0] * 0.6 + taps[1] * 0.4 + taps[2] * 0.2,
            taps[2] * 0.6 + taps[1] * 0.4 + taps[0] * 0.2,
        )
    }
}

/// Description of the chorus.
pub const CHORUS_INFO: UnitInfo = UnitInfo {
    name: "chorus",
    doc: "Stereo three-tap chorus.",
    inputs: &[PortInfo::new("in", "mono signal")],
    outputs: &[PortInfo::new("l", "left"), PortInfo::new("r", "right")],
    params: &[
        ParamInfo::new("rate", 0.01, 10.0, 0.8, "Hz", "sweep rate"),
        ParamInfo::new("depth", 0.0, 1.0, 0.5, "", "sweep depth (1 = ±10 ms)"),
        ParamInfo::new("mix", 0.0, 1.0, 0.5, "", "wet level"),
    ],
};

/// Chorus unit (mono in, stereo out).
#[derive(Debug, Clone)]
pub struct Chorus {
    core: ChorusCore,
    params: Params<3>,
}

impl Chorus {
    /// Static description.
    pub const INFO: UnitInfo = CHORUS_INFO;
    /// A chorus (allocated by `prepare`).
    pub fn new() -> Self {
        Self {
            core: ChorusCore::default(),
            params: Params::new(CHORUS_INFO.params),
        }
    }
}

impl Default for Chorus {
    fn default() -> Self {
        Self::new()
    }
}

impl Unit for Chorus {
    crate::unit::param_accessors!();
    fn prepare(&mut self, sample_rate: f32, _max_block: usize) {
        self.core.prepare(sample_rate);
    }
    fn reset(&mut self) {
        self.core.reset();
    }
    fn process(&mut self, _ctx: &ProcessContext, inputs: &[&[f32]], outputs: &mut [&mut [f32]]) {
        let n = frames(outputs);
        let x = input(inputs, 0, n);
        let (rate, depth, mix) = (self.params.get(0), self.params.get(1), self.params.get(2));
        for i in 0..n {
            let dry = x.map_or(0.0, |x| x[i]);
            let (l, r) = self.core.tick(dry, rate, depth);
            let vals = [dry * (1.0 - mix) + l * mix, dry * (1.0 - mix) + r * mix];
            for (o, v) in outputs.iter_mut().zip(vals) {
                o[i] = v;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The phasor LFO follows the exact sine sweep over minutes of audio, stays on the
    /// unit circle, and follows a rate change from the phase it had reached.
    #[test]
    fn phasor_lfo_tracks_the_exact_sweep() {
        let sr = 48_000.0f32;
        let mut core = ChorusCore::default();
        core.prepare(sr);
        let mut phase = 0.0f64; // turns, exact reference
        for (rate, frames) in [(0.8f32, 48_000 * 120), (7.3, 48_000 * 60), (0.01, 48_000)] {
            for n in 0..frames {
                let (c, s) = core.phasor;
                if n % 9_973 == 0 {
                    let (want_s, want_c) = (std::f64::consts::TAU * phase).sin_cos();
                    assert!(
                        (f64::from(s) - want_s).abs() < 2e-3,
                        "sin at {rate} Hz, {n}"
                    );
                    assert!(
                        (f64::from(c) - want_c).abs() < 2e-3,
                        "cos at {rate} Hz, {n}"
                    );
                    assert!(
                        (c * c + s * s - 1.0).abs() < 1e-5,
                        "radius at {rate} Hz, {n}"
                    );
                }
                core.tick(0.0, rate, 0.5);
                phase = (phase + f64::from(rate) / f64::from(sr)).fract();
            }
        }
    }

    /// The three taps sweep 120 degrees apart: with a constant input the wet outputs are
    /// constant, and an impulse comes back at the delays the three sines give.
    #[test]
    fn taps_are_a_third_of_a_turn_apart() {
        let sr = 48_000.0f32;
        let mut core = ChorusCore::default();
        core.prepare(sr);
        // at phase 0 the taps read 12 ms, 12 + 8.66 ms and 12 - 8.66 ms back (depth 1)
        let mut l = Vec::new();
        for n in 0..2_000 {
            let x = if n == 0 { 1.0 } else { 0.0 };
            // rate so low that the sweep stays at phase 0 during the test
            l.push(core.tick(x, 0.01, 1.0).0);
        }
        let peak_near = |ms: f32| {
            let d = (ms * 0.001 * sr) as usize;
            l[d - 3..d + 4].iter().fold(0.0f32, |m, v| m.max(v.abs()))
        };
        assert!(peak_near(BASE_MS) > 0.3, "tap 0 (weight 0.6)");
        assert!(
            peak_near(BASE_MS + 10.0 * SIN_120) > 0.2,
            "tap 1 (weight 0.4)"
        );
        assert!(
            peak_near(BASE_MS - 10.0 * SIN_120) > 0.1,
            "tap 2 (weight 0.2)"
        );
        let total: f32 = l.iter().map(|v| v.abs()).sum();
        assert!(total < 1.6, "only the three taps sound: {total}");
    }
}
