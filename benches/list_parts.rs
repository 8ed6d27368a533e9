//! Reading a 1,000-part `ListPartsResult` (the most a page holds): `presign::ListParts`
//! against `quick-xml`'s event reader, in one run.
//!
//! Both extract the same thing, checked equal before anything is timed: the upload ID,
//! `IsTruncated`, `NextPartNumberMarker`, `MaxParts`, and per part the number, the size, the
//! unescaped `ETag` (hashed character by character) and the length of `LastModified`. `ETag`s are
//! written `&quot;…&quot;` as S3 sends them, so both have to unescape. `quick-xml` reports
//! text and references as separate events; its `ETag`s are put together in one reused `String`
//! (no allocation per part after the first).
//!
//! Run `cargo bench --bench list_parts`. It prints the median throughput of each (MB/s,
//! 10^6 bytes per second, over 51 timed samples), then criterion's own report.

use std::fmt::Write as _;
use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput};
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::Event;

const PARTS: u16 = 1_000;

fn document() -> String {
    let mut doc = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <ListPartsResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">\n  \
         <Bucket>robotrace-episodes</Bucket>\n  \
         <Key>episodes/0b6fd3e2-6d3c-4c1e-9a57-8f1d2a3b4c5d/video/front_camera.mp4</Key>\n  \
         <UploadId>XXBsb2FkIElEIGZvciBlbHZpbmcncyVcdS1tb3ZpZS5tMnRzEEEwbG9hZA</UploadId>\n  \
         <Initiator>\n    <ID>arn:aws:iam::111122223333:user/some-user</ID>\n    \
         <DisplayName>some-user</DisplayName>\n  </Initiator>\n  \
         <Owner>\n    <ID>75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a</ID>\n    \
         <DisplayName>someName</DisplayName>\n  </Owner>\n  \
         <StorageClass>STANDARD</StorageClass>\n  \
         <PartNumberMarker>0</PartNumberMarker>\n  \
         <NextPartNumberMarker>1000</NextPartNumberMarker>\n  \
         <MaxParts>1000</MaxParts>\n  \
         <IsTruncated>true</IsTruncated>\n",
    );
    for n in 1..=PARTS {
        let hex = format!(
            "{:032x}",
            u128::from(n).wrapping_mul(0x9E37_79B9_7F4A_7C15_F39C_C060_5CED_C835)
        );
        write!(
            doc,
            "  <Part>\n    <PartNumber>{n}</PartNumber>\n    \
             <LastModified>2026-11-24T03:56:49.000Z</LastModified>\n    \
             <ETag>&quot;{hex}&quot;</ETag>\n    <Size>8388608</Size>\n  </Part>\n"
        )
        .expect("writing to a String cannot fail");
    }
    doc.push_str("</ListPartsResult>\n");
    doc
}

/// What both readers extract.
#[derive(Debug, Default, PartialEq, Eq)]
struct Summary {
    upload_id_len: usize,
    truncated: bool,
    next_marker: u16,
    max_parts: u32,
    count: u32,
    numbers: u64,
    sizes: u64,
    etag_hash: u64,
    modified_len: usize,
}

/// FNV-1a over the characters, so the unescaped text has to be produced.
fn hash_char(h: u64, c: char) -> u64 {
    (h ^ u64::from(u32::from(c))).wrapping_mul(0x0100_0000_01b3)
}

const FNV_START: u64 = 0xcbf2_9ce4_8422_2325;

