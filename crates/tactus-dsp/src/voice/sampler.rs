//! Sample playback: any speed (negative = backwards), begin/end, loop, accelerate, with
//! 4-point Hermite interpolation.

use crate::math::hermite;
use crate::sample::{SampleBuffer, SampleId, SampleSlots};
use crate::voice::params::{Param, VoiceParams};

/// Playback timing derived from the parameters and the buffer, following SuperDirt's
/// `calcTimeSpan`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SampleTiming {
    /// Start rate in buffer frames per output frame (signed).
    pub rate: f64,
    /// First frame of the section.
    pub start: f64,
    /// One past the last frame of the section.
    pub end: f64,
    /// Seconds the section takes to play once at the average rate (`inf` at speed 0).
    pub unit_duration: f32,
    /// `accelerate`: the rate goes to `rate * (1 + accelerate)` over the sustain.
    pub accelerate: f64,
    /// Number of loops (>= 1).
    pub loops: f32,
}

impl SampleTiming {
    /// Computes the timing of `buf` played with `p` at output rate `sr`.
    pub fn new(buf: &SampleBuffer, p: &VoiceParams, sr: f32) -> Self {
        let frames = buf.frames() as f64;
        let mut begin = f64::from(p.get(Param::Begin).clamp(0.0, 1.0));
        let mut end = f64::from(p.get(Param::End).clamp(0.0, 1.0));
        if begin > end {
            std::mem::swap(&mut begin, &mut end);
        }
        let mut speed = f64::from(p.get(Param::Speed));
        if p.get(Param::Unit) == 1.0 {
            // unit "c": speed 1 plays the whole sample in one cycle
            speed *= f64::from(p.get(Param::Cps)) * f64::from(buf.duration());
        } else {
            speed *= f64::from(p.sample_pitch_ratio());
        }
        let accelerate = f64::from(p.get(Param::Accelerate));
        let end_speed = speed * (1.0 + accelerate);
        let avg = 0.5 * (speed.abs() + end_speed.abs());
        let seg_seconds = (end - begin) * f64::from(buf.duration());
        let unit_duration = if avg > 1e-9 {
            (seg_seconds / avg) as f32
        } else {
            f32::INFINITY
        };
        Self {
            rate: speed * f64::from(buf.sample_rate()) / f64::from(sr),
            start: begin * frames,
            end: end * frames,
            unit_duration,
            accelerate,
            loops: p.get(Param::Loop).abs().max(1.0),
        }
    }
}

/// A playing sample.
#[derive(Debug, Clone, Copy)]
pub struct SamplePlay {
    id: SampleId,
    pos: f64,
    rate: f64,
    rate_step: f64,
    start: f64,
    end: f64,
    looping: bool,
    finished: bool,
    stereo: bool,
}

impl SamplePlay {
    /// A finished placeholder.
    pub fn idle() -> Self {
        Self {
            id: SampleId(0),
            pos: 0.0,
            rate: 0.0,
            rate_step: 0.0,
            start: 0.0,
            end: 0.0,
            looping: false,
            finished: true,
            stereo: false,
        }
    }

    /// Starts playing slot `id` with `timing` for `sustain` seconds at output rate `sr`.
    pub fn start(
        id: SampleId,
        buf: &SampleBuffer,
        t: &SampleTiming,
        sustain: f32,
        sr: f32,
    ) -> Self {
        let rate_step = if sustain > 0.0 && sustain.is_finite() {
            t.rate * t.accelerate / (f64::from(sustain) * f64::from(sr))
        } else {
            0.0
        };
        Self {
            id,
            pos: if t.rate < 0.0 { t.end - 1.0 } else { t.start },
            rate: t.rate,
            rate_step,
            start: t.start,
            end: t.end,
            looping: t.loops > 1.0,
            finished: t.end - t.start < 1.0,
            stereo: buf.channels() == 2,
        }
    }

    /// The slot being played.
    pub fn id(&self) -> SampleId {
        self.id
    }

    /// True for two-channel buffers.
    pub fn is_stereo(&self) -> bool {
        self.stereo
    }

    /// True once the play position left the section (without looping).
    pub fn finished(&self) -> bool {
        self.finished
    }

    /// Writes `l.len()` frames (`r` too when stereo). Stops (writing zeros) if the slot was
    /// emptied or the end was reached. Returns the number of frames produced before the end.
    pub fn render(&mut self, slots: &SampleSlots, l: &mut [f32], r: &mut [f32]) -> usize {
        let Some(buf) = slots.get(self.id) else {
            self.finished = true;
            silence(l, r, 0);
            return 0;
        };
        let data = buf.data();
        let frames = buf.frames() as i64;
        let channels = buf.channels();
        for i in 0..l.len() {
            if self.finished {
                silence(l, r, i);
                return i;
            }
            // floor without a libm call: positions are >= 0 here (a position before the
            // start ends the voice below), but stay exact for negative ones too
            let mut b = self.pos as i64;
            if b as f64 > self.pos {
                b -= 1;
            }
            let t = (self.pos - b as f64) as f32;
            // the four frames around the position, read directly when they are all inside
            let inside = b >= 1 && b + 2 < frames;
            if channels == 1 {
                let [x0, x1, x2, x3] = if inside {
                    let k = (b - 1) as usize;
                    [data[k], data[k + 1], data[k + 2], data[k + 3]]
                } else {
                    [-1, 0, 1, 2].map(|d| buf.frame((b + d) as isize).0)
                };
                l[i] = hermite(x0, x1, x2, x3, t);
            } else {
                let f = if inside {
                    let k = 2 * (b - 1) as usize;
                    let s = &data[k..k + 8];
                    [(s[0], s[1]), (s[2], s[3]), (s[4], s[5]), (s[6], s[7])]
                } else {
                    [-1, 0, 1, 2].map(|d| buf.frame((b + d) as isize))
                };
                l[i] = hermite(f[0].0, f[1].0, f[2].0, f[3].0, t);
                if self.stereo {
                    if let Some(x) = r.get_mut(i) {
                        *x = hermite(f[0].1, f[1].1, f[2].1, f[3].1, t);
                    }
                }
            }
            self.pos += self.rate;
            self.rate += self.rate_step;
            if self.pos >= self.end || self.pos < self.start {
                if self.looping && self.end - self.start >= 1.0 {
                    let len = self.end - self.start;
                    self.pos = self.start + (self.pos - self.start).rem_euclid(len);
                } else {
                    self.finished = true;
                }
            }
        }
        l.len()
    }
}

/// Zeros `l[from..]` and `r[from..]`.
fn silence(l: &mut [f32], r: &mut [f32], from: usize) {
    for x in l.iter_mut().skip(from).chain(r.iter_mut().skip(from)) {
        *x = 0.0;
    }
}
