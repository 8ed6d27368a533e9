//! End to end: URLs minted by `presign`, sent by `curl` to a real S3-compatible
//! server (`s3s-fs`, which has its own `SigV4` verifier).
//!
//! Run with `.ci/e2e-server.sh run` (or via `.ci/run`), which starts `s3s-fs` on
//! 127.0.0.1 and exports `PRESIGN_E2E_ENDPOINT`, `PRESIGN_E2E_ACCESS_KEY`,
//! `PRESIGN_E2E_SECRET_KEY`, `PRESIGN_E2E_BUCKET` (an existing bucket) and
//! `PRESIGN_E2E_ROOT` (the server's data directory). Without
//! `PRESIGN_E2E_ENDPOINT` every test prints a note and returns, except
//! `ci_does_not_skip_end_to_end`, which fails when `CI` is set.
//!
//! Where `s3s-fs` (0.17) differs from Cloudflare R2 / AWS S3 (see the comments at
//! each place):
//! - it does not check the credential-scope region (R2 accepts only `auto`, and
//!   `us-east-1` / empty as aliases of it; S3 requires the bucket's region);
//! - it does not validate `X-Amz-Security-Token`: the token is only covered by the
//!   signature like any other query parameter, so any token value works;
//! - when a signature fails to match it retries with the raw, undecoded request path
//!   (only when that path holds characters outside `A-Za-z0-9-_.~/%`; `presign`
//!   percent-encodes all of those, so the fallback never applies to its URLs);
//! - it accepts an `X-Amz-Date` up to 900 s in the future;
//! - it stores objects as files: `a//b` and `a/b` are the same object, and a PUT
//!   of a key over 157 bytes (with the 11-byte bucket `presign-e2e`) fails with
//!   500: its metadata file name, `.bucket-<b64 bucket>.object-<b64 key>.metadata.json`,
//!   passes the 255-byte file-name limit. R2 and S3 take keys up to 1024 bytes.

mod common;

use std::io::Write as _;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

use presign::{
    Checksum, CompletedPart, ContentType, Credentials, Endpoint, Error, GetTtl, ListParts, Method,
    ObjectRequest, PartNumber, PartPlan, PartsPage, PresignedRequest, Presigner, PutTtl,
    ResponseOverrides, Store, Ttl, UploadBindings, UploadId, write_complete_multipart_upload,
};
use time::{Duration, OffsetDateTime};

use common::{escapes_are_well_formed, percent_decode, query_param};

// ---------------------------------------------------------------------------
// Environment

const SKIP_NOTE: &str = "skipped: set PRESIGN_E2E_ENDPOINT, run via .ci/run";

struct Server {
    endpoint: String,
    access_key: String,
    secret_key: String,
    bucket: String,
    root: Option<PathBuf>,
}

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// The server from the environment, or `None` (after a note on stderr) when the
/// end-to-end environment is not set up.
fn server(test: &str) -> Option<Server> {
    let Some(endpoint) = var("PRESIGN_E2E_ENDPOINT") else {
        eprintln!("{test}: {SKIP_NOTE}");
        return None;
    };
    let need = |name: &str| {
        var(name).unwrap_or_else(|| panic!("PRESIGN_E2E_ENDPOINT is set but {name} is not"))
    };
    require_curl();
    Some(Server {
        endpoint: endpoint.trim_end_matches('/').to_owned(),
        access_key: need("PRESIGN_E2E_ACCESS_KEY"),
        secret_key: need("PRESIGN_E2E_SECRET_KEY"),
        bucket: need("PRESIGN_E2E_BUCKET"),
        root: var("PRESIGN_E2E_ROOT").map(PathBuf::from),
    })
}

fn require_curl() {
    let ok = Command::new("curl")
        .arg("--version")
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    assert!(
        ok,
        "curl is required for the end-to-end tests and was not found on PATH"
    );
}

impl Server {
    fn credentials(&self) -> Credentials {
        Credentials::new(&self.access_key, &self.secret_key).expect("credentials")
    }

    fn presigner(&self, region: &str) -> Presigner {
        self.presigner_with(region, self.credentials())
    }

    fn presigner_with(&self, region: &str, credentials: Credentials) -> Presigner {
        let endpoint = Endpoint::custom(&self.endpoint, region).expect("custom endpoint");
        Presigner::new(endpoint, credentials)
    }

    /// Where `s3s-fs` keeps the object, if the data directory is known.
    fn object_file(&self, key: &str) -> Option<PathBuf> {
        self.root
            .as_ref()
            .map(|root| root.join(&self.bucket).join(key))
    }
}

/// A key prefix no other test (or earlier run against the same root) uses.
fn unique_prefix(test: &str) -> String {
    let nanos = OffsetDateTime::now_utc().unix_timestamp_nanos();
    format!("{test}-{nanos}/")
}

fn now() -> OffsetDateTime {
    OffsetDateTime::now_utc()
}

// ---------------------------------------------------------------------------
// curl

struct Reply {
    status: u16,
    body: Vec<u8>,
    headers: Vec<(String, String)>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .rev()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

type Headers<'a> = &'a [(&'a str, &'a str)];

static FILE_COUNTER: AtomicUsize = AtomicUsize::new(0);

/// Sends one request with curl. A header with an empty value is *removed*
/// (`-H 'Name:'`), which is how curl is told not to send one of its defaults.
fn curl(method: Method, url: &str, headers: &[(&str, &str)], body: Option<&[u8]>) -> Reply {
    curl_with(&[], method, url, headers, body)
}

/// [`curl`] with extra curl options.
fn curl_with(
    options: &[&str],
    method: Method,
    url: &str,
    headers: &[(&str, &str)],
    body: Option<&[u8]>,
) -> Reply {
    let n = FILE_COUNTER.fetch_add(1, Ordering::Relaxed);
    let base = std::env::temp_dir().join(format!("presign-e2e-{}-{n}", std::process::id()));
    let body_file = base.with_extension("body");
    let header_file = base.with_extension("headers");

    let mut cmd = Command::new("curl");
    // -g: no globbing of [] {}; --path-as-is: send the path exactly as minted.
    cmd.args(["-s", "-S", "-g", "--path-as-is", "--max-time", "30"]);
    cmd.arg("-o").arg(&body_file).arg("-D").arg(&header_file);
    cmd.args(["-w", "%{http_code}"]);
    cmd.args(options);
    match method {
        Method::Head => {
            cmd.arg("-I");
        }
        other => {
            cmd.args(["-X", other.as_str()]);
        }
    }
    for (name, value) in headers {
        if value.is_empty() {
            cmd.args(["-H", &format!("{name}:")]);
        } else {
            cmd.args(["-H", &format!("{name}: {value}")]);
        }
    }
    if body.is_some() {
        cmd.args(["--data-binary", "@-"]);
    }
    cmd.arg(url);
    cmd.stdin(if body.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    });
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());

    let mut child = cmd.spawn().expect("spawn curl");
    if let Some(body) = body {
        let mut stdin = child.stdin.take().expect("curl stdin");
        stdin.write_all(body).expect("write request body to curl");
    }
    let out = child.wait_with_output().expect("run curl");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        out.status.success(),
        "curl {method:?} {url} failed ({}): {stderr}",
        out.status
    );
    let status: u16 = stdout
        .trim()
        .parse()
        .unwrap_or_else(|_| panic!("curl printed no status code: {stdout:?} {stderr}"));

    let body = std::fs::read(&body_file).unwrap_or_default();
    let raw_headers = std::fs::read_to_string(&header_file).unwrap_or_default();
    let _ = std::fs::remove_file(&body_file);
    let _ = std::fs::remove_file(&header_file);
    let headers = raw_headers
        .lines()
        .filter_map(|line| line.split_once(':'))
        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        .collect();
    Reply {
        status,
        body,
        headers,
    }
}

