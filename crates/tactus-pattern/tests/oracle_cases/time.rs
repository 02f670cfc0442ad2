use super::case;
use crate::common::*;
use crate::Case;
use tactus_pattern::core::{fast, fast_gap, fast_pat, rev};
use tactus_pattern::library::layering::*;
use tactus_pattern::library::ops::{op_map, set, Structure, ValueOp};
use tactus_pattern::library::time::*;
use tactus_pattern::{NumOp, PatFn, Pattern, Span, Time, ValueMap};

fn setf(c: Pattern<ValueMap>) -> PatFn<ValueMap> {
    pf(move |p| set(p, &c))
}

fn fast2<T: tactus_pattern::PatValue>() -> PatFn<T> {
    pf(|p| fast_pat(&Pattern::pure(Time::int(2)), p))
}

fn revf<T: tactus_pattern::PatValue>() -> PatFn<T> {
    pf(rev)
}

fn k(n: i64) -> Pattern<Time> {
    Pattern::pure(Time::int(n))
}

pub fn cases() -> Vec<Case> {
    vec![
        case!(
            "off",
            r#"off 0.125 (# crush 4) $ s "bd sn""#,
            "0",
            "1",
            || { Pat::Control(off(t(1, 8), &setf(cf("crush", "4")), &s("bd sn"))) }
        ),
        case!(
            "off_pat",
            r#"off "<0.25 0.125>" (|+ n 12) $ n "0 1""#,
            "-1",
            "2",
            || {
                let f = pf(|p| op_map(Structure::Left, ValueOp::Num(NumOp::Add), p, &n("12")));
                Pat::Control(off_pat(&nt("<0.25 0.125>"), &f, &n("0 1")))
            }
        ),
        case!(
            "superimpose",
            r#"superimpose (fast 2) $ s "bd sn""#,
            "0",
            "1",
            || { Pat::Control(superimpose(&fast2(), &s("bd sn"))) }
        ),
        case!(
            "overlay",
            r#"overlay (s "bd") (s "hh*2")"#,
            "0",
            "1",
            || Pat::Control(overlay(&s("bd"), &s("hh*2")))
        ),
        case!(
            "layer",
            r#"layer [rev, fast 2] $ s "a b""#,
            "0",
            "1",
            || { Pat::Control(layer(&[revf(), fast2()], &s("a b"))) }
        ),
        case!(
            "spread_fast",
            r#"spread fast [1,2] $ s "bd sn""#,
            "0",
            "2",
            || {
                Pat::Control(spread(
                    |r: &Time, p| fast(*r, p),
                    &[Time::ONE, Time::int(2)],
                    &s("bd sn"),
                ))
            }
        ),
        case!(
            "slowspread",
            r#"slowspread ($) [id, rev, fast 2] $ s "<a b> c""#,
            "-1",
            "4",
            || {
                Pat::Control(slowspread(
                    |f: &PatFn<ValueMap>, p| f(p),
                    &[pf(|p| p.clone()), revf(), fast2()],
                    &s("<a b> c"),
                ))
            }
        ),
        case!(
            "fastspread",
            r#"fastspread ($) [id, rev] $ s "bd sn""#,
            "0",
            "2",
            || {
                Pat::Control(fastspread(
                    |f: &PatFn<ValueMap>, p| f(p),
                    &[pf(|p| p.clone()), revf()],
                    &s("bd sn"),
                ))
            }
        ),
        case!(
            "spreadf",
            r#"spreadf [rev, fast 2] $ s "a b c""#,
            "0",
            "2",
            || { Pat::Control(spreadf(&[revf(), fast2()], &s("a b c"))) }
        ),
        case!(
            "stutWith",
            r#"stutWith 3 (1/3) (# speed 2) $ s "bd sn""#,
            "0",
            "2",
            || { Pat::Control(stut_with(3, t(1, 3), &setf(cf("speed", "2")), &s("bd sn"))) }
        ),
        case!(
            "stutWith_pat",
            r#"stutWith "<3 2>" "<0.125 0.25>" (|* speed 2) $ s "bd" # speed 1"#,
            "-1",
            "2",
            || {
                let f = pf(|p| {
                    op_map(
                        Structure::Left,
                        ValueOp::Num(NumOp::Mul),
                        p,
                        &cf("speed", "2"),
                    )
                });
                Pat::Control(stut_with_pat(
                    &ni("<3 2>"),
                    &nt("<0.125 0.25>"),
                    &f,
                    &set(&s("bd"), &cf("speed", "1")),
                ))
            }
        ),
        case!(
            "echo",
            r#"echo 0.2 $ s "bd sn""#,
            "0",
            "1",
            || Pat::Control(echo(t(1, 5), &s("bd sn")))
        ),
        case!("stutter", r#"stutter 4 (1/16) $ s "bd""#, "0", "1", || {
            Pat::Control(stutter(4, t(1, 16), &s("bd")))
        }),
        case!("ply", r#"ply 2 $ s "bd ~ sn""#, "0", "1", || Pat::Control(
            ply(Time::int(2), &s("bd ~ sn"))
        )),
        case!("ply_pat", r#"ply "<2 3>" $ s "bd sn""#, "0", "2", || {
            Pat::Control(ply_pat(&nt("<2 3>"), &s("bd sn")))
        }),
        case!("ply_frac", r#"ply 1.5 $ s "bd sn""#, "0", "1", || {
            Pat::Control(ply(t(3, 2), &s("bd sn")))
        }),
        case!(
            "ply_shift",
            r#"ply 2 $ 0.25 ~> s "bd sn""#,
            "-1",
            "1",
            || { Pat::Control(ply(Time::int(2), &late(t(1, 4), &s("bd sn")))) }
        ),
        case!(
            "plyWith",
            r#"plyWith 3 (|* gain 0.8) $ s "a b""#,
            "0",
            "1",
            || {
                let f = pf(|p| {
                    op_map(
                        Structure::Left,
                        ValueOp::Num(NumOp::Mul),
                        p,
                        &cf("gain", "0.8"),
                    )
                });
                Pat::Control(ply_with(3.0, &f, &s("a b")))
            }
        ),
        case!(
            "plyWith_pat",
            r#"plyWith ("<2 2.5>" :: Pattern Double) (fast 2) $ s "a b""#,
            "0",
            "2",
            || { Pat::Control(ply_with_pat(&nf("<2 2.5>"), &fast2(), &s("a b"))) }
        ),
        case!("iter", r#"iter 4 $ s "bd hh sn cp""#, "0", "4", || {
            Pat::Control(iter(4, &s("bd hh sn cp")))
        }),
        case!("iter_cat", r#"iter 4 $ s "<a b> c d e""#, "-4", "4", || {
            Pat::Control(iter(4, &s("<a b> c d e")))
        }),
        case!("iter'", r#"iter' 4 $ s "bd hh sn cp""#, "0", "4", || {
            Pat::Control(iter_prime(4, &s("bd hh sn cp")))
        }),
        case!("iter_pat", r#"iter "<2 3>" $ s "a b c""#, "0", "4", || {
            Pat::Control(iter_pat(&ni("<2 3>"), &s("a b c")))
        }),
        case!(
            "palindrome",
            r#"palindrome $ s "bd hh sn""#,
            "-2",
            "4",
            || Pat::Control(palindrome(&s("bd hh sn")))
        ),
        case!(
            "inside",
            r#"inside 2 rev $ s "bd sn hh cp""#,
            "0",
            "1",
            || Pat::Control(inside(Time::int(2), &revf(), &s("bd sn hh cp")))
        ),
        case!(
            "inside_pat",
            r#"inside "<2 4>" rev $ s "a b c d""#,
            "0",
            "2",
            || { Pat::Control(inside_pat(&nt("<2 4>"), &revf(), &s("a b c d"))) }
        ),
        case!(
            "outside",
            r#"outside 2 rev $ s "<a b> c""#,
            "0",
            "4",
            || Pat::Control(outside(Time::int(2), &revf(), &s("<a b> c")))
        ),
        case!("swingBy", r#"swingBy (1/3) 4 $ s "hh*8""#, "0", "1", || {
            Pat::Control(swing_by(&Pattern::pure(t(1, 3)), &k(4), &s("hh*8")))
        }),
        case!("swing", r#"swing "<2 4>" $ s "hh*8""#, "0", "2", || {
            Pat::Control(swing(&nt("<2 4>"), &s("hh*8")))
        }),
        case!("brak", r#"brak $ s "bd sn""#, "-2", "4", || Pat::Control(
            brak(&s("bd sn"))
        )),
        case!("press", r#"press $ s "bd sn""#, "0", "1", || Pat::Control(
            press(&s("bd sn"))
        )),
        case!(
            "pressBy",
            r#"pressBy "<0.25 0.5>" $ s "bd [sn cp]""#,
            "0",
            "2",
            || { Pat::Control(press_by_pat(&nt("<0.25 0.5>"), &s("bd [sn cp]"))) }
        ),
        case!("fastGap", r#"fastGap 2 $ s "bd sn""#, "0", "1", || {
            Pat::Control(fast_gap(Time::int(2), &s("bd sn")))
        }),
        case!(
            "fastGap_pat",
            r#"fastGap "<3 1.5>" $ s "a b c""#,
            "-1",
            "2",
            || { Pat::Control(fast_gap_pat(&nt("<3 1.5>"), &s("a b c"))) }
        ),
        case!(
            "compress",
            r#"compress (0.25, 0.75) $ s "bd sn""#,
            "0",
            "1",
            || { Pat::Control(compress(t(1, 4), t(3, 4), &s("bd sn"))) }
        ),
        case!(
            "zoom",
            r#"zoom (0.25, 0.75) $ s "bd sn hh cp""#,
            "0",
            "2",
            || { Pat::Control(zoom(t(1, 4), t(3, 4), &s("bd sn hh cp"))) }
        ),
        case!(
            "zoomArc",
            r#"zoomArc (Arc 0.25 1.25) $ s "<a b> c""#,
            "0",
            "2",
            || { Pat::Control(zoom_arc(Span::new(t(1, 4), t(5, 4)), &s("<a b> c"))) }
        ),
        case!(
            "compressTo",
            r#"compressTo (1.25, 1.75) $ s "a b""#,
            "0",
            "1",
            || { Pat::Control(compress_to(t(5, 4), t(7, 4), &s("a b"))) }
        ),
        case!(
            "linger",
            r#"linger 0.25 $ s "bd sn hh cp""#,
            "0",
            "2",
            || Pat::Control(linger(t(1, 4), &s("bd sn hh cp")))
        ),
        case!(
            "linger_pat",
            r#"linger "<0.25 0.5>" $ n "<0 1> 2 3 4""#,
            "0",
            "4",
            || { Pat::Control(linger_pat(&nt("<0.25 0.5>"), &n("<0 1> 2 3 4"))) }
        ),
        case!(
            "linger_neg",
            r#"linger (-0.25) $ n "0 1 2 [3 4]""#,
            "0",
            "1",
            || Pat::Control(linger(t(-1, 4), &n("0 1 2 [3 4]")))
        ),
        case!(
            "trunc",
            r#"trunc 0.75 $ s "bd sn*2 cp hh*4""#,
            "0",
            "1",
            || { Pat::Control(trunc(t(3, 4), &s("bd sn*2 cp hh*4"))) }
        ),
        case!(
            "trunc_pat",
            r#"trunc "<0.6 0.3>" $ s "a b@2 c""#,
            "-1",
            "2",
            || { Pat::Control(trunc_pat(&nt("<0.6 0.3>"), &s("a b@2 c"))) }
        ),
        case!(
            "fastSqueeze",
            r#"fastSqueeze "1 2" $ s "bd sn""#,
            "0",
            "1",
            || Pat::Control(fast_squeeze(&nt("1 2"), &s("bd sn")))
        ),
        case!(
            "slowSqueeze",
            r#"slowSqueeze "<1 2> 2" $ s "a b c d""#,
            "0",
            "2",
            || { Pat::Control(slow_squeeze(&nt("<1 2> 2"), &s("a b c d"))) }
        ),
        case!(
            "edge_fastGap_neg",
            r#"fastGap (-2) $ s "a b""#,
            "0",
            "1",
            || Pat::Control(fast_gap(Time::int(-2), &s("a b")))
        ),
        case!(
            "edge_fastGap_half",
            r#"fastGap 0.5 $ s "a b""#,
            "0",
            "1",
            || Pat::Control(fast_gap(Time::HALF, &s("a b")))
        ),
        case!(
            "edge_wedge_big",
            r#"wedge 1.5 (s "a") (s "b c")"#,
            "0",
            "2",
            || {
                Pat::Control(tactus_pattern::library::structure::wedge(
                    t(3, 2),
                    &s("a"),
                    &s("b c"),
                ))
            }
        ),
        case!(
            "edge_ply0",
            r#"ply 0 $ s "a b""#,
            "0",
            "1",
            || Pat::Control(ply(Time::ZERO, &s("a b")))
        ),
        case!("edge_ply_neg", r#"ply (-2) $ s "a b""#, "0", "1", || {
            Pat::Control(ply(Time::int(-2), &s("a b")))
        }),
        case!("edge_segment0", r#"segment 0 $ s "a b""#, "0", "1", || {
            Pat::Control(tactus_pattern::library::signal::segment(
                Time::ZERO,
                &s("a b"),
            ))
        }),
        case!("edge_iter0", r#"iter 0 $ s "a b""#, "0", "1", || {
            Pat::Control(iter(0, &s("a b")))
        }),
        case!("edge_iter_neg", r#"iter (-2) $ s "a b""#, "0", "2", || {
            Pat::Control(iter(-2, &s("a b")))
        }),
        case!("edge_chop0", r#"chop 0 $ s "a b""#, "0", "1", || {
            Pat::Control(tactus_pattern::library::sample::chop(0, &s("a b")))
        }),
        case!("edge_striate0", r#"striate 0 $ s "a b""#, "0", "1", || {
            Pat::Control(tactus_pattern::library::sample::striate(0, &s("a b")))
        }),
        case!(
            "edge_stutWith0",
            r#"stutWith 0 0.25 (# speed 2) $ s "a b""#,
            "0",
            "1",
            || { Pat::Control(stut_with(0, t(1, 4), &setf(cf("speed", "2")), &s("a b"))) }
        ),
        case!(
            "edge_every_neg",
            r#"every (-3) (fast 2) $ s "a b""#,
            "-3",
            "3",
            || {
                Pat::Control(tactus_pattern::library::conditional::every(
                    -3,
                    &fast2(),
                    &s("a b"),
                ))
            }
        ),
        case!("edge_trunc_big", r#"trunc 1.5 $ s "a b""#, "0", "1", || {
            Pat::Control(trunc(t(3, 2), &s("a b")))
        }),
        case!(
            "edge_inside0",
            r#"inside 0 rev $ s "a b""#,
            "0",
            "1",
            || Pat::Control(inside(Time::ZERO, &revf(), &s("a b")))
        ),
    ]
}
