//! A 4-pole (24 dB/octave) Moog-style ladder low-pass in zero-delay-feedback form.
//!
//! The four TPT one-pole stages and the global feedback are solved exactly for the linear
//! part each sample (`u = (x - k S) / (1 + k G^4)`), then the stage input is soft-saturated.
//! The linear system is stable for every resonance `k < 4`, and the saturation bounds the
//! self-oscillation at `k = 4`, so the filter never blows up.

use crate::math::{tanh_approx, tpt_g};
use crate::unit::{frames, input, ParamInfo, Params, PortInfo, ProcessContext, Unit, UnitInfo};

/// The per-sample ladder core.
#[derive(Debug, Clone, Copy, Default)]
pub struct LadderCore {
    s: [f32; 4],
    big_g: f32,
    beta: f32,
    k: f32,
    comp: f32,
}

impl LadderCore {
    /// Sets cutoff (Hz), resonance in `[0, 1]` (1 = self-oscillation) for sample rate `sr`.
    #[inline]
    pub fn set(&mut self, cutoff: f32, resonance: f32, sr: f32) {
        let g = tpt_g(cutoff, sr);
        self.big_g = g / (1.0 + g);
        self.beta = 1.0 / (1.0 + g);
        self.k = 4.0 * resonance.clamp(0.0, 1.0);
        // restore about half of the pass-band loss caused by resonance
        self.comp = 1.0 + 0.5 * self.k;
    }
    /// Clears the state.
    pub fn reset(&mut self) {
        self.s = [0.0; 4];
    }
    /// One sample.
    #[inline]
    pub fn tick(&mut self, x: f32) -> f32 {
        let g = self.big_g;
        let b = self.beta;
        // contribution of the states to the 4th stage output
        let sum =
            g * g * g * b * self.s[0] + g * g * b * self.s[1] + g * b * self.s[2] + b * self.s[3];
        let g4 = g * g * g * g;
        let u = (x * self.comp - self.k * sum) / (1.0 + self.k * g4);
        let mut y = tanh_approx(u);
        for s in self.s.iter_mut() {
            let v = (y - *s) * g;
            let out = v + *s;
            *s = out + v;
            y = out;
        }
        y
    }
}

/// Description of the ladder filter.
pub const LADDER_INFO: UnitInfo = UnitInfo {
    name: "ladder",
    doc: "4-pole Moog-style ladder low-pass (zero-delay feedback, saturating), stable at full resonance.",
    inputs: &[
        PortInfo::new("in", "signal"),
        PortInfo::new("cutoff", "cutoff in Hz (overrides the param)"),
    ],
    outputs: &[PortInfo::new("out", "low-pass")],
    params: &[
        ParamInfo::new("cutoff", 10.0, 22_000.0, 1000.0, "Hz", "cutoff frequency"),
        ParamInfo::new("resonance", 0.0, 1.0, 0.2, "", "feedback (1 = self-oscillation)"),
    ],
};

/// Ladder filter unit.
#[derive(Debug, Clone)]
pub struct Ladder {
    core: LadderCore,
    params: Params<2>,
    sr: f32,
}

impl Ladder {
    /// Static description.
    pub const INFO: UnitInfo = LADDER_INFO;
    /// A ladder at the default parameters.
    pub fn new() -> Self {
        Self {
            core: LadderCore::default(),
            params: Params::new(LADDER_INFO.params),
            sr: 48_000.0,
        }
    }
}

impl Default for Ladder {
    fn default() -> Self {
        Self::new()
    }
}

impl Unit for Ladder {
    crate::unit::param_accessors!();
    fn prepare(&mut self, sample_rate: f32, _max_block: usize) {
        self.sr = sample_rate;
        self.reset();
    }
    fn reset(&mut self) {
        self.core.reset();
    }
    fn process(&mut self, _ctx: &ProcessContext, inputs: &[&[f32]], outputs: &mut [&mut [f32]]) {
        let n = frames(outputs);
        let x = input(inputs, 0, n);
        let cut = input(inputs, 1, n);
        let (c0, r) = (self.params.get(0), self.params.get(1));
        self.core.set(c0, r, self.sr);
        let Some(out) = outputs.first_mut() else {
            return;
        };
        // coefficients (a `tan`) only when the cutoff port's value changes
        let mut set_for = c0.to_bits();
        for (i, o) in out[..n].iter_mut().enumerate() {
            if let Some(c) = cut {
                if c[i].to_bits() != set_for {
                    self.core.set(c[i], r, self.sr);
                    set_for = c[i].to_bits();
                }
            }
            *o = self.core.tick(x.map_or(0.0, |x| x[i]));
        }
    }
}
