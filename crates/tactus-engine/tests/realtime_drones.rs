//! Drones and buses in real time: the callback runs the compiled drone graphs while
//! programs swap (each swap hands a new drone set through the lock-free queue; the old one
//! comes back on the return lane), with a counting allocator armed only inside the
//! callback; the real-time output equals the offline render; a changed constant glides.

#[path = "../../tactus-dsp/tests/support/counting_alloc.rs"]
mod counting_alloc;
mod support;

use counting_alloc::forbidden;
use support::{alternate, max_difference, offline_and_live, program, run_callbacks};
use tactus_engine::realtime::{channel, Apply, RealtimeConfig};
use tactus_engine::render::{render_to_vec, RenderOptions};
use tactus_engine::sounds::Sounds;

const SR: u32 = 48_000;

const A: &str = r#"setcps 1
bus "lfo" $ range 300 3000 (slow 2 sine)
drone "acid" $ 0.3 * ladder (busin "lfo") "<0.3 0.7>" (osc "saw" (notefreq "c3 ef3 g3"))
drone "pad" $ verb 0.6 0.3 (lowpass (busin "lfo") 1 (osc "supersaw" 110) * 0.1)
d1 $ s "bd*4""#;

// one constant changed (the acid's level), one module added (a delay on the pad), a
// drone removed and another added
const B: &str = r#"setcps 1
bus "lfo" $ range 300 3000 (slow 2 sine)
drone "acid" $ 0.2 * ladder (busin "lfo") "<0.3 0.7>" (osc "saw" (notefreq "c3 ef3 g3"))
drone "pad" $ fbdelay 0.25 0.4 (verb 0.6 0.3 (lowpass (busin "lfo") 1 (osc "supersaw" 110) * 0.1))
drone "bell" $ osc "sine" 880 * perc 0.001 0.3 "1 0 1 1" * 0.2
d1 $ s "hh*8""#;

#[test]
fn callback_with_drones_never_allocates_while_patches_swap() {
    let sounds = Sounds::new(SR as f32, 16, 1 << 20);
    let (mut control, mut audio) = channel(program(A), sounds, RealtimeConfig::new(SR));
    let buffer = 256;
    let callbacks = 10 * SR as usize / buffer; // 10 s
    let (allocs, peak) = run_callbacks(
        &mut control,
        &mut audio,
        buffer,
        callbacks,
        alternate(300, B, A),
        |f| forbidden(f),
    );
    let m = control.metrics().snapshot();
    assert_eq!(allocs, 0, "{allocs} allocations in the callback; {m:?}");
    assert!(peak > 0.05, "silent");
    // every program change installed a drone set in the callback
    assert!(m.drone_swaps >= 5, "{m:?}");
    assert_eq!(
        m.drone_swaps,
        control.program_log().len() as u64 - 1,
        "{m:?}"
    );
    assert_eq!(m.late_events, 0, "{m:?}");
}

#[test]
fn real_time_drones_equal_the_offline_render() {
    let src = r#"setcps 0.75
bus "lfo" $ slow 2 sine
drone "a" $ 0.3 * lowpass (200 + 2000 * busin "lfo") 2 (osc "saw" (notefreq "<c3 g2> e3"))
drone "b" $ panner (busin "lfo" * 2 - 1) (osc "tri" "<330 440>" * 0.2)"#;
    let frames = 2 * SR as usize;
    let (offline, live, _) = offline_and_live(src, SR, frames);
    let diff = max_difference(&offline, &live);
    assert!(diff < 1e-5, "real time differs from offline by {diff}");
    assert!(offline.iter().any(|x| x.abs() > 0.05));
}

