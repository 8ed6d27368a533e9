//! The credential scope and the string to sign (SigV4 step 2).
//!
//! A signer's scope is fixed but for its date, so it is rendered once into two templates
//! with placeholders for the dates: the start of the URL query
//! (`X-Amz-Algorithm=…&X-Amz-Credential=…&X-Amz-Date=…`) and the start of the string to
//! sign. A URL copies each template whole and writes its dates over the placeholders.

use crate::amz_date::AmzDate;
use crate::credentials::MAX_ACCESS_KEY_ID_LEN;
use crate::encode::{self, QUERY, Sink};
use crate::endpoint::MAX_REGION_LEN;
use crate::inline_str::InlineStr;

/// The algorithm of every signature this crate makes or checks.
pub(crate) const ALGORITHM: &str = "AWS4-HMAC-SHA256";

/// The last element of every credential scope.
pub(crate) const TERMINATOR: &str = "aws4_request";

/// The first query parameter; no other parameter text is fixed.
const ALGORITHM_PARAM: &str = "X-Amz-Algorithm=AWS4-HMAC-SHA256";
/// What follows the credential scope in the query.
const DATE_PARAM_PREFIX: &str = "&X-Amz-Date=";
/// Placeholders for the scope date and the timestamp in the templates.
const DATE_PLACEHOLDER: &str = "00000000";
const TIMESTAMP_PLACEHOLDER: &str = "00000000T000000Z";
/// Where the timestamp and the scope date start in `Scope::sign_lead`.
const SIGN_TIMESTAMP_AT: usize = ALGORITHM.len() + 1;
const SIGN_DATE_AT: usize = SIGN_TIMESTAMP_AT + TIMESTAMP_PLACEHOLDER.len() + 1;

/// The longest query template: the algorithm parameter, `&X-Amz-Credential=` (18), the
/// access key id escaped (3 bytes a byte at worst), `%2F` and the date, region and service
/// behind `%2F` each (lower-case letters, digits and `-`: never escaped), `%2Faws4_request`,
/// and `&X-Amz-Date=` with the timestamp.
const QUERY_LEAD_MAX: usize = ALGORITHM_PARAM.len()
    + 18
    + 3 * MAX_ACCESS_KEY_ID_LEN
    + 3
    + DATE_PLACEHOLDER.len()
    + 2 * (3 + MAX_REGION_LEN)
    + 3
    + TERMINATOR.len()
    + DATE_PARAM_PREFIX.len()
    + TIMESTAMP_PLACEHOLDER.len();

/// The longest string to sign: the algorithm line (17 bytes), the timestamp line (17), the
/// scope line with 64-byte region and service (8 + 1 + 64 + 1 + 64 + 1 + 12 + 1 = 152),
/// and 64 hex digits: 250, rounded up.
pub(crate) const STRING_TO_SIGN_MAX: usize = 256;

/// The parts of the credential scope that are fixed for a signer, rendered once: a
/// presigner keeps one for its lifetime, so no URL encodes the access key id again.
#[derive(Clone)]
pub(crate) struct Scope {
    /// `X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=<access key id>%2F<YYYYMMDD>%2F
    /// <region>%2F<service>%2Faws4_request&X-Amz-Date=<YYYYMMDDTHHMMSSZ>`, with
    /// placeholders for the two dates.
    query_lead: InlineStr<QUERY_LEAD_MAX>,
    /// Where the scope date starts in `query_lead`.
    query_date_at: usize,
    /// `AWS4-HMAC-SHA256\n<YYYYMMDDTHHMMSSZ>\n<YYYYMMDD>/<region>/<service>/aws4_request\n`,
    /// with placeholders for the two dates.
    sign_lead: InlineStr<{ STRING_TO_SIGN_MAX - 64 }>,
}

impl Scope {
    /// Renders the scope; the access key id, `region` and `service` are already checked
    /// against their grammars and maxima, so every piece fits its buffer.
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
        sign_lead.put(ALGORITHM);
        sign_lead.put("\n");
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

    /// The query template: the algorithm, credential and date parameters with placeholder
    /// dates (see [`Self::query_date_at`] and [`Self::query_timestamp_at`]).
    pub(crate) fn query_template(&self) -> &[u8] {
        self.query_lead.as_bytes()
    }

    /// Where the scope date starts in the query template.
    pub(crate) fn query_date_at(&self) -> usize {
        self.query_date_at
    }

    /// Where the timestamp starts in the query template.
    pub(crate) fn query_timestamp_at(&self) -> usize {
        self.query_template().len() - TIMESTAMP_PLACEHOLDER.len()
    }

    /// `X-Amz-Algorithm=AWS4-HMAC-SHA256`.
    pub(crate) fn algorithm_param(&self) -> &[u8] {
        &self.query_template()[..ALGORITHM_PARAM.len()]
    }

