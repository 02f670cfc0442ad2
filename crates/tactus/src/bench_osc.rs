//! `tactus bench osc-jitter`: scheduling cost and send-time jitter of the OSC output.
//!
//! 16 channels × 32 events per cycle (`s "x*32"`, at 135 bpm, cps 9/16) go through the same
//! path as `tactus play` to SuperDirt: an [`OutputScheduler`] on an [`OutputThread`] with an
//! [`OscSink`], to a UDP listener on loopback inside the bench. The engine clock is the
//! monotonic clock itself (one frame per µs), so every planned time is known exactly.
//! Reported:
//!
//! * send time − planned send time, measured when the packet's UDP send returns (the
//!   planned send time of a time-tagged bundle is its onset), after the first [`WARM_UP`]
//!   seconds;
//!   also for the first send of each onset alone (the wake-up precision, without the other
//!   channels' sends queued behind it);
//! * time-tag error: each received bundle's NTP time-tag against the exact plan, origin +
//!   cycle / cps + latency, computed in integer arithmetic from the rational cycle (the
//!   cycle comes back in the bundle) and rounded once to 2^-32 s. Goal: exactly 0;
//! * scheduling cost: the output thread's CPU time querying patterns and building events,
//!   and in the sends, per cycle.

use std::net::UdpSocket;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering::Relaxed};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use anyhow::{bail, Context as _, Result};
use serde_json::json;
use tactus_engine::outputs::scheduler::OutputConfig;
use tactus_engine::outputs::thread::FrameSource;
use tactus_engine::outputs::{OutputScheduler, OutputThread};
use tactus_io::osc::{OscArg, OscPacket, TimeTag};
use tactus_lang::program::eval_file;

use crate::destinations::OscTarget;
use crate::outputs::{OscSink, SendLog};

/// The tempo: 9/16 cycles per second (exact in binary, but cycle / cps is not dyadic, so
/// onsets in seconds really are rounded).
const CPS: (i128, i128) = (9, 16);
/// Onsets before this (seconds) are left out of the send-time figures: the output thread
/// starts at 0 s itself, so they measure its start-up, not its sends.
const WARM_UP: f64 = 0.25;
/// Events per cycle per channel.
const PER_CYCLE: i128 = 32;

/// The engine clock of the bench: one frame per µs of the monotonic clock from `t0`.
struct InstantFrames {
    t0: Instant,
}

impl FrameSource for InstantFrames {
    fn frame(&self) -> u64 {
        self.t0.elapsed().as_micros() as u64
    }
}

/// p50, p99 and max of `v` (sorted in place).
fn percentiles(v: &mut [f64]) -> (f64, f64, f64) {
    if v.is_empty() {
        return (f64::NAN, f64::NAN, f64::NAN);
    }
    v.sort_by(f64::total_cmp);
    let at = |q: f64| v[((v.len() - 1) as f64 * q).round() as usize];
    (at(0.5), at(0.99), v[v.len() - 1])
}

/// The exact time-tag offset from the origin, in 2^-32 s units rounded to nearest, of
/// `n / 32` cycles at [`CPS`] plus `latency` (an f64, taken as the exact binary fraction it is).
fn planned_units(n: i128, latency: f64) -> i128 {
    // latency = m · 2^e exactly
    let (m, e) = decompose(latency);
    // onset units = n · 2^32 · cps_den / (32 · cps_num); latency units = m · 2^(e + 32)
    let den_on = PER_CYCLE * CPS.0;
    let num_on = n * (1i128 << 32) * CPS.1;
    // common denominator den_on · 2^s where s = max(0, -(e + 32))
    let s = (-(e + 32)).max(0) as u32;
    let lat_num = if e + 32 >= 0 { m << (e + 32) as u32 } else { m };
    let num = (num_on << s) + lat_num * den_on;
    let den = den_on << s;
    (2 * num + den).div_euclid(2 * den)
}

/// `x` as `m · 2^e` with integer `m` (x finite, non-negative, not huge).
fn decompose(x: f64) -> (i128, i32) {
    if x == 0.0 {
        return (0, 0);
    }
    let bits = x.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i32;
    let frac = (bits & ((1 << 52) - 1)) as i128;
    if exp == 0 {
        (frac, -1074)
    } else {
        (frac | (1 << 52), exp - 1075)
    }
}

