//! # tactus-io
//!
//! The edges of tactus, each behind a small interface and beside a null implementation:
//! audio files ([`wav`]), audio outputs ([`audio`]: cpal for ALSA/JACK beside a null
//! output), OSC ([`osc`]: the codec, SuperDirt's `/dirt/play`, UDP beside a null output) and
//! MIDI ([`midi`]: Standard MIDI Files, messages, and outputs beside a null one).
#![warn(missing_docs)]

pub mod audio;
pub mod midi;
pub mod osc;
pub mod wav;
