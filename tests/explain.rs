//! `explain` against the verifier: for random presigned requests and every single change a
//! client can make to what it sends (the method, each header to send, headers added, the
//! host, the time), `explain` finds nothing exactly when the verifier (as strict as S3)
//! accepts the request, and names the change when it refuses it. Also: each sentence, and
//! no allocation while explaining.
#![cfg(feature = "std")]

use presign::{
    Checksum, ContentType, Credentials, Endpoint, GetTtl, Method, Mismatch, ObjectRequest, Policy,
    PresignedRequest, Presigner, PutTtl, ReceivedRequest, Ttl, UploadBindings, Verifier, explain,
};
use time::{Duration, OffsetDateTime};

mod common;

use common::rng::Rng;

const CONTENT_TYPES: &[&str] = &[
    "video/mp4",
    "application/vnd.apache.parquet",
    "text/plain; charset=utf-8",
    "application/x-www-form-urlencoded",
];

const EXTRA: &[(&str, &str)] = &[
    ("x-amz-meta-episode", "42"),
    ("x-amz-acl", "private"),
    ("cache-control", "no-store"),
    ("x-amz-storage-class", "STANDARD_IA"),
    ("content-disposition", "attachment; filename=\"a  b.mp4\""),
];

/// A presigned request, its verifier's region and its signing time.
struct Minted {
    signed: PresignedRequest,
    region: &'static str,
    time: OffsetDateTime,
    creds: Credentials,
}

fn mint(rng: &mut Rng) -> Minted {
    let (endpoint, region) = match rng.below(3) {
        0 => (Endpoint::r2("0123456789abcdef0123456789abcdef"), "auto"),
        1 => (Endpoint::aws_s3("eu-west-1"), "eu-west-1"),
        _ => (
            Endpoint::custom("http://127.0.0.1:9000", "us-east-1"),
            "us-east-1",
        ),
    };
    let creds =
        Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY").expect("valid");
    let presigner = Presigner::new(endpoint.expect("valid"), creds.clone());
    let time = OffsetDateTime::from_unix_timestamp(
        1_700_000_000 + i64::try_from(rng.below(400_000_000)).expect("fits"),
    )
    .expect("in range");
    let content_type = ContentType::new(rng.pick::<&str>(CONTENT_TYPES)).expect("valid");
    let mut bound = UploadBindings::new();
    if rng.chance(40) {
        bound = bound.content_length(rng.below(1 << 30));
    }
    if rng.chance(30) {
        bound = bound.checksum(Checksum::crc32(
            u32::try_from(rng.below(1 << 32)).expect("fits"),
        ));
    }
    if rng.chance(20) {
        bound = bound.if_none_match_any();
    }
    let extra: Vec<(&str, &str)> = EXTRA.iter().copied().filter(|_| rng.chance(25)).collect();
    let key = "episodes/42/video.mp4";
    let request = match rng.below(4) {
        0 => ObjectRequest::get("bucket", key, GetTtl::default()),
        1 => ObjectRequest::new(Method::Delete, "bucket", key, Ttl::default()),
        _ => ObjectRequest::put("bucket", key, &content_type, PutTtl::default())
            .with_bindings(&bound),
    };
    let request = if extra.is_empty() {
        request
    } else {
        request.with_headers(&extra)
    };
    Minted {
        signed: presigner.presign(&request, time).expect("signs"),
        region,
        time,
        creds,
    }
}

/// What a client sends: method, headers, the Host it uses, and when.
#[derive(Clone, Debug)]
struct Sending {
    method: String,
    headers: Vec<(String, String)>,
    host: String,
    now: OffsetDateTime,
}

fn host_and_target(url: &str) -> (&str, &str) {
    let rest = url.split_once("://").expect("absolute").1;
    let at = rest.find('/').expect("a path");
    (&rest[..at], &rest[at..])
}

