//! Bound uploads: headers signed into a PUT (or a part, or a completion) so the store refuses
//! any other body or an overwrite: the exact `Content-Length`, the body's `Content-MD5` or
//! `x-amz-checksum-*` digest, and `If-None-Match: *` (create only).
//!
//! Each bound value is among the headers the client must send
//! ([`Presigned::headers`](crate::Presigned::headers)), with exactly this value.
//!
//! What enforces what (S3's and R2's documentation, and this crate's end-to-end tests against
//! s3s-fs):
//!
//! | binding | AWS S3 | Cloudflare R2 |
//! | --- | --- | --- |
//! | `Content-Length` | signed header: another size gets 403 | same |
//! | `Content-MD5` | other bytes get 400 `BadDigest` | PutObject and UploadPart |
//! | `x-amz-checksum-crc32`, `-crc32c`, `-sha1`, `-sha256` | other bytes get 400 `BadDigest` | PutObject; on UploadPart R2 answers 501 to sha1/sha256 (its compatibility table); `Content-MD5` works there |
//! | `x-amz-checksum-crc64nvme` | PutObject and UploadPart | not in R2's table: not confirmed |
//! | `If-None-Match: *` | PutObject and CompleteMultipartUpload: 412 when the key exists | PutObject (conditional writes); on completion not confirmed |
//!
//! R2 accepts no presigned POST form uploads; everything here is a presigned URL.

use core::fmt;

use crate::base64;
use crate::checksum_algorithm::ChecksumAlgorithm;
use crate::decimal::Decimal;
use crate::error::{Error, Field};
use crate::inline_str::InlineStr;

/// The longest base64 digest (SHA-256: 44 characters).
const DIGEST_TEXT_MAX: usize = base64::encoded_len(32);

/// A body's digest for one [`ChecksumAlgorithm`], kept as the base64 text S3 expects.
///
/// ```
/// use presign::{Checksum, ChecksumAlgorithm};
/// // SHA-256 of the empty body.
/// let empty = Checksum::sha256(&[
///     0xe3, 0xb0, 0xc4, 0x42, 0x98, 0xfc, 0x1c, 0x14, 0x9a, 0xfb, 0xf4, 0xc8, 0x99, 0x6f, 0xb9, 0x24,
///     0x27, 0xae, 0x41, 0xe4, 0x64, 0x9b, 0x93, 0x4c, 0xa4, 0x95, 0x99, 0x1b, 0x78, 0x52, 0xb8, 0x55,
/// ]);
/// assert_eq!(empty.as_base64(), "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
/// assert_eq!(Checksum::from_base64(ChecksumAlgorithm::Sha256, empty.as_base64())?, empty);
/// assert!(Checksum::from_base64(ChecksumAlgorithm::Sha1, empty.as_base64()).is_err());
/// # Ok::<(), presign::Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Checksum {
    algorithm: ChecksumAlgorithm,
    text: InlineStr<DIGEST_TEXT_MAX>,
}

impl Checksum {
    fn from_digest(algorithm: ChecksumAlgorithm, digest: &[u8]) -> Self {
        debug_assert_eq!(digest.len(), algorithm.digest_len());
        let mut text = [0u8; DIGEST_TEXT_MAX];
        let len = base64::encoded_len(digest.len());
        base64::encode(digest, &mut text[..len]);
        let text = core::str::from_utf8(&text[..len]).expect("base64 is ASCII");
        Self {
            algorithm,
            text: InlineStr::from_checked(text),
        }
    }

    /// A CRC-32 digest (big-endian bytes, as S3 reads it).
    ///
    /// ```
    /// // CRC-32 of "123456789" is 0xCBF43926.
    /// assert_eq!(presign::Checksum::crc32(0xCBF4_3926).as_base64(), "y/Q5Jg==");
    /// ```
    #[must_use]
    pub fn crc32(crc: u32) -> Self {
        Self::from_digest(ChecksumAlgorithm::Crc32, &crc.to_be_bytes())
    }

    /// A CRC-32C digest.
    ///
    /// ```
    /// // CRC-32C of "123456789" is 0xE3069283.
    /// assert_eq!(presign::Checksum::crc32c(0xE306_9283).as_base64(), "4waSgw==");
    /// ```
    #[must_use]
    pub fn crc32c(crc: u32) -> Self {
        Self::from_digest(ChecksumAlgorithm::Crc32c, &crc.to_be_bytes())
    }

