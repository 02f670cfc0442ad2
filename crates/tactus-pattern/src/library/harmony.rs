//! Scales (Tidal 1.7.10's `Sound.Tidal.Scales`: `scaleTable`, `toScale`, `scale`) and
//! arpeggio-free harmony helpers.

use std::sync::Arc;

use crate::library::num::{cyclic, hdiv, Numeric};
use crate::pattern::Pattern;

/// Every scale name with its steps in semitones, in Tidal 1.7.10's order. Some maqam
/// scales use quarter tones.
pub const SCALE_TABLE: &[(&str, &[f64])] = &[
    ("minPent", &[0.0, 3.0, 5.0, 7.0, 10.0]),
    ("majPent", &[0.0, 2.0, 4.0, 7.0, 9.0]),
    ("ritusen", &[0.0, 2.0, 5.0, 7.0, 9.0]),
    ("egyptian", &[0.0, 2.0, 5.0, 7.0, 10.0]),
    ("kumai", &[0.0, 2.0, 3.0, 7.0, 9.0]),
    ("hirajoshi", &[0.0, 2.0, 3.0, 7.0, 8.0]),
    ("iwato", &[0.0, 1.0, 5.0, 6.0, 10.0]),
    ("chinese", &[0.0, 4.0, 6.0, 7.0, 11.0]),
    ("indian", &[0.0, 4.0, 5.0, 7.0, 10.0]),
    ("pelog", &[0.0, 1.0, 3.0, 7.0, 8.0]),
    ("prometheus", &[0.0, 2.0, 4.0, 6.0, 11.0]),
    ("scriabin", &[0.0, 1.0, 4.0, 7.0, 9.0]),
    ("gong", &[0.0, 2.0, 4.0, 7.0, 9.0]),
    ("shang", &[0.0, 2.0, 5.0, 7.0, 10.0]),
    ("jiao", &[0.0, 3.0, 5.0, 8.0, 10.0]),
    ("zhi", &[0.0, 2.0, 5.0, 7.0, 9.0]),
    ("yu", &[0.0, 3.0, 5.0, 7.0, 10.0]),
    ("whole", &[0.0, 2.0, 4.0, 6.0, 8.0, 10.0]),
    ("wholetone", &[0.0, 2.0, 4.0, 6.0, 8.0, 10.0]),
    ("augmented", &[0.0, 3.0, 4.0, 7.0, 8.0, 11.0]),
    ("augmented2", &[0.0, 1.0, 4.0, 5.0, 8.0, 9.0]),
    ("hexMajor7", &[0.0, 2.0, 4.0, 7.0, 9.0, 11.0]),
    ("hexDorian", &[0.0, 2.0, 3.0, 5.0, 7.0, 10.0]),
    ("hexPhrygian", &[0.0, 1.0, 3.0, 5.0, 8.0, 10.0]),
    ("hexSus", &[0.0, 2.0, 5.0, 7.0, 9.0, 10.0]),
    ("hexMajor6", &[0.0, 2.0, 4.0, 5.0, 7.0, 9.0]),
    ("hexAeolian", &[0.0, 3.0, 5.0, 7.0, 8.0, 10.0]),
    ("major", &[0.0, 2.0, 4.0, 5.0, 7.0, 9.0, 11.0]),
    ("ionian", &[0.0, 2.0, 4.0, 5.0, 7.0, 9.0, 11.0]),
    ("dorian", &[0.0, 2.0, 3.0, 5.0, 7.0, 9.0, 10.0]),
    ("phrygian", &[0.0, 1.0, 3.0, 5.0, 7.0, 8.0, 10.0]),
    ("lydian", &[0.0, 2.0, 4.0, 6.0, 7.0, 9.0, 11.0]),
    ("mixolydian", &[0.0, 2.0, 4.0, 5.0, 7.0, 9.0, 10.0]),
    ("aeolian", &[0.0, 2.0, 3.0, 5.0, 7.0, 8.0, 10.0]),
    ("minor", &[0.0, 2.0, 3.0, 5.0, 7.0, 8.0, 10.0]),
    ("locrian", &[0.0, 1.0, 3.0, 5.0, 6.0, 8.0, 10.0]),
    ("harmonicMinor", &[0.0, 2.0, 3.0, 5.0, 7.0, 8.0, 11.0]),
    ("harmonicMajor", &[0.0, 2.0, 4.0, 5.0, 7.0, 8.0, 11.0]),
    ("melodicMinor", &[0.0, 2.0, 3.0, 5.0, 7.0, 9.0, 11.0]),
    ("melodicMinorDesc", &[0.0, 2.0, 3.0, 5.0, 7.0, 8.0, 10.0]),
    ("melodicMajor", &[0.0, 2.0, 4.0, 5.0, 7.0, 8.0, 10.0]),
    ("bartok", &[0.0, 2.0, 4.0, 5.0, 7.0, 8.0, 10.0]),
    ("hindu", &[0.0, 2.0, 4.0, 5.0, 7.0, 8.0, 10.0]),
    ("todi", &[0.0, 1.0, 3.0, 6.0, 7.0, 8.0, 11.0]),
    ("purvi", &[0.0, 1.0, 4.0, 6.0, 7.0, 8.0, 11.0]),
    ("marva", &[0.0, 1.0, 4.0, 6.0, 7.0, 9.0, 11.0]),
    ("bhairav", &[0.0, 1.0, 4.0, 5.0, 7.0, 8.0, 11.0]),
    ("ahirbhairav", &[0.0, 1.0, 4.0, 5.0, 7.0, 9.0, 10.0]),
    ("superLocrian", &[0.0, 1.0, 3.0, 4.0, 6.0, 8.0, 10.0]),
    ("romanianMinor", &[0.0, 2.0, 3.0, 6.0, 7.0, 9.0, 10.0]),
    ("hungarianMinor", &[0.0, 2.0, 3.0, 6.0, 7.0, 8.0, 11.0]),
    ("neapolitanMinor", &[0.0, 1.0, 3.0, 5.0, 7.0, 8.0, 11.0]),
    ("enigmatic", &[0.0, 1.0, 4.0, 6.0, 8.0, 10.0, 11.0]),
    ("spanish", &[0.0, 1.0, 4.0, 5.0, 7.0, 8.0, 10.0]),
    ("leadingWhole", &[0.0, 2.0, 4.0, 6.0, 8.0, 10.0, 11.0]),
    ("lydianMinor", &[0.0, 2.0, 4.0, 6.0, 7.0, 8.0, 10.0]),
    ("neapolitanMajor", &[0.0, 1.0, 3.0, 5.0, 7.0, 9.0, 11.0]),
    ("locrianMajor", &[0.0, 2.0, 4.0, 5.0, 6.0, 8.0, 10.0]),
    ("diminished", &[0.0, 1.0, 3.0, 4.0, 6.0, 7.0, 9.0, 10.0]),
    ("octatonic", &[0.0, 1.0, 3.0, 4.0, 6.0, 7.0, 9.0, 10.0]),
    ("diminished2", &[0.0, 2.0, 3.0, 5.0, 6.0, 8.0, 9.0, 11.0]),
    ("octatonic2", &[0.0, 2.0, 3.0, 5.0, 6.0, 8.0, 9.0, 11.0]),
    ("messiaen1", &[0.0, 2.0, 4.0, 6.0, 8.0, 10.0]),
    ("messiaen2", &[0.0, 1.0, 3.0, 4.0, 6.0, 7.0, 9.0, 10.0]),
    (
        "messiaen3",
        &[0.0, 2.0, 3.0, 4.0, 6.0, 7.0, 8.0, 10.0, 11.0],
    ),
    ("messiaen4", &[0.0, 1.0, 2.0, 5.0, 6.0, 7.0, 8.0, 11.0]),
    ("messiaen5", &[0.0, 1.0, 5.0, 6.0, 7.0, 11.0]),
    ("messiaen6", &[0.0, 2.0, 4.0, 5.0, 6.0, 8.0, 10.0, 11.0]),
    (
        "messiaen7",
        &[0.0, 1.0, 2.0, 3.0, 5.0, 6.0, 7.0, 8.0, 9.0, 11.0],
    ),
    (
        "chromatic",
        &[0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0],
    ),
    ("bayati", &[0.0, 1.5, 3.0, 5.0, 7.0, 8.0, 10.0]),
    ("hijaz", &[0.0, 1.0, 4.0, 5.0, 7.0, 8.5, 10.0]),
    ("sikah", &[0.0, 1.5, 3.5, 5.5, 7.0, 8.5, 10.5]),
    ("rast", &[0.0, 2.0, 3.5, 5.0, 7.0, 9.0, 10.5]),
    ("saba", &[0.0, 1.5, 3.0, 4.0, 6.0, 8.0, 10.0]),
    ("iraq", &[0.0, 1.5, 3.5, 5.0, 6.5, 8.5, 10.5]),
];

