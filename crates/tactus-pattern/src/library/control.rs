//! Functions specific to control patterns (`Pattern<ValueMap>`, Tidal's `ControlPattern`):
//! building single-control patterns, `hurry`, `jux`, `ghost`, `stut`, and applying
//! functions to events that match a control map (`fix`, `unfix`, `contrast`).

use std::sync::Arc;

use crate::core::{fast_pat, stack};
use crate::library::layering::superimpose;
use crate::library::ops::{op_map, set, Structure, ValueOp};
use crate::pattern::{PatFn, Pattern};
use crate::span::Span;
use crate::time::Time;
use crate::value::{NumOp, Value, ValueMap};

/// A control pattern setting one control (`speed "1 2"` is `param("speed", ...)`).
pub fn param(name: &str, p: &Pattern<Value>) -> Pattern<ValueMap> {
    let name: Arc<str> = name.into();
    p.fmap(move |v| ValueMap::singleton(name.clone(), v.clone()))
}

/// A control pattern of float values (`VF` in Tidal: `speed`, `gain`, `pan`, ...).
pub fn param_f64(name: &str, p: &Pattern<f64>) -> Pattern<ValueMap> {
    param(name, &p.fmap(|x| Value::Float(*x)))
}

/// A constant control map with one float control.
pub fn const_f64(name: &str, x: f64) -> Pattern<ValueMap> {
    Pattern::pure(ValueMap::singleton(name, Value::Float(x)))
}

/// Speeds up a pattern and multiplies its `speed` by the same factor (Tidal's `hurry`).
pub fn hurry(r: &Pattern<Time>, p: &Pattern<ValueMap>) -> Pattern<ValueMap> {
    op_map(
        Structure::Left,
        ValueOp::Num(NumOp::Mul),
        &fast_pat(r, p),
        &param_f64("speed", &r.fmap(|r| r.to_f64())),
    )
}

/// Plays the pattern panned left and a transformed copy panned right, `n` apart
/// (Tidal's `juxBy n f p = stack [p |+ pan 0.5 |- pan (n/2), f $ p |+ pan 0.5 |+ pan (n/2)]`).
pub fn jux_by(n: &Pattern<f64>, f: &PatFn<ValueMap>, p: &Pattern<ValueMap>) -> Pattern<ValueMap> {
    let half = param_f64("pan", &n.app_both(&Pattern::pure(2.0), |a, b| a / b));
    let add = ValueOp::Num(NumOp::Add);
    let centred = op_map(Structure::Left, add, p, &const_f64("pan", 0.5));
    stack(vec![
        op_map(Structure::Left, ValueOp::Num(NumOp::Sub), &centred, &half),
        f(&op_map(Structure::Left, add, &centred, &half)),
    ])
}

/// [`jux_by`] with the copies hard left and right (Tidal's `jux = juxBy 1`).
pub fn jux(f: &PatFn<ValueMap>, p: &Pattern<ValueMap>) -> Pattern<ValueMap> {
    jux_by(&Pattern::pure(1.0), f, p)
}

/// Superimposes two transformed copies, `2.5 a` and `1.5 a` later (Tidal's `ghost''`).
pub fn ghost_with<T: crate::PatValue>(a: Time, f: &PatFn<T>, p: &Pattern<T>) -> Pattern<T> {
    let (f1, f2) = (f.clone(), f.clone());
    let later = |t: Time, f: PatFn<T>| -> PatFn<T> { Arc::new(move |x| f(x).rotate_right(t)) };
    let inner = superimpose(&later(a * Time::new(3, 2), f1), p);
    superimpose(&later(a * Time::new(5, 2), f2), &inner)
}

