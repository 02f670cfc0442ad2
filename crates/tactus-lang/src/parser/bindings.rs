//! `let` bindings and layout blocks.

use crate::ast::{Binding, ExprKind, Span};
use crate::diagnostic::Diagnostic;
use crate::lexer::{Keyword, TokenKind};

use super::{fail, node, Layout, Node, PResult, Parser};

impl Parser<'_> {
    pub(super) fn let_expr(&mut self) -> PResult<Node> {
        self.enter()?;
        let start = self.here();
        let (bindings, depth) = self.let_bindings()?;
        self.expect(&TokenKind::Keyword(Keyword::In), "`in`")?;
        let body = self.expr()?;
        self.leave();
        self.let_node(start, bindings, depth, body)
    }

    pub(crate) fn let_node(
        &self,
        start: Span,
        bindings: Vec<Binding>,
        depth: usize,
        body: Node,
    ) -> PResult<Node> {
        let span = start.to(body.expr.span);
        let depth = depth.max(body.depth) + 1;
        self.check_depth(node(
            ExprKind::Let(bindings, Box::new(body.expr)),
            span,
            depth,
        ))
    }

    /// Parses `let` and its bindings, by layout (`let a = 1` / `    b = 2`), with `;`, or in
    /// braces. Returns the bindings and the depth of the deepest body.
    pub(crate) fn let_bindings(&mut self) -> PResult<(Vec<Binding>, usize)> {
        self.bump(); // `let`
        let mut bindings = Vec::new();
        let mut depth = 0;
        if self.is(&TokenKind::LBrace) {
            self.bump();
            self.layout.push(None);
            while !self.is(&TokenKind::RBrace) {
                let b = self.binding()?;
                depth = depth.max(b.1);
                bindings.push(b.0);
                if !self.is(&TokenKind::Semi) {
                    break;
                }
                self.bump();
            }
            self.expect(&TokenKind::RBrace, "`;` or `}`")?;
            self.layout.pop();
            return Ok((bindings, depth));
        }
        let Some(first) = self.cur() else {
            return fail(self.unexpected("a definition after `let`"));
        };
        self.push_layout(first.col);
        let r = self.layout_items(|p| {
            let b = p.binding()?;
            depth = depth.max(b.1);
            bindings.push(b.0);
            Ok(())
        });
        self.layout.pop();
        r?;
        Ok((bindings, depth))
    }

    /// Parses the items of the innermost layout block (pushed by [`Parser::push_layout`]):
    /// items are separated by `;` or by a line starting exactly at the block's column.
    pub(crate) fn layout_items(
        &mut self,
        mut item: impl FnMut(&mut Self) -> PResult<()>,
    ) -> PResult<()> {
        let col = match self.layout.last() {
            Some(Some(l)) => l.col,
            _ => return item(self),
        };
        loop {
            if let Some(Some(l)) = self.layout.last_mut() {
                l.item_start = self.pos;
            }
            item(self)?;
            if self.is(&TokenKind::Semi) {
                self.bump();
                if self.cur().is_some() {
                    continue;
                }
            }
            // Anything else ends the block; the caller decides whether it may follow.
            match self.raw() {
                Some(t) if t.first_on_line && t.col == col => continue,
                _ => return Ok(()),
            }
        }
    }

    /// `name params = body`.
    pub(crate) fn binding(&mut self) -> PResult<(Binding, usize)> {
        let (name, name_span) = match self.kind() {
            Some(TokenKind::Ident(n)) => (n.clone(), self.bump().span),
            Some(TokenKind::LParen) => {
                return fail(Diagnostic::error(
                    "operator definitions are not supported",
                    self.here(),
                ))
            }
            _ => return fail(self.unexpected("a name to define")),
        };
        let mut params = Vec::new();
        while let Some(TokenKind::Ident(p)) = self.kind() {
            params.push((p.clone(), self.bump().span));
        }
        if self.is(&TokenKind::DoubleColon) {
            return fail(
                Diagnostic::error("type signatures are not supported", self.here())
                    .with_note("remove the `name :: Type` line; tactus infers types"),
            );
        }
        if !self.is(&TokenKind::Equals) {
            let mut d = self.unexpected("`=`");
            if self.cur().is_some() {
                d = d.with_note(
                    "function parameters must be simple names, e.g. `let f x = fast 2 x`",
                );
            }
            return fail(d);
        }
        self.bump();
        let body = self.expr()?;
        let depth = body.depth;
        Ok((
            Binding {
                name,
                name_span,
                params,
                body: body.expr,
            },
            depth,
        ))
    }

    /// Opens a layout block whose items start at `col`, the first at the current token.
    pub(crate) fn push_layout(&mut self, col: usize) {
        self.layout.push(Some(Layout {
            col,
            item_start: self.pos,
        }));
    }

    pub(crate) fn pop_layout(&mut self) {
        self.layout.pop();
    }
}
