//! The parser: tokens to the syntax tree of [`crate::ast`].
//!
//! Expressions follow Haskell: application binds tighter than any operator, and chains of
//! infix operators are resolved by the fixities of [`crate::fixity`] (Tidal's own operators
//! are `infixl 9`, `$` is `infixr 0`, and so on). An infix chain is collected flat and then
//! resolved with an operator-precedence (shunting-yard) pass, so long chains never recurse.
//! Recursion happens only for brackets, lambdas, `let` and `if`, and is capped
//! ([`MAX_NESTING`]); the depth of the tree built is capped too ([`MAX_AST_DEPTH`]), so no
//! input can overflow the stack, here or in a later pass over the tree.
//!
//! Supported: sections `(# speed 2)`, `(0.25 <~)`, `(+ n 12)`, operators as values `($)`,
//! unary minus (`(-1)` is negative one), lists, tuples, ranges `[0 .. 7]`, `let ... in`
//! (with layout or `;`), lambdas `\x -> ...` and `if then else`. Rejected with a clear
//! message: `()`, `where`, `case`, type annotations, `[a, b .. c]`, `[a ..]`.
//!
//! Files (GHCi style) are split into statements by [`parse_file`]; see its docs.

use crate::ast::{Expr, ExprKind, Span};
use crate::diagnostic::Diagnostic;
use crate::lexer::{lex, Keyword, LexOptions, Token, TokenKind};

mod bindings;
mod infix;
mod statements;

use infix::{Item, OpTok};

pub use statements::parse_file;

/// How deeply brackets, lambdas, `let`s and `if`s may nest before parsing stops with
/// "expression nested too deeply".
pub const MAX_NESTING: usize = 128;

/// The greatest depth of syntax tree the parser builds; deeper input is an error, so that
/// passes over the tree can recurse safely.
pub const MAX_AST_DEPTH: usize = 256;

/// Parse results carry boxed diagnostics, which keeps the recursive parser's stack frames
/// small.
type PResult<T> = Result<T, Box<Diagnostic>>;

#[cold]
#[inline(never)]
fn fail<T>(d: impl Into<Box<Diagnostic>>) -> PResult<T> {
    Err(d.into())
}

/// Parses a single expression (e.g. for `tactus query EXPR`). Newlines are allowed anywhere;
/// the whole input must be one expression.
///
/// ```
/// use tactus_lang::ast::ExprKind;
/// use tactus_lang::parser::parse_expr;
/// let e = parse_expr("fast 2 $ s \"bd sn\" # n 1").unwrap();
/// assert!(matches!(e.kind, ExprKind::BinOp { ref op, .. } if &**op == "$"));
/// assert!(parse_expr("fast 2 $").is_err());
/// ```
pub fn parse_expr(src: &str) -> Result<Expr, Diagnostic> {
    let lexed = lex(src, LexOptions::default());
    if let Some(d) = lexed.diagnostics.into_iter().find(|d| d.is_error()) {
        return Err(d);
    }
    let mut p = Parser::new(&lexed.tokens, Span::new(src.len(), src.len()));
    if p.raw().is_none() {
        return Err(Diagnostic::error(
            "expected an expression, found nothing",
            p.eof,
        ));
    }
    let e = p.expr().map_err(|d| *d)?;
    p.expect_end().map_err(|d| *d)?;
    Ok(e.expr)
}

/// An expression with the depth of its tree.
pub(crate) struct Node {
    pub(crate) expr: Expr,
    depth: usize,
}

/// A `let`/`do` layout block.
#[derive(Clone, Copy)]
struct Layout {
    /// The column its items start at.
    col: usize,
    /// The token index where the current item starts (the one token at `col` let through).
    item_start: usize,
}

