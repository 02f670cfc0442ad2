//! [`AudioSide`]: what runs inside the device callback.
//!
//! Per callback it applies queued [`Command`]s, takes the events due in the block from the
//! event ring (an event whose frame has already passed starts at the block start and is
//! counted as late; instrument sets are installed first, so their events find them),
//! installs sample buffers from their queue (sending the old buffers
//! back on the return lane), renders the buses, the [`Synth`] and the drones (through the
//! [`DroneRack`], per 64 frames, so instruments read the buses) and writes the device buffer. It
//! never allocates, locks, makes a syscall (the clock read is the vDSO `clock_gettime`) or
//! panics: every queue operation is a `try` operation on a preallocated ring.

use std::sync::atomic::Ordering::Relaxed;
use std::sync::Arc;
use std::time::Instant;

use rtrb::{Consumer, Producer};
use tactus_dsp::sample::bank::BankCommand;
use tactus_dsp::sample::SampleBuffer;
use tactus_dsp::Synth;

use crate::drones::{DroneRack, DroneSet, SlotChange};
use crate::events::Event;
use crate::realtime::metrics::Metrics;

/// Frames rendered per internal step; device buffers larger than this are split.
pub const CHUNK: usize = 1024;

/// Messages from the control side to the callback. `Copy`, so sending one never moves
/// ownership of memory to the audio thread.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Command {
    /// Fade everything out over `seconds`, then output silence; later events are discarded.
    Stop {
        /// Fade length.
        seconds: f32,
    },
    /// Release every voice over `seconds` and drop queued events, but keep playing.
    Hush {
        /// Release time.
        seconds: f32,
    },
    /// Set the master gain (linear).
    MasterGain(f32),
}

/// The audio thread's half of real-time playback. Built by [`crate::realtime::channel`].
pub struct AudioSide {
    pub(crate) synth: Synth,
    pub(crate) instruments: crate::instruments::InstrumentInbox,
    pub(crate) events: Consumer<Event>,
    pub(crate) samples: Consumer<BankCommand>,
    pub(crate) returned: Producer<SampleBuffer>,
    pub(crate) commands: Consumer<Command>,
    pub(crate) drones: DroneRack,
    pub(crate) drone_sets: Consumer<Box<DroneSet>>,
    pub(crate) drone_return: Producer<Box<DroneSet>>,
    pub(crate) drone_values: Consumer<SlotChange>,
    pub(crate) drone_clocks: Consumer<(u64, crate::clock::Clock)>,
    pub(crate) metrics: Arc<Metrics>,
    pub(crate) frame: u64,
    pub(crate) left: Box<[f32]>,
    pub(crate) right: Box<[f32]>,
    pub(crate) sample_rate: f64,
    /// Frames left in the stop fade, and its length (0 when not stopping).
    pub(crate) fade: (u64, u64),
    pub(crate) stopping: bool,
}

impl AudioSide {
    /// The frame the next block starts at.
    pub fn position(&self) -> u64 {
        self.frame
    }

    /// The shared counters.
    pub fn metrics(&self) -> &Arc<Metrics> {
        &self.metrics
    }

    /// The synth's counters (voices sounding, voices started and stolen so far), for
    /// tools that run the callback themselves (`tactus bench callback --worst`).
    pub fn synth_stats(&self) -> tactus_dsp::SynthStats {
        self.synth.stats()
    }

