//! A fixed-capacity string stored inline, so validated values need no allocator.

use core::fmt;

/// At most `N` bytes of UTF-8 held inline. Only whole `&str`s (or ASCII) are copied in, so
/// the contents are always UTF-8.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) struct InlineStr<const N: usize> {
    bytes: [u8; N],
    len: u16,
}

impl<const N: usize> InlineStr<N> {
    /// An empty string.
    pub(crate) const fn empty() -> Self {
        // `len` is a `u16`; every capacity in the crate is far below that.
        assert!(N <= u16::MAX as usize, "inline capacity fits a u16 length");
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

    /// Copies `s`, which the caller has already checked against `N`.
    pub(crate) fn from_checked(s: &str) -> Self {
        Self::new(s).expect("the caller checked the length against the capacity")
    }

    /// Appends `s`, or returns `None` (leaving `self` unchanged) when it does not fit.
    pub(crate) fn push(&mut self, s: &str) -> Option<()> {
        self.push_bytes(s.as_bytes())
    }

    fn push_bytes(&mut self, bytes: &[u8]) -> Option<()> {
        let start = usize::from(self.len);
        let end = start.checked_add(bytes.len()).filter(|&end| end <= N)?;
        self.bytes[start..end].copy_from_slice(bytes);
        self.len = u16::try_from(end).ok()?;
        Some(())
    }

    /// The text.
    pub(crate) fn as_str(&self) -> &str {
        core::str::from_utf8(self.as_bytes()).expect("only whole strs and ASCII are copied in")
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
    /// Appends ASCII; every writer sizes `N` for the longest text it writes, so a write
    /// that does not fit is a bug, never a shorter (and wrongly signed) text.
    fn put_bytes(&mut self, ascii: &[u8]) {
        assert!(ascii.is_ascii(), "only ASCII reaches a sink");
        self.push_bytes(ascii)
            .expect("inline buffers are sized for the longest text written into them");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::encode::Sink;

    #[test]
    fn push_refuses_what_does_not_fit_and_keeps_the_text() {
        let mut s = InlineStr::<4>::new("ab").expect("fits");
        assert_eq!(s.push("cde"), None);
        assert_eq!(s.as_str(), "ab");
        assert_eq!(s.push("cd"), Some(()));
        assert_eq!(s.as_str(), "abcd");
    }

    #[test]
    #[should_panic(expected = "sized for the longest text")]
    fn sink_overflow_is_a_loud_bug_not_a_short_text() {
        let mut s = InlineStr::<2>::empty();
        s.put("abc");
    }

    #[test]
    fn wipe_zeroes_every_byte() {
        let mut s = InlineStr::<8>::new("secret").expect("fits");
        s.wipe();
        assert_eq!(s.as_str(), "");
        assert_eq!(s.bytes, [0; 8]);
    }
}
