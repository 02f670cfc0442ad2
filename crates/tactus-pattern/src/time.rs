//! Exact rational time.
//!
//! [`Time`] is a rational number in lowest terms with a positive denominator. Arithmetic is
//! checked: a result that does not fit in 64-bit numerator/denominator never wraps and never
//! panics. Instead it saturates and raises a per-thread overflow flag that the query guard
//! ([`crate::guard`]) turns into a [`crate::QueryError::Overflow`].

use std::cmp::Ordering;
use std::fmt;
use std::ops::{Add, Div, Mul, Neg, Sub};

use crate::guard;

/// An exact rational number of cycles, always in lowest terms, denominator > 0.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Time {
    n: i64,
    d: i64,
}

fn gcd(a: i128, b: i128) -> i128 {
    let (mut a, mut b) = (a.unsigned_abs(), b.unsigned_abs());
    if a <= u64::MAX as u128 && b <= u64::MAX as u128 {
        // Binary GCD: no 128-bit divisions (which dominate query time otherwise).
        return gcd_u64(a as u64, b as u64) as i128;
    }
    while b != 0 {
        let t = a % b;
        a = b;
        b = t;
    }
    a as i128
}

/// Stein's binary GCD.
fn gcd_u64(mut a: u64, mut b: u64) -> u64 {
    if a == 0 {
        return b;
    }
    if b == 0 {
        return a;
    }
    let shift = (a | b).trailing_zeros();
    a >>= a.trailing_zeros();
    loop {
        b >>= b.trailing_zeros();
        if a > b {
            std::mem::swap(&mut a, &mut b);
        }
        b -= a;
        if b == 0 {
            return a << shift;
        }
    }
}

impl Time {
    /// Zero cycles.
    pub const ZERO: Time = Time { n: 0, d: 1 };
    /// One cycle.
    pub const ONE: Time = Time { n: 1, d: 1 };
    /// One half cycle.
    pub const HALF: Time = Time { n: 1, d: 2 };
    /// The largest representable time, used when saturating after an overflow.
    pub const MAX: Time = Time { n: i64::MAX, d: 1 };
    /// The smallest representable time, used when saturating after an overflow.
    pub const MIN: Time = Time { n: -i64::MAX, d: 1 };

    /// `n / d` for constants already in lowest terms with `d > 0` (checked at compile time).
    pub const fn new_const(n: i64, d: i64) -> Time {
        assert!(d > 0, "denominator must be positive");
        Time { n, d }
    }

    /// An integer number of cycles.
    pub const fn int(n: i64) -> Time {
        Time { n, d: 1 }
    }

    /// `n / d` in lowest terms. A zero denominator raises the overflow flag and gives zero.
    ///
    /// ```
    /// use tactus_pattern::Time;
    /// assert_eq!(Time::new(2, 4), Time::new(1, 2));
    /// assert_eq!(Time::new(3, -6).to_string(), "-1/2");
    /// ```
    pub fn new(n: i64, d: i64) -> Time {
        Time::from_i128(n as i128, d as i128)
    }

    /// Builds from wide parts, reducing and checking that the result fits.
    fn from_i128(mut n: i128, mut d: i128) -> Time {
        if d == 0 {
            guard::flag_overflow();
            return Time::ZERO;
        }
        if d < 0 {
            n = -n;
            d = -d;
        }
        let g = gcd(n, d);
        if g > 1 {
            n /= g;
            d /= g;
        }
        if n > i64::MAX as i128 || n < -(i64::MAX as i128) || d > i64::MAX as i128 {
            guard::flag_overflow();
            return if n < 0 { Time::MIN } else { Time::MAX };
        }
        Time {
            n: n as i64,
            d: d as i64,
        }
    }

    /// The numerator (lowest terms, carries the sign).
    pub fn numer(self) -> i64 {
        self.n
    }

    /// The denominator (lowest terms, always positive).
    pub fn denom(self) -> i64 {
        self.d
    }

    /// The start of the cycle this time is in (Tidal's `sam`): the floor.
    pub fn sam(self) -> Time {
        Time::int(self.n.div_euclid(self.d))
    }

    /// The floor as an integer.
    pub fn floor_i64(self) -> i64 {
        self.n.div_euclid(self.d)
    }

    /// The ceiling as a time.
    pub fn ceil(self) -> Time {
        let f = self.n.div_euclid(self.d);
        if self.n.rem_euclid(self.d) == 0 {
            Time::int(f)
        } else {
            Time::int(f + 1)
        }
    }

