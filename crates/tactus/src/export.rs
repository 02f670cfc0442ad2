//! `tactus export`: a file to a Standard MIDI File, offline.
//!
//! One track per channel (named `d1`, `d2`, ... or the `p` name), tempo from the file's cps
//! (a cycle is four quarter notes), 960 ticks per quarter note. Each onset becomes a note
//! read as SuperDirt's MIDI target reads it ([`tactus_io::midi::controls`]): `note`/`n`
//! (+ `octave`) to the note number with `note 0` = 60, velocity from `velocity` or `gain`,
//! note-off at onset + `sustain` (or `legato` × the event's duration), channel from
//! `midichan` or else the track's index; `progNum`, `ccn`/`ccv` and `midibend` at the onset.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{bail, Context as _, Result};
use clap::Args;
use tactus_engine::render::DEFAULT_CPS;
use tactus_io::midi::controls;
use tactus_io::midi::smf::{self, Note, Track};
use tactus_lang::program::{eval_file, Program};
use tactus_pattern::{Span, Time, DEFAULT_EVENT_CAP};

/// Ticks per quarter note in exported files.
pub const PPQ: u16 = 960;

/// Arguments of `tactus export`.
#[derive(Args)]
pub struct ExportArgs {
    /// The .tidal file to export.
    file: PathBuf,
    /// The MIDI file to write.
    #[arg(short, long)]
    output: PathBuf,
    /// Length in cycles.
    #[arg(long, default_value_t = 8)]
    cycles: u32,
}

/// The tracks of a program over `[0, cycles)`, with the tempo in microseconds per quarter.
pub fn tracks(program: &Program, cycles: u32) -> Result<(u32, Vec<Track>)> {
    let cps = program
        .cps
        .filter(|c| c.is_finite() && *c > 0.0)
        .unwrap_or(DEFAULT_CPS);
    let tempo = (1e6 / (cps * 4.0))
        .round()
        .clamp(1.0, f64::from(0xFF_FFFFu32)) as u32;
    let ticks_per_cycle = f64::from(PPQ) * 4.0;
    let tick = |t: Time| -> u64 { (t.to_f64() * ticks_per_cycle).round().max(0.0) as u64 };
    let span = Span::new(Time::from(0), Time::from(i64::from(cycles)));
    let mut out = Vec::new();
    for (i, (id, pat)) in program.audible().enumerate() {
        let haps = pat
            .try_query(
                span,
                DEFAULT_EVENT_CAP.saturating_mul(cycles.max(1) as usize),
            )
            .map_err(|e| anyhow::anyhow!("channel {id}: {e}"))?;
        let default_chan = (i % 16) as u8;
        let mut notes = Vec::new();
        let mut events = Vec::new();
        for h in haps {
            let Some(whole) = h.whole else { continue };
            if !h.has_onset() {
                continue;
            }
            let Some(m) = h.value.as_map() else { continue };
            let delta = whole.duration().to_f64() / cps;
            let chan = controls::channel(m, default_chan);
            let start = tick(whole.begin);
            let len = (controls::duration(m, delta) * cps * ticks_per_cycle).round() as u64;
            for msg in controls::onset_messages(m, chan) {
                events.push((start, msg));
            }
            notes.push(Note {
                start,
                end: start + len,
                channel: chan,
                key: controls::note_number(m),
                velocity: controls::velocity(m),
            });
        }
        events.extend(smf::track_events(notes));
        let name = if id.bytes().all(|b| b.is_ascii_digit()) {
            format!("d{id}")
        } else {
            id.to_string()
        };
        out.push(Track { name, events });
    }
    Ok((tempo, out))
}

/// Runs `tactus export`.
pub fn run(a: ExportArgs) -> Result<ExitCode> {
    if a.cycles == 0 || a.cycles > 100_000 {
        bail!("--cycles must be between 1 and 100000");
    }
    let src = std::fs::read_to_string(&a.file)
        .with_context(|| format!("cannot read {}", a.file.display()))?;
    let name = a.file.display().to_string();
    let (program, diags) = eval_file(&src);
    let mut errors = 0;
    for d in &diags {
        eprint!("{}", d.render(&name, &src));
        errors += d.is_error() as usize;
    }
    if errors > 0 {
        eprintln!("{name}: {errors} error(s); nothing exported");
        return Ok(ExitCode::from(1));
    }
    let (tempo, tracks) = tracks(&program, a.cycles)?;
    let bytes = smf::write(PPQ, tempo, &tracks);
    std::fs::write(&a.output, &bytes)
        .with_context(|| format!("cannot write {}", a.output.display()))?;
    let notes: usize = tracks
        .iter()
        .map(|t| {
            t.events
                .iter()
                .filter(|(_, m)| matches!(m, tactus_io::midi::MidiMessage::NoteOn { .. }))
                .count()
        })
        .sum();
    println!(
        "{}: {} track(s), {notes} notes, {} cycles at {:.1} bpm",
        a.output.display(),
        tracks.len(),
        a.cycles,
        60e6 / f64::from(tempo)
    );
    Ok(ExitCode::SUCCESS)
}
