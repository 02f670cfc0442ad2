//! Sample-accurate timing of the scheduler and the offline renderer.

mod support;

use support::program;
use tactus_engine::clock::Clock;
use tactus_engine::events::BuiltinSounds;
use tactus_engine::render::{render_to_vec, RenderOptions};
use tactus_engine::scheduler::Scheduler;
use tactus_engine::sounds::Sounds;

/// Scheduled frames of every event in `[0, frames)`, in windows of `block` frames.
fn scheduled(src: &str, rate: u32, frames: u64, block: u64) -> Vec<u64> {
    let prog = program(src);
    let mut s = Scheduler::new(Clock::new(rate, prog.cps.unwrap()));
    let mut out = Vec::new();
    let mut f = 0;
    while f < frames {
        let to = (f + block).min(frames);
        s.schedule(&prog, f, to, &mut BuiltinSounds, &mut out);
        f = to;
    }
    out.iter().map(|e| e.at_sample).collect()
}

#[test]
fn quarter_cycle_at_half_cps_starts_at_half_a_second() {
    for rate in [44_100u32, 48_000, 96_000] {
        let at = scheduled("setcps 0.5\nd1 $ s \"~ bd ~ ~\"\n", rate, rate as u64, 512);
        assert_eq!(at, vec![rate as u64 / 2], "at {rate} Hz");
    }
}

#[test]
fn windows_of_any_size_give_the_same_events() {
    let src = "setcps 0.5625\nd1 $ s \"bd*4 [sn cp]*3\"\nd2 $ s \"hh*7\"\n";
    let a = scheduled(src, 44_100, 44_100 * 8, 512);
    for block in [1u64, 63, 64, 1000, 44_100] {
        assert_eq!(
            scheduled(src, 44_100, 44_100 * 8, block),
            a,
            "block {block}"
        );
    }
    // 8 seconds at 0.5625 cps = 4.5 cycles: 4 full cycles of 4 + 6 + 7 events, then the
    // first half of a cycle (4 bd, 4 hh).
    assert_eq!(a.len(), 4 * 17 + 4 + 4);
}

/// Frames where the signal rises out of silence.
fn onsets(stereo: &[f32]) -> Vec<usize> {
    let mut out = Vec::new();
    let mut quiet = 1000;
    for (i, fr) in stereo.chunks(2).enumerate() {
        let a = fr[0].abs().max(fr[1].abs());
        if a > 1e-3 {
            if quiet >= 200 {
                out.push(i);
            }
            quiet = 0;
        } else {
            quiet += 1;
        }
    }
    out
}

#[test]
fn rendered_onsets_are_where_they_belong() {
    for rate in [44_100u32, 48_000] {
        let prog = program("setcps 0.5\nd1 $ s \"bd*4\" # sustain 0.1\n");
        let opts = RenderOptions {
            sample_rate: rate,
            ..RenderOptions::default()
        };
        let frames = rate as u64 * 4; // two cycles
        let (audio, _) = render_to_vec(prog, Sounds::new(rate as f32, 16, 1 << 20), opts, frames);
        let found = onsets(&audio);
        let expected: Vec<usize> = (0..8).map(|i| i * rate as usize / 2).collect();
        assert_eq!(found.len(), expected.len(), "at {rate} Hz: {found:?}");
        for (f, e) in found.iter().zip(&expected) {
            assert!(
                (*f as i64 - *e as i64).abs() <= 1,
                "at {rate} Hz: onset {f}, expected {e}"
            );
        }
    }
}

#[test]
fn rendering_is_deterministic() {
    let src = "setcps 0.6\nd1 $ s \"bd*4 sn\" # room 0.3\nd2 $ n \"0 4 7\" # s \"superpiano\" # pan rand\n";
    let r = |block| {
        let opts = RenderOptions {
            sample_rate: 44_100,
            block,
            ..RenderOptions::default()
        };
        render_to_vec(
            program(src),
            Sounds::new(44_100.0, 16, 1 << 20),
            opts,
            44_100 * 3,
        )
        .0
    };
    let a = r(512);
    assert_eq!(a, r(512));
    assert!(a.iter().any(|x| x.abs() > 0.01));
}

#[test]
fn tempo_from_setcps_changes_spacing() {
    let slow = scheduled("setcps 0.5\nd1 $ s \"bd*2\"\n", 48_000, 96_000, 512);
    let fast = scheduled("setcps 1\nd1 $ s \"bd*2\"\n", 48_000, 96_000, 512);
    assert_eq!(slow, vec![0, 48_000]);
    assert_eq!(fast, vec![0, 24_000, 48_000, 72_000]);
}
