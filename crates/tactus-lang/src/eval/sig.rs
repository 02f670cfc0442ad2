//! Type signatures of built-in functions, written Haskell-style (`Pattern Time -> Pattern a
//! -> Pattern a`). They give the arity, say which arguments decide the pattern type `a`,
//! and are shown in the function reference.

use crate::eval::types::Ty;

/// One type in a signature.
#[derive(Clone, Debug, PartialEq)]
pub enum SigTy {
    /// `Pattern T` or `Pattern a` (`None` = the type variable `a`).
    Pat(Option<Ty>),
    /// A plain constant: `Time`, `Int`, `Double`, `String`, `Bool`.
    Plain(&'static str),
    /// A function `(x -> y -> z)`: arguments then result.
    Fun(Vec<SigTy>),
    /// A list `[x]`.
    List(Box<SigTy>),
    /// A tuple `(x, y)`.
    Tuple(Vec<SigTy>),
    /// Any other type variable (`b`, `t`) or an unconstrained value.
    Any,
}

impl SigTy {
    /// True when this type mentions `Pattern a`.
    pub fn mentions_var(&self) -> bool {
        match self {
            SigTy::Pat(None) => true,
            SigTy::Fun(v) | SigTy::Tuple(v) => v.iter().any(|t| t.mentions_var()),
            SigTy::List(t) => t.mentions_var(),
            _ => false,
        }
    }
}

/// A parsed signature: parameter types and the result type.
#[derive(Clone, Debug, PartialEq)]
pub struct Signature {
    /// Parameter types, in order.
    pub params: Vec<SigTy>,
    /// The result type.
    pub result: SigTy,
}

/// Parses a signature. Panics only on a malformed *built-in* signature, which a unit test
/// checks for every registry entry.
pub fn parse_signature(src: &str) -> Signature {
    let body = match src.find("=>") {
        Some(i) => &src[i + 2..],
        None => src,
    };
    let toks = tokenize(body);
    let mut pos = 0;
    let t = parse_arrow(&toks, &mut pos);
    assert!(pos == toks.len(), "trailing tokens in signature {src:?}");
    match t {
        SigTy::Fun(mut v) => {
            let result = v.pop().unwrap_or(SigTy::Any);
            Signature { params: v, result }
        }
        other => Signature {
            params: Vec::new(),
            result: other,
        },
    }
}

fn tokenize(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = s.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
        } else if c == '-' {
            chars.next();
            chars.next();
            out.push("->".into());
        } else if "()[],".contains(c) {
            chars.next();
            out.push(c.to_string());
        } else {
            let mut w = String::new();
            while let Some(&c) = chars.peek() {
                if c.is_alphanumeric() || c == '_' || c == '\'' {
                    w.push(c);
                    chars.next();
                } else {
                    break;
                }
            }
            assert!(!w.is_empty(), "bad character {c:?} in signature");
            out.push(w);
        }
    }
    out
}

fn parse_arrow(t: &[String], pos: &mut usize) -> SigTy {
    let mut parts = vec![parse_app(t, pos)];
    while *pos < t.len() && t[*pos] == "->" {
        *pos += 1;
        parts.push(parse_app(t, pos));
    }
    if parts.len() == 1 {
        parts.pop().unwrap_or(SigTy::Any)
    } else {
        SigTy::Fun(parts)
    }
}

fn parse_app(t: &[String], pos: &mut usize) -> SigTy {
    let head = &t[*pos];
    match head.as_str() {
        "(" => {
            *pos += 1;
            let first = parse_arrow(t, pos);
            if t[*pos] == "," {
                let mut items = vec![first];
                while t[*pos] == "," {
                    *pos += 1;
                    items.push(parse_arrow(t, pos));
                }
                *pos += 1; // )
                SigTy::Tuple(items)
            } else {
                *pos += 1; // )
                first
            }
        }
        "[" => {
            *pos += 1;
            let inner = parse_arrow(t, pos);
            *pos += 1; // ]
            SigTy::List(Box::new(inner))
        }
        "Pattern" => {
            *pos += 1;
            let arg = t[*pos].clone();
            *pos += 1;
            if arg == "a" {
                SigTy::Pat(None)
            } else {
                SigTy::Pat(Some(
                    Ty::from_name(&arg).unwrap_or_else(|| panic!("unknown pattern type {arg}")),
                ))
            }
        }
        "ControlPattern" => {
            *pos += 1;
            SigTy::Pat(Some(Ty::Control))
        }
        "Time" | "Int" | "Double" | "String" | "Bool" | "Integer" | "Rational" => {
            *pos += 1;
            SigTy::Plain(match head.as_str() {
                "Time" | "Rational" => "Time",
                "Int" | "Integer" => "Int",
                "Double" => "Double",
                "String" => "String",
                _ => "Bool",
            })
        }
        _ => {
            *pos += 1;
            SigTy::Any
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_common_shapes() {
        let s =
            parse_signature("Pattern Int -> (Pattern a -> Pattern a) -> Pattern a -> Pattern a");
        assert_eq!(s.params.len(), 3);
        assert_eq!(s.params[0], SigTy::Pat(Some(Ty::Int)));
        assert!(matches!(s.params[1], SigTy::Fun(_)));
        assert_eq!(s.result, SigTy::Pat(None));
        let s = parse_signature("(Time, Time) -> [Pattern a] -> ControlPattern");
        assert!(matches!(s.params[0], SigTy::Tuple(_)));
        assert_eq!(s.result, SigTy::Pat(Some(Ty::Control)));
        let s = parse_signature("Num a => a -> a -> a");
        assert_eq!(s.params.len(), 2);
    }
}
