//! [`MidiPlan`]: what a MIDI output sends and when, independent of any port or clock.
//!
//! Times are seconds on the engine clock (frame 0 = 0 s) plus the destination's latency.
//! The plan takes events ([`MidiPlan::note`]), clock windows ([`MidiPlan::clock_window`])
//! and silences ([`MidiPlan::silence_at`]), keeps a time-ordered queue, and hands out the
//! messages that are due ([`MidiPlan::pop_due`]) — the caller decides what "now" is, so the
//! plan is tested with a fake clock.
//!
//! * An event plays a note when it has `note` or `n`, or when it has none of `ccn`/`ccv`,
//!   `midibend`, `progNum` (a control-only event sends only its controls). Its program
//!   change, control change and pitch bend go out at the onset before the note-on; the
//!   note-off at onset + duration ([`super::controls::duration`]); `nudge` (seconds) moves
//!   all of them.
//! * Overlapping notes of one pitch on one channel are **counted**: every note-on is sent
//!   (a retrigger), a note-off is sent only when the last note sounding on that channel and
//!   pitch ends, so no note is cut short by an earlier note's off. At equal times note-offs
//!   go first, so a note ending where the next one of its pitch begins is released and
//!   struck again.
//! * MIDI clock: 24 clocks per quarter note and 4 quarter notes per cycle (as with Link),
//!   so clock `k` is at cycle `k / 96`. Starting at cycle 0 sends Start before the first
//!   clock; starting (or resuming after a jump) elsewhere sends a song position pointer and
//!   Continue at the next sixteenth note. [`MidiPlan::stop_now`] sends Stop.
//! * A silence (`hush`) and a stop turn off every sounding note (a note-off each) and send
//!   all-notes-off (CC 123) on every channel used; pending note-offs of silenced notes are
//!   dropped.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use tactus_pattern::{Time, Value, ValueMap};

use super::{controls, MidiMessage};

/// MIDI clocks per cycle (24 per quarter note, 4 quarter notes per cycle).
pub const CLOCKS_PER_CYCLE: i64 = 96;

/// The shortest note, in seconds: a note-off never goes out before (or with) its note-on.
pub const MIN_NOTE: f64 = 0.001;

#[derive(Clone, Copy, Debug)]
enum Item {
    Send(MidiMessage),
    NoteOn {
        channel: u8,
        note: u8,
        velocity: u8,
    },
    NoteOff {
        channel: u8,
        note: u8,
        generation: u64,
    },
    Silence,
}

#[derive(Clone, Copy, Debug)]
struct Entry {
    at: f64,
    rank: u8,
    seq: u64,
    item: Item,
}

impl Entry {
    fn key(&self) -> (f64, u8, u64) {
        (self.at, self.rank, self.seq)
    }
}

impl PartialEq for Entry {
    fn eq(&self, o: &Entry) -> bool {
        self.cmp(o) == Ordering::Equal
    }
}
impl Eq for Entry {}
impl PartialOrd for Entry {
    fn partial_cmp(&self, o: &Entry) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}
impl Ord for Entry {
    // reversed: BinaryHeap is a max-heap, the earliest entry must come out first
    fn cmp(&self, o: &Entry) -> Ordering {
        let (a, b) = (self.key(), o.key());
        b.0.total_cmp(&a.0).then(b.1.cmp(&a.1)).then(b.2.cmp(&a.2))
    }
}

/// The MIDI clock's transport state.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Transport {
    Stopped,
    /// Running; the next window should start at this cycle.
    Running(Time),
}

