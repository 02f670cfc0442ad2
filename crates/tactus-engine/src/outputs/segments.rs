//! [`SegmentCache`]: the onsets of one segment (an eighth of a cycle) of a program, queried
//! once and then handed out window by window.
//!
//! The output thread ticks every 5 ms, so a window is a few thousandths of a cycle; querying
//! every channel for every window would cost a query per channel per tick. By the
//! split-query property of patterns, taking each window's onsets from its segment's query
//! gives exactly the same events, for a few queries per channel per cycle.

use std::sync::Arc;

use tactus_lang::program::Program;
use tactus_pattern::{Span, Time, Value, ValueMap, DEFAULT_EVENT_CAP};

use crate::events::Warnings;
use crate::scheduler::SEGMENT;

/// One onset: its channel, the hap's whole (begin, end) and its controls.
#[derive(Clone, Debug)]
pub struct Onset {
    /// The channel.
    pub channel: Arc<str>,
    /// The start of the whole.
    pub begin: Time,
    /// The end of the whole.
    pub end: Time,
    /// The controls.
    pub controls: ValueMap,
}

/// The onsets of the last queried segment of one program generation.
#[derive(Default)]
pub struct SegmentCache {
    key: Option<(u64, Time)>,
    onsets: Vec<Onset>,
}

impl SegmentCache {
    /// Appends to `out` the onsets of `program` (generation `generation`) in
    /// `[begin, end)`, in onset order (channels in program order at equal onsets).
    pub fn onsets(
        &mut self,
        program: &Program,
        generation: u64,
        begin: Time,
        end: Time,
        warnings: &mut Warnings,
        out: &mut Vec<Onset>,
    ) {
        if end <= begin {
            return;
        }
        let mut seg = (begin / SEGMENT).sam() * SEGMENT;
        while seg < end {
            if self.key != Some((generation, seg)) {
                self.load(program, generation, seg, warnings);
            }
            let (lo, hi) = (begin.max(seg), end.min(seg + SEGMENT));
            let first = self.onsets.partition_point(|o| o.begin < lo);
            out.extend(
                self.onsets[first..]
                    .iter()
                    .take_while(|o| o.begin < hi)
                    .cloned(),
            );
            seg = seg + SEGMENT;
        }
    }

    fn load(&mut self, program: &Program, generation: u64, seg: Time, warnings: &mut Warnings) {
        self.key = Some((generation, seg));
        self.onsets.clear();
        let span = Span::new(seg, seg + SEGMENT);
        for (id, pat) in program.audible() {
            let haps = match pat.try_query(span, DEFAULT_EVENT_CAP) {
                Ok(h) => h,
                Err(e) => {
                    warnings.once(format!(
                        "channel {id}: {e}; the events from cycle {seg} are skipped"
                    ));
                    continue;
                }
            };
            for h in haps {
                let Some(whole) = h.whole else { continue };
                if !h.has_onset() || whole.begin < seg || whole.begin >= span.end {
                    continue;
                }
                let Value::Map(controls) = h.value else {
                    continue;
                };
                self.onsets.push(Onset {
                    channel: Arc::clone(id),
                    begin: whole.begin,
                    end: whole.end,
                    controls,
                });
            }
        }
        // stable: equal onsets keep channel order
        self.onsets.sort_by_key(|o| o.begin);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_get_exactly_the_onsets_of_one_query() {
        let (p, _) = tactus_lang::program::eval_file(
            "d1 $ s \"bd*3 [sn cp]\"\nd2 $ s \"<hh [hh hh]>*5\" # n \"0 .. 4\"",
        );
        let mut cache = SegmentCache::default();
        let mut w = Warnings::default();
        let mut got = Vec::new();
        // odd-sized windows over two cycles
        let mut t = Time::from(0);
        while t < Time::from(2) {
            let next = (t + Time::new(7, 100)).min(Time::from(2));
            cache.onsets(&p, 0, t, next, &mut w, &mut got);
            t = next;
        }
        let mut want = Vec::new();
        for (id, pat) in p.audible() {
            for h in pat.query_span(Span::new(Time::from(0), Time::from(2))) {
                if h.has_onset() {
                    want.push((id.to_string(), h.whole.unwrap().begin));
                }
            }
        }
        want.sort_by_key(|w| w.1);
        let got: Vec<(String, Time)> = got
            .iter()
            .map(|o| (o.channel.to_string(), o.begin))
            .collect();
        assert_eq!(got, want);
        assert!(got.len() > 20);
    }
}
