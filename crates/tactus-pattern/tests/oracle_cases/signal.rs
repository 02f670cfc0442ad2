use super::case;
use crate::common::*;
use crate::Case;
use tactus_pattern::library::control::param_f64;
use tactus_pattern::library::harmony::*;
use tactus_pattern::library::ops::set;
use tactus_pattern::library::signal::*;
use tactus_pattern::{Pattern, Time, Value, ValueMap};

fn with(p: &str, name: &str, sig: Pattern<f64>) -> Pattern<ValueMap> {
    set(&s(p), &param_f64(name, &sig))
}

fn note(p: Pattern<f64>) -> Pattern<ValueMap> {
    tactus_pattern::library::control::param("n", &p.fmap(|x| Value::Note(*x)))
}

pub fn cases() -> Vec<Case> {
    vec![
        case!("sig_sine", r#"s "bd*4" # pan sine"#, "0", "1", || {
            Pat::Control(with("bd*4", "pan", sine()))
        }),
        case!("sig_cosine", r#"s "bd*4" # pan cosine"#, "-1", "1", || {
            Pat::Control(with("bd*4", "pan", cosine()))
        }),
        case!(
            "sig_saw",
            r#"s "bd*4" # cutoff (range 200 2000 saw)"#,
            "0",
            "1",
            || {
                let r = range(&Pattern::pure(200.0), &Pattern::pure(2000.0), &saw());
                Pat::Control(with("bd*4", "cutoff", r))
            }
        ),
        case!(
            "sig_rangex_tri",
            r#"s "bd*8" # speed (rangex 1 4 tri)"#,
            "0",
            "1",
            || { Pat::Control(with("bd*8", "speed", rangex(1.0, 4.0, &tri()))) }
        ),
        case!("sig_square", r#"s "bd*4" # pan square"#, "-1", "1", || {
            Pat::Control(with("bd*4", "pan", square()))
        }),
        case!("sig_isaw", r#"s "bd*4" # pan isaw"#, "0", "1", || {
            Pat::Control(with("bd*4", "pan", isaw()))
        }),
        case!("sig_tri_direct", r#"tri"#, "1/3", "1/2", || Pat::F64(tri())),
        case!("sig_sine_neg", r#"sine"#, "-1/2", "-1/4", || Pat::F64(
            sine()
        )),
        case!("sig_saw_zero", r#"saw"#, "3/4", "3/4", || Pat::F64(saw())),
        case!("sig_envL", r#"segment 4 $ slow 2 envL"#, "-1", "3", || {
            Pat::F64(segment(Time::int(4), &env_l().slow(Time::int(2))))
        }),
        case!("sig_envLR", r#"segment 2 envLR"#, "0", "2", || Pat::F64(
            segment(Time::int(2), &env_lr())
        )),
        case!("sig_envEq", r#"segment 4 envEq"#, "0", "2", || Pat::F64(
            segment(Time::int(4), &env_eq())
        )),
        case!("sig_envEqR", r#"segment 4 envEqR"#, "-1", "1", || Pat::F64(
            segment(Time::int(4), &env_eq_r())
        )),
        case!("segment_ctrl", r#"segment 4 $ s "bd""#, "0", "1", || {
            Pat::Control(segment(Time::int(4), &s("bd")))
        }),
        case!("segment_saw", r#"segment 4 saw"#, "0", "2", || Pat::F64(
            segment(Time::int(4), &saw())
        )),
        case!(
            "segment_pat_range",
            r#"segment "<2 4>" $ range 1 5 saw"#,
            "-1",
            "2",
            || {
                let r = range(&Pattern::pure(1.0), &Pattern::pure(5.0), &saw());
                Pat::F64(segment_pat(&nt("<2 4>"), &r))
            }
        ),
        case!(
            "range_pat_bounds",
            r#"segment 4 $ range "1 2" "<5 10>" sine"#,
            "0",
            "2",
            || {
                Pat::F64(segment(
                    Time::int(4),
                    &range(&nf("1 2"), &nf("<5 10>"), &sine()),
                ))
            }
        ),
        case!(
            "range_discrete",
            r#"range 1 "2 3" "0 0.5 1""#,
            "0",
            "1",
            || { Pat::F64(range(&Pattern::pure(1.0), &nf("2 3"), &nf("0 0.5 1"))) }
        ),
        case!("discretise", r#"discretise 3 sine"#, "0", "1", || Pat::F64(
            discretise(&Pattern::pure(Time::int(3)), &sine())
        )),
        case!(
            "quantise_saw",
            r#"n (quantise 1 $ segment 4 $ range 0 3 saw) # s "x""#,
            "0",
            "2",
            || {
                let r = range(&Pattern::pure(0.0), &Pattern::pure(3.0), &saw());
                Pat::Control(set(
                    &note(quantise(1.0, &segment(Time::int(4), &r))),
                    &s("x"),
                ))
            }
        ),
        case!(
            "quantise_halves",
            r#"quantise 1 "0.5 1.5 2.5 -0.5 -1.5 0.49""#,
            "0",
            "1",
            || { Pat::F64(quantise(1.0, &nf("0.5 1.5 2.5 -0.5 -1.5 0.49"))) }
        ),
        case!(
            "quantise_tenths",
            r#"quantise 10 "0.123 0.155 -0.17""#,
            "0",
            "1",
            || { Pat::F64(quantise(10.0, &nf("0.123 0.155 -0.17"))) }
        ),
        case!("qfloor", r#"qfloor 2 "0.3 0.8 -0.3""#, "0", "1", || {
            Pat::F64(qfloor(2.0, &nf("0.3 0.8 -0.3")))
        }),
        case!("qceiling", r#"qceiling 2 "0.3 0.8 -0.3""#, "0", "1", || {
            Pat::F64(qceiling(2.0, &nf("0.3 0.8 -0.3")))
        }),
        case!("run_ctrl", r#"n (run 4) # s "arpy""#, "0", "2", || {
            Pat::Control(set(&note(run_pat(&Pattern::pure(4.0))), &s("arpy")))
        }),
        case!("run_pat", r#"run "<4 8> 2""#, "0", "2", || Pat::F64(
            run_pat(&nf("<4 8> 2"))
        )),
        case!("run_frac", r#"run "2.5 3.4""#, "0", "1", || Pat::F64(
            run_pat(&nf("2.5 3.4"))
        )),
        case!("run_int", r#"run "<4 0 -2>""#, "-1", "3", || Pat::I64(
            run_pat(&ni("<4 0 -2>"))
        )),
        case!("scan_ctrl", r#"n (scan 4) # s "arpy""#, "0", "4", || {
            Pat::Control(set(&note(scan_pat(&Pattern::pure(4.0))), &s("arpy")))
        }),
        case!("scan_pat", r#"scan "<2 3>""#, "-2", "4", || Pat::F64(
            scan_pat(&nf("<2 3>"))
        )),
        case!(
            "toScale",
            r#"n (toScale [0,2,4,5,7,9,11] "0 1 2 3 7") # s "superpiano""#,
            "0",
            "1",
            || {
                let p = to_scale(vec![0.0, 2.0, 4.0, 5.0, 7.0, 9.0, 11.0], &ni("0 1 2 3 7"));
                Pat::Control(set(&note(p), &s("superpiano")))
            }
        ),
        case!(
            "toScale_neg",
            r#"toScale [0, 4, 7] "-1 -4 5 <9 10>""#,
            "0",
            "2",
            || { Pat::F64(to_scale(vec![0.0, 4.0, 7.0], &ni("-1 -4 5 <9 10>"))) }
        ),
        case!(
            "toScale'",
            r#"toScale' 10 [0, 2, 4] "-1 5 6""#,
            "0",
            "1",
            || { Pat::F64(to_scale_prime(10, vec![0.0, 2.0, 4.0], &ni("-1 5 6"))) }
        ),
        case!("toScale_empty", r#"toScale [] "0 1""#, "0", "1", || {
            Pat::F64(to_scale(Vec::<f64>::new(), &ni("0 1")))
        }),
        case!(
            "scale_major",
            r#"n (scale "major" "0 1 2 3 4") # s "superpiano""#,
            "0",
            "1",
            || {
                let p: Pattern<f64> = scale(&Pattern::pure("major".to_string()), &ni("0 1 2 3 4"));
                Pat::Control(set(&note(p), &s("superpiano")))
            }
        ),
        case!(
            "scale_pat",
            r#"n (scale "<minor dorian>" "0 2 4") # s "superpiano""#,
            "0",
            "2",
            || {
                let p: Pattern<f64> = scale(&mn("<minor dorian>"), &ni("0 2 4"));
                Pat::Control(set(&note(p), &s("superpiano")))
            }
        ),
        case!(
            "scale_struct",
            r#"scale "major [minor ritusen]" "0 [-1 -8] 9""#,
            "0",
            "1",
            || { Pat::F64(scale(&mn("major [minor ritusen]"), &ni("0 [-1 -8] 9"))) }
        ),
        case!(
            "scale_unknown",
            r#"scale "nope" "0 1 -2""#,
            "0",
            "1",
            || Pat::F64(scale(&mn("nope"), &ni("0 1 -2")))
        ),
        case!(
            "scale_quarter",
            r#"scale "<bayati rast>" "1 6 7 -1""#,
            "0",
            "2",
            || { Pat::F64(scale(&mn("<bayati rast>"), &ni("1 6 7 -1"))) }
        ),
    ]
}
