//! Checks the library against Tidal 1.7.10's own output.
//!
//! Each case pairs a Tidal expression with the same pattern built in Rust. The expressions
//! and Tidal's answers live in `tests/data/library_oracle.jsonl`. To add or change cases,
//! edit `tests/oracle_cases/`, then regenerate:
//!
//! ```text
//! TACTUS_WRITE_CASES=1 cargo test -p tactus-pattern --test library_oracle
//! python3 ../shared/tools/tidal-oracle/tidal_oracle.py \
//!     --cases crates/tactus-pattern/tests/data/library_cases.jsonl \
//!     > crates/tactus-pattern/tests/data/library_oracle.jsonl
//! ```

mod common;
mod oracle_cases;

use std::collections::HashMap;
use std::path::PathBuf;

use common::{compare, Pat};
use serde_json::Value as Json;
use tactus_pattern::{Span, Time};

pub struct Case {
    pub id: &'static str,
    pub expr: &'static str,
    pub from: &'static str,
    pub to: &'static str,
    pub build: fn() -> Pat,
}

fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name)
}

#[test]
fn library_matches_tidal() {
    let cases = oracle_cases::all();
    let mut seen = HashMap::new();
    for c in &cases {
        assert!(
            seen.insert(c.id, ()).is_none(),
            "duplicate case id {}",
            c.id
        );
    }
    if std::env::var_os("TACTUS_WRITE_CASES").is_some() {
        let lines: Vec<String> = cases
            .iter()
            .map(|c| {
                serde_json::json!({
                    "id": c.id, "expr": c.expr, "type": (c.build)().type_name(),
                    "from": c.from, "to": c.to,
                })
                .to_string()
            })
            .collect();
        std::fs::write(data("library_cases.jsonl"), lines.join("\n") + "\n").unwrap();
        return;
    }
    let text = std::fs::read_to_string(data("library_oracle.jsonl")).unwrap();
    let expected: HashMap<String, Json> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let j: Json = serde_json::from_str(l).unwrap();
            (j["id"].as_str().unwrap().to_string(), j)
        })
        .collect();
    let mut failures = Vec::new();
    let mut checked = 0;
    for c in &cases {
        let Some(exp) = expected.get(c.id) else {
            failures.push(format!("{}: no oracle answer (regenerate the data)", c.id));
            continue;
        };
        assert_eq!(
            exp["expr"].as_str(),
            Some(c.expr),
            "{}: expression changed",
            c.id
        );
        let from: Time = c.from.parse().unwrap();
        let to: Time = c.to.parse().unwrap();
        let pat = (c.build)();
        let actual = pat.events(Span::new(from, to));
        if let Some(diff) = compare(exp["events"].as_array().unwrap(), actual) {
            failures.push(format!(
                "{} `{}` [{}, {}):\n{}",
                c.id, c.expr, c.from, c.to, diff
            ));
        }
        checked += 1;
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases differ from Tidal:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
    assert!(checked > 0);
}
