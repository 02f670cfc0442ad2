//! One voice: a source (synth, drum or sample), SuperDirt's per-voice effect chain, the
//! gate (sustain, fades, optional attack/hold/release envelope) and the pan into an orbit.

use crate::math::lin_exp;
use crate::sample::SampleSlots;
use crate::units::distortion::{crush, shape, CoarseCore};
use crate::units::envelope::AhrCore;
use crate::units::filter::SvfCore;
use crate::units::formant::FormantCore;
use crate::units::utility::pan_gains;
use crate::voice::buses::NamedBuses;
use crate::voice::drum_bank::{DrumBank, DrumPlay};
use crate::voice::graph::{GraphBank, GraphRef};
use crate::voice::instruments::{InstrumentKind, Instruments};
use crate::voice::params::{Param, Sound, VoiceParams};
use crate::voice::sampler::{SamplePlay, SampleTiming};
use crate::voice::synths::{pluck_buffer_len, SynthNote, SynthVoice};
use crate::MAX_BLOCK;

/// SuperDirt's per-grain fade time (seconds).
const FADE_TIME: f32 = 0.001;
/// Events shorter than this many frames are dropped, as SuperDirt's `minSustain`.
const MIN_SUSTAIN_FRAMES: f32 = 8.0;
/// Fade at the end of the gate of a graph instrument that does not read `gate` (seconds).
const GRAPH_FADE: f32 = 0.005;
/// After its gate closed, a graph voice whose output stays below this level...
const SILENCE_LEVEL: f32 = 1e-4;
/// ...for this long (seconds) has finished its release and is freed.
const SILENCE_TIME: f32 = 0.05;
/// The longest a graph voice plays on after its gate closed (seconds) before it is faded.
const MAX_TAIL: f32 = 30.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    Synth,
    Drum,
    Sample,
    Graph,
}

/// Per-channel state of the effect chain.
#[derive(Debug, Clone, Copy, Default)]
struct ChannelFx {
    vowel: FormantCore,
    hpf: SvfCore,
    bpf: SvfCore,
    lpf: SvfCore,
    coarse: CoarseCore,
}

/// Which effects run, with their settings (SuperDirt runs a module only when its parameter
/// is given, and for most only when it is non-zero).
#[derive(Debug, Clone, Copy, Default)]
struct FxSettings {
    vowel: bool,
    shape: Option<f32>,
    hpf: bool,
    bpf: Option<f32>,
    crush: Option<f32>,
    coarse: Option<f32>,
    lpf: bool,
}

impl FxSettings {
    /// True if any effect runs.
    fn any(&self) -> bool {
        self.vowel
            || self.shape.is_some()
            || self.hpf
            || self.bpf.is_some()
            || self.crush.is_some()
            || self.coarse.is_some()
            || self.lpf
    }
}

/// Resonance 0..1 to q, as SuperDirt's `resonance.linexp(0, 1, 1, 0.001)` gives `rq`.
fn resonance_to_q(res: f32) -> f32 {
    (1.0 / lin_exp(res, 1.0, 0.001)).min(200.0)
}

/// A voice slot of the pool.
#[derive(Debug, Clone)]
pub struct Voice {
    pub(crate) active: bool,
    pub(crate) serial: u64,
    pub(crate) orbit: usize,
    pub(crate) cut: i32,
    pub(crate) sound: Sound,
    pub(crate) level: f32,
    pub(crate) releasing: bool,
    start_offset: usize,
    source: Source,
    synth: SynthVoice,
    drum: DrumPlay,
    sample: SamplePlay,
    pluck: Vec<f32>,
    fx: [ChannelFx; 2],
    fxs: FxSettings,
    amp: f32,
    pan: f32,
    user_env: Option<AhrCore>,
    elapsed: u64,
    gate_at: u64,
    gate_closed: bool,
    fade: f32,
    fade_step: f32,
    fade_out_frames: f32,
    pending_release: Option<(usize, f32)>,
    graph: Option<GraphRef>,
    /// Frames since the gate closed, and of those the trailing silent ones (graph voices).
    tail_frames: u64,
    quiet_frames: u64,
    graph_done: bool,
    sr: f32,
}