fn with_presign(doc: &str) -> Summary {
    let list = presign::ListParts::read(doc).expect("the document is valid");
    let mut s = Summary {
        upload_id_len: list.upload_id().unescaped_len(),
        truncated: list.is_truncated(),
        next_marker: list.next_part_number_marker().unwrap_or(0),
        max_parts: list.max_parts().unwrap_or(0),
        etag_hash: FNV_START,
        ..Summary::default()
    };
    for part in list.parts() {
        s.count += 1;
        s.numbers += u64::from(part.number());
        s.sizes += part.size();
        s.etag_hash = part.etag().chars().fold(s.etag_hash, hash_char);
        s.modified_len += part.last_modified().map_or(0, |t| t.unescaped_len());
    }
    s
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Field {
    None,
    UploadId,
    Truncated,
    NextMarker,
    MaxParts,
    Number,
    Size,
    ETag,
    Modified,
}

fn with_quick_xml(doc: &str) -> Summary {
    let mut reader = quick_xml::Reader::from_str(doc);
    let mut s = Summary {
        etag_hash: FNV_START,
        ..Summary::default()
    };
    let mut field = Field::None;
    let mut depth = 0u32;
    let mut etag = String::new();
    let (mut number, mut size) = (0u16, 0u64);
    loop {
        match reader.read_event().expect("the document is valid") {
            Event::Start(e) => {
                depth += 1;
                field = match (depth, e.name().as_ref()) {
                    (2, "UploadId") => Field::UploadId,
                    (2, "IsTruncated") => Field::Truncated,
                    (2, "NextPartNumberMarker") => Field::NextMarker,
                    (2, "MaxParts") => Field::MaxParts,
                    (3, "PartNumber") => Field::Number,
                    (3, "Size") => Field::Size,
                    (3, "ETag") => {
                        etag.clear();
                        Field::ETag
                    }
                    (3, "LastModified") => Field::Modified,
                    _ => Field::None,
                };
            }
            Event::Text(t) => match field {
                Field::UploadId => s.upload_id_len = t.len(),
                Field::Truncated => s.truncated = &*t == "true",
                Field::NextMarker => s.next_marker = t.parse().expect("a number"),
                Field::MaxParts => s.max_parts = t.parse().expect("a number"),
                Field::Number => number = t.parse().expect("a number"),
                Field::Size => size = t.parse().expect("a number"),
                Field::ETag => etag.push_str(&t),
                Field::Modified => s.modified_len += t.len(),
                Field::None => {}
            },
            Event::GeneralRef(r) if field == Field::ETag => {
                match r.resolve_char_ref().expect("a valid reference") {
                    Some(c) => etag.push(c),
                    None => etag.push_str(resolve_predefined_entity(&r).expect("predefined")),
                }
            }
            Event::End(e) => {
                if depth == 2 && e.name().as_ref() == "Part" {
                    s.count += 1;
                    s.numbers += u64::from(number);
                    s.sizes += size;
                    s.etag_hash = etag.chars().fold(s.etag_hash, hash_char);
                }
                depth -= 1;
                field = Field::None;
            }
            Event::Eof => break,
            _ => {}
        }
    }
    s
}

/// The median time of one call over 51 samples of about 10 ms each, after a warm-up.
fn median(f: impl Fn() -> Summary) -> Duration {
    let start = Instant::now();
    let mut warm = 0u32;
    while start.elapsed() < Duration::from_millis(300) {
        black_box(f());
        warm += 1;
    }
    let per_sample = (warm / 30).max(1);
    let mut samples: Vec<Duration> = (0..51)
        .map(|_| {
            let t = Instant::now();
            for _ in 0..per_sample {
                black_box(f());
            }
            t.elapsed() / per_sample
        })
        .collect();
    samples.sort_unstable();
    samples[samples.len() / 2]
}

fn main() {
    let doc = document();
    let ours = with_presign(&doc);
    assert_eq!(ours, with_quick_xml(&doc), "the readers disagree");
    assert_eq!(ours.count, u32::from(PARTS));

    let bytes = doc.len();
    println!("ListPartsResult with {PARTS} parts: {bytes} bytes");
    for (name, time) in [
        (
            "presign ListParts",
            median(|| with_presign(black_box(&doc))),
        ),
        (
            "quick-xml events",
            median(|| with_quick_xml(black_box(&doc))),
        ),
    ] {
        // bytes per microsecond = 10^6 bytes per second.
        #[allow(clippy::cast_precision_loss, reason = "a few kB and microseconds")]
        let mb_per_s = bytes as f64 / time.as_secs_f64() / 1e6;
        println!("{name:<20} median {time:>10.2?}  {mb_per_s:>8.1} MB/s");
    }

    let mut c = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .configure_from_args();
    let mut group = c.benchmark_group("list_parts_1000");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("presign", |b| b.iter(|| with_presign(black_box(&doc))));
    group.bench_function("quick_xml", |b| b.iter(|| with_quick_xml(black_box(&doc))));
    group.finish();
    c.final_summary();
}
