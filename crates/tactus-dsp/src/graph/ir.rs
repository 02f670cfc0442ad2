//! The patch IR: modules with stable ids, a type, parameters and the patch outputs, with a
//! JSON form.
//!
//! ```json
//! {
//!   "modules": [
//!     {"id": "osc", "type": "saw", "params": {"freq": {"pattern": "\"55 110\""}}},
//!     {"id": "vcf", "type": "ladder",
//!      "params": {"in": {"cable": "osc.out"}, "cutoff": 800, "resonance": 0.5}}
//!   ],
//!   "outputs": [{"cable": "vcf.out"}]
//! }
//! ```
//!
//! A parameter is a constant number, a cable from another module's output port
//! (`{"cable": "id.port"}`), a pattern source (`{"pattern": "tidal expression"}`, evaluated by
//! the language and fed at audio rate by the host), or the cycle clock
//! (`{"cycle": period}`: the cycle position modulo `period`, per sample), a named bus
//! (`{"bus": "lfo"}`: a signal computed once per block by the host), or, in an
//! instrument, a per-voice parameter (`{"control": "cutoff", "default": 800}`, filled by the
//! voice that plays the instrument: `freq`, `gate` or a named control). Anything else is
//! kept as [`Input::Invalid`] so that validation can name the module and field.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value as Json};

/// A whole patch.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Patch {
    /// The modules, in any order (the compiler sorts them).
    #[serde(default)]
    pub modules: Vec<Module>,
    /// One (mono, sent to both sides) or two (left, right) output signals.
    #[serde(default)]
    pub outputs: Vec<Input>,
}

/// One module: a unit from [`crate::units::ALL`] or a built-in arithmetic type.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Module {
    /// Stable id, unique in the patch; a live update keeps the state of a module whose id
    /// and type are unchanged.
    pub id: String,
    /// Type name: a unit name (`saw`, `ladder`, ...) or `add`, `mul`, `notefreq`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Parameters and inputs by name.
    #[serde(default)]
    pub params: BTreeMap<String, Input>,
    /// Keyframes `(time, value, easing)` for the `keyframes` type.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keys: Vec<Key>,
    /// Source span (byte offsets) of the expression that made this module, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub span: Option<(usize, usize)>,
}

impl Module {
    /// A module with no parameters.
    pub fn new(id: impl Into<String>, kind: impl Into<String>) -> Module {
        Module {
            id: id.into(),
            kind: kind.into(),
            params: BTreeMap::new(),
            keys: Vec::new(),
            span: None,
        }
    }

    /// Sets a parameter (builder style).
    pub fn with(mut self, name: &str, value: Input) -> Module {
        self.params.insert(name.to_string(), value);
        self
    }
}

/// One keyframe of a `keyframes` module.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Key {
    /// Time (in whatever the `time` input counts, usually cycles).
    pub time: f64,
    /// Value at that time.
    pub value: f32,
    /// Easing of the segment that starts here (`linear`, `exp`, `sineInOut`, ...).
    #[serde(default = "linear")]
    pub easing: String,
}

fn linear() -> String {
    "linear".into()
}

/// The value of one parameter.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(from = "Json", into = "Json")]
pub enum Input {
    /// A constant.
    Const(f64),
    /// A cable from `module.port`.
    Cable {
        /// Source module id.
        module: String,
        /// Source output port name.
        port: String,
    },
    /// A pattern source: a Tidal expression of a numeric pattern, played at audio rate.
    Pattern(String),
    /// The cycle position modulo a period (in cycles), per sample.
    Cycle(f64),
    /// A named bus (`bus "lfo" $ ...` in a file), filled by the host before each block.
    Bus(String),
    /// A per-voice parameter of an instrument (`freq`, `gate`, or a named control), with
    /// the value it takes when an event does not give it. The host fills it per block
    /// ([`crate::graph::Runtime::control_slot`]).
    Control {
        /// Parameter name.
        name: String,
        /// Value when not given.
        default: f64,
    },
    /// Something that is none of the above (reported by validation).
    Invalid(Json),
}

impl Input {
    /// A cable from `"module.port"` (a missing port means `out`).
    ///
    /// ```
    /// use tactus_dsp::graph::Input;
    /// assert_eq!(Input::cable("vcf.lp"), Input::Cable { module: "vcf".into(), port: "lp".into() });
    /// ```
    pub fn cable(s: &str) -> Input {
        match s.rsplit_once('.') {
            Some((m, p)) => Input::Cable {
                module: m.to_string(),
                port: p.to_string(),
            },
            None => Input::Cable {
                module: s.to_string(),
                port: "out".into(),
            },
        }
    }
}