/// Sends the request the way a client must: the method and every header the
/// presigned request lists, plus `extra` (an empty value removes a header).
fn send(req: &PresignedRequest, extra: &[(&str, &str)], body: Option<&[u8]>) -> Reply {
    let mut headers: Vec<(&str, &str)> = req.headers().collect();
    headers.extend_from_slice(extra);
    curl(req.method(), req.url(), &headers, body)
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The `<Code>` of an S3 XML error body.
fn error_code(body: &[u8]) -> Option<String> {
    let body = std::str::from_utf8(body).ok()?;
    let start = body.find("<Code>")? + "<Code>".len();
    let len = body[start..].find("</Code>")?;
    Some(body[start..start + len].to_owned())
}

/// Asserts the status; also logs `flow -> observed` (see it with `--nocapture`).
#[track_caller]
fn expect_status(reply: &Reply, want: u16, what: &str) {
    eprintln!(
        "e2e: {what} -> expected {want}, observed {} {}",
        reply.status,
        error_code(&reply.body).unwrap_or_default()
    );
    assert_eq!(
        reply.status,
        want,
        "{what}: expected HTTP {want}, got {}; body: {}",
        reply.status,
        text(&reply.body)
    );
}

/// s3s-fs retries a failed signature check with the raw request path when that
/// path holds bytes outside `A-Za-z0-9-_.~/%`, which would hide a key that is
/// signed unencoded (R2 and S3 only use the decoded-then-encoded path). A path
/// made only of those bytes never takes the fallback, so a 200 for it means the
/// standard canonicalisation matched. Also checks that it decodes to the key.
#[track_caller]
fn assert_path_fully_encoded(srv: &Server, url: &str, key: &str) {
    let rest = url
        .strip_prefix(&srv.endpoint)
        .unwrap_or_else(|| panic!("{url} is not on {}", srv.endpoint));
    let path = rest.split_once('?').map_or(rest, |(p, _)| p);
    assert!(
        path.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.~/%".contains(&b)),
        "{path}: bytes outside A-Za-z0-9-_.~/% must be percent-encoded"
    );
    assert!(
        escapes_are_well_formed(path),
        "{path}: a % that does not start a %XX escape"
    );
    assert_eq!(
        percent_decode(path),
        format!("/{}/{key}", srv.bucket),
        "{path} does not decode to the key"
    );
}

/// Asserts a 403 with this S3 error code, so that e.g. an "expired" URL is not
/// passing only because it was signed wrongly.
#[track_caller]
fn expect_refused(reply: &Reply, code: &str, what: &str) {
    expect_status(reply, 403, what);
    assert_eq!(
        error_code(&reply.body).as_deref(),
        Some(code),
        "{what}: refused for another reason: {}",
        text(&reply.body)
    );
    if code == EXPIRED {
        let body = text(&reply.body);
        assert!(
            body.contains("expired"),
            "{what}: not refused as expired: {body}"
        );
    }
}

const BAD_SIGNATURE: &str = "SignatureDoesNotMatch";
const EXPIRED: &str = "AccessDenied"; // "Request has expired", as on S3

// ---------------------------------------------------------------------------
// URL surgery for the tampering tests

/// Replaces the raw (still percent-encoded) value of query parameter `name`.
fn with_param(url: &str, name: &str, edit: impl FnOnce(&str) -> String) -> String {
    let (path, query) = url.split_once('?').expect("URL has a query");
    let mut found = false;
    let mut edit = Some(edit);
    let parts: Vec<String> = query
        .split('&')
        .map(|pair| match pair.split_once('=') {
            Some((n, v)) if n == name => {
                found = true;
                let edit = edit.take().expect("parameter appears once");
                format!("{n}={}", edit(v))
            }
            _ => pair.to_owned(),
        })
        .collect();
    assert!(found, "{name} is not in {url}");
    format!("{path}?{}", parts.join("&"))
}

fn without_param(url: &str, name: &str) -> String {
    let (path, query) = url.split_once('?').expect("URL has a query");
    let parts: Vec<&str> = query
        .split('&')
        .filter(|pair| pair.split_once('=').map_or(*pair, |(n, _)| n) != name)
        .collect();
    assert_ne!(
        parts.len(),
        query.split('&').count(),
        "{name} is not in {url}"
    );
    format!("{path}?{}", parts.join("&"))
}

/// Changes the last character to a different one of the same class; a hex
/// digit stays a hex digit (in the same case) and a decimal digit stays a digit,
/// so the result still parses and only the signature check can refuse it.
fn flip_last(s: &str) -> String {
    let mut out = s.to_owned();
    let last = out.pop().expect("non-empty");
    out.push(match last {
        '9' => '8',
        'f' => 'e',
        'F' => 'E',
        'z' => 'y',
        'Z' => 'Y',
        '0'..='8' | 'a'..='y' | 'A'..='Y' => char::from(last as u8 + 1),
        _ => 'A',
    });
    out
}

#[test]
fn flip_last_keeps_the_character_class() {
    for (from, to) in [
        ("a9", "a8"),
        ("a0", "a1"),
        ("af", "ae"),
        ("ae", "af"),
        ("AF", "AE"),
    ] {
        assert_eq!(flip_last(from), to);
    }
    for hex in "0123456789abcdef".chars() {
        let flipped = flip_last(&hex.to_string());
        assert_ne!(flipped, hex.to_string());
        assert!(
            flipped
                .chars()
                .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
        );
    }
}

// ---------------------------------------------------------------------------
// Tests

/// CI must run these tests against a server, never skip them silently.
#[test]
fn ci_does_not_skip_end_to_end() {
    if var("CI").is_some() {
        assert!(
            var("PRESIGN_E2E_ENDPOINT").is_some(),
            "CI is set but PRESIGN_E2E_ENDPOINT is not: the end-to-end tests would be skipped. \
             Run them through .ci/run (source .ci/e2e-server.sh; e2e_start)."
        );
        require_curl();
    }
}

#[test]
fn put_get_head_round_trip() {
    let Some(srv) = server("put_get_head_round_trip") else {
        return;
    };
    let p = srv.presigner("auto");
    let key = format!("{}object.bin", unique_prefix("round_trip"));
    let ct = ContentType::new("application/octet-stream").expect("content type");
    let body: Vec<u8> = (0..=255u8).cycle().take(4096).collect();

    let put = p
        .put_object(&srv.bucket, &key, &ct, PutTtl::default(), now())
        .expect("presign PUT");
    assert_eq!(put.method(), Method::Put);
    assert!(
        put.url()
            .starts_with(&format!("{}/{}/", srv.endpoint, srv.bucket)),
        "path style on the custom endpoint: {}",
        put.url()
    );
    assert!(
        put.headers()
            .any(|(n, v)| n == "content-type" && v == "application/octet-stream"),
        "the PUT must bind Content-Type"
    );
    expect_status(
        &send(&put, &[], Some(&body)),
        200,
        "PUT with the bound Content-Type",
    );

    let get = p
        .get_object(&srv.bucket, &key, GetTtl::default(), now())
        .expect("presign GET");
    assert_eq!(get.headers().count(), 0, "a GET needs no headers");
    let reply = send(&get, &[], None);
    expect_status(&reply, 200, "GET");
    assert!(reply.body == body, "GET returned other bytes than were PUT");
    assert_eq!(
        reply.header("content-type"),
        Some("application/octet-stream")
    );

    let head = p
        .head_object(&srv.bucket, &key, GetTtl::default(), now())
        .expect("presign HEAD");
    let reply = send(&head, &[], None);
    expect_status(&reply, 200, "HEAD");
    assert_eq!(reply.header("content-length"), Some("4096"));

    // The String-reusing and the no-alloc entry points mint URLs that work too.
    let t = now();
    let request = ObjectRequest::get(&srv.bucket, &key, GetTtl::default());
    let minted = p.presign(&request, t).expect("presign");
    let mut reused = String::from("garbage that must be cleared");
    p.presign_into(&request, t, &mut reused)
        .expect("presign_into");
    let mut buf = [0u8; 2048];
    let in_slice = p
        .presign_to_slice(&request, t, &mut buf)
        .expect("presign_to_slice")
        .url();
    assert_eq!(reused, minted.url());
    assert_eq!(in_slice, minted.url());
    let reply = curl(Method::Get, in_slice, &[], None);
    expect_status(&reply, 200, "GET with the presign_to_slice URL");
    assert!(reply.body == body);
}

#[test]
fn put_content_type_is_bound() {
    let Some(srv) = server("put_content_type_is_bound") else {
        return;
    };
    let p = srv.presigner("auto");
    let key = format!("{}doc.json", unique_prefix("content_type"));
    let ct = ContentType::new("application/json").expect("content type");
    let put = p
        .put_object(&srv.bucket, &key, &ct, PutTtl::default(), now())
        .expect("presign PUT");
    let url = put.url();
    let original = br#"{"v":1}"#;

    let reply = curl(
        Method::Put,
        url,
        &[("Content-Type", "application/json")],
        Some(original),
    );
    expect_status(&reply, 200, "PUT with the bound Content-Type");

    let cases: [(&str, &[(&str, &str)]); 4] = [
        ("another Content-Type", &[("Content-Type", "text/plain")]),
        (
            "the Content-Type in another case",
            &[("Content-Type", "Application/JSON")],
        ),
        ("no Content-Type", &[("Content-Type", "")]),
        // curl --data-binary sends application/x-www-form-urlencoded by default.
        ("curl's default Content-Type", &[]),
    ];
    for (what, headers) in cases {
        let reply = curl(Method::Put, url, headers, Some(b"overwritten"));
        expect_refused(&reply, BAD_SIGNATURE, &format!("same PUT URL with {what}"));
    }

    let get = p
        .get_object(&srv.bucket, &key, GetTtl::default(), now())
        .expect("presign GET");
    let reply = send(&get, &[], None);
    expect_status(&reply, 200, "GET after the refused PUTs");
    assert_eq!(
        text(&reply.body),
        text(original),
        "a refused PUT changed the object"
    );
    assert_eq!(reply.header("content-type"), Some("application/json"));
}

#[test]
fn range_get() {
    let Some(srv) = server("range_get") else {
        return;
    };
    let p = srv.presigner("auto");
    let key = format!("{}range.txt", unique_prefix("range"));
    let ct = ContentType::new("text/plain").expect("content type");
    let body = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let put = p
        .put_object(&srv.bucket, &key, &ct, PutTtl::default(), now())
        .expect("presign PUT");
    expect_status(&send(&put, &[], Some(body)), 200, "PUT");

    let get = p
        .get_object(&srv.bucket, &key, GetTtl::default(), now())
        .expect("presign GET");
    // Range is not signed; any Range works with the same URL.
    let reply = send(&get, &[("Range", "bytes=2-9")], None);
    expect_status(&reply, 206, "GET with Range: bytes=2-9");
    assert_eq!(text(&reply.body), "23456789");
    assert_eq!(reply.header("content-range"), Some("bytes 2-9/36"));
}

#[test]
fn expired_urls_are_refused() {
    let Some(srv) = server("expired_urls_are_refused") else {
        return;
    };
    let p = srv.presigner("auto");
    let key = format!("{}obj.txt", unique_prefix("expired"));
    let ct = ContentType::new("text/plain").expect("content type");
    let t = now();

    // A PUT URL whose TTL ran out creates nothing.
    let stale_put = p
        .put_object(
            &srv.bucket,
            &key,
            &ct,
            PutTtl::from_secs(60).expect("ttl"),
            t - Duration::hours(2),
        )
        .expect("presign PUT in the past");
    assert!(stale_put.expires_at() < t);
    expect_refused(
        &send(&stale_put, &[], Some(b"late")),
        EXPIRED,
        "PUT after its TTL",
    );
    let get = p
        .get_object(&srv.bucket, &key, GetTtl::default(), t)
        .expect("presign GET");
    expect_status(
        &send(&get, &[], None),
        404,
        "GET of the object the stale PUT would have made",
    );

    let put = p
        .put_object(&srv.bucket, &key, &ct, PutTtl::default(), t)
        .expect("presign PUT");
    expect_status(&send(&put, &[], Some(b"fresh")), 200, "PUT");

    let cases = [
        (
            "1 h TTL signed 2 h ago",
            3600,
            Duration::hours(2),
            Some(EXPIRED),
        ),
        (
            "1 s TTL signed 5 s ago",
            1,
            Duration::seconds(5),
            Some(EXPIRED),
        ),
        // Control: signed in the past but still inside its TTL.
        ("3 h TTL signed 2 h ago", 3 * 3600, Duration::hours(2), None),
    ];
    for (what, ttl, age, want) in cases {
        let req = p
            .get_object(
                &srv.bucket,
                &key,
                GetTtl::from_secs(ttl).expect("ttl"),
                t - age,
            )
            .expect("presign GET in the past");
        match want {
            Some(code) => expect_refused(&send(&req, &[], None), code, what),
            None => expect_status(&send(&req, &[], None), 200, what),
        }
    }
}

#[test]
fn tampered_urls_are_refused() {
    let Some(srv) = server("tampered_urls_are_refused") else {
        return;
    };
    // eu-west-1 so that rewriting the scope's region to `auto` is a change.
    let p = srv.presigner("eu-west-1");
    let prefix = unique_prefix("tampered");
    let ct = ContentType::new("text/plain").expect("content type");
    // Both keys exist, so a 403 for the rewritten path is the signature check,
    // not a missing object.
    for (key, body) in [("obj-a", "A"), ("obj-b", "B")] {
        let put = p
            .put_object(
                &srv.bucket,
                &format!("{prefix}{key}"),
                &ct,
                PutTtl::default(),
                now(),
            )
            .expect("presign PUT");
        expect_status(&send(&put, &[], Some(body.as_bytes())), 200, "PUT");
    }
    let get = p
        .get_object(
            &srv.bucket,
            &format!("{prefix}obj-a"),
            GetTtl::default(),
            now(),
        )
        .expect("presign GET");
    let url = get.url();
    let reply = curl(Method::Get, url, &[], None);
    expect_status(&reply, 200, "untouched GET URL");
    assert_eq!(text(&reply.body), "A");

    let other_key = url.replacen("/obj-a?", "/obj-b?", 1);
    assert_ne!(other_key, url);
    let cases = [
        (
            "signature changed",
            BAD_SIGNATURE,
            with_param(url, "X-Amz-Signature", flip_last),
        ),
        ("key changed", BAD_SIGNATURE, other_key),
        (
            "X-Amz-Expires changed",
            BAD_SIGNATURE,
            with_param(url, "X-Amz-Expires", |v| {
                (v.parse::<u32>().expect("expires") + 1).to_string()
            }),
        ),
        // One second off, still a valid timestamp on the same day.
        (
            "X-Amz-Date changed",
            BAD_SIGNATURE,
            with_param(url, "X-Amz-Date", |v| {
                let (head, _z) = v.split_at(v.len() - 1);
                format!("{}Z", flip_last(head))
            }),
        ),
        (
            "scope region changed",
            BAD_SIGNATURE,
            with_param(url, "X-Amz-Credential", |v| {
                v.replace("%2Feu-west-1%2F", "%2Fauto%2F")
            }),
        ),
        (
            "access key changed",
            // s3s-fs answers an unknown access key with 403 NotSignedUp; S3 and
            // R2 say 403 InvalidAccessKeyId.
            "NotSignedUp",
            with_param(url, "X-Amz-Credential", |v| {
                let (ak, rest) = v.split_once("%2F").expect("credential");
                format!("{}%2F{rest}", flip_last(ak))
            }),
        ),
        (
            "unsigned parameter added",
            BAD_SIGNATURE,
            format!("{url}&response-content-type=text%2Fhtml"),
        ),
    ];
    for (what, code, tampered) in &cases {
        assert_ne!(tampered, url, "{what}: the URL did not change");
        expect_refused(&curl(Method::Get, tampered, &[], None), code, what);
    }

    let reply = curl(Method::Get, url, &[], None);
    expect_status(&reply, 200, "GET after the refused requests");
    assert_eq!(text(&reply.body), "A");
}

#[test]
fn method_is_signed() {
    let Some(srv) = server("method_is_signed") else {
        return;
    };
    let p = srv.presigner("auto");
    let key = format!("{}obj.txt", unique_prefix("method"));
    let ct = ContentType::new("text/plain").expect("content type");
    let put = p
        .put_object(&srv.bucket, &key, &ct, PutTtl::default(), now())
        .expect("presign PUT");
    expect_status(&send(&put, &[], Some(b"original")), 200, "PUT");
    let get = p
        .get_object(&srv.bucket, &key, GetTtl::default(), now())
        .expect("presign GET");
    let head = p
        .head_object(&srv.bucket, &key, GetTtl::default(), now())
        .expect("presign HEAD");

    let text_plain: Headers = &[("Content-Type", "text/plain")];
    let no_headers: Headers = &[];
    // (flow, method actually used, URL, headers, body)
    let body: Option<&[u8]> = Some(b"X");
    let cases = [
        (
            "GET URL used with PUT",
            Method::Put,
            get.url(),
            text_plain,
            body,
        ),
        (
            "GET URL used with DELETE",
            Method::Delete,
            get.url(),
            no_headers,
            None,
        ),
        (
            "HEAD URL used with GET",
            Method::Get,
            head.url(),
            no_headers,
            None,
        ),
        (
            "PUT URL used with GET",
            Method::Get,
            put.url(),
            text_plain,
            None,
        ),
        (
            "PUT URL used with DELETE",
            Method::Delete,
            put.url(),
            text_plain,
            None,
        ),
    ];
    for (what, method, url, headers, body) in cases {
        expect_refused(&curl(method, url, headers, body), BAD_SIGNATURE, what);
    }
    let reply = send(&get, &[], None);
    expect_status(&reply, 200, "GET after the refused requests");
    assert_eq!(
        text(&reply.body),
        "original",
        "a refused request changed the object"
    );
}

#[test]
fn session_token_is_signed() {
    let Some(srv) = server("session_token_is_signed") else {
        return;
    };
    // s3s-fs cannot validate session tokens: its auth looks up the secret by
    // access key only, and X-Amz-Security-Token is just another query parameter
    // in the canonical request. So this checks what a server that ignores the
    // token can check: the token travels in the URL, is covered by the signature
    // (changing or dropping it -> 403), and the URL works. R2 and S3 would also
    // refuse an unknown or expired token (403 InvalidToken / ExpiredToken); that
    // is NOT exercised here.
    let token = "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJH+abc=";
    let creds = srv
        .credentials()
        .with_session_token(token)
        .expect("session token");
    let p = srv.presigner_with("auto", creds);
    let key = format!("{}temp.txt", unique_prefix("session_token"));
    let ct = ContentType::new("text/plain").expect("content type");

    let put = p
        .put_object(&srv.bucket, &key, &ct, PutTtl::default(), now())
        .expect("presign PUT");
    let sent = query_param(put.url(), "X-Amz-Security-Token").expect("token in the URL");
    assert_eq!(
        sent,
        "IQoJb3JpZ2luX2VjEJr%2F%2F%2F%2F%2F%2F%2F%2F%2F%2FwEaCXVzLWVhc3QtMSJH%2Babc%3D"
    );
    expect_status(
        &send(&put, &[], Some(b"temp")),
        200,
        "PUT with a session token",
    );

    let get = p
        .get_object(&srv.bucket, &key, GetTtl::default(), now())
        .expect("presign GET");
    let reply = send(&get, &[], None);
    expect_status(&reply, 200, "GET with a session token");
    assert_eq!(text(&reply.body), "temp");

    let changed = with_param(get.url(), "X-Amz-Security-Token", flip_last);
    expect_refused(
        &curl(Method::Get, &changed, &[], None),
        BAD_SIGNATURE,
        "token changed",
    );
    let dropped = without_param(get.url(), "X-Amz-Security-Token");
    expect_refused(
        &curl(Method::Get, &dropped, &[], None),
        BAD_SIGNATURE,
        "token removed",
    );
}

#[test]
fn temporary_credentials_clamp_the_url() {
    let Some(srv) = server("temporary_credentials_clamp_the_url") else {
        return;
    };
    let key = format!("{}clamped.txt", unique_prefix("clamp"));
    let t = now().replace_nanosecond(0).expect("whole second");
    let ct = ContentType::new("text/plain").expect("content type");
    let p = srv.presigner_with(
        "auto",
        srv.credentials().with_expiry(t + Duration::minutes(10)),
    );
    let put = p
        .put_object(&srv.bucket, &key, &ct, PutTtl::default(), t)
        .expect("presign PUT");
    expect_status(&send(&put, &[], Some(b"clamp")), 200, "PUT");

    // Credentials expiring in 10 min: a 1 h GET is cut to at most 10 min.
    let get = p
        .get_object(&srv.bucket, &key, GetTtl::from_secs(3600).expect("ttl"), t)
        .expect("presign GET");
    assert!(get.expires_at() <= t + Duration::minutes(10));
    let expires: u32 = query_param(get.url(), "X-Amz-Expires")
        .expect("expires")
        .parse()
        .expect("number");
    assert!(
        expires <= 600,
        "X-Amz-Expires={expires} outlives the credentials"
    );
    expect_status(
        &send(&get, &[], None),
        200,
        "GET within the credentials' life",
    );

    // Signed 10 s ago by credentials that expired 5 s ago: the URL died with them.
    let p = srv.presigner_with(
        "auto",
        srv.credentials().with_expiry(t - Duration::seconds(5)),
    );
    let get = p
        .get_object(
            &srv.bucket,
            &key,
            GetTtl::from_secs(3600).expect("ttl"),
            t - Duration::seconds(10),
        )
        .expect("presign GET before the credentials expired");
    let expires: u32 = query_param(get.url(), "X-Amz-Expires")
        .expect("expires")
        .parse()
        .expect("number");
    assert!((1..=5).contains(&expires), "X-Amz-Expires={expires}");
    expect_refused(
        &send(&get, &[], None),
        EXPIRED,
        "GET after the credentials expired",
    );

    // Already expired at signing time: refused up front.
    match p.get_object(&srv.bucket, &key, GetTtl::default(), t) {
        Err(Error::CredentialsExpired) => {}
        Err(other) => panic!("expected CredentialsExpired, got {other:?}"),
        Ok(req) => panic!("expired credentials signed {}", req.url()),
    }
}

#[test]
fn awkward_keys_round_trip() {
    let Some(srv) = server("awkward_keys_round_trip") else {
        return;
    };
    let p = srv.presigner("auto");
    let prefix = unique_prefix("keys");
    let ct = ContentType::new("application/octet-stream").expect("content type");
    let mut long = prefix.clone();
    while long.len() < 100 {
        long.push(char::from(b'a' + (long.len() % 26) as u8));
    }
    let mut keys: Vec<String> = [
        "with space.txt",
        "unicode-ünïcödé-日本語-🦀.txt",
        "plus+sign",
        "equals=sign",
        "amp&ersand",
        "percent%41literal",
        "trailing-percent%",
        "tilde~name",
        "double//slash",
        "nested/dir/file.txt",
        "all: a+b=c&d%e~f g!$'()*,;@[]{}|^`#?.txt",
    ]
    .iter()
    .map(|k| format!("{prefix}{k}"))
    .collect();
    keys.push(long);
    assert_eq!(keys.last().map(String::len), Some(100));

    for (i, key) in keys.iter().enumerate() {
        let body = format!("body {i} of {key}");
        let put = p
            .put_object(&srv.bucket, key, &ct, PutTtl::default(), now())
            .unwrap_or_else(|e| panic!("presign PUT {key:?}: {e}"));
        assert_path_fully_encoded(&srv, put.url(), key);
        expect_status(
            &send(&put, &[], Some(body.as_bytes())),
            200,
            &format!("PUT {key:?}"),
        );
        let get = p
            .get_object(&srv.bucket, key, GetTtl::default(), now())
            .unwrap_or_else(|e| panic!("presign GET {key:?}: {e}"));
        let reply = send(&get, &[], None);
        expect_status(&reply, 200, &format!("GET {key:?}"));
        assert_eq!(text(&reply.body), body, "GET {key:?}");
        // The server stored it under exactly this key (not a mis-decoded one
        // that PUT and GET merely agree on).
        if let Some(file) = srv.object_file(key) {
            let on_disk =
                std::fs::read(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
            assert_eq!(text(&on_disk), body, "{}", file.display());
        }
    }
}

#[test]
fn regions_and_path_style() {
    let Some(srv) = server("regions_and_path_style") else {
        return;
    };
    let prefix = unique_prefix("regions");
    let ct = ContentType::new("text/plain").expect("content type");
    // s3s-fs ignores the scope's region (only the signature must match), so this
    // shows that each region signs consistently. R2 itself only accepts `auto`
    // (and `us-east-1` or an empty region as aliases); `eu-west-1` would be
    // refused by R2 but is what an S3 bucket in that region needs.
    for region in ["auto", "us-east-1", "eu-west-1"] {
        let p = srv.presigner(region);
        let key = format!("{prefix}{region}.txt");
        let put = p
            .put_object(&srv.bucket, &key, &ct, PutTtl::default(), now())
            .expect("presign PUT");
        let expected_path = format!("{}/{}/{key}", srv.endpoint, srv.bucket);
        assert!(
            put.url().starts_with(&format!("{expected_path}?")),
            "{} is not path style",
            put.url()
        );
        let credential = query_param(put.url(), "X-Amz-Credential").expect("credential");
        assert!(
            credential.ends_with(&format!("%2F{region}%2Fs3%2Faws4_request")),
            "{credential}"
        );
        expect_status(
            &send(&put, &[], Some(region.as_bytes())),
            200,
            &format!("PUT in {region}"),
        );
        let get = p
            .get_object(&srv.bucket, &key, GetTtl::default(), now())
            .expect("presign GET");
        let reply = send(&get, &[], None);
        expect_status(&reply, 200, &format!("GET in {region}"));
        assert_eq!(text(&reply.body), region);
    }
}

#[test]
fn response_overrides_and_signed_headers() {
    let Some(srv) = server("response_overrides_and_signed_headers") else {
        return;
    };
    let p = srv.presigner("auto");
    let key = format!("{}video.bin", unique_prefix("overrides"));
    let ct = ContentType::new("application/octet-stream").expect("content type");

    // An extra signed header: the uploader must send it, with that value.
    let extra = [("x-amz-meta-owner", "alice")];
    let put = p
        .presign(
            &ObjectRequest::put(&srv.bucket, &key, &ct, PutTtl::default()).with_headers(&extra),
            now(),
        )
        .expect("presign PUT");
    assert!(put.headers().any(|h| h == ("x-amz-meta-owner", "alice")));
    let url = put.url();
    let ct_header = ("Content-Type", "application/octet-stream");
    let reply = curl(Method::Put, url, &[ct_header], Some(b"v"));
    expect_refused(
        &reply,
        BAD_SIGNATURE,
        "PUT without the signed x-amz-meta-owner",
    );
    let reply = curl(
        Method::Put,
        url,
        &[ct_header, ("x-amz-meta-owner", "mallory")],
        Some(b"v"),
    );
    expect_refused(&reply, BAD_SIGNATURE, "PUT with another x-amz-meta-owner");
    expect_status(
        &send(&put, &[], Some(b"video")),
        200,
        "PUT with every signed header",
    );

    let head = p
        .head_object(&srv.bucket, &key, GetTtl::default(), now())
        .expect("presign HEAD");
    let reply = send(&head, &[], None);
    expect_status(&reply, 200, "HEAD");
    assert_eq!(reply.header("x-amz-meta-owner"), Some("alice"));

    let disposition = "attachment; filename=\"e e.mp4\"";
    let overrides = ResponseOverrides::new()
        .content_disposition(disposition)
        .content_type("video/mp4");
    let get = p
        .presign(
            &ObjectRequest::get(&srv.bucket, &key, GetTtl::default())
                .with_response_overrides(&overrides),
            now(),
        )
        .expect("presign GET with overrides");
    let reply = send(&get, &[], None);
    expect_status(&reply, 200, "GET with response overrides");
    assert_eq!(reply.header("content-disposition"), Some(disposition));
    assert_eq!(reply.header("content-type"), Some("video/mp4"));
    assert_eq!(text(&reply.body), "video");
    let stripped = without_param(get.url(), "response-content-type");
    expect_refused(
        &curl(Method::Get, &stripped, &[], None),
        BAD_SIGNATURE,
        "override removed from the URL",
    );
}

#[test]
fn delete_then_gone() {
    let Some(srv) = server("delete_then_gone") else {
        return;
    };
    let p = srv.presigner("auto");
    let key = format!("{}doomed.txt", unique_prefix("delete"));
    let ct = ContentType::new("text/plain").expect("content type");
    let put = p
        .put_object(&srv.bucket, &key, &ct, PutTtl::default(), now())
        .expect("presign PUT");
    expect_status(&send(&put, &[], Some(b"bye")), 200, "PUT");

    let delete = p
        .delete_object(&srv.bucket, &key, Ttl::from_secs(300).expect("ttl"), now())
        .expect("presign DELETE");
    assert_eq!(delete.method(), Method::Delete);
    let forged = with_param(delete.url(), "X-Amz-Signature", flip_last);
    expect_refused(
        &curl(Method::Delete, &forged, &[], None),
        BAD_SIGNATURE,
        "DELETE with a forged signature",
    );
    expect_refused(
        &curl(Method::Get, delete.url(), &[], None),
        BAD_SIGNATURE,
        "DELETE URL used with GET",
    );

    let get = p
        .get_object(&srv.bucket, &key, GetTtl::default(), now())
        .expect("presign GET");
    expect_status(&send(&get, &[], None), 200, "GET before DELETE");
    expect_status(&send(&delete, &[], None), 204, "DELETE");
    expect_status(&send(&get, &[], None), 404, "GET after DELETE");
    let head = p
        .head_object(&srv.bucket, &key, GetTtl::default(), now())
        .expect("presign HEAD");
    expect_status(&send(&head, &[], None), 404, "HEAD after DELETE");
    // Deleting a missing key is not an error in S3 (and R2): 204 again.
    expect_status(&send(&delete, &[], None), 204, "second DELETE");
}

#[test]
fn endpoint_spellings() {
    let Some(srv) = server("endpoint_spellings") else {
        return;
    };
    let port = srv
        .endpoint
        .rsplit_once(':')
        .map(|(_, port)| port.to_owned())
        .expect("endpoint has a port");
    let prefix = unique_prefix("endpoints");
    let ct = ContentType::new("text/plain").expect("content type");
    // For the default port curl sends `Host: 127.0.0.1`, without `:80`, so the
    // signed host must leave it out too. --connect-to sends those requests to
    // the server's real port without changing the URL or the Host header.
    let to_server = format!("127.0.0.1:80:127.0.0.1:{port}");
    let cases = [
        ("trailing slash", format!("{}/", srv.endpoint), None),
        ("localhost", format!("http://localhost:{port}"), None),
        (
            "explicit :80",
            "http://127.0.0.1:80".to_owned(),
            Some(&to_server),
        ),
        ("no port", "http://127.0.0.1".to_owned(), Some(&to_server)),
    ];
    for (i, (what, endpoint, connect_to)) in cases.iter().enumerate() {
        let endpoint = Endpoint::custom(endpoint, "auto")
            .unwrap_or_else(|e| panic!("{what}: Endpoint::custom({endpoint:?}): {e}"));
        let p = Presigner::new(endpoint, srv.credentials());
        let key = format!("{prefix}{i}.txt");
        let options: Vec<&str> = connect_to
            .iter()
            .flat_map(|c| ["--connect-to", c.as_str()])
            .collect();
        let put = p
            .put_object(&srv.bucket, &key, &ct, PutTtl::default(), now())
            .expect("presign PUT");
        assert!(
            !put.url().contains(&format!("{port}//")) && !put.url().contains(":80/"),
            "{what}: {}",
            put.url()
        );
        let headers: Vec<(&str, &str)> = put.headers().collect();
        let reply = curl_with(
            &options,
            Method::Put,
            put.url(),
            &headers,
            Some(what.as_bytes()),
        );
        expect_status(&reply, 200, &format!("PUT via endpoint with {what}"));
        let get = p
            .get_object(&srv.bucket, &key, GetTtl::default(), now())
            .expect("presign GET");
        let reply = curl_with(&options, Method::Get, get.url(), &[], None);
        expect_status(&reply, 200, &format!("GET via endpoint with {what}"));
        assert_eq!(text(&reply.body), *what);
    }
}

// ---------------------------------------------------------------------------
// Multipart uploads and bound uploads

/// `len` bytes that differ from part to part and from byte to byte.
fn body_bytes(len: usize, seed: u8) -> Vec<u8> {
    (0..len)
        .map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed) ^ (i >> 12) as u8)
        .collect()
}

