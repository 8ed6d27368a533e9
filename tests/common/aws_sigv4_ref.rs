//! The official SigV4 signer, the `aws-sigv4` crate (smithy-rs), as a reference: the URL it
//! presigns for a request described in plain data. Tests take their expected URLs from it,
//! never from `presign`; `benches/throughput.rs` includes this file by path, so the peer it
//! times is the one the tests check against.
//!
//! The settings are the AWS SDK's: the signature in the query string, and for S3 the path
//! encoded once and never normalised (`UNSIGNED-PAYLOAD` where the caller asks for it).

use std::time::{Duration, SystemTime};

use aws_sigv4::http_request::{
    PercentEncodingMode, SessionTokenMode, SignableBody, SignableRequest, SignatureLocation,
    SigningSettings, UriPathNormalizationMode, sign,
};
use aws_smithy_runtime_api::client::identity::Identity;
use time::OffsetDateTime;

/// How `aws-sigv4` makes the canonical path.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Rules {
    /// S3: the path as sent (already encoded once), never normalised.
    S3,
    /// Every other service: the path encoded a second time; with `normalize_path`, dot
    /// segments and empty segments resolved first.
    Generic { normalize_path: bool },
}

/// The payload hash to sign.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Body<'a> {
    /// `UNSIGNED-PAYLOAD`.
    Unsigned,
    /// An empty body (its SHA-256).
    Empty,
    /// A precomputed SHA-256, lower-case hex.
    Sha256Hex(&'a str),
}

/// One request, as an HTTP client would send it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Request<'a> {
    pub(crate) method: &'a str,
    /// Without signing parameters; path and query percent-encoded as they are sent.
    pub(crate) url: &'a str,
    /// Headers to sign. `host` is taken from the URL unless it is given here.
    pub(crate) headers: &'a [(&'a str, &'a str)],
    pub(crate) body: Body<'a>,
}

/// Where, when, for how long and under which rules to sign.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Settings<'a> {
    pub(crate) region: &'a str,
    pub(crate) service: &'a str,
    /// The signing instant; `aws-sigv4` drops the fraction of a second.
    pub(crate) time: OffsetDateTime,
    pub(crate) expires_in_secs: u32,
    pub(crate) rules: Rules,
    /// Leave the session token out of the signature and append it afterwards (some
    /// services' presigned URLs); otherwise it is signed like any other parameter.
    pub(crate) token_after_signing: bool,
}

/// Credentials in `aws-sigv4`'s form, made once and reused, as the SDK does.
pub(crate) struct Signer {
    identity: Identity,
}

impl Signer {
    pub(crate) fn new(
        access_key_id: &str,
        secret_access_key: &str,
        session_token: Option<&str>,
    ) -> Self {
        let credentials = aws_credential_types::Credentials::new(
            access_key_id,
            secret_access_key,
            session_token.map(str::to_owned),
            None,
            "presign-reference",
        );
        Self {
            identity: credentials.into(),
        }
    }

    /// The presigned URL `aws-sigv4` makes for `request`, or its error as text.
    pub(crate) fn presign(
        &self,
        request: &Request<'_>,
        settings: &Settings<'_>,
    ) -> Result<String, String> {
        let mut signing = SigningSettings::default();
        signing.signature_location = SignatureLocation::QueryParams;
        signing.expires_in = Some(Duration::from_secs(settings.expires_in_secs.into()));
        (
            signing.percent_encoding_mode,
            signing.uri_path_normalization_mode,
        ) = match settings.rules {
            Rules::S3 => (
                PercentEncodingMode::Single,
                UriPathNormalizationMode::Disabled,
            ),
            Rules::Generic { normalize_path } => (
                PercentEncodingMode::Double,
                if normalize_path {
                    UriPathNormalizationMode::Enabled
                } else {
                    UriPathNormalizationMode::Disabled
                },
            ),
        };
        signing.session_token_mode = if settings.token_after_signing {
            SessionTokenMode::Exclude
        } else {
            SessionTokenMode::Include
        };
        let params = aws_sigv4::sign::v4::SigningParams::builder()
            .identity(&self.identity)
            .region(settings.region)
            .name(settings.service)
            .time(SystemTime::from(settings.time))
            .settings(signing)
            .build()
            .map_err(|e| e.to_string())?
            .into();
        let body = match request.body {
            Body::Unsigned => SignableBody::UnsignedPayload,
            Body::Empty => SignableBody::Bytes(&[]),
            Body::Sha256Hex(hash) => SignableBody::Precomputed(hash.to_owned()),
        };
        let signable = SignableRequest::new(
            request.method,
            request.url,
            request.headers.iter().copied(),
            body,
        )
        .map_err(|e| e.to_string())?;
        let (instructions, _signature) = sign(signable, &params)
            .map_err(|e| e.to_string())?
            .into_parts();
        let mut signed = http::Request::builder()
            .method(request.method)
            .uri(request.url)
            .body(())
            .map_err(|e| e.to_string())?;
        instructions.apply_to_request_http1x(&mut signed);
        Ok(signed.uri().to_string())
    }
}
