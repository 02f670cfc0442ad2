//! MIDI, one module per concern, with each port backend beside a null output:
//!
//! * [`message`]: messages as bytes ([`MidiMessage`]), channel and clock/transport.
//! * [`controls`]: a Tidal control map to MIDI: note number, velocity, duration, channel,
//!   `ccn`/`ccv`, `midibend`, `progNum` — the same reading as SuperDirt's MIDI target.
//! * [`plan`]: what to send when ([`plan::MidiPlan`]): note-offs, overlapping notes, MIDI
//!   clock, silences — pure, driven by the caller's clock.
//! * [`smf`]: Standard MIDI File writing (format 1, one track per channel).
//! * Ports: [`alsa`] (the ALSA sequencer through midir) and [`jack`] (JACK MIDI through the
//!   `jack` crate, placing each message at its exact frame), opened by [`open`] and listed
//!   by [`list_ports`]; [`null`] keeps what it is given.
//!
//! Why two libraries: midir chooses its Linux backend at compile time (its `jack` feature
//! replaces ALSA), and Cargo unifies features across a build, so one binary cannot have
//! both through midir. The JACK side uses the `jack` crate directly (already linked for
//! cpal's JACK host), which also lets a message carry its frame offset inside the JACK
//! cycle: timing is then sample-exact instead of "at the next cycle".

pub mod alsa;
pub mod controls;
pub mod jack;
pub mod message;
pub mod null;
pub mod plan;
pub mod smf;

use std::time::{Duration, Instant};

pub use message::MidiMessage;

/// Something MIDI messages can be sent to.
pub trait MidiOut: Send {
    /// Sends one message now. Errors are reported, never fatal.
    fn send(&mut self, msg: MidiMessage) -> Result<(), String>;

    /// Sends one message to be heard at `at`. Outputs that can place a message in time
    /// (JACK) do so; the others send it now, and are called at `at` (see [`MidiOut::lead`]).
    fn send_at(&mut self, msg: MidiMessage, _at: Instant) -> Result<(), String> {
        self.send(msg)
    }

    /// How long before its time a message should be handed to [`MidiOut::send_at`]
    /// (zero: exactly at its time).
    fn lead(&self) -> Duration {
        Duration::ZERO
    }

    /// Messages that reached the port after their time and went out at once (JACK: a
    /// message handed over too late for its cycle). Outputs that send at once count none.
    fn late(&self) -> u64 {
        0
    }
}

/// A MIDI system to send through.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum MidiHost {
    /// The ALSA sequencer (`/dev/snd/seq`).
    #[default]
    Alsa,
    /// A running JACK server.
    Jack,
}

impl std::str::FromStr for MidiHost {
    type Err = String;
    fn from_str(s: &str) -> Result<MidiHost, String> {
        match s.to_ascii_lowercase().as_str() {
            "alsa" => Ok(MidiHost::Alsa),
            "jack" => Ok(MidiHost::Jack),
            _ => Err(format!("unknown MIDI host `{s}` (expected alsa or jack)")),
        }
    }
}

impl std::fmt::Display for MidiHost {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            MidiHost::Alsa => "alsa",
            MidiHost::Jack => "jack",
        })
    }
}

/// Why a MIDI port could not be listed or opened.
#[derive(Debug, thiserror::Error)]
pub enum MidiError {
    /// No ALSA sequencer device.
    #[error(
        "no ALSA sequencer ({0}): this machine has no MIDI sequencer device (load the \
         snd-seq module), or use JACK instead: `--host jack` / `host = \"jack\"` with a \
         running jackd (e.g. `jackd -d dummy`)"
    )]
    NoSequencer(String),
    /// No JACK server.
    #[error(
        "no JACK server to connect to ({0}): start one (e.g. `jackd -d dummy`, or set \
         JACK_DEFAULT_SERVER to a running server's name), or use the ALSA sequencer \
         (`--host alsa`)"
    )]
    NoJackServer(String),
    /// No port matches.
    #[error("no {host} MIDI port matches `{pattern}`; available: {}", if .available.is_empty() { "none".to_string() } else { .available.join(", ") })]
    NoPort {
        /// The host searched.
        host: MidiHost,
        /// The name or part of a name asked for.
        pattern: String,
        /// The ports there are.
        available: Vec<String>,
    },
    /// Anything else the backend reported.
    #[error("{0}")]
    Backend(String),
}

/// Lists the ports of `host` that MIDI can be sent to.
pub fn list_ports(host: MidiHost) -> Result<Vec<String>, MidiError> {
    match host {
        MidiHost::Alsa => alsa::list(),
        MidiHost::Jack => jack::list(),
    }
}

/// Opens an output named `name` on `host`, connected to the first port whose name contains
/// `pattern` (case-insensitively; an exact name wins). Without a pattern the output is a
/// port of its own (ALSA: a virtual port `tactus:NAME`; JACK: `tactus:NAME`) for other
/// programs to connect to.
pub fn open(
    host: MidiHost,
    name: &str,
    pattern: Option<&str>,
) -> Result<Box<dyn MidiOut>, MidiError> {
    Ok(match host {
        MidiHost::Alsa => Box::new(alsa::AlsaMidiOut::open(name, pattern)?),
        MidiHost::Jack => Box::new(jack::JackMidiOut::open(name, pattern)?),
    })
}

/// The port among `ports` that `pattern` names: an exact name, else the first (in the order
/// given) that contains it, case-insensitively.
///
/// ```
/// use tactus_io::midi::find_port;
/// let ports = ["Midi Through:0".to_string(), "synth:in".to_string(), "synth:in2".to_string()];
/// assert_eq!(find_port(&ports, "SYNTH"), Some(1));
/// assert_eq!(find_port(&ports, "synth:in2"), Some(2));
/// assert_eq!(find_port(&ports, "drum"), None);
/// ```
pub fn find_port(ports: &[String], pattern: &str) -> Option<usize> {
    let p = pattern.to_lowercase();
    ports
        .iter()
        .position(|n| *n == pattern)
        .or_else(|| ports.iter().position(|n| n.to_lowercase().contains(&p)))
}
