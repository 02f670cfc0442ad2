//! Turning dynamic values into the typed things library functions take: patterns of a
//! given type, pattern transformations, constants.

use std::sync::Arc;

use tactus_pattern::{PatFn, Pattern, Time, Value, ValueMap};

use crate::ast::Span;
use crate::eval::types::{PatVal, Ty, Val};
use crate::eval::{apply, EvalError};

/// Parses a string literal as mini-notation at a type. A string at `ControlPattern` type
/// means `sound` (as in Tidal: `"bd:3"` gives `s "bd"` with `n 3`).
pub fn mini(text: &str, base: usize, ty: Ty, span: Span) -> Result<Pattern<Value>, EvalError> {
    use tactus_pattern::mini::{mini_pattern, AtomKind};
    let kind = match ty {
        Ty::Str | Ty::Control => AtomKind::String,
        Ty::Float => AtomKind::Float,
        Ty::Int => AtomKind::Int,
        Ty::Note => AtomKind::Note,
        Ty::Rational => AtomKind::Rational,
        Ty::Bool => AtomKind::Bool,
    };
    let p = mini_pattern(text, kind, base as u32).map_err(|e| {
        let (s, en) = e.span();
        let sp = if en > s { Span::new(s, en) } else { span };
        EvalError::new(format!("in mini-notation: {}", e.message()), sp)
            .note(format!("the string is read as a {ty} here"))
    })?;
    Ok(if ty == Ty::Control {
        sound_from_strings(&p)
    } else {
        p
    })
}

/// Tidal's `sound = grp [mS "s", mF "n"]`: `"bd:3"` -> `{s: "bd", n: 3}`.
pub fn sound_from_strings(p: &Pattern<Value>) -> Pattern<Value> {
    grp(p, &[("s", GrpKind::Str), ("n", GrpKind::Float)])
}

/// How one `:`-separated field of a grouped parameter is read.
#[derive(Clone, Copy)]
pub enum GrpKind {
    /// Kept as a string.
    Str,
    /// Read as a float (dropped if it does not parse).
    Float,
    /// Read as an integer (dropped if it does not parse).
    Int,
}

/// Tidal's `grp`: splits each string on `:` and assigns the fields to controls.
pub fn grp(p: &Pattern<Value>, fields: &'static [(&'static str, GrpKind)]) -> Pattern<Value> {
    p.fmap(move |v| {
        let s = match v {
            Value::Str(s) => s.to_string(),
            other => other.to_string(),
        };
        let mut m = ValueMap::new();
        for (part, (name, kind)) in s.split(':').filter(|x| !x.is_empty()).zip(fields.iter()) {
            match kind {
                GrpKind::Str => m.insert(*name, Value::Str(part.into())),
                GrpKind::Float => {
                    if let Ok(x) = part.parse::<f64>() {
                        m.insert(*name, Value::Float(x));
                    }
                }
                GrpKind::Int => {
                    if let Ok(x) = part.parse::<i64>() {
                        m.insert(*name, Value::Int(x));
                    }
                }
            }
        }
        Value::Map(m)
    })
}

/// Converts a value to a pattern of type `ty`.
pub fn to_pat(v: &Val, ty: Ty, span: Span) -> Result<Pattern<Value>, EvalError> {
    match v {
        Val::Num(n) => match ty.from_number(n) {
            Some(x) => Ok(Pattern::pure(x)),
            None => Err(EvalError::new(
                format!("a number cannot be used where a {ty} is expected"),
                span,
            )
            .note(if ty == Ty::Str {
                "write it as a string, e.g. \"bd\""
            } else {
                "use \"t\"/\"f\" (or \"1\"/\"0\") in a string for booleans"
            })),
        },
        Val::Str { text, base } => mini(text, *base, ty, span),
        Val::Pat(PatVal::Typed(t, p)) => {
            if *t == ty {
                Ok(p.clone())
            } else if t.is_numeric() && ty.is_numeric() {
                Ok(p.fmap(move |x| ty.convert(x)))
            } else {
                Err(EvalError::new(
                    format!("type mismatch: expected a {ty}, found a {t}"),
                    span,
                ))
            }
        }
        Val::Pat(PatVal::Poly(f)) => f(ty),
        Val::List(_) => Err(EvalError::new(
            format!("a list cannot be used where a {ty} is expected"),
            span,
        )
        .note("to play a list of patterns use `cat [...]`, `fastcat [...]` or `stack [...]`")),
        other => Err(EvalError::new(
            format!("expected a {ty}, found {}", other.describe()),
            span,
        )),
    }
}

