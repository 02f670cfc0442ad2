//! Character-level parsing: whitespace, numbers, note names and chords, reproducing the
//! Parsec token parsers Tidal 1.7.10 uses (Parsec 3.1.14's Haskell lexer).
//!
//! Parsec distinguishes failing *without* consuming input (so an alternative may be tried)
//! from failing *after* consuming (a syntax error). Each function here returns
//! `Ok(None)` for the first, `Err` for the second and `Ok(Some)` on success.

use super::MiniError;
use crate::time::Time;

/// The result of a sub-parser: `Ok(None)` means "not here, nothing consumed".
pub(crate) type PResult<T> = Result<Option<T>, MiniError>;

/// A number as `pRatio` reads it: the `Double` Tidal computes, and the exact rational
/// (`None` when it does not fit in 64-bit rational time).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Num {
    pub f: f64,
    pub exact: Option<Time>,
}

/// Parser state: the input, the position, Tidal's seed counter and the nesting depth.
pub(crate) struct Parser<'a> {
    pub src: &'a str,
    pub pos: usize,
    /// End of the last token, before any whitespace skipped after it.
    pub tok_end: usize,
    pub seed: u32,
    pub depth: u32,
}

/// Haskell's `isSpace`.
pub(crate) fn hs_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\u{b}' | '\u{c}' | '\u{a0}')
        || (c as u32 > 0xff
            && c.is_whitespace()
            && !matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}'))
}

/// Haskell's `isAlpha` (close enough: Unicode alphabetic).
pub(crate) fn hs_letter(c: char) -> bool {
    c.is_alphabetic()
}

