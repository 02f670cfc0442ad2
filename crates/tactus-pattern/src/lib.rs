//! # tactus-pattern
//!
//! TidalCycles' pattern model in Rust, with Tidal's exact semantics.
//!
//! - **Time** is exact: [`Time`] is a rational number of cycles in lowest terms with checked
//!   arithmetic. A [`Span`] is a half-open range of time.
//! - **A pattern is a query.** [`Pattern<T>`] wraps a function from a [`State`] (the span
//!   being asked about) to the [`Hap`]s active during it. A hap has a `whole` (the event's
//!   full extent, `None` for continuous signals), a `part` (the fragment inside the query),
//!   a value and a `context` of source spans for editor highlighting.
//! - **Structure** follows Tidal: applicative combination with structure from the left, the
//!   right or both ([`Pattern::app_left`], [`Pattern::app_right`], [`Pattern::app_both`]),
//!   and monadic joins ([`Pattern::bind`], [`Pattern::inner_bind`], [`Pattern::outer_bind`],
//!   [`Pattern::squeeze_bind`]).
//! - **Guarded queries**: [`Pattern::try_query`] meters work with a per-thread budget, so
//!   `"bd*1e12"` is an error, not a hang, and time overflow is an error, not a wrap.
//!
//! No audio, no I/O, no threads: this crate is pure computation, queried by the engine's
//! scheduler thread (never by the audio thread).
#![warn(missing_docs)]

pub mod core;
pub mod euclid;
pub mod guard;
pub mod hap;
pub mod library;
pub mod mini;
pub mod pattern;
pub mod random;
pub mod span;
pub mod time;
pub mod value;

pub use crate::guard::{QueryError, DEFAULT_EVENT_CAP};
pub use crate::hap::{Context, Hap, SrcSpan};
pub use crate::pattern::{PatFn, PatValue, Pattern, State};
pub use crate::span::Span;
pub use crate::time::Time;
pub use crate::value::{NumOp, Value, ValueMap};
