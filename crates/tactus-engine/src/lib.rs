//! # tactus-engine
//!
//! The engine between the language and the sound: a sample-counter [`clock::Clock`]
//! mapped to cycles, a [`scheduler::Scheduler`] that queries every channel of a
//! [`tactus_lang::program::Program`] for a window of frames and turns the haps that start in
//! it into `Copy` [`events::Event`]s with exact frame timestamps, the offline renderer, and
//! [`realtime`] playback (a scheduler thread feeding a device callback through lock-free
//! queues, with hot swaps at cycle boundaries and [`realtime::Metrics`] in atomics).
//! [`drones`] plays a program's buses and drones (compiled patch graphs) the same way
//! offline and in the callback: a control-side feed builds and diffs them and sends pattern
//! values ahead, the audio side installs each new set at its frame. In each block the buses
//! run before the synth, whose instruments read them (`busin`).
//!
//! [`link`] keeps the scheduler's clock on an Ableton Link session (tempo and phase), from
//! the scheduler thread only; [`outputs`] feeds external sinks (OSC) from their own thread,
//! each event handed over at its planned moment.
//!
//! Pattern queries allocate, so they run here on the control side (a scheduler thread in
//! real time, the render loop offline), never on the audio thread.
#![warn(missing_docs)]

pub mod clock;
pub mod drones;
pub mod events;
pub mod instruments;
pub mod link;
pub mod outputs;
pub mod realtime;
pub mod render;
pub mod scheduler;
pub mod sounds;
