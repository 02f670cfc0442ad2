//! Boolean rhythms from numbers and text: `binary`, `binaryN`, `ascii`, `necklace`
//! (Tidal 1.7.10's `Sound.Tidal.UI`).

use crate::core::slow;
use crate::library::signal::{fast_from_fn, fast_from_list};
use crate::pattern::Pattern;
use crate::time::Time;

/// The lowest `n` bits of `num`, most significant first (Tidal's `__binary`).
pub fn bits(n: i64, num: i64) -> Vec<bool> {
    (0..n.max(0))
        .rev()
        .map(|i| i < 64 && (num >> i) & 1 == 1)
        .collect()
}

/// Each number as `n` steps of its bits, squeezed into its event (Tidal's `_binaryN`).
///
/// ```
/// use tactus_pattern::{library::bits::binary_n, Pattern, Span, Time};
/// let h = binary_n(4, &Pattern::pure(5)).query_span(Span::new(Time::ZERO, Time::ONE));
/// assert_eq!(h.iter().map(|h| h.value).collect::<Vec<_>>(), vec![false, true, false, true]);
/// ```
pub fn binary_n(n: i64, p: &Pattern<i64>) -> Pattern<bool> {
    p.squeeze_bind(move |num| {
        let num = *num;
        fast_from_fn(n, move |k| {
            let i = n - 1 - k;
            i < 64 && (num >> i) & 1 == 1
        })
    })
}

/// [`binary_n`] with a patterned width (Tidal 1.7.10's `binaryN`).
pub fn binary_n_pat(n: &Pattern<i64>, p: &Pattern<i64>) -> Pattern<bool> {
    let p = p.clone();
    n.inner_bind(move |n| binary_n(*n, &p))
}

/// 8-bit [`binary_n`] (Tidal's `binary`).
pub fn binary(p: &Pattern<i64>) -> Pattern<bool> {
    binary_n(8, p)
}

/// The bits of each character's code (8 per character), squeezed into each event (Tidal's
/// `ascii`).
pub fn ascii(p: &Pattern<String>) -> Pattern<bool> {
    p.squeeze_bind(|s| fast_from_list(s.chars().flat_map(|c| bits(8, c as i64)).collect()))
}

/// A rhythm from a list of gaps: each number `x` is a hit followed by `x - 1` rests,
/// `per_cycle` steps a cycle (Tidal's `necklace`).
pub fn necklace(per_cycle: Time, xs: &[i64]) -> Pattern<bool> {
    // Hit positions are the running sums of the gaps (each at least one step).
    let mut hits = Vec::with_capacity(xs.len());
    let mut pos: i64 = 0;
    for x in xs {
        hits.push(pos);
        pos = pos.saturating_add((*x).max(1));
    }
    let total = Time::int(xs.iter().fold(0i64, |a, x| a.saturating_add(*x)));
    if per_cycle == Time::ZERO {
        return Pattern::silence();
    }
    slow(
        total / per_cycle,
        &fast_from_fn(pos, move |k| hits.binary_search(&k).is_ok()),
    )
}

/// Parses Lindenmayer rules like `"a:b,b:ab"` (Tidal's `parseLMRule'`).
fn lm_rules(rules: &str) -> Vec<(char, String)> {
    rules
        .split(',')
        .filter_map(|r| {
            let i = r.find(':')?;
            let from: String = r[..i].chars().filter(|c| *c != ':').collect();
            let to: String = r[i..].chars().filter(|c| *c != ':').collect();
            Some((from.chars().next()?, to))
        })
        .collect()
}

/// The `n`th generation of a Lindenmayer system from `start`, with rules written
/// `"a:b,b:ab"` (Tidal's `lindenmayer`). Output is capped at one million characters.
///
/// ```
/// use tactus_pattern::library::bits::lindenmayer;
/// assert_eq!(lindenmayer(1, "a:b,b:ab", "ab"), "bab");
/// ```
pub fn lindenmayer(n: i64, rules: &str, start: &str) -> String {
    const CAP: usize = 1_000_000;
    let rules = lm_rules(rules);
    let mut s = start.to_string();
    for _ in 0..n.max(0) {
        let mut next = String::new();
        for c in s.chars() {
            match rules.iter().find(|(k, _)| *k == c) {
                Some((_, r)) => next.push_str(r),
                None => next.push(c),
            }
            if next.len() > CAP {
                break;
            }
        }
        s = next;
    }
    s
}
