//! `tactus midi-ports` and a MIDI destination without a MIDI system: one clear message that
//! names the alternative, a non-zero exit, never a backtrace. (With a sequencer device the
//! listing must succeed instead.)

use std::path::Path;
use std::process::Command;

fn tactus() -> Command {
    Command::new(env!("CARGO_BIN_EXE_tactus"))
}

fn no_panic(err: &str) {
    assert!(
        !err.contains("panicked") && !err.contains("RUST_BACKTRACE"),
        "{err}"
    );
}

/// Runs `tactus play --no-audio` on a one-line song with the destinations file `toml`
/// (`d.toml` in a fresh directory tagged `tag`); it must fail without a panic. Returns its
/// stderr.
fn play_failing(tag: &str, toml: &str) -> String {
    let dir = std::env::temp_dir().join(format!("tactus-midi-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("s.tidal"), "d1 $ n \"0\"\n").unwrap();
    std::fs::write(dir.join("d.toml"), toml).unwrap();
    let out = tactus()
        .args(["play", "--no-audio", "--duration", "1", "--destinations"])
        .arg(dir.join("d.toml"))
        .arg(dir.join("s.tidal"))
        .output()
        .unwrap();
    let _ = std::fs::remove_dir_all(dir);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    no_panic(&err);
    assert!(!out.status.success(), "{err}");
    err
}

#[test]
fn alsa_without_a_sequencer_names_jack() {
    let out = tactus().arg("midi-ports").output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    no_panic(&err);
    if Path::new("/dev/snd/seq").exists() {
        assert!(out.status.success(), "{err}");
        assert!(String::from_utf8_lossy(&out.stdout).contains("alsa MIDI ports"));
        return;
    }
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert_eq!(err.lines().count(), 1, "one message: {err}");
    for says in ["no ALSA sequencer", "/dev/snd/seq", "--host jack", "jackd"] {
        assert!(err.contains(says), "the message does not say {says}: {err}");
    }

    // the same from `play` with a MIDI destination on ALSA
    let err = play_failing(
        "ports",
        "[destinations.keys]\nkind = \"midi\"\n[routes]\nd1 = \"keys\"\n",
    );
    assert!(
        err.contains("MIDI destination `keys`") && err.contains("--host jack"),
        "{err}"
    );
}

#[test]
fn jack_without_a_server_says_how_to_start_one() {
    let out = tactus()
        .args(["midi-ports", "--host", "jack"])
        .env(
            "JACK_DEFAULT_SERVER",
            format!("tactus-none-{}", std::process::id()),
        )
        .env("JACK_NO_START_SERVER", "1")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    no_panic(&err);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(
        err.contains("no JACK server") && err.contains("jackd -d dummy"),
        "{err}"
    );
}

#[test]
fn a_bad_midi_destination_is_named() {
    let err = play_failing(
        "bad",
        "[destinations.keys]\nkind = \"midi\"\nchannel = 17\n",
    );
    assert!(
        err.contains("d.toml") && err.contains("`keys`") && err.contains("between 1 and 16"),
        "{err}"
    );
}
