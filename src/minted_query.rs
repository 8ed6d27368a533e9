//! A presigned query in the shapes signers mint it, read by that shape: the verifier's
//! fast road.
//!
//! Every signer (this crate, botocore, aws-sigv4, rusty-s3) writes the authentication
//! parameters in canonical order and in one spelling (the credential's `/` as `%2F`, the
//! signed-header list's `;` as `%3B`, digits as digits), every value canonical, and the
//! signature after them. They differ in where two things go: the session token (in its
//! sorted place, after the signed headers, or after the signature) and an operation's own
//! parameters such as `partNumber` and `uploadId` (after the authentication parameters, or
//! before them). [`MintedQuery::read`] reads each of these layouts front to back: each
//! authentication parameter is recognised by its name and `=` in one comparison, and its
//! value is parsed by its own grammar, which settles in the same step that the value is
//! canonical (an algorithm equal to `AWS4-HMAC-SHA256`, a date that `AmzDate::parse` takes,
//! a credential of unreserved parts between `%2F`s). Only the parts that are free text (an
//! access key id, a token, any other parameter) are checked byte by byte. The canonical
//! query is then up to four runs of the query as received ([`QueryPieces`]): the
//! authentication parameters, the token moved to its place, the other parameters from
//! wherever they stood; for this crate's and rusty-s3's URLs it is one run, the query less
//! its signature.
//!
//! A query of any other shape, or with any value the general reading would refuse, is
//! `None`: the verifier then reads it the general way ([`CanonicalQuery::new`] and
//! [`PresignedUrl::from_found`]), which accepts every query this one does and gives it the
//! same canonical form and the same values (`tests::the_shape_agrees_with_the_general_road`,
//! and the `verify_mutation` fuzz target through the whole verifier). The general road also
//! gives every rejection its precise reason; this one never rejects.
//!
//! [`CanonicalQuery::new`]: crate::received::CanonicalQuery::new
//! [`PresignedUrl::from_found`]: crate::inspect::PresignedUrl::from_found
//! [`QueryPieces`]: crate::received::QueryPieces

use core::cmp::Ordering;

use crate::amz_date::AmzDate;
use crate::encode::QUERY;
use crate::inspect::{AuthValues, Encoded, MAX_EXPIRES_SECS, decode_lower_hex};
use crate::received::{QueryPieces, cmp_bytes, upper_hex};
use crate::scope::{ALGORITHM, TERMINATOR};

/// What comes before a session token's value.
const TOKEN_START: &[u8] = b"&X-Amz-Security-Token=";
/// The credential parts' separator as signers write it.
const SLASH: &[u8] = b"%2F";
/// The signed-header list's separator as signers write it.
const SEMICOLON: &[u8] = b"%3B";
/// The number of digits of the longest lifetime SigV4 accepts (604800 seconds).
const MAX_EXPIRES_DIGITS: usize = 6;

/// A query in the minted shape: the runs of it that make its canonical form, and its
/// authentication values.
#[derive(Clone, Copy)]
pub(crate) struct MintedQuery<'q> {
    pub(crate) pieces: QueryPieces,
    pub(crate) values: AuthValues<'q>,
}

/// Where other parameters may stand in a minted query, and the order they keep there.
struct Others<'q> {
    /// Each name is strictly after this one (an authentication parameter's, so that none
    /// repeats it) ...
    after: &'q [u8],
    /// ... and strictly before this one (none when empty).
    before: &'q [u8],
    /// The last pair taken: the next comes after it in canonical order.
    previous: Option<(&'q [u8], &'q [u8])>,
    /// Where the first pair starts and the last ends, once there is one.
    span: Option<(usize, usize)>,
}

impl<'q> Others<'q> {
    fn new(after: &'q [u8], before: &'q [u8]) -> Self {
        Self {
            after,
            before,
            previous: None,
            span: None,
        }
    }

