//! The scheduler: queries every audible channel for a window of frames and turns the haps
//! that start in it into sample-accurate voice events.

use tactus_lang::program::Program;
use tactus_pattern::{Span, Time, DEFAULT_EVENT_CAP};

use crate::clock::Clock;
use crate::events::{nudge_seconds, voice_params, Event, SoundResolver, Warnings};

/// Queries patterns ahead of the audio and produces timed events.
pub struct Scheduler {
    /// The clock mapping frames to cycles.
    pub clock: Clock,
    /// Warnings (unknown sounds, over-full queries), each reported once.
    pub warnings: Warnings,
}

impl Scheduler {
    /// A scheduler with a clock.
    pub fn new(clock: Clock) -> Scheduler {
        Scheduler {
            clock,
            warnings: Warnings::default(),
        }
    }

    /// Appends the events of frames `[from, to)` to `out`, sorted by frame. Events whose
    /// rounded frame falls before `from` are clamped to `from` (never dropped).
    pub fn schedule(
        &mut self,
        program: &Program,
        from: u64,
        to: u64,
        sounds: &mut dyn SoundResolver,
        out: &mut Vec<Event>,
    ) {
        if to <= from {
            return;
        }
        let begin = self.clock.cycle_time_at(from);
        let end = self.clock.cycle_time_at(to);
        self.schedule_cycles(program, begin, end, from, sounds, out);
    }

    /// Appends the events whose onsets fall in the cycles `[begin, end)` to `out`, sorted by
    /// frame, clamping frames before `from` to `from`. Real-time playback uses it to split a
    /// window exactly at the cycle where a new program takes over.
    pub fn schedule_cycles(
        &mut self,
        program: &Program,
        begin: Time,
        end: Time,
        from: u64,
        sounds: &mut dyn SoundResolver,
        out: &mut Vec<Event>,
    ) {
        if end <= begin {
            return;
        }
        let cps = self.clock.cps();
        let rate = self.clock.sample_rate();
        let start_len = out.len();
        for (id, pat) in program.audible() {
            let haps = match pat.try_query(Span::new(begin, end), DEFAULT_EVENT_CAP) {
                Ok(h) => h,
                Err(e) => {
                    self.warnings
                        .once(format!("channel {id}: {e}; the window is skipped"));
                    continue;
                }
            };
            for h in haps {
                let Some(whole) = h.whole else { continue };
                if !h.has_onset() || whole.begin < begin || whole.begin >= end {
                    continue;
                }
                let Some(map) = h.value.as_map() else {
                    continue;
                };
                let delta = whole.duration().to_f64() / cps;
                let Some(params) = voice_params(map, delta, cps, sounds, &mut self.warnings) else {
                    continue;
                };
                let at = self.clock.sample_at(whole.begin) as f64 + nudge_seconds(&h) * rate;
                let at = (at.round().max(0.0) as u64).max(from);
                out.push(Event {
                    at_sample: at,
                    params,
                });
            }
        }
        out[start_len..].sort_by_key(|e| e.at_sample);
    }
}
