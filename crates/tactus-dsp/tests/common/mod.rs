//! Shared helpers for the integration tests: test signals, an FFT and measurements.
#![allow(dead_code)]

use std::f64::consts::PI;

/// A deterministic broadband test signal: two sines plus hashed noise, in [-1, 1].
pub fn test_signal(n: usize, sr: f32) -> Vec<f32> {
    let mut state = 0x1234_5678u32;
    (0..n)
        .map(|i| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            let noise = (state >> 8) as f32 / 16_777_216.0 * 2.0 - 1.0;
            let t = i as f32 / sr;
            0.4 * (std::f32::consts::TAU * 220.0 * t).sin()
                + 0.3 * (std::f32::consts::TAU * 3_100.0 * t).sin()
                + 0.3 * noise
        })
        .collect()
}

/// A gate: on for `on` frames, off for `off` frames, repeating.
pub fn gate_signal(n: usize, on: usize, off: usize) -> Vec<f32> {
    (0..n)
        .map(|i| if i % (on + off) < on { 1.0 } else { 0.0 })
        .collect()
}

/// In-place iterative radix-2 FFT over (re, im); `re.len()` must be a power of two.
pub fn fft(re: &mut [f64], im: &mut [f64]) {
    let n = re.len();
    assert!(n.is_power_of_two() && im.len() == n);
    let mut j = 0;
    for i in 1..n {
        let mut bit = n >> 1;
        while j & bit != 0 {
            j ^= bit;
            bit >>= 1;
        }
        j |= bit;
        if i < j {
            re.swap(i, j);
            im.swap(i, j);
        }
    }
    let mut len = 2;
    while len <= n {
        let ang = -2.0 * PI / len as f64;
        for start in (0..n).step_by(len) {
            for k in 0..len / 2 {
                let (s, c) = (ang * k as f64).sin_cos();
                let (a, b) = (start + k, start + k + len / 2);
                let tr = re[b] * c - im[b] * s;
                let ti = re[b] * s + im[b] * c;
                re[b] = re[a] - tr;
                im[b] = im[a] - ti;
                re[a] += tr;
                im[a] += ti;
            }
        }
        len <<= 1;
    }
}

/// Power spectrum (linear power per bin, first half) of `x` with a Blackman-Harris window.
pub fn power_spectrum(x: &[f32]) -> Vec<f64> {
    let n = x.len();
    let mut re: Vec<f64> = x
        .iter()
        .enumerate()
        .map(|(i, &v)| {
            let t = 2.0 * PI * i as f64 / n as f64;
            let w =
                0.35875 - 0.48829 * t.cos() + 0.14128 * (2.0 * t).cos() - 0.01168 * (3.0 * t).cos();
            f64::from(v) * w
        })
        .collect();
    let mut im = vec![0.0; n];
    fft(&mut re, &mut im);
    (0..n / 2).map(|k| re[k] * re[k] + im[k] * im[k]).collect()
}

/// Amplitude of the component of `x` at `freq` (correlation over the whole buffer).
pub fn amplitude_at(x: &[f32], freq: f64, sr: f64) -> f64 {
    let (mut re, mut im) = (0.0, 0.0);
    for (i, &v) in x.iter().enumerate() {
        let ph = 2.0 * PI * freq * i as f64 / sr;
        re += f64::from(v) * ph.cos();
        im += f64::from(v) * ph.sin();
    }
    2.0 * (re * re + im * im).sqrt() / x.len() as f64
}

/// Frequency from rising zero crossings (linearly interpolated).
pub fn zero_crossing_freq(x: &[f32], sr: f64) -> f64 {
    let mut first = None;
    let mut last = 0.0;
    let mut count = 0usize;
    for i in 1..x.len() {
        let (a, b) = (f64::from(x[i - 1]), f64::from(x[i]));
        if a < 0.0 && b >= 0.0 {
            let t = (i - 1) as f64 + a / (a - b);
            if first.is_none() {
                first = Some(t);
            } else {
                count += 1;
            }
            last = t;
        }
    }
    count as f64 * sr / (last - first.unwrap_or(0.0))
}

/// dB of a linear amplitude ratio.
pub fn db(x: f64) -> f64 {
    20.0 * x.max(1e-30).log10()
}
