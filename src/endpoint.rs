//! Where requests go: Cloudflare R2, AWS S3 or any S3-compatible server, and how the bucket
//! is addressed (in the path or in the host name).

use crate::decimal::Decimal;
use crate::encode::{Sink, is_unreserved};
use crate::error::{Error, Field};
use crate::inline_str::InlineStr;
use crate::text::{self, SCOPE_PART};

/// The longest host (with `:port`) an endpoint may have: a DNS name is at most 253 bytes.
const MAX_HOST_LEN: usize = 253 + 6;
/// The longest base path of a custom endpoint.
pub const MAX_BASE_PATH_LEN: usize = 256;
/// The longest region name accepted.
pub const MAX_REGION_LEN: usize = 64;

/// How the bucket appears in the URL.
///
/// ```
/// use presign::{AddressingStyle, Endpoint};
/// let s3 = Endpoint::aws_s3("eu-west-1")?;
/// assert_eq!(s3.addressing(), AddressingStyle::VirtualHosted);
/// assert_eq!(s3.with_addressing(AddressingStyle::Path).addressing(), AddressingStyle::Path);
/// # Ok::<(), presign::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AddressingStyle {
    /// `https://host/bucket/key`: works with every server and every bucket name.
    Path,
    /// `https://bucket.host/key`: AWS's default. Needs a bucket name without dots under
    /// HTTPS (the wildcard certificate covers one DNS label) and a DNS host, not an IP.
    VirtualHosted,
}

/// Which Cloudflare R2 jurisdiction holds the bucket; each has its own endpoint host.
///
/// ```
/// use presign::{Endpoint, Jurisdiction};
/// let eu = Endpoint::r2_in("0123456789abcdef0123456789abcdef", Jurisdiction::Eu)?;
/// assert_eq!(eu.host(), "0123456789abcdef0123456789abcdef.eu.r2.cloudflarestorage.com");
/// # Ok::<(), presign::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Jurisdiction {
    /// `<account>.r2.cloudflarestorage.com`
    #[default]
    Default,
    /// `<account>.eu.r2.cloudflarestorage.com`: data kept in the European Union.
    Eu,
    /// `<account>.fedramp.r2.cloudflarestorage.com`: FedRAMP Moderate.
    Fedramp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Scheme {
    Http,
    Https,
}

/// Which naming rules apply to buckets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Flavor {
    R2,
    AwsS3,
    Custom,
}

/// An S3-compatible endpoint: scheme, host (with port when not the scheme's default), an
/// optional base path, the SigV4 region and the addressing style.
///
/// The signed `host` header is exactly what an HTTP client sends for the URL: the port is
/// included only when it is not the default for the scheme, as clients do, so a
/// `https://host:443` endpoint signs `host`, not `host:443`.
///
/// ```
/// use presign::Endpoint;
/// let r2 = Endpoint::r2("0123456789abcdef0123456789abcdef")?;
/// assert_eq!(r2.host(), "0123456789abcdef0123456789abcdef.r2.cloudflarestorage.com");
/// assert_eq!(r2.region(), "auto");
///
/// let local = Endpoint::custom("http://127.0.0.1:9000", "us-east-1")?;
/// assert_eq!(local.host(), "127.0.0.1:9000");
/// # Ok::<(), presign::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    scheme: Scheme,
    host: InlineStr<MAX_HOST_LEN>,
    host_is_ip: bool,
    base_path: InlineStr<MAX_BASE_PATH_LEN>,
    region: InlineStr<MAX_REGION_LEN>,
    addressing: AddressingStyle,
    flavor: Flavor,
}

impl Endpoint {
    /// Cloudflare R2 for an account id (32 lower-case hex digits, as shown in the
    /// dashboard): `https://<account>.r2.cloudflarestorage.com`, region `auto`, path style.
    ///
    /// ```
    /// let r2 = presign::Endpoint::r2("0123456789abcdef0123456789abcdef")?;
    /// assert_eq!(r2.region(), "auto");
    /// assert!(presign::Endpoint::r2("my-account").is_err());
    /// # Ok::<(), presign::Error>(())
    /// ```
    pub fn r2(account_id: &str) -> Result<Self, Error> {
        Self::r2_in(account_id, Jurisdiction::Default)
    }

