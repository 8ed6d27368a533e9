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
//! Arguments are parsed by `clap`. Exit codes: 0 success (and `--help`), 2 usage errors,
//! 1 errors reported by the `presign` library.

#![allow(
    clippy::doc_markdown,
    reason = "the doc comments are clap's help text, read in a terminal, not rendered"
)]

use std::env;
use std::io::{self, Write};
use std::process::ExitCode;

use clap::{Args, CommandFactory, Parser, Subcommand};
use presign::{
    AddressingStyle, Checksum, ChecksumAlgorithm, CompletedPart, ContentType, Credentials,
    Endpoint, GetTtl, ObjectRequest, PartNumber, PartPlan, PartsPage, PresignedRequest, Presigner,
    PutTtl, ResponseOverrides, Store, Ttl, UploadBindings, UploadId,
    write_complete_multipart_upload,
};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// The credentials used throughout the AWS documentation examples. Never valid against AWS.
const EXAMPLE_ACCESS_KEY_ID: &str = "AKIAIOSFODNN7EXAMPLE";
const EXAMPLE_SECRET_ACCESS_KEY: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

/// Region used for plain AWS S3 when neither `--region` nor `AWS_REGION` is given, and for
/// `--endpoint` when `--region` is not given.
const DEFAULT_REGION: &str = "us-east-1";

const AFTER_HELP: &str = "\
CREDENTIALS (environment):
    AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and optionally AWS_SESSION_TOKEN.
    With none of them set, the AWS documentation example credentials (AKIAIOSFODNN7EXAMPLE)
    are used and a note is printed: the URL is then well-formed but will be refused.

OUTPUT:
    stdout: the URL, alone on one line.
    stderr: the method, every header the client must send, the expiry and, last, a
            ready-to-paste curl command.

EXIT STATUS:
    0 success, 1 rejected by the presign library, 2 usage error.";

/// presign: mint an AWS SigV4 presigned URL for Cloudflare R2, AWS S3 or any S3-compatible
/// store.
#[derive(Parser)]
#[command(name = "presign", after_help = AFTER_HELP)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    #[command(flatten)]
    endpoint: EndpointArgs,
    #[command(flatten)]
    signing: SigningArgs,
}

