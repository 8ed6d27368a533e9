//! What to presign: the method, bucket, key, lifetime and anything else that is signed.

use core::fmt;

use crate::multipart::{MultipartStep, PartNumber, PartsPage, UploadId};
use crate::pairs::OwnPairs;
use crate::{ContentType, GetTtl, PutTtl, Ttl, UploadBindings};

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
    pub(crate) const fn canonical_line(self) -> &'static [u8] {
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

    /// At most the length of the overrides as the query writes them (`&name=value`, every
    /// value byte escaped at worst).
    pub(crate) fn query_len_bound(&self) -> usize {
        OVERRIDE_NAMES
            .iter()
            .zip(self.values)
            .filter_map(|(name, value)| value.map(|v| name.len() + 3 * v.len() + 2))
            .sum()
    }

    pub(crate) fn push_into(&self, pairs: &mut OwnPairs<'a>) {
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
    pub(crate) method: Method,
    pub(crate) bucket: &'a str,
    pub(crate) key: &'a str,
    pub(crate) ttl: Ttl,
    pub(crate) content_type: Option<&'a ContentType>,
    pub(crate) overrides: Option<&'a ResponseOverrides<'a>>,
    pub(crate) query: &'a [(&'a str, &'a str)],
    pub(crate) headers: &'a [(&'a str, &'a str)],
    pub(crate) multipart: Option<MultipartStep<'a>>,
    pub(crate) bindings: Option<&'a UploadBindings>,
}

impl<'a> ObjectRequest<'a> {
    /// A request without headers of its own, for views of requests built inside a method.
    pub(crate) const NO_HEADERS: Self = Self::new(Method::Get, "", "", Ttl::DEFAULT);

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
            multipart: None,
            bindings: None,
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

    /// Starts a multipart upload (`POST ?uploads`), with the object's content type bound
    /// here: the parts carry none, and the completed object gets this one.
    ///
    /// ```
    /// let mp4 = presign::ContentType::new("video/mp4")?;
    /// let r = presign::ObjectRequest::create_multipart_upload("bucket", "big.mp4", &mp4, presign::Ttl::default());
    /// assert_eq!(r.method(), presign::Method::Post);
    /// # Ok::<(), presign::Error>(())
    /// ```
    #[must_use]
    pub const fn create_multipart_upload(
        bucket: &'a str,
        key: &'a str,
        content_type: &'a ContentType,
        ttl: Ttl,
    ) -> Self {
        let mut request = Self::new(Method::Post, bucket, key, ttl);
        request.content_type = Some(content_type);
        request.multipart = Some(MultipartStep::Create);
        request
    }

    /// Sends one part of a multipart upload (`PUT ?partNumber=N&uploadId=ID`), with an
    /// upload lifetime. Mint it again (same number) to retry a part whose URL lapsed.
    ///
    /// ```
    /// use presign::{ObjectRequest, PartNumber, PutTtl, UploadId};
    /// let r = ObjectRequest::upload_part("bucket", "big.mp4", UploadId::new("ID")?, PartNumber::new(3)?, PutTtl::default());
    /// assert_eq!(r.method(), presign::Method::Put);
    /// # Ok::<(), presign::Error>(())
    /// ```
    #[must_use]
    pub const fn upload_part(
        bucket: &'a str,
        key: &'a str,
        upload_id: UploadId<'a>,
        part_number: PartNumber,
        ttl: PutTtl,
    ) -> Self {
        let mut request = Self::new(Method::Put, bucket, key, Ttl::from_put(ttl));
        request.multipart = Some(MultipartStep::Part {
            upload_id,
            part_number,
        });
        request
    }

    /// Completes a multipart upload (`POST ?uploadId=ID`); the body is the part list
    /// (`CompleteMultipartUpload`). Bind `If-None-Match: *` here for a create-only upload.
    ///
    /// ```
    /// use presign::{ObjectRequest, Ttl, UploadId};
    /// let r = ObjectRequest::complete_multipart_upload("bucket", "big.mp4", UploadId::new("ID")?, Ttl::default());
    /// assert_eq!(r.method(), presign::Method::Post);
    /// # Ok::<(), presign::Error>(())
    /// ```
    #[must_use]
    pub const fn complete_multipart_upload(
        bucket: &'a str,
        key: &'a str,
        upload_id: UploadId<'a>,
        ttl: Ttl,
    ) -> Self {
        let mut request = Self::new(Method::Post, bucket, key, ttl);
        request.multipart = Some(MultipartStep::Upload { upload_id });
        request
    }

    /// Aborts a multipart upload (`DELETE ?uploadId=ID`): its parts are dropped.
    ///
    /// ```
    /// use presign::{ObjectRequest, Ttl, UploadId};
    /// let r = ObjectRequest::abort_multipart_upload("bucket", "big.mp4", UploadId::new("ID")?, Ttl::default());
    /// assert_eq!(r.method(), presign::Method::Delete);
    /// # Ok::<(), presign::Error>(())
    /// ```
    #[must_use]
    pub const fn abort_multipart_upload(
        bucket: &'a str,
        key: &'a str,
        upload_id: UploadId<'a>,
        ttl: Ttl,
    ) -> Self {
        let mut request = Self::new(Method::Delete, bucket, key, ttl);
        request.multipart = Some(MultipartStep::Upload { upload_id });
        request
    }

    /// Lists the parts of a multipart upload received so far (`GET ?uploadId=ID`), one
    /// page at a time: how an interrupted uploader finds the parts still missing.
    ///
    /// ```
    /// use presign::{GetTtl, ObjectRequest, PartsPage, UploadId};
    /// let r = ObjectRequest::list_parts("bucket", "big.mp4", UploadId::new("ID")?, PartsPage::FIRST, GetTtl::default());
    /// assert_eq!(r.method(), presign::Method::Get);
    /// # Ok::<(), presign::Error>(())
    /// ```
    #[must_use]
    pub fn list_parts(
        bucket: &'a str,
        key: &'a str,
        upload_id: UploadId<'a>,
        page: PartsPage,
        ttl: GetTtl,
    ) -> Self {
        let mut request = Self::new(Method::Get, bucket, key, Ttl::from_get(ttl));
        request.multipart = Some(MultipartStep::list_parts(upload_id, page));
        request
    }

    /// Binds the body (size, digest) or the write condition: see [`UploadBindings`]. Each
    /// binding joins the signed headers and the headers the client must send. Replaces any
    /// bindings set before.
    ///
    /// ```
    /// let ct = presign::ContentType::new("video/mp4")?;
    /// let bound = presign::UploadBindings::new().content_length(1024).if_none_match_any();
    /// let r = presign::ObjectRequest::put("bucket", "key", &ct, presign::PutTtl::default())
    ///     .with_bindings(&bound);
    /// assert_eq!(r.method(), presign::Method::Put);
    /// # Ok::<(), presign::Error>(())
    /// ```
    #[must_use]
    pub const fn with_bindings(mut self, bindings: &'a UploadBindings) -> Self {
        self.bindings = Some(bindings);
        self
    }

    /// Binds a content type (`content-type` joins the signed headers), replacing any bound
    /// before.
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

    /// Sets the response header overrides (meaningful on GET), replacing any set before.
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

    /// Sets the extra query parameters, replacing any set before (decoded names and
    /// values; the signer encodes them), for example `versionId`. The signer's own
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

    /// Sets the extra headers to sign, replacing any set before; the client must send each
    /// with exactly this value. Names are RFC 9110 tokens (any case); values visible ASCII
    /// and spaces. `host` is refused (the signer sets it), and so is `content-type` when a
    /// [`ContentType`] is bound.
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
