//! [`OutputScheduler`]: queries a program ahead of the engine clock and feeds sinks.

use std::sync::Arc;

use tactus_lang::program::Program;
use tactus_pattern::Time;

use super::segments::{Onset, SegmentCache};
use super::{OutputEvent, Sink, Tempo};
use crate::clock::ClockShare;
use crate::events::Warnings;
use crate::realtime::Apply;
use crate::render::DEFAULT_CPS;

/// Settings of an [`OutputScheduler`].
#[derive(Clone, Copy, Debug)]
pub struct OutputConfig {
    /// Frames per second of the engine clock.
    pub sample_rate: u32,
    /// How far ahead of the clock events are handed to sinks, in seconds. OSC bundles carry
    /// their own time-tag, so this only has to cover one tick plus the network.
    pub lookahead: f64,
    /// Events whose onset is more than this far behind the clock when they are scheduled
    /// are dropped (a starved thread catches up without a burst of stale events).
    pub max_late: f64,
}

impl OutputConfig {
    /// 50 ms lookahead, 100 ms of lateness allowed.
    pub fn new(sample_rate: u32) -> OutputConfig {
        OutputConfig {
            sample_rate,
            lookahead: 0.05,
            max_late: 0.1,
        }
    }
}

/// Schedules a program for external sinks. Step it with [`OutputScheduler::tick`] or run it
/// on a thread with [`crate::outputs::OutputThread`].
///
/// ```
/// use tactus_engine::outputs::{scheduler::OutputConfig, OutputScheduler, RecordingSink};
/// let (p, _) = tactus_lang::program::eval_file("setcps 1\nd1 $ s \"bd*4\"");
/// let rec = RecordingSink::default();
/// let mut s = OutputScheduler::new(p, OutputConfig::new(48_000), vec![Box::new(rec.clone())]);
/// for now in (0..=24_000).step_by(480) {
///     s.tick(now); // every 10 ms, for half a second: everything up to 0.55 s
/// }
/// let ev = rec.events.lock().unwrap();
/// assert_eq!(ev.iter().map(|e| e.seconds).collect::<Vec<_>>(), [0.0, 0.25, 0.5]);
/// ```
pub struct OutputScheduler {
    program: Program,
    pending: Option<(Program, Apply, Option<Time>)>,
    sinks: Vec<Box<dyn Sink>>,
    config: OutputConfig,
    cps: f64,
    anchor_seconds: f64,
    anchor_cycle: Time,
    frontier: Time,
    follow: Option<Arc<ClockShare>>,
    cache: SegmentCache,
    generation: u64,
    scratch: Vec<Onset>,
    /// Warnings (over-full queries), each once.
    pub warnings: Warnings,
    /// Events handed to sinks.
    pub events_sent: u64,
    /// Windows skipped because the scheduler fell behind.
    pub skipped_windows: u64,
    /// CPU nanoseconds (this thread's) spent querying patterns and building events: the
    /// scheduling cost.
    pub schedule_ns: u64,
    /// CPU nanoseconds spent in the sinks' timed sends ([`OutputScheduler::poll`]).
    pub send_ns: u64,
}

impl OutputScheduler {
    /// A scheduler for `program` whose clock starts at frame 0 = cycle 0.
    pub fn new(
        program: Program,
        config: OutputConfig,
        sinks: Vec<Box<dyn Sink>>,
    ) -> OutputScheduler {
        let cps = program
            .cps
            .filter(|c| c.is_finite() && *c > 0.0)
            .unwrap_or(DEFAULT_CPS);
        OutputScheduler {
            program,
            pending: None,
            sinks,
            config,
            cps,
            anchor_seconds: 0.0,
            anchor_cycle: Time::from(0),
            frontier: Time::from(0),
            follow: None,
            cache: SegmentCache::default(),
            generation: 0,
            scratch: Vec::new(),
            warnings: Warnings::default(),
            events_sent: 0,
            skipped_windows: 0,
            schedule_ns: 0,
            send_ns: 0,
        }
    }

