//! Constant patterns (`pure`, and what `fmap` and `app_both` make of them) let `app_left`
//! skip querying its right side. The fast path must give exactly the haps the general path
//! gives; here the general path is forced by hiding the same constant behind a plain query.

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
