//! Mini-notation: equivalences, exact first cycles, source spans, errors and robustness.
//! (Agreement with Tidal itself is checked in `mini_oracle.rs`.)

use proptest::prelude::*;
use tactus_pattern::core::{fastcat, slow, slowcat, stack};
use tactus_pattern::euclid::euclid;
use tactus_pattern::mini::{
    fuzz_one, mini_pattern, parse_mini, parse_mini_as, AtomKind, MiniError, MAX_DEPTH,
};
use tactus_pattern::random::{degrade_by_using, rand};
use tactus_pattern::{Pattern, QueryError, Span, Time, Value};

fn p(s: &str) -> Pattern<Value> {
    mini_pattern(s, AtomKind::String, 0).unwrap_or_else(|e| panic!("{s:?}: {e} at {:?}", e.span()))
}

fn word(w: &str) -> Pattern<Value> {
    Pattern::pure(Value::str(w))
}

type Ev = (Option<Span>, Span, String);

fn events(p: &Pattern<Value>, b: i64, e: i64) -> Vec<Ev> {
    let mut v: Vec<Ev> = p
        .try_query(Span::new(Time::int(b), Time::int(e)), 100_000)
        .unwrap()
        .into_iter()
        .map(|h| (h.whole, h.part, h.value.to_string()))
        .collect();
    v.sort_by(|a, b| (a.1, a.0, &a.2).cmp(&(b.1, b.0, &b.2)));
    v
}

fn assert_same(a: &Pattern<Value>, b: &Pattern<Value>, what: &str) {
    for (s, e) in [(-3, -1), (0, 1), (0, 4), (5, 7)] {
        assert_eq!(events(a, s, e), events(b, s, e), "{what} over {s}..{e}");
    }
}

fn err(src: &str, kind: AtomKind) -> MiniError {
    match parse_mini_as(src, kind) {
        Ok(ast) => panic!("{src:?} should not parse, got {ast:?}"),
        Err(e) => e,
    }
}

fn t(n: i64, d: i64) -> Time {
    Time::new(n, d)
}

// ----- equivalences -----

#[test]
fn equivalent_notations() {
    let pairs = [
        ("a*3 b", "[a a a] b"),
        ("a . b c", "a [b c]"),
        ("a b . c", "[a b] c"),
        ("a!3", "a a a"),
        ("a ! ! b", "a a a b"),
        ("a!2 b!2", "a a b b"),
        ("a _ b", "a@2 b"),
        ("a _ _ b@2", "a@3 b@2"),
        ("a@1.5 b@0.5", "a@3 b"),
        ("[a b]*2", "a b a b"),
        ("a/1", "a"),
        ("<a b>*2", "a b"),
        ("{a b c}%3", "a b c"),
        ("{a b, c d}", "[a b, c d]"),
        ("[a, b]", "[b, a]"),
        ("a ~ b", "a [~] b"),
        ("~ a", "[~ ~] a"),
        ("a:3 b", "a:3 b"),
        ("a .. b", "[a b]"),
        ("  a   b  ", "a b"),
        ("a(3,8)", "a ~ ~ a ~ ~ a ~"),
        ("a(3,8,2)", "~ a ~ ~ a ~ a ~"),
        ("a(1,1)", "a"),
        ("a(0,8)", "~"),
        (
            "<a b c>(3,8)",
            "<[a ~ ~ a ~ ~ a ~] [b ~ ~ b ~ ~ b ~] [c ~ ~ c ~ ~ c ~]>",
        ),
    ];
    for (a, b) in pairs {
        assert_same(&p(a), &p(b), &format!("{a:?} vs {b:?}"));
    }
}

#[test]
fn equivalent_to_combinators() {
    assert_same(&p("<a b>"), &slowcat(vec![word("a"), word("b")]), "<a b>");
    assert_same(
        &p("[a, b c]"),
        &stack(vec![word("a"), fastcat(vec![word("b"), word("c")])]),
        "stack",
    );
    assert_same(
        &p("a/2"),
        &slow(Time::int(2), &word("a")).split_queries(),
        "a/2",
    );
    assert_same(
        &p("a(<3 5>,8)"),
        &euclid(
            &slowcat(vec![Pattern::pure(3), Pattern::pure(5)]),
            &Pattern::pure(8),
            &word("a"),
        ),
        "a(<3 5>,8)",
    );
    // Each `?` takes the next seed: rand shifted by seed/10000 cycles.
    let seeded =
        |seed: i64, w: &str| degrade_by_using(&rand().rotate_left(t(seed, 10_000)), 0.5, &word(w));
    assert_same(
        &p("a? b?"),
        &fastcat(vec![seeded(0, "a"), seeded(1, "b")]),
        "a? b?",
    );
}

