//! Starting the external outputs of `tactus play`: one [`OscSink`] per OSC destination that
//! any route or `dest` may use, on an engine [`OutputThread`] that follows the audio clock.

use std::time::{Duration, SystemTime};

use tactus_engine::clock::ClockShare;
use tactus_engine::outputs::scheduler::OutputConfig;
use tactus_engine::outputs::{OutputEvent, OutputScheduler, OutputThread, Sink};
use tactus_engine::realtime::Metrics;
use tactus_io::osc::dirt::{self, DirtEvent};
use tactus_io::osc::udp::UdpOut;
use tactus_io::osc::{OscOut, TimeTag};
use tactus_lang::program::Program;

use crate::destinations::{Destinations, OscTarget};

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
        let t = &self.target;
        // the tag is origin + onset + nudge + latency rounded once to 2^-32 s (rounding the
        // onset and the latency separately would be up to one unit off the exact plan)
        let offset = ev.seconds + t.latency;
        if let Some(p) = dirt::play_packet(&t.address, &d, self.origin, offset, t.bundle) {
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

/// The program each OSC destination plays, and the thread that plays them.
pub struct Outputs {
    threads: Vec<(String, OutputThread)>,
    dest: Destinations,
}

impl Outputs {
    /// Starts one output thread per OSC destination that a route names or the file defines
    /// ([`Destinations::active`]). `origin` is the wall-clock time of engine frame 0. With
    /// `follow` (the synth scheduler's clock when it follows a Link session), every
    /// destination takes its tempo and phase from that clock.
    pub fn start(
        dest: &Destinations,
        program: &Program,
        sample_rate: u32,
        metrics: std::sync::Arc<Metrics>,
        origin: SystemTime,
        follow: Option<std::sync::Arc<ClockShare>>,
    ) -> std::io::Result<Outputs> {
        let mut threads = Vec::new();
        let active = dest.active();
        for t in &dest.osc {
            if !active.contains(&t.name.as_str()) {
                continue;
            }
            let sink = OscSink::new(t.clone(), origin)?;
            let mut config = OutputConfig::new(sample_rate);
            // a bundle's time-tag carries the latency: send it at the onset; a bare message
            // plays on arrival: send it at onset + latency
            config.send_at = if t.bundle { 0.0 } else { t.latency };
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
