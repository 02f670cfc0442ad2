//! Parser tests: precedence, sections, statements, error recovery, diagnostics, robustness.

use tactus_lang::ast::{Expr, ExprKind, StatementKind};
use tactus_lang::parser::{parse_expr, parse_file};

/// Prints an expression fully parenthesized: application spines as `(f x y)`, operators as
/// `(a op b)`.
fn sx(e: &Expr) -> String {
    match &e.kind {
        ExprKind::Var(n) => n.to_string(),
        ExprKind::OpRef(o) => format!("({o})"),
        ExprKind::Num { text, .. } => text.to_string(),
        ExprKind::Str { value, .. } => format!("{value:?}"),
        ExprKind::App(..) => {
            let mut args = Vec::new();
            let mut f = e;
            while let ExprKind::App(g, x) = &f.kind {
                args.push(sx(x));
                f = g;
            }
            args.reverse();
            format!("({} {})", sx(f), args.join(" "))
        }
        ExprKind::BinOp {
            op,
            backtick,
            lhs,
            rhs,
            ..
        } => {
            let op = if *backtick {
                format!("`{op}`")
            } else {
                op.to_string()
            };
            format!("({} {op} {})", sx(lhs), sx(rhs))
        }
        ExprKind::Neg(x) => format!("(-{})", sx(x)),
        ExprKind::SectionL { op, lhs, .. } => format!("(section {} {op})", sx(lhs)),
        ExprKind::SectionR { op, rhs, .. } => format!("(section {op} {})", sx(rhs)),
        ExprKind::List(xs) => format!("[{}]", xs.iter().map(sx).collect::<Vec<_>>().join(", ")),
        ExprKind::Tuple(xs) => format!("<{}>", xs.iter().map(sx).collect::<Vec<_>>().join(", ")),
        ExprKind::Range(a, b) => format!("[{} .. {}]", sx(a), sx(b)),
        ExprKind::Let(bs, body) => {
            let bs: Vec<String> = bs
                .iter()
                .map(|b| {
                    let ps: String = b.params.iter().map(|(p, _)| format!(" {p}")).collect();
                    format!("{}{ps} = {}", b.name, sx(&b.body))
                })
                .collect();
            format!("(let {} in {})", bs.join("; "), sx(body))
        }
        ExprKind::Lambda(ps, body) => {
            let ps: Vec<&str> = ps.iter().map(|(p, _)| &**p).collect();
            format!("(\\{} -> {})", ps.join(" "), sx(body))
        }
        ExprKind::If(c, a, b) => format!("(if {} then {} else {})", sx(c), sx(a), sx(b)),
    }
}

fn p(src: &str) -> String {
    match parse_expr(src) {
        Ok(e) => sx(&e),
        Err(d) => panic!("{src}: {}", d.render("<expr>", src)),
    }
}

fn err(src: &str) -> String {
    match parse_expr(src) {
        Ok(e) => panic!("{src}: parsed as {}", sx(&e)),
        Err(d) => d.render("x.tidal", src),
    }
}

