//! Standard MIDI Files (format 1): a tempo track, then one track per channel.
//!
//! Notes go in as [`Note`]s (start and end in ticks); [`track_events`] turns them into
//! note-ons and note-offs, handling overlapping notes of the same pitch on a channel the way
//! a synth would hear them: the earlier note ends where the later one starts (two notes of
//! the same pitch starting together become one, the longer).

use std::collections::HashMap;

use super::MidiMessage;

/// A note, in ticks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Note {
    /// Start tick.
    pub start: u64,
    /// End tick (after `start`; a shorter note is lengthened to one tick).
    pub end: u64,
    /// Channel 0–15.
    pub channel: u8,
    /// Note number 0–127.
    pub key: u8,
    /// Velocity 1–127.
    pub velocity: u8,
}

/// One track of a file.
#[derive(Clone, Debug, Default)]
pub struct Track {
    /// The track name (a meta event).
    pub name: String,
    /// Messages at ticks, in any order (sorted when written).
    pub events: Vec<(u64, MidiMessage)>,
}

/// Note-ons and note-offs for `notes`, overlaps resolved (see the module docs).
pub fn track_events(mut notes: Vec<Note>) -> Vec<(u64, MidiMessage)> {
    notes.sort_by_key(|n| (n.start, n.channel, n.key, std::cmp::Reverse(n.end)));
    notes.dedup_by(|b, a| a.start == b.start && a.channel == b.channel && a.key == b.key);
    let mut last: HashMap<(u8, u8), usize> = HashMap::new();
    for i in 0..notes.len() {
        notes[i].end = notes[i].end.max(notes[i].start + 1);
        let k = (notes[i].channel, notes[i].key);
        if let Some(j) = last.insert(k, i) {
            let start = notes[i].start;
            if notes[j].end > start {
                notes[j].end = start;
            }
        }
    }
    let mut out = Vec::with_capacity(notes.len() * 2);
    for n in notes {
        out.push((
            n.start,
            MidiMessage::NoteOn {
                channel: n.channel,
                note: n.key,
                velocity: n.velocity,
            },
        ));
        out.push((
            n.end,
            MidiMessage::NoteOff {
                channel: n.channel,
                note: n.key,
            },
        ));
    }
    out
}

fn order(m: &MidiMessage) -> u8 {
    match m {
        MidiMessage::NoteOff { .. } => 0,
        MidiMessage::NoteOn { .. } => 2,
        _ => 1,
    }
}

fn put_var(out: &mut Vec<u8>, mut v: u64) {
    v = v.min(0x0FFF_FFFF);
    let mut stack = [0u8; 4];
    let mut n = 0;
    loop {
        stack[n] = (v & 0x7F) as u8;
        n += 1;
        v >>= 7;
        if v == 0 {
            break;
        }
    }
    for i in (0..n).rev() {
        out.push(stack[i] | if i > 0 { 0x80 } else { 0 });
    }
}

fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], body: &[u8]) {
    out.extend_from_slice(kind);
    out.extend_from_slice(&(body.len() as u32).to_be_bytes());
    out.extend_from_slice(body);
}

fn meta(body: &mut Vec<u8>, delta: u64, kind: u8, data: &[u8]) {
    put_var(body, delta);
    body.extend_from_slice(&[0xFF, kind]);
    put_var(body, data.len() as u64);
    body.extend_from_slice(data);
}

/// A format-1 file: a tempo track (tempo in microseconds per quarter note, 4/4), then
/// `tracks`, with `ppq` ticks per quarter note.
///
/// ```
/// use tactus_io::midi::smf::{track_events, write, Note, Track};
/// let events = track_events(vec![Note { start: 0, end: 96, channel: 0, key: 60, velocity: 100 }]);
/// let bytes = write(96, 500_000, &[Track { name: "d1".into(), events }]);
/// assert_eq!(&bytes[..4], b"MThd");
/// assert_eq!(u16::from_be_bytes([bytes[10], bytes[11]]), 2); // tempo track + one
/// ```
pub fn write(ppq: u16, tempo_us_per_quarter: u32, tracks: &[Track]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut head = Vec::new();
    head.extend_from_slice(&1u16.to_be_bytes());
    head.extend_from_slice(&((tracks.len() + 1) as u16).to_be_bytes());
    head.extend_from_slice(&ppq.to_be_bytes());
    chunk(&mut out, b"MThd", &head);
    let mut t0 = Vec::new();
    meta(&mut t0, 0, 0x03, b"tempo");
    meta(
        &mut t0,
        0,
        0x51,
        &tempo_us_per_quarter.min(0xFF_FFFF).to_be_bytes()[1..],
    );
    meta(&mut t0, 0, 0x58, &[4, 2, 24, 8]);
    meta(&mut t0, 0, 0x2F, &[]);
    chunk(&mut out, b"MTrk", &t0);
    for t in tracks {
        let mut events = t.events.clone();
        events.sort_by_key(|(tick, m)| (*tick, order(m)));
        let mut body = Vec::new();
        meta(&mut body, 0, 0x03, t.name.as_bytes());
        let mut at = 0u64;
        for (tick, m) in &events {
            put_var(&mut body, tick - at);
            at = *tick;
            body.extend_from_slice(m.bytes().as_slice());
        }
        meta(&mut body, 0, 0x2F, &[]);
        chunk(&mut out, b"MTrk", &body);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variable_length_quantities() {
        for (v, bytes) in [
            (0u64, vec![0u8]),
            (0x7F, vec![0x7F]),
            (0x80, vec![0x81, 0x00]),
            (0x3FFF, vec![0xFF, 0x7F]),
            (0x20_0000, vec![0x81, 0x80, 0x80, 0x00]),
        ] {
            let mut out = Vec::new();
            put_var(&mut out, v);
            assert_eq!(out, bytes, "{v:#x}");
        }
    }

    #[test]
    fn overlapping_notes_of_one_pitch() {
        let n = |start, end| Note {
            start,
            end,
            channel: 0,
            key: 60,
            velocity: 90,
        };
        let ev = track_events(vec![n(0, 100), n(50, 120), n(50, 60), n(200, 200)]);
        let offs: Vec<u64> = ev
            .iter()
            .filter(|(_, m)| matches!(m, MidiMessage::NoteOff { .. }))
            .map(|(t, _)| *t)
            .collect();
        assert_eq!(offs, [50, 120, 201]);
    }
}
