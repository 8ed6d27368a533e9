//! The one error type of the crate, the field each error is about, and whose fault it is.

use core::fmt;

/// Why an input was refused.
///
/// Every variant names the field at fault (a [`Field`], matchable) and its message says what
/// is allowed, so a log line is enough to fix the call. Nothing here ever holds a secret: for
/// the secret access key and the session token an error carries the length or the offending
/// position, never a byte of the value.
///
/// [`Error::kind`] tells a service whether its user's request was at fault (answer 400) or
/// its own set-up (answer 500), without listing variants.
///
/// ```
/// use presign::{Error, ErrorKind, GetTtl};
///
/// let err = GetTtl::from_secs(0).unwrap_err();
/// assert!(matches!(err, Error::TtlOutOfRange { secs: 0, .. }));
/// assert_eq!(err.kind(), ErrorKind::Request);
/// assert_eq!(err.to_string(), "presign lifetime is 0 s; SigV4 allows 1 ..= 604800 s (7 days)");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// A required text field is empty.
    Empty {
        /// The field.
        field: Field,
    },
    /// A text field is longer than the protocol or this crate allows.
    TooLong {
        /// The field.
        field: Field,
        /// Its length in bytes.
        len: usize,
        /// The largest length accepted.
        max: usize,
    },
    /// A text field holds a byte its grammar does not allow.
    InvalidCharacter {
        /// The field.
        field: Field,
        /// The offending byte; `None` for a secret field ([`Field::is_secret`]), whose bytes
        /// are never repeated.
        byte: Option<u8>,
        /// Its offset in the field.
        index: usize,
        /// What the field accepts.
        allowed: &'static str,
    },
    /// The bucket name breaks the S3 bucket naming rules.
    #[non_exhaustive]
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
    #[non_exhaustive]
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
    /// The endpoint URL, host or account id cannot make a working URL.
    #[non_exhaustive]
    InvalidEndpoint {
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The signing time is outside the years 0000 ..= 9999 that `X-Amz-Date` can express, or
    /// the expiry would be.
    SigningTimeOutOfRange,
    /// The temporary credentials expired at or before the signing time.
    CredentialsExpired,
    /// An extra query parameter uses a name that the signer itself sets.
    ReservedQueryParameter {
        /// The signer's own spelling of the parameter (the caller's may differ in case:
        /// names are compared without regard to ASCII case).
        name: &'static str,
    },
    /// An extra signed header uses a name the signer sets itself (`host`) or that must be
    /// given another way (`content-type` on a request with a
    /// [`ContentType`](crate::ContentType)).
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
    /// [`Presigner::max_url_len`](crate::Presigner::max_url_len) gives a size that always
    /// fits.
    #[non_exhaustive]
    BufferTooSmall {
        /// The buffer length.
        capacity: usize,
    },
    /// The caller's `core::fmt::Write` returned an error (the [`sigv4`](crate::sigv4)
    /// writers); nothing about the input was wrong.
    WriteFailed,
    /// More extra query parameters or headers than the no-allocation core can sort, or
    /// more path segments than it can normalise.
    TooManyParameters {
        /// The most accepted without the `alloc` feature.
        max: usize,
    },
    /// A payload hash that is not 64 lowercase hex digits.
    InvalidPayloadHash,
    /// A number outside what the protocol accepts (a part number, `max-parts`).
    NumberOutOfRange {
        /// The field.
        field: Field,
        /// The number given.
        value: u64,
        /// The smallest accepted.
        min: u64,
        /// The largest accepted.
        max: u64,
    },
    /// A digest given as text that is not canonical base64 of the algorithm's length.
    InvalidDigest {
        /// The field ([`Field::ContentMd5`] or [`Field::Checksum`]).
        field: Field,
        /// The digest's length in bytes.
        expected_len: usize,
    },
}

