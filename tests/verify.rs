//! `Verifier` against the signers it must accept and the changes it must refuse.
//!
//! * **Accepts what every signer mints**: at least 1,000 random R2 / AWS / custom cases per
//!   signer (keys with every awkward byte, session tokens, extra signed headers, response
//!   overrides, multipart parameters, both addressing styles), minted by `presign`, the
//!   official `aws-sigv4` (the AWS SDK's settings, through `tests/common`), `rusty-s3` and
//!   Python `botocore` (`tests/differential/botocore_presign.py`), each verified as a server
//!   receives it: the request target and `Host` split from the URL, the signed headers sent
//!   (names in another case now and then) with unsigned ones beside them, at a time inside
//!   the window.
//! * **Equivalent spellings** of a URL verify, and the spellings that mean another request
//!   do not.
//! * **Rejects every single mutation** with the S3 code a real store answers: each query
//!   parameter's name and value, each byte of the path, the method, each signed header, the
//!   host, the time before and after the window, the secret (a property test over random
//!   minted URLs, every mutation of each).
//! * **The AWS SigV4 test suite**: its query-mode cases verify with the suite's credentials
//!   where S3's rules apply to them; where they do not (generic path encoding, path
//!   normalisation, a token appended after signing), the test names the reason and checks
//!   the refusal.
#![cfg(feature = "std")]

mod common;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Duration as StdDuration;

use common::aws_sigv4_ref::{self, Body, Rules, Settings, Signer};
use common::rng::{BASE64, HEX, LOWER_ALNUM, Rng, UPPER_ALNUM, VISIBLE};
use presign::{
    ContentType, Credentials, Endpoint, GetTtl, Jurisdiction, ObjectRequest, PartNumber, Policy,
    PresignedRequest, Presigner, PutTtl, ReceivedRequest, RejectionReason, ResponseOverrides,
    S3ErrorCode, Ttl, UploadId, Verifier,
};
use time::{Duration, OffsetDateTime};

/// Cases per signer.
const CASES: usize = 1200;
/// Fixed seeds: the same inputs every run, so a failure reproduces.
const SEED: u64 = 0x5EED_0E21_F1ED_0010;

// ---------------------------------------------------------------------------------------
// Generator
// ---------------------------------------------------------------------------------------

const HEADER_VALUE: &[u8] = b"abcXYZ019 !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

/// What object keys are made of: unreserved, reserved and non-ASCII characters, runs of
/// slashes, text that looks like escapes or like the signer's own parameters.
const KEY_PIECES: &[&str] = &[
    "a",
    "Z",
    "0",
    "file",
    "photos",
    "2024",
    "-",
    "_",
    "~",
    ".",
    "..",
    ".hidden",
    "a.b",
    " ",
    "  ",
    "+",
    "=",
    "&",
    "%",
    "%20",
    "%2F",
    "%%",
    "!",
    "*",
    "'",
    "(",
    ")",
    "/",
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
    "ß",
    "日本語",
    "🚀",
    "\u{a0}",
    "e\u{301}",
    "\u{feff}",
    "\u{10ffff}",
    "ｆｕｌｌ",
    "\t",
    "\n",
    "\u{1}",
    "\u{7f}",
    "X-Amz-Signature=",
    "?a=b&c=d",
];

const REGIONS: &[&str] = &[
    "us-east-1",
    "us-west-2",
    "eu-west-1",
    "eu-central-1",
    "ap-southeast-2",
    "sa-east-1",
];

const CUSTOM: &[(&str, &str)] = &[
    ("http://127.0.0.1:9000", "us-east-1"),
    ("http://localhost:9000", "us-east-1"),
    ("https://minio.example.com:8443", "us-east-1"),
    ("https://minio.example.com:8443/base/path", "eu-central-003"),
    ("http://10.1.2.3:3900", "garage"),
    ("https://storage.example.org", "auto"),
    ("https://fsn1.your-objectstorage.com", "fsn1"),
];

const CONTENT_TYPES: &[&str] = &[
    "application/octet-stream",
    "text/plain; charset=utf-8",
    "video/mp4",
    "image/svg+xml",
    "application/vnd.apache.parquet",
    "multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW",
    "application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\"",
];

const QUERY_NAMES: &[&str] = &[
    "versionId",
    "x-id",
    "tagging",
    "my param",
    "ünï",
    "a+b",
    "Z",
];

const HEADER_NAMES: &[&str] = &[
    "x-amz-meta-author",
    "x-amz-acl",
    "cache-control",
    "x-amz-server-side-encryption",
    "if-match",
    "x-amz-tagging",
    "content-disposition",
    "x-amz-storage-class",
    "x-amz-meta-a_b",
];

const OVERRIDES: &[&str] = &[
    "response-cache-control",
    "response-content-disposition",
    "response-content-encoding",
    "response-content-language",
    "response-content-type",
    "response-expires",
];

#[derive(Clone, Debug)]
enum Ep {
    R2 { account: String, eu: bool },
    Aws { region: String },
    Custom { url: String, region: String },
}

impl Ep {
    fn base_url(&self) -> String {
        match self {
            Self::R2 { account, eu: true } => {
                format!("https://{account}.eu.r2.cloudflarestorage.com")
            }
            Self::R2 { account, eu: false } => {
                format!("https://{account}.r2.cloudflarestorage.com")
            }
            Self::Aws { region } => format!("https://s3.{region}.amazonaws.com"),
            Self::Custom { url, .. } => url.clone(),
        }
    }

    fn region(&self) -> &str {
        match self {
            Self::R2 { .. } => "auto",
            Self::Aws { region } | Self::Custom { region, .. } => region,
        }
    }

    fn endpoint(&self, virtual_hosted: bool) -> Endpoint {
        let endpoint = match self {
            Self::R2 { account, eu } => Endpoint::r2_in(
                account,
                if *eu {
                    Jurisdiction::Eu
                } else {
                    Jurisdiction::Default
                },
            ),
            Self::Aws { region } => Endpoint::aws_s3(region),
            Self::Custom { url, region } => Endpoint::custom(url, region),
        }
        .expect("valid endpoint");
        endpoint.with_addressing(if virtual_hosted {
            presign::AddressingStyle::VirtualHosted
        } else {
            presign::AddressingStyle::Path
        })
    }
}

/// The S3 operation of a case.
#[derive(Clone, Debug)]
enum Op {
    Get,
    Head,
    Delete,
    Put { content_type: String },
    CreateMultipart { content_type: String },
    UploadPart { upload_id: String, part: u32 },
    Complete { upload_id: String },
    Abort { upload_id: String },
    ListParts { upload_id: String },
}

#[derive(Clone, Debug)]
struct Case {
    id: usize,
    endpoint: Ep,
    virtual_hosted: bool,
    bucket: String,
    key: String,
    op: Op,
    access_key: String,
    secret: String,
    token: Option<String>,
    /// Whole seconds.
    time: OffsetDateTime,
    ttl: u32,
    overrides: Vec<(&'static str, String)>,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
}

impl Case {
    fn method(&self) -> &'static str {
        match self.op {
            Op::Get | Op::ListParts { .. } => "GET",
            Op::Head => "HEAD",
            Op::Delete | Op::Abort { .. } => "DELETE",
            Op::Put { .. } | Op::UploadPart { .. } => "PUT",
            Op::CreateMultipart { .. } | Op::Complete { .. } => "POST",
        }
    }

    fn content_type(&self) -> Option<&str> {
        match &self.op {
            Op::Put { content_type } | Op::CreateMultipart { content_type } => Some(content_type),
            _ => None,
        }
    }

    /// Every query parameter the URL carries besides the signer's, decoded.
    fn params(&self) -> Vec<(String, String)> {
        let mut params: Vec<(String, String)> = match &self.op {
            Op::CreateMultipart { .. } => vec![("uploads".into(), String::new())],
            Op::UploadPart { upload_id, part } => vec![
                ("partNumber".into(), part.to_string()),
                ("uploadId".into(), upload_id.clone()),
            ],
            Op::Complete { upload_id } | Op::Abort { upload_id } | Op::ListParts { upload_id } => {
                vec![("uploadId".into(), upload_id.clone())]
            }
            _ => Vec::new(),
        };
        params.extend(
            self.overrides
                .iter()
                .map(|(n, v)| ((*n).to_owned(), v.clone())),
        );
        params.extend(self.query.iter().cloned());
        params
    }

    /// Every signed header but `host`, as the client sends them.
    fn signed_headers(&self) -> Vec<(String, String)> {
        let mut headers = self.headers.clone();
        if let Some(ct) = self.content_type() {
            headers.push(("content-type".into(), ct.to_owned()));
        }
        headers
    }

    fn credentials(&self) -> Credentials {
        let creds = Credentials::new(&self.access_key, &self.secret).expect("valid");
        match &self.token {
            Some(token) => creds.with_session_token(token).expect("valid token"),
            None => creds,
        }
    }
}

