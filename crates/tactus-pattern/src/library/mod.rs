//! Tidal's function library (`Sound.Tidal.UI`, `Sound.Tidal.Control`, parts of
//! `Sound.Tidal.Core`), one module per concept.
//!
//! Functions are generic over [`crate::PatValue`] where Tidal's are, and take patterned
//! arguments (`&Pattern<Time>`, `&Pattern<i64>`, ...) where Tidal's do, joining them the way
//! Tidal does (usually `innerJoin`, sometimes `squeezeJoin`). Functions specific to control
//! patterns (`Pattern<ValueMap>`) live in [`sample`] and [`control`].

pub mod arrangement;
pub mod bits;
pub mod chords;
pub mod conditional;
pub mod control;
pub mod harmony;
pub mod layering;
pub mod num;
pub mod ops;
pub mod sample;
pub mod signal;
pub mod structure;
pub mod time;
