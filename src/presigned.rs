//! The result of presigning: the instructions a client follows (URL, method, the headers to
//! send, expiry), as a view borrowing the output buffer and the request
//! ([`Presigned`]), or owned ([`PresignedRequest`], feature `alloc`).

use core::fmt;

use time::OffsetDateTime;

use crate::request::Method;
use crate::{ContentType, UploadBindings};

/// A presigned URL and what the client must do to use it, borrowed from the buffer the URL
/// was written into and from the request: what the no-allocation entry points return.
///
/// `Debug` shows the URL with its signature and session token redacted: a presigned URL is a
/// bearer credential until it expires, and `Debug` output ends up in logs.
///
/// ```
/// use presign::{ContentType, Credentials, Endpoint, ObjectRequest, Presigner, PutTtl};
/// use time::macros::datetime;
/// let p = Presigner::new(Endpoint::aws_s3("us-east-1")?, Credentials::new("AKID", "secret")?);
/// let mp4 = ContentType::new("video/mp4")?;
/// let request = ObjectRequest::put("bucket", "key.mp4", &mp4, PutTtl::default());
/// let mut buf = [0u8; 512];
/// let signed = p.presign_to_slice(&request, datetime!(2026-01-01 0:00 UTC), &mut buf)?;
/// assert!(signed.url().starts_with("https://bucket.s3.us-east-1.amazonaws.com/key.mp4?"));
/// assert_eq!(signed.method(), presign::Method::Put);
/// assert_eq!(signed.headers().collect::<Vec<_>>(), [("content-type", "video/mp4")]);
/// assert_eq!(signed.expires_at(), datetime!(2026-01-01 0:30 UTC));
/// assert!(!format!("{signed:?}").contains("X-Amz-Signature=0"));
/// # Ok::<(), presign::Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Presigned<'a> {
    url: &'a str,
    method: Method,
    headers: HeaderSource<'a>,
    /// Unix seconds, within the range `time` represents (checked when signing); turned into
    /// an `OffsetDateTime` only when asked for.
    expires_at: i64,
}

/// Where the headers to send are kept.
#[derive(Clone, Copy, PartialEq, Eq)]
enum HeaderSource<'a> {
    /// In the request: its bound content type, its bindings (from `binding_at` on), then
    /// its extra headers.
    Request {
        content_type: Option<&'a ContentType>,
        bindings: Option<&'a UploadBindings>,
        binding_at: usize,
        extra: &'a [(&'a str, &'a str)],
    },
    /// As `name:value\n` lines (an owned result keeps them after its URL).
    #[cfg_attr(
        not(feature = "alloc"),
        allow(dead_code, reason = "owned results need `alloc`")
    )]
    Lines(&'a str),
}

impl<'a> Presigned<'a> {
    pub(crate) fn new(
        url: &'a str,
        method: Method,
        content_type: Option<&'a ContentType>,
        bindings: Option<&'a UploadBindings>,
        extra: &'a [(&'a str, &'a str)],
        expires_at: i64,
    ) -> Self {
        Self {
            url,
            method,
            headers: HeaderSource::Request {
                content_type,
                bindings,
                binding_at: 0,
                extra,
            },
            expires_at,
        }
    }

    /// The same view for a request of `method`.
    pub(crate) fn with_method(mut self, method: Method) -> Self {
        self.method = method;
        self
    }

