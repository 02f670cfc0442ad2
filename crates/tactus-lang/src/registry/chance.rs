//! Randomness: `rand irand perlin choose wchoose randcat degradeBy sometimesBy someCyclesBy
//! shuffle scramble brand ...` (Tidal 1.7.10's `Sound.Tidal.UI`), all driven by Tidal's
//! time-seeded generator so the same code drops and picks the same events as Tidal.

use tactus_pattern::core::stack;
use tactus_pattern::random;
use tactus_pattern::{Hap, PatFn, Pattern, Span, Time, Value};

use super::signals::{num_ret, num_ret_int};
use super::Builtin;
use crate::ast::Span as SrcSpan;
use crate::eval::call::Call;
use crate::eval::coerce;
use crate::eval::types::{Ty, Val};
use crate::eval::EvalError;

/// One constant element of a list argument (`choose [0, 2, 7]`, `choose ["bd", "sn"]`) as
/// a value of type `ty`: the single event a literal makes in its first cycle.
pub(super) fn const_value(v: &Val, ty: Ty, span: SrcSpan) -> Result<Value, EvalError> {
    let p = coerce::to_pat(v, ty, span)?;
    let haps = p.query_span(Span::new(Time::ZERO, Time::ONE));
    match haps.as_slice() {
        [h] if h.whole == Some(Span::new(Time::ZERO, Time::ONE)) => Ok(h.value.clone()),
        _ => Err(EvalError::new(
            "expected a single constant value here (a number or a one-word string)",
            span,
        )),
    }
}

/// Argument `i` as a list of constant values of the call's type `a`.
pub(super) fn const_list(c: &Call, i: usize) -> Result<Vec<Value>, EvalError> {
    let ty = c.ty();
    c.list(i)?
        .iter()
        .map(|(v, s)| const_value(v, ty, *s))
        .collect()
}

/// Argument `i` as a list of `(x, weight)` pairs; `x` is converted by `conv`.
fn weighted<X>(
    c: &Call,
    i: usize,
    conv: impl Fn(&Val, SrcSpan) -> Result<X, EvalError>,
) -> Result<Vec<(X, f64)>, EvalError> {
    let mut out = Vec::new();
    for (v, s) in c.list(i)?.iter() {
        let Val::Tuple(t) = v else {
            return Err(EvalError::new(
                format!(
                    "`{}` expects a list of (value, weight) pairs",
                    c.builtin.name
                ),
                *s,
            ));
        };
        if t.len() != 2 {
            return Err(EvalError::new("expected a pair (value, weight)", *s));
        }
        let w = coerce::to_f64(&t[1].0, t[1].1)?;
        out.push((conv(&t[0].0, t[0].1)?, w));
    }
    Ok(out)
}

fn choose_by(c: &Call, f: &Pattern<f64>, list: usize) -> Result<Val, EvalError> {
    c.ret(random::choose_by(f, const_list(c, list)?))
}

fn wchoose_by(c: &Call, f: &Pattern<f64>, list: usize) -> Result<Val, EvalError> {
    let ty = c.ty();
    let pairs = weighted(c, list, |v, s| const_value(v, ty, s))?;
    c.ret(random::wchoose_by(f, pairs))
}

fn wrandcat(c: &Call) -> Result<Val, EvalError> {
    let ty = c.ty();
    let pairs = weighted(c, 0, |v, s| coerce::to_pat(v, ty, s))?;
    c.ret(random::wrandcat(pairs))
}

/// `sometimesBy x f p` at a fixed probability.
fn sometimes_at(c: &Call, x: f64) -> Result<Val, EvalError> {
    let f = c.func(0)?;
    let p = c.pat(1)?;
    c.ret(random::sometimes_by(&Pattern::pure(x), |q| f(q), &p))
}

/// `sometimesBy' x f p` at a fixed probability.
fn sometimes_prime_at(c: &Call, x: f64) -> Result<Val, EvalError> {
    let f = c.func(0)?;
    let p = c.pat(1)?;
    c.ret(sometimes_by_prime(&Pattern::pure(x), &f, &p))
}