/// What `explain` says about `sending`, and whether the verifier accepts it.
fn both(minted: &Minted, sending: &Sending) -> (Vec<String>, Vec<Mismatch<'static>>, bool) {
    let headers: Vec<(&str, &str)> = sending
        .headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let view = minted.signed.as_presigned();
    let found: Vec<Mismatch<'_>> = explain(&view, &sending.method, &headers, sending.now).collect();
    let sentences = found.iter().map(ToString::to_string).collect();
    // The kinds of what was found, without their borrowed texts.
    let kinds = found
        .iter()
        .map(|m| match m {
            Mismatch::Method { signed, .. } => Mismatch::Method {
                signed: *signed,
                sent: "",
            },
            Mismatch::HeaderMissing { .. } => Mismatch::HeaderMissing {
                name: "",
                signed: "",
            },
            Mismatch::Expired { expires_at, now } => Mismatch::Expired {
                expires_at: *expires_at,
                now: *now,
            },
            Mismatch::NotYetValid { signed_at, now } => Mismatch::NotYetValid {
                signed_at: *signed_at,
                now: *now,
            },
            Mismatch::Host { .. } => Mismatch::Host {
                signed: "",
                sent: "",
            },
            Mismatch::UnsignedAmzHeader { .. } => Mismatch::UnsignedAmzHeader { name: "" },
            Mismatch::AuthorizationHeader => Mismatch::AuthorizationHeader,
            // A value mismatch has no owned form; a stand-in kind.
            other => {
                assert!(matches!(other, Mismatch::HeaderValue { .. }), "{other:?}");
                Mismatch::HeaderMissing {
                    name: "value",
                    signed: "",
                }
            }
        })
        .collect();
    let (_, target) = host_and_target(minted.signed.url());
    let regions = [minted.region];
    let verifier = Verifier::new(Policy::new(&regions).expect("valid"), minted.creds.clone());
    let request = ReceivedRequest {
        method: &sending.method,
        target,
        host: &sending.host,
        headers: &headers,
    };
    let accepted = verifier.verify(&request, sending.now).is_ok();
    (sentences, kinds, accepted)
}

