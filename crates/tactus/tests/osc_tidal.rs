//! tactus' SuperDirt messages against the real Tidal 1.7.10's, captured with
//! `../shared/tools/tidal-osc` (see tests/data/osc/README.md): for every `/dirt/play`,
//! the same argument names in the same order, the same OSC types, equal values (float32
//! exactly; `delta` to 1e-6 s because Tidal's carries wall-clock quantisation), and
//! time-tags spaced the same to 1 µs.

use std::path::Path;

use tactus_engine::outputs::scheduler::OutputConfig;
use tactus_engine::outputs::{OutputScheduler, RecordingSink};
use tactus_io::osc::dirt::{play_packet, DirtEvent};
use tactus_io::osc::{OscArg, OscPacket, TimeTag};

/// One captured argument.
#[derive(Debug, Clone, PartialEq)]
enum Arg {
    Str(String),
    Num(f64),
}

/// A captured message: time-tag (NTP seconds), type tags, arguments.
struct Captured {
    tag: f64,
    types: String,
    args: Vec<Arg>,
}

fn parse_args(s: &str) -> Vec<Arg> {
    let inner = s.trim().trim_start_matches('[').trim_end_matches(']');
    if inner.is_empty() {
        return Vec::new();
    }
    inner
        .split(", ")
        .map(|a| match a.strip_prefix('\'') {
            Some(rest) => Arg::Str(rest.trim_end_matches('\'').to_string()),
            None => Arg::Num(a.parse().unwrap_or_else(|_| panic!("bad number {a}"))),
        })
        .collect()
}

fn capture(name: &str) -> Vec<Captured> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/data/osc")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap();
    text.lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            (f[2] == "/dirt/play").then(|| Captured {
                tag: f[1].parse().unwrap(),
                types: f[3].to_string(),
                args: parse_args(f[4]),
            })
        })
        .collect()
}

/// tactus' packets for `d1 $ pattern` at `cps` over the cycles the capture covers.
fn ours(pattern: &str, cps: &str, seconds: f64) -> Vec<(TimeTag, String, Vec<OscArg>)> {
    let src = format!("setcps {cps}\nd1 $ {pattern}\n");
    let (program, diags) = tactus_lang::program::eval_file(&src);
    assert!(diags.iter().all(|d| !d.is_error()), "{src}: {diags:?}");
    let rec = RecordingSink::default();
    let mut s = OutputScheduler::new(
        program,
        OutputConfig::new(48_000),
        vec![Box::new(rec.clone())],
    );
    let mut now = 0;
    while (now as f64) < seconds * 48_000.0 {
        s.tick(now);
        now += 480;
    }
    let origin = TimeTag(3_900_000_000 << 32);
    let events = rec.events.lock().unwrap();
    events
        .iter()
        .filter_map(|e| {
            let ev = DirtEvent {
                id: &e.channel,
                cps: e.cps,
                cycle: e.cycle.to_f64(),
                delta: e.delta,
                controls: &e.controls,
            };
            let p = play_packet("/dirt/play", &ev, origin.add_seconds(e.seconds), 0.2, true)?;
            let OscPacket::Bundle(t, items) = p else {
                panic!("not a bundle")
            };
            let OscPacket::Message(m) = &items[0] else {
                panic!("not a message")
            };
            let types: String = std::iter::once(',')
                .chain(m.args.iter().map(OscArg::tag))
                .collect();
            Some((t, types, m.args.clone()))
        })
        .collect()
}

fn compare(file: &str, pattern: &str, cps: &str) {
    let theirs = capture(file);
    assert!(!theirs.is_empty());
    let span = theirs.last().unwrap().tag - theirs[0].tag;
    let ours = ours(pattern, cps, span + 0.3);
    assert!(
        ours.len() >= theirs.len(),
        "{file}: {} events, Tidal sent {}",
        ours.len(),
        theirs.len()
    );
    let (t0, o0) = (theirs[0].tag, ours[0].0);
    for (i, (c, (tag, types, args))) in theirs.iter().zip(&ours).enumerate() {
        let ctx = format!("{file} message {i}");
        assert_eq!(&c.types, types, "{ctx}: types");
        assert_eq!(c.args.len(), args.len(), "{ctx}");
        let spacing_ours = (tag.0 as i128 - o0.0 as i128) as f64 / 4_294_967_296.0;
        let spacing_theirs = c.tag - t0;
        assert!(
            (spacing_ours - spacing_theirs).abs() < 1e-6,
            "{ctx}: time-tag at +{spacing_ours} s, Tidal's at +{spacing_theirs} s"
        );
        let mut name = String::new();
        for (j, (want, got)) in c.args.iter().zip(args).enumerate() {
            match (want, got) {
                (Arg::Str(w), OscArg::Str(g)) => {
                    assert_eq!(w, g, "{ctx}: argument {j}");
                    if j % 2 == 0 {
                        name = g.clone();
                    }
                }
                (Arg::Num(w), OscArg::Float(g)) if name == "delta" => {
                    assert!(
                        (w - f64::from(*g)).abs() < 1e-6,
                        "{ctx}: delta {g}, Tidal {w}"
                    )
                }
                (Arg::Num(w), OscArg::Float(g)) => assert_eq!(*w as f32, *g, "{ctx}: `{name}`"),
                (Arg::Num(w), OscArg::Int(g)) => assert_eq!(*w, f64::from(*g), "{ctx}: `{name}`"),
                _ => panic!("{ctx}: argument {j}: {want:?} vs {got:?}"),
            }
        }
    }
}

#[test]
fn basic_matches_tidal() {
    compare("basic.tsv", "s \"bd*4 [sn cp]\" # n \"<0 1>\"", "1");
}

#[test]
fn orbit_gain_pan_vowel_cut_match_tidal() {
    compare(
        "orbit.tsv",
        "sound \"bd*2 [~ sn:3]\" # orbit 1 # gain 1.2 # pan \"0 1\" # vowel \"a\" # cut 1",
        "0.5625",
    );
}

#[test]
fn nudge_and_fractional_tempo_match_tidal() {
    compare(
        "nudge.tsv",
        "note \"c e g\" # s \"superpiano\" # legato 0.5 # nudge \"0 0.01 0\"",
        "0.6",
    );
}

#[test]
fn stacked_events_match_tidal() {
    compare(
        "stack.tsv",
        "stack [s \"hh*3\" # speed 2, n \"0 7\" # s \"arpy\" # room 0.3 # orbit 2]",
        "0.75",
    );
}
