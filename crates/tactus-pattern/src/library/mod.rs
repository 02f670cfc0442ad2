//! Tidal 1.7.10's function library (`Sound.Tidal.UI`, `Sound.Tidal.Control`, parts of
//! `Sound.Tidal.Core`), one module per concept, checked against the real Tidal 1.7.10
//! (`tests/library_oracle.rs`).
//!
//! - [`time`]: repeating, shifting, squashing and zooming (`ply`, `iter`, `linger`,
//!   `inside`, `swingBy`, `press`, `trunc`, `stutWith`, ...).
//! - [`conditional`]: applying functions sometimes (`every`, `every'`, `whenmod`, `within`,
//!   `sew`, `stitch`, `while`, `select`, `pickF`, `squeeze`).
//! - [`structure`]: `struct`, `mask`, `chunk`, `fit`, `bite`, `wedge`, `rot`, `arp`,
//!   `rolled`, `mono`, `smooth`, `swap`, `stretch`, `substruct`.
//! - [`layering`]: `overlay`, `superimpose`, `off`, `layer`, `spread` and friends.
//! - [`arrangement`]: `seqP`, `seqPLoop`, `timeLoop`, `ur`, `inhabit`, `spaceOut`,
//!   `foldEvery`, `soak`, `snowball`, `repeatCycles`.
//! - [`signal`]: continuous signals (`sine`, `saw`, ...), `range`, `quantise`, `segment`,
//!   `run`, `scan`.
//! - [`harmony`] and [`chords`]: scale and chord tables, `toScale`, `scale`.
//! - [`bits`]: `binary`, `ascii`, `necklace`, `lindenmayer`.
//! - [`control`] and [`sample`]: control-pattern (`Pattern<ValueMap>`) functions: `hurry`,
//!   `jux`, `ghost`, `stut`, `fix`, `chop`, `striate`, `slice`, `splice`, `loopAt`, `chew`.
//! - [`ops`]: the operator family (`# |+| |+ +| |< |> ...`, `+ - * /`).
//! - [`num`]: the [`num::Numeric`] trait and Haskell arithmetic helpers.
//!
//! Naming follows [`crate::core`]: `f` takes constant arguments (Tidal's `_f`), `f_pat`
//! takes patterns and joins them the way Tidal does (usually `innerJoin`, sometimes
//! `squeezeJoin` or `unwrap`, as documented on each). Primes become `_prime` (`chunk'` is
//! [`structure::chunk_prime`]); Rust keywords get a trailing underscore (`struct_`,
//! `while_`). Function arguments are [`crate::PatFn`]s.

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
