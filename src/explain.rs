//! Explaining a 403 before it happens, without the secret.
//!
//! A presigned URL carries neither its method nor the values of its signed headers, so a
//! client cannot check its request against the URL alone; the instructions a service
//! hands out with it ([`Presigned`], or the owned [`PresignedRequest`](crate::PresignedRequest):
//! URL, method, headers to send, expiry) can. [`explain`] compares them with the request a
//! client is about to send and names every difference S3 would refuse, with its fix:
//!
//! ```text
//! Content-Type sent as `application/x-www-form-urlencoded`; the URL is signed for `video/mp4`: send -H 'Content-Type: video/mp4'
//! ```
//!
//! S3 itself only answers `SignatureDoesNotMatch … Check your key and signing method`,
//! which points at the secret; the usual cause is a header sent differently from what the
//! URL was signed for (`curl --data-binary` quietly sends
//! `Content-Type: application/x-www-form-urlencoded`).
//!
//! The comparison is the server's: header names in any case, values trimmed and runs of
//! spaces collapsed, a repeated header's values joined with `,`; the expiry is
//! [`PresignedUrl::is_expired`]'s, the clock skew S3's 900 s. Nothing is allocated.

use core::fmt;

use time::OffsetDateTime;

use crate::inspect::{InspectError, PresignedUrl};
use crate::presigned::{HeadersToSend, Presigned};
use crate::rejection::Rfc3339;
use crate::request::Method;
use crate::verify::DEFAULT_CLOCK_SKEW_SECS;

/// One difference between a presigned URL's instructions and the request a client is
/// about to send, which S3 would refuse. `Display` gives the sentence and its fix.
///
/// ```
/// # #[cfg(feature = "alloc")] {
/// use presign::{ContentType, Credentials, Endpoint, Mismatch, Presigner, PutTtl};
/// use time::macros::datetime;
///
/// let p = Presigner::new(Endpoint::r2("0123456789abcdef0123456789abcdef")?, Credentials::new("AKID", "secret")?);
/// let now = datetime!(2026-11-24 03:56:49 UTC);
/// let up = p.put_object("bucket", "video.mp4", &ContentType::new("video/mp4")?, PutTtl::default(), now)?;
///
/// let sent = [("Content-Type", "application/x-www-form-urlencoded")];
/// let found: Vec<Mismatch<'_>> = presign::explain(&up.as_presigned(), "PUT", &sent, now).collect();
/// assert_eq!(
///     found[0].to_string(),
///     "Content-Type sent as `application/x-www-form-urlencoded`; the URL is signed for `video/mp4`: \
///      send -H 'Content-Type: video/mp4' (curl --data-binary sends application/x-www-form-urlencoded unless told otherwise)"
/// );
/// assert_eq!(found.len(), 1);
/// # }
/// # Ok::<(), presign::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Mismatch<'a> {
    /// The URL is not a presigned URL, so nothing about its signature can be checked.
    UnreadableUrl(InspectError),
    /// The URL has expired.
    Expired {
        /// The first instant it is refused.
        expires_at: OffsetDateTime,
        /// The time of the check.
        now: OffsetDateTime,
    },
    /// The URL is signed for a time more than S3's clock skew (900 s) ahead of `now`: the
    /// signer's clock (or this one) is wrong.
    NotYetValid {
        /// `X-Amz-Date`.
        signed_at: OffsetDateTime,
        /// The time of the check.
        now: OffsetDateTime,
    },
    /// Another method than the one signed.
    Method {
        /// The method the URL is signed for.
        signed: Method,
        /// The method about to be sent.
        sent: &'a str,
    },
    /// A signed header is not sent.
    HeaderMissing {
        /// Its name, lower case.
        name: &'a str,
        /// The value it is signed with.
        signed: &'a str,
    },
    /// A signed header is sent with another value.
    HeaderValue {
        /// Its name, lower case.
        name: &'a str,
        /// The value it is signed with.
        signed: &'a str,
        /// The value about to be sent (a repeated header's values, joined with `,`).
        sent: SentValue<'a>,
    },
    /// A `Host` header other than the URL's.
    Host {
        /// The URL's host (and port).
        signed: &'a str,
        /// The `Host` about to be sent.
        sent: &'a str,
    },
    /// An `x-amz-*` header that is not signed: S3 refuses the request
    /// (`AccessDenied`, "There were headers present in the request which were not signed").
    UnsignedAmzHeader {
        /// Its name, as about to be sent.
        name: &'a str,
    },
    /// An `Authorization` header: S3 accepts one authentication, the URL's or the header's
    /// (`InvalidArgument`).
    AuthorizationHeader,
}

