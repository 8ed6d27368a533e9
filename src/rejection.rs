//! Why a presigned request was refused: the S3 error code a real store answers, and a
//! precise reason for the log.

use core::fmt;

use time::OffsetDateTime;

use crate::encode::{self, FmtSink};
use crate::inspect::{AuthParam, Encoded, InspectError, PresignedUrl};
use crate::received::{
    CanonicalQuery, CanonicalRequest, ParamScratch, ReceivedRequest, SignedHeaders, split_target,
};

/// The S3 error code of a refusal, as S3 writes it in `<Code>` of its error body.
///
/// ```
/// use presign::S3ErrorCode;
///
/// assert_eq!(S3ErrorCode::SignatureDoesNotMatch.as_str(), "SignatureDoesNotMatch");
/// assert_eq!(S3ErrorCode::SignatureDoesNotMatch.http_status(), 403);
/// assert_eq!(S3ErrorCode::AuthorizationQueryParametersError.http_status(), 400);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum S3ErrorCode {
    /// 403: no authentication, or authenticated but refused (expired, not valid yet,
    /// unsigned `x-amz-*` headers, the server's lifetime limit).
    AccessDenied,
    /// 400: the `X-Amz-*` query parameters are missing, repeated or malformed, or name
    /// another region or service.
    AuthorizationQueryParametersError,
    /// 400: the session token has expired.
    ExpiredToken,
    /// 403: the access key id is unknown.
    InvalidAccessKeyId,
    /// 400: the request is not a valid presigned request (two authentication mechanisms,
    /// or more query parameters than a build without `alloc` can sort).
    InvalidArgument,
    /// 400: the session token is not valid.
    InvalidToken,
    /// 400: the request target cannot be read (not `/…`, or a malformed `%` escape).
    InvalidURI,
    /// 403: the signature is not the one the request's canonical form and the secret give.
    SignatureDoesNotMatch,
}

impl S3ErrorCode {
    /// The code as S3 spells it.
    ///
    /// ```
    /// assert_eq!(presign::S3ErrorCode::InvalidAccessKeyId.as_str(), "InvalidAccessKeyId");
    /// ```
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::AccessDenied => "AccessDenied",
            Self::AuthorizationQueryParametersError => "AuthorizationQueryParametersError",
            Self::ExpiredToken => "ExpiredToken",
            Self::InvalidAccessKeyId => "InvalidAccessKeyId",
            Self::InvalidArgument => "InvalidArgument",
            Self::InvalidToken => "InvalidToken",
            Self::InvalidURI => "InvalidURI",
            Self::SignatureDoesNotMatch => "SignatureDoesNotMatch",
        }
    }

    /// The HTTP status S3 answers with this code.
    ///
    /// ```
    /// assert_eq!(presign::S3ErrorCode::AccessDenied.http_status(), 403);
    /// assert_eq!(presign::S3ErrorCode::InvalidToken.http_status(), 400);
    /// ```
    #[must_use]
    pub const fn http_status(self) -> u16 {
        match self {
            Self::AccessDenied | Self::InvalidAccessKeyId | Self::SignatureDoesNotMatch => 403,
            Self::AuthorizationQueryParametersError
            | Self::ExpiredToken
            | Self::InvalidArgument
            | Self::InvalidToken
            | Self::InvalidURI => 400,
        }
    }
}

