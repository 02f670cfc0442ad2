//! Files: splitting GHCi-style Tidal code into statements and parsing each one.

use crate::ast::{File, Span, Statement, StatementKind};
use crate::diagnostic::Diagnostic;
use crate::lexer::{lex, Keyword, LexOptions, Token, TokenKind};

use super::{PResult, Parser};

/// Parses a Tidal file, GHCi style.
///
/// A statement starts on a line that begins at column 1, or on the first line after a blank
/// line; indented lines continue the previous statement. `:{` / `:}` lines are ignored (other
/// GHCi commands such as `:set` are ignored with a warning), and so are `import` lines. A
/// statement is an expression (`d1 $ s "bd"`, `setcps 0.5`, `hush`), a `let` with one or more
/// bindings (`let pat = s "bd sn"`, continued by aligned lines or `;`), a GHCi-style binding
/// without `let` (`pat = s "bd"`), or a `do` block whose statements are flattened into the
/// file.
///
/// A statement that fails to parse gives a diagnostic and is left out; parsing goes on with
/// the next statement. Diagnostics come back sorted by position.
///
/// ```
/// use tactus_lang::parser::parse_file;
/// let src = "setcps (120/60/4)\nd1 $ s \"bd*2\"\n   # gain 0.9\n\nd2 $ $\nlet pat = s \"bd sn\"\n";
/// let (file, diags) = parse_file(src);
/// assert_eq!(file.statements.len(), 3);
/// assert_eq!(diags.len(), 1);
/// ```
pub fn parse_file(src: &str) -> (File, Vec<Diagnostic>) {
    let lexed = lex(
        src,
        LexOptions {
            ghci_commands: true,
        },
    );
    let mut diags = lexed.diagnostics;
    let mut file = File::default();
    for group in split_statements(&lexed.tokens, &lexed.blank_lines) {
        if group.iter().any(|t| t.kind == TokenKind::Error) {
            continue; // the lexer has reported it
        }
        if matches!(&group[0].kind, TokenKind::Ident(n) if &**n == "import") {
            continue;
        }
        match statement(group) {
            Ok(stmts) => file.statements.extend(stmts),
            Err(d) => diags.push(*d),
        }
    }
    diags.sort_by_key(|d| (d.span.start, d.span.end));
    (file, diags)
}

/// Splits tokens into statement groups: a token that is first on its line starts a new
/// group when it is at column 0 or a blank line precedes it.
fn split_statements<'t>(tokens: &'t [Token], blank_lines: &[usize]) -> Vec<&'t [Token]> {
    let mut groups = Vec::new();
    let mut start = 0;
    for i in 1..tokens.len() {
        let t = &tokens[i];
        if !t.first_on_line {
            continue;
        }
        let prev_line = tokens[i - 1].line;
        let first_blank = blank_lines.partition_point(|&l| l <= prev_line);
        let blank_between = blank_lines.get(first_blank).is_some_and(|&l| l < t.line);
        if t.col == 0 || blank_between {
            groups.push(&tokens[start..i]);
            start = i;
        }
    }
    if start < tokens.len() {
        groups.push(&tokens[start..]);
    }
    groups
}

fn group_span(toks: &[Token]) -> Span {
    let first = toks.first().map_or(Span::default(), |t| t.span);
    let last = toks.last().map_or(first, |t| t.span);
    first.to(last)
}

/// Parses one statement group (which may hold several statements when it is a `do` block).
fn statement(toks: &[Token]) -> PResult<Vec<Statement>> {
    let end = toks.last().map_or(0, |t| t.span.end);
    let mut p = Parser::new(toks, Span::new(end, end));
    let mut out = Vec::new();
    if p.at_keyword(Keyword::Do) {
        let do_span = p.bump().span;
        let Some(first) = p.cur() else {
            return Err(Diagnostic::error("empty `do` block", do_span).into());
        };
        p.push_layout(first.col);
        let r = p.layout_items(|p| {
            out.push(simple_statement(p)?);
            Ok(())
        });
        p.pop_layout();
        r?;
    } else {
        out.push(simple_statement(&mut p)?);
    }
    p.expect_end()?;
    Ok(out)
}

/// A `let`, a GHCi-style binding, or an expression statement, parsed from `p`'s position.
fn simple_statement(p: &mut Parser<'_>) -> PResult<Statement> {
    let start_pos = p.pos;
    let start = p.raw().map_or(p.eof, |t| t.span);
    let kind = if p.at_keyword(Keyword::Let) {
        let (bindings, depth) = p.let_bindings()?;
        if p.at_keyword(Keyword::In) {
            p.bump();
            let body = p.expr()?;
            StatementKind::Expr(p.let_node(start, bindings, depth, body)?.expr)
        } else {
            StatementKind::Let(bindings)
        }
    } else if is_binding(&p.toks[p.pos..]) {
        let (b, _) = p.binding()?;
        StatementKind::Let(vec![b])
    } else {
        StatementKind::Expr(p.expr()?.expr)
    };
    let span = group_span(&p.toks[start_pos..p.pos]);
    Ok(Statement { kind, span })
}

/// True for `name params* =` and `name ::` (a binding or a type signature, which the binding
/// parser rejects with a clear message).
fn is_binding(toks: &[Token]) -> bool {
    let mut it = toks.iter();
    if !matches!(it.next().map(|t| &t.kind), Some(TokenKind::Ident(_))) {
        return false;
    }
    for t in it {
        match t.kind {
            TokenKind::Ident(_) => continue,
            TokenKind::Equals | TokenKind::DoubleColon => return true,
            _ => return false,
        }
    }
    false
}
