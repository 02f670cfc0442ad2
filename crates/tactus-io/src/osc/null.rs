//! The null OSC output: keeps every packet in memory instead of sending it.

use super::{OscOut, OscPacket};

/// Records packets (up to a limit, then drops the oldest) for tests and dry runs.
#[derive(Default)]
pub struct NullOut {
    /// The packets sent so far.
    pub packets: Vec<OscPacket>,
    /// Keep at most this many (0 = keep none).
    pub limit: usize,
}

impl NullOut {
    /// A null output keeping at most `limit` packets.
    ///
    /// ```
    /// use tactus_io::osc::{null::NullOut, OscMessage, OscOut, OscPacket};
    /// let mut out = NullOut::new(10);
    /// out.send(&OscPacket::Message(OscMessage { address: "/x".into(), args: vec![] })).unwrap();
    /// assert_eq!(out.packets.len(), 1);
    /// ```
    pub fn new(limit: usize) -> NullOut {
        NullOut {
            packets: Vec::new(),
            limit,
        }
    }
}

impl OscOut for NullOut {
    fn send(&mut self, packet: &OscPacket) -> std::io::Result<()> {
        if self.limit == 0 {
            return Ok(());
        }
        if self.packets.len() >= self.limit {
            self.packets.remove(0);
        }
        self.packets.push(packet.clone());
        Ok(())
    }
}
