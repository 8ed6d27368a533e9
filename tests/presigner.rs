//! Behaviour of one shared `Presigner` over time and threads, checked against the official
//! `aws-sigv4` crate: UTC midnight (the cached signing key must change with the scope date),
//! 29 February, the end of a year, non-UTC offsets, and many threads signing across a day
//! boundary at once. Also: secrets stay out of `Debug`, `Display` and errors.

mod common;

use std::time::Duration;

use presign::{
    ContentType, Credentials, Endpoint, GetTtl, Method, ObjectRequest, PresignedRequest, Presigner,
    PutTtl, Ttl,
};
use time::OffsetDateTime;
use time::macros::datetime;

use common::{assert_same_url, aws_sigv4_ref, query_param, url_parts};

const ACCESS_KEY: &str = "AKIDEXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const TOKEN: &str = "FwoGZXIvYXdzEXAMPLE/session+token=";
const ACCOUNT: &str = "0123456789abcdef0123456789abcdef";
const HOST: &str = "0123456789abcdef0123456789abcdef.r2.cloudflarestorage.com";
const BUCKET: &str = "robotrace-episodes";
const KEY: &str = "episodes/42/video.mp4";

fn r2(token: bool) -> Presigner {
    let mut creds = Credentials::new(ACCESS_KEY, SECRET).unwrap();
    if token {
        creds = creds.with_session_token(TOKEN).unwrap();
    }
    Presigner::new(Endpoint::r2(ACCOUNT).unwrap(), creds)
}

/// The URL `aws-sigv4` makes for the same request: the reference, computed independently.
fn aws_sigv4_url(
    method: Method,
    content_type: Option<&str>,
    ttl: u32,
    at: OffsetDateTime,
    token: bool,
) -> String {
    aws_sigv4_url_for("https", HOST, "auto", method, content_type, ttl, at, token)
}

/// [`aws_sigv4_url`] for any scheme, host and region.
#[allow(
    clippy::too_many_arguments,
    reason = "one reference signer for every test"
)]
fn aws_sigv4_url_for(
    scheme: &str,
    host: &str,
    region: &str,
    method: Method,
    content_type: Option<&str>,
    ttl: u32,
    at: OffsetDateTime,
    token: bool,
) -> String {
    let url = format!("{scheme}://{host}/{BUCKET}/{KEY}");
    let mut headers = vec![("host", host)];
    headers.extend(content_type.map(|ct| ("content-type", ct)));
    let request = aws_sigv4_ref::Request {
        method: method.as_str(),
        url: &url,
        headers: &headers,
        body: aws_sigv4_ref::Body::Unsigned,
    };
    let settings = aws_sigv4_ref::Settings {
        region,
        service: "s3",
        time: at,
        expires_in_secs: ttl,
        rules: aws_sigv4_ref::Rules::S3,
        token_after_signing: false,
    };
    aws_sigv4_ref::Signer::new(ACCESS_KEY, SECRET, token.then_some(TOKEN))
        .presign(&request, &settings)
        .unwrap()
}

fn param<'u>(url: &'u str, name: &str) -> &'u str {
    query_param(url, name).unwrap_or_else(|| panic!("no {name} in {url}"))
}

/// X-Amz-Date and the date of the credential scope always name the same UTC day.
fn assert_dates_agree(url: &str) {
    let amz_date = param(url, "X-Amz-Date");
    let credential = param(url, "X-Amz-Credential");
    let scope_date = credential.split("%2F").nth(1).unwrap();
    assert_eq!(&amz_date[..8], scope_date, "{url}");
}

