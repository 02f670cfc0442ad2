//! Drones (continuous patches) rendered offline: patterns drive parameters at audio rate,
//! synchronised to the cycle; the acid example's filter moves within a note.

mod support;

use support::{program, render_unclipped};
use tactus_lang::program::Program;

const SR: u32 = 44_100;

fn drones_only(src: &str) -> Program {
    let mut p = program(src);
    p.channels.clear();
    p
}

/// The left channel of `seconds` of `p`.
fn render(p: Program, seconds: f64) -> Vec<f32> {
    render_unclipped(p, SR, seconds)
        .chunks(2)
        .map(|c| c[0])
        .collect()
}

/// Spectral centroid (Hz) of `x` (Hann window, naive DFT up to 8 kHz).
fn centroid(x: &[f32]) -> f64 {
    let n = x.len();
    let (mut num, mut den) = (0.0, 0.0);
    let top = (8000.0 * n as f64 / SR as f64) as usize;
    for k in 1..top {
        let (mut re, mut im) = (0.0f64, 0.0f64);
        for (i, v) in x.iter().enumerate() {
            let w = 0.5 - 0.5 * (std::f64::consts::TAU * i as f64 / n as f64).cos();
            let ph = std::f64::consts::TAU * (k * i) as f64 / n as f64;
            re += *v as f64 * w * ph.cos();
            im -= *v as f64 * w * ph.sin();
        }
        let mag = (re * re + im * im).sqrt();
        num += mag * k as f64 * SR as f64 / n as f64;
        den += mag;
    }
    num / den.max(1e-12)
}

fn crossings(x: &[f32]) -> usize {
    x.windows(2).filter(|w| w[0] < 0.0 && w[1] >= 0.0).count()
}

#[test]
fn acid_filter_sweeps_within_a_note() {
    let src = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/acid.tidal"
    ))
    .unwrap();
    let x = render(drones_only(&src), 2.0);
    assert!(
        x.iter().map(|v| v.abs()).fold(0.0, f32::max) > 0.05,
        "silent"
    );
    // First note: c3 from 0 s, gate open for 1/16 cycle (0.115 s at 130 bpm).
    let early = centroid(&x[(0.004 * SR as f64) as usize..][..1024]);
    let late = centroid(&x[(0.085 * SR as f64) as usize..][..1024]);
    assert!(
        early > 1.6 * late,
        "centroid {early:.0} Hz early vs {late:.0} Hz late in one note"
    );
}

#[test]
fn a_stepped_pattern_changes_a_frequency_on_the_cycle_boundary() {
    // cps 1: cycle 1 starts at frame 44100.
    let x = render(
        drones_only("setcps 1\ndrone \"a\" $ 0.5 * osc \"sine\" \"<200 800>\""),
        2.0,
    );
    let before = crossings(&x[44_100 - 4410..44_100]);
    let after = crossings(&x[44_100..44_100 + 4410]);
    assert!(
        (19..=21).contains(&before),
        "{before} crossings in the last 0.1 s of cycle 0"
    );
    assert!(
        (79..=81).contains(&after),
        "{after} crossings in the first 0.1 s of cycle 1"
    );
}

#[test]
fn a_continuous_pattern_modulates_within_a_cycle() {
    // The frequency follows `saw` from 200 to 600 Hz over each cycle (cps 1).
    let x = render(
        drones_only("setcps 1\ndrone \"a\" $ 0.5 * osc \"sine\" (range 200 600 saw)"),
        1.0,
    );
    let first = crossings(&x[..4410]);
    let last = crossings(&x[44_100 - 4410..44_100]);
    assert!((20..=26).contains(&first), "{first}");
    assert!((56..=62).contains(&last), "{last}");
}

#[test]
fn keyframes_open_the_filter_over_the_track() {
    let src = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/keyframes.tidal"
    ))
    .unwrap();
    let x = render(drones_only(&src), 4.5);
    // cps 0.5: cycle 0 at 0 s (cutoff 150 Hz), cycle 2 at 4 s (cutoff 5 kHz).
    let start = centroid(&x[2048..][..2048]);
    let top = centroid(&x[4 * SR as usize - 2048..][..2048]);
    assert!(
        top > 3.0 * start,
        "centroid {start:.0} Hz at the start, {top:.0} Hz at the peak"
    );
}

