//! # tactus-io
//!
//! The edges of tactus, each behind a small interface: audio files ([`wav`]) and audio
//! outputs ([`audio`]: cpal for ALSA/JACK beside a null output); OSC and MIDI backends join
//! here, each in its own module beside a null implementation.
#![warn(missing_docs)]

pub mod audio;
pub mod wav;