#[test]
fn one_presigner_across_midnight_leap_day_and_new_year() {
    let p = r2(false);
    let content_type = ContentType::new("video/mp4").unwrap();
    let instants = [
        datetime!(2026-11-24 23:59:59 UTC),
        datetime!(2026-11-25 00:00:00 UTC),
        datetime!(2026-11-24 23:59:59.999 UTC),
        datetime!(2028-02-28 23:59:59 UTC),
        datetime!(2028-02-29 00:00:00 UTC),
        datetime!(2028-02-29 23:59:59 UTC),
        datetime!(2028-03-01 00:00:00 UTC),
        datetime!(2026-12-31 23:59:59 UTC),
        datetime!(2027-01-01 00:00:00 UTC),
        // Back to an earlier day: the cache must not serve the newer day's key.
        datetime!(2026-11-24 12:00:00 UTC),
        // A local time whose UTC date is the previous day.
        datetime!(2026-11-25 01:30:00 +05:30),
        datetime!(2026-11-24 20:00:00 -05:00),
    ];
    for at in instants {
        let utc = at
            .to_offset(time::UtcOffset::UTC)
            .replace_nanosecond(0)
            .unwrap();
        let get = p.get_object(BUCKET, KEY, GetTtl::default(), at).unwrap();
        assert_same_url(
            &format!("GET at {at}"),
            get.url(),
            &aws_sigv4_url(Method::Get, None, 3600, utc, false),
        );
        assert_dates_agree(get.url());
        let put = p
            .put_object(BUCKET, KEY, &content_type, PutTtl::default(), at)
            .unwrap();
        assert_same_url(
            &format!("PUT at {at}"),
            put.url(),
            &aws_sigv4_url(Method::Put, Some("video/mp4"), 1800, utc, false),
        );
        assert_eq!(put.expires_at(), utc + Duration::from_secs(1800));
    }
}

#[test]
fn session_token_is_signed() {
    let p = r2(true);
    let at = datetime!(2026-11-24 03:56:49 UTC);
    let get = p.get_object(BUCKET, KEY, GetTtl::default(), at).unwrap();
    assert_same_url(
        "GET with token",
        get.url(),
        &aws_sigv4_url(Method::Get, None, 3600, at, true),
    );
}

#[test]
fn presigner_is_send_sync_and_threads_agree_across_a_day_boundary() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Presigner>();
    assert_send_sync::<PresignedRequest>();

    let p = r2(false);
    let days = [
        datetime!(2026-11-24 23:59:59 UTC),
        datetime!(2026-11-25 00:00:00 UTC),
    ];
    let expected: Vec<String> = days
        .iter()
        .map(|&at| aws_sigv4_url(Method::Get, None, 3600, at, false))
        .collect();
    std::thread::scope(|scope| {
        for thread in 0..4 {
            let (p, days, expected) = (&p, &days, &expected);
            scope.spawn(move || {
                let mut url = String::new();
                for i in 0..2000 {
                    // Threads alternate days out of phase, so the cache keeps being replaced
                    // while other threads read it.
                    let day = (i + thread) % 2;
                    p.presign_into(
                        &ObjectRequest::get(BUCKET, KEY, GetTtl::default()),
                        days[day],
                        &mut url,
                    )
                    .unwrap();
                    assert_eq!(
                        url_parts(&url),
                        url_parts(&expected[day]),
                        "thread {thread}, iteration {i}"
                    );
                }
            });
        }
    });
}

#[test]
fn secrets_stay_out_of_debug_display_and_errors() {
    let creds = Credentials::new(ACCESS_KEY, SECRET)
        .unwrap()
        .with_session_token(TOKEN)
        .unwrap();
    let p = Presigner::new(Endpoint::r2(ACCOUNT).unwrap(), creds.clone());
    let get = p
        .get_object(
            BUCKET,
            KEY,
            GetTtl::default(),
            datetime!(2026-11-24 03:56:49 UTC),
        )
        .unwrap();
    let signature = param(get.url(), "X-Amz-Signature").to_owned();
    let texts = [
        format!("{creds:?}"),
        format!("{creds:#?}"),
        format!("{p:?}"),
        format!("{p:#?}"),
        format!("{get:?}"),
        format!("{get:#?}"),
    ];
    let token_encoded = param(get.url(), "X-Amz-Security-Token").to_owned();
    for text in &texts {
        assert!(!text.contains(SECRET), "secret in {text}");
        assert!(
            !text.contains("wJalrXUtnFEMI"),
            "part of the secret in {text}"
        );
        assert!(
            !text.contains(TOKEN) && !text.contains(&token_encoded),
            "token in {text}"
        );
        assert!(!text.contains(&signature), "usable signature in {text}");
    }
    assert!(
        texts[0].contains(ACCESS_KEY),
        "the access key id is public and helps debugging"
    );
    // Errors about secrets name the field and the offending byte, never the value.
    for bad_secret in [
        "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY\n",
        "wJalrXUtnFEMI K7MDENG",
    ] {
        let err = Credentials::new(ACCESS_KEY, bad_secret).unwrap_err();
        let text = format!("{err} {err:?}");
        assert!(text.contains("secret access key"), "{text}");
        assert!(!text.contains("wJalrXUtnFEMI"), "{text}");
    }
    let err = Credentials::new(ACCESS_KEY, SECRET)
        .unwrap()
        .with_session_token("zqxj yvw")
        .unwrap_err();
    assert!(!format!("{err} {err:?}").contains("zqxj"), "{err}");
}

