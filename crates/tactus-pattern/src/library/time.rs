//! Transformations of time: repeating (`ply`, `stutter`, `echo`, `stutWith`), rotating
//! (`iter`, `palindrome`), squashing and zooming (`compress`, `zoom`, `fastGap`, `linger`,
//! `trunc`, `inside`), swing, `brak` and `press`. Tidal 1.7.10 semantics.

use crate::core::{compress_span, fast, fast_gap, late_pat, rev, slow, slowcat, stack, zoom_span};
use crate::library::conditional::{when, within};
use crate::library::structure::{arpeggiate, cat_with};
use crate::pattern::{PatFn, PatValue, Pattern};
use crate::span::Span;
use crate::time::Time;

/// The most layers `stutWith`/`plyWith` build: deeper nesting would exhaust the stack when
/// queried, so larger counts are clamped (Tidal has no limit).
pub const MAX_LAYERS: i64 = 4096;

/// Repeats each event `n` times within its span (Tidal 1.7.10's `_ply`:
/// `squeezeJoin $ _fast n . pure <$> p`, so fractional `n` cuts the last repeat short).
pub fn ply<T: PatValue>(n: Time, p: &Pattern<T>) -> Pattern<T> {
    p.squeeze_bind(move |v| fast(n, &Pattern::pure(v.clone())))
}

/// [`ply`] with a patterned count (Tidal's `ply`).
pub fn ply_pat<T: PatValue>(n: &Pattern<Time>, p: &Pattern<T>) -> Pattern<T> {
    let p = p.clone();
    n.inner_bind(move |n| ply(*n, &p))
}

/// Like [`ply`], applying `f` cumulatively to each repeat (Tidal's `_plyWith`).
pub fn ply_with<T: PatValue>(n: f64, f: &PatFn<T>, p: &Pattern<T>) -> Pattern<T> {
    let mut layers = 1;
    let mut x = n;
    while x > 1.0 && layers < MAX_LAYERS {
        x -= 1.0;
        layers += 1;
    }
    let mut acc = p.clone();
    for _ in 1..layers {
        acc = stack(vec![p.clone(), f(&acc)]);
    }
    arpeggiate(&acc)
}

/// [`ply_with`] with a patterned count (Tidal's `plyWith`).
pub fn ply_with_pat<T: PatValue>(n: &Pattern<f64>, f: &PatFn<T>, p: &Pattern<T>) -> Pattern<T> {
    let (f, p) = (f.clone(), p.clone());
    n.inner_bind(move |n| ply_with(*n, &f, &p))
}

/// Stacks `n` copies of `p`, each `t` later than the last (Tidal's `stutter`).
pub fn stutter<T: PatValue>(n: i64, t: Time, p: &Pattern<T>) -> Pattern<T> {
    stack(
        (0..n.clamp(0, MAX_LAYERS))
            .map(|i| p.rotate_right(t * Time::int(i)))
            .collect(),
    )
}

/// Tidal 1.7.10's `echo`: the pattern and one copy `t` later (`stutter 2`).
pub fn echo<T: PatValue>(t: Time, p: &Pattern<T>) -> Pattern<T> {
    stutter(2, t, p)
}

/// Tidal 1.7.10's `double` (an alias of [`echo`]).
pub fn double<T: PatValue>(t: Time, p: &Pattern<T>) -> Pattern<T> {
    stutter(2, t, p)
}

/// Tidal 1.7.10's `triple` (`stutter 3`).
pub fn triple<T: PatValue>(t: Time, p: &Pattern<T>) -> Pattern<T> {
    stutter(3, t, p)
}

/// Tidal 1.7.10's `quad` (`stutter 4`).
pub fn quad<T: PatValue>(t: Time, p: &Pattern<T>) -> Pattern<T> {
    stutter(4, t, p)
}

/// Overlays `count - 1` echoes, each `t` later with `f` applied once more (Tidal's
/// `_stutWith`).
pub fn stut_with<T: PatValue>(count: i64, t: Time, f: &PatFn<T>, p: &Pattern<T>) -> Pattern<T> {
    let mut acc = p.clone();
    for _ in 1..count.min(MAX_LAYERS) {
        acc = stack(vec![f(&acc.rotate_right(t)), p.clone()]);
    }
    acc
}

/// [`stut_with`] with patterned count and time (Tidal's `stutWith`: `innerJoin` over
/// `n <* t`).
pub fn stut_with_pat<T: PatValue>(
    n: &Pattern<i64>,
    t: &Pattern<Time>,
    f: &PatFn<T>,
    p: &Pattern<T>,
) -> Pattern<T> {
    let (f, p) = (f.clone(), p.clone());
    n.app_left(t, |n, t| (*n, *t))
        .inner_bind(move |(n, t)| stut_with(*n, *t, &f, &p))
}

