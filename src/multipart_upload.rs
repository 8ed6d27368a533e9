//! The named multipart operations of a [`Presigner`], and [`MultipartUpload`]: one upload's
//! bucket, key and id checked once, then a URL for any step or part.

use time::OffsetDateTime;

use crate::buffer::SliceOut;
#[cfg(feature = "alloc")]
use crate::multipart::PartsPage;
use crate::multipart::{PartNumber, UploadId};
use crate::presigned::Presigned;
#[cfg(feature = "alloc")]
use crate::presigned::PresignedRequest;
use crate::presigner::{Checks, view};
use crate::request::ObjectRequest;
#[cfg(feature = "alloc")]
use crate::{ContentType, GetTtl, Ttl, UploadBindings};
use crate::{Error, Presigner, PutTtl};

/// One multipart upload of one object, checked once: every part URL (and the list,
/// complete and abort URLs) is minted without checking the bucket and key again. Get one
/// from [`Presigner::multipart_upload`].
///
/// ```
/// # #[cfg(feature = "alloc")] fn main() -> Result<(), presign::Error> {
/// use presign::{Credentials, Endpoint, PartNumber, Presigner, PutTtl, UploadId};
/// use time::macros::datetime;
/// let r2 = Presigner::new(Endpoint::r2("0123456789abcdef0123456789abcdef")?,
///                         Credentials::new("AKID", "secret")?);
/// let upload = r2.multipart_upload("robotrace-episodes", "episodes/42/video.mp4",
///                                  UploadId::new("VXBsb2FkSWQ")?)?;
/// let now = datetime!(2026-11-24 03:56:49 UTC);
/// let part = upload.part(PartNumber::new(3)?, PutTtl::default(), now)?;
/// assert!(part.url().contains("?X-Amz-Algorithm="));
/// assert!(part.url().contains("&partNumber=3&uploadId=VXBsb2FkSWQ&X-Amz-Signature="));
/// # Ok(()) }
/// # #[cfg(not(feature = "alloc"))] fn main() {}
/// ```
#[derive(Debug, Clone, Copy)]
pub struct MultipartUpload<'a> {
    presigner: &'a Presigner,
    bucket: &'a str,
    key: &'a str,
    upload_id: UploadId<'a>,
}

impl Presigner {
    /// Checks `bucket` and `key` once for all the URLs of one multipart upload.
    ///
    /// ```
    /// use presign::{Credentials, Endpoint, Presigner, UploadId};
    /// let p = Presigner::new(Endpoint::aws_s3("us-east-1")?, Credentials::new("AKID", "secret")?);
    /// assert!(p.multipart_upload("bucket", "big.bin", UploadId::new("ID")?).is_ok());
    /// assert!(p.multipart_upload("Bucket", "big.bin", UploadId::new("ID")?).is_err());
    /// # Ok::<(), presign::Error>(())
    /// ```
    pub fn multipart_upload<'a>(
        &'a self,
        bucket: &'a str,
        key: &'a str,
        upload_id: UploadId<'a>,
    ) -> Result<MultipartUpload<'a>, Error> {
        self.check_object(bucket, key)?;
        Ok(MultipartUpload {
            presigner: self,
            bucket,
            key,
            upload_id,
        })
    }
}

