//! MIDI out through JACK, with the `jack` crate: a port `tactus:NAME` whose process
//! callback writes each message at its exact frame.
//!
//! [`JackMidiOut::send_at`] turns the message's wall-clock time into a JACK frame (through
//! JACK's own time/frame mapping, smoothed by a [`FrameClock`] so that jittery cycle
//! wake-ups do not move messages) and hands it to the process callback over a lock-free
//! ring; the callback writes every message due in the current cycle at its offset and keeps
//! later ones for later cycles. Messages are handed over [`MidiOut::lead`] ahead (two
//! periods plus 5 ms), so a late wake-up of the sending thread does not move them. The
//! callback never allocates, locks or blocks.

use std::time::{Duration, Instant};

use jack::{
    contrib::ClosureProcessHandler, AsyncClient, Client, ClientOptions, Control, PortFlags,
    ProcessScope, RawMidi,
};

use super::frameclock::FrameClock;
use super::{find_port, MidiError, MidiHost, MidiMessage, MidiOut};

/// JACK's MIDI port type.
const MIDI_TYPE: &str = "8 bit raw midi";

/// Messages that can wait in the ring for the process callback.
const RING: usize = 4096;

#[derive(Clone, Copy, Debug, Default)]
struct Timed {
    frame: u32,
    bytes: [u8; 3],
    len: u8,
}

fn connect(name: &str) -> Result<Client, MidiError> {
    jack::set_logger(jack::LoggerType::None);
    Client::new(name, ClientOptions::NO_START_SERVER)
        .map(|(c, _)| c)
        .map_err(|e| MidiError::NoJackServer(e.to_string()))
}

fn inputs(client: &Client) -> Vec<String> {
    client.ports(None, Some(MIDI_TYPE), PortFlags::IS_INPUT)
}

/// The JACK MIDI inputs MIDI can be sent to.
pub fn list() -> Result<Vec<String>, MidiError> {
    let c = connect("tactus-list")?;
    Ok(inputs(&c))
}

type ProcessFn = Box<dyn FnMut(&Client, &ProcessScope) -> Control + Send>;
type Process = ClosureProcessHandler<(), ProcessFn>;

/// A JACK MIDI output port.
pub struct JackMidiOut {
    client: AsyncClient<(), Process>,
    ring: rtrb::Producer<Timed>,
    period: Duration,
    clock: FrameClock,
    /// The port's full name (`tactus:NAME`).
    pub port_name: String,
}

impl JackMidiOut {
    /// Registers `tactus:NAME` (the client may be renamed by JACK if `tactus` is taken) and
    /// connects it to the input `pattern` names ([`find_port`]), if any.
    pub fn open(name: &str, pattern: Option<&str>) -> Result<JackMidiOut, MidiError> {
        let client = connect("tactus")?;
        let backend = |e: jack::Error| MidiError::Backend(format!("JACK: {e}"));
        let mut port = client
            .register_port(name, jack::MidiOut::default())
            .map_err(backend)?;
        let port_name = port.name().map_err(backend)?;
        let period = Duration::from_secs_f64(
            f64::from(client.buffer_size()) / f64::from(client.sample_rate().max(1)),
        );
        let target = match pattern {
            None => None,
            Some(p) => {
                let names = inputs(&client);
                match find_port(&names, p) {
                    Some(i) => Some(names[i].clone()),
                    None => {
                        return Err(MidiError::NoPort {
                            host: MidiHost::Jack,
                            pattern: p.to_string(),
                            available: names,
                        })
                    }
                }
            }
        };
        let (ring, mut rx) = rtrb::RingBuffer::<Timed>::new(RING);
        let process: ProcessFn = Box::new(move |_: &Client, ps: &ProcessScope| {
            let start = ps.last_frame_time();
            let n = ps.n_frames();
            let mut w = port.writer(ps);
            let mut least = 0u32;
            while let Ok(ev) = rx.peek() {
                // frames wrap after about a day; compare as a signed difference
                let rel = ev.frame.wrapping_sub(start) as i32;
                if rel >= n as i32 {
                    break;
                }
                let offset = (rel.max(0) as u32).max(least).min(n.saturating_sub(1));
                let len = usize::from(ev.len).min(3);
                let bytes = ev.bytes;
                let _ = w.write(&RawMidi {
                    time: offset,
                    bytes: &bytes[..len],
                });
                least = offset;
                let _ = rx.pop();
            }
            Control::Continue
        });
        let client = client
            .activate_async((), ClosureProcessHandler::new(process))
            .map_err(backend)?;
        if let Some(t) = target {
            client
                .as_client()
                .connect_ports_by_name(&port_name, &t)
                .map_err(|e| {
                    MidiError::Backend(format!("cannot connect {port_name} to {t}: {e}"))
                })?;
        }
        let clock = FrameClock::new(f64::from(client.as_client().sample_rate()));
        Ok(JackMidiOut {
            client,
            ring,
            period,
            clock,
            port_name,
        })
    }

    fn push(&mut self, msg: MidiMessage, frame: u32) -> Result<(), String> {
        let b = msg.bytes();
        let s = b.as_slice();
        let mut bytes = [0u8; 3];
        bytes[..s.len()].copy_from_slice(s);
        self.ring
            .push(Timed {
                frame,
                bytes,
                len: s.len() as u8,
            })
            .map_err(|_| "the JACK MIDI queue is full".to_string())
    }

    fn frame_at(&mut self, at: Instant) -> u32 {
        let c = self.client.as_client();
        let (now, now_us) = (Instant::now(), c.time());
        let us = if at >= now {
            now_us + (at - now).as_micros() as u64
        } else {
            now_us.saturating_sub((now - at).as_micros() as u64)
        };
        self.clock.frame_at(now_us, c.time_to_frames(now_us), us)
    }
}

impl MidiOut for JackMidiOut {
    fn send(&mut self, msg: MidiMessage) -> Result<(), String> {
        let f = self.frame_at(Instant::now());
        self.push(msg, f)
    }

    fn send_at(&mut self, msg: MidiMessage, at: Instant) -> Result<(), String> {
        let f = self.frame_at(at);
        self.push(msg, f)
    }

    fn lead(&self) -> Duration {
        self.period * 2 + Duration::from_millis(5)
    }
}

impl Drop for JackMidiOut {
    fn drop(&mut self) {
        // let the process callback write what is queued (all-notes-off at a stop) before
        // the client goes away; bounded by the queued messages' times plus a few periods
        let limit = Instant::now() + self.lead() + Duration::from_millis(200);
        while self.ring.slots() < RING && Instant::now() < limit {
            std::thread::sleep(Duration::from_millis(1));
        }
        std::thread::sleep(self.period * 2);
    }
}
