//! The audio side of drones: a [`DroneSet`] (every bus and drone of one program, compiled)
//! and the [`DroneRack`] that plays the current set, takes pattern values as
//! [`SlotChange`]s, and swaps in a new set keeping the state of unchanged modules.
//!
//! Nothing here allocates, locks or panics once built: the set's buffers are sized on the
//! control side, values arrive through a [`ChangeSource`] (an SPSC ring in real time, a
//! list offline).
//!
//! The rack also drives the [`Synth`]: per block of at most [`MAX_BLOCK`] frames it
//! computes the buses (and drones) first, then renders the synth over the same frames with
//! a [`NamedBuses`] view of the bus buffers, so instruments read `busin` at audio rate in
//! the block the bus was computed. Real time and offline both render through
//! [`DroneRack::render`], in the same order, so they produce the same samples.

use std::sync::Arc;

use tactus_dsp::chains::ChainBuffers;
use tactus_dsp::graph::Runtime;
use tactus_dsp::master::MasterBus;
use tactus_dsp::voice::buses::NamedBuses;
use tactus_dsp::{Synth, MAX_BLOCK};

use crate::clock::Clock;

/// A pattern source's new value from frame `frame` on: `slot` is the flat slot index in
/// the [`DroneSet`] of generation `generation`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SlotChange {
    /// Absolute frame the value starts at.
    pub frame: u64,
    /// The set this change is for.
    pub generation: u32,
    /// Flat slot index (see [`DroneSet::slots`]).
    pub slot: u32,
    /// The value.
    pub value: f32,
}

/// Where a set's values come from, in frame order.
pub trait ChangeSource {
    /// The next change, if any, without taking it.
    fn peek(&mut self) -> Option<SlotChange>;
    /// Drops the change `peek` returned.
    fn pop(&mut self);
}

impl ChangeSource for rtrb::Consumer<SlotChange> {
    fn peek(&mut self) -> Option<SlotChange> {
        rtrb::Consumer::peek(self).ok().copied()
    }
    fn pop(&mut self) {
        let _ = rtrb::Consumer::pop(self);
    }
}

/// A list of changes read front to back (offline).
#[derive(Default)]
pub struct ChangeList {
    /// The changes, in frame order.
    pub changes: Vec<SlotChange>,
    /// How many were taken.
    pub taken: usize,
}

impl ChangeSource for ChangeList {
    fn peek(&mut self) -> Option<SlotChange> {
        self.changes.get(self.taken).copied()
    }
    fn pop(&mut self) {
        self.taken += 1;
    }
}

/// One compiled bus or drone.
pub(crate) struct Entry {
    pub name: Arc<str>,
    pub runtime: Runtime,
    /// `Some(i)`: a bus writing `bus_bufs[i]`; `None`: a drone mixed to the output.
    pub bus_out: Option<usize>,
    /// Per bus slot of the runtime: the index in `bus_bufs` (`None`: no such bus, silence).
    pub bus_in: Vec<Option<usize>>,
    /// Index of the entry with the same name and role in the set this one replaces.
    pub keep_from: Option<usize>,
    /// `Some(n)`: the effect chain number `n` of a channel (its output is mixed like a
    /// drone's), reading the channel's voices.
    pub chain: Option<usize>,
    /// The runtime's bus slots that read the chain's input (left, right), if it reads them.
    pub input: [Option<usize>; 2],
}

/// Every bus and drone of one program, compiled, with the clock they run against.
pub struct DroneSet {
    pub(crate) entries: Vec<Entry>,
    /// Flat slot -> (entry, slot in that entry's runtime).
    pub(crate) owner: Vec<(u32, u32)>,
    /// Current value per flat slot.
    pub(crate) current: Vec<f32>,
    pub(crate) bus_bufs: Vec<[f32; MAX_BLOCK]>,
    /// Name of each bus, in `bus_bufs` order.
    pub(crate) bus_names: Vec<Arc<str>>,
    pub(crate) scratch: Box<[f32; MAX_BLOCK]>,
    pub(crate) clock: Clock,
    /// The frame this set takes over at.
    pub starts_at: u64,
    /// Its generation (changes carry it).
    pub generation: u32,
}

