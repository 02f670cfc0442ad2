//! Tidal 1.7.10's chord table (`Sound.Tidal.Chords.chordTable`), as data.
//!
//! Each chord is a list of semitone offsets from the root. Names and their order are exactly
//! Tidal's (several names share one chord, e.g. `major`, `maj` and `M`).

/// Every chord name with its semitone offsets, in Tidal's order.
pub const CHORD_TABLE: &[(&str, &[i32])] = &[
    ("major", &[0, 4, 7]),
    ("maj", &[0, 4, 7]),
    ("M", &[0, 4, 7]),
    ("aug", &[0, 4, 8]),
    ("plus", &[0, 4, 8]),
    ("sharp5", &[0, 4, 8]),
    ("six", &[0, 4, 7, 9]),
    ("6", &[0, 4, 7, 9]),
    ("sixNine", &[0, 4, 7, 9, 14]),
    ("six9", &[0, 4, 7, 9, 14]),
    ("sixby9", &[0, 4, 7, 9, 14]),
    ("6by9", &[0, 4, 7, 9, 14]),
    ("major7", &[0, 4, 7, 11]),
    ("maj7", &[0, 4, 7, 11]),
    ("major9", &[0, 4, 7, 11, 14]),
    ("maj9", &[0, 4, 7, 11, 14]),
    ("add9", &[0, 4, 7, 14]),
    ("major11", &[0, 4, 7, 11, 14, 17]),
    ("maj11", &[0, 4, 7, 11, 14, 17]),
    ("add11", &[0, 4, 7, 17]),
    ("major13", &[0, 4, 7, 11, 14, 21]),
    ("maj13", &[0, 4, 7, 11, 14, 21]),
    ("add13", &[0, 4, 7, 21]),
    ("dom7", &[0, 4, 7, 10]),
    ("dom9", &[0, 4, 7, 14]),
    ("dom11", &[0, 4, 7, 17]),
    ("dom13", &[0, 4, 7, 21]),
    ("sevenFlat5", &[0, 4, 6, 10]),
    ("7f5", &[0, 4, 6, 10]),
    ("sevenSharp5", &[0, 4, 8, 10]),
    ("7s5", &[0, 4, 8, 10]),
    ("sevenFlat9", &[0, 4, 7, 10, 13]),
    ("7f9", &[0, 4, 7, 10, 13]),
    ("nine", &[0, 4, 7, 10, 14]),
    ("eleven", &[0, 4, 7, 10, 14, 17]),
    ("11", &[0, 4, 7, 10, 14, 17]),
    ("thirteen", &[0, 4, 7, 10, 14, 17, 21]),
    ("13", &[0, 4, 7, 10, 14, 17, 21]),
    ("minor", &[0, 3, 7]),
    ("min", &[0, 3, 7]),
    ("m", &[0, 3, 7]),
    ("diminished", &[0, 3, 6]),
    ("dim", &[0, 3, 6]),
    ("minorSharp5", &[0, 3, 8]),
    ("msharp5", &[0, 3, 8]),
    ("mS5", &[0, 3, 8]),
    ("minor6", &[0, 3, 7, 9]),
    ("min6", &[0, 3, 7, 9]),
    ("m6", &[0, 3, 7, 9]),
    ("minorSixNine", &[0, 3, 9, 7, 14]),
    ("minor69", &[0, 3, 9, 7, 14]),
    ("min69", &[0, 3, 9, 7, 14]),
    ("minSixNine", &[0, 3, 9, 7, 14]),
    ("m69", &[0, 3, 9, 7, 14]),
    ("mSixNine", &[0, 3, 9, 7, 14]),
    ("m6by9", &[0, 3, 9, 7, 14]),
    ("minor7flat5", &[0, 3, 6, 10]),
    ("minor7f5", &[0, 3, 6, 10]),
    ("min7flat5", &[0, 3, 6, 10]),
    ("min7f5", &[0, 3, 6, 10]),
    ("m7flat5", &[0, 3, 6, 10]),
    ("m7f5", &[0, 3, 6, 10]),
    ("minor7", &[0, 3, 7, 10]),
    ("min7", &[0, 3, 7, 10]),
    ("m7", &[0, 3, 7, 10]),
    ("minor7sharp5", &[0, 3, 8, 10]),
    ("minor7s5", &[0, 3, 8, 10]),
    ("min7sharp5", &[0, 3, 8, 10]),
    ("min7s5", &[0, 3, 8, 10]),
    ("m7sharp5", &[0, 3, 8, 10]),
    ("m7s5", &[0, 3, 8, 10]),
    ("minor7flat9", &[0, 3, 7, 10, 13]),
    ("minor7f9", &[0, 3, 7, 10, 13]),
    ("min7flat9", &[0, 3, 7, 10, 13]),
    ("min7f9", &[0, 3, 7, 10, 13]),
    ("m7flat9", &[0, 3, 7, 10, 13]),
    ("m7f9", &[0, 3, 7, 10, 13]),
    ("minor7sharp9", &[0, 3, 7, 10, 14]),
    ("minor7s9", &[0, 3, 7, 10, 14]),
    ("min7sharp9", &[0, 3, 7, 10, 14]),
    ("min7s9", &[0, 3, 7, 10, 14]),
    ("m7sharp9", &[0, 3, 7, 10, 14]),
    ("m7s9", &[0, 3, 7, 10, 14]),
    ("diminished7", &[0, 3, 6, 9]),
    ("dim7", &[0, 3, 6, 9]),
    ("minor9", &[0, 3, 7, 10, 14]),
    ("min9", &[0, 3, 7, 10, 14]),
    ("m9", &[0, 3, 7, 10, 14]),
    ("minor11", &[0, 3, 7, 10, 14, 17]),
    ("min11", &[0, 3, 7, 10, 14, 17]),
    ("m11", &[0, 3, 7, 10, 14, 17]),
    ("minor13", &[0, 3, 7, 10, 14, 17, 21]),
    ("min13", &[0, 3, 7, 10, 14, 17, 21]),
    ("m13", &[0, 3, 7, 10, 14, 17, 21]),
    ("one", &[0]),
    ("1", &[0]),
    ("five", &[0, 7]),
    ("5", &[0, 7]),
    ("sus2", &[0, 2, 7]),
    ("sus4", &[0, 5, 7]),
    ("sevenSus2", &[0, 2, 7, 10]),
    ("7sus2", &[0, 2, 7, 10]),
    ("sevenSus4", &[0, 5, 7, 10]),
    ("7sus4", &[0, 5, 7, 10]),
    ("nineSus4", &[0, 5, 7, 10, 14]),
    ("ninesus4", &[0, 5, 7, 10, 14]),
    ("9sus4", &[0, 5, 7, 10, 14]),
    ("sevenFlat10", &[0, 4, 7, 10, 15]),
    ("7f10", &[0, 4, 7, 10, 15]),
    ("nineSharp5", &[0, 1, 13]),
    ("9sharp5", &[0, 1, 13]),
    ("9s5", &[0, 1, 13]),
    ("minor9sharp5", &[0, 1, 14]),
    ("minor9s5", &[0, 1, 14]),
    ("min9sharp5", &[0, 1, 14]),
    ("min9s5", &[0, 1, 14]),
    ("m9sharp5", &[0, 1, 14]),
    ("m9s5", &[0, 1, 14]),
    ("sevenSharp5flat9", &[0, 4, 8, 10, 13]),
    ("7s5f9", &[0, 4, 8, 10, 13]),
    ("minor7sharp5flat9", &[0, 3, 8, 10, 13]),
    ("m7sharp5flat9", &[0, 3, 8, 10, 13]),
    ("elevenSharp", &[0, 4, 7, 10, 14, 18]),
    ("11s", &[0, 4, 7, 10, 14, 18]),
    ("minor11sharp", &[0, 3, 7, 10, 14, 18]),
    ("m11sharp", &[0, 3, 7, 10, 14, 18]),
    ("m11s", &[0, 3, 7, 10, 14, 18]),
];

/// The semitone offsets of a named chord (`chord_table("maj7") == Some(&[0, 4, 7, 11])`).
///
/// ```
/// use tactus_pattern::library::chords::chord_table;
/// assert_eq!(chord_table("maj7"), Some(&[0, 4, 7, 11][..]));
/// assert_eq!(chord_table("nope"), None);
/// ```
pub fn chord_table(name: &str) -> Option<&'static [i32]> {
    CHORD_TABLE
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, c)| *c)
}

/// All chord names, in Tidal's order.
pub fn chord_names() -> impl Iterator<Item = &'static str> {
    CHORD_TABLE.iter().map(|(n, _)| *n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_matches_tidal() {
        assert_eq!(CHORD_TABLE.len(), 127);
        assert_eq!(chord_table("major"), Some(&[0, 4, 7][..]));
        assert_eq!(chord_table("m6by9"), Some(&[0, 3, 9, 7, 14][..]));
        assert_eq!(chord_table("1"), Some(&[0][..]));
    }
}
