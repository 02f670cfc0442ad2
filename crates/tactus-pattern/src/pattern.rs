//! The pattern type: a function from a query span to the haps active in it.

use std::sync::Arc;

use crate::guard::{self, QueryError, QueryGuard};
use crate::hap::{combine_contexts, Context, Hap, SrcSpan};
use crate::span::Span;
use crate::time::Time;

/// What a pattern is asked: the span of time to return haps for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct State {
    /// The query span.
    pub span: Span,
}

impl State {
    /// A state for a span.
    pub fn new(span: Span) -> State {
        State { span }
    }

    /// The same state with another span.
    pub fn with_span(&self, span: Span) -> State {
        State { span }
    }
}

/// A pattern transformation passed as an argument (`every 2 (fast 2)`).
pub type PatFn<T> = Arc<dyn Fn(&Pattern<T>) -> Pattern<T> + Send + Sync>;

type QueryFn<T> = dyn Fn(&State) -> Vec<Hap<T>> + Send + Sync;

/// A pattern: a query from a span of time to the haps active during it (Tidal's `Pattern`).
///
/// Cloning is cheap (a reference count). Values must be `Clone + Send + Sync + 'static`.
///
/// ```
/// use tactus_pattern::{Pattern, Span, Time};
/// let p = Pattern::fastcat(vec![Pattern::pure("bd"), Pattern::pure("sn")]);
/// let haps = p.query_span(Span::new(Time::ZERO, Time::ONE));
/// assert_eq!(haps.len(), 2);
/// assert_eq!(haps[1].whole.unwrap().begin, Time::HALF);
/// ```
pub struct Pattern<T> {
    query: Arc<QueryFn<T>>,
    /// The value, when this is [`Pattern::pure`]: one hap per cycle with no context. Lets
    /// combinators skip querying a constant (see [`Pattern::app_left`]).
    constant: Option<Arc<T>>,
}

impl<T> Clone for Pattern<T> {
    fn clone(&self) -> Self {
        Pattern {
            query: self.query.clone(),
            constant: self.constant.clone(),
        }
    }
}

/// Bound for pattern values.
pub trait PatValue: Clone + Send + Sync + 'static {}
impl<T: Clone + Send + Sync + 'static> PatValue for T {}

impl<T: PatValue> Pattern<T> {
    /// A pattern from a query function.
    pub fn new(f: impl Fn(&State) -> Vec<Hap<T>> + Send + Sync + 'static) -> Pattern<T> {
        Pattern {
            query: Arc::new(f),
            constant: None,
        }
    }

    /// True when both are the same pattern object (cheap identity, for caches).
    pub fn ptr_eq(&self, other: &Pattern<T>) -> bool {
        Arc::ptr_eq(&self.query, &other.query)
    }

    /// Runs the query for a state. Unguarded: prefer [`Pattern::try_query`] at the top level.
    /// Every call draws one unit from the query budget, so deeply nested patterns are
    /// metered by the work they do, not only by the events their leaves make; once the
    /// budget is spent, queries return nothing and the guarded caller reports the error.
    #[inline]
    pub fn query(&self, st: &State) -> Vec<Hap<T>> {
        if !guard::spend(1) {
            return Vec::new();
        }
        (self.query)(st)
    }

    /// Runs the query for a span. Unguarded.
    pub fn query_span(&self, span: Span) -> Vec<Hap<T>> {
        self.query(&State::new(span))
    }

    /// Queries `[begin, end)` under a [`QueryGuard`] with the given event cap: too many
    /// events or a time overflow is an error rather than a hang, a wrap or a panic.
    pub fn try_query(&self, span: Span, cap: usize) -> Result<Vec<Hap<T>>, QueryError> {
        let g = QueryGuard::new(cap);
        let out = self.query_span(span);
        g.finish(out.len())?;
        Ok(out)
    }

    /// The empty pattern.
    pub fn silence() -> Pattern<T> {
        Pattern::new(|_| Vec::new())
    }

    /// One event per cycle, forever (Tidal's `pure`).
    pub fn pure(v: T) -> Pattern<T> {
        let constant = Some(Arc::new(v.clone()));
        Pattern {
            constant,
            ..Pattern::new(move |st| {
                st.span
                    .cycles()
                    .map(|part| Hap::new(Some(Span::whole_cycle(part.begin)), part, v.clone()))
                    .collect()
            })
        }
    }

