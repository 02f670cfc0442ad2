//! Any text as a pattern expression: parse, evaluate, query a few cycles under the event
//! cap. Must never panic, hang or exhaust memory.
#![no_main]
use libfuzzer_sys::fuzz_target;
use tactus_lang::eval::types::Ty;
use tactus_lang::program::eval_pattern;
use tactus_pattern::{Span, Time};

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else { return };
    if let Ok(p) = eval_pattern(src, Ty::Control) {
        let _ = p.try_query(Span::new(Time::int(-1), Time::int(3)), 2_000);
    }
});
