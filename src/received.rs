//! The canonical request of a request as a server receives it: the verifier's half of SigV4
//! step 1, rebuilt from what was sent, without allocating.
//!
//! A signer writes the path and query once, already canonical; a server gets them as the
//! client sent them, which may spell the same bytes differently (`~` or `%7E`, `%2f` or
//! `%2F`, the parameters in another order). S3 reads the request, then re-encodes it: every
//! `%XX` escape stands for its byte, every other byte for itself, and the canonical form
//! writes each byte as SigV4 `UriEncode` does (unreserved bytes as they are, `/` too in the
//! path, every other byte as `%XX` with upper-case hex). So any spelling that decodes to the
//! same bytes has the same canonical request, and one that decodes differently does not.
//!
//! The canonical form is written straight from the received text into a [`Sink`] (the
//! SHA-256 of the canonical request, or a formatter for an error message): a part already
//! canonical as sent, the common case for every signer's URL, is copied as one slice; any
//! other part is decoded and re-encoded byte by byte. The query parameters are sorted as
//! indices on the stack.

use core::cmp::Ordering;

use core::fmt;

use crate::canonical_request::UNSIGNED_PAYLOAD;
use crate::encode::{self, KeepSet, PATH, QUERY, Sink};
use crate::headers::put_header_value;
use crate::inspect::{AuthParam, Encoded, find_either, first_bad_escape};

/// How many query parameters are sorted on the stack; more need the `alloc` feature.
pub(crate) const INLINE_PARAMS: usize = 64;

/// Why a request target cannot be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TargetError {
    /// It does not start with `/` (not the origin form of RFC 9112 §3.2.1).
    NotOriginForm,
    /// A `%` at this offset is not followed by two hex digits.
    BadEscape { index: usize },
}

/// Splits a request target into its path and query (`None` without `?`), after checking
/// that it is in origin form and that every `%` of the path starts an escape: a malformed
/// escape decodes to nothing, so it cannot take part in a canonical request. (The query's
/// escapes are checked by [`CanonicalQuery::new`], in the pass it makes anyway.)
pub(crate) fn split_target(target: &str) -> Result<(&str, Option<&str>), TargetError> {
    if !target.starts_with('/') {
        return Err(TargetError::NotOriginForm);
    }
    let (path, query) = match target.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (target, None),
    };
    // A canonical path has only well-formed escapes: the precise search is for the rest.
    if let Some(index) = (!is_canonical(path, PATH))
        .then(|| first_bad_escape(path))
        .flatten()
    {
        return Err(TargetError::BadEscape { index });
    }
    Ok((path, query))
}

/// Whether `text` is already in canonical form for `keep`: every byte kept by `keep`, or an
/// escape with upper-case hex digits of a byte `keep` does not keep.
fn is_canonical(text: &str, keep: &KeepSet) -> bool {
    let bytes = text.as_bytes();
    // Most texts have nothing to escape and no escape at all (`%` is not kept): one
    // unrolled pass settles them.
    if !keep.escapes_any(bytes) {
        return true;
    }
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let value = match (
                bytes.get(i + 1).copied().and_then(upper_hex),
                bytes.get(i + 2).copied().and_then(upper_hex),
            ) {
                (Some(high), Some(low)) => high << 4 | low,
                _ => return false,
            };
            if keep.keeps(value) {
                return false;
            }
            i += 3;
        } else if keep.keeps(b) {
            i += 1;
        } else {
            return false;
        }
    }
    true
}

/// The value of an upper-case hex digit (a canonical escape has no lower-case one).
fn upper_hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Writes the canonical form of received text for `keep`.
fn put_canonical(text: &str, keep: &KeepSet, out: &mut impl Sink) {
    if is_canonical(text, keep) {
        out.put(text);
    } else {
        encode::encode_iter(Encoded::new(text).bytes(), keep, out);
    }
}

/// Writes the canonical URI of a received path (S3 rules: decoded, encoded once with `/`
/// kept, never normalised).
pub(crate) fn write_canonical_path(path: &str, out: &mut impl Sink) {
    put_canonical(path, PATH, out);
}

