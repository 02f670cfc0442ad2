//! Restructuring patterns: boolean structure (`struct`, `mask`), chunks, indexing into
//! parts of a pattern (`fit`, `bite`, `wedge`), value rotation (`rot`) and arpeggios
//! (`arp`, `rolled`). Tidal 1.7.10 semantics.

use std::cmp::Ordering;
use std::sync::Arc;

use crate::core::{fast_gap, rev, slow, stack, zoom_span};
use crate::hap::Hap;
use crate::library::conditional::within;
use crate::library::num::{cyclic, hmod};
use crate::library::signal::run;
use crate::pattern::{PatFn, PatValue, Pattern};
use crate::span::Span;
use crate::time::Time;
use crate::value::{Value, ValueMap};

/// Gives `p` the structure of the true values of a boolean pattern (Tidal's `struct`).
pub fn struct_<T: PatValue>(b: &Pattern<bool>, p: &Pattern<T>) -> Pattern<T> {
    b.app_left(p, |b, v| (*b, v.clone()))
        .filter_values(|(b, _)| *b)
        .fmap(|(_, v)| v.clone())
}

/// Keeps the parts of `p` where the boolean pattern is true, keeping `p`'s structure
/// (Tidal's `mask`).
pub fn mask<T: PatValue>(b: &Pattern<bool>, p: &Pattern<T>) -> Pattern<T> {
    p.app_left(&b.filter_values(|b| *b), |v, _| v.clone())
}

/// Plays cycle `c` of the list `[f 0, f 1, ... f (n-1)]` as Tidal's `cat` would (pattern `i`
/// advances only on its own turns), without building the list.
pub fn cat_with<T: PatValue>(
    n: i64,
    f: impl Fn(i64) -> Pattern<T> + Send + Sync + 'static,
) -> Pattern<T> {
    if n <= 0 {
        return Pattern::silence();
    }
    Pattern::new(move |st| {
        let mut out = Vec::new();
        for a in st.span.cycles() {
            let cyc = a.begin.floor_i64();
            let i = cyc.rem_euclid(n);
            let offset = Time::int(cyc - (cyc - i).div_euclid(n));
            let q = Span::new(a.begin - offset, a.end - offset);
            out.extend(
                f(i).query(&st.with_span(q))
                    .into_iter()
                    .map(|h| h.with_span(|s| s.with_time(|t| t + offset))),
            );
        }
        out
    })
}

/// Applies `f` to one of `n` parts of each cycle in turn, left to right (Tidal's `_chunk`,
/// a `cat` of `within`s). `n <= 0` gives silence.
pub fn chunk<T: PatValue>(n: i64, f: &PatFn<T>, p: &Pattern<T>) -> Pattern<T> {
    let (f, p) = (f.clone(), p.clone());
    let nt = Time::int(n.max(1));
    cat_with(n, move |i| {
        within(Time::int(i) / nt, Time::int(i + 1) / nt, &f, &p)
    })
}

/// [`chunk`] with a patterned count (Tidal's `chunk`).
pub fn chunk_pat<T: PatValue>(n: &Pattern<i64>, f: &PatFn<T>, p: &Pattern<T>) -> Pattern<T> {
    let (f, p) = (f.clone(), p.clone());
    n.inner_bind(move |n| chunk(*n, &f, &p))
}

/// Like [`chunk`], right to left: the last part first (Tidal 1.7.10's `_chunk'`, which
/// binds over `_slow n $ rev $ run n`, so unlike `chunk` the pattern is not offset per
/// part).
pub fn chunk_prime<T: PatValue>(n: i64, f: &PatFn<T>, p: &Pattern<T>) -> Pattern<T> {
    if n <= 0 {
        return Pattern::silence();
    }
    let (f, p) = (f.clone(), p.clone());
    let nt = Time::int(n);
    slow(nt, &rev(&run(n)))
        .bind(move |i| within(Time::int(*i) / nt, Time::int(*i + 1) / nt, &f, &p))
}

