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
use sha2::block_api::compress256;
use sha2::{Digest, Sha256};
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
        let mut k_date = if secret.len() <= MAX_SECRET_LEN {
            // "AWS4" + secret, on the stack and wiped after use.
            let mut prefixed = [0u8; 4 + MAX_SECRET_LEN];
            let len = secret.len();
            prefixed[..4].copy_from_slice(b"AWS4");
            prefixed[4..4 + len].copy_from_slice(secret.as_bytes());
            let k_date = hmac(&prefixed[..4 + len], date.as_bytes());
            prefixed.zeroize();
            k_date
        } else {
            // A longer secret (a verifier's store is not bound by `Credentials`' limit):
            // HMAC replaces a key longer than its 64-byte block by the key's SHA-256 (RFC
            // 2104, section 2), so hashing "AWS4" + secret as a stream gives the same
            // MAC without a buffer of the secret's size.
            let mut sha = Sha256::new();
            Digest::update(&mut sha, b"AWS4");
            Digest::update(&mut sha, secret.as_bytes());
            let mut long_key: [u8; 32] = sha.finalize().into();
            let k_date = hmac(&long_key, date.as_bytes());
            long_key.zeroize();
            k_date
        };
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

/// Starts a write under a sequence lock: makes `seq` odd unless another writer holds it
/// (then `None`: the caller skips its write, a cache may miss). Returns the even value it
/// found; the writer stores `seq + 2` when done.
fn begin_write(seq: &AtomicU32) -> Option<u32> {
    let found = seq.load(Ordering::Relaxed);
    if found & 1 == 1
        || seq
            .compare_exchange(
                found,
                found.wrapping_add(1),
                Ordering::Acquire,
                Ordering::Relaxed,
            )
            .is_err()
    {
        return None;
    }
    // Order the odd sequence number before the data stores (seqlock writer fence).
    fence(Ordering::Release);
    Some(found)
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
        let Some(seq) = begin_write(&self.seq) else {
            return;
        };
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

/// How many scopes a [`KeyTable`] holds at once.
pub(crate) const KEY_TABLE_SLOTS: usize = 16;

/// The longest access key id a [`KeyTable`] slot stores (the IAM limit; keys of longer ids
/// are never cached, but derived each time).
const SLOT_ID_MAX: usize = 128;

/// Words of a stored access key id: four bytes a word, as `AtomicU32` (32-bit targets such
/// as `thumbv7em` have no 64-bit atomics).
const ID_WORDS: usize = SLOT_ID_MAX / 4;

/// Derived keys of several scopes at once, for a verifier: one per (access key id, scope
/// date, region) it has seen lately, each slot its own sequence lock (as [`KeyCache`]).
///
/// A slot holds the whole access key id, the date, the region's index and the table's
/// generation, and a reader compares them all inside its sequence check, so a key is only
/// ever used for the scope it was derived for: the hash that picks a slot decides how often
/// keys are derived again, never which key checks a signature. A scope may sit in either of
/// two slots (its hash and the neighbour), so two busy scopes that hash alike do not evict
/// each other on every request; a new key goes to the one holding the older date.
///
/// [`Self::clear`] moves the generation on: every slot filled before is dead at once, and so
/// is a key published afterwards by a verification that read the generation (and so the
/// store's secret) before the clear.
pub(crate) struct KeyTable {
    generation: AtomicU32,
    slots: [KeySlot; KEY_TABLE_SLOTS],
}

struct KeySlot {
    /// Even: stable. Odd: a writer is storing.
    seq: AtomicU32,
    /// `YYYYMMDD` as a number; 0 = empty.
    date: AtomicU32,
    /// The id's length (high half) and the region's index (low half).
    tag: AtomicU32,
    /// The table generation the key was derived in.
    generation: AtomicU32,
    /// The access key id, four bytes a word (little-endian), zero-padded.
    id: [AtomicU32; ID_WORDS],
    /// The inner state, then the outer state.
    words: [AtomicU32; 16],
}

impl KeySlot {
    const fn new() -> Self {
        Self {
            seq: AtomicU32::new(0),
            date: AtomicU32::new(0),
            tag: AtomicU32::new(0),
            generation: AtomicU32::new(0),
            id: [const { AtomicU32::new(0) }; ID_WORDS],
            words: [const { AtomicU32::new(0) }; 16],
        }
    }
}

/// The words an id is stored as, and its tag; `None` for an id too long to cache.
fn id_words(id: &[u8], region: u16) -> Option<([u32; ID_WORDS], u32)> {
    if id.len() > SLOT_ID_MAX {
        return None;
    }
    let mut words = [0u32; ID_WORDS];
    for (word, value) in words.iter_mut().zip(id_word_iter(id)) {
        *word = value;
    }
    Some((words, id_tag(id, region)))
}

/// The tag of a slot for `id` (at most 128 bytes: the length fits the high half) and the
/// region's index.
fn id_tag(id: &[u8], region: u16) -> u32 {
    (id.len() as u32) << 16 | u32::from(region)
}

/// The words of `id` as a slot stores them: four bytes each, little-endian, the last one
/// zero-padded.
fn id_word_iter(id: &[u8]) -> impl Iterator<Item = u32> + '_ {
    let (words, tail) = id.as_chunks::<4>();
    let mut last = [0u8; 4];
    last.get_mut(..tail.len())
        .unwrap_or_default()
        .copy_from_slice(tail);
    words
        .iter()
        .copied()
        .chain((!tail.is_empty()).then_some(last))
        .map(u32::from_le_bytes)
}