/// Runs the bench for `seconds` with `channels` channels and the OSC `latency`.
pub fn run(seconds: f64, channels: usize, latency: f64, json_out: bool) -> Result<ExitCode> {
    if !(seconds.is_finite() && (1.0..=3600.0).contains(&seconds)) {
        bail!("--seconds {seconds}: expected 1 to 3600");
    }
    if !(1..=64).contains(&channels) {
        bail!("--channels {channels}: expected 1 to 64");
    }
    let mut src = format!("setcps ({}/{})\n", CPS.0, CPS.1);
    for c in 1..=channels {
        src.push_str(&format!("d{c} $ s \"x*{PER_CYCLE}\" # n {c}\n"));
    }
    let (program, diags) = eval_file(&src);
    if let Some(d) = diags.iter().find(|d| d.is_error()) {
        bail!("bench program: {}", d.message);
    }
    let listener = UdpSocket::bind("127.0.0.1:0").context("cannot bind the loopback listener")?;
    listener.set_read_timeout(Some(Duration::from_millis(50)))?;
    let port = listener.local_addr()?.port();
    let stop = Arc::new(AtomicBool::new(false));
    let received: Arc<Mutex<Vec<(TimeTag, String, f32)>>> = Arc::default();
    let rx_thread = {
        let (stop, received) = (Arc::clone(&stop), Arc::clone(&received));
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while !stop.load(Relaxed) {
                let Ok(n) = listener.recv(&mut buf) else {
                    continue;
                };
                if let Ok(OscPacket::Bundle(tag, items)) = OscPacket::decode(&buf[..n]) {
                    for it in items {
                        if let OscPacket::Message(m) = it {
                            let (id, cycle) = id_and_cycle(&m.args);
                            if let Ok(mut r) = received.lock() {
                                r.push((tag, id, cycle));
                            }
                        }
                    }
                }
            }
        })
    };
    let cpu0 = process_cpu_seconds();
    let t0 = Instant::now();
    let origin = SystemTime::now();
    let target = OscTarget {
        port,
        latency,
        handshake: false,
        ..OscTarget::superdirt("bench")
    };
    let log: SendLog = Arc::new(Mutex::new(Vec::with_capacity(
        (seconds * 0.6 * 32.0 * channels as f64) as usize + 1024,
    )));
    let sink = OscSink::new(target, origin, t0)?.with_send_log(Arc::clone(&log));
    let sched = OutputScheduler::new(program, OutputConfig::new(1_000_000), vec![Box::new(sink)]);
    let thread = OutputThread::spawn(
        sched,
        Arc::new(InstantFrames { t0 }),
        Duration::from_millis(5),
    )?;
    std::thread::sleep(Duration::from_secs_f64(seconds));
    let sched = thread.stop().context("the output thread panicked")?;
    let cpu = (process_cpu_seconds() - cpu0) / seconds;
    std::thread::sleep(Duration::from_millis(100));
    stop.store(true, Relaxed);
    let _ = rx_thread.join();

    let log = log.lock().map(|l| l.clone()).unwrap_or_default();
    // the thread starts at engine time 0, together with the first onsets: those are not
    // steady-state sends
    let us = |a: Instant, b: Instant| {
        if a >= b {
            (a - b).as_secs_f64() * 1e6
        } else {
            -((b - a).as_secs_f64() * 1e6)
        }
    };
    let warm = t0 + Duration::from_secs_f64(WARM_UP);
    let steady = |&&(planned, _): &&(Instant, Instant)| planned >= warm;
    let mut late: Vec<f64> = log
        .iter()
        .filter(steady)
        .map(|&(planned, sent)| us(sent, planned))
        .collect();
    // the first send of each onset: how precisely the thread wakes, without the burst of
    // the other channels' sends behind it
    let mut first: Vec<f64> = Vec::new();
    let mut last_planned = None;
    for &(planned, sent) in log.iter().filter(steady) {
        if Some(planned) != last_planned {
            first.push(us(sent, planned));
            last_planned = Some(planned);
        }
    }
    let origin_tag = TimeTag::from_system(origin).0 as i128;
    let received = received.lock().map(|r| r.clone()).unwrap_or_default();
    let mut tag_err: Vec<f64> = Vec::with_capacity(received.len());
    for (tag, _id, cycle) in &received {
        let n = (f64::from(*cycle) * PER_CYCLE as f64).round() as i128;
        let units = tag.0 as i128 - origin_tag - planned_units(n, latency);
        tag_err.push(units as f64 * 1e9 / 4_294_967_296.0);
    }
    let cycles = seconds * CPS.0 as f64 / CPS.1 as f64;
    let (l50, l99, lmax) = percentiles(&mut late);
    let (f50, f99, fmax) = percentiles(&mut first);
    let mut abs_err: Vec<f64> = tag_err.iter().map(|e| e.abs()).collect();
    let (e50, e99, emax) = percentiles(&mut abs_err);
    let sched_us = sched.schedule_ns as f64 / 1e3 / cycles;
    let send_us = sched.send_ns as f64 / 1e3 / cycles;
    if json_out {
        println!(
            "{}",
            json!({
                "seconds": seconds, "channels": channels, "events_per_cycle": PER_CYCLE as usize * channels,
                "cps": CPS.0 as f64 / CPS.1 as f64, "latency": latency,
                "events_sent": log.len(), "bundles_received": received.len(),
                "send_late_us": {"p50": l50, "p99": l99, "max": lmax},
                "first_send_late_us": {"p50": f50, "p99": f99, "max": fmax},
                "timetag_error_ns": {"p50": e50, "p99": e99, "max": emax},
                "schedule_us_per_cycle": sched_us, "send_us_per_cycle": send_us,
                "skipped_windows": sched.skipped_windows, "process_cpu_share": cpu,
            })
        );
    } else {
        println!(
            "osc-jitter: {channels} channels x {PER_CYCLE} events/cycle at cps 9/16 for {seconds} s: {} sent, {} received",
            log.len(),
            received.len()
        );
        println!(
            "  send time - planned   p50 {l50:>8.1} us  p99 {l99:>8.1} us  max {lmax:>8.1} us"
        );
        println!(
            "  first of each onset   p50 {f50:>8.1} us  p99 {f99:>8.1} us  max {fmax:>8.1} us"
        );
        println!(
            "  |time-tag error|      p50 {e50:>8.3} ns  p99 {e99:>8.3} ns  max {emax:>8.3} ns"
        );
        println!(
            "  scheduling {sched_us:.1} us/cycle (queries + events), sending {send_us:.1} us/cycle, {} skipped windows",
            sched.skipped_windows
        );
        println!(
            "  process CPU {:.1}% of one core (output thread with its spin-waits, listener, encoding)",
            cpu * 100.0
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// CPU time of this process in seconds.
fn process_cpu_seconds() -> f64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime only writes the timespec we pass.
    unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut ts) };
    ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9
}

/// The `_id_` and `cycle` arguments of a `/dirt/play` message.
fn id_and_cycle(args: &[OscArg]) -> (String, f32) {
    let (mut id, mut cycle) = (String::new(), f32::NAN);
    for pair in args.chunks_exact(2) {
        match (&pair[0], &pair[1]) {
            (OscArg::Str(k), OscArg::Str(v)) if k == "_id_" => id = v.clone(),
            (OscArg::Str(k), OscArg::Float(c)) if k == "cycle" => cycle = *c,
            _ => {}
        }
    }
    (id, cycle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn planned_units_are_exact() {
        // 18 events (9/16 cps, 32 per cycle: 1/18 s apart) = 1 s; latency 0.25 = 2^-2
        assert_eq!(planned_units(18, 0.25), (1i128 << 32) + (1 << 30));
        // 0.2 is 0x3FC999999999999A: 0.2000000000000000111 s = 858993459.2000000477 units
        assert_eq!(planned_units(0, 0.2), 858_993_459);
        // one event: 1/18 s = 238609294.222 units
        assert_eq!(planned_units(1, 0.0), 238_609_294);
    }
}
