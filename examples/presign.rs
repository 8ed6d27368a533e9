//! A command-line presigner, in the spirit of `aws s3 presign`.
//!
//! ```text
//! cargo run --example presign -- get s3://my-bucket/videos/42.mp4 --r2 <ACCOUNT_ID>
//! cargo run --example presign -- put s3://my-bucket/videos/42.mp4 --content-type video/mp4
//! ```
//!
//! The URL alone goes to stdout (one line), so `URL=$(cargo run -q --example presign -- ...)`
//! works; everything a human needs to know (method, headers the client must send, expiry,
//! a ready-to-paste `curl` command) goes to stderr.
//!
//! Argument parsing is hand-written with `std` only. Exit codes: 0 success (and `--help`),
//! 2 usage errors, 1 errors reported by the `presign` library.

use std::env;
use std::ffi::OsString;
use std::fmt;
use std::io::{self, Write};
use std::process::ExitCode;

use presign::{
    AddressingStyle, ContentType, Credentials, Endpoint, GetTtl, PresignedRequest, Presigner,
    PutTtl, ResponseOverrides, Ttl,
};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// The credentials used throughout the AWS documentation examples. Never valid against AWS.
const EXAMPLE_ACCESS_KEY_ID: &str = "AKIAIOSFODNN7EXAMPLE";
const EXAMPLE_SECRET_ACCESS_KEY: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

/// Region used for plain AWS S3 when neither `--region` nor `AWS_REGION` is given, and for
/// `--endpoint` when `--region` is not given.
const DEFAULT_REGION: &str = "us-east-1";

/// `Ttl` has no default; use the same hour as `GetTtl`.
const DEFAULT_DELETE_TTL_SECS: u64 = 3600;

const USAGE: &str = "\
presign: mint an AWS SigV4 presigned URL for Cloudflare R2, AWS S3 or any S3-compatible store

USAGE:
    presign <get|put|head|delete> s3://BUCKET/KEY [OPTIONS]

ENDPOINT (pick at most one; default: AWS S3 in the region):
    --r2 ACCOUNT_ID            Cloudflare R2 (https://ACCOUNT_ID.r2.cloudflarestorage.com),
                               region `auto`
    --endpoint URL             any S3-compatible endpoint, e.g. http://127.0.0.1:9000
    --region REGION            signing region. AWS S3: default $AWS_REGION, else us-east-1.
                               --endpoint: default us-east-1 (like AWS; pass `--region auto`
                               for stores that expect it). --r2: only `auto` is accepted.
    --path-style               https://HOST/BUCKET/KEY
    --virtual-hosted           https://BUCKET.HOST/KEY
                               (default: virtual-hosted for AWS S3, path style otherwise)

REQUEST:
    --content-type TYPE        required for `put` (the uploader must send exactly this
                               Content-Type header); not allowed otherwise
    --expires-in SECONDS       1..=604800; default 1800 for put, 3600 otherwise
    --at RFC3339               signing time, e.g. 2013-05-24T00:00:00Z (default: now)
    --response-content-disposition VALUE
    --response-content-type VALUE
                               `get` only: headers S3 sets on the response
    -h, --help                 print this help

Options may also be written --option=VALUE.

CREDENTIALS (environment):
    AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and optionally AWS_SESSION_TOKEN.
    With none of them set, the AWS documentation example credentials (AKIAIOSFODNN7EXAMPLE)
    are used and a note is printed: the URL is then well-formed but will be refused.

OUTPUT:
    stdout: the URL, alone on one line.
    stderr: the method, every header the client must send, the expiry and, last, a
            ready-to-paste curl command.

EXIT STATUS:
    0 success, 1 rejected by the presign library, 2 usage error.
";

fn main() -> ExitCode {
    let args: Vec<OsString> = env::args_os().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Help) => {
            // If stdout is gone there is nobody to show the help to.
            let _ = io::stdout().lock().write_all(USAGE.as_bytes());
            ExitCode::SUCCESS
        }
        Err(Failure::Usage(msg)) => {
            eprintln!("presign: error: {msg}");
            eprintln!("Run `presign --help` for usage.");
            ExitCode::from(2)
        }
        Err(Failure::Library(err)) => {
            eprintln!("presign: error: {err}");
            ExitCode::from(1)
        }
        Err(Failure::Io(msg)) => {
            eprintln!("presign: error: {msg}");
            ExitCode::from(1)
        }
    }
}

