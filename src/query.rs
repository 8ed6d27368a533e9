//! The query of a presigned URL: the signer's `X-Amz-*` parameters and the caller's extra
//! ones, merged in canonical order (by encoded name, then value).
//!
//! One writer produces both the query of the emitted URL and the canonical query string, so
//! what is signed is what is sent (the classic presign bug, a `%20` signed and a `+` sent,
//! cannot happen).

use crate::amz_date::AmzDate;
use crate::decimal::Decimal;
use crate::encode::{self, QUERY, Sink, cmp_encoded};
use crate::error::{Error, Field};
use crate::headers::Headers;
use crate::pairs::{Order, Pairs};
use crate::scope::Scope;

/// A query parameter the signer sets itself, in canonical (byte) order; the signature is
/// not among them, as it is appended after signing.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum AuthParam {
    Algorithm,
    Credential,
    Date,
    Expires,
    SecurityToken,
    SignedHeaders,
}

impl AuthParam {
    /// Every one, in canonical order.
    pub(crate) const ALL: [Self; 6] = [
        Self::Algorithm,
        Self::Credential,
        Self::Date,
        Self::Expires,
        Self::SecurityToken,
        Self::SignedHeaders,
    ];

    pub(crate) const fn name(self) -> &'static str {
        match self {
            Self::Algorithm => "X-Amz-Algorithm",
            Self::Credential => "X-Amz-Credential",
            Self::Date => "X-Amz-Date",
            Self::Expires => "X-Amz-Expires",
            Self::SecurityToken => "X-Amz-Security-Token",
            Self::SignedHeaders => "X-Amz-SignedHeaders",
        }
    }
}

/// The parameter that carries the signature, appended last.
pub(crate) const SIGNATURE_PARAM: &str = "X-Amz-Signature";

/// Extra query parameters, validated and in canonical order (by encoded name, then value).
pub(crate) struct QueryParams<'a> {
    pairs: Pairs<'a>,
    order: Order,
    /// Every name and value is unreserved characters only: written without encoding.
    plain: bool,
}

impl<'a> QueryParams<'a> {
    /// The signer's own parameters, already valid and in canonical order (a multipart
    /// step's): nothing to check or sort. `plain` says that no name or value needs
    /// encoding.
    pub(crate) fn in_order(pairs: Pairs<'a>, plain: bool) -> Self {
        debug_assert!(
            (1..pairs.len()).all(|i| {
                let (a, b) = (pairs.get(i - 1), pairs.get(i));
                cmp_encoded(a.0, b.0)
                    .then_with(|| cmp_encoded(a.1, b.1))
                    .is_lt()
            }),
            "pairs given as ordered are ordered"
        );
        debug_assert!(
            !plain
                || (0..pairs.len()).all(|i| {
                    let (name, value) = pairs.get(i);
                    name.bytes().chain(value.bytes()).all(encode::is_unreserved)
                }),
            "pairs given as plain are plain"
        );
        let order = Order::Identity(pairs.len());
        Self {
            pairs,
            order,
            plain,
        }
    }

    /// Validates the names (not empty, not one of the signer's) and sorts.
    pub(crate) fn new(pairs: Pairs<'a>) -> Result<Self, Error> {
        for i in 0..pairs.len() {
            check_name(pairs.get(i).0)?;
        }
        let order = Order::sorted(pairs.len(), |a, b| {
            let (an, av) = pairs.get(a);
            let (bn, bv) = pairs.get(b);
            cmp_encoded(an, bn).then_with(|| cmp_encoded(av, bv))
        })?;
        Ok(Self {
            pairs,
            order,
            plain: false,
        })
    }
}

/// An extra parameter's name may not be empty (S3 would see another parameter list) nor
/// one of the signer's, in any case: the server would find two values for it.
fn check_name(name: &str) -> Result<(), Error> {
    if name.is_empty() {
        return Err(Error::Empty {
            field: Field::QueryParameterName,
        });
    }
    let may_be_reserved = name
        .as_bytes()
        .get(..6)
        .is_some_and(|prefix| prefix.eq_ignore_ascii_case(b"x-amz-"));
    if !may_be_reserved {
        return Ok(());
    }
    let reserved = AuthParam::ALL
        .iter()
        .map(|p| p.name())
        .chain([SIGNATURE_PARAM])
        .find(|r| r.eq_ignore_ascii_case(name));
    match reserved {
        Some(name) => Err(Error::ReservedQueryParameter { name }),
        None => Ok(()),
    }
}

