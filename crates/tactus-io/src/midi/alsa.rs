//! MIDI out through the ALSA sequencer, with midir. Messages go out when sent (the caller's
//! timed queue sends each at its time); the sequencer delivers them at once.

use std::path::Path;

use midir::os::unix::VirtualOutput;
use midir::{MidiOutput, MidiOutputConnection};

use super::{find_port, MidiError, MidiHost, MidiMessage, MidiOut};

/// The ALSA sequencer device.
const SEQ_DEVICE: &str = "/dev/snd/seq";

fn client() -> Result<MidiOutput, MidiError> {
    // checked first: without the device, ALSA's own error text would go to stderr
    if !Path::new(SEQ_DEVICE).exists() {
        return Err(MidiError::NoSequencer(format!(
            "{SEQ_DEVICE} does not exist"
        )));
    }
    MidiOutput::new("tactus").map_err(|e| MidiError::NoSequencer(e.to_string()))
}

/// The sequencer ports MIDI can be sent to, as `client:port` names.
pub fn list() -> Result<Vec<String>, MidiError> {
    let out = client()?;
    Ok(out
        .ports()
        .iter()
        .filter_map(|p| out.port_name(p).ok())
        .collect())
}

/// An output connected to one sequencer port (or a virtual port of its own).
pub struct AlsaMidiOut {
    conn: MidiOutputConnection,
}

impl AlsaMidiOut {
    /// Connects to the port `pattern` names ([`find_port`]), or opens a virtual port `name`.
    pub fn open(name: &str, pattern: Option<&str>) -> Result<AlsaMidiOut, MidiError> {
        let out = client()?;
        let conn = match pattern {
            None => out
                .create_virtual(name)
                .map_err(|e| MidiError::Backend(format!("cannot create ALSA port {name}: {e}")))?,
            Some(pattern) => {
                let ports = out.ports();
                let names: Vec<String> = ports
                    .iter()
                    .map(|p| out.port_name(p).unwrap_or_default())
                    .collect();
                let Some(i) = find_port(&names, pattern) else {
                    return Err(MidiError::NoPort {
                        host: MidiHost::Alsa,
                        pattern: pattern.to_string(),
                        available: names,
                    });
                };
                out.connect(&ports[i], name).map_err(|e| {
                    MidiError::Backend(format!("cannot connect to ALSA port {}: {e}", names[i]))
                })?
            }
        };
        Ok(AlsaMidiOut { conn })
    }
}

impl MidiOut for AlsaMidiOut {
    fn send(&mut self, msg: MidiMessage) -> Result<(), String> {
        self.conn
            .send(msg.bytes().as_slice())
            .map_err(|e| e.to_string())
    }
}