    /// Like [`Pattern::pure`], with a source span recorded on every hap.
    pub fn atom(v: T, src: Option<SrcSpan>) -> Pattern<T> {
        match src {
            None => Pattern::pure(v),
            Some(s) => Pattern::new(move |st| {
                st.span
                    .cycles()
                    .map(|part| {
                        let mut h = Hap::new(Some(Span::whole_cycle(part.begin)), part, v.clone());
                        h.context.push(s);
                        h
                    })
                    .collect()
            }),
        }
    }

    /// A continuous signal: the value at the query midpoint... following Tidal, `f` gets the
    /// query span and the hap has no whole.
    pub fn signal_span(f: impl Fn(Span) -> T + Send + Sync + 'static) -> Pattern<T> {
        Pattern::new(move |st| vec![Hap::new(None, st.span, f(st.span))])
    }

    /// A continuous signal sampled at the midpoint of the query (Tidal 1.7.10's `sig`:
    /// `f (s + (e - s) / 2)`; checked against the oracle, e.g. `saw` over `[1/4, 1/2)` is
    /// `0.375`).
    pub fn signal(f: impl Fn(Time) -> T + Send + Sync + 'static) -> Pattern<T> {
        Pattern::new(move |st| {
            if st.span.begin > st.span.end {
                return Vec::new();
            }
            let s = st.span.begin;
            let mid = s + (st.span.end - s) * Time::HALF;
            vec![Hap::new(None, st.span, f(mid))]
        })
    }

    /// Maps every value.
    pub fn fmap<U: PatValue>(&self, f: impl Fn(&T) -> U + Send + Sync + 'static) -> Pattern<U> {
        let p = self.clone();
        // a mapped constant is a constant
        let constant = self.constant.as_deref().map(|v| Arc::new(f(v)));
        Pattern {
            constant,
            ..Pattern::new(move |st| {
                p.query(st)
                    .into_iter()
                    .map(|h| Hap {
                        value: f(&h.value),
                        whole: h.whole,
                        part: h.part,
                        context: h.context,
                    })
                    .collect()
            })
        }
    }

    /// Maps every value, taking it by value: like [`Pattern::fmap`] without a clone of
    /// each value when `f` only moves or rewraps it (e.g. `Value::Map(m)` and back).
    ///
    /// ```
    /// use tactus_pattern::{Pattern, Span, Time};
    /// let p = Pattern::pure(vec![1, 2]).fmap_owned(|v| v.len());
    /// assert_eq!(p.query_span(Span::new(Time::ZERO, Time::ONE))[0].value, 2);
    /// ```
    pub fn fmap_owned<U: PatValue>(
        &self,
        f: impl Fn(T) -> U + Send + Sync + 'static,
    ) -> Pattern<U> {
        let p = self.clone();
        // a mapped constant is a constant
        let constant = self.constant.as_deref().map(|v| Arc::new(f(v.clone())));
        Pattern {
            constant,
            ..Pattern::new(move |st| {
                p.query(st)
                    .into_iter()
                    .map(|h| Hap {
                        value: f(h.value),
                        whole: h.whole,
                        part: h.part,
                        context: h.context,
                    })
                    .collect()
            })
        }
    }

    /// Transforms the list of haps each query returns.
    pub fn with_haps<U: PatValue>(
        &self,
        f: impl Fn(Vec<Hap<T>>) -> Vec<Hap<U>> + Send + Sync + 'static,
    ) -> Pattern<U> {
        let p = self.clone();
        Pattern::new(move |st| f(p.query(st)))
    }

    /// Keeps the haps for which `f` holds.
    pub fn filter_haps(&self, f: impl Fn(&Hap<T>) -> bool + Send + Sync + 'static) -> Pattern<T> {
        self.with_haps(move |mut hs| {
            hs.retain(|h| f(h));
            hs
        })
    }

    /// Keeps the haps whose value satisfies `f`.
    pub fn filter_values(&self, f: impl Fn(&T) -> bool + Send + Sync + 'static) -> Pattern<T> {
        self.filter_haps(move |h| f(&h.value))
    }

    /// Keeps only haps that contain their onset (Tidal's `filterOnsets`).
    pub fn filter_onsets(&self) -> Pattern<T> {
        self.filter_haps(|h| h.has_onset())
    }

    /// Keeps discrete haps (with a whole).
    pub fn filter_digital(&self) -> Pattern<T> {
        self.filter_haps(|h| h.whole.is_some())
    }

