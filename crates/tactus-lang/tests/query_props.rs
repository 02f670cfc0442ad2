//! Properties of evaluated patterns: querying `[a, c)` gives the same fragments as
//! `[a, b)` and `[b, c)` together (for every split point), and zero-width and negative
//! queries behave.

use proptest::prelude::*;
use tactus_lang::eval::types::Ty;
use tactus_lang::program::eval_pattern;
use tactus_pattern::{Hap, Span, Time, Value};

const EXPRS: &[&str] = &[
    "s \"bd*2 [sn cp] <hh oh>\"",
    "fast \"1 2\" $ s \"bd sn\"",
    "every 2 (fast 2) $ s \"bd sn\"",
    "0.25 <~ s \"bd sn hh\"",
    "n (\"0 2\" + \"<10 20>\") # s \"x\"",
    "jux rev $ s \"bd sn hh\"",
    "stut 3 0.5 0.125 $ s \"bd sn\"",
    "degradeBy 0.5 $ s \"hh*8\"",
    "s \"bd(3,8,<0 2>)\"",
    "s \"{bd sn, hh hh hh}%4\"",
];

type Frag = (Option<Span>, Span, String);

fn frags(hs: Vec<Hap<Value>>) -> Vec<Frag> {
    let mut v: Vec<Frag> = hs
        .into_iter()
        .map(|h| (h.whole, h.part, h.value.to_string()))
        .collect();
    v.sort_by(|a, b| (a.1, a.0, &a.2).cmp(&(b.1, b.0, &b.2)));
    v
}

/// Merges fragments of the same event that meet at `cut`.
fn merge(mut v: Vec<Frag>, cut: Time) -> Vec<Frag> {
    let mut out: Vec<Frag> = Vec::new();
    v.sort_by(|a, b| (a.0, &a.2, a.1).cmp(&(b.0, &b.2, b.1)));
    for f in v {
        if let Some(last) = out.last_mut() {
            if last.0 == f.0
                && last.0.is_some()
                && last.2 == f.2
                && last.1.end == cut
                && f.1.begin == cut
            {
                last.1.end = f.1.end;
                continue;
            }
        }
        out.push(f);
    }
    out.sort_by(|a, b| (a.1, a.0, &a.2).cmp(&(b.1, b.0, &b.2)));
    out
}

fn q(expr: &str, a: Time, b: Time) -> Vec<Hap<Value>> {
    eval_pattern(expr, Ty::Control)
        .unwrap_or_else(|d| panic!("{expr}: {}", d.message))
        .try_query(Span::new(a, b), 100_000)
        .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn split_queries_agree(idx in 0..EXPRS.len(), a in -16i64..16, len in 1i64..24, cut in 1i64..24, den in 1i64..8) {
        let expr = EXPRS[idx];
        let start = Time::new(a, 4);
        let end = start + Time::new(len, 4);
        let mid = start + (end - start) * Time::new(cut.min(23), 24);
        let _ = den;
        let whole = frags(q(expr, start, end));
        let mut parts = frags(q(expr, start, mid));
        parts.extend(frags(q(expr, mid, end)));
        prop_assert_eq!(merge(whole, mid), merge(parts, mid), "{} over [{}, {}) cut at {}", expr, start, end, mid);
    }
}

#[test]
fn zero_width_queries_are_fine() {
    for e in EXPRS {
        let hs = q(e, Time::new(1, 3), Time::new(1, 3));
        assert!(hs.iter().all(|h| h.part.begin == h.part.end), "{e}");
    }
}

#[test]
fn many_cycles_and_negative_time() {
    for e in EXPRS {
        let n = q(e, Time::int(-50), Time::int(50)).len();
        assert!(n > 0, "{e}");
    }
}

#[test]
fn empty_patterns() {
    assert!(q("silence", Time::ZERO, Time::int(4)).is_empty());
    assert!(q("s \"~ ~\"", Time::ZERO, Time::int(4)).is_empty());
    assert!(q("s \"bd*0\"", Time::ZERO, Time::int(4)).is_empty());
    assert!(q("stack []", Time::ZERO, Time::int(4)).is_empty());
}
