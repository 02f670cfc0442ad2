//! The preallocated voice pool: allocation with a stealing policy, cut groups, rendering.

use std::sync::Arc;

use crate::orbit::StereoBus;
use crate::sample::{SampleId, SampleSlots};
use crate::voice::buses::NamedBuses;
use crate::voice::drum_bank::DrumBank;
use crate::voice::graph::GraphBank;
use crate::voice::params::{Sound, VoiceParams};
use crate::voice::voice::Voice;

/// Which voice to take when every voice is busy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StealPolicy {
    /// The voice that started first.
    #[default]
    Oldest,
    /// The voice with the lowest recent peak level.
    Quietest,
}

/// Fade applied to voices stopped by a cut group (seconds).
pub const CUT_FADE: f32 = 0.005;
/// Fade applied to voices released early because the pool is nearly full (seconds).
pub const STEAL_FADE: f32 = 0.005;
/// When fewer voices than this are free, the pool starts fading one out per new voice so
/// that hard steals (which click) stay rare.
const RESERVE: usize = 4;

/// Counters of what the pool did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PoolStats {
    /// Voices started.
    pub started: u64,
    /// Voices taken while still sounding (hard steals).
    pub stolen: u64,
    /// Events that could not play (silent, unknown sound, missing sample, too short).
    pub dropped: u64,
    /// Voices silenced because they produced NaN or infinity.
    pub bad_voices: u64,
}

/// What the pool needs to know about a voice to pick a free slot or a victim, mirrored
/// from the (large) voices into compact arrays so that choosing scans a few kilobytes
/// instead of every voice's whole state.
#[derive(Debug, Clone, Copy, Default)]
struct SlotInfo {
    serial: u64,
    level: f32,
    active: bool,
    releasing: bool,
}

impl SlotInfo {
    fn of(v: &Voice) -> Self {
        Self {
            serial: v.serial,
            level: v.level,
            active: v.active,
            releasing: v.releasing,
        }
    }
}

/// Index of the smallest key (the first on ties), if any is below `u64::MAX`. Branch-free
/// over the keys, so a full pool is searched in a few hundred cycles.
#[inline]
fn min_key(keys: &[u64]) -> Option<usize> {
    let (mut best, mut at) = (u64::MAX, 0usize);
    for (i, &k) in keys.iter().enumerate() {
        let less = k < best;
        best = if less { k } else { best };
        at = if less { i } else { at };
    }
    (best != u64::MAX).then_some(at)
}

/// A fixed set of voices. Nothing here allocates after construction.
#[derive(Debug)]
pub struct VoicePool {
    voices: Vec<Voice>,
    info: Vec<SlotInfo>,
    /// Per slot: the serial of an active voice that is not fading out, else `u64::MAX`.
    sounding_key: Vec<u64>,
    /// Per slot: the serial of an active voice that is fading out, else `u64::MAX`.
    fading_key: Vec<u64>,
    free: usize,
    fading: usize,
    policy: StealPolicy,
    serial: u64,
    stats: PoolStats,
    drums: Arc<DrumBank>,
}

impl VoicePool {
    /// `capacity` voices for sample rate `sr` (allocates, and renders the built-in drums
    /// for `sr` once per process: see [`DrumBank::shared`]).
    pub fn new(capacity: usize, sr: f32, policy: StealPolicy) -> Self {
        let voices: Vec<Voice> = (0..capacity.max(1)).map(|_| Voice::new(sr)).collect();
        let n = voices.len();
        let mut pool = Self {
            drums: DrumBank::shared(sr),
            info: vec![SlotInfo::default(); n],
            sounding_key: vec![u64::MAX; n],
            fading_key: vec![u64::MAX; n],
            free: n,
            fading: 0,
            voices,
            policy,
            serial: 0,
            stats: PoolStats::default(),
        };
        pool.sync_all();
        pool
    }

    /// Number of voices.
    pub fn capacity(&self) -> usize {
        self.voices.len()
    }

    /// Number of sounding voices.
    pub fn active(&self) -> usize {
        self.voices.len() - self.free
    }

    /// Counters.
    pub fn stats(&self) -> PoolStats {
        self.stats
    }

    /// The voices (for inspection).
    pub fn voices(&self) -> &[Voice] {
        &self.voices
    }

