//! Control parameters (`s n note speed gain cutoff room ...`): functions from a pattern of
//! values to a control pattern, with SuperDirt's names, and Tidal's aliases.

use std::sync::OnceLock;

use tactus_pattern::{Pattern, Value, ValueMap};

use super::{Builtin, Imp};
use crate::eval::call::Call;
use crate::eval::coerce::{grp, GrpKind};
use crate::eval::types::{Ty, Val};
use crate::eval::EvalError;

/// Parameters by value type: `f` Double, `i` Int, `s` String, `n` Note, `b` Bool.
/// These are Tidal 1.7's generic parameters (Sound.Tidal.Params) by name and type.
const PARAMS: &[(&str, &str)] = &[
    ("s", "toArg"),
    ("f", "from to accelerate amp attack bandf bandq begin legato clhatdecay crush coarse cutoff cutoffegint decay delay delayfeedback delaytime detune djf dry end freq gain gate hatgrain hcutoff hold hresonance lagogo lclap lclaves lclhat lcrash leslie lrate lsize lfo lfocutoffint lfodelay lfoint lfopitchint lfoshape lfosync lhitom lkick llotom lock loop lophat lsnare degree mtranspose ctranspose harmonic stepsPerOctave octaveRatio nudge offset ophatdecay overgain overshape pan panspan pansplay panwidth panorient pitch1 pitch2 pitch3 portamento rate release resonance room sagogo sclap sclaves scrash semitone shape size slide speed squiz stutterdepth stuttertime sustain tomdecay velocity vcfegint vcoegint voice waveloss dur modwheel expression sustainpedal tremolodepth tremolorate phaserdepth phaserrate fshift fshiftnote fshiftphase triode krush kcutoff octer octersub octersubsub ring ringf ringdf distort freeze xsdelay tsdelay real imag enhance partials comb smear scram binshift hbrick lbrick midichan control ccn ccv polyTouch midibend miditouch ctlNum frameRate frames hours minutes progNum seconds songPtr uid val cps button0 button1 button2 button3 button4 button5 button6 button7 button8 button9 button10 button11 button12 button13 button14 button15 slider0 slider1 slider2 slider3 slider4 slider5 slider6 slider7 slider8 slider9 slider10 slider11 slider12 slider13 slider14 slider15 lpattack lprelease hpattack hprelease bpattack bprelease lpenv hpenv bpenv"),
    ("i", "channel cut octave orbit"),
    ("n", "n note"),
    ("s", "unit vowel midicmd dest"),
];

/// Tidal's aliases: alias name -> canonical control.
const ALIASES: &[(&str, &str)] = &[
    ("att", "attack"),
    ("bpf", "bandf"),
    ("bpq", "bandq"),
    ("chdecay", "clhatdecay"),
    ("ctf", "cutoff"),
    ("ctfg", "cutoffegint"),
    ("delayfb", "delayfeedback"),
    ("dfb", "delayfeedback"),
    ("delayt", "delaytime"),
    ("dt", "delaytime"),
    ("det", "detune"),
    ("gat", "gate"),
    ("hg", "hatgrain"),
    ("hpf", "hcutoff"),
    ("hpq", "hresonance"),
    ("lag", "lagogo"),
    ("lbd", "lkick"),
    ("lch", "lclhat"),
    ("lcl", "lclaves"),
    ("lcp", "lclap"),
    ("lcr", "lcrash"),
    ("lfoc", "lfocutoffint"),
    ("lfoi", "lfoint"),
    ("lfop", "lfopitchint"),
    ("lht", "lhitom"),
    ("llt", "llotom"),
    ("loh", "lophat"),
    ("lpf", "cutoff"),
    ("lpq", "resonance"),
    ("lsn", "lsnare"),
    ("ohdecay", "ophatdecay"),
    ("phasdp", "phaserdepth"),
    ("phasr", "phaserrate"),
    ("pit1", "pitch1"),
    ("pit2", "pitch2"),
    ("pit3", "pitch3"),
    ("por", "portamento"),
    ("rel", "release"),
    ("sag", "sagogo"),
    ("scl", "sclaves"),
    ("scp", "sclap"),
    ("scr", "scrash"),
    ("sz", "size"),
    ("sld", "slide"),
    ("std", "stutterdepth"),
    ("stt", "stuttertime"),
    ("sus", "sustain"),
    ("tdecay", "tomdecay"),
    ("tremdp", "tremolodepth"),
    ("tremr", "tremolorate"),
    ("vcf", "vcfegint"),
    ("vco", "vcoegint"),
    ("voi", "voice"),
    ("up", "note"),
    ("command", "midicmd"),
    ("clip", "legato"),
];