impl KeyTable {
    pub(crate) const fn new() -> Self {
        Self {
            generation: AtomicU32::new(0),
            slots: [const { KeySlot::new() }; KEY_TABLE_SLOTS],
        }
    }

    /// The generation to publish a key under: read it before looking the secret up.
    pub(crate) fn generation(&self) -> u32 {
        self.generation.load(Ordering::Acquire)
    }

    /// The first of the two slots a scope may sit in: a multiply-rotate mix of the id
    /// (eight bytes at a time), the date and the region. A cheap spread: correctness never
    /// depends on it.
    fn home(id: &[u8], date: u32, region: u16) -> usize {
        const K: u64 = 0x9E37_79B9_7F4A_7C15;
        let mix = |hash: u64, word: u64| (hash.rotate_left(5) ^ word).wrapping_mul(K);
        let (words, rest) = id.as_chunks::<8>();
        let mut hash = words
            .iter()
            .fold(u64::from(date) << 16 | u64::from(region), |hash, word| {
                mix(hash, u64::from_le_bytes(*word))
            });
        let mut last = [0u8; 8];
        last[..rest.len()].copy_from_slice(rest);
        hash = mix(hash, u64::from_le_bytes(last) ^ id.len() as u64);
        (hash >> 32) as usize % KEY_TABLE_SLOTS
    }

    /// The cached key of the scope (`id`, `date`, region index `region`).
    pub(crate) fn get(&self, id: &[u8], date: u32, region: u16) -> Option<SigningKey> {
        if id.len() > SLOT_ID_MAX {
            return None;
        }
        let tag = id_tag(id, region);
        let generation = self.generation();
        let home = Self::home(id, date, region);
        [home, home ^ 1]
            .into_iter()
            .filter_map(|i| self.slots.get(i))
            .find_map(|slot| read_slot(slot, id, date, tag, generation))
    }

    /// Publishes `key` for the scope, derived in `generation`, unless another thread is
    /// writing that slot right now (the key is then derived again next time).
    pub(crate) fn put(&self, id: &[u8], date: u32, region: u16, generation: u32, key: &SigningKey) {
        let Some((words, tag)) = id_words(id, region) else {
            return;
        };
        let home = Self::home(id, date, region);
        let (Some(first), Some(second)) = (self.slots.get(home), self.slots.get(home ^ 1)) else {
            return;
        };
        let slot = if second.date.load(Ordering::Relaxed) < first.date.load(Ordering::Relaxed) {
            second
        } else {
            first
        };
        let Some(seq) = begin_write(&slot.seq) else {
            return;
        };
        slot.date.store(date, Ordering::Relaxed);
        slot.tag.store(tag, Ordering::Relaxed);
        slot.generation.store(generation, Ordering::Relaxed);
        for (stored, word) in slot.id.iter().zip(words) {
            stored.store(word, Ordering::Relaxed);
        }
        for (value, word) in key.inner.iter().chain(&key.outer).zip(&slot.words) {
            word.store(*value, Ordering::Relaxed);
        }
        slot.seq.store(seq.wrapping_add(2), Ordering::Release);
    }

    /// Forgets every key: those cached, and those being derived from a secret looked up
    /// before this call.
    pub(crate) fn clear(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
    }
}

/// The key in `slot` if it is for the scope (`id`, `date`, `tag`) of `generation`.
fn read_slot(
    slot: &KeySlot,
    id: &[u8],
    date: u32,
    tag: u32,
    generation: u32,
) -> Option<SigningKey> {
    let before = slot.seq.load(Ordering::Acquire);
    if before & 1 == 1
        || slot.date.load(Ordering::Relaxed) != date
        || slot.tag.load(Ordering::Relaxed) != tag
        || slot.generation.load(Ordering::Relaxed) != generation
    {
        return None;
    }
    // The words the id fills (the tag holds its length, equal to this id's), each
    // compared, with no early exit: the id is public, but then the time a lookup takes
    // does not depend on where two ids differ.
    let mut differ = 0u32;
    for (stored, word) in slot.id.iter().zip(id_word_iter(id)) {
        differ |= stored.load(Ordering::Relaxed) ^ word;
    }
    let mut key = SigningKey {
        inner: [0; 8],
        outer: [0; 8],
    };
    for (value, word) in key
        .inner
        .iter_mut()
        .chain(key.outer.iter_mut())
        .zip(&slot.words)
    {
        *value = word.load(Ordering::Relaxed);
    }
    // Order the data loads before the second sequence load (seqlock reader fence).
    fence(Ordering::Acquire);
    (differ == 0 && slot.seq.load(Ordering::Relaxed) == before).then_some(key)
}

