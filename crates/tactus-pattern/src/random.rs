//! Tidal's pseudo-random numbers and the random pattern functions built on them
//! (Tidal 1.7.10's `Sound.Tidal.UI`).
//!
//! Randomness in Tidal is a pure function of time: `timeToIntSeed` stretches 300 cycles over
//! `[0, 2^29)` and scrambles the result with a 64-bit xorshift ([`xorwise`]). Every function
//! here reproduces Tidal's arithmetic exactly, including which time is sampled (the midpoint
//! of the query for [`rand`], the whole's midpoint for [`degrade_by`], the cycle number as a
//! `Double` for [`some_cycles_by`]), so the same pattern drops the same events as Tidal does.
//!
//! ```
//! use tactus_pattern::random::{rand, time_to_rand};
//! use tactus_pattern::{Span, Time};
//! let haps = rand().query_span(Span::new(Time::ZERO, Time::ONE));
//! assert_eq!(haps[0].value, time_to_rand(Time::HALF));
//! ```

use crate::core::{fast, fastcat, slowcat, stack, zoom_span};
use crate::guard;
use crate::hap::Hap;
use crate::pattern::{PatValue, Pattern};
use crate::span::Span;
use crate::time::Time;

/// 2^29: the range of Tidal's integer seeds.
const SEED_RANGE: i64 = 536_870_912;

/// Tidal's xorshift step on a 64-bit `Int` (shifts wrap, right shift is arithmetic).
///
/// ```
/// use tactus_pattern::random::xorwise;
/// assert_eq!(xorwise(1), 270_369);
/// ```
pub fn xorwise(x: i64) -> i64 {
    let a = x.wrapping_shl(13) ^ x;
    let b = (a >> 17) ^ a;
    b.wrapping_shl(5) ^ b
}

/// Tidal's `timeToIntSeed` on an exact rational time: the fractional part of `t / 300`
/// (truncated towards zero, so negative times give a negative fraction), times 2^29,
/// truncated, then [`xorwise`].
pub fn time_to_int_seed(t: Time) -> i64 {
    let n = t.numer() as i128;
    let d = 300i128 * t.denom() as i128;
    let r = n % d; // the sign of the dividend, like `properFraction`
    let scaled = (r * SEED_RANGE as i128) / d; // truncates towards zero
    xorwise(scaled as i64)
}

/// Tidal's `timeToIntSeed` at type `Double` (used where Tidal passes a `Double`, such as
/// `someCyclesBy` and `perlin`).
pub fn time_to_int_seed_f64(t: f64) -> i64 {
    let x = t / 300.0;
    let frac = x - x.trunc();
    let scaled = (frac * SEED_RANGE as f64).trunc();
    let s = if scaled.is_finite() { scaled as i64 } else { 0 };
    xorwise(s)
}

/// Tidal's `intSeedToRand`: the seed modulo 2^29, scaled into `[0, 1)`.
pub fn int_seed_to_rand(seed: i64) -> f64 {
    seed.rem_euclid(SEED_RANGE) as f64 / SEED_RANGE as f64
}

/// Tidal's `timeToRand` on an exact time.
pub fn time_to_rand(t: Time) -> f64 {
    int_seed_to_rand(time_to_int_seed(t))
}

/// Tidal's `timeToRand` at type `Double`.
pub fn time_to_rand_f64(t: f64) -> f64 {
    int_seed_to_rand(time_to_int_seed_f64(t))
}

/// Tidal's `timeToRands`: `n` numbers from one seed, each the [`xorwise`] of the previous.
pub fn time_to_rands(t: Time, n: usize) -> Vec<f64> {
    let mut seed = time_to_int_seed(t);
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        out.push(int_seed_to_rand(seed));
        seed = xorwise(seed);
    }
    out
}

/// A continuous pattern of numbers in `[0, 1)`, the value for a query being
/// `timeToRand` of the query's midpoint (Tidal's `rand`).
pub fn rand() -> Pattern<f64> {
    Pattern::new(|st| {
        if !guard::spend(1) {
            return Vec::new();
        }
        let s = st.span;
        vec![Hap::new(
            None,
            s,
            time_to_rand((s.begin + s.end) * Time::HALF),
        )]
    })
}