/// Why the program did not print a URL.
enum Failure {
    /// `--help` was asked for.
    Help,
    /// Bad command line or environment: exit 2.
    Usage(String),
    /// The library refused an input: exit 1.
    Library(presign::Error),
    /// Writing the output failed: exit 1.
    Io(String),
}

impl From<presign::Error> for Failure {
    fn from(err: presign::Error) -> Self {
        Failure::Library(err)
    }
}

fn usage(msg: impl fmt::Display) -> Failure {
    Failure::Usage(msg.to_string())
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Verb {
    Get,
    Put,
    Head,
    Delete,
}

impl Verb {
    fn parse(s: &str) -> Option<Verb> {
        match s.to_ascii_lowercase().as_str() {
            "get" => Some(Verb::Get),
            "put" => Some(Verb::Put),
            "head" => Some(Verb::Head),
            "delete" => Some(Verb::Delete),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Verb::Get => "get",
            Verb::Put => "put",
            Verb::Head => "head",
            Verb::Delete => "delete",
        }
    }
}

/// The parsed command line.
#[derive(Default)]
struct Options {
    positionals: Vec<String>,
    r2: Option<String>,
    endpoint: Option<String>,
    region: Option<String>,
    addressing: Option<(AddressingStyle, &'static str)>,
    content_type: Option<String>,
    expires_in: Option<String>,
    at: Option<String>,
    response_content_disposition: Option<String>,
    response_content_type: Option<String>,
}

/// Options taking a value, and where their value is stored.
fn value_slot<'o>(opts: &'o mut Options, name: &str) -> Option<&'o mut Option<String>> {
    Some(match name {
        "--r2" => &mut opts.r2,
        "--endpoint" => &mut opts.endpoint,
        "--region" => &mut opts.region,
        "--content-type" => &mut opts.content_type,
        "--expires-in" => &mut opts.expires_in,
        "--at" => &mut opts.at,
        "--response-content-disposition" => &mut opts.response_content_disposition,
        "--response-content-type" => &mut opts.response_content_type,
        _ => return None,
    })
}

fn utf8(arg: &OsString, what: &str) -> Result<String, Failure> {
    arg.to_str()
        .map(str::to_owned)
        .ok_or_else(|| usage(format_args!("{what} is not valid UTF-8: {}", arg.display())))
}

fn parse_args(args: &[OsString]) -> Result<Options, Failure> {
    let mut opts = Options::default();
    let mut iter = args.iter();
    let mut only_positionals = false;
    while let Some(raw) = iter.next() {
        let arg = utf8(raw, "argument")?;
        if only_positionals || !arg.starts_with('-') || arg == "-" {
            opts.positionals.push(arg);
            continue;
        }
        match arg.as_str() {
            "--" => only_positionals = true,
            "-h" | "--help" => return Err(Failure::Help),
            "--path-style" | "--virtual-hosted" => {
                let (style, name) = if arg == "--path-style" {
                    (AddressingStyle::Path, "--path-style")
                } else {
                    (AddressingStyle::VirtualHosted, "--virtual-hosted")
                };
                match opts.addressing {
                    Some((_, prev)) if prev == name => {
                        return Err(usage(format_args!("{name} given twice")));
                    }
                    Some((_, prev)) => {
                        return Err(usage(format_args!(
                            "{prev} and {name} are mutually exclusive"
                        )));
                    }
                    None => opts.addressing = Some((style, name)),
                }
            }
            _ => {
                let (name, inline) = match arg.split_once('=') {
                    Some((name, value)) => (name.to_owned(), Some(value.to_owned())),
                    None => (arg.clone(), None),
                };
                let Some(slot) = value_slot(&mut opts, &name) else {
                    return Err(usage(format_args!("unknown option `{arg}`")));
                };
                if slot.is_some() {
                    return Err(usage(format_args!("{name} given twice")));
                }
                let value = if let Some(v) = inline {
                    v
                } else {
                    let v = iter.next().ok_or_else(|| {
                        usage(format_args!("{name} needs a value (e.g. {name} VALUE)"))
                    })?;
                    utf8(v, &format!("the value of {name}"))?
                };
                *slot = Some(value);
            }
        }
    }
    Ok(opts)
}