impl Drop for KeyTable {
    fn drop(&mut self) {
        for slot in &mut self.slots {
            for word in &mut slot.words {
                *word.get_mut() = 0;
            }
        }
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

    /// A table slot is used only for its exact scope: another id (one of the same length,
    /// a prefix, a longer one), another date, another region or another generation misses.
    #[test]
    fn key_table_serves_only_its_scope() {
        let table = KeyTable::new();
        let key = SigningKey::derive("secret", "20261124", "auto", "s3");
        let generation = table.generation();
        table.put(b"AKIDEXAMPLE", 20_261_124, 0, generation, &key);
        assert!(table.get(b"AKIDEXAMPLE", 20_261_124, 0) == Some(key.clone()));
        for (id, date, region) in [
            (&b"AKIDEXAMPLF"[..], 20_261_124, 0),
            (b"AKIDEXAMPL", 20_261_124, 0),
            (b"AKIDEXAMPLE\0", 20_261_124, 0),
            (b"AKIDEXAMPLE", 20_261_125, 0),
            (b"AKIDEXAMPLE", 20_261_124, 1),
        ] {
            assert!(
                table.get(id, date, region).is_none(),
                "{id:?} {date} {region}"
            );
        }
        table.clear();
        assert!(table.get(b"AKIDEXAMPLE", 20_261_124, 0).is_none());
        // A key derived before the clear is published dead.
        table.put(b"AKIDEXAMPLE", 20_261_124, 0, generation, &key);
        assert!(table.get(b"AKIDEXAMPLE", 20_261_124, 0).is_none());
        table.put(b"AKIDEXAMPLE", 20_261_124, 0, table.generation(), &key);
        assert!(table.get(b"AKIDEXAMPLE", 20_261_124, 0).is_some());
    }

    /// Ids longer than a slot are never cached; ids of every length up to it are.
    #[test]
    fn key_table_takes_ids_up_to_128_bytes() {
        let table = KeyTable::new();
        let key = SigningKey::derive("secret", "20261124", "auto", "s3");
        for len in [1, 3, 4, 5, 127, 128] {
            let id = alloc::vec![b'k'; len];
            table.put(&id, 20_261_124, 0, table.generation(), &key);
            assert!(table.get(&id, 20_261_124, 0).is_some(), "{len}");
        }
        let long = [b'k'; 129];
        table.put(&long, 20_261_124, 0, table.generation(), &key);
        assert!(table.get(&long, 20_261_124, 0).is_none());
    }

    /// Many scopes share 16 slots: each lookup gives the scope's own key or none.
    #[test]
    fn key_table_never_mixes_scopes() {
        let table = KeyTable::new();
        let keys: alloc::vec::Vec<_> = (0..64u32)
            .map(|i| {
                let id = alloc::format!("AKID{i}");
                let key = SigningKey::derive(&id, "20261124", "auto", "s3");
                (id, key)
            })
            .collect();
        for _ in 0..3 {
            for (id, key) in &keys {
                table.put(id.as_bytes(), 20_261_124, 0, table.generation(), key);
                for (other_id, other_key) in &keys {
                    if let Some(found) = table.get(other_id.as_bytes(), 20_261_124, 0) {
                        assert!(found == *other_key, "{other_id}");
                    }
                }
                assert!(table.get(id.as_bytes(), 20_261_124, 0) == Some(key.clone()));
            }
        }
    }

    /// A secret longer than HMAC's block is hashed first (RFC 2104): the key equals the
    /// `hmac` crate's over the whole "AWS4" + secret.
    #[test]
    fn long_secrets_derive_the_standard_key() {
        let secret = "s".repeat(300);
        let prefixed = alloc::format!("AWS4{secret}");
        let k_date = hmac(prefixed.as_bytes(), b"20261124");
        let k_region = hmac(&k_date, b"auto");
        let k_service = hmac(&k_region, b"s3");
        let expected = hmac(&k_service, b"aws4_request");
        assert!(
            SigningKey::derive(&secret, "20261124", "auto", "s3")
                == SigningKey::from_key(&expected)
        );
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
