//! # tactus-engine
//!
//! The engine between the language and the sound: a sample-counter [`clock::Clock`]
//! mapped to cycles, a [`scheduler::Scheduler`] that queries every channel of a
//! [`tactus_lang::program::Program`] for a window of frames and turns the haps that start in
//! it into `Copy` [`events::Event`]s with exact frame timestamps, the offline renderer, and
//! [`realtime`] playback (a scheduler thread feeding a device callback through lock-free
//! queues, with hot swaps at cycle boundaries and [`realtime::Metrics`] in atomics).
//!
//! Pattern queries allocate, so they run here on the control side (a scheduler thread in
//! real time, the render loop offline), never on the audio thread.
#![warn(missing_docs)]

pub mod clock;
pub mod events;
pub mod instruments;
pub mod outputs;
pub mod realtime;
pub mod render;
pub mod scheduler;
pub mod sounds;
