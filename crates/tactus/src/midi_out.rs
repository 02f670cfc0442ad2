//! MIDI for `tactus play` and `tactus midi-ports`: [`MidiSink`], the engine sink that plans
//! each event with a [`MidiPlan`] and sends its messages from the output thread's timed
//! queue at their planned time, and the port listing.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Result;
use clap::Args;
use tactus_engine::outputs::{OutputEvent, Sink, Tempo};
use tactus_io::midi::plan::MidiPlan;
use tactus_io::midi::{self, MidiHost, MidiOut};
use tactus_pattern::Time;

use crate::destinations::MidiTarget;

/// Sends events to a MIDI output at their planned time (see [`tactus_io::midi::plan`]).
pub struct MidiSink {
    plan: MidiPlan,
    out: Box<dyn MidiOut>,
    origin: Instant,
    channel: u8,
    clock: bool,
    lead: Duration,
    stopped: bool,
    /// Messages the output refused.
    pub errors: u64,
}

impl MidiSink {
    /// A sink for `target` sending through `out`; `origin` is the instant of engine frame 0
    /// and `audio_latency` the audio output's latency (added to the target's own).
    pub fn new(
        target: &MidiTarget,
        out: Box<dyn MidiOut>,
        origin: Instant,
        audio_latency: f64,
    ) -> MidiSink {
        let lead = out.lead();
        MidiSink {
            plan: MidiPlan::new(audio_latency + target.latency),
            out,
            origin,
            channel: target.channel,
            clock: target.clock,
            lead,
            stopped: false,
            errors: 0,
        }
    }

    fn instant(&self, seconds: f64) -> Instant {
        self.origin + Duration::from_secs_f64(seconds.max(0.0))
    }
}

impl Sink for MidiSink {
    fn send(&mut self, ev: &OutputEvent) {
        self.stopped = false;
        self.plan
            .note(&ev.controls, ev.seconds, ev.delta, self.channel);
    }

    fn advance(&mut self, from: Time, to: Time, tempo: Tempo) {
        if self.clock {
            self.stopped = false;
            self.plan.clock_window(from, to, |c| tempo.seconds_at(c));
        }
    }

    fn silence(&mut self, at_seconds: f64) {
        self.plan.silence_at(at_seconds);
    }

    fn next_deadline(&self) -> Option<Instant> {
        let t = self.instant(self.plan.next_time()?);
        Some(t.checked_sub(self.lead).unwrap_or(t))
    }

    fn poll(&mut self, now: Instant) {
        // 1 µs of slack: the deadline went through an Instant and back
        let until = (now + self.lead)
            .saturating_duration_since(self.origin)
            .as_secs_f64()
            + 1e-6;
        let (origin, out, errors) = (self.origin, &mut self.out, &mut self.errors);
        self.plan.pop_due(until, |t, msg| {
            let at = origin + Duration::from_secs_f64(t.max(0.0));
            if out.send_at(msg, at).is_err() {
                *errors += 1;
            }
        });
    }

    fn stop(&mut self) {
        for msg in self.plan.stop_now() {
            if self.out.send(msg).is_err() {
                self.errors += 1;
            }
        }
        self.stopped = true;
    }
}

impl Drop for MidiSink {
    /// A sink dropped without a stop (a panic unwinding the output thread) still releases
    /// its notes.
    fn drop(&mut self) {
        if !self.stopped {
            self.stop();
        }
    }
}

/// Opens the output of `target`.
pub fn open(target: &MidiTarget) -> Result<Box<dyn MidiOut>> {
    midi::open(target.host, &target.name, target.port.as_deref())
        .map_err(|e| anyhow::anyhow!("MIDI destination `{}`: {e}", target.name))
}

/// Arguments of `tactus midi-ports`.
#[derive(Args)]
pub struct MidiPortsArgs {
    /// alsa (the ALSA sequencer, default) or jack (a running JACK server).
    #[arg(long, default_value = "alsa")]
    host: MidiHost,
}

/// Exit code when the MIDI system cannot be reached.
const NO_MIDI: u8 = 3;

/// Runs `tactus midi-ports`: the ports MIDI can be sent to.
pub fn ports(a: MidiPortsArgs) -> Result<ExitCode> {
    match midi::list_ports(a.host) {
        Ok(ports) => {
            println!("{} MIDI ports:", a.host);
            if ports.is_empty() {
                println!("  (none)");
            }
            for p in ports {
                println!("  {p}");
            }
            println!(
                "use one in a destinations file: [destinations.NAME] kind = \"midi\", host = \"{}\", port = \"PART OF ITS NAME\"",
                a.host
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            eprintln!("error: {e}");
            Ok(ExitCode::from(NO_MIDI))
        }
    }
}
