//! Time spans (Tidal's `Arc`).

use std::fmt;

use crate::guard;
use crate::time::Time;

/// A half-open span of time `[begin, end)` in cycles.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    /// Inclusive start.
    pub begin: Time,
    /// Exclusive end.
    pub end: Time,
}

impl Span {
    /// A span from `begin` to `end`.
    pub fn new(begin: Time, end: Time) -> Span {
        Span { begin, end }
    }

    /// The whole cycle that contains `t` (Tidal's `wholeCycle`).
    pub fn whole_cycle(t: Time) -> Span {
        let s = t.sam();
        Span::new(s, s + Time::ONE)
    }

    /// `end - begin`.
    pub fn duration(&self) -> Time {
        self.end - self.begin
    }

    /// True when `begin == end`.
    pub fn is_zero_width(&self) -> bool {
        self.begin == self.end
    }

    /// Applies `f` to both ends.
    pub fn with_time(&self, f: impl Fn(Time) -> Time) -> Span {
        Span::new(f(self.begin), f(self.end))
    }

    /// Applies `f` to the cycle position of both ends, keeping the cycle (Tidal's
    /// `withCycle`). The end uses the cycle of `begin`.
    pub fn with_cycle(&self, f: impl Fn(Time) -> Time) -> Span {
        let sam = self.begin.sam();
        let b = sam + f(self.begin - sam);
        let e = sam + f(self.end - sam);
        Span::new(b, e)
    }

    /// The intersection, or `None` when the spans do not overlap (Tidal's `subArc`).
    /// A zero-width span at the end of a non-zero-width one does not intersect it.
    pub fn intersect(&self, other: &Span) -> Option<Span> {
        let b = self.begin.max(other.begin);
        let e = self.end.min(other.end);
        if b > e {
            return None;
        }
        if b == e {
            // Zero-width results at the end of a non-zero-width span are excluded.
            if b == self.end && self.begin < self.end {
                return None;
            }
            if b == other.end && other.begin < other.end {
                return None;
            }
        }
        Some(Span::new(b, e))
    }

    /// The intersection without the zero-width rules (Tidal's `sect`).
    pub fn sect(&self, other: &Span) -> Span {
        Span::new(self.begin.max(other.begin), self.end.min(other.end))
    }

    /// Splits the span at cycle boundaries (Tidal's `arcCyclesZW`): a zero-width span gives
    /// itself, an empty or inverted span nothing. Each piece draws from the query budget.
    pub fn cycles(&self) -> SpanCycles {
        SpanCycles {
            next: self.begin,
            end: self.end,
            zero_width: self.begin == self.end,
            done: self.begin > self.end,
        }
    }

    /// The cycle position of `begin` and the same span shifted into cycle 0.
    pub fn cycle_local(&self) -> Span {
        let s = self.begin.sam();
        Span::new(self.begin - s, self.end - s)
    }

    /// The midpoint.
    pub fn midpoint(&self) -> Time {
        (self.begin + self.end) * Time::HALF
    }
}

/// Iterator over the cycle pieces of a span. See [`Span::cycles`].
pub struct SpanCycles {
    next: Time,
    end: Time,
    zero_width: bool,
    done: bool,
}

impl Iterator for SpanCycles {
    type Item = Span;
    fn next(&mut self) -> Option<Span> {
        if self.done || guard::stopped() || !guard::spend(1) {
            return None;
        }
        if self.zero_width {
            self.done = true;
            return Some(Span::new(self.next, self.next));
        }
        if self.next >= self.end {
            self.done = true;
            return None;
        }
        let stop = self.next.next_sam().min(self.end);
        let piece = Span::new(self.next, stop);
        self.next = stop;
        if stop >= self.end {
            self.done = true;
        }
        Some(piece)
    }
}

impl fmt::Debug for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "({}>{})", self.begin, self.end)
    }
}
