//! Orbits: stereo buses with SuperDirt's global effects (reverb and delay).
//!
//! As in SuperDirt, the effects of an orbit are global: every voice on the orbit feeds them,
//! and each event updates their parameters. `room` and `size` keep their last given value,
//! `dry` and `delay` fall back to 0 for events that do not give them (SuperDirt's orbit
//! default for `dry` and its `~delay ? 0` for the delay level), `delaytime` and
//! `delayfeedback` keep their last value. The reverb's input is the orbit signal times
//! `room`, its output is scaled by `1 - dry`; the delay's input is the orbit signal and its
//! output is scaled by `delay`. An orbit whose input and effect tails are silent sleeps.

use crate::math::smoothing_coef;
use crate::units::delay::DelayCore;
use crate::units::reverb::ReverbCore;
use crate::voice::params::{Param, VoiceParams};
use crate::MAX_BLOCK;

/// One block of stereo audio.
#[derive(Debug, Clone, Copy)]
pub struct StereoBus {
    /// Left channel.
    pub l: [f32; MAX_BLOCK],
    /// Right channel.
    pub r: [f32; MAX_BLOCK],
}

impl Default for StereoBus {
    fn default() -> Self {
        Self {
            l: [0.0; MAX_BLOCK],
            r: [0.0; MAX_BLOCK],
        }
    }
}

impl StereoBus {
    /// Zeroes the first `n` frames.
    pub fn clear(&mut self, n: usize) {
        let n = n.min(MAX_BLOCK);
        self.l[..n].iter_mut().for_each(|v| *v = 0.0);
        self.r[..n].iter_mut().for_each(|v| *v = 0.0);
    }
}

/// Current global-effect settings of an orbit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OrbitSettings {
    /// Reverb send.
    pub room: f32,
    /// Reverb decay, 0..1.
    pub size: f32,
    /// Reverb attenuation.
    pub dry: f32,
    /// Delay output level.
    pub delay: f32,
    /// Delay time in seconds.
    pub delaytime: f32,
    /// Delay feedback.
    pub delayfeedback: f32,
}

impl Default for OrbitSettings {
    fn default() -> Self {
        Self {
            room: 0.0,
            size: Param::Size.default_value(),
            dry: 0.0,
            delay: 0.0,
            delaytime: Param::Delaytime.default_value(),
            delayfeedback: Param::Delayfeedback.default_value(),
        }
    }
}

/// Silent frames before an orbit's effects go to sleep.
const SLEEP_AFTER_FRAMES: u32 = 4096;

/// An orbit: a bus's global reverb and delay.
#[derive(Debug, Clone)]
pub struct Orbit {
    settings: OrbitSettings,
    reverb: ReverbCore,
    delay_l: DelayCore,
    delay_r: DelayCore,
    room: f32,
    dry: f32,
    delay: f32,
    coef: f32,
    quiet_frames: u32,
    /// False until the reverb gets a non-zero send (`room`) after a reset: until then its
    /// input is exactly zero, so its state and output are too, and it is not run.
    reverb_fed: bool,
}

impl Orbit {
    /// An orbit for sample rate `sr` with delays up to `max_delay` seconds (allocates).
    pub fn new(sr: f32, max_delay: f32) -> Self {
        let mut reverb = ReverbCore::default();
        reverb.prepare(sr);
        let mut delay_l = DelayCore::default();
        delay_l.prepare(max_delay, sr);
        let mut delay_r = DelayCore::default();
        delay_r.prepare(max_delay, sr);
        delay_l.set_damping(0.2);
        delay_r.set_damping(0.2);
        Self {
            settings: OrbitSettings::default(),
            reverb,
            delay_l,
            delay_r,
            room: 0.0,
            dry: 0.0,
            delay: 0.0,
            coef: smoothing_coef(0.015, sr),
            quiet_frames: SLEEP_AFTER_FRAMES,
            reverb_fed: false,
        }
    }

    /// Current settings.
    pub fn settings(&self) -> OrbitSettings {
        self.settings
    }

    /// True while the effects are skipped because everything is silent.
    pub fn is_asleep(&self) -> bool {
        self.quiet_frames >= SLEEP_AFTER_FRAMES
    }

