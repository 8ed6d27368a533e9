//! Where a URL is written: a caller's byte slice (no allocator needed) or a reused `String`.

use crate::Error;
use crate::encode::Sink;

/// An output the URL is written into and read back from (the canonical request hashes the
/// path and query exactly as written, so what is signed is what is sent).
pub(crate) trait UrlOut: Sink {
    /// The bytes written so far.
    fn written(&self) -> &[u8];

    /// Drops what was written after the first `len` bytes.
    fn truncate(&mut self, len: usize);

    /// Overwrites written bytes from `at` (which must all have been written).
    fn replace_bytes(&mut self, at: usize, bytes: &[u8]);

    /// Whether `more` bytes can be written without overflowing (a `String` can always grow).
    fn has_room(&self, more: usize) -> bool;

    /// [`Error::BufferTooSmall`] once a write has not fit: the URL is incomplete, so
    /// nothing more is computed from it.
    fn check_fit(&self) -> Result<(), Error>;
}

/// A caller-provided byte slice. Writes past its end are dropped and remembered, so the hot
/// loop has no error branch; [`SliceOut::finish`] reports the overflow once.
pub(crate) struct SliceOut<'b> {
    buf: &'b mut [u8],
    len: usize,
    overflowed: bool,
}

impl<'b> SliceOut<'b> {
    pub(crate) fn new(buf: &'b mut [u8]) -> Self {
        Self {
            buf,
            len: 0,
            overflowed: false,
        }
    }

    /// The URL written, or [`Error::BufferTooSmall`].
    pub(crate) fn finish(self) -> Result<&'b str, Error> {
        let capacity = self.buf.len();
        if self.overflowed {
            return Err(Error::BufferTooSmall { capacity });
        }
        let written: &'b [u8] = &self.buf[..self.len];
        Ok(core::str::from_utf8(written).expect("only ASCII is written"))
    }
}

impl Sink for SliceOut<'_> {
    fn put_bytes(&mut self, ascii: &[u8]) {
        let end = self.len + ascii.len();
        match self.buf.get_mut(self.len..end) {
            Some(slot) if !self.overflowed => {
                slot.copy_from_slice(ascii);
                self.len = end;
            }
            _ => self.overflowed = true,
        }
    }
}

impl UrlOut for SliceOut<'_> {
    fn written(&self) -> &[u8] {
        &self.buf[..self.len]
    }

    fn truncate(&mut self, len: usize) {
        self.len = self.len.min(len);
    }

    fn replace_bytes(&mut self, at: usize, bytes: &[u8]) {
        // After an overflow the URL is incomplete and is never returned; nothing to patch.
        if !self.overflowed {
            self.buf[..self.len][at..at + bytes.len()].copy_from_slice(bytes);
        }
    }

    fn has_room(&self, more: usize) -> bool {
        !self.overflowed && self.buf.len() - self.len >= more
    }

    fn check_fit(&self) -> Result<(), Error> {
        if self.overflowed {
            return Err(Error::BufferTooSmall {
                capacity: self.buf.len(),
            });
        }
        Ok(())
    }
}

/// The bytes of a `String` the caller reuses: cleared, then grown only if its capacity is
/// too small. Everything written is ASCII, so turning it back into a `String` (one UTF-8
/// check per URL) always succeeds.
#[cfg(any(feature = "alloc", test))]
pub(crate) struct VecOut<'v> {
    pub(crate) bytes: &'v mut alloc::vec::Vec<u8>,
}

#[cfg(any(feature = "alloc", test))]
impl Sink for VecOut<'_> {
    fn put_bytes(&mut self, ascii: &[u8]) {
        // Most writes are separators of a byte or two; pushing them avoids a `memcpy`
        // call per separator, which profiles showed as a tenth of the signing time.
        if ascii.len() <= 2 {
            for &b in ascii {
                self.bytes.push(b);
            }
        } else {
            self.bytes.extend_from_slice(ascii);
        }
    }
}

#[cfg(any(feature = "alloc", test))]
impl UrlOut for VecOut<'_> {
    fn written(&self) -> &[u8] {
        self.bytes
    }

    fn truncate(&mut self, len: usize) {
        self.bytes.truncate(len);
    }

    fn replace_bytes(&mut self, at: usize, bytes: &[u8]) {
        self.bytes[at..at + bytes.len()].copy_from_slice(bytes);
    }

    fn has_room(&self, _more: usize) -> bool {
        true
    }

    fn check_fit(&self) -> Result<(), Error> {
        Ok(())
    }
}