#[derive(Subcommand)]
enum Command {
    /// A download URL (GET); byte ranges work with it.
    Get {
        /// The object, s3://BUCKET/KEY (the key is taken literally).
        #[arg(value_name = "s3://BUCKET/KEY", value_parser = parse_location)]
        location: Location,
        /// The Content-Disposition S3 sets on the response, e.g. 'attachment; filename="a.mp4"'.
        #[arg(long, value_name = "VALUE")]
        response_content_disposition: Option<String>,
        /// The Content-Type S3 sets on the response.
        #[arg(long, value_name = "VALUE")]
        response_content_type: Option<String>,
    },
    /// An upload URL (PUT) bound to one Content-Type, and optionally to its body.
    Put {
        /// The object, s3://BUCKET/KEY (the key is taken literally).
        #[arg(value_name = "s3://BUCKET/KEY", value_parser = parse_location)]
        location: Location,
        /// The uploader must send exactly this Content-Type header: it is signed.
        #[arg(long, value_name = "TYPE")]
        content_type: String,
        #[command(flatten)]
        body: BodyArgs,
        /// `*`: create only; the store answers 412 when the key exists.
        #[arg(long, value_name = "*", value_parser = parse_if_none_match)]
        if_none_match: Option<()>,
    },
    /// Start a multipart upload (POST ?uploads), bound to the object's Content-Type.
    CreateMultipart {
        /// The object, s3://BUCKET/KEY (the key is taken literally).
        #[arg(value_name = "s3://BUCKET/KEY", value_parser = parse_location)]
        location: Location,
        /// The completed object's Content-Type; the create request must send it.
        #[arg(long, value_name = "TYPE")]
        content_type: String,
    },
    /// One part's upload URL (PUT ?partNumber=N&uploadId=ID), valid like an upload.
    UploadPart {
        /// The object, s3://BUCKET/KEY (the key is taken literally).
        #[arg(value_name = "s3://BUCKET/KEY", value_parser = parse_location)]
        location: Location,
        /// The upload's id (UploadId of the create answer).
        #[arg(long, value_name = "ID")]
        upload_id: String,
        /// 1..=10000.
        #[arg(long, value_name = "N")]
        part_number: u32,
        #[command(flatten)]
        body: BodyArgs,
    },
    /// The URL that completes a multipart upload (POST ?uploadId=ID); writes its body.
    CompleteMultipart {
        /// The object, s3://BUCKET/KEY (the key is taken literally).
        #[arg(value_name = "s3://BUCKET/KEY", value_parser = parse_location)]
        location: Location,
        /// The upload's id.
        #[arg(long, value_name = "ID")]
        upload_id: String,
        /// A part as NUMBER:ETAG (the ETag the part's PUT answered), in any order.
        #[arg(long = "part", value_name = "N:ETAG", value_parser = parse_part, required = true)]
        parts: Vec<(u16, String)>,
        /// Where to write the CompleteMultipartUpload body (parts ascending) to POST.
        #[arg(long, value_name = "FILE")]
        body_file: std::path::PathBuf,
        /// `*`: create only; completing over an existing key answers 412 (S3).
        #[arg(long, value_name = "*", value_parser = parse_if_none_match)]
        if_none_match: Option<()>,
    },
    /// Cut an object into parts: one line per part, NUMBER FIRST_BYTE LAST_BYTE (inclusive).
    PlanParts {
        /// The object's size in bytes.
        #[arg(long, value_name = "BYTES")]
        size: u64,
        /// Whose limits: r2 or s3.
        #[arg(long, value_parser = ["r2", "s3"])]
        store: String,
        /// The preferred part size (raised to 5 MiB, or grown to fit 10,000 parts).
        #[arg(long, value_name = "BYTES")]
        part_size: Option<u64>,
    },
    /// The URL that aborts a multipart upload (DELETE ?uploadId=ID).
    AbortMultipart {
        /// The object, s3://BUCKET/KEY (the key is taken literally).
        #[arg(value_name = "s3://BUCKET/KEY", value_parser = parse_location)]
        location: Location,
        /// The upload's id.
        #[arg(long, value_name = "ID")]
        upload_id: String,
    },
    /// The URL that lists the parts received (GET ?uploadId=ID).
    ListParts {
        /// The object, s3://BUCKET/KEY (the key is taken literally).
        #[arg(value_name = "s3://BUCKET/KEY", value_parser = parse_location)]
        location: Location,
        /// The upload's id.
        #[arg(long, value_name = "ID")]
        upload_id: String,
        /// At most this many parts (1..=1000).
        #[arg(long, value_name = "N")]
        max_parts: Option<u32>,
        /// List the parts after this part number.
        #[arg(long, value_name = "N")]
        part_number_marker: Option<u32>,
    },
    /// A metadata URL (HEAD).
    Head {
        /// The object, s3://BUCKET/KEY (the key is taken literally).
        #[arg(value_name = "s3://BUCKET/KEY", value_parser = parse_location)]
        location: Location,
    },
    /// A deletion URL (DELETE).
    Delete {
        /// The object, s3://BUCKET/KEY (the key is taken literally).
        #[arg(value_name = "s3://BUCKET/KEY", value_parser = parse_location)]
        location: Location,
    },
    /// Read a presigned URL without the secret: who signed it, for which scope, when it
    /// stops working (at --at, default now), the headers the client must send. stdout: one
    /// line, `valid until T (N s left)` or `expired at T`; stderr: the details (never the
    /// signature or the token). Exit 1 when the text is no presigned URL.
    Inspect {
        /// The presigned URL.
        url: String,
    },
    /// Verify a presigned request as S3 does on receipt, with the secret from
    /// AWS_SECRET_ACCESS_KEY (and AWS_ACCESS_KEY_ID, AWS_SESSION_TOKEN when set: the id and
    /// token the URL must carry), at --at (default now), for --region (default: the URL's).
    /// stdout: one line, `valid until T` (exit 0) or `rejected: CODE: REASON` (exit 1).
    Verify {
        /// The presigned URL, as the client requests it.
        url: String,
        /// The method the client sends.
        #[arg(long, value_name = "METHOD")]
        method: String,
        /// A header the client sends, 'Name: value' (repeat for several).
        #[arg(long = "header", short = 'H', value_name = "NAME: VALUE", value_parser = parse_header)]
        headers: Vec<(String, String)>,
    },
}