/// The input an [`Error`] is about.
///
/// ```
/// use presign::{Credentials, Error, Field};
/// let err = Credentials::new("", "secret").unwrap_err();
/// assert_eq!(err, Error::Empty { field: Field::AccessKeyId });
/// assert_eq!(Field::ObjectKey.to_string(), "object key");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Field {
    /// The access key id of the credentials.
    AccessKeyId,
    /// The secret access key (a secret: its bytes never appear in an error).
    SecretAccessKey,
    /// The session token of temporary credentials (a secret, like the key).
    SessionToken,
    /// The region of the credential scope.
    Region,
    /// The service of the credential scope.
    Service,
    /// The bucket name.
    BucketName,
    /// The object key.
    ObjectKey,
    /// The content type a request is bound to.
    ContentType,
    /// The name of an extra signed header.
    HeaderName,
    /// The value of an extra signed header.
    HeaderValue,
    /// The name of an extra query parameter.
    QueryParameterName,
    /// The HTTP method ([`sigv4`](crate::sigv4) takes it as text).
    Method,
    /// A multipart upload's id.
    UploadId,
    /// A part number of a multipart upload.
    PartNumber,
    /// The `max-parts` of a part listing.
    MaxParts,
    /// A bound `Content-MD5`.
    ContentMd5,
    /// A bound `x-amz-checksum-*` digest.
    Checksum(crate::checksum_algorithm::ChecksumAlgorithm),
}

impl Field {
    /// The field's name as error messages write it.
    ///
    /// ```
    /// assert_eq!(presign::Field::SecretAccessKey.as_str(), "secret access key");
    /// ```
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::AccessKeyId => "access key id",
            Self::SecretAccessKey => "secret access key",
            Self::SessionToken => "session token",
            Self::Region => "region",
            Self::Service => "service",
            Self::BucketName => "bucket name",
            Self::ObjectKey => "object key",
            Self::ContentType => "content type",
            Self::HeaderName => "header name",
            Self::HeaderValue => "header value",
            Self::QueryParameterName => "query parameter name",
            Self::Method => "method",
            Self::UploadId => "upload id",
            Self::PartNumber => "part number",
            Self::MaxParts => "max-parts",
            Self::ContentMd5 => "content-md5",
            Self::Checksum(algorithm) => algorithm.header_name(),
        }
    }

    /// Whether the field holds a secret, whose bytes an error never repeats.
    ///
    /// ```
    /// assert!(presign::Field::SessionToken.is_secret());
    /// assert!(!presign::Field::AccessKeyId.is_secret());
    /// ```
    #[must_use]
    pub const fn is_secret(self) -> bool {
        matches!(self, Self::SecretAccessKey | Self::SessionToken)
    }

    /// Whose input the field is: the signer's set-up (credentials, scope) or the request.
    ///
    /// ```
    /// use presign::{ErrorKind, Field};
    /// assert_eq!(Field::Region.kind(), ErrorKind::Configuration);
    /// assert_eq!(Field::ObjectKey.kind(), ErrorKind::Request);
    /// ```
    #[must_use]
    pub const fn kind(self) -> ErrorKind {
        match self {
            Self::AccessKeyId
            | Self::SecretAccessKey
            | Self::SessionToken
            | Self::Region
            | Self::Service => ErrorKind::Configuration,
            Self::BucketName
            | Self::ObjectKey
            | Self::ContentType
            | Self::HeaderName
            | Self::HeaderValue
            | Self::QueryParameterName
            | Self::Method
            | Self::UploadId
            | Self::PartNumber
            | Self::MaxParts
            | Self::ContentMd5
            | Self::Checksum(_) => ErrorKind::Request,
        }
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whose fault an [`Error`] is, for a service deciding what to answer.
///
/// ```
/// use presign::{Credentials, ErrorKind};
/// let err = Credentials::new("AKID", "secret\n").unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::Configuration); // answer 500, fix the deployment
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The request's inputs: bucket, key, content type, lifetime, extra query parameters and
    /// headers, method. When they come from a service's user, answer 400 with the message.
    Request,
    /// The signer's set-up: credentials (expired ones included), endpoint, region, service,
    /// or a signing time outside what SigV4 can express. Answer 500 and fix the deployment.
    Configuration,
    /// The output: a caller's buffer too small or a writer that failed. A bug in the caller.
    Output,
}

