//! Signing throughput of `presign` against its peers and against the SHA-256 floor, in one run.
//!
//! Every workload is measured for: `presign` returning a `String`, `presign` into a reused
//! buffer, `rusty-s3`, the official `aws-sigv4`, and the floor: what SigV4 cannot avoid,
//! SHA-256 of the exact canonical request bytes plus HMAC-SHA256 of the exact string to sign
//! with an already derived key (the same `sha2`/`hmac` crates). Before anything is timed, each
//! peer's signature is checked against ours.
//!
//! Run `cargo bench --bench throughput`, then `python3 benches/report.py` for the table
//! (median ns per URL, URLs per second, ratios) that the README quotes.

use std::hint::black_box;
use std::thread;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use hmac::{Hmac, KeyInit, Mac};
use presign::sigv4::{self, HttpRequest, PayloadHash, Rules, SigningParams};
use presign::{
    ContentType, Credentials, Endpoint, GetTtl, Method, ObjectRequest, PartNumber, Presigner,
    PutTtl, Ttl, UploadId,
};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;
use time::macros::datetime;

const ACCESS_KEY: &str = "AKIDEXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const ENDPOINT: &str = "https://0123456789abcdef0123456789abcdef.r2.cloudflarestorage.com";
const HOST: &str = "0123456789abcdef0123456789abcdef.r2.cloudflarestorage.com";
const REGION: &str = "auto";
const BUCKET: &str = "robotrace-episodes";
const NOW: OffsetDateTime = datetime!(2026-11-24 03:56:49 UTC);
const GET_KEY: &str = "episodes/0b6fd3e2-6d3c-4c1e-9a57-8f1d2a3b4c5d/video/front_camera.mp4";
const PUT_KEY: &str = "episodes/0b6fd3e2-6d3c-4c1e-9a57-8f1d2a3b4c5d/sensors/imu.parquet";
const PUT_TYPE: &str = "application/vnd.apache.parquet";

/// One presigned request, described once for every signer.
#[derive(Clone)]
struct Workload {
    method: Method,
    key: String,
    ttl_secs: u32,
    content_type: Option<&'static str>,
    query: Vec<(String, String)>,
}

impl Workload {
    fn get(key: &str) -> Self {
        Self {
            method: Method::Get,
            key: key.to_owned(),
            ttl_secs: 3600,
            content_type: None,
            query: Vec::new(),
        }
    }

    fn put() -> Self {
        Self {
            method: Method::Put,
            key: PUT_KEY.to_owned(),
            ttl_secs: 1800,
            content_type: Some(PUT_TYPE),
            query: Vec::new(),
        }
    }
}

/// The 50 distinct keys of one portal page.
fn batch_keys() -> Vec<String> {
    (0..50)
        .map(|i| format!("episodes/0b6fd3e2-6d3c-4c1e-9a57-{i:012x}/video/front_camera.mp4"))
        .collect()
}

/// A 1024-byte key in which most characters need percent-encoding.
fn long_key() -> String {
    let pattern = "sensor logs/ü = 1+1 & (ß)~ ";
    let mut key = String::new();
    while key.len() + pattern.len() <= 1024 {
        key.push_str(pattern);
    }
    while key.len() < 1024 {
        key.push('x');
    }
    key
}

fn many_params(n: usize) -> Vec<(String, String)> {
    (0..n)
        .map(|i| (format!("param-{i:04}"), format!("value {i} with spaces")))
        .collect()
}

// ---- presign ----

struct Ours {
    presigner: Presigner,
    content_type: ContentType,
}

impl Ours {
    fn new() -> Self {
        Self {
            presigner: Presigner::new(
                Endpoint::r2("0123456789abcdef0123456789abcdef").expect("endpoint"),
                Credentials::new(ACCESS_KEY, SECRET).expect("credentials"),
            ),
            content_type: ContentType::new(PUT_TYPE).expect("content type"),
        }
    }

