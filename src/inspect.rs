//! Reading a presigned URL back without the secret: who signed it, for which scope, when, for
//! how long, and which headers the request has to carry.
//!
//! [`PresignedUrl::parse`] borrows the URL and never allocates: every text it reports is a
//! slice of the input, and the percent-encoded values are handed out as [`Encoded`], which
//! decodes on the fly (as bytes, for comparison, or as text through `Display`). So it works
//! without the `alloc` feature, e.g. in a proxy or an embedded gateway that wants to refuse an
//! expired upload URL before forwarding it.
//!
//! It checks the form of the seven SigV4 query parameters: each present (the token is
//! optional) and at most once, well-formed, and consistent with the others (the scope date is
//! the day of the signing time). It does not check the signature, which needs the secret, nor
//! the clock, which is the caller's to give ([`PresignedUrl::is_expired`]).
//!
//! # Decisions
//!
//! - **Parameter names are case-sensitive.** `X-Amz-Date` is recognised, `x-amz-date` is an
//!   ordinary parameter (and listed by [`PresignedUrl::extra_params`]). This is how servers
//!   read them: MinIO looks the names up in Go's case-sensitive `url.Values` map, and signers
//!   that sent lower-case names got their URLs refused by S3 (LiveUI/S3 pull request 28). A
//!   name is compared after percent-decoding, as those servers decode it, so
//!   `X-Amz-Dat%65` is `X-Amz-Date` (and counts as a repeat if both are given).
//! - **Expiry is a half-open interval.** The URL is valid for `signed_at() <= t <
//!   expires_at()`; at `expires_at()` itself [`PresignedUrl::is_expired`] is `true`. MinIO
//!   still accepts a request at that exact instant (it refuses when *more* than
//!   `X-Amz-Expires` seconds have passed); answering "expired" one instant early is the side
//!   that never promises a working URL that a server refuses.
//! - **Decoding is lazy.** Only `%XX` escapes are decoded, as RFC 3986 reads them; `+` stays
//!   `+` (HTML-form decoding would make it a space, but SigV4 signers write `+` as `%2B` and
//!   space as `%20`, so no signer's URL depends on the difference). Every `X-Amz-*` value must
//!   have well-formed escapes (`%` then two hex digits) or parsing fails; the values of other
//!   parameters are not inspected.

use core::fmt;
use core::iter::FusedIterator;

use time::{Date, Duration, OffsetDateTime};

use crate::Ttl;
use crate::amz_date::{AmzDate, LAST_UNIX, instant};
use crate::scope::{ALGORITHM, TERMINATOR};

/// The longest lifetime SigV4 accepts for a presigned URL: 7 days, in seconds.
pub(crate) const MAX_EXPIRES_SECS: u64 = Ttl::MAX.as_secs() as u64;

/// One of the seven query parameters of SigV4 query authentication, the way an
/// [`InspectError`] names the one at fault.
///
/// ```
/// use presign::AuthParam;
///
/// assert_eq!(AuthParam::Credential.name(), "X-Amz-Credential");
/// assert_eq!(AuthParam::from_name("X-Amz-Date"), Some(AuthParam::Date));
/// assert_eq!(AuthParam::from_name("x-amz-date"), None); // names are case-sensitive
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AuthParam {
    /// `X-Amz-Algorithm`: `AWS4-HMAC-SHA256`.
    Algorithm,
    /// `X-Amz-Credential`: `access key id/YYYYMMDD/region/service/aws4_request`.
    Credential,
    /// `X-Amz-Date`: the signing time, `YYYYMMDDTHHMMSSZ`.
    Date,
    /// `X-Amz-Expires`: the lifetime in seconds, 1 ..= 604800.
    Expires,
    /// `X-Amz-SignedHeaders`: the `;`-separated names of the headers the request must carry.
    SignedHeaders,
    /// `X-Amz-Signature`: 64 lower-case hex digits.
    Signature,
    /// `X-Amz-Security-Token`: the session token of temporary credentials (optional).
    SecurityToken,
}

impl AuthParam {
    /// All seven, in the order a signer usually writes them.
    ///
    /// ```
    /// assert_eq!(presign::AuthParam::ALL.len(), 7);
    /// ```
    pub const ALL: [Self; 7] = [
        Self::Algorithm,
        Self::Credential,
        Self::Date,
        Self::Expires,
        Self::SignedHeaders,
        Self::Signature,
        Self::SecurityToken,
    ];

    /// The query parameter name, spelled as S3 expects it.
    ///
    /// ```
    /// assert_eq!(presign::AuthParam::SecurityToken.name(), "X-Amz-Security-Token");
    /// ```
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Algorithm => "X-Amz-Algorithm",
            Self::Credential => "X-Amz-Credential",
            Self::Date => "X-Amz-Date",
            Self::Expires => "X-Amz-Expires",
            Self::SignedHeaders => "X-Amz-SignedHeaders",
            Self::Signature => "X-Amz-Signature",
            Self::SecurityToken => "X-Amz-Security-Token",
        }
    }

    /// The parameter called exactly `name` (case-sensitive, not percent-decoded).
    ///
    /// ```
    /// use presign::AuthParam;
    ///
    /// assert_eq!(AuthParam::from_name("X-Amz-Signature"), Some(AuthParam::Signature));
    /// assert_eq!(AuthParam::from_name("response-content-type"), None);
    /// ```
    #[must_use]
    #[inline]
    pub fn from_name(name: &str) -> Option<Self> {
        // One prefix test, then a match on the rest (by length, then bytes).
        Some(match name.strip_prefix("X-Amz-")? {
            "Algorithm" => Self::Algorithm,
            "Credential" => Self::Credential,
            "Date" => Self::Date,
            "Expires" => Self::Expires,
            "SignedHeaders" => Self::SignedHeaders,
            "Signature" => Self::Signature,
            "Security-Token" => Self::SecurityToken,
            _ => return None,
        })
    }

    /// The parameter whose name `name` decodes to.
    pub(crate) fn from_encoded(name: Encoded<'_>) -> Option<Self> {
        // Every name starts with `X` (or an escape of it); most other parameters are out
        // after one byte.
        if !name.0.starts_with(['X', '%']) {
            return None;
        }
        // Names are written plainly by every signer: compare them as they are.
        match name.as_plain() {
            Some(plain) => Self::from_name(plain),
            None => Self::ALL.into_iter().find(|p| name.eq_decoded(p.name())),
        }
    }

    /// What a value of this parameter looks like, for error messages.
    const fn expected(self) -> &'static str {
        match self {
            Self::Algorithm => "AWS4-HMAC-SHA256",
            Self::Credential => "access key id/YYYYMMDD/region/service/aws4_request",
            Self::Date => "a UTC time as YYYYMMDDTHHMMSSZ",
            Self::Expires => "a number of seconds within 1 ..= 604800",
            Self::SignedHeaders => "lower-case header names separated by `;`",
            Self::Signature => "64 lower-case hex digits",
            Self::SecurityToken => "the session token of the temporary credentials",
        }
    }
}

impl fmt::Display for AuthParam {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One of the three parts of `X-Amz-Credential` that may hold any text but not none.
///
/// ```
/// assert_eq!(presign::CredentialPart::Region.to_string(), "region");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CredentialPart {
    /// The access key id, the first part.
    AccessKeyId,
    /// The region, the third part (`auto` on R2).
    Region,
    /// The service, the fourth part (`s3`).
    Service,
}

impl fmt::Display for CredentialPart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::AccessKeyId => "access key id",
            Self::Region => "region",
            Self::Service => "service",
        })
    }
}

/// Why a URL is not a well-formed SigV4 presigned URL.
///
/// Parsing stops at the first fault. The URL is checked first (scheme, host, query), then
/// the parameters for presence and repeats, then each value in the order of [`AuthParam`]:
/// algorithm, date, lifetime, credential (whose scope date needs the date), signed headers,
/// signature, session token. No variant holds text from the URL, so none can leak the
/// signature or the token into a log.
///
/// ```
/// use presign::{AuthParam, InspectError, PresignedUrl};
///
/// let err = PresignedUrl::parse("https://h/k?X-Amz-Algorithm=AWS4-HMAC-SHA1").unwrap_err();
/// assert_eq!(err, InspectError::UnsupportedAlgorithm);
/// assert_eq!(err.param(), Some(AuthParam::Algorithm));
/// assert_eq!(
///     err.to_string(),
///     "query parameter X-Amz-Algorithm is not AWS4-HMAC-SHA256, the only algorithm of SigV4 query authentication"
/// );
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum InspectError {
    /// The text does not start with a scheme and `://`: not an absolute URL.
    NoScheme,
    /// Nothing between `://` and the path: not an absolute URL.
    NoHost,
    /// No `?` (before any `#`): the URL carries no query, so no signature.
    NoQuery,
    /// A required parameter is absent (or present only in another letter case).
    Missing {
        /// The parameter.
        param: AuthParam,
    },
    /// A parameter is given more than once; S3 answers `AuthorizationQueryParametersError`.
    Repeated {
        /// The parameter.
        param: AuthParam,
    },
    /// A parameter is present with an empty value.
    Empty {
        /// The parameter.
        param: AuthParam,
    },
    /// A `%` in a parameter's value is not followed by two hex digits.
    InvalidEscape {
        /// The parameter.
        param: AuthParam,
        /// The offset of the `%` in the value as written in the URL.
        index: usize,
    },
    /// `X-Amz-Algorithm` is not `AWS4-HMAC-SHA256` (`SigV4a`'s `AWS4-ECDSA-P256-SHA256` is not
    /// read here).
    UnsupportedAlgorithm,
    /// `X-Amz-Credential` does not have the five `/`-separated parts of a SigV4 scope.
    CredentialParts {
        /// How many parts it has.
        found: usize,
    },
    /// A part of `X-Amz-Credential` that must hold text is empty.
    EmptyCredentialPart {
        /// The part.
        part: CredentialPart,
    },
    /// `X-Amz-Credential` does not end with `aws4_request`.
    CredentialTerminator,
    /// The date in `X-Amz-Credential` is not the UTC day of `X-Amz-Date`. S3 reports this
    /// case by itself ("Invalid credential date. Date is not the same as X-Amz-Date."), so
    /// it has its own variant.
    ScopeDateMismatch,
    /// `X-Amz-Date` is not `YYYYMMDDTHHMMSSZ`, or names no real instant (a 13th month, a
    /// 30th of February, a 60th second).
    InvalidDate,
    /// `X-Amz-Expires` is not made of decimal digits only.
    InvalidExpires,
    /// `X-Amz-Expires` is outside 1 ..= 604800 seconds.
    ExpiresOutOfRange {
        /// The value (saturated at `u64::MAX`).
        secs: u64,
        /// The smallest accepted value.
        min: u64,
        /// The largest accepted value.
        max: u64,
    },
    /// `X-Amz-Date` plus `X-Amz-Expires` is after 9999-12-31T23:59:59Z, which `time`
    /// cannot represent.
    ExpiryBeyondCalendar,
    /// `X-Amz-SignedHeaders` has an empty name or a byte that cannot be in a lower-case
    /// header name.
    InvalidSignedHeaders,
    /// `X-Amz-Signature` is not 64 lower-case hex digits.
    InvalidSignature,
}