/// The `UploadId` of a create answer.
fn create_upload(srv: &Server, p: &Presigner, key: &str, ct: &ContentType) -> String {
    let create = p
        .create_multipart_upload(&srv.bucket, key, ct, Ttl::default(), now())
        .expect("presign create");
    let reply = send(&create, &[], None);
    expect_status(&reply, 200, "create multipart upload");
    let answer = text(&reply.body);
    let initiated = presign::InitiateResult::read(&answer).expect("InitiateMultipartUploadResult");
    initiated.upload_id().to_string()
}

/// Uploads one part through its presigned URL; returns the ETag.
fn put_part(upload: &presign::MultipartUpload<'_>, number: u32, body: &[u8]) -> String {
    let url = upload
        .part(
            PartNumber::new(number).expect("part number"),
            PutTtl::default(),
            now(),
        )
        .expect("presign part");
    let reply = send(&url, &[], Some(body));
    expect_status(&reply, 200, &format!("upload part {number}"));
    reply
        .header("etag")
        .expect("a part answer has an ETag")
        .to_owned()
}

/// Completes with the body this crate writes; returns the answer's status and body.
fn complete(upload: &presign::MultipartUpload<'_>, parts: &[(u16, String)]) -> Reply {
    let listed: Vec<CompletedPart<'_>> = parts
        .iter()
        .map(|(n, etag)| CompletedPart::new(*n, etag))
        .collect();
    let mut body = String::new();
    write_complete_multipart_upload(&listed, &mut body).expect("complete body");
    let url = upload
        .complete(None, Ttl::default(), now())
        .expect("presign complete");
    send(
        &url,
        &[("content-type", "application/xml")],
        Some(body.as_bytes()),
    )
}