impl Error {
    /// Whose fault the error is.
    ///
    /// ```
    /// use presign::{ContentType, ErrorKind};
    /// assert_eq!(ContentType::new("video").unwrap_err().kind(), ErrorKind::Request);
    /// ```
    #[must_use]
    pub const fn kind(&self) -> ErrorKind {
        match self {
            Self::Empty { field }
            | Self::TooLong { field, .. }
            | Self::InvalidCharacter { field, .. }
            | Self::NumberOutOfRange { field, .. }
            | Self::InvalidDigest { field, .. } => field.kind(),
            Self::InvalidBucketName { .. }
            | Self::BucketNotVirtualHostable
            | Self::DotSegmentInKey
            | Self::InvalidContentType { .. }
            | Self::TtlOutOfRange { .. }
            | Self::TtlNotWholeSeconds
            | Self::ReservedQueryParameter { .. }
            | Self::ReservedHeader { .. }
            | Self::UnsignableHeader { .. }
            | Self::TooManyParameters { .. }
            | Self::InvalidPayloadHash => ErrorKind::Request,
            Self::InvalidEndpoint { .. }
            | Self::SigningTimeOutOfRange
            | Self::CredentialsExpired => ErrorKind::Configuration,
            Self::BufferTooSmall { .. } | Self::WriteFailed => ErrorKind::Output,
        }
    }

    /// The message of a variant without fields worth formatting.
    fn fixed_message(&self) -> Option<&'static str> {
        Some(match self {
            Self::BucketNotVirtualHostable => {
                "bucket name contains '.', which breaks TLS for a virtual-hosted URL; \
                 use AddressingStyle::Path or a bucket name without dots"
            }
            Self::DotSegmentInKey => {
                "object key has a '.' or '..' path segment, which HTTP clients rewrite \
                 (the URL would always get 403); rename the key"
            }
            Self::TtlNotWholeSeconds => {
                "presign lifetime has a fractional second; X-Amz-Expires counts whole seconds"
            }
            Self::SigningTimeOutOfRange => {
                "signing time or expiry is outside years 0000 ..= 9999 that X-Amz-Date can \
                 express; pass a time in that range"
            }
            Self::CredentialsExpired => {
                "temporary credentials expired at or before the signing time; refresh them"
            }
            Self::WriteFailed => {
                "the output writer returned an error; nothing was wrong with the input"
            }
            Self::InvalidPayloadHash => {
                "payload hash is not 64 lowercase hex digits; pass a SHA-256 in hex"
            }
            _ => return None,
        })
    }
}

