//! Property tests of every unit: block-size invariance, reset, frequencies, filter
//! responses, aliasing of the band-limited oscillators.

mod common;

use common::*;
use tactus_dsp::unit::{ProcessContext, Unit};
use tactus_dsp::units;

const AUDIO_INPUTS: [&str; 6] = ["in", "l", "r", "a", "b", "key"];

/// Renders `n` frames of `unit` in blocks of `block`, feeding test signals to its audio
/// inputs and a gate to `gate`/`trig`; returns all outputs concatenated per output.
fn render(unit: &mut dyn Unit, sr: f32, n: usize, block: usize) -> Vec<Vec<f32>> {
    let info = unit.info();
    let audio = test_signal(n, sr);
    let gate = gate_signal(n, 3000, 2000);
    let sources: Vec<Option<&[f32]>> = info
        .inputs
        .iter()
        .map(|p| {
            if AUDIO_INPUTS.contains(&p.name) {
                Some(&audio[..])
            } else if p.name == "gate" || p.name == "trig" {
                Some(&gate[..])
            } else {
                None
            }
        })
        .collect();
    let mut outs = vec![vec![0.0f32; n]; info.outputs.len()];
    let mut pos = 0;
    while pos < n {
        let len = block.min(n - pos);
        let ins: Vec<&[f32]> = sources
            .iter()
            .map(|s| s.map_or(&[][..], |s| &s[pos..pos + len]))
            .collect();
        let mut bufs: Vec<Vec<f32>> = vec![vec![0.0; len]; outs.len()];
        let mut slices: Vec<&mut [f32]> = bufs.iter_mut().map(|b| &mut b[..]).collect();
        unit.process(&ProcessContext::new(sr, pos as u64), &ins, &mut slices);
        for (o, b) in outs.iter_mut().zip(&bufs) {
            o[pos..pos + len].copy_from_slice(b);
        }
        pos += len;
    }
    outs
}

#[test]
fn every_unit_is_block_size_invariant_and_resets() {
    for info in units::ALL {
        for sr in [44_100.0, 96_000.0] {
            let n = 6000;
            let mut reference = None;
            for block in [1, 7, 64] {
                let mut u = units::create(info.name).unwrap();
                u.prepare(sr, tactus_dsp::MAX_BLOCK);
                let out = render(u.as_mut(), sr, n, block);
                assert!(
                    out.iter().flatten().all(|v| v.is_finite()),
                    "{} produced non-finite output",
                    info.name
                );
                match &reference {
                    None => reference = Some(out),
                    Some(r) => assert_eq!(r, &out, "{} differs at block size {block}", info.name),
                }
            }
            // identical output after reset
            let mut u = units::create(info.name).unwrap();
            u.prepare(sr, 64);
            let first = render(u.as_mut(), sr, n, 64);
            u.reset();
            let second = render(u.as_mut(), sr, n, 64);
            assert_eq!(first, second, "{} differs after reset", info.name);
        }
    }
}

#[test]
fn every_unit_describes_itself() {
    for info in units::ALL {
        let u = units::create(info.name).unwrap();
        assert_eq!(u.info().name, info.name);
        assert!(!info.outputs.is_empty(), "{}", info.name);
        for p in info.params {
            assert!(
                p.min <= p.default && p.default <= p.max,
                "{}.{}",
                info.name,
                p.name
            );
            assert_eq!(u.get_param(info.param_index(p.name).unwrap()), p.default);
        }
    }
}

#[test]
fn oscillator_frequencies_are_exact() {
    for sr in [44_100.0f32, 48_000.0, 96_000.0] {
        for name in ["sine", "saw", "square", "tri", "pulse", "wavetable"] {
            for freq in [55.0f32, 440.0, 1_234.5, 5_000.0] {
                let mut u = units::create(name).unwrap();
                u.prepare(sr, 64);
                u.set_param(0, freq);
                let out = render(u.as_mut(), sr, sr as usize, 64);
                let measured = zero_crossing_freq(&out[0], f64::from(sr));
                let err = (measured / f64::from(freq) - 1.0).abs();
                assert!(err < 1e-4, "{name} {freq} Hz at {sr}: measured {measured}");
            }
        }
    }
}

/// Largest level (dB relative to the fundamental) of any bin farther than 4 bins from a
/// harmonic of `f0`, below 16 kHz.
fn worst_alias_db(x: &[f32], f0: f64, sr: f64) -> f64 {
    let p = power_spectrum(x);
    let n = x.len() as f64;
    let bin = |f: f64| f * n / sr;
    let fund = (bin(f0).round() as usize - 3..=bin(f0).round() as usize + 3)
        .map(|k| p[k])
        .fold(0.0, f64::max);
    let mut worst = 0.0f64;
    for (k, &v) in p.iter().enumerate() {
        let f = k as f64 * sr / n;
        if !(50.0..16_000.0).contains(&f) {
            continue;
        }
        let h = (f / f0).round();
        let dist_bins = (bin(h * f0) - k as f64).abs();
        if h >= 1.0 && dist_bins <= 4.0 {
            continue;
        }
        worst = worst.max(v);
    }
    10.0 * (worst / fund).log10()
}

