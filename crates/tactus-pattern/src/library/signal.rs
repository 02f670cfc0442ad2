//! Continuous signals (`sine`, `saw`, ...), ranges, quantisation, sampling (`segment`) and
//! numeric sequences (`run`, `scan`), as in Tidal 1.7.10's `Sound.Tidal.Core`/`UI`.
//!
//! Signals have no whole (they are "analog") and, like Tidal's `sig`, take their value at the
//! midpoint of the query.

use crate::core::{fast, slowcat};
use crate::guard;
use crate::hap::Hap;
use crate::library::num::{hround, Numeric};
use crate::pattern::{PatValue, Pattern};
use crate::span::Span;
use crate::time::Time;

/// A sine wave from 0 to 1 with a period of one cycle (Tidal's `sine`).
///
/// ```
/// use tactus_pattern::{library::signal::sine, Span, Time};
/// let h = sine().query_span(Span::new(Time::ZERO, Time::ZERO));
/// assert!((h[0].value - 0.5).abs() < 1e-12);
/// ```
pub fn sine() -> Pattern<f64> {
    Pattern::signal(|t| ((std::f64::consts::PI * 2.0 * t.to_f64()).sin() + 1.0) / 2.0)
}

/// `sine` shifted a quarter cycle later (Tidal's `cosine`).
pub fn cosine() -> Pattern<f64> {
    sine().rotate_right(Time::new(1, 4))
}

/// A rising sawtooth from 0 to 1 every cycle (Tidal's `saw`).
pub fn saw() -> Pattern<f64> {
    Pattern::signal(|t| t.cycle_pos().to_f64())
}

/// A falling sawtooth from 1 to 0 every cycle (Tidal's `isaw`).
pub fn isaw() -> Pattern<f64> {
    saw().fmap(|x| 1.0 - x)
}

/// A triangle wave: `saw` then `isaw`, twice as fast (Tidal's `tri = fastAppend saw isaw`).
pub fn tri() -> Pattern<f64> {
    fast(Time::int(2), &slowcat(vec![saw(), isaw()]))
}

/// A square wave: 0 for the first half of each cycle, 1 for the second (Tidal's `square`).
pub fn square() -> Pattern<f64> {
    Pattern::signal(|t| {
        let x = t.to_f64();
        ((x - x.floor()) * 2.0).floor()
    })
}

/// Rises linearly from 0 to 1 over the first cycle, then stays at 1 (Tidal's `envL`).
pub fn env_l() -> Pattern<f64> {
    Pattern::signal(|t| t.to_f64().clamp(0.0, 1.0))
}

/// `1 - envL` (Tidal's `envLR`).
pub fn env_lr() -> Pattern<f64> {
    env_l().fmap(|x| 1.0 - x)
}

/// Alias of [`env_lr`] (reversed `envL`).
pub fn env_r() -> Pattern<f64> {
    env_lr()
}

/// Equal-power fade from 1 to 0 over the first cycle (Tidal's `envEq`).
pub fn env_eq() -> Pattern<f64> {
    Pattern::signal(|t| {
        let x = (Time::ONE - t).to_f64().clamp(0.0, 1.0);
        (std::f64::consts::FRAC_PI_2 * x).sin().sqrt()
    })
}

/// Equal-power fade from 0 to 1 over the first cycle (Tidal's `envEqR`).
pub fn env_eq_r() -> Pattern<f64> {
    Pattern::signal(|t| {
        let x = (Time::ONE - t).to_f64().clamp(0.0, 1.0);
        (std::f64::consts::FRAC_PI_2 * x).cos().sqrt()
    })
}

/// Scales a 0..1 pattern to `from..to`, with patterned bounds and structure from `p`
/// (Tidal's `range from to p = (\f t v -> v*(t-f)+f) <$> from *> to *> p`).
pub fn range<T: Numeric>(from: &Pattern<T>, to: &Pattern<T>, p: &Pattern<T>) -> Pattern<T> {
    from.app_right(to, |f, t| (f.clone(), t.clone()))
        .app_right(p, |(f, t), v| v.mul(&t.sub(f)).add(f))
}

/// [`range`] with constant bounds (Tidal's `_range`).
pub fn range_const<T: Numeric>(from: T, to: T, p: &Pattern<T>) -> Pattern<T> {
    p.fmap(move |v| v.mul(&to.sub(&from)).add(&from))
}

/// Exponential range, for frequencies (Tidal's `rangex`): bounds must be positive.
pub fn rangex(from: f64, to: f64, p: &Pattern<f64>) -> Pattern<f64> {
    let (lf, lt) = (from.ln(), to.ln());
    p.fmap(move |v| (v * (lt - lf) + lf).exp())
}

fn quantise_with<T: Numeric>(n: T, p: &Pattern<T>, f: fn(f64) -> f64) -> Pattern<T> {
    p.fmap(move |v| T::from_i64(f(v.mul(&n).to_f64()) as i64).div(&n))
}

/// Rounds values to the nearest multiple of `1/n`, halves to even as Haskell's `round`
/// (Tidal's `quantise`).
pub fn quantise<T: Numeric>(n: T, p: &Pattern<T>) -> Pattern<T> {
    quantise_with(n, p, hround)
}

/// Like [`quantise`] but rounding down (Tidal's `qfloor`).
pub fn qfloor<T: Numeric>(n: T, p: &Pattern<T>) -> Pattern<T> {
    quantise_with(n, p, f64::floor)
}

