//! The syntax tree of Tidal code: expressions, statements and their source spans.

use std::sync::Arc;

/// A byte range in the source file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct Span {
    /// Byte offset of the first character.
    pub start: usize,
    /// Byte offset one past the last character.
    pub end: usize,
}

impl Span {
    /// A span from byte offsets.
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

/// An expression with its span.
#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    /// What kind of expression.
    pub kind: ExprKind,
    /// Where it is in the source.
    pub span: Span,
}

/// Expression forms of the Haskell subset Tidal code uses.
#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    /// A variable or function name: `fast`, `d1`, `every'`, `x`.
    Var(Arc<str>),
    /// An operator used as a value: `(+)`, `(#)`, `($)`.
    OpRef(Arc<str>),
    /// A numeric literal as written (integer, decimal or exponent form): `2`, `0.25`, `1e3`.
    /// `text` is the literal's source text so the evaluator can read it exactly as a rational.
    Num {
        /// The literal's value.
        value: f64,
        /// The literal's source text, e.g. `"0.25"`.
        text: Arc<str>,
        /// True when written without `.`/exponent (an integer literal).
        integer: bool,
    },
    /// A string literal (contents, escapes resolved). `contents_start` is the byte offset of
    /// the first character after the opening quote, for mapping mini-notation spans.
    Str {
        /// The string's contents.
        value: Arc<str>,
        /// Byte offset of the contents in the file.
        contents_start: usize,
    },
    /// Function application `f x` (curried: `f x y` is `App(App(f, x), y)`).
    App(Box<Expr>, Box<Expr>),
    /// A binary operator application after fixity resolution: `a # b`, `f $ x`, `f . g`,
    /// ``a `op` b`` (backtick operators use the function name as `op`, `backtick = true`).
    BinOp {
        /// The operator, e.g. `"#"`, `"|+|"`, `"$"`, `"."`, `"<~"`, or a function name.
        op: Arc<str>,
        /// Span of the operator token.
        op_span: Span,
        /// True for ``a `f` b``.
        backtick: bool,
        /// Left operand.
        lhs: Box<Expr>,
        /// Right operand.
        rhs: Box<Expr>,
    },
    /// Unary minus `-x` (Haskell's negate).
    Neg(Box<Expr>),
    /// Left section `(x op)`, e.g. `(0.25 <~)`, `(1 +)`.
    SectionL {
        /// The operator.
        op: Arc<str>,
        /// Span of the operator token.
        op_span: Span,
        /// True for ``(x `f`)``.
        backtick: bool,
        /// The left operand.
        lhs: Box<Expr>,
    },
    /// Right section `(op x)`, e.g. `(# speed 2)`, `(+ n 12)`.
    SectionR {
        /// The operator.
        op: Arc<str>,
        /// Span of the operator token.
        op_span: Span,
        /// True for ``(`f` x)``.
        backtick: bool,
        /// The right operand.
        rhs: Box<Expr>,
    },
    /// A list `[a, b, c]`.
    List(Vec<Expr>),
    /// A tuple `(a, b)` (two or more elements).
    Tuple(Vec<Expr>),
    /// An arithmetic sequence `[a .. b]`.
    Range(Box<Expr>, Box<Expr>),
    /// `let x = e; y = e2 in body` (also produced from layout-style multi-line lets).
    Let(Vec<Binding>, Box<Expr>),
    /// `\x y -> body`.
    Lambda(Vec<(Arc<str>, Span)>, Box<Expr>),
    /// `if c then a else b`.
    If(Box<Expr>, Box<Expr>, Box<Expr>),
}

/// A `name args = expr` binding (in `let` or at the top level of a file).
#[derive(Clone, Debug, PartialEq)]
pub struct Binding {
    /// The bound name.
    pub name: Arc<str>,
    /// Span of the name.
    pub name_span: Span,
    /// Parameter names (for `let f x = ...`).
    pub params: Vec<(Arc<str>, Span)>,
    /// The body.
    pub body: Expr,
}

/// One top-level statement of a file.
#[derive(Clone, Debug, PartialEq)]
pub struct Statement {
    /// What it is.
    pub kind: StatementKind,
    /// Where it is.
    pub span: Span,
}

/// Top-level statements.
#[derive(Clone, Debug, PartialEq)]
pub enum StatementKind {
    /// An expression statement: `d1 $ s "bd"`, `setcps 0.5`, `hush`, `solo 1`, `once $ ...`,
    /// `xfadeIn 1 8 $ ...`. The evaluator interprets the head (`d1`, `setcps`...).
    Expr(Expr),
    /// A top-level `let` (GHCi style): `let pat = s "bd sn"` — visible to later statements.
    Let(Vec<Binding>),
}

/// A parsed file: its statements in order. Parse errors for individual statements are
/// reported separately; the rest of the file still parses.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct File {
    /// Successfully parsed statements.
    pub statements: Vec<Statement>,
}
