//! Two `tactus play --no-audio --link` processes in one Ableton Link session must agree on the
//! beat within 1 ms, and a tempo set by one (a hot reload with a new `setcps`) must be
//! followed by the other.
//!
//! Link discovers peers by multicast on every interface, so the peers run inside a fresh
//! network namespace that has nothing but loopback (with multicast on and a `224.0.0.0/4`
//! route): nothing can leave this machine. Making a namespace needs root and `ip`; without
//! them the test prints why and skips.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// A network namespace, deleted when dropped.
struct Netns(String);

impl Netns {
    fn create() -> Result<Netns, String> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos();
        let name = format!("tactus-link-{}-{nanos}", std::process::id());
        ip(&["netns", "add", &name])?;
        let ns = Netns(name);
        ip(&["-n", &ns.0, "link", "set", "lo", "up"])?;
        ip(&["-n", &ns.0, "link", "set", "lo", "multicast", "on"])?;
        ip(&["-n", &ns.0, "route", "add", "224.0.0.0/4", "dev", "lo"])?;
        Ok(ns)
    }

    /// `tactus ARGS` inside the namespace.
    fn tactus(&self, args: &[&str]) -> Command {
        let mut c = Command::new("ip");
        c.args(["netns", "exec", &self.0, env!("CARGO_BIN_EXE_tactus")])
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        c
    }
}

impl Drop for Netns {
    fn drop(&mut self) {
        let _ = ip(&["netns", "del", &self.0]);
    }
}

fn ip(args: &[&str]) -> Result<(), String> {
    let out = Command::new("ip")
        .args(args)
        .output()
        .map_err(|e| format!("cannot run `ip`: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "`ip {}` failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        ))
    }
}

/// A child process, killed (if still running) and reaped when dropped.
struct Proc(Child);

