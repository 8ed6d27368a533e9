//! `Presigner`: named S3 operations over one signing core, and the requests it returns.

use core::fmt;

use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use crate::amz_date::{AmzDate, LAST_UNIX};
#[cfg(feature = "alloc")]
use crate::buffer::VecOut;
use crate::buffer::{SliceOut, UrlOut};
use crate::canonical::{
    AuthQuery, Headers, Host, Pairs, QueryParams, STRING_TO_SIGN_MAX, Scope, TokenParam,
    UNSIGNABLE_HEADERS, UNSIGNED_PAYLOAD, write_signature_param,
};
#[cfg(feature = "alloc")]
use crate::encode::QUERY;
use crate::encode::{self, PATH, Sink};
use crate::endpoint::AddressingStyle;
use crate::inline_str::InlineStr;
use crate::names::{check_bucket, check_key};
use crate::sha;
use crate::signing_key::{KeyCache, SigningKey};
use crate::{ContentType, Credentials, Endpoint, Error, GetTtl, PutTtl, Ttl};

/// The SigV4 service name of S3 (R2 uses it too).
const S3_SERVICE: &str = "s3";

/// The HTTP method a URL is signed for; the server refuses any other (403).
///
/// ```
/// assert_eq!(presign::Method::Put.as_str(), "PUT");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// Download an object (or a byte range of it).
    Get,
    /// Upload an object, or a part of a multipart upload.
    Put,
    /// Read an object's metadata.
    Head,
    /// Delete an object, or abort a multipart upload.
    Delete,
    /// Multipart upload creation and completion.
    Post,
}

impl Method {
    /// The method as it appears in the request line.
    ///
    /// ```
    /// assert_eq!(presign::Method::Head.as_str(), "HEAD");
    /// ```
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Put => "PUT",
            Self::Head => "HEAD",
            Self::Delete => "DELETE",
            Self::Post => "POST",
        }
    }

    /// The first line of a canonical request: the method and a newline.
    const fn canonical_line(self) -> &'static [u8] {
        match self {
            Self::Get => b"GET\n",
            Self::Put => b"PUT\n",
            Self::Head => b"HEAD\n",
            Self::Delete => b"DELETE\n",
            Self::Post => b"POST\n",
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Response header overrides for a GET: S3 and R2 answer with these header values instead of
/// the stored ones. They are signed query parameters, so they cannot be changed afterwards.
///
/// ```
/// let save_as = presign::ResponseOverrides::new()
///     .content_disposition("attachment; filename=\"episode-42.mp4\"")
///     .content_type("video/mp4");
/// assert_eq!(save_as.content_type_value(), Some("video/mp4"));
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ResponseOverrides<'a> {
    values: [Option<&'a str>; 6],
}

/// Query parameter names of the overrides, in the order of `ResponseOverrides::values`.
const OVERRIDE_NAMES: [&str; 6] = [
    "response-cache-control",
    "response-content-disposition",
    "response-content-encoding",
    "response-content-language",
    "response-content-type",
    "response-expires",
];

macro_rules! override_setter {
    ($(#[$doc:meta])* $name:ident, $index:literal) => {
        $(#[$doc])*
        #[must_use]
        pub const fn $name(mut self, value: &'a str) -> Self {
            self.values[$index] = Some(value);
            self
        }
    };
}

impl<'a> ResponseOverrides<'a> {
    /// No overrides.
    ///
    /// ```
    /// assert!(presign::ResponseOverrides::new().is_empty());
    /// ```
    #[must_use]
    pub const fn new() -> Self {
        Self { values: [None; 6] }
    }

    override_setter!(
        /// `response-cache-control`.
        ///
        /// ```
        /// let o = presign::ResponseOverrides::new().cache_control("no-store");
        /// assert!(!o.is_empty());
        /// ```
        cache_control, 0
    );
    override_setter!(
        /// `response-content-disposition`: `attachment; filename="…"` makes a browser save
        /// the file under that name instead of playing it.
        ///
        /// ```
        /// let o = presign::ResponseOverrides::new().content_disposition("attachment");
        /// assert!(!o.is_empty());
        /// ```
        content_disposition, 1
    );
    override_setter!(
        /// `response-content-encoding`.
        ///
        /// ```
        /// let o = presign::ResponseOverrides::new().content_encoding("gzip");
        /// assert!(!o.is_empty());
        /// ```
        content_encoding, 2
    );
    override_setter!(
        /// `response-content-language`.
        ///
        /// ```
        /// let o = presign::ResponseOverrides::new().content_language("en");
        /// assert!(!o.is_empty());
        /// ```
        content_language, 3
    );
    override_setter!(
        /// `response-content-type`.
        ///
        /// ```
        /// let o = presign::ResponseOverrides::new().content_type("video/mp4");
        /// assert_eq!(o.content_type_value(), Some("video/mp4"));
        /// ```
        content_type, 4
    );
    override_setter!(
        /// `response-expires`.
        ///
        /// ```
        /// let o = presign::ResponseOverrides::new().expires("Thu, 01 Dec 1994 16:00:00 GMT");
        /// assert!(!o.is_empty());
        /// ```
        expires, 5
    );

    /// The `response-content-type` override, if set.
    ///
    /// ```
    /// assert_eq!(presign::ResponseOverrides::new().content_type_value(), None);
    /// ```
    #[must_use]
    pub const fn content_type_value(&self) -> Option<&'a str> {
        self.values[4]
    }

    /// Whether no override is set.
    ///
    /// ```
    /// assert!(presign::ResponseOverrides::default().is_empty());
    /// ```
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.values.iter().all(Option::is_none)
    }

    fn push_into(&self, pairs: &mut Pairs<'a>) {
        for (name, value) in OVERRIDE_NAMES.iter().zip(self.values) {
            if let Some(value) = value {
                pairs.push(name, value);
            }
        }
    }
}

/// What to presign: method, bucket, key, lifetime and anything else that must be signed.
///
/// The named constructors take the lifetime type that fits the operation, so an upload
/// lifetime cannot end up on a download URL by mistake.
///
/// ```
/// use presign::{ContentType, GetTtl, ObjectRequest, PutTtl, Method, Ttl};
///
/// let mp4 = ContentType::new("video/mp4")?;
/// let upload = ObjectRequest::put("robotrace-episodes", "episodes/42/video.mp4", &mp4, PutTtl::default());
/// let part = ObjectRequest::new(Method::Put, "robotrace-episodes", "episodes/42/video.mp4", Ttl::default())
///     .with_query(&[("partNumber", "3"), ("uploadId", "VXBsb2FkIElE")]);
/// assert_eq!(part.method(), Method::Put);
/// # Ok::<(), presign::Error>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct ObjectRequest<'a> {
    method: Method,
    bucket: &'a str,
    key: &'a str,
    ttl: Ttl,
    content_type: Option<&'a ContentType>,
    overrides: Option<&'a ResponseOverrides<'a>>,
    query: &'a [(&'a str, &'a str)],
    headers: &'a [(&'a str, &'a str)],
}