/// [`chunk_prime`] with a patterned count (Tidal's `chunk'`).
pub fn chunk_prime_pat<T: PatValue>(n: &Pattern<i64>, f: &PatFn<T>, p: &Pattern<T>) -> Pattern<T> {
    let (f, p) = (f.clone(), p.clone());
    n.inner_bind(move |n| chunk_prime(*n, &f, &p))
}

/// Indexes cyclically into `xs`, moving `step` items on each cycle (Tidal's `_fit`: the
/// index is offset by `step * floor (start of part)`).
pub fn fit<T: PatValue>(step: i64, xs: Vec<T>, p: &Pattern<i64>) -> Pattern<T> {
    if xs.is_empty() {
        return Pattern::silence();
    }
    let xs = Arc::new(xs);
    p.with_hap(move |h| {
        let pos = step.wrapping_mul(h.part.begin.floor_i64());
        let i = h.value.wrapping_add(pos);
        h.with_value(|_| xs[hmod(i, xs.len() as i64) as usize].clone())
    })
}

/// [`fit`] with a patterned step (Tidal's `fit`).
pub fn fit_pat<T: PatValue>(step: &Pattern<i64>, xs: Vec<T>, p: &Pattern<i64>) -> Pattern<T> {
    let p = p.clone();
    let xs = Arc::new(xs);
    step.inner_bind(move |s| fit(*s, (*xs).clone(), &p))
}

/// Slices each cycle into `n` parts and plays them by the index pattern, squeezing each
/// slice into its index event (Tidal's `_bite`).
pub fn bite<T: PatValue>(n: i64, i: &Pattern<i64>, p: &Pattern<T>) -> Pattern<T> {
    if n == 0 {
        return Pattern::silence();
    }
    let p = p.clone();
    let nt = Time::int(n);
    i.squeeze_bind(move |i| {
        let k = Time::int(hmod(*i, n));
        zoom_span(Span::new(k / nt, (k + Time::ONE) / nt), &p)
    })
}

/// [`bite`] with a patterned slice count (Tidal's `bite`).
pub fn bite_pat<T: PatValue>(n: &Pattern<i64>, i: &Pattern<i64>, p: &Pattern<T>) -> Pattern<T> {
    let (i, p) = (i.clone(), p.clone());
    n.inner_bind(move |n| bite(*n, &i, &p))
}

/// Squashes `a` into the first `t` of each cycle and `b` into the rest (Tidal's `_wedge`).
pub fn wedge<T: PatValue>(t: Time, a: &Pattern<T>, b: &Pattern<T>) -> Pattern<T> {
    if t == Time::ZERO {
        return b.clone();
    }
    if t == Time::ONE {
        return a.clone();
    }
    stack(vec![
        fast_gap(t.recip(), a),
        fast_gap((Time::ONE - t).recip(), b).rotate_right(t),
    ])
}

/// [`wedge`] with a patterned split point (Tidal 1.7.10's `wedge`).
pub fn wedge_pat<T: PatValue>(t: &Pattern<Time>, a: &Pattern<T>, b: &Pattern<T>) -> Pattern<T> {
    let (a, b) = (a.clone(), b.clone());
    t.inner_bind(move |t| wedge(*t, &a, &b))
}

/// Orders haps as Haskell's derived `Ord` on events does: context (source positions), then
/// whole (analog first), then part, then value.
fn hap_cmp<T>(a: &Hap<T>, b: &Hap<T>, cmp: &dyn Fn(&T, &T) -> Ordering) -> Ordering {
    a.context
        .cmp(&b.context)
        .then_with(|| a.whole.cmp(&b.whole))
        .then_with(|| a.part.cmp(&b.part))
        .then_with(|| cmp(&a.value, &b.value))
}

