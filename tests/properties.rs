//! Property tests for `presign`: determinism, sensitivity of the signature to every signed
//! input, the object key surviving the trip through the URL path, the shape of every URL
//! produced, and the documented error for every refused input.
//!
//! Case counts are fixed in code (no `PROPTEST_CASES` needed) and failures are not persisted
//! to disk, so a run is the same everywhere.
#![cfg(feature = "alloc")]

mod common;

use core::time::Duration;

use common::{query_param, signature, uri_encode};
use percent_encoding::percent_decode_str;
use presign::{
    AddressingStyle, ContentType, Credentials, Endpoint, Error, GetTtl, Method, ObjectRequest,
    PresignedRequest, Presigner, PutTtl, ResponseOverrides, Ttl,
};
use proptest::prelude::*;
use proptest::sample::select;
use time::OffsetDateTime;

const MAX_KEY_LEN: usize = 1024;
const MAX_TTL: u64 = 604_800;

/// A proptest failure that names what went wrong (instead of a panic per shrink step).
fn fail(what: &str, err: &dyn core::fmt::Debug) -> TestCaseError {
    TestCaseError::fail(format!("{what}: {err:?}"))
}

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

// ---------------------------------------------------------------------------------------------
// Inputs
// ---------------------------------------------------------------------------------------------

/// Everything one presign call depends on.
#[derive(Clone, Debug)]
struct Input {
    method: Method,
    virtual_hosted: bool,
    bucket: String,
    key: String,
    content_type: String,
    ttl: u64,
    time: i64,
    region: String,
    access_key: String,
    secret: String,
    token: Option<String>,
}

const HOST: &str = "s3.example.com";

/// What `presign` returned, owned.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Signed {
    url: String,
    method: Method,
    expires_at: OffsetDateTime,
    headers: Vec<(String, String)>,
}

impl Signed {
    fn url(&self) -> &str {
        &self.url
    }

    fn into_url(self) -> String {
        self.url
    }
}

impl Input {
    fn endpoint(&self) -> Endpoint {
        let style = if self.virtual_hosted {
            AddressingStyle::VirtualHosted
        } else {
            AddressingStyle::Path
        };
        Endpoint::custom(&format!("https://{HOST}"), &self.region)
            .expect("valid endpoint")
            .with_addressing(style)
    }

    fn presigner(&self) -> Presigner {
        let mut creds = Credentials::new(&self.access_key, &self.secret).expect("credentials");
        if let Some(token) = &self.token {
            creds = creds.with_session_token(token).expect("token");
        }
        Presigner::new(self.endpoint(), creds)
    }

    fn now(&self) -> OffsetDateTime {
        OffsetDateTime::from_unix_timestamp(self.time).expect("time in range")
    }

    fn sign_with(&self, presigner: &Presigner) -> Result<Signed, Error> {
        let content_type = ContentType::new(&self.content_type)?;
        let request = match self.method {
            Method::Get => {
                ObjectRequest::get(&self.bucket, &self.key, GetTtl::from_secs(self.ttl)?)
            }
            Method::Head => {
                ObjectRequest::head(&self.bucket, &self.key, GetTtl::from_secs(self.ttl)?)
            }
            Method::Put => ObjectRequest::put(
                &self.bucket,
                &self.key,
                &content_type,
                PutTtl::from_secs(self.ttl)?,
            ),
            Method::Delete => {
                ObjectRequest::delete(&self.bucket, &self.key, Ttl::from_secs(self.ttl)?)
            }
            Method::Post => ObjectRequest::new(
                Method::Post,
                &self.bucket,
                &self.key,
                Ttl::from_secs(self.ttl)?,
            ),
        };
        presigner.presign(&request, self.now()).map(|r| Signed {
            url: r.url().to_owned(),
            method: r.method(),
            expires_at: r.expires_at(),
            headers: r
                .headers()
                .map(|(n, v)| (n.to_owned(), v.to_owned()))
                .collect(),
        })
    }

    fn sign(&self) -> Result<Signed, Error> {
        self.sign_with(&self.presigner())
    }

    /// The URL prefix up to and including the `/` before the key.
    fn key_prefix(&self) -> String {
        if self.virtual_hosted {
            format!("https://{}.{HOST}/", self.bucket)
        } else {
            format!("https://{HOST}/{}/", self.bucket)
        }
    }
}

const KEY_PIECES: &[&str] = &[
    "a",
    "Z",
    "0",
    "-",
    "_",
    "~",
    ".",
    "..",
    "...",
    " ",
    "  ",
    "+",
    "=",
    "&",
    "%",
    "%20",
    "%2F",
    "!",
    "*",
    "'",
    "(",
    ")",
    "/",
    "//",
    ",",
    ";",
    ":",
    "@",
    "$",
    "#",
    "?",
    "[",
    "]",
    "\"",
    "<",
    ">",
    "\\",
    "^",
    "`",
    "{",
    "}",
    "|",
    "é",
    "日本",
    "🚀",
    "\u{a0}",
    "e\u{301}",
    "\u{fffd}",
    "X-Amz-Signature=0",
];

/// Replaces `.` / `..` segments, which presign refuses by design.
fn without_dot_segments(key: &str) -> String {
    key.split('/')
        .map(|seg| match seg {
            "." | ".." => format!("{seg}_"),
            other => other.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("/")
}

fn key_strategy() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => select(KEY_PIECES).prop_map(str::to_owned),
        1 => any::<char>()
            .prop_filter("no control characters", |c| !c.is_control())
            .prop_map(String::from),
    ];
    proptest::collection::vec(piece, 1..24)
        .prop_map(|pieces| without_dot_segments(&pieces.concat()))
        .prop_filter("at most 1024 bytes", |k| {
            !k.is_empty() && k.len() <= MAX_KEY_LEN
        })
}

