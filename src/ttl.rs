//! How long a presigned URL stays valid: one type per use, so a PUT lifetime cannot be
//! passed where a GET lifetime is meant.

use core::time::Duration;

use crate::Error;

/// The shortest lifetime SigV4 accepts, in seconds.
const MIN_SECS: u32 = 1;
/// The longest lifetime SigV4 accepts for a presigned URL: 7 days, in seconds. S3 refuses a
/// longer `X-Amz-Expires` with `AuthorizationQueryParametersError`.
const MAX_SECS: u32 = 604_800;

const fn checked_secs(secs: u64) -> Result<u32, Error> {
    if secs >= MIN_SECS as u64 && secs <= MAX_SECS as u64 {
        Ok(secs as u32)
    } else {
        Err(Error::TtlOutOfRange {
            secs,
            min: MIN_SECS as u64,
            max: MAX_SECS as u64,
        })
    }
}

fn checked_duration(duration: Duration) -> Result<u32, Error> {
    if duration.subsec_nanos() != 0 {
        return Err(Error::TtlNotWholeSeconds);
    }
    checked_secs(duration.as_secs())
}

macro_rules! ttl_type {
    ($(#[$doc:meta])* $name:ident, default = $default:expr, $example_secs:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(u32);

        impl $name {
            /// The shortest lifetime, 1 second.
            ///
            /// ```
            #[doc = concat!("assert_eq!(presign::", stringify!($name), "::MIN.as_secs(), 1);")]
            /// ```
            pub const MIN: Self = Self(MIN_SECS);

            /// The longest lifetime, 7 days (604800 s): SigV4's limit for presigned URLs.
            ///
            /// ```
            #[doc = concat!("assert_eq!(presign::", stringify!($name), "::MAX.as_secs(), 604_800);")]
            /// ```
            pub const MAX: Self = Self(MAX_SECS);

            /// The default lifetime, also what `Default` gives.
            ///
            /// ```
            #[doc = concat!("assert_eq!(presign::", stringify!($name), "::DEFAULT, presign::", stringify!($name), "::default());")]
            /// ```
            pub const DEFAULT: Self = Self($default);

            /// A lifetime of `secs` seconds, within 1 ..= 604800 (7 days).
            ///
            /// ```
            #[doc = concat!("let ttl = presign::", stringify!($name), "::from_secs(", stringify!($example_secs), ")?;")]
            #[doc = concat!("assert_eq!(ttl.as_secs(), ", stringify!($example_secs), ");")]
            #[doc = concat!("assert!(presign::", stringify!($name), "::from_secs(604_801).is_err());")]
            /// # Ok::<(), presign::Error>(())
            /// ```
            pub const fn from_secs(secs: u64) -> Result<Self, Error> {
                match checked_secs(secs) {
                    Ok(secs) => Ok(Self(secs)),
                    Err(e) => Err(e),
                }
            }

            /// [`Self::from_secs`] as an `Option`, usable in `const` items: an out-of-range
            /// constant then fails to compile instead of failing at run time.
            ///
            /// ```
            #[doc = concat!("const TTL: presign::", stringify!($name), " = presign::", stringify!($name), "::checked_secs(", stringify!($example_secs), ").expect(\"within 1 s ..= 7 days\");")]
            #[doc = concat!("assert_eq!(TTL.as_secs(), ", stringify!($example_secs), ");")]
            #[doc = concat!("assert_eq!(presign::", stringify!($name), "::checked_secs(0), None);")]
            /// ```
            #[must_use]
            pub const fn checked_secs(secs: u64) -> Option<Self> {
                match checked_secs(secs) {
                    Ok(secs) => Some(Self(secs)),
                    Err(_) => None,
                }
            }

            /// A lifetime from a [`Duration`] of whole seconds within 1 s ..= 7 days.
            ///
            /// ```
            /// use core::time::Duration;
            #[doc = concat!("let ttl = presign::", stringify!($name), "::new(Duration::from_secs(", stringify!($example_secs), "))?;")]
            #[doc = concat!("assert_eq!(ttl.as_secs(), ", stringify!($example_secs), ");")]
            #[doc = concat!("assert!(presign::", stringify!($name), "::new(Duration::from_millis(1500)).is_err());")]
            /// # Ok::<(), presign::Error>(())
            /// ```
            pub fn new(duration: Duration) -> Result<Self, Error> {
                checked_duration(duration).map(Self)
            }

            /// The lifetime in seconds, the value of `X-Amz-Expires`.
            ///
            /// ```
            #[doc = concat!("assert!(presign::", stringify!($name), "::from_secs(60)?.as_secs() == 60);")]
            /// # Ok::<(), presign::Error>(())
            /// ```
            #[must_use]
            pub const fn as_secs(self) -> u32 {
                self.0
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::DEFAULT
            }
        }
    };
}

ttl_type!(
    /// The lifetime of a presigned **upload** (PUT, or a multipart part) URL. Defaults to 30
    /// minutes: long enough to start a large upload on a slow link, short enough that a
    /// leaked URL soon dies.
    ///
    /// ```
    /// assert_eq!(presign::PutTtl::default().as_secs(), 1800);
    /// ```
    PutTtl, default = 1800, 900
);

ttl_type!(
    /// The lifetime of a presigned **read** (GET, HEAD) URL. Defaults to 1 hour: a portal
    /// mints a fresh one on every page load, and a video player keeps streaming ranges with
    /// it for the length of a viewing.
    ///
    /// ```
    /// assert_eq!(presign::GetTtl::default().as_secs(), 3600);
    /// ```
    GetTtl, default = 3600, 600
);

ttl_type!(
    /// The lifetime of any other presigned request (DELETE, the other multipart steps, or
    /// the general entry point). Defaults to 1 hour. Convert from the specific types with
    /// `From`.
    ///
    /// ```
    /// let ttl: presign::Ttl = presign::PutTtl::default().into();
    /// assert_eq!(ttl.as_secs(), 1800);
    /// ```
    Ttl, default = 3600, 300
);

impl Ttl {
    pub(crate) const fn from_put(ttl: PutTtl) -> Self {
        Self(ttl.0)
    }

    pub(crate) const fn from_get(ttl: GetTtl) -> Self {
        Self(ttl.0)
    }
}

impl From<PutTtl> for Ttl {
    fn from(ttl: PutTtl) -> Self {
        Self(ttl.0)
    }
}

impl From<GetTtl> for Ttl {
    fn from(ttl: GetTtl) -> Self {
        Self(ttl.0)
    }
}
