//! A UDP OSC target. The socket is unconnected, so an absent receiver (ICMP port
//! unreachable) never turns into errors on later sends; replies (e.g. SuperDirt's
//! `/dirt/hello`) are read without blocking and malformed ones are ignored.

use std::net::{SocketAddr, ToSocketAddrs, UdpSocket};

use super::{OscOut, OscPacket};

/// A UDP destination for OSC packets.
pub struct UdpOut {
    socket: UdpSocket,
    target: SocketAddr,
    buf: Vec<u8>,
    /// Sends that failed (counted, not fatal).
    pub errors: u64,
}

impl UdpOut {
    /// Resolves `host:port` and binds a socket on the matching local address (loopback
    /// for a loopback target).
    ///
    /// ```
    /// let out = tactus_io::osc::udp::UdpOut::new("127.0.0.1", 57120).unwrap();
    /// assert_eq!(out.target().port(), 57120);
    /// ```
    pub fn new(host: &str, port: u16) -> std::io::Result<UdpOut> {
        let target = (host, port).to_socket_addrs()?.next().ok_or_else(|| {
            std::io::Error::new(
                std::io::ErrorKind::NotFound,
                format!("no address for `{host}`"),
            )
        })?;
        let local: SocketAddr = match (target.is_ipv4(), target.ip().is_loopback()) {
            (true, true) => "127.0.0.1:0".parse().expect("an address"),
            (true, false) => "0.0.0.0:0".parse().expect("an address"),
            (false, true) => "[::1]:0".parse().expect("an address"),
            (false, false) => "[::]:0".parse().expect("an address"),
        };
        let socket = UdpSocket::bind(local)?;
        socket.set_nonblocking(true)?;
        Ok(UdpOut {
            socket,
            target,
            buf: Vec::with_capacity(1024),
            errors: 0,
        })
    }

    /// Where packets go.
    pub fn target(&self) -> SocketAddr {
        self.target
    }

    /// The replies waiting on the socket, decoded; malformed ones are skipped.
    pub fn replies(&mut self) -> Vec<OscPacket> {
        let mut out = Vec::new();
        let mut b = [0u8; 4096];
        while let Ok((n, _)) = self.socket.recv_from(&mut b) {
            if let Ok(p) = OscPacket::decode(&b[..n]) {
                out.push(p);
            }
        }
        out
    }
}

impl OscOut for UdpOut {
    fn send(&mut self, packet: &OscPacket) -> std::io::Result<()> {
        self.buf.clear();
        packet.encode_into(&mut self.buf);
        match self.socket.send_to(&self.buf, self.target) {
            Ok(_) => Ok(()),
            Err(e) => {
                self.errors += 1;
                Err(e)
            }
        }
    }
}