impl<'a> MultipartUpload<'a> {
    /// The upload's id.
    ///
    /// ```
    /// # use presign::{Credentials, Endpoint, Presigner, UploadId};
    /// # let p = Presigner::new(Endpoint::aws_s3("us-east-1")?, Credentials::new("AKID", "secret")?);
    /// let upload = p.multipart_upload("bucket", "big.bin", UploadId::new("ID")?)?;
    /// assert_eq!(upload.upload_id().as_str(), "ID");
    /// # Ok::<(), presign::Error>(())
    /// ```
    #[must_use]
    pub fn upload_id(&self) -> UploadId<'a> {
        self.upload_id
    }

    fn part_request(&self, part: PartNumber, ttl: PutTtl) -> ObjectRequest<'a> {
        ObjectRequest::upload_part(self.bucket, self.key, self.upload_id, part, ttl)
    }

    /// A part URL written into `buf`, without allocating (see
    /// [`Presigner::presign_to_slice`]).
    ///
    /// ```
    /// # use presign::{Credentials, Endpoint, PartNumber, Presigner, PutTtl, UploadId};
    /// # let p = Presigner::new(Endpoint::aws_s3("us-east-1")?, Credentials::new("AKID", "secret")?);
    /// let upload = p.multipart_upload("bucket", "big.bin", UploadId::new("ID")?)?;
    /// let mut buf = [0u8; 1024];
    /// for n in 1..=3 {
    ///     let part = upload.part_to_slice(PartNumber::new(n)?, PutTtl::default(),
    ///                                     time::macros::datetime!(2026-11-24 03:56:49 UTC), &mut buf)?;
    ///     assert!(part.url().contains(&format!("partNumber={n}&")));
    /// }
    /// # Ok::<(), presign::Error>(())
    /// ```
    pub fn part_to_slice<'b>(
        &self,
        part: PartNumber,
        ttl: PutTtl,
        now: OffsetDateTime,
        buf: &'b mut [u8],
    ) -> Result<Presigned<'b>, Error> {
        let request = self.part_request(part, ttl);
        let mut out = SliceOut::new(buf);
        let expires_at =
            self.presigner
                .write_url(&request, now, &mut out, Checks::ObjectChecked)?;
        Ok(
            view(out.finish()?, &ObjectRequest::<'b>::NO_HEADERS, expires_at)
                .with_method(request.method),
        )
    }
}