/// What the body must be: each option becomes a signed header the client must send.
#[derive(Args)]
struct BodyArgs {
    /// The body's exact size in bytes; another size gets 403.
    #[arg(long, value_name = "BYTES")]
    content_length: Option<u64>,
    /// The body's MD5, base64 (as `openssl md5 -binary | base64` prints it).
    #[arg(long, value_name = "B64")]
    content_md5: Option<String>,
    /// The body's CRC-32, base64.
    #[arg(long, value_name = "B64", group = "checksum")]
    checksum_crc32: Option<String>,
    /// The body's CRC-32C, base64.
    #[arg(long, value_name = "B64", group = "checksum")]
    checksum_crc32c: Option<String>,
    /// The body's CRC-64/NVME, base64.
    #[arg(long, value_name = "B64", group = "checksum")]
    checksum_crc64nvme: Option<String>,
    /// The body's SHA-1, base64.
    #[arg(long, value_name = "B64", group = "checksum")]
    checksum_sha1: Option<String>,
    /// The body's SHA-256, base64 (`openssl sha256 -binary | base64`).
    #[arg(long, value_name = "B64", group = "checksum")]
    checksum_sha256: Option<String>,
}

impl BodyArgs {
    /// The bindings the options ask for (a bad digest is the library's refusal, exit 1).
    fn bindings(&self) -> Result<UploadBindings, Failure> {
        let mut bound = UploadBindings::new();
        if let Some(len) = self.content_length {
            bound = bound.content_length(len);
        }
        if let Some(md5) = &self.content_md5 {
            bound = bound.content_md5_base64(md5)?;
        }
        let checksums = [
            (ChecksumAlgorithm::Crc32, &self.checksum_crc32),
            (ChecksumAlgorithm::Crc32c, &self.checksum_crc32c),
            (ChecksumAlgorithm::Crc64Nvme, &self.checksum_crc64nvme),
            (ChecksumAlgorithm::Sha1, &self.checksum_sha1),
            (ChecksumAlgorithm::Sha256, &self.checksum_sha256),
        ];
        for (algorithm, text) in checksums {
            if let Some(text) = text {
                bound = bound.checksum(Checksum::from_base64(algorithm, text)?);
            }
        }
        Ok(bound)
    }
}

fn parse_if_none_match(s: &str) -> Result<(), String> {
    if s == "*" {
        Ok(())
    } else {
        Err(format!(
            "`{s}`: only `*` (create only) is supported; S3 takes no ETag list here"
        ))
    }
}

/// `NUMBER:ETAG`; the ETag as the part's PUT answered it (quotes included or not).
fn parse_part(s: &str) -> Result<(u16, String), String> {
    let (number, etag) = s
        .split_once(':')
        .ok_or_else(|| format!("`{s}` is not NUMBER:ETAG"))?;
    let number = number
        .parse::<u16>()
        .map_err(|_| format!("`{number}` is not a part number (1..=10000)"))?;
    Ok((number, etag.to_owned()))
}

fn upload_id(id: &str) -> Result<UploadId<'_>, Failure> {
    Ok(UploadId::new(id)?)
}

/// Where the request goes. Default: AWS S3 in the region.
#[derive(Args)]
struct EndpointArgs {
    /// Cloudflare R2 (https://ACCOUNT_ID.r2.cloudflarestorage.com), region `auto`.
    #[arg(
        long,
        global = true,
        value_name = "ACCOUNT_ID",
        conflicts_with = "endpoint"
    )]
    r2: Option<String>,
    /// Any S3-compatible endpoint, e.g. http://127.0.0.1:9000.
    #[arg(long, global = true, value_name = "URL")]
    endpoint: Option<String>,
    /// Signing region. AWS S3: default $AWS_REGION, else us-east-1. --endpoint: default
    /// us-east-1 (like AWS; pass `--region auto` for stores that expect it). --r2: only
    /// `auto` is accepted.
    #[arg(long, global = true, value_name = "REGION")]
    region: Option<String>,
    /// https://HOST/BUCKET/KEY (default for R2 and --endpoint).
    #[arg(long, global = true, conflicts_with = "virtual_hosted")]
    path_style: bool,
    /// https://BUCKET.HOST/KEY (default for AWS S3).
    #[arg(long, global = true)]
    virtual_hosted: bool,
}

/// When and for how long.
#[derive(Args)]
struct SigningArgs {
    /// Lifetime in seconds, 1..=604800; default 1800 for put, 3600 otherwise.
    #[arg(long, global = true, value_name = "SECONDS")]
    expires_in: Option<u64>,
    /// Signing time, RFC 3339, e.g. 2013-05-24T00:00:00Z (default: now).
    #[arg(long, global = true, value_name = "RFC3339", value_parser = parse_at)]
    at: Option<OffsetDateTime>,
}

/// `s3://BUCKET/KEY`, split.
#[derive(Clone)]
struct Location {
    bucket: String,
    key: String,
}