// ----- exact first cycles -----

#[test]
fn exact_first_cycles() {
    let e = events(&p("bd*2 [~ sn] <hh oh>"), 0, 2);
    let starts: Vec<(Time, &str)> = e
        .iter()
        .map(|(w, _, v)| (w.unwrap().begin, v.as_str()))
        .collect();
    assert_eq!(
        starts,
        [
            (t(0, 1), "bd"),
            (t(1, 6), "bd"),
            (t(1, 2), "sn"),
            (t(2, 3), "hh"),
            (t(1, 1), "bd"),
            (t(7, 6), "bd"),
            (t(3, 2), "sn"),
            (t(5, 3), "oh"),
        ]
    );
    // A slowed step keeps its whole and is cut at the cycle boundary, as in Tidal.
    let e = events(&p("bd sn/2"), 0, 2);
    assert_eq!(e[1].0, Some(Span::new(t(1, 2), t(3, 2))));
    assert_eq!(e[1].1, Span::new(t(1, 2), t(1, 1)));
    // Numbers, notes and chords.
    let vals = |s: &str, k: AtomKind| -> Vec<String> {
        let q = mini_pattern(s, k, 0).unwrap();
        let mut hs = q.query_span(Span::new(Time::ZERO, Time::ONE));
        hs.sort_by_key(|h| (h.part, h.value.to_string()));
        hs.into_iter().map(|h| h.value.to_string()).collect()
    };
    assert_eq!(
        vals("c e g cs4 ef2", AtomKind::Note),
        ["0", "4", "7", "-11", "-33"]
    );
    assert_eq!(
        vals("c'maj e'min7", AtomKind::Int),
        ["0", "4", "7", "11", "14", "4", "7"]
    );
    assert_eq!(
        vals("0.5 -1 1e3 1%4", AtomKind::Float),
        ["0.5", "-1", "1000", "0.25"]
    );
    assert_eq!(vals("t f 1 0", AtomKind::Bool), ["t", "f", "t", "f"]);
    assert_eq!(vals("1%3 0.25", AtomKind::Rational), ["1/3", "1/4"]);
    assert_eq!(vals("0 .. 3", AtomKind::Int), ["0", "1", "2", "3"]);
}

#[test]
fn haps_carry_atom_spans_shifted_by_base() {
    let q = mini_pattern("bd*2 [~ sn]", AtomKind::String, 100).unwrap();
    let hs = q.query_span(Span::new(Time::ZERO, Time::ONE));
    let sn = hs.iter().find(|h| h.value == Value::str("sn")).unwrap();
    assert!(sn.context.iter().any(|s| (s.start, s.end) == (108, 110)));
    let bd = hs.iter().find(|h| h.value == Value::str("bd")).unwrap();
    assert!(bd.context.iter().any(|s| (s.start, s.end) == (100, 102)));
    // Every atom node has a span inside the string.
    let src = "a*<2 3> [b | c(3,8)] {d e}%4 f? g@2 . h!2";
    let ast = parse_mini(src).unwrap();
    ast.root.walk(&mut |n| {
        assert!(
            n.span.0 <= n.span.1 && n.span.1 as usize <= src.len(),
            "{n:?}"
        )
    });
}

// ----- errors -----

