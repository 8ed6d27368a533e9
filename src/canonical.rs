//! The canonical request and the string to sign (SigV4 steps 1 and 2), written into any
//! [`Sink`]: the SHA-256 hasher when signing, a `fmt::Write` when inspecting.
//!
//! The same writers produce the query of the emitted URL and the canonical query string, so
//! the two cannot drift apart.

use core::cmp::Ordering;

use crate::amz_date::AmzDate;
use crate::credentials::MAX_ACCESS_KEY_ID_LEN;
use crate::encode::{self, QUERY, Sink, cmp_encoded, is_unreserved};
use crate::endpoint::MAX_REGION_LEN;
use crate::inline_str::InlineStr;
use crate::{ContentType, Error};

/// Extra query parameters or headers the no-allocation core sorts on the stack.
pub(crate) const INLINE_MAX: usize = 32;

/// The last element of every credential scope.
const TERMINATOR: &str = "aws4_request";

/// Name-value pairs from two places (the signer's own, then the caller's), seen as one list.
#[derive(Clone, Copy)]
pub(crate) struct Pairs<'a> {
    head: [(&'a str, &'a str); 6],
    head_len: usize,
    tail: &'a [(&'a str, &'a str)],
}

impl<'a> Pairs<'a> {
    pub(crate) fn new(tail: &'a [(&'a str, &'a str)]) -> Self {
        Self {
            head: [("", ""); 6],
            head_len: 0,
            tail,
        }
    }

    /// Adds one of the signer's own pairs; at most six exist (the response overrides).
    pub(crate) fn push(&mut self, name: &'a str, value: &'a str) {
        if let Some(slot) = self.head.get_mut(self.head_len) {
            *slot = (name, value);
            self.head_len += 1;
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.head_len + self.tail.len()
    }

    pub(crate) fn get(&self, i: usize) -> (&'a str, &'a str) {
        if i < self.head_len {
            self.head[i]
        } else {
            self.tail[i - self.head_len]
        }
    }
}

/// A sorted permutation of `0..n`, on the stack when it fits.
pub(crate) enum Order {
    /// `0..n` as it is: the input was already in order.
    Identity(usize),
    Inline([u16; INLINE_MAX], usize),
    #[cfg(feature = "alloc")]
    Heap(alloc::vec::Vec<usize>),
}

impl Order {
    /// Sorts `0..n` by `cmp`, ties broken by position (so repeated header names keep the
    /// caller's order, which SigV4 requires when it joins their values).
    #[cfg_attr(
        feature = "alloc",
        allow(clippy::unnecessary_wraps, reason = "fails only without `alloc`")
    )]
    fn sorted(n: usize, mut cmp: impl FnMut(usize, usize) -> Ordering) -> Result<Self, Error> {
        let mut by = |a: usize, b: usize| cmp(a, b).then(a.cmp(&b));
        // Already in order (always so for the signer's own headers): nothing to store.
        if (1..n).all(|i| by(i - 1, i).is_lt()) {
            return Ok(Self::Identity(n));
        }
        if n <= INLINE_MAX {
            let mut idx = [0u16; INLINE_MAX];
            for (i, slot) in idx.iter_mut().enumerate().take(n) {
                *slot = i as u16;
            }
            idx[..n].sort_unstable_by(|&a, &b| by(usize::from(a), usize::from(b)));
            return Ok(Self::Inline(idx, n));
        }
        #[cfg(feature = "alloc")]
        {
            let mut idx: alloc::vec::Vec<usize> = (0..n).collect();
            idx.sort_unstable_by(|&a, &b| by(a, b));
            Ok(Self::Heap(idx))
        }
        #[cfg(not(feature = "alloc"))]
        {
            Err(Error::TooManyParameters { max: INLINE_MAX })
        }
    }

    fn as_slice_iter(&self) -> impl Iterator<Item = usize> + '_ {
        let (identity, inline, heap): (usize, &[u16], &[usize]) = match self {
            Self::Identity(n) => (*n, &[], &[]),
            Self::Inline(idx, n) => (0, &idx[..*n], &[]),
            #[cfg(feature = "alloc")]
            Self::Heap(idx) => (0, &[], idx),
        };
        (0..identity)
            .chain(inline.iter().map(|&i| usize::from(i)))
            .chain(heap.iter().copied())
    }
}

