//! The instrument examples (`examples/drumsynth.tidal`, `mixed.tidal`, `pad.tidal`) render
//! with properties that show instruments work: onsets where the pattern puts them, the
//! pitch a definition gives, event controls changing the sound, chords sounding as several
//! voices at once, and an instrument shadowing the built-in sound of the same name.

use std::path::PathBuf;

use tactus_engine::render::{render_to_vec, RenderOptions};
use tactus_engine::sounds::Sounds;
use tactus_lang::program::{eval_file, Program};

const SR: u32 = 48_000;

fn example(name: &str) -> Program {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples")
        .join(name);
    let src = std::fs::read_to_string(&path).unwrap();
    let (p, d) = eval_file(&src);
    assert!(
        d.is_empty(),
        "{:?}",
        d.iter().map(|d| d.render(name, &src)).collect::<Vec<_>>()
    );
    p
}

/// Keeps only the channels listed.
fn only(mut p: Program, channels: &[&str]) -> Program {
    p.channels.retain(|k, _| channels.contains(&&**k));
    p
}

/// Renders `cycles` cycles; returns the left channel and the most voices at once.
fn render(p: Program, cycles: f64) -> (Vec<f32>, usize) {
    let cps = p.cps.unwrap_or(0.5625);
    let frames = (cycles / cps * SR as f64) as u64;
    let opts = RenderOptions {
        sample_rate: SR,
        ..RenderOptions::default()
    };
    let (audio, stats) = render_to_vec(p, Sounds::new(SR as f32, 16, 1 << 20), opts, frames);
    assert!(audio.iter().all(|x| x.is_finite() && x.abs() < 1.0));
    (audio.chunks(2).map(|f| f[0]).collect(), stats.max_voices)
}

fn rms(x: &[f32]) -> f64 {
    (x.iter().map(|v| (*v as f64).powi(2)).sum::<f64>() / x.len().max(1) as f64).sqrt()
}

/// Goertzel amplitude of `freq` in `x`.
fn amplitude_at(x: &[f32], freq: f64) -> f64 {
    let w = 2.0 * std::f64::consts::PI * freq / SR as f64;
    let (mut re, mut im) = (0.0, 0.0);
    for (i, v) in x.iter().enumerate() {
        re += *v as f64 * (w * i as f64).cos();
        im -= *v as f64 * (w * i as f64).sin();
    }
    2.0 * (re * re + im * im).sqrt() / x.len() as f64
}

/// Frequency from upward zero crossings.
fn zero_crossing_freq(x: &[f32]) -> f64 {
    let ups = x.windows(2).filter(|w| w[0] < 0.0 && w[1] >= 0.0).count();
    ups as f64 * SR as f64 / x.len() as f64
}

/// Brightness: the RMS of the first difference over the RMS (grows with the spectral
/// centroid: 2 sin(pi f / sr) for a sine at f).
fn brightness(x: &[f32]) -> f64 {
    let d: Vec<f32> = x.windows(2).map(|w| w[1] - w[0]).collect();
    rms(&d) / rms(x).max(1e-12)
}

/// Frame of a cycle position.
fn at(p: &Program, cycle: f64) -> usize {
    (cycle / p.cps.unwrap() * SR as f64).round() as usize
}