/// Ghost notes `a` apart: quieter (`gain * 0.7`), shorter (`end 0.2`) and higher
/// (`speed * 1.25`) (Tidal's `ghost'`).
pub fn ghost_by(a: Time, p: &Pattern<ValueMap>) -> Pattern<ValueMap> {
    let f: PatFn<ValueMap> = Arc::new(|x: &Pattern<ValueMap>| {
        let mul = ValueOp::Num(NumOp::Mul);
        let x = op_map(Structure::Both, mul, x, &const_f64("speed", 1.25));
        let x = op_map(
            Structure::Left,
            ValueOp::KeepRight,
            &x,
            &const_f64("end", 0.2),
        );
        op_map(Structure::Both, mul, &x, &const_f64("gain", 0.7))
    });
    ghost_with(a, &f, p)
}

/// [`ghost_by`] an eighth of a cycle (Tidal's `ghost`).
pub fn ghost(p: &Pattern<ValueMap>) -> Pattern<ValueMap> {
    ghost_by(Time::new(1, 8), p)
}

/// Echoes with decaying gain: `count - 1` copies, `time` apart, the `k`th with gain
/// multiplied by `feedback + (1 - feedback) * (count - k) / count` (Tidal's `_stut`).
pub fn stut(count: i64, feedback: f64, time: Time, p: &Pattern<ValueMap>) -> Pattern<ValueMap> {
    let c = count as f64;
    let mut layers = vec![p.clone()];
    for k in 1..count.min(crate::library::time::MAX_LAYERS) {
        let g = feedback + (1.0 - feedback) * ((c - k as f64) / c);
        let quieter = op_map(
            Structure::Left,
            ValueOp::Num(NumOp::Mul),
            p,
            &const_f64("gain", g),
        );
        layers.push(quieter.rotate_right(time * Time::int(k)));
    }
    stack(layers)
}

/// [`stut`] with patterned arguments (Tidal's `stut`, `tParam3`: `innerJoin` over
/// `(,,) <$> count <*> feedback <*> time`).
pub fn stut_pat(
    count: &Pattern<i64>,
    feedback: &Pattern<f64>,
    time: &Pattern<Time>,
    p: &Pattern<ValueMap>,
) -> Pattern<ValueMap> {
    let p = p.clone();
    count
        .app_both(feedback, |c, f| (*c, *f))
        .app_both(time, |(c, f), t| (*c, *f, *t))
        .inner_bind(move |(c, f, t)| stut(*c, *f, *t, &p))
}

/// Tidal's `Value` equality: same type and value, with integers, floats and rationals
/// comparing numerically across types.
pub fn value_eq(a: &Value, b: &Value) -> bool {
    use Value::*;
    match (a, b) {
        (Float(x), Int(y)) | (Int(y), Float(x)) => *x == *y as f64,
        (Float(x), Rational(y)) | (Rational(y), Float(x)) => Time::from_f64(*x) == *y,
        (Int(x), Rational(y)) | (Rational(y), Int(x)) => Time::int(*x) == *y,
        _ => a == b,
    }
}

/// True when every control of `sub` is in `map` with an equal value (`Map.isSubmapOfBy`).
pub fn is_submap_by(sub: &ValueMap, map: &ValueMap, eq: impl Fn(&Value, &Value) -> bool) -> bool {
    sub.iter()
        .all(|(k, v)| map.get(k).is_some_and(|w| eq(v, w)))
}

/// Splits `p` by whether each event's controls match one of the maps `m` has at the
/// event's start, and applies `f` to the matching and `g` to the others (Tidal's
/// `contrastBy`).
pub fn contrast_by(
    eq: impl Fn(&Value, &Value) -> bool + Send + Sync + 'static,
    f: &PatFn<ValueMap>,
    g: &PatFn<ValueMap>,
    m: &Pattern<ValueMap>,
    p: &Pattern<ValueMap>,
) -> Pattern<ValueMap> {
    let (m, p2) = (m.clone(), p.clone());
    let matches: Pattern<(bool, ValueMap)> = Pattern::new(move |st| {
        p2.query(st)
            .into_iter()
            .map(|h| {
                let t = h.whole_start();
                let ms = m.query(&st.with_span(Span::new(t, t)));
                let hit = ms.iter().any(|a| is_submap_by(&a.value, &h.value, &eq));
                h.with_value(|v| (hit, v))
            })
            .collect()
    });
    let matched = matches.filter_values(|(t, _)| *t).fmap(|(_, v)| v.clone());
    let unmatched = matches.filter_values(|(t, _)| !*t).fmap(|(_, v)| v.clone());
    stack(vec![f(&matched), g(&unmatched)])
}

