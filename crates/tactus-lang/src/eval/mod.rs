//! The evaluator: syntax tree -> values (patterns, functions, actions).
//!
//! Evaluation is dynamic, with pattern types deferred until a consumer needs them (see
//! [`types`]). Built-in functions come from the [`crate::registry`], each with a Haskell-style
//! signature that gives its arity and which arguments fix the pattern type.

pub mod call;
pub mod coerce;
pub mod sig;
pub mod types;

use std::collections::HashMap;
use std::sync::Arc;

use tactus_pattern::{NumOp, Pattern, Time, Value};

use crate::ast::{Expr, ExprKind, Span};
use crate::registry::{self, Builtin};
use call::Call;
use types::{Func, Number, PatVal, Ty, Val};

/// An evaluation error: message, source span, optional suggestion and notes.
#[derive(Clone, Debug, PartialEq)]
pub struct EvalError {
    /// What went wrong.
    pub message: String,
    /// Where.
    pub span: Span,
    /// A "did you mean" replacement, if any.
    pub suggestion: Option<String>,
    /// Extra lines of explanation.
    pub notes: Vec<String>,
}

impl EvalError {
    /// An error at a span.
    pub fn new(message: impl Into<String>, span: Span) -> EvalError {
        EvalError {
            message: message.into(),
            span,
            suggestion: None,
            notes: Vec::new(),
        }
    }

    /// Adds a note.
    pub fn note(mut self, n: impl Into<String>) -> EvalError {
        self.notes.push(n.into());
        self
    }
}

impl std::fmt::Display for EvalError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.message)
    }
}

impl std::error::Error for EvalError {}

/// Variables in scope.
#[derive(Default)]
pub struct Env {
    vars: HashMap<Arc<str>, Val>,
    parent: Option<Arc<Env>>,
}

impl Env {
    /// An empty top-level environment.
    pub fn root() -> Arc<Env> {
        Arc::new(Env::default())
    }

    /// A child scope with some bindings.
    pub fn child(parent: &Arc<Env>, vars: HashMap<Arc<str>, Val>) -> Arc<Env> {
        Arc::new(Env {
            vars,
            parent: Some(parent.clone()),
        })
    }

    /// Looks a name up through the scopes.
    pub fn get(&self, name: &str) -> Option<&Val> {
        match self.vars.get(name) {
            Some(v) => Some(v),
            None => self.parent.as_ref().and_then(|p| p.get(name)),
        }
    }

    /// Every name in scope (for suggestions).
    pub fn names(&self) -> Vec<Arc<str>> {
        let mut v: Vec<Arc<str>> = self.vars.keys().cloned().collect();
        if let Some(p) = &self.parent {
            v.extend(p.names());
        }
        v
    }
}

/// Maximum expression nesting the evaluator follows (the parser caps it too).
const MAX_DEPTH: usize = 400;

/// Evaluates an expression in an environment.
pub fn eval(e: &Expr, env: &Arc<Env>) -> Result<Val, EvalError> {
    eval_depth(e, env, 0)
}