impl fmt::Display for S3ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What exactly was wrong with a refused request. [`Rejection::code`] maps each to its S3
/// code; `Display` gives the reason as a log line (lower case, no final period).
///
/// Nothing here holds the signature or the session token; the access key id and the
/// names in the URL are public.
///
/// ```
/// use presign::{InspectError, RejectionReason, S3ErrorCode};
///
/// let reason = RejectionReason::Malformed(InspectError::UnsupportedAlgorithm);
/// assert_eq!(reason.code(), S3ErrorCode::AuthorizationQueryParametersError);
/// assert!(reason.to_string().contains("AWS4-HMAC-SHA256"));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum RejectionReason<'a> {
    /// The request target does not start with `/` (a server hands the verifier the target
    /// of the request line, in origin form).
    NotOriginForm,
    /// A `%` in the request target is not followed by two hex digits.
    MalformedEscape {
        /// Its offset in the target.
        index: usize,
    },
    /// No `X-Amz-*` query authentication at all: an anonymous request, which S3 refuses
    /// for a private bucket.
    NotPresigned,
    /// An `Authorization` header besides the query authentication.
    BothAuthMechanisms,
    /// The authentication parameters are missing, repeated or malformed.
    Malformed(InspectError),
    /// The credential scope names a region this server does not serve.
    WrongRegion {
        /// The region in the URL.
        found: Encoded<'a>,
        /// The regions the policy accepts.
        expected: &'a [&'a str],
    },
    /// The credential scope names another service.
    WrongService {
        /// The service in the URL.
        found: Encoded<'a>,
        /// The service the policy expects.
        expected: &'a str,
    },
    /// `X-Amz-Date` is later than the server's time by more than the clock skew allowed.
    NotYetValid {
        /// `X-Amz-Date`.
        signed_at: OffsetDateTime,
        /// The server's time.
        now: OffsetDateTime,
        /// The clock skew allowed, in seconds.
        skew_secs: u32,
    },
    /// The request came at or after `X-Amz-Date` + `X-Amz-Expires`.
    Expired {
        /// The first instant the URL was expired.
        expires_at: OffsetDateTime,
        /// The server's time.
        now: OffsetDateTime,
    },
    /// `X-Amz-Expires` is longer than the policy allows.
    LifetimeOverPolicy {
        /// `X-Amz-Expires`.
        secs: u32,
        /// The longest lifetime the policy accepts.
        max: u32,
    },
    /// `host` is not among the signed headers.
    HostNotSigned,
    /// A signed header is not in the request.
    SignedHeaderMissing {
        /// Its name, as `X-Amz-SignedHeaders` lists it.
        name: Encoded<'a>,
    },
    /// An `x-amz-*` header is sent but not signed.
    UnsignedAmzHeader {
        /// Its name, as sent.
        name: &'a str,
    },
    /// More query parameters than a build without `alloc` sorts.
    TooManyQueryParameters {
        /// How many it sorts.
        max: usize,
    },
    /// The access key id is unknown to the store.
    UnknownAccessKeyId {
        /// The access key id in the URL.
        access_key_id: Encoded<'a>,
    },
    /// The session token (or its absence) is not valid for the access key.
    InvalidToken {
        /// The access key id in the URL.
        access_key_id: Encoded<'a>,
    },
    /// The session token has expired.
    ExpiredToken {
        /// The access key id in the URL.
        access_key_id: Encoded<'a>,
    },
    /// The signature is not the one the request's canonical form gives with the secret.
    SignatureMismatch,
}

impl RejectionReason<'_> {
    /// The S3 error code S3 answers for this.
    ///
    /// ```
    /// use presign::{RejectionReason, S3ErrorCode};
    /// assert_eq!(RejectionReason::SignatureMismatch.code(), S3ErrorCode::SignatureDoesNotMatch);
    /// assert_eq!(RejectionReason::HostNotSigned.code(), S3ErrorCode::AuthorizationQueryParametersError);
    /// ```
    #[must_use]
    pub fn code(&self) -> S3ErrorCode {
        match self {
            Self::NotOriginForm | Self::MalformedEscape { .. } => S3ErrorCode::InvalidURI,
            Self::NotPresigned
            | Self::NotYetValid { .. }
            | Self::Expired { .. }
            | Self::LifetimeOverPolicy { .. }
            | Self::UnsignedAmzHeader { .. } => S3ErrorCode::AccessDenied,
            Self::BothAuthMechanisms | Self::TooManyQueryParameters { .. } => {
                S3ErrorCode::InvalidArgument
            }
            // S3 compares the signature as text: a malformed one simply does not match.
            Self::Malformed(InspectError::InvalidSignature)
            | Self::SignedHeaderMissing { .. }
            | Self::SignatureMismatch => S3ErrorCode::SignatureDoesNotMatch,
            Self::Malformed(_)
            | Self::WrongRegion { .. }
            | Self::WrongService { .. }
            | Self::HostNotSigned => S3ErrorCode::AuthorizationQueryParametersError,
            Self::UnknownAccessKeyId { .. } => S3ErrorCode::InvalidAccessKeyId,
            Self::InvalidToken { .. } => S3ErrorCode::InvalidToken,
            Self::ExpiredToken { .. } => S3ErrorCode::ExpiredToken,
        }
    }
}

/// An instant as RFC 3339 UTC, whole seconds (`2013-05-24T00:00:00Z`).
pub(crate) struct Rfc3339(pub(crate) OffsetDateTime);

impl fmt::Display for Rfc3339 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let t = self.0.to_offset(time::UtcOffset::UTC);
        write!(
            f,
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            t.year(),
            u8::from(t.month()),
            t.day(),
            t.hour(),
            t.minute(),
            t.second()
        )
    }
}

/// `` `a`, `b` or `c` `` for a list of regions.
struct OneOf<'a>(&'a [&'a str]);

impl fmt::Display for OneOf<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let last = self.0.len().saturating_sub(1);
        for (i, item) in self.0.iter().enumerate() {
            match i {
                0 => {}
                _ if i == last => f.write_str(" or ")?,
                _ => f.write_str(", ")?,
            }
            write!(f, "`{item}`")?;
        }
        Ok(())
    }
}

