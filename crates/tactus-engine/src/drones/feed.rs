//! The control side of drones: [`DroneFeed`] compiles a program's buses, drones and effect
//! chains (`fx`, numbered as [`crate::events::chain_of`] numbers them) into a
//! [`DroneSet`] (diffing each against the version playing under the same name, so
//! unchanged modules keep their state once the audio side installs it) and turns their
//! pattern sources into [`SlotChange`]s ahead of the audio.
//!
//! Pattern sources are queried per 16-frame slice on an absolute grid: a discrete event
//! sets its value from its exact onset frame (so steps such as `"<200 800>"` land on the
//! sample), a continuous pattern (`slow 4 sine`) is sampled once per slice (every 16
//! frames, 0.33 ms at 48 kHz). A change is emitted only when the value moves; between
//! changes the value holds.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use tactus_dsp::graph::{compile, Layout};
use tactus_dsp::MAX_BLOCK;
use tactus_lang::program::Program;
use tactus_lang::synthesis::{SynthPatch, FX_INPUT};
use tactus_pattern::{Pattern, Span, Value};

use crate::clock::Clock;
use crate::drones::set::{DroneSet, Entry, SlotChange};

/// Frames per pattern query slice.
const SLICE: u64 = 16;
/// Most haps one slice query may produce before it is abandoned (the value then holds).
const QUERY_CAP: usize = 4096;

struct SlotFeed {
    pattern: Pattern<Value>,
    last: Option<f32>,
}

/// What the feed remembers of one entry of the set playing.
struct Known {
    patch: SynthPatch,
    layout: Layout,
}

/// What an entry of a set is; buses come first, then drones, then effect chains.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Role {
    Bus,
    Drone,
    Fx,
}

impl Role {
    fn describe(self, name: &str) -> String {
        match self {
            Role::Bus => format!("bus \"{name}\""),
            Role::Drone => format!("drone \"{name}\""),
            Role::Fx => format!("fx {name}"),
        }
    }
}

/// Builds [`DroneSet`]s from programs and feeds their pattern sources.
pub struct DroneFeed {
    sample_rate: f32,
    generation: u32,
    /// `(role, name)` of the set playing, in set order, with what compiled.
    known: Vec<((Role, Arc<str>), Known)>,
    slots: Vec<SlotFeed>,
}

impl DroneFeed {
    /// A feed at a sample rate, with nothing playing.
    pub fn new(sample_rate: f32) -> DroneFeed {
        DroneFeed {
            sample_rate,
            generation: 0,
            known: Vec::new(),
            slots: Vec::new(),
        }
    }

    /// The generation of the last set built.
    pub fn generation(&self) -> u32 {
        self.generation
    }

    /// True when the last set built has no drone and no bus.
    pub fn is_empty(&self) -> bool {
        self.known.is_empty()
    }

