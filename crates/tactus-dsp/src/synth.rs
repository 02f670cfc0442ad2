//! [`Synth`]: the entry point the engine drives on the audio thread.

use crate::chains::{ChainBuffers, CHAINS};
use crate::denormal::ScopedFlushDenormals;
use crate::master::MasterBus;
use crate::orbit::{Orbit, OrbitSettings, StereoBus};
use crate::sample::{SampleBuffer, SampleId, SampleSlots};
use crate::voice::buses::NamedBuses;
use crate::voice::graph::{GraphBank, InstrumentSet};
use crate::voice::params::{Param, VoiceParams};
use crate::voice::pool::{PoolStats, StealPolicy, VoicePool};
use crate::MAX_BLOCK;

/// Construction settings of a [`Synth`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SynthConfig {
    /// Output sample rate in Hz.
    pub sample_rate: f32,
    /// Number of voices in the pool.
    pub voices: usize,
    /// Number of orbits (SuperDirt has 12 by default).
    pub orbits: usize,
    /// What to steal when every voice is busy.
    pub steal: StealPolicy,
    /// Capacity of the queue of not-yet-started events.
    pub max_pending: usize,
    /// Number of sample slots.
    pub sample_slots: usize,
    /// Longest orbit delay time in seconds (memory: 2 * orbits * this * sample rate floats).
    pub max_delay_seconds: f32,
}

impl Default for SynthConfig {
    fn default() -> Self {
        Self {
            sample_rate: 48_000.0,
            voices: 256,
            orbits: 12,
            steal: StealPolicy::Oldest,
            max_pending: 1024,
            sample_slots: 4096,
            max_delay_seconds: 4.0,
        }
    }
}

/// Counters, for metrics.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SynthStats {
    /// Sounding voices.
    pub active_voices: usize,
    /// Voice pool counters.
    pub pool: PoolStats,
    /// Events refused because the pending queue was full.
    pub events_overflowed: u64,
    /// Blocks silenced by the master NaN/Inf guard.
    pub master_guard_trips: u64,
    /// Frames rendered so far.
    pub frames: u64,
}

#[derive(Debug, Clone, Copy)]
struct Pending {
    at: u64,
    params: VoiceParams,
    /// Effect chain of the event's channel (1..=CHAINS), 0 for none.
    chain: u8,
}

/// The synthesizer: voice pool, orbits, master bus and sample slots.
///
/// Everything is allocated by [`Synth::new`]; [`Synth::start_voice`],
/// [`Synth::render_block`], [`Synth::install_sample`] and the other `&mut self` methods
/// never allocate, lock, do I/O or panic.
///
/// ```
/// use tactus_dsp::{Synth, SynthConfig};
/// use tactus_dsp::voice::instruments::Instruments;
/// use tactus_dsp::voice::params::{Param, Sound, VoiceParams};
///
/// let mut synth = Synth::new(SynthConfig { voices: 16, orbits: 2, ..SynthConfig::default() });
/// let bd = Sound::Instrument(Instruments::id_of("bd").unwrap());
/// synth.start_voice(10, &VoiceParams::new(bd).with(Param::Gain, 1.0));
/// let (mut l, mut r) = (vec![0.0f32; 512], vec![0.0f32; 512]);
/// synth.render_block(&mut l, &mut r);
/// assert!(l.iter().any(|x| x.abs() > 0.01));
/// assert!(l[..10].iter().all(|x| *x == 0.0)); // starts exactly at frame 10
/// ```
#[derive(Debug)]
pub struct Synth {
    config: SynthConfig,
    pool: VoicePool,
    orbits: Vec<Orbit>,
    /// One per orbit, then one per effect chain ([`CHAINS`]).
    buses: Vec<StereoBus>,
    master: MasterBus,
    slots: SampleSlots,
    graphs: GraphBank,
    pending: Vec<Pending>,
    frames: u64,
    overflowed: u64,
}

impl Synth {
    /// Builds and allocates everything. Control side.
    pub fn new(config: SynthConfig) -> Self {
        let sr = if config.sample_rate.is_finite() {
            config.sample_rate.clamp(8_000.0, 384_000.0)
        } else {
            48_000.0
        };
        let config = SynthConfig {
            sample_rate: sr,
            orbits: config.orbits.clamp(1, 64),
            ..config
        };
        Self {
            pool: VoicePool::new(config.voices, sr, config.steal),
            orbits: (0..config.orbits)
                .map(|_| Orbit::new(sr, config.max_delay_seconds))
                .collect(),
            buses: vec![StereoBus::default(); config.orbits + CHAINS],
            master: MasterBus::new(sr),
            slots: SampleSlots::new(config.sample_slots),
            graphs: GraphBank::default(),
            pending: Vec::with_capacity(config.max_pending.max(1)),
            frames: 0,
            overflowed: 0,
            config,
        }
    }