/// Compares the canonical (query) encodings of two received texts without writing them:
/// [`encode::cmp_encoded`]'s ranking applied to the decoded bytes.
fn cmp_canonical(a: &str, b: &str) -> Ordering {
    let rank = |byte: u8| {
        if QUERY.keeps(byte) {
            256 + u16::from(byte)
        } else {
            u16::from(byte)
        }
    };
    let mut a = Encoded::new(a).bytes();
    let mut b = Encoded::new(b).bytes();
    loop {
        match (a.next(), b.next()) {
            (Some(x), Some(y)) if x == y => {}
            (Some(x), Some(y)) => return rank(x).cmp(&rank(y)),
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
        }
    }
}

/// One received query parameter: offsets into the query.
#[derive(Clone, Copy, Default, Debug)]
struct Param {
    /// The first byte of `name=value`.
    start: usize,
    /// The end of the name (the `=`, or `end` when there is none).
    name_end: usize,
    /// The end of the value (the next `&` or the end of the query).
    end: usize,
    /// Name and value are canonical as sent, and there is a `=`: the pair can be copied.
    plain: bool,
    /// It is `X-Amz-Security-Token` (redacted in messages).
    token: bool,
}

impl Param {
    fn name<'q>(&self, query: &'q str) -> &'q str {
        query.get(self.start..self.name_end).unwrap_or_default()
    }

    fn value<'q>(&self, query: &'q str) -> &'q str {
        query.get(self.name_end + 1..self.end).unwrap_or_default()
    }
}

/// The query parameters, on the stack or (past [`INLINE_PARAMS`], with `alloc`) the heap.
#[cfg_attr(
    feature = "alloc",
    expect(
        clippy::large_enum_variant,
        reason = "lives on the stack for one verification; the point is not to allocate"
    )
)]
enum ParamList {
    Inline([Param; INLINE_PARAMS], usize),
    #[cfg(feature = "alloc")]
    Heap(alloc::vec::Vec<Param>),
}

impl ParamList {
    #[cfg_attr(
        feature = "alloc",
        expect(clippy::unnecessary_wraps, reason = "fails only without `alloc`")
    )]
    fn push(&mut self, param: Param) -> Result<(), QueryError> {
        match self {
            Self::Inline(items, len) => {
                if let Some(slot) = items.get_mut(*len) {
                    *slot = param;
                    *len += 1;
                    return Ok(());
                }
                #[cfg(feature = "alloc")]
                {
                    let mut heap = alloc::vec::Vec::with_capacity(2 * INLINE_PARAMS);
                    heap.extend_from_slice(items);
                    heap.push(param);
                    *self = Self::Heap(heap);
                    Ok(())
                }
                #[cfg(not(feature = "alloc"))]
                Err(QueryError::TooManyParams)
            }
            #[cfg(feature = "alloc")]
            Self::Heap(items) => {
                items.push(param);
                Ok(())
            }
        }
    }

    fn as_slice(&self) -> &[Param] {
        match self {
            Self::Inline(items, len) => items.get(..*len).unwrap_or_default(),
            #[cfg(feature = "alloc")]
            Self::Heap(items) => items,
        }
    }

    fn as_mut_slice(&mut self) -> &mut [Param] {
        match self {
            Self::Inline(items, len) => items.get_mut(..*len).unwrap_or_default(),
            #[cfg(feature = "alloc")]
            Self::Heap(items) => items,
        }
    }
}

/// Why a received query has no canonical form here.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum QueryError {
    /// More parameters than the stack holds, without the `alloc` feature.
    #[cfg_attr(
        feature = "alloc",
        expect(dead_code, reason = "the heap takes any number with `alloc`")
    )]
    TooManyParams,
    /// A `%` at this offset of the query is not followed by two hex digits.
    BadEscape { index: usize },
}

/// Where the parameters of a query that does not come in canonical order are sorted: made
/// by the caller, empty (and nothing written to it) on the common path, borrowed by the
/// [`CanonicalQuery`]. Kept apart so that the query, moved around, stays small.
pub(crate) struct ParamScratch(Option<ParamList>);