fn doc_for(name: &str) -> &'static str {
    match name {
        "n" => "The note or sample number to choose for a synth or sample folder.",
        "note" => "The pitch to play, in semitones from middle C (0 = c5).",
        "speed" => "Sample playback rate: 2 = an octave up, negative plays backwards.",
        "gain" => "Volume on SuperDirt's curve (1 = unchanged, 0 = silent).",
        "pan" => "Stereo position, 0 = left, 0.5 = centre, 1 = right.",
        "cutoff" => "Low-pass filter cutoff frequency in Hz (alias `lpf`).",
        "resonance" => "Low-pass filter resonance, 0 to 1 (alias `lpq`).",
        "hcutoff" => "High-pass filter cutoff frequency in Hz (alias `hpf`).",
        "bandf" => "Band-pass filter centre frequency in Hz (alias `bpf`).",
        "room" => "Reverb send level on the orbit's global reverb, 0 to 1.",
        "size" => "Reverb room size, 0 to 1 (alias `sz`).",
        "delay" => "Delay send level on the orbit's global delay, 0 to 1.",
        "delaytime" => "Delay time in seconds (alias `delayt`).",
        "delayfeedback" => "Delay feedback, 0 to <1 (alias `delayfb`).",
        "orbit" => "The orbit (effect bus) this event plays on.",
        "dest" => "The destination(s) this event plays on (tactus): `# dest \"dirt\"`, `# dest \"[dirt,synth]\"`.",
        "cut" => "Cut group: a new sound stops others in the same group.",
        "legato" => "Duration as a multiple of the event's length.",
        "sustain" => "Duration in seconds.",
        "begin" => "Where in the sample to start, 0 to 1.",
        "end" => "Where in the sample to stop, 0 to 1.",
        "shape" => "Wave-shaping distortion, 0 to <1.",
        "crush" => "Bit crushing: 16 = clean, 1 = drastic.",
        "coarse" => "Sample-rate reduction: 1 = clean, 2 = half rate...",
        "vowel" => "Formant filter: a e i o u.",
        "accelerate" => "Pitch glide over the sound's duration, in octaves per duration.",
        "attack" => "Envelope attack time in seconds.",
        "release" => "Envelope release time in seconds.",
        "hold" => "Envelope hold time in seconds.",
        "unit" => "Units of `speed`: \"r\" rate, \"c\" cycles, \"s\" seconds.",
        "velocity" => "MIDI-style velocity, 0 to 1.",
        "octave" => "Octave for synth notes (default 5).",
        "nudge" => "Shifts events later by this many seconds.",
        _ => "A SuperDirt control parameter.",
    }
}

fn ty_code(code: &str) -> (Ty, &'static str) {
    match code {
        "f" => (Ty::Float, "Pattern Double -> ControlPattern"),
        "i" => (Ty::Int, "Pattern Int -> ControlPattern"),
        "n" => (Ty::Note, "Pattern Note -> ControlPattern"),
        "b" => (Ty::Bool, "Pattern Bool -> ControlPattern"),
        _ => (Ty::Str, "Pattern String -> ControlPattern"),
    }
}

/// Every simple parameter and alias as a built-in.
pub fn params() -> &'static [Builtin] {
    static P: OnceLock<Vec<Builtin>> = OnceLock::new();
    P.get_or_init(|| {
        let mut v = Vec::new();
        let mut types = std::collections::HashMap::new();
        for (code, names) in PARAMS {
            for name in names.split_whitespace() {
                let name: &'static str = name;
                let (ty, sig) = ty_code(code);
                types.insert(name, (ty, sig));
                v.push(Builtin {
                    name,
                    sig,
                    doc: doc_for(name),
                    example: "",
                    imp: Imp::Param { control: name, ty },
                });
            }
        }
        for (alias, target) in ALIASES {
            if let Some(&(ty, sig)) = types.get(target) {
                v.push(Builtin {
                    name: alias,
                    sig,
                    doc: doc_for(target),
                    example: "",
                    imp: Imp::Param {
                        control: target,
                        ty,
                    },
                });
            }
        }
        v
    })
}

