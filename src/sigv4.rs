//! The lower-level SigV4 query signer, for any service and either rule set.
//!
//! [`Presigner`](crate::Presigner) covers S3 and R2. This module signs any request in query
//! (presigned URL) mode and exposes each step, so the whole AWS SigV4 test suite can be run
//! against it and other AWS services can be presigned too. It borrows everything and never
//! allocates.
//!
//! ```
//! use presign::sigv4::{self, HttpRequest, PayloadHash, Rules, SigningParams};
//! use time::macros::datetime;
//!
//! // "get-vanilla" of the AWS SigV4 test suite, in query mode.
//! let params = SigningParams {
//!     access_key_id: "AKIDEXAMPLE",
//!     secret_access_key: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
//!     session_token: None,
//!     region: "us-east-1",
//!     service: "service",
//!     time: datetime!(2015-08-30 12:36:00 UTC),
//!     expires_in_secs: 3600,
//!     rules: Rules::Generic { normalize_path: true },
//!     payload: PayloadHash::EmptyBody,
//! };
//! let request = HttpRequest { method: "GET", path: "/", query: &[], headers: &[("Host", "example.amazonaws.com")] };
//! let mut query = String::new();
//! let signature = sigv4::presign_query(&request, &params, &mut query)?;
//! assert!(query.ends_with(&format!("X-Amz-Signature={signature}")));
//! # Ok::<(), presign::Error>(())
//! ```

use core::fmt;

use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use crate::amz_date::AmzDate;
use crate::canonical_request::{UNSIGNED_PAYLOAD, write_tail};
use crate::credentials::{check_access_key_id, check_secret, check_session_token};
use crate::encode::{self, FmtSink, PATH, QUERY, Sink};
use crate::endpoint::check_scope_part;
use crate::error::{Error, Field};
use crate::headers::Headers;
use crate::pairs::Pairs;
use crate::query::{AuthQuery, QueryParams, TokenParam, write_signature_param};
use crate::scope::{STRING_TO_SIGN_MAX, Scope};
use crate::signing_key::SigningKey;
use crate::text::{self, TOKEN};

/// SHA-256 of the empty string, the payload hash of a request without a body.
const EMPTY_BODY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// How the canonical URI is made from the request path.
///
/// ```
/// let s3 = presign::sigv4::Rules::S3;
/// assert_ne!(s3, presign::sigv4::Rules::Generic { normalize_path: false });
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rules {
    /// S3 (and R2): the path is the decoded object path (`/bucket/my key`), URI-encoded
    /// once with `/` kept, and never normalised (`a/./b` and `a//b` are distinct keys).
    S3,
    /// Every other AWS service: the path is taken as it appears in the request line and
    /// URI-encoded (again, for a path that is already encoded); with `normalize_path`, dot
    /// segments are removed (RFC 3986 §5.2.4) and empty segments collapsed first.
    Generic {
        /// Remove `.`/`..` segments and collapse `//` before encoding.
        normalize_path: bool,
    },
}

/// The last line of the canonical request.
///
/// ```
/// let unsigned = presign::sigv4::PayloadHash::Unsigned;
/// assert_ne!(unsigned, presign::sigv4::PayloadHash::EmptyBody);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PayloadHash<'a> {
    /// `UNSIGNED-PAYLOAD`: what S3 presigned URLs use, as the body is not known yet.
    Unsigned,
    /// The SHA-256 of an empty body.
    EmptyBody,
    /// The SHA-256 of the body, as 64 lower-case hex digits.
    Sha256Hex(&'a str),
}

/// A session token and whether it is signed.
///
/// ```
/// let token = presign::sigv4::SessionToken::Signed("FwoGZXIvYXdz");
/// assert!(matches!(token, presign::sigv4::SessionToken::Signed(_)));
/// ```
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum SessionToken<'a> {
    /// `X-Amz-Security-Token` is part of the canonical query (what S3 and most services
    /// expect).
    Signed(&'a str),
    /// `X-Amz-Security-Token` is appended after signing (services that exclude it from the
    /// signature; the suite's `omit_session_token` cases).
    AppendedAfterSigning(&'a str),
}

impl fmt::Debug for SessionToken<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Signed(_) => "Signed(<redacted>)",
            Self::AppendedAfterSigning(_) => "AppendedAfterSigning(<redacted>)",
        })
    }
}