/// Like [`quantise`] but rounding up (Tidal's `qceiling`).
pub fn qceiling<T: Numeric>(n: T, p: &Pattern<T>) -> Pattern<T> {
    quantise_with(n, p, f64::ceil)
}

/// Samples `p` `n` times per cycle, giving discrete events (Tidal's `_segment`).
pub fn segment<T: PatValue>(n: Time, p: &Pattern<T>) -> Pattern<T> {
    fast(n, &Pattern::pure(())).app_left(p, |_, v| v.clone())
}

/// [`segment`] with a patterned rate (Tidal's `segment`, via `tParam`).
pub fn segment_pat<T: PatValue>(n: &Pattern<Time>, p: &Pattern<T>) -> Pattern<T> {
    let p = p.clone();
    n.inner_bind(move |n| segment(*n, &p))
}

/// The old name of [`segment_pat`] (Tidal's `discretise`).
pub fn discretise<T: PatValue>(n: &Pattern<Time>, p: &Pattern<T>) -> Pattern<T> {
    segment_pat(n, p)
}

/// `count` values squashed into each cycle, value `k` computed by `f(k)`: the lazy
/// equivalent of `fastcat (map (pure . f) [0 .. count-1])` that only builds the events a
/// query touches.
pub fn fast_from_fn<T: PatValue>(
    count: i64,
    f: impl Fn(i64) -> T + Send + Sync + 'static,
) -> Pattern<T> {
    if count <= 0 {
        return Pattern::silence();
    }
    let n = Time::int(count);
    Pattern::new(move |st| {
        let mut out = Vec::new();
        for piece in st.span.cycles() {
            let cyc = piece.begin.sam();
            let first = ((piece.begin - cyc) * n).floor_i64();
            let last = if piece.is_zero_width() {
                first
            } else {
                ((piece.end - cyc) * n).ceil().floor_i64() - 1
            };
            for k in first..=last.min(count - 1) {
                if !guard::spend(1) {
                    return out;
                }
                let whole = Span::new(cyc + Time::int(k) / n, cyc + Time::int(k + 1) / n);
                if let Some(part) = piece.intersect(&whole) {
                    out.push(Hap::new(Some(whole), part, f(k)));
                } else if piece.is_zero_width() && piece.begin == whole.begin {
                    out.push(Hap::new(Some(whole), piece, f(k)));
                }
            }
        }
        out
    })
}

/// Haskell's `[0 .. n-1]` for a number type: integers up to `n - 1`, or for fractional
/// types every whole step while it is at most `n - 1 + 1/2` (`numericEnumFromTo`).
fn enum_count<T: Numeric>(n: &T) -> i64 {
    let lim = n.to_f64() - 1.0 + 0.5;
    if lim.is_nan() || lim < 0.0 {
        0
    } else {
        lim.floor().min(i64::MAX as f64 / 2.0) as i64 + 1
    }
}

/// `0 .. n-1` in one cycle (Tidal's `_run`).
///
/// ```
/// use tactus_pattern::{library::signal::run, Span, Time};
/// let h = run(4i64).query_span(Span::new(Time::ZERO, Time::ONE));
/// assert_eq!(h.iter().map(|h| h.value).collect::<Vec<_>>(), vec![0, 1, 2, 3]);
/// ```
pub fn run<T: Numeric>(n: T) -> Pattern<T> {
    let count = enum_count(&n);
    let zero = n.sub(&n);
    fast_from_fn(count, move |k| zero.add(&T::from_i64(k)))
}

/// [`run`] with a patterned length, joined with `unwrap` (Tidal's `run = (>>= _run)`).
pub fn run_pat<T: Numeric>(n: &Pattern<T>) -> Pattern<T> {
    n.bind(|n| run(n.clone()))
}

/// `run 1`, then `run 2`, ... up to `run n`, one per cycle, then again (Tidal's `_scan`).
pub fn scan<T: Numeric>(n: T) -> Pattern<T> {
    let count = enum_count(&n);
    if count <= 0 {
        return Pattern::silence();
    }
    let zero = n.sub(&n);
    Pattern::new(move |st| {
        let mut out = Vec::new();
        for piece in st.span.cycles() {
            let i = piece.begin.floor_i64().rem_euclid(count);
            let z = zero.clone();
            out.extend(
                fast_from_fn(i + 1, move |k| z.add(&T::from_i64(k))).query(&st.with_span(piece)),
            );
        }
        out
    })
}

/// [`scan`] with a patterned length (Tidal's `scan = (>>= _scan)`).
pub fn scan_pat<T: Numeric>(n: &Pattern<T>) -> Pattern<T> {
    n.bind(|n| scan(n.clone()))
}

/// A pattern of the values of a list, one per cycle each (Tidal's `fromList`).
pub fn from_list<T: PatValue>(xs: Vec<T>) -> Pattern<T> {
    slowcat(xs.into_iter().map(Pattern::pure).collect())
}

/// A pattern of the values of a list squashed into one cycle (Tidal's `fastFromList`,
/// `listToPat`).
pub fn fast_from_list<T: PatValue>(xs: Vec<T>) -> Pattern<T> {
    let n = xs.len() as i64;
    fast_from_fn(n, move |k| xs[k as usize].clone())
}

/// `Nothing` as a rest, `Just x` as an event, squashed into one cycle (Tidal's
/// `fromMaybes`).
pub fn from_maybes<T: PatValue>(xs: Vec<Option<T>>) -> Pattern<T> {
    crate::core::fastcat(
        xs.into_iter()
            .map(|x| x.map(Pattern::pure).unwrap_or_else(Pattern::silence))
            .collect(),
    )
}
