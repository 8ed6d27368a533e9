//! Verifying a presigned request as S3 and R2 do on receipt: the other half of SigV4.
//!
//! A server (an S3-compatible store, a gateway in front of a private bucket, a test double
//! as strict as R2) hands [`Verifier::verify`] the request as it arrived: the method, the
//! request target (`/bucket/key?X-Amz-…`, still percent-encoded), the `Host` header and the
//! other headers, with the time. The verifier reads the `X-Amz-*` parameters, rebuilds the
//! canonical request from what was sent, and checks the signature with the secret a
//! [`SecretStore`] gives for the access key id. It answers [`Verified`] or a [`Rejection`]
//! carrying the S3 error code a real store answers.
//!
//! The query is read one of two ways, with one result. A query in a shape signers mint
//! (the authentication parameters in order and in signers' spellings, every value
//! canonical; the token and the operation's parameters where this crate, botocore,
//! aws-sigv4 or rusty-s3 put them) is read by that shape in one forward pass
//! (`minted_query`), and its canonical query is up to four runs of it as received. Any
//! other query is read by [`PresignedUrl`]'s parser and re-encoded and sorted
//! (`received`), which also gives each refusal its reason.
//!
//! Verifying allocates nothing (with up to 64 query parameters; more are sorted on the
//! heap with `alloc`, refused without it) and derives the signing key once per access key,
//! day and region: the keys live in a small lock-free table inside the verifier.
//!
//! The rules it follows are documented on [`Verifier`].

use core::fmt;

use hmac::Hmac;
use hmac::digest::{CtOutput, Output};
use sha2::Sha256;
use time::{Duration, OffsetDateTime};

use crate::amz_date::{AmzDate, instant};
use crate::credentials::MAX_ACCESS_KEY_ID_LEN;
use crate::encode;
use crate::endpoint::check_scope_part;
use crate::error::{Error, Field};
use crate::inspect::{Encoded, Found, InspectError, PresignedUrl, query_params};
use crate::minted_query::MintedQuery;
use crate::received::{
    CanonicalQuery, CanonicalRequest, HeaderFacts, INLINE_PARAMS, ParamScratch, QueryError,
    ReceivedPath, ReceivedRequest, SignedHeaders, TargetError, eq_lowered, split_target,
};
use crate::rejection::{Rejection, RejectionReason};
use crate::scope::{ALGORITHM, STRING_TO_SIGN_MAX, TERMINATOR};
use crate::signing_key::{KeyTable, SigningKey};
use crate::{Credentials, Ttl};

/// The clock skew S3 allows between a signer and itself: 15 minutes.
pub const DEFAULT_CLOCK_SKEW_SECS: u32 = 900;

/// What a server accepts: its regions and service, the clock skew it tolerates and the
/// longest lifetime it honours.
///
/// ```
/// use presign::{Policy, Ttl};
///
/// let policy = Policy::new(&["eu-west-1"])?
///     .with_clock_skew_secs(300)
///     .with_max_lifetime(Ttl::from_secs(3600)?);
/// assert_eq!(policy.service(), "s3");
/// assert_eq!(policy.max_lifetime_secs(), 3600);
/// assert_eq!(Policy::r2().regions(), ["auto", "us-east-1"]);
/// # Ok::<(), presign::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Policy<'p> {
    regions: &'p [&'p str],
    service: &'p str,
    clock_skew_secs: u32,
    max_lifetime_secs: u32,
}

impl<'p> Policy<'p> {
    /// A policy for a server in `regions` (the credential scope must name one of them),
    /// service `s3`, 900 s of clock skew and lifetimes up to 7 days. Each region must be a
    /// valid scope part (lower-case letters, digits and `-`, at most 64 bytes), and there
    /// must be one at least.
    ///
    /// ```
    /// use presign::{Error, Field, Policy};
    ///
    /// assert!(Policy::new(&["us-east-1", "us-west-2"]).is_ok());
    /// assert_eq!(Policy::new(&[]), Err(Error::Empty { field: Field::Region }));
    /// assert!(Policy::new(&["US-EAST-1"]).is_err());
    /// ```
    pub fn new(regions: &'p [&'p str]) -> Result<Self, Error> {
        if regions.is_empty() {
            return Err(Error::Empty {
                field: Field::Region,
            });
        }
        for region in regions {
            check_scope_part(Field::Region, region)?;
        }
        Ok(Self {
            regions,
            service: "s3",
            clock_skew_secs: DEFAULT_CLOCK_SKEW_SECS,
            max_lifetime_secs: Ttl::MAX.as_secs(),
        })
    }

    /// Cloudflare R2's policy: region `auto`, and `us-east-1`, which R2 takes as an alias of
    /// it for clients that cannot name another region.
    ///
    /// ```
    /// assert_eq!(presign::Policy::r2().regions(), ["auto", "us-east-1"]);
    /// ```
    #[must_use]
    pub const fn r2() -> Policy<'static> {
        Policy {
            regions: &["auto", "us-east-1"],
            service: "s3",
            clock_skew_secs: DEFAULT_CLOCK_SKEW_SECS,
            max_lifetime_secs: Ttl::MAX.as_secs(),
        }
    }

    /// The same policy for another service (a scope part, as a region).
    ///
    /// ```
    /// let policy = presign::Policy::new(&["us-east-1"])?.with_service("service")?;
    /// assert_eq!(policy.service(), "service");
    /// # Ok::<(), presign::Error>(())
    /// ```
    pub fn with_service(mut self, service: &'p str) -> Result<Self, Error> {
        check_scope_part(Field::Service, service)?;
        self.service = service;
        Ok(self)
    }

    /// The same policy with another clock skew allowance, in seconds: how far `X-Amz-Date`
    /// may be ahead of the server's clock.
    ///
    /// ```
    /// let policy = presign::Policy::r2().with_clock_skew_secs(0);
    /// assert_eq!(policy.clock_skew_secs(), 0);
    /// ```
    #[must_use]
    pub const fn with_clock_skew_secs(mut self, secs: u32) -> Self {
        self.clock_skew_secs = secs;
        self
    }

    /// The same policy with a lower longest lifetime (a [`Ttl`], so at most 7 days).
    ///
    /// ```
    /// let policy = presign::Policy::r2().with_max_lifetime(presign::Ttl::from_secs(60)?);
    /// assert_eq!(policy.max_lifetime_secs(), 60);
    /// # Ok::<(), presign::Error>(())
    /// ```
    #[must_use]
    pub const fn with_max_lifetime(mut self, ttl: Ttl) -> Self {
        self.max_lifetime_secs = ttl.as_secs();
        self
    }

    /// The regions accepted.
    ///
    /// ```
    /// assert_eq!(presign::Policy::new(&["fsn1"])?.regions(), ["fsn1"]);
    /// # Ok::<(), presign::Error>(())
    /// ```
    #[must_use]
    pub const fn regions(&self) -> &'p [&'p str] {
        self.regions
    }

    /// The service expected (`s3` unless changed).
    ///
    /// ```
    /// assert_eq!(presign::Policy::r2().service(), "s3");
    /// ```
    #[must_use]
    pub const fn service(&self) -> &'p str {
        self.service
    }

    /// The clock skew allowed, in seconds (900 unless changed).
    ///
    /// ```
    /// assert_eq!(presign::Policy::r2().clock_skew_secs(), 900);
    /// ```
    #[must_use]
    pub const fn clock_skew_secs(&self) -> u32 {
        self.clock_skew_secs
    }

    /// The longest lifetime accepted, in seconds (604800 unless changed).
    ///
    /// ```
    /// assert_eq!(presign::Policy::r2().max_lifetime_secs(), 604_800);
    /// ```
    #[must_use]
    pub const fn max_lifetime_secs(&self) -> u32 {
        self.max_lifetime_secs
    }
}