    /// The start of the next cycle (Tidal's `nextSam`).
    pub fn next_sam(self) -> Time {
        self.sam() + Time::ONE
    }

    /// The position within the cycle, in `[0, 1)` (Tidal's `cyclePos`).
    pub fn cycle_pos(self) -> Time {
        self - self.sam()
    }

    /// True when this is a whole number of cycles.
    pub fn is_integer(self) -> bool {
        self.d == 1
    }

    /// The nearest `f64`.
    pub fn to_f64(self) -> f64 {
        self.n as f64 / self.d as f64
    }

    /// The smaller of two times.
    pub fn min(self, other: Time) -> Time {
        if self <= other {
            self
        } else {
            other
        }
    }

    /// The larger of two times.
    pub fn max(self, other: Time) -> Time {
        if self >= other {
            self
        } else {
            other
        }
    }

    /// The reciprocal; zero raises the overflow flag.
    pub fn recip(self) -> Time {
        Time::from_i128(self.d as i128, self.n as i128)
    }

    /// Converts a float exactly as Haskell's `toRational` does for the values Tidal users
    /// write (decimal literals): finds the simplest fraction that round-trips to the same
    /// `f64`. Non-finite input raises the overflow flag.
    pub fn from_f64(x: f64) -> Time {
        if !x.is_finite() {
            guard::flag_overflow();
            return Time::ZERO;
        }
        if x.fract() == 0.0 {
            if x.abs() >= 9.2e18 {
                guard::flag_overflow();
                return if x < 0.0 { Time::MIN } else { Time::MAX };
            }
            return Time::int(x as i64);
        }
        // Exact binary value: mantissa * 2^exp.
        let bits = x.to_bits();
        let sign: i128 = if bits >> 63 == 0 { 1 } else { -1 };
        let exp = ((bits >> 52) & 0x7ff) as i32;
        let mant = if exp == 0 {
            (bits & 0xf_ffff_ffff_ffff) << 1
        } else {
            (bits & 0xf_ffff_ffff_ffff) | 0x10_0000_0000_0000
        } as i128;
        let e = exp - 1075;
        if e >= 0 {
            // Integral, handled above.
            return Time::ZERO;
        }
        let shift = -e;
        if shift > 120 {
            // Tiny numbers: approximate with a continued fraction instead.
            return Time::approx_f64(x);
        }
        let mut n = mant;
        let mut d: i128 = 1i128 << shift.min(126);
        let g = gcd(n, d);
        n /= g;
        d /= g;
        if n > i64::MAX as i128 || d > i64::MAX as i128 {
            return Time::approx_f64(x);
        }
        Time::from_i128(sign * n, d)
    }

    /// The closest fraction with a denominator up to 2^40 (continued fractions).
    fn approx_f64(x: f64) -> Time {
        let neg = x < 0.0;
        let mut v = x.abs();
        let (mut p0, mut q0, mut p1, mut q1): (i128, i128, i128, i128) = (0, 1, 1, 0);
        for _ in 0..64 {
            let a = v.floor();
            if a > 1e18 {
                break;
            }
            let ai = a as i128;
            let p2 = ai * p1 + p0;
            let q2 = ai * q1 + q0;
            if q2 > (1i128 << 40) {
                break;
            }
            p0 = p1;
            q0 = q1;
            p1 = p2;
            q1 = q2;
            let f = v - a;
            if f < 1e-15 {
                break;
            }
            v = 1.0 / f;
        }
        if q1 == 0 {
            return Time::ZERO;
        }
        Time::from_i128(if neg { -p1 } else { p1 }, q1)
    }
}

impl Default for Time {
    fn default() -> Self {
        Time::ZERO
    }
}

impl From<i64> for Time {
    fn from(n: i64) -> Time {
        Time::int(n)
    }
}