impl RejectionReason<'_> {
    /// The message of a request target or query that is not a presigned request's, or
    /// `None` for the other variants.
    fn fmt_form(&self, f: &mut fmt::Formatter<'_>) -> Option<fmt::Result> {
        Some(match *self {
            Self::NotOriginForm => f.write_str(
                "the request target does not start with `/`; give the path and query of the request line",
            ),
            Self::MalformedEscape { index } => write!(
                f,
                "the request target has a malformed percent-escape at byte {index}; `%` must be followed by two hex digits"
            ),
            Self::NotPresigned => f.write_str(
                "the request carries no X-Amz-* query authentication; S3 takes it as anonymous and refuses it",
            ),
            Self::BothAuthMechanisms => f.write_str(
                "the request carries an Authorization header as well as X-Amz-* query authentication; S3 accepts one mechanism only: drop the header",
            ),
            Self::Malformed(err) => fmt::Display::fmt(&err, f),
            Self::TooManyQueryParameters { max } => write!(
                f,
                "the query has more than {max} parameters; without the `alloc` feature the verifier sorts at most {max}"
            ),
            _ => return None,
        })
    }

    /// The message of a scope or a time the server's policy refuses, or `None` for the
    /// other variants.
    fn fmt_policy(&self, f: &mut fmt::Formatter<'_>) -> Option<fmt::Result> {
        Some(match *self {
            Self::WrongRegion { found, expected } => write!(
                f,
                "the credential scope names region `{found}`; this server expects {}",
                OneOf(expected)
            ),
            Self::WrongService { found, expected } => write!(
                f,
                "the credential scope names service `{found}`; this server expects `{expected}`"
            ),
            Self::NotYetValid {
                signed_at,
                now,
                skew_secs,
            } => write!(
                f,
                "the request is signed at {}, {} s after the server's time {}; at most {skew_secs} s of clock skew is allowed",
                Rfc3339(signed_at),
                (signed_at - now).whole_seconds(),
                Rfc3339(now)
            ),
            Self::Expired { expires_at, now } => write!(
                f,
                "the request expired at {}, {} s before the server's time {}; presign a new url",
                Rfc3339(expires_at),
                (now - expires_at).whole_seconds(),
                Rfc3339(now)
            ),
            Self::LifetimeOverPolicy { secs, max } => write!(
                f,
                "query parameter {} is {secs} s; this server accepts presigned requests valid for at most {max} s",
                AuthParam::Expires
            ),
            _ => return None,
        })
    }

    /// The message of signed headers, a key or a signature that do not match, or `None`
    /// for the other variants.
    fn fmt_signature(&self, f: &mut fmt::Formatter<'_>) -> Option<fmt::Result> {
        Some(match *self {
            Self::HostNotSigned => write!(
                f,
                "query parameter {} does not list host; SigV4 requires the host header to be signed",
                AuthParam::SignedHeaders
            ),
            Self::SignedHeaderMissing { name } => write!(
                f,
                "signed header `{name}` is not in the request; send it with the value it was signed with"
            ),
            Self::UnsignedAmzHeader { name } => write!(
                f,
                "header `{name}` is sent but not signed; S3 requires every x-amz-* header of a presigned request to be signed: drop it or presign with it"
            ),
            Self::UnknownAccessKeyId { access_key_id } => write!(
                f,
                "access key id `{access_key_id}` is not known to this server"
            ),
            Self::InvalidToken { access_key_id } => write!(
                f,
                "the session token is not valid for access key id `{access_key_id}`"
            ),
            Self::ExpiredToken { access_key_id } => write!(
                f,
                "the session token of access key id `{access_key_id}` has expired"
            ),
            Self::SignatureMismatch => f.write_str(
                "the signature does not match the request; check the secret, and that the method, path, query and signed headers are sent as they were signed",
            ),
            // Listed, not `_`: a new variant must be given a message somewhere.
            Self::NotOriginForm
            | Self::MalformedEscape { .. }
            | Self::NotPresigned
            | Self::BothAuthMechanisms
            | Self::Malformed(_)
            | Self::WrongRegion { .. }
            | Self::WrongService { .. }
            | Self::NotYetValid { .. }
            | Self::Expired { .. }
            | Self::LifetimeOverPolicy { .. }
            | Self::TooManyQueryParameters { .. } => return None,
        })
    }
}

impl fmt::Display for RejectionReason<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.fmt_form(f)
            .or_else(|| self.fmt_policy(f))
            .or_else(|| self.fmt_signature(f))
            .expect("every variant has a message in one of the three groups")
    }
}

