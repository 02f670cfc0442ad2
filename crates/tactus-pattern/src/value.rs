//! Dynamically typed values and control maps (Tidal's `Value` and `ValueMap`).

use std::fmt;
use std::sync::Arc;

use crate::time::Time;

/// A value in a control map or a dynamically typed pattern.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// A string (sound names, vowels, ...).
    Str(Arc<str>),
    /// A floating point number.
    Float(f64),
    /// An integer.
    Int(i64),
    /// A note number (semitones from middle C; fractional allowed).
    Note(f64),
    /// An exact rational.
    Rational(Time),
    /// A boolean.
    Bool(bool),
    /// A control map (the value type of Tidal's `ControlPattern`).
    Map(ValueMap),
}

/// A control map: control name to value, kept sorted by name.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ValueMap {
    entries: Vec<(Arc<str>, Value)>,
}

impl ValueMap {
    /// The empty map.
    pub fn new() -> ValueMap {
        ValueMap::default()
    }

    /// A map with one entry.
    pub fn singleton(name: impl Into<Arc<str>>, v: Value) -> ValueMap {
        ValueMap {
            entries: vec![(name.into(), v)],
        }
    }

    /// Looks a control up.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.entries
            .binary_search_by(|(k, _)| (**k).cmp(name))
            .ok()
            .map(|i| &self.entries[i].1)
    }

    /// Sets a control.
    pub fn insert(&mut self, name: impl Into<Arc<str>>, v: Value) {
        let name = name.into();
        match self.entries.binary_search_by(|(k, _)| (**k).cmp(&*name)) {
            Ok(i) => self.entries[i].1 = v,
            Err(i) => self.entries.insert(i, (name, v)),
        }
    }

    /// Removes a control.
    pub fn remove(&mut self, name: &str) -> Option<Value> {
        match self.entries.binary_search_by(|(k, _)| (**k).cmp(name)) {
            Ok(i) => Some(self.entries.remove(i).1),
            Err(_) => None,
        }
    }

    /// Iterates `(name, value)` in name order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.entries.iter().map(|(k, v)| (&**k, v))
    }

    /// Number of controls.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Merges two maps; for a name in both, `f(left, right)` decides the value
    /// (Haskell's `Map.unionWith`).
    pub fn union_with(&self, other: &ValueMap, f: impl Fn(&Value, &Value) -> Value) -> ValueMap {
        let (a, b) = (&self.entries, &other.entries);
        let mut out = Vec::with_capacity(a.len() + b.len());
        let (mut i, mut j) = (0, 0);
        while i < a.len() && j < b.len() {
            match a[i].0.cmp(&b[j].0) {
                std::cmp::Ordering::Less => {
                    out.push(a[i].clone());
                    i += 1;
                }
                std::cmp::Ordering::Greater => {
                    out.push(b[j].clone());
                    j += 1;
                }
                std::cmp::Ordering::Equal => {
                    out.push((a[i].0.clone(), f(&a[i].1, &b[j].1)));
                    i += 1;
                    j += 1;
                }
            }
        }
        out.extend_from_slice(&a[i..]);
        out.extend_from_slice(&b[j..]);
        ValueMap { entries: out }
    }

    /// [`ValueMap::union_with`] that consumes `self` and merges `other` into it in place:
    /// the same map, without rebuilding the entries `self` already has.
    ///
    /// ```
    /// use tactus_pattern::{Value, ValueMap};
    /// let a = ValueMap::singleton("s", Value::str("bd")).union_left(&ValueMap::singleton("gain", Value::Float(2.0)));
    /// let b = ValueMap::singleton("gain", Value::Float(0.5)).union_left(&ValueMap::singleton("pan", Value::Float(1.0)));
    /// let mul = |x: &Value, y: &Value| Value::Float(x.as_f64().unwrap() * y.as_f64().unwrap());
    /// assert_eq!(a.clone().merge_with(&b, mul), a.union_with(&b, mul));
    /// ```
    pub fn merge_with(mut self, other: &ValueMap, f: impl Fn(&Value, &Value) -> Value) -> ValueMap {
        for (k, v) in &other.entries {
            match self.entries.binary_search_by(|(e, _)| (**e).cmp(&**k)) {
                Ok(i) => self.entries[i].1 = f(&self.entries[i].1, v),
                Err(i) => self.entries.insert(i, (k.clone(), v.clone())),
            }
        }
        self
    }

    /// Union preferring the left value (Haskell's `Map.union`).
    pub fn union_left(&self, other: &ValueMap) -> ValueMap {
        self.union_with(other, |a, _| a.clone())
    }

    /// Applies `f` to every value.
    pub fn map_values(&self, f: impl Fn(&Value) -> Value) -> ValueMap {
        ValueMap {
            entries: self
                .entries
                .iter()
                .map(|(k, v)| (k.clone(), f(v)))
                .collect(),
        }
    }
}

