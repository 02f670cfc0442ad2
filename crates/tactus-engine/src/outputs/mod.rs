//! Outputs to the outside world (SuperDirt over OSC, MIDI ports): the events they receive,
//! the [`Sink`] they implement, channel/event routing, and the scheduler that feeds them.
//!
//! External outputs do not go through the audio callback. An [`OutputScheduler`] queries the
//! program for `[frontier, now + lookahead)` on its own thread ([`OutputThread`]), with the
//! same clock (the audio frame counter), the same program swaps at cycle or beat boundaries,
//! and hands every onset to each sink as an [`OutputEvent`] carrying the full control map,
//! the exact onset in cycles and in seconds on the engine clock (frame 0 = 0 s, computed from
//! rational cycle time, not from a rounded frame) and the whole's duration. Sinks turn that
//! into what they send: OSC bundles time-tagged `onset + nudge + latency`, MIDI note-ons and
//! timed note-offs.
//!
//! [`routing`] decides which channels (and which events, by their `dest` control) go where:
//! [`routing::Routes::program_for`] gives each destination the program it should play, so the
//! built-in synth and each external sink see only their share.

pub mod routing;
pub mod scheduler;
pub mod segments;
pub mod thread;

use std::sync::Arc;
use std::time::Instant;

use tactus_pattern::{Time, ValueMap};

pub use routing::Routes;
pub use scheduler::OutputScheduler;
pub use thread::OutputThread;

/// One onset for an external output.
#[derive(Clone, Debug, PartialEq)]
pub struct OutputEvent {
    /// The channel (`"1"` for `d1`).
    pub channel: Arc<str>,
    /// The onset in cycles (the start of the hap's whole).
    pub cycle: Time,
    /// The onset in seconds on the engine clock (frame 0 = 0 s), before nudge and latency.
    pub seconds: f64,
    /// The whole's duration in seconds.
    pub delta: f64,
    /// The tempo at the onset.
    pub cps: f64,
    /// The event's controls.
    pub controls: ValueMap,
}

/// The tempo in force over a stretch of cycles: cycle `anchor_cycle` is at `anchor_seconds`
/// on the engine clock, and time runs at `cps`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Tempo {
    /// Engine seconds at the anchor.
    pub anchor_seconds: f64,
    /// The anchor's cycle.
    pub anchor_cycle: Time,
    /// Cycles per second.
    pub cps: f64,
}

impl Tempo {
    /// The engine time of `cycle` (exact rational offset from the anchor).
    ///
    /// ```
    /// use tactus_engine::outputs::Tempo;
    /// use tactus_pattern::Time;
    /// let t = Tempo { anchor_seconds: 2.0, anchor_cycle: Time::int(1), cps: 0.5 };
    /// assert_eq!(t.seconds_at(Time::new(3, 2)), 3.0);
    /// ```
    pub fn seconds_at(&self, cycle: Time) -> f64 {
        self.anchor_seconds + (cycle - self.anchor_cycle).to_f64() / self.cps
    }
}

/// An external output fed by an [`OutputScheduler`].
pub trait Sink: Send {
    /// Takes one event, ahead of its onset by about the scheduler's lookahead.
    fn send(&mut self, ev: &OutputEvent);
    /// Called every scheduler tick with the engine clock's current time in seconds (for
    /// timed note-offs, replies, clocks).
    fn tick(&mut self, _now_seconds: f64) {}
    /// The cycles `[from, to)` have been scheduled under `tempo` (consecutive windows
    /// follow each other unless the scheduler skipped ahead): for clocks sent ahead.
    fn advance(&mut self, _from: Time, _to: Time, _tempo: Tempo) {}
    /// Everything goes silent at `at_seconds` (engine time): a `hush` took over there.
    fn silence(&mut self, _at_seconds: f64) {}
    /// When this sink next has something to send on time (its timed queue's head); the
    /// output thread wakes then and calls [`Sink::poll`].
    fn next_deadline(&self) -> Option<Instant> {
        None
    }
    /// True when [`Sink::poll`] must run right at [`Sink::next_deadline`] because the sink
    /// sends at once (a late wake-up is a late message); false when the deadline already
    /// leaves slack because the sink's output places messages in time itself (JACK MIDI),
    /// so the output thread need not spin for it.
    fn exact_deadlines(&self) -> bool {
        true
    }
    /// Sends what is due at `now`.
    fn poll(&mut self, _now: Instant) {}
    /// Playback stops: silence everything (e.g. MIDI all-notes-off).
    fn stop(&mut self) {}
}

/// A sink that keeps every event (for tests and `--dry-run`s).
#[derive(Clone, Default)]
pub struct RecordingSink {
    /// What it received.
    pub events: Arc<std::sync::Mutex<Vec<OutputEvent>>>,
}

impl Sink for RecordingSink {
    fn send(&mut self, ev: &OutputEvent) {
        if let Ok(mut v) = self.events.lock() {
            v.push(ev.clone());
        }
    }
}
