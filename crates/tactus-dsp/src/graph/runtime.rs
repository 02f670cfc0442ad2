//! The compiled patch: a flat, topologically ordered list of nodes over one arena of
//! preallocated 64-frame buffers. Processing walks the list once per block: one dynamic
//! call per unit per block, no lookups, no allocation.

use crate::unit::{ProcessContext, Unit};
use crate::MAX_BLOCK;

/// Most inputs of one module type.
pub(crate) const MAX_IN: usize = 8;
/// Most outputs of one module type.
pub(crate) const MAX_OUT: usize = 4;

/// How long a constant changed by a live update takes to reach its new value (a linear
/// ramp), in seconds.
pub const GLIDE_SECONDS: f32 = 0.03;

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
    pub consts: Vec<ConstParam>,
    /// Constant buffers feeding input ports that are not parameters (`add`, `mul`, ...).
    pub const_inputs: Vec<ConstInput>,
    /// Index of the node with the same id and type in the previous layout.
    pub keep_from: Option<usize>,
}

/// A constant unit parameter.
pub(crate) struct ConstParam {
    /// Parameter index.
    pub param: usize,
    /// The input port of the same name, if any: it is fed from `buf` while gliding.
    pub port: Option<usize>,
    /// Spare arena buffer for the glide (meaningful only with a port).
    pub buf: usize,
    /// The patch's value.
    pub value: f32,
    /// The value in effect now (differs from `value` while gliding).
    pub current: f32,
}

impl ConstParam {
    pub fn new(param: usize, port: Option<usize>, buf: usize, value: f32) -> ConstParam {
        ConstParam {
            param,
            port,
            buf,
            value,
            current: value,
        }
    }
}

/// A constant arena buffer feeding an input port.
pub(crate) struct ConstInput {
    /// Input port index.
    pub port: usize,
    /// The arena buffer holding the constant.
    pub buf: usize,
    /// The patch's value.
    pub value: f32,
    /// The value in effect now (differs from `value` while gliding).
    pub current: f32,
}

impl ConstInput {
    pub fn new(port: usize, buf: usize, value: f32) -> ConstInput {
        ConstInput {
            port,
            buf,
            value,
            current: value,
        }
    }
}

/// A running glide of one constant: node index, entry index in `consts` (or in
/// `const_inputs` when `input`), and a linear ramp.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Glide {
    node: usize,
    entry: usize,
    input: bool,
    from: f32,
    to: f32,
    pos: u32,
    len: u32,
}

impl Glide {
    fn at(&self, i: u32) -> f32 {
        if i >= self.len {
            self.to
        } else {
            self.from + (self.to - self.from) * (i as f32 / self.len as f32)
        }
    }
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
    /// Arena index of bus slot 0; slots are contiguous, one per name in `bus_names`.
    pub(crate) bus_base: usize,
    pub(crate) bus_names: Vec<String>,
    /// Running glides (capacity reserved at compile time: one per constant).
    pub(crate) glides: Vec<Glide>,
    /// Length of a glide in frames.
    pub(crate) glide_frames: u32,
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

    /// The bus names this patch reads, in slot order (see [`crate::graph::Patch::buses`]).
    pub fn bus_names(&self) -> &[String] {
        &self.bus_names
    }

    /// The buffer of bus slot `i`, which the host fills before each [`Runtime::process`].
    ///
    /// # Panics
    /// If `i >= self.bus_names().len()`.
    pub fn bus_slot(&mut self, i: usize) -> &mut [f32; MAX_BLOCK] {
        assert!(i < self.bus_names.len(), "bus slot {i} out of range");
        &mut self.arena[self.bus_base + i]
    }

    /// Glides running now (for tests and meters).
    pub fn gliding(&self) -> usize {
        self.glides.len()
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
    /// runtime whose [`Runtime::layout`] this one was compiled against) into this one.
    /// `old` gets the fresh units in exchange, so dropping it later frees them.
    ///
    /// A constant of a kept module whose value changed does not jump: it glides from the
    /// value in effect in `old` to the new one over [`GLIDE_SECONDS`] (a linear ramp, at
    /// audio rate for parameters that are also input ports and for `add`/`mul` operands,
    /// per block otherwise). Never allocates: call it on the audio thread at a block start.
    pub fn adopt_state(&mut self, old: &mut Runtime) {
        let len = self.glide_frames;
        for (ni, node) in self.nodes.iter_mut().enumerate() {
            let Some(j) = node.keep_from else { continue };
            let Some(prev) = old.nodes.get_mut(j) else {
                continue;
            };
            if prev.kind != node.kind || prev.id != node.id {
                continue;
            }
            if let (Op::Unit(a), Op::Unit(b)) = (&mut node.op, &mut prev.op) {
                std::mem::swap(a, b);
                for (e, c) in node.consts.iter_mut().enumerate() {
                    let was = prev.consts.iter().find(|p| p.param == c.param);
                    match was.map(|p| p.current) {
                        Some(from)
                            if from != c.value && self.glides.len() < self.glides.capacity() =>
                        {
                            a.set_param(c.param, from);
                            c.current = from;
                            self.glides.push(Glide {
                                node: ni,
                                entry: e,
                                input: false,
                                from,
                                to: c.value,
                                pos: 0,
                                len,
                            });
                        }
                        _ => a.set_param(c.param, c.value),
                    }
                }
            }
            for (e, c) in node.const_inputs.iter_mut().enumerate() {
                let was = prev.const_inputs.iter().find(|p| p.port == c.port);
                if let Some(from) = was.map(|p| p.current) {
                    if from != c.value && self.glides.len() < self.glides.capacity() {
                        self.arena[c.buf].fill(from);
                        c.current = from;
                        self.glides.push(Glide {
                            node: ni,
                            entry: e,
                            input: true,
                            from,
                            to: c.value,
                            pos: 0,
                            len,
                        });
                    }
                }
            }
        }
    }

    /// Advances every glide over the next `n` frames (before the nodes run).
    fn run_glides(&mut self, n: usize) {
        let Runtime {
            nodes,
            arena,
            glides,
            ..
        } = self;
        let mut k = 0;
        while k < glides.len() {
            let g = &mut glides[k];
            let node = &mut nodes[g.node];
            let done = g.pos >= g.len;
            if g.input {
                let c = &mut node.const_inputs[g.entry];
                let buf = &mut arena[c.buf];
                if done {
                    buf.fill(g.to);
                } else {
                    for (i, x) in buf[..n].iter_mut().enumerate() {
                        *x = g.at(g.pos + i as u32 + 1);
                    }
                }
                c.current = g.at(g.pos + n as u32);
            } else {
                let c = &mut node.consts[g.entry];
                let Op::Unit(unit) = &mut node.op else {
                    g.pos = g.len;
                    glides.swap_remove(k);
                    continue;
                };
                match c.port {
                    Some(port) if done => {
                        node.inputs[port] = None;
                        unit.set_param(c.param, g.to);
                    }
                    Some(port) => {
                        for (i, x) in arena[c.buf][..n].iter_mut().enumerate() {
                            *x = g.at(g.pos + i as u32 + 1);
                        }
                        node.inputs[port] = Some(c.buf);
                    }
                    None => unit.set_param(c.param, g.at(g.pos + n as u32)),
                }
                c.current = g.at(g.pos + n as u32);
            }
            if done {
                glides.swap_remove(k);
            } else {
                g.pos = g.pos.saturating_add(n as u32);
                k += 1;
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
        if !self.glides.is_empty() {
            self.run_glides(n);
        }
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