    /// The device callback: fills `out` (interleaved, `channels` per frame) with the next
    /// `out.len() / channels` frames. Channel 0 is left, 1 right, any others silent; a mono
    /// device gets the mix of both.
    pub fn process(&mut self, out: &mut [f32], channels: usize) {
        let started = Instant::now();
        self.metrics
            .publish_host_time(self.frame, crate::link::host_micros());
        let channels = channels.max(1);
        let frames = out.len() / channels;
        let mut peak = 0.0f32;
        for chunk in out.chunks_mut(CHUNK * channels) {
            let n = chunk.len() / channels;
            self.render_chunk(n);
            let (l, r) = (&self.left[..n], &self.right[..n]);
            for (i, frame) in chunk.chunks_exact_mut(channels).enumerate() {
                let (a, b) = (l[i], r[i]);
                peak = peak.max(a.abs()).max(b.abs());
                if channels == 1 {
                    frame[0] = 0.5 * (a + b);
                } else {
                    frame[0] = a;
                    frame[1] = b;
                    frame[2..].iter_mut().for_each(|x| *x = 0.0);
                }
            }
        }
        out[frames * channels..].iter_mut().for_each(|x| *x = 0.0);
        let render_ns = started.elapsed().as_nanos() as u64;
        let buffer_ns = (frames as f64 / self.sample_rate * 1e9) as u64;
        self.metrics
            .record_callback(render_ns, buffer_ns, frames as u32, peak);
    }

    /// Renders into two separate channel slices (of equal length); for tests and tools.
    pub fn process_split(&mut self, left: &mut [f32], right: &mut [f32]) {
        let started = Instant::now();
        self.metrics
            .publish_host_time(self.frame, crate::link::host_micros());
        let frames = left.len().min(right.len());
        let mut peak = 0.0f32;
        let mut pos = 0;
        while pos < frames {
            let n = CHUNK.min(frames - pos);
            self.render_chunk(n);
            left[pos..pos + n].copy_from_slice(&self.left[..n]);
            right[pos..pos + n].copy_from_slice(&self.right[..n]);
            for x in self.left[..n].iter().chain(&self.right[..n]) {
                peak = peak.max(x.abs());
            }
            pos += n;
        }
        let render_ns = started.elapsed().as_nanos() as u64;
        let buffer_ns = (frames as f64 / self.sample_rate * 1e9) as u64;
        self.metrics
            .record_callback(render_ns, buffer_ns, frames as u32, peak);
    }

    /// Advances the clock by `frames` without rendering (no audio device): events due are
    /// taken and counted as played, samples installed, commands applied.
    pub fn advance(&mut self, frames: u64) {
        self.apply_commands();
        self.instruments.take(&mut self.synth);
        let to = self.frame + frames;
        while let Ok(e) = self.events.peek() {
            if e.at_sample >= to {
                break;
            }
            let _ = self.events.pop();
            if !self.stopping {
                self.metrics.events_played.fetch_add(1, Relaxed);
            }
        }
        self.take_samples();
        self.skip_drones(to);
        self.frame = to;
        self.metrics.frame.store(to, Relaxed);
        // the null output calls this right after reading the monotonic clock for `to`
        self.metrics
            .publish_host_time(to, crate::link::host_micros());
        if self.stopping {
            self.metrics.stopped.store(1, Relaxed);
        }
    }

    fn render_chunk(&mut self, n: usize) {
        self.apply_commands();
        let (from, to) = (self.frame, self.frame + n as u64);
        // instrument sets before the events that name them
        self.instruments.take(&mut self.synth);
        self.take_events(from, to);
        // after the events: an install the scheduler queued before an event we saw is
        // visible now, and voices only start inside render_block
        self.take_samples();
        // the synth renders inside, after the buses of each block
        self.render_drones(from, n);
        if self.stopping {
            self.apply_fade(n);
        }
        self.frame = to;
        self.metrics.frame.store(to, Relaxed);
        self.metrics
            .voices
            .store(self.synth.stats().active_voices as u32, Relaxed);
    }

    /// Renders the synth and mixes the drones into the first `n` frames of the chunk
    /// (buses first in each block, so instruments read them), installing a new drone set at
    /// its frame (the chunk is split there) when the return lane has room for the old.
    fn render_drones(&mut self, from: u64, n: usize) {
        let mut at = 0;
        while at < n {
            let now = from + at as u64;
            let mut len = n - at;
            if let Ok(next) = self.drone_sets.peek() {
                if next.starts_at <= now {
                    if self.drone_return.slots() > 0 {
                        if let Ok(new) = self.drone_sets.pop() {
                            if let Some(old) = self.drones.install(new) {
                                let _ = self.drone_return.push(old);
                            }
                            self.metrics.drone_swaps.fetch_add(1, Relaxed);
                        }
                    }
                } else {
                    len = len.min((next.starts_at - now) as usize);
                }
            }
            while let Ok(&(frame, clock)) = self.drone_clocks.peek() {
                if frame > now {
                    break;
                }
                let _ = self.drone_clocks.pop();
                self.drones.set_clock(clock);
            }
            let (l, r) = (&mut self.left[at..at + len], &mut self.right[at..at + len]);
            let synth = &mut self.synth;
            self.drones
                .render(now, &mut self.drone_values, Some(synth), l, r);
            at += len;
        }
    }

