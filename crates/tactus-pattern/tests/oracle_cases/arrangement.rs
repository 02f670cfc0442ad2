use super::case;
use crate::common::*;
use crate::Case;
use tactus_pattern::core::{fast_pat, rev, slow_pat};
use tactus_pattern::library::arrangement::*;
use tactus_pattern::library::bits::*;
use tactus_pattern::library::control::*;
use tactus_pattern::library::ops::{op_map, set, Structure, ValueOp};
use tactus_pattern::library::sample::{gap, gap_pat, smash, smash_chop};
use tactus_pattern::library::signal::sine;
use tactus_pattern::library::structure::{mono, smooth, swap};
use tactus_pattern::{NumOp, PatFn, Pattern, Time, ValueMap};

fn fast2<T: tactus_pattern::PatValue>() -> PatFn<T> {
    pf(|p| fast_pat(&Pattern::pure(Time::int(2)), p))
}

fn idf<T: tactus_pattern::PatValue>() -> PatFn<T> {
    pf(|p| p.clone())
}

fn named(xs: &[(&str, Pattern<ValueMap>)]) -> Vec<(String, Pattern<ValueMap>)> {
    xs.iter().map(|(n, p)| (n.to_string(), p.clone())).collect()
}

fn smooth_case(from: &'static str, to: &'static str) -> Case {
    let id = Box::leak(
        format!("smooth_{from}_{to}")
            .replace('/', "_")
            .into_boxed_str(),
    );
    case!(id, r#"smooth "0 2 [4 6]""#, from, to, || Pat::F64(smooth(
        &nf("0 2 [4 6]")
    )))
}