    /// The URL.
    ///
    /// ```
    /// # use presign::{Credentials, Endpoint, GetTtl, ObjectRequest, Presigner};
    /// # let p = Presigner::new(Endpoint::aws_s3("us-east-1")?, Credentials::new("AKID", "secret")?);
    /// # let mut buf = [0u8; 512];
    /// let signed = p.presign_to_slice(&ObjectRequest::get("bucket", "key", GetTtl::default()),
    ///                                 time::macros::datetime!(2026-01-01 0:00 UTC), &mut buf)?;
    /// assert!(signed.url().contains("X-Amz-Signature="));
    /// # Ok::<(), presign::Error>(())
    /// ```
    #[must_use]
    pub fn url(&self) -> &'a str {
        self.url
    }

    /// The method the URL is signed for; any other gets 403.
    ///
    /// ```
    /// # use presign::{Credentials, Endpoint, GetTtl, ObjectRequest, Presigner};
    /// # let p = Presigner::new(Endpoint::aws_s3("us-east-1")?, Credentials::new("AKID", "secret")?);
    /// # let mut buf = [0u8; 512];
    /// let signed = p.presign_to_slice(&ObjectRequest::head("bucket", "key", GetTtl::default()),
    ///                                 time::macros::datetime!(2026-01-01 0:00 UTC), &mut buf)?;
    /// assert_eq!(signed.method(), presign::Method::Head);
    /// # Ok::<(), presign::Error>(())
    /// ```
    #[must_use]
    pub fn method(&self) -> Method {
        self.method
    }

    /// The headers the client **must** send, with exactly these values: the bound
    /// `content-type` first, then the [`UploadBindings`], then any extra signed headers as
    /// the request gave them. `host` is not listed; HTTP clients send it from the URL.
    ///
    /// ```
    /// # use presign::{Credentials, Endpoint, ObjectRequest, Presigner, Method, Ttl};
    /// # let p = Presigner::new(Endpoint::aws_s3("us-east-1")?, Credentials::new("AKID", "secret")?);
    /// # let mut buf = [0u8; 512];
    /// let request = ObjectRequest::new(Method::Put, "bucket", "key", Ttl::default())
    ///     .with_headers(&[("x-amz-acl", "private")]);
    /// let signed = p.presign_to_slice(&request, time::macros::datetime!(2026-01-01 0:00 UTC), &mut buf)?;
    /// assert_eq!(signed.headers().collect::<Vec<_>>(), [("x-amz-acl", "private")]);
    /// # Ok::<(), presign::Error>(())
    /// ```
    #[must_use]
    pub fn headers(&self) -> HeadersToSend<'a> {
        HeadersToSend {
            source: self.headers,
        }
    }

    /// When the URL stops working (UTC): the signing time plus the lifetime, clamped to the
    /// credentials' expiry.
    ///
    /// ```
    /// # use presign::{Credentials, Endpoint, GetTtl, ObjectRequest, Presigner};
    /// use time::macros::datetime;
    /// # let p = Presigner::new(Endpoint::aws_s3("us-east-1")?, Credentials::new("AKID", "secret")?);
    /// # let mut buf = [0u8; 512];
    /// let signed = p.presign_to_slice(&ObjectRequest::get("bucket", "key", GetTtl::from_secs(60)?),
    ///                                 datetime!(2026-01-01 0:00 UTC), &mut buf)?;
    /// assert_eq!(signed.expires_at(), datetime!(2026-01-01 0:01 UTC));
    /// # Ok::<(), presign::Error>(())
    /// ```
    #[must_use]
    pub fn expires_at(&self) -> OffsetDateTime {
        OffsetDateTime::from_unix_timestamp(self.expires_at)
            .expect("the expiry is checked against the last representable second when signed")
    }

    /// An owned copy that outlives the buffer and the request.
    ///
    /// ```
    /// # use presign::{Credentials, Endpoint, GetTtl, ObjectRequest, Presigner};
    /// # let p = Presigner::new(Endpoint::aws_s3("us-east-1")?, Credentials::new("AKID", "secret")?);
    /// # let mut buf = [0u8; 512];
    /// let owned = p.presign_to_slice(&ObjectRequest::get("bucket", "key", GetTtl::default()),
    ///                                time::macros::datetime!(2026-01-01 0:00 UTC), &mut buf)?
    ///     .to_owned_request();
    /// assert!(owned.url().starts_with("https://bucket."));
    /// # Ok::<(), presign::Error>(())
    /// ```
    #[cfg(feature = "alloc")]
    #[cfg_attr(docsrs, doc(cfg(feature = "alloc")))]
    #[must_use]
    pub fn to_owned_request(&self) -> PresignedRequest {
        let lines: usize = self.headers().map(|(n, v)| header_line_len(n, v)).sum();
        let mut text = alloc::string::String::with_capacity(self.url.len() + lines);
        text.push_str(self.url);
        PresignedRequest::from_url(text, self.method, self.expires_at, self.headers())
    }
}

/// The length of a header stored as a `name:value\n` line.
#[cfg(feature = "alloc")]
pub(crate) fn header_line_len(name: &str, value: &str) -> usize {
    name.len() + value.len() + 2
}

impl fmt::Debug for Presigned<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Presigned")
            .field("url", &RedactedUrl(self.url))
            .field("method", &self.method)
            .field("headers", &DebugHeaders(*self))
            .field("expires_at", &self.expires_at())
            .finish()
    }
}

/// The headers of a [`Presigned`] as a `Debug` list.
struct DebugHeaders<'a>(Presigned<'a>);

impl fmt::Debug for DebugHeaders<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.0.headers()).finish()
    }
}

