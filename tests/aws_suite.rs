//! The AWS Signature Version 4 test suite, query-string (presigned URL) mode.
//!
//! The cases live in our own transcription, `tests/vectors/aws_sigv4_suite.txt` (its header
//! documents the format and the provenance). Each case is one named test that checks, as
//! separate steps, the canonical request, the string to sign, the signature, and the query
//! string the signer writes. `transcription_matches_suite_folder` re-reads the suite itself
//! from `../shared/aws-signing-test-suite/v4` (beside the clone) when it is there, so the
//! transcription cannot drift from the published data.

mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::OnceLock;

use presign::sigv4::{self, HttpRequest, PayloadHash, Rules, SessionToken, SigningParams};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use common::{percent_decode, sorted_pairs, uri_encode};

/// Number of cases in the suite's `v4/` folder at the transcribed commit.
const SUITE_CASE_COUNT: usize = 38;

const TRANSCRIPTION: &str = include_str!("vectors/aws_sigv4_suite.txt");

const SUITE_DIR: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/aws-signing-test-suite/v4"
);

/// One suite case: its inputs and its expected query-mode outputs, as raw as the suite
/// gives them (request-line query still encoded, header lines unparsed and folded).
#[derive(Debug, Default, PartialEq, Eq)]
struct Case {
    name: String,
    from: String,
    method: String,
    path: String,
    query: Vec<String>,
    header_lines: Vec<String>,
    body: Option<String>,
    access_key_id: String,
    secret_access_key: String,
    session_token: Option<String>,
    token_after_signing: bool,
    region: String,
    service: String,
    time: String,
    expires: u32,
    normalize: bool,
    sign_body: bool,
    canonical_request: Vec<String>,
    string_to_sign: Vec<String>,
    signature: String,
}

// ---------------------------------------------------------------------------------------
// The transcription
// ---------------------------------------------------------------------------------------

const SCALAR_KEYS: &[&str] = &[
    "from",
    "method",
    "path",
    "body",
    "access_key_id",
    "secret_access_key",
    "session_token",
    "token_after_signing",
    "region",
    "service",
    "time",
    "expires",
    "normalize",
    "sign_body",
    "signature",
];

const OPTIONAL_KEYS: &[&str] = &["body", "session_token"];

fn cases() -> &'static [Case] {
    static CASES: OnceLock<Vec<Case>> = OnceLock::new();
    CASES.get_or_init(|| parse_transcription(TRANSCRIPTION))
}

fn parse_bool(value: &str, at: &str) -> bool {
    match value {
        "true" => true,
        "false" => false,
        other => panic!("{at}: expected true or false, found {other:?}"),
    }
}