    /// Cloudflare R2 in a jurisdiction (`eu`, `fedramp`).
    ///
    /// ```
    /// use presign::{Endpoint, Jurisdiction};
    /// let fed = Endpoint::r2_in("0123456789abcdef0123456789abcdef", Jurisdiction::Fedramp)?;
    /// assert_eq!(fed.host(), "0123456789abcdef0123456789abcdef.fedramp.r2.cloudflarestorage.com");
    /// # Ok::<(), presign::Error>(())
    /// ```
    pub fn r2_in(account_id: &str, jurisdiction: Jurisdiction) -> Result<Self, Error> {
        if account_id.len() != 32
            || !account_id
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        {
            return Err(Error::InvalidEndpoint {
                reason: "R2 account id must be 32 lower-case hex digits (the Account ID in \
                         the Cloudflare dashboard)",
            });
        }
        let mut host = InlineStr::empty();
        let suffix = match jurisdiction {
            Jurisdiction::Default => ".r2.cloudflarestorage.com",
            Jurisdiction::Eu => ".eu.r2.cloudflarestorage.com",
            Jurisdiction::Fedramp => ".fedramp.r2.cloudflarestorage.com",
        };
        let _ = host.push(account_id).and_then(|()| host.push(suffix));
        Ok(Self {
            scheme: Scheme::Https,
            host,
            host_is_ip: false,
            base_path: InlineStr::empty(),
            region: InlineStr::from_checked("auto"),
            addressing: AddressingStyle::Path,
            flavor: Flavor::R2,
        })
    }

    /// AWS S3 in `region`: `https://s3.<region>.amazonaws.com` (`.amazonaws.com.cn` for the
    /// `cn-` regions), virtual-hosted by default.
    ///
    /// ```
    /// let s3 = presign::Endpoint::aws_s3("us-west-2")?;
    /// assert_eq!(s3.host(), "s3.us-west-2.amazonaws.com");
    /// assert!(presign::Endpoint::aws_s3("US West 2").is_err());
    /// # Ok::<(), presign::Error>(())
    /// ```
    pub fn aws_s3(region: &str) -> Result<Self, Error> {
        let region = check_region(region)?;
        let mut host = InlineStr::empty();
        let domain = if region.as_str().starts_with("cn-") {
            ".amazonaws.com.cn"
        } else {
            ".amazonaws.com"
        };
        let _ = host
            .push("s3.")
            .and_then(|()| host.push(region.as_str()))
            .and_then(|()| host.push(domain));
        Ok(Self {
            scheme: Scheme::Https,
            host,
            host_is_ip: false,
            base_path: InlineStr::empty(),
            region,
            addressing: AddressingStyle::VirtualHosted,
            flavor: Flavor::AwsS3,
        })
    }

    /// Any S3-compatible server, from its base URL: `http` or `https`, a lower-case DNS
    /// name, IPv4 or bracketed IPv6 address, an optional port, and an optional base path
    /// of unreserved characters (`/s3` for a server mounted under a prefix). Path style by
    /// default, which every S3-compatible server supports.
    ///
    /// ```
    /// use presign::Endpoint;
    /// let minio = Endpoint::custom("https://minio.example.com:8443/s3/", "us-east-1")?;
    /// assert_eq!(minio.host(), "minio.example.com:8443");
    /// assert_eq!(minio.base_path(), "/s3");
    /// assert_eq!(Endpoint::custom("https://minio.example.com:443", "auto")?.host(), "minio.example.com");
    /// assert!(Endpoint::custom("ftp://example.com", "auto").is_err());
    /// # Ok::<(), presign::Error>(())
    /// ```
    pub fn custom(url: &str, region: &str) -> Result<Self, Error> {
        let region = check_region(region)?;
        let (scheme, rest) = if let Some(rest) = strip_prefix_ignore_case(url, "https://") {
            (Scheme::Https, rest)
        } else if let Some(rest) = strip_prefix_ignore_case(url, "http://") {
            (Scheme::Http, rest)
        } else {
            return Err(Error::InvalidEndpoint {
                reason: "URL must start with http:// or https://",
            });
        };
        if rest.contains(['?', '#', '@']) {
            return Err(Error::InvalidEndpoint {
                reason: "URL may not have a query, a fragment or user info; give scheme://host[:port][/base/path]",
            });
        }
        let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        let (host, host_is_ip) = parse_authority(authority, scheme)?;
        let base_path = parse_base_path(path)?;
        Ok(Self {
            scheme,
            host,
            host_is_ip,
            base_path,
            region,
            addressing: AddressingStyle::Path,
            flavor: Flavor::Custom,
        })
    }

