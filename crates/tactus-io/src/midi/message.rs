//! MIDI channel messages and their bytes.

/// A MIDI channel message (channels 0–15).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MidiMessage {
    /// Note on (velocity 1–127).
    NoteOn {
        /// Channel 0–15.
        channel: u8,
        /// Note number 0–127.
        note: u8,
        /// Velocity 1–127.
        velocity: u8,
    },
    /// Note off.
    NoteOff {
        /// Channel 0–15.
        channel: u8,
        /// Note number 0–127.
        note: u8,
    },
    /// Control change.
    Control {
        /// Channel 0–15.
        channel: u8,
        /// Controller 0–127.
        controller: u8,
        /// Value 0–127.
        value: u8,
    },
    /// Program change.
    Program {
        /// Channel 0–15.
        channel: u8,
        /// Program 0–127.
        program: u8,
    },
    /// Pitch bend, 0–16383 (8192 = centre).
    PitchBend {
        /// Channel 0–15.
        channel: u8,
        /// The 14-bit value.
        value: u16,
    },
}

impl MidiMessage {
    /// All notes off (controller 123) on a channel.
    pub fn all_notes_off(channel: u8) -> MidiMessage {
        MidiMessage::Control {
            channel,
            controller: 123,
            value: 0,
        }
    }

    /// The message's bytes (status first); at most three.
    ///
    /// ```
    /// use tactus_io::midi::MidiMessage;
    /// let m = MidiMessage::NoteOn { channel: 1, note: 60, velocity: 100 };
    /// assert_eq!(m.bytes().as_slice(), &[0x91, 60, 100]);
    /// ```
    pub fn bytes(self) -> MidiBytes {
        let (b, n) = match self {
            MidiMessage::NoteOn {
                channel,
                note,
                velocity,
            } => (
                [0x90 | (channel & 15), note & 127, velocity.clamp(1, 127)],
                3,
            ),
            MidiMessage::NoteOff { channel, note } => ([0x80 | (channel & 15), note & 127, 0], 3),
            MidiMessage::Control {
                channel,
                controller,
                value,
            } => ([0xB0 | (channel & 15), controller & 127, value & 127], 3),
            MidiMessage::Program { channel, program } => {
                ([0xC0 | (channel & 15), program & 127, 0], 2)
            }
            MidiMessage::PitchBend { channel, value } => {
                let v = value.min(16383);
                ([0xE0 | (channel & 15), (v & 127) as u8, (v >> 7) as u8], 3)
            }
        };
        MidiBytes { b, n }
    }
}

/// Up to three bytes of a MIDI message, without allocating.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MidiBytes {
    b: [u8; 3],
    n: usize,
}

impl MidiBytes {
    /// The bytes.
    pub fn as_slice(&self) -> &[u8] {
        &self.b[..self.n]
    }
}