fn parse_verb(s: &str) -> Result<Verb, Failure> {
    Verb::parse(s).ok_or_else(|| {
        usage(format_args!(
            "unknown command `{s}`: expected get, put, head or delete"
        ))
    })
}

/// Splits `s3://BUCKET/KEY`. The key is taken literally (no percent-decoding) and may contain
/// further slashes.
fn parse_s3_url(url: &str) -> Result<(&str, &str), Failure> {
    let Some(rest) = url.strip_prefix("s3://") else {
        return Err(usage(format_args!(
            "expected an object location like s3://BUCKET/KEY, got `{url}`"
        )));
    };
    let Some((bucket, key)) = rest.split_once('/') else {
        return Err(usage(format_args!(
            "`{url}` names no object key: expected s3://BUCKET/KEY"
        )));
    };
    if bucket.is_empty() {
        return Err(usage(format_args!(
            "`{url}` has an empty bucket name: expected s3://BUCKET/KEY"
        )));
    }
    if key.is_empty() {
        return Err(usage(format_args!(
            "`{url}` has an empty object key: expected s3://BUCKET/KEY"
        )));
    }
    Ok((bucket, key))
}

/// An environment variable, treating unset, empty and non-UTF-8 distinctly.
fn env_var(name: &str) -> Result<Option<String>, Failure> {
    match env::var(name) {
        Ok(v) if v.is_empty() => Ok(None),
        Ok(v) => Ok(Some(v)),
        Err(env::VarError::NotPresent) => Ok(None),
        Err(env::VarError::NotUnicode(_)) => Err(usage(format_args!(
            "environment variable {name} is not valid UTF-8"
        ))),
    }
}

/// Reads credentials from the environment. Returns them and whether they are the
/// documentation examples.
fn credentials_from_env() -> Result<(Credentials, bool), Failure> {
    let id = env_var("AWS_ACCESS_KEY_ID")?;
    let secret = env_var("AWS_SECRET_ACCESS_KEY")?;
    let token = env_var("AWS_SESSION_TOKEN")?;
    let (creds, example) = match (id, secret) {
        (Some(id), Some(secret)) => (Credentials::new(&id, &secret)?, false),
        (None, None) => {
            if token.is_some() {
                return Err(usage(
                    "AWS_SESSION_TOKEN is set but AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY \
                     are not: set all three (temporary credentials) or unset the token",
                ));
            }
            let creds = Credentials::new(EXAMPLE_ACCESS_KEY_ID, EXAMPLE_SECRET_ACCESS_KEY)?;
            return Ok((creds, true));
        }
        (Some(_), None) => {
            return Err(usage(
                "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not: set both",
            ));
        }
        (None, Some(_)) => {
            return Err(usage(
                "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not: set both",
            ));
        }
    };
    let creds = match token {
        Some(token) => creds.with_session_token(&token)?,
        None => creds,
    };
    Ok((creds, example))
}

/// Usage checks on the endpoint options, before anything reaches the library.
fn check_endpoint_options(opts: &Options) -> Result<(), Failure> {
    if opts.r2.is_some() && opts.endpoint.is_some() {
        return Err(usage("--r2 and --endpoint are mutually exclusive"));
    }
    if opts.r2.is_some()
        && let Some(region) = opts.region.as_deref().filter(|r| *r != "auto")
    {
        return Err(usage(format_args!(
            "R2 signs with region `auto`; drop `--region {region}` (or pass --region auto)"
        )));
    }
    Ok(())
}

