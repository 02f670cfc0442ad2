//! The DSP workloads, each built once with tactus-dsp and once with FunDSP.
//!
//! | case | tactus-dsp | FunDSP |
//! |---|---|---|
//! | `sine` | `Osc::sine` | `sine_hz` |
//! | `saw-svf` | `Osc::saw` → `Svf` (LP) | `saw_hz >> lowpass_hz` |
//! | `saw-ladder` | `Osc::saw` → `Ladder` | `saw_hz >> moog_hz` |
//! | `reverb` | `Reverb` (8-line FDN) | `reverb_stereo` (32-line FDN) |
//! | `32-voices` | 32 × `Osc::saw` → `Ladder` → `Pan`, summed | 32 × `saw_hz >> moog_hz >> pan`, summed |
//! | `64-samples` | `Synth` with 64 sample voices | 64 × `dc(speed) >> resample(playwave) >> pan`, summed |
//!
//! The oscillators are not the same algorithm (tactus: PolyBLEP saw; FunDSP: band-limited
//! wavetable), nor are the reverbs; each pair is what a user of either library would
//! reach for to do the job.

use std::sync::Arc;

use fundsp::prelude32 as fd;
use fundsp::prelude32::AudioUnit;
use tactus_dsp::sample::{SampleBuffer, SampleId};
use tactus_dsp::unit::{ProcessContext, Unit};
use tactus_dsp::units::filter::Svf;
use tactus_dsp::units::ladder::Ladder;
use tactus_dsp::units::osc::Osc;
use tactus_dsp::units::reverb::Reverb;
use tactus_dsp::units::utility::Pan;
use tactus_dsp::voice::params::{Param, Sound, VoiceParams};
use tactus_dsp::{Synth, SynthConfig};

use crate::{Case, Side, BLOCK, SR};

/// Every case, in the order of the report.
pub fn all() -> Vec<Case> {
    vec![
        sine(),
        saw_svf(),
        saw_ladder(),
        reverb(),
        voices_32(),
        samples_64(),
    ]
}

/// The case called `name`.
pub fn by_name(name: &str) -> Option<Case> {
    all().into_iter().find(|c| c.name == name)
}

fn ctx() -> ProcessContext {
    ProcessContext::new(SR, 0)
}

fn prepared<U: Unit>(mut u: U, params: &[(usize, f32)]) -> U {
    u.prepare(SR, BLOCK);
    for &(i, v) in params {
        u.set_param(i, v);
    }
    u
}

/// A FunDSP graph rendered block by block into a preallocated buffer.
struct Fundsp {
    unit: Box<dyn AudioUnit>,
    input: fd::BufferVec,
    output: fd::BufferVec,
}

impl Fundsp {
    fn new(mut unit: Box<dyn AudioUnit>) -> Self {
        unit.set_sample_rate(f64::from(SR));
        unit.allocate();
        let input = fd::BufferVec::new(unit.inputs());
        let output = fd::BufferVec::new(unit.outputs());
        Fundsp {
            unit,
            input,
            output,
        }
    }

    fn block(&mut self) {
        self.unit.process(
            BLOCK,
            &self.input.buffer_ref(),
            &mut self.output.buffer_mut(),
        );
    }
}

impl Side for Fundsp {
    fn run(&mut self, blocks: usize) -> f32 {
        let mut acc = 0.0;
        for _ in 0..blocks {
            self.block();
            acc += self.output.at_f32(0, BLOCK - 1);
        }
        acc
    }
}

/// Deterministic white noise in [-0.5, 0.5).
fn noise(n: usize, seed: u32) -> Vec<f32> {
    let mut s = seed.wrapping_mul(747_796_405).wrapping_add(1);
    (0..n)
        .map(|_| {
            s = s.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            (s >> 8) as f32 / (1u32 << 24) as f32 - 0.5
        })
        .collect()
}

struct TactusSine {
    osc: Osc,
    out: [f32; BLOCK],
}

