//! Tidal's operator family: `# |+| |+ +| |- |* |/ |% |** |< |> ...` on control patterns and
//! dynamically typed patterns, and `+ - * /` on numeric patterns.
//!
//! Each operator is a [`Structure`] (where the result's events come from: `|op|` both,
//! `|op` the left, `op|` the right) and a [`ValueOp`] (what happens to values: arithmetic
//! with Tidal's type promotion, or a left/right-biased union for `|<`/`|>`). `#` is `|>`.
//! Operators without bars (`+`, `-`, ...) take structure from both sides, like `|+|`.

use crate::library::num::Numeric;
use crate::pattern::{PatValue, Pattern};
use crate::value::{NumOp, Value, ValueMap};

/// Where an operator's result takes its structure (event timing) from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Structure {
    /// `|+|`: from both sides (wholes are the intersections).
    Both,
    /// `|+`: from the left side.
    Left,
    /// `+|`: from the right side.
    Right,
}

/// What an operator does with the two values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueOp {
    /// Arithmetic (`+ - * / % **`). On control maps, applied to the controls both sides
    /// have; the others are kept (Haskell's `Map.unionWith`).
    Num(NumOp),
    /// `|<`: union preferring the left values (Haskell's `union`).
    KeepLeft,
    /// `|>` and `#`: union preferring the right values (`flip union`).
    KeepRight,
}

impl ValueOp {
    /// Applies the operation to two values. Non-map values under a union keep one side,
    /// as Tidal's default `Unionable` instance (`const`) does.
    pub fn apply_value(self, a: &Value, b: &Value) -> Value {
        match self {
            ValueOp::Num(op) => op.apply(a, b),
            ValueOp::KeepLeft => match (a, b) {
                (Value::Map(x), Value::Map(y)) => Value::Map(x.union_left(y)),
                _ => a.clone(),
            },
            ValueOp::KeepRight => match (a, b) {
                (Value::Map(x), Value::Map(y)) => Value::Map(y.union_left(x)),
                _ => b.clone(),
            },
        }
    }

    /// Applies the operation to two control maps.
    pub fn apply_map(self, a: &ValueMap, b: &ValueMap) -> ValueMap {
        match self {
            ValueOp::Num(op) => a.union_with(b, |x, y| op.apply(x, y)),
            ValueOp::KeepLeft => a.union_left(b),
            ValueOp::KeepRight => b.union_left(a),
        }
    }

    /// [`ValueOp::apply_map`] consuming the left map (merged in place): the same result.
    pub fn apply_map_owned(self, a: ValueMap, b: &ValueMap) -> ValueMap {
        match self {
            ValueOp::Num(op) => a.merge_with(b, |x, y| op.apply(x, y)),
            ValueOp::KeepLeft => a.merge_with(b, |x, _| x.clone()),
            ValueOp::KeepRight => a.merge_with(b, |_, y| y.clone()),
        }
    }

    /// The operator for a Tidal symbol without bars (`"+"`, `"<"`, `">"`, `"**"` ...).
    pub fn from_symbol(sym: &str) -> Option<ValueOp> {
        Some(match sym {
            "+" => ValueOp::Num(NumOp::Add),
            "-" => ValueOp::Num(NumOp::Sub),
            "*" => ValueOp::Num(NumOp::Mul),
            "/" => ValueOp::Num(NumOp::Div),
            "%" => ValueOp::Num(NumOp::Mod),
            "**" => ValueOp::Num(NumOp::Pow),
            "<" => ValueOp::KeepLeft,
            ">" => ValueOp::KeepRight,
            _ => return None,
        })
    }
}

/// Parses a full operator such as `"|+|"`, `"|+"`, `"+|"` or `"#"` into its structure and
/// value operation. Bare arithmetic (`"+"`) is structure from both sides.
///
/// ```
/// use tactus_pattern::library::ops::{parse_operator, Structure, ValueOp};
/// assert_eq!(parse_operator("#"), Some((Structure::Left, ValueOp::KeepRight)));
/// assert_eq!(parse_operator("+|").map(|o| o.0), Some(Structure::Right));
/// ```
pub fn parse_operator(op: &str) -> Option<(Structure, ValueOp)> {
    if op == "#" {
        return Some((Structure::Left, ValueOp::KeepRight));
    }
    let (l, rest) = match op.strip_prefix('|') {
        Some(r) => (true, r),
        None => (false, op),
    };
    let (r, core) = match rest.strip_suffix('|') {
        Some(c) => (true, c),
        None => (false, rest),
    };
    let v = ValueOp::from_symbol(core)?;
    let s = match (l, r) {
        (true, true) | (false, false) => Structure::Both,
        (true, false) => Structure::Left,
        (false, true) => Structure::Right,
    };
    if !l && !r && matches!(v, ValueOp::KeepLeft | ValueOp::KeepRight) {
        return None;
    }
    Some((s, v))
}

