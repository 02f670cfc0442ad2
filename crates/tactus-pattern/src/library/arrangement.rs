//! Arranging patterns over many cycles: playing them for a while (`seqP`, `playFor`),
//! looping (`timeLoop`, `seqPLoop`, `repeatCycles`), spacing (`spaceOut`), and building
//! songs from named parts (`ur`, `inhabit`). Also iterating transformations (`foldEvery`,
//! `snowball`, `soak`). Tidal 1.7.10 semantics.

use std::sync::Arc;

use crate::core::{compress_span, fast, slow, stack};
use crate::hap::Hap;
use crate::library::conditional::every;
use crate::library::structure::cat_with;
use crate::library::time::{inside_pat, outside, MAX_LAYERS};
use crate::pattern::{PatFn, PatValue, Pattern};
use crate::span::Span;
use crate::time::Time;

/// Only the part of the pattern between `s` and `e` (Tidal's `playFor`).
pub fn play_for<T: PatValue>(s: Time, e: Time, p: &Pattern<T>) -> Pattern<T> {
    let p = p.clone();
    let window = Span::new(s, e);
    Pattern::new(move |st| match st.span.intersect(&window) {
        Some(a) => p.query(&st.with_span(a)),
        None => Vec::new(),
    })
}

/// Plays each pattern from its start to its stop time, each starting its first cycle at
/// the (cycle of the) start time (Tidal's `seqP`).
pub fn seq_p<T: PatValue>(parts: Vec<(Time, Time, Pattern<T>)>) -> Pattern<T> {
    stack(
        parts
            .into_iter()
            .map(|(s, e, p)| play_for(s, e, &p.rotate_right(s.sam())))
            .collect(),
    )
}

/// Repeats the first cycle forever (Tidal's `loopFirst`).
pub fn loop_first<T: PatValue>(p: &Pattern<T>) -> Pattern<T> {
    let p = p.clone();
    Pattern::new(move |st| {
        let cyc = st.span.begin.sam();
        let q = st.span.with_time(|t| t - cyc);
        p.query(&st.with_span(q))
            .into_iter()
            .map(|h| h.with_span(|s| s.with_time(|t| t + cyc)))
            .collect()
    })
    .split_queries()
}

/// Loops the first `n` cycles (Tidal's `timeLoop n = outside n loopFirst`).
pub fn time_loop<T: PatValue>(n: Time, p: &Pattern<T>) -> Pattern<T> {
    let f: PatFn<T> = Arc::new(loop_first);
    outside(n, &f, p)
}

/// [`time_loop`] with a patterned length (Tidal's `timeLoop`).
pub fn time_loop_pat<T: PatValue>(n: &Pattern<Time>, p: &Pattern<T>) -> Pattern<T> {
    let f: PatFn<T> = Arc::new(loop_first);
    crate::library::time::outside_pat(n, &f, p)
}

/// Like [`seq_p`], looping the whole arrangement from the earliest start to the latest
/// stop (Tidal's `seqPLoop`).
pub fn seq_p_loop<T: PatValue>(parts: Vec<(Time, Time, Pattern<T>)>) -> Pattern<T> {
    if parts.is_empty() {
        return Pattern::silence();
    }
    let min = parts.iter().map(|(s, _, _)| *s).min().unwrap_or(Time::ZERO);
    let max = parts.iter().map(|(_, e, _)| *e).max().unwrap_or(Time::ZERO);
    time_loop_pat(&Pattern::pure(max - min), &seq_p(parts).rotate_left(min))
}

/// Repeats each cycle `n` times (Tidal's `_repeatCycles`).
pub fn repeat_cycles<T: PatValue>(n: i64, p: &Pattern<T>) -> Pattern<T> {
    let p = p.clone();
    cat_with(n, move |_| p.clone())
}

/// Tidal 1.7.10's `fastRepeatCycles`, which is the same as [`repeat_cycles`] (despite the
/// name, it does not speed anything up).
pub fn fast_repeat_cycles<T: PatValue>(n: i64, p: &Pattern<T>) -> Pattern<T> {
    repeat_cycles(n, p)
}

/// [`repeat_cycles`] with a patterned count (Tidal's `repeatCycles`).
pub fn repeat_cycles_pat<T: PatValue>(n: &Pattern<i64>, p: &Pattern<T>) -> Pattern<T> {
    let p = p.clone();
    n.inner_bind(move |n| repeat_cycles(*n, &p))
}

