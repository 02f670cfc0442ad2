//! The arguments of one built-in call, with typed accessors.

use std::sync::Arc;

use tactus_pattern::{PatFn, Pattern, Time, Value};

use crate::ast::Span;
use crate::eval::coerce::{self, value_bool, value_f64, value_int, value_time};
use crate::eval::sig::{SigTy, Signature};
use crate::eval::types::{PatVal, Ty, Val};
use crate::eval::EvalError;
use crate::registry::Builtin;

/// Finds the type of `Pattern a` from the arguments whose type is already known.
pub fn resolve_var(sig: &Signature, args: &[(Val, Span)]) -> Option<Ty> {
    for (p, (v, _)) in sig.params.iter().zip(args) {
        if let Some(t) = var_from(p, v) {
            return Some(t);
        }
    }
    None
}

fn var_from(p: &SigTy, v: &Val) -> Option<Ty> {
    match (p, v) {
        (SigTy::Pat(None), Val::Pat(PatVal::Typed(t, _))) => Some(*t),
        (SigTy::List(inner), Val::List(items)) => {
            items.iter().find_map(|(x, _)| var_from(inner, x))
        }
        (SigTy::Tuple(ts), Val::Tuple(items)) => ts
            .iter()
            .zip(items.iter())
            .find_map(|(t, (x, _))| var_from(t, x)),
        _ => None,
    }
}

/// One call of a built-in: its arguments, the resolved pattern type, and the call span.
pub struct Call {
    /// The built-in being called.
    pub builtin: &'static Builtin,
    /// The arguments and their spans.
    pub args: Vec<(Val, Span)>,
    ty: Option<Ty>,
    /// The span of the whole call.
    pub span: Span,
}

impl Call {
    /// A call.
    pub fn new(
        builtin: &'static Builtin,
        args: Vec<(Val, Span)>,
        ty: Option<Ty>,
        span: Span,
    ) -> Call {
        Call {
            builtin,
            args,
            ty,
            span,
        }
    }

    fn arg(&self, i: usize) -> Result<&(Val, Span), EvalError> {
        self.args.get(i).ok_or_else(|| {
            EvalError::new(
                format!("`{}` is missing argument {}", self.builtin.name, i + 1),
                self.span,
            )
        })
    }

    /// The span of argument `i`.
    pub fn span_of(&self, i: usize) -> Span {
        self.args.get(i).map(|a| a.1).unwrap_or(self.span)
    }

    /// The raw value of argument `i`.
    pub fn val(&self, i: usize) -> Result<&Val, EvalError> {
        Ok(&self.arg(i)?.0)
    }

    /// The resolved type `a` (defaulting to `ControlPattern` when nothing decides it).
    pub fn ty(&self) -> Ty {
        self.ty.unwrap_or(Ty::Control)
    }

    /// Wraps a result pattern of type `a`.
    pub fn ret(&self, p: Pattern<Value>) -> Result<Val, EvalError> {
        Ok(Val::Pat(PatVal::Typed(self.ty(), p)))
    }

    /// Wraps a result pattern of a fixed type.
    pub fn ret_ty(&self, ty: Ty, p: Pattern<Value>) -> Result<Val, EvalError> {
        Ok(Val::Pat(PatVal::Typed(ty, p)))
    }

    /// Argument `i` as a pattern of type `a`.
    pub fn pat(&self, i: usize) -> Result<Pattern<Value>, EvalError> {
        self.pat_of(i, self.ty())
    }

    /// Argument `i` as a pattern of the given type.
    pub fn pat_of(&self, i: usize, ty: Ty) -> Result<Pattern<Value>, EvalError> {
        let (v, s) = self.arg(i)?;
        coerce::to_pat(v, ty, *s)
    }

    /// Argument `i` as a pattern of times.
    pub fn time(&self, i: usize) -> Result<Pattern<Time>, EvalError> {
        Ok(self.pat_of(i, Ty::Rational)?.fmap(value_time))
    }