impl Side for TactusSine {
    fn run(&mut self, blocks: usize) -> f32 {
        let mut acc = 0.0;
        for _ in 0..blocks {
            self.osc.process(&ctx(), &[], &mut [&mut self.out]);
            acc += self.out[BLOCK - 1];
        }
        acc
    }
}

/// (a) A 440 Hz sine.
pub fn sine() -> Case {
    Case {
        name: "sine",
        what: "sine oscillator, 440 Hz",
        tactus: Box::new(TactusSine {
            osc: prepared(Osc::sine(), &[(0, 440.0)]),
            out: [0.0; BLOCK],
        }),
        fundsp: Box::new(Fundsp::new(Box::new(fd::sine_hz(440.0)))),
    }
}

/// An oscillator into a one-output filter unit.
struct TactusOscFilter<F: Unit> {
    osc: Osc,
    filter: F,
    a: [f32; BLOCK],
    out: [f32; BLOCK],
}

impl<F: Unit> Side for TactusOscFilter<F> {
    fn run(&mut self, blocks: usize) -> f32 {
        let mut acc = 0.0;
        for _ in 0..blocks {
            self.osc.process(&ctx(), &[], &mut [&mut self.a]);
            self.filter
                .process(&ctx(), &[&self.a], &mut [&mut self.out]);
            acc += self.out[BLOCK - 1];
        }
        acc
    }
}

/// (b) A 110 Hz saw into a state-variable low-pass at 1 kHz, q 2.
pub fn saw_svf() -> Case {
    Case {
        name: "saw-svf",
        what: "saw 110 Hz -> state-variable low-pass 1 kHz q 2",
        tactus: Box::new(TactusOscFilter {
            osc: prepared(Osc::saw(), &[(0, 110.0)]),
            filter: prepared(Svf::new(), &[(0, 1000.0), (1, 2.0)]),
            a: [0.0; BLOCK],
            out: [0.0; BLOCK],
        }),
        fundsp: Box::new(Fundsp::new(Box::new(
            fd::saw_hz(110.0) >> fd::lowpass_hz(1000.0, 2.0),
        ))),
    }
}

/// (c) A 110 Hz saw into a Moog-style ladder at 1 kHz, resonance 0.5.
pub fn saw_ladder() -> Case {
    Case {
        name: "saw-ladder",
        what: "saw 110 Hz -> ladder low-pass 1 kHz res 0.5",
        tactus: Box::new(TactusOscFilter {
            osc: prepared(Osc::saw(), &[(0, 110.0)]),
            filter: prepared(Ladder::new(), &[(0, 1000.0), (1, 0.5)]),
            a: [0.0; BLOCK],
            out: [0.0; BLOCK],
        }),
        fundsp: Box::new(Fundsp::new(Box::new(
            fd::saw_hz(110.0) >> fd::moog_hz(1000.0, 0.5),
        ))),
    }
}

struct TactusReverb {
    reverb: Reverb,
    in_l: Vec<f32>,
    in_r: Vec<f32>,
    l: [f32; BLOCK],
    r: [f32; BLOCK],
}

impl Side for TactusReverb {
    fn run(&mut self, blocks: usize) -> f32 {
        let mut acc = 0.0;
        for _ in 0..blocks {
            self.reverb.process(
                &ctx(),
                &[&self.in_l, &self.in_r],
                &mut [&mut self.l, &mut self.r],
            );
            acc += self.l[BLOCK - 1] + self.r[BLOCK - 1];
        }
        acc
    }
}

/// (d) Stereo reverb with a ~1.9 s decay fed with noise.
pub fn reverb() -> Case {
    let (in_l, in_r) = (noise(BLOCK, 1), noise(BLOCK, 2));
    let mut fundsp = Fundsp::new(Box::new(fd::reverb_stereo(10.0, 1.9, 0.3)));
    for i in 0..BLOCK {
        fundsp.input.set_f32(0, i, in_l[i]);
        fundsp.input.set_f32(1, i, in_r[i]);
    }
    Case {
        name: "reverb",
        what: "stereo reverb, RT60 ~1.9 s, noise in",
        tactus: Box::new(TactusReverb {
            // size 0.5 = RT60 1.9 s
            reverb: prepared(Reverb::new(), &[(0, 0.5), (1, 0.3)]),
            in_l,
            in_r,
            l: [0.0; BLOCK],
            r: [0.0; BLOCK],
        }),
        fundsp: Box::new(fundsp),
    }
}

