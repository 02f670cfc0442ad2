//! Signal expressions in the language and their lowering to a patch
//! ([`tactus_dsp::graph::Patch`]).
//!
//! A [`Sig`] is a value of the evaluator ([`crate::eval::types::Val::Signal`]): a constant,
//! a numeric pattern played at audio rate, the cycle clock, or one output port of a module
//! whose parameters are themselves signals. Built-in functions
//! (`registry/synthesis.rs`) build them; `+`, `-` and `*` combine them; `drone "name" $ sig`
//! lowers the expression to a validated patch. A module used twice (through `let`) is one
//! module in the patch.
//!
//! `instrument "name" $ sig` lowers the same way to an [`InstrumentDef`], whose per-voice
//! parameters (`freq`, `gate`, `ctl "name" default`, [`Sig::Control`]) become
//! [`Input::Control`]s that each voice fills. An instrument is played by many voices at
//! once on the audio side, so it cannot read patterns or the cycle clock (those are fed from
//! the control side, once per patch); a drone, which has no voice, cannot read per-voice
//! parameters. Both are errors with the span of the offending expression.

use std::collections::HashMap;
use std::sync::Arc;

use tactus_dsp::graph::{self, Input, Key, Module, Patch};
use tactus_pattern::{NumOp, Pattern, Value};

use crate::ast::Span;
use crate::eval::coerce;
use crate::eval::types::{Ty, Val};
use crate::eval::EvalError;

/// A signal: the value of a synthesis expression.
#[derive(Clone)]
pub enum Sig {
    /// A constant.
    Const(f64),
    /// A numeric pattern, played at audio rate (stepped at event boundaries, continuous
    /// patterns sampled finely), with the span of the expression that made it and, for a
    /// string literal, its text.
    Pattern(Pattern<Value>, Span, Option<Arc<str>>),
    /// The cycle position modulo a period (in cycles).
    Cycle(f64),
    /// Output `port` of a module.
    Out(Arc<SigNode>, &'static str),
    /// A named bus (`busin "lfo"`).
    Bus(Arc<str>),
    /// Two channels (left, right), each mono.
    Stereo(Arc<(Sig, Sig)>),
    /// A per-voice parameter of an instrument (`freq`, `gate`, `ctl "name" default`).
    Control(Arc<str>, f64, Span),
}

/// One module in a signal expression.
pub struct SigNode {
    /// Module type (a unit name or `add`, `mul`, `notefreq`).
    pub kind: &'static str,
    /// Parameters and inputs.
    pub params: Vec<(&'static str, Sig)>,
    /// Keyframes, for `keyframes`.
    pub keys: Vec<Key>,
    /// The call that made it.
    pub span: Span,
}

impl Sig {
    /// The left and right channels (a mono signal is both).
    pub fn channels(&self) -> (Sig, Sig) {
        match self {
            Sig::Stereo(lr) => (lr.0.clone(), lr.1.clone()),
            mono => (mono.clone(), mono.clone()),
        }
    }

    /// True for a two-channel signal.
    pub fn is_stereo(&self) -> bool {
        matches!(self, Sig::Stereo(_))
    }

    /// Two channels.
    pub fn stereo(l: Sig, r: Sig) -> Sig {
        Sig::Stereo(Arc::new((l, r)))
    }

    /// Applies `f` to each channel of a stereo signal (once to a mono one).
    pub fn map_channels(&self, mut f: impl FnMut(Sig) -> Sig) -> Sig {
        match self {
            Sig::Stereo(lr) => Sig::stereo(f(lr.0.clone()), f(lr.1.clone())),
            mono => f(mono.clone()),
        }
    }

