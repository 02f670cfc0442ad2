//! Synthesis in the language: every synthesis example evaluates to a valid patch, signals
//! combine with arithmetic, errors carry spans, and JSON patches load.

use tactus_dsp::graph::{validate, Input};
use tactus_lang::program::eval_file;
use tactus_lang::registry;
use tactus_lang::synthesis::program_from_json;

#[test]
fn every_synthesis_example_lowers_to_a_valid_patch() {
    let mut n = 0;
    for b in registry::all() {
        // per-voice parameters only exist in instruments
        let voiced = b.name == "ctl";
        let src = if voiced {
            format!("instrument \"x\" $ {}", b.example)
        } else if b.name == "input" {
            // only an effect chain has an input
            format!("fx 1 $ {}", b.example)
        } else if b.sig.ends_with("-> Signal") || b.sig == "Signal" {
            format!("drone \"x\" $ {}", b.example)
        } else if b.name == "drone" || b.name == "instrument" || b.name == "fx" {
            b.example.to_string()
        } else {
            continue;
        };
        let (p, diags) = eval_file(&src);
        assert!(
            diags.is_empty(),
            "{}: {:?}",
            b.name,
            diags.iter().map(|d| &d.message).collect::<Vec<_>>()
        );
        n += 1;
        if voiced || b.name == "instrument" {
            let def = p.instruments.values().next().expect("an instrument");
            validate(&def.patch).unwrap();
            assert!(def.patch.pattern_sources().is_empty());
            continue;
        }
        let sp = p.drones.values().chain(p.fx.values()).next().unwrap();
        validate(&sp.patch).unwrap();
        assert_eq!(sp.patterns.len(), sp.patch.pattern_sources().len());
    }
    assert!(n >= 16, "{n}");
}

#[test]
fn arithmetic_and_sharing() {
    let (p, d) = eval_file("let o = osc \"sine\" 3\ndrone \"a\" $ o * 100 + o - 2");
    assert!(d.is_empty());
    let patch = &p.drones["a"].patch;
    assert_eq!(
        patch.modules.iter().filter(|m| m.kind == "sine").count(),
        1,
        "shared by let"
    );
    assert_eq!(patch.modules.iter().filter(|m| m.kind == "add").count(), 2);
    assert!(matches!(patch.outputs[0], Input::Cable { .. }));
}

#[test]
fn pattern_sources_keep_their_text() {
    let src = "drone \"a\" $ ladder (range 200 2000 (slow 4 sine)) 0.5 (osc \"saw\" \"<55 110>\")";
    let (p, d) = eval_file(src);
    assert!(d.is_empty());
    let texts: Vec<String> = p.drones["a"]
        .patch
        .pattern_sources()
        .into_iter()
        .map(|s| s.2)
        .collect();
    assert!(
        texts.contains(&"(range 200 2000 (slow 4 sine))".to_string()),
        "{texts:?}"
    );
    assert!(texts.contains(&"\"<55 110>\"".to_string()), "{texts:?}");
    // The JSON form loads back with the same patterns.
    let json = p.drones["a"].patch.to_json();
    let back = program_from_json(&json).unwrap();
    assert_eq!(back.drones["patch"].patch, p.drones["a"].patch);
}

#[test]
fn errors_have_spans() {
    let src = "drone \"a\" $ osc \"sawtooth\" 110";
    let (_, d) = eval_file(src);
    assert_eq!(d.len(), 1);
    assert_eq!(&src[d[0].span.start..d[0].span.end], "\"sawtooth\"");
    let src = "drone \"a\" $ ladder 800 3 (osc \"saw\" 110)";
    let (_, d) = eval_file(src);
    assert!(
        d[0].message.contains("ladder1") && d[0].message.contains("resonance"),
        "{}",
        d[0].message
    );
    assert_eq!(
        &src[d[0].span.start..d[0].span.end],
        "ladder 800 3 (osc \"saw\" 110)"
    );
    let (_, d) = eval_file("drone \"a\" $ osc \"saw\" 110 / osc \"sine\" 1");
    assert!(d[0].message.contains("divided"));
}