/// Who signs, for which scope, when, for how long, and under which rules.
///
/// `Debug` redacts the secret and the token.
///
/// ```
/// use presign::sigv4::{PayloadHash, Rules, SigningParams};
/// let params = SigningParams {
///     access_key_id: "AKIDEXAMPLE",
///     secret_access_key: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
///     session_token: None,
///     region: "us-east-1",
///     service: "s3",
///     time: time::macros::datetime!(2013-05-24 0:00 UTC),
///     expires_in_secs: 86400,
///     rules: Rules::S3,
///     payload: PayloadHash::Unsigned,
/// };
/// assert!(!format!("{params:?}").contains("EXAMPLEKEY"));
/// ```
#[derive(Clone, Copy)]
pub struct SigningParams<'a> {
    /// The access key id.
    pub access_key_id: &'a str,
    /// The secret access key (1 ..= 128 bytes).
    pub secret_access_key: &'a str,
    /// The session token of temporary credentials.
    pub session_token: Option<SessionToken<'a>>,
    /// The region of the credential scope.
    pub region: &'a str,
    /// The service of the credential scope (`s3`).
    pub service: &'a str,
    /// The signing time (any offset; normalised to UTC, sub-seconds dropped).
    pub time: OffsetDateTime,
    /// `X-Amz-Expires`, 1 ..= 604800.
    pub expires_in_secs: u32,
    /// The canonical URI rules.
    pub rules: Rules,
    /// The payload hash.
    pub payload: PayloadHash<'a>,
}

impl fmt::Debug for SigningParams<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningParams")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"<redacted>")
            .field("session_token", &self.session_token)
            .field("region", &self.region)
            .field("service", &self.service)
            .field("time", &self.time)
            .field("expires_in_secs", &self.expires_in_secs)
            .field("rules", &self.rules)
            .field("payload", &self.payload)
            .finish()
    }
}

/// The request to presign.
///
/// ```
/// let request = presign::sigv4::HttpRequest {
///     method: "GET",
///     path: "/examplebucket/test.txt",
///     query: &[("versionId", "1")],
///     headers: &[("host", "s3.amazonaws.com")],
/// };
/// assert_eq!(request.method, "GET");
/// ```
#[derive(Debug, Clone, Copy)]
pub struct HttpRequest<'a> {
    /// The method, e.g. `GET`.
    pub method: &'a str,
    /// The path: decoded for [`Rules::S3`], as in the request line for [`Rules::Generic`].
    pub path: &'a str,
    /// Query parameters, decoded, in any order.
    pub query: &'a [(&'a str, &'a str)],
    /// Headers to sign, `host` included, in any order; repeated names are joined with `,`.
    pub headers: &'a [(&'a str, &'a str)],
}

/// A SigV4 signature; `Display` gives the 64 lower-case hex digits, `Debug` hides them.
///
/// ```
/// # use presign::sigv4::{self, HttpRequest, PayloadHash, Rules, SigningParams};
/// # let params = SigningParams { access_key_id: "AKID", secret_access_key: "secret", session_token: None,
/// #     region: "us-east-1", service: "s3", time: time::macros::datetime!(2026-01-01 0:00 UTC),
/// #     expires_in_secs: 60, rules: Rules::S3, payload: PayloadHash::Unsigned };
/// # let request = HttpRequest { method: "GET", path: "/b/k", query: &[], headers: &[("host", "h")] };
/// let signature = sigv4::presign_query(&request, &params, &mut String::new())?;
/// assert_eq!(signature.to_string().len(), 64);
/// assert_eq!(signature.as_bytes().len(), 32);
/// assert_eq!(format!("{signature:?}"), "Signature(<redacted>)");
/// # Ok::<(), presign::Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Signature([u8; 32]);

impl Signature {
    /// The raw 32 bytes.
    ///
    /// ```
    /// # use presign::sigv4::{self, HttpRequest, PayloadHash, Rules, SigningParams};
    /// # let params = SigningParams { access_key_id: "AKID", secret_access_key: "secret", session_token: None,
    /// #     region: "us-east-1", service: "s3", time: time::macros::datetime!(2026-01-01 0:00 UTC),
    /// #     expires_in_secs: 60, rules: Rules::S3, payload: PayloadHash::Unsigned };
    /// # let request = HttpRequest { method: "GET", path: "/b/k", query: &[], headers: &[("host", "h")] };
    /// let signature = sigv4::presign_query(&request, &params, &mut String::new())?;
    /// assert_eq!(signature.as_bytes().len(), 32);
    /// # Ok::<(), presign::Error>(())
    /// ```
    #[must_use]
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl fmt::Display for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        core::fmt::Display::fmt(&encode::hex32(&self.0), f)
    }
}