/// The later name of [`stut_with_pat`] (Tidal 1.9's `echoWith`; 1.7.10 calls it `stutWith`).
pub fn echo_with_pat<T: PatValue>(
    n: &Pattern<i64>,
    t: &Pattern<Time>,
    f: &PatFn<T>,
    p: &Pattern<T>,
) -> Pattern<T> {
    stut_with_pat(n, t, f, p)
}

/// Shifts the pattern `1/n` further left each cycle, over `n` cycles (Tidal's `_iter`).
pub fn iter<T: PatValue>(n: i64, p: &Pattern<T>) -> Pattern<T> {
    let p = p.clone();
    let nt = Time::int(n.max(1));
    cat_with(n, move |i| p.rotate_left(Time::int(i) / nt))
}

/// [`iter`] with a patterned count (Tidal's `iter`).
pub fn iter_pat<T: PatValue>(n: &Pattern<i64>, p: &Pattern<T>) -> Pattern<T> {
    let p = p.clone();
    n.inner_bind(move |n| iter(*n, &p))
}

/// Like [`iter`], shifting right instead (Tidal's `_iter'`).
pub fn iter_prime<T: PatValue>(n: i64, p: &Pattern<T>) -> Pattern<T> {
    let p = p.clone();
    let nt = Time::int(n.max(1));
    cat_with(n, move |i| p.rotate_right(Time::int(i) / nt))
}

/// [`iter_prime`] with a patterned count (Tidal's `iter'`).
pub fn iter_prime_pat<T: PatValue>(n: &Pattern<i64>, p: &Pattern<T>) -> Pattern<T> {
    let p = p.clone();
    n.inner_bind(move |n| iter_prime(*n, &p))
}

/// Plays the pattern forwards, then backwards, alternating cycles (Tidal's `palindrome`).
pub fn palindrome<T: PatValue>(p: &Pattern<T>) -> Pattern<T> {
    slowcat(vec![p.clone(), rev(p)])
}

/// Applies `f` "inside" a cycle of `n` cycles: `fast n . f . slow n` (Tidal's `inside`).
pub fn inside<T: PatValue>(n: Time, f: &PatFn<T>, p: &Pattern<T>) -> Pattern<T> {
    fast(n, &f(&slow(n, p)))
}

/// [`inside`] with a patterned factor (Tidal 1.7.10's `inside`: `innerJoin` over the
/// constant version, so the factor is read once per event of `n`).
pub fn inside_pat<T: PatValue>(n: &Pattern<Time>, f: &PatFn<T>, p: &Pattern<T>) -> Pattern<T> {
    let (f, p) = (f.clone(), p.clone());
    n.inner_bind(move |n| inside(*n, &f, &p))
}

/// `inside (1/n)` (Tidal's `outside`).
pub fn outside<T: PatValue>(n: Time, f: &PatFn<T>, p: &Pattern<T>) -> Pattern<T> {
    inside(n.recip(), f, p)
}

/// [`outside`] with a patterned factor (Tidal's `outside`).
pub fn outside_pat<T: PatValue>(n: &Pattern<Time>, f: &PatFn<T>, p: &Pattern<T>) -> Pattern<T> {
    inside_pat(&n.fmap(|n| n.recip()), f, p)
}

/// Delays events in the second half of each of `n` slices of a cycle by `x` of a slice
/// (Tidal's `swingBy x n = inside n (within (0.5, 1) (x ~>))`).
pub fn swing_by<T: PatValue>(x: &Pattern<Time>, n: &Pattern<Time>, p: &Pattern<T>) -> Pattern<T> {
    let x = x.clone();
    let shift: PatFn<T> = std::sync::Arc::new(move |q: &Pattern<T>| late_pat(&x, q));
    let win: PatFn<T> =
        std::sync::Arc::new(move |q: &Pattern<T>| within(Time::HALF, Time::ONE, &shift, q));
    inside_pat(n, &win, p)
}

/// `swingBy (1/3)` (Tidal's `swing`).
pub fn swing<T: PatValue>(n: &Pattern<Time>, p: &Pattern<T>) -> Pattern<T> {
    swing_by(&Pattern::pure(Time::new(1, 3)), n, p)
}

/// Squashes every other cycle into its first half and shifts it a quarter cycle later,
/// for a breakbeat feel (Tidal's `brak`).
pub fn brak<T: PatValue>(p: &Pattern<T>) -> Pattern<T> {
    let f: PatFn<T> = std::sync::Arc::new(|x: &Pattern<T>| {
        crate::core::fastcat(vec![x.clone(), Pattern::silence()]).rotate_right(Time::new(1, 4))
    });
    when(|c| c.rem_euclid(2) == 1, &f, p)
}

