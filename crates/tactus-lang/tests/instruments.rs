//! Instruments in the language: what a definition lowers to, and the diagnostics (with
//! spans) of bad definitions.

use tactus_dsp::graph::Input;
use tactus_lang::diagnostic::Severity;
use tactus_lang::program::eval_file;

/// The single diagnostic of `src`, with the text it points at.
fn one_diag(src: &str) -> (tactus_lang::diagnostic::Diagnostic, String) {
    let (_, d) = eval_file(src);
    assert_eq!(
        d.len(),
        1,
        "{:?}",
        d.iter().map(|d| &d.message).collect::<Vec<_>>()
    );
    let text = src[d[0].span.start..d[0].span.end].to_string();
    (d[0].clone(), text)
}

#[test]
fn a_definition_lowers_to_controls() {
    let src = r#"instrument "acid" $ 0.4 * ladder (800 + 3000 * adsr 0.01 0.2 0 0.1 gate) (ctl "resonance" 0.6) (osc "saw" freq)"#;
    let (p, d) = eval_file(src);
    assert!(
        d.is_empty(),
        "{:?}",
        d.iter().map(|d| &d.message).collect::<Vec<_>>()
    );
    let def = &p.instruments["acid"];
    let names: Vec<String> = def.patch.controls().into_iter().map(|c| c.0).collect();
    assert_eq!(names, ["gate", "freq", "resonance"]);
    assert_eq!(def.controls.len(), 1);
    assert_eq!(def.controls[0].0, "resonance");
    assert_eq!(
        &src[def.controls[0].2.start..def.controls[0].2.end],
        "\"resonance\""
    );
    let ladder = def.patch.module("ladder1").unwrap();
    assert_eq!(
        ladder.params["resonance"],
        Input::Control {
            name: "resonance".into(),
            default: 0.6
        }
    );
    assert!(p.drones.is_empty() && p.channels.is_empty());
}

#[test]
fn an_instrument_cannot_read_patterns_or_the_cycle() {
    let (d, at) = one_diag(r#"instrument "a" $ osc "saw" (freq * "<1 2>")"#);
    assert!(d.message.contains("cannot read patterns"), "{}", d.message);
    assert_eq!(at, "\"<1 2>\"");
    let (d, at) = one_diag(
        r#"instrument "a" $ lowpass (keyframes 1 [(0, 200), (1, 900)]) 1 (osc "saw" freq)"#,
    );
    assert!(d.message.contains("cycle clock"), "{}", d.message);
    assert!(at.contains("keyframes 1"), "{at}");
}

#[test]
fn a_drone_cannot_read_voice_parameters() {
    let (d, at) = one_diag(r#"drone "a" $ osc "saw" freq"#);
    assert!(d.message.contains("per-voice parameter"), "{}", d.message);
    assert_eq!(at, "freq");
    let (d, at) = one_diag(r#"drone "a" $ osc "saw" 110 * ctl "level" 0.5"#);
    assert!(d.message.contains("`level`"), "{}", d.message);
    assert_eq!(at, "\"level\"");
}

#[test]
fn bad_controls_and_names_are_errors_at_their_span() {
    let (d, at) = one_diag(r#"instrument "a" $ osc "saw" (ctl "freq" 440)"#);
    assert!(d.message.contains("cannot be a control"), "{}", d.message);
    assert_eq!(at, "\"freq\"");
    let (d, at) = one_diag(r#"instrument "a" $ osc "saw" freq * ctl "level" "<1 2>""#);
    assert_eq!(at, "\"<1 2>\"", "{}", d.message);
    let (d, at) = one_diag(r#"instrument "a b" $ osc "saw" freq"#);
    assert!(d.message.contains("non-empty word"), "{}", d.message);
    assert_eq!(at, "\"a b\"");
    let (d, at) = one_diag(r#"instrument "a" $ ladder 800 3 (osc "saw" freq)"#);
    assert!(
        d.message.contains("ladder1") && d.message.contains("resonance"),
        "{}",
        d.message
    );
    assert!(at.starts_with("ladder 800 3"), "{at}");
    let many: Vec<String> = (0..17).map(|i| format!("ctl \"c{i}\" 0")).collect();
    let src = format!(
        "instrument \"a\" $ osc \"saw\" freq * ({})",
        many.join(" + ")
    );
    let (_, d) = eval_file(&src);
    let errors: Vec<_> = d.iter().filter(|d| d.is_error()).collect();
    assert_eq!(errors.len(), 1);
    assert!(
        errors[0].message.contains("too many controls"),
        "{}",
        errors[0].message
    );
    assert_eq!(&src[errors[0].span.start..errors[0].span.end], "\"c16\"");
}

#[test]
fn a_control_tidal_does_not_know_is_a_warning_with_a_suggestion() {
    let src = r#"instrument "a" $ lowpass (ctl "cutof" 800) 1 (osc "saw" freq)"#;
    let (p, d) = eval_file(src);
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].severity, Severity::Warning);
    assert!(d[0].message.contains("pF \"cutof\""), "{}", d[0].message);
    assert_eq!(&src[d[0].span.start..d[0].span.end], "\"cutof\"");
    assert_eq!(d[0].suggestion.as_deref(), Some("\"cutoff\""));
    assert!(
        p.instruments.contains_key("a"),
        "a warning keeps the instrument"
    );
}

#[test]
fn instruments_round_trip_through_the_json_patch_form() {
    let src = r#"instrument "acid" $ 0.4 * ladder (800 + ctl "cutoff" 3000 * adsr 0.01 0.2 0 0.1 gate) (ctl "resonance" 0.6) (osc "saw" freq)
instrument "kick" $ osc "sine" (50 + 200 * perc 0.001 0.05 gate) * perc 0.001 (ctl "decay" 0.3) gate"#;
    let (p, d) = eval_file(src);
    assert!(
        d.is_empty(),
        "{:?}",
        d.iter().map(|d| &d.message).collect::<Vec<_>>()
    );
    let patches: serde_json::Map<String, serde_json::Value> = p
        .instruments
        .iter()
        .map(|(k, def)| (k.to_string(), serde_json::to_value(&def.patch).unwrap()))
        .collect();
    let json = serde_json::json!({ "instruments": patches }).to_string();
    let q = tactus_lang::synthesis::program_from_json(&json).unwrap();
    assert_eq!(q.instruments.len(), 2);
    for (name, def) in &p.instruments {
        let back = &q.instruments[name];
        assert!(def.same_sound(back), "{name} changed in the round trip");
        let names = |d: &tactus_lang::synthesis::InstrumentDef| {
            d.controls.iter().map(|c| c.0.clone()).collect::<Vec<_>>()
        };
        assert_eq!(names(def), names(back), "{name}");
    }
    // an instrument cannot read a pattern
    let bad = r#"{"instruments": {"x": {"modules": [{"id": "o", "type": "sine",
        "params": {"freq": {"pattern": "\"220 330\""}}}], "outputs": [{"cable": "o.out"}]}}}"#;
    let Err(e) = tactus_lang::synthesis::program_from_json(bad) else {
        panic!("an instrument reading a pattern was accepted");
    };
    assert!(
        e.contains("instrument \"x\"") && e.contains("pattern"),
        "{e}"
    );
}
