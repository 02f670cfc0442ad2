//! The lexer: Tidal source text to tokens with byte spans.
//!
//! Tokens follow Haskell's lexical syntax as far as Tidal code uses it: identifiers (with
//! primes, `every'`), numbers (`2`, `0.25`, `1e3`, `1.5e-2`), string literals with escapes,
//! operators made of `!#$%&*+./<=>?@\^|-~:`, backticks, brackets, `,` `;`, the reserved
//! symbols `=` `\` `->` `..` `::`, the keywords `let in where if then else do case of`, line
//! comments `--` and nested block comments `{- -}`.
//!
//! Every token records its line, its character column and whether it is the first token on
//! its line, which the parser uses for statement splitting and `let`/`do` layout.
//!
//! Lexing never stops at an error: a bad character, an unterminated string or an unterminated
//! block comment becomes a [`TokenKind::Error`] token plus a [`Diagnostic`], and lexing goes
//! on, so the rest of a file can still be parsed.

use std::sync::Arc;

use crate::ast::Span;
use crate::diagnostic::Diagnostic;

/// Reserved words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Keyword {
    /// `let`
    Let,
    /// `in`
    In,
    /// `where`
    Where,
    /// `if`
    If,
    /// `then`
    Then,
    /// `else`
    Else,
    /// `do`
    Do,
    /// `case`
    Case,
    /// `of`
    Of,
}

impl Keyword {
    fn from_ident(s: &str) -> Option<Keyword> {
        Some(match s {
            "let" => Keyword::Let,
            "in" => Keyword::In,
            "where" => Keyword::Where,
            "if" => Keyword::If,
            "then" => Keyword::Then,
            "else" => Keyword::Else,
            "do" => Keyword::Do,
            "case" => Keyword::Case,
            "of" => Keyword::Of,
            _ => return None,
        })
    }

    /// The keyword as written.
    pub fn as_str(self) -> &'static str {
        match self {
            Keyword::Let => "let",
            Keyword::In => "in",
            Keyword::Where => "where",
            Keyword::If => "if",
            Keyword::Then => "then",
            Keyword::Else => "else",
            Keyword::Do => "do",
            Keyword::Case => "case",
            Keyword::Of => "of",
        }
    }
}

/// What a token is.
#[derive(Clone, Debug, PartialEq)]
pub enum TokenKind {
    /// An identifier such as `fast`, `every'`, `d1`. A qualified name (`Sound.Tidal.Context.fast`)
    /// is reduced to its last component.
    Ident(Arc<str>),
    /// A reserved word.
    Keyword(Keyword),
    /// A numeric literal.
    Num {
        /// Its value (always finite).
        value: f64,
        /// Its source text.
        text: Arc<str>,
        /// True when written without `.` or exponent.
        integer: bool,
    },
    /// A string literal with escapes resolved.
    Str {
        /// The contents.
        value: Arc<str>,
        /// Byte offset of the first character after the opening quote.
        contents_start: usize,
    },
    /// An operator symbol such as `#`, `$`, `|+|`, `<~`.
    Op(Arc<str>),
    /// `` ` ``
    Backtick,
    /// `(`
    LParen,
    /// `)`
    RParen,
    /// `[`
    LBracket,
    /// `]`
    RBracket,
    /// `{`
    LBrace,
    /// `}`
    RBrace,
    /// `,`
    Comma,
    /// `;`
    Semi,
    /// `=`
    Equals,
    /// `\` (lambda)
    Backslash,
    /// `->`
    Arrow,
    /// `..`
    DotDot,
    /// `::`
    DoubleColon,
    /// A stretch of text that could not be lexed; its diagnostic has been reported.
    Error,
}