    fn request<'a>(
        &'a self,
        w: &'a Workload,
        query: &'a [(&'a str, &'a str)],
    ) -> ObjectRequest<'a> {
        let ttl = Ttl::from_secs(w.ttl_secs.into()).expect("ttl");
        let request = match w.method {
            Method::Put => ObjectRequest::put(
                BUCKET,
                &w.key,
                &self.content_type,
                PutTtl::from_secs(w.ttl_secs.into()).expect("ttl"),
            ),
            Method::Get => ObjectRequest::get(
                BUCKET,
                &w.key,
                GetTtl::from_secs(w.ttl_secs.into()).expect("ttl"),
            ),
            other => ObjectRequest::new(other, BUCKET, &w.key, ttl),
        };
        request.with_query(query)
    }

    fn url(&self, w: &Workload) -> String {
        let query = borrowed(&w.query);
        self.presigner
            .presign(&self.request(w, &query), NOW)
            .expect("presign")
            .into_url()
    }

    fn sign_into(&self, w: &Workload, query: &[(&str, &str)], buf: &mut String) {
        self.presigner
            .presign_into(&self.request(w, query), NOW, buf)
            .expect("presign");
    }
}

fn borrowed(pairs: &[(String, String)]) -> Vec<(&str, &str)> {
    pairs
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect()
}

// ---- rusty-s3 ----

struct RustyS3 {
    bucket: rusty_s3::Bucket,
    credentials: rusty_s3::Credentials,
    time: jiff::Timestamp,
}

impl RustyS3 {
    fn new() -> Self {
        Self {
            bucket: rusty_s3::Bucket::new(
                ENDPOINT.parse().expect("url"),
                rusty_s3::UrlStyle::Path,
                BUCKET,
                REGION,
            )
            .expect("bucket"),
            credentials: rusty_s3::Credentials::new(ACCESS_KEY, SECRET),
            time: jiff::Timestamp::from_second(NOW.unix_timestamp()).expect("time"),
        }
    }

    fn url(&self, w: &Workload) -> String {
        use rusty_s3::S3Action;
        let expires = Duration::from_secs(w.ttl_secs.into());
        if w.method == Method::Put {
            let mut action = self.bucket.put_object(Some(&self.credentials), &w.key);
            action.headers_mut().insert("content-type", PUT_TYPE);
            for (n, v) in &w.query {
                action.query_mut().insert(n.as_str(), v.as_str());
            }
            action.sign_with_time(expires, &self.time).into()
        } else {
            let mut action = self.bucket.get_object(Some(&self.credentials), &w.key);
            for (n, v) in &w.query {
                action.query_mut().insert(n.as_str(), v.as_str());
            }
            action.sign_with_time(expires, &self.time).into()
        }
    }
}

// ---- aws-sigv4 ----

// The reference wrapper the tests check `presign` against, so the peer timed here is the one
// they compare with.
#[allow(dead_code, reason = "the benchmark uses the S3 rules only")]
#[path = "../tests/common/aws_sigv4_ref.rs"]
mod aws_sigv4_ref;

struct AwsSigv4 {
    signer: aws_sigv4_ref::Signer,
}

impl AwsSigv4 {
    fn new() -> Self {
        Self {
            signer: aws_sigv4_ref::Signer::new(ACCESS_KEY, SECRET, None),
        }
    }

    fn url(&self, w: &Workload) -> String {
        let mut url = format!("{ENDPOINT}/{BUCKET}/{}", encode(&w.key, true));
        for (i, (n, v)) in w.query.iter().enumerate() {
            url.push(if i == 0 { '?' } else { '&' });
            url.push_str(&encode(n, false));
            url.push('=');
            url.push_str(&encode(v, false));
        }
        let mut headers = vec![("host", HOST)];
        if let Some(content_type) = w.content_type {
            headers.push(("content-type", content_type));
        }
        let request = aws_sigv4_ref::Request {
            method: w.method.as_str(),
            url: &url,
            headers: &headers,
            body: aws_sigv4_ref::Body::Unsigned,
        };
        let settings = aws_sigv4_ref::Settings {
            region: REGION,
            service: "s3",
            time: NOW,
            expires_in_secs: w.ttl_secs,
            rules: aws_sigv4_ref::Rules::S3,
            token_after_signing: false,
        };
        self.signer.presign(&request, &settings).expect("aws-sigv4")
    }
}

/// SigV4 `UriEncode`, written out plainly for the peer that takes an encoded URI.
fn encode(s: &str, keep_slash: bool) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) || (keep_slash && b == b'/') {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(b"0123456789ABCDEF"[usize::from(b >> 4)]));
            out.push(char::from(b"0123456789ABCDEF"[usize::from(b & 15)]));
        }
    }
    out
}

// ---- the floor ----

/// The exact bytes SigV4 must hash for a workload, and the derived key.
struct Floor {
    canonical_request: Vec<u8>,
    string_to_sign: Vec<u8>,
    signing_key: [u8; 32],
}