/// Joins fragments of the same event that touch (Tidal's `defragParts`).
fn defrag_parts<T: PartialEq + Clone>(mut es: Vec<Hap<T>>) -> Vec<Hap<T>> {
    let mut out = Vec::with_capacity(es.len());
    while !es.is_empty() {
        let e = es.remove(0);
        let adj = es.iter().position(|o| {
            o.whole == e.whole
                && o.value == e.value
                && (e.part.end == o.part.begin || o.part.end == e.part.begin)
        });
        match adj {
            Some(i) => {
                let o = es.remove(i);
                let part = Span::new(e.part.begin.min(o.part.begin), e.part.end.max(o.part.end));
                out.push(Hap { part, ..e });
            }
            None => out.push(e),
        }
    }
    out
}

/// Shifts values `i` steps to the left among the events of each cycle, keeping the
/// structure, with a value order for ties (Tidal's `_rot`).
pub fn rot_by<T: PatValue + PartialEq>(
    i: i64,
    p: &Pattern<T>,
    cmp: impl Fn(&T, &T) -> Ordering + Send + Sync + 'static,
) -> Pattern<T> {
    let p = p.clone();
    Pattern::new(move |st| {
        let cycle = Span::whole_cycle(st.span.begin);
        let mut es = defrag_parts(p.query(&st.with_span(cycle)));
        es.sort_by(|a, b| hap_cmp(a, b, &cmp));
        let len = es.len() as i64;
        if len == 0 {
            return Vec::new();
        }
        let shift = if i >= 0 {
            i % len
        } else {
            (len - i.saturating_abs()).max(0)
        };
        let values: Vec<T> = es.iter().map(|h| h.value.clone()).collect();
        es.into_iter()
            .enumerate()
            .filter_map(|(k, mut h)| {
                h.value = values[((k as i64 + shift) % len) as usize].clone();
                let part = h.part.intersect(&st.span)?;
                h.part = part;
                Some(h)
            })
            .collect()
    })
    .split_queries()
}

/// [`rot_by`] for any value type, ties between simultaneous events kept in query order.
pub fn rot<T: PatValue + PartialEq>(i: i64, p: &Pattern<T>) -> Pattern<T> {
    rot_by(i, p, |_, _| Ordering::Equal)
}

/// [`rot`] with a patterned shift (Tidal's `rot`).
pub fn rot_pat<T: PatValue + PartialEq>(i: &Pattern<i64>, p: &Pattern<T>) -> Pattern<T> {
    let p = p.clone();
    i.inner_bind(move |i| rot(*i, &p))
}

/// [`rot_pat`] for control patterns, ordering simultaneous events by value as Tidal does.
pub fn rot_map_pat(i: &Pattern<i64>, p: &Pattern<ValueMap>) -> Pattern<ValueMap> {
    let p = p.clone();
    i.inner_bind(move |i| rot_by(*i, &p, map_cmp))
}

/// [`rot_pat`] for dynamically typed patterns, ordering simultaneous events by value.
pub fn rot_value_pat(i: &Pattern<i64>, p: &Pattern<Value>) -> Pattern<Value> {
    let p = p.clone();
    i.inner_bind(move |i| rot_by(*i, &p, value_cmp))
}

fn variant_index(v: &Value) -> u8 {
    match v {
        Value::Str(_) => 0,
        Value::Float(_) => 1,
        Value::Note(_) => 2,
        Value::Rational(_) => 3,
        Value::Int(_) => 4,
        Value::Bool(_) => 5,
        Value::Map(_) => 6,
    }
}

/// A total order on values following Haskell's derived `Ord` for Tidal's `Value`
/// (constructor order, then contents).
pub fn value_cmp(a: &Value, b: &Value) -> Ordering {
    match (a, b) {
        (Value::Str(x), Value::Str(y)) => x.cmp(y),
        (Value::Float(x), Value::Float(y)) | (Value::Note(x), Value::Note(y)) => x.total_cmp(y),
        (Value::Rational(x), Value::Rational(y)) => x.cmp(y),
        (Value::Int(x), Value::Int(y)) => x.cmp(y),
        (Value::Bool(x), Value::Bool(y)) => x.cmp(y),
        (Value::Map(x), Value::Map(y)) => map_cmp(x, y),
        _ => variant_index(a).cmp(&variant_index(b)),
    }
}

