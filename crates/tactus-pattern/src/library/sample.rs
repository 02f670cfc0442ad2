//! Sample manipulation on control patterns through the `begin`, `end`, `speed` and `unit`
//! controls: `chop`, `striate`, `slice`, `splice`, `loopAt`, `chew` (Tidal 1.7.10's
//! `Sound.Tidal.Control`).

use crate::core::{fast, slow_pat, zoom_span};
use crate::hap::Hap;
use crate::library::num::hmod;
use crate::library::ops::{op_map, set, Structure, ValueOp};
use crate::library::structure::cat_with;
use crate::pattern::Pattern;
use crate::span::Span;
use crate::time::Time;
use crate::value::{NumOp, Value, ValueMap};

use super::control::{const_f64, param_f64};

/// Tidal's `getF`: a control as a float, if numeric.
fn get_f(m: &ValueMap, k: &str) -> Option<f64> {
    match m.get(k)? {
        Value::Float(x) | Value::Note(x) => Some(*x),
        Value::Int(i) => Some(*i as f64),
        Value::Rational(r) => Some(r.to_f64()),
        _ => None,
    }
}

fn unit_c() -> Pattern<ValueMap> {
    Pattern::pure(ValueMap::singleton("unit", Value::str("c")))
}

/// Cuts each event into `n` parts, each playing the matching part of the sample by
/// `begin`/`end` (relative to any existing `begin`/`end`) (Tidal 1.7.10's `_chop`).
pub fn chop(n: i64, p: &Pattern<ValueMap>) -> Pattern<ValueMap> {
    if n <= 0 {
        return Pattern::silence();
    }
    let nt = Time::int(n);
    p.with_haps(move |haps| {
        let mut out = Vec::new();
        for h in haps {
            let Some(w) = h.whole else { continue };
            let b = get_f(&h.value, "begin").unwrap_or(0.0);
            let e = get_f(&h.value, "end").unwrap_or(1.0);
            let d = e - b;
            let dur = w.end - w.begin;
            // Only the pieces that meet the part, numbered among all n.
            let first = if dur == Time::ZERO {
                0
            } else {
                (((h.part.begin - w.begin) / dur) * nt)
                    .floor_i64()
                    .clamp(0, n - 1)
            };
            for i in first..n {
                let piece = Span::new(
                    w.begin + dur * (Time::int(i) / nt),
                    w.begin + dur * (Time::int(i + 1) / nt),
                );
                if piece.begin > h.part.end || !crate::guard::spend(1) {
                    break;
                }
                let Some(part) = h.part.intersect(&piece) else {
                    continue;
                };
                let mut v = h.value.clone();
                v.insert("begin", Value::Float(i as f64 / n as f64 * d + b));
                v.insert("end", Value::Float((i + 1) as f64 / n as f64 * d + b));
                out.push(Hap {
                    whole: Some(piece),
                    part,
                    value: v,
                    context: h.context.clone(),
                });
            }
        }
        out
    })
}

/// [`chop`] with a patterned count (Tidal's `chop`).
pub fn chop_pat(n: &Pattern<i64>, p: &Pattern<ValueMap>) -> Pattern<ValueMap> {
    let p = p.clone();
    n.inner_bind(move |n| chop(*n, &p))
}

/// Rescales `begin`/`end` into the `[b, e)` part of the current range (Tidal's
/// `mergePlayRange`).
fn merge_play_range(b: f64, e: f64, m: &ValueMap) -> ValueMap {
    let b0 = get_f(m, "begin").unwrap_or(0.0);
    let e0 = get_f(m, "end").unwrap_or(1.0);
    let d = e0 - b0;
    let mut m = m.clone();
    m.insert("begin", Value::Float(b * d + b0));
    m.insert("end", Value::Float(e * d + b0));
    m
}

/// Plays the pattern `n` times per cycle, the `i`th time playing the `i`th part of every
/// sample (Tidal 1.7.10's `_striate`).
pub fn striate(n: i64, p: &Pattern<ValueMap>) -> Pattern<ValueMap> {
    if n <= 0 {
        return Pattern::silence();
    }
    let p = p.clone();
    let nf = n as f64;
    fast(
        Time::int(n),
        &cat_with(n, move |i| {
            let (b, e) = (i as f64 / nf, (i + 1) as f64 / nf);
            p.fmap(move |m| merge_play_range(b, e, m))
        }),
    )
}

/// [`striate`] with a patterned count (Tidal's `striate`).
pub fn striate_pat(n: &Pattern<i64>, p: &Pattern<ValueMap>) -> Pattern<ValueMap> {
    let p = p.clone();
    n.inner_bind(move |n| striate(*n, &p))
}

/// Like [`striate`], each part `f` of the sample long (Tidal's `_striateBy`).
pub fn striate_by(n: i64, f: f64, p: &Pattern<ValueMap>) -> Pattern<ValueMap> {
    if n <= 0 {
        return Pattern::silence();
    }
    let p = p.clone();
    let slot = (1.0 - f) / n as f64;
    fast(
        Time::int(n),
        &cat_with(n, move |i| {
            let b = slot * i as f64;
            set(&set(&p, &const_f64("begin", b)), &const_f64("end", b + f))
        }),
    )
}

/// [`striate_by`] with patterned arguments (Tidal's `striateBy`, `tParam2`).
pub fn striate_by_pat(
    n: &Pattern<i64>,
    f: &Pattern<f64>,
    p: &Pattern<ValueMap>,
) -> Pattern<ValueMap> {
    let p = p.clone();
    n.app_both(f, |n, f| (*n, *f))
        .inner_bind(move |(n, f)| striate_by(*n, *f, &p))
}

