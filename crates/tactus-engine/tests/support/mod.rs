//! Helpers shared by the engine's integration tests.

// each test binary uses the helpers it needs
#![allow(dead_code)]

use tactus_engine::realtime::{channel, Apply, AudioSide, ControlSide, RealtimeConfig};
use tactus_engine::render::{render_to_vec, RenderOptions, RenderStats};
use tactus_engine::sounds::Sounds;
use tactus_lang::program::{eval_file, Program};

/// Evaluates a file's text, failing the test on any diagnostic.
pub fn program(src: &str) -> Program {
    let (p, d) = eval_file(src);
    assert!(
        d.is_empty(),
        "{:?}",
        d.iter().map(|d| &d.message).collect::<Vec<_>>()
    );
    p
}

/// `seconds` of `p` rendered offline at `sr`, interleaved stereo; fails the test if the
/// render clips or holds a non-finite sample.
pub fn render_unclipped(p: Program, sr: u32, seconds: f64) -> Vec<f32> {
    let opts = RenderOptions {
        sample_rate: sr,
        ..RenderOptions::default()
    };
    let frames = (seconds * f64::from(sr)) as u64;
    let (audio, stats) = render_to_vec(p, Sounds::new(sr as f32, 8, 1 << 20), opts, frames);
    assert!(stats.peak < 1.0 && audio.iter().all(|x| x.is_finite()));
    audio
}

/// The offline render of `src` and the output of the real-time path (128-frame callbacks)
/// for the same `frames` frames at `sr`, both interleaved stereo, with the offline render's
/// counters.
pub fn offline_and_live(src: &str, sr: u32, frames: usize) -> (Vec<f32>, Vec<f32>, RenderStats) {
    let opts = RenderOptions {
        sample_rate: sr,
        ..RenderOptions::default()
    };
    let (offline, stats) = render_to_vec(
        program(src),
        Sounds::new(sr as f32, 8, 1 << 20),
        opts,
        frames as u64,
    );
    let sounds = Sounds::new(sr as f32, 8, 1 << 20);
    let (mut control, mut audio) = channel(program(src), sounds, RealtimeConfig::new(sr));
    let mut live = Vec::with_capacity(frames * 2);
    let mut out = vec![0.0f32; 2 * 128];
    while live.len() < frames * 2 {
        control.tick(audio.position());
        audio.process(&mut out, 2);
        live.extend_from_slice(&out);
    }
    live.truncate(frames * 2);
    (offline, live, stats)
}

/// The largest absolute difference between two buffers.
pub fn max_difference(a: &[f32], b: &[f32]) -> f32 {
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0f32, f32::max)
}

/// Runs `callbacks` callbacks of `buffer` stereo frames. Before each, `control_step(i, ..)`
/// runs on the control side (it may submit a program) and the scheduler ticks; the callback
/// itself runs under `count`, which returns the allocations it made (the test binary's
/// counting allocator). Every sample must be finite and within ±1. Returns the allocations
/// and the output's peak.
pub fn run_callbacks(
    control: &mut ControlSide,
    audio: &mut AudioSide,
    buffer: usize,
    callbacks: usize,
    mut control_step: impl FnMut(usize, &mut ControlSide),
    count: impl Fn(&mut dyn FnMut()) -> usize,
) -> (usize, f32) {
    let mut out = vec![0.0f32; buffer * 2];
    let (mut allocs, mut peak) = (0, 0.0f32);
    for i in 0..callbacks {
        control_step(i, control);
        control.tick(audio.position());
        allocs += count(&mut || {
            audio.process(&mut out, 2);
        });
        for x in &out {
            assert!(x.is_finite() && x.abs() <= 1.0);
            peak = peak.max(x.abs());
        }
    }
    (allocs, peak)
}

/// A `control_step` for [`run_callbacks`]: every `every` callbacks, starting at `every / 2`,
/// it submits `first`, then `second`, then `first` again and so on, each to take over at the
/// next cycle.
#[allow(dead_code)] // not every test binary swaps programs this way
pub fn alternate<'a>(
    every: usize,
    first: &'a str,
    second: &'a str,
) -> impl FnMut(usize, &mut ControlSide) + 'a {
    let mut submits = 0;
    move |i, control| {
        if i % every == every / 2 {
            let src = if submits % 2 == 0 { first } else { second };
            control.submit(program(src), Apply::Cycle);
            submits += 1;
        }
    }
}
