//! AWS Signature Version 4 presigned URLs for Cloudflare R2, AWS S3 and any S3-compatible
//! store: pure, deterministic, `no_std`, and free of allocation on the signing path.
//!
//! ```
//! # #[cfg(feature = "alloc")] fn main() -> Result<(), presign::Error> {
//! use presign::{ContentType, Credentials, Endpoint, GetTtl, Presigner, PutTtl};
//! use time::macros::datetime;
//!
//! let creds = Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")?;
//! let r2 = Presigner::new(Endpoint::r2("0123456789abcdef0123456789abcdef")?, creds);
//! let now = datetime!(2026-11-24 03:56:49 UTC); // or presign::now_utc() with `std`
//!
//! // Upload: valid 30 minutes, only with `Content-Type: video/mp4`.
//! let up = r2.put_object("robotrace-episodes", "episodes/42/video.mp4",
//!                        ContentType::new("video/mp4")?, PutTtl::default(), now)?;
//! assert_eq!(up.headers().collect::<Vec<_>>(), [("content-type", "video/mp4")]);
//!
//! // Download: valid 1 hour; byte ranges work with the same URL.
//! let down = r2.get_object("robotrace-episodes", "episodes/42/video.mp4", GetTtl::default(), now)?;
//! assert!(down.url().starts_with("https://0123456789abcdef0123456789abcdef.r2.cloudflarestorage.com/"));
//! # Ok(()) }
//! # #[cfg(not(feature = "alloc"))] fn main() {}
//! ```
//!
//! # The flow
//!
//! Inputs ([`Credentials`], [`Endpoint`], bucket, key, [`ContentType`], a lifetime and the
//! time) are validated into types that cannot hold a value that would make a broken URL.
//! Then, for each URL:
//!
//! 1. **URL and canonical request.** The URL is written once into the output buffer:
//!    `scheme://host/path?query`, the path URI-encoded, the query parameters (the
//!    `X-Amz-*` set and any extras) encoded and sorted. The canonical request is
//!    `method \n path \n query \n headers \n signed-headers \n UNSIGNED-PAYLOAD`; its path
//!    and query lines are hashed straight from the written URL, so what is signed is what
//!    is sent. For the moment of hashing the buffer holds the whole canonical request (the
//!    method line over the end of the host, `\n` for `?`, the header lines after the
//!    query), which SHA-256 reads as one slice; then the URL is put back.
//! 2. **String to sign.** `AWS4-HMAC-SHA256 \n X-Amz-Date \n scope \n hex(SHA-256(canonical
//!    request))`, with scope `date/region/s3/aws4_request`.
//! 3. **Signature.** HMAC-SHA256 of the string to sign with the signing key, which is
//!    derived from the secret once per UTC day and cached without locks.
//! 4. **URL.** `&X-Amz-Signature=<hex>` is appended.
//!
//! [`sigv4`] exposes the same steps for any service and both rule sets (S3 and generic), and
//! runs every case of the AWS SigV4 test suite.
//!
//! # Features
//!
//! - `std` (default): implies `alloc`; adds [`now_utc`].
//! - `alloc`: the `String`-returning API ([`Presigner::put_object`] and friends,
//!   [`PresignedRequest`]) and session tokens.
//! - neither: the core signs into a caller's buffer with
//!   [`Presigner::presign_to_slice`] and [`sigv4::presign_query`] (any `core::fmt::Write`).
//!
//! # Errors
//!
//! Every constructor and signing method returns [`Error`], whose variants name the field at
//! fault and whose messages say what to change. Nothing panics on any input.

#![no_std]
#![forbid(unsafe_code)]

#[cfg(any(feature = "alloc", test))]
extern crate alloc;

mod amz_date;
mod buffer;
mod canonical;
#[cfg(feature = "std")]
mod clock;
mod content_type;
mod credentials;
mod encode;
mod endpoint;
mod error;
mod inline_str;
mod multipart_body;
mod names;
mod part_plan;
mod presigner;
mod sha;
mod signing_key;
pub mod sigv4;
mod ttl;

#[cfg(feature = "std")]
pub use clock::now_utc;
pub use content_type::{ContentType, MAX_CONTENT_TYPE_LEN};
pub use credentials::{Credentials, MAX_ACCESS_KEY_ID_LEN, MAX_SESSION_TOKEN_LEN};
pub use endpoint::{AddressingStyle, Endpoint, Jurisdiction, MAX_BASE_PATH_LEN, MAX_REGION_LEN};
pub use error::Error;
pub use multipart_body::{
    BodyError, CompleteOutcome, CompleteResult, CompletedPart, InitiateResult, ListParts,
    ListedPart, ListedParts, MAX_DEPTH, S3ErrorBody, Unescaped, XmlText,
    complete_multipart_upload_max_len, write_complete_multipart_upload,
};
pub use names::MAX_KEY_LEN;
pub use part_plan::{
    DEFAULT_PART_SIZE, MAX_PARTS, MIN_PART_SIZE, Part, PartPlan, Parts, PlanError, RangeHeader,
    Store,
};
#[cfg(feature = "alloc")]
pub use presigner::PresignedRequest;
pub use presigner::{Method, ObjectRequest, Presigned, Presigner, ResponseOverrides};
pub use ttl::{GetTtl, MAX_TTL_SECS, MIN_TTL_SECS, PutTtl, Ttl};