    /// Steps `cursor` over the pair `name=value` that comes next, if it may stand here.
    /// The name is weighed before the value is read, so a pair out of place costs little.
    fn take(&mut self, cursor: &mut Cursor<'q>) -> Option<()> {
        let start = cursor.at;
        let rest = cursor.rest();
        let name = rest.get(..canonical_run(rest)?)?;
        let after = self
            .previous
            .map_or(self.after, |(name_before, _)| name_before);
        let placed = match cmp_bytes(after, name) {
            Ordering::Less => true,
            // The same name again: ordered by value (never an authentication one's).
            Ordering::Equal => self.previous.is_some(),
            Ordering::Greater => false,
        };
        let below = self.before.is_empty() || cmp_bytes(name, self.before) == Ordering::Less;
        (placed && below).then_some(())?;
        let value = rest.get(name.len()..)?.strip_prefix(b"=")?;
        let value = value.get(..canonical_run(value)?)?;
        if let Some((name_before, value_before)) = self.previous
            && name_before == name
            && cmp_bytes(value_before, value) == Ordering::Greater
        {
            return None;
        }
        cursor.at += name.len() + 1 + value.len();
        self.previous = Some((name, value));
        self.span = Some((self.span.map_or(start, |(first, _)| first), cursor.at));
        Some(())
    }
}

impl<'q> MintedQuery<'q> {
    /// Reads `query` if it is in a shape signers mint:
    /// - the authentication parameters in canonical order (`X-Amz-Algorithm`,
    ///   `-Credential`, `-Date`, `-Expires`, an optional `-Security-Token`,
    ///   `-SignedHeaders`), each once, in the spellings above and valid, then
    ///   `X-Amz-Signature`;
    /// - the session token in its place, or after the signed headers (botocore), or last,
    ///   after the signature (aws-sigv4);
    /// - other parameters, canonical and in canonical order, between the algorithm and the
    ///   credential (where `X-Amz-Content-Sha256` and `X-Amz-Checksum-*` sort), and either
    ///   after the signed headers (this crate, rusty-s3) or first of all (botocore and
    ///   aws-sigv4 put an operation's `partNumber`, `uploadId`, `uploads` there), when
    ///   they sort after every authentication parameter.
    ///
    /// `None` otherwise, for the general road.
    pub(crate) fn read(query: &'q str) -> Option<Self> {
        let mut cursor = Cursor { text: query, at: 0 };
        // Other parameters first: each followed by `&`.
        let mut leading = Others::new(b"X-Amz-SignedHeaders", b"");
        while !cursor.rest().starts_with(b"X-Amz-Algorithm=") {
            leading.take(&mut cursor)?;
            cursor.expect(b"&")?;
        }
        // The layout is the order itself: each authentication parameter comes after the
        // one before it, so only the other parameters need comparing.
        let auth_start = cursor.at;
        let head = Head::read(&mut cursor)?;
        let expires_end = cursor.at;
        let mut session_token = None;
        if cursor.rest().starts_with(TOKEN_START) {
            session_token = Some(cursor.token()?);
        }
        cursor.expect(b"&")?;
        let list_start = cursor.at;
        cursor.expect(b"X-Amz-SignedHeaders=")?;
        let signed_headers = Encoded::new(cursor.header_list()?);
        let list = (list_start, cursor.at);
        // botocore's place for the token.
        let mut moved_token = None;
        if session_token.is_none() && cursor.rest().starts_with(TOKEN_START) {
            moved_token = Some(cursor.moved_token()?);
        }
        let mut trailing = Others::new(b"X-Amz-SignedHeaders", b"");
        while !cursor.rest().starts_with(b"&X-Amz-Signature=") {
            cursor.expect(b"&")?;
            trailing.take(&mut cursor)?;
        }
        cursor.expect(b"&X-Amz-Signature=")?;
        let signature = decode_lower_hex(cursor.rest().first_chunk::<64>()?)?;
        cursor.at += 64;
        // aws-sigv4's place for the token.
        if session_token.is_none()
            && moved_token.is_none()
            && cursor.rest().starts_with(TOKEN_START)
        {
            moved_token = Some(cursor.moved_token()?);
        }
        if !cursor.rest().is_empty() {
            return None;
        }
        // The canonical query: the authentication parameters (the token moved to its
        // place), then the other parameters from wherever they stood.
        let mut pieces = QueryPieces::default();
        if let Some((token, (start, end))) = moved_token {
            session_token = Some(token);
            pieces.push(auth_start, expires_end)?;
            pieces.push(start, end)?;
            pieces.push(list.0, list.1)?;
        } else {
            pieces.push(auth_start, list.1)?;
        }
        match (leading.span, trailing.span) {
            (Some(_), Some(_)) => return None,
            (Some((start, end)), None) | (None, Some((start, end))) => pieces.push(start, end)?,
            (None, None) => {}
        }
        let values = head.values(signed_headers, signature, session_token);
        Some(Self { pieces, values })
    }
}