impl<'a> ObjectRequest<'a> {
    /// Any method, with a general lifetime.
    ///
    /// ```
    /// let r = presign::ObjectRequest::new(presign::Method::Post, "b-1", "k", presign::Ttl::default());
    /// assert_eq!(r.method(), presign::Method::Post);
    /// ```
    #[must_use]
    pub const fn new(method: Method, bucket: &'a str, key: &'a str, ttl: Ttl) -> Self {
        Self {
            method,
            bucket,
            key,
            ttl,
            content_type: None,
            overrides: None,
            query: &[],
            headers: &[],
        }
    }

    /// A download (GET).
    ///
    /// ```
    /// let r = presign::ObjectRequest::get("bucket", "key", presign::GetTtl::default());
    /// assert_eq!(r.method(), presign::Method::Get);
    /// ```
    #[must_use]
    pub const fn get(bucket: &'a str, key: &'a str, ttl: GetTtl) -> Self {
        Self::new(Method::Get, bucket, key, Ttl::from_get(ttl))
    }

    /// A metadata read (HEAD).
    ///
    /// ```
    /// let r = presign::ObjectRequest::head("bucket", "key", presign::GetTtl::default());
    /// assert_eq!(r.method(), presign::Method::Head);
    /// ```
    #[must_use]
    pub const fn head(bucket: &'a str, key: &'a str, ttl: GetTtl) -> Self {
        Self::new(Method::Head, bucket, key, Ttl::from_get(ttl))
    }

    /// An upload (PUT) bound to one content type: the uploader must send exactly
    /// `Content-Type: <content_type>` or the server answers 403.
    ///
    /// ```
    /// let ct = presign::ContentType::new("application/octet-stream")?;
    /// let r = presign::ObjectRequest::put("bucket", "key", &ct, presign::PutTtl::default());
    /// assert_eq!(r.method(), presign::Method::Put);
    /// # Ok::<(), presign::Error>(())
    /// ```
    #[must_use]
    pub const fn put(
        bucket: &'a str,
        key: &'a str,
        content_type: &'a ContentType,
        ttl: PutTtl,
    ) -> Self {
        let mut request = Self::new(Method::Put, bucket, key, Ttl::from_put(ttl));
        request.content_type = Some(content_type);
        request
    }

    /// A deletion (DELETE).
    ///
    /// ```
    /// let r = presign::ObjectRequest::delete("bucket", "key", presign::Ttl::default());
    /// assert_eq!(r.method(), presign::Method::Delete);
    /// ```
    #[must_use]
    pub const fn delete(bucket: &'a str, key: &'a str, ttl: Ttl) -> Self {
        Self::new(Method::Delete, bucket, key, ttl)
    }

    /// Binds a content type (adds `content-type` to the signed headers).
    ///
    /// ```
    /// let ct = presign::ContentType::new("text/plain")?;
    /// let r = presign::ObjectRequest::new(presign::Method::Post, "bucket", "key", presign::Ttl::default())
    ///     .with_content_type(&ct);
    /// assert_eq!(r.method(), presign::Method::Post);
    /// # Ok::<(), presign::Error>(())
    /// ```
    #[must_use]
    pub const fn with_content_type(mut self, content_type: &'a ContentType) -> Self {
        self.content_type = Some(content_type);
        self
    }

    /// Adds response header overrides (meaningful on GET).
    ///
    /// ```
    /// let o = presign::ResponseOverrides::new().content_disposition("attachment");
    /// let r = presign::ObjectRequest::get("bucket", "key", presign::GetTtl::default())
    ///     .with_response_overrides(&o);
    /// assert_eq!(r.method(), presign::Method::Get);
    /// ```
    #[must_use]
    pub const fn with_response_overrides(mut self, overrides: &'a ResponseOverrides<'a>) -> Self {
        self.overrides = Some(overrides);
        self
    }

    /// Adds query parameters (decoded names and values; the signer encodes them), for
    /// example `partNumber` and `uploadId` of a multipart upload. The signer's own
    /// `X-Amz-*` names are refused.
    ///
    /// ```
    /// let r = presign::ObjectRequest::get("bucket", "key", presign::GetTtl::default())
    ///     .with_query(&[("versionId", "3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY")]);
    /// assert_eq!(r.method(), presign::Method::Get);
    /// ```
    #[must_use]
    pub const fn with_query(mut self, query: &'a [(&'a str, &'a str)]) -> Self {
        self.query = query;
        self
    }

