//! SHA-256 straight on the compression function, for messages that are already whole in
//! memory.
//!
//! Both hashes of a URL see their input as one slice: the canonical request is hashed where
//! the URL writer left it, and the string to sign sits in a stack buffer. Feeding such a
//! slice to `compress256` block by block, and padding only the last partial block, skips the
//! streaming hasher's buffer copies; the HMAC of the signing key starts from saved states the
//! same way (see `signing_key`).

use sha2::block_api::compress256;

/// SHA-256's initial state (FIPS 180-4 §5.3.3).
pub(crate) const IV: [u32; 8] = [
    0x6a09_e667,
    0xbb67_ae85,
    0x3c6e_f372,
    0xa54f_f53a,
    0x510e_527f,
    0x9b05_688c,
    0x1f83_d9ab,
    0x5be0_cd19,
];

/// SHA-256 of `message`.
pub(crate) fn digest(message: &[u8]) -> [u8; 32] {
    let mut state = IV;
    continue_digest(&mut state, 0, message)
}

/// Finishes a hash whose first `prefix_len` bytes (a multiple of 64) are already compressed
/// into `state`, with `message` as the rest of its input; returns the digest.
pub(crate) fn continue_digest(state: &mut [u32; 8], prefix_len: usize, message: &[u8]) -> [u8; 32] {
    let (blocks, rest) = message.as_chunks::<64>();
    compress256(state, blocks);
    finish(state, rest, prefix_len + message.len())
}

/// Pads and compresses the last partial block of a message of `total_len` bytes (SHA-256
/// padding: `0x80`, zeros, the length in bits as a big-endian u64) and returns the digest.
fn finish(state: &mut [u32; 8], rest: &[u8], total_len: usize) -> [u8; 32] {
    let mut tail = [[0u8; 64]; 2];
    let blocks = if rest.len() + 9 <= 64 { 1 } else { 2 };
    {
        let flat = tail.as_flattened_mut();
        flat[..rest.len()].copy_from_slice(rest);
        flat[rest.len()] = 0x80;
        let bits = (total_len as u64) * 8;
        flat[blocks * 64 - 8..blocks * 64].copy_from_slice(&bits.to_be_bytes());
    }
    compress256(state, &tail[..blocks]);
    let mut digest = [0u8; 32];
    for (out, word) in digest.chunks_exact_mut(4).zip(state.iter()) {
        out.copy_from_slice(&word.to_be_bytes());
    }
    digest
}

#[cfg(test)]
mod tests {
    use sha2::{Digest, Sha256};

    /// Equals the `sha2` crate's streaming hasher at every length around the block and
    /// padding boundaries.
    #[test]
    fn digest_matches_streaming_sha256() {
        let message: [u8; 300] =
            core::array::from_fn(|i| (i as u8).wrapping_mul(73).wrapping_add(5));
        for len in 0..message.len() {
            let expected: [u8; 32] = Sha256::digest(&message[..len]).into();
            assert_eq!(super::digest(&message[..len]), expected, "length {len}");
        }
    }

    /// The FIPS 180-2 example "abc" (appendix B.1), from outside the `sha2` crate.
    #[test]
    fn digest_of_abc() {
        assert_eq!(
            hex::encode(super::digest(b"abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
