//! Instruments defined as patch graphs (`instrument "name" $ signal` in the language),
//! played polyphonically through the voice pool.
//!
//! An instrument is a validated [`Patch`] whose per-voice parameters are
//! [`Input::Control`](crate::graph::Input::Control)s: `freq` (Hz, from note/n/octave/freq
//! the SuperDirt way), `gate` (1 while the event lasts, then 0) and any number (at most
//! [`MAX_CONTROLS`]) of named controls bound to the event's controls.
//!
//! Each instrument owns a fixed pool of compiled [`Runtime`] instances, built on the control
//! side. Starting a voice takes a free instance (or steals the one whose voice started
//! first), resets it and fills its control slots: nothing allocates. An instance is free
//! when the voice that took it has ended (or moved on to another sound), checked lazily by
//! the voice's serial, so every way a voice can stop (end of release, cut group, steal)
//! frees its instance without bookkeeping.
//!
//! The instruments of one program form an [`InstrumentSet`] with a generation number that
//! events carry ([`Sound::Graph`]). The synth keeps the last [`SETS`] sets, so notes of the
//! previous program ring out after a reload while the new program's events already use the
//! new set; an evicted set is handed back to be dropped on the control side.
//!
//! An instrument may read named buses (`busin "lfo"`): before each block the voice copies
//! the frames of the [`NamedBuses`] it is given into its instance's bus slots. Which bus
//! each slot reads is looked up by name only when the buses' layout changes, into a table
//! sized when the instrument is built; a bus the host does not have reads silence.

use crate::graph::{compile, GraphError, Patch, Runtime};
use crate::voice::buses::NamedBuses;
use crate::voice::params::{Param, Sound, VoiceParams};
use crate::voice::voice::Voice;
use crate::MAX_BLOCK;

/// Most named controls (besides `freq` and `gate`) an instrument may have.
pub const MAX_CONTROLS: usize = 16;
/// Instrument sets the synth keeps at once (the newest and the ones whose notes may still
/// ring).
pub const SETS: usize = 3;
/// Default number of instances (simultaneous notes) per instrument.
pub const DEFAULT_POLYPHONY: usize = 16;

/// An instrument in an [`InstrumentSet`]: set generation and index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct GraphSound {
    /// Generation of the set.
    pub set: u32,
    /// Index of the instrument in the set.
    pub index: u16,
}

/// One compiled instance and the voice that holds it.
struct Instance {
    runtime: Runtime,
    /// `(voice index, voice serial)` of the last voice that took it.
    owner: Option<(usize, u64)>,
}

/// A named instrument with its pool of instances.
pub struct GraphInstrument {
    name: String,
    controls: Vec<String>,
    defaults: Vec<f32>,
    /// Runtime control slot of each named control.
    ctl_slot: Vec<usize>,
    freq_slot: Option<usize>,
    gate_slot: Option<usize>,
    stereo: bool,
    /// The buses the patch reads, in runtime bus-slot order.
    bus_names: Vec<String>,
    /// Per bus slot: its index in the [`NamedBuses`] of layout `bus_layout`.
    bus_map: Vec<Option<usize>>,
    bus_layout: Option<u64>,
    instances: Vec<Instance>,
}

impl std::fmt::Debug for GraphInstrument {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GraphInstrument")
            .field("name", &self.name)
            .field("controls", &self.controls)
            .field("instances", &self.instances.len())
            .finish()
    }
}

