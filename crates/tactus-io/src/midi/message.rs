//! MIDI messages and their bytes: channel messages, and the system messages of a MIDI clock
//! (timing clock, start, continue, stop, song position pointer).

/// A MIDI message: a channel message (channels 0–15) or a clock/transport system message.
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
    /// Timing clock (0xF8), 24 per quarter note.
    Clock,
    /// Start (0xFA): play from the beginning at the next clock.
    Start,
    /// Continue (0xFB): play from the song position at the next clock.
    Continue,
    /// Stop (0xFC).
    Stop,
    /// Song position pointer (0xF2), in sixteenth notes (6 clocks each) from the start.
    SongPosition {
        /// Sixteenth notes since the start, 0–16383.
        sixteenths: u16,
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
    /// let spp = MidiMessage::SongPosition { sixteenths: 200 };
    /// assert_eq!(spp.bytes().as_slice(), &[0xF2, 200 - 128, 1]);
    /// assert_eq!(MidiMessage::Clock.bytes().as_slice(), &[0xF8]);
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
            MidiMessage::Clock => ([0xF8, 0, 0], 1),
            MidiMessage::Start => ([0xFA, 0, 0], 1),
            MidiMessage::Continue => ([0xFB, 0, 0], 1),
            MidiMessage::Stop => ([0xFC, 0, 0], 1),
            MidiMessage::SongPosition { sixteenths } => {
                let v = sixteenths.min(16383);
                ([0xF2, (v & 127) as u8, (v >> 7) as u8], 3)
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

impl MidiMessage {
    /// Parses the bytes of one message (the inverse of [`MidiMessage::bytes`] for the
    /// messages tactus sends; a note-on with velocity 0 reads as a note-off).
    ///
    /// ```
    /// use tactus_io::midi::MidiMessage;
    /// let m = MidiMessage::Control { channel: 2, controller: 74, value: 9 };
    /// assert_eq!(MidiMessage::parse(m.bytes().as_slice()), Some(m));
    /// assert_eq!(MidiMessage::parse(&[0x90, 60, 0]), Some(MidiMessage::NoteOff { channel: 0, note: 60 }));
    /// assert_eq!(MidiMessage::parse(&[0xF0]), None);
    /// ```
    pub fn parse(b: &[u8]) -> Option<MidiMessage> {
        let status = *b.first()?;
        let d = |i: usize| b.get(i).copied().filter(|x| *x < 128);
        let channel = status & 15;
        Some(match status {
            0xF8 => MidiMessage::Clock,
            0xFA => MidiMessage::Start,
            0xFB => MidiMessage::Continue,
            0xFC => MidiMessage::Stop,
            0xF2 => MidiMessage::SongPosition {
                sixteenths: u16::from(d(1)?) | (u16::from(d(2)?) << 7),
            },
            0x80..=0x8F => MidiMessage::NoteOff {
                channel,
                note: d(1)?,
            },
            0x90..=0x9F if d(2)? == 0 => MidiMessage::NoteOff {
                channel,
                note: d(1)?,
            },
            0x90..=0x9F => MidiMessage::NoteOn {
                channel,
                note: d(1)?,
                velocity: d(2)?,
            },
            0xB0..=0xBF => MidiMessage::Control {
                channel,
                controller: d(1)?,
                value: d(2)?,
            },
            0xC0..=0xCF => MidiMessage::Program {
                channel,
                program: d(1)?,
            },
            0xE0..=0xEF => MidiMessage::PitchBend {
                channel,
                value: u16::from(d(1)?) | (u16::from(d(2)?) << 7),
            },
            _ => return None,
        })
    }
}