fn eval_depth(e: &Expr, env: &Arc<Env>, depth: usize) -> Result<Val, EvalError> {
    if depth > MAX_DEPTH {
        return Err(EvalError::new("expression nested too deeply", e.span));
    }
    let d = depth + 1;
    match &e.kind {
        ExprKind::Var(name) => lookup(name, e.span, env),
        ExprKind::OpRef(op) => lookup_op(op, e.span),
        ExprKind::Num {
            value,
            text,
            integer,
        } => Ok(Val::Num(number_literal(*value, text, *integer))),
        ExprKind::Str {
            value,
            contents_start,
        } => Ok(Val::Str {
            text: value.clone(),
            base: *contents_start,
        }),
        ExprKind::App(f, x) => {
            let fv = eval_depth(f, env, d)?;
            let xv = eval_depth(x, env, d)?;
            apply(fv, (xv, x.span), e.span)
        }
        ExprKind::BinOp {
            op,
            op_span,
            backtick,
            lhs,
            rhs,
        } => {
            if !backtick && &**op == "$" {
                let fv = eval_depth(lhs, env, d)?;
                let xv = eval_depth(rhs, env, d)?;
                return apply(fv, (xv, rhs.span), e.span);
            }
            if !backtick && &**op == "." {
                let f = eval_depth(lhs, env, d)?;
                let g = eval_depth(rhs, env, d)?;
                return Ok(compose(f, lhs.span, g, rhs.span));
            }
            let opv = if *backtick {
                lookup(op, *op_span, env)?
            } else {
                lookup_op(op, *op_span)?
            };
            let l = eval_depth(lhs, env, d)?;
            let r = eval_depth(rhs, env, d)?;
            let partial = apply(opv, (l, lhs.span), e.span)?;
            apply(partial, (r, rhs.span), e.span)
        }
        ExprKind::Neg(x) => {
            let v = eval_depth(x, env, d)?;
            negate(v, x.span)
        }
        ExprKind::SectionL {
            op,
            op_span,
            backtick,
            lhs,
        } => {
            let opv = if *backtick {
                lookup(op, *op_span, env)?
            } else {
                lookup_op(op, *op_span)?
            };
            let l = eval_depth(lhs, env, d)?;
            apply(opv, (l, lhs.span), e.span)
        }
        ExprKind::SectionR {
            op,
            op_span,
            backtick,
            rhs,
        } => {
            let opv = if *backtick {
                lookup(op, *op_span, env)?
            } else {
                lookup_op(op, *op_span)?
            };
            let r = eval_depth(rhs, env, d)?;
            let rspan = rhs.span;
            let name: Arc<str> = format!("({op} ...)").into();
            Ok(Val::Func(Func {
                name,
                remaining: 1,
                args: Vec::new(),
                run: Arc::new(move |args, span| {
                    let (x, xs) = args.into_iter().next().ok_or_else(|| {
                        EvalError::new("operator section applied to nothing", span)
                    })?;
                    let p = apply(opv.clone(), (x, xs), span)?;
                    apply(p, (r.clone(), rspan), span)
                }),
            }))
        }
        ExprKind::List(items) => {
            let mut v = Vec::with_capacity(items.len());
            for it in items {
                v.push((eval_depth(it, env, d)?, it.span));
            }
            Ok(Val::List(Arc::new(v)))
        }
        ExprKind::Tuple(items) => {
            let mut v = Vec::with_capacity(items.len());
            for it in items {
                v.push((eval_depth(it, env, d)?, it.span));
            }
            Ok(Val::Tuple(Arc::new(v)))
        }
        ExprKind::Range(a, b) => {
            let av = eval_depth(a, env, d)?;
            let bv = eval_depth(b, env, d)?;
            let (Val::Num(x), Val::Num(y)) = (&av, &bv) else {
                return Err(EvalError::new(
                    "a list range `[a .. b]` needs two constant numbers",
                    e.span,
                ));
            };
            let (lo, hi) = (x.float, y.float);
            if !(lo.is_finite() && hi.is_finite()) || hi - lo > 10_000.0 {
                return Err(EvalError::new(
                    "list range too long (max 10000 elements)",
                    e.span,
                ));
            }
            let mut v = Vec::new();
            let mut i = lo;
            while i <= hi + 1e-9 {
                let n = if x.integer && y.integer {
                    Number::int(i as i64)
                } else {
                    Number::float(i)
                };
                v.push((Val::Num(n), e.span));
                i += 1.0;
            }
            Ok(Val::List(Arc::new(v)))
        }
        ExprKind::Let(bindings, body) => {
            let env2 = bind_all(bindings, env)?;
            eval_depth(body, &env2, d)
        }
        ExprKind::Lambda(params, body) => Ok(lambda(params.clone(), (**body).clone(), env.clone())),
        ExprKind::If(..) => Err(EvalError::new(
            "`if then else` is not supported in patterns; use `while`, `sometimesBy` or `every`",
            e.span,
        )),
    }
}

/// Evaluates `let` bindings in order, each seeing the ones before it.
pub fn bind_all(bindings: &[crate::ast::Binding], env: &Arc<Env>) -> Result<Arc<Env>, EvalError> {
    let mut env = env.clone();
    for b in bindings {
        let v = if b.params.is_empty() {
            eval(&b.body, &env)?
        } else {
            lambda(b.params.clone(), b.body.clone(), env.clone())
        };
        let mut m = HashMap::new();
        m.insert(b.name.clone(), v);
        env = Env::child(&env, m);
    }
    Ok(env)
}