#[test]
fn precedence() {
    let cases = [
        (
            r#"fast 2 $ s "a" # n 1"#,
            r#"((fast 2) $ ((s "a") # (n 1)))"#,
        ),
        (
            r#"every 2 (0.25 <~) $ s "bd sn""#,
            r#"((every 2 (section 0.25 <~)) $ (s "bd sn"))"#,
        ),
        (
            r#"n ("0 2" + "<10 20>") # s "arpy""#,
            r#"((n ("0 2" + "<10 20>")) # (s "arpy"))"#,
        ),
        (
            r#"(fast 2 . rev) $ s "bd sn hh""#,
            r#"(((fast 2) . rev) $ (s "bd sn hh"))"#,
        ),
        (
            r#"inv "t f t" `struct` s "bd""#,
            r#"((inv "t f t") `struct` (s "bd"))"#,
        ),
        (
            r#"0.25 <~ s "bd sn hh cp""#,
            r#"(0.25 <~ (s "bd sn hh cp"))"#,
        ),
        (
            r#""<0 0.25>" <~ s "bd sn""#,
            r#"("<0 0.25>" <~ (s "bd sn"))"#,
        ),
        (
            r#"s "bd*4" # n "1 2" + n "10 20 30""#,
            r#"(((s "bd*4") # (n "1 2")) + (n "10 20 30"))"#,
        ),
        (
            r#"spread fast [1,2] $ s "bd sn""#,
            r#"((spread fast [1, 2]) $ (s "bd sn"))"#,
        ),
        (
            r#"fastspread ($) [id, rev] $ s "bd sn""#,
            r#"((fastspread ($) [id, rev]) $ (s "bd sn"))"#,
        ),
        (
            r#"within (0, 0.5) (fast 2) $ s "bd""#,
            r#"((within <0, 0.5> (fast 2)) $ (s "bd"))"#,
        ),
        (
            r#"swingBy (1/3) 4 $ s "hh*8""#,
            r#"((swingBy (1 / 3) 4) $ (s "hh*8"))"#,
        ),
        (
            r#"whenmod 4 2 (# speed 2) $ s "bd sn""#,
            r#"((whenmod 4 2 (section # (speed 2))) $ (s "bd sn"))"#,
        ),
        ("a $ b $ c", "(a $ (b $ c))"),
        ("f . g . h", "(f . (g . h))"),
        ("a # b # c", "((a # b) # c)"),
        ("a |+| b |< c", "((a |+| b) |< c)"),
        ("a + b * c - d", "((a + (b * c)) - d)"),
        ("a <> b <> c", "(a <> (b <> c))"),
        ("a ++ b ++ c", "(a ++ (b ++ c))"),
        ("2 ^ 3 ^ 4", "(2 ^ (3 ^ 4))"),
        ("a `div` b * c", "((a `div` b) * c)"),
        ("f <$> a <*> b", "((f <$> a) <*> b)"),
        (
            r#"s "x" # speed 2 |* speed "1 1.5""#,
            r#"(((s "x") # (speed 2)) |* (speed "1 1.5"))"#,
        ),
    ];
    for (src, want) in cases {
        assert_eq!(p(src), want, "{src}");
    }
}

#[test]
fn negation_and_sections() {
    let cases = [
        ("(-1)", "(-1)"),
        ("-0.25", "(-0.25)"),
        ("- a * b", "(-(a * b))"),
        ("- a + b", "((-a) + b)"),
        ("a - 1", "(a - 1)"),
        ("f (-1) x", "(f (-1) x)"),
        ("(subtract 1)", "(subtract 1)"),
        ("(1/8)", "(1 / 8)"),
        ("(+ n 12)", "(section + (n 12))"),
        ("(# speed 2)", "(section # (speed 2))"),
        ("(0.25 <~)", "(section 0.25 <~)"),
        ("(1 +)", "(section 1 +)"),
        ("(+)", "(+)"),
        ("(-)", "(-)"),
        ("($)", "($)"),
        ("(.)", "(.)"),
        ("(`div` 2)", "(section div 2)"),
        ("(2 `div`)", "(section 2 div)"),
        ("(`div`)", "div"),
        ("[0 .. 7]", "[0 .. 7]"),
        ("[]", "[]"),
        ("(a, b, c)", "<a, b, c>"),
        (r"\x -> fast 2 x", r"(\x -> (fast 2 x))"),
        (
            r"every 2 (\p -> p # n 1) $ x",
            r"((every 2 (\p -> (p # (n 1)))) $ x)",
        ),
        ("if a then b else c # d", "(if a then b else (c # d))"),
        ("let x = 1; y = 2 in x + y", "(let x = 1; y = 2 in (x + y))"),
        (
            "let f p = fast 2 p in f x",
            "(let f p = (fast 2 p) in (f x))",
        ),
        (
            "d1 $ let p = s \"bd\"\n         q = s \"sn\"\n     in stack [p, q]",
            r#"(d1 $ (let p = (s "bd"); q = (s "sn") in (stack [p, q])))"#,
        ),
        ("Sound.Tidal.Context.fast 2 x", "(fast 2 x)"),
    ];
    for (src, want) in cases {
        assert_eq!(p(src), want, "{src}");
    }
}

