//! URLs minted by `Presigner`, received after random changes: the verifier accepts the
//! request exactly when it is unchanged in meaning, as an independent model reads it (the
//! `percent-encoding` crate decodes; nothing of the crate is used): the same method, the
//! same host, the same decoded path bytes, the same multiset of decoded query pairs, the
//! same signed header values (names in any case, values trimmed and space runs collapsed,
//! repeats joined with `,`), no `x-amz-*` header unsigned, no `Authorization`, and every
//! `%` starting an escape. Anything else verifying would be a forgery; anything the same
//! refused would be a spelling the verifier does not read as S3 does.

#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use presign::{
    ContentType, Credentials, Endpoint, GetTtl, ObjectRequest, Policy, Presigner, PutTtl,
    ReceivedRequest, ResponseOverrides, Verifier,
};
use presign_fuzz::{Choice, decode};
use time::{Duration, OffsetDateTime};

const KEYS: [&str; 4] = ["episodes/42/video.mp4", "a b/ü?#&=+!.bin", "~k%2F", "x"];
const TOKENS: [&str; 2] = ["FwoGZXIvYXdzEXAMPLE/session+token==", "t"];

#[derive(Arbitrary, Debug)]
struct Mint {
    put: bool,
    custom: bool,
    key: Choice,
    token: Option<u8>,
    overrides: bool,
    extra_header: bool,
    time: u32,
    ttl: u32,
}

#[derive(Arbitrary, Debug)]
enum Change {
    /// A byte of the target (path and query) replaced by a printable ASCII byte.
    TargetByte(u16, u8),
    TargetInsert(u16, u8),
    TargetDelete(u16),
    /// Two query pairs swapped (the same request).
    SwapPairs(u8, u8),
    /// An unreserved byte written as its escape, in either hex case (the same request).
    Escape(u16, bool),
    /// An escape's hex digits in the other case (the same request).
    FlipEscapeCase(u16),
    Method(u8),
    HostByte(u8, u8),
    /// A header's value changed, or padded with spaces (the same request).
    HeaderValue(u8, String),
    HeaderPad(u8),
    /// A header's name in capitals (the same request).
    HeaderUpper(u8),
    HeaderDrop(u8),
    HeaderAdd(Choice, String),
}

#[derive(Arbitrary, Debug)]
struct Input {
    mint: Mint,
    changes: Vec<Change>,
    /// Seconds after the signing time, inside the lifetime.
    after: u32,
}

/// What a client sends.
#[derive(Clone, Debug, PartialEq)]
struct Sent {
    method: String,
    host: String,
    target: String,
    headers: Vec<(String, String)>,
}

fn mint(m: &Mint) -> Option<(Sent, Credentials, &'static str, OffsetDateTime, u32)> {
    let (endpoint, region, origin) = if m.custom {
        (Endpoint::custom("http://127.0.0.1:9000", "us-east-1"), "us-east-1", "http://127.0.0.1:9000")
    } else {
        (
            Endpoint::r2("0123456789abcdef0123456789abcdef"),
            "auto",
            "https://0123456789abcdef0123456789abcdef.r2.cloudflarestorage.com",
        )
    };
    let mut creds = Credentials::new("AKIDEXAMPLE", "secret").ok()?;
    if let Some(t) = m.token {
        creds = creds.with_session_token(TOKENS[usize::from(t) % TOKENS.len()]).ok()?;
    }
    let presigner = Presigner::new(endpoint.ok()?, creds.clone());
    let time = OffsetDateTime::from_unix_timestamp(i64::from(m.time)).ok()?;
    let ttl = m.ttl % 604_800 + 1;
    let key = m.key.pick(&KEYS);
    let content_type = ContentType::new("video/mp4").ok()?;
    let overrides = ResponseOverrides::new().content_disposition("attachment; filename=\"a b\"");
    let extra = [("x-amz-meta-tag", "a  b")];
    let mut request = if m.put {
        ObjectRequest::put("bucket", key, &content_type, PutTtl::from_secs(ttl.into()).ok()?)
    } else {
        ObjectRequest::get("bucket", key, GetTtl::from_secs(ttl.into()).ok()?)
    };
    if m.overrides && !m.put {
        request = request.with_response_overrides(&overrides);
    }
    if m.extra_header {
        request = request.with_headers(&extra);
    }
    let signed = presigner.presign(&request, time).ok()?;
    let target = signed.url().strip_prefix(origin)?.to_owned();
    let sent = Sent {
        method: signed.method().as_str().to_owned(),
        host: origin.split_once("://")?.1.to_owned(),
        target,
        headers: signed.headers().map(|(n, v)| (n.to_owned(), v.to_owned())).collect(),
    };
    Some((sent, creds, region, time, ttl))
}