    /// The same endpoint with another addressing style.
    ///
    /// ```
    /// use presign::{AddressingStyle, Endpoint};
    /// let s3 = Endpoint::aws_s3("us-east-1")?.with_addressing(AddressingStyle::Path);
    /// assert_eq!(s3.addressing(), AddressingStyle::Path);
    /// # Ok::<(), presign::Error>(())
    /// ```
    #[must_use]
    pub fn with_addressing(mut self, addressing: AddressingStyle) -> Self {
        self.addressing = addressing;
        self
    }

    /// The SigV4 region of the credential scope (`auto` for R2).
    ///
    /// ```
    /// assert_eq!(presign::Endpoint::aws_s3("eu-central-1")?.region(), "eu-central-1");
    /// # Ok::<(), presign::Error>(())
    /// ```
    #[must_use]
    pub fn region(&self) -> &str {
        self.region.as_str()
    }

    /// The host, with `:port` when the port is not the scheme's default.
    ///
    /// ```
    /// assert_eq!(presign::Endpoint::custom("http://[::1]:9000", "auto")?.host(), "[::1]:9000");
    /// # Ok::<(), presign::Error>(())
    /// ```
    #[must_use]
    pub fn host(&self) -> &str {
        self.host.as_str()
    }

    /// The base path of a custom endpoint (`""` or `/prefix`, no trailing slash).
    ///
    /// ```
    /// assert_eq!(presign::Endpoint::custom("http://localhost:9000", "auto")?.base_path(), "");
    /// # Ok::<(), presign::Error>(())
    /// ```
    #[must_use]
    pub fn base_path(&self) -> &str {
        self.base_path.as_str()
    }

    /// The addressing style in use.
    ///
    /// ```
    /// use presign::{AddressingStyle, Endpoint};
    /// assert_eq!(Endpoint::r2("0123456789abcdef0123456789abcdef")?.addressing(), AddressingStyle::Path);
    /// # Ok::<(), presign::Error>(())
    /// ```
    #[must_use]
    pub fn addressing(&self) -> AddressingStyle {
        self.addressing
    }

    /// [`Self::host`] as bytes (the signing path copies them without a UTF-8 check).
    pub(crate) fn host_bytes(&self) -> &[u8] {
        self.host.as_bytes()
    }

    pub(crate) fn base_path_bytes(&self) -> &[u8] {
        self.base_path.as_bytes()
    }

    /// `https://` or `http://`.
    pub(crate) fn scheme_prefix(&self) -> &'static str {
        match self.scheme {
            Scheme::Http => "http://",
            Scheme::Https => "https://",
        }
    }

    pub(crate) fn flavor(&self) -> Flavor {
        self.flavor
    }

    /// Checks that `bucket` can be addressed in the configured style.
    pub(crate) fn check_addressable(&self, bucket: &str) -> Result<(), Error> {
        if self.addressing == AddressingStyle::VirtualHosted {
            if self.host_is_ip {
                return Err(Error::InvalidEndpoint {
                    reason: "is an IP address, which cannot carry a virtual-hosted bucket; \
                             use AddressingStyle::Path",
                });
            }
            if self.scheme == Scheme::Https && bucket.contains('.') {
                return Err(Error::BucketNotVirtualHostable);
            }
            // HTTP clients decode `xn--` labels as internationalised names and refuse or
            // rewrite the ones that are not valid punycode.
            if bucket.starts_with("xn--") {
                return Err(Error::InvalidBucketName {
                    reason: "starts with xn--, which cannot be a virtual-hosted DNS label; \
                             use AddressingStyle::Path",
                });
            }
            // A DNS name is at most 253 bytes, port excluded.
            let host_name = self.host().split(':').next().unwrap_or_default();
            if bucket.len() + 1 + host_name.len() > 253 {
                return Err(Error::InvalidEndpoint {
                    reason: "host with the bucket in front is longer than the 253 bytes DNS \
                             allows; use AddressingStyle::Path",
                });
            }
        }
        Ok(())
    }
}

