//! A presigned query in the shape signers mint it, read by that shape: the verifier's
//! fast road.
//!
//! Every signer (this crate, botocore, aws-sigv4, rusty-s3, the AWS CLI) writes the query
//! already canonical, with the authentication values in one spelling (the credential's `/`
//! as `%2F`, the signed-header list's `;` as `%3B`, digits as digits) and the signature
//! appended last. [`MintedQuery::read`] reads such a query front to back by that shape:
//! each authentication parameter is recognised by its name and `=` in one comparison, and
//! its value is parsed by its own grammar, which settles in the same step that the value is
//! canonical (an algorithm equal to `AWS4-HMAC-SHA256`, a date of 16 digits-and-letters
//! that `AmzDate::parse` takes, a credential of unreserved parts between `%2F`s). Only the
//! parts that are free text (an access key id, a token, any other parameter) are checked
//! byte by byte. So no byte of the query is looked at twice, and most not once on their
//! own.
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

use core::cmp::Ordering;

use crate::amz_date::AmzDate;
use crate::encode::QUERY;
use crate::inspect::{AuthValues, Encoded, decode_lower_hex};
use crate::received::{cmp_bytes, upper_hex};

/// What the signature parameter looks like at the end of a signer's query: `&`, the name,
/// `=`, then 64 lower-case hex digits.
const SIGNATURE_PREFIX: &[u8] = b"&X-Amz-Signature=";
const SIGNATURE_PAIR_LEN: usize = SIGNATURE_PREFIX.len() + 64;
/// The one algorithm, and the credential's last part.
const ALGORITHM: &[u8] = b"AWS4-HMAC-SHA256";
const TERMINATOR: &[u8] = b"aws4_request";
/// The credential parts' separator as signers write it.
const SLASH: &[u8] = b"%2F";
/// The signed-header list's separator as signers write it.
const SEMICOLON: &[u8] = b"%3B";
/// The longest lifetime SigV4 accepts (seconds), and its number of digits.
const MAX_EXPIRES_SECS: u32 = 604_800;
const MAX_EXPIRES_DIGITS: usize = 6;

/// A query in the minted shape: its canonical form and its authentication values.
#[derive(Clone, Copy)]
pub(crate) struct MintedQuery<'q> {
    /// The query less its final `&X-Amz-Signature=…`, which is its canonical form.
    pub(crate) canonical: &'q str,
    pub(crate) values: AuthValues<'q>,
}

impl<'q> MintedQuery<'q> {
    /// Reads `query` if it is in the minted shape: the authentication parameters in
    /// canonical order (`X-Amz-Algorithm`, `-Credential`, `-Date`, `-Expires`, an optional
    /// `-Security-Token`, `-SignedHeaders`), each once, in the spellings above and valid;
    /// other parameters only where signers put them (between the algorithm and the
    /// credential, which is where `X-Amz-Content-Sha256` and `X-Amz-Checksum-*` sort, and
    /// after the signed headers), canonical and in canonical order; and `X-Amz-Signature`
    /// last. `None` otherwise, for the general road.
    pub(crate) fn read(query: &'q str) -> Option<Self> {
        let split = query.len().checked_sub(SIGNATURE_PAIR_LEN)?;
        let (canonical, signature) = (query.get(..split)?, query.get(split..)?);
        let digits = signature.as_bytes().strip_prefix(SIGNATURE_PREFIX)?;
        let signature = decode_lower_hex(digits.try_into().ok()?)?;

        // The layout is the order itself: each authentication parameter comes after the
        // one before it, so only the other parameters need comparing.
        let mut cursor = Cursor {
            text: canonical,
            at: 0,
        };
        cursor.expect(b"X-Amz-Algorithm=")?;
        cursor.expect(ALGORITHM)?;
        cursor.others_until(b"X-Amz-Algorithm", b"X-Amz-Credential")?;
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
        let session_token = if cursor.eat(b"&X-Amz-Security-Token=") {
            let len = canonical_run(cursor.rest())?;
            Some(Encoded::new(
                cursor.take(len).filter(|token| !token.is_empty())?,
            ))
        } else {
            None
        };
        cursor.expect(b"&X-Amz-SignedHeaders=")?;
        let signed_headers = cursor.header_list()?;
        cursor.others_until(b"X-Amz-SignedHeaders", b"")?;
        let values = AuthValues {
            credential: Encoded::new(credential),
            access_key_id: Encoded::new(access_key_id),
            region: Encoded::new(region),
            service: Encoded::new(service),
            date,
            lifetime_secs,
            signed_headers: Encoded::new(signed_headers),
            signature,
            session_token,
        };
        Some(Self { canonical, values })
    }
}