#[test]
fn spans() {
    let src = r#"every 2 (fast 2) $ s "bd""#;
    let e = parse_expr(src).unwrap();
    assert_eq!((e.span.start, e.span.end), (0, src.len()));
    let ExprKind::BinOp {
        lhs, op_span, rhs, ..
    } = &e.kind
    else {
        panic!()
    };
    assert_eq!(&src[op_span.start..op_span.end], "$");
    assert_eq!(&src[lhs.span.start..lhs.span.end], "every 2 (fast 2)");
    let ExprKind::App(_, s_arg) = &rhs.kind else {
        panic!()
    };
    let ExprKind::Str {
        value,
        contents_start,
    } = &s_arg.kind
    else {
        panic!()
    };
    assert_eq!(&src[*contents_start..*contents_start + value.len()], "bd");
    let ExprKind::App(_, paren) = &lhs.kind else {
        panic!()
    };
    assert_eq!(&src[paren.span.start..paren.span.end], "(fast 2)");
}

#[test]
fn rejected_forms_have_clear_messages() {
    let msg = |src: &str| parse_expr(src).unwrap_err().message;
    assert_eq!(msg("()"), "`()` (the unit value) is not supported");
    assert!(msg("[1 ..]").contains("infinite ranges"));
    assert!(msg("[1, 3 .. 9]").contains("with a step"));
    assert!(parse_expr("x where x = 1").unwrap_err().notes[0].contains("`where`"));
    assert!(parse_expr("(1 :: Double)").unwrap_err().notes[0].contains("type annotations"));
    assert!(msg("a == b == c").contains("cannot mix `==` [infix 4] and `==` [infix 4]"));
    assert!(msg("a + b <> c").contains("cannot mix"));
    assert_eq!(msg(""), "expected an expression, found nothing");
    assert_eq!(msg("1e999"), "number `1e999` is too large");
    assert_eq!(
        msg("99999999999999999999999"),
        "number `99999999999999999999999` is too large"
    );
    assert_eq!(
        msg("fast 2 $"),
        "expected an expression after `$`, found end of input"
    );
    assert_eq!(
        msg("case x of"),
        "`case` expressions are not supported here"
    );
}