/// Random whole numbers from `0` to `n - 1` (Tidal's `_irand`).
pub fn irand_const(n: i64) -> Pattern<i64> {
    rand().fmap(move |r| (r * n as f64).floor() as i64)
}

/// Random whole numbers from `0` to `n - 1`, `n` patterned (Tidal's `irand`, a monadic
/// bind over `n`).
pub fn irand(n: &Pattern<i64>) -> Pattern<i64> {
    n.bind(|n| irand_const(*n))
}

/// The sampling signal Tidal's `perlin` uses: `sig fromRational`, the query midpoint.
#[cfg(test)]
fn midpoint_signal() -> Pattern<f64> {
    Pattern::new(|st| {
        let s = st.span;
        if s.begin > s.end {
            return Vec::new();
        }
        vec![Hap::new(None, s, s.midpoint().to_f64())]
    })
}

/// One-dimensional Perlin noise driven by `p` (Tidal's `perlinWith`): random values at the
/// integers of `p`, smoothly interpolated between.
pub fn perlin_with(p: &Pattern<f64>) -> Pattern<f64> {
    let pa = p.fmap(|x| x.floor());
    let pb = p.fmap(|x| x.floor() + 1.0);
    p.app_both(&pa, |x, a| x - a)
        .app_both(&pa.fmap(|a| time_to_rand_f64(*a)), |d, ra| (*d, *ra))
        .app_both(&pb.fmap(|b| time_to_rand_f64(*b)), move |(d, a), b| {
            a + perlin_smoother(*d) * (b - a)
        })
}

/// Perlin's smoothstep, `6x^5 - 15x^4 + 10x^3`, as Tidal computes it.
fn perlin_smoother(x: f64) -> f64 {
    6.0 * x.powf(5.0) - 15.0 * x.powf(4.0) + 10.0 * x.powf(3.0)
}

/// Perlin noise over the cycle count (Tidal's `perlin`, `perlinWith (sig fromRational)`).
///
/// Every signal in [`perlin_with`]'s chain is queried over the same span, so the result is
/// one continuous hap over it; this computes that value directly, with the same
/// arithmetic (a test checks it equals `perlin_with` of the midpoint signal).
pub fn perlin() -> Pattern<f64> {
    Pattern::new(|st| {
        let s = st.span;
        if s.begin > s.end {
            return Vec::new();
        }
        let x = s.midpoint().to_f64();
        let (a, b) = (x.floor(), x.floor() + 1.0);
        let (ra, rb) = (time_to_rand_f64(a), time_to_rand_f64(b));
        vec![Hap::new(None, s, ra + perlin_smoother(x - a) * (rb - ra))]
    })
}

/// Tidal's `range` as used by `chooseBy`: `f <$> pure lo *> pure hi *> p`, structure from
/// `p` but split at cycle boundaries by the `pure`s.
fn range_f64(lo: f64, hi: f64, p: &Pattern<f64>) -> Pattern<f64> {
    Pattern::pure(lo)
        .app_right(&Pattern::pure(hi), |a, b| (*a, *b))
        .app_right(p, |(from, to), v| v * (to - from) + from)
}

/// Picks from `xs` with the random pattern `f` (Tidal's `chooseBy`).
pub fn choose_by<T: PatValue>(f: &Pattern<f64>, xs: Vec<T>) -> Pattern<T> {
    if xs.is_empty() {
        return Pattern::silence();
    }
    let n = xs.len();
    range_f64(0.0, n as f64, f)
        .fmap(move |x| xs[(x.floor() as i64).rem_euclid(n as i64) as usize].clone())
}

/// Picks from `xs` at random, continuously (Tidal's `choose`).
pub fn choose<T: PatValue>(xs: Vec<T>) -> Pattern<T> {
    choose_by(&rand(), xs)
}

