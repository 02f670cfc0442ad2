//! Playing several versions of a pattern together or in turn: `overlay`, `superimpose`,
//! `off`, `layer`, `spread` and friends. Tidal 1.7.10 semantics.

use crate::core::{fastcat, slowcat, stack};
use crate::pattern::{PatFn, PatValue, Pattern};
use crate::time::Time;

/// Plays two patterns at once (Tidal's `overlay`).
pub fn overlay<T: PatValue>(a: &Pattern<T>, b: &Pattern<T>) -> Pattern<T> {
    stack(vec![a.clone(), b.clone()])
}

/// Plays the pattern together with a transformed copy (Tidal's `superimpose`).
pub fn superimpose<T: PatValue>(f: &PatFn<T>, p: &Pattern<T>) -> Pattern<T> {
    stack(vec![p.clone(), f(p)])
}

/// Superimposes a copy shifted `t` later and transformed by `f` (Tidal's `_off`).
pub fn off<T: PatValue>(t: Time, f: &PatFn<T>, p: &Pattern<T>) -> Pattern<T> {
    stack(vec![p.clone(), f(&p.rotate_right(t))])
}

/// [`off`] with a patterned shift (Tidal's `off`).
pub fn off_pat<T: PatValue>(t: &Pattern<Time>, f: &PatFn<T>, p: &Pattern<T>) -> Pattern<T> {
    let (f, p) = (f.clone(), p.clone());
    t.inner_bind(move |t| off(*t, &f, &p))
}

/// Stacks the results of applying each function to the pattern (Tidal's `layer`).
pub fn layer<T: PatValue>(fs: &[PatFn<T>], p: &Pattern<T>) -> Pattern<T> {
    stack(fs.iter().map(|f| f(p)).collect())
}

/// Applies `f` with each argument in turn, one per cycle (Tidal's `spread`/`slowspread`).
pub fn spread<A, T: PatValue>(
    f: impl Fn(&A, &Pattern<T>) -> Pattern<T>,
    xs: &[A],
    p: &Pattern<T>,
) -> Pattern<T> {
    slowcat(xs.iter().map(|x| f(x, p)).collect())
}

/// Alias of [`spread`] (Tidal's `slowspread`).
pub fn slowspread<A, T: PatValue>(
    f: impl Fn(&A, &Pattern<T>) -> Pattern<T>,
    xs: &[A],
    p: &Pattern<T>,
) -> Pattern<T> {
    spread(f, xs, p)
}

/// Like [`spread`], all arguments squashed into one cycle (Tidal's `fastspread`).
pub fn fastspread<A, T: PatValue>(
    f: impl Fn(&A, &Pattern<T>) -> Pattern<T>,
    xs: &[A],
    p: &Pattern<T>,
) -> Pattern<T> {
    fastcat(xs.iter().map(|x| f(x, p)).collect())
}

/// Applies each function in turn, one per cycle (Tidal's `spreadf = spread ($)`).
pub fn spreadf<T: PatValue>(fs: &[PatFn<T>], p: &Pattern<T>) -> Pattern<T> {
    spread(|f: &PatFn<T>, p| f(p), fs, p)
}

/// [`spread`] over a pattern of arguments, joined with `unwrap` (Tidal's `spread'`).
pub fn spread_pat<A: PatValue, T: PatValue>(
    f: impl Fn(&A, &Pattern<T>) -> Pattern<T> + Send + Sync + 'static,
    xs: &Pattern<A>,
    p: &Pattern<T>,
) -> Pattern<T> {
    let p = p.clone();
    xs.bind(move |x| f(x, &p))
}

/// Alternates cycles of two patterns (Tidal's `append`/`slowAppend`).
pub fn append<T: PatValue>(a: &Pattern<T>, b: &Pattern<T>) -> Pattern<T> {
    slowcat(vec![a.clone(), b.clone()])
}

/// Like [`append`], twice as fast: a cycle of each in every cycle (Tidal's `fastAppend`).
pub fn fast_append<T: PatValue>(a: &Pattern<T>, b: &Pattern<T>) -> Pattern<T> {
    fastcat(vec![a.clone(), b.clone()])
}
