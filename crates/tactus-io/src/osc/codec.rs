//! OSC 1.0 packets: messages and bundles, encoded to and decoded from bytes, with NTP
//! time-tags. Only the argument types SuperDirt and Tidal use are supported: `i` (int32),
//! `f` (float32), `d` (float64), `s` (string), `b` (blob), `h` (int64), `T`/`F` (booleans).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Seconds from the NTP epoch (1900) to the Unix epoch (1970).
pub const NTP_UNIX_OFFSET: u64 = 2_208_988_800;

/// An NTP time-tag: 32.32 fixed-point seconds since 1900. `TimeTag(1)` means "immediately".
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TimeTag(pub u64);

impl TimeTag {
    /// "Immediately", as OSC defines it.
    pub const IMMEDIATELY: TimeTag = TimeTag(1);

    /// The time-tag of a system time (before 1970 clamps to 1970).
    ///
    /// ```
    /// use std::time::{Duration, UNIX_EPOCH};
    /// use tactus_io::osc::TimeTag;
    /// let t = TimeTag::from_system(UNIX_EPOCH + Duration::from_millis(1500));
    /// assert_eq!(t.seconds(), 2_208_988_801);
    /// assert_eq!(t.fraction(), 1 << 31);
    /// ```
    pub fn from_system(t: SystemTime) -> TimeTag {
        let d = t.duration_since(UNIX_EPOCH).unwrap_or(Duration::ZERO);
        let secs = d.as_secs() + NTP_UNIX_OFFSET;
        let frac = ((u128::from(d.subsec_nanos()) << 32) + 500_000_000) / 1_000_000_000;
        TimeTag((secs << 32) + frac as u64)
    }

    /// Whole seconds since 1900.
    pub fn seconds(self) -> u64 {
        self.0 >> 32
    }

    /// The fraction of a second, in units of 2^-32 s.
    pub fn fraction(self) -> u32 {
        self.0 as u32
    }

    /// This time-tag moved by `seconds` (negative moves earlier), rounded to 2^-32 s.
    ///
    /// ```
    /// use tactus_io::osc::TimeTag;
    /// assert_eq!(TimeTag(10 << 32).add_seconds(0.25), TimeTag((10 << 32) + (1 << 30)));
    /// ```
    pub fn add_seconds(self, seconds: f64) -> TimeTag {
        if !seconds.is_finite() {
            return self;
        }
        let units = (seconds * 4_294_967_296.0).round() as i64;
        TimeTag(self.0.saturating_add_signed(units))
    }

    /// Seconds since 1900 as a float (for display; loses precision below ~0.5 µs).
    pub fn as_f64(self) -> f64 {
        self.seconds() as f64 + f64::from(self.fraction()) / 4_294_967_296.0
    }
}

/// One OSC argument.
#[derive(Clone, Debug, PartialEq)]
pub enum OscArg {
    /// `i`: 32-bit integer.
    Int(i32),
    /// `f`: 32-bit float.
    Float(f32),
    /// `d`: 64-bit float.
    Double(f64),
    /// `h`: 64-bit integer.
    Long(i64),
    /// `s`: string.
    Str(String),
    /// `b`: blob.
    Blob(Vec<u8>),
    /// `T` or `F`.
    Bool(bool),
}

impl OscArg {
    /// The type tag character.
    pub fn tag(&self) -> char {
        match self {
            OscArg::Int(_) => 'i',
            OscArg::Float(_) => 'f',
            OscArg::Double(_) => 'd',
            OscArg::Long(_) => 'h',
            OscArg::Str(_) => 's',
            OscArg::Blob(_) => 'b',
            OscArg::Bool(true) => 'T',
            OscArg::Bool(false) => 'F',
        }
    }
}

/// An OSC message: an address and arguments.
#[derive(Clone, Debug, PartialEq)]
pub struct OscMessage {
    /// The address pattern, e.g. `/dirt/play`.
    pub address: String,
    /// The arguments.
    pub args: Vec<OscArg>,
}