/// Splits `s3://BUCKET/KEY`. The key is taken literally (no percent-decoding) and may contain
/// further slashes.
fn parse_location(url: &str) -> Result<Location, String> {
    let rest = url
        .strip_prefix("s3://")
        .ok_or_else(|| format!("expected an object location like s3://BUCKET/KEY, got `{url}`"))?;
    let (bucket, key) = rest
        .split_once('/')
        .ok_or_else(|| format!("`{url}` names no object key: expected s3://BUCKET/KEY"))?;
    if bucket.is_empty() {
        return Err(format!(
            "`{url}` has an empty bucket name: expected s3://BUCKET/KEY"
        ));
    }
    if key.is_empty() {
        return Err(format!(
            "`{url}` has an empty object key: expected s3://BUCKET/KEY"
        ));
    }
    Ok(Location {
        bucket: bucket.to_owned(),
        key: key.to_owned(),
    })
}

fn parse_at(s: &str) -> Result<OffsetDateTime, String> {
    OffsetDateTime::parse(s, &Rfc3339)
        .map(|t| t.to_offset(time::UtcOffset::UTC))
        .map_err(|e| format!("`{s}` is not an RFC 3339 time like 2013-05-24T00:00:00Z: {e}"))
}

/// Why the program did not print a URL (usage errors exit through clap, with code 2).
enum Failure {
    /// The library refused an input: exit 1.
    Library(presign::Error),
    /// Writing the output failed: exit 1.
    Io(String),
    /// A multipart body or plan was refused: exit 1.
    Body(String),
}

impl From<presign::Error> for Failure {
    fn from(err: presign::Error) -> Self {
        Failure::Library(err)
    }
}

/// Exits with a usage error (code 2), as clap does for the errors it finds itself.
fn usage_error(message: impl std::fmt::Display) -> ! {
    Cli::command()
        .error(clap::error::ErrorKind::ArgumentConflict, message)
        .exit()
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Some(code) = inspect_or_verify(&cli) {
        return code;
    }
    match run(&cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Library(err)) => {
            eprintln!("presign: error: {err}");
            ExitCode::from(1)
        }
        Err(Failure::Io(msg) | Failure::Body(msg)) => {
            eprintln!("presign: error: {msg}");
            ExitCode::from(1)
        }
    }
}

/// An environment variable, treating unset, empty and non-UTF-8 distinctly.
fn env_var(name: &str) -> Option<String> {
    match env::var(name) {
        Ok(v) if v.is_empty() => None,
        Ok(v) => Some(v),
        Err(env::VarError::NotPresent) => None,
        Err(env::VarError::NotUnicode(_)) => usage_error(format_args!(
            "environment variable {name} is not valid UTF-8"
        )),
    }
}

/// Reads credentials from the environment. Returns them and whether they are the
/// documentation examples.
fn credentials_from_env() -> Result<(Credentials, bool), Failure> {
    let token = env_var("AWS_SESSION_TOKEN");
    let creds = match (
        env_var("AWS_ACCESS_KEY_ID"),
        env_var("AWS_SECRET_ACCESS_KEY"),
    ) {
        (Some(id), Some(secret)) => Credentials::new(&id, &secret)?,
        (None, None) if token.is_some() => usage_error(
            "AWS_SESSION_TOKEN is set but AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are \
             not: set all three (temporary credentials) or unset the token",
        ),
        (None, None) => {
            let creds = Credentials::new(EXAMPLE_ACCESS_KEY_ID, EXAMPLE_SECRET_ACCESS_KEY)?;
            return Ok((creds, true));
        }
        (Some(_), None) => {
            usage_error("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not: set both")
        }
        (None, Some(_)) => {
            usage_error("AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not: set both")
        }
    };
    let creds = match token {
        Some(token) => creds.with_session_token(&token)?,
        None => creds,
    };
    Ok((creds, false))
}

/// The endpoint the options name.
fn endpoint_from(args: &EndpointArgs) -> Result<Endpoint, Failure> {
    let endpoint = if let Some(account) = &args.r2 {
        if let Some(region) = args.region.as_deref().filter(|r| *r != "auto") {
            usage_error(format_args!(
                "R2 signs with region `auto`; drop `--region {region}` (or pass --region auto)"
            ));
        }
        Endpoint::r2(account)?
    } else if let Some(url) = &args.endpoint {
        Endpoint::custom(url, args.region.as_deref().unwrap_or(DEFAULT_REGION))?
    } else {
        let region = args
            .region
            .clone()
            .or_else(|| env_var("AWS_REGION"))
            .unwrap_or_else(|| DEFAULT_REGION.to_owned());
        Endpoint::aws_s3(&region)?
    };
    Ok(if args.path_style {
        endpoint.with_addressing(AddressingStyle::Path)
    } else if args.virtual_hosted {
        endpoint.with_addressing(AddressingStyle::VirtualHosted)
    } else {
        endpoint
    })
}