/// A char boundary of `text` at or before `i % (len + 1)`.
fn boundary(text: &str, i: u16) -> usize {
    let mut i = usize::from(i) % (text.len() + 1);
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn printable(b: u8) -> char {
    char::from(b % 95 + 32)
}

fn apply(sent: &mut Sent, change: &Change) {
    match change {
        Change::TargetByte(i, b) => {
            let i = boundary(&sent.target, *i);
            if let Some(old) = sent.target[i..].chars().next() {
                sent.target.replace_range(i..i + old.len_utf8(), &printable(*b).to_string());
            }
        }
        Change::TargetInsert(i, b) => {
            let i = boundary(&sent.target, *i);
            sent.target.insert(i, printable(*b));
        }
        Change::TargetDelete(i) => {
            let i = boundary(&sent.target, *i);
            if let Some(old) = sent.target[i..].chars().next() {
                sent.target.replace_range(i..i + old.len_utf8(), "");
            }
        }
        Change::SwapPairs(a, b) => {
            if let Some((path, query)) = sent.target.split_once('?') {
                let mut pairs: Vec<&str> = query.split('&').collect();
                let n = pairs.len();
                pairs.swap(usize::from(*a) % n, usize::from(*b) % n);
                sent.target = format!("{path}?{}", pairs.join("&"));
            }
        }
        Change::Escape(i, lower) => {
            let i = boundary(&sent.target, *i);
            if let Some(c) = sent.target[i..].chars().next() {
                if c.is_ascii_alphanumeric() || "-._~".contains(c) {
                    let escape = if *lower {
                        format!("%{:02x}", c as u32)
                    } else {
                        format!("%{:02X}", c as u32)
                    };
                    sent.target.replace_range(i..i + 1, &escape);
                }
            }
        }
        Change::FlipEscapeCase(i) => {
            let i = boundary(&sent.target, *i);
            if let Some(at) = sent.target[i..].find('%').map(|at| i + at) {
                if let Some(hex) = sent.target.get(at + 1..at + 3) {
                    if hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                        let flipped: String = hex
                            .chars()
                            .map(|c| if c.is_ascii_uppercase() { c.to_ascii_lowercase() } else { c.to_ascii_uppercase() })
                            .collect();
                        sent.target.replace_range(at + 1..at + 3, &flipped);
                    }
                }
            }
        }
        Change::Method(m) => {
            sent.method = ["GET", "PUT", "HEAD", "DELETE", "POST", "get"][usize::from(*m) % 6].to_owned();
        }
        Change::HostByte(i, b) => {
            let i = boundary(&sent.host, u16::from(*i));
            if let Some(old) = sent.host[i..].chars().next() {
                sent.host.replace_range(i..i + old.len_utf8(), &printable(*b).to_string());
            }
        }
        Change::HeaderValue(i, value) => {
            if !sent.headers.is_empty() {
                let n = sent.headers.len();
                sent.headers[usize::from(*i) % n].1 = value.clone();
            }
        }
        Change::HeaderPad(i) => {
            if !sent.headers.is_empty() {
                let n = sent.headers.len();
                let value = &mut sent.headers[usize::from(*i) % n].1;
                *value = format!("  {}  ", value.replace(' ', "   "));
            }
        }
        Change::HeaderUpper(i) => {
            if !sent.headers.is_empty() {
                let n = sent.headers.len();
                let name = &mut sent.headers[usize::from(*i) % n].0;
                *name = name.to_uppercase();
            }
        }
        Change::HeaderDrop(i) => {
            if !sent.headers.is_empty() {
                let n = sent.headers.len();
                sent.headers.remove(usize::from(*i) % n);
            }
        }
        Change::HeaderAdd(name, value) => {
            let name = name.pick(&["x-amz-date", "Range", "authorization", "content-type", "X-Amz-Meta-Tag", "host"]);
            sent.headers.push((name.to_owned(), value.clone()));
        }
    }
}

