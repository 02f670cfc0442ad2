use super::case;
use crate::common::*;
use crate::Case;
use tactus_pattern::core::{fast_pat, rev};
use tactus_pattern::library::control::*;
use tactus_pattern::library::ops::set;
use tactus_pattern::library::sample::*;
use tactus_pattern::{PatFn, Pattern, Time, ValueMap};

fn setf(c: Pattern<ValueMap>) -> PatFn<ValueMap> {
    pf(move |p| set(p, &c))
}

pub fn cases() -> Vec<Case> {
    vec![
        case!("hurry", r#"hurry 2 $ s "bd sn""#, "0", "2", || {
            Pat::Control(hurry(&Pattern::pure(Time::int(2)), &s("bd sn")))
        }),
        case!(
            "hurry_pat",
            r#"hurry "<1 [2 0.5]>" $ s "bd sn" # speed 1.5"#,
            "0",
            "2",
            || {
                Pat::Control(hurry(
                    &nt("<1 [2 0.5]>"),
                    &set(&s("bd sn"), &cf("speed", "1.5")),
                ))
            }
        ),
        case!("jux_rev", r#"jux rev $ s "bd sn hh""#, "0", "1", || {
            Pat::Control(jux(&pf(rev), &s("bd sn hh")))
        }),
        case!(
            "juxBy_fast",
            r#"juxBy 0.5 (fast 2) $ s "bd sn""#,
            "0",
            "1",
            || {
                Pat::Control(jux_by(
                    &Pattern::pure(0.5),
                    &pf(|p| fast_pat(&Pattern::pure(Time::int(2)), p)),
                    &s("bd sn"),
                ))
            }
        ),
        case!(
            "juxBy_pan",
            r#"juxBy "<0.5 0.25>" rev $ s "a b" # pan 0.25"#,
            "0",
            "2",
            || {
                Pat::Control(jux_by(
                    &nf("<0.5 0.25>"),
                    &pf(rev),
                    &set(&s("a b"), &cf("pan", "0.25")),
                ))
            }
        ),
        case!("ghost", r#"ghost $ s "bd sn""#, "0", "2", || Pat::Control(
            ghost(&s("bd sn"))
        )),
        case!(
            "ghost_speed",
            r#"ghost $ s "bd sn" # speed 2 # gain 1.2"#,
            "-1",
            "1",
            || {
                Pat::Control(ghost(&set(
                    &set(&s("bd sn"), &cf("speed", "2")),
                    &cf("gain", "1.2"),
                )))
            }
        ),
        case!("ghost'", r#"ghost' 0.25 $ s "a b c""#, "0", "1", || {
            Pat::Control(ghost_by(t(1, 4), &s("a b c")))
        }),
        case!(
            "ghost''",
            r#"ghost'' (1/8) (# crush 4) $ s "a b""#,
            "0",
            "1",
            || { Pat::Control(ghost_with(t(1, 8), &setf(cf("crush", "4")), &s("a b"))) }
        ),
        case!("stut", r#"stut 3 0.5 0.125 $ s "bd sn""#, "0", "1", || {
            Pat::Control(stut(3, 0.5, t(1, 8), &s("bd sn")))
        }),
        case!(
            "stut_pat",
            r#"stut "<3 2>" 0.5 "0.125 0.25" $ s "bd sn" # gain 1.2"#,
            "-1",
            "2",
            || {
                let p = set(&s("bd sn"), &cf("gain", "1.2"));
                Pat::Control(stut_pat(
                    &ni("<3 2>"),
                    &Pattern::pure(0.5),
                    &nt("0.125 0.25"),
                    &p,
                ))
            }
        ),
        case!(
            "fix_fast",
            r#"fix (fast 2) (s "bd") $ s "bd sn""#,
            "0",
            "2",
            || {
                Pat::Control(fix(
                    &pf(|p| fast_pat(&Pattern::pure(Time::int(2)), p)),
                    &s("bd"),
                    &s("bd sn"),
                ))
            }
        ),
        case!(
            "fix_n",
            r#"fix (# crush 4) (n 1) $ s "x*4" # n "0 1""#,
            "0",
            "1",
            || {
                Pat::Control(fix(
                    &setf(cf("crush", "4")),
                    &n("1"),
                    &set(&s("x*4"), &n("0 1")),
                ))
            }
        ),
        case!(
            "fix_multi",
            r#"fix (# crush 4) (n 1 # s "y") $ s "x y" # n "1""#,
            "0",
            "1",
            || {
                let m = set(&n("1"), &s("y"));
                Pat::Control(fix(&setf(cf("crush", "4")), &m, &set(&s("x y"), &n("1"))))
            }
        ),
        case!(
            "fix_pat",
            r#"fix (# crush 4) (s "<x y>") $ s "x y""#,
            "0",
            "2",
            || { Pat::Control(fix(&setf(cf("crush", "4")), &s("<x y>"), &s("x y"))) }
        ),
        case!(
            "unfix",
            r#"unfix (# crush 4) (n 1) $ s "x*4" # n "0 1""#,
            "0",
            "1",
            || {
                Pat::Control(unfix(
                    &setf(cf("crush", "4")),
                    &n("1"),
                    &set(&s("x*4"), &n("0 1")),
                ))
            }
        ),
        case!(
            "contrast",
            r#"contrast (# crush 4) (# speed 2) (n "1") $ n "0 1" # s "x""#,
            "0",
            "1",
            || {
                Pat::Control(contrast(
                    &setf(cf("crush", "4")),
                    &setf(cf("speed", "2")),
                    &n("1"),
                    &set(&n("0 1"), &s("x")),
                ))
            }
        ),
        case!("nudge", r#"nudge "0 0.1" # s "bd sn""#, "0", "1", || {
            Pat::Control(set(&nudge(&nf("0 0.1")), &s("bd sn")))
        }),
        case!("chop", r#"chop 2 $ s "bd sn""#, "0", "1", || Pat::Control(
            chop(2, &s("bd sn"))
        )),
        case!(
            "chop_range",
            r#"chop 3 $ s "bd" # begin 0.5 # end 0.8"#,
            "0",
            "1",
            || {
                Pat::Control(chop(
                    3,
                    &set(&set(&s("bd"), &cf("begin", "0.5")), &cf("end", "0.8")),
                ))
            }
        ),
        case!(
            "chop_begin",
            r#"chop 2 $ s "bd" # begin 0.5"#,
            "0",
            "1",
            || { Pat::Control(chop(2, &set(&s("bd"), &cf("begin", "0.5")))) }
        ),
        case!(
            "chop_shift",
            r#"chop 2 $ 0.25 ~> s "bd sn""#,
            "-1",
            "1",
            || { Pat::Control(chop(2, &late(t(1, 4), &s("bd sn")))) }
        ),
        case!("chop_pat", r#"chop "<2 3>" $ s "a b@2""#, "0", "2", || {
            Pat::Control(chop_pat(&ni("<2 3>"), &s("a b@2")))
        }),
        case!("chop_partial", r#"chop 4 $ s "a/2""#, "0", "2", || {
            Pat::Control(chop(4, &s("a/2")))
        }),
        case!("striate", r#"striate 2 $ s "bd sn""#, "0", "1", || {
            Pat::Control(striate(2, &s("bd sn")))
        }),
        case!(
            "striate_begin",
            r#"striate 2 $ s "bd" # begin 0.5"#,
            "0",
            "1",
            || { Pat::Control(striate(2, &set(&s("bd"), &cf("begin", "0.5")))) }
        ),
        case!(
            "striate_pat",
            r#"striate "<2 3>" $ s "<a b> c""#,
            "0",
            "4",
            || { Pat::Control(striate_pat(&ni("<2 3>"), &s("<a b> c"))) }
        ),
        case!(
            "striateBy",
            r#"striateBy 2 0.25 $ s "bev""#,
            "0",
            "1",
            || { Pat::Control(striate_by(2, 0.25, &s("bev"))) }
        ),
        case!(
            "striateBy_pat",
            r#"striateBy "<2 3>" "0.25 0.5" $ s "bev""#,
            "0",
            "2",
            || { Pat::Control(striate_by_pat(&ni("<2 3>"), &nf("0.25 0.5"), &s("bev"))) }
        ),
        case!("slice", r#"slice 4 "0 2" $ s "bev""#, "0", "1", || {
            Pat::Control(slice(&Pattern::pure(4), &ni("0 2"), &s("bev")))
        }),
        case!(
            "slice_frag",
            r#"slice 4 "0 2" $ s "bev*3""#,
            "0",
            "1",
            || { Pat::Control(slice(&Pattern::pure(4), &ni("0 2"), &s("bev*3"))) }
        ),
        case!(
            "slice_neg",
            r#"slice "<4 8>" "<1 -1> 3" $ s "x""#,
            "-1",
            "2",
            || { Pat::Control(slice(&ni("<4 8>"), &ni("<1 -1> 3"), &s("x"))) }
        ),
        case!("splice", r#"splice 4 "0 2" $ s "bev""#, "0", "1", || {
            Pat::Control(splice(&Pattern::pure(4), &ni("0 2"), &s("bev")))
        }),
        case!(
            "splice_speed",
            r#"splice 4 "0 2" $ s "bev" # speed 2"#,
            "0",
            "1",
            || {
                Pat::Control(splice(
                    &Pattern::pure(4),
                    &ni("0 2"),
                    &set(&s("bev"), &cf("speed", "2")),
                ))
            }
        ),
        case!(
            "splice_pat",
            r#"splice "<4 2>" "0 [1 2]" $ s "b""#,
            "0",
            "2",
            || { Pat::Control(splice(&ni("<4 2>"), &ni("0 [1 2]"), &s("b"))) }
        ),
        case!(
            "loopAt",
            r#"loopAt 2 $ chop 4 $ s "break""#,
            "0",
            "2",
            || { Pat::Control(loop_at(&Pattern::pure(Time::int(2)), &chop(4, &s("break")))) }
        ),
        case!(
            "loopAt_pat",
            r#"loopAt "<1 2>" $ s "b" # speed 2"#,
            "0",
            "4",
            || { Pat::Control(loop_at(&nt("<1 2>"), &set(&s("b"), &cf("speed", "2")))) }
        ),
        case!(
            "chew",
            r#"chew 4 "0 [1 2]" $ n "0 1 2 3" # s "x""#,
            "0",
            "1",
            || { Pat::Control(chew(4, &ni("0 [1 2]"), &set(&n("0 1 2 3"), &s("x")))) }
        ),
        case!(
            "chew_speed",
            r#"chew "<4 2>" "<0 [1 2]> 3" $ s "a b c d" # speed 2"#,
            "0",
            "2",
            || {
                let p = set(&s("a b c d"), &cf("speed", "2"));
                Pat::Control(chew_pat(&ni("<4 2>"), &ni("<0 [1 2]> 3"), &p))
            }
        ),
    ]
}
