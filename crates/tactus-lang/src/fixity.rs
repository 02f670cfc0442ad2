//! Operator fixities: precedence and associativity, as GHC sees them in a Tidal session.
//!
//! Tidal 1.7.10 declares no fixity for its own operators in `Sound.Tidal.Core` (`#`, the
//! `|+|`/`|+`/`+|` family for `+ - * / % ** < > ++`, `<~`, `~>`), so Haskell's default
//! applies: `infixl 9`. This is why `s "bd*4" # n "1 2" + n "10 20 30"` means
//! `(s "bd*4" # n "1 2") + n "10 20 30"`, and `fast 2 $ s "a" # n 1` means
//! `fast 2 $ (s "a" # n 1)`. `Sound.Tidal.Pattern` declares `infixl 4 <*, *>` for its
//! structure-keeping applicative operators. Everything else comes from the Haskell Prelude and
//! base (`$` `infixr 0`, `.` `infixr 9`, `+ -` `infixl 6`, `* /` `infixl 7`, `<>` `infixr 6`,
//! `++` `infixr 5`, ...). Unknown operators and backtick functions default to `infixl 9`.

/// Which way an operator groups.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Assoc {
    /// `a op b op c` = `(a op b) op c`
    Left,
    /// `a op b op c` = `a op (b op c)`
    Right,
    /// `a op b op c` is an error.
    None,
}

/// An operator's fixity.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fixity {
    /// Associativity.
    pub assoc: Assoc,
    /// Precedence 0 (loosest) to 9 (tightest); application binds tighter than any operator.
    pub prec: u8,
}

impl Fixity {
    /// Haskell's default for operators without a declaration: `infixl 9`.
    pub const DEFAULT: Fixity = Fixity {
        assoc: Assoc::Left,
        prec: 9,
    };

    /// The fixity as Haskell writes it, e.g. `"infixr 0"`.
    pub fn describe(self) -> String {
        let kw = match self.assoc {
            Assoc::Left => "infixl",
            Assoc::Right => "infixr",
            Assoc::None => "infix",
        };
        format!("{kw} {}", self.prec)
    }
}

const fn fx(assoc: Assoc, prec: u8) -> Fixity {
    Fixity { assoc, prec }
}

/// Fixities of symbolic operators that differ from the default `infixl 9`.
const OPERATORS: &[(&str, Fixity)] = &[
    // Prelude / base
    ("$", fx(Assoc::Right, 0)),
    ("$!", fx(Assoc::Right, 0)),
    (">>=", fx(Assoc::Left, 1)),
    (">>", fx(Assoc::Left, 1)),
    ("=<<", fx(Assoc::Right, 1)),
    ("&", fx(Assoc::Left, 1)),
    ("<&>", fx(Assoc::Left, 1)),
    ("<|>", fx(Assoc::Left, 3)),
    ("||", fx(Assoc::Right, 2)),
    ("&&", fx(Assoc::Right, 3)),
    ("==", fx(Assoc::None, 4)),
    ("/=", fx(Assoc::None, 4)),
    ("<", fx(Assoc::None, 4)),
    ("<=", fx(Assoc::None, 4)),
    (">", fx(Assoc::None, 4)),
    (">=", fx(Assoc::None, 4)),
    ("<$>", fx(Assoc::Left, 4)),
    ("<$", fx(Assoc::Left, 4)),
    ("$>", fx(Assoc::Left, 4)),
    ("<*>", fx(Assoc::Left, 4)),
    // Prelude's `<*` and `*>`, and Tidal's pattern versions (Sound.Tidal.Pattern: infixl 4).
    ("<*", fx(Assoc::Left, 4)),
    ("*>", fx(Assoc::Left, 4)),
    (":", fx(Assoc::Right, 5)),
    ("++", fx(Assoc::Right, 5)),
    ("<>", fx(Assoc::Right, 6)),
    ("+", fx(Assoc::Left, 6)),
    ("-", fx(Assoc::Left, 6)),
    ("*", fx(Assoc::Left, 7)),
    ("/", fx(Assoc::Left, 7)),
    ("%", fx(Assoc::Left, 7)),
    ("^", fx(Assoc::Right, 8)),
    ("^^", fx(Assoc::Right, 8)),
    ("**", fx(Assoc::Right, 8)),
    (".", fx(Assoc::Right, 9)),
    ("!!", fx(Assoc::Left, 9)),
];

/// Fixities of functions used in backticks that differ from the default `infixl 9`.
const BACKTICKS: &[(&str, Fixity)] = &[
    ("seq", fx(Assoc::Right, 0)),
    ("elem", fx(Assoc::None, 4)),
    ("notElem", fx(Assoc::None, 4)),
    ("div", fx(Assoc::Left, 7)),
    ("mod", fx(Assoc::Left, 7)),
    ("rem", fx(Assoc::Left, 7)),
    ("quot", fx(Assoc::Left, 7)),
];

/// The fixity of a symbolic operator, or of a function in backticks (`backtick = true`).
///
/// ```
/// use tactus_lang::fixity::{fixity, Assoc};
/// assert_eq!(fixity("$", false).prec, 0);
/// assert_eq!(fixity("#", false).prec, 9);
/// assert_eq!(fixity("+", false).assoc, Assoc::Left);
/// assert_eq!(fixity("struct", true).prec, 9);
/// ```
pub fn fixity(op: &str, backtick: bool) -> Fixity {
    let table = if backtick { BACKTICKS } else { OPERATORS };
    table
        .iter()
        .find(|(name, _)| *name == op)
        .map_or(Fixity::DEFAULT, |&(_, f)| f)
}

/// The precedence of prefix minus (Haskell's `negate`): it groups like binary `-`, `infixl 6`.
pub const NEGATE: Fixity = fx(Assoc::Left, 6);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tidal_operators_are_default() {
        for op in [
            "#", "|+|", "|+", "+|", "|<|", "|<", "<|", "|>", ">|", "|>|", "<~", "~>", "|++|",
            "|/|", "|%|", "|**|", "|*",
        ] {
            assert_eq!(fixity(op, false), Fixity::DEFAULT, "{op}");
        }
        assert_eq!(fixity("$", false).describe(), "infixr 0");
        assert_eq!(fixity("==", false).describe(), "infix 4");
        assert_eq!(fixity("div", true).describe(), "infixl 7");
    }
}
