//! Independent models the fuzz targets check `presign` against: SigV4 URI encoding written
//! byte by byte, a small URL splitter, and a SigV4 verifier that recomputes a presigned
//! URL's signature the way S3/R2 do (decode what was sent, re-canonicalise, re-sign). None of
//! this shares code with the crate under test; HMAC and SHA-256 come from other major
//! versions of the RustCrypto crates.

use arbitrary::Arbitrary;
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

/// A fuzzed text: one of a target's well-formed examples (so inputs reach deep paths
/// often) or raw text (so they also hit every refusal).
#[derive(Arbitrary, Debug)]
pub enum Choice {
    Known(u8),
    Raw(String),
}

impl Choice {
    /// The chosen text: `known[i % len]`, or the raw string.
    pub fn pick<'a>(&'a self, known: &[&'static str]) -> &'a str {
        match self {
            Self::Known(i) => known[usize::from(*i) % known.len()],
            Self::Raw(s) => s,
        }
    }
}

/// RFC 3986 unreserved: the bytes SigV4 never escapes.
pub fn is_unreserved(b: u8) -> bool {
    matches!(b, b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~')
}

/// SigV4 `UriEncode`, one byte at a time: unreserved bytes (and `/` in a path) are kept,
/// every other byte becomes `%XX` with upper-case hex.
pub fn model_encode(bytes: &[u8], keep_slash: bool) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(bytes.len() * 3);
    for &b in bytes {
        if is_unreserved(b) || (keep_slash && b == b'/') {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0x0f)]));
        }
    }
    out
}

/// Whether every `%` in `s` starts a `%XX` escape with two upper-case hex digits.
pub fn escapes_well_formed(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = |c: u8| c.is_ascii_digit() || (b'A'..=b'F').contains(&c);
            if !(b.get(i + 1).copied().is_some_and(hex) && b.get(i + 2).copied().is_some_and(hex)) {
                return false;
            }
            i += 3;
        } else {
            i += 1;
        }
    }
    true
}

/// Percent-decodes with the `percent-encoding` crate (the independent decoder).
pub fn decode(s: &str) -> Vec<u8> {
    percent_encoding::percent_decode_str(s).collect()
}

/// Bytes a presigned URL may hold: unreserved, escapes, and the URL delimiters it uses
/// (`[`/`]` for an IPv6 host).
pub fn is_url_safe_byte(b: u8) -> bool {
    is_unreserved(b) || b"%/:?&=[]".contains(&b)
}

/// How a WHATWG client (the `url` crate, as reqwest and browsers) sends `scheme://host_port/`:
/// the `host[:port]` of its request, or `None` when it cannot parse the URL at all.
pub fn client_host(scheme: &str, host_port: &str) -> Option<String> {
    let parsed = url::Url::parse(&format!("{scheme}://{host_port}/")).ok()?;
    let host = parsed.host_str()?;
    Some(match parsed.port() {
        Some(p) => format!("{host}:{p}"),
        None => host.to_owned(),
    })
}

/// `None` when a WHATWG client parses `url` and sends it byte for byte as written;
/// otherwise what it would send instead (or why it cannot).
pub fn client_rewrite(url: &str) -> Option<String> {
    match url::Url::parse(url) {
        Ok(parsed) if parsed.as_str() == url => None,
        Ok(parsed) => Some(format!("client sends {}", parsed.as_str())),
        Err(e) => Some(format!("client cannot parse it: {e}")),
    }
}

/// A URL split into its parts, query still encoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitUrl<'a> {
    pub scheme: &'a str,
    /// `host` or `host:port`, as written.
    pub authority: &'a str,
    /// The path as written (starts with `/`).
    pub path: &'a str,
    /// `(name, value)` as written, in URL order.
    pub query: Vec<(&'a str, &'a str)>,
}

/// Splits `scheme://authority/path?query`; `Err` names what is missing.
pub fn split_url(url: &str) -> Result<SplitUrl<'_>, &'static str> {
    let (scheme, rest) = url.split_once("://").ok_or("no ://")?;
    if scheme != "http" && scheme != "https" {
        return Err("scheme is not http or https");
    }
    let slash = rest.find('/').ok_or("no path")?;
    let (authority, rest) = rest.split_at(slash);
    if authority.is_empty() {
        return Err("empty authority");
    }
    let (path, query) = rest.split_once('?').ok_or("no query")?;
    if query.contains('?') || path.contains('#') || query.contains('#') {
        return Err("stray ? or #");
    }
    let mut pairs = Vec::new();
    for part in query.split('&') {
        let (name, value) = part.split_once('=').ok_or("query part without '='")?;
        if value.contains('=') {
            return Err("query value with a raw '='");
        }
        pairs.push((name, value));
    }
    Ok(SplitUrl {
        scheme,
        authority,
        path,
        query: pairs,
    })
}