fn method_strategy() -> impl Strategy<Value = Method> {
    select(vec![
        Method::Get,
        Method::Put,
        Method::Head,
        Method::Delete,
        Method::Post,
    ])
}

const CONTENT_TYPES: &[&str] = &[
    "application/octet-stream",
    "text/plain",
    "text/plain; charset=utf-8",
    "image/png",
    "video/mp4",
    "application/vnd.apache.parquet",
    "multipart/form-data; boundary=abc",
    "application/ld+json; profile=\"https://example.com/p\"",
];

fn content_type_strategy() -> impl Strategy<Value = String> {
    prop_oneof![
        select(CONTENT_TYPES).prop_map(str::to_owned),
        "[a-z]{1,12}/[a-z0-9][a-z0-9.+-]{0,20}",
        "[a-z]{1,12}/[a-z0-9]{1,12}; [a-z]{1,8}=[a-z0-9-]{1,12}",
    ]
}

prop_compose! {
    fn input_strategy()(
        method in method_strategy(),
        virtual_hosted in any::<bool>(),
        bucket in "b[a-z0-9]{2,20}(-[a-z0-9]{1,8}){0,2}",
        key in key_strategy(),
        content_type in content_type_strategy(),
        ttl in prop_oneof![Just(1_u64), Just(MAX_TTL), 1..=MAX_TTL],
        time in 946_684_800_i64..4_102_444_799,
        region in "[a-z]{2}-[a-z]{3,9}-[1-9]",
        access_key in "AKIA[A-Z0-9]{16}",
        secret in "[A-Za-z0-9/+]{40}",
        token in proptest::option::of("[A-Za-z0-9/+]{20,200}={0,2}"),
    ) -> Input {
        Input {
            method, virtual_hosted, bucket, key, content_type, ttl, time, region, access_key,
            secret, token,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// URL checker
// ---------------------------------------------------------------------------------------------

fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~')
}

/// Checks that `text` is unreserved characters, `extra` bytes and `%XX` escapes (upper-case
/// hex) only.
fn check_encoded(what: &str, text: &str, extra: &[u8]) -> Result<(), String> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'%' {
            let hex = bytes
                .get(i + 1..i + 3)
                .ok_or(format!("{what}: cut escape"))?;
            if !hex
                .iter()
                .all(|h| h.is_ascii_digit() || (b'A'..=b'F').contains(h))
            {
                return Err(format!("{what}: bad escape at {i} in {text:?}"));
            }
            i += 3;
        } else if is_unreserved(b) || extra.contains(&b) {
            i += 1;
        } else {
            return Err(format!("{what}: byte {b:#04x} at {i} in {text:?}"));
        }
    }
    Ok(())
}

