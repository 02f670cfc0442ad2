//! Per-channel voice buffers for effect chains (`fx 1 $ ... input`).
//!
//! A channel with an effect chain does not send its voices to an orbit: the synth renders
//! them into that channel's stereo buffer here instead, and the engine's chain graph reads
//! it as `input`. Chains are numbered `1..=CHAINS` (0 = no chain, the voice goes to its
//! orbit as usual). The buffers are allocated once, on the control side.

/// How many channels can have an effect chain at once.
pub const CHAINS: usize = 16;

/// The voices of each chained channel for one rendered segment: `CHAINS` stereo buffers of
/// up to `frames` frames, written by [`crate::Synth::render_block_chained`].
///
/// ```
/// use tactus_dsp::chains::ChainBuffers;
/// let b = ChainBuffers::new(256);
/// assert_eq!(b.frames(), 256);
/// assert!(b.left(1).iter().all(|x| *x == 0.0));
/// ```
#[derive(Debug, Clone)]
pub struct ChainBuffers {
    frames: usize,
    /// `[chain][side][frame]`, chain 1 at index 0.
    data: Box<[f32]>,
}

impl ChainBuffers {
    /// Buffers for segments of at most `frames` frames (allocates; control side).
    pub fn new(frames: usize) -> ChainBuffers {
        ChainBuffers {
            frames,
            data: crate::memory::zeroed_box(CHAINS * 2 * frames),
        }
    }

    /// The longest segment.
    pub fn frames(&self) -> usize {
        self.frames
    }

    fn range(&self, chain: usize, side: usize) -> std::ops::Range<usize> {
        let c = chain.clamp(1, CHAINS) - 1;
        let start = (c * 2 + side) * self.frames;
        start..start + self.frames
    }

    /// Left channel of chain `chain` (1-based; out-of-range numbers are clamped).
    pub fn left(&self, chain: usize) -> &[f32] {
        &self.data[self.range(chain, 0)]
    }

    /// Right channel of chain `chain`.
    pub fn right(&self, chain: usize) -> &[f32] {
        &self.data[self.range(chain, 1)]
    }

    /// Both channels of chain `chain`, mutably.
    pub fn sides_mut(&mut self, chain: usize) -> (&mut [f32], &mut [f32]) {
        let start = self.range(chain, 0).start;
        let (l, r) = self.data[start..start + 2 * self.frames].split_at_mut(self.frames);
        (l, r)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::voice::instruments::Instruments;
    use crate::voice::params::{Param, Sound, VoiceParams};
    use crate::{Synth, SynthConfig};

    fn synth() -> Synth {
        Synth::new(SynthConfig {
            voices: 8,
            orbits: 2,
            ..SynthConfig::default()
        })
    }

    fn sine() -> VoiceParams {
        let s = Sound::Instrument(Instruments::id_of("sine").unwrap());
        VoiceParams::new(s)
            .with(Param::Freq, 440.0)
            .with(Param::Sustain, 1.0)
            // an orbit send that a chained voice must not reach
            .with(Param::Room, 0.9)
    }

    fn peak(x: &[f32]) -> f32 {
        x.iter().fold(0.0, |m, v| m.max(v.abs()))
    }

    #[test]
    fn a_chained_voice_goes_to_its_chain_buffer_only() {
        let mut s = synth();
        let mut bufs = ChainBuffers::new(512);
        s.start_voice_chained(100, &sine(), 3);
        let (mut l, mut r) = (vec![0.0f32; 512], vec![0.0f32; 512]);
        s.render_block_chained(&mut l, &mut r, &mut bufs);
        assert_eq!(peak(&l) + peak(&r), 0.0, "nothing reaches the orbits");
        assert!(peak(bufs.left(3)) > 0.05 && peak(bufs.right(3)) > 0.05);
        assert!(
            bufs.left(3)[..100].iter().all(|x| *x == 0.0),
            "starts at its frame"
        );
        for c in (1..=CHAINS).filter(|&c| c != 3) {
            assert_eq!(peak(bufs.left(c)) + peak(bufs.right(c)), 0.0, "chain {c}");
        }
        // the orbit's reverb settings were left alone
        assert_eq!(s.orbit_settings(0).unwrap().room, 0.0);
    }

    #[test]
    fn the_same_voice_unchained_goes_to_the_output() {
        let (mut a, mut b) = (synth(), synth());
        let mut bufs = ChainBuffers::new(512);
        a.start_voice_chained(0, &sine(), 0);
        b.start_voice(0, &sine());
        let (mut l, mut r) = (vec![0.0f32; 512], vec![0.0f32; 512]);
        let (mut l2, mut r2) = (vec![0.0f32; 512], vec![0.0f32; 512]);
        a.render_block_chained(&mut l, &mut r, &mut bufs);
        b.render_block(&mut l2, &mut r2);
        assert!(peak(&l) > 0.05);
        assert_eq!((l, r), (l2, r2));
        assert!((1..=CHAINS).all(|c| peak(bufs.left(c)) == 0.0));
    }
}
