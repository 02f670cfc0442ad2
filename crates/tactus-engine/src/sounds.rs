//! Sound names to sounds: the program's own instruments first (`instrument "name" $ ...`,
//! shadowing everything else), then user sample folders (so a folder shadows a built-in
//! name), then the built-in instruments.

use std::path::Path;

use tactus_dsp::sample::bank::{BankCommand, SampleBank};
use tactus_dsp::voice::instruments::Instruments;
use tactus_dsp::voice::params::Sound;

use crate::events::SoundResolver;
use crate::instruments::InstrumentTable;

/// Default cap on decoded sample memory: 1 GiB.
pub const DEFAULT_SAMPLE_MEMORY: usize = 1 << 30;

/// Resolves names against sample folders and the built-in instruments, collecting the
/// sample installs the audio side must apply.
pub struct Sounds {
    bank: SampleBank,
    instruments: InstrumentTable,
    /// Commands for the synth (install/remove sample buffers), in order.
    pub commands: Vec<BankCommand>,
}

impl Sounds {
    /// A resolver for `sample_rate` with at most `slots` sample files and `memory` bytes of
    /// decoded audio.
    pub fn new(sample_rate: f32, slots: usize, memory: usize) -> Sounds {
        Sounds {
            bank: SampleBank::new(sample_rate, slots, memory),
            instruments: InstrumentTable::default(),
            commands: Vec::new(),
        }
    }

    /// Adds a folder of sample folders (Dirt-Samples layout) or of files (each file stem a
    /// name). Returns how many sounds were added.
    pub fn add_root(&mut self, dir: &Path) -> Result<usize, String> {
        self.bank.add_root(dir).map_err(|e| e.to_string())
    }

    /// Sets the program's instruments (they shadow samples and built-in sounds).
    pub fn set_instruments(&mut self, table: InstrumentTable) {
        self.instruments = table;
    }

    /// True if a sample folder provides `name`.
    pub fn has_sample(&self, name: &str) -> bool {
        self.bank.contains(name)
    }
}

impl SoundResolver for Sounds {
    fn resolve(&mut self, name: &str, n: f32) -> Result<Option<Sound>, String> {
        if let Some(s) = self.instruments.sound_of(name) {
            return Ok(Some(s));
        }
        if self.bank.contains(name) {
            let idx = if n.is_finite() && n >= 0.0 {
                n.floor() as usize
            } else {
                0
            };
            return match self.bank.resolve(name, idx, &mut self.commands) {
                Ok(Some(id)) => Ok(Some(Sound::Sample(id))),
                Ok(None) => Ok(None),
                Err(e) => Err(e.to_string()),
            };
        }
        Ok(Instruments::id_of(name).map(Sound::Instrument))
    }

    fn controls(&self, sound: Sound) -> &[String] {
        self.instruments.controls(sound)
    }
}
