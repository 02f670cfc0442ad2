//! The control-side sample registry: Dirt-Samples folders (`NAME/*.wav|flac|aiff|ogg|mp3`)
//! and flat folders of files (each file's stem a name), loaded lazily, resampled to the
//! output rate, with a memory cap enforced by evicting the least recently used files.
//!
//! A file that cannot be decoded (corrupt, empty, unsupported) makes [`SampleBank::resolve`]
//! return an error, and keeps doing so without reading the file again; nothing here panics.
//!
//! The bank never touches the audio thread. Resolving a name may load (decode + resample)
//! a file and evict others; what the audio side must do is returned as [`BankCommand`]s,
//! which the engine sends over its queue and applies with [`crate::Synth::install_sample`]
//! and [`crate::Synth::remove_sample`] (sending the returned old buffers back to be dropped).

pub use crate::sample::decode::{decode_file, is_audio_file, EXTENSIONS};
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
    /// Why the file could not be loaded, once it failed.
    failed: Option<String>,
}

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

    /// Registers the sounds in `root` (nothing is decoded yet):
    ///
    /// * every sub-folder holding audio files is a sound named after the folder, its files
    ///   sorted by name (Dirt-Samples layout, `n` picks a file modulo the count);
    /// * every audio file directly in `root` is a sound named after the file's stem (a flat
    ///   folder, e.g. Sonic Pi's samples).
    ///
    /// Returns the number of names added or extended. Later roots add files to existing
    /// names.
    pub fn add_root(&mut self, root: &Path) -> Result<usize, SampleError> {
        let mut paths: Vec<PathBuf> = std::fs::read_dir(root)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        paths.sort();
        let mut added = 0;
        for path in paths {
            let (name, files) = if path.is_dir() {
                let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
                    continue;
                };
                // an unreadable sub-folder is skipped, not fatal for the whole root
                let Ok(dir) = std::fs::read_dir(&path) else {
                    continue;
                };
                let mut files: Vec<PathBuf> = dir
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.is_file() && is_audio_file(p))
                    .collect();
                files.sort();
                (name.to_owned(), files)
            } else if is_audio_file(&path) {
                let Some(stem) = path.file_stem().and_then(|n| n.to_str()) else {
                    continue;
                };
                (stem.to_owned(), vec![path.clone()])
            } else {
                continue;
            };
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
                    failed: None,
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
            failed: None,
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
        if let Some(message) = &self.entries[idx].failed {
            return Err(SampleError::Decode {
                path: self.entries[idx]
                    .path
                    .as_ref()
                    .map_or_else(String::new, |p| p.display().to_string()),
                message: message.clone(),
            });
        }
        if self.entries[idx].bytes.is_none() {
            let Some(path) = self.entries[idx].path.clone() else {
                return Ok(None); // unreachable: in-memory entries are never unloaded
            };
            let buf = match decode_file(&path) {
                Ok(b) => b.resampled(self.sample_rate),
                Err(e) => {
                    // remember the failure: later events do not read the file again
                    self.entries[idx].failed = Some(match &e {
                        SampleError::Decode { message, .. } => message.clone(),
                        other => other.to_string(),
                    });
                    return Err(e);
                }
            };
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

    #[test]
    fn flat_folders_name_files_by_stem_and_bad_files_fail_once() {
        let root = std::env::temp_dir().join(format!("tactus-bank-flat-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join("kit")).unwrap();
        write_wav(&root.join("bd_haus.wav"), 1_000, 48_000);
        write_wav(&root.join("kit/a.WAV"), 500, 48_000);
        std::fs::write(root.join("broken.flac"), b"fLaC but not really").unwrap();
        std::fs::write(root.join("notes.txt"), b"not audio").unwrap();
        let mut bank = SampleBank::new(48_000.0, 16, 1 << 20);
        assert_eq!(bank.add_root(&root).unwrap(), 3);
        let mut names: Vec<&str> = bank.names().collect();
        names.sort_unstable();
        assert_eq!(names, ["bd_haus", "broken", "kit"]);
        let mut cmds = Vec::new();
        let id = bank.resolve("bd_haus", 5, &mut cmds).unwrap().unwrap();
        assert!(matches!(&cmds[0], BankCommand::Install(i, b) if *i == id && b.frames() == 1_000));
        assert!(bank.resolve("broken", 0, &mut cmds).is_err());
        // the failure is remembered: the file is not read again
        std::fs::remove_file(root.join("broken.flac")).unwrap();
        let again = bank
            .resolve("broken", 0, &mut cmds)
            .unwrap_err()
            .to_string();
        assert!(again.contains("broken.flac"), "{again}");
        assert_eq!(cmds.len(), 1);
        let _ = std::fs::remove_dir_all(&root);
    }
}
