//! The mini-notation grammar, mirroring Tidal 1.7.10's `Sound.Tidal.ParseBP` rule by rule
//! (`pSequence`, `pPart`, `pSingle`, `pPolyIn`, `pPolyOut`, `pMult`, `pRand`, `pE`,
//! `pElongate`, `pRepeat`), so that what Tidal accepts parses the same way here, quirks
//! included (for example `"bd*2 e"` is `bd` at a factor of `2 * 1/8`, as in Tidal).

use super::ast::{AtomValue, ByteSpan, Node, NodeKind};
use super::lexer::{add_exact, hs_letter, PResult, Parser};
use super::{AtomKind, MiniError, MAX_DEPTH, MAX_REPEAT};
use crate::time::Time;

/// Which atom parser a sequence uses (Tidal's `f` argument), and whether `~` is allowed.
#[derive(Clone, Copy)]
pub(crate) struct Atoms {
    kind: AtomKind,
    rest: bool,
}

impl Atoms {
    /// The top-level parser for a kind (`f <|> symbol "~"`).
    pub fn main(kind: AtomKind) -> Atoms {
        Atoms { kind, rest: true }
    }
    const RATIONAL: Atoms = Atoms {
        kind: AtomKind::Rational,
        rest: false,
    };
    const INT: Atoms = Atoms {
        kind: AtomKind::Int,
        rest: false,
    };
}

/// A sequence element before `.` feet are resolved.
enum Item {
    Step(Node),
    Foot(usize),
}

fn node(kind: NodeKind, start: usize, end: usize) -> Node {
    Node {
        kind,
        span: (start as u32, end as u32),
    }
}

fn span_of(n: &Node) -> ByteSpan {
    n.span
}

