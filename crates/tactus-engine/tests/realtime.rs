//! The real-time path driven by a fake device loop: the callback (`AudioSide::process`)
//! renders while events stream through the ring, sample buffers are installed and evicted
//! through their queue and return lane, and programs swap at cycle boundaries carrying new
//! instruments (sets in through their queue, evicted ones back on theirs) — with a
//! counting global allocator armed only inside the callback.

#[path = "../../tactus-dsp/tests/support/counting_alloc.rs"]
mod counting_alloc;
mod support;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use counting_alloc::forbidden;
use support::{program, run_callbacks};
use tactus_engine::realtime::{channel, Apply, RealtimeConfig, SchedulerThread};
use tactus_engine::sounds::Sounds;
use tactus_io::wav::{SampleFormat, WavWriter};

/// A folder with `tick/0.wav .. tick/3.wav` (short noise bursts of different lengths).
fn sample_folder() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tactus-rt-{}", std::process::id()));
    let tick = dir.join("tick");
    std::fs::create_dir_all(&tick).unwrap();
    for i in 0..4 {
        let len = 2_000 + i * 3_000;
        let l: Vec<f32> = (0..len)
            .map(|k| ((k * 7919 % 1000) as f32 / 500.0 - 1.0) * 0.5)
            .collect();
        let mut w =
            WavWriter::create(&tick.join(format!("{i}.wav")), 44_100, SampleFormat::F32).unwrap();
        w.write(&l, &l).unwrap();
        w.finish(44_100).unwrap();
    }
    dir
}

const A: &str = r#"setcps 1
d1 $ s "bd*4 sn" # orbit 1 # room 0.3
d2 $ n "0 .. 7" # s "tick" # speed (range 0.5 2 sine)
d3 $ note "c e g b" # s "superpiano" # legato 0.5 # delay 0.3
instrument "lead" $ 0.3 * ladder (ctl "cutoff" 900) 0.5 (osc "saw" freq) * adsr 0.01 0.1 0.6 0.2 gate
d4 $ note "[c,e,g] [d,f]" # s "lead" # cutoff "<800 2400>""#;

const B: &str = r#"setcps 1.5
d1 $ s "hh*16" # gain 0.8 # cutoff 3000
d2 $ every 2 (fast 2) $ n "3 1 [2 0]" # s "tick" # cut 1
d3 $ s "supersaw*2" # note "-12" # legato 0.9
instrument "lead" $ fbdelay 0.1 0.5 (0.3 * osc "square" freq * perc 0.001 (ctl "decay" 0.2) gate)
instrument "kick" $ osc "sine" (50 + 200 * perc 0.001 0.03 gate) * perc 0.001 0.3 gate
d4 $ note "c a f e" # s "lead" # pF "decay" "0.1 0.4"
d5 $ s "kick*2""#;

