//! Pre-rendered drums: the start of every built-in drum variation, synthesized once per
//! sample rate on the control side, so that a drum voice is plain buffer playback.
//!
//! A [`DrumBank`] holds, for each drum and each of the [`Instruments::DRUM_VARIATIONS`]
//! variations, the first [`DrumBank::MAX_SECONDS`] of its natural-rate sound (all of it for
//! short drums) together with a snapshot of the [`DrumVoice`] state right after the last
//! rendered frame. A [`DrumPlay`] copies frames from the take and, when a long drum (a crash,
//! a ride) outlives it, carries on synthesizing from the snapshot. The output is therefore
//! exactly the sample sequence live synthesis would give, at a fraction of the cost: a
//! dense drum pattern costs one copy per voice and block instead of oscillators, noise and
//! filters per frame.
//!
//! Only the natural rate is pre-rendered: a drum pitched with `speed`/`note` (which scales
//! its pitch, filters and decay together) and a variation `n` of 8 or more (whose noise
//! seed differs) are synthesized live, as before.
//!
//! Banks are shared: [`DrumBank::shared`] renders the bank of a sample rate the first time
//! it is asked for and hands out the same `Arc` afterwards, so building many synths (tests,
//! offline renders) pays for it once per process.

use std::sync::{Arc, Mutex, PoisonError};

use crate::voice::drums::DrumVoice;
use crate::voice::instruments::{Drum, Instruments};

/// Every drum of the kit, in bank order.
const KIT: [Drum; 14] = [
    Drum::Kick,
    Drum::Snare,
    Drum::ClosedHat,
    Drum::OpenHat,
    Drum::Clap,
    Drum::Rim,
    Drum::LowTom,
    Drum::MidTom,
    Drum::HighTom,
    Drum::Cowbell,
    Drum::Crash,
    Drum::Ride,
    Drum::Perc,
    Drum::Tabla,
];

/// The rendered start of one drum variation.
#[derive(Debug, Clone)]
struct DrumTake {
    /// The first frames of the sound at rate 1.
    frames: Box<[f32]>,
    /// The voice's state after those frames (finished if they are the whole sound).
    resume: DrumVoice,
}

/// The pre-rendered drum kit of one sample rate. Built on the control side.
///
/// ```
/// use tactus_dsp::voice::drum_bank::DrumBank;
/// let bank = DrumBank::shared(48_000.0);
/// assert!(bank.frames() > 0);
/// assert!(std::sync::Arc::ptr_eq(&bank, &DrumBank::shared(48_000.0)));
/// ```
#[derive(Debug)]
pub struct DrumBank {
    sample_rate: f32,
    takes: Vec<DrumTake>,
}

impl DrumBank {
    /// Longest part of a drum that is pre-rendered, in seconds. Drums decay to -60 dB in
    /// 0.02 to 2.6 s (cymbals up to about 7 s); this covers the short drums whole and the
    /// attack of the others: about 48 s of audio over the 112 takes, 9 MB at 48 kHz,
    /// rendered in under 0.1 s (release build).
    pub const MAX_SECONDS: f32 = 0.5;

    /// Renders the bank for sample rate `sr` (allocates; tens of milliseconds).
    pub fn render(sr: f32) -> DrumBank {
        let cap = (Self::MAX_SECONDS * sr).max(1.0) as usize;
        let mut takes = Vec::with_capacity(KIT.len() * Instruments::DRUM_VARIATIONS as usize);
        for drum in KIT {
            for n in 0..Instruments::DRUM_VARIATIONS {
                let mut voice = DrumVoice::start(drum, n, 1.0, sr);
                let len = ((voice.duration() * sr).round() as usize).min(cap);
                let mut frames = Vec::with_capacity(len);
                while frames.len() < len && !voice.finished() {
                    frames.push(voice.tick());
                }
                takes.push(DrumTake {
                    frames: frames.into_boxed_slice(),
                    resume: voice,
                });
            }
        }
        DrumBank {
            sample_rate: sr,
            takes,
        }
    }

    /// The bank of sample rate `sr`, rendered on the first call for that rate and shared
    /// afterwards. Control side (it may render, and it takes a lock).
    pub fn shared(sr: f32) -> Arc<DrumBank> {
        static BANKS: Mutex<Vec<Arc<DrumBank>>> = Mutex::new(Vec::new());
        let mut banks = BANKS.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(b) = banks.iter().find(|b| b.sample_rate == sr) {
            return Arc::clone(b);
        }
        let bank = Arc::new(DrumBank::render(sr));
        banks.push(Arc::clone(&bank));
        bank
    }

    /// Sample rate the bank was rendered at.
    pub fn sample_rate(&self) -> f32 {
        self.sample_rate
    }

    /// Total number of pre-rendered frames (memory use is 4 bytes each).
    pub fn frames(&self) -> usize {
        self.takes.iter().map(|t| t.frames.len()).sum()
    }

    /// Index of the take of `drum` variation `n` at rate `rate`, if there is one.
    fn take_index(&self, drum: Drum, n: u32, rate: f32, sr: f32) -> Option<usize> {
        if sr != self.sample_rate || n >= Instruments::DRUM_VARIATIONS || !is_natural(rate) {
            return None;
        }
        let d = KIT.iter().position(|k| *k == drum)?;
        let i = d * Instruments::DRUM_VARIATIONS as usize + n as usize;
        (i < self.takes.len()).then_some(i)
    }
}

/// True if `rate` is the natural rate after [`DrumVoice::start`]'s clamping.
fn is_natural(rate: f32) -> bool {
    rate.abs().clamp(0.05, 20.0) == 1.0
}