/// A header value as SigV4 canonicalises it.
fn canonical_value(value: &str) -> String {
    value.split(' ').filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
}

/// Every `%` starts an escape.
fn escapes_ok(text: &str) -> bool {
    let b = text.as_bytes();
    b.iter().enumerate().all(|(i, &c)| {
        c != b'%' || (b.get(i + 1).is_some_and(u8::is_ascii_hexdigit) && b.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
    })
}

/// What a request means to S3, read independently of the crate; `None` when it cannot be
/// read at all.
#[derive(Debug, PartialEq)]
struct Meaning {
    method: String,
    host: String,
    path: Vec<u8>,
    /// Decoded (name, value) pairs, sorted.
    query: Vec<(Vec<u8>, Vec<u8>)>,
    /// Signed header values, canonical, by signed name.
    signed: Vec<(String, String)>,
}

fn meaning(sent: &Sent, signed_names: &[String]) -> Option<Meaning> {
    if !sent.target.starts_with('/') || !escapes_ok(&sent.target) {
        return None;
    }
    let (path, query) = sent.target.split_once('?')?;
    let mut pairs: Vec<(Vec<u8>, Vec<u8>)> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (n, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(n), decode(v))
        })
        .collect();
    pairs.sort();
    let mut signed = Vec::new();
    for name in signed_names {
        let values: Vec<String> = if name == "host" {
            vec![canonical_value(&sent.host)]
        } else {
            sent.headers
                .iter()
                .filter(|(n, _)| n.eq_ignore_ascii_case(name))
                .map(|(_, v)| canonical_value(v))
                .collect()
        };
        signed.push((name.clone(), values.join(",")));
    }
    Some(Meaning {
        method: sent.method.clone(),
        host: canonical_value(&sent.host),
        path: decode(path),
        query: pairs,
        signed,
    })
}

/// Whether S3 must refuse what was sent whatever it means: an unsigned `x-amz-*` header or
/// an `Authorization` header.
fn forbidden_headers(sent: &Sent, signed_names: &[String]) -> bool {
    sent.headers.iter().any(|(name, _)| {
        let lower = name.to_ascii_lowercase();
        lower == "authorization"
            || (lower.starts_with("x-amz-") && !signed_names.contains(&lower))
    })
}

fuzz_target!(|input: Input| {
    let Some((original, creds, region, time, ttl)) = mint(&input.mint) else {
        return;
    };
    let mut signed_names: Vec<String> = original.headers.iter().map(|(n, _)| n.clone()).collect();
    signed_names.push("host".to_owned());
    let before = meaning(&original, &signed_names).expect("a minted request reads");
    let mut sent = original.clone();
    for change in input.changes.iter().take(6) {
        apply(&mut sent, change);
    }
    let regions = [region];
    let verifier = Verifier::new(Policy::new(&regions).expect("valid"), creds);
    let headers: Vec<(&str, &str)> = sent.headers.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    let request = ReceivedRequest {
        method: &sent.method,
        target: &sent.target,
        host: &sent.host,
        headers: &headers,
    };
    let now = time + Duration::seconds(i64::from(input.after % ttl));
    let accepted = verifier.verify(&request, now);
    let unchanged = meaning(&sent, &signed_names).as_ref() == Some(&before)
        && !forbidden_headers(&sent, &signed_names);
    assert_eq!(
        accepted.is_ok(),
        unchanged,
        "{}\n  sent: {sent:?}\n  original: {original:?}",
        match &accepted {
            Ok(_) => "accepted a changed request".to_owned(),
            Err(rejection) => format!("refused the same request: {rejection}"),
        }
    );
});
