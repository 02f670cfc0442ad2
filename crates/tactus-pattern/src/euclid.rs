//! Euclidean rhythms (Tidal's `Sound.Tidal.Bjorklund` and the `euclid` family in
//! `Sound.Tidal.UI`, as of 1.7.10).
//!
//! [`bjorklund`] reproduces Tidal's list algorithm step for step, including what it does
//! with negative or oversized arguments: `bjorklund(-3, 8)` is eleven rests, so
//! `"bd(-3,8)"` is silent in Tidal 1.7.10 and here. Every patterned function takes its
//! numbers as patterns and joins with `innerJoin` (Tidal's `tParam2`/`tParam3`).
//!
//! ```
//! use tactus_pattern::euclid::bjorklund;
//! let x = |b: bool| if b { 'x' } else { '.' };
//! let s: String = bjorklund(3, 8).into_iter().map(x).collect();
//! assert_eq!(s, "x..x..x.");
//! ```

use crate::core::{fastcat, stack};
use crate::guard;
use crate::pattern::{PatValue, Pattern};
use crate::random::fast_from_list;
use crate::time::Time;

/// The largest step count [`bjorklund`]-based patterns build; beyond it a query reports
/// too many events instead of allocating.
pub const MAX_EUCLID_STEPS: i64 = 1 << 16;

/// Bjorklund's algorithm exactly as Tidal implements it: `k` onsets spread over `n` steps.
/// Arguments Tidal would treat oddly are treated the same way (negative counts make empty
/// lists); sizes beyond [`MAX_EUCLID_STEPS`] give an empty list.
pub fn bjorklund(k: i64, n: i64) -> Vec<bool> {
    if k.abs() > MAX_EUCLID_STEPS || n.abs() > MAX_EUCLID_STEPS {
        return Vec::new();
    }
    // Building the rhythm is work a query pays for (patterned arguments rebuild it per
    // event), so it draws from the query budget like any other work.
    if !crate::guard::spend(k.unsigned_abs() + n.unsigned_abs()) {
        return Vec::new();
    }
    // Tidal's algorithm works on two lists of sequences, but every sequence in a list is
    // the same, so one sequence and a count per list suffice: O(n) instead of O(n^2/k).
    let (mut i, mut j) = (k, n - k);
    let (mut a, mut b) = (vec![true], vec![false]);
    while i.min(j) > 1 {
        if i > j {
            // left: j sequences of a++b, and i-j of a remain.
            let mut ab = a.clone();
            ab.extend_from_slice(&b);
            b = std::mem::replace(&mut a, ab);
            (i, j) = (j, i - j);
        } else {
            // right, repeated while it applies: each step appends b to every a.
            let q = j / i;
            for _ in 0..q {
                a.extend_from_slice(&b);
            }
            j -= q * i;
        }
    }
    let mut out = Vec::with_capacity((i.max(0) as usize) * a.len() + (j.max(0) as usize) * b.len());
    for _ in 0..i.max(0) {
        out.extend_from_slice(&a);
    }
    for _ in 0..j.max(0) {
        out.extend_from_slice(&b);
    }
    out
}

fn too_big(k: i64, n: i64) -> bool {
    k.abs() > MAX_EUCLID_STEPS || n.abs() > MAX_EUCLID_STEPS
}

fn exhausted<T: PatValue>() -> Pattern<T> {
    Pattern::new(|_| {
        guard::spend(u64::MAX);
        Vec::new()
    })
}

/// `k` onsets over `n` steps, each onset playing a cycle of `p` (Tidal's `_euclid`:
/// `fastcat $ fmap (bool silence p) $ bjorklund (k,n)`).
pub fn euclid_const<T: PatValue>(k: i64, n: i64, p: &Pattern<T>) -> Pattern<T> {
    if too_big(k, n) {
        return exhausted();
    }
    fastcat(
        bjorklund(k, n)
            .into_iter()
            .map(|b| if b { p.clone() } else { Pattern::silence() })
            .collect(),
    )
}

