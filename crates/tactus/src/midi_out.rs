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
    name: String,
    plan: MidiPlan,
    out: Box<dyn MidiOut>,
    origin: Instant,
    channel: u8,
    clock: bool,
    lead: Duration,
    stopped: bool,
    /// Late messages already reported.
    late_reported: u64,
    /// Messages handed to an output that sends at once more than [`LATE_AFTER`] after
    /// their time (the output thread woke late).
    late_sends: u64,
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
            name: target.name.clone(),
            plan: MidiPlan::new(audio_latency + target.latency),
            out,
            origin,
            channel: target.channel,
            clock: target.clock,
            lead,
            stopped: false,
            late_reported: 0,
            late_sends: 0,
            errors: 0,
        }
    }

    /// Counts a failed send; the first one is reported (a JACK server that went away, a
    /// full queue, an unplugged device).
    fn failed(name: &str, errors: &mut u64, e: &str) {
        if *errors == 0 {
            eprintln!("\nwarning: MIDI destination `{name}`: {e} (further errors are counted)");
        }
        *errors += 1;
    }

    fn instant(&self, seconds: f64) -> Instant {
        self.origin + Duration::from_secs_f64(seconds.max(0.0))
    }
}

/// How late a message handed to an output that sends at once counts as late.
const LATE_AFTER: Duration = Duration::from_millis(1);

