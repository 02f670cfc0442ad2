//! Delay lines and the feedback delay effect (with damping in the feedback path).

use crate::math::{hermite, smoothing_coef};
use crate::unit::{frames, input, ParamInfo, Params, PortInfo, ProcessContext, Unit, UnitInfo};
use crate::units::filter::OnePoleCore;

/// A circular buffer with fractional reads. Allocated once by [`DelayLine::allocate`].
#[derive(Debug, Clone, Default)]
pub struct DelayLine {
    buf: Vec<f32>,
    mask: usize,
    pos: usize,
}

impl DelayLine {
    /// An empty line (reads give 0 until allocated).
    pub fn new() -> Self {
        Self::default()
    }
    /// Allocates room for at least `max_delay` samples of delay. Control side only.
    pub fn allocate(&mut self, max_delay: usize) {
        let size = (max_delay + 4).next_power_of_two();
        self.buf = crate::memory::zeroed(size);
        self.mask = size - 1;
        self.pos = 0;
    }
    /// Largest usable delay in samples.
    pub fn max_delay(&self) -> usize {
        self.buf.len().saturating_sub(4)
    }
    /// Zeroes the contents.
    pub fn clear(&mut self) {
        self.buf.iter_mut().for_each(|v| *v = 0.0);
        self.pos = 0;
    }
    /// Writes the next sample.
    #[inline]
    pub fn write(&mut self, x: f32) {
        if self.buf.is_empty() {
            return;
        }
        self.pos = (self.pos + 1) & self.mask;
        self.buf[self.pos] = x;
    }
    /// The sample written `d` writes ago (`d = 0` is the latest).
    #[inline]
    pub fn tap(&self, d: usize) -> f32 {
        if self.buf.is_empty() {
            return 0.0;
        }
        self.buf[self.pos.wrapping_sub(d) & self.mask]
    }
    /// Cubic-interpolated read `d` samples back (`d >= 1` when read before the next write
    /// reaches the same position); clamped to the allocated length.
    #[inline]
    pub fn read(&self, d: f32) -> f32 {
        let d = d.clamp(1.0, self.max_delay().max(2) as f32);
        let i = d as usize;
        let t = d - i as f32;
        // samples at i-1, i, i+1, i+2 samples back; interpolate between i and i+1. They
        // are contiguous in the buffer unless they straddle its start: one bounds check
        // for the four then, instead of a mask and a check each.
        if let Some(w) = self
            .pos
            .checked_sub(i + 2)
            .and_then(|a| self.buf.get(a..a + 4))
        {
            return hermite(w[3], w[2], w[1], w[0], t);
        }
        hermite(
            self.tap(i - 1),
            self.tap(i),
            self.tap(i + 1),
            self.tap(i + 2),
            t,
        )
    }
}

/// Description of the feedback delay.
pub const DELAY_INFO: UnitInfo = UnitInfo {
    name: "delay",
    doc: "Feedback delay with a low-pass (damping) in the loop; the time glides smoothly.",
    inputs: &[PortInfo::new("in", "signal")],
    outputs: &[
        PortInfo::new("out", "dry/wet mix"),
        PortInfo::new("wet", "delayed signal only"),
    ],
    params: &[
        ParamInfo::new(
            "time",
            0.0,
            4.0,
            0.25,
            "s",
            "delay time (up to the maximum given at construction)",
        ),
        ParamInfo::new("feedback", 0.0, 0.98, 0.5, "", "fraction fed back"),
        ParamInfo::new(
            "damping",
            0.0,
            1.0,
            0.3,
            "",
            "high-frequency loss per repeat",
        ),
        ParamInfo::new("mix", 0.0, 1.0, 0.5, "", "wet level in `out`"),
    ],
};

/// The per-sample feedback delay core (used by units and orbits).
#[derive(Debug, Clone, Default)]
pub struct DelayCore {
    line: DelayLine,
    damp: OnePoleCore,
    time: f32,
    coef: f32,
    max_seconds: f32,
    sr: f32,
}

