//! Envelopes: ADSR with a gate, attack-hold-release (one shot) and a line segment.
//!
//! Segments run for an exact number of samples and follow a curve:
//! `curve = 0` is linear, negative curves start fast and end slow (natural decays),
//! positive ones the opposite (`(1 - e^(c x)) / (1 - e^c)`, as in SuperCollider's `Env`).

use crate::unit::{frames, input, ParamInfo, Params, PortInfo, ProcessContext, Unit, UnitInfo};

/// Curve used for decays and releases.
pub const DECAY_CURVE: f32 = -4.0;

/// Shapes `x` in `[0,1]` with `curve` (0 = linear).
#[inline]
pub fn curve_shape(x: f32, curve: f32) -> f32 {
    if curve.abs() < 1e-3 {
        x
    } else {
        (1.0 - (curve * x).exp()) / (1.0 - curve.exp())
    }
}

/// A running segment from `start` to `end` over `len` samples.
#[derive(Debug, Clone, Copy, Default)]
struct Segment {
    start: f32,
    end: f32,
    pos: u32,
    len: u32,
    curve: f32,
}

impl Segment {
    fn new(start: f32, end: f32, len: u32, curve: f32) -> Self {
        Self {
            start,
            end,
            pos: 0,
            len,
            curve,
        }
    }
    /// Current value, then advance. Returns `(value, finished)`.
    #[inline]
    fn tick(&mut self) -> (f32, bool) {
        if self.pos >= self.len {
            return (self.end, true);
        }
        let x = self.pos as f32 / self.len as f32;
        self.pos += 1;
        (
            self.start + (self.end - self.start) * curve_shape(x, self.curve),
            false,
        )
    }
}

#[inline]
fn secs_to_frames(s: f32, sr: f32) -> u32 {
    (s.max(0.0) * sr).min(u32::MAX as f32 / 2.0) as u32
}

/// ADSR stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AdsrStage {
    /// Silent, waiting for a gate.
    #[default]
    Idle,
    /// Rising to 1.
    Attack,
    /// Falling to the sustain level.
    Decay,
    /// Holding the sustain level while the gate is on.
    Sustain,
    /// Falling to 0 after the gate closed.
    Release,
}

/// The per-sample ADSR core. Times in seconds, sustain as a level in `[0,1]`.
#[derive(Debug, Clone, Copy, Default)]
pub struct AdsrCore {
    /// Current stage.
    pub stage: AdsrStage,
    level: f32,
    seg: Segment,
    attack: u32,
    decay: u32,
    sustain: f32,
    release: u32,
}

impl AdsrCore {
    /// Sets the times (seconds) and sustain level for sample rate `sr`; applies to the next
    /// stage that starts.
    pub fn set(&mut self, attack: f32, decay: f32, sustain: f32, release: f32, sr: f32) {
        self.attack = secs_to_frames(attack, sr);
        self.decay = secs_to_frames(decay, sr);
        self.sustain = sustain.clamp(0.0, 1.0);
        self.release = secs_to_frames(release, sr);
    }
    /// Back to idle at 0.
    pub fn reset(&mut self) {
        self.stage = AdsrStage::Idle;
        self.level = 0.0;
        self.seg = Segment::default();
    }
    /// Opens the gate: attack from the current level.
    pub fn gate_on(&mut self) {
        self.stage = AdsrStage::Attack;
        self.seg = Segment::new(self.level, 1.0, self.attack, 0.0);
    }
    /// Closes the gate: release from the current level.
    pub fn gate_off(&mut self) {
        if self.stage != AdsrStage::Idle {
            self.stage = AdsrStage::Release;
            self.seg = Segment::new(self.level, 0.0, self.release, DECAY_CURVE);
        }
    }
    /// True when idle (the release finished).
    pub fn is_idle(&self) -> bool {
        self.stage == AdsrStage::Idle
    }
    /// One sample.
    #[inline]
    pub fn tick(&mut self) -> f32 {
        loop {
            match self.stage {
                AdsrStage::Idle => {
                    self.level = 0.0;
                    return 0.0;
                }
                AdsrStage::Sustain => {
                    self.level = self.sustain;
                    return self.level;
                }
                _ => {
                    let (v, done) = self.seg.tick();
                    if done {
                        self.stage = match self.stage {
                            AdsrStage::Attack => {
                                self.seg = Segment::new(1.0, self.sustain, self.decay, DECAY_CURVE);
                                AdsrStage::Decay
                            }
                            AdsrStage::Decay => AdsrStage::Sustain,
                            _ => AdsrStage::Idle,
                        };
                        continue;
                    }
                    self.level = v;
                    return v;
                }
            }
        }
    }
}

