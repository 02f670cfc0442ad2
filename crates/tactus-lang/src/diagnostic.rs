//! Diagnostics: errors and warnings with source spans, rendered the way rustc does.
//!
//! ```
//! use tactus_lang::ast::Span;
//! use tactus_lang::diagnostic::Diagnostic;
//!
//! let src = "setcps 0.5\nd1 $ fsat 2 $ s \"bd\"\n";
//! let d = Diagnostic::error("unknown function `fsat`", Span::new(16, 20)).with_suggestion("fast");
//! assert_eq!(
//!     d.render("song.tidal", src),
//!     "error: unknown function `fsat`\n --> song.tidal:2:6\n  |\n2 | d1 $ fsat 2 $ s \"bd\"\n  |      ^^^^ did you mean `fast`?\n"
//! );
//! ```

use std::fmt;

use crate::ast::Span;

/// How bad a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Severity {
    /// The statement or expression could not be used.
    Error,
    /// Something was ignored or looks wrong, but evaluation goes on.
    Warning,
}

impl Severity {
    /// `"error"` or `"warning"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// An error or warning about a span of source text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The headline, e.g. ``"unknown function `fsat`"``.
    pub message: String,
    /// Where in the source (byte offsets).
    pub span: Span,
    /// Extra lines, rendered as `= note: ...`.
    pub notes: Vec<String>,
    /// A replacement for the spanned text, rendered as ``did you mean `...`?``.
    pub suggestion: Option<String>,
}

