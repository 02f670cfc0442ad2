//! Runtime values of the evaluator and Tidal's pattern types.
//!
//! Tidal leans on Haskell's type inference: a string literal is a pattern of whatever
//! type its context needs (`OverloadedStrings`), and most functions are polymorphic
//! (`fast :: Pattern Time -> Pattern a -> Pattern a`). tactus evaluates dynamically and
//! *defers* the choice: a value whose pattern type is not yet known is a [`PatVal::Poly`],
//! a function from the type eventually required to the concrete pattern. Consumers that
//! know their type (`s`, `n`, `+` against a typed pattern, the top level) instantiate it.

use std::fmt;
use std::sync::Arc;

use tactus_pattern::{Pattern, Time, Value};

use crate::ast::Span;
use crate::eval::EvalError;

/// The element type of a pattern, as Tidal's types name them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Ty {
    /// `Pattern String`
    Str,
    /// `Pattern Double`
    Float,
    /// `Pattern Int`
    Int,
    /// `Pattern Note`
    Note,
    /// `Pattern Time` / `Pattern Rational`
    Rational,
    /// `Pattern Bool`
    Bool,
    /// `ControlPattern` (`Pattern ValueMap`)
    Control,
}

impl Ty {
    /// Parses the names used by `--type` and in signatures.
    pub fn from_name(s: &str) -> Option<Ty> {
        Some(match s {
            "string" | "String" => Ty::Str,
            "double" | "Double" | "float" => Ty::Float,
            "int" | "Int" | "Integer" => Ty::Int,
            "note" | "Note" => Ty::Note,
            "rational" | "Rational" | "Time" => Ty::Rational,
            "bool" | "Bool" => Ty::Bool,
            "control" | "ControlPattern" | "ValueMap" | "ControlMap" => Ty::Control,
            _ => return None,
        })
    }

    /// True for the numeric types.
    pub fn is_numeric(self) -> bool {
        matches!(self, Ty::Float | Ty::Int | Ty::Note | Ty::Rational)
    }

    /// Converts a value of another type to this type where Tidal would accept the literal.
    pub fn convert(self, v: &Value) -> Value {
        match (self, v) {
            (Ty::Float, _) => v.as_f64().map(Value::Float).unwrap_or_else(|| v.clone()),
            (Ty::Note, _) => v.as_f64().map(Value::Note).unwrap_or_else(|| v.clone()),
            (Ty::Int, Value::Int(_)) => v.clone(),
            (Ty::Int, _) => v
                .as_f64()
                .map(|x| Value::Int(x.floor() as i64))
                .unwrap_or_else(|| v.clone()),
            (Ty::Rational, Value::Rational(_)) => v.clone(),
            (Ty::Rational, Value::Int(i)) => Value::Rational(Time::int(*i)),
            (Ty::Rational, _) => v
                .as_f64()
                .map(|x| Value::Rational(Time::from_f64(x)))
                .unwrap_or_else(|| v.clone()),
            _ => v.clone(),
        }
    }

    /// The value a numeric literal denotes at this type.
    pub fn from_number(self, n: &Number) -> Option<Value> {
        Some(match self {
            Ty::Float => Value::Float(n.float),
            Ty::Note => Value::Note(n.float),
            Ty::Int => {
                if !n.integer {
                    return None;
                }
                Value::Int(n.float as i64)
            }
            Ty::Rational => Value::Rational(n.exact.unwrap_or_else(|| Time::from_f64(n.float))),
            Ty::Control => {
                // Tidal: `fromInteger i = n i`, `fromRational r = speed r`.
                let m = if n.integer {
                    tactus_pattern::ValueMap::singleton("n", Value::Note(n.float))
                } else {
                    tactus_pattern::ValueMap::singleton("speed", Value::Float(n.float))
                };
                Value::Map(m)
            }
            Ty::Str | Ty::Bool => return None,
        })
    }
}

impl fmt::Display for Ty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Ty::Str => "Pattern String",
            Ty::Float => "Pattern Double",
            Ty::Int => "Pattern Int",
            Ty::Note => "Pattern Note",
            Ty::Rational => "Pattern Time",
            Ty::Bool => "Pattern Bool",
            Ty::Control => "ControlPattern",
        })
    }
}

/// A constant number from the source, exact where it was written exactly.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Number {
    /// Exact rational value if known (decimal literals are exact, as in Haskell).
    pub exact: Option<Time>,
    /// The value as a float.
    pub float: f64,
    /// True when the number is an integer literal (or integer arithmetic of them).
    pub integer: bool,
}

impl Number {
    /// An integer.
    pub fn int(i: i64) -> Number {
        Number {
            exact: Some(Time::int(i)),
            float: i as f64,
            integer: true,
        }
    }