/// Tidal's `sometimesBy'`: like `sometimesBy`, but the function is applied to the whole
/// pattern before the random selection is taken from it.
fn sometimes_by_prime(x: &Pattern<f64>, f: &PatFn<Value>, p: &Pattern<Value>) -> Pattern<Value> {
    stack(vec![
        random::degrade_by(x, p),
        random::undegrade_by(x, &f(p)),
    ])
}

fn sometimes_by(c: &Call) -> Result<Val, EvalError> {
    let x = c.double(0)?;
    let f = c.func(1)?;
    let p = c.pat(2)?;
    c.ret(random::sometimes_by(&x, |q| f(q), &p))
}

fn some_cycles_by(c: &Call) -> Result<Val, EvalError> {
    let x = c.double(0)?;
    let f = c.func(1)?;
    let p = c.pat(2)?;
    c.ret(random::some_cycles_by(&x, move |q| f(q), &p))
}

fn some_cycles(c: &Call) -> Result<Val, EvalError> {
    let f = c.func(0)?;
    let p = c.pat(1)?;
    c.ret(random::some_cycles_by(
        &Pattern::pure(0.5),
        move |q| f(q),
        &p,
    ))
}

/// Tidal's `_brandBy`: true where `rand` is below the probability.
fn brand_by(prob: f64) -> Pattern<Value> {
    random::rand().fmap(move |r| Value::Bool(*r < prob))
}

/// Tidal's `randslice`: each cycle (per query) plays a randomly chosen one of `n` slices.
fn randslice(c: &Call) -> Result<Val, EvalError> {
    let n = c.int(0)?;
    let p = c.pat_of(1, Ty::Control)?;
    let out = n.inner_bind(move |n| {
        let n = *n;
        let p = p.clone();
        random::irand_const(n).inner_bind(move |i| slice_const(n, *i, &p))
    });
    c.ret_ty(Ty::Control, out)
}

/// `p # begin (i/n) # end ((i+1)/n)` (Tidal's `_slice`).
fn slice_const(n: i64, i: i64, p: &Pattern<Value>) -> Pattern<Value> {
    let (b, e) = (i as f64 / n as f64, (i + 1) as f64 / n as f64);
    p.app_left(&Pattern::pure(()), move |v, _| match v {
        Value::Map(m) => {
            let mut m = m.clone();
            m.insert("begin", Value::Float(b));
            m.insert("end", Value::Float(e));
            Value::Map(m)
        }
        other => other.clone(),
    })
}

/// Tidal's `perlin2With`: two-dimensional Perlin noise over `x` and `y`, in `[0, 1]`.
fn perlin2_with(x: &Pattern<f64>, y: &Pattern<f64>) -> Pattern<f64> {
    x.app_both(y, |x, y| perlin2_at(*x, *y))
}

/// The value of 2-D Perlin noise at `(x, y)`: random gradient angles at the integer
/// corners (seeded by `timeToRand (cx + 0.0001 * cy)`), dotted with the offsets and blended
/// with the quintic smoothstep, then mapped from `[-1, 1]` to `[0, 1]`.
fn perlin2_at(x: f64, y: f64) -> f64 {
    let (x0, y0) = (x.floor(), y.floor());
    let (x1, y1) = (x0 + 1.0, y0 + 1.0);
    let (fx, fy) = (x - x0, y - y0);
    let angle =
        |a: f64, b: f64| 2.0 * std::f64::consts::PI * random::time_to_rand_f64(a + 0.0001 * b);
    let dot = |cx: f64, cy: f64, dx: f64, dy: f64| {
        let t = angle(cx, cy);
        t.cos() * dx + t.sin() * dy
    };
    let a = dot(x0, y0, fx, fy);
    let b = dot(x1, y0, fx - 1.0, fy);
    let cc = dot(x0, y1, fx, fy - 1.0);
    let d = dot(x1, y1, fx - 1.0, fy - 1.0);
    let s = |v: f64| 6.0 * v.powf(5.0) - 15.0 * v.powf(4.0) + 10.0 * v.powf(3.0);
    let (sx, sy) = (s(fx), s(fy));
    let v = (1.0 - sx) * (1.0 - sy) * a + sx * (1.0 - sy) * b + (1.0 - sx) * sy * cc + sx * sy * d;
    (v + 1.0) / 2.0
}

