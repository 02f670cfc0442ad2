//! Query throughput on dense patterns: each expression in `benches/query-exprs.txt`
//! evaluated once, then queried cycle by cycle over 100 cycles (as a scheduler would).
//! `scripts/bench-vs-tidal.sh` times the same work in TidalCycles for the ratio.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use tactus_lang::eval::types::Ty;
use tactus_lang::program::eval_pattern;
use tactus_pattern::{Span, Time};

fn exprs() -> Vec<String> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../benches/query-exprs.txt");
    std::fs::read_to_string(path)
        .expect("benches/query-exprs.txt")
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect()
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("query_100_cycles");
    g.sample_size(10);
    for (i, e) in exprs().iter().enumerate() {
        let pat = eval_pattern(e, Ty::Control).unwrap_or_else(|d| panic!("{e}: {}", d.message));
        g.bench_function(format!("expr{i}"), |b| {
            b.iter(|| {
                let mut n = 0usize;
                for cyc in 0..100 {
                    let span = Span::new(Time::int(cyc), Time::int(cyc + 1));
                    n += pat.query_span(span).len();
                }
                black_box(n)
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
