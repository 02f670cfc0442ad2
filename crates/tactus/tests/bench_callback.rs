//! `tactus bench callback` with the options that explain the worst callbacks (`--worst`,
//! `--twin`, `--no-mlock`): the JSON carries the N worst callbacks, sorted, each with what
//! happened in it. No timing is asserted (speed goals live in the benchmark itself).

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