/// Orders control maps as Haskell orders `Map`s: by their sorted `(name, value)` lists.
pub fn map_cmp(a: &ValueMap, b: &ValueMap) -> Ordering {
    let mut ia = a.iter();
    let mut ib = b.iter();
    loop {
        match (ia.next(), ib.next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some((ka, va)), Some((kb, vb))) => {
                let o = ka.cmp(kb).then_with(|| value_cmp(va, vb));
                if o != Ordering::Equal {
                    return o;
                }
            }
        }
    }
}

/// Spreads out the events that share a whole across that whole, after reordering each
/// group with `f` (Tidal's `arpWith`). Analog events are dropped.
pub fn arp_with<T: PatValue>(
    f: impl Fn(Vec<Hap<T>>) -> Vec<Hap<T>> + Send + Sync + 'static,
    p: &Pattern<T>,
) -> Pattern<T> {
    p.with_haps(move |mut es| {
        es.sort_by_key(|a| a.whole);
        let mut out = Vec::new();
        let mut start = 0;
        while start < es.len() {
            let mut end = start + 1;
            while end < es.len() && es[end].whole == es[start].whole {
                end += 1;
            }
            let group = f(es[start..end].to_vec());
            let d = Time::int(group.len() as i64);
            for (n, h) in group.into_iter().enumerate() {
                let Some(w) = h.whole else { continue };
                let dur = (w.end - w.begin) / d;
                let ns = w.begin + dur * Time::int(n as i64);
                let nw = Span::new(ns, ns + dur);
                if let Some(part) = nw.intersect(&h.part) {
                    out.push(Hap {
                        whole: Some(nw),
                        part,
                        ..h
                    });
                }
            }
            start = end;
        }
        out
    })
}

/// Plays simultaneous events one after the other within their shared span (Tidal's
/// `arpeggiate`/`arpg`).
pub fn arpeggiate<T: PatValue>(p: &Pattern<T>) -> Pattern<T> {
    arp_with(|x| x, p)
}

fn init<T: Clone>(x: &[T]) -> Vec<T> {
    x[..x.len().saturating_sub(1)].to_vec()
}

fn rev_vec<T: Clone>(x: &[T]) -> Vec<T> {
    x.iter().rev().cloned().collect()
}

fn converge<T: Clone>(x: &[T]) -> Vec<T> {
    let (mut lo, mut hi) = (0usize, x.len());
    let mut out = Vec::with_capacity(x.len());
    let mut front = true;
    while lo < hi {
        if front {
            out.push(x[lo].clone());
            lo += 1;
        } else {
            hi -= 1;
            out.push(x[hi].clone());
        }
        front = !front;
    }
    out
}

/// The arpeggio modes of Tidal 1.7.10's `arp`, by name. Unknown names play `up`.
pub const ARP_MODES: &[&str] = &[
    "up",
    "down",
    "updown",
    "downup",
    "up&down",
    "down&up",
    "converge",
    "diverge",
    "disconverge",
    "pinkyup",
    "pinkyupdown",
    "thumbup",
    "thumbupdown",
];

/// Reorders one chord (the events sharing a whole) by arpeggio mode name.
pub fn arp_order<T: Clone>(mode: &str, x: &[T]) -> Vec<T> {
    if x.is_empty() {
        return Vec::new();
    }
    let pinkyup = |x: &[T]| -> Vec<T> {
        let pinky = x[x.len() - 1].clone();
        init(x)
            .into_iter()
            .flat_map(|v| [v, pinky.clone()])
            .collect()
    };
    let thumbup = |x: &[T]| -> Vec<T> {
        let thumb = x[0].clone();
        x[1..]
            .iter()
            .flat_map(|v| [thumb.clone(), v.clone()])
            .collect()
    };
    match mode {
        "down" => rev_vec(x),
        "updown" => [init(x), init(&rev_vec(x))].concat(),
        "downup" => [init(&rev_vec(x)), init(x)].concat(),
        "up&down" => [x.to_vec(), rev_vec(x)].concat(),
        "down&up" => [rev_vec(x), x.to_vec()].concat(),
        "converge" => converge(x),
        "diverge" => rev_vec(&converge(x)),
        "disconverge" => {
            let c = converge(x);
            let r = rev_vec(&c);
            [c, r[1..].to_vec()].concat()
        }
        "pinkyup" => pinkyup(x),
        "pinkyupdown" => {
            let p = pinkyup(x);
            [init(&p), init(&rev_vec(&p))].concat()
        }
        "thumbup" => thumbup(x),
        "thumbupdown" => {
            let t = thumbup(x);
            [init(&t), init(&rev_vec(&t))].concat()
        }
        _ => x.to_vec(),
    }
}