/// Squashes each cycle into `[b, e)` of the cycle (Tidal's `compress`).
pub fn compress<T: PatValue>(b: Time, e: Time, p: &Pattern<T>) -> Pattern<T> {
    compress_span(Span::new(b, e), p)
}

/// Plays only `[b, e)` of each cycle, stretched to the whole cycle (Tidal's `zoom`).
pub fn zoom<T: PatValue>(b: Time, e: Time, p: &Pattern<T>) -> Pattern<T> {
    zoom_span(Span::new(b, e), p)
}

/// [`zoom`] taking a span (Tidal's `zoomArc`).
pub fn zoom_arc<T: PatValue>(span: Span, p: &Pattern<T>) -> Pattern<T> {
    zoom_span(span, p)
}

/// Squashes each cycle into `[b, e)`, where `b` may be any time: the cycle position of `b`
/// to `e - sam b` (Tidal's `compressTo`).
pub fn compress_to<T: PatValue>(b: Time, e: Time, p: &Pattern<T>) -> Pattern<T> {
    compress_span(Span::new(b.cycle_pos(), e - b.sam()), p)
}

/// [`fast_gap`] with a patterned factor (Tidal's `fastGap`).
pub fn fast_gap_pat<T: PatValue>(r: &Pattern<Time>, p: &Pattern<T>) -> Pattern<T> {
    let p = p.clone();
    r.inner_bind(move |r| fast_gap(*r, &p))
}

/// Repeats the first `n` of each cycle to fill the cycle; negative `n` takes the end of the
/// cycle (and, as in Tidal 1.7.10, reverses it: the speed-up is by `1/n`).
pub fn linger<T: PatValue>(n: Time, p: &Pattern<T>) -> Pattern<T> {
    if n == Time::ZERO {
        return Pattern::silence();
    }
    if n < Time::ZERO {
        fast(
            n.recip(),
            &zoom_span(Span::new(Time::ONE + n, Time::ONE), p),
        )
    } else {
        fast(n.recip(), &zoom_span(Span::new(Time::ZERO, n), p))
    }
}

/// [`linger`] with a patterned amount (Tidal's `linger`).
pub fn linger_pat<T: PatValue>(n: &Pattern<Time>, p: &Pattern<T>) -> Pattern<T> {
    let p = p.clone();
    n.inner_bind(move |n| linger(*n, &p))
}

/// Plays only the first `t` of each cycle, leaving silence after (Tidal 1.7.10's `_trunc =
/// compress (0, t) . zoomArc (Arc 0 t)`: parts are cut, wholes kept).
pub fn trunc<T: PatValue>(t: Time, p: &Pattern<T>) -> Pattern<T> {
    compress(Time::ZERO, t, &zoom_span(Span::new(Time::ZERO, t), p))
}

/// [`trunc`] with a patterned amount (Tidal's `trunc`).
pub fn trunc_pat<T: PatValue>(t: &Pattern<Time>, p: &Pattern<T>) -> Pattern<T> {
    let p = p.clone();
    t.inner_bind(move |t| trunc(*t, &p))
}

/// Squashes each event into the last `1 - r` of its span (Tidal's `_pressBy`).
pub fn press_by<T: PatValue>(r: Time, p: &Pattern<T>) -> Pattern<T> {
    p.squeeze_bind(move |v| compress_to(r, Time::ONE, &Pattern::pure(v.clone())))
}

/// [`press_by`] with a patterned amount (Tidal's `pressBy`).
pub fn press_by_pat<T: PatValue>(r: &Pattern<Time>, p: &Pattern<T>) -> Pattern<T> {
    let p = p.clone();
    r.inner_bind(move |r| press_by(*r, &p))
}

/// Squashes each event into the second half of its span (Tidal's `press = pressBy 0.5`).
pub fn press<T: PatValue>(p: &Pattern<T>) -> Pattern<T> {
    press_by(Time::HALF, p)
}

/// Speeds up by a patterned factor, squeezing a whole cycle of the sped-up pattern into
/// each factor event (Tidal's `fastSqueeze`).
pub fn fast_squeeze<T: PatValue>(r: &Pattern<Time>, p: &Pattern<T>) -> Pattern<T> {
    let p = p.clone();
    r.squeeze_bind(move |r| fast(*r, &p))
}

/// Slows down by a patterned factor, squeezed like [`fast_squeeze`] (Tidal's
/// `slowSqueeze`).
pub fn slow_squeeze<T: PatValue>(r: &Pattern<Time>, p: &Pattern<T>) -> Pattern<T> {
    let p = p.clone();
    r.squeeze_bind(move |r| slow(*r, &p))
}
