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
//! [routes]                     # channel = destinations; `d1` (or "1") and p "name" channels
//! d1 = ["dirt"]
//! d2 = ["synth", "dirt"]
//! ```
//!
//! In a pattern, `# dest "dirt"` sends an event to `dirt` only, whatever its channel's
//! route; `# dest "[dirt,synth]"` to both.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context as _, Result};
use serde::Deserialize;
use tactus_engine::outputs::routing::SYNTH;
use tactus_engine::outputs::Routes;
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
#[serde(deny_unknown_fields)]
struct Dest {
    kind: String,
    host: Option<String>,
    port: Option<u16>,
    address: Option<String>,
    bundle: Option<bool>,
    latency: Option<f64>,
    handshake: Option<bool>,
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
                let mut t = OscTarget::superdirt(&name);
                if let Some(h) = d.host {
                    t.host = h;
                }
                t.port = d.port.unwrap_or(t.port);
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
            "synth" if name == SYNTH => {}
            other => bail!(
                "destination `{name}`: unknown kind `{other}` (expected osc, or synth for `synth`)"
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
        if name != SYNTH && !out.osc.iter().any(|o| o.name == name) {
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
}
