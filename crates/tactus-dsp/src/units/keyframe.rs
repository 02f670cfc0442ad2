//! Keyframe automation: values at times with a per-segment easing, found by binary search.
//!
//! A [`KeyframeTrack`] is built on the control side (it owns a `Vec`). The [`Keyframes`]
//! unit plays it against its own clock (seconds since reset, times `speed`, optionally
//! looping) or against a time signal connected to its `time` input (e.g. the cycle position).

use crate::unit::{frames, input, ParamInfo, Params, PortInfo, ProcessContext, Unit, UnitInfo};
use std::f32::consts::PI;

/// How a segment moves from one keyframe's value to the next.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Easing {
    /// Straight line.
    #[default]
    Linear,
    /// Holds the start value until the next keyframe.
    Step,
    /// Geometric interpolation (constant ratio per unit time); linear when the two values do
    /// not share a sign or one is zero.
    Exponential,
    /// Quadratic, slow start.
    QuadIn,
    /// Quadratic, slow end.
    QuadOut,
    /// Quadratic, slow start and end.
    QuadInOut,
    /// Cubic, slow start.
    CubicIn,
    /// Cubic, slow end.
    CubicOut,
    /// Cubic, slow start and end.
    CubicInOut,
    /// Quarter sine, slow start.
    SineIn,
    /// Quarter sine, slow end.
    SineOut,
    /// Half cosine, slow start and end.
    SineInOut,
}

impl Easing {
    /// Every easing with its name, for parsers and docs.
    pub const ALL: [(&'static str, Easing); 12] = [
        ("linear", Easing::Linear),
        ("step", Easing::Step),
        ("exp", Easing::Exponential),
        ("quadIn", Easing::QuadIn),
        ("quadOut", Easing::QuadOut),
        ("quadInOut", Easing::QuadInOut),
        ("cubicIn", Easing::CubicIn),
        ("cubicOut", Easing::CubicOut),
        ("cubicInOut", Easing::CubicInOut),
        ("sineIn", Easing::SineIn),
        ("sineOut", Easing::SineOut),
        ("sineInOut", Easing::SineInOut),
    ];

    /// The easing called `name` (see [`Easing::ALL`]).
    pub fn from_name(name: &str) -> Option<Easing> {
        Self::ALL.iter().find(|(n, _)| *n == name).map(|(_, e)| *e)
    }

    /// Maps progress `t` in `[0,1]` to eased progress (for all but `Exponential`, which
    /// needs the values and is handled by [`Easing::interpolate`]).
    #[inline]
    pub fn ease(self, t: f32) -> f32 {
        let t = t.clamp(0.0, 1.0);
        match self {
            Easing::Linear | Easing::Exponential => t,
            Easing::Step => 0.0,
            Easing::QuadIn => t * t,
            Easing::QuadOut => t * (2.0 - t),
            Easing::QuadInOut => {
                if t < 0.5 {
                    2.0 * t * t
                } else {
                    1.0 - 2.0 * (1.0 - t) * (1.0 - t)
                }
            }
            Easing::CubicIn => t * t * t,
            Easing::CubicOut => {
                let u = 1.0 - t;
                1.0 - u * u * u
            }
            Easing::CubicInOut => {
                if t < 0.5 {
                    4.0 * t * t * t
                } else {
                    let u = 1.0 - t;
                    1.0 - 4.0 * u * u * u
                }
            }
            Easing::SineIn => 1.0 - (t * PI * 0.5).cos(),
            Easing::SineOut => (t * PI * 0.5).sin(),
            Easing::SineInOut => 0.5 - 0.5 * (t * PI).cos(),
        }
    }

    /// Value between `a` and `b` at progress `t`.
    #[inline]
    pub fn interpolate(self, a: f32, b: f32, t: f32) -> f32 {
        if self == Easing::Exponential && a * b > 0.0 {
            a * (b / a).powf(t.clamp(0.0, 1.0))
        } else {
            a + (b - a) * self.ease(t)
        }
    }
}

/// One keyframe: a value at a time, and the easing of the segment that starts here.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Keyframe {
    /// Time (seconds, or whatever the time input counts).
    pub time: f64,
    /// Value at that time.
    pub value: f32,
    /// Easing towards the next keyframe.
    pub easing: Easing,
}

/// A sorted list of keyframes.
///
/// ```
/// use tactus_dsp::units::keyframe::{Easing, Keyframe, KeyframeTrack};
/// let t = KeyframeTrack::new(vec![
///     Keyframe { time: 0.0, value: 0.0, easing: Easing::Linear },
///     Keyframe { time: 2.0, value: 1.0, easing: Easing::Step },
///     Keyframe { time: 3.0, value: 5.0, easing: Easing::Linear },
/// ]);
/// assert_eq!(t.value_at(1.0), 0.5);
/// assert_eq!(t.value_at(2.5), 1.0);
/// assert_eq!(t.value_at(10.0), 5.0);
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct KeyframeTrack {
    keys: Vec<Keyframe>,
}

