//! The compiled patch: a flat, topologically ordered list of nodes over one arena of
//! preallocated 64-frame buffers. Processing walks the list once per block: one dynamic
//! call per unit per block, no lookups, no allocation.

use crate::unit::{ProcessContext, Unit};
use crate::MAX_BLOCK;

/// Most inputs of one module type.
pub(crate) const MAX_IN: usize = 8;
/// Most outputs of one module type.
pub(crate) const MAX_OUT: usize = 4;

/// What a node computes.
pub(crate) enum Op {
    /// A unit from the library.
    Unit(Box<dyn Unit>),
    /// `a + b`.
    Add,
    /// `a * b`.
    Mul,
    /// Note number to Hz.
    NoteFreq,
}

/// One scheduled module.
pub(crate) struct Node {
    pub id: String,
    pub kind: &'static str,
    pub op: Op,
    /// First output buffer in the arena; the outputs are contiguous.
    pub out_base: usize,
    pub n_out: usize,
    /// Arena buffer per input port (`None` = unconnected).
    pub inputs: Vec<Option<usize>>,
    /// Block-rate parameters driven by a buffer: `(param index, arena index)`.
    pub block_params: Vec<(usize, usize)>,
    /// Constant parameters, applied at build time and again after adopting old state.
    pub consts: Vec<(usize, f32)>,
    /// Index of the node with the same id and type in the previous layout.
    pub keep_from: Option<usize>,
}

/// The ids and types of a compiled patch in node order: what the control side keeps to
/// compile the next version as an update.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Layout(pub Vec<(String, String)>);

/// A compiled patch, ready for the audio thread.
pub struct Runtime {
    pub(crate) nodes: Vec<Node>,
    pub(crate) arena: Vec<[f32; MAX_BLOCK]>,
    pub(crate) scratch: Box<[[f32; MAX_BLOCK]; MAX_IN]>,
    /// Arena indices of the left and right outputs.
    pub(crate) outputs: [usize; 2],
    /// Arena index of pattern slot 0; slots are contiguous.
    pub(crate) pattern_base: usize,
    pub(crate) n_patterns: usize,
    /// Arena index of control slot 0; slots are contiguous.
    pub(crate) control_base: usize,
    /// Per-voice control names and defaults, in slot order.
    pub(crate) controls: Vec<(String, f32)>,
    /// Cycle-clock buffers: `(arena index, period in cycles)`.
    pub(crate) cycles: Vec<(usize, f64)>,
    pub(crate) sample_rate: f32,
}

impl Runtime {
    /// Ids and types in node order (control side: allocates).
    pub fn layout(&self) -> Layout {
        Layout(
            self.nodes
                .iter()
                .map(|n| (n.id.clone(), n.kind.to_string()))
                .collect(),
        )
    }

    /// Number of pattern slots (see [`crate::graph::Patch::pattern_sources`]).
    pub fn pattern_slots(&self) -> usize {
        self.n_patterns
    }

    /// The buffer of pattern slot `i`, which the host fills before each [`Runtime::process`].
    ///
    /// # Panics
    /// If `i >= self.pattern_slots()`.
    pub fn pattern_slot(&mut self, i: usize) -> &mut [f32; MAX_BLOCK] {
        assert!(i < self.n_patterns, "pattern slot {i} out of range");
        &mut self.arena[self.pattern_base + i]
    }

    /// The per-voice controls (`freq`, `gate`, named controls) with their defaults, in
    /// slot order (see [`crate::graph::Patch::controls`]).
    pub fn controls(&self) -> &[(String, f32)] {
        &self.controls
    }

    /// The buffer of control slot `i`, which the host fills before each
    /// [`Runtime::process`] (it holds the default until then).
    ///
    /// # Panics
    /// If `i >= self.controls().len()`.
    pub fn control_slot(&mut self, i: usize) -> &mut [f32; MAX_BLOCK] {
        assert!(i < self.controls.len(), "control slot {i} out of range");
        &mut self.arena[self.control_base + i]
    }

    /// True when the output is stereo (two patch outputs).
    pub fn is_stereo(&self) -> bool {
        self.outputs[0] != self.outputs[1]
    }