impl InspectError {
    /// The query parameter at fault; `None` when the text is not a URL with a query.
    ///
    /// ```
    /// use presign::{AuthParam, InspectError, PresignedUrl};
    ///
    /// let err = PresignedUrl::parse("https://h/k?X-Amz-Algorithm=AWS4-HMAC-SHA256").unwrap_err();
    /// assert_eq!(err, InspectError::Missing { param: AuthParam::Date });
    /// assert_eq!(err.param(), Some(AuthParam::Date));
    /// assert_eq!(PresignedUrl::parse("h/k").unwrap_err().param(), None);
    /// ```
    #[must_use]
    pub fn param(&self) -> Option<AuthParam> {
        match *self {
            Self::NoScheme | Self::NoHost | Self::NoQuery => None,
            Self::Missing { param }
            | Self::Repeated { param }
            | Self::Empty { param }
            | Self::InvalidEscape { param, .. } => Some(param),
            Self::UnsupportedAlgorithm => Some(AuthParam::Algorithm),
            Self::CredentialParts { .. }
            | Self::EmptyCredentialPart { .. }
            | Self::CredentialTerminator
            | Self::ScopeDateMismatch => Some(AuthParam::Credential),
            Self::InvalidDate => Some(AuthParam::Date),
            Self::InvalidExpires | Self::ExpiresOutOfRange { .. } | Self::ExpiryBeyondCalendar => {
                Some(AuthParam::Expires)
            }
            Self::InvalidSignedHeaders => Some(AuthParam::SignedHeaders),
            Self::InvalidSignature => Some(AuthParam::Signature),
        }
    }
}

impl InspectError {
    /// The message of a URL without the shape of a presigned one, or of an authentication
    /// parameter missing, repeated, empty or badly escaped; `None` for the other variants.
    fn fmt_shape(&self, f: &mut fmt::Formatter<'_>) -> Option<fmt::Result> {
        const EXAMPLE: &str = "https://host/key?X-Amz-Algorithm=AWS4-HMAC-SHA256&…";
        Some(match *self {
            Self::NoScheme => write!(
                f,
                "url has no scheme; give an absolute url such as {EXAMPLE}"
            ),
            Self::NoHost => write!(
                f,
                "url has no host after the scheme; give an absolute url such as {EXAMPLE}"
            ),
            Self::NoQuery => f.write_str(
                "url has no query; a presigned url carries its signature in X-Amz-* query parameters",
            ),
            Self::Missing { param } => write!(
                f,
                "query parameter {param} is missing; a presigned url needs it, spelled exactly so (the names are case-sensitive)"
            ),
            Self::Repeated { param } => write!(
                f,
                "query parameter {param} is given more than once; S3 accepts each authentication parameter once"
            ),
            Self::Empty { param } => write!(
                f,
                "query parameter {param} is empty; it must be {}",
                param.expected()
            ),
            Self::InvalidEscape { param, index } => write!(
                f,
                "query parameter {param} has a malformed percent-escape at byte {index}; `%` must be followed by two hex digits"
            ),
            _ => return None,
        })
    }

    /// The message of a parameter (but the credential) whose value SigV4 does not take, or
    /// `None` for the other variants.
    fn fmt_value(&self, f: &mut fmt::Formatter<'_>) -> Option<fmt::Result> {
        Some(match *self {
            Self::UnsupportedAlgorithm => write!(
                f,
                "query parameter {} is not {ALGORITHM}, the only algorithm of SigV4 query authentication",
                AuthParam::Algorithm
            ),
            Self::InvalidDate => write!(
                f,
                "query parameter {} is not a real UTC instant written YYYYMMDDTHHMMSSZ (e.g. 20130524T000000Z)",
                AuthParam::Date
            ),
            Self::InvalidExpires => write!(
                f,
                "query parameter {} is not a number; it must be decimal digits only (seconds)",
                AuthParam::Expires
            ),
            Self::ExpiresOutOfRange { secs, min, max } => write!(
                f,
                "query parameter {} is {secs} s; SigV4 allows {min} ..= {max} s (7 days)",
                AuthParam::Expires
            ),
            Self::ExpiryBeyondCalendar => write!(
                f,
                "query parameters {} and {} put the expiry after 9999-12-31T23:59:59Z; it must fall within four-digit years",
                AuthParam::Date,
                AuthParam::Expires
            ),
            Self::InvalidSignedHeaders => write!(
                f,
                "query parameter {} is not a list of {}",
                AuthParam::SignedHeaders,
                AuthParam::SignedHeaders.expected()
            ),
            Self::InvalidSignature => write!(
                f,
                "query parameter {} is not {}",
                AuthParam::Signature,
                AuthParam::Signature.expected()
            ),
            _ => return None,
        })
    }

    /// The message of a malformed credential scope, or `None` for the other variants.
    fn fmt_credential(&self, f: &mut fmt::Formatter<'_>) -> Option<fmt::Result> {
        Some(match *self {
            Self::CredentialParts { found } => write!(
                f,
                "query parameter {} has {found} `/`-separated parts; it must have 5: {}",
                AuthParam::Credential,
                AuthParam::Credential.expected()
            ),
            Self::EmptyCredentialPart { part } => write!(
                f,
                "query parameter {} has an empty {part}; access key id, region and service must not be empty",
                AuthParam::Credential
            ),
            Self::CredentialTerminator => write!(
                f,
                "query parameter {} does not end with /{TERMINATOR}; every SigV4 scope ends so",
                AuthParam::Credential
            ),
            Self::ScopeDateMismatch => write!(
                f,
                "query parameter {} has a scope date that is not the day of {}; both must name the same UTC day",
                AuthParam::Credential,
                AuthParam::Date
            ),
            // Listed, not `_`: a new variant must be given a message somewhere.
            Self::NoScheme
            | Self::NoHost
            | Self::NoQuery
            | Self::Missing { .. }
            | Self::Repeated { .. }
            | Self::Empty { .. }
            | Self::InvalidEscape { .. }
            | Self::UnsupportedAlgorithm
            | Self::InvalidDate
            | Self::InvalidExpires
            | Self::ExpiresOutOfRange { .. }
            | Self::ExpiryBeyondCalendar
            | Self::InvalidSignedHeaders
            | Self::InvalidSignature => return None,
        })
    }
}

impl fmt::Display for InspectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.fmt_shape(f)
            .or_else(|| self.fmt_value(f))
            .or_else(|| self.fmt_credential(f))
            .expect("every variant has a message in one of the three groups")
    }
}

impl core::error::Error for InspectError {}

/// A percent-encoded text borrowed from a URL, decoded only when asked.
///
/// Well-formed `%XX` escapes (either case of hex digit) stand for one byte; anything else,
/// including `+` and a `%` not followed by two hex digits, stands for itself. Nothing is
/// copied: [`Encoded::bytes`] decodes as it iterates, `Display` decodes as it writes (bytes
/// that are not UTF-8 are shown as U+FFFD, as `String::from_utf8_lossy` does), and
/// [`Encoded::eq_decoded`] compares without decoding into a buffer.
///
/// ```
/// use presign::Encoded;
///
/// let key = Encoded::new("AKID%2Bx");
/// assert_eq!(key.as_encoded(), "AKID%2Bx");
/// assert!(key.eq_decoded("AKID+x"));
/// assert_eq!(key.decoded_len(), 6);
/// assert_eq!(key.to_string(), "AKID+x");
/// ```
#[derive(Clone, Copy)]
pub struct Encoded<'a>(&'a str);

impl<'a> Encoded<'a> {
    /// Wraps `text` as it appears in a URL.
    ///
    /// ```
    /// assert_eq!(presign::Encoded::new("a%20b").to_string(), "a b");
    /// ```
    #[must_use]
    pub const fn new(text: &'a str) -> Self {
        Self(text)
    }

    /// The text as written in the URL, escapes and all.
    ///
    /// ```
    /// assert_eq!(presign::Encoded::new("a%2Fb").as_encoded(), "a%2Fb");
    /// ```
    #[must_use]
    pub const fn as_encoded(&self) -> &'a str {
        self.0
    }

    /// The text itself when it has no `%`, so decoding would not change it; the common case
    /// for access key ids, regions and services, borrowed with no work.
    ///
    /// ```
    /// use presign::Encoded;
    ///
    /// assert_eq!(Encoded::new("auto").as_plain(), Some("auto"));
    /// assert_eq!(Encoded::new("a%2Fb").as_plain(), None);
    /// ```
    #[must_use]
    #[inline]
    pub fn as_plain(&self) -> Option<&'a str> {
        // A fold without an early exit compiles to a vector loop: on the short texts of a
        // URL's parameters it beats a `memchr` call.
        let has_escape = self
            .0
            .bytes()
            .fold(0u8, |found, b| found | u8::from(b == b'%'))
            != 0;
        (!has_escape).then_some(self.0)
    }

    /// The decoded bytes, one at a time.
    ///
    /// ```
    /// let bytes: Vec<u8> = presign::Encoded::new("%E2%82%ACx").bytes().collect();
    /// assert_eq!(bytes, "€x".as_bytes());
    /// ```
    #[must_use]
    pub fn bytes(&self) -> DecodedBytes<'a> {
        DecodedBytes {
            rest: self.0.as_bytes(),
        }
    }

    /// The length in bytes of the decoded text.
    ///
    /// ```
    /// assert_eq!(presign::Encoded::new("content-type%3Bhost").decoded_len(), 17);
    /// ```
    #[must_use]
    pub fn decoded_len(&self) -> usize {
        self.bytes().count()
    }

    /// Whether the text is empty (decoded or not: an escape is never empty).
    ///
    /// ```
    /// assert!(presign::Encoded::new("").is_empty());
    /// ```
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether the decoded text is exactly `other`, byte for byte.
    ///
    /// ```
    /// let scope = presign::Encoded::new("aws4%5Frequest");
    /// assert!(scope.eq_decoded("aws4_request"));
    /// assert!(!scope.eq_decoded("aws4%5Frequest"));
    /// ```
    #[must_use]
    #[inline]
    pub fn eq_decoded(&self, other: &str) -> bool {
        // Without an escape the text is its own decoding: one comparison.
        match self.as_plain() {
            Some(plain) => plain == other,
            None => self.bytes().eq(other.bytes()),
        }
    }

    /// The parts between the bytes that decode to `sep`, which is written plainly or as an
    /// escape (`;` or `%3B`). `sep` is ASCII, so every split falls on a char boundary.
    pub(crate) fn split_decoded(self, sep: u8) -> SplitDecoded<'a> {
        debug_assert!(sep.is_ascii() && sep != b'%');
        SplitDecoded {
            rest: Some(self.0),
            sep,
        }
    }
}