impl TokenKind {
    /// A short description for error messages: ``"`fast`"``, `"a number"`, ``"`(`"``.
    pub fn describe(&self) -> String {
        match self {
            TokenKind::Ident(s) => format!("`{s}`"),
            TokenKind::Keyword(k) => format!("keyword `{}`", k.as_str()),
            TokenKind::Num { text, .. } => format!("number `{text}`"),
            TokenKind::Str { .. } => "a string".to_string(),
            TokenKind::Op(s) => format!("operator `{s}`"),
            TokenKind::Backtick => "`` ` ``".to_string(),
            TokenKind::LParen => "`(`".to_string(),
            TokenKind::RParen => "`)`".to_string(),
            TokenKind::LBracket => "`[`".to_string(),
            TokenKind::RBracket => "`]`".to_string(),
            TokenKind::LBrace => "`{`".to_string(),
            TokenKind::RBrace => "`}`".to_string(),
            TokenKind::Comma => "`,`".to_string(),
            TokenKind::Semi => "`;`".to_string(),
            TokenKind::Equals => "`=`".to_string(),
            TokenKind::Backslash => "`\\`".to_string(),
            TokenKind::Arrow => "`->`".to_string(),
            TokenKind::DotDot => "`..`".to_string(),
            TokenKind::DoubleColon => "`::`".to_string(),
            TokenKind::Error => "invalid input".to_string(),
        }
    }
}

/// A token with its position.
#[derive(Clone, Debug, PartialEq)]
pub struct Token {
    /// What it is.
    pub kind: TokenKind,
    /// Its bytes in the source.
    pub span: Span,
    /// 0-based line number of its first character.
    pub line: usize,
    /// 0-based column of its first character, in characters.
    pub col: usize,
    /// True when no other token precedes it on its line.
    pub first_on_line: bool,
}

/// Lexer options.
#[derive(Clone, Copy, Debug, Default)]
pub struct LexOptions {
    /// Skip GHCi command lines (a line whose first character, at column 0, is `:`, such as
    /// `:{`, `:}` or `:set -XOverloadedStrings`). `:{`/`:}` are skipped silently; any other
    /// command gives a warning.
    pub ghci_commands: bool,
}

/// The result of lexing.
#[derive(Clone, Debug, Default)]
pub struct Lexed {
    /// The tokens, in order.
    pub tokens: Vec<Token>,
    /// Errors and warnings met on the way.
    pub diagnostics: Vec<Diagnostic>,
    /// 0-based numbers of the lines that hold no token and no comment (only whitespace), or
    /// that held a skipped GHCi command.
    pub blank_lines: Vec<usize>,
}

/// True for the characters operators are made of.
pub fn is_symbol_char(c: char) -> bool {
    matches!(
        c,
        '!' | '#'
            | '$'
            | '%'
            | '&'
            | '*'
            | '+'
            | '.'
            | '/'
            | '<'
            | '='
            | '>'
            | '?'
            | '@'
            | '\\'
            | '^'
            | '|'
            | '-'
            | '~'
            | ':'
    )
}

fn is_ident_start(c: char) -> bool {
    c.is_alphabetic() || c == '_'
}

fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '\''
}

struct Lexer<'a> {
    src: &'a str,
    pos: usize,
    line: usize,
    line_start: usize,
    line_has_token: bool,
    line_has_content: bool,
    /// Line and column where the token being lexed starts.
    tok_line: usize,
    tok_col: usize,
    tok_first: bool,
    /// A byte offset on the current line and its character column.
    col_cache: (usize, usize),
    out: Lexed,
    opts: LexOptions,
}

/// Lexes `src` into tokens. Never panics; problems are reported as diagnostics and
/// [`TokenKind::Error`] tokens.
///
/// ```
/// use tactus_lang::lexer::{lex, LexOptions, TokenKind};
/// let lexed = lex("d1 $ s \"bd\"", LexOptions::default());
/// assert_eq!(lexed.tokens.len(), 4);
/// assert!(matches!(lexed.tokens[1].kind, TokenKind::Op(ref o) if &**o == "$"));
/// ```
pub fn lex(src: &str, opts: LexOptions) -> Lexed {
    let mut lx = Lexer {
        src,
        pos: 0,
        line: 0,
        line_start: 0,
        line_has_token: false,
        line_has_content: false,
        tok_line: 0,
        tok_col: 0,
        tok_first: true,
        col_cache: (0, 0),
        out: Lexed::default(),
        opts,
    };
    lx.run();
    lx.out
}