    /// Copies voice `i`'s state into the slot arrays and counts.
    #[inline]
    fn sync(&mut self, i: usize) {
        let old = self.info[i];
        let new = SlotInfo::of(&self.voices[i]);
        self.free = self.free + usize::from(old.active) - usize::from(new.active);
        let fading = |s: SlotInfo| usize::from(s.active && s.releasing);
        self.fading = self.fading + fading(new) - fading(old);
        self.sounding_key[i] = if new.active && !new.releasing {
            new.serial
        } else {
            u64::MAX
        };
        self.fading_key[i] = if new.active && new.releasing {
            new.serial
        } else {
            u64::MAX
        };
        self.info[i] = new;
    }

    fn sync_all(&mut self) {
        for i in 0..self.voices.len() {
            self.sync(i);
        }
    }

    /// The active voice, not fading out and not `except`, to take by the policy.
    fn pick_sounding(&self, except: Option<usize>) -> Option<usize> {
        match self.policy {
            StealPolicy::Oldest => {
                // the voice just started has the newest serial: it is the oldest only when
                // it is the only candidate
                min_key(&self.sounding_key).filter(|i| Some(*i) != except)
            }
            StealPolicy::Quietest => {
                let mut best: Option<usize> = None;
                for (i, v) in self.info.iter().enumerate() {
                    if v.active
                        && !v.releasing
                        && Some(i) != except
                        && best.is_none_or(|b| v.level.total_cmp(&self.info[b].level).is_lt())
                    {
                        best = Some(i);
                    }
                }
                best
            }
        }
    }

    fn victim(&self) -> Option<usize> {
        // prefer voices already fading out, oldest first
        if self.fading > 0 {
            if let Some(i) = min_key(&self.fading_key) {
                return Some(i);
            }
        }
        self.pick_sounding(None)
    }

    /// Starts a voice for `p` at frame `offset` of the next rendered block, applying cut
    /// groups and stealing if needed. `bus` overrides the bus the voice renders into (its
    /// orbit otherwise). Returns false if the event could not play.
    pub fn start(
        &mut self,
        p: &VoiceParams,
        offset: usize,
        slots: &SampleSlots,
        graphs: &mut GraphBank,
        orbits: usize,
        bus: Option<usize>,
    ) -> bool {
        self.serial += 1;
        let serial = self.serial;
        let cut = p.get(crate::voice::params::Param::Cut) as i32;
        let orbit = (p.get(crate::voice::params::Param::Orbit).max(0.0) as usize)
            .min(orbits.saturating_sub(1));
        let orbit = bus.unwrap_or(orbit);
        let first_free = if self.free > 0 {
            self.info.iter().position(|v| !v.active)
        } else {
            None
        };
        let slot = match first_free {
            Some(i) => i,
            None => match self.victim() {
                Some(i) => {
                    self.stats.stolen += 1;
                    self.voices[i].kill();
                    self.sync(i);
                    i
                }
                None => return false,
            },
        };
        let graph = match p.sound {
            Sound::Graph(g) => match graphs.acquire(g, p, slot, serial, &mut self.voices) {
                Some((r, stolen)) => {
                    if stolen {
                        // the instance's previous voice was stopped
                        self.stats.stolen += 1;
                        self.sync_all();
                    }
                    Some(r)
                }
                None => {
                    self.stats.dropped += 1;
                    return false;
                }
            },
            _ => None,
        };
        let started = self.voices[slot].start(p, offset, serial, slots, &self.drums, orbits, graph);
        // a chained channel's voice renders into its chain's bus instead of its orbit
        self.voices[slot].orbit = orbit;
        self.sync(slot);
        if !started {
            self.stats.dropped += 1;
            return false;
        }
        self.stats.started += 1;
        if cut != 0 {
            for i in 0..self.voices.len() {
                let v = &mut self.voices[i];
                if i != slot
                    && v.active
                    && v.orbit == orbit
                    && v.cut == cut
                    && (cut > 0 || v.sound == p.sound)
                    && v.serial < serial
                {
                    v.force_release(offset, CUT_FADE);
                    self.sync(i);
                }
            }
        }
        // keep a few voices free: fade the next victim early
        if self.free < RESERVE && self.fading < RESERVE {
            if let Some(i) = self.pick_sounding(Some(slot)) {
                self.voices[i].force_release(offset, STEAL_FADE);
                self.sync(i);
            }
        }
        true
    }

    /// Fades every voice out over `seconds`.
    pub fn release_all(&mut self, seconds: f32) {
        for v in self.voices.iter_mut() {
            v.force_release(0, seconds);
        }
        self.sync_all();
    }

    /// Stops every voice playing sample slot `id` immediately (before its buffer goes).
    pub fn kill_sample(&mut self, id: SampleId) {
        for v in self.voices.iter_mut() {
            if v.active && v.sound == Sound::Sample(id) {
                v.kill();
            }
        }
        self.sync_all();
    }