/// [`contrast_by`] with Tidal's value equality (Tidal's `contrast`).
pub fn contrast(
    f: &PatFn<ValueMap>,
    g: &PatFn<ValueMap>,
    m: &Pattern<ValueMap>,
    p: &Pattern<ValueMap>,
) -> Pattern<ValueMap> {
    contrast_by(value_eq, f, g, m, p)
}

/// Applies `f` to the events whose controls match `m` (Tidal's `fix`).
///
/// ```
/// use std::sync::Arc;
/// use tactus_pattern::library::control::{const_f64, fix};
/// use tactus_pattern::library::ops::set;
/// use tactus_pattern::{PatFn, Pattern, Span, Time, Value, ValueMap};
/// let bd = Pattern::pure(ValueMap::singleton("s", Value::str("bd")));
/// let f: PatFn<ValueMap> = Arc::new(|p| set(p, &const_f64("crush", 4.0)));
/// let h = fix(&f, &bd, &bd).query_span(Span::new(Time::ZERO, Time::ONE));
/// assert_eq!(h[0].value.get("crush"), Some(&Value::Float(4.0)));
/// ```
pub fn fix(f: &PatFn<ValueMap>, m: &Pattern<ValueMap>, p: &Pattern<ValueMap>) -> Pattern<ValueMap> {
    let id: PatFn<ValueMap> = Arc::new(|x| x.clone());
    contrast(f, &id, m, p)
}

/// Applies `f` to the events whose controls do not match `m` (Tidal's `unfix`).
pub fn unfix(
    f: &PatFn<ValueMap>,
    m: &Pattern<ValueMap>,
    p: &Pattern<ValueMap>,
) -> Pattern<ValueMap> {
    let id: PatFn<ValueMap> = Arc::new(|x| x.clone());
    contrast(&id, f, m, p)
}

/// `p # nudge x` convenience: sets the `nudge` control (Tidal's `nudge` is a plain control).
pub fn nudge(x: &Pattern<f64>) -> Pattern<ValueMap> {
    param_f64("nudge", x)
}

/// Sets one control from another pattern with `#` (shorthand for `set(p, param(...))`).
pub fn with_param(p: &Pattern<ValueMap>, name: &str, v: &Pattern<Value>) -> Pattern<ValueMap> {
    set(p, &param(name, v))
}

fn const_int(name: &str, x: i64) -> Pattern<ValueMap> {
    Pattern::pure(ValueMap::singleton(name, Value::Int(x)))
}

/// Plays the pattern at pans 5/8 and (transformed) 1/8, for four-channel setups (Tidal's
/// `jux4`).
pub fn jux4(f: &PatFn<ValueMap>, p: &Pattern<ValueMap>) -> Pattern<ValueMap> {
    stack(vec![
        set(p, &const_f64("pan", 5.0 / 8.0)),
        f(&set(p, &const_f64("pan", 1.0 / 8.0))),
    ])
}

/// Like [`jux`], also setting `cut` groups -1 and -2 so each side cuts itself (Tidal's
/// `juxcut`).
pub fn juxcut(f: &PatFn<ValueMap>, p: &Pattern<ValueMap>) -> Pattern<ValueMap> {
    stack(vec![
        set(&set(p, &const_f64("pan", 0.0)), &const_int("cut", -1)),
        f(&set(&set(p, &const_f64("pan", 1.0)), &const_int("cut", -2))),
    ])
}

