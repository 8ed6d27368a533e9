//! The multipart steps and bound uploads against botocore's S3 client: for each operation,
//! fresh random cases (endpoints, keys, credentials and times from the shared generator;
//! upload ids, part numbers, pages and bindings from here) signed by `presign` and by
//! `generate_presigned_url` for the same operation and parameters.
//!
//! Where botocore and `presign` differ in form only: botocore writes `uploadId` before
//! `partNumber` in the URL and `uploads=` first; the canonical query is sorted either way,
//! so the signatures must be equal and the query parameter sets the same.

use presign::{
    Checksum, ChecksumAlgorithm, ContentType, Error, GetTtl, ObjectRequest, PartNumber, PartsPage,
    PresignedRequest, PutTtl, Ttl, UploadBindings, UploadId,
};

use crate::botocore;
use crate::compare::{Tally, report};
use crate::generator::{Case, EndpointSpec, Rng, gen_case};
use crate::under_test::build_presigner;

/// The operations compared, by botocore's name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Op {
    CreateMultipartUpload,
    UploadPart,
    CompleteMultipartUpload,
    AbortMultipartUpload,
    ListParts,
    PutObject,
}

impl Op {
    pub(crate) const ALL: [Self; 6] = [
        Self::CreateMultipartUpload,
        Self::UploadPart,
        Self::CompleteMultipartUpload,
        Self::AbortMultipartUpload,
        Self::ListParts,
        Self::PutObject,
    ];

    fn name(self) -> &'static str {
        match self {
            Self::CreateMultipartUpload => "create_multipart_upload",
            Self::UploadPart => "upload_part",
            Self::CompleteMultipartUpload => "complete_multipart_upload",
            Self::AbortMultipartUpload => "abort_multipart_upload",
            Self::ListParts => "list_parts",
            Self::PutObject => "put_object",
        }
    }
}

/// One case: a generated object case, and the multipart or binding inputs on top.
pub(crate) struct OpCase {
    pub(crate) op: Op,
    base: Case,
    upload_id: String,
    part: u32,
    max_parts: Option<u32>,
    marker: Option<u32>,
    content_type: String,
    content_length: Option<u64>,
    md5: Option<[u8; 16]>,
    checksum: Option<(ChecksumAlgorithm, Vec<u8>)>,
    if_none_match: bool,
}

const UPLOAD_ID_CHARS: &[u8] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-~+/=";

fn gen_upload_id(rng: &mut Rng) -> String {
    let len = if rng.chance(20) {
        rng.range(200, 600)
    } else {
        rng.range(8, 120)
    };
    (0..len)
        .map(|_| char::from(*rng.pick(UPLOAD_ID_CHARS)))
        .collect()
}

fn bytes(rng: &mut Rng, len: usize) -> Vec<u8> {
    (0..len).map(|_| rng.range(0, 255) as u8).collect()
}

/// The case generator's cases that botocore's client can take (its region check, whole
/// four-digit years, no credential expiry to clamp to).
fn base_case(rng: &mut Rng, id: usize) -> Case {
    loop {
        let mut case = gen_case(rng, id);
        case.cred_expiry = None;
        case.headers.clear();
        case.query.clear();
        case.overrides.clear();
        let region = case.endpoint.region();
        // botocore's client refuses some region spellings (`1`, `-a`) outright.
        let region_ok = (2..64).contains(&region.len())
            && region.bytes().any(|b| b.is_ascii_alphabetic())
            && !region.starts_with('-')
            && !region.ends_with('-');
        if region_ok && botocore::can_sign(&case) && build_presigner(&case).is_ok() {
            return case;
        }
    }
}

pub(crate) fn gen_op_case(rng: &mut Rng, op: Op, id: usize) -> OpCase {
    let base = base_case(rng, id);
    let bound = matches!(op, Op::UploadPart | Op::PutObject);
    let checksum = (bound && rng.chance(50)).then(|| {
        let algorithm = *rng.pick(&ChecksumAlgorithm::ALL);
        (algorithm, bytes(rng, algorithm.digest_len()))
    });
    OpCase {
        op,
        upload_id: gen_upload_id(rng),
        part: rng.range(1, 10_000) as u32,
        max_parts: rng.chance(50).then(|| rng.range(1, 1000) as u32),
        marker: rng.chance(50).then(|| rng.range(1, 10_000) as u32),
        content_type: base
            .content_type
            .clone()
            .unwrap_or_else(|| "application/octet-stream".to_owned()),
        content_length: (bound && rng.chance(50)).then(|| rng.range(0, 1 << 33)),
        md5: (bound && rng.chance(50)).then(|| bytes(rng, 16).try_into().expect("16")),
        checksum,
        if_none_match: matches!(op, Op::PutObject | Op::CompleteMultipartUpload) && rng.chance(50),
        base,
    }
}

impl OpCase {
    fn bindings(&self) -> UploadBindings {
        let mut b = UploadBindings::new();
        if let Some(len) = self.content_length {
            b = b.content_length(len);
        }
        if let Some(md5) = &self.md5 {
            b = b.content_md5(md5);
        }
        if let Some((algorithm, digest)) = &self.checksum {
            let text = base64(digest);
            b = b.checksum(Checksum::from_base64(*algorithm, &text).expect("canonical base64"));
        }
        if self.if_none_match {
            b = b.if_none_match_any();
        }
        b
    }

