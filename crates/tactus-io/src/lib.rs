//! # tactus-io
//!
//! The edges of tactus, each behind a small interface: audio files ([`wav`]) now; audio
//! devices (cpal), OSC and MIDI backends join here, each in its own module beside a null
//! implementation.
#![warn(missing_docs)]

pub mod wav;