impl Error {
    /// The message of a variant about one field's value.
    fn fmt_field(&self, f: &mut fmt::Formatter<'_>) -> Option<fmt::Result> {
        Some(match self {
            Self::Empty { field } => write!(f, "{field} is empty; give a non-empty value"),
            Self::TooLong { field, len, max } => {
                write!(f, "{field} is {len} bytes; at most {max} are allowed")
            }
            Self::InvalidCharacter {
                field,
                byte: Some(byte),
                index,
                allowed,
            } => write!(
                f,
                "{field} has byte 0x{byte:02x} at offset {index}; allowed: {allowed}"
            ),
            Self::InvalidCharacter {
                field,
                byte: None,
                index,
                allowed,
            } => write!(
                f,
                "{field} has a disallowed byte at offset {index}; allowed: {allowed}"
            ),
            Self::NumberOutOfRange {
                field,
                value,
                min,
                max,
            } => write!(f, "{field} is {value}; S3 allows {min} ..= {max}"),
            Self::InvalidDigest {
                field,
                expected_len,
            } => write!(
                f,
                "{field} is not the padded base64 of a {expected_len}-byte digest; pass the \
                 digest's bytes, or its base64 as S3 prints it"
            ),
            _ => return None,
        })
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(message) = self.fixed_message() {
            return f.write_str(message);
        }
        if let Some(result) = self.fmt_field(f) {
            return result;
        }
        match self {
            Self::InvalidBucketName { reason } => write!(f, "bucket name {reason}"),
            Self::InvalidContentType { reason } => write!(f, "content type {reason}"),
            Self::TtlOutOfRange { secs, min, max } => write!(
                f,
                "presign lifetime is {secs} s; SigV4 allows {min} ..= {max} s (7 days)"
            ),
            Self::InvalidEndpoint { reason } => write!(f, "endpoint {reason}"),
            Self::ReservedQueryParameter { name } => write!(
                f,
                "query parameter {name} is set by the signer; remove it from the extra parameters"
            ),
            Self::ReservedHeader { name } => write!(
                f,
                "header {name} is set by the signer; remove it from the extra headers \
                 (a bound content type is given as a ContentType)"
            ),
            Self::UnsignableHeader { name } => write!(
                f,
                "header {name} is set or rewritten by clients and proxies, so a signed value \
                 would not arrive; remove it from the extra headers"
            ),
            Self::BufferTooSmall { capacity } => write!(
                f,
                "buffer of {capacity} bytes is too short for the URL; size it with \
                 Presigner::max_url_len"
            ),
            Self::TooManyParameters { max } => write!(
                f,
                "more than {max} extra query parameters, headers or normalised path segments; \
                 enable the alloc feature to sign more"
            ),
            _ => unreachable!("every other variant has a fixed or a field message"),
        }
    }
}

impl core::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every message is lower case at its start, has no trailing period, and names what to do.
    #[test]
    fn messages_follow_the_house_style() {
        let all = [
            Error::Empty {
                field: Field::ObjectKey,
            },
            Error::TooLong {
                field: Field::ObjectKey,
                len: 1025,
                max: 1024,
            },
            Error::InvalidCharacter {
                field: Field::SecretAccessKey,
                byte: None,
                index: 3,
                allowed: "visible ASCII",
            },
            Error::InvalidBucketName { reason: "is bad" },
            Error::BucketNotVirtualHostable,
            Error::DotSegmentInKey,
            Error::InvalidContentType { reason: "is bad" },
            Error::TtlOutOfRange {
                secs: 0,
                min: 1,
                max: 604_800,
            },
            Error::TtlNotWholeSeconds,
            Error::InvalidEndpoint { reason: "is bad" },
            Error::SigningTimeOutOfRange,
            Error::CredentialsExpired,
            Error::ReservedQueryParameter { name: "X-Amz-Date" },
            Error::ReservedHeader { name: "host" },
            Error::UnsignableHeader { name: "user-agent" },
            Error::BufferTooSmall { capacity: 16 },
            Error::WriteFailed,
            Error::TooManyParameters { max: 32 },
            Error::InvalidPayloadHash,
            Error::NumberOutOfRange {
                field: Field::PartNumber,
                value: 0,
                min: 1,
                max: 10_000,
            },
            Error::InvalidDigest {
                field: Field::ContentMd5,
                expected_len: 16,
            },
        ];
        for err in all {
            let text = alloc::string::ToString::to_string(&err);
            let first = text.chars().next().expect("messages are not empty");
            assert!(!first.is_uppercase(), "{text}");
            assert!(!text.ends_with('.'), "{text}");
        }
    }

    /// A secret's byte is never in the message, only its offset.
    #[test]
    fn secret_bytes_are_not_shown() {
        let err = Error::InvalidCharacter {
            field: Field::SecretAccessKey,
            byte: None,
            index: 7,
            allowed: "visible ASCII",
        };
        let text = alloc::string::ToString::to_string(&err);
        assert!(!text.contains("0x"), "{text}");
        assert!(text.contains("offset 7"), "{text}");
    }
}