    /// Compiles `program`'s buses and drones into the set that takes over at `starts_at`
    /// with `clock`. Each is compiled against the layout of the one playing under the same
    /// name (unchanged modules keep their state when the audio side installs the set). One
    /// that fails to compile keeps playing its previous version; its errors are returned.
    pub fn build(
        &mut self,
        program: &Program,
        clock: Clock,
        starts_at: u64,
    ) -> (Box<DroneSet>, Vec<String>) {
        let mut errors = Vec::new();
        let old: HashMap<(Role, Arc<str>), (usize, &Known)> = self
            .known
            .iter()
            .enumerate()
            .map(|(i, (k, v))| (k.clone(), (i, v)))
            .collect();
        let wanted = program
            .buses
            .iter()
            .map(|(n, p)| ((Role::Bus, n.clone()), p))
            .chain(
                program
                    .drones
                    .iter()
                    .map(|(n, p)| ((Role::Drone, n.clone()), p)),
            )
            .chain(program.fx.iter().map(|(n, p)| ((Role::Fx, n.clone()), p)));
        let mut known = Vec::new();
        let mut entries = Vec::new();
        for (key, sp) in wanted {
            let prev = old.get(&key);
            let what = key.0.describe(&key.1);
            if key.0 == Role::Fx && crate::events::chain_of(program, &key.1) == 0 {
                errors.push(format!(
                    "{what}: at most {} channels can have an effect chain; this one plays dry",
                    tactus_dsp::chains::CHAINS
                ));
                continue;
            }
            let compiled = compile(&sp.patch, self.sample_rate, prev.map(|p| &p.1.layout))
                .map(|rt| (rt, sp.clone()))
                .or_else(|errs| {
                    for e in errs {
                        errors.push(format!("{what}: {e}"));
                    }
                    let p = prev.ok_or(())?;
                    compile(&p.1.patch.patch, self.sample_rate, Some(&p.1.layout))
                        .map(|rt| (rt, p.1.patch.clone()))
                        .map_err(|_| ())
                });
            let Ok((runtime, patch)) = compiled else {
                continue;
            };
            let layout = runtime.layout();
            entries.push((key.clone(), runtime, prev.map(|p| p.0)));
            known.push((key, Known { patch, layout }));
        }
        // buses by name, in set order (buses come first)
        let bus_index: BTreeMap<Arc<str>, usize> = known
            .iter()
            .filter(|(k, _)| k.0 == Role::Bus)
            .enumerate()
            .map(|(i, (k, _))| (k.1.clone(), i))
            .collect();
        let mut owner = Vec::new();
        let mut slots = Vec::new();
        let mut set_entries = Vec::new();
        for (i, ((role, name), runtime, keep_from)) in entries.into_iter().enumerate() {
            let sp = &known[i].1.patch;
            for (s, pattern) in sp.patterns.iter().enumerate() {
                owner.push((i as u32, s as u32));
                slots.push(SlotFeed {
                    pattern: pattern.clone(),
                    last: None,
                });
            }
            let bus_in = runtime
                .bus_names()
                .iter()
                .map(|b| bus_index.get(b.as_str()).copied())
                .collect();
            let input_slot = |side: usize| {
                let names = runtime.bus_names();
                names.iter().position(|b| b.as_str() == FX_INPUT[side])
            };
            let input = [input_slot(0), input_slot(1)];
            for b in runtime.bus_names() {
                if !bus_index.contains_key(b.as_str()) && !FX_INPUT.contains(&b.as_str()) {
                    errors.push(format!(
                        "{} reads bus \"{b}\", which the file does not define (it reads silence)",
                        role.describe(&name)
                    ));
                }
            }
            set_entries.push(Entry {
                bus_out: (role == Role::Bus).then(|| bus_index[&name]),
                chain: (role == Role::Fx).then(|| crate::events::chain_of(program, &name) as usize),
                input,
                name,
                runtime,
                bus_in,
                keep_from,
            });
        }
        self.generation += 1;
        self.known = known;
        self.slots = slots;
        let mut bus_names = vec![Arc::<str>::from(""); bus_index.len()];
        for (name, &i) in &bus_index {
            bus_names[i] = name.clone();
        }
        let set = DroneSet {
            bus_names,
            current: vec![0.0; owner.len()],
            owner,
            bus_bufs: vec![[0.0; MAX_BLOCK]; bus_index.len()],
            scratch: Box::new([0.0; MAX_BLOCK]),
            entries: set_entries,
            clock,
            starts_at,
            generation: self.generation,
        };
        (Box::new(set), errors)
    }

    /// Appends the value changes of the last set built's pattern sources for the frames
    /// `[from, to)`, in frame order.
    pub fn changes(&mut self, clock: &Clock, from: u64, to: u64, out: &mut Vec<SlotChange>) {
        if self.slots.is_empty() || to <= from {
            return;
        }
        let start = out.len();
        let mut a = from;
        while a < to {
            let b = ((a / SLICE + 1) * SLICE).min(to);
            let span = Span::new(clock.cycle_time_at(a), clock.cycle_time_at(b));
            for (slot, feed) in self.slots.iter_mut().enumerate() {
                let Ok(mut haps) = feed.pattern.try_query(span, QUERY_CAP) else {
                    continue;
                };
                haps.sort_by_key(|h| h.part.begin);
                for h in haps {
                    let Some(v) = h.value.as_f64().filter(|v| v.is_finite()) else {
                        continue;
                    };
                    let v = v as f32;
                    let at = if h.whole.is_some() {
                        (clock.sample_at(h.part.begin).max(a as i64) as u64).min(b - 1)
                    } else {
                        a
                    };
                    if feed.last != Some(v) {
                        out.push(SlotChange {
                            frame: at,
                            generation: self.generation,
                            slot: slot as u32,
                            value: v,
                        });
                        feed.last = Some(v);
                    }
                }
            }
            a = b;
        }
        // slices are in order; within one slice, order the slots' changes by frame
        out[start..].sort_by_key(|c| c.frame);
    }
}
