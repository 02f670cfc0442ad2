//! [`ControlSide`]: the scheduler's half of real-time playback.
//!
//! Each [`ControlSide::tick`] reads where the audio is (`now`, the frame the next callback
//! starts at), queries the program for the frames from where it stopped last time up to
//! `now + lookahead`, and pushes the resulting `Copy` events into the event ring, sample
//! installs into their queue, and drops the buffers the callback sent back.
//!
//! * **Falling behind**: if `now` has passed the scheduled frontier (the thread was starved),
//!   the window in the past is skipped entirely and counted; scheduling resumes at `now`,
//!   so no burst of stale events reaches the audio.
//! * **Swapping programs**: [`ControlSide::submit`] parks a new program with an [`Apply`]
//!   mode. The boundary is the first cycle (or beat) at or after the frontier; the window
//!   that contains it is split exactly there: the old program up to the boundary, the new
//!   one from it. The clock is re-anchored at the boundary with the new tempo.

use std::collections::VecDeque;
use std::sync::atomic::Ordering::Relaxed;
use std::sync::Arc;

use rtrb::{Consumer, Producer};
use tactus_dsp::sample::bank::BankCommand;
use tactus_dsp::sample::SampleBuffer;
use tactus_lang::program::Program;
use tactus_pattern::Time;

use crate::clock::ClockShare;
use crate::drones::{DroneFeed, DroneSet, SlotChange};
use crate::events::Event;
use crate::instruments::{
    InstrumentCompiler, InstrumentLane, InstrumentTable, PreparedInstruments,
};
use crate::link::Follower;
use crate::realtime::audio::Command;
use crate::realtime::metrics::Metrics;
use crate::scheduler::Scheduler;
use crate::sounds::Sounds;

/// When a submitted program takes over.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Apply {
    /// At the scheduling frontier (about one lookahead after the submit).
    Now,
    /// At the next beat (a quarter cycle).
    Beat,
    /// At the next cycle boundary.
    #[default]
    Cycle,
}

impl std::str::FromStr for Apply {
    type Err = String;
    fn from_str(s: &str) -> Result<Apply, String> {
        match s {
            "now" => Ok(Apply::Now),
            "beat" => Ok(Apply::Beat),
            "cycle" => Ok(Apply::Cycle),
            _ => Err(format!(
                "unknown apply mode `{s}`: expected now, beat or cycle"
            )),
        }
    }
}

/// A program that took over, for logs and tests.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ProgramChange {
    /// 0 for the first program, then 1, 2, ...
    pub generation: u64,
    /// The cycle at which it took over.
    pub cycle: f64,
    /// The frame at which it took over.
    pub frame: u64,
    /// Its tempo.
    pub cps: f64,
}

/// The control side's ends of the drone queues, and the feed of pattern values.
pub(crate) struct DroneLanes {
    pub feed: DroneFeed,
    pub sets: Producer<Box<DroneSet>>,
    pub returned: Consumer<Box<DroneSet>>,
    pub values: Producer<SlotChange>,
    /// Clock changes that are not program swaps (a Link session moving the tempo or phase):
    /// `(frame, clock)`, so the drones' cycle inputs follow the scheduler's clock.
    pub clocks: Producer<(u64, crate::clock::Clock)>,
    pub last_clock: Option<crate::clock::Clock>,
    pub set_backlog: VecDeque<Box<DroneSet>>,
    pub value_backlog: VecDeque<SlotChange>,
    pub scratch: Vec<SlotChange>,
}

impl DroneLanes {
    /// Frees returned sets, pushes what waits (sets before the values that need them).
    fn flush(&mut self, metrics: &Metrics) {
        while let Ok(old) = self.returned.pop() {
            drop(old);
        }
        while let Some(set) = self.set_backlog.pop_front() {
            if let Err(rtrb::PushError::Full(set)) = self.sets.push(set) {
                self.set_backlog.push_front(set);
                break;
            }
        }
        self.value_backlog.extend(self.scratch.drain(..));
        while let Some(c) = self.value_backlog.pop_front() {
            if self.values.push(c).is_err() {
                self.value_backlog.push_front(c);
                metrics.ring_full.fetch_add(1, Relaxed);
                break;
            }
        }
    }
}