fn gen_key(rng: &mut Rng) -> String {
    let pieces = if rng.chance(3) {
        rng.range(60, 300)
    } else {
        rng.range(1, 12)
    };
    let mut key = String::new();
    for _ in 0..pieces {
        key.push_str(rng.pick::<&str>(KEY_PIECES));
    }
    while key.len() > 1024 {
        key.pop();
    }
    // No `.` or `..` segment: clients remove those before sending, and presign refuses them.
    let key = key
        .split('/')
        .map(|seg| {
            if seg == "." || seg == ".." {
                format!("{seg}x")
            } else {
                seg.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("/");
    if key.len() > 1024 || key.is_empty() {
        "fallback-key".to_owned()
    } else {
        key
    }
}

fn gen_bucket(rng: &mut Rng) -> String {
    let len = usize::try_from(rng.range(3, 24)).expect("small");
    let mut name = rng.string_from(LOWER_ALNUM, len);
    if len > 4 && rng.chance(30) {
        name.replace_range(2..3, "-");
    }
    if name.starts_with("xn--") || name.starts_with("sthree-") {
        name.replace_range(0..1, "b");
    }
    name
}

fn gen_value(rng: &mut Rng) -> String {
    let len = usize::try_from(rng.range(1, 30)).expect("small");
    let v = rng.string_from(HEADER_VALUE, len);
    let v = v.trim_matches(' ').to_owned();
    if v.is_empty() { "v".to_owned() } else { v }
}

fn gen_upload_id(rng: &mut Rng) -> String {
    let len = usize::try_from(rng.range(8, 120)).expect("small");
    rng.string_from(
        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-~+/=",
        len,
    )
}

/// An endpoint, and whether it is addressed virtual-hosted.
fn gen_endpoint(rng: &mut Rng) -> (Ep, bool) {
    let endpoint = match rng.below(10) {
        0..=3 => Ep::R2 {
            account: rng.string_from(HEX, 32),
            eu: rng.chance(25),
        },
        4..=6 => Ep::Aws {
            region: (*rng.pick(REGIONS)).to_owned(),
        },
        _ => {
            let (url, region) = *rng.pick(CUSTOM);
            Ep::Custom {
                url: url.to_owned(),
                region: region.to_owned(),
            }
        }
    };
    let virtual_hosted = match &endpoint {
        Ep::Aws { .. } => rng.chance(70),
        Ep::Custom { url, .. } => {
            !url.contains("127.")
                && !url.contains("10.")
                && !url.contains("localhost")
                && rng.chance(30)
        }
        Ep::R2 { .. } => rng.chance(20),
    };
    (endpoint, virtual_hosted)
}

fn gen_op(rng: &mut Rng) -> Op {
    match rng.below(12) {
        3..=5 => Op::Put {
            content_type: (*rng.pick(CONTENT_TYPES)).to_owned(),
        },
        6 => Op::Head,
        7 => Op::Delete,
        8 => Op::UploadPart {
            upload_id: gen_upload_id(rng),
            part: u32::try_from(rng.range(1, 10_000)).expect("small"),
        },
        9 => match rng.below(4) {
            0 => Op::CreateMultipart {
                content_type: (*rng.pick(CONTENT_TYPES)).to_owned(),
            },
            1 => Op::Complete {
                upload_id: gen_upload_id(rng),
            },
            2 => Op::Abort {
                upload_id: gen_upload_id(rng),
            },
            _ => Op::ListParts {
                upload_id: gen_upload_id(rng),
            },
        },
        _ => Op::Get,
    }
}

/// An access key id and its secret: R2's hex, AWS's form, or any visible ASCII.
fn gen_keys(rng: &mut Rng, endpoint: &Ep) -> (String, String) {
    match endpoint {
        Ep::R2 { .. } => (rng.string_from(HEX, 32), rng.string_from(HEX, 64)),
        _ if rng.chance(10) => {
            let id_len = usize::try_from(rng.range(1, 40)).expect("small");
            let secret_len = usize::try_from(rng.range(1, 128)).expect("small");
            let id: String = rng
                .string_from(VISIBLE, id_len)
                .chars()
                .filter(|&c| c != '/')
                .collect();
            let id = if id.is_empty() { "A".to_owned() } else { id };
            (id, rng.string_from(VISIBLE, secret_len))
        }
        _ => (
            format!("AKIA{}", rng.string_from(UPPER_ALNUM, 16)),
            rng.string_from(BASE64, 40),
        ),
    }
}

fn gen_case(rng: &mut Rng, id: usize) -> Case {
    let (endpoint, virtual_hosted) = gen_endpoint(rng);
    let op = gen_op(rng);
    let (access_key, secret) = gen_keys(rng, &endpoint);
    let token = rng.chance(30).then(|| {
        let len = usize::try_from(rng.range(16, 1200)).expect("small");
        let mut token = rng.string_from(BASE64, len);
        token.push_str(&"=".repeat(usize::try_from(rng.below(3)).expect("small")));
        token
    });
    // 1970 ..= 2100, whole seconds.
    let secs = i64::try_from(rng.range(0, 4_102_444_799)).expect("fits");
    let time = OffsetDateTime::from_unix_timestamp(secs).expect("in range");
    let ttl = if rng.chance(30) {
        *rng.pick(&[1_u32, 2, 60, 900, 3600, 86_400, 604_799, 604_800])
    } else {
        u32::try_from(rng.range(1, 604_800)).expect("small")
    };
    let (overrides, query, headers) = gen_extras(rng, &op);
    Case {
        id,
        bucket: gen_bucket(rng),
        key: gen_key(rng),
        endpoint,
        virtual_hosted,
        op,
        access_key,
        secret,
        token,
        time,
        ttl,
        overrides,
        query,
        headers,
    }
}

/// The response overrides (GET), extra query parameters (GET, HEAD) and extra signed
/// headers of a case.
#[allow(
    clippy::type_complexity,
    reason = "three plain lists, named at the call"
)]
fn gen_extras(
    rng: &mut Rng,
    op: &Op,
) -> (
    Vec<(&'static str, String)>,
    Vec<(String, String)>,
    Vec<(String, String)>,
) {
    let mut overrides = Vec::new();
    if matches!(op, Op::Get) && rng.chance(30) {
        for name in OVERRIDES {
            if rng.chance(40) {
                let value = if rng.chance(50) {
                    gen_key(rng)
                } else {
                    gen_value(rng)
                };
                overrides.push((*name, value));
            }
        }
    }
    let mut query: Vec<(String, String)> = Vec::new();
    if matches!(op, Op::Get | Op::Head) && rng.chance(20) {
        for _ in 0..rng.range(1, 3) {
            let name = (*rng.pick(QUERY_NAMES)).to_owned();
            if query.iter().any(|(n, _)| *n == name) {
                continue;
            }
            let value = if rng.chance(20) {
                String::new()
            } else {
                gen_key(rng)
            };
            query.push((name, value));
        }
    }
    let mut headers: Vec<(String, String)> = Vec::new();
    if rng.chance(25) {
        for _ in 0..rng.range(1, 4) {
            let name = (*rng.pick(HEADER_NAMES)).to_owned();
            if headers.iter().any(|(n, _)| *n == name) {
                continue;
            }
            headers.push((name, gen_value(rng)));
        }
    }
    (overrides, query, headers)
}

fn gen_cases(seed: u64, n: usize) -> Vec<Case> {
    let mut rng = Rng(seed);
    (0..n).map(|id| gen_case(&mut rng, id)).collect()
}

// ---------------------------------------------------------------------------------------
// The signers
// ---------------------------------------------------------------------------------------

fn upload(id: &str) -> UploadId<'_> {
    UploadId::new(id).expect("valid upload id")
}

/// `presign` itself, through its typed operations.
fn presign_url(case: &Case) -> PresignedRequest {
    let presigner = Presigner::new(
        case.endpoint.endpoint(case.virtual_hosted),
        case.credentials(),
    );
    let (bucket, key) = (case.bucket.as_str(), case.key.as_str());
    let ttl = Ttl::from_secs(case.ttl.into()).expect("valid");
    let get_ttl = GetTtl::from_secs(case.ttl.into()).expect("valid");
    let put_ttl = PutTtl::from_secs(case.ttl.into()).expect("valid");
    let query: Vec<(&str, &str)> = case
        .query
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let headers: Vec<(&str, &str)> = case
        .headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let mut overrides = ResponseOverrides::new();
    for (name, value) in &case.overrides {
        overrides = match *name {
            "response-cache-control" => overrides.cache_control(value),
            "response-content-disposition" => overrides.content_disposition(value),
            "response-content-encoding" => overrides.content_encoding(value),
            "response-content-language" => overrides.content_language(value),
            "response-content-type" => overrides.content_type(value),
            _ => overrides.expires(value),
        };
    }
    let content_type = case
        .content_type()
        .map(|ct| ContentType::new(ct).expect("valid"));
    let mut request = match &case.op {
        Op::Get => ObjectRequest::get(bucket, key, get_ttl),
        Op::Head => ObjectRequest::head(bucket, key, get_ttl),
        Op::Delete => ObjectRequest::delete(bucket, key, ttl),
        Op::Put { .. } => ObjectRequest::put(
            bucket,
            key,
            content_type.as_ref().expect("a put has one"),
            put_ttl,
        ),
        Op::CreateMultipart { .. } => ObjectRequest::create_multipart_upload(
            bucket,
            key,
            content_type.as_ref().expect("a create has one"),
            ttl,
        ),
        Op::UploadPart { upload_id, part } => ObjectRequest::upload_part(
            bucket,
            key,
            upload(upload_id),
            PartNumber::new(*part).expect("valid"),
            put_ttl,
        ),
        Op::Complete { upload_id } => {
            ObjectRequest::complete_multipart_upload(bucket, key, upload(upload_id), ttl)
        }
        Op::Abort { upload_id } => {
            ObjectRequest::abort_multipart_upload(bucket, key, upload(upload_id), ttl)
        }
        Op::ListParts { upload_id } => ObjectRequest::list_parts(
            bucket,
            key,
            upload(upload_id),
            presign::PartsPage::FIRST,
            get_ttl,
        ),
    };
    if !case.overrides.is_empty() {
        request = request.with_response_overrides(&overrides);
    }
    if !query.is_empty() {
        request = request.with_query(&query);
    }
    if !headers.is_empty() {
        request = request.with_headers(&headers);
    }
    presigner
        .presign(&request, case.time)
        .expect("presign signs every generated case")
}

/// The object URL without signing parameters, encoded as the AWS SDK sends it.
fn object_url(case: &Case) -> String {
    let base = case.endpoint.base_url();
    let (scheme, rest) = base.split_once("://").expect("scheme");
    let (authority, base_path) = match rest.find('/') {
        Some(i) => (&rest[..i], rest[i..].trim_end_matches('/')),
        None => (rest, ""),
    };
    let key = common::uri_encode_path(&case.key);
    let mut url = if case.virtual_hosted {
        format!("{scheme}://{}.{authority}{base_path}/{key}", case.bucket)
    } else {
        format!("{scheme}://{authority}{base_path}/{}/{key}", case.bucket)
    };
    for (i, (name, value)) in case.params().iter().enumerate() {
        url.push(if i == 0 { '?' } else { '&' });
        url.push_str(&common::uri_encode(name));
        url.push('=');
        url.push_str(&common::uri_encode(value));
    }
    url
}

fn aws_sigv4_url(case: &Case) -> String {
    let signer = Signer::new(&case.access_key, &case.secret, case.token.as_deref());
    let headers = case.signed_headers();
    let headers: Vec<(&str, &str)> = headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let url = object_url(case);
    signer
        .presign(
            &aws_sigv4_ref::Request {
                method: case.method(),
                url: &url,
                headers: &headers,
                body: Body::Unsigned,
            },
            &Settings {
                region: case.endpoint.region(),
                service: "s3",
                time: case.time,
                expires_in_secs: case.ttl,
                rules: Rules::S3,
                token_after_signing: false,
            },
        )
        .unwrap_or_else(|e| panic!("aws-sigv4 signs case {}: {e}", case.id))
}

fn rusty_s3_url(case: &Case) -> String {
    use rusty_s3::S3Action as _;
    let style = if case.virtual_hosted {
        rusty_s3::UrlStyle::VirtualHost
    } else {
        rusty_s3::UrlStyle::Path
    };
    let bucket = rusty_s3::Bucket::new(
        case.endpoint.base_url().parse().expect("url"),
        style,
        case.bucket.clone(),
        case.endpoint.region().to_owned(),
    )
    .expect("bucket");
    let creds = match &case.token {
        Some(token) => rusty_s3::Credentials::new_with_token(&case.access_key, &case.secret, token),
        None => rusty_s3::Credentials::new(&case.access_key, &case.secret),
    };
    let time = jiff::Timestamp::from_second(case.time.unix_timestamp()).expect("time");
    let expires = StdDuration::from_secs(case.ttl.into());
    let params = case.params();
    let headers = case.signed_headers();
    macro_rules! sign {
        ($action:expr) => {{
            let mut action = $action;
            for (name, value) in &params {
                action.query_mut().insert(name.as_str(), value.as_str());
            }
            for (name, value) in &headers {
                action.headers_mut().insert(name.as_str(), value.as_str());
            }
            action.sign_with_time(expires, &time).to_string()
        }};
    }
    let key = case.key.as_str();
    match case.method() {
        "GET" => sign!(bucket.get_object(Some(&creds), key)),
        "HEAD" => sign!(bucket.head_object(Some(&creds), key)),
        "DELETE" => sign!(bucket.delete_object(Some(&creds), key)),
        "PUT" => sign!(bucket.put_object(Some(&creds), key)),
        // rusty-s3's POST actions carry their own parameters; the create and complete steps
        // are signed as the bare `create_multipart_upload` (`?uploads`) action.
        _ => sign!(bucket.create_multipart_upload(Some(&creds), key)),
    }
}

fn botocore_script() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/differential/botocore_presign.py")
}

