//! The headers a URL is signed for: validated, in canonical order (by lower-case name), and
//! written as the canonical headers and the signed header list of the canonical request.

use crate::ContentType;
use crate::encode::{self, QUERY, Sink, is_unreserved};
use crate::error::{Error, Field};
#[cfg(test)]
use crate::pairs::OwnPairs;
use crate::pairs::{Order, Pairs};
use crate::text::{self, HEADER_VALUE, TOKEN};

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
    /// Validates the caller's pairs of `pairs` and sorts them all. `reserved` names may not
    /// appear among the caller's pairs ([`Error::ReservedHeader`]), nor `unsignable` ones
    /// ([`Error::UnsignableHeader`]).
    pub(crate) fn listed(
        pairs: Pairs<'a>,
        reserved: &[&'static str],
        unsignable: &[&'static str],
    ) -> Result<Self, Error> {
        for &(name, value) in pairs.callers() {
            text::check(Field::HeaderName, name, usize::MAX, TOKEN)?;
            text::check_bytes(Field::HeaderValue, value, HEADER_VALUE)?;
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

    /// Groups of equal (case-insensitive) names in canonical order: `(name, count)`.
    fn groups<'s>(
        pairs: &'s Pairs<'a>,
        order: &'s Order,
    ) -> impl Iterator<Item = (&'a str, usize)> + 's {
        let mut names = order.iter().map(|i| pairs.get(i).0).peekable();
        core::iter::from_fn(move || {
            let name = names.next()?;
            let mut count = 1;
            while names.next_if(|n| n.eq_ignore_ascii_case(name)).is_some() {
                count += 1;
            }
            Some((name, count))
        })
    }

    /// `name:value\n` per header, repeated names joined with `,` in the caller's order.
    pub(crate) fn write_canonical(&self, out: &mut impl Sink) {
        let (pairs, order) = match self {
            Self::Own { content_type, host } => {
                if let Some(value) = content_type {
                    out.put("content-type:");
                    if value.has_space_run() {
                        put_header_value(value.as_str(), out);
                    } else {
                        out.put_bytes(value.as_bytes());
                    }
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
        let mut values = order.iter().map(|i| pairs.get(i).1);
        for (name, count) in Self::groups(pairs, order) {
            put_lower(name, false, out);
            out.put(":");
            for n in 0..count {
                if n > 0 {
                    out.put(",");
                }
                let value = values.next().expect("a group never outnumbers the pairs");
                put_header_value(value, out);
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
        for (n, (name, _)) in Self::groups(pairs, order).enumerate() {
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
        if encoded {
            encode::put_encoded_byte(lower, QUERY, out);
        } else {
            out.put_bytes(&[lower]);
        }
    }
}

/// Writes a header value trimmed, with runs of spaces collapsed to one (SigV4 canonical form).
#[inline]
pub(crate) fn put_header_value(value: &str, out: &mut impl Sink) {
    let bytes = value.as_bytes();
    // Most values have no space at all, which one fast search settles.
    let canonical = crate::inspect::find_either(bytes, b' ', b' ').is_none()
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

    const HOST: Host<'static> = Host {
        bucket: None,
        endpoint: b"example.com",
    };

    /// The AWS SigV4 documentation's canonical header rules: lower-case names sorted,
    /// values trimmed and space runs collapsed, repeated names joined with `,` in order.
    #[test]
    fn listed_headers_are_canonical() {
        let callers = [
            ("X-Amz-Meta-B", "  two   words "),
            ("x-amz-meta-a", "1"),
            ("X-AMZ-META-A", "2"),
        ];
        let mut own = OwnPairs::new();
        own.push("host", "example.com");
        let pairs = Pairs::with_own(&own, &callers);
        let headers = Headers::listed(pairs, &["host"], UNSIGNABLE_HEADERS).expect("valid");
        assert_eq!(
            written(|out| headers.write_canonical(out)),
            "host:example.com\nx-amz-meta-a:1,2\nx-amz-meta-b:two words\n"
        );
        assert_eq!(
            written(|out| headers.write_signed(false, out)),
            "host;x-amz-meta-a;x-amz-meta-b"
        );
        assert_eq!(
            written(|out| headers.write_signed(true, out)),
            "host%3Bx-amz-meta-a%3Bx-amz-meta-b"
        );
        let canonical_len = written(|out| headers.write_canonical(out)).len()
            + written(|out| headers.write_signed(false, out)).len();
        assert!(headers.tail_len_bound() >= canonical_len);
    }

    /// The no-list form writes what the list form writes for the same headers.
    #[test]
    fn own_headers_write_what_the_list_writes() {
        let ct = ContentType::new("text/plain;  charset=utf-8").expect("valid");
        let own = Headers::Own {
            content_type: Some(&ct),
            host: HOST,
        };
        let mut own_pairs = OwnPairs::new();
        own_pairs.push("content-type", ct.as_str());
        own_pairs.push("host", "example.com");
        let listed = Headers::listed(Pairs::with_own(&own_pairs, &[]), &[], &[]).expect("valid");
        for for_query in [false, true] {
            assert_eq!(
                written(|out| own.write_signed(for_query, out)),
                written(|out| listed.write_signed(for_query, out))
            );
        }
        assert_eq!(
            written(|out| own.write_canonical(out)),
            written(|out| listed.write_canonical(out))
        );
    }

    #[test]
    fn bad_headers_are_refused_by_field() {
        let refuse = |name: &'static str, value: &'static str| {
            let callers = [(name, value)];
            Headers::listed(Pairs::new(&callers), &["host"], UNSIGNABLE_HEADERS).err()
        };
        assert_eq!(
            refuse("", "v"),
            Some(Error::Empty {
                field: Field::HeaderName
            })
        );
        assert!(matches!(
            refuse("a b", "v"),
            Some(Error::InvalidCharacter {
                field: Field::HeaderName,
                index: 1,
                ..
            })
        ));
        assert!(matches!(
            refuse("x-a", "v\r\n"),
            Some(Error::InvalidCharacter {
                field: Field::HeaderValue,
                byte: Some(b'\r'),
                ..
            })
        ));
        assert_eq!(
            refuse("Host", "h"),
            Some(Error::ReservedHeader { name: "host" })
        );
        assert_eq!(
            refuse("User-Agent", "curl"),
            Some(Error::UnsignableHeader { name: "user-agent" })
        );
    }

    /// Header names with token characters outside the unreserved set are escaped in the
    /// query form of the signed header list.
    #[test]
    fn signed_list_escapes_token_characters_in_the_query() {
        let callers = [("X-Odd!Name", "v")];
        let headers = Headers::listed(Pairs::new(&callers), &[], &[]).expect("valid");
        assert_eq!(
            written(|out| headers.write_signed(true, out)),
            "x-odd%21name"
        );
        assert_eq!(
            written(|out| headers.write_signed(false, out)),
            "x-odd!name"
        );
    }
}