fn slice_frac(i: i64, n: i64) -> f64 {
    hmod(i, n) as f64 / n as f64
}

/// Plays slice `i` of `n` equal slices of each sample, with the structure of the index
/// pattern (Tidal 1.7.10's `slice pN pI p = begin b # end e # p`).
pub fn slice(n: &Pattern<i64>, i: &Pattern<i64>, p: &Pattern<ValueMap>) -> Pattern<ValueMap> {
    let b = i.app_left(n, |i, n| slice_frac(*i, *n));
    let e = i.app_left(n, |i, n| slice_frac(*i, *n) + slice_frac(1, *n));
    set(&set(&param_f64("begin", &b), &param_f64("end", &e)), p)
}

/// Like [`slice()`], also setting `speed` (multiplying an existing float `speed`) so each
/// slice fits its event, and `unit "c"` (Tidal 1.7.10's `splice`).
pub fn splice(bits: &Pattern<i64>, i: &Pattern<i64>, p: &Pattern<ValueMap>) -> Pattern<ValueMap> {
    let (i, p) = (i.clone(), p.clone());
    bits.inner_bind(move |bits| {
        let bits = *bits;
        let sz = 1.0 / bits as f64;
        let sliced = slice(&Pattern::pure(bits), &i, &p).with_hap(move |mut h| {
            let w = h.whole_or_part();
            let d = sz / (w.end - w.begin).to_f64();
            let speed = match h.value.get("speed") {
                Some(Value::Float(s)) => d * s,
                _ => d,
            };
            h.value.insert("speed", Value::Float(speed));
            h
        });
        set(&sliced, &unit_c())
    })
}

/// Fits a sample to `n` cycles: slows the pattern by `n`, multiplies `speed` by `1/n` and
/// sets `unit "c"` (Tidal's `loopAt`).
pub fn loop_at(n: &Pattern<Time>, p: &Pattern<ValueMap>) -> Pattern<ValueMap> {
    let recip = Pattern::pure(Time::ONE).app_both(n, |a, b| *a / *b);
    let slowed = op_map(
        Structure::Left,
        ValueOp::Num(NumOp::Mul),
        &slow_pat(n, p),
        &param_f64("speed", &recip.fmap(|r| r.to_f64())),
    );
    set(&slowed, &unit_c())
}

/// Like `bite`, but speeds up or slows down playback (`speed`) by how much each slice is
/// squashed or stretched (Tidal's `_chew`).
pub fn chew(n: i64, i: &Pattern<i64>, p: &Pattern<ValueMap>) -> Pattern<ValueMap> {
    if n == 0 {
        return Pattern::silence();
    }
    let p = p.clone();
    let nt = Time::int(n);
    let outer = i.filter_digital().with_hap(|h: Hap<i64>| {
        let w = h.whole_or_part();
        h.with_value(|i| (i, w.end - w.begin))
    });
    let joined = outer.squeeze_bind(move |(i, dur)| {
        let k = Time::int(hmod(*i, n));
        let zoomed = zoom_span(Span::new(k / nt, (k + Time::ONE) / nt), &p);
        op_map(
            Structure::Left,
            ValueOp::Num(NumOp::Mul),
            &zoomed,
            &const_f64("speed", dur.recip().to_f64()),
        )
    });
    op_map(
        Structure::Left,
        ValueOp::Num(NumOp::Div),
        &joined,
        &const_f64("speed", n as f64),
    )
}

/// [`chew`] with a patterned slice count (Tidal's `chew`).
pub fn chew_pat(n: &Pattern<i64>, i: &Pattern<i64>, p: &Pattern<ValueMap>) -> Pattern<ValueMap> {
    let (i, p) = (i.clone(), p.clone());
    n.inner_bind(move |n| chew(*n, &i, &p))
}

/// Chops each event into `n` parts and silences every other one (Tidal's `_gap`:
/// `_fast n (cat [pure 1, silence]) |>| _chop n p`, where `pure 1` is the map `{n: 1}`).
pub fn gap(n: i64, p: &Pattern<ValueMap>) -> Pattern<ValueMap> {
    if n <= 0 {
        return Pattern::silence();
    }
    let one = Pattern::pure(ValueMap::singleton("n", Value::Int(1)));
    let on_off = fast(
        Time::int(n),
        &crate::core::slowcat(vec![one, Pattern::silence()]),
    );
    op_map(Structure::Both, ValueOp::KeepRight, &on_off, &chop(n, p))
}

/// [`gap`] with a patterned count (Tidal's `gap`).
pub fn gap_pat(n: &Pattern<i64>, p: &Pattern<ValueMap>) -> Pattern<ValueMap> {
    let p = p.clone();
    n.inner_bind(move |n| gap(*n, &p))
}

/// Striates, then plays the result slowed by each factor in turn, one per cycle (Tidal's
/// `smash`).
pub fn smash(n: &Pattern<i64>, xs: &[Pattern<Time>], p: &Pattern<ValueMap>) -> Pattern<ValueMap> {
    let striated = striate_pat(n, p);
    crate::core::slowcat(xs.iter().map(|x| slow_pat(x, &striated)).collect())
}

/// Like [`smash`], with `chop` instead of `striate` (Tidal's `smash'`).
pub fn smash_chop(n: i64, xs: &[Pattern<Time>], p: &Pattern<ValueMap>) -> Pattern<ValueMap> {
    let chopped = chop(n, p);
    crate::core::slowcat(xs.iter().map(|x| slow_pat(x, &chopped)).collect())
}
