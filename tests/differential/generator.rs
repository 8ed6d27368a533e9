//! The inputs: a seeded generator of presign calls ([`Case`]) and of lower-level `sigv4`
//! requests ([`GenericCase`]), both in plain data so that every signer can be fed from them,
//! and what the contract says a case must give (its TTL after clamping, its signed headers
//! and query parameters).

use presign::{AddressingStyle, Endpoint, Error, Jurisdiction, Method};
use time::{OffsetDateTime, UtcOffset};

pub(crate) use crate::common::rng::Rng;
use crate::common::rng::{BASE64, HEX, LOWER_ALNUM, UPPER_ALNUM, VISIBLE};
use crate::{CASES, SEED};

/// Inputs of one presign call, in plain data, so each signer can be fed from it.
#[derive(Clone, Debug)]
pub(crate) struct Case {
    pub(crate) id: usize,
    /// Cases of one group share one `Presigner` (and so its signing-key cache).
    pub(crate) group: usize,
    pub(crate) method: Method,
    pub(crate) endpoint: EndpointSpec,
    pub(crate) virtual_hosted: bool,
    pub(crate) bucket: String,
    pub(crate) key: String,
    pub(crate) content_type: Option<String>,
    pub(crate) access_key: String,
    pub(crate) secret: String,
    pub(crate) token: Option<String>,
    /// When the (temporary) credentials expire; URLs are clamped to it.
    pub(crate) cred_expiry: Option<OffsetDateTime>,
    /// The signing instant (UTC).
    pub(crate) time: OffsetDateTime,
    /// The UTC offset, in minutes, of the time as handed to presign (same instant).
    pub(crate) offset_minutes: i16,
    pub(crate) ttl: u32,
    /// `ResponseOverrides` setter name and value (GET only).
    pub(crate) overrides: Vec<(Override, String)>,
    /// Extra signed query parameters (decoded).
    pub(crate) query: Vec<(String, String)>,
    /// Extra signed headers (lowercase names).
    pub(crate) headers: Vec<(String, String)>,
}

impl Case {
    /// The signing time as handed to presign: the case's instant, in its UTC offset.
    pub(crate) fn local_time(&self) -> OffsetDateTime {
        UtcOffset::from_whole_seconds(i32::from(self.offset_minutes) * 60)
            .ok()
            .and_then(|offset| self.time.checked_to_offset(offset))
            .unwrap_or(self.time)
    }

    /// `X-Amz-Expires` as the contract specifies it: the TTL, clamped to the credentials'
    /// expiry (counted in whole seconds from the signing time, which `X-Amz-Date` truncates
    /// to the second); `CredentialsExpired` when nothing is left.
    pub(crate) fn effective_ttl(&self) -> Result<u32, Error> {
        let Some(expiry) = self.cred_expiry else {
            return Ok(self.ttl);
        };
        let signed_at = self.time.replace_nanosecond(0).expect("valid");
        let left = (expiry - signed_at).whole_seconds();
        if left < 1 {
            return Err(Error::CredentialsExpired);
        }
        Ok(self.ttl.min(u32::try_from(left).unwrap_or(u32::MAX)))
    }

    /// The headers signed besides `host`: the extra ones, then the content type.
    pub(crate) fn signed_headers(&self) -> Vec<(&str, &str)> {
        let mut headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        if let Some(ct) = &self.content_type {
            headers.push(("content-type", ct));
        }
        headers
    }

    /// The query parameters signed besides the `X-Amz-*` ones (decoded): the response
    /// overrides, then the extra ones.
    pub(crate) fn signed_query(&self) -> Vec<(&str, &str)> {
        self.overrides
            .iter()
            .map(|(o, v)| (o.param(), v.as_str()))
            .chain(self.query.iter().map(|(n, v)| (n.as_str(), v.as_str())))
            .collect()
    }
}

#[derive(Clone, Copy, Debug)]
pub(crate) enum Override {
    CacheControl,
    ContentDisposition,
    ContentEncoding,
    ContentLanguage,
    ContentType,
    Expires,
}

impl Override {
    const ALL: [Self; 6] = [
        Self::CacheControl,
        Self::ContentDisposition,
        Self::ContentEncoding,
        Self::ContentLanguage,
        Self::ContentType,
        Self::Expires,
    ];