/// The steps of a named scale.
///
/// ```
/// use tactus_pattern::library::harmony::scale_table;
/// assert_eq!(scale_table("major"), Some(&[0.0, 2.0, 4.0, 5.0, 7.0, 9.0, 11.0][..]));
/// ```
pub fn scale_table(name: &str) -> Option<&'static [f64]> {
    SCALE_TABLE
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, s)| *s)
}

/// All scale names, in Tidal's order (Tidal's `scaleList`, as a list).
pub fn scale_names() -> impl Iterator<Item = &'static str> {
    SCALE_TABLE.iter().map(|(n, _)| *n)
}

fn note_in_scale<T: Numeric>(octave: i64, steps: &[T], x: i64) -> T {
    let len = steps.len() as i64;
    let step = cyclic(steps, x).cloned().unwrap_or_else(|| T::from_i64(0));
    step.add(&T::from_i64(octave.wrapping_mul(hdiv(x, len))))
}

/// Maps scale degrees to notes with an octave of `octave` semitones (Tidal's `toScale'`).
/// An empty scale gives silence.
pub fn to_scale_prime<T: Numeric>(octave: i64, steps: Vec<T>, p: &Pattern<i64>) -> Pattern<T> {
    if steps.is_empty() {
        return Pattern::silence();
    }
    let steps = Arc::new(steps);
    p.fmap(move |x| note_in_scale(octave, &steps, *x))
}

