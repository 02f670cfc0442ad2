//! Synthesis: signal expressions built from the unit library, played continuously with
//! `drone` or by events with `instrument`. See `docs/synthesis.md`.
//!
//! Every numeric argument is a signal: a number is a constant, a string or a numeric pattern
//! (`"<200 800>"`, `slow 4 sine`) is played at audio rate, and a synthesis expression is
//! patched in. `+`, `-`, `*` (and `/` by a constant) combine signals.

use tactus_dsp::graph::Key;
use tactus_dsp::units::keyframe::Easing;

use super::Builtin;
use crate::ast::Span;
use crate::eval::call::Call;
use crate::eval::coerce;
use crate::eval::types::{Action, Ty, Val};
use crate::eval::EvalError;
use crate::synthesis::{
    lower, lower_instrument, to_sig, Sig, SigNode, SynthPatch, FX_INPUT, VOICE_PARAMS,
};

/// A mono signal argument (parameters are mono).
fn sig(c: &Call, i: usize) -> Result<Sig, EvalError> {
    let s = to_sig(c.val(i)?, Ty::Float, c.span_of(i))?;
    if s.is_stereo() {
        return Err(EvalError::new(
            format!(
                "`{}` takes a mono signal here, found a stereo one",
                c.builtin.name
            ),
            c.span_of(i),
        )
        .note("apply it to each channel before `pan`/`stereo`, or mix down: `(l + r) * 0.5`"));
    }
    Ok(s)
}

/// A signal argument that may be stereo (the processed input).
fn sig_any(c: &Call, i: usize) -> Result<Sig, EvalError> {
    to_sig(c.val(i)?, Ty::Float, c.span_of(i))
}

fn text(c: &Call, i: usize, what: &str) -> Result<std::sync::Arc<str>, EvalError> {
    match c.val(i)? {
        Val::Str { text, .. } if !text.trim().is_empty() => Ok(text.clone()),
        other => Err(EvalError::new(
            format!(
                "expected a {what} (a non-empty string), found {}",
                other.describe()
            ),
            c.span_of(i),
        )),
    }
}