struct PendingSwap {
    program: Program,
    /// The program's instruments, for the sound resolver from the swap on.
    instruments: InstrumentTable,
    apply: Apply,
    boundary: Option<Time>,
}

/// The scheduler side of real-time playback. Built by [`crate::realtime::channel`]; run it
/// on a thread with [`crate::realtime::SchedulerThread`] or step it by hand with
/// [`ControlSide::tick`].
pub struct ControlSide {
    pub(crate) scheduler: Scheduler,
    pub(crate) program: Program,
    pending: Option<PendingSwap>,
    pub(crate) sounds: Sounds,
    pub(crate) events: Producer<Event>,
    pub(crate) samples: Producer<BankCommand>,
    pub(crate) returned: Consumer<SampleBuffer>,
    pub(crate) commands: Producer<Command>,
    pub(crate) drones: DroneLanes,
    pub(crate) metrics: Arc<Metrics>,
    pub(crate) min_lookahead: u64,
    pub(crate) tick_frames: u64,
    instruments: InstrumentLane,
    backlog: VecDeque<Event>,
    sample_backlog: VecDeque<BankCommand>,
    scratch: Vec<Event>,
    scheduled_to: u64,
    generation: u64,
    log: Vec<ProgramChange>,
    link: Option<Follower>,
    share: Option<Arc<ClockShare>>,
    /// False while a followed session is stopped (start/stop sync).
    session_playing: bool,
    /// A program with its own tempo took over at this frame: tell the session.
    tempo_request: Option<(u64, f64)>,
}

impl ControlSide {
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn new(
        scheduler: Scheduler,
        program: Program,
        sounds: Sounds,
        rings: (
            Producer<Event>,
            Producer<BankCommand>,
            Consumer<SampleBuffer>,
            Producer<Command>,
        ),
        (drones, instruments): (DroneLanes, InstrumentLane),
        metrics: Arc<Metrics>,
        (min_lookahead, tick_frames): (u64, u64),
    ) -> ControlSide {
        let cps = scheduler.clock.cps();
        Metrics::store_f64(&metrics.cps, cps);
        let (events, samples, returned, commands) = rings;
        ControlSide {
            scheduler,
            program,
            pending: None,
            sounds,
            events,
            samples,
            returned,
            commands,
            drones,
            metrics,
            min_lookahead,
            tick_frames,
            instruments,
            backlog: VecDeque::new(),
            sample_backlog: VecDeque::new(),
            scratch: Vec::new(),
            scheduled_to: 0,
            generation: 0,
            log: vec![ProgramChange {
                generation: 0,
                cycle: 0.0,
                frame: 0,
                cps,
            }],
            link: None,
            share: None,
            session_playing: true,
            tempo_request: None,
        }
    }

    /// Makes the clock follow a shared session (Ableton Link) from the next tick on.
    pub fn set_link(&mut self, follower: Follower) {
        self.link = Some(follower);
    }

    /// Publishes the clock in `share` after every tick (for outputs that follow it).
    pub fn share_clock(&mut self, share: Arc<ClockShare>) {
        self.share = Some(share);
    }

    /// The session follower, if any.
    pub fn link(&self) -> Option<&Follower> {
        self.link.as_ref()
    }

    /// The shared counters.
    pub fn metrics(&self) -> &Arc<Metrics> {
        &self.metrics
    }

    /// Every program that took over so far, the first one included.
    pub fn program_log(&self) -> &[ProgramChange] {
        &self.log
    }

    /// The frame up to which events have been produced.
    pub fn scheduled_to(&self) -> u64 {
        self.scheduled_to
    }

    /// Warnings not yet reported (unknown sounds, ...), each once.
    pub fn take_warnings(&mut self) -> Vec<String> {
        self.scheduler.warnings.drain()
    }

