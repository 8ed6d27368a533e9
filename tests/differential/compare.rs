//! Comparing URLs: what counts as the same URL, the tally of matches and failures per peer,
//! and the check of the lower-level `sigv4` module's steps against botocore's.

use std::io::Write;

use presign::{Error, sigv4};

use crate::common::{query_param, url_parts};
use crate::generator::Case;

/// Writes a line to the real stderr: libtest captures `println!`/`eprintln!` of passing
/// tests, and the case counts are meant to be seen on every run.
pub(crate) fn report(line: &str) {
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

/// `scheme://authority/path` and the sorted raw `name=value` query pairs, a default port
/// left out: `https://h:443/p` names the same origin as `https://h/p`.
pub(crate) fn normalized_parts(url: &str) -> (String, Vec<&str>) {
    let (prefix, pairs) = url_parts(url);
    let prefix = match prefix.split_once("://") {
        Some((scheme, rest)) => {
            let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
            let default = if scheme == "https" { ":443" } else { ":80" };
            let authority = authority.strip_suffix(default).unwrap_or(authority);
            format!("{scheme}://{authority}{path}")
        }
        None => prefix.to_owned(),
    };
    (prefix, pairs)
}

pub(crate) fn signature_of(url: &str) -> &str {
    query_param(url, "X-Amz-Signature").unwrap_or("<none>")
}

/// Same scheme, host, port and path byte for byte, and the same set of encoded query
/// parameters (signature included).
pub(crate) fn same_url(ours: &str, theirs: &str) -> bool {
    normalized_parts(ours) == normalized_parts(theirs)
}

pub(crate) struct Tally {
    peer: &'static str,
    pub(crate) matched: usize,
    /// Inputs presign had to refuse (expired credentials), and did.
    pub(crate) refused: usize,
    /// Inputs this peer cannot express (botocore: repeated query names).
    pub(crate) skipped: usize,
    pub(crate) failures: Vec<String>,
}

impl Tally {
    pub(crate) fn new(peer: &'static str) -> Self {
        Self {
            peer,
            matched: 0,
            refused: 0,
            skipped: 0,
            failures: Vec::new(),
        }
    }

    pub(crate) fn check(
        &mut self,
        case: &Case,
        ours: &Result<String, Error>,
        theirs: &Result<String, String>,
    ) {
        if let Err(expected) = case.effective_ttl() {
            if ours.as_ref().err() == Some(&expected) {
                self.refused += 1;
            } else {
                self.failures.push(format!(
                    "case {id}: expected {expected:?}, presign gave {ours:?}\n  input: {case:?}",
                    id = case.id
                ));
            }
            return;
        }
        match (ours, theirs) {
            (Ok(ours), Ok(theirs)) if same_url(ours, theirs) => self.matched += 1,
            (Ok(ours), Ok(theirs)) => self.failures.push(format!(
                "case {id}: URL differs from {peer}\n  input: {case:?}\n  presign:  {o}\n  {peer}: {theirs}\n  signatures: {os} vs {ts}",
                id = case.id,
                peer = self.peer,
                o = ours,
                os = signature_of(ours),
                ts = signature_of(theirs),
            )),
            (Err(e), _) => self.failures.push(format!(
                "case {id}: presign refused a valid input: {e:?} ({e})\n  input: {case:?}",
                id = case.id
            )),
            (Ok(_), Err(e)) => self.failures.push(format!(
                "case {id}: {peer} failed: {e}\n  input: {case:?}",
                id = case.id,
                peer = self.peer
            )),
        }
    }

    pub(crate) fn assert_clean(&self) {
        assert!(
            self.failures.is_empty(),
            "{} of {} cases disagree with {}; first ones:\n{}",
            self.failures.len(),
            self.failures.len() + self.matched,
            self.peer,
            self.failures
                .iter()
                .take(8)
                .cloned()
                .collect::<Vec<_>>()
                .join("\n\n")
        );
    }
}

/// The S3 case through the lower-level `sigv4` module (`Rules::S3`, decoded path): its
/// canonical request and string to sign must equal botocore's text, and its query string
/// must be exactly the query of the presigner's URL.
pub(crate) fn check_s3_steps(
    case: &Case,
    ours: &Result<String, Error>,
    creq: &str,
    sts: &str,
    matched: &mut usize,
    failures: &mut Vec<String>,
) {
    let Ok(url) = ours else { return };
    let Ok(ttl) = case.effective_ttl() else {
        return;
    };
    let base = case.endpoint.base_url();
    let rest = base.split_once("://").expect("scheme").1;
    let (authority, base_path) = match rest.find('/') {
        Some(i) => (&rest[..i], rest[i..].trim_end_matches('/')),
        None => (rest, ""),
    };
    let authority = authority
        .strip_suffix(":443")
        .filter(|_| base.starts_with("https:"))
        .or_else(|| {
            authority
                .strip_suffix(":80")
                .filter(|_| base.starts_with("http:"))
        })
        .unwrap_or(authority);
    let (host, path) = if case.virtual_hosted {
        (
            format!("{}.{authority}", case.bucket),
            format!("{base_path}/{}", case.key),
        )
    } else {
        (
            authority.to_owned(),
            format!("{base_path}/{}/{}", case.bucket, case.key),
        )
    };
    let mut headers = case.signed_headers();
    headers.push(("host", &host));
    let query = case.signed_query();
    let params = sigv4::SigningParams {
        access_key_id: &case.access_key,
        secret_access_key: &case.secret,
        session_token: case.token.as_deref().map(sigv4::SessionToken::Signed),
        region: case.endpoint.region(),
        service: "s3",
        time: case.local_time(),
        expires_in_secs: ttl,
        rules: sigv4::Rules::S3,
        payload: sigv4::PayloadHash::Unsigned,
    };
    let request = sigv4::HttpRequest {
        method: case.method.as_str(),
        path: &path,
        query: &query,
        headers: &headers,
    };
    let (mut our_creq, mut our_sts, mut our_query) = (String::new(), String::new(), String::new());
    let result = sigv4::canonical_request(&request, &params, &mut our_creq)
        .and_then(|()| sigv4::string_to_sign(&request, &params, &mut our_sts))
        .and_then(|()| sigv4::presign_query(&request, &params, &mut our_query));
    let url_query = url.split_once('?').map_or("", |(_, q)| q);
    if result.is_ok() && our_creq == creq && our_sts == sts && our_query == url_query {
        *matched += 1;
    } else {
        failures.push(format!(
            "case {}: sigv4 module (Rules::S3) {result:?}\n  canonical request {our_creq:?}\n  \
             botocore's         {creq:?}\n  string to sign {our_sts:?}\n  botocore's     \
             {sts:?}\n  query {our_query}\n  URL's {url_query}",
            case.id
        ));
    }
}
