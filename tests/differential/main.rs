//! Differential tests: `presign` against two independent SigV4 signers.
//!
//! * the official Rust signer, the `aws-sigv4` crate, configured the way the AWS SDK presigns
//!   S3 requests (query-string signature, `UNSIGNED-PAYLOAD`, single percent-encoding, no path
//!   normalisation, session token signed);
//! * Python `botocore`, through `tests/differential/botocore_presign.py`, which builds the object
//!   URL the way botocore's REST serializer does and signs it with `S3SigV4QueryAuth`.
//!
//! Thousands of inputs come from a seeded generator: unicode and reserved characters in keys,
//! session tokens, R2 / AWS / custom endpoints with ports and base paths, both addressing
//! styles, all methods, response overrides, extra signed query parameters and headers, times
//! across the whole SigV4 calendar and every TTL edge. For each input the URL from `presign`
//! must equal the URL from each peer: same scheme, host, port and path byte for byte, and the
//! same set of encoded query parameters (signature included). Expected values only ever come
//! from the peers.
//!
//! botocore is needed at test time (`pip install botocore`). Without it the botocore half is
//! skipped with a note, except when the `CI` environment variable is set, where it fails.
//!
//! One file per part: `generator.rs` (the inputs), `under_test.rs` (`presign` itself),
//! `aws_sigv4.rs` and `botocore.rs` (the peers, the second with its script
//! `botocore_presign.py`), `compare.rs` (what counts as the same URL); the tests are here.
#![cfg(feature = "alloc")]

#[path = "../common/mod.rs"]
mod common;

mod aws_sigv4;
mod botocore;
mod compare;
mod generator;
mod multipart;
mod under_test;

use std::collections::BTreeMap;

use presign::{Error, Method, Presigner};
use time::OffsetDateTime;

use compare::{Tally, report, same_url, signature_of};
use generator::{Case, EndpointSpec, GenericCase, Rng, gen_case};

/// Cases per run; every one goes to both peers.
const CASES: usize = 2500;
/// Cases (of those it models) also sent through botocore's S3 client.
const CLIENT_CASES: usize = 1000;
/// Fixed seed: the same inputs every run, so a failure reproduces.
const SEED: u64 = 0x5EED_D1FF_2026_0001;

#[test]
fn presign_matches_aws_sigv4_and_botocore() {
    let cases = generator::gen_cases();
    report(&format!("differential: {}", generator::describe(&cases)));

    // One presigner per group, reused in order, so its signing-key cache is hit, missed and
    // replaced across UTC days exactly as in a long-running service.
    let mut presigners: BTreeMap<usize, Presigner> = BTreeMap::new();
    let ours: Vec<Result<String, Error>> = cases
        .iter()
        .map(|case| {
            if let std::collections::btree_map::Entry::Vacant(slot) = presigners.entry(case.group) {
                slot.insert(under_test::build_presigner(case)?);
            }
            under_test::presign_with(&presigners[&case.group], case)
        })
        .collect();

    let mut sigv4 = Tally::new("aws-sigv4");
    for (case, ours) in cases.iter().zip(&ours) {
        sigv4.check(case, ours, &aws_sigv4::url(case));
    }

    let mut boto = Tally::new("botocore");
    let mut client = Tally::new("botocore S3 client");
    let mut steps_matched = 0;
    if let Some(version) = botocore::available() {
        report(&format!("differential: using {version}"));
        let expressible: Vec<&Case> = cases.iter().filter(|c| botocore::can_sign(c)).collect();
        boto.skipped = cases.len() - expressible.len();
        let (urls, steps) = botocore::urls(&expressible);
        assert_eq!(
            urls.len(),
            expressible.len(),
            "botocore answered every case"
        );
        for (case, ours) in cases.iter().zip(&ours) {
            if let Some(theirs) = urls.get(&case.id) {
                boto.check(case, ours, theirs);
            }
            if let Some((creq, sts)) = steps.get(&case.id) {
                compare::check_s3_steps(
                    case,
                    ours,
                    creq,
                    sts,
                    &mut steps_matched,
                    &mut boto.failures,
                );
            }
        }
        // The whole SDK path: the client builds the endpoint and the URL itself.
        // A client per endpoint costs tens of milliseconds to build: a few hundred cases.
        let requests: Vec<serde_json::Value> = cases
            .iter()
            .filter_map(botocore::client_request)
            .take(CLIENT_CASES)
            .collect();
        let (urls, _) = botocore::run(requests);
        for (case, ours) in cases.iter().zip(&ours) {
            if let Some(theirs) = urls.get(&case.id) {
                client.check(case, ours, theirs);
            }
        }
    }

    let summary = format!(
        "differential: {} cases matched aws-sigv4, {} cases matched botocore \
         ({} expired-credential refusals confirmed; {} cases botocore cannot express; \
         sigv4 module's canonical request and string to sign equal botocore's in {} cases; \
         {} cases matched botocore's S3 client generate_presigned_url)",
        sigv4.matched, boto.matched, sigv4.refused, boto.skipped, steps_matched, client.matched,
    );
    report(&summary);
    sigv4.assert_clean();
    boto.assert_clean();
    client.assert_clean();
    assert!(
        sigv4.matched >= 2000,
        "at least 2000 cases compared with aws-sigv4"
    );
}

