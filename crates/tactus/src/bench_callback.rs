//! `tactus bench callback`: the audio callback's load (render time / buffer time) for each
//! example file at several buffer sizes, through the real-time path (event ring, sample
//! queue, synth) with the scheduler stepped between callbacks on the same thread and left
//! out of the timing. One core does the audio, as on a device thread: the callback runs at
//! real-time priority where permitted and the scheduler at normal priority, memory is
//! locked as `tactus play` locks it, and every callback is timed from the first one, so the
//! report can show the warm-up separately (`max>1s`) and tell work (thread CPU time) from
//! time the thread spent not running (wall clock).

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{bail, Context as _, Result};
use std::sync::atomic::Ordering::Relaxed;

use std::sync::Arc;

use tactus_engine::realtime::priority::{set_fifo_priority, CALLBACK_PRIORITY};
use tactus_engine::realtime::{self, Apply, AudioSide, ControlSide, Metrics, RealtimeConfig};
use tactus_lang::program::eval_file;

/// Files to measure: the given ones, or every `examples/*.tidal`.
fn files(given: &[PathBuf]) -> Result<Vec<PathBuf>> {
    if !given.is_empty() {
        return Ok(given.to_vec());
    }
    let mut v: Vec<PathBuf> = std::fs::read_dir("examples")
        .context("cannot list examples/ (run from the repository root or name files)")?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "tidal"))
        .collect();
    v.sort();
    Ok(v)
}

/// What one callback did, for `--worst`: its cost and what happened in it.
#[derive(Clone, Copy, Debug, Default)]
struct Callback {
    /// Index from the first callback.
    index: usize,
    /// Cycle position at its start.
    cycle: f64,
    /// Wall-clock load (fraction of the buffer time).
    wall: f64,
    /// Thread-CPU-time load.
    cpu: f64,
    /// The same callback's CPU-time load in the twin pass (`--twin`; 0 without).
    twin_cpu: f64,
    /// Minor and major page faults the thread took during it.
    minor_faults: i64,
    major_faults: i64,
    /// Times the thread was preempted during it (involuntary context switches).
    preempted: i64,
    /// True when it ran on another core than the callback before it (its caches cold).
    moved: bool,
    /// Voices started (events handed to the synth) and hard steals.
    started: u64,
    stolen: u64,
    /// Voices sounding after it.
    voices: usize,
    /// Program generation in effect and drone/bus sets installed during it.
    generation: u64,
    drone_swaps: u64,
    samples_installed: u64,
}

/// Load figures of one measurement (fractions of the buffer time).
struct Loads {
    mean: f64,
    p99: f64,
    /// Largest wall-clock load, warm-up included.
    max: f64,
    /// Largest wall-clock load after the first second of audio.
    max_warm: f64,
    /// Largest thread-CPU-time load: the work the callback itself did. A wall-clock
    /// maximum far above it means the thread was not running (preempted or throttled).
    cpu_max: f64,
    /// Callbacks over the 10% goal (wall clock).
    over_goal: usize,
    /// With `--twin`: the largest over callbacks of the smaller of the two passes' CPU
    /// times, i.e. the callback's own work without one-off interference.
    work_max: Option<f64>,
    late: u64,
    events: u64,
    /// The most expensive callbacks by CPU time, most expensive first.
    worst: Vec<Callback>,
    /// With `--reload-every`: callbacks where a reloaded program took over, and their
    /// largest wall-clock and CPU-time loads.
    swaps: usize,
    swap_max: f64,
    swap_cpu_max: f64,
}

/// The load goal of issue 5: the densest example under 10% at 128 frames.
const GOAL: f64 = 0.10;

/// CPU time of the calling thread in seconds.
fn thread_cpu_seconds() -> f64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime only writes the timespec we pass.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9
}

/// The core the calling thread runs on (-1 where unknown).
fn current_core() -> i32 {
    #[cfg(target_os = "linux")]
    // SAFETY: sched_getcpu has no arguments and no preconditions.
    unsafe {
        libc::sched_getcpu()
    }
    #[cfg(not(target_os = "linux"))]
    -1
}

/// Minor and major page faults and involuntary context switches of the calling thread so
/// far.
fn thread_faults() -> (i64, i64, i64) {
    #[cfg(target_os = "linux")]
    // SAFETY: getrusage only writes the struct we pass; all-zero is a valid rusage.
    unsafe {
        let mut u: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_THREAD, &mut u);
        (u.ru_minflt, u.ru_majflt, u.ru_nivcsw)
    }
    #[cfg(not(target_os = "linux"))]
    (0, 0, 0)
}

