//! Continuous patches (`drone "name" $ ...`): each drone is a compiled
//! [`tactus_dsp::graph::Runtime`] whose pattern sources are fed at audio rate from pattern
//! queries, synchronised to the cycle.
//!
//! Pattern sources are queried here, on the control side, per 16-frame slice: a discrete
//! event sets its value from its exact onset frame (so steps such as `"<200 800>"` land on
//! the sample), a continuous pattern (`slow 4 sine`) is sampled once per slice (every 16
//! frames, 0.33 ms at 48 kHz). Between events the last value holds.
//!
//! Reloading a program with [`Drones::load`] compiles each drone against the layout of the
//! one playing under the same name and moves the state of unchanged modules over
//! ([`tactus_dsp::graph::Runtime::adopt_state`]).

use std::collections::BTreeMap;
use std::sync::Arc;

use tactus_dsp::graph::{compile, Layout, Runtime};
use tactus_dsp::master::MasterBus;
use tactus_dsp::MAX_BLOCK;
use tactus_lang::program::Program;
use tactus_pattern::{Pattern, Span, Value};

use crate::clock::Clock;

/// Frames per pattern query slice.
const SLICE: usize = 16;
/// Most haps one slice query may produce before it is abandoned (the value then holds).
const QUERY_CAP: usize = 4096;

struct Drone {
    runtime: Runtime,
    layout: Layout,
    patterns: Vec<Pattern<Value>>,
    last: Vec<f32>,
}

/// Every drone of a program, mixed through their own master bus (NaN guard, DC block,
/// limiter).
pub struct Drones {
    drones: BTreeMap<Arc<str>, Drone>,
    sample_rate: f32,
    master: MasterBus,
    l: Vec<f32>,
    r: Vec<f32>,
}

impl Drones {
    /// No drones, at a sample rate.
    pub fn new(sample_rate: f32) -> Drones {
        Drones {
            drones: BTreeMap::new(),
            sample_rate,
            master: MasterBus::new(sample_rate),
            l: Vec::new(),
            r: Vec::new(),
        }
    }

    /// True when no drone plays.
    pub fn is_empty(&self) -> bool {
        self.drones.is_empty()
    }

    /// Compiles the program's drones, keeping the state of unchanged modules of drones that
    /// keep their name; drones the program no longer has stop. Returns the errors of drones
    /// that failed to compile (those keep playing their previous version).
    pub fn load(&mut self, program: &Program) -> Vec<String> {
        let mut errors = Vec::new();
        let mut next = BTreeMap::new();
        for (name, sp) in &program.drones {
            let mut old = self.drones.remove(name);
            match compile(&sp.patch, self.sample_rate, old.as_ref().map(|d| &d.layout)) {
                Ok(mut runtime) => {
                    if let Some(o) = old.as_mut() {
                        runtime.adopt_state(&mut o.runtime);
                    }
                    let last = vec![0.0; sp.patterns.len()];
                    let layout = runtime.layout();
                    next.insert(
                        name.clone(),
                        Drone {
                            runtime,
                            layout,
                            patterns: sp.patterns.clone(),
                            last,
                        },
                    );
                }
                Err(errs) => {
                    for e in errs {
                        errors.push(format!("drone \"{name}\": {e}"));
                    }
                    if let Some(o) = old {
                        next.insert(name.clone(), o);
                    }
                }
            }
        }
        self.drones = next;
        errors
    }

    /// Renders `left.len()` frames starting at `frame` and adds them into the slices.
    pub fn render(&mut self, clock: &Clock, frame: u64, left: &mut [f32], right: &mut [f32]) {
        let n = left.len().min(right.len());
        if self.drones.is_empty() || n == 0 {
            return;
        }
        self.l.clear();
        self.l.resize(n, 0.0);
        self.r.clear();
        self.r.resize(n, 0.0);
        let cpf = clock.cps() / clock.sample_rate();
        let mut at = 0;
        while at < n {
            let len = (n - at).min(MAX_BLOCK);
            let start = frame + at as u64;
            for d in self.drones.values_mut() {
                for (slot, pat) in d.patterns.iter().enumerate() {
                    fill_slot(
                        pat,
                        clock,
                        start,
                        len,
                        &mut d.last[slot],
                        d.runtime.pattern_slot(slot),
                    );
                }
                let (l, r) = (&mut self.l[at..at + len], &mut self.r[at..at + len]);
                d.runtime.process(start, clock.cycle_at(start), cpf, l, r);
            }
            at += len;
        }
        self.master.process(&mut self.l, &mut self.r);
        for (o, x) in left[..n].iter_mut().zip(&self.l) {
            *o = soft_sum(*o, *x);
        }
        for (o, x) in right[..n].iter_mut().zip(&self.r) {
            *o = soft_sum(*o, *x);
        }
    }
}

/// Adds two limited signals, bending only the part above 0.8 so the sum stays below 1.
fn soft_sum(a: f32, b: f32) -> f32 {
    let x = a + b;
    let m = x.abs();
    if m <= 0.8 {
        x
    } else {
        (0.8 + 0.2 * ((m - 0.8) / 0.2).tanh()).min(0.999) * x.signum()
    }
}

/// Fills `len` frames of a pattern slot from `start`, slice by slice.
fn fill_slot(
    pat: &Pattern<Value>,
    clock: &Clock,
    start: u64,
    len: usize,
    last: &mut f32,
    out: &mut [f32; MAX_BLOCK],
) {
    let mut s = 0;
    while s < len {
        let e = (s + SLICE).min(len);
        let (a, b) = (start + s as u64, start + e as u64);
        out[s..e].fill(*last);
        let span = Span::new(clock.cycle_time_at(a), clock.cycle_time_at(b));
        if let Ok(haps) = pat.try_query(span, QUERY_CAP) {
            let mut haps = haps;
            haps.sort_by_key(|h| h.part.begin);
            for h in haps {
                let Some(v) = h.value.as_f64().filter(|v| v.is_finite()) else {
                    continue;
                };
                let v = v as f32;
                let from = if h.whole.is_some() {
                    (clock.sample_at(h.part.begin) - a as i64).clamp(0, (e - s) as i64) as usize
                } else {
                    0
                };
                out[s + from..e].fill(v);
                *last = v;
            }
        }
        s = e;
    }
}
