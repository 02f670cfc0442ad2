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
            data: vec![0.0; CHAINS * 2 * frames].into_boxed_slice(),
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
