//! The compiler: a validated [`Patch`] to a [`Runtime`] (control side; allocates
//! everything the audio thread will touch).

use std::collections::HashMap;

use crate::graph::ir::{Input, Patch};
use crate::graph::kinds::module_info;
use crate::graph::runtime::{
    ConstInput, ConstParam, Layout, Node, Op, Runtime, GLIDE_SECONDS, MAX_IN, MAX_OUT,
};
use crate::graph::validate::{validate, GraphError};
use crate::units;
use crate::units::keyframe::{Easing, Keyframe, KeyframeTrack, Keyframes};
use crate::MAX_BLOCK;

/// Validates and compiles a patch. With `previous` (the [`Layout`] of the runtime now
/// playing), modules whose id and type are unchanged are marked so that
/// [`Runtime::adopt_state`] moves their state over.
///
/// ```
/// use tactus_dsp::graph::{compile, Input, Module, Patch};
/// let p = Patch {
///     modules: vec![Module::new("o", "sine").with("freq", Input::Const(440.0))],
///     outputs: vec![Input::cable("o.out")],
/// };
/// let mut rt = compile(&p, 48_000.0, None).unwrap();
/// let (mut l, mut r) = ([0.0f32; 64], [0.0f32; 64]);
/// rt.process(0, 0.0, 0.0, &mut l, &mut r);
/// assert!(l[10] > 0.0 && l == r);
/// ```
pub fn compile(
    patch: &Patch,
    sample_rate: f32,
    previous: Option<&Layout>,
) -> Result<Runtime, Vec<GraphError>> {
    let plan = validate(patch)?;
    let mut arena: Vec<[f32; MAX_BLOCK]> = Vec::new();
    // Outputs of every module, contiguous per module, in processing order.
    let mut out_base = vec![0usize; patch.modules.len()];
    for &i in &plan.order {
        let info = module_info(&patch.modules[i].kind).expect("validated");
        out_base[i] = arena.len();
        arena.extend(std::iter::repeat_n([0.0; MAX_BLOCK], info.outputs.len()));
    }
    // Pattern slots in `Patch::pattern_sources` order.
    let pattern_base = arena.len();
    let mut slots: HashMap<(usize, &str), usize> = HashMap::new();
    for (mi, m) in patch.modules.iter().enumerate() {
        for (name, input) in &m.params {
            if matches!(input, Input::Pattern(_)) {
                slots.insert((mi, name.as_str()), arena.len());
                arena.push([0.0; MAX_BLOCK]);
            }
        }
    }
    let out_slot = patch.modules.len();
    let out_names: Vec<String> = (0..patch.outputs.len()).map(|i| i.to_string()).collect();
    for (i, input) in patch.outputs.iter().enumerate() {
        if matches!(input, Input::Pattern(_)) {
            slots.insert((out_slot, out_names[i].as_str()), arena.len());
            arena.push([0.0; MAX_BLOCK]);
        }
    }
    let n_patterns = arena.len() - pattern_base;
    // Bus slots, one per distinct bus name.
    let bus_base = arena.len();
    let bus_names = patch.buses();
    arena.extend(std::iter::repeat_n([0.0; MAX_BLOCK], bus_names.len()));
    // Per-voice control slots, one per distinct name, in `Patch::controls` order.
    let controls = patch.controls();
    let control_base = arena.len();
    for (_, default) in &controls {
        arena.push([*default as f32; MAX_BLOCK]);
    }
    let index: HashMap<&str, usize> = patch
        .modules
        .iter()
        .enumerate()
        .map(|(i, m)| (m.id.as_str(), i))
        .collect();
    let mut cycles = Vec::new();
    let mut resolve =
        |arena: &mut Vec<[f32; MAX_BLOCK]>, mi: usize, name: &str, input: &Input| -> usize {
            match input {
                Input::Const(x) => {
                    arena.push([*x as f32; MAX_BLOCK]);
                    arena.len() - 1
                }
                Input::Cable { module, port } => {
                    let j = index[module.as_str()];
                    let info = module_info(&patch.modules[j].kind).expect("validated");
                    out_base[j] + info.output_index(port).expect("validated")
                }
                Input::Pattern(_) => slots[&(mi, name)],
                Input::Cycle(p) => {
                    arena.push([0.0; MAX_BLOCK]);
                    cycles.push((arena.len() - 1, *p));
                    arena.len() - 1
                }
                Input::Bus(b) => bus_base + bus_names.iter().position(|n| n == b).expect("listed"),
                Input::Control { name, .. } => {
                    control_base
                        + controls
                            .iter()
                            .position(|(n, _)| n == name)
                            .expect("listed by Patch::controls")
                }
                Input::Invalid(_) => unreachable!("validated"),
            }
        };
    let prev: HashMap<(&str, &str), usize> = previous
        .map(|l| {
            l.0.iter()
                .enumerate()
                .map(|(i, (id, k))| ((id.as_str(), k.as_str()), i))
                .collect()
        })
        .unwrap_or_default();
    let mut nodes = Vec::with_capacity(plan.order.len());
    let mut glide_capacity = 0;
    for &mi in &plan.order {
        let m = &patch.modules[mi];
        let info = module_info(&m.kind).expect("validated");
        let mut inputs: Vec<Option<usize>> = vec![None; info.inputs.len().min(MAX_IN)];
        let mut block_params = Vec::new();
        let mut consts = Vec::new();
        let mut const_inputs = Vec::new();
        for (name, input) in &m.params {
            let param = info.param_index(name);
            match (info.input_index(name), param, input) {
                (port, Some(p), Input::Const(x)) => {
                    // a spare buffer feeds the port while the value glides after an update
                    let port = port.filter(|&q| q < MAX_IN);
                    let buf = port.map_or(0, |_| {
                        arena.push([*x as f32; MAX_BLOCK]);
                        arena.len() - 1
                    });
                    consts.push(ConstParam::new(p, port, buf, *x as f32));
                }
                (Some(port), _, _) if port < MAX_IN => {
                    let buf = resolve(&mut arena, mi, name, input);
                    inputs[port] = Some(buf);
                    if let Input::Const(x) = input {
                        const_inputs.push(ConstInput::new(port, buf, *x as f32));
                    }
                }
                (_, Some(p), _) => block_params.push((p, resolve(&mut arena, mi, name, input))),
                _ => {}
            }
        }
        let op = match m.kind.as_str() {
            "add" | "mul" => {
                let unit = if m.kind == "add" { 0.0 } else { 1.0 };
                for slot in inputs.iter_mut().filter(|s| s.is_none()) {
                    arena.push([unit; MAX_BLOCK]);
                    *slot = Some(arena.len() - 1);
                }
                if m.kind == "add" {
                    Op::Add
                } else {
                    Op::Mul
                }
            }
            "notefreq" => {
                if inputs[0].is_none() {
                    arena.push([0.0; MAX_BLOCK]);
                    inputs[0] = Some(arena.len() - 1);
                }
                Op::NoteFreq
            }
            "keyframes" => {
                let keys = m.keys.iter().map(|k| Keyframe {
                    time: k.time,
                    value: k.value,
                    easing: Easing::from_name(&k.easing).unwrap_or_default(),
                });
                Op::Unit(Box::new(Keyframes::new(KeyframeTrack::new(keys.collect()))))
            }
            other => Op::Unit(units::create(other).expect("validated")),
        };
        let mut op = op;
        if let Op::Unit(u) = &mut op {
            u.prepare(sample_rate, MAX_BLOCK);
            for c in &consts {
                u.set_param(c.param, c.value);
            }
        }
        glide_capacity += consts.len() + const_inputs.len();
        nodes.push(Node {
            id: m.id.clone(),
            kind: info.name,
            op,
            out_base: out_base[mi],
            n_out: info.outputs.len().min(MAX_OUT),
            inputs,
            block_params,
            consts,
            const_inputs,
            keep_from: prev.get(&(m.id.as_str(), info.name)).copied(),
        });
    }
    let mut outs = [0usize; 2];
    for (i, input) in patch.outputs.iter().enumerate().take(2) {
        outs[i] = resolve(&mut arena, out_slot, &out_names[i], input);
    }
    if patch.outputs.len() == 1 {
        outs[1] = outs[0];
    }
    Ok(Runtime {
        nodes,
        arena,
        scratch: Box::new([[0.0; MAX_BLOCK]; MAX_IN]),
        outputs: outs,
        pattern_base,
        n_patterns,
        bus_base,
        bus_names,
        control_base,
        controls: controls.into_iter().map(|(n, d)| (n, d as f32)).collect(),
        cycles,
        glides: Vec::with_capacity(glide_capacity),
        glide_frames: ((GLIDE_SECONDS * sample_rate) as u32).max(1),
        sample_rate,
    })
}
