//! Sequencing, stacking and speed: `cat fastcat stack overlay fast slow hurry rev ...`.

use tactus_pattern::{core, Pattern, Span, Value, ValueMap};

use super::Builtin;
use crate::eval::call::Call;
use crate::eval::types::{Ty, Val};
use crate::eval::EvalError;

fn hurry(c: &Call) -> Result<Val, EvalError> {
    let r = c.time(0)?;
    let p = c.pat_of(1, Ty::Control)?;
    let out = r.inner_bind(move |r| {
        let speed = r.to_f64();
        core::fast(*r, &p).fmap(move |v| match v {
            Value::Map(m) => {
                let s = m.get("speed").and_then(|x| x.as_f64()).unwrap_or(1.0);
                let mut m2: ValueMap = m.clone();
                m2.insert("speed", Value::Float(s * speed));
                Value::Map(m2)
            }
            other => other.clone(),
        })
    });
    c.ret_ty(Ty::Control, out)
}

fn timecat(c: &Call) -> Result<Val, EvalError> {
    let items = c.list(0)?;
    let mut parts = Vec::new();
    for (v, s) in items.iter() {
        let Val::Tuple(t) = v else {
            return Err(EvalError::new(
                "timeCat expects a list of (weight, pattern) pairs",
                *s,
            ));
        };
        if t.len() != 2 {
            return Err(EvalError::new("expected a pair (weight, pattern)", *s));
        }
        let w = crate::eval::coerce::to_time(&t[0].0, t[0].1)?;
        let p = crate::eval::coerce::to_pat(&t[1].0, c.ty(), t[1].1)?;
        parts.push((w, p));
    }
    c.ret(core::timecat(parts))
}