/// Why a [`SecretStore`] refuses an access key.
///
/// ```
/// use presign::KeyRefusal;
/// assert_ne!(KeyRefusal::UnknownAccessKeyId, KeyRefusal::InvalidToken);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum KeyRefusal {
    /// No such access key (S3: `InvalidAccessKeyId`). Also the answer S3 gives when the
    /// key of temporary credentials comes without its session token.
    UnknownAccessKeyId,
    /// The session token is not the key's, or the key takes none (S3: `InvalidToken`).
    InvalidToken,
    /// The session token has expired (S3: `ExpiredToken`).
    ExpiredToken,
}

/// Where a verifier finds the secret of an access key id, and checks a session token.
///
/// It is asked on every verification after the checks that need no secret, so a key
/// removed from the store stops working at once.
///
/// [`Credentials`] is a store of one key (its session token, if any, required), and a slice
/// or array of them a store of several. A server with a database implements the trait on
/// its own type.
///
/// ```
/// use presign::{Encoded, KeyRefusal, SecretStore};
/// use time::OffsetDateTime;
///
/// struct Keys;
/// impl SecretStore for Keys {
///     fn secret<'s>(&'s self, access_key_id: &str, token: Option<Encoded<'_>>, _now: OffsetDateTime)
///         -> Result<&'s str, KeyRefusal>
///     {
///         match (access_key_id, token) {
///             ("AKIDEXAMPLE", None) => Ok("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
///             ("AKIDEXAMPLE", Some(_)) => Err(KeyRefusal::InvalidToken),
///             _ => Err(KeyRefusal::UnknownAccessKeyId),
///         }
///     }
/// }
/// let now = time::macros::datetime!(2026-01-01 0:00 UTC);
/// assert_eq!(Keys.secret("nobody", None, now), Err(KeyRefusal::UnknownAccessKeyId));
/// ```
pub trait SecretStore {
    /// The secret access key of `access_key_id`, if the key exists and `session_token` (the
    /// decoded `X-Amz-Security-Token`, when the URL has one) is valid for it at `now`.
    fn secret<'s>(
        &'s self,
        access_key_id: &str,
        session_token: Option<Encoded<'_>>,
        now: OffsetDateTime,
    ) -> Result<&'s str, KeyRefusal>;
}

impl<T: SecretStore + ?Sized> SecretStore for &T {
    fn secret<'s>(
        &'s self,
        access_key_id: &str,
        session_token: Option<Encoded<'_>>,
        now: OffsetDateTime,
    ) -> Result<&'s str, KeyRefusal> {
        (**self).secret(access_key_id, session_token, now)
    }
}

/// Whether `token` decodes to `expected`, comparing every byte (no early exit at the first
/// difference).
fn same_token(token: Encoded<'_>, expected: &str) -> bool {
    let mut differ = token.decoded_len() != expected.len();
    for (a, b) in token.bytes().zip(expected.bytes()) {
        differ |= a != b;
    }
    !differ
}

/// One key: its access key id, its secret, and for temporary credentials the session
/// token the URL must carry (and the expiry after which it gets `ExpiredToken`).
///
/// ```
/// use presign::{Credentials, KeyRefusal, SecretStore};
/// let now = time::macros::datetime!(2026-01-01 0:00 UTC);
/// let creds = Credentials::new("AKID", "secret")?;
/// assert_eq!(creds.secret("AKID", None, now), Ok("secret"));
/// assert_eq!(creds.secret("other", None, now), Err(KeyRefusal::UnknownAccessKeyId));
/// assert_eq!(creds.secret("AKID", Some(presign::Encoded::new("t")), now), Err(KeyRefusal::InvalidToken));
/// # Ok::<(), presign::Error>(())
/// ```
impl SecretStore for Credentials {
    fn secret<'s>(
        &'s self,
        access_key_id: &str,
        session_token: Option<Encoded<'_>>,
        now: OffsetDateTime,
    ) -> Result<&'s str, KeyRefusal> {
        if access_key_id.as_bytes() != self.access_key_id_bytes() {
            return Err(KeyRefusal::UnknownAccessKeyId);
        }
        match (self.session_token(), session_token) {
            (None, None) => {}
            (Some(expected), Some(token)) if same_token(token, expected) => {}
            // S3 does not know the key of temporary credentials without its token.
            (Some(_), None) => return Err(KeyRefusal::UnknownAccessKeyId),
            _ => return Err(KeyRefusal::InvalidToken),
        }
        if self.expires_at().is_some_and(|expiry| now >= expiry) {
            return Err(KeyRefusal::ExpiredToken);
        }
        Ok(self.secret_access_key())
    }
}

/// Several keys: the one whose access key id matches answers.
///
/// ```
/// use presign::{Credentials, SecretStore};
/// let keys = [Credentials::new("A", "a")?, Credentials::new("B", "b")?];
/// assert_eq!(keys.secret("B", None, time::macros::datetime!(2026-01-01 0:00 UTC)), Ok("b"));
/// # Ok::<(), presign::Error>(())
/// ```
impl SecretStore for [Credentials] {
    fn secret<'s>(
        &'s self,
        access_key_id: &str,
        session_token: Option<Encoded<'_>>,
        now: OffsetDateTime,
    ) -> Result<&'s str, KeyRefusal> {
        self.iter()
            .find(|creds| creds.access_key_id() == access_key_id)
            .ok_or(KeyRefusal::UnknownAccessKeyId)?
            .secret(access_key_id, session_token, now)
    }
}

/// Several keys, as a slice.
///
/// ```
/// use presign::{Credentials, SecretStore};
/// let keys = [Credentials::new("A", "a")?];
/// assert!(keys.secret("A", None, time::macros::datetime!(2026-01-01 0:00 UTC)).is_ok());
/// # Ok::<(), presign::Error>(())
/// ```
impl<const N: usize> SecretStore for [Credentials; N] {
    fn secret<'s>(
        &'s self,
        access_key_id: &str,
        session_token: Option<Encoded<'_>>,
        now: OffsetDateTime,
    ) -> Result<&'s str, KeyRefusal> {
        self.as_slice().secret(access_key_id, session_token, now)
    }
}

