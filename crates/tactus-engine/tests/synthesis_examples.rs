//! The bus and stereo examples render with the property they show: the three drones of
//! `examples/dronebus.tidal` swell with the one LFO on their bus, and the drones of
//! `examples/stereo.tidal` differ between left and right.

mod support;

use support::{program, render_unclipped};
use tactus_lang::program::Program;

const SR: u32 = 22_050;

fn example(name: &str) -> Program {
    let path = format!("{}/../../examples/{name}", env!("CARGO_MANIFEST_DIR"));
    let mut p = program(&std::fs::read_to_string(path).unwrap());
    p.channels.clear();
    p
}

/// Interleaved stereo of `seconds`.
fn render(p: Program, seconds: f64) -> Vec<f32> {
    render_unclipped(p, SR, seconds)
}

/// The program with only drone `name` (and every bus).
fn only(p: &Program, name: &str) -> Program {
    let mut q = p.clone();
    q.drones.retain(|k, _| &**k == name);
    assert_eq!(q.drones.len(), 1, "no drone {name}");
    q
}

fn correlation(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len() as f64;
    let (ma, mb) = (a.iter().sum::<f64>() / n, b.iter().sum::<f64>() / n);
    let cov: f64 = a.iter().zip(b).map(|(x, y)| (x - ma) * (y - mb)).sum();
    let va: f64 = a.iter().map(|x| (x - ma).powi(2)).sum();
    let vb: f64 = b.iter().map(|y| (y - mb).powi(2)).sum();
    cov / (va * vb).sqrt()
}

#[test]
fn three_drones_follow_the_lfo_on_their_bus() {
    let p = example("dronebus.tidal");
    assert_eq!(p.buses.len(), 1);
    let cps = p.cps.unwrap();
    let seconds = 16.0; // two LFO periods (slow 4 at 0.5 cps = 8 s)
    let win = 2048;
    // the LFO (`slow 4 sine`) at the centre of each window
    let lfo: Vec<f64> = (0..(seconds * f64::from(SR)) as usize / win)
        .map(|w| {
            let t = (w * win + win / 2) as f64 / f64::from(SR);
            0.5 + 0.5 * (2.0 * std::f64::consts::PI * t * cps / 4.0).sin()
        })
        .collect();
    for name in ["low", "mid", "pad"] {
        let audio = render(only(&p, name), seconds);
        let env: Vec<f64> = audio
            .chunks(2 * win)
            .take(lfo.len())
            .map(|c| (c.iter().map(|x| f64::from(*x).powi(2)).sum::<f64>() / c.len() as f64).sqrt())
            .collect();
        let c = correlation(&env, &lfo);
        assert!(c > 0.8, "drone {name}: envelope/LFO correlation {c:.3}");
    }
    // the test can tell: a drone that does not read the bus does not follow it
    let mut q = only(&p, "low");
    let plain = program("drone \"low\" $ 0.25 * lowpass 400 1 (osc \"saw\" 55)");
    q.drones = plain.drones;
    let audio = render(q, seconds);
    let env: Vec<f64> = audio
        .chunks(2 * win)
        .take(lfo.len())
        .map(|c| (c.iter().map(|x| f64::from(*x).powi(2)).sum::<f64>() / c.len() as f64).sqrt())
        .collect();
    assert!(correlation(&env, &lfo).abs() < 0.5);
}

#[test]
fn stereo_drones_differ_between_left_and_right() {
    let p = example("stereo.tidal");
    for (name, sp) in &p.drones {
        assert_eq!(sp.patch.outputs.len(), 2, "drone {name} is not stereo");
    }
    let energy = |x: &[f32]| x.iter().map(|v| f64::from(*v).powi(2)).sum::<f64>();
    for name in ["wide", "beat"] {
        let audio = render(only(&p, name), 2.0);
        let (l, r): (Vec<f32>, Vec<f32>) = audio.chunks(2).map(|c| (c[0], c[1])).unzip();
        let diff: Vec<f32> = l.iter().zip(&r).map(|(a, b)| a - b).collect();
        let ratio = energy(&diff) / energy(&l).max(1e-12);
        assert!(
            ratio > 0.05,
            "drone {name}: left and right nearly equal ({ratio:.4})"
        );
    }
    // the panner follows `slow 2 sine * 2 - 1` (cps 0.5: a 4 s period): left first half
    // of the sine's low part, right at its top
    let audio = render(only(&p, "wander"), 4.0);
    let side = |from: f64, to: f64| {
        let (a, b) = (
            (from * f64::from(SR)) as usize,
            (to * f64::from(SR)) as usize,
        );
        let seg = &audio[2 * a..2 * b];
        let l: Vec<f32> = seg.chunks(2).map(|c| c[0]).collect();
        let r: Vec<f32> = seg.chunks(2).map(|c| c[1]).collect();
        (energy(&l), energy(&r))
    };
    // sine peaks at 1 s (pan +0.98: right) and dips at 3 s (pan -0.98: left)
    let (l1, r1) = side(0.7, 1.3);
    let (l3, r3) = side(2.7, 3.3);
    assert!(r1 > 4.0 * l1, "right at the top: {l1} {r1}");
    assert!(l3 > 4.0 * r3, "left at the bottom: {l3} {r3}");
}
