//! MIDI out through JACK, with the `jack` crate: a port `tactus:NAME` whose process
//! callback writes each message at its exact frame.
//!
//! [`JackMidiOut::send_at`] turns the message's time into microseconds on JACK's clock and
//! hands it to the process callback over a lock-free ring. The callback places every message
//! due in the current cycle at its frame through JACK's own mapping for that cycle
//! ([`jack::ProcessScope::cycle_times`]: the cycle's first frame, its start and the next
//! cycle's start in microseconds, filtered by JACK's delay-locked loop), and keeps later
//! ones for later cycles. This is the mapping JACK documents for the purpose, read for the
//! cycle that plays the message rather than when the message was queued (up to the lead
//! earlier), so a change of the mapping in between (an xrun, when the server's frame clock
//! loses time against the wall clock) is already taken into account. With a real device the
//! mapping follows the device's clock closely; with `jackd -d dummy` on a machine that
//! stalls it can be tens of milliseconds off for seconds, and any JACK client placing
//! messages by time is off with it.
//! Messages are handed over [`MidiOut::lead`] ahead (two periods plus 20 ms), so a stalled
//! sending thread (a busy machine, a virtual CPU that the host paused) does not make them
//! late. A message that is late anyway is written at the start of the cycle, never dropped.
//! The callback never allocates, locks or blocks.

use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::Arc;
use std::time::{Duration, Instant};

use jack::{
    contrib::ClosureProcessHandler, AsyncClient, Client, ClientOptions, Control, PortFlags,
    ProcessScope, RawMidi,
};

use super::{find_port, MidiError, MidiHost, MidiMessage, MidiOut};

/// JACK's MIDI port type.
const MIDI_TYPE: &str = "8 bit raw midi";

/// Messages that can wait in the ring for the process callback.
const RING: usize = 4096;

/// A message and its time in microseconds on JACK's clock.
#[derive(Clone, Copy, Debug, Default)]
struct Timed {
    at_us: u64,
    bytes: [u8; 3],
    len: u8,
}

/// How far ahead of their time messages are handed to the process callback, beyond two
/// periods.
const LEAD_MARGIN: Duration = Duration::from_millis(20);

/// JACK's mapping of one cycle: its first frame's time and the next cycle's, in µs.
#[derive(Clone, Copy, Debug, PartialEq)]
struct CycleMap {
    start_us: u64,
    next_us: u64,
    frames: u32,
}

/// `Timed::at_us` of a message to send as soon as possible (never counted as late).
const AT_ONCE: u64 = 0;

impl CycleMap {
    /// The offset in this cycle of a message at `at_us`: `None` when it belongs to a later
    /// cycle; 0 when it is late.
    fn offset(&self, at_us: u64) -> Option<u32> {
        if at_us < self.start_us {
            return Some(0);
        }
        let span = self.next_us.saturating_sub(self.start_us).max(1) as f64;
        let offset = ((at_us - self.start_us) as f64 * f64::from(self.frames) / span).round();
        (offset < f64::from(self.frames)).then_some(offset as u32)
    }

