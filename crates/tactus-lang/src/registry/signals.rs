//! Continuous signals, ranges and sampling (`sine saw range segment quantise run scan`),
//! scales (`toScale scale`), arpeggios (`arp rolled`) and Euclidean rhythms (`euclid ...`).
//!
//! Numeric signals are polymorphic in Tidal (`sine :: Fractional a => Pattern a`); here
//! their type is decided by the consumer (`# pan sine` reads doubles, `n (run 4)` notes), and
//! the numbers are converted to that type.

use tactus_pattern::euclid;
use tactus_pattern::library::{harmony, signal};
use tactus_pattern::{Pattern, Value};

use super::chance::const_list;
use super::Builtin;
use crate::eval::call::Call;
use crate::eval::types::{Ty, Val};
use crate::eval::EvalError;

/// The error for a numeric function used where a non-numeric pattern is needed.
fn not_numeric(c: &Call) -> EvalError {
    EvalError::new(
        format!(
            "`{}` makes numbers, but a {} is expected here",
            c.builtin.name,
            c.ty()
        ),
        c.span,
    )
}

/// Returns a float pattern as the call's numeric type `a`.
pub(super) fn num_ret(c: &Call, p: Pattern<f64>) -> Result<Val, EvalError> {
    let ty = c.ty();
    if !ty.is_numeric() {
        return Err(not_numeric(c));
    }
    c.ret(p.fmap(move |x| ty.convert(&Value::Float(*x))))
}

/// Returns an integer pattern as the call's numeric type `a`.
pub(super) fn num_ret_int(c: &Call, p: Pattern<i64>) -> Result<Val, EvalError> {
    let ty = c.ty();
    if !ty.is_numeric() {
        return Err(not_numeric(c));
    }
    c.ret(p.fmap(move |x| ty.convert(&Value::Int(*x))))
}

/// Returns a pattern of dynamically typed numbers as the call's numeric type `a`.
fn num_ret_value(c: &Call, p: Pattern<Value>) -> Result<Val, EvalError> {
    let ty = c.ty();
    if !ty.is_numeric() {
        return Err(not_numeric(c));
    }
    c.ret(p.fmap(move |x| ty.convert(x)))
}

/// Argument `i` as a numeric pattern of the call's type `a`.
fn num_arg(c: &Call, i: usize) -> Result<Pattern<Value>, EvalError> {
    if !c.ty().is_numeric() {
        return Err(not_numeric(c));
    }
    c.pat(i)
}

fn double_ret(c: &Call, p: Pattern<f64>) -> Result<Val, EvalError> {
    c.ret_ty(Ty::Float, p.fmap(|x| Value::Float(*x)))
}

/// `quantise`-like functions: `f` rounds `x * n` to a whole number.
fn quantise_with(c: &Call, f: fn(f64) -> f64) -> Result<Val, EvalError> {
    let n = c.const_f64(0)?;
    let p = num_arg(c, 1)?;
    num_ret(c, p.fmap(move |v| f(v.as_f64().unwrap_or(0.0) * n) / n))
}

fn run(c: &Call) -> Result<Val, EvalError> {
    num_ret_value(c, signal::run_pat(&num_arg(c, 0)?))
}

fn scan(c: &Call) -> Result<Val, EvalError> {
    num_ret_value(c, signal::scan_pat(&num_arg(c, 0)?))
}

fn range(c: &Call) -> Result<Val, EvalError> {
    let (a, b, p) = (num_arg(c, 0)?, num_arg(c, 1)?, num_arg(c, 2)?);
    num_ret_value(c, signal::range(&a, &b, &p))
}

fn rangex(c: &Call) -> Result<Val, EvalError> {
    let (lo, hi) = (c.const_f64(0)?, c.const_f64(1)?);
    let p = num_arg(c, 2)?;
    num_ret(
        c,
        signal::rangex(lo, hi, &p.fmap(|v| v.as_f64().unwrap_or(0.0))),
    )
}

fn to_scale(c: &Call, octave: i64, list: usize, degrees: usize) -> Result<Val, EvalError> {
    let steps = const_list(c, list)?;
    let p = c.int(degrees)?;
    if !c.ty().is_numeric() {
        return Err(not_numeric(c));
    }
    num_ret_value(c, harmony::to_scale_prime(octave, steps, &p))
}

fn scale(c: &Call) -> Result<Val, EvalError> {
    let names = c.string(0)?.fmap(|s| s.to_string());
    let p = c.int(1)?;
    num_ret(c, harmony::scale::<f64>(&names, &p))
}

fn euclid_off_full(c: &Call) -> Result<Val, EvalError> {
    let (k, n, r) = (c.int(0)?, c.int(1)?, c.int(2)?);
    c.ret(euclid::euclid_off_full(&k, &n, &r, &c.pat(3)?, &c.pat(4)?))
}