    /// Moves the state of every unit that kept its id and type from `old` (which must be the
    /// runtime whose [`Runtime::layout`] this one was compiled against) into this one, and
    /// re-applies this patch's constant parameters. `old` gets the fresh units in exchange,
    /// so dropping it later frees them. Never allocates: call it on the audio thread at a
    /// block start.
    pub fn adopt_state(&mut self, old: &mut Runtime) {
        for node in self.nodes.iter_mut() {
            let Some(j) = node.keep_from else { continue };
            let Some(prev) = old.nodes.get_mut(j) else {
                continue;
            };
            if prev.kind != node.kind || prev.id != node.id {
                continue;
            }
            if let (Op::Unit(a), Op::Unit(b)) = (&mut node.op, &mut prev.op) {
                std::mem::swap(a, b);
                for &(i, v) in &node.consts {
                    a.set_param(i, v);
                }
            }
        }
    }

    /// Resets every unit to its state after `prepare`.
    pub fn reset(&mut self) {
        for n in self.nodes.iter_mut() {
            if let Op::Unit(u) = &mut n.op {
                u.reset();
            }
        }
    }

    /// Renders one block of `left.len()` frames (at most [`MAX_BLOCK`]) and *adds* the patch
    /// output into `left` and `right`. `frame` is the absolute frame of the block start,
    /// `cycle` the cycle position there and `cycles_per_frame` the tempo in cycles per frame
    /// (for `{"cycle": p}` inputs). Pattern slots must have been filled for this block.
    pub fn process(
        &mut self,
        frame: u64,
        cycle: f64,
        cycles_per_frame: f64,
        left: &mut [f32],
        right: &mut [f32],
    ) {
        let n = left.len().min(right.len()).min(MAX_BLOCK);
        for &(idx, period) in &self.cycles {
            for (i, x) in self.arena[idx][..n].iter_mut().enumerate() {
                *x = (cycle + i as f64 * cycles_per_frame).rem_euclid(period) as f32;
            }
        }
        let ctx = ProcessContext::new(self.sample_rate, frame);
        let Runtime {
            nodes,
            arena,
            scratch,
            ..
        } = self;
        for node in nodes.iter_mut() {
            run_node(node, arena, scratch, &ctx, n);
        }
        let [li, ri] = self.outputs;
        for (o, x) in left[..n].iter_mut().zip(&self.arena[li][..n]) {
            *o += *x;
        }
        for (o, x) in right[..n].iter_mut().zip(&self.arena[ri][..n]) {
            *o += *x;
        }
    }
}

fn run_node(
    node: &mut Node,
    arena: &mut [[f32; MAX_BLOCK]],
    scratch: &mut [[f32; MAX_BLOCK]; MAX_IN],
    ctx: &ProcessContext,
    n: usize,
) {
    let (before, rest) = arena.split_at_mut(node.out_base);
    let (outs, after) = rest.split_at_mut(node.n_out);
    let own = node.out_base..node.out_base + node.n_out;
    // A module reading its own output (a delay feeding itself) reads last block's values.
    for (k, src) in node.inputs.iter().enumerate().take(MAX_IN) {
        if let Some(j) = *src {
            if own.contains(&j) {
                scratch[k][..n].copy_from_slice(&outs[j - own.start][..n]);
            }
        }
    }
    let read = |j: usize| -> &[f32] {
        if j < own.start {
            &before[j][..n]
        } else {
            &after[j - own.end][..n]
        }
    };
    let mut ins: [&[f32]; MAX_IN] = [&[]; MAX_IN];
    for (k, src) in node.inputs.iter().enumerate().take(MAX_IN) {
        ins[k] = match *src {
            Some(j) if own.contains(&j) => &scratch[k][..n],
            Some(j) => read(j),
            None => &[],
        };
    }
    let n_in = node.inputs.len().min(MAX_IN);
    match &mut node.op {
        Op::Unit(unit) => {
            for &(p, j) in &node.block_params {
                let v = if own.contains(&j) {
                    outs[j - own.start][0]
                } else {
                    read(j)[0]
                };
                unit.set_param(p, v);
            }
            let mut o: [&mut [f32]; MAX_OUT] = Default::default();
            for (slot, b) in o.iter_mut().zip(outs.iter_mut()) {
                *slot = &mut b[..n];
            }
            unit.process(ctx, &ins[..n_in], &mut o[..node.n_out.min(MAX_OUT)]);
        }
        Op::Add => {
            for (i, y) in outs[0][..n].iter_mut().enumerate() {
                *y = ins[0][i] + ins[1][i];
            }
        }
        Op::Mul => {
            for (i, y) in outs[0][..n].iter_mut().enumerate() {
                *y = ins[0][i] * ins[1][i];
            }
        }
        Op::NoteFreq => {
            for (y, x) in outs[0][..n].iter_mut().zip(ins[0]) {
                *y = 261.625_58 * (x.clamp(-200.0, 200.0) / 12.0).exp2();
            }
        }
    }
}