    /// Stops every voice and restarts the start counter (which seeds per-voice noise), so
    /// that the same events give the same output again.
    pub fn reset(&mut self) {
        self.kill_all();
        self.serial = 0;
    }

    /// Stops every voice immediately.
    pub fn kill_all(&mut self) {
        for v in self.voices.iter_mut() {
            v.kill();
        }
        self.sync_all();
    }

    /// Stops every voice playing an instrument of set `generation` (before the set goes).
    pub fn kill_graph_set(&mut self, generation: u32) {
        for v in self.voices.iter_mut() {
            if matches!(v.sound, Sound::Graph(g) if g.set == generation) {
                v.kill();
            }
        }
        self.sync_all();
    }

    /// Renders `n` frames of every voice, adding them to the orbit buses; graph
    /// instruments read the `named` buses of the same frames.
    pub fn render(
        &mut self,
        n: usize,
        slots: &SampleSlots,
        graphs: &mut GraphBank,
        named: NamedBuses<'_>,
        buses: &mut [StereoBus],
    ) {
        for i in 0..self.voices.len() {
            if !self.info[i].active {
                continue;
            }
            let v = &mut self.voices[i];
            match buses.get_mut(v.orbit) {
                None => v.kill(),
                Some(bus) => {
                    if !v.render(n, slots, &self.drums, graphs, named, &mut bus.l, &mut bus.r) {
                        self.stats.bad_voices += 1;
                    }
                }
            }
            self.sync(i);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::voice::instruments::Instruments;
    use crate::voice::params::Param;

    /// The slot the pool should take next, by a direct reading of the policy over the
    /// voices themselves: the first free slot, else the oldest voice already fading out,
    /// else the oldest (or quietest) voice.
    fn expected_slot(pool: &VoicePool) -> usize {
        let v = pool.voices();
        if let Some(i) = v.iter().position(|v| !v.active) {
            return i;
        }
        let oldest = |it: &mut dyn Iterator<Item = (usize, &Voice)>| {
            it.min_by_key(|(_, v)| v.serial).map(|(i, _)| i)
        };
        if let Some(i) = oldest(&mut v.iter().enumerate().filter(|(_, v)| v.releasing)) {
            return i;
        }
        match pool.policy {
            StealPolicy::Oldest => oldest(&mut v.iter().enumerate()).unwrap(),
            StealPolicy::Quietest => {
                v.iter()
                    .enumerate()
                    .min_by(|a, b| a.1.level.total_cmp(&b.1.level))
                    .unwrap()
                    .0
            }
        }
    }

    #[test]
    fn slots_and_victims_follow_the_policy_and_the_mirror_stays_in_sync() {
        let names = ["bd", "hh", "cr", "sn", "cp"];
        for policy in [StealPolicy::Oldest, StealPolicy::Quietest] {
            let mut pool = VoicePool::new(6, 48_000.0, policy);
            let slots = SampleSlots::new(0);
            let mut graphs = GraphBank::default();
            let mut buses = vec![StereoBus::default(); 2];
            for k in 0..300usize {
                let sound = Sound::Instrument(Instruments::id_of(names[k % 5]).unwrap());
                let p = VoiceParams::new(sound)
                    .with(Param::N, (k % 3) as f32)
                    .with(Param::Cut, if k % 7 == 0 { 1.0 } else { 0.0 });
                let want = expected_slot(&pool);
                assert!(pool.start(&p, k % 64, &slots, &mut graphs, 2, None));
                assert_eq!(
                    pool.voices()[want].serial,
                    pool.serial,
                    "{policy:?} event {k}"
                );
                pool.render(
                    if k % 4 == 0 { 64 } else { 9 },
                    &slots,
                    &mut graphs,
                    NamedBuses::NONE,
                    &mut buses,
                );
                // the compact arrays agree with the voices after every operation
                for (i, v) in pool.voices().iter().enumerate() {
                    let info = pool.info[i];
                    assert_eq!((info.active, info.releasing), (v.active, v.releasing));
                    assert_eq!(info.serial, v.serial);
                }
                let active = pool.voices().iter().filter(|v| v.active).count();
                assert_eq!(pool.active(), active);
                let fading = pool.voices().iter().filter(|v| v.active && v.releasing);
                assert_eq!(pool.fading, fading.count());
            }
            assert!(pool.stats().stolen > 0, "{policy:?}: the pool never filled");
        }
    }
}