/// A fresh engine for `src` (evaluated again, so each pass starts from the same state).
fn engine(src: &str, sample_rate: u32) -> Result<(ControlSide, AudioSide)> {
    let (program, _) = eval_file(src);
    let sounds = crate::render::sounds(sample_rate, &[])?;
    Ok(realtime::channel(
        program,
        sounds,
        RealtimeConfig::new(sample_rate),
    ))
}

/// What one pass over the audio measured, per callback.
struct Pass {
    /// Wall-clock loads.
    loads: Vec<f64>,
    /// Thread-CPU-time loads.
    cpu: Vec<f64>,
    /// Details of every callback (when asked for).
    record: Vec<Callback>,
    /// Reloaded programs that took over, and the largest wall-clock and CPU-time loads of
    /// the callbacks that played their first frame (with any drone, bus or instrument swap
    /// they brought).
    swaps: usize,
    swap_max: f64,
    swap_cpu_max: f64,
}

/// Hot reloads during a pass: every `every` callbacks the source is evaluated again (on
/// the control side, untimed) and submitted to take over at the next cycle, as `tactus
/// play` does when the file is saved.
#[derive(Clone, Copy)]
struct Reloads<'a> {
    every: usize,
    src: &'a str,
}

/// Runs `callbacks` callbacks of `buffer` frames, timing each.
fn pass(
    (mut control, mut audio): (ControlSide, AudioSide),
    buffer: usize,
    callbacks: usize,
    buffer_s: f64,
    rt: bool,
    details: bool,
    reloads: Option<Reloads>,
) -> Pass {
    let mut out = vec![0.0f32; buffer * 2];
    let mut last_core = current_core();
    let (mut swap_frames, mut swaps_seen) = (Vec::<u64>::new(), control.program_log().len());
    let mut p = Pass {
        loads: Vec::with_capacity(callbacks),
        cpu: Vec::with_capacity(callbacks),
        record: Vec::with_capacity(if details { callbacks } else { 0 }),
        swaps: 0,
        swap_max: 0.0,
        swap_cpu_max: 0.0,
    };
    for index in 0..callbacks {
        // The scheduler runs at normal priority, the callback at real-time priority, as on
        // a device. Running both at real-time priority would keep the thread busy at that
        // priority all the time, and the kernel's real-time throttling
        // (sched_rt_runtime_us, 950 ms per second by default) would then stop it for
        // 50 ms every second: stalls no real callback (busy a few percent of the time) has.
        if rt {
            set_fifo_priority(None);
        }
        if let Some(r) = reloads.filter(|r| index > 0 && index % r.every == 0) {
            let (program, _) = eval_file(r.src);
            control.submit(program, Apply::Cycle);
        }
        control.tick(audio.position());
        if rt {
            set_fifo_priority(Some(CALLBACK_PRIORITY));
        }
        // the frames where reloaded programs take over, as the control side planned them
        // (possibly a callback or more ahead)
        let log = control.program_log();
        swap_frames.extend(log[swaps_seen..].iter().map(|c| c.frame));
        swaps_seen = log.len();
        let block_end = audio.position() + buffer as u64;
        let swaps_here = swap_frames.iter().filter(|f| **f < block_end).count();
        swap_frames.retain(|f| *f >= block_end);
        let before = details.then(|| {
            let m = audio.metrics();
            (
                thread_faults(),
                audio.synth_stats().pool,
                Metrics::load_f64(&m.cycle),
                m.drone_swaps.load(Relaxed),
                m.samples_installed.load(Relaxed),
            )
        });
        let core = current_core();
        let moved = core != last_core;
        last_core = core;
        let cpu = thread_cpu_seconds();
        let t = Instant::now();
        audio.process(&mut out, 2);
        let wall = t.elapsed().as_secs_f64() / buffer_s;
        let cpu = (thread_cpu_seconds() - cpu) / buffer_s;
        p.loads.push(wall);
        p.cpu.push(cpu);
        if swaps_here > 0 {
            p.swaps += swaps_here;
            p.swap_max = p.swap_max.max(wall);
            p.swap_cpu_max = p.swap_cpu_max.max(cpu);
        }
        if let Some((faults, pool, cycle, swaps, installed)) = before {
            let (minor, major, preempted) = thread_faults();
            let (m, stats) = (audio.metrics(), audio.synth_stats());
            p.record.push(Callback {
                index,
                cycle,
                wall,
                cpu,
                twin_cpu: 0.0,
                minor_faults: minor - faults.0,
                major_faults: major - faults.1,
                preempted: preempted - faults.2,
                moved,
                started: stats.pool.started - pool.started,
                stolen: stats.pool.stolen - pool.stolen,
                voices: stats.active_voices,
                generation: m.program_generation.load(Relaxed),
                drone_swaps: m.drone_swaps.load(Relaxed) - swaps,
                samples_installed: m.samples_installed.load(Relaxed) - installed,
            });
        }
    }
    if rt {
        set_fifo_priority(None);
    }
    p
}