impl MidiSink {
    /// Messages that went out late so far: handed over late to an output that sends at once,
    /// or reported late by an output that places messages itself.
    pub fn late(&self) -> u64 {
        self.late_sends + self.out.late()
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

    fn exact_deadlines(&self) -> bool {
        // an output with a lead places messages in time itself
        self.lead.is_zero()
    }

    fn poll(&mut self, now: Instant) {
        // 1 µs of slack: the deadline went through an Instant and back
        let until = (now + self.lead)
            .saturating_duration_since(self.origin)
            .as_secs_f64()
            + 1e-6;
        let exact = self.exact_deadlines();
        let (origin, out, errors, name, late_sends) = (
            self.origin,
            &mut self.out,
            &mut self.errors,
            &self.name,
            &mut self.late_sends,
        );
        self.plan.pop_due(until, |t, msg| {
            let at = origin + Duration::from_secs_f64(t.max(0.0));
            if exact && now.saturating_duration_since(at) > LATE_AFTER {
                *late_sends += 1;
            }
            if let Err(e) = out.send_at(msg, at) {
                MidiSink::failed(name, errors, &e);
            }
        });
    }

    fn stop(&mut self) {
        for msg in self.plan.stop_now() {
            if let Err(e) = self.out.send(msg) {
                MidiSink::failed(&self.name, &mut self.errors, &e);
            }
        }
        let late = self.late();
        if late > self.late_reported {
            eprintln!(
                "\nwarning: MIDI destination `{}`: {} message(s) went out late (the machine stalled the output thread or the MIDI server)",
                self.name,
                late - self.late_reported
            );
            self.late_reported = late;
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};
    use tactus_engine::outputs::scheduler::OutputConfig;
    use tactus_engine::outputs::OutputScheduler;
    use tactus_engine::realtime::Apply;
    use tactus_io::midi::MidiMessage::{self, *};

    type Log = Arc<Mutex<Vec<(MidiMessage, Instant)>>>;

    /// Records what it is given and when it was asked to play it.
    struct Recorder(Log);

    impl MidiOut for Recorder {
        fn send(&mut self, msg: MidiMessage) -> std::result::Result<(), String> {
            self.0.lock().unwrap().push((msg, Instant::now()));
            Ok(())
        }
        fn send_at(&mut self, msg: MidiMessage, at: Instant) -> std::result::Result<(), String> {
            self.0.lock().unwrap().push((msg, at));
            Ok(())
        }
    }

    fn target(clock: bool) -> MidiTarget {
        MidiTarget {
            name: "m".into(),
            host: MidiHost::Alsa,
            port: None,
            channel: 0,
            latency: 0.05,
            clock,
        }
    }

    /// Drives a scheduler with one MIDI sink on a fake clock (1 kHz frames, 1 ms steps):
    /// nothing is handed out before its time, and everything at its planned time.
    #[test]
    fn the_sink_sends_on_time_on_a_fake_clock_and_releases_notes_on_hush_and_drop() {
        let log: Log = Arc::default();
        let origin = Instant::now();
        let sink = MidiSink::new(&target(true), Box::new(Recorder(log.clone())), origin, 0.01);
        let (a, _) = tactus_lang::program::eval_file("setcps 1\nd1 $ n \"0 ~ 4 ~\" # legato 4");
        let (hush, _) = tactus_lang::program::eval_file("hush");
        let mut s = OutputScheduler::new(a, OutputConfig::new(1000), vec![Box::new(sink)]);
        let mut now = origin;
        for frame in 0..2500u64 {
            if frame == 1200 {
                s.submit(hush.clone(), Apply::Cycle);
            }
            now = origin + Duration::from_millis(frame);
            s.tick(frame);
            s.poll(now);
            if let Some(d) = s.next_deadline() {
                assert!(d > now, "a due message was left behind at {frame} ms");
            }
        }
        let got: Vec<(MidiMessage, f64)> = log
            .lock()
            .unwrap()
            .iter()
            .map(|(m, at)| {
                assert!(*at <= now + Duration::from_micros(1));
                (
                    *m,
                    (at.duration_since(origin).as_secs_f64() * 1e6).round() / 1e6,
                )
            })
            .collect();
        let notes: Vec<_> = got.iter().filter(|(m, _)| *m != Clock).copied().collect();
        let on = |note| NoteOn {
            channel: 0,
            note,
            velocity: 100,
        };
        // latency: 0.05 (the destination) + 0.01 (the audio); one-second notes every half
        // second; the hush (seen at 1.2 s) takes over at cycle 2 and silences what sounds;
        // the silenced note's own off (at 2.56) is dropped
        let off = |note| NoteOff { channel: 0, note };
        assert_eq!(
            notes,
            [
                (Start, 0.06),
                (on(60), 0.06),
                (on(64), 0.56),
                (off(60), 1.06),
                (on(60), 1.06),
                (off(64), 1.56),
                (on(64), 1.56),
                (off(60), 2.06),
                (off(64), 2.06),
                (MidiMessage::all_notes_off(0), 2.06),
            ]
        );
        // the clock runs on through a hush, as Tidal's does
        let clocks: Vec<f64> = got.iter().filter(|x| x.0 == Clock).map(|x| x.1).collect();
        assert_eq!(clocks.len(), ((2.499 - 0.06) * 96.0) as usize + 1);
        for (k, t) in clocks.iter().enumerate() {
            assert!(
                (t - (0.06 + k as f64 / 96.0)).abs() < 2e-6,
                "clock {k} at {t}"
            );
        }
        // dropping the scheduler (a panic unwinding the output thread) stops the sink: the
        // clock stops; no note sounds any more, so no note-off
        log.lock().unwrap().clear();
        drop(s);
        let tail: Vec<MidiMessage> = log.lock().unwrap().iter().map(|x| x.0).collect();
        assert_eq!(tail, [MidiMessage::all_notes_off(0), Stop]);
    }

    /// An output that places messages in time itself, handed them 25 ms ahead.
    struct Leading;

    impl MidiOut for Leading {
        fn send(&mut self, _msg: MidiMessage) -> std::result::Result<(), String> {
            Ok(())
        }
        fn lead(&self) -> Duration {
            Duration::from_millis(25)
        }
    }

    #[test]
    fn only_outputs_that_send_at_once_need_exact_wake_ups() {
        let origin = Instant::now();
        let (p, _) = tactus_lang::program::eval_file("setcps 1\nd1 $ n \"0 1\"");
        let outputs: [(Box<dyn MidiOut>, bool); 2] = [
            (Box::new(Recorder(Log::default())), true),
            (Box::new(Leading), false),
        ];
        for (out, exact) in outputs {
            let sink = MidiSink::new(&target(false), out, origin, 0.0);
            let mut s =
                OutputScheduler::new(p.clone(), OutputConfig::new(1000), vec![Box::new(sink)]);
            s.tick(0);
            assert!(s.next_deadline().is_some());
            assert_eq!(s.next_exact_deadline().is_some(), exact);
        }
    }

    /// The first event of `d1 $ n "0 1"` at 1 cps: a note at 0 s, half a second long.
    fn first_note() -> OutputEvent {
        let (p, _) = tactus_lang::program::eval_file("setcps 1\nd1 $ n \"0 1\"");
        OutputEvent {
            channel: "1".into(),
            cycle: Time::ZERO,
            seconds: 0.0,
            delta: 0.5,
            cps: 1.0,
            controls: p.channels["1"].query_span(tactus_pattern::Span::new(Time::ZERO, Time::ONE))
                [0]
            .value
            .as_map()
            .unwrap()
            .clone(),
        }
    }

    #[test]
    fn sends_handed_over_late_are_counted() {
        let origin = Instant::now();
        let out = Box::new(Recorder(Log::default()));
        let mut sink = MidiSink::new(&target(false), out, origin, 0.0);
        sink.send(&first_note());
        // the destination's latency is 50 ms: the note-on is due at 50 ms, its off at 550
        sink.poll(origin + Duration::from_micros(50_900));
        assert_eq!(sink.late(), 0, "0.9 ms after its time is on time");
        sink.poll(origin + Duration::from_micros(551_100));
        assert_eq!(sink.late(), 1, "1.1 ms after its time is late");
    }

    struct Gone;

    impl MidiOut for Gone {
        fn send(&mut self, _msg: MidiMessage) -> std::result::Result<(), String> {
            Err("the JACK server went away".into())
        }
    }

    #[test]
    fn failed_sends_are_counted_not_fatal() {
        let origin = Instant::now();
        let mut sink = MidiSink::new(&target(false), Box::new(Gone), origin, 0.0);
        let ev = first_note();
        sink.send(&ev);
        sink.poll(origin + Duration::from_secs(1));
        assert_eq!(sink.errors, 2, "the note-on and the note-off");
        sink.stop();
        assert_eq!(sink.errors, 3, "and the all-notes-off");
    }
}
