//! Decoding sample files (control side only): WAV with `hound`, FLAC with `claxon`, AIFF,
//! Ogg Vorbis and MP3 with `symphonia`.
//!
//! Whatever the file holds, decoding returns a buffer or an error, never panics: a decoder
//! that panics on malformed data is caught, a file without any audio frame is an error,
//! and corrupt packets in the middle of a compressed stream are skipped.

use std::path::Path;

use crate::sample::{SampleBuffer, SampleError};

/// File extensions the sample bank loads (compared case-insensitively).
pub const EXTENSIONS: &[&str] = &[
    "wav", "wave", "flac", "aif", "aiff", "aifc", "ogg", "oga", "mp3",
];

/// True if `path` has one of the [`EXTENSIONS`].
///
/// ```
/// use std::path::Path;
/// use tactus_dsp::sample::decode::is_audio_file;
/// assert!(is_audio_file(Path::new("bd/BT0A0A7.WAV")));
/// assert!(is_audio_file(Path::new("loop.ogg")));
/// assert!(!is_audio_file(Path::new("readme.txt")));
/// ```
pub fn is_audio_file(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// Decodes an audio file to a mono or stereo buffer at the file's own rate (more than two
/// channels keep the first two). Errors name the file.
pub fn decode_file(path: &Path) -> Result<SampleBuffer, SampleError> {
    let err = |m: String| SampleError::Decode {
        path: path.display().to_string(),
        message: m,
    };
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    // Decoders are third-party code reading untrusted bytes: a panic becomes an error.
    let decoded = std::panic::catch_unwind(|| match ext.as_str() {
        "wav" | "wave" => decode_wav(path),
        "flac" => decode_flac(path),
        "aif" | "aiff" | "aifc" | "ogg" | "oga" | "mp3" => decode_symphonia(path, &ext),
        other => Err(format!("unsupported format {other:?}")),
    })
    .unwrap_or_else(|_| Err("the decoder failed on malformed data".to_owned()));
    let (data, channels, rate) = decoded.map_err(err)?;
    if channels == 0 {
        return Err(err("no channels".into()));
    }
    if data.len() < channels {
        return Err(err("no audio frames (empty file)".into()));
    }
    if !(rate.is_finite() && rate > 0.0) {
        return Err(err(format!("invalid sample rate {rate}")));
    }
    let data = if channels > 2 {
        data.chunks_exact(channels)
            .flat_map(|f| [f[0], f[1]])
            .collect()
    } else {
        data
    };
    SampleBuffer::from_interleaved(data, channels.min(2), rate)
}

/// Interleaved samples, channel count, sample rate.
type Decoded = Result<(Vec<f32>, usize, f32), String>;

fn decode_wav(path: &Path) -> Decoded {
    let mut r = hound::WavReader::open(path).map_err(|e| e.to_string())?;
    let spec = r.spec();
    let data: Vec<f32> = match spec.sample_format {
        hound::SampleFormat::Float => r
            .samples::<f32>()
            .collect::<Result<_, _>>()
            .map_err(|e| e.to_string())?,
        hound::SampleFormat::Int => {
            let scale = 1.0 / (1u64 << (spec.bits_per_sample.clamp(1, 32) - 1)) as f32;
            r.samples::<i32>()
                .map(|s| s.map(|v| v as f32 * scale))
                .collect::<Result<_, _>>()
                .map_err(|e| e.to_string())?
        }
    };
    Ok((data, usize::from(spec.channels), spec.sample_rate as f32))
}

fn decode_flac(path: &Path) -> Decoded {
    let mut r = claxon::FlacReader::open(path).map_err(|e| e.to_string())?;
    let info = r.streaminfo();
    let scale = 1.0 / (1u64 << (info.bits_per_sample.clamp(1, 32) - 1)) as f32;
    let data: Vec<f32> = r
        .samples()
        .map(|s| s.map(|v| v as f32 * scale))
        .collect::<Result<_, _>>()
        .map_err(|e| e.to_string())?;
    Ok((data, info.channels as usize, info.sample_rate as f32))
}

fn decode_symphonia(path: &Path, ext: &str) -> Decoded {
    use symphonia::core::audio::SampleBuffer as Interleaved;
    use symphonia::core::codecs::{DecoderOptions, CODEC_TYPE_NULL};
    use symphonia::core::errors::Error;
    use symphonia::core::formats::FormatOptions;
    use symphonia::core::io::MediaSourceStream;
    use symphonia::core::meta::MetadataOptions;
    use symphonia::core::probe::Hint;

    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    let stream = MediaSourceStream::new(Box::new(file), Default::default());
    let mut hint = Hint::new();
    hint.with_extension(ext);
    let probed = symphonia::default::get_probe()
        .format(
            &hint,
            stream,
            &FormatOptions::default(),
            &MetadataOptions::default(),
        )
        .map_err(|e| e.to_string())?;
    let mut format = probed.format;
    let track = format
        .tracks()
        .iter()
        .find(|t| t.codec_params.codec != CODEC_TYPE_NULL)
        .ok_or("no audio track")?;
    let track_id = track.id;
    let mut rate = track.codec_params.sample_rate.unwrap_or(0) as f32;
    let mut channels = track.codec_params.channels.map_or(0, |c| c.count());
    let mut decoder = symphonia::default::get_codecs()
        .make(&track.codec_params, &DecoderOptions::default())
        .map_err(|e| e.to_string())?;
    let mut data = Vec::new();
    let mut scratch: Option<Interleaved<f32>> = None;
    loop {
        let packet = match format.next_packet() {
            Ok(p) => p,
            // the normal end of the stream, or a truncated one: keep what was decoded
            Err(Error::IoError(_)) | Err(Error::ResetRequired) => break,
            Err(e) => return Err(e.to_string()),
        };
        if packet.track_id() != track_id {
            continue;
        }
        let audio = match decoder.decode(&packet) {
            Ok(a) => a,
            Err(Error::DecodeError(_)) => continue, // a corrupt packet: skip it
            Err(Error::IoError(_)) => break,
            Err(e) => return Err(e.to_string()),
        };
        let spec = *audio.spec();
        if channels != 0 && spec.channels.count() != channels && !data.is_empty() {
            return Err("the channel count changes inside the stream".to_owned());
        }
        channels = spec.channels.count();
        rate = spec.rate as f32;
        let frames = audio.capacity() as u64;
        let buf = match scratch.as_mut() {
            Some(b) if b.capacity() as u64 >= frames * channels as u64 => b,
            _ => scratch.insert(Interleaved::new(frames, spec)),
        };
        buf.copy_interleaved_ref(audio);
        data.extend_from_slice(buf.samples());
    }
    Ok((data, channels, rate))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("tactus-decode-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir.join(name)
    }

    #[test]
    fn garbage_and_empty_files_are_errors() {
        for name in [
            "junk.wav",
            "junk.flac",
            "junk.aiff",
            "junk.ogg",
            "junk.mp3",
            "empty.wav",
        ] {
            let p = temp(name);
            let bytes: &[u8] = if name.starts_with("empty") {
                b""
            } else {
                b"RIFF\x10\x00\x00\x00this is not audio at all, only some bytes \xff\xfb\x90"
            };
            std::fs::write(&p, bytes).unwrap();
            assert!(decode_file(&p).is_err(), "{name}");
        }
        assert!(decode_file(&temp("missing.wav")).is_err());
        assert!(decode_file(&temp("x.txt")).is_err());
    }

    #[test]
    fn a_wav_with_no_frames_is_an_error() {
        let p = temp("zero.wav");
        let spec = hound::WavSpec {
            channels: 1,
            sample_rate: 44_100,
            bits_per_sample: 16,
            sample_format: hound::SampleFormat::Int,
        };
        hound::WavWriter::create(&p, spec)
            .unwrap()
            .finalize()
            .unwrap();
        let e = decode_file(&p).unwrap_err().to_string();
        assert!(e.contains("empty"), "{e}");
    }

    /// A minimal AIFF writer: COMM + SSND chunks, 16-bit big-endian PCM.
    fn write_aiff(path: &Path, channels: u16, rate: u32, frames: &[i16]) {
        let n = frames.len() as u32 / u32::from(channels);
        let mut comm = Vec::new();
        comm.extend_from_slice(&channels.to_be_bytes());
        comm.extend_from_slice(&n.to_be_bytes());
        comm.extend_from_slice(&16u16.to_be_bytes());
        // 80-bit extended float sample rate
        let exp = 16383 + 31 - rate.leading_zeros() as u16;
        let mant = u64::from(rate) << (63 - (31 - rate.leading_zeros()));
        comm.extend_from_slice(&exp.to_be_bytes());
        comm.extend_from_slice(&mant.to_be_bytes());
        let mut ssnd = vec![0u8; 8];
        for s in frames {
            ssnd.extend_from_slice(&s.to_be_bytes());
        }
        let mut body = b"AIFF".to_vec();
        for (id, chunk) in [(b"COMM", comm), (b"SSND", ssnd)] {
            body.extend_from_slice(id);
            body.extend_from_slice(&(chunk.len() as u32).to_be_bytes());
            body.extend_from_slice(&chunk);
        }
        let mut file = b"FORM".to_vec();
        file.extend_from_slice(&(body.len() as u32).to_be_bytes());
        file.extend_from_slice(&body);
        std::fs::write(path, file).unwrap();
    }

    #[test]
    fn decodes_aiff() {
        let p = temp("tone.aiff");
        let frames: Vec<i16> = (0..2_000)
            .map(|i| ((i as f32 * 0.05).sin() * 16_000.0) as i16)
            .collect();
        write_aiff(&p, 1, 22_050, &frames);
        let b = decode_file(&p).unwrap();
        assert_eq!(b.channels(), 1);
        assert_eq!(b.frames(), 2_000);
        assert_eq!(b.sample_rate(), 22_050.0);
        assert!((b.data()[100] - frames[100] as f32 / 32_768.0).abs() < 1e-4);
    }
}
