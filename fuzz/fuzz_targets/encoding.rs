//! The crate's private SigV4 URI encoder, seen through the public API, against a byte-by-byte
//! model: the key in the URL path and every extra query name and value must be exactly the
//! model's encoding (unreserved kept, `/` kept in paths only, everything else `%XX`
//! upper-case), must decode back to the input with `percent-encoding`, and the query must be
//! in SigV4 order (by encoded name, then encoded value).

#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use presign::{
    AddressingStyle, Credentials, Endpoint, Error, Field, GetTtl, MAX_KEY_LEN, ObjectRequest, Presigner,
};
use presign_fuzz::{decode, model_encode, split_url};
use time::macros::datetime;

#[derive(Arbitrary, Debug)]
struct Input {
    key: String,
    key_bytes: Option<Vec<u8>>,
    virtual_hosted: bool,
    query: Vec<(String, String)>,
}

const AUTH_PREFIX: &str = "x-amz-";

fuzz_target!(|input: Input| {
    let key = match &input.key_bytes {
        Some(bytes) => String::from_utf8_lossy(bytes).into_owned(),
        None => input.key.clone(),
    };
    let (endpoint, prefix) = if input.virtual_hosted {
        (
            Endpoint::aws_s3("us-east-1")
                .expect("valid region")
                .with_addressing(AddressingStyle::VirtualHosted),
            "/",
        )
    } else {
        (
            Endpoint::custom("http://127.0.0.1:9000/base", "us-east-1").expect("valid URL"),
            "/base/bucket/",
        )
    };
    let presigner = Presigner::new(
        endpoint,
        Credentials::new("AKIDEXAMPLE", "secret").expect("valid keys"),
    );
    // Query names the signer owns are refused; keep the rest (and empty names are refused).
    let query: Vec<(&str, &str)> = input
        .query
        .iter()
        .take(40)
        .filter(|(n, _)| {
            !n.is_empty()
                && !n
                    .get(..AUTH_PREFIX.len())
                    .is_some_and(|p| p.eq_ignore_ascii_case(AUTH_PREFIX))
        })
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let request = ObjectRequest::get("bucket", &key, GetTtl::default()).with_query(&query);
    let url = match presigner.presign(&request, datetime!(2026-11-24 03:56:49 UTC)) {
        Ok(signed) => signed.into_url(),
        Err(e) => {
            // Only the key can be at fault here; check it against the key grammar.
            let expected = if key.is_empty() {
                Error::Empty {
                    field: Field::ObjectKey,
                }
            } else if key.len() > MAX_KEY_LEN {
                Error::TooLong {
                    field: Field::ObjectKey,
                    len: key.len(),
                    max: MAX_KEY_LEN,
                }
            } else {
                assert!(
                    key.split('/').any(|s| s == "." || s == ".."),
                    "valid key {key:?} refused: {e:?}"
                );
                Error::DotSegmentInKey
            };
            assert_eq!(e, expected);
            return;
        }
    };
    assert!(!key.is_empty() && key.len() <= MAX_KEY_LEN);
    assert!(!key.split('/').any(|s| s == "." || s == ".."));

    let parts = split_url(&url).unwrap_or_else(|e| panic!("{e}: {url}"));
    // Path: exactly the model encoding, '/' kept, and it decodes back to the key.
    let encoded_key = parts
        .path
        .strip_prefix(prefix)
        .unwrap_or_else(|| panic!("path {} lacks {prefix}", parts.path));
    assert_eq!(encoded_key, model_encode(key.as_bytes(), true));
    assert_eq!(decode(encoded_key), key.as_bytes());

    // Query: each extra pair appears encoded exactly as the model says ('/' escaped too).
    let mut expected: Vec<(String, String)> = query
        .iter()
        .map(|(n, v)| {
            (
                model_encode(n.as_bytes(), false),
                model_encode(v.as_bytes(), false),
            )
        })
        .collect();
    expected.sort();
    let extras: Vec<(String, String)> = parts
        .query
        .iter()
        .filter(|(n, _)| !n.starts_with("X-Amz-"))
        .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
        .collect();
    // Sorted by encoded name, then value, in the URL itself (not only as a set).
    assert_eq!(extras, expected, "{url}");
    for ((n, v), (raw_n, raw_v)) in extras.iter().zip({
        let mut raw = query.clone();
        raw.sort_by(|a, b| {
            (
                model_encode(a.0.as_bytes(), false),
                model_encode(a.1.as_bytes(), false),
            )
                .cmp(&(
                    model_encode(b.0.as_bytes(), false),
                    model_encode(b.1.as_bytes(), false),
                ))
        });
        raw
    }) {
        assert_eq!(decode(n), raw_n.as_bytes());
        assert_eq!(decode(v), raw_v.as_bytes());
    }
    // The whole signed query (before the signature) is in byte order of its encoded pairs.
    let pairs: Vec<_> = parts.query[..parts.query.len() - 1].to_vec();
    let mut sorted = pairs.clone();
    sorted.sort();
    assert_eq!(pairs, sorted, "query not in canonical order: {url}");
});