    /// Argument `i` as a pattern of integers.
    pub fn int(&self, i: usize) -> Result<Pattern<i64>, EvalError> {
        Ok(self.pat_of(i, Ty::Int)?.fmap(value_int))
    }

    /// Argument `i` as a pattern of floats.
    pub fn double(&self, i: usize) -> Result<Pattern<f64>, EvalError> {
        Ok(self.pat_of(i, Ty::Float)?.fmap(value_f64))
    }

    /// Argument `i` as a pattern of booleans.
    pub fn boolean(&self, i: usize) -> Result<Pattern<bool>, EvalError> {
        Ok(self.pat_of(i, Ty::Bool)?.fmap(value_bool))
    }

    /// Argument `i` as a pattern of strings.
    pub fn string(&self, i: usize) -> Result<Pattern<Arc<str>>, EvalError> {
        Ok(self.pat_of(i, Ty::Str)?.fmap(|v| match v {
            Value::Str(s) => s.clone(),
            other => other.to_string().into(),
        }))
    }

    /// Argument `i` as a pattern transformation at type `a`.
    pub fn func(&self, i: usize) -> Result<PatFn<Value>, EvalError> {
        let (v, s) = self.arg(i)?;
        coerce::to_patfn(v, self.ty(), *s)
    }

    /// Argument `i` as a constant time.
    pub fn const_time(&self, i: usize) -> Result<Time, EvalError> {
        let (v, s) = self.arg(i)?;
        coerce::to_time(v, *s)
    }

    /// Argument `i` as a constant float.
    pub fn const_f64(&self, i: usize) -> Result<f64, EvalError> {
        let (v, s) = self.arg(i)?;
        coerce::to_f64(v, *s)
    }

    /// Argument `i` as a constant integer.
    pub fn const_int(&self, i: usize) -> Result<i64, EvalError> {
        let (v, s) = self.arg(i)?;
        coerce::to_int(v, *s)
    }

    /// Argument `i` as a list of values.
    pub fn list(&self, i: usize) -> Result<Arc<Vec<(Val, Span)>>, EvalError> {
        match self.arg(i)? {
            (Val::List(v), _) => Ok(v.clone()),
            (other, s) => Err(EvalError::new(
                format!(
                    "`{}` expects a list here, found {}",
                    self.builtin.name,
                    other.describe()
                ),
                *s,
            )),
        }
    }

    /// Argument `i` as a list of patterns of type `a`.
    pub fn pats(&self, i: usize) -> Result<Vec<Pattern<Value>>, EvalError> {
        let ty = self.ty();
        self.list(i)?
            .iter()
            .map(|(v, s)| coerce::to_pat(v, ty, *s))
            .collect()
    }

    /// Argument `i` as a list of pattern transformations at type `a`.
    pub fn funcs(&self, i: usize) -> Result<Vec<PatFn<Value>>, EvalError> {
        let ty = self.ty();
        self.list(i)?
            .iter()
            .map(|(v, s)| coerce::to_patfn(v, ty, *s))
            .collect()
    }

    /// Argument `i` as a tuple of values.
    pub fn tuple(&self, i: usize) -> Result<Arc<Vec<(Val, Span)>>, EvalError> {
        match self.arg(i)? {
            (Val::Tuple(v), _) => Ok(v.clone()),
            (other, s) => Err(EvalError::new(
                format!(
                    "`{}` expects a tuple here, found {}",
                    self.builtin.name,
                    other.describe()
                ),
                *s,
            )),
        }
    }

    /// Argument `i` as a pair of constant times, e.g. `(0.25, 0.75)`.
    pub fn time_pair(&self, i: usize) -> Result<(Time, Time), EvalError> {
        let t = self.tuple(i)?;
        if t.len() != 2 {
            return Err(EvalError::new("expected a pair `(a, b)`", self.span_of(i)));
        }
        Ok((
            coerce::to_time(&t[0].0, t[0].1)?,
            coerce::to_time(&t[1].0, t[1].1)?,
        ))
    }
}