/// What a URL must look like: `scheme://host[:port]/path?query` with only URL-safe
/// characters, each `X-Amz-*` parameter exactly once, values consistent with the input.
#[allow(clippy::too_many_lines)]
fn check_url(url: &str, input: &Input) -> Result<(), String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or("no http(s) scheme")?;
    let slash = rest.find('/').ok_or("no path")?;
    let (authority, path_and_query) = rest.split_at(slash);
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) if !h.ends_with(']') || authority.starts_with('[') => (h, Some(p)),
        _ => (authority, None),
    };
    if host.is_empty()
        || !host
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'.'))
    {
        return Err(format!("bad host {host:?}"));
    }
    if let Some(port) = port {
        let p: u16 = port.parse().map_err(|_| format!("bad port {port:?}"))?;
        if p == 0 {
            return Err("port 0".to_owned());
        }
    }
    let (path, query) = path_and_query.split_once('?').ok_or("no query string")?;
    check_encoded("path", path, b"/")?;
    if url.contains('#') {
        return Err("fragment".to_owned());
    }

    let mut seen = std::collections::BTreeMap::<&str, usize>::new();
    for pair in query.split('&') {
        let (name, value) = pair
            .split_once('=')
            .ok_or(format!("pair without '=': {pair:?}"))?;
        check_encoded("query name", name, b"")?;
        check_encoded("query value", value, b"")?;
        *seen.entry(name).or_default() += 1;
    }
    let required = [
        "X-Amz-Algorithm",
        "X-Amz-Credential",
        "X-Amz-Date",
        "X-Amz-Expires",
        "X-Amz-SignedHeaders",
        "X-Amz-Signature",
    ];
    for name in required {
        if seen.get(name) != Some(&1) {
            return Err(format!("{name} appears {:?} times", seen.get(name)));
        }
    }
    let token_count = seen.get("X-Amz-Security-Token").copied().unwrap_or(0);
    if token_count != usize::from(input.token.is_some()) {
        return Err(format!("X-Amz-Security-Token appears {token_count} times"));
    }
    if let Some((name, _)) = seen.iter().find(|(n, _)| {
        n.starts_with("X-Amz-") && !required.contains(n) && **n != "X-Amz-Security-Token"
    }) {
        return Err(format!("unexpected parameter {name}"));
    }

    // Values, from the input alone.
    let now = input.now();
    let date = format!(
        "{:04}{:02}{:02}",
        now.year(),
        u8::from(now.month()),
        now.day()
    );
    let stamp = format!(
        "{date}T{:02}{:02}{:02}Z",
        now.hour(),
        now.minute(),
        now.second()
    );
    let expect = |name: &str, want: &str| -> Result<(), String> {
        let got = query_param(url, name).unwrap_or_default();
        if got == want {
            Ok(())
        } else {
            Err(format!("{name}={got}, expected {want}"))
        }
    };
    expect("X-Amz-Algorithm", "AWS4-HMAC-SHA256")?;
    expect(
        "X-Amz-Credential",
        &format!(
            "{}%2F{date}%2F{}%2Fs3%2Faws4_request",
            input.access_key, input.region
        ),
    )?;
    expect("X-Amz-Date", &stamp)?;
    expect("X-Amz-Expires", &input.ttl.to_string())?;
    let signed = if input.method == Method::Put {
        "content-type%3Bhost"
    } else {
        "host"
    };
    expect("X-Amz-SignedHeaders", signed)?;
    let sig = signature(url);
    if sig.len() != 64
        || !sig
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    {
        return Err(format!("signature {sig:?} is not 64 lower-case hex digits"));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

/// One signed input changed to another value.
#[derive(Clone, Debug)]
enum Change {
    Method(Method),
    Key(String),
    ContentType(String),
    Ttl(u64),
    Time(i64),
    Region(String),
    Secret(String),
}

fn change_strategy() -> impl Strategy<Value = Change> {
    prop_oneof![
        method_strategy().prop_map(Change::Method),
        key_strategy().prop_map(Change::Key),
        content_type_strategy().prop_map(Change::ContentType),
        (1..=MAX_TTL).prop_map(Change::Ttl),
        (946_684_800_i64..4_102_444_799).prop_map(Change::Time),
        "[a-z]{2}-[a-z]{3,9}-[1-9]".prop_map(Change::Region),
        "[A-Za-z0-9/+]{40}".prop_map(Change::Secret),
    ]
}

/// Applies `change`; false when it changes nothing that is signed.
fn apply(input: &mut Input, change: Change) -> bool {
    match change {
        Change::Method(m) => {
            let changed = m != input.method;
            input.method = m;
            changed
        }
        Change::Key(k) => std::mem::replace(&mut input.key, k) != input.key,
        Change::ContentType(c) => {
            // Only a PUT signs its content type.
            let signed = input.method == Method::Put;
            signed && std::mem::replace(&mut input.content_type, c) != input.content_type
        }
        Change::Ttl(t) => std::mem::replace(&mut input.ttl, t) != input.ttl,
        Change::Time(t) => std::mem::replace(&mut input.time, t) != input.time,
        Change::Region(r) => std::mem::replace(&mut input.region, r) != input.region,
        Change::Secret(s) => std::mem::replace(&mut input.secret, s) != input.secret,
    }
}

proptest! {
    #![proptest_config(config(256))]

    /// Same inputs, same URL: from one presigner (signing key cache warm) and a fresh one.
    #[test]
    fn same_inputs_give_the_same_url(input in input_strategy()) {
        let shared = input.presigner();
        let first = input.sign_with(&shared).map_err(|e| fail("sign", &e))?;
        let again = input.sign_with(&shared).map_err(|e| fail("sign again", &e))?;
        let fresh = input.sign().map_err(|e| fail("sign with a fresh presigner", &e))?;
        prop_assert_eq!(first.url(), again.url());
        prop_assert_eq!(first.url(), fresh.url());
        prop_assert_eq!(first.method, input.method);
        prop_assert_eq!(
            first.expires_at,
            input.now() + Duration::from_secs(input.ttl)
        );
    }

    /// Changing any one signed input changes the signature.
    #[test]
    fn every_signed_input_moves_the_signature(input in input_strategy(), change in change_strategy()) {
        let before = input.sign().map_err(|e| fail("sign", &e))?;
        let mut changed = input.clone();
        prop_assume!(apply(&mut changed, change));
        let after = changed.sign().map_err(|e| fail("sign changed input", &e))?;
        prop_assert_ne!(signature(before.url()), signature(after.url()), "{:?} -> {:?}", input, changed);
    }

    /// Percent-decoding the path after the bucket gives back the key, byte for byte.
    #[test]
    fn key_round_trips_through_the_path(input in input_strategy()) {
        let signed = input.sign().map_err(|e| fail("sign", &e))?;
        let url = signed.url();
        let prefix = input.key_prefix();
        prop_assert!(url.starts_with(&prefix), "{} does not start with {}", url, prefix);
        let path = &url[prefix.len()..url.find('?').unwrap_or(url.len())];
        let decoded: Vec<u8> = percent_decode_str(path).collect();
        prop_assert_eq!(decoded, input.key.as_bytes().to_vec());
    }

    /// Every URL parses as scheme://host[:port]/path?query with the X-Amz-* set exactly once.
    #[test]
    fn every_url_is_well_formed(input in input_strategy()) {
        let signed = input.sign().map_err(|e| fail("sign", &e))?;
        if let Err(problem) = check_url(signed.url(), &input) {
            prop_assert!(false, "{}: {}", problem, signed.url());
        }
        if input.method == Method::Put {
            prop_assert_eq!(signed.headers, vec![("content-type".to_owned(), input.content_type.clone())]);
        } else {
            prop_assert!(signed.headers.is_empty(), "{:?}", signed.headers);
        }
    }

    /// The buffer-writing entry points produce the very same URL as `presign`.
    #[test]
    fn all_entry_points_agree(input in input_strategy()) {
        let presigner = input.presigner();
        let signed = input.sign_with(&presigner).map_err(|e| fail("sign", &e))?;
        let ct = ContentType::new(&input.content_type).map_err(|e| fail("content type", &e))?;
        let ttl = Ttl::from_secs(input.ttl).map_err(|e| fail("ttl", &e))?;
        let request = match input.method {
            Method::Put => ObjectRequest::put(&input.bucket, &input.key, &ct, PutTtl::from_secs(input.ttl).map_err(|e| fail("ttl", &e))?),
            m => ObjectRequest::new(m, &input.bucket, &input.key, ttl),
        };
        let mut reused = String::from("left over from a previous call");
        let view = presigner.presign_into(&request, input.now(), &mut reused).map_err(|e| fail("presign_into", &e))?;
        prop_assert_eq!(view.url(), signed.url());
        prop_assert_eq!(view.method(), input.method);
        prop_assert_eq!(view.expires_at(), signed.expires_at);
        let expected_headers: Vec<(String, String)> = signed.headers.clone();
        let got_headers: Vec<(String, String)> = view.headers().map(|(n, v)| (n.to_owned(), v.to_owned())).collect();
        prop_assert_eq!(got_headers, expected_headers);

        // `max_url_len` is an upper bound, and a buffer that long always fits.
        let max = presigner.max_url_len(&request);
        prop_assert!(signed.url().len() <= max, "{} > {}", signed.url().len(), max);
        let mut roomy = vec![0_u8; max];
        let in_max = presigner.presign_to_slice(&request, input.now(), &mut roomy).map_err(|e| fail("max_url_len buffer", &e))?;
        prop_assert_eq!(in_max.url(), signed.url());

        let mut buf = vec![0_u8; signed.url().len()];
        let view = presigner.presign_to_slice(&request, input.now(), &mut buf).map_err(|e| fail("exact-size buffer", &e))?;
        prop_assert_eq!(view.url(), signed.url());
        prop_assert_eq!(view.expires_at(), signed.expires_at);

        let mut small = vec![0_u8; signed.url().len() - 1];
        let err = presigner.presign_to_slice(&request, input.now(), &mut small).map(|v| v.url().len());
        prop_assert!(matches!(err, Err(Error::BufferTooSmall { .. })), "{:?}", err);
    }

    /// Inserting a `.` or `..` segment anywhere makes the key refused.
    #[test]
    fn dot_segments_are_refused(input in input_strategy(), dot in select(vec![".", ".."]), at in any::<prop::sample::Index>()) {
        let mut segments: Vec<&str> = input.key.split('/').collect();
        let at = at.index(segments.len() + 1);
        segments.insert(at, dot);
        let key = segments.join("/");
        prop_assume!(key.len() <= MAX_KEY_LEN);
        let bad = Input { key, ..input };
        prop_assert_eq!(bad.sign().map(Signed::into_url), Err(Error::DotSegmentInKey));
    }

    /// Keys longer than 1024 bytes are refused with their length.
    #[test]
    fn long_keys_are_refused(input in input_strategy(), extra in 1_usize..2000) {
        let key = "k".repeat(MAX_KEY_LEN + extra);
        let len = key.len();
        let bad = Input { key, ..input };
        let err = bad.sign().map(Signed::into_url);
        prop_assert!(
            matches!(err, Err(Error::TooLong { len: l, max: MAX_KEY_LEN, .. }) if l == len),
            "{:?}", err
        );
    }

    /// TTLs outside 1 ..= 604800 s are refused by every TTL type.
    #[test]
    fn ttls_out_of_range_are_refused(secs in prop_oneof![Just(0_u64), (MAX_TTL + 1)..u64::MAX]) {
        let expected = Error::TtlOutOfRange { secs, min: 1, max: MAX_TTL };
        prop_assert_eq!(GetTtl::from_secs(secs), Err(expected.clone()));
        prop_assert_eq!(PutTtl::from_secs(secs), Err(expected.clone()));
        prop_assert_eq!(Ttl::from_secs(secs), Err(expected.clone()));
        prop_assert_eq!(Ttl::new(Duration::from_secs(secs)), Err(expected));
    }

    /// Fractional TTLs are refused, whole ones in range accepted.
    #[test]
    fn ttl_durations(secs in 1..=MAX_TTL, nanos in 1_u32..1_000_000_000) {
        prop_assert_eq!(Ttl::new(Duration::new(secs, nanos)), Err(Error::TtlNotWholeSeconds));
        prop_assert_eq!(GetTtl::new(Duration::from_secs(secs)).map(GetTtl::as_secs), Ok(u32::try_from(secs).map_err(|e| fail("small", &e))?));
    }
}

/// The bucket naming rules as documented (S3 general purpose buckets; R2 also forbids '.';
/// AWS S3 reserves some prefixes and suffixes): `None` when valid, else whether the refusal
/// is for emptiness (`true`) or a naming rule (`false`).
fn bucket_rule_broken(bucket: &str, r2: bool, aws: bool) -> Option<bool> {
    if bucket.is_empty() {
        return Some(true);
    }
    let alnum = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    let ipv4 = bucket.split('.').count() == 4
        && bucket
            .split('.')
            .all(|l| !l.is_empty() && l.bytes().all(|b| b.is_ascii_digit()));
    let broken = !(3..=63).contains(&bucket.len())
        || !bucket
            .bytes()
            .all(|b| alnum(b) || b == b'-' || (b == b'.' && !r2))
        || !alnum(bucket.as_bytes()[0])
        || !alnum(bucket.as_bytes()[bucket.len() - 1])
        || bucket.contains("..")
        || ipv4
        || (aws
            && (["xn--", "sthree-", "amzn-s3-demo-"]
                .iter()
                .any(|p| bucket.starts_with(p))
                || ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"]
                    .iter()
                    .any(|x| bucket.ends_with(x))));
    broken.then_some(false)
}

fn bucket_strategy() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        6 => "[a-z0-9]{1,6}",
        2 => select(vec!["-", ".", "..", "-.", ".-"]).prop_map(str::to_owned),
        1 => select(vec![
            "xn--", "sthree-", "amzn-s3-demo-", "-s3alias", "--ol-s3", ".mrap", "--x-s3",
            "--table-s3", "A", "_", " ", "é", "/", "192.168.0.1", "1.2.3",
        ])
        .prop_map(str::to_owned),
    ];
    prop_oneof![
        proptest::collection::vec(piece, 0..10).prop_map(|p| p.concat()),
        "[a-z0-9]{60,70}",
    ]
}