/// The value a client is about to send for a header: every header of that name, joined
/// with `,` as SigV4 joins them.
///
/// ```
/// # #[cfg(feature = "alloc")] {
/// # use presign::{Credentials, Endpoint, Method, Mismatch, ObjectRequest, Presigner, Ttl};
/// # let p = Presigner::new(Endpoint::aws_s3("us-east-1")?, Credentials::new("AKID", "secret")?);
/// # let now = time::macros::datetime!(2026-11-24 03:56:49 UTC);
/// let request = ObjectRequest::new(Method::Put, "bucket", "k", Ttl::default())
///     .with_headers(&[("x-amz-meta-tag", "a,b")]);
/// let signed = p.presign(&request, now)?;
/// let sent = [("X-Amz-Meta-Tag", "a"), ("x-amz-meta-tag", "c")];
/// let found: Vec<_> = presign::explain(&signed.as_presigned(), "PUT", &sent, now).collect();
/// let Mismatch::HeaderValue { sent, .. } = found[0] else { panic!("{found:?}") };
/// assert_eq!(sent.to_string(), "a,c");
/// # }
/// # Ok::<(), presign::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SentValue<'a> {
    name: &'a str,
    headers: &'a [(&'a str, &'a str)],
}

impl<'a> SentValue<'a> {
    fn values(&self) -> impl Iterator<Item = &'a str> + use<'a> {
        let name = self.name;
        self.headers
            .iter()
            .filter(move |(sent, _)| sent.eq_ignore_ascii_case(name))
            .map(|&(_, value)| value)
    }
}

impl fmt::Display for SentValue<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (n, value) in self.values().enumerate() {
            if n > 0 {
                f.write_str(",")?;
            }
            f.write_str(value.trim_matches(' '))?;
        }
        Ok(())
    }
}

/// The bytes of `values` as SigV4 canonicalises a header: each value trimmed, its runs of
/// spaces collapsed to one, the values joined with `,`.
fn canonical_bytes<'v>(values: impl Iterator<Item = &'v str>) -> impl Iterator<Item = u8> {
    values.enumerate().flat_map(|(n, value)| {
        let comma = (n > 0).then_some(b',');
        let words = value
            .split(' ')
            .filter(|word| !word.is_empty())
            .enumerate()
            .flat_map(|(i, word)| (i > 0).then_some(b' ').into_iter().chain(word.bytes()));
        comma.into_iter().chain(words)
    })
}

/// Whether the value sent is the signed value, as the server compares them.
fn same_value(signed: &str, sent: &SentValue<'_>) -> bool {
    canonical_bytes(core::iter::once(signed)).eq(canonical_bytes(sent.values()))
}

/// A header name written as HTTP documentation writes it: `Content-Type`, `X-Amz-Acl`.
struct TitleCase<'a>(&'a str);

impl fmt::Display for TitleCase<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut upper = true;
        for c in self.0.chars() {
            if upper {
                fmt::Write::write_char(f, c.to_ascii_uppercase())?;
            } else {
                fmt::Write::write_char(f, c.to_ascii_lowercase())?;
            }
            upper = c == '-';
        }
        Ok(())
    }
}

/// The `curl` option that sends `method`.
fn curl_method(method: Method) -> &'static str {
    match method {
        Method::Get => "-X GET",
        Method::Head => "--head",
        Method::Put => "-X PUT",
        Method::Delete => "-X DELETE",
        Method::Post => "-X POST",
    }
}

impl fmt::Display for Mismatch<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::UnreadableUrl(err) => write!(
                f,
                "the URL cannot be checked: {err}"
            ),
            Self::Expired { expires_at, now } => write!(
                f,
                "the URL expired at {}, {} s ago: presign a new one",
                Rfc3339(expires_at),
                (now - expires_at).whole_seconds()
            ),
            Self::NotYetValid { signed_at, now } => write!(
                f,
                "the URL is signed for {}, {} s ahead of this clock ({}); S3 allows {DEFAULT_CLOCK_SKEW_SECS} s: check the signer's clock",
                Rfc3339(signed_at),
                (signed_at - now).whole_seconds(),
                Rfc3339(now)
            ),
            Self::Method { signed, sent } => write!(
                f,
                "method sent as `{sent}`; the URL is signed for `{signed}`: send {}",
                curl_method(signed)
            ),
            Self::HeaderMissing { name, signed } => write!(
                f,
                "{} is not sent; the URL is signed for `{signed}`: send -H '{}: {signed}'",
                TitleCase(name),
                TitleCase(name)
            ),
            Self::HeaderValue { name, signed, sent } => {
                write!(
                    f,
                    "{} sent as `{sent}`; the URL is signed for `{signed}`: send -H '{}: {signed}'",
                    TitleCase(name),
                    TitleCase(name)
                )?;
                if name == "content-type"
                    && sent.values().any(|v| v.trim() == "application/x-www-form-urlencoded")
                {
                    f.write_str(
                        " (curl --data-binary sends application/x-www-form-urlencoded unless told otherwise)",
                    )?;
                }
                Ok(())
            }
            Self::Host { signed, sent } => write!(
                f,
                "Host sent as `{sent}`; the URL is signed for `{signed}`: send the URL's own host"
            ),
            Self::UnsignedAmzHeader { name } => write!(
                f,
                "{} is sent but not signed; S3 refuses unsigned x-amz-* headers: drop it, or presign the URL with it",
                TitleCase(name)
            ),
            Self::AuthorizationHeader => f.write_str(
                "an Authorization header is sent with the presigned URL; S3 accepts one way to authenticate: drop the header",
            ),
        }
    }
}