    /// `X-Amz-Credential=<access key id>%2F`.
    pub(crate) fn credential_head(&self) -> &[u8] {
        &self.query_template()[ALGORITHM_PARAM.len() + 1..self.query_date_at]
    }

    /// `%2F<region>%2F<service>%2Faws4_request`.
    pub(crate) fn credential_tail(&self) -> &[u8] {
        &self.query_template()[self.query_date_at + DATE_PLACEHOLDER.len()
            ..self.query_timestamp_at() - DATE_PARAM_PREFIX.len()]
    }

    /// Writes the string to sign for a canonical request whose SHA-256 is `hash`.
    pub(crate) fn write_string_to_sign(
        &self,
        date: &AmzDate,
        hash: &[u8; 32],
        out: &mut impl Sink,
    ) {
        let lead = self.sign_lead.as_bytes();
        out.put_bytes(&lead[..SIGN_TIMESTAMP_AT]);
        out.put_bytes(date.timestamp_bytes());
        out.put("\n");
        out.put_bytes(date.date_bytes());
        out.put_bytes(&lead[SIGN_DATE_AT + DATE_PLACEHOLDER.len()..]);
        encode::write_hex(hash, out);
    }

    /// The string to sign in a stack buffer: the template copied once, the dates and the
    /// hash written into it (fixed-size copies, no per-piece calls). Returns its length.
    pub(crate) fn string_to_sign_into(
        &self,
        date: &AmzDate,
        hash: &[u8; 32],
        buf: &mut [u8; STRING_TO_SIGN_MAX],
    ) -> usize {
        let lead = self.sign_lead.as_bytes();
        let len = lead.len() + 64;
        buf[..lead.len()].copy_from_slice(lead);
        buf[SIGN_TIMESTAMP_AT..SIGN_TIMESTAMP_AT + 16].copy_from_slice(date.timestamp_bytes());
        buf[SIGN_DATE_AT..SIGN_DATE_AT + 8].copy_from_slice(date.date_bytes());
        buf[lead.len()..len].copy_from_slice(encode::hex32(hash).as_bytes());
        len
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

    fn date() -> AmzDate {
        AmzDate::new(time::macros::datetime!(2015-08-30 12:36:00 UTC)).expect("in range")
    }

    /// The template's offsets point at the placeholders, and the pieces cut from it are the
    /// documented parameters, for an access key id that needs escaping.
    #[test]
    fn template_offsets_point_at_the_placeholders() {
        let scope = Scope::new("AK+ID", "us-east-1", "service");
        let query = scope.query_template();
        assert_eq!(
            &query[scope.query_date_at()..scope.query_date_at() + 8],
            DATE_PLACEHOLDER.as_bytes()
        );
        assert_eq!(
            &query[scope.query_timestamp_at()..],
            TIMESTAMP_PLACEHOLDER.as_bytes()
        );
        assert_eq!(scope.algorithm_param(), b"X-Amz-Algorithm=AWS4-HMAC-SHA256");
        assert_eq!(scope.credential_head(), b"X-Amz-Credential=AK%2BID%2F");
        assert_eq!(
            scope.credential_tail(),
            b"%2Fus-east-1%2Fservice%2Faws4_request"
        );
    }

    /// The AWS SigV4 test suite's `get-vanilla` string to sign (its scope and dates; the
    /// hash here is arbitrary), written both ways.
    #[test]
    fn string_to_sign_has_the_documented_form() {
        let scope = Scope::new("AKIDEXAMPLE", "us-east-1", "service");
        let hash = [0xab; 32];
        let mut text = Text(String::new());
        scope.write_string_to_sign(&date(), &hash, &mut text);
        let expected = alloc::format!(
            "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n{}",
            "ab".repeat(32)
        );
        assert_eq!(text.0, expected);
        let mut buf = [0u8; STRING_TO_SIGN_MAX];
        let len = scope.string_to_sign_into(&date(), &hash, &mut buf);
        assert_eq!(&buf[..len], expected.as_bytes());
    }

    /// The longest access key id, region and service fit both templates.
    #[test]
    fn longest_inputs_fit() {
        let id = "%".repeat(MAX_ACCESS_KEY_ID_LEN);
        let part = "a".repeat(MAX_REGION_LEN);
        let scope = Scope::new(&id, &part, &part);
        let mut buf = [0u8; STRING_TO_SIGN_MAX];
        let len = scope.string_to_sign_into(&date(), &[0; 32], &mut buf);
        assert!(len <= STRING_TO_SIGN_MAX);
        assert!(scope.query_template().len() <= QUERY_LEAD_MAX);
    }
}