/// Picks one of `xs` once per cycle (Tidal's `cycleChoose`).
pub fn cycle_choose<T: PatValue>(xs: Vec<T>) -> Pattern<T> {
    segment(&Pattern::pure(Time::ONE), &choose(xs))
}

/// Weighted choice driven by `pat` (Tidal's `wchooseBy`).
pub fn wchoose_by<T: PatValue>(pat: &Pattern<f64>, pairs: Vec<(T, f64)>) -> Pattern<T> {
    if pairs.is_empty() {
        return Pattern::silence();
    }
    let mut cweights = Vec::with_capacity(pairs.len());
    let mut acc = 0.0;
    for (_, w) in &pairs {
        acc += *w;
        cweights.push(acc);
    }
    let total = acc;
    let values: Vec<T> = pairs.into_iter().map(|(v, _)| v).collect();
    pat.fmap(move |r| {
        let target = r * total;
        let i = cweights
            .iter()
            .position(|c| *c > target)
            .unwrap_or(values.len() - 1);
        values[i].clone()
    })
}

/// Weighted random choice (Tidal's `wchoose`).
pub fn wchoose<T: PatValue>(pairs: Vec<(T, f64)>) -> Pattern<T> {
    wchoose_by(&rand(), pairs)
}

/// Samples `p` `n` times per cycle, constant `n` (Tidal's `_segment`: `_fast n (pure id) <* p`).
pub fn segment_const<T: PatValue>(n: Time, p: &Pattern<T>) -> Pattern<T> {
    fast(n, &Pattern::pure(())).app_left(p, |_, v| v.clone())
}

/// Samples `p` `n` times per cycle (Tidal's `segment`, patterned through `innerJoin`).
pub fn segment<T: PatValue>(n: &Pattern<Time>, p: &Pattern<T>) -> Pattern<T> {
    let p = p.clone();
    n.inner_bind(move |n| segment_const(*n, &p))
}

/// Removes events whose value of `prand` (sampled over the event's whole) is not above `x`
/// (Tidal's `_degradeByUsing`).
pub fn degrade_by_using<T: PatValue>(prand: &Pattern<f64>, x: f64, p: &Pattern<T>) -> Pattern<T> {
    p.app_left(prand, |v, r| (v.clone(), *r))
        .filter_values(move |(_, r)| *r > x)
        .fmap(|(v, _)| v.clone())
}

/// Keeps exactly the events [`degrade_by_using`] would remove (Tidal's `_unDegradeBy`
/// generalised to any random pattern).
pub fn undegrade_by_using<T: PatValue>(prand: &Pattern<f64>, x: f64, p: &Pattern<T>) -> Pattern<T> {
    p.app_left(prand, |v, r| (v.clone(), *r))
        .filter_values(move |(_, r)| *r <= x)
        .fmap(|(v, _)| v.clone())
}

/// Randomly removes events with probability `x` (Tidal's `degradeBy`).
///
/// ```
/// use tactus_pattern::random::degrade_by;
/// use tactus_pattern::{core, Pattern, Span, Time};
/// let p = core::fast(Time::int(8), &Pattern::pure("hh"));
/// let kept = degrade_by(&Pattern::pure(0.5), &p).query_span(Span::new(Time::ZERO, Time::ONE));
/// assert_eq!(kept.len(), 6); // what Tidal 1.7.10 keeps of `degradeBy 0.5 "hh*8"`
/// ```
pub fn degrade_by<T: PatValue>(x: &Pattern<f64>, p: &Pattern<T>) -> Pattern<T> {
    let p = p.clone();
    x.inner_bind(move |x| degrade_by_using(&rand(), *x, &p))
}

/// Removes half of the events at random (Tidal's `degrade`).
pub fn degrade<T: PatValue>(p: &Pattern<T>) -> Pattern<T> {
    degrade_by_using(&rand(), 0.5, p)
}

/// Keeps only the events [`degrade_by`] removes (Tidal's `unDegradeBy`).
pub fn undegrade_by<T: PatValue>(x: &Pattern<f64>, p: &Pattern<T>) -> Pattern<T> {
    let p = p.clone();
    x.inner_bind(move |x| undegrade_by_using(&rand(), *x, &p))
}