/// The mismatches between `instructions` and the request a client is about to send with
/// `method` and `headers` (names in any case) at `now`, in this order: the URL itself
/// (unreadable, expired, not yet valid), the method, each header to send, the host, the
/// headers that must not be sent. None when S3 would accept the request (given the
/// secret and the body are right).
///
/// No secret is needed: a URL carries neither its method nor its header values, but the
/// instructions handed out with it ([`Presigned`], or
/// [`PresignedRequest::as_presigned`](crate::PresignedRequest::as_presigned)) do. The
/// comparison is the server's: header names in any case, values trimmed and runs of spaces
/// collapsed, a repeated header's values joined with `,`; the expiry is
/// [`PresignedUrl::is_expired`]'s and the clock skew S3's 900 s. S3 itself would only answer
/// `SignatureDoesNotMatch … Check your key and signing method`, which points at the secret;
/// the usual cause is a header sent differently (`curl --data-binary` quietly sends
/// `Content-Type: application/x-www-form-urlencoded`). Nothing is allocated.
///
/// ```
/// # #[cfg(feature = "alloc")] {
/// use presign::{Credentials, Endpoint, GetTtl, Presigner};
/// use time::{macros::datetime, Duration};
///
/// let p = Presigner::new(Endpoint::aws_s3("us-east-1")?, Credentials::new("AKID", "secret")?);
/// let now = datetime!(2026-11-24 03:56:49 UTC);
/// let down = p.get_object("bucket", "video.mp4", GetTtl::default(), now)?;
/// let view = down.as_presigned();
/// assert_eq!(presign::explain(&view, "GET", &[("Range", "bytes=0-99")], now).count(), 0);
///
/// let later = now + Duration::hours(2);
/// let found: Vec<String> = presign::explain(&view, "HEAD", &[("x-amz-acl", "private")], later)
///     .map(|m| m.to_string())
///     .collect();
/// assert_eq!(found, [
///     "the URL expired at 2026-11-24T04:56:49Z, 3600 s ago: presign a new one",
///     "method sent as `HEAD`; the URL is signed for `GET`: send -X GET",
///     "X-Amz-Acl is sent but not signed; S3 refuses unsigned x-amz-* headers: drop it, or presign the URL with it",
/// ]);
/// # }
/// # Ok::<(), presign::Error>(())
/// ```
#[must_use]
pub fn explain<'a>(
    instructions: &Presigned<'a>,
    method: &'a str,
    headers: &'a [(&'a str, &'a str)],
    now: OffsetDateTime,
) -> Mismatches<'a> {
    Mismatches {
        instructions: *instructions,
        url: PresignedUrl::parse(instructions.url()),
        method,
        headers,
        now,
        stage: Stage::Url,
        to_send: instructions.headers(),
        sent_at: 0,
    }
}

/// Where a [`Mismatches`] iteration is.
#[derive(Clone, Copy, Debug)]
enum Stage {
    Url,
    Time,
    Method,
    HeadersToSend,
    Host,
    HeadersSent,
    Done,
}

