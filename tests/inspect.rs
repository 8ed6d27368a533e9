//! `PresignedUrl`: URLs minted by this crate, by the AWS SDK's signer (`aws-sigv4`) and by
//! the S3 documentation read back to the inputs that made them; one test per error variant;
//! and properties: no input panics, single-byte mutations of valid URLs parse or fail
//! cleanly, and whatever parses agrees with an independent reading built on the
//! `percent-encoding` crate.
//!
//! Case counts are fixed in code and failures are not persisted, so a run is the same
//! everywhere.
#![cfg(feature = "std")]

mod common;

use std::fmt::Write as _;

use percent_encoding::percent_decode_str;
use presign::{
    AuthParam, ContentType, CredentialPart, Credentials, Encoded, Endpoint, GetTtl, InspectError,
    PresignedUrl, Presigner, PutTtl, ResponseOverrides,
};
use proptest::prelude::*;
use time::macros::datetime;
use time::{Duration, OffsetDateTime, UtcOffset};

use common::aws_sigv4_ref;

const ACCESS_KEY: &str = "AKIDEXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const TOKEN: &str = "FwoGZXIvYXdzEXAMPLE/session+token==";
const ACCOUNT: &str = "0123456789abcdef0123456789abcdef";
const R2_HOST: &str = "0123456789abcdef0123456789abcdef.r2.cloudflarestorage.com";

// The example presigned URL of the Amazon S3 API Reference, "Authenticating Requests: Using
// Query Parameters (AWS Signature Version 4)", section "An Example":
// https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-query-string-auth.html
// GET test.txt from examplebucket, signed 2013-05-24T00:00:00Z for 86400 s in us-east-1 with
// the documentation's example access key.
const AWS_DOC_URL: &str = "https://examplebucket.s3.amazonaws.com/test.txt\
?X-Amz-Algorithm=AWS4-HMAC-SHA256\
&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request\
&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host\
&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

fn decoded(value: Encoded<'_>) -> String {
    String::from_utf8(value.bytes().collect()).expect("UTF-8")
}

fn signed_headers(url: &PresignedUrl<'_>) -> Vec<String> {
    url.signed_headers().map(decoded).collect()
}

fn r2(token: bool) -> Presigner {
    let mut creds = Credentials::new(ACCESS_KEY, SECRET).expect("credentials");
    if token {
        creds = creds.with_session_token(TOKEN).expect("token");
    }
    Presigner::new(Endpoint::r2(ACCOUNT).expect("endpoint"), creds)
}

/// The instant `X-Amz-Date` records for `now`: UTC, whole seconds.
fn whole_seconds(now: OffsetDateTime) -> OffsetDateTime {
    now.to_offset(UtcOffset::UTC)
        .replace_nanosecond(0)
        .expect("0 is a nanosecond")
}

// ---------------------------------------------------------------------------------------------
// URLs minted by this crate
// ---------------------------------------------------------------------------------------------

/// Signing times: midnight, leap day, end of year, a non-UTC offset, sub-second precision.
fn times() -> [OffsetDateTime; 5] {
    [
        datetime!(2026-11-24 03:56:49 UTC),
        datetime!(2028-02-29 00:00:00 UTC),
        datetime!(2026-12-31 23:59:59.999 UTC),
        datetime!(2026-11-24 01:30:00 +05:30),
        datetime!(1999-01-01 12:00:00.5 -08:00),
    ]
}

