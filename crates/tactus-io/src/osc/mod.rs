//! OSC output, one module per concern, beside a null output (as the audio edge keeps its
//! backends beside `null`):
//!
//! * [`codec`]: OSC 1.0 messages and bundles to and from bytes, NTP [`TimeTag`]s.
//! * [`dirt`]: SuperDirt's `/dirt/play`, argument for argument as Tidal 1.7 sends it.
//! * [`udp`]: a UDP target that never fails the caller when nobody listens.
//! * [`null`]: an output that keeps what it is given (for tests and dry runs).
//!
//! Everything here runs on control-side threads; nothing is real-time critical beyond
//! sending each packet early enough, since bundles carry their own time-tags.

pub mod codec;
pub mod dirt;
pub mod null;
pub mod udp;

pub use codec::{DecodeError, OscArg, OscMessage, OscPacket, TimeTag};

/// Something OSC packets can be sent to.
pub trait OscOut: Send {
    /// Sends one packet. Errors are reported, never fatal: a silent or absent receiver is
    /// normal for UDP.
    fn send(&mut self, packet: &OscPacket) -> std::io::Result<()>;
}