fn word(c: &Call, i: usize, allowed: &[&'static str]) -> Result<&'static str, EvalError> {
    let text = match c.val(i)? {
        Val::Str { text, .. } => text.clone(),
        other => {
            return Err(EvalError::new(
                format!(
                    "expected one of {} as a string, found {}",
                    allowed.join(", "),
                    other.describe()
                ),
                c.span_of(i),
            ))
        }
    };
    allowed
        .iter()
        .copied()
        .find(|w| **w == *text)
        .ok_or_else(|| {
            EvalError::new(
                format!(
                    "unknown `{}` kind \"{text}\" (one of: {})",
                    c.builtin.name,
                    allowed.join(", ")
                ),
                c.span_of(i),
            )
        })
}

fn ret(s: Sig) -> Result<Val, EvalError> {
    Ok(Val::Signal(s))
}

fn osc(c: &Call) -> Result<Val, EvalError> {
    let wave = word(c, 0, &["sine", "saw", "square", "tri", "pulse", "supersaw"])?;
    ret(Sig::node(wave, "out", vec![("freq", sig(c, 1)?)], c.span))
}

fn noise(c: &Call) -> Result<Val, EvalError> {
    let color = word(c, 0, &["white", "pink", "brown"])?;
    ret(Sig::node(color, "out", vec![], c.span))
}

/// A module of `kind` with mono `params` processing `in` (argument `i`), once per channel
/// of a stereo input.
fn insert(
    c: &Call,
    kind: &'static str,
    port: &'static str,
    params: Vec<(&'static str, Sig)>,
    i: usize,
) -> Result<Val, EvalError> {
    let x = sig_any(c, i)?;
    ret(x.map_channels(|x| {
        let mut p = params.clone();
        p.push(("in", x));
        Sig::node(kind, port, p, c.span)
    }))
}

fn svf(c: &Call, port: &'static str) -> Result<Val, EvalError> {
    let params = vec![("cutoff", sig(c, 0)?), ("q", sig(c, 1)?)];
    insert(c, "svf", port, params, 2)
}

fn ladder(c: &Call) -> Result<Val, EvalError> {
    let params = vec![("cutoff", sig(c, 0)?), ("resonance", sig(c, 1)?)];
    insert(c, "ladder", "out", params, 2)
}

fn adsr(c: &Call) -> Result<Val, EvalError> {
    let mut params = Vec::new();
    for (i, name) in ["attack", "decay", "sustain", "release", "gate"]
        .into_iter()
        .enumerate()
    {
        params.push((name, sig(c, i)?));
    }
    ret(Sig::node("adsr", "out", params, c.span))
}

fn perc(c: &Call) -> Result<Val, EvalError> {
    let params = vec![
        ("attack", sig(c, 0)?),
        ("hold", Sig::Const(0.0)),
        ("release", sig(c, 1)?),
        ("trig", sig(c, 2)?),
    ];
    ret(Sig::node("ahr", "out", params, c.span))
}

fn fbdelay(c: &Call) -> Result<Val, EvalError> {
    let params = vec![("time", sig(c, 0)?), ("feedback", sig(c, 1)?)];
    insert(c, "delay", "out", params, 2)
}

fn verb(c: &Call) -> Result<Val, EvalError> {
    let (size, mix, x) = (sig(c, 0)?, sig(c, 1)?, sig_any(c, 2)?);
    let mut params = vec![("size", size)];
    // a mono input feeds both sides of the reverb (its right input defaults to the left)
    match &x {
        Sig::Stereo(lr) => params.extend([("l", lr.0.clone()), ("r", lr.1.clone())]),
        mono => params.push(("l", mono.clone())),
    }
    let node = std::sync::Arc::new(SigNode {
        kind: "reverb",
        params,
        keys: Vec::new(),
        span: c.span,
    });
    let (wet_l, wet_r) = (Sig::Out(node.clone(), "l"), Sig::Out(node, "r"));
    let (x_l, x_r) = x.channels();
    let span = c.span;
    let mul = |a, b| Sig::node("mul", "out", vec![("a", a), ("b", b)], span);
    let dry_level = Sig::node(
        "add",
        "out",
        vec![
            ("a", Sig::Const(1.0)),
            ("b", mul(mix.clone(), Sig::Const(-1.0))),
        ],
        span,
    );
    let side = |x, wet| {
        Sig::node(
            "add",
            "out",
            vec![
                ("a", mul(x, dry_level.clone())),
                ("b", mul(wet, mix.clone())),
            ],
            span,
        )
    };
    ret(Sig::stereo(side(x_l, wet_l), side(x_r, wet_r)))
}

fn chorus(c: &Call) -> Result<Val, EvalError> {
    let params = vec![
        ("rate", sig(c, 0)?),
        ("depth", sig(c, 1)?),
        ("mix", sig(c, 2)?),
    ];
    // a stereo input is mixed down first: the chorus spreads one voice over both sides
    let x = match sig_any(c, 3)? {
        Sig::Stereo(lr) => {
            let span = c.span;
            let sum = Sig::node(
                "add",
                "out",
                vec![("a", lr.0.clone()), ("b", lr.1.clone())],
                span,
            );
            Sig::node("mul", "out", vec![("a", sum), ("b", Sig::Const(0.5))], span)
        }
        mono => mono,
    };
    let mut p = params;
    p.push(("in", x));
    let node = std::sync::Arc::new(SigNode {
        kind: "chorus",
        params: p,
        keys: Vec::new(),
        span: c.span,
    });
    ret(Sig::stereo(
        Sig::Out(node.clone(), "l"),
        Sig::Out(node, "r"),
    ))
}

fn pan(c: &Call) -> Result<Val, EvalError> {
    let position = sig(c, 0)?;
    let x = sig(c, 1)?;
    let node = std::sync::Arc::new(SigNode {
        kind: "pan",
        params: vec![("pan", position), ("in", x)],
        keys: Vec::new(),
        span: c.span,
    });
    ret(Sig::stereo(
        Sig::Out(node.clone(), "l"),
        Sig::Out(node, "r"),
    ))
}

fn stereo(c: &Call) -> Result<Val, EvalError> {
    ret(Sig::stereo(sig(c, 0)?, sig(c, 1)?))
}

fn busin(c: &Call) -> Result<Val, EvalError> {
    ret(Sig::Bus(text(c, 0, "bus name")?))
}

fn bus(c: &Call) -> Result<Val, EvalError> {
    let name = text(c, 0, "bus name")?;
    if name.starts_with('~') {
        return Err(EvalError::new(
            format!("bus name \"{name}\" must not start with `~` (reserved for `input`)"),
            c.span_of(0),
        ));
    }
    let s = sig(c, 1)?;
    let patch = lower(&s, c.span_of(1))?;
    no_input(&patch, "a bus", c.span_of(1))?;
    Ok(Val::Action(Action::Bus(name, Box::new(patch))))
}

/// `input`: the voices of the channel whose effect chain reads it, in stereo.
fn input(_: &Call) -> Result<Val, EvalError> {
    let [l, r] = FX_INPUT;
    ret(Sig::stereo(Sig::Bus(l.into()), Sig::Bus(r.into())))
}

/// `fx 1 $ chain`: the effect chain of a channel; the chain must read `input`.
fn fx(c: &Call) -> Result<Val, EvalError> {
    let channel = super::statements::channel_id(c, 0)?;
    let s = sig_any(c, 1)?;
    let patch = lower(&s, c.span_of(1))?;
    if !patch.reads_input() {
        return Err(EvalError::new(
            format!(
                "the effect chain of channel {channel} does not read `input` (the channel's sound)"
            ),
            c.span_of(1),
        )
        .note("pass `input` to the first effect, e.g. `fx 1 $ verb 0.8 0.3 input`"));
    }
    Ok(Val::Action(Action::Fx(channel, Box::new(patch))))
}

/// An error when a patch that has no channel (a drone, a bus) reads `input`.
fn no_input(patch: &SynthPatch, what: &str, at: Span) -> Result<(), EvalError> {
    if patch.reads_input() {
        return Err(
            EvalError::new(format!("`input` is a channel's sound: {what} has none"), at).note(
                "put the effects in a chain for the channel instead: `fx 1 $ verb 0.8 0.3 input`",
            ),
        );
    }
    Ok(())
}

fn drive(c: &Call) -> Result<Val, EvalError> {
    insert(c, "shape", "out", vec![("amount", sig(c, 0)?)], 1)
}

fn notefreq(c: &Call) -> Result<Val, EvalError> {
    let x = to_sig(c.val(0)?, Ty::Note, c.span_of(0))?;
    ret(Sig::node("notefreq", "out", vec![("in", x)], c.span))
}

fn keyframes(c: &Call) -> Result<Val, EvalError> {
    let period = c.const_f64(0)?;
    if !(period.is_finite() && period > 0.0) {
        return Err(EvalError::new(
            "the period must be a positive number of cycles",
            c.span_of(0),
        ));
    }
    let mut keys = Vec::new();
    for (v, s) in c.list(1)?.iter() {
        let Val::Tuple(t) = v else {
            return Err(EvalError::new(
                "expected a keyframe `(time, value)` or `(time, value, \"easing\")`",
                *s,
            ));
        };
        if !(2..=3).contains(&t.len()) {
            return Err(EvalError::new(
                "a keyframe is `(time, value)` or `(time, value, \"easing\")`",
                *s,
            ));
        }
        let time = coerce::to_f64(&t[0].0, t[0].1)?;
        let value = coerce::to_f64(&t[1].0, t[1].1)? as f32;
        let easing = match t.get(2) {
            None => "linear".to_string(),
            Some((Val::Str { text, .. }, es)) => {
                if Easing::from_name(text).is_none() {
                    let names: Vec<&str> = Easing::ALL.iter().map(|(n, _)| *n).collect();
                    return Err(EvalError::new(
                        format!("unknown easing \"{text}\" (one of: {})", names.join(", ")),
                        *es,
                    ));
                }
                text.to_string()
            }
            Some((_, es)) => {
                return Err(EvalError::new("the easing is a string, e.g. \"exp\"", *es))
            }
        };
        keys.push(Key {
            time,
            value,
            easing,
        });
    }
    let node = SigNode {
        kind: "keyframes",
        params: vec![("time", Sig::Cycle(period))],
        keys,
        span: c.span,
    };
    ret(Sig::Out(std::sync::Arc::new(node), "out"))
}

fn cyclepos(c: &Call) -> Result<Val, EvalError> {
    let period = c.const_f64(0)?;
    if !(period.is_finite() && period > 0.0) {
        return Err(EvalError::new(
            "the period must be a positive number of cycles",
            c.span_of(0),
        ));
    }
    ret(Sig::Cycle(period))
}

fn drone(c: &Call) -> Result<Val, EvalError> {
    let name = match c.val(0)? {
        Val::Str { text, .. } => text.clone(),
        other => {
            return Err(EvalError::new(
                format!("expected a drone name, found {}", other.describe()),
                c.span_of(0),
            ))
        }
    };
    let s = sig_any(c, 1)?;
    let patch = lower(&s, c.span_of(1))?;
    no_input(&patch, "a drone", c.span_of(1))?;
    Ok(Val::Action(Action::Drone(name, Box::new(patch))))
}

/// A name for `drone`, `instrument` or `ctl`: a non-empty word.
fn name_arg(c: &Call, what: &str) -> Result<std::sync::Arc<str>, EvalError> {
    let text = match c.val(0)? {
        Val::Str { text, .. } => text.clone(),
        other => {
            return Err(EvalError::new(
                format!(
                    "expected {what} name as a string, found {}",
                    other.describe()
                ),
                c.span_of(0),
            ))
        }
    };
    let ok = !text.is_empty()
        && text
            .chars()
            .all(|ch| ch.is_alphanumeric() || ch == '_' || ch == '-' || ch == '.');
    if !ok {
        return Err(EvalError::new(
            format!("{what} name \"{text}\" must be a non-empty word (letters, digits, _ - .)"),
            c.span_of(0),
        ));
    }
    Ok(text)
}

fn ctl(c: &Call) -> Result<Val, EvalError> {
    let name = name_arg(c, "a control")?;
    if VOICE_PARAMS.iter().any(|(n, _)| **n == *name) || &*name == "s" {
        return Err(EvalError::new(
            format!("`{name}` cannot be a control: `freq` and `gate` are the voice's own parameters (write them bare) and `s` names the sound"),
            c.span_of(0),
        ));
    }
    let default = c.const_f64(1)?;
    if !default.is_finite() {
        return Err(EvalError::new(
            "the default must be a finite number",
            c.span_of(1),
        ));
    }
    ret(Sig::Control(name, default, c.span_of(0)))
}

fn instrument(c: &Call) -> Result<Val, EvalError> {
    let name = name_arg(c, "an instrument")?;
    let s = sig_any(c, 1)?;
    let def = lower_instrument(&s, c.span_of(1))?;
    if crate::synthesis::patch_reads_input(&def.patch) {
        return Err(EvalError::new(
            "`input` is a channel's sound: an instrument has none",
            c.span_of(1),
        )
        .note("put the effects in a chain for the channel instead: `fx 1 $ verb 0.8 0.3 input`"));
    }
    Ok(Val::Action(Action::Instrument(name, Box::new(def))))
}

/// The synthesis table.
pub const BUILTINS: &[Builtin] = &[
    Builtin::f("drone", "String -> Signal -> Action",
        "Plays a signal continuously (replacing the drone of the same name, keeping the state of unchanged modules).",
        "drone \"hum\" $ osc \"sine\" 110 * 0.2", drone),
    Builtin::f("instrument", "String -> Signal -> Action",
        "Defines an instrument that `s \"name\"` plays polyphonically: each event starts a voice with its own copy of the signal, reading `freq`, `gate` and `ctl` controls.",
        "instrument \"blip\" $ osc \"tri\" freq * adsr 0.001 0.1 0 0.05 gate", instrument),
    Builtin::f("ctl", "String -> Double -> Signal",
        "A per-voice control of an instrument: the event's control of that name, or the default.",
        "ladder (ctl \"cutoff\" 800) (ctl \"resonance\" 0.5) (osc \"saw\" freq)", ctl),
    Builtin::f("osc", "String -> Signal -> Signal",
        "Oscillator: \"sine\", \"saw\", \"square\", \"tri\", \"pulse\" or \"supersaw\" at a frequency in Hz.",
        "osc \"saw\" \"<110 165>\"", osc),
    Builtin::f("noise", "String -> Signal", "Noise: \"white\", \"pink\" or \"brown\".", "noise \"pink\" * 0.1", noise),
    Builtin::f("lowpass", "Signal -> Signal -> Signal -> Signal",
        "State-variable low-pass: cutoff (Hz), q, input.", "lowpass 800 2 (osc \"saw\" 55)", |c| svf(c, "lp")),
    Builtin::f("highpass", "Signal -> Signal -> Signal -> Signal",
        "State-variable high-pass: cutoff (Hz), q, input.", "highpass 2000 1 (noise \"white\")", |c| svf(c, "hp")),
    Builtin::f("bandpass", "Signal -> Signal -> Signal -> Signal",
        "State-variable band-pass (unity gain at the centre): centre (Hz), q, input.",
        "bandpass \"<500 1500>\" 8 (noise \"white\")", |c| svf(c, "bp")),
    Builtin::f("ladder", "Signal -> Signal -> Signal -> Signal",
        "Moog-style 4-pole ladder low-pass: cutoff (Hz), resonance (0..1), input.",
        "ladder (range 200 2000 (slow 4 sine)) 0.5 (osc \"saw\" 55)", ladder),
    Builtin::f("adsr", "Signal -> Signal -> Signal -> Signal -> Signal -> Signal",
        "ADSR envelope: attack, decay (s), sustain level, release (s), gate (> 0.5 = on).",
        "adsr 0.01 0.2 0.5 0.3 \"1 0\"", adsr),
    Builtin::f("perc", "Signal -> Signal -> Signal -> Signal",
        "Percussive envelope: attack, release (s), retriggered on each rising edge of the trigger.",
        "perc 0.001 0.2 \"1 0 1 0\"", perc),
    Builtin::f("fbdelay", "Signal -> Signal -> Signal -> Signal",
        "Feedback delay: time (s), feedback (0..0.98), input; half dry, half wet.",
        "fbdelay 0.375 0.5 (osc \"tri\" 220 * perc 0.001 0.1 \"1 0\")", fbdelay),
    Builtin::f("verb", "Signal -> Signal -> Signal -> Signal",
        "Stereo reverb: size (0..1), wet mix (0..1), input (mono or stereo); the result is stereo.",
        "verb 0.8 0.4 (osc \"saw\" 110 * 0.2)", verb),
    Builtin::f("chorus", "Signal -> Signal -> Signal -> Signal -> Signal",
        "Stereo chorus: rate (Hz), depth (0..1), wet mix (0..1), input; the result is stereo.",
        "chorus 0.8 0.5 0.5 (osc \"saw\" 220 * 0.2)", chorus),
    Builtin::f("panner", "Signal -> Signal -> Signal",
        "Equal-power pan of a mono signal: position (-1 left .. 1 right), input; the result is stereo. (`pan` stays the event control.)",
        "panner (slow 4 sine * 2 - 1) (osc \"tri\" 330 * 0.2)", pan),
    Builtin::f("stereo", "Signal -> Signal -> Signal",
        "A stereo signal from two mono ones: left, right.",
        "stereo (osc \"sine\" 220) (osc \"sine\" 221) * 0.2", stereo),
    Builtin::f("bus", "String -> Signal -> Action",
        "A named bus: a mono signal computed once per block that any drone reads with `busin`.",
        "bus \"lfo\" $ slow 4 sine", bus),
    Builtin::f("fx", "a -> Signal -> Action",
        "The effect chain of a channel (`1` for `d1`, or a `p` name): its voices, as the stereo signal `input`, go through the chain instead of their orbit.",
        "fx 1 $ verb 0.8 0.3 $ chorus 0.5 0.3 0.5 input", fx),
    Builtin::f("input", "Signal",
        "In an `fx` chain: the channel's voices (stereo, after their per-event effects).",
        "drive 0.6 input", input),
    Builtin::f("busin", "String -> Signal",
        "Reads a named bus (defined with `bus`; an undefined bus reads silence, with a warning).",
        "osc \"saw\" (200 + 100 * busin \"lfo\")", busin),
    Builtin::f("drive", "Signal -> Signal -> Signal",
        "Waveshaping distortion: amount (0..0.999), input.", "drive 0.6 (osc \"sine\" 110)", drive),
    Builtin::f("notefreq", "Pattern Note -> Signal",
        "Tidal note numbers (or names: \"c a f e\") to frequency in Hz, at audio rate.",
        "osc \"saw\" (notefreq \"c2 ef2 g2\")", notefreq),
    Builtin::f("keyframes", "Double -> [(Double, Double)] -> Signal",
        "Keyframe track over a period of cycles: (time, value) or (time, value, \"easing\") per key.",
        "keyframes 4 [(0, 200, \"exp\"), (2, 4000, \"sineInOut\"), (4, 200)]", keyframes),
    Builtin::f("cyclepos", "Double -> Signal",
        "The cycle position modulo a period of cycles, per sample.", "cyclepos 1", cyclepos),
];
