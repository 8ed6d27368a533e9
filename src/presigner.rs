//! `Presigner`: named S3 operations over one signing core.
//!
//! [`Presigner::write_url`] is the core, in the steps of the crate documentation: plan
//! (validate every input), write the unsigned URL, hash the canonical request, sign the
//! string to sign, append the signature.

use core::fmt;

use time::OffsetDateTime;

use crate::amz_date::{AmzDate, LAST_UNIX};
#[cfg(feature = "alloc")]
use crate::buffer::VecOut;
use crate::buffer::{SliceOut, UrlOut};
use crate::canonical_request::{self, UrlMarks};
#[cfg(feature = "alloc")]
use crate::encode::QUERY;
use crate::encode::{self, PATH};
use crate::endpoint::AddressingStyle;
use crate::headers::{Headers, Host, UNSIGNABLE_HEADERS};
use crate::inline_str::InlineStr;
use crate::names::{check_bucket, check_key};
use crate::pairs::{OwnPairs, Pairs};
use crate::presigned::Presigned;
#[cfg(feature = "alloc")]
use crate::presigned::{PresignedRequest, header_line_len};
use crate::query::{
    AuthQuery, QueryParams, SIGNATURE_PARAM_LEN, TokenParam, write_signature_param,
};
use crate::request::ObjectRequest;
use crate::scope::{STRING_TO_SIGN_MAX, Scope};
use crate::signing_key::{KeyCache, SigningKey};
use crate::{Credentials, Endpoint, Error, Ttl, UploadBindings};

/// The SigV4 service name of S3 (R2 uses it too).
const S3_SERVICE: &str = "s3";

/// The longest host a signed `host` header can have: a bucket (63 bytes), `.`, and the
/// endpoint's host with its port.
type HostText = InlineStr<{ 64 + 260 }>;

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
///                        &ContentType::new("video/mp4")?, PutTtl::default(), now)?;
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
    /// The session token, query-encoded once; wiped on drop like the token itself.
    #[cfg(feature = "alloc")]
    token_param: Option<zeroize::Zeroizing<alloc::string::String>>,
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

/// Which inputs the plan step checks.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Checks {
    /// Everything.
    All,
    /// All but the bucket and the key, which the caller checked against this presigner
    /// (a multipart upload checks them once for all its part URLs).
    ObjectChecked,
}

/// Room on the signing stack for what the plan borrows: the host as text and the signer's
/// own headers and query parameters. Kept out of [`Plan`], so the plan is small to move.
struct Scratch<'a> {
    host_text: HostText,
    header_pairs: OwnPairs<'a>,
    query_pairs: OwnPairs<'a>,
}

impl Scratch<'_> {
    const fn new() -> Self {
        Self {
            host_text: HostText::empty(),
            header_pairs: OwnPairs::new(),
            query_pairs: OwnPairs::new(),
        }
    }
}

