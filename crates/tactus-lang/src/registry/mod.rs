//! The function registry: every built-in name with its Haskell-style signature, a doc line,
//! a runnable example, and its implementation.
//!
//! Tables live in one file per area (`structure`, `controls`, `operators`, `statements`,
//! ...). `tests/registry_examples.rs` evaluates every example, so the documentation cannot
//! drift from the code.

mod chance;
mod controls;
mod operators;
mod signals;
mod statements;
mod structure;
mod synthesis;
mod transform;

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::eval::call::Call;
use crate::eval::sig::{parse_signature, Signature};
use crate::eval::types::{Ty, Val};
use crate::eval::EvalError;

/// How a built-in runs.
#[derive(Clone, Copy)]
pub enum Imp {
    /// A Rust function over the call's arguments.
    Fn(fn(&Call) -> Result<Val, EvalError>),
    /// A control parameter: `speed "1 2"` -> `{speed: 1}`, `{speed: 2}`.
    Param {
        /// The control name in the map.
        control: &'static str,
        /// The value type.
        ty: Ty,
    },
}

/// One built-in function, operator or constant.
#[derive(Clone, Copy)]
pub struct Builtin {
    /// The name as written in code (`fast`, `|+|`, `every'`).
    pub name: &'static str,
    /// Haskell-style signature.
    pub sig: &'static str,
    /// One-line description.
    pub doc: &'static str,
    /// A runnable example (evaluated by a test).
    pub example: &'static str,
    /// The implementation.
    pub imp: Imp,
}

impl Builtin {
    /// A function built-in.
    pub const fn f(
        name: &'static str,
        sig: &'static str,
        doc: &'static str,
        example: &'static str,
        f: fn(&Call) -> Result<Val, EvalError>,
    ) -> Builtin {
        Builtin {
            name,
            sig,
            doc,
            example,
            imp: Imp::Fn(f),
        }
    }

    /// The parsed signature (parsed once).
    pub fn signature(&'static self) -> &'static Signature {
        let r = registry();
        let i = r.index[self.name];
        &r.sigs[i]
    }

    /// Runs the built-in.
    pub fn run(&self, c: &Call) -> Result<Val, EvalError> {
        match self.imp {
            Imp::Fn(f) => f(c),
            Imp::Param { control, ty } => controls::param(c, control, ty),
        }
    }
}

struct Registry {
    all: Vec<&'static Builtin>,
    index: HashMap<&'static str, usize>,
    sigs: Vec<Signature>,
}

fn registry() -> &'static Registry {
    static R: OnceLock<Registry> = OnceLock::new();
    R.get_or_init(|| {
        let mut all: Vec<&'static Builtin> = Vec::new();
        for table in [
            structure::BUILTINS,
            transform::BUILTINS,
            chance::BUILTINS,
            signals::BUILTINS,
            operators::BUILTINS,
            statements::BUILTINS,
            synthesis::BUILTINS,
            controls::special(),
        ] {
            all.extend(table.iter());
        }
        all.extend(controls::params().iter());
        let mut index = HashMap::new();
        let mut sigs = Vec::new();
        let mut kept = Vec::new();
        for b in all {
            if index.contains_key(b.name) {
                continue; // first definition wins
            }
            index.insert(b.name, kept.len());
            sigs.push(parse_signature(b.sig));
            kept.push(b);
        }
        Registry {
            all: kept,
            index,
            sigs,
        }
    })
}

/// Looks a built-in up by name.
pub fn lookup(name: &str) -> Option<&'static Builtin> {
    let r = registry();
    r.index.get(name).map(|&i| r.all[i])
}

/// Every built-in name.
pub fn names() -> impl Iterator<Item = &'static str> {
    registry().all.iter().map(|b| b.name)
}

/// The built-ins by area, in registry order, for reference documentation: (area title,
/// built-ins). A name defined in two tables appears under the first, as lookup resolves it.
pub fn areas() -> Vec<(&'static str, Vec<&'static Builtin>)> {
    let tables: [(&'static str, &'static [Builtin]); 9] = [
        ("Structure and time", structure::BUILTINS),
        ("Transformations", transform::BUILTINS),
        ("Randomness and chance", chance::BUILTINS),
        ("Continuous signals", signals::BUILTINS),
        ("Operators", operators::BUILTINS),
        ("Statements", statements::BUILTINS),
        ("Synthesis", synthesis::BUILTINS),
        ("Special controls", controls::special()),
        ("Control parameters", controls::params()),
    ];
    let mut seen = std::collections::HashSet::new();
    tables
        .into_iter()
        .map(|(title, table)| {
            let kept = table.iter().filter(|b| seen.insert(b.name)).collect();
            (title, kept)
        })
        .collect()
}

/// Every built-in.
pub fn all() -> impl Iterator<Item = &'static Builtin> {
    registry().all.iter().copied()
}
