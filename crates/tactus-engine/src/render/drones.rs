//! Buses, drones and effect chains in the offline renderer: the same [`DroneFeed`] and [`DroneRack`] as
//! real-time playback, with the value changes handed over in a list instead of a ring, so
//! a render and a live performance produce the same samples.

use crate::clock::Clock;
use crate::drones::{ChangeList, DroneFeed, DroneRack};
use tactus_dsp::Synth;
use tactus_lang::program::Program;

/// Frames the rack renders per call.
const SEGMENT: usize = 4096;

/// Every bus and drone of a program.
pub struct Drones {
    feed: DroneFeed,
    rack: DroneRack,
    list: ChangeList,
}

impl Drones {
    /// No drones, at a sample rate.
    pub fn new(sample_rate: f32) -> Drones {
        Drones {
            feed: DroneFeed::new(sample_rate),
            rack: DroneRack::new(sample_rate, SEGMENT, None),
            list: ChangeList::default(),
        }
    }

    /// True when no drone plays.
    pub fn is_empty(&self) -> bool {
        self.feed.is_empty()
    }

    /// Compiles the program's buses and drones against `clock`, from frame `at` on, keeping
    /// the state of unchanged modules of the ones that keep their name. Returns the errors
    /// of those that failed to compile (which keep playing their previous version).
    pub fn load(&mut self, program: &Program, clock: Clock, at: u64) -> Vec<String> {
        let (set, errors) = self.feed.build(program, clock, at);
        drop(self.rack.install(set));
        self.list.changes.clear();
        self.list.taken = 0;
        errors
    }

    /// Renders `left.len()` frames starting at `frame`: the synth's (if given) into the
    /// slices, with the drones mixed in. The buses are computed first in each block, and
    /// the synth's instruments read them (see [`DroneRack::render`]).
    pub fn render(
        &mut self,
        clock: &Clock,
        frame: u64,
        mut synth: Option<&mut Synth>,
        left: &mut [f32],
        right: &mut [f32],
    ) {
        let n = left.len().min(right.len());
        if self.feed.is_empty() || n == 0 {
            if let Some(synth) = synth {
                synth.render_block(&mut left[..n], &mut right[..n]);
            }
            return;
        }
        let mut at = 0;
        while at < n {
            let len = (n - at).min(SEGMENT);
            let start = frame + at as u64;
            self.list.changes.clear();
            self.list.taken = 0;
            self.feed
                .changes(clock, start, start + len as u64, &mut self.list.changes);
            let (l, r) = (&mut left[at..at + len], &mut right[at..at + len]);
            let synth = synth.as_deref_mut();
            self.rack.render(start, &mut self.list, synth, l, r);
            at += len;
        }
    }
}
