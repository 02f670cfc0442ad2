//! Registry table (transform): see the module docs in registry/mod.rs for the conventions.

use super::Builtin;

/// The transform table.
pub const BUILTINS: &[Builtin] = &[];