/// The authentication parameters from `X-Amz-Algorithm` to `X-Amz-Expires`.
struct Head<'q> {
    credential: &'q str,
    /// The access key id, region and service.
    scope: [&'q str; 3],
    date: AmzDate,
    lifetime_secs: u32,
}

impl<'q> Head<'q> {
    /// Reads them at `cursor`: `X-Amz-Algorithm`, other parameters that sort before the
    /// credential, `X-Amz-Credential` (its scope date the signing day), `X-Amz-Date` and
    /// `X-Amz-Expires`.
    fn read(cursor: &mut Cursor<'q>) -> Option<Self> {
        cursor.expect(b"X-Amz-Algorithm=")?;
        cursor.expect(ALGORITHM.as_bytes())?;
        let mut between = Others::new(b"X-Amz-Algorithm", b"X-Amz-Credential");
        while !cursor.rest().starts_with(b"&X-Amz-Credential=") {
            cursor.expect(b"&")?;
            between.take(cursor)?;
        }
        cursor.expect(b"&X-Amz-Credential=")?;
        let (credential, [access_key_id, scope_date, region, service]) = cursor.credential()?;
        cursor.expect(b"&X-Amz-Date=")?;
        let date = AmzDate::parse(*cursor.rest().first_chunk::<16>()?)?;
        cursor.at += 16;
        if scope_date.as_bytes() != date.date_bytes() {
            return None;
        }
        cursor.expect(b"&X-Amz-Expires=")?;
        let lifetime_secs = cursor.expires()?;
        Some(Self {
            credential,
            scope: [access_key_id, region, service],
            date,
            lifetime_secs,
        })
    }

    /// All the authentication values, with the ones read after these.
    fn values(
        self,
        signed_headers: Encoded<'q>,
        signature: [u8; 32],
        session_token: Option<Encoded<'q>>,
    ) -> AuthValues<'q> {
        let [access_key_id, region, service] = self.scope.map(Encoded::new);
        AuthValues {
            credential: Encoded::new(self.credential),
            access_key_id,
            region,
            service,
            date: self.date,
            lifetime_secs: self.lifetime_secs,
            signed_headers,
            signature,
            session_token,
        }
    }
}

/// A place in the query.
struct Cursor<'q> {
    text: &'q str,
    at: usize,
}

impl<'q> Cursor<'q> {
    /// The bytes from here on.
    fn rest(&self) -> &'q [u8] {
        self.text.as_bytes().get(self.at..).unwrap_or_default()
    }

    /// Steps over `expected` if it comes next.
    fn eat(&mut self, expected: &[u8]) -> bool {
        let next = self.rest().starts_with(expected);
        if next {
            self.at += expected.len();
        }
        next
    }

    /// Steps over `expected`, which must come next.
    fn expect(&mut self, expected: &[u8]) -> Option<()> {
        self.eat(expected).then_some(())
    }

    /// The next `len` bytes, stepped over.
    fn take(&mut self, len: usize) -> Option<&'q str> {
        let text = self.text.get(self.at..self.at + len)?;
        self.at += len;
        Some(text)
    }

    /// A session token out of its sorted place (`&X-Amz-Security-Token=` comes next): the
    /// token and where its pair (less the `&`) starts and ends.
    fn moved_token(&mut self) -> Option<(Encoded<'q>, (usize, usize))> {
        let start = self.at + 1;
        let token = self.token()?;
        Some((token, (start, self.at)))
    }

    /// `&X-Amz-Security-Token=` (which comes next) and its value, canonical and not empty:
    /// the token, stepped over.
    fn token(&mut self) -> Option<Encoded<'q>> {
        self.expect(TOKEN_START)?;
        let len = canonical_run(self.rest())?;
        let token = self.take(len).filter(|token| !token.is_empty())?;
        Some(Encoded::new(token))
    }

    /// `X-Amz-Credential`'s value: the whole, and its access key id, scope date, region and
    /// service, four non-empty runs of unreserved bytes each followed by `%2F`, then
    /// `aws4_request`.
    fn credential(&mut self) -> Option<(&'q str, [&'q str; 4])> {
        let start = self.at;
        let mut parts = [""; 4];
        for part in &mut parts {
            let len = unreserved_run(self.rest());
            *part = self.take(len).filter(|part| !part.is_empty())?;
            self.expect(SLASH)?;
        }
        self.expect(TERMINATOR.as_bytes())?;
        Some((self.text.get(start..self.at)?, parts))
    }

    /// `X-Amz-Expires`'s value: 1 ..= 6 digits, within 1 ..= 604800 seconds.
    fn expires(&mut self) -> Option<u32> {
        let (len, secs) = read_expires(self.rest())?;
        self.at += len;
        Some(secs)
    }

    /// `X-Amz-SignedHeaders`'s value: non-empty names of lower-case letters, digits, `-`,
    /// `.`, `_` and `~` (the header-name bytes a canonical query keeps unescaped) separated
    /// by `%3B`.
    fn header_list(&mut self) -> Option<&'q str> {
        let start = self.at;
        loop {
            let len = self
                .rest()
                .iter()
                .take_while(|&&b| QUERY.keeps(b) && !b.is_ascii_uppercase())
                .count();
            if len == 0 {
                return None;
            }
            self.at += len;
            if !self.eat(SEMICOLON) {
                return self.text.get(start..self.at);
            }
        }
    }
}