pub fn cases() -> Vec<Case> {
    vec![
        case!("playFor", r#"playFor 0.5 1.5 $ s "a b""#, "-1", "3", || {
            Pat::Control(play_for(Time::HALF, t(3, 2), &s("a b")))
        }),
        case!(
            "seqP",
            r#"seqP [(0, 2, s "bd*2"), (1, 3, s "hh*3")]"#,
            "0",
            "4",
            || {
                Pat::Control(seq_p(vec![
                    (Time::ZERO, Time::int(2), s("bd*2")),
                    (Time::ONE, Time::int(3), s("hh*3")),
                ]))
            }
        ),
        case!(
            "seqP_frac",
            r#"seqP [(0.5, 2.5, s "<a b> c")]"#,
            "0",
            "3",
            || { Pat::Control(seq_p(vec![(Time::HALF, t(5, 2), s("<a b> c"))])) }
        ),
        case!(
            "seqPLoop",
            r#"seqPLoop [(1, 2, s "bd*2"), (2, 4, s "<a b c>")]"#,
            "-3",
            "7",
            || {
                Pat::Control(seq_p_loop(vec![
                    (Time::ONE, Time::int(2), s("bd*2")),
                    (Time::int(2), Time::int(4), s("<a b c>")),
                ]))
            }
        ),
        case!(
            "loopFirst",
            r#"loopFirst $ s "<a b c> d""#,
            "-2",
            "2",
            || Pat::Control(loop_first(&s("<a b c> d")))
        ),
        case!("timeLoop", r#"timeLoop 2 $ s "<a b c>""#, "0", "6", || {
            Pat::Control(time_loop(Time::int(2), &s("<a b c>")))
        }),
        case!(
            "timeLoop_pat",
            r#"timeLoop "<2 3>" $ s "<a b c>""#,
            "0",
            "6",
            || { Pat::Control(time_loop_pat(&nt("<2 3>"), &s("<a b c>"))) }
        ),
        case!(
            "repeatCycles",
            r#"repeatCycles 3 $ s "<a b c>""#,
            "-3",
            "9",
            || Pat::Control(repeat_cycles(3, &s("<a b c>")))
        ),
        case!(
            "repeatCycles_pat",
            r#"repeatCycles "<2 3>" $ s "<a b c>""#,
            "0",
            "6",
            || { Pat::Control(repeat_cycles_pat(&ni("<2 3>"), &s("<a b c>"))) }
        ),
        case!(
            "fastRepeatCycles",
            r#"fastRepeatCycles 2 $ s "<a b>""#,
            "0",
            "4",
            || { Pat::Control(fast_repeat_cycles(2, &s("<a b>"))) }
        ),
        case!(
            "spaceOut",
            r#"spaceOut [1, 0.5, 2] $ s "a b""#,
            "0",
            "4",
            || { Pat::Control(space_out(&[Time::ONE, Time::HALF, Time::int(2)], &s("a b"))) }
        ),
        case!(
            "foldEvery",
            r#"foldEvery [2, 3] (fast 2) $ s "a b""#,
            "0",
            "7",
            || { Pat::Control(fold_every(&[2, 3], &fast2(), &s("a b"))) }
        ),
        case!("soak", r#"soak 3 (fast 2) $ s "a b""#, "0", "4", || {
            Pat::Control(soak(3, &fast2(), &s("a b")))
        }),
        case!(
            "snowball",
            r#"snowball 4 (+) (slow 2 . rev) $ n "0 1 2""#,
            "0",
            "4",
            || {
                let f = pf(|p| slow_pat(&Pattern::pure(Time::int(2)), &rev(p)));
                let add = |a: &Pattern<ValueMap>, b: &Pattern<ValueMap>| {
                    op_map(Structure::Both, ValueOp::Num(NumOp::Add), a, b)
                };
                Pat::Control(snowball(4, add, &f, &n("0 1 2")))
            }
        ),
        case!(
            "inhabit",
            r#"inhabit [("a", s "bd*2"), ("b", s "sn hh")] "a [b a] c""#,
            "0",
            "1",
            || {
                Pat::Control(inhabit(
                    named(&[("a", s("bd*2")), ("b", s("sn hh"))]),
                    &mn("a [b a] c"),
                ))
            }
        ),
        case!(
            "ur",
            r#"ur 4 "a b:double" [("a", s "bd*2"), ("b", s "sn hh")] [("double", fast 2)]"#,
            "0",
            "8",
            || {
                Pat::Control(ur(
                    Time::int(4),
                    &mn("a b:double"),
                    named(&[("a", s("bd*2")), ("b", s("sn hh"))]),
                    vec![("double".into(), fast2())],
                ))
            }
        ),
        case!(
            "ur_alt",
            r#"ur 2 "<a b> [a:rev b:nope]" [("a", s "x y z"), ("b", n "<1 2>")] [("rev", rev)]"#,
            "-2",
            "6",
            || {
                let parts = named(&[("a", s("x y z")), ("b", n("<1 2>"))]);
                Pat::Control(ur(
                    Time::int(2),
                    &mn("<a b> [a:rev b:nope]"),
                    parts,
                    vec![("rev".into(), pf(rev))],
                ))
            }
        ),
        case!("binary", r#"binary "<5 200> 3""#, "0", "2", || Pat::Bool(
            binary(&ni("<5 200> 3"))
        )),
        case!("binaryN", r#"binaryN 4 "5 -3""#, "0", "1", || Pat::Bool(
            binary_n(4, &ni("5 -3"))
        )),
        case!("binaryN_pat", r#"binaryN "<2 4>" "6""#, "0", "2", || {
            Pat::Bool(binary_n_pat(&ni("<2 4>"), &ni("6")))
        }),
        case!("ascii", r#"ascii "ab <c d>""#, "0", "2", || Pat::Bool(
            ascii(&mn("ab <c d>"))
        )),
        case!("necklace", r#"necklace 12 [4,2]"#, "0", "1", || Pat::Bool(
            necklace(Time::int(12), &[4, 2])
        )),
        case!("necklace_slow", r#"necklace 4 [3,3,2]"#, "0", "2", || {
            Pat::Bool(necklace(Time::int(4), &[3, 3, 2]))
        }),
        case!(
            "swap",
            r#"swap [("a","x"),("b","y")] ("a b c a" :: Pattern String)"#,
            "0",
            "1",
            || {
                let table = vec![
                    ("a".to_string(), "x".to_string()),
                    ("b".to_string(), "y".to_string()),
                ];
                Pat::Str(swap(table, &mn("a b c a")))
            }
        ),
        case!("mono", r#"mono $ n "[0 1, 2 3 4]""#, "0", "1", || {
            Pat::Control(mono(&n("[0 1, 2 3 4]")))
        }),
        case!(
            "mono_rests",
            r#"mono $ s "[a b, ~ c@2 d]""#,
            "0",
            "2",
            || Pat::Control(mono(&s("[a b, ~ c@2 d]")))
        ),
        smooth_case("0", "1/16"),
        smooth_case("1/8", "1/4"),
        smooth_case("3/4", "7/8"),
        smooth_case("7/8", "1"),
        smooth_case("-1/3", "-1/6"),
        case!("jux4", r#"jux4 rev $ s "a b""#, "0", "1", || Pat::Control(
            jux4(&pf(rev), &s("a b"))
        )),
        case!("juxcut", r#"juxcut (fast 2) $ s "a b""#, "0", "1", || {
            Pat::Control(juxcut(&fast2(), &s("a b")))
        }),
        case!(
            "jux'",
            r#"jux' [id, rev, fast 2] $ s "a b""#,
            "0",
            "1",
            || { Pat::Control(jux_list(&[idf(), pf(rev), fast2()], &s("a b"))) }
        ),
        case!(
            "juxcut'",
            r#"juxcut' [id, rev] $ s "a b" # pan 0.1"#,
            "0",
            "1",
            || {
                Pat::Control(juxcut_list(
                    &[idf(), pf(rev)],
                    &set(&s("a b"), &cf("pan", "0.1")),
                ))
            }
        ),
        case!("spin", r#"spin 3 $ s "a b""#, "0", "1", || Pat::Control(
            spin(3, &s("a b"))
        )),
        case!("spin_pat", r#"spin "<2 3>" $ s "a b""#, "0", "2", || {
            Pat::Control(spin_pat(&ni("<2 3>"), &s("a b")))
        }),
        case!("gap", r#"gap 4 $ s "a b""#, "0", "1", || Pat::Control(gap(
            4,
            &s("a b")
        ))),
        case!("gap_pat", r#"gap "<2 4>" $ s "a" # n 3"#, "0", "2", || {
            Pat::Control(gap_pat(&ni("<2 4>"), &set(&s("a"), &n("3"))))
        }),
        case!("smash", r#"smash 2 [1, 2] $ s "a b""#, "0", "3", || {
            Pat::Control(smash(
                &Pattern::pure(2),
                &[Pattern::pure(Time::ONE), Pattern::pure(Time::int(2))],
                &s("a b"),
            ))
        }),
        case!("smash'", r#"smash' 3 [2, 1] $ s "a""#, "0", "3", || {
            Pat::Control(smash_chop(
                3,
                &[Pattern::pure(Time::int(2)), Pattern::pure(Time::ONE)],
                &s("a"),
            ))
        }),
        case!(
            "weave",
            r#"weave 4 (pan sine) [s "a b", s "c*3"]"#,
            "0",
            "4",
            || {
                Pat::Control(weave(
                    Time::int(4),
                    &param_f64("pan", &sine()),
                    &[s("a b"), s("c*3")],
                ))
            }
        ),
        case!(
            "weaveWith",
            r#"weaveWith 3 (s "a b") [fast 2, (# speed 2)]"#,
            "0",
            "3",
            || {
                let sp = pf(|p| set(p, &cf("speed", "2")));
                Pat::Control(weave_with(Time::int(3), &s("a b"), &[fast2(), sp]))
            }
        ),
        case!(
            "interlace",
            r#"interlace (s "a b") (s "c")"#,
            "0",
            "2",
            || Pat::Control(interlace(&s("a b"), &s("c")))
        ),
    ]
}
