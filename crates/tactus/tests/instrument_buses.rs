//! `examples/lfobus.tidal`: one LFO on a named bus modulates three instruments played by
//! patterns. Each instrument's loudness envelope follows the LFO, the same instrument
//! without `busin` does not, and an instrument reading a bus the file does not define gets
//! a warning and reads silence.

use std::path::PathBuf;

use tactus_engine::render::{render_to_vec, OfflineRenderer, RenderOptions};
use tactus_engine::sounds::Sounds;
use tactus_lang::program::{eval_file, Program};

const SR: u32 = 22_050;
/// Frames per loudness window (93 ms).
const WIN: usize = 2048;

fn program(src: &str) -> Program {
    let (p, d) = eval_file(src);
    assert!(
        d.is_empty(),
        "{:?}",
        d.iter().map(|d| &d.message).collect::<Vec<_>>()
    );
    p
}

fn example() -> Program {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/lfobus.tidal");
    program(&std::fs::read_to_string(path).unwrap())
}

/// The program with only channel `ch` playing.
fn only(p: &Program, ch: &str) -> Program {
    let mut q = p.clone();
    q.channels.retain(|k, _| &**k == ch);
    assert_eq!(q.channels.len(), 1, "no channel {ch}");
    q
}

/// RMS of the left channel per window over `seconds`.
fn envelope(p: Program, seconds: f64) -> Vec<f64> {
    let opts = RenderOptions {
        sample_rate: SR,
        ..RenderOptions::default()
    };
    let frames = (seconds * f64::from(SR)) as u64;
    let (audio, stats) = render_to_vec(p, Sounds::new(SR as f32, 8, 1 << 20), opts, frames);
    assert!(stats.peak < 1.0 && audio.iter().all(|x| x.is_finite()));
    audio
        .chunks_exact(2 * WIN)
        .map(|c| {
            let s: f64 = c.iter().step_by(2).map(|x| f64::from(*x).powi(2)).sum();
            (s / WIN as f64).sqrt()
        })
        .collect()
}

/// `slow 4 sine` at the centre of each window.
fn lfo(cps: f64, windows: usize) -> Vec<f64> {
    (0..windows)
        .map(|w| {
            let t = (w * WIN + WIN / 2) as f64 / f64::from(SR);
            0.5 + 0.5 * (2.0 * std::f64::consts::PI * t * cps / 4.0).sin()
        })
        .collect()
}

fn correlation(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len().min(b.len());
    let (a, b) = (&a[..n], &b[..n]);
    let (ma, mb) = (
        a.iter().sum::<f64>() / n as f64,
        b.iter().sum::<f64>() / n as f64,
    );
    let cov: f64 = a.iter().zip(b).map(|(x, y)| (x - ma) * (y - mb)).sum();
    let va: f64 = a.iter().map(|x| (x - ma).powi(2)).sum();
    let vb: f64 = b.iter().map(|y| (y - mb).powi(2)).sum();
    cov / (va * vb).sqrt()
}

#[test]
fn three_instruments_follow_the_lfo_on_their_bus() {
    let p = example();
    assert_eq!(p.buses.len(), 1);
    for name in ["bass", "keys", "lead"] {
        assert_eq!(
            p.instruments[name].patch.buses(),
            ["lfo".to_string()],
            "{name}"
        );
    }
    let cps = p.cps.unwrap();
    let seconds = 16.0; // two LFO periods (slow 4 at 0.5 cps = 8 s)
    for (ch, name) in [("1", "bass"), ("2", "keys"), ("3", "lead")] {
        let env = envelope(only(&p, ch), seconds);
        let c = correlation(&env, &lfo(cps, env.len()));
        eprintln!("instrument {name}: envelope/LFO correlation {c:.3}");
        assert!(
            c > 0.8,
            "instrument {name}: envelope/LFO correlation {c:.3}"
        );
    }
    // the test can tell: the same instrument without `busin` does not follow the LFO
    let mut q = only(&p, "2");
    let plain =
        program("instrument \"keys\" $ 0.2 * osc \"tri\" freq * adsr 0.01 0.2 0.8 0.2 gate");
    q.instruments = plain.instruments;
    let env = envelope(q, seconds);
    let c = correlation(&env, &lfo(cps, env.len()));
    eprintln!("keys without busin: envelope/LFO correlation {c:.3}");
    assert!(
        c.abs() < 0.5,
        "an instrument without busin correlates {c:.3}"
    );
    assert!(
        env.iter().all(|x| *x > 0.01),
        "the control instrument sounds"
    );
}

#[test]
fn an_undefined_bus_warns_and_reads_silence() {
    let src = "setcps 1\ninstrument \"x\" $ 0.3 * busin \"nope\" * osc \"saw\" freq * gate\n\
               instrument \"y\" $ 0.3 * (1 - busin \"nope\") * osc \"saw\" freq * gate\n\
               d1 $ note \"c4*2\" # s \"x\"\nd2 $ note \"c4*2\" # s \"y\"";
    let p = program(src);
    let opts = RenderOptions {
        sample_rate: SR,
        ..RenderOptions::default()
    };
    let mut r = OfflineRenderer::new(
        only(&p, "1"),
        Sounds::new(SR as f32, 8, 1 << 20),
        opts.clone(),
    );
    let w = r.take_warnings();
    assert!(
        w.iter()
            .any(|w| w.contains("instrument \"x\"") && w.contains("bus \"nope\"")),
        "{w:?}"
    );
    let mut peak = 0.0f32;
    r.render_frames(u64::from(SR), |l, rr| {
        peak = l.iter().chain(rr).fold(peak, |m, x| m.max(x.abs()));
    });
    assert_eq!(peak, 0.0, "an undefined bus reads silence");
    assert!(r.stats.events > 0);
    // the voices did play: one that reads `1 - bus` sounds
    let mut r = OfflineRenderer::new(only(&p, "2"), Sounds::new(SR as f32, 8, 1 << 20), opts);
    r.render_frames(u64::from(SR), |l, _| {
        peak = l.iter().fold(peak, |m, x| m.max(x.abs()));
    });
    assert!(peak > 0.05, "{peak}");
}