#[test]
fn bad_json_patches_name_module_and_field() {
    let e = program_from_json(r#"{"modules":[{"id":"o","type":"sine","params":{"freq":1e9}}],"outputs":[{"cable":"o.out"}]}"#)
        .err()
        .unwrap();
    assert!(
        e.contains("module `o`, field `freq`") && e.contains("out of range"),
        "{e}"
    );
    let e = program_from_json(r#"{"modules":[{"id":"o","type":"sine","params":{"freq":{"pattern":"<1"}}}],"outputs":[{"cable":"o.out"}]}"#)
        .err()
        .unwrap();
    assert!(e.contains("module `o`, field `freq`"), "{e}");
}

#[test]
fn example_files_evaluate() {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    for f in ["acid.tidal", "fmbell.tidal", "keyframes.tidal"] {
        let src = std::fs::read_to_string(dir.join(f)).unwrap();
        let (p, d) = eval_file(&src);
        assert!(
            d.is_empty(),
            "{f}: {:?}",
            d.iter().map(|d| d.render(f, &src)).collect::<Vec<_>>()
        );
        assert_eq!(p.drones.len(), 1, "{f}");
    }
    let json = std::fs::read_to_string(dir.join("patch.json")).unwrap();
    assert_eq!(program_from_json(&json).unwrap().drones.len(), 1);
}

#[test]
fn the_synthesis_guide_examples_run() {
    let doc = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/synthesis.md"
    ))
    .unwrap();
    let mut blocks = 0;
    for block in doc.split("```tidal\n").skip(1) {
        let code = block.split("```").next().unwrap();
        let (p, d) = eval_file(code);
        assert!(
            d.is_empty(),
            "{code}\n{:?}",
            d.iter().map(|d| d.render("doc", code)).collect::<Vec<_>>()
        );
        assert!(
            !p.drones.is_empty() || !p.instruments.is_empty() || !p.fx.is_empty(),
            "{code}"
        );
        // an instrument in the guide is also played by the block
        for name in p.instruments.keys() {
            let plays = p.channels.values().any(|pat| {
                pat.query_span(tactus_pattern::Span::new(
                    tactus_pattern::Time::int(0),
                    tactus_pattern::Time::int(4),
                ))
                .iter()
                .any(|h| {
                    h.value
                        .as_map()
                        .and_then(|m| m.get("s"))
                        .is_some_and(|s| s.as_str() == Some(&**name))
                })
            });
            assert!(plays, "instrument \"{name}\" is not played in:\n{code}");
        }
        blocks += 1;
    }
    assert!(blocks >= 5);
    // Every module type is in the reference table.
    for info in tactus_dsp::graph::kinds::all() {
        assert!(
            doc.contains(&format!("| `{}` |", info.name)),
            "{} is not documented",
            info.name
        );
    }
}

#[test]
fn stereo_signals_and_buses_lower_to_patches() {
    let (p, d) = eval_file(
        "bus \"lfo\" $ slow 4 sine\n\
         drone \"a\" $ lowpass (500 + 500 * busin \"lfo\") 1 (panner 0.5 (osc \"saw\" 110))\n\
         drone \"m\" $ osc \"sine\" 220",
    );
    assert!(
        d.is_empty(),
        "{:?}",
        d.iter().map(|d| &d.message).collect::<Vec<_>>()
    );
    let a = &p.drones["a"].patch;
    assert_eq!(a.outputs.len(), 2, "stereo drone");
    // one filter per channel, sharing the one panner and the one cutoff expression
    assert_eq!(a.modules.iter().filter(|m| m.kind == "svf").count(), 2);
    assert_eq!(a.modules.iter().filter(|m| m.kind == "pan").count(), 1);
    assert_eq!(a.buses(), vec!["lfo".to_string()]);
    assert_eq!(p.drones["m"].patch.outputs.len(), 1, "mono drone");
    assert_eq!(p.buses["lfo"].patch.outputs.len(), 1);
    // the JSON form keeps buses and drones apart
    let json = serde_json::json!({
        "drones": {"a": serde_json::to_value(a).unwrap()},
        "buses": {"lfo": serde_json::to_value(&p.buses["lfo"].patch).unwrap()},
    });
    let q = tactus_lang::synthesis::program_from_json(&json.to_string()).unwrap();
    assert_eq!((q.drones.len(), q.buses.len()), (1, 1));
}

#[test]
fn stereo_where_mono_is_needed_is_an_error_at_the_argument() {
    let src = "drone \"a\" $ osc \"sine\" (stereo 220 330)";
    let (_, d) = eval_file(src);
    assert_eq!(d.len(), 1);
    assert!(d[0].message.contains("mono"), "{}", d[0].message);
    assert_eq!(&src[d[0].span.start..d[0].span.end], "(stereo 220 330)");
    let (_, d) = eval_file("bus \"x\" $ stereo 1 2");
    assert!(d[0].message.contains("mono"), "{}", d[0].message);
    let (_, d) = eval_file("drone \"a\" $ osc \"sine\" (busin \"\")");
    assert!(d[0].message.contains("bus name"), "{}", d[0].message);
}

#[test]
fn an_instrument_reads_a_bus_and_a_stereo_instrument_is_fine() {
    let src =
        "bus \"lfo\" $ slow 4 sine\ninstrument \"x\" $ osc \"saw\" freq * busin \"lfo\" * gate";
    let (p, d) = eval_file(src);
    assert!(
        d.is_empty(),
        "{:?}",
        d.iter().map(|d| &d.message).collect::<Vec<_>>()
    );
    assert_eq!(p.instruments["x"].patch.buses(), ["lfo".to_string()]);
    // a pattern inside an instrument is still an error, and the note points at buses
    let (_, d) = eval_file("instrument \"y\" $ osc \"saw\" (freq * slow 4 sine) * gate");
    assert_eq!(d.len(), 1);
    let text = format!("{} {:?}", d[0].message, d[0].notes);
    assert!(text.contains("busin"), "{text}");
    let (p, d) = eval_file("instrument \"w\" $ panner 0.5 (osc \"saw\" freq * gate)");
    assert!(
        d.is_empty(),
        "{:?}",
        d.iter().map(|d| &d.message).collect::<Vec<_>>()
    );
    assert_eq!(p.instruments["w"].patch.outputs.len(), 2);
}
