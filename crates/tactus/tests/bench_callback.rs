//! `tactus bench callback` with the options that explain the worst callbacks (`--worst`,
//! `--twin`, `--no-mlock`): the JSON carries the N worst callbacks, sorted, each with what
//! happened in it; and with `--reload-every`, the callbacks that swap programs. No timing
//! is asserted (speed goals live in the benchmark itself).

use std::path::PathBuf;
use std::process::Command;

#[test]
fn worst_callbacks_and_work_max_are_reported() {
    let pad = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/pad.tidal");
    let out = Command::new(env!("CARGO_BIN_EXE_tactus"))
        .args(["bench", "callback", "--buffers", "256", "--seconds", "4.5"])
        .args(["--worst", "5", "--twin", "--no-mlock", "--json"])
        .arg(&pad)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 1, "{stdout}");
    let m: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
    assert_eq!(m["file"], "pad.tidal");
    assert_eq!(m["buffer"], 256);
    let work = m["load_max_work"]
        .as_f64()
        .expect("--twin gives load_max_work");
    let cpu = m["load_max_cpu"].as_f64().unwrap();
    assert!(
        work > 0.0 && work <= cpu,
        "work max {work} above the cpu max {cpu}"
    );
    let worst = m["worst"].as_array().unwrap();
    assert_eq!(worst.len(), 5, "{m}");
    // sorted by work (the smaller of the two passes), most expensive first
    let work_of = |c: &serde_json::Value| {
        c["load_cpu"]
            .as_f64()
            .unwrap()
            .min(c["load_cpu_twin"].as_f64().unwrap())
    };
    assert!(worst.windows(2).all(|w| work_of(&w[0]) >= work_of(&w[1])));
    assert_eq!(work_of(&worst[0]), work, "{m}");
    let callbacks = (4.5 * 48_000.0 / 256.0) as u64;
    for c in worst {
        assert!(c["index"].as_u64().unwrap() < callbacks, "{c}");
        for key in [
            "cycle",
            "minor_faults",
            "preempted",
            "moved_core",
            "voices_started",
            "voices_stolen",
            "voices",
            "program_generation",
        ] {
            assert!(!c[key].is_null(), "no {key} in {c}");
        }
    }
    // pad plays a three-note chord every cycle (4 s): the first one starts in callback 0
    let started: u64 = worst
        .iter()
        .map(|c| c["voices_started"].as_u64().unwrap())
        .sum();
    assert!(worst.iter().all(|c| c["voices"].as_u64().unwrap() <= 16));
    assert!(started <= 6, "{m}");
    assert_eq!(m["events"], 6, "two chords of three notes in 4.5 s: {m}");
}

/// `--reload-every`: the file is evaluated again every half second and takes over at the
/// next cycle (1 s), so in 4.5 s four callbacks swap programs; their loads are reported.
#[test]
fn reload_callbacks_are_measured() {
    let dir = std::env::temp_dir().join(format!("tactus-bench-reload-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("beat.tidal");
    std::fs::write(&file, "setcps 1\nd1 $ s \"bd*4 sn\" # cutoff 2000\n").unwrap();
    let bench = |extra: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_tactus"))
            .args(["bench", "callback", "--buffers", "256", "--seconds", "4.5"])
            .args(["--no-mlock", "--json"])
            .args(extra)
            .arg(&file)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{stderr}");
        serde_json::from_str::<serde_json::Value>(String::from_utf8(out.stdout).unwrap().trim())
            .unwrap()
    };
    let m = bench(&["--reload-every", "0.5"]);
    let plain = bench(&[]);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(m["program_swaps"], 4, "{m}");
    assert_eq!(plain["program_swaps"], 0, "{plain}");
    let (swap, swap_cpu) = (
        m["load_max_swap"].as_f64().unwrap(),
        m["load_max_swap_cpu"].as_f64().unwrap(),
    );
    assert!(swap > 0.0 && swap <= m["load_max"].as_f64().unwrap(), "{m}");
    assert!(
        swap_cpu > 0.0 && swap_cpu <= m["load_max_cpu"].as_f64().unwrap(),
        "{m}"
    );
    // the reloaded program plays on: the same events as without reloads
    assert_eq!(m["events"], plain["events"], "{m}\n{plain}");
    assert!(m["events"].as_u64().unwrap() >= 4 * 5 + 3, "{m}");

    let bad = Command::new(env!("CARGO_BIN_EXE_tactus"))
        .args(["bench", "callback", "--reload-every", "0"])
        .output()
        .unwrap();
    assert!(!bad.status.success());
    assert!(
        String::from_utf8_lossy(&bad.stderr).contains("--reload-every 0"),
        "{}",
        String::from_utf8_lossy(&bad.stderr)
    );
}