proptest! {
    #![proptest_config(config(512))]

    /// Bucket names are accepted or refused exactly as the documented rules say, on R2,
    /// AWS S3 and custom endpoints.
    #[test]
    fn bucket_names_follow_the_documented_rules(bucket in bucket_strategy(), flavor in 0_u8..3) {
        let creds = Credentials::new("AKIDEXAMPLE", "secret").map_err(|e| fail("creds", &e))?;
        let endpoint = match flavor {
            0 => Endpoint::r2("0123456789abcdef0123456789abcdef"),
            1 => Endpoint::aws_s3("us-east-1"),
            _ => Endpoint::custom("https://minio.example.com", "us-east-1"),
        }
        .map_err(|e| fail("endpoint", &e))?
        .with_addressing(AddressingStyle::Path);
        let presigner = Presigner::new(endpoint, creds);
        let got = presigner
            .get_object(&bucket, "key", GetTtl::default(), base().now())
            .map(PresignedRequest::into_url);
        match bucket_rule_broken(&bucket, flavor == 0, flavor == 1) {
            None => prop_assert!(got.is_ok(), "{:?} refused: {:?}", bucket, got),
            Some(true) => prop_assert!(matches!(got, Err(Error::Empty { .. })), "{:?}: {:?}", bucket, got),
            Some(false) => prop_assert!(
                matches!(got, Err(Error::InvalidBucketName { .. })),
                "{:?}: {:?}", bucket, got
            ),
        }
    }

    /// Neither `Debug` of the credentials, the presigner or a presigned request nor any error
    /// shows the secret or the session token (nor the signature, a bearer credential).
    #[test]
    fn secrets_stay_out_of_debug_output(input in input_strategy(), bad in 0_usize..40) {
        let presigner = input.presigner();
        let mut creds = Credentials::new(&input.access_key, &input.secret).map_err(|e| fail("creds", &e))?;
        if let Some(token) = &input.token {
            creds = creds.with_session_token(token).map_err(|e| fail("token", &e))?;
        }
        let ct = ContentType::new(&input.content_type).map_err(|e| fail("content type", &e))?;
        let request = ObjectRequest::put(&input.bucket, &input.key, &ct, PutTtl::default());
        let signed = presigner.presign(&request, input.now()).map_err(|e| fail("sign", &e))?;
        let sig = signature(signed.url()).to_owned();
        let texts = [
            format!("{creds:?}"),
            format!("{presigner:?}"),
            format!("{signed:?}"),
        ];
        for text in &texts {
            prop_assert!(!text.contains(&input.secret), "secret in {}", text);
            prop_assert!(!text.contains(&sig), "signature in {}", text);
            if let Some(token) = &input.token {
                prop_assert!(!text.contains(token.as_str()), "token in {}", text);
                let encoded = uri_encode(token);
                prop_assert!(!text.contains(&encoded), "encoded token in {}", text);
            }
        }
        // A secret refused for one bad byte: the error names the byte, never the secret.
        let mut broken = input.secret.clone();
        broken.insert(bad.min(broken.len()), '\n');
        let err = Credentials::new(&input.access_key, &broken).map(|_| ()).expect_err("refused");
        let shown = format!("{err:?} {err}");
        prop_assert!(!shown.contains(&input.secret[..20]), "{}", shown);
    }

    /// A refused request leaves `presign_into`'s buffer empty, never a partial URL.
    #[test]
    fn presign_into_leaves_nothing_behind_on_error(input in input_strategy()) {
        let presigner = input.presigner();
        let key = format!("{}/../x", input.key);
        let request = ObjectRequest::get(&input.bucket, &key, GetTtl::default());
        let mut url = String::from("stale");
        let result = presigner.presign_into(&request, input.now(), &mut url);
        prop_assert_eq!(result.map(|m| m.method()), Err(Error::DotSegmentInKey));
        prop_assert_eq!(url, "");
    }
}

