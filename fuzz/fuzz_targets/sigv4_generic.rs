//! The low-level `presign::sigv4` API with arbitrary methods, paths, queries, headers, rules,
//! payload hashes and tokens. It never panics; it accepts exactly the inputs a validity model
//! accepts; its canonical request (first line: the method), string to sign, signature and
//! query string all equal an independent SigV4 model; and the query it writes carries the
//! signature it returns.

#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use presign::sigv4::{self, HttpRequest, PayloadHash, Rules, SessionToken, SigningParams};
use presign_fuzz::{
    Choice, expected_signed_headers, is_tchar, model_encode, model_normalized_uri,
    server_canonical_headers, sign_canonical,
};
use sha2::{Digest, Sha256};
use time::{OffsetDateTime, UtcOffset};

#[derive(Arbitrary, Debug)]
struct Input {
    method: Choice,
    path: Choice,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    host_header: bool,
    rules: u8,
    payload: u8,
    payload_hex: Choice,
    token: Option<(bool, Choice)>,
    access_key: Choice,
    secret: Choice,
    region: Choice,
    service: Choice,
    time_raw: i64,
    time_near_now: bool,
    offset_raw: i32,
    nanos: u32,
    expires_raw: u32,
    expires_bounded: bool,
}

fn signing_time(input: &Input) -> Option<OffsetDateTime> {
    const MIN: i64 = -377_705_116_800;
    const MAX: i64 = 253_402_300_799;
    let secs = if input.time_near_now {
        1_400_000_000 + input.time_raw.rem_euclid(30 * 365 * 86_400)
    } else {
        MIN + input.time_raw.rem_euclid(MAX - MIN + 1)
    };
    let offset =
        UtcOffset::from_whole_seconds(input.offset_raw.rem_euclid(2 * 93_599 + 1) - 93_599).ok()?;
    OffsetDateTime::from_unix_timestamp(secs)
        .ok()?
        .replace_nanosecond(input.nanos % 1_000_000_000)
        .ok()?
        .checked_to_offset(offset)
}

fn key_text(s: &str, max: usize, slash_ok: bool) -> bool {
    (1..=max).contains(&s.len())
        && s.bytes()
            .all(|c| (0x21..=0x7e).contains(&c) && (slash_ok || c != b'/'))
}

fn scope_part(s: &str) -> bool {
    (1..=64).contains(&s.len())
        && s.bytes()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-')
}

const RESERVED: [&str; 7] = [
    "X-Amz-Algorithm",
    "X-Amz-Credential",
    "X-Amz-Date",
    "X-Amz-Expires",
    "X-Amz-Security-Token",
    "X-Amz-SignedHeaders",
    "X-Amz-Signature",
];