#[test]
fn times_the_format_cannot_express_are_refused() {
    let p = r2(false);
    for at in [
        datetime!(-0001-06-01 00:00 UTC),
        datetime!(-9999-01-01 00:00 UTC),
    ] {
        let err = p
            .get_object(BUCKET, KEY, GetTtl::default(), at)
            .unwrap_err();
        assert_eq!(err, presign::Error::SigningTimeOutOfRange, "{at}");
    }
    // The last second of year 9999 signs, but a lifetime past the calendar's end does not.
    let last = datetime!(9999-12-31 23:59:59 UTC);
    assert!(p.get_object(BUCKET, KEY, GetTtl::default(), last).is_err());
    let first = datetime!(0000-01-01 00:00 UTC);
    let url = p.get_object(BUCKET, KEY, GetTtl::default(), first).unwrap();
    assert_eq!(param(url.url(), "X-Amz-Date"), "00000101T000000Z");
}

#[test]
fn general_entry_point_signs_extra_parameters_and_headers() {
    let p = r2(false);
    let at = datetime!(2026-11-24 03:56:49 UTC);
    let query = [("uploadId", "VXBsb2FkIElE+/="), ("partNumber", "7")];
    let headers = [("X-Amz-Meta-Episode", "42"), ("x-amz-acl", "private")];
    let part = p
        .presign(
            &ObjectRequest::new(Method::Put, BUCKET, KEY, Ttl::default())
                .with_query(&query)
                .with_headers(&headers),
            at,
        )
        .unwrap();
    assert_eq!(
        param(part.url(), "X-Amz-SignedHeaders"),
        "host%3Bx-amz-acl%3Bx-amz-meta-episode"
    );
    assert_eq!(param(part.url(), "uploadId"), "VXBsb2FkIElE%2B%2F%3D");
    assert_eq!(part.headers().collect::<Vec<_>>(), headers);
}

#[test]
fn headers_that_clients_rewrite_are_refused() {
    let p = r2(false);
    let at = datetime!(2026-11-24 03:56:49 UTC);
    for name in [
        "User-Agent",
        "authorization",
        "Connection",
        "transfer-encoding",
        "expect",
        "X-Amzn-Trace-Id",
    ] {
        let headers = [(name, "x")];
        let err = p
            .presign(
                &ObjectRequest::new(Method::Put, BUCKET, KEY, Ttl::default())
                    .with_headers(&headers),
                at,
            )
            .unwrap_err();
        assert!(
            matches!(err, presign::Error::UnsignableHeader { name: n } if n.eq_ignore_ascii_case(name)),
            "{name}: {err:?}"
        );
        assert!(err.to_string().contains("remove it"), "{err}");
    }
}

#[test]
fn endpoint_urls_no_client_would_parse_are_refused() {
    for url in [
        "https://example.com:+8443",
        "https://example.com:",
        "https://example.com:65536",
        "https://-bad-.example.com",
        "https://bad-.example.com",
        "https://999.999.999.999",
        "https://1.2.3",
        "http://10.0.0.256:9000",
    ] {
        assert!(
            matches!(
                Endpoint::custom(url, "auto"),
                Err(presign::Error::InvalidEndpoint { .. })
            ),
            "{url} was accepted"
        );
    }
    for (url, host) in [
        ("https://example.com:08443", "example.com:8443"),
        ("http://127.0.0.1:9000", "127.0.0.1:9000"),
        ("https://s3.example-1.com", "s3.example-1.com"),
    ] {
        assert_eq!(Endpoint::custom(url, "auto").unwrap().host(), host, "{url}");
    }
}

