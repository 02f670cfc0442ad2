use super::case;
use crate::common::*;
use crate::Case;
use tactus_pattern::core::{fast_pat, rev};
use tactus_pattern::library::control::hurry;
use tactus_pattern::library::ops::set;
use tactus_pattern::library::structure::*;
use tactus_pattern::{PatFn, Pattern, Time, ValueMap};

fn setf(c: Pattern<ValueMap>) -> PatFn<ValueMap> {
    pf(move |p| set(p, &c))
}

pub fn cases() -> Vec<Case> {
    vec![
        case!("struct", r#"struct "t ~ t t" $ s "bd""#, "0", "1", || {
            Pat::Control(struct_(&nb("t ~ t t"), &s("bd")))
        }),
        case!(
            "struct_false",
            r#"struct "t f [t t] <t f>" $ s "bd sn""#,
            "0",
            "2",
            || { Pat::Control(struct_(&nb("t f [t t] <t f>"), &s("bd sn"))) }
        ),
        case!("mask", r#"mask "1 0 1 1" $ s "hh*8""#, "0", "1", || {
            Pat::Control(mask(&nb("1 0 1 1"), &s("hh*8")))
        }),
        case!(
            "mask_frag",
            r#"mask "<1 [0 1]> 1@2" $ s "a*3""#,
            "-1",
            "2",
            || { Pat::Control(mask(&nb("<1 [0 1]> 1@2"), &s("a*3"))) }
        ),
        case!(
            "chunk_speed",
            r#"chunk 4 (# speed 2) $ n "<0 1 2 3 4> 1 2 3""#,
            "0",
            "8",
            || { Pat::Control(chunk(4, &setf(cf("speed", "2")), &n("<0 1 2 3 4> 1 2 3"))) }
        ),
        case!(
            "chunk_pat",
            r#"chunk "<2 3>" (hurry 2) $ s "a b c""#,
            "-2",
            "4",
            || {
                let f = pf(|p| hurry(&Pattern::pure(Time::int(2)), p));
                Pat::Control(chunk_pat(&ni("<2 3>"), &f, &s("a b c")))
            }
        ),
        case!(
            "chunk'",
            r#"chunk' 4 (# speed 2) $ n "<0 1 2 3 4> 1 2 3""#,
            "0",
            "8",
            || {
                Pat::Control(chunk_prime(
                    4,
                    &setf(cf("speed", "2")),
                    &n("<0 1 2 3 4> 1 2 3"),
                ))
            }
        ),
        case!(
            "chunk'_pat",
            r#"chunk' ("<3 2>" :: Pattern Int) (fast 2) $ s "a b c d""#,
            "-1",
            "4",
            || {
                let f = pf(|p| fast_pat(&Pattern::pure(Time::int(2)), p));
                Pat::Control(chunk_prime_pat(&ni("<3 2>"), &f, &s("a b c d")))
            }
        ),
        case!(
            "fit",
            r#"fit 1 ["a","b","c"] (0.5 ~> "0 1")"#,
            "0",
            "2",
            || {
                let xs = vec!["a".to_string(), "b".to_string(), "c".to_string()];
                Pat::Str(fit(1, xs, &late(Time::HALF, &ni("0 1"))))
            }
        ),
        case!(
            "fit_pat",
            r#"fit "<1 2>" ["bd", "sn", "arpy", "arpy:1", "casio"] "0 [~ 1] 2 1""#,
            "-1",
            "3",
            || {
                let xs = ["bd", "sn", "arpy", "arpy:1", "casio"]
                    .iter()
                    .map(|s| s.to_string())
                    .collect();
                Pat::Str(fit_pat(&ni("<1 2>"), xs, &ni("0 [~ 1] 2 1")))
            }
        ),
        case!(
            "bite",
            r#"bite 4 "0 2*2" (n "0 1 2 3 4 5 6 7")"#,
            "0",
            "1",
            || { Pat::Control(bite(4, &ni("0 2*2"), &n("0 1 2 3 4 5 6 7"))) }
        ),
        case!(
            "bite_pat",
            r#"bite "<2 4>" "0 [1 -1]" $ s "a b c <d e>""#,
            "-1",
            "2",
            || { Pat::Control(bite_pat(&ni("<2 4>"), &ni("0 [1 -1]"), &s("a b c <d e>"))) }
        ),
        case!(
            "wedge",
            r#"wedge (1/4) (s "bd*2") (s "hh*3")"#,
            "0",
            "2",
            || { Pat::Control(wedge(t(1, 4), &s("bd*2"), &s("hh*3"))) }
        ),
        case!(
            "wedge_pat",
            r#"wedge "<0.25 0.5 0 1>" (s "bd*2") (s "hh*3")"#,
            "0",
            "4",
            || { Pat::Control(wedge_pat(&nt("<0.25 0.5 0 1>"), &s("bd*2"), &s("hh*3"))) }
        ),
        case!(
            "rot_ctrl",
            r#"rot "<1 2>" $ n "0 1 2 3" # s "arpy""#,
            "0",
            "2",
            || { Pat::Control(rot_map_pat(&ni("<1 2>"), &set(&n("0 1 2 3"), &s("arpy")))) }
        ),
        case!("rot_rest", r#"rot 1 $ n "0 [1 2] ~ 3""#, "0", "1", || {
            Pat::Control(rot_map_pat(&Pattern::pure(1), &n("0 [1 2] ~ 3")))
        }),
        case!("rot_neg", r#"rot "-1 -5" $ s "a b c""#, "0", "1", || {
            Pat::Control(rot_map_pat(&ni("-1 -5"), &s("a b c")))
        }),
        case!("rot_frag", r#"rot 1 $ s "a b c d""#, "1/8", "5/8", || {
            Pat::Control(rot_map_pat(&Pattern::pure(1), &s("a b c d")))
        }),
        case!(
            "rot_slow",
            r#"rot 1 $ fastcat [s "a", slow 2 $ s "b", s "c"]"#,
            "-1",
            "2",
            || {
                let p =
                    tactus_pattern::core::fastcat(vec![s("a"), s("b").slow(Time::int(2)), s("c")]);
                Pat::Control(rot_map_pat(&Pattern::pure(1), &p))
            }
        ),
        case!(
            "arp_up",
            r#"arp "up" $ n "[0,4,7] [4,7,11]""#,
            "0",
            "1",
            || { Pat::Control(arp("up", &n("[0,4,7] [4,7,11]"))) }
        ),
        case!(
            "arp_modes",
            r#"arp (fromList ["up", "down", "updown", "downup", "up&down", "down&up", "converge", "diverge", "disconverge", "pinkyup", "pinkyupdown", "thumbup", "thumbupdown", "pinkydown"]) $ n "[0,4,7,11]""#,
            "0",
            "14",
            || {
                let modes = [
                    "up",
                    "down",
                    "updown",
                    "downup",
                    "up&down",
                    "down&up",
                    "converge",
                    "diverge",
                    "disconverge",
                    "pinkyup",
                    "pinkyupdown",
                    "thumbup",
                    "thumbupdown",
                    "pinkydown",
                ];
                let modes = tactus_pattern::library::signal::from_list(
                    modes.iter().map(|m| m.to_string()).collect(),
                );
                Pat::Control(arp_pat(&modes, &n("[0,4,7,11]")))
            }
        ),
        case!(
            "arp_two",
            r#"arp "<updown thumbup>" $ n "[0,4] [1,5,8]""#,
            "0",
            "2",
            || { Pat::Control(arp_pat(&mn("<updown thumbup>"), &n("[0,4] [1,5,8]"))) }
        ),
        case!(
            "arpeggiate",
            r#"arpeggiate $ 0.25 ~> n "[0,4,7] <[3,5] 2>""#,
            "-1",
            "2",
            || { Pat::Control(arpeggiate(&late(t(1, 4), &n("[0,4,7] <[3,5] 2>")))) }
        ),
        case!(
            "arp_frag",
            r#"arp "down" $ n "[0,4,7]""#,
            "1/6",
            "5/6",
            || Pat::Control(arp("down", &n("[0,4,7]")))
        ),
        case!(
            "layer_rev",
            r#"rev $ struct "t t f t" $ s "a""#,
            "0",
            "1",
            || { Pat::Control(rev(&struct_(&nb("t t f t"), &s("a")))) }
        ),
    ]
}