/// Description of the ADSR unit.
pub const ADSR_INFO: UnitInfo = UnitInfo {
    name: "adsr",
    doc: "Attack-decay-sustain-release envelope driven by a gate (> 0.5 = on).",
    inputs: &[PortInfo::new("gate", "gate signal (overrides the param)")],
    outputs: &[PortInfo::new("out", "envelope in [0, 1]")],
    params: &[
        ParamInfo::new("attack", 0.0, 60.0, 0.01, "s", "attack time (linear)"),
        ParamInfo::new("decay", 0.0, 60.0, 0.1, "s", "decay time"),
        ParamInfo::new("sustain", 0.0, 1.0, 0.7, "", "sustain level"),
        ParamInfo::new("release", 0.0, 60.0, 0.2, "s", "release time"),
        ParamInfo::new("gate", 0.0, 1.0, 0.0, "", "gate when no input is connected"),
    ],
};

/// ADSR unit.
#[derive(Debug, Clone)]
pub struct Adsr {
    core: AdsrCore,
    gate: bool,
    params: Params<5>,
    sr: f32,
}

impl Adsr {
    /// Static description.
    pub const INFO: UnitInfo = ADSR_INFO;
    /// An ADSR at the default parameters.
    pub fn new() -> Self {
        Self {
            core: AdsrCore::default(),
            gate: false,
            params: Params::new(ADSR_INFO.params),
            sr: 48_000.0,
        }
    }
}

impl Default for Adsr {
    fn default() -> Self {
        Self::new()
    }
}

impl Unit for Adsr {
    crate::unit::param_accessors!();
    fn prepare(&mut self, sample_rate: f32, _max_block: usize) {
        self.sr = sample_rate;
        self.reset();
    }
    fn reset(&mut self) {
        self.core.reset();
        self.gate = false;
    }
    fn process(&mut self, _ctx: &ProcessContext, inputs: &[&[f32]], outputs: &mut [&mut [f32]]) {
        let n = frames(outputs);
        let p = &self.params;
        self.core
            .set(p.get(0), p.get(1), p.get(2), p.get(3), self.sr);
        let gate_in = input(inputs, 0, n);
        let gate_param = p.get(4) > 0.5;
        let Some(out) = outputs.first_mut() else {
            return;
        };
        for (i, o) in out[..n].iter_mut().enumerate() {
            let g = gate_in.map_or(gate_param, |g| g[i] > 0.5);
            if g != self.gate {
                self.gate = g;
                if g {
                    self.core.gate_on();
                } else {
                    self.core.gate_off();
                }
            }
            *o = self.core.tick();
        }
    }
}

/// The per-sample attack-hold-release core: a one-shot envelope rising linearly to 1,
/// holding, then falling with [`DECAY_CURVE`].
#[derive(Debug, Clone, Copy, Default)]
pub struct AhrCore {
    stage: u8,
    seg: Segment,
    level: f32,
    hold: u32,
    release: u32,
    release_curve: f32,
}

impl AhrCore {
    /// Starts the envelope with the given times in seconds.
    pub fn trigger(&mut self, attack: f32, hold: f32, release: f32, sr: f32) {
        self.trigger_curved(attack, hold, release, DECAY_CURVE, sr);
    }
    /// Starts the envelope with a custom release curve.
    pub fn trigger_curved(&mut self, attack: f32, hold: f32, release: f32, curve: f32, sr: f32) {
        self.stage = 1;
        self.seg = Segment::new(0.0, 1.0, secs_to_frames(attack, sr), 0.0);
        self.hold = secs_to_frames(hold, sr);
        self.release = secs_to_frames(release, sr).max(1);
        self.release_curve = curve;
        self.level = 0.0;
    }
    /// Jumps to the release stage now, lasting `seconds` (used for fast fades).
    pub fn release_now(&mut self, seconds: f32, sr: f32) {
        if self.stage != 0 {
            self.stage = 3;
            self.seg = Segment::new(self.level, 0.0, secs_to_frames(seconds, sr).max(1), 0.0);
        }
    }
    /// True once the release finished (or before any trigger).
    pub fn is_done(&self) -> bool {
        self.stage == 0
    }
    /// True while in the release stage.
    pub fn is_releasing(&self) -> bool {
        self.stage == 3
    }
    /// Idle at 0.
    pub fn reset(&mut self) {
        *self = Self::default();
    }
    /// One sample.
    #[inline]
    pub fn tick(&mut self) -> f32 {
        loop {
            if self.stage == 0 {
                self.level = 0.0;
                return 0.0;
            }
            let (v, done) = self.seg.tick();
            if done {
                match self.stage {
                    1 => {
                        self.stage = 2;
                        self.seg = Segment::new(1.0, 1.0, self.hold, 0.0);
                    }
                    2 => {
                        self.stage = 3;
                        self.seg = Segment::new(1.0, 0.0, self.release, self.release_curve);
                    }
                    _ => self.stage = 0,
                }
                continue;
            }
            self.level = v;
            return v;
        }
    }
}