/// The headers a client must send with a presigned URL, as `(name, value)` pairs.
///
/// ```
/// # use presign::{ContentType, Credentials, Endpoint, ObjectRequest, Presigner, PutTtl};
/// # let p = Presigner::new(Endpoint::aws_s3("us-east-1")?, Credentials::new("AKID", "secret")?);
/// let csv = ContentType::new("text/csv")?;
/// let mut buf = [0u8; 512];
/// let up = p.presign_to_slice(&ObjectRequest::put("bucket", "k", &csv, PutTtl::default()),
///                             time::macros::datetime!(2026-11-24 03:56:49 UTC), &mut buf)?;
/// let mut headers = up.headers();
/// assert_eq!(headers.next(), Some(("content-type", "text/csv")));
/// assert_eq!(headers.next(), None);
/// # Ok::<(), presign::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct HeadersToSend<'a> {
    source: HeaderSource<'a>,
}

impl fmt::Debug for HeaderSource<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(HeadersToSend { source: *self })
            .finish()
    }
}

impl<'a> Iterator for HeadersToSend<'a> {
    type Item = (&'a str, &'a str);

    fn next(&mut self) -> Option<Self::Item> {
        match &mut self.source {
            HeaderSource::Request {
                content_type,
                bindings,
                binding_at,
                extra,
            } => {
                if let Some(value) = content_type.take() {
                    return Some(("content-type", value.as_str()));
                }
                if let Some(bound) = bindings {
                    if let Some(header) = bound.headers().nth(*binding_at) {
                        *binding_at += 1;
                        return Some(header);
                    }
                    *bindings = None;
                }
                let (first, rest) = extra.split_first()?;
                *extra = rest;
                Some(*first)
            }
            HeaderSource::Lines(lines) => {
                let (line, rest) = lines.split_once('\n')?;
                *lines = rest;
                Some(
                    line.split_once(':')
                        .expect("every stored line is name:value"),
                )
            }
        }
    }
}

/// A URL printed with the values of `X-Amz-Signature` and `X-Amz-Security-Token` hidden.
pub(crate) struct RedactedUrl<'a>(pub(crate) &'a str);

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

/// A presigned URL with everything the client needs to use it, owning its text: it
/// outlives the request it was made from, so a helper can build the key, query and headers
/// locally and return it.
///
/// It holds one allocation: the URL followed by the headers to send.
///
/// ```
/// use presign::{Credentials, Endpoint, Method, ObjectRequest, Presigner, PresignedRequest, Ttl};
/// use time::OffsetDateTime;
///
/// // Everything the request borrows is local; the result is not.
/// fn tagged_put(p: &Presigner, episode: u32, now: OffsetDateTime) -> Result<PresignedRequest, presign::Error> {
///     let key = format!("episodes/{episode}/actions.jsonl");
///     let tag = format!("{episode}");
///     let headers = [("x-amz-meta-episode", tag.as_str())];
///     let request = ObjectRequest::new(Method::Put, "bucket", &key, Ttl::default()).with_headers(&headers);
///     p.presign(&request, now)
/// }
///
/// let p = Presigner::new(Endpoint::r2("0123456789abcdef0123456789abcdef")?,
///                        Credentials::new("AKID", "secret")?);
/// let up = tagged_put(&p, 42, time::macros::datetime!(2026-11-24 03:56:49 UTC))?;
/// assert_eq!(up.headers().collect::<Vec<_>>(), [("x-amz-meta-episode", "42")]);
/// let url: String = up.into_url();
/// assert!(url.contains("/bucket/episodes/42/actions.jsonl?"));
/// # Ok::<(), presign::Error>(())
/// ```
///
/// `Debug` shows the URL with its signature and session token redacted: a presigned URL is a
/// bearer credential until it expires, and `Debug` output ends up in logs.
#[cfg(feature = "alloc")]
#[cfg_attr(docsrs, doc(cfg(feature = "alloc")))]
#[derive(Clone, PartialEq, Eq)]
pub struct PresignedRequest {
    /// The URL, then each header to send as a `name:value\n` line.
    text: alloc::string::String,
    url_len: usize,
    method: Method,
    expires_at: i64,
}

