//! Standard base64 (RFC 4648 §4, with padding): how S3 carries `Content-MD5` and the
//! `x-amz-checksum-*` digests.

/// The standard alphabet.
const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// The encoded length of `n` bytes.
pub(crate) const fn encoded_len(n: usize) -> usize {
    n.div_ceil(3) * 4
}

/// Encodes `bytes` into `out`, which must be `encoded_len(bytes.len())` long.
pub(crate) fn encode(bytes: &[u8], out: &mut [u8]) {
    debug_assert_eq!(out.len(), encoded_len(bytes.len()));
    for (chunk, quad) in bytes.chunks(3).zip(out.chunks_mut(4)) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = u32::from(b[0]) << 16 | u32::from(b[1]) << 8 | u32::from(b[2]);
        for (i, slot) in quad.iter_mut().enumerate() {
            *slot = if i <= chunk.len() {
                ALPHABET[(n >> (18 - 6 * i) & 63) as usize]
            } else {
                b'='
            };
        }
    }
}

/// Decodes canonical padded base64 of exactly `N` bytes; `None` for anything else (another
/// length, a byte outside the alphabet, misplaced padding, or non-zero bits in the padding,
/// which would let two texts stand for one digest).
pub(crate) fn decode_exact<const N: usize>(text: &str) -> Option<[u8; N]> {
    let text = text.as_bytes();
    if text.len() != encoded_len(N) {
        return None;
    }
    let mut out = [0u8; N];
    let mut written = 0;
    for quad in text.chunks(4) {
        let pad = quad.iter().rev().take_while(|&&c| c == b'=').count();
        let mut n = 0u32;
        for (i, &c) in quad.iter().enumerate() {
            let value = if i >= 4 - pad { 0 } else { sextet(c)? };
            n = n << 6 | u32::from(value);
        }
        let bytes = n.to_be_bytes();
        let take = 3 - pad;
        if pad > 2 || written + take > N || (pad > 0 && written + take != N) {
            return None;
        }
        out[written..written + take].copy_from_slice(&bytes[1..=take]);
        written += take;
        // The bits below the last byte must be zero in canonical base64.
        if pad > 0 && n & ((1 << (8 * pad)) - 1) != 0 {
            return None;
        }
    }
    (written == N).then_some(out)
}

fn sextet(c: u8) -> Option<u8> {
    Some(match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encoded(bytes: &[u8]) -> alloc::string::String {
        let mut out = alloc::vec![0u8; encoded_len(bytes.len())];
        encode(bytes, &mut out);
        alloc::string::String::from_utf8(out).expect("ASCII")
    }

    /// RFC 4648 §10 test vectors.
    #[test]
    fn rfc_4648_vectors() {
        for (plain, text) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(encoded(plain.as_bytes()), text);
        }
        assert_eq!(decode_exact::<6>("Zm9vYmFy"), Some(*b"foobar"));
        assert_eq!(decode_exact::<5>("Zm9vYmE="), Some(*b"fooba"));
        assert_eq!(decode_exact::<4>("Zm9vYg=="), Some(*b"foob"));
    }

    /// The MD5 of the empty string as S3's documentation writes `Content-MD5`.
    #[test]
    fn md5_of_nothing() {
        let digest: [u8; 16] = hex::decode("d41d8cd98f00b204e9800998ecf8427e")
            .expect("hex")
            .try_into()
            .expect("16 bytes");
        assert_eq!(encoded(&digest), "1B2M2Y8AsgTpgAmY7PhCfg==");
        assert_eq!(decode_exact::<16>("1B2M2Y8AsgTpgAmY7PhCfg=="), Some(digest));
    }

    #[test]
    fn non_canonical_text_is_refused() {
        assert_eq!(decode_exact::<4>("Zm9vYh=="), None, "padding bits set");
        assert_eq!(decode_exact::<4>("Zm9vYg="), None, "short");
        assert_eq!(decode_exact::<4>("Zm9v Yg="), None, "space");
        assert_eq!(decode_exact::<3>("Zm9vYg=="), None, "other length");
        assert_eq!(decode_exact::<6>("Zm9v=mFy"), None, "padding inside");
        assert_eq!(decode_exact::<4>("Zm9vYg-="), None, "URL alphabet");
    }

    #[test]
    fn every_length_round_trips() {
        let bytes: [u8; 40] = core::array::from_fn(|i| (i as u8).wrapping_mul(97));
        let text = encoded(&bytes[..32]);
        assert_eq!(
            decode_exact::<32>(&text),
            Some(<[u8; 32]>::try_from(&bytes[..32]).expect("32"))
        );
        let text = encoded(&bytes[..20]);
        assert_eq!(
            decode_exact::<20>(&text),
            Some(<[u8; 20]>::try_from(&bytes[..20]).expect("20"))
        );
        let text = encoded(&bytes[..8]);
        assert_eq!(
            decode_exact::<8>(&text),
            Some(<[u8; 8]>::try_from(&bytes[..8]).expect("8"))
        );
    }
}
