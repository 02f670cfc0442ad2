//! Lexer tests: tokens, numbers, strings, comments, positions, GHCi lines.

use std::sync::Arc;

use tactus_lang::ast::Span;
use tactus_lang::lexer::{lex, Keyword, LexOptions, TokenKind};

fn kinds(src: &str) -> Vec<TokenKind> {
    lex(src, LexOptions::default())
        .tokens
        .into_iter()
        .map(|t| t.kind)
        .collect()
}

fn op(s: &str) -> TokenKind {
    TokenKind::Op(Arc::from(s))
}

fn id(s: &str) -> TokenKind {
    TokenKind::Ident(Arc::from(s))
}

#[test]
fn operators() {
    for o in [
        "#", "|+|", "|+", "+|", "|<|", "<~", "~>", "$", ".", "<>", "++", "|++", "|/|", "|%|",
        "|**|", "|>|", "|<", ">|",
    ] {
        assert_eq!(
            kinds(&format!("a {o} b")),
            vec![id("a"), op(o), id("b")],
            "{o}"
        );
    }
    assert_eq!(
        kinds("\\x -> [0 .. 7] :: y = z"),
        vec![
            TokenKind::Backslash,
            id("x"),
            TokenKind::Arrow,
            TokenKind::LBracket,
            TokenKind::Num {
                value: 0.0,
                text: "0".into(),
                integer: true
            },
            TokenKind::DotDot,
            TokenKind::Num {
                value: 7.0,
                text: "7".into(),
                integer: true
            },
            TokenKind::RBracket,
            TokenKind::DoubleColon,
            id("y"),
            TokenKind::Equals,
            id("z"),
        ]
    );
}

#[test]
fn numbers() {
    let n = |s: &str| match &kinds(s)[0] {
        TokenKind::Num {
            value,
            text,
            integer,
        } => (*value, text.to_string(), *integer),
        k => panic!("{k:?}"),
    };
    assert_eq!(n("2"), (2.0, "2".into(), true));
    assert_eq!(n("0.25"), (0.25, "0.25".into(), false));
    assert_eq!(n("1e3"), (1000.0, "1e3".into(), false));
    assert_eq!(n("1.5e-2"), (0.015, "1.5e-2".into(), false));
    // `1.` is a number and an operator; `2e` is a number and an identifier.
    assert_eq!(kinds("1.").len(), 2);
    assert_eq!(kinds("2e").len(), 2);
    let l = lex("1e999 99999999999999999999999", LexOptions::default());
    assert_eq!(l.diagnostics.len(), 2);
    assert!(l.diagnostics[0].message.contains("too large"));
}

#[test]
fn identifiers_and_keywords() {
    assert_eq!(
        kinds("every' x_1 let in Sound.Tidal.Context.fast"),
        vec![
            id("every'"),
            id("x_1"),
            TokenKind::Keyword(Keyword::Let),
            TokenKind::Keyword(Keyword::In),
            id("fast"),
        ]
    );
    // `.` between lower-case names is composition.
    assert_eq!(kinds("fast.rev"), vec![id("fast"), op("."), id("rev")]);
}

#[test]
fn strings() {
    let l = lex(r#"s "bd \"x\"\n\65\&1""#, LexOptions::default());
    assert!(l.diagnostics.is_empty());
    assert_eq!(
        l.tokens[1].kind,
        TokenKind::Str {
            value: "bd \"x\"\nA1".into(),
            contents_start: 3
        }
    );
    let l = lex("s \"bd\nd1", LexOptions::default());
    assert_eq!(l.diagnostics[0].message, "unterminated string");
    assert_eq!(l.diagnostics[0].span, Span::new(2, 3));
    assert_eq!(l.tokens.last().unwrap().kind, id("d1"));
}

#[test]
fn comments() {
    assert_eq!(
        kinds("a -- comment\n{- x {- nested -} y -} b --> c"),
        vec![id("a"), id("b"), op("-->"), id("c")]
    );
    let l = lex("a {- open", LexOptions::default());
    assert_eq!(l.diagnostics[0].message, "unterminated block comment");
    let l = lex("a € b", LexOptions::default());
    assert_eq!(l.diagnostics[0].message, "unexpected character `€`");
    assert_eq!(l.diagnostics[0].span, Span::new(2, 5));
    assert_eq!(l.tokens.len(), 3);
}

#[test]
fn positions_and_ghci() {
    let l = lex(
        ":{\nd1 $ s \"x\"\n\n  # n 1\n:set -XFoo\n:}\n",
        LexOptions {
            ghci_commands: true,
        },
    );
    let t = &l.tokens;
    assert_eq!((t[0].line, t[0].col, t[0].first_on_line), (1, 0, true));
    assert_eq!((t[1].line, t[1].col, t[1].first_on_line), (1, 3, false));
    assert_eq!((t[4].line, t[4].col, t[4].first_on_line), (3, 2, true));
    assert_eq!(l.blank_lines, vec![0, 2, 4, 5]);
    assert_eq!(l.diagnostics.len(), 1);
    assert!(l.diagnostics[0].message.contains(":set"));
}
