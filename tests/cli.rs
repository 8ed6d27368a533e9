//! Runs the `presign` example binary (`examples/presign.rs`) as a user would.
//!
//! Examples get no `CARGO_BIN_EXE_*` variable, and `cargo test --test cli` does not build
//! examples (only a plain `cargo test` does), so the binary is built here, once, with the
//! same cargo, profile and features as this test; cargo reports where it put it. Cargo has
//! released its build lock by the time tests run, so the nested build does not deadlock.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use presign::{ContentType, Credentials, Endpoint, GetTtl, Presigner, PutTtl};
use time::macros::datetime;

const AWS_VARS: [&str; 5] = [
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
];

/// The presigned GET URL from the AWS S3 API reference ("Authenticating Requests: Using
/// Query Parameters", example credentials, 2013-05-24, 86400 s, legacy global endpoint).
const AWS_DOC_URL: &str = "https://examplebucket.s3.amazonaws.com/test.txt\
    ?X-Amz-Algorithm=AWS4-HMAC-SHA256\
    &X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request\
    &X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host\
    &X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";

const R2_ACCOUNT: &str = "0123456789abcdef0123456789abcdef";

/// Path of the freshly built example binary.
fn example_binary() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        let exe = std::env::current_exe().expect("path of the test executable");
        // target/<profile-dir>/deps/cli-HASH: build the example with the same profile.
        let profile_dir = exe
            .parent()
            .and_then(Path::parent)
            .and_then(Path::file_name)
            .and_then(|n| n.to_str())
            .expect("test executable lives in target/<profile>/deps");
        let profile = if profile_dir == "debug" {
            "dev"
        } else {
            profile_dir
        };
        // The same feature set as this test, so the library is not rebuilt.
        let mut features = Vec::new();
        if cfg!(feature = "default") {
            features.push("default");
        }
        if cfg!(feature = "std") {
            features.push("std");
        }
        if cfg!(feature = "alloc") {
            features.push("alloc");
        }
        let out = Command::new(env!("CARGO"))
            .args([
                "build",
                "--quiet",
                "--example",
                "presign",
                "--profile",
                profile,
            ])
            .args(["--no-default-features", "--features", &features.join(",")])
            .args([
                "--message-format",
                "json-render-diagnostics",
                "--manifest-path",
            ])
            .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml"))
            .output()
            .expect("run cargo build --example presign");
        assert!(
            out.status.success(),
            "cargo build --example presign failed:\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let stdout = String::from_utf8(out.stdout).expect("cargo's JSON is UTF-8");
        let path = stdout
            .lines()
            .filter(|l| l.contains(r#""reason":"compiler-artifact""#))
            .filter(|l| l.contains(r#""kind":["example"]"#) && l.contains(r#""name":"presign""#))
            .find_map(|l| {
                let start = l.find(r#""executable":""#)? + r#""executable":""#.len();
                let rest = &l[start..];
                // Paths with a `"` in them are not supported.
                let end = rest.find('"')?;
                Some(rest[..end].replace(r"\\", r"\"))
            })
            .unwrap_or_else(|| panic!("no example executable in cargo's output:\n{stdout}"));
        PathBuf::from(path)
    })
}

/// Runs the example with `args`, no `AWS_*` variables except `env`.
fn run_with_env(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(example_binary());
    for var in AWS_VARS {
        cmd.env_remove(var);
    }
    cmd.envs(env.iter().copied()).args(args);
    cmd.output().expect("run the presign example")
}

/// The `Display` of the error the library returns for some input.
fn error_message<T>(result: Result<T, presign::Error>) -> String {
    match result {
        Ok(_) => panic!("the library accepted an input it should refuse"),
        Err(e) => e.to_string(),
    }
}

fn run(args: &[&str]) -> Output {
    run_with_env(args, &[])
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr(out: &Output) -> String {
    String::from_utf8(out.stderr.clone()).expect("stderr is UTF-8")
}

/// Asserts success and that stdout is exactly one line; returns that line.
fn url_of(out: &Output) -> String {
    assert_eq!(
        out.status.code(),
        Some(0),
        "expected success, stderr:\n{}",
        stderr(out)
    );
    let text = stdout(out);
    let url = text
        .strip_suffix('\n')
        .unwrap_or_else(|| panic!("stdout does not end with a newline: {text:?}"));
    assert!(
        !url.contains('\n') && !url.contains('\r'),
        "stdout is not exactly one line: {text:?}"
    );
    url.to_owned()
}

/// Asserts the exit code, an empty stdout, and `needle` in the error report: a library error
/// (exit 1) is one `presign: error:` line; a usage error (exit 2) is clap's report, which
/// starts with `error:` and may quote the offending argument on a later line.
fn assert_fails(out: &Output, code: i32, needle: &str) {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(code), "stderr:\n{err}");
    assert_eq!(stdout(out), "", "nothing may go to stdout on error");
    if code == 1 {
        assert!(
            err.lines()
                .any(|l| l.starts_with("presign: error: ") && l.contains(needle)),
            "no `presign: error: ...{needle}...` line in stderr:\n{err}"
        );
    } else {
        assert!(
            err.starts_with("error: "),
            "not a usage error report:\n{err}"
        );
        assert!(
            err.contains(needle),
            "no `{needle}` in the usage error:\n{err}"
        );
    }
    assert!(!err.contains("panicked"), "the example panicked:\n{err}");
}

#[test]
fn aws_documentation_get_url_is_reproduced_exactly() {
    let out = run(&[
        "get",
        "s3://examplebucket/test.txt",
        "--endpoint",
        "https://s3.amazonaws.com",
        "--virtual-hosted",
        "--region",
        "us-east-1",
        "--expires-in",
        "86400",
        "--at",
        "2013-05-24T00:00:00Z",
    ]);
    assert_eq!(stdout(&out), format!("{AWS_DOC_URL}\n"));
    assert_eq!(url_of(&out), AWS_DOC_URL);
    let err = stderr(&out);
    assert!(err.contains("method: GET\n"), "{err}");
    assert!(err.contains("expires: 2013-05-25T00:00:00Z\n"), "{err}");
    assert!(!err.contains("header: "), "GET needs no headers:\n{err}");
}

#[test]
fn at_accepts_any_utc_offset() {
    let out = run(&[
        "get",
        "s3://examplebucket/test.txt",
        "--endpoint=https://s3.amazonaws.com",
        "--virtual-hosted",
        "--region=us-east-1",
        "--expires-in=86400",
        "--at=2013-05-24T02:00:00+02:00",
    ]);
    assert_eq!(url_of(&out), AWS_DOC_URL);
}

#[test]
fn missing_credentials_fall_back_to_the_documented_example_and_say_so() {
    let out = run(&["get", "s3://b-1/k", "--at", "2013-05-24T00:00:00Z"]);
    let url = url_of(&out);
    assert!(
        url.contains("X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F"),
        "{url}"
    );
    let err = stderr(&out);
    assert!(
        err.contains("note") && err.contains("AKIAIOSFODNN7EXAMPLE"),
        "no note about the example credentials:\n{err}"
    );
}

#[test]
fn credentials_come_from_the_environment() {
    let out = run_with_env(
        &["get", "s3://b-1/k", "--at", "2013-05-24T00:00:00Z"],
        &[
            ("AWS_ACCESS_KEY_ID", "AKIDREALREALREAL1234"),
            (
                "AWS_SECRET_ACCESS_KEY",
                "secretsecretsecretsecretsecret1234567890",
            ),
        ],
    );
    let url = url_of(&out);
    assert!(
        url.contains("X-Amz-Credential=AKIDREALREALREAL1234%2F"),
        "{url}"
    );
    assert!(!url.contains("X-Amz-Security-Token"), "{url}");
    let err = stderr(&out);
    assert!(!err.contains("AKIAIOSFODNN7EXAMPLE"), "{err}");
    assert!(!err.contains("secretsecret"), "the secret leaked:\n{err}");
}

#[test]
fn session_token_is_included() {
    let out = run_with_env(
        &["get", "s3://b-1/k", "--at", "2013-05-24T00:00:00Z"],
        &[
            ("AWS_ACCESS_KEY_ID", "ASIAEXAMPLEEXAMPLE12"),
            (
                "AWS_SECRET_ACCESS_KEY",
                "secretsecretsecretsecretsecret1234567890",
            ),
            ("AWS_SESSION_TOKEN", "tok/en+=="),
        ],
    );
    let url = url_of(&out);
    assert!(
        url.contains("X-Amz-Security-Token=tok%2Fen%2B%3D%3D"),
        "{url}"
    );
}

#[test]
fn half_set_credentials_are_a_usage_error() {
    let out = run_with_env(&["get", "s3://b-1/k"], &[("AWS_ACCESS_KEY_ID", "AKIDX")]);
    assert_fails(&out, 2, "AWS_SECRET_ACCESS_KEY");
    let out = run_with_env(&["get", "s3://b-1/k"], &[("AWS_SECRET_ACCESS_KEY", "s")]);
    assert_fails(&out, 2, "AWS_ACCESS_KEY_ID");
    let out = run_with_env(&["get", "s3://b-1/k"], &[("AWS_SESSION_TOKEN", "t")]);
    assert_fails(&out, 2, "AWS_SESSION_TOKEN");
}

#[test]
fn r2_put_prints_one_line_and_tells_the_uploader_what_to_send() {
    let out = run(&[
        "put",
        "s3://robotrace-episodes/episodes/42/video.mp4",
        "--r2",
        R2_ACCOUNT,
        "--content-type",
        "video/mp4",
        "--at",
        "2026-01-02T03:04:05Z",
    ]);
    let url = url_of(&out);
    assert!(
        url.starts_with(&format!(
            "https://{R2_ACCOUNT}.r2.cloudflarestorage.com/robotrace-episodes/episodes/42/video.mp4?"
        )),
        "{url}"
    );
    assert!(url.contains("%2Fauto%2Fs3%2Faws4_request"), "{url}");
    assert!(
        url.contains("X-Amz-Expires=1800&"),
        "put defaults to 1800 s: {url}"
    );
    let err = stderr(&out);
    assert!(err.contains("method: PUT\n"), "{err}");
    assert!(err.contains("header: content-type: video/mp4\n"), "{err}");
    assert!(err.contains("expires: 2026-01-02T03:34:05Z\n"), "{err}");
    assert!(
        err.lines()
            .any(|l| l
                == format!("curl -X PUT -H 'content-type: video/mp4' --upload-file FILE '{url}'")),
        "no ready-to-paste curl command:\n{err}"
    );
}

#[test]
fn cli_url_matches_the_library_and_the_key_is_literal() {
    let now = datetime!(2026-01-02 03:04:05 UTC);
    let (id, secret) = (
        "AKIAIOSFODNN7EXAMPLE",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    );
    let presigner = Presigner::new(
        Endpoint::r2(R2_ACCOUNT).unwrap(),
        Credentials::new(id, secret).unwrap(),
    );
    // `%20` is three literal characters of the key, not a space.
    let key = "a/b%20c/d e.txt";
    let expected = presigner
        .get_object("bkt", key, GetTtl::default(), now)
        .unwrap();
    let out = run(&[
        "get",
        &format!("s3://bkt/{key}"),
        "--r2",
        R2_ACCOUNT,
        "--region",
        "auto",
        "--at",
        "2026-01-02T03:04:05Z",
    ]);
    assert_eq!(url_of(&out), expected.url());
    assert!(expected.url().contains("/bkt/a/b%2520c/d%20e.txt?"));
}

#[test]
fn get_response_overrides_become_signed_query_parameters() {
    let out = run(&[
        "get",
        "s3://bkt/v.mp4",
        "--r2",
        R2_ACCOUNT,
        "--response-content-disposition",
        "attachment; filename=\"e.mp4\"",
        "--response-content-type",
        "video/mp4",
    ]);
    let url = url_of(&out);
    assert!(
        url.contains("response-content-disposition=attachment%3B%20filename%3D%22e.mp4%22"),
        "{url}"
    );
    assert!(url.contains("response-content-type=video%2Fmp4"), "{url}");
    let out = run(&[
        "head",
        "s3://bkt/v.mp4",
        "--response-content-type",
        "video/mp4",
    ]);
    assert_fails(&out, 2, "--response-content-type");
}

#[test]
fn head_and_delete_work() {
    let out = run(&["head", "s3://bkt/k", "--at", "2026-01-02T03:04:05Z"]);
    assert!(url_of(&out).contains("X-Amz-Expires=3600&"));
    assert!(stderr(&out).contains("method: HEAD\n"));
    let out = run(&[
        "delete",
        "s3://bkt/k",
        "--expires-in",
        "60",
        "--at",
        "2026-01-02T03:04:05Z",
    ]);
    assert!(url_of(&out).contains("X-Amz-Expires=60&"));
    let err = stderr(&out);
    assert!(err.contains("method: DELETE\n"), "{err}");
    assert!(err.contains("expires: 2026-01-02T03:05:05Z\n"), "{err}");
}

#[test]
fn aws_region_comes_from_the_flag_then_the_environment() {
    let out = run_with_env(&["get", "s3://bkt/k"], &[("AWS_REGION", "eu-west-3")]);
    assert!(url_of(&out).starts_with("https://bkt.s3.eu-west-3.amazonaws.com/k?"));
    let out = run_with_env(
        &[
            "get",
            "s3://bkt/k",
            "--region",
            "ap-south-1",
            "--path-style",
        ],
        &[("AWS_REGION", "eu-west-3")],
    );
    assert!(url_of(&out).starts_with("https://s3.ap-south-1.amazonaws.com/bkt/k?"));
    let out = run(&["get", "s3://bkt/k"]);
    assert!(url_of(&out).starts_with("https://bkt.s3.us-east-1.amazonaws.com/k?"));
}

#[test]
fn put_without_content_type_is_a_usage_error() {
    let out = run(&["put", "s3://bkt/k", "--r2", R2_ACCOUNT]);
    assert_fails(&out, 2, "--content-type");
}

#[test]
fn content_type_outside_put_is_a_usage_error() {
    let out = run(&["get", "s3://bkt/k", "--content-type", "video/mp4"]);
    assert_fails(&out, 2, "--content-type");
}

#[test]
fn out_of_range_ttl_reports_the_library_error() {
    for secs in [0, 604_801] {
        let message = error_message(PutTtl::from_secs(secs));
        let out = run(&[
            "put",
            "s3://bkt/k",
            "--content-type",
            "video/mp4",
            "--expires-in",
            &secs.to_string(),
        ]);
        assert_fails(&out, 1, &message);
        let message = error_message(GetTtl::from_secs(secs));
        let out = run(&["get", "s3://bkt/k", "--expires-in", &secs.to_string()]);
        assert_fails(&out, 1, &message);
    }
    let out = run(&["get", "s3://bkt/k", "--expires-in", "604800"]);
    assert!(url_of(&out).contains("X-Amz-Expires=604800&"));
}

#[test]
fn invalid_inputs_are_reported_not_panicked_on() {
    for (args, code, needle) in [
        (&["get", "s3://bkt/"][..], 2, "key"),
        (&["get", "s3://bkt"], 2, "key"),
        (&["get", "s3:///k"], 2, "bucket"),
        (&["get", "https://bkt/k"], 2, "s3://"),
        (&["fetch", "s3://bkt/k"], 2, "fetch"),
        (&["get"], 2, "s3://BUCKET/KEY"),
        (&["s3://bkt/k"], 2, "unrecognized subcommand"),
        (&["get", "s3://bkt/k", "extra"], 2, "extra"),
        (&["get", "s3://bkt/k", "--bogus"], 2, "--bogus"),
        (&["get", "s3://bkt/k", "--region"], 2, "--region"),
        (
            &["get", "s3://bkt/k", "--expires-in", "soon"],
            2,
            "--expires-in",
        ),
        (&["get", "s3://bkt/k", "--at", "yesterday"], 2, "--at"),
        (
            &[
                "get",
                "s3://bkt/k",
                "--r2",
                R2_ACCOUNT,
                "--region",
                "us-east-1",
            ],
            2,
            "auto",
        ),
        (
            &[
                "get",
                "s3://bkt/k",
                "--r2",
                R2_ACCOUNT,
                "--endpoint",
                "http://x",
            ],
            2,
            "--r2",
        ),
        (
            &["get", "s3://bkt/k", "--path-style", "--virtual-hosted"],
            2,
            "--path-style",
        ),
        (
            &[
                "get",
                "s3://bkt/k",
                "--at",
                "2013-05-24T00:00:00Z",
                "--at",
                "x",
            ],
            2,
            "--at",
        ),
    ] {
        let out = run(args);
        assert_fails(&out, code, needle);
    }
    // No arguments at all: the usage, on stderr, as a usage error.
    let out = run(&[]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stdout(&out), "");
    assert!(stderr(&out).contains("Usage: presign"), "{}", stderr(&out));
    // Refused by the library (exit 1), with its message.
    let message = error_message(Endpoint::r2("not an account"));
    let out = run(&["get", "s3://bkt/k", "--r2", "not an account"]);
    assert_fails(&out, 1, &message);
    let message = error_message(ContentType::new("not a type"));
    let out = run(&["put", "s3://bkt/k", "--content-type", "not a type"]);
    assert_fails(&out, 1, &message);
}

#[test]
fn help_goes_to_stdout_and_exits_zero() {
    for flag in ["--help", "-h"] {
        for (args, needles) in [
            (
                &[flag][..],
                &["Usage:", "put", "--r2", "AWS_ACCESS_KEY_ID", "us-east-1"][..],
            ),
            (
                &["put", "s3://bkt/k", flag],
                &["Usage:", "--content-type", "--expires-in"],
            ),
            (
                &["get", flag],
                &["Usage:", "--response-content-disposition"],
            ),
        ] {
            let out = run(args);
            assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
            let text = stdout(&out);
            for needle in needles {
                assert!(text.contains(needle), "{args:?}: no {needle}:\n{text}");
            }
            assert_eq!(stderr(&out), "");
        }
    }
}

/// The multipart presign vectors rusty-s3 publishes (its `src/actions/multipart_upload/*.rs`
/// tests `aws_example`, commit 030d196d6ae3e6565be25c25e8439f80d2203d16 and, for ListParts,
/// 2708b0179d3fa5789173de463d9377a64d5bf5b1): the AWS documentation's keys, bucket and
/// time, reproduced byte for byte by the CLI. (rusty-s3's CreateMultipartUpload vector signs
/// `uploads=1` and no content type; this crate signs `uploads=` and the object's content
/// type, as botocore does, so that one vector does not apply.)
#[test]
fn published_multipart_vectors_are_reproduced_by_the_cli() {
    const PREFIX: &str = "https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host&";
    let body =
        std::env::temp_dir().join(format!("presign-cli-complete-{}.xml", std::process::id()));
    let body_arg = body.to_str().expect("UTF-8 temp path").to_owned();
    let cases: [(&[&str], &str); 5] = [
        (
            &["upload-part", "--upload-id", "abcd", "--part-number", "1"],
            "partNumber=1&uploadId=abcd&X-Amz-Signature=d2ed12e1e116c88a79cd6d1726f5fe75c99db8a0292ba000f97ecc309a9303f8",
        ),
        (
            &[
                "complete-multipart",
                "--upload-id",
                "abcd",
                "--part",
                "2:abcdef",
                "--part",
                "1:123456789",
                "--body-file",
                &body_arg,
            ],
            "uploadId=abcd&X-Amz-Signature=19b9d341ce3c6ebd9f049882e875dcad4adc493d9d46d55148f4113146c53dd8",
        ),
        (
            &["abort-multipart", "--upload-id", "abcd"],
            "uploadId=abcd&X-Amz-Signature=7670bc768a7cdb5c276a9dddadeefdffb52061f94db6c14b4a9284fdc195bb59",
        ),
        (
            &["list-parts", "--upload-id", "abcd", "--max-parts", "100"],
            "max-parts=100&uploadId=abcd&X-Amz-Signature=10a814258808a79054a80e2aff66e95faba686648eb50bd143fe7fe7d6d7b6ce",
        ),
        (
            &[
                "list-parts",
                "--upload-id",
                "abcd",
                "--max-parts",
                "50",
                "--part-number-marker",
                "100",
            ],
            "max-parts=50&part-number-marker=100&uploadId=abcd&X-Amz-Signature=ea8eecb4f2534d606474497e6088ceb262081bf7c5a289ff0598aafdd66055da",
        ),
    ];
    for (args, tail) in cases {
        let mut all = vec![args[0], "s3://examplebucket/test.txt"];
        all.extend_from_slice(&args[1..]);
        all.extend_from_slice(&[
            "--endpoint",
            "https://s3.amazonaws.com",
            "--virtual-hosted",
            "--region",
            "us-east-1",
            "--at",
            "2013-05-24T00:00:00Z",
            "--expires-in",
            "86400",
        ]);
        let out = run(&all);
        assert_eq!(url_of(&out), format!("{PREFIX}{tail}"), "{args:?}");
    }
    // The body written for the completion: parts ascending, whatever the order given.
    let written = std::fs::read_to_string(&body).expect("the body file");
    let _ = std::fs::remove_file(&body);
    assert_eq!(
        written,
        "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Part><PartNumber>1</PartNumber><ETag>123456789</ETag></Part><Part><PartNumber>2</PartNumber><ETag>abcdef</ETag></Part></CompleteMultipartUpload>"
    );
}

/// `plan-parts` prints one line per part, and the lines cover the object exactly.
#[test]
fn plan_parts_prints_the_ranges() {
    let out = run(&[
        "plan-parts",
        "--size",
        "12582912",
        "--store",
        "r2",
        "--part-size",
        "5242880",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "1 0 5242879\n2 5242880 10485759\n3 10485760 12582911\n"
    );
    let out = run(&["plan-parts", "--size", "0", "--store", "s3"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout(&out), "");
}

// ---------------------------------------------------------------------------------------
// inspect and verify
// ---------------------------------------------------------------------------------------

const R2_KEYS: [(&str, &str); 2] = [
    ("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"),
    (
        "AWS_SECRET_ACCESS_KEY",
        "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
    ),
];

/// An R2 upload URL bound to `video/mp4`, minted by the library at 03:56:49 for 30 minutes.
fn r2_upload_url() -> String {
    let presigner = Presigner::new(
        Endpoint::r2(R2_ACCOUNT).expect("valid"),
        Credentials::new(R2_KEYS[0].1, R2_KEYS[1].1).expect("valid"),
    );
    presigner
        .put_object(
            "episodes",
            "42/video.mp4",
            &ContentType::new("video/mp4").expect("valid"),
            PutTtl::default(),
            datetime!(2026-11-24 03:56:49 UTC),
        )
        .expect("signs")
        .into_url()
}

#[test]
fn inspect_reads_a_url_without_the_secret() {
    let out = run(&["inspect", AWS_DOC_URL, "--at", "2013-05-24T12:00:00Z"]);
    assert_eq!(
        url_of(&out),
        "valid until 2013-05-25T00:00:00Z (43200 s left)"
    );
    let err = stderr(&out);
    for line in [
        "access key id: AKIAIOSFODNN7EXAMPLE",
        "scope: 20130524/us-east-1/s3/aws4_request",
        "signed at: 2013-05-24T00:00:00Z",
        "expires: 2013-05-25T00:00:00Z",
        "remaining: 43200 s",
        "signed headers (the client must send them): host",
        "session token: none",
    ] {
        assert!(err.lines().any(|l| l == line), "no `{line}` in:\n{err}");
    }
    assert!(!err.contains("aeeed9bb"), "the signature is shown:\n{err}");
    let late = run(&["inspect", AWS_DOC_URL, "--at", "2013-05-25T00:00:00Z"]);
    assert_eq!(url_of(&late), "expired at 2013-05-25T00:00:00Z");
    assert!(stderr(&late).contains("remaining: expired"));
    assert_fails(&run(&["inspect", "https://h/k"]), 1, "url has no query");
}

#[test]
fn inspect_hides_the_session_token() {
    let url = AWS_DOC_URL.replace(
        "&X-Amz-Signature",
        "&X-Amz-Security-Token=SeCrEt%2B&X-Amz-Signature",
    );
    let out = run(&["inspect", &url, "--at", "2013-05-24T00:00:00Z"]);
    url_of(&out);
    let err = stderr(&out);
    assert!(err.contains("session token: present"), "{err}");
    assert!(!err.contains("SeCrEt"), "{err}");
}

#[test]
fn verify_answers_valid_or_the_s3_code() {
    let url = r2_upload_url();
    let verify = |args: &[&str]| {
        let mut all = vec!["verify", url.as_str(), "--at", "2026-11-24T04:00:00Z"];
        all.extend_from_slice(args);
        run_with_env(&all, &R2_KEYS)
    };
    let ok = verify(&["--method", "PUT", "-H", "Content-Type: video/mp4"]);
    assert_eq!(url_of(&ok), "valid until 2026-11-24T04:26:49Z");
    assert!(stderr(&ok).contains("scope: 20261124/auto/s3/aws4_request"));

    let wrong_type = verify(&[
        "--method",
        "PUT",
        "--header",
        "content-type: application/x-www-form-urlencoded",
        "--region",
        "auto",
    ]);
    assert_eq!(wrong_type.status.code(), Some(1));
    let line = stdout(&wrong_type);
    assert!(
        line.starts_with("rejected: SignatureDoesNotMatch: "),
        "{line}"
    );
    assert_eq!(line.lines().count(), 1, "{line}");
    let err = stderr(&wrong_type);
    assert!(
        err.contains("canonical request:\nPUT\n/episodes/42/video.mp4\n"),
        "{err}"
    );
    assert!(
        err.contains("content-type:application/x-www-form-urlencoded\n"),
        "{err}"
    );
}

#[test]
fn verify_refusals_carry_their_s3_code() {
    let url = r2_upload_url();
    let verify = |args: &[&str]| {
        let mut all = vec!["verify", url.as_str(), "--at", "2026-11-24T04:00:00Z"];
        all.extend_from_slice(args);
        run_with_env(&all, &R2_KEYS)
    };
    let rejected = |args: &[&str], code: &str| {
        let out = verify(args);
        assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
        let line = stdout(&out);
        assert!(
            line.starts_with(&format!("rejected: {code}: ")),
            "{args:?}: {line}"
        );
    };
    rejected(
        &["--method", "GET", "-H", "Content-Type: video/mp4"],
        "SignatureDoesNotMatch",
    );
    rejected(&["--method", "PUT"], "SignatureDoesNotMatch");
    rejected(
        &[
            "--method",
            "PUT",
            "-H",
            "Content-Type: video/mp4",
            "-H",
            "x-amz-acl: private",
        ],
        "AccessDenied",
    );
    rejected(
        &[
            "--method",
            "PUT",
            "-H",
            "Content-Type: video/mp4",
            "--region",
            "us-east-1",
        ],
        "AuthorizationQueryParametersError",
    );
    let late = run_with_env(
        &[
            "verify",
            &url,
            "--method",
            "PUT",
            "-H",
            "Content-Type: video/mp4",
            "--at",
            "2026-11-24T04:26:49Z",
        ],
        &R2_KEYS,
    );
    assert_eq!(
        stdout(&late),
        "rejected: AccessDenied: the request expired at 2026-11-24T04:26:49Z, 0 s before the server's time 2026-11-24T04:26:49Z; presign a new url\n"
    );
    let other_id = run_with_env(
        &[
            "verify",
            &url,
            "--method",
            "PUT",
            "-H",
            "Content-Type: video/mp4",
            "--at",
            "2026-11-24T04:00:00Z",
        ],
        &[("AWS_ACCESS_KEY_ID", "OTHER"), R2_KEYS[1]],
    );
    assert!(stdout(&other_id).starts_with("rejected: InvalidAccessKeyId: "));
    let other_secret = run_with_env(
        &[
            "verify",
            &url,
            "--method",
            "PUT",
            "-H",
            "Content-Type: video/mp4",
            "--at",
            "2026-11-24T04:00:00Z",
        ],
        &[("AWS_SECRET_ACCESS_KEY", "other")],
    );
    assert!(stdout(&other_secret).starts_with("rejected: SignatureDoesNotMatch: "));
}

#[test]
fn verify_needs_the_secret_and_well_formed_headers() {
    let url = r2_upload_url();
    assert_fails(
        &run(&["verify", &url, "--method", "PUT"]),
        2,
        "AWS_SECRET_ACCESS_KEY",
    );
    assert_fails(
        &run_with_env(
            &["verify", &url, "--method", "PUT", "-H", "no colon"],
            &R2_KEYS,
        ),
        2,
        "Name: value",
    );
    assert_fails(&run_with_env(&["verify", &url], &R2_KEYS), 2, "--method");
}
