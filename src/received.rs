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
//!
//! The verifier first tries the reading of `minted_query`, which takes a query in the exact
//! shape signers mint by that shape; what it leaves is read here. A query that comes
//! canonical all the same is read in one pass: a vector scan that every byte is unreserved,
//! `&`, `=` or `%`, then a jump from separator to separator (found eight bytes at a time)
//! that checks each escape and the order of the pairs, and picks up the authentication
//! parameters on the way for the verifier. The
//! signed headers are written and checked in one pass too (host signed, none missing, the
//! payload hash). Any other query takes the general road above; both give the same
//! canonical request (`tests::one_pass_agrees_with_the_general_road`, and the
//! `verify_mutation` fuzz target, which checks the verifier against an independent model).

use core::cmp::Ordering;

use core::fmt;

use crate::canonical_request::UNSIGNED_PAYLOAD;
use crate::encode::{self, KeepSet, PATH, QUERY, QUERY_STRING, Scan, Sink};
use crate::headers::put_header_value;
use crate::inspect::{AuthParam, Encoded, Found, decode_at, find_either, first_bad_escape};

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
pub(crate) fn split_target(target: &str) -> Result<(ReceivedPath<'_>, Option<&str>), TargetError> {
    if !target.starts_with('/') {
        return Err(TargetError::NotOriginForm);
    }
    // `?` is ASCII: both splits fall on char boundaries.
    let (path, query) = match find_either(target.as_bytes(), b'?', b'?') {
        Some(at) => (target.get(..at).unwrap_or_default(), target.get(at + 1..)),
        None => (target, None),
    };
    // A canonical path has only well-formed escapes: the precise search is for the rest.
    let canonical = is_canonical(path, PATH);
    if let Some(index) = (!canonical).then(|| first_bad_escape(path)).flatten() {
        return Err(TargetError::BadEscape { index });
    }
    Ok((
        ReceivedPath {
            text: path,
            canonical,
        },
        query,
    ))
}

/// The path of a request target as received, and whether it is its own canonical URI
/// (settled once, when the target is split).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct ReceivedPath<'a> {
    pub(crate) text: &'a str,
    canonical: bool,
}

impl ReceivedPath<'_> {
    /// Writes the canonical URI (S3 rules: decoded, encoded once with `/` kept, never
    /// normalised).
    pub(crate) fn write(&self, out: &mut impl Sink) {
        if self.canonical {
            out.put(self.text);
        } else {
            encode::encode_iter(Encoded::new(self.text).bytes(), PATH, out);
        }
    }
}

/// Whether `text` is already in canonical form for `keep`: every byte kept by `keep`, or an
/// escape with upper-case hex digits of a byte `keep` does not keep.
#[inline]
fn is_canonical(text: &str, keep: &KeepSet) -> bool {
    let bytes = text.as_bytes();
    // One vector pass over the bytes; then, only if there is an escape, a jump from `%` to
    // `%` (their hex digits are kept bytes, so the first pass let them through).
    match keep.scan(bytes) {
        Scan {
            kept_or_percent: false,
            ..
        } => return false,
        Scan { percent: false, .. } => return true,
        Scan { percent: true, .. } => {}
    }
    let mut rest = bytes;
    while let Some(at) = find_either(rest, b'%', b'%') {
        match rest.get(at..) {
            Some([_, high, low, after @ ..]) => match (upper_hex(*high), upper_hex(*low)) {
                (Some(high), Some(low)) if !keep.keeps(high << 4 | low) => rest = after,
                _ => return false,
            },
            _ => return false,
        }
    }
    true
}

/// The value of an upper-case hex digit (a canonical escape has no lower-case one).
#[inline]
pub(crate) fn upper_hex(b: u8) -> Option<u8> {
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
    /// Runs of parameters, each canonical and in order, the runs in canonical order.
    Pieces(QueryPieces),
}

/// Up to four runs of whole parameters of a received query (as offsets into it), in the
/// order they make its canonical form, joined by `&`.
#[derive(Clone, Copy, Default)]
pub(crate) struct QueryPieces {
    runs: [(usize, usize); 4],
    count: usize,
}

impl QueryPieces {
    /// Adds the run at `start..end` after the others, as one run with the last when it
    /// follows that one in the query (one `&` between); `None` when a fifth run would be
    /// needed.
    pub(crate) fn push(&mut self, start: usize, end: usize) -> Option<()> {
        if let Some(last) = self.count.checked_sub(1).and_then(|i| self.runs.get_mut(i))
            && last.1 + 1 == start
        {
            last.1 = end;
            return Some(());
        }
        *self.runs.get_mut(self.count)? = (start, end);
        self.count += 1;
        Some(())
    }

