//! Applying a transformation only sometimes: by cycle number (`every`, `whenmod`, `when`),
//! by position in the cycle (`within`), by a boolean pattern (`sew`, `stitch`, `while`) or
//! by a selector pattern (`select`, `pickF`, `squeeze`). Tidal 1.7.10 semantics.

use std::sync::Arc;

use crate::core::{compress_span, stack, zoom_span};
use crate::library::num::{cyclic, hmod, tmod};
use crate::library::structure::{mask, struct_};
use crate::pattern::{PatFn, PatValue, Pattern};
use crate::span::Span;
use crate::time::Time;

/// Applies `f` to the cycles whose number satisfies `test` (Tidal's `when`). Queries are
/// split at cycle boundaries and tested on the cycle of their start.
pub fn when<T: PatValue>(
    test: impl Fn(i64) -> bool + Send + Sync + 'static,
    f: &PatFn<T>,
    p: &Pattern<T>,
) -> Pattern<T> {
    let fp = f(p);
    let p = p.clone();
    Pattern::new(move |st| {
        if test(st.span.begin.floor_i64()) {
            fp.query(st)
        } else {
            p.query(st)
        }
    })
    .split_queries()
}

/// Like [`when`], but the test gets the (exact) start time of each cycle-split query
/// (Tidal's `whenT`).
pub fn when_t<T: PatValue>(
    test: impl Fn(Time) -> bool + Send + Sync + 'static,
    f: &PatFn<T>,
    p: &Pattern<T>,
) -> Pattern<T> {
    let fp = f(p);
    let p = p.clone();
    Pattern::new(move |st| {
        if test(st.span.begin) {
            fp.query(st)
        } else {
            p.query(st)
        }
    })
    .split_queries()
}

/// Applies `f` in one of two functions by cycle number (Tidal's `ifp`).
pub fn ifp<T: PatValue>(
    test: impl Fn(i64) -> bool + Send + Sync + 'static,
    f1: &PatFn<T>,
    f2: &PatFn<T>,
    p: &Pattern<T>,
) -> Pattern<T> {
    let (a, b) = (f1(p), f2(p));
    Pattern::new(move |st| {
        if test(st.span.begin.floor_i64()) {
            a.query(st)
        } else {
            b.query(st)
        }
    })
    .split_queries()
}

/// Applies `f` every `n`th cycle, starting with cycle 0 (Tidal's `_every`); `n == 0` never
/// applies it.
pub fn every<T: PatValue>(n: i64, f: &PatFn<T>, p: &Pattern<T>) -> Pattern<T> {
    if n == 0 {
        return p.clone();
    }
    when(move |c| hmod(c, n) == 0, f, p)
}

/// [`every`] with a patterned period, joined with `innerJoin` (Tidal's `every`).
///
/// ```
/// use std::sync::Arc;
/// use tactus_pattern::{library::conditional::every_pat, PatFn, Pattern, Span, Time};
/// let f: PatFn<&str> = Arc::new(|p| p.fast(Time::int(2)));
/// let p = every_pat(&Pattern::pure(2), &f, &Pattern::pure("bd"));
/// assert_eq!(p.query_span(Span::new(Time::ZERO, Time::ONE)).len(), 2);
/// assert_eq!(p.query_span(Span::new(Time::ONE, Time::int(2))).len(), 1);
/// ```
pub fn every_pat<T: PatValue>(n: &Pattern<i64>, f: &PatFn<T>, p: &Pattern<T>) -> Pattern<T> {
    let (f, p) = (f.clone(), p.clone());
    n.inner_bind(move |n| every(*n, &f, &p))
}

/// Applies `f` on cycles where `cycle mod n == o` (Tidal 1.7.10's `_every'`: an offset `o`
/// outside `0 .. n-1` never matches).
pub fn every_offset<T: PatValue>(n: i64, o: i64, f: &PatFn<T>, p: &Pattern<T>) -> Pattern<T> {
    when(move |c| hmod(c, n) == o, f, p)
}

/// [`every_offset`] with patterned arguments. Tidal 1.7.10 writes it in `do` notation, so
/// both patterns are joined with `unwrap` (wholes are the intersection of all three
/// layers), unlike `every`.
pub fn every_offset_pat<T: PatValue>(
    n: &Pattern<i64>,
    o: &Pattern<i64>,
    f: &PatFn<T>,
    p: &Pattern<T>,
) -> Pattern<T> {
    let (o, f, p) = (o.clone(), f.clone(), p.clone());
    n.bind(move |n| {
        let (n, f, p) = (*n, f.clone(), p.clone());
        o.bind(move |o| every_offset(n, *o, &f, &p))
    })
}

/// Applies `f` to cycles where `cycle mod a >= b`, on the exact start time of each cycle
/// (Tidal 1.7.10's `_whenmod` via `whenT`).
pub fn whenmod<T: PatValue>(a: Time, b: Time, f: &PatFn<T>, p: &Pattern<T>) -> Pattern<T> {
    when_t(move |t| tmod(t, a) >= b, f, p)
}

/// [`whenmod`] with patterned arguments (Tidal 1.7.10's `whenmod`: `innerJoin` over
/// `(,) <$> a <*> b`).
pub fn whenmod_pat<T: PatValue>(
    a: &Pattern<Time>,
    b: &Pattern<Time>,
    f: &PatFn<T>,
    p: &Pattern<T>,
) -> Pattern<T> {
    let (f, p) = (f.clone(), p.clone());
    a.app_both(b, |a, b| (*a, *b))
        .inner_bind(move |(a, b)| whenmod(*a, *b, &f, &p))
}