/// Several keys, as a slice.
///
/// ```
/// use presign::{Credentials, SecretStore};
/// let keys = vec![Credentials::new("A", "a")?];
/// assert!(keys.secret("A", None, time::macros::datetime!(2026-01-01 0:00 UTC)).is_ok());
/// # Ok::<(), presign::Error>(())
/// ```
#[cfg(feature = "alloc")]
#[cfg_attr(docsrs, doc(cfg(feature = "alloc")))]
impl SecretStore for alloc::vec::Vec<Credentials> {
    fn secret<'s>(
        &'s self,
        access_key_id: &str,
        session_token: Option<Encoded<'_>>,
        now: OffsetDateTime,
    ) -> Result<&'s str, KeyRefusal> {
        self.as_slice().secret(access_key_id, session_token, now)
    }
}

/// A request that passed every check: who signed it, for which scope, and until when it
/// is valid. The texts borrow the request.
///
/// ```
/// # #[cfg(feature = "alloc")] {
/// use presign::{Credentials, Endpoint, GetTtl, Policy, Presigner, ReceivedRequest, Verifier};
/// use time::macros::datetime;
///
/// let now = datetime!(2026-11-24 03:56:49 UTC);
/// let creds = Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")?;
/// let url = Presigner::new(Endpoint::custom("https://store.example", "us-east-1")?, creds.clone())
///     .get_object("bucket", "a b.mp4", GetTtl::default(), now)?
///     .into_url();
///
/// let verifier = Verifier::new(Policy::new(&["us-east-1"])?, creds);
/// let request = ReceivedRequest {
///     method: "GET",
///     target: &url["https://store.example".len()..],
///     host: "store.example",
///     headers: &[("Range", "bytes=0-1023")],
/// };
/// let verified = verifier.verify(&request, now).expect("valid");
/// assert!(verified.access_key_id().eq_decoded("AKIDEXAMPLE"));
/// assert_eq!(verified.expires_at(), datetime!(2026-11-24 04:56:49 UTC));
/// # }
/// # Ok::<(), presign::Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Verified<'a> {
    access_key_id: Encoded<'a>,
    region: Encoded<'a>,
    service: Encoded<'a>,
    /// The signing time in seconds since the Unix epoch (years 0000 ..= 9999, as is the
    /// expiry): the instants are made from it when asked for.
    signed_unix: i64,
    lifetime_secs: u32,
    signed_headers: Encoded<'a>,
    session_token: bool,
}

impl fmt::Debug for Verified<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Verified")
            .field("access_key_id", &self.access_key_id)
            .field("region", &self.region)
            .field("service", &self.service)
            .field("signed_at", &self.signed_at())
            .field("lifetime_secs", &self.lifetime_secs)
            .field("expires_at", &self.expires_at())
            .field("signed_headers", &self.signed_headers)
            .field("session_token", &self.session_token)
            .finish()
    }
}

impl<'a> Verified<'a> {
    /// What a verified `url` signed.
    fn from_url(url: &PresignedUrl<'a>) -> Self {
        Self {
            access_key_id: url.access_key_id(),
            region: url.region(),
            service: url.service(),
            signed_unix: url.amz_date().unix(),
            lifetime_secs: url.lifetime_secs(),
            signed_headers: url.signed_headers_param(),
            session_token: url.has_session_token(),
        }
    }

