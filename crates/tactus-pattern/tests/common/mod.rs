//! Test harness for the library's oracle tests: a tiny mini-notation subset for building
//! test patterns (words, `~`, `[ ]`, `< >`, `,`, `*n`, `/n`, `@w`), control builders, and
//! comparison against Tidal's output in the canonical JSON event format.
#![allow(dead_code)]

use std::sync::Arc;

use serde_json::Value as Json;
use tactus_pattern::core::{fast, fastcat, slow, slowcat, stack, timecat};
use tactus_pattern::library::control::param;
use tactus_pattern::{Hap, PatFn, Pattern, Span, Time, Value, ValueMap};

/// A pattern under test, by the type Tidal reads the expression as.
#[derive(Clone)]
pub enum Pat {
    Control(Pattern<ValueMap>),
    Str(Pattern<String>),
    F64(Pattern<f64>),
    I64(Pattern<i64>),
    Bool(Pattern<bool>),
    Time(Pattern<Time>),
}

impl Pat {
    pub fn type_name(&self) -> &'static str {
        match self {
            Pat::Control(_) => "control",
            Pat::Str(_) => "string",
            Pat::F64(_) => "double",
            Pat::I64(_) => "int",
            Pat::Bool(_) => "bool",
            Pat::Time(_) => "rational",
        }
    }

    /// Queries and converts every hap to `(whole, part, json value)`.
    pub fn events(&self, span: Span) -> Vec<(Option<Span>, Span, Json)> {
        fn conv<T>(hs: Vec<Hap<T>>, f: impl Fn(&T) -> Json) -> Vec<(Option<Span>, Span, Json)> {
            hs.into_iter()
                .map(|h| (h.whole, h.part, f(&h.value)))
                .collect()
        }
        match self {
            Pat::Control(p) => conv(p.try_query(span, 100_000).unwrap(), |m| {
                Json::Object(
                    m.iter()
                        .map(|(k, v)| (k.to_string(), value_json(v)))
                        .collect(),
                )
            }),
            Pat::Str(p) => conv(p.try_query(span, 100_000).unwrap(), |s| {
                Json::from(s.clone())
            }),
            Pat::F64(p) => conv(p.try_query(span, 100_000).unwrap(), |x| num_json(*x)),
            Pat::I64(p) => conv(p.try_query(span, 100_000).unwrap(), |x| Json::from(*x)),
            Pat::Bool(p) => conv(p.try_query(span, 100_000).unwrap(), |x| Json::from(*x)),
            Pat::Time(p) => conv(p.try_query(span, 100_000).unwrap(), |x| {
                num_json(x.to_f64())
            }),
        }
    }
}

fn num_json(x: f64) -> Json {
    serde_json::Number::from_f64(x)
        .map(Json::Number)
        .unwrap_or(Json::Null)
}

fn value_json(v: &Value) -> Json {
    match v {
        Value::Str(s) => Json::from(s.to_string()),
        Value::Bool(b) => Json::from(*b),
        Value::Int(i) => Json::from(*i),
        other => num_json(other.as_f64().unwrap_or(f64::NAN)),
    }
}

fn json_eq(a: &Json, b: &Json) -> bool {
    match (a, b) {
        (Json::Number(x), Json::Number(y)) => {
            let (x, y) = (x.as_f64().unwrap(), y.as_f64().unwrap());
            (x - y).abs() <= 1e-9 * x.abs().max(y.abs()).max(1.0)
        }
        (Json::Object(x), Json::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_eq(v, w)))
        }
        _ => a == b,
    }
}

fn span_json(s: &Span) -> Json {
    Json::Array(vec![
        Json::from(s.begin.to_string()),
        Json::from(s.end.to_string()),
    ])
}

fn show(e: &(Option<Span>, Span, Json)) -> String {
    format!(
        "whole {} part {} value {}",
        e.0.as_ref().map(span_json).unwrap_or(Json::Null),
        span_json(&e.1),
        e.2
    )
}

/// Compares actual events to the oracle's as multisets; returns a description of the
/// differences, or `None` when they match.
pub fn compare(expected: &[Json], actual: Vec<(Option<Span>, Span, Json)>) -> Option<String> {
    let mut left: Vec<(Option<Span>, Span, Json)> = actual;
    let mut missing = Vec::new();
    for e in expected {
        let whole = match &e["whole"] {
            Json::Null => None,
            w => Some(parse_span(w)),
        };
        let part = parse_span(&e["part"]);
        let pos = left
            .iter()
            .position(|(w, p, v)| *w == whole && *p == part && json_eq(v, &e["value"]));
        match pos {
            Some(i) => {
                left.remove(i);
            }
            None => missing.push(format!("  missing {e}")),
        }
    }
    if missing.is_empty() && left.is_empty() {
        return None;
    }
    let extra: Vec<String> = left
        .iter()
        .map(|e| format!("  extra   {}", show(e)))
        .collect();
    Some([missing, extra].concat().join("\n"))
}

fn parse_span(j: &Json) -> Span {
    let t = |x: &Json| x.as_str().unwrap().parse::<Time>().unwrap();
    Span::new(t(&j[0]), t(&j[1]))
}

// ----- a tiny mini-notation for building test patterns -----

struct Mini<'a> {
    s: &'a [u8],
    i: usize,
}