    /// Keeps analog haps (without a whole).
    pub fn filter_analog(&self) -> Pattern<T> {
        self.filter_haps(|h| h.whole.is_none())
    }

    /// Keeps haps whose whole starts at a time satisfying `f` (Tidal's `filterWhen`).
    pub fn filter_when(&self, f: impl Fn(Time) -> bool + Send + Sync + 'static) -> Pattern<T> {
        self.filter_haps(move |h| f(h.whole_start()))
    }

    /// Splits every query at cycle boundaries (Tidal's `splitQueries`).
    pub fn split_queries(&self) -> Pattern<T> {
        let p = self.clone();
        Pattern::new(move |st| {
            let mut out = Vec::new();
            for s in st.span.cycles() {
                crate::hap::append(&mut out, p.query(&st.with_span(s)));
            }
            out
        })
    }

    /// Applies `f` to the query span.
    pub fn with_query_span(&self, f: impl Fn(Span) -> Span + Send + Sync + 'static) -> Pattern<T> {
        let p = self.clone();
        Pattern::new(move |st| p.query(&st.with_span(f(st.span))))
    }

    /// Applies `f` to both ends of the query span.
    pub fn with_query_time(&self, f: impl Fn(Time) -> Time + Send + Sync + 'static) -> Pattern<T> {
        self.with_query_span(move |s| s.with_time(&f))
    }

    /// Applies `f` to the wholes and parts of the results.
    pub fn with_hap_span(&self, f: impl Fn(Span) -> Span + Send + Sync + 'static) -> Pattern<T> {
        let p = self.clone();
        Pattern::new(move |st| p.query(st).into_iter().map(|h| h.with_span(&f)).collect())
    }

    /// Applies `f` to both ends of the wholes and parts of the results.
    pub fn with_hap_time(&self, f: impl Fn(Time) -> Time + Send + Sync + 'static) -> Pattern<T> {
        self.with_hap_span(move |s| s.with_time(&f))
    }

    /// Maps each hap.
    pub fn with_hap<U: PatValue>(
        &self,
        f: impl Fn(Hap<T>) -> Hap<U> + Send + Sync + 'static,
    ) -> Pattern<U> {
        let p = self.clone();
        Pattern::new(move |st| p.query(st).into_iter().map(&f).collect())
    }

    /// Replaces the source context of every hap.
    pub fn set_context(&self, ctx: Context) -> Pattern<T> {
        self.with_hap(move |mut h| {
            h.context = ctx.clone();
            h
        })
    }

    // ----- applicative structure -----

    /// Combines values where haps of both patterns intersect, structure from both
    /// (Tidal's `<*>` / `|+|`).
    pub fn app_both<U: PatValue, R: PatValue>(
        &self,
        other: &Pattern<U>,
        f: impl Fn(&T, &U) -> R + Send + Sync + 'static,
    ) -> Pattern<R> {
        let pf = self.clone();
        let px = other.clone();
        // two constants combine cycle by cycle into the constant `f(a, b)` (the haps of
        // different cycles do not meet: their wholes only touch)
        let constant = match (self.constant.as_deref(), other.constant.as_deref()) {
            (Some(a), Some(b)) => Some(Arc::new(f(a, b))),
            _ => None,
        };
        let mut out_pattern = Pattern::new(move |st| {
            let mut out = Vec::new();
            let with = |ef: &Hap<T>, ex: &Hap<U>, out: &mut Vec<Hap<R>>| {
                let whole = match (ef.whole, ex.whole) {
                    (Some(a), Some(b)) => match a.intersect(&b) {
                        Some(w) => Some(w),
                        None => return,
                    },
                    _ => None,
                };
                if let Some(part) = ef.part.intersect(&ex.part) {
                    out.push(Hap {
                        whole,
                        part,
                        value: f(&ef.value, &ex.value),
                        context: combine_contexts(&ef.context, &ex.context),
                    });
                }
            };
            for ef in pf.query(st) {
                match ef.whole {
                    None => {
                        for ex in px.query(&st.with_span(ef.part)) {
                            with(&ef, &ex, &mut out);
                        }
                    }
                    Some(w) => {
                        for ex in px.query(&st.with_span(w)) {
                            if ex.whole.is_some() {
                                with(&ef, &ex, &mut out);
                            }
                        }
                    }
                }
            }
            for ex in px.query(st) {
                if ex.whole.is_none() {
                    for ef in pf.query(&st.with_span(ex.part)) {
                        if ef.whole.is_some() {
                            with(&ef, &ex, &mut out);
                        }
                    }
                }
            }
            out
        });
        out_pattern.constant = constant;
        out_pattern
    }

