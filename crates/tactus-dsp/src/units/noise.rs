//! Noise generators: white, pink (Voss-McCartney rows) and brown (leaky integrated white),
//! all from a seeded deterministic generator.

use crate::rng::Rng;
use crate::unit::{frames, ParamInfo, Params, PortInfo, ProcessContext, Unit, UnitInfo};

/// Noise colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoiseColor {
    /// Flat spectrum, uniform in `[-1, 1)`.
    White,
    /// -3 dB/octave.
    Pink,
    /// -6 dB/octave (with a gentle leak below ~10 Hz so it never drifts).
    Brown,
}

const PINK_ROWS: usize = 12;

/// The per-sample noise core.
#[derive(Debug, Clone, Copy)]
pub struct NoiseCore {
    color: NoiseColor,
    seed: u32,
    rng: Rng,
    rows: [f32; PINK_ROWS],
    row_sum: f32,
    counter: u32,
    brown: f32,
    brown_leak: f32,
    brown_step: f32,
}

impl NoiseCore {
    /// A generator of colour `color` seeded with `seed`, for sample rate `sr`.
    pub fn new(color: NoiseColor, seed: u32, sr: f32) -> Self {
        let mut n = Self {
            color,
            seed,
            rng: Rng::new(seed),
            rows: [0.0; PINK_ROWS],
            row_sum: 0.0,
            counter: 0,
            brown: 0.0,
            brown_leak: 0.0,
            brown_step: 0.0,
        };
        n.set_sample_rate(sr);
        n.reset();
        n
    }
    /// Adapts the brown-noise leak to the sample rate.
    pub fn set_sample_rate(&mut self, sr: f32) {
        self.brown_leak = (-std::f32::consts::TAU * 10.0 / sr).exp();
        // keep the output level independent of the sample rate
        self.brown_step = 0.09 * (44_100.0 / sr).sqrt();
    }
    /// Restarts the sequence from the seed.
    pub fn reset(&mut self) {
        self.rng = Rng::new(self.seed);
        self.row_sum = 0.0;
        for r in self.rows.iter_mut() {
            *r = self.rng.next_bipolar();
            self.row_sum += *r;
        }
        self.counter = 0;
        self.brown = 0.0;
    }
    /// One sample.
    #[inline]
    pub fn tick(&mut self) -> f32 {
        match self.color {
            NoiseColor::White => self.rng.next_bipolar(),
            NoiseColor::Pink => {
                // Each row is refreshed half as often as the previous one: row k changes when
                // the counter's lowest set bit is k, giving a 1/f spectrum in octave steps.
                self.counter = self.counter.wrapping_add(1);
                let k = self.counter.trailing_zeros() as usize;
                if k < PINK_ROWS {
                    let v = self.rng.next_bipolar();
                    self.row_sum += v - self.rows[k];
                    self.rows[k] = v;
                }
                (self.row_sum + self.rng.next_bipolar()) * 0.2
            }
            NoiseColor::Brown => {
                let w = self.rng.next_bipolar();
                self.brown = self.brown * self.brown_leak + w * self.brown_step;
                (self.brown * 1.5).clamp(-1.0, 1.0)
            }
        }
    }
}

const NOISE_PARAMS: &[ParamInfo] = &[ParamInfo::new(
    "seed",
    0.0,
    16_777_215.0,
    0.0,
    "",
    "seed of the random sequence",
)];
const NOISE_OUT: &[PortInfo] = &[PortInfo::new("out", "noise, roughly in [-1, 1]")];

/// Description of white noise.
pub const WHITE_INFO: UnitInfo = UnitInfo {
    name: "white",
    doc: "White noise, uniform in [-1, 1), deterministic from its seed.",
    inputs: &[],
    outputs: NOISE_OUT,
    params: NOISE_PARAMS,
};
/// Description of pink noise.
pub const PINK_INFO: UnitInfo = UnitInfo {
    name: "pink",
    doc: "Pink noise (-3 dB/octave), Voss-McCartney rows, deterministic from its seed.",
    inputs: &[],
    outputs: NOISE_OUT,
    params: NOISE_PARAMS,
};
/// Description of brown noise.
pub const BROWN_INFO: UnitInfo = UnitInfo {
    name: "brown",
    doc: "Brown noise (-6 dB/octave), leaky-integrated white, deterministic from its seed.",
    inputs: &[],
    outputs: NOISE_OUT,
    params: NOISE_PARAMS,
};

/// Noise unit.
#[derive(Debug, Clone)]
pub struct Noise {
    core: NoiseCore,
    params: Params<1>,
    sr: f32,
    info: &'static UnitInfo,
}

impl Noise {
    /// A noise unit of colour `color`.
    pub fn new(color: NoiseColor) -> Self {
        let info = match color {
            NoiseColor::White => &WHITE_INFO,
            NoiseColor::Pink => &PINK_INFO,
            NoiseColor::Brown => &BROWN_INFO,
        };
        Self {
            core: NoiseCore::new(color, 0, 48_000.0),
            params: Params::new(NOISE_PARAMS),
            sr: 48_000.0,
            info,
        }
    }
}

impl Unit for Noise {
    fn info(&self) -> &'static UnitInfo {
        self.info
    }
    fn set_param(&mut self, index: usize, value: f32) {
        self.params.set(index, value);
    }
    fn get_param(&self, index: usize) -> f32 {
        self.params.get(index)
    }
    fn prepare(&mut self, sample_rate: f32, _max_block: usize) {
        self.sr = sample_rate;
        self.reset();
    }
    fn reset(&mut self) {
        self.core = NoiseCore::new(self.core.color, self.params.get(0) as u32, self.sr);
    }
    fn process(&mut self, _ctx: &ProcessContext, _inputs: &[&[f32]], outputs: &mut [&mut [f32]]) {
        let n = frames(outputs);
        if let Some(out) = outputs.first_mut() {
            for o in out[..n].iter_mut() {
                *o = self.core.tick();
            }
        }
    }
}