/// Applies each function and spreads the results across the stereo field, the `i`th of
/// `l` at pan `i / l` added to any pan (Tidal's `jux'`).
pub fn jux_list(fs: &[PatFn<ValueMap>], p: &Pattern<ValueMap>) -> Pattern<ValueMap> {
    let l = fs.len() as f64;
    let add = ValueOp::Num(NumOp::Add);
    stack(
        fs.iter()
            .enumerate()
            .map(|(i, f)| op_map(Structure::Left, add, &f(p), &const_f64("pan", i as f64 / l)))
            .collect(),
    )
}

/// Like [`jux_list`], with `cut` groups `1 - i` (Tidal's `juxcut'`).
pub fn juxcut_list(fs: &[PatFn<ValueMap>], p: &Pattern<ValueMap>) -> Pattern<ValueMap> {
    let l = fs.len() as f64;
    let add = ValueOp::Num(NumOp::Add);
    stack(
        fs.iter()
            .enumerate()
            .map(|(i, f)| {
                let cut = op_map(Structure::Left, add, &f(p), &const_int("cut", 1 - i as i64));
                set(&cut, &const_f64("pan", i as f64 / l))
            })
            .collect(),
    )
}

/// Stacks `copies` copies, the `i`th shifted `i/copies` earlier and panned to `i/copies`
/// (Tidal's `_spin`).
pub fn spin(copies: i64, p: &Pattern<ValueMap>) -> Pattern<ValueMap> {
    stack(
        (0..copies.clamp(0, crate::library::time::MAX_LAYERS))
            .map(|i| {
                let off = Time::new(i, copies);
                set(&p.rotate_left(off), &const_f64("pan", off.to_f64()))
            })
            .collect(),
    )
}

/// [`spin`] with a patterned count (Tidal's `spin`).
pub fn spin_pat(copies: &Pattern<i64>, p: &Pattern<ValueMap>) -> Pattern<ValueMap> {
    let p = p.clone();
    copies.inner_bind(move |c| spin(*c, &p))
}

/// Applies functions at different offsets across `t` cycles, so each blends in and out in
/// turn (Tidal's `weaveWith`).
pub fn weave_with<T: crate::PatValue>(t: Time, p: &Pattern<T>, fs: &[PatFn<T>]) -> Pattern<T> {
    if fs.is_empty() {
        return Pattern::silence();
    }
    let l = fs.len() as i64;
    let slowed = crate::core::slow(t, p);
    let layers = fs
        .iter()
        .enumerate()
        .map(|(i, f)| crate::core::fast(t, &f(&slowed)).rotate_left(Time::new(i as i64, l)))
        .collect();
    crate::core::slow(t, &stack(layers))
}

/// Weaves a control pattern through several patterns, offset across `t` cycles (Tidal's
/// `weave t p ps = weaveWith t p (map (#) ps)`).
pub fn weave(t: Time, p: &Pattern<ValueMap>, ps: &[Pattern<ValueMap>]) -> Pattern<ValueMap> {
    let fs: Vec<PatFn<ValueMap>> = ps
        .iter()
        .map(|q| {
            let q = q.clone();
            let f: PatFn<ValueMap> = Arc::new(move |x| set(&q, x));
            f
        })
        .collect();
    weave_with(t, p, &fs)
}

/// Shifts between two patterns with distortion (Tidal's `interlace a b = weave 16 (shape
/// (sine * 0.9)) [a, b]`).
pub fn interlace(a: &Pattern<ValueMap>, b: &Pattern<ValueMap>) -> Pattern<ValueMap> {
    let shape = crate::library::signal::sine().app_both(&Pattern::pure(0.9), |x, y| x * y);
    weave(
        Time::int(16),
        &param_f64("shape", &shape),
        &[a.clone(), b.clone()],
    )
}
