//! Verifying a presigned request against presigning it, in one run.
//!
//! For a typical R2 GET (a 71-byte key, 1 hour) and PUT (bound to its Content-Type, 30
//! minutes): `presign` into a reused buffer; `Verifier::verify` with its key table warm (the
//! steady state of a server); and a naive verifier that derives the signing key again for
//! every request (the table cleared before each, as a server without a cache does), which
//! costs the four HMACs of the derivation on top.
//!
//! Run `cargo bench --bench verify`, then `python3 benches/verify_report.py` for medians and
//! ratios. Before anything is timed, each URL is checked to verify, and the allocations of
//! one verification are counted (there must be none).

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use presign::{
    ContentType, Credentials, Endpoint, GetTtl, ObjectRequest, Policy, Presigner, PutTtl,
    ReceivedRequest, Verifier,
};
use time::OffsetDateTime;
use time::macros::datetime;

const ACCOUNT: &str = "0123456789abcdef0123456789abcdef";
const ORIGIN: &str = "https://0123456789abcdef0123456789abcdef.r2.cloudflarestorage.com";
const HOST: &str = "0123456789abcdef0123456789abcdef.r2.cloudflarestorage.com";
const ACCESS_KEY: &str = "8d1f0d53a1e44b0fa5d4c2ea1a2b3c4d";
const SECRET: &str = "3c1e2d9f0a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d";
const BUCKET: &str = "robotrace-episodes";
const NOW: OffsetDateTime = datetime!(2026-11-24 03:56:49 UTC);
const GET_KEY: &str = "episodes/0b6fd3e2-6d3c-4c1e-9a57-8f1d2a3b4c5d/video/front_camera.mp4";
const PUT_KEY: &str = "episodes/0b6fd3e2-6d3c-4c1e-9a57-8f1d2a3b4c5d/sensors/imu.parquet";
const PUT_TYPE: &str = "application/vnd.apache.parquet";

fn credentials() -> Credentials {
    Credentials::new(ACCESS_KEY, SECRET).expect("valid")
}

fn bench_case(
    c: &mut Criterion,
    name: &str,
    request: &ObjectRequest<'_>,
    headers: &[(&str, &str)],
) {
    let presigner = Presigner::new(Endpoint::r2(ACCOUNT).expect("valid"), credentials());
    let url = presigner.presign(request, NOW).expect("signs").into_url();
    let target = &url[ORIGIN.len()..];
    let received = ReceivedRequest {
        method: request.method().as_str(),
        target,
        host: HOST,
        headers,
    };
    let verifier = Verifier::new(Policy::r2(), credentials());
    verifier.verify(&received, NOW).expect("the URL verifies");
    let counted = allocation_counter::measure(|| {
        verifier.verify(&received, NOW).expect("verifies");
    });
    assert_eq!(counted.count_total, 0, "{name}: verify allocated");

    let mut group = c.benchmark_group(name);
    let mut buf = String::with_capacity(4096);
    group.bench_function("presign_reused_buffer", |b| {
        b.iter(|| {
            presigner
                .presign_into(black_box(request), black_box(NOW), &mut buf)
                .expect("signs")
                .expires_at()
        });
    });
    group.bench_function("verify", |b| {
        b.iter(|| {
            verifier
                .verify(black_box(&received), black_box(NOW))
                .expect("verifies")
                .expires_at()
        });
    });
    group.bench_function("verify_naive_rederive", |b| {
        b.iter(|| {
            verifier.clear_cache();
            verifier
                .verify(black_box(&received), black_box(NOW))
                .expect("verifies")
                .expires_at()
        });
    });
    group.finish();
}

fn get_and_put(c: &mut Criterion) {
    let get = ObjectRequest::get(BUCKET, GET_KEY, GetTtl::default());
    bench_case(c, "verify_r2_get", &get, &[("range", "bytes=0-1048575")]);
    let content_type = ContentType::new(PUT_TYPE).expect("valid");
    let put = ObjectRequest::put(BUCKET, PUT_KEY, &content_type, PutTtl::default());
    bench_case(
        c,
        "verify_r2_put",
        &put,
        &[("content-type", PUT_TYPE), ("content-length", "52428800")],
    );
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .sample_size(40);
    targets = get_and_put
}
criterion_main!(benches);