fuzz_target!(|input: Input| {
    let Some(time) = signing_time(&input) else {
        return;
    };
    let method = input
        .method
        .pick(&["GET", "PUT", "POST", "HEAD", "DELETE", "PATCH"]);
    let path = input.path.pick(&[
        "/",
        "/examplebucket/test.txt",
        "/a/./b/../c//d/",
        "/example space/",
        "/..",
        "",
        "no-leading-slash",
        "/%20/ü/",
    ]);
    let mut headers: Vec<(&str, &str)> = input
        .headers
        .iter()
        .take(40)
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    if input.host_header {
        headers.insert(0, ("Host", "example.amazonaws.com"));
    }
    let query: Vec<(&str, &str)> = input
        .query
        .iter()
        .take(40)
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let rules = match input.rules % 3 {
        0 => Rules::S3,
        1 => Rules::Generic {
            normalize_path: false,
        },
        _ => Rules::Generic {
            normalize_path: true,
        },
    };
    let payload_hex = input.payload_hex.pick(&[
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855",
    ]);
    let payload = match input.payload % 3 {
        0 => PayloadHash::Unsigned,
        1 => PayloadHash::EmptyBody,
        _ => PayloadHash::Sha256Hex(payload_hex),
    };
    let token = input
        .token
        .as_ref()
        .map(|(signed, t)| (*signed, t.pick(&["FwoGZXIvYXdzEXAMPLE//+=", "t"])));
    let expires = if input.expires_bounded {
        input.expires_raw % 604_802
    } else {
        input.expires_raw
    };
    let params = SigningParams {
        access_key_id: input.access_key.pick(&["AKIDEXAMPLE", "AKID"]),
        secret_access_key: input
            .secret
            .pick(&["wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "secret"]),
        session_token: token.map(|(signed, t)| {
            if signed {
                SessionToken::Signed(t)
            } else {
                SessionToken::AppendedAfterSigning(t)
            }
        }),
        region: input.region.pick(&["us-east-1", "auto", "eu-west-1"]),
        service: input.service.pick(&["s3", "service", "execute-api"]),
        time,
        expires_in_secs: expires,
        rules,
        payload,
    };
    let request = HttpRequest {
        method,
        path,
        query: &query,
        headers: &headers,
    };

    let mut canonical = String::new();
    let c = sigv4::canonical_request(&request, &params, &mut canonical);
    let mut sts = String::new();
    let s = sigv4::string_to_sign(&request, &params, &mut sts);
    let mut query_out = String::new();
    let p = sigv4::presign_query(&request, &params, &mut query_out);

    // The validity model.
    let utc = time.to_offset(UtcOffset::UTC);
    let payload_text = match payload {
        PayloadHash::Unsigned => Some("UNSIGNED-PAYLOAD"),
        PayloadHash::EmptyBody => {
            Some("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        }
        PayloadHash::Sha256Hex(h) => (h.len() == 64
            && h.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')))
        .then_some(h),
    };
    let valid = key_text(params.access_key_id, 128, false)
        && key_text(params.secret_access_key, 128, true)
        && token.is_none_or(|(_, t)| key_text(t, 8192, true))
        && scope_part(params.region)
        && scope_part(params.service)
        && (1..=604_800).contains(&expires)
        && !method.is_empty()
        && method.bytes().all(is_tchar)
        && payload_text.is_some()
        && (0..=9999).contains(&utc.year())
        && headers.iter().all(|(n, v)| {
            !n.is_empty()
                && n.bytes().all(is_tchar)
                && v.bytes().all(|b| (0x20..=0x7e).contains(&b))
        })
        && query
            .iter()
            .all(|(n, _)| !n.is_empty() && !RESERVED.iter().any(|r| r.eq_ignore_ascii_case(n)));
    assert_eq!(p.is_ok(), valid, "presign_query: {p:?}");
    assert_eq!(c.is_ok(), valid, "canonical_request: {c:?}");
    assert_eq!(s.is_ok(), valid, "string_to_sign: {s:?}");
    let Ok(signature) = p else {
        assert_eq!(p.err(), c.err());
        return;
    };

    // Canonical request: method first, then the model's URI, query, headers and payload.
    assert_eq!(canonical.split('\n').next(), Some(method));
    let amz_date = format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        utc.year(),
        u8::from(utc.month()),
        utc.day(),
        utc.hour(),
        utc.minute(),
        utc.second()
    );
    let uri = match rules {
        Rules::Generic {
            normalize_path: true,
        } => model_normalized_uri(path),
        _ => {
            let slash = if path.starts_with('/') { "" } else { "/" };
            format!("{slash}{}", model_encode(path.as_bytes(), true))
        }
    };
    let owned_headers: Vec<(String, String)> = headers
        .iter()
        .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
        .collect();
    let signed_headers = expected_signed_headers(&owned_headers);
    let credential = format!(
        "{}/{}/{}/{}/aws4_request",
        params.access_key_id,
        &amz_date[..8],
        params.region,
        params.service
    );
    let mut pairs: Vec<(String, String)> = query
        .iter()
        .map(|(n, v)| (n.as_bytes(), v.as_bytes()))
        .chain([
            (&b"X-Amz-Algorithm"[..], &b"AWS4-HMAC-SHA256"[..]),
            (b"X-Amz-Credential", credential.as_bytes()),
            (b"X-Amz-Date", amz_date.as_bytes()),
            (b"X-Amz-SignedHeaders", signed_headers.as_bytes()),
        ])
        .map(|(n, v)| (model_encode(n, false), model_encode(v, false)))
        .collect();
    pairs.push(("X-Amz-Expires".into(), expires.to_string()));
    if let Some((true, t)) = token {
        pairs.push((
            "X-Amz-Security-Token".into(),
            model_encode(t.as_bytes(), false),
        ));
    }
    pairs.sort();
    let canonical_query = pairs
        .iter()
        .map(|(n, v)| format!("{n}={v}"))
        .collect::<Vec<_>>()
        .join("&");
    let model_canonical = format!(
        "{method}\n{uri}\n{canonical_query}\n{}\n{signed_headers}\n{}",
        server_canonical_headers(&owned_headers, &signed_headers),
        payload_text.expect("valid")
    );
    assert_eq!(canonical, model_canonical);

    // String to sign and signature.
    let scope = format!(
        "{}/{}/{}/aws4_request",
        &amz_date[..8],
        params.region,
        params.service
    );
    let hash = hex::encode(Sha256::digest(model_canonical.as_bytes()));
    assert_eq!(
        sts,
        format!("AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{hash}")
    );
    let expected_signature = sign_canonical(
        &model_canonical,
        params.secret_access_key,
        &amz_date,
        params.region,
        params.service,
    );
    assert_eq!(signature.to_string(), expected_signature);
    assert_eq!(hex::encode(signature.as_bytes()), expected_signature);

    // The query string: canonical query, the signature, then an unsigned token.
    let mut expected_query = format!("{canonical_query}&X-Amz-Signature={expected_signature}");
    if let Some((false, t)) = token {
        expected_query.push_str("&X-Amz-Security-Token=");
        expected_query.push_str(&model_encode(t.as_bytes(), false));
    }
    assert_eq!(query_out, expected_query);
    assert!(query_out.contains(&signature.to_string()));
});