impl fmt::Display for Encoded<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.as_plain() {
            Some(plain) => f.write_str(plain),
            None => write_lossy(self.bytes(), f),
        }
    }
}

/// Two texts are equal when they decode to the same bytes, however they are escaped: what
/// a server compares.
///
/// ```
/// use presign::Encoded;
/// assert_eq!(Encoded::new("a%2Fb"), Encoded::new("a/b"));
/// assert_eq!(Encoded::new("%7e"), Encoded::new("~"));
/// assert_ne!(Encoded::new("a+b"), Encoded::new("a b"));
/// ```
impl PartialEq for Encoded<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0 || self.bytes().eq(other.bytes())
    }
}

impl Eq for Encoded<'_> {}

impl fmt::Debug for Encoded<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Encoded").field(&self.0).finish()
    }
}

/// The decoded bytes of an [`Encoded`] text; see [`Encoded::bytes`].
///
/// ```
/// let mut bytes = presign::Encoded::new("%41%zz").bytes();
/// assert_eq!(bytes.next(), Some(b'A'));
/// assert_eq!(bytes.next(), Some(b'%')); // not an escape: stands for itself
/// assert_eq!(bytes.collect::<Vec<_>>(), b"zz");
/// ```
#[derive(Clone, Debug)]
pub struct DecodedBytes<'a> {
    rest: &'a [u8],
}

impl Iterator for DecodedBytes<'_> {
    type Item = u8;

    fn next(&mut self) -> Option<u8> {
        let (byte, width) = decode_at(self.rest)?;
        self.rest = self.rest.get(width..)?;
        Some(byte)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.rest.len().div_ceil(3), Some(self.rest.len()))
    }
}

impl FusedIterator for DecodedBytes<'_> {}

/// The value of one hex digit, either case.
#[inline]
fn hex_digit(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// The byte that `text` starts with, decoded, and how many bytes of `text` it takes.
#[inline]
pub(crate) fn decode_at(text: &[u8]) -> Option<(u8, usize)> {
    match text {
        [] => None,
        [b'%', high, low, ..] => match (hex_digit(*high), hex_digit(*low)) {
            (Some(high), Some(low)) => Some((high << 4 | low, 3)),
            _ => Some((b'%', 1)),
        },
        [byte, ..] => Some((*byte, 1)),
    }
}

/// The offset of the first byte of `bytes` equal to `a` or `b`.
///
/// Eight bytes at a time (SWAR): a byte equal to the needle is a zero byte of `word ^
/// needle`, and `(x - 0x01…) & !x & 0x80…` marks the first zero byte of `x` exactly (a
/// borrow can only mark bytes above it). On the 20- to 100-byte pairs of a URL's query this
/// beats both a byte loop and a `memchr` call.
#[inline]
pub(crate) fn find_either(bytes: &[u8], a: u8, b: u8) -> Option<usize> {
    find_any(bytes, [a, b])
}

/// The offset of the first byte of `bytes` that is one of `needles`, found as
/// [`find_either`] finds one of two.
#[inline]
pub(crate) fn find_any<const N: usize>(bytes: &[u8], needles: [u8; N]) -> Option<usize> {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let zero_byte = |x: u64| x.wrapping_sub(LO) & !x & HI;
    let patterns = needles.map(|needle| LO * u64::from(needle));
    let (chunks, rest) = bytes.as_chunks::<8>();
    for (i, chunk) in chunks.iter().enumerate() {
        let word = u64::from_le_bytes(*chunk);
        let found = patterns
            .iter()
            .fold(0, |found, pattern| found | zero_byte(word ^ pattern));
        if found != 0 {
            return Some(8 * i + (found.trailing_zeros() / 8) as usize);
        }
    }
    rest.iter()
        .position(|x| needles.contains(x))
        .map(|at| 8 * chunks.len() + at)
}

/// The offset of the first `%` in `text` that does not start a `%XX` escape.
pub(crate) fn first_bad_escape(text: &str) -> Option<usize> {
    // Jump from `%` to `%` (a `memchr`): the hex digits of a good escape hold none.
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(at) = bytes
        .get(i..)
        .and_then(|rest| find_either(rest, b'%', b'%'))
        .map(|at| i + at)
    {
        match bytes.get(at..).and_then(decode_at) {
            Some((b'%', 1)) => return Some(at),
            _ => i = at + 3,
        }
    }
    None
}

/// Writes `bytes` as UTF-8 text, each maximal invalid subsequence as one U+FFFD: the
/// substitution the Unicode standard recommends (chapter 3, "U+FFFD Substitution of Maximal
/// Subparts") and `String::from_utf8_lossy` performs, done on a stream with a 4-byte window.
fn write_lossy(bytes: DecodedBytes<'_>, out: &mut dyn fmt::Write) -> fmt::Result {
    let mut seq = [0u8; 4];
    let mut have = 0; // bytes of the current multi-byte sequence seen so far
    let mut need = 0; // its full length
    for b in bytes {
        if have > 0 {
            // The second byte's range depends on the lead (no overlong forms, no surrogates,
            // nothing above U+10FFFF); later ones are any continuation byte (Table 3-7).
            let (lo, hi) = if have == 1 {
                second_byte_range(seq[0])
            } else {
                (0x80, 0xBF)
            };
            if (lo..=hi).contains(&b) {
                if let Some(slot) = seq.get_mut(have) {
                    *slot = b;
                }
                have += 1;
                if have == need {
                    let complete = seq.get(..need).unwrap_or_default();
                    if let Ok(text) = core::str::from_utf8(complete) {
                        out.write_str(text)?;
                    } else {
                        debug_assert!(false, "the ranges of Table 3-7 admit only valid UTF-8");
                        out.write_char(char::REPLACEMENT_CHARACTER)?;
                    }
                    have = 0;
                }
                continue;
            }
            // The sequence so far is a maximal subpart: one U+FFFD, then `b` starts afresh.
            out.write_char(char::REPLACEMENT_CHARACTER)?;
            have = 0;
        }
        match utf8_len(b) {
            1 => out.write_char(char::from(b))?,
            0 => out.write_char(char::REPLACEMENT_CHARACTER)?,
            len => {
                seq[0] = b;
                have = 1;
                need = len;
            }
        }
    }
    if have > 0 {
        out.write_char(char::REPLACEMENT_CHARACTER)?;
    }
    Ok(())
}

/// The length of the UTF-8 sequence a lead byte starts; 0 for a byte that cannot lead.
fn utf8_len(lead: u8) -> usize {
    match lead {
        0x00..=0x7F => 1,
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => 0,
    }
}

/// The bytes allowed second after `lead` (Unicode, Table 3-7).
fn second_byte_range(lead: u8) -> (u8, u8) {
    match lead {
        0xE0 => (0xA0, 0xBF),
        0xED => (0x80, 0x9F),
        0xF0 => (0x90, 0xBF),
        0xF4 => (0x80, 0x8F),
        _ => (0x80, 0xBF),
    }
}

/// The parts of an [`Encoded`] between separators; see [`Encoded::split_decoded`].
pub(crate) struct SplitDecoded<'a> {
    /// What is left to split; `None` once the last part is out.
    rest: Option<&'a str>,
    sep: u8,
}

impl<'a> Iterator for SplitDecoded<'a> {
    type Item = Encoded<'a>;

    #[inline]
    fn next(&mut self) -> Option<Encoded<'a>> {
        let text = self.rest?;
        let bytes = text.as_bytes();
        let mut i = 0;
        // Only a plain separator or a `%` can end a part: jump between those.
        let sep = self.sep;
        while let Some(at) = bytes
            .get(i..)
            .and_then(|rest| find_either(rest, sep, b'%'))
            .map(|at| i + at)
        {
            let Some((byte, width)) = bytes.get(at..).and_then(decode_at) else {
                break;
            };
            if byte == self.sep {
                // `at` is at `sep` or at a `%`, both ASCII: a char boundary, as is
                // `at + width` after them, so neither split can fail.
                let (part, after) = text.split_at(at);
                self.rest = after.get(width..);
                return Some(Encoded(part));
            }
            i = at + width;
        }
        self.rest = None;
        Some(Encoded(text))
    }
}

impl FusedIterator for SplitDecoded<'_> {}

/// The `name=value` pairs of a query; a pair without `=` has an empty value, and empty
/// pairs (`&&`) are skipped.
pub(crate) fn query_params(query: &str) -> impl Iterator<Item = (Encoded<'_>, Encoded<'_>)> {
    let mut rest = query;
    core::iter::from_fn(move || {
        loop {
            if rest.is_empty() {
                return None;
            }
            let bytes = rest.as_bytes();
            let end = find_either(bytes, b'&', b'&').unwrap_or(bytes.len());
            let eq = bytes
                .get(..end)
                .and_then(|pair| find_either(pair, b'=', b'='));
            // `&` and `=` are ASCII: every split below falls on a char boundary.
            let (pair, after) = rest.split_at(end);
            rest = after.get(1..).unwrap_or_default();
            if pair.is_empty() {
                continue;
            }
            return Some(match eq {
                Some(at) => (
                    Encoded(pair.get(..at).unwrap_or_default()),
                    Encoded(pair.get(at + 1..).unwrap_or_default()),
                ),
                None => (Encoded(pair), Encoded("")),
            });
        }
    })
}