impl KeyframeTrack {
    /// A track from keyframes in any order (sorted by time here; NaN times are dropped).
    pub fn new(mut keys: Vec<Keyframe>) -> Self {
        keys.retain(|k| k.time.is_finite() && k.value.is_finite());
        keys.sort_by(|a, b| a.time.total_cmp(&b.time));
        Self { keys }
    }
    /// The keyframes, sorted by time.
    pub fn keys(&self) -> &[Keyframe] {
        &self.keys
    }
    /// Time of the last keyframe (0 when empty).
    pub fn duration(&self) -> f64 {
        self.keys.last().map_or(0.0, |k| k.time)
    }
    /// Index of the segment containing `time`: the last key with `key.time <= time`.
    #[inline]
    fn segment(&self, time: f64) -> Option<usize> {
        let i = self.keys.partition_point(|k| k.time <= time);
        i.checked_sub(1)
    }
    /// Value at `time`: the first value before the first key, the last after the last.
    pub fn value_at(&self, time: f64) -> f32 {
        self.value_with_hint(time, &mut 0)
    }
    /// Like [`KeyframeTrack::value_at`], reusing the segment found last time (`hint`) when
    /// time moves forward by less than a segment, and binary searching otherwise.
    #[inline]
    pub fn value_with_hint(&self, time: f64, hint: &mut usize) -> f32 {
        let keys = &self.keys;
        let Some(first) = keys.first() else {
            return 0.0;
        };
        let h = *hint;
        let i = if h < keys.len()
            && keys[h].time <= time
            && keys.get(h + 1).is_none_or(|k| k.time > time)
        {
            h
        } else {
            match self.segment(time) {
                Some(i) => i,
                None => return first.value,
            }
        };
        *hint = i;
        let k = keys[i];
        match keys.get(i + 1) {
            None => k.value,
            Some(next) => {
                let span = next.time - k.time;
                let t = if span > 0.0 {
                    ((time - k.time) / span) as f32
                } else {
                    1.0
                };
                k.easing.interpolate(k.value, next.value, t)
            }
        }
    }
}

/// Description of the keyframe unit.
pub const KEYFRAMES_INFO: UnitInfo = UnitInfo {
    name: "keyframes",
    doc: "Plays a keyframe track against its own clock or a connected time signal.",
    inputs: &[PortInfo::new(
        "time",
        "time position (overrides the internal clock)",
    )],
    outputs: &[PortInfo::new("out", "track value")],
    params: &[
        ParamInfo::new(
            "speed",
            -100.0,
            100.0,
            1.0,
            "",
            "internal clock speed (time units per second)",
        ),
        ParamInfo::new(
            "loop",
            0.0,
            1e6,
            0.0,
            "",
            "loop length in time units (0 = no loop)",
        ),
    ],
};

/// Keyframe track player unit.
#[derive(Debug, Clone)]
pub struct Keyframes {
    track: KeyframeTrack,
    time: f64,
    hint: usize,
    params: Params<2>,
    sr: f32,
}

impl Keyframes {
    /// Static description.
    pub const INFO: UnitInfo = KEYFRAMES_INFO;
    /// A player for `track`.
    pub fn new(track: KeyframeTrack) -> Self {
        Self {
            track,
            time: 0.0,
            hint: 0,
            params: Params::new(KEYFRAMES_INFO.params),
            sr: 48_000.0,
        }
    }
}

impl Unit for Keyframes {
    crate::unit::param_accessors!();
    fn prepare(&mut self, sample_rate: f32, _max_block: usize) {
        self.sr = sample_rate;
        self.reset();
    }
    fn reset(&mut self) {
        self.time = 0.0;
        self.hint = 0;
    }
    fn process(&mut self, _ctx: &ProcessContext, inputs: &[&[f32]], outputs: &mut [&mut [f32]]) {
        let n = frames(outputs);
        let time_in = input(inputs, 0, n);
        let step = f64::from(self.params.get(0)) / f64::from(self.sr);
        let looplen = f64::from(self.params.get(1));
        let Some(out) = outputs.first_mut() else {
            return;
        };
        for (i, o) in out[..n].iter_mut().enumerate() {
            let t = match time_in {
                Some(t) => f64::from(t[i]),
                None => {
                    let t = self.time;
                    self.time += step;
                    if looplen > 0.0 {
                        self.time = self.time.rem_euclid(looplen);
                    }
                    t
                }
            };
            *o = self.track.value_with_hint(t, &mut self.hint);
        }
    }
}
