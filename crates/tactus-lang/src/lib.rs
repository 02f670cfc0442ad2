//! # tactus-lang
//!
//! The file language: TidalCycles' Haskell subset.
pub mod ast;