    /// The value of a constant pattern (`pure v`, or built from constants only), which
    /// combinators may use instead of querying it.
    pub fn constant(&self) -> Option<&Arc<T>> {
        self.constant.as_ref()
    }

    /// [`Pattern::app_left`] with `pure x` on the right, consuming each left value (so a
    /// control map can be merged in place rather than rebuilt).
    ///
    /// `pure x`'s haps over a span are the span's cycle pieces, valued `x`, with no context;
    /// this builds what `app_left`'s general loop would, without querying (the query's
    /// budget unit is still spent, so guards meter the same). A left hap within one cycle
    /// (the common case) has a single piece, its whole, and keeps its part.
    ///
    /// ```
    /// use tactus_pattern::{Pattern, Span, Time};
    /// let p = Pattern::pure(vec![1]).app_left_pure_owned(std::sync::Arc::new(2), |mut v, x| {
    ///     v.push(*x);
    ///     v
    /// });
    /// assert_eq!(p.query_span(Span::new(Time::ZERO, Time::ONE))[0].value, vec![1, 2]);
    /// ```
    pub fn app_left_pure_owned<U: PatValue, R: PatValue>(
        &self,
        x: Arc<U>,
        f: impl Fn(T, &U) -> R + Send + Sync + 'static,
    ) -> Pattern<R> {
        let pf = self.clone();
        Pattern::new(move |st| {
            let haps = pf.query(st);
            let mut out = Vec::with_capacity(haps.len());
            for ef in haps {
                if !crate::guard::spend(1) {
                    continue;
                }
                let w = ef.whole_or_part();
                let one_piece = w.begin < w.end && w.end <= w.begin.sam() + Time::ONE;
                if one_piece && ef.part.begin < ef.part.end {
                    // `cycles()` would give the single piece `w` (spending one unit), and a
                    // non-zero-width part within `w` intersects it as itself
                    if crate::guard::stopped() || !crate::guard::spend(1) {
                        continue;
                    }
                    if let Some(part) = ef.part.intersect(&w) {
                        out.push(Hap {
                            whole: ef.whole,
                            part,
                            value: f(ef.value, &x),
                            context: ef.context,
                        });
                    }
                    continue;
                }
                for piece in w.cycles() {
                    if let Some(part) = ef.part.intersect(&piece) {
                        out.push(Hap {
                            whole: ef.whole,
                            part,
                            value: f(ef.value.clone(), &x),
                            context: ef.context.clone(),
                        });
                    }
                }
            }
            out
        })
    }

    /// Combines values, structure from the left (Tidal's `<*` / `|+`).
    pub fn app_left<U: PatValue, R: PatValue>(
        &self,
        other: &Pattern<U>,
        f: impl Fn(&T, &U) -> R + Send + Sync + 'static,
    ) -> Pattern<R> {
        let pf = self.clone();
        let px = other.clone();
        if let Some(x) = other.constant.clone() {
            return self.app_left_pure_owned(x, move |v, x| f(&v, x));
        }
        Pattern::new(move |st| {
            let mut out = Vec::new();
            for ef in pf.query(st) {
                for ex in px.query(&st.with_span(ef.whole_or_part())) {
                    if let Some(part) = ef.part.intersect(&ex.part) {
                        out.push(Hap {
                            whole: ef.whole,
                            part,
                            value: f(&ef.value, &ex.value),
                            context: combine_contexts(&ef.context, &ex.context),
                        });
                    }
                }
            }
            out
        })
    }

