//! `Verifier::verify` (and `verify_with_payload`) on any request: a request target that is
//! any text or a minted target after edits, any host, any headers, any policy, any time,
//! any store. It never panics; an accepted request is consistent (expiry = signing time +
//! lifetime, inside the window and the policy, the scope's region and service the
//! policy's); every refusal renders (reason, S3 message, canonical request and string to
//! sign for a mismatch) without panicking, and its log line never shows the signature.

#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use presign::{
    Credentials, Endpoint, GetTtl, Policy, Presigner, ReceivedRequest, S3ErrorCode, Ttl,
    Verifier,
};
use presign_fuzz::Choice;
use time::{Duration, OffsetDateTime};

const METHODS: [&str; 4] = ["GET", "PUT", "", "get"];
const HOSTS: [&str; 3] = ["h", "bucket.s3.eu-west-1.amazonaws.com", ""];
const NAMES: [&str; 6] = ["content-type", "host", "x-amz-date", "Authorization", "x-amz-content-sha256", "range"];
const VALUES: [&str; 3] = ["video/mp4", "  a   b ", "UNSIGNED-PAYLOAD"];
const REGIONS: [&str; 3] = ["us-east-1", "auto", "eu-west-1"];

#[derive(Arbitrary, Debug)]
enum Target {
    /// Any text.
    Raw(String),
    /// A URL from `Presigner`, its target then edited.
    Minted {
        custom: bool,
        key: String,
        token: bool,
        ttl: u32,
        time: u32,
        edits: Vec<Edit>,
    },
}

#[derive(Arbitrary, Debug)]
enum Edit {
    Replace(u16, char),
    Insert(u16, char),
    Delete(u16),
    Append(String),
}

#[derive(Arbitrary, Debug)]
struct Input {
    method: Choice,
    target: Target,
    host: Choice,
    headers: Vec<(Choice, Choice)>,
    region: u8,
    service_s3: bool,
    skew: u16,
    max_lifetime: u32,
    /// Seconds around the minted time (or from 1970 for raw targets).
    now: i32,
    secret: Choice,
    payload: Option<String>,
}

/// A minted target: the path and query of a URL signed with key id `AKID` and secret
/// `secret`, and the signing time.
fn minted(custom: bool, key: &str, token: bool, ttl: u32, time: u32) -> Option<(String, OffsetDateTime)> {
    let endpoint = if custom {
        Endpoint::custom("http://h", "us-east-1")
    } else {
        Endpoint::aws_s3("eu-west-1")
    }
    .ok()?;
    let mut creds = Credentials::new("AKID", "secret").ok()?;
    if token {
        creds = creds.with_session_token("FwoG+token/==").ok()?;
    }
    let time = OffsetDateTime::from_unix_timestamp(i64::from(time)).ok()?;
    let url = Presigner::new(endpoint, creds)
        .get_object("bucket", key, GetTtl::from_secs(u64::from(ttl % 604_800 + 1)).ok()?, time)
        .ok()?
        .into_url();
    let rest = url.split_once("://")?.1;
    let target = rest.get(rest.find('/')?..)?.to_owned();
    Some((target, time))
}

fn apply(text: &mut String, edit: &Edit) {
    let at = |i: u16| {
        let mut i = usize::from(i) % (text.len() + 1);
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    match edit {
        Edit::Replace(i, c) => {
            let i = at(*i);
            if let Some(old) = text[i..].chars().next() {
                text.replace_range(i..i + old.len_utf8(), &c.to_string());
            }
        }
        Edit::Insert(i, c) => {
            let i = at(*i);
            text.insert(i, *c);
        }
        Edit::Delete(i) => {
            let i = at(*i);
            if let Some(old) = text[i..].chars().next() {
                text.replace_range(i..i + old.len_utf8(), "");
            }
        }
        Edit::Append(s) => text.push_str(s),
    }
}

fuzz_target!(|input: Input| {
    let (target, base_time) = match &input.target {
        Target::Raw(text) => (text.clone(), OffsetDateTime::UNIX_EPOCH),
        Target::Minted { custom, key, token, ttl, time, edits } => {
            let Some((mut target, time)) = minted(*custom, key, *token, *ttl, *time) else {
                return;
            };
            for edit in edits.iter().take(8) {
                apply(&mut target, edit);
            }
            (target, time)
        }
    };
    let regions = [REGIONS[usize::from(input.region) % REGIONS.len()]];
    let mut policy = Policy::new(&regions).expect("valid regions").with_clock_skew_secs(input.skew.into());
    if let Ok(ttl) = Ttl::from_secs(u64::from(input.max_lifetime)) {
        policy = policy.with_max_lifetime(ttl);
    }
    if !input.service_s3 {
        policy = policy.with_service("sts").expect("valid service");
    }
    let Ok(store) = Credentials::new("AKID", input.secret.pick(&["secret", "other"])) else {
        return;
    };
    let store = match store.clone().with_session_token("FwoG+token/==") {
        Ok(with_token) if input.region % 2 == 1 => with_token,
        _ => store,
    };
    let verifier = Verifier::new(policy, store);
    let headers: Vec<(&str, &str)> = input
        .headers
        .iter()
        .take(16)
        .map(|(n, v)| (n.pick(&NAMES), v.pick(&VALUES)))
        .collect();
    let request = ReceivedRequest {
        method: input.method.pick(&METHODS),
        target: &target,
        host: input.host.pick(&HOSTS),
        headers: &headers,
    };
    let now = base_time + Duration::seconds(i64::from(input.now));
    let result = match &input.payload {
        Some(payload) => verifier.verify_with_payload(&request, payload, now),
        None => verifier.verify(&request, now),
    };
    match result {
        Ok(verified) => {
            assert_eq!(
                verified.expires_at(),
                verified.signed_at() + Duration::seconds(verified.lifetime_secs().into())
            );
            assert!(now < verified.expires_at(), "accepted after the expiry");
            assert!(
                verified.signed_at() <= now + Duration::seconds(input.skew.into()),
                "accepted before the window"
            );
            assert!(verified.lifetime_secs() >= 1);
            assert!(verified.lifetime_secs() <= verifier.policy().max_lifetime_secs());
            assert!(verified.region().eq_decoded(regions[0]));
            assert!(verified.service().eq_decoded(verifier.policy().service()));
            assert_eq!(verified.scope_date(), verified.signed_at().date());
        }
        Err(rejection) => {
            let line = rejection.to_string();
            let _ = rejection.s3_message().to_string();
            let _ = format!("{rejection:?}");
            assert!(matches!(rejection.http_status(), 400 | 403));
            let mismatch = rejection.error_code() == S3ErrorCode::SignatureDoesNotMatch;
            if let Some(canonical) = rejection.canonical_request() {
                assert!(mismatch);
                let text = canonical.to_string();
                assert!(text.starts_with(request.method), "{text}");
                let sts = rejection.string_to_sign().expect("with the canonical request").to_string();
                assert!(sts.starts_with("AWS4-HMAC-SHA256\n"), "{sts}");
            }
            // The signature never reaches a log line (when it is one and appears nowhere
            // else in the target).
            let query = target.split_once('?').map_or("", |(_, q)| q);
            let signature = query
                .split('&')
                .filter_map(|pair| pair.strip_prefix("X-Amz-Signature="))
                .find(|v| v.len() == 64 && v.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')));
            if let Some(signature) = signature {
                if target.matches(signature).count() == 1 {
                    assert!(!line.contains(signature), "{line}");
                    assert!(!format!("{rejection:?}").contains(signature));
                }
            }
        }
    }
});