#[test]
fn put_urls_from_presigner_read_back_to_their_inputs() {
    for token in [false, true] {
        let presigner = r2(token);
        for now in times() {
            for secs in [1, 900, 3600, 604_800] {
                let ttl = PutTtl::from_secs(secs).expect("ttl");
                let content_type = ContentType::new("video/mp4").expect("content type");
                let minted = presigner
                    .put_object("bucket", "episodes/42/vidéo 1.mp4", &content_type, ttl, now)
                    .expect("presign");
                let url = PresignedUrl::parse(minted.url()).expect("parses");
                assert_eq!(url.url(), minted.url());
                assert_eq!(url.scheme(), "https");
                assert_eq!(url.host(), R2_HOST);
                assert_eq!(url.path(), "/bucket/episodes/42/vid%C3%A9o%201.mp4");
                assert_eq!(url.access_key_id().as_plain(), Some(ACCESS_KEY));
                assert_eq!(url.region().as_plain(), Some("auto"));
                assert_eq!(url.service().as_plain(), Some("s3"));
                assert_eq!(
                    decoded(url.credential()),
                    format!(
                        "{ACCESS_KEY}/{}/auto/s3/aws4_request",
                        url.signed_at().date().to_string().replace('-', "")
                    )
                );
                assert_eq!(url.signed_at(), whole_seconds(now), "{now}");
                assert_eq!(url.scope_date(), whole_seconds(now).date());
                assert_eq!(url.lifetime_secs(), u32::try_from(secs).expect("small"));
                assert_eq!(url.lifetime(), Duration::seconds(secs.cast_signed()));
                assert_eq!(url.expires_at(), minted.expires_at());
                assert_eq!(signed_headers(&url), ["content-type", "host"]);
                assert!(url.signs_header("Content-Type"));
                assert_eq!(url.has_session_token(), token);
                assert_eq!(
                    url.session_token().map(decoded),
                    token.then(|| TOKEN.to_owned())
                );
                assert_eq!(url.extra_params().count(), 0);
                assert!(!url.is_expired(now));
                assert!(url.is_expired(minted.expires_at()));
            }
        }
    }
}

#[test]
fn get_urls_from_presigner_read_back_to_their_inputs() {
    let now = datetime!(2026-11-24 03:56:49 UTC);
    let presigner = r2(false);
    let minted = presigner
        .get_object("bucket", "a/b.txt", GetTtl::default(), now)
        .expect("presign");
    let url = PresignedUrl::parse(minted.url()).expect("parses");
    assert_eq!(signed_headers(&url), ["host"]);
    assert_eq!(url.lifetime(), Duration::HOUR);
    assert_eq!(url.remaining(now), Some(Duration::HOUR));
    assert!(!url.has_session_token());

    let overrides =
        ResponseOverrides::new().content_disposition("attachment; filename=\"a b.txt\"");
    let minted = presigner
        .presign(
            &presign::ObjectRequest::get("bucket", "a/b.txt", GetTtl::default())
                .with_response_overrides(&overrides),
            now,
        )
        .expect("presign");
    let url = PresignedUrl::parse(minted.url()).expect("parses");
    let extra: Vec<(String, String)> = url
        .extra_params()
        .map(|(name, value)| (name.to_string(), value.to_string()))
        .collect();
    assert_eq!(
        extra,
        [(
            "response-content-disposition".to_owned(),
            "attachment; filename=\"a b.txt\"".to_owned()
        )]
    );
}

#[test]
fn urls_for_other_endpoints_read_back() {
    let now = datetime!(2026-11-24 03:56:49 UTC);
    let creds = Credentials::new("ASIA+x==", SECRET).expect("credentials");
    let endpoint = Endpoint::custom("http://127.0.0.1:9000/base", "us-east-1").expect("endpoint");
    let minted = Presigner::new(endpoint, creds)
        .get_object("bucket", "k", GetTtl::default(), now)
        .expect("presign");
    let url = PresignedUrl::parse(minted.url()).expect("parses");
    assert_eq!(url.scheme(), "http");
    assert_eq!(url.host(), "127.0.0.1:9000");
    assert!(url.path().starts_with("/base/"), "{}", url.path());
    assert_eq!(url.access_key_id().as_plain(), None, "escaped in the URL");
    assert_eq!(url.access_key_id().as_encoded(), "ASIA%2Bx%3D%3D");
    assert!(url.access_key_id().eq_decoded("ASIA+x=="));
    assert_eq!(url.access_key_id().to_string(), "ASIA+x==");
    assert!(url.region().eq_decoded("us-east-1"));
}

