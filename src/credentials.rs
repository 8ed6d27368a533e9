//! Access keys: the access key id, the secret (never shown, wiped on drop), and for
//! temporary credentials a session token and an expiry.

use core::fmt;

use time::OffsetDateTime;

use crate::error::{Error, Field};
use crate::inline_str::InlineStr;
use crate::signing_key::MAX_SECRET_LEN;
use crate::text::{self, ACCESS_KEY_ID, VISIBLE_ASCII};

/// The longest access key id accepted (the IAM API allows 16 ..= 128 characters).
pub const MAX_ACCESS_KEY_ID_LEN: usize = 128;

/// The longest session token accepted. STS documents no fixed maximum; tokens seen in
/// practice are 400 ..= 2000 bytes, and every byte also lengthens the URL.
pub const MAX_SESSION_TOKEN_LEN: usize = 8192;

/// The keys a URL is signed with.
///
/// `Debug` shows the access key id only; the secret and the session token never appear in
/// `Debug` or in any [`Error`] (not even one byte of them), and both are overwritten with
/// zeros when dropped.
///
/// ```
/// let creds = presign::Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")?;
/// assert_eq!(creds.access_key_id(), "AKIDEXAMPLE");
/// assert!(!format!("{creds:?}").contains("EXAMPLEKEY"));
/// # Ok::<(), presign::Error>(())
/// ```
#[derive(Clone)]
pub struct Credentials {
    access_key_id: InlineStr<MAX_ACCESS_KEY_ID_LEN>,
    secret_access_key: InlineStr<MAX_SECRET_LEN>,
    #[cfg(feature = "alloc")]
    session_token: Option<alloc::string::String>,
    expires_at: Option<OffsetDateTime>,
}

impl Credentials {
    /// Long-term credentials: an access key id and its secret.
    ///
    /// Both must be 1 ..= 128 bytes of visible ASCII; the access key id may not contain `/`,
    /// which separates the fields of the credential scope. Surrounding whitespace (a common
    /// copy-and-paste slip) is refused rather than trimmed, so a wrong key is never silently
    /// changed into a different one.
    ///
    /// ```
    /// use presign::{Credentials, Error};
    ///
    /// use presign::Field;
    ///
    /// assert!(Credentials::new("AKIDEXAMPLE", "secret").is_ok());
    /// assert!(matches!(Credentials::new("", "secret"), Err(Error::Empty { field: Field::AccessKeyId })));
    /// assert!(matches!(Credentials::new("AKID", "secret\n"),
    ///                  Err(Error::InvalidCharacter { field: Field::SecretAccessKey, byte: None, index: 6, .. })));
    /// ```
    pub fn new(access_key_id: &str, secret_access_key: &str) -> Result<Self, Error> {
        check_access_key_id(access_key_id)?;
        check_secret(secret_access_key)?;
        Ok(Self {
            access_key_id: InlineStr::from_checked(access_key_id),
            secret_access_key: InlineStr::from_checked(secret_access_key),
            #[cfg(feature = "alloc")]
            session_token: None,
            expires_at: None,
        })
    }

    /// Adds the session token of temporary credentials (STS, or an R2 temporary access
    /// token). It is sent as `X-Amz-Security-Token` and is part of the signature.
    ///
    /// ```
    /// let creds = presign::Credentials::new("ASIAEXAMPLE", "secret")?
    ///     .with_session_token("FwoGZXIvYXdzEXAMPLETOKEN")?;
    /// assert!(creds.has_session_token());
    /// assert!(!format!("{creds:?}").contains("FwoG"));
    /// # Ok::<(), presign::Error>(())
    /// ```
    #[cfg(feature = "alloc")]
    #[cfg_attr(docsrs, doc(cfg(feature = "alloc")))]
    pub fn with_session_token(mut self, session_token: &str) -> Result<Self, Error> {
        check_session_token(session_token)?;
        self.session_token = Some(session_token.into());
        Ok(self)
    }

