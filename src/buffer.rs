//! Where a URL is written: a caller's byte slice (no allocator needed) or a reused `String`.

use crate::Error;
use crate::encode::Sink;

/// An output the URL is written into and read back from (the canonical request hashes the
/// path and query exactly as written, so what is signed is what is sent).
pub(crate) trait UrlOut: Sink {
    /// The bytes written so far.
    fn written(&self) -> &[u8];
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
        // Only `&str` pieces were copied in, so this always succeeds.
        core::str::from_utf8(written).map_err(|_| Error::BufferTooSmall { capacity })
    }
}

impl Sink for SliceOut<'_> {
    fn put(&mut self, s: &str) {
        let end = self.len + s.len();
        match self.buf.get_mut(self.len..end) {
            Some(slot) if !self.overflowed => {
                slot.copy_from_slice(s.as_bytes());
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
}

/// A `String` the caller reuses: cleared, then grown only if its capacity is too small.
#[cfg(feature = "alloc")]
pub(crate) struct StringOut<'s> {
    pub(crate) text: &'s mut alloc::string::String,
}

#[cfg(feature = "alloc")]
impl Sink for StringOut<'_> {
    fn put(&mut self, s: &str) {
        self.text.push_str(s);
    }
}

#[cfg(feature = "alloc")]
impl UrlOut for StringOut<'_> {
    fn written(&self) -> &[u8] {
        self.text.as_bytes()
    }
}