/// botocore's URLs by case id; `None` when python3 or botocore is missing outside CI.
fn botocore_urls(cases: &[Case]) -> Option<BTreeMap<usize, String>> {
    let probe = Command::new("python3")
        .arg(botocore_script())
        .arg("--probe")
        .stdin(Stdio::null())
        .output();
    if !probe.as_ref().is_ok_and(|out| out.status.success()) {
        assert!(
            std::env::var_os("CI").is_none(),
            "botocore is needed in CI: pip install botocore"
        );
        eprintln!("note: botocore is missing (pip install botocore): its cases are skipped");
        return None;
    }
    let mut child = Command::new("python3")
        .arg(botocore_script())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("spawn python3");
    let mut input = String::new();
    for case in cases {
        let request = serde_json::json!({
            "id": case.id,
            "method": case.method(),
            "endpoint": case.endpoint.base_url(),
            "virtual_hosted": case.virtual_hosted,
            "bucket": case.bucket,
            "key": case.key,
            "access_key": case.access_key,
            "secret": case.secret,
            "token": case.token,
            "region": case.endpoint.region(),
            "time": case.time.unix_timestamp(),
            "expires": case.ttl,
            "query": case.params(),
            "headers": case.signed_headers(),
        });
        input.push_str(&request.to_string());
        input.push('\n');
    }
    let mut stdin = child.stdin.take().expect("stdin");
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()).expect("write"));
    let mut urls = BTreeMap::new();
    for line in BufReader::new(child.stdout.take().expect("stdout")).lines() {
        let reply: serde_json::Value = serde_json::from_str(&line.expect("read")).expect("JSON");
        let id = usize::try_from(reply["id"].as_u64().expect("id")).expect("fits");
        let url = reply["url"]
            .as_str()
            .unwrap_or_else(|| panic!("botocore refused case {id}: {}", reply["error"]));
        urls.insert(id, url.to_owned());
    }
    writer.join().expect("writer");
    assert!(
        child.wait().expect("wait").success(),
        "botocore script failed"
    );
    Some(urls)
}

// ---------------------------------------------------------------------------------------
// Receiving
// ---------------------------------------------------------------------------------------

/// The `Host` header and the request target a client sends for `url`.
fn host_and_target(url: &str) -> (&str, &str) {
    let rest = url.split_once("://").expect("absolute URL").1;
    let at = rest.find(['/', '?']).unwrap_or(rest.len());
    (&rest[..at], &rest[at..])
}

/// Verifies a minted URL as a server receives it, with the headers the signer bound; `Err`
/// with the whole story when it is refused.
fn accepts(peer: &str, case: &Case, url: &str, rng: &mut Rng) -> Result<(), String> {
    let (host, target) = host_and_target(url);
    // The signed headers as sent, names sometimes in another case, and unsigned headers
    // (not `x-amz-*`) beside them, which S3 ignores.
    let mut sent: Vec<(String, String)> = case
        .signed_headers()
        .into_iter()
        .map(|(name, value)| {
            if rng.chance(30) {
                (name.to_uppercase(), value)
            } else {
                (name, value)
            }
        })
        .collect();
    sent.push(("User-Agent".into(), "curl/8.5.0".into()));
    sent.push(("Accept".into(), "*/*".into()));
    if rng.chance(20) {
        sent.push(("Range".into(), "bytes=0-1023".into()));
    }
    let headers: Vec<(&str, &str)> = sent.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    let regions = [case.endpoint.region()];
    let policy = Policy::new(&regions).expect("valid region");
    let verifier = Verifier::new(policy, case.credentials());
    let request = ReceivedRequest {
        method: case.method(),
        target,
        host,
        headers: &headers,
    };
    // Anywhere in the window: from 15 minutes before the signing time (clock skew) to the
    // last second before the expiry.
    let offset = i64::try_from(rng.range(0, u64::from(case.ttl) + 899)).expect("small") - 899;
    let now = case.time + Duration::seconds(offset.min(i64::from(case.ttl) - 1));
    match verifier.verify(&request, now) {
        Ok(passed) => {
            let expected_expiry = case.time + Duration::seconds(i64::from(case.ttl));
            let checks = [
                (
                    passed.access_key_id().eq_decoded(&case.access_key),
                    "access key id",
                ),
                (passed.expires_at() == expected_expiry, "expiry"),
                (passed.signed_at() == case.time, "signing time"),
                (passed.region().eq_decoded(case.endpoint.region()), "region"),
                (passed.has_session_token() == case.token.is_some(), "token"),
            ];
            for (ok, what) in checks {
                if !ok {
                    return Err(format!("{peer} case {}: verified {what} differs", case.id));
                }
            }
            Ok(())
        }
        Err(rejection) => Err(format!(
            "{peer} case {}: {}: {rejection}\n  url: {url}\n  headers: {headers:?}\n  case: {case:?}",
            case.id,
            rejection.code()
        )),
    }
}

