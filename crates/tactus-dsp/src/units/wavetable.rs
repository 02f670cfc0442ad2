//! Band-limited wavetable oscillator.
//!
//! A [`Wavetable`] is built on the control side from harmonic amplitudes (or from one cycle
//! of a waveform, analysed with a plain DFT). It stores one table per octave ("mip level"),
//! each containing only the harmonics that stay below Nyquist for the highest frequency the
//! level is used for, so playback never aliases by more than the interpolation error.

use crate::unit::{frames, input, ParamInfo, Params, PortInfo, ProcessContext, Unit, UnitInfo};
use std::f64::consts::TAU;
use std::sync::Arc;

/// Samples per table (power of two).
pub const TABLE_SIZE: usize = 2048;
/// Number of octave levels. Level `k` is used for fundamentals below `20 * 2^(k+1)` Hz... up
/// to Nyquist.
const LEVELS: usize = 11;

/// A band-limited, mip-mapped single-cycle waveform. Cheap to clone (shared).
#[derive(Debug, Clone)]
pub struct Wavetable {
    /// `LEVELS` tables of `TABLE_SIZE + 1` samples (the last repeats the first).
    data: Arc<[f32]>,
}

impl Wavetable {
    /// Builds a table from sine-harmonic amplitudes: `amps[0]` is the fundamental.
    /// Allocates; call on the control side. The result is normalised to peak 1.
    ///
    /// ```
    /// use tactus_dsp::units::wavetable::Wavetable;
    /// let saw = Wavetable::from_harmonics(&(1..200).map(|k| 1.0 / k as f32).collect::<Vec<_>>());
    /// assert!(saw.lookup(0.25, 0) > 0.3 && saw.lookup(0.75, 0) < -0.3);
    /// ```
    pub fn from_harmonics(amps: &[f32]) -> Self {
        Self::from_harmonics_phased(amps, &[])
    }

    /// Like [`Wavetable::from_harmonics`] with a phase (radians, of a sine) per harmonic.
    pub fn from_harmonics_phased(amps: &[f32], phases: &[f32]) -> Self {
        let mut data = vec![0.0f32; LEVELS * (TABLE_SIZE + 1)];
        let mut peak = 0.0f32;
        for level in 0..LEVELS {
            // Level k plays fundamentals up to 40 * 2^k Hz; keep harmonics below 20 kHz there,
            // and always at least the fundamental.
            let max_fund = 40.0 * 2f64.powi(level as i32);
            let max_h = ((20_000.0 / max_fund) as usize).clamp(1, TABLE_SIZE / 2 - 1);
            let table = &mut data[level * (TABLE_SIZE + 1)..(level + 1) * (TABLE_SIZE + 1)];
            for (h, &a) in amps.iter().enumerate().take(max_h) {
                if a == 0.0 {
                    continue;
                }
                let ph = f64::from(phases.get(h).copied().unwrap_or(0.0));
                let k = (h + 1) as f64;
                for (i, v) in table[..TABLE_SIZE].iter_mut().enumerate() {
                    *v += a * (TAU * k * i as f64 / TABLE_SIZE as f64 + ph).sin() as f32;
                }
            }
            table[TABLE_SIZE] = table[0];
            if level == 0 {
                peak = table.iter().fold(0.0f32, |m, v| m.max(v.abs()));
            }
        }
        if peak > 0.0 {
            for v in data.iter_mut() {
                *v /= peak;
            }
        }
        Self { data: data.into() }
    }

