//! Heap allocations per presigned URL, counted with a counting global allocator: none when
//! writing into a reused buffer or a byte slice, exactly one (the URL's `String`) otherwise.
//! A test of counts, not of time.

use presign::{
    ContentType, Credentials, Endpoint, GetTtl, ObjectRequest, Presigner, PutTtl, ResponseOverrides,
};
use time::macros::datetime;

const NOW: time::OffsetDateTime = datetime!(2026-11-24 03:56:49 UTC);

fn presigner(token: bool) -> Presigner {
    let mut creds =
        Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY").unwrap();
    if token {
        creds = creds
            .with_session_token("FwoGZXIvYXdzEXAMPLE//token+value=")
            .unwrap();
    }
    Presigner::new(
        Endpoint::r2("0123456789abcdef0123456789abcdef").unwrap(),
        creds,
    )
}

#[test]
fn reused_buffer_allocates_nothing() {
    let content_type = ContentType::new("application/vnd.apache.parquet").unwrap();
    let overrides = ResponseOverrides::new().content_disposition("attachment; filename=\"e.mp4\"");
    let query = [("partNumber", "3"), ("uploadId", "abc")];
    let headers = [("x-amz-meta-episode", "42")];
    for token in [false, true] {
        let p = presigner(token);
        let requests = [
            ObjectRequest::get(
                "robotrace-episodes",
                "episodes/42/video.mp4",
                GetTtl::default(),
            ),
            ObjectRequest::put(
                "robotrace-episodes",
                "episodes/42/imu.parquet",
                &content_type,
                PutTtl::default(),
            ),
            ObjectRequest::get("robotrace-episodes", "a b/ü+&=.mp4", GetTtl::default())
                .with_response_overrides(&overrides),
            ObjectRequest::put(
                "robotrace-episodes",
                "big.bin",
                &content_type,
                PutTtl::default(),
            )
            .with_query(&query)
            .with_headers(&headers),
        ];
        let mut url = String::with_capacity(4096);
        // The first URL of the day derives the signing key; that must not allocate either.
        for request in &requests {
            let counted = allocation_counter::measure(|| {
                p.presign_into(request, NOW, &mut url).unwrap();
            });
            assert_eq!(
                counted.count_total, 0,
                "presign_into allocated (token: {token}): {url}"
            );
            let mut buf = [0u8; 4096];
            let counted = allocation_counter::measure(|| {
                p.presign_to_slice(request, NOW, &mut buf).unwrap();
            });
            assert_eq!(
                counted.count_total, 0,
                "presign_to_slice allocated (token: {token})"
            );
        }
    }
}

#[test]
fn returned_string_is_the_only_allocation() {
    let p = presigner(true);
    let counted = allocation_counter::measure(|| {
        let get = p
            .get_object(
                "robotrace-episodes",
                "episodes/42/video.mp4",
                GetTtl::default(),
                NOW,
            )
            .unwrap();
        assert!(get.url().contains("X-Amz-Signature="));
    });
    assert_eq!(counted.count_total, 1, "get_object");
    let counted = allocation_counter::measure(|| {
        let put = p
            .put_object(
                "robotrace-episodes",
                "episodes/42/imu.parquet",
                &ContentType::new("application/vnd.apache.parquet").unwrap(),
                PutTtl::default(),
                NOW,
            )
            .unwrap();
        assert_eq!(put.headers().count(), 1);
    });
    assert_eq!(counted.count_total, 1, "put_object");
    // A 1024-byte key of characters that all need encoding: the capacity estimate holds.
    let key = "é".repeat(512);
    let counted = allocation_counter::measure(|| {
        p.get_object("robotrace-episodes", &key, GetTtl::default(), NOW)
            .unwrap();
    });
    assert_eq!(counted.count_total, 1, "long key");
}