    /// Parks `program` to take over as `apply` says; a later submit before it took over
    /// replaces it. Its instruments are compiled here (if they changed) and sent to the
    /// callback right away; its events use them from the swap on. An instrument that fails
    /// to compile keeps its previous version (reported by [`ControlSide::take_warnings`]).
    pub fn submit(&mut self, program: Program, apply: Apply) {
        let prepared = self.instruments.compiler().prepare(&program);
        self.submit_prepared(program, apply, prepared);
    }

    /// The compiler of this side's instruments, to compile a program's instruments on
    /// another control thread before [`ControlSide::submit_prepared`].
    pub fn instrument_compiler(&self) -> InstrumentCompiler {
        self.instruments.compiler()
    }

    /// [`ControlSide::submit`] with the instruments already compiled by
    /// [`ControlSide::instrument_compiler`] (for this program).
    pub fn submit_prepared(
        &mut self,
        program: Program,
        apply: Apply,
        prepared: PreparedInstruments,
    ) {
        let (instruments, errors) = self.instruments.submit(prepared);
        for e in errors {
            self.scheduler.warnings.once(e);
        }
        self.pending = Some(PendingSwap {
            instruments,
            program,
            apply,
            boundary: None,
        });
    }

    /// Sends a command to the callback; false if its queue is full.
    pub fn send(&mut self, cmd: Command) -> bool {
        self.commands.push(cmd).is_ok()
    }

    /// Produces the events up to `now + lookahead` (see the module docs). `now` is the
    /// frame the next audio block starts at.
    pub fn tick(&mut self, now: u64) {
        // buffers the callback replaced are freed here, on the control side
        while let Ok(buf) = self.returned.pop() {
            drop(buf);
        }
        if self.scheduled_to < now {
            self.metrics.skipped_windows.fetch_add(1, Relaxed);
            self.metrics
                .skipped_frames
                .fetch_add(now - self.scheduled_to, Relaxed);
            self.scheduled_to = now;
        }
        let last_buffer = u64::from(self.metrics.last_buffer.load(Relaxed));
        let lookahead = self.min_lookahead.max(2 * last_buffer + self.tick_frames);
        let (from, to) = (self.scheduled_to, now + lookahead);
        if let Some(f) = self.link.as_mut().filter(|_| to > from) {
            self.session_playing = f.follow(&mut self.scheduler.clock, from, &self.metrics);
        }
        let playing = self.session_playing;
        if to > from {
            self.scratch.clear();
            if playing {
                self.schedule(from, to);
            }
            self.scheduled_to = to;
        }
        if let (Some(f), Some((frame, cps))) = (&mut self.link, self.tempo_request.take()) {
            f.request_tempo(frame, cps, now);
        }
        self.flush();
        let d = &mut self.drones;
        let clock = self.scheduler.clock;
        if !d.feed.is_empty() && d.last_clock != Some(clock) && d.clocks.push((from, clock)).is_ok()
        {
            d.last_clock = Some(clock);
        }
        d.flush(&self.metrics);
        let clock = &self.scheduler.clock;
        if let Some(share) = &self.share {
            share.set(*clock);
            share.set_stopped(!playing);
        }
        Metrics::store_f64(&self.metrics.cycle, clock.cycle_at(now));
        let cps = self
            .link
            .as_ref()
            .and_then(Follower::cps)
            .unwrap_or(clock.cps());
        Metrics::store_f64(&self.metrics.cps, cps);
    }

