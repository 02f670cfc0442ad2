//! Voices: SuperDirt-style parameters, built-in instruments (drums and synths), instruments
//! defined as patch graphs, sample playback, and the preallocated [`VoicePool`](pool::VoicePool).

pub mod buses;
pub mod drum_bank;
pub mod drums;
pub mod graph;
pub mod instruments;
pub mod params;
pub mod pool;
pub mod sampler;
pub mod synths;
#[allow(clippy::module_inception)]
pub mod voice;
