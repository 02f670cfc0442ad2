//! Validation of a [`Patch`] before it is compiled: every error names the module id and the
//! field (and carries the module's source span when it came from a file).
//!
//! Checks: duplicate or empty ids, unknown module types, unknown parameters or ports,
//! parameter values of the wrong type or out of range, dangling cables (unknown module or
//! output port), bad keyframes, the number of outputs, and cycles that do not pass through a
//! `delay` module's input.

use std::collections::HashMap;

use crate::graph::ir::{Input, Module, Patch};
use crate::graph::kinds::module_info;
use crate::units::keyframe::Easing;

/// One problem in a patch.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("module `{module}`{}: {message}", field.as_ref().map(|f| format!(", field `{f}`")).unwrap_or_default())]
pub struct GraphError {
    /// The module id (`outputs` for the patch outputs).
    pub module: String,
    /// The parameter or field, if the error is about one.
    pub field: Option<String>,
    /// What is wrong.
    pub message: String,
    /// The module's source span (byte offsets), if it came from a file.
    pub span: Option<(usize, usize)>,
}

impl GraphError {
    fn at(m: &Module, field: Option<&str>, message: String) -> GraphError {
        GraphError {
            module: m.id.clone(),
            field: field.map(str::to_string),
            message,
            span: m.span,
        }
    }
}

/// A validated patch: the processing order (indices into `patch.modules`) and the cables
/// that are read one block late because they close a feedback loop through a delay.
#[derive(Clone, Debug, PartialEq)]
pub struct Plan {
    /// Module indices in processing order.
    pub order: Vec<usize>,
}

/// Validates a patch; on success returns its processing order.
///
/// ```
/// use tactus_dsp::graph::{validate, Input, Module, Patch};
/// let p = Patch {
///     modules: vec![Module::new("o", "sine").with("freq", Input::Const(1e9))],
///     outputs: vec![Input::cable("o.out")],
/// };
/// let errs = validate(&p).unwrap_err();
/// assert_eq!(errs[0].module, "o");
/// assert_eq!(errs[0].field.as_deref(), Some("freq"));
/// ```
pub fn validate(p: &Patch) -> Result<Plan, Vec<GraphError>> {
    let mut errs = Vec::new();
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (i, m) in p.modules.iter().enumerate() {
        if m.id.is_empty() {
            errs.push(GraphError::at(m, Some("id"), "the id is empty".into()));
        } else if index.insert(m.id.as_str(), i).is_some() {
            errs.push(GraphError::at(
                m,
                Some("id"),
                "this id is used by another module".into(),
            ));
        }
    }
    for m in &p.modules {
        let Some(info) = module_info(&m.kind) else {
            errs.push(GraphError::at(
                m,
                Some("type"),
                format!("unknown module type `{}`", m.kind),
            ));
            continue;
        };
        for (name, input) in &m.params {
            let param = info.params.iter().find(|q| q.name == name);
            let port = info.input_index(name);
            if param.is_none() && port.is_none() {
                let known: Vec<&str> = info
                    .params
                    .iter()
                    .map(|q| q.name)
                    .chain(info.inputs.iter().map(|q| q.name))
                    .collect();
                errs.push(GraphError::at(
                    m,
                    Some(name),
                    format!(
                        "`{}` has no parameter or input `{name}` (it has: {})",
                        m.kind,
                        known.join(", ")
                    ),
                ));
                continue;
            }
            if let Some(e) = check_input(p, &index, input) {
                errs.push(GraphError::at(m, Some(name), e));
            } else if let (Input::Const(x), Some(q)) = (input, param) {
                if !(f64::from(q.min)..=f64::from(q.max)).contains(x) {
                    errs.push(GraphError::at(
                        m,
                        Some(name),
                        format!("{x} is out of range [{}, {}] {}", q.min, q.max, q.unit),
                    ));
                }
            }
        }
        if !m.keys.is_empty() && m.kind != "keyframes" {
            errs.push(GraphError::at(
                m,
                Some("keys"),
                "only `keyframes` modules take keys".into(),
            ));
        }
        for (k, key) in m.keys.iter().enumerate() {
            let field = format!("keys[{k}]");
            if !key.time.is_finite() || !key.value.is_finite() {
                errs.push(GraphError::at(
                    m,
                    Some(&field),
                    "time and value must be finite".into(),
                ));
            }
            if Easing::from_name(&key.easing).is_none() {
                let names: Vec<&str> = Easing::ALL.iter().map(|(n, _)| *n).collect();
                errs.push(GraphError::at(
                    m,
                    Some(&field),
                    format!(
                        "unknown easing `{}` (one of: {})",
                        key.easing,
                        names.join(", ")
                    ),
                ));
            }
        }
    }
    if p.outputs.is_empty() || p.outputs.len() > 2 {
        errs.push(GraphError {
            module: "outputs".into(),
            field: None,
            message: format!(
                "a patch has one (mono) or two (stereo) outputs, not {}",
                p.outputs.len()
            ),
            span: None,
        });
    }
    for (i, input) in p.outputs.iter().enumerate() {
        if let Some(e) = check_input(p, &index, input) {
            errs.push(GraphError {
                module: "outputs".into(),
                field: Some(i.to_string()),
                message: e,
                span: None,
            });
        }
    }
    if !errs.is_empty() {
        return Err(errs);
    }
    order(p, &index).map(|order| Plan { order })
}

