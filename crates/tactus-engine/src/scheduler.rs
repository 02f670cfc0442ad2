//! The scheduler: queries every audible channel for a window of frames and turns the haps
//! that start in it into sample-accurate voice events.

use std::sync::Arc;

use tactus_lang::program::Program;
use tactus_pattern::{Hap, Pattern, Span, Time, Value, DEFAULT_EVENT_CAP};

use crate::clock::Clock;
use crate::events::{chain_of, nudge_seconds, voice_params, Event, SoundResolver, Warnings};

/// Queries patterns ahead of the audio and produces timed events.
///
/// Patterns are queried a segment ([`SEGMENT`] of a cycle) at a time and the haps that start
/// in it are kept, sorted by onset; each window of frames then takes its events from that
/// list. By the split-query property of patterns this gives exactly the events a query per
/// window would, at a fraction of the cost (a few queries per channel per cycle instead of
/// one per audio block), while keeping each query small so the scheduler thread never
/// stalls for a whole cycle's work at once. The cache is keyed by the identity of each
/// channel's pattern, so a new program is queried afresh.
pub struct Scheduler {
    /// The clock mapping frames to cycles.
    pub clock: Clock,
    /// Warnings (unknown sounds, over-full queries), each reported once.
    pub warnings: Warnings,
    cache: CycleCache,
}

/// The length of a cached segment: an eighth of a cycle.
pub const SEGMENT: Time = Time::new_const(1, 8);

/// The onset haps of one segment, for the channels they were queried from.
#[derive(Default)]
struct CycleCache {
    cycle: Option<Time>,
    channels: Vec<(Arc<str>, Pattern<Value>)>,
    /// The channels with an effect chain, in order (they number the chains).
    fx: Vec<Arc<str>>,
    /// Haps with onsets in the cycle, sorted by onset, with their channel's effect chain.
    haps: Vec<(u8, Hap<Value>)>,
    /// Reused while sorting: each hap's onset and index, and the haps taken out in order.
    order: Vec<(Time, usize)>,
    unsorted: Vec<Option<(u8, Hap<Value>)>>,
}

impl CycleCache {
    fn valid_for(&self, cycle: Time, program: &Program) -> bool {
        self.cycle == Some(cycle)
            && program.fx.keys().eq(self.fx.iter())
            && program.audible().count() == self.channels.len()
            && program
                .audible()
                .zip(&self.channels)
                .all(|((id, p), (cid, cp))| id == cid && p.ptr_eq(cp))
    }

    fn load(&mut self, cycle: Time, program: &Program, warnings: &mut Warnings) {
        self.cycle = Some(cycle);
        let span = Span::new(cycle, cycle + SEGMENT);
        self.channels = program
            .audible()
            .map(|(id, p)| (id.clone(), p.clone()))
            .collect();
        self.fx = program.fx.keys().cloned().collect();
        self.haps.clear();
        for (id, pat) in &self.channels {
            let chain = chain_of(program, id);
            match pat.try_query(span, DEFAULT_EVENT_CAP) {
                Ok(hs) => self.haps.extend(
                    hs.into_iter()
                        .filter(|h| {
                            h.has_onset()
                                && h.whole
                                    .is_some_and(|w| w.begin >= cycle && w.begin < span.end)
                        })
                        .map(|h| (chain, h)),
                ),
                Err(e) => warnings.once(format!(
                    "channel {id}: {e}; the events from cycle {cycle} are skipped"
                )),
            }
        }
        // Stable: haps of the same onset keep channel order, as a per-window query would.
        // Sorts (onset, index) pairs and then moves each hap once, rather than moving the
        // large haps around while sorting.
        self.order.clear();
        self.order.extend(
            self.haps
                .iter()
                .enumerate()
                .map(|(i, (_, h))| (h.whole_start(), i)),
        );
        self.order.sort_by_key(|&(t, _)| t);
        self.unsorted.clear();
        self.unsorted.extend(self.haps.drain(..).map(Some));
        let unsorted = &mut self.unsorted;
        self.haps
            .extend(self.order.iter().filter_map(|&(_, i)| unsorted[i].take()));
    }
}

impl Scheduler {
    /// A scheduler with a clock.
    pub fn new(clock: Clock) -> Scheduler {
        Scheduler {
            clock,
            warnings: Warnings::default(),
            cache: CycleCache::default(),
        }
    }

    /// Appends the events of frames `[from, to)` to `out`, sorted by frame. Events whose
    /// rounded frame falls before `from` are clamped to `from` (never dropped).
    pub fn schedule(
        &mut self,
        program: &Program,
        from: u64,
        to: u64,
        sounds: &mut dyn SoundResolver,
        out: &mut Vec<Event>,
    ) {
        if to <= from {
            return;
        }
        let begin = self.clock.cycle_time_at(from);
        let end = self.clock.cycle_time_at(to);
        self.schedule_cycles(program, begin, end, from, sounds, out);
    }

    /// Appends the events whose onsets fall in the cycles `[begin, end)` to `out`, sorted by
    /// frame, clamping frames before `from` to `from`. Real-time playback uses it to split a
    /// window exactly at the cycle where a new program takes over.
    pub fn schedule_cycles(
        &mut self,
        program: &Program,
        begin: Time,
        end: Time,
        from: u64,
        sounds: &mut dyn SoundResolver,
        out: &mut Vec<Event>,
    ) {
        if end <= begin {
            return;
        }
        let cps = self.clock.cps();
        let rate = self.clock.sample_rate();
        let start_len = out.len();
        let mut cycle = (begin / SEGMENT).sam() * SEGMENT;
        while cycle < end {
            if !self.cache.valid_for(cycle, program) {
                self.cache.load(cycle, program, &mut self.warnings);
            }
            let (lo, hi) = (begin.max(cycle), end.min(cycle + SEGMENT));
            let first = self
                .cache
                .haps
                .partition_point(|(_, h)| h.whole_start() < lo);
            for (chain, h) in &self.cache.haps[first..] {
                let Some(whole) = h.whole else { continue };
                if whole.begin >= hi {
                    break;
                }
                let Some(map) = h.value.as_map() else {
                    continue;
                };
                let delta = whole.duration().to_f64() / cps;
                let Some(params) = voice_params(map, delta, cps, sounds, &mut self.warnings) else {
                    continue;
                };
                let at = self.clock.sample_at(whole.begin) as f64 + nudge_seconds(h) * rate;
                let at = (at.round().max(0.0) as u64).max(from);
                out.push(Event {
                    at_sample: at,
                    params,
                    chain: *chain,
                });
            }
            cycle = cycle + SEGMENT;
        }
        out[start_len..].sort_by_key(|e| e.at_sample);
    }
}