fn strip_prefix_ignore_case<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

/// Checks a region (or service) name against the credential-scope grammar: lower-case
/// letters, digits and `-`, 1 ..= 64 bytes. A `/` or space would break the scope.
pub(crate) fn check_scope_part(field: Field, part: &str) -> Result<(), Error> {
    text::check(field, part, MAX_REGION_LEN, SCOPE_PART)
}

fn check_region(region: &str) -> Result<InlineStr<MAX_REGION_LEN>, Error> {
    check_scope_part(Field::Region, region)?;
    Ok(InlineStr::from_checked(region))
}

/// Splits `host[:port]` (the host may be a bracketed IPv6 address), checks both, and
/// returns the host as clients send it (the port only when it is not the scheme's default)
/// and whether it is an IP address.
fn parse_authority(
    authority: &str,
    scheme: Scheme,
) -> Result<(InlineStr<MAX_HOST_LEN>, bool), Error> {
    let (host, port) = split_host_port(authority)?;
    let is_ipv6 = host.starts_with('[');
    if host.is_empty() {
        return Err(invalid("URL has no host"));
    }
    if !is_ipv6 {
        check_dns_host(host)?;
    }
    let port = parse_port(port, scheme)?;
    let mut out = InlineStr::empty();
    let pushed = out.push(host).and_then(|()| match port {
        Some(p) => out
            .push(":")
            .and_then(|()| out.push(Decimal::new(u32::from(p)).as_str())),
        None => Some(()),
    });
    if pushed.is_none() {
        return Err(invalid("host is too long"));
    }
    Ok((out, is_ipv6 || is_canonical_ipv4(host)))
}

fn invalid(reason: &'static str) -> Error {
    Error::InvalidEndpoint { reason }
}

/// `host` and the text after `:`, if any; a bracketed IPv6 host must be canonical.
fn split_host_port(authority: &str) -> Result<(&str, Option<&str>), Error> {
    let Some(rest) = authority.strip_prefix('[') else {
        return Ok(match authority.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        });
    };
    let Some(end) = rest.find(']') else {
        return Err(invalid("has an IPv6 address without its closing ']'"));
    };
    let (addr, after) = rest.split_at(end);
    if !is_canonical_ipv6(addr) {
        return Err(invalid(
            "has an IPv6 address that is invalid or not in the canonical form clients \
             send (lower case, zeros compressed, no embedded IPv4), e.g. [::1]",
        ));
    }
    let after = &after[1..];
    let port = match after.strip_prefix(':') {
        Some(port) => Some(port),
        None if after.is_empty() => None,
        None => return Err(invalid("has text after the IPv6 address that is not :port")),
    };
    Ok((&authority[..end + 2], port))
}

/// A DNS name (or IPv4 address) exactly as HTTP clients send it.
fn check_dns_host(host: &str) -> Result<(), Error> {
    if host.len() > 253 {
        return Err(invalid("host is longer than the 253 bytes DNS allows"));
    }
    if let Some(b) = host
        .bytes()
        .find(|&b| !(b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.'))
    {
        return Err(invalid(if b.is_ascii_uppercase() {
            "host has upper-case letters; write it in lower case as clients send it"
        } else {
            "host may hold only lower-case letters, digits, '-' and '.'"
        }));
    }
    if host.split('.').any(str::is_empty) {
        return Err(invalid(
            "host has an empty DNS label (leading, trailing or doubled '.')",
        ));
    }
    if host
        .split('.')
        .any(|label| label.starts_with('-') || label.ends_with('-') || label.len() > 63)
    {
        return Err(invalid(
            "host has a DNS label that starts or ends with '-' or is over 63 bytes",
        ));
    }
    if host.split('.').any(|label| label.starts_with("xn--")) {
        return Err(invalid(
            "host has an internationalised (xn--) label; use the server's ASCII name or IP",
        ));
    }
    // A host whose last label is a number is an IPv4 address to HTTP clients (WHATWG URL),
    // which rewrite `010.0.0.1` to `8.0.0.1` and refuse `s3.local.1`; only the canonical
    // dotted quad is sent as written.
    let last = host.rsplit('.').next().unwrap_or(host);
    let hex_number = last
        .strip_prefix("0x")
        .is_some_and(|digits| digits.bytes().all(|b| b.is_ascii_hexdigit()));
    if (last.bytes().all(|b| b.is_ascii_digit()) || hex_number) && !is_canonical_ipv4(host) {
        return Err(invalid(
            "host ends in a number but is not a canonical IPv4 address \
             (four numbers 0 ..= 255 without leading zeros)",
        ));
    }
    Ok(())
}

/// The port, or `None` when absent or the scheme's default (which clients leave out of the
/// `Host` header, so it must not be signed).
fn parse_port(port: Option<&str>, scheme: Scheme) -> Result<Option<u16>, Error> {
    let default_port = match scheme {
        Scheme::Http => 80,
        Scheme::Https => 443,
    };
    let Some(port) = port else {
        return Ok(None);
    };
    // Digits only: `parse` would also take a leading `+`, which no URL parser accepts.
    if port.is_empty() || !port.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid("port must be a number in 1 ..= 65535"));
    }
    match port.parse::<u16>() {
        Ok(0) | Err(_) => Err(invalid("port must be a number in 1 ..= 65535")),
        Ok(p) if p == default_port => Ok(None),
        Ok(p) => Ok(Some(p)),
    }
}

