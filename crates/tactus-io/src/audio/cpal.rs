//! Sound cards and audio servers through cpal: ALSA (the default host on Linux) and JACK.
//!
//! [`open`] resolves a host, a device and a stream configuration (sample rate, buffer
//! size, sample format) without starting anything, so the caller can build its engine for
//! the real sample rate; [`Prepared::start`] then runs an [`AudioCallback`] on the device
//! thread. Devices that only take integer samples get them converted from a scratch buffer
//! allocated before the stream starts.
//!
//! Xruns: JACK reports them (they arrive through cpal's error callback); for other hosts a
//! gap of more than two and a half buffers between consecutive callback timestamps is
//! counted as one.

use std::sync::Arc;
use std::time::Duration;

use cpal::traits::{DeviceTrait, HostTrait, StreamTrait};
use cpal::{FromSample, SampleFormat, SizedSample, StreamConfig};

use super::{AudioCallback, AudioError};

/// What to open.
#[derive(Clone, Debug, Default)]
pub struct OutputSettings {
    /// Host name (`alsa`, `jack`, case-insensitive); the platform default if `None`.
    pub host: Option<String>,
    /// Device name (exact, or a unique case-insensitive substring); the default if `None`.
    pub device: Option<String>,
    /// Sample rate; the device's default if `None`.
    pub sample_rate: Option<u32>,
    /// Frames per callback; the device's default if `None`.
    pub buffer: Option<u32>,
}

/// A device with a chosen configuration, not yet running.
pub struct Prepared {
    device: cpal::Device,
    config: StreamConfig,
    format: SampleFormat,
    host: String,
    name: String,
    is_jack: bool,
}

/// A running output stream; dropping it stops the device.
pub struct OutputStream {
    _stream: cpal::Stream,
}

/// One host and its output devices, for `tactus devices`.
#[derive(Clone, Debug)]
pub struct HostInfo {
    /// Host name.
    pub name: String,
    /// True for the platform's default host.
    pub default: bool,
    /// Output devices, or why they could not be listed.
    pub devices: Result<Vec<DeviceInfo>, String>,
}

/// One output device.
#[derive(Clone, Debug)]
pub struct DeviceInfo {
    /// Device name (what `--device` takes).
    pub name: String,
    /// True for the host's default output.
    pub default: bool,
    /// Default configuration, e.g. `2 ch, 48000 Hz, f32`, or why there is none.
    pub config: String,
}

/// Lists every host compiled in with its output devices.
pub fn list() -> Vec<HostInfo> {
    let default_id = cpal::default_host().id();
    cpal::ALL_HOSTS
        .iter()
        .map(|&id| {
            let name = id.name().to_lowercase();
            let devices = cpal::host_from_id(id)
                .map_err(|e| e.to_string())
                .and_then(|host| {
                    let default = host.default_output_device().and_then(|d| d.name().ok());
                    let devs = host.output_devices().map_err(|e| e.to_string())?;
                    Ok(devs
                        .map(|d| {
                            let name = d.name().unwrap_or_else(|_| "?".into());
                            let config = match d.default_output_config() {
                                Ok(c) => format!(
                                    "{} ch, {} Hz, {}",
                                    c.channels(),
                                    c.sample_rate().0,
                                    c.sample_format()
                                ),
                                Err(e) => e.to_string(),
                            };
                            DeviceInfo {
                                default: Some(&name) == default.as_ref(),
                                name,
                                config,
                            }
                        })
                        .collect())
                });
            HostInfo {
                name,
                default: id == default_id,
                devices,
            }
        })
        .collect()
}

