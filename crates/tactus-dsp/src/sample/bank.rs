//! The control-side sample registry: Dirt-Samples folders (`NAME/*.wav|flac`), loaded
//! lazily, resampled to the output rate, with a memory cap enforced by evicting the least
//! recently used files.
//!
//! The bank never touches the audio thread. Resolving a name may load (decode + resample)
//! a file and evict others; what the audio side must do is returned as [`BankCommand`]s,
//! which the engine sends over its queue and applies with [`crate::Synth::install_sample`]
//! and [`crate::Synth::remove_sample`] (sending the returned old buffers back to be dropped).

use crate::sample::{SampleBuffer, SampleError, SampleId};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// What the audio side must do after a bank operation.
#[derive(Debug, Clone)]
pub enum BankCommand {
    /// Put this buffer in the slot.
    Install(SampleId, SampleBuffer),
    /// Empty the slot (evicted).
    Remove(SampleId),
}

#[derive(Debug, Clone)]
struct Entry {
    path: Option<PathBuf>,
    bytes: Option<usize>,
    last_used: u64,
}

/// File extensions the bank loads.
pub const EXTENSIONS: &[&str] = &["wav", "flac"];

/// Control-side registry of named sample folders. Slot ids are entry indices.
#[derive(Debug)]
pub struct SampleBank {
    sample_rate: f32,
    max_slots: usize,
    memory_cap: usize,
    used: usize,
    clock: u64,
    names: HashMap<String, Vec<usize>>,
    entries: Vec<Entry>,
}

impl SampleBank {
    /// A bank resampling to `sample_rate`, with at most `max_slots` files (match the
    /// synth's `sample_slots`) and at most `memory_cap` bytes of decoded audio loaded.
    pub fn new(sample_rate: f32, max_slots: usize, memory_cap: usize) -> Self {
        Self {
            sample_rate,
            max_slots,
            memory_cap,
            used: 0,
            clock: 0,
            names: HashMap::new(),
            entries: Vec::new(),
        }
    }

    /// Registers every sub-folder of `root` holding audio files as a sound named after the
    /// folder, files sorted by name (nothing is decoded yet). Returns the number of names
    /// added. Later roots add files to existing names.
    pub fn add_root(&mut self, root: &Path) -> Result<usize, SampleError> {
        let mut dirs: Vec<PathBuf> = std::fs::read_dir(root)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_dir())
            .collect();
        dirs.sort();
        let mut added = 0;
        for dir in dirs {
            let Some(name) = dir.file_name().and_then(|n| n.to_str()).map(str::to_owned) else {
                continue;
            };
            let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| {
                    p.extension()
                        .and_then(|e| e.to_str())
                        .is_some_and(|e| EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
                })
                .collect();
            files.sort();
            if files.is_empty() {
                continue;
            }
            for f in files {
                if self.entries.len() >= self.max_slots {
                    break;
                }
                let idx = self.entries.len();
                self.entries.push(Entry {
                    path: Some(f),
                    bytes: None,
                    last_used: 0,
                });
                self.names.entry(name.clone()).or_default().push(idx);
            }
            added += 1;
        }
        Ok(added)
    }

    /// Adds an in-memory buffer as the next variation of `name` (resampled; never evicted).
    /// Returns its id and the install command, or `None` if every slot is taken.
    pub fn insert(&mut self, name: &str, buffer: SampleBuffer) -> Option<(SampleId, BankCommand)> {
        if self.entries.len() >= self.max_slots {
            return None;
        }
        let buf = buffer.resampled(self.sample_rate);
        let idx = self.entries.len();
        self.clock += 1;
        self.used += buf.bytes();
        self.entries.push(Entry {
            path: None,
            bytes: Some(buf.bytes()),
            last_used: self.clock,
        });
        self.names.entry(name.to_owned()).or_default().push(idx);
        let id = SampleId(idx as u32);
        Some((id, BankCommand::Install(id, buf)))
    }

    /// True if `name` is a known sound.
    pub fn contains(&self, name: &str) -> bool {
        self.names.contains_key(name)
    }

    /// Number of variations of `name`.
    pub fn count(&self, name: &str) -> usize {
        self.names.get(name).map_or(0, Vec::len)
    }

    /// Known names, unsorted.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.names.keys().map(String::as_str)
    }

    /// Bytes of decoded audio currently loaded.
    pub fn memory_used(&self) -> usize {
        self.used
    }

    /// The id of variation `n` of `name` (modulo the count, as Tidal's `:n`), loading it if
    /// needed; commands for the audio side are appended to `commands`. `Ok(None)` if the
    /// name is unknown.
    pub fn resolve(
        &mut self,
        name: &str,
        n: usize,
        commands: &mut Vec<BankCommand>,
    ) -> Result<Option<SampleId>, SampleError> {
        let Some(list) = self.names.get(name) else {
            return Ok(None);
        };
        let idx = list[n % list.len()];
        self.clock += 1;
        self.entries[idx].last_used = self.clock;
        if self.entries[idx].bytes.is_none() {
            let path = self.entries[idx]
                .path
                .clone()
                .expect("unloaded entries have a path");
            let buf = decode_file(&path)?.resampled(self.sample_rate);
            let bytes = buf.bytes();
            self.evict_for(bytes, idx, commands);
            self.used += bytes;
            self.entries[idx].bytes = Some(bytes);
            commands.push(BankCommand::Install(SampleId(idx as u32), buf));
        }
        Ok(Some(SampleId(idx as u32)))
    }

    fn evict_for(&mut self, bytes: usize, keep: usize, commands: &mut Vec<BankCommand>) {
        while self.used + bytes > self.memory_cap {
            let victim = self
                .entries
                .iter()
                .enumerate()
                .filter(|(i, e)| *i != keep && e.path.is_some() && e.bytes.is_some())
                .min_by_key(|(_, e)| e.last_used)
                .map(|(i, _)| i);
            let Some(v) = victim else {
                break;
            };
            self.used -= self.entries[v].bytes.take().unwrap_or(0);
            commands.push(BankCommand::Remove(SampleId(v as u32)));
        }
    }
}

