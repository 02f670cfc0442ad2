//! tactus-dsp: block-based real-time DSP for tactus — units, voices (synth + sampler),
//! orbits with SuperDirt's global effects, the master bus and sample buffers.
//!
//! # Architecture
//!
//! The crate is split along the real-time boundary. Everything that allocates (building a
//! [`Synth`], a unit's `prepare`, decoding and resampling samples, name lookups) happens on
//! the control side. The audio thread only calls `&mut self` methods that never allocate,
//! lock, do I/O or panic: [`Synth::start_voice`], [`Synth::render_block`],
//! [`Synth::install_sample`] / [`Synth::remove_sample`] (which hand the previous buffer back
//! so it is dropped on the control side), [`Synth::hush`], [`Synth::reset`]. A test with a
//! counting global allocator (`tests/no_alloc.rs`) renders thousands of blocks with voices
//! starting, being stolen, cut and ended, and asserts zero allocations.
//!
//! ```text
//!  VoiceParams (Copy, fixed f32 array)            per 64-frame block
//!  start_voice(at_frame, &params) ──► pending ──► VoicePool ── voices ──► orbit buses (12)
//!                                                  synth | drum | sample     │ reverb, delay
//!                                                  vowel shape hpf bpf       ▼
//!                                                  crush coarse lpf gate   master bus:
//!                                                  pan                     NaN guard, DC
//!                                                                          block, limiter
//! ```
//!
//! * **Units** ([`unit`](mod@unit), [`units`]): the [`unit::Unit`] trait (`prepare`, `reset`, `process`
//!   over blocks of at most [`MAX_BLOCK`] frames, `set_param`) with ports and parameter
//!   ranges described statically by a [`unit::UnitInfo`] per type ([`units::ALL`] lists them,
//!   [`units::create`] builds one by name). Each unit also exposes a per-sample "core"
//!   (`OscCore`, `SvfCore`, ...) that voices call directly, so there is no dynamic dispatch
//!   per sample. Library: sine / PolyBLEP saw, square, pulse / PolyBLAMP triangle,
//!   supersaw, white/pink/brown noise, mip-mapped wavetable; TPT state-variable filter,
//!   one-pole, ZDF ladder, vowel formants; ADSR, attack-hold-release, line, keyframe tracks
//!   with easing; feedback delay, FDN reverb, shape/crush/coarse, compressor, limiter,
//!   chorus; pan, gain, mix, sample-and-hold, slew, DC blocker.
//! * **Voices** ([`voice`]): [`voice::params::VoiceParams`] carries SuperDirt's parameters
//!   with SuperDirt's defaults and curves (gain⁴·amp, note 0 = middle C, `n` as note for
//!   synths, `legato`/`sustain`/sample-length durations, `unit "c"`, negative speed, ...).
//!   [`voice::pool::VoicePool`] preallocates the voices and steals the oldest or quietest
//!   when full (fading a few early so hard steals stay rare); `cut` groups fade earlier
//!   voices. Built-in instruments ([`voice::instruments::Instruments`]) are a synthesized
//!   drum kit and synth voices, so a fresh install makes sound with no files. Instruments
//!   defined as patch graphs ([`voice::graph`]) come in an [`voice::graph::InstrumentSet`]
//!   installed with [`Synth::install_instruments`]: each instrument has a pool of compiled
//!   graph instances, and a voice takes one (stealing its oldest when all are busy), with
//!   `freq`, `gate` and named controls filled from its event, and its bus slots (`busin`)
//!   from the [`voice::buses::NamedBuses`] given to [`Synth::render_block_with_buses`].
//! * **Orbits** ([`orbit`]): stereo buses with SuperDirt-style global reverb
//!   (`room`/`size`/`dry`) and delay (`delay`/`delaytime`/`delayfeedback`); idle orbits
//!   sleep. The **master bus** ([`master`]) silences any block with NaN/Inf (after each
//!   voice has already been checked and silenced on its own), removes DC and limits to
//!   -1 dBFS, so the output is always finite and within ±1. Denormals are flushed with
//!   [`ScopedFlushDenormals`] for the duration of each render call.
//! * **Samples** ([`sample`]): [`sample::SampleBuffer`] holds decoded mono/stereo audio in
//!   an `Arc<[f32]>`, resampled on the control side; the [`Synth`] plays them from
//!   preallocated slots by [`sample::SampleId`] with 4-point Hermite interpolation.
//!
//! Rendering is deterministic and independent of the caller's block size: events start
//! at exact frames (the renderer splits its internal blocks at event frames), and
//! rendering the same events with blocks of 1, 7, 64 or 500 frames gives the same output.
//!
//! ```
//! use tactus_dsp::{Synth, SynthConfig};
//! use tactus_dsp::voice::instruments::Instruments;
//! use tactus_dsp::voice::params::{Param, Sound, VoiceParams};
//!
//! // control side: allocate everything, resolve names
//! let mut synth = Synth::new(SynthConfig { sample_rate: 44_100.0, ..SynthConfig::default() });
//! let piano = Sound::Instrument(Instruments::id_of("superpiano").unwrap());
//! let mut p = VoiceParams::new(piano);
//! p.set(Param::Note, 4.0);
//! p.set_named("room", 0.3);
//! p.set(Param::Delta, 0.5); // event length in seconds, for legato/sustain
//!
//! // audio thread: queue events with frame offsets, render
//! synth.start_voice(100, &p);
//! let (mut l, mut r) = ([0.0f32; 256], [0.0f32; 256]);
//! {
//!     synth.render_block(&mut l, &mut r);
//! }
//! assert!(l.iter().all(|x| x.is_finite() && x.abs() <= 1.0));
//! ```

pub mod chains;
pub mod denormal;
pub mod graph;
pub mod master;
pub mod math;
pub mod memory;
pub mod orbit;
pub mod rng;
pub mod sample;
pub mod synth;
pub mod unit;
pub mod units;
pub mod voice;

pub use denormal::ScopedFlushDenormals;
pub use synth::{Synth, SynthConfig, SynthStats};

/// Largest number of frames processed in one call to a unit, and the size of the
/// renderer's internal blocks.
pub const MAX_BLOCK: usize = 64;
