//! Any text as mini-notation at every atom type, queried under the event cap.
#![no_main]
use libfuzzer_sys::fuzz_target;
use tactus_lang::eval::types::Ty;
use tactus_lang::program::eval_pattern;
use tactus_pattern::{Span, Time};

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else { return };
    let quoted = format!("{src:?}");
    for ty in [Ty::Str, Ty::Float, Ty::Int, Ty::Note, Ty::Rational, Ty::Bool, Ty::Control] {
        if let Ok(p) = eval_pattern(&quoted, ty) {
            let _ = p.try_query(Span::new(Time::int(-1), Time::int(2)), 2_000);
        }
    }
});
