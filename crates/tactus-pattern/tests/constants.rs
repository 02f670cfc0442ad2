//! Constant patterns (`pure`, and what `fmap` and `app_both` make of them) let `app_left`
//! skip querying its right side. The fast path must give exactly the haps the general path
//! gives; here the general path is forced by hiding the same constant behind a plain query.
//! The same holds for `inner_bind` over a constant (built once) and for `fmap_owned`.

use tactus_pattern::core::{fast, slow};
use tactus_pattern::{Pattern, Span, Time};

/// The same pattern, without the constant marker.
fn opaque<T: tactus_pattern::PatValue>(p: &Pattern<T>) -> Pattern<T> {
    let p = p.clone();
    Pattern::new(move |st| p.query(st))
}

fn spans() -> Vec<Span> {
    let t = |n, d| Time::new(n, d);
    vec![
        Span::new(t(0, 1), t(1, 1)),
        Span::new(t(1, 3), t(7, 3)),
        Span::new(t(5, 4), t(5, 4)),
        Span::new(t(-3, 2), t(1, 5)),
        Span::new(t(99, 100), t(301, 100)),
    ]
}

#[test]
fn app_left_with_a_constant_equals_the_general_path() {
    // lefts whose wholes cross cycle boundaries, are shorter than a cycle, or are shifted
    let lefts: Vec<Pattern<i64>> = vec![
        Pattern::fastcat(vec![Pattern::pure(1), Pattern::pure(2), Pattern::pure(3)]),
        slow(
            Time::new(5, 2),
            &Pattern::fastcat(vec![Pattern::pure(4), Pattern::pure(5)]),
        ),
        fast(Time::int(7), &Pattern::pure(6)).rotate_right(Time::new(1, 100)),
    ];
    let constants: Vec<Pattern<i64>> = vec![
        Pattern::pure(10),
        Pattern::pure(3).fmap(|x| x * 100),
        Pattern::pure(2).app_both(&Pattern::pure(5), |a, b| a * b),
    ];
    for left in &lefts {
        for c in &constants {
            let fast_path = left.app_left(c, |a, b| a + b);
            let general = left.app_left(&opaque(c), |a, b| a + b);
            for span in spans() {
                assert_eq!(
                    fast_path.query_span(span),
                    general.query_span(span),
                    "span {span:?}"
                );
            }
        }
    }
}

#[test]
fn derived_constants_query_like_pure() {
    let both = Pattern::pure(2).app_both(&Pattern::pure(5), |a, b| a * b);
    let mapped = Pattern::pure(7).fmap(|x| x + 3);
    for span in spans() {
        assert_eq!(both.query_span(span), Pattern::pure(10).query_span(span));
        assert_eq!(mapped.query_span(span), Pattern::pure(10).query_span(span));
    }
}

#[test]
fn inner_bind_over_a_constant_equals_the_general_path() {
    // inner patterns with context (atoms), wholes crossing cycle boundaries, and shifts
    fn src(a: usize, b: usize) -> Option<tactus_pattern::SrcSpan> {
        Some(tactus_pattern::SrcSpan::new(a, b))
    }
    fn make(k: &i64) -> Pattern<i64> {
        let k = *k;
        slow(
            Time::new(3, 2),
            &Pattern::fastcat(vec![
                Pattern::atom(k, src(0, 1)),
                Pattern::atom(k + 1, src(2, 3)),
                Pattern::pure(k + 2),
            ]),
        )
        .rotate_right(Time::new(1, 7))
    }
    let outers: Vec<Pattern<i64>> = vec![
        Pattern::pure(1),
        Pattern::pure(2).fmap(|x| x * 10),
        Pattern::pure(2).app_both(&Pattern::pure(3), |a, b| a + b),
    ];
    for outer in &outers {
        let fast_path = outer.inner_bind(make);
        let general = opaque(outer).inner_bind(make);
        for span in spans() {
            let got = fast_path.query_span(span);
            assert_eq!(got, general.query_span(span), "span {span:?}");
            if span.begin < span.end {
                assert!(!got.is_empty(), "span {span:?}");
            }
        }
    }
}

#[test]
fn fmap_owned_equals_fmap() {
    let p = Pattern::fastcat(vec![
        Pattern::atom(vec![1, 2], Some(tactus_pattern::SrcSpan::new(0, 3))),
        Pattern::pure(vec![3]),
    ]);
    let by_ref = p.fmap(|v| v.iter().sum::<i64>());
    let owned = p.fmap_owned(|v| v.into_iter().sum::<i64>());
    for span in spans() {
        assert_eq!(
            owned.query_span(span),
            by_ref.query_span(span),
            "span {span:?}"
        );
    }
    let c = Pattern::pure(vec![4, 5]).fmap_owned(|v| v.len());
    for span in spans() {
        assert_eq!(c.query_span(span), Pattern::pure(2).query_span(span));
    }
}

#[test]
fn op_map_merging_in_place_equals_building_new_maps() {
    // `op_map` with left structure (`# pan 0`, `|* gain 0.8`, `|< n 3`, `# pan sine`-like)
    // merges into each left map in place, moving it into its last match; the result must be
    // the maps `app_left` with `apply_map` builds, for constant and non-constant right sides
    use tactus_pattern::library::ops::{op_map, Structure, ValueOp};
    use tactus_pattern::value::NumOp;
    use tactus_pattern::{Value, ValueMap};
    let map = |pairs: &[(&str, Value)]| {
        pairs.iter().fold(ValueMap::new(), |mut m, (k, v)| {
            m.insert(*k, v.clone());
            m
        })
    };
    let lefts: Vec<Pattern<ValueMap>> = vec![
        Pattern::fastcat(vec![
            Pattern::pure(map(&[("s", Value::str("bd")), ("gain", Value::Float(0.5))])),
            Pattern::pure(map(&[("s", Value::str("sn"))])),
        ]),
        slow(
            Time::new(5, 2),
            &Pattern::pure(map(&[("n", Value::Note(2.0)), ("pan", Value::Float(0.25))])),
        )
        .rotate_right(Time::new(1, 100)),
    ];
    let constant_maps = [
        map(&[("pan", Value::Float(0.0))]),
        map(&[("gain", Value::Float(0.8)), ("s", Value::str("hh"))]),
        map(&[
            ("n", Value::Note(3.0)),
            ("a", Value::Int(1)),
            ("z", Value::Int(2)),
        ]),
    ];
    let mut rights: Vec<Pattern<ValueMap>> = Vec::new();
    for m in &constant_maps {
        rights.push(Pattern::pure(m.clone()));
        rights.push(opaque(&Pattern::pure(m.clone())));
    }
    // several right haps per left hap: the left map is cloned for all but the last
    rights.push(fast(
        Time::int(3),
        &Pattern::fastcat(vec![
            Pattern::pure(constant_maps[0].clone()),
            Pattern::pure(constant_maps[1].clone()),
        ]),
    ));
    let ops = [
        ValueOp::KeepRight,
        ValueOp::KeepLeft,
        ValueOp::Num(NumOp::Mul),
        ValueOp::Num(NumOp::Add),
    ];
    for left in &lefts {
        for right in &rights {
            for op in ops {
                let in_place = op_map(Structure::Left, op, left, right);
                let reference = left.app_left(right, move |a, b| op.apply_map(a, b));
                for span in spans() {
                    assert_eq!(
                        in_place.query_span(span),
                        reference.query_span(span),
                        "{op:?} span {span:?}"
                    );
                }
            }
        }
    }
}