    /// The runs, in order, as offsets into the query.
    fn runs(&self) -> &[(usize, usize)] {
        self.runs.get(..self.count).unwrap_or_default()
    }
}

/// The offsets of the `%`, `&` and `=` of a query, in order, when every byte of it is
/// unreserved or one of those three (as a [`QUERY_STRING`] scan finds).
///
/// Eight bytes at a time, with no branch per byte: among those bytes, the ones below `-`
/// are exactly `%` and `&`, and the one within `:` ..= `@` is `=`, so two range tests mark
/// them (additions whose carries stay inside each byte, every byte being ASCII). The marks
/// of 64 bytes are gathered into one word, whose set bits are then taken in turn.
struct Separators<'q> {
    /// The bytes not yet marked.
    rest: &'q [u8],
    /// The offset of `rest`.
    next: usize,
    /// The offset of the block `marks` is for.
    base: usize,
    /// One bit per separator of the block, not yet taken.
    marks: u64,
}

impl<'q> Separators<'q> {
    fn new(bytes: &'q [u8]) -> Self {
        Self {
            rest: bytes,
            next: 0,
            base: 0,
            marks: 0,
        }
    }

    /// The marks of a block of at most 64 bytes.
    #[inline]
    fn mark_block(block: &[u8]) -> u64 {
        let (words, tail) = block.as_chunks::<8>();
        // The tail padded with a byte that is no separator.
        let mut last = [b'a'; 8];
        last.get_mut(..tail.len())
            .unwrap_or_default()
            .copy_from_slice(tail);
        words
            .iter()
            .chain((!tail.is_empty()).then_some(&last))
            .enumerate()
            .fold(0, |marks, (i, word)| {
                marks | Self::mark_word(u64::from_le_bytes(*word)) << (8 * i)
            })
    }

    /// One bit per separator among eight ASCII bytes (bit `i` for byte `i`).
    #[inline]
    fn mark_word(word: u64) -> u64 {
        const LO: u64 = 0x0101_0101_0101_0101;
        const HI: u64 = 0x8080_8080_8080_8080;
        // The top bit of each byte that is at least `c`: no byte is above 0x7F, and
        // 0x7F + 0x80 - c stays within the byte for every `c` used here.
        let at_least = |c: u8| word.wrapping_add(LO * u64::from(0x80 - c)) & HI;
        let separators = (!at_least(b'-') & HI) | (at_least(b':') & !at_least(b'A'));
        // Gather the top bits: bit 8i + 7 lands on bit 56 + i.
        (separators >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56
    }
}

impl Iterator for Separators<'_> {
    type Item = usize;

    #[inline]
    fn next(&mut self) -> Option<usize> {
        while self.marks == 0 {
            if self.rest.is_empty() {
                return None;
            }
            let (block, rest) = self.rest.split_at(self.rest.len().min(64));
            self.marks = Self::mark_block(block);
            (self.base, self.next, self.rest) = (self.next, self.next + block.len(), rest);
        }
        let bit = self.marks.trailing_zeros() as usize;
        self.marks &= self.marks - 1;
        Some(self.base + bit)
    }
}

/// The parameters of a query read in the order sent, while they stay in canonical order.
struct SentOrder<'q> {
    /// The last parameter but the signature.
    previous: Option<(&'q str, &'q str)>,
    /// Where the signature is, once met.
    signature: Option<(usize, usize)>,
}

impl<'q> SentOrder<'q> {
    /// Takes the canonical pair `name=value` at `span`; `None` when it comes before the
    /// parameter it follows. Its value goes to `found` if it is an authentication
    /// parameter.
    fn admit(
        &mut self,
        span: core::ops::Range<usize>,
        name: &'q str,
        value: &'q str,
        found: &mut Found<'q>,
    ) -> Option<()> {
        // A canonical name has no escape of an unreserved byte, so it names an
        // authentication parameter only when spelled plainly.
        let param = AuthParam::from_name(name);
        if param == Some(AuthParam::Signature) {
            // A second one is left to the general road, which leaves every one out.
            if self.signature.replace((span.start, span.end)).is_some() {
                return None;
            }
        } else {
            // Canonical text is its own encoding: compared as it is.
            if let Some((before_name, before_value)) = self.previous {
                let order = cmp_bytes(before_name.as_bytes(), name.as_bytes())
                    .then_with(|| cmp_bytes(before_value.as_bytes(), value.as_bytes()));
                if order == Ordering::Greater {
                    return None;
                }
            }
            self.previous = Some((name, value));
        }
        if let Some(param) = param {
            found.record(param, Encoded::new(value));
        }
        Some(())
    }
}

