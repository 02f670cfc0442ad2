//! Turning pattern haps into timed voice events on the control side.

use std::collections::HashSet;

use tactus_dsp::voice::instruments::Instruments;
use tactus_dsp::voice::params::{Param, Sound, VoiceParams};
use tactus_pattern::{Hap, Value, ValueMap};

/// A voice start with its exact frame: the `Copy` payload sent towards the audio side.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Event {
    /// The frame the voice starts at.
    pub at_sample: u64,
    /// The voice's parameters.
    pub params: VoiceParams,
    /// The effect chain of the event's channel (1..=[`tactus_dsp::chains::CHAINS`], see
    /// [`chain_of`]); 0 when the channel has none and the voice goes to its orbit.
    pub chain: u8,
}

/// The effect chain number of a channel in a program: its position among the channels
/// with an `fx` chain, plus one (0 when it has none, or is beyond
/// [`tactus_dsp::chains::CHAINS`]). The drone feed numbers the chains the same way.
pub fn chain_of(program: &tactus_lang::program::Program, channel: &str) -> u8 {
    program
        .fx
        .keys()
        .position(|k| &**k == channel)
        .filter(|&i| i < tactus_dsp::chains::CHAINS)
        .map_or(0, |i| i as u8 + 1)
}

/// Resolves sound names to instruments or samples.
pub trait SoundResolver {
    /// The sound for a name and sample number: `Ok(None)` if the name is unknown,
    /// `Err(message)` if it is known but cannot be played (e.g. an unreadable file).
    fn resolve(&mut self, name: &str, n: f32) -> Result<Option<Sound>, String>;

    /// The named controls of the graph instrument playing `sound`, in the order of
    /// [`VoiceParams::set_control`] indices (empty for other sounds).
    fn controls(&self, _sound: Sound) -> &[String] {
        &[]
    }
}

/// Built-in instruments only (no sample folders).
#[derive(Default)]
pub struct BuiltinSounds;

impl SoundResolver for BuiltinSounds {
    fn resolve(&mut self, name: &str, _n: f32) -> Result<Option<Sound>, String> {
        Ok(Instruments::id_of(name).map(Sound::Instrument))
    }
}

/// Warnings collected while scheduling, each reported once.
#[derive(Default)]
pub struct Warnings {
    seen: HashSet<String>,
    /// Messages not yet printed.
    pub pending: Vec<String>,
}

impl Warnings {
    /// Records a warning unless the same one was seen before.
    pub fn once(&mut self, msg: String) {
        if self.seen.insert(msg.clone()) {
            self.pending.push(msg);
        }
    }

    /// Takes the pending messages.
    pub fn drain(&mut self) -> Vec<String> {
        std::mem::take(&mut self.pending)
    }
}

/// Builds voice parameters from a control map. Returns `None` (with a warning) when the
/// sound is unknown; maps without `s` only set orbit-global effects.
pub fn voice_params(
    m: &ValueMap,
    delta_seconds: f64,
    cps: f64,
    sounds: &mut dyn SoundResolver,
    warnings: &mut Warnings,
) -> Option<VoiceParams> {
    let n = m.get("n").and_then(Value::as_f64).unwrap_or(0.0) as f32;
    let sound = match m.get("s") {
        Some(Value::Str(name)) => match sounds.resolve(name, n) {
            Ok(Some(s)) => s,
            Ok(None) => {
                warnings.once(format!(
                    "unknown sound `{name}`: events using it are skipped"
                ));
                return None;
            }
            Err(msg) => {
                warnings.once(format!(
                    "sound `{name}`: {msg}; events using it are skipped"
                ));
                return None;
            }
        },
        Some(_) | None => Sound::Silent,
    };
    let mut p = VoiceParams::new(sound);
    for (k, v) in m.iter() {
        if k == "s" {
            continue;
        }
        // Controls the synth does not know (e.g. MIDI-only ones) are ignored here; other
        // sinks read them from the map.
        match v {
            Value::Str(s) => {
                p.set_named_str(k, s);
            }
            other => {
                if let Some(x) = other.as_f64().filter(|x| x.is_finite()) {
                    p.set_named(k, x as f32);
                }
            }
        }
    }
    p.set(Param::Delta, delta_seconds as f32);
    p.set(Param::Cps, cps as f32);
    if matches!(sound, Sound::Graph(_)) {
        let controls = sounds.controls(sound);
        bind_controls(&mut p, m, controls);
        warn_unread(m, controls, warnings);
    }
    Some(p)
}

/// Parameters a graph instrument's voice reads itself (pitch, timing, routing): a control
/// of the same name gets their value too, and they keep their meaning.
const VOICE_OWN: &[Param] = &[
    Param::N,
    Param::Note,
    Param::Freq,
    Param::Octave,
    Param::Speed,
    Param::Delta,
    Param::Cps,
    Param::Legato,
    Param::Sustain,
    Param::Loop,
    Param::Orbit,
    Param::Cut,
];

/// Warns (once per name) about an event control that an instrument does not read and that
/// nothing else knows either (a custom `pF` name that is not one of the instrument's
/// `ctl`s: usually a typo).
fn warn_unread(m: &ValueMap, controls: &[String], warnings: &mut Warnings) {
    let Some(Value::Str(name)) = m.get("s") else {
        return;
    };
    for (k, _) in m.iter() {
        let known = k == "s"
            || Param::from_name(k).is_some()
            || controls.iter().any(|c| c == k)
            || tactus_lang::registry::lookup(k)
                .is_some_and(|b| matches!(b.imp, tactus_lang::registry::Imp::Param { .. }));
        if !known {
            let list = if controls.is_empty() {
                "none".to_string()
            } else {
                controls.join(", ")
            };
            warnings.once(format!(
                "instrument `{name}` has no control `{k}` (its controls: {list}); the value is ignored"
            ));
        }
    }
}

/// Binds the event's controls to a graph instrument's named controls (`ctl "cutoff" 800`
/// takes `# cutoff 1200`, or an alias such as `# lpf 1200`). A SuperDirt effect parameter
/// the instrument reads as a control is consumed by it: the voice's effect chain does not
/// apply it a second time.
fn bind_controls(p: &mut VoiceParams, m: &ValueMap, controls: &[String]) {
    for (i, name) in controls.iter().enumerate() {
        let param = Param::from_name(name);
        let value = m.iter().find_map(|(k, v)| {
            let same = k == name.as_str() || (param.is_some() && Param::from_name(k) == param);
            same.then(|| v.as_f64()).flatten()
        });
        if let Some(v) = value.filter(|v| v.is_finite()) {
            p.set_control(i, v as f32);
        }
        if let Some(q) = param.filter(|q| !VOICE_OWN.contains(q)) {
            p.unset(q);
        }
    }
}

/// The `nudge` of a hap in seconds.
pub fn nudge_seconds(h: &Hap<Value>) -> f64 {
    h.value
        .as_map()
        .and_then(|m| m.get("nudge"))
        .and_then(Value::as_f64)
        .filter(|x| x.is_finite())
        .unwrap_or(0.0)
}
