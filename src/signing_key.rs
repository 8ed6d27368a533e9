//! The SigV4 signing key (step 3) and its per-day cache.
//!
//! `kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request")`:
//! four HMACs that depend only on the scope, so a presigner derives the key once per UTC day
//! and reuses it for every URL of that day.

use core::sync::atomic::{AtomicU32, Ordering, fence};

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use zeroize::Zeroize;

use crate::encode::Sink;

/// The longest secret access key accepted (AWS keys have 40 bytes, R2 keys 64).
pub(crate) const MAX_SECRET_LEN: usize = 128;

pub(crate) type HmacSha256 = Hmac<Sha256>;

impl Sink for HmacSha256 {
    fn put(&mut self, s: &str) {
        self.update(s.as_bytes());
    }
}

/// A derived signing key, wiped on drop.
#[derive(Clone)]
pub(crate) struct SigningKey([u8; 32]);

impl SigningKey {
    /// Derives the key for one scope (`date` is `YYYYMMDD`).
    pub(crate) fn derive(secret: &str, date: &str, region: &str, service: &str) -> Self {
        // "AWS4" + secret, on the stack and wiped after use. Every caller has checked the
        // secret against `MAX_SECRET_LEN` first; the `min` only keeps this free of panics.
        let mut prefixed = [0u8; 4 + MAX_SECRET_LEN];
        let len = secret.len().min(MAX_SECRET_LEN);
        prefixed[..4].copy_from_slice(b"AWS4");
        prefixed[4..4 + len].copy_from_slice(&secret.as_bytes()[..len]);
        let mut k_date = hmac(&prefixed[..4 + len], date.as_bytes());
        prefixed.zeroize();
        let mut k_region = hmac(&k_date, region.as_bytes());
        k_date.zeroize();
        let mut k_service = hmac(&k_region, service.as_bytes());
        k_region.zeroize();
        let key = hmac(&k_service, b"aws4_request");
        k_service.zeroize();
        Self(key)
    }

    /// HMAC-SHA256 of whatever `write` feeds in (the string to sign), with this key.
    pub(crate) fn sign(&self, write: impl FnOnce(&mut HmacSha256)) -> [u8; 32] {
        let mut mac = keyed(&self.0);
        write(&mut mac);
        mac.finalize().into_bytes().into()
    }
}

impl Drop for SigningKey {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

/// HMAC accepts keys of any length, so construction cannot fail; this keeps the code
/// free of `unwrap` all the same.
fn unreachable_mac() -> HmacSha256 {
    <HmacSha256 as KeyInit>::new(&hmac::digest::array::Array::default())
}

fn keyed(key: &[u8]) -> HmacSha256 {
    <HmacSha256 as KeyInit>::new_from_slice(key).unwrap_or_else(|_| unreachable_mac())
}

fn hmac(key: &[u8], data: &[u8]) -> [u8; 32] {
    let mut mac = keyed(key);
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
    words: [AtomicU32; 8],
}

impl KeyCache {
    pub(crate) const fn new() -> Self {
        Self {
            seq: AtomicU32::new(0),
            date: AtomicU32::new(0),
            words: [const { AtomicU32::new(0) }; 8],
        }
    }

    /// The cached key if it is for `date`.
    pub(crate) fn get(&self, date: u32) -> Option<SigningKey> {
        let before = self.seq.load(Ordering::Acquire);
        if before & 1 == 1 || self.date.load(Ordering::Relaxed) != date {
            return None;
        }
        let mut key = [0u8; 32];
        for (chunk, word) in key.chunks_exact_mut(4).zip(&self.words) {
            chunk.copy_from_slice(&word.load(Ordering::Relaxed).to_ne_bytes());
        }
        // Order the data loads before the second sequence load (seqlock reader fence).
        fence(Ordering::Acquire);
        if self.seq.load(Ordering::Relaxed) != before {
            key.zeroize();
            return None;
        }
        Some(SigningKey(key))
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
        for (chunk, word) in key.0.chunks_exact(4).zip(&self.words) {
            let mut bytes = [0u8; 4];
            bytes.copy_from_slice(chunk);
            word.store(u32::from_ne_bytes(bytes), Ordering::Relaxed);
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
    /// A clone starts empty: the key is cheap to derive again and this keeps cloning free
    /// of reads racing with writes.
    fn clone(&self) -> Self {
        Self::new()
    }
}