/// The AWS documentation's presigned GET example, through all three signers.
#[test]
fn aws_documentation_example_matches_both_peers() {
    let case = Case {
        id: 0,
        group: 0,
        method: Method::Get,
        endpoint: EndpointSpec::Custom {
            url: "https://s3.amazonaws.com".to_owned(),
            region: "us-east-1".to_owned(),
        },
        virtual_hosted: true,
        bucket: "examplebucket".to_owned(),
        key: "test.txt".to_owned(),
        content_type: None,
        access_key: "AKIAIOSFODNN7EXAMPLE".to_owned(),
        secret: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY".to_owned(),
        token: None,
        cred_expiry: None,
        time: OffsetDateTime::from_unix_timestamp(1_369_353_600).expect("2013-05-24"),
        offset_minutes: 0,
        ttl: 86_400,
        overrides: Vec::new(),
        query: Vec::new(),
        headers: Vec::new(),
    };
    let ours = under_test::presign_case(&case).expect("presign the documented example");
    let theirs = aws_sigv4::url(&case).expect("aws-sigv4");
    assert_eq!(
        compare::normalized_parts(&ours),
        compare::normalized_parts(&theirs)
    );
    // The signature printed in the S3 docs ("Example: presigned URL", sigv4-query-string-auth).
    assert_eq!(
        signature_of(&theirs),
        "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"
    );
    if botocore::available().is_some() {
        let (urls, _) = botocore::urls(&[&case]);
        let boto = urls[&0].as_ref().expect("botocore signs");
        assert_eq!(
            compare::normalized_parts(&ours),
            compare::normalized_parts(boto)
        );
    }
}

/// Keys with a `.` or `..` segment are refused, whatever else is in the key; the same key with
/// the segment made longer is accepted and matches aws-sigv4.
#[test]
fn dot_segments_are_refused_and_near_misses_match_the_peer() {
    let mut rng = Rng(SEED ^ 0xD07);
    let mut refused = 0;
    for id in 0..300 {
        let mut case = gen_case(&mut rng, id);
        case.cred_expiry = None;
        if case.key.len() > 900 {
            case.key = "a/b".to_owned();
        }
        let dot = *rng.pick(&[".", ".."]);
        let good_key = case.key.clone();
        let segments: Vec<&str> = good_key.split('/').collect();
        let at = rng.index(segments.len() + 1);
        let mut with_dot: Vec<&str> = segments.clone();
        with_dot.insert(at, dot);
        case.key = with_dot.join("/");
        assert_eq!(
            under_test::presign_case(&case),
            Err(Error::DotSegmentInKey),
            "key {:?}",
            case.key
        );
        refused += 1;

        let near: String = format!("{dot}{}", *rng.pick(&["...", "a", " ", "%2E", "\u{2e}x"]));
        let mut near_key: Vec<&str> = segments.clone();
        near_key.insert(at, &near);
        case.key = near_key.join("/");
        if case.key.len() > 1024 {
            case.key.clone_from(&good_key);
        }
        let ours = under_test::presign_case(&case).expect("near miss is accepted");
        let theirs = aws_sigv4::url(&case).expect("aws-sigv4");
        assert!(
            same_url(&ours, &theirs),
            "key {:?}\n presign:   {ours}\n aws-sigv4: {theirs}",
            case.key,
        );
    }
    assert_eq!(refused, 300);
}

