//! Sample buffers and the slots the audio thread plays them from.
//!
//! A [`SampleBuffer`] is decoded and resampled on the control side (see [`bank`]), then
//! handed to the audio thread with [`crate::Synth::install_sample`], which stores it in a
//! preallocated slot and returns whatever was there before, so the caller can send the old
//! buffer back to be dropped off the audio thread. Voices read slots by [`SampleId`]
//! without touching reference counts.

pub mod bank;
pub mod decode;
pub mod resample;

use std::sync::Arc;

/// Errors building sample buffers or loading files.
#[derive(Debug, thiserror::Error)]
pub enum SampleError {
    /// Channel count other than 1 or 2, or data length not a multiple of it.
    #[error("invalid sample layout: {0}")]
    Layout(String),
    /// File could not be read or decoded.
    #[error("cannot decode {path}: {message}")]
    Decode {
        /// The file.
        path: String,
        /// What went wrong.
        message: String,
    },
    /// I/O error.
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// Index of a sample slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SampleId(pub u32);

/// Decoded audio, mono or stereo interleaved, shared (cheap to clone).
#[derive(Debug, Clone)]
pub struct SampleBuffer {
    data: Arc<[f32]>,
    channels: usize,
    frames: usize,
    sample_rate: f32,
}

impl SampleBuffer {
    /// A buffer from interleaved data with 1 or 2 channels.
    ///
    /// ```
    /// use tactus_dsp::sample::SampleBuffer;
    /// let b = SampleBuffer::from_interleaved(vec![0.0, 1.0, 0.5, -0.5], 2, 48_000.0).unwrap();
    /// assert_eq!(b.frames(), 2);
    /// ```
    pub fn from_interleaved(
        data: Vec<f32>,
        channels: usize,
        sample_rate: f32,
    ) -> Result<Self, SampleError> {
        if !(1..=2).contains(&channels) || !data.len().is_multiple_of(channels) {
            return Err(SampleError::Layout(format!(
                "{} values in {channels} channels",
                data.len()
            )));
        }
        if sample_rate.is_nan() || sample_rate <= 0.0 {
            return Err(SampleError::Layout(format!("sample rate {sample_rate}")));
        }
        let mut data = data;
        for v in data.iter_mut() {
            if !v.is_finite() {
                *v = 0.0;
            }
        }
        Ok(Self {
            frames: data.len() / channels,
            data: data.into(),
            channels,
            sample_rate,
        })
    }
    /// A buffer whose data is used as is, even non-finite values. Only for testing the
    /// NaN guards.
    #[doc(hidden)]
    pub fn from_interleaved_unchecked(data: Vec<f32>, channels: usize, sample_rate: f32) -> Self {
        let channels = channels.clamp(1, 2);
        Self {
            frames: data.len() / channels,
            data: data.into(),
            channels,
            sample_rate,
        }
    }
    /// A mono buffer.
    pub fn mono(data: Vec<f32>, sample_rate: f32) -> Self {
        Self::from_interleaved(data, 1, sample_rate.max(1.0)).expect("mono layout is valid")
    }
    /// A stereo buffer from two channels (the shorter length wins).
    pub fn stereo(left: &[f32], right: &[f32], sample_rate: f32) -> Self {
        let data = left.iter().zip(right).flat_map(|(l, r)| [*l, *r]).collect();
        Self::from_interleaved(data, 2, sample_rate.max(1.0)).expect("stereo layout is valid")
    }
    /// Frames (samples per channel).
    pub fn frames(&self) -> usize {
        self.frames
    }
    /// 1 or 2.
    pub fn channels(&self) -> usize {
        self.channels
    }
    /// Sample rate of the data.
    pub fn sample_rate(&self) -> f32 {
        self.sample_rate
    }
    /// Duration in seconds.
    pub fn duration(&self) -> f32 {
        self.frames as f32 / self.sample_rate
    }
    /// Memory used by the samples, in bytes.
    pub fn bytes(&self) -> usize {
        self.data.len() * std::mem::size_of::<f32>()
    }
    /// Interleaved samples.
    pub fn data(&self) -> &[f32] {
        &self.data
    }
    /// Frame `i` as `(left, right)` (mono duplicated); zero outside the buffer.
    #[inline]
    pub fn frame(&self, i: isize) -> (f32, f32) {
        if i < 0 || i as usize >= self.frames {
            return (0.0, 0.0);
        }
        let i = i as usize;
        if self.channels == 1 {
            let v = self.data[i];
            (v, v)
        } else {
            (self.data[2 * i], self.data[2 * i + 1])
        }
    }
    /// This buffer at another sample rate (windowed-sinc). Allocates; control side.
    pub fn resampled(&self, sample_rate: f32) -> SampleBuffer {
        if (sample_rate - self.sample_rate).abs() < 1e-3 || self.frames == 0 {
            return self.clone();
        }
        let chans: Vec<Vec<f32>> = (0..self.channels)
            .map(|c| {
                let ch: Vec<f32> = (0..self.frames)
                    .map(|i| self.data[i * self.channels + c])
                    .collect();
                resample::resample(&ch, self.sample_rate, sample_rate)
            })
            .collect();
        let frames = chans[0].len();
        let mut data = Vec::with_capacity(frames * self.channels);
        for i in 0..frames {
            for ch in &chans {
                data.push(ch[i]);
            }
        }
        SampleBuffer::from_interleaved(data, self.channels, sample_rate)
            .expect("resampled layout is valid")
    }
}

/// The audio thread's table of sample buffers, preallocated to a fixed number of slots.
#[derive(Debug, Default)]
pub struct SampleSlots {
    slots: Vec<Option<SampleBuffer>>,
}

impl SampleSlots {
    /// `capacity` empty slots.
    pub fn new(capacity: usize) -> Self {
        Self {
            slots: vec![None; capacity],
        }
    }
    /// Number of slots.
    pub fn capacity(&self) -> usize {
        self.slots.len()
    }
    /// The buffer in slot `id`.
    #[inline]
    pub fn get(&self, id: SampleId) -> Option<&SampleBuffer> {
        self.slots.get(id.0 as usize).and_then(|s| s.as_ref())
    }
    /// Puts `buf` in slot `id`; returns the previous buffer, or `Err(buf)` if `id` is out of
    /// range. Never allocates or frees.
    pub fn install(
        &mut self,
        id: SampleId,
        buf: SampleBuffer,
    ) -> Result<Option<SampleBuffer>, SampleBuffer> {
        match self.slots.get_mut(id.0 as usize) {
            Some(slot) => Ok(slot.replace(buf)),
            None => Err(buf),
        }
    }
    /// Empties slot `id`, returning its buffer.
    pub fn remove(&mut self, id: SampleId) -> Option<SampleBuffer> {
        self.slots.get_mut(id.0 as usize).and_then(|s| s.take())
    }
}
