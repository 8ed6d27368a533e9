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
//!
//! Criterion times each function for seconds on end, one after the other, and on a shared
//! machine the load moves between them (the same code has measured 1.2× and 1.6× in
//! successive runs). So the bench first prints a paired table: rounds of 20,000 calls of
//! each, the order alternating from round to round, a ratio taken within each round, and
//! the median and interquartile range of those ratios: drift common to a round cancels.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group};
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

/// A presigner, the URL it mints for `request`, and a verifier of it as received.
fn setup(request: &ObjectRequest<'_>) -> (Presigner, String, Verifier<'static, Credentials>) {
    let presigner = Presigner::new(Endpoint::r2(ACCOUNT).expect("valid"), credentials());
    let url = presigner.presign(request, NOW).expect("signs").into_url();
    (presigner, url, Verifier::new(Policy::r2(), credentials()))
}

fn received<'a>(
    request: &ObjectRequest<'_>,
    url: &'a str,
    headers: &'a [(&'a str, &'a str)],
) -> ReceivedRequest<'a> {
    ReceivedRequest {
        method: request.method().as_str(),
        target: &url[ORIGIN.len()..],
        host: HOST,
        headers,
    }
}

fn bench_case(
    c: &mut Criterion,
    name: &str,
    request: &ObjectRequest<'_>,
    headers: &[(&str, &str)],
) {
    let (presigner, url, verifier) = setup(request);
    let received = received(request, &url, headers);
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

const GET_HEADERS: &[(&str, &str)] = &[("range", "bytes=0-1048575")];
const PUT_HEADERS: &[(&str, &str)] = &[("content-type", PUT_TYPE), ("content-length", "52428800")];

/// The two typical requests: a GET of a video (1 hour) and a PUT bound to its type.
fn with_requests(mut each: impl FnMut(&str, &ObjectRequest<'_>, &[(&str, &str)])) {
    each(
        "R2 GET",
        &ObjectRequest::get(BUCKET, GET_KEY, GetTtl::default()),
        GET_HEADERS,
    );
    let content_type = ContentType::new(PUT_TYPE).expect("valid");
    let put = ObjectRequest::put(BUCKET, PUT_KEY, &content_type, PutTtl::default());
    each("R2 PUT", &put, PUT_HEADERS);
}

fn get_and_put(c: &mut Criterion) {
    with_requests(|name, request, headers| {
        let group = if name == "R2 GET" {
            "verify_r2_get"
        } else {
            "verify_r2_put"
        };
        bench_case(c, group, request, headers);
    });
}

/// Calls per function per round of the paired table, and rounds.
const PAIRED_CALLS: u32 = 20_000;
const PAIRED_ROUNDS: usize = 31;

/// Nanoseconds per call of `f`, over `PAIRED_CALLS` calls.
fn per_call(mut f: impl FnMut()) -> f64 {
    let start = Instant::now();
    for _ in 0..PAIRED_CALLS {
        f();
    }
    start.elapsed().as_secs_f64() * 1e9 / f64::from(PAIRED_CALLS)
}

/// The median and the quartiles of `values`.
fn quartiles(mut values: Vec<f64>) -> [f64; 3] {
    values.sort_by(f64::total_cmp);
    let at = |q: usize| values[(values.len() - 1) * q / 4];
    [at(2), at(1), at(3)]
}

/// The paired table: presign, verify and verify with the key derived again, timed in turn
/// within each round, the order alternating.
fn paired_table() {
    println!(
        "Paired rounds ({PAIRED_ROUNDS} rounds of {PAIRED_CALLS} calls each, order alternating; CPU: {}):",
        cpu_model()
    );
    println!(
        "| request | presign ns | verify ns | verify ÷ presign (IQR) | derived every time ns | ÷ presign (IQR) |"
    );
    println!("| --- | ---: | ---: | ---: | ---: | ---: |");
    with_requests(|name, request, headers| {
        let (presigner, url, verifier) = setup(request);
        let received = received(request, &url, headers);
        let mut buf = String::with_capacity(4096);
        let mut presign = || {
            black_box(
                presigner
                    .presign_into(black_box(request), black_box(NOW), &mut buf)
                    .expect("signs")
                    .expires_at(),
            );
        };
        let verify = || {
            black_box(
                verifier
                    .verify(black_box(&received), black_box(NOW))
                    .expect("verifies")
                    .expires_at(),
            );
        };
        let naive = || {
            verifier.clear_cache();
            verify();
        };
        let mut rounds: [Vec<f64>; 5] = Default::default();
        for round in 0..PAIRED_ROUNDS {
            let (p, v, n) = if round % 2 == 0 {
                (per_call(&mut presign), per_call(verify), per_call(naive))
            } else {
                let (n, v) = (per_call(naive), per_call(verify));
                (per_call(&mut presign), v, n)
            };
            for (series, value) in rounds.iter_mut().zip([p, v, n, v / p, n / p]) {
                series.push(value);
            }
        }
        let [p, v, n, vr, nr] = rounds.map(quartiles);
        println!(
            "| {name} | {:.0} | {:.0} | {:.2} ({:.2}–{:.2}) | {:.0} | {:.2} ({:.2}–{:.2}) |",
            p[0], v[0], vr[0], vr[1], vr[2], n[0], nr[0], nr[1], nr[2]
        );
    });
    println!();
}

/// The CPU's model name, as `lscpu` gives it.
fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|line| line.starts_with("model name"))
                .and_then(|line| line.split_once(':'))
                .map(|(_, model)| model.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown".to_owned())
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .sample_size(40);
    targets = get_and_put
}

fn main() {
    // `cargo bench -- --test` (and `cargo test --benches`) only check that the bench runs.
    if !std::env::args().any(|arg| arg == "--test") {
        paired_table();
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
