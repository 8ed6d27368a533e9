//! Unsigned integers in decimal without `core::fmt`: `X-Amz-Expires`, ports, part numbers.

/// A `u32` rendered in decimal, held inline.
pub(crate) struct Decimal {
    digits: [u8; 10],
    start: usize,
}

impl Decimal {
    pub(crate) fn new(mut n: u32) -> Self {
        let mut digits = [b'0'; 10];
        let mut start = digits.len();
        loop {
            start -= 1;
            digits[start] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        Self { digits, start }
    }

    /// The digits (ASCII).
    pub(crate) fn as_bytes(&self) -> &[u8] {
        &self.digits[self.start..]
    }

    /// The digits as text.
    pub(crate) fn as_str(&self) -> &str {
        core::str::from_utf8(self.as_bytes()).expect("decimal digits are ASCII")
    }
}

#[cfg(test)]
mod tests {
    use super::Decimal;

    #[test]
    fn renders_like_core_fmt() {
        for n in [0, 1, 9, 10, 99, 100, 604_800, 4_294_967_295] {
            assert_eq!(Decimal::new(n).as_str(), alloc::format!("{n}"));
        }
    }
}
