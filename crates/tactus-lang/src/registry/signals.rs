//! Registry table (signals): see the module docs in registry/mod.rs for the conventions.

use super::Builtin;

/// The signals table.
pub const BUILTINS: &[Builtin] = &[];