fn lambda(params: Vec<(Arc<str>, Span)>, body: Expr, env: Arc<Env>) -> Val {
    let n = params.len();
    Val::Func(Func {
        name: "\\lambda".into(),
        remaining: n,
        args: Vec::new(),
        run: Arc::new(move |args, _span| {
            let mut m = HashMap::new();
            for ((name, _), (v, _)) in params.iter().zip(args) {
                m.insert(name.clone(), v);
            }
            eval(&body, &Env::child(&env, m))
        }),
    })
}

/// The exact value of a numeric literal (decimal literals are exact rationals, as in
/// Haskell).
pub fn number_literal(value: f64, text: &str, integer: bool) -> Number {
    if integer {
        if let Ok(i) = text.parse::<i64>() {
            return Number::int(i);
        }
        return Number::float(value);
    }
    Number {
        exact: decimal_exact(text),
        float: value,
        integer: false,
    }
}

/// Reads `12.5`, `1e3`, `2.5e-2` as an exact rational, if it fits.
fn decimal_exact(text: &str) -> Option<Time> {
    let (mant, exp) = match text.find(['e', 'E']) {
        Some(i) => (&text[..i], text[i + 1..].parse::<i32>().ok()?),
        None => (text, 0),
    };
    let (ip, fp) = mant.split_once('.').unwrap_or((mant, ""));
    let digits = format!("{ip}{fp}");
    let n: i64 = digits.parse().ok()?;
    let scale = exp - fp.len() as i32;
    if scale.abs() > 18 {
        return None;
    }
    let p = 10i64.checked_pow(scale.unsigned_abs())?;
    Some(if scale >= 0 {
        Time::int(n.checked_mul(p)?)
    } else {
        Time::new(n, p)
    })
}

/// Looks a name up: local variables first, then built-ins.
pub fn lookup(name: &str, span: Span, env: &Arc<Env>) -> Result<Val, EvalError> {
    if let Some(v) = env.get(name) {
        return Ok(v.clone());
    }
    if let Some(b) = registry::lookup(name) {
        return builtin_value(b, span);
    }
    let mut names: Vec<Arc<str>> = env.names();
    names.extend(registry::names().map(Arc::from));
    let mut err = EvalError::new(format!("unknown function or variable `{name}`"), span);
    err.suggestion =
        crate::diagnostic::nearest_name(name, names.iter().map(|s| &**s)).map(|s| s.to_string());
    Err(err)
}

fn lookup_op(op: &str, span: Span) -> Result<Val, EvalError> {
    match op {
        "$" => Ok(Val::Func(Func {
            name: "($)".into(),
            remaining: 2,
            args: Vec::new(),
            run: Arc::new(|mut args, span| {
                let x = args
                    .pop()
                    .ok_or_else(|| EvalError::new("($) needs 2 arguments", span))?;
                let f = args
                    .pop()
                    .ok_or_else(|| EvalError::new("($) needs 2 arguments", span))?;
                apply(f.0, x, span)
            }),
        })),
        "." => Ok(Val::Func(Func {
            name: "(.)".into(),
            remaining: 2,
            args: Vec::new(),
            run: Arc::new(|mut args, span| {
                let g = args
                    .pop()
                    .ok_or_else(|| EvalError::new("(.) needs 2 arguments", span))?;
                let f = args
                    .pop()
                    .ok_or_else(|| EvalError::new("(.) needs 2 arguments", span))?;
                Ok(compose(f.0, f.1, g.0, g.1))
            }),
        })),
        _ => match registry::lookup(op) {
            Some(b) => builtin_value(b, span),
            None => Err(EvalError::new(format!("unknown operator `{op}`"), span)),
        },
    }
}

/// The value of a built-in: a function awaiting its arguments, or (arity 0) its result.
pub fn builtin_value(b: &'static Builtin, span: Span) -> Result<Val, EvalError> {
    let arity = b.signature().params.len();
    if arity == 0 {
        return call_builtin(b, Vec::new(), span);
    }
    Ok(Val::Func(Func {
        name: b.name.into(),
        remaining: arity,
        args: Vec::new(),
        run: Arc::new(move |args, span| call_builtin(b, args, span)),
    }))
}

