//! A program's instruments (`instrument "name" $ ...`) on the control side: compiling them
//! into an [`InstrumentSet`] for the synth, and the table the scheduler resolves `s` names
//! and binds event controls with.
//!
//! Each set has a generation that its events carry, so events of the old program (before a
//! swap) and of the new one (after it) each find their own instruments, and notes of the
//! old program ring out. A reload whose instruments are unchanged keeps the set it has.

use std::sync::Arc;

use tactus_dsp::voice::graph::{GraphInstrument, InstrumentSet};
use tactus_dsp::voice::params::Sound;
use tactus_lang::program::Program;
use tactus_lang::synthesis::InstrumentDef;

/// What the scheduler knows of the instruments of the program it plays: names, the sound
/// each plays and the named controls each reads.
#[derive(Clone, Debug, Default)]
pub struct InstrumentTable {
    entries: Vec<(Arc<str>, Sound, Vec<String>)>,
}

impl InstrumentTable {
    /// The sound of instrument `name`.
    pub fn sound_of(&self, name: &str) -> Option<Sound> {
        self.entries
            .iter()
            .find(|(n, ..)| &**n == name)
            .map(|(_, s, _)| *s)
    }

    /// The named controls of the instrument playing `sound` (empty for other sounds).
    pub fn controls(&self, sound: Sound) -> &[String] {
        self.entries
            .iter()
            .find(|(_, s, _)| *s == sound)
            .map_or(&[], |(.., c)| c.as_slice())
    }

    /// Number of instruments.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// The compiled instruments of the program playing, and what is needed to rebuild them.
pub struct Instruments {
    sample_rate: f32,
    polyphony: usize,
    generation: u32,
    defs: Vec<(Arc<str>, InstrumentDef)>,
    table: InstrumentTable,
}

impl Instruments {
    /// No instruments yet, for a sample rate and a number of instances per instrument.
    pub fn new(sample_rate: f32, polyphony: usize) -> Instruments {
        Instruments {
            sample_rate,
            polyphony: polyphony.max(1),
            generation: 0,
            defs: Vec::new(),
            table: InstrumentTable::default(),
        }
    }

    /// The table of the last [`Instruments::load`].
    pub fn table(&self) -> &InstrumentTable {
        &self.table
    }