    /// The access key id that signed the request.
    ///
    /// ```
    /// # #[cfg(feature = "alloc")] {
    /// # use presign::*;
    /// # let now = time::macros::datetime!(2026-01-01 0:00 UTC);
    /// # let creds = Credentials::new("AKID", "secret")?;
    /// # let url = Presigner::new(Endpoint::custom("http://h", "us-east-1")?, creds.clone()).get_object("bkt", "k", GetTtl::default(), now)?.into_url();
    /// # let verifier = Verifier::new(Policy::new(&["us-east-1"])?, creds);
    /// # let request = ReceivedRequest { method: "GET", target: &url[8..], host: "h", headers: &[] };
    /// let verified = verifier.verify(&request, now).expect("valid");
    /// assert_eq!(verified.access_key_id().as_plain(), Some("AKID"));
    /// # }
    /// # Ok::<(), presign::Error>(())
    /// ```
    #[must_use]
    pub fn access_key_id(&self) -> Encoded<'a> {
        self.access_key_id
    }

    /// The region of the credential scope (one of the policy's).
    ///
    /// ```
    /// # #[cfg(feature = "alloc")] {
    /// # use presign::*;
    /// # let now = time::macros::datetime!(2026-01-01 0:00 UTC);
    /// # let creds = Credentials::new("AKID", "secret")?;
    /// # let url = Presigner::new(Endpoint::custom("http://h", "us-east-1")?, creds.clone()).get_object("bkt", "k", GetTtl::default(), now)?.into_url();
    /// # let verifier = Verifier::new(Policy::new(&["us-east-1"])?, creds);
    /// # let request = ReceivedRequest { method: "GET", target: &url[8..], host: "h", headers: &[] };
    /// assert!(verifier.verify(&request, now).expect("valid").region().eq_decoded("us-east-1"));
    /// # }
    /// # Ok::<(), presign::Error>(())
    /// ```
    #[must_use]
    pub fn region(&self) -> Encoded<'a> {
        self.region
    }

    /// The service of the credential scope (the policy's).
    ///
    /// ```
    /// # #[cfg(feature = "alloc")] {
    /// # use presign::*;
    /// # let now = time::macros::datetime!(2026-01-01 0:00 UTC);
    /// # let creds = Credentials::new("AKID", "secret")?;
    /// # let url = Presigner::new(Endpoint::custom("http://h", "us-east-1")?, creds.clone()).get_object("bkt", "k", GetTtl::default(), now)?.into_url();
    /// # let verifier = Verifier::new(Policy::new(&["us-east-1"])?, creds);
    /// # let request = ReceivedRequest { method: "GET", target: &url[8..], host: "h", headers: &[] };
    /// assert!(verifier.verify(&request, now).expect("valid").service().eq_decoded("s3"));
    /// # }
    /// # Ok::<(), presign::Error>(())
    /// ```
    #[must_use]
    pub fn service(&self) -> Encoded<'a> {
        self.service
    }

    /// The date of the credential scope: the UTC day of [`Self::signed_at`].
    ///
    /// ```
    /// # #[cfg(feature = "alloc")] {
    /// # use presign::*;
    /// # let now = time::macros::datetime!(2026-01-01 0:00 UTC);
    /// # let creds = Credentials::new("AKID", "secret")?;
    /// # let url = Presigner::new(Endpoint::custom("http://h", "us-east-1")?, creds.clone()).get_object("bkt", "k", GetTtl::default(), now)?.into_url();
    /// # let verifier = Verifier::new(Policy::new(&["us-east-1"])?, creds);
    /// # let request = ReceivedRequest { method: "GET", target: &url[8..], host: "h", headers: &[] };
    /// let verified = verifier.verify(&request, now).expect("valid");
    /// assert_eq!(verified.scope_date(), time::macros::date!(2026-01-01));
    /// # }
    /// # Ok::<(), presign::Error>(())
    /// ```
    #[must_use]
    pub fn scope_date(&self) -> time::Date {
        self.signed_at().date()
    }

    /// `X-Amz-Date`, the signing time.
    ///
    /// ```
    /// # #[cfg(feature = "alloc")] {
    /// # use presign::*;
    /// # let now = time::macros::datetime!(2026-01-01 0:00 UTC);
    /// # let creds = Credentials::new("AKID", "secret")?;
    /// # let url = Presigner::new(Endpoint::custom("http://h", "us-east-1")?, creds.clone()).get_object("bkt", "k", GetTtl::default(), now)?.into_url();
    /// # let verifier = Verifier::new(Policy::new(&["us-east-1"])?, creds);
    /// # let request = ReceivedRequest { method: "GET", target: &url[8..], host: "h", headers: &[] };
    /// assert_eq!(verifier.verify(&request, now).expect("valid").signed_at(), now);
    /// # }
    /// # Ok::<(), presign::Error>(())
    /// ```
    #[must_use]
    pub fn signed_at(&self) -> OffsetDateTime {
        instant(self.signed_unix)
    }

    /// `X-Amz-Expires`, in seconds.
    ///
    /// ```
    /// # #[cfg(feature = "alloc")] {
    /// # use presign::*;
    /// # let now = time::macros::datetime!(2026-01-01 0:00 UTC);
    /// # let creds = Credentials::new("AKID", "secret")?;
    /// # let url = Presigner::new(Endpoint::custom("http://h", "us-east-1")?, creds.clone()).get_object("bkt", "k", GetTtl::default(), now)?.into_url();
    /// # let verifier = Verifier::new(Policy::new(&["us-east-1"])?, creds);
    /// # let request = ReceivedRequest { method: "GET", target: &url[8..], host: "h", headers: &[] };
    /// assert_eq!(verifier.verify(&request, now).expect("valid").lifetime_secs(), 3600);
    /// # }
    /// # Ok::<(), presign::Error>(())
    /// ```
    #[must_use]
    pub fn lifetime_secs(&self) -> u32 {
        self.lifetime_secs
    }

    /// The first instant the request is refused as expired.
    ///
    /// ```
    /// # #[cfg(feature = "alloc")] {
    /// # use presign::*;
    /// # let now = time::macros::datetime!(2026-01-01 0:00 UTC);
    /// # let creds = Credentials::new("AKID", "secret")?;
    /// # let url = Presigner::new(Endpoint::custom("http://h", "us-east-1")?, creds.clone()).get_object("bkt", "k", GetTtl::default(), now)?.into_url();
    /// # let verifier = Verifier::new(Policy::new(&["us-east-1"])?, creds);
    /// # let request = ReceivedRequest { method: "GET", target: &url[8..], host: "h", headers: &[] };
    /// let verified = verifier.verify(&request, now).expect("valid");
    /// assert_eq!(verified.expires_at(), time::macros::datetime!(2026-01-01 1:00 UTC));
    /// # }
    /// # Ok::<(), presign::Error>(())
    /// ```
    #[must_use]
    pub fn expires_at(&self) -> OffsetDateTime {
        instant(self.signed_unix + i64::from(self.lifetime_secs))
    }

    /// How long the request stays valid after `now`; `None` once expired.
    ///
    /// ```
    /// # #[cfg(feature = "alloc")] {
    /// # use presign::*;
    /// # let now = time::macros::datetime!(2026-01-01 0:00 UTC);
    /// # let creds = Credentials::new("AKID", "secret")?;
    /// # let url = Presigner::new(Endpoint::custom("http://h", "us-east-1")?, creds.clone()).get_object("bkt", "k", GetTtl::default(), now)?.into_url();
    /// # let verifier = Verifier::new(Policy::new(&["us-east-1"])?, creds);
    /// # let request = ReceivedRequest { method: "GET", target: &url[8..], host: "h", headers: &[] };
    /// let verified = verifier.verify(&request, now).expect("valid");
    /// assert_eq!(verified.remaining(now), Some(time::Duration::HOUR));
    /// # }
    /// # Ok::<(), presign::Error>(())
    /// ```
    #[must_use]
    pub fn remaining(&self, now: OffsetDateTime) -> Option<Duration> {
        let expires_at = self.expires_at();
        (now < expires_at).then(|| expires_at - now)
    }

    /// The signed header names, in the order given.
    ///
    /// ```
    /// # #[cfg(feature = "alloc")] {
    /// # use presign::*;
    /// # let now = time::macros::datetime!(2026-01-01 0:00 UTC);
    /// # let creds = Credentials::new("AKID", "secret")?;
    /// # let url = Presigner::new(Endpoint::custom("http://h", "us-east-1")?, creds.clone()).get_object("bkt", "k", GetTtl::default(), now)?.into_url();
    /// # let verifier = Verifier::new(Policy::new(&["us-east-1"])?, creds);
    /// # let request = ReceivedRequest { method: "GET", target: &url[8..], host: "h", headers: &[] };
    /// let verified = verifier.verify(&request, now).expect("valid");
    /// assert!(verified.signed_headers().eq([presign::Encoded::new("host")]));
    /// # }
    /// # Ok::<(), presign::Error>(())
    /// ```
    pub fn signed_headers(&self) -> impl Iterator<Item = Encoded<'a>> + use<'a> {
        self.signed_headers.split_decoded(b';')
    }

    /// Whether the request carried a session token (checked by the store).
    ///
    /// ```
    /// # #[cfg(feature = "alloc")] {
    /// # use presign::*;
    /// # let now = time::macros::datetime!(2026-01-01 0:00 UTC);
    /// # let creds = Credentials::new("AKID", "secret")?;
    /// # let url = Presigner::new(Endpoint::custom("http://h", "us-east-1")?, creds.clone()).get_object("bkt", "k", GetTtl::default(), now)?.into_url();
    /// # let verifier = Verifier::new(Policy::new(&["us-east-1"])?, creds);
    /// # let request = ReceivedRequest { method: "GET", target: &url[8..], host: "h", headers: &[] };
    /// assert!(!verifier.verify(&request, now).expect("valid").has_session_token());
    /// # }
    /// # Ok::<(), presign::Error>(())
    /// ```
    #[must_use]
    pub fn has_session_token(&self) -> bool {
        self.session_token
    }
}

