//! The `tactus` command line: wires the language, the engine and the outputs together.

mod bench;
mod bench_callback;
mod bench_graph;
mod bench_midi;
mod bench_osc;
mod check;
mod destinations;
mod export;
mod graph;
mod json;
mod midi_out;
mod outputs;
mod play;
mod query;
mod reference;
mod render;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// mimalloc instead of the system allocator: the control side (pattern queries, event
/// building, program evaluation) allocates small short-lived values at a high rate, and
/// mimalloc serves them several times faster than glibc's malloc. The audio callback never
/// allocates, so the choice does not touch the real-time path.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// tactus: a live-coding music engine that speaks TidalCycles.
#[derive(Parser)]
#[command(name = "tactus", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Print the events a pattern expression produces.
    Query(query::QueryArgs),
    /// Check a file and print its diagnostics (exit 1 if there are errors).
    Check(check::CheckArgs),
    /// Print the synthesis patches (drones) of a file; `--json` gives the patch IR.
    Graph(graph::GraphArgs),
    /// Render a file (or a .json patch) to a WAV file, offline.
    Render(render::RenderArgs),
    /// Play a file in real time; saved edits take over at the next cycle.
    Play(play::PlayArgs),
    /// List audio hosts and output devices.
    Devices,
    /// List the MIDI ports tactus can send to (ALSA sequencer or JACK).
    MidiPorts(midi_out::MidiPortsArgs),
    /// Export a file to a Standard MIDI File (one track per channel).
    Export(export::ExportArgs),
    /// Print the language reference (functions, instruments, module types) as Markdown.
    Reference,
    /// Benchmarks (query throughput, callback load, OSC send jitter).
    Bench(bench::BenchArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Query(a) => query::run(a),
        Command::Check(a) => check::run(a),
        Command::Bench(a) => bench::run(a),
        Command::Render(a) => render::run(a),
        Command::Graph(a) => graph::run(a),
        Command::Play(a) => play::run(a),
        Command::Devices => play::devices(),
        Command::Export(a) => export::run(a),
        Command::MidiPorts(a) => midi_out::ports(a),
        Command::Reference => reference::run(),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}