fn assert_all_accepted(peer: &str, cases: &[Case], url: impl Fn(&Case) -> Option<String>) {
    let mut rng = Rng(SEED ^ 0xACCE);
    let mut failures = Vec::new();
    let mut checked = 0;
    for case in cases {
        let Some(url) = url(case) else { continue };
        checked += 1;
        if let Err(err) = accepts(peer, case, &url, &mut rng) {
            failures.push(err);
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {checked} {peer} URLs refused; first: {}",
        failures.len(),
        failures[0]
    );
    assert!(checked >= 1000, "{peer}: only {checked} cases");
    eprintln!("verify: {checked} URLs minted by {peer} verified");
}

#[test]
fn accepts_urls_minted_by_presign() {
    let cases = gen_cases(SEED, CASES);
    assert_all_accepted("presign", &cases, |case| Some(presign_url(case).into_url()));
}

#[test]
fn accepts_urls_minted_by_aws_sigv4() {
    let cases = gen_cases(SEED ^ 1, CASES);
    assert_all_accepted("aws-sigv4", &cases, |case| Some(aws_sigv4_url(case)));
}

#[test]
fn accepts_urls_minted_by_rusty_s3() {
    // rusty-s3 sorts query parameters before encoding them, not after as SigV4 (and S3)
    // do, and documents that names must be unreserved ASCII for its URLs to work: with
    // `ünï` or `my param` S3 refuses them too. Its cases keep to such names.
    let mut cases = gen_cases(SEED ^ 2, CASES);
    for case in &mut cases {
        for (name, _) in &mut case.query {
            *name = name
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
                .collect();
        }
    }
    assert_all_accepted("rusty-s3", &cases, |case| Some(rusty_s3_url(case)));
}

#[test]
fn accepts_urls_minted_by_botocore() {
    let cases = gen_cases(SEED ^ 3, CASES);
    let Some(urls) = botocore_urls(&cases) else {
        return;
    };
    assert_all_accepted("botocore", &cases, |case| urls.get(&case.id).cloned());
}

// ---------------------------------------------------------------------------------------
// Equivalent spellings
// ---------------------------------------------------------------------------------------

/// A minted URL received in every spelling that means the same request, and in spellings
/// that mean another one.
#[test]
fn equivalent_spellings_verify_and_others_do_not() {
    let creds = Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
        .expect("valid")
        .with_session_token("FwoG/ZXIv+YXdz==")
        .expect("valid");
    let time = time::macros::datetime!(2026-11-24 03:56:49 UTC);
    let presigner = Presigner::new(
        Endpoint::custom("http://127.0.0.1:9000", "us-east-1").expect("valid"),
        creds.clone(),
    );
    let overrides =
        ResponseOverrides::new().content_disposition("attachment; filename=\"a b.mp4\"");
    let request = ObjectRequest::get("bucket", "dir~/a b+c!é.mp4", GetTtl::default())
        .with_response_overrides(&overrides)
        .with_query(&[("versionId", "v~1")]);
    let url = presigner.presign(&request, time).expect("signs").into_url();
    let (host, target) = host_and_target(&url);
    assert!(
        target.starts_with("/bucket/dir~/a%20b%2Bc%21%C3%A9.mp4?"),
        "{target}"
    );
    let verifier = Verifier::new(Policy::new(&["us-east-1"]).expect("valid"), creds);
    let verify = |target: &str| {
        verifier
            .verify(
                &ReceivedRequest {
                    method: "GET",
                    target,
                    host,
                    headers: &[],
                },
                time,
            )
            .map(|_| ())
            .map_err(|err| err.error_code())
    };
    assert_eq!(verify(target), Ok(()));
    let (path, query) = target.split_once('?').expect("query");
    let same = [
        // `~` escaped, in either hex case; an unreserved letter escaped.
        target.replacen("dir~", "dir%7E", 1),
        target.replacen("dir~", "dir%7e", 1),
        target.replacen("/bucket/", "/buck%65t/", 1),
        // Escapes written with lower-case hex.
        target.replace("%C3%A9", "%c3%a9").replace("%2F", "%2f"),
        // A reserved byte sent bare instead of escaped (`!` in the path).
        target.replacen("%21", "!", 1),
        // `/` escaped in the path: S3 reads `%2F` as `/`.
        target.replacen("dir~/", "dir~%2F", 1),
        // The parameters in another order, and with empty pairs between them.
        format!(
            "{path}?{}",
            query.split('&').rev().collect::<Vec<_>>().join("&&")
        ),
        // A parameter name written with an escape (the signer's and an extra one).
        target.replacen("X-Amz-Date=", "X-Amz-Dat%65=", 1),
        target.replacen("versionId=", "versio%6EId=", 1),
        target.replacen("v~1", "v%7E1", 1),
    ];
    for spelling in &same {
        assert_eq!(verify(spelling), Ok(()), "same request: {spelling}");
    }
    let other = [
        // `+` is a plus, not a space.
        target.replacen("a%20b", "a+b", 1),
        // A space is not a plus.
        target.replacen("%2Bc", "%20c", 1),
        // Double encoding is another key.
        target.replacen("a%20b", "a%2520b", 1),
        // Path normalisation is not S3's.
        target.replacen("/bucket/dir~/", "/bucket/x/../dir~/", 1),
        target.replacen("/bucket/dir~/", "/bucket//dir~/", 1),
        // In the query `%2F` is not `/`... and a letter's case matters in values.
        target.replacen("v~1", "V~1", 1),
        // A parameter added, even an empty one.
        format!("{target}&versionId"),
    ];
    for spelling in &other {
        assert_eq!(
            verify(spelling),
            Err(S3ErrorCode::SignatureDoesNotMatch),
            "another request: {spelling}"
        );
    }
    // A `%` that starts no escape cannot be read at all.
    for bad in [
        target.replacen("a%20b", "a%2", 1),
        target.replacen("v~1", "v%zz1", 1),
        format!("{target}&x=100%"),
    ] {
        assert_eq!(verify(&bad), Err(S3ErrorCode::InvalidURI), "{bad}");
    }
}

// ---------------------------------------------------------------------------------------
// One change at a time
// ---------------------------------------------------------------------------------------

/// A received request, owned, so that one part of it can be changed.
#[derive(Clone, Debug)]
struct Sent {
    method: String,
    host: String,
    path: String,
    /// The query's pairs as sent (`name=value`, still encoded).
    pairs: Vec<String>,
    headers: Vec<(String, String)>,
}

impl Sent {
    fn target(&self) -> String {
        format!("{}?{}", self.path, self.pairs.join("&"))
    }
}

/// A character of the same class that differs from `c`: a digit stays a digit, a hex digit
/// a hex digit of the same case (so an escape stays an escape), a letter a letter.
fn other_char(c: char) -> char {
    match c {
        '0'..='8' | 'a'..='e' | 'g'..='y' | 'A'..='E' | 'G'..='Y' => {
            char::from(u8::try_from(u32::from(c) + 1).expect("ASCII"))
        }
        '9' => '0',
        'f' => 'a',
        'F' => 'A',
        'z' => 'g',
        'Z' => 'G',
        _ => 'q',
    }
}

/// `text` with its character at byte `at` (ASCII) replaced by [`other_char`].
fn change_at(text: &str, at: usize) -> String {
    let mut out = text.to_owned();
    let c = char::from(text.as_bytes()[at]);
    out.replace_range(at..=at, &other_char(c).to_string());
    out
}

const MISMATCH: Result<(), S3ErrorCode> = Err(S3ErrorCode::SignatureDoesNotMatch);
const MALFORMED: Result<(), S3ErrorCode> = Err(S3ErrorCode::AuthorizationQueryParametersError);
const DENIED: Result<(), S3ErrorCode> = Err(S3ErrorCode::AccessDenied);

/// One minted request, its verifier, and the changes checked so far.
struct Mutations<'c> {
    case: &'c Case,
    original: Sent,
    verifier: Verifier<'c, Credentials>,
    now: OffsetDateTime,
    checked: usize,
}

