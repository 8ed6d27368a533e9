//! The SigV4 signing key (step 3), kept as ready-keyed HMAC states, and its per-day cache.
//!
//! `kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request")`:
//! four HMACs that depend only on the scope, so a presigner derives the key once per UTC day
//! and reuses it for every URL of that day.
//!
//! HMAC (RFC 2104) hashes `key ^ ipad` and `key ^ opad` as the first block of its inner and
//! outer SHA-256. Those two blocks depend only on the key, so they are compressed once, when
//! the key is derived, and every signature then starts from the two saved states: two
//! SHA-256 compressions fewer per URL than HMAC from scratch.

use core::sync::atomic::{AtomicU32, Ordering, fence};

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use sha2::block_api::compress256;
use zeroize::Zeroize;

use crate::sha;

/// The longest secret access key accepted (AWS keys have 40 bytes, R2 keys 64).
pub(crate) const MAX_SECRET_LEN: usize = 128;

/// A derived signing key as the SHA-256 states after HMAC's inner and outer key blocks.
/// Wiped on drop.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct SigningKey {
    inner: [u32; 8],
    outer: [u32; 8],
}

impl SigningKey {
    /// Derives the key for one scope (`date` is `YYYYMMDD`).
    pub(crate) fn derive(secret: &str, date: &str, region: &str, service: &str) -> Self {
        // "AWS4" + secret, on the stack and wiped after use.
        let mut prefixed = [0u8; 4 + MAX_SECRET_LEN];
        let len = secret.len();
        assert!(
            len <= MAX_SECRET_LEN,
            "every caller checks the secret's length"
        );
        prefixed[..4].copy_from_slice(b"AWS4");
        prefixed[4..4 + len].copy_from_slice(&secret.as_bytes()[..len]);
        let mut k_date = hmac(&prefixed[..4 + len], date.as_bytes());
        prefixed.zeroize();
        let mut k_region = hmac(&k_date, region.as_bytes());
        k_date.zeroize();
        let mut k_service = hmac(&k_region, service.as_bytes());
        k_region.zeroize();
        let mut key = hmac(&k_service, b"aws4_request");
        k_service.zeroize();
        let keyed = Self::from_key(&key);
        key.zeroize();
        keyed
    }

    /// Precomputes HMAC's two key blocks for a 32-byte key.
    fn from_key(key: &[u8; 32]) -> Self {
        let mut block = [0u8; 64];
        let mut keyed_block = |pad: u8| {
            block.fill(pad);
            for (b, k) in block.iter_mut().zip(key) {
                *b ^= k;
            }
            let mut state = sha::IV;
            compress256(&mut state, core::slice::from_ref(&block));
            state
        };
        let inner = keyed_block(0x36);
        let outer = keyed_block(0x5c);
        block.zeroize();
        Self { inner, outer }
    }

    /// HMAC-SHA256 of `message` (the string to sign) with this key.
    pub(crate) fn sign(&self, message: &[u8]) -> [u8; 32] {
        let mut state = self.inner;
        let inner_hash = sha::continue_digest(&mut state, 64, message);
        let mut state = self.outer;
        let mac = sha::continue_digest(&mut state, 64, &inner_hash);
        state.zeroize();
        mac
    }
}

impl Drop for SigningKey {
    fn drop(&mut self) {
        self.inner.zeroize();
        self.outer.zeroize();
    }
}

/// HMAC-SHA256 with the `hmac` crate, for the four derivation steps.
fn hmac(key: &[u8], data: &[u8]) -> [u8; 32] {
    let mut mac =
        <Hmac<Sha256> as KeyInit>::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(data);
    mac.finalize().into_bytes().into()
}

/// The last derived key and its scope date, shared by all threads signing with one
/// presigner.
///
/// A sequence lock made of atomics: readers take no lock and write nothing, so signing on
/// many threads never contends; a writer publishes a new day's key with one
/// compare-and-swap, and a reader that sees a write in progress (or a torn read) simply
/// derives the key itself. Every access is atomic, so there is no data race to reason about,
/// only the sequence check that rejects mixed reads.
pub(crate) struct KeyCache {
    /// Even: stable. Odd: a writer is storing.
    seq: AtomicU32,
    /// `YYYYMMDD` as a number; 0 = empty (no real date has month 0).
    date: AtomicU32,
    /// The inner state, then the outer state.
    words: [AtomicU32; 16],
}

impl KeyCache {
    pub(crate) const fn new() -> Self {
        Self {
            seq: AtomicU32::new(0),
            date: AtomicU32::new(0),
            words: [const { AtomicU32::new(0) }; 16],
        }
    }

    /// The cached key if it is for `date`.
    pub(crate) fn get(&self, date: u32) -> Option<SigningKey> {
        let before = self.seq.load(Ordering::Acquire);
        if before & 1 == 1 || self.date.load(Ordering::Relaxed) != date {
            return None;
        }
        let mut key = SigningKey {
            inner: [0; 8],
            outer: [0; 8],
        };
        for (slot, word) in key
            .inner
            .iter_mut()
            .chain(key.outer.iter_mut())
            .zip(&self.words)
        {
            *slot = word.load(Ordering::Relaxed);
        }
        // Order the data loads before the second sequence load (seqlock reader fence).
        fence(Ordering::Acquire);
        (self.seq.load(Ordering::Relaxed) == before).then_some(key)
    }