    /// The S3 query parameter, as the S3 API reference names it.
    pub(crate) fn param(self) -> &'static str {
        match self {
            Self::CacheControl => "response-cache-control",
            Self::ContentDisposition => "response-content-disposition",
            Self::ContentEncoding => "response-content-encoding",
            Self::ContentLanguage => "response-content-language",
            Self::ContentType => "response-content-type",
            Self::Expires => "response-expires",
        }
    }
}

#[derive(Clone, Debug)]
pub(crate) enum EndpointSpec {
    R2 {
        account: String,
        jurisdiction: Jurisdiction,
    },
    Aws {
        region: String,
    },
    Custom {
        url: String,
        region: String,
    },
}

impl EndpointSpec {
    /// The endpoint base URL as the contract documents it (no trailing slash).
    pub(crate) fn base_url(&self) -> String {
        match self {
            Self::R2 {
                account,
                jurisdiction,
            } => match jurisdiction {
                Jurisdiction::Eu => format!("https://{account}.eu.r2.cloudflarestorage.com"),
                Jurisdiction::Fedramp => {
                    format!("https://{account}.fedramp.r2.cloudflarestorage.com")
                }
                Jurisdiction::Default => format!("https://{account}.r2.cloudflarestorage.com"),
            },
            // The China partition has its own domain.
            Self::Aws { region } if region.starts_with("cn-") => {
                format!("https://s3.{region}.amazonaws.com.cn")
            }
            Self::Aws { region } => format!("https://s3.{region}.amazonaws.com"),
            Self::Custom { url, .. } => url.trim_end_matches('/').to_owned(),
        }
    }

    pub(crate) fn region(&self) -> &str {
        match self {
            Self::R2 { .. } => "auto",
            Self::Aws { region } | Self::Custom { region, .. } => region,
        }
    }

    pub(crate) fn build(&self, virtual_hosted: bool) -> Result<Endpoint, Error> {
        let endpoint = match self {
            Self::R2 {
                account,
                jurisdiction,
            } => Endpoint::r2_in(account, *jurisdiction)?,
            Self::Aws { region } => Endpoint::aws_s3(region)?,
            Self::Custom { url, region } => Endpoint::custom(url, region)?,
        };
        Ok(endpoint.with_addressing(if virtual_hosted {
            AddressingStyle::VirtualHosted
        } else {
            AddressingStyle::Path
        }))
    }
}

// ---------------------------------------------------------------------------------------------
// Deterministic generator
// ---------------------------------------------------------------------------------------------

const VISIBLE_NO_SLASH: &[u8] = b"!\"#$%&'()*+,-.0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~";

/// Pieces object keys are made of: unreserved, reserved and unicode characters, runs of
/// slashes, things that look like percent-escapes, and dots that never form a whole segment.
const KEY_PIECES: &[&str] = &[
    "a",
    "b",
    "Z",
    "q",
    "0",
    "7",
    "file",
    "photos",
    "2024",
    "-",
    "_",
    "~",
    ".",
    "..",
    "...",
    ".hidden",
    "a.b",
    " ",
    "  ",
    "+",
    "=",
    "&",
    "%",
    "%20",
    "%2F",
    "%%",
    "!",
    "*",
    "'",
    "(",
    ")",
    "/",
    "/",
    "/",
    "//",
    "///",
    ",",
    ";",
    ":",
    "@",
    "$",
    "#",
    "?",
    "[",
    "]",
    "\"",
    "<",
    ">",
    "\\",
    "^",
    "`",
    "{",
    "}",
    "|",
    "é",
    "ü",
    "ß",
    "Ω",
    "日本語",
    "한국어",
    "🚀",
    "👩‍💻",
    "\u{a0}",
    "e\u{301}",
    "\u{2028}",
    "\u{feff}",
    "\u{10ffff}",
    "ｆｕｌｌ",
    "x-amz-date",
    "X-Amz-Signature=",
    "?a=b&c=d",
    "#frag",
    "\t",
    "\n",
    "\r\n",
    "\u{0}",
    "\u{1f}",
    "\u{7f}",
    "\u{85}",
];

