//! Module types: the unit library plus the graph's own arithmetic types (`add`, `mul`,
//! `notefreq`), each described by a static [`UnitInfo`].

use crate::unit::{PortInfo, UnitInfo};
use crate::units;

const AB: &[PortInfo] = &[
    PortInfo::new("a", "first operand"),
    PortInfo::new("b", "second operand"),
];
const OUT: &[PortInfo] = &[PortInfo::new("out", "result")];

/// `out = a + b`.
pub const ADD_INFO: UnitInfo = UnitInfo {
    name: "add",
    doc: "Sum of two signals (an unconnected operand is 0).",
    inputs: AB,
    outputs: OUT,
    params: &[],
};

/// `out = a * b`.
pub const MUL_INFO: UnitInfo = UnitInfo {
    name: "mul",
    doc: "Product of two signals (an unconnected operand is 1).",
    inputs: AB,
    outputs: OUT,
    params: &[],
};

/// `out = 261.63 * 2^(note / 12)`.
pub const NOTEFREQ_INFO: UnitInfo = UnitInfo {
    name: "notefreq",
    doc: "Tidal note number (0 = c5 = 261.63 Hz, semitones) to frequency in Hz.",
    inputs: &[PortInfo::new("in", "note number")],
    outputs: OUT,
    params: &[],
};

/// The graph's own types.
pub const BUILTIN: &[&UnitInfo] = &[&ADD_INFO, &MUL_INFO, &NOTEFREQ_INFO];

/// The description of a module type: a built-in type or a unit.
///
/// ```
/// assert_eq!(tactus_dsp::graph::module_info("add").unwrap().inputs.len(), 2);
/// assert!(tactus_dsp::graph::module_info("ladder").is_some());
/// ```
pub fn module_info(kind: &str) -> Option<&'static UnitInfo> {
    BUILTIN
        .iter()
        .copied()
        .find(|i| i.name == kind)
        .or_else(|| units::info(kind))
}

/// Every module type, built-in ones first.
pub fn all() -> impl Iterator<Item = &'static UnitInfo> {
    BUILTIN.iter().copied().chain(units::ALL.iter().copied())
}
