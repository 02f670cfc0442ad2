//! [`SchedulerThread`]: runs a [`ControlSide`] on its own thread, ticking it about every
//! 10 ms with the audio's current frame, and takes programs and commands from any thread.
//! A submitted program's instruments are compiled on the submitting thread, so the
//! scheduler never stalls on them.

use std::sync::atomic::Ordering::Relaxed;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::Duration;

use tactus_lang::program::Program;

use crate::instruments::{InstrumentCompiler, PreparedInstruments};
use crate::realtime::audio::Command;
use crate::realtime::control::{Apply, ControlSide};

enum Msg {
    Submit(Box<(Program, Apply, PreparedInstruments)>),
    Command(Command),
    Stop,
}

/// A running scheduler thread. Dropping it without [`SchedulerThread::stop`] stops it too.
pub struct SchedulerThread {
    tx: Sender<Msg>,
    compiler: InstrumentCompiler,
    warnings: Receiver<String>,
    handle: Option<JoinHandle<ControlSide>>,
}

impl SchedulerThread {
    /// Starts ticking `control` every `period`.
    pub fn spawn(mut control: ControlSide, period: Duration) -> std::io::Result<SchedulerThread> {
        let (tx, rx) = mpsc::channel::<Msg>();
        let (wtx, wrx) = mpsc::channel::<String>();
        let compiler = control.instrument_compiler();
        let handle = std::thread::Builder::new()
            .name("tactus-scheduler".into())
            .spawn(move || {
                loop {
                    let now = control.metrics().frame.load(Relaxed);
                    control.tick(now);
                    for w in control.take_warnings() {
                        let _ = wtx.send(w);
                    }
                    match rx.recv_timeout(period) {
                        Ok(Msg::Submit(s)) => {
                            let (p, apply, prepared) = *s;
                            control.submit_prepared(p, apply, prepared)
                        }
                        Ok(Msg::Command(c)) => {
                            // the command queue is small and drained every callback
                            for _ in 0..100 {
                                if control.send(c) {
                                    break;
                                }
                                std::thread::sleep(Duration::from_millis(1));
                            }
                        }
                        Ok(Msg::Stop) | Err(RecvTimeoutError::Disconnected) => break,
                        Err(RecvTimeoutError::Timeout) => {}
                    }
                }
                control
            })?;
        Ok(SchedulerThread {
            tx,
            compiler,
            warnings: wrx,
            handle: Some(handle),
        })
    }

    /// Hands a new program to the scheduler, to take over as `apply` says. Its instruments
    /// are compiled here, on the calling thread.
    pub fn submit(&self, program: Program, apply: Apply) {
        let prepared = self.compiler.prepare(&program);
        let _ = self
            .tx
            .send(Msg::Submit(Box::new((program, apply, prepared))));
    }

    /// Sends a command to the audio callback through the scheduler.
    pub fn command(&self, cmd: Command) {
        let _ = self.tx.send(Msg::Command(cmd));
    }

    /// Warnings the scheduler produced since the last call.
    pub fn take_warnings(&self) -> Vec<String> {
        self.warnings.try_iter().collect()
    }

    /// Stops the thread and gives back the control side (to send a last command, read its
    /// program log, or drop it).
    pub fn stop(mut self) -> Option<ControlSide> {
        let _ = self.tx.send(Msg::Stop);
        self.handle.take().and_then(|h| h.join().ok())
    }
}

impl Drop for SchedulerThread {
    fn drop(&mut self) {
        if let Some(h) = self.handle.take() {
            let _ = self.tx.send(Msg::Stop);
            let _ = h.join();
        }
    }
}