/// The endpoint. Call [`check_endpoint_options`] first.
fn endpoint_from(opts: &Options) -> Result<Endpoint, Failure> {
    let endpoint = if let Some(account) = &opts.r2 {
        Endpoint::r2(account)?
    } else if let Some(url) = &opts.endpoint {
        Endpoint::custom(url, opts.region.as_deref().unwrap_or(DEFAULT_REGION))?
    } else {
        let region = match &opts.region {
            Some(region) => region.clone(),
            None => env_var("AWS_REGION")?.unwrap_or_else(|| DEFAULT_REGION.to_owned()),
        };
        Endpoint::aws_s3(&region)?
    };
    Ok(match opts.addressing {
        Some((style, _)) => endpoint.with_addressing(style),
        None => endpoint,
    })
}

fn parse_at(at: Option<&str>) -> Result<OffsetDateTime, Failure> {
    match at {
        None => Ok(OffsetDateTime::now_utc()),
        Some(s) => OffsetDateTime::parse(s, &Rfc3339)
            .map(|t| t.to_offset(time::UtcOffset::UTC))
            .map_err(|e| {
                usage(format_args!(
                    "--at `{s}` is not an RFC 3339 time like 2013-05-24T00:00:00Z: {e}"
                ))
            }),
    }
}

fn parse_secs(s: Option<&str>) -> Result<Option<u64>, Failure> {
    s.map(|s| {
        s.parse::<u64>().map_err(|_| {
            usage(format_args!(
                "--expires-in `{s}` is not a whole number of seconds (1..=604800)"
            ))
        })
    })
    .transpose()
}

/// Quotes `s` for a POSIX shell.
fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// The command and the object location.
fn command(opts: &Options) -> Result<(Verb, &str), Failure> {
    match opts.positionals.as_slice() {
        [] => Err(usage("missing <get|put|head|delete> and s3://BUCKET/KEY")),
        [verb, location] => Ok((parse_verb(verb)?, location)),
        [only] if only.starts_with("s3://") => Err(usage(format_args!(
            "missing the command: presign <get|put|head|delete> {only}"
        ))),
        [only] => Err(usage(format_args!(
            "missing the object location: presign {} s3://BUCKET/KEY",
            parse_verb(only)?.name()
        ))),
        [_, _, extra, ..] => Err(usage(format_args!("unexpected argument `{extra}`"))),
    }
}

/// Options that only make sense for some commands.
fn check_request_options(verb: Verb, opts: &Options) -> Result<(), Failure> {
    match (verb, &opts.content_type) {
        (Verb::Put, None) => {
            return Err(usage(
                "put needs --content-type TYPE: the uploader must send exactly that \
                 Content-Type header, so it is part of the signature",
            ));
        }
        (Verb::Get | Verb::Head | Verb::Delete, Some(_)) => {
            return Err(usage(format_args!(
                "--content-type only applies to put, not {}",
                verb.name()
            )));
        }
        _ => {}
    }
    if verb != Verb::Get {
        for (given, name) in [
            (
                &opts.response_content_disposition,
                "--response-content-disposition",
            ),
            (&opts.response_content_type, "--response-content-type"),
        ] {
            if given.is_some() {
                return Err(usage(format_args!(
                    "{name} only applies to get, not {}",
                    verb.name()
                )));
            }
        }
    }
    Ok(())
}