impl Voice {
    /// An idle voice for sample rate `sr` (allocates its pluck delay line).
    pub fn new(sr: f32) -> Self {
        Self {
            active: false,
            serial: 0,
            orbit: 0,
            cut: 0,
            sound: Sound::Silent,
            level: 0.0,
            releasing: false,
            start_offset: 0,
            source: Source::Synth,
            synth: SynthVoice::idle(),
            drum: DrumPlay::idle(),
            sample: SamplePlay::idle(),
            pluck: crate::memory::zeroed(pluck_buffer_len(sr)),
            fx: [ChannelFx::default(); 2],
            fxs: FxSettings::default(),
            amp: 0.0,
            pan: 0.0,
            user_env: None,
            elapsed: 0,
            gate_at: 0,
            gate_closed: false,
            fade: 1.0,
            fade_step: 0.0,
            fade_out_frames: 1.0,
            pending_release: None,
            graph: None,
            tail_frames: 0,
            quiet_frames: 0,
            graph_done: false,
            sr,
        }
    }

    /// True while sounding.
    pub fn is_active(&self) -> bool {
        self.active
    }

    /// Starts playing `p` at frame `offset` of the next rendered block (a graph instrument
    /// with the instance `graph` the pool took for it). Returns false (and stays idle) if
    /// the sound cannot play: silent, unknown, missing sample, or too short.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn start(
        &mut self,
        p: &VoiceParams,
        offset: usize,
        serial: u64,
        slots: &SampleSlots,
        drums: &DrumBank,
        orbits: usize,
        graph: Option<GraphRef>,
    ) -> bool {
        let sr = self.sr;
        let delta = p.get(Param::Delta).max(0.0);
        let from_legato = p.get_opt(Param::Legato).map(|l| delta * l.max(0.0));
        let explicit = p
            .get_opt(Param::Sustain)
            .map(|s| s.max(0.0))
            .or(from_legato);
        let attack = p.get_opt(Param::Attack).map(|a| a.max(0.0));
        let release = p.get_opt(Param::Release).map(|r| r.max(0.0));
        let user_env = attack.is_some() || release.is_some();
        let mut begin_fade = false;
        self.graph = None;
        let (source, mut sustain, natural) = match p.sound {
            Sound::Silent => return false,
            Sound::Graph(_) => {
                let Some(g) = graph else {
                    return false;
                };
                self.graph = Some(g);
                let sustain = explicit.unwrap_or(delta * p.get(Param::Loop).abs().max(1.0));
                (Source::Graph, sustain, f32::INFINITY)
            }
            Sound::Sample(id) => {
                let Some(buf) = slots.get(id) else {
                    return false;
                };
                let t = SampleTiming::new(buf, p, sr);
                let natural = t.unit_duration * t.loops;
                let sustain = explicit.unwrap_or(natural).min(natural);
                self.sample = SamplePlay::start(id, buf, &t, sustain, sr);
                begin_fade = p.get(Param::Begin) > 0.0;
                (Source::Sample, sustain, natural)
            }
            Sound::Instrument(id) => match Instruments::kind(id) {
                None => return false,
                Some(InstrumentKind::Drum(d)) => {
                    let rate = p.get(Param::Speed).abs() * p.sample_pitch_ratio();
                    let n = p.get(Param::N).max(0.0) as u32;
                    self.drum = DrumPlay::start(drums, d, n, rate, sr);
                    let natural = self.drum.duration(sr);
                    (
                        Source::Drum,
                        explicit.unwrap_or(natural).min(natural),
                        natural,
                    )
                }
                Some(InstrumentKind::Synth(k)) => {
                    let sustain = explicit.unwrap_or(delta * p.get(Param::Loop).abs().max(1.0));
                    let note = SynthNote {
                        freq: p.freq() * p.get(Param::Speed).abs().max(0.01),
                        sustain,
                        accelerate: p.get(Param::Accelerate),
                        detune: p.get(Param::Detune).clamp(0.0, 1.0),
                        voice: p.get(Param::Voice).clamp(0.0, 1.0),
                        seed: serial as u32,
                    };
                    self.synth = SynthVoice::start(k, note, sr, &mut self.pluck);
                    (Source::Synth, sustain, f32::INFINITY)
                }
            },
        };
        // optional attack/hold/release envelope (SuperDirt's `envelope` module)
        self.user_env = None;
        if user_env {
            let a = attack.unwrap_or(0.0);
            let r = release.unwrap_or(0.0);
            let h = p
                .get_opt(Param::Hold)
                .map_or((sustain - a).max(0.0), |h| h.max(0.0));
            let mut env = AhrCore::default();
            env.trigger(a, h, r.max(0.001), sr);
            self.user_env = Some(env);
            sustain = (a + h + r).min(natural);
        }
        if sustain.is_nan() || sustain * sr < MIN_SUSTAIN_FRAMES {
            return false;
        }
        let (fade_in, fade_out) = if source == Source::Synth {
            (0.0, 0.0)
        } else if source == Source::Graph {
            let gated = self.graph.is_some_and(|g| g.uses_gate);
            (0.0, if gated { 0.0 } else { GRAPH_FADE.min(sustain) })
        } else {
            let f = FADE_TIME.min(sustain * 0.190_98);
            (if begin_fade { f } else { 0.0 }, f)
        };
        // the fade-in happens inside the gate; the fade-out follows it (SuperDirt's DirtGate)
        let gate = (sustain - fade_out).max(0.0);
        self.source = source;
        self.gate_at = (gate * sr) as u64;
        self.gate_closed = false;
        self.fade_out_frames = (fade_out * sr).max(1.0);
        if fade_in > 0.0 {
            self.fade = 0.0;
            self.fade_step = 1.0 / (fade_in * sr).max(1.0);
        } else {
            self.fade = 1.0;
            self.fade_step = 0.0;
        }
        self.setup_fx(p);
        self.amp = if source == Source::Graph {
            p.graph_amplitude()
        } else {
            p.amplitude()
        };
        self.tail_frames = 0;
        self.quiet_frames = 0;
        self.graph_done = false;
        self.pan = p.get(Param::Pan) * 2.0 - 1.0;
        self.orbit = (p.get(Param::Orbit).max(0.0) as usize).min(orbits.saturating_sub(1));
        self.cut = p.get(Param::Cut) as i32;
        self.sound = p.sound;
        self.serial = serial;
        self.level = 1.0;
        self.releasing = false;
        self.elapsed = 0;
        self.pending_release = None;
        self.start_offset = offset.min(MAX_BLOCK - 1);
        self.active = true;
        true
    }

    fn setup_fx(&mut self, p: &VoiceParams) {
        let sr = self.sr;
        let given_nonzero = |q: Param| p.get_opt(q).filter(|v| *v != 0.0);
        let res = p.get(Param::Resonance);
        self.fxs = FxSettings {
            vowel: p.is_set(Param::Vowel),
            shape: given_nonzero(Param::Shape),
            hpf: given_nonzero(Param::Hcutoff).is_some(),
            bpf: given_nonzero(Param::Bandf).map(|_| p.get(Param::Bandq).max(1.0)),
            crush: given_nonzero(Param::Crush),
            coarse: p.get_opt(Param::Coarse).filter(|c| *c > 1.0),
            lpf: p.is_set(Param::Cutoff),
        };
        for ch in self.fx.iter_mut() {
            *ch = ChannelFx::default();
            if self.fxs.vowel {
                ch.vowel.set(p.get(Param::Vowel), res, sr);
            }
            if self.fxs.hpf {
                let q = resonance_to_q(p.get(Param::Hresonance));
                ch.hpf.set(p.get(Param::Hcutoff).abs().max(20.0), q, sr);
            }
            if self.fxs.bpf.is_some() {
                let q = p.get(Param::Bandq).clamp(0.1, 200.0);
                ch.bpf.set(p.get(Param::Bandf).abs().max(20.0), q, sr);
            }
            if self.fxs.lpf {
                ch.lpf.set(
                    p.get(Param::Cutoff).abs().max(20.0),
                    resonance_to_q(res),
                    sr,
                );
            }
        }
    }

    /// Fades the voice out over `seconds`, starting at frame `at` of the next block.
    pub(crate) fn force_release(&mut self, at: usize, seconds: f32) {
        if !self.active {
            return;
        }
        self.releasing = true;
        let frames = (seconds * self.sr).max(1.0);
        match self.pending_release {
            Some((a, _)) if a <= at => {}
            _ => self.pending_release = Some((at.min(MAX_BLOCK - 1), frames)),
        }
    }

    /// Silences the voice immediately.
    pub(crate) fn kill(&mut self) {
        self.active = false;
    }

    /// Renders the source; returns the number of frames produced before it finished.
    fn render_source(
        &mut self,
        slots: &SampleSlots,
        drums: &DrumBank,
        l: &mut [f32],
        r: &mut [f32],
    ) -> usize {
        match self.source {
            Source::Synth => self.synth.render(l, &mut self.pluck),
            Source::Drum => self.drum.render(drums, l),
            Source::Sample => self.sample.render(slots, l, r),
            // rendered by `render_graph`
            Source::Graph => 0,
        }
    }

    /// True for a graph voice whose instrument reads `gate`: it plays on after the gate
    /// closes, until it falls silent.
    fn gated_graph(&self) -> bool {
        self.source == Source::Graph && self.graph.is_some_and(|g| g.uses_gate)
    }

    /// Renders frames `s..n` of a graph voice, the gate closing at `gate_pos` if given, and
    /// tracks the silence after the gate. Returns the frames produced.
    #[allow(clippy::too_many_arguments)]
    fn render_graph(
        &mut self,
        graphs: &mut GraphBank,
        buses: NamedBuses<'_>,
        gate_pos: Option<usize>,
        s: usize,
        n: usize,
        l: &mut [f32],
        r: &mut [f32],
    ) -> usize {
        let Some(g) = self.graph else { return 0 };
        let gate_end = if self.gate_closed {
            s
        } else {
            gate_pos.unwrap_or(n)
        };
        let (l, r) = (&mut l[s..n], &mut r[s..n]);
        if !graphs.render(&g, self.elapsed, gate_end - s, buses.advanced(s), l, r) {
            return 0;
        }
        if gate_end < n {
            let after = gate_end..n;
            let frames = after.len() as u64;
            let peak = l[after.clone()]
                .iter()
                .chain(&r[after])
                .fold(0.0f32, |m, x| m.max(x.abs()));
            self.quiet_frames = if peak < SILENCE_LEVEL {
                self.quiet_frames + frames
            } else {
                0
            };
            self.tail_frames += frames;
            if self.quiet_frames as f32 >= SILENCE_TIME * self.sr {
                self.graph_done = true;
            }
            if self.tail_frames as f32 >= MAX_TAIL * self.sr && !self.releasing {
                self.force_release(0, GRAPH_FADE);
            }
        }
        n - s
    }

    fn source_finished(&self) -> bool {
        match self.source {
            Source::Synth => self.synth.finished(),
            Source::Drum => self.drum.finished(),
            Source::Sample => self.sample.finished(),
            Source::Graph => self.graph_done,
        }
    }

    /// True when the gate leaves this block's frames `[.., n)` at one constant gain: no
    /// fade, no envelope, no release and no end inside the block.
    fn gate_is_steady(&self, gate_pos: Option<usize>, source_end: usize, n: usize) -> bool {
        (gate_pos.is_none() || self.source == Source::Synth || self.gated_graph())
            && self.pending_release.is_none()
            && self.fade_step == 0.0
            && self.fade > 0.0
            && self.user_env.is_none()
            && source_end >= n
    }

    /// Renders `n` frames and adds them to the orbit bus (a graph voice reads the named
    /// `buses` of the same frames). Returns false if the voice produced a non-finite value
    /// (it is then silenced and nothing is added).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn render(
        &mut self,
        n: usize,
        slots: &SampleSlots,
        drums: &DrumBank,
        graphs: &mut GraphBank,
        buses: NamedBuses<'_>,
        bus_l: &mut [f32],
        bus_r: &mut [f32],
    ) -> bool {
        if !self.active {
            return true;
        }
        let n = n.min(MAX_BLOCK).min(bus_l.len()).min(bus_r.len());
        let s = self.start_offset.min(n);
        self.start_offset = 0;
        let mut l = [0.0f32; MAX_BLOCK];
        let mut r = [0.0f32; MAX_BLOCK];
        let stereo = match self.source {
            Source::Sample => self.sample.is_stereo(),
            Source::Graph => self.graph.is_some_and(|g| g.stereo),
            _ => false,
        };

        // where the gate closes in this block, if it does
        let frames_left = (n - s) as u64;
        let gate_pos = if !self.gate_closed && self.gate_at < self.elapsed + frames_left {
            Some(s + (self.gate_at.saturating_sub(self.elapsed)) as usize)
        } else {
            None
        };

        // 1. source (synths get their note-off at the exact gate frame)
        let produced = match (self.source, gate_pos) {
            (Source::Graph, _) => self.render_graph(graphs, buses, gate_pos, s, n, &mut l, &mut r),
            (Source::Synth, Some(g)) => {
                let first = self.render_source(slots, drums, &mut l[s..g], &mut r[s..g]);
                self.synth.note_off();
                let second = self.render_source(slots, drums, &mut l[g..n], &mut r[g..n]);
                if first < g - s {
                    first
                } else {
                    first + second
                }
            }
            _ => self.render_source(slots, drums, &mut l[s..n], &mut r[s..n]),
        };
        // the voice ends exactly where its source ended, whatever the block size
        let source_end = s + produced;
        if gate_pos.is_some() {
            self.gate_closed = true;
        }

        // 2. effect chain, in SuperDirt's module order
        let channels = if stereo { 2 } else { 1 };
        if self.fxs.any() {
            self.effects(&mut l[s..n], 0);
            if stereo {
                self.effects(&mut r[s..n], 1);
            }
        }

        // 3. gate: fades, forced releases and the optional envelope; one multiply per frame
        //    when none of them changes the gain inside this block
        //    (with the peak taken in the same pass)
        let (ended, peak) = if self.gate_is_steady(gate_pos, source_end, n) {
            let g = self.fade * self.amp;
            let peak = scale_peak(&mut l[s..n], g);
            let peak = if channels == 2 {
                peak_of_both(peak, scale_peak(&mut r[s..n], g))
            } else {
                peak
            };
            (false, peak)
        } else {
            let ended = self.gate(&mut l, &mut r, s, n, gate_pos, source_end);
            let peak = block_peak(&l[s..n]);
            let peak = if stereo {
                peak_of_both(peak, block_peak(&r[s..n]))
            } else {
                peak
            };
            (ended, peak)
        };
        self.elapsed += frames_left;
        if let Some((at, _)) = self.pending_release.as_mut() {
            *at = at.saturating_sub(n);
        }

        // 4. NaN/Inf guard: a bad voice is silenced, never the bus
        if !peak.is_finite() {
            self.active = false;
            return false;
        }
        self.level = peak.max(self.level * 0.9);

        // 5. pan into the orbit
        if stereo {
            let gl = (1.0 - self.pan).min(1.0);
            let gr = (1.0 + self.pan).min(1.0);
            add_scaled(&mut bus_l[s..n], &l[s..n], gl);
            add_scaled(&mut bus_r[s..n], &r[s..n], gr);
        } else {
            let (gl, gr) = pan_gains(self.pan);
            add_panned(&mut bus_l[s..n], &mut bus_r[s..n], &l[s..n], gl, gr);
        }

        let env_done = self.user_env.as_ref().is_some_and(|e| e.is_done());
        if ended || env_done || self.source_finished() {
            self.active = false;
        }
        true
    }

    /// Runs the effect chain of channel `c` over `buf`.
    fn effects(&mut self, buf: &mut [f32], c: usize) {
        let fxs = self.fxs;
        let fx = &mut self.fx[c];
        for x in buf.iter_mut() {
            let mut v = *x;
            if fxs.vowel {
                v = fx.vowel.tick(v);
            }
            if let Some(a) = fxs.shape {
                v = shape(v, a);
            }
            if fxs.hpf {
                v = fx.hpf.tick(v).hp;
            }
            if let Some(g) = fxs.bpf {
                v = fx.bpf.tick(v).bp * g;
            }
            if let Some(b) = fxs.crush {
                v = crush(v, b);
            }
            if let Some(f) = fxs.coarse {
                v = fx.coarse.tick(v, f);
            }
            if fxs.lpf {
                v = fx.lpf.tick(v).lp;
            }
            *x = v;
        }
    }

    /// The gate frame by frame over `[s, n)`; returns true if the voice ended.
    fn gate(
        &mut self,
        l: &mut [f32; MAX_BLOCK],
        r: &mut [f32; MAX_BLOCK],
        s: usize,
        n: usize,
        gate_pos: Option<usize>,
        source_end: usize,
    ) -> bool {
        let mut ended = false;
        for i in s..n {
            if Some(i) == gate_pos
                && self.source != Source::Synth
                && !self.gated_graph()
                && self.fade_step >= 0.0
            {
                self.fade_step = -1.0 / self.fade_out_frames;
            }
            if let Some((at, frames)) = self.pending_release {
                if i >= at {
                    self.pending_release = None;
                    let step = -self.fade.max(1e-6) / frames;
                    if step < self.fade_step || self.fade_step >= 0.0 {
                        self.fade_step = step;
                    }
                }
            }
            if i >= source_end {
                ended = true;
            }
            let env = self.user_env.as_mut().map_or(1.0, |e| e.tick());
            let g = if ended {
                0.0
            } else {
                self.fade * env * self.amp
            };
            l[i] *= g;
            r[i] *= g;
            self.fade += self.fade_step;
            if self.fade >= 1.0 && self.fade_step > 0.0 {
                self.fade = 1.0;
                self.fade_step = 0.0;
            } else if self.fade <= 0.0 {
                self.fade = 0.0;
                ended = true;
            }
        }
        ended
    }
}