fn parse_transcription(text: &str) -> Vec<Case> {
    let mut cases = Vec::new();
    let mut current: Option<(Case, BTreeSet<&str>)> = None;
    for (index, line) in text.lines().enumerate() {
        let at = format!("aws_sigv4_suite.txt line {}", index + 1);
        if current.is_none() && (line.is_empty() || line.starts_with('#')) {
            continue;
        }
        if line == "end" {
            let (case, seen) = current
                .take()
                .unwrap_or_else(|| panic!("{at}: `end` outside a case"));
            for key in SCALAR_KEYS {
                assert!(
                    seen.contains(key) || OPTIONAL_KEYS.contains(key),
                    "{at}: case {} has no `{key}`",
                    case.name
                );
            }
            assert!(
                case.session_token.is_some() || !case.token_after_signing,
                "{at}: token_after_signing without a session_token"
            );
            cases.push(case);
            continue;
        }
        let (key, value) = line
            .split_once(':')
            .unwrap_or_else(|| panic!("{at}: not a `key: value` line: {line:?}"));
        let value = value.strip_prefix(' ').unwrap_or(value);
        assert!(
            value.is_empty() || !value.starts_with(' ') || key == "fold" || key == "header",
            "{at}: `{key}` value starts with extra spaces"
        );
        if key == "case" {
            assert!(
                current.is_none(),
                "{at}: `case` inside a case (missing `end`)"
            );
            let case = Case {
                name: value.to_owned(),
                ..Case::default()
            };
            current = Some((case, BTreeSet::new()));
            continue;
        }
        let (case, seen) = current
            .as_mut()
            .unwrap_or_else(|| panic!("{at}: `{key}` outside a case"));
        if SCALAR_KEYS.contains(&key) {
            assert!(seen.insert(key), "{at}: `{key}` given twice");
        }
        let owned = value.to_owned();
        match key {
            "from" => case.from = owned,
            "method" => case.method = owned,
            "path" => case.path = owned,
            "query" => case.query.push(owned),
            "header" => case.header_lines.push(owned),
            "fold" => {
                assert!(
                    value.starts_with([' ', '\t']),
                    "{at}: a `fold` line keeps its leading whitespace"
                );
                assert!(
                    !case.header_lines.is_empty(),
                    "{at}: `fold` before any header"
                );
                case.header_lines.push(owned);
            }
            "body" => case.body = Some(owned),
            "access_key_id" => case.access_key_id = owned,
            "secret_access_key" => case.secret_access_key = owned,
            "session_token" => case.session_token = Some(owned),
            "token_after_signing" => case.token_after_signing = parse_bool(value, &at),
            "region" => case.region = owned,
            "service" => case.service = owned,
            "time" => case.time = owned,
            "expires" => {
                case.expires = value
                    .parse()
                    .unwrap_or_else(|e| panic!("{at}: expires {value:?}: {e}"));
            }
            "normalize" => case.normalize = parse_bool(value, &at),
            "sign_body" => case.sign_body = parse_bool(value, &at),
            "creq" => case.canonical_request.push(owned),
            "sts" => case.string_to_sign.push(owned),
            "signature" => case.signature = owned,
            other => panic!("{at}: unknown key `{other}`"),
        }
    }
    assert!(
        current.is_none(),
        "aws_sigv4_suite.txt: last case has no `end`"
    );
    cases
}

// ---------------------------------------------------------------------------------------
// Turning a case into signer inputs
// ---------------------------------------------------------------------------------------

/// Decoded `(name, value)` query pairs from the request line.
fn decoded_query(case: &Case) -> Vec<(String, String)> {
    case.query
        .iter()
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(name), percent_decode(value))
        })
        .collect()
}

/// Header `(name, value)` pairs, continuation lines joined to their header with a space.
fn unfolded_headers(case: &Case) -> Vec<(String, String)> {
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in &case.header_lines {
        if line.starts_with([' ', '\t']) {
            let (_, value) = headers
                .last_mut()
                .unwrap_or_else(|| panic!("{}: continuation line first", case.name));
            value.push(' ');
            value.push_str(line.trim());
        } else {
            let (name, value) = line
                .split_once(':')
                .unwrap_or_else(|| panic!("{}: header line without ':': {line:?}", case.name));
            headers.push((name.to_owned(), value.to_owned()));
        }
    }
    headers
}

fn as_str_pairs(pairs: &[(String, String)]) -> Vec<(&str, &str)> {
    pairs
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect()
}

fn mismatch(name: &str, step: &str, expected: &str, got: &str) -> String {
    format!("{name}: step `{step}`:\n--- expected\n{expected}\n--- got\n{got}\n---")
}