impl<'c> Mutations<'c> {
    fn new(case: &'c Case, regions: &'c [&'c str]) -> Self {
        let minted = presign_url(case);
        let (host, target) = host_and_target(minted.url());
        let (path, query) = target.split_once('?').expect("a query");
        let original = Sent {
            method: case.method().to_owned(),
            host: host.to_owned(),
            path: path.to_owned(),
            pairs: query.split('&').map(str::to_owned).collect(),
            headers: minted
                .headers()
                .map(|(n, v)| (n.to_owned(), v.to_owned()))
                .collect(),
        };
        Self {
            case,
            original,
            verifier: Verifier::new(Policy::new(regions).expect("valid"), case.credentials()),
            now: case.time,
            checked: 0,
        }
    }

    fn verify(&self, sent: &Sent, now: OffsetDateTime) -> Result<(), S3ErrorCode> {
        let headers: Vec<(&str, &str)> = sent
            .headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        let target = sent.target();
        let request = ReceivedRequest {
            method: &sent.method,
            target: &target,
            host: &sent.host,
            headers: &headers,
        };
        self.verifier
            .verify(&request, now)
            .map(|_| ())
            .map_err(|rejection| rejection.error_code())
    }

    fn expect_at(
        &mut self,
        what: &str,
        sent: &Sent,
        now: OffsetDateTime,
        expected: Result<(), S3ErrorCode>,
    ) {
        self.checked += 1;
        assert_eq!(
            self.verify(sent, now),
            expected,
            "case {}: {what}\n  target: {}\n  case: {:?}",
            self.case.id,
            sent.target(),
            self.case
        );
    }

    fn expect(&mut self, what: &str, sent: &Sent, expected: Result<(), S3ErrorCode>) {
        self.expect_at(what, sent, self.now, expected);
    }

    /// The original with `change` applied.
    fn with(&self, change: impl FnOnce(&mut Sent)) -> Sent {
        let mut sent = self.original.clone();
        change(&mut sent);
        sent
    }

    /// The window is [X-Amz-Date - 900 s, expiry), and another secret signs another
    /// signature.
    fn time_and_secret(&mut self) {
        let original = self.original.clone();
        let (now, case) = (self.now, self.case);
        let expiry = case.time + Duration::seconds(case.ttl.into());
        self.expect("unchanged", &original, Ok(()));
        self.expect_at(
            "at the skew's edge",
            &original,
            now - Duration::seconds(900),
            Ok(()),
        );
        self.expect_at(
            "before the skew",
            &original,
            now - Duration::seconds(901),
            DENIED,
        );
        self.expect_at(
            "the last second",
            &original,
            expiry - Duration::SECOND,
            Ok(()),
        );
        self.expect_at("at the expiry", &original, expiry, DENIED);
        self.expect_at(
            "after the expiry",
            &original,
            expiry + Duration::DAY,
            DENIED,
        );
        // Another secret of the same length (at most 128 bytes).
        let mut secret = case.secret.clone();
        let last = secret.pop().expect("not empty");
        secret.push(if last == 'x' { 'y' } else { 'x' });
        let mut creds = Credentials::new(&case.access_key, &secret).expect("valid");
        if let Some(token) = &case.token {
            creds = creds.with_session_token(token).expect("valid");
        }
        let regions = [case.endpoint.region()];
        let other = Verifier::new(Policy::new(&regions).expect("valid"), creds);
        let headers: Vec<(&str, &str)> = original
            .headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        let target = original.target();
        let request = ReceivedRequest {
            method: &original.method,
            target: &target,
            host: &original.host,
            headers: &headers,
        };
        let got = other
            .verify(&request, now)
            .map(|_| ())
            .map_err(|r| r.error_code());
        assert_eq!(got, MISMATCH, "case {}: another secret", case.id);
        self.checked += 1;
    }

    /// The method, the host, each signed header, headers added.
    fn method_host_headers(&mut self) {
        for method in ["GET", "PUT", "HEAD", "DELETE", "POST", "get"] {
            if method != self.original.method {
                let sent = self.with(|s| method.clone_into(&mut s.method));
                self.expect(&format!("method {method}"), &sent, MISMATCH);
            }
        }
        let sent = self.with(|s| s.host = change_at(&s.host, 0));
        self.expect("host", &sent, MISMATCH);
        let sent = self.with(|s| s.host.push_str(":1"));
        self.expect("host with a port", &sent, MISMATCH);
        for i in 0..self.original.headers.len() {
            let sent = self.with(|s| s.headers[i].1.push('x'));
            self.expect("a signed header's value", &sent, MISMATCH);
            let sent = self.with(|s| {
                s.headers.remove(i);
            });
            self.expect("a signed header dropped", &sent, MISMATCH);
            // Its name in capitals and its value padded with spaces: the same header.
            let sent = self.with(|s| {
                s.headers[i].0 = s.headers[i].0.to_uppercase();
                s.headers[i].1 = format!("  {}  ", s.headers[i].1);
            });
            self.expect("a signed header respelled", &sent, Ok(()));
        }
        let sent = self.with(|s| s.headers.push(("X-Amz-Meta-Extra".into(), "1".into())));
        self.expect("an unsigned x-amz header", &sent, DENIED);
        let sent = self.with(|s| s.headers.push(("Authorization".into(), "AWS4 …".into())));
        self.expect(
            "an Authorization header",
            &sent,
            Err(S3ErrorCode::InvalidArgument),
        );
        let sent = self.with(|s| s.headers.push(("Range".into(), "bytes=0-1".into())));
        self.expect("an unsigned Range header", &sent, Ok(()));
    }

    /// Each letter or digit of the path, bare or inside an escape (which stays an escape of
    /// another byte: `other_char` keeps hex digits hex and their case).
    fn path(&mut self) {
        let path = self.original.path.clone();
        for (at, b) in path.bytes().enumerate() {
            if b.is_ascii_alphanumeric() {
                let sent = self.with(|s| s.path = change_at(&path, at));
                self.expect(&format!("path byte {at}"), &sent, MISMATCH);
            }
        }
        let sent = self.with(|s| s.path.push('/'));
        self.expect("path with a trailing slash", &sent, MISMATCH);
    }

    /// Each query parameter: its name, dropped, repeated, and its value; one added.
    fn query(&mut self) {
        for i in 0..self.original.pairs.len() {
            let pair = self.original.pairs[i].clone();
            let (name, value) = pair.split_once('=').unwrap_or((pair.as_str(), ""));
            let auth = presign::AuthParam::from_name(name);
            let gone = match auth {
                // Without the token, S3 does not know temporary credentials' key.
                Some(presign::AuthParam::SecurityToken) => Err(S3ErrorCode::InvalidAccessKeyId),
                Some(_) => MALFORMED,
                None => MISMATCH,
            };
            let sent = self.with(|s| s.pairs[i] = format!("{name}q={value}"));
            self.expect(&format!("name of {name}"), &sent, gone);
            let sent = self.with(|s| {
                s.pairs.remove(i);
            });
            self.expect(&format!("{name} dropped"), &sent, gone);
            let sent = self.with(|s| s.pairs.push(pair.clone()));
            let twice = if auth.is_some() { MALFORMED } else { MISMATCH };
            self.expect(&format!("{name} repeated"), &sent, twice);
            self.value(i, name, value, auth);
        }
        let sent = self.with(|s| s.pairs.push("x-id=GetObject".into()));
        self.expect("a parameter added", &sent, MISMATCH);
    }

    /// The value of parameter `i`, changed as fits its kind.
    fn value(&mut self, i: usize, name: &str, value: &str, auth: Option<presign::AuthParam>) {
        let changed = |this: &Self, new_value: &str| {
            this.with(|s| s.pairs[i] = format!("{name}={new_value}"))
        };
        let case = self.case;
        match auth {
            Some(presign::AuthParam::Algorithm) => {
                let sent = changed(self, "AWS4-HMAC-SHA512");
                self.expect("algorithm", &sent, MALFORMED);
            }
            Some(presign::AuthParam::Credential) => {
                let parts: Vec<&str> = value.split("%2F").collect();
                assert_eq!(parts.len(), 5, "{value}");
                let with_part = |this: &Self, at: usize, part: &str| {
                    let mut parts = parts.clone();
                    parts[at] = part;
                    changed(this, &parts.join("%2F"))
                };
                let sent = with_part(self, 0, &format!("{}Q", parts[0]));
                self.expect("access key id", &sent, Err(S3ErrorCode::InvalidAccessKeyId));
                let sent = with_part(self, 1, &change_at(parts[1], 7));
                self.expect("scope date", &sent, MALFORMED);
                let sent = with_part(self, 2, "mars-north-1");
                self.expect("region", &sent, MALFORMED);
                let sent = with_part(self, 3, "s4");
                self.expect("service", &sent, MALFORMED);
                let sent = with_part(self, 4, "aws4_reques");
                self.expect("terminator", &sent, MALFORMED);
                let sent = changed(self, &parts[..4].join("%2F"));
                self.expect("scope cut short", &sent, MALFORMED);
            }
            Some(presign::AuthParam::Date) => {
                // One second later: another string to sign, on the same day or (at
                // midnight) another scope date.
                let later = case.time + Duration::SECOND;
                let text = format!(
                    "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
                    later.year(),
                    u8::from(later.month()),
                    later.day(),
                    later.hour(),
                    later.minute(),
                    later.second()
                );
                let expected = if later.date() == case.time.date() {
                    MISMATCH
                } else {
                    MALFORMED
                };
                let sent = changed(self, &text);
                self.expect("signing time", &sent, expected);
                let sent = changed(self, "2026-11-24T03:56:49Z");
                self.expect("signing time unreadable", &sent, MALFORMED);
            }
            Some(presign::AuthParam::Expires) => {
                let other = if case.ttl == 604_800 {
                    case.ttl - 1
                } else {
                    case.ttl + 1
                };
                let sent = changed(self, &other.to_string());
                self.expect("lifetime", &sent, MISMATCH);
                for bad in ["0", "604801", "1h"] {
                    let sent = changed(self, bad);
                    self.expect(&format!("lifetime {bad}"), &sent, MALFORMED);
                }
            }
            Some(presign::AuthParam::SignedHeaders) => {
                let sent = changed(self, &format!("{value}%3Bx-amz-date"));
                self.expect("header list, one more", &sent, MISMATCH);
                // Empty (when only host was signed) or without host: malformed either way.
                let without_host: Vec<&str> = value.split("%3B").filter(|h| *h != "host").collect();
                let sent = changed(self, &without_host.join("%3B"));
                self.expect("header list without host", &sent, MALFORMED);
                let sent = changed(self, &value.to_uppercase());
                self.expect("header list in capitals", &sent, MALFORMED);
            }
            Some(presign::AuthParam::Signature) => {
                for (what, bad) in [
                    ("signature digit", change_at(value, 10)),
                    ("signature in capitals", value.to_uppercase()),
                    ("signature cut short", value[..62].to_owned()),
                ] {
                    let sent = changed(self, &bad);
                    self.expect(what, &sent, MISMATCH);
                }
            }
            Some(presign::AuthParam::SecurityToken) => {
                let sent = changed(self, &format!("{value}A"));
                self.expect("session token", &sent, Err(S3ErrorCode::InvalidToken));
            }
            None => {
                let sent = changed(self, &format!("{value}x"));
                self.expect(&format!("value of {name}"), &sent, MISMATCH);
            }
        }
    }
}

/// Every single change of a minted request, with the S3 code a store answers for it; the
/// unchanged request and the spellings that mean the same request are accepted. Returns
/// how many changes were checked.
fn check_every_change(case: &Case) -> usize {
    let regions = [case.endpoint.region()];
    let mut mutations = Mutations::new(case, &regions);
    mutations.time_and_secret();
    mutations.method_host_headers();
    mutations.path();
    mutations.query();
    mutations.checked
}

proptest::proptest! {
    // No failure file: the seed in the failure message reproduces a case.
    #![proptest_config(proptest::prelude::ProptestConfig {
        cases: 128,
        failure_persistence: None,
        ..proptest::prelude::ProptestConfig::default()
    })]

    /// Every single change of random minted requests is refused with the right S3 code.
    #[test]
    fn every_single_change_is_refused(seed in proptest::prelude::any::<u64>()) {
        let case = gen_case(&mut Rng(seed), 0);
        check_every_change(&case);
    }
}

