//! From syntax tree to pattern: Tidal 1.7.10's `toPat`, `resolve_seq` and `resolve_tpat`.
//!
//! Each construct is built from the same combinators Tidal uses (`fast` through
//! `innerJoin`, `timeCat` through `compressArc`, `unwrap`, `<*`), so events are fragmented
//! at the same boundaries as in Tidal, not merely equal in value.

use super::ast::{AtomValue, Node, NodeKind};
use super::AtomKind;
use crate::core::{compress_span, fast, slow, stack};
use crate::euclid::{euclid_off, euclid_off_bool};
use crate::guard;
use crate::hap::SrcSpan;
use crate::pattern::{PatValue, Pattern};
use crate::random::{choose_by, degrade_by_using, fast_from_list, rand, segment};
use crate::span::Span;
use crate::time::Time;
use crate::value::Value;

/// The most values one `a .. b` range produces; larger ranges exhaust the query budget.
pub const MAX_RANGE: usize = 1 << 16;

/// What a mini-notation sub-pattern can evaluate to.
pub(crate) trait Target: PatValue {
    fn from_atom(v: &AtomValue) -> Option<Self>;
    /// Tidal's `fromTo` for the type (`Enumerable`).
    fn from_to(a: &Self, b: &Self) -> Option<Vec<Self>>;
    /// Tidal's `doEuclid` (`euclidOff`; `euclidOffBool` for booleans).
    fn do_euclid(
        k: &Pattern<i64>,
        n: &Pattern<i64>,
        r: &Pattern<i64>,
        p: &Pattern<Self>,
        _bool_kind: bool,
    ) -> Pattern<Self> {
        euclid_off(k, n, r, p)
    }
}

/// Haskell's `enumFromTo` on fractional numbers: `takeWhile (<= b + 1/2) [a, a+1 ..]`,
/// reversed when `a > b` (Tidal's `enumFromTo'`).
fn frac_range(a: f64, b: f64) -> Option<Vec<f64>> {
    let (lo, hi, rev) = if a > b { (b, a, true) } else { (a, b, false) };
    if !(hi - lo).is_finite() || hi - lo > MAX_RANGE as f64 {
        return None;
    }
    let mut v: Vec<f64> = (0..)
        .map(|k| lo + k as f64)
        .take_while(|x| *x <= hi + 0.5)
        .collect();
    if rev {
        v.reverse();
    }
    Some(v)
}

fn int_range(a: i64, b: i64) -> Option<Vec<i64>> {
    let (lo, hi) = (a.min(b), a.max(b));
    if (hi as i128 - lo as i128) >= MAX_RANGE as i128 {
        return None;
    }
    let mut v: Vec<i64> = (lo..=hi).collect();
    if a > b {
        v.reverse();
    }
    Some(v)
}

fn rational_range(a: Time, b: Time) -> Option<Vec<Time>> {
    let (lo, hi, rev) = if a > b { (b, a, true) } else { (a, b, false) };
    if (hi - lo) > Time::int(MAX_RANGE as i64) {
        return None;
    }
    let lim = hi + Time::HALF;
    let mut v = Vec::new();
    let mut x = lo;
    while x <= lim {
        v.push(x);
        x = x + Time::ONE;
    }
    if rev {
        v.reverse();
    }
    Some(v)
}

impl Target for Time {
    fn from_atom(v: &AtomValue) -> Option<Time> {
        match v {
            AtomValue::Rational(t) => Some(*t),
            AtomValue::Int(i) => Some(Time::int(*i)),
            _ => None,
        }
    }
    fn from_to(a: &Time, b: &Time) -> Option<Vec<Time>> {
        rational_range(*a, *b)
    }
}

impl Target for i64 {
    fn from_atom(v: &AtomValue) -> Option<i64> {
        match v {
            AtomValue::Int(i) => Some(*i),
            _ => None,
        }
    }
    fn from_to(a: &i64, b: &i64) -> Option<Vec<i64>> {
        int_range(*a, *b)
    }
}

