//! Criterion: one 512-frame block of the stress program through the offline renderer,
//! continuing from block to block (the pattern and the voices keep evolving).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use tactus_dsp_bench::stress::{self, StressOptions};
use tactus_engine::render::{OfflineRenderer, RenderOptions};
use tactus_engine::sounds::Sounds;

fn stress_block(c: &mut Criterion) {
    let o = StressOptions::default();
    let program = stress::program(o.channels).expect("the stress program evaluates");
    let opts = RenderOptions {
        sample_rate: o.sample_rate,
        block: o.block,
        voices: o.voices,
    };
    let mut r = OfflineRenderer::new(
        program,
        Sounds::new(o.sample_rate as f32, 16, 1 << 20),
        opts,
    );
    let (mut l, mut rr) = (vec![0.0f32; o.block], vec![0.0f32; o.block]);
    let mut g = c.benchmark_group("stress");
    g.throughput(Throughput::Elements(o.block as u64));
    g.bench_function("render-512", |b| b.iter(|| r.render(&mut l, &mut rr)));
    g.finish();
}

criterion_group!(benches, stress_block);
criterion_main!(benches);
