//! The null output: no device. A thread wakes every `period` and reports how many frames
//! have elapsed on the monotonic clock since the stream started, computed from that start
//! instant each time (so rounding never accumulates) — the engine advances its clock by
//! that many frames without rendering.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// A running null output; stops when dropped.
pub struct NullStream {
    stop: Arc<AtomicBool>,
    handle: Option<JoinHandle<()>>,
}

impl NullStream {
    /// Starts calling `advance(frames)` about every `period` with the frames elapsed at
    /// `sample_rate` since the previous call.
    ///
    /// ```
    /// use std::sync::atomic::{AtomicU64, Ordering};
    /// use std::sync::Arc;
    /// use std::time::Duration;
    /// let frames = Arc::new(AtomicU64::new(0));
    /// let f = Arc::clone(&frames);
    /// let s = tactus_io::audio::null::NullStream::start(48_000, Duration::from_millis(5), move |n| {
    ///     f.fetch_add(n, Ordering::Relaxed);
    /// }).unwrap();
    /// std::thread::sleep(Duration::from_millis(50));
    /// drop(s);
    /// assert!(frames.load(Ordering::Relaxed) > 0);
    /// ```
    pub fn start(
        sample_rate: u32,
        period: Duration,
        mut advance: impl FnMut(u64) + Send + 'static,
    ) -> std::io::Result<NullStream> {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let handle = std::thread::Builder::new()
            .name("tactus-null-audio".into())
            .spawn(move || {
                let start = Instant::now();
                let mut done = 0u64;
                while !flag.load(Ordering::Relaxed) {
                    std::thread::sleep(period);
                    let target = (start.elapsed().as_secs_f64() * f64::from(sample_rate)) as u64;
                    if target > done {
                        advance(target - done);
                        done = target;
                    }
                }
            })?;
        Ok(NullStream {
            stop,
            handle: Some(handle),
        })
    }
}

impl Drop for NullStream {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}