/// The comparison has teeth: a peer URL for a slightly different input never passes for
/// presign's URL.
#[test]
fn a_one_detail_difference_is_caught() {
    let mut rng = Rng(SEED ^ 0x7EE7);
    for id in 0..200 {
        let mut case = gen_case(&mut rng, id);
        case.cred_expiry = None;
        let ours = under_test::presign_case(&case).expect("valid input");
        let mut other = case.clone();
        match id % 5 {
            0 => other.secret.push('x'),
            1 => other.time += time::Duration::seconds(1),
            2 => other.key.push('~'),
            3 => other.ttl = if case.ttl == 1 { 2 } else { case.ttl - 1 },
            _ => other.access_key.push('X'),
        }
        let theirs = aws_sigv4::url(&other).expect("aws-sigv4");
        assert!(
            !same_url(&ours, &theirs),
            "change {} went unnoticed: {ours}",
            id % 5
        );
        assert_ne!(signature_of(&ours), signature_of(&theirs));
    }
}

/// Many threads share one presigner and sign across several UTC days at once: the lock-free
/// signing-key cache must never hand out another day's key. Every URL is checked against
/// aws-sigv4.
#[test]
fn shared_presigner_across_threads_and_days_matches_aws_sigv4() {
    let mut rng = Rng(SEED ^ 0x7A7A);
    let mut template = gen_case(&mut rng, 0);
    template.cred_expiry = None;
    let days: Vec<i64> = (0..4).map(|_| rng.range_i64(10_957, 47_482)).collect();
    let cases: Vec<Case> = (0..240)
        .map(|id| {
            let mut case = gen_case(&mut rng, id);
            case.group = 0;
            case.endpoint = template.endpoint.clone();
            case.virtual_hosted = template.virtual_hosted;
            case.bucket.clone_from(&template.bucket);
            case.access_key.clone_from(&template.access_key);
            case.secret.clone_from(&template.secret);
            case.token.clone_from(&template.token);
            case.cred_expiry = None;
            let day = days[id % days.len()];
            case.time =
                OffsetDateTime::from_unix_timestamp(day * 86_400 + rng.range_i64(0, 86_399))
                    .expect("in range");
            case
        })
        .collect();
    let expected: Vec<String> = cases
        .iter()
        .map(|c| aws_sigv4::url(c).expect("aws-sigv4"))
        .collect();
    let presigner = under_test::build_presigner(&template).expect("presigner");
    std::thread::scope(|scope| {
        for t in 0..4 {
            let (presigner, cases, expected) = (&presigner, &cases, &expected);
            scope.spawn(move || {
                for round in 0..3 {
                    for i in 0..cases.len() {
                        // Each thread walks the cases in its own order, so the days interleave.
                        let at = (i * (2 * t + 1) + round * 7 + t * 13) % cases.len();
                        let ours = under_test::presign_with(presigner, &cases[at]).expect("sign");
                        assert!(
                            same_url(&ours, &expected[at]),
                            "thread {t}, case {at}:\n presign:   {ours}\n aws-sigv4: {}",
                            expected[at]
                        );
                    }
                }
            });
        }
    });
}

