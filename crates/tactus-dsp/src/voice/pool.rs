//! The preallocated voice pool: allocation with a stealing policy, cut groups, rendering.

use crate::orbit::StereoBus;
use crate::sample::{SampleId, SampleSlots};
use crate::voice::buses::NamedBuses;
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

/// A fixed set of voices. Nothing here allocates after construction.
#[derive(Debug)]
pub struct VoicePool {
    voices: Vec<Voice>,
    policy: StealPolicy,
    serial: u64,
    stats: PoolStats,
}

impl VoicePool {
    /// `capacity` voices for sample rate `sr` (allocates).
    pub fn new(capacity: usize, sr: f32, policy: StealPolicy) -> Self {
        Self {
            voices: (0..capacity.max(1)).map(|_| Voice::new(sr)).collect(),
            policy,
            serial: 0,
            stats: PoolStats::default(),
        }
    }

    /// Number of voices.
    pub fn capacity(&self) -> usize {
        self.voices.len()
    }

    /// Number of sounding voices.
    pub fn active(&self) -> usize {
        self.voices.iter().filter(|v| v.active).count()
    }

    /// Counters.
    pub fn stats(&self) -> PoolStats {
        self.stats
    }

    /// The voices (for inspection).
    pub fn voices(&self) -> &[Voice] {
        &self.voices
    }

    fn victim(&self) -> Option<usize> {
        let candidates = self.voices.iter().enumerate().filter(|(_, v)| v.active);
        // prefer voices already fading out
        let releasing = candidates
            .clone()
            .filter(|(_, v)| v.releasing)
            .min_by_key(|(_, v)| v.serial)
            .map(|(i, _)| i);
        releasing.or_else(|| match self.policy {
            StealPolicy::Oldest => candidates.min_by_key(|(_, v)| v.serial).map(|(i, _)| i),
            StealPolicy::Quietest => candidates
                .min_by(|a, b| a.1.level.total_cmp(&b.1.level))
                .map(|(i, _)| i),
        })
    }

    /// Starts a voice for `p` at frame `offset` of the next rendered block, applying cut
    /// groups and stealing if needed. Returns false if the event could not play.
    pub fn start(
        &mut self,
        p: &VoiceParams,
        offset: usize,
        slots: &SampleSlots,
        graphs: &mut GraphBank,
        orbits: usize,
    ) -> bool {
        self.serial += 1;
        let serial = self.serial;
        let cut = p.get(crate::voice::params::Param::Cut) as i32;
        let orbit = (p.get(crate::voice::params::Param::Orbit).max(0.0) as usize)
            .min(orbits.saturating_sub(1));
        let slot = match self.voices.iter().position(|v| !v.active) {
            Some(i) => i,
            None => match self.victim() {
                Some(i) => {
                    self.stats.stolen += 1;
                    self.voices[i].kill();
                    i
                }
                None => return false,
            },
        };
        let graph = match p.sound {
            Sound::Graph(g) => match graphs.acquire(g, p, slot, serial, &mut self.voices) {
                Some((r, stolen)) => {
                    if stolen {
                        self.stats.stolen += 1;
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
        if !self.voices[slot].start(p, offset, serial, slots, orbits, graph) {
            self.stats.dropped += 1;
            return false;
        }
        self.stats.started += 1;
        if cut != 0 {
            for (i, v) in self.voices.iter_mut().enumerate() {
                if i != slot
                    && v.active
                    && v.orbit == orbit
                    && v.cut == cut
                    && (cut > 0 || v.sound == p.sound)
                    && v.serial < serial
                {
                    v.force_release(offset, CUT_FADE);
                }
            }
        }
        // keep a few voices free: fade the next victim early
        let free = self.voices.iter().filter(|v| !v.active).count();
        if free < RESERVE {
            let releasing = self
                .voices
                .iter()
                .filter(|v| v.active && v.releasing)
                .count();
            if releasing < RESERVE {
                if let Some(i) = self.victim_not_releasing(slot) {
                    self.voices[i].force_release(offset, STEAL_FADE);
                }
            }
        }
        true
    }

    fn victim_not_releasing(&self, except: usize) -> Option<usize> {
        let c = self
            .voices
            .iter()
            .enumerate()
            .filter(|(i, v)| v.active && !v.releasing && *i != except);
        match self.policy {
            StealPolicy::Oldest => c.min_by_key(|(_, v)| v.serial).map(|(i, _)| i),
            StealPolicy::Quietest => c
                .min_by(|a, b| a.1.level.total_cmp(&b.1.level))
                .map(|(i, _)| i),
        }
    }

    /// Fades every voice out over `seconds`.
    pub fn release_all(&mut self, seconds: f32) {
        for v in self.voices.iter_mut() {
            v.force_release(0, seconds);
        }
    }

    /// Stops every voice playing sample slot `id` immediately (before its buffer goes).
    pub fn kill_sample(&mut self, id: SampleId) {
        for v in self.voices.iter_mut() {
            if v.active && v.sound == Sound::Sample(id) {
                v.kill();
            }
        }
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
    }

    /// Stops every voice playing an instrument of set `generation` (before the set goes).
    pub fn kill_graph_set(&mut self, generation: u32) {
        for v in self.voices.iter_mut() {
            if matches!(v.sound, Sound::Graph(g) if g.set == generation) {
                v.kill();
            }
        }
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
        for v in self.voices.iter_mut() {
            if !v.active {
                continue;
            }
            let Some(bus) = buses.get_mut(v.orbit) else {
                v.kill();
                continue;
            };
            if !v.render(n, slots, graphs, named, &mut bus.l, &mut bus.r) {
                self.stats.bad_voices += 1;
            }
        }
    }
}