/// Everything validated for one URL: the output of the plan step, the input of the rest.
struct Plan<'a> {
    date: AmzDate,
    /// `X-Amz-Expires`, clamped to the credentials' expiry.
    expires_in: u32,
    /// Unix seconds.
    expires_at: i64,
    host: Host<'a>,
    headers: Headers<'a>,
    /// The extra query parameters; `None` when there are none (the common case, written
    /// from the scope's template).
    query: Option<QueryParams<'a>>,
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
            zeroize::Zeroizing::new(
                alloc::string::String::from_utf8(encoded).expect("an encoded token is ASCII"),
            )
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
    /// prefix of `buf`) with the method, headers and expiry that go with it.
    ///
    /// A buffer of [`Self::max_url_len`] bytes always fits; a smaller one may, and is
    /// refused with [`Error::BufferTooSmall`] when it does not (never a cut URL).
    ///
    /// ```
    /// use presign::{Credentials, Endpoint, GetTtl, ObjectRequest, Presigner};
    /// use time::macros::datetime;
    /// let p = Presigner::new(Endpoint::r2("0123456789abcdef0123456789abcdef")?,
    ///                        Credentials::new("AKID", "secret")?);
    /// let request = ObjectRequest::get("bucket", "a b.mp4", GetTtl::default());
    /// let mut buf = [0u8; 1024];
    /// assert!(p.max_url_len(&request) <= buf.len());
    /// let signed = p.presign_to_slice(&request, datetime!(2026-11-24 03:56:49 UTC), &mut buf)?;
    /// assert!(signed.url().contains("/bucket/a%20b.mp4?X-Amz-Algorithm=AWS4-HMAC-SHA256&"));
    /// let mut tiny = [0u8; 16];
    /// assert!(p.presign_to_slice(&request, datetime!(2026-11-24 03:56:49 UTC), &mut tiny).is_err());
    /// # Ok::<(), presign::Error>(())
    /// ```
    pub fn presign_to_slice<'a>(
        &self,
        request: &ObjectRequest<'a>,
        now: OffsetDateTime,
        buf: &'a mut [u8],
    ) -> Result<Presigned<'a>, Error> {
        let mut out = SliceOut::new(buf);
        let expires_at = self.write_url(request, now, &mut out, Checks::All)?;
        Ok(view(out.finish()?, request, expires_at))
    }

    /// The longest URL `request` can have: a buffer this long always fits it, whatever the
    /// signing time (like `itoa`'s `MAX_STR_LEN`, but for one request). Cheap to compute:
    /// it counts every byte that may be escaped three times over.
    ///
    /// ```
    /// use presign::{Credentials, Endpoint, GetTtl, ObjectRequest, Presigner};
    /// let p = Presigner::new(Endpoint::r2("0123456789abcdef0123456789abcdef")?,
    ///                        Credentials::new("AKID", "secret")?);
    /// let key = "é".repeat(300);
    /// let request = ObjectRequest::get("bucket", &key, GetTtl::default());
    /// let mut buf = vec![0u8; p.max_url_len(&request)];
    /// assert!(p.presign_to_slice(&request, time::macros::datetime!(2026-11-24 03:56:49 UTC), &mut buf).is_ok());
    /// # Ok::<(), presign::Error>(())
    /// ```
    #[must_use]
    pub fn max_url_len(&self, request: &ObjectRequest<'_>) -> usize {
        let endpoint = &self.endpoint;
        // The bucket is written once, in the host (`bucket.`) or in the path (`/bucket`).
        let up_to_query = endpoint.scheme_prefix().len()
            + endpoint.host_bytes().len()
            + endpoint.base_path_bytes().len()
            + 1
            + request.bucket.len()
            + 1
            + 3 * request.key.len()
            + 1;
        let token = self.token_param().map_or(0, |token| match token {
            TokenParam::Raw(raw) => 3 * raw.len(),
            TokenParam::Encoded(encoded) => encoded.len(),
        });
        let overrides = request
            .overrides
            .map_or(0, crate::ResponseOverrides::query_len_bound);
        let extras: usize = request
            .query
            .iter()
            .map(|(name, value)| 3 * (name.len() + value.len()) + 2)
            .sum();
        let bound_names = request.bindings.map_or(0, |b| {
            b.headers().map(|(name, _)| name.len() + 3).sum::<usize>()
        });
        let signed_headers = "content-type%3Bhost".len()
            + bound_names
            + request
                .headers
                .iter()
                .map(|(name, _)| 3 * name.len() + 3)
                .sum::<usize>();
        let multipart = request
            .multipart
            .as_ref()
            .map_or(0, crate::multipart::MultipartStep::query_len_bound);
        up_to_query
            + self.scope.query_template().len()
            + "&X-Amz-Expires=604800".len()
            + "&X-Amz-Security-Token=".len()
            + token
            + "&X-Amz-SignedHeaders=".len()
            + signed_headers
            + overrides
            + multipart
            + extras
            + SIGNATURE_PARAM_LEN
    }

    /// The signing core: the steps of the crate documentation, in order. Returns the
    /// expiry (Unix seconds) of the URL now in `out`.
    pub(crate) fn write_url(
        &self,
        request: &ObjectRequest<'_>,
        now: OffsetDateTime,
        out: &mut impl UrlOut,
        checks: Checks,
    ) -> Result<i64, Error> {
        let mut scratch = Scratch::new();
        let plan = self.plan(request, now, checks, &mut scratch)?;
        let auth = self.auth_query(&plan);
        let marks = self.write_unsigned_url(request, &plan, &auth, out);
        out.check_fit()?;
        let hash = canonical_request::hash_in_place(
            request.method.canonical_line(),
            &plan.headers,
            marks,
            out,
        );
        let signature = self.sign(&plan.date, &hash);
        write_signature_param(&signature, out);
        Ok(plan.expires_at)
    }

    /// Step 0: validates every input and settles what the URL will carry.
    #[inline]
    fn plan<'a>(
        &'a self,
        request: &'a ObjectRequest<'a>,
        now: OffsetDateTime,
        checks: Checks,
        scratch: &'a mut Scratch<'a>,
    ) -> Result<Plan<'a>, Error> {
        let endpoint = &self.endpoint;
        if checks == Checks::All {
            self.check_object(request.bucket, request.key)?;
        }
        let date = AmzDate::new(now)?;
        let (expires_in, expires_at) = self.lifetime(request.ttl, &date)?;
        let virtual_hosted = endpoint.addressing() == AddressingStyle::VirtualHosted;
        let host = Host {
            bucket: virtual_hosted.then_some(request.bucket),
            endpoint: endpoint.host_bytes(),
        };
        Ok(Plan {
            date,
            expires_in,
            expires_at,
            host,
            headers: signed_headers(
                request,
                host,
                &mut scratch.host_text,
                &mut scratch.header_pairs,
            )?,
            query: extra_query(request, &mut scratch.query_pairs)?,
        })
    }

    /// Checks that `bucket` and `key` make a URL this presigner can sign.
    pub(crate) fn check_object(&self, bucket: &str, key: &str) -> Result<(), Error> {
        check_bucket(bucket, self.endpoint.flavor())?;
        self.endpoint.check_addressable(bucket)?;
        check_key(key)
    }

    /// The signer's query parameters for `plan`.
    fn auth_query<'p>(&'p self, plan: &'p Plan<'p>) -> AuthQuery<'p> {
        AuthQuery {
            scope: &self.scope,
            date: &plan.date,
            expires_in: plan.expires_in,
            session_token: self.token_param(),
            headers: &plan.headers,
        }
    }

    /// Step 1a: writes `scheme://host/path?query`, everything but the signature; returns
    /// where the path and query are, which are the canonical URI and query.
    fn write_unsigned_url(
        &self,
        request: &ObjectRequest<'_>,
        plan: &Plan<'_>,
        auth: &AuthQuery<'_>,
        out: &mut impl UrlOut,
    ) -> UrlMarks {
        let endpoint = &self.endpoint;
        out.put(endpoint.scheme_prefix());
        plan.host.write(out);
        let path_start = out.written().len();
        out.put_bytes(endpoint.base_path_bytes());
        if plan.host.bucket.is_none() {
            out.put("/");
            out.put(request.bucket);
        }
        out.put("/");
        encode::encode(request.key, PATH, out);
        let path_end = out.written().len();
        out.put("?");
        auth.write_url_query(plan.query.as_ref(), out);
        UrlMarks {
            path_start,
            path_end,
            query_end: out.written().len(),
        }
    }

    /// Steps 2 and 3: the string to sign for the canonical request's `hash`, and its
    /// HMAC with the day's signing key.
    fn sign(&self, date: &AmzDate, hash: &[u8; 32]) -> [u8; 32] {
        let mut string_to_sign = [0u8; STRING_TO_SIGN_MAX];
        let len = self
            .scope
            .string_to_sign_into(date, hash, &mut string_to_sign);
        self.signing_key(date).sign(&string_to_sign[..len])
    }

    /// The query form of the session token, if any.
    #[cfg_attr(
        not(feature = "alloc"),
        expect(clippy::unused_self, reason = "session tokens need `alloc`")
    )]
    fn token_param(&self) -> Option<TokenParam<'_>> {
        #[cfg(feature = "alloc")]
        {
            self.token_param
                .as_ref()
                .map(|token| TokenParam::Encoded(token.as_str()))
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
            // `left` is positive; when it passes `u32::MAX` the TTL is the smaller anyway.
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

/// The headers `request` is signed for: without the caller's headers, the presigner's own
/// need no list (the common case); with them, all are validated and sorted together, the
/// host written out into `host_text` for the list.
#[inline]
fn signed_headers<'a>(
    request: &ObjectRequest<'a>,
    host: Host<'a>,
    host_text: &'a mut HostText,
    own: &'a mut OwnPairs<'a>,
) -> Result<Headers<'a>, Error> {
    let bindings = request.bindings.filter(|b| !b.is_empty());
    if request.headers.is_empty() && bindings.is_none() {
        return Ok(Headers::Own {
            content_type: request.content_type,
            host,
        });
    }
    // `check_addressable` bounds the host to 253 bytes, well within the buffer.
    host.write(host_text);
    let host_text: &'a HostText = host_text;
    // What the signer sets may not come again among the caller's headers.
    let mut reserved = ["host"; 10];
    let mut reserved_len = 1;
    if let Some(content_type) = request.content_type {
        own.push("content-type", content_type.as_str());
        reserved[reserved_len] = "content-type";
        reserved_len += 1;
    }
    own.push("host", host_text.as_str());
    if let Some(bindings) = bindings {
        for (name, value) in bindings.headers() {
            own.push(name, value);
        }
        for name in UploadBindings::reserved_names() {
            reserved[reserved_len] = name;
            reserved_len += 1;
        }
    }
    let pairs = Pairs::with_own(own, request.headers);
    Headers::listed(pairs, &reserved[..reserved_len], UNSIGNABLE_HEADERS)
}