/// Builds `{control: value}` maps from a pattern of values.
pub fn param(c: &Call, control: &'static str, ty: Ty) -> Result<Val, EvalError> {
    let p = c.pat_of(0, ty)?;
    let p = p.fmap(move |v| Value::Map(ValueMap::singleton(control, ty.convert(v))));
    c.ret_ty(Ty::Control, p)
}

fn sound(c: &Call) -> Result<Val, EvalError> {
    let p = c.pat_of(0, Ty::Str)?;
    c.ret_ty(
        Ty::Control,
        grp(&p, &[("s", GrpKind::Str), ("n", GrpKind::Float)]),
    )
}

fn cc(c: &Call) -> Result<Val, EvalError> {
    let p = c.pat_of(0, Ty::Str)?;
    c.ret_ty(
        Ty::Control,
        grp(&p, &[("ccn", GrpKind::Float), ("ccv", GrpKind::Float)]),
    )
}

fn nrpn(c: &Call) -> Result<Val, EvalError> {
    let p = c.pat_of(0, Ty::Str)?;
    c.ret_ty(
        Ty::Control,
        grp(&p, &[("nrpn", GrpKind::Int), ("val", GrpKind::Int)]),
    )
}

fn midinote(c: &Call) -> Result<Val, EvalError> {
    let p = c.pat_of(0, Ty::Note)?;
    let p = p.fmap(|v| {
        Value::Map(ValueMap::singleton(
            "note",
            Value::Note(v.as_f64().unwrap_or(0.0) - 60.0),
        ))
    });
    c.ret_ty(Ty::Control, p)
}

fn generic_param(c: &Call, ty: Ty) -> Result<Val, EvalError> {
    let name: std::sync::Arc<str> = match c.val(0)? {
        Val::Str { text, .. } => text.clone(),
        other => {
            return Err(EvalError::new(
                format!(
                    "expected a control name as a string, found {}",
                    other.describe()
                ),
                c.span_of(0),
            ))
        }
    };
    let p = c.pat_of(1, ty)?;
    let p: Pattern<Value> =
        p.fmap(move |v| Value::Map(ValueMap::singleton(name.clone(), ty.convert(v))));
    c.ret_ty(Ty::Control, p)
}

/// Grouped parameters and parameter makers.
pub fn special() -> &'static [Builtin] {
    const S: &[Builtin] = &[
        Builtin::f(
            "sound",
            "Pattern String -> ControlPattern",
            "The sound to play; `\"name:n\"` also sets `n`.",
            "sound \"bd:3 sn\"",
            sound,
        ),
        Builtin::f(
            "s",
            "Pattern String -> ControlPattern",
            "The sound to play (short for `sound`); `\"name:n\"` also sets `n`.",
            "s \"bd*2 sn\"",
            sound,
        ),
        Builtin::f(
            "cc",
            "Pattern String -> ControlPattern",
            "MIDI control change as `\"number:value\"`.",
            "cc \"64:1\"",
            cc,
        ),
        Builtin::f(
            "nrpn",
            "Pattern String -> ControlPattern",
            "MIDI NRPN as `\"param:value\"`.",
            "nrpn \"1:2\"",
            nrpn,
        ),
        Builtin::f(
            "midinote",
            "Pattern Note -> ControlPattern",
            "A MIDI note number (60 = middle C) as `note`.",
            "midinote \"60 64\"",
            midinote,
        ),
        Builtin::f(
            "pF",
            "String -> Pattern Double -> ControlPattern",
            "A custom float control.",
            "pF \"mycontrol\" \"0.5 1\"",
            |c| generic_param(c, Ty::Float),
        ),
        Builtin::f(
            "pI",
            "String -> Pattern Int -> ControlPattern",
            "A custom integer control.",
            "pI \"mycontrol\" \"1 2\"",
            |c| generic_param(c, Ty::Int),
        ),
        Builtin::f(
            "pS",
            "String -> Pattern String -> ControlPattern",
            "A custom string control.",
            "pS \"mycontrol\" \"a b\"",
            |c| generic_param(c, Ty::Str),
        ),
        Builtin::f(
            "pN",
            "String -> Pattern Note -> ControlPattern",
            "A custom note control.",
            "pN \"mycontrol\" \"c e\"",
            |c| generic_param(c, Ty::Note),
        ),
        Builtin::f(
            "pB",
            "String -> Pattern Bool -> ControlPattern",
            "A custom boolean control.",
            "pB \"mycontrol\" \"t f\"",
            |c| generic_param(c, Ty::Bool),
        ),
    ];
    S
}
