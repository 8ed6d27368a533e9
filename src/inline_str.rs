//! A fixed-capacity string stored inline, so validated values need no allocator.

use core::fmt;

/// At most `N` bytes of UTF-8 held inline. Only built from an already validated `&str`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) struct InlineStr<const N: usize> {
    bytes: [u8; N],
    len: u16,
}

impl<const N: usize> InlineStr<N> {
    /// An empty string.
    pub(crate) const fn empty() -> Self {
        Self {
            bytes: [0; N],
            len: 0,
        }
    }

    /// Copies `s`, or returns `None` when it is longer than `N` bytes.
    pub(crate) fn new(s: &str) -> Option<Self> {
        let mut out = Self::empty();
        out.push(s)?;
        Some(out)
    }

    /// Appends `s`, or returns `None` (leaving `self` unchanged) when it does not fit.
    pub(crate) fn push(&mut self, s: &str) -> Option<()> {
        let start = usize::from(self.len);
        let end = start.checked_add(s.len()).filter(|&end| end <= N)?;
        self.bytes[start..end].copy_from_slice(s.as_bytes());
        self.len = u16::try_from(end).ok()?;
        Some(())
    }

    /// The text.
    pub(crate) fn as_str(&self) -> &str {
        // Only whole `&str`s are ever copied in, so the prefix is valid UTF-8; the fallback
        // keeps this free of panics and `unsafe` all the same.
        core::str::from_utf8(&self.bytes[..usize::from(self.len)]).unwrap_or_default()
    }

    /// The bytes (the UTF-8 of [`Self::as_str`], without re-checking it).
    pub(crate) fn as_bytes(&self) -> &[u8] {
        &self.bytes[..usize::from(self.len)]
    }

    /// Overwrites the bytes with zeros (for secrets).
    pub(crate) fn wipe(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.bytes);
        self.len = 0;
    }
}

impl<const N: usize> Default for InlineStr<N> {
    fn default() -> Self {
        Self::empty()
    }
}

impl<const N: usize> fmt::Debug for InlineStr<N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl<const N: usize> crate::encode::Sink for InlineStr<N> {
    /// Appends ASCII; callers size `N` for the longest text they write.
    fn put_bytes(&mut self, ascii: &[u8]) {
        // Only ASCII reaches a sink, so the contents stay UTF-8.
        let start = usize::from(self.len);
        if let Some(slot) = self.bytes.get_mut(start..start + ascii.len())
            && ascii.is_ascii()
        {
            slot.copy_from_slice(ascii);
            self.len = (start + ascii.len()) as u16;
        }
    }
}