/// A recursive-descent parser over one statement's tokens.
pub(crate) struct Parser<'t> {
    toks: &'t [Token],
    pos: usize,
    /// Where "end of input" errors point.
    pub(crate) eof: Span,
    /// Layout contexts: `Some` inside a `let`/`do` block; `None` inside brackets, where
    /// layout is off.
    layout: Vec<Option<Layout>>,
    nesting: usize,
}

fn node(kind: ExprKind, span: Span, depth: usize) -> Node {
    Node {
        expr: Expr { kind, span },
        depth,
    }
}

impl<'t> Parser<'t> {
    pub(crate) fn new(toks: &'t [Token], eof: Span) -> Parser<'t> {
        Parser {
            toks,
            pos: 0,
            eof,
            layout: Vec::new(),
            nesting: 0,
        }
    }

    /// The next token regardless of layout.
    pub(crate) fn raw(&self) -> Option<&'t Token> {
        self.toks.get(self.pos)
    }

    /// The next token, or `None` at the end or where the current layout block ends: a token
    /// that starts a line at or left of the block's column.
    pub(crate) fn cur(&self) -> Option<&'t Token> {
        let t = self.raw()?;
        if let Some(Some(l)) = self.layout.last() {
            let starts_item = t.col == l.col && self.pos == l.item_start;
            if t.first_on_line && t.col <= l.col && !starts_item {
                return None;
            }
        }
        Some(t)
    }

    fn kind(&self) -> Option<&'t TokenKind> {
        self.cur().map(|t| &t.kind)
    }

    fn is(&self, k: &TokenKind) -> bool {
        self.kind() == Some(k)
    }

    fn is_kw(&self, k: Keyword) -> bool {
        self.is(&TokenKind::Keyword(k))
    }

    pub(crate) fn bump(&mut self) -> &'t Token {
        let t = &self.toks[self.pos];
        self.pos += 1;
        t
    }

    /// The span of the next token (even past a layout boundary), or the end of input.
    fn here(&self) -> Span {
        self.raw().map_or(self.eof, |t| t.span)
    }

    fn found(&self) -> String {
        match (self.cur(), self.raw()) {
            (Some(t), _) => t.kind.describe(),
            (None, Some(t)) => format!("{} at the start of a line", t.kind.describe()),
            (None, None) => "end of input".to_string(),
        }
    }

    fn unexpected(&self, expected: &str) -> Diagnostic {
        let mut d = Diagnostic::error(
            format!("expected {expected}, found {}", self.found()),
            self.here(),
        );
        let line_start_op = self
            .raw()
            .is_some_and(|t| t.first_on_line && matches!(t.kind, TokenKind::Op(_)));
        if line_start_op && self.pos == 0 {
            d = d.with_note(
                "a line that continues a statement must be indented; \
                 this one starts a new statement",
            );
        } else if self.is_kw(Keyword::Where) {
            d = d.with_note("`where` clauses are not supported; use `let ... in ...`");
        } else if self.is(&TokenKind::DoubleColon) {
            d = d.with_note("type annotations (`::`) are not supported");
        }
        d
    }

    fn expect(&mut self, k: &TokenKind, what: &str) -> PResult<&'t Token> {
        if self.is(k) {
            Ok(self.bump())
        } else {
            fail(self.unexpected(what))
        }
    }

    fn expect_close(&mut self, k: &TokenKind, open: &Token) -> PResult<&'t Token> {
        let close = if *k == TokenKind::RParen {
            "`)`"
        } else {
            "`]`"
        };
        self.expect(k, close).map_err(|d| {
            Box::new((*d).with_note(format!(
                "to close the {} at line {}, column {}",
                open.kind.describe(),
                open.line + 1,
                open.col + 1
            )))
        })
    }

    /// Errors unless all tokens are used.
    pub(crate) fn expect_end(&self) -> PResult<()> {
        match self.raw() {
            None => Ok(()),
            Some(t) => {
                let mut d = Diagnostic::error(format!("unexpected {}", t.kind.describe()), t.span);
                if t.kind == TokenKind::Keyword(Keyword::Where) {
                    d = d.with_note("`where` clauses are not supported; use `let ... in ...`");
                } else if t.kind == TokenKind::DoubleColon {
                    d = d.with_note("type annotations (`::`) are not supported");
                } else if t.kind == TokenKind::Equals {
                    d = d.with_note("definitions look like `let name = expression`");
                } else if t.first_on_line {
                    d = d.with_note(
                        "a line that continues a statement must be indented; \
                         a statement starts at column 1 or after a blank line",
                    );
                }
                fail(d)
            }
        }
    }

    fn check_depth(&self, n: Node) -> PResult<Node> {
        if n.depth > MAX_AST_DEPTH {
            fail(
                Diagnostic::error("expression nested too deeply", n.expr.span)
                    .with_note(format!("at most {MAX_AST_DEPTH} levels are allowed")),
            )
        } else {
            Ok(n)
        }
    }

    /// Parses an expression: an infix chain of operands.
    pub(crate) fn expr(&mut self) -> PResult<Node> {
        let (items, trailing) = self.infix_items(false)?;
        debug_assert!(trailing.is_none());
        self.resolve(items)
    }

    /// Enters a nested construct (brackets, lambda, `let`, `if`): errors when too deep. The
    /// matching [`Parser::leave`] is skipped on errors, which end the parse anyway.
    fn enter(&mut self) -> PResult<()> {
        self.nesting += 1;
        if self.nesting > MAX_NESTING {
            return fail(too_deep(self.here()));
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.nesting -= 1;
    }

    /// Collects `operand (op operand)*`, with prefix minus. With `allow_section`, an operator
    /// followed by `)` ends the chain and is returned (a left section).
    fn infix_items(&mut self, allow_section: bool) -> PResult<(Vec<Item>, Option<OpTok>)> {
        let mut items = Vec::new();
        loop {
            while let Some(TokenKind::Op(o)) = self.kind() {
                if &**o != "-" {
                    break;
                }
                items.push(Item::Neg(self.bump().span));
            }
            let operand = self.operand()?;
            items.push(Item::Operand(operand));
            let Some(op) = self.operator()? else {
                return Ok((items, None));
            };
            if allow_section && self.is(&TokenKind::RParen) {
                return Ok((items, Some(op)));
            }
            let another_op = matches!(self.kind(), Some(TokenKind::Op(o)) if &**o != "-");
            if self.cur().is_none() || another_op || matches!(self.kind(), Some(k) if closes(k)) {
                return fail(self.unexpected(&format!("an expression after `{}`", op.name)));
            }
            items.push(Item::Op(op));
        }
    }

    /// An operand: a lambda, `let`, `if`, or a function application.
    fn operand(&mut self) -> PResult<Node> {
        match self.kind() {
            Some(TokenKind::Backslash) => self.lambda(),
            Some(TokenKind::Keyword(Keyword::Let)) => self.let_expr(),
            Some(TokenKind::Keyword(Keyword::If)) => self.if_expr(),
            Some(TokenKind::Keyword(k @ (Keyword::Case | Keyword::Do))) => fail(Diagnostic::error(
                format!("`{}` expressions are not supported here", k.as_str()),
                self.here(),
            )),
            _ => self.application(),
        }
    }

    fn application(&mut self) -> PResult<Node> {
        let mut f = self.atom()?;
        while self.kind().is_some_and(starts_atom) {
            let x = self.atom()?;
            let span = f.expr.span.to(x.expr.span);
            let depth = f.depth.max(x.depth) + 1;
            f = self.check_depth(node(
                ExprKind::App(Box::new(f.expr), Box::new(x.expr)),
                span,
                depth,
            ))?;
        }
        Ok(f)
    }

    fn atom(&mut self) -> PResult<Node> {
        let Some(t) = self.cur() else {
            return fail(self.unexpected("an expression"));
        };
        let kind = match &t.kind {
            TokenKind::Ident(n) => ExprKind::Var(n.clone()),
            TokenKind::Num {
                value,
                text,
                integer,
            } => ExprKind::Num {
                value: *value,
                text: text.clone(),
                integer: *integer,
            },
            TokenKind::Str {
                value,
                contents_start,
            } => ExprKind::Str {
                value: value.clone(),
                contents_start: *contents_start,
            },
            TokenKind::LParen => return self.paren(),
            TokenKind::LBracket => return self.list(),
            _ => return fail(self.unexpected("an expression")),
        };
        self.bump();
        Ok(node(kind, t.span, 1))
    }

    fn paren(&mut self) -> PResult<Node> {
        self.enter()?;
        let open = self.bump();
        self.layout.push(None);
        let (kind, depth) = self.paren_inner(open)?;
        let close = self.expect_close(&TokenKind::RParen, open)?;
        self.layout.pop();
        self.leave();
        // A parenthesized expression's span includes the parentheses.
        self.check_depth(node(kind, open.span.to(close.span), depth))
    }

    /// The inside of `( ... )`, up to (not including) the `)`. Returns the expression kind and
    /// depth; a plain parenthesized expression returns its own kind.
    fn paren_inner(&mut self, open: &Token) -> PResult<(ExprKind, usize)> {
        match self.kind() {
            Some(TokenKind::RParen) => {
                return fail(Diagnostic::error(
                    "`()` (the unit value) is not supported",
                    open.span.to(self.here()),
                ))
            }
            Some(TokenKind::Comma) => {
                return fail(Diagnostic::error(
                    "tuple sections like `(,)` are not supported",
                    self.here(),
                ))
            }
            _ => {}
        }
        // `(op)` or a right section `(op e)`; `(- e)` is negation.
        let next_is_close =
            matches!(self.toks.get(self.pos + 1), Some(t) if t.kind == TokenKind::RParen);
        let starts_op = match self.kind() {
            Some(TokenKind::Op(o)) => &**o != "-" || next_is_close,
            Some(TokenKind::Backtick) => true,
            _ => false,
        };
        if starts_op {
            let op = self.operator()?.expect("checked above");
            if self.is(&TokenKind::RParen) {
                let kind = if op.backtick {
                    ExprKind::Var(op.name)
                } else {
                    ExprKind::OpRef(op.name)
                };
                return Ok((kind, 1));
            }
            let rhs = self.expr()?;
            let depth = rhs.depth + 1;
            return Ok((
                ExprKind::SectionR {
                    op: op.name,
                    op_span: op.span,
                    backtick: op.backtick,
                    rhs: Box::new(rhs.expr),
                },
                depth,
            ));
        }
        let (items, trailing) = self.infix_items(true)?;
        let first = self.resolve(items)?;
        if let Some(op) = trailing {
            let depth = first.depth + 1;
            return Ok((
                ExprKind::SectionL {
                    op: op.name,
                    op_span: op.span,
                    backtick: op.backtick,
                    lhs: Box::new(first.expr),
                },
                depth,
            ));
        }
        if !self.is(&TokenKind::Comma) {
            return Ok((first.expr.kind, first.depth));
        }
        let mut depth = first.depth;
        let mut elems = vec![first.expr];
        while self.is(&TokenKind::Comma) {
            self.bump();
            let e = self.expr()?;
            depth = depth.max(e.depth);
            elems.push(e.expr);
        }
        Ok((ExprKind::Tuple(elems), depth + 1))
    }

    fn list(&mut self) -> PResult<Node> {
        self.enter()?;
        let open = self.bump();
        self.layout.push(None);
        let (kind, depth) = self.list_inner()?;
        let close = self.expect_close(&TokenKind::RBracket, open)?;
        self.layout.pop();
        self.leave();
        self.check_depth(node(kind, open.span.to(close.span), depth))
    }

    fn list_inner(&mut self) -> PResult<(ExprKind, usize)> {
        if self.is(&TokenKind::RBracket) {
            return Ok((ExprKind::List(Vec::new()), 1));
        }
        let first = self.expr()?;
        if self.is(&TokenKind::DotDot) {
            let dots = self.bump().span;
            if self.is(&TokenKind::RBracket) {
                return fail(Diagnostic::error(
                    "infinite ranges `[a ..]` are not supported",
                    dots,
                ));
            }
            let last = self.expr()?;
            let depth = first.depth.max(last.depth) + 1;
            return Ok((
                ExprKind::Range(Box::new(first.expr), Box::new(last.expr)),
                depth,
            ));
        }
        let mut depth = first.depth;
        let mut elems = vec![first.expr];
        while self.is(&TokenKind::Comma) {
            self.bump();
            let e = self.expr()?;
            depth = depth.max(e.depth);
            elems.push(e.expr);
            if elems.len() == 2 && self.is(&TokenKind::DotDot) {
                return fail(Diagnostic::error(
                    "ranges with a step `[a, b .. c]` are not supported",
                    self.here(),
                ));
            }
        }
        Ok((ExprKind::List(elems), depth + 1))
    }

    fn lambda(&mut self) -> PResult<Node> {
        self.enter()?;
        let start = self.bump().span;
        let mut params = Vec::new();
        while let Some(t) = self.cur() {
            match &t.kind {
                TokenKind::Ident(n) => {
                    params.push((n.clone(), t.span));
                    self.bump();
                }
                TokenKind::Arrow => break,
                _ => {
                    return fail(self.unexpected("a parameter name or `->`").with_note(
                        "only simple variable names are supported as lambda parameters",
                    ))
                }
            }
        }
        if params.is_empty() {
            return fail(self.unexpected("a parameter name"));
        }
        self.expect(&TokenKind::Arrow, "`->`")?;
        let body = self.expr()?;
        self.leave();
        let span = start.to(body.expr.span);
        let depth = body.depth + 1;
        self.check_depth(node(
            ExprKind::Lambda(params, Box::new(body.expr)),
            span,
            depth,
        ))
    }

    fn if_expr(&mut self) -> PResult<Node> {
        self.enter()?;
        let start = self.bump().span;
        let c = self.expr()?;
        self.expect(&TokenKind::Keyword(Keyword::Then), "`then`")?;
        let a = self.expr()?;
        self.expect(&TokenKind::Keyword(Keyword::Else), "`else`")?;
        let b = self.expr()?;
        self.leave();
        let span = start.to(b.expr.span);
        let depth = c.depth.max(a.depth).max(b.depth) + 1;
        self.check_depth(node(
            ExprKind::If(Box::new(c.expr), Box::new(a.expr), Box::new(b.expr)),
            span,
            depth,
        ))
    }

    pub(crate) fn at_keyword(&self, k: Keyword) -> bool {
        self.is_kw(k)
    }
}

/// Tokens that close a construct and so cannot start an expression.
fn closes(k: &TokenKind) -> bool {
    matches!(
        k,
        TokenKind::RParen
            | TokenKind::RBracket
            | TokenKind::RBrace
            | TokenKind::Comma
            | TokenKind::Semi
            | TokenKind::DotDot
            | TokenKind::Keyword(Keyword::Then | Keyword::Else | Keyword::In | Keyword::Of)
    )
}

fn starts_atom(k: &TokenKind) -> bool {
    matches!(
        k,
        TokenKind::Ident(_)
            | TokenKind::Num { .. }
            | TokenKind::Str { .. }
            | TokenKind::LParen
            | TokenKind::LBracket
    )
}

#[cold]
#[inline(never)]
fn too_deep(span: Span) -> Diagnostic {
    Diagnostic::error("expression nested too deeply", span).with_note(format!(
        "at most {MAX_NESTING} levels of brackets, lambdas, `let`s and `if`s are allowed"
    ))
}
