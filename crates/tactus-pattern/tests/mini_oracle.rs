//! Mini-notation, randomness and Euclid against the real Tidal 1.7.10.
//!
//! `tests/data/mini_oracle.jsonl` was produced by `tests/data/gen_mini_oracle.py` with the
//! Tidal oracle. Cases with a `mini` field are mini-notation strings; the others are
//! function expressions rebuilt here by id. Times must match exactly, numbers within 1e-9.

use std::collections::BTreeMap;

use serde_json::Value as Json;
use tactus_pattern::core::{fast_pat, slowcat};
use tactus_pattern::euclid::{euclid, euclid_full, euclid_inv, euclid_off};
use tactus_pattern::mini::{mini_pattern, AtomKind};
use tactus_pattern::random::{
    choose, degrade_by, irand, perlin, rand, randcat, scramble, segment, shuffle, some_cycles_by,
    sometimes_by, undegrade_by, wchoose, wrandcat,
};
use tactus_pattern::{Hap, Pattern, Span, Time, Value, ValueMap};

#[derive(Clone, Debug, PartialEq, PartialOrd)]
enum V {
    B(bool),
    N(f64),
    S(String),
    M(Vec<(String, V)>),
}

type Ev = (Option<(Time, Time)>, (Time, Time), V);

fn time(j: &Json) -> Time {
    j.as_str().unwrap().parse().unwrap()
}

fn json_value(j: &Json) -> V {
    match j {
        Json::Bool(b) => V::B(*b),
        Json::Number(n) => V::N(n.as_f64().unwrap()),
        Json::String(s) => V::S(s.clone()),
        Json::Object(m) => V::M(m.iter().map(|(k, v)| (k.clone(), json_value(v))).collect()),
        Json::Null => V::N(f64::NAN),
        Json::Array(_) => panic!("unexpected array value"),
    }
}

fn our_value(v: &Value) -> V {
    match v {
        Value::Str(s) => V::S(s.to_string()),
        Value::Float(x) | Value::Note(x) => V::N(*x),
        Value::Int(i) => V::N(*i as f64),
        Value::Rational(r) => V::N(r.to_f64()),
        Value::Bool(b) => V::B(*b),
        Value::Map(m) => {
            let b: BTreeMap<String, V> = m
                .iter()
                .map(|(k, v)| (k.to_string(), our_value(v)))
                .collect();
            V::M(b.into_iter().collect())
        }
    }
}

fn json_events(j: &Json) -> Vec<Ev> {
    j.as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let whole = match &e["whole"] {
                Json::Null => None,
                w => Some((time(&w[0]), time(&w[1]))),
            };
            let part = (time(&e["part"][0]), time(&e["part"][1]));
            (whole, part, json_value(&e["value"]))
        })
        .collect()
}

fn our_events(haps: &[Hap<Value>]) -> Vec<Ev> {
    haps.iter()
        .map(|h| {
            (
                h.whole.map(|w| (w.begin, w.end)),
                (h.part.begin, h.part.end),
                our_value(&h.value),
            )
        })
        .collect()
}

fn sort(evs: &mut [Ev]) {
    evs.sort_by(|a, b| {
        (a.1, a.0)
            .cmp(&(b.1, b.0))
            .then(a.2.partial_cmp(&b.2).unwrap_or(std::cmp::Ordering::Equal))
    });
}

fn close(a: &V, b: &V) -> bool {
    match (a, b) {
        (V::N(x), V::N(y)) => (x - y).abs() <= 1e-9 * (1.0 + x.abs().max(y.abs())),
        (V::M(x), V::M(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|((k1, v1), (k2, v2))| k1 == k2 && close(v1, v2))
        }
        _ => a == b,
    }
}

// ----- building blocks for function cases -----

fn p_str(s: &str) -> Pattern<Value> {
    mini_pattern(s, AtomKind::String, 0).unwrap()
}

fn ctl(name: &'static str, p: &Pattern<Value>) -> Pattern<Value> {
    p.fmap(move |v| Value::Map(ValueMap::singleton(name, v.clone())))
}

fn s(m: &str) -> Pattern<Value> {
    ctl("s", &p_str(m))
}

fn n_note(m: &str) -> Pattern<Value> {
    ctl("n", &mini_pattern(m, AtomKind::Note, 0).unwrap())
}

/// Tidal's `#`: structure from the left, values from the right.
fn hash(a: &Pattern<Value>, b: &Pattern<Value>) -> Pattern<Value> {
    a.app_left(b, |x, y| match (x, y) {
        (Value::Map(x), Value::Map(y)) => Value::Map(y.union_left(x)),
        _ => y.clone(),
    })
}

fn float(p: &Pattern<f64>) -> Pattern<Value> {
    p.fmap(|x| Value::Float(*x))
}

fn ints(m: &str) -> Pattern<i64> {
    mini_pattern(m, AtomKind::Int, 0)
        .unwrap()
        .fmap(|v| match v {
            Value::Int(i) => *i,
            _ => 0,
        })
}

fn pure_t(n: i64) -> Pattern<Time> {
    Pattern::pure(Time::int(n))
}

