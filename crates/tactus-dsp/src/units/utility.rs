//! Utilities: equal-power pan, gain, mix, sample-and-hold, slew limiter, DC blocker.

use crate::unit::{frames, input, ParamInfo, Params, PortInfo, ProcessContext, Unit, UnitInfo};
use std::f32::consts::FRAC_PI_4;

/// Equal-power pan gains `(left, right)` for `pan` in `[-1, 1]` (0 = centre, -3 dB each).
///
/// ```
/// let (l, r) = tactus_dsp::units::utility::pan_gains(0.0);
/// assert!((l - r).abs() < 1e-6 && (l * l + r * r - 1.0).abs() < 1e-6);
/// ```
#[inline]
pub fn pan_gains(pan: f32) -> (f32, f32) {
    let a = (pan.clamp(-1.0, 1.0) + 1.0) * FRAC_PI_4;
    (a.cos(), a.sin())
}

/// Description of the pan unit.
pub const PAN_INFO: UnitInfo = UnitInfo {
    name: "pan",
    doc: "Equal-power panner: mono in, stereo out.",
    inputs: &[
        PortInfo::new("in", "signal"),
        PortInfo::new("pan", "position (overrides the param)"),
    ],
    outputs: &[PortInfo::new("l", "left"), PortInfo::new("r", "right")],
    params: &[ParamInfo::new(
        "pan",
        -1.0,
        1.0,
        0.0,
        "",
        "-1 = left, 0 = centre, 1 = right",
    )],
};

/// Pan unit.
#[derive(Debug, Clone)]
pub struct Pan {
    params: Params<1>,
}

impl Pan {
    /// Static description.
    pub const INFO: UnitInfo = PAN_INFO;
    /// A centred panner.
    pub fn new() -> Self {
        Self {
            params: Params::new(PAN_INFO.params),
        }
    }
}

impl Default for Pan {
    fn default() -> Self {
        Self::new()
    }
}

impl Unit for Pan {
    crate::unit::param_accessors!();
    fn prepare(&mut self, _sample_rate: f32, _max_block: usize) {}
    fn reset(&mut self) {}
    fn process(&mut self, _ctx: &ProcessContext, inputs: &[&[f32]], outputs: &mut [&mut [f32]]) {
        let n = frames(outputs);
        let x = input(inputs, 0, n);
        let pan = input(inputs, 1, n);
        let g0 = pan_gains(self.params.get(0));
        for i in 0..n {
            let (gl, gr) = pan.map_or(g0, |p| pan_gains(p[i]));
            let v = x.map_or(0.0, |x| x[i]);
            for (o, g) in outputs.iter_mut().zip([gl, gr]) {
                o[i] = v * g;
            }
        }
    }
}

/// Description of the gain unit.
pub const GAIN_INFO: UnitInfo = UnitInfo {
    name: "gain",
    doc: "Multiplies the input by `gain` and by the `mod` input when connected.",
    inputs: &[
        PortInfo::new("in", "signal"),
        PortInfo::new("mod", "audio-rate multiplier"),
    ],
    outputs: &[PortInfo::new("out", "scaled signal")],
    params: &[ParamInfo::new("gain", -16.0, 16.0, 1.0, "", "linear gain")],
};

/// Gain unit.
#[derive(Debug, Clone)]
pub struct Gain {
    params: Params<1>,
}

impl Gain {
    /// Static description.
    pub const INFO: UnitInfo = GAIN_INFO;
    /// Unity gain.
    pub fn new() -> Self {
        Self {
            params: Params::new(GAIN_INFO.params),
        }
    }
}

impl Default for Gain {
    fn default() -> Self {
        Self::new()
    }
}

impl Unit for Gain {
    crate::unit::param_accessors!();
    fn prepare(&mut self, _sample_rate: f32, _max_block: usize) {}
    fn reset(&mut self) {}
    fn process(&mut self, _ctx: &ProcessContext, inputs: &[&[f32]], outputs: &mut [&mut [f32]]) {
        let n = frames(outputs);
        let x = input(inputs, 0, n);
        let m = input(inputs, 1, n);
        let g = self.params.get(0);
        if let Some(out) = outputs.first_mut() {
            for (i, o) in out[..n].iter_mut().enumerate() {
                *o = x.map_or(0.0, |x| x[i]) * g * m.map_or(1.0, |m| m[i]);
            }
        }
    }
}

