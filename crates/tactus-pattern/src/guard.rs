//! Per-query resource guard: the event cap and the overflow flag.
//!
//! Pattern queries are pure functions that may nest arbitrarily, so rather than threading a
//! `Result` through every combinator, work is metered in one place: every call of a
//! pattern's query ([`crate::Pattern::query`]) and every split of a query span into cycles
//! ([`crate::Span::cycles`], so every event a leaf produces) draws from a
//! per-thread budget. When the budget runs out, or rational arithmetic overflows, the guard
//! records it, leaves stop producing events, and [`crate::Pattern::try_query`] reports a
//! [`QueryError`]. Nothing wraps, nothing panics, nothing runs away.

use std::cell::Cell;

use thiserror::Error;

/// The default maximum number of events one query may produce.
pub const DEFAULT_EVENT_CAP: usize = 100_000;

/// How much internal work (query calls, span splits and leaf events) a query may do per
/// event it may return. Intermediate patterns legitimately do more work than the result.
const WORK_PER_EVENT: u64 = 20;

/// Why a query was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum QueryError {
    /// The query would produce more events than the cap.
    #[error("the query produces more than {cap} events (the per-query event cap); query a shorter span or use fewer events per cycle")]
    TooManyEvents {
        /// The cap in force.
        cap: usize,
    },
    /// Rational time arithmetic overflowed 64-bit numerator/denominator.
    #[error("time arithmetic overflowed (a number too large or too finely divided for exact rational time)")]
    Overflow,
}

thread_local! {
    static BUDGET: Cell<u64> = const { Cell::new(u64::MAX) };
    static EXHAUSTED: Cell<bool> = const { Cell::new(false) };
    static OVERFLOW: Cell<bool> = const { Cell::new(false) };
}

/// Raises the overflow flag for the current query (called by [`crate::Time`] arithmetic).
pub fn flag_overflow() {
    OVERFLOW.with(|o| o.set(true));
}

/// True if arithmetic overflowed since the guard was installed.
pub fn overflowed() -> bool {
    OVERFLOW.with(|o| o.get())
}

/// True when the query must stop producing work (budget exhausted or overflow).
#[inline]
pub fn stopped() -> bool {
    EXHAUSTED.with(|e| e.get()) || overflowed()
}

/// Draws `n` units of work from the budget; returns false (and marks the query exhausted)
/// once the budget is spent.
#[inline]
pub fn spend(n: u64) -> bool {
    BUDGET.with(|b| {
        let left = b.get();
        if left < n {
            EXHAUSTED.with(|e| e.set(true));
            b.set(0);
            false
        } else {
            b.set(left - n);
            true
        }
    })
}

/// Installs a budget for the current thread for its lifetime; restores the previous one on
/// drop, so guarded queries may nest.
pub struct QueryGuard {
    saved: (u64, bool, bool),
    cap: usize,
}

impl QueryGuard {
    /// A guard allowing `cap` result events.
    pub fn new(cap: usize) -> QueryGuard {
        let saved = (
            BUDGET.with(|b| b.get()),
            EXHAUSTED.with(|e| e.get()),
            OVERFLOW.with(|o| o.get()),
        );
        BUDGET.with(|b| b.set((cap as u64).saturating_mul(WORK_PER_EVENT).max(1000)));
        EXHAUSTED.with(|e| e.set(false));
        OVERFLOW.with(|o| o.set(false));
        QueryGuard { saved, cap }
    }

    /// Checks the state after a query that returned `produced` events.
    pub fn finish(&self, produced: usize) -> Result<(), QueryError> {
        if overflowed() {
            return Err(QueryError::Overflow);
        }
        if EXHAUSTED.with(|e| e.get()) || produced > self.cap {
            return Err(QueryError::TooManyEvents { cap: self.cap });
        }
        Ok(())
    }
}

impl Drop for QueryGuard {
    fn drop(&mut self) {
        BUDGET.with(|b| b.set(self.saved.0));
        EXHAUSTED.with(|e| e.set(self.saved.1));
        OVERFLOW.with(|o| o.set(self.saved.2));
    }
}
