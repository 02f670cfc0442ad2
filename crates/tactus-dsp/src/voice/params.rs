//! [`VoiceParams`]: the `Copy` event payload with SuperDirt's parameters.
//!
//! Values live in a fixed `[f32; PARAM_COUNT]` indexed by [`Param`], plus a bit mask of the
//! parameters that were actually given. SuperDirt's behaviour often depends on whether a
//! parameter was set at all (`note` falls back to `n`, the filters only run when `cutoff`
//! is given, ...), so [`VoiceParams::get`] returns the SuperDirt default when unset and
//! [`VoiceParams::get_opt`] tells the two apart. Names are resolved on the control side
//! ([`Param::from_name`]); the audio thread only indexes arrays.

use crate::sample::SampleId;
use crate::units::formant::vowel_index;
use crate::voice::graph::{GraphSound, MAX_CONTROLS};
use crate::voice::instruments::InstrumentId;

macro_rules! params {
    ($( $variant:ident = $name:literal, $default:expr, [$($alias:literal),*], $doc:literal; )*) => {
        /// A SuperDirt parameter.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[repr(u8)]
        pub enum Param {
            $( #[doc = $doc] $variant, )*
        }

        /// Static description of a parameter.
        #[derive(Debug, Clone, Copy, PartialEq)]
        pub struct ParamSpec {
            /// The parameter.
            pub param: Param,
            /// Tidal/SuperDirt name.
            pub name: &'static str,
            /// Other accepted names.
            pub aliases: &'static [&'static str],
            /// Value when not given.
            pub default: f32,
            /// Meaning, in SuperDirt's terms.
            pub doc: &'static str,
        }

        /// Every parameter, in `Param` order.
        pub const PARAM_SPECS: &[ParamSpec] = &[
            $( ParamSpec { param: Param::$variant, name: $name, aliases: &[$($alias),*], default: $default, doc: $doc }, )*
        ];

        /// The parameter with this name or alias, by one `match` (the scheduler looks up
        /// every control of every event, so this replaces a scan of [`PARAM_SPECS`]).
        fn param_by_name(name: &str) -> Option<Param> {
            match name {
                $( $name $(| $alias)* => Some(Param::$variant), )*
                _ => None,
            }
        }
    };
}

params! {
    N = "n", 0.0, [], "sample number (samples, drums) or note (synths, when `note` is not given)";
    Note = "note", 0.0, ["up"], "note in semitones, 0 = middle C; pitches samples too";
    Freq = "freq", 261.625_58, [], "frequency in Hz; overrides note/n/octave for synths";
    Octave = "octave", 5.0, [], "octave, 5 = middle C's octave";
    Gain = "gain", 1.0, [], "level, curved: amplitude = min(gain, 2)^4 * amp";
    Overgain = "overgain", 0.0, [], "added to gain before the curve";
    Velocity = "velocity", 1.0, [], "linear level multiplier";
    Amp = "amp", 0.4, [], "linear amplitude (SuperDirt's default 0.4)";
    Pan = "pan", 0.5, [], "stereo position, 0 = left, 0.5 = centre, 1 = right";
    Speed = "speed", 1.0, [], "playback rate; negative plays samples backwards";
    Accelerate = "accelerate", 0.0, [], "rate change: the rate goes from speed to speed*(1+accelerate) over the sound";
    Unit = "unit", 0.0, [], "speed unit: 0 = rate (\"r\"), 1 = cycles (\"c\": speed 1 fits the sample to a cycle), 2 = seconds (\"s\")";
    Begin = "begin", 0.0, [], "start position in the sample, 0..1";
    End = "end", 1.0, [], "end position in the sample, 0..1";
    Loop = "loop", 1.0, [], "number of times the begin..end section plays";
    Cutoff = "cutoff", 20_000.0, ["lpf", "ctf"], "low-pass cutoff in Hz (the filter runs only when given)";
    Resonance = "resonance", 0.0, ["lpq", "res"], "low-pass resonance 0..1 (q = 1000^resonance); also the vowel sharpness";
    Hcutoff = "hcutoff", 0.0, ["hpf"], "high-pass cutoff in Hz (0 = off)";
    Hresonance = "hresonance", 0.0, ["hpq"], "high-pass resonance 0..1";
    Bandf = "bandf", 0.0, ["bpf", "bandqf"], "band-pass centre in Hz (0 = off)";
    Bandq = "bandq", 10.0, ["bpq"], "band-pass q (also its gain)";
    Vowel = "vowel", 0.0, [], "formant filter: a=0 e=1 i=2 o=3 u=4 (fractional morphs); only when given";
    Shape = "shape", 0.0, [], "waveshaping distortion 0..1";
    Crush = "crush", 0.0, [], "bit depth (1..16), 0 = off";
    Coarse = "coarse", 0.0, [], "sample-rate reduction factor (> 1)";
    Attack = "attack", 0.0, ["att"], "envelope attack in seconds (envelope only when attack or release is given)";
    Hold = "hold", 0.0, [], "envelope hold in seconds (default: the rest of the sustain)";
    Release = "release", 0.0, ["rel"], "envelope release in seconds";
    Sustain = "sustain", 1.0, ["sus"], "duration in seconds (default: from legato, or the sample's length, or delta)";
    Legato = "legato", 1.0, [], "duration as a multiple of the event's delta";
    Orbit = "orbit", 0.0, [], "orbit (bus with its own reverb and delay) 0..11";
    Room = "room", 0.0, [], "orbit reverb send (global per orbit, kept until changed)";
    Size = "size", 0.1, ["sz"], "orbit reverb decay 0..1 (global per orbit)";
    Dry = "dry", 0.0, [], "orbit reverb attenuation: wet * (1 - dry) (global per orbit)";
    Delay = "delay", 0.0, [], "orbit delay level (global per orbit; 0 when not given)";
    Delaytime = "delaytime", 0.25, ["delayt"], "orbit delay time in seconds (global per orbit)";
    Delayfeedback = "delayfeedback", 0.5, ["delayfb"], "orbit delay feedback 0..0.98 (global per orbit)";
    Cut = "cut", 0.0, [], "cut group: > 0 stops earlier sounds of the group on the orbit, < 0 only the same sound";
    Cps = "cps", 0.5625, [], "cycles per second at the event (for unit \"c\")";
    Delta = "delta", 1.0, [], "event duration in seconds (for legato and synth durations)";
    Detune = "detune", 0.5, [], "detune amount for supersaw/pad";
    Voice = "voice", 0.5, [], "timbre control of some synths (FM index, pluck brightness, ...)";
}