fn host_names() -> String {
    cpal::ALL_HOSTS
        .iter()
        .map(|h| h.name().to_lowercase())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Finds the host, device and configuration `settings` ask for.
pub fn open(settings: &OutputSettings) -> Result<Prepared, AudioError> {
    let host = match &settings.host {
        None => cpal::default_host(),
        Some(want) => {
            let id = cpal::ALL_HOSTS
                .iter()
                .find(|h| h.name().eq_ignore_ascii_case(want))
                .ok_or_else(|| AudioError::NoHost(want.clone(), host_names()))?;
            cpal::host_from_id(*id)
                .map_err(|e| AudioError::NoHost(format!("{want}` ({e})"), host_names()))?
        }
    };
    let host_name = host.id().name().to_lowercase();
    let is_jack = host_name == "jack";
    let device = match &settings.device {
        None => host
            .default_output_device()
            .ok_or_else(|| AudioError::NoDevice(format!(" on host {host_name}")))?,
        Some(want) => find_device(&host, want)?,
    };
    let name = device.name().unwrap_or_else(|_| "?".into());
    let cfg_err = |message: String| AudioError::Config {
        device: name.clone(),
        message,
    };
    let default = device
        .default_output_config()
        .map_err(|e| cfg_err(e.to_string()))?;
    let mut format = default.sample_format();
    let mut config = default.config();
    if let Some(rate) = settings.sample_rate {
        let ranges = device
            .supported_output_configs()
            .map_err(|e| cfg_err(e.to_string()))?;
        let found = ranges
            .filter(|r| r.min_sample_rate().0 <= rate && rate <= r.max_sample_rate().0)
            .filter(|r| supported_format(r.sample_format()))
            .max_by_key(|r| (r.sample_format() == SampleFormat::F32, r.channels() == 2));
        let r = found.ok_or_else(|| cfg_err(format!("does not support {rate} Hz")))?;
        format = r.sample_format();
        config = r.with_sample_rate(cpal::SampleRate(rate)).config();
    }
    if !supported_format(format) {
        return Err(cfg_err(format!("sample format {format} is not supported")));
    }
    // JACK's buffer size is the server's; asking for another one would fail
    if let (Some(b), false) = (settings.buffer, is_jack) {
        config.buffer_size = cpal::BufferSize::Fixed(b);
    }
    Ok(Prepared {
        device,
        config,
        format,
        host: host_name,
        name,
        is_jack,
    })
}

fn supported_format(f: SampleFormat) -> bool {
    matches!(
        f,
        SampleFormat::F32 | SampleFormat::I16 | SampleFormat::I32 | SampleFormat::U16
    )
}

fn find_device(host: &cpal::Host, want: &str) -> Result<cpal::Device, AudioError> {
    let devices: Vec<cpal::Device> = host
        .output_devices()
        .map_err(|e| AudioError::NoDevice(format!(": {e}")))?
        .collect();
    let names: Vec<String> = devices
        .iter()
        .map(|d| d.name().unwrap_or_default())
        .collect();
    if let Some(i) = names.iter().position(|n| n == want) {
        return Ok(devices.into_iter().nth(i).expect("index from position"));
    }
    let lower = want.to_lowercase();
    let hits: Vec<usize> = (0..names.len())
        .filter(|&i| names[i].to_lowercase().contains(&lower))
        .collect();
    match hits.as_slice() {
        [i] => Ok(devices.into_iter().nth(*i).expect("index from filter")),
        [] => Err(AudioError::NoDevice(format!(
            " named `{want}` (see `tactus devices`)"
        ))),
        _ => Err(AudioError::NoDevice(format!(
            " uniquely named `{want}`: matches {}",
            hits.iter()
                .map(|&i| names[i].as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

impl Prepared {
    /// The sample rate the stream will run at.
    pub fn sample_rate(&self) -> u32 {
        self.config.sample_rate.0
    }

    /// Output channels.
    pub fn channels(&self) -> usize {
        usize::from(self.config.channels)
    }

    /// Frames per callback if fixed by the request (or by the JACK server), else `None`.
    pub fn buffer(&self) -> Option<u32> {
        match (self.config.buffer_size, self.is_jack) {
            (cpal::BufferSize::Fixed(b), _) => Some(b),
            _ => None,
        }
    }

    /// The host's name (`alsa`, `jack`).
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The device's name.
    pub fn device(&self) -> &str {
        &self.name
    }

    /// Starts the stream. `on_xrun` is called for every over/underrun (from the device or
    /// error thread; keep it to an atomic increment); `on_error` gets any other stream error
    /// (not on the audio thread).
    pub fn start(
        self,
        callback: impl AudioCallback,
        on_xrun: impl Fn() + Send + Sync + 'static,
        mut on_error: impl FnMut(String) + Send + 'static,
    ) -> Result<OutputStream, AudioError> {
        let on_xrun = Arc::new(on_xrun);
        let xrun_err = Arc::clone(&on_xrun);
        let err_fn = move |e: cpal::StreamError| {
            let msg = e.to_string();
            if msg.contains("xrun") {
                xrun_err();
            } else {
                on_error(msg);
            }
        };
        let detect = !self.is_jack;
        let stream = match self.format {
            SampleFormat::F32 => self.build::<f32>(callback, on_xrun, detect, err_fn),
            SampleFormat::I16 => self.build::<i16>(callback, on_xrun, detect, err_fn),
            SampleFormat::I32 => self.build::<i32>(callback, on_xrun, detect, err_fn),
            _ => self.build::<u16>(callback, on_xrun, detect, err_fn),
        }?;
        stream.play().map_err(|e| AudioError::Stream {
            device: self.name.clone(),
            message: e.to_string(),
        })?;
        Ok(OutputStream { _stream: stream })
    }

    fn build<T: SizedSample + FromSample<f32> + 'static>(
        &self,
        mut callback: impl AudioCallback,
        on_xrun: Arc<impl Fn() + Send + Sync + 'static>,
        detect_gaps: bool,
        err_fn: impl FnMut(cpal::StreamError) + Send + 'static,
    ) -> Result<cpal::Stream, AudioError> {
        let channels = self.channels();
        let rate = f64::from(self.sample_rate());
        // scratch for integer devices, allocated here, before the stream runs
        let chunk = 4096 * channels;
        let mut scratch = vec![
            0.0f32;
            if T::FORMAT == SampleFormat::F32 {
                0
            } else {
                chunk
            }
        ];
        let mut last: Option<(cpal::StreamInstant, usize)> = None;
        let data_fn = move |out: &mut [T], info: &cpal::OutputCallbackInfo| {
            if detect_gaps {
                let now = info.timestamp().callback;
                if let Some((prev, frames)) = last {
                    let expected = Duration::from_secs_f64(frames as f64 / rate);
                    if now
                        .duration_since(&prev)
                        .is_some_and(|d| d > expected * 5 / 2)
                    {
                        on_xrun();
                    }
                }
                last = Some((now, out.len() / channels.max(1)));
            }
            if let Some(direct) = as_f32(out) {
                callback.process(direct, channels);
            } else {
                for piece in out.chunks_mut(chunk) {
                    let s = &mut scratch[..piece.len()];
                    callback.process(s, channels);
                    for (o, x) in piece.iter_mut().zip(s.iter()) {
                        *o = T::from_sample(*x);
                    }
                }
            }
        };
        self.device
            .build_output_stream(&self.config, data_fn, err_fn, None)
            .map_err(|e| AudioError::Stream {
                device: self.name.clone(),
                message: e.to_string(),
            })
    }
}

/// The buffer itself when the device takes `f32`.
fn as_f32<T: 'static>(out: &mut [T]) -> Option<&mut [f32]> {
    if std::any::TypeId::of::<T>() == std::any::TypeId::of::<f32>() {
        // SAFETY: T is f32 (checked just above), so the slice is already a `[f32]`.
        Some(unsafe { std::slice::from_raw_parts_mut(out.as_mut_ptr().cast::<f32>(), out.len()) })
    } else {
        None
    }
}
