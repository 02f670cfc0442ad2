//! `examples/fxchain.tidal`: an effect chain applies to its channel only. Its `drive` on
//! d1 adds odd harmonics to d1's sine notes (200 Hz -> 600 Hz) while d2's sine (310 Hz ->
//! 930 Hz) stays clean; without the chain neither has them, and the same chain on d2
//! instead turns the result around.

use tactus_engine::render::{render_to_vec, RenderOptions};
use tactus_engine::sounds::Sounds;
use tactus_lang::program::{eval_file, Program};

const SR: u32 = 44_100;

fn source() -> String {
    let path = format!(
        "{}/../../examples/fxchain.tidal",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(path).unwrap()
}

fn program(src: &str) -> Program {
    let (p, d) = eval_file(src);
    assert!(
        d.is_empty(),
        "{:?}",
        d.iter().map(|d| &d.message).collect::<Vec<_>>()
    );
    p
}

/// The left channel of the first cycle (2 s at 0.5 cps).
fn render(p: Program) -> Vec<f32> {
    let opts = RenderOptions {
        sample_rate: SR,
        ..RenderOptions::default()
    };
    let (audio, stats) = render_to_vec(p, Sounds::new(SR as f32, 8, 1 << 20), opts, 2 * SR as u64);
    assert!(stats.peak < 1.0 && audio.iter().all(|x| x.is_finite()));
    audio.chunks(2).map(|f| f[0]).collect()
}

/// Power at `hz` (Goertzel) over the first note's sustained middle, 0.25 s .. 0.75 s.
fn power(x: &[f32], hz: f64) -> f64 {
    let w = &x[SR as usize / 4..3 * SR as usize / 4];
    let k = 2.0 * (2.0 * std::f64::consts::PI * hz / f64::from(SR)).cos();
    let (mut s1, mut s2) = (0.0f64, 0.0f64);
    for (i, v) in w.iter().enumerate() {
        // Hann window against leakage from the other tones
        let h = 0.5 - 0.5 * (2.0 * std::f64::consts::PI * i as f64 / w.len() as f64).cos();
        let s = f64::from(*v) * h + k * s1 - s2;
        s2 = s1;
        s1 = s;
    }
    (s1 * s1 + s2 * s2 - k * s1 * s2) / (w.len() as f64).powi(2)
}

/// Third-harmonic ratios (d1 at 200 Hz, d2 at 310 Hz).
fn thirds(x: &[f32]) -> (f64, f64) {
    (
        power(x, 600.0) / power(x, 200.0),
        power(x, 930.0) / power(x, 310.0),
    )
}

#[test]
fn the_drive_chain_distorts_d1_only() {
    let src = source();
    let (d1, d2) = thirds(&render(program(&src)));
    assert!(d1 > 1e-2, "d1 through the drive: third harmonic ratio {d1}");
    assert!(d2 < 1e-4, "d2 has no chain: third harmonic ratio {d2}");

    // without the chain both sines are clean: the harmonics come from the chain
    let dry = src.replace("fx 1 $", "-- fx 1 $");
    let (d1, d2) = thirds(&render(program(&dry)));
    assert!(d1 < 1e-4 && d2 < 1e-4, "without a chain: {d1} {d2}");

    // the same chain on d2 instead
    let moved = src.replace("fx 1 $", "fx 2 $");
    let (d1, d2) = thirds(&render(program(&moved)));
    assert!(d1 < 1e-4 && d2 > 1e-2, "the chain on d2: {d1} {d2}");
}

#[test]
fn a_chain_passes_the_channel_through_when_it_only_reads_input() {
    // `fx 1 $ input` is the channel unchanged (through the patch layer's master bus):
    // the same sines as without a chain, at the same level
    let src = source();
    let plain = src.replace("fx 1 $ verb 0.3 0.15 $ 0.4 * drive 0.85 input", "");
    let through = src.replace(
        "fx 1 $ verb 0.3 0.15 $ 0.4 * drive 0.85 input",
        "fx 1 $ input",
    );
    let (a, b) = (render(program(&plain)), render(program(&through)));
    let (pa, pb) = (power(&a, 200.0), power(&b, 200.0));
    assert!((pa / pb - 1.0).abs() < 0.05, "{pa} vs {pb}");
    assert!(thirds(&b).0 < 1e-4);
}
