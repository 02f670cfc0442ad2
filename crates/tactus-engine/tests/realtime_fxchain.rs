//! Effect chains (`fx`) in real time: the callback renders chained channels' voices into
//! their chain buffers and runs the chain graphs while programs swap (chains added, edited
//! and removed), with a counting allocator armed only inside the callback; the real-time
//! output equals the offline render.

#[path = "../../tactus-dsp/tests/support/counting_alloc.rs"]
mod counting_alloc;
mod support;

use counting_alloc::forbidden;
use support::{alternate, max_difference, offline_and_live, program, run_callbacks};
use tactus_engine::realtime::{channel, Apply, RealtimeConfig};
use tactus_engine::sounds::Sounds;

const SR: u32 = 48_000;

const A: &str = r#"setcps 1
fx 1 $ verb 0.7 0.4 $ chorus 0.5 0.3 0.5 input
fx "lead" $ fbdelay 0.125 "<0.3 0.6>" (drive 0.5 input)
d1 $ note "c4 e4 g4" # s "supersaw" # legato 0.5
p "lead" $ note "c5*4" # s "pluck"
d2 $ s "bd*4""#;

// a constant edited in d1's chain, lead's chain removed (it plays dry), a chain for d2
const B: &str = r#"setcps 1
fx 1 $ verb 0.7 0.2 $ chorus 0.5 0.3 0.5 input
fx 2 $ lowpass 800 1 input
d1 $ note "c4 e4 g4" # s "supersaw" # legato 0.5
p "lead" $ note "c5*4" # s "pluck"
d2 $ s "bd*4""#;

#[test]
fn callback_with_fx_chains_never_allocates_while_programs_swap() {
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
    // every program change installed a new set of chains in the callback
    assert!(m.drone_swaps >= 5, "{m:?}");
    assert_eq!(
        m.drone_swaps,
        control.program_log().len() as u64 - 1,
        "{m:?}"
    );
    assert_eq!(m.late_events, 0, "{m:?}");
}

#[test]
fn real_time_fx_chains_equal_the_offline_render() {
    let src = r#"setcps 0.75
fx 1 $ fbdelay 0.2 0.5 $ verb 0.6 "<0.2 0.5>" input
d1 $ note "c4 [e4 g4]" # s "tri" # legato 0.4
d2 $ s "hh*4" # gain 0.8"#;
    let frames = 2 * SR as usize;
    let (offline, live, _) = offline_and_live(src, SR, frames);
    let diff = max_difference(&offline, &live);
    assert!(diff < 1e-5, "real time differs from offline by {diff}");
    assert!(offline.iter().any(|x| x.abs() > 0.05));
}

/// Plays `a`, submits `b` during the first cycle (it takes over at cycle 1, frame SR) and
/// returns the RMS of the left channel just before and just after the swap.
fn around_the_swap(a: &str, b: &str) -> (f32, f32) {
    let sounds = Sounds::new(SR as f32, 8, 1 << 20);
    let (mut control, mut audio) = channel(program(a), sounds, RealtimeConfig::new(SR));
    let mut left = Vec::new();
    let mut out = vec![0.0f32; 2 * 128];
    for i in 0..(2 * SR as usize / 128) {
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
    assert_eq!(at, SR as usize);
    let rms = |x: &[f32]| (x.iter().map(|v| v * v).sum::<f32>() / x.len() as f32).sqrt();
    (rms(&left[at - 2400..at]), rms(&left[at..at + 2400]))
}

#[test]
fn an_edited_chain_keeps_its_reverb_tail_and_a_replaced_one_does_not() {
    // one short note at the start; at cycle 1 only the reverb's tail is left
    let a =
        "setcps 1\nfx 1 $ verb 0.95 0.8 input\nd1 $ s \"sine\" # freq \"<440 ~>\" # sustain 0.1";
    let edited = a.replace("verb 0.95 0.8", "verb 0.95 0.6");
    let replaced = a.replace("verb 0.95 0.8 input", "fbdelay 0.3 0.5 input");
    let (before, after) = around_the_swap(a, &edited);
    assert!(before > 1e-3, "a tail to keep: {before}");
    // the same reverb module goes on (its mix gliding from 0.8 to 0.6)
    assert!(after > 0.5 * before, "kept: {before} -> {after}");
    let (before, after) = around_the_swap(a, &replaced);
    assert!(before > 1e-3);
    // a new chain with other modules starts empty
    assert!(after < 0.01 * before, "replaced: {before} -> {after}");
}
