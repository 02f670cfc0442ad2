//! The canonical event format shared with the conformance tools (see DESIGN.md):
//! `{"whole": ["0","1/6"] | null, "part": [...], "value": ...}`.

use serde_json::{json, Map, Number, Value as Json};
use tactus_pattern::{Hap, Span, Value};

/// A value as JSON: strings, numbers, booleans, control maps as objects.
pub fn value(v: &Value) -> Json {
    match v {
        Value::Str(s) => Json::String(s.to_string()),
        Value::Float(x) | Value::Note(x) => num(*x),
        Value::Int(i) => Json::Number((*i).into()),
        Value::Rational(r) => num(r.to_f64()),
        Value::Bool(b) => Json::Bool(*b),
        Value::Map(m) => {
            let mut o = Map::new();
            for (k, v) in m.iter() {
                o.insert(k.to_string(), value(v));
            }
            Json::Object(o)
        }
    }
}

fn num(x: f64) -> Json {
    Number::from_f64(x).map(Json::Number).unwrap_or(Json::Null)
}

fn span(s: &Span) -> Json {
    json!([s.begin.to_string(), s.end.to_string()])
}

/// One hap as a canonical JSON object.
pub fn hap(h: &Hap<Value>) -> Json {
    json!({
        "whole": h.whole.as_ref().map(span).unwrap_or(Json::Null),
        "part": span(&h.part),
        "value": value(&h.value),
    })
}

/// Sorts haps the way the oracle does: part begin, part end, whole, then value.
pub fn sort(haps: &mut [Hap<Value>]) {
    // Each value is rendered once, not once per comparison.
    haps.sort_by_cached_key(|h| {
        (
            h.part.begin,
            h.part.end,
            h.whole,
            value(&h.value).to_string(),
        )
    });
}