/// Runs a built-in with all its arguments, deferring when its pattern type is unknown.
pub fn call_builtin(
    b: &'static Builtin,
    args: Vec<(Val, Span)>,
    span: Span,
) -> Result<Val, EvalError> {
    let sig = b.signature();
    let a = call::resolve_var(sig, &args);
    if a.is_none() && sig.result == sig::SigTy::Pat(None) {
        let args = Arc::new(args);
        return Ok(Val::Pat(PatVal::Poly(Arc::new(move |ty| {
            let c = Call::new(b, (*args).clone(), Some(ty), span);
            let v = b.run(&c)?;
            coerce::to_pat(&v, ty, span)
        }))));
    }
    let c = Call::new(b, args, a, span);
    b.run(&c)
}

/// Applies a function value to one argument.
pub fn apply(f: Val, arg: (Val, Span), span: Span) -> Result<Val, EvalError> {
    match f {
        Val::Func(mut func) => {
            func.args.push(arg);
            if func.remaining <= 1 {
                (func.run)(func.args, span)
            } else {
                func.remaining -= 1;
                Ok(Val::Func(func))
            }
        }
        other => Err(EvalError::new(
            format!(
                "too many arguments: {} is not a function, so it cannot be applied to another argument",
                other.describe()
            ),
            arg.1,
        )
        .note("check the number of arguments, or add `$` / parentheses")),
    }
}

/// `f . g`.
pub fn compose(f: Val, fspan: Span, g: Val, gspan: Span) -> Val {
    Val::Func(Func {
        name: "(.)".into(),
        remaining: 1,
        args: Vec::new(),
        run: Arc::new(move |mut args, span| {
            let x = args
                .pop()
                .ok_or_else(|| EvalError::new("composition applied to nothing", span))?;
            let gx = apply(g.clone(), x, gspan)?;
            apply(f.clone(), (gx, gspan), fspan)
        }),
    })
}

/// Haskell's `negate` on numbers and numeric patterns.
pub fn negate(v: Val, span: Span) -> Result<Val, EvalError> {
    match v {
        Val::Num(n) => Ok(Val::Num(Number {
            exact: n.exact.map(|t| -t),
            float: -n.float,
            integer: n.integer,
        })),
        other => {
            let zero = Val::Num(Number::int(0));
            arith(NumOp::Sub, (zero, span), (other, span), span)
        }
    }
}

/// `a op b` for Haskell's numeric operators on numbers and patterns (structure from both).
pub fn arith(op: NumOp, a: (Val, Span), b: (Val, Span), span: Span) -> Result<Val, EvalError> {
    if crate::synthesis::is_signal(&a.0) || crate::synthesis::is_signal(&b.0) {
        return crate::synthesis::arith(op, a, b, span);
    }
    if let (Val::Num(x), Val::Num(y)) = (&a.0, &b.0) {
        return Ok(Val::Num(num_arith(op, x, y, span)?));
    }
    let ty = a.0.known_type().or(b.0.known_type());
    let build = move |ty: Ty| -> Result<Pattern<Value>, EvalError> {
        let pa = coerce::to_pat(&a.0, ty, a.1)?;
        let pb = coerce::to_pat(&b.0, ty, b.1)?;
        Ok(pa.app_both(&pb, move |x, y| op.apply(x, y)))
    };
    match ty {
        Some(t) => Ok(Val::Pat(PatVal::Typed(t, build(t)?))),
        None => Ok(Val::Pat(PatVal::Poly(Arc::new(build)))),
    }
}

fn num_arith(op: NumOp, x: &Number, y: &Number, span: Span) -> Result<Number, EvalError> {
    let float = match op {
        NumOp::Add => x.float + y.float,
        NumOp::Sub => x.float - y.float,
        NumOp::Mul => x.float * y.float,
        NumOp::Div => x.float / y.float,
        NumOp::Mod => x.float - y.float * (x.float / y.float).floor(),
        NumOp::Pow => x.float.powf(y.float),
    };
    if op == NumOp::Div && y.float == 0.0 {
        return Err(EvalError::new("division by zero", span));
    }
    let exact = match (x.exact, y.exact, op) {
        (Some(a), Some(b), NumOp::Add) => Some(a + b),
        (Some(a), Some(b), NumOp::Sub) => Some(a - b),
        (Some(a), Some(b), NumOp::Mul) => Some(a * b),
        (Some(a), Some(b), NumOp::Div) => Some(a / b),
        _ => None,
    };
    Ok(Number {
        exact,
        float,
        integer: x.integer && y.integer && op != NumOp::Div && op != NumOp::Pow,
    })
}