    /// [`Pattern::app_left`] consuming each left value: it is moved into its last match
    /// and cloned for any earlier ones (so a control map can be merged in place).
    pub fn app_left_owned<U: PatValue, R: PatValue>(
        &self,
        other: &Pattern<U>,
        f: impl Fn(T, &U) -> R + Send + Sync + 'static,
    ) -> Pattern<R> {
        if let Some(x) = other.constant.clone() {
            return self.app_left_pure_owned(x, f);
        }
        let pf = self.clone();
        let px = other.clone();
        Pattern::new(move |st| {
            let mut out = Vec::new();
            for ef in pf.query(st) {
                let exs = px.query(&st.with_span(ef.whole_or_part()));
                let Some(last) = exs
                    .iter()
                    .rposition(|ex| ef.part.intersect(&ex.part).is_some())
                else {
                    continue;
                };
                for ex in &exs[..last] {
                    if let Some(part) = ef.part.intersect(&ex.part) {
                        out.push(Hap {
                            whole: ef.whole,
                            part,
                            value: f(ef.value.clone(), &ex.value),
                            context: combine_contexts(&ef.context, &ex.context),
                        });
                    }
                }
                let ex = &exs[last];
                if let Some(part) = ef.part.intersect(&ex.part) {
                    out.push(Hap {
                        whole: ef.whole,
                        part,
                        context: combine_contexts(&ef.context, &ex.context),
                        value: f(ef.value, &ex.value),
                    });
                }
            }
            out
        })
    }

    /// Combines values, structure from the right (Tidal's `*>` / `+|`).
    pub fn app_right<U: PatValue, R: PatValue>(
        &self,
        other: &Pattern<U>,
        f: impl Fn(&T, &U) -> R + Send + Sync + 'static,
    ) -> Pattern<R> {
        let pf = self.clone();
        let px = other.clone();
        Pattern::new(move |st| {
            let mut out = Vec::new();
            for ex in px.query(st) {
                for ef in pf.query(&st.with_span(ex.whole_or_part())) {
                    if let Some(part) = ef.part.intersect(&ex.part) {
                        out.push(Hap {
                            whole: ex.whole,
                            part,
                            value: f(&ef.value, &ex.value),
                            context: combine_contexts(&ef.context, &ex.context),
                        });
                    }
                }
            }
            out
        })
    }

    /// Combines with structure from the left, keeping only the left's value where the right
    /// satisfies nothing in particular: Tidal's `appLeft` specialised to a flag (used by
    /// `struct`, `mask` and friends).
    pub fn keep_if_left(&self, other: &Pattern<bool>) -> Pattern<T> {
        self.app_left(other, |a, b| (a.clone(), *b))
            .filter_values(|(_, b)| *b)
            .fmap(|(a, _)| a.clone())
    }

    // ----- monadic structure -----

    /// Binds each value to a pattern and joins with wholes from both (Tidal's `unwrap`, `>>=`).
    pub fn bind<U: PatValue>(
        &self,
        f: impl Fn(&T) -> Pattern<U> + Send + Sync + 'static,
    ) -> Pattern<U> {
        let pp = self.clone();
        Pattern::new(move |st| {
            let mut out = Vec::new();
            for o in pp.query(st) {
                let inner = f(&o.value);
                for i in inner.query(&st.with_span(o.part)) {
                    let whole = match (o.whole, i.whole) {
                        (Some(a), Some(b)) => match a.intersect(&b) {
                            Some(w) => Some(w),
                            None => continue,
                        },
                        _ => None,
                    };
                    if let Some(part) = o.part.intersect(&i.part) {
                        out.push(Hap {
                            whole,
                            part,
                            value: i.value,
                            context: combine_contexts(&i.context, &o.context),
                        });
                    }
                }
            }
            out
        })
    }

    /// Binds and keeps the inner pattern's structure (Tidal's `innerJoin`).
    pub fn inner_bind<U: PatValue>(
        &self,
        f: impl Fn(&T) -> Pattern<U> + Send + Sync + 'static,
    ) -> Pattern<U> {
        if let Some(v) = self.constant.as_deref() {
            // The outer pattern is `pure v` (e.g. `stut 16 0.8 0.01`'s constant arguments):
            // its haps over a span are the span's cycle pieces, valued `v`, with no context,
            // so every one binds to the same inner pattern. Build it once, not per query,
            // and make exactly the haps the general loop below would (the outer query's
            // budget unit is still spent, so guards meter the same).
            let inner = f(v);
            return Pattern::new(move |st| {
                let mut out = Vec::new();
                if !guard::spend(1) {
                    return out;
                }
                for piece in st.span.cycles() {
                    for i in inner.query(&st.with_span(piece)) {
                        let Some(p) = st.span.intersect(&i.part) else {
                            continue;
                        };
                        let Some(p2) = p.intersect(&st.span) else {
                            continue;
                        };
                        out.push(Hap {
                            whole: i.whole,
                            part: p2,
                            value: i.value,
                            context: i.context,
                        });
                    }
                }
                out
            });
        }
        let pp = self.clone();
        Pattern::new(move |st| {
            let mut out = Vec::new();
            for o in pp.query(st) {
                let inner = f(&o.value);
                for i in inner.query(&st.with_span(o.part)) {
                    let Some(p) = st.span.intersect(&i.part) else {
                        continue;
                    };
                    let Some(p2) = p.intersect(&st.span) else {
                        continue;
                    };
                    out.push(Hap {
                        whole: i.whole,
                        part: p2,
                        value: i.value,
                        context: combine_contexts(&i.context, &o.context),
                    });
                }
            }
            out
        })
    }