    /// The configuration (with the sample rate and orbit count as actually used).
    pub fn config(&self) -> &SynthConfig {
        &self.config
    }

    /// Output sample rate.
    pub fn sample_rate(&self) -> f32 {
        self.config.sample_rate
    }

    /// Queues a voice to start `at_frame` frames after the start of the next
    /// [`Synth::render_block`] call (later frames wait for later calls). The event also
    /// updates its orbit's global effects at that time. Returns false if the queue is full.
    pub fn start_voice(&mut self, at_frame: u32, params: &VoiceParams) -> bool {
        self.start_voice_chained(at_frame, params, 0)
    }

    /// [`Synth::start_voice`] for a channel with effect chain `chain` (1..=[`CHAINS`]; 0 for
    /// none): the voice renders into that chain's buffer (see
    /// [`Synth::render_block_chained`]) instead of its orbit, and the event leaves the
    /// orbit's global effects alone.
    pub fn start_voice_chained(&mut self, at_frame: u32, params: &VoiceParams, chain: u8) -> bool {
        if self.pending.len() >= self.pending.capacity() {
            self.overflowed += 1;
            return false;
        }
        self.pending.push(Pending {
            at: u64::from(at_frame),
            params: *params,
            chain: chain.min(CHAINS as u8),
        });
        true
    }

    /// Renders `min(out_l.len(), out_r.len())` frames (any number, processed in blocks of
    /// at most [`MAX_BLOCK`]). The output is finite and within ±1.
    /// Voices of chained channels are mixed in dry (use [`Synth::render_block_chained`] to
    /// get them apart), and instruments that read named buses read silence (see
    /// [`Synth::render_block_with_buses`]).
    pub fn render_block(&mut self, out_l: &mut [f32], out_r: &mut [f32]) {
        self.render(out_l, out_r, None, NamedBuses::NONE);
    }

    /// [`Synth::render_block`] that also writes the voices of each chained channel into
    /// `chains` (frames `0..len`, every chain, silence where nothing plays) instead of the
    /// output. Renders at most `chains.frames()` frames.
    pub fn render_block_chained(
        &mut self,
        out_l: &mut [f32],
        out_r: &mut [f32],
        chains: &mut ChainBuffers,
    ) {
        self.render(out_l, out_r, Some(chains), NamedBuses::NONE);
    }

    /// [`Synth::render_block`] with the named buses of the same frames, which graph
    /// instruments read (`busin "name"`); frame 0 of `buses` is the first frame rendered.
    /// Buses carry at most [`MAX_BLOCK`] frames: frames beyond read silence, so a host
    /// with buses renders at most [`MAX_BLOCK`] frames per call.
    pub fn render_block_with_buses(
        &mut self,
        out_l: &mut [f32],
        out_r: &mut [f32],
        named: NamedBuses<'_>,
    ) {
        self.render(out_l, out_r, None, named);
    }

    /// Both: chained channels into `chains` and named buses for instruments (what a host
    /// with drones, buses and effect chains calls).
    pub fn render_block_chained_with_buses(
        &mut self,
        out_l: &mut [f32],
        out_r: &mut [f32],
        chains: &mut ChainBuffers,
        named: NamedBuses<'_>,
    ) {
        self.render(out_l, out_r, Some(chains), named);
    }

    fn render(
        &mut self,
        out_l: &mut [f32],
        out_r: &mut [f32],
        mut chains: Option<&mut ChainBuffers>,
        named: NamedBuses<'_>,
    ) {
        let _ftz = ScopedFlushDenormals::new();
        let mut len = out_l.len().min(out_r.len());
        if let Some(c) = chains.as_deref() {
            len = len.min(c.frames());
        }
        let mut pos = 0;
        while pos < len {
            // split at the next event so that voices and orbit settings change exactly at
            // their frame, whatever the caller's block size
            let mut n = MAX_BLOCK.min(len - pos);
            let next_event = self
                .pending
                .iter()
                .map(|e| e.at)
                .filter(|&at| at > pos as u64)
                .min();
            if let Some(at) = next_event {
                n = n.min((at - pos as u64) as usize);
            }
            self.start_due(pos as u64, (pos + n) as u64);
            for b in self.buses.iter_mut() {
                b.clear(n);
            }
            let named = named.advanced(pos);
            self.pool
                .render(n, &self.slots, &mut self.graphs, named, &mut self.buses);
            let (l, r) = (&mut out_l[pos..pos + n], &mut out_r[pos..pos + n]);
            l.iter_mut().chain(r.iter_mut()).for_each(|v| *v = 0.0);
            for (orbit, bus) in self.orbits.iter_mut().zip(&self.buses) {
                orbit.process(bus, n, l, r);
            }
            self.route_chains(pos, n, l, r, chains.as_deref_mut());
            self.master.process(l, r);
            pos += n;
            self.frames += n as u64;
        }
        for p in self.pending.iter_mut() {
            p.at = p.at.saturating_sub(len as u64);
        }
        out_l[len..].iter_mut().for_each(|v| *v = 0.0);
        out_r[len..].iter_mut().for_each(|v| *v = 0.0);
    }