/// The complement of [`euclid_const`]: `p` plays on the steps without onsets (Tidal's
/// `_euclidInv`).
pub fn euclid_inv_const<T: PatValue>(k: i64, n: i64, p: &Pattern<T>) -> Pattern<T> {
    if too_big(k, n) {
        return exhausted();
    }
    fastcat(
        bjorklund(k, n)
            .into_iter()
            .map(|b| if b { Pattern::silence() } else { p.clone() })
            .collect(),
    )
}

/// [`euclid_const`] rotated left by `r` steps; `n == 0` is silence (Tidal's `_euclidOff`).
pub fn euclid_off_const<T: PatValue>(k: i64, n: i64, r: i64, p: &Pattern<T>) -> Pattern<T> {
    if n == 0 {
        return Pattern::silence();
    }
    euclid_const(k, n, p).rotate_left(Time::new(r, n))
}

/// The Bjorklund pattern as booleans, one per step (Tidal's `_euclidBool`).
pub fn euclid_bool_const(k: i64, n: i64) -> Pattern<bool> {
    if too_big(k, n) {
        return exhausted();
    }
    fast_from_list(bjorklund(k, n))
}

/// Boolean Euclid with rotation (Tidal's `_euclidOffBool`): where `p` is true the step's
/// Bjorklund value, where `p` is false its negation, so `"f(3,8)"` is the inverse rhythm.
pub fn euclid_off_bool_const(k: i64, n: i64, r: i64, p: &Pattern<bool>) -> Pattern<bool> {
    if n == 0 {
        return Pattern::silence();
    }
    euclid_bool_const(k, n)
        .app_both(p, |e, v| if *v { *e } else { !*e })
        .rotate_left(Time::new(r, n))
}

/// Combines two integer patterns with structure from both (`f <$> a <*> b`).
fn pair(a: &Pattern<i64>, b: &Pattern<i64>) -> Pattern<(i64, i64)> {
    a.app_both(b, |x, y| (*x, *y))
}

/// Combines three integer patterns with structure from all (`f <$> a <*> b <*> c`).
fn triple(a: &Pattern<i64>, b: &Pattern<i64>, c: &Pattern<i64>) -> Pattern<(i64, i64, i64)> {
    pair(a, b).app_both(c, |(x, y), z| (*x, *y, *z))
}

/// Patterned [`euclid_const`] (Tidal's `euclid`).
///
/// ```
/// use tactus_pattern::euclid::euclid;
/// use tactus_pattern::{Pattern, Span, Time};
/// let p = euclid(&Pattern::pure(3), &Pattern::pure(8), &Pattern::pure("bd"));
/// let onsets: Vec<_> = p
///     .query_span(Span::new(Time::ZERO, Time::ONE))
///     .into_iter()
///     .map(|h| h.whole.unwrap().begin.to_string())
///     .collect();
/// assert_eq!(onsets, ["0", "3/8", "3/4"]);
/// ```
pub fn euclid<T: PatValue>(k: &Pattern<i64>, n: &Pattern<i64>, p: &Pattern<T>) -> Pattern<T> {
    let p = p.clone();
    pair(k, n).inner_bind(move |(k, n)| euclid_const(*k, *n, &p))
}

/// Patterned [`euclid_inv_const`] (Tidal's `euclidInv`).
pub fn euclid_inv<T: PatValue>(k: &Pattern<i64>, n: &Pattern<i64>, p: &Pattern<T>) -> Pattern<T> {
    let p = p.clone();
    pair(k, n).inner_bind(move |(k, n)| euclid_inv_const(*k, *n, &p))
}

/// `pa` on the onsets and `pb` on the other steps (Tidal's `euclidFull`).
pub fn euclid_full<T: PatValue>(
    k: &Pattern<i64>,
    n: &Pattern<i64>,
    pa: &Pattern<T>,
    pb: &Pattern<T>,
) -> Pattern<T> {
    stack(vec![euclid(k, n, pa), euclid_inv(k, n, pb)])
}

/// Patterned [`euclid_off_const`] (Tidal's `euclidOff` / `eoff`).
pub fn euclid_off<T: PatValue>(
    k: &Pattern<i64>,
    n: &Pattern<i64>,
    r: &Pattern<i64>,
    p: &Pattern<T>,
) -> Pattern<T> {
    let p = p.clone();
    triple(k, n, r).inner_bind(move |(k, n, r)| euclid_off_const(*k, *n, *r, &p))
}