/// `a.b.c.d`, each a decimal number 0 ..= 255 without leading zeros.
fn is_canonical_ipv4(host: &str) -> bool {
    host.split('.').count() == 4
        && host.split('.').all(|label| {
            !label.is_empty()
                && label.bytes().all(|b| b.is_ascii_digit())
                && (label == "0" || !label.starts_with('0'))
                && label.parse::<u8>().is_ok()
        })
}

/// An IPv6 address written exactly as the WHATWG URL serializer writes it: lower-case hex
/// without leading zeros, the first longest run of two or more zero pieces as `::`, no
/// embedded IPv4 or zone. Clients rewrite any other spelling, which would change the
/// signed `host`.
fn is_canonical_ipv6(text: &str) -> bool {
    let Ok(addr) = text.parse::<core::net::Ipv6Addr>() else {
        return false;
    };
    let pieces = addr.segments();
    // The first longest run of zero pieces, if at least two long.
    let (mut compress, mut best) = (None, 1);
    let mut i = 0;
    while i < pieces.len() {
        let start = i;
        while i < pieces.len() && pieces[i] == 0 {
            i += 1;
        }
        if i - start > best {
            (compress, best) = (Some(start), i - start);
        }
        i = i.max(start + 1);
    }
    let mut canonical = InlineStr::<40>::empty();
    let mut i = 0;
    while i < pieces.len() {
        if compress == Some(i) {
            canonical.put(if i == 0 { "::" } else { ":" });
            i += best;
            continue;
        }
        let mut digits = [0u8; 4];
        let mut n = 4;
        let mut piece = pieces[i];
        loop {
            n -= 1;
            digits[n] = b"0123456789abcdef"[usize::from(piece & 0xf)];
            piece >>= 4;
            if piece == 0 {
                break;
            }
        }
        canonical.put_bytes(&digits[n..]);
        if i != pieces.len() - 1 {
            canonical.put(":");
        }
        i += 1;
    }
    canonical.as_bytes() == text.as_bytes()
}

/// Checks a base path: `/`-separated segments of unreserved characters, no `.` or `..`
/// segments (clients would rewrite them), no empty segment except a trailing `/`, which is
/// dropped.
fn parse_base_path(path: &str) -> Result<InlineStr<MAX_BASE_PATH_LEN>, Error> {
    let trimmed = path.strip_suffix('/').unwrap_or(path);
    if trimmed.is_empty() {
        return Ok(InlineStr::empty());
    }
    let bad = |reason| Err(Error::InvalidEndpoint { reason });
    if trimmed.len() > MAX_BASE_PATH_LEN {
        return bad("base path is longer than 256 bytes");
    }
    for segment in trimmed[1..].split('/') {
        if segment.is_empty() || segment == "." || segment == ".." {
            return bad("base path has an empty, '.' or '..' segment");
        }
        if !segment.bytes().all(is_unreserved) {
            return bad("base path may hold only letters, digits, '-', '.', '_', '~' and '/'");
        }
    }
    Ok(InlineStr::from_checked(trimmed))
}
