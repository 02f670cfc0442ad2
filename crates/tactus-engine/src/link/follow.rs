//! [`Follower`]: keeps the scheduler's clock on a session's timeline (see the module docs of
//! [`crate::link`]).

use std::collections::VecDeque;
use std::sync::atomic::Ordering::Relaxed;

use super::{HostMap, LinkConfig, Session, Timeline, BEATS_PER_CYCLE};
use crate::clock::Clock;
use crate::realtime::Metrics;

/// How many [`LinkSample`]s are kept (a minute of 10 ms ticks).
const SAMPLES: usize = 6000;

/// One tick's comparison of the engine with the session, for logs and tests.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LinkSample {
    /// Host time (Link clock, µs) at which the frame at the scheduling frontier is heard.
    pub micros: f64,
    /// The engine's beat there (its cycle × 4), after this tick's correction.
    pub beat: f64,
    /// The session's beat there.
    pub session_beat: f64,
    /// The session's tempo.
    pub bpm: f64,
}

/// Follows a [`Session`] from the scheduler thread.
pub struct Follower {
    session: Box<dyn Session>,
    config: LinkConfig,
    map: HostMap,
    sample_rate: f64,
    /// Seconds from a block's start to when it is heard (see [`Follower::latency`]).
    latency: f64,
    started: bool,
    last: Option<Timeline>,
    samples: VecDeque<LinkSample>,
}

impl Follower {
    /// A follower of `session` for an engine clock of `sample_rate` frames per second.
    pub fn new(session: Box<dyn Session>, config: LinkConfig, sample_rate: u32) -> Follower {
        Follower {
            session,
            config,
            map: HostMap::new(sample_rate),
            sample_rate: f64::from(sample_rate.max(1)),
            latency: config.output_latency,
            started: false,
            last: None,
            samples: VecDeque::with_capacity(SAMPLES),
        }
    }

    /// The settings.
    pub fn config(&self) -> &LinkConfig {
        &self.config
    }

    /// The host µs at which `frame` is heard, from the published `(frame, µs)` pairs (or,
    /// before any arrived, from the session clock's now and the nominal rate).
    fn micros_of(&self, frame: u64, now_frame: u64) -> f64 {
        let base = if self.map.is_ready() {
            self.map.micros_at(frame)
        } else {
            self.session.now_micros() as f64
                + (frame as f64 - now_frame as f64) * self.map.micros_per_frame()
        };
        base + self.latency * 1e6
    }

    /// The output latency in use: [`LinkConfig::output_latency`] if set, otherwise one
    /// device buffer (the last callback's length; 0 with no device).
    pub fn latency(&self) -> f64 {
        self.latency
    }

    /// Moves `clock` onto the session's timeline at frame `from` (the scheduling frontier)
    /// and publishes the session's state in `metrics`. Returns false when start/stop sync
    /// is on and the session is stopped: nothing should be scheduled then.
    pub fn follow(&mut self, clock: &mut Clock, from: u64, metrics: &Metrics) -> bool {
        if let Some((frame, micros)) = metrics.host_time() {
            self.map.add(frame, micros);
        }
        let now_frame = metrics.frame.load(Relaxed);
        if self.config.output_latency <= 0.0 {
            self.latency = f64::from(metrics.last_buffer.load(Relaxed)) / self.sample_rate;
        }
        if !self.started {
            self.started = true;
            if self.config.start_stop {
                let now = self.session.now_micros();
                self.session.set_playing(true, now);
            }
        }
        let t = self.micros_of(from, now_frame);
        let tl = self.session.capture(t.round() as i64);
        self.last = Some(tl);
        metrics.link_enabled.store(1, Relaxed);
        metrics.link_peers.store(tl.peers, Relaxed);
        Metrics::store_f64(&metrics.link_bpm, tl.bpm);
        metrics.link_playing.store(u64::from(tl.playing), Relaxed);
        let cps = tl.bpm / 60.0 / BEATS_PER_CYCLE;
        if !(cps.is_finite() && cps > 0.0) {
            return true;
        }
        // cycles per second of engine frames (a device clock may run a little off nominal)
        let frame_cps = cps * self.map.micros_per_frame() * self.sample_rate / 1e6;
        let session_beat = tl.beat_at(t.round() as i64) + (t - t.round()) * tl.bpm / 60e6;
        let target = session_beat / BEATS_PER_CYCLE;
        let current = clock.cycle_at(from);
        if (target - current).abs() / cps > self.config.max_slew {
            clock.anchor(from, target, frame_cps);
            metrics.link_jumps.fetch_add(1, Relaxed);
        } else {
            let h = (self.config.horizon * self.sample_rate).max(1.0);
            let target_h = target + frame_cps * h / self.sample_rate;
            clock.anchor(from, current, (target_h - current) * self.sample_rate / h);
        }
        let beat = clock.cycle_at(from) * BEATS_PER_CYCLE;
        Metrics::store_f64(&metrics.link_beat, beat);
        if self.samples.len() == SAMPLES {
            self.samples.pop_front();
        }
        self.samples.push_back(LinkSample {
            micros: t,
            beat,
            session_beat,
            bpm: tl.bpm,
        });
        !self.config.start_stop || tl.playing
    }