/// A message or a bundle of packets with a time-tag.
#[derive(Clone, Debug, PartialEq)]
pub enum OscPacket {
    /// A message.
    Message(OscMessage),
    /// A bundle.
    Bundle(TimeTag, Vec<OscPacket>),
}

/// Why bytes are not a valid OSC packet.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("malformed OSC packet: {0}")]
pub struct DecodeError(pub &'static str);

fn pad4(out: &mut Vec<u8>) {
    while !out.len().is_multiple_of(4) {
        out.push(0);
    }
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    out.extend_from_slice(s.as_bytes());
    out.push(0);
    pad4(out);
}

impl OscPacket {
    /// Encodes the packet.
    ///
    /// ```
    /// use tactus_io::osc::{OscArg, OscMessage, OscPacket};
    /// let p = OscPacket::Message(OscMessage { address: "/a".into(), args: vec![OscArg::Int(1)] });
    /// assert_eq!(p.encode(), b"/a\0\0,i\0\0\0\0\0\x01".to_vec());
    /// assert_eq!(OscPacket::decode(&p.encode()).unwrap(), p);
    /// ```
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(128);
        self.encode_into(&mut out);
        out
    }

    /// Appends the encoded packet to `out`.
    pub fn encode_into(&self, out: &mut Vec<u8>) {
        match self {
            OscPacket::Message(m) => {
                put_str(out, &m.address);
                let mut tags = String::with_capacity(m.args.len() + 1);
                tags.push(',');
                tags.extend(m.args.iter().map(OscArg::tag));
                put_str(out, &tags);
                for a in &m.args {
                    match a {
                        OscArg::Int(x) => out.extend_from_slice(&x.to_be_bytes()),
                        OscArg::Float(x) => out.extend_from_slice(&x.to_be_bytes()),
                        OscArg::Double(x) => out.extend_from_slice(&x.to_be_bytes()),
                        OscArg::Long(x) => out.extend_from_slice(&x.to_be_bytes()),
                        OscArg::Str(s) => put_str(out, s),
                        OscArg::Blob(b) => {
                            out.extend_from_slice(&(b.len() as i32).to_be_bytes());
                            out.extend_from_slice(b);
                            pad4(out);
                        }
                        OscArg::Bool(_) => {}
                    }
                }
            }
            OscPacket::Bundle(t, items) => {
                out.extend_from_slice(b"#bundle\0");
                out.extend_from_slice(&t.0.to_be_bytes());
                for p in items {
                    let at = out.len();
                    out.extend_from_slice(&[0; 4]);
                    p.encode_into(out);
                    let n = (out.len() - at - 4) as i32;
                    out[at..at + 4].copy_from_slice(&n.to_be_bytes());
                }
            }
        }
    }

    /// Decodes a packet; any malformation is an error (never a panic).
    pub fn decode(b: &[u8]) -> Result<OscPacket, DecodeError> {
        if b.starts_with(b"#bundle\0") {
            let t = read_u64(b, 8)?;
            let mut i = 16;
            let mut items = Vec::new();
            while i < b.len() {
                let n = read_u32(b, i)? as usize;
                let end = (i + 4).checked_add(n).filter(|&e| e <= b.len());
                let end = end.ok_or(DecodeError("bundle element overruns the packet"))?;
                items.push(OscPacket::decode(&b[i + 4..end])?);
                i = end;
            }
            return Ok(OscPacket::Bundle(TimeTag(t), items));
        }
        let (address, mut i) = read_str(b, 0)?;
        if !address.starts_with('/') {
            return Err(DecodeError("address does not start with '/'"));
        }
        let (tags, j) = if i < b.len() {
            read_str(b, i)?
        } else {
            (",".to_string(), i)
        };
        i = j;
        let tags = tags
            .strip_prefix(',')
            .ok_or(DecodeError("type tags do not start with ','"))?;
        let mut args = Vec::with_capacity(tags.len());
        for t in tags.chars() {
            let a = match t {
                'i' => OscArg::Int(read_u32(b, i)? as i32),
                'f' => OscArg::Float(f32::from_bits(read_u32(b, i)?)),
                'd' => OscArg::Double(f64::from_bits(read_u64(b, i)?)),
                'h' => OscArg::Long(read_u64(b, i)? as i64),
                's' => {
                    let (s, j) = read_str(b, i)?;
                    i = j;
                    args.push(OscArg::Str(s));
                    continue;
                }
                'b' => {
                    let n = read_u32(b, i)? as usize;
                    let end = (i + 4).checked_add(n).filter(|&e| e <= b.len());
                    let end = end.ok_or(DecodeError("blob overruns the packet"))?;
                    let blob = b[i + 4..end].to_vec();
                    i = (end + 3) & !3;
                    args.push(OscArg::Blob(blob));
                    continue;
                }
                'T' | 'F' => {
                    args.push(OscArg::Bool(t == 'T'));
                    continue;
                }
                _ => return Err(DecodeError("unsupported type tag")),
            };
            i += if matches!(t, 'd' | 'h') { 8 } else { 4 };
            args.push(a);
        }
        Ok(OscPacket::Message(OscMessage { address, args }))
    }
}

