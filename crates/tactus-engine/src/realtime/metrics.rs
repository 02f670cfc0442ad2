//! [`Metrics`]: counters shared between the audio callback, the scheduler thread and anyone
//! who wants to read them (the status line, `--metrics-json`, later the HTTP API).
//!
//! Every field is an atomic written with `Relaxed` stores by one side and read by others;
//! readers take a [`MetricsSnapshot`]. Floats are stored as their bits (`f64` in `AtomicU64`,
//! `f32` in `AtomicU32`); a maximum of non-negative floats is kept with `fetch_max` on the
//! bits, which order like the values.

use std::sync::atomic::Ordering::{Acquire, Relaxed, Release};
use std::sync::atomic::{fence, AtomicU32, AtomicU64};

/// Live counters of real-time playback. All methods are lock-free and allocation-free.
#[derive(Debug, Default)]
pub struct Metrics {
    /// The frame the next audio block starts at (the engine clock's "now").
    pub frame: AtomicU64,
    /// Audio callbacks so far.
    pub callbacks: AtomicU64,
    /// Callbacks with at least one sample above -60 dBFS.
    pub nonsilent_callbacks: AtomicU64,
    /// Nanoseconds spent rendering, summed over callbacks.
    pub render_ns: AtomicU64,
    /// Nanoseconds of audio those callbacks produced, summed.
    pub buffer_ns: AtomicU64,
    /// Largest render time / buffer time of one callback (`f32` bits).
    pub load_max: AtomicU32,
    /// Largest load since the last [`Metrics::take_recent_load_max`] (`f32` bits).
    pub load_max_recent: AtomicU32,
    /// Frames in the last callback.
    pub last_buffer: AtomicU32,
    /// Sounding voices after the last callback.
    pub voices: AtomicU32,
    /// Peak absolute sample value of the last callback (`f32` bits).
    pub last_peak: AtomicU32,
    /// Buffer over/underruns reported by the device (or detected from its timestamps).
    pub xruns: AtomicU64,
    /// Voice starts handed to the synth.
    pub events_played: AtomicU64,
    /// Events that reached the callback after their frame: played at the block start.
    pub late_events: AtomicU64,
    /// Events the synth refused (its pending queue was full).
    pub events_overflowed: AtomicU64,
    /// Events the scheduler sent.
    pub events_sent: AtomicU64,
    /// Times the event ring was full and the scheduler kept events for its next tick.
    pub ring_full: AtomicU64,
    /// Scheduler windows skipped entirely because they were already in the past.
    pub skipped_windows: AtomicU64,
    /// Frames covered by those skipped windows.
    pub skipped_frames: AtomicU64,
    /// Current cycle position at `frame` (`f64` bits).
    pub cycle: AtomicU64,
    /// Current tempo (`f64` bits).
    pub cps: AtomicU64,
    /// The generation of the program playing (0 = the first one).
    pub program_generation: AtomicU64,
    /// The cycle at which that program took over (`f64` bits).
    pub program_cycle: AtomicU64,
    /// Programs submitted and applied.
    pub reloads_applied: AtomicU64,
    /// Edits rejected because they had errors (the previous program kept playing).
    pub reloads_failed: AtomicU64,
    /// Sample buffers installed into the synth.
    pub samples_installed: AtomicU64,
    /// Drone sets installed by the callback (one per program swap with drones or buses).
    pub drone_swaps: AtomicU64,
    /// 1 once the audio side has faded out after a stop request.
    pub stopped: AtomicU64,
    /// Seqlock counter of the host-time pair below (odd while it is written).
    pub host_seq: AtomicU64,
    /// The frame of the last published host-time pair.
    pub host_frame: AtomicU64,
    /// The host time (µs, [`crate::link::host_micros`]) at which that frame started.
    pub host_micros: AtomicU64,
    /// 1 when the clock follows a Link session.
    pub link_enabled: AtomicU64,
    /// Other peers in the Link session.
    pub link_peers: AtomicU64,
    /// The Link session's tempo in bpm (`f64` bits).
    pub link_bpm: AtomicU64,
    /// The engine's beat (cycle × 4) at the scheduling frontier (`f64` bits).
    pub link_beat: AtomicU64,
    /// 1 while the Link session plays (start/stop sync).
    pub link_playing: AtomicU64,
    /// Times the clock jumped onto the session's timeline instead of slewing.
    pub link_jumps: AtomicU64,
}