impl Target for Value {
    fn from_atom(v: &AtomValue) -> Option<Value> {
        Some(match v {
            AtomValue::Str(s) => Value::Str(s.as_str().into()),
            AtomValue::Float(x) => Value::Float(*x),
            AtomValue::Note(x) => Value::Note(*x),
            AtomValue::Int(i) => Value::Int(*i),
            AtomValue::Rational(t) => Value::Rational(*t),
            AtomValue::Bool(b) => Value::Bool(*b),
        })
    }
    fn from_to(a: &Value, b: &Value) -> Option<Vec<Value>> {
        Some(match (a, b) {
            (Value::Float(x), Value::Float(y)) => {
                frac_range(*x, *y)?.into_iter().map(Value::Float).collect()
            }
            (Value::Note(x), Value::Note(y)) => {
                frac_range(*x, *y)?.into_iter().map(Value::Note).collect()
            }
            (Value::Int(x), Value::Int(y)) => {
                int_range(*x, *y)?.into_iter().map(Value::Int).collect()
            }
            (Value::Rational(x), Value::Rational(y)) => rational_range(*x, *y)?
                .into_iter()
                .map(Value::Rational)
                .collect(),
            // Strings and booleans: `fastFromList [a, b]`.
            _ => vec![a.clone(), b.clone()],
        })
    }
    fn do_euclid(
        k: &Pattern<i64>,
        n: &Pattern<i64>,
        r: &Pattern<i64>,
        p: &Pattern<Value>,
        bool_kind: bool,
    ) -> Pattern<Value> {
        if bool_kind {
            euclid_value_bool(k, n, r, p)
        } else {
            euclid_off(k, n, r, p)
        }
    }
}

/// Builds patterns from a tree, adding `base` to every source span.
pub(crate) struct Builder {
    pub base: u32,
    pub kind: AtomKind,
}

fn exhausted<T: PatValue>() -> Pattern<T> {
    Pattern::new(|_| {
        guard::spend(u64::MAX);
        Vec::new()
    })
}

/// Tidal 1.7.10's `timeCat`: every part compressed into its share of the cycle (also a
/// single part, which fragments events at cycle boundaries as Tidal does).
fn timecat<T: PatValue>(parts: Vec<(Time, Pattern<T>)>) -> Pattern<T> {
    if parts.is_empty() {
        return Pattern::silence();
    }
    let total = parts.iter().fold(Time::ZERO, |a, (w, _)| a + *w);
    let mut acc = Time::ZERO;
    let mut out = Vec::with_capacity(parts.len());
    for (w, p) in parts {
        let b = acc / total;
        acc = acc + w;
        out.push(compress_span(Span::new(b, acc / total), &p));
    }
    stack(out)
}

/// A rational-valued seed offset: Tidal's `rotL (0.0001 * fromIntegral seed) rand`.
fn seeded_rand(seed: u32) -> Pattern<f64> {
    rand().rotate_left(Time::new(seed as i64, 10_000))
}

