//! Stereo chorus: three delay taps swept by sine LFOs 120 degrees apart.

use crate::unit::{frames, input, ParamInfo, Params, PortInfo, ProcessContext, Unit, UnitInfo};
use crate::units::delay::DelayLine;
use std::f32::consts::TAU;

const BASE_MS: f32 = 12.0;
const MAX_MS: f32 = 40.0;

/// The chorus core.
#[derive(Debug, Clone, Default)]
pub struct ChorusCore {
    line: DelayLine,
    phase: f32,
    sr: f32,
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
        self.phase = 0.0;
    }
    /// One sample in, wet `(left, right)` out. `rate` in Hz, `depth` in `[0,1]` (±10 ms).
    #[inline]
    pub fn tick(&mut self, x: f32, rate: f32, depth: f32) -> (f32, f32) {
        self.line.write(x);
        let ms_to_samples = 0.001 * self.sr;
        let mut taps = [0.0f32; 3];
        for (k, t) in taps.iter_mut().enumerate() {
            let ph = self.phase + k as f32 / 3.0;
            let ms = BASE_MS + 10.0 * depth.clamp(0.0, 1.0) * (TAU * ph).sin();
            *t = self.line.read(ms * ms_to_samples);
        }
        self.phase += rate / self.sr;
        self.phase -= self.phase.floor();
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
