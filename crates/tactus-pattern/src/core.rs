//! The elementary patterns and time transformations everything else is built from
//! (Tidal's `Sound.Tidal.Core`): sequencing, stacking, speed, shifting, reversal.

use crate::hap::Hap;
use crate::pattern::{PatValue, Pattern};
use crate::span::Span;
use crate::time::Time;

/// Patterns played one per cycle in turn (Tidal's `cat`/`slowcat`).
pub fn slowcat<T: PatValue>(pats: Vec<Pattern<T>>) -> Pattern<T> {
    if pats.is_empty() {
        return Pattern::silence();
    }
    if pats.len() == 1 {
        return pats.into_iter().next().unwrap_or_else(Pattern::silence);
    }
    let n = pats.len() as i64;
    Pattern::new(move |st| {
        let mut out = Vec::new();
        for a in st.span.cycles() {
            let cyc = a.begin.floor_i64();
            let i = cyc.rem_euclid(n);
            let offset = Time::int(cyc - (cyc - i).div_euclid(n));
            let p = &pats[i as usize];
            let q = Span::new(a.begin - offset, a.end - offset);
            out.extend(
                p.query(&st.with_span(q))
                    .into_iter()
                    .map(|h| h.with_span(|s| s.with_time(|t| t + offset))),
            );
        }
        out
    })
}

/// Patterns squashed into one cycle each (Tidal's `fastcat`).
pub fn fastcat<T: PatValue>(pats: Vec<Pattern<T>>) -> Pattern<T> {
    let n = pats.len() as i64;
    if n == 0 {
        return Pattern::silence();
    }
    fast(Time::int(n), &slowcat(pats))
}

/// Patterns played at the same time (Tidal's `stack`).
pub fn stack<T: PatValue>(pats: Vec<Pattern<T>>) -> Pattern<T> {
    if pats.len() == 1 {
        return pats.into_iter().next().unwrap_or_else(Pattern::silence);
    }
    Pattern::new(move |st| {
        let mut out = Vec::new();
        for p in &pats {
            crate::hap::append(&mut out, p.query(st));
        }
        out
    })
}

/// Patterns with relative durations squashed into one cycle (Tidal's `timeCat`).
/// Zero or negative weights are dropped.
pub fn timecat<T: PatValue>(parts: Vec<(Time, Pattern<T>)>) -> Pattern<T> {
    let parts: Vec<_> = parts.into_iter().filter(|(w, _)| *w > Time::ZERO).collect();
    if parts.is_empty() {
        return Pattern::silence();
    }
    if parts.len() == 1 {
        return parts
            .into_iter()
            .next()
            .map(|(_, p)| p)
            .unwrap_or_else(Pattern::silence);
    }
    let total = parts.iter().fold(Time::ZERO, |a, (w, _)| a + *w);
    let mut acc = Time::ZERO;
    let mut pats = Vec::with_capacity(parts.len());
    for (w, p) in parts {
        let b = acc / total;
        acc = acc + w;
        let e = acc / total;
        pats.push(compress_span(Span::new(b, e), &p));
    }
    stack(pats)
}

/// Speeds a pattern up by a constant factor (Tidal's `_fast`). Zero gives silence, a
/// negative factor also reverses.
pub fn fast<T: PatValue>(r: Time, p: &Pattern<T>) -> Pattern<T> {
    if r == Time::ZERO {
        return Pattern::silence();
    }
    if r < Time::ZERO {
        return rev(&fast(-r, p));
    }
    if r == Time::ONE {
        return p.clone();
    }
    p.with_query_time(move |t| t * r)
        .with_hap_time(move |t| t / r)
}

/// Slows a pattern down by a constant factor (Tidal's `_slow`).
pub fn slow<T: PatValue>(r: Time, p: &Pattern<T>) -> Pattern<T> {
    if r == Time::ZERO {
        return Pattern::silence();
    }
    fast(r.recip(), p)
}

/// Speeds up with a patterned factor (Tidal's `fast`, via `tParam`/`innerJoin`).
pub fn fast_pat<T: PatValue>(r: &Pattern<Time>, p: &Pattern<T>) -> Pattern<T> {
    let p = p.clone();
    r.inner_bind(move |r| fast(*r, &p))
}

/// Slows down with a patterned factor (Tidal's `slow`).
pub fn slow_pat<T: PatValue>(r: &Pattern<Time>, p: &Pattern<T>) -> Pattern<T> {
    let p = p.clone();
    r.inner_bind(move |r| slow(*r, &p))
}

/// Shifts earlier by a patterned amount (Tidal's `<~`).
pub fn early_pat<T: PatValue>(t: &Pattern<Time>, p: &Pattern<T>) -> Pattern<T> {
    let p = p.clone();
    t.inner_bind(move |t| p.rotate_left(*t))
}