/// A refused presigned request: the S3 code to answer, the reason, and for a signature
/// mismatch the canonical request and string to sign the server computed (as S3's error
/// body carries them), rendered on demand from the request it borrows.
///
/// `Display` gives one log line: the reason, and for a mismatch the canonical request and
/// string to sign escaped onto the line, with the session token's value redacted (the
/// signature is never part of either).
///
/// ```
/// use presign::{Credentials, Policy, ReceivedRequest, S3ErrorCode, Verifier};
/// use time::macros::datetime;
///
/// let verifier = Verifier::new(Policy::new(&["us-east-1"])?, Credentials::new("AKID", "secret")?);
/// let request = ReceivedRequest { method: "GET", target: "/bucket/key", host: "h", headers: &[] };
/// let rejection = verifier.verify(&request, datetime!(2026-01-01 0:00 UTC)).unwrap_err();
/// assert_eq!(rejection.code(), "AccessDenied");
/// assert_eq!(rejection.error_code(), S3ErrorCode::AccessDenied);
/// assert!(rejection.to_string().contains("no X-Amz-* query authentication"));
/// # Ok::<(), presign::Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Rejection<'a> {
    reason: RejectionReason<'a>,
    request: ReceivedRequest<'a>,
    /// The payload hash given to [`Verifier::verify_with_payload`](crate::Verifier::verify_with_payload).
    payload: Option<&'a str>,
}

impl<'a> Rejection<'a> {
    pub(crate) fn new(
        reason: RejectionReason<'a>,
        request: ReceivedRequest<'a>,
        payload: Option<&'a str>,
    ) -> Self {
        Self {
            reason,
            request,
            payload,
        }
    }

    /// What was wrong.
    ///
    /// ```
    /// # use presign::{Credentials, Policy, ReceivedRequest, RejectionReason, Verifier};
    /// # let verifier = Verifier::new(Policy::new(&["us-east-1"])?, Credentials::new("AKID", "secret")?);
    /// let request = ReceivedRequest { method: "GET", target: "bucket/key", host: "h", headers: &[] };
    /// let rejection = verifier.verify(&request, time::macros::datetime!(2026-01-01 0:00 UTC)).unwrap_err();
    /// assert_eq!(rejection.reason(), RejectionReason::NotOriginForm);
    /// # Ok::<(), presign::Error>(())
    /// ```
    #[must_use]
    pub fn reason(&self) -> RejectionReason<'a> {
        self.reason
    }

    /// The S3 error code, as an enum.
    ///
    /// ```
    /// # use presign::{Credentials, Policy, ReceivedRequest, S3ErrorCode, Verifier};
    /// # let verifier = Verifier::new(Policy::new(&["us-east-1"])?, Credentials::new("AKID", "secret")?);
    /// let request = ReceivedRequest { method: "GET", target: "/k?a=%zz", host: "h", headers: &[] };
    /// let rejection = verifier.verify(&request, time::macros::datetime!(2026-01-01 0:00 UTC)).unwrap_err();
    /// assert_eq!(rejection.error_code(), S3ErrorCode::InvalidURI);
    /// # Ok::<(), presign::Error>(())
    /// ```
    #[must_use]
    pub fn error_code(&self) -> S3ErrorCode {
        self.reason.code()
    }

    /// The S3 error code as S3 spells it, e.g. `SignatureDoesNotMatch`.
    ///
    /// ```
    /// # use presign::{Credentials, Policy, ReceivedRequest, Verifier};
    /// # let verifier = Verifier::new(Policy::new(&["us-east-1"])?, Credentials::new("AKID", "secret")?);
    /// let request = ReceivedRequest { method: "GET", target: "/k?a=%zz", host: "h", headers: &[] };
    /// let rejection = verifier.verify(&request, time::macros::datetime!(2026-01-01 0:00 UTC)).unwrap_err();
    /// assert_eq!(rejection.code(), "InvalidURI");
    /// # Ok::<(), presign::Error>(())
    /// ```
    #[must_use]
    pub fn code(&self) -> &'static str {
        self.reason.code().as_str()
    }

    /// The HTTP status to answer with (403 or 400).
    ///
    /// ```
    /// # use presign::{Credentials, Policy, ReceivedRequest, Verifier};
    /// # let verifier = Verifier::new(Policy::new(&["us-east-1"])?, Credentials::new("AKID", "secret")?);
    /// let request = ReceivedRequest { method: "GET", target: "/k", host: "h", headers: &[] };
    /// let rejection = verifier.verify(&request, time::macros::datetime!(2026-01-01 0:00 UTC)).unwrap_err();
    /// assert_eq!(rejection.http_status(), 403);
    /// # Ok::<(), presign::Error>(())
    /// ```
    #[must_use]
    pub fn http_status(&self) -> u16 {
        self.reason.code().http_status()
    }

    /// The message S3 puts in `<Message>` for this refusal, for a server that answers as S3
    /// does (the precise reason is `Display`, for the log).
    ///
    /// ```
    /// # use presign::{Credentials, Policy, ReceivedRequest, Verifier};
    /// # let verifier = Verifier::new(Policy::new(&["us-east-1"])?, Credentials::new("AKID", "secret")?);
    /// let request = ReceivedRequest { method: "GET", target: "/k", host: "h", headers: &[] };
    /// let rejection = verifier.verify(&request, time::macros::datetime!(2026-01-01 0:00 UTC)).unwrap_err();
    /// assert_eq!(rejection.s3_message().to_string(), "Access Denied");
    /// # Ok::<(), presign::Error>(())
    /// ```
    #[must_use]
    pub fn s3_message(&self) -> S3Message<'a> {
        S3Message(self.reason)
    }

    /// For a signature mismatch, the canonical request the server computed, exactly (with
    /// its newlines and the session token): what S3 returns in `<CanonicalRequest>`. `None`
    /// for every other refusal.
    ///
    /// ```
    /// # #[cfg(feature = "alloc")] {
    /// use presign::{Credentials, GetTtl, Policy, Presigner, ReceivedRequest, Verifier, Endpoint};
    /// use time::macros::datetime;
    ///
    /// let now = datetime!(2026-01-01 0:00 UTC);
    /// let p = Presigner::new(Endpoint::custom("http://h", "us-east-1")?, Credentials::new("AKID", "secret")?);
    /// let url = p.get_object("bkt", "k", GetTtl::default(), now)?.into_url();
    /// let verifier = Verifier::new(Policy::new(&["us-east-1"])?, Credentials::new("AKID", "other")?);
    /// let request = ReceivedRequest { method: "GET", target: &url["http://h".len()..], host: "h", headers: &[] };
    /// let rejection = verifier.verify(&request, now).unwrap_err();
    /// let canonical = rejection.canonical_request().expect("a mismatch").to_string();
    /// assert!(canonical.starts_with("GET\n/bkt/k\nX-Amz-Algorithm=AWS4-HMAC-SHA256&"));
    /// assert!(canonical.ends_with("\nhost:h\n\nhost\nUNSIGNED-PAYLOAD"));
    /// # }
    /// # Ok::<(), presign::Error>(())
    /// ```
    #[must_use]
    pub fn canonical_request(&self) -> Option<CanonicalRequestText<'a>> {
        (self.reason == RejectionReason::SignatureMismatch).then_some(CanonicalRequestText {
            request: self.request,
            payload: self.payload,
            redact_token: false,
        })
    }

    /// For a signature mismatch, the string to sign the server computed: what S3 returns in
    /// `<StringToSign>`. `None` for every other refusal.
    ///
    /// ```
    /// # #[cfg(feature = "alloc")] {
    /// # use presign::{Credentials, GetTtl, Policy, Presigner, ReceivedRequest, Verifier, Endpoint};
    /// # let now = time::macros::datetime!(2026-01-01 0:00 UTC);
    /// # let p = Presigner::new(Endpoint::custom("http://h", "us-east-1")?, Credentials::new("AKID", "secret")?);
    /// # let url = p.get_object("bkt", "k", GetTtl::default(), now)?.into_url();
    /// # let verifier = Verifier::new(Policy::new(&["us-east-1"])?, Credentials::new("AKID", "other")?);
    /// # let request = ReceivedRequest { method: "GET", target: &url["http://h".len()..], host: "h", headers: &[] };
    /// let rejection = verifier.verify(&request, now).unwrap_err();
    /// let sts = rejection.string_to_sign().expect("a mismatch").to_string();
    /// assert!(sts.starts_with("AWS4-HMAC-SHA256\n20260101T000000Z\n20260101/us-east-1/s3/aws4_request\n"));
    /// # }
    /// # Ok::<(), presign::Error>(())
    /// ```
    #[must_use]
    pub fn string_to_sign(&self) -> Option<StringToSignText<'a>> {
        (self.reason == RejectionReason::SignatureMismatch).then_some(StringToSignText {
            request: self.request,
            payload: self.payload,
        })
    }
}