    /// A module's output.
    pub fn node(
        kind: &'static str,
        port: &'static str,
        params: Vec<(&'static str, Sig)>,
        span: Span,
    ) -> Sig {
        Sig::Out(
            Arc::new(SigNode {
                kind,
                params,
                keys: Vec::new(),
                span,
            }),
            port,
        )
    }
}

/// A patch from the language, with the evaluated patterns of its pattern sources in the
/// order of [`Patch::pattern_sources`].
#[derive(Clone)]
pub struct SynthPatch {
    /// The patch (pattern sources hold their source text once the file fills them in).
    pub patch: Patch,
    /// One pattern per pattern source.
    pub patterns: Vec<Pattern<Value>>,
    /// The span of each pattern source's expression.
    pub spans: Vec<Span>,
}

impl SynthPatch {
    /// Replaces the pattern sources' placeholder texts with their source text.
    pub fn fill_texts(&mut self, src: &str) {
        let mut k = 0;
        let spans = &self.spans;
        let mut fix = |input: &mut Input| {
            if let Input::Pattern(t) = input {
                if t.starts_with('#') {
                    if let Some(s) = spans.get(k).and_then(|s| src.get(s.start..s.end)) {
                        *t = s.to_string();
                    }
                }
                k += 1;
            }
        };
        for m in self.patch.modules.iter_mut() {
            m.params.values_mut().for_each(&mut fix);
        }
        self.patch.outputs.iter_mut().for_each(&mut fix);
    }
}

/// The bus names that carry a channel's voices (left, right) into its effect chain: what
/// `input` reads. `bus` refuses names starting with `~`, so no bus can shadow them.
pub const FX_INPUT: [&str; 2] = ["~input.l", "~input.r"];

impl SynthPatch {
    /// True when the patch reads a channel's voices (`input`), anywhere.
    pub fn reads_input(&self) -> bool {
        patch_reads_input(&self.patch)
    }
}

/// The per-voice parameters written as bare names, with their defaults: `freq` (Hz) and
/// `gate` (1 while the note lasts). Tidal's controls of the same names are functions, so
/// the bare name (a control with no argument) in a signal position means the parameter.
pub const VOICE_PARAMS: &[(&str, f64)] = &[("freq", 261.625_58), ("gate", 0.0)];

/// Converts an argument to a signal: numbers become constants, strings and patterns
/// become pattern sources of type `ty` (Double, or Note for note names), the bare names
/// `freq` and `gate` per-voice parameters.
pub fn to_sig(v: &Val, ty: Ty, span: Span) -> Result<Sig, EvalError> {
    match v {
        Val::Signal(s) => Ok(s.clone()),
        Val::Func(f) if is_signal(v) => {
            let default = VOICE_PARAMS
                .iter()
                .find(|(n, _)| **n == *f.name)
                .map_or(0.0, |(_, d)| *d);
            Ok(Sig::Control(f.name.clone(), default, span))
        }
        Val::Num(n) => Ok(Sig::Const(n.float)),
        Val::Str { .. } | Val::Pat(_) => {
            let p = coerce::to_pat(v, ty, span)?;
            let text = match v {
                Val::Str { text, .. } => Some(format!("\"{text}\"").into()),
                _ => None,
            };
            Ok(Sig::Pattern(p.fmap(|x| Value::Float(x.as_f64().unwrap_or(0.0))), span, text))
        }
        other => Err(EvalError::new(
            format!("expected a signal (a number, a numeric pattern or a synthesis expression), found {}", other.describe()),
            span,
        )),
    }
}

/// True when the value is a signal (or a bare `freq` / `gate`, see [`VOICE_PARAMS`]).
pub fn is_signal(v: &Val) -> bool {
    match v {
        Val::Signal(_) => true,
        Val::Func(f) => f.args.is_empty() && VOICE_PARAMS.iter().any(|(n, _)| **n == *f.name),
        _ => false,
    }
}

/// `a op b` where one side is a signal.
pub fn arith(op: NumOp, a: (Val, Span), b: (Val, Span), span: Span) -> Result<Val, EvalError> {
    let x = to_sig(&a.0, Ty::Float, a.1)?;
    let y = to_sig(&b.0, Ty::Float, b.1)?;
    if x.is_stereo() || y.is_stereo() {
        let ((xl, xr), (yl, yr)) = (x.channels(), y.channels());
        let l = arith_mono(op, xl, yl, b.1, span)?;
        let r = arith_mono(op, xr, yr, b.1, span)?;
        return Ok(Val::Signal(Sig::stereo(l, r)));
    }
    arith_mono(op, x, y, b.1, span).map(Val::Signal)
}

fn arith_mono(op: NumOp, x: Sig, y: Sig, y_span: Span, span: Span) -> Result<Sig, EvalError> {
    let node = |kind, x, y| Sig::node(kind, "out", vec![("a", x), ("b", y)], span);
    let s = match op {
        NumOp::Add => node("add", x, y),
        NumOp::Mul => node("mul", x, y),
        NumOp::Sub => node("add", x, node("mul", y, Sig::Const(-1.0))),
        NumOp::Div => match y {
            Sig::Const(c) if c != 0.0 => node("mul", x, Sig::Const(1.0 / c)),
            _ => {
                return Err(EvalError::new(
                    "a signal can only be divided by a non-zero constant",
                    y_span,
                )
                .note("multiply by a signal instead, e.g. `x * 0.5`"))
            }
        },
        _ => {
            return Err(EvalError::new(
                "signals support only +, -, * and / by a constant",
                span,
            ))
        }
    };
    Ok(s)
}

/// True when `patch` reads a channel's `input` (the reserved bus pair [`FX_INPUT`]).
pub fn patch_reads_input(patch: &Patch) -> bool {
    let is_input = |i: &Input| matches!(i, Input::Bus(b) if FX_INPUT.contains(&b.as_str()));
    patch.outputs.iter().any(is_input)
        || patch
            .modules
            .iter()
            .any(|m| m.params.values().any(is_input))
}

/// An instrument from the language: its patch (no pattern sources; per-voice parameters
/// are [`Input::Control`]s) and the named controls it declares, with their spans.
#[derive(Clone, Debug)]
pub struct InstrumentDef {
    /// The validated patch.
    pub patch: Patch,
    /// Named controls (`ctl "name" default`) in patch order: name, default, span.
    pub controls: Vec<(String, f64, Span)>,
    /// The span of the signal expression.
    pub span: Span,
}

impl InstrumentDef {
    /// True when the two definitions make the same sound (spans aside): a reload that keeps
    /// every instrument unchanged need not rebuild them.
    pub fn same_sound(&self, other: &InstrumentDef) -> bool {
        let strip = |p: &Patch| {
            let mut p = p.clone();
            p.modules.iter_mut().for_each(|m| m.span = None);
            p
        };
        strip(&self.patch) == strip(&other.patch)
    }
}

/// Lowers an instrument's signal to a validated patch (see [`lower`] for module ids).
/// Patterns and the cycle clock are errors at their span (an instrument's voices run on
/// the audio side); more than [`tactus_dsp::voice::graph::MAX_CONTROLS`] controls is an
/// error at the last one.
pub fn lower_instrument(out: &Sig, span: Span) -> Result<InstrumentDef, EvalError> {
    let mut l = Lowering {
        instrument: true,
        ..Lowering::default()
    };
    let outputs = l.outputs(out, span)?;
    let patch = Patch {
        modules: l.modules,
        outputs,
    };
    let max = tactus_dsp::voice::graph::MAX_CONTROLS;
    if let Some((name, _, at)) = l.controls.get(max) {
        return Err(EvalError::new(
            format!("too many controls: an instrument has at most {max} besides freq and gate (`{name}` is one more)"),
            *at,
        ));
    }
    if let Err(errs) = graph::validate(&patch) {
        let e = &errs[0];
        let at = e.span.map(|(a, b)| Span::new(a, b)).unwrap_or(span);
        return Err(EvalError::new(e.to_string(), at));
    }
    Ok(InstrumentDef {
        patch,
        controls: l.controls,
        span,
    })
}

/// Lowers a signal to a validated patch with one (mono) or two (stereo) outputs. Module
/// ids are the type and a counter (`saw1`, `ladder2`), numbered in order of first use, so
/// an edit that keeps the structure keeps the ids (and so the state of unchanged modules).
pub fn lower(out: &Sig, span: Span) -> Result<SynthPatch, EvalError> {
    let mut l = Lowering::default();
    let outputs = l.outputs(out, span)?;
    let mut sp = SynthPatch {
        patch: Patch {
            modules: l.modules,
            outputs,
        },
        patterns: Vec::new(),
        spans: Vec::new(),
    };
    // Patterns in `pattern_sources` order: modules in order, params by name, then outputs.
    // String literals get their text now; other expressions when the file fills them in.
    let mut take = |input: &mut Input| {
        if let Input::Pattern(t) = input {
            let i: usize = t.trim_start_matches('#').parse().unwrap_or(0);
            let (p, s, text) = &l.patterns[i];
            sp.patterns.push(p.clone());
            sp.spans.push(*s);
            if let Some(text) = text {
                *t = text.to_string();
            }
        }
    };
    for m in sp.patch.modules.iter_mut() {
        m.params.values_mut().for_each(&mut take);
    }
    sp.patch.outputs.iter_mut().for_each(&mut take);
    if let Err(errs) = graph::validate(&sp.patch) {
        let e = &errs[0];
        let at = e.span.map(|(a, b)| Span::new(a, b)).unwrap_or(span);
        return Err(EvalError::new(e.to_string(), at));
    }
    Ok(sp)
}

#[derive(Default)]
struct Lowering {
    /// Lowering an instrument (per-voice parameters allowed, patterns not).
    instrument: bool,
    /// Named controls of an instrument, in first use.
    controls: Vec<(String, f64, Span)>,
    modules: Vec<Module>,
    ids: HashMap<*const SigNode, String>,
    counters: HashMap<&'static str, usize>,
    patterns: Vec<(Pattern<Value>, Span, Option<Arc<str>>)>,
}

impl Lowering {
    /// The patch outputs of a signal: one (mono) or two (stereo).
    fn outputs(&mut self, out: &Sig, at: Span) -> Result<Vec<Input>, EvalError> {
        Ok(match out {
            Sig::Stereo(lr) => vec![self.input(&lr.0, at)?, self.input(&lr.1, at)?],
            mono => vec![self.input(mono, at)?],
        })
    }