/// Runs every step of one case and returns one message per failed step.
fn check_case(case: &Case) -> Vec<String> {
    let name = case.name.as_str();
    let mut failures = Vec::new();

    let query = decoded_query(case);
    let query = as_str_pairs(&query);
    let headers = unfolded_headers(case);
    assert!(
        !headers
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case("x-amz-date")),
        "{name}: query mode does not sign X-Amz-Date as a header"
    );
    let headers = as_str_pairs(&headers);
    let body_hash = case.sign_body.then(|| {
        let body = case.body.as_deref().unwrap_or_default();
        hex::encode(Sha256::digest(body.as_bytes()))
    });
    let time = OffsetDateTime::parse(&case.time, &Rfc3339)
        .unwrap_or_else(|e| panic!("{name}: time {:?}: {e}", case.time));

    let request = HttpRequest {
        method: &case.method,
        path: &case.path,
        query: &query,
        headers: &headers,
    };
    let params = SigningParams {
        access_key_id: &case.access_key_id,
        secret_access_key: &case.secret_access_key,
        session_token: case.session_token.as_deref().map(|token| {
            if case.token_after_signing {
                SessionToken::AppendedAfterSigning(token)
            } else {
                SessionToken::Signed(token)
            }
        }),
        region: &case.region,
        service: &case.service,
        time,
        expires_in_secs: case.expires,
        rules: Rules::Generic {
            normalize_path: case.normalize,
        },
        payload: match &body_hash {
            Some(hash) => PayloadHash::Sha256Hex(hash),
            None => PayloadHash::EmptyBody,
        },
    };

    let expected_creq = case.canonical_request.join("\n");
    let mut got = String::new();
    match sigv4::canonical_request(&request, &params, &mut got) {
        Ok(()) if got == expected_creq => {}
        Ok(()) => failures.push(mismatch(name, "canonical request", &expected_creq, &got)),
        Err(e) => failures.push(format!("{name}: step `canonical request`: error {e:?}")),
    }

    let expected_sts = case.string_to_sign.join("\n");
    let mut got = String::new();
    match sigv4::string_to_sign(&request, &params, &mut got) {
        Ok(()) if got == expected_sts => {}
        Ok(()) => failures.push(mismatch(name, "string to sign", &expected_sts, &got)),
        Err(e) => failures.push(format!("{name}: step `string to sign`: error {e:?}")),
    }

    let mut written = String::new();
    match sigv4::presign_query(&request, &params, &mut written) {
        Err(e) => failures.push(format!("{name}: step `signature`: error {e:?}")),
        Ok(signature) => {
            let got = signature.to_string();
            if got != case.signature {
                failures.push(mismatch(name, "signature", &case.signature, &got));
            }
            if hex::encode(signature.as_bytes()) != got {
                failures.push(format!(
                    "{name}: step `signature`: Display {got} disagrees with as_bytes()"
                ));
            }
            failures.extend(check_written_query(case, &written));
        }
    }
    failures
}

/// The query string `presign_query` wrote must carry the expected signature, and exactly
/// the pairs that were signed (the canonical query string), plus the signature and, when
/// the token is appended after signing, the token at the very end.
fn check_written_query(case: &Case, written: &str) -> Vec<String> {
    let name = case.name.as_str();
    let mut failures = Vec::new();
    let signature_pair = format!("X-Amz-Signature={}", case.signature);
    if !written.split('&').any(|pair| pair == signature_pair) {
        failures.push(format!(
            "{name}: step `query string`: {signature_pair} not in {written:?}"
        ));
    }
    let mut rest = written;
    if let (Some(token), true) = (&case.session_token, case.token_after_signing) {
        let token_pair = format!("&X-Amz-Security-Token={}", uri_encode(token));
        match written.strip_suffix(&token_pair) {
            Some(signed) => rest = signed,
            None => failures.push(format!(
                "{name}: step `query string`: does not end with {token_pair:?}: {written:?}"
            )),
        }
    }
    let signed_part = match rest.rsplit_once('&') {
        Some((signed, last)) if last.starts_with("X-Amz-Signature=") => signed,
        _ => {
            failures.push(format!(
                "{name}: step `query string`: X-Amz-Signature is not the last signed pair: {written:?}"
            ));
            return failures;
        }
    };
    let canonical_query = case.canonical_request.get(2).map_or("", String::as_str);
    let expected = sorted_pairs(canonical_query);
    let got = sorted_pairs(signed_part);
    if expected != got {
        failures.push(mismatch(
            name,
            "query string (signed pairs, sorted)",
            &expected.join("\n"),
            &got.join("\n"),
        ));
    }
    failures
}