    /// A CRC-64/NVME digest.
    ///
    /// ```
    /// // CRC-64/NVME of "123456789" is 0xAE8B14860A799888.
    /// assert_eq!(presign::Checksum::crc64nvme(0xAE8B_1486_0A79_9888).as_base64(), "rosUhgp5mIg=");
    /// ```
    #[must_use]
    pub fn crc64nvme(crc: u64) -> Self {
        Self::from_digest(ChecksumAlgorithm::Crc64Nvme, &crc.to_be_bytes())
    }

    /// A SHA-1 digest.
    ///
    /// ```
    /// let digest = [0u8; 20];
    /// assert_eq!(presign::Checksum::sha1(&digest).as_base64(), "AAAAAAAAAAAAAAAAAAAAAAAAAAA=");
    /// ```
    #[must_use]
    pub fn sha1(digest: &[u8; 20]) -> Self {
        Self::from_digest(ChecksumAlgorithm::Sha1, digest)
    }

    /// A SHA-256 digest.
    ///
    /// ```
    /// let digest = [0u8; 32];
    /// assert_eq!(presign::Checksum::sha256(&digest).as_base64().len(), 44);
    /// ```
    #[must_use]
    pub fn sha256(digest: &[u8; 32]) -> Self {
        Self::from_digest(ChecksumAlgorithm::Sha256, digest)
    }

    /// A digest given as base64 text (what `aws s3api` and the SDKs print): canonical padded
    /// base64 of exactly the algorithm's digest length, or [`Error::InvalidDigest`].
    ///
    /// ```
    /// use presign::{Checksum, ChecksumAlgorithm};
    /// assert!(Checksum::from_base64(ChecksumAlgorithm::Crc32, "y/Q5Jg==").is_ok());
    /// assert!(Checksum::from_base64(ChecksumAlgorithm::Crc32, "y/Q5Jg").is_err());
    /// ```
    pub fn from_base64(algorithm: ChecksumAlgorithm, text: &str) -> Result<Self, Error> {
        let bad = Error::InvalidDigest {
            field: Field::Checksum(algorithm),
            expected_len: algorithm.digest_len(),
        };
        let ok = match algorithm {
            ChecksumAlgorithm::Crc32 | ChecksumAlgorithm::Crc32c => {
                base64::decode_exact::<4>(text).is_some()
            }
            ChecksumAlgorithm::Crc64Nvme => base64::decode_exact::<8>(text).is_some(),
            ChecksumAlgorithm::Sha1 => base64::decode_exact::<20>(text).is_some(),
            ChecksumAlgorithm::Sha256 => base64::decode_exact::<32>(text).is_some(),
        };
        if !ok {
            return Err(bad);
        }
        Ok(Self {
            algorithm,
            text: InlineStr::from_checked(text),
        })
    }

    /// The algorithm.
    ///
    /// ```
    /// assert_eq!(presign::Checksum::crc32(0).algorithm(), presign::ChecksumAlgorithm::Crc32);
    /// ```
    #[must_use]
    pub fn algorithm(&self) -> ChecksumAlgorithm {
        self.algorithm
    }

    /// The digest in base64, the header's value.
    ///
    /// ```
    /// assert_eq!(presign::Checksum::crc32(0).as_base64(), "AAAAAA==");
    /// ```
    #[must_use]
    pub fn as_base64(&self) -> &str {
        self.text.as_str()
    }
}

impl fmt::Debug for Checksum {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Checksum({:?}, {:?})", self.algorithm, self.as_base64())
    }
}

/// An MD5 digest as `Content-MD5` carries it (base64 of the 16 bytes).
const MD5_TEXT_LEN: usize = base64::encoded_len(16);