    /// Adds headers to sign; the client must send each with exactly this value. Names are
    /// RFC 9110 tokens (any case); values visible ASCII and spaces. `host` is refused (the
    /// signer sets it), and so is `content-type` when a [`ContentType`] is bound.
    ///
    /// ```
    /// let r = presign::ObjectRequest::new(presign::Method::Put, "bucket", "key", presign::Ttl::default())
    ///     .with_headers(&[("x-amz-acl", "private")]);
    /// assert_eq!(r.method(), presign::Method::Put);
    /// ```
    #[must_use]
    pub const fn with_headers(mut self, headers: &'a [(&'a str, &'a str)]) -> Self {
        self.headers = headers;
        self
    }

    /// The HTTP method.
    ///
    /// ```
    /// let r = presign::ObjectRequest::get("bucket", "key", presign::GetTtl::default());
    /// assert_eq!(r.method(), presign::Method::Get);
    /// ```
    #[must_use]
    pub const fn method(&self) -> Method {
        self.method
    }
}

/// Mints presigned URLs for one endpoint and one set of credentials.
///
/// Build it once and share it (`&Presigner` is `Send + Sync`): it derives the SigV4 signing
/// key once per UTC day and keeps it in a lock-free cache, so signing a URL costs one
/// SHA-256 of the canonical request and one HMAC of the string to sign.
///
/// The time is always an argument: the presigner never reads a clock, so the same inputs
/// give the same URL, and tests and replays are exact.
///
/// ```
/// # #[cfg(feature = "alloc")] fn main() -> Result<(), presign::Error> {
/// use presign::{ContentType, Credentials, Endpoint, GetTtl, Presigner, PutTtl};
/// use time::macros::datetime;
///
/// let creds = Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")?;
/// let r2 = Presigner::new(Endpoint::r2("0123456789abcdef0123456789abcdef")?, creds);
/// let now = datetime!(2026-11-24 03:56:49 UTC);
///
/// let up = r2.put_object("robotrace-episodes", "episodes/42/video.mp4",
///                        ContentType::new("video/mp4")?, PutTtl::default(), now)?;
/// assert!(up.url().starts_with(
///     "https://0123456789abcdef0123456789abcdef.r2.cloudflarestorage.com/robotrace-episodes/episodes/42/video.mp4?"));
/// assert_eq!(up.headers().collect::<Vec<_>>(), [("content-type", "video/mp4")]);
/// assert_eq!(up.expires_at(), datetime!(2026-11-24 04:26:49 UTC));
///
/// let down = r2.get_object("robotrace-episodes", "episodes/42/video.mp4", GetTtl::default(), now)?;
/// assert!(down.url().contains("X-Amz-Expires=3600"));
/// # Ok(()) }
/// # #[cfg(not(feature = "alloc"))] fn main() {}
/// ```
#[derive(Clone)]
pub struct Presigner {
    endpoint: Endpoint,
    credentials: Credentials,
    /// The credential scope without its date, rendered once.
    scope: Scope,
    /// The session token, query-encoded once.
    #[cfg(feature = "alloc")]
    token_param: Option<alloc::string::String>,
    keys: KeyCache,
}

impl fmt::Debug for Presigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Presigner")
            .field("endpoint", &self.endpoint)
            .field("credentials", &self.credentials)
            .finish_non_exhaustive()
    }
}

/// What a presigned URL needs besides its text: the method and the instant it expires.
///
/// ```
/// use presign::{Credentials, Endpoint, GetTtl, ObjectRequest, Presigner};
/// use time::macros::datetime;
/// let p = Presigner::new(Endpoint::aws_s3("us-east-1")?, Credentials::new("AKID", "secret")?);
/// let mut buf = [0u8; 512];
/// let (url, meta) = p.presign_to_slice(&ObjectRequest::get("bucket", "key", GetTtl::default()),
///                                      datetime!(2026-01-01 0:00 UTC), &mut buf)?;
/// assert!(url.starts_with("https://bucket.s3.us-east-1.amazonaws.com/key?"));
/// assert_eq!(meta.expires_at(), datetime!(2026-01-01 1:00 UTC));
/// # Ok::<(), presign::Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Presigned {
    method: Method,
    /// Unix seconds, within the range `time` represents (checked when signing); turned into
    /// an `OffsetDateTime` only when asked for.
    expires_at: i64,
}

impl fmt::Debug for Presigned {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Presigned")
            .field("method", &self.method)
            .field("expires_at", &self.expires_at())
            .finish()
    }
}

impl Presigned {
    /// The method the URL is signed for.
    ///
    /// ```
    /// # use presign::{Credentials, Endpoint, GetTtl, ObjectRequest, Presigner};
    /// # use time::macros::datetime;
    /// # let p = Presigner::new(Endpoint::aws_s3("us-east-1")?, Credentials::new("AKID", "secret")?);
    /// # let mut buf = [0u8; 512];
    /// let (_, meta) = p.presign_to_slice(&ObjectRequest::head("bucket", "key", GetTtl::default()),
    ///                                    datetime!(2026-01-01 0:00 UTC), &mut buf)?;
    /// assert_eq!(meta.method(), presign::Method::Head);
    /// # Ok::<(), presign::Error>(())
    /// ```
    #[must_use]
    pub fn method(&self) -> Method {
        self.method
    }