/// `a` against `b` as `Ord for [u8]` compares them, eight bytes at a time and inline (the
/// names of a query differ within their first few bytes, and a `memcmp` call costs more).
#[inline]
pub(crate) fn cmp_bytes(a: &[u8], b: &[u8]) -> Ordering {
    let (a_words, _) = a.as_chunks::<8>();
    let (b_words, _) = b.as_chunks::<8>();
    for (x, y) in a_words.iter().zip(b_words) {
        if x != y {
            return u64::from_be_bytes(*x).cmp(&u64::from_be_bytes(*y));
        }
    }
    let same = 8 * a_words.len().min(b_words.len());
    let (a_rest, b_rest) = (
        a.get(same..).unwrap_or_default(),
        b.get(same..).unwrap_or_default(),
    );
    a_rest.iter().cmp(b_rest)
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

impl<'s> CanonicalQuery<'s> {
    /// Reads and orders the parameters of `query` and finds its authentication parameters,
    /// in one pass when the query comes canonical. Empty pairs (`&&`) are no parameters; a
    /// pair without `=` has an empty value. On success every escape of the query is
    /// well-formed (and `Found` says so).
    pub(crate) fn new<'q: 's>(
        query: &'q str,
        scratch: &'s mut ParamScratch,
    ) -> Result<(Self, Found<'q>), QueryError> {
        let mut found = Found::default();
        let order = if let Some(as_sent) = Self::canonical_as_sent(query, &mut found) {
            as_sent
        } else {
            if let Some(index) = first_bad_escape(query) {
                return Err(QueryError::BadEscape { index });
            }
            found = Found::default();
            let params: &'s mut ParamList = scratch
                .0
                .insert(ParamList::Inline([Param::default(); INLINE_PARAMS], 0));
            Self::sort_into(query, params, &mut found)?;
            let params: &'s ParamList = params;
            Order::Sorted(params.as_slice())
        };
        Ok((Self { query, order }, found.with_escapes_checked()))
    }

    /// The canonical form of a query already cut into `pieces`: runs of whole parameters,
    /// canonical, that written in this order with `&` between them are the canonical query
    /// (the minted reading finds them).
    pub(crate) fn from_pieces(query: &'s str, pieces: QueryPieces) -> Self {
        Self {
            query,
            order: Order::Pieces(pieces),
        }
    }

    /// When the query has no empty pair and every parameter but the signature is canonical
    /// as sent, has a `=`, and comes after the one before it in canonical order, the query
    /// is its own canonical form: then where the signature is. One pass, no storage; the
    /// authentication parameters go to `found` on the way.
    fn canonical_as_sent<'q>(query: &'q str, found: &mut Found<'q>) -> Option<Order<'static>> {
        let bytes = query.as_bytes();
        // One vector pass checks that every byte is unreserved, `&`, `=` or `%`; then one
        // jump from separator to separator checks each escape, that each pair has one
        // `=` (a second would be an unescaped byte of a value), and the order.
        if !QUERY_STRING.scan(bytes).kept_or_percent {
            return None;
        }
        let mut order = SentOrder {
            previous: None,
            signature: None,
        };
        let mut separators = Separators::new(bytes);
        let (mut start, mut eq) = (0, None);
        loop {
            let hit = separators.next();
            match hit.map(|i| (i, bytes.get(i))) {
                Some((i, Some(b'%'))) => {
                    // Its hex digits are no separators: the next hit is past them.
                    let escaped = bytes.get(i + 1..i + 3)?;
                    let (high, low) = (upper_hex(escaped[0])?, upper_hex(escaped[1])?);
                    if QUERY.keeps(high << 4 | low) {
                        return None;
                    }
                }
                Some((i, Some(b'='))) => {
                    if eq.replace(i).is_some() {
                        return None;
                    }
                }
                _ => {
                    let end = hit.unwrap_or(bytes.len());
                    let name = query.get(start..eq.take()?)?;
                    let value = query.get(start + name.len() + 1..end)?;
                    order.admit(start..end, name, value, found)?;
                    if hit.is_none() {
                        return Some(Order::AsSent {
                            signature: order.signature,
                        });
                    }
                    start = end + 1;
                }
            }
        }
    }

    /// The parameters but the signature, sorted into `params`; the authentication
    /// parameters go to `found`.
    fn sort_into<'q>(
        query: &'q str,
        params: &mut ParamList,
        found: &mut Found<'q>,
    ) -> Result<(), QueryError> {
        for (start, pair, which) in pairs(query) {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            if let Some(param) = which {
                found.record(param, Encoded::new(value));
            }
            if which == Some(AuthParam::Signature) {
                continue;
            }
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
            Order::Pieces(pieces) => write_pieces(query, pieces, redact_token, &mut w),
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

/// Writes the runs of `query` that `pieces` names, in order, with `&` between them; with
/// `redact_token`, pair by pair, the session token's value as `<redacted>` (a log line only).
fn write_pieces<S: Sink>(
    query: &str,
    pieces: &QueryPieces,
    redact_token: bool,
    w: &mut QueryWriter<'_, '_, S>,
) {
    for &(start, end) in pieces.runs() {
        let piece = query.get(start..end).unwrap_or_default();
        if !redact_token {
            w.separator();
            w.out.put(piece);
            continue;
        }
        for pair in piece.split('&') {
            w.separator();
            match pair.split_once('=') {
                Some((name, _)) if name == AuthParam::SecurityToken.name() => {
                    w.out.put(name);
                    w.out.put("=<redacted>");
                }
                _ => w.out.put(pair),
            }
        }
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
        Some(name) => eq_lowered(sent, name),
        None => signed
            .bytes()
            .eq(sent.bytes().map(|b| b.to_ascii_lowercase())),
    }
}

/// Whether the header name `sent`, its ASCII letters lower-cased, is `lower` (a name with no
/// upper-case letter): `sent.eq_ignore_ascii_case(lower)` for such a `lower`, eight bytes
/// at a time. Every received header is compared with the signed names this way.
#[inline]
pub(crate) fn eq_lowered(sent: &str, lower: &str) -> bool {
    eq_lowered_bytes(sent.as_bytes(), lower.as_bytes())
}

#[inline]
fn eq_lowered_bytes(sent: &[u8], lower: &[u8]) -> bool {
    if sent.len() != lower.len() {
        return false;
    }
    let (sent_words, _) = sent.as_chunks::<8>();
    let (lower_words, _) = lower.as_chunks::<8>();
    sent_words
        .iter()
        .zip(lower_words)
        .all(|(sent, lower)| lowered_word(u64::from_le_bytes(*sent)) == u64::from_le_bytes(*lower))
        && lowered_word(tail_word(sent)) == tail_word(lower)
}

/// The bytes of `bytes` after its last whole word, as a word (the first in the low byte),
/// zeros above them. Built from the last eight bytes when there are that many, with no
/// copy call.
#[inline]
fn tail_word(bytes: &[u8]) -> u64 {
    let tail = bytes.len() % 8;
    if tail == 0 {
        return 0;
    }
    match bytes.last_chunk::<8>() {
        Some(last) => u64::from_le_bytes(*last) >> (8 * (8 - tail)),
        None => bytes
            .iter()
            .rev()
            .fold(0, |word, &b| word << 8 | u64::from(b)),
    }
}

/// `word` with each byte that is an ASCII upper-case letter made lower-case (`| 0x20`).
#[inline]
fn lowered_word(word: u64) -> u64 {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    // On the low seven bits of each byte, the top bit of each that is at least `c` (no
    // carry leaves a byte: 0x7F + 0x80 - c fits); bytes above 0x7F are no letters.
    let low = word & !HI;
    let at_least = |c: u8| low.wrapping_add(LO * u64::from(0x80 - c)) & HI;
    let upper = at_least(b'A') & !at_least(b'Z' + 1) & !word;
    word | upper >> 2
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

    /// The first `x-amz-*` header sent that is not signed.
    pub(crate) fn first_unsigned_amz(&self) -> Option<&'a str> {
        self.headers.iter().map(|&(name, _)| name).find(|name| {
            name.as_bytes()
                .get(..6)
                .is_some_and(|prefix| prefix.eq_ignore_ascii_case(b"x-amz-"))
                && !self.names().any(|signed| is_header(signed, name))
        })
    }

    /// Writes `name:value\n` per signed header (values trimmed, space runs collapsed,
    /// repeated headers joined with `,`), then `\n` and the signed header list; and tells
    /// what it met on the way, so that one pass over the names serves the checks too.
    pub(crate) fn write(&self, out: &mut impl Sink) -> HeaderFacts<'a> {
        let mut facts = HeaderFacts {
            signs_host: false,
            first_missing: None,
            content_sha256: None,
        };
        // The names as they are split, for the list line: when every one is plain, the
        // list decoded is them with `;` between, with no second look at the escapes.
        let mut plain_names = [""; LISTED_NAMES];
        let mut listed = Some(0);
        for name in self.names() {
            let name = SignedName::new(name);
            if let Some(plain) = name.plain {
                out.put(plain);
                listed = listed.and_then(|count| {
                    *plain_names.get_mut(count)? = plain;
                    Some(count + 1)
                });
            } else {
                put_decoded(name.encoded, out);
                listed = None;
            }
            out.put(":");
            let is_host = name.is("host");
            facts.signs_host |= is_host;
            let mut values = self.values_of(name, is_host);
            match values.next() {
                Some(first) => {
                    put_header_value(first, out);
                    if facts.content_sha256.is_none() && name.is(CONTENT_SHA256) {
                        facts.content_sha256 = Some(first.trim_matches(' '));
                    }
                }
                None => {
                    facts.first_missing.get_or_insert(name.encoded);
                }
            }
            for value in values {
                out.put(",");
                put_header_value(value, out);
            }
            out.put("\n");
        }
        out.put("\n");
        match listed.and_then(|count| plain_names.get(..count)) {
            Some(names) => {
                for (i, name) in names.iter().enumerate() {
                    if i > 0 {
                        out.put(";");
                    }
                    out.put(name);
                }
            }
            // The list decoded is the names with `;` between them.
            None => put_decoded(self.names, out),
        }
        facts
    }

    /// The values sent for the signed header `name` (which is `host`, or not), in order:
    /// `host` from the host.
    fn values_of(
        &self,
        name: SignedName<'a>,
        is_host: bool,
    ) -> impl Iterator<Item = &'a str> + use<'a> {
        let host = is_host.then_some(self.host);
        let headers = if is_host { &[][..] } else { self.headers };
        host.into_iter().chain(
            headers
                .iter()
                .filter(move |(sent, _)| name.matches(sent))
                .map(|&(_, value)| value),
        )
    }
}

/// How many plain signed names [`SignedHeaders::write`] keeps for the list line (more
/// are written by decoding the list again).
const LISTED_NAMES: usize = 16;

/// A name from `X-Amz-SignedHeaders`, with its text when it has no escape (as every
/// signer writes it), found once for the several comparisons it takes part in.
#[derive(Clone, Copy)]
struct SignedName<'a> {
    encoded: Encoded<'a>,
    plain: Option<&'a str>,
}

