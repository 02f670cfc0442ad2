//! Instruments defined as patch graphs, played through the voice pool: pitch from the
//! event, polyphony, gate and release, controls, instance stealing, set eviction.

mod common;

use common::amplitude_at;
use tactus_dsp::graph::{Input, Module, Patch};
use tactus_dsp::voice::graph::{GraphInstrument, InstrumentSet};
use tactus_dsp::voice::params::{Param, Sound, VoiceParams};
use tactus_dsp::{Synth, SynthConfig};

const SR: f32 = 48_000.0;

fn ctl(name: &str, default: f64) -> Input {
    Input::Control {
        name: name.into(),
        default,
    }
}

/// `sine(freq) * adsr(0.002, 0.05, 1, release, gate) * level`, with `level` a control.
fn gated(release: f64) -> Patch {
    Patch {
        modules: vec![
            Module::new("o", "sine").with("freq", ctl("freq", 0.0)),
            Module::new("e", "adsr")
                .with("attack", Input::Const(0.002))
                .with("decay", Input::Const(0.05))
                .with("sustain", Input::Const(1.0))
                .with("release", Input::Const(release))
                .with("gate", ctl("gate", 0.0)),
            Module::new("m", "mul")
                .with("a", Input::cable("o.out"))
                .with("b", Input::cable("e.out")),
            Module::new("g", "mul")
                .with("a", Input::cable("m.out"))
                .with("b", ctl("level", 0.5)),
        ],
        outputs: vec![Input::cable("g.out")],
    }
}

/// A plain sine at `freq`, not reading `gate`.
fn ungated() -> Patch {
    Patch {
        modules: vec![Module::new("o", "sine").with("freq", ctl("freq", 0.0))],
        outputs: vec![Input::cable("o.out")],
    }
}

fn synth_with(patches: &[(&str, Patch)], polyphony: usize) -> (Synth, InstrumentSet) {
    let mut synth = Synth::new(SynthConfig {
        sample_rate: SR,
        voices: 32,
        orbits: 1,
        ..SynthConfig::default()
    });
    let make = || {
        let inst = patches
            .iter()
            .map(|(n, p)| GraphInstrument::new(n, p, SR, polyphony).unwrap())
            .collect();
        InstrumentSet::new(1, inst)
    };
    assert!(synth.install_instruments(Box::new(make())).is_none());
    (synth, make())
}

fn note(set: &InstrumentSet, name: &str, freq: f32, sustain: f32) -> VoiceParams {
    VoiceParams::new(set.sound_of(name).unwrap())
        .with(Param::Freq, freq)
        .with(Param::Sustain, sustain)
}

fn render(s: &mut Synth, frames: usize) -> Vec<f32> {
    let (mut l, mut r) = (vec![0.0; frames], vec![0.0; frames]);
    for (a, b) in l.chunks_mut(256).zip(r.chunks_mut(256)) {
        s.render_block(a, b);
    }
    l
}

#[test]
fn overlapping_notes_sound_together_at_their_pitches() {
    let (mut synth, set) = synth_with(&[("tone", gated(0.05))], 4);
    synth.start_voice(0, &note(&set, "tone", 440.0, 0.5));
    synth.start_voice(4800, &note(&set, "tone", 660.0, 0.5));
    let out = render(&mut synth, 24_000);
    let both = &out[9600..19200];
    let (a, b) = (
        amplitude_at(both, 440.0, SR as f64),
        amplitude_at(both, 660.0, SR as f64),
    );
    assert!(a > 0.02 && b > 0.02, "both notes audible: {a} {b}");
    assert!(amplitude_at(both, 550.0, SR as f64) < 0.1 * a.min(b));
    let first = &out[0..4800];
    assert!(amplitude_at(first, 660.0, SR as f64) < 0.1 * amplitude_at(first, 440.0, SR as f64));
    assert_eq!(synth.stats().pool.started, 2);
}

#[test]
fn a_gated_voice_releases_then_frees_itself() {
    let (mut synth, set) = synth_with(&[("tone", gated(0.1))], 2);
    synth.start_voice(0, &note(&set, "tone", 300.0, 0.2));
    let out = render(&mut synth, 9_600); // 0.2 s: the gate
    assert!(out[4800..9600].iter().any(|x| x.abs() > 0.1));
    assert_eq!(synth.stats().active_voices, 1);
    // the release rings after the gate closed
    let rel = render(&mut synth, 2_400);
    assert!(rel[..480].iter().any(|x| x.abs() > 0.05), "release audible");
    // then it decays and the voice is freed (release 0.1 s + 0.05 s of silence)
    let _ = render(&mut synth, 24_000);
    assert_eq!(synth.stats().active_voices, 0);
    // the instance is free again: more notes than the polyphony, one after the other
    for k in 0..3u32 {
        synth.start_voice(0, &note(&set, "tone", 300.0, 0.05));
        let o = render(&mut synth, 24_000);
        assert!(o.iter().any(|x| x.abs() > 0.05), "note {k} sounds");
    }
    assert_eq!(synth.stats().pool.stolen, 0);
}