#[test]
fn drumsynth_kicks_on_the_beat_with_their_own_pitch_and_decay() {
    let p = only(example("drumsynth.tidal"), &["1"]);
    let ms = |m: f64| (m * SR as f64 / 1000.0) as usize;
    let onsets: Vec<usize> = (0..8).map(|k| at(&p, k as f64 * 0.25)).collect();
    let (x, _) = render(p.clone(), 2.0);
    for (k, &o) in onsets.iter().enumerate() {
        let before = if o == 0 { 0.0 } else { rms(&x[o - ms(5.0)..o]) };
        let hit = rms(&x[o..o + ms(20.0)]);
        assert!(
            hit > 0.1 && hit > 4.0 * before,
            "kick {k}: {hit} after, {before} before"
        );
        // the pitch has dropped to about 45 Hz 60 ms in
        let f = zero_crossing_freq(&x[o + ms(60.0)..o + ms(200.0)]);
        assert!((38.0..56.0).contains(&f), "kick {k} body at {f} Hz");
    }
    // `pF "decay" "<0.35 0.6>"`: the tail of cycle 1's kicks is longer
    let tail = |o: usize| rms(&x[o + ms(250.0)..o + ms(400.0)]);
    assert!(
        tail(onsets[4]) > 3.0 * tail(onsets[0]),
        "{} vs {}",
        tail(onsets[4]),
        tail(onsets[0])
    );
    // the instrument shadows the built-in `kick` (a different sound)
    let mut builtin = p.clone();
    builtin.instruments.clear();
    let (y, _) = render(builtin, 1.0);
    let diff: Vec<f32> = x[..y.len()].iter().zip(&y).map(|(a, b)| a - b).collect();
    assert!(
        rms(&diff) > 0.3 * rms(&y),
        "the instrument replaced the built-in kick"
    );
}

#[test]
fn mixed_track_plays_drums_and_an_instrument_line_with_event_controls() {
    let full = example("mixed.tidal");
    let bass = only(full.clone(), &["4"]);
    let (b, _) = render(bass.clone(), 2.0);
    let (m, _) = render(full.clone(), 2.0);
    // the bass line's first note is c3 = 65.4 Hz (note 0 = c5)
    let first = &b[at(&bass, 0.0)..at(&bass, 0.1)];
    assert!(amplitude_at(first, 65.41) > 0.02, "c3 fundamental");
    assert!(amplitude_at(first, 65.41) > 3.0 * amplitude_at(first, 80.0));
    // `# cutoff "<600 3500>"`: the second cycle's notes are brighter
    let c0 = brightness(&b[at(&bass, 0.0)..at(&bass, 1.0)]);
    let c1 = brightness(&b[at(&bass, 1.0)..at(&bass, 2.0)]);
    assert!(c1 > 1.5 * c0, "brightness {c0} then {c1}");
    // the drums are there too: the mix minus the bass still has the kick's energy
    let drums: Vec<f32> = m.iter().zip(&b).map(|(a, c)| a - c).collect();
    assert!(rms(&drums) > 0.05, "drums {}", rms(&drums));
    assert!(rms(&b) > 0.05, "bass {}", rms(&b));
}

#[test]
fn pad_chords_sound_as_simultaneous_voices() {
    let p = example("pad.tidal");
    let (x, voices) = render(p.clone(), 2.0);
    assert!(voices >= 3, "a chord is three voices, saw at most {voices}");
    // cycle 0 is c5 e5 g5: each note is present, notes outside the chord are not
    let chord = &x[at(&p, 0.3)..at(&p, 0.8)];
    let band = |f: f64| {
        (-4..=4)
            .map(|k| amplitude_at(chord, f * (1.0 + k as f64 * 0.003)))
            .fold(0.0, f64::max)
    };
    let (c, e, g) = (band(261.63), band(329.63), band(392.0));
    let (d, f) = (band(293.66), band(349.23));
    let off = d.max(f);
    for (name, v) in [("c5", c), ("e5", e), ("g5", g)] {
        assert!(v > 3.0 * off, "{name} {v} vs off-chord {off}");
    }
    // cycle 1 is a3 c5 e5: a3 = 220 Hz appears, g5 is gone (apart from the reverb tail)
    let next = &x[at(&p, 1.5)..at(&p, 1.9)];
    assert!(amplitude_at(next, 220.0) > 3.0 * amplitude_at(next, 246.94));
}

#[test]
fn instrument_renders_are_deterministic() {
    let p = example("mixed.tidal");
    let (a, _) = render(p.clone(), 1.0);
    let (b, _) = render(p, 1.0);
    assert!(a == b, "two renders of the same program differ");
}
