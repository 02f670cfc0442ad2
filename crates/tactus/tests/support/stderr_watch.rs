//! A child's stderr read on a thread: tells when a line containing a given text first
//! appears (e.g. `tactus play`'s "playing ..." once it watches its file), and keeps all of
//! it for the end. Include with `#[path = "support/stderr_watch.rs"] mod stderr_watch;`.

use std::io::BufRead;
use std::process::Child;
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::Duration;

/// A child's stderr being read (see the module docs).
pub struct StderrWatch {
    seen: mpsc::Receiver<()>,
    text: JoinHandle<String>,
}

impl StderrWatch {
    /// Takes the child's piped stderr and watches it for `needle`.
    pub fn start(child: &mut Child, needle: &str) -> StderrWatch {
        let stderr = child.stderr.take().expect("stderr piped");
        let (tx, seen) = mpsc::channel();
        let wanted = needle.to_string();
        let text = std::thread::spawn(move || {
            let mut all = String::new();
            for line in std::io::BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                if line.contains(&wanted) {
                    let _ = tx.send(());
                }
                all.push_str(&line);
                all.push('\n');
            }
            all
        });
        StderrWatch { seen, text }
    }

    /// Waits up to `limit` for the line; false when it did not come.
    pub fn wait(&self, limit: Duration) -> bool {
        self.seen.recv_timeout(limit).is_ok()
    }

    /// Everything the child wrote, once it has closed its stderr (exited).
    pub fn text(self) -> String {
        self.text.join().unwrap_or_default()
    }
}