/// Checks one parameter value; returns the message of what is wrong.
fn check_input(p: &Patch, index: &HashMap<&str, usize>, input: &Input) -> Option<String> {
    match input {
        Input::Const(x) if !x.is_finite() => Some("the value must be finite".into()),
        Input::Const(_) => None,
        Input::Cable { module, port } => {
            let Some(&j) = index.get(module.as_str()) else {
                return Some(format!("dangling cable: no module `{module}`"));
            };
            let src = &p.modules[j];
            match module_info(&src.kind) {
                Some(info) if info.output_index(port).is_none() => {
                    let outs: Vec<&str> = info.outputs.iter().map(|o| o.name).collect();
                    Some(format!(
                        "dangling cable: `{module}` ({}) has no output `{port}` (it has: {})",
                        src.kind,
                        outs.join(", ")
                    ))
                }
                _ => None,
            }
        }
        Input::Pattern(t) if t.trim().is_empty() => Some("the pattern is empty".into()),
        Input::Pattern(_) => None,
        Input::Cycle(c) if !(c.is_finite() && *c > 0.0) => {
            Some(format!("the cycle period must be positive, got {c}"))
        }
        Input::Cycle(_) => None,
        Input::Bus(b) if b.trim().is_empty() => Some("the bus name is empty".into()),
        Input::Bus(_) => None,
        Input::Control { name, .. } if name.trim().is_empty() => {
            Some("the control name is empty".into())
        }
        Input::Control { default, .. } if !default.is_finite() => {
            Some("the control's default must be finite".into())
        }
        Input::Control { .. } => None,
        Input::Invalid(v) => Some(format!(
            "expected a number, {{\"cable\": \"module.port\"}}, {{\"pattern\": \"...\"}}, {{\"cycle\": period}}, {{\"bus\": \"name\"}} or {{\"control\": \"name\", \"default\": x}}, found {v}"
        )),
    }
}

/// A topological order. Cables into a `delay` module's input may close a loop: if the
/// whole graph has no order, they are left out (read one block late).
fn order(p: &Patch, index: &HashMap<&str, usize>) -> Result<Vec<usize>, Vec<GraphError>> {
    let edges = |skip_delay: bool| -> Vec<(usize, usize, String)> {
        let mut v = Vec::new();
        for (j, m) in p.modules.iter().enumerate() {
            if skip_delay && m.kind == "delay" {
                continue;
            }
            for (name, input) in &m.params {
                if let Input::Cable { module, .. } = input {
                    v.push((index[module.as_str()], j, name.clone()));
                }
            }
        }
        v
    };
    if let Ok(o) = kahn(p.modules.len(), &edges(false)) {
        return Ok(o);
    }
    kahn(p.modules.len(), &edges(true)).map_err(|stuck| {
        // Report the cable into the first stuck module that comes from another stuck one.
        let e = edges(true);
        let (src, dst, field) = e
            .iter()
            .find(|(s, d, _)| stuck.contains(s) && stuck.contains(d))
            .cloned()
            .unwrap_or((stuck[0], stuck[0], String::new()));
        let ids: Vec<&str> = stuck.iter().map(|&i| p.modules[i].id.as_str()).collect();
        vec![GraphError::at(
            &p.modules[dst],
            Some(&field),
            format!(
                "cycle without a delay: `{}` feeds back into itself through {} (feedback needs a `delay` module in the loop)",
                p.modules[src].id,
                ids.join(", ")
            ),
        )]
    })
}