#[test]
fn callback_never_allocates_while_programs_swap_and_events_stream() {
    let sr = 48_000;
    let dir = sample_folder();
    // little sample memory: variations get evicted and reloaded, so buffers travel both
    // ways (installs in, old buffers back on the return lane)
    let mut sounds = Sounds::new(sr as f32, 64, 4 * 12_000 * 4);
    sounds.add_root(&dir).unwrap();
    let (mut control, mut audio) = channel(program(A), sounds, RealtimeConfig::new(sr));
    let buffer = 128;
    let mut submitted = Vec::new();
    let callbacks = 12 * sr as usize / buffer; // 12 s of audio
                                               // control side (not counted): swap programs now and then, schedule ahead; audio side:
                                               // everything counted
    let (allocs, peak) = run_callbacks(
        &mut control,
        &mut audio,
        buffer,
        callbacks,
        |i, control| {
            if i % 500 == 250 {
                let src = if submitted.len() % 2 == 0 { B } else { A };
                control.submit(program(src), Apply::Cycle);
                submitted.push(control.metrics().snapshot().cycle);
            }
        },
        |f| forbidden(f),
    );
    let m = control.metrics().snapshot();
    assert_eq!(allocs, 0, "{allocs} allocations in the callback; {m:?}");
    assert!(peak > 0.05, "silent output");
    assert_eq!(m.late_events, 0, "{m:?}");
    assert_eq!(m.skipped_windows, 0, "{m:?}");
    assert!(m.events_played > 200, "{m:?}");
    assert!(
        m.samples_installed > 4,
        "samples were not reinstalled after eviction: {m:?}"
    );
    // what was sent and not played yet is only the lookahead still in the ring
    assert!(
        m.events_sent >= m.events_played && m.events_sent - m.events_played < 100,
        "{m:?}"
    );
    // every swap took over at a whole cycle, at the first one not yet scheduled
    let log = control.program_log();
    // (the last submit may still be waiting for its cycle when the run ends)
    assert!(log.len() >= submitted.len(), "{log:?}");
    for (change, at) in log[1..].iter().zip(&submitted) {
        assert_eq!(change.cycle.fract(), 0.0, "{change:?}");
        assert!(
            change.cycle > *at && change.cycle <= at.ceil() + 1.0,
            "{change:?} submitted at {at}"
        );
    }
    assert_eq!(log[1].cps, 1.5);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn late_events_play_at_the_block_start_and_a_starved_scheduler_skips_the_past() {
    let sr = 48_000;
    let sounds = Sounds::new(sr as f32, 16, 1 << 20);
    let (mut control, mut audio) = channel(
        program("setcps 1\nd1 $ s \"bd*8\""),
        sounds,
        RealtimeConfig::new(sr),
    );
    let mut out = vec![0.0f32; 2 * 256];
    // the audio runs ahead of a scheduler that still thinks it is at frame 0
    for _ in 0..10 {
        audio.process(&mut out, 2);
    }
    control.tick(0);
    audio.process(&mut out, 2);
    let m = control.metrics().snapshot();
    assert!(m.late_events >= 1, "{m:?}");
    assert_eq!(
        m.events_played, m.late_events,
        "late events are played, not dropped"
    );
    // now the scheduler wakes up ten seconds late: the past is skipped, not replayed
    let now = audio.position() + 10 * sr as u64;
    control.tick(now);
    let m2 = control.metrics().snapshot();
    assert_eq!(m2.skipped_windows, 1);
    let sent = m2.events_sent - m.events_sent;
    assert!(
        sent <= 2,
        "a burst of {sent} stale events after catching up"
    );
}

#[test]
fn scheduler_thread_feeds_a_paced_callback() {
    let sr = 48_000;
    let sounds = Sounds::new(sr as f32, 16, 1 << 20);
    let (control, mut audio) = channel(
        program("setcps 2\nd1 $ s \"bd*4\""),
        sounds,
        RealtimeConfig::new(sr),
    );
    let metrics = std::sync::Arc::clone(control.metrics());
    let thread = SchedulerThread::spawn(control, Duration::from_millis(10)).unwrap();
    let device = std::thread::spawn(move || {
        // a fake device thread: 256-frame callbacks paced at real time
        let mut out = vec![0.0f32; 2 * 256];
        let start = Instant::now();
        let mut allocs = 0;
        for i in 0..(sr as usize / 256) {
            let due = start + Duration::from_secs_f64((i * 256) as f64 / sr as f64);
            if let Some(d) = due.checked_duration_since(Instant::now()) {
                std::thread::sleep(d);
            }
            allocs += forbidden(|| audio.process(&mut out, 2));
        }
        allocs
    });
    std::thread::sleep(Duration::from_millis(300));
    thread.submit(program("setcps 2\nd1 $ s \"hh*8\""), Apply::Beat);
    let allocs = device.join().unwrap();
    let control = thread.stop().unwrap();
    assert_eq!(allocs, 0);
    let log = control.program_log();
    assert_eq!(log.len(), 2, "{log:?}");
    assert_eq!((log[1].cycle * 4.0).fract(), 0.0, "not on a beat: {log:?}");
    let m = metrics.snapshot();
    assert!(m.events_played > 4, "{m:?}");
}

/// Goertzel amplitude of `freq` in `x`.
fn amplitude_at(x: &[f32], freq: f64, sr: f64) -> f64 {
    let w = 2.0 * std::f64::consts::PI * freq / sr;
    let (mut re, mut im) = (0.0, 0.0);
    for (i, v) in x.iter().enumerate() {
        re += *v as f64 * (w * i as f64).cos();
        im -= *v as f64 * (w * i as f64).sin();
    }
    2.0 * (re * re + im * im).sqrt() / x.len() as f64
}

#[test]
fn a_program_swap_carries_its_instruments() {
    let sr = 48_000;
    let first =
        "setcps 1\ninstrument \"tone\" $ 0.5 * osc \"sine\" freq\nd1 $ note \"a\" # s \"tone\"";
    let second = first.replace("freq", "(freq * 2)");
    let (mut control, mut audio) = channel(
        program(first),
        Sounds::new(sr as f32, 4, 1 << 20),
        RealtimeConfig::new(sr),
    );
    let buffer = 256;
    let mut out = vec![0.0f32; buffer * 2];
    let mut left = Vec::new();
    for i in 0..(3 * sr as usize / buffer) {
        if i == sr as usize / buffer / 2 {
            control.submit(program(&second), Apply::Cycle); // takes over at cycle 1
        }
        control.tick(audio.position());
        audio.process(&mut out, 2);
        left.extend(out.chunks(2).map(|f| f[0]));
    }
    let s = sr as usize;
    let before = &left[s / 10..9 * s / 10];
    let after = &left[s + s / 10..s + 9 * s / 10];
    let a = |x: &[f32], f| amplitude_at(x, f, sr as f64);
    assert!(
        a(before, 440.0) > 0.1,
        "the first instrument plays a5 at 440 Hz"
    );
    assert!(a(before, 880.0) < 0.01);
    assert!(
        a(after, 880.0) > 0.1,
        "the new definition plays from cycle 1"
    );
    assert!(a(after, 440.0) < 0.01);
    assert!(control.take_warnings().is_empty());
}
