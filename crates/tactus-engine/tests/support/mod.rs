//! Helpers shared by the engine's integration tests.

use tactus_lang::program::{eval_file, Program};

/// Evaluates a file's text, failing the test on any diagnostic.
pub fn program(src: &str) -> Program {
    let (p, d) = eval_file(src);
    assert!(
        d.is_empty(),
        "{:?}",
        d.iter().map(|d| &d.message).collect::<Vec<_>>()
    );
    p
}