const REGIONS: &[&str] = &[
    "us-east-1",
    "us-east-2",
    "us-west-2",
    "eu-west-1",
    "eu-central-1",
    "eu-south-2",
    "ap-southeast-2",
    "ap-northeast-1",
    "sa-east-1",
    "ca-central-1",
    "me-central-1",
    "af-south-1",
    "cn-north-1",
    "us-gov-west-1",
];

const CUSTOM_ENDPOINTS: &[&str] = &[
    "http://127.0.0.1:9000",
    "http://localhost:9000",
    "https://minio.example.com:8443",
    "https://minio.example.com:8443/base/path",
    "http://10.1.2.3:3900",
    "https://storage.example.org",
    "https://s3.eu-central-003.backblazeb2.com",
    "https://fsn1.your-objectstorage.com",
    "http://[::1]:9000",
    "https://objects.example.net:65535/a/b/c",
    "http://seaweed:8333/",
    // Default ports: left out of the signed host (and of presign's URL).
    "https://minio.example.com:443",
    "http://localhost:80/s3",
];

const CUSTOM_REGIONS: &[&str] = &[
    "us-east-1",
    "auto",
    "garage",
    "eu-central-003",
    "fsn1",
    "local-1",
];

const CONTENT_TYPES: &[&str] = &[
    "application/octet-stream",
    "text/plain",
    "text/plain; charset=utf-8",
    "text/html;charset=UTF-8",
    "image/png",
    "image/svg+xml",
    "video/mp4",
    "application/json",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW",
    "application/x-www-form-urlencoded",
    "audio/mpeg",
    "application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\"",
    "font/woff2",
    "model/gltf-binary",
    // Optional whitespace around ';' and runs of spaces: signed collapsed, sent as written.
    "text/plain ; charset=utf-8",
    "text/plain;  charset=utf-8",
    "application/x-custom; name=\"a  b\"; q=1",
    "text/plain;charset=\"UTF-8\"",
    "APPLICATION/JSON",
];

const QUERY_NAMES: &[&str] = &[
    "x-id",
    "versionId",
    "partNumber",
    "uploadId",
    "tagging",
    "acl",
    "attributes",
    "my param",
    "ünï",
    "a+b",
    "a=b",
    "Z",
];

const HEADER_NAMES: &[&str] = &[
    "x-amz-meta-author",
    "x-amz-acl",
    "cache-control",
    "x-amz-server-side-encryption",
    "if-match",
    "x-amz-meta-a_b",
    "x-amz-tagging",
    "content-disposition",
    "x-amz-storage-class",
    "X-Amz-Meta-Camel",
    "If-None-Match",
];

/// Printable ASCII for header values: no leading/trailing space, no control characters.
const HEADER_VALUE: &[u8] =
    b"abcXYZ019 !\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~abcdefghijklmnopqrstuvwxyz";

/// Shortens `text` to at most `max` bytes, at a char boundary.
fn cut(text: &mut String, max: usize) {
    if text.len() > max {
        let mut at = max;
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        text.truncate(at);
    }
}

pub(crate) fn gen_key(rng: &mut Rng) -> String {
    let pieces = if rng.chance(4) {
        rng.range(100, 700)
    } else {
        rng.range(1, 14)
    };
    let mut key = String::new();
    for _ in 0..pieces {
        key.push_str(rng.pick::<&str>(KEY_PIECES));
    }
    // Keys are at most 1024 bytes.
    cut(&mut key, 1024);
    // No "." / ".." segment: presign refuses those (checked in their own test).
    let fixed: Vec<String> = key
        .split('/')
        .map(|seg| {
            if seg == "." || seg == ".." {
                format!("{seg}x")
            } else {
                seg.to_owned()
            }
        })
        .collect();
    let mut key = fixed.join("/");
    if key.len() > 1024 {
        cut(&mut key, 1000);
        while key.ends_with('.') || key.ends_with('/') {
            key.pop();
        }
        key.push('z');
    }
    key
}