impl Builder {
    /// Tidal's `toPat`.
    pub fn build<T: Target>(&self, n: &Node) -> Pattern<T> {
        match &n.kind {
            NodeKind::Atom(v) => match T::from_atom(v) {
                Some(x) => Pattern::atom(
                    x,
                    Some(SrcSpan {
                        start: self.base.saturating_add(n.span.0),
                        end: self.base.saturating_add(n.span.1),
                    }),
                ),
                None => Pattern::silence(),
            },
            NodeKind::Silence | NodeKind::Var(_) => Pattern::silence(),
            NodeKind::Fast { factor, pat } => {
                let p = self.build::<T>(pat);
                self.build::<Time>(factor).inner_bind(move |r| fast(*r, &p))
            }
            NodeKind::Slow { factor, pat } => {
                let p = self.build::<T>(pat);
                self.build::<Time>(factor).inner_bind(move |r| slow(*r, &p))
            }
            NodeKind::Degrade { seed, amount, pat } => {
                degrade_by_using(&seeded_rand(*seed), *amount, &self.build::<T>(pat))
            }
            NodeKind::Choose { seed, options } => {
                let pats: Vec<Pattern<T>> = options.iter().map(|o| self.build(o)).collect();
                segment(
                    &Pattern::pure(Time::ONE),
                    &choose_by(&seeded_rand(*seed), pats),
                )
                .join()
            }
            NodeKind::Euclid {
                pulses,
                steps,
                rotation,
                pat,
            } => {
                let (k, s, r) = (self.build(pulses), self.build(steps), self.build(rotation));
                let p = self.build::<T>(pat);
                T::do_euclid(&k, &s, &r, &p, self.kind == AtomKind::Bool)
            }
            NodeKind::Stack(xs) => stack(xs.iter().map(|x| self.build(x)).collect()),
            NodeKind::Polymeter { steps, layers } => {
                let pats: Vec<(Time, Pattern<T>)> =
                    layers.iter().map(|l| self.resolve_tpat(l)).collect();
                let rate: Pattern<Time> = match steps {
                    Some(s) => self.build(s),
                    None => Pattern::pure(pats.first().map_or(Time::ZERO, |(sz, _)| *sz)),
                };
                stack(
                    pats.into_iter()
                        .map(|(sz, p)| {
                            if sz == Time::ZERO {
                                return Pattern::silence();
                            }
                            rate.fmap(move |r| *r / sz)
                                .inner_bind(move |r| fast(*r, &p))
                        })
                        .collect(),
                )
            }
            NodeKind::Seq(xs) => self.resolve_seq(xs).1,
            // Only meaningful inside a sequence; alone they are the step itself.
            NodeKind::Elongate { pat, .. } => self.build(pat),
            NodeKind::Repeat { count, pat } => {
                if *count == 0 {
                    Pattern::silence()
                } else {
                    self.build(pat)
                }
            }
            NodeKind::Range { from, to } => {
                let (a, b) = (self.build::<T>(from), self.build::<T>(to));
                a.app_both(&b, |x, y| (x.clone(), y.clone()))
                    .bind(|(x, y)| {
                        // Once the budget is spent, do not build further ranges.
                        if crate::guard::stopped() {
                            return exhausted();
                        }
                        match T::from_to(x, y) {
                            // Building the range is work the query pays for, per event.
                            Some(v) if crate::guard::spend(v.len() as u64) => fast_from_list(v),
                            _ => exhausted(),
                        }
                    })
            }
        }
    }

    /// Tidal's `resolve_tpat`: a sequence's step count and pattern, `(1, p)` otherwise.
    fn resolve_tpat<T: Target>(&self, n: &Node) -> (Time, Pattern<T>) {
        match &n.kind {
            NodeKind::Seq(xs) => self.resolve_seq(xs),
            _ => (Time::ONE, self.build(n)),
        }
    }

    /// Tidal's `resolve_seq`: expands `!` repeats and `@` weights, then `timeCat`.
    fn resolve_seq<T: Target>(&self, xs: &[Node]) -> (Time, Pattern<T>) {
        let mut parts: Vec<(Time, Pattern<T>)> = Vec::new();
        for x in xs {
            match &x.kind {
                NodeKind::Elongate { weight, pat } => parts.push((*weight, self.build(pat))),
                NodeKind::Repeat { count, pat } => {
                    let p = self.build::<T>(pat);
                    for _ in 0..*count {
                        parts.push((Time::ONE, p.clone()));
                    }
                }
                _ => parts.push((Time::ONE, self.build(x))),
            }
        }
        let total = parts.iter().fold(Time::ZERO, |a, (w, _)| a + *w);
        (total, timecat(parts))
    }
}

/// Boolean Euclid for `Value::Bool` patterns (Tidal's `euclidOffBool`).
fn euclid_value_bool(
    k: &Pattern<i64>,
    n: &Pattern<i64>,
    r: &Pattern<i64>,
    p: &Pattern<Value>,
) -> Pattern<Value> {
    let bools = p.fmap(|v| matches!(v, Value::Bool(true)));
    euclid_off_bool(k, n, r, &bools).fmap(|b| Value::Bool(*b))
}
