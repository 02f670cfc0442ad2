//! Starting the external outputs of `tactus play`: one [`OscSink`] per OSC destination and
//! one [`MidiSink`] per MIDI destination that any route or `dest` may use, each on an
//! engine [`OutputThread`] that follows the audio clock.

use std::time::{Duration, Instant, SystemTime};

use anyhow::{Context as _, Result};

use tactus_engine::outputs::scheduler::OutputConfig;
use tactus_engine::outputs::{OutputEvent, OutputScheduler, OutputThread, Sink};
use tactus_engine::realtime::Metrics;
use tactus_io::midi::MidiOut;
use tactus_io::osc::dirt::{self, DirtEvent};
use tactus_io::osc::udp::UdpOut;
use tactus_io::osc::{OscOut, TimeTag};
use tactus_lang::program::Program;

use crate::destinations::{Destinations, MidiTarget, OscTarget};
use crate::midi_out::{self, MidiSink};

/// Sends each event as SuperDirt's `/dirt/play` (or the target's address) to a UDP target.
pub struct OscSink {
    target: OscTarget,
    out: UdpOut,
    origin: TimeTag,
    /// Sends that failed (nobody listening is not an error for UDP).
    pub errors: u64,
}

impl OscSink {
    /// A sink for `target`; `origin` is the wall-clock time of engine frame 0.
    pub fn new(target: OscTarget, origin: SystemTime) -> std::io::Result<OscSink> {
        let mut out = UdpOut::new(&target.host, target.port)?;
        if target.handshake {
            let _ = out.send(&dirt::handshake());
        }
        Ok(OscSink {
            target,
            out,
            origin: TimeTag::from_system(origin),
            errors: 0,
        })
    }
}

impl Sink for OscSink {
    fn send(&mut self, ev: &OutputEvent) {
        let d = DirtEvent {
            id: &ev.channel,
            cps: ev.cps,
            cycle: ev.cycle.to_f64(),
            delta: ev.delta,
            controls: &ev.controls,
        };
        let onset = self.origin.add_seconds(ev.seconds);
        let t = &self.target;
        if let Some(p) = dirt::play_packet(&t.address, &d, onset, t.latency, t.bundle) {
            if self.out.send(&p).is_err() {
                self.errors += 1;
            }
        }
    }

    fn tick(&mut self, _now: f64) {
        // replies (/dirt/hello) are read and dropped; malformed ones are ignored
        let _ = self.out.replies();
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
    pub fn start(
        dest: &Destinations,
        program: &Program,
        sample_rate: u32,
        metrics: std::sync::Arc<Metrics>,
        origin: Origin,
        midi: OpenMidi,
    ) -> Result<Outputs> {
        let mut threads = Vec::new();
        let active = dest.active();
        for t in &dest.osc {
            if !active.contains(&t.name.as_str()) {
                continue;
            }
            let sink = OscSink::new(t.clone(), origin.system)?;
            let config = OutputConfig::new(sample_rate);
            let sched = OutputScheduler::new(
                dest.routes.program_for(program, &t.name),
                config,
                vec![Box::new(sink)],
            );
            let th = OutputThread::spawn(sched, metrics.clone(), Duration::from_millis(5))?;
            threads.push((t.name.clone(), th));
        }
        for (t, out) in midi.0 {
            let mut config = OutputConfig::new(sample_rate);
            // events reach the sink before the output wants them (JACK: two periods ahead)
            config.lookahead += out.lead().as_secs_f64();
            let sink = MidiSink::new(&t, out, origin.instant, origin.audio_latency);
            let sched = OutputScheduler::new(
                dest.routes.program_for(program, &t.name),
                config,
                vec![Box::new(sink)],
            );
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