    /// Compiles the program's instruments (control side: allocates). Returns the new set
    /// for the synth, or `None` when the program's instruments are those already loaded
    /// (same names, same patches), and the errors of instruments that failed to compile:
    /// those keep their previous definition if they had one, and a warning per bus an
    /// instrument reads (`busin`) that the program does not define (it reads silence).
    pub fn load(&mut self, program: &Program) -> (Option<Box<InstrumentSet>>, Vec<String>) {
        let mut errors = Vec::new();
        for (name, def) in &program.instruments {
            for b in def.patch.buses() {
                if !program.buses.contains_key(b.as_str()) {
                    errors.push(format!(
                        "instrument \"{name}\" reads bus \"{b}\", which the file does not define (it reads silence)"
                    ));
                }
            }
        }
        let unchanged = program.instruments.len() == self.defs.len()
            && program
                .instruments
                .iter()
                .zip(&self.defs)
                .all(|((n, d), (m, e))| n == m && d.same_sound(e));
        if unchanged {
            return (None, errors);
        }
        self.generation += 1;
        let mut built = Vec::new();
        let mut defs = Vec::new();
        for (name, def) in &program.instruments {
            let previous = self.defs.iter().find(|(n, _)| n == name).map(|(_, d)| d);
            match GraphInstrument::new(name, &def.patch, self.sample_rate, self.polyphony) {
                Ok(i) => {
                    built.push(i);
                    defs.push((name.clone(), def.clone()));
                }
                Err(errs) => {
                    for e in errs {
                        errors.push(format!("instrument \"{name}\": {e}"));
                    }
                    let old = previous.and_then(|d| {
                        GraphInstrument::new(name, &d.patch, self.sample_rate, self.polyphony)
                            .ok()
                            .map(|i| (i, d.clone()))
                    });
                    if let Some((i, d)) = old {
                        built.push(i);
                        defs.push((name.clone(), d));
                    }
                }
            }
        }
        let set = InstrumentSet::new(self.generation, built);
        self.table = InstrumentTable {
            entries: set
                .instruments()
                .iter()
                .zip(&defs)
                .map(|(i, (name, _))| {
                    let sound = set.sound_of(i.name()).unwrap_or_default();
                    (name.clone(), sound, i.controls().to_vec())
                })
                .collect(),
        };
        self.defs = defs;
        (Some(Box::new(set)), errors)
    }
}

/// Capacity of the queue of instrument sets to the callback (and of its return lane).
const LANE: usize = 8;

/// The instruments of a program, compiled and ready to send: what
/// [`InstrumentCompiler::prepare`] makes (on any control thread) for
/// [`InstrumentLane::submit`].
pub struct PreparedInstruments {
    set: Option<Box<InstrumentSet>>,
    table: InstrumentTable,
    errors: Vec<String>,
}

/// Compiles programs' instruments against the ones compiled before (shared by the
/// scheduler and the thread that submits programs, so the compile, which can take tens of
/// milliseconds for delay lines, need not stall the scheduler).
#[derive(Clone)]
pub struct InstrumentCompiler(Arc<std::sync::Mutex<Instruments>>);

impl InstrumentCompiler {
    /// Compiles `program`'s instruments if they changed (control side: allocates, locks).
    pub fn prepare(&self, program: &Program) -> PreparedInstruments {
        let mut i = match self.0.lock() {
            Ok(i) => i,
            Err(poisoned) => poisoned.into_inner(),
        };
        let (set, errors) = i.load(program);
        PreparedInstruments {
            set,
            table: i.table().clone(),
            errors,
        }
    }
}

/// The control side's end of the instrument queue in real-time playback: sends the sets of
/// submitted programs to the callback; drops the sets it sends back.
pub struct InstrumentLane {
    compiler: InstrumentCompiler,
    tx: rtrb::Producer<Box<InstrumentSet>>,
    returned: rtrb::Consumer<Box<InstrumentSet>>,
    backlog: std::collections::VecDeque<Box<InstrumentSet>>,
}

/// The callback's end of the instrument queue.
pub struct InstrumentInbox {
    rx: rtrb::Consumer<Box<InstrumentSet>>,
    ret: rtrb::Producer<Box<InstrumentSet>>,
}

/// Both ends of the instrument queue, with `instruments` (already loaded with the first
/// program, its set installed in the synth) on the control side.
pub fn lane(instruments: Instruments) -> (InstrumentLane, InstrumentInbox) {
    let (tx, rx) = rtrb::RingBuffer::new(LANE);
    let (ret, returned) = rtrb::RingBuffer::new(LANE);
    (
        InstrumentLane {
            compiler: InstrumentCompiler(Arc::new(std::sync::Mutex::new(instruments))),
            tx,
            returned,
            backlog: std::collections::VecDeque::new(),
        },
        InstrumentInbox { rx, ret },
    )
}

impl InstrumentLane {
    /// The compiler of this lane's instruments.
    pub fn compiler(&self) -> InstrumentCompiler {
        self.compiler.clone()
    }

    /// Queues a prepared set; returns the table the scheduler must use from the moment the
    /// program takes over, and the compile errors.
    pub fn submit(&mut self, prepared: PreparedInstruments) -> (InstrumentTable, Vec<String>) {
        self.backlog.extend(prepared.set);
        (prepared.table, prepared.errors)
    }