/// 12 MiB in parts of 5, 5 and 2 MiB through part URLs; the listing, the completion with
/// the body this crate writes, the whole object and a range across a part boundary.
#[test]
fn multipart_upload_lifecycle() {
    let Some(srv) = server("multipart_upload_lifecycle") else {
        return;
    };
    let p = srv.presigner("us-east-1");
    let key = format!("{}episode/video.mp4", unique_prefix("multipart"));
    let mp4 = ContentType::new("video/mp4").expect("content type");
    let id = create_upload(&srv, &p, &key, &mp4);
    let upload = p
        .multipart_upload(&srv.bucket, &key, UploadId::new(&id).expect("upload id"))
        .expect("multipart upload");

    let plan = PartPlan::with_part_size(12 << 20, Store::S3, 5 << 20).expect("plan");
    let whole = body_bytes(12 << 20, 7);
    let mut etags = Vec::new();
    for part in plan.parts() {
        let bytes = &whole[part.first_byte() as usize..=part.last_byte() as usize];
        etags.push((
            part.number(),
            put_part(&upload, part.number().into(), bytes),
        ));
    }
    assert_eq!(etags.len(), 3);

    let list = upload
        .list_parts(PartsPage::FIRST, GetTtl::default(), now())
        .expect("presign list");
    let reply = send(&list, &[], None);
    expect_status(&reply, 200, "list parts");
    let answer = text(&reply.body);
    let listed = ListParts::read(&answer).expect("ListPartsResult");
    // S3 lists parts in ascending order; s3s-fs in its directory's order: sort first.
    let mut seen: Vec<(u16, String, u64)> = listed
        .parts()
        .map(|part| (part.number(), part.etag().to_string(), part.size()))
        .collect();
    seen.sort();
    let expected: Vec<(u16, String, u64)> = plan
        .parts()
        .zip(&etags)
        .map(|(part, (_, etag))| (part.number(), etag.clone(), part.len()))
        .collect();
    assert_eq!(seen, expected);
    assert!(!listed.is_truncated());

    let reply = complete(&upload, &etags);
    expect_status(&reply, 200, "complete multipart upload");
    let answer = text(&reply.body);
    presign::CompleteOutcome::read(&answer)
        .expect("CompleteMultipartUploadResult")
        .into_result()
        .expect("completed, not an <Error> in a 200");

    let get = p
        .get_object(&srv.bucket, &key, GetTtl::default(), now())
        .expect("presign GET");
    let reply = send(&get, &[], None);
    expect_status(&reply, 200, "GET the completed object");
    assert!(reply.body == whole, "the object is not the parts in order");
    assert_eq!(reply.header("content-type"), Some("video/mp4"));

    let boundary = 5 << 20;
    let range = format!("bytes={}-{}", boundary - 10, boundary + 9);
    let reply = send(&get, &[("range", &range)], None);
    expect_status(&reply, 206, "range across the first part boundary");
    assert_eq!(reply.body, &whole[boundary - 10..boundary + 10]);
}

