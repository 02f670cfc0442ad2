//! The engine clock: a sample counter mapped to cycles.
//!
//! `cycle(sample) = cycle0 + (sample - sample0) / rate * cps`. A tempo change re-anchors
//! `(sample0, cycle0)` at the moment of the change, so the cycle position never jumps and
//! errors never accumulate. Offline rendering and real-time playback use the same clock.

use tactus_pattern::Time;

/// Maps between sample frames and cycles.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Clock {
    sample_rate: f64,
    cps: f64,
    sample0: u64,
    cycle0: f64,
}

impl Clock {
    /// A clock at `cps` where sample 0 is cycle 0.
    pub fn new(sample_rate: u32, cps: f64) -> Clock {
        Clock {
            sample_rate: sample_rate as f64,
            cps,
            sample0: 0,
            cycle0: 0.0,
        }
    }

    /// Cycles per second.
    pub fn cps(&self) -> f64 {
        self.cps
    }

    /// Frames per second.
    pub fn sample_rate(&self) -> f64 {
        self.sample_rate
    }

    /// The cycle position at a sample frame.
    pub fn cycle_at(&self, sample: u64) -> f64 {
        self.cycle0 + (sample as f64 - self.sample0 as f64) / self.sample_rate * self.cps
    }

    /// The cycle position at a sample frame as an exact time (the float's exact value), so
    /// consecutive query windows tile exactly.
    pub fn cycle_time_at(&self, sample: u64) -> Time {
        Time::from_f64(self.cycle_at(sample))
    }

    /// The first sample frame at or after `cycle`, rounded to the nearest frame.
    pub fn sample_at(&self, cycle: Time) -> i64 {
        let c = cycle.to_f64() - self.cycle0;
        let s = self.sample0 as f64 + c / self.cps * self.sample_rate;
        s.round() as i64
    }

    /// The (fractional) frame at which `cycle` falls, unrounded.
    pub fn frame_at(&self, cycle: f64) -> f64 {
        self.sample0 as f64 + (cycle - self.cycle0) / self.cps * self.sample_rate
    }

    /// Seconds per cycle.
    pub fn seconds_per_cycle(&self) -> f64 {
        1.0 / self.cps
    }

    /// Re-anchors the clock so that `sample` is exactly `cycle`, running at `cps` from there
    /// (used when a new program takes over at a cycle boundary, so that the boundary falls
    /// on a frame exactly). Ignored if `cps` is not positive and finite.
    pub fn anchor(&mut self, sample: u64, cycle: f64, cps: f64) {
        if !(cps.is_finite() && cps > 0.0 && cycle.is_finite()) {
            return;
        }
        self.sample0 = sample;
        self.cycle0 = cycle;
        self.cps = cps;
    }

    /// Changes the tempo at `sample` without a jump in cycle position.
    pub fn set_cps(&mut self, sample: u64, cps: f64) {
        if !(cps.is_finite() && cps > 0.0) {
            return;
        }
        self.cycle0 = self.cycle_at(sample);
        self.sample0 = sample;
        self.cps = cps;
    }
}

/// The scheduler's clock, published for other threads that must follow the same timeline
/// (the external outputs, when the clock follows a Link session). Only control-side threads
/// use it, so a mutex is fine; the audio callback never sees it.
#[derive(Debug, Default)]
pub struct ClockShare(
    std::sync::Mutex<Option<Clock>>,
    /// Set while a followed session is stopped (start/stop sync): nothing should play.
    std::sync::atomic::AtomicBool,
);

impl ClockShare {
    /// Marks the followed session stopped (or playing again).
    pub fn set_stopped(&self, stopped: bool) {
        self.1.store(stopped, std::sync::atomic::Ordering::Relaxed);
    }

    /// Whether the followed session is stopped.
    pub fn is_stopped(&self) -> bool {
        self.1.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Publishes `clock`.
    pub fn set(&self, clock: Clock) {
        if let Ok(mut c) = self.0.lock() {
            *c = Some(clock);
        }
    }

    /// The last published clock, if any.
    pub fn get(&self) -> Option<Clock> {
        self.0.lock().ok().and_then(|c| *c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quarter_cycle_at_half_cps_is_half_a_second() {
        for rate in [44_100, 48_000, 96_000] {
            let c = Clock::new(rate, 0.5);
            assert_eq!(c.sample_at(Time::new(1, 4)), rate as i64 / 2);
        }
    }

    #[test]
    fn tempo_change_keeps_the_cycle_position() {
        let mut c = Clock::new(48_000, 0.5);
        let before = c.cycle_at(96_000);
        c.set_cps(96_000, 1.0);
        assert_eq!(c.cycle_at(96_000), before);
        assert_eq!(c.cycle_at(144_000), before + 1.0);
    }
}