#[cfg(feature = "alloc")]
#[cfg_attr(docsrs, doc(cfg(feature = "alloc")))]
impl MultipartUpload<'_> {
    /// A part URL, valid for an upload lifetime: mint it again (same number) to retry a
    /// part whose URL lapsed.
    ///
    /// ```
    /// # use presign::{Credentials, Endpoint, PartNumber, Presigner, PutTtl, UploadId};
    /// # let p = Presigner::new(Endpoint::aws_s3("us-east-1")?, Credentials::new("AKID", "secret")?);
    /// let upload = p.multipart_upload("bucket", "big.bin", UploadId::new("ID")?)?;
    /// let part = upload.part(PartNumber::MIN, PutTtl::default(), time::macros::datetime!(2026-11-24 03:56:49 UTC))?;
    /// assert_eq!(part.method(), presign::Method::Put);
    /// assert_eq!(part.headers().count(), 0);
    /// # Ok::<(), presign::Error>(())
    /// ```
    pub fn part(
        &self,
        part: PartNumber,
        ttl: PutTtl,
        now: OffsetDateTime,
    ) -> Result<PresignedRequest, Error> {
        self.owned(&self.part_request(part, ttl), now)
    }

    /// A part URL bound to its body (R2 checks `Content-MD5` on parts; S3 also the
    /// checksums): the client sends the bound headers too.
    ///
    /// ```
    /// # use presign::{Credentials, Endpoint, PartNumber, Presigner, PutTtl, UploadBindings, UploadId};
    /// # let p = Presigner::new(Endpoint::aws_s3("us-east-1")?, Credentials::new("AKID", "secret")?);
    /// let upload = p.multipart_upload("bucket", "big.bin", UploadId::new("ID")?)?;
    /// let bound = UploadBindings::new().content_length(5 << 20);
    /// let part = upload.bound_part(PartNumber::MIN, &bound, PutTtl::default(),
    ///                              time::macros::datetime!(2026-11-24 03:56:49 UTC))?;
    /// assert_eq!(part.headers().collect::<Vec<_>>(), [("content-length", "5242880")]);
    /// # Ok::<(), presign::Error>(())
    /// ```
    pub fn bound_part(
        &self,
        part: PartNumber,
        bindings: &UploadBindings,
        ttl: PutTtl,
        now: OffsetDateTime,
    ) -> Result<PresignedRequest, Error> {
        self.owned(&self.part_request(part, ttl).with_bindings(bindings), now)
    }

    /// A part URL written into `url`, reused (see [`Presigner::presign_into`]).
    ///
    /// ```
    /// # use presign::{Credentials, Endpoint, PartNumber, Presigner, PutTtl, UploadId};
    /// # let p = Presigner::new(Endpoint::aws_s3("us-east-1")?, Credentials::new("AKID", "secret")?);
    /// let upload = p.multipart_upload("bucket", "big.bin", UploadId::new("ID")?)?;
    /// let mut url = String::with_capacity(1024);
    /// let part = upload.part_into(PartNumber::MAX, PutTtl::default(),
    ///                             time::macros::datetime!(2026-11-24 03:56:49 UTC), &mut url)?;
    /// assert!(part.url().contains("partNumber=10000"));
    /// # Ok::<(), presign::Error>(())
    /// ```
    pub fn part_into<'b>(
        &self,
        part: PartNumber,
        ttl: PutTtl,
        now: OffsetDateTime,
        url: &'b mut alloc::string::String,
    ) -> Result<Presigned<'b>, Error> {
        let request = self.part_request(part, ttl);
        let expires_at =
            self.presigner
                .write_into_string(&request, now, url, Checks::ObjectChecked)?;
        Ok(
            view(url.as_str(), &ObjectRequest::<'b>::NO_HEADERS, expires_at)
                .with_method(request.method),
        )
    }

    /// The URL that lists the parts received so far, one page at a time.
    ///
    /// ```
    /// # use presign::{Credentials, Endpoint, GetTtl, PartsPage, Presigner, UploadId};
    /// # let p = Presigner::new(Endpoint::aws_s3("us-east-1")?, Credentials::new("AKID", "secret")?);
    /// let upload = p.multipart_upload("bucket", "big.bin", UploadId::new("ID")?)?;
    /// let list = upload.list_parts(PartsPage::new(Some(100), None)?, GetTtl::default(),
    ///                              time::macros::datetime!(2026-11-24 03:56:49 UTC))?;
    /// assert!(list.url().contains("&max-parts=100&uploadId=ID&"));
    /// # Ok::<(), presign::Error>(())
    /// ```
    pub fn list_parts(
        &self,
        page: PartsPage,
        ttl: GetTtl,
        now: OffsetDateTime,
    ) -> Result<PresignedRequest, Error> {
        let request = ObjectRequest::list_parts(self.bucket, self.key, self.upload_id, page, ttl);
        self.owned(&request, now)
    }

    /// The URL that completes the upload (`POST`, the part list as its body).
    ///
    /// ```
    /// # use presign::{Credentials, Endpoint, Presigner, Ttl, UploadId};
    /// # let p = Presigner::new(Endpoint::aws_s3("us-east-1")?, Credentials::new("AKID", "secret")?);
    /// let upload = p.multipart_upload("bucket", "big.bin", UploadId::new("ID")?)?;
    /// let done = upload.complete(None, Ttl::default(), time::macros::datetime!(2026-11-24 03:56:49 UTC))?;
    /// assert_eq!(done.method(), presign::Method::Post);
    /// # Ok::<(), presign::Error>(())
    /// ```
    pub fn complete(
        &self,
        bindings: Option<&UploadBindings>,
        ttl: Ttl,
        now: OffsetDateTime,
    ) -> Result<PresignedRequest, Error> {
        let request =
            ObjectRequest::complete_multipart_upload(self.bucket, self.key, self.upload_id, ttl);
        match bindings {
            Some(bindings) => self.owned(&request.with_bindings(bindings), now),
            None => self.owned(&request, now),
        }
    }

    /// The URL that aborts the upload (`DELETE`): the parts are dropped.
    ///
    /// ```
    /// # use presign::{Credentials, Endpoint, Presigner, Ttl, UploadId};
    /// # let p = Presigner::new(Endpoint::aws_s3("us-east-1")?, Credentials::new("AKID", "secret")?);
    /// let upload = p.multipart_upload("bucket", "big.bin", UploadId::new("ID")?)?;
    /// let abort = upload.abort(Ttl::default(), time::macros::datetime!(2026-11-24 03:56:49 UTC))?;
    /// assert_eq!(abort.method(), presign::Method::Delete);
    /// # Ok::<(), presign::Error>(())
    /// ```
    pub fn abort(&self, ttl: Ttl, now: OffsetDateTime) -> Result<PresignedRequest, Error> {
        let request =
            ObjectRequest::abort_multipart_upload(self.bucket, self.key, self.upload_id, ttl);
        self.owned(&request, now)
    }

    fn owned(
        &self,
        request: &ObjectRequest<'_>,
        now: OffsetDateTime,
    ) -> Result<PresignedRequest, Error> {
        let presigner = self.presigner;
        let mut text = alloc::string::String::with_capacity(presigner.capacity_hint(request));
        let expires_at =
            presigner.write_into_string(request, now, &mut text, Checks::ObjectChecked)?;
        Ok(PresignedRequest::from_url(
            text,
            request.method,
            expires_at,
            view("", request, expires_at).headers(),
        ))
    }
}