impl<'a> SignedName<'a> {
    fn new(encoded: Encoded<'a>) -> Self {
        Self {
            encoded,
            plain: encoded.as_plain(),
        }
    }

    /// Whether it is `lower`, a lower-case name.
    fn is(&self, lower: &str) -> bool {
        match self.plain {
            Some(plain) => plain == lower,
            None => self.encoded.eq_decoded(lower),
        }
    }

    /// Whether the request header called `sent` (any letter case) is this one.
    fn matches(&self, sent: &str) -> bool {
        match self.plain {
            Some(plain) => eq_lowered(sent, plain),
            None => is_header(self.encoded, sent),
        }
    }
}

/// The signed header that carries the payload hash, when a client signs one.
const CONTENT_SHA256: &str = "x-amz-content-sha256";

/// What writing the signed headers found out about them.
#[derive(Clone, Copy, Debug)]
pub(crate) struct HeaderFacts<'a> {
    /// `host` is among them.
    pub(crate) signs_host: bool,
    /// The first one the request does not carry.
    pub(crate) first_missing: Option<Encoded<'a>>,
    /// The value of a signed `x-amz-content-sha256`, trimmed.
    pub(crate) content_sha256: Option<&'a str>,
}

/// Writes a signed header name (or the list of them) decoded: its bytes are ASCII, checked
/// when the URL was read. The plain runs between escapes go out as slices.
#[inline]
fn put_decoded(name: Encoded<'_>, out: &mut impl Sink) {
    let mut rest = name.as_encoded().as_bytes();
    while let Some(at) = find_either(rest, b'%', b'%') {
        let (run, escaped) = rest.split_at(at);
        out.put_bytes(run);
        // The escaped byte, or the `%` itself when it starts no escape.
        let (byte, width) = decode_at(escaped).unwrap_or((b'%', 1));
        out.put_bytes(&[byte]);
        rest = escaped.get(width..).unwrap_or_default();
    }
    out.put_bytes(rest);
}

