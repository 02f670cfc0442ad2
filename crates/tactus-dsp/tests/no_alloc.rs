//! Real-time safety: rendering thousands of blocks while voices start, get stolen, cut and
//! end, while samples are swapped in and out, performs zero heap allocations (and frees).

#[path = "support/counting_alloc.rs"]
mod counting_alloc;

use tactus_dsp::graph::{self, Input, Key, Module, Patch};
use tactus_dsp::sample::{SampleBuffer, SampleId};
use tactus_dsp::voice::buses::NamedBuses;
use tactus_dsp::voice::graph::{GraphInstrument, InstrumentSet};
use tactus_dsp::voice::instruments::{InstrumentId, Instruments};
use tactus_dsp::voice::params::{Param, Sound, VoiceParams};
use tactus_dsp::voice::pool::StealPolicy;
use tactus_dsp::{Synth, SynthConfig};

use counting_alloc::counted;

#[test]
fn render_path_never_allocates() {
    for policy in [StealPolicy::Oldest, StealPolicy::Quietest] {
        let sr = 48_000.0;
        let mut synth = Synth::new(SynthConfig {
            sample_rate: sr,
            voices: 24, // small, so that stealing happens constantly
            orbits: 12,
            steal: policy,
            ..SynthConfig::default()
        });
        let sample = |len: usize| {
            SampleBuffer::stereo(
                &(0..len)
                    .map(|i| (i as f32 * 0.01).sin())
                    .collect::<Vec<_>>(),
                &(0..len)
                    .map(|i| (i as f32 * 0.013).cos())
                    .collect::<Vec<_>>(),
                sr,
            )
        };
        synth.install_sample(SampleId(0), sample(20_000)).unwrap();
        // buffers prepared on the "control side", and room for the returned old ones
        let mut spares: Vec<SampleBuffer> = (0..8).map(|i| sample(5_000 + 1_000 * i)).collect();
        let mut returned: Vec<SampleBuffer> = Vec::with_capacity(64);
        let instruments = Instruments::ALL.len() as u16;
        let (mut l, mut r) = (vec![0.0f32; 64], vec![0.0f32; 64]);

        let ((), allocs) = counted(|| {
            for block in 0..2_000u32 {
                // a dense stream of events of every kind
                for k in 0..3u32 {
                    let i = block * 3 + k;
                    let sound = if i % 5 == 0 {
                        Sound::Sample(SampleId(i % 2))
                    } else {
                        Sound::Instrument(InstrumentId((i % u32::from(instruments)) as u16))
                    };
                    let p = VoiceParams::new(sound)
                        .with(Param::N, (i % 11) as f32)
                        .with(Param::Note, (i % 24) as f32 - 12.0)
                        .with(Param::Speed, if i % 7 == 0 { -1.5 } else { 1.0 })
                        .with(Param::Orbit, (i % 12) as f32)
                        .with(Param::Cut, (i % 3) as f32 - 1.0)
                        .with(Param::Cutoff, 300.0 + (i % 50) as f32 * 100.0)
                        .with(Param::Vowel, (i % 5) as f32)
                        .with(Param::Room, 0.2)
                        .with(Param::Delay, 0.3)
                        .with(Param::Shape, 0.3)
                        .with(Param::Crush, 6.0)
                        .with(Param::Coarse, 3.0)
                        .with(Param::Attack, 0.001)
                        .with(Param::Release, 0.2)
                        .with(Param::Delta, 0.1 + (i % 4) as f32 * 0.2);
                    synth.start_voice((i * 37) % 80, &p);
                }
                // swap a sample in and out now and then
                if block % 500 == 250 {
                    if let Some(buf) = spares.pop() {
                        if let Ok(Some(old)) = synth.install_sample(SampleId(1), buf) {
                            returned.push(old);
                        }
                    }
                }
                if block % 1000 == 999 {
                    if let Some(old) = synth.remove_sample(SampleId(1)) {
                        returned.push(old);
                    }
                }
                if block == 1_500 {
                    synth.hush(0.05);
                }
                synth.render_block(&mut l, &mut r);
                assert!(l.iter().chain(&r).all(|x| x.is_finite()));
            }
        });
        assert_eq!(
            allocs, 0,
            "{allocs} allocations on the render path ({policy:?})"
        );
        let st = synth.stats();
        assert!(st.pool.started > 2_000, "{st:?}");
        assert!(st.pool.stolen > 0, "{st:?}");
        drop(returned); // freed here, off the "audio thread"
    }
}