/// The values of the authentication parameters found in a query, gathered by one pass over
/// it: [`Found::scan`] here, or the verifier's canonical-query pass, which reads every
/// parameter anyway.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Found<'a> {
    algorithm: Option<Encoded<'a>>,
    credential: Option<Encoded<'a>>,
    date: Option<Encoded<'a>>,
    expires: Option<Encoded<'a>>,
    signed_headers: Option<Encoded<'a>>,
    signature: Option<Encoded<'a>>,
    security_token: Option<Encoded<'a>>,
    /// The first parameter given a second time, in query order.
    repeated: Option<AuthParam>,
    /// Every escape of the query is known to be well-formed (the verifier checked the
    /// whole query first), so the values need no second look.
    escapes_checked: bool,
}

impl<'a> Found<'a> {
    /// One pass over the query.
    pub(crate) fn scan(query: &'a str) -> Self {
        let mut found = Self::default();
        for (name, value) in query_params(query) {
            if let Some(param) = AuthParam::from_encoded(name) {
                found.record(param, value);
            }
        }
        found
    }

    /// Notes the value of `param`; a second one is a repeat (and is not kept).
    #[inline]
    pub(crate) fn record(&mut self, param: AuthParam, value: Encoded<'a>) {
        let slot = self.slot(param);
        if slot.is_some() {
            self.repeated.get_or_insert(param);
        } else {
            *slot = Some(value);
        }
    }

    /// Marks every escape of the query as checked already.
    pub(crate) fn with_escapes_checked(mut self) -> Self {
        self.escapes_checked = true;
        self
    }

    fn slot(&mut self, param: AuthParam) -> &mut Option<Encoded<'a>> {
        match param {
            AuthParam::Algorithm => &mut self.algorithm,
            AuthParam::Credential => &mut self.credential,
            AuthParam::Date => &mut self.date,
            AuthParam::Expires => &mut self.expires,
            AuthParam::SignedHeaders => &mut self.signed_headers,
            AuthParam::Signature => &mut self.signature,
            AuthParam::SecurityToken => &mut self.security_token,
        }
    }

    /// The value of a parameter that must be present.
    fn required(&mut self, param: AuthParam) -> Result<Encoded<'a>, InspectError> {
        let value = self.slot(param).ok_or(InspectError::Missing { param })?;
        self.checked(param, value)
    }

    /// `value` once its escapes are well-formed and it is not empty.
    fn checked(&self, param: AuthParam, value: Encoded<'a>) -> Result<Encoded<'a>, InspectError> {
        if let Some(index) = (!self.escapes_checked)
            .then(|| first_bad_escape(value.0))
            .flatten()
        {
            return Err(InspectError::InvalidEscape { param, index });
        }
        if value.is_empty() {
            return Err(InspectError::Empty { param });
        }
        Ok(value)
    }
}

/// The authentication values of a URL, read and checked.
///
/// No `Debug`: it holds the signature and the session token, which [`PresignedUrl`]'s
/// `Debug` redacts.
#[derive(Clone, Copy)]
pub(crate) struct AuthValues<'a> {
    /// `X-Amz-Credential` whole, and its access key id, region and service.
    pub(crate) credential: Encoded<'a>,
    pub(crate) access_key_id: Encoded<'a>,
    pub(crate) region: Encoded<'a>,
    pub(crate) service: Encoded<'a>,
    pub(crate) date: AmzDate,
    pub(crate) lifetime_secs: u32,
    pub(crate) signed_headers: Encoded<'a>,
    pub(crate) signature: [u8; 32],
    pub(crate) session_token: Option<Encoded<'a>>,
}

/// The decoded value when it is exactly `N` bytes long.
fn decode_exact<const N: usize>(value: Encoded<'_>) -> Option<[u8; N]> {
    if let Some(plain) = value.as_plain() {
        return plain.as_bytes().try_into().ok();
    }
    let mut out = [0u8; N];
    let mut bytes = value.bytes();
    for slot in &mut out {
        *slot = bytes.next()?;
    }
    bytes.next().is_none().then_some(out)
}

/// `X-Amz-Date`: the instant, with its text (whose first 8 bytes are the scope date).
fn parse_date(value: Encoded<'_>) -> Result<AmzDate, InspectError> {
    // 16 bytes as written are the text itself: a `%` among them would decode to fewer,
    // and is no digit either.
    let text: [u8; 16] = match value.0.as_bytes().try_into() {
        Ok(text) => text,
        Err(_) => decode_exact(value).ok_or(InspectError::InvalidDate)?,
    };
    AmzDate::parse(text).ok_or(InspectError::InvalidDate)
}

/// The number decimal `digits` spell, saturated at `u64::MAX`; `None` if one is no digit.
fn decimal_saturating(mut digits: impl Iterator<Item = u8>) -> Option<u64> {
    digits.try_fold(0u64, |n, b| {
        b.is_ascii_digit()
            .then(|| n.saturating_mul(10).saturating_add(u64::from(b - b'0')))
    })
}

/// `X-Amz-Expires`: whole seconds within 1 ..= 604800, digits only.
fn parse_expires(value: Encoded<'_>) -> Result<u32, InspectError> {
    let secs = match value.as_plain() {
        Some(plain) => decimal_saturating(plain.bytes()),
        None => decimal_saturating(value.bytes()),
    }
    .ok_or(InspectError::InvalidExpires)?;
    if !(1..=MAX_EXPIRES_SECS).contains(&secs) {
        return Err(InspectError::ExpiresOutOfRange {
            secs,
            min: 1,
            max: MAX_EXPIRES_SECS,
        });
    }
    u32::try_from(secs).map_err(|_| InspectError::InvalidExpires)
}

/// The parts of `X-Amz-Credential`: access key id, region and service.
fn parse_credential<'a>(
    value: Encoded<'a>,
    date_text: &[u8; 16],
) -> Result<[Encoded<'a>; 3], InspectError> {
    if let Some([access_key_id, scope_date, region, service, TERMINATOR]) =
        split_plain_scope(value.0)
        && scope_date.as_bytes() == date_text.get(..8).unwrap_or_default()
        && ![access_key_id, region, service].contains(&"")
    {
        return Ok([access_key_id, region, service].map(Encoded));
    }
    let mut parts = [Encoded(""); 5];
    let mut found = 0usize;
    for part in value.split_decoded(b'/') {
        if let Some(slot) = parts.get_mut(found) {
            *slot = part;
        }
        found = found.saturating_add(1);
    }
    if found != parts.len() {
        return Err(InspectError::CredentialParts { found });
    }
    let [access_key_id, scope_date, region, service, terminator] = parts;
    for (part, which) in [
        (access_key_id, CredentialPart::AccessKeyId),
        (region, CredentialPart::Region),
        (service, CredentialPart::Service),
    ] {
        if part.is_empty() {
            return Err(InspectError::EmptyCredentialPart { part: which });
        }
    }
    if !terminator.eq_decoded(TERMINATOR) {
        return Err(InspectError::CredentialTerminator);
    }
    // The scope date must be the day of the signing time, both in UTC: S3 derives the
    // signing key from the scope date and refuses a scope from another day.
    if decode_exact::<8>(scope_date)
        .as_ref()
        .map(<[u8; 8]>::as_slice)
        != date_text.get(..8)
    {
        return Err(InspectError::ScopeDateMismatch);
    }
    Ok([access_key_id, region, service])
}

/// The five parts of a credential in the spelling every signer writes: separated by `%2F`,
/// with no other escape and no `/` before the last part. `None` for any other spelling,
/// which the general split reads (and reports on).
#[inline]
fn split_plain_scope(text: &str) -> Option<[&str; 5]> {
    let bytes = text.as_bytes();
    let mut parts = [""; 5];
    let mut start = 0;
    for part in parts.iter_mut().take(4) {
        let at = start + find_either(bytes.get(start..)?, b'%', b'/')?;
        if bytes.get(at..at + 3)? != b"%2F" {
            return None;
        }
        *part = text.get(start..at)?;
        start = at + 3;
    }
    // The last part is compared whole with the terminator, which settles its spelling.
    *parts.get_mut(4)? = text.get(start..)?;
    Some(parts)
}

/// Whether `b` may appear in a lower-case HTTP header name (an RFC 9110 `tchar` other than
/// an upper-case letter). SigV4 signs header names lower-cased, so an upper-case letter
/// means the list was not written by a SigV4 signer.
fn is_lower_tchar(b: u8) -> bool {
    crate::text::is_tchar(b) && !b.is_ascii_uppercase()
}

/// `X-Amz-SignedHeaders`: non-empty lower-case names separated by `;` (or `%3B`). Their
/// order and whether `host` is among them are left to the signature check.
fn check_signed_headers(value: Encoded<'_>) -> Result<(), InspectError> {
    if is_plain_header_list(value.0) {
        return Ok(());
    }
    for name in value.split_decoded(b';') {
        let valid = match name.as_plain() {
            Some(plain) => plain.bytes().all(is_lower_tchar),
            None => name.bytes().all(is_lower_tchar),
        };
        if name.is_empty() || !valid {
            return Err(InspectError::InvalidSignedHeaders);
        }
    }
    Ok(())
}

/// Whether `text` is non-empty lower-case names separated by `;` or `%3B` (as signers
/// write the list), with no other escape: valid with no decoding. Any other text is read
/// by the general split.
#[inline]
fn is_plain_header_list(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut start = 0;
    loop {
        let rest = bytes.get(start..).unwrap_or_default();
        let end = start + find_either(rest, b'%', b';').unwrap_or(rest.len());
        let name = bytes.get(start..end).unwrap_or_default();
        if name.is_empty() || !name.iter().all(|&b| is_lower_tchar(b)) {
            return false;
        }
        start = match bytes.get(end..) {
            Some([]) => return true,
            Some([b';', ..]) => end + 1,
            Some([b'%', b'3', b'B', ..]) => end + 3,
            _ => return false,
        };
    }
}