fn run_case(name: &str) {
    let case = cases()
        .iter()
        .find(|case| case.name == name)
        .unwrap_or_else(|| panic!("{name}: not in tests/vectors/aws_sigv4_suite.txt"));
    let failures = check_case(case);
    assert!(
        failures.is_empty(),
        "{name}: {} step(s) failed\n{}",
        failures.len(),
        failures.join("\n")
    );
}

// ---------------------------------------------------------------------------------------
// One named test per case
// ---------------------------------------------------------------------------------------

macro_rules! suite_cases {
    ($($test:ident => $case:literal),+ $(,)?) => {
        /// The case names that have a generated test, in suite order.
        const TESTED_CASES: &[&str] = &[$($case),+];

        /// One test per suite case, named after it.
        mod case {
            $(
                #[test]
                fn $test() {
                    super::run_case($case);
                }
            )+
        }
    };
}

suite_cases! {
    get_header_key_duplicate => "get-header-key-duplicate",
    get_header_value_multiline => "get-header-value-multiline",
    get_header_value_order => "get-header-value-order",
    get_header_value_trim => "get-header-value-trim",
    get_relative_normalized => "get-relative-normalized",
    get_relative_relative_normalized => "get-relative-relative-normalized",
    get_relative_relative_unnormalized => "get-relative-relative-unnormalized",
    get_relative_unnormalized => "get-relative-unnormalized",
    get_slash_dot_slash_normalized => "get-slash-dot-slash-normalized",
    get_slash_dot_slash_unnormalized => "get-slash-dot-slash-unnormalized",
    get_slash_normalized => "get-slash-normalized",
    get_slash_pointless_dot_normalized => "get-slash-pointless-dot-normalized",
    get_slash_pointless_dot_unnormalized => "get-slash-pointless-dot-unnormalized",
    get_slash_unnormalized => "get-slash-unnormalized",
    get_slashes_normalized => "get-slashes-normalized",
    get_slashes_unnormalized => "get-slashes-unnormalized",
    get_space_normalized => "get-space-normalized",
    get_space_unnormalized => "get-space-unnormalized",
    get_unreserved => "get-unreserved",
    get_utf8 => "get-utf8",
    get_vanilla => "get-vanilla",
    get_vanilla_empty_query_key => "get-vanilla-empty-query-key",
    get_vanilla_query => "get-vanilla-query",
    get_vanilla_query_order_encoded => "get-vanilla-query-order-encoded",
    get_vanilla_query_order_key_case => "get-vanilla-query-order-key-case",
    get_vanilla_query_unreserved => "get-vanilla-query-unreserved",
    get_vanilla_utf8_query => "get-vanilla-utf8-query",
    get_vanilla_with_session_token => "get-vanilla-with-session-token",
    post_header_key_case => "post-header-key-case",
    post_header_key_sort => "post-header-key-sort",
    post_header_value_case => "post-header-value-case",
    post_sts_header_after => "post-sts-header-after",
    post_sts_header_before => "post-sts-header-before",
    post_vanilla => "post-vanilla",
    post_vanilla_empty_query_value => "post-vanilla-empty-query-value",
    post_vanilla_query => "post-vanilla-query",
    post_x_www_form_urlencoded => "post-x-www-form-urlencoded",
    post_x_www_form_urlencoded_parameters => "post-x-www-form-urlencoded-parameters",
}