/// A time-ordered plan of MIDI messages (see the module docs).
///
/// ```
/// use tactus_io::midi::plan::MidiPlan;
/// use tactus_io::midi::MidiMessage;
/// use tactus_pattern::{Value, ValueMap};
/// let mut plan = MidiPlan::new(0.1);
/// let mut m = ValueMap::new();
/// m.insert("note", Value::Note(4.0));
/// plan.note(&m, 1.0, 0.5, 0);
/// let mut got = Vec::new();
/// plan.pop_due(10.0, |t, msg| got.push((t, msg)));
/// assert_eq!(got, [
///     (1.1, MidiMessage::NoteOn { channel: 0, note: 64, velocity: 100 }),
///     (1.6, MidiMessage::NoteOff { channel: 0, note: 64 }),
/// ]);
/// ```
pub struct MidiPlan {
    latency: f64,
    queue: BinaryHeap<Entry>,
    seq: u64,
    sounding: Box<[[u16; 128]; 16]>,
    used_channels: u16,
    /// Generation given to newly planned notes.
    planned_generation: u64,
    /// Note-offs of an older generation than this are dropped (their note was silenced).
    live_generation: u64,
    transport: Transport,
}

impl MidiPlan {
    /// An empty plan whose messages go out `latency` seconds after their engine time.
    pub fn new(latency: f64) -> MidiPlan {
        MidiPlan {
            latency: if latency.is_finite() { latency } else { 0.0 },
            queue: BinaryHeap::new(),
            seq: 0,
            sounding: Box::new([[0; 128]; 16]),
            used_channels: 0,
            planned_generation: 0,
            live_generation: 0,
            transport: Transport::Stopped,
        }
    }

    fn push(&mut self, at: f64, item: Item) {
        let rank = match item {
            Item::NoteOff { .. } | Item::Silence => 0,
            Item::Send(_) => 1,
            Item::NoteOn { .. } => 2,
        };
        self.seq += 1;
        self.queue.push(Entry {
            at: at + self.latency,
            rank,
            seq: self.seq,
            item,
        });
    }

    /// Plans one event with onset `onset` and whole length `delta` (seconds), on `default_channel`
    /// unless it has `midichan`.
    /// `nudge` (seconds) moves the whole event, as it moves Tidal's time-tags.
    pub fn note(&mut self, m: &ValueMap, onset: f64, delta: f64, default_channel: u8) {
        let nudge = m
            .get("nudge")
            .and_then(Value::as_f64)
            .filter(|x| x.is_finite())
            .unwrap_or(0.0);
        let onset = onset + nudge;
        if !onset.is_finite() {
            return;
        }
        let channel = controls::channel(m, default_channel);
        let pre = controls::onset_messages(m, channel);
        for msg in &pre {
            self.push(onset, Item::Send(*msg));
        }
        let has = |k: &str| m.get(k).and_then(Value::as_f64).is_some();
        if !(has("note") || has("n") || pre.is_empty()) {
            return;
        }
        let note = controls::note_number(m);
        let dur = controls::duration(m, delta);
        let dur = if dur.is_finite() {
            dur.max(MIN_NOTE)
        } else {
            MIN_NOTE
        };
        self.push(
            onset,
            Item::NoteOn {
                channel,
                note,
                velocity: controls::velocity(m),
            },
        );
        self.push(
            onset + dur,
            Item::NoteOff {
                channel,
                note,
                generation: self.planned_generation,
            },
        );
    }

    /// Plans a silence at `at` (engine seconds): every note sounding then is turned off.
    pub fn silence_at(&mut self, at: f64) {
        self.planned_generation += 1;
        self.push(at, Item::Silence);
    }