/// A byte buffer just large enough for the URL (no scratch room for the canonical request)
/// gives the same URL as a growable one; one byte less is `BufferTooSmall`, never a cut URL.
#[test]
fn tight_slices_give_the_same_url_or_a_clear_error() {
    let p = r2(true);
    let at = datetime!(2026-11-24 03:56:49 UTC);
    let content_type = ContentType::new("video/mp4").unwrap();
    let headers = [("x-amz-meta-episode", "42")];
    let request =
        ObjectRequest::put(BUCKET, KEY, &content_type, PutTtl::default()).with_headers(&headers);
    let mut expected = String::new();
    p.presign_into(&request, at, &mut expected).unwrap();
    let mut exact = vec![0u8; expected.len()];
    let url = p.presign_to_slice(&request, at, &mut exact).unwrap().url();
    assert_eq!(url, expected);
    let mut short = vec![0u8; expected.len() - 1];
    let err = p.presign_to_slice(&request, at, &mut short).unwrap_err();
    assert!(
        matches!(err, presign::Error::BufferTooSmall { capacity, .. } if capacity == expected.len() - 1),
        "{err:?}"
    );
}

/// The canonical request is hashed in the URL buffer with the method line laid over the
/// end of the host for a moment, or streamed when the buffer has no room for that. Every
/// method, on the shortest host (`http://a`, where the longest method line reaches back into
/// the scheme) and on R2, through a roomy `String`, a roomy slice and an exactly sized slice
/// (the streamed path): each URL, host included, equals aws-sigv4's.
#[test]
fn every_method_and_buffer_signs_as_aws_sigv4() {
    let at = datetime!(2026-11-24 03:56:49 UTC);
    let content_type = ContentType::new("video/mp4").unwrap();
    for (base, scheme, host, region) in [
        ("http://a", "http", "a", "us-east-1"),
        ("https://a", "https", "a", "auto"),
        ("http://127.0.0.1:9000", "http", "127.0.0.1:9000", "auto"),
    ] {
        let p = Presigner::new(
            Endpoint::custom(base, region).unwrap(),
            Credentials::new(ACCESS_KEY, SECRET).unwrap(),
        );
        for method in [
            Method::Get,
            Method::Put,
            Method::Head,
            Method::Delete,
            Method::Post,
        ] {
            let content = (method == Method::Put).then_some(&content_type);
            let mut request = ObjectRequest::new(method, BUCKET, KEY, Ttl::default());
            if let Some(content_type) = content {
                request = request.with_content_type(content_type);
            }
            let expected = aws_sigv4_url_for(
                scheme,
                host,
                region,
                method,
                content.map(ContentType::as_str),
                Ttl::default().as_secs(),
                at,
                false,
            );
            let mut url = String::new();
            p.presign_into(&request, at, &mut url).unwrap();
            assert_same_url(&format!("{method} on {base}, String"), &url, &expected);
            let mut roomy = vec![0u8; 4096];
            let in_slice = p.presign_to_slice(&request, at, &mut roomy).unwrap().url();
            assert_eq!(in_slice, url, "{method} on {base}, roomy slice");
            let mut exact = vec![0u8; url.len()];
            let in_exact = p.presign_to_slice(&request, at, &mut exact).unwrap().url();
            assert_eq!(in_exact, url, "{method} on {base}, exact slice");
        }
    }
}

// Regression tests for what the fuzzers found (fuzz/README.md): hosts clients rewrite,
// punycode-looking virtual-hosted buckets, over-long virtual hosts, quadratic normalisation.