/// Maps scale degrees to notes, 12 semitones per octave (Tidal's `toScale`).
///
/// ```
/// use tactus_pattern::{library::harmony::to_scale, Pattern, Span, Time};
/// let p = to_scale(vec![0.0, 4.0, 7.0], &Pattern::pure(3i64));
/// assert_eq!(p.query_span(Span::new(Time::ZERO, Time::ONE))[0].value, 12.0);
/// ```
pub fn to_scale<T: Numeric>(steps: Vec<T>, p: &Pattern<i64>) -> Pattern<T> {
    to_scale_prime(12, steps, p)
}

/// Maps degrees to notes of a patterned scale name, structure from the degrees; unknown
/// names use the scale `[0]` (Tidal 1.7.10's `scale`).
pub fn scale<T: Numeric>(name: &Pattern<String>, p: &Pattern<i64>) -> Pattern<T> {
    p.app_left(name, |x, n| {
        let steps: Vec<T> = scale_table(n)
            .unwrap_or(&[0.0])
            .iter()
            .map(|s| T::from_f64(*s))
            .collect();
        note_in_scale(12, &steps, *x)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_matches_tidal() {
        assert_eq!(SCALE_TABLE.len(), 76);
        assert_eq!(scale_table("ritusen"), Some(&[0.0, 2.0, 5.0, 7.0, 9.0][..]));
        assert_eq!(
            scale_table("bayati"),
            Some(&[0.0, 1.5, 3.0, 5.0, 7.0, 8.0, 10.0][..])
        );
    }
}