impl GraphInstrument {
    /// Validates and compiles `polyphony` instances of `patch` (control side: allocates).
    /// Errors name the module and field; more than [`MAX_CONTROLS`] named controls is an
    /// error on the `outputs`.
    ///
    /// ```
    /// use tactus_dsp::graph::{Input, Module, Patch};
    /// use tactus_dsp::voice::graph::GraphInstrument;
    /// let ctl = |n: &str, d| Input::Control { name: n.into(), default: d };
    /// let p = Patch {
    ///     modules: vec![
    ///         Module::new("o", "saw").with("freq", ctl("freq", 0.0)),
    ///         Module::new("f", "ladder").with("in", Input::cable("o.out")).with("cutoff", ctl("cutoff", 800.0)),
    ///     ],
    ///     outputs: vec![Input::cable("f.out")],
    /// };
    /// let i = GraphInstrument::new("acid", &p, 48_000.0, 4).unwrap();
    /// assert_eq!(i.controls(), ["cutoff"]);
    /// assert_eq!(i.polyphony(), 4);
    /// ```
    pub fn new(
        name: &str,
        patch: &Patch,
        sample_rate: f32,
        polyphony: usize,
    ) -> Result<GraphInstrument, Vec<GraphError>> {
        let first = compile(patch, sample_rate, None)?;
        let mut controls = Vec::new();
        let mut defaults = Vec::new();
        let mut ctl_slot = Vec::new();
        let (mut freq_slot, mut gate_slot) = (None, None);
        for (i, (n, d)) in first.controls().iter().enumerate() {
            match n.as_str() {
                "freq" => freq_slot = Some(i),
                "gate" => gate_slot = Some(i),
                _ => {
                    controls.push(n.clone());
                    defaults.push(*d);
                    ctl_slot.push(i);
                }
            }
        }
        if controls.len() > MAX_CONTROLS {
            return Err(vec![GraphError {
                module: "outputs".into(),
                field: None,
                message: format!(
                    "an instrument has at most {MAX_CONTROLS} controls besides freq and gate, this one has {}",
                    controls.len()
                ),
                span: None,
            }]);
        }
        let stereo = first.is_stereo();
        let bus_names = first.bus_names().to_vec();
        let mut instances = vec![Instance {
            runtime: first,
            owner: None,
        }];
        for _ in 1..polyphony.max(1) {
            instances.push(Instance {
                runtime: compile(patch, sample_rate, None)?,
                owner: None,
            });
        }
        // Write every buffer once here: freshly allocated zeroed memory is mapped lazily,
        // and the first voice would otherwise take the page faults in the callback.
        for i in instances.iter_mut() {
            i.runtime.reset();
        }
        Ok(GraphInstrument {
            name: name.to_string(),
            controls,
            defaults,
            ctl_slot,
            freq_slot,
            gate_slot,
            stereo,
            bus_map: vec![None; bus_names.len()],
            bus_names,
            bus_layout: None,
            instances,
        })
    }

    /// The name `s` plays it by.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The named controls (not `freq` and `gate`), in the order of
    /// [`VoiceParams::set_control`] indices.
    pub fn controls(&self) -> &[String] {
        &self.controls
    }

    /// Number of instances: notes that can sound at once before one is stolen.
    pub fn polyphony(&self) -> usize {
        self.instances.len()
    }

    /// The buses it reads (`busin`), in the order its patch names them first.
    pub fn buses(&self) -> &[String] {
        &self.bus_names
    }

    /// True when the instrument reads `gate` (its voices then play on after the gate
    /// closes until they fall silent).
    pub fn uses_gate(&self) -> bool {
        self.gate_slot.is_some()
    }
}

/// The instruments of one program, with a generation number that events refer to.
#[derive(Debug)]
pub struct InstrumentSet {
    generation: u32,
    instruments: Vec<GraphInstrument>,
}

impl InstrumentSet {
    /// A set (control side).
    pub fn new(generation: u32, instruments: Vec<GraphInstrument>) -> InstrumentSet {
        InstrumentSet {
            generation,
            instruments,
        }
    }

    /// Its generation.
    pub fn generation(&self) -> u32 {
        self.generation
    }

    /// The instruments, indexed by [`GraphSound::index`].
    pub fn instruments(&self) -> &[GraphInstrument] {
        &self.instruments
    }

    /// The sound that plays instrument `name`, if the set has it.
    pub fn sound_of(&self, name: &str) -> Option<Sound> {
        self.instruments
            .iter()
            .position(|i| i.name == name)
            .map(|i| {
                Sound::Graph(GraphSound {
                    set: self.generation,
                    index: i as u16,
                })
            })
    }
}

/// What a voice needs to play an instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct GraphRef {
    pub sound: GraphSound,
    pub instance: u16,
    pub uses_gate: bool,
    pub stereo: bool,
}

/// The sets the synth holds (audio side; never allocates).
#[derive(Debug, Default)]
pub struct GraphBank {
    sets: [Option<Box<InstrumentSet>>; SETS],
}

impl GraphBank {
    /// Adds `set`, evicting the oldest one when all [`SETS`] places are taken; returns the
    /// evicted set (to be dropped off the audio thread). A set with the generation of one
    /// already held replaces it.
    pub fn install(&mut self, set: Box<InstrumentSet>) -> Option<Box<InstrumentSet>> {
        let place = self
            .sets
            .iter()
            .position(|s| s.as_ref().is_some_and(|s| s.generation == set.generation))
            .or_else(|| self.sets.iter().position(Option::is_none))
            .unwrap_or_else(|| {
                (0..SETS)
                    .min_by_key(|&i| self.sets[i].as_ref().map_or(0, |s| s.generation))
                    .unwrap_or(0)
            });
        self.sets[place].replace(set)
    }