    /// Sets the session's tempo to `cps` (× 240 bpm) at the moment frame `frame` is heard:
    /// a program with its own `setcps` took over there.
    pub fn request_tempo(&mut self, frame: u64, cps: f64, now_frame: u64) {
        if !(cps.is_finite() && cps > 0.0) {
            return;
        }
        let t = self.micros_of(frame, now_frame).round() as i64;
        self.session.set_tempo(cps * 60.0 * BEATS_PER_CYCLE, t);
    }

    /// The session's tempo in cycles per second, once captured.
    pub fn cps(&self) -> Option<f64> {
        self.last.map(|t| t.bpm / 60.0 / BEATS_PER_CYCLE)
    }

    /// The last captured timeline.
    pub fn timeline(&self) -> Option<Timeline> {
        self.last
    }

    /// The most recent comparisons of engine and session, oldest first.
    pub fn samples(&self) -> impl Iterator<Item = &LinkSample> {
        self.samples.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    /// A session whose timeline the test scripts: beat = beat0 + (t - t0) · bpm / 60e6.
    #[derive(Clone)]
    struct Scripted(Arc<Mutex<Script>>);

    /// bpm, reference µs, beat there, playing, tempos committed by the follower.
    type Script = (f64, i64, f64, bool, Vec<f64>);

    impl Scripted {
        fn new(bpm: f64) -> Scripted {
            Scripted(Arc::new(Mutex::new((bpm, 0, 2.0, true, Vec::new()))))
        }
        fn beat(&self, t: i64) -> f64 {
            let s = self.0.lock().unwrap();
            s.2 + (t - s.1) as f64 * s.0 / 60e6
        }
        /// A peer changes the tempo at `t`, keeping the beat there.
        fn peer_tempo(&self, bpm: f64, t: i64) {
            let b = self.beat(t);
            let mut s = self.0.lock().unwrap();
            (s.0, s.1, s.2) = (bpm, t, b);
        }
        fn shift(&self, beats: f64) {
            self.0.lock().unwrap().2 += beats;
        }
    }

    impl Session for Scripted {
        fn capture(&mut self, micros: i64) -> Timeline {
            let s = self.0.lock().unwrap();
            Timeline {
                bpm: s.0,
                micros,
                beat: s.2 + (micros - s.1) as f64 * s.0 / 60e6,
                playing: s.3,
                peers: 1,
            }
        }
        fn set_tempo(&mut self, bpm: f64, micros: i64) {
            self.peer_tempo(bpm, micros);
            self.0.lock().unwrap().4.push(bpm);
        }
        fn set_playing(&mut self, playing: bool, _micros: i64) {
            self.0.lock().unwrap().3 = playing;
        }
        fn now_micros(&self) -> i64 {
            0
        }
    }

    /// Runs `ticks` ticks of 10 ms at 1 kHz with host time = frame ms, returning the clock.
    fn run(f: &mut Follower, clock: &mut Clock, m: &Metrics, from_tick: u64, ticks: u64) {
        for i in from_tick..from_tick + ticks {
            let frame = i * 10;
            m.frame.store(frame, Relaxed);
            m.publish_host_time(frame, frame as i64 * 1000);
            f.follow(clock, frame + 30, m);
        }
    }

    #[test]
    fn follows_tempo_changes_without_a_phase_jump_and_jumps_on_a_beat_shift() {
        let s = Scripted::new(120.0);
        let mut f = Follower::new(Box::new(s.clone()), LinkConfig::default(), 1000);
        let m = Metrics::default();
        let mut clock = Clock::new(1000, 1.0);
        run(&mut f, &mut clock, &m, 0, 100);
        // one jump onto the session (from cps 1 to 0.5), then exact agreement
        assert_eq!(m.link_jumps.load(Relaxed), 1);
        let at = 1030u64;
        assert!((clock.cycle_at(at) * 4.0 - s.beat(at as i64 * 1000)).abs() < 1e-9);
        assert!((clock.cps() - 0.5).abs() < 1e-9);

        // a peer doubles the tempo "now" (20 ms before our frontier): no jump, and the
        // clock converges onto the new timeline
        s.peer_tempo(240.0, 1010 * 1000);
        let before = clock.cycle_at(1040);
        run(&mut f, &mut clock, &m, 101, 1);
        assert_eq!(m.link_jumps.load(Relaxed), 1);
        assert!((clock.cycle_at(1040) - before).abs() < 1e-12, "phase kept");
        run(&mut f, &mut clock, &m, 102, 200);
        let at = 3030u64;
        assert!((clock.cycle_at(at) * 4.0 - s.beat(at as i64 * 1000)).abs() < 1e-4);
        assert!((clock.cps() - 1.0).abs() < 1e-3);
        assert_eq!(m.link_jumps.load(Relaxed), 1);

        // joining a session moves the beat by more than the slew limit: a jump
        s.shift(1.5);
        run(&mut f, &mut clock, &m, 302, 1);
        assert_eq!(m.link_jumps.load(Relaxed), 2);
        let at = 3050u64;
        assert!((clock.cycle_at(at) * 4.0 - s.beat(at as i64 * 1000)).abs() < 1e-4);
        assert!(f.samples().count() > 300);
        assert_eq!(Metrics::load_f64(&m.link_bpm), 240.0);
    }

    #[test]
    fn tempo_requests_reach_the_session_at_the_frames_host_time() {
        let s = Scripted::new(120.0);
        let mut f = Follower::new(Box::new(s.clone()), LinkConfig::default(), 1000);
        let m = Metrics::default();
        let mut clock = Clock::new(1000, 0.5);
        run(&mut f, &mut clock, &m, 0, 20);
        let beat_at_boundary = s.beat(2_000_000);
        f.request_tempo(2000, 0.75, 200);
        assert_eq!(s.0.lock().unwrap().4, [180.0]);
        assert!((s.beat(2_000_000) - beat_at_boundary).abs() < 1e-9);
        assert!((s.beat(3_000_000) - beat_at_boundary - 3.0).abs() < 1e-9);
    }

    #[test]
    fn a_device_buffer_is_the_default_output_latency() {
        let s = Scripted::new(120.0);
        let mut f = Follower::new(Box::new(s.clone()), LinkConfig::default(), 1000);
        let m = Metrics::default();
        m.last_buffer.store(64, Relaxed);
        let mut clock = Clock::new(1000, 0.5);
        run(&mut f, &mut clock, &m, 0, 50);
        assert_eq!(f.latency(), 0.064);
        // frame 520 (the last frontier) is heard at 584 ms: the engine is on the session there
        let last = *f.samples().last().unwrap();
        assert_eq!(last.micros, 584_000.0);
        assert!((clock.cycle_at(520) * 4.0 - s.beat(584_000)).abs() < 1e-6);
        let fixed = LinkConfig {
            output_latency: 0.01,
            ..LinkConfig::default()
        };
        let mut g = Follower::new(Box::new(s.clone()), fixed, 1000);
        run(&mut g, &mut clock, &m, 50, 1);
        assert_eq!(g.latency(), 0.01);
    }

    #[test]
    fn start_stop_sync_starts_the_session_and_reports_a_stop() {
        let s = Scripted::new(120.0);
        s.0.lock().unwrap().3 = false;
        let config = LinkConfig {
            start_stop: true,
            ..LinkConfig::default()
        };
        let mut f = Follower::new(Box::new(s.clone()), config, 1000);
        let m = Metrics::default();
        let mut clock = Clock::new(1000, 0.5);
        assert!(f.follow(&mut clock, 30, &m), "tactus starts the session");
        s.0.lock().unwrap().3 = false; // a peer stops it
        assert!(!f.follow(&mut clock, 40, &m));
        assert_eq!(m.link_playing.load(Relaxed), 0);
        // without start/stop sync a stopped session still plays
        let mut g = Follower::new(Box::new(s.clone()), LinkConfig::default(), 1000);
        assert!(g.follow(&mut clock, 50, &m));
    }
}