/// Signs what `command` asks for.
fn presign(
    presigner: &Presigner,
    command: &Command,
    signing: &SigningArgs,
) -> Result<PresignedRequest, Failure> {
    let now = signing.at.unwrap_or_else(OffsetDateTime::now_utc);
    let secs = signing.expires_in;
    let get_ttl = || secs.map_or(Ok(GetTtl::DEFAULT), GetTtl::from_secs);
    Ok(match command {
        Command::Put {
            location,
            content_type,
            body,
            if_none_match,
        } => {
            let ttl = secs.map_or(Ok(PutTtl::DEFAULT), PutTtl::from_secs)?;
            let content_type = ContentType::new(content_type)?;
            let mut bound = body.bindings()?;
            if if_none_match.is_some() {
                bound = bound.if_none_match_any();
            }
            let request = ObjectRequest::put(&location.bucket, &location.key, &content_type, ttl);
            presigner.presign(&request.with_bindings(&bound), now)?
        }
        Command::CreateMultipart {
            location,
            content_type,
        } => {
            let ttl = secs.map_or(Ok(Ttl::DEFAULT), Ttl::from_secs)?;
            let content_type = ContentType::new(content_type)?;
            presigner.create_multipart_upload(
                &location.bucket,
                &location.key,
                &content_type,
                ttl,
                now,
            )?
        }
        Command::Get {
            location,
            response_content_disposition,
            response_content_type,
        } => {
            let mut overrides = ResponseOverrides::new();
            if let Some(v) = response_content_disposition {
                overrides = overrides.content_disposition(v);
            }
            if let Some(v) = response_content_type {
                overrides = overrides.content_type(v);
            }
            let request = ObjectRequest::get(&location.bucket, &location.key, get_ttl()?);
            if overrides.is_empty() {
                presigner.presign(&request, now)?
            } else {
                presigner.presign(&request.with_response_overrides(&overrides), now)?
            }
        }
        Command::Head { location } => {
            presigner.head_object(&location.bucket, &location.key, get_ttl()?, now)?
        }
        Command::Delete { location } => {
            let ttl = secs.map_or(Ok(Ttl::DEFAULT), Ttl::from_secs)?;
            presigner.delete_object(&location.bucket, &location.key, ttl, now)?
        }
        other => presign_multipart(presigner, other, now, secs)?,
    })
}

/// Signs one of the steps of an upload already under way (they name its upload id).
fn presign_multipart(
    presigner: &Presigner,
    command: &Command,
    now: OffsetDateTime,
    secs: Option<u64>,
) -> Result<PresignedRequest, Failure> {
    let get_ttl = || secs.map_or(Ok(GetTtl::DEFAULT), GetTtl::from_secs);
    Ok(match command {
        Command::UploadPart {
            location,
            upload_id: id,
            part_number,
            body,
        } => {
            let ttl = secs.map_or(Ok(PutTtl::DEFAULT), PutTtl::from_secs)?;
            let upload =
                presigner.multipart_upload(&location.bucket, &location.key, upload_id(id)?)?;
            upload.bound_part(PartNumber::new(*part_number)?, &body.bindings()?, ttl, now)?
        }
        Command::CompleteMultipart {
            location,
            upload_id: id,
            parts,
            body_file,
            if_none_match,
        } => {
            write_complete_body(parts, body_file)?;
            let ttl = secs.map_or(Ok(Ttl::DEFAULT), Ttl::from_secs)?;
            let bound = if if_none_match.is_some() {
                UploadBindings::new().if_none_match_any()
            } else {
                UploadBindings::new()
            };
            presigner
                .multipart_upload(&location.bucket, &location.key, upload_id(id)?)?
                .complete(Some(&bound), ttl, now)?
        }
        Command::PlanParts { .. } => unreachable!("plan-parts signs nothing; run() handles it"),
        Command::AbortMultipart {
            location,
            upload_id: id,
        } => {
            let ttl = secs.map_or(Ok(Ttl::DEFAULT), Ttl::from_secs)?;
            presigner
                .multipart_upload(&location.bucket, &location.key, upload_id(id)?)?
                .abort(ttl, now)?
        }
        Command::ListParts {
            location,
            upload_id: id,
            max_parts,
            part_number_marker,
        } => {
            let marker = part_number_marker.map(PartNumber::new).transpose()?;
            let page = PartsPage::new(*max_parts, marker)?;
            presigner
                .multipart_upload(&location.bucket, &location.key, upload_id(id)?)?
                .list_parts(page, get_ttl()?, now)?
        }
        _ => unreachable!("presign() handles the other commands"),
    })
}