    /// When the URL stops working (UTC): the signing time plus the lifetime, clamped to the
    /// credentials' expiry.
    ///
    /// ```
    /// # use presign::{Credentials, Endpoint, GetTtl, ObjectRequest, Presigner};
    /// # use time::macros::datetime;
    /// # let p = Presigner::new(Endpoint::aws_s3("us-east-1")?, Credentials::new("AKID", "secret")?);
    /// # let mut buf = [0u8; 512];
    /// let (_, meta) = p.presign_to_slice(&ObjectRequest::get("bucket", "key", GetTtl::from_secs(60)?),
    ///                                    datetime!(2026-01-01 0:00 UTC), &mut buf)?;
    /// assert_eq!(meta.expires_at(), datetime!(2026-01-01 0:01 UTC));
    /// # Ok::<(), presign::Error>(())
    /// ```
    #[must_use]
    pub fn expires_at(&self) -> OffsetDateTime {
        // Checked against `LAST_UNIX` when signed, so the conversion cannot fail; the
        // fallback keeps this free of panics all the same.
        OffsetDateTime::from_unix_timestamp(self.expires_at).unwrap_or(OffsetDateTime::UNIX_EPOCH)
    }
}

impl Presigner {
    /// A presigner for `endpoint`, signing with `credentials`.
    ///
    /// ```
    /// let p = presign::Presigner::new(
    ///     presign::Endpoint::r2("0123456789abcdef0123456789abcdef")?,
    ///     presign::Credentials::new("AKID", "secret")?,
    /// );
    /// assert_eq!(p.endpoint().region(), "auto");
    /// # Ok::<(), presign::Error>(())
    /// ```
    #[must_use]
    pub fn new(endpoint: Endpoint, credentials: Credentials) -> Self {
        let scope = Scope::new(credentials.access_key_id(), endpoint.region(), S3_SERVICE);
        #[cfg(feature = "alloc")]
        let token_param = credentials.session_token().map(|token| {
            let mut encoded = alloc::vec::Vec::with_capacity(3 * token.len());
            encode::encode(
                token,
                QUERY,
                &mut VecOut {
                    bytes: &mut encoded,
                },
            );
            alloc::string::String::from_utf8(encoded).unwrap_or_default()
        });
        Self {
            endpoint,
            credentials,
            scope,
            #[cfg(feature = "alloc")]
            token_param,
            keys: KeyCache::new(),
        }
    }