// ---------------------------------------------------------------------------------------------
// Refused inputs, one by one
// ---------------------------------------------------------------------------------------------

fn base() -> Input {
    Input {
        method: Method::Get,
        virtual_hosted: false,
        bucket: "my-bucket".to_owned(),
        key: "photos/cat.jpg".to_owned(),
        content_type: "image/jpeg".to_owned(),
        ttl: 3600,
        time: 1_700_000_000,
        region: "us-east-1".to_owned(),
        access_key: "AKIDEXAMPLE".to_owned(),
        secret: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY".to_owned(),
        token: None,
    }
}

#[test]
fn the_base_input_is_accepted() {
    let input = base();
    let signed = input.sign().expect("base input signs");
    check_url(signed.url(), &input).expect("well-formed");
}

#[test]
fn empty_key_is_refused() {
    let bad = Input {
        key: String::new(),
        ..base()
    };
    let err = bad.sign().map(Signed::into_url);
    assert!(matches!(err, Err(Error::Empty { .. })), "{err:?}");
}

#[test]
fn key_of_exactly_1024_bytes_is_accepted() {
    let ok = Input {
        key: "é".repeat(512),
        ..base()
    };
    assert_eq!(ok.key.len(), MAX_KEY_LEN);
    ok.sign().expect("1024-byte key");
}

