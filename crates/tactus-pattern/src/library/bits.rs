//! Boolean rhythms from numbers and text: `binary`, `binaryN`, `ascii`, `necklace`
//! (Tidal 1.7.10's `Sound.Tidal.UI`).

use crate::core::slow;
use crate::library::signal::fast_from_list;
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
    p.squeeze_bind(move |num| fast_from_list(bits(n, *num)))
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
    let steps: Vec<bool> = xs
        .iter()
        .flat_map(|x| {
            std::iter::once(true).chain(std::iter::repeat_n(false, (x - 1).max(0) as usize))
        })
        .collect();
    let total = Time::int(xs.iter().sum());
    if per_cycle == Time::ZERO {
        return Pattern::silence();
    }
    slow(total / per_cycle, &fast_from_list(steps))
}