impl ParamScratch {
    pub(crate) const fn new() -> Self {
        Self(None)
    }
}

/// The canonical query string of a received query: every parameter but `X-Amz-Signature`,
/// in canonical order (by encoded name, then encoded value).
pub(crate) struct CanonicalQuery<'a> {
    query: &'a str,
    order: Order<'a>,
}

/// The order the parameters are written in.
enum Order<'a> {
    /// As sent: no empty pair, every parameter canonical, with a `=`, and in canonical
    /// order already (as every signer sends them), so the query is written as it came, less
    /// the signature, which is at `start..end` (when there is one).
    AsSent { signature: Option<(usize, usize)> },
    /// Sorted in the scratch.
    Sorted(&'a [Param]),
}

/// The parameters of a query: `(start, end)` of each non-empty `name=value`, and whether
/// it is `X-Amz-Signature`.
fn pairs(query: &str) -> impl Iterator<Item = (usize, &str, Option<AuthParam>)> {
    let mut start = 0;
    query.split('&').filter_map(move |pair| {
        let at = start;
        start += pair.len() + 1;
        (!pair.is_empty()).then(|| {
            let name = pair.split_once('=').map_or(pair, |(name, _)| name);
            (at, pair, AuthParam::from_encoded(Encoded::new(name)))
        })
    })
}

impl<'a> CanonicalQuery<'a> {
    /// Reads and orders the parameters of `query` (whose escapes are well-formed). Empty
    /// pairs (`&&`) are no parameters; a pair without `=` has an empty value.
    pub(crate) fn new(query: &'a str, scratch: &'a mut ParamScratch) -> Result<Self, QueryError> {
        let order = if let Some(as_sent) = Self::canonical_as_sent(query) {
            as_sent
        } else {
            if let Some(index) = first_bad_escape(query) {
                return Err(QueryError::BadEscape { index });
            }
            let params: &'a mut ParamList = scratch
                .0
                .insert(ParamList::Inline([Param::default(); INLINE_PARAMS], 0));
            Self::sort_into(query, params)?;
            let params: &'a ParamList = params;
            Order::Sorted(params.as_slice())
        };
        Ok(Self { query, order })
    }

