//! [`FrameClock`]: wall-clock time to JACK frames, smoothed.
//!
//! JACK maps time to frames from the moment each cycle woke up. When wake-ups jitter (a
//! busy machine, a virtual machine, the dummy driver's timer), that mapping jumps back and
//! forth by as much as the jitter, and messages placed with it land early or late by the
//! same amount even though the frame clock itself runs steadily. This clock keeps its own
//! line through JACK's observations: at the nominal rate, pulled a little towards each new
//! observation (so it follows real drift between the two clocks), and snapped to JACK's
//! mapping when they differ by more than [`SNAP_SECONDS`] for [`SNAP_AFTER`] observations in
//! a row (an xrun, a server restart). A single wild observation (one very late wake-up) is
//! ignored rather than followed.

/// A difference from JACK's mapping beyond which the clock follows JACK at once.
pub const SNAP_SECONDS: f64 = 0.010;

/// Observations in a row beyond [`SNAP_SECONDS`] after which the clock snaps to JACK's.
pub const SNAP_AFTER: u32 = 4;

/// The share of each difference from JACK's mapping taken per observation.
const PULL: f64 = 1.0 / 32.0;

/// Frames wrap at 2^32.
const WRAP: f64 = 4_294_967_296.0;

/// A smoothed time-to-frame line (see the module docs).
#[derive(Clone, Copy, Debug)]
pub struct FrameClock {
    frames_per_us: f64,
    snap_frames: f64,
    /// (µs, frame in `[0, 2^32)`) of the last observation, on the smoothed line.
    anchor: Option<(u64, f64)>,
    /// Observations in a row that were further than the snap distance from the line.
    outliers: u32,
}

impl FrameClock {
    /// A clock for `sample_rate` frames per second.
    pub fn new(sample_rate: f64) -> FrameClock {
        let rate = if sample_rate.is_finite() && sample_rate > 0.0 {
            sample_rate
        } else {
            48_000.0
        };
        FrameClock {
            frames_per_us: rate / 1e6,
            snap_frames: SNAP_SECONDS * rate,
            anchor: None,
            outliers: 0,
        }
    }

    /// The frame for the time `at_us` (µs on JACK's clock), given JACK's mapping now:
    /// `jack_now` is its frame for `now_us`.
    ///
    /// ```
    /// use tactus_io::midi::frameclock::FrameClock;
    /// let mut c = FrameClock::new(48_000.0);
    /// // JACK says frame 48_000 at 1 s: 10 ms later is 480 frames later
    /// assert_eq!(c.frame_at(1_000_000, 48_000, 1_010_000), 48_480);
    /// ```
    pub fn frame_at(&mut self, now_us: u64, jack_now: u32, at_us: u64) -> u32 {
        let now = match self.anchor {
            None => f64::from(jack_now),
            Some((t, f)) => {
                let predicted = f + (now_us as f64 - t as f64) * self.frames_per_us;
                let base = predicted.floor();
                // JACK's frame relative to the prediction, across the 2^32 wrap
                let err = f64::from(jack_now.wrapping_sub(base.rem_euclid(WRAP) as u32) as i32)
                    - (predicted - base);
                if err.abs() <= self.snap_frames {
                    self.outliers = 0;
                    predicted + PULL * err
                } else {
                    self.outliers += 1;
                    if self.outliers >= SNAP_AFTER {
                        self.outliers = 0;
                        f64::from(jack_now)
                    } else {
                        predicted
                    }
                }
            }
        };
        let now = now.rem_euclid(WRAP);
        self.anchor = Some((now_us, now));
        let at = now + (at_us as f64 - now_us as f64) * self.frames_per_us;
        at.round().rem_euclid(WRAP) as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Frames of an ideal 48 kHz clock at `us`, from frame `f0` at 0.
    fn ideal(f0: u32, us: u64) -> u32 {
        f0.wrapping_add((us as f64 * 0.048).round() as u64 as u32)
    }

    /// A deterministic jitter in `[-1, 1]`.
    fn jitter(i: u64) -> f64 {
        let x = i.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 11;
        (x as f64 / (1u64 << 53) as f64) * 2.0 - 1.0
    }

    #[test]
    fn a_steady_mapping_is_followed_exactly() {
        let mut c = FrameClock::new(48_000.0);
        for i in 0..1000u64 {
            let now = 5_000 * i;
            let f = c.frame_at(now, ideal(100, now), now + 30_000);
            assert_eq!(f, ideal(100, now + 30_000));
        }
    }

    #[test]
    fn jittery_observations_are_smoothed() {
        // JACK's mapping wanders by up to 1.5 ms (72 frames) around the true line; the
        // smoothed frames stay within 0.25 ms once settled
        let mut c = FrameClock::new(48_000.0);
        let mut worst = 0i64;
        for i in 0..2000u64 {
            let now = 20_000 * i;
            let observed = ideal(0, now).wrapping_add((72.0 * jitter(i)).round() as i32 as u32);
            let f = c.frame_at(now, observed, now + 20_000);
            if i > 100 {
                let e = f.wrapping_sub(ideal(0, now + 20_000)) as i32 as i64;
                worst = worst.max(e.abs());
            }
        }
        assert!(worst <= 12, "smoothed frames off by {worst}");
    }

    #[test]
    fn drift_between_the_clocks_is_followed() {
        // the audio clock runs 100 ppm fast: the smoothed line keeps up within 2 frames
        let mut c = FrameClock::new(48_000.0);
        for i in 0..3000u64 {
            let now = 10_000 * i;
            let observed = (now as f64 * 0.048 * 1.0001).round() as u64 as u32;
            let f = c.frame_at(now, observed, now);
            if i > 500 {
                assert!((f.wrapping_sub(observed) as i32).abs() <= 2, "step {i}");
            }
        }
    }

    #[test]
    fn a_jump_snaps_and_frames_wrap() {
        let mut c = FrameClock::new(48_000.0);
        let start = u32::MAX - 10_000;
        assert_eq!(c.frame_at(0, start, 0), start);
        // 0.5 s later, across the wrap
        let half = c.frame_at(500_000, start.wrapping_add(24_000), 500_000);
        assert_eq!(half, start.wrapping_add(24_000));
        // one wild observation (50 ms off) is ignored
        let steady = start.wrapping_add(28_800);
        assert_eq!(
            c.frame_at(600_000, steady.wrapping_add(2_400), 600_000),
            steady
        );
        let on_time = start.wrapping_add(31_200);
        assert_eq!(c.frame_at(650_000, on_time, 650_000), on_time);
        // the server skipped a second of frames: followed once it persists
        let mut last = 0;
        for i in 0..SNAP_AFTER as u64 {
            let now = 700_000 + 10_000 * i;
            let jumped = start.wrapping_add((now as f64 * 0.048) as u32 + 48_000);
            last = c.frame_at(now, jumped, now);
            if i + 1 == SNAP_AFTER as u64 {
                assert_eq!(last, jumped);
            } else {
                assert_ne!(last, jumped);
            }
        }
        assert_ne!(last, 0);
    }
}