/// The same over a fixed set of cases, with the number of changes checked.
#[test]
fn every_single_change_of_fixed_cases_is_refused() {
    let cases = gen_cases(SEED ^ 4, 200);
    let checked: usize = cases.iter().map(check_every_change).sum();
    eprintln!("verify: {checked} single changes of 200 minted requests got their S3 code");
}

// ---------------------------------------------------------------------------------------
// The AWS SigV4 test suite
// ---------------------------------------------------------------------------------------

/// One query-mode case of `tests/vectors/aws_sigv4_suite.txt` (its header documents the
/// format), as a server receives it.
#[derive(Debug, Default)]
struct SuiteCase {
    name: String,
    method: String,
    /// The request-line path as the suite writes it (not yet encoded).
    path: String,
    /// The request-line query pairs as written.
    query: Vec<String>,
    /// Header lines, continuation lines already joined to theirs.
    headers: Vec<(String, String)>,
    access_key_id: String,
    secret: String,
    token: Option<String>,
    token_after_signing: bool,
    region: String,
    service: String,
    time: String,
    creq: Vec<String>,
    signature: String,
}

fn suite_cases() -> Vec<SuiteCase> {
    let text = include_str!("vectors/aws_sigv4_suite.txt");
    let mut cases = Vec::new();
    let mut case: Option<SuiteCase> = None;
    for line in text.lines() {
        if line == "end" {
            cases.push(case.take().expect("a case is open"));
            continue;
        }
        let Some(current) = case.as_mut() else {
            if let Some(name) = line.strip_prefix("case: ") {
                case = Some(SuiteCase {
                    name: name.to_owned(),
                    ..SuiteCase::default()
                });
            }
            continue;
        };
        let (key, value) = line
            .split_once(": ")
            .unwrap_or_else(|| (line.trim_end_matches(':'), ""));
        match key {
            "method" => value.clone_into(&mut current.method),
            "path" => value.clone_into(&mut current.path),
            "query" => current.query.push(value.to_owned()),
            "header" => {
                let (name, value) = value.split_once(':').expect("Name:value");
                current.headers.push((name.to_owned(), value.to_owned()));
            }
            // An HTTP server hands an obs-folded header over with the fold as one space
            // (RFC 9112, section 5.2).
            "fold" => {
                let last = current.headers.last_mut().expect("a header to continue");
                last.1.push(' ');
                last.1.push_str(value.trim_start());
            }
            "access_key_id" => value.clone_into(&mut current.access_key_id),
            "secret_access_key" => value.clone_into(&mut current.secret),
            "session_token" => current.token = Some(value.to_owned()),
            "token_after_signing" => current.token_after_signing = value == "true",
            "region" => value.clone_into(&mut current.region),
            "service" => value.clone_into(&mut current.service),
            "time" => value.clone_into(&mut current.time),
            "creq" => current.creq.push(value.to_owned()),
            "signature" => value.clone_into(&mut current.signature),
            _ => {}
        }
    }
    cases
}

/// Why a suite case cannot verify under S3's rules, when it cannot.
fn suite_case_outside_s3_rules(case: &SuiteCase) -> Option<&'static str> {
    if case.token_after_signing {
        // S3 signs X-Amz-Security-Token; this case adds it after signing.
        return Some("session token appended after signing");
    }
    // S3's canonical URI is the path decoded and encoded once, never normalised.
    let s3_uri = common::uri_encode_path(&common::percent_decode(&case.path));
    if s3_uri != case.creq[1] {
        return Some("path normalised (S3 never normalises)");
    }
    None
}

#[test]
fn aws_suite_query_cases_verify_where_s3_rules_apply() {
    let cases = suite_cases();
    assert_eq!(cases.len(), 38, "the transcription's query-mode cases");
    let (mut accepted, mut outside) = (0, BTreeMap::<&str, Vec<String>>::new());
    for case in &cases {
        // What a client sends: the path encoded once, the request's own query as the suite
        // writes it, the signer's parameters, the signature (and a token appended after
        // signing where the case does that).
        let path = common::uri_encode_path(&common::percent_decode(&case.path));
        let mut pairs = case.query.clone();
        pairs.extend(
            case.creq[2]
                .split('&')
                .filter(|p| p.starts_with("X-Amz-"))
                .map(str::to_owned),
        );
        pairs.push(format!("X-Amz-Signature={}", case.signature));
        if case.token_after_signing {
            let token = case.token.as_deref().expect("a token");
            pairs.push(format!(
                "X-Amz-Security-Token={}",
                common::uri_encode(token)
            ));
        }
        let target = format!("{path}?{}", pairs.join("&"));
        let host = case
            .headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("host"))
            .map(|(_, v)| v.as_str())
            .expect("a Host header");
        let headers: Vec<(&str, &str)> = case
            .headers
            .iter()
            .filter(|(n, _)| !n.eq_ignore_ascii_case("host"))
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        let mut creds = Credentials::new(&case.access_key_id, &case.secret).expect("valid");
        if let Some(token) = &case.token {
            creds = creds.with_session_token(token).expect("valid");
        }
        let regions = [case.region.as_str()];
        let policy = Policy::new(&regions)
            .and_then(|p| p.with_service(&case.service))
            .expect("valid");
        let suite_verifier = Verifier::new(policy, creds);
        let now = OffsetDateTime::parse(&case.time, &time::format_description::well_known::Rfc3339)
            .expect("RFC 3339");
        let request = ReceivedRequest {
            method: &case.method,
            target: &target,
            host,
            headers: &headers,
        };
        // The suite signs the payload (the empty body's SHA-256, or the body's).
        let payload = case.creq.last().expect("a payload line");
        let result = suite_verifier.verify_with_payload(&request, payload, now);
        match suite_case_outside_s3_rules(case) {
            None => {
                if let Err(rejection) = &result {
                    panic!("{}: {rejection}\n  target {target}", case.name);
                }
                accepted += 1;
            }
            Some(why) => {
                let rejection = result.expect_err(why);
                assert_eq!(
                    rejection.error_code(),
                    S3ErrorCode::SignatureDoesNotMatch,
                    "{}: {why}",
                    case.name
                );
                outside.entry(why).or_default().push(case.name.clone());
            }
        }
    }
    for (why, names) in &outside {
        eprintln!(
            "verify: AWS suite, {} cases outside S3's rules ({why}): {names:?}",
            names.len()
        );
    }
    eprintln!(
        "verify: AWS suite, {accepted} of {} query-mode cases verified",
        cases.len()
    );
    assert!(accepted >= 25, "only {accepted} suite cases verified");
}

/// A refused suite case shows the canonical request the server computed, which for a case
/// under S3's rules but with the wrong secret is exactly the suite's.
#[test]
fn aws_suite_canonical_request_is_shown_on_a_mismatch() {
    let case = suite_cases()
        .into_iter()
        .find(|c| c.name == "get-vanilla-query-order-key-case")
        .expect("the case");
    let mut pairs = case.query.clone();
    pairs.extend(
        case.creq[2]
            .split('&')
            .filter(|p| p.starts_with("X-Amz-"))
            .map(str::to_owned),
    );
    pairs.push(format!("X-Amz-Signature={}", case.signature));
    let target = format!("{}?{}", case.path, pairs.join("&"));
    let policy = Policy::new(&["us-east-1"])
        .and_then(|p| p.with_service("service"))
        .expect("valid");
    let verifier = Verifier::new(
        policy,
        Credentials::new("AKIDEXAMPLE", "wrong").expect("valid"),
    );
    let request = ReceivedRequest {
        method: "GET",
        target: &target,
        host: "example.amazonaws.com",
        headers: &[],
    };
    let payload = case.creq.last().expect("payload").clone();
    let now = time::macros::datetime!(2015-08-30 12:36:00 UTC);
    let rejection = verifier
        .verify_with_payload(&request, &payload, now)
        .unwrap_err();
    assert_eq!(
        rejection
            .canonical_request()
            .expect("a mismatch")
            .to_string(),
        case.creq.join("\n")
    );
    assert!(matches!(
        rejection.reason(),
        RejectionReason::SignatureMismatch
    ));
}

// ---------------------------------------------------------------------------------------
// Each refusal, by hand
// ---------------------------------------------------------------------------------------

const DOC_TIME: OffsetDateTime = time::macros::datetime!(2013-05-24 00:00 UTC);

/// The S3 documentation's presigned GET ("Authenticating Requests: Using Query Parameters
/// (AWS Signature Version 4)"), as its server receives it.
const DOC_TARGET: &str = "/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256\
    &X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request\
    &X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host\
    &X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";
const DOC_HOST: &str = "examplebucket.s3.amazonaws.com";

