//! The unit framework: the [`Unit`] trait, static port/parameter descriptions and the
//! per-block [`ProcessContext`].
//!
//! A unit is a block-based DSP element. Its life cycle:
//!
//! 1. construction and [`Unit::prepare`] on the control side (the only calls that may allocate);
//! 2. [`Unit::process`] on the audio thread, any number of times, over blocks of at most
//!    [`MAX_BLOCK`](crate::MAX_BLOCK) frames;
//! 3. [`Unit::reset`] at any time restores the state right after `prepare` (parameters are kept).
//!
//! Inputs are audio-rate signals. Parameters are block-rate values set with
//! [`Unit::set_param`]. By convention an input port with the same name as a parameter
//! overrides that parameter at audio rate when it is connected; an unconnected input is
//! either missing from the `inputs` slice or an empty slice.

/// Description of one input or output port.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PortInfo {
    /// Port name, unique within the unit's inputs (or outputs).
    pub name: &'static str,
    /// One-line description.
    pub doc: &'static str,
}

impl PortInfo {
    /// A port description.
    pub const fn new(name: &'static str, doc: &'static str) -> Self {
        Self { name, doc }
    }
}

/// Description of one parameter: its name, range, default and unit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ParamInfo {
    /// Parameter name, unique within the unit.
    pub name: &'static str,
    /// Smallest accepted value (values are clamped).
    pub min: f32,
    /// Largest accepted value (values are clamped).
    pub max: f32,
    /// Value after construction.
    pub default: f32,
    /// Physical unit, e.g. `"Hz"`, `"s"`, `"dB"`, or `""`.
    pub unit: &'static str,
    /// One-line description.
    pub doc: &'static str,
}

impl ParamInfo {
    /// A parameter description.
    pub const fn new(
        name: &'static str,
        min: f32,
        max: f32,
        default: f32,
        unit: &'static str,
        doc: &'static str,
    ) -> Self {
        Self {
            name,
            min,
            max,
            default,
            unit,
            doc,
        }
    }

    /// Clamps `v` into range; NaN becomes the default.
    ///
    /// ```
    /// use tactus_dsp::unit::ParamInfo;
    /// const P: ParamInfo = ParamInfo::new("q", 0.5, 20.0, 0.707, "", "quality");
    /// assert_eq!(P.clamp(100.0), 20.0);
    /// assert_eq!(P.clamp(f32::NAN), 0.707);
    /// ```
    pub fn clamp(&self, v: f32) -> f32 {
        if v.is_nan() {
            self.default
        } else {
            v.clamp(self.min, self.max)
        }
    }
}

/// Static description of a unit type: name, ports and parameters.
///
/// Every unit type has one as an associated constant `INFO`, so a graph compiler, a
/// validator or the documentation generator can list them without building a unit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct UnitInfo {
    /// Unit name as used in patches, e.g. `"svf"`.
    pub name: &'static str,
    /// One-paragraph description.
    pub doc: &'static str,
    /// Audio-rate inputs.
    pub inputs: &'static [PortInfo],
    /// Audio-rate outputs.
    pub outputs: &'static [PortInfo],
    /// Block-rate parameters.
    pub params: &'static [ParamInfo],
}

impl UnitInfo {
    /// Index of the parameter called `name`.
    pub fn param_index(&self, name: &str) -> Option<usize> {
        self.params.iter().position(|p| p.name == name)
    }
    /// Index of the input called `name`.
    pub fn input_index(&self, name: &str) -> Option<usize> {
        self.inputs.iter().position(|p| p.name == name)
    }
    /// Index of the output called `name`.
    pub fn output_index(&self, name: &str) -> Option<usize> {
        self.outputs.iter().position(|p| p.name == name)
    }
}

/// Per-block information passed to [`Unit::process`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ProcessContext {
    /// Sample rate in Hz (the one given to `prepare`).
    pub sample_rate: f32,
    /// Absolute frame index of the first frame of this block.
    pub frame: u64,
}

impl ProcessContext {
    /// A context at frame `frame`.
    pub fn new(sample_rate: f32, frame: u64) -> Self {
        Self { sample_rate, frame }
    }
}

/// A block-based DSP unit.
///
/// `process` must not allocate, lock, do I/O or panic, whatever the inputs and parameters.
/// The number of frames is the length of the outputs (all outputs have the same length, at
/// most the `max_block` given to `prepare`); connected inputs are at least that long.
pub trait Unit: Send {
    /// The static description of this unit's type.
    fn info(&self) -> &'static UnitInfo;
    /// Sets the sample rate and the largest block size; allocates buffers. Resets the state.
    fn prepare(&mut self, sample_rate: f32, max_block: usize);
    /// Restores the state right after `prepare`, keeping parameters.
    fn reset(&mut self);
    /// Sets parameter `index` (clamped to its range; unknown indices are ignored).
    fn set_param(&mut self, index: usize, value: f32);
    /// Current value of parameter `index` (0 for unknown indices).
    fn get_param(&self, index: usize) -> f32;
    /// Processes one block.
    fn process(&mut self, ctx: &ProcessContext, inputs: &[&[f32]], outputs: &mut [&mut [f32]]);
}

/// Parameter storage with clamping, used by the units in this crate.
#[derive(Debug, Clone, Copy)]
pub struct Params<const N: usize> {
    values: [f32; N],
    info: &'static [ParamInfo],
}

impl<const N: usize> Params<N> {
    /// Parameters at their defaults.
    pub fn new(info: &'static [ParamInfo]) -> Self {
        let mut values = [0.0; N];
        for (v, p) in values.iter_mut().zip(info) {
            *v = p.default;
        }
        Self { values, info }
    }
    /// Sets parameter `i`, clamped.
    #[inline]
    pub fn set(&mut self, i: usize, v: f32) {
        if let (Some(slot), Some(p)) = (self.values.get_mut(i), self.info.get(i)) {
            *slot = p.clamp(v);
        }
    }
    /// Parameter `i` (0 if out of range).
    #[inline]
    pub fn get(&self, i: usize) -> f32 {
        self.values.get(i).copied().unwrap_or(0.0)
    }
}

impl<const N: usize> Default for Params<N> {
    fn default() -> Self {
        Self::new(&[])
    }
}

/// Input `i` if it is connected and at least `n` frames long.
#[inline]
pub fn input<'a>(inputs: &[&'a [f32]], i: usize, n: usize) -> Option<&'a [f32]> {
    match inputs.get(i) {
        Some(s) if s.len() >= n && !s.is_empty() => Some(&s[..n]),
        _ => None,
    }
}

/// Number of frames of a block: the length of the shortest output.
#[inline]
pub fn frames(outputs: &[&mut [f32]]) -> usize {
    outputs.iter().map(|o| o.len()).min().unwrap_or(0)
}

/// Implements `info`, `set_param` and `get_param` for a unit with an `INFO` constant and a
/// `params: Params<N>` field.
macro_rules! param_accessors {
    () => {
        fn info(&self) -> &'static $crate::unit::UnitInfo {
            &Self::INFO
        }
        fn set_param(&mut self, index: usize, value: f32) {
            self.params.set(index, value)
        }
        fn get_param(&self, index: usize) -> f32 {
            self.params.get(index)
        }
    };
}
pub(crate) use param_accessors;
