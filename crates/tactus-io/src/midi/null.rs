//! The null MIDI output: keeps every message with the time it was sent.

use std::time::Instant;

use super::{MidiMessage, MidiOut};

/// Records messages (for tests and dry runs).
#[derive(Default)]
pub struct NullMidiOut {
    /// What was sent, with when.
    pub sent: Vec<(Instant, MidiMessage)>,
}

impl MidiOut for NullMidiOut {
    fn send(&mut self, msg: MidiMessage) -> Result<(), String> {
        self.sent.push((Instant::now(), msg));
        Ok(())
    }
}