/// Description of the mix unit.
pub const MIX_INFO: UnitInfo = UnitInfo {
    name: "mix",
    doc: "Sums up to four inputs, each with its own level.",
    inputs: &[
        PortInfo::new("a", "input a"),
        PortInfo::new("b", "input b"),
        PortInfo::new("c", "input c"),
        PortInfo::new("d", "input d"),
    ],
    outputs: &[PortInfo::new("out", "weighted sum")],
    params: &[
        ParamInfo::new("a", -16.0, 16.0, 1.0, "", "level of a"),
        ParamInfo::new("b", -16.0, 16.0, 1.0, "", "level of b"),
        ParamInfo::new("c", -16.0, 16.0, 1.0, "", "level of c"),
        ParamInfo::new("d", -16.0, 16.0, 1.0, "", "level of d"),
    ],
};

/// Mix unit.
#[derive(Debug, Clone)]
pub struct Mix {
    params: Params<4>,
}

impl Mix {
    /// Static description.
    pub const INFO: UnitInfo = MIX_INFO;
    /// All levels at 1.
    pub fn new() -> Self {
        Self {
            params: Params::new(MIX_INFO.params),
        }
    }
}

impl Default for Mix {
    fn default() -> Self {
        Self::new()
    }
}

impl Unit for Mix {
    crate::unit::param_accessors!();
    fn prepare(&mut self, _sample_rate: f32, _max_block: usize) {}
    fn reset(&mut self) {}
    fn process(&mut self, _ctx: &ProcessContext, inputs: &[&[f32]], outputs: &mut [&mut [f32]]) {
        let n = frames(outputs);
        let Some(out) = outputs.first_mut() else {
            return;
        };
        out[..n].iter_mut().for_each(|o| *o = 0.0);
        for k in 0..4 {
            if let Some(x) = input(inputs, k, n) {
                let g = self.params.get(k);
                for (o, v) in out[..n].iter_mut().zip(x) {
                    *o += v * g;
                }
            }
        }
    }
}

/// Description of the sample-and-hold unit.
pub const SAMPLE_HOLD_INFO: UnitInfo = UnitInfo {
    name: "samplehold",
    doc: "Samples `in` on each rising edge of `trig` (crossing 0.5) and holds it.",
    inputs: &[
        PortInfo::new("in", "signal"),
        PortInfo::new("trig", "trigger"),
    ],
    outputs: &[PortInfo::new("out", "held value")],
    params: &[],
};

/// Sample-and-hold unit.
#[derive(Debug, Clone, Default)]
pub struct SampleHold {
    held: f32,
    trig: bool,
    params: Params<0>,
}

impl SampleHold {
    /// Static description.
    pub const INFO: UnitInfo = SAMPLE_HOLD_INFO;
    /// Holding 0.
    pub fn new() -> Self {
        Self {
            held: 0.0,
            trig: false,
            params: Params::new(&[]),
        }
    }
}

impl Unit for SampleHold {
    crate::unit::param_accessors!();
    fn prepare(&mut self, _sample_rate: f32, _max_block: usize) {
        self.reset();
    }
    fn reset(&mut self) {
        self.held = 0.0;
        self.trig = false;
    }
    fn process(&mut self, _ctx: &ProcessContext, inputs: &[&[f32]], outputs: &mut [&mut [f32]]) {
        let n = frames(outputs);
        let x = input(inputs, 0, n);
        let t = input(inputs, 1, n);
        let Some(out) = outputs.first_mut() else {
            return;
        };
        for (i, o) in out[..n].iter_mut().enumerate() {
            let trig = t.is_some_and(|t| t[i] > 0.5);
            if trig && !self.trig {
                self.held = x.map_or(0.0, |x| x[i]);
            }
            self.trig = trig;
            *o = self.held;
        }
    }
}

/// The slew limiter core: moves towards the input by at most `rise`/`fall` per sample.
#[derive(Debug, Clone, Copy, Default)]
pub struct SlewCore {
    y: f32,
    started: bool,
}