/// Decodes a WAV (PCM integer or float) or FLAC file to a mono or stereo buffer at the
/// file's own rate (more than two channels keep the first two).
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
    let (data, channels, rate) = match ext.as_str() {
        "wav" => {
            let mut r = hound::WavReader::open(path).map_err(|e| err(e.to_string()))?;
            let spec = r.spec();
            let data: Vec<f32> = match spec.sample_format {
                hound::SampleFormat::Float => r
                    .samples::<f32>()
                    .collect::<Result<_, _>>()
                    .map_err(|e| err(e.to_string()))?,
                hound::SampleFormat::Int => {
                    let scale = 1.0 / (1u64 << (spec.bits_per_sample.clamp(1, 32) - 1)) as f32;
                    r.samples::<i32>()
                        .map(|s| s.map(|v| v as f32 * scale))
                        .collect::<Result<_, _>>()
                        .map_err(|e| err(e.to_string()))?
                }
            };
            (data, usize::from(spec.channels), spec.sample_rate as f32)
        }
        "flac" => {
            let mut r = claxon::FlacReader::open(path).map_err(|e| err(e.to_string()))?;
            let info = r.streaminfo();
            let scale = 1.0 / (1u64 << (info.bits_per_sample.clamp(1, 32) - 1)) as f32;
            let data: Vec<f32> = r
                .samples()
                .map(|s| s.map(|v| v as f32 * scale))
                .collect::<Result<_, _>>()
                .map_err(|e| err(e.to_string()))?;
            (data, info.channels as usize, info.sample_rate as f32)
        }
        other => return Err(err(format!("unsupported format {other:?}"))),
    };
    if channels == 0 {
        return Err(err("no channels".into()));
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

#[cfg(test)]
mod tests {
    use super::*;

    fn write_wav(path: &Path, frames: usize, rate: u32) {
        let spec = hound::WavSpec {
            channels: 1,
            sample_rate: rate,
            bits_per_sample: 16,
            sample_format: hound::SampleFormat::Int,
        };
        let mut w = hound::WavWriter::create(path, spec).unwrap();
        for i in 0..frames {
            w.write_sample(((i as f32 * 0.05).sin() * 16_000.0) as i16)
                .unwrap();
        }
        w.finalize().unwrap();
    }

    #[test]
    fn loads_lazily_wraps_n_and_evicts_lru() {
        let root = std::env::temp_dir().join(format!("tactus-bank-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join("bd")).unwrap();
        std::fs::create_dir_all(root.join("empty")).unwrap();
        for k in 0..3 {
            write_wav(&root.join(format!("bd/{k}.wav")), 4_410, 44_100);
        }
        // room for two decoded files (4800 frames * 4 bytes each at 48 kHz)
        let mut bank = SampleBank::new(48_000.0, 16, 2 * 4_800 * 4);
        assert_eq!(bank.add_root(&root).unwrap(), 1);
        assert_eq!(bank.count("bd"), 3);
        assert!(!bank.contains("empty"));
        let mut cmds = Vec::new();
        let a = bank.resolve("bd", 0, &mut cmds).unwrap().unwrap();
        assert_eq!(bank.resolve("bd", 3, &mut cmds).unwrap(), Some(a)); // n wraps
        let _b = bank.resolve("bd", 1, &mut cmds).unwrap().unwrap();
        assert_eq!(cmds.len(), 2);
        match &cmds[0] {
            BankCommand::Install(id, buf) => {
                assert_eq!(*id, a);
                assert_eq!(buf.frames(), 4_800);
                assert_eq!(buf.sample_rate(), 48_000.0);
            }
            other => panic!("{other:?}"),
        }
        cmds.clear();
        let _c = bank.resolve("bd", 2, &mut cmds).unwrap().unwrap();
        // the least recently used (bd:0) goes
        assert!(matches!(cmds[0], BankCommand::Remove(id) if id == a));
        assert!(bank.memory_used() <= 2 * 4_800 * 4);
        assert_eq!(bank.resolve("nope", 0, &mut cmds).unwrap(), None);
        let _ = std::fs::remove_dir_all(&root);
    }
}