#[test]
fn a_live_edit_of_a_level_glides_without_a_click() {
    let a = "setcps 1\ndrone \"a\" $ 0.1 * osc \"sine\" 310";
    let b = "setcps 1\ndrone \"a\" $ 0.7 * osc \"sine\" 310";
    let sounds = Sounds::new(SR as f32, 8, 1 << 20);
    let (mut control, mut audio) = channel(program(a), sounds, RealtimeConfig::new(SR));
    let mut left = Vec::new();
    let mut out = vec![0.0f32; 2 * 128];
    for i in 0..(3 * SR as usize / 128) {
        if i == 100 {
            control.submit(program(b), Apply::Cycle);
        }
        control.tick(audio.position());
        audio.process(&mut out, 2);
        left.extend(out.chunks(2).map(|f| f[0]));
    }
    let log = control.program_log();
    assert_eq!(log.len(), 2, "{log:?}");
    let at = log[1].frame as usize;
    // the level went up
    let level = |a: usize, b: usize| left[a..b].iter().fold(0.0f32, |m, x| m.max(x.abs()));
    assert!(level(at - 4800, at) < 0.12 && level(at + 4800, at + 9600) > 0.6);
    // 0.7 * 2 pi 310 / 48000 = 0.028 per sample at most for the sine itself; a jump of
    // the level (0.6 * |sine|) would be far larger
    let step = left[at - 64..at + 4800]
        .windows(2)
        .map(|w| (w[1] - w[0]).abs())
        .fold(0.0f32, f32::max);
    assert!(step < 0.035, "step {step} at the edit");
}

/// Instruments that read a bus, played by patterns, beside a drone on the same bus.
const INSTRUMENTS: &str = r#"setcps 0.75
bus "lfo" $ slow 2 sine
instrument "b" $ 0.3 * lowpass (200 + 2500 * busin "lfo") 1 (osc "saw" freq) * adsr 0.01 0.1 0.8 0.1 gate
instrument "k" $ 0.2 * busin "lfo" * osc "tri" freq * adsr 0.01 0.1 0.8 0.2 gate
drone "d" $ 0.1 * busin "lfo" * osc "sine" 220
d1 $ note "c2 [e2 g2]" # s "b"
d2 $ note "[c4,e4] g4*3" # s "k" # legato 1"#;

#[test]
fn real_time_bus_reading_instruments_equal_the_offline_render() {
    let frames = 2 * SR as usize;
    let (offline, live, stats) = offline_and_live(INSTRUMENTS, SR, frames);
    assert!(stats.events > 4, "{stats:?}");
    let diff = max_difference(&offline, &live);
    assert!(diff < 1e-5, "real time differs from offline by {diff}");
    assert!(offline.iter().any(|x| x.abs() > 0.05));
    // and the instruments do read the bus: without it (bus removed) the render differs
    let mut p = program(INSTRUMENTS);
    p.buses.clear();
    let (silent_bus, _) = render_to_vec(
        p,
        Sounds::new(SR as f32, 8, 1 << 20),
        RenderOptions {
            sample_rate: SR,
            ..RenderOptions::default()
        },
        frames as u64,
    );
    let moved = max_difference(&offline, &silent_bus);
    assert!(moved > 0.05, "the bus changes nothing: {moved}");
}

#[test]
fn callback_with_bus_reading_instruments_never_allocates() {
    let sounds = Sounds::new(SR as f32, 16, 1 << 20);
    let (mut control, mut audio) = channel(program(INSTRUMENTS), sounds, RealtimeConfig::new(SR));
    let buffer = 256;
    let callbacks = 6 * SR as usize / buffer; // 6 s
    let (allocs, peak) = run_callbacks(
        &mut control,
        &mut audio,
        buffer,
        callbacks,
        |i, control| {
            if i % 300 == 150 {
                // a reload: the drone set (and so the bus layout) changes under the voices
                let src = if i % 600 == 150 {
                    INSTRUMENTS.replace("slow 2 sine", "slow 3 sine")
                } else {
                    INSTRUMENTS.to_string()
                };
                control.submit(program(&src), Apply::Cycle);
            }
        },
        |f| forbidden(f),
    );
    let m = control.metrics().snapshot();
    assert_eq!(allocs, 0, "{allocs} allocations in the callback; {m:?}");
    assert!(peak > 0.05, "silent");
    assert!(m.drone_swaps >= 3, "{m:?}");
    assert!(m.events_played > 20, "{m:?}");
}