impl From<Json> for Input {
    fn from(v: Json) -> Input {
        if let Some(x) = v.as_f64() {
            return Input::Const(x);
        }
        if let Some(o) = v.as_object() {
            if o.len() == 1 {
                if let Some(Json::String(s)) = o.get("cable") {
                    return Input::cable(s);
                }
                if let Some(Json::String(s)) = o.get("pattern") {
                    return Input::Pattern(s.clone());
                }
                if let Some(p) = o.get("cycle").and_then(Json::as_f64) {
                    return Input::Cycle(p);
                }
                if let Some(Json::String(s)) = o.get("bus") {
                    return Input::Bus(s.clone());
                }
            }
            if let Some(Json::String(name)) = o.get("control") {
                let default = match o.get("default") {
                    None => Some(0.0),
                    Some(d) => d.as_f64(),
                };
                let only_known = o.keys().all(|k| k == "control" || k == "default");
                if let (Some(default), true) = (default, only_known) {
                    return Input::Control {
                        name: name.clone(),
                        default,
                    };
                }
            }
        }
        Input::Invalid(v)
    }
}

impl From<Input> for Json {
    fn from(i: Input) -> Json {
        match i {
            Input::Const(x) => json!(x),
            Input::Cable { module, port } => json!({ "cable": format!("{module}.{port}") }),
            Input::Pattern(s) => json!({ "pattern": s }),
            Input::Cycle(p) => json!({ "cycle": p }),
            Input::Bus(b) => json!({ "bus": b }),
            Input::Control { name, default } => json!({ "control": name, "default": default }),
            Input::Invalid(v) => v,
        }
    }
}

impl Patch {
    /// Parses the JSON form. Structural errors (not an object, a module without an id) are
    /// reported here; everything else by [`crate::graph::validate`].
    pub fn from_json(s: &str) -> Result<Patch, serde_json::Error> {
        serde_json::from_str(s)
    }

    /// The JSON form, pretty-printed.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// The module with this id.
    pub fn module(&self, id: &str) -> Option<&Module> {
        self.modules.iter().find(|m| m.id == id)
    }

    /// The distinct bus names the patch reads, in the order the compiler numbers its bus
    /// slots (modules in patch order, parameters by name, then the outputs).
    pub fn buses(&self) -> Vec<String> {
        let mut v: Vec<String> = Vec::new();
        let inputs = self.modules.iter().flat_map(|m| m.params.values());
        for input in inputs.chain(self.outputs.iter()) {
            if let Input::Bus(b) = input {
                if !v.contains(b) {
                    v.push(b.clone());
                }
            }
        }
        v
    }

    /// Every pattern source in the order the compiler numbers them (modules in patch order,
    /// parameters by name, then the outputs): `(module id or "outputs", field, text)`.
    pub fn pattern_sources(&self) -> Vec<(String, String, String)> {
        let mut v = Vec::new();
        for m in &self.modules {
            for (name, input) in &m.params {
                if let Input::Pattern(t) = input {
                    v.push((m.id.clone(), name.clone(), t.clone()));
                }
            }
        }
        for (i, input) in self.outputs.iter().enumerate() {
            if let Input::Pattern(t) = input {
                v.push(("outputs".into(), i.to_string(), t.clone()));
            }
        }
        v
    }

    /// Every per-voice parameter in the order the compiler numbers them (first use, modules
    /// in patch order, parameters by name, then the outputs): `(name, default)`. A name used
    /// twice is one parameter (with the default of its first use).
    pub fn controls(&self) -> Vec<(String, f64)> {
        let mut v: Vec<(String, f64)> = Vec::new();
        let inputs = self
            .modules
            .iter()
            .flat_map(|m| m.params.values())
            .chain(self.outputs.iter());
        for input in inputs {
            if let Input::Control { name, default } = input {
                if !v.iter().any(|(n, _)| n == name) {
                    v.push((name.clone(), *default));
                }
            }
        }
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_round_trip() {
        let p = Patch {
            modules: vec![
                Module::new("osc", "saw").with("freq", Input::Pattern("\"55 110\"".into())),
                Module::new("vcf", "ladder")
                    .with("in", Input::cable("osc.out"))
                    .with("cutoff", Input::Const(800.0))
                    .with("x", Input::Cycle(4.0))
                    .with("drive", Input::Bus("lfo".into()))
                    .with(
                        "resonance",
                        Input::Control {
                            name: "res".into(),
                            default: 0.5,
                        },
                    ),
            ],
            outputs: vec![Input::cable("vcf.out")],
        };
        let s = p.to_json();
        assert_eq!(Patch::from_json(&s).unwrap(), p);
        assert!(s.contains("\"cable\": \"osc.out\""));
        assert!(s.contains("\"bus\": \"lfo\""));
        assert_eq!(p.buses(), vec!["lfo".to_string()]);
        assert_eq!(p.controls(), vec![("res".to_string(), 0.5)]);
        let c = Patch::from_json(
            r#"{"modules":[{"id":"a","type":"sine","params":{"freq":{"control":"freq"}}}],"outputs":[]}"#,
        )
        .unwrap();
        assert_eq!(c.controls(), vec![("freq".to_string(), 0.0)]);
    }

    #[test]
    fn odd_values_are_kept_for_validation() {
        let p = Patch::from_json(
            r#"{"modules":[{"id":"a","type":"sine","params":{"freq":"x"}}],"outputs":[]}"#,
        )
        .unwrap();
        assert_eq!(p.modules[0].params["freq"], Input::Invalid(json!("x")));
    }
}