/// Applies `f` to a random selection of events (probability `x`), leaving the others
/// (Tidal 1.7.10's `sometimesBy`: `overlay (degradeBy x p) (f (unDegradeBy x p))`).
pub fn sometimes_by<T: PatValue>(
    x: &Pattern<f64>,
    f: impl Fn(&Pattern<T>) -> Pattern<T>,
    p: &Pattern<T>,
) -> Pattern<T> {
    stack(vec![degrade_by(x, p), f(&undegrade_by(x, p))])
}

/// Applies `f` to whole cycles chosen at random with probability `x` (Tidal's
/// `someCyclesBy`): cycle `c` is transformed when `timeToRand (c :: Double) < x`.
pub fn some_cycles_by<T: PatValue>(
    x: &Pattern<f64>,
    f: impl Fn(&Pattern<T>) -> Pattern<T> + Send + Sync + 'static,
    p: &Pattern<T>,
) -> Pattern<T> {
    let p = p.clone();
    let fp = f(&p);
    x.inner_bind(move |x| {
        let x = *x;
        when_cycle(move |c| time_to_rand_f64(c as f64) < x, &fp, &p)
    })
}

/// Plays `yes` in cycles whose number satisfies `test`, `no` in the others (Tidal's `when`,
/// with the transformed pattern precomputed).
fn when_cycle<T: PatValue>(
    test: impl Fn(i64) -> bool + Send + Sync + 'static,
    yes: &Pattern<T>,
    no: &Pattern<T>,
) -> Pattern<T> {
    let (yes, no) = (yes.clone(), no.clone());
    Pattern::new(move |st| {
        if test(st.span.begin.floor_i64()) {
            yes.query(st)
        } else {
            no.query(st)
        }
    })
    .split_queries()
}

/// Plays one of the patterns per cycle, chosen at random (Tidal's `randcat`).
pub fn randcat<T: PatValue>(ps: Vec<Pattern<T>>) -> Pattern<T> {
    if ps.is_empty() {
        return Pattern::silence();
    }
    let n = ps.len() as i64;
    let cat = slowcat(ps);
    let offsets = segment_const(Time::ONE, &irand_const(n).fmap(|i| Time::int(*i)));
    offsets.bind(move |t| cat.rotate_left(*t))
}

/// Plays one of the patterns per cycle, chosen at random with weights (Tidal's `wrandcat`).
pub fn wrandcat<T: PatValue>(ps: Vec<(Pattern<T>, f64)>) -> Pattern<T> {
    let chooser = segment(&Pattern::pure(Time::ONE), &rand());
    wchoose_by(&chooser, ps).join()
}

/// Largest `n` accepted by [`shuffle`], [`scramble`] and [`randrun`]; more parts than this
/// exhausts the query budget instead of allocating.
const MAX_PARTS: i64 = 1 << 16;

/// A random permutation of `0 .. n-1` each cycle, `n` steps per cycle (Tidal's `randrun`).
pub fn randrun(n: i64) -> Pattern<i64> {
    if n <= 0 {
        return Pattern::silence();
    }
    if n > MAX_PARTS {
        return budget_exhausted();
    }
    Pattern::new(move |st| {
        let a = st.span;
        if !guard::spend(n as u64) {
            return Vec::new();
        }
        let sam = a.begin.sam();
        let rs = time_to_rands(sam, n as usize);
        let mut order: Vec<(f64, i64)> = rs.into_iter().zip(0..n).collect();
        // Haskell's `sortOn fst` is stable.
        order.sort_by(|x, y| x.0.partial_cmp(&y.0).unwrap_or(std::cmp::Ordering::Equal));
        let mut out = Vec::new();
        for (i, (_, v)) in order.into_iter().enumerate() {
            let whole = Span::new(
                sam + Time::new(i as i64, n),
                sam + Time::new(i as i64 + 1, n),
            );
            if let Some(part) = a.intersect(&whole) {
                out.push(Hap::new(Some(whole), part, v));
            }
        }
        out
    })
    .split_queries()
}