    /// Copies the chain buses of the sub-block at `pos` into `chains`, or mixes them into
    /// the output when there are none to receive them.
    fn route_chains(
        &mut self,
        pos: usize,
        n: usize,
        l: &mut [f32],
        r: &mut [f32],
        chains: Option<&mut ChainBuffers>,
    ) {
        let buses = &self.buses[self.orbits.len()..];
        match chains {
            Some(c) => {
                for (i, bus) in buses.iter().enumerate() {
                    let (cl, cr) = c.sides_mut(i + 1);
                    cl[pos..pos + n].copy_from_slice(&bus.l[..n]);
                    cr[pos..pos + n].copy_from_slice(&bus.r[..n]);
                }
            }
            None => {
                for bus in buses {
                    l.iter_mut().zip(&bus.l[..n]).for_each(|(o, x)| *o += x);
                    r.iter_mut().zip(&bus.r[..n]).for_each(|(o, x)| *o += x);
                }
            }
        }
    }

    /// Starts the queued events due in `[from, to)`, in the order they were queued.
    fn start_due(&mut self, from: u64, to: u64) {
        let orbits = self.orbits.len();
        let Self {
            pending,
            pool,
            slots,
            graphs,
            orbits: orbit_list,
            ..
        } = self;
        for e in pending.iter() {
            if e.at < to {
                let offset = e.at.saturating_sub(from) as usize;
                let bus = (e.chain > 0).then(|| orbits + e.chain as usize - 1);
                if bus.is_none() {
                    let o = (e.params.get(Param::Orbit).max(0.0) as usize).min(orbits - 1);
                    orbit_list[o].apply_event(&e.params);
                }
                pool.start(&e.params, offset, slots, graphs, orbits, bus);
            }
        }
        pending.retain(|e| e.at >= to);
    }

    /// Puts `buf` in sample slot `id`, first stopping the voices playing that slot.
    /// Returns the previous buffer, which the caller must send back to the control side to
    /// be dropped there (dropping the last reference frees memory). `Err(buf)` if `id` is
    /// beyond the configured number of slots.
    pub fn install_sample(
        &mut self,
        id: SampleId,
        buf: SampleBuffer,
    ) -> Result<Option<SampleBuffer>, SampleBuffer> {
        if id.0 as usize >= self.slots.capacity() {
            return Err(buf);
        }
        self.pool.kill_sample(id);
        self.slots.install(id, buf)
    }

    /// Empties sample slot `id` (stopping its voices) and returns its buffer, to be dropped
    /// on the control side.
    pub fn remove_sample(&mut self, id: SampleId) -> Option<SampleBuffer> {
        self.pool.kill_sample(id);
        self.slots.remove(id)
    }

    /// Adds a set of graph instruments (events name it by its generation). The synth keeps
    /// the last [`crate::voice::graph::SETS`] sets so that notes of a previous program ring
    /// out; the evicted set (its voices stopped) is returned, and the caller must drop it on
    /// the control side. Never allocates.
    pub fn install_instruments(&mut self, set: Box<InstrumentSet>) -> Option<Box<InstrumentSet>> {
        let old = self.graphs.install(set);
        if let Some(o) = &old {
            if !self.graphs.has(o.generation()) {
                self.pool.kill_graph_set(o.generation());
            }
        }
        old
    }

    /// Fades every voice out over `seconds` and drops queued events (Tidal's `hush`).
    pub fn hush(&mut self, seconds: f32) {
        self.pending.clear();
        self.pool.release_all(seconds.max(0.0));
    }

    /// Stops everything and clears every effect tail and queued event.
    pub fn reset(&mut self) {
        self.pending.clear();
        self.pool.reset();
        for o in self.orbits.iter_mut() {
            o.reset();
        }
        self.master.reset();
    }

    /// Sets the master gain (linear).
    pub fn set_master_gain(&mut self, gain: f32) {
        self.master.set_gain(gain);
    }

    /// Settings of orbit `i`.
    pub fn orbit_settings(&self, i: usize) -> Option<OrbitSettings> {
        self.orbits.get(i).map(|o| o.settings())
    }

    /// Counters.
    pub fn stats(&self) -> SynthStats {
        SynthStats {
            active_voices: self.pool.active(),
            pool: self.pool.stats(),
            events_overflowed: self.overflowed,
            master_guard_trips: self.master.guard_trips(),
            frames: self.frames,
        }
    }
}
