//! Routing channels and events to destinations, Tidal-style.
//!
//! Every channel goes to the destinations its route names (`d1 = ["dirt"]` in the
//! destinations file), or to the default route (the built-in synth unless configured). An
//! event can override its channel's route with the `dest` control: `# dest "dirt"` sends it
//! to `dirt` only; several destinations stack, as everything does in Tidal:
//! `# dest "[dirt,synth]"` plays the event on both.

use std::collections::BTreeMap;
use std::sync::Arc;

use tactus_lang::program::Program;
use tactus_pattern::Value;

/// The control that routes an event.
pub const DEST_CONTROL: &str = "dest";

/// The name of the built-in synth as a destination.
pub const SYNTH: &str = "synth";

/// Which destinations each channel plays on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Routes {
    /// Destinations of channels without a route of their own.
    pub default: Vec<String>,
    /// Channel id (`"1"` for `d1`, or a `p "name"`) to destinations.
    pub channels: BTreeMap<String, Vec<String>>,
}

impl Default for Routes {
    fn default() -> Routes {
        Routes {
            default: vec![SYNTH.to_string()],
            channels: BTreeMap::new(),
        }
    }
}

impl Routes {
    /// Normalises a channel name as written in a destinations file: `d1` and `1` both mean
    /// the channel of `d1`; other names are `p "name"` channels.
    ///
    /// ```
    /// use tactus_engine::outputs::Routes;
    /// assert_eq!(Routes::channel_id("d3"), "3");
    /// assert_eq!(Routes::channel_id("drums"), "drums");
    /// ```
    pub fn channel_id(name: &str) -> String {
        match name.strip_prefix('d') {
            Some(rest) if !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit()) => {
                rest.to_string()
            }
            _ => name.to_string(),
        }
    }

    /// The destinations of a channel.
    pub fn of(&self, channel: &str) -> &[String] {
        self.channels.get(channel).unwrap_or(&self.default)
    }

    /// Every destination named anywhere in the routes.
    pub fn named(&self) -> Vec<&str> {
        let mut v: Vec<&str> = self
            .default
            .iter()
            .chain(self.channels.values().flatten())
            .map(String::as_str)
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    /// The part of `program` that plays on `dest`: each channel's pattern keeps the events
    /// whose `dest` control names `dest`, and, when the channel is routed to `dest`, the
    /// events without a `dest`.
    ///
    /// ```
    /// use tactus_engine::outputs::Routes;
    /// use tactus_pattern::{Span, Time};
    /// let (p, _) = tactus_lang::program::eval_file("d1 $ s \"bd sn\" # pS \"dest\" \"<dirt synth>\"");
    /// let dirt = Routes::default().program_for(&p, "dirt");
    /// let haps = dirt.channels["1"].query_span(Span::new(Time::int(0), Time::int(2)));
    /// assert_eq!(haps.len(), 2); // cycle 0 only
    /// ```
    pub fn program_for(&self, program: &Program, dest: &str) -> Program {
        let mut out = program.clone();
        out.channels = program
            .channels
            .iter()
            .map(|(id, pat)| {
                let routed = self.of(id).iter().any(|d| d == dest);
                let want: Arc<str> = Arc::from(dest);
                let pat = pat.filter_values(move |v| {
                    match v.as_map().and_then(|m| m.get(DEST_CONTROL)) {
                        Some(Value::Str(d)) => **d == *want,
                        Some(_) => false,
                        None => routed,
                    }
                });
                (Arc::clone(id), pat)
            })
            .collect();
        out.once = Vec::new();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tactus_pattern::{Span, Time};

    fn count(p: &Program, ch: &str) -> usize {
        p.channels[ch]
            .query_span(Span::new(Time::int(0), Time::int(1)))
            .len()
    }

    #[test]
    fn channels_and_events_route() {
        let (p, d) = tactus_lang::program::eval_file(
            "d1 $ s \"bd*4\"\nd2 $ s \"hh*2\"\nd3 $ s \"cp\" # dest \"[dirt,synth]\"",
        );
        assert!(d.is_empty(), "{d:?}");
        let mut r = Routes::default();
        r.channels
            .insert("2".into(), vec!["dirt".into(), "synth".into()]);
        r.channels.insert("1".into(), vec!["dirt".into()]);
        let synth = r.program_for(&p, SYNTH);
        let dirt = r.program_for(&p, "dirt");
        assert_eq!(
            (count(&synth, "1"), count(&synth, "2"), count(&synth, "3")),
            (0, 2, 1)
        );
        assert_eq!(
            (count(&dirt, "1"), count(&dirt, "2"), count(&dirt, "3")),
            (4, 2, 1)
        );
        assert_eq!(r.named(), ["dirt", "synth"]);
    }
}