    /// Drops the sets the callback sent back and sends the queued ones; true when none is
    /// left waiting (events that may use them can go).
    pub fn flush(&mut self) -> bool {
        while let Ok(set) = self.returned.pop() {
            drop(set);
        }
        while let Some(set) = self.backlog.pop_front() {
            if let Err(rtrb::PushError::Full(set)) = self.tx.push(set) {
                self.backlog.push_front(set);
                return false;
            }
        }
        true
    }
}

impl InstrumentInbox {
    /// Installs the sets that arrived, sending the evicted ones back. Audio thread: never
    /// allocates or frees (a set is taken only when the return lane has room).
    pub fn take(&mut self, synth: &mut tactus_dsp::Synth) {
        while self.ret.slots() > 0 {
            let Ok(set) = self.rx.pop() else { break };
            if let Some(old) = synth.install_instruments(set) {
                if let Err(rtrb::PushError::Full(old)) = self.ret.push(old) {
                    // unreachable (a slot was free); leak rather than free on this thread
                    std::mem::forget(old);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unchanged_instruments_keep_their_set() {
        let src = "instrument \"a\" $ osc \"saw\" freq * ctl \"level\" 0.5\nd1 $ s \"a\"";
        let (p, d) = tactus_lang::program::eval_file(src);
        assert!(d.iter().all(|d| !d.is_error()), "{d:?}");
        let mut i = Instruments::new(48_000.0, 2);
        let (set, errs) = i.load(&p);
        assert!(errs.is_empty());
        let set = set.expect("a first set");
        assert_eq!(set.generation(), 1);
        let sound = i.table().sound_of("a").unwrap();
        assert_eq!(i.table().controls(sound), ["level"]);
        // the same instruments with other patterns and spans: nothing to rebuild
        let (p2, _) = tactus_lang::program::eval_file(&format!("\n\n{src} # n 3"));
        assert!(i.load(&p2).0.is_none());
        // a change rebuilds under a new generation
        let (p3, _) = tactus_lang::program::eval_file(&src.replace("0.5", "0.7"));
        assert_eq!(i.load(&p3).0.unwrap().generation(), 2);
        assert_ne!(i.table().sound_of("a"), Some(sound));
    }

    #[test]
    fn event_controls_bind_by_name_or_alias_and_are_consumed() {
        use crate::events::{voice_params, Warnings};
        use crate::sounds::Sounds;
        use tactus_dsp::voice::params::Param;
        use tactus_pattern::{Value, ValueMap};
        let src = "instrument \"bd\" $ lowpass (ctl \"cutoff\" 800) 1 (osc \"saw\" freq) * ctl \"level\" 0.5";
        let (p, _) = tactus_lang::program::eval_file(src);
        let mut i = Instruments::new(48_000.0, 1);
        let _ = i.load(&p);
        let mut sounds = Sounds::new(48_000.0, 4, 1 << 20);
        sounds.set_instruments(i.table().clone());
        let mut m = ValueMap::singleton("s", Value::Str("bd".into()));
        m.insert("lpf", Value::Float(1200.0));
        m.insert("shape", Value::Float(0.3));
        m.insert("note", Value::Note(7.0));
        let mut w = Warnings::default();
        let vp = voice_params(&m, 0.5, 1.0, &mut sounds, &mut w).unwrap();
        // "bd" is the instrument now, not the built-in drum
        assert_eq!(Some(vp.sound), i.table().sound_of("bd"));
        assert_eq!(vp.control(0), Some(1200.0), "cutoff from its alias lpf");
        assert_eq!(vp.control(1), None, "level not given: the default applies");
        assert_eq!(
            vp.get_opt(Param::Cutoff),
            None,
            "consumed by the instrument"
        );
        assert_eq!(
            vp.get_opt(Param::Shape),
            Some(0.3),
            "other effects still apply"
        );
        assert!((vp.freq() - 392.0).abs() < 0.1);
        assert!(w.drain().is_empty());
        // a custom control the instrument does not read is reported once
        m.insert("levle", Value::Float(0.2));
        for _ in 0..2 {
            voice_params(&m, 0.5, 1.0, &mut sounds, &mut w).unwrap();
        }
        let warned = w.drain();
        assert_eq!(warned.len(), 1, "{warned:?}");
        assert!(warned[0].contains("no control `levle`") && warned[0].contains("cutoff, level"));
    }

    #[test]
    fn an_instrument_that_fails_to_compile_keeps_its_previous_version() {
        let src = "instrument \"a\" $ osc \"saw\" freq\ninstrument \"b\" $ osc \"sine\" freq";
        let (p, _) = tactus_lang::program::eval_file(src);
        let mut i = Instruments::new(48_000.0, 1);
        assert!(i.load(&p).1.is_empty());
        // a program whose "a" is broken (as a JSON patch could be) and whose "b" changed
        let mut bad = p.clone();
        bad.instruments.get_mut("a").unwrap().patch.modules[0].kind = "nope".into();
        let b = bad.instruments.get_mut("b").unwrap();
        b.patch.modules[0].kind = "tri".into();
        let (set, errors) = i.load(&bad);
        let set = set.expect("b changed");
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].contains("instrument \"a\"") && errors[0].contains("nope"));
        let names: Vec<&str> = set.instruments().iter().map(|x| x.name()).collect();
        assert_eq!(names, ["a", "b"], "the old \"a\" is still there");
        assert!(i.table().sound_of("a").is_some());
    }
}