impl SlewCore {
    /// Clears the state (the next input is taken as is).
    pub fn reset(&mut self) {
        *self = Self::default();
    }
    /// One sample with maximum steps `up` and `down` (>= 0) per sample.
    #[inline]
    pub fn tick(&mut self, x: f32, up: f32, down: f32) -> f32 {
        if !self.started {
            self.started = true;
            self.y = x;
        } else {
            self.y += (x - self.y).clamp(-down, up);
        }
        self.y
    }
}

/// Description of the slew unit.
pub const SLEW_INFO: UnitInfo = UnitInfo {
    name: "slew",
    doc: "Slew-rate limiter: the output moves towards the input at most `rise`/`fall` units per second.",
    inputs: &[PortInfo::new("in", "signal")],
    outputs: &[PortInfo::new("out", "slewed signal")],
    params: &[
        ParamInfo::new("rise", 0.0, 1e7, 100.0, "1/s", "largest upward change per second"),
        ParamInfo::new("fall", 0.0, 1e7, 100.0, "1/s", "largest downward change per second"),
    ],
};

/// Slew limiter unit.
#[derive(Debug, Clone)]
pub struct Slew {
    core: SlewCore,
    params: Params<2>,
    sr: f32,
}

impl Slew {
    /// Static description.
    pub const INFO: UnitInfo = SLEW_INFO;
    /// A slew limiter at the default rates.
    pub fn new() -> Self {
        Self {
            core: SlewCore::default(),
            params: Params::new(SLEW_INFO.params),
            sr: 48_000.0,
        }
    }
}

impl Default for Slew {
    fn default() -> Self {
        Self::new()
    }
}

impl Unit for Slew {
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
        let up = self.params.get(0) / self.sr;
        let down = self.params.get(1) / self.sr;
        if let Some(out) = outputs.first_mut() {
            for (i, o) in out[..n].iter_mut().enumerate() {
                *o = self.core.tick(x.map_or(0.0, |x| x[i]), up, down);
            }
        }
    }
}

/// The DC blocker core: `y[n] = x[n] - x[n-1] + R y[n-1]` with the pole set for a ~10 Hz
/// corner.
#[derive(Debug, Clone, Copy, Default)]
pub struct DcBlockerCore {
    x1: f32,
    y1: f32,
    r: f32,
}

impl DcBlockerCore {
    /// Sets the corner frequency for `sr`.
    pub fn set(&mut self, corner_hz: f32, sr: f32) {
        self.r = (-std::f32::consts::TAU * corner_hz / sr).exp();
    }
    /// Clears the state.
    pub fn reset(&mut self) {
        self.x1 = 0.0;
        self.y1 = 0.0;
    }
    /// One sample.
    #[inline]
    pub fn tick(&mut self, x: f32) -> f32 {
        let y = x - self.x1 + self.r * self.y1;
        self.x1 = x;
        self.y1 = y;
        y
    }
}

/// Description of the DC blocker.
pub const DC_BLOCKER_INFO: UnitInfo = UnitInfo {
    name: "dcblock",
    doc: "Removes DC with a first-order high-pass (~10 Hz).",
    inputs: &[PortInfo::new("in", "signal")],
    outputs: &[PortInfo::new("out", "signal without DC")],
    params: &[ParamInfo::new(
        "corner",
        1.0,
        200.0,
        10.0,
        "Hz",
        "corner frequency",
    )],
};

/// DC blocker unit.
#[derive(Debug, Clone)]
pub struct DcBlocker {
    core: DcBlockerCore,
    params: Params<1>,
    sr: f32,
}

impl DcBlocker {
    /// Static description.
    pub const INFO: UnitInfo = DC_BLOCKER_INFO;
    /// A 10 Hz DC blocker.
    pub fn new() -> Self {
        Self {
            core: DcBlockerCore::default(),
            params: Params::new(DC_BLOCKER_INFO.params),
            sr: 48_000.0,
        }
    }
}

impl Default for DcBlocker {
    fn default() -> Self {
        Self::new()
    }
}

impl Unit for DcBlocker {
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
        self.core.set(self.params.get(0), self.sr);
        if let Some(out) = outputs.first_mut() {
            for (i, o) in out[..n].iter_mut().enumerate() {
                *o = self.core.tick(x.map_or(0.0, |x| x[i]));
            }
        }
    }
}