    /// Plans the MIDI clock for the cycles `[from, to)`, where `seconds_at` gives a cycle's
    /// engine time. Windows follow each other; a window that does not start where the last
    /// one ended (the scheduler skipped ahead) stops the clock and resumes it from the new
    /// position.
    pub fn clock_window(&mut self, from: Time, to: Time, seconds_at: impl Fn(Time) -> f64) {
        if to <= from {
            return;
        }
        let per = Time::int(CLOCKS_PER_CYCLE);
        let first_clock = match self.transport {
            Transport::Running(next) if next == from => (from * per).ceil(),
            running => {
                if matches!(running, Transport::Running(_)) {
                    self.push(seconds_at(from), Item::Send(MidiMessage::Stop));
                }
                if from == Time::ZERO {
                    self.push(seconds_at(from), Item::Send(MidiMessage::Start));
                    Time::ZERO
                } else {
                    // resume at the next sixteenth note (6 clocks)
                    let sixteenth = (from * Time::int(16)).ceil();
                    let pos = sixteenth / Time::int(16);
                    let sixteenths = sixteenth.floor_i64().clamp(0, 16383) as u16;
                    self.push(
                        seconds_at(from),
                        Item::Send(MidiMessage::SongPosition { sixteenths }),
                    );
                    self.push(seconds_at(pos), Item::Send(MidiMessage::Continue));
                    sixteenth * Time::int(6)
                }
            }
        };
        self.transport = Transport::Running(to);
        // bounded: a window of a few hundred milliseconds holds few clocks; the cap guards
        // against absurd tempi
        let first = first_clock.floor_i64();
        for k in first..first.saturating_add(100_000) {
            let c = Time::new(k, CLOCKS_PER_CYCLE);
            if c >= to {
                break;
            }
            self.push(seconds_at(c), Item::Send(MidiMessage::Clock));
        }
    }

    /// The time of the earliest planned message.
    pub fn next_time(&self) -> Option<f64> {
        self.queue.peek().map(|e| e.at)
    }

    /// Number of planned entries.
    pub fn len(&self) -> usize {
        self.queue.len()
    }

    /// True when nothing is planned.
    pub fn is_empty(&self) -> bool {
        self.queue.is_empty()
    }

    /// Hands every message due at or before `until` to `send`, in time order, with its
    /// planned time.
    pub fn pop_due(&mut self, until: f64, mut send: impl FnMut(f64, MidiMessage)) {
        while self.queue.peek().is_some_and(|e| e.at <= until) {
            let e = self.queue.pop().expect("a peeked entry");
            match e.item {
                Item::Send(m) => send(e.at, m),
                Item::NoteOn {
                    channel,
                    note,
                    velocity,
                } => {
                    let c = &mut self.sounding[usize::from(channel & 15)][usize::from(note & 127)];
                    *c = c.saturating_add(1);
                    self.used_channels |= 1 << (channel & 15);
                    send(
                        e.at,
                        MidiMessage::NoteOn {
                            channel,
                            note,
                            velocity,
                        },
                    );
                }
                Item::NoteOff {
                    channel,
                    note,
                    generation,
                } => {
                    if generation < self.live_generation {
                        continue;
                    }
                    let c = &mut self.sounding[usize::from(channel & 15)][usize::from(note & 127)];
                    if *c == 0 {
                        continue;
                    }
                    *c -= 1;
                    if *c == 0 {
                        send(e.at, MidiMessage::NoteOff { channel, note });
                    }
                }
                Item::Silence => {
                    self.live_generation += 1;
                    self.all_off(|m| send(e.at, m));
                }
            }
        }
    }

    fn all_off(&mut self, mut send: impl FnMut(MidiMessage)) {
        for channel in 0..16u8 {
            for note in 0..128u8 {
                let c = &mut self.sounding[usize::from(channel)][usize::from(note)];
                if *c > 0 {
                    *c = 0;
                    send(MidiMessage::NoteOff { channel, note });
                }
            }
        }
        for channel in 0..16u8 {
            if self.used_channels & (1 << channel) != 0 {
                send(MidiMessage::all_notes_off(channel));
            }
        }
    }

    /// Stops now: drops everything planned and returns the note-offs of the sounding notes,
    /// all-notes-off on every channel used, and Stop when the clock runs.
    pub fn stop_now(&mut self) -> Vec<MidiMessage> {
        self.queue.clear();
        self.live_generation = self.planned_generation + 1;
        self.planned_generation = self.live_generation;
        let mut out = Vec::new();
        self.all_off(|m| out.push(m));
        if matches!(self.transport, Transport::Running(_)) {
            out.push(MidiMessage::Stop);
            self.transport = Transport::Stopped;
        }
        out
    }
}

#[cfg(test)]
#[path = "plan_tests.rs"]
mod tests;
