//! The destinations file (`--destinations FILE`, or by default
//! `$XDG_CONFIG_HOME/tactus/destinations.toml`, i.e. `~/.config/tactus/destinations.toml`):
//! where each channel plays. Without a file everything plays on the built-in synth.
//!
//! ```toml
//! default = ["synth"]          # channels without a route (the default is ["synth"])
//!
//! [destinations.dirt]          # `dirt` exists without this table: SuperDirt on 127.0.0.1:57120
//! kind = "osc"                 # osc | synth
//! host = "127.0.0.1"
//! port = 57120
//! address = "/dirt/play"
//! bundle = true                # time-tagged bundles (false: bare messages, sent on time)
//! latency = 0.2                # seconds added to every time-tag (Tidal's oLatency)
//! handshake = true             # send /dirt/handshake at start, as Tidal does
//!
//! [destinations.keys]          # a MIDI output
//! kind = "midi"
//! host = "alsa"                # alsa (the ALSA sequencer, default) | jack (a running jackd)
//! port = "FLUID"               # the port to connect to: its name or a unique part of it
//!                              # (see `tactus midi-ports`); without it tactus opens a port
//!                              # of its own, `tactus:keys`, for others to connect to
//! channel = 1                  # default MIDI channel, 1–16 (`midichan` 0–15 overrides)
//! latency = 0.0                # seconds added to every message (see below)
//! clock = false                # send MIDI clock (24 per quarter note, 4 quarters a cycle),
//!                              # Start/Continue/Stop and song position
//!
//! [routes]                     # channel = destinations; `d1` (or "1") and p "name" channels
//! d1 = ["dirt"]
//! d2 = ["synth", "dirt"]
//! d3 = ["keys"]
//! ```
//!
//! A MIDI destination reads each event as SuperDirt's MIDI target does: note-on at the
//! onset (`note`/`n`, velocity from `velocity` or `gain`), note-off after `sustain` seconds
//! or `legato` × the event's length, `ccn`+`ccv`, `midibend`, `progNum`, `midichan`.
//! Messages leave at their onset plus `latency`, plus one device buffer when `play --buffer N`
//! fixes it (so MIDI sounds with the built-in synth; otherwise add it to `latency`), from a
//! timed queue (on JACK placed at their exact frame). Playback stopping (Ctrl-C, SIGTERM,
//! `--duration`) or a `hush` sends note-offs for sounding notes and all-notes-off (CC 123)
//! on every channel used, and Stop when the clock runs.
//!
//! In a pattern, `# dest "dirt"` sends an event to `dirt` only, whatever its channel's
//! route; `# dest "[dirt,synth]"` to both.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _, Result};
use serde::Deserialize;
use tactus_engine::outputs::routing::SYNTH;
use tactus_engine::outputs::Routes;
use tactus_io::midi::MidiHost;
use tactus_io::osc::dirt;

