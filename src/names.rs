//! The rules for bucket names and object keys: what S3 and R2 accept, and what survives the
//! trip through an HTTP client unchanged.

use crate::endpoint::Flavor;
use crate::error::{Error, Field};

/// The longest object key S3 and R2 accept, in bytes of UTF-8.
pub const MAX_KEY_LEN: usize = 1024;

/// Prefixes S3 reserves for its own features (IDN-looking names, access points,
/// documentation examples).
const RESERVED_PREFIXES: [&str; 3] = ["xn--", "sthree-", "amzn-s3-demo-"];
/// Suffixes S3 reserves (access point aliases, Object Lambda, multi-region access points,
/// directory buckets, table buckets).
const RESERVED_SUFFIXES: [&str; 5] = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"];

/// Checks a bucket name against the S3 general-purpose bucket naming rules, and the
/// stricter R2 rules (no `.`) on an R2 endpoint.
pub(crate) fn check_bucket(bucket: &str, flavor: Flavor) -> Result<(), Error> {
    let bad = |reason| Err(Error::InvalidBucketName { reason });
    if bucket.is_empty() {
        return Err(Error::Empty {
            field: Field::BucketName,
        });
    }
    if !(3..=63).contains(&bucket.len()) {
        return bad("must be 3 ..= 63 bytes long");
    }
    let bytes = bucket.as_bytes();
    // Nearly every bucket name holds only a-z, 0-9 and '-' (the only characters R2
    // allows): one table pass settles the character set, and without a period the rules
    // about periods cannot apply.
    if !bytes
        .iter()
        .fold(true, |plain, &b| plain & PLAIN_BUCKET_BYTE[usize::from(b)])
    {
        check_bucket_characters(bytes, flavor)?;
    }
    let alnum = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    if !bytes.first().is_some_and(alnum) || !bytes.last().is_some_and(alnum) {
        return bad("must begin and end with a letter or digit");
    }
    if flavor == Flavor::AwsS3 {
        if RESERVED_PREFIXES.iter().any(|p| bucket.starts_with(p)) {
            return bad("may not start with xn--, sthree- or amzn-s3-demo- (reserved by S3)");
        }
        if RESERVED_SUFFIXES.iter().any(|s| bucket.ends_with(s)) {
            return bad(
                "may not end with -s3alias, --ol-s3, .mrap, --x-s3 or --table-s3 (reserved by S3)",
            );
        }
    }
    Ok(())
}

/// Bytes a bucket name may hold anywhere without further rules: `a-z`, `0-9` and `-`.
const PLAIN_BUCKET_BYTE: [bool; 256] = {
    let mut plain = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        plain[b] = c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-';
        b += 1;
    }
    plain
};

/// The character set of a bucket name with periods or bad bytes in it, in one pass: the
/// allowed characters, adjacent periods, and the shape of an IPv4 address.
fn check_bucket_characters(bytes: &[u8], flavor: Flavor) -> Result<(), Error> {
    let bad = |reason| Err(Error::InvalidBucketName { reason });
    let allowed_dot = flavor != Flavor::R2;
    let mut dots = 0;
    let mut labels_all_digits = true;
    let mut label_len = 0;
    let mut previous = 0u8;
    for &b in bytes {
        let ok =
            b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || (allowed_dot && b == b'.');
        if !ok {
            return if b == b'.' {
                bad("has '.', which R2 does not allow; R2 bucket names hold a-z, 0-9 and '-'")
            } else if b.is_ascii_uppercase() {
                bad("has upper-case letters; bucket names are lower case")
            } else {
                bad("may hold only lower-case letters, digits, '-' and '.'")
            };
        }
        if b == b'.' {
            if previous == b'.' {
                return bad("may not have two adjacent periods");
            }
            dots += 1;
            labels_all_digits &= label_len > 0;
            label_len = 0;
        } else {
            labels_all_digits &= b.is_ascii_digit();
            label_len += 1;
        }
        previous = b;
    }
    if dots == 3 && labels_all_digits && label_len > 0 {
        return bad("may not be formatted as an IP address");
    }
    Ok(())
}