/// Number of parameters.
pub const PARAM_COUNT: usize = PARAM_SPECS.len();
const _: () = assert!(PARAM_COUNT <= 64, "the set mask is a u64");

impl Param {
    /// Every parameter.
    pub fn all() -> impl Iterator<Item = Param> {
        PARAM_SPECS.iter().map(|s| s.param)
    }
    /// The parameter called `name` (or one of its aliases). Control side.
    ///
    /// ```
    /// use tactus_dsp::voice::params::Param;
    /// assert_eq!(Param::from_name("lpf"), Some(Param::Cutoff));
    /// assert_eq!(Param::from_name("nope"), None);
    /// ```
    pub fn from_name(name: &str) -> Option<Param> {
        param_by_name(name)
    }
    /// Static description.
    pub fn spec(self) -> &'static ParamSpec {
        &PARAM_SPECS[self as usize]
    }
    /// Tidal name.
    pub fn name(self) -> &'static str {
        self.spec().name
    }
    /// Default value.
    pub fn default_value(self) -> f32 {
        self.spec().default
    }
}

/// What a voice plays: a built-in instrument, a sample, or nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sound {
    /// No sound (the event only sets orbit-global effects).
    #[default]
    Silent,
    /// A built-in synthesized instrument.
    Instrument(InstrumentId),
    /// A sample in the synth's sample slots.
    Sample(SampleId),
    /// An instrument defined as a patch graph ([`crate::voice::graph`]).
    Graph(GraphSound),
}

/// The parameters of one voice: a `Copy` event payload.
///
/// ```
/// use tactus_dsp::voice::params::{Param, Sound, VoiceParams};
/// use tactus_dsp::voice::instruments::Instruments;
/// let mut p = VoiceParams::new(Sound::Instrument(Instruments::id_of("superpiano").unwrap()));
/// p.set(Param::Note, 7.0);
/// assert!(p.set_named("cutoff", 800.0));
/// assert!(p.set_named_str("vowel", "o"));
/// assert_eq!(p.get(Param::Gain), 1.0); // default
/// assert_eq!(p.get_opt(Param::Cutoff), Some(800.0));
/// assert!((p.freq() - 392.0).abs() < 0.1);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct VoiceParams {
    /// What to play.
    pub sound: Sound,
    values: [f32; PARAM_COUNT],
    set: u64,
    /// Named controls of a graph instrument, by the instrument's control index.
    controls: [f32; MAX_CONTROLS],
    controls_set: u16,
}

impl Default for VoiceParams {
    fn default() -> Self {
        Self::new(Sound::Silent)
    }
}

