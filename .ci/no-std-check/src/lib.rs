//! A `no_std`, no-allocator caller of `presign`: if this links, the core needs neither.
#![no_std]

use presign::sigv4::{self, HttpRequest, PayloadHash, Rules, SigningParams};
use presign::{
    ContentType, Credentials, Endpoint, GetTtl, ObjectRequest, PartNumber, PresignedUrl, Presigner,
    PutTtl, UploadId,
};
use time::macros::datetime;

/// Presigns a PUT, a GET and a multipart part into stack buffers, reads the GET back, and
/// returns the total URL length (0 on error).
#[unsafe(no_mangle)]
pub extern "C" fn presign_no_std_demo() -> usize {
    let Ok(creds) = Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
    else {
        return 0;
    };
    let Ok(endpoint) = Endpoint::r2("0123456789abcdef0123456789abcdef") else {
        return 0;
    };
    let Ok(content_type) = ContentType::new("video/mp4") else {
        return 0;
    };
    let presigner = Presigner::new(endpoint, creds);
    let now = datetime!(2026-11-24 03:56:49 UTC);
    let mut buf = [0u8; 1024];
    let put = ObjectRequest::put(
        "robotrace-episodes",
        "episodes/42/video.mp4",
        &content_type,
        PutTtl::default(),
    );
    let put_len = match presigner.presign_to_slice(&put, now, &mut buf) {
        Ok(signed) => signed.url().len() + signed.headers().count(),
        Err(_) => return 0,
    };
    let get = ObjectRequest::get(
        "robotrace-episodes",
        "episodes/42/video.mp4",
        GetTtl::default(),
    );
    let get_len = match presigner.presign_to_slice(&get, now, &mut buf) {
        Ok(signed) => match PresignedUrl::parse(signed.url()) {
            Ok(read) if !read.is_expired(now) => signed.url().len(),
            _ => return 0,
        },
        Err(_) => return 0,
    };
    let (Ok(id), Ok(part)) = (UploadId::new("VXBsb2FkSWQ"), PartNumber::new(3)) else {
        return 0;
    };
    let Ok(upload) = presigner.multipart_upload("robotrace-episodes", "episodes/42/video.mp4", id)
    else {
        return 0;
    };
    let part_len = match upload.part_to_slice(part, PutTtl::default(), now, &mut buf) {
        Ok(signed) => signed.url().len(),
        Err(_) => return 0,
    };
    put_len + get_len + part_len + low_level_len()
}

/// The generic signer writing into a fixed-size `core::fmt::Write`.
fn low_level_len() -> usize {
    struct Fixed {
        buf: [u8; 512],
        len: usize,
    }
    impl core::fmt::Write for Fixed {
        fn write_str(&mut self, s: &str) -> core::fmt::Result {
            let end = self.len + s.len();
            self.buf
                .get_mut(self.len..end)
                .ok_or(core::fmt::Error)?
                .copy_from_slice(s.as_bytes());
            self.len = end;
            Ok(())
        }
    }
    let params = SigningParams {
        access_key_id: "AKIDEXAMPLE",
        secret_access_key: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        session_token: None,
        region: "us-east-1",
        service: "service",
        time: datetime!(2015-08-30 12:36:00 UTC),
        expires_in_secs: 3600,
        rules: Rules::Generic {
            normalize_path: true,
        },
        payload: PayloadHash::EmptyBody,
    };
    let request = HttpRequest {
        method: "GET",
        path: "/",
        query: &[],
        headers: &[("Host", "example.amazonaws.com")],
    };
    let mut out = Fixed {
        buf: [0; 512],
        len: 0,
    };
    match sigv4::presign_query(&request, &params, &mut out) {
        Ok(_) => out.len,
        Err(_) => 0,
    }
}

#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    loop {}
}
