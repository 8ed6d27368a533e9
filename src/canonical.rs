//! The canonical request and the string to sign (SigV4 steps 1 and 2), written into any
//! [`Sink`]: the SHA-256 hasher when signing, a `fmt::Write` when inspecting.
//!
//! The same writers produce the query of the emitted URL and the canonical query string, so
//! the two cannot drift apart.

use core::cmp::Ordering;

use crate::Error;
use crate::amz_date::AmzDate;
use crate::encode::{self, QUERY, Sink, cmp_encoded, is_unreserved};

/// Extra query parameters or headers the no-allocation core sorts on the stack.
pub(crate) const INLINE_MAX: usize = 32;

/// The SigV4 algorithm name, first line of the string to sign and `X-Amz-Algorithm`.
pub(crate) const ALGORITHM: &str = "AWS4-HMAC-SHA256";

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
enum Order {
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
        let (inline, heap): (&[u16], &[usize]) = match self {
            Self::Inline(idx, n) => (&idx[..*n], &[]),
            #[cfg(feature = "alloc")]
            Self::Heap(idx) => (&[], idx),
        };
        inline
            .iter()
            .map(|&i| usize::from(i))
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
            if let Some(reserved) = AUTH_NAMES
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

/// The headers to sign, validated and in canonical order (by lower-case name).
pub(crate) struct Headers<'a> {
    pairs: Pairs<'a>,
    order: Order,
}

impl<'a> Headers<'a> {
    /// Validates and sorts. `reserved` names may not appear among the caller's pairs.
    pub(crate) fn new(pairs: Pairs<'a>, reserved: &[&'static str]) -> Result<Self, Error> {
        for i in 0..pairs.len() {
            let (name, value) = pairs.get(i);
            check_header_name(name)?;
            check_header_value(value)?;
            if i >= pairs.head_len
                && let Some(r) = reserved.iter().find(|r| r.eq_ignore_ascii_case(name))
            {
                return Err(Error::ReservedHeader { name: r });
            }
        }
        let order = Order::sorted(pairs.len(), |a, b| {
            let an = pairs.get(a).0.bytes().map(|c| c.to_ascii_lowercase());
            let bn = pairs.get(b).0.bytes().map(|c| c.to_ascii_lowercase());
            an.cmp(bn)
        })?;
        Ok(Self { pairs, order })
    }

    /// Groups of equal (case-insensitive) names in canonical order: `(name, first, count)`
    /// where `first` indexes the sorted order.
    fn groups(&self) -> impl Iterator<Item = (&'a str, usize, usize)> + '_ {
        let names = self.order.as_slice_iter().map(|i| self.pairs.get(i).0);
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
        let mut values = self.order.as_slice_iter().map(|i| self.pairs.get(i).1);
        for (name, _, count) in self.groups() {
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
        for (n, (name, _, _)) in self.groups().enumerate() {
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
fn put_header_value(value: &str, out: &mut impl Sink) {
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

/// Everything the signer puts in the query besides the caller's parameters.
pub(crate) struct AuthQuery<'a> {
    pub(crate) access_key_id: &'a str,
    pub(crate) date: &'a AmzDate,
    pub(crate) region: &'a str,
    pub(crate) service: &'a str,
    pub(crate) expires_in: u32,
    /// A token that is part of the signature (`None` when absent or appended afterwards).
    pub(crate) session_token: Option<&'a str>,
    pub(crate) headers: &'a Headers<'a>,
}

impl AuthQuery<'_> {
    fn write_param(&self, which: usize, out: &mut impl Sink) {
        out.put(AUTH_NAMES[which]);
        out.put("=");
        match which {
            0 => out.put(ALGORITHM),
            1 => {
                encode::encode(self.access_key_id, QUERY, out);
                out.put("%2F");
                out.put(self.date.date());
                out.put("%2F");
                encode::encode(self.region, QUERY, out);
                out.put("%2F");
                encode::encode(self.service, QUERY, out);
                out.put("%2F");
                out.put(TERMINATOR);
            }
            2 => out.put(self.date.timestamp()),
            3 => out.put(Decimal::new(self.expires_in).as_str()),
            4 => encode::encode(self.session_token.unwrap_or_default(), QUERY, out),
            _ => self.headers.write_signed(true, out),
        }
    }

    /// Writes the whole query, signer's and caller's parameters merged in canonical order,
    /// without the signature.
    pub(crate) fn write_query(&self, extra: &QueryParams<'_>, out: &mut impl Sink) {
        let mut auth = (0..AUTH_NAMES.len())
            .filter(|&i| i != 4 || self.session_token.is_some())
            .peekable();
        let mut first = true;
        let mut separate = |out: &mut _| {
            if !first {
                Sink::put(out, "&");
            }
            first = false;
        };
        for i in extra.order.as_slice_iter() {
            let (name, value) = extra.pairs.get(i);
            while let Some(a) = auth.next_if(|&a| cmp_encoded(name, AUTH_NAMES[a]).is_gt()) {
                separate(out);
                self.write_param(a, out);
            }
            separate(out);
            encode::encode(name, QUERY, out);
            out.put("=");
            encode::encode(value, QUERY, out);
        }
        for a in auth {
            separate(out);
            self.write_param(a, out);
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
        out.put(ALGORITHM);
        out.put("\n");
        out.put(self.date.timestamp());
        out.put("\n");
        out.put(self.date.date());
        out.put("/");
        out.put(self.region);
        out.put("/");
        out.put(self.service);
        out.put("/");
        out.put(TERMINATOR);
        out.put("\n");
        encode::write_hex(hash, out);
    }
}

/// Appends `&X-Amz-Signature=<hex>` to a written query.
pub(crate) fn write_signature_param(signature: &[u8; 32], out: &mut impl Sink) {
    out.put("&");
    out.put(SIGNATURE_NAME);
    out.put("=");
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

    pub(crate) fn as_str(&self) -> &str {
        core::str::from_utf8(&self.digits[self.start..]).unwrap_or_default()
    }
}
