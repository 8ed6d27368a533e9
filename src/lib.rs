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
//! let mp4 = ContentType::new("video/mp4")?;
//! let up = r2.put_object("robotrace-episodes", "episodes/42/video.mp4", &mp4, PutTtl::default(), now)?;
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
//! **Inputs → canonical request → string to sign → signature → URL.** The modules are
//! listed in `lib.rs` in this order, and `Presigner::write_url` calls one function per step.
//!
//! 0. **Inputs** ([`Credentials`], [`Endpoint`], bucket, key, [`ContentType`], a lifetime
//!    and the time) are validated into types that cannot hold a value that would make a
//!    broken URL; an [`ObjectRequest`] says what to sign. The plan step checks the rest
//!    (bucket and key rules, extra headers and query parameters) and settles the signed
//!    headers and the expiry.
//! 1. **Canonical request.** The URL is written once, without its signature:
//!    `scheme://host/path?query`, the path URI-encoded, the query parameters (the
//!    `X-Amz-*` set and any extras) encoded and sorted. The canonical request is
//!    `method \n path \n query \n headers \n signed-headers \n UNSIGNED-PAYLOAD`; its path
//!    and query lines are the URL's, hashed where they were written, so what is signed is
//!    what is sent.
//! 2. **String to sign.** `AWS4-HMAC-SHA256 \n X-Amz-Date \n scope \n hex(SHA-256(canonical
//!    request))`, with scope `date/region/s3/aws4_request`.
//! 3. **Signature.** HMAC-SHA256 of the string to sign with the signing key, which is
//!    derived from the secret once per UTC day and cached without locks.
//! 4. **URL.** `&X-Amz-Signature=<hex>` is appended. The result ([`Presigned`], or the owned
//!    [`PresignedRequest`]) carries the instructions: the URL, the method, the headers the
//!    client must send and the expiry.
//!
//! [`sigv4`] exposes the same steps for any service and both rule sets (S3 and generic), and
//! runs every case of the AWS SigV4 test suite. [`PresignedUrl`] reads a presigned URL back
//! without the secret: who signed it, for which scope, what the client must send, and when it
//! stops working.
//!
//! The receiving side: [`Verifier`] checks a presigned request as S3 and R2 do on receipt
//! (the canonical request rebuilt from what was received, the signature compared in constant
//! time) and answers [`Verified`] or a [`Rejection`] with the S3 error code a real store
//! gives; [`explain`] names, without the secret, every way a request about to be sent differs
//! from a URL's instructions, with its fix.
//!
//! # Features
//!
//! - `std` (default): implies `alloc`; adds [`now_utc`], the one place that reads a clock.
//! - `alloc`: the owned results ([`Presigner::presign`], [`Presigner::put_object`] and
//!   friends, [`PresignedRequest`]), [`Presigner::presign_into`] and session tokens.
//! - neither: the core signs into a caller's buffer with [`Presigner::presign_to_slice`]
//!   (sized by [`Presigner::max_url_len`]) and [`sigv4::presign_query`] (any
//!   `core::fmt::Write`).
//!
//! # Errors
//!
//! Every constructor and signing method returns [`Error`], whose variants name the field at
//! fault ([`Field`]) and whose messages say what to change; [`Error::kind`] says whether the
//! request or the set-up is at fault. No input makes the crate panic.

#![no_std]
#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(any(feature = "alloc", test))]
extern crate alloc;

// Validated inputs.
mod amz_date;
#[cfg(feature = "std")]
mod clock;
mod content_type;
mod credentials;
mod decimal;
mod endpoint;
mod error;
mod inline_str;
mod names;
mod text;
mod ttl;

// The request to sign, and what a multipart upload or a bound upload adds to it.
mod base64;
mod binding;
mod checksum_algorithm;
mod multipart;
mod request;

// Around the signer: the protocol's small XML bodies and the part plan of an upload.
mod multipart_body;
mod part_plan;

// Step 1: the canonical request (URL path and query written once, hashed where written).
mod buffer;
mod canonical_request;
mod encode;
mod headers;
mod pairs;
mod query;
mod sha;

// Steps 2 and 3: the scope and string to sign, and the signing key.
mod scope;
mod signing_key;

// Step 4 and the results.
mod multipart_upload;
mod presigned;
mod presigner;

// Any service, either rule set.
pub mod sigv4;

// The receiving side: reading a presigned URL back without the secret, verifying a
// request with it (the canonical request rebuilt from what was received), and explaining
// a 403 before it happens.
mod explain;
mod inspect;
mod minted_query;
mod received;
mod rejection;
mod verify;

#[cfg(test)]
mod test_rng;

pub use binding::{Checksum, UploadBindings};
pub use checksum_algorithm::ChecksumAlgorithm;
#[cfg(feature = "std")]
#[cfg_attr(docsrs, doc(cfg(feature = "std")))]
pub use clock::now_utc;
pub use content_type::{ContentType, MAX_CONTENT_TYPE_LEN};
pub use credentials::{Credentials, MAX_ACCESS_KEY_ID_LEN, MAX_SESSION_TOKEN_LEN};
pub use endpoint::{AddressingStyle, Endpoint, Jurisdiction, MAX_BASE_PATH_LEN, MAX_REGION_LEN};
pub use error::{Error, ErrorKind, Field};
pub use explain::{Mismatch, Mismatches, SentValue, explain};
pub use inspect::{AuthParam, CredentialPart, DecodedBytes, Encoded, InspectError, PresignedUrl};
pub use multipart::{MAX_UPLOAD_ID_LEN, PartNumber, PartsPage, UploadId};
pub use multipart_body::{
    BodyError, CompleteOutcome, CompleteResult, CompletedPart, InitiateResult, ListParts,
    ListedPart, ListedParts, MAX_XML_DEPTH, S3ErrorBody, Unescaped, XmlText,
    complete_multipart_upload_max_len, write_complete_multipart_upload,
};
pub use multipart_upload::MultipartUpload;
pub use names::MAX_KEY_LEN;
pub use part_plan::{
    DEFAULT_PART_SIZE, MAX_PARTS, MIN_PART_SIZE, Part, PartPlan, PlanError, PlannedParts,
    RangeHeader, Store,
};
#[cfg(feature = "alloc")]
pub use presigned::PresignedRequest;
pub use presigned::{HeadersToSend, Presigned};
pub use presigner::Presigner;
pub use received::ReceivedRequest;
pub use rejection::{
    CanonicalRequestText, Rejection, RejectionReason, S3ErrorCode, S3Message, StringToSignText,
};
pub use request::{Method, ObjectRequest, ResponseOverrides};
pub use ttl::{GetTtl, PutTtl, Ttl};
pub use verify::{DEFAULT_CLOCK_SKEW_SECS, KeyRefusal, Policy, SecretStore, Verified, Verifier};
