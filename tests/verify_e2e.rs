//! The verifier agrees with a real S3-compatible server: the same requests, sent by `curl` to
//! `s3s-fs` (its own SigV4 verifier) and handed to `Verifier`, get the same answer: accepted,
//! or refused with 403.
//!
//! Where `s3s-fs` (0.17) is laxer than S3 and R2, the test says so and checks that the
//! verifier answers as S3 does instead:
//! - it does not check the credential scope's region (S3 refuses another region with
//!   `AuthorizationQueryParametersError`);
//! - it does not validate `X-Amz-Security-Token` against a session (S3 answers
//!   `InvalidToken` for a token that is not the key's).
//!
//! Run with `.ci/e2e-server.sh run cargo test --test verify_e2e` (or `.ci/test`), which starts
//! `s3s-fs` on 127.0.0.1 and exports `PRESIGN_E2E_*`. Without `PRESIGN_E2E_ENDPOINT` the
//! test prints a note and returns, unless `CI` is set.
#![cfg(feature = "std")]

use std::io::Write as _;
use std::process::{Command, Stdio};

use presign::{
    ContentType, Credentials, Endpoint, GetTtl, Policy, Presigner, PutTtl, ReceivedRequest,
    Verifier,
};
use time::{Duration, OffsetDateTime};

fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// The HTTP status `s3s-fs` answers `method url` with `headers` (and `body` for a PUT).
fn send(method: &str, url: &str, headers: &[(&str, &str)], body: Option<&[u8]>) -> u16 {
    let mut cmd = Command::new("curl");
    cmd.args([
        "-s",
        "-g",
        "--path-as-is",
        "-o",
        "/dev/null",
        "-w",
        "%{http_code}",
    ]);
    if method == "HEAD" {
        cmd.arg("--head");
    } else {
        cmd.args(["-X", method]);
    }
    for (name, value) in headers {
        cmd.args(["-H", &format!("{name}: {value}")]);
    }
    if body.is_some() {
        cmd.args(["--data-binary", "@-"]);
    }
    cmd.arg(url).stdin(Stdio::piped()).stdout(Stdio::piped());
    let mut child = cmd.spawn().expect("run curl");
    if let Some(body) = body {
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(body)
            .expect("write body");
    } else {
        drop(child.stdin.take());
    }
    let out = child.wait_with_output().expect("curl");
    String::from_utf8_lossy(&out.stdout)
        .parse()
        .expect("an HTTP status")
}

/// The `Host` and request target `curl --path-as-is` sends for `url`.
fn host_and_target(url: &str) -> (&str, &str) {
    let rest = url.split_once("://").expect("absolute").1;
    let at = rest.find('/').expect("a path");
    (&rest[..at], &rest[at..])
}

struct Case {
    what: &'static str,
    method: &'static str,
    url: String,
    headers: Vec<(&'static str, &'static str)>,
    now: OffsetDateTime,
}

/// The server from the environment: endpoint, access key id, secret, bucket.
struct Server {
    endpoint: String,
    access_key: String,
    secret_key: String,
    bucket: String,
}

impl Server {
    fn from_env() -> Option<Self> {
        let Some(endpoint) = var("PRESIGN_E2E_ENDPOINT") else {
            assert!(var("CI").is_none(), "CI must run the end-to-end tests");
            eprintln!("verify_e2e: skipped: set PRESIGN_E2E_ENDPOINT, run via .ci/e2e-server.sh");
            return None;
        };
        Some(Self {
            endpoint: endpoint.trim_end_matches('/').to_owned(),
            access_key: var("PRESIGN_E2E_ACCESS_KEY").expect("PRESIGN_E2E_ACCESS_KEY"),
            secret_key: var("PRESIGN_E2E_SECRET_KEY").expect("PRESIGN_E2E_SECRET_KEY"),
            bucket: var("PRESIGN_E2E_BUCKET").expect("PRESIGN_E2E_BUCKET"),
        })
    }

    fn credentials(&self) -> Credentials {
        Credentials::new(&self.access_key, &self.secret_key).expect("valid")
    }

    fn presigner(&self, region: &str, credentials: Credentials) -> Presigner {
        Presigner::new(
            Endpoint::custom(&self.endpoint, region).expect("valid"),
            credentials,
        )
    }

    /// A GET URL for `key`, signed at `at` for `secs` seconds.
    fn get(&self, presigner: &Presigner, key: &str, secs: u64, at: OffsetDateTime) -> String {
        presigner
            .get_object(
                &self.bucket,
                key,
                GetTtl::from_secs(secs).expect("valid"),
                at,
            )
            .expect("signs")
            .into_url()
    }
}

