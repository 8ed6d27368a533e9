//! The multipart bodies: every reader on arbitrary text and on mutations of the AWS sample
//! documents must return a value or a typed error, never panic; what a reader returns must
//! be self-consistent (the `ListParts` iterator yields `part_count` parts, every text
//! unescapes the way an independent model of XML references says). Parts written with
//! `write_complete_multipart_upload` must be refused exactly when a model of the documented
//! rules refuses them, else fit `complete_multipart_upload_max_len`, and read back unchanged
//! from a `ListPartsResult` page built from the body in several layouts.

#![no_main]

use std::fmt::Write as _;

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use presign::{
    BodyError, CompleteOutcome, CompletedPart, InitiateResult, ListParts, S3ErrorBody, XmlText,
    complete_multipart_upload_max_len, write_complete_multipart_upload,
};

/// Documents to mutate: the AWS samples (API_ListParts, API_CreateMultipartUpload,
/// API_CompleteMultipartUpload, ErrorResponses) in short form, and the tricky constructs.
const SAMPLES: &[&str] = &[
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListPartsResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">\
     <Bucket>example-bucket</Bucket><Key>example-object</Key><UploadId>XXBsb2FkIElE</UploadId>\
     <Initiator><ID>arn:aws:iam::111122223333:user/some-user</ID></Initiator><StorageClass>STANDARD</StorageClass>\
     <PartNumberMarker>1</PartNumberMarker><NextPartNumberMarker>3</NextPartNumberMarker><MaxParts>2</MaxParts>\
     <IsTruncated>true</IsTruncated><Part><PartNumber>2</PartNumber><LastModified>2010-11-10T20:48:34.000Z</LastModified>\
     <ETag>\"7778aef83f66abc1fa1e8477f296d394\"</ETag><Size>10485760</Size></Part><Part><PartNumber>3</PartNumber>\
     <ETag>&quot;aaaa18db4cc2f85cedef654fccc4a4x8&quot;</ETag><Size>10485760</Size></Part></ListPartsResult>",
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<InitiateMultipartUploadResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">\
     <Bucket>amzn-s3-demo-bucket</Bucket><Key>example-object</Key>\
     <UploadId>VXBsb2FkIElEIGZvciA2aWWpbmcncyBteS1tb3ZpZS5tMnRzIHVwbG9hZA</UploadId></InitiateMultipartUploadResult>",
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CompleteMultipartUploadResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">\
     <Location>http://Example-Bucket.s3.Region.amazonaws.com/Example-Object</Location><Bucket>Example-Bucket</Bucket>\
     <Key>Example-Object</Key><ETag>\"3858f62230ac3c915f300c664312c11f-9\"</ETag></CompleteMultipartUploadResult>",
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\n<Error><Code>InternalError</Code>\
     <Message>We encountered an internal error. Please try again.</Message>\
     <RequestId>656c76696e6727732072657175657374</RequestId><HostId>Uuag1LuByRx9e6j5Onimru9pO4ZVKnJ2Qz7/C1NPcfTWAtRPfTaOFg==</HostId></Error>",
    "\u{feff} <!-- c --><Error a='1' b=\"x>y\"><Code>&#x22;&#34;&amp;&lt;&gt;&apos;</Code><X><Y/><Z>t</Z></X></Error>",
];

#[derive(Arbitrary, Debug)]
enum Input {
    /// Arbitrary text to every reader.
    Raw(String),
    /// A sample with text inserted at `at` and cut at `cut` (both rounded to characters).
    Mutated {
        sample: u8,
        at: u16,
        insert: String,
        cut: Option<u16>,
    },
    /// Parts written, then read back; `valid` maps the numbers into 1..=10000, sorts them
    /// and drops repeats, so most lists pass the writer's checks.
    RoundTrip {
        parts: Vec<(u16, String)>,
        valid: bool,
        layout: Layout,
    },
}

/// How the `ListPartsResult` page is laid out around the written parts.
#[derive(Arbitrary, Debug)]
struct Layout {
    declaration: bool,
    pretty: bool,
    comments: bool,
    unknown_elements: bool,
    numeric_references: bool,
    last_modified: bool,
}

/// XML references decoded independently: `None` where the crate must refuse.
fn model_unescape(raw: &str) -> Option<String> {
    if raw.contains('<') {
        return None;
    }
    let mut out = String::new();
    let mut rest = raw;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let semi = after.find(';')?;
        let name = &after[..semi];
        let c = match name {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            _ => {
                let (digits, radix) = if let Some(hex) = name.strip_prefix("#x") {
                    (hex, 16)
                } else {
                    (name.strip_prefix('#')?, 10)
                };
                if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
                    return None;
                }
                let c = char::from_u32(u32::from_str_radix(digits, radix).ok()?)?;
                let xml_char = matches!(u32::from(c), 0x9 | 0xA | 0xD | 0x20..=0xD7FF | 0xE000..=0xFFFD | 0x10000..=0x10FFFF);
                if !xml_char {
                    return None;
                }
                c
            }
        };
        out.push(c);
        rest = &after[semi + 1..];
    }
    out.push_str(rest);
    Some(out)
}

