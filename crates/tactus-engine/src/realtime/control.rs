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

use crate::events::Event;
use crate::instruments::{
    InstrumentCompiler, InstrumentLane, InstrumentTable, PreparedInstruments,
};
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
        metrics: Arc<Metrics>,
        min_lookahead: u64,
        tick_frames: u64,
        instruments: InstrumentLane,
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
        }
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
        if to > from {
            self.scratch.clear();
            self.schedule(from, to);
            self.scheduled_to = to;
        }
        self.flush();
        let clock = &self.scheduler.clock;
        Metrics::store_f64(&self.metrics.cycle, clock.cycle_at(now));
        Metrics::store_f64(&self.metrics.cps, clock.cps());
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
                let pending = self.pending.take().expect("a pending swap");
                let cps = pending.program.cps.unwrap_or(self.scheduler.clock.cps());
                self.scheduler.clock.anchor(frame, b.to_f64(), cps);
                self.program = pending.program;
                self.sounds.set_instruments(pending.instruments);
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

    #[test]
    fn apply_parses() {
        assert_eq!("beat".parse::<Apply>(), Ok(Apply::Beat));
        assert!("soon".parse::<Apply>().is_err());
    }
}