fn gcd(mut a: i128, mut b: i128) -> i128 {
    a = a.abs();
    b = b.abs();
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// An exact `n/d` as [`Time`] if it fits.
pub(crate) fn exact_time(n: i128, d: i128) -> Option<Time> {
    if d == 0 {
        return None;
    }
    let g = gcd(n, d).max(1);
    let (mut n, mut d) = (n / g, d / g);
    if d < 0 {
        n = -n;
        d = -d;
    }
    if n.abs() > i64::MAX as i128 || d > i64::MAX as i128 {
        return None;
    }
    Some(Time::new(n as i64, d as i64))
}

/// `a + b` exactly, if the result fits in [`Time`].
pub(crate) fn add_exact(a: Time, b: Time) -> Option<Time> {
    let (an, ad, bn, bd) = (
        a.numer() as i128,
        a.denom() as i128,
        b.numer() as i128,
        b.denom() as i128,
    );
    exact_time(an * bd + bn * ad, ad * bd)
}

/// Haskell's `toRational` of a `Double`: its exact binary value, as `(n, d)`.
pub(crate) fn f64_ratio(x: f64) -> Option<(i128, i128)> {
    if !x.is_finite() {
        return None;
    }
    if x == 0.0 {
        return Some((0, 1));
    }
    let bits = x.to_bits();
    let neg = bits >> 63 == 1;
    let exp = ((bits >> 52) & 0x7ff) as i32;
    let frac = (bits & 0xf_ffff_ffff_ffff) as i128;
    let (mut m, mut e) = if exp == 0 {
        (frac, -1074)
    } else {
        (frac | (1 << 52), exp - 1075)
    };
    while m & 1 == 0 && e < 0 {
        m >>= 1;
        e += 1;
    }
    let m = if neg { -m } else { m };
    if e >= 0 {
        if e > 70 {
            return None;
        }
        Some((m << e, 1))
    } else {
        if -e > 120 {
            return None;
        }
        Some((m, 1i128 << -e))
    }
}

impl<'a> Parser<'a> {
    pub fn new(src: &'a str) -> Parser<'a> {
        Parser {
            src,
            pos: 0,
            tok_end: 0,
            seed: 0,
            depth: 0,
        }
    }

    pub fn peek(&self) -> Option<char> {
        self.src[self.pos..].chars().next()
    }

    pub fn peek2(&self) -> Option<char> {
        let mut it = self.src[self.pos..].chars();
        it.next();
        it.next()
    }

    pub fn at(&self, c: char) -> bool {
        self.peek() == Some(c)
    }

    /// Consumes one character (if any) and marks the token end after it.
    pub fn bump(&mut self) {
        if let Some(c) = self.peek() {
            self.pos += c.len_utf8();
        }
        self.tok_end = self.pos;
    }

    pub fn err(&self, start: usize, end: usize, msg: impl Into<String>) -> MiniError {
        MiniError::new(msg, start as u32, end as u32)
    }

    /// An error at the current character.
    pub fn err_here(&self, msg: impl Into<String>) -> MiniError {
        let end = self.pos + self.peek().map_or(0, char::len_utf8);
        self.err(self.pos, end, msg)
    }

    /// Describes the current character for messages.
    pub fn found(&self) -> String {
        match self.peek() {
            None => "the end of the pattern".into(),
            Some(c) => format!("'{c}'"),
        }
    }

    /// Parsec's `spaces`: skips whitespace characters (no comments).
    pub fn spaces(&mut self) {
        while let Some(c) = self.peek() {
            if !hs_space(c) {
                break;
            }
            self.pos += c.len_utf8();
        }
    }

    /// The Haskell lexer's `whiteSpace`: whitespace, `--` line comments and nested
    /// `{- -}` block comments (what Parsec's `lexeme` and `symbol` skip).
    pub fn white(&mut self) -> Result<(), MiniError> {
        loop {
            let rest = &self.src[self.pos..];
            if rest.starts_with(hs_space) {
                self.spaces();
            } else if rest.starts_with("--") {
                let n = rest.find('\n').unwrap_or(rest.len());
                self.pos += n;
            } else if rest.starts_with("{-") {
                let open = self.pos;
                self.pos += 2;
                let mut depth = 1u32;
                while depth > 0 {
                    let r = &self.src[self.pos..];
                    if r.is_empty() {
                        return Err(self.err(open, open + 2, "unclosed '{-' comment opened here"));
                    } else if r.starts_with("-}") {
                        depth -= 1;
                        self.pos += 2;
                    } else if r.starts_with("{-") {
                        depth += 1;
                        self.pos += 2;
                    } else {
                        self.pos += r.chars().next().map_or(1, char::len_utf8);
                    }
                }
            } else {
                return Ok(());
            }
        }
    }

    /// Parsec's `symbol`: the exact text, then [`Parser::white`].
    pub fn symbol(&mut self, s: &str) -> Result<bool, MiniError> {
        if self.src[self.pos..].starts_with(s) {
            self.pos += s.len();
            self.tok_end = self.pos;
            self.white()?;
            Ok(true)
        } else {
            Ok(false)
        }
    }

    fn digits(&mut self, radix: u32) -> Option<&'a str> {
        let rest = &self.src[self.pos..];
        let n = rest
            .char_indices()
            .find(|(_, c)| !c.is_digit(radix) || !c.is_ascii())
            .map_or(rest.len(), |(i, _)| i);
        if n == 0 {
            return None;
        }
        self.pos += n;
        self.tok_end = self.pos;
        Some(&rest[..n])
    }

    /// Tidal's `sign`: `-`, `+` or nothing; true when negative.
    pub fn sign(&mut self) -> bool {
        match self.peek() {
            Some('-') => {
                self.bump();
                true
            }
            Some('+') => {
                self.bump();
                false
            }
            _ => false,
        }
    }

    /// Parsec's `float` (a lexeme): digits, then a fraction and/or an exponent, computed
    /// as Parsec 3.1.14 does: `(n + fraction) * 10^e`.
    pub fn float_token(&mut self) -> PResult<f64> {
        let start = self.pos;
        let Some(int) = self.digits(10) else {
            return Ok(None);
        };
        let n: f64 = int.parse().unwrap_or(f64::INFINITY);
        let mut value = None;
        if self.at('.') {
            self.bump();
            let Some(fd) = self.digits(10) else {
                return Err(self.err_here("expected digits after the decimal point"));
            };
            let fract = fd
                .bytes()
                .rev()
                .fold(0.0, |f, d| (f + (d - b'0') as f64) / 10.0);
            let expo = if matches!(self.peek(), Some('e' | 'E')) {
                self.exponent()?
            } else {
                1.0
            };
            value = Some((n + fract) * expo);
        } else if matches!(self.peek(), Some('e' | 'E')) {
            value = Some(n * self.exponent()?);
        }
        let Some(v) = value else {
            return Err(self.err(start, self.pos, "expected a decimal number such as 0.5"));
        };
        self.white()?;
        Ok(Some(v))
    }

    /// Parsec's `exponent'`: `e`, an optional sign and digits; `10^e` as a `Double`.
    fn exponent(&mut self) -> Result<f64, MiniError> {
        self.bump();
        let neg = match self.peek() {
            Some('-') => {
                self.bump();
                true
            }
            Some('+') => {
                self.bump();
                false
            }
            _ => false,
        };
        let Some(d) = self.digits(10) else {
            return Err(self.err_here("expected digits in the exponent"));
        };
        let e: i32 = d.parse().unwrap_or(i32::MAX).min(100_000);
        let p = 10f64.powi(e);
        // `fromInteger (10^e)` is exact up to 10^22 and correctly rounded beyond.
        let p = if e > 22 {
            format!("1e{e}").parse().unwrap_or(f64::INFINITY)
        } else {
            p
        };
        Ok(if neg { 1.0 / p } else { p })
    }

    /// Parsec's `nat`: decimal, or `0x..` hexadecimal / `0o..` octal.
    fn nat(&mut self) -> PResult<f64> {
        if self.at('0') {
            self.bump();
            match self.peek() {
                Some('x' | 'X') => {
                    self.bump();
                    let Some(h) = self.digits(16) else {
                        return Err(self.err_here("expected hexadecimal digits after '0x'"));
                    };
                    return Ok(Some(
                        h.chars()
                            .fold(0.0, |a, c| a * 16.0 + c.to_digit(16).unwrap_or(0) as f64),
                    ));
                }
                Some('o' | 'O') => {
                    self.bump();
                    let Some(o) = self.digits(8) else {
                        return Err(self.err_here("expected octal digits after '0o'"));
                    };
                    return Ok(Some(
                        o.chars()
                            .fold(0.0, |a, c| a * 8.0 + c.to_digit(8).unwrap_or(0) as f64),
                    ));
                }
                _ => {
                    let d = self.digits(10).unwrap_or("0");
                    return Ok(Some(d.parse().unwrap_or(f64::INFINITY)));
                }
            }
        }
        Ok(self.digits(10).map(|d| d.parse().unwrap_or(f64::INFINITY)))
    }

    /// Parsec's `natural` (a lexeme).
    pub fn natural_token(&mut self) -> PResult<f64> {
        let Some(n) = self.nat()? else {
            return Ok(None);
        };
        self.white()?;
        Ok(Some(n))
    }

    /// Parsec's `integer` (a lexeme): a sign, whitespace, then a natural.
    pub fn integer_token(&mut self) -> PResult<f64> {
        let start = self.pos;
        let neg = self.sign();
        self.white()?;
        let Some(n) = self.nat()? else {
            if self.pos != start {
                return Err(self.err_here(format!("expected a number, found {}", self.found())));
            }
            return Ok(None);
        };
        self.white()?;
        Ok(Some(if neg { -n } else { n }))
    }

    /// Tidal's `intOrFloat`: `try float <|> integer`.
    pub fn int_or_float(&mut self) -> PResult<f64> {
        let (save, save_end) = (self.pos, self.tok_end);
        match self.float_token() {
            Ok(Some(v)) => return Ok(Some(v)),
            Ok(None) | Err(_) => {
                self.pos = save;
                self.tok_end = save_end;
            }
        }
        self.integer_token()
    }

    /// Tidal's `pRatioChar`: `w h q e s t f x` for 1, 1/2, 1/4, 1/8, 1/16, 1/3, 1/5, 1/6,
    /// when not followed by a letter. Returns the denominator.
    pub fn ratio_char(&mut self) -> Option<i64> {
        let d = match self.peek()? {
            'w' => 1,
            'h' => 2,
            'q' => 4,
            'e' => 8,
            's' => 16,
            't' => 3,
            'f' => 5,
            'x' => 6,
            _ => return None,
        };
        if self.peek2().is_some_and(hs_letter) {
            return None;
        }
        self.bump();
        Some(d)
    }

    /// Tidal's `pRatio`: a sign, then a number with an optional `%d` fraction and an
    /// optional ratio letter multiplier, or a ratio letter alone.
    pub fn ratio(&mut self) -> PResult<Num> {
        let start = self.pos;
        let neg = self.sign();
        // `try intOrFloat`: a failed number (say, whitespace then no digits) backtracks.
        let (save, save_end) = (self.pos, self.tok_end);
        let n = match self.int_or_float() {
            Ok(n) => n,
            Err(_) => {
                self.pos = save;
                self.tok_end = save_end;
                None
            }
        };
        let num = if let Some(n) = n {
            // `fromRational (toRational n / d / k)`: one rounding at the end.
            let (mut num, mut den, mut exact) = if self.at('%') {
                self.bump();
                let Some(d) = self.integer_token()? else {
                    return Err(self.err_here("expected a whole number after '%'"));
                };
                if n.fract() != 0.0 {
                    return Err(self.err(
                        start,
                        self.tok_end,
                        "fractions need a whole numerator and denominator",
                    ));
                }
                if d == 0.0 {
                    return Err(self.err(
                        start,
                        self.tok_end,
                        "a fraction cannot have a zero denominator",
                    ));
                }
                let exact = (n.abs() < 9.2e18 && d.abs() < 9.2e18)
                    .then(|| exact_time(n as i128, d as i128))
                    .flatten();
                (n, d, exact)
            } else {
                (n, 1.0, f64_ratio(n).and_then(|(a, b)| exact_time(a, b)))
            };
            if let Some(k) = self.ratio_char() {
                den *= k as f64;
                exact = exact
                    .and_then(|t| exact_time(t.numer() as i128, t.denom() as i128 * k as i128));
            }
            if den < 0.0 {
                (num, den) = (-num, -den);
            }
            Num {
                f: num / den,
                exact,
            }
        } else if let Some(k) = self.ratio_char() {
            Num {
                f: 1.0 / k as f64,
                exact: Some(Time::new(1, k)),
            }
        } else if self.pos != start {
            return Err(self.err_here(format!(
                "expected a number after the sign, found {}",
                self.found()
            )));
        } else {
            return Ok(None);
        };
        if !num.f.is_finite() {
            return Err(self.err(start, self.tok_end, "number too large"));
        }
        Ok(Some(if neg {
            Num {
                f: -num.f,
                exact: num.exact.map(|t| -t),
            }
        } else {
            num
        }))
    }

    /// Tidal's `parseNote`: a note letter, sharps/flats/naturals (`s f n`) and an octave
    /// (default 5); c5 is 0.
    pub fn note_name(&mut self) -> PResult<f64> {
        let n = match self.peek() {
            Some('c') => 0,
            Some('d') => 2,
            Some('e') => 4,
            Some('f') => 5,
            Some('g') => 7,
            Some('a') => 9,
            Some('b') => 11,
            _ => return Ok(None),
        };
        self.bump();
        let mut m = 0;
        loop {
            match self.peek() {
                Some('s') => m += 1,
                Some('f') => m -= 1,
                Some('n') => {}
                _ => break,
            }
            self.bump();
        }
        let octave = self.natural_token()?.unwrap_or(5.0);
        Ok(Some((n + m) as f64 + (octave - 5.0) * 12.0))
    }

    /// Tidal's `parseChord`: `'name`, then optionally `'` with a note count, `i`
    /// inversions and `o` for an open voicing. Returns the semitone offsets.
    pub fn chord(&mut self) -> PResult<Vec<i64>> {
        if !self.at('\'') {
            return Ok(None);
        }
        self.bump();
        let rest = &self.src[self.pos..];
        let n = rest
            .char_indices()
            .find(|(_, c)| !(hs_letter(*c) || c.is_ascii_digit()))
            .map_or(rest.len(), |(i, _)| i);
        if n == 0 {
            return Err(self.err_here("expected a chord name after '''"));
        }
        let name = &rest[..n];
        self.pos += n;
        self.tok_end = self.pos;
        // Unknown names give `[0]`, as in Tidal.
        let chord: Vec<i64> = crate::library::chords::chord_table(name)
            .map(|c| c.iter().map(|&x| x as i64).collect())
            .unwrap_or_else(|| vec![0]);
        if !self.at('\'') {
            return Ok(Some(chord));
        }
        self.bump();
        if self.peek().is_some_and(hs_space) {
            return Err(self.err_here("expected a chord range, 'i' or 'o' after the second '''"));
        }
        let at = self.pos;
        let count = match self.integer_token()? {
            Some(c) if c > 4096.0 => {
                return Err(self.err(at, self.tok_end, "chord range too large (max 4096 notes)"))
            }
            Some(c) => c.max(-1.0) as i64,
            None => chord.len() as i64,
        };
        let mut inversions = 0;
        while self.at('i') {
            self.bump();
            inversions += 1;
        }
        let mut open = 0;
        while self.at('o') {
            self.bump();
            open += 1;
        }
        let notes: Vec<i64> = (0..)
            .flat_map(|oct: i64| chord.iter().map(move |x| x + 12 * oct))
            .skip(inversions)
            .take(count.max(0) as usize)
            .collect();
        if open > 0 && chord.len() > 2 {
            if notes.len() < 3 {
                return Err(self.err(
                    at,
                    self.pos,
                    "an open chord ('o') needs at least three notes",
                ));
            }
            let mut v = vec![notes[0] - 12, notes[2] - 12, notes[1]];
            v.extend_from_slice(&notes[3..]);
            return Ok(Some(v));
        }
        Ok(Some(notes))
    }
}