fn in_window(s: Time, e: Time) -> impl Fn(Time) -> bool + Send + Sync + Clone + 'static {
    move |t| {
        let c = t.cycle_pos();
        c >= s && c < e
    }
}

/// Applies `f` to the events that start within the `[s, e)` part of each cycle (Tidal's
/// `within`): `f` sees the whole pattern, and its result is filtered by onset position.
pub fn within<T: PatValue>(s: Time, e: Time, f: &PatFn<T>, p: &Pattern<T>) -> Pattern<T> {
    let inside = in_window(s, e);
    let outside = in_window(s, e);
    stack(vec![
        f(p).filter_when(inside),
        p.filter_when(move |t| !outside(t)),
    ])
}

/// Like [`within`], but `f` only sees the `[s, e)` part, zoomed to a whole cycle and then
/// compressed back (Tidal's `within'`).
pub fn within_prime<T: PatValue>(s: Time, e: Time, f: &PatFn<T>, p: &Pattern<T>) -> Pattern<T> {
    let span = Span::new(s, e);
    let inside = in_window(s, e);
    let outside = in_window(s, e);
    stack(vec![
        compress_span(span, &f(&zoom_span(span, p))).filter_when(inside),
        p.filter_when(move |t| !outside(t)),
    ])
}

/// Uses a boolean pattern to switch between two patterns, keeping their structure (Tidal's
/// `sew`).
pub fn sew<T: PatValue>(b: &Pattern<bool>, x: &Pattern<T>, y: &Pattern<T>) -> Pattern<T> {
    stack(vec![mask(b, x), mask(&inv(b), y)])
}

/// Uses a boolean pattern to switch between two patterns, with the boolean pattern's
/// structure (Tidal's `stitch`).
pub fn stitch<T: PatValue>(b: &Pattern<bool>, x: &Pattern<T>, y: &Pattern<T>) -> Pattern<T> {
    stack(vec![struct_(b, x), struct_(&inv(b), y)])
}

/// Applies `f` where the boolean pattern is true (Tidal's `while`).
pub fn while_<T: PatValue>(b: &Pattern<bool>, f: &PatFn<T>, p: &Pattern<T>) -> Pattern<T> {
    sew(b, &f(p), p)
}

/// Inverts a boolean pattern (Tidal's `inv`).
pub fn inv(b: &Pattern<bool>) -> Pattern<bool> {
    b.fmap(|x| !x)
}

/// Picks one of the patterns with a number from 0 to 1 (Tidal's `_select`:
/// `floor (clamp f * (n - 1))`).
pub fn select<T: PatValue>(f: f64, pats: &[Pattern<T>]) -> Pattern<T> {
    if pats.is_empty() {
        return Pattern::silence();
    }
    let i = (f.clamp(0.0, 1.0) * (pats.len() - 1) as f64).floor() as usize;
    pats[i.min(pats.len() - 1)].clone()
}

/// [`select`] with a patterned selector (Tidal's `select`).
pub fn select_pat<T: PatValue>(f: &Pattern<f64>, pats: Vec<Pattern<T>>) -> Pattern<T> {
    f.inner_bind(move |f| select(*f, &pats))
}

/// Picks one of the functions with a number from 0 to 1 (Tidal's `_selectF`:
/// `floor (clamp 0 0.999999 f * n)`).
pub fn select_f<T: PatValue>(f: f64, fs: &[PatFn<T>], p: &Pattern<T>) -> Pattern<T> {
    if fs.is_empty() {
        return Pattern::silence();
    }
    let i = (f.clamp(0.0, 0.999999) * fs.len() as f64).floor() as usize;
    fs[i.min(fs.len() - 1)](p)
}

/// [`select_f`] with a patterned selector (Tidal's `selectF`).
pub fn select_f_pat<T: PatValue>(
    f: &Pattern<f64>,
    fs: Vec<PatFn<T>>,
    p: &Pattern<T>,
) -> Pattern<T> {
    let p = p.clone();
    f.inner_bind(move |f| select_f(*f, &fs, &p))
}

/// Picks a function by (cyclic) index (Tidal's `_pickF`).
pub fn pick_f<T: PatValue>(i: i64, fs: &[PatFn<T>], p: &Pattern<T>) -> Pattern<T> {
    match cyclic(fs, i) {
        Some(f) => f(p),
        None => Pattern::silence(),
    }
}

/// [`pick_f`] with a patterned index (Tidal's `pickF`).
pub fn pick_f_pat<T: PatValue>(i: &Pattern<i64>, fs: Vec<PatFn<T>>, p: &Pattern<T>) -> Pattern<T> {
    let p = p.clone();
    i.inner_bind(move |i| pick_f(*i, &fs, &p))
}

/// Picks patterns by (cyclic) index, squeezing a whole cycle of the chosen pattern into
/// each index event (Tidal's `squeeze`).
pub fn squeeze<T: PatValue>(i: &Pattern<i64>, pats: Vec<Pattern<T>>) -> Pattern<T> {
    if pats.is_empty() {
        return Pattern::silence();
    }
    let pats = Arc::new(pats);
    i.squeeze_bind(move |i| cyclic(&pats, *i).cloned().unwrap_or_else(Pattern::silence))
}