fn read_u32(b: &[u8], i: usize) -> Result<u32, DecodeError> {
    b.get(i..i + 4)
        .map(|s| u32::from_be_bytes([s[0], s[1], s[2], s[3]]))
        .ok_or(DecodeError("truncated"))
}

fn read_u64(b: &[u8], i: usize) -> Result<u64, DecodeError> {
    let s = b.get(i..i + 8).ok_or(DecodeError("truncated"))?;
    let mut a = [0u8; 8];
    a.copy_from_slice(s);
    Ok(u64::from_be_bytes(a))
}

fn read_str(b: &[u8], i: usize) -> Result<(String, usize), DecodeError> {
    let rest = b.get(i..).ok_or(DecodeError("truncated"))?;
    let n = rest
        .iter()
        .position(|&c| c == 0)
        .ok_or(DecodeError("unterminated string"))?;
    let s = std::str::from_utf8(&rest[..n]).map_err(|_| DecodeError("string is not UTF-8"))?;
    Ok((s.to_string(), (i + n + 1 + 3) & !3))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundle_round_trip() {
        let m = OscMessage {
            address: "/dirt/play".into(),
            args: vec![
                OscArg::Str("_id_".into()),
                OscArg::Str("1".into()),
                OscArg::Float(0.5),
                OscArg::Int(-3),
                OscArg::Double(1.25),
                OscArg::Long(1 << 40),
                OscArg::Blob(vec![1, 2, 3]),
                OscArg::Bool(true),
            ],
        };
        let p = OscPacket::Bundle(TimeTag(42 << 32 | 7), vec![OscPacket::Message(m)]);
        let bytes = p.encode();
        assert_eq!(bytes.len() % 4, 0);
        assert_eq!(OscPacket::decode(&bytes).unwrap(), p);
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        for b in [
            &b""[..],
            b"#bundle\0",
            b"/a\0\0,i\0\0",
            b"/a\0\0,s\0\0abcd",
            b"xyz\0",
            b"/a\0\0,q\0\0",
        ] {
            let _ = OscPacket::decode(b);
        }
        assert!(OscPacket::decode(b"/a\0\0,i\0\0\0").is_err());
        let mut b = OscPacket::Bundle(TimeTag(1), vec![]).encode();
        b.extend_from_slice(&100u32.to_be_bytes());
        assert!(OscPacket::decode(&b).is_err());
    }

    #[test]
    fn time_tags() {
        let t = TimeTag(5 << 32);
        assert_eq!(t.add_seconds(-0.5), TimeTag((4 << 32) + (1 << 31)));
        assert_eq!(t.add_seconds(0.125).fraction(), 1 << 29);
    }
}