/// Redacted, like [`PresignedRequest`](crate::PresignedRequest)'s `Debug`: with the rest of
/// a URL, a signature is a bearer credential until the URL expires, and `Debug` output ends
/// up in logs. `Display` gives the digits, for writing the URL.
impl fmt::Debug for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Signature(<redacted>)")
    }
}

/// Everything validated once, shared by the three entry points.
struct Prepared<'a> {
    date: AmzDate,
    scope: Scope,
    headers: Headers<'a>,
    query: QueryParams<'a>,
    payload: &'a str,
    /// The normalised path segments, when the rules ask for normalisation.
    normalized: Option<Segments<'a>>,
}

fn prepare<'a>(
    request: &HttpRequest<'a>,
    params: &SigningParams<'a>,
) -> Result<Prepared<'a>, Error> {
    check_access_key_id(params.access_key_id)?;
    check_secret(params.secret_access_key)?;
    if let Some(SessionToken::Signed(token) | SessionToken::AppendedAfterSigning(token)) =
        params.session_token
    {
        check_session_token(token)?;
    }
    check_scope_part(Field::Region, params.region)?;
    check_scope_part(Field::Service, params.service)?;
    crate::Ttl::from_secs(u64::from(params.expires_in_secs))?;
    text::check(Field::Method, request.method, usize::MAX, TOKEN)?;
    let payload = match params.payload {
        PayloadHash::Unsigned => UNSIGNED_PAYLOAD,
        PayloadHash::EmptyBody => EMPTY_BODY_SHA256,
        PayloadHash::Sha256Hex(hex) => {
            if hex.len() != 64
                || !hex
                    .bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
            {
                return Err(Error::InvalidPayloadHash);
            }
            hex
        }
    };
    Ok(Prepared {
        date: AmzDate::new(params.time)?,
        scope: Scope::new(params.access_key_id, params.region, params.service),
        // Any header may be signed here: the caller owns the whole request.
        headers: Headers::listed(Pairs::new(request.headers), &[], &[])?,
        query: QueryParams::new(Pairs::new(request.query))?,
        payload,
        normalized: match params.rules {
            Rules::Generic {
                normalize_path: true,
            } => Some(Segments::new(request.path)?),
            _ => None,
        },
    })
}

fn auth<'a>(prepared: &'a Prepared<'a>, params: &'a SigningParams<'a>) -> AuthQuery<'a> {
    AuthQuery {
        scope: &prepared.scope,
        date: &prepared.date,
        expires_in: params.expires_in_secs,
        session_token: match params.session_token {
            Some(SessionToken::Signed(token)) => Some(TokenParam::Raw(token)),
            _ => None,
        },
        headers: &prepared.headers,
    }
}

/// Writes the canonical request (SigV4 step 1).
fn write_canonical_request(
    request: &HttpRequest<'_>,
    params: &SigningParams<'_>,
    prepared: &Prepared<'_>,
    out: &mut impl Sink,
) {
    let auth = auth(prepared, params);
    out.put(request.method);
    out.put("\n");
    write_canonical_uri(request.path, prepared.normalized.as_ref(), out);
    out.put("\n");
    auth.write_query(&prepared.query, out);
    write_tail(&prepared.headers, prepared.payload, out);
}

fn write_canonical_uri(path: &str, normalized: Option<&Segments<'_>>, out: &mut impl Sink) {
    match normalized {
        None => {
            if !path.starts_with('/') {
                out.put("/");
            }
            encode::encode(path, PATH, out);
        }
        Some(segments) => {
            for segment in segments.kept() {
                out.put("/");
                encode::encode(segment, PATH, out);
            }
            // The root is always "/"; otherwise a trailing slash survives, and so does the
            // directory meaning of a final "." or ".." (RFC 3986 §5.2.4: "/a/b/.." is "/a/").
            if segments.kept().is_empty() || segments.trailing_slash {
                out.put("/");
            }
        }
    }
}

/// The most path segments kept after normalisation without the `alloc` feature.
#[cfg(not(feature = "alloc"))]
const MAX_SEGMENTS_NO_ALLOC: usize = 64;