#[test]
fn reloading_keeps_the_drone_playing_without_restart() {
    use tactus_engine::render::drones::Drones;
    let clock = tactus_engine::clock::Clock::new(SR, 1.0);
    let a = drones_only("drone \"a\" $ 0.5 * osc \"sine\" 100");
    let b = drones_only("drone \"a\" $ 0.5 * osc \"sine\" 100 + 0 * noise \"white\"");
    let mut reference = Drones::new(SR as f32);
    reference.load(&a, clock, 0);
    let (mut rl, mut rr) = (vec![0.0f32; 2048], vec![0.0f32; 2048]);
    reference.render(&clock, 0, None, &mut rl[..1024], &mut rr[..1024]);
    reference.render(&clock, 1024, None, &mut rl[1024..], &mut rr[1024..]);
    let mut live = Drones::new(SR as f32);
    live.load(&a, clock, 0);
    let (mut l, mut r) = (vec![0.0f32; 2048], vec![0.0f32; 2048]);
    live.render(&clock, 0, None, &mut l[..1024], &mut r[..1024]);
    assert!(live.load(&b, clock, 1024).is_empty());
    live.render(&clock, 1024, None, &mut l[1024..], &mut r[1024..]);
    // The sine (`sine1`) kept its phase: the output after the reload continues it exactly.
    let diff = l
        .iter()
        .zip(&rl)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f32::max);
    assert!(diff < 1e-6, "{diff}");
}

#[test]
fn the_json_form_renders_the_same_audio() {
    let src = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/fmbell.tidal"
    ))
    .unwrap();
    let p = drones_only(&src);
    let json = p.drones["bell"].patch.to_json();
    let mut q = tactus_lang::synthesis::program_from_json(&json).unwrap();
    q.cps = p.cps;
    let a = render(p, 1.0);
    let b = render(q, 1.0);
    assert_eq!(a, b);
}

/// Magnitude of `x` at `hz` (Hann window).
fn magnitude_at(x: &[f32], hz: f64) -> f64 {
    let n = x.len() as f64;
    let (mut re, mut im) = (0.0f64, 0.0f64);
    for (i, v) in x.iter().enumerate() {
        let w = 0.5 - 0.5 * (std::f64::consts::TAU * i as f64 / n).cos();
        let ph = std::f64::consts::TAU * hz * i as f64 / SR as f64;
        re += *v as f64 * w * ph.cos();
        im -= *v as f64 * w * ph.sin();
    }
    (re * re + im * im).sqrt()
}

#[test]
fn the_fm_bell_has_sidebands_at_the_strike_that_fade_as_the_index_decays() {
    let src = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/fmbell.tidal"
    ))
    .unwrap();
    let x = render(drones_only(&src), 0.75);
    // The first strike is at 0 s on c4 (Tidal: c5 = note 0 = 261.6 Hz, so c4 = 130.8 Hz):
    // carrier f, modulator 3.5 f, so the first sidebands sit at |f - 3.5 f| = 2.5 f and
    // f + 3.5 f = 4.5 f (inharmonic, bell-like).
    // The index decays over 1.6 s; the next strike is at 0.75 s (cps 0.5, eight steps).
    let f = 130.81;
    let window = |t: f64| &x[(t * SR as f64) as usize..][..4096];
    let sidebands =
        |w: &[f32]| (magnitude_at(w, 2.5 * f) + magnitude_at(w, 4.5 * f)) / magnitude_at(w, f);
    let (early, late) = (window(0.01), window(0.6));
    let (s_early, s_late) = (sidebands(early), sidebands(late));
    let (c_early, c_late) = (centroid(early), centroid(late));
    println!("fm bell: sidebands/carrier {s_early:.3} -> {s_late:.3}, centroid {c_early:.0} -> {c_late:.0} Hz");
    assert!(s_early > 0.2, "no FM sidebands at the strike: {s_early:.3}");
    assert!(
        s_early > 2.0 * s_late,
        "the sidebands do not fade with the index: {s_early:.3} then {s_late:.3}"
    );
    assert!(
        c_early > 1.3 * c_late,
        "the bell does not mellow: centroid {c_early:.0} Hz then {c_late:.0} Hz"
    );
}