/// What a bound upload's store must see: each binding set here becomes a signed header the
/// client must send with exactly this value, so a URL cannot upload other bytes, another
/// size, or over an existing object.
///
/// ```
/// use presign::{Checksum, UploadBindings};
/// let bound = UploadBindings::new()
///     .content_length(5 * 1024 * 1024)
///     .checksum(Checksum::crc32(0xCBF4_3926))
///     .if_none_match_any();
/// let headers: Vec<_> = bound.headers().collect();
/// assert_eq!(headers, [
///     ("content-length", "5242880"),
///     ("if-none-match", "*"),
///     ("x-amz-checksum-crc32", "y/Q5Jg=="),
/// ]);
/// ```
#[derive(Clone, Copy, Default, PartialEq, Eq)]
pub struct UploadBindings {
    content_length: Option<(InlineStr<20>, u64)>,
    content_md5: Option<InlineStr<MD5_TEXT_LEN>>,
    checksum: Option<Checksum>,
    if_none_match: bool,
}

impl UploadBindings {
    /// Nothing bound.
    ///
    /// ```
    /// assert!(presign::UploadBindings::new().is_empty());
    /// ```
    #[must_use]
    pub const fn new() -> Self {
        Self {
            content_length: None,
            content_md5: None,
            checksum: None,
            if_none_match: false,
        }
    }

    /// Binds the body's exact size: another size gets 403.
    ///
    /// ```
    /// let b = presign::UploadBindings::new().content_length(42);
    /// assert_eq!(b.headers().next(), Some(("content-length", "42")));
    /// ```
    #[must_use]
    pub fn content_length(mut self, len: u64) -> Self {
        let mut digits = [0u8; 20];
        let n = Decimal::write_u64(len, &mut digits);
        let text = core::str::from_utf8(&digits[..n]).expect("digits are ASCII");
        self.content_length = Some((InlineStr::from_checked(text), len));
        self
    }

    /// Binds the body's MD5 (`Content-MD5`): other bytes get 400 `BadDigest`. The one digest
    /// R2 checks on every part.
    ///
    /// ```
    /// // MD5 of the empty body.
    /// let md5 = [0xd4, 0x1d, 0x8c, 0xd9, 0x8f, 0x00, 0xb2, 0x04, 0xe9, 0x80, 0x09, 0x98, 0xec, 0xf8, 0x42, 0x7e];
    /// let b = presign::UploadBindings::new().content_md5(&md5);
    /// assert_eq!(b.headers().next(), Some(("content-md5", "1B2M2Y8AsgTpgAmY7PhCfg==")));
    /// ```
    #[must_use]
    pub fn content_md5(mut self, digest: &[u8; 16]) -> Self {
        let mut text = [0u8; MD5_TEXT_LEN];
        base64::encode(digest, &mut text);
        let text = core::str::from_utf8(&text).expect("base64 is ASCII");
        self.content_md5 = Some(InlineStr::from_checked(text));
        self
    }

    /// [`Self::content_md5`] from its base64 text, checked (canonical, 16 bytes).
    ///
    /// ```
    /// let b = presign::UploadBindings::new().content_md5_base64("1B2M2Y8AsgTpgAmY7PhCfg==")?;
    /// assert!(!b.is_empty());
    /// assert!(presign::UploadBindings::new().content_md5_base64("not base64").is_err());
    /// # Ok::<(), presign::Error>(())
    /// ```
    pub fn content_md5_base64(self, text: &str) -> Result<Self, Error> {
        let digest = base64::decode_exact::<16>(text).ok_or(Error::InvalidDigest {
            field: Field::ContentMd5,
            expected_len: 16,
        })?;
        Ok(self.content_md5(&digest))
    }

    /// Binds a checksum of the body (`x-amz-checksum-<algorithm>`): other bytes get 400
    /// `BadDigest`. One checksum per request, as S3 takes.
    ///
    /// ```
    /// let b = presign::UploadBindings::new().checksum(presign::Checksum::crc32c(0));
    /// assert_eq!(b.headers().next(), Some(("x-amz-checksum-crc32c", "AAAAAA==")));
    /// ```
    #[must_use]
    pub fn checksum(mut self, checksum: Checksum) -> Self {
        self.checksum = Some(checksum);
        self
    }

    /// Create only (`If-None-Match: *`): the store answers 412 when the key exists, so a
    /// leaked or replayed URL cannot overwrite an artifact. For a multipart upload, bind it
    /// on the completion.
    ///
    /// ```
    /// let b = presign::UploadBindings::new().if_none_match_any();
    /// assert_eq!(b.headers().next(), Some(("if-none-match", "*")));
    /// ```
    #[must_use]
    pub const fn if_none_match_any(mut self) -> Self {
        self.if_none_match = true;
        self
    }