/// A path's segments after dot-segment removal and empty-segment collapse (RFC 3986
/// §5.2.4), computed in one pass with a stack: linear in the path length.
struct Segments<'a> {
    #[cfg(feature = "alloc")]
    stack: alloc::vec::Vec<&'a str>,
    #[cfg(not(feature = "alloc"))]
    stack: ([&'a str; MAX_SEGMENTS_NO_ALLOC], usize),
    trailing_slash: bool,
}

impl<'a> Segments<'a> {
    fn new(path: &'a str) -> Result<Self, Error> {
        let mut segments = Self {
            #[cfg(feature = "alloc")]
            stack: alloc::vec::Vec::new(),
            #[cfg(not(feature = "alloc"))]
            stack: ([""; MAX_SEGMENTS_NO_ALLOC], 0),
            trailing_slash: false,
        };
        let mut last = "";
        for segment in path.split('/') {
            match segment {
                "" | "." => {}
                ".." => segments.pop(),
                _ => segments.push(segment)?,
            }
            last = segment;
        }
        segments.trailing_slash = matches!(last, "" | "." | "..");
        Ok(segments)
    }

    #[cfg_attr(
        feature = "alloc",
        allow(clippy::unnecessary_wraps, reason = "fails only without `alloc`")
    )]
    fn push(&mut self, segment: &'a str) -> Result<(), Error> {
        #[cfg(feature = "alloc")]
        self.stack.push(segment);
        #[cfg(not(feature = "alloc"))]
        {
            let (items, len) = &mut self.stack;
            *items.get_mut(*len).ok_or(Error::TooManyParameters {
                max: MAX_SEGMENTS_NO_ALLOC,
            })? = segment;
            *len += 1;
        }
        Ok(())
    }

    fn pop(&mut self) {
        #[cfg(feature = "alloc")]
        self.stack.pop();
        #[cfg(not(feature = "alloc"))]
        {
            self.stack.1 = self.stack.1.saturating_sub(1);
        }
    }

    fn kept(&self) -> &[&'a str] {
        #[cfg(feature = "alloc")]
        {
            &self.stack
        }
        #[cfg(not(feature = "alloc"))]
        {
            &self.stack.0[..self.stack.1]
        }
    }
}

/// Writes the canonical request (SigV4 step 1), for inspection and tests.
///
/// ```
/// # use presign::sigv4::{self, HttpRequest, PayloadHash, Rules, SigningParams};
/// # let params = SigningParams { access_key_id: "AKID", secret_access_key: "secret", session_token: None,
/// #     region: "us-east-1", service: "s3", time: time::macros::datetime!(2026-01-01 0:00 UTC),
/// #     expires_in_secs: 60, rules: Rules::S3, payload: PayloadHash::Unsigned };
/// let request = HttpRequest { method: "GET", path: "/b/my key", query: &[], headers: &[("Host", "h")] };
/// let mut text = String::new();
/// sigv4::canonical_request(&request, &params, &mut text)?;
/// assert!(text.starts_with("GET\n/b/my%20key\nX-Amz-Algorithm=AWS4-HMAC-SHA256&"));
/// assert!(text.ends_with("\nhost:h\n\nhost\nUNSIGNED-PAYLOAD"));
/// # Ok::<(), presign::Error>(())
/// ```
pub fn canonical_request(
    request: &HttpRequest<'_>,
    params: &SigningParams<'_>,
    out: &mut impl fmt::Write,
) -> Result<(), Error> {
    let prepared = prepare(request, params)?;
    let mut sink = FmtSink::new(out);
    write_canonical_request(request, params, &prepared, &mut sink);
    sink.finish()
}

fn canonical_hash(
    request: &HttpRequest<'_>,
    params: &SigningParams<'_>,
    prepared: &Prepared<'_>,
) -> [u8; 32] {
    let mut hasher = Sha256::new();
    write_canonical_request(request, params, prepared, &mut hasher);
    hasher.finalize().into()
}

/// Writes the string to sign (SigV4 step 2).
///
/// ```
/// # use presign::sigv4::{self, HttpRequest, PayloadHash, Rules, SigningParams};
/// # let params = SigningParams { access_key_id: "AKID", secret_access_key: "secret", session_token: None,
/// #     region: "us-east-1", service: "s3", time: time::macros::datetime!(2026-01-01 0:00 UTC),
/// #     expires_in_secs: 60, rules: Rules::S3, payload: PayloadHash::Unsigned };
/// # let request = HttpRequest { method: "GET", path: "/b/k", query: &[], headers: &[("host", "h")] };
/// let mut text = String::new();
/// sigv4::string_to_sign(&request, &params, &mut text)?;
/// assert!(text.starts_with("AWS4-HMAC-SHA256\n20260101T000000Z\n20260101/us-east-1/s3/aws4_request\n"));
/// # Ok::<(), presign::Error>(())
/// ```
pub fn string_to_sign(
    request: &HttpRequest<'_>,
    params: &SigningParams<'_>,
    out: &mut impl fmt::Write,
) -> Result<(), Error> {
    let prepared = prepare(request, params)?;
    let hash = canonical_hash(request, params, &prepared);
    let mut sink = FmtSink::new(out);
    prepared
        .scope
        .write_string_to_sign(&prepared.date, &hash, &mut sink);
    sink.finish()
}

