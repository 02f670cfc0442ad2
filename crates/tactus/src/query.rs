//! `tactus query`: the events of a pattern expression, as a table or canonical JSON, and
//! the batch form used by the conformance suite.

use std::io::{BufRead, Write};
use std::process::ExitCode;

use anyhow::{bail, Context as _, Result};
use clap::Args;
use serde_json::json;
use tactus_lang::diagnostic::Diagnostic;
use tactus_lang::eval::types::Ty;
use tactus_lang::program::eval_pattern;
use tactus_pattern::{Hap, Span, Time, Value, DEFAULT_EVENT_CAP};

use crate::json;

/// Arguments of `tactus query`.
#[derive(Args)]
pub struct QueryArgs {
    /// The pattern expression, e.g. 'every 2 (fast 2) $ s "bd sn"'.
    #[arg(required_unless_present = "cases")]
    expr: Option<String>,
    /// How to read the expression: control, string, double, int, bool, note, rational.
    #[arg(long = "type", default_value = "control")]
    ty: String,
    /// Start of the query span in cycles (n, n/d or decimal).
    #[arg(long, default_value = "0", allow_hyphen_values = true)]
    from: String,
    /// End of the query span in cycles.
    #[arg(long, default_value = "1", allow_hyphen_values = true)]
    to: String,
    /// Print canonical JSON lines instead of a table.
    #[arg(long)]
    json: bool,
    /// Answer a whole case file (JSON lines: id, expr, type, from, to).
    #[arg(long, conflicts_with = "expr")]
    cases: Option<std::path::PathBuf>,
    /// Maximum number of events one query may produce.
    #[arg(long, default_value_t = DEFAULT_EVENT_CAP)]
    max_events: usize,
}

fn parse_ty(s: &str) -> Result<Ty> {
    match Ty::from_name(s) {
        Some(t) if s.chars().all(|c| c.is_ascii_lowercase()) => Ok(t),
        _ => bail!("unknown --type {s:?}: expected one of control, string, double, int, bool, note, rational"),
    }
}

fn parse_time(s: &str, what: &str) -> Result<Time> {
    s.parse::<Time>()
        .map_err(|e| anyhow::anyhow!("--{what}: {e}"))
}

/// Evaluates and queries one expression; the error is a rendered diagnostic.
fn events(expr: &str, ty: Ty, from: Time, to: Time, cap: usize) -> Result<Vec<Hap<Value>>, String> {
    let pat = eval_pattern(expr, ty).map_err(|d: Diagnostic| d.render("<expr>", expr))?;
    let mut haps = pat
        .try_query(Span::new(from, to), cap)
        .map_err(|e| format!("error: {e}"))?;
    json::sort(&mut haps);
    Ok(haps)
}

/// Runs `tactus query`.
pub fn run(a: QueryArgs) -> Result<ExitCode> {
    if let Some(path) = &a.cases {
        return run_cases(path, a.max_events);
    }
    let expr = a.expr.as_deref().unwrap_or_default();
    let ty = parse_ty(&a.ty)?;
    let from = parse_time(&a.from, "from")?;
    let to = parse_time(&a.to, "to")?;
    if to < from {
        bail!("--to ({to}) is before --from ({from})");
    }
    let haps = match events(expr, ty, from, to, a.max_events) {
        Ok(h) => h,
        Err(msg) => {
            eprint!("{msg}");
            if !msg.ends_with('\n') {
                eprintln!();
            }
            return Ok(ExitCode::from(1));
        }
    };
    let out = std::io::stdout();
    let mut out = out.lock();
    for h in &haps {
        if a.json {
            writeln!(out, "{}", json::hap(h))?;
        } else {
            writeln!(out, "{}", table_row(h))?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn table_row(h: &Hap<Value>) -> String {
    let whole = match h.whole {
        Some(w) if w == h.part => format!("{:>8} → {:<8}", w.begin.to_string(), w.end.to_string()),
        Some(w) => format!(
            "{:>8} → {:<8} (part {} → {})",
            w.begin.to_string(),
            w.end.to_string(),
            h.part.begin,
            h.part.end
        ),
        None => format!(
            "{:>8} ~ {:<8} (continuous)",
            h.part.begin.to_string(),
            h.part.end.to_string()
        ),
    };
    format!("{whole}  {}", h.value)
}

fn run_cases(path: &std::path::Path, cap: usize) -> Result<ExitCode> {
    let f = std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let out = std::io::stdout();
    let mut out = out.lock();
    for (n, line) in std::io::BufReader::new(f).lines().enumerate() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let case: serde_json::Value = serde_json::from_str(&line)
            .with_context(|| format!("{}:{}: not a JSON object", path.display(), n + 1))?;
        let field = |k: &str, d: &str| {
            case.get(k)
                .and_then(|v| v.as_str())
                .unwrap_or(d)
                .to_string()
        };
        let id = field("id", &format!("line{}", n + 1));
        let expr = field("expr", "");
        let ty_s = field("type", "control");
        let from_s = field("from", "0");
        let to_s = field("to", "1");
        let mut obj = json!({"id": id, "expr": expr, "type": ty_s, "from": from_s, "to": to_s});
        let result = parse_ty(&ty_s).map_err(|e| e.to_string()).and_then(|ty| {
            let from = parse_time(&from_s, "from").map_err(|e| e.to_string())?;
            let to = parse_time(&to_s, "to").map_err(|e| e.to_string())?;
            obj["from"] = json!(from.to_string());
            obj["to"] = json!(to.to_string());
            events(&expr, ty, from, to, cap)
        });
        match result {
            Ok(haps) => {
                obj["events"] = serde_json::Value::Array(haps.iter().map(json::hap).collect())
            }
            Err(e) => obj["error"] = json!(e.trim_end()),
        }
        writeln!(out, "{obj}")?;
    }
    Ok(ExitCode::SUCCESS)
}
