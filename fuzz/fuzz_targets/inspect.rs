//! `PresignedUrl::parse` on any text, on URLs minted by `Presigner`, and on those URLs after
//! a few edits. Parsing never panics; a minted URL reads back to the inputs that made it;
//! whatever parses is self-consistent (expiry = signing time + lifetime, within 1 ..= 604800
//! s, the boundary where `is_expired` turns) and agrees with an independent reading of the
//! query (split by hand, decoded with `percent-encoding`); `Debug` never shows the signature
//! or the session token of a minted URL.

#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use presign::{
    AuthParam, ContentType, Credentials, Endpoint, GetTtl, Presigner, PresignedUrl, PutTtl,
};
use presign_fuzz::{Choice, decode};
use time::{Duration, OffsetDateTime};

const ACCESS_KEYS: [&str; 3] = ["AKIDEXAMPLE", "ASIA+x==", "a"];
const TOKENS: [&str; 2] = ["FwoGZXIvYXdzEXAMPLE/session+token==", "tok"];
const KEYS: [&str; 3] = ["episodes/42/video.mp4", "a b/ü?#&=.bin", "k"];

#[derive(Arbitrary, Debug)]
enum Input {
    /// Any text.
    Raw(String),
    /// A URL from `Presigner`, then edited.
    Minted {
        mint: Mint,
        edits: Vec<Edit>,
    },
}

#[derive(Arbitrary, Debug)]
struct Mint {
    put: bool,
    endpoint: u8,
    access_key: Choice,
    token: Option<Choice>,
    key: Choice,
    /// Seconds from 1970, spread over the years 1970 ..= 2106.
    time: u32,
    nanos: u32,
    ttl: u32,
}

#[derive(Arbitrary, Debug)]
enum Edit {
    Replace(u16, char),
    Insert(u16, char),
    Delete(u16),
    /// Appends `&name=value`.
    Append(Choice, String),
}

fuzz_target!(|input: Input| {
    match input {
        Input::Raw(text) => {
            if let Ok(url) = PresignedUrl::parse(&text) {
                check_consistent(&text, &url);
            }
        }
        Input::Minted { mint, edits } => {
            let Some((minted, expected)) = mint_url(&mint) else {
                return;
            };
            let url = PresignedUrl::parse(&minted).expect("a minted URL parses");
            check_consistent(&minted, &url);
            check_read_back(&minted, &url, &expected);
            let mut text = minted;
            for edit in edits {
                apply(&mut text, edit);
            }
            if let Ok(url) = PresignedUrl::parse(&text) {
                check_consistent(&text, &url);
            }
        }
    }
});

/// What the minted URL must read back to.
struct Expected {
    access_key: String,
    region: &'static str,
    host: String,
    signed_at: OffsetDateTime,
    expires_at: OffsetDateTime,
    put: bool,
    token: Option<String>,
}

fn mint_url(mint: &Mint) -> Option<(String, Expected)> {
    // The endpoint, its region, and the host of its URLs (AWS addresses the bucket by
    // host name, the others by path).
    let (endpoint, region, host) = match mint.endpoint % 3 {
        0 => (
            Endpoint::r2("0123456789abcdef0123456789abcdef"),
            "auto",
            "0123456789abcdef0123456789abcdef.r2.cloudflarestorage.com",
        ),
        1 => (
            Endpoint::aws_s3("eu-west-1"),
            "eu-west-1",
            "bucket.s3.eu-west-1.amazonaws.com",
        ),
        _ => (
            Endpoint::custom("http://127.0.0.1:9000/base", "us-east-1"),
            "us-east-1",
            "127.0.0.1:9000",
        ),
    };
    let endpoint = endpoint.expect("valid endpoint");
    let host = host.to_owned();
    let access_key = mint.access_key.pick(&ACCESS_KEYS);
    let mut creds = Credentials::new(access_key, "secret").ok()?;
    let token = match &mint.token {
        Some(token) => {
            let token = token.pick(&TOKENS);
            creds = creds.with_session_token(token).ok()?;
            Some(token.to_owned())
        }
        None => None,
    };
    let presigner = Presigner::new(endpoint, creds);
    let time = OffsetDateTime::from_unix_timestamp(i64::from(mint.time))
        .ok()?
        .replace_nanosecond(mint.nanos % 1_000_000_000)
        .ok()?;
    let key = mint.key.pick(&KEYS);
    let secs = u64::from(mint.ttl % 604_800 + 1);
    let signed = if mint.put {
        let content_type = ContentType::new("video/mp4").expect("valid content type");
        presigner.put_object("bucket", key, &content_type, PutTtl::from_secs(secs).ok()?, time)
    } else {
        presigner.get_object("bucket", key, GetTtl::from_secs(secs).ok()?, time)
    }
    .ok()?;
    let signed_at = time.replace_nanosecond(0).expect("0 is a nanosecond");
    assert_eq!(signed.expires_at(), signed_at + Duration::seconds(i64::try_from(secs).expect("at most 604800")));
    Some((
        signed.url().to_owned(),
        Expected {
            access_key: access_key.to_owned(),
            region,
            host,
            signed_at,
            expires_at: signed.expires_at(),
            put: mint.put,
            token,
        },
    ))
}