fn hmac(key: &[u8], data: &[u8]) -> [u8; 32] {
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(key).expect("hmac key");
    mac.update(data);
    mac.finalize().into_bytes().into()
}

fn derive_key() -> [u8; 32] {
    let k_date = hmac(format!("AWS4{SECRET}").as_bytes(), b"20261124");
    let k_region = hmac(&k_date, REGION.as_bytes());
    let k_service = hmac(&k_region, b"s3");
    hmac(&k_service, b"aws4_request")
}

impl Floor {
    fn new(w: &Workload) -> Self {
        let path = format!("/{BUCKET}/{}", w.key);
        let mut headers = vec![("host", HOST)];
        if let Some(content_type) = w.content_type {
            headers.push(("content-type", content_type));
        }
        let query = borrowed(&w.query);
        let request = HttpRequest {
            method: w.method.as_str(),
            path: &path,
            query: &query,
            headers: &headers,
        };
        let params = SigningParams {
            access_key_id: ACCESS_KEY,
            secret_access_key: SECRET,
            session_token: None,
            region: REGION,
            service: "s3",
            time: NOW,
            expires_in_secs: w.ttl_secs,
            rules: Rules::S3,
            payload: PayloadHash::Unsigned,
        };
        let mut canonical_request = String::new();
        sigv4::canonical_request(&request, &params, &mut canonical_request).expect("canonical");
        let mut string_to_sign = String::new();
        sigv4::string_to_sign(&request, &params, &mut string_to_sign).expect("string to sign");
        Self {
            canonical_request: canonical_request.into_bytes(),
            string_to_sign: string_to_sign.into_bytes(),
            signing_key: derive_key(),
        }
    }

    /// SHA-256 of the canonical request, then HMAC of the string to sign with the key.
    fn sign(&self, key: &[u8; 32]) -> [u8; 32] {
        let digest = Sha256::digest(&self.canonical_request);
        black_box(digest);
        hmac(key, &self.string_to_sign)
    }
}

fn signature_of(url: &str) -> &str {
    url.split("X-Amz-Signature=")
        .nth(1)
        .map_or("", |rest| rest.split('&').next().unwrap_or(""))
}

/// Asserts every signer produces the same signature for `w` before anything is timed.
fn check_agreement(name: &str, w: &Workload, ours: &Ours, rusty: &RustyS3, aws: &AwsSigv4) {
    let url = ours.url(w);
    let expected = signature_of(&url).to_owned();
    let floor = Floor::new(w);
    assert_eq!(
        hex::encode(floor.sign(&floor.signing_key)),
        expected,
        "{name}: the floor's bytes do not reproduce presign's signature"
    );
    assert_eq!(
        signature_of(&rusty.url(w)),
        expected,
        "{name}: rusty-s3 disagrees"
    );
    assert_eq!(
        signature_of(&aws.url(w)),
        expected,
        "{name}: aws-sigv4 disagrees"
    );
}

fn bench_workload(c: &mut Criterion, name: &str, w: &Workload) {
    let ours = Ours::new();
    let rusty = RustyS3::new();
    let aws = AwsSigv4::new();
    check_agreement(name, w, &ours, &rusty, &aws);
    let floor = Floor::new(w);
    let query = borrowed(&w.query);
    let mut group = c.benchmark_group(name);
    group.bench_function("presign_string", |b| b.iter(|| ours.url(black_box(w))));
    let mut buf = String::with_capacity(8192);
    group.bench_function("presign_reused_buffer", |b| {
        b.iter(|| ours.sign_into(black_box(w), &query, &mut buf));
    });
    group.bench_function("rusty_s3", |b| b.iter(|| rusty.url(black_box(w))));
    group.bench_function("aws_sigv4", |b| b.iter(|| aws.url(black_box(w))));
    group.bench_function("floor", |b| {
        b.iter(|| floor.sign(black_box(&floor.signing_key)));
    });
    group.finish();
}

fn get_and_put(c: &mut Criterion) {
    bench_workload(c, "get", &Workload::get(GET_KEY));
    bench_workload(c, "put", &Workload::put());
}