#[test]
fn errors_say_what_was_expected_and_where() {
    let cases: &[(&str, AtomKind, &str, (usize, usize))] = &[
        (
            "bd [sn",
            AtomKind::String,
            "unclosed '[' opened here",
            (3, 4),
        ),
        ("<a b", AtomKind::String, "unclosed '<' opened here", (0, 1)),
        ("{a b", AtomKind::String, "unclosed '{' opened here", (0, 1)),
        (
            "bd(3,8",
            AtomKind::String,
            "unclosed '(' opened here",
            (2, 3),
        ),
        ("bd sn]", AtomKind::String, "unmatched ']'", (5, 6)),
        // As in Tidal, `*` must come before `(k,n)`.
        ("bd(3,8)*2", AtomKind::String, "unexpected '*'", (7, 8)),
        (
            "bd*",
            AtomKind::String,
            "expected a number after '*', found the end of the pattern",
            (3, 3),
        ),
        (
            "bd/y",
            AtomKind::String,
            "expected a number after '/', found 'y'",
            (3, 4),
        ),
        (
            "bd(3)",
            AtomKind::String,
            "expected ',' between the numbers of '(k,n)', found ')'",
            (4, 5),
        ),
        (
            "bd .",
            AtomKind::String,
            "'.' must separate at least two groups of steps",
            (3, 4),
        ),
        (
            "bd?1",
            AtomKind::String,
            "expected a decimal number such as 0.5",
            (3, 4),
        ),
        (
            "bd@0 sn",
            AtomKind::String,
            "a step's weight must be positive",
            (0, 4),
        ),
        (
            "<>",
            AtomKind::String,
            "empty layer in '<>' (Tidal cannot play it: zero steps)",
            (0, 1),
        ),
        (
            "1.5%2",
            AtomKind::Float,
            "fractions need a whole numerator and denominator",
            (0, 5),
        ),
        (
            "1%0",
            AtomKind::Rational,
            "a fraction cannot have a zero denominator",
            (0, 3),
        ),
        ("1e999", AtomKind::Float, "number too large", (0, 5)),
        (
            "99999999999999999999",
            AtomKind::Int,
            "integer too large",
            (0, 20),
        ),
        (
            "99999999999999999999",
            AtomKind::Rational,
            "number out of range for exact rational time",
            (0, 20),
        ),
        (
            "3.5",
            AtomKind::Int,
            "not an integer (expected a whole number)",
            (0, 3),
        ),
        ("hello", AtomKind::Float, "unexpected 'h'", (0, 1)),
        ("true", AtomKind::Bool, "unexpected 'r'", (1, 2)),
        (
            "c'maj'2o",
            AtomKind::Note,
            "an open chord ('o') needs at least three notes",
            (6, 8),
        ),
        (
            "c'maj' e",
            AtomKind::Note,
            "expected a chord range, 'i' or 'o' after the second '''",
            (6, 7),
        ),
        (
            "bd!100000",
            AtomKind::String,
            "too many repeats (max 10000)",
            (2, 9),
        ),
        (
            "1 {- open",
            AtomKind::Note,
            "unclosed '{-' comment opened here",
            (2, 4),
        ),
    ];
    for (src, kind, msg, span) in cases {
        let e = err(src, *kind);
        assert_eq!(
            (e.message(), e.span()),
            (*msg, *span),
            "{src:?} as {kind:?}"
        );
    }
    // Spans are shifted by the base offset.
    let e = mini_pattern("bd [sn", AtomKind::String, 40).err().unwrap();
    assert_eq!(e.span(), (43, 44));
}

#[test]
fn tidal_quirks_are_kept() {
    // Numbers skip trailing whitespace and a ratio letter may follow: `e` is 1/8.
    let e = events(&p("bd*2 e"), 0, 1);
    assert_eq!(e.len(), 1);
    assert_eq!(e[0].0, Some(Span::new(t(0, 1), t(4, 1))));
    // `1.2.3` in a number pattern is `1.2 . 3` (two feet), as in Tidal.
    let q = mini_pattern("1.2.3", AtomKind::Float, 0).unwrap();
    assert_eq!(q.query_span(Span::new(Time::ZERO, Time::ONE)).len(), 2);
    // Huge doubles that Tidal reads are read the same.
    let q = mini_pattern("99999999999999999999", AtomKind::Float, 0).unwrap();
    assert_eq!(
        q.query_span(Span::new(Time::ZERO, Time::ONE))[0].value,
        Value::Float(1e20)
    );
}

// ----- robustness -----

#[test]
fn zero_speed_is_silent() {
    for s in ["bd*0", "bd/0", "[bd sn]*0 ~", "bd(3,0)", "bd*<0 0>"] {
        let q = p(s);
        assert!(
            q.try_query(Span::new(t(-2, 1), t(3, 1)), 1000)
                .unwrap()
                .is_empty(),
            "{s}"
        );
    }
}

#[test]
fn huge_speeds_hit_the_event_cap() {
    for s in [
        "bd*1e12",
        "bd*99999999999",
        "[bd sn]*1e9 hh",
        "bd*<1e12 1>",
        "{a b}%1e12",
        "bd(99999,100000)",
    ] {
        let q = p(s);
        let r = q.try_query(Span::new(Time::ZERO, Time::ONE), 1_000);
        assert!(
            matches!(r, Err(QueryError::TooManyEvents { .. })),
            "{s}: {:?}",
            r.map(|v| v.len())
        );
    }
    let q = mini_pattern("0 .. 1000000000", AtomKind::Int, 0).unwrap();
    assert!(q
        .try_query(Span::new(Time::ZERO, Time::ONE), 100_000)
        .is_err());
}