impl DelayCore {
    /// Allocates for up to `max_seconds` at `sr`. Control side only.
    pub fn prepare(&mut self, max_seconds: f32, sr: f32) {
        self.max_seconds = max_seconds.max(0.001);
        self.sr = sr;
        self.line.allocate((self.max_seconds * sr) as usize + 4);
        self.coef = smoothing_coef(0.05, sr);
        self.reset();
    }
    /// Clears the line and snaps the time to `time` on the next `set`.
    pub fn reset(&mut self) {
        self.line.clear();
        self.damp.reset();
        self.time = -1.0;
    }
    /// Sets the damping; call at block rate.
    #[inline]
    pub fn set_damping(&mut self, damping: f32) {
        let cutoff = 20_000.0 * (0.025f32).powf(damping.clamp(0.0, 1.0));
        self.damp.set(cutoff, self.sr);
    }
    /// One sample: returns the wet output. `time` in seconds, glided over ~50 ms.
    #[inline]
    pub fn tick(&mut self, x: f32, time: f32, feedback: f32) -> f32 {
        let target = time.clamp(0.0, self.max_seconds) * self.sr;
        if self.time < 0.0 {
            self.time = target;
        } else {
            self.time = target + (self.time - target) * self.coef;
        }
        // before this write, `read(d)` returns the input of d + 1 samples ago
        let wet = self.line.read(self.time - 1.0);
        let (fb, _) = self.damp.tick(wet);
        self.line.write(x + fb * feedback.clamp(0.0, 0.98));
        wet
    }
}

/// Feedback delay unit (mono).
#[derive(Debug, Clone)]
pub struct Delay {
    core: DelayCore,
    max_seconds: f32,
    params: Params<4>,
}

impl Delay {
    /// Static description.
    pub const INFO: UnitInfo = DELAY_INFO;
    /// A delay able to reach `max_seconds` (memory is allocated by `prepare`).
    pub fn new(max_seconds: f32) -> Self {
        Self {
            core: DelayCore::default(),
            max_seconds: max_seconds.clamp(0.001, 60.0),
            params: Params::new(DELAY_INFO.params),
        }
    }
}

impl Unit for Delay {
    crate::unit::param_accessors!();
    fn prepare(&mut self, sample_rate: f32, _max_block: usize) {
        self.core.prepare(self.max_seconds, sample_rate);
    }
    fn reset(&mut self) {
        self.core.reset();
    }
    fn process(&mut self, _ctx: &ProcessContext, inputs: &[&[f32]], outputs: &mut [&mut [f32]]) {
        let n = frames(outputs);
        let x = input(inputs, 0, n);
        let p = self.params;
        self.core.set_damping(p.get(2));
        for i in 0..n {
            let dry = x.map_or(0.0, |x| x[i]);
            let wet = self.core.tick(dry, p.get(0), p.get(1));
            let mix = p.get(3);
            let vals = [dry * (1.0 - mix) + wet * mix, wet];
            for (o, v) in outputs.iter_mut().zip(vals) {
                o[i] = v;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Cubic interpolation through the four samples around `d`, each read by `tap`.
    fn read_by_taps(line: &DelayLine, d: f32) -> f32 {
        let d = d.clamp(1.0, line.max_delay().max(2) as f32);
        let i = d as usize;
        let t = d - i as f32;
        hermite(
            line.tap(i - 1),
            line.tap(i),
            line.tap(i + 1),
            line.tap(i + 2),
            t,
        )
    }

    /// The contiguous fast path of `read` gives the very values of four separate taps, at
    /// every write position (so also where the four straddle the buffer's start).
    #[test]
    fn read_equals_four_taps_at_every_position() {
        let mut line = DelayLine::new();
        line.allocate(60);
        let size = line.max_delay() + 4;
        for n in 0..3 * size {
            line.write((n as f32 * 0.37).sin() + n as f32 * 1e-3);
            for d in [0.0f32, 1.0, 1.5, 2.25, 7.9, 30.0, 59.99, 1e6] {
                assert_eq!(line.read(d), read_by_taps(&line, d), "write {n}, delay {d}");
            }
        }
        assert_eq!(
            DelayLine::new().read(3.0),
            0.0,
            "an unallocated line reads silence"
        );
    }
}