/// A pattern that marks the query as over budget (used for absurd sizes).
fn budget_exhausted<T: PatValue>() -> Pattern<T> {
    Pattern::new(|_| {
        guard::spend(u64::MAX);
        Vec::new()
    })
}

/// Tidal's `_rearrangeWith`: plays the `n` parts of each cycle in the order `ipat` gives.
fn rearrange_with<T: PatValue>(ipat: &Pattern<i64>, n: i64, pat: &Pattern<T>) -> Pattern<T> {
    if n <= 0 {
        return Pattern::silence();
    }
    if n > MAX_PARTS {
        return budget_exhausted();
    }
    let nt = Time::int(n);
    let parts: Vec<Pattern<T>> = (0..n)
        .map(|i| {
            let z = zoom_span(Span::new(Time::new(i, n), Time::new(i + 1, n)), pat);
            fast(nt, &slowcat(vec![z; n as usize]))
        })
        .collect();
    ipat.inner_bind(move |i| match parts.get(*i as usize) {
        Some(p) if *i >= 0 => p.clone(),
        _ => Pattern::silence(),
    })
}

/// Divides each cycle into `n` parts and plays a random permutation of them (Tidal's
/// `shuffle`).
pub fn shuffle<T: PatValue>(n: &Pattern<i64>, p: &Pattern<T>) -> Pattern<T> {
    let p = p.clone();
    n.inner_bind(move |n| rearrange_with(&randrun(*n), *n, &p))
}

/// Divides each cycle into `n` parts and plays `n` of them picked at random, with
/// repetition (Tidal's `scramble`).
pub fn scramble<T: PatValue>(n: &Pattern<i64>, p: &Pattern<T>) -> Pattern<T> {
    let p = p.clone();
    n.inner_bind(move |n| {
        let n = *n;
        let ipat = segment_const(Time::int(n.max(0)), &irand_const(n));
        rearrange_with(&ipat, n, &p)
    })
}

/// `fastFromList` over booleans and other small lists (Tidal's `fastFromList`).
pub(crate) fn fast_from_list<T: PatValue>(xs: Vec<T>) -> Pattern<T> {
    fastcat(xs.into_iter().map(Pattern::pure).collect())
}

#[cfg(test)]
mod tests {
    #[test]
    fn perlin_equals_perlin_with_the_midpoint_signal() {
        let composed = super::perlin_with(&super::midpoint_signal());
        let direct = super::perlin();
        let mut spans = vec![
            Span::new(Time::ZERO, Time::ONE),
            Span::new(Time::new(5, 4), Time::new(5, 4)),
            Span::new(Time::new(-7, 3), Time::new(-1, 5)),
            Span::new(Time::new(3, 2), Time::new(1, 2)),
            Span::new(Time::new(999_999, 1000), Time::new(1_000_001, 1000)),
        ];
        for k in 0..400i64 {
            let b = Time::new(k * 37 - 3_000, 1 + k % 97);
            spans.push(Span::new(b, b + Time::new(1 + k % 13, 1 + k % 31)));
        }
        for span in spans {
            assert_eq!(
                direct.query_span(span),
                composed.query_span(span),
                "{span:?}"
            );
        }
    }

    use super::*;

    #[test]
    fn rand_matches_tidal_first_value() {
        // `queryArc rand (Arc 0 1)` in Tidal 1.7.10.
        assert_eq!(time_to_rand(Time::HALF), 0.2591378428041935);
        assert_eq!(time_to_rand(Time::new(5, 12)), 0.49215780198574066);
    }

    #[test]
    fn negative_times_have_negative_fractions() {
        let a = time_to_int_seed(Time::new(-1, 2));
        let b = time_to_int_seed_f64(-0.5);
        assert_eq!(a, b);
        assert!((0.0..1.0).contains(&time_to_rand(Time::new(-7, 3))));
    }
}