#[test]
fn transcription_has_every_suite_case_once() {
    let names: Vec<&str> = cases().iter().map(|case| case.name.as_str()).collect();
    assert_eq!(
        names.len(),
        SUITE_CASE_COUNT,
        "the transcription must hold all {SUITE_CASE_COUNT} suite cases"
    );
    let unique: BTreeSet<&str> = names.iter().copied().collect();
    assert_eq!(unique.len(), names.len(), "a case name is repeated");
    let tested: BTreeSet<&str> = TESTED_CASES.iter().copied().collect();
    assert_eq!(
        unique, tested,
        "every transcribed case needs exactly one generated test"
    );
    assert_eq!(TESTED_CASES.len(), SUITE_CASE_COUNT);
    for case in cases() {
        assert_eq!(
            case.from,
            format!("v4/{}", case.name),
            "{}: from",
            case.name
        );
        // Query mode carries the date in X-Amz-Date; it is never a signed header.
        let signed_headers = case.canonical_request.iter().rev().nth(1);
        assert!(
            signed_headers.is_some_and(|line| !line.split(';').any(|h| h == "x-amz-date")),
            "{}: x-amz-date among the signed headers {signed_headers:?}",
            case.name
        );
    }
}

// ---------------------------------------------------------------------------------------
// Drift check against the suite folder
// ---------------------------------------------------------------------------------------

fn json_object<'v>(value: &'v Value, what: &str) -> &'v Map<String, Value> {
    value
        .as_object()
        .unwrap_or_else(|| panic!("{what}: expected an object, found {value:?}"))
}

fn json_str(value: &Value, what: &str) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => panic!("{what}: expected a string, found {other:?}"),
    }
}

fn json_bool(value: &Value, what: &str) -> bool {
    match value {
        Value::Bool(b) => *b,
        other => panic!("{what}: expected a boolean, found {other:?}"),
    }
}

/// Reads one suite folder into a [`Case`], in the same raw form as the transcription.
fn read_suite_case(dir: &Path, name: &str) -> Case {
    let read = |file: &str| {
        let path = dir.join(name).join(file);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    };
    let request = read("request.txt");
    let (head, body) = match request.split_once("\n\n") {
        Some((head, body)) => (head, Some(body.to_owned())),
        None => (request.trim_end_matches('\n'), None),
    };
    let mut lines = head.split('\n');
    let request_line = lines.next().unwrap_or_default();
    let (method, rest) = request_line
        .split_once(' ')
        .unwrap_or_else(|| panic!("{name}: request line {request_line:?}"));
    let target = rest
        .strip_suffix(" HTTP/1.1")
        .unwrap_or_else(|| panic!("{name}: request line {request_line:?}"));
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let lines_of = |text: String| text.split('\n').map(str::to_owned).collect::<Vec<_>>();
    let mut case = Case {
        name: name.to_owned(),
        from: format!("v4/{name}"),
        method: method.to_owned(),
        path: path.to_owned(),
        query: query
            .split('&')
            .filter(|p| !p.is_empty())
            .map(str::to_owned)
            .collect(),
        header_lines: lines.map(str::to_owned).collect(),
        body,
        canonical_request: lines_of(read("query-canonical-request.txt")),
        string_to_sign: lines_of(read("query-string-to-sign.txt")),
        signature: read("query-signature.txt").trim().to_owned(),
        ..Case::default()
    };

    let context: Value = serde_json::from_str(&read("context.json"))
        .unwrap_or_else(|e| panic!("{name}/context.json: {e}"));
    let mut required: BTreeSet<&str> = [
        "credentials",
        "expiration_in_seconds",
        "normalize",
        "region",
        "service",
        "sign_body",
        "timestamp",
    ]
    .into_iter()
    .collect();
    for (key, value) in json_object(&context, name) {
        let what = format!("{name}/context.json {key}");
        required.remove(key.as_str());
        match key.as_str() {
            "credentials" => {
                for (field, value) in json_object(value, &what) {
                    let what = format!("{what}.{field}");
                    match field.as_str() {
                        "access_key_id" => case.access_key_id = json_str(value, &what),
                        "secret_access_key" => case.secret_access_key = json_str(value, &what),
                        "token" => case.session_token = Some(json_str(value, &what)),
                        other => panic!("{what}: unknown credentials field {other}"),
                    }
                }
            }
            "expiration_in_seconds" => {
                case.expires = value
                    .as_u64()
                    .and_then(|n| u32::try_from(n).ok())
                    .unwrap_or_else(|| panic!("{what}: expected a number, found {value:?}"));
            }
            "normalize" => case.normalize = json_bool(value, &what),
            "region" => case.region = json_str(value, &what),
            "service" => case.service = json_str(value, &what),
            "sign_body" => case.sign_body = json_bool(value, &what),
            "timestamp" => case.time = json_str(value, &what),
            "omit_session_token" => case.token_after_signing = json_bool(value, &what),
            other => panic!("{what}: unknown context field {other} (the transcription lacks it)"),
        }
    }
    assert!(
        required.is_empty(),
        "{name}/context.json lacks {required:?}"
    );
    case
}