/// The extra query parameters of `request` (its multipart step's, its response overrides
/// and its own), or `None` without any.
#[inline]
fn extra_query<'a>(
    request: &'a ObjectRequest<'a>,
    own: &'a mut OwnPairs<'a>,
) -> Result<Option<QueryParams<'a>>, Error> {
    if request.query.is_empty() && request.overrides.is_none() && request.multipart.is_none() {
        return Ok(None);
    }
    if let Some(step) = &request.multipart {
        step.for_each_param(|name, value| own.push(name, value));
    }
    let only_step = request.query.is_empty() && request.overrides.is_none();
    if let Some(overrides) = request.overrides {
        overrides.push_into(own);
    }
    let pairs = Pairs::with_own(own, request.query);
    match &request.multipart {
        // A step's own parameters are valid and in order: with nothing else, no checks.
        Some(step) if only_step => Ok(Some(QueryParams::in_order(pairs, step.is_plain()))),
        _ => QueryParams::new(pairs).map(Some),
    }
}

/// The instructions for a URL written from `request`.
pub(crate) fn view<'a>(
    url: &'a str,
    request: &ObjectRequest<'a>,
    expires_at: i64,
) -> Presigned<'a> {
    Presigned::new(
        url,
        request.method,
        request.content_type,
        request.bindings,
        request.headers,
        expires_at,
    )
}