    /// True when a message at `at_us` should have gone out in an earlier cycle (by more than
    /// a frame's rounding).
    fn is_late(&self, at_us: u64) -> bool {
        let frame_us = self.next_us.saturating_sub(self.start_us) / u64::from(self.frames.max(1));
        at_us != AT_ONCE && at_us + frame_us < self.start_us
    }
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
    /// Messages the process callback got after their time.
    late: Arc<AtomicU64>,
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
        let late = Arc::new(AtomicU64::new(0));
        let late_in_callback = late.clone();
        let process: ProcessFn = Box::new(move |c: &Client, ps: &ProcessScope| {
            let n = ps.n_frames();
            let map = match ps.cycle_times() {
                Ok(t) => CycleMap {
                    start_us: t.current_usecs,
                    next_us: t.next_usecs,
                    frames: n,
                },
                // (a server without jack_get_cycle_times: the same mapping, asked twice)
                Err(_) => {
                    let start = ps.last_frame_time();
                    CycleMap {
                        start_us: c.frames_to_time(start),
                        next_us: c.frames_to_time(start.wrapping_add(n)),
                        frames: n,
                    }
                }
            };
            let mut w = port.writer(ps);
            let mut least = 0u32;
            while let Ok(ev) = rx.peek() {
                let Some(offset) = map.offset(ev.at_us) else {
                    break;
                };
                if map.is_late(ev.at_us) {
                    late_in_callback.fetch_add(1, Relaxed);
                }
                let offset = offset.max(least).min(n.saturating_sub(1));
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
        Ok(JackMidiOut {
            client,
            ring,
            period,
            late,
            port_name,
        })
    }

    fn push(&mut self, msg: MidiMessage, at_us: u64) -> Result<(), String> {
        let b = msg.bytes();
        let s = b.as_slice();
        let mut bytes = [0u8; 3];
        bytes[..s.len()].copy_from_slice(s);
        self.ring
            .push(Timed {
                at_us,
                bytes,
                len: s.len() as u8,
            })
            .map_err(|_| "the JACK MIDI queue is full".to_string())
    }

    /// `at` in microseconds on JACK's clock.
    fn jack_us(&self, at: Instant) -> u64 {
        let (now, now_us) = (Instant::now(), self.client.as_client().time());
        if at >= now {
            now_us + (at - now).as_micros() as u64
        } else {
            now_us.saturating_sub((now - at).as_micros() as u64)
        }
    }
}

impl MidiOut for JackMidiOut {
    fn send(&mut self, msg: MidiMessage) -> Result<(), String> {
        self.push(msg, AT_ONCE)
    }

    fn send_at(&mut self, msg: MidiMessage, at: Instant) -> Result<(), String> {
        let at = self.jack_us(at);
        self.push(msg, at)
    }

    fn lead(&self) -> Duration {
        self.period * 2 + LEAD_MARGIN
    }

    fn late(&self) -> u64 {
        self.late.load(Relaxed)
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

#[cfg(test)]
mod tests {
    use super::CycleMap;

    /// A 128-frame cycle at 48 kHz starting at 1 s.
    const MAP: CycleMap = CycleMap {
        start_us: 1_000_000,
        next_us: 1_002_667,
        frames: 128,
    };

    #[test]
    fn a_message_lands_at_its_frame_in_the_cycle() {
        assert_eq!(MAP.offset(1_000_000), Some(0));
        // 1 ms in: 48 frames (scaled by JACK's measured cycle length, 2667 µs for 128)
        assert_eq!(MAP.offset(1_001_000), Some(48));
        assert_eq!(MAP.offset(1_002_640), Some(127));
    }

    #[test]
    fn later_messages_wait_and_late_ones_go_first() {
        assert_eq!(MAP.offset(1_002_667), None);
        // closer to the next cycle's first frame than to this cycle's last
        assert_eq!(MAP.offset(1_002_660), None);
        assert_eq!(MAP.offset(5_000_000), None);
        assert_eq!(MAP.offset(999_000), Some(0));
        assert!(MAP.is_late(999_000));
        // within a frame of the cycle's start: rounding, not lateness
        assert!(!MAP.is_late(999_990));
        assert!(!MAP.is_late(1_001_000));
        // a message sent at once goes first and is not late
        assert_eq!(MAP.offset(super::AT_ONCE), Some(0));
        assert!(!MAP.is_late(super::AT_ONCE));
    }

    #[test]
    fn the_cycle_length_comes_from_jack_not_the_nominal_rate() {
        // after an xrun JACK may measure a longer cycle: offsets scale with it
        let slow = CycleMap {
            next_us: 1_005_334,
            ..MAP
        };
        assert_eq!(slow.offset(1_002_667), Some(64));
    }
}
