//! Waveshaping and lo-fi effects with SuperDirt's curves: `shape`, `crush`, `coarse`.

use crate::unit::{frames, input, ParamInfo, Params, PortInfo, ProcessContext, Unit, UnitInfo};

/// SuperDirt's `shape` curve for amount `s` in `[0, 1)`:
/// `k = 2s / (1 - s)`, `y = (1 + k) x / (1 + k |x|)`, scaled by `1 - 0.15 s / (s + 2)`.
///
/// ```
/// use tactus_dsp::units::distortion::shape;
/// assert_eq!(shape(0.5, 0.0), 0.5);
/// assert!(shape(0.2, 0.9) > 0.6);
/// ```
#[inline]
pub fn shape(x: f32, amount: f32) -> f32 {
    let s = amount.clamp(0.0, 0.999);
    let k = 2.0 * s / (1.0 - s);
    let level = 1.0 - 0.15 * s / (s + 2.0);
    (1.0 + k) * x / (1.0 + k * x.abs()) * level
}

/// SuperDirt's `crush`: rounds to steps of `0.5^(bits - 1)`; `bits <= 0` passes through.
#[inline]
pub fn crush(x: f32, bits: f32) -> f32 {
    if bits <= 0.0 {
        return x;
    }
    let step = 0.5f32.powf(bits.min(24.0) - 1.0);
    (x / step).round() * step
}

/// The `coarse` core: holds every input for `factor` samples (fractional factors allowed).
#[derive(Debug, Clone, Copy)]
pub struct CoarseCore {
    phase: f32,
    held: f32,
}

impl Default for CoarseCore {
    fn default() -> Self {
        Self {
            phase: 1.0,
            held: 0.0,
        }
    }
}

impl CoarseCore {
    /// Back to "latch the next sample".
    pub fn reset(&mut self) {
        *self = Self::default();
    }
    /// One sample; `factor <= 1` passes through.
    #[inline]
    pub fn tick(&mut self, x: f32, factor: f32) -> f32 {
        if factor <= 1.0 {
            self.phase = 1.0;
            return x;
        }
        if self.phase >= 1.0 {
            self.phase -= 1.0;
            self.held = x;
        }
        self.phase += 1.0 / factor;
        self.held
    }
}

/// Description of the shape unit.
pub const SHAPE_INFO: UnitInfo = UnitInfo {
    name: "shape",
    doc: "Waveshaping distortion with SuperDirt's `shape` curve.",
    inputs: &[PortInfo::new("in", "signal")],
    outputs: &[PortInfo::new("out", "shaped signal")],
    params: &[ParamInfo::new(
        "amount",
        0.0,
        0.999,
        0.0,
        "",
        "0 = clean, towards 1 = hard",
    )],
};

/// Description of the crush unit.
pub const CRUSH_INFO: UnitInfo = UnitInfo {
    name: "crush",
    doc: "Bit-depth reduction (SuperDirt `crush`): fewer bits = coarser steps.",
    inputs: &[PortInfo::new("in", "signal")],
    outputs: &[PortInfo::new("out", "quantised signal")],
    params: &[ParamInfo::new(
        "bits",
        0.0,
        24.0,
        0.0,
        "bits",
        "0 = off, 1..16 typical",
    )],
};

/// Description of the coarse unit.
pub const COARSE_INFO: UnitInfo = UnitInfo {
    name: "coarse",
    doc: "Sample-rate reduction (SuperDirt `coarse`): holds each sample `factor` times.",
    inputs: &[PortInfo::new("in", "signal")],
    outputs: &[PortInfo::new("out", "decimated signal")],
    params: &[ParamInfo::new("factor", 1.0, 256.0, 1.0, "", "1 = off")],
};

/// Which lo-fi effect a [`Lofi`] unit applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LofiKind {
    /// [`shape`].
    Shape,
    /// [`crush`].
    Crush,
    /// [`CoarseCore`].
    Coarse,
}

/// A shape, crush or coarse unit.
#[derive(Debug, Clone)]
pub struct Lofi {
    kind: LofiKind,
    coarse: CoarseCore,
    params: Params<1>,
    info: &'static UnitInfo,
}

impl Lofi {
    /// A unit of kind `kind`.
    pub fn new(kind: LofiKind) -> Self {
        let info = match kind {
            LofiKind::Shape => &SHAPE_INFO,
            LofiKind::Crush => &CRUSH_INFO,
            LofiKind::Coarse => &COARSE_INFO,
        };
        Self {
            kind,
            coarse: CoarseCore::default(),
            params: Params::new(info.params),
            info,
        }
    }
}

impl Unit for Lofi {
    fn info(&self) -> &'static UnitInfo {
        self.info
    }
    fn set_param(&mut self, index: usize, value: f32) {
        self.params.set(index, value);
    }
    fn get_param(&self, index: usize) -> f32 {
        self.params.get(index)
    }
    fn prepare(&mut self, _sample_rate: f32, _max_block: usize) {
        self.reset();
    }
    fn reset(&mut self) {
        self.coarse.reset();
    }
    fn process(&mut self, _ctx: &ProcessContext, inputs: &[&[f32]], outputs: &mut [&mut [f32]]) {
        let n = frames(outputs);
        let x = input(inputs, 0, n);
        let a = self.params.get(0);
        let Some(out) = outputs.first_mut() else {
            return;
        };
        for (i, o) in out[..n].iter_mut().enumerate() {
            let v = x.map_or(0.0, |x| x[i]);
            *o = match self.kind {
                LofiKind::Shape => shape(v, a),
                LofiKind::Crush => crush(v, a),
                LofiKind::Coarse => self.coarse.tick(v, a),
            };
        }
    }
}