impl PartialOrd for Time {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Time {
    fn cmp(&self, other: &Self) -> Ordering {
        if self.d == other.d {
            return self.n.cmp(&other.n);
        }
        (self.n as i128 * other.d as i128).cmp(&(other.n as i128 * self.d as i128))
    }
}

/// Reduces `n / d` (with `d > 0`) using 64-bit arithmetic only.
#[inline]
fn reduced(n: i64, d: i64) -> Time {
    let g = gcd_u64(n.unsigned_abs(), d as u64) as i64;
    if g > 1 {
        Time { n: n / g, d: d / g }
    } else {
        Time { n, d }
    }
}

/// `Some(x)` unless `x` is `i64::MIN` (whose negation does not fit).
#[inline]
fn fits(x: Option<i64>) -> Option<i64> {
    x.filter(|v| *v != i64::MIN)
}

impl Time {
    /// Exact sum in 64-bit arithmetic (Knuth's method: reduce by the denominators' gcd
    /// first), or `None` when an intermediate value would not fit.
    #[inline]
    fn add64(self, o: Time) -> Option<Time> {
        if self.d == o.d {
            let n = fits(self.n.checked_add(o.n))?;
            return Some(if self.d == 1 {
                Time { n, d: 1 }
            } else {
                reduced(n, self.d)
            });
        }
        let g = gcd_u64(self.d as u64, o.d as u64) as i64;
        if g == 1 {
            let n = fits(
                self.n
                    .checked_mul(o.d)?
                    .checked_add(o.n.checked_mul(self.d)?),
            )?;
            let d = self.d.checked_mul(o.d)?;
            return Some(Time { n, d });
        }
        let (s, t) = (self.d / g, o.d / g);
        let n = fits(self.n.checked_mul(t)?.checked_add(o.n.checked_mul(s)?))?;
        let g2 = gcd_u64(n.unsigned_abs(), g as u64) as i64;
        let d = s.checked_mul(o.d / g2)?;
        Some(Time { n: n / g2, d })
    }

    /// Exact product in 64-bit arithmetic (cross-reducing first), or `None` on overflow.
    #[inline]
    fn mul64(self, o: Time) -> Option<Time> {
        // an integer factor (`fast 32`, `* 16`) only cancels against the other denominator
        if o.d == 1 || self.d == 1 {
            let (int, frac) = if o.d == 1 { (o, self) } else { (self, o) };
            let g = gcd_u64(int.n.unsigned_abs(), frac.d as u64).max(1) as i64;
            let n = fits(frac.n.checked_mul(int.n / g))?;
            return Some(Time { n, d: frac.d / g });
        }
        let g1 = gcd_u64(self.n.unsigned_abs(), o.d as u64).max(1) as i64;
        let g2 = gcd_u64(o.n.unsigned_abs(), self.d as u64).max(1) as i64;
        let n = fits((self.n / g1).checked_mul(o.n / g2))?;
        let d = (self.d / g2).checked_mul(o.d / g1)?;
        Some(Time { n, d })
    }
}

impl Add for Time {
    type Output = Time;
    #[inline]
    fn add(self, o: Time) -> Time {
        match self.add64(o) {
            Some(t) => t,
            None => Time::from_i128(
                self.n as i128 * o.d as i128 + o.n as i128 * self.d as i128,
                self.d as i128 * o.d as i128,
            ),
        }
    }
}

impl Sub for Time {
    type Output = Time;
    #[inline]
    fn sub(self, o: Time) -> Time {
        self + (-o)
    }
}

impl Neg for Time {
    type Output = Time;
    #[inline]
    fn neg(self) -> Time {
        Time {
            n: -self.n,
            d: self.d,
        }
    }
}

impl Mul for Time {
    type Output = Time;
    #[inline]
    fn mul(self, o: Time) -> Time {
        match self.mul64(o) {
            Some(t) => t,
            None => Time::from_i128(self.n as i128 * o.n as i128, self.d as i128 * o.d as i128),
        }
    }
}

impl Div for Time {
    type Output = Time;
    #[inline]
    fn div(self, o: Time) -> Time {
        if o.n == 0 {
            guard::flag_overflow();
            return Time::ZERO;
        }
        // o's reciprocal with the sign on the numerator: fits, since |n| <= i64::MAX.
        let r = if o.n < 0 {
            Time { n: -o.d, d: -o.n }
        } else {
            Time { n: o.d, d: o.n }
        };
        self * r
    }
}

impl fmt::Display for Time {
    /// Canonical form: `n` or `n/d`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.d == 1 {
            write!(f, "{}", self.n)
        } else {
            write!(f, "{}/{}", self.n, self.d)
        }
    }
}