/// Lanes over which [`block_peak`] and [`scale_peak`] accumulate, so that they vectorize.
const PEAK_LANES: usize = 8;

/// Per-lane peak and sum of absolute values: the peak, and a sum that a NaN or an infinity
/// anywhere makes non-finite (as does an overflow, which would clip anyway).
struct PeakLanes {
    peak: [f32; PEAK_LANES],
    sum: [f32; PEAK_LANES],
}

impl PeakLanes {
    #[inline]
    fn new() -> PeakLanes {
        PeakLanes {
            peak: [0.0; PEAK_LANES],
            sum: [0.0; PEAK_LANES],
        }
    }

    /// Takes `v` into lane `j`.
    #[inline]
    fn add(&mut self, j: usize, v: f32) {
        let a = v.abs();
        self.sum[j] += a;
        self.peak[j] = if a > self.peak[j] { a } else { self.peak[j] };
    }

    /// The peak, or NaN if a value was not finite.
    #[inline]
    fn result(&self) -> f32 {
        let total: f32 = self.sum.iter().sum();
        let p = self.peak.iter().fold(0.0f32, |m, v| m.max(*v));
        if total.is_finite() {
            p
        } else {
            f32::NAN
        }
    }
}

/// Largest absolute value of `x`, or a non-finite value if `x` holds one.
#[inline]
fn block_peak(x: &[f32]) -> f32 {
    let mut lanes = PeakLanes::new();
    let chunks = x.chunks_exact(PEAK_LANES);
    let rest = chunks.remainder();
    for c in chunks {
        for (j, v) in c.iter().enumerate() {
            lanes.add(j, *v);
        }
    }
    for (j, v) in rest.iter().enumerate() {
        lanes.add(j, *v);
    }
    lanes.result()
}

