//! Small numeric helpers shared by the units.

use std::f32::consts::PI;

/// Middle C (MIDI note 60) in Hz; `note 0` in Tidal/SuperDirt.
pub const MIDDLE_C: f32 = 261.625_58;

/// Frequency of a MIDI note number (69 = A4 = 440 Hz).
///
/// ```
/// assert!((tactus_dsp::math::midi_to_hz(69.0) - 440.0).abs() < 1e-3);
/// ```
#[inline]
pub fn midi_to_hz(note: f32) -> f32 {
    440.0 * exp2((note - 69.0) / 12.0)
}

/// `2^x`.
#[inline]
pub fn exp2(x: f32) -> f32 {
    x.exp2()
}

/// Decibels to linear amplitude.
#[inline]
pub fn db_to_amp(db: f32) -> f32 {
    10f32.powf(db / 20.0)
}

/// Linear amplitude to decibels (floored at -200 dB).
#[inline]
pub fn amp_to_db(a: f32) -> f32 {
    20.0 * a.abs().max(1e-10).log10()
}

/// Linear interpolation.
#[inline]
pub fn lerp(a: f32, b: f32, t: f32) -> f32 {
    a + (b - a) * t
}

/// Maps `x` in `[0,1]` exponentially onto `[lo, hi]` (both > 0), like SuperCollider's `linexp`.
#[inline]
pub fn lin_exp(x: f32, lo: f32, hi: f32) -> f32 {
    lo * (hi / lo).powf(x.clamp(0.0, 1.0))
}

/// The prewarped bilinear-transform gain `g = tan(pi * f / sr)` with `f` kept below Nyquist.
#[inline]
pub fn tpt_g(freq: f32, sample_rate: f32) -> f32 {
    let f = freq.clamp(1.0, sample_rate * 0.49);
    (PI * f / sample_rate).tan()
}

/// One-pole smoothing coefficient for a time constant `seconds` (0 = no smoothing).
#[inline]
pub fn smoothing_coef(seconds: f32, sample_rate: f32) -> f32 {
    if seconds <= 0.0 {
        0.0
    } else {
        (-1.0 / (seconds * sample_rate)).exp()
    }
}

/// `sin(2 pi t)`: a sine of a phase in turns, for oscillators. Accurate to about 1e-7
/// (a degree-11 odd polynomial after folding the phase into a quarter period), and several
/// times faster than `f32::sin`. Meant for `t` in `[0, 1)`; any `|t| < 2^31` works.
///
/// ```
/// use tactus_dsp::math::sin_turns;
/// for i in 0..1000 {
///     let t = i as f32 / 1000.0;
///     assert!((sin_turns(t) - (std::f32::consts::TAU * t).sin()).abs() < 1e-6);
/// }
/// ```
#[inline]
pub fn sin_turns(t: f32) -> f32 {
    // into [-0.5, 0.5)
    let mut x = t - t as i32 as f32;
    if x >= 0.5 {
        x -= 1.0;
    } else if x < -0.5 {
        x += 1.0;
    }
    // sin(pi - a) = sin(a): fold into [-0.25, 0.25]
    let x = if x > 0.25 {
        0.5 - x
    } else if x < -0.25 {
        -0.5 - x
    } else {
        x
    };
    let y = x * std::f32::consts::TAU;
    let y2 = y * y;
    // Taylor terms up to y^11: error below 6e-8 on [-pi/2, pi/2]
    y * (1.0
        + y2 * (-1.0 / 6.0
            + y2 * (1.0 / 120.0
                + y2 * (-1.0 / 5040.0 + y2 * (1.0 / 362_880.0 + y2 * (-1.0 / 39_916_800.0))))))
}

/// Replaces each phase `t` in `[0, 1)` by `sin(2 pi t)`, as [`sin_turns`] does (to within
/// 2e-7), with every step written as a select so that the loop runs on vector lanes.
///
/// ```
/// use tactus_dsp::math::sin_turns_unit;
/// let mut x: Vec<f32> = (0..1000).map(|i| i as f32 / 1000.0).collect();
/// let want: Vec<f32> = x.iter().map(|t| (std::f32::consts::TAU * t).sin()).collect();
/// sin_turns_unit(&mut x);
/// assert!(x.iter().zip(&want).all(|(a, b)| (a - b).abs() < 1e-6));
/// ```
#[inline]
pub fn sin_turns_unit(phases: &mut [f32]) {
    for v in phases.iter_mut() {
        let t = *v;
        // into [-0.5, 0.5), then fold |x| into [0, 0.25] (sin(pi - a) = sin(a))
        let x = if t >= 0.5 { t - 1.0 } else { t };
        let a = x.abs();
        let a = if a > 0.25 { 0.5 - a } else { a };
        let y = a * std::f32::consts::TAU;
        let y2 = y * y;
        let s = y
            * (1.0
                + y2 * (-1.0 / 6.0
                    + y2 * (1.0 / 120.0
                        + y2 * (-1.0 / 5040.0
                            + y2 * (1.0 / 362_880.0 + y2 * (-1.0 / 39_916_800.0))))));
        *v = if x < 0.0 { -s } else { s };
    }
}

/// A fast `tanh` for saturation stages: the [7/6] Padé approximant, with the input clamped
/// to `[-5, 5]` and the output to `[-1, 1]`. The error is below 1e-4 everywhere and below
/// 1e-6 for `|x| < 1.5`; several times faster than `f32::tanh`.
///
/// ```
/// use tactus_dsp::math::tanh_approx;
/// for i in -1000..=1000 {
///     let x = i as f32 / 100.0;
///     assert!((tanh_approx(x) - x.tanh()).abs() < 1e-4);
/// }
/// ```
#[inline]
pub fn tanh_approx(x: f32) -> f32 {
    let x = x.clamp(-5.0, 5.0);
    let x2 = x * x;
    let num = x * (135_135.0 + x2 * (17_325.0 + x2 * (378.0 + x2)));
    let den = 135_135.0 + x2 * (62_370.0 + x2 * (3_150.0 + 28.0 * x2));
    (num / den).clamp(-1.0, 1.0)
}

/// 4-point, 3rd-order Hermite interpolation between `x1` and `x2` at `t` in `[0,1)`.
#[inline]
pub fn hermite(x0: f32, x1: f32, x2: f32, x3: f32, t: f32) -> f32 {
    let c1 = 0.5 * (x2 - x0);
    let c2 = x0 - 2.5 * x1 + 2.0 * x2 - 0.5 * x3;
    let c3 = 0.5 * (x3 - x0) + 1.5 * (x1 - x2);
    ((c3 * t + c2) * t + c1) * t + x1
}

/// Replaces NaN/Inf by 0 and flushes tiny values.
#[inline]
pub fn sanitize(x: f32) -> f32 {
    if x.is_finite() {
        x
    } else {
        0.0
    }
}

/// A fast rational approximation of `tanh`, exact at 0, monotonic, bounded by 1.
#[inline]
pub fn soft_tanh(x: f32) -> f32 {
    let x = x.clamp(-3.0, 3.0);
    let x2 = x * x;
    x * (27.0 + x2) / (27.0 + 9.0 * x2)
}