#[test]
fn invalid_content_types_are_refused() {
    for bad in [
        "video",
        " video/mp4",
        "video/mp4 ",
        "video/mp4\r\nx-evil: 1",
        "video/mp4\n",
        "text/plain;\tcharset=utf-8",
        "/mp4",
        "video/",
        "vid eo/mp4",
        "tëxt/plain",
        "text/plain; charset",
        "text/plain; =utf-8",
        "text/plain; charset=\"utf-8",
        "text/plain;; charset=utf-8",
        "text/plain; charset=utf 8",
        "a/b/c",
        "a/b\u{0}",
    ] {
        let err = ContentType::new(bad);
        assert!(
            matches!(err, Err(Error::InvalidContentType { .. })),
            "{bad:?}: {err:?}"
        );
    }
    let err = ContentType::new("");
    assert!(
        matches!(
            err,
            Err(Error::Empty { .. } | Error::InvalidContentType { .. })
        ),
        "empty: {err:?}"
    );
    let long = format!("application/{}", "x".repeat(300));
    let err = ContentType::new(&long);
    assert!(
        matches!(err, Err(Error::TooLong { len, .. }) if len == long.len()),
        "long: {err:?}"
    );
}

#[test]
fn invalid_bucket_names_are_refused() {
    for bad in [
        "ab",
        &"a".repeat(64),
        "My-Bucket",
        "my_bucket",
        "-bucket",
        "bucket-",
        "my..bucket",
        ".bucket",
        "bucket.",
        "my bucket",
        "my/bucket",
        "bücket",
        "192.168.1.1",
    ] {
        let input = Input {
            bucket: bad.to_owned(),
            ..base()
        };
        let err = input.sign().map(Signed::into_url);
        assert!(
            matches!(err, Err(Error::InvalidBucketName { .. })),
            "{bad:?}: {err:?}"
        );
    }
    let input = Input {
        bucket: String::new(),
        ..base()
    };
    let err = input.sign().map(Signed::into_url);
    assert!(
        matches!(
            err,
            Err(Error::Empty { .. } | Error::InvalidBucketName { .. })
        ),
        "empty bucket: {err:?}"
    );
}

#[test]
fn dotted_bucket_cannot_be_virtual_hosted_over_https() {
    let input = Input {
        bucket: "my.bucket".to_owned(),
        virtual_hosted: true,
        ..base()
    };
    assert_eq!(
        input.sign().map(Signed::into_url),
        Err(Error::BucketNotVirtualHostable)
    );
    // Path style carries it fine.
    let path = Input {
        virtual_hosted: false,
        ..input
    };
    path.sign().expect("path style takes dotted buckets");
}

#[test]
fn ttl_edges() {
    assert_eq!(GetTtl::from_secs(1).map(GetTtl::as_secs), Ok(1));
    assert_eq!(PutTtl::from_secs(MAX_TTL).map(PutTtl::as_secs), Ok(604_800));
    assert_eq!(GetTtl::default().as_secs(), 3600);
    assert_eq!(PutTtl::default().as_secs(), 1800);
    assert_eq!(
        Ttl::from_secs(0),
        Err(Error::TtlOutOfRange {
            secs: 0,
            min: 1,
            max: MAX_TTL
        })
    );
    assert_eq!(
        GetTtl::new(Duration::from_millis(1500)),
        Err(Error::TtlNotWholeSeconds)
    );
}

fn presign_with_extras(
    query: &[(&str, &str)],
    headers: &[(&str, &str)],
    method: Method,
) -> Result<String, Error> {
    let input = base();
    let ct = ContentType::new("text/plain").expect("ct");
    let mut request = match method {
        Method::Put => ObjectRequest::put(&input.bucket, &input.key, &ct, PutTtl::default()),
        m => ObjectRequest::new(
            m,
            &input.bucket,
            &input.key,
            Ttl::from_secs(60).expect("ttl"),
        ),
    };
    if !query.is_empty() {
        request = request.with_query(query);
    }
    if !headers.is_empty() {
        request = request.with_headers(headers);
    }
    input
        .presigner()
        .presign(&request, input.now())
        .map(PresignedRequest::into_url)
}

#[test]
fn reserved_query_parameters_are_refused() {
    for name in [
        "X-Amz-Algorithm",
        "X-Amz-Credential",
        "X-Amz-Date",
        "X-Amz-Expires",
        "X-Amz-SignedHeaders",
        "X-Amz-Signature",
        "X-Amz-Security-Token",
        "x-amz-signature",
        "X-AMZ-DATE",
    ] {
        let err = presign_with_extras(&[(name, "1")], &[], Method::Get);
        assert!(
            matches!(err, Err(Error::ReservedQueryParameter { .. })),
            "{name}: {err:?}"
        );
    }
    // Ordinary parameters are fine.
    presign_with_extras(
        &[("versionId", "3"), ("x-id", "GetObject")],
        &[],
        Method::Get,
    )
    .expect("ordinary parameters");
}