/// Shifts later by a patterned amount (Tidal's `~>`).
pub fn late_pat<T: PatValue>(t: &Pattern<Time>, p: &Pattern<T>) -> Pattern<T> {
    let p = p.clone();
    t.inner_bind(move |t| p.rotate_right(*t))
}

/// Reverses every cycle (Tidal's `rev`).
pub fn rev<T: PatValue>(p: &Pattern<T>) -> Pattern<T> {
    let p = p.clone();
    Pattern::new(move |st| {
        let a = st.span;
        let cyc = a.begin.sam();
        let next = a.begin.next_sam();
        let reflect = |s: Span| Span::new(cyc + next - s.end, cyc + next - s.begin);
        p.query(&st.with_span(reflect(a)))
            .into_iter()
            .map(|h| {
                let new_part = reflect(h.part);
                let whole = h.whole.map(|w| {
                    let b = h.part.begin - w.begin;
                    let e = w.end - h.part.end;
                    Span::new(new_part.begin - e, new_part.end + b)
                });
                Hap {
                    whole,
                    part: new_part,
                    value: h.value,
                    context: h.context,
                }
            })
            .collect()
    })
    .split_queries()
}

/// Squeezes each cycle into `[b, e)` of the same cycle, leaving a gap (Tidal's
/// `compressArc`). Spans outside `[0, 1]` or inverted give silence.
pub fn compress_span<T: PatValue>(span: Span, p: &Pattern<T>) -> Pattern<T> {
    let (s, e) = (span.begin, span.end);
    if s > e || s > Time::ONE || e > Time::ONE || s < Time::ZERO || e < Time::ZERO {
        return Pattern::silence();
    }
    if s == e {
        return Pattern::silence();
    }
    fast_gap(Time::ONE / (e - s), p).rotate_right(s)
}

/// Speeds up each cycle but plays it only once per cycle, leaving a gap (Tidal's `_fastGap`).
/// Factors below 1 (including negative ones) act as 1, as in Tidal; only 0 is silence.
pub fn fast_gap<T: PatValue>(r: Time, p: &Pattern<T>) -> Pattern<T> {
    if r == Time::ZERO {
        return Pattern::silence();
    }
    let r = r.max(Time::ONE);
    if r == Time::ONE {
        // each cycle plays as it is (a one-step mini-notation sequence): only the
        // splitting at cycle boundaries remains
        return p.split_queries();
    }
    let p = p.clone();
    Pattern::new(move |st| {
        let a = st.span;
        let sam = a.begin.sam();
        let munge = |t: Time| t.sam() + (r * t.cycle_pos()).min(Time::ONE);
        let qb = munge(a.begin);
        // The query end is computed relative to the begin's cycle.
        let qe = sam + (r * (a.end - sam)).min(Time::ONE);
        if qb == a.begin.next_sam() {
            return Vec::new();
        }
        let inner = Span::new(qb, qe);
        p.query(&st.with_span(inner))
            .into_iter()
            .map(|h| {
                let f = |s: Span| {
                    let b = s.begin.sam();
                    Span::new(b + (s.begin - b) / r, b + (s.end - b) / r)
                };
                h.with_span(f)
            })
            .collect()
    })
    .split_queries()
}

/// Plays only the part `[b, e)` of each cycle, stretched to fill the cycle (Tidal's
/// `zoomArc`).
pub fn zoom_span<T: PatValue>(span: Span, p: &Pattern<T>) -> Pattern<T> {
    let d = span.end - span.begin;
    if d <= Time::ZERO {
        return Pattern::silence();
    }
    let s = span.begin;
    let p2 = p
        .with_query_span(move |q| q.with_cycle(|t| t * d + s))
        .with_hap_span(move |h| h.with_cycle(|t| (t - s) / d));
    p2.split_queries()
}

/// A pattern repeating `v` once per cycle with the given source span.
pub fn pure<T: PatValue>(v: T) -> Pattern<T> {
    Pattern::pure(v)
}

impl<T: PatValue> Pattern<T> {
    /// See [`fastcat`].
    pub fn fastcat(pats: Vec<Pattern<T>>) -> Pattern<T> {
        fastcat(pats)
    }
    /// See [`slowcat`].
    pub fn slowcat(pats: Vec<Pattern<T>>) -> Pattern<T> {
        slowcat(pats)
    }
    /// See [`stack`].
    pub fn stack(pats: Vec<Pattern<T>>) -> Pattern<T> {
        stack(pats)
    }
    /// See [`fast`].
    pub fn fast(&self, r: Time) -> Pattern<T> {
        fast(r, self)
    }
    /// See [`slow`].
    pub fn slow(&self, r: Time) -> Pattern<T> {
        slow(r, self)
    }
    /// See [`rev`].
    pub fn rev(&self) -> Pattern<T> {
        rev(self)
    }
}