/// The query parameter names the signer sets itself, in SigV4 (byte) order, and the
/// signature, which is appended last.
const AUTH_NAMES: [&str; 6] = [
    "X-Amz-Algorithm",
    "X-Amz-Credential",
    "X-Amz-Date",
    "X-Amz-Expires",
    "X-Amz-Security-Token",
    "X-Amz-SignedHeaders",
];
const SIGNATURE_NAME: &str = "X-Amz-Signature";

/// Headers a presigned URL cannot usefully sign: clients, browsers and proxies set or
/// rewrite them per connection (so the signed value would not arrive), and `authorization`
/// would make the server look for header authentication instead of the query signature.
/// The AWS SDKs leave the same headers unsigned.
pub(crate) const UNSIGNABLE_HEADERS: &[&str] = &[
    "authorization",
    "connection",
    "expect",
    "transfer-encoding",
    "user-agent",
    "x-amzn-trace-id",
];

/// Extra query parameters, validated and in canonical order (by encoded name, then value).
pub(crate) struct QueryParams<'a> {
    pairs: Pairs<'a>,
    order: Order,
}

impl<'a> QueryParams<'a> {
    pub(crate) fn new(pairs: Pairs<'a>) -> Result<Self, Error> {
        for i in 0..pairs.len() {
            let (name, _) = pairs.get(i);
            if name.is_empty() {
                return Err(Error::Empty {
                    field: "query parameter name",
                });
            }
            let may_be_reserved = name
                .as_bytes()
                .get(..6)
                .is_some_and(|prefix| prefix.eq_ignore_ascii_case(b"x-amz-"));
            if may_be_reserved
                && let Some(reserved) = AUTH_NAMES
                    .iter()
                    .chain(core::iter::once(&SIGNATURE_NAME))
                    .find(|r| r.eq_ignore_ascii_case(name))
            {
                return Err(Error::ReservedQueryParameter { name: reserved });
            }
        }
        let order = Order::sorted(pairs.len(), |a, b| {
            let (an, av) = pairs.get(a);
            let (bn, bv) = pairs.get(b);
            cmp_encoded(an, bn).then_with(|| cmp_encoded(av, bv))
        })?;
        Ok(Self { pairs, order })
    }
}

/// The host a request goes to: the endpoint's host, behind the bucket and a `.` when the
/// URL is virtual-hosted. Kept in its parts, so no URL copies them into a string first.
#[derive(Clone, Copy)]
pub(crate) struct Host<'a> {
    pub(crate) bucket: Option<&'a str>,
    pub(crate) endpoint: &'a [u8],
}

impl Host<'_> {
    pub(crate) fn len(&self) -> usize {
        self.bucket.map_or(0, |bucket| bucket.len() + 1) + self.endpoint.len()
    }

    pub(crate) fn write(&self, out: &mut impl Sink) {
        if let Some(bucket) = self.bucket {
            out.put(bucket);
            out.put(".");
        }
        out.put_bytes(self.endpoint);
    }
}

/// The headers to sign, validated and in canonical order (by lower-case name).
#[expect(
    clippy::large_enum_variant,
    reason = "lives on the stack for one signing; boxing the list would allocate"
)]
pub(crate) enum Headers<'a> {
    /// Only the presigner's own: `content-type` (an upload bound to one) and `host`. Both
    /// are valid by construction and already in canonical order, which is the common case
    /// and needs no list at all.
    Own {
        content_type: Option<&'a ContentType>,
        host: Host<'a>,
    },
    /// A list with the caller's headers among them, validated and sorted.
    Listed { pairs: Pairs<'a>, order: Order },
}

