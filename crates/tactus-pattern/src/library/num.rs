//! Numbers patterns compute with, and the small Haskell-isms the library needs to match
//! Tidal exactly (`mod` with the divisor's sign, banker's `round`, cyclic `!!!`).

use crate::pattern::PatValue;
use crate::time::Time;
use crate::value::{NumOp, Value};

/// A number type patterns can do arithmetic on (Tidal's `Num`/`Fractional` instances):
/// `f64` (`Pattern Double`), `i64` (`Pattern Int`), [`Time`] (`Pattern Rational`) and
/// [`Value`] (dynamically typed, with Tidal's promotion rules).
pub trait Numeric: PatValue {
    /// Converts from a float (`fromRational . toRational` for exact types).
    fn from_f64(x: f64) -> Self;
    /// Converts from an integer (`fromIntegral`).
    fn from_i64(i: i64) -> Self;
    /// The value as a float (`realToFrac`); non-numeric values give `0`.
    fn to_f64(&self) -> f64;
    /// `a + b`
    fn add(&self, o: &Self) -> Self;
    /// `a - b`
    fn sub(&self, o: &Self) -> Self;
    /// `a * b`
    fn mul(&self, o: &Self) -> Self;
    /// `a / b` (integer division floors, as Haskell's `div`).
    fn div(&self, o: &Self) -> Self;
}

impl Numeric for f64 {
    fn from_f64(x: f64) -> Self {
        x
    }
    fn from_i64(i: i64) -> Self {
        i as f64
    }
    fn to_f64(&self) -> f64 {
        *self
    }
    fn add(&self, o: &Self) -> Self {
        self + o
    }
    fn sub(&self, o: &Self) -> Self {
        self - o
    }
    fn mul(&self, o: &Self) -> Self {
        self * o
    }
    fn div(&self, o: &Self) -> Self {
        self / o
    }
}

impl Numeric for i64 {
    fn from_f64(x: f64) -> Self {
        x as i64
    }
    fn from_i64(i: i64) -> Self {
        i
    }
    fn to_f64(&self) -> f64 {
        *self as f64
    }
    fn add(&self, o: &Self) -> Self {
        self.wrapping_add(*o)
    }
    fn sub(&self, o: &Self) -> Self {
        self.wrapping_sub(*o)
    }
    fn mul(&self, o: &Self) -> Self {
        self.wrapping_mul(*o)
    }
    fn div(&self, o: &Self) -> Self {
        if *o == 0 {
            0
        } else {
            hdiv(*self, *o)
        }
    }
}

impl Numeric for Time {
    fn from_f64(x: f64) -> Self {
        Time::from_f64(x)
    }
    fn from_i64(i: i64) -> Self {
        Time::int(i)
    }
    fn to_f64(&self) -> f64 {
        Time::to_f64(*self)
    }
    fn add(&self, o: &Self) -> Self {
        *self + *o
    }
    fn sub(&self, o: &Self) -> Self {
        *self - *o
    }
    fn mul(&self, o: &Self) -> Self {
        *self * *o
    }
    fn div(&self, o: &Self) -> Self {
        *self / *o
    }
}

impl Numeric for Value {
    fn from_f64(x: f64) -> Self {
        Value::Float(x)
    }
    fn from_i64(i: i64) -> Self {
        Value::Int(i)
    }
    fn to_f64(&self) -> f64 {
        self.as_f64().unwrap_or(0.0)
    }
    fn add(&self, o: &Self) -> Self {
        NumOp::Add.apply(self, o)
    }
    fn sub(&self, o: &Self) -> Self {
        NumOp::Sub.apply(self, o)
    }
    fn mul(&self, o: &Self) -> Self {
        NumOp::Mul.apply(self, o)
    }
    fn div(&self, o: &Self) -> Self {
        NumOp::Div.apply(self, o)
    }
}

/// Haskell's `mod`: the result has the sign of the divisor; `0` when dividing by zero.
///
/// ```
/// use tactus_pattern::library::num::hmod;
/// assert_eq!(hmod(-1, 4), 3);
/// assert_eq!(hmod(5, -3), -1);
/// ```
pub fn hmod(a: i64, b: i64) -> i64 {
    if b == 0 {
        return 0;
    }
    a.wrapping_rem(b).wrapping_add(b).wrapping_rem(b)
}

/// Haskell's `div`: rounds toward negative infinity; `0` when dividing by zero.
pub fn hdiv(a: i64, b: i64) -> i64 {
    if b == 0 {
        return 0;
    }
    let q = a.wrapping_div(b);
    if a.wrapping_rem(b) != 0 && ((a < 0) != (b < 0)) {
        q - 1
    } else {
        q
    }
}

/// Haskell's `mod'` on rationals: `a - b * floor (a / b)`.
pub fn tmod(a: Time, b: Time) -> Time {
    if b == Time::ZERO {
        return Time::ZERO;
    }
    a - b * (a / b).sam()
}

/// Haskell's `mod'` on floats: `a - b * floor (a / b)`.
pub fn fmod(a: f64, b: f64) -> f64 {
    a - b * (a / b).floor()
}

/// Haskell's `round`: halves go to the even neighbour (`round 2.5 == 2`).
pub fn hround(x: f64) -> f64 {
    x.round_ties_even()
}

/// Tidal's `!!!`: indexes a list cyclically (`xs !! (i `mod` length xs)`). `None` when empty.
pub fn cyclic<T>(xs: &[T], i: i64) -> Option<&T> {
    if xs.is_empty() {
        return None;
    }
    xs.get(hmod(i, xs.len() as i64) as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn haskell_integer_division() {
        assert_eq!(hdiv(-7, 2), -4);
        assert_eq!(hmod(-7, 2), 1);
        assert_eq!(hmod(7, -2), -1);
        assert_eq!(hmod(3, 0), 0);
    }

    #[test]
    fn bankers_rounding() {
        assert_eq!(hround(0.5), 0.0);
        assert_eq!(hround(1.5), 2.0);
        assert_eq!(hround(-2.5), -2.0);
    }
}