fn apply(text: &mut String, edit: Edit) {
    // Positions fall on char boundaries: the index is taken among the boundaries.
    let boundary = |text: &str, at: u16| {
        let boundaries: Vec<usize> = text
            .char_indices()
            .map(|(i, _)| i)
            .chain([text.len()])
            .collect();
        boundaries[usize::from(at) % boundaries.len()]
    };
    match edit {
        Edit::Replace(at, c) => {
            let i = boundary(text, at);
            if let Some(old) = text[i..].chars().next() {
                text.replace_range(i..i + old.len_utf8(), c.encode_utf8(&mut [0; 4]));
            }
        }
        Edit::Insert(at, c) => {
            let i = boundary(text, at);
            text.insert(i, c);
        }
        Edit::Delete(at) => {
            let i = boundary(text, at);
            if let Some(old) = text[i..].chars().next() {
                text.replace_range(i..i + old.len_utf8(), "");
            }
        }
        Edit::Append(name, value) => {
            let names: Vec<&str> = AuthParam::ALL.iter().map(|p| p.name()).collect();
            text.push('&');
            text.push_str(name.pick(&names));
            text.push('=');
            text.push_str(&value);
        }
    }
}

/// The minted URL reads back to the inputs.
fn check_read_back(text: &str, url: &PresignedUrl<'_>, expected: &Expected) {
    assert!(url.access_key_id().eq_decoded(&expected.access_key), "{text}");
    assert_eq!(url.access_key_id().to_string(), expected.access_key);
    assert!(url.region().eq_decoded(expected.region), "{text}");
    assert!(url.service().eq_decoded("s3"), "{text}");
    assert_eq!(url.host(), expected.host);
    assert_eq!(url.signed_at(), expected.signed_at, "{text}");
    assert_eq!(url.expires_at(), expected.expires_at, "{text}");
    let headers: Vec<String> = url.signed_headers().map(|h| h.to_string()).collect();
    let want: &[&str] = if expected.put {
        &["content-type", "host"]
    } else {
        &["host"]
    };
    assert_eq!(headers, want, "{text}");
    assert_eq!(
        url.session_token().map(|t| t.to_string()),
        expected.token,
        "{text}"
    );
    let debug = format!("{url:?}");
    let signature = text.rsplit_once("X-Amz-Signature=").expect("signed").1;
    assert!(!debug.contains(signature), "{debug}");
    // Only the long known token: a short or fuzzed one ("tok", or the access key itself)
    // may occur in the output by chance.
    if let Some(token) = expected.token.as_deref().filter(|t| *t == TOKENS[0]) {
        let encoded = url.session_token().expect("token").as_encoded();
        assert!(!debug.contains(encoded), "{debug}");
        assert!(!debug.contains(token), "{debug}");
    }
}

