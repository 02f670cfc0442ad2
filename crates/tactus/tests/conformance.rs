//! Runs the conformance corpora (cases made with the real TidalCycles 1.7.10 through
//! `tidal-oracle`) through `tactus query --cases` and compares with compare.py's rules:
//! events as multisets, times exactly, numbers within 1e-9 relative (1e-12 absolute),
//! ints and floats equal by value, strings and bools exactly.

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::Command;

use serde_json::Value as Json;

fn corpus_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/conformance")
}

fn load(path: &PathBuf) -> Vec<Json> {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("valid JSON line"))
        .collect()
}

/// An exact rational as (numerator, denominator) in lowest terms.
fn rat(s: &str) -> (i128, i128) {
    let (n, d) = match s.split_once('/') {
        Some((a, b)) => (a.parse::<i128>().unwrap(), b.parse::<i128>().unwrap()),
        None => (s.parse::<i128>().unwrap(), 1),
    };
    let g = gcd(n.abs(), d.abs()).max(1);
    (n / g * d.signum(), d.abs() / g)
}

fn gcd(a: i128, b: i128) -> i128 {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

fn span(v: &Json) -> Option<((i128, i128), (i128, i128))> {
    let a = v.as_array()?;
    Some((rat(a[0].as_str()?), rat(a[1].as_str()?)))
}

fn same_value(a: &Json, b: &Json) -> bool {
    match (a, b) {
        (Json::Number(x), Json::Number(y)) => {
            let (x, y) = (x.as_f64().unwrap(), y.as_f64().unwrap());
            x == y || (x - y).abs() <= f64::max(1e-9 * f64::max(x.abs(), y.abs()), 1e-12)
        }
        (Json::Object(x), Json::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| same_value(v, w)))
        }
        _ => a == b,
    }
}

fn same_events(exp: &[Json], act: &[Json]) -> bool {
    if exp.len() != act.len() {
        return false;
    }
    let mut left: Vec<&Json> = act.iter().collect();
    for e in exp {
        let key = (span(&e["whole"]), span(&e["part"]));
        match left.iter().position(|a| {
            (span(&a["whole"]), span(&a["part"])) == key && same_value(&e["value"], &a["value"])
        }) {
            Some(i) => {
                left.remove(i);
            }
            None => return false,
        }
    }
    true
}

fn run_corpus(cases: &str, expected: &str) -> (usize, Vec<String>) {
    let dir = corpus_dir();
    let out = Command::new(env!("CARGO_BIN_EXE_tactus"))
        .args(["query", "--cases"])
        .arg(dir.join(cases))
        .output()
        .expect("run tactus");
    assert!(
        out.status.success(),
        "tactus query --cases failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let actual: HashMap<String, Json> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let j: Json = serde_json::from_str(l).unwrap();
            (j["id"].as_str().unwrap().to_string(), j)
        })
        .collect();
    let mut passed = 0;
    let mut failures = Vec::new();
    for e in load(&dir.join(expected)) {
        let id = e["id"].as_str().unwrap();
        let ok = actual
            .get(id)
            .and_then(|a| a["events"].as_array())
            .is_some_and(|evs| same_events(e["events"].as_array().unwrap(), evs));
        if ok {
            passed += 1;
        } else {
            let why = actual
                .get(id)
                .and_then(|a| {
                    a.get("error")
                        .and_then(|x| x.as_str())
                        .map(|s| s.to_string())
                })
                .unwrap_or_else(|| "events differ".into());
            let got = actual
                .get(id)
                .map(|a| a["events"].to_string())
                .unwrap_or_default();
            failures.push(format!(
                "FAIL {id}: {}  [{why}]\n  expected: {:.400}\n  actual:   {:.400}",
                e["expr"],
                e["events"].to_string(),
                got
            ));
        }
    }
    (passed, failures)
}

fn check(cases: &str, expected: &str) {
    let (passed, failures) = run_corpus(cases, expected);
    for f in &failures {
        eprintln!("{f}");
    }
    eprintln!("{passed} passed, {} failed", failures.len());
    assert!(
        failures.is_empty(),
        "{passed} passed, {} failed",
        failures.len()
    );
}

/// The public corpus shipped in ../shared/conformance (copied into the repo).
#[test]
fn tidal_corpus() {
    check("tidal-cases.jsonl", "tidal-expected.jsonl");
}

/// Our own cases, answered by the real Tidal 1.7.10 with tidal-oracle.
#[test]
fn tactus_corpus() {
    check("tactus-cases.jsonl", "tactus-expected.jsonl");
}
