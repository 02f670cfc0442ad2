//! Patch graphs: a serializable IR, validation, a compiler to a flat schedule, and a
//! runtime that processes 64-frame blocks and takes live updates that keep state.
//!
//! # Pipeline
//!
//! ```text
//!  language / JSON ──► Patch (ir) ──validate──► Plan (order) ──compile──► Runtime
//!                      modules with ids,        every error names        nodes in topological
//!                      types, params,           module id + field        order over one arena
//!                      outputs                  (+ source span)          of 64-frame buffers
//! ```
//!
//! * [`ir`]: a [`Patch`] is a list of [`Module`]s (stable `id`, a `type` from
//!   [`crate::units::ALL`] or the built-in `add` / `mul` / `notefreq`, and `params`) and one
//!   or two outputs. A parameter ([`Input`]) is a constant, a cable `module.port`, a pattern
//!   source (a Tidal expression the host evaluates and feeds at audio rate), or the cycle
//!   clock. It has a JSON form (`tactus graph FILE --json`).
//! * [`validate`](mod@validate): unknown types, unknown ports, wrong value types, out-of-range
//!   constants, dangling cables and cycles that do not pass through a `delay` are rejected
//!   before anything reaches the audio thread.
//! * [`compile`](mod@compile): allocates every buffer and unit on the control side. A
//!   parameter that is also an input port takes constants as the (smoothed by the unit)
//!   parameter and signals as the audio-rate input; a parameter that is not an input port is
//!   modulated at block rate (first sample of each block).
//! * [`Runtime`]: processing walks the nodes once per block — one dynamic call per unit and
//!   block, no lookups, no allocation. A live update compiles the new patch against the old
//!   [`Layout`]; at a block start the audio thread calls [`Runtime::adopt_state`], which
//!   swaps the unit boxes of unchanged modules (same id and type) into the new runtime, so
//!   oscillator phases, filter states, delay lines and reverb tails carry on; the old runtime
//!   (now holding the fresh, unused units) is sent back and dropped on the control side.
//!
//! Feedback is allowed only through a `delay` module's input: such a cable is read one
//! block late when it closes a loop.

pub mod compile;
pub mod ir;
pub mod kinds;
pub mod runtime;
pub mod validate;

#[cfg(test)]
mod tests;

pub use compile::compile;
pub use ir::{Input, Key, Module, Patch};
pub use kinds::module_info;
pub use runtime::{Layout, Runtime};
pub use validate::{validate, GraphError, Plan};
