//! What several test binaries need: taking a URL apart, reading its query parameters,
//! SigV4 percent-encoding and decoding (done by the independent `percent-encoding` crate,
//! never by `presign`), the `aws-sigv4` reference signer ([`aws_sigv4_ref`]), and the seeded
//! generator of random cases ([`rng`]).
//!
//! Every test binary compiles its own copy of this module with `mod common;` (a folder test
//! such as `tests/differential/` with `#[path = "../common/mod.rs"]`).
// Each binary uses a different subset of these helpers; what one leaves unused is not dead.
#![allow(
    dead_code,
    reason = "each test binary uses its own subset of the helpers"
)]

pub(crate) mod aws_sigv4_ref;
pub(crate) mod rng;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};

/// What SigV4's `UriEncode` leaves as it is: the RFC 3986 unreserved characters
/// `A-Z a-z 0-9 - _ . ~`. Every other byte becomes `%XX` with upper-case hex.
pub(crate) const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// [`UNRESERVED`] and `/`: an S3 object key in a URL path, its segments kept apart.
pub(crate) const UNRESERVED_AND_SLASH: &AsciiSet = &UNRESERVED.remove(b'/');

/// SigV4 `UriEncode` of a query name or value (`/` encoded too).
pub(crate) fn uri_encode(text: &str) -> String {
    utf8_percent_encode(text, UNRESERVED).to_string()
}

/// SigV4 `UriEncode` of an object key in a path (`/` kept).
pub(crate) fn uri_encode_path(text: &str) -> String {
    utf8_percent_encode(text, UNRESERVED_AND_SLASH).to_string()
}

/// Decodes the `%XX` escapes of `text` (either hex case). A `%` that does not start an escape
/// stays as it is, and so does `+`: SigV4 query strings are not form-encoded.
///
/// # Panics
/// When the decoded bytes are not UTF-8.
#[track_caller]
pub(crate) fn percent_decode(text: &str) -> String {
    percent_decode_str(text)
        .decode_utf8()
        .unwrap_or_else(|e| panic!("{text:?} decodes to invalid UTF-8: {e}"))
        .into_owned()
}

/// Whether every `%` in `text` starts a `%XX` escape ([`percent_decode`] would keep a
/// malformed one, which a check of what a URL decodes to must not accept).
pub(crate) fn escapes_are_well_formed(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.iter().enumerate().all(|(i, &b)| {
        b != b'%'
            || bytes
                .get(i + 1..i + 3)
                .is_some_and(|hex| hex.iter().all(u8::is_ascii_hexdigit))
    })
}

/// The part of a URL before the first `?`, and its raw query (empty when there is none).
pub(crate) fn split_url(url: &str) -> (&str, &str) {
    url.split_once('?').unwrap_or((url, ""))
}

/// The raw `name=value` pairs of a query string, sorted: their order carries no meaning to
/// SigV4, which sorts them itself, and several peers order them differently.
pub(crate) fn sorted_pairs(query: &str) -> Vec<&str> {
    let mut pairs: Vec<&str> = query.split('&').filter(|p| !p.is_empty()).collect();
    pairs.sort_unstable();
    pairs
}

/// The part of a URL before `?`, and its query pairs sorted ([`sorted_pairs`]).
pub(crate) fn url_parts(url: &str) -> (&str, Vec<&str>) {
    let (base, query) = split_url(url);
    (base, sorted_pairs(query))
}

/// The raw (still percent-encoded) value of the first query parameter called `name`.
pub(crate) fn query_param<'u>(url: &'u str, name: &str) -> Option<&'u str> {
    let (_, query) = url.split_once('?')?;
    query
        .split('&')
        .find_map(|pair| pair.strip_prefix(name)?.strip_prefix('='))
}

/// The `X-Amz-Signature` of a presigned URL.
#[track_caller]
pub(crate) fn signature(url: &str) -> &str {
    query_param(url, "X-Amz-Signature").unwrap_or_else(|| panic!("no X-Amz-Signature in {url}"))
}

/// Same scheme, host, port and path byte for byte, and the same query pairs in any order.
#[track_caller]
pub(crate) fn assert_same_url(what: &str, got: &str, expected: &str) {
    let (got_base, got_pairs) = url_parts(got);
    let (expected_base, expected_pairs) = url_parts(expected);
    assert_eq!(
        got_base, expected_base,
        "{what}: URL before the query\n got: {got}\nwant: {expected}"
    );
    assert_eq!(
        got_pairs, expected_pairs,
        "{what}: query pairs (sorted)\n got: {got}\nwant: {expected}"
    );
}