/// Verifies presigned requests for one [`Policy`] against one [`SecretStore`], keeping the
/// signing keys it derives.
///
/// Build it once and share it: `&Verifier` is `Send + Sync` when the store is, and the key
/// table takes no lock. Verifying allocates nothing (up to 64 query parameters are sorted
/// on the stack; more are sorted on the heap with `alloc`, refused without it).
///
/// # Rules
///
/// - **Equivalent encodings.** The canonical path and query are rebuilt by S3's rule: the
///   received text is decoded (each `%XX`, either hex case, is its byte; every other byte
///   is itself) and encoded again as SigV4 `UriEncode` does. So `%7E` and `~`, `%2f` and
///   `%2F`, `%41` and `A` are the same request, the query parameters may come in any order,
///   and a bare reserved byte (`!`, or a raw `é`) counts as its escape. In the path `%2F`
///   is `/` (S3 reads the object key decoded, and `a%2Fb` names the key `a/b`); in the
///   query it stays `%2F`. `+` is a literal plus, never a space (RFC 3986; SigV4 signers
///   write a space as `%20` and a plus as `%2B`, so no signer's URL depends on it). A `%`
///   not followed by two hex digits decodes to nothing: `InvalidURI`. Paths are never
///   normalised (`a/./b` and `a//b` are distinct S3 keys). Header values are trimmed and
///   runs of spaces collapsed, as SigV4 canonicalises them.
/// - **The time window.** A request is valid from `X-Amz-Date` minus the clock skew
///   allowed (default 900 s, S3's) up to, not including, `X-Amz-Date` + `X-Amz-Expires`:
///   the same half-open interval as [`PresignedUrl::is_expired`]. A request from the
///   future beyond the skew gets `AccessDenied` "Request is not valid yet", which is what S3
///   (and MinIO) answer for a presigned URL; `RequestTimeTooSkewed` is S3's answer for
///   header-signed requests only, so it is never given here. The skew does not stretch the
///   expiry.
/// - **Lifetime.** 1 ..= 604 800 s (7 days) is SigV4's range
///   (`AuthorizationQueryParametersError` outside it); a policy may lower the maximum, and a
///   longer `X-Amz-Expires` then gets `AccessDenied`, as S3 answers a bucket policy's
///   `s3:signatureAge` condition.
/// - **Headers.** `host` must be signed (SigV4 requires it). A signed header the request
///   does not carry gets `SignatureDoesNotMatch` (S3 signs what it has, an absent header
///   included, so the signature cannot match). An `x-amz-*` header sent but not signed gets
///   `AccessDenied` "There were headers present in the request which were not signed", and
///   an `Authorization` header beside the query authentication `InvalidArgument`, as S3
///   answers both. The payload hash is `UNSIGNED-PAYLOAD`, unless `x-amz-content-sha256` is
///   signed: then its value.
/// - **Order of the checks.** The target, the parameters, the scope (region, service), the
///   time window, the lifetime, the headers, and only then the store (unknown key, token)
///   and the signature: every refusal that needs no secret is made without one.
/// - **The signature** is compared in constant time (`hmac`'s `CtOutput`), so no refusal
///   reveals how much of a signature matched.
/// - **The key table** holds 16 slots (a slot: access key id, scope date, region, key;
///   each behind its own sequence lock, like the presigner's cache) and a scope may use
///   either of two slots. A slot is trusted only after comparing the whole id, the date, the
///   region and the table's generation, so a hash collision costs a derivation, never a
///   wrong key. The store is asked on every request (a deleted key stops working at once),
///   but the secret is only used on a miss: an access key id is taken to name one secret for
///   its life, as on AWS and R2, where rotating a key makes a new id. A store that changes
///   the secret behind an id calls [`Self::clear_cache`].
///
/// # Example
///
/// ```
/// # #[cfg(feature = "alloc")] {
/// use presign::{ContentType, Credentials, Endpoint, Policy, Presigner, PutTtl, ReceivedRequest, Verifier};
/// use time::macros::datetime;
///
/// let creds = Credentials::new("0123456789abcdef0123456789abcdef", "f".repeat(64).as_str())?;
/// let signer = Presigner::new(Endpoint::r2("0123456789abcdef0123456789abcdef")?, creds.clone());
/// let now = datetime!(2026-11-24 03:56:49 UTC);
/// let up = signer.put_object("videos", "42.mp4", &ContentType::new("video/mp4")?, PutTtl::default(), now)?;
///
/// // What the server receives: the request line's target, the Host header, the headers.
/// let (host, target) = up.url()["https://".len()..].split_once('/').expect("a path");
/// let target = &up.url()[up.url().len() - target.len() - 1..];
/// let verifier = Verifier::new(Policy::r2(), creds);
/// let sent = [("content-type", "video/mp4")];
/// let request = ReceivedRequest { method: "PUT", target, host, headers: &sent };
/// assert!(verifier.verify(&request, now).is_ok());
///
/// // `curl --data-binary` without -H sends another Content-Type: refused, as S3 does.
/// let sent = [("content-type", "application/x-www-form-urlencoded")];
/// let request = ReceivedRequest { method: "PUT", target, host, headers: &sent };
/// assert_eq!(verifier.verify(&request, now).unwrap_err().code(), "SignatureDoesNotMatch");
/// # }
/// # Ok::<(), presign::Error>(())
/// ```
pub struct Verifier<'p, S> {
    policy: Policy<'p>,
    store: S,
    keys: KeyTable,
}

impl<S> fmt::Debug for Verifier<'_, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Verifier")
            .field("policy", &self.policy)
            .finish_non_exhaustive()
    }
}

impl<'p, S: SecretStore> Verifier<'p, S> {
    /// A verifier for `policy`, finding secrets in `store`.
    ///
    /// ```
    /// let verifier = presign::Verifier::new(presign::Policy::r2(), presign::Credentials::new("AKID", "secret")?);
    /// assert_eq!(verifier.policy().service(), "s3");
    /// # Ok::<(), presign::Error>(())
    /// ```
    #[must_use]
    pub const fn new(policy: Policy<'p>, store: S) -> Self {
        Self {
            policy,
            store,
            keys: KeyTable::new(),
        }
    }