/// The name of the built-in SuperDirt destination.
pub const DIRT: &str = "dirt";

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct File {
    default: Option<Vec<String>>,
    #[serde(default)]
    destinations: BTreeMap<String, Dest>,
    #[serde(default)]
    routes: BTreeMap<String, OneOrMany>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Port {
    Number(u16),
    Name(String),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Dest {
    kind: String,
    host: Option<String>,
    port: Option<Port>,
    address: Option<String>,
    bundle: Option<bool>,
    latency: Option<f64>,
    handshake: Option<bool>,
    channel: Option<i64>,
    clock: Option<bool>,
}

/// A MIDI output.
#[derive(Clone, Debug, PartialEq)]
pub struct MidiTarget {
    /// The destination's name (also the name of tactus's own port).
    pub name: String,
    /// ALSA sequencer or JACK.
    pub host: MidiHost,
    /// The port to connect to (a name or part of one); `None`: a port of tactus's own.
    pub port: Option<String>,
    /// The default channel, 0–15.
    pub channel: u8,
    /// Seconds added to every message.
    pub latency: f64,
    /// Send MIDI clock and transport.
    pub clock: bool,
}

fn midi_target(name: &str, d: &Dest) -> Result<MidiTarget> {
    if d.address.is_some() || d.bundle.is_some() || d.handshake.is_some() {
        bail!("destination `{name}`: address, bundle and handshake are OSC settings, not MIDI");
    }
    let host = match &d.host {
        None => MidiHost::Alsa,
        Some(h) => h
            .parse()
            .map_err(|e: String| anyhow::anyhow!("destination `{name}`: {e}"))?,
    };
    let port = match &d.port {
        None => None,
        Some(Port::Name(p)) if !p.trim().is_empty() => Some(p.clone()),
        Some(_) => bail!(
            "destination `{name}`: a MIDI port is a name or part of one, e.g. port = \"FLUID\" (see `tactus midi-ports`)"
        ),
    };
    let channel = d.channel.unwrap_or(1);
    if !(1..=16).contains(&channel) {
        bail!("destination `{name}`: channel must be between 1 and 16, not {channel}");
    }
    let latency = d.latency.unwrap_or(0.0);
    if !(latency.is_finite() && (0.0..=10.0).contains(&latency)) {
        bail!("destination `{name}`: latency must be between 0 and 10 seconds");
    }
    Ok(MidiTarget {
        name: name.to_string(),
        host,
        port,
        channel: (channel - 1) as u8,
        latency,
        clock: d.clock.unwrap_or(false),
    })
}

/// An OSC target.
#[derive(Clone, Debug, PartialEq)]
pub struct OscTarget {
    /// The destination's name.
    pub name: String,
    /// Host name or address.
    pub host: String,
    /// UDP port.
    pub port: u16,
    /// The message address.
    pub address: String,
    /// Send time-tagged bundles.
    pub bundle: bool,
    /// Seconds added to each time-tag.
    pub latency: f64,
    /// Send `/dirt/handshake` at start.
    pub handshake: bool,
}

impl OscTarget {
    /// SuperDirt on its default port, as Tidal targets it.
    pub(crate) fn superdirt(name: &str) -> OscTarget {
        OscTarget {
            name: name.to_string(),
            host: "127.0.0.1".into(),
            port: dirt::DEFAULT_PORT,
            address: "/dirt/play".into(),
            bundle: true,
            latency: dirt::DEFAULT_LATENCY,
            handshake: true,
        }
    }
}

/// A parsed destinations file.
#[derive(Clone, Debug, PartialEq)]
pub struct Destinations {
    /// Channel routes.
    pub routes: Routes,
    /// OSC targets that some route (or any `dest`) may use, by name.
    pub osc: Vec<OscTarget>,
    /// MIDI outputs, by name.
    pub midi: Vec<MidiTarget>,
    /// Destinations the file defines explicitly.
    pub defined: Vec<String>,
}

impl Destinations {
    /// The external destinations to start: those a route names or the file defines (a
    /// destination used only through `# dest` must be defined or routed).
    pub fn active(&self) -> Vec<&str> {
        let mut v = self.routes.named();
        v.extend(self.defined.iter().map(String::as_str));
        v.sort_unstable();
        v.dedup();
        v.retain(|n| *n != SYNTH);
        v
    }
}

impl Default for Destinations {
    fn default() -> Destinations {
        Destinations {
            routes: Routes::default(),
            osc: vec![OscTarget::superdirt(DIRT)],
            midi: Vec::new(),
            defined: Vec::new(),
        }
    }
}

/// The default location of the destinations file.
pub fn default_path() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))?;
    Some(base.join("tactus").join("destinations.toml"))
}

/// Loads `path`, or the default file if it exists, or the defaults.
pub fn load(path: Option<&Path>) -> Result<Destinations> {
    let path = match path {
        Some(p) => p.to_path_buf(),
        None => match default_path().filter(|p| p.is_file()) {
            Some(p) => p,
            None => return Ok(Destinations::default()),
        },
    };
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read destinations file {}", path.display()))?;
    parse(&text).with_context(|| format!("destinations file {}", path.display()))
}

