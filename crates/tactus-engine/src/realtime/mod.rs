//! Real-time playback: the scheduler on a control thread, the synth in the device callback,
//! and lock-free queues between them.
//!
//! ```text
//!  control side                                       audio thread (device callback)
//!  file -> eval -> Program --submit--> ControlSide    AudioSide::process(out, channels)
//!  SchedulerThread: every ~10 ms tick(now):            1. commands (stop, hush, gain)
//!   query [frontier, now + lookahead)  --events----->  2. events due in the block ->
//!   (Copy: at_sample + VoiceParams, SPSC rtrb)            start_voice(exact offset);
//!   sample installs ---------------bounded queue---->     late ones at offset 0, counted
//!   drop old buffers <--------------return lane------  3. install samples, return old ones
//!   drone set per program swap ----bounded queue---->  4. buses, synth, drones: install a
//!   (DroneFeed: compiled, diffed by module id)            new drone set at its frame (adopt
//!   drop old sets <-----------------return lane------     state, glide constants); per 64
//!   pattern values (Copy SlotChange) ----ring------->     frames buses, then the synth (its
//!                                                         instruments read the buses), then
//!                                                         the drones
//!   read Metrics (atomics) <------------------------   5. write device buffer
//! ```
//!
//! The clock is the callback's frame counter ([`Metrics::frame`]); with no device the
//! null backend advances it from the monotonic clock ([`AudioSide::advance`]). Both halves
//! come from [`channel`]; everything the callback touches is allocated there.

pub mod audio;
pub mod control;
pub mod memlock;
pub mod metrics;
pub mod priority;
pub mod thread;

use std::sync::Arc;

use tactus_dsp::{Synth, SynthConfig};
use tactus_lang::program::Program;

pub use audio::{AudioSide, Command, CHUNK};
pub use control::{Apply, ControlSide, ProgramChange};
pub use memlock::lock_memory;
pub use metrics::{Metrics, MetricsSnapshot};
pub use priority::set_fifo_priority;
pub use thread::SchedulerThread;

use crate::clock::Clock;
use crate::drones::{DroneFeed, DroneRack};
use crate::instruments::Instruments;
use crate::render::DEFAULT_CPS;
use crate::scheduler::Scheduler;
use crate::sounds::Sounds;
use control::DroneLanes;
use tactus_dsp::voice::graph::DEFAULT_POLYPHONY;

/// Settings of real-time playback.
#[derive(Clone, Debug)]
pub struct RealtimeConfig {
    /// Device sample rate.
    pub sample_rate: u32,
    /// Size of the voice pool.
    pub voices: usize,
    /// Least lookahead in frames; the scheduler also keeps at least two device buffers plus
    /// one tick ahead of the audio.
    pub lookahead: u64,
    /// How often the scheduler thread wakes, in frames (about 10 ms).
    pub tick_frames: u64,
    /// Capacity of the event ring.
    pub event_capacity: usize,
    /// Capacity of the sample install queue (and of its return lane).
    pub sample_capacity: usize,
    /// Capacity of the drone value ring (pattern sources' changes).
    pub drone_value_capacity: usize,
}

impl RealtimeConfig {
    /// Defaults for a sample rate: 256 voices, 10 ms ticks, 20 ms least lookahead.
    pub fn new(sample_rate: u32) -> RealtimeConfig {
        RealtimeConfig {
            sample_rate,
            voices: 256,
            lookahead: u64::from(sample_rate) / 50,
            tick_frames: u64::from(sample_rate) / 100,
            event_capacity: 8192,
            sample_capacity: 256,
            drone_value_capacity: 1 << 15,
        }
    }
}

