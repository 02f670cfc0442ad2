//! [`OutputThread`]: runs an [`OutputScheduler`] on its own thread, ticking it about every
//! 5 ms, and hands each event to the sinks at its planned moment; takes programs from any
//! thread.
//!
//! Precise sends: between ticks the thread sleeps (on its message channel) until
//! [`SPIN`] before the next event is due, then spins on the clock until it is, and sends.
//! The timer slack of the thread is set to 1 µs so the sleep itself ends on time. The
//! clock is the engine's: the frame counter plus, when the audio side publishes them,
//! `(frame, host µs)` pairs ([`FrameSource::host_time`]) fitted by a [`HostMap`], so
//! "now" has µs resolution even though the frame counter moves a buffer at a time.

use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use tactus_lang::program::Program;

use super::OutputScheduler;
use crate::link::{host_micros, HostMap};
use crate::realtime::Apply;

enum Msg {
    Submit(Program, Apply),
    Stop,
}

/// A running output scheduler. Dropping it stops it (and its sinks) too.
pub struct OutputThread {
    tx: Sender<Msg>,
    warnings: Receiver<String>,
    handle: Option<JoinHandle<OutputScheduler>>,
}

impl OutputThread {
    /// Starts ticking `scheduler` every `period` on the clock of `frame` (the audio
    /// callback's counter, [`crate::realtime::Metrics`]).
    pub fn spawn(
        mut scheduler: OutputScheduler,
        frame: Arc<dyn FrameSource>,
        period: Duration,
    ) -> std::io::Result<OutputThread> {
        let (tx, rx) = mpsc::channel::<Msg>();
        let (wtx, wrx) = mpsc::channel::<String>();
        let handle = std::thread::Builder::new()
            .name("tactus-outputs".into())
            .spawn(move || {
                precise_timers();
                let mut clock = EngineTime::new(frame, scheduler.sample_rate());
                let mut next_tick = Instant::now();
                'run: loop {
                    let now = Instant::now();
                    if now >= next_tick {
                        scheduler.tick_seconds(clock.now());
                        for w in scheduler.warnings.drain() {
                            let _ = wtx.send(w);
                        }
                        next_tick = (next_tick + period).max(now);
                    }
                    // sleep until the next tick, or until shortly before the next send
                    let mut wait = next_tick.saturating_duration_since(Instant::now());
                    if let Some(due) = scheduler.next_due() {
                        let ahead = (due - clock.now() - SPIN.as_secs_f64()).max(0.0);
                        wait = wait.min(Duration::from_secs_f64(ahead));
                    }
                    match rx.recv_timeout(wait) {
                        Ok(Msg::Submit(p, apply)) => scheduler.submit(p, apply),
                        Ok(Msg::Stop) | Err(RecvTimeoutError::Disconnected) => break 'run,
                        Err(RecvTimeoutError::Timeout) => {}
                    }
                    if let Some(due) = scheduler.next_due() {
                        if due - clock.now() <= SPIN.as_secs_f64() {
                            // bounded: at most SPIN (plus the clock's own step)
                            let limit = Instant::now() + 2 * SPIN;
                            while clock.now() < due && Instant::now() < limit {
                                std::hint::spin_loop();
                            }
                            scheduler.release(clock.now());
                        }
                    }
                }
                scheduler.stop();
                scheduler
            })?;
        Ok(OutputThread {
            tx,
            warnings: wrx,
            handle: Some(handle),
        })
    }

    /// Hands a new program to the scheduler.
    pub fn submit(&self, program: Program, apply: Apply) {
        let _ = self.tx.send(Msg::Submit(program, apply));
    }

    /// Warnings produced since the last call.
    pub fn take_warnings(&self) -> Vec<String> {
        self.warnings.try_iter().collect()
    }

    /// Stops the thread (sinks get [`super::Sink::stop`]) and gives the scheduler back.
    pub fn stop(mut self) -> Option<OutputScheduler> {
        let _ = self.tx.send(Msg::Stop);
        self.handle.take().and_then(|h| h.join().ok())
    }
}

impl Drop for OutputThread {
    fn drop(&mut self) {
        if let Some(h) = self.handle.take() {
            let _ = self.tx.send(Msg::Stop);
            let _ = h.join();
        }
    }
}

/// How long before an event is due the thread stops sleeping and spins on the clock.
pub const SPIN: Duration = Duration::from_micros(500);

/// Where the engine clock's current frame is read.
pub trait FrameSource: Send + Sync {
    /// The frame the audio is at now.
    fn frame(&self) -> u64;
    /// The latest `(frame, host µs)` pair ([`crate::link::host_micros`]'s clock), if the
    /// source publishes them.
    fn host_time(&self) -> Option<(u64, i64)> {
        None
    }
}

impl FrameSource for crate::realtime::Metrics {
    fn frame(&self) -> u64 {
        self.frame.load(Relaxed)
    }
    fn host_time(&self) -> Option<(u64, i64)> {
        crate::realtime::Metrics::host_time(self)
    }
}

/// The engine clock in seconds, at µs resolution when the source publishes host times.
struct EngineTime {
    source: Arc<dyn FrameSource>,
    map: HostMap,
    rate: f64,
}

impl EngineTime {
    fn new(source: Arc<dyn FrameSource>, sample_rate: u32) -> EngineTime {
        EngineTime {
            source,
            map: HostMap::new(sample_rate),
            rate: f64::from(sample_rate.max(1)),
        }
    }

    fn now(&mut self) -> f64 {
        if let Some((f, us)) = self.source.host_time() {
            self.map.add(f, us);
        }
        if self.map.is_ready() {
            self.map.frame_at(host_micros() as f64) / self.rate
        } else {
            self.source.frame() as f64 / self.rate
        }
    }
}

/// Asks the kernel to end this thread's timed sleeps within 1 µs of their deadline (the
/// default slack is 50 µs), and to run it ahead of ordinary threads when it wakes
/// (`SCHED_FIFO` at a low priority, below an audio thread's, when the process may: root,
/// or `rtprio` in limits.conf). Its busy moments are bounded (a spin of at most
/// 2 × [`SPIN`], a tick's queries), so it cannot starve the machine. Linux only; best
/// effort, silently skipped without the privilege.
fn precise_timers() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_TIMERSLACK takes a plain integer and sched_setscheduler(0, ..) a
    // pointer to a sched_param we own; both affect only the calling thread.
    unsafe {
        libc::prctl(libc::PR_SET_TIMERSLACK, 1 as libc::c_ulong, 0, 0, 0);
        let param = libc::sched_param { sched_priority: 10 };
        libc::sched_setscheduler(0, libc::SCHED_FIFO, &param);
    }
}

impl FrameSource for AtomicU64 {
    fn frame(&self) -> u64 {
        self.load(Relaxed)
    }
}