/// Combines two patterns value by value with the given structure.
pub fn combine<A: PatValue, B: PatValue, R: PatValue>(
    s: Structure,
    a: &Pattern<A>,
    b: &Pattern<B>,
    f: impl Fn(&A, &B) -> R + Send + Sync + 'static,
) -> Pattern<R> {
    match s {
        Structure::Both => a.app_both(b, f),
        Structure::Left => a.app_left(b, f),
        Structure::Right => a.app_right(b, f),
    }
}

/// Applies an operator to two control patterns (`s "a" # n "1 2"`, `n "0" |+ n "1 2"`).
///
/// ```
/// use tactus_pattern::library::ops::{op_map, Structure, ValueOp};
/// use tactus_pattern::{Pattern, Span, Time, Value, ValueMap};
/// let s = Pattern::pure(ValueMap::singleton("s", Value::str("bd")));
/// let n = Pattern::pure(ValueMap::singleton("n", Value::Note(3.0)));
/// let h = op_map(Structure::Left, ValueOp::KeepRight, &s, &n)
///     .query_span(Span::new(Time::ZERO, Time::ONE));
/// assert_eq!(h[0].value.get("n"), Some(&Value::Note(3.0)));
/// ```
pub fn op_map(
    s: Structure,
    op: ValueOp,
    a: &Pattern<ValueMap>,
    b: &Pattern<ValueMap>,
) -> Pattern<ValueMap> {
    if s == Structure::Left {
        // merge into each left map in place
        return a.app_left_owned(b, move |m, y| op.apply_map_owned(m, y));
    }
    combine(s, a, b, move |x, y| op.apply_map(x, y))
}

/// Applies an operator to two dynamically typed patterns.
pub fn op_value(
    s: Structure,
    op: ValueOp,
    a: &Pattern<Value>,
    b: &Pattern<Value>,
) -> Pattern<Value> {
    combine(s, a, b, move |x, y| op.apply_value(x, y))
}

/// `a # b`: structure from `a`, controls from `b` win (Tidal's `#`, `|>`).
pub fn set(a: &Pattern<ValueMap>, b: &Pattern<ValueMap>) -> Pattern<ValueMap> {
    op_map(Structure::Left, ValueOp::KeepRight, a, b)
}

/// Applies a numeric operation to typed numeric patterns with the given structure.
pub fn num_op<T: Numeric>(s: Structure, op: NumOp, a: &Pattern<T>, b: &Pattern<T>) -> Pattern<T> {
    combine(s, a, b, move |x, y| match op {
        NumOp::Add => x.add(y),
        NumOp::Sub => x.sub(y),
        NumOp::Mul => x.mul(y),
        NumOp::Div => x.div(y),
        NumOp::Mod => {
            let (xf, yf) = (x.to_f64(), y.to_f64());
            if yf == 0.0 {
                T::from_f64(f64::NAN)
            } else {
                x.sub(&y.mul(&T::from_f64((xf / yf).floor())))
            }
        }
        NumOp::Pow => T::from_f64(x.to_f64().powf(y.to_f64())),
    })
}

/// `a + b` on numeric patterns, structure from both (Tidal's `Num` instance, `liftA2 (+)`).
pub fn add<T: Numeric>(a: &Pattern<T>, b: &Pattern<T>) -> Pattern<T> {
    num_op(Structure::Both, NumOp::Add, a, b)
}

/// `a - b` on numeric patterns, structure from both.
pub fn sub<T: Numeric>(a: &Pattern<T>, b: &Pattern<T>) -> Pattern<T> {
    num_op(Structure::Both, NumOp::Sub, a, b)
}

/// `a * b` on numeric patterns, structure from both.
pub fn mul<T: Numeric>(a: &Pattern<T>, b: &Pattern<T>) -> Pattern<T> {
    num_op(Structure::Both, NumOp::Mul, a, b)
}

/// `a / b` on numeric patterns, structure from both.
pub fn div<T: Numeric>(a: &Pattern<T>, b: &Pattern<T>) -> Pattern<T> {
    num_op(Structure::Both, NumOp::Div, a, b)
}