impl DroneSet {
    /// Number of flat pattern slots.
    pub fn slots(&self) -> usize {
        self.owner.len()
    }

    /// True when the set has no drone and no bus.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Names of the drones (not buses), in processing order.
    pub fn drone_names(&self) -> impl Iterator<Item = &str> {
        self.entries
            .iter()
            .filter(|e| e.bus_out.is_none())
            .map(|e| &*e.name)
    }

    /// The buses of the block [`DroneSet::process`] computed last, by name, for the synth's
    /// instruments. Its layout is the set's generation.
    pub fn named_buses(&self) -> NamedBuses<'_> {
        NamedBuses::new(u64::from(self.generation), &self.bus_names, &self.bus_bufs)
    }

    /// Moves the state of every unchanged module of `old` into this set (glides changed
    /// constants); `old` keeps the fresh units, to be dropped on the control side.
    /// Never allocates.
    pub fn adopt(&mut self, old: &mut DroneSet) {
        for e in self.entries.iter_mut() {
            if let Some(o) = e.keep_from.and_then(|j| old.entries.get_mut(j)) {
                if o.name == e.name
                    && o.bus_out.is_some() == e.bus_out.is_some()
                    && o.chain.is_some() == e.chain.is_some()
                {
                    e.runtime.adopt_state(&mut o.runtime);
                }
            }
        }
    }

    /// Renders `left.len()` (at most [`MAX_BLOCK`]) frames from `frame`, adding the drones
    /// and effect chains into `left`/`right`, after taking the changes due before the block
    /// end. The chains read their channels' voices from `inputs` at `(buffers, offset)`
    /// (silence without). The same as [`DroneSet::process_buses`] then
    /// [`DroneSet::process_outputs`].
    pub fn process(
        &mut self,
        frame: u64,
        changes: &mut impl ChangeSource,
        inputs: Option<(&ChainBuffers, usize)>,
        left: &mut [f32],
        right: &mut [f32],
    ) {
        let n = left.len().min(right.len()).min(MAX_BLOCK);
        self.process_buses(frame, changes, n);
        self.process_outputs(frame, n, inputs, left, right);
    }

    /// The first half of a block of `n` (at most [`MAX_BLOCK`]) frames from `frame`: takes
    /// the changes due before the block end and computes the buses (which the synth's
    /// instruments then read through [`DroneSet::named_buses`]).
    pub fn process_buses(&mut self, frame: u64, changes: &mut impl ChangeSource, n: usize) {
        let n = n.min(MAX_BLOCK);
        for (flat, &(e, s)) in self.owner.iter().enumerate() {
            let v = self.current[flat];
            self.entries[e as usize].runtime.pattern_slot(s as usize)[..n].fill(v);
        }
        let end = frame + n as u64;
        while let Some(c) = changes.peek() {
            if c.generation > self.generation || c.frame >= end {
                break;
            }
            changes.pop();
            if c.generation < self.generation {
                continue;
            }
            let Some(&(e, s)) = self.owner.get(c.slot as usize) else {
                continue;
            };
            let from = c.frame.saturating_sub(frame) as usize;
            self.entries[e as usize].runtime.pattern_slot(s as usize)[from..n].fill(c.value);
            self.current[c.slot as usize] = c.value;
        }
        self.run_entries(frame, n, true, None, &mut [], &mut []);
    }

    /// The second half of the block [`DroneSet::process_buses`] began: the drones and the
    /// effect chains (reading their channels' voices from `inputs`), added into
    /// `left`/`right`.
    pub fn process_outputs(
        &mut self,
        frame: u64,
        n: usize,
        inputs: Option<(&ChainBuffers, usize)>,
        left: &mut [f32],
        right: &mut [f32],
    ) {
        let n = n.min(left.len()).min(right.len()).min(MAX_BLOCK);
        self.run_entries(frame, n, false, inputs, left, right);
    }

    /// Runs the bus entries (`buses`) or the others over `n` frames.
    fn run_entries(
        &mut self,
        frame: u64,
        n: usize,
        buses: bool,
        inputs: Option<(&ChainBuffers, usize)>,
        left: &mut [f32],
        right: &mut [f32],
    ) {
        let cycle = self.clock.cycle_at(frame);
        let cpf = self.clock.cps() / self.clock.sample_rate();
        let DroneSet {
            entries,
            bus_bufs,
            scratch,
            ..
        } = self;
        for e in entries.iter_mut().filter(|e| e.bus_out.is_some() == buses) {
            for (i, src) in e.bus_in.iter().enumerate() {
                let slot = e.runtime.bus_slot(i);
                match src {
                    Some(b) => slot[..n].copy_from_slice(&bus_bufs[*b][..n]),
                    None => slot[..n].fill(0.0),
                }
            }
            if let (Some(chain), Some((bufs, at))) = (e.chain, inputs) {
                for (side, slot) in e.input.iter().enumerate() {
                    let Some(slot) = slot else { continue };
                    let src = if side == 0 {
                        bufs.left(chain)
                    } else {
                        bufs.right(chain)
                    };
                    let src = src.get(at..at + n).unwrap_or(&[]);
                    let dst = &mut e.runtime.bus_slot(*slot)[..n];
                    if src.len() == n {
                        dst.copy_from_slice(src);
                    }
                }
            }
            match e.bus_out {
                Some(b) => {
                    let out = &mut bus_bufs[b][..n];
                    out.fill(0.0);
                    scratch[..n].fill(0.0);
                    e.runtime.process(frame, cycle, cpf, out, &mut scratch[..n]);
                }
                None => e
                    .runtime
                    .process(frame, cycle, cpf, &mut left[..n], &mut right[..n]),
            }
        }
    }
}