#[test]
fn reserved_headers_are_refused() {
    for (name, method) in [
        ("host", Method::Get),
        ("Host", Method::Put),
        ("content-type", Method::Put),
        ("Content-Type", Method::Put),
    ] {
        let err = presign_with_extras(&[], &[(name, "x")], method);
        assert!(
            matches!(err, Err(Error::ReservedHeader { .. })),
            "{name} on {method:?}: {err:?}"
        );
    }
    presign_with_extras(&[], &[("x-amz-meta-author", "me")], Method::Put)
        .expect("ordinary signed header");
}

#[test]
fn header_values_with_line_breaks_are_refused() {
    for value in ["a\r\nb", "a\nb", "a\rb", "a\u{0}b"] {
        let err = presign_with_extras(&[], &[("x-amz-meta-a", value)], Method::Get);
        assert!(
            matches!(err, Err(Error::InvalidCharacter { .. })),
            "{value:?}: {err:?}"
        );
    }
}

#[test]
fn expired_credentials_are_refused_and_lifetimes_clamped() {
    let input = base();
    let now = input.now();
    let request = ObjectRequest::get(
        &input.bucket,
        &input.key,
        GetTtl::from_secs(3600).expect("ttl"),
    );

    for expiry in [now, now - Duration::from_secs(1)] {
        let creds = Credentials::new(&input.access_key, &input.secret)
            .expect("creds")
            .with_expiry(expiry);
        let presigner = Presigner::new(input.endpoint(), creds);
        assert_eq!(
            presigner
                .presign(&request, now)
                .map(PresignedRequest::into_url),
            Err(Error::CredentialsExpired)
        );
    }

    let creds = Credentials::new(&input.access_key, &input.secret)
        .expect("creds")
        .with_expiry(now + Duration::from_secs(100));
    let signed = Presigner::new(input.endpoint(), creds)
        .presign(&request, now)
        .expect("clamped");
    assert_eq!(query_param(signed.url(), "X-Amz-Expires"), Some("100"));
    assert_eq!(signed.expires_at(), now + Duration::from_secs(100));

    // Expiry after the TTL: nothing to clamp.
    let creds = Credentials::new(&input.access_key, &input.secret)
        .expect("creds")
        .with_expiry(now + Duration::from_secs(7200));
    let signed = Presigner::new(input.endpoint(), creds)
        .presign(&request, now)
        .expect("not clamped");
    assert_eq!(query_param(signed.url(), "X-Amz-Expires"), Some("3600"));
}

#[test]
fn invalid_endpoints_are_refused() {
    for url in [
        "ftp://example.com",
        "example.com",
        "https://",
        "https://:9000",
        "https://example.com:0",
        "https://example.com:65536",
        "https://example.com:port",
        "https://example.com?x=1",
        "https://example.com#frag",
        "https://user@example.com",
        "https://Example.com",
        "https://exa mple.com",
        "https://example..com",
        "https://example.com/base/../up",
        "https://example.com/a b",
        "http://[::1",
    ] {
        let err = Endpoint::custom(url, "us-east-1");
        assert!(
            matches!(err, Err(Error::InvalidEndpoint { .. })),
            "{url}: {err:?}"
        );
    }
    for account in [
        "",
        "0123",
        "0123456789ABCDEF0123456789ABCDEF",
        "0123456789abcdef0123456789abcdeg",
    ] {
        let err = Endpoint::r2(account);
        assert!(
            matches!(
                err,
                Err(Error::InvalidEndpoint { .. } | Error::Empty { .. })
            ),
            "{account:?}: {err:?}"
        );
    }
    assert!(matches!(Endpoint::aws_s3(""), Err(Error::Empty { .. })));
    assert!(matches!(
        Endpoint::aws_s3("US-EAST-1"),
        Err(Error::InvalidCharacter { .. })
    ));
    assert!(matches!(
        Endpoint::aws_s3("us east 1"),
        Err(Error::InvalidCharacter {
            byte: Some(b' '),
            index: 2,
            ..
        })
    ));
    assert!(matches!(
        Endpoint::aws_s3(&"a".repeat(65)),
        Err(Error::TooLong { len: 65, .. })
    ));
}

#[test]
fn ip_endpoints_cannot_be_virtual_hosted() {
    let creds = Credentials::new("AKIDEXAMPLE", "secret").expect("creds");
    for url in ["http://127.0.0.1:9000", "http://[::1]:9000"] {
        let endpoint = Endpoint::custom(url, "us-east-1")
            .expect("endpoint")
            .with_addressing(AddressingStyle::VirtualHosted);
        let presigner = Presigner::new(endpoint, creds.clone());
        let err = presigner
            .get_object("bucket", "key", GetTtl::default(), base().now())
            .map(PresignedRequest::into_url);
        assert!(
            matches!(err, Err(Error::InvalidEndpoint { .. })),
            "{url}: {err:?}"
        );
    }
}

