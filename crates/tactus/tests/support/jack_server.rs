//! A real JACK server for the end-to-end tests: `jackd -d dummy` under a unique name,
//! stopped when dropped. Include with `#[path = "support/jack_server.rs"] mod jack_server;`.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// True when `cmd` is on the PATH.
pub fn installed(cmd: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {cmd}")])
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Sends SIGTERM to a child process.
#[allow(dead_code)] // not every test binary signals its children itself
pub fn sigterm(child: &Child) {
    // SAFETY: sending a signal to our own child process.
    unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGTERM) };
}

/// A child process stopped when dropped: SIGTERM first (so jackd removes itself from JACK's
/// server registry; a killed server stays registered, and JACK refuses new servers once the
/// registry is full), then SIGKILL after 5 s.
pub struct Stopped(pub Child);

impl Drop for Stopped {
    fn drop(&mut self) {
        sigterm(&self.0);
        for _ in 0..50 {
            if matches!(self.0.try_wait(), Ok(Some(_))) {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `jackd -n server -R -d dummy -r 48000 -p period`, logging to `dir/jackd.log`, and
/// waits until it accepts clients (`jack_wait`, or 2 s without it).
pub fn start_jackd(server: &str, period: u32, dir: &Path) -> Stopped {
    let log = std::fs::File::create(dir.join("jackd.log")).unwrap();
    let period = period.to_string();
    let jackd = Stopped(
        Command::new("jackd")
            .args([
                "-n", server, "-R", "-d", "dummy", "-r", "48000", "-p", &period,
            ])
            .env("JACK_NO_AUDIO_RESERVATION", "1")
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .unwrap(),
    );
    if installed("jack_wait") {
        let _ = Command::new("jack_wait")
            .args(["-s", server, "-w", "-t", "10"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    } else {
        std::thread::sleep(Duration::from_secs(2));
    }
    jackd
}

/// How often the dummy driver's own thread woke up late in the server started in `dir`
/// (`JackTimedDriver::Process XRun` in its log). That thread runs at a higher real-time
/// priority than every client, so a late wake-up is the machine's doing (a host that paused
/// this virtual machine), not a client's.
#[allow(dead_code)] // not every test binary reads the log
pub fn driver_late_wakeups(dir: &Path) -> usize {
    std::fs::read_to_string(dir.join("jackd.log"))
        .map(|log| {
            log.lines()
                .filter(|l| l.contains("JackTimedDriver::Process XRun"))
                .count()
        })
        .unwrap_or(0)
}