/// The rotated complement: `p` on the steps [`euclid_off`] leaves empty.
pub fn euclid_off_inv<T: PatValue>(
    k: &Pattern<i64>,
    n: &Pattern<i64>,
    r: &Pattern<i64>,
    p: &Pattern<T>,
) -> Pattern<T> {
    let p = p.clone();
    triple(k, n, r).inner_bind(move |(k, n, r)| {
        if *n == 0 {
            return Pattern::silence();
        }
        euclid_inv_const(*k, *n, &p).rotate_left(Time::new(*r, *n))
    })
}

/// Rotated `pa` on the onsets and `pb` on the rest (Tidal's `euclidOffFull`).
pub fn euclid_off_full<T: PatValue>(
    k: &Pattern<i64>,
    n: &Pattern<i64>,
    r: &Pattern<i64>,
    pa: &Pattern<T>,
    pb: &Pattern<T>,
) -> Pattern<T> {
    stack(vec![euclid_off(k, n, r, pa), euclid_off_inv(k, n, r, pb)])
}

/// Patterned [`euclid_off_bool_const`] (Tidal's `euclidOffBool`, used by `"t(3,8)"`).
pub fn euclid_off_bool(
    k: &Pattern<i64>,
    n: &Pattern<i64>,
    r: &Pattern<i64>,
    p: &Pattern<bool>,
) -> Pattern<bool> {
    let p = p.clone();
    triple(k, n, r).inner_bind(move |(k, n, r)| euclid_off_bool_const(*k, *n, *r, &p))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(k: i64, n: i64) -> String {
        bjorklund(k, n)
            .into_iter()
            .map(|b| if b { 'x' } else { '.' })
            .collect()
    }

    #[test]
    fn matches_tidal_lists() {
        assert_eq!(s(3, 8), "x..x..x.");
        assert_eq!(s(5, 8), "x.xx.xx.");
        assert_eq!(s(2, 5), "x.x..");
        assert_eq!(s(7, 16), "x..x.x.x..x.x.x.");
        // Tidal's own answers for odd arguments.
        assert_eq!(s(-3, 8), "...........");
        assert_eq!(s(3, -8), "xxx");
        assert_eq!(s(9, 8), "xxxxxxxxx");
        assert_eq!(s(0, 8), "........");
        assert_eq!(s(3, 0), "xxx");
    }
}

#[cfg(test)]
mod bjorklund_tests {
    use super::bjorklund;

    /// Tidal's list-of-lists formulation, kept as the reference for the counted one.
    fn reference(k: i64, n: i64) -> Vec<bool> {
        let (mut i, mut j) = (k, n - k);
        let mut xs: Vec<Vec<bool>> = vec![vec![true]; i.max(0) as usize];
        let mut ys: Vec<Vec<bool>> = vec![vec![false]; j.max(0) as usize];
        while i.min(j) > 1 {
            if i > j {
                let rest = xs.split_off((j as usize).min(xs.len()));
                xs = xs
                    .into_iter()
                    .zip(ys)
                    .map(|(mut a, b)| {
                        a.extend(b);
                        a
                    })
                    .collect();
                (i, j) = (j, i - j);
                ys = rest;
            } else {
                let rest = ys.split_off((i as usize).min(ys.len()));
                xs = xs
                    .into_iter()
                    .zip(ys)
                    .map(|(mut a, b)| {
                        a.extend(b);
                        a
                    })
                    .collect();
                j -= i;
                ys = rest;
            }
        }
        xs.into_iter().chain(ys).flatten().collect()
    }

    #[test]
    fn counted_form_matches_the_list_form() {
        for n in -3..40 {
            for k in -5..45 {
                assert_eq!(bjorklund(k, n), reference(k, n), "({k},{n})");
            }
        }
    }

    #[test]
    fn large_step_counts_are_fast() {
        let v = bjorklund(4, 52_000);
        assert_eq!(v.len(), 52_000);
        assert_eq!(v.iter().filter(|x| **x).count(), 4);
    }
}
