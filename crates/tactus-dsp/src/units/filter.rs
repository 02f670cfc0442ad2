//! Linear filters in topology-preserving-transform (TPT, Zavalishin) form: the 2-pole
//! state-variable filter with LP/HP/BP/notch outputs and the one-pole LP/HP.
//!
//! TPT filters are the bilinear transform of their analog prototypes with the cutoff
//! prewarped, so their magnitude response at frequency `f` is the analog one at
//! `w = tan(pi f / sr) / tan(pi fc / sr)`; for the SVF low-pass `|H| = 1 / |1 - w^2 + j w / q|`.
//! They stay stable while the cutoff is modulated at audio rate.

use crate::math::tpt_g;
use crate::unit::{frames, input, ParamInfo, Params, PortInfo, ProcessContext, Unit, UnitInfo};

/// The outputs of one SVF step.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct SvfOut {
    /// Low-pass.
    pub lp: f32,
    /// Band-pass, normalised to unity gain at the centre frequency.
    pub bp: f32,
    /// High-pass.
    pub hp: f32,
}

impl SvfOut {
    /// Notch (band-reject) = input minus the normalised band-pass.
    #[inline]
    pub fn notch(&self) -> f32 {
        self.lp + self.hp
    }
}

/// The per-sample state-variable filter core.
#[derive(Debug, Clone, Copy, Default)]
pub struct SvfCore {
    ic1: f32,
    ic2: f32,
    a1: f32,
    a2: f32,
    a3: f32,
    k: f32,
}

impl SvfCore {
    /// A filter at 1 kHz, q = 0.707, 48 kHz.
    pub fn new() -> Self {
        let mut s = Self::default();
        s.set(1000.0, std::f32::consts::FRAC_1_SQRT_2, 48_000.0);
        s
    }
    /// Sets cutoff (Hz) and q (> 0) for sample rate `sr`.
    #[inline]
    pub fn set(&mut self, cutoff: f32, q: f32, sr: f32) {
        self.set_g(tpt_g(cutoff, sr), q);
    }
    /// Sets the prewarped gain `g` directly.
    #[inline]
    pub fn set_g(&mut self, g: f32, q: f32) {
        let k = 1.0 / q.clamp(0.05, 500.0);
        self.k = k;
        self.a1 = 1.0 / (1.0 + g * (g + k));
        self.a2 = g * self.a1;
        self.a3 = g * self.a2;
    }
    /// Clears the state.
    pub fn reset(&mut self) {
        self.ic1 = 0.0;
        self.ic2 = 0.0;
    }
    /// One sample.
    #[inline]
    pub fn tick(&mut self, x: f32) -> SvfOut {
        let v3 = x - self.ic2;
        let v1 = self.a1 * self.ic1 + self.a2 * v3;
        let v2 = self.ic2 + self.a2 * self.ic1 + self.a3 * v3;
        self.ic1 = 2.0 * v1 - self.ic1;
        self.ic2 = 2.0 * v2 - self.ic2;
        SvfOut {
            lp: v2,
            bp: self.k * v1,
            hp: x - self.k * v1 - v2,
        }
    }
}

/// Description of the state-variable filter.
pub const SVF_INFO: UnitInfo = UnitInfo {
    name: "svf",
    doc: "2-pole state-variable filter (TPT form) with simultaneous LP/HP/BP/notch outputs.",
    inputs: &[
        PortInfo::new("in", "signal"),
        PortInfo::new("cutoff", "cutoff in Hz (overrides the param)"),
        PortInfo::new("q", "quality (overrides the param)"),
    ],
    outputs: &[
        PortInfo::new("lp", "low-pass"),
        PortInfo::new("hp", "high-pass"),
        PortInfo::new("bp", "band-pass, unity gain at the centre"),
        PortInfo::new("notch", "band-reject"),
    ],
    params: &[
        ParamInfo::new(
            "cutoff",
            10.0,
            22_000.0,
            1000.0,
            "Hz",
            "cutoff / centre frequency",
        ),
        ParamInfo::new(
            "q",
            0.1,
            100.0,
            std::f32::consts::FRAC_1_SQRT_2,
            "",
            "quality",
        ),
    ],
};

/// State-variable filter unit. Any of its four outputs may be left out of `outputs`
/// (outputs are written in the order lp, hp, bp, notch).
#[derive(Debug, Clone)]
pub struct Svf {
    core: SvfCore,
    params: Params<2>,
    sr: f32,
}