/// Frequency, cutoff and pan of voice `i` of `n`.
fn voice_settings(i: usize, n: usize) -> (f32, f32, f32) {
    let x = i as f32 / (n - 1).max(1) as f32;
    (55.0 * (1.0 + 3.0 * x), 400.0 + 2600.0 * x, 2.0 * x - 1.0)
}

struct TactusVoice {
    osc: Osc,
    ladder: Ladder,
    pan: Pan,
}

struct TactusVoices {
    voices: Vec<TactusVoice>,
    a: [f32; BLOCK],
    b: [f32; BLOCK],
    vl: [f32; BLOCK],
    vr: [f32; BLOCK],
    l: [f32; BLOCK],
    r: [f32; BLOCK],
}

impl Side for TactusVoices {
    fn run(&mut self, blocks: usize) -> f32 {
        let mut acc = 0.0;
        for _ in 0..blocks {
            self.l = [0.0; BLOCK];
            self.r = [0.0; BLOCK];
            for v in self.voices.iter_mut() {
                v.osc.process(&ctx(), &[], &mut [&mut self.a]);
                v.ladder.process(&ctx(), &[&self.a], &mut [&mut self.b]);
                v.pan
                    .process(&ctx(), &[&self.b], &mut [&mut self.vl, &mut self.vr]);
                for i in 0..BLOCK {
                    self.l[i] += self.vl[i];
                    self.r[i] += self.vr[i];
                }
            }
            acc += self.l[BLOCK - 1] + self.r[BLOCK - 1];
        }
        acc
    }
}

/// Several FunDSP stereo voices summed to stereo.
struct FundspVoices {
    voices: Vec<Fundsp>,
    l: [f32; BLOCK],
    r: [f32; BLOCK],
    /// Reset every voice every this many blocks (0 = never).
    restart_every: usize,
    block: usize,
}

impl Side for FundspVoices {
    fn run(&mut self, blocks: usize) -> f32 {
        let mut acc = 0.0;
        for _ in 0..blocks {
            if self.restart_every > 0 && self.block.is_multiple_of(self.restart_every) {
                for v in self.voices.iter_mut() {
                    v.unit.reset();
                }
            }
            self.block += 1;
            self.l = [0.0; BLOCK];
            self.r = [0.0; BLOCK];
            for v in self.voices.iter_mut() {
                v.block();
                let out = v.output.buffer_ref();
                let (vl, vr) = (out.channel_f32(0), out.channel_f32(1));
                for i in 0..BLOCK {
                    self.l[i] += vl[i];
                    self.r[i] += vr[i];
                }
            }
            acc += self.l[BLOCK - 1] + self.r[BLOCK - 1];
        }
        acc
    }
}

/// (e) 32 voices of saw → ladder → pan, summed to stereo.
pub fn voices_32() -> Case {
    const N: usize = 32;
    let tactus = TactusVoices {
        voices: (0..N)
            .map(|i| {
                let (f, c, p) = voice_settings(i, N);
                TactusVoice {
                    osc: prepared(Osc::saw(), &[(0, f)]),
                    ladder: prepared(Ladder::new(), &[(0, c), (1, 0.5)]),
                    pan: prepared(Pan::new(), &[(0, p)]),
                }
            })
            .collect(),
        a: [0.0; BLOCK],
        b: [0.0; BLOCK],
        vl: [0.0; BLOCK],
        vr: [0.0; BLOCK],
        l: [0.0; BLOCK],
        r: [0.0; BLOCK],
    };
    let fundsp = FundspVoices {
        voices: (0..N)
            .map(|i| {
                let (f, c, p) = voice_settings(i, N);
                Fundsp::new(Box::new(fd::saw_hz(f) >> fd::moog_hz(c, 0.5) >> fd::pan(p)))
            })
            .collect(),
        l: [0.0; BLOCK],
        r: [0.0; BLOCK],
        restart_every: 0,
        block: 0,
    };
    Case {
        name: "32-voices",
        what: "32 x (saw -> ladder -> pan), summed to stereo",
        tactus: Box::new(tactus),
        fundsp: Box::new(fundsp),
    }
}