impl fmt::Display for Rejection<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.reason, f)?;
        if self.reason == RejectionReason::SignatureMismatch {
            f.write_str("; canonical request ")?;
            quoted(
                f,
                &CanonicalRequestText {
                    request: self.request,
                    payload: self.payload,
                    redact_token: true,
                },
            )?;
            f.write_str(", string to sign ")?;
            quoted(
                f,
                &StringToSignText {
                    request: self.request,
                    payload: self.payload,
                },
            )?;
        }
        Ok(())
    }
}

impl fmt::Debug for Rejection<'_> {
    /// The reason and the request, its query's secrets redacted.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Rejection")
            .field("code", &self.error_code())
            .field("reason", &self.reason)
            .field("request", &self.request)
            .finish()
    }
}

/// Writes `text` between double quotes on one line: `\n`, `"` and `\` escaped.
fn quoted(f: &mut fmt::Formatter<'_>, text: &dyn fmt::Display) -> fmt::Result {
    struct Escaping<'f, 'g>(&'f mut fmt::Formatter<'g>);
    impl fmt::Write for Escaping<'_, '_> {
        fn write_str(&mut self, s: &str) -> fmt::Result {
            let mut rest = s;
            while let Some(at) = rest.find(['\n', '"', '\\']) {
                let (plain, tail) = rest.split_at(at);
                self.0.write_str(plain)?;
                let mut chars = tail.chars();
                self.0.write_str(match chars.next() {
                    Some('\n') => "\\n",
                    Some('"') => "\\\"",
                    _ => "\\\\",
                })?;
                rest = chars.as_str();
            }
            self.0.write_str(rest)
        }
    }
    f.write_str("\"")?;
    fmt::write(&mut Escaping(f), format_args!("{text}"))?;
    f.write_str("\"")
}