#[cfg(feature = "alloc")]
impl PresignedRequest {
    /// Takes `text`, which holds the URL, and appends the headers to send.
    pub(crate) fn from_url<'h>(
        mut text: alloc::string::String,
        method: Method,
        expires_at: i64,
        headers: impl Iterator<Item = (&'h str, &'h str)>,
    ) -> Self {
        let url_len = text.len();
        for (name, value) in headers {
            text.push_str(name);
            text.push(':');
            text.push_str(value);
            text.push('\n');
        }
        Self {
            text,
            url_len,
            method,
            expires_at,
        }
    }

    /// The same instructions as a borrowed [`Presigned`] view.
    ///
    /// ```
    /// # use presign::{Credentials, Endpoint, GetTtl, Presigner};
    /// # let p = Presigner::new(Endpoint::aws_s3("us-east-1")?, Credentials::new("AKID", "secret")?);
    /// let down = p.get_object("bucket", "k", GetTtl::default(), time::macros::datetime!(2026-11-24 03:56:49 UTC))?;
    /// assert_eq!(down.as_presigned().url(), down.url());
    /// # Ok::<(), presign::Error>(())
    /// ```
    #[must_use]
    pub fn as_presigned(&self) -> Presigned<'_> {
        let (url, lines) = self.text.split_at(self.url_len);
        Presigned {
            url,
            method: self.method,
            headers: HeaderSource::Lines(lines),
            expires_at: self.expires_at,
        }
    }

    /// The URL.
    ///
    /// ```
    /// # use presign::{Credentials, Endpoint, GetTtl, Presigner};
    /// # let p = Presigner::new(Endpoint::aws_s3("us-east-1")?, Credentials::new("AKID", "secret")?);
    /// let down = p.get_object("bucket", "k", GetTtl::default(), time::macros::datetime!(2026-11-24 03:56:49 UTC))?;
    /// assert!(down.url().contains("X-Amz-Signature="));
    /// # Ok::<(), presign::Error>(())
    /// ```
    #[must_use]
    pub fn url(&self) -> &str {
        &self.text[..self.url_len]
    }

    /// The URL, owned (the headers' text is dropped; no copy is made).
    ///
    /// ```
    /// # use presign::{Credentials, Endpoint, GetTtl, Presigner};
    /// # let p = Presigner::new(Endpoint::aws_s3("us-east-1")?, Credentials::new("AKID", "secret")?);
    /// let url: String = p.get_object("bucket", "k", GetTtl::default(),
    ///                                time::macros::datetime!(2026-11-24 03:56:49 UTC))?.into_url();
    /// assert!(url.starts_with("https://bucket."));
    /// # Ok::<(), presign::Error>(())
    /// ```
    #[must_use]
    pub fn into_url(mut self) -> alloc::string::String {
        self.text.truncate(self.url_len);
        self.text
    }

    /// The method the URL is signed for; any other gets 403.
    ///
    /// ```
    /// # use presign::{Credentials, Endpoint, GetTtl, Presigner};
    /// # let p = Presigner::new(Endpoint::aws_s3("us-east-1")?, Credentials::new("AKID", "secret")?);
    /// let down = p.get_object("bucket", "k", GetTtl::default(), time::macros::datetime!(2026-11-24 03:56:49 UTC))?;
    /// assert_eq!(down.method(), presign::Method::Get);
    /// # Ok::<(), presign::Error>(())
    /// ```
    #[must_use]
    pub fn method(&self) -> Method {
        self.method
    }

    /// The headers the client **must** send, with exactly these values (see
    /// [`Presigned::headers`]).
    ///
    /// ```
    /// # use presign::{ContentType, Credentials, Endpoint, Presigner, PutTtl};
    /// # let p = Presigner::new(Endpoint::aws_s3("us-east-1")?, Credentials::new("AKID", "secret")?);
    /// let up = p.put_object("bucket", "k", &ContentType::new("text/csv")?, PutTtl::default(),
    ///                       time::macros::datetime!(2026-11-24 03:56:49 UTC))?;
    /// assert_eq!(up.headers().collect::<Vec<_>>(), [("content-type", "text/csv")]);
    /// # Ok::<(), presign::Error>(())
    /// ```
    #[must_use]
    pub fn headers(&self) -> HeadersToSend<'_> {
        self.as_presigned().headers()
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
        self.as_presigned().expires_at()
    }
}

#[cfg(feature = "alloc")]
#[expect(
    clippy::missing_fields_in_debug,
    reason = "the text is shown as its URL (redacted) and headers"
)]
impl fmt::Debug for PresignedRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let view = self.as_presigned();
        f.debug_struct("PresignedRequest")
            .field("url", &RedactedUrl(view.url))
            .field("method", &self.method)
            .field("headers", &DebugHeaders(view))
            .field("expires_at", &view.expires_at())
            .finish()
    }
}