impl Mini<'_> {
    fn ws(&mut self) {
        while self.i < self.s.len() && self.s[self.i] == b' ' {
            self.i += 1;
        }
    }
    fn peek(&self) -> Option<u8> {
        self.s.get(self.i).copied()
    }
    fn number(&mut self) -> Time {
        let st = self.i;
        while self.i < self.s.len()
            && (self.s[self.i].is_ascii_digit() || b"./-".contains(&self.s[self.i]))
        {
            self.i += 1;
        }
        std::str::from_utf8(&self.s[st..self.i])
            .unwrap()
            .parse()
            .unwrap()
    }
    /// A sequence up to `]`, `>`, `,` or the end: `(weight, pattern)` steps.
    fn seq(&mut self) -> Vec<(Time, Pattern<String>)> {
        let mut steps = Vec::new();
        loop {
            self.ws();
            match self.peek() {
                None | Some(b']') | Some(b'>') | Some(b',') => return steps,
                _ => {}
            }
            let mut p = self.term();
            let mut w = Time::ONE;
            loop {
                match self.peek() {
                    Some(b'*') => {
                        self.i += 1;
                        p = fast(self.number(), &p);
                    }
                    Some(b'/') => {
                        self.i += 1;
                        p = slow(self.number(), &p);
                    }
                    Some(b'@') => {
                        self.i += 1;
                        w = self.number();
                    }
                    _ => break,
                }
            }
            steps.push((w, p));
        }
    }
    fn term(&mut self) -> Pattern<String> {
        match self.peek() {
            Some(b'[') => {
                self.i += 1;
                let mut layers = vec![seq_pat(self.seq())];
                while self.peek() == Some(b',') {
                    self.i += 1;
                    layers.push(seq_pat(self.seq()));
                }
                assert_eq!(self.peek(), Some(b']'));
                self.i += 1;
                stack(layers)
            }
            Some(b'<') => {
                self.i += 1;
                let steps = self.seq();
                assert_eq!(self.peek(), Some(b'>'));
                self.i += 1;
                slowcat(steps.into_iter().map(|(_, p)| p).collect())
            }
            _ => {
                let st = self.i;
                while self.i < self.s.len() && !b" []<>,*/@".contains(&self.s[self.i]) {
                    self.i += 1;
                }
                let w = std::str::from_utf8(&self.s[st..self.i])
                    .unwrap()
                    .to_string();
                if w == "~" {
                    Pattern::silence()
                } else {
                    Pattern::pure(w)
                }
            }
        }
    }
}

fn seq_pat(steps: Vec<(Time, Pattern<String>)>) -> Pattern<String> {
    if steps.iter().all(|(w, _)| *w == Time::ONE) {
        fastcat(steps.into_iter().map(|(_, p)| p).collect())
    } else {
        timecat(steps)
    }
}

/// Parses the test mini-notation into a pattern of words.
pub fn mn(src: &str) -> Pattern<String> {
    let mut m = Mini {
        s: src.as_bytes(),
        i: 0,
    };
    let mut layers = vec![seq_pat(m.seq())];
    while m.peek() == Some(b',') {
        m.i += 1;
        layers.push(seq_pat(m.seq()));
    }
    assert_eq!(
        m.i,
        src.len(),
        "test mini-notation: unparsed input in {src:?}"
    );
    stack(layers)
}

pub fn nf(src: &str) -> Pattern<f64> {
    mn(src).fmap(|w| w.parse::<f64>().unwrap())
}

pub fn ni(src: &str) -> Pattern<i64> {
    mn(src).fmap(|w| w.parse::<i64>().unwrap())
}

pub fn nt(src: &str) -> Pattern<Time> {
    mn(src).fmap(|w| {
        if w.contains('/') || !w.contains('.') {
            w.parse::<Time>().unwrap()
        } else {
            Time::from_f64(w.parse::<f64>().unwrap())
        }
    })
}

pub fn nb(src: &str) -> Pattern<bool> {
    mn(src).fmap(|w| matches!(w.as_str(), "t" | "1" | "true"))
}

/// A string control (`s "bd sn"`).
pub fn cs(name: &str, src: &str) -> Pattern<ValueMap> {
    param(name, &mn(src).fmap(|w| Value::str(w)))
}

/// A float control (`speed "1 2"`).
pub fn cf(name: &str, src: &str) -> Pattern<ValueMap> {
    param(name, &nf(src).fmap(|x| Value::Float(*x)))
}

/// An int control (`cut "1"`).
pub fn ci(name: &str, src: &str) -> Pattern<ValueMap> {
    param(name, &ni(src).fmap(|x| Value::Int(*x)))
}

/// A note control (`n "0 .. 3"`, `note`, `up`).
pub fn cn(name: &str, src: &str) -> Pattern<ValueMap> {
    param(name, &nf(src).fmap(|x| Value::Note(*x)))
}

pub fn s(src: &str) -> Pattern<ValueMap> {
    cs("s", src)
}

pub fn n(src: &str) -> Pattern<ValueMap> {
    cn("n", src)
}

/// Wraps a closure as a pattern function.
pub fn pf<T: tactus_pattern::PatValue>(
    f: impl Fn(&Pattern<T>) -> Pattern<T> + Send + Sync + 'static,
) -> PatFn<T> {
    Arc::new(f)
}

pub fn t(n: i64, d: i64) -> Time {
    Time::new(n, d)
}

/// `t ~> p` as Tidal writes it (patterned, so queries split at cycle boundaries).
pub fn late<T: tactus_pattern::PatValue>(t: Time, p: &Pattern<T>) -> Pattern<T> {
    tactus_pattern::core::late_pat(&Pattern::pure(t), p)
}

/// `t <~ p` as Tidal writes it.
pub fn early<T: tactus_pattern::PatValue>(t: Time, p: &Pattern<T>) -> Pattern<T> {
    tactus_pattern::core::early_pat(&Pattern::pure(t), p)
}