/// A patch with one module of every type, chained through their first ports, with pattern,
/// cycle and bus inputs; `level` moves every constant parameter within its range.
fn every_module(level: f32) -> Patch {
    let mut modules: Vec<Module> = Vec::new();
    for (i, info) in graph::kinds::all().enumerate() {
        let mut m = Module::new(format!("m{i}"), info.name);
        for p in info.params {
            if p.name == "seed" {
                continue;
            }
            let v = p.min + (p.max - p.min) * level;
            let v = if p.unit == "s" { v.min(0.5) } else { v };
            m.params
                .insert(p.name.to_string(), Input::Const(f64::from(v)));
        }
        if let (Some(port), Some(prev)) = (info.inputs.first(), modules.last()) {
            let out = graph::module_info(&prev.kind).unwrap().outputs[0].name;
            m.params.insert(
                port.name.to_string(),
                Input::cable(&format!("{}.{out}", prev.id)),
            );
        }
        if let Some(port) = info.inputs.get(1) {
            let src = match i % 3 {
                0 => Input::Pattern("1 0".into()),
                1 => Input::Cycle(2.0),
                _ => Input::Bus("lfo".into()),
            };
            m.params.insert(port.name.to_string(), src);
        }
        if info.name == "keyframes" {
            m.keys = vec![
                Key {
                    time: 0.0,
                    value: 0.0,
                    easing: "linear".into(),
                },
                Key {
                    time: 1.0,
                    value: 1.0,
                    easing: "exp".into(),
                },
            ];
        }
        modules.push(m);
    }
    let last = modules.last().unwrap().id.clone();
    Patch {
        modules,
        outputs: vec![
            Input::cable(&format!("{last}.out")),
            Input::Bus("lfo".into()),
        ],
    }
}

/// A graph instrument using most kinds of state: oscillators, a filter with a control,
/// an envelope on the gate, a delay line and a reverb.
fn rich_instrument() -> Patch {
    let ctl = |name: &str, default| Input::Control {
        name: name.into(),
        default,
    };
    Patch {
        modules: vec![
            Module::new("o", "supersaw").with("freq", ctl("freq", 0.0)),
            Module::new("e", "adsr")
                .with("attack", Input::Const(0.001))
                .with("decay", Input::Const(0.05))
                .with("sustain", Input::Const(0.5))
                .with("release", ctl("release", 0.05))
                .with("gate", ctl("gate", 0.0)),
            Module::new("f", "ladder")
                .with("in", Input::cable("o.out"))
                .with("cutoff", ctl("cutoff", 800.0))
                .with("resonance", ctl("resonance", 0.3)),
            Module::new("m", "mul")
                .with("a", Input::cable("f.out"))
                .with("b", Input::cable("e.out")),
            Module::new("d", "delay")
                .with("in", Input::cable("m.out"))
                .with("time", Input::Const(0.1)),
            Module::new("v", "reverb").with("l", Input::cable("d.out")),
        ],
        outputs: vec![Input::cable("d.out"), Input::cable("v.r")],
    }
}