fn gen_bucket(rng: &mut Rng, allow_dots: bool) -> String {
    loop {
        let len = if rng.chance(5) {
            *rng.pick(&[3_usize, 63])
        } else {
            rng.range(3, 30) as usize
        };
        let mut name = rng.string_from(LOWER_ALNUM, len);
        // Sprinkle hyphens (and dots where allowed) inside, never at the ends or doubled dots.
        let bytes: Vec<char> = name.chars().collect();
        let mut out = String::with_capacity(len);
        for (i, c) in bytes.iter().enumerate() {
            let interior = i > 0 && i + 1 < bytes.len();
            if interior && rng.chance(8) {
                out.push('-');
            } else if interior && allow_dots && rng.chance(6) && !out.ends_with('.') {
                out.push('.');
            } else {
                out.push(*c);
            }
        }
        name = out;
        let reserved = name.starts_with("xn--")
            || name.starts_with("sthree-")
            || name.ends_with("-s3alias")
            || name.ends_with("--ol-s3")
            || name.rsplit('.').next() == Some("mrap")
            || name.ends_with("--x-s3")
            || name.ends_with("--table-s3")
            || name.contains(".-")
            || name.contains("-.")
            || name.contains("..")
            || name.split('.').count() == 4 && name.split('.').all(|p| p.parse::<u8>().is_ok());
        if !reserved {
            return name;
        }
    }
}

fn gen_time(rng: &mut Rng) -> OffsetDateTime {
    // 0000 ..= 9999 is what X-Amz-Date can express; most cases sit in this century.
    let secs: i64 = match rng.below(10) {
        0 => rng.range_i64(YEAR_0, LAST_TIME),
        // Seconds either side of a UTC midnight: the signing key changes with the day.
        1 | 2 => {
            let day = rng.range_i64(10_957, 47_482) * 86_400;
            day + *rng.pick(&[-2_i64, -1, 0, 1])
        }
        _ => rng.range_i64(946_684_800, 4_102_444_799),
    };
    let nanos = if rng.chance(25) {
        rng.range_i64(0, 999_999_999)
    } else {
        0
    };
    OffsetDateTime::from_unix_timestamp(secs).expect("in range")
        + time::Duration::nanoseconds(nanos)
}

fn gen_ttl(rng: &mut Rng) -> u32 {
    if rng.chance(40) {
        *rng.pick(&[
            1_u32, 2, 59, 60, 61, 900, 1800, 3600, 43_200, 86_400, 604_799, 604_800,
        ])
    } else {
        rng.range(1, 604_800) as u32
    }
}

/// A random S3-compatible base URL: http(s), a DNS name of one to four labels, maybe a port
/// (the scheme's default or another), maybe a base path of unreserved segments.
fn gen_endpoint_url(rng: &mut Rng) -> String {
    let scheme = *rng.pick(&["http", "https"]);
    let labels = rng.range(1, 4);
    let mut host = String::new();
    for i in 0..labels {
        if i > 0 {
            host.push('.');
        }
        let len = rng.range(1, 12) as usize;
        let mut label = rng.string_from(LOWER_ALNUM, len);
        if len > 2 && rng.chance(20) {
            label.replace_range(1..2, "-");
        }
        host.push_str(&label);
    }
    // Not all digits in four labels: that would be an IPv4 address.
    host.push_str(".test");
    let port = match rng.below(4) {
        0 => String::new(),
        1 => if scheme == "https" { ":443" } else { ":80" }.to_owned(),
        _ => format!(":{}", rng.range(1, 65_535)),
    };
    let mut path = String::new();
    for _ in 0..rng.below(4) {
        path.push('/');
        let len = rng.range(1, 10) as usize;
        path.push_str(&rng.string_from(b"abcXYZ019-._~", len));
        while path.ends_with("/.") || path.ends_with("/..") {
            path.push('x');
        }
    }
    if rng.chance(20) {
        path.push('/');
    }
    format!("{scheme}://{host}{port}{path}")
}

fn gen_header_value(rng: &mut Rng) -> String {
    let len = rng.range(1, 40) as usize;
    let mut v = rng.string_from(HEADER_VALUE, len);
    // Values are sent trimmed; inner runs of spaces are fine (both sides collapse them).
    v = v.trim_matches(' ').to_owned();
    if v.is_empty() {
        v.push('v');
    }
    v
}