    /// Follows the synth scheduler's clock as published in `share` (when that clock follows
    /// a Link session): every tick re-anchors this scheduler's tempo and onset times on it at
    /// the frontier, and nothing is scheduled while the followed session is stopped. Without
    /// it, onsets are exact rational offsets from the last tempo anchor.
    pub fn follow_clock(&mut self, share: Arc<ClockShare>) {
        self.follow = Some(share);
    }

    /// The current tempo.
    pub fn cps(&self) -> f64 {
        self.cps
    }

    /// The onset in seconds of a cycle, under the current tempo anchor (exact rational
    /// offset from the anchor, so spacing is exact).
    pub fn seconds_at(&self, cycle: Time) -> f64 {
        self.tempo().seconds_at(cycle)
    }

    /// The tempo in force now.
    pub fn tempo(&self) -> Tempo {
        Tempo {
            anchor_seconds: self.anchor_seconds,
            anchor_cycle: self.anchor_cycle,
            cps: self.cps,
        }
    }

    fn cycle_at(&self, seconds: f64) -> Time {
        Time::from_f64(self.anchor_cycle.to_f64() + (seconds - self.anchor_seconds) * self.cps)
    }

    /// Parks `program` to take over at the next cycle (or beat, or now), as the synth's
    /// scheduler does.
    pub fn submit(&mut self, program: Program, apply: Apply) {
        self.pending = Some((program, apply, None));
    }

    /// Schedules up to `now + lookahead`, where `now` is the engine clock's frame.
    pub fn tick(&mut self, now: u64) {
        let started = thread_cpu_ns();
        let rate = f64::from(self.config.sample_rate.max(1));
        let now_s = now as f64 / rate;
        if let Some(c) = self.follow.as_ref().and_then(|s| s.get()) {
            self.anchor_cycle = self.frontier;
            self.anchor_seconds = c.frame_at(self.frontier.to_f64()) / rate;
            self.cps = c.cps();
        }
        if self.seconds_at(self.frontier) < now_s - self.config.max_late {
            self.skipped_windows += 1;
            self.frontier = self
                .frontier
                .max(self.cycle_at(now_s - self.config.max_late));
        }
        let end_s = now_s + self.config.lookahead;
        let mut to = self.cycle_at(end_s);
        let mut out = Vec::new();
        let mut windows: Vec<(Time, Time, Tempo)> = Vec::new();
        let mut silence = None;
        if let Some((_, apply, boundary)) = &mut self.pending {
            let b = *boundary.get_or_insert_with(|| next_boundary(self.frontier, *apply));
            if b < to {
                let b = b.max(self.frontier);
                self.query(self.frontier, b, &mut out);
                if b > self.frontier {
                    windows.push((self.frontier, b, self.tempo()));
                }
                let (program, _, _) = self.pending.take().expect("a pending program");
                self.anchor_seconds = self.seconds_at(b);
                self.anchor_cycle = b;
                if let Some(c) = program.cps.filter(|c| c.is_finite() && *c > 0.0) {
                    self.cps = c;
                }
                if program.audible().next().is_none() {
                    silence = Some(self.anchor_seconds);
                }
                self.program = program;
                self.generation += 1;
                self.frontier = b;
                to = self.cycle_at(end_s).max(b);
            }
        }
        let stopped = self.follow.as_ref().is_some_and(|s| s.is_stopped());
        if to > self.frontier {
            if !stopped {
                self.query(self.frontier, to, &mut out);
            }
            windows.push((self.frontier, to, self.tempo()));
            self.frontier = to;
        }
        out.sort_by_key(|e| e.cycle);
        self.schedule_ns += thread_cpu_ns().saturating_sub(started);
        for ev in &out {
            for s in &mut self.sinks {
                s.send(ev);
            }
        }
        for s in &mut self.sinks {
            for (from, to, tempo) in &windows {
                s.advance(*from, *to, *tempo);
            }
            if let Some(at) = silence {
                s.silence(at);
            }
        }
        self.events_sent += out.len() as u64;
        for s in &mut self.sinks {
            s.tick(now_s);
        }
    }