#[test]
fn graph_process_and_live_updates_never_allocate() {
    let sr = 48_000.0;
    let mut rt = graph::compile(&every_module(0.3), sr, None).unwrap();
    let mut allocs = 0;
    let mut frame = 0u64;
    let (mut l, mut r) = ([0.0f32; 64], [0.0f32; 64]);
    for k in 0..500 {
        if k % 100 == 50 && k < 400 {
            // control side: compile the update (every constant changed)
            let level = if k % 200 == 50 { 0.6 } else { 0.3 };
            let mut new = graph::compile(&every_module(level), sr, Some(&rt.layout())).unwrap();
            // audio side: adopt (starts the glides), then the old runtime goes back
            let ((), n) = counted(|| new.adopt_state(&mut rt));
            allocs += n;
            assert!(new.gliding() > 10, "{}", new.gliding());
            std::mem::swap(&mut rt, &mut new);
            drop(new); // control side
        }
        let n = [64, 1, 7, 33][k % 4];
        let ((), a) = counted(|| {
            for s in 0..rt.pattern_slots() {
                rt.pattern_slot(s)[..n].fill((k % 2) as f32);
            }
            for (i, x) in rt.bus_slot(0)[..n].iter_mut().enumerate() {
                *x = ((frame + i as u64) as f32 * 0.001).sin();
            }
            l[..n].fill(0.0);
            r[..n].fill(0.0);
            rt.process(
                frame,
                frame as f64 / 48_000.0,
                1.0 / 48_000.0,
                &mut l[..n],
                &mut r[..n],
            );
        });
        allocs += a;
        assert!(l[..n].iter().all(|x| x.is_finite()));
        frame += n as u64;
    }
    assert_eq!(
        allocs, 0,
        "{allocs} allocations in Runtime::process / adopt_state"
    );
    assert_eq!(rt.gliding(), 0, "the glides ended");
}

#[test]
fn graph_instrument_voices_never_allocate() {
    let sr = 48_000.0;
    let mut synth = Synth::new(SynthConfig {
        sample_rate: sr,
        voices: 24,
        orbits: 2,
        ..SynthConfig::default()
    });
    let patch = rich_instrument();
    let set = |generation: u32| {
        let a = GraphInstrument::new("rich", &patch, sr, 4).unwrap();
        let b = GraphInstrument::new("hum", &patch, sr, 2).unwrap();
        Box::new(InstrumentSet::new(generation, vec![a, b]))
    };
    synth.install_instruments(set(1));
    // sets built on the "control side" ahead of time, and room for the evicted ones
    let mut spares: Vec<Box<InstrumentSet>> = (2..=5).rev().map(set).collect();
    let mut evicted: Vec<Box<InstrumentSet>> = Vec::with_capacity(8);
    let mut generation = 1u32;
    let bd = Sound::Instrument(Instruments::id_of("bd").unwrap());
    let (mut l, mut r) = (vec![0.0f32; 64], vec![0.0f32; 64]);
    let ((), allocs) = counted(|| {
        for block in 0..3_000u32 {
            for k in 0..2u32 {
                let i = block * 2 + k;
                let sound = match i % 4 {
                    0 => bd,
                    1 | 2 => Sound::Graph(tactus_dsp::voice::graph::GraphSound {
                        set: generation,
                        index: 0,
                    }),
                    _ => Sound::Graph(tactus_dsp::voice::graph::GraphSound {
                        set: generation.saturating_sub(1).max(1),
                        index: 1,
                    }),
                };
                let mut p = VoiceParams::new(sound)
                    .with(Param::Note, (i % 24) as f32 - 12.0)
                    .with(Param::Pan, (i % 5) as f32 * 0.25)
                    .with(Param::Delta, 0.05 + (i % 4) as f32 * 0.1);
                p.set_control(0, 200.0 + (i % 30) as f32 * 100.0);
                p.set_control(1, (i % 3) as f32 * 0.1);
                synth.start_voice((i * 29) % 64, &p);
            }
            if block % 700 == 350 {
                if let Some(new) = spares.pop() {
                    generation = new.generation();
                    if let Some(old) = synth.install_instruments(new) {
                        evicted.push(old);
                    }
                }
            }
            synth.render_block(&mut l, &mut r);
            assert!(l.iter().chain(&r).all(|x| x.is_finite()));
        }
    });
    assert_eq!(allocs, 0, "{allocs} allocations rendering graph voices");
    let st = synth.stats();
    assert!(st.pool.started > 3_000, "{st:?}");
    assert!(st.pool.stolen > 0, "{st:?}");
    assert!(!evicted.is_empty());
    drop(evicted); // freed here, off the "audio thread"
}

