//! Operators: Haskell arithmetic, Tidal's `# |+| |+ +| ...` family, and `<~`/`~>`.

use tactus_pattern::{core, NumOp, Pattern, Value};

use super::Builtin;
use crate::eval::arith;
use crate::eval::call::Call;
use crate::eval::types::Val;
use crate::eval::EvalError;

/// How an operator combines two values.
#[derive(Clone, Copy)]
enum Combine {
    Num(NumOp),
    /// Keep values from the left, adding missing controls from the right (`|<`).
    UnionLeft,
    /// Values from the right win (`#`, `|>`).
    UnionRight,
    /// String append (`|++|`).
    Append,
}

fn combine(how: Combine, a: &Value, b: &Value) -> Value {
    match how {
        Combine::Num(op) => match (a, b) {
            (Value::Map(x), Value::Map(y)) => Value::Map(x.union_with(y, |p, q| map_num(op, p, q))),
            _ => op.apply(a, b),
        },
        Combine::UnionLeft => match (a, b) {
            (Value::Map(x), Value::Map(y)) => Value::Map(x.union_left(y)),
            _ => a.clone(),
        },
        Combine::UnionRight => match (a, b) {
            (Value::Map(x), Value::Map(y)) => Value::Map(y.union_left(x)),
            _ => b.clone(),
        },
        Combine::Append => match (a, b) {
            (Value::Str(x), Value::Str(y)) => Value::Str(format!("{x}{y}").into()),
            (Value::Map(x), Value::Map(y)) => Value::Map(x.union_with(y, |p, q| match (p, q) {
                (Value::Str(s), Value::Str(t)) => Value::Str(format!("{s}{t}").into()),
                _ => p.clone(),
            })),
            _ => a.clone(),
        },
    }
}

/// Tidal's `Num`/`Fractional ValueMap` instances: `/` is `x * recip y`, and `recip` leaves
/// integers unchanged, so integer controls multiply under `/`.
fn map_num(op: NumOp, p: &Value, q: &Value) -> Value {
    match (op, p, q) {
        (NumOp::Div, Value::Int(_), Value::Int(_)) => NumOp::Mul.apply(p, q),
        _ => op.apply(p, q),
    }
}

#[derive(Clone, Copy)]
enum Structure {
    Both,
    Left,
    Right,
}

fn op_impl(c: &Call, how: Combine, st: Structure) -> Result<Val, EvalError> {
    let a = c.pat(0)?;
    let b = c.pat(1)?;
    let f = move |x: &Value, y: &Value| combine(how, x, y);
    let p: Pattern<Value> = match st {
        Structure::Both => a.app_both(&b, f),
        Structure::Left => a.app_left(&b, f),
        Structure::Right => a.app_right(&b, f),
    };
    c.ret(p)
}

fn haskell_arith(c: &Call, op: NumOp) -> Result<Val, EvalError> {
    let a = c.args[0].clone();
    let b = c.args[1].clone();
    arith(op, a, b, c.span)
}

const PSIG: &str = "Pattern a -> Pattern a -> Pattern a";

macro_rules! family {
    ($both:literal, $left:literal, $right:literal, $how:expr, $doc:literal) => {
        [
            Builtin::f(
                $both,
                PSIG,
                concat!($doc, ", structure from both sides."),
                "",
                |c| op_impl(c, $how, Structure::Both),
            ),
            Builtin::f(
                $left,
                PSIG,
                concat!($doc, ", structure from the left."),
                "",
                |c| op_impl(c, $how, Structure::Left),
            ),
            Builtin::f(
                $right,
                PSIG,
                concat!($doc, ", structure from the right."),
                "",
                |c| op_impl(c, $how, Structure::Right),
            ),
        ]
    };
}

const ADD: [Builtin; 3] = family!("|+|", "|+", "+|", Combine::Num(NumOp::Add), "Adds values");
const SUB: [Builtin; 3] = family!(
    "|-|",
    "|-",
    "-|",
    Combine::Num(NumOp::Sub),
    "Subtracts values"
);
const MUL: [Builtin; 3] = family!(
    "|*|",
    "|*",
    "*|",
    Combine::Num(NumOp::Mul),
    "Multiplies values"
);
const DIV: [Builtin; 3] = family!(
    "|/|",
    "|/",
    "/|",
    Combine::Num(NumOp::Div),
    "Divides values"
);
const MOD: [Builtin; 3] = family!(
    "|%|",
    "|%",
    "%|",
    Combine::Num(NumOp::Mod),
    "Modulo of values"
);
const POW: [Builtin; 3] = family!(
    "|**|",
    "|**",
    "**|",
    Combine::Num(NumOp::Pow),
    "Raises values to a power"
);
const LT: [Builtin; 3] = family!(
    "|<|",
    "|<",
    "<|",
    Combine::UnionLeft,
    "Takes values from the left"
);
const GT: [Builtin; 3] = family!(
    "|>|",
    "|>",
    ">|",
    Combine::UnionRight,
    "Takes values from the right"
);
const APP: [Builtin; 3] = family!("|++|", "|++", "++|", Combine::Append, "Appends strings");

const OTHERS: [Builtin; 7] = [
    Builtin::f(
        "#",
        PSIG,
        "Sets controls from the right pattern, structure from the left (same as `|>`).",
        "s \"bd*2\" # speed 2",
        |c| op_impl(c, Combine::UnionRight, Structure::Left),
    ),
    Builtin::f(
        "+",
        "Num a => a -> a -> a",
        "Adds numbers or patterns (structure from both).",
        "n (\"0 2\" + \"<10 20>\")",
        |c| haskell_arith(c, NumOp::Add),
    ),
    Builtin::f(
        "-",
        "Num a => a -> a -> a",
        "Subtracts numbers or patterns (structure from both).",
        "n (\"10 20\" - 1)",
        |c| haskell_arith(c, NumOp::Sub),
    ),
    Builtin::f(
        "*",
        "Num a => a -> a -> a",
        "Multiplies numbers or patterns (structure from both).",
        "speed (\"1 2\" * 1.5)",
        |c| haskell_arith(c, NumOp::Mul),
    ),
    Builtin::f(
        "/",
        "Num a => a -> a -> a",
        "Divides numbers or patterns (structure from both).",
        "speed (\"1 2\" / 2)",
        |c| haskell_arith(c, NumOp::Div),
    ),
    Builtin::f(
        "<~",
        "Pattern Time -> Pattern a -> Pattern a",
        "Shifts a pattern earlier in time by the given number of cycles.",
        "0.25 <~ s \"bd sn hh cp\"",
        |c| c.ret(core::early_pat(&c.time(0)?, &c.pat(1)?)),
    ),
    Builtin::f(
        "~>",
        "Pattern Time -> Pattern a -> Pattern a",
        "Shifts a pattern later in time by the given number of cycles.",
        "0.25 ~> s \"bd sn hh cp\"",
        |c| c.ret(core::late_pat(&c.time(0)?, &c.pat(1)?)),
    ),
];

/// The operator table.
pub const BUILTINS: &[Builtin] = &[
    ADD[0], ADD[1], ADD[2], SUB[0], SUB[1], SUB[2], MUL[0], MUL[1], MUL[2], DIV[0], DIV[1], DIV[2],
    MOD[0], MOD[1], MOD[2], POW[0], POW[1], POW[2], LT[0], LT[1], LT[2], GT[0], GT[1], GT[2],
    APP[0], APP[1], APP[2], OTHERS[0], OTHERS[1], OTHERS[2], OTHERS[3], OTHERS[4], OTHERS[5],
    OTHERS[6],
];