impl<'a> Lexer<'a> {
    fn peek(&self) -> Option<char> {
        self.src[self.pos..].chars().next()
    }

    fn peek_at(&self, n: usize) -> Option<char> {
        self.src[self.pos..].chars().nth(n)
    }

    fn newline(&mut self) {
        // self.pos points just past '\n'
        if !self.line_has_content {
            self.out.blank_lines.push(self.line);
        }
        self.line += 1;
        self.line_start = self.pos;
        self.line_has_token = false;
        self.line_has_content = false;
    }

    /// The character column of `byte` on the current line. Tokens arrive in order, so the
    /// count continues from the previous call (linear, even for one very long line).
    fn col_of(&mut self, byte: usize) -> usize {
        let (from, col) = if self.col_cache.0 >= self.line_start && self.col_cache.0 <= byte {
            self.col_cache
        } else {
            (self.line_start, 0)
        };
        let col = col + self.src[from..byte].chars().count();
        self.col_cache = (byte, col);
        col
    }

    fn push(&mut self, kind: TokenKind, start: usize, end: usize) {
        self.out.tokens.push(Token {
            kind,
            span: Span::new(start, end),
            line: self.tok_line,
            col: self.tok_col,
            first_on_line: self.tok_first,
        });
        self.line_has_token = true;
        self.line_has_content = true;
    }

    fn error(&mut self, message: String, start: usize, end: usize) {
        self.out
            .diagnostics
            .push(Diagnostic::error(message, Span::new(start, end)));
    }

    fn run(&mut self) {
        while let Some(c) = self.peek() {
            let start = self.pos;
            if c == '\n' {
                self.pos += 1;
                self.newline();
                continue;
            }
            if c.is_whitespace() {
                self.pos += c.len_utf8();
                continue;
            }
            self.tok_line = self.line;
            self.tok_col = self.col_of(start);
            self.tok_first = !self.line_has_token;
            if self.opts.ghci_commands && c == ':' && start == self.line_start {
                self.ghci_command();
                continue;
            }
            if c == '{' && self.peek_at(1) == Some('-') {
                self.block_comment();
                continue;
            }
            if is_ident_start(c) {
                self.ident();
            } else if c.is_ascii_digit() {
                self.number();
            } else if c == '"' {
                self.string();
            } else if is_symbol_char(c) {
                self.symbol();
            } else {
                self.pos += c.len_utf8();
                let kind = match c {
                    '`' => TokenKind::Backtick,
                    '(' => TokenKind::LParen,
                    ')' => TokenKind::RParen,
                    '[' => TokenKind::LBracket,
                    ']' => TokenKind::RBracket,
                    '{' => TokenKind::LBrace,
                    '}' => TokenKind::RBrace,
                    ',' => TokenKind::Comma,
                    ';' => TokenKind::Semi,
                    _ => {
                        let mut d = Diagnostic::error(
                            format!("unexpected character `{}`", c.escape_debug()),
                            Span::new(start, self.pos),
                        );
                        if c == '\'' {
                            d = d.with_note("character literals are not supported; use a string");
                        } else if matches!(c, '“' | '”') {
                            d = d.with_suggestion("\"");
                        }
                        self.out.diagnostics.push(d);
                        TokenKind::Error
                    }
                };
                self.push(kind, start, self.pos);
            }
        }
        if !self.line_has_content && self.line_start < self.src.len() {
            self.out.blank_lines.push(self.line);
        }
    }

    fn ghci_command(&mut self) {
        let start = self.pos;
        let end = self.src[start..]
            .find('\n')
            .map_or(self.src.len(), |i| start + i);
        let text = self.src[start..end].trim();
        if text != ":{" && text != ":}" {
            let name = text.split_whitespace().next().unwrap_or(":");
            self.out.diagnostics.push(
                Diagnostic::warning(
                    format!("GHCi command `{name}` ignored"),
                    Span::new(start, end),
                )
                .with_note("only `:{` and `:}` are understood (and ignored) in tactus files"),
            );
        }
        // The line counts as blank: it separates statements.
        self.pos = end;
    }