    /// The input for a signal; `at` is the span of the expression that uses it.
    fn input(&mut self, s: &Sig, at: Span) -> Result<Input, EvalError> {
        Ok(match s {
            Sig::Const(x) => Input::Const(*x),
            Sig::Cycle(_) | Sig::Pattern(..) if self.instrument => {
                let span = match s {
                    Sig::Pattern(_, span, _) => *span,
                    _ => at,
                };
                return Err(EvalError::new(
                    "an instrument cannot read patterns or the cycle clock: its voices run on the audio side",
                    span,
                )
                .note("declare a control (`ctl \"name\" default`) and set it from the pattern that plays the instrument: `s \"name\" # pF \"name\" \"<1 2>\"`, or run the signal on a bus (`bus \"lfo\" $ slow 4 sine`) and read it with `busin \"lfo\"`"));
            }
            Sig::Cycle(p) => Input::Cycle(*p),
            Sig::Pattern(p, span, text) => {
                self.patterns.push((p.clone(), *span, text.clone()));
                Input::Pattern(format!("#{}", self.patterns.len() - 1))
            }
            Sig::Control(name, _, span) if !self.instrument => {
                return Err(EvalError::new(
                    format!("`{name}` is a per-voice parameter: only an `instrument` has voices"),
                    *span,
                )
                .note("in a drone, use a number or a pattern instead (e.g. `notefreq \"c e g\"` for a pitch)"));
            }
            Sig::Control(name, default, span) => {
                let is_voice = VOICE_PARAMS.iter().any(|(n, _)| **n == **name);
                if !is_voice && !self.controls.iter().any(|(n, ..)| **n == **name) {
                    self.controls.push((name.to_string(), *default, *span));
                }
                Input::Control {
                    name: name.to_string(),
                    default: *default,
                }
            }
            Sig::Out(node, port) => {
                let id = self.module(node)?;
                Input::Cable {
                    module: id,
                    port: port.to_string(),
                }
            }
            Sig::Bus(name) => Input::Bus(name.to_string()),
            // parameters are mono (the builtins check it); the left channel otherwise
            Sig::Stereo(lr) => self.input(&lr.0, at)?,
        })
    }

