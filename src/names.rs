//! The rules for bucket names and object keys: what S3 and R2 accept, and what survives the
//! trip through an HTTP client unchanged.

use crate::Error;
use crate::endpoint::Flavor;

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
            field: "bucket name",
        });
    }
    if !(3..=63).contains(&bucket.len()) {
        return bad("must be 3 ..= 63 bytes long");
    }
    // One pass: the character set, adjacent periods, and the shape of an IPv4 address.
    let bytes = bucket.as_bytes();
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
    let alnum = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    if !bytes.first().is_some_and(alnum) || !bytes.last().is_some_and(alnum) {
        return bad("must begin and end with a letter or digit");
    }
    if dots == 3 && labels_all_digits {
        return bad("may not be formatted as an IP address");
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

/// Checks an object key: 1 ..= 1024 bytes, and no `.` or `..` segment between slashes.
///
/// Dot segments are legal S3 keys, but browsers and HTTP clients remove them from a URL
/// path before sending it (RFC 3986 §5.2.4), so the server would verify a different path
/// than the one signed and answer 403 every time. `//` (an empty segment) is left alone by
/// clients and is accepted.
pub(crate) fn check_key(key: &str) -> Result<(), Error> {
    if key.is_empty() {
        return Err(Error::Empty {
            field: "object key",
        });
    }
    if key.len() > MAX_KEY_LEN {
        return Err(Error::TooLong {
            field: "object key",
            len: key.len(),
            max: MAX_KEY_LEN,
        });
    }
    // A dot segment is a run of one or two dots bounded by slashes or the ends: look at
    // each dot that starts a segment (found with `str::find`, which skips ahead quickly).
    let bytes = key.as_bytes();
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