/// Voices restart every this many blocks (0.37 s at 44.1 kHz: every voice, even at speed 2,
/// is still inside its 1-second sample).
const RESTART_BLOCKS: usize = 256;
const SAMPLE_VOICES: usize = 64;

/// Speed and pan of sample voice `i`.
fn sample_settings(i: usize) -> (f32, f32) {
    let x = i as f32 / (SAMPLE_VOICES - 1) as f32;
    (0.5 + 1.5 * x, 2.0 * x - 1.0)
}

/// The 1-second test sample: a decaying 220 Hz tone plus noise.
fn test_sample() -> Vec<f32> {
    let n = SR as usize;
    let hiss = noise(n, 3);
    (0..n)
        .map(|i| {
            let t = i as f32 / SR;
            (-3.0 * t).exp() * (0.6 * (std::f32::consts::TAU * 220.0 * t).sin() + 0.2 * hiss[i])
        })
        .collect()
}

struct TactusSamples {
    synth: Synth,
    params: Vec<VoiceParams>,
    l: [f32; BLOCK],
    r: [f32; BLOCK],
    block: usize,
}

impl Side for TactusSamples {
    fn run(&mut self, blocks: usize) -> f32 {
        let mut acc = 0.0;
        for _ in 0..blocks {
            if self.block.is_multiple_of(RESTART_BLOCKS) {
                self.synth.reset();
                for p in &self.params {
                    self.synth.start_voice(0, p);
                }
            }
            self.block += 1;
            self.synth.render_block(&mut self.l, &mut self.r);
            acc += self.l[BLOCK - 1] + self.r[BLOCK - 1];
        }
        acc
    }
}

/// The tactus synth playing the 64 sample voices (also used by tests of this crate).
pub fn sample_synth() -> (Synth, Vec<VoiceParams>) {
    let mut synth = Synth::new(SynthConfig {
        sample_rate: SR,
        voices: SAMPLE_VOICES,
        orbits: 1,
        max_pending: 2 * SAMPLE_VOICES,
        sample_slots: 1,
        max_delay_seconds: 0.1,
        ..SynthConfig::default()
    });
    let id = SampleId(0);
    let _ = synth.install_sample(id, SampleBuffer::mono(test_sample(), SR));
    let params = (0..SAMPLE_VOICES)
        .map(|i| {
            let (speed, pan) = sample_settings(i);
            VoiceParams::new(Sound::Sample(id))
                .with(Param::Speed, speed)
                .with(Param::Pan, 0.5 + 0.5 * pan)
                .with(Param::Gain, 0.6)
        })
        .collect();
    (synth, params)
}

/// (f) 64 voices playing a 1-second sample at speeds 0.5 to 2, panned, summed to stereo.
pub fn samples_64() -> Case {
    let (synth, params) = sample_synth();
    let wave = Arc::new(fd::Wave::from_samples(f64::from(SR), &test_sample()));
    let fundsp = FundspVoices {
        voices: (0..SAMPLE_VOICES)
            .map(|i| {
                let (speed, pan) = sample_settings(i);
                Fundsp::new(Box::new(
                    fd::dc(speed) >> fd::resample(fd::playwave(&wave, 0, None)) >> fd::pan(pan),
                ))
            })
            .collect(),
        l: [0.0; BLOCK],
        r: [0.0; BLOCK],
        restart_every: RESTART_BLOCKS,
        block: 0,
    };
    Case {
        name: "64-samples",
        what: "64 sample voices (1 s buffer, speeds 0.5-2), panned, summed",
        tactus: Box::new(TactusSamples {
            synth,
            params,
            l: [0.0; BLOCK],
            r: [0.0; BLOCK],
            block: 0,
        }),
        fundsp: Box::new(fundsp),
    }
}