    fn schedule(&mut self, from: u64, to: u64) {
        let mut out = std::mem::take(&mut self.scratch);
        let swap_at = self.pending.as_mut().map(|p| {
            let frontier = self.scheduler.clock.cycle_time_at(from);
            *p.boundary
                .get_or_insert_with(|| boundary(frontier, p.apply))
        });
        let split = swap_at.and_then(|b| {
            let frame = self.scheduler.clock.sample_at(b).max(from as i64) as u64;
            (frame < to).then_some((b, frame))
        });
        match split {
            None => {
                self.scheduler
                    .schedule(&self.program, from, to, &mut self.sounds, &mut out);
                let d = &mut self.drones;
                d.feed
                    .changes(&self.scheduler.clock, from, to, &mut d.scratch);
            }
            Some((b, frame)) => {
                let begin = self.scheduler.clock.cycle_time_at(from);
                let b = b.max(begin);
                self.scheduler.schedule_cycles(
                    &self.program,
                    begin,
                    b,
                    from,
                    &mut self.sounds,
                    &mut out,
                );
                let d = &mut self.drones;
                d.feed
                    .changes(&self.scheduler.clock, from, frame, &mut d.scratch);
                let pending = self.pending.take().expect("a pending swap");
                if let Some(c) = pending.program.cps {
                    self.tempo_request = Some((frame, c));
                }
                let cps = pending.program.cps.unwrap_or(self.scheduler.clock.cps());
                self.scheduler.clock.anchor(frame, b.to_f64(), cps);
                self.program = pending.program;
                self.sounds.set_instruments(pending.instruments);
                self.swap_drones(frame, to);
                self.generation += 1;
                self.log.push(ProgramChange {
                    generation: self.generation,
                    cycle: b.to_f64(),
                    frame,
                    cps,
                });
                let m = &self.metrics;
                m.program_generation.store(self.generation, Relaxed);
                Metrics::store_f64(&m.program_cycle, b.to_f64());
                m.reloads_applied.fetch_add(1, Relaxed);
                let end = self.scheduler.clock.cycle_time_at(to);
                self.scheduler.schedule_cycles(
                    &self.program,
                    b,
                    end,
                    frame,
                    &mut self.sounds,
                    &mut out,
                );
            }
        }
        // installs go out before the events that use them
        self.sample_backlog.extend(self.sounds.commands.drain(..));
        self.metrics
            .events_sent
            .fetch_add(out.len() as u64, Relaxed);
        self.backlog.extend(out.drain(..));
        self.scratch = out;
    }

    /// Builds the new program's drone set taking over at `frame` (when the old or the new
    /// program has drones, buses or effect chains) and feeds its values up to `to`.
    fn swap_drones(&mut self, frame: u64, to: u64) {
        let d = &mut self.drones;
        let has = !self.program.drones.is_empty()
            || !self.program.buses.is_empty()
            || !self.program.fx.is_empty();
        if !has && d.feed.is_empty() {
            return;
        }
        let (set, errors) = d.feed.build(&self.program, self.scheduler.clock, frame);
        for e in errors {
            self.scheduler.warnings.once(e);
        }
        d.set_backlog.push_back(set);
        // the new set carries the new clock; no separate clock change for the swap
        d.last_clock = Some(self.scheduler.clock);
        d.feed
            .changes(&self.scheduler.clock, frame, to, &mut d.scratch);
    }

    fn flush(&mut self) {
        if !self.instruments.flush() {
            // events may need that set: hold them back until it is queued
            self.metrics.ring_full.fetch_add(1, Relaxed);
            return;
        }
        while let Some(cmd) = self.sample_backlog.pop_front() {
            if let Err(rtrb::PushError::Full(cmd)) = self.samples.push(cmd) {
                self.sample_backlog.push_front(cmd);
                break;
            }
        }
        if !self.sample_backlog.is_empty() {
            // events may need those samples: hold them back until the installs are queued
            self.metrics.ring_full.fetch_add(1, Relaxed);
            return;
        }
        while let Some(e) = self.backlog.pop_front() {
            if self.events.push(e).is_err() {
                self.backlog.push_front(e);
                self.metrics.ring_full.fetch_add(1, Relaxed);
                break;
            }
        }
    }
}