/// Builds both halves of real-time playback for `program`, starting at frame 0 = cycle 0.
///
/// ```
/// use tactus_engine::realtime::{channel, RealtimeConfig};
/// use tactus_engine::sounds::Sounds;
/// let (program, _) = tactus_lang::program::eval_file("d1 $ s \"bd*4\"");
/// let (mut control, mut audio) = channel(program, Sounds::new(48_000.0, 16, 1 << 20), RealtimeConfig::new(48_000));
/// let mut out = vec![0.0f32; 2 * 256];
/// for _ in 0..20 {
///     control.tick(audio.position()); // control thread
///     audio.process(&mut out, 2); // audio thread
/// }
/// assert!(control.metrics().snapshot().events_played > 0);
/// ```
pub fn channel(
    program: Program,
    mut sounds: Sounds,
    config: RealtimeConfig,
) -> (ControlSide, AudioSide) {
    let metrics = Arc::new(Metrics::default());
    let cps = program.cps.unwrap_or(DEFAULT_CPS);
    let scheduler = Scheduler::new(Clock::new(config.sample_rate, cps));
    let mut synth = Synth::new(SynthConfig {
        sample_rate: config.sample_rate as f32,
        voices: config.voices.max(1),
        ..SynthConfig::default()
    });
    // the first program's instruments go in before the synth moves to the audio thread
    let mut instruments = Instruments::new(config.sample_rate as f32, DEFAULT_POLYPHONY);
    let (set, errors) = instruments.load(&program);
    if let Some(set) = set {
        drop(synth.install_instruments(set));
    }
    sounds.set_instruments(instruments.table().clone());
    let (lane, inbox) = crate::instruments::lane(instruments);
    let (ev_tx, ev_rx) = rtrb::RingBuffer::new(config.event_capacity.max(16));
    let (s_tx, s_rx) = rtrb::RingBuffer::new(config.sample_capacity.max(4));
    let (r_tx, r_rx) = rtrb::RingBuffer::new(config.sample_capacity.max(4));
    let (c_tx, c_rx) = rtrb::RingBuffer::new(64);
    let (ds_tx, ds_rx) = rtrb::RingBuffer::new(8);
    let (dr_tx, dr_rx) = rtrb::RingBuffer::new(8);
    let (dv_tx, dv_rx) = rtrb::RingBuffer::new(config.drone_value_capacity.max(64));
    let (dc_tx, dc_rx) = rtrb::RingBuffer::new(64);
    let sr = config.sample_rate as f32;
    let mut feed = DroneFeed::new(sr);
    let (first_set, first_errors) =
        if program.drones.is_empty() && program.buses.is_empty() && program.fx.is_empty() {
            (None, Vec::new())
        } else {
            let (set, errors) = feed.build(&program, scheduler.clock, 0);
            (Some(set), errors)
        };
    let lanes = DroneLanes {
        feed,
        sets: ds_tx,
        returned: dr_rx,
        values: dv_tx,
        clocks: dc_tx,
        last_clock: Some(scheduler.clock),
        set_backlog: Default::default(),
        value_backlog: Default::default(),
        scratch: Vec::new(),
    };
    let mut control = ControlSide::new(
        scheduler,
        program,
        sounds,
        (ev_tx, s_tx, r_rx, c_tx),
        (lanes, lane),
        Arc::clone(&metrics),
        (config.lookahead, config.tick_frames),
    );
    for e in first_errors.into_iter().chain(errors) {
        control.scheduler.warnings.once(e);
    }
    let audio = AudioSide {
        synth,
        instruments: inbox,
        events: ev_rx,
        samples: s_rx,
        returned: r_tx,
        commands: c_rx,
        drones: DroneRack::new(sr, CHUNK, first_set),
        drone_sets: ds_rx,
        drone_return: dr_tx,
        drone_values: dv_rx,
        drone_clocks: dc_rx,
        metrics,
        frame: 0,
        left: tactus_dsp::memory::zeroed_box(CHUNK),
        right: tactus_dsp::memory::zeroed_box(CHUNK),
        sample_rate: f64::from(config.sample_rate),
        fade: (0, 1),
        stopping: false,
    };
    (control, audio)
}