/// Arpeggiates chords with a named mode (Tidal's `_arp`); see [`ARP_MODES`].
pub fn arp<T: PatValue>(mode: &str, p: &Pattern<T>) -> Pattern<T> {
    let mode: Arc<str> = mode.into();
    arp_with(move |x| arp_order(&mode, &x), p)
}

/// [`arp`] with a patterned mode (Tidal's `arp`).
pub fn arp_pat<T: PatValue>(mode: &Pattern<String>, p: &Pattern<T>) -> Pattern<T> {
    let p = p.clone();
    mode.inner_bind(move |m| arp(m, &p))
}

/// Staggers the starts of simultaneous events across the first `t` of their span, like a
/// strummed chord; negative `t` strums downwards (Tidal 1.9's `rolledWith`; not in 1.7.10,
/// so not checked against the oracle).
pub fn rolled_by<T: PatValue>(t: Time, p: &Pattern<T>) -> Pattern<T> {
    if t == Time::ZERO {
        return p.clone();
    }
    p.with_haps(move |mut es| {
        if t < Time::ZERO {
            es.reverse();
        }
        let mut out = Vec::new();
        let mut start = 0;
        while start < es.len() {
            let mut end = start + 1;
            while end < es.len() && es[end].whole == es[start].whole {
                end += 1;
            }
            let d = Time::int((end - start) as i64);
            for (n, h) in es[start..end].iter().cloned().enumerate() {
                let Some(w) = h.whole else {
                    out.push(h);
                    continue;
                };
                let at = if t < Time::ZERO { -t } else { t };
                let dur = (w.end - w.begin) / (at.recip() * d);
                let ns = w.begin + dur * Time::int(n as i64);
                let nw = Span::new(ns, w.end);
                if let Some(part) = nw.intersect(&h.part) {
                    out.push(Hap {
                        whole: Some(nw),
                        part,
                        ..h
                    });
                }
            }
            start = end;
        }
        out
    })
}

/// [`rolled_by`] with a patterned amount (Tidal 1.9's `rolledBy`).
pub fn rolled_by_pat<T: PatValue>(t: &Pattern<Time>, p: &Pattern<T>) -> Pattern<T> {
    let p = p.clone();
    t.inner_bind(move |t| rolled_by(*t, &p))
}

/// [`rolled_by`] a quarter of the span (Tidal 1.9's `rolled`).
pub fn rolled<T: PatValue>(p: &Pattern<T>) -> Pattern<T> {
    rolled_by(Time::new(1, 4), p)
}

/// Selects from a list by (cyclic) index (Tidal's `!!!`), for building patterns of lists.
pub fn pick<T: Clone>(xs: &[T], i: i64) -> Option<T> {
    cyclic(xs, i).cloned()
}

/// Replaces values by looking them up in a table, dropping values not in it (Tidal's
/// `swap`).
pub fn swap<A: PatValue + PartialEq, B: PatValue>(
    table: Vec<(A, B)>,
    p: &Pattern<A>,
) -> Pattern<B> {
    p.fmap(move |a| table.iter().find(|(k, _)| k == a).map(|(_, b)| b.clone()))
        .filter_values(Option::is_some)
        .fmap(|b| b.clone().expect("filtered to Some"))
}