/// `x *= g`, returning [`block_peak`] of the result (one pass instead of two).
#[inline]
fn scale_peak(x: &mut [f32], g: f32) -> f32 {
    let mut lanes = PeakLanes::new();
    let mut chunks = x.chunks_exact_mut(PEAK_LANES);
    for c in &mut chunks {
        for (j, v) in c.iter_mut().enumerate() {
            *v *= g;
            lanes.add(j, *v);
        }
    }
    for (j, v) in chunks.into_remainder().iter_mut().enumerate() {
        *v *= g;
        lanes.add(j, *v);
    }
    lanes.result()
}

/// The larger of two channel peaks, non-finite if either is (`f32::max` would drop a NaN).
#[inline]
fn peak_of_both(a: f32, b: f32) -> f32 {
    if a.is_finite() && b.is_finite() {
        a.max(b)
    } else {
        f32::NAN
    }
}

/// `out_l += x * gl` and `out_r += x * gr` in one pass.
#[inline]
fn add_panned(out_l: &mut [f32], out_r: &mut [f32], x: &[f32], gl: f32, gr: f32) {
    for ((ol, or), v) in out_l.iter_mut().zip(out_r.iter_mut()).zip(x) {
        *ol += v * gl;
        *or += v * gr;
    }
}

/// `out += x * g`.
#[inline]
fn add_scaled(out: &mut [f32], x: &[f32], g: f32) {
    for (o, v) in out.iter_mut().zip(x) {
        *o += v * g;
    }
}