#[test]
fn transcription_matches_suite_folder() {
    let dir = Path::new(SUITE_DIR);
    if !dir.is_dir() {
        println!(
            "note: {} is absent; the transcription drift check is skipped \
             (CI keeps the suite beside the clone)",
            dir.display()
        );
        return;
    }
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|entry| entry.expect("suite folder entry"))
        .filter(|entry| entry.path().is_dir())
        .map(|entry| entry.file_name().into_string().expect("UTF-8 case name"))
        .collect();
    names.sort();
    let mut transcribed: Vec<&str> = cases().iter().map(|case| case.name.as_str()).collect();
    transcribed.sort_unstable();
    assert_eq!(
        names, transcribed,
        "the suite folder and the transcription hold different cases"
    );
    for name in &names {
        let from_suite = read_suite_case(dir, name);
        let ours = cases()
            .iter()
            .find(|case| &case.name == name)
            .expect("checked above");
        assert_eq!(
            ours,
            &from_suite,
            "{name}: tests/vectors/aws_sigv4_suite.txt disagrees with {}/{name}",
            dir.display()
        );
    }
}

#[test]
fn helpers_decode_and_encode_like_the_suite() {
    // Guards the test's own plumbing: the two ways the suite writes U+1234 decode alike,
    // and the encoder matches the suite's encoding of the token in post-sts-header-before.
    assert_eq!(percent_decode("%E1%88%B4"), "\u{1234}");
    assert_eq!(percent_decode("\u{1234}"), "\u{1234}");
    assert_eq!(percent_decode("a%2"), "a%2");
    assert_eq!(uri_encode("a/b+c=\u{1234}~"), "a%2Fb%2Bc%3D%E1%88%B4~");
    // The URL helpers every test binary shares (tests/common), on values written by hand.
    assert!(common::escapes_are_well_formed("a%2Fb%e1"));
    assert!(!common::escapes_are_well_formed("a%2"));
    assert!(!common::escapes_are_well_formed("a%zz/"));
    let url = "https://h/p?b=2&a=1&X-Amz-Signature=ab&a=0";
    assert_eq!(
        common::url_parts(url),
        (
            "https://h/p",
            vec!["X-Amz-Signature=ab", "a=0", "a=1", "b=2"]
        )
    );
    assert_eq!(common::query_param(url, "a"), Some("1"));
    assert_eq!(common::query_param(url, "X-Amz"), None);
    assert_eq!(common::query_param("https://h/p", "a"), None);
    assert_eq!(common::signature(url), "ab");
    let case = cases()
        .iter()
        .find(|case| case.name == "get-header-value-multiline")
        .expect("case present");
    assert_eq!(
        unfolded_headers(case)[1],
        ("My-Header1".to_owned(), "value1 value2 value3".to_owned())
    );
}