/// The mismatches [`explain`] finds, one at a time (nothing is collected).
///
/// ```
/// # #[cfg(feature = "alloc")] {
/// # use presign::{ContentType, Credentials, Endpoint, Presigner, PutTtl};
/// # let p = Presigner::new(Endpoint::aws_s3("us-east-1")?, Credentials::new("AKID", "secret")?);
/// # let now = time::macros::datetime!(2026-11-24 03:56:49 UTC);
/// let up = p.put_object("bucket", "k", &ContentType::new("text/csv")?, PutTtl::default(), now)?;
/// let mut found = presign::explain(&up.as_presigned(), "PUT", &[], now);
/// assert_eq!(
///     found.next().map(|m| m.to_string()).as_deref(),
///     Some("Content-Type is not sent; the URL is signed for `text/csv`: send -H 'Content-Type: text/csv'")
/// );
/// assert!(found.next().is_none());
/// # }
/// # Ok::<(), presign::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct Mismatches<'a> {
    instructions: Presigned<'a>,
    url: Result<PresignedUrl<'a>, InspectError>,
    method: &'a str,
    headers: &'a [(&'a str, &'a str)],
    now: OffsetDateTime,
    stage: Stage,
    to_send: HeadersToSend<'a>,
    /// The next header sent to look at, in the last stage.
    sent_at: usize,
}

impl<'a> Mismatches<'a> {
    /// Whether `name` (as sent) is a header the URL is signed for.
    fn is_signed(&self, name: &str) -> bool {
        match &self.url {
            Ok(url) => url.signs_header(name),
            // Without a readable URL, the headers to send are the signed ones we know.
            Err(_) => self
                .instructions
                .headers()
                .any(|(signed, _)| signed.eq_ignore_ascii_case(name)),
        }
    }

    /// The next mismatch of the current stage, if any, moving on when the stage is done;
    /// `None` once every stage is.
    fn step(&mut self) -> Option<Step<'a>> {
        let found = match self.stage {
            Stage::Url => {
                self.stage = Stage::Time;
                self.url.err().map(Mismatch::UnreadableUrl)
            }
            Stage::Time => {
                self.stage = Stage::Method;
                self.time_mismatch()
            }
            Stage::Method => {
                self.stage = Stage::HeadersToSend;
                let signed = self.instructions.method();
                (signed.as_str() != self.method).then_some(Mismatch::Method {
                    signed,
                    sent: self.method,
                })
            }
            Stage::HeadersToSend => self.next_header_to_send_mismatch(),
            Stage::Host => {
                self.stage = Stage::HeadersSent;
                self.host_mismatch()
            }
            Stage::HeadersSent => self.next_header_sent_mismatch(),
            Stage::Done => return None,
        };
        Some(found.map_or(Step::Nothing, Step::Found))
    }

    /// The URL expired, or signed later than the clock (and its skew) allows; nothing
    /// without a readable URL.
    fn time_mismatch(&self) -> Option<Mismatch<'a>> {
        let Ok(url) = self.url else {
            return None;
        };
        let skew = time::Duration::seconds(DEFAULT_CLOCK_SKEW_SECS.into());
        if url.is_expired(self.now) {
            Some(Mismatch::Expired {
                expires_at: url.expires_at(),
                now: self.now,
            })
        } else if self
            .now
            .checked_add(skew)
            .is_some_and(|latest| url.signed_at() > latest)
        {
            Some(Mismatch::NotYetValid {
                signed_at: url.signed_at(),
                now: self.now,
            })
        } else {
            None
        }
    }

    /// The next header to send, missing or sent with another value, if it is; moves on to
    /// the `Host` stage after the last one.
    fn next_header_to_send_mismatch(&mut self) -> Option<Mismatch<'a>> {
        let Some((name, signed)) = self.to_send.next() else {
            self.stage = Stage::Host;
            return None;
        };
        let sent = SentValue {
            name,
            headers: self.headers,
        };
        if sent.values().next().is_none() {
            Some(Mismatch::HeaderMissing { name, signed })
        } else if same_value(signed, &sent) {
            None
        } else {
            Some(Mismatch::HeaderValue { name, signed, sent })
        }
    }

    /// A `Host` header sent with another host than the URL's; nothing without a readable
    /// URL.
    fn host_mismatch(&self) -> Option<Mismatch<'a>> {
        let Ok(url) = self.url else {
            return None;
        };
        self.headers
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case("host"))
            .filter(|(_, sent)| sent.trim() != url.host())
            .map(|&(_, sent)| Mismatch::Host {
                signed: url.host(),
                sent,
            })
    }

    /// The next header sent, if it is an `Authorization` header or an unsigned `x-amz-*`
    /// one (each name told once, at its first occurrence); the iteration is done after the
    /// last one.
    fn next_header_sent_mismatch(&mut self) -> Option<Mismatch<'a>> {
        let Some(&(name, _)) = self.headers.get(self.sent_at) else {
            self.stage = Stage::Done;
            return None;
        };
        self.sent_at += 1;
        let first_of_name = !self
            .headers
            .get(..self.sent_at - 1)
            .unwrap_or_default()
            .iter()
            .any(|(earlier, _)| earlier.eq_ignore_ascii_case(name));
        if name.eq_ignore_ascii_case("authorization") && first_of_name {
            Some(Mismatch::AuthorizationHeader)
        } else if first_of_name
            && name
                .as_bytes()
                .get(..6)
                .is_some_and(|prefix| prefix.eq_ignore_ascii_case(b"x-amz-"))
            && !self.is_signed(name)
        {
            Some(Mismatch::UnsignedAmzHeader { name })
        } else {
            None
        }
    }
}

