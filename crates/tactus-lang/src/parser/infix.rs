//! Infix chains: operator tokens and their resolution by fixity (shunting-yard).

use std::sync::Arc;

use crate::ast::{ExprKind, Span};
use crate::diagnostic::Diagnostic;
use crate::fixity::{fixity, Assoc, Fixity, NEGATE};
use crate::lexer::TokenKind;

use super::{fail, node, Node, PResult, Parser};

/// An operator occurrence in an infix chain.
#[derive(Clone)]
pub(super) struct OpTok {
    pub(super) name: Arc<str>,
    pub(super) span: Span,
    pub(super) backtick: bool,
    pub(super) fixity: Fixity,
}

pub(super) enum Item {
    Operand(Node),
    Op(OpTok),
    Neg(Span),
}

enum StackOp {
    Bin(OpTok),
    Neg(Span),
}

impl StackOp {
    fn fixity(&self) -> Fixity {
        match self {
            StackOp::Bin(o) => o.fixity,
            StackOp::Neg(_) => NEGATE,
        }
    }
}

impl Parser<'_> {
    /// An operator at the current position: `#`, `` `f` ``. `None` if there is none.
    pub(super) fn operator(&mut self) -> PResult<Option<OpTok>> {
        match self.kind() {
            Some(TokenKind::Op(name)) => {
                let span = self.bump().span;
                Ok(Some(OpTok {
                    name: name.clone(),
                    span,
                    backtick: false,
                    fixity: fixity(name, false),
                }))
            }
            Some(TokenKind::Backtick) => {
                let open = self.bump().span;
                let name = match self.kind() {
                    Some(TokenKind::Ident(n)) => n.clone(),
                    _ => return fail(self.unexpected("a function name after `` ` ``")),
                };
                self.bump();
                let close = self.expect(&TokenKind::Backtick, "a closing `` ` ``")?.span;
                Ok(Some(OpTok {
                    fixity: fixity(&name, true),
                    name,
                    span: open.to(close),
                    backtick: true,
                }))
            }
            _ => Ok(None),
        }
    }

    /// Resolves a flat infix chain by fixity (shunting-yard).
    pub(super) fn resolve(&self, items: Vec<Item>) -> PResult<Node> {
        let mut out: Vec<Node> = Vec::new();
        let mut ops: Vec<StackOp> = Vec::new();
        for item in items {
            match item {
                Item::Operand(n) => out.push(n),
                Item::Neg(span) => ops.push(StackOp::Neg(span)),
                Item::Op(op) => {
                    while let Some(top) = ops.last() {
                        let tf = top.fixity();
                        let f = op.fixity;
                        let pop = if tf.prec != f.prec {
                            tf.prec > f.prec
                        } else if tf.assoc == Assoc::Left && f.assoc == Assoc::Left {
                            true
                        } else if tf.assoc == Assoc::Right && f.assoc == Assoc::Right {
                            false
                        } else {
                            return fail(mix_error(top, &op));
                        };
                        if !pop {
                            break;
                        }
                        let top = ops.pop().expect("non-empty");
                        self.apply(top, &mut out)?;
                    }
                    ops.push(StackOp::Bin(op));
                }
            }
        }
        while let Some(top) = ops.pop() {
            self.apply(top, &mut out)?;
        }
        debug_assert_eq!(out.len(), 1);
        out.pop()
            .ok_or_else(|| Box::new(Diagnostic::error("expected an expression", self.here())))
    }

    fn apply(&self, op: StackOp, out: &mut Vec<Node>) -> PResult<()> {
        let missing = || {
            Box::new(Diagnostic::error(
                "internal error: malformed infix expression",
                Span::default(),
            ))
        };
        let n = match op {
            StackOp::Neg(span) => {
                let x = out.pop().ok_or_else(missing)?;
                let span = span.to(x.expr.span);
                node(ExprKind::Neg(Box::new(x.expr)), span, x.depth + 1)
            }
            StackOp::Bin(o) => {
                let rhs = out.pop().ok_or_else(missing)?;
                let lhs = out.pop().ok_or_else(missing)?;
                let span = lhs.expr.span.to(rhs.expr.span);
                let depth = lhs.depth.max(rhs.depth) + 1;
                let kind = ExprKind::BinOp {
                    op: o.name,
                    op_span: o.span,
                    backtick: o.backtick,
                    lhs: Box::new(lhs.expr),
                    rhs: Box::new(rhs.expr),
                };
                node(kind, span, depth)
            }
        };
        out.push(self.check_depth(n)?);
        Ok(())
    }
}

fn describe_op(op: &StackOp) -> String {
    match op {
        StackOp::Bin(o) if o.backtick => format!("`` `{}` `` [{}]", o.name, o.fixity.describe()),
        StackOp::Bin(o) => format!("`{}` [{}]", o.name, o.fixity.describe()),
        StackOp::Neg(_) => format!("prefix `-` [{}]", NEGATE.describe()),
    }
}

fn mix_error(top: &StackOp, op: &OpTok) -> Diagnostic {
    let this = describe_op(&StackOp::Bin(op.clone()));
    Diagnostic::error(
        format!(
            "cannot mix {} and {this} in the same infix expression",
            describe_op(top)
        ),
        op.span,
    )
    .with_note("add parentheses to say which goes first")
}
