//! Starting the external outputs of `tactus play`: one [`OscSink`] per OSC destination and
//! one [`MidiSink`] per MIDI destination that any route or `dest` may use, each on an
//! engine [`OutputThread`] that follows the audio clock.

use std::collections::VecDeque;
use std::time::{Duration, Instant, SystemTime};

use anyhow::{Context as _, Result};

use tactus_engine::clock::ClockShare;
use tactus_engine::outputs::scheduler::OutputConfig;
use tactus_engine::outputs::{OutputEvent, OutputScheduler, OutputThread, Sink};
use tactus_engine::realtime::Metrics;
use tactus_io::midi::MidiOut;
use tactus_io::osc::dirt::{self, DirtEvent};
use tactus_io::osc::udp::UdpOut;
use tactus_io::osc::{OscOut, OscPacket, TimeTag};
use tactus_lang::program::Program;

use crate::destinations::{Destinations, MidiTarget, OscTarget};
use crate::midi_out::{self, MidiSink};

/// Sends each event as SuperDirt's `/dirt/play` (or the target's address) to a UDP target.
///
/// Events arrive ahead of their onset; each packet is built then and queued, and goes out
/// at its planned moment ([`Sink::next_deadline`], [`Sink::poll`] on the output thread):
/// a time-tagged bundle at its onset (the tag says onset + nudge + latency, so it arrives a
/// latency early), a bare message at onset + latency (it plays on arrival).
pub struct OscSink {
    target: OscTarget,
    out: UdpOut,
    origin: TimeTag,
    instant: Instant,
    queue: VecDeque<(Instant, OscPacket)>,
    send_log: Option<SendLog>,
    /// Sends that failed (nobody listening is not an error for UDP).
    pub errors: u64,
}

impl OscSink {
    /// A sink for `target`; `system` and `instant` are engine frame 0 on the wall clock
    /// (for time-tags) and on the monotonic clock (for send times).
    pub fn new(
        target: OscTarget,
        system: SystemTime,
        instant: Instant,
    ) -> std::io::Result<OscSink> {
        let mut out = UdpOut::new(&target.host, target.port)?;
        if target.handshake {
            let _ = out.send(&dirt::handshake());
        }
        Ok(OscSink {
            target,
            out,
            origin: TimeTag::from_system(system),
            instant,
            queue: VecDeque::new(),
            send_log: None,
            errors: 0,
        })
    }

    /// Notes (planned, actual) send times of every packet in `log` (for benchmarks).
    pub fn with_send_log(mut self, log: SendLog) -> OscSink {
        self.send_log = Some(log);
        self
    }
}

/// Where an [`OscSink`] notes (planned, actual) send times.
pub type SendLog = std::sync::Arc<std::sync::Mutex<Vec<(Instant, Instant)>>>;

impl Sink for OscSink {
    fn send(&mut self, ev: &OutputEvent) {
        let d = DirtEvent {
            id: &ev.channel,
            cps: ev.cps,
            cycle: ev.cycle.to_f64(),
            delta: ev.delta,
            controls: &ev.controls,
        };
        let t = &self.target;
        // the tag is origin + onset + nudge + latency rounded once to 2^-32 s (rounding the
        // onset and the latency separately would be up to one unit off the exact plan)
        let offset = ev.seconds + t.latency;
        if let Some(p) = dirt::play_packet(&t.address, &d, self.origin, offset, t.bundle) {
            let at = ev.seconds + if t.bundle { 0.0 } else { t.latency };
            let due = self.instant + Duration::from_secs_f64(at.max(0.0));
            // events come in onset order; keep the queue sorted anyway
            let i = self.queue.partition_point(|(d, _)| *d <= due);
            self.queue.insert(i, (due, p));
        }
    }

    fn tick(&mut self, _now: f64) {
        // replies (/dirt/hello) are read and dropped; malformed ones are ignored
        let _ = self.out.replies();
    }

    fn next_deadline(&self) -> Option<Instant> {
        self.queue.front().map(|(d, _)| *d)
    }

    fn poll(&mut self, now: Instant) {
        while self.queue.front().is_some_and(|(d, _)| *d <= now) {
            let Some((due, p)) = self.queue.pop_front() else {
                break;
            };
            if self.out.send(&p).is_err() {
                self.errors += 1;
            }
            if let Some(log) = &self.send_log {
                if let Ok(mut l) = log.lock() {
                    l.push((due, Instant::now()));
                }
            }
        }
    }

