//! SigV4 percent-encoding (`UriEncode` in the AWS documentation) for paths and queries.
//!
//! SigV4 keeps exactly the RFC 3986 unreserved characters `A-Z a-z 0-9 - . _ ~` and escapes
//! every other byte as `%XX` with upper-case hex; a path also keeps `/`. Space is `%20`, never
//! `+`: a `+` in a query means a literal plus to S3, so writing space as `+` would sign one
//! key and fetch another.

use core::cmp::Ordering;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_encode};

/// Bytes escaped in a query name or value: all but the unreserved set.
pub(crate) const QUERY: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Bytes escaped in a path: as [`QUERY`], but `/` separates segments and stays.
pub(crate) const PATH: &AsciiSet = &QUERY.remove(b'/');

/// Somewhere text goes: the URL buffer, the SHA-256 of the canonical request, or a
/// `fmt::Write` for inspection. Everything written is ASCII.
pub(crate) trait Sink {
    /// Appends `s`.
    fn put(&mut self, s: &str);
}

impl Sink for sha2::Sha256 {
    fn put(&mut self, s: &str) {
        sha2::Digest::update(self, s.as_bytes());
    }
}

/// Adapts a `core::fmt::Write` into a [`Sink`], keeping the first error.
pub(crate) struct FmtSink<'w, W: core::fmt::Write> {
    pub(crate) out: &'w mut W,
    pub(crate) result: core::fmt::Result,
}

impl<W: core::fmt::Write> Sink for FmtSink<'_, W> {
    fn put(&mut self, s: &str) {
        if self.result.is_ok() {
            self.result = self.out.write_str(s);
        }
    }
}

/// Writes `s` percent-encoded with `set` (one of [`PATH`], [`QUERY`]).
pub(crate) fn encode(s: &str, set: &'static AsciiSet, out: &mut impl Sink) {
    // The encoder yields runs of kept bytes and `%XX` escapes as `&str` chunks, so a long
    // plain key costs one write, not one per byte.
    for chunk in percent_encode(s.as_bytes(), set) {
        out.put(chunk);
    }
}

/// Compares the query encodings of `a` and `b` without building them: SigV4 sorts query
/// parameters by their *encoded* names, which is not the order of the raw names (`%` is
/// 0x25, below every letter and digit, while the raw byte it stands for may be above).
pub(crate) fn cmp_encoded(a: &str, b: &str) -> Ordering {
    encoded_bytes(a).cmp(encoded_bytes(b))
}

/// The bytes of the query encoding of `s`, one by one.
fn encoded_bytes(s: &str) -> impl Iterator<Item = u8> + '_ {
    s.bytes().flat_map(|b| {
        let escaped = !is_unreserved(b);
        let upper = HEX_UPPER[usize::from(b >> 4)];
        let lower = HEX_UPPER[usize::from(b & 0x0f)];
        let bytes = if escaped {
            [b'%', upper, lower]
        } else {
            [b, 0, 0]
        };
        bytes.into_iter().take(if escaped { 3 } else { 1 })
    })
}

const HEX_UPPER: &[u8; 16] = b"0123456789ABCDEF";

/// Every byte as two lower-case hex digits, so hex output is sliced, not formatted.
const HEX_PAIRS: &str = {
    const BYTES: [u8; 512] = {
        let digits = b"0123456789abcdef";
        let mut out = [0u8; 512];
        let mut i = 0;
        while i < 256 {
            out[2 * i] = digits[i >> 4];
            out[2 * i + 1] = digits[i & 0x0f];
            i += 1;
        }
        out
    };
    match core::str::from_utf8(&BYTES) {
        Ok(s) => s,
        Err(_) => panic!("hex table is ASCII"),
    }
};

/// Writes `bytes` as lower-case hex (signatures and hashes).
pub(crate) fn write_hex(bytes: &[u8], out: &mut impl Sink) {
    for &b in bytes {
        let i = 2 * usize::from(b);
        out.put(&HEX_PAIRS[i..i + 2]);
    }
}

/// `bytes` as 64 lower-case hex digits, for a 32-byte digest.
pub(crate) fn hex32(bytes: &[u8; 32]) -> Hex64 {
    let mut out = Hex64::default();
    write_hex(bytes, &mut out);
    out
}

/// A 64-digit hex rendering held inline.
#[derive(Default, Clone, Copy)]
pub(crate) struct Hex64 {
    text: crate::inline_str::InlineStr<64>,
}

impl Hex64 {
    pub(crate) fn as_str(&self) -> &str {
        self.text.as_str()
    }
}

impl Sink for Hex64 {
    fn put(&mut self, s: &str) {
        // 32 bytes make exactly 64 digits; a longer input is a bug caught by tests.
        let _ = self.text.push(s);
    }
}

/// Tells whether `b` is an RFC 3986 unreserved byte, kept as is by SigV4 encoding.
pub(crate) fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}