/// A place in the query less its signature.
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

    /// Steps over the `&name=value` pairs of other parameters (canonical, in canonical
    /// order) that come here: names strictly after `after` and, unless `before` is empty
    /// (up to the end then), strictly before `before`. No authentication parameter's name
    /// is strictly between two neighbours in the layout, nor after the last one.
    fn others_until(&mut self, after: &[u8], before: &[u8]) -> Option<()> {
        let mut previous: Option<(&[u8], &[u8])> = None;
        loop {
            let rest = self.rest();
            let known_next =
                !before.is_empty() && rest.get(1..).is_some_and(|rest| rest.starts_with(before));
            if rest.is_empty() || known_next {
                return Some(());
            }
            let pair = rest.strip_prefix(b"&")?;
            let name_len = canonical_run(pair)?;
            let value = pair.get(name_len..)?.strip_prefix(b"=")?;
            let value_len = canonical_run(value)?;
            let (name, value) = (pair.get(..name_len)?, value.get(..value_len)?);
            let in_order = match previous {
                None => cmp_bytes(after, name) == Ordering::Less,
                Some((name_before, value_before)) => {
                    cmp_bytes(name_before, name).then_with(|| cmp_bytes(value_before, value))
                        != Ordering::Greater
                }
            };
            if !in_order || (!before.is_empty() && cmp_bytes(name, before) != Ordering::Less) {
                return None;
            }
            previous = Some((name, value));
            self.at += 1 + name_len + 1 + value_len;
        }
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
        self.expect(TERMINATOR)?;
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
        .contains(&secs)
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
    use crate::inspect::PresignedUrl;
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
    /// Every query read by its shape is read alike by the general road: the same canonical
    /// query and the same values. Over generated queries: the five required parameters in
    /// signers' spelling or another (valid or not), other parameters canonical or not, in
    /// order or not, and a signature last (or not quite).
    #[test]
    fn the_shape_agrees_with_the_general_road() {
        let signatures = ["&X-Amz-Signature=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"; 7]
            .into_iter()
            .chain(["&X-Amz-Signature=0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef", "&X-Amz-Signature=0123"]);
        let signatures: Vec<&str> = signatures.collect();
        let mut rng = crate::test_rng::XorShift(0x2545_F491_4F6C_DD1D_u64);
        let mut next = |n: usize| rng.below(n);
        let (mut taken, mut left) = (0, 0);
        for _ in 0..8000 {
            let mut chosen: Vec<&str> = REQUIRED
                .iter()
                .map(|variants| {
                    variants[if next(3) == 0 {
                        next(variants.len())
                    } else {
                        0
                    }]
                })
                .collect();
            for _ in 0..next(4) {
                chosen.push(OTHERS[next(OTHERS.len())]);
            }
            if next(4) != 0 {
                chosen.sort_unstable();
            }
            let query = chosen.join("&") + signatures[next(signatures.len())];
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
                Some((String::from(minted.canonical), fields(&url))),
                general,
                "{query}"
            );
        }
        // Both roads are exercised: the shape takes hundreds, and hundreds of queries the
        // general road reads are left to it.
        assert!(taken > 600 && left > 300, "taken {taken}, left {left}");
    }

    #[test]
    fn a_signers_query_is_read_by_its_shape() {
        let query = documented("");
        let minted = MintedQuery::read(&query).expect("in shape");
        assert_eq!(
            minted.canonical,
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

    #[test]
    fn tokens_and_other_parameters_in_shape_are_read() {
        let query = documented(
            "&X-Amz-Security-Token=a%2Bb%2F%3D&partNumber=1&uploadId=x~y.z&x-id=UploadPart",
        );
        // Not in canonical order: `X-Amz-Security-Token` comes before `X-Amz-SignedHeaders`.
        assert!(MintedQuery::read(&query).is_none());
        let query = query.replace(
            "&X-Amz-SignedHeaders=host&X-Amz-Security-Token=a%2Bb%2F%3D",
            "&X-Amz-Security-Token=a%2Bb%2F%3D&X-Amz-SignedHeaders=host",
        );
        let minted = MintedQuery::read(&query).expect("in shape");
        assert_eq!(
            minted.values.session_token.map(|t| t.as_encoded()),
            Some("a%2Bb%2F%3D")
        );
        assert!(minted.canonical.ends_with("&x-id=UploadPart"));
    }
}