/// `X-Amz-Signature`: 64 lower-case hex digits, as the 32 bytes of the HMAC.
fn parse_signature(value: Encoded<'_>) -> Result<[u8; 32], InspectError> {
    // 64 bytes as written are the digits themselves: a `%` among them would decode to
    // fewer, and is no hex digit either. Only a longer value can be escaped digits.
    let hex: [u8; 64] = match value.0.as_bytes().try_into() {
        Ok(digits) => digits,
        Err(_) => decode_exact(value).ok_or(InspectError::InvalidSignature)?,
    };
    decode_lower_hex(&hex).ok_or(InspectError::InvalidSignature)
}

/// The 32 bytes that 64 lower-case hex digits spell, or `None` if any byte is not one.
#[inline]
pub(crate) fn decode_lower_hex(hex: &[u8; 64]) -> Option<[u8; 32]> {
    let (words, _) = hex.as_chunks::<8>();
    let mut mac = [0u8; 32];
    for (out, word) in mac.as_chunks_mut::<4>().0.iter_mut().zip(words) {
        *out = lower_hex_word(u64::from_le_bytes(*word))?;
    }
    Some(mac)
}

/// The four bytes that eight lower-case hex digits spell (the first digit in the low byte
/// of `word`), or `None` if any byte is not one; eight at a time, with no branch per digit.
#[inline]
fn lower_hex_word(word: u64) -> Option<[u8; 4]> {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    if word & HI != 0 {
        return None;
    }
    // For ASCII bytes, the top bit of each byte that is at least `c` (no carry leaves a
    // byte: 0x7F + 0x80 - c fits).
    let at_least = |c: u8| word.wrapping_add(LO * u64::from(0x80 - c)) & HI;
    let digit = at_least(b'0') & !at_least(b':');
    let letter = at_least(b'a') & !at_least(b'g');
    if digit | letter != HI {
        return None;
    }
    // Each digit's value: its low nibble, plus 9 for a letter (bit 6 set only for them).
    let values = (word & 0x0F0F_0F0F_0F0F_0F0F) + ((word >> 6) & LO) * 9;
    // Byte 2k becomes value 2k in the high nibble and value 2k + 1 in the low one; then the
    // even bytes are gathered.
    let pairs = ((values << 4) | (values >> 8)) & 0x00FF_00FF_00FF_00FF;
    let pairs = (pairs | pairs >> 8) & 0x0000_FFFF_0000_FFFF;
    let packed = (pairs | pairs >> 16) as u32;
    Some(packed.to_le_bytes())
}

/// `scheme` and the rest, when `url` starts with an RFC 3986 scheme and `://`.
fn split_scheme(url: &str) -> Option<(&str, &str)> {
    let (scheme, rest) = url.split_once("://")?;
    let mut bytes = scheme.bytes();
    let starts_alpha = bytes.next().is_some_and(|b| b.is_ascii_alphabetic());
    let rest_ok = bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'));
    (starts_alpha && rest_ok).then_some((scheme, rest))
}

/// A SigV4 presigned URL, read without the secret and without copying.
///
/// Parsing checks the form of the authentication parameters (see [`InspectError`] for the
/// list); a parsed URL can still be refused for its signature, its signed headers, its time,
/// or an unknown access key.
///
/// ```
/// use presign::PresignedUrl;
/// use time::macros::datetime;
///
/// // The example of "Authenticating Requests: Using Query Parameters (AWS Signature
/// // Version 4)" in the Amazon S3 API Reference.
/// let url = PresignedUrl::parse(
///     "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256\
///      &X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request\
///      &X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host\
///      &X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404",
/// )?;
/// assert!(url.access_key_id().eq_decoded("AKIAIOSFODNN7EXAMPLE"));
/// assert_eq!(url.region().to_string(), "us-east-1");
/// assert_eq!(url.signed_at(), datetime!(2013-05-24 00:00 UTC));
/// assert_eq!(url.expires_at(), datetime!(2013-05-25 00:00 UTC));
/// assert!(url.is_expired(datetime!(2013-05-25 00:00 UTC)));
/// # Ok::<(), presign::InspectError>(())
/// ```
#[derive(Clone, Copy)]
pub struct PresignedUrl<'a> {
    url: &'a str,
    scheme: &'a str,
    host: &'a str,
    path: &'a str,
    query: &'a str,
    /// The authentication parameters; `X-Amz-Date` as read: the string to sign and the
    /// scope take its text as it is, the signing and expiry instants its seconds.
    auth: AuthValues<'a>,
}

impl<'a> PresignedUrl<'a> {
    /// Reads `url` (`scheme://host/path?query#fragment`; the fragment is ignored, as it is
    /// never sent). Linear in the length of `url`; never allocates and never panics.
    ///
    /// ```
    /// use presign::{AuthParam, InspectError, PresignedUrl};
    ///
    /// let url = "https://h/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Algorithm=AWS4-HMAC-SHA256";
    /// assert_eq!(
    ///     PresignedUrl::parse(url).unwrap_err(),
    ///     InspectError::Repeated { param: AuthParam::Algorithm }
    /// );
    /// ```
    pub fn parse(url: &'a str) -> Result<Self, InspectError> {
        let (scheme, rest) = split_scheme(url).ok_or(InspectError::NoScheme)?;
        let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let (host, rest) = rest.split_at(host_end);
        if host.is_empty() {
            return Err(InspectError::NoHost);
        }
        let rest = rest
            .split_once('#')
            .map_or(rest, |(before, _fragment)| before);
        let (path, query) = rest.split_once('?').ok_or(InspectError::NoQuery)?;
        Self::from_parts(url, scheme, host, path, query)
    }

    /// Reads the authentication parameters of a URL already split into its parts (a
    /// server's request target comes split: the host from its header, then path and query).
    pub(crate) fn from_parts(
        url: &'a str,
        scheme: &'a str,
        host: &'a str,
        path: &'a str,
        query: &'a str,
    ) -> Result<Self, InspectError> {
        Self::from_found(url, [scheme, host, path, query], Found::scan(query))
    }

    /// Reads the authentication parameters `found` in the query of a URL already split into
    /// scheme, host, path and query.
    pub(crate) fn from_found(
        url: &'a str,
        [scheme, host, path, query]: [&'a str; 4],
        mut found: Found<'a>,
    ) -> Result<Self, InspectError> {
        if let Some(param) = found.repeated {
            return Err(InspectError::Repeated { param });
        }
        if !found.required(AuthParam::Algorithm)?.eq_decoded(ALGORITHM) {
            return Err(InspectError::UnsupportedAlgorithm);
        }
        // A parsed date has four year digits, which `time` holds; the expiry may not.
        let date = parse_date(found.required(AuthParam::Date)?)?;
        let lifetime_secs = parse_expires(found.required(AuthParam::Expires)?)?;
        if date.unix() + i64::from(lifetime_secs) > LAST_UNIX {
            return Err(InspectError::ExpiryBeyondCalendar);
        }
        let credential = found.required(AuthParam::Credential)?;
        let [access_key_id, region, service] = parse_credential(credential, date.text())?;
        let signed_headers = found.required(AuthParam::SignedHeaders)?;
        check_signed_headers(signed_headers)?;
        let signature = parse_signature(found.required(AuthParam::Signature)?)?;
        let session_token = match found.security_token {
            Some(token) => Some(found.checked(AuthParam::SecurityToken, token)?),
            None => None,
        };
        let auth = AuthValues {
            credential,
            access_key_id,
            region,
            service,
            date,
            lifetime_secs,
            signed_headers,
            signature,
            session_token,
        };
        Ok(Self::with_auth(url, [scheme, host, path, query], auth))
    }

    /// The URL of authentication values `auth` already read and checked (as the verifier's
    /// reading of a query in the minted shape does); `None` when its expiry is beyond
    /// `time`'s calendar (which [`Self::from_found`] reports).
    pub(crate) fn from_values(
        url: &'a str,
        parts: [&'a str; 4],
        auth: AuthValues<'a>,
    ) -> Option<Self> {
        (auth.date.unix() + i64::from(auth.lifetime_secs) <= LAST_UNIX)
            .then(|| Self::with_auth(url, parts, auth))
    }

    /// The URL of authentication values already checked, the expiry included.
    fn with_auth(
        url: &'a str,
        [scheme, host, path, query]: [&'a str; 4],
        auth: AuthValues<'a>,
    ) -> Self {
        Self {
            url,
            scheme,
            host,
            path,
            query,
            auth,
        }
    }

    /// The whole URL as given.
    ///
    /// ```
    /// # let text = "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";
    /// let url = presign::PresignedUrl::parse(text)?;
    /// assert_eq!(url.url(), text);
    /// # Ok::<(), presign::InspectError>(())
    /// ```
    #[must_use]
    pub fn url(&self) -> &'a str {
        self.url
    }

    /// The scheme as written, e.g. `https`.
    ///
    /// ```
    /// # let text = "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";
    /// assert_eq!(presign::PresignedUrl::parse(text)?.scheme(), "https");
    /// # Ok::<(), presign::InspectError>(())
    /// ```
    #[must_use]
    pub fn scheme(&self) -> &'a str {
        self.scheme
    }

    /// The authority as written: the host, and `:port` when given. This is the value of
    /// the signed `host` header, so a client must send it unchanged.
    ///
    /// ```
    /// # let text = "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";
    /// assert_eq!(presign::PresignedUrl::parse(text)?.host(), "examplebucket.s3.amazonaws.com");
    /// # Ok::<(), presign::InspectError>(())
    /// ```
    #[must_use]
    pub fn host(&self) -> &'a str {
        self.host
    }