impl Svf {
    /// Static description.
    pub const INFO: UnitInfo = SVF_INFO;
    /// A filter at the default parameters.
    pub fn new() -> Self {
        Self {
            core: SvfCore::new(),
            params: Params::new(SVF_INFO.params),
            sr: 48_000.0,
        }
    }
}

impl Default for Svf {
    fn default() -> Self {
        Self::new()
    }
}

impl Unit for Svf {
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
        let q = input(inputs, 2, n);
        let (c0, q0) = (self.params.get(0), self.params.get(1));
        let modulated = cut.is_some() || q.is_some();
        if !modulated {
            self.core.set(c0, q0, self.sr);
        }
        // the coefficients are a function of (cutoff, q) only: recompute them (a `tan`)
        // only when a port's value changes, which a held control (`ctl "cutoff"`) never does
        let mut set_for: Option<(u32, u32)> = None;
        for i in 0..n {
            if modulated {
                let c = cut.map_or(c0, |c| c[i]);
                let qq = q.map_or(q0, |q| q[i]);
                let key = Some((c.to_bits(), qq.to_bits()));
                if key != set_for {
                    self.core.set(c, qq, self.sr);
                    set_for = key;
                }
            }
            let o = self.core.tick(x.map_or(0.0, |x| x[i]));
            let vals = [o.lp, o.hp, o.bp, o.notch()];
            for (out, v) in outputs.iter_mut().zip(vals) {
                out[i] = v;
            }
        }
    }
}

/// The per-sample one-pole TPT filter core.
#[derive(Debug, Clone, Copy, Default)]
pub struct OnePoleCore {
    s: f32,
    g: f32,
}

impl OnePoleCore {
    /// Sets the cutoff.
    #[inline]
    pub fn set(&mut self, cutoff: f32, sr: f32) {
        let g = tpt_g(cutoff, sr);
        self.g = g / (1.0 + g);
    }
    /// Clears the state.
    pub fn reset(&mut self) {
        self.s = 0.0;
    }
    /// One sample; returns `(lp, hp)`.
    #[inline]
    pub fn tick(&mut self, x: f32) -> (f32, f32) {
        let v = (x - self.s) * self.g;
        let lp = v + self.s;
        self.s = lp + v;
        (lp, x - lp)
    }
}

/// Description of the one-pole filter.
pub const ONE_POLE_INFO: UnitInfo = UnitInfo {
    name: "onepole",
    doc: "1-pole (6 dB/octave) TPT filter with low-pass and high-pass outputs.",
    inputs: &[
        PortInfo::new("in", "signal"),
        PortInfo::new("cutoff", "cutoff in Hz (overrides the param)"),
    ],
    outputs: &[
        PortInfo::new("lp", "low-pass"),
        PortInfo::new("hp", "high-pass"),
    ],
    params: &[ParamInfo::new(
        "cutoff",
        1.0,
        22_000.0,
        1000.0,
        "Hz",
        "cutoff (-3 dB) frequency",
    )],
};

/// One-pole filter unit (outputs lp, hp).
#[derive(Debug, Clone)]
pub struct OnePole {
    core: OnePoleCore,
    params: Params<1>,
    sr: f32,
}

impl OnePole {
    /// Static description.
    pub const INFO: UnitInfo = ONE_POLE_INFO;
    /// A filter at 1 kHz.
    pub fn new() -> Self {
        Self {
            core: OnePoleCore::default(),
            params: Params::new(ONE_POLE_INFO.params),
            sr: 48_000.0,
        }
    }
}

impl Default for OnePole {
    fn default() -> Self {
        Self::new()
    }
}

impl Unit for OnePole {
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
        let c0 = self.params.get(0);
        self.core.set(c0, self.sr);
        // coefficient (a `tan`) only when the cutoff port's value changes
        let mut set_for = c0.to_bits();
        for i in 0..n {
            if let Some(c) = cut {
                if c[i].to_bits() != set_for {
                    self.core.set(c[i], self.sr);
                    set_for = c[i].to_bits();
                }
            }
            let (lp, hp) = self.core.tick(x.map_or(0.0, |x| x[i]));
            for (out, v) in outputs.iter_mut().zip([lp, hp]) {
                out[i] = v;
            }
        }
    }
}
