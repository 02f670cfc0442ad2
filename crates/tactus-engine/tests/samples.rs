//! Sample folders through the whole engine: real FLAC files (Debian's `sonic-pi-samples`,
//! installed by `scripts/setup.sh`), corrupt and empty files, and a user folder shadowing
//! a built-in instrument.

mod support;

use std::path::{Path, PathBuf};

use support::program;
use tactus_dsp::sample::bank::decode_file;
use tactus_engine::render::{OfflineRenderer, RenderOptions};
use tactus_engine::sounds::Sounds;

const RATE: u32 = 44_100;
const SONIC_PI: &str = "/usr/share/sonic-pi/samples";

fn sounds(roots: &[&Path]) -> Sounds {
    let mut s = Sounds::new(RATE as f32, 64, 64 << 20);
    for r in roots {
        s.add_root(r).unwrap();
    }
    s
}

/// Renders `frames` frames; returns the left+right peak per frame and the warnings.
fn render(src: &str, sounds: Sounds, frames: u64) -> (Vec<f32>, Vec<String>, u64) {
    let opts = RenderOptions {
        sample_rate: RATE,
        ..RenderOptions::default()
    };
    let mut r = OfflineRenderer::new(program(src), sounds, opts);
    let mut peaks = Vec::new();
    r.render_frames(frames, |l, rr| {
        peaks.extend(l.iter().zip(rr).map(|(a, b)| a.abs().max(b.abs())));
    });
    (peaks, r.take_warnings(), r.stats.events)
}

fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("tactus-samples-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// A 16-bit mono PCM WAV file.
fn write_wav(path: &Path, samples: &[f32]) {
    let data: Vec<u8> = samples
        .iter()
        .flat_map(|s| ((s.clamp(-1.0, 1.0) * 32_000.0) as i16).to_le_bytes())
        .collect();
    let mut f = b"RIFF".to_vec();
    f.extend_from_slice(&(36 + data.len() as u32).to_le_bytes());
    f.extend_from_slice(b"WAVEfmt ");
    f.extend_from_slice(&16u32.to_le_bytes());
    f.extend_from_slice(&1u16.to_le_bytes()); // PCM
    f.extend_from_slice(&1u16.to_le_bytes()); // mono
    f.extend_from_slice(&RATE.to_le_bytes());
    f.extend_from_slice(&(2 * RATE).to_le_bytes()); // bytes per second
    f.extend_from_slice(&2u16.to_le_bytes()); // bytes per frame
    f.extend_from_slice(&16u16.to_le_bytes());
    f.extend_from_slice(b"data");
    f.extend_from_slice(&(data.len() as u32).to_le_bytes());
    f.extend_from_slice(&data);
    std::fs::write(path, f).unwrap();
}

fn tone(frames: usize) -> Vec<f32> {
    (0..frames).map(|i| 0.5 * (i as f32 * 0.06).sin()).collect()
}

#[test]
fn sonic_pi_flac_one_shots_play_at_their_frames() {
    let root = Path::new(SONIC_PI);
    assert!(
        root.join("bd_haus.flac").is_file(),
        "{SONIC_PI} is missing: install Debian's sonic-pi-samples (scripts/setup.sh does)"
    );
    // at cps 0.5 a cycle lasts 2 s: the two events of each cycle are 1 s apart
    let (peaks, warnings, events) = render(
        "setcps 0.5\nd1 $ s \"bd_haus drum_snare_hard\"\n",
        sounds(&[root]),
        4 * u64::from(RATE),
    );
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(events, 4);
    for (k, file) in ["bd_haus", "drum_snare_hard", "bd_haus", "drum_snare_hard"]
        .iter()
        .enumerate()
    {
        let at = k * RATE as usize;
        // the file's own lead-in before its first audible sample
        let buf = decode_file(&root.join(format!("{file}.flac"))).unwrap();
        let lead = (0..buf.frames())
            .position(|i| {
                let (l, r) = buf.frame(i as isize);
                l.abs().max(r.abs()) > 1e-3
            })
            .unwrap();
        let before = &peaks[at.saturating_sub(2_000)..at];
        assert!(
            before.iter().all(|x| *x < 1e-4),
            "{file}: sound before frame {at}"
        );
        let onset = at + peaks[at..].iter().position(|x| *x > 1e-4).unwrap();
        assert!(
            onset <= at + lead,
            "{file}: onset {onset}, expected by {}",
            at + lead
        );
        let peak = peaks[at..at + RATE as usize / 2]
            .iter()
            .fold(0.0f32, |a, b| a.max(*b));
        assert!(peak > 0.05, "{file}: peak {peak}");
    }
}

#[test]
fn corrupt_and_empty_files_are_skipped_with_a_warning() {
    let dir = temp_dir("bad");
    std::fs::write(dir.join("bad.wav"), b"RIFF\x04\x00\x00\x00WAVEjunk").unwrap();
    std::fs::write(dir.join("garbled.flac"), vec![0x5a; 4_096]).unwrap();
    write_wav(&dir.join("zero.wav"), &[]);
    write_wav(&dir.join("ok.wav"), &tone(4_410));
    // four events per cycle at cps 1: bad, zero, garbled, ok, twice
    let (peaks, warnings, events) = render(
        "setcps 1\nd1 $ s \"bad zero garbled ok\"\n",
        sounds(&[&dir]),
        2 * u64::from(RATE),
    );
    assert_eq!(events, 2, "only `ok` plays");
    for name in ["bad", "zero", "garbled"] {
        assert!(
            warnings.iter().any(|w| w.contains(&format!("`{name}`"))),
            "no warning for {name}: {warnings:?}"
        );
    }
    assert_eq!(warnings.len(), 3, "each warning once: {warnings:?}");
    // `ok` sounds at 3/4 of each cycle, nothing else does
    let q = RATE as usize / 4;
    assert!(peaks[..3 * q].iter().all(|x| *x < 1e-4));
    assert!(peaks[3 * q..4 * q].iter().any(|x| *x > 0.05));
    assert!(peaks[4 * q + 100..7 * q].iter().all(|x| *x < 1e-4));
    assert!(peaks[7 * q..].iter().any(|x| *x > 0.05));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_user_folder_shadows_the_built_in_of_the_same_name() {
    let src = "setcps 1\nd1 $ s \"bd\"\n";
    let (builtin, _, _) = render(src, sounds(&[]), u64::from(RATE) / 2);
    assert!(builtin.iter().any(|x| *x > 0.1), "the built-in bd sounds");

    // a `bd` folder holding a silent file: the user's bd wins, so nothing is heard
    let dir = temp_dir("shadow");
    std::fs::create_dir_all(dir.join("bd")).unwrap();
    write_wav(&dir.join("bd/silence.wav"), &vec![0.0; 4_410]);
    let s = sounds(&[&dir]);
    assert!(s.has_sample("bd"));
    let (user, warnings, events) = render(src, s, u64::from(RATE) / 2);
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(events, 1);
    assert!(user.iter().all(|x| *x < 1e-6));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn flat_and_nested_folders_mix_in_one_root() {
    let dir = temp_dir("flat");
    std::fs::create_dir_all(dir.join("kit")).unwrap();
    write_wav(&dir.join("blip.wav"), &tone(2_000));
    write_wav(&dir.join("kit/0.wav"), &tone(2_000));
    write_wav(&dir.join("kit/1.wav"), &tone(2_000));
    let (peaks, warnings, events) = render(
        "setcps 1\nd1 $ s \"blip kit:1 kit:2\"\n",
        sounds(&[&dir]),
        u64::from(RATE),
    );
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(events, 3);
    let third = RATE as usize / 3;
    for k in 0..3 {
        assert!(
            peaks[k * third..k * third + 2_000]
                .iter()
                .any(|x| *x > 0.05),
            "event {k}"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