    fn stop(&mut self) {
        self.queue.clear();
    }
}

/// The MIDI outputs of the active MIDI destinations, opened (before the audio starts, so
/// the first events are not late while a port is being connected).
pub struct OpenMidi(Vec<(MidiTarget, Box<dyn MidiOut>)>);

impl OpenMidi {
    /// Opens every MIDI destination that a route names or the file defines.
    pub fn open(dest: &Destinations) -> Result<OpenMidi> {
        let active = dest.active();
        let mut v = Vec::new();
        for t in &dest.midi {
            if active.contains(&t.name.as_str()) {
                v.push((t.clone(), midi_out::open(t)?));
            }
        }
        Ok(OpenMidi(v))
    }
}

/// Where engine frame 0 is in real time, and how late the audio is heard.
#[derive(Clone, Copy, Debug)]
pub struct Origin {
    /// The wall-clock time of engine frame 0 (for OSC time-tags).
    pub system: SystemTime,
    /// The same moment on the monotonic clock (for MIDI's timed queue).
    pub instant: Instant,
    /// Seconds from rendering a frame to hearing it (the device buffer; 0 without audio).
    pub audio_latency: f64,
}

/// The program each OSC destination plays, and the thread that plays them.
pub struct Outputs {
    threads: Vec<(String, OutputThread)>,
    dest: Destinations,
}

impl Outputs {
    /// Starts one output thread per OSC destination that a route names or the file defines
    /// ([`Destinations::active`]) and one per opened MIDI output. MIDI goes out the audio's
    /// latency ([`Origin::audio_latency`]) after its engine time (plus the destination's
    /// latency), in step with the audio output.
    /// With `follow` (the synth scheduler's clock when it follows a Link session), every
    /// destination takes its tempo and phase from that clock.
    pub fn start(
        dest: &Destinations,
        program: &Program,
        sample_rate: u32,
        metrics: std::sync::Arc<Metrics>,
        origin: Origin,
        midi: OpenMidi,
        follow: Option<std::sync::Arc<ClockShare>>,
    ) -> Result<Outputs> {
        let mut threads = Vec::new();
        let active = dest.active();
        for t in &dest.osc {
            if !active.contains(&t.name.as_str()) {
                continue;
            }
            let sink = OscSink::new(t.clone(), origin.system, origin.instant)?;
            let config = OutputConfig::new(sample_rate);
            let mut sched = OutputScheduler::new(
                dest.routes.program_for(program, &t.name),
                config,
                vec![Box::new(sink)],
            );
            if let Some(share) = &follow {
                sched.follow_clock(share.clone());
            }
            let th = OutputThread::spawn(sched, metrics.clone(), Duration::from_millis(5))?;
            threads.push((t.name.clone(), th));
        }
        for (t, out) in midi.0 {
            let mut config = OutputConfig::new(sample_rate);
            // events reach the sink before the output wants them (JACK: two periods ahead)
            config.lookahead += out.lead().as_secs_f64();
            let sink = MidiSink::new(&t, out, origin.instant, origin.audio_latency);
            let mut sched = OutputScheduler::new(
                dest.routes.program_for(program, &t.name),
                config,
                vec![Box::new(sink)],
            );
            if let Some(share) = &follow {
                sched.follow_clock(share.clone());
            }
            let th = OutputThread::spawn(sched, metrics.clone(), Duration::from_millis(5))
                .context("cannot start a MIDI output thread")?;
            threads.push((t.name.clone(), th));
        }
        Ok(Outputs {
            threads,
            dest: dest.clone(),
        })
    }

    /// Names of the running destinations.
    pub fn names(&self) -> Vec<&str> {
        self.threads.iter().map(|(n, _)| n.as_str()).collect()
    }

    /// Hands an edited program to every destination.
    pub fn submit(&self, program: &Program, apply: tactus_engine::realtime::Apply) {
        for (name, th) in &self.threads {
            th.submit(self.dest.routes.program_for(program, name), apply);
        }
    }

    /// Warnings from every destination.
    pub fn take_warnings(&self) -> Vec<String> {
        self.threads
            .iter()
            .flat_map(|(n, t)| {
                t.take_warnings()
                    .into_iter()
                    .map(move |w| format!("{n}: {w}"))
            })
            .collect()
    }

    /// Stops every destination.
    pub fn stop(self) {
        for (_, t) in self.threads {
            let _ = t.stop();
        }
    }
}