    /// The endpoint URLs point at.
    ///
    /// ```
    /// let p = presign::Presigner::new(presign::Endpoint::aws_s3("us-east-1")?,
    ///                                 presign::Credentials::new("AKID", "secret")?);
    /// assert_eq!(p.endpoint().host(), "s3.us-east-1.amazonaws.com");
    /// # Ok::<(), presign::Error>(())
    /// ```
    #[must_use]
    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    /// Presigns `request` at `now` into `buf`, without allocating; returns the URL (a
    /// prefix of `buf`) and its metadata. A 2 KiB buffer fits any request whose key,
    /// extra parameters and session token together stay under 600 bytes.
    ///
    /// ```
    /// use presign::{Credentials, Endpoint, GetTtl, ObjectRequest, Presigner};
    /// use time::macros::datetime;
    /// let p = Presigner::new(Endpoint::r2("0123456789abcdef0123456789abcdef")?,
    ///                        Credentials::new("AKID", "secret")?);
    /// let mut buf = [0u8; 1024];
    /// let (url, _) = p.presign_to_slice(&ObjectRequest::get("bucket", "a b.mp4", GetTtl::default()),
    ///                                   datetime!(2026-11-24 03:56:49 UTC), &mut buf)?;
    /// assert!(url.contains("/bucket/a%20b.mp4?X-Amz-Algorithm=AWS4-HMAC-SHA256&"));
    /// let mut tiny = [0u8; 16];
    /// assert!(p.presign_to_slice(&ObjectRequest::get("bucket", "k", GetTtl::default()),
    ///                            datetime!(2026-11-24 03:56:49 UTC), &mut tiny).is_err());
    /// # Ok::<(), presign::Error>(())
    /// ```
    pub fn presign_to_slice<'b>(
        &self,
        request: &ObjectRequest<'_>,
        now: OffsetDateTime,
        buf: &'b mut [u8],
    ) -> Result<(&'b str, Presigned), Error> {
        let mut out = SliceOut::new(buf);
        let meta = self.write_url(request, now, &mut out)?;
        Ok((out.finish()?, meta))
    }

    /// The signing core: validates, writes the URL into `out`, hashes the canonical request
    /// from the written path and query, and appends the signature.
    fn write_url(
        &self,
        request: &ObjectRequest<'_>,
        now: OffsetDateTime,
        out: &mut impl UrlOut,
    ) -> Result<Presigned, Error> {
        let endpoint = &self.endpoint;
        check_bucket(request.bucket, endpoint.flavor())?;
        endpoint.check_addressable(request.bucket)?;
        check_key(request.key)?;
        let date = AmzDate::new(now)?;
        let (expires_in, expires_at) = self.lifetime(request.ttl, &date)?;

        let virtual_hosted = endpoint.addressing() == AddressingStyle::VirtualHosted;
        let host = Host {
            bucket: virtual_hosted.then_some(request.bucket),
            endpoint: endpoint.host_bytes(),
        };
        // Without the caller's headers, the presigner's own need no list (the common case).
        let host_text: InlineStr<{ 64 + 260 }>;
        let headers = if request.headers.is_empty() {
            Headers::Own {
                content_type: request.content_type,
                host,
            }
        } else {
            // Pushed in canonical order; the caller's headers are sorted in among them.
            // `check_addressable` bounds the host to 253 bytes, well within the buffer.
            host_text = {
                let mut text = InlineStr::empty();
                host.write(&mut text);
                text
            };
            let mut pairs = Pairs::new(request.headers);
            if let Some(content_type) = request.content_type {
                pairs.push("content-type", content_type.as_str());
            }
            pairs.push("host", host_text.as_str());
            let reserved: &[&'static str] = if request.content_type.is_some() {
                &["host", "content-type"]
            } else {
                &["host"]
            };
            Headers::new(pairs, reserved, UNSIGNABLE_HEADERS)?
        };

        let query = if request.query.is_empty() && request.overrides.is_none() {
            None
        } else {
            let mut pairs = Pairs::new(request.query);
            if let Some(overrides) = request.overrides {
                overrides.push_into(&mut pairs);
            }
            Some(QueryParams::new(pairs)?)
        };

        let auth = AuthQuery {
            scope: &self.scope,
            date: &date,
            expires_in,
            session_token: self.token_param(),
            headers: &headers,
        };

        // The URL up to the end of its query: everything but the signature.
        out.put(endpoint.scheme_prefix());
        host.write(out);
        let path_start = out.written().len();
        if !endpoint.base_path_bytes().is_empty() {
            out.put_bytes(endpoint.base_path_bytes());
        }
        if !virtual_hosted {
            out.put("/");
            out.put(request.bucket);
        }
        out.put("/");
        encode::encode(request.key, PATH, out);
        let path_end = out.written().len();
        out.put("?");
        match &query {
            None => auth.write_lone_query(out),
            Some(query) => auth.write_query(query, out),
        }
        let query_end = out.written().len();

        let hash = hash_canonical_request(
            request.method,
            &auth,
            UrlMarks {
                path_start,
                path_end,
                query_end,
            },
            out,
        );

        let mut string_to_sign = [0u8; STRING_TO_SIGN_MAX];
        let len = auth.string_to_sign_into(&hash, &mut string_to_sign);
        let signature = self.signing_key(&date).sign(&string_to_sign[..len]);
        write_signature_param(&signature, out);
        Ok(Presigned {
            method: request.method,
            expires_at,
        })
    }

    /// The query form of the session token, if any.
    #[cfg_attr(
        not(feature = "alloc"),
        expect(clippy::unused_self, reason = "session tokens need `alloc`")
    )]
    fn token_param(&self) -> Option<TokenParam<'_>> {
        #[cfg(feature = "alloc")]
        {
            self.token_param.as_deref().map(TokenParam::Encoded)
        }
        #[cfg(not(feature = "alloc"))]
        {
            None
        }
    }

    /// The lifetime in seconds and the expiry instant (Unix seconds), clamped to the
    /// credentials' expiry.
    fn lifetime(&self, ttl: Ttl, date: &AmzDate) -> Result<(u32, i64), Error> {
        let signed_at = date.unix();
        let mut secs = ttl.as_secs();
        if let Some(limit) = self.credentials.expires_at() {
            let left = limit.unix_timestamp() - signed_at;
            if left < 1 {
                return Err(Error::CredentialsExpired);
            }
            secs = secs.min(u32::try_from(left).unwrap_or(u32::MAX));
        }
        let expires_at = signed_at + i64::from(secs);
        // The expiry must be an instant `time` can represent, like the signing time.
        if expires_at > LAST_UNIX {
            return Err(Error::SigningTimeOutOfRange);
        }
        Ok((secs, expires_at))
    }

    /// The signing key for `date`'s scope, from the cache or freshly derived (and cached).
    fn signing_key(&self, date: &AmzDate) -> SigningKey {
        let day = date.date_number();
        if let Some(key) = self.keys.get(day) {
            return key;
        }
        let key = SigningKey::derive(
            self.credentials.secret_access_key(),
            date.date(),
            self.endpoint.region(),
            S3_SERVICE,
        );
        self.keys.put(day, &key);
        key
    }
}

/// Where the path and the query sit in a written URL.
#[derive(Clone, Copy)]
struct UrlMarks {
    /// The first byte of the path.
    path_start: usize,
    /// The `?` after the path.
    path_end: usize,
    /// The end of the query (the signature is appended here).
    query_end: usize,
}

/// SHA-256 of the canonical request of a URL written into `out` up to the end of its query.
fn hash_canonical_request(
    method: Method,
    auth: &AuthQuery<'_>,
    marks: UrlMarks,
    out: &mut impl UrlOut,
) -> [u8; 32] {
    let UrlMarks {
        path_start,
        path_end,
        query_end,
    } = marks;
    // The canonical request is method, path, query, then a tail of headers and payload
    // hash. Its path and query are hashed from the URL as written, so what is signed is
    // what is sent. When the buffer has room, the whole canonical request is laid out
    // in it for a moment, so it is hashed as one slice with no copies: the tail goes
    // after the query, the `?` becomes the canonical `\n`, and the end of the host just
    // before the path (at least `http://` plus one byte, longer than any method line)
    // holds the method line. All three are put back before the signature is written.
    let method_line = method.canonical_line();
    if out.has_room(auth.headers.tail_len_bound() + 2 + UNSIGNED_PAYLOAD.len())
        && let Some(lead_at) = path_start.checked_sub(method_line.len())
    {
        let mut saved = [0u8; 8];
        let saved = &mut saved[..method_line.len()];
        saved.copy_from_slice(out.written().get(lead_at..path_start).unwrap_or_default());
        out.put("\n");
        auth.write_tail(UNSIGNED_PAYLOAD, out);
        out.replace_bytes(lead_at, method_line);
        out.replace_bytes(path_end, b"\n");
        let hash = sha::digest(out.written().get(lead_at..).unwrap_or_default());
        out.replace_bytes(lead_at, saved);
        out.replace_bytes(path_end, b"?");
        out.truncate(query_end);
        hash
    } else {
        let mut hasher = Sha256::new();
        hasher.put_bytes(method_line);
        let written = out.written();
        hasher.update(written.get(path_start..path_end).unwrap_or_default());
        hasher.put("\n");
        hasher.update(written.get(path_end + 1..).unwrap_or_default());
        hasher.put("\n");
        auth.write_tail(UNSIGNED_PAYLOAD, &mut hasher);
        hasher.finalize().into()
    }
}

