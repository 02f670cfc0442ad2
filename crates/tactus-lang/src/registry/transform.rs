//! Transformations: conditional (`every whenmod within sew ...`), time (`ply iter linger
//! inside swingBy ...`), structure (`struct mask chunk bite rot arp ...`), layering (`off
//! superimpose layer spread ...`), arrangement (`seqP ur inhabit ...`), sample slicing
//! (`chop striate slice splice loopAt chew`) and control-pattern helpers (`jux stut ghost
//! fix ...`), with Tidal 1.7.10's names, argument order and patterned arguments.

use std::sync::Arc;

use tactus_pattern::library::{
    arrangement, conditional, control, layering, sample, structure as lib_structure, time,
};
use tactus_pattern::{core, PatFn, Pattern, Span, Time, Value, ValueMap};

use super::Builtin;
use crate::ast::Span as SrcSpan;
use crate::eval::call::Call;
use crate::eval::coerce::{self, value_time};
use crate::eval::types::{Ty, Val};
use crate::eval::{apply, EvalError};

// ---------------------------------------------------------------------------------------
// Adapters between the evaluator's `Pattern<Value>` and the library's typed patterns.

/// A control pattern's maps (non-map values, which a control pattern never holds, become
/// empty maps).
fn to_maps(p: &Pattern<Value>) -> Pattern<ValueMap> {
    p.fmap_owned(|v| match v {
        Value::Map(m) => m,
        _ => ValueMap::new(),
    })
}

/// Wraps maps back into values.
fn from_maps(p: &Pattern<ValueMap>) -> Pattern<Value> {
    p.fmap_owned(Value::Map)
}

/// A transformation of values as a transformation of control maps.
fn map_fn(f: PatFn<Value>) -> PatFn<ValueMap> {
    Arc::new(move |p: &Pattern<ValueMap>| to_maps(&f(&from_maps(p))))
}

/// Argument `i` as a control pattern.
fn ctl(c: &Call, i: usize) -> Result<Pattern<ValueMap>, EvalError> {
    Ok(to_maps(&c.pat_of(i, Ty::Control)?))
}

/// Argument `i` as a transformation of control patterns.
fn ctl_fn(c: &Call, i: usize) -> Result<PatFn<ValueMap>, EvalError> {
    Ok(map_fn(coerce::to_patfn(
        c.val(i)?,
        Ty::Control,
        c.span_of(i),
    )?))
}

/// Argument `i` as a list of control patterns.
fn ctl_list(c: &Call, i: usize) -> Result<Vec<Pattern<ValueMap>>, EvalError> {
    c.list(i)?
        .iter()
        .map(|(v, s)| Ok(to_maps(&coerce::to_pat(v, Ty::Control, *s)?)))
        .collect()
}

/// Argument `i` as a list of transformations of control patterns.
fn ctl_fns(c: &Call, i: usize) -> Result<Vec<PatFn<ValueMap>>, EvalError> {
    c.list(i)?
        .iter()
        .map(|(v, s)| Ok(map_fn(coerce::to_patfn(v, Ty::Control, *s)?)))
        .collect()
}

/// Returns a control pattern.
fn ret_ctl(c: &Call, p: Pattern<ValueMap>) -> Result<Val, EvalError> {
    c.ret_ty(Ty::Control, from_maps(&p))
}

/// Argument `i` as a pattern of strings (`String`, not `Arc<str>`).
fn strings(c: &Call, i: usize) -> Result<Pattern<String>, EvalError> {
    Ok(c.string(i)?.fmap(|s| s.to_string()))
}

/// A constant string argument (a string literal's text).
fn text_of(v: &Val, span: SrcSpan) -> Result<String, EvalError> {
    match v {
        Val::Str { text, .. } => Ok(text.to_string()),
        other => Err(EvalError::new(
            format!("expected a string, found {}", other.describe()),
            span,
        )),
    }
}

/// The items of a tuple argument, checking its length.
fn tuple_items(v: &Val, span: SrcSpan, n: usize) -> Result<Arc<Vec<(Val, SrcSpan)>>, EvalError> {
    match v {
        Val::Tuple(t) if t.len() == n => Ok(t.clone()),
        Val::Tuple(t) => Err(EvalError::new(
            format!("expected a {n}-tuple, found a {}-tuple", t.len()),
            span,
        )),
        other => Err(EvalError::new(
            format!("expected a {n}-tuple, found {}", other.describe()),
            span,
        )),
    }
}

/// Argument `i` as a list of constant times.
fn const_times(c: &Call, i: usize) -> Result<Vec<Time>, EvalError> {
    c.list(i)?
        .iter()
        .map(|(v, s)| coerce::to_time(v, *s))
        .collect()
}

/// Argument `i` as a list of constant integers.
fn const_ints(c: &Call, i: usize) -> Result<Vec<i64>, EvalError> {
    c.list(i)?
        .iter()
        .map(|(v, s)| coerce::to_int(v, *s))
        .collect()
}

/// Argument `i` as a list of `(name, pattern)` pairs at type `a`.
fn named_pats(c: &Call, i: usize) -> Result<Vec<(String, Pattern<Value>)>, EvalError> {
    let ty = c.ty();
    c.list(i)?
        .iter()
        .map(|(v, s)| {
            let t = tuple_items(v, *s, 2)?;
            Ok((
                text_of(&t[0].0, t[0].1)?,
                coerce::to_pat(&t[1].0, ty, t[1].1)?,
            ))
        })
        .collect()
}

/// Partially applies a function value to `x`, giving a pattern transformation at type `ty`.
fn partial(f: &Val, fspan: SrcSpan, x: &(Val, SrcSpan), ty: Ty) -> Result<PatFn<Value>, EvalError> {
    let g = apply(f.clone(), x.clone(), fspan)?;
    coerce::to_patfn(&g, ty, fspan)
}

