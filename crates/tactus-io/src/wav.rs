//! A streaming WAV writer: 32-bit float, 16-bit or 24-bit PCM, stereo. Output is a pure
//! function of the samples written (no timestamps or metadata), so renders are
//! byte-for-byte reproducible.

use std::fs::File;
use std::io::{BufWriter, Seek, SeekFrom, Write};
use std::path::Path;

use thiserror::Error;

/// Sample encodings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SampleFormat {
    /// IEEE 32-bit float.
    F32,
    /// 16-bit signed integer PCM (with TPDF-free plain rounding, for determinism).
    S16,
    /// 24-bit signed integer PCM.
    S24,
}

impl SampleFormat {
    /// Parses `f32`, `s16` or `s24`.
    pub fn parse(s: &str) -> Option<SampleFormat> {
        match s {
            "f32" => Some(SampleFormat::F32),
            "s16" => Some(SampleFormat::S16),
            "s24" => Some(SampleFormat::S24),
            _ => None,
        }
    }

    fn bytes(self) -> u16 {
        match self {
            SampleFormat::F32 => 4,
            SampleFormat::S16 => 2,
            SampleFormat::S24 => 3,
        }
    }
}

/// Errors writing a WAV file.
#[derive(Debug, Error)]
pub enum WavError {
    /// The file could not be created or written.
    #[error("cannot write {path}: {source}")]
    Io {
        /// The path.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// More audio than a WAV file can hold (4 GiB).
    #[error("the render is too long for a WAV file (over 4 GiB)")]
    TooLong,
}

/// Writes stereo frames to a WAV file; call [`WavWriter::finish`] to fix up the header.
pub struct WavWriter {
    out: BufWriter<File>,
    path: String,
    format: SampleFormat,
    data_bytes: u64,
}

impl WavWriter {
    /// Creates the file and writes a provisional header.
    pub fn create(
        path: &Path,
        sample_rate: u32,
        format: SampleFormat,
    ) -> Result<WavWriter, WavError> {
        let p = path.display().to_string();
        let io = |source| WavError::Io {
            path: p.clone(),
            source,
        };
        let f = File::create(path).map_err(io)?;
        let mut w = WavWriter {
            out: BufWriter::new(f),
            path: p.clone(),
            format,
            data_bytes: 0,
        };
        w.header(sample_rate, 0).map_err(io)?;
        Ok(w)
    }

    fn header(&mut self, sample_rate: u32, data_bytes: u32) -> std::io::Result<()> {
        let channels: u16 = 2;
        let bytes = self.format.bytes();
        let (fmt_tag, fmt_len): (u16, u32) = match self.format {
            SampleFormat::F32 => (3, 18),
            _ => (1, 16),
        };
        let block_align = channels * bytes;
        let fact = if self.format == SampleFormat::F32 {
            12
        } else {
            0
        };
        let riff_len = 4 + (8 + fmt_len) + fact + 8 + data_bytes;
        let o = &mut self.out;
        o.write_all(b"RIFF")?;
        o.write_all(&riff_len.to_le_bytes())?;
        o.write_all(b"WAVE")?;
        o.write_all(b"fmt ")?;
        o.write_all(&fmt_len.to_le_bytes())?;
        o.write_all(&fmt_tag.to_le_bytes())?;
        o.write_all(&channels.to_le_bytes())?;
        o.write_all(&sample_rate.to_le_bytes())?;
        o.write_all(&(sample_rate * block_align as u32).to_le_bytes())?;
        o.write_all(&block_align.to_le_bytes())?;
        o.write_all(&(bytes * 8).to_le_bytes())?;
        if self.format == SampleFormat::F32 {
            o.write_all(&0u16.to_le_bytes())?; // cbSize
            o.write_all(b"fact")?;
            o.write_all(&4u32.to_le_bytes())?;
            o.write_all(&(data_bytes / block_align as u32).to_le_bytes())?;
        }
        o.write_all(b"data")?;
        o.write_all(&data_bytes.to_le_bytes())?;
        Ok(())
    }

    /// Appends frames from two channel slices of equal length.
    pub fn write(&mut self, left: &[f32], right: &[f32]) -> Result<(), WavError> {
        let mut buf = Vec::with_capacity(left.len() * 2 * self.format.bytes() as usize);
        for (l, r) in left.iter().zip(right) {
            for x in [*l, *r] {
                let x = if x.is_finite() { x } else { 0.0 };
                match self.format {
                    SampleFormat::F32 => buf.extend_from_slice(&x.to_le_bytes()),
                    SampleFormat::S16 => {
                        let v = (x.clamp(-1.0, 1.0) * 32767.0).round() as i16;
                        buf.extend_from_slice(&v.to_le_bytes());
                    }
                    SampleFormat::S24 => {
                        let v = (x.clamp(-1.0, 1.0) * 8_388_607.0).round() as i32;
                        buf.extend_from_slice(&v.to_le_bytes()[..3]);
                    }
                }
            }
        }
        self.data_bytes += buf.len() as u64;
        if self.data_bytes > u32::MAX as u64 - 64 {
            return Err(WavError::TooLong);
        }
        self.out.write_all(&buf).map_err(|source| WavError::Io {
            path: self.path.clone(),
            source,
        })
    }

    /// Rewrites the header with the final sizes and flushes.
    pub fn finish(mut self, sample_rate: u32) -> Result<(), WavError> {
        let p = self.path.clone();
        let io = |source| WavError::Io {
            path: p.clone(),
            source,
        };
        self.out.flush().map_err(io)?;
        self.out.seek(SeekFrom::Start(0)).map_err(io)?;
        let n = self.data_bytes as u32;
        self.header(sample_rate, n).map_err(io)?;
        self.out.flush().map_err(io)?;
        Ok(())
    }
}

/// Reads back a WAV written by [`WavWriter`] (any of its formats) as interleaved f32, with
/// its sample rate. For tests and tools.
pub fn read_wav(bytes: &[u8]) -> Option<(u32, u16, Vec<f32>)> {
    if bytes.len() < 12 || &bytes[0..4] != b"RIFF" || &bytes[8..12] != b"WAVE" {
        return None;
    }
    let mut pos = 12;
    let (mut rate, mut channels, mut tag, mut bits) = (0u32, 0u16, 0u16, 0u16);
    while pos + 8 <= bytes.len() {
        let id = &bytes[pos..pos + 4];
        let len = u32::from_le_bytes(bytes[pos + 4..pos + 8].try_into().ok()?) as usize;
        let body = bytes.get(pos + 8..pos + 8 + len)?;
        if id == b"fmt " {
            tag = u16::from_le_bytes(body[0..2].try_into().ok()?);
            channels = u16::from_le_bytes(body[2..4].try_into().ok()?);
            rate = u32::from_le_bytes(body[4..8].try_into().ok()?);
            bits = u16::from_le_bytes(body[14..16].try_into().ok()?);
        } else if id == b"data" {
            let samples = match (tag, bits) {
                (3, 32) => body
                    .chunks_exact(4)
                    .map(|c| f32::from_le_bytes(c.try_into().unwrap_or([0; 4])))
                    .collect(),
                (1, 16) => body
                    .chunks_exact(2)
                    .map(|c| i16::from_le_bytes([c[0], c[1]]) as f32 / 32767.0)
                    .collect(),
                (1, 24) => body
                    .chunks_exact(3)
                    .map(|c| (i32::from_le_bytes([0, c[0], c[1], c[2]]) >> 8) as f32 / 8_388_607.0)
                    .collect(),
                _ => return None,
            };
            return Some((rate, channels, samples));
        }
        pos += 8 + len + (len & 1);
    }
    None
}