fn function_case(id: &str) -> Pattern<Value> {
    let speed2 = |p: &Pattern<Value>| hash(p, &ctl("speed", &Pattern::pure(Value::Float(2.0))));
    match id {
        "fn_rand" | "fn_rand_neg" => float(&rand()),
        "fn_rand_seg" => float(&segment(&pure_t(4), &rand())),
        "fn_irand" => segment(
            &pure_t(8),
            &irand(&Pattern::pure(8)).fmap(|i| Value::Float(*i as f64)),
        ),
        "fn_s_irand" => hash(
            &s("bd*8"),
            &ctl(
                "n",
                &irand(&Pattern::pure(8)).fmap(|i| Value::Note(*i as f64)),
            ),
        ),
        "fn_perlin" => float(&segment(&pure_t(4), &perlin())),
        "fn_gain_perlin" => hash(&s("hh*4"), &ctl("gain", &float(&perlin()))),
        "fn_choose" => float(&choose(vec![0.0, 2.0, 7.0])),
        "fn_choose_seg" => float(&segment(&pure_t(4), &choose(vec![0.0, 2.0, 7.0]))),
        "fn_wchoose" => float(&segment(
            &pure_t(8),
            &wchoose(vec![(0.0, 0.25), (2.0, 0.5), (7.0, 0.25)]),
        )),
        "fn_degrade" => degrade_by(&Pattern::pure(0.5), &s("hh*8")),
        "fn_degrade_many" => degrade_by(&Pattern::pure(0.3), &s("hh*8")),
        "fn_degrade_pat" => degrade_by(
            &mini_pattern("<0.2 0.8>", AtomKind::Float, 0)
                .unwrap()
                .fmap(|v| v.as_f64().unwrap_or(0.0)),
            &s("hh*8"),
        ),
        "fn_undegrade" => undegrade_by(&Pattern::pure(0.5), &s("hh*8")),
        "fn_sometimes" => sometimes_by(&Pattern::pure(0.3), speed2, &s("hh*8")),
        "fn_sometimes_fast" => {
            sometimes_by(&Pattern::pure(0.5), |p| fast_pat(&pure_t(2), p), &s("bd*8"))
        }
        "fn_somecycles" => some_cycles_by(&Pattern::pure(0.3), speed2, &s("bd sn")),
        "fn_randcat" => randcat(vec![s("bd*2"), s("sn"), s("hh*3")]),
        "fn_wrandcat" => wrandcat(vec![(s("bd*2"), 0.5), (s("sn"), 0.25), (s("hh*3"), 0.25)]),
        "fn_shuffle" => shuffle(&Pattern::pure(4), &n_note("0 1 2 3")),
        "fn_scramble" => scramble(&Pattern::pure(4), &n_note("0 1 2 3")),
        "fn_shuffle_pat" => shuffle(&ints("<2 4>"), &n_note("0 1 2 3")),
        "fn_euclid" => euclid(&Pattern::pure(3), &Pattern::pure(8), &s("bd")),
        "fn_euclid_inv" => euclid_inv(&Pattern::pure(3), &Pattern::pure(8), &s("bd")),
        "fn_euclid_full" => euclid_full(&Pattern::pure(3), &Pattern::pure(8), &s("bd"), &s("hh")),
        "fn_euclid_off" => euclid_off(
            &Pattern::pure(3),
            &Pattern::pure(8),
            &Pattern::pure(2),
            &s("bd"),
        ),
        "fn_euclid_pat" => euclid(&ints("<3 5>"), &ints("8 16"), &s("bd")),
        "fn_euclid_neg" => euclid(&Pattern::pure(-3), &Pattern::pure(8), &s("bd")),
        other => panic!("no Rust definition for case {other}"),
    }
}

fn kind(t: &str) -> AtomKind {
    match t {
        "string" => AtomKind::String,
        "double" => AtomKind::Float,
        "int" => AtomKind::Int,
        "note" => AtomKind::Note,
        "rational" => AtomKind::Rational,
        "bool" => AtomKind::Bool,
        other => panic!("type {other} is not a mini-notation type"),
    }
}

#[test]
fn matches_tidal_oracle() {
    let data = include_str!("data/mini_oracle.jsonl");
    let mut failures = Vec::new();
    let mut count = 0;
    for line in data.lines().filter(|l| !l.trim().is_empty()) {
        let case: Json = serde_json::from_str(line).unwrap();
        let id = case["id"].as_str().unwrap();
        let pat = match case.get("mini") {
            Some(m) => {
                match mini_pattern(m.as_str().unwrap(), kind(case["type"].as_str().unwrap()), 0) {
                    Ok(p) => p,
                    Err(e) => {
                        failures.push(format!(
                            "{id} {}: parse error {e} at {:?}",
                            case["expr"],
                            e.span()
                        ));
                        continue;
                    }
                }
            }
            None => function_case(id),
        };
        let span = Span::new(time(&case["from"]), time(&case["to"]));
        let mut ours = our_events(&pat.try_query(span, 100_000).unwrap());
        let mut theirs = json_events(&case["events"]);
        sort(&mut ours);
        sort(&mut theirs);
        count += 1;
        let same = ours.len() == theirs.len()
            && ours
                .iter()
                .zip(&theirs)
                .all(|(a, b)| a.0 == b.0 && a.1 == b.1 && close(&a.2, &b.2));
        if !same {
            failures.push(format!(
                "{id} {} [{}..{}]\n  tidal: {:?}\n  ours:  {:?}",
                case["expr"], case["from"], case["to"], theirs, ours
            ));
        }
    }
    assert!(count > 100, "only {count} cases");
    assert!(
        failures.is_empty(),
        "{} of {count} cases differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn slowcat_of_words_is_alternation() {
    let a = p_str("<a b>");
    let b = slowcat(vec![p_str("a"), p_str("b")]);
    for c in -3..5 {
        let span = Span::new(Time::int(c), Time::int(c + 1));
        let x: Vec<_> = a
            .query_span(span)
            .into_iter()
            .map(|h| (h.whole, h.part, h.value))
            .collect();
        let y: Vec<_> = b
            .query_span(span)
            .into_iter()
            .map(|h| (h.whole, h.part, h.value))
            .collect();
        assert_eq!(x, y);
    }
}