/// A saw whose level is bus "lfo" (and which also reads bus "missing", which the host
/// never has).
fn bus_instrument() -> Patch {
    Patch {
        modules: vec![
            Module::new("o", "saw").with(
                "freq",
                Input::Control {
                    name: "freq".into(),
                    default: 0.0,
                },
            ),
            Module::new("m", "mul")
                .with("a", Input::cable("o.out"))
                .with("b", Input::Bus("lfo".into())),
            Module::new("x", "add")
                .with("a", Input::cable("m.out"))
                .with("b", Input::Bus("missing".into())),
        ],
        outputs: vec![Input::cable("x.out")],
    }
}

#[test]
fn bus_reading_instruments_never_allocate_and_follow_the_bus() {
    let sr = 48_000.0;
    let mut synth = Synth::new(SynthConfig {
        sample_rate: sr,
        voices: 16,
        orbits: 1,
        ..SynthConfig::default()
    });
    let inst = GraphInstrument::new("b", &bus_instrument(), sr, 8).unwrap();
    assert_eq!(inst.buses(), ["lfo".to_string(), "missing".to_string()]);
    synth.install_instruments(Box::new(InstrumentSet::new(1, vec![inst])));
    let sound = Sound::Graph(tactus_dsp::voice::graph::GraphSound { set: 1, index: 0 });
    // two layouts (the bus moves to another index, as after a reload), built up front
    let names_a: Vec<std::sync::Arc<str>> = vec!["lfo".into()];
    let names_b: Vec<std::sync::Arc<str>> = vec!["other".into(), "lfo".into()];
    let mut bufs = vec![[0.0f32; 64]; 2];
    let (mut l, mut r) = (vec![0.0f32; 64], vec![0.0f32; 64]);
    let mut level = Vec::with_capacity(4_000);
    let ((), allocs) = counted(|| {
        for block in 0..4_000usize {
            if block % 8 == 0 {
                let p = VoiceParams::new(sound)
                    .with(Param::Note, (block % 12) as f32)
                    .with(Param::Sustain, 0.2);
                synth.start_voice((block % 64) as u32, &p);
            }
            // the bus is 0 for 100 blocks, then 1 for 100 blocks
            let on = (block / 100) % 2 == 1;
            let second = (block / 400) % 2 == 1;
            let lfo = usize::from(second);
            bufs[lfo].fill(if on { 1.0 } else { 0.0 });
            bufs[1 - lfo].fill(0.5);
            let buses = if second {
                NamedBuses::new(2, &names_b, &bufs)
            } else {
                NamedBuses::new(1, &names_a, &bufs)
            };
            synth.render_block_with_buses(&mut l, &mut r, buses);
            let peak = l.iter().fold(0.0f32, |m, x| m.max(x.abs()));
            level.push((on, peak));
        }
    });
    assert_eq!(
        allocs, 0,
        "{allocs} allocations rendering bus-reading voices"
    );
    // the voices follow the bus, through both layouts (skipping the master's DC-blocker
    // tail after each edge)
    let quiet = level
        .iter()
        .enumerate()
        .filter(|(i, (on, _))| !on && i % 100 > 50);
    let loud = level
        .iter()
        .enumerate()
        .filter(|(i, (on, _))| *on && i % 100 > 2);
    let q = quiet.map(|(_, (_, p))| *p).fold(0.0f32, f32::max);
    let min_loud = loud.map(|(_, (_, p))| *p).fold(f32::MAX, f32::min);
    assert!(q < 1e-3, "voices sound while the bus is 0: {q}");
    assert!(
        min_loud > 0.01,
        "voices are silent while the bus is 1: {min_loud}"
    );
}

#[test]
fn the_counter_works() {
    let (v, allocs) = counted(|| vec![1u8; 100]);
    drop(v);
    assert!(allocs >= 1);
}