/// The structure table.
pub const BUILTINS: &[Builtin] = &[
    Builtin::f(
        "silence",
        "Pattern a",
        "The empty pattern.",
        "silence",
        |c| c.ret(Pattern::silence()),
    ),
    Builtin::f(
        "id",
        "Pattern a -> Pattern a",
        "Leaves a pattern unchanged.",
        "id $ s \"bd\"",
        |c| c.ret(c.pat(0)?),
    ),
    Builtin::f(
        "pure",
        "Pattern a -> Pattern a",
        "One event per cycle.",
        "s (pure \"bd\")",
        |c| c.ret(c.pat(0)?),
    ),
    Builtin::f(
        "fast",
        "Pattern Time -> Pattern a -> Pattern a",
        "Speeds a pattern up by a (patterned) factor.",
        "fast \"1 2\" $ s \"bd sn\"",
        |c| c.ret(core::fast_pat(&c.time(0)?, &c.pat(1)?)),
    ),
    Builtin::f(
        "density",
        "Pattern Time -> Pattern a -> Pattern a",
        "Old name for `fast`.",
        "density 2 $ s \"bd sn\"",
        |c| c.ret(core::fast_pat(&c.time(0)?, &c.pat(1)?)),
    ),
    Builtin::f(
        "slow",
        "Pattern Time -> Pattern a -> Pattern a",
        "Slows a pattern down by a (patterned) factor.",
        "slow 2 $ s \"bd sn hh cp\"",
        |c| c.ret(core::slow_pat(&c.time(0)?, &c.pat(1)?)),
    ),
    Builtin::f(
        "sparsity",
        "Pattern Time -> Pattern a -> Pattern a",
        "Old name for `slow`.",
        "sparsity 2 $ s \"bd sn\"",
        |c| c.ret(core::slow_pat(&c.time(0)?, &c.pat(1)?)),
    ),
    Builtin::f(
        "hurry",
        "Pattern Time -> ControlPattern -> ControlPattern",
        "Speeds up a pattern and multiplies `speed` by the same factor.",
        "hurry 2 $ s \"bd sn\"",
        hurry,
    ),
    Builtin::f(
        "rev",
        "Pattern a -> Pattern a",
        "Reverses every cycle.",
        "rev $ s \"bd sn hh\"",
        |c| c.ret(core::rev(&c.pat(0)?)),
    ),
    Builtin::f(
        "cat",
        "[Pattern a] -> Pattern a",
        "Plays the patterns one cycle each, in turn.",
        "cat [s \"bd*2\", s \"hh*3\"]",
        |c| c.ret(core::slowcat(c.pats(0)?)),
    ),
    Builtin::f(
        "slowcat",
        "[Pattern a] -> Pattern a",
        "Same as `cat`.",
        "slowcat [s \"bd*2\", s \"hh*3\"]",
        |c| c.ret(core::slowcat(c.pats(0)?)),
    ),
    Builtin::f(
        "fastcat",
        "[Pattern a] -> Pattern a",
        "Squeezes the patterns into one cycle.",
        "fastcat [s \"bd*2\", s \"hh*3\"]",
        |c| c.ret(core::fastcat(c.pats(0)?)),
    ),
    Builtin::f(
        "fastCat",
        "[Pattern a] -> Pattern a",
        "Same as `fastcat`.",
        "fastCat [s \"bd\", s \"hh\"]",
        |c| c.ret(core::fastcat(c.pats(0)?)),
    ),
    Builtin::f(
        "stack",
        "[Pattern a] -> Pattern a",
        "Plays the patterns at the same time.",
        "stack [s \"bd*2\", s \"hh*3\"]",
        |c| c.ret(core::stack(c.pats(0)?)),
    ),
    Builtin::f(
        "overlay",
        "Pattern a -> Pattern a -> Pattern a",
        "Plays two patterns at once.",
        "overlay (s \"bd\") (s \"hh*2\")",
        |c| c.ret(core::stack(vec![c.pat(0)?, c.pat(1)?])),
    ),
    Builtin::f(
        "timeCat",
        "[(Time, Pattern a)] -> Pattern a",
        "Squeezes patterns into one cycle with relative durations.",
        "timeCat [(1, s \"bd*4\"), (1, s \"hh27*8\")]",
        timecat,
    ),
    Builtin::f(
        "timecat",
        "[(Time, Pattern a)] -> Pattern a",
        "Same as `timeCat`.",
        "timecat [(1, s \"bd*4\"), (2, s \"hh*8\")]",
        timecat,
    ),
    Builtin::f(
        "fastGap",
        "Pattern Time -> Pattern a -> Pattern a",
        "Speeds up each cycle, leaving a gap.",
        "fastGap 2 $ s \"bd sn\"",
        |c| {
            let p = c.pat(1)?;
            c.ret(c.time(0)?.inner_bind(move |r| core::fast_gap(*r, &p)))
        },
    ),
    Builtin::f(
        "compress",
        "(Time, Time) -> Pattern a -> Pattern a",
        "Squeezes each cycle into the given part of the cycle.",
        "compress (0.25, 0.75) $ s \"bd sn\"",
        |c| {
            let (b, e) = c.time_pair(0)?;
            c.ret(core::compress_span(Span::new(b, e), &c.pat(1)?))
        },
    ),
    Builtin::f(
        "zoom",
        "(Time, Time) -> Pattern a -> Pattern a",
        "Plays only the given part of each cycle, stretched to fill it.",
        "zoom (0.25, 0.75) $ s \"bd sn hh cp\"",
        |c| {
            let (b, e) = c.time_pair(0)?;
            c.ret(core::zoom_span(Span::new(b, e), &c.pat(1)?))
        },
    ),
    Builtin::f(
        "zoomArc",
        "(Time, Time) -> Pattern a -> Pattern a",
        "Same as `zoom`.",
        "zoomArc (0, 0.5) $ s \"bd sn hh cp\"",
        |c| {
            let (b, e) = c.time_pair(0)?;
            c.ret(core::zoom_span(Span::new(b, e), &c.pat(1)?))
        },
    ),
];