/// Checks one text a reader returned against the model.
fn check_text(text: XmlText<'_>) {
    let model = model_unescape(text.raw()).expect("a reader returned text the model refuses");
    let shown = text.to_string();
    assert_eq!(shown, model, "{:?}", text.raw());
    assert_eq!(text.chars().collect::<String>(), model);
    assert_eq!(text.unescaped_len(), model.len());
    assert_eq!(text.needs_unescaping(), text.raw().contains('&'));
    assert!(text == model.as_str());
    assert_eq!(text.as_plain_str().is_some(), !text.needs_unescaping());
}

fn check_error(err: &S3ErrorBody<'_>) {
    check_text(err.code());
    for t in [err.message(), err.resource(), err.request_id(), err.host_id()]
        .into_iter()
        .flatten()
    {
        check_text(t);
    }
    let _ = err.to_string();
}

/// Runs every reader on `doc` and checks what they return.
fn read_all(doc: &str) {
    if let Ok(init) = InitiateResult::read(doc) {
        assert!(!init.upload_id().raw().is_empty());
        check_text(init.upload_id());
        init.bucket().into_iter().chain(init.key()).for_each(check_text);
    }
    if let Ok(list) = ListParts::read(doc) {
        assert!(!list.upload_id().raw().is_empty());
        check_text(list.upload_id());
        assert_eq!(list.parts().len(), list.part_count());
        let mut n = 0;
        for part in list.parts() {
            assert!((1..=10_000).contains(&part.number()));
            check_text(part.etag());
            part.last_modified().into_iter().for_each(check_text);
            n += 1;
        }
        assert_eq!(n, list.part_count());
        assert!(list.next_part_number_marker().is_none_or(|m| m <= 10_000));
    }
    if let Ok(err) = S3ErrorBody::read(doc) {
        check_error(&err);
    }
    match CompleteOutcome::read(doc) {
        Ok(CompleteOutcome::Completed(done)) => {
            check_text(done.etag());
            [done.location(), done.bucket(), done.key()]
                .into_iter()
                .flatten()
                .for_each(check_text);
        }
        Ok(CompleteOutcome::Failed(err)) => check_error(&err),
        Err(e) => {
            let _ = e.to_string();
        }
    }
    // `from_raw` agrees with the model on any text.
    assert_eq!(
        XmlText::from_raw(doc).ok().map(|t| t.to_string()),
        model_unescape(doc)
    );
}

/// The first fault of a part list, as the writer's documentation orders the checks.
fn model_refusal(parts: &[(u16, &str)]) -> Option<BodyError> {
    if parts.is_empty() {
        return Some(BodyError::NoParts);
    }
    for (index, &(number, etag)) in parts.iter().enumerate() {
        if !(1..=10_000).contains(&number) {
            return Some(BodyError::PartNumberOutOfRange { index, number });
        }
        if index > 0 {
            let previous = parts[index - 1].0;
            if number == previous {
                return Some(BodyError::DuplicatePart { index, number });
            }
            if number < previous {
                return Some(BodyError::PartsOutOfOrder {
                    index,
                    number,
                    previous,
                });
            }
        }
        if etag.is_empty() {
            return Some(BodyError::EmptyEtag { index, number });
        }
        if let Some((offset, character)) = etag
            .char_indices()
            .find(|&(_, c)| c.is_control() || c == '\u{FFFE}' || c == '\u{FFFF}')
        {
            return Some(BodyError::InvalidEtagCharacter {
                index,
                number,
                character,
                offset,
            });
        }
    }
    None
}