/// Writes the CompleteMultipartUpload body for `parts` (sorted here) to `path`.
fn write_complete_body(parts: &[(u16, String)], path: &std::path::Path) -> Result<(), Failure> {
    let mut sorted: Vec<&(u16, String)> = parts.iter().collect();
    sorted.sort_by_key(|(number, _)| *number);
    let completed: Vec<CompletedPart<'_>> = sorted
        .iter()
        .map(|(number, etag)| CompletedPart::new(*number, etag))
        .collect();
    let mut body = String::new();
    write_complete_multipart_upload(&completed, &mut body)
        .map_err(|e| Failure::Body(e.to_string()))?;
    std::fs::write(path, body)
        .map_err(|e| Failure::Io(format!("cannot write {}: {e}", path.display())))
}

/// Prints the part plan, one `NUMBER FIRST_BYTE LAST_BYTE` line per part.
fn plan_parts(size: u64, store: &str, part_size: Option<u64>) -> Result<(), Failure> {
    let store = if store == "r2" { Store::R2 } else { Store::S3 };
    let plan = match part_size {
        Some(preferred) => PartPlan::with_part_size(size, store, preferred),
        None => PartPlan::new(size, store),
    }
    .map_err(|e| Failure::Body(e.to_string()))?;
    let mut out = io::BufWriter::new(io::stdout().lock());
    let written: io::Result<()> = plan.parts().try_for_each(|part| {
        writeln!(
            out,
            "{} {} {}",
            part.number(),
            part.first_byte(),
            part.last_byte()
        )
    });
    written
        .and_then(|()| out.flush())
        .map_err(|e| Failure::Io(format!("cannot write the plan: {e}")))?;
    eprintln!(
        "plan: {} parts of {} bytes (last {} bytes) for {size} bytes on {store}",
        plan.part_count(),
        plan.part_size(),
        plan.last_part_size()
    );
    Ok(())
}

fn run(cli: &Cli) -> Result<(), Failure> {
    if let Command::PlanParts {
        size,
        store,
        part_size,
    } = &cli.command
    {
        return plan_parts(*size, store, *part_size);
    }
    let (credentials, example_credentials) = credentials_from_env()?;
    let presigner = Presigner::new(endpoint_from(&cli.endpoint)?, credentials);
    let request = presign(&presigner, &cli.command, &cli.signing)?;
    if example_credentials {
        eprintln!(
            "presign: note: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY are not set; signing with \
             the AWS documentation example credentials ({EXAMPLE_ACCESS_KEY_ID}). The URL is \
             well-formed but no real bucket will accept it."
        );
    }
    let post_body = match &cli.command {
        Command::CompleteMultipart { body_file, .. } => Some(body_file.as_path()),
        _ => None,
    };
    report(&request, post_body)
}

/// Quotes `s` for a POSIX shell.
fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// A `curl` command line that sends the request the URL is signed for.
fn curl_line(request: &PresignedRequest, post_body: Option<&std::path::Path>) -> String {
    let method = request.method().as_str();
    let mut curl = vec!["curl".to_owned()];
    match method {
        "GET" => {}
        "HEAD" => curl.push("--head".to_owned()),
        other => curl.extend(["-X".to_owned(), other.to_owned()]),
    }
    for (name, value) in request.headers() {
        curl.extend(["-H".to_owned(), shell_quote(&format!("{name}: {value}"))]);
    }
    match method {
        "PUT" => curl.extend(["--upload-file".to_owned(), "FILE".to_owned()]),
        "GET" => curl.extend(["--output".to_owned(), "FILE".to_owned()]),
        // curl would label the body application/x-www-form-urlencoded; it is not signed,
        // but say what it is.
        "POST" => {
            if let Some(path) = post_body {
                curl.extend([
                    "-H".to_owned(),
                    shell_quote("content-type: application/xml"),
                    "--data-binary".to_owned(),
                    shell_quote(&format!("@{}", path.display())),
                ]);
            }
        }
        _ => {}
    }
    curl.push(shell_quote(request.url()));
    curl.join(" ")
}