/// A part URL refuses another length under a bound `Content-Length`, another part
/// number or upload id; after an abort, the upload takes no more parts.
#[test]
fn multipart_tampering_and_abort() {
    let Some(srv) = server("multipart_tampering_and_abort") else {
        return;
    };
    let p = srv.presigner("us-east-1");
    let key = format!("{}tampered.bin", unique_prefix("multipart"));
    let ct = ContentType::new("application/octet-stream").expect("content type");
    let id = create_upload(&srv, &p, &key, &ct);
    let upload = p
        .multipart_upload(&srv.bucket, &key, UploadId::new(&id).expect("upload id"))
        .expect("multipart upload");
    let part = body_bytes(5 << 20, 1);

    let bound = UploadBindings::new().content_length(part.len() as u64);
    let url = upload
        .bound_part(PartNumber::MIN, &bound, PutTtl::default(), now())
        .expect("presign bound part");
    let other = body_bytes(part.len() - 1, 2);
    let headers = [("content-length", "5242879")];
    let reply = curl(Method::Put, url.url(), &headers, Some(&other));
    expect_refused(&reply, BAD_SIGNATURE, "bound part with another length");
    let reply = send(&url, &[], Some(&part));
    expect_status(&reply, 200, "bound part with its length");

    let plain = upload
        .part(PartNumber::new(2).expect("2"), PutTtl::default(), now())
        .expect("presign part 2");
    let renumbered = with_param(plain.url(), "partNumber", |_| "3".to_owned());
    let reply = curl(Method::Put, &renumbered, &[], Some(&part));
    expect_refused(&reply, BAD_SIGNATURE, "part URL with another partNumber");
    let moved = with_param(plain.url(), "uploadId", |id| format!("{id}x"));
    let reply = curl(Method::Put, &moved, &[], Some(&part));
    expect_refused(&reply, BAD_SIGNATURE, "part URL with another uploadId");

    let abort = upload.abort(Ttl::default(), now()).expect("presign abort");
    let reply = send(&abort, &[], None);
    expect_status(&reply, 204, "abort the upload");
    // S3 answers 404 NoSuchUpload; s3s-fs answers 403 AccessDenied. Either way, refused.
    let reply = send(&plain, &[], Some(&part));
    let code = error_code(&reply.body);
    eprintln!(
        "e2e: a part after the abort -> observed {} {code:?}",
        reply.status
    );
    assert!(
        matches!(
            (reply.status, code.as_deref()),
            (404, Some("NoSuchUpload")) | (403, Some("AccessDenied"))
        ),
        "a part after the abort: {} {}",
        reply.status,
        text(&reply.body)
    );
}