    /// Updates the global effects from an event on this orbit (SuperDirt's rules).
    pub fn apply_event(&mut self, p: &VoiceParams) {
        let s = &mut self.settings;
        if let Some(v) = p.get_opt(Param::Room) {
            s.room = v.clamp(0.0, 4.0);
        }
        if let Some(v) = p.get_opt(Param::Size) {
            s.size = v.clamp(0.0, 1.0);
        }
        s.dry = p.get(Param::Dry).clamp(0.0, 1.0);
        s.delay = p.get_opt(Param::Delay).unwrap_or(0.0).clamp(0.0, 4.0);
        if let Some(v) = p.get_opt(Param::Delaytime) {
            s.delaytime = v.clamp(0.0, 60.0);
        }
        if let Some(v) = p.get_opt(Param::Delayfeedback) {
            s.delayfeedback = v.clamp(0.0, 0.98);
        }
    }

    /// Clears the effect tails and restores the default settings.
    pub fn reset(&mut self) {
        self.settings = OrbitSettings::default();
        self.room = 0.0;
        self.dry = 0.0;
        self.delay = 0.0;
        self.reverb.reset();
        self.delay_l.reset();
        self.delay_r.reset();
        self.quiet_frames = SLEEP_AFTER_FRAMES;
        self.reverb_fed = false;
    }

    /// Adds `n` frames of this orbit (dry bus plus effects) to `out_l`/`out_r`.
    pub fn process(&mut self, bus: &StereoBus, n: usize, out_l: &mut [f32], out_r: &mut [f32]) {
        let n = n.min(MAX_BLOCK).min(out_l.len()).min(out_r.len());
        let input_peak = bus.l[..n]
            .iter()
            .chain(&bus.r[..n])
            .fold(0.0f32, |m, v| m.max(v.abs()));
        for i in 0..n {
            out_l[i] += bus.l[i];
            out_r[i] += bus.r[i];
        }
        let s = self.settings;
        let c = self.coef;
        if input_peak < 1e-9 && self.is_asleep() {
            // keep the parameter smoothing on time so that waking up does not depend on
            // where blocks start
            for _ in 0..n {
                self.room = s.room + (self.room - s.room) * c;
                self.dry = s.dry + (self.dry - s.dry) * c;
                self.delay = s.delay + (self.delay - s.delay) * c;
            }
            return;
        }
        // the send is smoothed from 0 towards `s.room`: both zero keep it exactly zero
        self.reverb_fed |= s.room != 0.0 || self.room != 0.0;
        let out_peak = if self.reverb_fed {
            self.reverb.set(s.size, 0.3);
            self.run_effects::<true>(bus, n, out_l, out_r)
        } else {
            self.run_effects::<false>(bus, n, out_l, out_r)
        };
        if input_peak < 1e-9 && out_peak < 1e-6 {
            self.quiet_frames = self.quiet_frames.saturating_add(n as u32);
        } else {
            self.quiet_frames = 0;
        }
    }

    /// Adds the reverb (when `REVERB`; otherwise its output is exactly zero and it is not
    /// run) and the delay of `n` frames; returns the peak of their outputs.
    fn run_effects<const REVERB: bool>(
        &mut self,
        bus: &StereoBus,
        n: usize,
        out_l: &mut [f32],
        out_r: &mut [f32],
    ) -> f32 {
        let s = self.settings;
        let c = self.coef;
        let mut out_peak = 0.0f32;
        for i in 0..n {
            self.room = s.room + (self.room - s.room) * c;
            self.dry = s.dry + (self.dry - s.dry) * c;
            self.delay = s.delay + (self.delay - s.delay) * c;
            let (x, y) = (bus.l[i], bus.r[i]);
            let (rl, rr) = if REVERB {
                self.reverb.tick(x * self.room, y * self.room)
            } else {
                (0.0, 0.0)
            };
            let dl = self.delay_l.tick(x, s.delaytime, s.delayfeedback);
            let dr = self.delay_r.tick(y, s.delaytime, s.delayfeedback);
            let wet = 1.0 - self.dry;
            let el = rl * wet + dl * self.delay;
            let er = rr * wet + dr * self.delay;
            out_peak = out_peak
                .max(rl.abs())
                .max(dl.abs())
                .max(rr.abs())
                .max(dr.abs());
            out_l[i] += el;
            out_r[i] += er;
        }
        out_peak
    }
}