/// Signs `request` in query mode and writes its whole query string (no leading `?`):
/// parameters in canonical order, then `X-Amz-Signature`, then the session token when it
/// is [`SessionToken::AppendedAfterSigning`].
///
/// ```
/// # use presign::sigv4::{self, HttpRequest, PayloadHash, Rules, SigningParams};
/// # let params = SigningParams { access_key_id: "AKID", secret_access_key: "secret", session_token: None,
/// #     region: "us-east-1", service: "s3", time: time::macros::datetime!(2026-01-01 0:00 UTC),
/// #     expires_in_secs: 60, rules: Rules::S3, payload: PayloadHash::Unsigned };
/// # let request = HttpRequest { method: "GET", path: "/b/k", query: &[], headers: &[("host", "h")] };
/// let mut query = String::new();
/// let signature = sigv4::presign_query(&request, &params, &mut query)?;
/// assert!(query.starts_with("X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKID%2F20260101%2F"));
/// assert!(query.ends_with(&signature.to_string()));
/// # Ok::<(), presign::Error>(())
/// ```
pub fn presign_query(
    request: &HttpRequest<'_>,
    params: &SigningParams<'_>,
    out: &mut impl fmt::Write,
) -> Result<Signature, Error> {
    let prepared = prepare(request, params)?;
    let hash = canonical_hash(request, params, &prepared);
    let auth = auth(&prepared, params);
    let key = SigningKey::derive(
        params.secret_access_key,
        prepared.date.date(),
        params.region,
        params.service,
    );
    let mut string_to_sign = [0u8; STRING_TO_SIGN_MAX];
    let len = prepared
        .scope
        .string_to_sign_into(&prepared.date, &hash, &mut string_to_sign);
    let signature = key.sign(&string_to_sign[..len]);
    let mut sink = FmtSink::new(out);
    auth.write_query(&prepared.query, &mut sink);
    write_signature_param(&signature, &mut sink);
    if let Some(SessionToken::AppendedAfterSigning(token)) = params.session_token {
        sink.put("&X-Amz-Security-Token=");
        encode::encode(token, QUERY, &mut sink);
    }
    sink.finish()?;
    Ok(Signature(signature))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params() -> SigningParams<'static> {
        SigningParams {
            access_key_id: "AKIDEXAMPLE",
            secret_access_key: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            session_token: None,
            region: "us-east-1",
            service: "s3",
            time: time::macros::datetime!(2013-05-24 0:00 UTC),
            expires_in_secs: 86_400,
            rules: Rules::S3,
            payload: PayloadHash::Unsigned,
        }
    }

    const REQUEST: HttpRequest<'static> = HttpRequest {
        method: "GET",
        path: "/test.txt",
        query: &[],
        headers: &[("host", "examplebucket.s3.amazonaws.com")],
    };

    /// A writer that refuses everything, like a full fixed-size buffer.
    struct Refusing;
    impl fmt::Write for Refusing {
        fn write_str(&mut self, _: &str) -> fmt::Result {
            Err(fmt::Error)
        }
    }

    /// A failing writer is the writer's fault, reported as such, by all three writers.
    #[test]
    fn failing_writer_is_write_failed() {
        assert_eq!(
            canonical_request(&REQUEST, &params(), &mut Refusing),
            Err(Error::WriteFailed)
        );
        assert_eq!(
            string_to_sign(&REQUEST, &params(), &mut Refusing),
            Err(Error::WriteFailed)
        );
        assert_eq!(
            presign_query(&REQUEST, &params(), &mut Refusing).err(),
            Some(Error::WriteFailed)
        );
    }

    /// An empty method names the method as empty, not a byte at offset 0.
    #[test]
    fn empty_method_is_an_empty_field() {
        let request = HttpRequest {
            method: "",
            ..REQUEST
        };
        assert_eq!(
            presign_query(&request, &params(), &mut alloc::string::String::new()).err(),
            Some(Error::Empty {
                field: Field::Method
            })
        );
    }

    /// The AWS S3 documentation's presigned GET example ("Authenticating Requests: Using
    /// Query Parameters (AWS Signature Version 4)"): its published signature.
    #[test]
    fn s3_documentation_example_signature() {
        let params = SigningParams {
            access_key_id: "AKIAIOSFODNN7EXAMPLE",
            secret_access_key: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            ..params()
        };
        let mut query = alloc::string::String::new();
        let signature = presign_query(&REQUEST, &params, &mut query).expect("signs");
        assert_eq!(
            alloc::string::ToString::to_string(&signature),
            "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"
        );
    }
}
