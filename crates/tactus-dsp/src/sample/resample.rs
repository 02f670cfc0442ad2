//! Offline sample-rate conversion with a Kaiser-windowed sinc (control side only).

use std::f64::consts::PI;

/// Zero-order modified Bessel function of the first kind (series).
fn bessel_i0(x: f64) -> f64 {
    let mut sum = 1.0;
    let mut term = 1.0;
    let half = x / 2.0;
    for k in 1..50 {
        term *= (half / k as f64) * (half / k as f64);
        sum += term;
        if term < 1e-12 * sum {
            break;
        }
    }
    sum
}

/// Resamples `input` from `from` Hz to `to` Hz. The low-pass sits at 0.95 of the lower
/// Nyquist; 32 zero crossings each side, Kaiser window (beta 8.6, about -90 dB stop band).
///
/// ```
/// let x: Vec<f32> = (0..4410).map(|i| (i as f32 * 0.05).sin()).collect();
/// let y = tactus_dsp::sample::resample::resample(&x, 44_100.0, 48_000.0);
/// assert_eq!(y.len(), 4800);
/// ```
pub fn resample(input: &[f32], from: f32, to: f32) -> Vec<f32> {
    let (from, to) = (f64::from(from), f64::from(to));
    if input.is_empty() || from <= 0.0 || to <= 0.0 {
        return Vec::new();
    }
    let ratio = to / from;
    let out_len = (input.len() as f64 * ratio).round() as usize;
    let cutoff = 0.95 * ratio.min(1.0); // relative to the input Nyquist
    const ZEROS: f64 = 32.0;
    let half_width = ZEROS / cutoff; // in input samples
    let beta = 8.6;
    let i0_beta = bessel_i0(beta);
    // Kaiser window tabulated over |t| / half_width in [0, 1]
    const TABLE: usize = 4096;
    let window: Vec<f64> = (0..=TABLE)
        .map(|k| {
            let w = k as f64 / TABLE as f64;
            bessel_i0(beta * (1.0 - w * w).max(0.0).sqrt()) / i0_beta
        })
        .collect();
    let mut out = Vec::with_capacity(out_len);
    for j in 0..out_len {
        let centre = j as f64 / ratio;
        let lo = (centre - half_width).ceil().max(0.0) as usize;
        let hi = ((centre + half_width).floor() as usize).min(input.len() - 1);
        let mut acc = 0.0;
        for (i, &x) in input.iter().enumerate().take(hi + 1).skip(lo) {
            let t = i as f64 - centre;
            let arg = PI * t * cutoff;
            let sinc = if arg.abs() < 1e-9 {
                1.0
            } else {
                arg.sin() / arg
            };
            let pos = (t.abs() / half_width).min(1.0) * TABLE as f64;
            let k = pos as usize;
            let frac = pos - k as f64;
            let win = window[k] + (window[(k + 1).min(TABLE)] - window[k]) * frac;
            acc += f64::from(x) * sinc * win * cutoff;
        }
        out.push(acc as f32);
    }
    out
}