    /// Removes every set, returning them (to be dropped off the audio thread).
    pub fn take_all(&mut self) -> [Option<Box<InstrumentSet>>; SETS] {
        std::mem::take(&mut self.sets)
    }

    fn set_mut(&mut self, generation: u32) -> Option<&mut InstrumentSet> {
        self.sets
            .iter_mut()
            .flatten()
            .find(|s| s.generation == generation)
            .map(|s| &mut **s)
    }

    /// True if the set of this generation is held.
    pub fn has(&self, generation: u32) -> bool {
        self.sets
            .iter()
            .flatten()
            .any(|s| s.generation == generation)
    }

    /// Takes an instance of `sound` for voice `voice` (serial `serial`): a free one, or the
    /// one whose voice started first (that voice is stopped). Resets it and fills its
    /// controls from `p`. `None` if the set or instrument is unknown.
    pub(crate) fn acquire(
        &mut self,
        sound: GraphSound,
        p: &VoiceParams,
        voice: usize,
        serial: u64,
        voices: &mut [Voice],
    ) -> Option<(GraphRef, bool)> {
        let set = self.set_mut(sound.set)?;
        let inst = set.instruments.get_mut(sound.index as usize)?;
        let busy = |o: Option<(usize, u64)>, voices: &[Voice]| {
            o.is_some_and(|(v, s)| voices.get(v).is_some_and(|v| v.active && v.serial == s))
        };
        let free = inst.instances.iter().position(|i| !busy(i.owner, voices));
        let (k, stolen) = match free {
            Some(k) => (k, false),
            None => {
                let k = (0..inst.instances.len())
                    .min_by_key(|&k| inst.instances[k].owner.map_or(0, |(_, s)| s))
                    .unwrap_or(0);
                if let Some((v, _)) = inst.instances[k].owner {
                    if let Some(v) = voices.get_mut(v) {
                        v.kill();
                    }
                }
                (k, true)
            }
        };
        let freq = p.freq() * p.get(Param::Speed).abs().max(0.01);
        let instance = &mut inst.instances[k];
        instance.owner = Some((voice, serial));
        let rt = &mut instance.runtime;
        rt.reset();
        if let Some(s) = inst.freq_slot {
            rt.control_slot(s).fill(freq);
        }
        if let Some(s) = inst.gate_slot {
            rt.control_slot(s).fill(1.0);
        }
        for (c, (&slot, &default)) in inst.ctl_slot.iter().zip(&inst.defaults).enumerate() {
            let v = p.control(c).unwrap_or(default);
            rt.control_slot(slot).fill(v);
        }
        Some((
            GraphRef {
                sound,
                instance: k as u16,
                uses_gate: inst.gate_slot.is_some(),
                stereo: inst.stereo,
            },
            stolen,
        ))
    }

    /// Renders `l.len()` frames of an instance into `l` and `r` (which must be zeroed),
    /// with the gate high for the first `gate_frames` frames and its bus slots filled from
    /// the first frames of `buses`. Returns false if the set or instance is gone.
    pub(crate) fn render(
        &mut self,
        g: &GraphRef,
        frame: u64,
        gate_frames: usize,
        buses: NamedBuses<'_>,
        l: &mut [f32],
        r: &mut [f32],
    ) -> bool {
        let Some(set) = self.set_mut(g.sound.set) else {
            return false;
        };
        let Some(inst) = set.instruments.get_mut(g.sound.index as usize) else {
            return false;
        };
        let gate_slot = inst.gate_slot;
        if inst.bus_layout != Some(buses.layout()) {
            for (m, name) in inst.bus_map.iter_mut().zip(&inst.bus_names) {
                *m = buses.index_of(name);
            }
            inst.bus_layout = Some(buses.layout());
        }
        let Some(instance) = inst.instances.get_mut(g.instance as usize) else {
            return false;
        };
        let rt = &mut instance.runtime;
        if let Some(s) = gate_slot {
            let buf = rt.control_slot(s);
            let k = gate_frames.min(buf.len());
            buf[..k].fill(1.0);
            buf[k..].fill(0.0);
        }
        let n = l.len();
        for (i, m) in inst.bus_map.iter().enumerate() {
            let slot = rt.bus_slot(i);
            let src = m.map_or(&[][..], |b| buses.frames(b, 0, n));
            let k = src.len().min(n);
            slot[..k].copy_from_slice(&src[..k]);
            slot[k..n.min(MAX_BLOCK)].fill(0.0);
        }
        rt.process(frame, 0.0, 0.0, l, r);
        true
    }
}