/// The body turned into a `ListPartsResult` page: part n gets `Size` n.
fn list_page(body: &str, layout: &Layout) -> String {
    const START: &str =
        "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">";
    let inner = body
        .strip_prefix(START)
        .and_then(|b| b.strip_suffix("</CompleteMultipartUpload>"))
        .expect("the body's root as documented");
    let mut parts = String::new();
    for chunk in inner.split("<Part>").skip(1) {
        let number: String = chunk
            .trim_start_matches("<PartNumber>")
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        parts.push_str(if layout.comments { "<!-- part --><Part>" } else { "<Part>" });
        if layout.unknown_elements {
            parts.push_str("<ChecksumCRC32>AAAAAA==</ChecksumCRC32><Owner><ID>x</ID><DisplayName/></Owner>");
        }
        let _ = write!(parts, "<Size>{number}</Size>");
        if layout.last_modified {
            parts.push_str("<LastModified>2010-11-10T20:48:34.000Z</LastModified>");
        }
        parts.push_str(chunk);
    }
    if layout.numeric_references {
        parts = parts.replace("&quot;", "&#34;").replace("&apos;", "&#x27;");
    }
    let mut doc = String::new();
    if layout.declaration {
        doc.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    }
    doc.push_str("<ListPartsResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">");
    if layout.unknown_elements {
        doc.push_str("<Initiator><ID>i</ID></Initiator><StorageClass>STANDARD</StorageClass>");
    }
    doc.push_str("<UploadId>u</UploadId><IsTruncated>false</IsTruncated>");
    doc.push_str(&parts);
    doc.push_str("</ListPartsResult>");
    if layout.pretty {
        // Text is escaped, so `><` only ever joins two tags.
        doc = doc.replace("><", ">\n  <");
    }
    doc
}

/// A `fmt::Write` over a fixed slice, as a no-alloc caller has.
struct Fixed<'b> {
    buf: &'b mut [u8],
    len: usize,
}

impl std::fmt::Write for Fixed<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let end = self.len + s.len();
        self.buf
            .get_mut(self.len..end)
            .ok_or(std::fmt::Error)?
            .copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

fn round_trip(parts: &[(u16, String)], layout: &Layout) {
    let parts: Vec<(u16, &str)> = parts.iter().take(64).map(|(n, e)| (*n, e.as_str())).collect();
    let completed: Vec<CompletedPart<'_>> =
        parts.iter().map(|&(n, e)| CompletedPart::new(n, e)).collect();
    let mut body = String::new();
    let result = write_complete_multipart_upload(&completed, &mut body);
    match model_refusal(&parts) {
        Some(err) => {
            assert_eq!(result, Err(err));
            assert!(body.is_empty(), "a refused list wrote {body:?}");
            return;
        }
        None => assert_eq!(result, Ok(()), "{parts:?}"),
    }
    let etag_bytes = parts.iter().map(|(_, e)| e.len()).sum();
    assert!(body.len() <= complete_multipart_upload_max_len(parts.len(), etag_bytes));

    // A buffer of exactly the body's length takes it; one byte less does not.
    let mut exact = vec![0u8; body.len()];
    let mut out = Fixed { buf: &mut exact, len: 0 };
    assert_eq!(write_complete_multipart_upload(&completed, &mut out), Ok(()));
    assert_eq!(&exact[..], body.as_bytes());
    let mut short = vec![0u8; body.len() - 1];
    let mut out = Fixed { buf: &mut short, len: 0 };
    assert_eq!(
        write_complete_multipart_upload(&completed, &mut out),
        Err(BodyError::Write)
    );

    let doc = list_page(&body, layout);
    let list = ListParts::read(&doc).unwrap_or_else(|e| panic!("{e}: {doc}"));
    assert_eq!(list.part_count(), parts.len());
    assert!(!list.is_truncated());
    for (read, &(number, etag)) in list.parts().zip(&parts) {
        assert_eq!(read.number(), number);
        assert_eq!(read.size(), u64::from(number));
        assert_eq!(read.etag().to_string(), etag, "{doc}");
        assert!(read.etag() == etag);
        assert_eq!(read.last_modified().is_some(), layout.last_modified);
    }
}

fuzz_target!(|input: Input| {
    match input {
        Input::Raw(doc) => read_all(&doc),
        Input::Mutated {
            sample,
            at,
            insert,
            cut,
        } => {
            let base = SAMPLES[usize::from(sample) % SAMPLES.len()];
            let mut at = usize::from(at) % (base.len() + 1);
            while !base.is_char_boundary(at) {
                at -= 1;
            }
            let mut doc = format!("{}{}{}", &base[..at], insert, &base[at..]);
            if let Some(cut) = cut {
                let mut cut = usize::from(cut) % (doc.len() + 1);
                while !doc.is_char_boundary(cut) {
                    cut -= 1;
                }
                doc.truncate(cut);
            }
            read_all(&doc);
        }
        Input::RoundTrip {
            mut parts,
            valid,
            layout,
        } => {
            if valid {
                for (n, _) in &mut parts {
                    *n = *n % 10_000 + 1;
                }
                parts.sort_by_key(|(n, _)| *n);
                parts.dedup_by_key(|(n, _)| *n);
            }
            round_trip(&parts, &layout);
        }
    }
});