    /// The path as written (still percent-encoded); empty when the URL has none.
    ///
    /// ```
    /// # let text = "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";
    /// assert_eq!(presign::PresignedUrl::parse(text)?.path(), "/test.txt");
    /// # Ok::<(), presign::InspectError>(())
    /// ```
    #[must_use]
    pub fn path(&self) -> &'a str {
        self.path
    }

    /// The query as written, without `?` or fragment. It holds the signature (and the
    /// session token, if any): treat it as a secret.
    ///
    /// ```
    /// # let text = "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";
    /// let url = presign::PresignedUrl::parse(text)?;
    /// assert!(url.query().starts_with("X-Amz-Algorithm=AWS4-HMAC-SHA256&"));
    /// # Ok::<(), presign::InspectError>(())
    /// ```
    #[must_use]
    pub fn query(&self) -> &'a str {
        self.query
    }

    /// The signing algorithm: always `AWS4-HMAC-SHA256`, the only one parsing accepts.
    ///
    /// ```
    /// # let text = "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";
    /// assert_eq!(presign::PresignedUrl::parse(text)?.algorithm(), "AWS4-HMAC-SHA256");
    /// # Ok::<(), presign::InspectError>(())
    /// ```
    #[must_use]
    pub fn algorithm(&self) -> &'static str {
        ALGORITHM
    }

    /// The whole `X-Amz-Credential` value: `access key id/date/region/service/aws4_request`.
    ///
    /// ```
    /// # let text = "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";
    /// let url = presign::PresignedUrl::parse(text)?;
    /// assert!(url.credential().eq_decoded("AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request"));
    /// # Ok::<(), presign::InspectError>(())
    /// ```
    #[must_use]
    pub fn credential(&self) -> Encoded<'a> {
        self.auth.credential
    }

    /// The access key id that signed the URL.
    ///
    /// ```
    /// # let text = "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";
    /// let url = presign::PresignedUrl::parse(text)?;
    /// assert_eq!(url.access_key_id().as_plain(), Some("AKIAIOSFODNN7EXAMPLE"));
    /// # Ok::<(), presign::InspectError>(())
    /// ```
    #[must_use]
    pub fn access_key_id(&self) -> Encoded<'a> {
        self.auth.access_key_id
    }

    /// The date of the credential scope: the UTC day of [`Self::signed_at`] (parsing
    /// refuses any other).
    ///
    /// ```
    /// use time::macros::date;
    /// # let text = "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";
    /// assert_eq!(presign::PresignedUrl::parse(text)?.scope_date(), date!(2013-05-24));
    /// # Ok::<(), presign::InspectError>(())
    /// ```
    #[must_use]
    pub fn scope_date(&self) -> Date {
        self.signed_at().date()
    }

    /// The region of the credential scope (`auto` on R2).
    ///
    /// ```
    /// # let text = "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";
    /// assert!(presign::PresignedUrl::parse(text)?.region().eq_decoded("us-east-1"));
    /// # Ok::<(), presign::InspectError>(())
    /// ```
    #[must_use]
    pub fn region(&self) -> Encoded<'a> {
        self.auth.region
    }

    /// The service of the credential scope (`s3` for S3 and R2).
    ///
    /// ```
    /// # let text = "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";
    /// assert!(presign::PresignedUrl::parse(text)?.service().eq_decoded("s3"));
    /// # Ok::<(), presign::InspectError>(())
    /// ```
    #[must_use]
    pub fn service(&self) -> Encoded<'a> {
        self.auth.service
    }

    /// The signing time, `X-Amz-Date` (UTC, whole seconds).
    ///
    /// ```
    /// use time::macros::datetime;
    /// # let text = "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";
    /// let url = presign::PresignedUrl::parse(text)?;
    /// assert_eq!(url.signed_at(), datetime!(2013-05-24 00:00:00 UTC));
    /// # Ok::<(), presign::InspectError>(())
    /// ```
    #[must_use]
    pub fn signed_at(&self) -> OffsetDateTime {
        instant(self.auth.date.unix())
    }

    /// The signing time as `X-Amz-Date` wrote it (and so the scope date, its first eight
    /// bytes), for the string to sign.
    pub(crate) fn amz_date(&self) -> AmzDate {
        self.auth.date
    }

    /// The lifetime, `X-Amz-Expires`.
    ///
    /// ```
    /// use time::Duration;
    /// # let text = "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";
    /// assert_eq!(presign::PresignedUrl::parse(text)?.lifetime(), Duration::DAY);
    /// # Ok::<(), presign::InspectError>(())
    /// ```
    #[must_use]
    pub fn lifetime(&self) -> Duration {
        Duration::seconds(i64::from(self.auth.lifetime_secs))
    }

    /// The lifetime in seconds, 1 ..= 604800.
    ///
    /// ```
    /// # let text = "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";
    /// assert_eq!(presign::PresignedUrl::parse(text)?.lifetime_secs(), 86_400);
    /// # Ok::<(), presign::InspectError>(())
    /// ```
    #[must_use]
    pub fn lifetime_secs(&self) -> u32 {
        self.auth.lifetime_secs
    }

    /// The first instant at which the URL is expired: [`Self::signed_at`] plus
    /// [`Self::lifetime`].
    ///
    /// ```
    /// use time::macros::datetime;
    /// # let text = "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";
    /// let url = presign::PresignedUrl::parse(text)?;
    /// assert_eq!(url.expires_at(), datetime!(2013-05-25 00:00:00 UTC));
    /// # Ok::<(), presign::InspectError>(())
    /// ```
    #[must_use]
    pub fn expires_at(&self) -> OffsetDateTime {
        instant(self.expires_unix())
    }

    /// [`Self::expires_at`] in seconds since the Unix epoch (checked to be within years
    /// 0000 ..= 9999 when the URL was read).
    fn expires_unix(&self) -> i64 {
        self.auth.date.unix() + i64::from(self.auth.lifetime_secs)
    }

    /// How long the URL stays valid after `now`; `None` once it is expired (see
    /// [`Self::is_expired`] for the boundary). A `now` before the signing time gives more
    /// than the lifetime: this does not judge clock skew.
    ///
    /// ```
    /// use time::{macros::datetime, Duration};
    /// # let text = "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";
    /// let url = presign::PresignedUrl::parse(text)?;
    /// assert_eq!(url.remaining(datetime!(2013-05-24 23:00 UTC)), Some(Duration::HOUR));
    /// assert_eq!(url.remaining(datetime!(2013-05-25 00:00 UTC)), None);
    /// # Ok::<(), presign::InspectError>(())
    /// ```
    #[must_use]
    pub fn remaining(&self, now: OffsetDateTime) -> Option<Duration> {
        let expires_at = self.expires_at();
        (now < expires_at).then(|| expires_at - now)
    }

    /// Whether the URL is expired at `now`: from [`Self::expires_at`] on, that instant
    /// included (`now >= expires_at()`). `now` may be in any offset; instants are compared.
    ///
    /// MinIO still accepts a request at exactly the expiry instant; reporting it expired
    /// is the side that never calls a URL usable when a server may refuse it.
    ///
    /// ```
    /// use time::{macros::datetime, Duration};
    /// # let text = "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";
    /// let url = presign::PresignedUrl::parse(text)?;
    /// assert!(!url.is_expired(url.expires_at() - Duration::SECOND));
    /// assert!(url.is_expired(url.expires_at()));
    /// assert!(url.is_expired(datetime!(2013-05-25 02:00 +02:00)));
    /// # Ok::<(), presign::InspectError>(())
    /// ```
    #[must_use]
    pub fn is_expired(&self, now: OffsetDateTime) -> bool {
        self.is_expired_at_secs(now.unix_timestamp())
    }

    /// [`Self::is_expired`] for `now` in whole seconds since the Unix epoch, rounded down:
    /// the expiry is a whole second, so `now` is at or after it exactly when its whole
    /// seconds are.
    pub(crate) fn is_expired_at_secs(&self, now_secs: i64) -> bool {
        now_secs >= self.expires_unix()
    }

    /// The signed header names, in the order given: lower-case, non-empty. Each is
    /// [`Encoded`] because a name may hold bytes SigV4 escapes (`!`, `'`, `*`, …).
    ///
    /// ```
    /// # let text = "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";
    /// let url = presign::PresignedUrl::parse(text)?;
    /// let names: Vec<String> = url.signed_headers().map(|h| h.to_string()).collect();
    /// assert_eq!(names, ["host"]);
    /// # Ok::<(), presign::InspectError>(())
    /// ```
    pub fn signed_headers(&self) -> impl Iterator<Item = Encoded<'a>> + use<'a> {
        self.auth.signed_headers.split_decoded(b';')
    }

    /// `X-Amz-SignedHeaders` as written.
    pub(crate) fn signed_headers_param(&self) -> Encoded<'a> {
        self.auth.signed_headers
    }

    /// Whether the header `name` (any letter case) is signed, so that the request must
    /// send it with the value that was signed.
    ///
    /// ```
    /// # let text = "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";
    /// let url = presign::PresignedUrl::parse(text)?;
    /// assert!(url.signs_header("Host"));
    /// assert!(!url.signs_header("content-type"));
    /// # Ok::<(), presign::InspectError>(())
    /// ```
    #[must_use]
    pub fn signs_header(&self, name: &str) -> bool {
        self.signed_headers().any(|signed| {
            signed
                .bytes()
                .eq(name.bytes().map(|b| b.to_ascii_lowercase()))
        })
    }

    /// The MAC that `X-Amz-Signature` spells in hex, for a verifier that holds the key to
    /// compare in constant time.
    ///
    /// ```
    /// # let text = "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";
    /// let url = presign::PresignedUrl::parse(text)?;
    /// assert_eq!(url.signature()[..2], [0xae, 0xee]);
    /// # Ok::<(), presign::InspectError>(())
    /// ```
    #[must_use]
    pub fn signature(&self) -> [u8; 32] {
        self.auth.signature
    }

    /// Whether the URL carries `X-Amz-Security-Token` (signed with temporary credentials).
    ///
    /// ```
    /// # let text = "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";
    /// assert!(!presign::PresignedUrl::parse(text)?.has_session_token());
    /// # Ok::<(), presign::InspectError>(())
    /// ```
    #[must_use]
    pub fn has_session_token(&self) -> bool {
        self.auth.session_token.is_some()
    }

    /// The session token, a bearer credential: keep it out of logs (`Debug` of this type
    /// prints `<redacted>` in its place).
    ///
    /// ```
    /// # let text = "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";
    /// let text = text.replace("&X-Amz-Signature=", "&X-Amz-Security-Token=FQo%2Bx&X-Amz-Signature=");
    /// let url = presign::PresignedUrl::parse(&text)?;
    /// assert!(url.session_token().is_some_and(|t| t.eq_decoded("FQo+x")));
    /// assert!(format!("{url:?}").contains("session_token: Some(<redacted>)"));
    /// # Ok::<(), presign::InspectError>(())
    /// ```
    #[must_use]
    pub fn session_token(&self) -> Option<Encoded<'a>> {
        self.auth.session_token
    }

    /// The query parameters other than the seven of [`AuthParam`], in order, as
    /// `(name, value)`: e.g. `response-content-disposition` or `x-id`. A parameter without
    /// `=` has an empty value.
    ///
    /// ```
    /// # let text = "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";
    /// let text = text.replace("?", "?x-id=GetObject&");
    /// let url = presign::PresignedUrl::parse(&text)?;
    /// let extra: Vec<(String, String)> =
    ///     url.extra_params().map(|(n, v)| (n.to_string(), v.to_string())).collect();
    /// assert_eq!(extra, [("x-id".to_owned(), "GetObject".to_owned())]);
    /// # Ok::<(), presign::InspectError>(())
    /// ```
    pub fn extra_params(&self) -> impl Iterator<Item = (Encoded<'a>, Encoded<'a>)> + use<'a> {
        query_params(self.query).filter(|(name, _)| AuthParam::from_encoded(*name).is_none())
    }
}