// ---------------------------------------------------------------------------------------------
// The AWS documentation's example
// ---------------------------------------------------------------------------------------------

#[test]
fn aws_documentation_example() {
    let url = PresignedUrl::parse(AWS_DOC_URL).expect("parses");
    assert_eq!(url.algorithm(), "AWS4-HMAC-SHA256");
    assert_eq!(url.host(), "examplebucket.s3.amazonaws.com");
    assert_eq!(url.path(), "/test.txt");
    assert_eq!(decoded(url.access_key_id()), "AKIAIOSFODNN7EXAMPLE");
    assert_eq!(url.scope_date(), time::macros::date!(2013 - 05 - 24));
    assert_eq!(decoded(url.region()), "us-east-1");
    assert_eq!(decoded(url.service()), "s3");
    assert_eq!(url.signed_at(), datetime!(2013-05-24 00:00:00 UTC));
    assert_eq!(url.lifetime_secs(), 86_400);
    assert_eq!(url.expires_at(), datetime!(2013-05-25 00:00:00 UTC));
    assert_eq!(signed_headers(&url), ["host"]);
    assert!(!url.has_session_token());
    assert_eq!(
        hex::encode(url.signature()),
        "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"
    );
}

// ---------------------------------------------------------------------------------------------
// URLs minted by aws-sigv4
// ---------------------------------------------------------------------------------------------

/// The URL the AWS SDK's signer makes for `method` on `https://{host}/bucket/key`.
fn aws_sigv4_url(
    host: &str,
    region: &str,
    content_type: Option<&str>,
    token: Option<&str>,
    secs: u64,
    at: OffsetDateTime,
) -> String {
    let target = format!("https://{host}/bucket/some%20key.bin");
    let method = if content_type.is_some() { "PUT" } else { "GET" };
    let headers: Vec<(&str, &str)> = content_type
        .map(|ct| ("content-type", ct))
        .into_iter()
        .collect();
    let request = aws_sigv4_ref::Request {
        method,
        url: &target,
        headers: &headers,
        body: aws_sigv4_ref::Body::Unsigned,
    };
    let settings = aws_sigv4_ref::Settings {
        region,
        service: "s3",
        time: at,
        expires_in_secs: u32::try_from(secs).expect("a TTL fits in u32"),
        rules: aws_sigv4_ref::Rules::S3,
        token_after_signing: false,
    };
    aws_sigv4_ref::Signer::new(ACCESS_KEY, SECRET, token)
        .presign(&request, &settings)
        .expect("aws-sigv4 signs")
}