impl fmt::Debug for Time {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl std::str::FromStr for Time {
    type Err = String;
    /// Parses `n`, `n/d` or a decimal such as `0.25`.
    fn from_str(s: &str) -> Result<Time, String> {
        let s = s.trim();
        let bad = || format!("not a rational time: {s:?} (expected n, n/d or a decimal)");
        if let Some((a, b)) = s.split_once('/') {
            let n: i64 = a.trim().parse().map_err(|_| bad())?;
            let d: i64 = b.trim().parse().map_err(|_| bad())?;
            if d == 0 {
                return Err(format!("zero denominator in {s:?}"));
            }
            return Ok(Time::new(n, d));
        }
        if let Ok(n) = s.parse::<i64>() {
            return Ok(Time::int(n));
        }
        let x: f64 = s.parse().map_err(|_| bad())?;
        if !x.is_finite() {
            return Err(bad());
        }
        Ok(Time::from_f64(x))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lowest_terms_and_sign() {
        assert_eq!(Time::new(6, -4).to_string(), "-3/2");
        assert_eq!(Time::new(0, 5), Time::ZERO);
        assert_eq!(Time::new(-7, 2).sam(), Time::int(-4));
        assert_eq!(Time::new(-7, 2).cycle_pos(), Time::HALF);
    }

    #[test]
    fn from_f64_is_exact_binary() {
        assert_eq!(Time::from_f64(0.25), Time::new(1, 4));
        assert_eq!(Time::from_f64(-1.5), Time::new(-3, 2));
        assert_eq!(Time::from_f64(0.1).to_f64(), 0.1);
    }

    #[test]
    fn overflow_flags_never_wraps() {
        let _g = guard::QueryGuard::new(1000);
        let big = Time::new(i64::MAX - 1, 1);
        let r = big + big;
        assert_eq!(r, Time::MAX);
        assert!(guard::overflowed());
    }
}

#[cfg(test)]
mod arithmetic_tests {
    use super::*;

    fn wide(a: Time, b: Time, op: char) -> (i128, i128) {
        let (n, d) = match op {
            '+' => (
                a.n as i128 * b.d as i128 + b.n as i128 * a.d as i128,
                a.d as i128 * b.d as i128,
            ),
            '*' => (a.n as i128 * b.n as i128, a.d as i128 * b.d as i128),
            _ => (a.n as i128 * b.d as i128, a.d as i128 * b.n as i128),
        };
        let g = gcd(n, d).max(1) * if d < 0 { -1 } else { 1 };
        (n / g, d / g)
    }

    #[test]
    fn fast_paths_agree_with_wide_arithmetic() {
        let vals: Vec<Time> = [
            (0, 1),
            (1, 1),
            (-1, 1),
            (1, 2),
            (-3, 4),
            (5, 6),
            (7, 12),
            (-11, 30),
            (1, 3),
            (1_000_000_007, 3),
            (-9_999_999_967, 1_000_003),
            (i64::MAX / 3, 7),
            (3, i64::MAX / 5),
        ]
        .iter()
        .map(|&(n, d)| Time::new(n, d))
        .collect();
        for &a in &vals {
            for &b in &vals {
                for op in ['+', '*', '/'] {
                    if op == '/' && b.n == 0 {
                        continue;
                    }
                    let _g = guard::QueryGuard::new(10);
                    let r = match op {
                        '+' => a + b,
                        '*' => a * b,
                        _ => a / b,
                    };
                    let (n, d) = wide(a, b, op);
                    if n.abs() <= i64::MAX as i128 && d <= i64::MAX as i128 {
                        assert!(!guard::overflowed(), "{a} {op} {b}");
                        assert_eq!((r.n as i128, r.d as i128), (n, d), "{a} {op} {b}");
                    } else {
                        assert!(guard::overflowed(), "{a} {op} {b} should overflow");
                    }
                }
            }
        }
    }

    #[test]
    fn products_with_integers_are_exact_and_reduced() {
        let vals = [
            (0, 1),
            (1, 1),
            (-1, 1),
            (32, 1),
            (-7, 1),
            (3, 4),
            (-5, 6),
            (1, 32),
            (7, 96),
            (i64::MAX / 3, 1),
            (5, i64::MAX / 7),
        ];
        for &(a, b) in &vals {
            for &(c, d) in &vals {
                let (x, y) = (Time::new(a, b), Time::new(c, d));
                let want = Time::from_i128(
                    i128::from(x.n) * i128::from(y.n),
                    i128::from(x.d) * i128::from(y.d),
                );
                assert_eq!(x * y, want, "{x} * {y}");
            }
        }
    }
}