impl Proc {
    /// Waits for the exit (bounded), returning stderr; panics on failure.
    fn finish(&mut self, limit: Duration) -> String {
        let start = Instant::now();
        let status = loop {
            if let Some(st) = self.0.try_wait().unwrap() {
                break st;
            }
            assert!(
                start.elapsed() < limit,
                "tactus did not exit within {limit:?}"
            );
            std::thread::sleep(Duration::from_millis(50));
        };
        let mut err = String::new();
        if let Some(mut e) = self.0.stderr.take() {
            let _ = std::io::Read::read_to_string(&mut e, &mut err);
        }
        assert!(status.success(), "tactus failed: {err}");
        err
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        if self.0.try_wait().ok().flatten().is_none() {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

fn temp_dir() -> PathBuf {
    let d = std::env::temp_dir().join(format!("tactus-link-test-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// (host µs, engine beat, session beat, bpm) per scheduler tick.
fn samples(doc: &Value) -> Vec<[f64; 4]> {
    doc["link"]["samples"]
        .as_array()
        .expect("link samples in the metrics JSON")
        .iter()
        .map(|s| {
            let v: Vec<f64> = s
                .as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_f64().unwrap())
                .collect();
            [v[0], v[1], v[2], v[3]]
        })
        .collect()
}

/// The engine beat of `b` at host time `t`, interpolated between its two neighbouring
/// samples (10 ms apart), or None outside its samples or across a gap.
fn beat_at(b: &[[f64; 4]], t: f64) -> Option<f64> {
    let i = b.partition_point(|s| s[0] < t);
    if i == 0 || i >= b.len() {
        return None;
    }
    let (p, q) = (b[i - 1], b[i]);
    if q[0] - p[0] > 50_000.0 {
        return None;
    }
    Some(p[1] + (q[1] - p[1]) * (t - p[0]) / (q[0] - p[0]))
}

/// The largest difference in ms between the engine beats of `a` and `b` (modulo the
/// quantum: peers agree on phase) at `a`'s sample times within `[from, to)` host µs, and
/// how many times were compared.
fn max_difference_ms(a: &[[f64; 4]], b: &[[f64; 4]], from: f64, to: f64) -> (f64, usize) {
    let (mut worst, mut n) = (0.0f64, 0);
    for s in a.iter().filter(|s| s[0] >= from && s[0] < to) {
        let Some(other) = beat_at(b, s[0]) else {
            continue;
        };
        let d = (s[1] - other + 2.0).rem_euclid(4.0) - 2.0;
        worst = worst.max((d * 60.0 / s[3] * 1000.0).abs());
        n += 1;
    }
    (worst, n)
}

#[test]
fn two_peers_agree_on_the_beat_and_follow_each_others_tempo() {
    let ns = match Netns::create() {
        Ok(ns) => ns,
        Err(e) => {
            eprintln!(
                "SKIPPED two_peers_agree_on_the_beat_and_follow_each_others_tempo: cannot make an \
                 isolated network namespace for the Link peers ({e}); it needs root and iproute2"
            );
            return;
        }
    };
    let dir = temp_dir();
    let (fa, fb) = (dir.join("a.tidal"), dir.join("b.tidal"));
    std::fs::write(&fa, "setcps 0.5\nd1 $ s \"bd*4\"\n").unwrap();
    std::fs::write(&fb, "setcps 0.5\nd1 $ s \"hh*8\"\n").unwrap();
    let (ja, jb) = (dir.join("a.json"), dir.join("b.json"));
    let run = |file: &Path, json: &Path, secs: &str, extra: &[&str]| {
        let mut args = vec!["play", "--no-audio", "--link", "-q", "--duration", secs];
        args.extend_from_slice(extra);
        let mut c = ns.tactus(&args);
        c.arg("--metrics-json").arg(json).arg(file);
        Proc(c.spawn().expect("start tactus in the namespace"))
    };
    let mut a = run(&fa, &ja, "11", &["--apply", "beat"]);
    std::thread::sleep(Duration::from_millis(500));
    let mut b = run(&fb, &jb, "10", &[]);
    std::thread::sleep(Duration::from_millis(3000));
    // a hot reload in A sets the session's tempo: 120 -> 144 bpm
    std::fs::write(&fa, "setcps 0.6\nd1 $ s \"bd*4\"\n").unwrap();
    b.finish(Duration::from_secs(30));
    a.finish(Duration::from_secs(30));
    drop(ns);
    let (da, db) = (read_json(&ja), read_json(&jb));
    let (sa, sb) = (samples(&da), samples(&db));
    assert!(
        sa.len() > 500 && sb.len() > 500,
        "{} and {} samples",
        sa.len(),
        sb.len()
    );
    // B saw A to the end, and ends on A's tempo
    assert_eq!(db["metrics"]["link_peers"], 1, "{db}");
    assert!(
        (db["metrics"]["cps"].as_f64().unwrap() - 0.6).abs() < 1e-3,
        "{db}"
    );
    assert!((db["metrics"]["link_bpm"].as_f64().unwrap() - 144.0).abs() < 0.1);

    let b0 = sb[0][0];
    // settled after joining, before the tempo change (which A applies from 3.5 s on)
    let (before, n1) = max_difference_ms(&sa, &sb, b0 + 1.5e6, b0 + 2.9e6);
    // settled after the tempo change: B's last two seconds
    let end = sb[sb.len() - 1][0];
    let (after, n2) = max_difference_ms(&sa, &sb, end - 2.0e6, end);
    eprintln!("beat difference: {before:.4} ms at 120 bpm ({n1} points), {after:.4} ms at 144 bpm ({n2} points)");
    // about 140 and 200 at 10 ms ticks; fewer on a loaded machine
    assert!(n1 > 40 && n2 > 60, "{n1} and {n2} points compared");
    assert!(before < 1.0, "peers differ by {before} ms at 120 bpm");
    assert!(after < 1.0, "peers differ by {after} ms at 144 bpm");
    for s in sb
        .iter()
        .filter(|s| s[0] >= b0 + 1.5e6 && s[0] < b0 + 2.9e6)
    {
        assert!((s[3] - 120.0).abs() < 0.01, "{s:?}");
    }
    for s in sb.iter().filter(|s| s[0] >= end - 2.0e6) {
        assert!((s[3] - 144.0).abs() < 0.01, "{s:?}");
    }
    // the engine's tempo follows the session's: B's beats advance at 144 bpm at the end
    let last = sb[sb.len() - 1];
    let early = sb.iter().find(|s| s[0] >= end - 2.0e6).unwrap();
    let bpm = (last[1] - early[1]) / (last[0] - early[0]) * 60e6;
    assert!((bpm - 144.0).abs() < 0.1, "B's engine ran at {bpm} bpm");
    let _ = std::fs::remove_dir_all(dir);
}