/// The first cycle (or beat) boundary at or after `frontier`.
fn boundary(frontier: Time, apply: Apply) -> Time {
    match apply {
        Apply::Now => frontier,
        Apply::Cycle => frontier.ceil(),
        Apply::Beat => {
            let four = Time::int(4);
            (frontier * four).ceil() / four
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boundaries() {
        let t = Time::new(9, 8);
        assert_eq!(boundary(t, Apply::Cycle), Time::int(2));
        assert_eq!(boundary(t, Apply::Beat), Time::new(5, 4));
        assert_eq!(boundary(t, Apply::Now), t);
        assert_eq!(boundary(Time::int(3), Apply::Cycle), Time::int(3));
    }

    /// A session at 120 bpm from host time 0 whose start/stop state the test sets.
    struct Toggle(Arc<std::sync::atomic::AtomicBool>);

    impl crate::link::Session for Toggle {
        fn capture(&mut self, micros: i64) -> crate::link::Timeline {
            crate::link::Timeline {
                bpm: 120.0,
                micros,
                beat: micros as f64 * 2e-6,
                playing: self.0.load(Relaxed),
                peers: 0,
            }
        }
        fn set_tempo(&mut self, _bpm: f64, _micros: i64) {}
        fn set_playing(&mut self, _playing: bool, _micros: i64) {}
        fn now_micros(&self) -> i64 {
            0
        }
    }

    #[test]
    fn a_stopped_session_schedules_nothing_and_the_share_says_so() {
        use crate::link::{Follower, LinkConfig};
        let (p, _) = tactus_lang::program::eval_file("d1 $ s \"bd*8\"");
        let sounds = Sounds::new(1000.0, 16, 1 << 16);
        let (mut control, _audio) =
            crate::realtime::channel(p, sounds, crate::realtime::RealtimeConfig::new(1000));
        let playing = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let config = LinkConfig {
            start_stop: true,
            ..LinkConfig::default()
        };
        control.set_link(Follower::new(
            Box::new(Toggle(playing.clone())),
            config,
            1000,
        ));
        let share = Arc::new(ClockShare::default());
        control.share_clock(share.clone());
        let tick = |control: &mut ControlSide, ms: u64| {
            control.metrics().publish_host_time(ms, ms as i64 * 1000);
            control.tick(ms);
        };
        for ms in (0..2000).step_by(10) {
            tick(&mut control, ms);
        }
        assert_eq!(control.metrics().events_sent.load(Relaxed), 0);
        assert!(share.is_stopped());
        playing.store(true, Relaxed);
        for ms in (2000..4000).step_by(10) {
            tick(&mut control, ms);
        }
        // 2 s at 0.5 cps (120 bpm): one cycle of bd*8
        let sent = control.metrics().events_sent.load(Relaxed);
        assert!((7..=9).contains(&sent), "{sent}");
        assert!(!share.is_stopped());
        let cps = share.get().map(|c| c.cps()).unwrap();
        assert!((cps - 0.5).abs() < 1e-6, "{cps}");
    }

    #[test]
    fn drones_follow_a_session_tempo_without_a_program_swap() {
        use crate::link::{Follower, LinkConfig};
        let (p, _) = tactus_lang::program::eval_file("setcps 1\ndrone \"a\" $ osc \"sine\" 100");
        let sounds = Sounds::new(1000.0, 16, 1 << 16);
        let (mut control, mut audio) =
            crate::realtime::channel(p, sounds, crate::realtime::RealtimeConfig::new(1000));
        let cps = |audio: &crate::realtime::AudioSide| audio.drones.set().unwrap().clock.cps();
        assert_eq!(cps(&audio), 1.0);
        let playing = Arc::new(std::sync::atomic::AtomicBool::new(true));
        control.set_link(Follower::new(
            Box::new(Toggle(playing)),
            LinkConfig::default(),
            1000,
        ));
        let mut out = vec![0.0f32; 2 * 10];
        for ms in (0..500).step_by(10) {
            control.metrics().publish_host_time(ms, ms as i64 * 1000);
            control.tick(audio.position());
            audio.process(&mut out, 2);
        }
        // the session's 120 bpm is 0.5 cps (the follower nudges it to pull the phase in);
        // no program swapped, so no new drone set: the clock change came on its own
        assert!((cps(&audio) - 0.5).abs() < 0.01, "{}", cps(&audio));
        assert_eq!(control.metrics().drone_swaps.load(Relaxed), 0);
    }

    #[test]
    fn apply_parses() {
        assert_eq!("beat".parse::<Apply>(), Ok(Apply::Beat));
        assert!("soon".parse::<Apply>().is_err());
    }
}
