//! [`HostMap`]: frames -> host time, by a least-squares line through recent `(frame, µs)`
//! pairs published by the audio side.

/// How many pairs the fit uses (about 1.3 s of 10 ms ticks, or of 5 ms null-output steps
/// sampled every tick).
const POINTS: usize = 128;

/// Maps engine frames to host µs. Before enough pairs have arrived it uses the nominal
/// rate through the latest pair.
///
/// ```
/// use tactus_engine::link::HostMap;
/// let mut m = HostMap::new(48_000);
/// for i in 0..20u64 {
///     m.add(i * 480, 1_000_000 + i as i64 * 10_000); // 10 ms per 480 frames
/// }
/// assert_eq!(m.micros_at(48_000).round(), 2_000_000.0);
/// ```
#[derive(Clone, Debug)]
pub struct HostMap {
    nominal: f64,
    points: [(u64, i64); POINTS],
    len: usize,
    next: usize,
    last_frame: Option<u64>,
    fit: (f64, f64, f64),
}

impl HostMap {
    /// An empty map for a clock of `sample_rate` frames per second.
    pub fn new(sample_rate: u32) -> HostMap {
        let nominal = 1e6 / f64::from(sample_rate.max(1));
        HostMap {
            nominal,
            points: [(0, 0); POINTS],
            len: 0,
            next: 0,
            last_frame: None,
            fit: (0.0, 0.0, nominal),
        }
    }

    /// Adds a pair (ignored if its frame is not newer than the last one) and refits.
    pub fn add(&mut self, frame: u64, micros: i64) {
        if self.last_frame.is_some_and(|f| frame <= f) {
            return;
        }
        self.last_frame = Some(frame);
        self.points[self.next] = (frame, micros);
        self.next = (self.next + 1) % POINTS;
        self.len = (self.len + 1).min(POINTS);
        self.refit();
    }

    /// Whether any pair has arrived.
    pub fn is_ready(&self) -> bool {
        self.len > 0
    }

    fn refit(&mut self) {
        let pts = &self.points[..self.len];
        // relative to the newest pair, so the sums stay small and exact enough in f64
        let (x0, y0) = self.points[(self.next + POINTS - 1) % POINTS];
        let n = pts.len() as f64;
        let (mut sx, mut sy) = (0.0, 0.0);
        for &(x, y) in pts {
            sx += x as f64 - x0 as f64;
            sy += (y - y0) as f64;
        }
        let (mx, my) = (sx / n, sy / n);
        let (mut sxx, mut sxy) = (0.0, 0.0);
        for &(x, y) in pts {
            let dx = x as f64 - x0 as f64 - mx;
            sxx += dx * dx;
            sxy += dx * ((y - y0) as f64 - my);
        }
        // a short or degenerate history: the nominal rate through the mean point
        let span =
            pts.iter().map(|p| p.0).max().unwrap_or(0) - pts.iter().map(|p| p.0).min().unwrap_or(0);
        let slope = if pts.len() >= 8 && sxx > 0.0 && span as f64 * self.nominal > 50_000.0 {
            let s = sxy / sxx;
            // a device clock is within a fraction of a percent of nominal; anything else is noise
            if (s / self.nominal - 1.0).abs() < 0.01 {
                s
            } else {
                self.nominal
            }
        } else {
            self.nominal
        };
        self.fit = (x0 as f64 + mx, y0 as f64 + my, slope);
    }

    /// The host µs at which `frame` starts (fractional).
    pub fn micros_at(&self, frame: u64) -> f64 {
        let (mx, my, slope) = self.fit;
        my + (frame as f64 - mx) * slope
    }

    /// The (fractional) frame that starts at host time `micros`: the inverse of
    /// [`HostMap::micros_at`].
    pub fn frame_at(&self, micros: f64) -> f64 {
        let (mx, my, slope) = self.fit;
        mx + (micros - my) / slope
    }

    /// Host µs per frame (the fitted slope).
    pub fn micros_per_frame(&self) -> f64 {
        self.fit.2
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jittered_pairs_fit_the_true_line() {
        let mut m = HostMap::new(48_000);
        let mut seed = 1u64;
        for i in 0..400u64 {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let jitter = (seed >> 40) as i64 % 400; // up to 0.4 ms late
            let frame = i * 256;
            let true_us = 5_000_000 + (frame as f64 * 1e6 / 48_000.0 * 1.0001) as i64;
            m.add(frame, true_us + jitter);
        }
        let f = 400 * 256;
        let want = 5_000_000.0 + f as f64 * 1e6 / 48_000.0 * 1.0001 + 200.0;
        assert!(
            (m.micros_at(f) - want).abs() < 60.0,
            "{}",
            m.micros_at(f) - want
        );
        assert!((m.micros_per_frame() / (1e6 / 48_000.0) - 1.0001).abs() < 1e-4);
    }

    #[test]
    fn old_frames_are_ignored_and_short_histories_use_the_nominal_rate() {
        let mut m = HostMap::new(1000);
        m.add(100, 50_000);
        m.add(100, 90_000);
        m.add(50, 90_000);
        assert_eq!(m.micros_at(100), 50_000.0);
        assert_eq!(m.micros_at(200), 150_000.0);
    }
}