impl VoiceParams {
    /// Parameters for `sound`, all at their defaults.
    pub fn new(sound: Sound) -> Self {
        let mut values = [0.0; PARAM_COUNT];
        for (v, s) in values.iter_mut().zip(PARAM_SPECS) {
            *v = s.default;
        }
        Self {
            sound,
            values,
            set: 0,
            controls: [0.0; MAX_CONTROLS],
            controls_set: 0,
        }
    }
    /// Sets named control `i` of a graph instrument (see
    /// [`crate::voice::graph::GraphInstrument::controls`]); ignored when `i` is out of range
    /// or `v` is not finite.
    pub fn set_control(&mut self, i: usize, v: f32) {
        if i < MAX_CONTROLS && v.is_finite() {
            self.controls[i] = v;
            self.controls_set |= 1 << i;
        }
    }
    /// Named control `i` of a graph instrument, if the event gave it.
    #[inline]
    pub fn control(&self, i: usize) -> Option<f32> {
        (i < MAX_CONTROLS && self.controls_set & (1 << i) != 0).then(|| self.controls[i])
    }
    /// Builder form of [`VoiceParams::set`].
    pub fn with(mut self, p: Param, v: f32) -> Self {
        self.set(p, v);
        self
    }
    /// Sets `p` to `v` and marks it as given.
    #[inline]
    pub fn set(&mut self, p: Param, v: f32) {
        self.values[p as usize] = v;
        self.set |= 1 << p as u8;
    }
    /// Forgets `p` (back to its default, not given).
    pub fn unset(&mut self, p: Param) {
        self.values[p as usize] = p.default_value();
        self.set &= !(1 << p as u8);
    }
    /// True if `p` was given (with a finite value).
    #[inline]
    pub fn is_set(&self, p: Param) -> bool {
        self.set & (1 << p as u8) != 0 && self.values[p as usize].is_finite()
    }
    /// The value of `p` if it was given and is finite.
    #[inline]
    pub fn get_opt(&self, p: Param) -> Option<f32> {
        self.is_set(p).then(|| self.values[p as usize])
    }
    /// The value of `p`, or its default when not given or not finite.
    #[inline]
    pub fn get(&self, p: Param) -> f32 {
        self.get_opt(p).unwrap_or(p.default_value())
    }
    /// Sets a parameter by Tidal name or alias; false if unknown. Control side.
    pub fn set_named(&mut self, name: &str, v: f32) -> bool {
        match Param::from_name(name) {
            Some(p) => {
                self.set(p, v);
                true
            }
            None => false,
        }
    }
    /// Sets a string-valued parameter (`vowel "a"`, `unit "c"`); false if unknown.
    pub fn set_named_str(&mut self, name: &str, v: &str) -> bool {
        let value = match Param::from_name(name) {
            Some(Param::Vowel) => vowel_index(v),
            Some(Param::Unit) => unit_code(v),
            _ => None,
        };
        match value {
            Some(x) => self.set_named(name, x),
            None => false,
        }
    }
    /// The synth frequency with SuperDirt's rules: `freq` if given, else the MIDI note
    /// `(note, or n when note is not given) + octave * 12`, middle C at note 0 octave 5.
    pub fn freq(&self) -> f32 {
        if let Some(f) = self.get_opt(Param::Freq) {
            return f;
        }
        let note = self
            .get_opt(Param::Note)
            .unwrap_or_else(|| self.get(Param::N));
        crate::math::midi_to_hz(note + self.get(Param::Octave) * 12.0)
    }
    /// Pitch ratio applied to samples and drums: `2^((note + (octave - 5) * 12) / 12)`
    /// (`n` selects the sample and does not pitch it).
    pub fn sample_pitch_ratio(&self) -> f32 {
        let note = self.get(Param::Note) + (self.get(Param::Octave) - 5.0) * 12.0;
        (note / 12.0).exp2()
    }
    /// SuperDirt's amplitude: `(min(gain, 2) + overgain)^4 * amp * velocity`.
    pub fn amplitude(&self) -> f32 {
        self.amplitude_with(self.get(Param::Amp))
    }
    /// The amplitude of a graph instrument's voice: as [`VoiceParams::amplitude`] but `amp`
    /// is 1 when not given (the instrument's own signal sets its level).
    pub fn graph_amplitude(&self) -> f32 {
        self.amplitude_with(self.get_opt(Param::Amp).unwrap_or(1.0))
    }
    fn amplitude_with(&self, amp: f32) -> f32 {
        let g = (self.get(Param::Gain).min(2.0) + self.get(Param::Overgain)).max(0.0);
        g.powi(4) * amp * self.get(Param::Velocity)
    }
}

/// Code of a `unit` string: `"r"`/`"rate"` = 0, `"c"` = 1, `"s"` = 2.
pub fn unit_code(s: &str) -> Option<f32> {
    match s {
        "r" | "rate" => Some(0.0),
        "c" => Some(1.0),
        "s" => Some(2.0),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `from_name` (a `match`) agrees with the spec table: every name and alias finds its
    /// parameter, and names that are not there find nothing.
    #[test]
    fn from_name_agrees_with_the_spec_table() {
        for spec in PARAM_SPECS {
            assert_eq!(
                Param::from_name(spec.name),
                Some(spec.param),
                "{}",
                spec.name
            );
            for alias in spec.aliases {
                assert_eq!(Param::from_name(alias), Some(spec.param), "{alias}");
            }
        }
        for name in ["", "s", "Gain", "gain ", "lp", "nudge", "deltax"] {
            assert_eq!(Param::from_name(name), None, "{name:?}");
        }
    }
}
