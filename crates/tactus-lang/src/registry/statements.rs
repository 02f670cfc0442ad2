//! Statement heads: `d1 … d16`, `p`, `setcps`, `hush`, `solo`, `mute`, `once`.

use std::sync::Arc;

use super::Builtin;
use crate::eval::call::Call;
use crate::eval::types::{Action, Ty, Val};
use crate::eval::EvalError;

fn play(c: &Call, id: &str) -> Result<Val, EvalError> {
    let p = c.pat_of(0, Ty::Control)?;
    Ok(Val::Action(Action::Play(id.into(), p)))
}

/// Reads a channel id: a number (`1`) or a string (`"drums"`).
pub(crate) fn channel_id(c: &Call, i: usize) -> Result<Arc<str>, EvalError> {
    match c.val(i)? {
        Val::Num(n) if n.integer => Ok(format!("{}", n.float as i64).into()),
        Val::Str { text, .. } => Ok(text.clone()),
        other => Err(EvalError::new(
            format!(
                "expected a channel id (a number or a string), found {}",
                other.describe()
            ),
            c.span_of(i),
        )),
    }
}

fn setcps(c: &Call) -> Result<Val, EvalError> {
    let x = c.const_f64(0)?;
    if !(x.is_finite() && x > 0.0 && x <= 1000.0) {
        return Err(EvalError::new(
            format!("cps must be a positive number up to 1000, got {x}"),
            c.span_of(0),
        ));
    }
    Ok(Val::Action(Action::SetCps(x)))
}

fn setbpm(c: &Call) -> Result<Val, EvalError> {
    let x = c.const_f64(0)?;
    if !(x.is_finite() && x > 0.0 && x <= 240_000.0) {
        return Err(EvalError::new(
            format!("bpm must be positive, got {x}"),
            c.span_of(0),
        ));
    }
    Ok(Val::Action(Action::SetCps(x / 60.0 / 4.0)))
}

macro_rules! channels {
    ($($name:literal),*) => {
        [$(Builtin::f($name, "ControlPattern -> Action",
            concat!("Plays a control pattern on channel ", $name, "."),
            "", |c| play(c, &$name[1..])),)*]
    };
}

const CHANNELS: [Builtin; 16] = channels!(
    "d1", "d2", "d3", "d4", "d5", "d6", "d7", "d8", "d9", "d10", "d11", "d12", "d13", "d14", "d15",
    "d16"
);

const OTHERS: [Builtin; 11] = [
    Builtin::f(
        "p",
        "a -> ControlPattern -> Action",
        "Plays a control pattern on a named channel.",
        "",
        |c| {
            let id = channel_id(c, 0)?;
            Ok(Val::Action(Action::Play(id, c.pat_of(1, Ty::Control)?)))
        },
    ),
    Builtin::f(
        "setcps",
        "Double -> Action",
        "Sets the tempo in cycles per second.",
        "",
        setcps,
    ),
    Builtin::f(
        "setbpm",
        "Double -> Action",
        "Sets the tempo in beats per minute (4 beats per cycle).",
        "",
        setbpm,
    ),
    Builtin::f("hush", "Action", "Silences every channel.", "", |_| {
        Ok(Val::Action(Action::Hush))
    }),
    Builtin::f(
        "solo",
        "a -> Action",
        "Plays only the soloed channels.",
        "",
        |c| Ok(Val::Action(Action::Solo(channel_id(c, 0)?))),
    ),
    Builtin::f(
        "unsolo",
        "a -> Action",
        "Removes a channel from the solo set.",
        "",
        |c| Ok(Val::Action(Action::Unsolo(channel_id(c, 0)?))),
    ),
    Builtin::f("mute", "a -> Action", "Mutes a channel.", "", |c| {
        Ok(Val::Action(Action::Mute(channel_id(c, 0)?)))
    }),
    Builtin::f("unmute", "a -> Action", "Unmutes a channel.", "", |c| {
        Ok(Val::Action(Action::Unmute(channel_id(c, 0)?)))
    }),
    Builtin::f(
        "unmuteAll",
        "Action",
        "Unmutes and unsolos every channel.",
        "",
        |_| Ok(Val::Action(Action::UnmuteAll)),
    ),
    Builtin::f(
        "unsoloAll",
        "Action",
        "Unmutes and unsolos every channel.",
        "",
        |_| Ok(Val::Action(Action::UnmuteAll)),
    ),
    Builtin::f(
        "once",
        "ControlPattern -> Action",
        "Plays one cycle of a pattern, now.",
        "",
        |c| Ok(Val::Action(Action::Once(c.pat_of(0, Ty::Control)?))),
    ),
];

/// The statement table.
pub const BUILTINS: &[Builtin] = &[
    CHANNELS[0],
    CHANNELS[1],
    CHANNELS[2],
    CHANNELS[3],
    CHANNELS[4],
    CHANNELS[5],
    CHANNELS[6],
    CHANNELS[7],
    CHANNELS[8],
    CHANNELS[9],
    CHANNELS[10],
    CHANNELS[11],
    CHANNELS[12],
    CHANNELS[13],
    CHANNELS[14],
    CHANNELS[15],
    OTHERS[0],
    OTHERS[1],
    OTHERS[2],
    OTHERS[3],
    OTHERS[4],
    OTHERS[5],
    OTHERS[6],
    OTHERS[7],
    OTHERS[8],
    OTHERS[9],
    OTHERS[10],
];
