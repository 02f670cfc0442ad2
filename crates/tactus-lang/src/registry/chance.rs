//! Registry table (chance): see the module docs in registry/mod.rs for the conventions.

use super::Builtin;

/// The chance table.
pub const BUILTINS: &[Builtin] = &[];