    /// The policy.
    ///
    /// ```
    /// let verifier = presign::Verifier::new(presign::Policy::r2(), presign::Credentials::new("AKID", "secret")?);
    /// assert_eq!(verifier.policy().regions(), ["auto", "us-east-1"]);
    /// # Ok::<(), presign::Error>(())
    /// ```
    #[must_use]
    pub fn policy(&self) -> &Policy<'p> {
        &self.policy
    }

    /// The store.
    ///
    /// ```
    /// let verifier = presign::Verifier::new(presign::Policy::r2(), presign::Credentials::new("AKID", "secret")?);
    /// assert_eq!(verifier.store().access_key_id(), "AKID");
    /// # Ok::<(), presign::Error>(())
    /// ```
    #[must_use]
    pub fn store(&self) -> &S {
        &self.store
    }

    /// Forgets every signing key derived so far, including those being derived right now
    /// from a secret read before this call: for a store that changed the secret behind an
    /// access key id.
    ///
    /// ```
    /// let verifier = presign::Verifier::new(presign::Policy::r2(), presign::Credentials::new("AKID", "secret")?);
    /// verifier.clear_cache();
    /// # Ok::<(), presign::Error>(())
    /// ```
    pub fn clear_cache(&self) {
        self.keys.clear();
    }

    /// Verifies `request` at `now` (the server's clock; any offset).
    ///
    /// Returns what was verified, or why the request is refused with the S3 error code to
    /// answer. Never allocates (but to sort more than 64 query parameters), never panics.
    /// Both results borrow the request and the verifier.
    ///
    /// ```
    /// # #[cfg(feature = "alloc")] {
    /// use presign::{Credentials, Endpoint, GetTtl, Policy, Presigner, ReceivedRequest, Verifier};
    /// use time::{macros::datetime, Duration};
    ///
    /// let creds = Credentials::new("AKID", "secret")?;
    /// let now = datetime!(2026-11-24 03:56:49 UTC);
    /// let url = Presigner::new(Endpoint::custom("http://127.0.0.1:9000", "us-east-1")?, creds.clone())
    ///     .get_object("bucket", "key", GetTtl::from_secs(60)?, now)?
    ///     .into_url();
    /// let verifier = Verifier::new(Policy::new(&["us-east-1"])?, creds);
    /// let request = ReceivedRequest {
    ///     method: "GET",
    ///     target: &url["http://127.0.0.1:9000".len()..],
    ///     host: "127.0.0.1:9000",
    ///     headers: &[],
    /// };
    /// assert!(verifier.verify(&request, now + Duration::seconds(59)).is_ok());
    /// let late = verifier.verify(&request, now + Duration::seconds(60)).unwrap_err();
    /// assert_eq!((late.code(), late.s3_message().to_string().as_str()), ("AccessDenied", "Request has expired"));
    /// # }
    /// # Ok::<(), presign::Error>(())
    /// ```
    pub fn verify<'a>(
        &'a self,
        request: &ReceivedRequest<'a>,
        now: OffsetDateTime,
    ) -> Result<Verified<'a>, Rejection<'a>> {
        self.verify_request(request, None, now)
    }

    /// Verifies `request` as [`Self::verify`] does, with `payload_sha256` (the SHA-256 of
    /// the body received, 64 lower-case hex digits) as the canonical request's payload
    /// hash: for services other than S3, whose presigned requests sign the body (the AWS
    /// SigV4 test suite's cases do, with the empty body). S3 and R2 never do: use
    /// [`Self::verify`].
    ///
    /// ```
    /// use presign::sigv4::{self, HttpRequest, PayloadHash, Rules, SigningParams};
    /// use presign::{Credentials, Policy, ReceivedRequest, Verifier};
    /// use time::macros::datetime;
    ///
    /// const EMPTY: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    /// let time = datetime!(2015-08-30 12:36:00 UTC);
    /// let params = SigningParams {
    ///     access_key_id: "AKIDEXAMPLE", secret_access_key: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
    ///     session_token: None, region: "us-east-1", service: "service", time,
    ///     expires_in_secs: 3600, rules: Rules::S3, payload: PayloadHash::EmptyBody,
    /// };
    /// let host = [("Host", "example.amazonaws.com")];
    /// let mut query = String::new();
    /// sigv4::presign_query(&HttpRequest { method: "GET", path: "/", query: &[], headers: &host }, &params, &mut query)?;
    ///
    /// let policy = Policy::new(&["us-east-1"])?.with_service("service")?;
    /// let verifier = Verifier::new(policy, Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")?);
    /// let target = format!("/?{query}");
    /// let request = ReceivedRequest { method: "GET", target: &target, host: "example.amazonaws.com", headers: &[] };
    /// assert!(verifier.verify_with_payload(&request, EMPTY, time).is_ok());
    /// assert_eq!(verifier.verify(&request, time).unwrap_err().code(), "SignatureDoesNotMatch");
    /// # Ok::<(), presign::Error>(())
    /// ```
    pub fn verify_with_payload<'a>(
        &'a self,
        request: &ReceivedRequest<'a>,
        payload_sha256: &'a str,
        now: OffsetDateTime,
    ) -> Result<Verified<'a>, Rejection<'a>> {
        self.verify_request(request, Some(payload_sha256), now)
    }

    fn verify_request<'a>(
        &'a self,
        request: &ReceivedRequest<'a>,
        payload: Option<&'a str>,
        now: OffsetDateTime,
    ) -> Result<Verified<'a>, Rejection<'a>> {
        let reject = |reason| Rejection::new(reason, *request, payload);
        let (path, query) = read_target(request.target).map_err(reject)?;
        let mut scratch = ParamScratch::new();
        let (canonical_query, url) =
            read_authentication(request, path, query, &mut scratch).map_err(reject)?;

        let region = self.check_scope(&url).map_err(reject)?;
        self.check_time(&url, now).map_err(reject)?;
        let headers = SignedHeaders {
            names: url.signed_headers_param(),
            host: request.host,
            headers: request.headers,
        };
        // One pass over the signed names writes their lines and finds what the checks need.
        let canonical = CanonicalRequest {
            method: request.method,
            path,
            query: canonical_query,
            headers,
            payload,
        };
        let (canonical_hash, facts) = canonical.hash();
        check_headers(&headers, &facts).map_err(reject)?;

        // The access key id, decoded on the stack: at most 128 bytes (IAM's limit), so
        // any longer id names no key.
        let mut id_buf = [0u8; MAX_ACCESS_KEY_ID_LEN];
        let id = decode_access_key_id(url.access_key_id(), &mut id_buf)
            .ok_or_else(|| reject(unknown_access_key_id(&url)))?;
        let generation = self.keys.generation();
        let secret = self.secret_for(id, &url, now).map_err(reject)?;

        let date = url.amz_date();
        let mut text = [0u8; STRING_TO_SIGN_MAX];
        let string_to_sign = string_to_sign(
            &date,
            region.1,
            self.policy.service,
            &canonical_hash,
            &mut text,
        );
        let key = self.signing_key(id, &date, region, secret, generation);
        if !signature_matches(&key, string_to_sign, url.signature()) {
            return Err(reject(RejectionReason::SignatureMismatch));
        }
        Ok(Verified::from_url(&url))
    }

    /// The secret of access key `id` (decoded from the URL's), if the store knows the key
    /// and takes the URL's session token at `now`.
    fn secret_for<'a>(
        &'a self,
        id: &str,
        url: &PresignedUrl<'a>,
        now: OffsetDateTime,
    ) -> Result<&'a str, RejectionReason<'a>> {
        self.store
            .secret(id, url.session_token(), now)
            .map_err(|refusal| {
                let access_key_id = url.access_key_id();
                match refusal {
                    KeyRefusal::UnknownAccessKeyId => unknown_access_key_id(url),
                    KeyRefusal::InvalidToken => RejectionReason::InvalidToken { access_key_id },
                    KeyRefusal::ExpiredToken => RejectionReason::ExpiredToken { access_key_id },
                }
            })
    }

    /// The region (and its index in the policy), once region and service are the policy's.
    fn check_scope<'a>(
        &'a self,
        url: &PresignedUrl<'a>,
    ) -> Result<(usize, &'a str), RejectionReason<'a>> {
        let region = self
            .policy
            .regions
            .iter()
            .copied()
            .enumerate()
            .find(|(_, region)| url.region().eq_decoded(region))
            .ok_or(RejectionReason::WrongRegion {
                found: url.region(),
                expected: self.policy.regions,
            })?;
        if !url.service().eq_decoded(self.policy.service) {
            return Err(RejectionReason::WrongService {
                found: url.service(),
                expected: self.policy.service,
            });
        }
        Ok(region)
    }

    /// The time window and the lifetime limit.
    fn check_time<'a>(
        &self,
        url: &PresignedUrl<'a>,
        now: OffsetDateTime,
    ) -> Result<(), RejectionReason<'a>> {
        // In whole seconds, `now` rounded down: the signing time is a whole second, so
        // `signed_at > now + skew` holds exactly when it holds for `now`'s whole seconds
        // (and the expiry, by `is_expired_at_secs`). No `OffsetDateTime` is made unless
        // refused.
        let now_secs = now.unix_timestamp();
        let skew = i64::from(self.policy.clock_skew_secs);
        if url.amz_date().unix() > now_secs.saturating_add(skew) {
            return Err(RejectionReason::NotYetValid {
                signed_at: url.signed_at(),
                now,
                skew_secs: self.policy.clock_skew_secs,
            });
        }
        if url.is_expired_at_secs(now_secs) {
            return Err(RejectionReason::Expired {
                expires_at: url.expires_at(),
                now,
            });
        }
        if url.lifetime_secs() > self.policy.max_lifetime_secs {
            return Err(RejectionReason::LifetimeOverPolicy {
                secs: url.lifetime_secs(),
                max: self.policy.max_lifetime_secs,
            });
        }
        Ok(())
    }

    /// The signing key of the scope, from the table or derived (and published under the
    /// `generation` read before the secret was).
    fn signing_key(
        &self,
        id: &str,
        date: &AmzDate,
        (index, region): (usize, &str),
        secret: &str,
        generation: u32,
    ) -> SigningKey {
        // The region's position in the policy names it in the table (at most 65 536
        // regions are told apart; a policy with more leaves the rest uncached).
        let index = u16::try_from(index).ok();
        let day = date.date_number();
        if let Some(key) = index.and_then(|index| self.keys.get(id.as_bytes(), day, index)) {
            return key;
        }
        let key = SigningKey::derive(secret, date.date(), region, self.policy.service);
        if let Some(index) = index {
            self.keys.put(id.as_bytes(), day, index, generation, &key);
        }
        key
    }
}