#[test]
fn band_limited_oscillators_alias_below_threshold() {
    let sr = 48_000.0;
    // stated levels: the worst non-harmonic bin below 16 kHz (Blackman-Harris window)
    for (name, f0, limit_db) in [
        ("saw", 1_234.5, -40.0),
        ("square", 1_234.5, -40.0),
        ("pulse", 1_234.5, -40.0),
        ("tri", 1_234.5, -60.0),
        ("saw", 3_321.0, -30.0),
        ("wavetable", 3_321.0, -60.0),
    ] {
        let mut u = units::create(name).unwrap();
        u.prepare(sr, 64);
        u.set_param(0, f0);
        let out = render(u.as_mut(), sr, 1 << 16, 64);
        let alias = worst_alias_db(&out[0], f64::from(f0), f64::from(sr));
        println!("{name} {f0}: worst alias {alias:.1} dB");
        assert!(
            alias < limit_db,
            "{name} at {f0} Hz aliases at {alias:.1} dB"
        );
    }
}

#[test]
fn naive_saw_would_fail_the_alias_test() {
    // sanity check of the measurement: a naive saw aliases far above -40 dB
    let sr = 48_000.0;
    let f0 = 1_234.5f64;
    let x: Vec<f32> = (0..1 << 16)
        .map(|i| {
            let t = (i as f64 * f0 / sr).fract();
            (2.0 * t - 1.0) as f32
        })
        .collect();
    assert!(worst_alias_db(&x, f0, sr) > -40.0);
}

#[test]
fn svf_matches_analytic_response() {
    // Tolerance: 0.1 dB between measured and analytic magnitude, at 48 and 96 kHz.
    for sr in [48_000.0f32, 96_000.0] {
        for (fc, q) in [(1_000.0f32, 0.707f32), (2_500.0, 4.0)] {
            for f in [100.0f64, 500.0, 1_000.0, 2_000.0, 5_000.0, 12_000.0] {
                let wc = (std::f64::consts::PI * f64::from(fc) / f64::from(sr)).tan();
                let w = (std::f64::consts::PI * f / f64::from(sr)).tan() / wc;
                let qd = f64::from(q);
                let den = ((1.0 - w * w).powi(2) + (w / qd).powi(2)).sqrt();
                let expected = [1.0 / den, w * w / den, (w / qd) / den];
                let mut u = units::create("svf").unwrap();
                u.prepare(sr, 64);
                u.set_param(0, fc);
                u.set_param(1, q);
                let n = sr as usize;
                let sine: Vec<f32> = (0..n)
                    .map(|i| {
                        (2.0 * std::f64::consts::PI * f * i as f64 / f64::from(sr)).sin() as f32
                    })
                    .collect();
                let mut outs = vec![vec![0.0f32; n]; 4];
                for start in (0..n).step_by(64) {
                    let end = (start + 64).min(n);
                    let mut slices: Vec<&mut [f32]> =
                        outs.iter_mut().map(|o| &mut o[start..end]).collect();
                    u.process(
                        &ProcessContext::new(sr, 0),
                        &[&sine[start..end]],
                        &mut slices,
                    );
                }
                let skip = n / 4; // let the transient die out
                for (k, name) in ["lp", "hp", "bp"].iter().enumerate() {
                    let measured = amplitude_at(&outs[k][skip..], f, f64::from(sr));
                    let diff = db(measured) - db(expected[k]);
                    if expected[k] > 1e-3 {
                        assert!(
                            diff.abs() < 0.1,
                            "{name} fc={fc} q={q} f={f} sr={sr}: {:.3} dB vs {:.3} dB",
                            db(measured),
                            db(expected[k])
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn ladder_is_stable_at_full_resonance() {
    let sr = 48_000.0;
    let mut u = units::create("ladder").unwrap();
    u.prepare(sr, 64);
    u.set_param(0, 2_000.0);
    u.set_param(1, 1.0);
    let out = render(u.as_mut(), sr, 96_000, 64);
    let peak = out[0].iter().fold(0.0f32, |m, v| m.max(v.abs()));
    assert!(peak.is_finite() && peak < 2.0, "peak {peak}");
    // and it does low-pass: 10 kHz is attenuated by more than 30 dB at low resonance
    let mut u = units::create("ladder").unwrap();
    u.prepare(sr, 64);
    u.set_param(0, 500.0);
    u.set_param(1, 0.0);
    let n = 48_000;
    let sine: Vec<f32> = (0..n)
        .map(|i| 0.1 * (std::f32::consts::TAU * 10_000.0 * i as f32 / sr).sin())
        .collect();
    let mut o = vec![0.0; n];
    for s in (0..n).step_by(64) {
        u.process(
            &ProcessContext::new(sr, 0),
            &[&sine[s..s + 64]],
            &mut [&mut o[s..s + 64]],
        );
    }
    let a = amplitude_at(&o[n / 2..], 10_000.0, f64::from(sr));
    assert!(db(a / 0.1) < -30.0, "{}", db(a / 0.1));
}

#[test]
fn one_pole_is_3db_down_at_cutoff() {
    let sr = 48_000.0f32;
    let mut u = units::create("onepole").unwrap();
    u.prepare(sr, 64);
    u.set_param(0, 1_000.0);
    let n = 48_000;
    let sine: Vec<f32> = (0..n)
        .map(|i| (std::f32::consts::TAU * 1_000.0 * i as f32 / sr).sin())
        .collect();
    let (mut lp, mut hp) = (vec![0.0; n], vec![0.0; n]);
    for s in (0..n).step_by(64) {
        u.process(
            &ProcessContext::new(sr, 0),
            &[&sine[s..s + 64]],
            &mut [&mut lp[s..s + 64], &mut hp[s..s + 64]],
        );
    }
    for x in [&lp, &hp] {
        let a = db(amplitude_at(&x[n / 2..], 1_000.0, f64::from(sr)));
        assert!((a + 3.0103).abs() < 0.05, "{a}");
    }
}