impl FromIterator<(Arc<str>, Value)> for ValueMap {
    fn from_iter<I: IntoIterator<Item = (Arc<str>, Value)>>(iter: I) -> Self {
        let mut m = ValueMap::new();
        for (k, v) in iter {
            m.insert(k, v);
        }
        m
    }
}

/// A binary numeric operation on values, with Tidal's rules for mixed types.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NumOp {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
    /// `%` (Haskell's `mod'`: result has the sign of the divisor)
    Mod,
    /// `**`
    Pow,
}

fn fmod(a: f64, b: f64) -> f64 {
    if b == 0.0 {
        return f64::NAN;
    }
    a - b * (a / b).floor()
}

impl NumOp {
    fn float(self, a: f64, b: f64) -> f64 {
        match self {
            NumOp::Add => a + b,
            NumOp::Sub => a - b,
            NumOp::Mul => a * b,
            NumOp::Div => a / b,
            NumOp::Mod => fmod(a, b),
            NumOp::Pow => a.powf(b),
        }
    }

    fn int(self, a: i64, b: i64) -> Option<i64> {
        match self {
            NumOp::Add => a.checked_add(b),
            NumOp::Sub => a.checked_sub(b),
            NumOp::Mul => a.checked_mul(b),
            NumOp::Div => {
                if b == 0 {
                    None
                } else {
                    let q = a.checked_div(b)?;
                    Some(if a % b != 0 && ((a < 0) != (b < 0)) {
                        q - 1
                    } else {
                        q
                    })
                }
            }
            NumOp::Mod => {
                if b == 0 {
                    None
                } else {
                    Some(((a % b) + b) % b)
                }
            }
            NumOp::Pow => {
                if b < 0 {
                    None
                } else {
                    a.checked_pow(b.min(u32::MAX as i64) as u32)
                }
            }
        }
    }

    fn rational(self, a: Time, b: Time) -> Time {
        match self {
            NumOp::Add => a + b,
            NumOp::Sub => a - b,
            NumOp::Mul => a * b,
            NumOp::Div => a / b,
            NumOp::Mod => a - b * (a / b).sam(),
            NumOp::Pow => Time::from_f64(a.to_f64().powf(b.to_f64())),
        }
    }

    /// Applies the operation to two values. Numbers combine with Tidal's promotion rules
    /// (int with float gives float, anything with a note gives a note); maps combine name-wise (`Map.unionWith`). Other combinations keep the
    /// left value, as Tidal's `fNum2` does.
    pub fn apply(self, a: &Value, b: &Value) -> Value {
        use Value::*;
        match (a, b) {
            (Int(x), Int(y)) => match self.int(*x, *y) {
                Some(v) => Int(v),
                None => Float(self.float(*x as f64, *y as f64)),
            },
            (Float(x), Float(y)) => Float(self.float(*x, *y)),
            (Note(x), Note(y)) | (Float(x), Note(y)) | (Note(x), Float(y)) => {
                Note(self.float(*x, *y))
            }
            (Int(x), Note(y)) => Note(self.float(*x as f64, *y)),
            (Note(x), Int(y)) => Note(self.float(*x, *y as f64)),
            (Int(x), Float(y)) => Float(self.float(*x as f64, *y)),
            (Float(x), Int(y)) => Float(self.float(*x, *y as f64)),
            (Rational(x), Rational(y)) => Rational(self.rational(*x, *y)),
            (Rational(x), Float(y)) => Float(self.float(x.to_f64(), *y)),
            (Float(x), Rational(y)) => Float(self.float(*x, y.to_f64())),
            (Rational(x), Int(y)) => Rational(self.rational(*x, Time::int(*y))),
            (Int(x), Rational(y)) => Rational(self.rational(Time::int(*x), *y)),
            (Map(x), Map(y)) => Map(x.union_with(y, |p, q| self.apply(p, q))),
            _ => a.clone(),
        }
    }
}

impl Value {
    /// The value as a float, if numeric.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Float(x) | Value::Note(x) => Some(*x),
            Value::Int(i) => Some(*i as f64),
            Value::Rational(r) => Some(r.to_f64()),
            Value::Bool(b) => Some(if *b { 1.0 } else { 0.0 }),
            _ => None,
        }
    }

    /// The value as a string slice, if a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The value as a control map, if a map.
    pub fn as_map(&self) -> Option<&ValueMap> {
        match self {
            Value::Map(m) => Some(m),
            _ => None,
        }
    }

    /// A string value.
    pub fn str(s: &str) -> Value {
        Value::Str(s.into())
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Str(s) => write!(f, "{s}"),
            Value::Float(x) | Value::Note(x) => write!(f, "{x}"),
            Value::Int(i) => write!(f, "{i}"),
            Value::Rational(r) => write!(f, "{r}"),
            Value::Bool(b) => write!(f, "{}", if *b { "t" } else { "f" }),
            Value::Map(m) => {
                write!(f, "(")?;
                for (i, (k, v)) in m.iter().enumerate() {
                    if i > 0 {
                        write!(f, ", ")?;
                    }
                    write!(f, "{k}: {v}")?;
                }
                write!(f, ")")
            }
        }
    }
}