/// The canonical query of a request whose target is `path?query`, and its authentication
/// parameters; an `Authorization` header beside them is refused.
///
/// A query in the shape signers mint is read by that shape; any other the general way,
/// which gives the same canonical query and values for every query the first reads, and
/// the precise reason for every one it refuses.
fn read_authentication<'a, 's>(
    request: &ReceivedRequest<'a>,
    path: ReceivedPath<'a>,
    query: &'a str,
    scratch: &'s mut ParamScratch,
) -> Result<(CanonicalQuery<'s>, PresignedUrl<'a>), RejectionReason<'a>>
where
    'a: 's,
{
    let parts = ["", request.host, path.text, query];
    let has_authorization = || {
        request
            .headers
            .iter()
            .any(|(name, _)| eq_lowered(name, "authorization"))
    };
    let minted = MintedQuery::read(query).and_then(|minted| {
        let url = PresignedUrl::from_values(request.target, parts, minted.values)?;
        Some((minted.pieces, url))
    });
    if let Some((pieces, url)) = minted {
        if has_authorization() {
            return Err(RejectionReason::BothAuthMechanisms);
        }
        return Ok((CanonicalQuery::from_pieces(query, pieces), url));
    }
    // Read (and escapes checked) first, so a malformed target is `InvalidURI` whatever
    // else is wrong, as for the path.
    let (canonical_query, found): (_, Found<'a>) = read_query(path.text, query, scratch)?;
    if has_authorization() {
        return Err(RejectionReason::BothAuthMechanisms);
    }
    let url = PresignedUrl::from_found(request.target, parts, found)
        .map_err(|err| malformed(err, query))?;
    Ok((canonical_query, url))
}

/// The path and the query of a request target, which must be in origin form with
/// well-formed escapes in its path, and have a query (without one, nothing is presigned).
fn read_target(target: &str) -> Result<(ReceivedPath<'_>, &str), RejectionReason<'_>> {
    let (path, query) = split_target(target).map_err(|err| match err {
        TargetError::NotOriginForm => RejectionReason::NotOriginForm,
        TargetError::BadEscape { index } => RejectionReason::MalformedEscape { index },
    })?;
    Ok((path, query.ok_or(RejectionReason::NotPresigned)?))
}

/// The canonical form of `query` (which follows `path` and its `?` in the target, for the
/// offset of a malformed escape), its parameters sorted in `scratch` when they need to be.
fn read_query<'q: 's, 's, 'r>(
    path: &str,
    query: &'q str,
    scratch: &'s mut ParamScratch,
) -> Result<(CanonicalQuery<'s>, Found<'q>), RejectionReason<'r>> {
    CanonicalQuery::new(query, scratch).map_err(|err| match err {
        QueryError::TooManyParams => RejectionReason::TooManyQueryParameters { max: INLINE_PARAMS },
        QueryError::BadEscape { index } => RejectionReason::MalformedEscape {
            index: index + path.len() + 1,
        },
    })
}

/// The refusal for an access key id that names no key.
fn unknown_access_key_id<'a>(url: &PresignedUrl<'a>) -> RejectionReason<'a> {
    RejectionReason::UnknownAccessKeyId {
        access_key_id: url.access_key_id(),
    }
}

/// The access key id as sent when it has no escape, else decoded into `buf` when it fits
/// and is UTF-8.
fn decode_access_key_id<'b>(id: Encoded<'b>, buf: &'b mut [u8]) -> Option<&'b str> {
    match id.as_plain() {
        Some(plain) => Some(plain),
        None => decode_into(id, buf),
    }
}

/// Whether `signature` is the one `key` gives `string_to_sign`.
fn signature_matches(key: &SigningKey, string_to_sign: &[u8], signature: [u8; 32]) -> bool {
    let expected = key.sign(string_to_sign);
    // `CtOutput`'s equality runs in constant time (the `subtle` crate underneath).
    CtOutput::<Hmac<Sha256>>::new(Output::<Hmac<Sha256>>::from(expected))
        == CtOutput::new(Output::<Hmac<Sha256>>::from(signature))
}