#[test]
fn custom_endpoint_hosts_are_sent_as_signed() {
    let cases: [(&str, Option<&str>); 10] = [
        ("http://[abc]", None),
        ("http://[:]:9000", None),
        ("http://[::1::2]", None),
        ("http://[0:0:0:0:0:0:0:1]:9000", Some("[::1]:9000")),
        ("http://[::FFFF:1.2.3.4]", Some("[::ffff:102:304]")),
        ("http://010.0.0.1:9000", Some("8.0.0.1:9000")),
        ("http://1.2.3.04", Some("1.2.3.4")),
        ("http://0x7f.0.0.1", Some("127.0.0.1")),
        ("http://s3.local.1:9000", None),
        ("http://xn--abc.example", None),
    ];
    for (url, client_sends) in cases {
        match (Endpoint::custom(url, "auto"), client_sends) {
            (Err(_), _) => {}
            (Ok(e), Some(sent)) => assert_eq!(e.host(), sent, "{url}"),
            (Ok(e), None) => panic!("{url} accepted as host {}", e.host()),
        }
    }
    assert_eq!(
        Endpoint::custom("http://[::1]:9000", "auto")
            .unwrap()
            .host(),
        "[::1]:9000"
    );
    assert_eq!(
        Endpoint::custom("http://[2001:db8::1]", "auto")
            .unwrap()
            .host(),
        "[2001:db8::1]"
    );
    assert_eq!(
        Endpoint::custom("http://10.0.0.1", "auto").unwrap().host(),
        "10.0.0.1"
    );
    assert_eq!(
        Endpoint::custom("http://0.0.0.0", "auto").unwrap().host(),
        "0.0.0.0"
    );
    // A last label like "0x…" is a number to clients only if the rest is hex (fuzzing found
    // this one refused although clients send it as written).
    assert_eq!(
        Endpoint::custom("http://0xn--0000000", "auto")
            .unwrap()
            .host(),
        "0xn--0000000"
    );
}

#[test]
fn virtual_hosted_bucket_with_punycode_prefix_is_refused() {
    for endpoint in [
        Endpoint::r2(ACCOUNT).unwrap(),
        Endpoint::custom("http://s3.local:9000", "auto").unwrap(),
    ] {
        let p = Presigner::new(
            endpoint.with_addressing(presign::AddressingStyle::VirtualHosted),
            Credentials::new("AKID", "secret").unwrap(),
        );
        let r = p.get_object(
            "xn--bucket",
            "k",
            GetTtl::default(),
            datetime!(2026-11-24 03:56:49 UTC),
        );
        assert!(r.is_err(), "{:?}", r.map(PresignedRequest::into_url));
    }
}

#[test]
fn virtual_hosted_host_longer_than_dns_allows_is_refused() {
    let host = format!(
        "{}.{}.{}.{}.example",
        "a".repeat(60),
        "b".repeat(60),
        "c".repeat(60),
        "d".repeat(56)
    );
    assert_eq!(host.len(), 247);
    let endpoint = Endpoint::custom(&format!("http://{host}:9000"), "auto")
        .unwrap()
        .with_addressing(presign::AddressingStyle::VirtualHosted);
    let p = Presigner::new(endpoint, Credentials::new("AKID", "secret").unwrap());
    let r = p.get_object(
        &"b".repeat(63),
        "k",
        GetTtl::default(),
        datetime!(2026-11-24 03:56:49 UTC),
    );
    assert!(
        matches!(r, Err(presign::Error::InvalidEndpoint { .. })),
        "{:?}",
        r.map(|u| u.into_url().len())
    );
}

/// 40,000 segments took 14 s when normalisation rescanned the rest of the path per segment
/// (found by fuzzing). The canonical path of a large path is right; its cost against path
/// length is shown by the `hostile/normalize_segments` benchmark, not timed here.
#[test]
fn normalized_generic_path_with_many_segments() {
    use presign::sigv4::{self, HttpRequest, PayloadHash, Rules, SigningParams};
    let segments = 40_000;
    let path = "a/".repeat(segments) + &"../".repeat(segments / 2) + "./b";
    let params = SigningParams {
        access_key_id: "AKID",
        secret_access_key: "secret",
        session_token: None,
        region: "us-east-1",
        service: "service",
        time: datetime!(2026-11-24 03:56:49 UTC),
        expires_in_secs: 60,
        rules: Rules::Generic {
            normalize_path: true,
        },
        payload: PayloadHash::EmptyBody,
    };
    let request = HttpRequest {
        method: "GET",
        path: &path,
        query: &[],
        headers: &[("host", "h")],
    };
    let mut canonical = String::new();
    sigv4::canonical_request(&request, &params, &mut canonical).unwrap();
    let expected = "/a".repeat(segments / 2) + "/b";
    assert_eq!(canonical.lines().nth(1).unwrap(), expected);
}