/// Makes a pattern monophonic: events are taken in order of their wholes, and each later
/// overlapping event is cut to start where the earlier one stops, or dropped if it ends
/// first (Tidal's `mono`).
pub fn mono<T: PatValue>(p: &Pattern<T>) -> Pattern<T> {
    p.with_haps(|mut es| {
        es.sort_by_key(|h| h.whole);
        let mut kept: Vec<Hap<T>> = Vec::with_capacity(es.len());
        let mut rest = es;
        while !rest.is_empty() {
            let a = rest.remove(0);
            let a_stop = a.whole_or_part().end;
            rest = rest
                .into_iter()
                .filter_map(|mut b| {
                    let bw = b.whole_or_part();
                    if bw.begin >= a_stop {
                        Some(b)
                    } else if bw.end <= a_stop {
                        None
                    } else {
                        b.whole = Some(Span::new(a_stop, bw.end));
                        Some(b)
                    }
                })
                .collect();
            kept.push(a);
        }
        kept.into_iter()
            .filter_map(|mut h| {
                h.part = h.whole_or_part().intersect(&h.part)?;
                Some(h)
            })
            .collect()
    })
}

/// Glides linearly from each value to the next, sampled at the middle of each query
/// (Tidal's `smooth`): gives an analog-like pattern with the query as whole and part.
pub fn smooth(p: &Pattern<f64>) -> Pattern<f64> {
    let mono_p = mono(p);
    Pattern::new(move |st| {
        let a = st.span;
        let mid = a.begin + (a.end - a.begin) * Time::HALF;
        let es = mono_p.query(&st.with_span(Span::new(mid, mid)));
        let Some(e) = es.into_iter().next() else {
            return Vec::new();
        };
        let w = e.whole_or_part();
        let next = mono_p.query(&st.with_span(Span::new(w.end, w.end)));
        let value = match next.first() {
            None => e.value,
            Some(n) => {
                let d = w.end - w.begin;
                let pc = if d == Time::ZERO {
                    0.0
                } else {
                    ((e.part.begin - w.begin) / d).to_f64()
                };
                e.value + (n.value - e.value) * pc
            }
        };
        vec![Hap {
            whole: Some(a),
            part: a,
            value,
            context: e.context,
        }]
    })
}

/// Zooms each cycle to the span its events occupy, so the pattern fills the cycle
/// (Tidal's `stretch`).
pub fn stretch<T: PatValue>(p: &Pattern<T>) -> Pattern<T> {
    let p = p.clone();
    Pattern::new(move |st| {
        let cycle = Span::whole_cycle(st.span.begin);
        let spans: Vec<Span> = p
            .query(&st.with_span(cycle))
            .iter()
            .map(Hap::whole_or_part)
            .collect();
        let enclosing = match (
            spans.iter().map(|s| s.begin).min(),
            spans.iter().map(|s| s.end).max(),
        ) {
            (Some(b), Some(e)) => Span::new(b, e),
            _ => Span::new(Time::ZERO, Time::ONE),
        };
        let local = Span::new(
            enclosing.begin.cycle_pos(),
            enclosing.begin.cycle_pos() + enclosing.duration(),
        );
        zoom_span(local, &p).query(st)
    })
    .split_queries()
}

/// Replaces each true event of `b` with a whole cycle of `p` squashed into it (Tidal's
/// `substruct`). As in Tidal, each squashed cycle is queried over its whole event span,
/// not just the query.
pub fn substruct<T: PatValue>(b: &Pattern<bool>, p: &Pattern<T>) -> Pattern<T> {
    let (b, p) = (b.clone(), p.clone());
    Pattern::new(move |st| {
        let mut out = Vec::new();
        for e in b.query(st).into_iter().filter(|e| e.value) {
            let a = e.whole_or_part();
            let squashed = crate::library::time::compress_to(a.begin, a.end, &p);
            out.extend(squashed.query(&st.with_span(a)));
        }
        out
    })
}