    /// When the query has no empty pair and every parameter but the signature is canonical
    /// as sent, has a `=`, and comes after the one before it in canonical order, the query
    /// is its own canonical form: then where the signature is. One pass, no storage.
    fn canonical_as_sent(query: &str) -> Option<Order<'static>> {
        let bytes = query.as_bytes();
        let mut previous: Option<(&str, &str)> = None;
        let mut signature = None;
        let mut start = 0;
        loop {
            let rest = bytes.get(start..)?;
            let end = start + find_either(rest, b'&', b'&').unwrap_or(rest.len());
            let eq = start + find_either(bytes.get(start..end)?, b'=', b'=')?;
            let name = query.get(start..eq)?;
            let value = query.get(eq + 1..end)?;
            if !is_canonical(name, QUERY) {
                return None;
            }
            // A canonical name has no escape of an unreserved byte, so it is the signature's
            // name only when spelled plainly.
            if name == AuthParam::Signature.name() {
                signature = Some((start, end));
            } else {
                if !is_canonical(value, QUERY) {
                    return None;
                }
                // Canonical text is its own encoding: compared as it is.
                if previous.is_some_and(|before| before > (name, value)) {
                    return None;
                }
                previous = Some((name, value));
            }
            if end >= bytes.len() {
                return Some(Order::AsSent { signature });
            }
            start = end + 1;
        }
    }

    /// The parameters but the signature, sorted into `params`.
    fn sort_into(query: &str, params: &mut ParamList) -> Result<(), QueryError> {
        for (start, pair, which) in pairs(query) {
            if which == Some(AuthParam::Signature) {
                continue;
            }
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            let end = start + pair.len();
            params.push(Param {
                start,
                name_end: start + name.len(),
                end,
                plain: name.len() < pair.len()
                    && is_canonical(name, QUERY)
                    && is_canonical(value, QUERY),
                token: which == Some(AuthParam::SecurityToken),
            })?;
        }
        let cmp = |a: &Param, b: &Param| {
            if a.plain && b.plain {
                // Canonical as sent: the text is its own encoding.
                a.name(query)
                    .cmp(b.name(query))
                    .then_with(|| a.value(query).cmp(b.value(query)))
            } else {
                cmp_canonical(a.name(query), b.name(query))
                    .then_with(|| cmp_canonical(a.value(query), b.value(query)))
            }
        };
        params.as_mut_slice().sort_unstable_by(cmp);
        Ok(())
    }

    /// Writes the canonical query string; with `redact_token`, the session token's value as
    /// `<redacted>` (for a log line, never for the hash).
    pub(crate) fn write(&self, redact_token: bool, out: &mut impl Sink) {
        let query = self.query;
        let mut w = QueryWriter {
            query,
            out,
            run: None,
            first: true,
        };
        match &self.order {
            Order::AsSent {
                signature: Some((start, end)),
            } if !redact_token => {
                put_less_signature(query, (*start, *end), w.out);
                return;
            }
            Order::AsSent { .. } => {
                for (start, pair, which) in pairs(query) {
                    match which {
                        Some(AuthParam::Signature) => {}
                        Some(AuthParam::SecurityToken) if redact_token => {
                            w.flush();
                            w.separator();
                            let name = pair.split_once('=').map_or(pair, |(name, _)| name);
                            w.out.put(name);
                            w.out.put("=<redacted>");
                        }
                        _ => w.extend(start, start + pair.len()),
                    }
                }
            }
            Order::Sorted(params) => {
                for param in *params {
                    if param.plain && !(redact_token && param.token) {
                        w.extend(param.start, param.end);
                        continue;
                    }
                    w.flush();
                    w.separator();
                    put_canonical(param.name(query), QUERY, w.out);
                    w.out.put("=");
                    if redact_token && param.token {
                        w.out.put("<redacted>");
                    } else {
                        put_canonical(param.value(query), QUERY, w.out);
                    }
                }
            }
        }
        w.flush();
    }
}

/// Writes `query` less its signature parameter, which is at `start..end`: the query less
/// `&signature` (or `signature&` when it comes first).
fn put_less_signature(query: &str, (start, end): (usize, usize), out: &mut impl Sink) {
    let before = query.get(..start.saturating_sub(1)).unwrap_or_default();
    let after = query.get(end..).unwrap_or_default();
    let after = if before.is_empty() {
        after.strip_prefix('&').unwrap_or(after)
    } else {
        after
    };
    for piece in [before, after] {
        if !piece.is_empty() {
            out.put(piece);
        }
    }
}

/// Writes query parameters with `&` between them, gathering parameters that are plain and
/// adjacent in the query as sent into one slice (`&`s and all): for a signer's URL,
/// everything before the signature is one write.
struct QueryWriter<'q, 'o, S> {
    query: &'q str,
    out: &'o mut S,
    /// The pending run, as offsets into the query.
    run: Option<(usize, usize)>,
    first: bool,
}

impl<S: Sink> QueryWriter<'_, '_, S> {
    fn separator(&mut self) {
        if !self.first {
            self.out.put("&");
        }
        self.first = false;
    }

    fn flush(&mut self) {
        if let Some((start, end)) = self.run.take() {
            self.separator();
            self.out.put(self.query.get(start..end).unwrap_or_default());
        }
    }

    /// Adds the pair at `start..end` (as sent) to the run, or starts a new run with it.
    fn extend(&mut self, start: usize, end: usize) {
        match &mut self.run {
            Some((_, run_end)) if *run_end + 1 == start => *run_end = end,
            _ => {
                self.flush();
                self.run = Some((start, end));
            }
        }
    }
}

/// Whether the request header called `sent` is the signed header `signed` (a lower-case
/// name from `X-Amz-SignedHeaders`, perhaps escaped).
pub(crate) fn is_header(signed: Encoded<'_>, sent: &str) -> bool {
    match signed.as_plain() {
        Some(name) => sent.eq_ignore_ascii_case(name),
        None => signed
            .bytes()
            .eq(sent.bytes().map(|b| b.to_ascii_lowercase())),
    }
}