    /// Publishes `key` for `date`, unless another thread is publishing right now.
    pub(crate) fn put(&self, date: u32, key: &SigningKey) {
        let seq = self.seq.load(Ordering::Relaxed);
        if seq & 1 == 1
            || self
                .seq
                .compare_exchange(
                    seq,
                    seq.wrapping_add(1),
                    Ordering::Acquire,
                    Ordering::Relaxed,
                )
                .is_err()
        {
            return;
        }
        // Order the odd sequence number before the data stores (seqlock writer fence).
        fence(Ordering::Release);
        self.date.store(date, Ordering::Relaxed);
        for (value, word) in key.inner.iter().chain(&key.outer).zip(&self.words) {
            word.store(*value, Ordering::Relaxed);
        }
        self.seq.store(seq.wrapping_add(2), Ordering::Release);
    }
}

impl Drop for KeyCache {
    fn drop(&mut self) {
        for word in &mut self.words {
            *word.get_mut() = 0;
        }
    }
}

impl Clone for KeyCache {
    /// A clone starts empty: the key is cheap to derive again, and a clone never races a
    /// writer.
    fn clone(&self) -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The precomputed-state HMAC equals the `hmac` crate's for every message length around
    /// the block and padding boundaries.
    #[test]
    fn keyed_states_give_standard_hmac() {
        let key: [u8; 32] = core::array::from_fn(|i| (i as u8).wrapping_mul(37).wrapping_add(11));
        let keyed = SigningKey::from_key(&key);
        let message: [u8; 300] = core::array::from_fn(|i| (i as u8).wrapping_mul(91));
        for len in 0..message.len() {
            assert_eq!(
                keyed.sign(&message[..len]),
                hmac(&key, &message[..len]),
                "length {len}"
            );
        }
    }

    /// A writer in progress (odd sequence) makes readers miss and other writers back off,
    /// so nobody reads or publishes a torn key.
    #[test]
    fn odd_sequence_means_get_misses_and_put_does_nothing() {
        let cache = KeyCache::new();
        let key = SigningKey::derive("secret", "20261124", "auto", "s3");
        cache.put(20_261_124, &key);
        assert!(cache.get(20_261_124).is_some());
        cache.seq.fetch_add(1, Ordering::SeqCst); // a writer has started
        assert!(cache.get(20_261_124).is_none());
        let next = SigningKey::derive("secret", "20261125", "auto", "s3");
        cache.put(20_261_125, &next);
        assert_eq!(
            cache.date.load(Ordering::SeqCst),
            20_261_124,
            "put backed off"
        );
        cache.seq.fetch_add(1, Ordering::SeqCst); // that writer is done
        assert!(cache.get(20_261_124) == Some(key));
        assert!(cache.get(20_261_125).is_none());
    }

    /// A reader compares the sequence before and after its copy; every publication moves it.
    #[test]
    fn every_put_moves_the_sequence_and_leaves_it_even() {
        let cache = KeyCache::new();
        let key = SigningKey::derive("secret", "20261124", "auto", "s3");
        cache.put(20_261_124, &key);
        let before = cache.seq.load(Ordering::SeqCst);
        cache.put(20_261_124, &key);
        assert_ne!(
            cache.seq.load(Ordering::SeqCst),
            before,
            "every put moves the sequence"
        );
        assert_eq!(
            cache.seq.load(Ordering::SeqCst) % 2,
            0,
            "and leaves it even"
        );
    }

    /// The AWS SigV4 documentation's signing-key example ("Examples of how to derive a
    /// signing key for Signature Version 4"): secret `wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY`,
    /// 20120215, us-east-1, iam.
    #[test]
    fn derived_key_is_the_documented_one() {
        let key = SigningKey::derive(
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            "20120215",
            "us-east-1",
            "iam",
        );
        let expected: [u8; 32] =
            hex::decode("f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d")
                .expect("hex")
                .try_into()
                .expect("32 bytes");
        assert!(key == SigningKey::from_key(&expected));
    }

    /// The HMAC states keyed with "AWS4" + secret during derivation are two SHA-256 cores
    /// (inner and outer) and a block buffer; with the `zeroize` features of `hmac` and
    /// `sha2` on, those cores wipe their state on drop. This compiles only then (README and
    /// SECURITY.md promise the wiping; `.ci/run` also checks the features).
    #[test]
    fn derivation_states_wipe_themselves() {
        fn wiped_on_drop<T: zeroize::ZeroizeOnDrop>() {}
        wiped_on_drop::<sha2::block_api::Sha256VarCore>();
        wiped_on_drop::<<Sha256 as hmac::digest::block_api::CoreProxy>::Core>();
        wiped_on_drop::<Sha256>();
    }

    #[test]
    fn cache_serves_only_its_date() {
        let cache = KeyCache::new();
        assert!(cache.get(20_261_124).is_none());
        let key = SigningKey::derive("secret", "20261124", "auto", "s3");
        cache.put(20_261_124, &key);
        assert!(cache.get(20_261_124) == Some(key.clone()));
        assert!(cache.get(20_261_125).is_none());
        let next = SigningKey::derive("secret", "20261125", "auto", "s3");
        cache.put(20_261_125, &next);
        assert!(cache.get(20_261_125) == Some(next));
        assert!(cache.get(20_261_124).is_none());
    }
}