/// Prints the URL to stdout and the rest to stderr.
fn report(request: &PresignedRequest, post_body: Option<&std::path::Path>) -> Result<(), Failure> {
    let expires = request
        .expires_at()
        .format(&Rfc3339)
        .map_err(|e| Failure::Io(format!("cannot format the expiry time: {e}")))?;
    let mut lines = vec![format!("method: {}", request.method())];
    lines.extend(
        request
            .headers()
            .map(|(name, value)| format!("header: {name}: {value}")),
    );
    lines.push(format!("expires: {expires}"));
    // On a line of its own, so it can be pasted as is.
    lines.push(curl_line(request, post_body));
    let mut err = lines.join("\n");
    err.push('\n');

    // The URL first, alone: stdout is the machine-readable part.
    let mut stdout = io::stdout().lock();
    writeln!(stdout, "{}", request.url())
        .and_then(|()| stdout.flush())
        .map_err(|e| Failure::Io(format!("cannot write the URL to stdout: {e}")))?;
    // stderr is best effort: the URL has been delivered.
    let _ = io::stderr().lock().write_all(err.as_bytes());
    Ok(())
}

// ---------------------------------------------------------------------------------------
// The receiving side: inspect and verify
// ---------------------------------------------------------------------------------------

/// `Name: value`, split at the first `:` (the value trimmed, as HTTP does).
fn parse_header(s: &str) -> Result<(String, String), String> {
    let (name, value) = s
        .split_once(':')
        .ok_or_else(|| format!("`{s}` is not a header: write it 'Name: value'"))?;
    if name.is_empty() || name.contains(char::is_whitespace) {
        return Err(format!(
            "`{s}` has no header name before `:`: write it 'Name: value'"
        ));
    }
    Ok((name.to_owned(), value.trim().to_owned()))
}

/// Runs `inspect` or `verify`, which sign nothing; `None` for the other commands.
fn inspect_or_verify(cli: &Cli) -> Option<ExitCode> {
    let now = cli.signing.at.unwrap_or_else(OffsetDateTime::now_utc);
    let code = match &cli.command {
        Command::Inspect { url } => inspect(url, now),
        Command::Verify {
            url,
            method,
            headers,
        } => verify(url, method, headers, cli.endpoint.region.as_deref(), now),
        _ => return None,
    };
    Some(code)
}

/// An instant as RFC 3339, for output.
fn rfc3339(t: OffsetDateTime) -> String {
    t.format(&Rfc3339)
        .unwrap_or_else(|_| format!("{}", t.unix_timestamp()))
}

/// Writes `line` and a newline to stdout; a failed write is exit 1.
fn print_line(line: &str) -> Result<(), ExitCode> {
    let mut stdout = io::stdout().lock();
    writeln!(stdout, "{line}")
        .and_then(|()| stdout.flush())
        .map_err(|e| {
            eprintln!("presign: error: cannot write to stdout: {e}");
            ExitCode::from(1)
        })
}

fn inspect(text: &str, now: OffsetDateTime) -> ExitCode {
    let url = match presign::PresignedUrl::parse(text) {
        Ok(url) => url,
        Err(err) => {
            eprintln!("presign: error: {err}");
            return ExitCode::from(1);
        }
    };
    let status = match url.remaining(now) {
        Some(left) => format!(
            "valid until {} ({} s left)",
            rfc3339(url.expires_at()),
            left.whole_seconds()
        ),
        None => format!("expired at {}", rfc3339(url.expires_at())),
    };
    if let Err(code) = print_line(&status) {
        return code;
    }
    let headers: Vec<String> = url.signed_headers().map(|h| h.to_string()).collect();
    let remaining = url.remaining(now).map_or_else(
        || "expired".to_owned(),
        |left| format!("{} s", left.whole_seconds()),
    );
    let details = [
        format!("access key id: {}", url.access_key_id()),
        format!(
            "scope: {}/{}/{}/aws4_request",
            url.scope_date()
                .format(&time::macros::format_description!("[year][month][day]"))
                .unwrap_or_default(),
            url.region(),
            url.service()
        ),
        format!("signed at: {}", rfc3339(url.signed_at())),
        format!("lifetime: {} s", url.lifetime_secs()),
        format!("expires: {}", rfc3339(url.expires_at())),
        format!("remaining: {remaining}"),
        format!(
            "signed headers (the client must send them): {}",
            headers.join(", ")
        ),
        format!(
            "session token: {}",
            if url.has_session_token() {
                "present"
            } else {
                "none"
            }
        ),
    ];
    // stderr is best effort: the status line has been delivered.
    let _ = writeln!(io::stderr().lock(), "{}", details.join("\n"));
    ExitCode::SUCCESS
}