/// Plays the current [`DroneSet`] through its own master bus (NaN guard, DC block,
/// limiter) and mixes it into the output with a soft sum, with denormals flushed to zero.
pub struct DroneRack {
    set: Option<Box<DroneSet>>,
    master: MasterBus,
    l: Box<[f32]>,
    r: Box<[f32]>,
    /// The voices of the chained channels, written by the synth inside [`DroneRack::render`].
    chains: ChainBuffers,
}

impl DroneRack {
    /// A rack for segments of at most `max_frames` frames.
    pub fn new(sample_rate: f32, max_frames: usize, set: Option<Box<DroneSet>>) -> DroneRack {
        DroneRack {
            set,
            master: MasterBus::new(sample_rate),
            l: tactus_dsp::memory::zeroed_box(max_frames),
            r: tactus_dsp::memory::zeroed_box(max_frames),
            chains: ChainBuffers::new(max_frames),
        }
    }

    /// The set playing.
    pub fn set(&self) -> Option<&DroneSet> {
        self.set.as_deref()
    }

    /// Replaces the clock of the set playing (a tempo or phase change that is not a program
    /// swap, e.g. from a Link session). Never allocates.
    pub fn set_clock(&mut self, clock: Clock) {
        if let Some(set) = self.set.as_mut() {
            set.clock = clock;
        }
    }

    /// Installs `new` (adopting the state of the current set's unchanged modules) and
    /// returns the old set, to be dropped off the audio thread. Never allocates.
    pub fn install(&mut self, mut new: Box<DroneSet>) -> Option<Box<DroneSet>> {
        if let Some(old) = self.set.as_mut() {
            new.adopt(old);
        }
        self.set.replace(new)
    }