impl Diagnostic {
    /// An error.
    pub fn error(message: impl Into<String>, span: Span) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            message: message.into(),
            span,
            notes: Vec::new(),
            suggestion: None,
        }
    }

    /// A warning.
    pub fn warning(message: impl Into<String>, span: Span) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(message, span)
        }
    }

    /// Adds a note.
    pub fn with_note(mut self, note: impl Into<String>) -> Diagnostic {
        self.notes.push(note.into());
        self
    }

    /// Sets the suggested replacement.
    pub fn with_suggestion(mut self, suggestion: impl Into<String>) -> Diagnostic {
        self.suggestion = Some(suggestion.into());
        self
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Renders the diagnostic rustc-style, with the file name, 1-based line and column, the
    /// source line and a caret underline (first line only for multi-line spans). Tabs in the
    /// source line are shown as four spaces. Ends with a newline.
    pub fn render(&self, file_name: &str, src: &str) -> String {
        let start = clamp_to_char(src, self.span.start);
        let end = clamp_to_char(src, self.span.end.max(start));
        let (line, col) = line_col(src, start);
        let line_start = src[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = src[start..].find('\n').map_or(src.len(), |i| start + i);
        let text = src[line_start..line_end].trim_end_matches('\r');
        let width = line.to_string().len();
        let pad = " ".repeat(width);

        let shown = |s: &str| s.replace('\t', "    ");
        let caret_offset = shown(&src[line_start..start]).chars().count();
        let underlined_end = end.min(line_start + text.len()).max(start);
        let caret_len = shown(&src[start..underlined_end]).chars().count().max(1);

        let mut out = format!(
            "{}: {}\n{pad}--> {file_name}:{line}:{col}\n{pad} |\n{line} | {}\n{pad} | {}{}",
            self.severity.as_str(),
            self.message,
            shown(text),
            " ".repeat(caret_offset),
            "^".repeat(caret_len),
        );
        if let Some(s) = &self.suggestion {
            out.push_str(&format!(" did you mean `{s}`?"));
        }
        out.push('\n');
        for note in &self.notes {
            out.push_str(&format!("{pad} = note: {note}\n"));
        }
        out
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.severity.as_str(), self.message)?;
        if let Some(s) = &self.suggestion {
            write!(f, " (did you mean `{s}`?)")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostic {}

/// Moves `byte` back to the nearest char boundary within `src`.
fn clamp_to_char(src: &str, byte: usize) -> usize {
    let mut b = byte.min(src.len());
    while !src.is_char_boundary(b) {
        b -= 1;
    }
    b
}

/// The 1-based line and column of a byte offset. Columns count characters, not bytes. An
/// offset past the end (or inside a character) is clamped.
///
/// ```
/// use tactus_lang::diagnostic::line_col;
/// assert_eq!(line_col("ab\ncé d", 7), (2, 4));
/// ```
pub fn line_col(src: &str, byte: usize) -> (usize, usize) {
    let b = clamp_to_char(src, byte);
    let before = &src[..b];
    let line = before.bytes().filter(|&c| c == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// The optimal-string-alignment (Damerau–Levenshtein) distance between two strings, in
/// characters: insertions, deletions, substitutions and swaps of adjacent characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let w = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * w];
    for i in 0..=a.len() {
        d[i * w] = i;
    }
    for (j, cell) in d.iter_mut().enumerate().take(w) {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[(i - 1) * w + j] + 1)
                .min(d[i * w + j - 1] + 1)
                .min(d[(i - 1) * w + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[(i - 2) * w + j - 2] + 1);
            }
            d[i * w + j] = v;
        }
    }
    d[a.len() * w + b.len()]
}

/// The candidate closest to `name` for a "did you mean" suggestion, or `None` if nothing is
/// close. A candidate that differs only in letter case wins; otherwise the allowed distance
/// is one edit per three characters of `name` (at least one), and it must be smaller than
/// `name`'s length. Ties go to the alphabetically first candidate, so the answer does not
/// depend on the iteration order.
///
/// ```
/// use tactus_lang::diagnostic::nearest_name;
/// let names = ["fast", "slow", "every", "rev"];
/// assert_eq!(nearest_name("fsat", names.iter().copied()), Some("fast"));
/// assert_eq!(nearest_name("evry", names.iter().copied()), Some("every"));
/// assert_eq!(nearest_name("xyzzy", names.iter().copied()), None);
/// ```
pub fn nearest_name<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let len = name.chars().count();
    let limit = (len / 3).max(1);
    let lower = name.to_lowercase();
    let mut best: Option<(usize, &'a str)> = None;
    for cand in candidates {
        let dist = if cand.to_lowercase() == lower {
            0
        } else {
            // Cheap rejection before the quadratic distance.
            let clen = cand.chars().count();
            if clen.abs_diff(len) > limit {
                continue;
            }
            edit_distance(name, cand)
        };
        if dist > limit || dist >= len {
            continue;
        }
        let better = match best {
            None => true,
            Some((bd, bn)) => dist < bd || (dist == bd && cand < bn),
        };
        if better {
            best = Some((dist, cand));
        }
    }
    best.map(|(_, n)| n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn render_basic() {
        let src = "setcps 1\n\nd1 $ fsat 2 $ s \"bd\"";
        let d =
            Diagnostic::error("unknown function `fsat`", Span::new(15, 19)).with_suggestion("fast");
        assert_eq!(
            d.render("song.tidal", src),
            "error: unknown function `fsat`
 --> song.tidal:3:6
  |
3 | d1 $ fsat 2 $ s \"bd\"
  |      ^^^^ did you mean `fast`?
"
        );
    }

    #[test]
    fn render_notes_wide_lines_unicode_multiline() {
        let mut src = "\n".repeat(11);
        src.push_str("d1 $ s \"é\" # nn 1\n  # gain 2");
        let start = src.find("nn").unwrap();
        let end = src.find("gain").unwrap();
        let d = Diagnostic::warning("odd", Span::new(start, end))
            .with_note("first")
            .with_note("second");
        assert_eq!(
            d.render("f.tidal", &src),
            "warning: odd
  --> f.tidal:12:14
   |
12 | d1 $ s \"é\" # nn 1
   |              ^^^^
   = note: first
   = note: second
"
        );
    }

    #[test]
    fn render_empty_span_at_end_and_tabs() {
        let d = Diagnostic::error("unexpected end of input", Span::new(8, 8));
        assert_eq!(
            d.render("x", "\tfast 2 "),
            "error: unexpected end of input\n --> x:1:9\n  |\n1 |     fast 2 \n  |            ^\n"
        );
        // Out-of-range spans are clamped, never a panic.
        let d = Diagnostic::error("e", Span::new(100, 50));
        assert!(d.render("x", "ab").contains("1:3"));
    }

    #[test]
    fn line_col_counts_chars() {
        assert_eq!(line_col("", 0), (1, 1));
        assert_eq!(line_col("a\nb", 2), (2, 1));
        assert_eq!(line_col("éé", 4), (1, 3));
        assert_eq!(line_col("éé", 3), (1, 2)); // inside a char: clamped back
    }

    #[test]
    fn distances_and_suggestions() {
        assert_eq!(edit_distance("fsat", "fast"), 1);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        let names = [
            "fast", "fastGap", "slow", "every", "every'", "rev", "n", "s",
        ];
        let near = |n| nearest_name(n, names.iter().copied());
        assert_eq!(near("Fast"), Some("fast"));
        assert_eq!(near("rve"), Some("rev"));
        assert_eq!(near("fastgap"), Some("fastGap"));
        assert_eq!(near("x"), None);
        assert_eq!(near("evrey"), Some("every"));
        assert_eq!(near("sloow"), Some("slow"));
        assert_eq!(near("completely"), None);
    }
}
