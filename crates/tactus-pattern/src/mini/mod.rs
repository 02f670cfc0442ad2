//! Tidal's mini-notation: `"bd*2 [~ sn] <hh oh>?"`.
//!
//! Two passes, as in Tidal 1.7.10's `Sound.Tidal.ParseBP`:
//!
//! 1. [`parse_mini_as`] turns the string into a [`MiniAst`] whose every node carries its
//!    byte span. The grammar mirrors Tidal's `ParseBP` rule by rule, including its Parsec
//!    token parsers, so the same strings are accepted and mean the same thing. Which
//!    literals are legal depends on the [`AtomKind`], as with Tidal's `Parseable`
//!    instances: words for strings, numbers and note names (`c e g`, `cs4`, `c'maj`) for
//!    numbers, `t f 1 0` for booleans.
//! 2. [`to_pattern`] builds a [`Pattern<Value>`] from the tree with the combinators Tidal
//!    uses, so events come out identical to Tidal's, fragments included. Each event's
//!    `context` holds the [`crate::SrcSpan`]s of the atoms that made it, shifted by `base`
//!    (the offset of the string in its file) for editor highlighting.
//!
//! Randomness (`?`, `|`) is seeded like Tidal's: each `?` and each `[a | b]` takes the next
//! number of a counter starting at 0, in parse order, and samples `rand` shifted by
//! `seed / 10000` cycles.
//!
//! Nothing here panics on any input: errors carry a message and a byte span, nesting is
//! capped at [`MAX_DEPTH`] levels, repeats at [`MAX_REPEAT`], and patterns that would do
//! unbounded work (`"bd*1e12"`) exhaust the query budget of [`crate::Pattern::try_query`]
//! instead of running away.
//!
//! ```
//! use tactus_pattern::mini::{mini_pattern, AtomKind};
//! use tactus_pattern::{Span, Time, Value};
//! let p = mini_pattern("bd*2 [~ sn]", AtomKind::String, 0).unwrap();
//! let haps = p.query_span(Span::new(Time::ZERO, Time::ONE));
//! let words: Vec<String> = haps.iter().map(|h| h.value.to_string()).collect();
//! assert_eq!(words, ["bd", "bd", "sn"]);
//! assert_eq!(haps[2].whole.unwrap().begin, Time::new(3, 4));
//! assert_eq!((haps[2].context[0].start, haps[2].context[0].end), (8, 10));
//! ```

mod ast;
mod build;
mod lexer;
mod parser;

pub use ast::{AtomValue, ByteSpan, MiniAst, Node, NodeKind};

use crate::guard::QueryGuard;
use crate::pattern::Pattern;
use crate::span::Span;
use crate::time::Time;
use crate::value::Value;

/// The deepest nesting of `[ ] { } < > ( )` accepted.
pub const MAX_DEPTH: u32 = 256;

/// The most steps one `!` repeat may produce.
pub const MAX_REPEAT: u32 = 10_000;

/// How the atoms of a mini-notation string are read (Tidal's `Parseable` instance in use).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AtomKind {
    /// Words: `bd`, `bd:3`, `superpiano` (`Pattern String`) → [`Value::Str`].
    String,
    /// Numbers, note names and chords (`Pattern Double`) → [`Value::Float`].
    Float,
    /// Whole numbers, note names and chords (`Pattern Int`) → [`Value::Int`].
    Int,
    /// Notes: numbers, note names, chords (`Pattern Note`) → [`Value::Note`].
    Note,
    /// Exact rationals such as `1%3` or `0.25` (`Pattern Rational`) → [`Value::Rational`].
    Rational,
    /// `t`/`f`/`1`/`0` (`Pattern Bool`) → [`Value::Bool`].
    Bool,
}

/// A mini-notation syntax error: what was expected, and where.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct MiniError {
    message: String,
    span: (u32, u32),
}

impl MiniError {
    /// An error over the bytes `start..end`.
    pub fn new(message: impl Into<String>, start: u32, end: u32) -> MiniError {
        MiniError {
            message: message.into(),
            span: (start, end.max(start)),
        }
    }

    /// What went wrong, saying what was expected.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Byte range `(start, end)` of the offending text, relative to the string plus the
    /// `base` passed to [`mini_pattern`].
    pub fn span(&self) -> (usize, usize) {
        (self.span.0 as usize, self.span.1 as usize)
    }

    fn shifted(mut self, base: u32) -> MiniError {
        self.span = (
            self.span.0.saturating_add(base),
            self.span.1.saturating_add(base),
        );
        self
    }
}

/// Parses `src` with the word grammar ([`AtomKind::String`]), the most permissive one.
///
/// ```
/// use tactus_pattern::mini::{parse_mini, NodeKind};
/// let err = parse_mini("bd [sn").unwrap_err();
/// assert_eq!(err.message(), "unclosed '[' opened here");
/// assert_eq!(err.span(), (3, 4));
/// let ok = parse_mini("bd sn").unwrap();
/// assert!(matches!(ok.root.kind, NodeKind::Seq(ref xs) if xs.len() == 2));
/// ```
pub fn parse_mini(src: &str) -> Result<MiniAst, MiniError> {
    parse_mini_as(src, AtomKind::String)
}

/// Parses `src` with the grammar for `kind`. Spans are relative to the string.
pub fn parse_mini_as(src: &str, kind: AtomKind) -> Result<MiniAst, MiniError> {
    let mut p = lexer::Parser::new(src);
    let root = p.top(kind)?;
    Ok(MiniAst { root, kind })
}

/// Builds the pattern for a parsed string, adding `base` to every source span.
pub fn to_pattern(ast: &MiniAst, base: u32) -> Pattern<Value> {
    let b = build::Builder {
        base,
        kind: ast.kind,
    };
    b.build::<Value>(&ast.root)
}

/// Parses and builds in one step: the pattern for `src` read as `kind`, its source spans
/// and error spans offset by `base` (the byte offset of the string's contents in the file).
pub fn mini_pattern(src: &str, kind: AtomKind, base: u32) -> Result<Pattern<Value>, MiniError> {
    let ast = parse_mini_as(src, kind).map_err(|e| e.shifted(base))?;
    Ok(to_pattern(&ast, base))
}

/// A total, panic-free workout for fuzzers: parses `src` as every kind and queries what
/// parses over a few cycles (including negative ones) under a small event cap. Returns how
/// many kinds parsed.
pub fn fuzz_one(src: &str) -> usize {
    const KINDS: [AtomKind; 6] = [
        AtomKind::String,
        AtomKind::Float,
        AtomKind::Int,
        AtomKind::Note,
        AtomKind::Rational,
        AtomKind::Bool,
    ];
    let mut ok = 0;
    for kind in KINDS {
        if let Ok(p) = mini_pattern(src, kind, 0) {
            ok += 1;
            for (b, e) in [(-2, 0), (0, 1), (1, 3)] {
                let _ = p.try_query(Span::new(Time::new(b, 1), Time::new(e, 1)), 2_000);
            }
            // A zero-width query and an odd fractional one.
            let _ = p.try_query(Span::new(Time::new(1, 3), Time::new(1, 3)), 2_000);
            let _g = QueryGuard::new(2_000);
            let _ = p.query_span(Span::new(Time::new(-7, 5), Time::new(2, 7)));
        }
    }
    ok
}