#[test]
fn parse_error_rendering() {
    assert_eq!(
        err("fast 2 $ (s \"bd\" # n 1"),
        "error: expected `)`, found end of input
 --> x.tidal:1:23
  |
1 | fast 2 $ (s \"bd\" # n 1
  |                       ^
  = note: to close the `(` at line 1, column 10
"
    );
    assert_eq!(
        err("s \"bd\" # # n 1"),
        "error: expected an expression after `#`, found operator `#`
 --> x.tidal:1:10
  |
1 | s \"bd\" # # n 1
  |          ^
"
    );
    assert_eq!(
        err("d1 $ s \"bd\n"),
        "error: unterminated string
 --> x.tidal:1:8
  |
1 | d1 $ s \"bd
  |        ^
  = note: a string must end with `\"` on the same line
"
    );
}

#[test]
fn file_statements() {
    let src = "setcps (120/60/4)
d1 $ s \"bd*2 [~ bd] sn\" # gain 0.9
d2 $ every 4 (fast 2)
   $ n \"0 .. 7\" # s \"arpy\"

let pat = s \"bd sn\"
d3 $ pat
";
    let (file, diags) = parse_file(src);
    assert!(diags.is_empty(), "{diags:?}");
    let got: Vec<String> = file
        .statements
        .iter()
        .map(|s| match &s.kind {
            StatementKind::Expr(e) => sx(e),
            StatementKind::Let(bs) => format!("let {} = {}", bs[0].name, sx(&bs[0].body)),
        })
        .collect();
    assert_eq!(
        got,
        [
            "(setcps ((120 / 60) / 4))",
            r#"(d1 $ ((s "bd*2 [~ bd] sn") # (gain 0.9)))"#,
            r#"(d2 $ ((every 4 (fast 2)) $ ((n "0 .. 7") # (s "arpy"))))"#,
            r#"let pat = (s "bd sn")"#,
            "(d3 $ pat)",
        ]
    );
    let s = &file.statements[2];
    assert_eq!(
        &src[s.span.start..s.span.end],
        "d2 $ every 4 (fast 2)\n   $ n \"0 .. 7\" # s \"arpy\""
    );
}

#[test]
fn file_blank_lines_ghci_markers_imports_do_and_lets() {
    let src = "import Sound.Tidal.Context
:{
d1 $ s \"bd\"
  # n 1
:}
  d2 $ s \"hh\"
  # n 2

-- a comment
{- a block
   comment -}
do
  d3 $ s \"cp\"
  let x = 1
      y = 2
  d4 $ n x
let a = 1; b = 2
c = 3
let f p = fast 2 p in d5 $ f $ s \"x\"
hush
";
    let (file, diags) = parse_file(src);
    assert!(diags.is_empty(), "{diags:?}");
    let kinds: Vec<String> = file
        .statements
        .iter()
        .map(|s| match &s.kind {
            StatementKind::Expr(e) => sx(e),
            StatementKind::Let(bs) => {
                let names: Vec<&str> = bs.iter().map(|b| &*b.name).collect();
                format!("let {}", names.join(","))
            }
        })
        .collect();
    assert_eq!(
        kinds,
        [
            r#"(d1 $ ((s "bd") # (n 1)))"#,
            r#"(d2 $ ((s "hh") # (n 2)))"#,
            r#"(d3 $ (s "cp"))"#,
            "let x,y",
            "(d4 $ (n x))",
            "let a,b",
            "let c",
            r#"(let f p = (fast 2 p) in (d5 $ (f $ (s "x"))))"#,
            "hush",
        ]
    );
}

#[test]
fn file_error_recovery() {
    let src = "d1 $ s \"bd\"
d2 $ fast 2 $
d3 $ s \"sn\" # n (1
  + 2
d4 $ s \"hh\" € 
d5 $ s \"unterminated
d6 $ s \"cp\"
:set -XFoo
x :: Pattern Double
d7 $ s \"x\" where
d8 $ s \"ok\"
";
    let (file, diags) = parse_file(src);
    let heads: Vec<String> = file
        .statements
        .iter()
        .map(|s| match &s.kind {
            StatementKind::Expr(e) => sx(e),
            StatementKind::Let(_) => "let".into(),
        })
        .collect();
    assert_eq!(
        heads,
        [
            r#"(d1 $ (s "bd"))"#,
            r#"(d6 $ (s "cp"))"#,
            r#"(d8 $ (s "ok"))"#
        ]
    );
    let lines: Vec<(usize, &str)> = diags
        .iter()
        .map(|d| {
            (
                tactus_lang::diagnostic::line_col(src, d.span.start).0,
                d.message.as_str(),
            )
        })
        .collect();
    assert_eq!(
        lines,
        [
            (2, "expected an expression after `$`, found end of input"),
            (4, "expected `)`, found end of input"),
            (5, "unexpected character `€`"),
            (6, "unterminated string"),
            (8, "GHCi command `:set` ignored"),
            (9, "type signatures are not supported"),
            (10, "unexpected keyword `where`"),
        ]
    );
    assert!(!diags[4].is_error());
}

#[test]
fn misindented_continuation_is_reported() {
    let (file, diags) = parse_file("d1 $ s \"bd\"\n# n 1\n");
    assert_eq!(file.statements.len(), 1);
    assert_eq!(
        diags[0].render("f.tidal", "d1 $ s \"bd\"\n# n 1\n"),
        "error: expected an expression, found operator `#`
 --> f.tidal:2:1
  |
2 | # n 1
  | ^
  = note: a line that continues a statement must be indented; this one starts a new statement
"
    );
}

#[test]
fn conformance_cases_parse() {
    // `shared/` sits beside the repository; TACTUS_SHARED overrides where.
    let shared = std::env::var("TACTUS_SHARED")
        .unwrap_or_else(|_| concat!(env!("CARGO_MANIFEST_DIR"), "/../..").to_string());
    let path = format!("{shared}/tests/conformance/tidal-cases.jsonl");
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("skipping: {path} not found");
        return;
    };
    let mut n = 0;
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let id = json_string_field(line, "id").unwrap_or_default();
        let expr = json_string_field(line, "expr").expect("expr field");
        if let Err(d) = parse_expr(&expr) {
            panic!("{}", d.render(&id, &expr));
        }
        let (file, diags) = parse_file(&expr);
        assert!(diags.is_empty() && file.statements.len() == 1, "{expr}");
        n += 1;
    }
    assert_eq!(n, 155);
}