/// The canonical query the server builds from a sent query: every pair decoded, re-encoded
/// with [`model_encode`], sorted by name then value; `X-Amz-Signature` left out.
pub fn server_canonical_query(pairs: &[(&str, &str)], skip: &[&str]) -> String {
    let mut encoded: Vec<(String, String)> = pairs
        .iter()
        .filter(|(n, _)| !skip.contains(n))
        .map(|(n, v)| {
            (
                model_encode(&decode(n), false),
                model_encode(&decode(v), false),
            )
        })
        .collect();
    encoded.sort();
    encoded
        .iter()
        .map(|(n, v)| format!("{n}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// Canonical headers and signed-header list from the headers the client sends, for the
/// names listed in `signed` (already lower case, `;`-separated as in `X-Amz-SignedHeaders`).
/// Values are trimmed and inner runs of spaces collapsed; repeated names joined with `,`.
pub fn server_canonical_headers(sent: &[(String, String)], signed: &str) -> String {
    let mut out = String::new();
    for name in signed.split(';').filter(|n| !n.is_empty()) {
        let values: Vec<String> = sent
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| {
                v.split(' ')
                    .filter(|w| !w.is_empty())
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        out.push_str(name);
        out.push(':');
        out.push_str(&values.join(","));
        out.push('\n');
    }
    out
}

/// The sorted, de-duplicated lower-case names of `sent`, joined with `;`.
pub fn expected_signed_headers(sent: &[(String, String)]) -> String {
    let mut names: Vec<String> = sent.iter().map(|(n, _)| n.to_ascii_lowercase()).collect();
    names.sort();
    names.dedup();
    names.join(";")
}

type HmacSha256 = Hmac<Sha256>;

fn hmac(key: &[u8], data: &[u8]) -> [u8; 32] {
    let mut mac = HmacSha256::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(data);
    mac.finalize().into_bytes().into()
}

/// SigV4 steps 2 and 3 from a canonical request: the signature in lower-case hex.
pub fn sign_canonical(
    canonical_request: &str,
    secret: &str,
    amz_date: &str,
    region: &str,
    service: &str,
) -> String {
    let date = &amz_date[..8];
    let scope = format!("{date}/{region}/{service}/aws4_request");
    let hash = hex::encode(Sha256::digest(canonical_request.as_bytes()));
    let string_to_sign = format!("AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{hash}");
    let k_date = hmac(format!("AWS4{secret}").as_bytes(), date.as_bytes());
    let k_region = hmac(&k_date, region.as_bytes());
    let k_service = hmac(&k_region, service.as_bytes());
    let k_signing = hmac(&k_service, b"aws4_request");
    hex::encode(hmac(&k_signing, string_to_sign.as_bytes()))
}

/// The first value of `name` among `pairs`, decoded as UTF-8.
pub fn query_value(pairs: &[(&str, &str)], name: &str) -> Option<String> {
    pairs
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, v)| String::from_utf8(decode(v)).expect("auth values are UTF-8"))
}

/// How often `name` appears among `pairs`.
pub fn count(pairs: &[(&str, &str)], name: &str) -> usize {
    pairs.iter().filter(|(n, _)| *n == name).count()
}

/// RFC 3986 §5.2.4 dot-segment removal with empty segments collapsed, each kept segment
/// URI-encoded: the AWS "normalized" canonical URI, written as a plain segment stack.
pub fn model_normalized_uri(path: &str) -> String {
    let mut stack: Vec<&str> = Vec::new();
    let segments: Vec<&str> = path.split('/').collect();
    for seg in &segments {
        match *seg {
            "" | "." => {}
            ".." => {
                stack.pop();
            }
            s => stack.push(s),
        }
    }
    let mut out = String::new();
    for seg in &stack {
        out.push('/');
        out.push_str(&model_encode(seg.as_bytes(), false));
    }
    let last = segments.last().copied().unwrap_or("");
    if stack.is_empty() || matches!(last, "" | "." | "..") {
        out.push('/');
    }
    out
}

/// The grammar of an RFC 9110 token character.
pub fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encode_model() {
        assert_eq!(model_encode(b"a b/c+~", true), "a%20b/c%2B~");
        assert_eq!(model_encode(b"a b/c", false), "a%20b%2Fc");
        assert_eq!(model_encode("é".as_bytes(), false), "%C3%A9");
    }

    #[test]
    fn escapes() {
        assert!(escapes_well_formed("a%2Fb"));
        assert!(!escapes_well_formed("a%2fb"));
        assert!(!escapes_well_formed("a%2"));
        assert!(!escapes_well_formed("%"));
    }

    #[test]
    fn normalized() {
        assert_eq!(model_normalized_uri("/"), "/");
        assert_eq!(model_normalized_uri("/a/b/.."), "/a/");
        assert_eq!(model_normalized_uri("//a//b/"), "/a/b/");
        assert_eq!(model_normalized_uri("/../.."), "/");
        assert_eq!(model_normalized_uri("/a/./b"), "/a/b");
    }

    #[test]
    fn aws_example_signature() {
        // AWS S3 documentation, "Query string request authentication" example.
        let canonical = "GET\n/test.txt\nX-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host\nhost:examplebucket.s3.amazonaws.com\n\nhost\nUNSIGNED-PAYLOAD";
        assert_eq!(
            sign_canonical(
                canonical,
                "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                "20130524T000000Z",
                "us-east-1",
                "s3"
            ),
            "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"
        );
    }
}
