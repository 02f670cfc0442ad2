//! The mini-notation syntax tree (Tidal's `TPat`), every node with its byte span.

use crate::time::Time;

/// A byte range `[start, end)` in the mini-notation string (relative to its first byte).
pub type ByteSpan = (u32, u32);

/// A parsed literal. Which variants occur depends on the [`super::AtomKind`] the string was
/// parsed as; the sub-patterns of `*`, `/` and `%` always hold rationals and those of
/// `(k,n,r)` always hold integers.
#[derive(Clone, Debug, PartialEq)]
pub enum AtomValue {
    /// A word (`bd`, `bd:3`, `superpiano`).
    Str(String),
    /// A floating point number (note names and chords already resolved).
    Float(f64),
    /// A note number, semitones relative to c5.
    Note(f64),
    /// An integer.
    Int(i64),
    /// An exact rational.
    Rational(Time),
    /// A boolean (`t`/`f`/`1`/`0`).
    Bool(bool),
}

/// One node of the syntax tree.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// What the node is.
    pub kind: NodeKind,
    /// Where it is in the string.
    pub span: ByteSpan,
}

/// The node kinds, mirroring Tidal 1.7.10's `TPat` constructors.
#[derive(Clone, Debug, PartialEq)]
pub enum NodeKind {
    /// A literal value (`TPat_Atom`).
    Atom(AtomValue),
    /// A rest, `~` (`TPat_Silence`).
    Silence,
    /// `pat*factor` (`TPat_Fast`).
    Fast {
        /// The rational factor pattern.
        factor: Box<Node>,
        /// The pattern sped up.
        pat: Box<Node>,
    },
    /// `pat/factor` (`TPat_Slow`).
    Slow {
        /// The rational factor pattern.
        factor: Box<Node>,
        /// The pattern slowed down.
        pat: Box<Node>,
    },
    /// `pat?` or `pat?0.3` (`TPat_DegradeBy`); `seed` counts the `?`s and `|`s before it.
    Degrade {
        /// The seed: this node's position among the random nodes, from 0.
        seed: u32,
        /// The probability of removing an event.
        amount: f64,
        /// The degraded pattern.
        pat: Box<Node>,
    },
    /// `[a | b | c]`: one option per cycle, at random (`TPat_CycleChoose`).
    Choose {
        /// The seed: this node's position among the random nodes, from 0.
        seed: u32,
        /// The alternatives.
        options: Vec<Node>,
    },
    /// `pat(k,n,r)` (`TPat_Euclid`).
    Euclid {
        /// Number of onsets (an integer pattern).
        pulses: Box<Node>,
        /// Number of steps (an integer pattern).
        steps: Box<Node>,
        /// Rotation in steps (an integer pattern; `0` when not written).
        rotation: Box<Node>,
        /// The pattern played on the onsets.
        pat: Box<Node>,
    },
    /// `[a, b]`, also a chord's notes (`TPat_Stack`).
    Stack(Vec<Node>),
    /// `{a b, c d e}%n` and `<a b>` (`TPat_Polyrhythm`): each layer sped up so that
    /// `steps` of its steps fill a cycle; `<...>` has `steps` = 1.
    Polymeter {
        /// Steps per cycle (a rational pattern); `None` means the first layer's length.
        steps: Option<Box<Node>>,
        /// The layers, each a sequence.
        layers: Vec<Node>,
    },
    /// A sequence of steps squeezed into one cycle (`TPat_Seq`); `.` feet are already
    /// resolved into nested sequences.
    Seq(Vec<Node>),
    /// `pat@w`, `pat _ _` (`TPat_Elongate`): a step `weight` steps long.
    Elongate {
        /// The step's relative length (positive).
        weight: Time,
        /// The elongated step.
        pat: Box<Node>,
    },
    /// `pat!n`, `pat !` (`TPat_Repeat`): the step repeated `count` times.
    Repeat {
        /// How many steps it becomes (0 removes it).
        count: u32,
        /// The repeated step.
        pat: Box<Node>,
    },
    /// `a .. b` (`TPat_EnumFromTo`).
    Range {
        /// First value.
        from: Box<Node>,
        /// Last value.
        to: Box<Node>,
    },
    /// `^name`, a control-bus reference (`TPat_Var`); silent here, as in a query without
    /// controller input.
    Var(String),
}

/// A parsed mini-notation string.
#[derive(Clone, Debug, PartialEq)]
pub struct MiniAst {
    /// The top-level sequence.
    pub root: Node,
    /// The atom kind the string was parsed as.
    pub kind: super::AtomKind,
}

impl Node {
    /// Visits this node and all its descendants, parents first.
    pub fn walk<'a>(&'a self, f: &mut impl FnMut(&'a Node)) {
        f(self);
        match &self.kind {
            NodeKind::Atom(_) | NodeKind::Silence | NodeKind::Var(_) => {}
            NodeKind::Fast { factor, pat } | NodeKind::Slow { factor, pat } => {
                factor.walk(f);
                pat.walk(f);
            }
            NodeKind::Degrade { pat, .. }
            | NodeKind::Elongate { pat, .. }
            | NodeKind::Repeat { pat, .. } => pat.walk(f),
            NodeKind::Choose { options: xs, .. } | NodeKind::Stack(xs) | NodeKind::Seq(xs) => {
                xs.iter().for_each(|x| x.walk(f))
            }
            NodeKind::Euclid {
                pulses,
                steps,
                rotation,
                pat,
            } => {
                pat.walk(f);
                pulses.walk(f);
                steps.walk(f);
                rotation.walk(f);
            }
            NodeKind::Polymeter { steps, layers } => {
                layers.iter().for_each(|x| x.walk(f));
                if let Some(s) = steps {
                    s.walk(f);
                }
            }
            NodeKind::Range { from, to } => {
                from.walk(f);
                to.walk(f);
            }
        }
    }
}