/// The requests both must answer alike: the URL as minted, spelled otherwise, changed, sent
/// with other headers or another method, expired, ahead of time, or signed with another
/// secret.
fn cases(server: &Server, key: &str, now: OffsetDateTime) -> Vec<Case> {
    let presigner = server.presigner("us-east-1", server.credentials());
    let get = server.get(&presigner, key, 3600, now);
    let with = |what, url: String, headers: Vec<(&'static str, &'static str)>| Case {
        what,
        method: "GET",
        url,
        headers,
        now,
    };
    let (base, query) = get.split_once('?').expect("query");
    let reversed = format!(
        "{base}?{}",
        query.split('&').rev().collect::<Vec<_>>().join("&")
    );
    let at = get.find("X-Amz-Signature=").expect("signature") + 20;
    let mut other_signature = get.clone();
    let digit = if &get[at..=at] == "0" { "1" } else { "0" };
    other_signature.replace_range(at..=at, digit);
    let other_secret = server.presigner(
        "us-east-1",
        Credentials::new(&server.access_key, "not-the-secret").expect("valid"),
    );
    let mut cases = vec![
        with("as minted", get.clone(), vec![]),
        with("~ escaped", get.replacen("b~c", "b%7Ec", 1), vec![]),
        with("escapes in lower case", get.replace("%2F", "%2f"), vec![]),
        with("parameters reversed", reversed, vec![]),
        with(
            "a byte of the key",
            get.replacen("a%20b", "a%20B", 1),
            vec![],
        ),
        with("a parameter added", format!("{get}&x-id=GetObject"), vec![]),
        with(
            "lifetime changed",
            get.replacen("X-Amz-Expires=3600", "X-Amz-Expires=3601", 1),
            vec![],
        ),
        with("signature changed", other_signature, vec![]),
        with(
            "an unsigned x-amz header",
            get.clone(),
            vec![("x-amz-meta-extra", "1")],
        ),
        with(
            "range header (not signed)",
            get.clone(),
            vec![("Range", "bytes=0-1")],
        ),
        with(
            "expired",
            server.get(&presigner, key, 1, now - Duration::minutes(5)),
            vec![],
        ),
        with(
            "signed 30 minutes ahead",
            server.get(&presigner, key, 3600, now + Duration::minutes(30)),
            vec![],
        ),
        with(
            "another secret",
            server.get(&other_secret, key, 3600, now),
            vec![],
        ),
    ];
    cases.push(Case {
        what: "another method",
        method: "DELETE",
        url: get,
        headers: vec![],
        now,
    });
    cases
}

#[test]
fn verifier_and_s3s_fs_agree() {
    let Some(server) = Server::from_env() else {
        return;
    };
    let now = OffsetDateTime::now_utc();
    let key = format!("verify-e2e-{}/a b~c(1).txt", now.unix_timestamp_nanos());
    let text = ContentType::new("text/plain").expect("valid");
    let up = server
        .presigner("us-east-1", server.credentials())
        .put_object(&server.bucket, &key, &text, PutTtl::default(), now)
        .expect("signs");
    let status = send(
        "PUT",
        up.url(),
        &[("Content-Type", "text/plain")],
        Some(b"hello"),
    );
    assert_eq!(status, 200, "the upload itself");

    let verifier = Verifier::new(
        Policy::new(&["us-east-1"]).expect("valid"),
        server.credentials(),
    );
    let cases = cases(&server, &key, now);
    for case in &cases {
        let status = send(case.method, &case.url, &case.headers, None);
        let (host, target) = host_and_target(&case.url);
        let request = ReceivedRequest {
            method: case.method,
            target,
            host,
            headers: &case.headers,
        };
        let verdict = verifier.verify(&request, case.now);
        let server_accepts = (200..300).contains(&status);
        assert!(
            server_accepts || status == 403 || status == 400,
            "{}: s3s-fs answered {status}",
            case.what
        );
        assert_eq!(
            verdict.is_ok(),
            server_accepts,
            "{}: s3s-fs answered {status}, the verifier {:?}",
            case.what,
            verdict.map(|_| ()).map_err(|r| r.to_string())
        );
    }

    // Where s3s-fs is laxer than S3: another region, a token that is not the key's.
    let other_region = server.presigner("eu-west-1", server.credentials());
    let with_token = server.presigner(
        "us-east-1",
        server
            .credentials()
            .with_session_token("not-a-session-of-this-key")
            .expect("valid"),
    );
    for (presigner, s3_code) in [
        (other_region, "AuthorizationQueryParametersError"),
        (with_token, "InvalidToken"),
    ] {
        let url = server.get(&presigner, &key, 3600, now);
        assert_eq!(
            send("GET", &url, &[], None),
            200,
            "s3s-fs is lax here: {url}"
        );
        let (host, target) = host_and_target(&url);
        let request = ReceivedRequest {
            method: "GET",
            target,
            host,
            headers: &[],
        };
        let refused = verifier.verify(&request, now).expect_err("S3 refuses it");
        assert_eq!(refused.code(), s3_code, "{refused}");
    }
    eprintln!(
        "verify_e2e: {} requests answered alike by s3s-fs and the verifier; 2 where s3s-fs is laxer than S3",
        cases.len()
    );
}