/// A playing drum: frames from a [`DrumBank`] take, then live synthesis if the take ends
/// before the sound does (or live synthesis from the start when there is no take).
#[derive(Debug, Clone, Copy)]
pub struct DrumPlay {
    /// The take being read, while `pos` is inside it.
    take: Option<u16>,
    /// Next frame of the take.
    pos: usize,
    /// The live voice (used once the take is exhausted, or when there is none).
    live: DrumVoice,
    /// Natural length in frames.
    length: u32,
}

impl DrumPlay {
    /// A finished placeholder.
    pub fn idle() -> Self {
        let live = DrumVoice::idle();
        Self {
            take: None,
            pos: 0,
            live,
            length: 0,
        }
    }

    /// Starts `drum` variation `n` at time scale `rate` and sample rate `sr`, from `bank`
    /// when it has that sound. Does not allocate.
    pub fn start(bank: &DrumBank, drum: Drum, n: u32, rate: f32, sr: f32) -> Self {
        match bank.take_index(drum, n, rate, sr) {
            Some(i) => {
                let t = &bank.takes[i];
                let length = (t.resume.duration() * sr).round() as u32;
                Self {
                    take: Some(i as u16),
                    pos: 0,
                    live: t.resume,
                    length,
                }
            }
            None => {
                let live = DrumVoice::start(drum, n, rate, sr);
                Self {
                    take: None,
                    pos: 0,
                    length: (live.duration() * sr).round() as u32,
                    live,
                }
            }
        }
    }

    /// Natural duration in seconds at sample rate `sr`.
    pub fn duration(&self, sr: f32) -> f32 {
        self.length as f32 / sr
    }

    /// True once every part has decayed.
    pub fn finished(&self) -> bool {
        self.take.is_none() && self.live.finished()
    }

    /// Fills `out`; returns the number of frames produced before the sound ended (the rest
    /// are zeros). Does not allocate.
    pub fn render(&mut self, bank: &DrumBank, out: &mut [f32]) -> usize {
        let mut i = 0;
        if let Some(t) = self.take {
            match bank.takes.get(usize::from(t)) {
                Some(take) => {
                    let src = &take.frames[self.pos.min(take.frames.len())..];
                    let k = src.len().min(out.len());
                    out[..k].copy_from_slice(&src[..k]);
                    self.pos += k;
                    i = k;
                    if self.pos >= take.frames.len() {
                        // `live` already holds the state after the take
                        self.take = None;
                    }
                }
                None => self.take = None,
            }
        }
        let mut produced = out.len();
        for (j, x) in out.iter_mut().enumerate().skip(i) {
            if self.live.finished() {
                produced = produced.min(j);
            }
            *x = self.live.tick();
        }
        produced
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Live synthesis of the whole sound, frame by frame.
    fn live(drum: Drum, n: u32, rate: f32, sr: f32, frames: usize) -> Vec<f32> {
        let mut v = DrumVoice::start(drum, n, rate, sr);
        (0..frames).map(|_| v.tick()).collect()
    }

    fn played(bank: &DrumBank, drum: Drum, n: u32, rate: f32, block: usize) -> Vec<f32> {
        let sr = bank.sample_rate();
        let mut p = DrumPlay::start(bank, drum, n, rate, sr);
        let total = (p.duration(sr) * sr) as usize + 3 * block;
        let mut out = vec![0.0; total];
        for chunk in out.chunks_mut(block) {
            p.render(bank, chunk);
        }
        out
    }

    #[test]
    fn playback_equals_live_synthesis_at_any_block_size() {
        let bank = DrumBank::shared(44_100.0);
        for drum in [Drum::Kick, Drum::Crash, Drum::Clap, Drum::ClosedHat] {
            for n in [0, 3, 7, 9] {
                for rate in [1.0, 1.5] {
                    for block in [1, 7, 64, 1000] {
                        let got = played(&bank, drum, n, rate, block);
                        let want = live(drum, n, rate, 44_100.0, got.len());
                        assert_eq!(got, want, "{drum:?} n {n} rate {rate} block {block}");
                    }
                }
            }
        }
    }

    #[test]
    fn long_drums_continue_after_the_take() {
        let bank = DrumBank::shared(48_000.0);
        let mut p = DrumPlay::start(&bank, Drum::Crash, 0, 1.0, 48_000.0);
        let cap = (DrumBank::MAX_SECONDS * 48_000.0) as usize;
        assert!(p.duration(48_000.0) > 2.0 * DrumBank::MAX_SECONDS);
        let mut out = vec![0.0; cap + 4800];
        assert_eq!(p.render(&bank, &mut out), out.len());
        assert!(out[cap..].iter().any(|x| x.abs() > 1e-4));
        assert!(!p.finished());
    }

    #[test]
    fn produced_stops_where_the_sound_ends() {
        let bank = DrumBank::shared(48_000.0);
        let mut p = DrumPlay::start(&bank, Drum::Rim, 0, 1.0, 48_000.0);
        let len = p.length as usize;
        let mut out = vec![1.0; len + 100];
        assert_eq!(p.render(&bank, &mut out), len);
        assert!(out[len..].iter().all(|x| *x == 0.0));
        assert!(p.finished());
    }

    #[test]
    fn other_sample_rates_are_synthesized_live() {
        let bank = DrumBank::shared(48_000.0);
        let p = DrumPlay::start(&bank, Drum::Kick, 0, 1.0, 44_100.0);
        assert!(p.take.is_none());
        let p = DrumPlay::start(&bank, Drum::Kick, 0, 1.0, 48_000.0);
        assert!(p.take.is_some());
    }
}