fn doc_verifier(policy: Policy<'static>) -> Verifier<'static, Credentials> {
    Verifier::new(
        policy,
        Credentials::new(
            "AKIAIOSFODNN7EXAMPLE",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        )
        .expect("valid"),
    )
}

fn doc_request<'a>(target: &'a str, headers: &'a [(&'a str, &'a str)]) -> ReceivedRequest<'a> {
    ReceivedRequest {
        method: "GET",
        target,
        host: DOC_HOST,
        headers,
    }
}

fn us_east_1() -> Policy<'static> {
    Policy::new(&["us-east-1"]).expect("valid")
}

#[test]
fn the_s3_documentation_example_verifies_in_its_window() {
    let verifier = doc_verifier(us_east_1());
    let request = doc_request(DOC_TARGET, &[]);
    let passed = verifier
        .verify(&request, DOC_TIME)
        .expect("the documented URL");
    assert_eq!(
        passed.access_key_id().as_plain(),
        Some("AKIAIOSFODNN7EXAMPLE")
    );
    assert_eq!(passed.lifetime_secs(), 86_400);
    assert_eq!(passed.scope_date(), time::macros::date!(2013 - 05 - 24));
    assert!(passed.signed_headers().eq([presign::Encoded::new("host")]));
    let reason = |now| verifier.verify(&request, now).unwrap_err().reason();
    // 900 s of skew before X-Amz-Date; none after the expiry.
    assert!(
        verifier
            .verify(&request, DOC_TIME - Duration::seconds(900))
            .is_ok()
    );
    assert!(matches!(
        reason(DOC_TIME - Duration::seconds(901)),
        RejectionReason::NotYetValid { skew_secs: 900, .. }
    ));
    let expiry = DOC_TIME + Duration::DAY;
    assert!(
        verifier
            .verify(&request, expiry - Duration::seconds(1))
            .is_ok()
    );
    assert!(
        verifier
            .verify(&request, expiry - Duration::nanoseconds(1))
            .is_ok()
    );
    assert!(matches!(reason(expiry), RejectionReason::Expired { .. }));
    // Between whole seconds the boundaries hold to the nanosecond (the verifier compares
    // whole seconds, `now` rounded down).
    let earliest = DOC_TIME - Duration::seconds(900);
    assert!(matches!(
        reason(earliest - Duration::nanoseconds(1)),
        RejectionReason::NotYetValid { .. }
    ));
    assert!(
        verifier
            .verify(&request, earliest + Duration::nanoseconds(1))
            .is_ok()
    );
    assert!(matches!(
        reason(expiry + Duration::nanoseconds(1)),
        RejectionReason::Expired { .. }
    ));
    // The same instant in another offset is the same instant.
    let offset = time::UtcOffset::from_hms(5, 30, 0).expect("valid");
    assert!(matches!(
        reason(expiry.to_offset(offset)),
        RejectionReason::Expired { .. }
    ));
    // A policy with no skew and a shorter lifetime.
    let strict = doc_verifier(
        us_east_1()
            .with_clock_skew_secs(0)
            .with_max_lifetime(Ttl::from_secs(3600).expect("valid")),
    );
    let refused = strict.verify(&request, DOC_TIME).unwrap_err();
    assert_eq!(
        refused.reason(),
        RejectionReason::LifetimeOverPolicy {
            secs: 86_400,
            max: 3600
        }
    );
    assert_eq!(refused.code(), "AccessDenied");
    let too_early = strict
        .verify(&request, DOC_TIME - Duration::SECOND)
        .unwrap_err();
    assert!(matches!(
        too_early.reason(),
        RejectionReason::NotYetValid { skew_secs: 0, .. }
    ));
    assert_eq!(
        too_early.s3_message().to_string(),
        "Request is not valid yet"
    );
}

/// A refused request: its target, its headers, S3's code and S3's message.
struct Refusal {
    target: String,
    headers: Vec<(&'static str, &'static str)>,
    code: &'static str,
    message: &'static str,
}

impl Refusal {
    fn new(
        target: String,
        headers: Vec<(&'static str, &'static str)>,
        code: &'static str,
        message: &'static str,
    ) -> Self {
        Self {
            target,
            headers,
            code,
            message,
        }
    }
}

/// The S3 documentation's request, changed to get each refusal.
#[expect(clippy::too_many_lines, reason = "a table: one refusal a row")]
fn refusals() -> Vec<Refusal> {
    let with = |old: &str, new: &str| DOC_TARGET.replacen(old, new, 1);
    vec![
        Refusal::new(
            "test.txt".into(),
            vec![],
            "InvalidURI",
            "Couldn't parse the specified URI.",
        ),
        Refusal::new(
            with("test.txt", "te%st.txt"),
            vec![],
            "InvalidURI",
            "Couldn't parse the specified URI.",
        ),
        Refusal::new("/test.txt".into(), vec![], "AccessDenied", "Access Denied"),
        Refusal::new(
            "/test.txt?versionId=1".into(),
            vec![],
            "AccessDenied",
            "Access Denied",
        ),
        Refusal::new(
            DOC_TARGET.into(),
            vec![("Authorization", "AWS4-HMAC-SHA256 Credential=...")],
            "InvalidArgument",
            "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified",
        ),
        Refusal::new(
            with("&X-Amz-Date=20130524T000000Z", ""),
            vec![],
            "AuthorizationQueryParametersError",
            "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.",
        ),
        Refusal::new(
            with("HMAC-SHA256", "HMAC-SHA1"),
            vec![],
            "AuthorizationQueryParametersError",
            "X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"",
        ),
        Refusal::new(
            with("20130524T000000Z", "20130524"),
            vec![],
            "AuthorizationQueryParametersError",
            "X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"",
        ),
        Refusal::new(
            with("%2F20130524%2F", "%2F20130525%2F"),
            vec![],
            "AuthorizationQueryParametersError",
            "Invalid credential date. Date is not the same as X-Amz-Date.",
        ),
        Refusal::new(
            with("us-east-1", "eu-west-1"),
            vec![],
            "AuthorizationQueryParametersError",
            "Error parsing the X-Amz-Credential parameter; the region 'eu-west-1' is wrong; expecting 'us-east-1'",
        ),
        Refusal::new(
            with("%2Fs3%2F", "%2Fsqs%2F"),
            vec![],
            "AuthorizationQueryParametersError",
            "Error parsing the X-Amz-Credential parameter; incorrect service \"sqs\". This endpoint belongs to \"s3\".",
        ),
        Refusal::new(
            with("%2Faws4_request", ""),
            vec![],
            "AuthorizationQueryParametersError",
            "Error parsing the X-Amz-Credential parameter; the Credential is mal-formed; expecting \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\".",
        ),
        Refusal::new(
            with("86400", "604801"),
            vec![],
            "AuthorizationQueryParametersError",
            "X-Amz-Expires must be less than a week (in seconds) that is 604800",
        ),
        Refusal::new(
            with("86400", "1d"),
            vec![],
            "AuthorizationQueryParametersError",
            "X-Amz-Expires should be a number",
        ),
        Refusal::new(
            with("SignedHeaders=host", "SignedHeaders=range"),
            vec![("Range", "bytes=0-9")],
            "AuthorizationQueryParametersError",
            "Query parameter X-Amz-SignedHeaders does not list host; SigV4 requires the host header to be signed.",
        ),
        Refusal::new(
            with("SignedHeaders=host", "SignedHeaders=host%3Bx-amz-date"),
            vec![],
            "SignatureDoesNotMatch",
            "The request signature we calculated does not match the signature you provided. Check your key and signing method.",
        ),
        Refusal::new(
            DOC_TARGET.into(),
            vec![("x-amz-acl", "public-read")],
            "AccessDenied",
            "There were headers present in the request which were not signed",
        ),
        Refusal::new(
            with("AKIAIOSFODNN7EXAMPLE", "AKIAI0SFODNN7EXAMPLE"),
            vec![],
            "InvalidAccessKeyId",
            "The AWS Access Key Id you provided does not exist in our records.",
        ),
        Refusal::new(
            format!("{DOC_TARGET}&X-Amz-Security-Token=abc"),
            vec![],
            "InvalidToken",
            "The provided token is malformed or otherwise invalid.",
        ),
        Refusal::new(
            with("aeeed9bb", "aeeed9bc"),
            vec![],
            "SignatureDoesNotMatch",
            "The request signature we calculated does not match the signature you provided. Check your key and signing method.",
        ),
    ]
}

#[test]
fn every_refusal_has_its_s3_code_message_and_reason() {
    let verifier = doc_verifier(us_east_1());
    for Refusal {
        target,
        headers,
        code,
        message,
    } in &refusals()
    {
        let request = doc_request(target, headers);
        let rejection = verifier.verify(&request, DOC_TIME).unwrap_err();
        assert_eq!(rejection.code(), *code, "{target}: {rejection}");
        assert_eq!(rejection.s3_message().to_string(), *message, "{target}");
        let status = if code.starts_with("Invalid") && *code != "InvalidAccessKeyId"
            || code.starts_with("Auth")
        {
            400
        } else {
            403
        };
        assert_eq!(rejection.http_status(), status, "{target}");
        // The reason is a log line: lower case, no final period, no signature.
        let line = rejection.to_string();
        assert!(line.starts_with(|c: char| c.is_lowercase()), "{line}");
        assert!(!line.ends_with('.'), "{line}");
        assert!(!line.contains("aeeed9bb"), "{line}");
    }
}

