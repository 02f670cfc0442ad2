//! Benchmarks for tactus: tactus-dsp against [FunDSP](https://crates.io/crates/fundsp) on
//! the same workloads, and a Phonon-`stress_extreme`-style render through the engine.
//!
//! Each DSP [`Case`] holds two [`Side`]s, one built from tactus-dsp units and one from the
//! FunDSP nodes that do the same job. Both render the same number of frames in blocks of
//! [`BLOCK`] frames (tactus: `Unit::process` / `Synth::render_block`; FunDSP:
//! `AudioNode::process` over `BufferRef`/`BufferMut`), so the per-frame costs compare
//! directly. [`measure`] times the two sides interleaved (so a noisy, shared machine
//! disturbs both alike), in thread CPU time, and reports the median.
//!
//! The binary `tactus-dsp-bench` prints the comparison table; `cargo bench -p
//! tactus-dsp-bench` runs the same cases under criterion. [`stress`] is the engine-level
//! stress render (also reachable as `tactus bench stress`).

pub mod cases;
pub mod stress;

/// Seconds of CPU time used by this thread (wall-clock time where that is not available).
/// Time the thread spends waiting for a core on a busy machine is not counted.
pub fn thread_seconds() -> f64 {
    #[cfg(unix)]
    {
        let mut ts = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: `ts` is a valid, writable timespec and the clock id is a constant.
        if unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) } == 0 {
            return ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9;
        }
    }
    wall_seconds()
}

fn wall_seconds() -> f64 {
    use std::sync::OnceLock;
    use std::time::Instant;
    static START: OnceLock<Instant> = OnceLock::new();
    START.get_or_init(Instant::now).elapsed().as_secs_f64()
}

/// Sample rate of every benchmark.
pub const SR: f32 = 44_100.0;
/// Frames per block on both sides.
pub const BLOCK: usize = 64;

/// One implementation of a workload.
pub trait Side {
    /// Renders `blocks` blocks of [`BLOCK`] frames; returns a value computed from the
    /// output so that the work cannot be optimised away.
    fn run(&mut self, blocks: usize) -> f32;
}

/// A workload with its tactus and FunDSP implementations.
pub struct Case {
    /// Short name, e.g. `"sine"`.
    pub name: &'static str,
    /// What is measured.
    pub what: &'static str,
    /// The tactus-dsp implementation.
    pub tactus: Box<dyn Side>,
    /// The FunDSP implementation.
    pub fundsp: Box<dyn Side>,
}

/// Median time per frame of both sides of a case, in nanoseconds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Timing {
    /// tactus-dsp, ns per frame.
    pub tactus_ns: f64,
    /// FunDSP, ns per frame.
    pub fundsp_ns: f64,
}

impl Timing {
    /// tactus time / FunDSP time (below 1: tactus is faster).
    pub fn ratio(&self) -> f64 {
        self.tactus_ns / self.fundsp_ns
    }
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Times `case`: `rounds` rounds, each rendering `blocks` blocks with one side then the
/// other (alternating which goes first), after one warm-up round. Returns the medians.
pub fn measure(case: &mut Case, blocks: usize, rounds: usize) -> Timing {
    let frames = (blocks * BLOCK) as f64;
    let mut sink = 0.0f32;
    sink += case.tactus.run(blocks);
    sink += case.fundsp.run(blocks);
    let (mut t, mut f) = (Vec::new(), Vec::new());
    for round in 0..rounds.max(1) {
        let mut time = |side: &mut Box<dyn Side>| {
            let start = thread_seconds();
            sink += side.run(blocks);
            (thread_seconds() - start) * 1e9 / frames
        };
        if round % 2 == 0 {
            t.push(time(&mut case.tactus));
            f.push(time(&mut case.fundsp));
        } else {
            f.push(time(&mut case.fundsp));
            t.push(time(&mut case.tactus));
        }
    }
    std::hint::black_box(sink);
    Timing {
        tactus_ns: median(&mut t),
        fundsp_ns: median(&mut f),
    }
}
