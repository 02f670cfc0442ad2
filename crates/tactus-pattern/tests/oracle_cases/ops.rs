use super::case;
use crate::common::*;
use crate::Case;
use tactus_pattern::library::control::param;
use tactus_pattern::library::ops::*;
use tactus_pattern::{NumOp, Pattern, Value, ValueMap};

fn m(s: Structure, op: ValueOp, a: &Pattern<ValueMap>, b: &Pattern<ValueMap>) -> Pattern<ValueMap> {
    op_map(s, op, a, b)
}

fn note(p: Pattern<f64>) -> Pattern<ValueMap> {
    param("n", &p.fmap(|x| Value::Note(*x)))
}

const ADD: ValueOp = ValueOp::Num(NumOp::Add);

pub fn cases() -> Vec<Case> {
    vec![
        case!(
            "op_plus_slowcat",
            r#"n ("0 2" + "<10 20>") # s "arpy""#,
            "0",
            "2",
            || { Pat::Control(set(&note(add(&nf("0 2"), &nf("<10 20>"))), &s("arpy"))) }
        ),
        case!(
            "op_plus_both",
            r#"n ("0 1 2" + "10 20") # s "x""#,
            "0",
            "1",
            || { Pat::Control(set(&note(add(&nf("0 1 2"), &nf("10 20"))), &s("x"))) }
        ),
        case!(
            "op_num_double",
            r#""1 2" * "3 4 5" - "0.5""#,
            "0",
            "1",
            || { Pat::F64(sub(&mul(&nf("1 2"), &nf("3 4 5")), &nf("0.5"))) }
        ),
        case!("op_div_double", r#""1 2" / "<4 8>""#, "-1", "1", || {
            Pat::F64(div(&nf("1 2"), &nf("<4 8>")))
        }),
        case!(
            "op_left_plus",
            r#"s "bd*4" # n "1 2" |+ n 10"#,
            "0",
            "1",
            || {
                Pat::Control(m(
                    Structure::Left,
                    ADD,
                    &set(&s("bd*4"), &n("1 2")),
                    &n("10"),
                ))
            }
        ),
        case!(
            "op_bare_plus_map",
            r#"s "bd*4" # n "1 2" + n "10 20 30""#,
            "0",
            "1",
            || {
                Pat::Control(m(
                    Structure::Both,
                    ADD,
                    &set(&s("bd*4"), &n("1 2")),
                    &n("10 20 30"),
                ))
            }
        ),
        case!(
            "op_both_plus",
            r#"n "0 1 2" |+| n "10 20" # s "x""#,
            "0",
            "1",
            || {
                Pat::Control(set(
                    &m(Structure::Both, ADD, &n("0 1 2"), &n("10 20")),
                    &s("x"),
                ))
            }
        ),
        case!(
            "op_left_plus2",
            r#"n "0 1 2" |+ n "10 20" # s "x""#,
            "0",
            "1",
            || {
                Pat::Control(set(
                    &m(Structure::Left, ADD, &n("0 1 2"), &n("10 20")),
                    &s("x"),
                ))
            }
        ),
        case!(
            "op_right_plus",
            r#"n "0 1 2" +| n "10 20" # s "x""#,
            "0",
            "1",
            || {
                Pat::Control(set(
                    &m(Structure::Right, ADD, &n("0 1 2"), &n("10 20")),
                    &s("x"),
                ))
            }
        ),
        case!(
            "op_mul_speed",
            r#"s "bd*4" # speed 2 |* speed "1 1.5""#,
            "0",
            "1",
            || {
                let a = set(&s("bd*4"), &cf("speed", "2"));
                Pat::Control(m(
                    Structure::Left,
                    ValueOp::Num(NumOp::Mul),
                    &a,
                    &cf("speed", "1 1.5"),
                ))
            }
        ),
        case!("op_keep_left", r#"s "a b" |< n "1 2 3""#, "0", "1", || {
            Pat::Control(m(
                Structure::Left,
                ValueOp::KeepLeft,
                &s("a b"),
                &n("1 2 3"),
            ))
        }),
        case!(
            "op_keep_right",
            r#"s "a b" # n "1 2 3" |> s "c""#,
            "0",
            "1",
            || {
                Pat::Control(m(
                    Structure::Left,
                    ValueOp::KeepRight,
                    &set(&s("a b"), &n("1 2 3")),
                    &s("c"),
                ))
            }
        ),
        case!(
            "op_keep_left_shared",
            r#"s "a b" |< s "c d e" # n 1"#,
            "0",
            "1",
            || {
                Pat::Control(set(
                    &m(Structure::Left, ValueOp::KeepLeft, &s("a b"), &s("c d e")),
                    &n("1"),
                ))
            }
        ),
        case!("op_both_keep", r#"s "a b" |<| s "c d e""#, "0", "1", || {
            Pat::Control(m(
                Structure::Both,
                ValueOp::KeepLeft,
                &s("a b"),
                &s("c d e"),
            ))
        }),
        case!("op_right_keep", r#"s "a b" >| s "c d e""#, "0", "1", || {
            Pat::Control(m(
                Structure::Right,
                ValueOp::KeepRight,
                &s("a b"),
                &s("c d e"),
            ))
        }),
        case!(
            "op_right_keep_left",
            r#"s "a b" <| n "1 2 3""#,
            "0",
            "1",
            || {
                Pat::Control(m(
                    Structure::Right,
                    ValueOp::KeepLeft,
                    &s("a b"),
                    &n("1 2 3"),
                ))
            }
        ),
        case!(
            "op_sub_both",
            r#"n "10 20" |-| n "1 2 3""#,
            "0",
            "1",
            || {
                Pat::Control(m(
                    Structure::Both,
                    ValueOp::Num(NumOp::Sub),
                    &n("10 20"),
                    &n("1 2 3"),
                ))
            }
        ),
        case!(
            "op_div_left",
            r#"speed "1 2" |/ speed "4""#,
            "0",
            "1",
            || {
                Pat::Control(m(
                    Structure::Left,
                    ValueOp::Num(NumOp::Div),
                    &cf("speed", "1 2"),
                    &cf("speed", "4"),
                ))
            }
        ),
        case!("op_mod_left", r#"n "7 -7 5.5" |% n "3""#, "0", "1", || {
            Pat::Control(m(
                Structure::Left,
                ValueOp::Num(NumOp::Mod),
                &n("7 -7 5.5"),
                &n("3"),
            ))
        }),
        case!("op_pow_double", r#""2 3" |** "2 0.5""#, "0", "1", || {
            Pat::F64(num_op(
                Structure::Left,
                NumOp::Pow,
                &nf("2 3"),
                &nf("2 0.5"),
            ))
        }),
        case!(
            "op_mod_double",
            r#""7 -7 5.5" |% "<3 -2>""#,
            "0",
            "2",
            || {
                Pat::F64(num_op(
                    Structure::Left,
                    NumOp::Mod,
                    &nf("7 -7 5.5"),
                    &nf("<3 -2>"),
                ))
            }
        ),
        case!("op_string_plus", r#"s "a" |+ s "b""#, "0", "1", || {
            Pat::Control(m(Structure::Left, ADD, &s("a"), &s("b")))
        }),
        case!(
            "op_plus_missing",
            r#"n "1" |+ speed 2 |* n 3"#,
            "0",
            "1",
            || {
                let a = m(Structure::Left, ADD, &n("1"), &cf("speed", "2"));
                Pat::Control(m(Structure::Left, ValueOp::Num(NumOp::Mul), &a, &n("3")))
            }
        ),
        case!(
            "op_int_float",
            r#"cut "1 2" |+ cut 3 # speed 1 |* speed "<2 3>""#,
            "0",
            "2",
            || {
                let a = m(Structure::Left, ADD, &ci("cut", "1 2"), &ci("cut", "3"));
                let a = set(&a, &cf("speed", "1"));
                Pat::Control(m(
                    Structure::Left,
                    ValueOp::Num(NumOp::Mul),
                    &a,
                    &cf("speed", "<2 3>"),
                ))
            }
        ),
    ]
}
