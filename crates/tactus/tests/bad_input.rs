//! Bad input through the real binary: every case gets a clear error (or a correct empty
//! result) quickly, with no panic, hang or crash.

use std::process::{Command, Output};
use std::time::{Duration, Instant};

fn tactus(args: &[&str]) -> Output {
    let start = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_tactus"))
        .args(args)
        .output()
        .expect("run tactus");
    assert!(
        start.elapsed() < Duration::from_secs(60),
        "tactus {args:?} took {:?}",
        start.elapsed()
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("panicked"),
        "tactus {args:?} panicked: {stderr}"
    );
    assert!(
        out.status.code().is_some(),
        "tactus {args:?} was killed by a signal"
    );
    out
}

fn query_err(expr: &str) -> String {
    let out = tactus(&["query", expr]);
    assert_eq!(out.status.code(), Some(1), "expected an error for {expr:?}");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn unclosed_bracket_points_at_it() {
    let e = query_err("s \"bd [sn hh\"");
    assert!(e.contains("error"), "{e}");
    assert!(e.contains("^"), "{e}");
}

#[test]
fn zero_repeat_is_silence() {
    let out = tactus(&["query", "s \"bd*0\"", "--json"]);
    assert!(out.status.success());
    assert!(out.stdout.is_empty());
}

#[test]
fn huge_repeat_hits_the_event_cap() {
    let e = query_err("s \"bd*1e12\"");
    assert!(e.contains("event cap") || e.contains("more than"), "{e}");
    let e = query_err("fast 1e12 $ s \"bd\"");
    assert!(e.contains("event cap") || e.contains("more than"), "{e}");
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let deep = format!("s \"{}bd{}\"", "[".repeat(10_000), "]".repeat(10_000));
    let e = query_err(&deep);
    assert!(e.contains("deep") || e.contains("nest"), "{e}");
    let deep = format!("{}s \"bd\"{}", "(".repeat(10_000), ")".repeat(10_000));
    let e = query_err(&deep);
    assert!(e.contains("deep") || e.contains("nest"), "{e}");
}

#[test]
fn huge_and_malformed_numbers() {
    for expr in [
        "n \"1e999\"",
        "n \"99999999999999999999999\"",
        "n \"1.2.3\"",
        "fast 1e999 $ s \"bd\"",
        "n 99999999999999999999999",
        "n \"--1\"",
    ] {
        let out = tactus(&["query", expr]);
        let code = out.status.code();
        assert!(code == Some(0) || code == Some(1), "{expr}: {code:?}");
    }
}

#[test]
fn time_overflow_is_an_error() {
    let e = query_err("fast 4611686018427387904 $ s \"bd\"");
    assert!(
        e.contains("overflow") || e.contains("event cap") || e.contains("more than"),
        "{e}"
    );
}

#[test]
fn unknown_function_and_wrong_arity() {
    let e = query_err("evry 2 (fast 2) $ s \"bd\"");
    assert!(e.contains("did you mean `every`"), "{e}");
    let e = query_err("fast 2 (s \"bd\") (s \"sn\")");
    assert!(e.contains("too many arguments"), "{e}");
}

#[test]
fn bad_arguments_to_the_command() {
    let out = tactus(&["query", "s \"bd\"", "--from", "x"]);
    assert_eq!(out.status.code(), Some(2));
    let out = tactus(&["query", "s \"bd\"", "--type", "colour"]);
    assert_eq!(out.status.code(), Some(2));
    let out = tactus(&["check", "/nonexistent/file.tidal"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn check_reports_and_exits_1() {
    let dir = std::env::temp_dir().join(format!("tactus-check-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let f = dir.join("bad.tidal");
    std::fs::write(&f, "d1 $ s \"bd*2\"\n\nd2 $ fsat 2 $ s \"hh\"\n").unwrap();
    let out = tactus(&["check", f.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let e = String::from_utf8_lossy(&out.stderr);
    assert!(e.contains("bad.tidal:3:6"), "{e}");
    std::fs::write(&f, "d1 $ s \"bd*2\"\n").unwrap();
    let out = tactus(&["check", f.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn negative_and_zero_width_queries() {
    let out = tactus(&[
        "query",
        "s \"bd sn\"",
        "--from",
        "-1",
        "--to",
        "-1/2",
        "--json",
    ]);
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 1);
    let out = tactus(&[
        "query",
        "s \"bd sn\"",
        "--from",
        "1/2",
        "--to",
        "1/2",
        "--json",
    ]);
    assert!(out.status.success());
}

#[test]
fn a_bad_effect_chain_renders_nothing_and_points_at_it() {
    let dir = std::env::temp_dir().join(format!("tactus-badfx-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let f = dir.join("fx.tidal");
    let wav = dir.join("fx.wav");
    std::fs::write(&f, "d1 $ s \"sine\"\nfx 1 $ osc \"sine\" 220\n").unwrap();
    let args = ["render", f.to_str().unwrap(), "-o", wav.to_str().unwrap()];
    let out = tactus(&[&args[..], &["--cycles", "1"]].concat());
    assert_eq!(out.status.code(), Some(1));
    let e = String::from_utf8_lossy(&out.stderr);
    assert!(e.contains("fx.tidal:2:8") && e.contains("`input`"), "{e}");
    assert!(!wav.exists());
    let _ = std::fs::remove_dir_all(&dir);
}
