//! Any text as a whole file: parse and evaluate every statement, then query each channel.
#![no_main]
use libfuzzer_sys::fuzz_target;
use tactus_lang::program::eval_file;
use tactus_pattern::{Span, Time};

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else { return };
    let (prog, _diags) = eval_file(src);
    for (_, p) in prog.channels.iter() {
        let _ = p.try_query(Span::new(Time::ZERO, Time::int(2)), 2_000);
    }
});