fn run(args: &[OsString]) -> Result<(), Failure> {
    let opts = parse_args(args)?;
    let (verb, location) = command(&opts)?;
    let (bucket, key) = parse_s3_url(location)?;
    check_request_options(verb, &opts)?;
    check_endpoint_options(&opts)?;
    let secs = parse_secs(opts.expires_in.as_deref())?;
    let now = parse_at(opts.at.as_deref())?;
    // Usage errors (exit 2) are all found above; the library may refuse what follows (exit 1).
    let (credentials, example_credentials) = credentials_from_env()?;
    let presigner = Presigner::new(endpoint_from(&opts)?, credentials);

    let request = match verb {
        Verb::Put => {
            let ttl = secs.map_or_else(|| Ok(PutTtl::default()), PutTtl::from_secs)?;
            let content_type = ContentType::new(opts.content_type.as_deref().unwrap_or(""))?;
            presigner.put_object(bucket, key, &content_type, ttl, now)?
        }
        Verb::Get => {
            let ttl = secs.map_or_else(|| Ok(GetTtl::default()), GetTtl::from_secs)?;
            let disposition = opts.response_content_disposition.as_deref();
            let response_type = opts.response_content_type.as_deref();
            if disposition.is_none() && response_type.is_none() {
                presigner.get_object(bucket, key, ttl, now)?
            } else {
                let mut overrides = ResponseOverrides::new();
                if let Some(v) = disposition {
                    overrides = overrides.content_disposition(v);
                }
                if let Some(v) = response_type {
                    overrides = overrides.content_type(v);
                }
                presigner.presign(
                    &presign::ObjectRequest::get(bucket, key, ttl)
                        .with_response_overrides(&overrides),
                    now,
                )?
            }
        }
        Verb::Head => {
            let ttl = secs.map_or_else(|| Ok(GetTtl::default()), GetTtl::from_secs)?;
            presigner.head_object(bucket, key, ttl, now)?
        }
        Verb::Delete => {
            let ttl = Ttl::from_secs(secs.unwrap_or(DEFAULT_DELETE_TTL_SECS))?;
            presigner.delete_object(bucket, key, ttl, now)?
        }
    };
    if example_credentials {
        eprintln!(
            "presign: note: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY are not set; signing with \
             the AWS documentation example credentials ({EXAMPLE_ACCESS_KEY_ID}). The URL is \
             well-formed but no real bucket will accept it."
        );
    }
    report(&request)
}

/// Prints the URL to stdout and the rest to stderr.
fn report(request: &PresignedRequest) -> Result<(), Failure> {
    let url = request.url();
    let expires = request
        .expires_at()
        .format(&Rfc3339)
        .map_err(|e| Failure::Io(format!("cannot format the expiry time: {e}")))?;

    let method = request.method().as_str();
    let headers: Vec<(&str, &str)> = request.headers().collect();

    let mut curl = vec!["curl".to_owned()];
    match method {
        "GET" => {}
        "HEAD" => curl.push("--head".to_owned()),
        other => curl.extend(["-X".to_owned(), other.to_owned()]),
    }
    for (name, value) in &headers {
        curl.extend(["-H".to_owned(), shell_quote(&format!("{name}: {value}"))]);
    }
    match method {
        "PUT" => curl.extend(["--upload-file".to_owned(), "FILE".to_owned()]),
        "GET" => curl.extend(["--output".to_owned(), "FILE".to_owned()]),
        _ => {}
    }
    curl.push(shell_quote(url));

    let mut lines = vec![format!("method: {method}")];
    lines.extend(
        headers
            .iter()
            .map(|(name, value)| format!("header: {name}: {value}")),
    );
    lines.push(format!("expires: {expires}"));
    // On a line of its own, so it can be pasted as is.
    lines.push(curl.join(" "));
    let mut err = lines.join("\n");
    err.push('\n');

    // The URL first, alone: stdout is the machine-readable part.
    let mut stdout = io::stdout().lock();
    writeln!(stdout, "{url}")
        .and_then(|()| stdout.flush())
        .map_err(|e| Failure::Io(format!("cannot write the URL to stdout: {e}")))?;
    // stderr is best effort: the URL has been delivered.
    let _ = io::stderr().lock().write_all(err.as_bytes());
    Ok(())
}
