//! The seeded generator the unit tests draw generated cases from: xorshift64, so the same
//! seed gives the same cases on every run and a failure reproduces from the test alone.

/// xorshift64 (Marsaglia's 13, 7, 17): tiny, and good enough to spread test inputs.
pub(crate) struct XorShift(pub(crate) u64);

impl XorShift {
    /// A number in `0..n` (`n > 0`).
    pub(crate) fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        usize::try_from(self.0 % n as u64).expect("below a usize")
    }
}
