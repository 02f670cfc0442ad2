//! The master bus: NaN/Inf guard, DC blocker, soft limiter.

use crate::math::db_to_amp;
use crate::units::dynamics::LimiterCore;
use crate::units::utility::DcBlockerCore;

/// Master bus processing applied to the sum of all orbits.
#[derive(Debug, Clone)]
pub struct MasterBus {
    dc: [DcBlockerCore; 2],
    limiter: LimiterCore,
    ceiling: f32,
    gain: f32,
    guard_trips: u64,
}

impl MasterBus {
    /// A master bus for sample rate `sr`, limiting at -1 dBFS.
    pub fn new(sr: f32) -> Self {
        let mut dc = [DcBlockerCore::default(); 2];
        for d in dc.iter_mut() {
            d.set(10.0, sr);
        }
        let mut limiter = LimiterCore::default();
        limiter.set_release(0.15, sr);
        Self {
            dc,
            limiter,
            ceiling: db_to_amp(-1.0),
            gain: 1.0,
            guard_trips: 0,
        }
    }

    /// Sets the output gain (linear, applied before the limiter).
    pub fn set_gain(&mut self, gain: f32) {
        if gain.is_finite() {
            self.gain = gain.clamp(0.0, 16.0);
        }
    }

    /// Number of blocks that contained NaN/Inf and were replaced by silence.
    pub fn guard_trips(&self) -> u64 {
        self.guard_trips
    }

    /// Clears the filter and limiter state.
    pub fn reset(&mut self) {
        for d in self.dc.iter_mut() {
            d.reset();
        }
        self.limiter.reset();
    }

    /// Processes one block in place. Non-finite input silences the block (and resets the
    /// state), so the output is always finite and within the ceiling.
    pub fn process(&mut self, l: &mut [f32], r: &mut [f32]) {
        let n = l.len().min(r.len());
        let finite = l[..n].iter().chain(&r[..n]).all(|v| v.is_finite());
        if !finite {
            self.guard_trips += 1;
            l.iter_mut().chain(r.iter_mut()).for_each(|v| *v = 0.0);
            self.reset();
            return;
        }
        for i in 0..n {
            let x = self.dc[0].tick(l[i] * self.gain);
            let y = self.dc[1].tick(r[i] * self.gain);
            let (a, b) = self.limiter.tick(x, y, self.ceiling);
            l[i] = a.clamp(-1.0, 1.0);
            r[i] = b.clamp(-1.0, 1.0);
        }
    }
}