/// Parses a destinations file.
pub fn parse(text: &str) -> Result<Destinations> {
    let f: File = toml::from_str(text)?;
    let mut out = Destinations::default();
    if let Some(d) = f.default {
        out.routes.default = d;
    }
    for (name, d) in f.destinations {
        out.defined.push(name.clone());
        match d.kind.as_str() {
            "osc" => {
                if d.channel.is_some() || d.clock.is_some() {
                    bail!("destination `{name}`: channel and clock are MIDI settings, not OSC");
                }
                let mut t = OscTarget::superdirt(&name);
                if let Some(h) = d.host {
                    t.host = h;
                }
                t.port = match d.port {
                    None => t.port,
                    Some(Port::Number(p)) => p,
                    Some(Port::Name(p)) => {
                        bail!("destination `{name}`: an OSC port is a UDP port number, not `{p}`")
                    }
                };
                t.address = d.address.unwrap_or(t.address);
                t.bundle = d.bundle.unwrap_or(true);
                t.handshake = d.handshake.unwrap_or(t.address == "/dirt/play");
                t.latency = d.latency.unwrap_or(t.latency);
                if !(t.latency.is_finite() && (0.0..=10.0).contains(&t.latency)) {
                    bail!("destination `{name}`: latency must be between 0 and 10 seconds");
                }
                if !t.address.starts_with('/') {
                    bail!("destination `{name}`: an OSC address starts with '/'");
                }
                out.osc.retain(|o| o.name != name);
                out.osc.push(t);
            }
            "midi" => {
                let t = midi_target(&name, &d)?;
                out.osc.retain(|o| o.name != name);
                out.midi.push(t);
            }
            "synth" if name == SYNTH => {}
            other => bail!(
                "destination `{name}`: unknown kind `{other}` (expected osc, midi, or synth for `synth`)"
            ),
        }
    }
    for (ch, dests) in f.routes {
        let dests = match dests {
            OneOrMany::One(d) => vec![d],
            OneOrMany::Many(v) => v,
        };
        out.routes.channels.insert(Routes::channel_id(&ch), dests);
    }
    for name in out.routes.named() {
        if name != SYNTH
            && !out.osc.iter().any(|o| o.name == name)
            && !out.midi.iter().any(|m| m.name == name)
        {
            bail!("route to unknown destination `{name}` (define it under [destinations.{name}])");
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_routes_and_targets() {
        let d = parse(
            "default = []\n[destinations.sc]\nkind = \"osc\"\nport = 57999\nlatency = 0.1\n[routes]\nd1 = \"dirt\"\ndrums = [\"sc\", \"synth\"]\n",
        )
        .unwrap();
        assert!(d.routes.default.is_empty());
        assert_eq!(d.routes.of("1"), ["dirt"]);
        assert_eq!(d.routes.of("drums"), ["sc", "synth"]);
        let sc = d.osc.iter().find(|o| o.name == "sc").unwrap();
        assert_eq!((sc.port, sc.latency, sc.bundle), (57999, 0.1, true));
        assert!(parse("[routes]\nd1 = [\"nowhere\"]\n").is_err());
        assert!(parse("[destinations.x]\nkind = \"tape\"\n").is_err());
    }

    #[test]
    fn parses_midi_destinations() {
        let d = parse(
            "[destinations.keys]\nkind = \"midi\"\nhost = \"jack\"\nport = \"fluid\"\nchannel = 10\nlatency = 0.05\nclock = true\n[destinations.dirt]\nkind = \"midi\"\n[routes]\nd1 = \"keys\"\nd2 = \"dirt\"\n",
        )
        .unwrap();
        let keys = d.midi.iter().find(|m| m.name == "keys").unwrap();
        assert_eq!(
            (
                keys.host,
                keys.port.as_deref(),
                keys.channel,
                keys.latency,
                keys.clock
            ),
            (MidiHost::Jack, Some("fluid"), 9, 0.05, true)
        );
        // `dirt` redefined as MIDI is no longer an OSC target
        assert!(d.osc.iter().all(|o| o.name != "dirt"));
        let plain = d.midi.iter().find(|m| m.name == "dirt").unwrap();
        assert_eq!(
            (plain.host, plain.port.as_ref(), plain.channel),
            (MidiHost::Alsa, None, 0)
        );
        for (bad, says) in [
            ("channel = 0", "channel must be between 1 and 16"),
            ("channel = 17", "channel must be between 1 and 16"),
            ("host = \"coreaudio\"", "unknown MIDI host"),
            ("port = 5", "a MIDI port is a name"),
            ("latency = -1", "latency must be"),
            ("address = \"/x\"", "OSC settings"),
        ] {
            let e = parse(&format!("[destinations.m]\nkind = \"midi\"\n{bad}\n"))
                .err()
                .unwrap_or_else(|| panic!("{bad} was accepted"));
            assert!(format!("{e:#}").contains(says), "{bad}: {e:#}");
        }
        let e = parse("[destinations.o]\nkind = \"osc\"\nport = \"x\"\n").unwrap_err();
        assert!(format!("{e:#}").contains("UDP port number"), "{e:#}");
    }
}