/// The 50 GET URLs of one portal page; each iteration signs all 50 (divide by 50 per URL).
fn batch(c: &mut Criterion) {
    let ours = Ours::new();
    let rusty = RustyS3::new();
    let aws = AwsSigv4::new();
    let workloads: Vec<Workload> = batch_keys().iter().map(|k| Workload::get(k)).collect();
    for w in &workloads {
        check_agreement("batch", w, &ours, &rusty, &aws);
    }
    let floors: Vec<Floor> = workloads.iter().map(Floor::new).collect();
    let mut group = c.benchmark_group("batch50");
    group.bench_function("presign_string", |b| {
        b.iter(|| workloads.iter().map(|w| ours.url(w).len()).sum::<usize>());
    });
    let mut buf = String::with_capacity(1024);
    group.bench_function("presign_reused_buffer", |b| {
        b.iter(|| {
            workloads
                .iter()
                .map(|w| {
                    ours.sign_into(w, &[], &mut buf);
                    buf.len()
                })
                .sum::<usize>()
        });
    });
    group.bench_function("rusty_s3", |b| {
        b.iter(|| workloads.iter().map(|w| rusty.url(w).len()).sum::<usize>());
    });
    group.bench_function("aws_sigv4", |b| {
        b.iter(|| workloads.iter().map(|w| aws.url(w).len()).sum::<usize>());
    });
    group.bench_function("floor", |b| {
        b.iter(|| {
            floors
                .iter()
                .map(|f| f.sign(&f.signing_key)[0])
                .fold(0u8, u8::wrapping_add)
        });
    });
    group.finish();
}

fn long_inputs(c: &mut Criterion) {
    bench_workload(c, "long_key", &Workload::get(&long_key()));
    let mut w = Workload::get(GET_KEY);
    w.query = many_params(100);
    bench_workload(c, "params100", &w);
    // Linearity: the same request with 10, 100 and 1000 extra parameters.
    let ours = Ours::new();
    let mut group = c.benchmark_group("params_scaling");
    for n in [10usize, 100, 1000] {
        let mut w = Workload::get(GET_KEY);
        w.query = many_params(n);
        let query = borrowed(&w.query);
        let mut buf = String::with_capacity(64 * 1024);
        group.bench_function(format!("presign_reused_buffer/{n}"), |b| {
            b.iter(|| ours.sign_into(&w, &query, &mut buf));
        });
    }
    group.finish();
}

/// Hostile sizes: a megabyte key is refused in constant time (its length is checked
/// first), and signing cost grows linearly with the number of extra query parameters and
/// headers (sorted, never compared pairwise).
fn hostile_inputs(c: &mut Criterion) {
    let ours = Ours::new();
    let megabyte_key = "k".repeat(1 << 20);
    let mut group = c.benchmark_group("hostile");
    let mut buf = String::with_capacity(1 << 20);
    group.bench_function("key_1MiB_refused", |b| {
        b.iter(|| {
            let request = ObjectRequest::get(BUCKET, black_box(&megabyte_key), GetTtl::default());
            ours.presigner
                .presign_into(&request, NOW, &mut buf)
                .unwrap_err()
        });
    });
    for n in [1_000usize, 10_000] {
        let params = many_params(n);
        let query = borrowed(&params);
        group.bench_function(format!("query_params/{n}"), |b| {
            b.iter(|| {
                let request =
                    ObjectRequest::get(BUCKET, GET_KEY, GetTtl::default()).with_query(&query);
                ours.presigner
                    .presign_into(&request, NOW, &mut buf)
                    .unwrap()
                    .url()
                    .len()
            });
        });
        let headers: Vec<(String, String)> = (0..n)
            .map(|i| (format!("x-amz-meta-h{i:05}"), format!("value {i}")))
            .collect();
        let headers = borrowed(&headers);
        group.bench_function(format!("headers/{n}"), |b| {
            b.iter(|| {
                let request =
                    ObjectRequest::get(BUCKET, GET_KEY, GetTtl::default()).with_headers(&headers);
                ours.presigner
                    .presign_into(&request, NOW, &mut buf)
                    .unwrap()
                    .url()
                    .len()
            });
        });
    }
    for n in [20_000usize, 40_000] {
        let path = "a/".repeat(n);
        group.bench_function(format!("normalize_segments/{n}"), |b| {
            b.iter(|| {
                let request = HttpRequest {
                    method: "GET",
                    path: &path,
                    query: &[],
                    headers: &[("host", HOST)],
                };
                let params = SigningParams {
                    access_key_id: ACCESS_KEY,
                    secret_access_key: SECRET,
                    session_token: None,
                    region: REGION,
                    service: "service",
                    time: NOW,
                    expires_in_secs: 60,
                    rules: Rules::Generic {
                        normalize_path: true,
                    },
                    payload: PayloadHash::EmptyBody,
                };
                sigv4::presign_query(&request, &params, &mut buf).unwrap()
            });
        });
    }
    group.finish();
}