fn measure(
    file: &Path,
    buffer: usize,
    seconds: f64,
    sample_rate: u32,
    rt: bool,
    opts: Options,
) -> Result<Loads> {
    let src =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    let (_, diags) = eval_file(&src);
    if diags.iter().any(|d| d.is_error()) {
        bail!("{} has errors (see `tactus check`)", file.display());
    }
    let callbacks = ((seconds * f64::from(sample_rate)) as usize / buffer).max(1);
    let warm_up = (sample_rate as usize / buffer).min(callbacks - 1);
    let buffer_s = buffer as f64 / f64::from(sample_rate);
    let reloads = opts.reload_every.map(|s| Reloads {
        every: ((s * f64::from(sample_rate)) as usize / buffer).max(1),
        src: &src,
    });
    // The twin pass first, when asked for: a second engine in the same state, run on its
    // own (so with the same cache conditions), whose callback k does the same work.
    let twin = if opts.twin {
        let e = engine(&src, sample_rate)?;
        if opts.mlock {
            realtime::lock_memory();
        }
        Some(pass(e, buffer, callbacks, buffer_s, rt, false, reloads).cpu)
    } else {
        None
    };
    let e = engine(&src, sample_rate)?;
    // as `tactus play` does: lock what is mapped (the callback's buffers were mapped when
    // they were allocated)
    if opts.mlock {
        realtime::lock_memory();
    }
    let (metrics, e) = (Arc::clone(e.0.metrics()), e);
    let Pass {
        mut loads,
        cpu,
        mut record,
        swaps,
        swap_max,
        swap_cpu_max,
    } = pass(e, buffer, callbacks, buffer_s, rt, opts.worst > 0, reloads);
    let cpu_max = cpu.iter().copied().fold(0.0, f64::max);
    let work_max = twin.as_ref().map(|t| {
        cpu.iter()
            .zip(t)
            .map(|(a, b)| a.min(*b))
            .fold(0.0, f64::max)
    });
    if let Some(t) = &twin {
        for c in record.iter_mut() {
            c.twin_cpu = t[c.index];
        }
    }
    // by the work (the smaller of the two passes) when there is a twin pass
    let work = |c: &Callback| {
        if opts.twin {
            c.cpu.min(c.twin_cpu)
        } else {
            c.cpu
        }
    };
    record.sort_by(|a, b| work(b).total_cmp(&work(a)));
    record.truncate(opts.worst);
    let m = metrics.snapshot();
    let max_warm = loads[warm_up..].iter().copied().fold(0.0, f64::max);
    let over_goal = loads.iter().filter(|l| **l > GOAL).count();
    let mean = loads.iter().sum::<f64>() / loads.len() as f64;
    loads.sort_by(f64::total_cmp);
    Ok(Loads {
        mean,
        p99: loads[(loads.len() * 99 / 100).min(loads.len() - 1)],
        max: *loads.last().unwrap_or(&0.0),
        max_warm,
        cpu_max,
        over_goal,
        work_max,
        late: m.late_events,
        events: m.events_played,
        worst: record,
        swaps,
        swap_max,
        swap_cpu_max,
    })
}

/// What else `tactus bench callback` does besides the load table.
#[derive(Clone, Copy, Debug)]
pub struct Options {
    /// When > 0, also print the `worst` most expensive callbacks (by CPU time, or by work
    /// with `twin`) of each measurement with what happened in them.
    pub worst: usize,
    /// Lock memory as `tactus play` does (`false` measures an unprivileged user's run).
    pub mlock: bool,
    /// Also run each measurement a second time on a fresh engine and report `work max`:
    /// the largest over callbacks of the smaller of the two passes' CPU times. Both passes
    /// do the same work in callback k (the engine is deterministic), while an interrupt,
    /// the hypervisor or a busy neighbour core rarely hits both at the same callback, so
    /// this is the engine's own worst case, which a busy machine's plain maximum hides.
    pub twin: bool,
    /// Reload the file every this many seconds of audio (evaluated again and submitted to
    /// take over at the next cycle), to measure the callbacks that swap programs.
    pub reload_every: Option<f64>,
}