/// Every single change of `exact`, and whether S3 accepts it.
fn variants(minted: &Minted, exact: &Sending) -> Vec<(&'static str, Sending, bool)> {
    let mut variants: Vec<(&'static str, Sending, bool)> =
        vec![("as instructed", exact.clone(), true)];
    let with = |change: &dyn Fn(&mut Sending)| {
        let mut sending = exact.clone();
        change(&mut sending);
        sending
    };
    variants.push((
        "respelled",
        with(&|s| {
            for (name, value) in &mut s.headers {
                *name = name.to_uppercase();
                *value = format!(" {value} ");
            }
            s.headers.push(("User-Agent".into(), "curl/8".into()));
            s.headers.push(("Host".into(), s.host.clone()));
        }),
        true,
    ));
    for method in ["GET", "PUT", "DELETE", "HEAD", "POST"] {
        if method != exact.method {
            variants.push(("method", with(&|s| method.clone_into(&mut s.method)), false));
        }
    }
    for i in 0..exact.headers.len() {
        variants.push((
            "header dropped",
            with(&|s| {
                s.headers.remove(i);
            }),
            false,
        ));
        variants.push(("header value", with(&|s| s.headers[i].1.push('x')), false));
    }
    variants.push((
        "content-type from curl --data-binary",
        with(&|s| {
            s.headers.retain(|(n, _)| n != "content-type");
            s.headers.push((
                "Content-Type".into(),
                "application/x-www-form-urlencoded".into(),
            ));
        }),
        !exact.headers.iter().any(|(n, _)| n == "content-type")
            || exact
                .headers
                .iter()
                .any(|(_, v)| v == "application/x-www-form-urlencoded"),
    ));
    variants.push((
        "unsigned x-amz",
        with(&|s| s.headers.push(("x-amz-meta-new".into(), "1".into()))),
        false,
    ));
    variants.push((
        "authorization",
        with(&|s| s.headers.push(("Authorization".into(), "Bearer x".into()))),
        false,
    ));
    variants.push((
        "host",
        with(&|s| {
            s.host = "other.example".into();
            s.headers.push(("Host".into(), "other.example".into()));
        }),
        false,
    ));
    variants.push((
        "expired",
        with(&|s| s.now = minted.signed.expires_at()),
        false,
    ));
    variants.push((
        "clock behind",
        with(&|s| s.now = minted.time - Duration::seconds(901)),
        false,
    ));
    variants.push((
        "clock a bit behind",
        with(&|s| s.now = minted.time - Duration::seconds(900)),
        true,
    ));
    variants
}

#[test]
fn explain_finds_nothing_exactly_when_the_verifier_accepts() {
    let mut rng = Rng(0x5EED_E4A1_0000_0001);
    let mut changes = 0;
    for _ in 0..400 {
        let minted = mint(&mut rng);
        let (host, _) = host_and_target(minted.signed.url());
        let exact = Sending {
            method: minted.signed.method().as_str().to_owned(),
            headers: minted
                .signed
                .headers()
                .map(|(n, v)| (n.to_owned(), v.to_owned()))
                .collect(),
            host: host.to_owned(),
            now: minted.time + Duration::SECOND,
        };
        let variants = variants(&minted, &exact);
        for (what, sending, ok) in variants {
            let (sentences, kinds, accepted) = both(&minted, &sending);
            assert_eq!(accepted, ok, "verifier, {what}: {sending:?}");
            assert_eq!(
                sentences.is_empty(),
                accepted,
                "{what}: explain says {sentences:?} but the verifier {}",
                if accepted { "accepts" } else { "refuses" }
            );
            if !ok {
                assert_eq!(kinds.len(), 1, "{what}: {sentences:?}");
            }
            changes += 1;
        }
    }
    eprintln!("explain: {changes} requests agree with the verifier");
}

#[test]
fn each_sentence_names_the_fix() {
    let creds = Credentials::new("AKID", "secret").expect("valid");
    let presigner = Presigner::new(
        Endpoint::r2("0123456789abcdef0123456789abcdef").expect("valid"),
        creds,
    );
    let now = time::macros::datetime!(2026-11-24 03:56:49 UTC);
    let mp4 = ContentType::new("video/mp4").expect("valid");
    let bound = UploadBindings::new().content_length(1024);
    let request = ObjectRequest::put("episodes", "42.mp4", &mp4, PutTtl::default())
        .with_bindings(&bound)
        .with_headers(&[("x-amz-meta-episode", "42")]);
    let up = presigner.presign(&request, now).expect("signs");
    let view = up.as_presigned();
    let sent = [
        ("Content-Type", "application/x-www-form-urlencoded"),
        ("X-Amz-Meta-Episode", "41"),
        ("x-amz-acl", "public-read"),
        ("Host", "evil.example"),
        ("Authorization", "Bearer abc"),
    ];
    let found: Vec<String> = explain(&view, "POST", &sent, now + Duration::HOUR)
        .map(|m| m.to_string())
        .collect();
    assert_eq!(
        found,
        [
            "the URL expired at 2026-11-24T04:26:49Z, 1800 s ago: presign a new one",
            "method sent as `POST`; the URL is signed for `PUT`: send -X PUT",
            "Content-Type sent as `application/x-www-form-urlencoded`; the URL is signed for `video/mp4`: send -H 'Content-Type: video/mp4' (curl --data-binary sends application/x-www-form-urlencoded unless told otherwise)",
            "Content-Length is not sent; the URL is signed for `1024`: send -H 'Content-Length: 1024'",
            "X-Amz-Meta-Episode sent as `41`; the URL is signed for `42`: send -H 'X-Amz-Meta-Episode: 42'",
            "Host sent as `evil.example`; the URL is signed for `0123456789abcdef0123456789abcdef.r2.cloudflarestorage.com`: send the URL's own host",
            "X-Amz-Acl is sent but not signed; S3 refuses unsigned x-amz-* headers: drop it, or presign the URL with it",
            "an Authorization header is sent with the presigned URL; S3 accepts one way to authenticate: drop the header",
        ]
    );
    let early = explain(&view, "PUT", &[], now - Duration::HOUR)
        .next()
        .expect("a mismatch")
        .to_string();
    assert_eq!(
        early,
        "the URL is signed for 2026-11-24T03:56:49Z, 3600 s ahead of this clock (2026-11-24T02:56:49Z); S3 allows 900 s: check the signer's clock"
    );
}

#[test]
fn explaining_allocates_nothing() {
    let creds = Credentials::new("AKID", "secret").expect("valid");
    let presigner = Presigner::new(Endpoint::aws_s3("us-east-1").expect("valid"), creds);
    let now = time::macros::datetime!(2026-11-24 03:56:49 UTC);
    let mp4 = ContentType::new("video/mp4").expect("valid");
    let up = presigner
        .put_object("bucket", "k.mp4", &mp4, PutTtl::default(), now)
        .expect("signs");
    let view = up.as_presigned();
    let sent = [("content-type", "text/plain"), ("x-amz-acl", "private")];
    let counted = allocation_counter::measure(|| {
        let n = explain(&view, "GET", &sent, now + Duration::DAY).count();
        assert_eq!(n, 4);
    });
    assert_eq!(counted.count_total, 0);
}