/// Argument `i` (a function of two patterns, like `(+)` or `(#)`) as a Rust closure.
fn func2(
    c: &Call,
    i: usize,
) -> Result<impl Fn(&Pattern<Value>, &Pattern<Value>) -> Pattern<Value>, EvalError> {
    let f = c.val(i)?.clone();
    let span = c.span_of(i);
    let ty = c.ty();
    let run = move |a: &Pattern<Value>, b: &Pattern<Value>| -> Result<Pattern<Value>, EvalError> {
        let wrap = |p: &Pattern<Value>| {
            (
                Val::Pat(crate::eval::types::PatVal::Typed(ty, p.clone())),
                span,
            )
        };
        let g = apply(f.clone(), wrap(a), span)?;
        let r = apply(g, wrap(b), span)?;
        coerce::to_pat(&r, ty, span)
    };
    // Probe once so type errors are reported now.
    run(&Pattern::silence(), &Pattern::silence())?;
    Ok(move |a: &Pattern<Value>, b: &Pattern<Value>| {
        run(a, b).unwrap_or_else(|_| Pattern::silence())
    })
}

// ---------------------------------------------------------------------------------------
// Implementations that need more than one line.

fn every_offset(c: &Call) -> Result<Val, EvalError> {
    c.ret(conditional::every_offset_pat(
        &c.int(0)?,
        &c.int(1)?,
        &c.func(2)?,
        &c.pat(3)?,
    ))
}

fn within_(c: &Call, prime: bool) -> Result<Val, EvalError> {
    let (s, e) = c.time_pair(0)?;
    let (f, p) = (c.func(1)?, c.pat(2)?);
    c.ret(if prime {
        conditional::within_prime(s, e, &f, &p)
    } else {
        conditional::within(s, e, &f, &p)
    })
}

fn stut(c: &Call) -> Result<Val, EvalError> {
    let p = ctl(c, 3)?;
    ret_ctl(
        c,
        control::stut_pat(&c.int(0)?, &c.double(1)?, &c.time(2)?, &p),
    )
}

fn stut_with(c: &Call) -> Result<Val, EvalError> {
    c.ret(time::stut_with_pat(
        &c.int(0)?,
        &c.time(1)?,
        &c.func(2)?,
        &c.pat(3)?,
    ))
}

fn stutter(c: &Call) -> Result<Val, EvalError> {
    c.ret(time::stutter(c.const_int(0)?, c.const_time(1)?, &c.pat(2)?))
}

fn stutter_n(c: &Call, n: i64) -> Result<Val, EvalError> {
    c.ret(time::stutter(n, c.const_time(0)?, &c.pat(1)?))
}

fn ply_with(c: &Call) -> Result<Val, EvalError> {
    c.ret(time::ply_with_pat(&c.double(0)?, &c.func(1)?, &c.pat(2)?))
}

fn swing_by(c: &Call) -> Result<Val, EvalError> {
    c.ret(time::swing_by(&c.time(0)?, &c.time(1)?, &c.pat(2)?))
}

fn rot(c: &Call) -> Result<Val, EvalError> {
    let p = c.pat(1)?;
    c.ret(
        c.int(0)?
            .inner_bind(move |i| lib_structure::rot_by(*i, &p, lib_structure::value_cmp)),
    )
}

fn arp(c: &Call) -> Result<Val, EvalError> {
    c.ret(lib_structure::arp_pat(&strings(c, 0)?, &c.pat(1)?))
}

fn fit(c: &Call) -> Result<Val, EvalError> {
    let ty = c.ty();
    let mut xs = Vec::new();
    for (v, s) in c.list(1)?.iter() {
        // Each item is a constant: take the value of its first event.
        let p = coerce::to_pat(v, ty, *s)?;
        let first = p
            .query_span(Span::new(Time::ZERO, Time::ONE))
            .into_iter()
            .next()
            .map(|h| h.value)
            .ok_or_else(|| EvalError::new("`fit` needs constant values in its list", *s))?;
        xs.push(first);
    }
    c.ret(lib_structure::fit_pat(&c.int(0)?, xs, &c.int(2)?))
}

fn inv(c: &Call) -> Result<Val, EvalError> {
    c.ret_ty(
        Ty::Bool,
        conditional::inv(&c.boolean(0)?).fmap(|b| Value::Bool(*b)),
    )
}

fn smooth(c: &Call) -> Result<Val, EvalError> {
    c.ret_ty(
        Ty::Float,
        lib_structure::smooth(&c.double(0)?).fmap(|x| Value::Float(*x)),
    )
}

fn select(c: &Call) -> Result<Val, EvalError> {
    c.ret(conditional::select_pat(&c.double(0)?, c.pats(1)?))
}

fn select_f(c: &Call) -> Result<Val, EvalError> {
    c.ret(conditional::select_f_pat(
        &c.double(0)?,
        c.funcs(1)?,
        &c.pat(2)?,
    ))
}

fn pick_f(c: &Call) -> Result<Val, EvalError> {
    c.ret(conditional::pick_f_pat(&c.int(0)?, c.funcs(1)?, &c.pat(2)?))
}

fn squeeze(c: &Call) -> Result<Val, EvalError> {
    c.ret(conditional::squeeze(&c.int(0)?, c.pats(1)?))
}

/// `spread`-like: applies function argument 0 to each list item, combining with `how`.
fn spread_with(c: &Call, how: fn(Vec<Pattern<Value>>) -> Pattern<Value>) -> Result<Val, EvalError> {
    let (f, fspan) = (c.val(0)?, c.span_of(0));
    let p = c.pat(2)?;
    let ty = c.ty();
    let pats = c
        .list(1)?
        .iter()
        .map(|x| Ok(partial(f, fspan, x, ty)?(&p)))
        .collect::<Result<Vec<_>, EvalError>>()?;
    c.ret(how(pats))
}

fn spreadf(c: &Call) -> Result<Val, EvalError> {
    c.ret(layering::spreadf(&c.funcs(0)?, &c.pat(1)?))
}

fn layer(c: &Call) -> Result<Val, EvalError> {
    c.ret(layering::layer(&c.funcs(0)?, &c.pat(1)?))
}

