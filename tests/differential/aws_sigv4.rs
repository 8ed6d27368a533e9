//! Peer 1: the official Rust signer, the `aws-sigv4` crate, through the shared reference
//! wrapper (`tests/common/aws_sigv4_ref.rs`). S3 cases are signed the way the AWS SDK presigns
//! S3 requests (query-string signature, `UNSIGNED-PAYLOAD`, single percent-encoding, no path
//! normalisation, session token signed); generic cases under the generic rules they name.

use crate::common::aws_sigv4_ref::{Body, Request, Rules, Settings, Signer};
use crate::common::{uri_encode, uri_encode_path};
use crate::generator::{Case, GenericCase, Payload};

/// Appends `?name=value&...`, each name and value encoded once with SigV4's `UriEncode`.
fn push_query<'a>(url: &mut String, pairs: impl IntoIterator<Item = (&'a str, &'a str)>) {
    let mut sep = '?';
    for (name, value) in pairs {
        url.push(sep);
        url.push_str(&uri_encode(name));
        url.push('=');
        url.push_str(&uri_encode(value));
        sep = '&';
    }
}

/// The request URL (without signing parameters), encoded once as S3 expects.
fn request_url(case: &Case) -> String {
    let base = case.endpoint.base_url();
    let (scheme, rest) = base.split_once("://").expect("scheme");
    let (authority, base_path) = match rest.find('/') {
        Some(i) => (&rest[..i], rest[i..].trim_end_matches('/')),
        None => (rest, ""),
    };
    let key = uri_encode_path(&case.key);
    let mut url = if case.virtual_hosted {
        format!("{scheme}://{}.{authority}{base_path}/{key}", case.bucket)
    } else {
        format!("{scheme}://{authority}{base_path}/{}/{key}", case.bucket)
    };
    push_query(&mut url, case.signed_query());
    url
}

/// The URL aws-sigv4 presigns for an S3 case, or why there is none (the contract expects
/// no URL when the credentials have expired).
pub(crate) fn url(case: &Case) -> Result<String, String> {
    let ttl = case
        .effective_ttl()
        .map_err(|e| format!("no URL expected: {e}"))?;
    let url = request_url(case);
    let headers = case.signed_headers();
    let request = Request {
        method: case.method.as_str(),
        url: &url,
        headers: &headers,
        body: Body::Unsigned,
    };
    let settings = Settings {
        region: case.endpoint.region(),
        service: "s3",
        time: case.time,
        expires_in_secs: ttl,
        rules: Rules::S3,
        token_after_signing: false,
    };
    Signer::new(&case.access_key, &case.secret, case.token.as_deref()).presign(&request, &settings)
}

/// The URL aws-sigv4 presigns for a generic case: double encoding, the case's path
/// normalisation, its payload, and its token signed or appended after signing.
pub(crate) fn generic_url(case: &GenericCase) -> Result<String, String> {
    let mut url = format!("{}{}", case.endpoint, case.path);
    push_query(
        &mut url,
        case.query.iter().map(|(n, v)| (n.as_str(), v.as_str())),
    );
    let headers: Vec<(&str, &str)> = case
        .headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let request = Request {
        method: case.method,
        url: &url,
        headers: &headers,
        body: match &case.payload {
            Payload::Unsigned => Body::Unsigned,
            Payload::EmptyBody => Body::Empty,
            Payload::Sha256Hex(hash) => Body::Sha256Hex(hash),
        },
    };
    let settings = Settings {
        region: &case.region,
        service: &case.service,
        time: case.time,
        expires_in_secs: case.ttl,
        rules: Rules::Generic {
            normalize_path: case.normalize,
        },
        token_after_signing: matches!(case.token, Some((_, true))),
    };
    let token = case.token.as_ref().map(|(token, _)| token.as_str());
    Signer::new(&case.access_key, &case.secret, token).presign(&request, &settings)
}
