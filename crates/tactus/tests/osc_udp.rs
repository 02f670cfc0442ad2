//! `tactus play --no-audio --destinations x.toml` driving a SuperDirt stand-in: a real UDP
//! listener on 127.0.0.1 decodes every bundle; time-tags must be spaced exactly as the
//! pattern says (to 2^-32 s) and every argument must be what Tidal would send.

use std::net::UdpSocket;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

use tactus_io::osc::{OscArg, OscPacket, TimeTag};

fn temp_dir(tag: &str) -> std::path::PathBuf {
    let nanos = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    let d = std::env::temp_dir().join(format!("tactus-osc-{tag}-{}-{nanos}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn s(x: &str) -> OscArg {
    OscArg::Str(x.into())
}

#[test]
fn play_sends_time_tagged_dirt_bundles_to_a_udp_listener() {
    let sock = UdpSocket::bind("127.0.0.1:0").unwrap();
    sock.set_read_timeout(Some(Duration::from_millis(100)))
        .unwrap();
    let port = sock.local_addr().unwrap().port();
    let dir = temp_dir("udp");
    let file = dir.join("song.tidal");
    std::fs::write(
        &file,
        "setcps 1\nd1 $ s \"bd*4\" # n \"<0 1>\"\nd2 $ s \"hh\" # pS \"dest\" \"synth\"\n",
    )
    .unwrap();
    let dests = dir.join("dest.toml");
    std::fs::write(
        &dests,
        format!("default = [\"dirt\"]\n[destinations.dirt]\nkind = \"osc\"\nhost = \"127.0.0.1\"\nport = {port}\nlatency = 0.25\n"),
    )
    .unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_tactus"))
        .args([
            "play",
            "--no-audio",
            "--quiet",
            "--duration",
            "2.6",
            "--destinations",
        ])
        .arg(&dests)
        .arg(&file)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut got: Vec<(SystemTime, OscPacket)> = Vec::new();
    let start = Instant::now();
    let mut buf = [0u8; 65536];
    loop {
        if let Ok(n) = sock.recv(&mut buf) {
            got.push((
                SystemTime::now(),
                OscPacket::decode(&buf[..n]).expect("a valid packet"),
            ));
        }
        if child.try_wait().unwrap().is_some() && sock.recv(&mut buf).is_err() {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "tactus play did not stop"
        );
    }
    let status = child.wait_with_output().unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );

    let handshakes = got
        .iter()
        .filter(|(_, p)| matches!(p, OscPacket::Message(m) if m.address == "/dirt/handshake"))
        .count();
    assert_eq!(handshakes, 1);
    let bundles: Vec<(SystemTime, TimeTag, Vec<OscArg>)> = got
        .into_iter()
        .filter_map(|(at, p)| match p {
            OscPacket::Bundle(t, items) => {
                assert_eq!(items.len(), 1, "one message per bundle");
                let OscPacket::Message(m) = &items[0] else {
                    panic!("nested bundle")
                };
                assert_eq!(m.address, "/dirt/play");
                Some((at, t, m.args.clone()))
            }
            OscPacket::Message(_) => None,
        })
        .collect();
    // 2.6 s at 1 cps: onsets 0, 0.25, ... 2.5 (the last one may or may not be sent)
    assert!(
        (10..=11).contains(&bundles.len()),
        "{} bundles",
        bundles.len()
    );
    let t0 = bundles[0].1;
    for (k, (at, tag, args)) in bundles.iter().enumerate() {
        assert_eq!(
            tag.0 - t0.0,
            k as u64 * (1 << 30),
            "bundle {k}: spaced 0.25 s exactly"
        );
        // sent ahead of the time-tag, by less than latency + lookahead
        let ahead = tag.as_f64() - TimeTag::from_system(*at).as_f64();
        assert!(
            (0.1..0.35).contains(&ahead),
            "bundle {k} arrived {ahead} s before its time-tag"
        );
        let cycle = k as f32 * 0.25;
        let n = if (4..8).contains(&k) { 1.0 } else { 0.0 };
        assert_eq!(
            args,
            &vec![
                s("_id_"),
                s("1"),
                s("cps"),
                OscArg::Float(1.0),
                s("cycle"),
                OscArg::Float(cycle),
                s("delta"),
                OscArg::Float(0.25),
                s("n"),
                OscArg::Float(n),
                s("s"),
                s("bd"),
            ],
            "bundle {k}"
        );
    }
}

#[test]
fn an_absent_superdirt_is_not_an_error() {
    // nothing listens on this port: play runs and exits cleanly
    let port = UdpSocket::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let dir = temp_dir("absent");
    let file = dir.join("song.tidal");
    std::fs::write(&file, "d1 $ s \"bd*8\"\n").unwrap();
    let dests = dir.join("dest.toml");
    std::fs::write(
        &dests,
        format!("[destinations.dirt]\nkind = \"osc\"\nport = {port}\n[routes]\nd1 = \"dirt\"\n"),
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_tactus"))
        .args([
            "play",
            "--no-audio",
            "--quiet",
            "--duration",
            "0.8",
            "--destinations",
        ])
        .arg(&dests)
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