/// The parts of a received request that make its canonical request; `None` when they do
/// not parse (never for a request refused for its signature, which parsed before).
fn canonical_parts<'a>(
    request: &ReceivedRequest<'a>,
    payload: Option<&'a str>,
    scratch: &'a mut ParamScratch,
) -> Option<(CanonicalRequest<'a, 'a>, PresignedUrl<'a>)> {
    let (path, query) = split_target(request.target).ok()?;
    let query = query?;
    let url = PresignedUrl::from_parts(request.target, "", request.host, path.text, query).ok()?;
    let headers = SignedHeaders {
        names: url.signed_headers_param(),
        host: request.host,
        headers: request.headers,
    };
    let canonical = CanonicalRequest {
        method: request.method,
        path,
        query: CanonicalQuery::new(query, scratch).ok()?.0,
        headers,
        payload,
    };
    Some((canonical, url))
}

/// The canonical request of a refused request, rendered on demand; see
/// [`Rejection::canonical_request`].
///
/// ```
/// # #[cfg(feature = "alloc")] {
/// # use presign::{Credentials, GetTtl, Policy, Presigner, ReceivedRequest, Verifier, Endpoint};
/// # let now = time::macros::datetime!(2026-01-01 0:00 UTC);
/// # let p = Presigner::new(Endpoint::custom("http://h", "us-east-1")?, Credentials::new("AKID", "secret")?);
/// # let url = p.get_object("bkt", "k", GetTtl::default(), now)?.into_url();
/// # let verifier = Verifier::new(Policy::new(&["us-east-1"])?, Credentials::new("AKID", "other")?);
/// # let request = ReceivedRequest { method: "GET", target: &url["http://h".len()..], host: "h", headers: &[] };
/// let text = verifier.verify(&request, now).unwrap_err().canonical_request().expect("a mismatch");
/// assert_eq!(text.to_string().lines().count(), 7); // method to payload hash
/// # }
/// # Ok::<(), presign::Error>(())
/// ```
#[derive(Clone, Copy, Debug)]
pub struct CanonicalRequestText<'a> {
    request: ReceivedRequest<'a>,
    payload: Option<&'a str>,
    redact_token: bool,
}

impl fmt::Display for CanonicalRequestText<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut scratch = ParamScratch::new();
        let Some((canonical, _)) = canonical_parts(&self.request, self.payload, &mut scratch)
        else {
            return f.write_str("<the request does not parse>");
        };
        let mut sink = FmtSink::new(f);
        canonical.write(self.redact_token, &mut sink);
        sink.finish().map_err(|_| fmt::Error)
    }
}

/// The string to sign of a refused request, rendered on demand; see
/// [`Rejection::string_to_sign`].
///
/// ```
/// # #[cfg(feature = "alloc")] {
/// # use presign::{Credentials, GetTtl, Policy, Presigner, ReceivedRequest, Verifier, Endpoint};
/// # let now = time::macros::datetime!(2026-01-01 0:00 UTC);
/// # let p = Presigner::new(Endpoint::custom("http://h", "us-east-1")?, Credentials::new("AKID", "secret")?);
/// # let url = p.get_object("bkt", "k", GetTtl::default(), now)?.into_url();
/// # let verifier = Verifier::new(Policy::new(&["us-east-1"])?, Credentials::new("AKID", "other")?);
/// # let request = ReceivedRequest { method: "GET", target: &url["http://h".len()..], host: "h", headers: &[] };
/// let text = verifier.verify(&request, now).unwrap_err().string_to_sign().expect("a mismatch");
/// assert_eq!(text.to_string().lines().count(), 4);
/// # }
/// # Ok::<(), presign::Error>(())
/// ```
#[derive(Clone, Copy, Debug)]
pub struct StringToSignText<'a> {
    request: ReceivedRequest<'a>,
    payload: Option<&'a str>,
}

impl fmt::Display for StringToSignText<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut scratch = ParamScratch::new();
        let Some((canonical, url)) = canonical_parts(&self.request, self.payload, &mut scratch)
        else {
            return f.write_str("<the request does not parse>");
        };
        let t = url.signed_at();
        write!(
            f,
            "AWS4-HMAC-SHA256\n{:04}{:02}{:02}T{:02}{:02}{:02}Z\n{:04}{:02}{:02}/{}/{}/aws4_request\n{}",
            t.year(),
            u8::from(t.month()),
            t.day(),
            t.hour(),
            t.minute(),
            t.second(),
            t.year(),
            u8::from(t.month()),
            t.day(),
            url.region(),
            url.service(),
            encode::hex32(&canonical.hash().0)
        )
    }
}