    /// Whether nothing is bound.
    ///
    /// ```
    /// assert!(!presign::UploadBindings::new().content_length(0).is_empty());
    /// ```
    #[must_use]
    pub fn is_empty(&self) -> bool {
        *self == Self::new()
    }

    /// The bound size, if any.
    ///
    /// ```
    /// assert_eq!(presign::UploadBindings::new().content_length(7).bound_length(), Some(7));
    /// ```
    #[must_use]
    pub fn bound_length(&self) -> Option<u64> {
        self.content_length.as_ref().map(|(_, len)| *len)
    }

    /// The bound headers, `(lower-case name, value)`, in canonical (name) order.
    ///
    /// ```
    /// let b = presign::UploadBindings::new().if_none_match_any().content_length(1);
    /// assert_eq!(b.headers().map(|(n, _)| n).collect::<Vec<_>>(), ["content-length", "if-none-match"]);
    /// ```
    pub fn headers(&self) -> impl Iterator<Item = (&'static str, &str)> + '_ {
        let length = self
            .content_length
            .as_ref()
            .map(|(text, _)| ("content-length", text.as_str()));
        let md5 = self
            .content_md5
            .as_ref()
            .map(|text| ("content-md5", text.as_str()));
        let none_match = self.if_none_match.then_some(("if-none-match", "*"));
        let checksum = self
            .checksum
            .as_ref()
            .map(|c| (c.algorithm.header_name(), c.as_base64()));
        [length, md5, none_match, checksum].into_iter().flatten()
    }

    /// The names that may not also appear among a request's extra headers.
    pub(crate) fn reserved_names() -> [&'static str; 8] {
        [
            "content-length",
            "content-md5",
            "if-none-match",
            ChecksumAlgorithm::Crc32.header_name(),
            ChecksumAlgorithm::Crc32c.header_name(),
            ChecksumAlgorithm::Crc64Nvme.header_name(),
            ChecksumAlgorithm::Sha1.header_name(),
            ChecksumAlgorithm::Sha256.header_name(),
        ]
    }
}

impl fmt::Debug for UploadBindings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.headers()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_come_in_canonical_order() {
        let b = UploadBindings::new()
            .checksum(Checksum::sha1(&[1; 20]))
            .if_none_match_any()
            .content_md5(&[2; 16])
            .content_length(u64::MAX);
        let names: alloc::vec::Vec<_> = b.headers().map(|(n, _)| n).collect();
        let mut sorted = names.clone();
        sorted.sort_unstable();
        assert_eq!(names, sorted);
        assert_eq!(
            b.headers().next(),
            Some(("content-length", "18446744073709551615"))
        );
    }

    #[test]
    fn from_base64_checks_the_length_per_algorithm() {
        for algorithm in ChecksumAlgorithm::ALL {
            let digest = alloc::vec![7u8; algorithm.digest_len()];
            let mut text = alloc::vec![0u8; base64::encoded_len(digest.len())];
            base64::encode(&digest, &mut text);
            let text = core::str::from_utf8(&text).expect("ASCII");
            let checksum = Checksum::from_base64(algorithm, text).expect("right length");
            assert_eq!(checksum.as_base64(), text);
            for other in ChecksumAlgorithm::ALL {
                if other.digest_len() != algorithm.digest_len() {
                    assert_eq!(
                        Checksum::from_base64(other, text).err(),
                        Some(Error::InvalidDigest {
                            field: Field::Checksum(other),
                            expected_len: other.digest_len()
                        })
                    );
                }
            }
        }
    }

    /// The digests computed here agree with the `sha2` crate's on one body.
    #[test]
    fn sha256_binding_is_the_base64_of_the_digest() {
        use sha2::Digest;
        let digest: [u8; 32] = sha2::Sha256::digest(b"episode 42").into();
        let checksum = Checksum::sha256(&digest);
        assert_eq!(
            base64::decode_exact::<32>(checksum.as_base64()),
            Some(digest)
        );
    }
}
