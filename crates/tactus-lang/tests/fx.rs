//! Effect chains in the language: `fx` takes a channel id and a signal that reads `input`;
//! `input` anywhere else, a chain without it, and a bad channel id are errors with spans.

use tactus_lang::program::eval_file;

/// The messages and spanned texts of a source's diagnostics.
fn errors(src: &str) -> Vec<(String, String)> {
    let (_, d) = eval_file(src);
    d.iter()
        .map(|d| (d.message.clone(), src[d.span.start..d.span.end].to_string()))
        .collect()
}

#[test]
fn chains_by_number_and_by_name() {
    let src = "fx 1 $ verb 0.8 0.3 $ chorus 0.5 0.3 0.5 input\nfx \"lead\" $ drive 0.5 input\nd1 $ s \"sine\"";
    let (p, d) = eval_file(src);
    assert!(
        d.is_empty(),
        "{:?}",
        d.iter().map(|d| &d.message).collect::<Vec<_>>()
    );
    let ids: Vec<&str> = p.fx.keys().map(|k| &**k).collect();
    assert_eq!(ids, ["1", "lead"]);
    assert!(p.fx["1"].reads_input());
    // a stereo chain: two outputs
    assert_eq!(p.fx["1"].patch.outputs.len(), 2);
    // `hush` drops chains with the channels
    let (p, _) = eval_file(&format!("{src}\nhush"));
    assert!(p.fx.is_empty());
}

#[test]
fn a_chain_that_ignores_input_is_an_error_at_the_chain() {
    let e = errors("fx 1 $ osc \"sine\" 220");
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(e[0].0.contains("does not read `input`"), "{e:?}");
    assert_eq!(e[0].1, "osc \"sine\" 220");
}

#[test]
fn input_outside_a_chain_is_an_error() {
    let e = errors("drone \"a\" $ verb 0.5 0.5 input");
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(e[0].0.contains("a drone has none"), "{e:?}");
    assert_eq!(e[0].1, "verb 0.5 0.5 input");
    let e = errors("instrument \"a\" $ input");
    assert_eq!(e.len(), 1, "{e:?}");
    let e = errors("bus \"~input.l\" $ 0.5");
    assert!(e[0].0.contains("must not start with `~`"), "{e:?}");
}

#[test]
fn a_bad_channel_id_or_a_bad_effect_points_at_it() {
    let e = errors("fx 1.5 $ drive 0.5 input");
    assert!(e[0].0.contains("channel id"), "{e:?}");
    assert_eq!(e[0].1, "1.5");
    // a mono parameter given the stereo input
    let e = errors("fx 1 $ lowpass input 1 input");
    assert!(e[0].0.contains("mono"), "{e:?}");
    assert_eq!(e[0].1, "input");
}

#[test]
fn chains_round_trip_through_the_json_patch_form() {
    let (p, _) = eval_file("fx 1 $ fbdelay 0.3 \"<0.2 0.5>\" input");
    let patch = serde_json::to_value(&p.fx["1"].patch).unwrap();
    let json = serde_json::json!({ "fx": { "1": patch } }).to_string();
    let q = tactus_lang::synthesis::program_from_json(&json).unwrap();
    assert_eq!(q.fx["1"].patch, p.fx["1"].patch);
    // one pattern source per side of the stereo delay
    assert_eq!(q.fx["1"].patterns.len(), 2);
    // a chain that does not read its input is refused, naming it
    let json = r#"{"fx": {"2": {"modules": [{"id": "s", "type": "sine"}], "outputs": [{"cable": "s.out"}]}}}"#;
    let Err(e) = tactus_lang::synthesis::program_from_json(json) else {
        panic!("accepted a chain without input");
    };
    assert!(e.contains("fx \"2\"") && e.contains("input"), "{e}");
}