/// An interrupted upload: list what arrived, mint fresh URLs for the missing parts only,
/// finish, and the object is whole.
#[test]
fn multipart_resume_after_interruption() {
    let Some(srv) = server("multipart_resume_after_interruption") else {
        return;
    };
    let p = srv.presigner("us-east-1");
    let key = format!("{}resumed.bin", unique_prefix("multipart"));
    let ct = ContentType::new("application/octet-stream").expect("content type");
    let id = create_upload(&srv, &p, &key, &ct);
    let plan = PartPlan::with_part_size(11 << 20, Store::R2, 5 << 20).expect("plan");
    let whole = body_bytes(11 << 20, 9);
    let bytes_of =
        |part: &presign::Part| &whole[part.first_byte() as usize..=part.last_byte() as usize];

    // The first session sends part 1 and 3, then dies.
    {
        let upload = p
            .multipart_upload(&srv.bucket, &key, UploadId::new(&id).expect("upload id"))
            .expect("multipart upload");
        for part in plan.parts().filter(|part| part.number() != 2) {
            put_part(&upload, part.number().into(), bytes_of(&part));
        }
    }

    // A later session knows only the key and the upload id.
    let upload = p
        .multipart_upload(&srv.bucket, &key, UploadId::new(&id).expect("upload id"))
        .expect("multipart upload");
    let list = upload
        .list_parts(PartsPage::FIRST, GetTtl::default(), now())
        .expect("presign list");
    let reply = send(&list, &[], None);
    expect_status(&reply, 200, "list parts");
    let answer = text(&reply.body);
    let listed = ListParts::read(&answer).expect("ListPartsResult");
    let mut etags: Vec<(u16, String)> = listed
        .parts()
        .map(|part| (part.number(), part.etag().to_string()))
        .collect();
    let missing: Vec<_> = plan
        .parts()
        .filter(|part| etags.iter().all(|(n, _)| *n != part.number()))
        .collect();
    assert_eq!(
        missing
            .iter()
            .map(presign::Part::number)
            .collect::<Vec<_>>(),
        [2]
    );
    for part in missing {
        etags.push((
            part.number(),
            put_part(&upload, part.number().into(), bytes_of(&part)),
        ));
    }
    etags.sort_by_key(|(n, _)| *n);
    let reply = complete(&upload, &etags);
    expect_status(&reply, 200, "complete the resumed upload");

    let get = p
        .get_object(&srv.bucket, &key, GetTtl::default(), now())
        .expect("presign GET");
    let reply = send(&get, &[], None);
    expect_status(&reply, 200, "GET the resumed object");
    assert!(reply.body == whole, "the resumed object is not whole");
}