#[allow(clippy::too_many_lines)]
pub(crate) fn gen_case(rng: &mut Rng, id: usize) -> Case {
    let (endpoint, virtual_hosted) = match rng.below(10) {
        0..=3 => {
            let jurisdiction = *rng.pick(&[
                Jurisdiction::Default,
                Jurisdiction::Default,
                Jurisdiction::Eu,
                Jurisdiction::Fedramp,
            ]);
            (
                EndpointSpec::R2 {
                    account: rng.string_from(HEX, 32),
                    jurisdiction,
                },
                rng.chance(20),
            )
        }
        4..=6 => (
            EndpointSpec::Aws {
                region: (*rng.pick(REGIONS)).to_owned(),
            },
            rng.chance(75),
        ),
        _ => {
            let url = if rng.chance(30) {
                gen_endpoint_url(rng)
            } else {
                (*rng.pick(CUSTOM_ENDPOINTS)).to_owned()
            };
            let host_is_ip = url.contains("//127.") || url.contains("//10.") || url.contains('[');
            let bare_host = url.contains("//localhost") || url.contains("//seaweed");
            (
                EndpointSpec::Custom {
                    url,
                    region: if rng.chance(20) {
                        let len = rng.range(1, 64) as usize;
                        rng.string_from(b"abcdefghijklmnopqrstuvwxyz0123456789-", len)
                    } else {
                        (*rng.pick(CUSTOM_REGIONS)).to_owned()
                    },
                },
                !host_is_ip && !bare_host && rng.chance(30),
            )
        }
    };
    let allow_dots = !virtual_hosted && !matches!(endpoint, EndpointSpec::R2 { .. });
    let bucket = gen_bucket(rng, allow_dots);
    let method = *rng.pick(&[
        Method::Get,
        Method::Get,
        Method::Get,
        Method::Put,
        Method::Put,
        Method::Put,
        Method::Head,
        Method::Delete,
        Method::Post,
    ]);
    let content_type = matches!(method, Method::Put).then(|| (*rng.pick(CONTENT_TYPES)).to_owned());
    let (access_key, secret) = if matches!(endpoint, EndpointSpec::R2 { .. }) {
        (rng.string_from(HEX, 32), rng.string_from(HEX, 64))
    } else if rng.chance(10) {
        // Any visible ASCII (no '/' in the access key id, which splits the scope).
        let ak_len = rng.range(1, 128) as usize;
        let sk_len = rng.range(1, 128) as usize;
        (
            rng.string_from(VISIBLE_NO_SLASH, ak_len),
            rng.string_from(VISIBLE, sk_len),
        )
    } else {
        (
            format!("AKIA{}", rng.string_from(UPPER_ALNUM, 16)),
            rng.string_from(BASE64, 40),
        )
    };
    let token = rng.chance(30).then(|| {
        let len = if rng.chance(8) {
            rng.range(4_000, 8_192) as usize
        } else {
            rng.range(16, 900) as usize
        };
        let mut t = rng.string_from(BASE64, len);
        for _ in 0..rng.below(3) {
            t.push('=');
        }
        t
    });
    let mut overrides = Vec::new();
    if matches!(method, Method::Get) && rng.chance(30) {
        for o in Override::ALL {
            if rng.chance(40) {
                let value = match o {
                    Override::ContentDisposition => {
                        format!(
                            "attachment; filename=\"{}\"",
                            gen_key(rng).replace('/', "_")
                        )
                    }
                    Override::ContentType => (*rng.pick(CONTENT_TYPES)).to_owned(),
                    Override::Expires => "Thu, 01 Dec 1994 16:00:00 GMT".to_owned(),
                    // Override values are query parameters: any text goes.
                    _ if rng.chance(50) => gen_key(rng),
                    _ => gen_header_value(rng),
                };
                overrides.push((o, value));
            }
        }
    }
    let mut query: Vec<(String, String)> = Vec::new();
    if rng.chance(15) {
        for _ in 0..rng.range(1, 3) {
            let name = (*rng.pick(QUERY_NAMES)).to_owned();
            // A repeated name now and then (botocore cannot sign those; aws-sigv4 can).
            if query.iter().any(|(n, _)| *n == name) && !rng.chance(30) {
                continue;
            }
            let value = if rng.chance(20) {
                String::new()
            } else {
                gen_key(rng)
            };
            query.push((name, value));
        }
    }
    if rng.chance(2) {
        // More than the 32 parameters the no-allocation core sorts on the stack.
        for i in 0..rng.range(30, 45) {
            query.push((format!("p{i:02}"), gen_header_value(rng)));
        }
    }
    let mut headers: Vec<(String, String)> = Vec::new();
    if rng.chance(15) {
        for _ in 0..rng.range(1, 4) {
            let name = (*rng.pick(HEADER_NAMES)).to_owned();
            // Repeated names (in any case) are signed as one header, values joined by ','.
            if headers.iter().any(|(n, _)| n.eq_ignore_ascii_case(&name)) && !rng.chance(40) {
                continue;
            }
            let value = if rng.chance(10) {
                // Empty, blank and space-padded values: signed trimmed, runs collapsed.
                (*rng.pick(&["", " ", "  a  b  ", " lead", "trail ", "x   y"])).to_owned()
            } else {
                gen_header_value(rng)
            };
            headers.push((name, value));
        }
    }
    if rng.chance(2) {
        for i in 0..rng.range(30, 40) {
            headers.push((format!("x-amz-meta-h{i:02}"), gen_header_value(rng)));
        }
    }
    let time = gen_time(rng);
    let ttl = gen_ttl(rng);
    let cred_expiry = rng.chance(10).then(|| {
        let whole = time.replace_nanosecond(0).expect("valid");
        whole + time::Duration::seconds(rng.range_i64(-2, 2 * i64::from(ttl)))
    });
    Case {
        id,
        group: id,
        method,
        endpoint,
        virtual_hosted,
        bucket,
        key: gen_key(rng),
        content_type,
        access_key,
        secret,
        token,
        cred_expiry,
        time,
        offset_minutes: *rng.pick(&[0, 0, 0, 330, -480, 840, -720, 765, -210, 60]),
        ttl,
        overrides,
        query,
        headers,
    }
}