#[cfg(feature = "alloc")]
impl Presigner {
    /// Presigns `request` at `now`, returning an owned URL with what the client must send.
    ///
    /// ```
    /// use presign::{Credentials, Endpoint, ObjectRequest, Presigner, Method, Ttl};
    /// use time::macros::datetime;
    /// let p = Presigner::new(Endpoint::custom("http://127.0.0.1:9000", "us-east-1")?,
    ///                        Credentials::new("AKID", "secret")?);
    /// let part = ObjectRequest::new(Method::Put, "uploads", "big.bin", Ttl::default())
    ///     .with_query(&[("partNumber", "2"), ("uploadId", "abc")]);
    /// let signed = p.presign(&part, datetime!(2026-11-24 03:56:49 UTC))?;
    /// assert!(signed.url().starts_with("http://127.0.0.1:9000/uploads/big.bin?X-Amz-Algorithm="));
    /// assert!(signed.url().contains("&partNumber=2&uploadId=abc&X-Amz-Signature="));
    /// # Ok::<(), presign::Error>(())
    /// ```
    pub fn presign<'a>(
        &self,
        request: &ObjectRequest<'a>,
        now: OffsetDateTime,
    ) -> Result<PresignedRequest<'a>, Error> {
        let mut url = alloc::string::String::with_capacity(self.capacity_hint(request));
        let meta = self.presign_into(request, now, &mut url)?;
        Ok(PresignedRequest {
            url,
            meta,
            content_type: request.content_type.copied(),
            headers: request.headers,
        })
    }

    /// Presigns `request` at `now` into `url`, which is cleared first and reused: no heap
    /// allocation once its capacity fits the URL. On error `url` is left empty.
    ///
    /// ```
    /// use presign::{Credentials, Endpoint, GetTtl, ObjectRequest, Presigner};
    /// use time::macros::datetime;
    /// let p = Presigner::new(Endpoint::r2("0123456789abcdef0123456789abcdef")?,
    ///                        Credentials::new("AKID", "secret")?);
    /// let mut url = String::with_capacity(1024);
    /// for key in ["a.mp4", "b.mp4"] {
    ///     p.presign_into(&ObjectRequest::get("bucket", key, GetTtl::default()),
    ///                    datetime!(2026-11-24 03:56:49 UTC), &mut url)?;
    ///     assert!(url.contains(key));
    /// }
    /// # Ok::<(), presign::Error>(())
    /// ```
    pub fn presign_into(
        &self,
        request: &ObjectRequest<'_>,
        now: OffsetDateTime,
        url: &mut alloc::string::String,
    ) -> Result<Presigned, Error> {
        let mut bytes = core::mem::take(url).into_bytes();
        bytes.clear();
        let result = self.write_url(request, now, &mut VecOut { bytes: &mut bytes });
        // The URL is ASCII by construction, so the check passes; either way the buffer's
        // capacity goes back to the caller.
        *url = alloc::string::String::from_utf8(bytes).unwrap_or_else(|invalid| {
            let mut bytes = invalid.into_bytes();
            bytes.clear();
            alloc::string::String::from_utf8(bytes).unwrap_or_default()
        });
        if result.is_err() {
            url.clear();
        }
        result
    }

    /// A presigned upload bound to `content_type`, valid for `ttl` from `now`.
    ///
    /// ```
    /// use presign::{ContentType, Credentials, Endpoint, Presigner, PutTtl};
    /// use time::macros::datetime;
    /// let p = Presigner::new(Endpoint::r2("0123456789abcdef0123456789abcdef")?,
    ///                        Credentials::new("AKID", "secret")?);
    /// let up = p.put_object("bucket", "imu.parquet", ContentType::new("application/vnd.apache.parquet")?,
    ///                       PutTtl::default(), datetime!(2026-11-24 03:56:49 UTC))?;
    /// assert!(up.url().contains("X-Amz-SignedHeaders=content-type%3Bhost"));
    /// assert_eq!(up.method(), presign::Method::Put);
    /// # Ok::<(), presign::Error>(())
    /// ```
    pub fn put_object(
        &self,
        bucket: &str,
        key: &str,
        content_type: ContentType,
        ttl: PutTtl,
        now: OffsetDateTime,
    ) -> Result<PresignedRequest<'static>, Error> {
        let signed = self.presign(&ObjectRequest::put(bucket, key, &content_type, ttl), now)?;
        Ok(PresignedRequest {
            url: signed.url,
            meta: signed.meta,
            content_type: Some(content_type),
            headers: &[],
        })
    }

    /// A presigned download valid for `ttl` from `now`.
    ///
    /// ```
    /// use presign::{Credentials, Endpoint, GetTtl, Presigner};
    /// use time::macros::datetime;
    /// let p = Presigner::new(Endpoint::aws_s3("eu-west-1")?, Credentials::new("AKID", "secret")?);
    /// let down = p.get_object("bucket", "video.mp4", GetTtl::default(), datetime!(2026-11-24 03:56:49 UTC))?;
    /// assert!(down.url().starts_with("https://bucket.s3.eu-west-1.amazonaws.com/video.mp4?"));
    /// assert_eq!(down.headers().count(), 0);
    /// # Ok::<(), presign::Error>(())
    /// ```
    pub fn get_object(
        &self,
        bucket: &str,
        key: &str,
        ttl: GetTtl,
        now: OffsetDateTime,
    ) -> Result<PresignedRequest<'static>, Error> {
        self.owned(&ObjectRequest::get(bucket, key, ttl), now)
    }

    /// A presigned download whose response carries the given header overrides, e.g. a
    /// `Content-Disposition` that makes the browser save the file under a chosen name.
    ///
    /// ```
    /// use presign::{Credentials, Endpoint, GetTtl, Presigner, ResponseOverrides};
    /// use time::macros::datetime;
    /// let p = Presigner::new(Endpoint::r2("0123456789abcdef0123456789abcdef")?,
    ///                        Credentials::new("AKID", "secret")?);
    /// let save = ResponseOverrides::new().content_disposition("attachment; filename=\"episode-42.mp4\"");
    /// let url = p.get_object_with("bucket", "e/42.mp4", &save, GetTtl::default(),
    ///                             datetime!(2026-11-24 03:56:49 UTC))?;
    /// assert!(url.url().contains(
    ///     "response-content-disposition=attachment%3B%20filename%3D%22episode-42.mp4%22"));
    /// # Ok::<(), presign::Error>(())
    /// ```
    pub fn get_object_with(
        &self,
        bucket: &str,
        key: &str,
        overrides: &ResponseOverrides<'_>,
        ttl: GetTtl,
        now: OffsetDateTime,
    ) -> Result<PresignedRequest<'static>, Error> {
        self.owned(
            &ObjectRequest::get(bucket, key, ttl).with_response_overrides(overrides),
            now,
        )
    }

    /// A presigned metadata read (HEAD) valid for `ttl` from `now`.
    ///
    /// ```
    /// use presign::{Credentials, Endpoint, GetTtl, Presigner};
    /// use time::macros::datetime;
    /// let p = Presigner::new(Endpoint::aws_s3("us-east-1")?, Credentials::new("AKID", "secret")?);
    /// let head = p.head_object("bucket", "k", GetTtl::default(), datetime!(2026-11-24 03:56:49 UTC))?;
    /// assert_eq!(head.method(), presign::Method::Head);
    /// # Ok::<(), presign::Error>(())
    /// ```
    pub fn head_object(
        &self,
        bucket: &str,
        key: &str,
        ttl: GetTtl,
        now: OffsetDateTime,
    ) -> Result<PresignedRequest<'static>, Error> {
        self.owned(&ObjectRequest::head(bucket, key, ttl), now)
    }

    /// A presigned deletion valid for `ttl` from `now`.
    ///
    /// ```
    /// use presign::{Credentials, Endpoint, Presigner, Ttl};
    /// use time::macros::datetime;
    /// let p = Presigner::new(Endpoint::aws_s3("us-east-1")?, Credentials::new("AKID", "secret")?);
    /// let del = p.delete_object("bucket", "k", Ttl::from_secs(300)?, datetime!(2026-11-24 03:56:49 UTC))?;
    /// assert_eq!(del.method(), presign::Method::Delete);
    /// # Ok::<(), presign::Error>(())
    /// ```
    pub fn delete_object(
        &self,
        bucket: &str,
        key: &str,
        ttl: Ttl,
        now: OffsetDateTime,
    ) -> Result<PresignedRequest<'static>, Error> {
        self.owned(&ObjectRequest::delete(bucket, key, ttl), now)
    }

    /// Presigns a request without borrowed headers, so the result outlives the inputs.
    fn owned(
        &self,
        request: &ObjectRequest<'_>,
        now: OffsetDateTime,
    ) -> Result<PresignedRequest<'static>, Error> {
        let signed = self.presign(request, now)?;
        Ok(PresignedRequest {
            url: signed.url,
            meta: signed.meta,
            content_type: None,
            headers: &[],
        })
    }

    /// A capacity that fits the URL of `request` without regrowing.
    fn capacity_hint(&self, request: &ObjectRequest<'_>) -> usize {
        let extras: usize = request
            .query
            .iter()
            .chain(request.headers)
            .map(|(n, v)| 3 * (n.len() + v.len()) + 2)
            .sum();
        let token = self
            .credentials
            .session_token()
            .map_or(0, |t| 3 * t.len() + 22);
        400 + self.endpoint.host_bytes().len()
            + self.endpoint.base_path_bytes().len()
            + 2 * request.bucket.len()
            + 3 * request.key.len()
            + if request.overrides.is_some() { 1024 } else { 0 }
            + extras
            + token
    }
}