/// Bound single PUTs: other bytes under a bound SHA-256 or MD5 get 400 BadDigest; a bound
/// header left out gets 403; `If-None-Match: *` creates once, then 412.
#[test]
fn bound_put_checks_digests_and_create_only() {
    use md5::Digest as _;
    let Some(srv) = server("bound_put_checks_digests_and_create_only") else {
        return;
    };
    let p = srv.presigner("us-east-1");
    let prefix = unique_prefix("bound");
    let ct = ContentType::new("application/x-ndjson").expect("content type");
    let body = b"{\"t\":0,\"joint\":[0.1,0.2]}\n".to_vec();
    let sha: [u8; 32] = sha2::Sha256::digest(&body).into();
    let md5: [u8; 16] = md5::Md5::digest(&body).into();
    let other = b"{\"t\":1,\"joint\":[9.9,9.9]}\n".to_vec();

    let key = format!("{prefix}sha.jsonl");
    let bound = UploadBindings::new().checksum(Checksum::sha256(&sha));
    let put = p
        .presign(
            &ObjectRequest::put(&srv.bucket, &key, &ct, PutTtl::default()).with_bindings(&bound),
            now(),
        )
        .expect("presign bound PUT");
    let reply = send(&put, &[], Some(&other));
    expect_status(&reply, 400, "other bytes under a bound sha256");
    assert_eq!(
        error_code(&reply.body).as_deref(),
        Some("BadDigest"),
        "{}",
        text(&reply.body)
    );
    let without: Vec<(&str, &str)> = put
        .headers()
        .filter(|(name, _)| !name.starts_with("x-amz-checksum"))
        .collect();
    let reply = curl(Method::Put, put.url(), &without, Some(&body));
    expect_refused(&reply, BAD_SIGNATURE, "bound sha256 header left out");
    let reply = send(&put, &[], Some(&body));
    expect_status(&reply, 200, "the bound bytes under sha256");

    let key = format!("{prefix}md5.jsonl");
    let bound = UploadBindings::new().content_md5(&md5);
    let put = p
        .presign(
            &ObjectRequest::put(&srv.bucket, &key, &ct, PutTtl::default()).with_bindings(&bound),
            now(),
        )
        .expect("presign bound PUT");
    let reply = send(&put, &[], Some(&other));
    expect_status(&reply, 400, "other bytes under a bound Content-MD5");
    assert_eq!(
        error_code(&reply.body).as_deref(),
        Some("BadDigest"),
        "{}",
        text(&reply.body)
    );
    let reply = send(&put, &[], Some(&body));
    expect_status(&reply, 200, "the bound bytes under Content-MD5");

    let key = format!("{prefix}once.jsonl");
    let bound = UploadBindings::new().if_none_match_any();
    let put = p
        .presign(
            &ObjectRequest::put(&srv.bucket, &key, &ct, PutTtl::default()).with_bindings(&bound),
            now(),
        )
        .expect("presign create-only PUT");
    let reply = send(&put, &[], Some(&body));
    expect_status(&reply, 200, "create-only PUT of a new key");
    let reply = send(&put, &[], Some(&other));
    expect_status(&reply, 412, "create-only PUT over an existing key");
}