    /// `presign`'s URL for the case.
    pub(crate) fn ours(&self) -> Result<PresignedRequest, Error> {
        let case = &self.base;
        let p = build_presigner(case)?;
        let (bucket, key, now) = (case.bucket.as_str(), case.key.as_str(), case.local_time());
        let ttl = u64::from(case.ttl);
        let id = UploadId::new(&self.upload_id)?;
        let bound = self.bindings();
        let ct = ContentType::new(&self.content_type)?;
        match self.op {
            Op::CreateMultipartUpload => {
                p.create_multipart_upload(bucket, key, &ct, Ttl::from_secs(ttl)?, now)
            }
            Op::UploadPart => {
                let upload = p.multipart_upload(bucket, key, id)?;
                upload.bound_part(
                    PartNumber::new(self.part)?,
                    &bound,
                    PutTtl::from_secs(ttl)?,
                    now,
                )
            }
            Op::CompleteMultipartUpload => p.multipart_upload(bucket, key, id)?.complete(
                Some(&bound),
                Ttl::from_secs(ttl)?,
                now,
            ),
            Op::AbortMultipartUpload => p
                .multipart_upload(bucket, key, id)?
                .abort(Ttl::from_secs(ttl)?, now),
            Op::ListParts => {
                let marker = self.marker.map(PartNumber::new).transpose()?;
                let page = PartsPage::new(self.max_parts, marker)?;
                p.presign(
                    &ObjectRequest::list_parts(bucket, key, id, page, GetTtl::from_secs(ttl)?),
                    now,
                )
            }
            Op::PutObject => p.presign(
                &ObjectRequest::put(bucket, key, &ct, PutTtl::from_secs(ttl)?)
                    .with_bindings(&bound),
                now,
            ),
        }
    }

    /// The request for botocore's client: the operation and its model's parameters.
    pub(crate) fn botocore_request(&self) -> serde_json::Value {
        let case = &self.base;
        let mut params = serde_json::json!({ "Bucket": case.bucket, "Key": case.key });
        let map = params.as_object_mut().expect("object");
        if self.op != Op::CreateMultipartUpload && self.op != Op::PutObject {
            map.insert("UploadId".into(), self.upload_id.clone().into());
        }
        match self.op {
            Op::CreateMultipartUpload | Op::PutObject => {
                map.insert("ContentType".into(), self.content_type.clone().into());
            }
            Op::UploadPart => {
                map.insert("PartNumber".into(), self.part.into());
            }
            Op::ListParts => {
                if let Some(max) = self.max_parts {
                    map.insert("MaxParts".into(), max.into());
                }
                if let Some(marker) = self.marker {
                    map.insert("PartNumberMarker".into(), marker.into());
                }
            }
            Op::CompleteMultipartUpload | Op::AbortMultipartUpload => {}
        }
        if let Some(len) = self.content_length {
            map.insert("ContentLength".into(), len.into());
        }
        if let Some(md5) = &self.md5 {
            map.insert("ContentMD5".into(), base64(md5).into());
        }
        if let Some((algorithm, digest)) = &self.checksum {
            let param = match algorithm {
                ChecksumAlgorithm::Crc32 => "ChecksumCRC32",
                ChecksumAlgorithm::Crc32c => "ChecksumCRC32C",
                ChecksumAlgorithm::Crc64Nvme => "ChecksumCRC64NVME",
                ChecksumAlgorithm::Sha1 => "ChecksumSHA1",
                _ => "ChecksumSHA256",
            };
            map.insert(param.into(), base64(digest).into());
        }
        if self.if_none_match {
            map.insert("IfNoneMatch".into(), "*".into());
        }
        let endpoint_url = match &case.endpoint {
            EndpointSpec::Aws { .. } => None,
            other => Some(other.base_url()),
        };
        serde_json::json!({
            "id": case.id,
            "client": true,
            "operation": self.op.name(),
            "params": params,
            "method": "GET",
            "region": case.endpoint.region(),
            "endpoint_url": endpoint_url,
            "addressing": if case.virtual_hosted { "virtual" } else { "path" },
            "bucket": case.bucket,
            "key": case.key,
            "access_key": case.access_key,
            "secret": case.secret,
            "token": case.token,
            "time": case.time.unix_timestamp(),
            "expires": case.ttl,
        })
    }
}

/// Standard padded base64, written here independently of the crate's encoder.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Runs `per_op` fresh cases of every operation through both signers; returns the tallies.
pub(crate) fn compare_all(per_op: usize, seed: u64) -> Vec<(Op, Tally)> {
    let mut rng = Rng(seed);
    let mut results = Vec::new();
    for op in Op::ALL {
        let cases: Vec<OpCase> = (0..per_op).map(|i| gen_op_case(&mut rng, op, i)).collect();
        let (answers, _) = botocore::run(cases.iter().map(OpCase::botocore_request).collect());
        let mut tally = Tally::new(op.name());
        for case in &cases {
            let ours = case.ours().map(PresignedRequest::into_url);
            let theirs = answers
                .get(&case.base.id)
                .cloned()
                .unwrap_or_else(|| Err("no answer".into()));
            tally.check(&case.base, &ours, &theirs);
        }
        report(&format!(
            "{}: {} of {per_op} URLs equal to botocore's client ({} skipped)",
            op.name(),
            tally.matched,
            tally.skipped
        ));
        results.push((op, tally));
    }
    results
}