/// Stands for a secret in `Debug` output.
struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl fmt::Debug for PresignedUrl<'_> {
    /// Everything but the signature and the session token, which would let a reader of the
    /// log use the URL (or, for the token, sign new ones); the URL and query hold both and
    /// are left out too.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PresignedUrl")
            .field("scheme", &self.scheme)
            .field("host", &self.host)
            .field("path", &self.path)
            .field("access_key_id", &self.auth.access_key_id)
            .field("region", &self.auth.region)
            .field("service", &self.auth.service)
            .field("signed_at", &self.signed_at())
            .field("lifetime_secs", &self.auth.lifetime_secs)
            .field("expires_at", &self.expires_at())
            .field("signed_headers", &self.auth.signed_headers)
            .field("signature", &Redacted)
            .field("session_token", &self.auth.session_token.map(|_| Redacted))
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use alloc::string::{String, ToString};
    use alloc::vec::Vec;
    use core::fmt::Write as _;

    use time::macros::datetime;

    use super::*;

    /// The S3 documentation's example ("Authenticating Requests: Using Query Parameters (AWS
    /// Signature Version 4)", Amazon S3 API Reference).
    const DOC_URL: &str = "https://examplebucket.s3.amazonaws.com/test.txt\
        ?X-Amz-Algorithm=AWS4-HMAC-SHA256\
        &X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request\
        &X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host\
        &X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";

    /// `DOC_URL` with the value of `name` replaced (or the parameter dropped, for `None`).
    fn doc_url_with(name: &str, value: Option<&str>) -> String {
        let (base, query) = DOC_URL.split_once('?').expect("query");
        let pairs: Vec<String> = query
            .split('&')
            .filter_map(|pair| {
                let (n, v) = pair.split_once('=').expect("pair");
                if n == name {
                    value.map(|value| alloc::format!("{n}={value}"))
                } else {
                    Some(alloc::format!("{n}={v}"))
                }
            })
            .collect();
        alloc::format!("{base}?{}", pairs.join("&"))
    }

    fn decoded(text: &str) -> Vec<u8> {
        Encoded::new(text).bytes().collect()
    }

    #[test]
    fn escapes_decode_in_either_case_and_malformed_ones_stand_for_themselves() {
        assert_eq!(decoded("%2f%2F%e2%82%AC"), b"//\xe2\x82\xac");
        assert_eq!(decoded("100%"), b"100%");
        assert_eq!(decoded("%4"), b"%4");
        assert_eq!(decoded("%G1%%41"), b"%G1%A");
        assert_eq!(decoded("a+b"), b"a+b", "`+` is not a space");
        assert_eq!(Encoded::new("%41%zz").decoded_len(), 4);
        assert_eq!(first_bad_escape("a%41b%2"), Some(5));
        assert_eq!(first_bad_escape("%%41"), Some(0));
        assert_eq!(first_bad_escape("%41%42"), None);
        assert_eq!(first_bad_escape("é%C3%A9"), None);
    }

    /// The eight-bytes-at-a-time search finds what a byte loop finds, at every offset.
    #[test]
    fn find_either_is_a_byte_search() {
        let text: Vec<u8> = (0..100u8)
            .map(|i| b"ab=&%c"[usize::from(i % 6)] ^ (i & 0x40))
            .collect();
        for start in 0..text.len() {
            let rest = &text[start..];
            for (a, b) in [(b'&', b'&'), (b'=', b'%'), (b'z', b'y'), (0xA6, b'c')] {
                assert_eq!(
                    find_either(rest, a, b),
                    rest.iter().position(|&x| x == a || x == b),
                    "{start} {a} {b}"
                );
            }
        }
        assert_eq!(find_either(b"", b'a', b'b'), None);
        assert_eq!(
            find_either(b"\x80\x80\x80\x80\x80\x80\x80\x80a", b'a', b'a'),
            Some(8)
        );
    }

    #[test]
    fn encoded_texts_are_equal_when_they_decode_alike() {
        assert_eq!(Encoded::new("%7E"), Encoded::new("~"));
        assert_eq!(Encoded::new("a%2fb"), Encoded::new("a/b"));
        assert_ne!(Encoded::new("a%2Fb"), Encoded::new("a%252Fb"));
        assert_ne!(Encoded::new("+"), Encoded::new("%20"));
    }

    #[test]
    fn size_hint_bounds_the_count() {
        for text in ["", "%41", "abc", "%41b%4", "%%%"] {
            let bytes = Encoded::new(text).bytes();
            let (lo, hi) = bytes.size_hint();
            let n = bytes.count();
            assert!(lo <= n && hi.is_some_and(|hi| n <= hi), "{text}");
        }
    }

    /// The lossy display matches `String::from_utf8_lossy` on every 1- and 2-byte input and
    /// on every 3-byte input whose bytes lie around the boundaries of the UTF-8 ranges.
    #[test]
    fn display_is_utf8_lossy() {
        let check = |bytes: &[u8]| {
            let mut text = String::new();
            for b in bytes {
                write!(text, "%{b:02X}").expect("a String takes any text");
            }
            assert_eq!(
                Encoded::new(&text).to_string(),
                String::from_utf8_lossy(bytes),
                "{bytes:02x?}"
            );
        };
        for a in 0..=255u8 {
            check(&[a]);
            for b in 0..=255u8 {
                check(&[a, b]);
            }
        }
        let edges: Vec<u8> = (0x70..=0x90)
            .chain(0x9E..=0xA1)
            .chain(0xBE..=0xC3)
            .collect();
        for a in 0xC0..=0xFFu8 {
            for &b in &edges {
                for &c in &edges {
                    check(&[a, b, c]);
                }
            }
        }
        check("€ 🦀 ascii".as_bytes());
        check(b"\xf0\x9f\xa6");
        check(b"\xf4\x90\x80\x80");
    }

    #[test]
    fn display_keeps_plain_text_and_literal_percent() {
        assert_eq!(Encoded::new("auto").to_string(), "auto");
        assert_eq!(Encoded::new("50%25 off").to_string(), "50% off");
        assert_eq!(Encoded::new("50% off").to_string(), "50% off");
        assert_eq!(Encoded::new("é%C3%A9").to_string(), "éé");
    }

    fn split(text: &str, sep: u8) -> Vec<&str> {
        Encoded::new(text)
            .split_decoded(sep)
            .map(|part| part.as_encoded())
            .collect()
    }

    #[test]
    fn split_on_plain_and_escaped_separators() {
        assert_eq!(split("content-type;host", b';'), ["content-type", "host"]);
        assert_eq!(split("content-type%3Bhost", b';'), ["content-type", "host"]);
        assert_eq!(split("a%3bb%3B", b';'), ["a", "b", ""]);
        assert_eq!(split("", b';'), [""]);
        assert_eq!(split(";", b';'), ["", ""]);
        assert_eq!(split("a%3", b';'), ["a%3"]);
        assert_eq!(split("é/ü%2Fx", b'/'), ["é", "ü", "x"]);
        assert_eq!(split("a%252Fb", b'/'), ["a%252Fb"], "decoded once only");
    }

    #[test]
    fn dates_must_be_real_utc_instants() {
        let parse = |text: &str| parse_date(Encoded::new(text)).map(|date| instant(date.unix()));
        assert_eq!(
            parse("20240229T235959Z"),
            Ok(datetime!(2024-02-29 23:59:59 UTC))
        );
        assert_eq!(
            parse("00000101T000000Z"),
            Ok(datetime!(0000-01-01 0:00 UTC))
        );
        assert_eq!(
            parse("99991231T235959Z"),
            Ok(datetime!(9999-12-31 23:59:59 UTC))
        );
        assert_eq!(
            parse("20130524T000000%5A"),
            Ok(datetime!(2013-05-24 0:00 UTC))
        );
        for bad in [
            "20230229T000000Z",
            "20231301T000000Z",
            "20230001T000000Z",
            "20230100T000000Z",
            "20230101T240000Z",
            "20230101T006000Z",
            "20230101T000060Z",
            "20230101T000000",
            "20230101T000000z",
            "20230101t000000Z",
            "2023010T000000Z",
            "20230101T000000ZZ",
            "2023-01-01T00:00:00Z",
            "+2023101T000000Z",
            "20230101T0000 0Z",
            "２0230101T000000Z",
        ] {
            assert_eq!(parse(bad), Err(InspectError::InvalidDate), "{bad}");
        }
    }

    #[test]
    fn expires_is_digits_within_a_week() {
        let parse = |text: &str| parse_expires(Encoded::new(text));
        assert_eq!(parse("1"), Ok(1));
        assert_eq!(parse("604800"), Ok(604_800));
        assert_eq!(parse("000003600"), Ok(3600));
        assert_eq!(parse("%33600"), Ok(3600));
        let out_of_range = |secs| InspectError::ExpiresOutOfRange {
            secs,
            min: 1,
            max: 604_800,
        };
        assert_eq!(parse("0"), Err(out_of_range(0)));
        assert_eq!(parse("604801"), Err(out_of_range(604_801)));
        assert_eq!(
            parse("99999999999999999999999999"),
            Err(out_of_range(u64::MAX))
        );
        for bad in ["+1", "-1", "1e3", "3600 ", "0x10", "3600s", "१"] {
            assert_eq!(parse(bad), Err(InspectError::InvalidExpires), "{bad}");
        }
    }

    /// Eight digits at a time decode as one at a time does, and every byte that is not a
    /// lower-case hex digit, at every place, is refused.
    #[test]
    fn hex_words_decode_as_digits_do() {
        let digits = b"0123456789abcdef";
        for start in 0..16 {
            let word: [u8; 8] = core::array::from_fn(|i| digits[(start + 3 * i) % 16]);
            let expected: [u8; 4] = core::array::from_fn(|i| {
                let value = |d: u8| {
                    u8::try_from(digits.iter().position(|&x| x == d).expect("a digit"))
                        .expect("small")
                };
                value(word[2 * i]) << 4 | value(word[2 * i + 1])
            });
            assert_eq!(lower_hex_word(u64::from_le_bytes(word)), Some(expected));
            for place in 0..8 {
                for bad in (0..=255u8).filter(|b| !digits.contains(b)) {
                    let mut wrong = word;
                    wrong[place] = bad;
                    assert_eq!(
                        lower_hex_word(u64::from_le_bytes(wrong)),
                        None,
                        "{bad:#x} at {place}"
                    );
                }
            }
        }
    }

    #[test]
    fn signature_is_64_lower_case_hex_digits() {
        let sig = "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";
        let mac = parse_signature(Encoded::new(sig)).expect("valid");
        assert_eq!(mac[..3], [0xae, 0xee, 0xd9]);
        assert_eq!(mac[31], 0x04);
        let escaped = alloc::format!("%61{}", &sig[1..]);
        assert_eq!(parse_signature(Encoded::new(&escaped)), Ok(mac));
        for bad in [
            &sig[1..],
            &alloc::format!("{sig}0"),
            &sig.to_uppercase(),
            &alloc::format!("g{}", &sig[1..]),
            &alloc::format!("é{}", &sig[2..]),
        ] {
            assert_eq!(
                parse_signature(Encoded::new(bad)),
                Err(InspectError::InvalidSignature),
                "{bad}"
            );
        }
    }

    #[test]
    fn parses_the_documentation_example() {
        let url = PresignedUrl::parse(DOC_URL).expect("valid");
        assert_eq!(url.scheme(), "https");
        assert_eq!(url.host(), "examplebucket.s3.amazonaws.com");
        assert_eq!(url.path(), "/test.txt");
        assert!(url.query().ends_with("f604d404"));
        assert_eq!(url.url(), DOC_URL);
        assert_eq!(url.access_key_id().as_plain(), Some("AKIAIOSFODNN7EXAMPLE"));
        assert!(url.region().eq_decoded("us-east-1"));
        assert!(url.service().eq_decoded("s3"));
        assert_eq!(url.signed_at(), datetime!(2013-05-24 0:00 UTC));
        assert_eq!(url.lifetime_secs(), 86_400);
        assert_eq!(url.expires_at(), datetime!(2013-05-25 0:00 UTC));
        assert_eq!(url.signed_headers().count(), 1);
        assert!(url.signs_header("host"));
        assert!(!url.has_session_token());
        assert_eq!(url.extra_params().count(), 0);
    }

    #[test]
    fn expiry_boundary_is_half_open() {
        let url = PresignedUrl::parse(DOC_URL).expect("valid");
        let expiry = datetime!(2013-05-25 0:00 UTC);
        let just_before = expiry - Duration::nanoseconds(1);
        assert!(!url.is_expired(just_before));
        assert_eq!(url.remaining(just_before), Some(Duration::nanoseconds(1)));
        assert!(url.is_expired(expiry));
        assert_eq!(url.remaining(expiry), None);
        assert!(url.is_expired(expiry + Duration::DAY));
        // Before the signing time: not expired, more than the lifetime left.
        let early = datetime!(2013-05-23 0:00 UTC);
        assert_eq!(url.remaining(early), Some(Duration::DAY * 2));
        // Offsets do not matter, instants do.
        assert!(url.is_expired(datetime!(2013-05-24 20:00 -04:00)));
        assert!(!url.is_expired(datetime!(2013-05-24 19:59:59 -04:00)));
    }

    #[test]
    fn names_are_case_sensitive_and_compared_decoded() {
        let lower = DOC_URL.replace("X-Amz-Date", "x-amz-date");
        assert_eq!(
            PresignedUrl::parse(&lower).unwrap_err(),
            InspectError::Missing {
                param: AuthParam::Date
            }
        );
        let escaped = DOC_URL.replace("X-Amz-Date", "X-Amz-Dat%65");
        let url = PresignedUrl::parse(&escaped).expect("an escaped name is the name");
        assert_eq!(url.signed_at(), datetime!(2013-05-24 0:00 UTC));
        let both = alloc::format!("{DOC_URL}&X-Amz-Dat%65=20130524T000000Z");
        assert_eq!(
            PresignedUrl::parse(&both).unwrap_err(),
            InspectError::Repeated {
                param: AuthParam::Date
            }
        );
        let lower_extra = alloc::format!("{DOC_URL}&x-amz-date=whatever&X-Amz-Date-X=1");
        let url = PresignedUrl::parse(&lower_extra).expect("other names are extra");
        let extra: Vec<String> = url.extra_params().map(|(n, _)| n.to_string()).collect();
        assert_eq!(extra, ["x-amz-date", "X-Amz-Date-X"]);
    }

    #[test]
    fn url_shapes() {
        let query = DOC_URL.split_once('?').expect("query").1;
        let with_fragment = alloc::format!("{DOC_URL}#section");
        let url = PresignedUrl::parse(&with_fragment).expect("fragment ignored");
        assert_eq!(url.query(), query);
        let no_path = alloc::format!("http://127.0.0.1:9000?{query}");
        let url = PresignedUrl::parse(&no_path).expect("no path");
        assert_eq!(
            (url.scheme(), url.host(), url.path()),
            ("http", "127.0.0.1:9000", "")
        );
        let empty_pairs = alloc::format!("https://h/k?&&{query}&&x&");
        let url = PresignedUrl::parse(&empty_pairs).expect("empty pairs skipped");
        let extra: Vec<(String, String)> = url
            .extra_params()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect();
        assert_eq!(extra, [("x".into(), String::new())]);
        let question_in_fragment = alloc::format!("https://h/k#?{query}");
        assert_eq!(
            PresignedUrl::parse(&question_in_fragment).unwrap_err(),
            InspectError::NoQuery
        );
        for no_scheme in [
            "",
            "//h/k?",
            "1https://h/k?",
            "ht tp://h/k?",
            "h/k?a=http://x",
        ] {
            assert_eq!(
                PresignedUrl::parse(no_scheme).unwrap_err(),
                InspectError::NoScheme,
                "{no_scheme}"
            );
        }
        assert_eq!(
            PresignedUrl::parse("https:///k?").unwrap_err(),
            InspectError::NoHost
        );
    }

    #[test]
    fn expiry_past_year_9999_is_refused() {
        let url =
            doc_url_with("X-Amz-Date", Some("99991231T235959Z")).replace("20130524", "99991231");
        assert_eq!(
            PresignedUrl::parse(&url).unwrap_err(),
            InspectError::ExpiryBeyondCalendar
        );
        let last =
            doc_url_with("X-Amz-Date", Some("99991230T235959Z")).replace("20130524", "99991230");
        let url = PresignedUrl::parse(&last).expect("expires 9999-12-31T23:59:59Z");
        assert_eq!(url.expires_at(), datetime!(9999-12-31 23:59:59 UTC));
    }

    #[test]
    fn debug_redacts_the_signature_and_the_token() {
        let token = "FQoGZXIvYXdzEJr%2F%2F%2Fsecret%3D%3D";
        let with_token = alloc::format!("{DOC_URL}&X-Amz-Security-Token={token}");
        let url = PresignedUrl::parse(&with_token).expect("valid");
        let debug = alloc::format!("{url:?}");
        assert!(debug.contains("signature: <redacted>"), "{debug}");
        assert!(debug.contains("session_token: Some(<redacted>)"), "{debug}");
        assert!(!debug.contains("aeeed9bb"), "{debug}");
        assert!(!debug.contains("f604d404"), "{debug}");
        assert!(!debug.contains("FQoG"), "{debug}");
        assert!(!debug.contains("secret"), "{debug}");
        assert!(debug.contains("AKIAIOSFODNN7EXAMPLE"), "{debug}");
        let plain = alloc::format!("{:?}", PresignedUrl::parse(DOC_URL).expect("valid"));
        assert!(plain.contains("session_token: None"), "{plain}");
    }

    #[test]
    fn signed_header_names_are_lower_case_tokens() {
        let check = |value: &str| {
            PresignedUrl::parse(&doc_url_with("X-Amz-SignedHeaders", Some(value))).map(|url| {
                url.signed_headers()
                    .map(|h| h.to_string())
                    .collect::<Vec<_>>()
            })
        };
        assert_eq!(
            check("content-type%3Bhost%3Bx-amz-meta-a%21"),
            Ok(["content-type", "host", "x-amz-meta-a!"]
                .map(String::from)
                .to_vec())
        );
        for bad in [
            "Host", "host;", ";host", "host;;x", "host%3B", "ho st", "host%00", "é",
        ] {
            assert_eq!(check(bad), Err(InspectError::InvalidSignedHeaders), "{bad}");
        }
    }

    #[test]
    fn every_variant_names_its_parameter_and_reads_as_a_log_line() {
        let variants = [
            InspectError::NoScheme,
            InspectError::NoHost,
            InspectError::NoQuery,
            InspectError::Missing {
                param: AuthParam::Date,
            },
            InspectError::Repeated {
                param: AuthParam::Signature,
            },
            InspectError::Empty {
                param: AuthParam::SecurityToken,
            },
            InspectError::InvalidEscape {
                param: AuthParam::Credential,
                index: 3,
            },
            InspectError::UnsupportedAlgorithm,
            InspectError::CredentialParts { found: 4 },
            InspectError::EmptyCredentialPart {
                part: CredentialPart::Region,
            },
            InspectError::CredentialTerminator,
            InspectError::ScopeDateMismatch,
            InspectError::InvalidDate,
            InspectError::InvalidExpires,
            InspectError::ExpiresOutOfRange {
                secs: 0,
                min: 1,
                max: 604_800,
            },
            InspectError::ExpiryBeyondCalendar,
            InspectError::InvalidSignedHeaders,
            InspectError::InvalidSignature,
        ];
        for err in variants {
            let message = err.to_string();
            let first = message.chars().next().expect("not empty");
            assert!(first.is_lowercase(), "{message}");
            assert!(!message.ends_with('.'), "{message}");
            match err.param() {
                Some(param) => assert!(message.contains(param.name()), "{message}"),
                None => assert!(message.starts_with("url "), "{message}"),
            }
        }
    }
}
