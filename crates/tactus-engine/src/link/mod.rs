//! Following a shared tempo session (Ableton Link): tempo and phase of the engine clock
//! come from the session, and `setcps` changes the session's tempo.
//!
//! # Where Link runs, and why
//!
//! Link lives entirely on the **scheduler thread**; the audio callback never calls into it.
//! The callback only knows frames: every event it receives already carries its frame. So the
//! only thing Link has to change is the scheduler's [`Clock`] (frames -> cycles), and the
//! scheduler owns that clock. Link's audio-thread capture (`capture_audio_session_state`) is
//! documented realtime-safe, but it would buy nothing here and would put foreign C++ behind
//! the one thread that must never block; its app-thread capture and commit (which may lock
//! and allocate inside Link) are fine on the scheduler thread.
//!
//! What the scheduler needs from the audio side is which host time a frame is played at.
//! The callback (or the null output) publishes `(frame, host µs)` at each block start
//! ([`Metrics::publish_host_time`], a seqlock of atomics: no lock, no allocation; the time is
//! `clock_gettime(CLOCK_MONOTONIC_RAW)` through the vDSO, which is Link's own clock on
//! Linux). The scheduler thread fits a line through recent pairs ([`HostMap`]), so a frame
//! maps to Link's clock despite callback jitter and device clock drift; a device's output
//! latency (one buffer) is added on top.
//!
//! # Following the session
//!
//! Every tick, before scheduling the window `[from, to)`, the [`Follower`] captures the
//! session's timeline at the host time of frame `from` ([`Timeline`]): its tempo and its beat
//! there. A cycle is 4 beats, so the target cycle is `beat / 4`. Then:
//!
//! * far off (more than [`LinkConfig::max_slew`] seconds, e.g. on joining a session, which
//!   aligns the phase at the quantum, or when a peer moves the beat): the clock jumps to the
//!   target at `from`;
//! * otherwise the clock keeps its exact cycle at `from` (so query windows still tile exactly:
//!   no event lost or doubled) and takes the rate that reaches the session's timeline one
//!   [`LinkConfig::horizon`] later. A tempo change by a peer thus changes cps without a phase
//!   jump, and small errors decay smoothly.
//!
//! A program that takes over with its own `setcps` commits that tempo to the session at the
//! host time of its boundary ([`Follower::request_tempo`]); peers follow it. With start/stop
//! sync, the engine schedules nothing while the session is stopped.
//!
//! The follower only sees the session through the [`Session`] trait, so its arithmetic is
//! tested with a scripted session; the Link adapter is [`ableton::LinkSession`] (feature
//! `link`).
//!
//! [`Clock`]: crate::clock::Clock
//! [`Metrics::publish_host_time`]: crate::realtime::Metrics::publish_host_time

#[cfg(feature = "link")]
pub mod ableton;
pub mod follow;
pub mod hostmap;

pub use follow::{Follower, LinkSample};
pub use hostmap::HostMap;

/// A snapshot of a session's timeline around one host time: `Copy`, so it can be handed
/// anywhere.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Timeline {
    /// Tempo in beats per minute.
    pub bpm: f64,
    /// The host time (Link clock, µs) the beat below is at.
    pub micros: i64,
    /// The session's beat at `micros` (phase-aligned at the quantum).
    pub beat: f64,
    /// Whether the session is playing (always true without start/stop sync).
    pub playing: bool,
    /// Other peers in the session.
    pub peers: u64,
}

impl Timeline {
    /// The beat at another host time, on the same (linear) timeline.
    pub fn beat_at(&self, micros: i64) -> f64 {
        self.beat + (micros - self.micros) as f64 * self.bpm / 60e6
    }
}

/// A shared tempo session as the [`Follower`] sees it.
pub trait Session: Send {
    /// The timeline at host time `micros` (µs on the session's clock).
    fn capture(&mut self, micros: i64) -> Timeline;
    /// Sets the session's tempo at host time `micros`, keeping the beat there.
    fn set_tempo(&mut self, bpm: f64, micros: i64);
    /// Marks the session playing (start/stop sync) at host time `micros`.
    fn set_playing(&mut self, playing: bool, micros: i64);
    /// The session clock's current time in µs.
    fn now_micros(&self) -> i64;
}

/// Settings of Link following.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LinkConfig {
    /// Beats at which phase is aligned with peers (4 = one cycle).
    pub quantum: f64,
    /// Follow the session's start/stop state.
    pub start_stop: bool,
    /// Seconds of difference beyond which the clock jumps to the session instead of slewing.
    pub max_slew: f64,
    /// Seconds over which a smaller difference is absorbed.
    pub horizon: f64,
    /// Seconds from a block's start on the host clock to when it is heard; 0 means one
    /// device buffer, as measured from the callbacks (0 without a device).
    pub output_latency: f64,
}

impl Default for LinkConfig {
    /// Quantum 4, no start/stop sync, slew up to 50 ms over 250 ms, one buffer of output
    /// latency.
    fn default() -> LinkConfig {
        LinkConfig {
            quantum: 4.0,
            start_stop: false,
            max_slew: 0.05,
            horizon: 0.25,
            output_latency: 0.0,
        }
    }
}

/// Beats per cycle: a cycle is a bar of four beats, as in Tidal (`bpm = cps * 60 * 4`).
pub const BEATS_PER_CYCLE: f64 = 4.0;

/// The host clock Link uses on Linux (`CLOCK_MONOTONIC_RAW`), in µs. Realtime-safe: one
/// vDSO call, no allocation, no lock. On other systems, µs since the first call of the
/// process on the monotonic clock (matching Link's clock is then up to the caller).
pub fn host_micros() -> i64 {
    #[cfg(target_os = "linux")]
    {
        let mut ts = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: clock_gettime writes one timespec we own; it has no other preconditions.
        unsafe {
            libc::clock_gettime(libc::CLOCK_MONOTONIC_RAW, &mut ts);
        }
        ts.tv_sec * 1_000_000 + ts.tv_nsec / 1_000
    }
    #[cfg(not(target_os = "linux"))]
    {
        static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
        START
            .get_or_init(std::time::Instant::now)
            .elapsed()
            .as_micros() as i64
    }
}
