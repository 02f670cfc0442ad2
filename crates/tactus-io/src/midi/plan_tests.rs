//! Tests of [`MidiPlan`] with a fake clock: the plan is drained in 5 ms steps, as the output
//! thread would, and every message is checked with its time.

use super::*;
use MidiMessage::*;

fn map(kv: &[(&str, Value)]) -> ValueMap {
    let mut m = ValueMap::new();
    for (k, v) in kv {
        m.insert(*k, v.clone());
    }
    m
}

fn note(n: f64) -> ValueMap {
    map(&[("note", Value::Note(n))])
}

/// Drains the plan up to `until` in 5 ms steps of a fake clock; times rounded to 1 µs.
fn drain(plan: &mut MidiPlan, until: f64) -> Vec<(f64, MidiMessage)> {
    let mut out = Vec::new();
    let mut now = 0.0;
    while now <= until {
        plan.pop_due(now, |t, m| {
            assert!(t <= now, "{m:?} at {t} handed out early, at {now}");
            out.push(((t * 1e6).round() / 1e6, m));
        });
        now += 0.005;
    }
    out
}

#[test]
fn overlapping_notes_of_one_pitch_are_counted() {
    let mut p = MidiPlan::new(0.0);
    // a long note, then the same pitch again before it ends, then a third after both
    p.note(&note(0.0), 0.0, 1.0, 0);
    p.note(&note(0.0), 0.5, 1.0, 0);
    p.note(&note(0.0), 2.0, 0.25, 0);
    let got = drain(&mut p, 3.0);
    let on = |n| NoteOn {
        channel: 0,
        note: n,
        velocity: 100,
    };
    let off = |n| NoteOff {
        channel: 0,
        note: n,
    };
    // the first note's off (at 1.0) is not sent: the second note still sounds
    assert_eq!(
        got,
        [
            (0.0, on(60)),
            (0.5, on(60)),
            (1.5, off(60)),
            (2.0, on(60)),
            (2.25, off(60))
        ]
    );
}

#[test]
fn a_note_ending_where_the_next_begins_is_released_first() {
    let mut p = MidiPlan::new(0.0);
    p.note(&note(2.0), 0.5, 0.5, 3);
    p.note(&note(2.0), 0.0, 0.5, 3);
    let got = drain(&mut p, 1.5);
    let kinds: Vec<_> = got
        .iter()
        .map(|(t, m)| (*t, matches!(m, NoteOn { .. })))
        .collect();
    assert_eq!(
        kinds,
        [(0.0, true), (0.5, false), (0.5, true), (1.0, false)]
    );
    assert!(got.iter().all(|(_, m)| matches!(
        m,
        NoteOn {
            channel: 3,
            note: 62,
            ..
        } | NoteOff {
            channel: 3,
            note: 62
        }
    )));
}

#[test]
fn controls_velocity_channel_and_latency() {
    let mut p = MidiPlan::new(0.2);
    let m = map(&[
        ("n", Value::Note(-12.0)),
        ("velocity", Value::Float(0.5)),
        ("midichan", Value::Float(9.0)),
        ("ccn", Value::Float(74.0)),
        ("ccv", Value::Float(33.0)),
        ("midibend", Value::Float(10000.0)),
        ("progNum", Value::Float(5.0)),
        ("sustain", Value::Float(0.3)),
    ]);
    p.note(&m, 1.0, 0.5, 0);
    let got = drain(&mut p, 2.0);
    assert_eq!(
        got,
        [
            (
                1.2,
                Program {
                    channel: 9,
                    program: 5
                }
            ),
            (
                1.2,
                Control {
                    channel: 9,
                    controller: 74,
                    value: 33
                }
            ),
            (
                1.2,
                PitchBend {
                    channel: 9,
                    value: 10000
                }
            ),
            (
                1.2,
                NoteOn {
                    channel: 9,
                    note: 48,
                    velocity: 64
                }
            ),
            (
                1.5,
                NoteOff {
                    channel: 9,
                    note: 48
                }
            ),
        ]
    );
    // gain gives the velocity when there is no `velocity`; legato scales the whole
    let mut p = MidiPlan::new(0.0);
    p.note(
        &map(&[("gain", Value::Float(0.8)), ("legato", Value::Float(0.5))]),
        0.0,
        0.4,
        2,
    );
    assert_eq!(
        drain(&mut p, 1.0),
        [
            (
                0.0,
                NoteOn {
                    channel: 2,
                    note: 60,
                    velocity: 80
                }
            ),
            (
                0.2,
                NoteOff {
                    channel: 2,
                    note: 60
                }
            )
        ]
    );
}

#[test]
fn a_control_only_event_sends_no_note() {
    let mut p = MidiPlan::new(0.0);
    p.note(
        &map(&[("ccn", Value::Float(1.0)), ("ccv", Value::Float(64.0))]),
        0.0,
        0.5,
        0,
    );
    assert_eq!(
        drain(&mut p, 1.0),
        [(
            0.0,
            Control {
                channel: 0,
                controller: 1,
                value: 64
            }
        )]
    );
}