/// 0000-01-01T00:00:00Z, the earliest time `X-Amz-Date` can carry.
const YEAR_0: i64 = -62_167_219_200;
/// 1000-01-01T00:00:00Z: botocore writes years before it with fewer than four digits.
pub(crate) const YEAR_1000: i64 = -30_610_224_000;

/// The latest signing time whose longest URL still ends within year 9999.
const LAST_TIME: i64 = 253_402_300_799 - 604_800;

pub(crate) fn gen_cases() -> Vec<Case> {
    let mut rng = Rng(SEED);
    let mut cases: Vec<Case> = Vec::with_capacity(CASES);
    for id in 0..CASES {
        let mut case = gen_case(&mut rng, id);
        if let Some(prev) = cases.last()
            && rng.chance(50)
        {
            // Another request through the previous case's presigner: same endpoint and
            // credentials, a time on the same day or a day or two either side.
            case.group = prev.group;
            case.endpoint = prev.endpoint.clone();
            case.virtual_hosted = prev.virtual_hosted;
            case.access_key.clone_from(&prev.access_key);
            case.secret.clone_from(&prev.secret);
            case.token.clone_from(&prev.token);
            case.cred_expiry = prev.cred_expiry;
            if rng.chance(50) {
                case.bucket.clone_from(&prev.bucket);
            } else if matches!(case.endpoint, EndpointSpec::R2 { .. }) || case.virtual_hosted {
                case.bucket = gen_bucket(&mut rng, false);
            }
            let shift = if rng.chance(50) {
                rng.range_i64(0, 3_600)
            } else {
                rng.range_i64(-2 * 86_400, 2 * 86_400)
            };
            let secs = (prev.time.unix_timestamp() + shift).clamp(YEAR_0, LAST_TIME);
            case.time = OffsetDateTime::from_unix_timestamp(secs).expect("in range")
                + time::Duration::nanoseconds(i64::from(case.time.nanosecond()));
        }
        cases.push(case);
    }
    cases
}