impl<'a> Headers<'a> {
    /// Validates and sorts. `reserved` names may not appear among the caller's pairs.
    /// `unsignable` names are refused with [`Error::UnsignableHeader`].
    pub(crate) fn new(
        pairs: Pairs<'a>,
        reserved: &[&'static str],
        unsignable: &[&'static str],
    ) -> Result<Self, Error> {
        // The signer's own pairs (host, content type) are valid by construction.
        for &(name, value) in pairs.tail {
            check_header_name(name)?;
            check_header_value(value)?;
            if let Some(r) = reserved.iter().find(|r| r.eq_ignore_ascii_case(name)) {
                return Err(Error::ReservedHeader { name: r });
            }
            if let Some(u) = unsignable.iter().find(|u| u.eq_ignore_ascii_case(name)) {
                return Err(Error::UnsignableHeader { name: u });
            }
        }
        let order = Order::sorted(pairs.len(), |a, b| {
            let an = pairs.get(a).0.bytes().map(|c| c.to_ascii_lowercase());
            let bn = pairs.get(b).0.bytes().map(|c| c.to_ascii_lowercase());
            an.cmp(bn)
        })?;
        Ok(Self::Listed { pairs, order })
    }

    /// At least the length of the canonical headers plus the signed header list.
    pub(crate) fn tail_len_bound(&self) -> usize {
        match self {
            Self::Own { content_type, host } => {
                content_type.map_or(0, |value| value.len() + 2 * "content-type".len() + 3)
                    + host.len()
                    + 2 * "host".len()
                    + 3
            }
            Self::Listed { pairs, .. } => (0..pairs.len())
                .map(|i| {
                    let (name, value) = pairs.get(i);
                    2 * name.len() + value.len() + 3
                })
                .sum(),
        }
    }

    /// Groups of equal (case-insensitive) names in canonical order: `(name, first, count)`
    /// where `first` indexes the sorted order.
    fn groups<'s>(
        pairs: &'s Pairs<'a>,
        order: &'s Order,
    ) -> impl Iterator<Item = (&'a str, usize, usize)> + 's {
        let names = order.as_slice_iter().map(|i| pairs.get(i).0);
        let mut names = names.enumerate().peekable();
        core::iter::from_fn(move || {
            let (start, name) = names.next()?;
            let mut count = 1;
            while names
                .next_if(|(_, n)| n.eq_ignore_ascii_case(name))
                .is_some()
            {
                count += 1;
            }
            Some((name, start, count))
        })
    }

    /// `name:value\n` per header, repeated names joined with `,` in the caller's order.
    pub(crate) fn write_canonical(&self, out: &mut impl Sink) {
        let (pairs, order) = match self {
            Self::Own { content_type, host } => {
                if let Some(value) = content_type {
                    out.put("content-type:");
                    value.write_canonical(out);
                    out.put("\nhost:");
                } else {
                    out.put("host:");
                }
                host.write(out);
                out.put("\n");
                return;
            }
            Self::Listed { pairs, order } => (pairs, order),
        };
        let mut values = order.as_slice_iter().map(|i| pairs.get(i).1);
        for (name, _, count) in Self::groups(pairs, order) {
            put_lower(name, false, out);
            out.put(":");
            for n in 0..count {
                if n > 0 {
                    out.put(",");
                }
                put_header_value(values.next().unwrap_or_default(), out);
            }
            out.put("\n");
        }
    }

    /// The signed header list, `a;b;c`; `for_query` writes it query-encoded (`a%3Bb%3Bc`).
    pub(crate) fn write_signed(&self, for_query: bool, out: &mut impl Sink) {
        let (pairs, order) = match self {
            Self::Own { content_type, .. } => {
                out.put(match (content_type.is_some(), for_query) {
                    (true, true) => "content-type%3Bhost",
                    (true, false) => "content-type;host",
                    (false, _) => "host",
                });
                return;
            }
            Self::Listed { pairs, order } => (pairs, order),
        };
        for (n, (name, _, _)) in Self::groups(pairs, order).enumerate() {
            if n > 0 {
                out.put(if for_query { "%3B" } else { ";" });
            }
            put_lower(name, for_query, out);
        }
    }
}

/// Writes an ASCII header name in lower case, query-encoded when asked.
fn put_lower(name: &str, encoded: bool, out: &mut impl Sink) {
    let plain = name
        .bytes()
        .all(|b| !b.is_ascii_uppercase() && (!encoded || is_unreserved(b)));
    if plain {
        out.put(name);
        return;
    }
    for b in name.bytes() {
        let lower = b.to_ascii_lowercase();
        let text = [lower];
        let one = core::str::from_utf8(&text).unwrap_or_default();
        if encoded {
            encode::encode(one, QUERY, out);
        } else {
            out.put(one);
        }
    }
}

/// Writes a header value trimmed, with runs of spaces collapsed to one (SigV4 canonical form).
pub(crate) fn put_header_value(value: &str, out: &mut impl Sink) {
    let bytes = value.as_bytes();
    // Most values have no space at all, which one fast search settles.
    let canonical = !value.contains(' ')
        || (bytes.first() != Some(&b' ')
            && bytes.last() != Some(&b' ')
            && !bytes.windows(2).any(|w| w == b"  "));
    if canonical {
        out.put(value);
        return;
    }
    for (n, word) in value.split(' ').filter(|w| !w.is_empty()).enumerate() {
        if n > 0 {
            out.put(" ");
        }
        out.put(word);
    }
}

/// RFC 9110 `token` characters, the grammar of a header name.
pub(crate) fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

fn check_header_name(name: &str) -> Result<(), Error> {
    if name.is_empty() {
        return Err(Error::Empty {
            field: "header name",
        });
    }
    match name.bytes().position(|b| !is_tchar(b)) {
        Some(index) => Err(Error::InvalidCharacter {
            field: "header name",
            byte: name.as_bytes()[index],
            index,
            allowed: "RFC 9110 token characters (letters, digits, !#$%&'*+-.^_`|~)",
        }),
        None => Ok(()),
    }
}

/// Header values are limited to visible ASCII and spaces: CR/LF would split the request,
/// and tabs or non-ASCII bytes are canonicalised differently by different servers.
fn check_header_value(value: &str) -> Result<(), Error> {
    match value.bytes().position(|b| !(b' '..=b'~').contains(&b)) {
        Some(index) => Err(Error::InvalidCharacter {
            field: "header value",
            byte: value.as_bytes()[index],
            index,
            allowed: "visible ASCII and spaces",
        }),
        None => Ok(()),
    }
}

/// The longest string to sign: the algorithm line (17 bytes), the timestamp line (17),
/// the scope line with 64-byte region and service (8 + 1 + 64 + 1 + 64 + 1 + 12 + 1 = 152),
/// and 64 hex digits: 250, rounded up.
pub(crate) const STRING_TO_SIGN_MAX: usize = 256;

/// The parts of the credential scope that are fixed for a signer, rendered once: a
/// presigner keeps one for its lifetime, so no URL encodes the access key id again.
#[derive(Clone)]
pub(crate) struct Scope {
    /// The first three query parameters with placeholders for the dates:
    /// `X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=<access key id>%2F<YYYYMMDD>%2F
    /// <region>%2F<service>%2Faws4_request&X-Amz-Date=<YYYYMMDDTHHMMSSZ>`. A URL copies it
    /// whole and writes the two dates over the placeholders.
    query_lead: InlineStr<
        {
            ALGORITHM_PARAM.len()
                + 18
                + 3 * MAX_ACCESS_KEY_ID_LEN
                + 3
                + 8
                + 3 * (2 * MAX_REGION_LEN)
                + 48
                + 16
        },
    >,
    /// Where the scope date starts in `query_lead`.
    query_date_at: usize,
    /// The string to sign up to the canonical request hash, with placeholders for the
    /// dates: `AWS4-HMAC-SHA256\n<YYYYMMDDTHHMMSSZ>\n<YYYYMMDD>/<region>/<service>/aws4_request\n`.
    sign_lead: InlineStr<{ 17 + 17 + 8 + 2 * MAX_REGION_LEN + 32 }>,
}

/// The payload hash of every S3 presigned URL: the body is not known when the URL is made.
pub(crate) const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";

/// The first query parameter; no other parameter text is fixed.
const ALGORITHM_PARAM: &str = "X-Amz-Algorithm=AWS4-HMAC-SHA256";
/// What follows the credential scope in the query.
const DATE_PARAM_PREFIX: &str = "&X-Amz-Date=";
/// Placeholders for the scope date and the timestamp in the templates.
const DATE_PLACEHOLDER: &str = "00000000";
const TIMESTAMP_PLACEHOLDER: &str = "00000000T000000Z";
/// Where the timestamp and the scope date start in `Scope::sign_lead`.
const SIGN_TIMESTAMP_AT: usize = "AWS4-HMAC-SHA256\n".len();
const SIGN_DATE_AT: usize = SIGN_TIMESTAMP_AT + TIMESTAMP_PLACEHOLDER.len() + 1;

impl Scope {
    /// Renders the scope; `region` and `service` are already checked against the scope
    /// grammar, so every piece fits its buffer.
    pub(crate) fn new(access_key_id: &str, region: &str, service: &str) -> Self {
        let mut lead = InlineStr::empty();
        lead.put(ALGORITHM_PARAM);
        lead.put("&X-Amz-Credential=");
        encode::encode(access_key_id, QUERY, &mut lead);
        lead.put("%2F");
        let query_date_at = lead.as_bytes().len();
        lead.put(DATE_PLACEHOLDER);
        write_scope_tail(region, service, "%2F", &mut lead);
        lead.put(DATE_PARAM_PREFIX);
        lead.put(TIMESTAMP_PLACEHOLDER);
        let mut sign_lead = InlineStr::empty();
        sign_lead.put("AWS4-HMAC-SHA256\n");
        sign_lead.put(TIMESTAMP_PLACEHOLDER);
        sign_lead.put("\n");
        sign_lead.put(DATE_PLACEHOLDER);
        write_scope_tail(region, service, "/", &mut sign_lead);
        sign_lead.put("\n");
        Self {
            query_lead: lead,
            query_date_at,
            sign_lead,
        }
    }

    fn query(&self) -> &[u8] {
        self.query_lead.as_bytes()
    }

    /// Where the timestamp starts in `query_lead`.
    fn query_timestamp_at(&self) -> usize {
        self.query().len() - TIMESTAMP_PLACEHOLDER.len()
    }

    /// `X-Amz-Algorithm=AWS4-HMAC-SHA256`.
    fn algorithm_param(&self) -> &[u8] {
        &self.query()[..ALGORITHM_PARAM.len()]
    }

    /// `X-Amz-Credential=<access key id>%2F`.
    fn credential_head(&self) -> &[u8] {
        &self.query()[ALGORITHM_PARAM.len() + 1..self.query_date_at]
    }

    /// `%2F<region>%2F<service>%2Faws4_request`.
    fn credential_tail(&self) -> &[u8] {
        &self.query()[self.query_date_at + DATE_PLACEHOLDER.len()
            ..self.query_timestamp_at() - DATE_PARAM_PREFIX.len()]
    }
}

/// Writes `<sep>region<sep>service<sep>aws4_request`.
fn write_scope_tail(region: &str, service: &str, separator: &str, out: &mut impl Sink) {
    out.put(separator);
    encode::encode(region, QUERY, out);
    out.put(separator);
    encode::encode(service, QUERY, out);
    out.put(separator);
    out.put(TERMINATOR);
}

/// A session token as the query carries it.
#[derive(Clone, Copy)]
pub(crate) enum TokenParam<'a> {
    /// The raw token, encoded as it is written.
    Raw(&'a str),
    /// The token already query-encoded (a presigner encodes it once).
    #[cfg_attr(
        not(feature = "alloc"),
        expect(dead_code, reason = "session tokens need `alloc`")
    )]
    Encoded(&'a str),
}

/// Everything the signer puts in the query besides the caller's parameters.
pub(crate) struct AuthQuery<'a> {
    pub(crate) scope: &'a Scope,
    pub(crate) date: &'a AmzDate,
    pub(crate) expires_in: u32,
    /// A token that is part of the signature (`None` when absent or appended afterwards).
    pub(crate) session_token: Option<TokenParam<'a>>,
    pub(crate) headers: &'a Headers<'a>,
}

