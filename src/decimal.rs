//! Unsigned integers in decimal without `core::fmt`: `X-Amz-Expires`, ports, part numbers.

/// A `u32` rendered in decimal, held inline.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Decimal {
    digits: [u8; 10],
    start: usize,
}

impl Decimal {
    pub(crate) const fn new(mut n: u32) -> Self {
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

    /// A `u64` in decimal (20 digits at most) written into `out`; returns the length.
    pub(crate) fn write_u64(mut n: u64, out: &mut [u8; 20]) -> usize {
        let mut start = out.len();
        loop {
            start -= 1;
            out[start] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        out.copy_within(start.., 0);
        out.len() - start
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
        for n in [0, 7, 1 << 40, u64::MAX] {
            let mut out = [0u8; 20];
            let len = Decimal::write_u64(n, &mut out);
            assert_eq!(&out[..len], alloc::format!("{n}").as_bytes());
        }
    }
}
