//! [`NamedBuses`]: a read-only view of the named buses (`bus "lfo" $ ...`) of one block,
//! handed to the voice pool so that graph instruments can read them (`busin "lfo"`).
//!
//! The host (the engine's drone rack) computes its buses for a block of at most
//! [`MAX_BLOCK`] frames, then renders the synth over the same frames with a view of those
//! buffers. Instruments find their buses by name only when the `layout` (which names, in
//! which order) changes, into a table allocated with the instrument, so a block costs one
//! copy of `frames` floats per bus an active voice reads: nothing allocates or locks.

use std::sync::Arc;

use crate::MAX_BLOCK;

/// The named buses of one block: `names[i]` is carried by `bufs[i]`, whose frame 0 is the
/// first frame of the [`crate::Synth::render_block_with_buses`] call it is passed to.
///
/// ```
/// use std::sync::Arc;
/// use tactus_dsp::voice::buses::NamedBuses;
/// let names: Vec<Arc<str>> = vec!["lfo".into()];
/// let bufs = vec![[0.5f32; 64]];
/// let b = NamedBuses::new(7, &names, &bufs);
/// assert_eq!(b.index_of("lfo"), Some(0));
/// assert_eq!(b.frames(0, 10, 4), [0.5; 4]);
/// assert_eq!(b.advanced(60).frames(0, 0, 8).len(), 4); // clamped to the block
/// assert!(NamedBuses::NONE.index_of("lfo").is_none());
/// ```
#[derive(Clone, Copy, Debug)]
pub struct NamedBuses<'a> {
    layout: u64,
    names: &'a [Arc<str>],
    bufs: &'a [[f32; MAX_BLOCK]],
    /// Frame of the buffers that frame 0 of the view reads.
    offset: usize,
}

impl<'a> NamedBuses<'a> {
    /// No buses (every `busin` reads silence).
    pub const NONE: NamedBuses<'static> = NamedBuses {
        layout: u64::MAX,
        names: &[],
        bufs: &[],
        offset: 0,
    };

    /// A view of `bufs`, named by `names` (extra names or buffers are ignored). `layout`
    /// must change whenever the names or their order do (the engine uses the drone set's
    /// generation); `u64::MAX` is reserved for [`NamedBuses::NONE`].
    pub fn new(layout: u64, names: &'a [Arc<str>], bufs: &'a [[f32; MAX_BLOCK]]) -> Self {
        let k = names.len().min(bufs.len());
        NamedBuses {
            layout,
            names: &names[..k],
            bufs: &bufs[..k],
            offset: 0,
        }
    }

    /// Identifies the names and their order.
    pub fn layout(&self) -> u64 {
        self.layout
    }

    /// The index of bus `name`.
    pub fn index_of(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|n| &**n == name)
    }

    /// The same buses seen from `frames` frames later (for a voice that starts inside the
    /// block, or the synth's sub-blocks).
    pub fn advanced(self, frames: usize) -> Self {
        NamedBuses {
            offset: self.offset.saturating_add(frames),
            ..self
        }
    }

    /// Frames `from..from + len` of bus `i` (from the view's start), clamped to the block:
    /// shorter than `len`, or empty, past its end.
    pub fn frames(&self, i: usize, from: usize, len: usize) -> &'a [f32] {
        match self.bufs.get(i) {
            Some(b) => {
                let from = self.offset.saturating_add(from).min(MAX_BLOCK);
                &b[from..(from + len).min(MAX_BLOCK)]
            }
            None => &[],
        }
    }
}

impl Default for NamedBuses<'_> {
    fn default() -> Self {
        NamedBuses::NONE
    }
}