/// The signed headers of a received request and where their values come from.
#[derive(Clone, Copy)]
pub(crate) struct SignedHeaders<'a> {
    /// `X-Amz-SignedHeaders` as sent (validated: lower-case names, `;`-separated).
    pub(crate) names: Encoded<'a>,
    /// The `Host` header: the value of the signed `host`.
    pub(crate) host: &'a str,
    /// Every other header, as received. A `host` among them is ignored.
    pub(crate) headers: &'a [(&'a str, &'a str)],
}

impl<'a> SignedHeaders<'a> {
    /// The signed names, in the order given.
    pub(crate) fn names(&self) -> impl Iterator<Item = Encoded<'a>> + use<'a> {
        self.names.split_decoded(b';')
    }

    /// The values sent for the signed header `name`, in order (`host` from the host).
    fn values(&self, name: Encoded<'a>) -> impl Iterator<Item = &'a str> + use<'a> {
        let is_host = name.eq_decoded("host");
        let host = is_host.then_some(self.host);
        let headers = if is_host { &[][..] } else { self.headers };
        host.into_iter().chain(
            headers
                .iter()
                .filter(move |(sent, _)| is_header(name, sent))
                .map(|&(_, value)| value),
        )
    }

    /// The first signed header the request does not carry.
    pub(crate) fn first_missing(&self) -> Option<Encoded<'a>> {
        self.names()
            .find(|&name| self.values(name).next().is_none())
    }

    /// Whether `host` is signed.
    pub(crate) fn signs_host(&self) -> bool {
        self.names().any(|name| name.eq_decoded("host"))
    }

    /// The first `x-amz-*` header sent that is not signed.
    pub(crate) fn first_unsigned_amz(&self) -> Option<&'a str> {
        self.headers.iter().map(|&(name, _)| name).find(|name| {
            name.as_bytes()
                .get(..6)
                .is_some_and(|prefix| prefix.eq_ignore_ascii_case(b"x-amz-"))
                && !self.names().any(|signed| is_header(signed, name))
        })
    }

    /// The payload hash of the canonical request: `UNSIGNED-PAYLOAD`, as S3 takes for a
    /// presigned request, unless `x-amz-content-sha256` is signed (and so sent): then its
    /// value.
    pub(crate) fn payload_hash(&self) -> &'a str {
        self.names()
            .find(|name| name.eq_decoded("x-amz-content-sha256"))
            .and_then(|name| self.values(name).next())
            .map_or(UNSIGNED_PAYLOAD, |value| value.trim_matches(' '))
    }

    /// Writes `name:value\n` per signed header (values trimmed, space runs collapsed,
    /// repeated headers joined with `,`), then `\n` and the signed header list.
    pub(crate) fn write(&self, out: &mut impl Sink) {
        for name in self.names() {
            put_decoded(name, out);
            out.put(":");
            for (n, value) in self.values(name).enumerate() {
                if n > 0 {
                    out.put(",");
                }
                put_header_value(value, out);
            }
            out.put("\n");
        }
        out.put("\n");
        for (n, name) in self.names().enumerate() {
            if n > 0 {
                out.put(";");
            }
            put_decoded(name, out);
        }
    }
}

/// Writes a signed header name decoded (its bytes are ASCII: checked when the URL was
/// read).
fn put_decoded(name: Encoded<'_>, out: &mut impl Sink) {
    match name.as_plain() {
        Some(plain) => out.put(plain),
        None => {
            for b in name.bytes() {
                out.put_bytes(&[b]);
            }
        }
    }
}

/// Everything the canonical request of a received request is made of.
pub(crate) struct CanonicalRequest<'a> {
    pub(crate) method: &'a str,
    pub(crate) path: &'a str,
    pub(crate) query: CanonicalQuery<'a>,
    pub(crate) headers: SignedHeaders<'a>,
    /// The payload hash the server takes (see [`SignedHeaders::payload_hash`]), or the
    /// SHA-256 of the body it received, for a service that signs the payload.
    pub(crate) payload: &'a str,
}

