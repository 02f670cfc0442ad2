//! Decoding compressed fixtures (tests/data): Ogg Vorbis and MP3 come back as the 441 Hz
//! tone they were encoded from.

use std::path::Path;

use tactus_dsp::sample::bank::decode_file;

/// Decodes `name` and checks rate, channels, length and pitch (by zero crossings).
fn check(name: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(name);
    let b = decode_file(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(b.channels(), 1, "{name}");
    assert_eq!(b.sample_rate(), 22_050.0, "{name}");
    // 11025 frames, plus the encoder's padding (MP3 adds up to a couple of frames' worth)
    assert!(
        (11_025..13_000).contains(&b.frames()),
        "{name}: {} frames",
        b.frames()
    );
    let x = b.data();
    let mid = &x[2_000..9_000];
    let crossings = mid
        .windows(2)
        .filter(|w| (w[0] < 0.0) != (w[1] < 0.0))
        .count();
    let hz = crossings as f32 / 2.0 / (mid.len() as f32 / 22_050.0);
    assert!((hz - 441.0).abs() < 10.0, "{name}: {hz} Hz");
    let peak = mid.iter().fold(0.0f32, |a, v| a.max(v.abs()));
    assert!((0.25..0.5).contains(&peak), "{name}: peak {peak}");
}

#[test]
fn decodes_ogg_vorbis() {
    check("tone-441hz.ogg");
}

#[test]
fn decodes_mp3() {
    check("tone-441hz.mp3");
}

#[test]
fn a_truncated_ogg_keeps_what_it_can_or_fails_cleanly() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/tone-441hz.ogg");
    let bytes = std::fs::read(&src).unwrap();
    let dir = std::env::temp_dir().join(format!("tactus-decode-trunc-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for cut in [10, 200, bytes.len() / 2] {
        let p = dir.join(format!("cut{cut}.ogg"));
        std::fs::write(&p, &bytes[..cut]).unwrap();
        if let Ok(b) = decode_file(&p) {
            assert!(
                b.frames() > 0 && b.frames() < 11_025,
                "cut {cut}: {}",
                b.frames()
            );
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}