    /// Builds a table from one cycle of any length (at least 2 samples), analysing it with a
    /// DFT and keeping up to 512 harmonics. Allocates; call on the control side.
    pub fn from_cycle(cycle: &[f32]) -> Self {
        let n = cycle.len().max(2);
        let harmonics = (n / 2).min(512);
        let mut amps = Vec::with_capacity(harmonics);
        let mut phases = Vec::with_capacity(harmonics);
        for k in 1..=harmonics {
            let (mut re, mut im) = (0.0f64, 0.0f64);
            for (i, &x) in cycle.iter().enumerate() {
                let w = TAU * k as f64 * i as f64 / n as f64;
                re += f64::from(x) * w.cos();
                im += f64::from(x) * w.sin();
            }
            // x = sum a_k sin(wk + phi): correlation with sin gives a cos(phi), with cos a sin(phi)
            let a = 2.0 * (re * re + im * im).sqrt() / n as f64;
            amps.push(a as f32);
            phases.push(re.atan2(im) as f32);
        }
        Self::from_harmonics_phased(&amps, &phases)
    }

    /// Sine table.
    pub fn sine() -> Self {
        Self::from_harmonics(&[1.0])
    }

    /// The mip level to use for `freq` Hz at sample rate `sr`.
    #[inline]
    pub fn level_for(freq: f32, sr: f32) -> usize {
        // scale so that level boundaries are expressed at 40 kHz Nyquist-equivalent
        let f = freq.abs() * 44_100.0 / sr.max(1.0);
        if f <= 40.0 {
            0
        } else {
            ((f / 40.0).log2().ceil() as usize).min(LEVELS - 1)
        }
    }

    /// Reads level `level` at `phase` in `[0, 1)` with linear interpolation.
    #[inline]
    pub fn lookup(&self, phase: f32, level: usize) -> f32 {
        let base = level.min(LEVELS - 1) * (TABLE_SIZE + 1);
        let pos = phase.rem_euclid(1.0) * TABLE_SIZE as f32;
        let i = (pos as usize).min(TABLE_SIZE - 1);
        let frac = pos - i as f32;
        let a = self.data[base + i];
        let b = self.data[base + i + 1];
        a + (b - a) * frac
    }
}

/// Description of the wavetable oscillator.
pub const WAVETABLE_INFO: UnitInfo = UnitInfo {
    name: "wavetable",
    doc: "Band-limited (mip-mapped) wavetable oscillator.",
    inputs: &[PortInfo::new(
        "freq",
        "frequency in Hz (overrides the param)",
    )],
    outputs: &[PortInfo::new("out", "signal")],
    params: &[ParamInfo::new(
        "freq",
        0.0,
        20_000.0,
        440.0,
        "Hz",
        "frequency",
    )],
};

/// Wavetable oscillator unit.
#[derive(Debug, Clone)]
pub struct WavetableOsc {
    table: Wavetable,
    phase: f64,
    params: Params<1>,
    sr: f32,
}

impl WavetableOsc {
    /// Static description.
    pub const INFO: UnitInfo = WAVETABLE_INFO;
    /// An oscillator playing `table`.
    pub fn new(table: Wavetable) -> Self {
        Self {
            table,
            phase: 0.0,
            params: Params::new(WAVETABLE_INFO.params),
            sr: 48_000.0,
        }
    }
    #[inline]
    fn tick(&mut self, freq: f32) -> f32 {
        let level = Wavetable::level_for(freq, self.sr);
        let y = self.table.lookup(self.phase as f32, level);
        self.phase += f64::from(freq / self.sr);
        self.phase -= self.phase.floor();
        y
    }
}

impl Unit for WavetableOsc {
    crate::unit::param_accessors!();
    fn prepare(&mut self, sample_rate: f32, _max_block: usize) {
        self.sr = sample_rate;
        self.reset();
    }
    fn reset(&mut self) {
        self.phase = 0.0;
    }
    fn process(&mut self, _ctx: &ProcessContext, inputs: &[&[f32]], outputs: &mut [&mut [f32]]) {
        let n = frames(outputs);
        let freq = input(inputs, 0, n);
        let Some(out) = outputs.first_mut() else {
            return;
        };
        let f0 = self.params.get(0);
        for (i, o) in out[..n].iter_mut().enumerate() {
            let f = freq.map_or(f0, |f| f[i]).clamp(-20_000.0, 20_000.0);
            *o = self.tick(f);
        }
    }
}