    /// Records when temporary credentials stop working.
    ///
    /// A URL signed with them stops working at that instant too, whatever its
    /// `X-Amz-Expires` says, so the presigner **clamps**: a URL's lifetime is shortened to
    /// end when the credentials do, and [`PresignedRequest::expires_at`] reports the
    /// clamped instant. Signing at or after the expiry is refused with
    /// [`Error::CredentialsExpired`].
    ///
    /// [`PresignedRequest::expires_at`]: crate::PresignedRequest::expires_at
    ///
    /// ```
    /// use time::macros::datetime;
    /// let creds = presign::Credentials::new("AKIDEXAMPLE", "secret")?
    ///     .with_expiry(datetime!(2026-11-24 04:00 UTC));
    /// assert_eq!(creds.expires_at(), Some(datetime!(2026-11-24 04:00 UTC)));
    /// # Ok::<(), presign::Error>(())
    /// ```
    #[must_use]
    pub fn with_expiry(mut self, expires_at: OffsetDateTime) -> Self {
        self.expires_at = Some(expires_at);
        self
    }

    /// The access key id (public: it appears in every URL).
    ///
    /// ```
    /// let creds = presign::Credentials::new("AKIDEXAMPLE", "secret")?;
    /// assert_eq!(creds.access_key_id(), "AKIDEXAMPLE");
    /// # Ok::<(), presign::Error>(())
    /// ```
    #[must_use]
    pub fn access_key_id(&self) -> &str {
        self.access_key_id.as_str()
    }

    /// When the credentials expire, if they are temporary.
    ///
    /// ```
    /// let creds = presign::Credentials::new("AKIDEXAMPLE", "secret")?;
    /// assert_eq!(creds.expires_at(), None);
    /// # Ok::<(), presign::Error>(())
    /// ```
    #[must_use]
    pub fn expires_at(&self) -> Option<OffsetDateTime> {
        self.expires_at
    }

    /// Whether a session token is attached.
    ///
    /// ```
    /// let creds = presign::Credentials::new("AKIDEXAMPLE", "secret")?;
    /// assert!(!creds.has_session_token());
    /// # Ok::<(), presign::Error>(())
    /// ```
    #[must_use]
    pub fn has_session_token(&self) -> bool {
        self.session_token().is_some()
    }

    /// [`Self::access_key_id`] as bytes, without checking them for UTF-8 again.
    pub(crate) fn access_key_id_bytes(&self) -> &[u8] {
        self.access_key_id.as_bytes()
    }

    pub(crate) fn secret_access_key(&self) -> &str {
        self.secret_access_key.as_str()
    }

    #[cfg_attr(
        not(feature = "alloc"),
        allow(clippy::unused_self, reason = "tokens need `alloc`")
    )]
    pub(crate) fn session_token(&self) -> Option<&str> {
        #[cfg(feature = "alloc")]
        {
            self.session_token.as_deref()
        }
        #[cfg(not(feature = "alloc"))]
        {
            None
        }
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = f.debug_struct("Credentials");
        out.field("access_key_id", &self.access_key_id.as_str())
            .field("secret_access_key", &"<redacted>");
        if self.has_session_token() {
            out.field("session_token", &"<redacted>");
        }
        out.field("expires_at", &self.expires_at).finish()
    }
}

impl Drop for Credentials {
    fn drop(&mut self) {
        self.secret_access_key.wipe();
        #[cfg(feature = "alloc")]
        if let Some(token) = &mut self.session_token {
            zeroize::Zeroize::zeroize(token);
        }
    }
}

/// Checks an access key id: 1 ..= 128 bytes of visible ASCII without `/`.
pub(crate) fn check_access_key_id(id: &str) -> Result<(), Error> {
    text::check(Field::AccessKeyId, id, MAX_ACCESS_KEY_ID_LEN, ACCESS_KEY_ID)
}

/// Checks a secret access key: 1 ..= 128 bytes of visible ASCII.
pub(crate) fn check_secret(secret: &str) -> Result<(), Error> {
    text::check(
        Field::SecretAccessKey,
        secret,
        MAX_SECRET_LEN,
        VISIBLE_ASCII,
    )
}

/// Checks a session token: 1 ..= 8192 bytes of visible ASCII.
pub(crate) fn check_session_token(token: &str) -> Result<(), Error> {
    text::check(
        Field::SessionToken,
        token,
        MAX_SESSION_TOKEN_LEN,
        VISIBLE_ASCII,
    )
}
