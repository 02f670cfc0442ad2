//! Stereo reverb: a feedback delay network (8 lines, Hadamard mixing, per-line damping)
//! fed through a chain of Schroeder all-pass diffusers.
//!
//! The decay time follows `size` (0.3 s at 0 to 12 s at 1): each line's loop gain is set so
//! that it loses 60 dB in the RT60 time. Line lengths are fixed (scaled by the sample rate),
//! so changing `size` never clicks.

use crate::unit::{frames, input, ParamInfo, Params, PortInfo, ProcessContext, Unit, UnitInfo};
use crate::units::delay::DelayLine;
use crate::units::filter::OnePoleCore;

/// Line lengths in milliseconds (mutually prime-ish).
const LINE_MS: [f32; 8] = [31.3, 37.9, 41.9, 46.7, 53.1, 59.9, 67.3, 73.7];
/// Input diffuser lengths in milliseconds.
const DIFFUSER_MS: [f32; 4] = [4.77, 3.59, 12.73, 9.31];
const DIFFUSER_GAIN: f32 = 0.6;

/// Decay time (RT60, seconds) for a `size` in `[0, 1]`.
#[inline]
pub fn rt60_for_size(size: f32) -> f32 {
    0.3 * 40f32.powf(size.clamp(0.0, 1.0))
}

#[derive(Debug, Clone, Default)]
struct Allpass {
    line: DelayLine,
    len: usize,
}

impl Allpass {
    #[inline]
    fn tick(&mut self, x: f32) -> f32 {
        // w[n] = x + g w[n-M]; y = -g w[n] + w[n-M]
        let delayed = self.line.tap(self.len - 1);
        let w = x + DIFFUSER_GAIN * delayed;
        self.line.write(w);
        delayed - DIFFUSER_GAIN * w
    }
}

/// In-place 8-point fast Walsh-Hadamard transform, scaled to be orthonormal.
#[inline]
fn hadamard8(v: &mut [f32; 8]) {
    let mut h = 1;
    while h < 8 {
        let mut i = 0;
        while i < 8 {
            for j in i..i + h {
                let (a, b) = (v[j], v[j + h]);
                v[j] = a + b;
                v[j + h] = a - b;
            }
            i += 2 * h;
        }
        h *= 2;
    }
    let s = 1.0 / 8f32.sqrt();
    for x in v.iter_mut() {
        *x *= s;
    }
}

/// The reverb core: stereo in (summed), stereo wet out.
#[derive(Debug, Clone, Default)]
pub struct ReverbCore {
    lines: [DelayLine; 8],
    lens: [usize; 8],
    gains: [f32; 8],
    damp: [OnePoleCore; 8],
    diffusers: [Allpass; 4],
    sr: f32,
    size: f32,
    damping: f32,
}

impl ReverbCore {
    /// Allocates the lines for `sr`. Control side only.
    pub fn prepare(&mut self, sr: f32) {
        self.sr = sr;
        for (i, ms) in LINE_MS.iter().enumerate() {
            let len = ((ms * 0.001 * sr) as usize).max(8);
            self.lens[i] = len;
            self.lines[i].allocate(len + 1);
        }
        for (d, ms) in self.diffusers.iter_mut().zip(DIFFUSER_MS) {
            d.len = ((ms * 0.001 * sr) as usize).max(2);
            d.line.allocate(d.len + 1);
        }
        self.size = -1.0;
        self.set(0.1, 0.3);
        self.reset();
    }
    /// Sets size (decay) and damping in `[0, 1]`; cheap when unchanged.
    pub fn set(&mut self, size: f32, damping: f32) {
        if size == self.size && damping == self.damping {
            return;
        }
        self.size = size;
        self.damping = damping;
        let rt60 = rt60_for_size(size);
        let cutoff = 18_000.0 * (0.06f32).powf(damping.clamp(0.0, 1.0));
        for i in 0..8 {
            let secs = self.lens[i] as f32 / self.sr.max(1.0);
            self.gains[i] = 10f32.powf(-3.0 * secs / rt60);
            self.damp[i].set(cutoff, self.sr);
        }
    }
    /// Clears all lines.
    pub fn reset(&mut self) {
        for l in self.lines.iter_mut() {
            l.clear();
        }
        for d in self.diffusers.iter_mut() {
            d.line.clear();
        }
        for f in self.damp.iter_mut() {
            f.reset();
        }
    }
    /// One frame: returns the wet `(left, right)`.
    #[inline]
    pub fn tick(&mut self, l: f32, r: f32) -> (f32, f32) {
        let mut x = (l + r) * 0.5;
        for d in self.diffusers.iter_mut() {
            x = d.tick(x);
        }
        let mut v = [0.0f32; 8];
        for (i, o) in v.iter_mut().enumerate() {
            *o = self.lines[i].tap(self.lens[i] - 1);
        }
        let out_l = v[0] - v[2] + v[4] - v[6] + 0.5 * (v[1] + v[5]);
        let out_r = v[1] - v[3] + v[5] - v[7] + 0.5 * (v[2] - v[6]);
        hadamard8(&mut v);
        for (((line, damp), gain), vi) in self
            .lines
            .iter_mut()
            .zip(self.damp.iter_mut())
            .zip(self.gains)
            .zip(v)
        {
            let (lp, _) = damp.tick(vi * gain);
            line.write(lp + x);
        }
        (out_l * 0.35, out_r * 0.35)
    }
}

/// Description of the reverb.
pub const REVERB_INFO: UnitInfo = UnitInfo {
    name: "reverb",
    doc: "Stereo FDN reverb (8 lines, Hadamard feedback, damping), wet output.",
    inputs: &[
        PortInfo::new("l", "left input"),
        PortInfo::new("r", "right input"),
    ],
    outputs: &[
        PortInfo::new("l", "left wet"),
        PortInfo::new("r", "right wet"),
    ],
    params: &[
        ParamInfo::new(
            "size",
            0.0,
            1.0,
            0.5,
            "",
            "decay: 0 = 0.3 s, 1 = 12 s (RT60)",
        ),
        ParamInfo::new("damping", 0.0, 1.0, 0.3, "", "high-frequency absorption"),
    ],
};

/// Reverb unit (outputs the wet signal only).
#[derive(Debug, Clone)]
pub struct Reverb {
    core: ReverbCore,
    params: Params<2>,
}

impl Reverb {
    /// Static description.
    pub const INFO: UnitInfo = REVERB_INFO;
    /// A reverb (allocated by `prepare`).
    pub fn new() -> Self {
        Self {
            core: ReverbCore::default(),
            params: Params::new(REVERB_INFO.params),
        }
    }
}

impl Default for Reverb {
    fn default() -> Self {
        Self::new()
    }
}

impl Unit for Reverb {
    crate::unit::param_accessors!();
    fn prepare(&mut self, sample_rate: f32, _max_block: usize) {
        self.core.prepare(sample_rate);
    }
    fn reset(&mut self) {
        self.core.reset();
    }
    fn process(&mut self, _ctx: &ProcessContext, inputs: &[&[f32]], outputs: &mut [&mut [f32]]) {
        let n = frames(outputs);
        let l = input(inputs, 0, n);
        let r = input(inputs, 1, n).or(l);
        self.core.set(self.params.get(0), self.params.get(1));
        for i in 0..n {
            let (yl, yr) = self
                .core
                .tick(l.map_or(0.0, |x| x[i]), r.map_or(0.0, |x| x[i]));
            for (o, v) in outputs.iter_mut().zip([yl, yr]) {
                o[i] = v;
            }
        }
    }
}