/// S3's own message for a refusal; see [`Rejection::s3_message`].
///
/// ```
/// use presign::{InspectError, RejectionReason};
/// # use presign::{Credentials, Policy, ReceivedRequest, Verifier};
/// # let verifier = Verifier::new(Policy::new(&["us-east-1"])?, Credentials::new("AKID", "secret")?);
/// let request = ReceivedRequest { method: "GET", target: "/k?X-Amz-Algorithm=AWS4-HMAC-SHA1", host: "h", headers: &[] };
/// let rejection = verifier.verify(&request, time::macros::datetime!(2026-01-01 0:00 UTC)).unwrap_err();
/// assert_eq!(rejection.s3_message().to_string(), "X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"");
/// # Ok::<(), presign::Error>(())
/// ```
#[derive(Clone, Copy, Debug)]
pub struct S3Message<'a>(RejectionReason<'a>);

impl S3Message<'_> {
    /// S3's message about the request as a whole (its target, its authentication, its
    /// time, its headers, its key and signature), or `None` when it has none.
    fn fmt_request(&self, f: &mut fmt::Formatter<'_>) -> Option<fmt::Result> {
        Some(match self.0 {
            RejectionReason::NotOriginForm | RejectionReason::MalformedEscape { .. } => {
                f.write_str("Couldn't parse the specified URI.")
            }
            RejectionReason::NotPresigned | RejectionReason::LifetimeOverPolicy { .. } => {
                f.write_str("Access Denied")
            }
            RejectionReason::BothAuthMechanisms => f.write_str(
                "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified",
            ),
            RejectionReason::NotYetValid { .. } => f.write_str("Request is not valid yet"),
            RejectionReason::Expired { .. } => f.write_str("Request has expired"),
            RejectionReason::UnsignedAmzHeader { .. } => {
                f.write_str("There were headers present in the request which were not signed")
            }
            RejectionReason::Malformed(InspectError::InvalidSignature)
            | RejectionReason::SignedHeaderMissing { .. }
            | RejectionReason::SignatureMismatch => f.write_str(
                "The request signature we calculated does not match the signature you provided. Check your key and signing method.",
            ),
            RejectionReason::UnknownAccessKeyId { .. } => f.write_str(
                "The AWS Access Key Id you provided does not exist in our records.",
            ),
            RejectionReason::InvalidToken { .. } => {
                f.write_str("The provided token is malformed or otherwise invalid.")
            }
            RejectionReason::ExpiredToken { .. } => f.write_str("The provided token has expired."),
            _ => return None,
        })
    }

    /// S3's message about a malformed X-Amz-* parameter or a credential scope the server
    /// does not take, or `None` when it has none.
    fn fmt_parameter(&self, f: &mut fmt::Formatter<'_>) -> Option<fmt::Result> {
        const CREDENTIAL: &str = "Error parsing the X-Amz-Credential parameter; ";
        Some(match self.0 {
            RejectionReason::Malformed(InspectError::Missing { .. } | InspectError::Empty { .. }) => f.write_str(
                "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.",
            ),
            RejectionReason::Malformed(InspectError::UnsupportedAlgorithm) => {
                f.write_str("X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"")
            }
            RejectionReason::Malformed(InspectError::InvalidDate) => f.write_str(
                "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"",
            ),
            RejectionReason::Malformed(InspectError::InvalidExpires) => {
                f.write_str("X-Amz-Expires should be a number")
            }
            RejectionReason::Malformed(InspectError::ExpiresOutOfRange { secs, max, .. })
                if secs > max =>
            {
                write!(
                    f,
                    "X-Amz-Expires must be less than a week (in seconds) that is {max}"
                )
            }
            RejectionReason::Malformed(InspectError::ScopeDateMismatch) => f.write_str(
                "Invalid credential date. Date is not the same as X-Amz-Date.",
            ),
            RejectionReason::Malformed(
                InspectError::CredentialParts { .. }
                | InspectError::EmptyCredentialPart { .. }
                | InspectError::CredentialTerminator,
            ) => write!(
                f,
                "{CREDENTIAL}the Credential is mal-formed; expecting \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\"."
            ),
            RejectionReason::WrongRegion { found, expected } => write!(
                f,
                "{CREDENTIAL}the region '{found}' is wrong; expecting '{}'",
                expected.first().copied().unwrap_or_default()
            ),
            RejectionReason::WrongService { found, expected } => write!(
                f,
                "{CREDENTIAL}incorrect service \"{found}\". This endpoint belongs to \"{expected}\"."
            ),
            _ => return None,
        })
    }
}

impl fmt::Display for S3Message<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(result) = self.fmt_request(f).or_else(|| self.fmt_parameter(f)) {
            return result;
        }
        // No S3 message of its own: the precise reason, as a sentence.
        let reason = self.0;
        let mut first = true;
        let mut upper = CapitalizeFirst {
            out: f,
            first: &mut first,
        };
        fmt::write(&mut upper, format_args!("{reason}"))?;
        f.write_str(".")
    }
}