/// A presigned URL with everything the client needs to use it.
///
/// ```
/// use presign::{ContentType, Credentials, Endpoint, Presigner, PutTtl};
/// use time::macros::datetime;
/// let p = Presigner::new(Endpoint::r2("0123456789abcdef0123456789abcdef")?,
///                        Credentials::new("AKID", "secret")?);
/// let up = p.put_object("bucket", "k.mp4", ContentType::new("video/mp4")?, PutTtl::default(),
///                       datetime!(2026-11-24 03:56:49 UTC))?;
/// for (name, value) in up.headers() {
///     assert_eq!((name, value), ("content-type", "video/mp4"));
/// }
/// let url: String = up.into_url();
/// assert!(url.starts_with("https://"));
/// # Ok::<(), presign::Error>(())
/// ```
///
/// `Debug` shows the URL with its signature and session token redacted: a presigned URL is a
/// bearer credential until it expires, and `Debug` output ends up in logs.
#[cfg(feature = "alloc")]
#[derive(Clone, PartialEq, Eq)]
pub struct PresignedRequest<'a> {
    url: alloc::string::String,
    meta: Presigned,
    content_type: Option<ContentType>,
    headers: &'a [(&'a str, &'a str)],
}

#[cfg(feature = "alloc")]
impl fmt::Debug for PresignedRequest<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PresignedRequest")
            .field("url", &RedactedUrl(&self.url))
            .field("method", &self.meta.method)
            .field("headers", &self.headers().collect::<alloc::vec::Vec<_>>())
            .field("expires_at", &self.meta.expires_at())
            .finish()
    }
}

