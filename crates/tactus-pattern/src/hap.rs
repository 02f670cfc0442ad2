//! Events ("haps"): a value active over a span, with its source locations.

use smallvec::SmallVec;

use crate::span::Span;
use crate::time::Time;

/// A byte range in the source text that produced a value (for editor highlighting and
/// diagnostics).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SrcSpan {
    /// Byte offset of the first character.
    pub start: u32,
    /// Byte offset one past the last character.
    pub end: u32,
}

impl SrcSpan {
    /// A source span from byte offsets.
    pub fn new(start: usize, end: usize) -> SrcSpan {
        SrcSpan {
            start: start as u32,
            end: end as u32,
        }
    }
}

/// The source spans of every atom that contributed to a hap.
pub type Context = SmallVec<[SrcSpan; 2]>;

/// One event: `value` is active over `part`, a fragment of the event's `whole` (`None` for
/// continuous values sampled from signals).
#[derive(Clone, Debug, PartialEq)]
pub struct Hap<T> {
    /// The whole event's span, `None` for analog (continuous) values.
    pub whole: Option<Span>,
    /// The fragment of the whole that falls in the query.
    pub part: Span,
    /// The value.
    pub value: T,
    /// Source spans of the atoms that produced it.
    pub context: Context,
}

impl<T> Hap<T> {
    /// A hap with no source context.
    pub fn new(whole: Option<Span>, part: Span, value: T) -> Hap<T> {
        Hap {
            whole,
            part,
            value,
            context: Context::new(),
        }
    }

    /// The whole if present, else the part (Tidal's `wholeOrPart`).
    pub fn whole_or_part(&self) -> Span {
        self.whole.unwrap_or(self.part)
    }

    /// The start of the whole (or part for analog haps).
    pub fn whole_start(&self) -> Time {
        self.whole_or_part().begin
    }

    /// True when this fragment contains the start of its event, so it should trigger a sound.
    pub fn has_onset(&self) -> bool {
        matches!(self.whole, Some(w) if w.begin == self.part.begin)
    }

    /// True when the hap is analog (no whole).
    pub fn is_analog(&self) -> bool {
        self.whole.is_none()
    }

    /// Maps the value, keeping times and context.
    pub fn with_value<U>(self, f: impl FnOnce(T) -> U) -> Hap<U> {
        Hap {
            whole: self.whole,
            part: self.part,
            value: f(self.value),
            context: self.context,
        }
    }

    /// Applies a time function to whole and part.
    pub fn with_span(mut self, f: impl Fn(Span) -> Span) -> Hap<T> {
        if self.whole == Some(self.part) {
            // a whole event (the common case): `f` is a function of the span, so one call
            // gives both
            let s = f(self.part);
            self.whole = Some(s);
            self.part = s;
            return self;
        }
        self.whole = self.whole.map(&f);
        self.part = f(self.part);
        self
    }
}

/// Appends `haps` to `out`, taking the vector itself when `out` is still empty (the first
/// of several query results, or the only one) instead of copying it.
#[inline]
pub fn append<T>(out: &mut Vec<Hap<T>>, haps: Vec<Hap<T>>) {
    if out.is_empty() {
        *out = haps;
    } else {
        out.extend(haps);
    }
}

/// Concatenates two contexts.
pub fn combine_contexts(a: &Context, b: &Context) -> Context {
    let mut c = a.clone();
    c.extend_from_slice(b);
    c
}