/// A plain copy of [`Metrics`] at one moment.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct MetricsSnapshot {
    /// See [`Metrics::frame`].
    pub frame: u64,
    /// See [`Metrics::callbacks`].
    pub callbacks: u64,
    /// See [`Metrics::nonsilent_callbacks`].
    pub nonsilent_callbacks: u64,
    /// Mean callback load: total render time / total buffer time.
    pub load_mean: f64,
    /// See [`Metrics::load_max`].
    pub load_max: f32,
    /// See [`Metrics::last_buffer`].
    pub last_buffer: u32,
    /// See [`Metrics::voices`].
    pub voices: u32,
    /// See [`Metrics::last_peak`].
    pub last_peak: f32,
    /// See [`Metrics::xruns`].
    pub xruns: u64,
    /// See [`Metrics::events_played`].
    pub events_played: u64,
    /// See [`Metrics::late_events`].
    pub late_events: u64,
    /// See [`Metrics::events_overflowed`].
    pub events_overflowed: u64,
    /// See [`Metrics::events_sent`].
    pub events_sent: u64,
    /// See [`Metrics::ring_full`].
    pub ring_full: u64,
    /// See [`Metrics::skipped_windows`].
    pub skipped_windows: u64,
    /// See [`Metrics::skipped_frames`].
    pub skipped_frames: u64,
    /// See [`Metrics::cycle`].
    pub cycle: f64,
    /// See [`Metrics::cps`].
    pub cps: f64,
    /// See [`Metrics::program_generation`].
    pub program_generation: u64,
    /// See [`Metrics::program_cycle`].
    pub program_cycle: f64,
    /// See [`Metrics::reloads_applied`].
    pub reloads_applied: u64,
    /// See [`Metrics::reloads_failed`].
    pub reloads_failed: u64,
    /// See [`Metrics::samples_installed`].
    pub samples_installed: u64,
    /// See [`Metrics::drone_swaps`].
    pub drone_swaps: u64,
    /// See [`Metrics::link_enabled`].
    pub link_enabled: bool,
    /// See [`Metrics::link_peers`].
    pub link_peers: u64,
    /// See [`Metrics::link_bpm`].
    pub link_bpm: f64,
    /// See [`Metrics::link_beat`].
    pub link_beat: f64,
    /// See [`Metrics::link_playing`].
    pub link_playing: bool,
    /// See [`Metrics::link_jumps`].
    pub link_jumps: u64,
}

fn f32_of(a: &AtomicU32) -> f32 {
    f32::from_bits(a.load(Relaxed))
}

fn f64_of(a: &AtomicU64) -> f64 {
    f64::from_bits(a.load(Relaxed))
}

impl Metrics {
    /// Records one callback: how long it took and how long its audio lasts. Audio thread.
    pub fn record_callback(&self, render_ns: u64, buffer_ns: u64, frames: u32, peak: f32) {
        self.callbacks.fetch_add(1, Relaxed);
        if peak > 0.001 {
            self.nonsilent_callbacks.fetch_add(1, Relaxed);
        }
        self.render_ns.fetch_add(render_ns, Relaxed);
        self.buffer_ns.fetch_add(buffer_ns, Relaxed);
        let load = if buffer_ns > 0 {
            (render_ns as f64 / buffer_ns as f64) as f32
        } else {
            0.0
        };
        self.load_max.fetch_max(load.to_bits(), Relaxed);
        self.load_max_recent.fetch_max(load.to_bits(), Relaxed);
        self.last_buffer.store(frames, Relaxed);
        self.last_peak.store(peak.to_bits(), Relaxed);
    }

    /// Stores a float in one of the `f64`-bits fields.
    pub fn store_f64(field: &AtomicU64, x: f64) {
        field.store(x.to_bits(), Relaxed);
    }

    /// Reads one of the `f64`-bits fields.
    pub fn load_f64(field: &AtomicU64) -> f64 {
        f64_of(field)
    }