    fn module(&mut self, node: &Arc<SigNode>) -> Result<String, EvalError> {
        let key = Arc::as_ptr(node);
        if let Some(id) = self.ids.get(&key) {
            return Ok(id.clone());
        }
        let n = self.counters.entry(node.kind).or_insert(0);
        *n += 1;
        let id = format!("{}{}", node.kind, n);
        self.ids.insert(key, id.clone());
        let mut m = Module::new(id.clone(), node.kind);
        m.keys = node.keys.clone();
        m.span = Some((node.span.start, node.span.end));
        for (name, s) in &node.params {
            let v = self.input(s, node.span)?;
            m.params.insert(name.to_string(), v);
        }
        self.modules.push(m);
        Ok(id)
    }
}

/// An instrument from its patch in JSON (as `tactus graph --json` prints it under
/// `"instruments"`): validated, with no pattern sources, cycle clock or `input`, and at most
/// [`tactus_dsp::voice::graph::MAX_CONTROLS`] controls besides `freq` and `gate`.
fn instrument_from_json(name: &str, pv: serde_json::Value) -> Result<InstrumentDef, String> {
    let what = format!("instrument \"{name}\"");
    let patch: Patch = serde_json::from_value(pv).map_err(|e| format!("{what}: {e}"))?;
    if let Err(errs) = graph::validate(&patch) {
        let msgs: Vec<String> = errs.iter().map(|e| format!("{what}: {e}")).collect();
        return Err(msgs.join("\n"));
    }
    if let Some((module, field, _)) = patch.pattern_sources().into_iter().next() {
        return Err(format!(
            "{what}: module `{module}`, field `{field}`: an instrument cannot read a pattern (use a control: {{\"control\": \"name\", \"default\": 0}})"
        ));
    }
    let uses_cycle = patch
        .modules
        .iter()
        .any(|m| m.params.values().any(|i| matches!(i, Input::Cycle(_))));
    if uses_cycle {
        return Err(format!("{what}: an instrument cannot read the cycle clock"));
    }
    if patch_reads_input(&patch) {
        return Err(format!(
            "{what}: `input` is a channel's sound: an instrument has none"
        ));
    }
    let controls: Vec<(String, f64, Span)> = patch
        .controls()
        .into_iter()
        .filter(|(n, _)| !VOICE_PARAMS.iter().any(|(v, _)| v == n))
        .map(|(n, d)| (n, d, Span::new(0, 0)))
        .collect();
    let max = tactus_dsp::voice::graph::MAX_CONTROLS;
    if controls.len() > max {
        return Err(format!(
            "{what}: too many controls: an instrument has at most {max} besides freq and gate"
        ));
    }
    Ok(InstrumentDef {
        patch,
        controls,
        span: Span::new(0, 0),
    })
}

/// Loads a JSON patch (one patch, or `{"drones": {"name": patch, ...}, "buses": {...},
/// "fx": {"1": patch}, "instruments": {...}}` as printed by `tactus graph --json`) into a
/// program: validates it and evaluates each pattern source's text as a `Pattern Double`.
/// Errors name the drone, module and field.
///
/// ```
/// let p = tactus_lang::synthesis::program_from_json(
///     r#"{"modules":[{"id":"o","type":"sine","params":{"freq":{"pattern":"\"220 330\""}}}],
///         "outputs":[{"cable":"o.out"}]}"#,
/// ).unwrap();
/// assert_eq!(p.drones.len(), 1);
/// ```
pub fn program_from_json(json: &str) -> Result<crate::program::Program, String> {
    let v: serde_json::Value =
        serde_json::from_str(json).map_err(|e| format!("invalid JSON: {e}"))?;
    // "bus", "drone" or "fx" (a channel's effect chain), the name, the patch
    let entries =
        |key: &str, what: &'static str| -> Vec<(&'static str, String, serde_json::Value)> {
            v.get(key)
                .and_then(|d| d.as_object())
                .map(|d| {
                    d.iter()
                        .map(|(k, v)| (what, k.clone(), v.clone()))
                        .collect()
                })
                .unwrap_or_default()
        };
    let patches: Vec<(&str, String, serde_json::Value)> =
        if ["drones", "buses", "fx", "instruments"]
            .iter()
            .any(|k| v.get(k).is_some())
        {
            let mut all = entries("buses", "bus");
            all.extend(entries("drones", "drone"));
            all.extend(entries("fx", "fx"));
            all
        } else {
            vec![("drone", "patch".to_string(), v.clone())]
        };
    let mut prog = crate::program::Program::default();
    if let Some(defs) = v.get("instruments").and_then(|d| d.as_object()) {
        for (name, pv) in defs {
            let def = instrument_from_json(name, pv.clone())?;
            prog.instruments.insert(name.as_str().into(), def);
        }
    }
    for (what, name, pv) in patches {
        let patch: Patch =
            serde_json::from_value(pv).map_err(|e| format!("{what} \"{name}\": {e}"))?;
        if let Err(errs) = graph::validate(&patch) {
            let msgs: Vec<String> = errs
                .iter()
                .map(|e| format!("{what} \"{name}\": {e}"))
                .collect();
            return Err(msgs.join("\n"));
        }
        let mut patterns = Vec::new();
        for (module, field, text) in patch.pattern_sources() {
            // Note names read as notes where a `notefreq` takes them (`"c4 e4"`).
            let is_note = patch.module(&module).is_some_and(|m| m.kind == "notefreq");
            let ty = if is_note { Ty::Note } else { Ty::Float };
            let p = crate::program::eval_pattern(&text, ty).map_err(|d| {
                format!(
                    "{what} \"{name}\": module `{module}`, field `{field}`: pattern {text:?}: {}",
                    d.message
                )
            })?;
            patterns.push(p.fmap(|x| Value::Float(x.as_f64().unwrap_or(0.0))));
        }
        let spans = vec![Span::new(0, 0); patterns.len()];
        let sp = SynthPatch {
            patch,
            patterns,
            spans,
        };
        match what {
            "bus" => prog.buses.insert(name.into(), sp),
            "fx" if !sp.reads_input() => {
                return Err(format!(
                    "fx \"{name}\": the chain does not read its input (`{{\"bus\": \"{}\"}}`)",
                    FX_INPUT[0]
                ))
            }
            "fx" => prog.fx.insert(name.into(), sp),
            _ => prog.drones.insert(name.into(), sp),
        };
    }
    Ok(prog)
}
