//! Whole files: statements evaluated in order into a [`Program`] the engine plays.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use tactus_pattern::{Pattern, Value};

use crate::ast::{Span, StatementKind};
use crate::diagnostic::Diagnostic;
use crate::eval::types::{Action, Ty, Val};
use crate::eval::{self, coerce, Env, EvalError};
use crate::synthesis::{InstrumentDef, SynthPatch};

/// What a file asks the engine to play.
#[derive(Clone, Default)]
pub struct Program {
    /// Tempo set by the file (`setcps`), if any.
    pub cps: Option<f64>,
    /// Channel id (`"1"` for `d1`, or a `p "name"`) to its control pattern.
    pub channels: BTreeMap<Arc<str>, Pattern<Value>>,
    /// Soloed channels (if any, only these play).
    pub solo: BTreeSet<Arc<str>>,
    /// Muted channels.
    pub muted: BTreeSet<Arc<str>>,
    /// Patterns to play once (`once $ ...`).
    pub once: Vec<Pattern<Value>>,
    /// Continuous patches by name (`drone "name" $ ...`).
    pub drones: BTreeMap<Arc<str>, SynthPatch>,
    /// Named buses by name (`bus "name" $ ...`): signals computed once per block that any
    /// drone reads with `busin "name"`.
    pub buses: BTreeMap<Arc<str>, SynthPatch>,
    /// Effect chains by channel id (`fx 1 $ verb 0.8 0.3 input`): the channel's voices,
    /// as the stereo signal `input`, go through the patch instead of an orbit.
    pub fx: BTreeMap<Arc<str>, SynthPatch>,
    /// Instruments by name (`instrument "name" $ ...`), played by `s "name"`; a name here
    /// shadows a sample folder or built-in sound of the same name.
    pub instruments: BTreeMap<Arc<str>, InstrumentDef>,
}

impl Program {
    /// The channels that should sound, after solo and mute.
    pub fn audible(&self) -> impl Iterator<Item = (&Arc<str>, &Pattern<Value>)> {
        self.channels.iter().filter(move |(id, _)| {
            !self.muted.contains(*id) && (self.solo.is_empty() || self.solo.contains(*id))
        })
    }

    fn apply(&mut self, a: Action) {
        match a {
            Action::Play(id, p) => {
                self.channels.insert(id, p);
            }
            Action::SetCps(c) => self.cps = Some(c),
            Action::Hush => {
                self.channels.clear();
                self.drones.clear();
                self.buses.clear();
                self.fx.clear();
            }
            Action::Solo(id) => {
                self.solo.insert(id);
            }
            Action::Unsolo(id) => {
                self.solo.remove(&id);
            }
            Action::Mute(id) => {
                self.muted.insert(id);
            }
            Action::Unmute(id) => {
                self.muted.remove(&id);
            }
            Action::UnmuteAll => {
                self.muted.clear();
                self.solo.clear();
            }
            Action::Once(p) => self.once.push(p),
            Action::Drone(name, patch) => {
                self.drones.insert(name, *patch);
            }
            Action::Bus(name, patch) => {
                self.buses.insert(name, *patch);
            }
            Action::Fx(channel, patch) => {
                self.fx.insert(channel, *patch);
            }
            Action::Instrument(name, def) => {
                self.instruments.insert(name, *def);
            }
        }
    }
}

impl From<EvalError> for Diagnostic {
    fn from(e: EvalError) -> Diagnostic {
        let mut d = Diagnostic::error(e.message, e.span);
        d.notes = e.notes;
        d.suggestion = e.suggestion;
        d
    }
}

/// Parses and evaluates a file. Every bad statement gives a diagnostic and the rest of the
/// file still evaluates; the program holds what evaluated cleanly.
pub fn eval_file(src: &str) -> (Program, Vec<Diagnostic>) {
    let (file, mut diags) = crate::parser::parse_file(src);
    let mut env = Env::root();
    let mut prog = Program::default();
    for st in &file.statements {
        match &st.kind {
            StatementKind::Let(bs) => match eval::bind_all(bs, &env) {
                Ok(e) => env = e,
                Err(e) => diags.push(e.into()),
            },
            StatementKind::Expr(e) => match eval::eval(e, &env).and_then(|v| action_of(v, st.span))
            {
                Ok(Action::Drone(name, mut patch)) => {
                    patch.fill_texts(src);
                    prog.apply(Action::Drone(name, patch));
                }
                Ok(Action::Bus(name, mut patch)) => {
                    patch.fill_texts(src);
                    prog.apply(Action::Bus(name, patch));
                }
                Ok(Action::Fx(channel, mut patch)) => {
                    patch.fill_texts(src);
                    prog.apply(Action::Fx(channel, patch));
                }
                Ok(Action::Instrument(name, def)) => {
                    diags.extend(control_warnings(&def));
                    prog.apply(Action::Instrument(name, def));
                }
                Ok(a) => prog.apply(a),
                Err(e) => diags.push(e.into()),
            },
        }
    }
    diags.sort_by_key(|d| d.span.start);
    (prog, diags)
}

/// Warnings for controls an event cannot set by their own name (not one of Tidal's
/// controls): they still work through `pF "name"`, but are often typos.
fn control_warnings(def: &InstrumentDef) -> Vec<Diagnostic> {
    let is_control = |n: &str| {
        crate::registry::lookup(n)
            .is_some_and(|b| matches!(b.imp, crate::registry::Imp::Param { .. }))
    };
    let controls = crate::registry::names().filter(|n| is_control(n));
    let controls: Vec<&str> = controls.collect();
    def.controls
        .iter()
        .filter(|(name, ..)| !is_control(name))
        .map(|(name, _, span)| {
            let mut d = Diagnostic::warning(
                format!(
                    "`{name}` is not one of Tidal's controls: events set it with `pF \"{name}\"`"
                ),
                *span,
            );
            d.suggestion = crate::diagnostic::nearest_name(name, controls.iter().copied())
                .map(|s| format!("\"{s}\""));
            d
        })
        .collect()
}

fn action_of(v: Val, span: Span) -> Result<Action, EvalError> {
    match v {
        Val::Action(a) => Ok(a),
        other => Err(EvalError::new(
            format!(
                "this statement evaluates to {} and does nothing on its own",
                other.describe()
            ),
            span,
        )
        .note("to play a pattern, send it to a channel: `d1 $ ...`")),
    }
}

/// Parses and evaluates one expression as a pattern of the given type (used by
/// `tactus query`).
pub fn eval_pattern(src: &str, ty: Ty) -> Result<Pattern<Value>, Diagnostic> {
    let expr = crate::parser::parse_expr(src)?;
    let env = Env::child(&Env::root(), HashMap::new());
    let v = eval::eval(&expr, &env).map_err(Diagnostic::from)?;
    coerce::to_pat(&v, ty, expr.span).map_err(Diagnostic::from)
}