/// Runs `tactus bench callback`.
pub fn run(
    given: &[PathBuf],
    buffers: &[usize],
    seconds: f64,
    json: bool,
    opts: Options,
) -> Result<ExitCode> {
    let sample_rate = 48_000;
    if let Some(s) = opts.reload_every {
        if !(s.is_finite() && s > 0.0) {
            bail!("--reload-every {s}: expected a number of seconds above 0");
        }
    }
    let rt = set_fifo_priority(Some(CALLBACK_PRIORITY)) && set_fifo_priority(None);
    if !json {
        println!(
            "callback load at {sample_rate} Hz over {seconds} s of audio (render time / buffer time), callback at {} priority, memory {}",
            if rt { "real-time (FIFO)" } else { "normal" },
            if opts.mlock { "locked as by tactus play (where permitted)" } else { "not locked (--no-mlock)" }
        );
        println!(
            "max: wall clock, all callbacks; max>1s: after the first second; cpu max: thread CPU \
             time (work done, plus interrupts taken meanwhile); >10%: callbacks over the goal{}",
            if opts.twin {
                "; work max: max over callbacks of the smaller CPU time of two identical passes"
            } else {
                ""
            }
        );
        println!(
            "{:<20} {:>6} {:>7} {:>7} {:>8} {:>8} {:>8} {:>6} {:>7}{}{}",
            "file",
            "buffer",
            "mean %",
            "p99 %",
            "max %",
            "max>1s %",
            "cpu max%",
            ">10%",
            "events",
            if opts.twin { " work max%" } else { "" },
            if opts.reload_every.is_some() {
                " swaps swap max% swap cpu%"
            } else {
                ""
            }
        );
    }
    for f in files(given)? {
        for &b in buffers {
            let l = measure(&f, b.clamp(16, 8192), seconds, sample_rate, rt, opts)?;
            let name = f
                .file_name()
                .map_or_else(|| f.display().to_string(), |n| n.to_string_lossy().into());
            if json {
                println!(
                    "{}",
                    serde_json::json!({"file": name, "buffer": b, "load_mean": l.mean, "load_p99": l.p99,
                        "load_max": l.max, "load_max_after_1s": l.max_warm, "load_max_cpu": l.cpu_max,
                        "callbacks_over_10pct": l.over_goal, "realtime_priority": rt,
                        "events": l.events, "late_events": l.late, "load_max_work": l.work_max,
                        "program_swaps": l.swaps, "load_max_swap": l.swap_max, "load_max_swap_cpu": l.swap_cpu_max,
                        "worst": l.worst.iter().map(worst_json).collect::<Vec<_>>()})
                );
            } else {
                println!(
                    "{:<20} {:>6} {:>7.2} {:>7.2} {:>8.2} {:>8.2} {:>8.2} {:>6} {:>7}{}{}",
                    name,
                    b,
                    l.mean * 100.0,
                    l.p99 * 100.0,
                    l.max * 100.0,
                    l.max_warm * 100.0,
                    l.cpu_max * 100.0,
                    l.over_goal,
                    l.events,
                    l.work_max
                        .map_or_else(String::new, |w| format!(" {:>9.2}", w * 100.0)),
                    if opts.reload_every.is_some() {
                        format!(
                            " {:>5} {:>9.2} {:>9.2}",
                            l.swaps,
                            l.swap_max * 100.0,
                            l.swap_cpu_max * 100.0
                        )
                    } else {
                        String::new()
                    }
                );
                print_worst(&l.worst, b, sample_rate);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn worst_json(c: &Callback) -> serde_json::Value {
    serde_json::json!({"index": c.index, "cycle": c.cycle, "load_wall": c.wall, "load_cpu": c.cpu, "load_cpu_twin": c.twin_cpu,
        "minor_faults": c.minor_faults, "major_faults": c.major_faults, "preempted": c.preempted, "moved_core": c.moved,
        "voices_started": c.started, "voices_stolen": c.stolen, "voices": c.voices,
        "program_generation": c.generation, "drone_swaps": c.drone_swaps,
        "samples_installed": c.samples_installed})
}

/// The `--worst` table under a measurement's row.
fn print_worst(worst: &[Callback], buffer: usize, sample_rate: u32) {
    if worst.is_empty() {
        return;
    }
    println!(
        "    {:>7} {:>8} {:>8} {:>7} {:>7} {:>7} {:>6} {:>6} {:>4} {:>5} {:>6} {:>6} {:>4} {:>5} {:>7}",
        "#",
        "time s",
        "cycle",
        "cpu %",
        "wall %",
        "twin %",
        "minflt",
        "majflt",
        "csw",
        "moved",
        "start",
        "stolen",
        "vox",
        "prog",
        "swp/smp"
    );
    for c in worst {
        println!(
            "    {:>7} {:>8.3} {:>8.3} {:>7.2} {:>7.2} {:>7.2} {:>6} {:>6} {:>4} {:>5} {:>6} {:>6} {:>4} {:>5} {:>3}/{:<3}",
            c.index,
            (c.index * buffer) as f64 / f64::from(sample_rate),
            c.cycle,
            c.cpu * 100.0,
            c.wall * 100.0,
            c.twin_cpu * 100.0,
            c.minor_faults,
            c.major_faults,
            c.preempted,
            if c.moved { "yes" } else { "-" },
            c.started,
            c.stolen,
            c.voices,
            c.generation,
            c.drone_swaps,
            c.samples_installed
        );
    }
}