impl CanonicalRequest<'_> {
    /// Writes it: `method \n URI \n query \n headers \n signed headers \n payload hash`.
    pub(crate) fn write(&self, redact_token: bool, out: &mut impl Sink) {
        out.put(self.method);
        out.put("\n");
        write_canonical_path(self.path, out);
        out.put("\n");
        self.query.write(redact_token, out);
        out.put("\n");
        self.headers.write(out);
        out.put("\n");
        out.put(self.payload);
    }

    /// Its SHA-256. A typical canonical request is laid out in a stack buffer and hashed
    /// as one slice (the block function runs once over every block, as the presigner's
    /// in-place hash does); a longer one is streamed to the hasher.
    pub(crate) fn hash(&self) -> [u8; 32] {
        let mut buf = StackText {
            bytes: [0; HASH_BUFFER],
            len: 0,
            overflow: false,
        };
        self.write(false, &mut buf);
        if let (false, Some(text)) = (buf.overflow, buf.bytes.get(..buf.len)) {
            return crate::sha::digest(text);
        }
        let mut hasher = <sha2::Sha256 as sha2::Digest>::new();
        self.write(false, &mut hasher);
        sha2::Digest::finalize(hasher).into()
    }
}

/// The stack buffer a canonical request is hashed from when it fits.
const HASH_BUFFER: usize = 1024;

/// A sink into a fixed buffer that notes (rather than refuses) what does not fit.
struct StackText<const N: usize> {
    bytes: [u8; N],
    len: usize,
    overflow: bool,
}

impl<const N: usize> Sink for StackText<N> {
    fn put_bytes(&mut self, ascii: &[u8]) {
        match self.bytes.get_mut(self.len..self.len + ascii.len()) {
            Some(slot) if !self.overflow => {
                slot.copy_from_slice(ascii);
                self.len += ascii.len();
            }
            _ => self.overflow = true,
        }
    }
}

/// A request as the server received it.
///
/// `Debug` shows the target with the values of `X-Amz-Signature` and
/// `X-Amz-Security-Token` redacted.
///
/// ```
/// let request = presign::ReceivedRequest {
///     method: "PUT",
///     target: "/bucket/video.mp4?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=00",
///     host: "bucket.s3.us-east-1.amazonaws.com",
///     headers: &[("Content-Type", "video/mp4")],
/// };
/// assert!(format!("{request:?}").contains("X-Amz-Signature=<redacted>"));
/// ```
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct ReceivedRequest<'a> {
    /// The method of the request line, e.g. `GET` (compared as sent: methods are
    /// case-sensitive).
    pub method: &'a str,
    /// The request target of the request line, in origin form: the path and query as sent,
    /// still percent-encoded (`/bucket/my%20key?X-Amz-Algorithm=…`).
    pub target: &'a str,
    /// The value of the `Host` header (HTTP/2's `:authority`), with the port if one was
    /// sent: the value of the signed `host` header.
    pub host: &'a str,
    /// The other request headers, names in any case, repeated names as they came. A
    /// `host` among them is ignored ([`Self::host`] is the one used).
    pub headers: &'a [(&'a str, &'a str)],
}