/// The length and value of the lifetime at the start of `value`: 1 ..= 6 digits, within
/// 1 ..= 604800 seconds.
fn read_expires(value: &[u8]) -> Option<(usize, u32)> {
    let len = value
        .iter()
        .take(MAX_EXPIRES_DIGITS + 1)
        .take_while(|b| b.is_ascii_digit())
        .count();
    if !(1..=MAX_EXPIRES_DIGITS).contains(&len) {
        return None;
    }
    let secs = value
        .get(..len)?
        .iter()
        .fold(0, |n, &d| n * 10 + u32::from(d - b'0'));
    (1..=MAX_EXPIRES_SECS)
        .contains(&u64::from(secs))
        .then_some((len, secs))
}

/// The length of the run of unreserved bytes at the start of `bytes`.
#[inline]
fn unreserved_run(bytes: &[u8]) -> usize {
    bytes
        .iter()
        .position(|&b| !QUERY.keeps(b))
        .unwrap_or(bytes.len())
}

/// The length of the canonical text at the start of `bytes` (unreserved bytes, and escapes
/// with upper-case hex digits of bytes that are not unreserved), up to the first byte that
/// is neither; `None` at an escape that is malformed or not canonical.
fn canonical_run(bytes: &[u8]) -> Option<usize> {
    let mut at = 0;
    loop {
        at += unreserved_run(bytes.get(at..)?);
        match bytes.get(at..)? {
            [b'%', high, low, ..] => {
                let byte = upper_hex(*high)? << 4 | upper_hex(*low)?;
                if QUERY.keeps(byte) {
                    return None;
                }
                at += 3;
            }
            [b'%', ..] => return None,
            _ => return Some(at),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "AKIAIOSFODNN7EXAMPLE";
    const SIGNATURE: &str = "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";

    /// The query of the S3 documentation's presigned GET example.
    fn documented(extra: &str) -> String {
        format!(
            "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential={ID}%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host{extra}&X-Amz-Signature={SIGNATURE}"
        )
    }

    use crate::encode::Sink;
    use crate::inspect::{AuthParam, PresignedUrl};
    use crate::received::{CanonicalQuery, ParamScratch};
    use alloc::format;
    use alloc::string::String;
    use alloc::vec::Vec;

    struct Text(String);
    impl Sink for Text {
        fn put_bytes(&mut self, ascii: &[u8]) {
            self.0.push_str(core::str::from_utf8(ascii).expect("ASCII"));
        }
    }

    /// What a URL's reading gives, accessor by accessor, for comparing two readings.
    fn fields(url: &PresignedUrl<'_>) -> String {
        format!(
            "{} {} {} {} {} {} {} {} {:?} {:?}",
            url.credential().as_encoded(),
            url.access_key_id().as_encoded(),
            url.region().as_encoded(),
            url.service().as_encoded(),
            url.signed_at(),
            url.lifetime_secs(),
            url.expires_at(),
            url.signed_headers_param().as_encoded(),
            url.signature(),
            url.session_token().map(|token| token.as_encoded()),
        )
    }

    /// The five required parameters: each in signers' spelling first, then other spellings
    /// (valid or not).
    const REQUIRED: [&[&str]; 5] = [
        &[
            "X-Amz-Algorithm=AWS4-HMAC-SHA256",
            "X-Amz-Algorithm=AWS4-HMAC-SHA25",
            "X-Amz-Algorithm=AWS4%2DHMAC-SHA256",
        ],
        &[
            "X-Amz-Credential=AK%2F20260101%2Fauto%2Fs3%2Faws4_request",
            "X-Amz-Credential=AK%2f20260101%2Fauto%2Fs3%2Faws4_request",
            "X-Amz-Credential=A%4B%2F20260101%2Fauto%2Fs3%2Faws4_request",
            "X-Amz-Credential=A%2BK%2F20260101%2Fus-east-1%2Fs3%2Faws4_request",
            "X-Amz-Credential=AK%2F20260102%2Fauto%2Fs3%2Faws4_request",
            "X-Amz-Credential=AK%2F20260101%2Fauto%2Fs3%2Faws4_requests",
            "X-Amz-Credential=AK%2F20260101%2F%2Fs3%2Faws4_request",
        ],
        &[
            "X-Amz-Date=20260101T000000Z",
            "X-Amz-Date=20260101T000000",
            "X-Amz-Date=20260101T240000Z",
            "X-Amz-Dat%65=20260101T000000Z",
        ],
        &[
            "X-Amz-Expires=60",
            "X-Amz-Expires=0",
            "X-Amz-Expires=604800",
            "X-Amz-Expires=604801",
            "X-Amz-Expires=0060",
            "X-Amz-Expires=1234567",
        ],
        &[
            "X-Amz-SignedHeaders=content-type%3Bhost",
            "X-Amz-SignedHeaders=host",
            "X-Amz-SignedHeaders=content-type;host",
            "X-Amz-SignedHeaders=Host",
            "X-Amz-SignedHeaders=%3Bhost",
            "X-Amz-SignedHeaders=x-amz-meta-a~b.c_d%3Bhost",
        ],
    ];
    /// Other parameters, canonical or not, and authentication ones again.
    const OTHERS: &[&str] = &[
        "X-Amz-Security-Token=t%2Bx",
        "X-Amz-Security-Token=",
        "X-Amz-Security-Token=a%7Eb",
        "X-Amz-Content-Sha256=UNSIGNED-PAYLOAD",
        "X-Amz-Date=20260101T000000Z",
        "x-id=GetObject",
        "a=",
        "a=%2F",
        "a=%2f",
        "a=%7E",
        "b=1=2",
        "c",
        "",
        "partNumber=3",
        "uploadId=Up%2Fload",
        "e=%E2%82%AC",
        "e=\u{e9}",
        "X-Amz-Signature=00",
        "x-amz-date=1",
    ];
    /// Session tokens: signers' spelling, then others.
    const TOKENS: &[&str] = &[
        "X-Amz-Security-Token=t%2Bx%2F",
        "X-Amz-Security-Token=",
        "X-Amz-Security-Token=a%7Eb",
        "X-Amz-Security-Token=a+b",
    ];

    /// The canonical query a minted reading gives.
    fn canonical_of(query: &str, pieces: QueryPieces) -> String {
        let mut text = Text(String::new());
        CanonicalQuery::from_pieces(query, pieces).write(false, &mut text);
        text.0
    }

    /// Every query read by its shape is read alike by the general road: the same canonical
    /// query and the same values. Over generated queries: the five required parameters in
    /// signers' spelling or another (valid or not), a session token or not, other
    /// parameters canonical or not, a signature (or not quite one), laid out as each signer
    /// lays them out, in canonical order or not, or shuffled.
    #[test]
    fn the_shape_agrees_with_the_general_road() {
        let good =
            "X-Amz-Signature=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
        let signatures = [good, good, good, good, good, good, good]
            .into_iter()
            .chain([
                "X-Amz-Signature=0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef",
                "X-Amz-Signature=0123",
            ]);
        let signatures: Vec<&str> = signatures.collect();
        let mut rng = crate::test_rng::XorShift(0x2545_F491_4F6C_DD1D_u64);
        let mut next = |n: usize| rng.below(n);
        let (mut taken, mut left) = (0, 0);
        for _ in 0..12_000 {
            let auth: Vec<&str> = REQUIRED
                .iter()
                .map(|variants| {
                    variants[if next(3) == 0 {
                        next(variants.len())
                    } else {
                        0
                    }]
                })
                .collect();
            let session: Vec<&str> = if next(2) == 0 {
                alloc::vec![TOKENS[if next(3) == 0 { next(TOKENS.len()) } else { 0 }]]
            } else {
                Vec::new()
            };
            let mut others: Vec<&str> = (0..next(4)).map(|_| OTHERS[next(OTHERS.len())]).collect();
            if next(4) != 0 {
                others.sort_unstable();
            }
            let signature = alloc::vec![signatures[next(signatures.len())]];
            let mut parts = match next(4) {
                // This crate and rusty-s3: all in canonical order, the signature last.
                0 => {
                    let mut all = [auth, session, others].concat();
                    if next(4) != 0 {
                        all.sort_unstable();
                    }
                    [all, signature].concat()
                }
                // botocore: other parameters first, the token after the signed headers.
                1 => [others, auth, session, signature].concat(),
                // aws-sigv4: other parameters first, the token after the signature.
                2 => [others, auth, signature, session].concat(),
                _ => [auth, session, others, signature].concat(),
            };
            if next(8) == 0 {
                let (i, j) = (next(parts.len()), next(parts.len()));
                parts.swap(i, j);
            }
            let query = parts.join("&");
            let mut scratch = ParamScratch::new();
            let general =
                CanonicalQuery::new(&query, &mut scratch)
                    .ok()
                    .and_then(|(canonical, found)| {
                        let url = PresignedUrl::from_found("", ["", "", "", &query], found).ok()?;
                        let mut text = Text(String::new());
                        canonical.write(false, &mut text);
                        Some((text.0, fields(&url)))
                    });
            let Some(minted) = MintedQuery::read(&query) else {
                left += usize::from(general.is_some());
                continue;
            };
            taken += 1;
            let url = PresignedUrl::from_values("", ["", "", "", &query], minted.values)
                .expect("in range");
            assert_eq!(
                Some((canonical_of(&query, minted.pieces), fields(&url))),
                general,
                "{query}"
            );
        }
        // Both roads are exercised: the shape takes hundreds, and hundreds of queries the
        // general road reads are left to it.
        assert!(taken > 600 && left > 1000, "taken {taken}, left {left}");
    }

    #[test]
    fn a_signers_query_is_read_by_its_shape() {
        let query = documented("");
        let minted = MintedQuery::read(&query).expect("in shape");
        assert_eq!(
            canonical_of(&query, minted.pieces),
            query
                .strip_suffix(&format!("&X-Amz-Signature={SIGNATURE}"))
                .unwrap()
        );
        let values = minted.values;
        assert_eq!(
            [values.access_key_id, values.region, values.service].map(|part| part.as_encoded()),
            [ID, "us-east-1", "s3"]
        );
        assert_eq!(values.date.text(), b"20130524T000000Z");
        assert_eq!(values.lifetime_secs, 86_400);
        assert_eq!(values.signed_headers.as_encoded(), "host");
        assert_eq!(values.signature[..3], [0xae, 0xee, 0xd9]);
        assert!(values.session_token.is_none());
    }

    #[test]
    fn anything_out_of_shape_is_left_to_the_general_road() {
        let query = documented("");
        // Each of these is valid SigV4 that the general road reads (or refuses with its
        // reason); none is in the minted shape.
        for (from, to) in [
            ("%2F20130524", "%2f20130524"),             // lower-case escape
            ("X-Amz-Expires=86400", "X-Amz-Expires=0"), // out of range
            ("X-Amz-Expires=86400", "X-Amz-Expires=8640a"),
            ("X-Amz-SignedHeaders=host", "X-Amz-SignedHeaders=Host"),
            (
                "X-Amz-SignedHeaders=host",
                "X-Amz-SignedHeaders=content-type;host",
            ),
            ("X-Amz-Date=20130524T000000Z", "X-Amz-Date=20130525T000000Z"), // other day
            ("AWS4-HMAC-SHA256", "AWS4-HMAC-SHA512"),
            ("X-Amz-Algorithm=AWS4-HMAC-SHA256&", ""),
            (
                "X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400",
                "X-Amz-Expires=86400&X-Amz-Date=20130524T000000Z",
            ),
            ("X-Amz-Signature=aeee", "X-Amz-Signature=AEEE"),
            ("aws4_request", "aws4_requesT"),
            ("s3%2Faws4", "%2Faws4"), // an empty part
        ] {
            assert!(query.contains(from), "{from}");
            let changed = query.replacen(from, to, 1);
            assert!(MintedQuery::read(&changed).is_none(), "{changed}");
        }
        for extra in [
            "&X-Amz-Date=20130524T000000Z", // repeated (and out of order)
            "&x-id=a%7Eb",                  // an escaped unreserved byte
            "&x-id=a%2",                    // a malformed escape
            "&x-id",                        // no `=`
            "&x-id=a=b",                    // a second `=`
            "&=b",                          // no name
            "&&x-id=1",                     // an empty pair
            "&x-id=1&",                     // a trailing `&`
            "&x-id=1&X-Amz-Signature=00",   // a second signature
            "&X-Amz-Security-Token=",       // an empty token
        ] {
            let changed = documented(extra);
            assert!(MintedQuery::read(&changed).is_none(), "{changed}");
        }
    }

    /// Each signer's layout of a multipart part URL with a session token is read, and
    /// gives the canonical query S3's rule gives: the parameters sorted by name, the token
    /// between `X-Amz-Expires` and `X-Amz-SignedHeaders`, the signature left out.
    #[test]
    fn each_signers_layout_is_read() {
        let auth = |name: &str| -> String {
            documented("")
                .split('&')
                .find(|pair| pair.starts_with(name))
                .expect("present")
                .into()
        };
        let [algorithm, credential, date, expires, list, signature] = [
            AuthParam::Algorithm,
            AuthParam::Credential,
            AuthParam::Date,
            AuthParam::Expires,
            AuthParam::SignedHeaders,
            AuthParam::Signature,
        ]
        .map(|param| auth(param.name()));
        let token = "X-Amz-Security-Token=a%2Bb%2F%3D";
        let ops = "partNumber=1&uploadId=x~y.z";
        let canonical = format!("{algorithm}&{credential}&{date}&{expires}&{token}&{list}&{ops}");
        for query in [
            // This crate and rusty-s3.
            format!("{canonical}&{signature}"),
            // botocore.
            format!("{ops}&{algorithm}&{credential}&{date}&{expires}&{list}&{token}&{signature}"),
            // aws-sigv4.
            format!("{ops}&{algorithm}&{credential}&{date}&{expires}&{list}&{signature}&{token}"),
        ] {
            let minted = MintedQuery::read(&query).expect(&query);
            assert_eq!(canonical_of(&query, minted.pieces), canonical, "{query}");
            assert_eq!(
                minted.values.session_token.map(|t| t.as_encoded()),
                Some("a%2Bb%2F%3D")
            );
        }
        for query in [
            // Other parameters both first and last.
            format!(
                "partNumber=1&{algorithm}&{credential}&{date}&{expires}&{list}&uploadId=x&{signature}"
            ),
            // Two tokens.
            format!("{algorithm}&{credential}&{date}&{expires}&{token}&{list}&{signature}&{token}"),
            format!("{algorithm}&{credential}&{date}&{expires}&{list}&{token}&{signature}&{token}"),
            // A parameter first that sorts before the authentication ones.
            format!("Part=1&{algorithm}&{credential}&{date}&{expires}&{list}&{signature}"),
            // Other parameters first, out of order.
            format!(
                "uploadId=x&partNumber=1&{algorithm}&{credential}&{date}&{expires}&{list}&{signature}"
            ),
            // Something after the token that follows the signature.
            format!("{algorithm}&{credential}&{date}&{expires}&{list}&{signature}&{token}&x-id=1"),
        ] {
            assert!(MintedQuery::read(&query).is_none(), "{query}");
        }
    }
}