    /// Publishes that `frame` starts at host time `micros`. Called by the one thread that
    /// advances the frame counter (the audio callback): three stores, no lock, no wait.
    pub fn publish_host_time(&self, frame: u64, micros: i64) {
        let seq = self.host_seq.load(Relaxed);
        self.host_seq.store(seq.wrapping_add(1), Relaxed);
        fence(Release);
        self.host_frame.store(frame, Relaxed);
        self.host_micros.store(micros as u64, Relaxed);
        self.host_seq.store(seq.wrapping_add(2), Release);
    }

    /// The last published `(frame, host µs)` pair, if any was published and could be read
    /// consistently within a few tries.
    pub fn host_time(&self) -> Option<(u64, i64)> {
        for _ in 0..8 {
            let a = self.host_seq.load(Acquire);
            if a == 0 {
                return None;
            }
            if a % 2 == 1 {
                std::hint::spin_loop();
                continue;
            }
            let frame = self.host_frame.load(Relaxed);
            let micros = self.host_micros.load(Relaxed) as i64;
            fence(Acquire);
            if self.host_seq.load(Relaxed) == a {
                return Some((frame, micros));
            }
        }
        None
    }

    /// The largest callback load since the previous call (for a status line), resetting it.
    pub fn take_recent_load_max(&self) -> f32 {
        f32::from_bits(self.load_max_recent.swap(0, Relaxed))
    }

    /// A copy of every counter.
    pub fn snapshot(&self) -> MetricsSnapshot {
        let render = self.render_ns.load(Relaxed);
        let buffer = self.buffer_ns.load(Relaxed);
        MetricsSnapshot {
            frame: self.frame.load(Relaxed),
            callbacks: self.callbacks.load(Relaxed),
            nonsilent_callbacks: self.nonsilent_callbacks.load(Relaxed),
            load_mean: if buffer > 0 {
                render as f64 / buffer as f64
            } else {
                0.0
            },
            load_max: f32_of(&self.load_max),
            last_buffer: self.last_buffer.load(Relaxed),
            voices: self.voices.load(Relaxed),
            last_peak: f32_of(&self.last_peak),
            xruns: self.xruns.load(Relaxed),
            events_played: self.events_played.load(Relaxed),
            late_events: self.late_events.load(Relaxed),
            events_overflowed: self.events_overflowed.load(Relaxed),
            events_sent: self.events_sent.load(Relaxed),
            ring_full: self.ring_full.load(Relaxed),
            skipped_windows: self.skipped_windows.load(Relaxed),
            skipped_frames: self.skipped_frames.load(Relaxed),
            cycle: f64_of(&self.cycle),
            cps: f64_of(&self.cps),
            program_generation: self.program_generation.load(Relaxed),
            program_cycle: f64_of(&self.program_cycle),
            reloads_applied: self.reloads_applied.load(Relaxed),
            reloads_failed: self.reloads_failed.load(Relaxed),
            samples_installed: self.samples_installed.load(Relaxed),
            drone_swaps: self.drone_swaps.load(Relaxed),
            link_enabled: self.link_enabled.load(Relaxed) != 0,
            link_peers: self.link_peers.load(Relaxed),
            link_bpm: f64_of(&self.link_bpm),
            link_beat: f64_of(&self.link_beat),
            link_playing: self.link_playing.load(Relaxed) != 0,
            link_jumps: self.link_jumps.load(Relaxed),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn load_mean_and_max() {
        let m = Metrics::default();
        m.record_callback(1_000, 10_000, 64, 0.5);
        m.record_callback(3_000, 10_000, 64, 0.0);
        let s = m.snapshot();
        assert_eq!(s.callbacks, 2);
        assert_eq!(s.nonsilent_callbacks, 1);
        assert!((s.load_mean - 0.2).abs() < 1e-9);
        assert!((s.load_max - 0.3).abs() < 1e-6);
        assert!((m.take_recent_load_max() - 0.3).abs() < 1e-6);
        assert_eq!(m.take_recent_load_max(), 0.0);
    }

    #[test]
    fn host_time_pairs_round_trip() {
        let m = Metrics::default();
        assert_eq!(m.host_time(), None);
        m.publish_host_time(480, 1_234_567);
        assert_eq!(m.host_time(), Some((480, 1_234_567)));
        m.publish_host_time(960, 1_244_567);
        assert_eq!(m.host_time(), Some((960, 1_244_567)));
    }
}