/// A URL printed with the values of `X-Amz-Signature` and `X-Amz-Security-Token` hidden.
#[cfg(feature = "alloc")]
struct RedactedUrl<'a>(&'a str);

#[cfg(feature = "alloc")]
impl fmt::Debug for RedactedUrl<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Some((base, query)) = self.0.split_once('?') else {
            return fmt::Debug::fmt(self.0, f);
        };
        f.write_str("\"")?;
        f.write_str(base)?;
        for (i, param) in query.split('&').enumerate() {
            f.write_str(if i == 0 { "?" } else { "&" })?;
            match param.split_once('=') {
                Some((name @ ("X-Amz-Signature" | "X-Amz-Security-Token"), _)) => {
                    write!(f, "{name}=<redacted>")?;
                }
                _ => f.write_str(param)?,
            }
        }
        f.write_str("\"")
    }
}

#[cfg(feature = "alloc")]
impl PresignedRequest<'_> {
    /// The URL.
    ///
    /// ```
    /// # use presign::{Credentials, Endpoint, GetTtl, Presigner};
    /// # use time::macros::datetime;
    /// # let p = Presigner::new(Endpoint::aws_s3("us-east-1")?, Credentials::new("AKID", "secret")?);
    /// let down = p.get_object("bucket", "k", GetTtl::default(), datetime!(2026-11-24 03:56:49 UTC))?;
    /// assert!(down.url().contains("X-Amz-Signature="));
    /// # Ok::<(), presign::Error>(())
    /// ```
    #[must_use]
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The URL, owned.
    ///
    /// ```
    /// # use presign::{Credentials, Endpoint, GetTtl, Presigner};
    /// # use time::macros::datetime;
    /// # let p = Presigner::new(Endpoint::aws_s3("us-east-1")?, Credentials::new("AKID", "secret")?);
    /// let url: String = p.get_object("bucket", "k", GetTtl::default(), datetime!(2026-11-24 03:56:49 UTC))?.into_url();
    /// assert!(url.starts_with("https://bucket."));
    /// # Ok::<(), presign::Error>(())
    /// ```
    #[must_use]
    pub fn into_url(self) -> alloc::string::String {
        self.url
    }

    /// The method the URL is signed for; any other gets 403.
    ///
    /// ```
    /// # use presign::{Credentials, Endpoint, GetTtl, Presigner};
    /// # use time::macros::datetime;
    /// # let p = Presigner::new(Endpoint::aws_s3("us-east-1")?, Credentials::new("AKID", "secret")?);
    /// let down = p.get_object("bucket", "k", GetTtl::default(), datetime!(2026-11-24 03:56:49 UTC))?;
    /// assert_eq!(down.method(), presign::Method::Get);
    /// # Ok::<(), presign::Error>(())
    /// ```
    #[must_use]
    pub fn method(&self) -> Method {
        self.meta.method
    }

    /// The headers the client **must** send, with exactly these values: the bound
    /// `content-type` first, then any extra signed headers. `host` is not listed; HTTP
    /// clients send it from the URL.
    ///
    /// ```
    /// # use presign::{ContentType, Credentials, Endpoint, Presigner, PutTtl};
    /// # use time::macros::datetime;
    /// # let p = Presigner::new(Endpoint::aws_s3("us-east-1")?, Credentials::new("AKID", "secret")?);
    /// let up = p.put_object("bucket", "k", ContentType::new("text/csv")?, PutTtl::default(),
    ///                       datetime!(2026-11-24 03:56:49 UTC))?;
    /// assert_eq!(up.headers().collect::<Vec<_>>(), [("content-type", "text/csv")]);
    /// # Ok::<(), presign::Error>(())
    /// ```
    pub fn headers(&self) -> impl Iterator<Item = (&str, &str)> + '_ {
        self.content_type
            .as_ref()
            .map(|ct| ("content-type", ct.as_str()))
            .into_iter()
            .chain(self.headers.iter().copied())
    }

    /// When the URL stops working (UTC), after clamping to the credentials' expiry.
    ///
    /// ```
    /// # use presign::{Credentials, Endpoint, GetTtl, Presigner};
    /// use time::macros::datetime;
    /// # let p = Presigner::new(Endpoint::aws_s3("us-east-1")?, Credentials::new("AKID", "secret")?);
    /// let down = p.get_object("bucket", "k", GetTtl::default(), datetime!(2026-11-24 03:56:49 UTC))?;
    /// assert_eq!(down.expires_at(), datetime!(2026-11-24 04:56:49 UTC));
    /// # Ok::<(), presign::Error>(())
    /// ```
    #[must_use]
    pub fn expires_at(&self) -> OffsetDateTime {
        self.meta.expires_at()
    }
}