/// `presign::sigv4::presign_query` under the generic rules (double encoding, optional
/// normalisation), every payload kind and both session-token modes, against aws-sigv4 on
/// every case and botocore on every case it can express. Where the two peers disagree with
/// each other (botocore drops the trailing slash of `/a/.`, RFC 3986 keeps it), presign
/// must side with aws-sigv4, and the disagreement is reported.
#[test]
fn generic_sigv4_matches_aws_sigv4_and_botocore() {
    let mut rng = Rng(SEED ^ 0x6E6E);
    let cases: Vec<GenericCase> = (0..1500)
        .map(|id| generator::gen_generic_case(&mut rng, id))
        .collect();
    let ours: Vec<Result<String, Error>> = cases.iter().map(under_test::generic_presign).collect();
    let sigv4: Vec<Result<String, String>> = cases.iter().map(aws_sigv4::generic_url).collect();

    let mut failures = Vec::new();
    let mut matched_sigv4 = 0;
    for ((case, ours), theirs) in cases.iter().zip(&ours).zip(&sigv4) {
        match (ours, theirs) {
            (Ok(o), Ok(t)) if same_url(o, t) => matched_sigv4 += 1,
            _ => failures.push(format!(
                "case {}: presign {ours:?}\n  aws-sigv4 {theirs:?}\n  input: {case:?}",
                case.id
            )),
        }
    }

    let (mut matched_boto, mut peers_disagree, mut skipped, mut steps_matched) = (0, 0, 0, 0);
    if botocore::available().is_some() {
        let requests: Vec<serde_json::Value> =
            cases.iter().filter_map(botocore::generic_request).collect();
        skipped = cases.len() - requests.len();
        let (urls, steps) = botocore::run(requests);
        for ((case, ours), theirs) in cases.iter().zip(&ours).zip(&sigv4) {
            let Some(boto) = urls.get(&case.id) else {
                continue;
            };
            match (ours, boto, theirs) {
                (Ok(o), Ok(b), _) if same_url(o, b) => {
                    matched_boto += 1;
                    let (creq, sts) = &steps[&case.id];
                    match under_test::generic_steps(case) {
                        Ok((our_creq, our_sts)) if our_creq == *creq && our_sts == *sts => {
                            steps_matched += 1;
                        }
                        other => failures.push(format!(
                            "case {}: sigv4 module steps {other:?}\n  botocore: {creq:?}\n  \
                             {sts:?}",
                            case.id
                        )),
                    }
                }
                // Known and only accepted disagreement: botocore's remove_dot_segments drops
                // the trailing slash that a final "." or ".." leaves (RFC 3986 §5.2.4 keeps
                // it, and so does aws-sigv4).
                (_, Ok(b), Ok(t))
                    if !same_url(b, t)
                        && case.normalize
                        && (case.path.ends_with("/.") || case.path.ends_with("/..")) =>
                {
                    peers_disagree += 1;
                    eprintln!(
                        "differential: botocore and aws-sigv4 disagree on path {:?}; \
                         presign sides with aws-sigv4 (RFC 3986)",
                        case.path
                    );
                }
                _ => failures.push(format!(
                    "case {}: presign {ours:?}\n  botocore {boto:?}\n  input: {case:?}",
                    case.id
                )),
            }
        }
    }
    let summary = format!(
        "differential (sigv4 module): {matched_sigv4} cases matched aws-sigv4, {matched_boto} \
         cases matched botocore ({peers_disagree} where the peers disagree; {skipped} cases \
         botocore cannot express; canonical request and string to sign equal botocore's in \
         {steps_matched} cases)"
    );
    report(&summary);
    assert!(
        failures.is_empty(),
        "{} failures; first ones:\n{}",
        failures.len(),
        failures
            .iter()
            .take(8)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n\n")
    );
}

/// Every multipart step and bound upload, 1,000 fresh cases each, equal to botocore's S3
/// client (`generate_presigned_url` for the same operation and parameters).
#[test]
fn multipart_and_bound_uploads_match_botocore() {
    if botocore::available().is_none() {
        return;
    }
    for (op, tally) in multipart::compare_all(1_000, SEED ^ 0x4D55_4C54) {
        for failure in tally.failures.iter().take(2) {
            report(failure);
        }
        tally.assert_clean();
        assert_eq!(tally.matched, 1_000, "{op:?}");
    }
}