/// The first URL of a UTC day: the signing key must be derived. One long-lived presigner
/// signs at 03:56:49 on alternate days (24 November, 25 November, 24 November, ...), so every
/// URL finds the cached key on the wrong date and derives it again, as the first URL after
/// midnight does. Against the floor plus the four HMACs of key derivation.
fn first_url_of_day(c: &mut Criterion) {
    let w = Workload::get(GET_KEY);
    let floor = Floor::new(&w);
    let ours = Ours::new();
    let days = [NOW, NOW + Duration::from_secs(86_400)];
    let mut group = c.benchmark_group("first_url_of_day");
    let mut buf = String::with_capacity(1024);
    let mut turn = 0usize;
    group.bench_function("presign_reused_buffer", |b| {
        b.iter(|| {
            turn ^= 1;
            let request = ours.request(black_box(&w), &[]);
            ours.presigner
                .presign_into(&request, days[turn], &mut buf)
                .expect("presign");
        });
    });
    group.bench_function("floor_with_derivation", |b| {
        b.iter(|| floor.sign(&black_box(derive_key())));
    });
    group.finish();
}

/// Throughput on 1 and 2 threads sharing one `&Presigner`: each thread signs `iters` URLs;
/// the reported time is wall time divided by the URLs signed, so 2 perfectly scaling
/// threads report half the time of one.
fn threads(c: &mut Criterion) {
    let ours = Ours::new();
    let w = Workload::get(GET_KEY);
    let mut group = c.benchmark_group("threads");
    for n_threads in [1u32, 2] {
        group.bench_function(format!("presign_reused_buffer/{n_threads}"), |b| {
            b.iter_custom(|iters| {
                let start = Instant::now();
                thread::scope(|scope| {
                    for _ in 0..n_threads {
                        scope.spawn(|| {
                            let mut buf = String::with_capacity(1024);
                            for _ in 0..iters {
                                ours.sign_into(black_box(&w), &[], &mut buf);
                            }
                        });
                    }
                });
                start.elapsed() / n_threads
            });
        });
    }
    group.finish();
}

/// Every part URL of a 1,000-part and a 10,000-part upload into one reused buffer, against a
/// plain PUT URL (`put_object`: content type bound) of the same key into the same buffer.
/// Each iteration mints all the part URLs: divide by the part count for one URL.
fn multipart_parts(c: &mut Criterion) {
    let ours = Ours::new();
    let key = "episodes/0b6fd3e2-6d3c-4c1e-9a57-8f1d2a3b4c5d/video/front_camera.mp4";
    let upload_id =
        "2~iCw_lDY8VoV2oPsN1PcPW6rzXvBI0vCRb9KY3hXgZ7B0nPzHLbXWNzZ3qmVIuVuHFW0RbNH0Sje5";
    let upload = ours
        .presigner
        .multipart_upload(BUCKET, key, UploadId::new(upload_id).expect("upload id"))
        .expect("multipart upload");
    let mut buf = String::with_capacity(1024);
    let mut group = c.benchmark_group("multipart");
    group.bench_function("put_same_key", |b| {
        let request = ObjectRequest::put(BUCKET, key, &ours.content_type, PutTtl::DEFAULT);
        b.iter(|| {
            ours.presigner
                .presign_into(black_box(&request), NOW, &mut buf)
                .expect("signs")
                .url()
                .len()
        });
    });
    for parts in [1_000u32, 10_000] {
        let numbers: Vec<PartNumber> = (1..=parts)
            .map(|n| PartNumber::new(n).expect("part number"))
            .collect();
        group.bench_function(format!("all_parts/{parts}"), |b| {
            b.iter(|| {
                numbers
                    .iter()
                    .map(|&n| {
                        upload
                            .part_into(n, PutTtl::DEFAULT, NOW, &mut buf)
                            .expect("signs")
                            .url()
                            .len()
                    })
                    .sum::<usize>()
            });
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .sample_size(50);
    targets = get_and_put, batch, long_inputs, hostile_inputs, first_url_of_day, threads,
        multipart_parts
}
criterion_main!(benches);
