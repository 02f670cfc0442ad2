//! `tactus play` with instruments, end to end through a real JACK server (`jackd -d
//! dummy` under a unique name; skipped with a message when jackd is not installed): a file
//! whose only sound is an `instrument` plays, an edit of the instrument takes over, and an
//! edit that breaks it is reported while the previous instrument keeps sounding.

#[path = "support/jack_server.rs"]
mod jack_server;
#[path = "support/stderr_watch.rs"]
mod stderr_watch;

use jack_server::installed;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use stderr_watch::StderrWatch;

use serde_json::Value;

fn temp_dir(attempt: u32) -> PathBuf {
    let d = std::env::temp_dir().join(format!(
        "tactus-play-instr-{}-{attempt}",
        std::process::id()
    ));
    std::fs::create_dir_all(&d).unwrap();
    d
}

const FIRST: &str = "setcps 1
instrument \"tone\" $ 0.3 * osc \"sine\" freq * adsr 0.005 0.1 0.8 0.1 gate
d1 $ note \"c e g\" # s \"tone\" # cutoff 2000
";

/// One 6 s run: the first file, a good edit 2 s after the player says it is playing, a
/// broken one 2 s later. `Err` when the fresh server did not accept the client (the caller
/// tries again).
fn run(attempt: u32) -> Result<(Value, String), String> {
    let server = format!("tactus-instr-{}-{attempt}", std::process::id());
    let dir = temp_dir(attempt);
    let _jackd = jack_server::start_jackd(&server, 256, &dir);
    let file = dir.join("tone.tidal");
    std::fs::write(&file, FIRST).unwrap();
    let json = dir.join("metrics.json");
    let mut child = Command::new(env!("CARGO_BIN_EXE_tactus"))
        .args([
            "play",
            "--host",
            "jack",
            "--duration",
            "6",
            "--metrics-json",
        ])
        .arg(&json)
        .arg(&file)
        .env("JACK_DEFAULT_SERVER", &server)
        .env("JACK_NO_START_SERVER", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // edits only once the player watches the file (a slow start must not swallow one)
    let stderr = StderrWatch::start(&mut child, "playing");
    let playing = stderr.wait(Duration::from_secs(30));
    std::thread::sleep(Duration::from_secs(if playing { 2 } else { 0 }));
    let edited = FIRST.replace(
        "osc \"sine\" freq",
        "osc \"tri\" (freq * 2) * ctl \"cutoff\" 1000 / 1000",
    );
    std::fs::write(&file, &edited).unwrap();
    std::thread::sleep(Duration::from_secs(2));
    let broken = edited.replace("(freq * 2)", "(freq * \"<1 2>\")");
    std::fs::write(&file, broken).unwrap();
    let start = Instant::now();
    let status = loop {
        if let Some(st) = child.try_wait().unwrap() {
            break st;
        }
        if start.elapsed() > Duration::from_secs(40) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("tactus play did not exit within 40 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let stderr = stderr.text();
    if !status.success() && stderr.contains("no usable audio output") {
        let _ = std::fs::remove_dir_all(&dir);
        return Err(stderr);
    }
    assert!(status.success(), "tactus play failed: {stderr}");
    let doc = read_json(&json);
    let _ = std::fs::remove_dir_all(&dir);
    Ok((doc, stderr))
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

#[test]
fn plays_an_instrument_through_jack_with_a_good_and_a_broken_edit() {
    if !installed("jackd") {
        eprintln!("SKIPPED: jackd is not installed (apt-get install jackd2); the instrument play test did not run");
        return;
    }
    let mut result = None;
    for attempt in 0..3 {
        match run(attempt) {
            Ok(r) => {
                result = Some(r);
                break;
            }
            Err(e) => {
                eprintln!("the JACK server was not ready (attempt {attempt}): {e}");
                std::thread::sleep(Duration::from_secs(2));
            }
        }
    }
    let (doc, stderr) = result.expect("tactus play could not connect to a fresh JACK server");
    let m = &doc["metrics"];
    let num = |v: &Value| {
        v.as_f64()
            .unwrap_or_else(|| panic!("not a number: {v} in {doc}"))
    };
    let reloads = doc["reloads"].as_array().unwrap();
    assert_eq!(reloads.len(), 2, "{doc}");
    assert_eq!(reloads[0]["ok"], true, "{stderr}");
    assert_eq!(
        doc["programs"].as_array().unwrap().len(),
        2,
        "the edit took over: {doc}"
    );
    assert_eq!(reloads[1]["ok"], false);
    assert!(stderr.contains("cannot read patterns"), "{stderr}");
    assert_eq!(m["program_generation"], 1);
    // the only sound is the instrument: it kept playing after the broken edit
    let after = num(&m["callbacks"]) - num(&reloads[1]["callbacks"]);
    let loud = num(&m["nonsilent_callbacks"]) - num(&reloads[1]["nonsilent_callbacks"]);
    assert!(
        after > 100.0 && loud / after > 0.9,
        "{loud} of {after} callbacks after the broken edit had sound"
    );
    let before = num(&reloads[0]["nonsilent_callbacks"]) / num(&reloads[0]["callbacks"]);
    assert!(
        before > 0.8,
        "the first instrument sounded in {before} of the callbacks"
    );
}