/// Kahn's algorithm; on a cycle returns the modules left unsorted.
fn kahn(n: usize, edges: &[(usize, usize, String)]) -> Result<Vec<usize>, Vec<usize>> {
    let mut indeg = vec![0usize; n];
    let mut out: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (s, d, _) in edges {
        if s == d {
            indeg[*d] += 1;
            continue;
        }
        indeg[*d] += 1;
        out[*s].push(*d);
    }
    let mut ready: Vec<usize> = (0..n).rev().filter(|&i| indeg[i] == 0).collect();
    let mut order = Vec::with_capacity(n);
    while let Some(i) = ready.pop() {
        order.push(i);
        for &d in out[i].iter().rev() {
            indeg[d] -= 1;
            if indeg[d] == 0 {
                ready.push(d);
            }
        }
    }
    if order.len() == n {
        Ok(order)
    } else {
        Err((0..n).filter(|i| !order.contains(i)).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::ir::Key;

    fn one(m: Module) -> Patch {
        Patch {
            outputs: vec![Input::cable(&format!("{}.out", m.id))],
            modules: vec![m],
        }
    }

    fn err(p: &Patch) -> GraphError {
        validate(p).unwrap_err().remove(0)
    }

    #[test]
    fn unknown_type() {
        let e = err(&one(Module::new("x", "wobble")));
        assert_eq!((e.module.as_str(), e.field.as_deref()), ("x", Some("type")));
    }

    #[test]
    fn unknown_port_and_range_and_type() {
        let e = err(&one(Module::new("o", "sine").with("frq", Input::Const(1.0))));
        assert!(e.message.contains("no parameter or input `frq`"), "{e}");
        let e = err(&one(
            Module::new("o", "ladder").with("resonance", Input::Const(3.0))
        ));
        assert_eq!(e.field.as_deref(), Some("resonance"));
        assert!(e.message.contains("out of range"));
        let e = err(&one(
            Module::new("o", "sine").with("freq", Input::Invalid("hi".into()))
        ));
        assert!(e.message.contains("expected a number"));
    }

    #[test]
    fn dangling_cables() {
        let e = err(&one(
            Module::new("o", "ladder").with("in", Input::cable("nope.out"))
        ));
        assert!(e.message.contains("no module `nope`"));
        let p = Patch {
            modules: vec![
                Module::new("a", "sine"),
                Module::new("b", "ladder").with("in", Input::cable("a.lp")),
            ],
            outputs: vec![Input::cable("b.out")],
        };
        let e = err(&p);
        assert_eq!((e.module.as_str(), e.field.as_deref()), ("b", Some("in")));
        assert!(e.message.contains("no output `lp`"));
    }

    #[test]
    fn cycles_need_a_delay() {
        let p = Patch {
            modules: vec![
                Module::new("a", "ladder").with("in", Input::cable("b.out")),
                Module::new("b", "shape").with("in", Input::cable("a.out")),
            ],
            outputs: vec![Input::cable("b.out")],
        };
        let e = err(&p);
        assert!(e.message.contains("cycle without a delay"), "{e}");
        let p = Patch {
            modules: vec![
                Module::new("a", "ladder").with("in", Input::cable("d.wet")),
                Module::new("d", "delay").with("in", Input::cable("a.out")),
            ],
            outputs: vec![Input::cable("a.out")],
        };
        assert!(validate(&p).is_ok());
        let selfloop = one(Module::new("d", "delay").with("in", Input::cable("d.wet")));
        assert!(validate(&selfloop).is_ok());
    }

    #[test]
    fn keys_and_outputs() {
        let mut m = Module::new("k", "keyframes");
        m.keys.push(Key {
            time: 0.0,
            value: 1.0,
            easing: "wobbly".into(),
        });
        let e = err(&one(m));
        assert_eq!(e.field.as_deref(), Some("keys[0]"));
        let p = Patch {
            modules: vec![],
            outputs: vec![],
        };
        assert_eq!(err(&p).module, "outputs");
        let spanned = Module {
            span: Some((3, 9)),
            ..Module::new("q", "nope")
        };
        assert_eq!(err(&one(spanned)).span, Some((3, 9)));
    }
}
