//! Property tests for the library: splitting a query does not change which events start in
//! it, and algebraic identities Tidal's functions obey.

mod common;

use common::*;
use proptest::prelude::*;
use tactus_pattern::core::{fast, rev, slow};
use tactus_pattern::library::conditional::{every, within};
use tactus_pattern::library::layering::off;
use tactus_pattern::library::ops::set;
use tactus_pattern::library::sample::{chop, striate};
use tactus_pattern::library::signal::{run, segment, tri};
use tactus_pattern::library::structure::{chunk, mask, struct_};
use tactus_pattern::library::time::{
    brak, inside, iter, linger, palindrome, ply, press, stutter, swing_by, trunc,
};
use tactus_pattern::{Hap, PatValue, Pattern, Span, Time, ValueMap};

fn onsets<T: PatValue + PartialEq + std::fmt::Debug>(
    p: &Pattern<T>,
    span: Span,
) -> Vec<(Span, String)> {
    let mut v: Vec<(Span, String)> = p
        .query_span(span)
        .into_iter()
        .filter(Hap::has_onset)
        .map(|h| (h.whole.unwrap(), format!("{:?}", h.value)))
        .collect();
    v.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
    v
}

fn all_events<T: PatValue + std::fmt::Debug>(p: &Pattern<T>, span: Span) -> Vec<String> {
    let mut v: Vec<String> = p
        .query_span(span)
        .into_iter()
        .map(|h| format!("{:?} {:?} {:?}", h.whole, h.part, h.value))
        .collect();
    v.sort();
    v
}

fn control_patterns() -> Vec<(&'static str, Pattern<ValueMap>)> {
    let base = s("bd [sn cp] <hh oh> ~");
    let f2 = pf(|p| fast(Time::int(2), p));
    vec![
        ("every", every(3, &f2, &base)),
        ("within", within(Time::ZERO, Time::HALF, &f2, &base)),
        ("off", off(t(1, 8), &pf(rev), &base)),
        ("ply", ply(Time::int(3), &base)),
        ("iter", iter(4, &base)),
        ("palindrome", palindrome(&base)),
        ("chunk", chunk(4, &f2, &base)),
        ("linger", linger(t(1, 4), &base)),
        ("trunc", trunc(t(3, 4), &base)),
        ("brak", brak(&base)),
        ("press", press(&base)),
        ("stutter", stutter(3, t(1, 16), &base)),
        ("inside", inside(Time::int(2), &pf(rev), &base)),
        (
            "swing",
            swing_by(&Pattern::pure(t(1, 3)), &Pattern::pure(Time::int(4)), &base),
        ),
        ("struct", struct_(&nb("t f t t"), &base)),
        ("mask", mask(&nb("1 0 1 1"), &base)),
        ("chop", chop(3, &base)),
        ("striate", striate(2, &base)),
        ("set", set(&base, &n("0 1 2"))),
    ]
}

fn time_strategy() -> impl Strategy<Value = Time> {
    (-24i64..48, 1i64..7).prop_map(|(n, d)| Time::new(n, d))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn splitting_a_query_keeps_the_onsets(a in time_strategy(), w1 in 1i64..12, w2 in 1i64..12) {
        let b = a + Time::new(w1, 4);
        let c = b + Time::new(w2, 4);
        for (name, p) in control_patterns() {
            let whole = onsets(&p, Span::new(a, c));
            let mut split = onsets(&p, Span::new(a, b));
            split.extend(onsets(&p, Span::new(b, c)));
            split.sort_by(|x, y| x.0.cmp(&y.0).then_with(|| x.1.cmp(&y.1)));
            prop_assert_eq!(whole, split, "{}", name);
        }
    }

    #[test]
    fn fast_undoes_slow(a in time_strategy(), r in 1i64..6) {
        let span = Span::new(a, a + Time::int(2));
        for (name, p) in control_patterns() {
            let q = fast(Time::int(r), &slow(Time::int(r), &p));
            prop_assert_eq!(all_events(&q, span), all_events(&p, span), "{}", name);
        }
    }

    #[test]
    fn rev_is_an_involution_per_cycle(c in -8i64..8) {
        let span = Span::new(Time::int(c), Time::int(c + 1));
        for (name, p) in control_patterns() {
            let twice = rev(&rev(&p));
            prop_assert_eq!(onsets(&twice, span), onsets(&p, span), "{}", name);
        }
    }

    #[test]
    fn segment_samples_signals_at_step_midpoints(n in 1i64..9, c in -4i64..4) {
        let p = segment(Time::int(n), &tri());
        for h in p.query_span(Span::new(Time::int(c), Time::int(c + 1))) {
            let w = h.whole.unwrap();
            let direct = tri().query_span(w)[0].value;
            prop_assert!((h.value - direct).abs() < 1e-12);
        }
    }
}

#[test]
fn run_counts_up() {
    let h = run(5i64).query_span(Span::new(Time::int(-1), Time::ZERO));
    assert_eq!(
        h.iter().map(|h| h.value).collect::<Vec<_>>(),
        vec![0, 1, 2, 3, 4]
    );
}

#[test]
fn every_one_is_always() {
    let p = s("a b c");
    let f = pf(rev);
    let span = Span::new(Time::int(-3), Time::int(3));
    assert_eq!(
        all_events(&every(1, &f, &p), span),
        all_events(&rev(&p), span)
    );
}

#[test]
fn chop_and_striate_on_one_event_agree() {
    // For a single event per cycle, chop n and striate n give the same begin/end values.
    let p = s("bev");
    let span = Span::new(Time::ZERO, Time::int(2));
    assert_eq!(
        all_events(&chop(4, &p), span),
        all_events(&striate(4, &p), span)
    );
}