/// The sampling signal `sig fromRational`: the midpoint of the query.
fn time_signal() -> Pattern<f64> {
    Pattern::new(|st| {
        let s = st.span;
        if s.begin > s.end {
            return Vec::new();
        }
        vec![Hap::new(None, s, s.midpoint().to_f64())]
    })
}

/// The chance table.
pub const BUILTINS: &[Builtin] = &[
    Builtin::f(
        "rand",
        "Fractional a => Pattern a",
        "A continuous random signal from 0 to 1.",
        "s \"bd*8\" # pan rand",
        |c| num_ret(c, random::rand()),
    ),
    Builtin::f(
        "irand",
        "Num a => Pattern Int -> Pattern a",
        "A continuous random signal of whole numbers from 0 to n-1.",
        "s \"drum*8\" # n (irand 8)",
        |c| num_ret_int(c, random::irand(&c.int(0)?)),
    ),
    Builtin::f(
        "perlin",
        "Fractional a => Pattern a",
        "Smooth 1-D Perlin noise from 0 to 1, one random point per cycle.",
        "s \"hh*8\" # gain perlin",
        |c| num_ret(c, random::perlin()),
    ),
    Builtin::f(
        "perlinWith",
        "Fractional a => Pattern Double -> Pattern a",
        "Perlin noise driven by the given pattern instead of time.",
        "s \"hh*8\" # pan (perlinWith (saw * 4))",
        |c| num_ret(c, random::perlin_with(&c.double(0)?)),
    ),
    Builtin::f(
        "perlin2",
        "Pattern Double -> Pattern Double",
        "2-D Perlin noise over time and the given pattern.",
        "perlin2 (sine * 4)",
        |c| {
            c.ret_ty(
                Ty::Float,
                perlin2_with(&time_signal(), &c.double(0)?).fmap(|x| Value::Float(*x)),
            )
        },
    ),
    Builtin::f(
        "perlin2With",
        "Pattern Double -> Pattern Double -> Pattern Double",
        "2-D Perlin noise over two patterns.",
        "perlin2With (saw * 2) (sine * 3)",
        |c| {
            c.ret_ty(
                Ty::Float,
                perlin2_with(&c.double(0)?, &c.double(1)?).fmap(|x| Value::Float(*x)),
            )
        },
    ),
    Builtin::f(
        "choose",
        "[a] -> Pattern a",
        "A continuous pattern picking from the list at random.",
        "s \"drum*8\" # n (choose [0, 2, 7])",
        |c| choose_by(c, &random::rand(), 0),
    ),
    Builtin::f(
        "chooseBy",
        "Pattern Double -> [a] -> Pattern a",
        "Picks from the list using the given 0..1 pattern instead of `rand`.",
        "s \"drum*8\" # n (chooseBy sine [0, 2, 7])",
        |c| choose_by(c, &c.double(0)?, 1),
    ),
    Builtin::f(
        "wchoose",
        "[(a, Double)] -> Pattern a",
        "Picks from the list at random, with weights.",
        "s \"drum*8\" # n (wchoose [(0, 0.25), (2, 0.5), (7, 0.25)])",
        |c| wchoose_by(c, &random::rand(), 0),
    ),
    Builtin::f(
        "wchooseBy",
        "Pattern Double -> [(a, Double)] -> Pattern a",
        "Weighted choice using the given 0..1 pattern instead of `rand`.",
        "s \"drum*8\" # n (wchooseBy saw [(0, 1), (5, 3)])",
        |c| wchoose_by(c, &c.double(0)?, 1),
    ),
    Builtin::f(
        "cycleChoose",
        "[a] -> Pattern a",
        "Picks one value from the list per cycle.",
        "s \"drum*4\" # n (cycleChoose [0, 2, 7])",
        |c| c.ret(random::cycle_choose(const_list(c, 0)?)),
    ),
    Builtin::f(
        "randcat",
        "[Pattern a] -> Pattern a",
        "Plays a randomly chosen pattern from the list each cycle.",
        "randcat [s \"bd*2\", s \"hh*3\", s \"sn\"]",
        |c| c.ret(random::randcat(c.pats(0)?)),
    ),
    Builtin::f(
        "wrandcat",
        "[(Pattern a, Double)] -> Pattern a",
        "Like `randcat`, with weights.",
        "wrandcat [(s \"bd*2\", 1), (s \"hh*3\", 0.5)]",
        wrandcat,
    ),
    Builtin::f(
        "degrade",
        "Pattern a -> Pattern a",
        "Randomly removes half of the events (like `?` in mini-notation).",
        "degrade $ s \"hh*16\"",
        |c| c.ret(random::degrade(&c.pat(0)?)),
    ),
    Builtin::f(
        "degradeBy",
        "Pattern Double -> Pattern a -> Pattern a",
        "Randomly removes events with the given probability.",
        "degradeBy 0.3 $ s \"hh*16\"",
        |c| c.ret(random::degrade_by(&c.double(0)?, &c.pat(1)?)),
    ),
    Builtin::f(
        "unDegradeBy",
        "Pattern Double -> Pattern a -> Pattern a",
        "Keeps exactly the events `degradeBy` would remove.",
        "unDegradeBy 0.3 $ s \"hh*16\"",
        |c| c.ret(random::undegrade_by(&c.double(0)?, &c.pat(1)?)),
    ),
    Builtin::f(
        "sometimesBy",
        "Pattern Double -> (Pattern a -> Pattern a) -> Pattern a -> Pattern a",
        "Applies a function to a random selection of events, with the given probability.",
        "sometimesBy 0.3 (# speed 2) $ s \"hh*8\"",
        sometimes_by,
    ),
    Builtin::f(
        "sometimesBy'",
        "Pattern Double -> (Pattern a -> Pattern a) -> Pattern a -> Pattern a",
        "Like `sometimesBy`, but picks from the events after the function is applied.",
        "sometimesBy' 0.3 (fast 2) $ s \"hh*4\"",
        |c| {
            let x = c.double(0)?;
            let f = c.func(1)?;
            c.ret(sometimes_by_prime(&x, &f, &c.pat(2)?))
        },
    ),
    Builtin::f(
        "sometimes",
        "(Pattern a -> Pattern a) -> Pattern a -> Pattern a",
        "Applies a function to about half of the events.",
        "sometimes (# crush 4) $ s \"hh*8\"",
        |c| sometimes_at(c, 0.5),
    ),
    Builtin::f(
        "sometimes'",
        "(Pattern a -> Pattern a) -> Pattern a -> Pattern a",
        "`sometimesBy' 0.5`.",
        "sometimes' (# crush 4) $ s \"hh*8\"",
        |c| sometimes_prime_at(c, 0.5),
    ),
    Builtin::f(
        "often",
        "(Pattern a -> Pattern a) -> Pattern a -> Pattern a",
        "Applies a function to about 75% of the events.",
        "often (# speed 2) $ s \"hh*8\"",
        |c| sometimes_at(c, 0.75),
    ),
    Builtin::f(
        "often'",
        "(Pattern a -> Pattern a) -> Pattern a -> Pattern a",
        "`sometimesBy' 0.75`.",
        "often' (# speed 2) $ s \"hh*8\"",
        |c| sometimes_prime_at(c, 0.75),
    ),
    Builtin::f(
        "rarely",
        "(Pattern a -> Pattern a) -> Pattern a -> Pattern a",
        "Applies a function to about 25% of the events.",
        "rarely (# speed 2) $ s \"hh*8\"",
        |c| sometimes_at(c, 0.25),
    ),
    Builtin::f(
        "rarely'",
        "(Pattern a -> Pattern a) -> Pattern a -> Pattern a",
        "`sometimesBy' 0.25`.",
        "rarely' (# speed 2) $ s \"hh*8\"",
        |c| sometimes_prime_at(c, 0.25),
    ),
    Builtin::f(
        "almostNever",
        "(Pattern a -> Pattern a) -> Pattern a -> Pattern a",
        "Applies a function to about 10% of the events.",
        "almostNever (# speed 2) $ s \"hh*8\"",
        |c| sometimes_at(c, 0.1),
    ),
    Builtin::f(
        "almostNever'",
        "(Pattern a -> Pattern a) -> Pattern a -> Pattern a",
        "`sometimesBy' 0.1`.",
        "almostNever' (# speed 2) $ s \"hh*8\"",
        |c| sometimes_prime_at(c, 0.1),
    ),
    Builtin::f(
        "almostAlways",
        "(Pattern a -> Pattern a) -> Pattern a -> Pattern a",
        "Applies a function to about 90% of the events.",
        "almostAlways (# speed 2) $ s \"hh*8\"",
        |c| sometimes_at(c, 0.9),
    ),
    Builtin::f(
        "almostAlways'",
        "(Pattern a -> Pattern a) -> Pattern a -> Pattern a",
        "`sometimesBy' 0.9`.",
        "almostAlways' (# speed 2) $ s \"hh*8\"",
        |c| sometimes_prime_at(c, 0.9),
    ),
    Builtin::f(
        "always",
        "(Pattern a -> Pattern a) -> Pattern a -> Pattern a",
        "Always applies the function (handy when switching between chance functions).",
        "always (# speed 2) $ s \"hh*8\"",
        |c| {
            let f = c.func(0)?;
            c.ret(f(&c.pat(1)?))
        },
    ),
    Builtin::f(
        "never",
        "(Pattern a -> Pattern a) -> Pattern a -> Pattern a",
        "Never applies the function: the pattern is unchanged.",
        "never (# speed 2) $ s \"hh*8\"",
        |c| {
            c.func(0)?;
            c.ret(c.pat(1)?)
        },
    ),
    Builtin::f(
        "someCyclesBy",
        "Pattern Double -> (Pattern a -> Pattern a) -> Pattern a -> Pattern a",
        "Applies a function to whole cycles chosen at random with the given probability.",
        "someCyclesBy 0.3 (# speed 2) $ s \"bd*4\"",
        some_cycles_by,
    ),
    Builtin::f(
        "somecyclesBy",
        "Pattern Double -> (Pattern a -> Pattern a) -> Pattern a -> Pattern a",
        "Same as `someCyclesBy`.",
        "somecyclesBy 0.3 (# speed 2) $ s \"bd*4\"",
        some_cycles_by,
    ),
    Builtin::f(
        "someCycles",
        "(Pattern a -> Pattern a) -> Pattern a -> Pattern a",
        "Applies a function to about half of the cycles.",
        "someCycles (# speed 2) $ s \"bd*4\"",
        some_cycles,
    ),
    Builtin::f(
        "somecycles",
        "(Pattern a -> Pattern a) -> Pattern a -> Pattern a",
        "Same as `someCycles`.",
        "somecycles (# speed 2) $ s \"bd*4\"",
        some_cycles,
    ),
    Builtin::f(
        "shuffle",
        "Pattern Int -> Pattern a -> Pattern a",
        "Divides each cycle into n parts and plays them in a random order, each once.",
        "shuffle 4 $ n \"0 1 2 3\" # s \"arpy\"",
        |c| c.ret(random::shuffle(&c.int(0)?, &c.pat(1)?)),
    ),
    Builtin::f(
        "scramble",
        "Pattern Int -> Pattern a -> Pattern a",
        "Divides each cycle into n parts and plays n of them picked at random.",
        "scramble 4 $ n \"0 1 2 3\" # s \"arpy\"",
        |c| c.ret(random::scramble(&c.int(0)?, &c.pat(1)?)),
    ),
    Builtin::f(
        "randslice",
        "Pattern Int -> ControlPattern -> ControlPattern",
        "Plays a random one of n equal slices of each sample (sets `begin` and `end`).",
        "randslice 4 $ s \"bev*4\"",
        randslice,
    ),
    Builtin::f(
        "brand",
        "Pattern Bool",
        "A continuous pattern of random booleans (true half of the time).",
        "segment 8 brand",
        |c| c.ret_ty(Ty::Bool, brand_by(0.5)),
    ),
    Builtin::f(
        "brandBy",
        "Pattern Double -> Pattern Bool",
        "Random booleans, true with the given probability.",
        "segment 8 $ brandBy 0.3",
        |c| {
            let p = c.double(0)?;
            c.ret_ty(Ty::Bool, p.inner_bind(|x| brand_by(*x)))
        },
    ),
];