#[test]
fn a_silence_turns_off_what_sounds_and_later_notes_still_end() {
    let mut p = MidiPlan::new(0.0);
    p.note(&note(0.0), 0.0, 2.0, 0);
    p.note(&note(7.0), 0.1, 2.0, 1);
    p.silence_at(1.0);
    p.note(&note(0.0), 1.5, 0.25, 0);
    let got = drain(&mut p, 3.0);
    let at1: Vec<_> = got.iter().filter(|(t, _)| *t == 1.0).map(|x| x.1).collect();
    assert_eq!(
        at1,
        [
            NoteOff {
                channel: 0,
                note: 60
            },
            NoteOff {
                channel: 1,
                note: 67
            },
            MidiMessage::all_notes_off(0),
            MidiMessage::all_notes_off(1),
        ]
    );
    // the silenced notes' own offs (at 2.0 and 2.1) are dropped; the later note ends
    let after: Vec<_> = got.iter().filter(|(t, _)| *t > 1.0).copied().collect();
    assert_eq!(
        after,
        [
            (
                1.5,
                NoteOn {
                    channel: 0,
                    note: 60,
                    velocity: 100
                }
            ),
            (
                1.75,
                NoteOff {
                    channel: 0,
                    note: 60
                }
            )
        ]
    );
}

#[test]
fn stop_now_releases_sounding_notes_and_stops_the_clock() {
    let mut p = MidiPlan::new(0.0);
    p.note(&note(0.0), 0.0, 5.0, 4);
    p.clock_window(Time::ZERO, Time::new(1, 4), |c| c.to_f64());
    drain(&mut p, 0.1);
    assert!(!p.is_empty());
    assert_eq!(
        p.stop_now(),
        [
            NoteOff {
                channel: 4,
                note: 60
            },
            MidiMessage::all_notes_off(4),
            Stop
        ]
    );
    assert!(p.is_empty());
    assert_eq!(p.stop_now(), [MidiMessage::all_notes_off(4)]);
}

#[test]
fn clock_runs_24_per_quarter_from_start() {
    // cps 0.5: a cycle is 2 s, a quarter note 0.5 s, a clock 1/48 s
    let mut p = MidiPlan::new(0.05);
    let at = |c: Time| c.to_f64() / 0.5;
    p.clock_window(Time::ZERO, Time::new(1, 10), at);
    p.clock_window(Time::new(1, 10), Time::new(1, 4), at);
    let got = drain(&mut p, 1.0);
    assert_eq!(got[0], (0.05, Start));
    let clocks: Vec<f64> = got
        .iter()
        .filter(|(_, m)| *m == Clock)
        .map(|x| x.0)
        .collect();
    // a quarter cycle = one quarter note = 24 clocks
    assert_eq!(clocks.len(), 24);
    for (k, t) in clocks.iter().enumerate() {
        assert!(
            (t - (0.05 + k as f64 / 48.0)).abs() < 1e-6,
            "clock {k} at {t}"
        );
    }
    assert_eq!(got.len(), 25);
}

#[test]
fn a_jump_stops_the_clock_and_continues_from_the_song_position() {
    let mut p = MidiPlan::new(0.0);
    let at = |c: Time| c.to_f64(); // cps 1
    p.clock_window(Time::ZERO, Time::new(1, 8), at);
    // the scheduler skipped to cycle 3.3: resume at the next sixteenth (3.3125 = 53/16)
    p.clock_window(Time::new(33, 10), Time::new(34, 10), at);
    let got = drain(&mut p, 4.0);
    let i = got.iter().position(|(_, m)| *m == Stop).expect("a stop");
    assert_eq!(got[..i].iter().filter(|(_, m)| *m == Clock).count(), 12);
    assert_eq!(got[i].0, 3.3);
    assert_eq!(got[i + 1], (3.3, SongPosition { sixteenths: 53 }));
    assert_eq!(got[i + 2], (3.3125, Continue));
    assert_eq!(got[i + 3], (3.3125, Clock));
    let clocks = got[i + 3..].iter().filter(|(_, m)| *m == Clock).count();
    // clocks at 318/96 .. 326/96 (< 3.4 cycles)
    assert_eq!(clocks, 9);
}

#[test]
fn starting_mid_song_sends_a_song_position_instead_of_start() {
    let mut p = MidiPlan::new(0.0);
    p.clock_window(Time::int(2), Time::new(17, 8), |c| c.to_f64() * 2.0);
    let got = drain(&mut p, 10.0);
    assert_eq!(got[0], (4.0, SongPosition { sixteenths: 32 }));
    assert_eq!(got[1], (4.0, Continue));
    assert!(got[2..].iter().all(|(_, m)| *m == Clock));
    assert_eq!(got.len() - 2, 12);
}

#[test]
fn nudge_moves_the_whole_event() {
    let mut p = MidiPlan::new(0.1);
    p.note(
        &map(&[("note", Value::Note(0.0)), ("nudge", Value::Float(0.02))]),
        1.0,
        0.5,
        0,
    );
    let times: Vec<f64> = drain(&mut p, 2.0).iter().map(|x| x.0).collect();
    assert_eq!(times, [1.12, 1.62]);
}