/// Checks an object key: 1 ..= 1024 bytes, and no `.` or `..` segment between slashes.
///
/// Dot segments are legal S3 keys, but browsers and HTTP clients remove them from a URL
/// path before sending it (RFC 3986 §5.2.4), so the server would verify a different path
/// than the one signed and answer 403 every time. `//` (an empty segment) is left alone by
/// clients and is accepted.
pub(crate) fn check_key(key: &str) -> Result<(), Error> {
    if key.is_empty() {
        return Err(Error::Empty {
            field: Field::ObjectKey,
        });
    }
    if key.len() > MAX_KEY_LEN {
        return Err(Error::TooLong {
            field: Field::ObjectKey,
            len: key.len(),
            max: MAX_KEY_LEN,
        });
    }
    // A dot segment is a run of one or two dots bounded by slashes or the ends. Only a dot
    // that starts a segment can begin one, and keys rarely have such a dot, so a word-wide
    // scan rules them out first; each candidate is then looked at closely.
    let bytes = key.as_bytes();
    if !has_segment_starting_dot(bytes) {
        return Ok(());
    }
    let at = |i: usize| bytes.get(i).copied();
    let mut from = 0;
    while let Some(offset) = key[from..].find('.') {
        let i = from + offset;
        if i == 0 || bytes[i - 1] == b'/' {
            let end = if at(i + 1) == Some(b'.') {
                i + 2
            } else {
                i + 1
            };
            if matches!(at(end), None | Some(b'/')) {
                return Err(Error::DotSegmentInKey);
            }
        }
        from = i + 1;
    }
    Ok(())
}

/// Whether a `.` starts any `/`-separated segment of `bytes` (the first byte, or a byte
/// after `/`). Eight bytes per step: each word is compared with `.` and with `/` at once
/// (SWAR), and a dot counts when the byte before it, possibly in the previous word, is a
/// slash.
fn has_segment_starting_dot(bytes: &[u8]) -> bool {
    /// One word's dots that follow a slash; `slash_before` carries the previous word's
    /// last slash bit into the next.
    fn step(word: [u8; 8], slash_before: &mut u64) -> u64 {
        let word = u64::from_le_bytes(word);
        let dots = bytes_equal(word, b'.');
        let slashes = bytes_equal(word, b'/');
        // Byte i's "previous is a slash" bit is byte i-1's slash bit, one byte up.
        let found = dots & ((slashes << 8) | *slash_before);
        *slash_before = slashes >> 56;
        found
    }
    let (words, rest) = bytes.as_chunks::<8>();
    // A virtual slash before the first byte, so a leading dot counts.
    let mut slash_before = 0x80;
    let mut found = 0;
    for &word in words {
        found |= step(word, &mut slash_before);
    }
    let mut last = [0u8; 8];
    last[..rest.len()].copy_from_slice(rest);
    found |= step(last, &mut slash_before);
    found != 0
}

const LOW_BITS: u64 = 0x7f7f_7f7f_7f7f_7f7f;

/// The high bit of every byte of `word` that equals `byte`, and no other bit. Exact: the
/// low seven bits of each byte are added with no carry into the next byte.
const fn bytes_equal(word: u64, byte: u8) -> u64 {
    let diff = word ^ (0x0101_0101_0101_0101 * byte as u64);
    !(((diff & LOW_BITS) + LOW_BITS) | diff | LOW_BITS)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The word-wide scan agrees with a byte-by-byte reading on every string of up to
    /// 20 bytes over the alphabet `. / a`, whose dots and slashes fall at every position
    /// of two words.
    #[test]
    fn segment_dot_scan_matches_bytewise() {
        let alphabet = [b'.', b'/', b'a'];
        for len in 0..=20u32 {
            let count = 3u64.pow(len.min(12));
            for n in 0..count {
                let mut key = [b'a'; 20];
                let mut rest = n;
                for slot in key.iter_mut().take(len.min(12) as usize) {
                    *slot = alphabet[(rest % 3) as usize];
                    rest /= 3;
                }
                // Longer strings: the varied part slides to the end.
                let key = &key[..len as usize];
                let key: alloc::vec::Vec<u8> = if len > 12 {
                    key.iter().rev().copied().collect()
                } else {
                    key.to_vec()
                };
                let expected = key
                    .iter()
                    .enumerate()
                    .any(|(i, &b)| b == b'.' && (i == 0 || key[i - 1] == b'/'));
                assert_eq!(has_segment_starting_dot(&key), expected, "{key:?}");
            }
        }
    }
}
