//! MIDI, one module per concern, beside a null output:
//!
//! * [`message`]: channel messages as bytes ([`MidiMessage`]).
//! * [`controls`]: a Tidal control map to MIDI: note number, velocity, duration, channel,
//!   `ccn`/`ccv`, `midibend`, `progNum` — the same reading as SuperDirt's MIDI target.
//! * [`smf`]: Standard MIDI File writing (format 1, one track per channel).
//! * [`null`]: an output that keeps what it is given.

pub mod controls;
pub mod message;
pub mod null;
pub mod smf;

pub use message::MidiMessage;

/// Something MIDI messages can be sent to.
pub trait MidiOut: Send {
    /// Sends one message now. Errors are reported, never fatal.
    fn send(&mut self, msg: MidiMessage) -> Result<(), String>;
}