/// Plays the pattern at several durations in turn, from a list of lengths in cycles
/// (Tidal's `spaceOut`).
pub fn space_out<T: PatValue>(xs: &[Time], p: &Pattern<T>) -> Pattern<T> {
    let total = xs.iter().fold(Time::ZERO, |a, x| a + *x);
    if total == Time::ZERO {
        return Pattern::silence();
    }
    let mut off = Time::ZERO;
    let mut layers = Vec::with_capacity(xs.len());
    for x in xs {
        layers.push(compress_span(Span::new(off / total, (off + *x) / total), p));
        off = off + *x;
    }
    slow(total, &stack(layers))
}

/// Applies `f` to the pattern once for each number in `ns`, every that many cycles
/// (Tidal's `foldEvery`).
pub fn fold_every<T: PatValue>(ns: &[i64], f: &PatFn<T>, p: &Pattern<T>) -> Pattern<T> {
    ns.iter().rev().fold(p.clone(), |acc, n| every(*n, f, &acc))
}

/// Cycles through `p`, `f p`, `f (f p)`, ... for `depth` cycles (Tidal's `soak`).
pub fn soak<T: PatValue>(depth: i64, f: &PatFn<T>, p: &Pattern<T>) -> Pattern<T> {
    let mut pats = Vec::new();
    let mut cur = p.clone();
    for _ in 0..depth.clamp(0, MAX_LAYERS) {
        let next = f(&cur);
        pats.push(cur);
        cur = next;
    }
    crate::core::slowcat(pats)
}

/// Like [`soak`], accumulating each step with `combine`: cycles through `p`,
/// `combine p (f p)`, `combine (combine p (f p)) (f (f p))`, ... (Tidal 1.7.10's
/// `snowball`).
pub fn snowball<T: PatValue>(
    depth: i64,
    combine: impl Fn(&Pattern<T>, &Pattern<T>) -> Pattern<T>,
    f: &PatFn<T>,
    p: &Pattern<T>,
) -> Pattern<T> {
    let depth = depth.clamp(0, MAX_LAYERS) as usize;
    let mut pats = Vec::with_capacity(depth);
    let mut acc = p.clone();
    let mut it = if depth > 1 { f(p) } else { p.clone() };
    for k in 0..depth {
        if k > 0 {
            acc = combine(&acc, &it);
            it = f(&it);
        }
        pats.push(acc.clone());
    }
    crate::core::slowcat(pats)
}

/// Plays named patterns by a pattern of names, squeezing a cycle of each into its event
/// (Tidal's `inhabit`). Unknown names are silent.
pub fn inhabit<T: PatValue>(named: Vec<(String, Pattern<T>)>, p: &Pattern<String>) -> Pattern<T> {
    let named = Arc::new(named);
    p.squeeze_bind(move |name| lookup(&named, name).unwrap_or_else(Pattern::silence))
}

fn lookup<X: Clone>(xs: &[(String, X)], k: &str) -> Option<X> {
    xs.iter().find(|(n, _)| n == k).map(|(_, x)| x.clone())
}

/// A "pattern of patterns" for song structure: `outer` names parts (optionally
/// `name:fx`), each part plays from `named` over its event, with the transformation named
/// after `:` from `fxs` applied inside the event; the whole thing lasts `t` cycles
/// (Tidal's `ur`).
pub fn ur<T: PatValue>(
    t: Time,
    outer: &Pattern<String>,
    named: Vec<(String, Pattern<T>)>,
    fxs: Vec<(String, PatFn<T>)>,
) -> Pattern<T> {
    let named: Arc<Vec<(String, Pattern<T>)>> =
        Arc::new(named.into_iter().map(|(n, p)| (n, fast(t, &p))).collect());
    let fxs = Arc::new(fxs);
    let timed = outer.filter_digital().with_hap(|h: Hap<String>| {
        let w = h.whole_or_part();
        h.with_value(|v| (w, v))
    });
    let joined = timed.bind(move |(span, v)| {
        let mut parts = v.split(':').filter(|s| !s.is_empty());
        let name = parts.next().unwrap_or("");
        let pat = lookup(&named, name).unwrap_or_else(Pattern::silence);
        match parts.next() {
            None => pat,
            Some(fx) => {
                let f: PatFn<T> = lookup(&fxs, fx).unwrap_or_else(|| Arc::new(|p| p.clone()));
                let d = span.end - span.begin;
                inside_pat(&Pattern::pure(d.recip()), &f, &pat).rotate_right(span.begin)
            }
        }
    });
    slow(t, &joined)
}
