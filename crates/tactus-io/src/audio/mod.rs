//! Audio outputs, one module per backend (as cpal keeps `host/<backend>/` beside `null`):
//!
//! * [`cpal`](mod@cpal): sound cards and servers through cpal — ALSA by default, JACK with
//!   `--host jack`. [`cpal::open`] picks a device and configuration; [`cpal::Prepared::start`]
//!   runs an [`AudioCallback`] on the device's thread.
//! * [`null`]: no device at all; a thread advances a frame clock from the monotonic clock
//!   (re-anchored, never accumulated), for playing to OSC/MIDI only.
//!
//! A backend owns the thread; the callback it drives must not allocate, lock or block.

pub mod cpal;
pub mod null;

/// What an output calls on its real-time thread.
pub trait AudioCallback: Send + 'static {
    /// Fills `out` (interleaved, `channels` samples per frame) with the next frames.
    fn process(&mut self, out: &mut [f32], channels: usize);
}

impl<F: FnMut(&mut [f32], usize) + Send + 'static> AudioCallback for F {
    fn process(&mut self, out: &mut [f32], channels: usize) {
        self(out, channels)
    }
}

/// Why an output could not be opened or started.
#[derive(Debug, thiserror::Error)]
pub enum AudioError {
    /// The named host is not compiled in or not running.
    #[error("audio host `{0}` is not available (hosts here: {1})")]
    NoHost(String, String),
    /// No output device (or none with that name).
    #[error("no audio output device{0}")]
    NoDevice(String),
    /// The device offers no usable configuration.
    #[error("audio device `{device}`: {message}")]
    Config {
        /// The device.
        device: String,
        /// What went wrong.
        message: String,
    },
    /// Building or starting the stream failed.
    #[error("audio stream on `{device}`: {message}")]
    Stream {
        /// The device.
        device: String,
        /// What went wrong.
        message: String,
    },
}
