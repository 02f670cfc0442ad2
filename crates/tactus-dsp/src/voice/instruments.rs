//! The built-in instruments: a synthesized drum kit and synth voices, looked up by name on
//! the control side.

/// Identifier of a built-in instrument (index into [`Instruments::ALL`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct InstrumentId(pub u16);

/// Drum sounds of the built-in kit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Drum {
    /// Bass drum.
    Kick,
    /// Snare.
    Snare,
    /// Closed hi-hat.
    ClosedHat,
    /// Open hi-hat.
    OpenHat,
    /// Hand clap.
    Clap,
    /// Rim shot.
    Rim,
    /// Low tom.
    LowTom,
    /// Mid tom.
    MidTom,
    /// High tom.
    HighTom,
    /// Cowbell.
    Cowbell,
    /// Crash cymbal.
    Crash,
    /// Ride cymbal.
    Ride,
    /// Short percussive blip.
    Perc,
    /// Tabla-like pitched drum with a pitch bend.
    Tabla,
}

/// Synth voices.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SynthKind {
    /// Sine.
    Sine,
    /// Band-limited saw.
    Saw,
    /// Band-limited square.
    Square,
    /// Band-limited triangle.
    Tri,
    /// Seven detuned saws.
    Supersaw,
    /// Karplus-Strong plucked string.
    Pluck,
    /// Two-operator FM.
    Fm,
    /// Saw + sub through a resonant ladder with a filter envelope.
    Bass,
    /// Slow detuned saws, low-passed.
    Pad,
    /// Additive piano-like tone with per-partial decay.
    Piano,
}

/// What an instrument is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InstrumentKind {
    /// A drum; `n` picks one of its variations.
    Drum(Drum),
    /// A pitched synth following note/n/freq/octave.
    Synth(SynthKind),
}

/// Static description of an instrument.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct InstrumentInfo {
    /// Name as used by `s`.
    pub name: &'static str,
    /// What it is.
    pub kind: InstrumentKind,
    /// One-line description.
    pub doc: &'static str,
}

const fn drum(name: &'static str, d: Drum, doc: &'static str) -> InstrumentInfo {
    InstrumentInfo {
        name,
        kind: InstrumentKind::Drum(d),
        doc,
    }
}

const fn synth(name: &'static str, s: SynthKind, doc: &'static str) -> InstrumentInfo {
    InstrumentInfo {
        name,
        kind: InstrumentKind::Synth(s),
        doc,
    }
}

/// The instrument registry.
#[derive(Debug, Clone, Copy)]
pub struct Instruments;

impl Instruments {
    /// Number of variations each drum has (`n` is taken modulo this).
    pub const DRUM_VARIATIONS: u32 = 8;

    /// Every built-in instrument; an [`InstrumentId`] indexes this table.
    pub const ALL: &'static [InstrumentInfo] = &[
        drum(
            "bd",
            Drum::Kick,
            "bass drum: pitched sine sweep with a click",
        ),
        drum("kick", Drum::Kick, "alias of bd"),
        drum("sn", Drum::Snare, "snare: tone plus band-passed noise"),
        drum("sd", Drum::Snare, "alias of sn"),
        drum(
            "hh",
            Drum::ClosedHat,
            "closed hi-hat: metallic squares plus noise",
        ),
        drum("ch", Drum::ClosedHat, "alias of hh"),
        drum("oh", Drum::OpenHat, "open hi-hat"),
        drum("cp", Drum::Clap, "hand clap: bursts of band-passed noise"),
        drum("clap", Drum::Clap, "alias of cp"),
        drum("rim", Drum::Rim, "rim shot"),
        drum("rm", Drum::Rim, "alias of rim"),
        drum("lt", Drum::LowTom, "low tom"),
        drum("mt", Drum::MidTom, "mid tom"),
        drum("ht", Drum::HighTom, "high tom"),
        drum("cb", Drum::Cowbell, "cowbell"),
        drum("cr", Drum::Crash, "crash cymbal"),
        drum("ride", Drum::Ride, "ride cymbal"),
        drum("perc", Drum::Perc, "short percussive blip"),
        drum("tabla", Drum::Tabla, "tabla-like drum with pitch bend"),
        synth("sine", SynthKind::Sine, "sine wave"),
        synth("saw", SynthKind::Saw, "band-limited sawtooth"),
        synth("square", SynthKind::Square, "band-limited square"),
        synth("tri", SynthKind::Tri, "band-limited triangle"),
        synth(
            "supersaw",
            SynthKind::Supersaw,
            "seven detuned saws (detune)",
        ),
        synth(
            "pluck",
            SynthKind::Pluck,
            "plucked string, Karplus-Strong (voice = brightness)",
        ),
        synth("fm", SynthKind::Fm, "two-operator FM (voice = index)"),
        synth("superfm", SynthKind::Fm, "alias of fm"),
        synth(
            "bass",
            SynthKind::Bass,
            "saw bass through a resonant ladder",
        ),
        synth("pad", SynthKind::Pad, "slow detuned saw pad"),
        synth("superpiano", SynthKind::Piano, "additive piano-like tone"),
        synth("piano", SynthKind::Piano, "alias of superpiano"),
    ];

    /// The id of the instrument called `name`. Control side.
    ///
    /// ```
    /// use tactus_dsp::voice::instruments::Instruments;
    /// let bd = Instruments::id_of("bd").unwrap();
    /// assert_eq!(Instruments::info(bd).unwrap().name, "bd");
    /// assert!(Instruments::id_of("nonexistent").is_none());
    /// ```
    pub fn id_of(name: &str) -> Option<InstrumentId> {
        Self::ALL
            .iter()
            .position(|i| i.name == name)
            .map(|i| InstrumentId(i as u16))
    }

    /// Description of instrument `id`.
    pub fn info(id: InstrumentId) -> Option<&'static InstrumentInfo> {
        Self::ALL.get(id.0 as usize)
    }

    /// What instrument `id` is.
    #[inline]
    pub fn kind(id: InstrumentId) -> Option<InstrumentKind> {
        Self::info(id).map(|i| i.kind)
    }
}
