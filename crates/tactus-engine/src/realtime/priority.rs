//! [`set_fifo_priority`]: real-time (FIFO) scheduling for the threads that keep time.

/// FIFO priority of the output threads (OSC and MIDI sends): below an audio server's
/// callbacks, which run at 40 to 80.
pub const OUTPUT_THREAD_PRIORITY: i32 = 30;

/// FIFO priority an audio server typically gives its callback thread (what
/// `tactus bench callback` runs its callbacks at).
pub const CALLBACK_PRIORITY: i32 = 40;

/// Switches the calling thread to FIFO scheduling at `priority`, or (`None`) back to
/// normal scheduling. Best effort: false (and nothing changed) without the privilege, and
/// off Linux.
pub fn set_fifo_priority(priority: Option<i32>) -> bool {
    #[cfg(target_os = "linux")]
    // SAFETY: plain libc calls on the current thread with a valid, initialised parameter.
    unsafe {
        let (policy, priority) = match priority {
            Some(p) => (libc::SCHED_FIFO, p),
            None => (libc::SCHED_OTHER, 0),
        };
        let param = libc::sched_param {
            sched_priority: priority,
        };
        libc::pthread_setschedparam(libc::pthread_self(), policy, &param) == 0
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = priority;
        false
    }
}