impl fmt::Debug for ReceivedRequest<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReceivedRequest")
            .field("method", &self.method)
            .field("target", &crate::presigned::RedactedUrl(self.target))
            .field("host", &self.host)
            .field("headers", &self.headers)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::String;

    struct Text(String);
    impl Sink for Text {
        fn put_bytes(&mut self, ascii: &[u8]) {
            self.0.push_str(core::str::from_utf8(ascii).expect("ASCII"));
        }
    }

    fn written(f: impl FnOnce(&mut Text)) -> String {
        let mut out = Text(String::new());
        f(&mut out);
        out.0
    }

    fn query(text: &str) -> String {
        let mut scratch = ParamScratch::new();
        written(|out| {
            CanonicalQuery::new(text, &mut scratch)
                .expect("fits")
                .write(false, out);
        })
    }

    #[test]
    fn targets_must_be_origin_form_with_well_formed_escapes() {
        assert_eq!(split_target("/b/k?a=1"), Ok(("/b/k", Some("a=1"))));
        assert_eq!(split_target("/b/k"), Ok(("/b/k", None)));
        assert_eq!(split_target("/b/k?"), Ok(("/b/k", Some(""))));
        assert_eq!(split_target("b/k"), Err(TargetError::NotOriginForm));
        assert_eq!(split_target(""), Err(TargetError::NotOriginForm));
        assert_eq!(
            split_target("http://h/b/k"),
            Err(TargetError::NotOriginForm)
        );
        assert_eq!(
            split_target("/b/100%?a"),
            Err(TargetError::BadEscape { index: 6 })
        );
        assert_eq!(split_target("/b/k?a=%zz"), Ok(("/b/k", Some("a=%zz"))));
        assert_eq!(
            CanonicalQuery::new("a=%zz", &mut ParamScratch::new()).err(),
            Some(QueryError::BadEscape { index: 2 })
        );
        assert_eq!(
            CanonicalQuery::new("a=%41&b=%4", &mut ParamScratch::new()).err(),
            Some(QueryError::BadEscape { index: 8 })
        );
    }

    /// Equivalent spellings give one canonical path: escapes of unreserved bytes and of `/`
    /// become the byte, lower-case hex becomes upper-case, bare reserved bytes are escaped.
    #[test]
    fn path_is_decoded_then_encoded_once() {
        let path = |p: &str| written(|out| write_canonical_path(p, out));
        assert_eq!(path("/b/my%20key"), "/b/my%20key");
        assert_eq!(path("/b/%7Eme"), "/b/~me");
        assert_eq!(path("/b/%7eme"), "/b/~me");
        assert_eq!(path("/b/a%2fb"), "/b/a/b");
        assert_eq!(path("/b/a%2Fb"), "/b/a/b");
        assert_eq!(path("/b/%e2%82%ac"), "/b/%E2%82%AC");
        assert_eq!(path("/b/a+b!'()*"), "/b/a%2Bb%21%27%28%29%2A");
        assert_eq!(path("/b/é"), "/b/%C3%A9");
        assert_eq!(path("/b/a%41"), "/b/aA");
        assert_eq!(path("/b//a/./../c"), "/b//a/./../c", "never normalised");
        assert_eq!(path("/"), "/");
    }

    #[test]
    fn canonical_check_matches_rewriting() {
        for text in [
            "abc", "a%20b", "a%2Fb", "a%2fb", "a%7E", "~", "a b", "%C3%A9", "%c3%a9", "a/b", "",
            "%41",
        ] {
            for keep in [QUERY, PATH] {
                let rewritten = written(|out| {
                    encode::encode_iter(Encoded::new(text).bytes(), keep, out);
                });
                assert_eq!(is_canonical(text, keep), rewritten == text, "{text:?}");
            }
        }
    }

    /// The query is re-encoded per parameter and sorted by encoded name then value; the
    /// signature is left out, wherever it is and however its name is spelled.
    #[test]
    fn query_is_canonical_and_sorted() {
        assert_eq!(query("b=2&a=1"), "a=1&b=2");
        assert_eq!(query("a=2&a=1"), "a=1&a=2");
        assert_eq!(query("acl&a=1"), "a=1&acl=");
        assert_eq!(query("x=%7e&y=a+b&z=%2f"), "x=~&y=a%2Bb&z=%2F");
        assert_eq!(query("&&a=1&&"), "a=1");
        assert_eq!(query("X-Amz-Signature=00&a=1"), "a=1");
        assert_eq!(query("a=1&X-Amz-Signatur%65=00"), "a=1");
        assert_eq!(query("x-amz-signature=00"), "x-amz-signature=00");
        // Encoded order: `%` sorts below letters, so `a%20` (a space) before `aa`.
        assert_eq!(query("aa=1&a%20=2&a~=3"), "a%20=2&aa=1&a~=3");
        assert_eq!(query("a~=1&a%7E=0"), "a~=0&a~=1");
        assert_eq!(query(""), "");
        // The signature first, in the middle, last, alone.
        assert_eq!(query("X-Amz-Signature=0&a=1&b=2"), "a=1&b=2");
        assert_eq!(query("a=1&X-Amz-Signature=0&b=2"), "a=1&b=2");
        assert_eq!(query("a=1&b=2&X-Amz-Signature=0"), "a=1&b=2");
        assert_eq!(query("X-Amz-Signature=0"), "");
        assert_eq!(query("a=1&&b=2&X-Amz-Signature=0"), "a=1&b=2");
    }

    #[test]
    fn adjacent_plain_parameters_are_one_slice() {
        struct Count(usize, String);
        impl Sink for Count {
            fn put_bytes(&mut self, ascii: &[u8]) {
                self.0 += 1;
                self.1.push_str(core::str::from_utf8(ascii).expect("ASCII"));
            }
        }
        let mut out = Count(0, String::new());
        CanonicalQuery::new("a=1&b=2&c=3&X-Amz-Signature=ff", &mut ParamScratch::new())
            .expect("fits")
            .write(false, &mut out);
        assert_eq!((out.0, out.1.as_str()), (1, "a=1&b=2&c=3"));
    }

    #[test]
    fn token_is_redacted_only_when_asked() {
        let text = "X-Amz-Security-Token=abc%2B&a=1";
        let mut scratch = ParamScratch::new();
        let q = CanonicalQuery::new(text, &mut scratch).expect("fits");
        assert_eq!(
            written(|out| q.write(false, out)),
            "X-Amz-Security-Token=abc%2B&a=1"
        );
        assert_eq!(
            written(|out| q.write(true, out)),
            "X-Amz-Security-Token=<redacted>&a=1"
        );
    }

    #[test]
    fn many_parameters_sort_past_the_stack() {
        let mut text = String::new();
        for i in (0..2 * INLINE_PARAMS).rev() {
            core::fmt::Write::write_fmt(&mut text, format_args!("p{i:03}=v&")).expect("a String");
        }
        let mut scratch = ParamScratch::new();
        let q = CanonicalQuery::new(&text, &mut scratch);
        #[cfg(feature = "alloc")]
        {
            let out = written(|out| q.expect("heap").write(false, out));
            assert!(out.starts_with("p000=v&p001=v&"), "{out}");
        }
        #[cfg(not(feature = "alloc"))]
        assert_eq!(q.err(), Some(QueryError::TooManyParams));
    }

    #[test]
    fn headers_are_canonical_and_host_comes_from_the_host() {
        let headers = [
            ("Content-Type", "  video/mp4 "),
            ("X-Amz-Meta-A", "1"),
            ("host", "ignored"),
            ("x-amz-meta-a", "two  words"),
        ];
        let signed = SignedHeaders {
            names: Encoded::new("content-type%3Bhost%3Bx-amz-meta-a"),
            host: "h:9000",
            headers: &headers,
        };
        assert_eq!(
            written(|out| signed.write(out)),
            "content-type:video/mp4\nhost:h:9000\nx-amz-meta-a:1,two words\n\ncontent-type;host;x-amz-meta-a"
        );
        assert!(signed.signs_host());
        assert_eq!(signed.first_missing(), None);
        assert_eq!(signed.first_unsigned_amz(), None);
        assert_eq!(signed.payload_hash(), UNSIGNED_PAYLOAD);
        let fewer = SignedHeaders {
            names: Encoded::new("content-type;host;x-amz-date"),
            ..signed
        };
        assert!(
            fewer
                .first_missing()
                .is_some_and(|n| n.eq_decoded("x-amz-date"))
        );
        assert_eq!(fewer.first_unsigned_amz(), Some("X-Amz-Meta-A"));
    }

    #[test]
    fn payload_hash_is_the_signed_content_sha256() {
        let headers = [("X-Amz-Content-Sha256", " abc ")];
        let signed = SignedHeaders {
            names: Encoded::new("host;x-amz-content-sha256"),
            host: "h",
            headers: &headers,
        };
        assert_eq!(signed.payload_hash(), "abc");
        let unsigned = SignedHeaders {
            names: Encoded::new("host"),
            ..signed
        };
        assert_eq!(unsigned.payload_hash(), UNSIGNED_PAYLOAD);
    }
}