/// Everything the canonical request of a received request is made of.
pub(crate) struct CanonicalRequest<'a, 's> {
    pub(crate) method: &'a str,
    pub(crate) path: ReceivedPath<'a>,
    /// Its parameters may be sorted in a scratch that lives shorter than the request.
    pub(crate) query: CanonicalQuery<'s>,
    pub(crate) headers: SignedHeaders<'a>,
    /// The SHA-256 of the body received, for a service that signs the payload; `None`
    /// takes what S3 takes for a presigned request: `UNSIGNED-PAYLOAD`, unless
    /// `x-amz-content-sha256` is signed (and so sent), and then its value.
    pub(crate) payload: Option<&'a str>,
}

impl<'a> CanonicalRequest<'a, '_> {
    /// Writes it: `method \n URI \n query \n headers \n signed headers \n payload hash`;
    /// and tells what writing the headers found.
    pub(crate) fn write(&self, redact_token: bool, out: &mut impl Sink) -> HeaderFacts<'a> {
        out.put(self.method);
        out.put("\n");
        self.path.write(out);
        out.put("\n");
        self.query.write(redact_token, out);
        out.put("\n");
        let facts = self.headers.write(out);
        out.put("\n");
        out.put(
            self.payload
                .or(facts.content_sha256)
                .unwrap_or(UNSIGNED_PAYLOAD),
        );
        facts
    }

    /// Its SHA-256, and what writing the headers found. A typical canonical request is laid
    /// out in a stack buffer and hashed as one slice (the block function runs once over
    /// every block, as the presigner's in-place hash does); a longer one is streamed to the
    /// hasher.
    pub(crate) fn hash(&self) -> ([u8; 32], HeaderFacts<'a>) {
        let mut buf = StackText {
            bytes: [0; HASH_BUFFER],
            len: 0,
            overflow: false,
        };
        let facts = self.write(false, &mut buf);
        if let (false, Some(text)) = (buf.overflow, buf.bytes.get(..buf.len)) {
            return (crate::sha::digest(text), facts);
        }
        let mut hasher = <sha2::Sha256 as sha2::Digest>::new();
        self.write(false, &mut hasher);
        (sha2::Digest::finalize(hasher).into(), facts)
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
        // Separators (`\n`, `:`, `&`) are most of the writes: one store, not a copy call.
        if let ([byte], Some(slot), false) = (ascii, self.bytes.get_mut(self.len), self.overflow) {
            *slot = *byte;
            self.len += 1;
            return;
        }
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
    use alloc::vec::Vec;

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
                .0
                .write(false, out);
        })
    }

    #[test]
    fn targets_must_be_origin_form_with_well_formed_escapes() {
        let split_target = |target| split_target(target).map(|(path, query)| (path.text, query));
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
        let path = |p: &str| {
            let (path, _) = split_target(p).expect("a target");
            written(|out| path.write(out))
        };
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

    /// Runs of a query are written in the order given, adjacent ones merged into one, and
    /// for a log line the session token's value is redacted in any run.
    #[test]
    fn query_pieces_are_written_in_order() {
        let query = "x-id=1&X-Amz-Date=2&X-Amz-Security-Token=t%2B&X-Amz-SignedHeaders=host";
        let run = |text: &str| {
            let start = query.find(text).expect("in the query");
            (start, start + text.len())
        };
        let mut pieces = QueryPieces::default();
        for text in [
            "X-Amz-Date=2",
            "X-Amz-Security-Token=t%2B",
            "X-Amz-SignedHeaders=host",
            "x-id=1",
        ] {
            let (start, end) = run(text);
            pieces.push(start, end).expect("fits");
        }
        // The three adjacent runs are one.
        assert_eq!(pieces.runs().len(), 2);
        let canonical = CanonicalQuery::from_pieces(query, pieces);
        assert_eq!(
            written(|out| canonical.write(false, out)),
            "X-Amz-Date=2&X-Amz-Security-Token=t%2B&X-Amz-SignedHeaders=host&x-id=1"
        );
        assert_eq!(
            written(|out| canonical.write(true, out)),
            "X-Amz-Date=2&X-Amz-Security-Token=<redacted>&X-Amz-SignedHeaders=host&x-id=1"
        );
        let mut full = QueryPieces::default();
        for i in 0..4 {
            full.push(10 * i, 10 * i + 5).expect("four fit");
        }
        assert!(full.push(50, 55).is_none(), "a fifth does not");
    }

    /// Header names compare as `eq_ignore_ascii_case` compares them with a lower-case name:
    /// every byte against every byte that is no upper-case letter, at each place of names
    /// of 1 to 17 bytes (a whole word, a tail, both).
    #[test]
    fn lowered_names_compare_as_the_standard_library_does() {
        let lower_bytes: Vec<u8> = (0..=u8::MAX).filter(|b| !b.is_ascii_uppercase()).collect();
        for len in 1..=17 {
            for at in [0, len / 2, len - 1] {
                for sent_byte in 0..=u8::MAX {
                    for &lower_byte in &lower_bytes {
                        let mut sent = alloc::vec![b'k'; len];
                        let mut lower = sent.clone();
                        sent[at] = sent_byte;
                        lower[at] = lower_byte;
                        assert_eq!(
                            eq_lowered_bytes(&sent, &lower),
                            sent.eq_ignore_ascii_case(&lower),
                            "{sent:?} {lower:?}"
                        );
                    }
                }
            }
        }
        assert!(eq_lowered("Content-TYPE", "content-type"));
        assert!(!eq_lowered("content-type", "content-typf"));
        assert!(!eq_lowered("host", "hos"));
    }

    /// The one-pass reading of a query that comes canonical writes what the general road
    /// (every pair re-encoded, then sorted) writes, and finds the same authentication
    /// parameters; a query it does not take is left to that road. Over generated queries
    /// of canonical and non-canonical pieces, in and out of order.
    #[test]
    fn one_pass_agrees_with_the_general_road() {
        let pieces = [
            "X-Amz-Algorithm=AWS4-HMAC-SHA256",
            "X-Amz-Credential=AK%2F20260101%2Fauto%2Fs3%2Faws4_request",
            "X-Amz-Date=20260101T000000Z",
            "X-Amz-Expires=60",
            "X-Amz-SignedHeaders=content-type%3Bhost",
            "X-Amz-Signature=ab",
            "X-Amz-Security-Token=t%2Bx",
            "x-id=GetObject",
            "a=",
            "a=%2F",
            "a=%2f",
            "a=~",
            "a=%7E",
            "b=1=2",
            "c",
            "",
            "d=%20",
            "d=+",
            "e=%E2%82%AC",
            "e=\u{e9}",
            "f=",
            "partNumber=3",
            "uploadId=Up%2Fload",
        ];
        let mut rng = crate::test_rng::XorShift(0x9E37_79B9_7F4A_7C15_u64);
        let mut next = |n: usize| rng.below(n);
        let mut taken = 0;
        for _ in 0..4000 {
            let count = 1 + next(7);
            let mut chosen: Vec<&str> = (0..count).map(|_| pieces[next(pieces.len())]).collect();
            if next(2) == 0 {
                chosen.sort_unstable();
            }
            let text = chosen.join("&");
            let mut found = Found::default();
            let Some(order) = CanonicalQuery::canonical_as_sent(&text, &mut found) else {
                continue;
            };
            taken += 1;
            let one_pass = CanonicalQuery {
                query: &text,
                order,
            };
            let mut params = ParamList::Inline([Param::default(); INLINE_PARAMS], 0);
            let mut general_found = Found::default();
            CanonicalQuery::sort_into(&text, &mut params, &mut general_found).expect("fits");
            let general = CanonicalQuery {
                query: &text,
                order: Order::Sorted(params.as_slice()),
            };
            for redact in [false, true] {
                assert_eq!(
                    written(|out| one_pass.write(redact, out)),
                    written(|out| general.write(redact, out)),
                    "{text}"
                );
            }
            assert_eq!(found, general_found, "{text}");
        }
        assert!(taken > 300, "only {taken} queries came canonical");
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
            .0
            .write(false, &mut out);
        assert_eq!((out.0, out.1.as_str()), (1, "a=1&b=2&c=3"));
    }

    /// The word-at-a-time marks find what a byte loop finds, at every length and offset
    /// around the 8- and 64-byte boundaries.
    #[test]
    fn separators_are_found_as_a_byte_loop_finds_them() {
        let alphabet = b"aZ09-._~%&=";
        for len in 0..200 {
            for shift in 0..3 {
                let text: Vec<u8> = (0..len)
                    .map(|i| alphabet[(i * 7 + shift + i / 5) % alphabet.len()])
                    .collect();
                let expected: Vec<usize> = (0..len)
                    .filter(|&i| matches!(text[i], b'%' | b'&' | b'='))
                    .collect();
                assert_eq!(
                    Separators::new(&text).collect::<Vec<_>>(),
                    expected,
                    "{len} {shift}"
                );
            }
        }
    }

    #[test]
    fn the_canonical_pass_finds_what_inspection_finds() {
        for text in [
            // Canonical as sent, the signature last or first, a token, an extra parameter.
            "X-Amz-Algorithm=A&X-Amz-Credential=c%2Fd&X-Amz-Date=d&x-id=GetObject&X-Amz-Signature=ff",
            "X-Amz-Signature=ff&X-Amz-Algorithm=A&X-Amz-Security-Token=t%2B",
            // Not canonical: unsorted, escaped names, lower-case escapes, no `=`, `&&`.
            "X-Amz-Date=d&X-Amz-Algorithm=A",
            "X-Amz-Dat%65=d&X-Amz-Date=e&X%2DAmz-Signature=%61b",
            "X-Amz-Credential=c%2fd&X-Amz-SignedHeaders&&X-Amz-Expires=1=2",
            // Repeats, the first in query order reported.
            "X-Amz-Expires=1&X-Amz-Date=d&X-Amz-Expires=2&X-Amz-Date=e",
        ] {
            let mut scratch = ParamScratch::new();
            let (_, found) = CanonicalQuery::new(text, &mut scratch).expect("well-formed");
            assert_eq!(found, Found::scan(text).with_escapes_checked(), "{text}");
        }
    }

    #[test]
    fn token_is_redacted_only_when_asked() {
        let text = "X-Amz-Security-Token=abc%2B&a=1";
        let mut scratch = ParamScratch::new();
        let (q, _) = CanonicalQuery::new(text, &mut scratch).expect("fits");
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
            let out = written(|out| q.expect("heap").0.write(false, out));
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
        let mut facts = None;
        assert_eq!(
            written(|out| facts = Some(signed.write(out))),
            "content-type:video/mp4\nhost:h:9000\nx-amz-meta-a:1,two words\n\ncontent-type;host;x-amz-meta-a"
        );
        let facts = facts.expect("written");
        assert!(facts.signs_host);
        assert_eq!(facts.first_missing, None);
        assert_eq!(facts.content_sha256, None);
        assert_eq!(signed.first_unsigned_amz(), None);
        let fewer = SignedHeaders {
            names: Encoded::new("content-type;x-amz-date;x%2Damz-meta-a"),
            ..signed
        };
        let mut facts = None;
        assert_eq!(
            written(|out| facts = Some(fewer.write(out))),
            "content-type:video/mp4\nx-amz-date:\nx-amz-meta-a:1,two words\n\ncontent-type;x-amz-date;x-amz-meta-a"
        );
        let facts = facts.expect("written");
        assert!(!facts.signs_host);
        assert!(
            facts
                .first_missing
                .is_some_and(|n| n.eq_decoded("x-amz-date"))
        );
        let fewer = SignedHeaders {
            names: Encoded::new("content-type;host"),
            ..signed
        };
        assert_eq!(fewer.first_unsigned_amz(), Some("X-Amz-Meta-A"));
    }

    #[test]
    fn payload_hash_is_the_signed_content_sha256() {
        let headers = [
            ("X-Amz-Content-Sha256", " abc "),
            ("x-amz-content-sha256", "def"),
        ];
        let signed = SignedHeaders {
            names: Encoded::new("host;x-amz-content-sha256"),
            host: "h",
            headers: &headers,
        };
        let payload = |headers, payload| {
            let mut scratch = ParamScratch::new();
            let request = CanonicalRequest {
                method: "GET",
                path: split_target("/").expect("a target").0,
                query: CanonicalQuery::new("a=b", &mut scratch)
                    .expect("canonical")
                    .0,
                headers,
                payload,
            };
            let text = written(|out| {
                request.write(false, out);
            });
            text.rsplit('\n')
                .next()
                .map(String::from)
                .expect("a last line")
        };
        // The first value sent, trimmed, as S3 reads it; one given by the caller wins.
        assert_eq!(payload(signed, None), "abc");
        assert_eq!(payload(signed, Some("e3b0")), "e3b0");
        let unsigned = SignedHeaders {
            names: Encoded::new("host"),
            ..signed
        };
        assert_eq!(payload(unsigned, None), UNSIGNED_PAYLOAD);
    }
}