    fn block_comment(&mut self) {
        let start = self.pos;
        self.pos += 2;
        self.line_has_content = true;
        let mut depth = 1usize;
        while let Some(c) = self.peek() {
            if c == '{' && self.peek_at(1) == Some('-') {
                depth += 1;
                self.pos += 2;
            } else if c == '-' && self.peek_at(1) == Some('}') {
                depth -= 1;
                self.pos += 2;
                if depth == 0 {
                    return;
                }
            } else if c == '\n' {
                self.pos += 1;
                self.newline();
                self.line_has_content = true;
            } else {
                self.pos += c.len_utf8();
            }
        }
        self.error(
            "unterminated block comment".to_string(),
            start,
            (start + 2).min(self.src.len()),
        );
        let mut d = self.out.diagnostics.pop().expect("just pushed");
        d = d.with_note("`{-` starts a comment that needs a matching `-}`");
        self.out.diagnostics.push(d);
        self.push(TokenKind::Error, start, self.pos);
    }

    fn ident(&mut self) {
        let start = self.pos;
        loop {
            while let Some(c) = self.peek() {
                if is_ident_char(c) {
                    self.pos += c.len_utf8();
                } else {
                    break;
                }
            }
            // Qualified name: `Mod.Sub.name` where the qualifier starts with a capital.
            let seg_start = self.src[start..self.pos]
                .rfind('.')
                .map_or(start, |i| start + i + 1);
            let seg_is_module = self.src[seg_start..]
                .chars()
                .next()
                .is_some_and(|c| c.is_uppercase());
            if seg_is_module
                && self.peek() == Some('.')
                && self.peek_at(1).is_some_and(is_ident_start)
            {
                self.pos += 1;
                continue;
            }
            break;
        }
        let text = &self.src[start..self.pos];
        let name = text.rsplit('.').next().unwrap_or(text);
        let kind = match Keyword::from_ident(name) {
            Some(k) if name.len() == text.len() => TokenKind::Keyword(k),
            _ => TokenKind::Ident(Arc::from(name)),
        };
        self.push(kind, start, self.pos);
    }

