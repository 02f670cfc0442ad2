//! Every built-in's documented example evaluates and queries cleanly, and every built-in
//! has a signature the evaluator understands.

use tactus_lang::eval::sig::SigTy;
use tactus_lang::eval::types::Ty;
use tactus_lang::program::eval_pattern;
use tactus_lang::registry;
use tactus_pattern::{Span, Time};

#[test]
fn every_example_runs() {
    let mut checked = 0;
    for b in registry::all() {
        if b.example.is_empty() || b.sig.ends_with("Signal") || b.sig.ends_with("Action") {
            continue; // synthesis examples run in tests/synthesis.rs
        }
        let ty = match &b.signature().result {
            SigTy::Pat(Some(t)) => *t,
            _ => Ty::Control,
        };
        let ty = if ty == Ty::Control || matches!(b.signature().result, SigTy::Pat(None)) {
            Ty::Control
        } else {
            ty
        };
        let pat = eval_pattern(b.example, ty).unwrap_or_else(|d| {
            panic!(
                "example of `{}` failed: {}\n  {}",
                b.name, d.message, b.example
            )
        });
        pat.try_query(Span::new(Time::ZERO, Time::int(4)), 100_000)
            .unwrap_or_else(|e| panic!("example of `{}` failed to query: {e}", b.name));
        checked += 1;
    }
    assert!(checked > 20, "only {checked} examples");
}

#[test]
fn every_builtin_has_docs() {
    for b in registry::all() {
        assert!(!b.doc.is_empty(), "`{}` has no doc", b.name);
        let _ = b.signature();
    }
}