/// The value of a string field in a one-line JSON object (enough JSON for the cases file).
fn json_string_field(line: &str, key: &str) -> Option<String> {
    let start = line.find(&format!("\"{key}\":"))? + key.len() + 3;
    let rest = line[start..].trim_start().strip_prefix('"')?;
    let mut out = String::new();
    let mut chars = rest.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => return Some(out),
            '\\' => match chars.next()? {
                'n' => out.push('\n'),
                't' => out.push('\t'),
                'u' => {
                    let hex: String = chars.by_ref().take(4).collect();
                    out.push(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?);
                }
                other => out.push(other),
            },
            c => out.push(c),
        }
    }
    None
}

/// Runs `f` on a thread with a 2 MiB stack, like a default test or worker thread.
fn small_stack(f: impl FnOnce() + Send + 'static) {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap();
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    small_stack(|| {
        let n = 10_000;
        for (open, close) in [
            ("(", ")"),
            ("[", "]"),
            ("(\\x -> ", ")"),
            ("(let a = ", " in a)"),
            ("(if ", " then 1 else 2)"),
        ] {
            let src = format!("{}1{}", open.repeat(n), close.repeat(n));
            let d = parse_expr(&src).unwrap_err();
            assert_eq!(d.message, "expression nested too deeply", "{open}");
            let (_, diags) = parse_file(&src);
            assert_eq!(diags.len(), 1);
        }
        // Long flat chains build deep trees: also capped.
        for src in [
            format!("a{}", " # b".repeat(20_000)),
            format!("f{}", " x".repeat(20_000)),
            format!("a{}", " $ b".repeat(20_000)),
            format!("{}1", "- ".repeat(20_000)),
        ] {
            assert_eq!(
                parse_expr(&src).unwrap_err().message,
                "expression nested too deeply"
            );
        }
        // Moderate nesting is fine.
        let src = format!("{}1{}", "(".repeat(120), ")".repeat(120));
        assert!(parse_expr(&src).is_ok());
        let src = format!("a{}", " # b".repeat(250));
        assert!(parse_expr(&src).is_ok());
    });
}

mod props {
    use super::*;
    use proptest::prelude::*;

    fn check(src: &str) {
        let _ = parse_expr(src);
        let (_, diags) = parse_file(src);
        for d in diags {
            let _ = d.render("f", src);
        }
    }

    /// Fragments that make the parser's corner cases likely.
    const SOUP: &[&str] = &[
        "(", ")", "[", "]", ",", " $ ", " # ", "-", " <~ ", "\\x -> ", "let ", " in ", " = ",
        "if ", " then ", " else ", "\n", "\n  ", "\n\n", ";", "`f`", "..", "s \"bd\"", "0.25",
        "fast", "x", "do\n ", "{-", "-}", "--", "\"", ":{\n", "é", "{", "}", "::", "(+)",
    ];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn arbitrary_strings_never_panic(src in any::<String>()) {
            check(&src);
        }

        #[test]
        fn token_soup_never_panics(picks in proptest::collection::vec(0..SOUP.len(), 0..40)) {
            let src: String = picks.iter().map(|&i| SOUP[i]).collect();
            check(&src);
        }
    }
}
