//! Reading a Tidal control map as MIDI, as SuperDirt's MIDI target does.
//!
//! * note number: `60 + note` (or `n` when there is no `note`, else 0) `+ 12 * (octave - 5)`,
//!   rounded and clamped to 0–127 (so `note 0` is middle C, 60);
//! * velocity: `velocity` (0–1) × 127 if given, else `gain` × 100 (so gain 1 → 100, the
//!   default), clamped to 1–127;
//! * duration: `sustain` seconds if given, else `legato × delta` (legato defaults to 1);
//! * channel: `midichan` (0–15) if given, else the caller's default;
//! * `ccn` + `ccv` a control change, `midibend` (0–16383) a pitch bend, `progNum` a program
//!   change, each sent at the onset before the note.

use tactus_pattern::{Value, ValueMap};

use super::MidiMessage;

fn num(m: &ValueMap, k: &str) -> Option<f64> {
    m.get(k).and_then(Value::as_f64).filter(|x| x.is_finite())
}

/// The MIDI note number of an event (`note`, else `n`, else 0: middle C, as SuperDirt).
///
/// ```
/// use tactus_io::midi::controls::note_number;
/// use tactus_pattern::{Value, ValueMap};
/// let mut m = ValueMap::new();
/// m.insert("note", Value::Note(7.0));
/// assert_eq!(note_number(&m), 67);
/// m.insert("octave", Value::Int(4));
/// assert_eq!(note_number(&m), 55);
/// assert_eq!(note_number(&ValueMap::new()), 60);
/// ```
pub fn note_number(m: &ValueMap) -> u8 {
    let base = num(m, "note").or_else(|| num(m, "n")).unwrap_or(0.0);
    let octave = num(m, "octave").unwrap_or(5.0);
    (60.0 + base + 12.0 * (octave - 5.0))
        .round()
        .clamp(0.0, 127.0) as u8
}

/// The note-on velocity (1–127).
pub fn velocity(m: &ValueMap) -> u8 {
    let v = match (num(m, "velocity"), num(m, "gain")) {
        (Some(v), _) => v * 127.0,
        (None, Some(g)) => g * 100.0,
        (None, None) => 100.0,
    };
    v.round().clamp(1.0, 127.0) as u8
}

/// How long the note lasts, in seconds, given the event's `delta` (its whole, in seconds).
pub fn duration(m: &ValueMap, delta: f64) -> f64 {
    let d = num(m, "sustain").unwrap_or_else(|| num(m, "legato").unwrap_or(1.0) * delta);
    d.max(0.0)
}

/// The MIDI channel (0–15): `midichan` or `default`.
pub fn channel(m: &ValueMap, default: u8) -> u8 {
    num(m, "midichan").map_or(default, |c| c.round().clamp(0.0, 15.0) as u8) & 15
}

/// The messages sent at the onset before any note: program change, control change, bend.
pub fn onset_messages(m: &ValueMap, channel: u8) -> Vec<MidiMessage> {
    let mut out = Vec::new();
    if let Some(p) = num(m, "progNum") {
        out.push(MidiMessage::Program {
            channel,
            program: p.round().clamp(0.0, 127.0) as u8,
        });
    }
    if let (Some(n), Some(v)) = (num(m, "ccn"), num(m, "ccv")) {
        out.push(MidiMessage::Control {
            channel,
            controller: n.round().clamp(0.0, 127.0) as u8,
            value: v.round().clamp(0.0, 127.0) as u8,
        });
    }
    if let Some(b) = num(m, "midibend") {
        out.push(MidiMessage::PitchBend {
            channel,
            value: b.round().clamp(0.0, 16383.0) as u16,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(kv: &[(&str, Value)]) -> ValueMap {
        let mut m = ValueMap::new();
        for (k, v) in kv {
            m.insert(*k, v.clone());
        }
        m
    }

    #[test]
    fn readings() {
        let m = map(&[("n", Value::Note(-3.0)), ("gain", Value::Float(0.5))]);
        assert_eq!(note_number(&m), 57);
        assert_eq!(velocity(&m), 50);
        assert_eq!(duration(&m, 0.5), 0.5);
        let m = map(&[
            ("velocity", Value::Float(1.0)),
            ("legato", Value::Float(0.5)),
            ("midichan", Value::Float(3.0)),
        ]);
        assert_eq!(note_number(&m), 60);
        assert_eq!(velocity(&m), 127);
        assert_eq!(duration(&m, 0.5), 0.25);
        assert_eq!(channel(&m, 0), 3);
        let m = map(&[
            ("sustain", Value::Float(2.0)),
            ("ccn", Value::Float(74.0)),
            ("ccv", Value::Float(200.0)),
        ]);
        assert_eq!(duration(&m, 0.5), 2.0);
        assert_eq!(
            onset_messages(&m, 1),
            vec![MidiMessage::Control {
                channel: 1,
                controller: 74,
                value: 127
            }]
        );
    }
}