#[cfg(feature = "alloc")]
#[cfg_attr(docsrs, doc(cfg(feature = "alloc")))]
impl Presigner {
    /// Presigns `request` at `now`, returning the URL with what the client must send, owned
    /// (it outlives `request`; one allocation).
    ///
    /// ```
    /// use presign::{Credentials, Endpoint, ObjectRequest, Presigner, Method, Ttl};
    /// use time::macros::datetime;
    /// let p = Presigner::new(Endpoint::custom("http://127.0.0.1:9000", "us-east-1")?,
    ///                        Credentials::new("AKID", "secret")?);
    /// let request = ObjectRequest::new(Method::Get, "uploads", "big.bin", Ttl::default())
    ///     .with_query(&[("versionId", "3")]);
    /// let signed = p.presign(&request, datetime!(2026-11-24 03:56:49 UTC))?;
    /// assert!(signed.url().starts_with("http://127.0.0.1:9000/uploads/big.bin?X-Amz-Algorithm="));
    /// assert!(signed.url().contains("&versionId=3&X-Amz-Signature="));
    /// # Ok::<(), presign::Error>(())
    /// ```
    pub fn presign(
        &self,
        request: &ObjectRequest<'_>,
        now: OffsetDateTime,
    ) -> Result<PresignedRequest, Error> {
        let mut text = alloc::string::String::with_capacity(self.capacity_hint(request));
        let expires_at = self.write_into_string(request, now, &mut text, Checks::All)?;
        Ok(PresignedRequest::from_url(
            text,
            request.method,
            expires_at,
            view("", request, expires_at).headers(),
        ))
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
    ///     let request = ObjectRequest::get("bucket", key, GetTtl::default());
    ///     let signed = p.presign_into(&request, datetime!(2026-11-24 03:56:49 UTC), &mut url)?;
    ///     assert!(signed.url().contains(key));
    /// }
    /// # Ok::<(), presign::Error>(())
    /// ```
    pub fn presign_into<'a>(
        &self,
        request: &ObjectRequest<'a>,
        now: OffsetDateTime,
        url: &'a mut alloc::string::String,
    ) -> Result<Presigned<'a>, Error> {
        let expires_at = self.write_into_string(request, now, url, Checks::All)?;
        Ok(view(url.as_str(), request, expires_at))
    }

    /// Writes the URL of `request` into `url` (cleared first, left empty on error).
    pub(crate) fn write_into_string(
        &self,
        request: &ObjectRequest<'_>,
        now: OffsetDateTime,
        url: &mut alloc::string::String,
        checks: Checks,
    ) -> Result<i64, Error> {
        let mut bytes = core::mem::take(url).into_bytes();
        bytes.clear();
        let result = self.write_url(request, now, &mut VecOut { bytes: &mut bytes }, checks);
        if result.is_err() {
            bytes.clear();
        }
        *url = alloc::string::String::from_utf8(bytes).expect("a URL is written in ASCII");
        result
    }

    /// A presigned upload bound to `content_type`, valid for `ttl` from `now`: the uploader
    /// must send `Content-Type` with exactly this value, or gets 403.
    ///
    /// ```
    /// use presign::{ContentType, Credentials, Endpoint, Presigner, PutTtl};
    /// use time::macros::datetime;
    /// let p = Presigner::new(Endpoint::r2("0123456789abcdef0123456789abcdef")?,
    ///                        Credentials::new("AKID", "secret")?);
    /// let parquet = ContentType::new("application/vnd.apache.parquet")?;
    /// let up = p.put_object("bucket", "imu.parquet", &parquet, PutTtl::default(),
    ///                       datetime!(2026-11-24 03:56:49 UTC))?;
    /// assert!(up.url().contains("X-Amz-SignedHeaders=content-type%3Bhost"));
    /// assert_eq!(up.method(), presign::Method::Put);
    /// # Ok::<(), presign::Error>(())
    /// ```
    pub fn put_object(
        &self,
        bucket: &str,
        key: &str,
        content_type: &crate::ContentType,
        ttl: crate::PutTtl,
        now: OffsetDateTime,
    ) -> Result<PresignedRequest, Error> {
        self.presign(&ObjectRequest::put(bucket, key, content_type, ttl), now)
    }

    /// A presigned download valid for `ttl` from `now`. Byte ranges work with the same URL
    /// (`Range` is not signed). For response overrides (download under another name), use
    /// [`Self::presign`] with [`ObjectRequest::with_response_overrides`].
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
        ttl: crate::GetTtl,
        now: OffsetDateTime,
    ) -> Result<PresignedRequest, Error> {
        self.presign(&ObjectRequest::get(bucket, key, ttl), now)
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
        ttl: crate::GetTtl,
        now: OffsetDateTime,
    ) -> Result<PresignedRequest, Error> {
        self.presign(&ObjectRequest::head(bucket, key, ttl), now)
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
    ) -> Result<PresignedRequest, Error> {
        self.presign(&ObjectRequest::delete(bucket, key, ttl), now)
    }

    /// A capacity that fits the URL of `request`, the canonical request's tail laid after
    /// its query while hashing, and the headers to send: one allocation, never regrown.
    pub(crate) fn capacity_hint(&self, request: &ObjectRequest<'_>) -> usize {
        let header_lines: usize = view("", request, 0)
            .headers()
            .map(|(name, value)| header_line_len(name, value))
            .sum();
        let canonical_tail = 64
            + self.endpoint.host_bytes().len()
            + request.bucket.len()
            + request.content_type.map_or(0, |ct| 2 * ct.as_str().len())
            + request
                .headers
                .iter()
                .map(|(name, value)| 2 * name.len() + value.len() + 3)
                .sum::<usize>()
            + request.bindings.map_or(0, |b| {
                b.headers()
                    .map(|(name, value)| 2 * name.len() + value.len() + 3)
                    .sum::<usize>()
            });
        self.max_url_len(request) + canonical_tail.max(header_lines)
    }
}