#[cfg(feature = "alloc")]
#[cfg_attr(docsrs, doc(cfg(feature = "alloc")))]
impl Presigner {
    /// Starts a multipart upload: `POST ?uploads` bound to the object's content type. The
    /// answer's `UploadId` names the upload in every later step.
    ///
    /// ```
    /// use presign::{ContentType, Credentials, Endpoint, Presigner, Ttl};
    /// let p = Presigner::new(Endpoint::r2("0123456789abcdef0123456789abcdef")?, Credentials::new("AKID", "secret")?);
    /// let create = p.create_multipart_upload("bucket", "big.mp4", &ContentType::new("video/mp4")?,
    ///                                        Ttl::default(), time::macros::datetime!(2026-11-24 03:56:49 UTC))?;
    /// assert_eq!(create.method(), presign::Method::Post);
    /// assert!(create.url().contains("&uploads=&X-Amz-Signature="));
    /// assert_eq!(create.headers().collect::<Vec<_>>(), [("content-type", "video/mp4")]);
    /// # Ok::<(), presign::Error>(())
    /// ```
    pub fn create_multipart_upload(
        &self,
        bucket: &str,
        key: &str,
        content_type: &ContentType,
        ttl: Ttl,
        now: OffsetDateTime,
    ) -> Result<PresignedRequest, Error> {
        self.presign(
            &ObjectRequest::create_multipart_upload(bucket, key, content_type, ttl),
            now,
        )
    }

    /// One part's URL (`PUT ?partNumber=N&uploadId=ID`). For many parts of one upload,
    /// [`Self::multipart_upload`] checks the bucket and key once.
    ///
    /// ```
    /// use presign::{Credentials, Endpoint, PartNumber, Presigner, PutTtl, UploadId};
    /// let p = Presigner::new(Endpoint::aws_s3("us-east-1")?, Credentials::new("AKID", "secret")?);
    /// let part = p.upload_part("bucket", "big.bin", UploadId::new("ID")?, PartNumber::new(2)?,
    ///                          PutTtl::default(), time::macros::datetime!(2026-11-24 03:56:49 UTC))?;
    /// assert!(part.url().contains("&partNumber=2&uploadId=ID&"));
    /// # Ok::<(), presign::Error>(())
    /// ```
    pub fn upload_part(
        &self,
        bucket: &str,
        key: &str,
        upload_id: UploadId<'_>,
        part_number: PartNumber,
        ttl: PutTtl,
        now: OffsetDateTime,
    ) -> Result<PresignedRequest, Error> {
        self.presign(
            &ObjectRequest::upload_part(bucket, key, upload_id, part_number, ttl),
            now,
        )
    }
}