    /// Renders `left.len()` frames (at most the `max_frames` given to [`DroneRack::new`])
    /// from `frame`: the synth's output (if given) is written into `left` and `right` and the
    /// drones and effect chains are mixed in. Per block of at most [`MAX_BLOCK`] frames the
    /// buses are computed first, then the synth renders (its instruments read the buses,
    /// `busin`; its chained channels' voices go to the chain buffers), then the drones and
    /// the chains run. Without a synth, chains hear silence. Changes of other generations
    /// than the current set's are dropped (older) or left for the next set (newer).
    pub fn render(
        &mut self,
        frame: u64,
        changes: &mut impl ChangeSource,
        mut synth: Option<&mut Synth>,
        left: &mut [f32],
        right: &mut [f32],
    ) {
        let DroneRack {
            set,
            master,
            l,
            r,
            chains,
        } = self;
        let n = left.len().min(right.len()).min(l.len());
        let Some(set) = set.as_mut().filter(|s| !s.is_empty()) else {
            if let Some(synth) = synth {
                synth.render_block(&mut left[..n], &mut right[..n]);
            }
            // nothing plays: drop the changes due so far (for no slot) so the ring never
            // fills; a newer set's changes wait for it
            let end = frame + n as u64;
            let generation = set.as_ref().map(|s| s.generation);
            while let Some(c) = changes.peek() {
                if c.frame >= end || generation.is_some_and(|g| c.generation > g) {
                    break;
                }
                changes.pop();
            }
            return;
        };
        // denormals flushed to zero while the graphs run (decaying tails would otherwise
        // slow down by orders of magnitude)
        let _ftz = tactus_dsp::ScopedFlushDenormals::new();
        let (l, r) = (&mut l[..n], &mut r[..n]);
        l.fill(0.0);
        r.fill(0.0);
        let mut at = 0;
        while at < n {
            let len = (n - at).min(MAX_BLOCK);
            let block = frame + at as u64;
            set.process_buses(block, changes, len);
            let inputs = match synth.as_deref_mut() {
                Some(synth) => {
                    let (sl, sr) = (&mut left[at..at + len], &mut right[at..at + len]);
                    synth.render_block_chained_with_buses(sl, sr, chains, set.named_buses());
                    Some((&*chains, 0))
                }
                None => None,
            };
            let (bl, br) = (&mut l[at..at + len], &mut r[at..at + len]);
            set.process_outputs(block, len, inputs, bl, br);
            at += len;
        }
        master.process(l, r);
        for (o, x) in left[..n].iter_mut().zip(l.iter()) {
            *o = soft_sum(*o, *x);
        }
        for (o, x) in right[..n].iter_mut().zip(r.iter()) {
            *o = soft_sum(*o, *x);
        }
    }
}

/// Adds two limited signals, bending only the part above 0.8 so the sum stays below 1.
fn soft_sum(a: f32, b: f32) -> f32 {
    let x = a + b;
    let m = x.abs();
    if m <= 0.8 {
        x
    } else {
        (0.8 + 0.2 * ((m - 0.8) / 0.2).tanh()).min(0.999) * x.signum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::drones::DroneFeed;

    /// A set whose one drone outputs its one pattern source times 1 (`"0.5" + 0`).
    fn set() -> Box<DroneSet> {
        let (p, d) = tactus_lang::program::eval_file("drone \"a\" $ \"0.5\" + 0");
        assert!(d.is_empty());
        let mut feed = DroneFeed::new(48_000.0);
        let (mut set, errors) = feed.build(&p, Clock::new(48_000, 1.0), 0);
        assert!(errors.is_empty());
        set.generation = 5;
        set
    }

    #[test]
    fn changes_apply_from_their_frame_and_by_generation() {
        let mut s = set();
        assert_eq!(s.slots(), 1);
        let change = |frame, generation, value| SlotChange {
            frame,
            generation,
            slot: 0,
            value,
        };
        let mut list = ChangeList {
            changes: vec![
                change(0, 4, 9.0),   // an older set's: dropped
                change(10, 5, 0.25), // this set's, from frame 10
                change(20, 5, 0.75), // this set's, from frame 20
                change(30, 6, 9.0),  // the next set's: waits
            ],
            taken: 0,
        };
        let (mut l, mut r) = ([0.0f32; 64], [0.0f32; 64]);
        s.process(0, &mut list, None, &mut l, &mut r);
        assert!(l[..10].iter().all(|&x| x == 0.0), "{:?}", &l[..10]);
        assert!(l[10..20].iter().all(|&x| x == 0.25));
        assert!(l[20..].iter().all(|&x| x == 0.75));
        assert_eq!(l, r, "a mono drone goes to both sides");
        assert_eq!(list.taken, 3, "the newer generation's change is left");
        // the value holds into the next block
        let (mut l, mut r) = ([0.0f32; 64], [0.0f32; 64]);
        s.process(64, &mut list, None, &mut l, &mut r);
        assert!(l.iter().all(|&x| x == 0.75));
    }
}
