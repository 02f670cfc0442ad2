//! Dynamics: a feed-forward compressor with a soft knee, and a peak limiter.

use crate::math::{amp_to_db, db_to_amp, smoothing_coef};
use crate::unit::{frames, input, ParamInfo, Params, PortInfo, ProcessContext, Unit, UnitInfo};

/// Static gain curve of the compressor: gain reduction in dB (<= 0) for an input level in dB.
#[inline]
pub fn compressor_gain_db(level_db: f32, threshold_db: f32, ratio: f32, knee_db: f32) -> f32 {
    let over = level_db - threshold_db;
    let slope = 1.0 / ratio.max(1.0) - 1.0;
    if knee_db > 0.0 && over.abs() <= knee_db * 0.5 {
        let x = over + knee_db * 0.5;
        slope * x * x / (2.0 * knee_db)
    } else if over > 0.0 {
        slope * over
    } else {
        0.0
    }
}

/// The per-sample compressor core (peak detector, attack/release smoothing in dB).
#[derive(Debug, Clone, Copy, Default)]
pub struct CompressorCore {
    reduction_db: f32,
    att: f32,
    rel: f32,
}

impl CompressorCore {
    /// Sets the attack and release times.
    pub fn set_times(&mut self, attack: f32, release: f32, sr: f32) {
        self.att = smoothing_coef(attack, sr);
        self.rel = smoothing_coef(release, sr);
    }
    /// Clears the state.
    pub fn reset(&mut self) {
        self.reduction_db = 0.0;
    }
    /// Gain (linear) for a detector sample `level` (absolute value of the key signal).
    #[inline]
    pub fn gain(&mut self, level: f32, threshold_db: f32, ratio: f32, knee_db: f32) -> f32 {
        let target = compressor_gain_db(amp_to_db(level), threshold_db, ratio, knee_db);
        let c = if target < self.reduction_db {
            self.att
        } else {
            self.rel
        };
        self.reduction_db = target + (self.reduction_db - target) * c;
        db_to_amp(self.reduction_db)
    }
}

/// Description of the compressor.
pub const COMPRESSOR_INFO: UnitInfo = UnitInfo {
    name: "compressor",
    doc: "Feed-forward compressor with soft knee; optional sidechain input.",
    inputs: &[
        PortInfo::new("in", "signal"),
        PortInfo::new("key", "sidechain (defaults to `in`)"),
    ],
    outputs: &[PortInfo::new("out", "compressed signal")],
    params: &[
        ParamInfo::new(
            "threshold",
            -60.0,
            0.0,
            -18.0,
            "dB",
            "level where compression starts",
        ),
        ParamInfo::new(
            "ratio",
            1.0,
            50.0,
            4.0,
            "",
            "input dB per output dB above threshold",
        ),
        ParamInfo::new("attack", 0.0, 1.0, 0.005, "s", "attack time"),
        ParamInfo::new("release", 0.0, 5.0, 0.1, "s", "release time"),
        ParamInfo::new("knee", 0.0, 24.0, 6.0, "dB", "soft knee width"),
        ParamInfo::new("makeup", 0.0, 40.0, 0.0, "dB", "output gain"),
    ],
};

/// Compressor unit (mono).
#[derive(Debug, Clone)]
pub struct Compressor {
    core: CompressorCore,
    params: Params<6>,
    sr: f32,
}

impl Compressor {
    /// Static description.
    pub const INFO: UnitInfo = COMPRESSOR_INFO;
    /// A compressor at the default parameters.
    pub fn new() -> Self {
        Self {
            core: CompressorCore::default(),
            params: Params::new(COMPRESSOR_INFO.params),
            sr: 48_000.0,
        }
    }
}

impl Default for Compressor {
    fn default() -> Self {
        Self::new()
    }
}

impl Unit for Compressor {
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
        let key = input(inputs, 1, n).or(x);
        let p = self.params;
        self.core.set_times(p.get(2), p.get(3), self.sr);
        let makeup = db_to_amp(p.get(5));
        let Some(out) = outputs.first_mut() else {
            return;
        };
        for (i, o) in out[..n].iter_mut().enumerate() {
            let k = key.map_or(0.0, |k| k[i].abs());
            let g = self.core.gain(k, p.get(0), p.get(1), p.get(4));
            *o = x.map_or(0.0, |x| x[i]) * g * makeup;
        }
    }
}

/// The per-sample stereo-linked peak limiter core: instant attack, smooth release, so the
/// output never exceeds the threshold.
#[derive(Debug, Clone, Copy, Default)]
pub struct LimiterCore {
    env: f32,
    rel: f32,
}

impl LimiterCore {
    /// Sets the release time.
    pub fn set_release(&mut self, release: f32, sr: f32) {
        self.rel = smoothing_coef(release, sr);
    }
    /// Clears the state.
    pub fn reset(&mut self) {
        self.env = 0.0;
    }
    /// One stereo frame limited to `threshold` (linear).
    #[inline]
    pub fn tick(&mut self, l: f32, r: f32, threshold: f32) -> (f32, f32) {
        let peak = l.abs().max(r.abs());
        self.env = if peak > self.env {
            peak
        } else {
            peak + (self.env - peak) * self.rel
        };
        if self.env > threshold {
            let g = threshold / self.env;
            (l * g, r * g)
        } else {
            (l, r)
        }
    }
}

/// Description of the limiter.
pub const LIMITER_INFO: UnitInfo = UnitInfo {
    name: "limiter",
    doc: "Stereo-linked peak limiter: instant attack, smooth release; never exceeds the ceiling.",
    inputs: &[PortInfo::new("l", "left"), PortInfo::new("r", "right")],
    outputs: &[PortInfo::new("l", "left"), PortInfo::new("r", "right")],
    params: &[
        ParamInfo::new("ceiling", -40.0, 0.0, -1.0, "dB", "maximum output level"),
        ParamInfo::new("release", 0.001, 5.0, 0.15, "s", "release time"),
    ],
};

/// Limiter unit (stereo).
#[derive(Debug, Clone)]
pub struct Limiter {
    core: LimiterCore,
    params: Params<2>,
    sr: f32,
}

impl Limiter {
    /// Static description.
    pub const INFO: UnitInfo = LIMITER_INFO;
    /// A limiter at the default parameters.
    pub fn new() -> Self {
        Self {
            core: LimiterCore::default(),
            params: Params::new(LIMITER_INFO.params),
            sr: 48_000.0,
        }
    }
}

impl Default for Limiter {
    fn default() -> Self {
        Self::new()
    }
}

impl Unit for Limiter {
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
        let l = input(inputs, 0, n);
        let r = input(inputs, 1, n).or(l);
        self.core.set_release(self.params.get(1), self.sr);
        let ceiling = db_to_amp(self.params.get(0));
        for i in 0..n {
            let (yl, yr) =
                self.core
                    .tick(l.map_or(0.0, |x| x[i]), r.map_or(0.0, |x| x[i]), ceiling);
            for (o, v) in outputs.iter_mut().zip([yl, yr]) {
                o[i] = v;
            }
        }
    }
}