/// The key `verify` checks with: the secret, and the id and token the URL must carry when
/// they are given (without a token, the URL's, if any, is taken as it is: it is still part
/// of what is signed).
struct CliKey {
    id: Option<String>,
    secret: String,
    token: Option<String>,
}

impl presign::SecretStore for CliKey {
    fn secret<'s>(
        &'s self,
        access_key_id: &str,
        session_token: Option<presign::Encoded<'_>>,
        _now: OffsetDateTime,
    ) -> Result<&'s str, presign::KeyRefusal> {
        if self.id.as_deref().is_some_and(|id| id != access_key_id) {
            return Err(presign::KeyRefusal::UnknownAccessKeyId);
        }
        match (&self.token, session_token) {
            (Some(_), None) => Err(presign::KeyRefusal::UnknownAccessKeyId),
            (Some(expected), Some(token)) if !token.eq_decoded(expected) => {
                Err(presign::KeyRefusal::InvalidToken)
            }
            _ => Ok(&self.secret),
        }
    }
}

/// The `Host` header and the request target a client sends for `url` (`/` for an empty
/// path; the fragment is never sent).
fn host_and_target(url: &str) -> (&str, String) {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let rest = rest.split_once('#').map_or(rest, |(before, _)| before);
    let at = rest.find(['/', '?']).unwrap_or(rest.len());
    let (host, target) = rest.split_at(at);
    let target = if target.starts_with('/') {
        target.to_owned()
    } else {
        format!("/{target}")
    };
    (host, target)
}

fn verify(
    url: &str,
    method: &str,
    headers: &[(String, String)],
    region: Option<&str>,
    now: OffsetDateTime,
) -> ExitCode {
    let Some(secret) = env_var("AWS_SECRET_ACCESS_KEY") else {
        usage_error("verify needs the secret: set AWS_SECRET_ACCESS_KEY (and AWS_ACCESS_KEY_ID)")
    };
    let key = CliKey {
        id: env_var("AWS_ACCESS_KEY_ID"),
        secret,
        token: env_var("AWS_SESSION_TOKEN"),
    };
    let read = presign::PresignedUrl::parse(url).ok();
    let url_region = read.map(|u| u.region().to_string());
    let region = match (region, &url_region) {
        (Some(region), _) => region.to_owned(),
        (None, Some(from_url)) => {
            eprintln!("presign: note: no --region: the URL's own region `{from_url}` is accepted");
            from_url.clone()
        }
        (None, None) => DEFAULT_REGION.to_owned(),
    };
    let regions = [region.as_str()];
    let policy = match presign::Policy::new(&regions) {
        Ok(policy) => policy,
        Err(_) if url_region.as_deref() == Some(region.as_str()) => {
            // Not a region a scope can name: checked against the default, and refused.
            presign::Policy::new(&[DEFAULT_REGION]).expect("a valid region")
        }
        Err(err) => usage_error(format_args!("--region {region}: {err}")),
    };
    let checker = presign::Verifier::new(policy, key);
    let (host, target) = host_and_target(url);
    let headers: Vec<(&str, &str)> = headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let request = presign::ReceivedRequest {
        method,
        target: &target,
        host,
        headers: &headers,
    };
    match checker.verify(&request, now) {
        Ok(verified) => {
            if let Err(code) =
                print_line(&format!("valid until {}", rfc3339(verified.expires_at())))
            {
                return code;
            }
            let left = verified
                .remaining(now)
                .map_or(0, time::Duration::whole_seconds);
            let _ = writeln!(
                io::stderr().lock(),
                "access key id: {}\nscope: {}/{}/{}/aws4_request\nsigned at: {}\nremaining: {left} s",
                verified.access_key_id(),
                verified
                    .scope_date()
                    .format(&time::macros::format_description!("[year][month][day]"))
                    .unwrap_or_default(),
                verified.region(),
                verified.service(),
                rfc3339(verified.signed_at())
            );
            ExitCode::SUCCESS
        }
        Err(rejection) => {
            if let Err(code) = print_line(&format!("rejected: {}: {rejection}", rejection.code())) {
                return code;
            }
            let mut details = vec![format!(
                "S3 answers {} {}: {}",
                rejection.http_status(),
                rejection.code(),
                rejection.s3_message()
            )];
            if let (Some(canonical), Some(sts)) =
                (rejection.canonical_request(), rejection.string_to_sign())
            {
                details.push(format!("canonical request:\n{canonical}"));
                details.push(format!("string to sign:\n{sts}"));
            }
            let details = details.join("\n");
            let _ = writeln!(io::stderr().lock(), "{details}");
            ExitCode::from(1)
        }
    }
}