impl Parser<'_> {
    fn next_seed(&mut self) -> u32 {
        let s = self.seed;
        self.seed = self.seed.saturating_add(1);
        s
    }

    fn enter(&mut self, open: usize) -> Result<(), MiniError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.err(
                open,
                open + 1,
                format!("nesting too deep (max {MAX_DEPTH} levels)"),
            ));
        }
        Ok(())
    }

    /// The whole string: a sequence, then the end.
    pub fn top(&mut self, kind: AtomKind) -> Result<Node, MiniError> {
        let root = self.sequence(Atoms::main(kind))?;
        if self.pos < self.src.len() {
            let msg = match self.peek() {
                Some(c @ (']' | '>' | '}' | ')')) => format!("unmatched '{c}'"),
                Some(',') => "',' can only separate layers inside '[ ]', '{ }' or '< >'".into(),
                Some('|') => "'|' can only separate choices inside '[ ]'".into(),
                _ => format!("unexpected {}", self.found()),
            };
            return Err(self.err_here(msg));
        }
        Ok(root)
    }

    /// `pSequence`: steps separated by spaces, with `..` ranges, `@`/`_` elongation, `!`
    /// repeats and `.` feet, then an optional `?` over the whole sequence.
    ///
    /// The functions on the recursion path (`sequence`, `sequence_item`, `part`,
    /// `poly_in`, ...) are kept small, with the work in helpers, so that deep nesting needs
    /// little stack even in debug builds.
    fn sequence(&mut self, f: Atoms) -> Result<Node, MiniError> {
        self.spaces();
        let start = self.pos;
        let mut items = Vec::new();
        while self.sequence_item(f, &mut items)? {}
        self.finish_sequence(items, start)
    }

    /// One step with its suffixes, or a `.` foot; false at the end of the sequence.
    fn sequence_item(&mut self, f: Atoms, items: &mut Vec<Item>) -> Result<bool, MiniError> {
        match self.part(f)? {
            Some(a) => {
                let step = self.step_suffix(a, f)?;
                items.push(Item::Step(step));
                Ok(true)
            }
            None => self.foot(items),
        }
    }

    #[inline(never)]
    fn foot(&mut self, items: &mut Vec<Item>) -> Result<bool, MiniError> {
        if !self.at('.') {
            return Ok(false);
        }
        let at = self.pos;
        self.symbol(".")?;
        items.push(Item::Foot(at));
        Ok(true)
    }

    /// What may follow a step: `.. b`, `@w`/`_`, or `!n`.
    #[inline(never)]
    fn step_suffix(&mut self, a: Node, f: Atoms) -> Result<Node, MiniError> {
        self.spaces();
        if self.src[self.pos..].starts_with("..") {
            self.symbol("..")?;
            let Some(b) = self.part(f)? else {
                return Err(self.expected("a value after '..'"));
            };
            let (s, e) = (a.span.0 as usize, b.span.1 as usize);
            let k = NodeKind::Range {
                from: Box::new(a),
                to: Box::new(b),
            };
            Ok(node(k, s, e))
        } else if matches!(self.peek(), Some('@' | '_')) {
            self.elongate(a)
        } else if self.at('!') {
            self.repeat(a)
        } else {
            Ok(a)
        }
    }

    #[inline(never)]
    fn finish_sequence(&mut self, items: Vec<Item>, start: usize) -> Result<Node, MiniError> {
        let end = self.tok_end.max(start);
        let seq = self.resolve_feet(items, start, end)?;
        self.rand(seq)
    }

    /// "expected X, found Y" at the current position.
    #[cold]
    #[inline(never)]
    fn expected(&self, what: &str) -> MiniError {
        self.err_here(format!("expected {what}, found {}", self.found()))
    }

    /// Tidal's `resolve_feet`/`splitFeet`.
    fn resolve_feet(&self, items: Vec<Item>, start: usize, end: usize) -> Result<Node, MiniError> {
        let Some(first_foot) = items.iter().find_map(|i| match i {
            Item::Foot(at) => Some(*at),
            Item::Step(_) => None,
        }) else {
            let steps = items
                .into_iter()
                .filter_map(|i| match i {
                    Item::Step(n) => Some(n),
                    Item::Foot(_) => None,
                })
                .collect();
            return Ok(node(NodeKind::Seq(steps), start, end));
        };
        let mut groups: Vec<Vec<Node>> = Vec::new();
        let mut cur: Vec<Node> = Vec::new();
        let mut pending = false;
        for i in items {
            match i {
                Item::Step(n) => {
                    cur.push(n);
                    pending = true;
                }
                Item::Foot(_) => {
                    groups.push(std::mem::take(&mut cur));
                    pending = false;
                }
            }
        }
        if pending {
            groups.push(cur);
        }
        if groups.len() < 2 {
            return Err(self.err(
                first_foot,
                first_foot + 1,
                "'.' must separate at least two groups of steps",
            ));
        }
        let feet = groups
            .into_iter()
            .map(|g| {
                let s = g.first().map_or(start, |n| n.span.0 as usize);
                let e = g.last().map_or(s, |n| n.span.1 as usize);
                node(NodeKind::Seq(g), s, e)
            })
            .collect();
        Ok(node(NodeKind::Seq(feet), start, end))
    }

    /// `pPart`: a single, `[...]`, `{...}`, `<...>` or `^var`, then `(k,n,r)` and `?`.
    fn part(&mut self, f: Atoms) -> PResult<Node> {
        let Some(r) = self.part_head(f)? else {
            return Ok(None);
        };
        self.part_tail(r).map(Some)
    }

    fn part_head(&mut self, f: Atoms) -> PResult<Node> {
        if let Some(x) = self.single(f)? {
            return Ok(Some(x));
        }
        if let Some(x) = self.poly_in(f)? {
            return Ok(Some(x));
        }
        if let Some(x) = self.poly_out(f)? {
            return Ok(Some(x));
        }
        self.var()
    }

    #[inline(never)]
    fn part_tail(&mut self, r: Node) -> Result<Node, MiniError> {
        let r = self.euclid(r)?;
        self.rand(r)
    }

    /// `pSingle`: an atom, `?`, then `*`/`/`.
    fn single(&mut self, f: Atoms) -> PResult<Node> {
        let Some(a) = self.atom(f)? else {
            return Ok(None);
        };
        let a = self.rand(a)?;
        Ok(Some(self.mult(a)?))
    }

    fn atom(&mut self, f: Atoms) -> PResult<Node> {
        let start = self.pos;
        let r = match f.kind {
            AtomKind::String => self.word(),
            AtomKind::Bool => self.boolean(),
            AtomKind::Float => self.double_atom(),
            AtomKind::Note => self.note_atom(),
            AtomKind::Int => self.int_atom(),
            AtomKind::Rational => self.rational_atom(),
        }?;
        if r.is_some() || !f.rest || !self.at('~') {
            return Ok(r);
        }
        self.symbol("~")?;
        Ok(Some(node(NodeKind::Silence, start, start + 1)))
    }

    fn word(&mut self) -> PResult<Node> {
        let start = self.pos;
        match self.peek() {
            Some(c) if hs_letter(c) || c.is_ascii_digit() => {}
            _ => return Ok(None),
        }
        let rest = &self.src[self.pos..];
        let n = rest
            .char_indices()
            .find(|(_, c)| !(hs_letter(*c) || c.is_ascii_digit() || ":.-_".contains(*c)))
            .map_or(rest.len(), |(i, _)| i);
        self.pos += n;
        self.tok_end = self.pos;
        let w = self.src[start..self.pos].to_string();
        Ok(Some(node(
            NodeKind::Atom(AtomValue::Str(w)),
            start,
            self.pos,
        )))
    }

    fn boolean(&mut self) -> PResult<Node> {
        let v = match self.peek() {
            Some('t' | '1') => true,
            Some('f' | '0') => false,
            _ => return Ok(None),
        };
        let start = self.pos;
        self.bump();
        Ok(Some(node(
            NodeKind::Atom(AtomValue::Bool(v)),
            start,
            self.pos,
        )))
    }

    fn finite(&self, v: f64, start: usize) -> Result<f64, MiniError> {
        if v.is_finite() {
            Ok(v)
        } else {
            Err(self.err(start, self.tok_end.max(start + 1), "number too large"))
        }
    }

    /// A chord's notes as a stack of atoms sharing the chord's span.
    fn chord_node(
        &self,
        root: f64,
        notes: Vec<i64>,
        wrap: fn(f64) -> AtomValue,
        start: usize,
    ) -> Node {
        let end = self.tok_end.max(start);
        let atoms = notes
            .into_iter()
            .map(|n| node(NodeKind::Atom(wrap(root + n as f64)), start, end))
            .collect();
        node(NodeKind::Stack(atoms), start, end)
    }

    /// `pDouble`: a signed `pRatio` or note name, optionally a chord; or a chord alone.
    fn double_atom(&mut self) -> PResult<Node> {
        let start = self.pos;
        let neg = self.sign();
        let v = match self.ratio()? {
            Some(n) => Some(n.f),
            None => self.note_name()?,
        };
        let Some(v) = v else {
            if self.pos != start {
                return Err(self.err_here(format!(
                    "expected a number after the sign, found {}",
                    self.found()
                )));
            }
            return Ok(self
                .chord()?
                .map(|c| self.chord_node(0.0, c, AtomValue::Float, start)));
        };
        let v = self.finite(if neg { -v } else { v }, start)?;
        if let Some(c) = self.chord()? {
            return Ok(Some(self.chord_node(v, c, AtomValue::Float, start)));
        }
        Ok(Some(node(
            NodeKind::Atom(AtomValue::Float(v)),
            start,
            self.tok_end,
        )))
    }

    /// `pNote`: a signed number or note name, optionally a chord; a chord; or a ratio letter.
    fn note_atom(&mut self) -> PResult<Node> {
        let start = self.pos;
        let neg = self.sign();
        let v = match self.int_or_float()? {
            Some(x) => Some(x),
            None => self.note_name()?,
        };
        if let Some(v) = v {
            let v = self.finite(if neg { -v } else { v }, start)?;
            if let Some(c) = self.chord()? {
                return Ok(Some(self.chord_node(v, c, AtomValue::Note, start)));
            }
            return Ok(Some(node(
                NodeKind::Atom(AtomValue::Note(v)),
                start,
                self.tok_end,
            )));
        }
        if self.pos != start {
            return Err(self.err_here(format!(
                "expected a number or note name after the sign, found {}",
                self.found()
            )));
        }
        if let Some(c) = self.chord()? {
            return Ok(Some(self.chord_node(0.0, c, AtomValue::Note, start)));
        }
        Ok(self.ratio_char().map(|k| {
            node(
                NodeKind::Atom(AtomValue::Note(1.0 / k as f64)),
                start,
                self.pos,
            )
        }))
    }

    /// `pIntegral`: a signed whole number or note name, optionally a chord; or a chord.
    fn int_atom(&mut self) -> PResult<Node> {
        let start = self.pos;
        let neg = self.sign();
        let v = match self.int_or_float()? {
            Some(x) => Some(x),
            None => self.note_name()?,
        };
        let Some(v) = v else {
            if self.pos != start {
                return Err(self.err_here(format!(
                    "expected a whole number after the sign, found {}",
                    self.found()
                )));
            }
            return Ok(self.chord()?.map(|c| self.int_chord(0, c, start)));
        };
        if v.fract() != 0.0 {
            return Err(self.err(
                start,
                self.tok_end,
                "not an integer (expected a whole number)",
            ));
        }
        if v.abs() >= 9.2e18 {
            return Err(self.err(start, self.tok_end, "integer too large"));
        }
        let i = if neg { -(v as i64) } else { v as i64 };
        if let Some(c) = self.chord()? {
            return Ok(Some(self.int_chord(i, c, start)));
        }
        Ok(Some(node(
            NodeKind::Atom(AtomValue::Int(i)),
            start,
            self.tok_end,
        )))
    }

    fn int_chord(&self, root: i64, notes: Vec<i64>, start: usize) -> Node {
        let end = self.tok_end.max(start);
        let atoms = notes
            .into_iter()
            .map(|n| {
                node(
                    NodeKind::Atom(AtomValue::Int(root.saturating_add(n))),
                    start,
                    end,
                )
            })
            .collect();
        node(NodeKind::Stack(atoms), start, end)
    }

    /// `pRational`.
    fn rational_atom(&mut self) -> PResult<Node> {
        let start = self.pos;
        let Some(n) = self.ratio()? else {
            return Ok(None);
        };
        let Some(t) = n.exact else {
            return Err(self.err(
                start,
                self.tok_end,
                "number out of range for exact rational time",
            ));
        };
        Ok(Some(node(
            NodeKind::Atom(AtomValue::Rational(t)),
            start,
            self.tok_end,
        )))
    }

    /// `pMult`: `*factor` or `/factor`, the factor a rational, `[...]`, `{...}` or `<...>`.
    fn mult(&mut self, thing: Node) -> Result<Node, MiniError> {
        let op = match self.peek() {
            Some(c @ ('*' | '/')) => c,
            _ => return Ok(thing),
        };
        self.bump();
        self.spaces();
        let f = if let Some(x) = self.rational_atom()? {
            x
        } else if let Some(x) = self.poly_in(Atoms::RATIONAL)? {
            x
        } else if let Some(x) = self.poly_out(Atoms::RATIONAL)? {
            x
        } else {
            return Err(self.expected(if op == '*' {
                "a number after '*'"
            } else {
                "a number after '/'"
            }));
        };
        let (s, e) = (thing.span.0 as usize, f.span.1 as usize);
        let (factor, pat) = (Box::new(f), Box::new(thing));
        let k = if op == '*' {
            NodeKind::Fast { factor, pat }
        } else {
            NodeKind::Slow { factor, pat }
        };
        Ok(node(k, s, e))
    }

    /// `pRand`: `?` or `?0.3`, taking the next seed.
    fn rand(&mut self, thing: Node) -> Result<Node, MiniError> {
        if !self.at('?') {
            return Ok(thing);
        }
        self.bump();
        let amount = self.float_token()?.unwrap_or(0.5);
        if !amount.is_finite() {
            return Err(self.err(thing.span.1 as usize, self.tok_end, "number too large"));
        }
        let end = self.tok_end;
        self.spaces();
        let seed = self.next_seed();
        let s = thing.span.0 as usize;
        let k = NodeKind::Degrade {
            seed,
            amount,
            pat: Box::new(thing),
        };
        Ok(node(k, s, end))
    }

    /// `pE`: `(k,n)` or `(k,n,r)` right after a part.
    fn euclid(&mut self, thing: Node) -> Result<Node, MiniError> {
        if !self.at('(') {
            return Ok(thing);
        }
        let open = self.pos;
        self.enter(open)?;
        self.symbol("(")?;
        let pulses = self.sequence(Atoms::INT)?;
        self.spaces();
        if !self.symbol(",")? {
            return Err(self.expected("',' between the numbers of '(k,n)'"));
        }
        self.spaces();
        let steps = self.sequence(Atoms::INT)?;
        let rotation = if self.symbol(",")? {
            self.spaces();
            self.sequence(Atoms::INT)?
        } else {
            node(NodeKind::Atom(AtomValue::Int(0)), self.pos, self.pos)
        };
        self.close(')', '(', open)?;
        let (s, e) = (thing.span.0 as usize, self.tok_end);
        let k = NodeKind::Euclid {
            pulses: Box::new(pulses),
            steps: Box::new(steps),
            rotation: Box::new(rotation),
            pat: Box::new(thing),
        };
        Ok(node(k, s, e))
    }

    /// Expects the closing bracket of a group opened at `open`.
    fn close(&mut self, c: char, o: char, open: usize) -> Result<(), MiniError> {
        let mut buf = [0u8; 4];
        if self.symbol(c.encode_utf8(&mut buf))? {
            self.depth -= 1;
            return Ok(());
        }
        if self.peek().is_none() {
            return Err(self.err(open, open + 1, format!("unclosed '{o}' opened here")));
        }
        Err(self.err_here(format!(
            "expected '{c}' to close the '{o}' at byte {open}, found {}",
            self.found()
        )))
    }

    /// `pPolyIn`: `[a b, c]` (stack) or `[a | b]` (random choice), then `*`/`/`.
    fn poly_in(&mut self, f: Atoms) -> PResult<Node> {
        if !self.at('[') {
            return Ok(None);
        }
        let open = self.pos;
        self.enter(open)?;
        self.symbol("[")?;
        let k = self.poly_in_body(f)?;
        self.poly_in_close(k, open).map(Some)
    }

    fn poly_in_body(&mut self, f: Atoms) -> Result<NodeKind, MiniError> {
        let first = self.sequence(f)?;
        if self.at(',') {
            return self.layers_after(first, ",", f).map(NodeKind::Stack);
        }
        if self.at('|') {
            let options = self.layers_after(first, "|", f)?;
            let seed = self.next_seed();
            return Ok(NodeKind::Choose { seed, options });
        }
        Ok(first.kind)
    }

    /// More sequences after `first`, each preceded by `sep`.
    fn layers_after(&mut self, first: Node, sep: &str, f: Atoms) -> Result<Vec<Node>, MiniError> {
        let mut layers = vec![first];
        while self.symbol(sep)? {
            layers.push(self.sequence(f)?);
        }
        Ok(layers)
    }

    #[inline(never)]
    fn poly_in_close(&mut self, k: NodeKind, open: usize) -> Result<Node, MiniError> {
        self.close(']', '[', open)?;
        let n = node(k, open, self.tok_end);
        self.mult(n)
    }

    /// `pPolyOut`: `{a b, c d e}` with an optional `%steps`, or `<a b c>`, then `*`/`/`.
    fn poly_out(&mut self, f: Atoms) -> PResult<Node> {
        let (o, c) = match self.peek() {
            Some('{') => ('{', '}'),
            Some('<') => ('<', '>'),
            _ => return Ok(None),
        };
        let open = self.pos;
        self.enter(open)?;
        self.pos += 1;
        self.tok_end = self.pos;
        self.white()?;
        let first = self.sequence(f)?;
        let layers = self.layers_after(first, ",", f)?;
        self.poly_out_close(layers, (o, c), open).map(Some)
    }

    #[inline(never)]
    fn poly_out_close(
        &mut self,
        layers: Vec<Node>,
        (o, c): (char, char),
        open: usize,
    ) -> Result<Node, MiniError> {
        self.close(c, o, open)?;
        for l in &layers {
            if matches!(&l.kind, NodeKind::Seq(xs) if xs.is_empty()) {
                let s = span_of(l);
                return Err(self.err(
                    open,
                    (s.1 as usize).max(open + 1),
                    format!("empty layer in '{o}{c}' (Tidal cannot play it: zero steps)"),
                ));
            }
        }
        let steps = if o == '<' {
            Some(Box::new(node(
                NodeKind::Atom(AtomValue::Rational(Time::ONE)),
                open,
                open,
            )))
        } else if self.at('%') {
            self.bump();
            Some(Box::new(self.sequence(Atoms::RATIONAL)?))
        } else {
            None
        };
        let n = node(NodeKind::Polymeter { steps, layers }, open, self.tok_end);
        self.mult(n)
    }

    /// `pVar`: `^name`.
    fn var(&mut self) -> PResult<Node> {
        if !self.at('^') {
            return Ok(None);
        }
        let start = self.pos;
        self.bump();
        let rest = &self.src[self.pos..];
        let n = rest
            .char_indices()
            .find(|(_, c)| !(hs_letter(*c) || c.is_ascii_digit() || ":.-_".contains(*c)))
            .map_or(rest.len(), |(i, _)| i);
        self.pos += n;
        self.tok_end = self.pos;
        let name = self.src[start + 1..self.pos].to_string();
        Ok(Some(node(NodeKind::Var(name), start, self.pos)))
    }

    /// `pElongate`: one or more `@w` / `_`, summing `w - 1` (1 when no number follows).
    fn elongate(&mut self, a: Node) -> Result<Node, MiniError> {
        let mut weight = Time::ONE;
        let start = a.span.0 as usize;
        while matches!(self.peek(), Some('@' | '_')) {
            let at = self.pos;
            self.bump();
            let r = match self.ratio()? {
                Some(n) => n.exact.and_then(|t| add_exact(t, -Time::ONE)),
                None => Some(Time::ONE),
            };
            self.spaces();
            let Some(w) = r.and_then(|r| add_exact(weight, r)) else {
                return Err(self.err(at, self.tok_end, "weight out of range"));
            };
            weight = w;
        }
        if weight <= Time::ZERO {
            return Err(self.err(start, self.tok_end, "a step's weight must be positive"));
        }
        let end = self.tok_end;
        let k = NodeKind::Elongate {
            weight,
            pat: Box::new(a),
        };
        Ok(node(k, start, end))
    }

    /// `pRepeat`: one or more `!n` / `!`, summing `n - 1` (1 for a bare `!`).
    fn repeat(&mut self, a: Node) -> Result<Node, MiniError> {
        let mut count: i64 = 1;
        let start = a.span.0 as usize;
        while self.at('!') {
            let at = self.pos;
            self.bump();
            let rest = &self.src[self.pos..];
            let n = rest.bytes().take_while(u8::is_ascii_digit).count();
            let add = if n == 0 {
                1
            } else {
                let v: i64 = rest[..n].parse().unwrap_or(i64::MAX);
                self.pos += n;
                self.tok_end = self.pos;
                v.saturating_sub(1)
            };
            count = count.saturating_add(add);
            if count > MAX_REPEAT as i64 {
                return Err(self.err(
                    at,
                    self.tok_end,
                    format!("too many repeats (max {MAX_REPEAT})"),
                ));
            }
            self.spaces();
        }
        let end = self.tok_end;
        let k = NodeKind::Repeat {
            count: count.max(0) as u32,
            pat: Box::new(a),
        };
        Ok(node(k, start, end))
    }
}