/// The signals table.
pub const BUILTINS: &[Builtin] = &[
    Builtin::f(
        "sine",
        "Fractional a => Pattern a",
        "A sine wave from 0 to 1, one period per cycle.",
        "s \"bd*8\" # pan sine",
        |c| num_ret(c, signal::sine()),
    ),
    Builtin::f(
        "cosine",
        "Fractional a => Pattern a",
        "`sine` shifted a quarter of a cycle.",
        "s \"bd*8\" # pan cosine",
        |c| num_ret(c, signal::cosine()),
    ),
    Builtin::f(
        "saw",
        "Fractional a => Pattern a",
        "A ramp rising from 0 to 1 every cycle.",
        "s \"bd*8\" # pan saw",
        |c| num_ret(c, signal::saw()),
    ),
    Builtin::f(
        "isaw",
        "Fractional a => Pattern a",
        "A ramp falling from 1 to 0 every cycle.",
        "s \"bd*8\" # pan isaw",
        |c| num_ret(c, signal::isaw()),
    ),
    Builtin::f(
        "tri",
        "Fractional a => Pattern a",
        "A triangle wave: up from 0 to 1 and back down every cycle.",
        "s \"bd*8\" # pan tri",
        |c| num_ret(c, signal::tri()),
    ),
    Builtin::f(
        "square",
        "Fractional a => Pattern a",
        "A square wave: 0 for the first half of each cycle, 1 for the second.",
        "s \"bd*8\" # pan square",
        |c| num_ret(c, signal::square()),
    ),
    Builtin::f(
        "envL",
        "Pattern Double",
        "Rises from 0 to 1 over the first cycle, then stays at 1.",
        "envL",
        |c| double_ret(c, signal::env_l()),
    ),
    Builtin::f(
        "envLR",
        "Pattern Double",
        "Falls from 1 to 0 over the first cycle, then stays at 0 (`1 - envL`).",
        "envLR",
        |c| double_ret(c, signal::env_lr()),
    ),
    Builtin::f(
        "envR",
        "Pattern Double",
        "Same as `envLR` (a tactus alias; not in Tidal 1.7.10).",
        "envR",
        |c| double_ret(c, signal::env_r()),
    ),
    Builtin::f(
        "envEq",
        "Pattern Double",
        "An equal-power fade from 1 to 0 over the first cycle.",
        "envEq",
        |c| double_ret(c, signal::env_eq()),
    ),
    Builtin::f(
        "envEqR",
        "Pattern Double",
        "An equal-power fade from 0 to 1 over the first cycle.",
        "envEqR",
        |c| double_ret(c, signal::env_eq_r()),
    ),
    Builtin::f(
        "range",
        "Num a => Pattern a -> Pattern a -> Pattern a -> Pattern a",
        "Scales a 0..1 pattern (like `sine`) to the range from the first to the second value.",
        "s \"bd*8\" # cutoff (range 200 2000 sine)",
        range,
    ),
    Builtin::f(
        "rangex",
        "Double -> Double -> Pattern a -> Pattern a",
        "Like `range`, but exponential (for frequencies); both bounds must be positive.",
        "s \"bd*8\" # cutoff (rangex 20 2000 sine)",
        rangex,
    ),
    Builtin::f(
        "quantise",
        "Double -> Pattern a -> Pattern a",
        "Rounds values to the nearest multiple of 1/n (halves to even).",
        "n (quantise 1 $ segment 4 $ range 0 7 saw) # s \"arpy\"",
        |c| quantise_with(c, tactus_pattern::library::num::hround),
    ),
    Builtin::f(
        "qround",
        "Double -> Pattern a -> Pattern a",
        "Same as `quantise`.",
        "n (qround 1 $ segment 4 $ range 0 7 saw) # s \"arpy\"",
        |c| quantise_with(c, tactus_pattern::library::num::hround),
    ),
    Builtin::f(
        "qfloor",
        "Double -> Pattern a -> Pattern a",
        "Rounds values down to a multiple of 1/n.",
        "n (qfloor 1 $ segment 4 $ range 0 7 saw) # s \"arpy\"",
        |c| quantise_with(c, f64::floor),
    ),
    Builtin::f(
        "qceiling",
        "Double -> Pattern a -> Pattern a",
        "Rounds values up to a multiple of 1/n.",
        "n (qceiling 1 $ segment 4 $ range 0 7 saw) # s \"arpy\"",
        |c| quantise_with(c, f64::ceil),
    ),
    Builtin::f(
        "segment",
        "Pattern Time -> Pattern a -> Pattern a",
        "Samples a pattern n times per cycle, turning a signal into events.",
        "n (segment 4 $ range 0 7 saw) # s \"arpy\"",
        |c| c.ret(signal::segment_pat(&c.time(0)?, &c.pat(1)?)),
    ),
    Builtin::f(
        "discretise",
        "Pattern Time -> Pattern a -> Pattern a",
        "Old name for `segment`.",
        "n (discretise 4 $ range 0 7 saw) # s \"arpy\"",
        |c| c.ret(signal::discretise(&c.time(0)?, &c.pat(1)?)),
    ),
    Builtin::f(
        "run",
        "(Enum a, Num a) => Pattern a -> Pattern a",
        "The numbers from 0 to n-1, squeezed into one cycle.",
        "n (run 4) # s \"arpy\"",
        run,
    ),
    Builtin::f(
        "scan",
        "(Enum a, Num a) => Pattern a -> Pattern a",
        "`run 1`, then `run 2`, ... up to `run n`, one per cycle.",
        "n (scan 4) # s \"arpy\"",
        scan,
    ),
    Builtin::f(
        "toScale",
        "Num a => [a] -> Pattern Int -> Pattern a",
        "Maps scale degrees to notes of the given scale (12 semitones per octave).",
        "n (toScale [0, 2, 4, 5, 7, 9, 11] \"0 1 2 3 7\") # s \"superpiano\"",
        |c| to_scale(c, 12, 0, 1),
    ),
    Builtin::f(
        "toScale'",
        "Num a => Int -> [a] -> Pattern Int -> Pattern a",
        "Like `toScale`, with the given number of semitones per octave.",
        "n (toScale' 10 [0, 2, 4] \"0 1 2 3 4\") # s \"superpiano\"",
        |c| {
            let o = c.const_int(0)?;
            to_scale(c, o, 1, 2)
        },
    ),
    Builtin::f(
        "scale",
        "Fractional a => Pattern String -> Pattern Int -> Pattern a",
        "Maps scale degrees to notes of a named scale (`major`, `minor`, `dorian`, ...).",
        "n (scale \"<major minor>\" \"0 .. 7\") # s \"superpiano\"",
        scale,
    ),
    Builtin::f(
        "euclid",
        "Pattern Int -> Pattern Int -> Pattern a -> Pattern a",
        "A Euclidean rhythm: k onsets spread over n steps (like `\"bd(3,8)\"`).",
        "euclid 3 8 $ s \"bd\"",
        |c| c.ret(euclid::euclid(&c.int(0)?, &c.int(1)?, &c.pat(2)?)),
    ),
    Builtin::f(
        "euclidInv",
        "Pattern Int -> Pattern Int -> Pattern a -> Pattern a",
        "The inverse of `euclid`: plays on the steps without onsets.",
        "euclidInv 3 8 $ s \"hh\"",
        |c| c.ret(euclid::euclid_inv(&c.int(0)?, &c.int(1)?, &c.pat(2)?)),
    ),
    Builtin::f(
        "euclidFull",
        "Pattern Int -> Pattern Int -> Pattern a -> Pattern a -> Pattern a",
        "`euclid` with the first pattern and `euclidInv` with the second, together.",
        "euclidFull 3 8 (s \"bd\") (s \"hh\")",
        |c| {
            let (k, n) = (c.int(0)?, c.int(1)?);
            c.ret(euclid::euclid_full(&k, &n, &c.pat(2)?, &c.pat(3)?))
        },
    ),
    Builtin::f(
        "euclidOff",
        "Pattern Int -> Pattern Int -> Pattern Int -> Pattern a -> Pattern a",
        "`euclid` rotated left by the given number of steps.",
        "euclidOff 3 8 2 $ s \"bd\"",
        |c| {
            c.ret(euclid::euclid_off(
                &c.int(0)?,
                &c.int(1)?,
                &c.int(2)?,
                &c.pat(3)?,
            ))
        },
    ),
    Builtin::f(
        "eoff",
        "Pattern Int -> Pattern Int -> Pattern Int -> Pattern a -> Pattern a",
        "Same as `euclidOff`.",
        "eoff 3 8 2 $ s \"bd\"",
        |c| {
            c.ret(euclid::euclid_off(
                &c.int(0)?,
                &c.int(1)?,
                &c.int(2)?,
                &c.pat(3)?,
            ))
        },
    ),
    Builtin::f(
        "euclidOffFull",
        "Pattern Int -> Pattern Int -> Pattern Int -> Pattern a -> Pattern a -> Pattern a",
        "`euclidOff` with the first pattern and its inverse with the second (from Tidal 1.9).",
        "euclidOffFull 3 8 2 (s \"bd\") (s \"hh\")",
        euclid_off_full,
    ),
];