    /// Binds and keeps the outer pattern's structure, sampling the inner pattern at the
    /// start of each outer whole (Tidal's `outerJoin`).
    pub fn outer_bind<U: PatValue>(
        &self,
        f: impl Fn(&T) -> Pattern<U> + Send + Sync + 'static,
    ) -> Pattern<U> {
        let pp = self.clone();
        Pattern::new(move |st| {
            let mut out = Vec::new();
            for o in pp.query(st) {
                let inner = f(&o.value);
                let t = o.whole_start();
                for i in inner.query(&st.with_span(Span::new(t, t))) {
                    if let Some(part) = st.span.intersect(&o.part) {
                        out.push(Hap {
                            whole: o.whole,
                            part,
                            value: i.value,
                            context: combine_contexts(&o.context, &i.context),
                        });
                    }
                }
            }
            out
        })
    }

    /// Binds and squeezes a whole cycle of each inner pattern into its outer event
    /// (Tidal's `squeezeJoin`).
    pub fn squeeze_bind<U: PatValue>(
        &self,
        f: impl Fn(&T) -> Pattern<U> + Send + Sync + 'static,
    ) -> Pattern<U> {
        let pp = self.clone();
        Pattern::new(move |st| {
            let mut out = Vec::new();
            for o in pp.query(st) {
                let w = o.whole_or_part();
                let cyc = w.cycle_local();
                let inner = crate::core::compress_span(cyc, &f(&o.value));
                for i in inner.query(&st.with_span(o.part)) {
                    let whole = match (o.whole, i.whole) {
                        (Some(a), Some(b)) => match a.intersect(&b) {
                            Some(w) => Some(w),
                            None => continue,
                        },
                        _ => None,
                    };
                    if let Some(part) = o.part.intersect(&i.part) {
                        out.push(Hap {
                            whole,
                            part,
                            value: i.value,
                            context: combine_contexts(&i.context, &o.context),
                        });
                    }
                }
            }
            out
        })
    }

    /// Shifts the pattern earlier by `t` cycles (Tidal's `rotL`).
    pub fn rotate_left(&self, t: Time) -> Pattern<T> {
        if t == Time::ZERO {
            return self.clone();
        }
        self.with_query_time(move |x| x + t)
            .with_hap_time(move |x| x - t)
    }

    /// Shifts the pattern later by `t` cycles (Tidal's `rotR`).
    pub fn rotate_right(&self, t: Time) -> Pattern<T> {
        self.rotate_left(-t)
    }
}

impl<T: PatValue> Pattern<Pattern<T>> {
    /// Flattens with wholes from both layers (Tidal's `unwrap`).
    pub fn join(&self) -> Pattern<T> {
        self.bind(|p| p.clone())
    }

    /// Flattens keeping the inner structure (Tidal's `innerJoin`).
    pub fn inner_join(&self) -> Pattern<T> {
        self.inner_bind(|p| p.clone())
    }

    /// Flattens keeping the outer structure (Tidal's `outerJoin`).
    pub fn outer_join(&self) -> Pattern<T> {
        self.outer_bind(|p| p.clone())
    }

    /// Flattens by squeezing cycles of the inner patterns into the outer events.
    pub fn squeeze_join(&self) -> Pattern<T> {
        self.squeeze_bind(|p| p.clone())
    }
}

/// Queries a pattern under the default event cap and returns an error on overflow or cap.
pub fn query_guarded<T: PatValue>(
    p: &Pattern<T>,
    begin: Time,
    end: Time,
) -> Result<Vec<Hap<T>>, QueryError> {
    p.try_query(Span::new(begin, end), guard::DEFAULT_EVENT_CAP)
}
