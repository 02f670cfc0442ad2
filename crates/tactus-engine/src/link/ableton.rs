//! [`LinkSession`]: the [`Session`] of an Ableton Link peer, through `rusty_link` (the
//! official `abl_link` C wrapper). Used from the scheduler thread only: it captures and
//! commits with Link's application-thread functions.

use rusty_link::{AblLink, SessionState};

use super::{LinkConfig, Session, Timeline, BEATS_PER_CYCLE};

/// A Link peer, enabled on creation and disabled when dropped.
pub struct LinkSession {
    link: AblLink,
    state: SessionState,
    quantum: f64,
}

impl LinkSession {
    /// Joins (or starts) a Link session with `cps` as the initial tempo (× 240 bpm): alone,
    /// that is the session's tempo; on joining, the session's tempo wins.
    pub fn new(cps: f64, config: &LinkConfig) -> LinkSession {
        let bpm = cps * 60.0 * BEATS_PER_CYCLE;
        let link = AblLink::new(if bpm.is_finite() && bpm > 0.0 {
            bpm.clamp(20.0, 999.0)
        } else {
            120.0
        });
        link.enable_start_stop_sync(config.start_stop);
        link.enable(true);
        LinkSession {
            link,
            state: SessionState::new(),
            quantum: if config.quantum.is_finite() && config.quantum > 0.0 {
                config.quantum
            } else {
                BEATS_PER_CYCLE
            },
        }
    }

    /// Other peers in the session.
    pub fn peers(&self) -> u64 {
        self.link.num_peers()
    }
}

impl Session for LinkSession {
    fn capture(&mut self, micros: i64) -> Timeline {
        self.link.capture_app_session_state(&mut self.state);
        Timeline {
            bpm: self.state.tempo(),
            micros,
            beat: self.state.beat_at_time(micros, self.quantum),
            playing: self.state.is_playing(),
            peers: self.link.num_peers(),
        }
    }

    fn set_tempo(&mut self, bpm: f64, micros: i64) {
        self.link.capture_app_session_state(&mut self.state);
        // Link's own range (20 to 999 bpm)
        self.state.set_tempo(bpm.clamp(20.0, 999.0), micros);
        self.link.commit_app_session_state(&self.state);
    }

    fn set_playing(&mut self, playing: bool, micros: i64) {
        self.link.capture_app_session_state(&mut self.state);
        self.state.set_is_playing(playing, micros);
        self.link.commit_app_session_state(&self.state);
    }

    fn now_micros(&self) -> i64 {
        self.link.clock_micros()
    }
}

impl Drop for LinkSession {
    fn drop(&mut self) {
        self.link.enable(false);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Link's clock is the one [`super::super::host_micros`] reads, so frame times published
    /// by the audio side are on the session's clock. (A disabled peer sends nothing.)
    #[test]
    fn host_clock_is_links_clock() {
        let link = AblLink::new(120.0);
        let ours = super::super::host_micros();
        let theirs = link.clock_micros();
        assert!((theirs - ours).abs() < 5_000, "{ours} vs {theirs}");
    }
}
