//! SuperDirt's `/dirt/play`, as Tidal 1.7 sends it: one bundle per event, time-tagged
//! `onset + nudge + latency`, with name/value pairs in name order: `_id_` (the channel, a
//! string), `cps`, `cycle`, `delta` (seconds), then every control of the event. Values keep
//! Tidal's OSC types: strings `s`, doubles and notes and rationals `f` (float32), integers
//! `i`, booleans `i` (0 or 1). Like Tidal's SuperDirt shape, an event without `s` is not sent.

use std::collections::BTreeMap;

use tactus_pattern::{Value, ValueMap};

use super::{OscArg, OscMessage, OscPacket, TimeTag};

/// Tidal's default latency for SuperDirt, in seconds.
pub const DEFAULT_LATENCY: f64 = 0.2;

/// SuperDirt's default OSC port.
pub const DEFAULT_PORT: u16 = 57120;

/// The OSC argument Tidal sends for a control value (`None` for maps, which it cannot send).
///
/// ```
/// use tactus_io::osc::{dirt::to_arg, OscArg};
/// use tactus_pattern::Value;
/// assert_eq!(to_arg(&Value::Int(2)), Some(OscArg::Int(2)));
/// assert_eq!(to_arg(&Value::Note(7.0)), Some(OscArg::Float(7.0)));
/// ```
pub fn to_arg(v: &Value) -> Option<OscArg> {
    Some(match v {
        Value::Str(s) => OscArg::Str(s.to_string()),
        Value::Float(x) | Value::Note(x) => OscArg::Float(*x as f32),
        Value::Int(i) => OscArg::Int((*i).clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32),
        Value::Rational(t) => OscArg::Float(t.to_f64() as f32),
        Value::Bool(b) => OscArg::Int(i32::from(*b)),
        Value::Map(_) => return None,
    })
}

/// One event for SuperDirt.
#[derive(Clone, Copy, Debug)]
pub struct DirtEvent<'a> {
    /// The channel (`"1"` for `d1`).
    pub id: &'a str,
    /// Cycles per second.
    pub cps: f64,
    /// The onset, in cycles.
    pub cycle: f64,
    /// The event's whole duration in seconds.
    pub delta: f64,
    /// The event's controls.
    pub controls: &'a ValueMap,
}

/// The `/dirt/play` message for an event (`None` without `s`, as Tidal's shape requires).
///
/// ```
/// use tactus_io::osc::{dirt::{play_message, DirtEvent}, OscArg};
/// use tactus_pattern::{Value, ValueMap};
/// let mut m = ValueMap::new();
/// m.insert("s", Value::Str("bd".into()));
/// let msg = play_message("/dirt/play", &DirtEvent { id: "1", cps: 1.0, cycle: 0.5, delta: 0.25, controls: &m }).unwrap();
/// let names: Vec<_> = msg.args.iter().step_by(2).map(|a| match a { OscArg::Str(s) => s.clone(), _ => unreachable!() }).collect();
/// assert_eq!(names, ["_id_", "cps", "cycle", "delta", "s"]);
/// ```
pub fn play_message(address: &str, ev: &DirtEvent) -> Option<OscMessage> {
    ev.controls.get("s")?;
    let mut named: BTreeMap<&str, OscArg> = BTreeMap::new();
    named.insert("cps", OscArg::Float(ev.cps as f32));
    named.insert("cycle", OscArg::Float(ev.cycle as f32));
    named.insert("delta", OscArg::Float(ev.delta as f32));
    for (k, v) in ev.controls.iter() {
        if let Some(a) = to_arg(v) {
            named.insert(k, a);
        }
    }
    named.insert("_id_", OscArg::Str(ev.id.to_string()));
    let mut args = Vec::with_capacity(named.len() * 2);
    for (k, v) in named {
        args.push(OscArg::Str(k.to_string()));
        args.push(v);
    }
    Some(OscMessage {
        address: address.to_string(),
        args,
    })
}

/// The packet for an event whose onset (before nudge and latency) is at `onset`: a bundle
/// time-tagged `onset + nudge + latency`, or the bare message when `bundle` is false.
pub fn play_packet(
    address: &str,
    ev: &DirtEvent,
    onset: TimeTag,
    latency: f64,
    bundle: bool,
) -> Option<OscPacket> {
    let msg = play_message(address, ev)?;
    if !bundle {
        return Some(OscPacket::Message(msg));
    }
    let nudge = ev
        .controls
        .get("nudge")
        .and_then(Value::as_f64)
        .filter(|x| x.is_finite())
        .unwrap_or(0.0);
    let tag = onset.add_seconds(nudge + latency);
    Some(OscPacket::Bundle(tag, vec![OscPacket::Message(msg)]))
}

/// The handshake Tidal sends when it starts; SuperDirt answers `/dirt/hello`.
pub fn handshake() -> OscPacket {
    OscPacket::Message(OscMessage {
        address: "/dirt/handshake".into(),
        args: Vec::new(),
    })
}