    fn query(&mut self, begin: Time, end: Time, out: &mut Vec<OutputEvent>) {
        let mut onsets = std::mem::take(&mut self.scratch);
        onsets.clear();
        self.cache.onsets(
            &self.program,
            self.generation,
            begin,
            end,
            &mut self.warnings,
            &mut onsets,
        );
        for o in onsets.drain(..) {
            out.push(OutputEvent {
                seconds: self.seconds_at(o.begin),
                delta: (o.end - o.begin).to_f64() / self.cps,
                cps: self.cps,
                channel: o.channel,
                cycle: o.begin,
                controls: o.controls,
            });
        }
        self.scratch = onsets;
    }

    /// The earliest deadline of any sink's timed queue.
    pub fn next_deadline(&self) -> Option<std::time::Instant> {
        self.sinks.iter().filter_map(|s| s.next_deadline()).min()
    }

    /// The earliest deadline that must be met exactly ([`Sink::exact_deadlines`]).
    pub fn next_exact_deadline(&self) -> Option<std::time::Instant> {
        self.sinks
            .iter()
            .filter(|s| s.exact_deadlines())
            .filter_map(|s| s.next_deadline())
            .min()
    }

    /// Lets every sink send what is due at `now`.
    pub fn poll(&mut self, now: std::time::Instant) {
        if self.next_deadline().is_none_or(|d| d > now) {
            return;
        }
        let started = thread_cpu_ns();
        for s in &mut self.sinks {
            s.poll(now);
        }
        self.send_ns += thread_cpu_ns().saturating_sub(started);
    }

    /// Stops every sink (all notes off).
    pub fn stop(&mut self) {
        for s in &mut self.sinks {
            s.stop();
        }
    }
}

/// CPU time of the calling thread in ns (0 where unavailable).
fn thread_cpu_ns() -> u64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime only writes the timespec we pass.
    let ok = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) } == 0;
    if ok {
        ts.tv_sec as u64 * 1_000_000_000 + ts.tv_nsec as u64
    } else {
        0
    }
}