    fn digits(&mut self) {
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
        }
    }

    fn number(&mut self) {
        let start = self.pos;
        self.digits();
        let mut integer = true;
        if self.peek() == Some('.') && self.peek_at(1).is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
            self.digits();
            integer = false;
        }
        if matches!(self.peek(), Some('e' | 'E')) {
            let sign = matches!(self.peek_at(1), Some('+' | '-'));
            let first_digit = if sign { 2 } else { 1 };
            if self
                .peek_at(first_digit)
                .is_some_and(|c| c.is_ascii_digit())
            {
                self.pos += first_digit;
                self.digits();
                integer = false;
            }
        }
        let text = &self.src[start..self.pos];
        let value: f64 = text.parse().unwrap_or(f64::INFINITY);
        let too_big_int = integer && text.parse::<i64>().is_err();
        if !value.is_finite() || too_big_int {
            self.out.diagnostics.push(
                Diagnostic::error(
                    format!("number `{text}` is too large"),
                    Span::new(start, self.pos),
                )
                .with_note(if integer {
                    "integer literals must fit in 64 bits"
                } else {
                    "the value must be finite"
                }),
            );
            self.push(TokenKind::Error, start, self.pos);
            return;
        }
        self.push(
            TokenKind::Num {
                value,
                text: Arc::from(text),
                integer,
            },
            start,
            self.pos,
        );
    }

    fn string(&mut self) {
        let start = self.pos;
        self.pos += 1;
        let contents_start = self.pos;
        let mut value = String::new();
        let mut ok = true;
        loop {
            let Some(c) = self.peek() else {
                self.unterminated_string(start);
                return;
            };
            match c {
                '"' => {
                    self.pos += 1;
                    break;
                }
                '\n' => {
                    self.unterminated_string(start);
                    return;
                }
                '\\' => {
                    if !self.escape(&mut value) {
                        ok = false;
                    }
                }
                _ => {
                    value.push(c);
                    self.pos += c.len_utf8();
                }
            }
        }
        let kind = if ok {
            TokenKind::Str {
                value: Arc::from(value),
                contents_start,
            }
        } else {
            TokenKind::Error
        };
        self.push(kind, start, self.pos);
    }

    fn unterminated_string(&mut self, start: usize) {
        self.out.diagnostics.push(
            Diagnostic::error(
                "unterminated string".to_string(),
                Span::new(start, start + 1),
            )
            .with_note("a string must end with `\"` on the same line"),
        );
        self.push(TokenKind::Error, start, self.pos);
    }

    /// Reads one escape sequence at `self.pos` (a backslash) into `out`; false on error.
    fn escape(&mut self, out: &mut String) -> bool {
        let start = self.pos;
        self.pos += 1;
        let Some(c) = self.peek() else {
            return true; // the caller reports the unterminated string
        };
        let simple = match c {
            'n' => Some('\n'),
            't' => Some('\t'),
            'r' => Some('\r'),
            '\\' => Some('\\'),
            '"' => Some('"'),
            '\'' => Some('\''),
            'a' => Some('\u{7}'),
            'b' => Some('\u{8}'),
            'f' => Some('\u{c}'),
            'v' => Some('\u{b}'),
            _ => None,
        };
        if let Some(ch) = simple {
            self.pos += 1;
            out.push(ch);
            return true;
        }
        if c == '&' {
            self.pos += 1;
            return true;
        }
        if c.is_ascii_digit() || c == 'x' {
            let radix = if c == 'x' {
                self.pos += 1;
                16
            } else {
                10
            };
            let digits_start = self.pos;
            while self.peek().is_some_and(|d| d.is_digit(radix)) {
                self.pos += 1;
            }
            let code = u32::from_str_radix(&self.src[digits_start..self.pos], radix)
                .ok()
                .and_then(char::from_u32);
            return match code {
                Some(ch) => {
                    out.push(ch);
                    true
                }
                None => {
                    self.error(
                        "invalid character code in string escape".to_string(),
                        start,
                        self.pos,
                    );
                    false
                }
            };
        }
        if c.is_whitespace() {
            // A string gap: `\   \`, possibly across lines.
            while let Some(w) = self.peek() {
                if w == '\n' {
                    self.pos += 1;
                    self.newline();
                    self.line_has_content = true;
                } else if w.is_whitespace() {
                    self.pos += w.len_utf8();
                } else {
                    break;
                }
            }
            if self.peek() == Some('\\') {
                self.pos += 1;
                return true;
            }
            self.error(
                "invalid string gap: expected `\\`".to_string(),
                start,
                self.pos,
            );
            return false;
        }
        self.pos += c.len_utf8();
        self.error(
            format!("unknown escape `\\{}` in string", c.escape_debug()),
            start,
            self.pos,
        );
        false
    }

    fn symbol(&mut self) {
        let start = self.pos;
        while self.peek().is_some_and(is_symbol_char) {
            self.pos += 1;
        }
        let text = &self.src[start..self.pos];
        if text.len() >= 2 && text.bytes().all(|b| b == b'-') {
            // A line comment.
            let end = self.src[start..]
                .find('\n')
                .map_or(self.src.len(), |i| start + i);
            self.pos = end;
            self.line_has_content = true;
            return;
        }
        let kind = match text {
            "=" => TokenKind::Equals,
            "\\" => TokenKind::Backslash,
            "->" => TokenKind::Arrow,
            ".." => TokenKind::DotDot,
            "::" => TokenKind::DoubleColon,
            _ => TokenKind::Op(Arc::from(text)),
        };
        self.push(kind, start, self.pos);
    }
}