impl AuthQuery<'_> {
    /// Writes parameter `which` (an index of `AUTH_NAMES`), preceded by `&` unless `first`.
    fn write_param(&self, which: usize, first: bool, out: &mut impl Sink) {
        // Each name carries its leading `&`, so a parameter costs one write fewer.
        let mut name = |text: &'static str| out.put(if first { &text[1..] } else { text });
        match which {
            0 | 1 => {
                name("&");
                if which == 0 {
                    out.put_bytes(self.scope.algorithm_param());
                } else {
                    out.put_bytes(self.scope.credential_head());
                    out.put_bytes(self.date.date_bytes());
                    out.put_bytes(self.scope.credential_tail());
                }
            }
            2 => {
                name("&X-Amz-Date=");
                out.put_bytes(self.date.timestamp_bytes());
            }
            3 => {
                name("&X-Amz-Expires=");
                out.put_bytes(Decimal::new(self.expires_in).as_bytes());
            }
            4 => {
                name("&X-Amz-Security-Token=");
                match self.session_token {
                    Some(TokenParam::Raw(token)) => encode::encode(token, QUERY, out),
                    Some(TokenParam::Encoded(token)) => out.put(token),
                    None => {}
                }
            }
            _ => {
                name("&X-Amz-SignedHeaders=");
                self.headers.write_signed(true, out);
            }
        }
    }

    /// Writes the whole query, signer's and caller's parameters merged in canonical order,
    /// without the signature.
    pub(crate) fn write_query(&self, extra: &QueryParams<'_>, out: &mut impl Sink) {
        let mut auth = (0..AUTH_NAMES.len())
            .filter(|&i| i != 4 || self.session_token.is_some())
            .peekable();
        let mut first = true;
        for i in extra.order.as_slice_iter() {
            let (name, value) = extra.pairs.get(i);
            while let Some(a) = auth.next_if(|&a| cmp_encoded(name, AUTH_NAMES[a]).is_gt()) {
                self.write_param(a, first, out);
                first = false;
            }
            if !first {
                out.put("&");
            }
            first = false;
            encode::encode(name, QUERY, out);
            out.put("=");
            encode::encode(value, QUERY, out);
        }
        for a in auth {
            self.write_param(a, first, out);
            first = false;
        }
    }

    /// Writes the canonical request after its URI and query lines: the canonical headers,
    /// the signed header list and the payload hash.
    pub(crate) fn write_tail(&self, payload_hash: &str, out: &mut impl Sink) {
        self.headers.write_canonical(out);
        out.put("\n");
        self.headers.write_signed(false, out);
        out.put("\n");
        out.put(payload_hash);
    }

    /// Writes the string to sign for a canonical request whose SHA-256 is `hash`.
    pub(crate) fn write_string_to_sign(&self, hash: &[u8; 32], out: &mut impl Sink) {
        let lead = self.scope.sign_lead.as_bytes();
        out.put_bytes(&lead[..SIGN_TIMESTAMP_AT]);
        out.put_bytes(self.date.timestamp_bytes());
        out.put("\n");
        out.put_bytes(self.date.date_bytes());
        out.put_bytes(&lead[SIGN_DATE_AT + DATE_PLACEHOLDER.len()..]);
        encode::write_hex(hash, out);
    }

    /// The string to sign in a stack buffer: the template copied once, the dates and the
    /// hash written into it (fixed-size copies, no per-piece calls). Returns its length.
    pub(crate) fn string_to_sign_into(
        &self,
        hash: &[u8; 32],
        buf: &mut [u8; STRING_TO_SIGN_MAX],
    ) -> usize {
        let lead = self.scope.sign_lead.as_bytes();
        let len = lead.len() + 64;
        buf[..lead.len()].copy_from_slice(lead);
        buf[SIGN_TIMESTAMP_AT..SIGN_TIMESTAMP_AT + 16].copy_from_slice(self.date.timestamp_bytes());
        buf[SIGN_DATE_AT..SIGN_DATE_AT + 8].copy_from_slice(self.date.date_bytes());
        buf[lead.len()..len].copy_from_slice(encode::hex32(hash).as_bytes());
        len
    }

    /// Writes the query into a URL when there are no extra parameters: the scope's template
    /// copied once and the two dates written over its placeholders. The same bytes as
    /// [`Self::write_query`] writes.
    pub(crate) fn write_lone_query(&self, out: &mut impl crate::buffer::UrlOut) {
        let start = out.written().len();
        out.put_bytes(self.scope.query());
        out.replace_bytes(start + self.scope.query_date_at, self.date.date_bytes());
        out.replace_bytes(
            start + self.scope.query_timestamp_at(),
            self.date.timestamp_bytes(),
        );
        self.write_param(3, false, out);
        if self.session_token.is_some() {
            self.write_param(4, false, out);
        }
        self.write_param(5, false, out);
    }
}

/// Appends `&X-Amz-Signature=<hex>` to a written query.
pub(crate) fn write_signature_param(signature: &[u8; 32], out: &mut impl Sink) {
    out.put("&X-Amz-Signature=");
    encode::write_hex(signature, out);
}

/// A `u32` in decimal, without `core::fmt`.
pub(crate) struct Decimal {
    digits: [u8; 10],
    start: usize,
}

impl Decimal {
    pub(crate) fn new(mut n: u32) -> Self {
        let mut digits = [b'0'; 10];
        let mut start = digits.len();
        loop {
            start -= 1;
            digits[start] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        Self { digits, start }
    }

    pub(crate) fn as_bytes(&self) -> &[u8] {
        &self.digits[self.start..]
    }

    pub(crate) fn as_str(&self) -> &str {
        core::str::from_utf8(self.as_bytes()).unwrap_or_default()
    }
}