/// What one step of a [`Mismatches`] iteration finds.
enum Step<'a> {
    Found(Mismatch<'a>),
    Nothing,
}

impl<'a> Iterator for Mismatches<'a> {
    type Item = Mismatch<'a>;

    fn next(&mut self) -> Option<Mismatch<'a>> {
        loop {
            if let Step::Found(found) = self.step()? {
                return Some(found);
            }
        }
    }
}

impl core::iter::FusedIterator for Mismatches<'_> {}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::{String, ToString};
    use alloc::vec::Vec;

    fn canonical(values: &[&str]) -> String {
        String::from_utf8(canonical_bytes(values.iter().copied()).collect()).expect("UTF-8")
    }

    #[test]
    fn values_compare_as_the_server_canonicalises_them() {
        assert_eq!(canonical(&["  a   b "]), "a b");
        assert_eq!(canonical(&["a", " b ", ""]), "a,b,");
        assert_eq!(canonical(&[]), "");
        let sent = |headers| SentValue {
            name: "x-a",
            headers,
        };
        assert!(same_value("a b", &sent(&[("X-A", " a  b ")])));
        assert!(same_value("a,b", &sent(&[("x-a", "a"), ("X-a", "b")])));
        assert!(!same_value("a,b", &sent(&[("x-a", "b"), ("x-a", "a")])));
        assert!(!same_value("ab", &sent(&[("x-a", "a b")])));
        assert_eq!(
            sent(&[("x-a", " a "), ("x-b", "z"), ("x-A", "b")]).to_string(),
            "a,b"
        );
    }

    #[test]
    fn names_are_written_title_case_and_methods_as_curl_options() {
        assert_eq!(TitleCase("content-type").to_string(), "Content-Type");
        assert_eq!(TitleCase("x-amz-meta-a_b").to_string(), "X-Amz-Meta-A_b");
        assert_eq!(TitleCase("ETAG").to_string(), "Etag");
        assert_eq!(curl_method(Method::Head), "--head");
        assert_eq!(curl_method(Method::Post), "-X POST");
    }

    /// A view whose URL is no presigned URL (the public API never makes one) still has its
    /// method and headers checked.
    #[test]
    fn an_unreadable_url_is_named_and_the_rest_still_checked() {
        let view = Presigned::new(
            "https://h/k",
            Method::Put,
            None,
            None,
            &[("x-amz-acl", "private")],
            0,
        );
        let now = OffsetDateTime::UNIX_EPOCH;
        let found: Vec<Mismatch<'_>> = explain(
            &view,
            "PUT",
            &[("X-Amz-Acl", "public-read"), ("x-amz-meta-a", "1")],
            now,
        )
        .collect();
        assert_eq!(found.len(), 3, "{found:?}");
        assert_eq!(found[0], Mismatch::UnreadableUrl(InspectError::NoQuery));
        assert!(matches!(
            found[1],
            Mismatch::HeaderValue {
                name: "x-amz-acl",
                ..
            }
        ));
        assert_eq!(
            found[2],
            Mismatch::UnsignedAmzHeader {
                name: "x-amz-meta-a"
            }
        );
        assert!(
            found[0]
                .to_string()
                .starts_with("the URL cannot be checked: url has no query")
        );
    }

    /// Every sentence names what to do, and a repeated header is reported once.
    #[test]
    fn repeated_headers_are_reported_once() {
        let view = Presigned::new("https://h/k", Method::Get, None, None, &[], 0);
        let sent = [
            ("Authorization", "a"),
            ("authorization", "b"),
            ("x-amz-date", "1"),
            ("X-Amz-Date", "2"),
        ];
        let found: Vec<Mismatch<'_>> =
            explain(&view, "GET", &sent, OffsetDateTime::UNIX_EPOCH).collect();
        assert_eq!(
            found[1..],
            [
                Mismatch::AuthorizationHeader,
                Mismatch::UnsignedAmzHeader { name: "x-amz-date" }
            ]
        );
        for mismatch in found {
            assert!(mismatch.to_string().contains(": "), "{mismatch}");
        }
    }
}