/// How varied the inputs were, so a generator regression shows up in the output.
pub(crate) fn describe(cases: &[Case]) -> String {
    let count = |f: &dyn Fn(&Case) -> bool| cases.iter().filter(|c| f(c)).count();
    let groups = {
        let mut g: Vec<usize> = cases.iter().map(|c| c.group).collect();
        g.dedup();
        g.len()
    };
    format!(
        "{} cases in {groups} presigners: {} R2, {} AWS, {} custom, {} virtual-hosted, {} PUT, \
         {} with session token, {} with credential expiry, {} non-UTC offset, \
         {} with response overrides, {} with extra query, {} with extra headers, \
         {} keys over 512 bytes",
        cases.len(),
        count(&|c| matches!(c.endpoint, EndpointSpec::R2 { .. })),
        count(&|c| matches!(c.endpoint, EndpointSpec::Aws { .. })),
        count(&|c| matches!(c.endpoint, EndpointSpec::Custom { .. })),
        count(&|c| c.virtual_hosted),
        count(&|c| c.method == Method::Put),
        count(&|c| c.token.is_some()),
        count(&|c| c.cred_expiry.is_some()),
        count(&|c| c.offset_minutes != 0),
        count(&|c| !c.overrides.is_empty()),
        count(&|c| !c.query.is_empty()),
        count(&|c| !c.headers.is_empty()),
        count(&|c| c.key.len() > 512),
    )
}

// ---------------------------------------------------------------------------------------------
// The lower-level `presign::sigv4` signer, any service, both rule sets
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Debug)]
pub(crate) enum Payload {
    Unsigned,
    EmptyBody,
    Sha256Hex(String),
}

#[derive(Clone, Debug)]
pub(crate) struct GenericCase {
    pub(crate) id: usize,
    pub(crate) method: &'static str,
    /// `scheme://host[:port]`
    pub(crate) endpoint: String,
    /// The path as it appears in the request line (already percent-encoded).
    pub(crate) path: String,
    pub(crate) normalize: bool,
    pub(crate) service: String,
    pub(crate) region: String,
    pub(crate) access_key: String,
    pub(crate) secret: String,
    /// The token, and whether it is appended after signing instead of signed.
    pub(crate) token: Option<(String, bool)>,
    pub(crate) payload: Payload,
    pub(crate) time: OffsetDateTime,
    pub(crate) ttl: u32,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) headers: Vec<(String, String)>,
}

/// Request-line path pieces: dot segments, empty segments, escapes and sub-delims.
const PATH_PIECES: &[&str] = &[
    "a", "b", "c", "foo", "x.y", ".", ".", "..", "..", "...", "", "", "%20", "%2F", "%2E", "%2e",
    "%25", "%C3%A9", "~", "-", "_", "!", "$", "&", "'", "(", ")", "*", "+", ",", ";", "=", ":",
    "@", ".a", "a.",
];

const SERVICES: &[&str] = &[
    "s3",
    "service",
    "execute-api",
    "sts",
    "lambda",
    "es",
    "iam",
    "dynamodb",
];

const GENERIC_ENDPOINTS: &[&str] = &[
    "https://example.amazonaws.com",
    "https://abc123.execute-api.eu-west-1.amazonaws.com",
    "http://127.0.0.1:8080",
    "https://sts.amazonaws.com",
    "http://localhost:4566",
];

fn gen_path(rng: &mut Rng) -> String {
    let segments = rng.range(0, 7);
    let mut path = String::new();
    for _ in 0..segments {
        path.push('/');
        path.push_str(rng.pick::<&str>(PATH_PIECES));
    }
    if path.is_empty() || rng.chance(15) {
        path.push('/');
    }
    path
}

pub(crate) fn gen_generic_case(rng: &mut Rng, id: usize) -> GenericCase {
    let base = gen_case(rng, id);
    let payload = match rng.below(3) {
        0 => Payload::Unsigned,
        1 => Payload::EmptyBody,
        _ => {
            use sha2::Digest;
            use std::fmt::Write as _;
            let body = gen_key(rng);
            let mut hex = String::new();
            for b in sha2::Sha256::digest(body.as_bytes()) {
                let _ = write!(hex, "{b:02x}");
            }
            Payload::Sha256Hex(hex)
        }
    };
    GenericCase {
        id,
        method: rng.pick::<&str>(&["GET", "POST", "PUT", "DELETE", "HEAD", "PATCH", "OPTIONS"]),
        endpoint: (*rng.pick(GENERIC_ENDPOINTS)).to_owned(),
        path: gen_path(rng),
        normalize: rng.chance(60),
        service: (*rng.pick(SERVICES)).to_owned(),
        region: (*rng.pick(REGIONS)).to_owned(),
        access_key: base.access_key,
        secret: base.secret,
        token: base.token.map(|t| (t, rng.chance(40))),
        payload,
        time: base.time,
        ttl: base.ttl,
        query: base.query,
        headers: base.headers,
    }
}