fn next_boundary(frontier: Time, apply: Apply) -> Time {
    match apply {
        Apply::Now => frontier,
        Apply::Cycle => frontier.ceil(),
        Apply::Beat => {
            let four = Time::from(4);
            (frontier * four).ceil() / four
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outputs::RecordingSink;

    #[test]
    fn swaps_at_the_next_cycle_with_the_new_tempo() {
        let (a, _) = tactus_lang::program::eval_file("setcps 1\nd1 $ s \"bd*2\"");
        let (b, _) = tactus_lang::program::eval_file("setcps 2\nd1 $ s \"hh*2\"");
        let rec = RecordingSink::default();
        let mut s = OutputScheduler::new(a, OutputConfig::new(1000), vec![Box::new(rec.clone())]);
        s.tick(0);
        s.tick(300);
        s.submit(b, Apply::Cycle);
        for now in (400..3000).step_by(10) {
            s.tick(now);
        }
        let ev = rec.events.lock().unwrap();
        let got: Vec<(f64, String)> = ev
            .iter()
            .map(|e| {
                (
                    e.seconds,
                    e.controls.get("s").unwrap().as_str().unwrap().to_string(),
                )
            })
            .collect();
        let want = [
            (0.0, "bd"),
            (0.5, "bd"),
            (1.0, "hh"),
            (1.25, "hh"),
            (1.5, "hh"),
            (1.75, "hh"),
        ];
        for (g, w) in got.iter().zip(want) {
            assert_eq!((g.0, g.1.as_str()), w);
        }
        assert!(got.len() >= 9, "{got:?}");
        assert!(ev.iter().skip(2).all(|e| e.cps == 2.0 && e.delta == 0.25));
    }

    #[test]
    fn a_followed_clock_sets_tempo_and_phase() {
        use crate::clock::Clock;
        let (a, _) = tactus_lang::program::eval_file("setcps 1\nd1 $ s \"bd*4\"");
        let rec = RecordingSink::default();
        let mut s = OutputScheduler::new(a, OutputConfig::new(1000), vec![Box::new(rec.clone())]);
        let share = Arc::new(ClockShare::default());
        // the followed clock: cycle 10 at frame 0, half a cycle per second
        let mut c = Clock::new(1000, 0.5);
        c.anchor(0, 10.0, 0.5);
        share.set(c);
        s.follow_clock(Arc::clone(&share));
        s.tick(0);
        assert_eq!(s.cps(), 0.5);
        // the first tick starts at cycle 0, 20 s before the followed clock's frame 0, so it
        // skips ahead; from then on onsets are the followed clock's times
        for now in (10..2000).step_by(10) {
            s.tick(now);
        }
        {
            let ev = rec.events.lock().unwrap();
            let got: Vec<(f64, f64)> = ev.iter().map(|e| (e.cycle.to_f64(), e.seconds)).collect();
            assert!(got.contains(&(10.5, 1.0)), "{got:?}");
            assert!(got.contains(&(10.75, 1.5)), "{got:?}");
            assert!(ev.iter().all(|e| e.cps == 0.5 && e.delta == 0.5));
        }
        // a stopped session: nothing more is scheduled
        share.set_stopped(true);
        let n = rec.events.lock().unwrap().len();
        for now in (2000..4000).step_by(10) {
            s.tick(now);
        }
        assert_eq!(rec.events.lock().unwrap().len(), n);
    }

    #[test]
    fn a_starved_scheduler_skips_stale_windows() {
        let (a, _) = tactus_lang::program::eval_file("setcps 1\nd1 $ s \"bd*8\"");
        let rec = RecordingSink::default();
        let mut s = OutputScheduler::new(a, OutputConfig::new(1000), vec![Box::new(rec.clone())]);
        s.tick(0);
        s.tick(5000);
        assert_eq!(s.skipped_windows, 1);
        let ev = rec.events.lock().unwrap();
        assert!(ev.iter().skip(1).all(|e| e.seconds >= 4.9 - 1e-9));
    }

    type Seen = (Vec<(Time, Time, Tempo)>, Vec<f64>);

    #[derive(Default, Clone)]
    struct Windows(std::sync::Arc<std::sync::Mutex<Seen>>);

    impl Sink for Windows {
        fn send(&mut self, _ev: &OutputEvent) {}
        fn advance(&mut self, from: Time, to: Time, tempo: Tempo) {
            self.0.lock().unwrap().0.push((from, to, tempo));
        }
        fn silence(&mut self, at: f64) {
            self.0.lock().unwrap().1.push(at);
        }
    }

    #[test]
    fn sinks_see_contiguous_windows_with_their_tempo_and_a_hush() {
        let (a, _) = tactus_lang::program::eval_file("setcps 1\nd1 $ s \"bd*2\"");
        let (b, _) = tactus_lang::program::eval_file("setcps 0.5\nd1 $ s \"bd*2\"\nhush");
        let w = Windows::default();
        let mut s = OutputScheduler::new(a, OutputConfig::new(1000), vec![Box::new(w.clone())]);
        for now in (0..500).step_by(10) {
            s.tick(now);
        }
        s.submit(b, Apply::Cycle);
        for now in (500..3000).step_by(10) {
            s.tick(now);
        }
        assert_eq!(s.skipped_windows, 0);
        let (windows, silences) = w.0.lock().unwrap().clone();
        assert_eq!(windows[0].0, Time::ZERO);
        for pair in windows.windows(2) {
            assert_eq!(pair[0].1, pair[1].0, "windows are contiguous");
        }
        for (from, to, tempo) in &windows {
            let want = if *to <= Time::ONE { 1.0 } else { 0.5 };
            assert_eq!(tempo.cps, want, "window {from}..{to}");
        }
        assert!(
            windows.iter().any(|w| w.1 == Time::ONE),
            "a window ends at the swap"
        );
        // the hush took over at cycle 1, which is 1 s on the engine clock
        assert_eq!(silences, [1.0]);
    }
}
