//! The oracle cases, by library module.

mod arrangement;
mod conditional;
mod control;
mod ops;
mod signal;
mod structure;
mod time;

use crate::Case;

/// Builds a [`Case`].
macro_rules! case {
    ($id:expr, $expr:expr, $from:expr, $to:expr, $build:expr) => {
        $crate::Case {
            id: $id,
            expr: $expr,
            from: $from,
            to: $to,
            build: $build,
        }
    };
}
pub(crate) use case;

pub fn all() -> Vec<Case> {
    [
        arrangement::cases(),
        conditional::cases(),
        control::cases(),
        ops::cases(),
        signal::cases(),
        structure::cases(),
        time::cases(),
    ]
    .into_iter()
    .flatten()
    .collect()
}