#[test]
fn temporary_credentials_need_their_token_until_they_expire() {
    let time = time::macros::datetime!(2026-11-24 03:56:49 UTC);
    let creds = Credentials::new("ASIAEXAMPLE", "secret")
        .expect("valid")
        .with_session_token("FwoG+token/==")
        .expect("valid")
        .with_expiry(time + Duration::HOUR);
    let presigner = Presigner::new(
        Endpoint::r2("0123456789abcdef0123456789abcdef").expect("valid"),
        creds.clone(),
    );
    let url = presigner
        .get_object("bucket", "k", GetTtl::from_secs(7200).expect("valid"), time)
        .expect("signs")
        .into_url();
    let (host, target) = host_and_target(&url);
    let verifier = Verifier::new(Policy::r2(), creds);
    let request = ReceivedRequest {
        method: "GET",
        target,
        host,
        headers: &[],
    };
    let passed = verifier.verify(&request, time).expect("valid");
    assert!(passed.has_session_token());
    // Clamped by the presigner to the credentials' hour; the store refuses the token after.
    assert_eq!(passed.expires_at(), time + Duration::HOUR);
    let after = verifier
        .verify(&request, time + Duration::HOUR)
        .unwrap_err();
    assert_eq!(after.code(), "AccessDenied", "expired first: {after}");
    // Without the token: S3 does not know the key.
    let without: String = target
        .split('&')
        .filter(|p| !p.starts_with("X-Amz-Security-Token="))
        .collect::<Vec<_>>()
        .join("&");
    let request = ReceivedRequest {
        target: &without,
        ..request
    };
    assert_eq!(
        verifier.verify(&request, time).unwrap_err().code(),
        "InvalidAccessKeyId"
    );
    // A store whose token has expired although the URL has not.
    let expired_store = Credentials::new("ASIAEXAMPLE", "secret")
        .expect("valid")
        .with_session_token("FwoG+token/==")
        .expect("valid")
        .with_expiry(time);
    let verifier = Verifier::new(Policy::r2(), expired_store);
    let request = ReceivedRequest {
        method: "GET",
        target,
        host,
        headers: &[],
    };
    let refused = verifier.verify(&request, time).unwrap_err();
    assert_eq!(
        (refused.code(), refused.http_status()),
        ("ExpiredToken", 400)
    );
}

#[test]
fn r2_takes_us_east_1_as_auto_and_several_keys() {
    let time = time::macros::datetime!(2026-11-24 03:56:49 UTC);
    let keys = [
        Credentials::new("first", "one").expect("valid"),
        Credentials::new("second", "two").expect("valid"),
    ];
    let verifier = Verifier::new(Policy::r2(), &keys[..]);
    for (creds, region) in [(&keys[0], "auto"), (&keys[1], "us-east-1")] {
        let endpoint =
            Endpoint::custom("https://acc.r2.cloudflarestorage.com", region).expect("valid");
        let url = Presigner::new(endpoint, creds.clone())
            .get_object("bucket", "k", GetTtl::default(), time)
            .expect("signs")
            .into_url();
        let (host, target) = host_and_target(&url);
        let request = ReceivedRequest {
            method: "GET",
            target,
            host,
            headers: &[],
        };
        let passed = verifier.verify(&request, time).expect("valid");
        assert!(passed.access_key_id().eq_decoded(creds.access_key_id()));
        assert!(passed.region().eq_decoded(region));
    }
}

/// A verifier shared by threads, verifying URLs of many keys, days and regions at once:
/// every answer is the one a fresh verifier gives (the key table never serves another
/// scope's key).
#[test]
fn shared_key_table_serves_only_its_scopes() {
    let regions = ["us-east-1", "eu-west-1", "ap-south-1"];
    let keys: Vec<Credentials> = (0..40)
        .map(|i| Credentials::new(&format!("AKID{i:03}"), &format!("secret-{i}")).expect("valid"))
        .collect();
    let verifier = Verifier::new(Policy::new(&regions).expect("valid"), keys.clone());
    let mut requests = Vec::new();
    let mut rng = Rng(SEED ^ 5);
    for i in 0..400 {
        let creds = &keys[i % keys.len()];
        let region = *rng.pick(&regions);
        let day = i32::try_from(rng.below(5)).expect("small");
        let time = time::macros::datetime!(2026-11-20 23:59:30 UTC) + Duration::DAY * day;
        let url = Presigner::new(
            Endpoint::custom("http://h:9000", region).expect("valid"),
            creds.clone(),
        )
        .get_object("bucket", &format!("k{i}"), GetTtl::default(), time)
        .expect("signs")
        .into_url();
        // One in four is signed with another key's secret under this key's id.
        let forged = rng.chance(25);
        let url = if forged {
            let other = Credentials::new(creds.access_key_id(), "forged").expect("valid");
            Presigner::new(
                Endpoint::custom("http://h:9000", region).expect("valid"),
                other,
            )
            .get_object("bucket", &format!("k{i}"), GetTtl::default(), time)
            .expect("signs")
            .into_url()
        } else {
            url
        };
        requests.push((url, time, forged));
    }
    std::thread::scope(|scope| {
        for t in 0..2 {
            let (verifier, requests) = (&verifier, &requests);
            scope.spawn(move || {
                for round in 0..3 {
                    for (i, (url, time, forged)) in requests.iter().enumerate() {
                        if (i + t + round) % 2 == 0 {
                            continue;
                        }
                        let (host, target) = host_and_target(url);
                        let request = ReceivedRequest {
                            method: "GET",
                            target,
                            host,
                            headers: &[],
                        };
                        let result = verifier.verify(&request, *time + Duration::seconds(40));
                        assert_eq!(result.is_err(), *forged, "{url}");
                    }
                }
            });
        }
    });
    // After a clear, the same answers.
    verifier.clear_cache();
    for (url, time, forged) in &requests {
        let (host, target) = host_and_target(url);
        let request = ReceivedRequest {
            method: "GET",
            target,
            host,
            headers: &[],
        };
        assert_eq!(verifier.verify(&request, *time).is_err(), *forged);
    }
}

/// Verifying allocates nothing, cached key or not, accepted or refused (the canonical
/// request of a refusal is rendered only when asked).
#[test]
fn verifying_allocates_nothing() {
    let time = time::macros::datetime!(2026-11-24 03:56:49 UTC);
    let creds = Credentials::new("AKIDEXAMPLE", "secret")
        .expect("valid")
        .with_session_token("token")
        .expect("valid");
    let presigner = Presigner::new(
        Endpoint::r2("0123456789abcdef0123456789abcdef").expect("valid"),
        creds.clone(),
    );
    let ct = ContentType::new("video/mp4").expect("valid");
    let overrides = ResponseOverrides::new().content_disposition("attachment");
    let urls = [
        presigner
            .put_object("b-1", "episodes/42/video.mp4", &ct, PutTtl::default(), time)
            .expect("signs"),
        presigner
            .presign(
                &ObjectRequest::get("b-1", "a b/ü+&=.mp4", GetTtl::default())
                    .with_response_overrides(&overrides)
                    .with_query(&[("versionId", "3"), ("a b", "ü")]),
                time,
            )
            .expect("signs"),
    ];
    let verifier = Verifier::new(Policy::r2(), creds);
    for minted in &urls {
        let (host, target) = host_and_target(minted.url());
        let headers: Vec<(&str, &str)> = minted.headers().collect();
        // Reversed parameters: the sorting path.
        let (path, query) = target.split_once('?').expect("query");
        let reversed = format!(
            "{path}?{}",
            query.split('&').rev().collect::<Vec<_>>().join("&")
        );
        for target in [target, reversed.as_str()] {
            for _ in 0..2 {
                verifier.clear_cache();
                let request = ReceivedRequest {
                    method: minted.method().as_str(),
                    target,
                    host,
                    headers: &headers,
                };
                let counted = allocation_counter::measure(|| {
                    verifier.verify(&request, time).expect("valid");
                    verifier.verify(&request, time).expect("valid (cached)");
                    let other = ReceivedRequest {
                        method: "DELETE",
                        ..request
                    };
                    let refused = verifier.verify(&other, time).unwrap_err();
                    assert_eq!(refused.error_code(), S3ErrorCode::SignatureDoesNotMatch);
                });
                assert_eq!(counted.count_total, 0, "{target}");
            }
        }
    }
}

/// `Debug` of a refusal and of a request never shows the signature or the session token.
#[test]
fn debug_and_display_keep_secrets_out() {
    let time = time::macros::datetime!(2026-11-24 03:56:49 UTC);
    let creds = Credentials::new("AKID", "secret")
        .expect("valid")
        .with_session_token("SeCrEtToKeN")
        .expect("valid");
    let url = Presigner::new(
        Endpoint::custom("http://h", "us-east-1").expect("valid"),
        creds.clone(),
    )
    .get_object("bucket", "k", GetTtl::default(), time)
    .expect("signs")
    .into_url();
    let (host, target) = host_and_target(&url);
    let signature = common::signature(&url).to_owned();
    let verifier = Verifier::new(
        us_east_1(),
        Credentials::new("AKID", "other")
            .expect("valid")
            .with_session_token("SeCrEtToKeN")
            .expect("valid"),
    );
    let request = ReceivedRequest {
        method: "GET",
        target,
        host,
        headers: &[],
    };
    let rejection = verifier.verify(&request, time).unwrap_err();
    for text in [
        format!("{rejection:?}"),
        rejection.to_string(),
        format!("{request:?}"),
    ] {
        assert!(!text.contains(&signature), "{text}");
        assert!(!text.contains("SeCrEtToKeN"), "{text}");
    }
    // The exact canonical request, for the client, does carry the token (S3's does too).
    assert!(
        rejection
            .canonical_request()
            .expect("mismatch")
            .to_string()
            .contains("SeCrEtToKeN")
    );
}