#[test]
fn invalid_credentials_are_refused() {
    assert!(matches!(
        Credentials::new("", "secret"),
        Err(Error::Empty { .. })
    ));
    assert!(matches!(
        Credentials::new("AKID", ""),
        Err(Error::Empty { .. })
    ));
    assert!(matches!(
        Credentials::new("AK/ID", "secret"),
        Err(Error::InvalidCharacter {
            byte: Some(b'/'),
            index: 2,
            ..
        })
    ));
    assert!(matches!(
        Credentials::new("AKID", "sec\nret"),
        Err(Error::InvalidCharacter { .. })
    ));
    assert!(matches!(
        Credentials::new(" AKID", "secret"),
        Err(Error::InvalidCharacter { .. })
    ));
    assert!(matches!(
        Credentials::new(&"A".repeat(129), "secret"),
        Err(Error::TooLong { len: 129, .. })
    ));
    let creds = Credentials::new("AKID", "secret").expect("creds");
    assert!(matches!(
        creds.clone().with_session_token(""),
        Err(Error::Empty { .. })
    ));
    assert!(matches!(
        creds.with_session_token("tok\r\nen"),
        Err(Error::InvalidCharacter { .. })
    ));
}

#[test]
fn signing_times_outside_the_calendar_are_refused() {
    let input = base();
    let presigner = input.presigner();
    let request = ObjectRequest::get(
        &input.bucket,
        &input.key,
        GetTtl::from_secs(60).expect("ttl"),
    );
    let before_year_0 = OffsetDateTime::from_unix_timestamp(-62_167_219_201).expect("year -1");
    assert_eq!(
        presigner
            .presign(&request, before_year_0)
            .map(PresignedRequest::into_url),
        Err(Error::SigningTimeOutOfRange)
    );
    // The last second of 9999 signs, but a URL from it would expire in year 10000.
    let last = OffsetDateTime::from_unix_timestamp(253_402_300_799).expect("9999-12-31");
    assert_eq!(
        presigner
            .presign(&request, last)
            .map(PresignedRequest::into_url),
        Err(Error::SigningTimeOutOfRange)
    );
    // Year 0 itself is representable.
    let year_0 = OffsetDateTime::from_unix_timestamp(-62_167_219_200).expect("year 0");
    presigner
        .presign(&request, year_0)
        .expect("year 0000 signs");
}

#[test]
fn response_overrides_become_signed_query_parameters() {
    let input = base();
    let overrides = ResponseOverrides::new()
        .content_disposition("attachment; filename=\"e.mp4\"")
        .content_type("video/mp4");
    let signed = input
        .presigner()
        .presign(
            &ObjectRequest::get(&input.bucket, &input.key, GetTtl::default())
                .with_response_overrides(&overrides),
            input.now(),
        )
        .expect("overrides");
    assert_eq!(
        query_param(signed.url(), "response-content-disposition"),
        Some("attachment%3B%20filename%3D%22e.mp4%22")
    );
    assert_eq!(
        query_param(signed.url(), "response-content-type"),
        Some("video%2Fmp4")
    );
    let plain = input.sign().expect("plain");
    assert_ne!(signature(signed.url()), signature(plain.url()));
}

/// A `ListPartsResult` page holding the `<Part>`s of a written `CompleteMultipartUpload`
/// body (each given a size), for reading them back.
fn as_list_parts_page(body: &str) -> String {
    let start = body.find('>').map_or(0, |i| i + 1);
    let parts = &body[start
        ..body
            .rfind("</CompleteMultipartUpload>")
            .unwrap_or(body.len())];
    format!(
        "<ListPartsResult><UploadId>u</UploadId><IsTruncated>false</IsTruncated>{}</ListPartsResult>",
        parts.replace("</ETag></Part>", "</ETag><Size>7</Size></Part>")
    )
}

proptest! {
    #![proptest_config(config(256))]

    /// Any list of parts in ascending order, with ETags of any characters XML can carry,
    /// written as a CompleteMultipartUpload body and read back from a ListParts page, gives
    /// the same numbers and ETags (escaping undone exactly).
    #[test]
    fn complete_body_round_trips(
        numbers in prop::collection::btree_set(1u16..=10_000, 1..40),
        etags in prop::collection::vec("[^\\p{Cc}\u{FFFE}\u{FFFF}]{1,40}", 40),
    ) {
        let parts: Vec<presign::CompletedPart<'_>> = numbers
            .iter()
            .zip(&etags)
            .map(|(&n, etag)| presign::CompletedPart::new(n, etag))
            .collect();
        let mut body = String::new();
        presign::write_complete_multipart_upload(&parts, &mut body)
            .map_err(|e| TestCaseError::fail(format!("write: {e}")))?;
        prop_assert!(body.len() <= presign::complete_multipart_upload_max_len(
            parts.len(),
            parts.iter().map(|p| p.etag().len()).sum(),
        ));
        let page = as_list_parts_page(&body);
        let list = presign::ListParts::read(&page)
            .map_err(|e| TestCaseError::fail(format!("read: {e}: {page}")))?;
        let read: Vec<(u16, String)> = list.parts().map(|p| (p.number(), p.etag().to_string())).collect();
        let written: Vec<(u16, String)> = parts.iter().map(|p| (p.number(), p.etag().to_owned())).collect();
        prop_assert_eq!(read, written);
    }

    /// Writing refuses a list that is not strictly ascending, and writes nothing then.
    #[test]
    fn complete_body_refuses_unordered_lists(
        numbers in prop::collection::vec(1u16..=10_000, 2..20),
    ) {
        let ascending = numbers.windows(2).all(|w| w[0] < w[1]);
        let parts: Vec<presign::CompletedPart<'_>> = numbers
            .iter()
            .map(|&n| presign::CompletedPart::new(n, "\"e\""))
            .collect();
        let mut body = String::new();
        let result = presign::write_complete_multipart_upload(&parts, &mut body);
        prop_assert_eq!(result.is_ok(), ascending);
        if !ascending {
            prop_assert!(body.is_empty(), "{}", body);
        }
    }
}