/// Writes text with its first character upper-cased.
struct CapitalizeFirst<'f, 'g, 'b> {
    out: &'f mut fmt::Formatter<'g>,
    first: &'b mut bool,
}

impl fmt::Write for CapitalizeFirst<'_, '_, '_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        if *self.first && !s.is_empty() {
            *self.first = false;
            let mut chars = s.chars();
            if let Some(c) = chars.next() {
                for upper in c.to_uppercase() {
                    fmt::Write::write_char(self.out, upper)?;
                }
            }
            return self.out.write_str(chars.as_str());
        }
        self.out.write_str(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::{String, ToString};
    use time::macros::datetime;

    fn every_reason() -> [RejectionReason<'static>; 18] {
        let now = datetime!(2026-01-01 0:00 UTC);
        [
            RejectionReason::NotOriginForm,
            RejectionReason::MalformedEscape { index: 3 },
            RejectionReason::NotPresigned,
            RejectionReason::BothAuthMechanisms,
            RejectionReason::Malformed(InspectError::InvalidDate),
            RejectionReason::WrongRegion {
                found: Encoded::new("eu-west-1"),
                expected: &["auto", "us-east-1"],
            },
            RejectionReason::WrongService {
                found: Encoded::new("sqs"),
                expected: "s3",
            },
            RejectionReason::NotYetValid {
                signed_at: now + time::Duration::HOUR,
                now,
                skew_secs: 900,
            },
            RejectionReason::Expired {
                expires_at: now - time::Duration::HOUR,
                now,
            },
            RejectionReason::LifetimeOverPolicy {
                secs: 7200,
                max: 3600,
            },
            RejectionReason::HostNotSigned,
            RejectionReason::SignedHeaderMissing {
                name: Encoded::new("content-type"),
            },
            RejectionReason::UnsignedAmzHeader { name: "x-amz-acl" },
            RejectionReason::TooManyQueryParameters { max: 64 },
            RejectionReason::UnknownAccessKeyId {
                access_key_id: Encoded::new("AKID"),
            },
            RejectionReason::InvalidToken {
                access_key_id: Encoded::new("AKID"),
            },
            RejectionReason::ExpiredToken {
                access_key_id: Encoded::new("AKID"),
            },
            RejectionReason::SignatureMismatch,
        ]
    }

    /// Every reason reads as a log line (lower case, no final period) and every S3 message
    /// as S3 writes it (a capital first).
    #[test]
    fn reasons_and_messages_follow_the_house_style() {
        for reason in every_reason() {
            let line = reason.to_string();
            assert!(line.starts_with(char::is_lowercase), "{line}");
            assert!(!line.ends_with('.'), "{line}");
            let message = S3Message(reason).to_string();
            assert!(message.starts_with(char::is_uppercase), "{message}");
            assert!(
                matches!(reason.code().http_status(), 400 | 403),
                "{reason:?}"
            );
        }
    }

    #[test]
    fn times_and_lists_read_well() {
        assert_eq!(
            Rfc3339(datetime!(2013-05-24 0:00:01.5 +02:00)).to_string(),
            "2013-05-23T22:00:01Z"
        );
        assert_eq!(OneOf(&["a"]).to_string(), "`a`");
        assert_eq!(OneOf(&["a", "b", "c"]).to_string(), "`a`, `b` or `c`");
        let reasons = every_reason();
        assert_eq!(
            reasons[5].to_string(),
            "the credential scope names region `eu-west-1`; this server expects `auto` or `us-east-1`"
        );
        assert_eq!(
            reasons[7].to_string(),
            "the request is signed at 2026-01-01T01:00:00Z, 3600 s after the server's time 2026-01-01T00:00:00Z; at most 900 s of clock skew is allowed"
        );
        assert_eq!(
            reasons[8].to_string(),
            "the request expired at 2025-12-31T23:00:00Z, 3600 s before the server's time 2026-01-01T00:00:00Z; presign a new url"
        );
    }

    /// A message without an S3 wording of its own is the reason as a sentence.
    #[test]
    fn messages_fall_back_to_the_reason_as_a_sentence() {
        assert_eq!(
            S3Message(RejectionReason::HostNotSigned).to_string(),
            "Query parameter X-Amz-SignedHeaders does not list host; SigV4 requires the host header to be signed."
        );
    }

    #[test]
    fn quoting_escapes_newlines_quotes_and_backslashes() {
        struct Quoted(&'static str);
        impl fmt::Display for Quoted {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                quoted(f, &self.0)
            }
        }
        assert_eq!(
            Quoted("GET\n/a\"b\\c\n").to_string(),
            "\"GET\\n/a\\\"b\\\\c\\n\""
        );
        let mut text = String::new();
        fmt::write(&mut text, format_args!("{}", Quoted("é\n"))).expect("a String");
        assert_eq!(text, "\"é\\n\"");
    }
}