/// The acceptance case at the default cap: bounded work, then `TooManyEvents`. (Slow in
/// debug builds: the budget allows 20 units of work per permitted event.)
#[test]
#[cfg_attr(debug_assertions, ignore)]
fn bd_times_1e12_at_the_default_cap() {
    let r = p("bd*1e12").try_query(Span::new(Time::ZERO, Time::ONE), 100_000);
    assert!(matches!(r, Err(QueryError::TooManyEvents { cap: 100_000 })));
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let deep = format!("{}bd{}", "[".repeat(10_000), "]".repeat(10_000));
    let e = parse_mini(&deep).unwrap_err();
    assert_eq!(
        e.message(),
        format!("nesting too deep (max {MAX_DEPTH} levels)")
    );
    for (o, c) in [("<", ">"), ("{", "}"), ("[", "]")] {
        let s = format!("{}a{}", o.repeat(5000), c.repeat(5000));
        assert!(parse_mini(&s).is_err());
    }
    let s = format!("bd{}", "(3,8".repeat(5000));
    assert!(parse_mini(&s).is_err());
    let s = format!("bd{}", "*[2".repeat(5000));
    assert!(parse_mini(&s).is_err());
}

#[test]
fn the_deepest_accepted_nesting_queries_fine() {
    let n = MAX_DEPTH as usize;
    for (o, c) in [("[", "]"), ("<", ">"), ("{", "}")] {
        let s = format!("{}bd sn{}", o.repeat(n), c.repeat(n));
        let q = p(&s);
        // Run on a thread with the default 2 MiB stack, like the scheduler would.
        let r = std::thread::spawn(move || {
            q.try_query(Span::new(t(-1, 3), t(7, 2)), 100_000)
                .map(|v| v.len())
        })
        .join()
        .unwrap();
        assert!(r.unwrap() > 0, "{o}");
    }
    let s = format!("{}bd?{}", "[".repeat(n), "]".repeat(n));
    assert!(p(&s)
        .try_query(Span::new(Time::ZERO, t(4, 1)), 100_000)
        .is_ok());
    assert!(parse_mini(&format!("{}a{}", "[".repeat(n + 1), "]".repeat(n + 1))).is_err());
}

#[test]
fn odd_inputs_do_not_panic() {
    for s in [
        "",
        " ",
        "~",
        "[",
        "]",
        "[]",
        "<>",
        "{}",
        "{}%",
        "()",
        "(",
        ")",
        "?",
        "!",
        "@",
        "_",
        ".",
        "..",
        "...",
        "bd..",
        "bd . .",
        "a!!!!",
        "a@@@",
        "a??",
        "a?0.",
        "a*[",
        "a*<",
        "a*{",
        "a(,)",
        "a(1,2,3,4)",
        "^",
        "^^",
        "'",
        "c'",
        "c''",
        "c'maj'",
        "c'maj'99999999999",
        "0x",
        "0o",
        "1e",
        "1e-",
        "-",
        "+",
        "--",
        "{-",
        "-}",
        "1%",
        "%",
        "é",
        "日本",
        "\u{0}",
        "a\u{a0}b",
        "[a|]",
        "[|]",
        "<a,>",
        "{a,}%2",
        "bd:3?0.5*2(3,8)",
        "1.2.3",
        "1e999",
        "-1e999",
        "99999999999999999999",
        "1e-400",
        "0.000000000000000000001",
    ] {
        fuzz_one(s);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn random_strings_never_panic(s in "[a-z0-9~\\[\\]<>{}(),.*/!_@?|:%'^ \\-+e]{0,40}") {
        fuzz_one(&s);
        for kind in [AtomKind::String, AtomKind::Float, AtomKind::Note, AtomKind::Bool] {
            if let Err(e) = parse_mini_as(&s, kind) {
                let (a, b) = e.span();
                prop_assert!(a <= b && b <= s.len() + 4, "{s:?}: {e} {:?}", e.span());
            }
        }
    }

    #[test]
    fn any_unicode_never_panics(s in "\\PC{0,24}") {
        fuzz_one(&s);
    }
}
