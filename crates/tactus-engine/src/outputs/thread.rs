//! [`OutputThread`]: runs an [`OutputScheduler`] on its own thread, ticking it about every
//! 5 ms with the engine clock's frame, and takes programs from any thread.
//!
//! Between ticks the thread sleeps until the next tick or the earliest deadline of a sink's
//! timed queue ([`super::Sink::next_deadline`], e.g. a MIDI note-off), whichever comes
//! first, and then lets the sinks send what is due ([`super::Sink::poll`]): MIDI goes out
//! at its planned time, not when it was scheduled. Once a sink has timed sends, the thread
//! asks for real-time (FIFO) scheduling, below an audio callback's priority, so other work
//! on a busy machine does not delay them by a scheduler time slice (best effort: without
//! the privilege it runs at normal priority; `tactus bench midi` shows the difference).
//! When ticks get heavy (a pattern query over 2 ms) they run at normal priority, so a heavy
//! pattern cannot starve the audio.
//!
//! Precise waits: the thread's timer slack is 1 µs (the default 50 µs would make every
//! timed sleep that much late), and it sleeps only until [`SPIN`] before a deadline, then
//! spins on the monotonic clock until the deadline (bounded by 2 × [`SPIN`]) before letting
//! the sinks send. `tactus bench osc-jitter` measures the result.

use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use tactus_lang::program::Program;

use super::OutputScheduler;
use crate::realtime::priority::{set_fifo_priority, OUTPUT_THREAD_PRIORITY};
use crate::realtime::Apply;

enum Msg {
    Submit(Box<Program>, Apply),
    Stop,
}

/// A running output scheduler. Dropping it stops it (and its sinks) too.
pub struct OutputThread {
    tx: Sender<Msg>,
    warnings: Receiver<String>,
    handle: Option<JoinHandle<OutputScheduler>>,
}

impl OutputThread {
    /// Starts ticking `scheduler` every `period` with the frame in `frame` (the audio
    /// callback's counter, [`crate::realtime::Metrics::frame`]).
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
                // real-time priority is asked for once a sink has timed sends (MIDI)
                let (mut rt, mut rt_asked) = (false, false);
                let mut next_tick = Instant::now();
                // how long a tick (a pattern query) takes lately: a send due sooner than
                // that goes out first, so a query does not delay it
                let mut tick_cost = Duration::from_millis(1);
                loop {
                    let now = Instant::now();
                    if now >= next_tick {
                        let send_first = scheduler
                            .next_deadline()
                            .is_some_and(|d| d <= now + tick_cost);
                        if !send_first || now >= next_tick + period {
                            // a heavy query runs at normal priority: it must not starve
                            // the audio or the synth's scheduler
                            let demote = rt && tick_cost > HEAVY_TICK;
                            if demote {
                                set_fifo_priority(None);
                            }
                            scheduler.tick(frame.frame());
                            if demote {
                                set_fifo_priority(Some(OUTPUT_THREAD_PRIORITY));
                            }
                            let took = now.elapsed();
                            tick_cost = took.max(tick_cost.mul_f64(0.95)).min(period);
                            next_tick = Instant::now() + period;
                            for w in scheduler.warnings.drain() {
                                let _ = wtx.send(w);
                            }
                        }
                    }
                    scheduler.poll(Instant::now());
                    let deadline = scheduler.next_deadline();
                    if !rt_asked && deadline.is_some() {
                        rt_asked = true;
                        rt = set_fifo_priority(Some(OUTPUT_THREAD_PRIORITY));
                    }
                    let wake = if next_tick <= Instant::now() {
                        // a deferred tick: wait for the send, then tick
                        deadline.unwrap_or(next_tick)
                    } else {
                        deadline.map_or(next_tick, |d| d.min(next_tick))
                    };
                    // a send that must be on time: wake a little early and spin the rest of
                    // the way (a sink whose output places messages itself only needs waking)
                    let exact = scheduler.next_exact_deadline();
                    let sleep_until = match exact {
                        Some(d) if d <= wake => d.checked_sub(SPIN).unwrap_or(d),
                        _ => wake,
                    };
                    match rx.recv_timeout(sleep_until.saturating_duration_since(Instant::now())) {
                        Ok(Msg::Submit(p, apply)) => scheduler.submit(*p, apply),
                        Ok(Msg::Stop) | Err(RecvTimeoutError::Disconnected) => break,
                        Err(RecvTimeoutError::Timeout) => {}
                    }
                    if let Some(d) = scheduler.next_exact_deadline() {
                        let now = Instant::now();
                        if d > now && d - now <= SPIN {
                            let limit = now + 2 * SPIN;
                            while Instant::now() < d.min(limit) {
                                std::hint::spin_loop();
                            }
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
        let _ = self.tx.send(Msg::Submit(Box::new(program), apply));
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

/// How long before a send's deadline the thread stops sleeping and spins.
pub const SPIN: Duration = Duration::from_micros(500);

/// Asks the kernel to end this thread's timed sleeps within 1 µs of their deadline (the
/// default slack is 50 µs). Linux only; best effort.
fn precise_timers() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_TIMERSLACK takes a plain integer and affects only the calling thread.
    unsafe {
        libc::prctl(libc::PR_SET_TIMERSLACK, 1 as libc::c_ulong, 0, 0, 0);
    }
}

/// A tick (pattern query) that takes longer than this runs at normal priority.
const HEAVY_TICK: Duration = Duration::from_millis(2);

/// Where the engine clock's current frame is read.
pub trait FrameSource: Send + Sync {
    /// The frame the audio is at now.
    fn frame(&self) -> u64;
}

impl FrameSource for crate::realtime::Metrics {
    fn frame(&self) -> u64 {
        self.frame.load(Relaxed)
    }
}

impl FrameSource for AtomicU64 {
    fn frame(&self) -> u64 {
        self.load(Relaxed)
    }
}