/// The refusal for a URL whose authentication parameters do not parse: none of them at all
/// is an anonymous request.
fn malformed(err: InspectError, query: &str) -> RejectionReason<'_> {
    let none = matches!(err, InspectError::Missing { .. })
        && query_params(query)
            .all(|(name, _)| crate::inspect::AuthParam::from_encoded(name).is_none());
    if none {
        RejectionReason::NotPresigned
    } else {
        RejectionReason::Malformed(err)
    }
}

/// The header rules that need no secret, from what writing the signed headers found.
fn check_headers<'a>(
    headers: &SignedHeaders<'a>,
    facts: &HeaderFacts<'a>,
) -> Result<(), RejectionReason<'a>> {
    if !facts.signs_host {
        return Err(RejectionReason::HostNotSigned);
    }
    if let Some(name) = facts.first_missing {
        return Err(RejectionReason::SignedHeaderMissing { name });
    }
    if let Some(name) = headers.first_unsigned_amz() {
        return Err(RejectionReason::UnsignedAmzHeader { name });
    }
    Ok(())
}

/// `text` decoded into `buf`, when it fits and is UTF-8.
fn decode_into<'b>(text: Encoded<'_>, buf: &'b mut [u8]) -> Option<&'b str> {
    let mut len = 0;
    for b in text.bytes() {
        *buf.get_mut(len)? = b;
        len += 1;
    }
    core::str::from_utf8(buf.get(..len)?).ok()
}

/// The string to sign, written into `text`: algorithm, `X-Amz-Date`, scope and the
/// canonical request's hash. The parts of fixed length go in as fixed-size copies.
fn string_to_sign<'t>(
    date: &AmzDate,
    region: &str,
    service: &str,
    canonical_hash: &[u8; 32],
    text: &'t mut [u8; STRING_TO_SIGN_MAX],
) -> &'t [u8] {
    // The policy checked region and service against the scope-part grammar (at most 64
    // bytes each), so the longest string to sign fits (see `STRING_TO_SIGN_MAX`).
    let mut len = 0;
    let mut put = |bytes: &[u8]| {
        text.get_mut(len..len + bytes.len())
            .expect("region and service are at most 64 bytes: the string to sign fits")
            .copy_from_slice(bytes);
        len += bytes.len();
    };
    put(ALGORITHM.as_bytes());
    put(b"\n");
    put(date.timestamp_bytes());
    put(b"\n");
    put(date.date_bytes());
    put(b"/");
    put(region.as_bytes());
    put(b"/");
    put(service.as_bytes());
    put(b"/");
    put(TERMINATOR.as_bytes());
    put(b"\n");
    put(encode::hex32(canonical_hash).as_bytes());
    text.get(..len).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Endpoint, GetTtl, Presigner};
    use alloc::string::{String, ToString};
    use time::macros::datetime;

    const NOW: OffsetDateTime = datetime!(2026-11-24 03:56:49 UTC);

    fn signed(creds: &Credentials) -> String {
        let presigner = Presigner::new(
            Endpoint::custom("http://h", "us-east-1").expect("valid"),
            creds.clone(),
        );
        let mut buf = [0u8; 512];
        let request = crate::ObjectRequest::get("bkt", "k", GetTtl::default());
        presigner
            .presign_to_slice(&request, NOW, &mut buf)
            .expect("signs")
            .url()
            .to_string()
    }

    fn request(url: &str) -> ReceivedRequest<'_> {
        ReceivedRequest {
            method: "GET",
            target: &url["http://h".len()..],
            host: "h",
            headers: &[],
        }
    }

    #[test]
    fn a_minted_url_verifies_and_a_changed_one_does_not() {
        let creds = Credentials::new("AKID", "secret").expect("valid");
        let url = signed(&creds);
        let verifier = Verifier::new(Policy::new(&["us-east-1"]).expect("valid"), creds);
        assert!(verifier.verify(&request(&url), NOW).is_ok());
        let changed = url.replace("/bkt/k?", "/bkt/K?");
        let err = verifier.verify(&request(&changed), NOW).unwrap_err();
        assert_eq!(err.reason(), RejectionReason::SignatureMismatch);
        let line = err.to_string();
        assert!(
            line.contains("canonical request \"GET\\n/bkt/K\\n"),
            "{line}"
        );
    }

    /// The key table serves the second request; a cleared table derives again, and both
    /// give the same answer.
    #[test]
    fn cached_and_derived_keys_agree() {
        let creds = Credentials::new("AKID", "secret").expect("valid");
        let url = signed(&creds);
        let verifier = Verifier::new(Policy::new(&["us-east-1"]).expect("valid"), creds);
        for _ in 0..3 {
            assert!(verifier.verify(&request(&url), NOW).is_ok());
        }
        let date = AmzDate::new(NOW).expect("in range");
        assert!(verifier.keys.get(b"AKID", date.date_number(), 0).is_some());
        verifier.clear_cache();
        assert!(verifier.keys.get(b"AKID", date.date_number(), 0).is_none());
        assert!(verifier.verify(&request(&url), NOW).is_ok());
    }

    #[test]
    fn tokens_are_compared_whole() {
        assert!(same_token(Encoded::new("a%2Bb"), "a+b"));
        assert!(!same_token(Encoded::new("a%2Bb"), "a+"));
        assert!(!same_token(Encoded::new("a"), "ab"));
        assert!(!same_token(Encoded::new("x"), "y"));
    }

    #[test]
    fn ids_decode_into_the_stack_or_not_at_all() {
        let mut buf = [0u8; 4];
        assert_eq!(decode_into(Encoded::new("a%2Bb"), &mut buf), Some("a+b"));
        assert_eq!(decode_into(Encoded::new("abcde"), &mut buf), None);
        assert_eq!(decode_into(Encoded::new("%FF"), &mut buf), None);
    }

    #[test]
    fn policy_refuses_what_cannot_be_a_scope() {
        assert!(Policy::new(&["a/b"]).is_err());
        let long = "a".repeat(65);
        assert!(Policy::new(&[long.as_str()]).is_err());
        assert!(Policy::r2().with_service("S3").is_err());
        assert_eq!(
            Policy::new(&["x"])
                .expect("valid")
                .with_clock_skew_secs(5)
                .clock_skew_secs(),
            5
        );
    }

    #[test]
    fn anonymous_and_malformed_are_told_apart() {
        assert_eq!(
            malformed(
                InspectError::Missing {
                    param: crate::AuthParam::Date
                },
                "a=1"
            ),
            RejectionReason::NotPresigned
        );
        assert_eq!(
            malformed(
                InspectError::Missing {
                    param: crate::AuthParam::Date
                },
                "X-Amz-Algorithm=AWS4-HMAC-SHA256"
            ),
            RejectionReason::Malformed(InspectError::Missing {
                param: crate::AuthParam::Date
            })
        );
        let reason = RejectionReason::NotPresigned;
        assert!(reason.to_string().starts_with("the request"));
    }
}
