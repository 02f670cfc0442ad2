//! # tactus-lang
//!
//! The file language: TidalCycles' Haskell subset.
//!
//! - [`lexer`] and [`parser`]: source text to the [`ast`] with byte spans, with Tidal's
//!   operator fixities ([`fixity`]).
//! - [`diagnostic`]: errors and warnings rendered with file, line, column and a caret.
//! - [`eval`]: evaluation to values with deferred pattern types (Tidal's string literals
//!   take their type from context).
//! - [`registry`]: every built-in function with its signature, docs and a runnable example.
//! - [`program`]: files of statements (`d1 $ ...`, `setcps`, `hush`) to a [`program::Program`].
//! - [`synthesis`]: signal expressions (`drone "x" $ ladder 800 0.5 (osc "saw" 55)`) lowered to
//!   validated patches (`tactus_dsp::graph`).
#![warn(missing_docs)]

pub mod ast;
pub mod diagnostic;
pub mod eval;
pub mod fixity;
pub mod lexer;
pub mod parser;
pub mod program;
pub mod registry;
pub mod synthesis;