/// Whatever parses holds together and agrees with an independent reading.
fn check_consistent(text: &str, url: &PresignedUrl<'_>) {
    // Time: whole seconds, the lifetime in range, expiry exactly signing time + lifetime,
    // and `is_expired` turning at the expiry instant.
    assert_eq!(url.signed_at().nanosecond(), 0);
    assert!((1..=604_800).contains(&url.lifetime_secs()));
    assert_eq!(url.lifetime(), Duration::seconds(i64::from(url.lifetime_secs())));
    assert_eq!(url.expires_at(), url.signed_at() + url.lifetime(), "{text}");
    assert_eq!(url.scope_date(), url.signed_at().date());
    assert!(url.is_expired(url.expires_at()));
    assert!(!url.is_expired(url.expires_at() - Duration::nanoseconds(1)));
    assert_eq!(url.remaining(url.expires_at()), None);
    assert_eq!(url.remaining(url.signed_at()), Some(url.lifetime()));

    // The URL parts are slices of the input, in order.
    assert!(text.starts_with(url.scheme()));
    assert!(text.contains(url.host()));
    assert!(text.contains(&format!("{}?{}", url.path(), url.query())));
    assert_eq!(url.url(), text);

    // The independent reading: split by hand, decode with `percent-encoding`.
    let query = text.split_once('?').expect("a query").1;
    let query = query.split_once('#').map_or(query, |(query, _fragment)| query);
    assert_eq!(url.query(), query);
    let mut values: Vec<(AuthParam, Vec<u8>)> = Vec::new();
    let mut extra = 0usize;
    for pair in query.split('&').filter(|pair| !pair.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let decoded_name = decode(name);
        match AuthParam::ALL
            .into_iter()
            .find(|p| p.name().as_bytes() == decoded_name)
        {
            Some(param) => values.push((param, decode(value))),
            None => extra += 1,
        }
    }
    assert_eq!(url.extra_params().count(), extra, "{text}");
    for (name, _) in url.extra_params() {
        assert!(AuthParam::ALL.iter().all(|p| !name.eq_decoded(p.name())), "{text}");
    }
    let value = |param: AuthParam| {
        let mut found = values.iter().filter(|(p, _)| *p == param);
        let value = found.next().map(|(_, v)| v.clone());
        assert!(found.next().is_none(), "{param} repeated but parsed: {text}");
        value
    };
    let credential = value(AuthParam::Credential).expect("credential");
    assert_eq!(url.credential().bytes().collect::<Vec<_>>(), credential);
    let parts: Vec<&[u8]> = credential.split(|&b| b == b'/').collect();
    assert_eq!(parts.len(), 5, "{text}");
    assert_eq!(url.access_key_id().bytes().collect::<Vec<_>>(), parts[0]);
    assert_eq!(url.region().bytes().collect::<Vec<_>>(), parts[2]);
    assert_eq!(url.service().bytes().collect::<Vec<_>>(), parts[3]);
    assert_eq!(parts[4], b"aws4_request");
    let date = value(AuthParam::Date).expect("date");
    assert_eq!(&date[..8], parts[1], "{text}");
    let t = url.signed_at();
    let rendered = format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    );
    assert_eq!(date, rendered.as_bytes(), "{text}");
    let expires = value(AuthParam::Expires).expect("expires");
    let expires: u64 = std::str::from_utf8(&expires)
        .expect("digits")
        .parse()
        .expect("a number that fits");
    assert_eq!(expires, u64::from(url.lifetime_secs()));
    let signed_headers = value(AuthParam::SignedHeaders).expect("signed headers");
    let ours: Vec<Vec<u8>> = url.signed_headers().map(|h| h.bytes().collect()).collect();
    assert_eq!(ours.join(&b';'), signed_headers, "{text}");
    assert!(ours.iter().all(|h| !h.is_empty()));
    let signature = value(AuthParam::Signature).expect("signature");
    assert_eq!(hex::encode(url.signature()).as_bytes(), signature, "{text}");
    let token = value(AuthParam::SecurityToken);
    assert_eq!(url.has_session_token(), token.is_some());
    assert_eq!(url.session_token().map(|t| t.bytes().collect::<Vec<_>>()), token);

    // Display decodes as `from_utf8_lossy` does; no accessor panics.
    for encoded in [url.access_key_id(), url.region(), url.service(), url.credential()] {
        let bytes = decode(encoded.as_encoded());
        assert_eq!(encoded.to_string(), String::from_utf8_lossy(&bytes));
        assert_eq!(encoded.decoded_len(), bytes.len());
    }
    let _ = format!("{url:?}");
    assert_eq!(url.algorithm(), "AWS4-HMAC-SHA256");
}