fn seq_parts(c: &Call, i: usize) -> Result<Vec<(Time, Time, Pattern<Value>)>, EvalError> {
    let ty = c.ty();
    c.list(i)?
        .iter()
        .map(|(v, s)| {
            let t = tuple_items(v, *s, 3)?;
            Ok((
                coerce::to_time(&t[0].0, t[0].1)?,
                coerce::to_time(&t[1].0, t[1].1)?,
                coerce::to_pat(&t[2].0, ty, t[2].1)?,
            ))
        })
        .collect()
}

fn fold_every(c: &Call) -> Result<Val, EvalError> {
    c.ret(arrangement::fold_every(
        &const_ints(c, 0)?,
        &c.func(1)?,
        &c.pat(2)?,
    ))
}

fn snowball(c: &Call) -> Result<Val, EvalError> {
    let combine = func2(c, 1)?;
    c.ret(arrangement::snowball(
        c.const_int(0)?,
        combine,
        &c.func(2)?,
        &c.pat(3)?,
    ))
}

fn inhabit(c: &Call) -> Result<Val, EvalError> {
    c.ret(arrangement::inhabit(named_pats(c, 0)?, &strings(c, 1)?))
}

fn ur(c: &Call) -> Result<Val, EvalError> {
    let ty = c.ty();
    let fxs = c
        .list(3)?
        .iter()
        .map(|(v, s)| {
            let t = tuple_items(v, *s, 2)?;
            Ok((
                text_of(&t[0].0, t[0].1)?,
                coerce::to_patfn(&t[1].0, ty, t[1].1)?,
            ))
        })
        .collect::<Result<Vec<_>, EvalError>>()?;
    c.ret(arrangement::ur(
        c.const_time(0)?,
        &strings(c, 1)?,
        named_pats(c, 2)?,
        fxs,
    ))
}

fn contrast(c: &Call) -> Result<Val, EvalError> {
    let (f, g) = (ctl_fn(c, 0)?, ctl_fn(c, 1)?);
    ret_ctl(c, control::contrast(&f, &g, &ctl(c, 2)?, &ctl(c, 3)?))
}

fn fix(c: &Call, un: bool) -> Result<Val, EvalError> {
    let (f, m, p) = (ctl_fn(c, 0)?, ctl(c, 1)?, ctl(c, 2)?);
    ret_ctl(
        c,
        if un {
            control::unfix(&f, &m, &p)
        } else {
            control::fix(&f, &m, &p)
        },
    )
}

fn jux_by(c: &Call) -> Result<Val, EvalError> {
    ret_ctl(
        c,
        control::jux_by(&c.double(0)?, &ctl_fn(c, 1)?, &ctl(c, 2)?),
    )
}

/// A control-pattern function of one transformation and a pattern (`jux`, `jux4`, ...).
fn ctl_f(
    c: &Call,
    f: fn(&PatFn<ValueMap>, &Pattern<ValueMap>) -> Pattern<ValueMap>,
) -> Result<Val, EvalError> {
    ret_ctl(c, f(&ctl_fn(c, 0)?, &ctl(c, 1)?))
}

/// A control-pattern function of a list of transformations and a pattern (`jux'`, ...).
fn ctl_fs(
    c: &Call,
    f: fn(&[PatFn<ValueMap>], &Pattern<ValueMap>) -> Pattern<ValueMap>,
) -> Result<Val, EvalError> {
    ret_ctl(c, f(&ctl_fns(c, 0)?, &ctl(c, 1)?))
}

/// A control-pattern function of a patterned integer and a pattern (`chop`, `striate`, ...).
fn ctl_int(
    c: &Call,
    f: fn(&Pattern<i64>, &Pattern<ValueMap>) -> Pattern<ValueMap>,
) -> Result<Val, EvalError> {
    ret_ctl(c, f(&c.int(0)?, &ctl(c, 1)?))
}

/// A library function of two patterned integers and a control pattern.
type CtlInt2 = fn(&Pattern<i64>, &Pattern<i64>, &Pattern<ValueMap>) -> Pattern<ValueMap>;

/// A control-pattern function of two patterned integers and a pattern (`slice`, ...).
fn ctl_int2(c: &Call, f: CtlInt2) -> Result<Val, EvalError> {
    ret_ctl(c, f(&c.int(0)?, &c.int(1)?, &ctl(c, 2)?))
}

fn striate_by(c: &Call) -> Result<Val, EvalError> {
    ret_ctl(
        c,
        sample::striate_by_pat(&c.int(0)?, &c.double(1)?, &ctl(c, 2)?),
    )
}

fn loop_at(c: &Call) -> Result<Val, EvalError> {
    ret_ctl(c, sample::loop_at(&c.time(0)?, &ctl(c, 1)?))
}

fn smash(c: &Call) -> Result<Val, EvalError> {
    let xs = time_pats(c, 1)?;
    ret_ctl(c, sample::smash(&c.int(0)?, &xs, &ctl(c, 2)?))
}

fn smash_chop(c: &Call) -> Result<Val, EvalError> {
    let xs = time_pats(c, 1)?;
    ret_ctl(c, sample::smash_chop(c.const_int(0)?, &xs, &ctl(c, 2)?))
}

fn time_pats(c: &Call, i: usize) -> Result<Vec<Pattern<Time>>, EvalError> {
    c.list(i)?
        .iter()
        .map(|(v, s)| Ok(coerce::to_pat(v, Ty::Rational, *s)?.fmap(value_time)))
        .collect()
}

fn ghost_by(c: &Call) -> Result<Val, EvalError> {
    ret_ctl(c, control::ghost_by(c.const_time(0)?, &ctl(c, 1)?))
}

fn ghost_with(c: &Call) -> Result<Val, EvalError> {
    c.ret(control::ghost_with(
        c.const_time(0)?,
        &c.func(1)?,
        &c.pat(2)?,
    ))
}

fn weave(c: &Call) -> Result<Val, EvalError> {
    ret_ctl(
        c,
        control::weave(c.const_time(0)?, &ctl(c, 1)?, &ctl_list(c, 2)?),
    )
}

fn weave_with(c: &Call) -> Result<Val, EvalError> {
    c.ret(control::weave_with(
        c.const_time(0)?,
        &c.pat(1)?,
        &c.funcs(2)?,
    ))
}