#[test]
fn an_ungated_instrument_stops_at_the_end_of_its_sustain() {
    let (mut synth, set) = synth_with(&[("hum", ungated())], 2);
    synth.start_voice(0, &note(&set, "hum", 200.0, 0.1));
    let out = render(&mut synth, 9_600);
    assert!(out[..4000].iter().any(|x| x.abs() > 0.5));
    let after = out[4800..].iter().fold(0.0f32, |m, x| m.max(x.abs()));
    assert!(
        after < 1e-3,
        "silent after 0.1 s (the master bus DC blocker may leave a trace): {after}"
    );
    assert_eq!(synth.stats().active_voices, 0);
}

#[test]
fn event_controls_reach_the_graph() {
    let (mut synth, set) = synth_with(&[("tone", gated(0.05))], 2);
    synth.start_voice(0, &note(&set, "tone", 300.0, 0.2));
    let default = render(&mut synth, 9_000);
    let _ = render(&mut synth, 24_000);
    let mut loud = note(&set, "tone", 300.0, 0.2);
    assert_eq!(set.instruments()[0].controls(), ["level"]);
    loud.set_control(0, 1.0);
    synth.start_voice(0, &loud);
    let louder = render(&mut synth, 9_000);
    let peak = |x: &[f32]| x.iter().fold(0.0f32, |m, v| m.max(v.abs()));
    let ratio = peak(&louder[2000..]) / peak(&default[2000..]);
    assert!(
        (ratio - 2.0).abs() < 0.05,
        "level 1 vs default 0.5: {ratio}"
    );
}

#[test]
fn an_exhausted_instrument_steals_its_oldest_instance() {
    let (mut synth, set) = synth_with(&[("tone", gated(0.05))], 2);
    for (i, f) in [300.0, 400.0, 500.0].into_iter().enumerate() {
        synth.start_voice(i as u32 * 100, &note(&set, "tone", f, 1.0));
    }
    let out = render(&mut synth, 9_600);
    assert_eq!(synth.stats().active_voices, 2);
    assert_eq!(synth.stats().pool.stolen, 1);
    let tail = &out[4800..];
    let a = |f| amplitude_at(tail, f, SR as f64);
    assert!(a(300.0) < 0.1 * a(400.0), "the oldest note was stolen");
    assert!(a(500.0) > 0.02);
}

#[test]
fn an_evicted_set_stops_its_voices_and_comes_back() {
    let (mut synth, set) = synth_with(&[("tone", gated(0.05))], 2);
    synth.start_voice(0, &note(&set, "tone", 300.0, 10.0));
    let _ = render(&mut synth, 1024);
    assert_eq!(synth.stats().active_voices, 1);
    let mut evicted = Vec::new();
    for generation in 2..=4 {
        let inst = GraphInstrument::new("tone", &gated(0.05), SR, 1).unwrap();
        let set = InstrumentSet::new(generation, vec![inst]);
        if let Some(old) = synth.install_instruments(Box::new(set)) {
            evicted.push(old.generation());
        }
        let _ = render(&mut synth, 256);
    }
    assert_eq!(evicted, [1]);
    assert_eq!(synth.stats().active_voices, 0);
    // an event naming an evicted set does not play
    assert!(!matches!(set.sound_of("tone"), Some(Sound::Silent)));
    synth.start_voice(0, &note(&set, "tone", 300.0, 0.1));
    let _ = render(&mut synth, 256);
    assert_eq!(synth.stats().active_voices, 0);
    assert_eq!(synth.stats().pool.dropped, 1);
}

#[test]
fn a_two_output_instrument_plays_in_stereo() {
    let mut p = ungated();
    p.outputs.push(Input::Const(0.0)); // right side silent
    let (mut synth, set) = synth_with(&[("left", p)], 1);
    synth.start_voice(0, &note(&set, "left", 300.0, 0.1));
    let (mut l, mut r) = (vec![0.0; 4096], vec![0.0; 4096]);
    synth.render_block(&mut l, &mut r);
    let peak = |x: &[f32]| x.iter().fold(0.0f32, |m, v| m.max(v.abs()));
    assert!(peak(&l) > 0.5, "left {}", peak(&l));
    assert!(peak(&r) < 1e-3, "right {}", peak(&r));
}
