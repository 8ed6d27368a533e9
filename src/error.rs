//! The one error type of the crate.

use core::fmt;

/// Why an input was refused.
///
/// Every variant names the field at fault and its message says what is allowed, so a log line
/// is enough to fix the call. Nothing here ever holds a secret: the secret access key and the
/// session token are never echoed, only their length or the offending position.
///
/// ```
/// use presign::{Error, GetTtl};
///
/// let err = GetTtl::from_secs(0).unwrap_err();
/// assert!(matches!(err, Error::TtlOutOfRange { secs: 0, .. }));
/// assert_eq!(err.to_string(), "presign lifetime is 0 s; SigV4 allows 1 ..= 604800 s (7 days)");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// A required text field is empty.
    Empty {
        /// The field, e.g. `"object key"`.
        field: &'static str,
    },
    /// A text field is longer than the protocol or this crate allows.
    TooLong {
        /// The field, e.g. `"object key"`.
        field: &'static str,
        /// Its length in bytes.
        len: usize,
        /// The largest length accepted.
        max: usize,
    },
    /// A text field holds a byte its grammar does not allow.
    InvalidCharacter {
        /// The field, e.g. `"region"`.
        field: &'static str,
        /// The offending byte (for a secret field, this is still only the one byte).
        byte: u8,
        /// Its offset in the field.
        index: usize,
        /// What the field accepts.
        allowed: &'static str,
    },
    /// The bucket name breaks the S3 bucket naming rules.
    InvalidBucketName {
        /// Which rule it breaks.
        reason: &'static str,
    },
    /// The bucket name contains `.`, which a virtual-hosted HTTPS URL cannot carry: the TLS
    /// wildcard certificate `*.s3.<region>.amazonaws.com` covers one label only.
    BucketNotVirtualHostable,
    /// The object key has a `.` or `..` segment. HTTP clients and browsers remove those from
    /// the path before sending it, so the signed path and the sent path would differ and the
    /// URL would always be refused with 403.
    DotSegmentInKey,
    /// The content type is not a valid media type usable as a header value.
    InvalidContentType {
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A presign lifetime outside 1 second ..= 7 days.
    TtlOutOfRange {
        /// The requested lifetime in whole seconds (saturated).
        secs: u64,
        /// The smallest accepted lifetime.
        min: u64,
        /// The largest accepted lifetime.
        max: u64,
    },
    /// A presign lifetime with a fractional second; `X-Amz-Expires` counts whole seconds.
    TtlNotWholeSeconds,
    /// The endpoint URL, host, account id or region cannot make a working URL.
    InvalidEndpoint {
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The signing time is outside the years 0000 ..= 9999 that `X-Amz-Date` can express, or
    /// the expiry would overflow the calendar.
    SigningTimeOutOfRange,
    /// The temporary credentials expired at or before the signing time.
    CredentialsExpired,
    /// An extra query parameter uses a name that the signer itself sets.
    ReservedQueryParameter {
        /// The parameter name as given.
        name: &'static str,
    },
    /// An extra signed header uses a name the signer sets itself (`host`) or that must be
    /// given another way (`content-type` on a PUT with a [`ContentType`](crate::ContentType)).
    ReservedHeader {
        /// The header name, in lower case.
        name: &'static str,
    },
    /// An extra header that clients or proxies set themselves (`user-agent`, `connection`,
    /// `authorization`, …): signed, it would make the URL fail with 403.
    UnsignableHeader {
        /// The header name, in lower case.
        name: &'static str,
    },
    /// The caller-provided buffer cannot hold the URL.
    BufferTooSmall {
        /// The buffer length.
        capacity: usize,
    },
    /// More extra query parameters or headers than the no-allocation core can sort, or
    /// more path segments than it can normalise.
    TooManyParameters {
        /// The most accepted without the `alloc` feature.
        max: usize,
    },
    /// A payload hash that is not 64 lowercase hex digits.
    InvalidPayloadHash,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty { field } => write!(f, "{field} is empty; give a non-empty value"),
            Self::TooLong { field, len, max } => {
                write!(f, "{field} is {len} bytes; at most {max} are allowed")
            }
            Self::InvalidCharacter {
                field,
                byte,
                index,
                allowed,
            } => write!(
                f,
                "{field} has byte 0x{byte:02x} at offset {index}; allowed: {allowed}"
            ),
            Self::InvalidBucketName { reason } => write!(f, "bucket name {reason}"),
            Self::BucketNotVirtualHostable => f.write_str(
                "bucket name contains '.', which breaks TLS for a virtual-hosted URL; \
                 use AddressingStyle::Path or a bucket name without dots",
            ),
            Self::DotSegmentInKey => f.write_str(
                "object key has a '.' or '..' path segment, which HTTP clients rewrite \
                 (the URL would always get 403); rename the key",
            ),
            Self::InvalidContentType { reason } => write!(f, "content type {reason}"),
            Self::TtlOutOfRange { secs, min, max } => write!(
                f,
                "presign lifetime is {secs} s; SigV4 allows {min} ..= {max} s (7 days)"
            ),
            Self::TtlNotWholeSeconds => f.write_str(
                "presign lifetime has a fractional second; X-Amz-Expires counts whole seconds",
            ),
            Self::InvalidEndpoint { reason } => write!(f, "endpoint {reason}"),
            Self::SigningTimeOutOfRange => f.write_str(
                "signing time is outside years 0000 ..= 9999 that X-Amz-Date can express; \
                 pass a time in that range",
            ),
            Self::CredentialsExpired => f.write_str(
                "temporary credentials expired at or before the signing time; refresh them",
            ),
            Self::ReservedQueryParameter { name } => write!(
                f,
                "query parameter {name} is set by the signer; remove it from the extra parameters"
            ),
            Self::ReservedHeader { name } => write!(
                f,
                "header {name} is set by the signer; remove it from the extra headers \
                 (a PUT takes its content type as a ContentType argument)"
            ),
            Self::UnsignableHeader { name } => write!(
                f,
                "header {name} is set or rewritten by clients and proxies, so a signed value \
                 would not arrive; remove it from the extra headers"
            ),
            Self::BufferTooSmall { capacity } => write!(
                f,
                "URL does not fit the {capacity}-byte buffer; pass a larger buffer"
            ),
            Self::TooManyParameters { max } => write!(
                f,
                "more than {max} extra query parameters, headers or normalised path segments; \
                 enable the alloc feature to sign more"
            ),
            Self::InvalidPayloadHash => {
                f.write_str("payload hash is not 64 lowercase hex digits; pass a SHA-256 in hex")
            }
        }
    }
}

impl core::error::Error for Error {}