fn rolled_by(c: &Call) -> Result<Val, EvalError> {
    c.ret(lib_structure::rolled_by_pat(&c.time(0)?, &c.pat(1)?))
}

fn play_for(c: &Call) -> Result<Val, EvalError> {
    c.ret(arrangement::play_for(
        c.const_time(0)?,
        c.const_time(1)?,
        &c.pat(2)?,
    ))
}

// ---------------------------------------------------------------------------------------

/// The transform table.
#[rustfmt::skip]
pub const BUILTINS: &[Builtin] = &[
    // --- conditional -------------------------------------------------------------------
    Builtin::f("every", "Pattern Int -> (Pattern a -> Pattern a) -> Pattern a -> Pattern a",
        "Applies a function every n-th cycle, starting with cycle 0.",
        "every 2 (fast 2) $ s \"bd sn\"",
        |c| c.ret(conditional::every_pat(&c.int(0)?, &c.func(1)?, &c.pat(2)?))),
    Builtin::f("every'", "Pattern Int -> Pattern Int -> (Pattern a -> Pattern a) -> Pattern a -> Pattern a",
        "Applies a function every n-th cycle, starting at cycle o.",
        "every' 3 1 (fast 2) $ s \"bd sn\"", every_offset),
    Builtin::f("whenmod", "Pattern Time -> Pattern Time -> (Pattern a -> Pattern a) -> Pattern a -> Pattern a",
        "Applies a function when the cycle number modulo a is at least b.",
        "whenmod 4 2 (# speed 2) $ s \"bd sn\"",
        |c| c.ret(conditional::whenmod_pat(&c.time(0)?, &c.time(1)?, &c.func(2)?, &c.pat(3)?))),
    Builtin::f("within", "(Time, Time) -> (Pattern a -> Pattern a) -> Pattern a -> Pattern a",
        "Applies a function to the events starting in the given part of each cycle.",
        "within (0, 0.5) (fast 2) $ s \"bd sn hh cp\"", |c| within_(c, false)),
    Builtin::f("within'", "(Time, Time) -> (Pattern a -> Pattern a) -> Pattern a -> Pattern a",
        "Like `within`, but the function sees only that part, zoomed to a whole cycle.",
        "within' (0, 0.5) (fast 2) $ s \"bd sn hh cp\"", |c| within_(c, true)),
    Builtin::f("sew", "Pattern Bool -> Pattern a -> Pattern a -> Pattern a",
        "Switches between two patterns with a boolean pattern, keeping their structure.",
        "sew \"t f\" (n \"0 .. 7\") (n \"10*4\") # s \"drum\"",
        |c| c.ret(conditional::sew(&c.boolean(0)?, &c.pat(1)?, &c.pat(2)?))),
    Builtin::f("stitch", "Pattern Bool -> Pattern a -> Pattern a -> Pattern a",
        "Switches between two patterns with a boolean pattern, taking its structure.",
        "stitch \"t f t t\" (s \"bd\") (s \"hh\")",
        |c| c.ret(conditional::stitch(&c.boolean(0)?, &c.pat(1)?, &c.pat(2)?))),
    Builtin::f("while", "Pattern Bool -> (Pattern a -> Pattern a) -> Pattern a -> Pattern a",
        "Applies a function where a boolean pattern is true.",
        "while \"1 0\" (fast 2) $ s \"bd sn hh cp\"",
        |c| c.ret(conditional::while_(&c.boolean(0)?, &c.func(1)?, &c.pat(2)?))),
    Builtin::f("struct", "Pattern Bool -> Pattern a -> Pattern a",
        "Gives a pattern the structure of the true values of a boolean pattern.",
        "struct \"t ~ t t\" $ s \"bd\"",
        |c| c.ret(lib_structure::struct_(&c.boolean(0)?, &c.pat(1)?))),
    Builtin::f("mask", "Pattern Bool -> Pattern a -> Pattern a",
        "Removes the parts of a pattern where a boolean pattern is false.",
        "mask \"1 0 1 1\" $ s \"hh*8\"",
        |c| c.ret(lib_structure::mask(&c.boolean(0)?, &c.pat(1)?))),
    Builtin::f("inv", "Pattern Bool -> Pattern Bool", "Inverts a boolean pattern.",
        "inv \"t f t\"", inv),
    Builtin::f("select", "Pattern Double -> [Pattern a] -> Pattern a",
        "Picks a pattern from a list with a number from 0 to 1.",
        "select \"<0 0.5 1>\" [s \"bd*2\", s \"hh*3\", s \"sn\"]", select),
    Builtin::f("selectF", "Pattern Double -> [Pattern a -> Pattern a] -> Pattern a -> Pattern a",
        "Picks a function from a list with a number from 0 to 1.",
        "selectF \"<0 0.5>\" [fast 2, rev] $ s \"bd sn hh\"", select_f),
    Builtin::f("pickF", "Pattern Int -> [Pattern a -> Pattern a] -> Pattern a -> Pattern a",
        "Picks a function from a list by (wrapping) index.",
        "pickF \"<0 1>\" [fast 2, rev] $ s \"bd sn hh\"", pick_f),
    Builtin::f("squeeze", "Pattern Int -> [Pattern a] -> Pattern a",
        "Picks patterns by index, squeezing a cycle of each into its event.",
        "squeeze \"<0 1> 0\" [s \"bd sn\", s \"hh*3\"]", squeeze),
    Builtin::f("fix", "(ControlPattern -> ControlPattern) -> ControlPattern -> ControlPattern -> ControlPattern",
        "Applies a function to the events whose controls match.",
        "fix (# crush 4) (s \"bd\") $ s \"bd sn\"", |c| fix(c, false)),
    Builtin::f("unfix", "(ControlPattern -> ControlPattern) -> ControlPattern -> ControlPattern -> ControlPattern",
        "Applies a function to the events whose controls do not match.",
        "unfix (# crush 4) (s \"bd\") $ s \"bd sn\"", |c| fix(c, true)),
    Builtin::f("contrast", "(ControlPattern -> ControlPattern) -> (ControlPattern -> ControlPattern) -> ControlPattern -> ControlPattern -> ControlPattern",
        "Applies one function to the matching events and another to the rest.",
        "contrast (# crush 4) (# speed 2) (n \"1\") $ n \"0 1\" # s \"drum\"", contrast),
    // --- time --------------------------------------------------------------------------
    Builtin::f("ply", "Pattern Rational -> Pattern a -> Pattern a",
        "Repeats each event n times within its span.", "ply \"<2 3>\" $ s \"bd ~ sn\"",
        |c| c.ret(time::ply_pat(&c.time(0)?, &c.pat(1)?))),
    Builtin::f("plyWith", "Pattern Double -> (Pattern a -> Pattern a) -> Pattern a -> Pattern a",
        "Like `ply`, applying a function cumulatively to each repeat.",
        "plyWith 3 (|* gain 0.8) $ s \"bd sn\"", ply_with),
    Builtin::f("stutter", "Int -> Time -> Pattern a -> Pattern a",
        "Stacks n copies of a pattern, each shifted later by the given time.",
        "stutter 4 (1/16) $ s \"bd sn\"", stutter),
    Builtin::f("echo", "Time -> Pattern a -> Pattern a",
        "The pattern and one copy shifted later (`stutter 2`).", "echo 0.125 $ s \"bd sn\"",
        |c| stutter_n(c, 2)),
    Builtin::f("double", "Time -> Pattern a -> Pattern a", "Same as `echo`.",
        "double 0.125 $ s \"bd sn\"", |c| stutter_n(c, 2)),
    Builtin::f("triple", "Time -> Pattern a -> Pattern a", "`stutter 3`.",
        "triple 0.125 $ s \"bd sn\"", |c| stutter_n(c, 3)),
    Builtin::f("quad", "Time -> Pattern a -> Pattern a", "`stutter 4`.",
        "quad 0.125 $ s \"bd sn\"", |c| stutter_n(c, 4)),
    Builtin::f("stut", "Pattern Integer -> Pattern Double -> Pattern Rational -> ControlPattern -> ControlPattern",
        "Echoes with decaying gain: count, feedback, time.",
        "stut 3 0.5 0.125 $ s \"bd sn\"", stut),
    Builtin::f("stutWith", "Pattern Int -> Pattern Time -> (Pattern a -> Pattern a) -> Pattern a -> Pattern a",
        "Echoes n - 1 times, each copy later and transformed once more.",
        "stutWith 3 (1/8) (# speed 2) $ s \"bd sn\"", stut_with),
    Builtin::f("stut'", "Pattern Int -> Pattern Time -> (Pattern a -> Pattern a) -> Pattern a -> Pattern a",
        "Old name for `stutWith`.", "stut' 3 (1/8) (# speed 2) $ s \"bd sn\"", stut_with),
    Builtin::f("echoWith", "Pattern Int -> Pattern Time -> (Pattern a -> Pattern a) -> Pattern a -> Pattern a",
        "Later Tidal's name for `stutWith`.", "echoWith 3 (1/8) (# speed 2) $ s \"bd sn\"",
        stut_with),
    Builtin::f("iter", "Pattern Int -> Pattern a -> Pattern a",
        "Shifts the pattern a further 1/n earlier each cycle.", "iter 4 $ s \"bd hh sn cp\"",
        |c| c.ret(time::iter_pat(&c.int(0)?, &c.pat(1)?))),
    Builtin::f("iter'", "Pattern Int -> Pattern a -> Pattern a",
        "Like `iter`, shifting later instead.", "iter' 4 $ s \"bd hh sn cp\"",
        |c| c.ret(time::iter_prime_pat(&c.int(0)?, &c.pat(1)?))),
    Builtin::f("palindrome", "Pattern a -> Pattern a",
        "Plays forwards, then backwards, on alternate cycles.", "palindrome $ s \"bd hh sn\"",
        |c| c.ret(time::palindrome(&c.pat(0)?))),
    Builtin::f("inside", "Pattern Time -> (Pattern a -> Pattern a) -> Pattern a -> Pattern a",
        "Applies a function inside n cycles: `fast n . f . slow n`.",
        "inside 2 rev $ s \"bd sn hh cp\"",
        |c| c.ret(time::inside_pat(&c.time(0)?, &c.func(1)?, &c.pat(2)?))),
    Builtin::f("outside", "Pattern Time -> (Pattern a -> Pattern a) -> Pattern a -> Pattern a",
        "Applies a function outside the cycle: `inside (1/n)`.",
        "outside 2 rev $ s \"<[bd sn] [hh cp]>\"",
        |c| c.ret(time::outside_pat(&c.time(0)?, &c.func(1)?, &c.pat(2)?))),
    Builtin::f("swingBy", "Pattern Time -> Pattern Time -> Pattern a -> Pattern a",
        "Delays the second half of each of n slices of the cycle by x of a slice.",
        "swingBy (1/3) 4 $ s \"hh*8\"", swing_by),
    Builtin::f("swing", "Pattern Time -> Pattern a -> Pattern a", "`swingBy (1/3)`.",
        "swing 4 $ s \"hh*8\"", |c| c.ret(time::swing(&c.time(0)?, &c.pat(1)?))),
    Builtin::f("brak", "Pattern a -> Pattern a",
        "Squashes every other cycle into half and shifts it a quarter later.",
        "brak $ s \"bd sn\"", |c| c.ret(time::brak(&c.pat(0)?))),
    Builtin::f("press", "Pattern a -> Pattern a",
        "Squashes each event into the second half of its span.", "press $ s \"bd sn\"",
        |c| c.ret(time::press(&c.pat(0)?))),
    Builtin::f("pressBy", "Pattern Time -> Pattern a -> Pattern a",
        "Squashes each event into the last (1 - r) of its span.",
        "pressBy \"<0.25 0.5>\" $ s \"bd sn\"",
        |c| c.ret(time::press_by_pat(&c.time(0)?, &c.pat(1)?))),
    Builtin::f("linger", "Pattern Time -> Pattern a -> Pattern a",
        "Repeats the first part of each cycle (the last part if negative).",
        "linger \"<0.25 -0.25>\" $ s \"bd sn hh cp\"",
        |c| c.ret(time::linger_pat(&c.time(0)?, &c.pat(1)?))),
    Builtin::f("trunc", "Pattern Time -> Pattern a -> Pattern a",
        "Plays only the first part of each cycle, leaving silence.",
        "trunc 0.75 $ s \"bd sn hh cp\"",
        |c| c.ret(time::trunc_pat(&c.time(0)?, &c.pat(1)?))),
    Builtin::f("rotL", "Time -> Pattern a -> Pattern a", "Shifts a pattern earlier by a constant time.",
        "rotL 0.25 $ s \"bd sn hh cp\"",
        |c| c.ret(c.pat(1)?.rotate_left(c.const_time(0)?))),
    Builtin::f("rotR", "Time -> Pattern a -> Pattern a", "Shifts a pattern later by a constant time.",
        "rotR 0.25 $ s \"bd sn hh cp\"",
        |c| c.ret(c.pat(1)?.rotate_right(c.const_time(0)?))),
    // --- structure ---------------------------------------------------------------------
    Builtin::f("chunk", "Pattern Int -> (Pattern a -> Pattern a) -> Pattern a -> Pattern a",
        "Applies a function to one of n parts of the cycle in turn.",
        "chunk 4 (hurry 2) $ s \"bd sn hh cp\"",
        |c| c.ret(lib_structure::chunk_pat(&c.int(0)?, &c.func(1)?, &c.pat(2)?))),
    Builtin::f("chunk'", "Pattern Int -> (Pattern a -> Pattern a) -> Pattern a -> Pattern a",
        "Like `chunk`, going through the parts from last to first.",
        "chunk' 4 (# speed 2) $ s \"bd sn hh cp\"",
        |c| c.ret(lib_structure::chunk_prime_pat(&c.int(0)?, &c.func(1)?, &c.pat(2)?))),
    Builtin::f("bite", "Pattern Int -> Pattern Int -> Pattern a -> Pattern a",
        "Cuts each cycle into n bites and plays them by an index pattern.",
        "bite 4 \"0 2*2\" $ n \"0 .. 7\" # s \"drum\"",
        |c| c.ret(lib_structure::bite_pat(&c.int(0)?, &c.int(1)?, &c.pat(2)?))),
    Builtin::f("wedge", "Pattern Time -> Pattern a -> Pattern a -> Pattern a",
        "Squashes one pattern into the first t of each cycle and another into the rest.",
        "wedge (1/4) (s \"bd*2\") (s \"hh*3\")",
        |c| c.ret(lib_structure::wedge_pat(&c.time(0)?, &c.pat(1)?, &c.pat(2)?))),
    Builtin::f("rot", "Pattern Int -> Pattern a -> Pattern a",
        "Shifts values among the events of each cycle, keeping the structure.",
        "rot \"<1 2>\" $ n \"0 1 2 3\" # s \"drum\"", rot),
    Builtin::f("fit", "Pattern Int -> [a] -> Pattern Int -> Pattern a",
        "Indexes into a list, moving along by a step each cycle.",
        "s (fit 1 [\"bd\", \"sn\", \"hh\"] \"0 1\")", fit),
    Builtin::f("arp", "Pattern String -> Pattern a -> Pattern a",
        "Plays chords as arpeggios in a named mode (up, down, updown, thumb, ...).",
        "arp \"<up downup>\" $ n \"c'maj e'min\" # s \"superpiano\"", arp),
    Builtin::f("arpeggiate", "Pattern a -> Pattern a",
        "Plays simultaneous events one after another.",
        "arpeggiate $ n \"c'maj e'min\" # s \"superpiano\"",
        |c| c.ret(lib_structure::arpeggiate(&c.pat(0)?))),
    Builtin::f("arpg", "Pattern a -> Pattern a", "Same as `arpeggiate`.",
        "arpg $ n \"c'maj\" # s \"superpiano\"",
        |c| c.ret(lib_structure::arpeggiate(&c.pat(0)?))),
    Builtin::f("rolled", "Pattern a -> Pattern a",
        "Strums chords: staggers simultaneous starts over a quarter of the event (Tidal 1.9).",
        "rolled $ n \"[0,4,7] [3,7]\" # s \"superpiano\"",
        |c| c.ret(lib_structure::rolled(&c.pat(0)?))),
    Builtin::f("rolledBy", "Pattern Time -> Pattern a -> Pattern a",
        "Strums chords over the given part of the event; negative strums down (Tidal 1.9).",
        "rolledBy \"<0.25 -0.5>\" $ n \"[0,4,7]\" # s \"superpiano\"", rolled_by),
    Builtin::f("mono", "Pattern a -> Pattern a",
        "Makes a pattern monophonic, cutting overlapping events.",
        "mono $ n \"[0,4,7] [1 2]\" # s \"superpiano\"",
        |c| c.ret(lib_structure::mono(&c.pat(0)?))),
    Builtin::f("smooth", "Pattern Double -> Pattern Double",
        "Glides linearly from each value to the next.", "smooth \"0 1 0.5\"", smooth),
    // --- layering ----------------------------------------------------------------------
    Builtin::f("superimpose", "(Pattern a -> Pattern a) -> Pattern a -> Pattern a",
        "Plays a pattern together with a transformed copy.",
        "superimpose (fast 2) $ s \"bd sn\"",
        |c| c.ret(layering::superimpose(&c.func(0)?, &c.pat(1)?))),
    Builtin::f("off", "Pattern Time -> (Pattern a -> Pattern a) -> Pattern a -> Pattern a",
        "Superimposes a transformed copy shifted later in time.",
        "off 0.125 (# crush 4) $ s \"bd sn\"",
        |c| c.ret(layering::off_pat(&c.time(0)?, &c.func(1)?, &c.pat(2)?))),
    Builtin::f("layer", "[Pattern a -> Pattern a] -> Pattern a -> Pattern a",
        "Stacks the results of several functions on one pattern.",
        "layer [rev, fast 2] $ s \"bd sn\"", layer),
    Builtin::f("spread", "(b -> Pattern a -> Pattern a) -> [b] -> Pattern a -> Pattern a",
        "Applies a function with each argument of a list in turn, one per cycle.",
        "spread fast [1, 2] $ s \"bd sn\"", |c| spread_with(c, core::slowcat)),
    Builtin::f("slowspread", "(b -> Pattern a -> Pattern a) -> [b] -> Pattern a -> Pattern a",
        "Same as `spread`.", "slowspread fast [1, 2] $ s \"bd sn\"",
        |c| spread_with(c, core::slowcat)),
    Builtin::f("fastspread", "(b -> Pattern a -> Pattern a) -> [b] -> Pattern a -> Pattern a",
        "Like `spread`, all the results squashed into one cycle.",
        "fastspread ($) [id, rev] $ s \"bd sn\"", |c| spread_with(c, core::fastcat)),
    Builtin::f("spreadf", "[Pattern a -> Pattern a] -> Pattern a -> Pattern a",
        "Applies each function in turn, one per cycle.", "spreadf [fast 2, rev] $ s \"bd sn\"",
        spreadf),
    Builtin::f("ghost", "ControlPattern -> ControlPattern",
        "Adds quieter, shorter, higher ghost notes after each event.", "ghost $ s \"bd sn\"",
        |c| ret_ctl(c, control::ghost(&ctl(c, 0)?))),
    Builtin::f("ghost'", "Time -> ControlPattern -> ControlPattern",
        "`ghost` with the given spacing.", "ghost' (1/16) $ s \"bd sn\"", ghost_by),
    Builtin::f("ghost''", "Time -> (Pattern a -> Pattern a) -> Pattern a -> Pattern a",
        "Superimposes two transformed copies, 1.5 and 2.5 times the spacing later.",
        "ghost'' (1/8) (# speed 2) $ s \"bd sn\"", ghost_with),
    Builtin::f("ghostWith", "Time -> (Pattern a -> Pattern a) -> Pattern a -> Pattern a",
        "Later Tidal's name for `ghost''`.", "ghostWith (1/8) (# speed 2) $ s \"bd sn\"",
        ghost_with),
    // --- stereo / control patterns -----------------------------------------------------
    Builtin::f("jux", "(ControlPattern -> ControlPattern) -> ControlPattern -> ControlPattern",
        "Plays the pattern on the left and a transformed copy on the right.",
        "jux rev $ s \"bd sn hh\"", |c| ctl_f(c, control::jux)),
    Builtin::f("juxBy", "Pattern Double -> (ControlPattern -> ControlPattern) -> ControlPattern -> ControlPattern",
        "Like `jux`, with the two copies the given distance apart.",
        "juxBy 0.5 (fast 2) $ s \"bd sn\"", jux_by),
    Builtin::f("jux4", "(ControlPattern -> ControlPattern) -> ControlPattern -> ControlPattern",
        "`jux` for four speakers.", "jux4 rev $ s \"bd sn\"", |c| ctl_f(c, control::jux4)),
    Builtin::f("juxcut", "(ControlPattern -> ControlPattern) -> ControlPattern -> ControlPattern",
        "Like `jux`, each side in its own cut group.", "juxcut rev $ s \"bd sn\"",
        |c| ctl_f(c, control::juxcut)),
    Builtin::f("jux'", "[ControlPattern -> ControlPattern] -> ControlPattern -> ControlPattern",
        "Applies each function and spreads the results across the stereo field.",
        "jux' [id, rev] $ s \"bd sn\"", |c| ctl_fs(c, control::jux_list)),
    Builtin::f("juxcut'", "[ControlPattern -> ControlPattern] -> ControlPattern -> ControlPattern",
        "Like `jux'`, each result in its own cut group.", "juxcut' [id, rev] $ s \"bd sn\"",
        |c| ctl_fs(c, control::juxcut_list)),
    Builtin::f("spin", "Pattern Int -> ControlPattern -> ControlPattern",
        "Stacks n copies, each shifted in time and panned further.", "spin 2 $ s \"bd sn\"",
        |c| ctl_int(c, control::spin_pat)),
    Builtin::f("weave", "Time -> ControlPattern -> [ControlPattern] -> ControlPattern",
        "Weaves a control pattern through several patterns, offset over n cycles.",
        "weave 4 (pan sine) [s \"bd sn\", s \"hh*4\"]", weave),
    Builtin::f("weaveWith", "Time -> Pattern a -> [Pattern a -> Pattern a] -> Pattern a",
        "Applies functions at different offsets over n cycles.",
        "weaveWith 3 (s \"bd [sn drum:2*2] bd*2\") [fast 2, (# speed 0.5)]", weave_with),
    Builtin::f("weave'", "Time -> Pattern a -> [Pattern a -> Pattern a] -> Pattern a",
        "Same as `weaveWith`.", "weave' 3 (s \"bd sn\") [fast 2, rev]", weave_with),
    Builtin::f("interlace", "ControlPattern -> ControlPattern -> ControlPattern",
        "Shifts between two patterns with a distortion sweep.",
        "interlace (s \"bd sn\") (s \"hh*4\")",
        |c| ret_ctl(c, control::interlace(&ctl(c, 0)?, &ctl(c, 1)?))),
    // --- samples -----------------------------------------------------------------------
    Builtin::f("chop", "Pattern Int -> ControlPattern -> ControlPattern",
        "Cuts each event into n parts, each playing that part of the sample.",
        "chop 2 $ s \"bd sn\"", |c| ctl_int(c, sample::chop_pat)),
    Builtin::f("striate", "Pattern Int -> ControlPattern -> ControlPattern",
        "Plays the pattern n times per cycle, the i-th time playing the i-th part of each sample.",
        "striate 2 $ s \"bd sn\"", |c| ctl_int(c, sample::striate_pat)),
    Builtin::f("striateBy", "Pattern Int -> Pattern Double -> ControlPattern -> ControlPattern",
        "Like `striate`, each part the given length of the sample.",
        "striateBy 2 0.1 $ s \"bd sn\"", striate_by),
    Builtin::f("striate'", "Pattern Int -> Pattern Double -> ControlPattern -> ControlPattern",
        "Old name for `striateBy`.", "striate' 2 0.1 $ s \"bd sn\"", striate_by),
    Builtin::f("slice", "Pattern Int -> Pattern Int -> ControlPattern -> ControlPattern",
        "Plays slice i of n equal slices of each sample.",
        "slice 4 \"0 2\" $ s \"bev\"", |c| ctl_int2(c, sample::slice)),
    Builtin::f("splice", "Pattern Int -> Pattern Int -> ControlPattern -> ControlPattern",
        "Like `slice`, setting `speed` so each slice fits its event.",
        "splice 4 \"0 2\" $ s \"bev\"", |c| ctl_int2(c, sample::splice)),
    Builtin::f("chew", "Pattern Int -> Pattern Int -> ControlPattern -> ControlPattern",
        "Like `bite`, changing `speed` by how much each bite is squashed or stretched.",
        "chew 4 \"0 1 [2 3]\" $ n \"0 .. 7\" # s \"drum\"", |c| ctl_int2(c, sample::chew_pat)),
    Builtin::f("loopAt", "Pattern Time -> ControlPattern -> ControlPattern",
        "Fits a sample to n cycles (slows the pattern and sets `speed` and `unit`).",
        "loopAt 2 $ chop 4 $ s \"break\"", loop_at),
    Builtin::f("gap", "Pattern Int -> ControlPattern -> ControlPattern",
        "Chops each event into n parts and silences every other one.",
        "gap 4 $ s \"bd sn\"", |c| ctl_int(c, sample::gap_pat)),
    Builtin::f("smash", "Pattern Int -> [Pattern Time] -> ControlPattern -> ControlPattern",
        "Striates, then plays the result slowed by each factor in turn.",
        "smash 3 [2, 3, 4] $ s \"bd sn\"", smash),
    Builtin::f("smash'", "Int -> [Pattern Time] -> ControlPattern -> ControlPattern",
        "Like `smash`, with `chop` instead of `striate`.",
        "smash' 3 [2, 3, 4] $ s \"bd sn\"", smash_chop),
    // --- arrangement -------------------------------------------------------------------
    Builtin::f("playFor", "Time -> Time -> Pattern a -> Pattern a",
        "Plays only between two times.", "playFor 1 2 $ s \"bd sn\"", play_for),
    Builtin::f("seqP", "[(Time, Time, Pattern a)] -> Pattern a",
        "Plays each pattern from its start to its stop cycle.",
        "seqP [(0, 2, s \"bd*2\"), (1, 3, s \"hh*3\")]",
        |c| c.ret(arrangement::seq_p(seq_parts(c, 0)?))),
    Builtin::f("seqPLoop", "[(Time, Time, Pattern a)] -> Pattern a",
        "Like `seqP`, looping the whole arrangement.",
        "seqPLoop [(0, 2, s \"bd*2\"), (1, 3, s \"hh*3\")]",
        |c| c.ret(arrangement::seq_p_loop(seq_parts(c, 0)?))),
    Builtin::f("loopFirst", "Pattern a -> Pattern a", "Repeats the first cycle forever.",
        "loopFirst $ s \"<bd sn hh>\"", |c| c.ret(arrangement::loop_first(&c.pat(0)?))),
    Builtin::f("timeLoop", "Pattern Time -> Pattern a -> Pattern a", "Loops the first n cycles.",
        "timeLoop 2 $ s \"<bd sn hh cp>\"",
        |c| c.ret(arrangement::time_loop_pat(&c.time(0)?, &c.pat(1)?))),
    Builtin::f("repeatCycles", "Pattern Int -> Pattern a -> Pattern a", "Repeats each cycle n times.",
        "repeatCycles \"<2 3>\" $ s \"<bd sn hh cp>\"",
        |c| c.ret(arrangement::repeat_cycles_pat(&c.int(0)?, &c.pat(1)?))),
    Builtin::f("fastRepeatCycles", "Int -> Pattern a -> Pattern a",
        "Same as `repeatCycles` with a constant count (as in Tidal 1.7.10).",
        "fastRepeatCycles 2 $ s \"<bd sn hh cp>\"",
        |c| c.ret(arrangement::fast_repeat_cycles(c.const_int(0)?, &c.pat(1)?))),
    Builtin::f("spaceOut", "[Time] -> Pattern a -> Pattern a",
        "Plays the pattern at each of several lengths (in cycles) in turn.",
        "spaceOut [1, 0.5, 2] $ s \"bd sn\"",
        |c| c.ret(arrangement::space_out(&const_times(c, 0)?, &c.pat(1)?))),
    Builtin::f("foldEvery", "[Int] -> (Pattern a -> Pattern a) -> Pattern a -> Pattern a",
        "Applies a function every n cycles for each n in a list.",
        "foldEvery [2, 3] (fast 2) $ s \"bd sn\"", fold_every),
    Builtin::f("soak", "Int -> (Pattern a -> Pattern a) -> Pattern a -> Pattern a",
        "Plays p, f p, f (f p), ... one per cycle, for n cycles.",
        "soak 3 (fast 2) $ s \"bd sn\"",
        |c| c.ret(arrangement::soak(c.const_int(0)?, &c.func(1)?, &c.pat(2)?))),
    Builtin::f("snowball", "Int -> (Pattern a -> Pattern a -> Pattern a) -> (Pattern a -> Pattern a) -> Pattern a -> Pattern a",
        "Like `soak`, accumulating each step with a combining function.",
        "snowball 3 (+) (fast 2) $ n \"0 1\" # s \"drum\"", snowball),
    Builtin::f("inhabit", "[(String, Pattern a)] -> Pattern String -> Pattern a",
        "Plays named patterns by a pattern of names.",
        "inhabit [(\"a\", s \"bd sn\"), (\"b\", s \"hh*3\")] \"a b\"", inhabit),
    Builtin::f("ur", "Time -> Pattern String -> [(String, Pattern a)] -> [(String, Pattern a -> Pattern a)] -> Pattern a",
        "Builds a song from named parts (and named transformations, `name:fx`) over n cycles.",
        "ur 4 \"a b:double\" [(\"a\", s \"bd*4\"), (\"b\", s \"hh*2\")] [(\"double\", fast 2)]", ur),
];
