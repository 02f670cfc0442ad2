//! TEMPORARY stand-in until tactus_pattern::mini lands.
#![allow(missing_docs)]
use tactus_pattern::{Pattern, Value};
pub enum AtomKind { String, Float, Int, Note, Rational, Bool }
pub struct MiniError(String);
impl MiniError { pub fn span(&self) -> (usize, usize) { (0, 0) } pub fn message(&self) -> &str { &self.0 } }
pub fn mini_pattern(src: &str, kind: AtomKind, _base: u32) -> Result<Pattern<Value>, MiniError> {
    let mut v = Vec::new();
    for w in src.split_whitespace() {
        if w == "~" { v.push(Pattern::silence()); continue; }
        let val = match kind {
            AtomKind::String => Value::Str(w.into()),
            AtomKind::Bool => Value::Bool(w == "t" || w == "1"),
            _ => { let x: f64 = w.parse().map_err(|_| MiniError(format!("bad number {w}")))?;
                match kind { AtomKind::Int => Value::Int(x as i64), AtomKind::Note => Value::Note(x), AtomKind::Rational => Value::Rational(tactus_pattern::Time::from_f64(x)), _ => Value::Float(x) } }
        };
        v.push(Pattern::pure(val));
    }
    Ok(Pattern::fastcat(v))
}
