//! Peer 2: Python `botocore`, through `botocore_presign.py` beside this file, which builds
//! the object URL the way botocore's REST serializer does and signs it with
//! `S3SigV4QueryAuth` (or, for a generic case, `SigV4QueryAuth`; for a client case, the S3
//! client's `generate_presigned_url`). All requests go to one python3 process as JSON lines.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};

use presign::Method;

use crate::compare::report;
use crate::generator::{Case, EndpointSpec, GenericCase, Payload, YEAR_1000};

fn script() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/differential/botocore_presign.py")
}

/// botocore's version, or `None` when python3/botocore is missing outside CI (after printing
/// a note).
pub(crate) fn available() -> Option<String> {
    let probe = Command::new("python3")
        .arg(script())
        .arg("--probe")
        .stdin(Stdio::null())
        .output();
    let problem = match probe {
        Ok(out) if out.status.success() => {
            return Some(String::from_utf8_lossy(&out.stdout).trim().to_owned());
        }
        Ok(out) => format!(
            "python3 could not import botocore: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ),
        Err(e) => format!("python3 could not be run: {e}"),
    };
    let hint = "install it with `pip install botocore` (python3 must be on PATH)";
    assert!(
        std::env::var_os("CI").is_none(),
        "differential test against botocore cannot run in CI: {problem}; {hint}"
    );
    report(&format!(
        "note: skipping the botocore differential test: {problem}; {hint}"
    ));
    None
}

/// The script's request for an S3 case, signed with `S3SigV4QueryAuth`.
fn request(case: &Case) -> serde_json::Value {
    let query = case.signed_query();
    serde_json::json!({
        "id": case.id,
        "method": case.method.as_str(),
        "endpoint": case.endpoint.base_url(),
        "virtual_hosted": case.virtual_hosted,
        "bucket": case.bucket,
        "key": case.key,
        "access_key": case.access_key,
        "secret": case.secret,
        "token": case.token,
        "region": case.endpoint.region(),
        // botocore signs with whole seconds, like X-Amz-Date.
        "time": case.time.unix_timestamp(),
        "expires": case.effective_ttl().unwrap_or(case.ttl),
        "query": query,
        "headers": case.signed_headers(),
    })
}

/// botocore's answers by case id: the URL (or its error), and the canonical request and
/// string to sign it computed on the way.
pub(crate) type Answers = (
    BTreeMap<usize, Result<String, String>>,
    BTreeMap<usize, (String, String)>,
);

/// botocore's answers for S3 cases (see [`can_sign`] for what it can express).
pub(crate) fn urls(cases: &[&Case]) -> Answers {
    run(cases.iter().map(|c| request(c)).collect())
}

/// Runs the botocore script once over `requests` (JSON objects with an `id`).
pub(crate) fn run(requests: Vec<serde_json::Value>) -> Answers {
    let mut child = Command::new("python3")
        .arg(script())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("spawn python3");
    let mut input = String::new();
    for request in requests {
        input.push_str(&request.to_string());
        input.push('\n');
    }
    let mut stdin = child.stdin.take().expect("stdin");
    let writer = std::thread::spawn(move || {
        stdin.write_all(input.as_bytes()).expect("write to python3");
    });
    let mut urls = BTreeMap::new();
    let mut steps = BTreeMap::new();
    let stdout = BufReader::new(child.stdout.take().expect("stdout"));
    for line in stdout.lines() {
        let line = line.expect("read python3 output");
        let reply: serde_json::Value = serde_json::from_str(&line).expect("JSON line from python3");
        let id = usize::try_from(reply["id"].as_u64().expect("id")).expect("id fits");
        let result = match (reply["url"].as_str(), reply["error"].as_str()) {
            (Some(url), _) => Ok(url.to_owned()),
            (None, Some(err)) => Err(err.to_owned()),
            (None, None) => Err(format!("malformed reply: {line}")),
        };
        urls.insert(id, result);
        if let (Some(creq), Some(sts)) = (
            reply["canonical_request"].as_str(),
            reply["string_to_sign"].as_str(),
        ) {
            steps.insert(id, (creq.to_owned(), sts.to_owned()));
        }
    }
    writer.join().expect("writer thread");
    let status = child.wait().expect("wait for python3");
    assert!(status.success(), "botocore script failed: {status}");
    (urls, steps)
}

/// The request for botocore's S3 client (`generate_presigned_url`), when the case is an
/// object operation the client models: GET/PUT/HEAD/DELETE with no extra signed headers or
/// query parameters besides the response overrides.
pub(crate) fn client_request(case: &Case) -> Option<serde_json::Value> {
    let region = case.endpoint.region();
    // botocore's own region format check: alphanumeric at both ends.
    let region_ok = region.len() < 64 && !region.starts_with('-') && !region.ends_with('-');
    if case.method == Method::Post
        || !region_ok
        || !case.headers.is_empty()
        || !case.query.is_empty()
        || !can_sign(case)
    {
        return None;
    }
    let ttl = case.effective_ttl().ok()?;
    let endpoint_url = match &case.endpoint {
        EndpointSpec::Aws { .. } => None,
        other => Some(other.base_url()),
    };
    let query: Vec<(&str, &str)> = case
        .overrides
        .iter()
        .map(|(o, v)| (o.param(), v.as_str()))
        .collect();
    Some(serde_json::json!({
        "id": case.id,
        "client": true,
        "method": case.method.as_str(),
        "region": case.endpoint.region(),
        "endpoint_url": endpoint_url,
        "addressing": if case.virtual_hosted { "virtual" } else { "path" },
        "bucket": case.bucket,
        "key": case.key,
        "content_type": case.content_type,
        "access_key": case.access_key,
        "secret": case.secret,
        "token": case.token,
        "time": case.time.unix_timestamp(),
        "expires": ttl,
        "query": query,
    }))
}

/// botocore keeps query parameters in a dict, so a repeated name cannot be expressed, and
/// writes years before 1000 with fewer than four digits.
pub(crate) fn can_sign(case: &Case) -> bool {
    if case.time.unix_timestamp() < YEAR_1000 {
        return false;
    }
    let mut names: Vec<&str> = case
        .overrides
        .iter()
        .map(|(o, _)| o.param())
        .chain(case.query.iter().map(|(n, _)| n.as_str()))
        .collect();
    let all = names.len();
    names.sort_unstable();
    names.dedup();
    names.len() == all
}

/// botocore cannot express a precomputed body hash, an unsigned payload over http, a token
/// left out of the signature, a repeated query name or a year before 1000.
pub(crate) fn generic_request(case: &GenericCase) -> Option<serde_json::Value> {
    let mut names: Vec<&str> = case.query.iter().map(|(n, _)| n.as_str()).collect();
    let all = names.len();
    names.sort_unstable();
    names.dedup();
    // botocore always hashes the body over plain http, whatever it is told.
    let unsigned_over_http =
        matches!(case.payload, Payload::Unsigned) && case.endpoint.starts_with("http://");
    if matches!(case.payload, Payload::Sha256Hex(_))
        || unsigned_over_http
        || case.time.unix_timestamp() < YEAR_1000
        || matches!(case.token, Some((_, true)))
        || names.len() != all
    {
        return None;
    }
    Some(serde_json::json!({
        "id": case.id,
        "generic": true,
        "method": case.method,
        "endpoint": case.endpoint,
        "path": case.path,
        "service": case.service,
        "normalize": case.normalize,
        "unsigned": matches!(case.payload, Payload::Unsigned),
        "access_key": case.access_key,
        "secret": case.secret,
        "token": case.token.as_ref().map(|(t, _)| t),
        "region": case.region,
        "time": case.time.unix_timestamp(),
        "expires": case.ttl,
        "query": case.query,
        "headers": case.headers,
    }))
}
