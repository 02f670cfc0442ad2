use super::case;
use crate::common::*;
use crate::Case;
use tactus_pattern::core::{fast_pat, rev};
use tactus_pattern::library::conditional::*;
use tactus_pattern::library::control::hurry;
use tactus_pattern::library::ops::set;
use tactus_pattern::library::sample::striate;
use tactus_pattern::{PatFn, Pattern, Time, ValueMap};

fn fast2<T: tactus_pattern::PatValue>() -> PatFn<T> {
    pf(|p| fast_pat(&Pattern::pure(Time::int(2)), p))
}

fn revf<T: tactus_pattern::PatValue>() -> PatFn<T> {
    pf(rev)
}

fn setf(c: Pattern<ValueMap>) -> PatFn<ValueMap> {
    pf(move |p| set(p, &c))
}

pub fn cases() -> Vec<Case> {
    vec![
        case!(
            "every_fast",
            r#"every 2 (fast 2) $ s "bd sn""#,
            "0",
            "4",
            || { Pat::Control(every_pat(&Pattern::pure(2), &fast2(), &s("bd sn"))) }
        ),
        case!(
            "every_rev3",
            r#"every 3 rev $ s "bd sn hh""#,
            "-3",
            "4",
            || { Pat::Control(every(3, &revf(), &s("bd sn hh"))) }
        ),
        case!(
            "every_pat",
            r#"every "<2 3>" rev $ s "a b c""#,
            "-2",
            "4",
            || { Pat::Control(every_pat(&ni("<2 3>"), &revf(), &s("a b c"))) }
        ),
        case!(
            "every_zero_neg",
            r#"every "<0 -2>" (fast 2) $ s "a b""#,
            "0",
            "4",
            || { Pat::Control(every_pat(&ni("<0 -2>"), &fast2(), &s("a b"))) }
        ),
        case!(
            "every_shift",
            r#"every 2 (0.25 <~) $ s "bd sn""#,
            "0",
            "2",
            || { Pat::Control(every(2, &pf(|p| early(t(1, 4), p)), &s("bd sn"))) }
        ),
        case!(
            "every'_fast",
            r#"every' 3 1 (fast 2) $ s "bd sn""#,
            "0",
            "4",
            || {
                Pat::Control(every_offset_pat(
                    &Pattern::pure(3),
                    &Pattern::pure(1),
                    &fast2(),
                    &s("bd sn"),
                ))
            }
        ),
        case!(
            "every'_shift",
            r#"every' 3 1 (0.25 ~>) $ s "bd sn""#,
            "-1",
            "3",
            || {
                let f = pf(|p| late(t(1, 4), p));
                Pat::Control(every_offset_pat(
                    &Pattern::pure(3),
                    &Pattern::pure(1),
                    &f,
                    &s("bd sn"),
                ))
            }
        ),
        case!(
            "every'_big_offset",
            r#"every' 3 4 (fast 2) $ s "bd sn""#,
            "0",
            "4",
            || { Pat::Control(every_offset(3, 4, &fast2(), &s("bd sn"))) }
        ),
        case!(
            "every'_pat",
            r#"every' "<3 2>" "0 1" (fast 2) $ s "bd sn""#,
            "0",
            "4",
            || {
                Pat::Control(every_offset_pat(
                    &ni("<3 2>"),
                    &ni("0 1"),
                    &fast2(),
                    &s("bd sn"),
                ))
            }
        ),
        case!(
            "whenmod_speed",
            r#"whenmod 4 2 (# speed 2) $ s "bd sn""#,
            "-2",
            "4",
            || {
                Pat::Control(whenmod(
                    Time::int(4),
                    Time::int(2),
                    &setf(cf("speed", "2")),
                    &s("bd sn"),
                ))
            }
        ),
        case!(
            "whenmod_rev",
            r#"whenmod 4 2 rev $ s "bd sn hh""#,
            "0",
            "4",
            || {
                Pat::Control(whenmod_pat(
                    &Pattern::pure(Time::int(4)),
                    &Pattern::pure(Time::int(2)),
                    &revf(),
                    &s("bd sn hh"),
                ))
            }
        ),
        case!(
            "whenmod_frac",
            r#"whenmod 4 1.5 (fast 2) $ s "a b""#,
            "0",
            "4",
            || { Pat::Control(whenmod(Time::int(4), t(3, 2), &fast2(), &s("a b"))) }
        ),
        case!(
            "when_gt",
            r#"when (> 1) (fast 2) $ s "a b""#,
            "-1",
            "3",
            || { Pat::Control(when(|c| c > 1, &fast2(), &s("a b"))) }
        ),
        case!(
            "whenT_gt",
            r#"whenT (>= 1.5) (fast 2) $ s "a b""#,
            "0",
            "3",
            || { Pat::Control(when_t(|c| c >= t(3, 2), &fast2(), &s("a b"))) }
        ),
        case!(
            "ifp_even",
            r#"ifp ((== 0).(flip mod 2)) (striate 4) (# coarse "24 48") $ s "hh hc""#,
            "0",
            "2",
            || {
                Pat::Control(ifp(
                    |c| c.rem_euclid(2) == 0,
                    &pf(|p| striate(4, p)),
                    &setf(cf("coarse", "24 48")),
                    &s("hh hc"),
                ))
            }
        ),
        case!(
            "within_fast",
            r#"within (0, 0.5) (fast 2) $ s "bd sn hh cp""#,
            "0",
            "2",
            || { Pat::Control(within(Time::ZERO, Time::HALF, &fast2(), &s("bd sn hh cp"))) }
        ),
        case!(
            "within_speed",
            r#"within (0.75, 1) (# speed 0.5) $ s "bd*2 sn lt mt""#,
            "-1",
            "1",
            || {
                Pat::Control(within(
                    t(3, 4),
                    Time::ONE,
                    &setf(cf("speed", "0.5")),
                    &s("bd*2 sn lt mt"),
                ))
            }
        ),
        case!(
            "within'_fast",
            r#"within' (0, 0.25) (fast 2) $ s "bd hh cp sd""#,
            "0",
            "2",
            || {
                Pat::Control(within_prime(
                    Time::ZERO,
                    t(1, 4),
                    &fast2(),
                    &s("bd hh cp sd"),
                ))
            }
        ),
        case!("sew", r#"sew "t f" (n "0*4") (n "1*8")"#, "0", "1", || {
            Pat::Control(sew(&nb("t f"), &n("0*4"), &n("1*8")))
        }),
        case!(
            "sew_slow",
            r#"sew "<t f> [f t]" (s "a*2") (s "b*3")"#,
            "0",
            "2",
            || { Pat::Control(sew(&nb("<t f> [f t]"), &s("a*2"), &s("b*3"))) }
        ),
        case!(
            "stitch",
            r#"stitch "t f t t" (s "a") (s "b")"#,
            "0",
            "1",
            || { Pat::Control(stitch(&nb("t f t t"), &s("a"), &s("b"))) }
        ),
        case!(
            "while",
            r#"while "1 0" (fast 2) $ s "a b c d""#,
            "0",
            "1",
            || { Pat::Control(while_(&nb("1 0"), &fast2(), &s("a b c d"))) }
        ),
        case!(
            "inv_struct",
            r#"inv "t f t"  `struct` s "bd""#,
            "0",
            "1",
            || {
                Pat::Control(tactus_pattern::library::structure::struct_(
                    &inv(&nb("t f t")),
                    &s("bd"),
                ))
            }
        ),
        case!("inv_bool", r#"inv "t f [f t]""#, "0", "1", || Pat::Bool(
            inv(&nb("t f [f t]"))
        )),
        case!(
            "select",
            r#"select "<0 1 0.5>" [s "a", s "b b", s "c*3"]"#,
            "-1",
            "3",
            || {
                Pat::Control(select_pat(
                    &nf("<0 1 0.5>"),
                    vec![s("a"), s("b b"), s("c*3")],
                ))
            }
        ),
        case!(
            "selectF",
            r#"selectF "<0 0.5 1>" [rev, fast 2] $ s "a b""#,
            "0",
            "3",
            || {
                Pat::Control(select_f_pat(
                    &nf("<0 0.5 1>"),
                    vec![revf(), fast2()],
                    &s("a b"),
                ))
            }
        ),
        case!(
            "pickF",
            r#"pickF "<0 1 2 -1>" [rev, fast 2, id] $ s "a b""#,
            "0",
            "4",
            || {
                Pat::Control(pick_f_pat(
                    &ni("<0 1 2 -1>"),
                    vec![revf(), fast2(), pf(|p| p.clone())],
                    &s("a b"),
                ))
            }
        ),
        case!(
            "squeeze",
            r#"squeeze "<0 1>" [s "bd sn", s "hh*3"]"#,
            "0",
            "4",
            || { Pat::Control(squeeze(&ni("<0 1>"), vec![s("bd sn"), s("hh*3")])) }
        ),
        case!(
            "squeeze_sub",
            r#"squeeze "0 [1 2]" [s "a b", s "c", s "d*2"]"#,
            "0",
            "1",
            || { Pat::Control(squeeze(&ni("0 [1 2]"), vec![s("a b"), s("c"), s("d*2")])) }
        ),
        case!(
            "hurry_chunk",
            r#"chunk 4 (hurry 2) $ s "bd sn hh cp""#,
            "0",
            "4",
            || {
                let f = pf(|p| hurry(&Pattern::pure(Time::int(2)), p));
                Pat::Control(tactus_pattern::library::structure::chunk(
                    4,
                    &f,
                    &s("bd sn hh cp"),
                ))
            }
        ),
    ]
}
