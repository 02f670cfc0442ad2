//! Evaluator behaviour: typing of string literals by context, operator sections,
//! composition, `let`, lambdas, and clear errors for bad input.

use tactus_lang::eval::types::Ty;
use tactus_lang::program::{eval_file, eval_pattern};
use tactus_pattern::{Span, Time, Value};

fn events(expr: &str, ty: Ty, cycles: i64) -> Vec<(String, String)> {
    let p = eval_pattern(expr, ty).unwrap_or_else(|d| panic!("{expr}: {}", d.message));
    let mut hs = p
        .try_query(Span::new(Time::ZERO, Time::int(cycles)), 100_000)
        .unwrap();
    hs.sort_by_key(|h| h.part.begin);
    hs.iter()
        .map(|h| (format!("{:?}", h.whole), h.value.to_string()))
        .collect()
}

fn err(expr: &str) -> String {
    match eval_pattern(expr, Ty::Control) {
        Ok(_) => panic!("{expr}: expected an error"),
        Err(d) => d.message,
    }
}

#[test]
fn string_literal_type_comes_from_context() {
    assert_eq!(events("s \"bd\"", Ty::Control, 1)[0].1, "(s: bd)");
    assert_eq!(events("n \"3\"", Ty::Control, 1)[0].1, "(n: 3)");
    assert_eq!(events("\"3\"", Ty::Float, 1)[0].1, "3");
}

#[test]
fn sections_and_composition() {
    assert_eq!(
        events("(# speed 2) $ s \"a\"", Ty::Control, 1),
        events("s \"a\" # speed 2", Ty::Control, 1)
    );
    assert_eq!(
        events("(fast 2 . rev) $ s \"a b\"", Ty::Control, 1),
        events("fast 2 $ rev $ s \"a b\"", Ty::Control, 1)
    );
    assert_eq!(
        events("(0.25 <~) $ s \"a b\"", Ty::Control, 1),
        events("0.25 <~ s \"a b\"", Ty::Control, 1)
    );
    assert_eq!(
        events("(|+ n 12) $ n \"0 1\"", Ty::Control, 1),
        events("n \"12 13\"", Ty::Control, 1)
    );
}

#[test]
fn let_and_lambda() {
    assert_eq!(
        events("let x = s \"a b\" in fast 2 x", Ty::Control, 1),
        events("fast 2 $ s \"a b\"", Ty::Control, 1)
    );
    assert_eq!(
        events("(\\p -> fast 2 p) $ s \"a b\"", Ty::Control, 1),
        events("fast 2 $ s \"a b\"", Ty::Control, 1)
    );
}

#[test]
fn exact_arithmetic_on_literals() {
    // (1/3) is exactly one third, as a Haskell Rational literal would be.
    let p = eval_pattern("(1/3) ~> s \"a\"", Ty::Control).unwrap();
    let hs = p.try_query(Span::new(Time::ZERO, Time::ONE), 100).unwrap();
    assert!(hs.iter().any(|h| h.whole.unwrap().begin == Time::new(1, 3)));
}

#[test]
fn unknown_function_suggests_nearest() {
    let d = eval_pattern("fsat 2 $ s \"bd\"", Ty::Control)
        .err()
        .unwrap();
    assert!(d.message.contains("unknown function"), "{}", d.message);
    assert_eq!(d.suggestion.as_deref(), Some("fast"));
}

#[test]
fn wrong_arity_and_types_are_errors() {
    assert!(err("fast 2 (s \"a\") 3").contains("too many arguments"));
    assert!(err("s 1").contains("number cannot be used"));
    assert!(err("fast \"bd\" $ s \"a\"").contains("mini-notation"));
}

#[test]
fn values_are_typed_like_tidal() {
    let p = eval_pattern("s \"bd:3\"", Ty::Control).unwrap();
    let hs = p.try_query(Span::new(Time::ZERO, Time::ONE), 100).unwrap();
    let m = hs[0].value.as_map().unwrap();
    assert_eq!(m.get("s"), Some(&Value::str("bd")));
    assert_eq!(m.get("n").and_then(|v| v.as_f64()), Some(3.0));
}

#[test]
fn file_statements_build_a_program() {
    let src = "setcps (120/60/4)\n\nd1 $ s \"bd*2\"\nd2 $ s \"hh*4\" # gain 0.8\nlet p = s \"sn\"\nd3 $ p\nmute 2\n";
    let (prog, diags) = eval_file(src);
    assert!(
        diags.is_empty(),
        "{:?}",
        diags.iter().map(|d| &d.message).collect::<Vec<_>>()
    );
    assert_eq!(prog.cps, Some(0.5));
    assert_eq!(prog.channels.len(), 3);
    assert_eq!(prog.audible().count(), 2);
}

#[test]
fn a_bad_statement_does_not_stop_the_rest() {
    let src = "d1 $ s \"bd*2\"\nd2 $ fsat 2 $ s \"hh\"\nd3 $ s \"sn\"\n";
    let (prog, diags) = eval_file(src);
    assert_eq!(diags.len(), 1);
    assert!(diags[0].message.contains("fsat"));
    assert_eq!(prog.channels.len(), 2);
    let rendered = diags[0].render("song.tidal", src);
    assert!(rendered.contains("song.tidal:2:6"), "{rendered}");
    assert!(rendered.contains("^^^^"), "{rendered}");
    assert!(rendered.contains("fast"), "{rendered}");
}

#[test]
fn hush_clears_channels_defined_before_it() {
    let (prog, _) = eval_file("d1 $ s \"bd\"\nhush\nd2 $ s \"sn\"\n");
    assert_eq!(
        prog.channels
            .keys()
            .map(|k| k.to_string())
            .collect::<Vec<_>>(),
        vec!["2"]
    );
}