    /// A float with no exact form.
    pub fn float(x: f64) -> Number {
        Number {
            exact: None,
            float: x,
            integer: false,
        }
    }

    /// An exact rational (not an integer literal).
    pub fn rational(t: Time) -> Number {
        Number {
            exact: Some(t),
            float: t.to_f64(),
            integer: false,
        }
    }

    /// The value as exact time.
    pub fn time(&self) -> Time {
        self.exact.unwrap_or_else(|| Time::from_f64(self.float))
    }
}

/// A pattern whose element type is known, or not yet.
#[derive(Clone)]
pub enum PatVal {
    /// A pattern of a known type.
    Typed(Ty, Pattern<Value>),
    /// A pattern whose type is decided by its consumer.
    Poly(PolyFn),
}

/// The deferred constructor of a [`PatVal::Poly`].
pub type PolyFn = Arc<dyn Fn(Ty) -> Result<Pattern<Value>, EvalError> + Send + Sync>;

/// A function value (built-in, partially applied, lambda, composition or section).
#[derive(Clone)]
pub struct Func {
    /// A name for messages (`fast`, `(# speed 2)`, `\x -> ...`).
    pub name: Arc<str>,
    /// How many more arguments it takes before it runs.
    pub remaining: usize,
    /// Arguments collected so far.
    pub args: Vec<(Val, Span)>,
    /// Runs with all arguments.
    pub run: FuncImpl,
}

/// The body of a function value: receives all its arguments and the call's span.
pub type FuncImpl = Arc<dyn Fn(Vec<(Val, Span)>, Span) -> Result<Val, EvalError> + Send + Sync>;

/// A statement's effect on the running program.
#[derive(Clone)]
pub enum Action {
    /// `d1 $ pat` / `p "name" $ pat`.
    Play(Arc<str>, Pattern<Value>),
    /// `setcps x`.
    SetCps(f64),
    /// `hush`.
    Hush,
    /// `solo id`.
    Solo(Arc<str>),
    /// `unsolo id`.
    Unsolo(Arc<str>),
    /// `mute id`.
    Mute(Arc<str>),
    /// `unmute id`.
    Unmute(Arc<str>),
    /// `unmuteAll` / `unsoloAll`.
    UnmuteAll,
    /// `once $ pat`: play the first cycle once, now.
    Once(Pattern<Value>),
    /// `drone "name" $ signal`: a patch that plays continuously.
    Drone(Arc<str>, Box<crate::synthesis::SynthPatch>),
    /// `bus "name" $ signal`: a named signal computed once per block, read by `busin`.
    Bus(Arc<str>, Box<crate::synthesis::SynthPatch>),
    /// `fx 1 $ signal`: the effect chain of a channel, reading its voices as `input`.
    Fx(Arc<str>, Box<crate::synthesis::SynthPatch>),
    /// `instrument "name" $ signal`: a sound that events play polyphonically.
    Instrument(Arc<str>, Box<crate::synthesis::InstrumentDef>),
}

/// A value during evaluation.
#[derive(Clone)]
pub enum Val {
    /// A constant number.
    Num(Number),
    /// A string literal: mini-notation whose type comes from context.
    Str {
        /// The text.
        text: Arc<str>,
        /// Byte offset of the contents in the source.
        base: usize,
    },
    /// A pattern.
    Pat(PatVal),
    /// A function.
    Func(Func),
    /// A list.
    List(Arc<Vec<(Val, Span)>>),
    /// A tuple.
    Tuple(Arc<Vec<(Val, Span)>>),
    /// A program action (statement heads such as `d1 $ ...`).
    Action(Action),
    /// An audio signal (a synthesis expression, see [`crate::synthesis`]).
    Signal(crate::synthesis::Sig),
}

impl Val {
    /// A short description for error messages.
    pub fn describe(&self) -> String {
        match self {
            Val::Num(_) => "a number".into(),
            Val::Str { .. } => "a string".into(),
            Val::Pat(PatVal::Typed(t, _)) => format!("a {t}"),
            Val::Pat(PatVal::Poly(_)) => "a pattern".into(),
            Val::Func(f) => format!(
                "the function `{}` (missing {} argument(s)?)",
                f.name, f.remaining
            ),
            Val::List(_) => "a list".into(),
            Val::Tuple(_) => "a tuple".into(),
            Val::Action(_) => "a statement (like `d1 $ ...`)".into(),
            Val::Signal(_) => "an audio signal".into(),
        }
    }

    /// The pattern type if it is already known.
    pub fn known_type(&self) -> Option<Ty> {
        match self {
            Val::Pat(PatVal::Typed(t, _)) => Some(*t),
            _ => None,
        }
    }
}
