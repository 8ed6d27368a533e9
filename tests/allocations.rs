//! Heap allocations per presigned URL, counted with a counting global allocator: none when
//! writing into a reused buffer or a byte slice, exactly one (the URL's `String`) otherwise.
//! A test of counts, not of time.

use presign::{
    ContentType, Credentials, Endpoint, GetTtl, ObjectRequest, PartNumber, Presigner, PutTtl,
    ResponseOverrides, UploadBindings, UploadId,
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

/// Every part URL of a 10,000-part upload into one reused buffer (or a slice): no
/// allocation at all, bound parts included.
#[test]
fn part_urls_allocate_nothing() {
    let p = presigner(true);
    let upload = p
        .multipart_upload(
            "robotrace-episodes",
            "episodes/42/video.mp4",
            UploadId::new("2~iCw_lDY8VoV2oPsN1PcPW6rzXvBI0vCRb9KY3hXgZ7B0nPzHLbXWNzZ3qmVIuVuHFW0")
                .unwrap(),
        )
        .unwrap();
    let bound = UploadBindings::new()
        .content_length(8 << 20)
        .content_md5(&[7; 16]);
    let mut url = String::with_capacity(2048);
    let mut buf = [0u8; 2048];
    // Derive the day's key first, as a service does on its first URL.
    upload
        .part_into(PartNumber::MIN, PutTtl::default(), NOW, &mut url)
        .unwrap();
    let counted = allocation_counter::measure(|| {
        for n in 1..=10_000 {
            let part = PartNumber::new(n).unwrap();
            upload
                .part_into(part, PutTtl::default(), NOW, &mut url)
                .unwrap();
            upload
                .part_to_slice(part, PutTtl::default(), NOW, &mut buf)
                .unwrap();
        }
    });
    assert_eq!(counted.count_total, 0, "part URLs allocated");
    let request = ObjectRequest::upload_part(
        "robotrace-episodes",
        "episodes/42/video.mp4",
        upload.upload_id(),
        PartNumber::MAX,
        PutTtl::default(),
    )
    .with_bindings(&bound);
    let counted = allocation_counter::measure(|| {
        p.presign_into(&request, NOW, &mut url).unwrap();
    });
    assert_eq!(counted.count_total, 0, "a bound part URL allocated");
}

/// An owned result with bindings and extra headers is still one allocation.
#[test]
fn owned_result_with_headers_is_one_allocation() {
    let p = presigner(true);
    let content_type = ContentType::new("video/mp4").unwrap();
    let bound = UploadBindings::new()
        .content_length(1 << 30)
        .checksum(presign::Checksum::sha256(&[1; 32]))
        .if_none_match_any();
    let headers = [("x-amz-meta-episode", "42"), ("x-amz-meta-robot", "arm-7")];
    let request = ObjectRequest::put(
        "robotrace-episodes",
        "episodes/42/video.mp4",
        &content_type,
        PutTtl::default(),
    )
    .with_bindings(&bound)
    .with_headers(&headers);
    let counted = allocation_counter::measure(|| {
        let signed = p.presign(&request, NOW).unwrap();
        assert_eq!(signed.headers().count(), 6);
    });
    assert_eq!(counted.count_total, 1, "presign with bindings and headers");
}