/// Description of the attack-hold-release unit.
pub const AHR_INFO: UnitInfo = UnitInfo {
    name: "ahr",
    doc: "One-shot attack-hold-release envelope, triggered on reset and on each rising trigger.",
    inputs: &[PortInfo::new(
        "trig",
        "retriggers on a rising edge above 0.5",
    )],
    outputs: &[PortInfo::new("out", "envelope in [0, 1]")],
    params: &[
        ParamInfo::new("attack", 0.0, 60.0, 0.005, "s", "attack time (linear)"),
        ParamInfo::new("hold", 0.0, 600.0, 0.1, "s", "hold time at full level"),
        ParamInfo::new("release", 0.0, 60.0, 0.3, "s", "release time"),
    ],
};

/// Attack-hold-release unit; fires once after `reset`.
#[derive(Debug, Clone)]
pub struct Ahr {
    core: AhrCore,
    armed: bool,
    trig: bool,
    params: Params<3>,
    sr: f32,
}

impl Ahr {
    /// Static description.
    pub const INFO: UnitInfo = AHR_INFO;
    /// An AHR at the default parameters.
    pub fn new() -> Self {
        Self {
            core: AhrCore::default(),
            armed: true,
            trig: false,
            params: Params::new(AHR_INFO.params),
            sr: 48_000.0,
        }
    }
    fn fire(&mut self) {
        let p = &self.params;
        self.core.trigger(p.get(0), p.get(1), p.get(2), self.sr);
    }
}

impl Default for Ahr {
    fn default() -> Self {
        Self::new()
    }
}

impl Unit for Ahr {
    crate::unit::param_accessors!();
    fn prepare(&mut self, sample_rate: f32, _max_block: usize) {
        self.sr = sample_rate;
        self.reset();
    }
    fn reset(&mut self) {
        self.core.reset();
        self.armed = true;
        self.trig = false;
    }
    fn process(&mut self, _ctx: &ProcessContext, inputs: &[&[f32]], outputs: &mut [&mut [f32]]) {
        let n = frames(outputs);
        if self.armed {
            self.armed = false;
            self.fire();
        }
        let trig = input(inputs, 0, n);
        for i in 0..n {
            if let Some(t) = trig {
                let t = t[i] > 0.5;
                if t && !self.trig {
                    self.fire();
                }
                self.trig = t;
            }
            let v = self.core.tick();
            if let Some(o) = outputs.first_mut() {
                o[i] = v;
            }
        }
    }
}

/// Description of the line unit.
pub const LINE_INFO: UnitInfo = UnitInfo {
    name: "line",
    doc: "A segment from `start` to `end` over `time` seconds (after reset), then holds `end`.",
    inputs: &[],
    outputs: &[PortInfo::new("out", "segment value")],
    params: &[
        ParamInfo::new("start", -1e6, 1e6, 1.0, "", "start value"),
        ParamInfo::new("end", -1e6, 1e6, 0.0, "", "end value"),
        ParamInfo::new("time", 0.0, 3600.0, 1.0, "s", "duration"),
        ParamInfo::new("curve", -20.0, 20.0, 0.0, "", "0 = linear, < 0 fast start"),
    ],
};

/// Line unit.
#[derive(Debug, Clone)]
pub struct Line {
    seg: Segment,
    started: bool,
    params: Params<4>,
    sr: f32,
}

impl Line {
    /// Static description.
    pub const INFO: UnitInfo = LINE_INFO;
    /// A line at the default parameters.
    pub fn new() -> Self {
        Self {
            seg: Segment::default(),
            started: false,
            params: Params::new(LINE_INFO.params),
            sr: 48_000.0,
        }
    }
}

impl Default for Line {
    fn default() -> Self {
        Self::new()
    }
}

impl Unit for Line {
    crate::unit::param_accessors!();
    fn prepare(&mut self, sample_rate: f32, _max_block: usize) {
        self.sr = sample_rate;
        self.reset();
    }
    fn reset(&mut self) {
        self.started = false;
    }
    fn process(&mut self, _ctx: &ProcessContext, _inputs: &[&[f32]], outputs: &mut [&mut [f32]]) {
        let n = frames(outputs);
        if !self.started {
            self.started = true;
            let p = &self.params;
            self.seg = Segment::new(
                p.get(0),
                p.get(1),
                secs_to_frames(p.get(2), self.sr),
                p.get(3),
            );
        }
        if let Some(out) = outputs.first_mut() {
            for o in out[..n].iter_mut() {
                *o = self.seg.tick().0;
            }
        }
    }
}
