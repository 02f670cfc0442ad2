//! `tactus export` writes a Standard MIDI File; a small reader written here parses it back
//! and checks the header, tempo, track names, every note-on and note-off.

use std::process::Command;

/// (tick, status, data...) or meta (tick, 0xFF, type, data).
type Ev = (u64, Vec<u8>);

fn var(b: &[u8], i: &mut usize) -> u64 {
    let mut v = 0u64;
    loop {
        let c = b[*i];
        *i += 1;
        v = (v << 7) | u64::from(c & 0x7F);
        if c & 0x80 == 0 {
            return v;
        }
    }
}

fn read_smf(b: &[u8]) -> (u16, u16, Vec<Vec<Ev>>) {
    assert_eq!(&b[0..4], b"MThd");
    assert_eq!(u32::from_be_bytes(b[4..8].try_into().unwrap()), 6);
    let format = u16::from_be_bytes([b[8], b[9]]);
    let ntrks = u16::from_be_bytes([b[10], b[11]]);
    let ppq = u16::from_be_bytes([b[12], b[13]]);
    let mut i = 14;
    let mut tracks = Vec::new();
    for _ in 0..ntrks {
        assert_eq!(&b[i..i + 4], b"MTrk");
        let len = u32::from_be_bytes(b[i + 4..i + 8].try_into().unwrap()) as usize;
        let body = &b[i + 8..i + 8 + len];
        i += 8 + len;
        let (mut j, mut tick, mut evs) = (0, 0u64, Vec::new());
        while j < body.len() {
            tick += var(body, &mut j);
            let st = body[j];
            let n = match st {
                0xFF => {
                    let ty = body[j + 1];
                    let mut k = j + 2;
                    let l = var(body, &mut k) as usize;
                    let mut e = vec![0xFF, ty];
                    e.extend_from_slice(&body[k..k + l]);
                    evs.push((tick, e));
                    j = k + l;
                    continue;
                }
                s if s & 0xF0 == 0xC0 || s & 0xF0 == 0xD0 => 2,
                s if s & 0x80 != 0 => 3,
                _ => panic!("running status is not written"),
            };
            evs.push((tick, body[j..j + n].to_vec()));
            j += n;
        }
        assert_eq!(evs.last().unwrap().1, vec![0xFF, 0x2F], "end of track");
        tracks.push(evs);
    }
    assert_eq!(i, b.len());
    assert_eq!(format, 1);
    (ntrks, ppq, tracks)
}

#[test]
fn export_writes_a_midi_file_that_parses_back() {
    let dir = std::env::temp_dir().join(format!("tactus-export-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("song.tidal");
    std::fs::write(
        &file,
        "setcps 0.5\nd1 $ note \"0 4 7 12\" # legato 0.5 # velocity 0.5\nd2 $ n \"0 ~ 0\" # s \"bd\" # gain 1.1 # midichan 9\n",
    )
    .unwrap();
    let out = dir.join("song.mid");
    let st = Command::new(env!("CARGO_BIN_EXE_tactus"))
        .args(["export"])
        .arg(&file)
        .arg("-o")
        .arg(&out)
        .args(["--cycles", "2"])
        .output()
        .unwrap();
    assert!(
        st.status.success(),
        "{}",
        String::from_utf8_lossy(&st.stderr)
    );
    let (ntrks, ppq, tracks) = read_smf(&std::fs::read(&out).unwrap());
    assert_eq!((ntrks, ppq), (3, 960));
    // 0.5 cps = 120 bpm = 500000 µs per quarter
    assert!(tracks[0].contains(&(0, vec![0xFF, 0x51, 0x07, 0xA1, 0x20])));
    assert_eq!(tracks[1][0], (0, [&[0xFF, 0x03][..], b"d1"].concat()));
    assert_eq!(tracks[2][0], (0, [&[0xFF, 0x03][..], b"d2"].concat()));
    let notes = |t: &Vec<Ev>| -> Vec<(u64, Vec<u8>)> {
        t.iter().filter(|(_, e)| e[0] != 0xFF).cloned().collect()
    };
    // d1: a quarter note each (960 ticks), legato 0.5 -> 480 ticks, velocity 0.5 -> 64, channel 0
    let mut want = Vec::new();
    for cycle in 0..2u64 {
        for (k, key) in [60u8, 64, 67, 72].into_iter().enumerate() {
            let at = cycle * 3840 + k as u64 * 960;
            want.push((at, vec![0x90, key, 64]));
            want.push((at + 480, vec![0x80, key, 0]));
        }
    }
    assert_eq!(notes(&tracks[1]), want);
    // d2: thirds of a cycle (1280 ticks), `n` 0 -> 60, gain 1.1 -> 110, midichan 9
    let mut want = Vec::new();
    for cycle in 0..2u64 {
        for at in [cycle * 3840, cycle * 3840 + 2560] {
            want.push((at, vec![0x99, 60, 110]));
            want.push((at + 1280, vec![0x89, 60, 0]));
        }
    }
    assert_eq!(notes(&tracks[2]), want);
}
