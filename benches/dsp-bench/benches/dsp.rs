//! Criterion: each case's tactus-dsp and FunDSP sides, 64 blocks of 64 frames per
//! iteration (throughput in frames).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use tactus_dsp_bench::{cases, BLOCK};

const BLOCKS: usize = 64;

fn dsp(c: &mut Criterion) {
    for mut case in cases::all() {
        let mut g = c.benchmark_group(case.name);
        g.throughput(Throughput::Elements((BLOCKS * BLOCK) as u64));
        g.bench_function("tactus", |b| b.iter(|| case.tactus.run(BLOCKS)));
        g.bench_function("fundsp", |b| b.iter(|| case.fundsp.run(BLOCKS)));
        g.finish();
    }
}

criterion_group!(benches, dsp);
criterion_main!(benches);