#[test]
fn urls_from_aws_sigv4_read_back_to_their_inputs() {
    let cases = [
        (
            "examplebucket.s3.amazonaws.com",
            "us-east-1",
            None,
            None,
            86_400,
        ),
        (R2_HOST, "auto", Some("video/mp4"), None, 1800),
        (R2_HOST, "auto", Some("image/png"), Some(TOKEN), 604_800),
        (
            "s3.eu-central-1.amazonaws.com",
            "eu-central-1",
            None,
            Some("t"),
            1,
        ),
    ];
    for (host, region, content_type, token, secs) in cases {
        for at in times() {
            let minted = aws_sigv4_url(host, region, content_type, token, secs, at);
            let url = PresignedUrl::parse(&minted).unwrap_or_else(|e| panic!("{minted}: {e}"));
            assert_eq!(url.host(), host);
            assert_eq!(url.path(), "/bucket/some%20key.bin");
            assert_eq!(decoded(url.access_key_id()), ACCESS_KEY);
            assert_eq!(decoded(url.region()), region);
            assert_eq!(decoded(url.service()), "s3");
            assert_eq!(url.signed_at(), whole_seconds(at), "{minted}");
            assert_eq!(u64::from(url.lifetime_secs()), secs);
            assert_eq!(
                url.expires_at(),
                whole_seconds(at) + Duration::seconds(secs.cast_signed())
            );
            let expected_headers = if content_type.is_some() {
                vec!["content-type", "host"]
            } else {
                vec!["host"]
            };
            assert_eq!(signed_headers(&url), expected_headers, "{minted}");
            assert_eq!(url.session_token().map(decoded).as_deref(), token);
            // The signature is the one in the URL, byte for byte.
            let signature = minted.rsplit_once("X-Amz-Signature=").expect("signed").1;
            assert_eq!(hex::encode(url.signature()), &signature[..64]);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// One test per error variant
// ---------------------------------------------------------------------------------------------

/// `AWS_DOC_URL` with the value of `name` replaced (or the parameter removed, for `None`).
fn doc_with(name: &str, value: Option<&str>) -> String {
    let (base, query) = AWS_DOC_URL.split_once('?').expect("query");
    let pairs: Vec<String> = query
        .split('&')
        .filter_map(|pair| {
            let (n, _) = pair.split_once('=').expect("name=value");
            if n == name {
                value.map(|value| format!("{n}={value}"))
            } else {
                Some(pair.to_owned())
            }
        })
        .collect();
    format!("{base}?{}", pairs.join("&"))
}

fn refused(url: &str) -> InspectError {
    match PresignedUrl::parse(url) {
        Ok(parsed) => panic!("{url} parsed: {parsed:?}"),
        Err(err) => err,
    }
}

#[test]
fn error_no_scheme() {
    let err = refused("examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256");
    assert_eq!(err, InspectError::NoScheme);
    assert_eq!(err.param(), None);
}

#[test]
fn error_no_host() {
    let err = refused(&AWS_DOC_URL.replace("examplebucket.s3.amazonaws.com", ""));
    assert_eq!(err, InspectError::NoHost);
    assert_eq!(err.param(), None);
}

#[test]
fn error_no_query() {
    let err = refused("https://examplebucket.s3.amazonaws.com/test.txt");
    assert_eq!(err, InspectError::NoQuery);
    assert_eq!(err.param(), None);
}

#[test]
fn error_missing() {
    for param in AuthParam::ALL {
        if param == AuthParam::SecurityToken {
            continue; // optional
        }
        let err = refused(&doc_with(param.name(), None));
        assert_eq!(err, InspectError::Missing { param });
        assert_eq!(err.param(), Some(param));
    }
}

#[test]
fn error_repeated() {
    for param in AuthParam::ALL {
        let twice = format!("{AWS_DOC_URL}&{}=x&{}=x", param.name(), param.name());
        let err = refused(&twice);
        assert_eq!(err, InspectError::Repeated { param });
        assert_eq!(err.param(), Some(param));
    }
}

#[test]
fn error_empty() {
    for param in AuthParam::ALL {
        let url = if param == AuthParam::SecurityToken {
            format!("{AWS_DOC_URL}&X-Amz-Security-Token=")
        } else {
            doc_with(param.name(), Some(""))
        };
        let err = refused(&url);
        assert_eq!(err, InspectError::Empty { param });
        assert_eq!(err.param(), Some(param));
    }
}

#[test]
fn error_invalid_escape() {
    let err = refused(&doc_with(
        "X-Amz-Credential",
        Some("AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request%2"),
    ));
    assert_eq!(
        err,
        InspectError::InvalidEscape {
            param: AuthParam::Credential,
            index: 63
        }
    );
    assert_eq!(err.param(), Some(AuthParam::Credential));
    let err = refused(&format!("{AWS_DOC_URL}&X-Amz-Security-Token=ab%zz"));
    assert_eq!(err.param(), Some(AuthParam::SecurityToken));
    assert!(matches!(err, InspectError::InvalidEscape { index: 2, .. }));
}

#[test]
fn error_unsupported_algorithm() {
    for algorithm in [
        "AWS4-ECDSA-P256-SHA256",
        "aws4-hmac-sha256",
        "AWS4-HMAC-SHA256 ",
    ] {
        let err = refused(&doc_with("X-Amz-Algorithm", Some(algorithm)));
        assert_eq!(err, InspectError::UnsupportedAlgorithm, "{algorithm}");
        assert_eq!(err.param(), Some(AuthParam::Algorithm));
    }
}

#[test]
fn error_credential_parts() {
    for (credential, found) in [
        ("AKIAIOSFODNN7EXAMPLE", 1),
        ("AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3", 4),
        ("AKID%2Fx%2F20130524%2Fus-east-1%2Fs3%2Faws4_request", 6),
        ("A/20130524/us-east-1/s3/aws4_request/", 6),
    ] {
        let err = refused(&doc_with("X-Amz-Credential", Some(credential)));
        assert_eq!(err, InspectError::CredentialParts { found }, "{credential}");
        assert_eq!(err.param(), Some(AuthParam::Credential));
    }
}

#[test]
fn error_empty_credential_part() {
    for (credential, part) in [
        (
            "%2F20130524%2Fus-east-1%2Fs3%2Faws4_request",
            CredentialPart::AccessKeyId,
        ),
        (
            "AKID%2F20130524%2F%2Fs3%2Faws4_request",
            CredentialPart::Region,
        ),
        (
            "AKID/20130524/us-east-1//aws4_request",
            CredentialPart::Service,
        ),
    ] {
        let err = refused(&doc_with("X-Amz-Credential", Some(credential)));
        assert_eq!(
            err,
            InspectError::EmptyCredentialPart { part },
            "{credential}"
        );
        assert_eq!(err.param(), Some(AuthParam::Credential));
    }
}

#[test]
fn error_credential_terminator() {
    let err = refused(&doc_with(
        "X-Amz-Credential",
        Some("AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_requesT"),
    ));
    assert_eq!(err, InspectError::CredentialTerminator);
    assert_eq!(err.param(), Some(AuthParam::Credential));
}

#[test]
fn error_scope_date_mismatch() {
    for scope_date in ["20130523", "2013052", "201305240", "", "2013-05-24"] {
        let credential =
            format!("AKIAIOSFODNN7EXAMPLE%2F{scope_date}%2Fus-east-1%2Fs3%2Faws4_request");
        let err = refused(&doc_with("X-Amz-Credential", Some(&credential)));
        assert_eq!(err, InspectError::ScopeDateMismatch, "{scope_date}");
        assert_eq!(err.param(), Some(AuthParam::Credential));
    }
}

#[test]
fn error_invalid_date() {
    for date in [
        "20130524",
        "20130532T000000Z",
        "20130524T000000+0000",
        "2013-05-24T00:00:00Z",
    ] {
        let err = refused(&doc_with("X-Amz-Date", Some(date)));
        assert_eq!(err, InspectError::InvalidDate, "{date}");
        assert_eq!(err.param(), Some(AuthParam::Date));
    }
}

#[test]
fn error_invalid_expires() {
    for expires in ["1h", "-1", "86400.0", "%2B86400"] {
        let err = refused(&doc_with("X-Amz-Expires", Some(expires)));
        assert_eq!(err, InspectError::InvalidExpires, "{expires}");
        assert_eq!(err.param(), Some(AuthParam::Expires));
    }
}

#[test]
fn error_expires_out_of_range() {
    for secs in [0, 604_801, u64::MAX] {
        let err = refused(&doc_with("X-Amz-Expires", Some(&secs.to_string())));
        assert_eq!(
            err,
            InspectError::ExpiresOutOfRange {
                secs,
                min: 1,
                max: 604_800
            }
        );
        assert_eq!(err.param(), Some(AuthParam::Expires));
    }
    assert_eq!(
        refused(&doc_with("X-Amz-Expires", Some("1".repeat(30).as_str()))),
        InspectError::ExpiresOutOfRange {
            secs: u64::MAX,
            min: 1,
            max: 604_800
        }
    );
}

#[test]
fn error_expiry_beyond_calendar() {
    let url = doc_with("X-Amz-Date", Some("99991231T000000Z")).replace("20130524", "99991231");
    let err = refused(&url);
    assert_eq!(err, InspectError::ExpiryBeyondCalendar);
    assert_eq!(err.param(), Some(AuthParam::Expires));
}

#[test]
fn error_invalid_signed_headers() {
    for headers in [
        "Host",
        "host;",
        "content-type;;host",
        "host%3B%3B",
        "host,range",
    ] {
        let err = refused(&doc_with("X-Amz-SignedHeaders", Some(headers)));
        assert_eq!(err, InspectError::InvalidSignedHeaders, "{headers}");
        assert_eq!(err.param(), Some(AuthParam::SignedHeaders));
    }
}

#[test]
fn error_invalid_signature() {
    let good = "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";
    for signature in [
        &good[..63],
        &format!("{good}0"),
        &good.to_uppercase(),
        &good.replace('a', "g"),
    ] {
        let err = refused(&doc_with("X-Amz-Signature", Some(signature)));
        assert_eq!(err, InspectError::InvalidSignature, "{signature}");
        assert_eq!(err.param(), Some(AuthParam::Signature));
    }
}

#[test]
fn errors_never_echo_the_url() {
    // Every message is made of fixed text and numbers: no signature, no token.
    let url = format!("{AWS_DOC_URL}&X-Amz-Security-Token=SECRETTOKEN&X-Amz-Security-Token=x");
    let err = refused(&url);
    assert!(!err.to_string().contains("SECRETTOKEN"));
    assert!(!format!("{err:?}").contains("SECRETTOKEN"));
}

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

/// What an independent reader (`str::split` and the `percent-encoding` crate) finds in a
/// URL that `PresignedUrl` accepted.
#[derive(Debug, PartialEq, Eq)]
struct Reading {
    credential: Vec<u8>,
    date: Vec<u8>,
    expires: Vec<u8>,
    signed_headers: Vec<u8>,
    signature: Vec<u8>,
    token: Option<Vec<u8>>,
}

fn independent_reading(url: &str) -> Reading {
    let query = url.split_once('?').expect("query").1;
    let query = query.split_once('#').map_or(query, |(q, _)| q);
    let mut found: Vec<(Vec<u8>, Vec<u8>)> = Vec::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        found.push((
            percent_decode_str(name).collect(),
            percent_decode_str(value).collect(),
        ));
    }
    let get = |name: &str| -> Option<Vec<u8>> {
        let mut values = found.iter().filter(|(n, _)| n == name.as_bytes());
        let value = values.next().map(|(_, v)| v.clone());
        assert!(values.next().is_none(), "{name} repeated in {url}");
        value
    };
    Reading {
        credential: get("X-Amz-Credential").expect("credential"),
        date: get("X-Amz-Date").expect("date"),
        expires: get("X-Amz-Expires").expect("expires"),
        signed_headers: get("X-Amz-SignedHeaders").expect("signed headers"),
        signature: get("X-Amz-Signature").expect("signature"),
        token: get("X-Amz-Security-Token"),
    }
}

/// What `PresignedUrl` reports, in the independent reader's terms.
fn our_reading(url: &PresignedUrl<'_>) -> Reading {
    let headers: Vec<Vec<u8>> = url.signed_headers().map(|h| h.bytes().collect()).collect();
    let date = url.signed_at();
    Reading {
        credential: url.credential().bytes().collect(),
        date: format!(
            "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
            date.year(),
            u8::from(date.month()),
            date.day(),
            date.hour(),
            date.minute(),
            date.second()
        )
        .into_bytes(),
        expires: url.lifetime_secs().to_string().into_bytes(),
        signed_headers: headers.join(&b';'),
        signature: hex::encode(url.signature()).into_bytes(),
        token: url.session_token().map(|t| t.bytes().collect()),
    }
}

/// Everything a parsed URL reports holds together and agrees with the independent reader.
fn check_consistent(text: &str, url: &PresignedUrl<'_>) {
    assert_eq!(url.expires_at(), url.signed_at() + url.lifetime(), "{text}");
    assert!((1..=604_800).contains(&url.lifetime_secs()), "{text}");
    assert!(url.is_expired(url.expires_at()));
    assert!(!url.is_expired(url.signed_at()));
    assert_eq!(url.remaining(url.signed_at()), Some(url.lifetime()));
    let mut reading = independent_reading(text);
    // The independent reader keeps leading zeros of X-Amz-Expires; compare as numbers.
    let expires: u32 = std::str::from_utf8(&reading.expires)
        .expect("digits")
        .parse()
        .expect("number");
    assert_eq!(expires, url.lifetime_secs());
    reading.expires = url.lifetime_secs().to_string().into_bytes();
    assert_eq!(reading, our_reading(url), "{text}");
    let parts: Vec<&[u8]> = reading.credential.split(|&b| b == b'/').collect();
    assert_eq!(parts.len(), 5, "{text}");
    assert_eq!(url.access_key_id().bytes().collect::<Vec<_>>(), parts[0]);
    assert_eq!(url.region().bytes().collect::<Vec<_>>(), parts[2]);
    assert_eq!(url.service().bytes().collect::<Vec<_>>(), parts[3]);
    assert_eq!(parts[4], b"aws4_request");
    let _ = format!("{url:?}");
    for (name, value) in url.extra_params() {
        let _ = (name.to_string(), value.to_string(), name.decoded_len());
    }
}

/// Valid URLs to mutate: the documentation's, this crate's (with a token and an extra
/// parameter) and aws-sigv4's.
fn seeds() -> Vec<String> {
    let now = datetime!(2026-11-24 03:56:49 UTC);
    let put = r2(true)
        .put_object(
            "bucket",
            "k/ü.bin",
            &ContentType::new("video/mp4").expect("content type"),
            PutTtl::default(),
            now,
        )
        .expect("presign")
        .url()
        .to_owned();
    let overrides = ResponseOverrides::new().content_type("text/plain");
    let get = r2(false)
        .presign(
            &presign::ObjectRequest::get("bucket", "k", GetTtl::default())
                .with_response_overrides(&overrides),
            now,
        )
        .expect("presign")
        .url()
        .to_owned();
    let aws = aws_sigv4_url(R2_HOST, "auto", Some("image/png"), Some(TOKEN), 900, now);
    vec![AWS_DOC_URL.to_owned(), put, get, aws]
}

#[test]
fn seeds_are_consistent() {
    for seed in seeds() {
        let url = PresignedUrl::parse(&seed).expect("valid seed");
        check_consistent(&seed, &url);
    }
}

/// Every position of every seed, replaced by every ASCII byte (and two non-ASCII
/// characters) or deleted: each result parses consistently or is refused, never panics.
#[test]
fn every_single_byte_mutation_parses_or_is_refused() {
    let mut parsed = 0usize;
    let mut refused = 0usize;
    for seed in seeds() {
        assert!(seed.is_ascii());
        for i in 0..seed.len() {
            let replacements = (0..=127u8).map(char::from).chain(['é', '🦀']);
            let mutants = replacements
                .map(|c| format!("{}{c}{}", &seed[..i], &seed[i + 1..]))
                .chain([format!("{}{}", &seed[..i], &seed[i + 1..])]);
            for mutant in mutants {
                match PresignedUrl::parse(&mutant) {
                    Ok(url) => {
                        check_consistent(&mutant, &url);
                        parsed += 1;
                    }
                    Err(err) => {
                        assert!(!err.to_string().is_empty());
                        refused += 1;
                    }
                }
            }
        }
    }
    // Both outcomes are common (about 72 000 and 126 000): edits of the path, of an extra
    // parameter or of a letter of the signature parse; most edits elsewhere do not.
    println!("{parsed} mutants parsed, {refused} refused");
    assert!(
        parsed > 10_000 && refused > 10_000,
        "{parsed} parsed, {refused} refused"
    );
}

proptest! {
    #![proptest_config(config(4000))]

    /// Arbitrary text never panics, and what parses is consistent.
    #[test]
    fn arbitrary_text_never_panics(text in any::<String>()) {
        if let Ok(url) = PresignedUrl::parse(&text) {
            check_consistent(&text, &url);
        }
    }

    /// Text made of URL pieces (so that parsing gets deep) never panics.
    #[test]
    fn url_shaped_text_never_panics(
        pieces in prop::collection::vec(
            prop::sample::select(vec![
                "https://", "h", "/", "?", "&", "=", "#", "%", "%2F", "%3B", "%2", "X-Amz-",
                "X-Amz-Algorithm=AWS4-HMAC-SHA256", "X-Amz-Credential=A%2F20130524%2Fr%2Fs3%2Faws4_request",
                "X-Amz-Date=20130524T000000Z", "X-Amz-Expires=", "604800", "0", "9",
                "X-Amz-SignedHeaders=host", "X-Amz-Signature=", "aeeed9bbccd4d02ee5c0109b86d86835",
                "X-Amz-Security-Token=", "é", ";",
            ]),
            0..40,
        )
    ) {
        let text: String = pieces.concat();
        if let Ok(url) = PresignedUrl::parse(&text) {
            check_consistent(&text, &url);
        }
    }

    /// One random edit (replace, insert or delete a character) of a valid URL.
    #[test]
    fn random_edits_of_valid_urls_parse_or_are_refused(
        seed in 0usize..4,
        at in any::<prop::sample::Index>(),
        edit in 0u8..3,
        c in any::<char>(),
    ) {
        let seeds = seeds();
        let seed = &seeds[seed];
        let i = at.index(seed.len());
        let mutant = match edit {
            0 => format!("{}{c}{}", &seed[..i], &seed[i + 1..]),
            1 => format!("{}{c}{}", &seed[..i], &seed[i..]),
            _ => format!("{}{}", &seed[..i], &seed[i + 1..]),
        };
        if let Ok(url) = PresignedUrl::parse(&mutant) {
            check_consistent(&mutant, &url);
        }
    }

    /// `Encoded`'s lazy decoding agrees with the `percent-encoding` crate on any text:
    /// the bytes, their count, equality, and the lossy `Display`.
    #[test]
    fn encoded_decodes_like_percent_encoding(text in "([a-zA-Z0-9%é+/;]|%[0-9a-fA-F]{2}|%[c-fC-F][0-9a-fA-F]%[89abAB][0-9a-fA-F])*") {
        let ours = Encoded::new(&text);
        let theirs: Vec<u8> = percent_decode_str(&text).collect();
        prop_assert_eq!(ours.bytes().collect::<Vec<u8>>(), theirs.clone());
        prop_assert_eq!(ours.decoded_len(), theirs.len());
        prop_assert_eq!(ours.to_string(), String::from_utf8_lossy(&theirs).into_owned());
        if let Ok(decoded) = std::str::from_utf8(&theirs) {
            prop_assert!(ours.eq_decoded(decoded));
        }
    }

    /// Any bytes, percent-encoded, display as `String::from_utf8_lossy` shows them.
    #[test]
    fn encoded_display_is_lossy_utf8(bytes in prop::collection::vec(any::<u8>(), 0..64)) {
        let text = bytes.iter().fold(String::new(), |mut text, b| {
            write!(text, "%{b:02x}").expect("a String takes any text");
            text
        });
        prop_assert_eq!(Encoded::new(&text).to_string(), String::from_utf8_lossy(&bytes).into_owned());
    }
}
