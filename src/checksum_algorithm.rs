//! The checksum algorithms S3 verifies on upload, named apart from the digests so errors can
//! name them too.

/// The checksum algorithms S3 verifies on upload (`x-amz-checksum-<algorithm>`).
///
/// ```
/// assert_eq!(presign::ChecksumAlgorithm::Sha256.header_name(), "x-amz-checksum-sha256");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ChecksumAlgorithm {
    /// CRC-32 (4 bytes).
    Crc32,
    /// CRC-32C, Castagnoli (4 bytes).
    Crc32c,
    /// CRC-64/NVME (8 bytes).
    Crc64Nvme,
    /// SHA-1 (20 bytes).
    Sha1,
    /// SHA-256 (32 bytes).
    Sha256,
}

impl ChecksumAlgorithm {
    /// Every algorithm.
    ///
    /// ```
    /// assert_eq!(presign::ChecksumAlgorithm::ALL.len(), 5);
    /// ```
    pub const ALL: [Self; 5] = [
        Self::Crc32,
        Self::Crc32c,
        Self::Crc64Nvme,
        Self::Sha1,
        Self::Sha256,
    ];

    /// The header that carries the digest.
    ///
    /// ```
    /// assert_eq!(presign::ChecksumAlgorithm::Crc64Nvme.header_name(), "x-amz-checksum-crc64nvme");
    /// ```
    #[must_use]
    pub const fn header_name(self) -> &'static str {
        match self {
            Self::Crc32 => "x-amz-checksum-crc32",
            Self::Crc32c => "x-amz-checksum-crc32c",
            Self::Crc64Nvme => "x-amz-checksum-crc64nvme",
            Self::Sha1 => "x-amz-checksum-sha1",
            Self::Sha256 => "x-amz-checksum-sha256",
        }
    }

    /// The digest's length in bytes.
    ///
    /// ```
    /// assert_eq!(presign::ChecksumAlgorithm::Sha1.digest_len(), 20);
    /// ```
    #[must_use]
    pub const fn digest_len(self) -> usize {
        match self {
            Self::Crc32 | Self::Crc32c => 4,
            Self::Crc64Nvme => 8,
            Self::Sha1 => 20,
            Self::Sha256 => 32,
        }
    }

    /// The lower-case name (`sha256`), as the CLI's `--checksum-<name>` writes it.
    ///
    /// ```
    /// assert_eq!(presign::ChecksumAlgorithm::Crc32c.name(), "crc32c");
    /// ```
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Crc32 => "crc32",
            Self::Crc32c => "crc32c",
            Self::Crc64Nvme => "crc64nvme",
            Self::Sha1 => "sha1",
            Self::Sha256 => "sha256",
        }
    }
}
