//! The unit library, one file per concept, and a name-based factory for graph builders.
//!
//! Every unit type has a per-sample "core" (`OscCore`, `SvfCore`, ...) that voices use
//! directly (no dynamic dispatch per sample), and a [`Unit`] wrapper with static port and
//! parameter descriptions for graphs and docs.

pub mod chorus;
pub mod delay;
pub mod distortion;
pub mod dynamics;
pub mod envelope;
pub mod filter;
pub mod formant;
pub mod keyframe;
pub mod ladder;
pub mod noise;
pub mod osc;
pub mod reverb;
pub mod utility;
pub mod wavetable;

use crate::unit::{Unit, UnitInfo};

/// Descriptions of every unit that [`create`] can build, for validators and docs.
pub const ALL: &[&UnitInfo] = &[
    &osc::SINE_INFO,
    &osc::SAW_INFO,
    &osc::SQUARE_INFO,
    &osc::TRI_INFO,
    &osc::PULSE_INFO,
    &osc::SUPERSAW_INFO,
    &noise::WHITE_INFO,
    &noise::PINK_INFO,
    &noise::BROWN_INFO,
    &wavetable::WAVETABLE_INFO,
    &filter::SVF_INFO,
    &filter::ONE_POLE_INFO,
    &ladder::LADDER_INFO,
    &formant::FORMANT_INFO,
    &envelope::ADSR_INFO,
    &envelope::AHR_INFO,
    &envelope::LINE_INFO,
    &keyframe::KEYFRAMES_INFO,
    &delay::DELAY_INFO,
    &reverb::REVERB_INFO,
    &distortion::SHAPE_INFO,
    &distortion::CRUSH_INFO,
    &distortion::COARSE_INFO,
    &dynamics::COMPRESSOR_INFO,
    &dynamics::LIMITER_INFO,
    &chorus::CHORUS_INFO,
    &utility::PAN_INFO,
    &utility::GAIN_INFO,
    &utility::MIX_INFO,
    &utility::SAMPLE_HOLD_INFO,
    &utility::SLEW_INFO,
    &utility::DC_BLOCKER_INFO,
];

/// Description of the unit called `name`.
pub fn info(name: &str) -> Option<&'static UnitInfo> {
    ALL.iter().copied().find(|i| i.name == name)
}

/// Builds the unit called `name` with default parameters (not yet prepared). Control side:
/// allocates. The wavetable oscillator gets a sine table and the keyframe player an empty
/// track; build those directly to give them content.
///
/// ```
/// let u = tactus_dsp::units::create("svf").unwrap();
/// assert_eq!(u.info().outputs.len(), 4);
/// ```
pub fn create(name: &str) -> Option<Box<dyn Unit>> {
    use distortion::{Lofi, LofiKind};
    use noise::{Noise, NoiseColor};
    let u: Box<dyn Unit> = match name {
        "sine" => Box::new(osc::Osc::sine()),
        "saw" => Box::new(osc::Osc::saw()),
        "square" => Box::new(osc::Osc::square()),
        "tri" => Box::new(osc::Osc::triangle()),
        "pulse" => Box::new(osc::Osc::pulse()),
        "supersaw" => Box::new(osc::Supersaw::new()),
        "white" => Box::new(Noise::new(NoiseColor::White)),
        "pink" => Box::new(Noise::new(NoiseColor::Pink)),
        "brown" => Box::new(Noise::new(NoiseColor::Brown)),
        "wavetable" => Box::new(wavetable::WavetableOsc::new(wavetable::Wavetable::sine())),
        "svf" => Box::new(filter::Svf::new()),
        "onepole" => Box::new(filter::OnePole::new()),
        "ladder" => Box::new(ladder::Ladder::new()),
        "formant" => Box::new(formant::Formant::new()),
        "adsr" => Box::new(envelope::Adsr::new()),
        "ahr" => Box::new(envelope::Ahr::new()),
        "line" => Box::new(envelope::Line::new()),
        "keyframes" => Box::new(keyframe::Keyframes::new(keyframe::KeyframeTrack::default())),
        "delay" => Box::new(delay::Delay::new(4.0)),
        "reverb" => Box::new(reverb::Reverb::new()),
        "shape" => Box::new(Lofi::new(LofiKind::Shape)),
        "crush" => Box::new(Lofi::new(LofiKind::Crush)),
        "coarse" => Box::new(Lofi::new(LofiKind::Coarse)),
        "compressor" => Box::new(dynamics::Compressor::new()),
        "limiter" => Box::new(dynamics::Limiter::new()),
        "chorus" => Box::new(chorus::Chorus::new()),
        "pan" => Box::new(utility::Pan::new()),
        "gain" => Box::new(utility::Gain::new()),
        "mix" => Box::new(utility::Mix::new()),
        "samplehold" => Box::new(utility::SampleHold::new()),
        "slew" => Box::new(utility::Slew::new()),
        "dcblock" => Box::new(utility::DcBlocker::new()),
        _ => return None,
    };
    Some(u)
}