/// Converts a function value to a pattern transformation at type `ty`. The function is
/// tried once on an empty pattern so type errors surface now, not during playback.
pub fn to_patfn(v: &Val, ty: Ty, span: Span) -> Result<PatFn<Value>, EvalError> {
    match v {
        Val::Func(_) => {
            let probe = apply(
                v.clone(),
                (Val::Pat(PatVal::Typed(ty, Pattern::silence())), span),
                span,
            )?;
            to_pat(&probe, ty, span)?;
            let f = v.clone();
            Ok(Arc::new(move |p: &Pattern<Value>| {
                apply(
                    f.clone(),
                    (Val::Pat(PatVal::Typed(ty, p.clone())), span),
                    span,
                )
                .and_then(|r| to_pat(&r, ty, span))
                .unwrap_or_else(|_| Pattern::silence())
            }))
        }
        other => Err(EvalError::new(
            format!(
                "expected a function (like `fast 2` or `(# speed 2)`), found {}",
                other.describe()
            ),
            span,
        )),
    }
}

/// Converts a value to an exact constant time.
pub fn to_time(v: &Val, span: Span) -> Result<Time, EvalError> {
    match v {
        Val::Num(n) => Ok(n.time()),
        other => Err(EvalError::new(
            format!("expected a constant number, found {}", other.describe()),
            span,
        )),
    }
}

/// Converts a value to a constant float.
pub fn to_f64(v: &Val, span: Span) -> Result<f64, EvalError> {
    match v {
        Val::Num(n) => Ok(n.float),
        other => Err(EvalError::new(
            format!("expected a constant number, found {}", other.describe()),
            span,
        )),
    }
}

/// Converts a value to a constant integer.
pub fn to_int(v: &Val, span: Span) -> Result<i64, EvalError> {
    match v {
        Val::Num(n) if n.float.fract() == 0.0 && n.float.abs() < 9.0e15 => Ok(n.float as i64),
        Val::Num(_) => Err(EvalError::new("expected a whole number", span)),
        other => Err(EvalError::new(
            format!(
                "expected a constant whole number, found {}",
                other.describe()
            ),
            span,
        )),
    }
}

/// Reads a pattern value as exact time.
pub fn value_time(v: &Value) -> Time {
    match v {
        Value::Rational(t) => *t,
        Value::Int(i) => Time::int(*i),
        other => Time::from_f64(other.as_f64().unwrap_or(0.0)),
    }
}

/// Reads a pattern value as an integer (floor).
pub fn value_int(v: &Value) -> i64 {
    match v {
        Value::Int(i) => *i,
        Value::Rational(t) => t.floor_i64(),
        other => {
            let x = other.as_f64().unwrap_or(0.0).floor();
            if x.is_finite() {
                x.clamp(-9.0e18, 9.0e18) as i64
            } else {
                0
            }
        }
    }
}

/// Reads a pattern value as a float.
pub fn value_f64(v: &Value) -> f64 {
    v.as_f64().unwrap_or(0.0)
}

/// Reads a pattern value as a bool.
pub fn value_bool(v: &Value) -> bool {
    match v {
        Value::Bool(b) => *b,
        other => other.as_f64().map(|x| x != 0.0).unwrap_or(false),
    }
}