    /// Without rendering: installs the drone sets due before `to` and drops their values.
    fn skip_drones(&mut self, to: u64) {
        while self.drone_return.slots() > 0 {
            match self.drone_sets.peek() {
                Ok(next) if next.starts_at < to => {}
                _ => break,
            }
            if let Ok(new) = self.drone_sets.pop() {
                if let Some(old) = self.drones.install(new) {
                    let _ = self.drone_return.push(old);
                }
                self.metrics.drone_swaps.fetch_add(1, Relaxed);
            }
        }
        while let Ok(c) = self.drone_values.peek() {
            if c.frame >= to {
                break;
            }
            let _ = self.drone_values.pop();
        }
        while let Ok(&(frame, clock)) = self.drone_clocks.peek() {
            if frame >= to {
                break;
            }
            let _ = self.drone_clocks.pop();
            self.drones.set_clock(clock);
        }
    }

    fn apply_commands(&mut self) {
        while let Ok(cmd) = self.commands.pop() {
            match cmd {
                Command::Stop { seconds } => {
                    let len = (f64::from(seconds.max(0.0)) * self.sample_rate) as u64;
                    self.stopping = true;
                    self.fade = (len, len.max(1));
                    self.synth.hush(seconds.max(0.0));
                }
                Command::Hush { seconds } => self.synth.hush(seconds),
                Command::MasterGain(g) => self.synth.set_master_gain(g),
            }
        }
    }

    fn take_events(&mut self, from: u64, to: u64) {
        let (mut played, mut late, mut refused) = (0, 0, 0);
        while let Ok(e) = self.events.peek() {
            if e.at_sample >= to {
                break;
            }
            let Ok(e) = self.events.pop() else { break };
            if self.stopping {
                continue;
            }
            let offset = if e.at_sample < from {
                late += 1;
                0
            } else {
                (e.at_sample - from) as u32
            };
            if self.synth.start_voice_chained(offset, &e.params, e.chain) {
                played += 1;
            } else {
                refused += 1;
            }
        }
        if played > 0 {
            self.metrics.events_played.fetch_add(played, Relaxed);
        }
        if late > 0 {
            self.metrics.late_events.fetch_add(late, Relaxed);
        }
        if refused > 0 {
            self.metrics.events_overflowed.fetch_add(refused, Relaxed);
        }
    }

    fn take_samples(&mut self) {
        // only take a command when the return lane has room for the buffer it may free
        while self.returned.slots() > 0 {
            let Ok(cmd) = self.samples.pop() else { break };
            let old = match cmd {
                BankCommand::Install(id, buf) => {
                    self.metrics.samples_installed.fetch_add(1, Relaxed);
                    match self.synth.install_sample(id, buf) {
                        Ok(old) => old,
                        Err(buf) => Some(buf),
                    }
                }
                BankCommand::Remove(id) => self.synth.remove_sample(id),
            };
            if let Some(old) = old {
                if let Err(rtrb::PushError::Full(buf)) = self.returned.push(old) {
                    // unreachable (a slot was free); leak rather than free on this thread
                    std::mem::forget(buf);
                }
            }
        }
    }

    fn apply_fade(&mut self, n: usize) {
        let (mut left, total) = self.fade;
        for i in 0..n {
            let g = left as f32 / total as f32;
            self.left[i] *= g;
            self.right[i] *= g;
            left = left.saturating_sub(1);
        }
        self.fade.0 = left;
        if left == 0 {
            self.metrics.stopped.store(1, Relaxed);
        }
    }
}
