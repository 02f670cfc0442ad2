//! Formant filter for the vowels a e i o u (SuperDirt's `vowel`): five parallel band-passes
//! at the formant frequencies of a tenor voice, with fractional vowel indices morphing
//! between neighbouring vowels.

use crate::math::{db_to_amp, lerp};
use crate::unit::{frames, input, ParamInfo, Params, PortInfo, ProcessContext, Unit, UnitInfo};
use crate::units::filter::SvfCore;

/// Formant data of one vowel: frequencies (Hz), levels (dB) and bandwidths (Hz).
#[derive(Debug, Clone, Copy)]
struct Vowel {
    freq: [f32; 5],
    db: [f32; 5],
    bw: [f32; 5],
}

/// Tenor formants (published phonetics tables) for a, e, i, o, u.
const VOWELS: [Vowel; 5] = [
    Vowel {
        freq: [650.0, 1080.0, 2650.0, 2900.0, 3250.0],
        db: [0.0, -6.0, -7.0, -8.0, -22.0],
        bw: [80.0, 90.0, 120.0, 130.0, 140.0],
    },
    Vowel {
        freq: [400.0, 1700.0, 2600.0, 3200.0, 3580.0],
        db: [0.0, -14.0, -12.0, -14.0, -20.0],
        bw: [70.0, 80.0, 100.0, 120.0, 120.0],
    },
    Vowel {
        freq: [290.0, 1870.0, 2800.0, 3250.0, 3540.0],
        db: [0.0, -15.0, -18.0, -20.0, -30.0],
        bw: [40.0, 90.0, 100.0, 120.0, 120.0],
    },
    Vowel {
        freq: [400.0, 800.0, 2600.0, 2800.0, 3000.0],
        db: [0.0, -10.0, -12.0, -12.0, -26.0],
        bw: [40.0, 80.0, 100.0, 120.0, 120.0],
    },
    Vowel {
        freq: [350.0, 600.0, 2700.0, 2900.0, 3300.0],
        db: [0.0, -20.0, -17.0, -14.0, -26.0],
        bw: [40.0, 60.0, 100.0, 120.0, 120.0],
    },
];

/// Index of a vowel name (`"a" "e" "i" "o" "u"`), as used by the `vowel` parameter.
///
/// ```
/// assert_eq!(tactus_dsp::units::formant::vowel_index("o"), Some(3.0));
/// assert_eq!(tactus_dsp::units::formant::vowel_index("x"), None);
/// ```
pub fn vowel_index(name: &str) -> Option<f32> {
    match name {
        "a" => Some(0.0),
        "e" => Some(1.0),
        "i" => Some(2.0),
        "o" => Some(3.0),
        "u" => Some(4.0),
        _ => None,
    }
}

/// The per-sample formant filter core.
#[derive(Debug, Clone, Copy, Default)]
pub struct FormantCore {
    bands: [SvfCore; 5],
    gains: [f32; 5],
}

impl FormantCore {
    /// Sets the vowel (`0..=4`, fractional values morph) and resonance in `[0, 1]`
    /// (narrower bands as it grows).
    pub fn set(&mut self, vowel: f32, resonance: f32, sr: f32) {
        let v = vowel.clamp(0.0, 4.0);
        let i = (v as usize).min(3);
        let t = v - i as f32;
        let (a, b) = (&VOWELS[i], &VOWELS[i + 1]);
        let width = lerp(2.0, 0.25, resonance.clamp(0.0, 1.0));
        // narrower bands pass less energy; make up for it so loudness stays similar
        let makeup = 2.5 / width.sqrt();
        for k in 0..5 {
            let f = lerp(a.freq[k], b.freq[k], t);
            let bw = lerp(a.bw[k], b.bw[k], t) * width;
            self.bands[k].set(f, f / bw.max(1.0), sr);
            self.gains[k] = db_to_amp(lerp(a.db[k], b.db[k], t)) * makeup;
        }
    }
    /// Clears the state.
    pub fn reset(&mut self) {
        for b in self.bands.iter_mut() {
            b.reset();
        }
    }
    /// One sample.
    #[inline]
    pub fn tick(&mut self, x: f32) -> f32 {
        let mut y = 0.0;
        for (b, g) in self.bands.iter_mut().zip(self.gains) {
            y += b.tick(x).bp * g;
        }
        y
    }
}

/// Description of the formant filter.
pub const FORMANT_INFO: UnitInfo = UnitInfo {
    name: "formant",
    doc: "Vowel formant filter (a e i o u = 0..4, fractional values morph), like SuperDirt's `vowel`.",
    inputs: &[PortInfo::new("in", "signal")],
    outputs: &[PortInfo::new("out", "filtered signal")],
    params: &[
        ParamInfo::new("vowel", 0.0, 4.0, 0.0, "", "vowel index: a=0 e=1 i=2 o=3 u=4"),
        ParamInfo::new("resonance", 0.0, 1.0, 0.5, "", "narrowness of the formants"),
    ],
};

/// Formant filter unit.
#[derive(Debug, Clone)]
pub struct Formant {
    core: FormantCore,
    params: Params<2>,
    sr: f32,
}

impl Formant {
    /// Static description.
    pub const INFO: UnitInfo = FORMANT_INFO;
    /// An `a` filter.
    pub fn new() -> Self {
        Self {
            core: FormantCore::default(),
            params: Params::new(FORMANT_INFO.params),
            sr: 48_000.0,
        }
    }
}

impl Default for Formant {
    fn default() -> Self {
        Self::new()
    }
}

impl Unit for Formant {
    crate::unit::param_accessors!();
    fn prepare(&mut self, sample_rate: f32, _max_block: usize) {
        self.sr = sample_rate;
        self.reset();
    }
    fn reset(&mut self) {
        self.core.reset();
    }
    fn process(&mut self, _ctx: &ProcessContext, inputs: &[&[f32]], outputs: &mut [&mut [f32]]) {
        let n = frames(outputs);
        let x = input(inputs, 0, n);
        self.core
            .set(self.params.get(0), self.params.get(1), self.sr);
        if let Some(out) = outputs.first_mut() {
            for (i, o) in out[..n].iter_mut().enumerate() {
                *o = self.core.tick(x.map_or(0.0, |x| x[i]));
            }
        }
    }
}