/// A session token as the query carries it.
#[derive(Clone, Copy)]
pub(crate) enum TokenParam<'a> {
    /// The raw token, encoded as it is written.
    Raw(&'a str),
    /// The token already query-encoded (a presigner encodes it once).
    #[cfg_attr(
        all(not(feature = "alloc"), not(test)),
        expect(
            dead_code,
            reason = "session tokens need `alloc` (the unit tests build one)"
        )
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
    /// Writes `param`, preceded by `&` unless it is the first of the query.
    fn write_param(&self, param: AuthParam, first: bool, out: &mut impl Sink) {
        // Each name is written with its leading `&` in one piece (one write fewer a
        // parameter on the hot path); the first parameter drops it.
        let mut lead = |text: &'static str| out.put(if first { &text[1..] } else { text });
        match param {
            AuthParam::Algorithm => {
                lead("&");
                out.put_bytes(self.scope.algorithm_param());
            }
            AuthParam::Credential => {
                lead("&");
                out.put_bytes(self.scope.credential_head());
                out.put_bytes(self.date.date_bytes());
                out.put_bytes(self.scope.credential_tail());
            }
            AuthParam::Date => {
                lead("&X-Amz-Date=");
                out.put_bytes(self.date.timestamp_bytes());
            }
            AuthParam::Expires => {
                lead("&X-Amz-Expires=");
                out.put_bytes(Decimal::new(self.expires_in).as_bytes());
            }
            AuthParam::SecurityToken => {
                lead("&X-Amz-Security-Token=");
                match self.session_token {
                    Some(TokenParam::Raw(token)) => encode::encode(token, QUERY, out),
                    Some(TokenParam::Encoded(token)) => out.put(token),
                    None => {}
                }
            }
            AuthParam::SignedHeaders => {
                lead("&X-Amz-SignedHeaders=");
                self.headers.write_signed(true, out);
            }
        }
    }

    /// The signer's parameters this query carries, in canonical order.
    fn params(&self) -> impl Iterator<Item = AuthParam> + use<'_> {
        AuthParam::ALL
            .into_iter()
            .filter(|&p| p != AuthParam::SecurityToken || self.session_token.is_some())
    }

    /// Writes the whole query, signer's and caller's parameters merged in canonical order,
    /// without the signature.
    pub(crate) fn write_query(&self, extra: &QueryParams<'_>, out: &mut impl Sink) {
        let mut auth = self.params().peekable();
        let mut first = true;
        for i in extra.order.iter() {
            let (name, value) = extra.pairs.get(i);
            while let Some(param) = auth.next_if(|p| cmp_encoded(name, p.name()).is_gt()) {
                self.write_param(param, first, out);
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
        for param in auth {
            self.write_param(param, first, out);
            first = false;
        }
    }

    /// Writes the whole query into a URL: [`Self::write_query`]'s bytes, through the
    /// template fast path when every extra parameter sorts after the signer's (names that
    /// start with a lower-case letter, as `partNumber`, `uploadId` and the `response-*`
    /// overrides do, sort after every `X-Amz-*`).
    pub(crate) fn write_url_query(
        &self,
        extra: Option<&QueryParams<'_>>,
        out: &mut impl crate::buffer::UrlOut,
    ) {
        let Some(extra) = extra else {
            self.write_lone_query(out);
            return;
        };
        let last_auth = AuthParam::SignedHeaders.name();
        let all_after = extra
            .order
            .iter()
            .next()
            .is_some_and(|first| cmp_encoded(extra.pairs.get(first).0, last_auth).is_gt());
        if !all_after {
            self.write_query(extra, out);
            return;
        }
        self.write_lone_query(out);
        for i in extra.order.iter() {
            let (name, value) = extra.pairs.get(i);
            out.put("&");
            if extra.plain {
                out.put(name);
                out.put("=");
                out.put(value);
            } else {
                encode::encode(name, QUERY, out);
                out.put("=");
                encode::encode(value, QUERY, out);
            }
        }
    }

    /// Writes the query when there are no extra parameters: the scope's template copied
    /// once and the two dates written over its placeholders. The same bytes as
    /// [`Self::write_query`] writes.
    pub(crate) fn write_lone_query(&self, out: &mut impl crate::buffer::UrlOut) {
        let start = out.written().len();
        out.put_bytes(self.scope.query_template());
        out.replace_bytes(start + self.scope.query_date_at(), self.date.date_bytes());
        out.replace_bytes(
            start + self.scope.query_timestamp_at(),
            self.date.timestamp_bytes(),
        );
        for param in self.params().skip_while(|&p| p != AuthParam::Expires) {
            self.write_param(param, false, out);
        }
    }
}

/// Appends `&X-Amz-Signature=<hex>` to a written query.
pub(crate) fn write_signature_param(signature: &[u8; 32], out: &mut impl Sink) {
    out.put("&X-Amz-Signature=");
    encode::write_hex(signature, out);
}

/// The length of `&X-Amz-Signature=<64 hex digits>`.
pub(crate) const SIGNATURE_PARAM_LEN: usize = "&X-Amz-Signature=".len() + 64;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::buffer::VecOut;
    use crate::headers::Host;
    use alloc::string::String;
    use alloc::vec::Vec;

    fn written(f: impl FnOnce(&mut VecOut<'_>)) -> String {
        let mut bytes = Vec::new();
        f(&mut VecOut { bytes: &mut bytes });
        String::from_utf8(bytes).expect("ASCII")
    }

    fn with_auth(token: Option<TokenParam<'_>>, f: impl FnOnce(&AuthQuery<'_>)) {
        let scope = Scope::new("AKIDEXAMPLE", "us-east-1", "s3");
        let date = AmzDate::new(time::macros::datetime!(2013-05-24 0:00 UTC)).expect("in range");
        let headers = Headers::Own {
            content_type: None,
            host: Host {
                bucket: None,
                endpoint: b"examplebucket.s3.amazonaws.com",
            },
        };
        f(&AuthQuery {
            scope: &scope,
            date: &date,
            expires_in: 86_400,
            session_token: token,
            headers: &headers,
        });
    }

    /// The AWS S3 documentation's presigned GET example ("Authenticating Requests: Using
    /// Query Parameters"), whose canonical query string is exactly the signer's parameters.
    #[test]
    fn lone_query_is_the_documented_canonical_query() {
        with_auth(None, |auth| {
            let expected = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host";
            assert_eq!(written(|out| auth.write_lone_query(out)), expected);
        });
    }

    /// The template fast path writes what the general writer writes, with and without a
    /// session token.
    #[test]
    fn lone_query_equals_the_general_writer() {
        for token in [
            None,
            Some(TokenParam::Raw("a+b/c=")),
            Some(TokenParam::Encoded("a%2Bb")),
        ] {
            with_auth(token, |auth| {
                let none = QueryParams::new(Pairs::new(&[])).expect("empty");
                assert_eq!(
                    written(|out| auth.write_lone_query(out)),
                    written(|out| auth.write_query(&none, out))
                );
            });
        }
    }

    /// The URL writer's fast path (extras after the signer's) writes what the general
    /// writer writes, and so does its fallback.
    #[test]
    fn url_query_equals_the_general_writer() {
        with_auth(Some(TokenParam::Raw("t+1")), |auth| {
            for extras in [
                &[("partNumber", "7"), ("uploadId", "a~b/c")][..],
                &[("X-Amz-A", "1"), ("uploads", "")],
                &[("X-Amz-Z", "1")],
                &[("Z", "capital Z sorts before lower case")],
                &[("response-content-type", "video/mp4")],
            ] {
                let query = QueryParams::new(Pairs::new(extras)).expect("valid");
                assert_eq!(
                    written(|out| auth.write_url_query(Some(&query), out)),
                    written(|out| auth.write_query(&query, out)),
                    "{extras:?}"
                );
            }
        });
    }

    /// Extra parameters merge in encoded-name order among the signer's: `X-Amz-A` sorts
    /// before `X-Amz-Algorithm`, `partNumber` (lower case) after every `X-Amz-*`.
    #[test]
    fn extras_merge_in_encoded_order() {
        with_auth(None, |auth| {
            let extras = [("partNumber", "2"), ("X-Amz-A", "a b"), ("uploadId", "x")];
            let query = QueryParams::new(Pairs::new(&extras)).expect("valid");
            let text = written(|out| auth.write_query(&query, out));
            let names: Vec<&str> = text
                .split('&')
                .map(|p| p.split('=').next().unwrap_or(p))
                .collect();
            assert_eq!(
                names,
                [
                    "X-Amz-A",
                    "X-Amz-Algorithm",
                    "X-Amz-Credential",
                    "X-Amz-Date",
                    "X-Amz-Expires",
                    "X-Amz-SignedHeaders",
                    "partNumber",
                    "uploadId"
                ]
            );
            assert!(text.starts_with("X-Amz-A=a%20b&"));
        });
    }

    #[test]
    fn signer_names_are_refused_in_any_case() {
        let extras = [("x-amz-signature", "0")];
        assert_eq!(
            QueryParams::new(Pairs::new(&extras)).err(),
            Some(Error::ReservedQueryParameter {
                name: "X-Amz-Signature"
            })
        );
        let empty = [("", "v")];
        assert_eq!(
            QueryParams::new(Pairs::new(&empty)).err(),
            Some(Error::Empty {
                field: Field::QueryParameterName
            })
        );
    }
}
