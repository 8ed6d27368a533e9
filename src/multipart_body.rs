//! The small XML bodies of S3 multipart uploads: the `CompleteMultipartUpload` request body
//! written from a list of parts, and the four responses a multipart client reads
//! (`InitiateMultipartUploadResult`, `ListPartsResult`, `CompleteMultipartUploadResult` and
//! `Error`), read in place without allocating.
//!
//! ```
//! use presign::{CompleteOutcome, CompletedPart, InitiateResult, write_complete_multipart_upload};
//!
//! let init = InitiateResult::read(
//!     "<InitiateMultipartUploadResult><Bucket>b</Bucket><Key>k</Key>\
//!      <UploadId>VXBsb2FkIElE</UploadId></InitiateMultipartUploadResult>",
//! )?;
//! assert_eq!(init.upload_id(), "VXBsb2FkIElE");
//!
//! let mut body = String::new();
//! write_complete_multipart_upload(&[CompletedPart::new(1, "\"a54357aff0632cce46d942af68356b38\"")], &mut body)?;
//! assert!(body.ends_with("<ETag>&quot;a54357aff0632cce46d942af68356b38&quot;</ETag></Part></CompleteMultipartUpload>"));
//!
//! // CompleteMultipartUpload can fail after its 200 OK: the body then is an <Error>.
//! let answer = "<Error><Code>InternalError</Code><Message>Please try again.</Message></Error>";
//! let CompleteOutcome::Failed(err) = CompleteOutcome::read(answer)? else { unreachable!() };
//! assert_eq!(err.code(), "InternalError");
//! # Ok::<(), presign::BodyError>(())
//! ```
//!
//! # The body written
//!
//! `<CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/">` then, per part,
//! `<Part><PartNumber>N</PartNumber><ETag>…</ETag></Part>`, then the end tag: no declaration,
//! no whitespace. The namespace is optional for S3; the AWS SDKs send it and S3 and R2 accept
//! it, so it is written. `ETag`s are escaped (`&` `<` `>` `"` `'` as `&amp;` `&lt;` `&gt;`
//! `&quot;` `&apos;`), so the usual `"abc"` goes out as `&quot;abc&quot;`, which is the same
//! XML text (the Go SDK sends `&#34;`).
//!
//! The list is refused, and nothing is written, unless it is non-empty, strictly ascending by
//! part number (no duplicates: S3 answers `InvalidPartOrder`), every number is in
//! `1 ..= 10_000`, and every `ETag` is non-empty without control characters (nor U+FFFE/U+FFFF,
//! which XML cannot carry). Parts are checked in order; the first fault is reported.
//!
//! # The XML read
//!
//! The readers are not a general XML parser. They read the documents S3, R2 and other
//! S3-compatible stores send, and refuse with a typed [`BodyError`] what they do not handle,
//! rather than guess. Exactly:
//!
//! - **Before the root**: whitespace (S3 pads a slow `CompleteMultipartUpload` answer with it),
//!   a UTF-8 byte order mark at the very start, one `<?xml …?>` declaration (not checked:
//!   the input is a `&str`, already UTF-8), comments. After the root: whitespace and comments.
//! - **Root**: must be the document's element (`ListPartsResult`, …); an `<Error>` root is
//!   reported as [`BodyError::ErrorDocument`] (read it with [`S3ErrorBody::read`]), any
//!   other as [`BodyError::WrongRoot`].
//! - **Namespaces**: attributes are accepted and ignored on every element (their syntax is
//!   checked), so the default `xmlns="…"` S3 puts on the root works whatever its value.
//!   Prefixed element names (`<s3:Part>`) are refused ([`BodyError::Unsupported`]): prefixes
//!   are not resolved, and reading one as an unknown element would silently drop data.
//! - **Elements**: names are compared exactly (case matters). Known elements may come in any
//!   order, each at most once ([`BodyError::DuplicateElement`]), except `Part`. Unknown
//!   elements are skipped with everything inside them, at any depth: S3 adds fields over time
//!   (`Initiator`, `Owner`, `StorageClass`, `ChecksumCRC32`, …).
//! - **Between elements**: whitespace and comments; other text is
//!   [`BodyError::UnexpectedText`].
//! - **Values** (a known element holding text): text only; an element inside is
//!   [`BodyError::NotAValue`], a comment inside is refused. `<X/>` and `<X></X>` are empty
//!   text. Text is kept exactly, whitespace included, as an [`XmlText`] that unescapes on
//!   demand; its references are checked when read: the five predefined entities and
//!   character references `&#34;` / `&#x22;` of XML 1.0 characters. Any other reference is
//!   [`BodyError::UnknownEntity`] or [`BodyError::BadCharReference`].
//! - **Numbers**: ASCII digits only (no sign, no whitespace, no reference), within the
//!   field's range, else [`BodyError::BadNumber`]. Booleans: `true`, `false`, `1`, `0`.
//! - **Refused**: CDATA sections, `<!DOCTYPE` (so no entity definitions: no external entities,
//!   no "billion laughs"), processing instructions other than the leading declaration, a
//!   second root, text after the root, more than [`MAX_XML_DEPTH`] nested elements
//!   ([`BodyError::TooDeep`]).
//! - **Not checked**: characters and references inside skipped elements and attribute values.
//!
//! Each reader walks the input once (the `ListPartsResult` parts are walked again by the
//! iterator), with a fixed-size stack of open elements: linear time, no recursion, no
//! allocation, and no panic on any input. Error offsets are byte offsets into the input.

use core::fmt;
use core::iter::FusedIterator;

/// The S3 namespace, written on the request body's root.
const XMLNS: &str = "http://s3.amazonaws.com/doc/2006-03-01/";
const BODY_START: &str =
    "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">";
const BODY_END: &str = "</CompleteMultipartUpload>";
const PART_START: &str = "<Part><PartNumber>";
const PART_MIDDLE: &str = "</PartNumber><ETag>";
const PART_END: &str = "</ETag></Part>";
/// The longest escape (`&quot;`, `&apos;`) replaces one byte with six.
const MAX_ESCAPE_GROWTH: usize = 6;
/// `10000` is the longest part number.
const MAX_PART_NUMBER_DIGITS: usize = 5;
const MAX_PART_NUMBER: u16 = 10_000;
const PART_NUMBER_RANGE: &str = "an integer in 1..=10000";
const MARKER_RANGE: &str = "an integer in 0..=10000";

/// The most elements the readers let be open at once (the root counts as one).
///
/// S3's documents nest 3 deep (`ListPartsResult` > `Owner` > `ID`); 16 leaves room for
/// whatever a store adds and keeps the readers' stack of open elements small and fixed.
///
/// ```
/// let deep = format!("<Error><Code>X</Code>{}{}</Error>", "<a>".repeat(16), "</a>".repeat(16));
/// assert!(matches!(presign::S3ErrorBody::read(&deep), Err(presign::BodyError::TooDeep { max: 16, .. })));
/// ```
pub const MAX_XML_DEPTH: usize = 16;

// -------------------------------------------------------------------------------------------
// Errors
// -------------------------------------------------------------------------------------------

/// Why a body could not be written or read.
///
/// Offsets are byte offsets into the document read; `index` is the position in the list of
/// parts given to the writer.
///
/// ```
/// use presign::{BodyError, ListParts};
///
/// let err = ListParts::read("<ListPartsResult><IsTruncated>false</IsTruncated></ListPartsResult>").unwrap_err();
/// assert_eq!(err, BodyError::MissingElement { element: "UploadId", parent: "ListPartsResult" });
/// assert_eq!(err.to_string(), "<ListPartsResult> has no <UploadId>; it is required");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum BodyError {
    /// The writer was given no parts.
    NoParts,
    /// A part number outside `1 ..= 10_000`.
    PartNumberOutOfRange {
        /// Position in the list.
        index: usize,
        /// The part number.
        number: u16,
    },
    /// A part number smaller than the one before it.
    PartsOutOfOrder {
        /// Position in the list.
        index: usize,
        /// The part number.
        number: u16,
        /// The part number before it.
        previous: u16,
    },
    /// A part number equal to the one before it.
    DuplicatePart {
        /// Position in the list (of the second one).
        index: usize,
        /// The part number.
        number: u16,
    },
    /// An empty `ETag`.
    EmptyEtag {
        /// Position in the list.
        index: usize,
        /// The part number.
        number: u16,
    },
    /// An `ETag` with a control character, U+FFFE or U+FFFF.
    InvalidEtagCharacter {
        /// Position in the list.
        index: usize,
        /// The part number.
        number: u16,
        /// The character refused.
        character: char,
        /// Its byte offset in the `ETag`.
        offset: usize,
    },
    /// The output refused a write: a fixed buffer is too small for the body
    /// ([`complete_multipart_upload_max_len`] gives a size that always fits).
    Write,
    /// The document ends inside an element, a tag or a comment, or has no root element.
    UnexpectedEnd {
        /// Where the input ended, or the start of the unfinished construct.
        offset: usize,
    },
    /// The document is not well-formed XML where the readers need it to be.
    Malformed {
        /// Where.
        offset: usize,
        /// What is wrong.
        reason: &'static str,
    },
    /// An end tag that does not close the element it is in.
    MismatchedTag {
        /// Where the end tag starts.
        offset: usize,
    },
    /// The root element is not the one expected.
    WrongRoot {
        /// The expected root element.
        expected: &'static str,
        /// Where the root starts.
        offset: usize,
    },
    /// The document is an S3 `<Error>` response where another was expected; read it with
    /// [`S3ErrorBody::read`].
    ErrorDocument {
        /// The expected root element.
        expected: &'static str,
    },
    /// A required element is absent.
    MissingElement {
        /// The element.
        element: &'static str,
        /// The element it belongs in.
        parent: &'static str,
    },
    /// An element that may appear once appears twice.
    DuplicateElement {
        /// The element.
        element: &'static str,
        /// The element it is in.
        parent: &'static str,
        /// Where the second one starts.
        offset: usize,
    },
    /// A value that must not be empty is empty.
    EmptyValue {
        /// The element.
        element: &'static str,
        /// Where the element starts.
        offset: usize,
    },
    /// A number that is not ASCII digits or is out of its range.
    BadNumber {
        /// The element.
        element: &'static str,
        /// Where its text starts.
        offset: usize,
        /// What the element accepts.
        allowed: &'static str,
    },
    /// A boolean other than `true`, `false`, `1`, `0`.
    BadBoolean {
        /// The element.
        element: &'static str,
        /// Where its text starts.
        offset: usize,
    },
    /// An entity reference other than the five XML predefines (`&amp;` `&lt;` `&gt;`
    /// `&quot;` `&apos;`), or a `&` that starts no reference.
    UnknownEntity {
        /// Where the `&` is.
        offset: usize,
    },
    /// A character reference (`&#…;`) that is malformed or names no XML 1.0 character.
    BadCharReference {
        /// Where the `&` is.
        offset: usize,
    },
    /// An element inside a value that must be text.
    NotAValue {
        /// The element that must hold text.
        element: &'static str,
        /// Where the inner markup starts.
        offset: usize,
    },
    /// Text other than whitespace where only elements belong.
    UnexpectedText {
        /// The element that holds only elements.
        element: &'static str,
        /// Where the text starts.
        offset: usize,
    },
    /// More than [`MAX_XML_DEPTH`] nested elements.
    TooDeep {
        /// Where the element too many starts.
        offset: usize,
        /// The most elements open at once.
        max: usize,
    },
    /// An XML construct the readers refuse (see the module documentation).
    Unsupported {
        /// The construct.
        what: &'static str,
        /// Where it starts.
        offset: usize,
    },
}

impl BodyError {
    /// The message of a refused part list, or `None` for the other variants.
    fn fmt_writer(&self, f: &mut fmt::Formatter<'_>) -> Option<fmt::Result> {
        Some(match *self {
            Self::NoParts => {
                f.write_str("part list is empty; CompleteMultipartUpload needs at least one part")
            }
            Self::PartNumberOutOfRange { index, number } => write!(
                f,
                "part number {number} (list index {index}) is out of range; allowed: 1..=10000"
            ),
            Self::PartsOutOfOrder {
                index,
                number,
                previous,
            } => write!(
                f,
                "part number {number} (list index {index}) comes after {previous}; \
                 parts must be in ascending order"
            ),
            Self::DuplicatePart { index, number } => write!(
                f,
                "part number {number} (list index {index}) is listed twice; each part once"
            ),
            Self::EmptyEtag { index, number } => write!(
                f,
                "ETag of part {number} (list index {index}) is empty; give the ETag UploadPart \
                 returned"
            ),
            Self::InvalidEtagCharacter {
                index,
                number,
                character,
                offset,
            } => write!(
                f,
                "ETag of part {number} (list index {index}) has U+{:04X} at byte {offset}; \
                 allowed: any character but control characters, U+FFFE and U+FFFF",
                u32::from(character)
            ),
            Self::Write => f.write_str(
                "output refused the body; give a buffer of complete_multipart_upload_max_len \
                 bytes",
            ),
            _ => return None,
        })
    }

    /// The message of a document whose structure is wrong, or `None` for the other variants.
    fn fmt_structure(&self, f: &mut fmt::Formatter<'_>) -> Option<fmt::Result> {
        Some(match *self {
            Self::UnexpectedEnd { offset } => write!(
                f,
                "document ends at byte {offset} before its root element is complete"
            ),
            Self::Malformed { offset, reason } => {
                write!(f, "document is not well-formed at byte {offset}: {reason}")
            }
            Self::MismatchedTag { offset } => write!(
                f,
                "end tag at byte {offset} does not close the element it is in"
            ),
            Self::WrongRoot { expected, offset } => write!(
                f,
                "root element at byte {offset} is not <{expected}>; \
                 the document answers another request"
            ),
            Self::ErrorDocument { expected } => write!(
                f,
                "document is an S3 <Error>, not <{expected}>; read it with S3ErrorBody::read"
            ),
            Self::MissingElement { element, parent } => {
                write!(f, "<{parent}> has no <{element}>; it is required")
            }
            Self::DuplicateElement {
                element,
                parent,
                offset,
            } => write!(
                f,
                "<{parent}> has a second <{element}> at byte {offset}; at most one is allowed"
            ),
            Self::TooDeep { offset, max } => write!(
                f,
                "element at byte {offset} is nested too deep; at most {max} levels are allowed"
            ),
            Self::Unsupported { what, offset } => {
                write!(
                    f,
                    "document has a {what} at byte {offset}; it is not supported"
                )
            }

            _ => return None,
        })
    }

    /// The message of a value a document holds, or `None` for the other variants.
    fn fmt_value(&self, f: &mut fmt::Formatter<'_>) -> Option<fmt::Result> {
        Some(match *self {
            Self::EmptyValue { element, offset } => {
                write!(f, "<{element}> at byte {offset} is empty; it must not be")
            }
            Self::BadNumber {
                element,
                offset,
                allowed,
            } => write!(
                f,
                "<{element}> at byte {offset} is not a number the field accepts; \
                 allowed: {allowed} in ASCII digits"
            ),
            Self::BadBoolean { element, offset } => write!(
                f,
                "<{element}> at byte {offset} is not a boolean; allowed: true, false, 1, 0"
            ),
            Self::UnknownEntity { offset } => write!(
                f,
                "entity reference at byte {offset} is unknown; allowed: &amp; &lt; &gt; \
                 &quot; &apos; and character references"
            ),
            Self::BadCharReference { offset } => write!(
                f,
                "character reference at byte {offset} is malformed or not an XML character; \
                 allowed: &#DECIMAL; or &#xHEX; of an XML 1.0 character"
            ),
            Self::NotAValue { element, offset } => write!(
                f,
                "<{element}> holds markup at byte {offset}; it must hold text only"
            ),
            Self::UnexpectedText { element, offset } => write!(
                f,
                "<{element}> holds text at byte {offset}; only elements, whitespace and \
                 comments are allowed there"
            ),
            // Listed, not `_`: a new variant must be given a message somewhere.
            Self::NoParts
            | Self::PartNumberOutOfRange { .. }
            | Self::PartsOutOfOrder { .. }
            | Self::DuplicatePart { .. }
            | Self::EmptyEtag { .. }
            | Self::InvalidEtagCharacter { .. }
            | Self::Write
            | Self::UnexpectedEnd { .. }
            | Self::Malformed { .. }
            | Self::MismatchedTag { .. }
            | Self::WrongRoot { .. }
            | Self::ErrorDocument { .. }
            | Self::MissingElement { .. }
            | Self::DuplicateElement { .. }
            | Self::TooDeep { .. }
            | Self::Unsupported { .. } => return None,
        })
    }
}

impl fmt::Display for BodyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.fmt_writer(f)
            .or_else(|| self.fmt_structure(f))
            .or_else(|| self.fmt_value(f))
            .expect("every variant has a message in one of the three groups")
    }
}

impl core::error::Error for BodyError {}

// -------------------------------------------------------------------------------------------
// The CompleteMultipartUpload body
// -------------------------------------------------------------------------------------------

/// One part of a `CompleteMultipartUpload` request: its number and the `ETag` that its
/// `UploadPart` response returned, quotes included, as given (not escaped).
///
/// ```
/// let part = presign::CompletedPart::new(3, "\"acbd18db4cc2f85cedef654fccc4a4d8\"");
/// assert_eq!((part.number(), part.etag()), (3, "\"acbd18db4cc2f85cedef654fccc4a4d8\""));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CompletedPart<'a> {
    number: u16,
    etag: &'a str,
}

impl<'a> CompletedPart<'a> {
    /// A part; [`write_complete_multipart_upload`] checks the number and the `ETag`.
    ///
    /// ```
    /// let part = presign::CompletedPart::new(1, "\"abc\"");
    /// assert_eq!(part.number(), 1);
    /// ```
    #[must_use]
    pub const fn new(number: u16, etag: &'a str) -> Self {
        Self { number, etag }
    }

    /// The part number.
    ///
    /// ```
    /// assert_eq!(presign::CompletedPart::new(7, "e").number(), 7);
    /// ```
    #[must_use]
    pub const fn number(&self) -> u16 {
        self.number
    }

    /// The `ETag` as given.
    ///
    /// ```
    /// assert_eq!(presign::CompletedPart::new(7, "\"e\"").etag(), "\"e\"");
    /// ```
    #[must_use]
    pub const fn etag(&self) -> &'a str {
        self.etag
    }
}

/// An upper bound of the body [`write_complete_multipart_upload`] writes for `part_count`
/// parts whose `ETag`s are `etag_bytes` bytes long in total: a buffer this large always
/// holds it. Saturates at `usize::MAX`.
///
/// S3 and R2 part `ETag`s are 34 bytes (a quoted MD5 in hex), which escape to 44.
///
/// ```
/// use presign::{CompletedPart, complete_multipart_upload_max_len, write_complete_multipart_upload};
///
/// /// A fixed buffer, as a no-alloc caller has one.
/// struct Buf<const N: usize> { bytes: [u8; N], len: usize }
/// impl<const N: usize> core::fmt::Write for Buf<N> {
///     fn write_str(&mut self, s: &str) -> core::fmt::Result {
///         let end = self.len + s.len();
///         self.bytes.get_mut(self.len..end).ok_or(core::fmt::Error)?.copy_from_slice(s.as_bytes());
///         self.len = end;
///         Ok(())
///     }
/// }
///
/// const ETAG: &str = "\"0c78aef83f66abc1fa1e8477f296d394\"";
/// let parts = [CompletedPart::new(1, ETAG), CompletedPart::new(2, ETAG)];
/// const MAX: usize = complete_multipart_upload_max_len(2, 2 * ETAG.len());
/// let mut buf = Buf { bytes: [0; MAX], len: 0 };
/// write_complete_multipart_upload(&parts, &mut buf)?;
/// assert!(buf.len <= MAX);
/// # Ok::<(), presign::BodyError>(())
/// ```
#[must_use]
pub const fn complete_multipart_upload_max_len(part_count: usize, etag_bytes: usize) -> usize {
    let per_part = PART_START.len() + MAX_PART_NUMBER_DIGITS + PART_MIDDLE.len() + PART_END.len();
    (BODY_START.len() + BODY_END.len())
        .saturating_add(part_count.saturating_mul(per_part))
        .saturating_add(etag_bytes.saturating_mul(MAX_ESCAPE_GROWTH))
}

/// Writes the `CompleteMultipartUpload` request body for `parts` into `out`.
///
/// `parts` must be non-empty and strictly ascending by part number, each number in
/// `1 ..= 10_000`, each `ETag` non-empty without control characters; otherwise the first
/// fault is returned and nothing is written. [`BodyError::Write`] means `out` refused a
/// write (a full buffer); what was written before stays there.
///
/// ```
/// use presign::{BodyError, CompletedPart, write_complete_multipart_upload};
///
/// let mut body = String::new();
/// write_complete_multipart_upload(
///     &[CompletedPart::new(1, "\"a54357aff0632cce46d942af68356b38\""),
///       CompletedPart::new(2, "\"0c78aef83f66abc1fa1e8477f296d394\"")],
///     &mut body,
/// )?;
/// assert_eq!(body, "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">\
///     <Part><PartNumber>1</PartNumber><ETag>&quot;a54357aff0632cce46d942af68356b38&quot;</ETag></Part>\
///     <Part><PartNumber>2</PartNumber><ETag>&quot;0c78aef83f66abc1fa1e8477f296d394&quot;</ETag></Part>\
///     </CompleteMultipartUpload>");
///
/// let unsorted = [CompletedPart::new(2, "b"), CompletedPart::new(1, "a")];
/// let err = write_complete_multipart_upload(&unsorted, &mut String::new()).unwrap_err();
/// assert_eq!(err, BodyError::PartsOutOfOrder { index: 1, number: 1, previous: 2 });
/// # Ok::<(), presign::BodyError>(())
/// ```
pub fn write_complete_multipart_upload<W: fmt::Write + ?Sized>(
    parts: &[CompletedPart<'_>],
    out: &mut W,
) -> Result<(), BodyError> {
    check_parts(parts)?;
    write_body(parts, out).map_err(|fmt::Error| BodyError::Write)
}

fn check_parts(parts: &[CompletedPart<'_>]) -> Result<(), BodyError> {
    if parts.is_empty() {
        return Err(BodyError::NoParts);
    }
    let mut previous = None;
    for (index, part) in parts.iter().enumerate() {
        let number = part.number;
        if number == 0 || number > MAX_PART_NUMBER {
            return Err(BodyError::PartNumberOutOfRange { index, number });
        }
        match previous {
            Some(previous) if number == previous => {
                return Err(BodyError::DuplicatePart { index, number });
            }
            Some(previous) if number < previous => {
                return Err(BodyError::PartsOutOfOrder {
                    index,
                    number,
                    previous,
                });
            }
            _ => {}
        }
        previous = Some(number);
        if part.etag.is_empty() {
            return Err(BodyError::EmptyEtag { index, number });
        }
        if let Some((offset, character)) = part
            .etag
            .char_indices()
            .find(|&(_, c)| c.is_control() || c == '\u{FFFE}' || c == '\u{FFFF}')
        {
            return Err(BodyError::InvalidEtagCharacter {
                index,
                number,
                character,
                offset,
            });
        }
    }
    Ok(())
}

fn write_body<W: fmt::Write + ?Sized>(parts: &[CompletedPart<'_>], out: &mut W) -> fmt::Result {
    debug_assert!(BODY_START.contains(XMLNS));
    out.write_str(BODY_START)?;
    for part in parts {
        out.write_str(PART_START)?;
        write_part_number(part.number, out)?;
        out.write_str(PART_MIDDLE)?;
        write_escaped(part.etag, out)?;
        out.write_str(PART_END)?;
    }
    out.write_str(BODY_END)
}

/// Decimal digits without the formatting machinery (this runs up to 10,000 times a body).
fn write_part_number<W: fmt::Write + ?Sized>(number: u16, out: &mut W) -> fmt::Result {
    out.write_str(crate::decimal::Decimal::new(u32::from(number)).as_str())
}

/// Writes `text` with the five XML special characters escaped, copying the runs between
/// them in one call each.
fn write_escaped<W: fmt::Write + ?Sized>(text: &str, out: &mut W) -> fmt::Result {
    let mut rest = text;
    while let Some(at) = rest.find(['&', '<', '>', '"', '\'']) {
        let (plain, tail) = rest.split_at(at);
        out.write_str(plain)?;
        let mut chars = tail.chars();
        out.write_str(match chars.next() {
            Some('&') => "&amp;",
            Some('<') => "&lt;",
            Some('>') => "&gt;",
            Some('"') => "&quot;",
            _ => "&apos;",
        })?;
        rest = chars.as_str();
    }
    out.write_str(rest)
}

// -------------------------------------------------------------------------------------------
// Text values
// -------------------------------------------------------------------------------------------

/// A text value of a document, borrowed as it is in the XML (references not yet replaced),
/// with every reference already checked; unescapes on demand.
///
/// S3 sends part `ETag`s as `&quot;abc&quot;` or `"abc"`: both read as `"abc"`.
///
/// ```
/// use presign::XmlText;
///
/// let etag = XmlText::from_raw("&quot;abc&quot;")?;
/// assert!(etag.needs_unescaping());
/// assert_eq!(etag, "\"abc\"");
/// assert_eq!(etag.to_string(), "\"abc\"");
/// assert_eq!(etag, XmlText::from_raw("\"abc\"")?);
/// # Ok::<(), presign::BodyError>(())
/// ```
#[derive(Clone, Copy)]
pub struct XmlText<'a> {
    raw: &'a str,
}

impl<'a> XmlText<'a> {
    /// Checks text as it appears between two tags: no `<`, and every `&` starts one of the
    /// five predefined entities or a character reference of an XML 1.0 character.
    ///
    /// ```
    /// use presign::{BodyError, XmlText};
    ///
    /// assert_eq!(XmlText::from_raw("a&#x26;b")?, "a&b");
    /// assert_eq!(XmlText::from_raw("&nbsp;").unwrap_err(), BodyError::UnknownEntity { offset: 0 });
    /// assert_eq!(XmlText::from_raw("&#0;").unwrap_err(), BodyError::BadCharReference { offset: 0 });
    /// # Ok::<(), presign::BodyError>(())
    /// ```
    pub fn from_raw(raw: &'a str) -> Result<Self, BodyError> {
        if let Some(offset) = raw.find('<') {
            return Err(BodyError::Malformed {
                offset,
                reason: "`<` in text",
            });
        }
        Self::checked(raw, 0)
    }

    /// `raw` holds no `<` (it was cut at one); checks its references. `at` is its offset in
    /// the document, for errors.
    fn checked(raw: &'a str, at: usize) -> Result<Self, BodyError> {
        let mut from = 0;
        while let Some(amp) = raw.get(from..).and_then(find_amp) {
            let start = from + amp;
            let tail = raw.get(start..).unwrap_or_default();
            match decode_reference(tail) {
                Ok((_, len)) => from = start + len,
                Err(RefError::Unknown) => {
                    return Err(BodyError::UnknownEntity { offset: at + start });
                }
                Err(RefError::BadChar) => {
                    return Err(BodyError::BadCharReference { offset: at + start });
                }
            }
        }
        Ok(Self { raw })
    }

    /// The text as it is in the document, references not replaced.
    ///
    /// ```
    /// assert_eq!(presign::XmlText::from_raw("a&amp;b")?.raw(), "a&amp;b");
    /// # Ok::<(), presign::BodyError>(())
    /// ```
    #[must_use]
    pub const fn raw(&self) -> &'a str {
        self.raw
    }

    /// Whether the text has references, so that [`raw`](Self::raw) differs from the text.
    ///
    /// ```
    /// assert!(!presign::XmlText::from_raw("\"abc\"")?.needs_unescaping());
    /// # Ok::<(), presign::BodyError>(())
    /// ```
    #[must_use]
    pub fn needs_unescaping(&self) -> bool {
        find_amp(self.raw).is_some()
    }

    /// The text itself when it has no references (then it can be borrowed), else `None`.
    ///
    /// ```
    /// use presign::XmlText;
    /// assert_eq!(XmlText::from_raw("abc")?.as_plain_str(), Some("abc"));
    /// assert_eq!(XmlText::from_raw("a&lt;c")?.as_plain_str(), None);
    /// # Ok::<(), presign::BodyError>(())
    /// ```
    #[must_use]
    pub fn as_plain_str(&self) -> Option<&'a str> {
        (!self.needs_unescaping()).then_some(self.raw)
    }

    /// The characters of the text, references replaced.
    ///
    /// ```
    /// let text = presign::XmlText::from_raw("&lt;&#233;&gt;")?;
    /// assert!(text.chars().eq("<é>".chars()));
    /// # Ok::<(), presign::BodyError>(())
    /// ```
    #[must_use]
    pub fn chars(&self) -> Unescaped<'a> {
        Unescaped {
            rest: self.raw.chars(),
        }
    }

    /// The length in bytes of the unescaped text in UTF-8 (what [`Display`](fmt::Display)
    /// writes), to size a buffer.
    ///
    /// ```
    /// assert_eq!(presign::XmlText::from_raw("&quot;&#xE9;&quot;")?.unescaped_len(), 4);
    /// # Ok::<(), presign::BodyError>(())
    /// ```
    #[must_use]
    pub fn unescaped_len(&self) -> usize {
        if self.needs_unescaping() {
            self.chars().map(char::len_utf8).sum()
        } else {
            self.raw.len()
        }
    }
}

/// Writes the unescaped text.
impl fmt::Display for XmlText<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut rest = self.raw;
        while let Some(amp) = find_amp(rest) {
            let (plain, tail) = rest.split_at(amp);
            f.write_str(plain)?;
            let (c, len) = decode_reference(tail)
                .ok()
                .expect("an XmlText's references are checked when it is made");
            fmt::Write::write_char(f, c)?;
            rest = tail.get(len..).unwrap_or_default();
        }
        f.write_str(rest)
    }
}

/// Shows the raw text, as in the document.
impl fmt::Debug for XmlText<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("XmlText").field(&self.raw).finish()
    }
}

/// Compares the unescaped text.
impl PartialEq<str> for XmlText<'_> {
    fn eq(&self, other: &str) -> bool {
        match self.as_plain_str() {
            Some(plain) => plain == other,
            None => self.chars().eq(other.chars()),
        }
    }
}

/// Compares the unescaped text.
impl PartialEq<&str> for XmlText<'_> {
    fn eq(&self, other: &&str) -> bool {
        *self == **other
    }
}

/// Compares the unescaped texts: `&quot;a&quot;` equals `"a"`.
impl PartialEq for XmlText<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.raw == other.raw || self.chars().eq(other.chars())
    }
}

impl Eq for XmlText<'_> {}

/// The characters of an [`XmlText`], references replaced; from [`XmlText::chars`].
///
/// ```
/// let text = presign::XmlText::from_raw("a&amp;b")?;
/// assert_eq!(text.chars().collect::<String>(), "a&b");
/// # Ok::<(), presign::BodyError>(())
/// ```
#[derive(Debug, Clone)]
pub struct Unescaped<'a> {
    rest: core::str::Chars<'a>,
}

impl Iterator for Unescaped<'_> {
    type Item = char;

    fn next(&mut self) -> Option<char> {
        let tail = self.rest.as_str();
        let c = self.rest.next()?;
        if c != '&' {
            return Some(c);
        }
        let (c, len) = decode_reference(tail)
            .ok()
            .expect("an XmlText's references are checked when it is made");
        self.rest = tail.get(len..).unwrap_or_default().chars();
        Some(c)
    }
}

impl FusedIterator for Unescaped<'_> {}

/// The offset of the first `&`: a plain loop for short values (most are), `str::find`
/// (`memchr`) for long ones.
fn find_amp(text: &str) -> Option<usize> {
    if text.len() <= SHORT_RUN {
        text.bytes().position(|b| b == b'&')
    } else {
        text.find('&')
    }
}

enum RefError {
    Unknown,
    BadChar,
}

/// Decodes the reference `text` starts with (`text` starts with `&`): the character and the
/// reference's length in bytes.
fn decode_reference(text: &str) -> Result<(char, usize), RefError> {
    let body = text.get(1..).ok_or(RefError::Unknown)?;
    if let Some(number) = body.strip_prefix('#') {
        let semi = number.find(';').ok_or(RefError::BadChar)?;
        let digits = number.get(..semi).unwrap_or_default();
        let (digits, radix) = match digits.strip_prefix('x') {
            Some(hex) => (hex, 16),
            None => (digits, 10),
        };
        let value = parse_digits(digits, radix).ok_or(RefError::BadChar)?;
        let c = char::from_u32(value)
            .filter(|&c| is_xml_char(c))
            .ok_or(RefError::BadChar)?;
        // `&#` + digits + `;`
        return Ok((c, semi + 3));
    }
    for (name, c) in [
        ("amp;", '&'),
        ("lt;", '<'),
        ("gt;", '>'),
        ("quot;", '"'),
        ("apos;", '\''),
    ] {
        if body.starts_with(name) {
            return Ok((c, name.len() + 1));
        }
    }
    Err(RefError::Unknown)
}

/// Digits in `radix` (10 or 16) as a number up to 0x10FFFF, or `None`. Leading zeros are
/// allowed (XML allows them); the value is capped while reading so nothing overflows.
fn parse_digits(digits: &str, radix: u32) -> Option<u32> {
    if digits.is_empty() {
        return None;
    }
    let mut value: u32 = 0;
    for c in digits.chars() {
        let d = c.to_digit(radix)?;
        value = value.checked_mul(radix)?.checked_add(d)?;
        if value > 0x0010_FFFF {
            return None;
        }
    }
    Some(value)
}

/// XML 1.0's `Char` production.
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

// -------------------------------------------------------------------------------------------
// The tokenizer
// -------------------------------------------------------------------------------------------

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

fn is_name_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b >= 0x80
}

/// The bytes of a name but `:`, as a table: names are most of the bytes the tokenizer looks
/// at one by one. Every byte of a multi-byte character is >= 0x80, so a name never ends
/// inside a character and every slice the tokenizer cuts is on a character boundary.
const NAME_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        table[i] = b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.') || b >= 0x80;
        i += 1;
    }
    table
};

/// A byte of a name without a prefix: element names stop at `:` (and are then refused).
fn is_name_byte(b: u8) -> bool {
    NAME_BYTES[usize::from(b)]
}

/// How many bytes of a run between tags are searched one by one before `str::find` (a
/// `memchr` call, slower for the short runs that are most of a document: indentation,
/// numbers, `ETag` values).
const SHORT_RUN: usize = 32;

/// What the tokenizer found next.
#[derive(Clone, Copy)]
enum Event<'a> {
    Start { name: &'a str, at: usize },
    End,
    Text { raw: &'a str, at: usize },
    Comment,
    Instruction { target: &'a str, at: usize },
    Eof,
}

/// A pull tokenizer over a document, with the stack of open elements (fixed size: no
/// allocation, no recursion). Whitespace outside the root is skipped here.
#[derive(Clone, Copy)]
struct Cursor<'a> {
    doc: &'a str,
    pos: usize,
    open: [&'a str; MAX_XML_DEPTH],
    depth: usize,
    /// A self-closing tag was read: its end is the next event.
    pending_end: bool,
    root_seen: bool,
}

impl fmt::Debug for Cursor<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Cursor")
            .field("pos", &self.pos)
            .field("depth", &self.depth)
            .finish_non_exhaustive()
    }
}

impl<'a> Cursor<'a> {
    const fn new(doc: &'a str) -> Self {
        Self {
            doc,
            pos: 0,
            open: [""; MAX_XML_DEPTH],
            depth: 0,
            pending_end: false,
            root_seen: false,
        }
    }

    fn byte(&self, i: usize) -> Option<u8> {
        self.doc.as_bytes().get(i).copied()
    }

    fn rest(&self, from: usize) -> &'a str {
        self.doc.get(from..).unwrap_or_default()
    }

    fn slice(&self, from: usize, to: usize) -> Result<&'a str, BodyError> {
        self.doc.get(from..to).ok_or(BodyError::Malformed {
            offset: from,
            reason: "cut inside a character",
        })
    }

    fn skip_space(&self, mut i: usize) -> usize {
        while self.byte(i).is_some_and(is_space) {
            i += 1;
        }
        i
    }

    fn name_end(&self, mut i: usize) -> usize {
        while self.byte(i).is_some_and(is_name_byte) {
            i += 1;
        }
        i
    }

    /// Attribute names may have a prefix (`xmlns:xsi`, `xsi:type`).
    fn attribute_name_end(&self, mut i: usize) -> usize {
        while self.byte(i).is_some_and(|b| is_name_byte(b) || b == b':') {
            i += 1;
        }
        i
    }

    /// The offset of the next `<` from `from`, or the end of the document.
    fn next_lt(&self, from: usize) -> usize {
        let bytes = self.doc.as_bytes();
        let short_end = from.saturating_add(SHORT_RUN).min(bytes.len());
        if let Some(i) = bytes
            .get(from..short_end)
            .and_then(|run| run.iter().position(|&b| b == b'<'))
        {
            return from + i;
        }
        // Continue on a character boundary (at most 3 bytes on), where `str::find` can start.
        let mut resume = short_end;
        while !self.doc.is_char_boundary(resume) {
            resume += 1;
        }
        self.rest(resume)
            .find('<')
            .map_or(bytes.len(), |i| resume + i)
    }

    fn end_or(&self, i: usize, offset: usize, reason: &'static str) -> BodyError {
        if i >= self.doc.len() {
            BodyError::UnexpectedEnd { offset: i }
        } else {
            BodyError::Malformed { offset, reason }
        }
    }

    fn next(&mut self) -> Result<Event<'a>, BodyError> {
        if self.pending_end {
            self.pending_end = false;
            // The self-closing element was pushed, so depth >= 1.
            self.depth -= 1;
            return Ok(Event::End);
        }
        loop {
            let at = self.pos;
            let Some(b) = self.byte(at) else {
                return if self.depth > 0 || !self.root_seen {
                    Err(BodyError::UnexpectedEnd { offset: at })
                } else {
                    Ok(Event::Eof)
                };
            };
            if b != b'<' {
                let end = self.next_lt(at);
                let raw = self.slice(at, end)?;
                self.pos = end;
                if self.depth > 0 {
                    return Ok(Event::Text { raw, at });
                }
                if !raw.bytes().all(is_space) {
                    return Err(BodyError::Malformed {
                        offset: at,
                        reason: "text outside the root element",
                    });
                }
                continue;
            }
            return match self.byte(at + 1) {
                Some(b'/') => self.end_tag(at),
                Some(b'!') => self.bang(at),
                Some(b'?') => self.instruction(at),
                Some(_) => self.start_tag(at),
                None => Err(BodyError::UnexpectedEnd { offset: at }),
            };
        }
    }

    fn start_tag(&mut self, at: usize) -> Result<Event<'a>, BodyError> {
        let name_start = at + 1;
        if !self.byte(name_start).is_some_and(is_name_start) {
            return Err(BodyError::Malformed {
                offset: at,
                reason: "`<` not followed by a name",
            });
        }
        let name_end = self.name_end(name_start);
        let name = self.slice(name_start, name_end)?;
        if self.byte(name_end) == Some(b':') {
            return Err(BodyError::Unsupported {
                what: "prefixed element name",
                offset: at,
            });
        }
        let (i, self_closing) = self.start_tag_end(name_end)?;
        if self.depth == 0 && self.root_seen {
            return Err(BodyError::Malformed {
                offset: at,
                reason: "second root element",
            });
        }
        let Some(slot) = self.open.get_mut(self.depth) else {
            return Err(BodyError::TooDeep {
                offset: at,
                max: MAX_XML_DEPTH,
            });
        };
        *slot = name;
        self.depth += 1;
        self.root_seen = true;
        self.pos = i;
        self.pending_end = self_closing;
        Ok(Event::Start { name, at })
    }

    /// Reads the attributes of a start tag from `name_end`, just after its name, up to its
    /// `>` or `/>`; returns the offset after it and whether the tag closes itself.
    fn start_tag_end(&self, name_end: usize) -> Result<(usize, bool), BodyError> {
        let mut i = name_end;
        let self_closing = loop {
            let before = i;
            i = self.skip_space(i);
            match self.byte(i) {
                None => return Err(BodyError::UnexpectedEnd { offset: i }),
                Some(b'>') => {
                    i += 1;
                    break false;
                }
                Some(b'/') => {
                    if self.byte(i + 1) == Some(b'>') {
                        i += 2;
                        break true;
                    }
                    return Err(self.end_or(i + 1, i, "`/` not followed by `>` in a tag"));
                }
                Some(b) => {
                    if i == before || !is_name_start(b) {
                        return Err(BodyError::Malformed {
                            offset: i,
                            reason: "bad attribute in a tag",
                        });
                    }
                    i = self.attribute(i)?;
                }
            }
        };
        Ok((i, self_closing))
    }

    /// Reads `name = "value"` (or `'value'`) from `i`; returns the offset after it.
    fn attribute(&self, i: usize) -> Result<usize, BodyError> {
        let mut i = self.skip_space(self.attribute_name_end(i));
        if self.byte(i) != Some(b'=') {
            return Err(self.end_or(i, i, "attribute without `=`"));
        }
        i = self.skip_space(i + 1);
        let quote = match self.byte(i) {
            Some(q @ (b'"' | b'\'')) => char::from(q),
            _ => return Err(self.end_or(i, i, "attribute value not in quotes")),
        };
        let value_start = i + 1;
        let Some(len) = self.rest(value_start).find(quote) else {
            return Err(BodyError::UnexpectedEnd {
                offset: self.doc.len(),
            });
        };
        if let Some(lt) = self.slice(value_start, value_start + len)?.find('<') {
            return Err(BodyError::Malformed {
                offset: value_start + lt,
                reason: "`<` in an attribute value",
            });
        }
        Ok(value_start + len + 1)
    }

    fn end_tag(&mut self, at: usize) -> Result<Event<'a>, BodyError> {
        let name_start = at + 2;
        let open = self.depth.checked_sub(1).and_then(|d| self.open.get(d));
        // The common case, `</name>` of the open element, without scanning the name.
        if let Some(open) = open {
            let end = name_start + open.len();
            let bytes = self.doc.as_bytes();
            if bytes.get(name_start..end) == Some(open.as_bytes()) && bytes.get(end) == Some(&b'>')
            {
                self.depth -= 1;
                self.pos = end + 1;
                return Ok(Event::End);
            }
        }
        let name_end = self.name_end(name_start);
        let name = self.slice(name_start, name_end)?;
        let i = self.skip_space(name_end);
        if name.is_empty() || self.byte(i) != Some(b'>') {
            return Err(self.end_or(i, at, "end tag is not `</name>`"));
        }
        if open != Some(&name) {
            return Err(BodyError::MismatchedTag { offset: at });
        }
        self.depth -= 1;
        self.pos = i + 1;
        Ok(Event::End)
    }

    fn bang(&mut self, at: usize) -> Result<Event<'a>, BodyError> {
        const COMMENT: &str = "<!--";
        const CDATA: &str = "<![CDATA[";
        const DOCTYPE: &str = "<!DOCTYPE";
        let rest = self.rest(at);
        if rest.starts_with(COMMENT) {
            let body = at + COMMENT.len();
            let Some(len) = self.rest(body).find("-->") else {
                return Err(BodyError::UnexpectedEnd {
                    offset: self.doc.len(),
                });
            };
            self.pos = body + len + 3;
            return Ok(Event::Comment);
        }
        for (prefix, what) in [
            (CDATA, "CDATA section"),
            (DOCTYPE, "document type declaration"),
        ] {
            if rest.starts_with(prefix) {
                return Err(BodyError::Unsupported { what, offset: at });
            }
        }
        if [COMMENT, CDATA, DOCTYPE]
            .iter()
            .any(|p| p.starts_with(rest))
        {
            return Err(BodyError::UnexpectedEnd {
                offset: self.doc.len(),
            });
        }
        Err(BodyError::Malformed {
            offset: at,
            reason: "`<!` that starts no comment",
        })
    }

    fn instruction(&mut self, at: usize) -> Result<Event<'a>, BodyError> {
        let target_start = at + 2;
        let target_end = self.name_end(target_start);
        let target = self.slice(target_start, target_end)?;
        if target.is_empty() {
            return Err(self.end_or(target_end, at, "processing instruction without a target"));
        }
        let Some(len) = self.rest(target_end).find("?>") else {
            return Err(BodyError::UnexpectedEnd {
                offset: self.doc.len(),
            });
        };
        self.pos = target_end + len + 2;
        Ok(Event::Instruction { target, at })
    }

    // --- What the readers build on -----------------------------------------------------

    /// Reads up to the root element's start: its name and offset.
    fn open(doc: &'a str) -> Result<(Self, &'a str, usize), BodyError> {
        let mut cursor = Self::new(doc);
        if doc.starts_with('\u{FEFF}') {
            cursor.pos = '\u{FEFF}'.len_utf8();
        }
        let mut first = true;
        loop {
            match cursor.next()? {
                Event::Start { name, at } => return Ok((cursor, name, at)),
                Event::Instruction { target: "xml", .. } if first => {}
                Event::Instruction { at, .. } => {
                    return Err(BodyError::Unsupported {
                        what: "processing instruction",
                        offset: at,
                    });
                }
                Event::Comment => {}
                // Outside the root, the tokenizer skips whitespace, refuses other text and
                // end tags, and reports a missing root as the end of input.
                Event::Text { at, .. } => {
                    return Err(BodyError::Malformed {
                        offset: at,
                        reason: "text outside the root element",
                    });
                }
                Event::End | Event::Eof => {
                    return Err(BodyError::UnexpectedEnd { offset: cursor.pos });
                }
            }
            first = false;
        }
    }

    /// Reads the rest of the document after the root: comments and whitespace only.
    fn finish(mut self) -> Result<(), BodyError> {
        loop {
            match self.next()? {
                Event::Eof => return Ok(()),
                Event::Comment => {}
                Event::Instruction { at, .. } => {
                    return Err(BodyError::Unsupported {
                        what: "processing instruction",
                        offset: at,
                    });
                }
                Event::Start { at, .. } | Event::Text { at, .. } => {
                    return Err(BodyError::Malformed {
                        offset: at,
                        reason: "content after the root element",
                    });
                }
                Event::End => {
                    return Err(BodyError::MismatchedTag { offset: self.pos });
                }
            }
        }
    }

    /// The next child element of `parent` (whose start was read last, or whose previous
    /// child was read whole): its name and offset, or `None` at `parent`'s end.
    fn next_child(&mut self, parent: &'static str) -> Result<Option<(&'a str, usize)>, BodyError> {
        loop {
            match self.next()? {
                Event::Start { name, at } => return Ok(Some((name, at))),
                Event::End => return Ok(None),
                Event::Text { raw, at } => {
                    if !raw.bytes().all(is_space) {
                        return Err(BodyError::UnexpectedText {
                            element: parent,
                            offset: at,
                        });
                    }
                }
                Event::Comment => {}
                Event::Instruction { at, .. } => {
                    return Err(BodyError::Unsupported {
                        what: "processing instruction",
                        offset: at,
                    });
                }
                Event::Eof => return Err(BodyError::UnexpectedEnd { offset: self.pos }),
            }
        }
    }

    /// Skips the element whose start was read last, with everything inside it.
    fn skip_element(&mut self) -> Result<(), BodyError> {
        // The start pushed the element, so depth >= 1.
        let outside = self.depth - 1;
        loop {
            match self.next()? {
                Event::End if self.depth == outside => return Ok(()),
                Event::Instruction { at, .. } => {
                    return Err(BodyError::Unsupported {
                        what: "processing instruction",
                        offset: at,
                    });
                }
                Event::Eof => return Err(BodyError::UnexpectedEnd { offset: self.pos }),
                _ => {}
            }
        }
    }

    /// The raw text of `element`, whose start was read last, and its offset; reads the end.
    fn leaf(&mut self, element: &'static str) -> Result<(&'a str, usize), BodyError> {
        let at = self.pos;
        let mut text = "";
        loop {
            let before = self.pos;
            match self.next()? {
                Event::End => return Ok((text, at)),
                Event::Text { raw, .. } => text = raw,
                Event::Start { at, .. } => {
                    return Err(BodyError::NotAValue {
                        element,
                        offset: at,
                    });
                }
                Event::Comment => {
                    return Err(BodyError::Unsupported {
                        what: "comment inside a value",
                        offset: before,
                    });
                }
                Event::Instruction { at, .. } => {
                    return Err(BodyError::Unsupported {
                        what: "processing instruction",
                        offset: at,
                    });
                }
                Event::Eof => return Err(BodyError::UnexpectedEnd { offset: self.pos }),
            }
        }
    }

    fn text(&mut self, element: &'static str) -> Result<XmlText<'a>, BodyError> {
        let (raw, at) = self.leaf(element)?;
        XmlText::checked(raw, at)
    }

    fn number<T: TryFrom<u64>>(
        &mut self,
        element: &'static str,
        min: u64,
        max: u64,
        allowed: &'static str,
    ) -> Result<T, BodyError> {
        let (raw, at) = self.leaf(element)?;
        let bad = BodyError::BadNumber {
            element,
            offset: at,
            allowed,
        };
        if raw.is_empty() || !raw.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad);
        }
        let mut value: u64 = 0;
        for b in raw.bytes() {
            value = value
                .checked_mul(10)
                .and_then(|v| v.checked_add(u64::from(b - b'0')))
                .ok_or(bad)?;
        }
        if value < min || value > max {
            return Err(bad);
        }
        T::try_from(value).map_err(|_| bad)
    }

    fn part_number(
        &mut self,
        element: &'static str,
        min: u16,
        allowed: &'static str,
    ) -> Result<u16, BodyError> {
        self.number(element, min.into(), MAX_PART_NUMBER.into(), allowed)
    }

    fn boolean(&mut self, element: &'static str) -> Result<bool, BodyError> {
        match self.leaf(element)? {
            ("true" | "1", _) => Ok(true),
            ("false" | "0", _) => Ok(false),
            (_, offset) => Err(BodyError::BadBoolean { element, offset }),
        }
    }
}

/// Stores the value of an element that may appear once.
fn once<T>(
    slot: &mut Option<T>,
    value: T,
    element: &'static str,
    parent: &'static str,
    offset: usize,
) -> Result<(), BodyError> {
    if slot.is_some() {
        return Err(BodyError::DuplicateElement {
            element,
            parent,
            offset,
        });
    }
    *slot = Some(value);
    Ok(())
}

/// Opens a document whose root must be `expected`.
fn open_expecting<'a>(doc: &'a str, expected: &'static str) -> Result<Cursor<'a>, BodyError> {
    let (cursor, root, offset) = Cursor::open(doc)?;
    if root == expected {
        Ok(cursor)
    } else if root == ERROR {
        Err(BodyError::ErrorDocument { expected })
    } else {
        Err(BodyError::WrongRoot { expected, offset })
    }
}

fn required<T>(
    value: Option<T>,
    element: &'static str,
    parent: &'static str,
) -> Result<T, BodyError> {
    value.ok_or(BodyError::MissingElement { element, parent })
}

/// An upload ID must not be empty: signed into a URL as `uploadId=`, it would name another
/// request.
fn non_empty_upload_id<'a>(
    upload_id: Option<(XmlText<'a>, usize)>,
    parent: &'static str,
) -> Result<XmlText<'a>, BodyError> {
    let (text, offset) = required(upload_id, UPLOAD_ID, parent)?;
    if text.raw().is_empty() {
        return Err(BodyError::EmptyValue {
            element: UPLOAD_ID,
            offset,
        });
    }
    Ok(text)
}

const ERROR: &str = "Error";
const UPLOAD_ID: &str = "UploadId";

// -------------------------------------------------------------------------------------------
// InitiateMultipartUploadResult
// -------------------------------------------------------------------------------------------

/// The answer to `CreateMultipartUpload` (`POST ?uploads`): the upload ID every later
/// request of the upload names.
///
/// ```
/// // The sample response of docs.aws.amazon.com/AmazonS3/latest/API/API_CreateMultipartUpload.html
/// let doc = r#"<?xml version="1.0" encoding="UTF-8"?>
/// <InitiateMultipartUploadResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
///   <Bucket>amzn-s3-demo-bucket</Bucket>
///   <Key>example-object</Key>
///   <UploadId>VXBsb2FkIElEIGZvciA2aWWpbmcncyBteS1tb3ZpZS5tMnRzIHVwbG9hZA</UploadId>
/// </InitiateMultipartUploadResult>"#;
/// let init = presign::InitiateResult::read(doc)?;
/// assert_eq!(init.upload_id(), "VXBsb2FkIElEIGZvciA2aWWpbmcncyBteS1tb3ZpZS5tMnRzIHVwbG9hZA");
/// assert_eq!(init.key().map(|k| k.to_string()).as_deref(), Some("example-object"));
/// # Ok::<(), presign::BodyError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InitiateResult<'a> {
    bucket: Option<XmlText<'a>>,
    key: Option<XmlText<'a>>,
    upload_id: XmlText<'a>,
}

impl<'a> InitiateResult<'a> {
    /// Reads an `InitiateMultipartUploadResult` document; `UploadId` is required and must
    /// not be empty.
    ///
    /// ```
    /// use presign::{BodyError, InitiateResult};
    /// let doc = "<InitiateMultipartUploadResult><UploadId/></InitiateMultipartUploadResult>";
    /// assert!(matches!(InitiateResult::read(doc), Err(BodyError::EmptyValue { element: "UploadId", .. })));
    /// ```
    pub fn read(doc: &'a str) -> Result<Self, BodyError> {
        const ROOT: &str = "InitiateMultipartUploadResult";
        let mut cursor = open_expecting(doc, ROOT)?;
        let (mut bucket, mut key, mut upload_id) = (None, None, None);
        while let Some((name, at)) = cursor.next_child(ROOT)? {
            match name {
                "Bucket" => once(&mut bucket, cursor.text("Bucket")?, "Bucket", ROOT, at)?,
                "Key" => once(&mut key, cursor.text("Key")?, "Key", ROOT, at)?,
                UPLOAD_ID => {
                    let text = cursor.text(UPLOAD_ID)?;
                    once(&mut upload_id, (text, at), UPLOAD_ID, ROOT, at)?;
                }
                _ => cursor.skip_element()?,
            }
        }
        cursor.finish()?;
        Ok(Self {
            bucket,
            key,
            upload_id: non_empty_upload_id(upload_id, ROOT)?,
        })
    }

    /// The bucket, when the document names it.
    ///
    /// ```
    /// let doc = "<InitiateMultipartUploadResult><Bucket>b</Bucket><UploadId>u</UploadId></InitiateMultipartUploadResult>";
    /// assert_eq!(presign::InitiateResult::read(doc)?.bucket().map(|b| b == "b"), Some(true));
    /// # Ok::<(), presign::BodyError>(())
    /// ```
    #[must_use]
    pub const fn bucket(&self) -> Option<XmlText<'a>> {
        self.bucket
    }

    /// The object key, when the document names it.
    ///
    /// ```
    /// let doc = "<InitiateMultipartUploadResult><UploadId>u</UploadId></InitiateMultipartUploadResult>";
    /// assert!(presign::InitiateResult::read(doc)?.key().is_none());
    /// # Ok::<(), presign::BodyError>(())
    /// ```
    #[must_use]
    pub const fn key(&self) -> Option<XmlText<'a>> {
        self.key
    }

    /// The upload ID, never empty.
    ///
    /// ```
    /// let doc = "<InitiateMultipartUploadResult><UploadId>a&amp;b</UploadId></InitiateMultipartUploadResult>";
    /// assert_eq!(presign::InitiateResult::read(doc)?.upload_id(), "a&b");
    /// # Ok::<(), presign::BodyError>(())
    /// ```
    #[must_use]
    pub const fn upload_id(&self) -> XmlText<'a> {
        self.upload_id
    }
}

// -------------------------------------------------------------------------------------------
// ListPartsResult
// -------------------------------------------------------------------------------------------

const LIST_PARTS: &str = "ListPartsResult";
const PART: &str = "Part";

/// The answer to `ListParts` (`GET ?uploadId=…`): the parts uploaded so far, and where the
/// next page starts when the list is truncated.
///
/// [`read`](Self::read) checks the whole document, so iterating over
/// [`parts`](Self::parts) cannot fail.
///
/// ```
/// use presign::ListParts;
///
/// let doc = "<ListPartsResult><UploadId>u</UploadId><IsTruncated>false</IsTruncated>\
///            <Part><PartNumber>1</PartNumber><ETag>&quot;a&quot;</ETag><Size>5242880</Size></Part>\
///            <Part><PartNumber>2</PartNumber><ETag>\"b\"</ETag><Size>17</Size></Part>\
///            </ListPartsResult>";
/// let list = ListParts::read(doc)?;
/// let total: u64 = list.parts().map(|p| p.size()).sum();
/// assert_eq!((list.part_count(), total), (2, 5_242_897));
/// assert!(list.parts().map(|p| p.etag()).eq(["\"a\"", "\"b\""]));
/// # Ok::<(), presign::BodyError>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct ListParts<'a> {
    bucket: Option<XmlText<'a>>,
    key: Option<XmlText<'a>>,
    upload_id: XmlText<'a>,
    part_number_marker: Option<u16>,
    next_part_number_marker: Option<u16>,
    max_parts: Option<u32>,
    is_truncated: bool,
    part_count: usize,
    /// Just after the root's start, for the iterator.
    body: Cursor<'a>,
}

impl<'a> ListParts<'a> {
    /// Reads a `ListPartsResult` document.
    ///
    /// Required: `UploadId` (not empty), and in each `Part`: `PartNumber` (`1 ..= 10_000`),
    /// `ETag` and `Size`. `PartNumberMarker` and `NextPartNumberMarker` are in
    /// `0 ..= 10_000`. An absent `IsTruncated` reads as `false`, the schema's default: S3
    /// always writes it, but S3-compatible servers (s3s-fs, seen in this crate's end-to-end
    /// tests) leave out a false one.
    ///
    /// ```
    /// use presign::{BodyError, ListParts};
    /// let doc = "<ListPartsResult><UploadId>u</UploadId><IsTruncated>false</IsTruncated>\
    ///            <Part><PartNumber>10001</PartNumber><ETag>e</ETag><Size>1</Size></Part></ListPartsResult>";
    /// assert!(matches!(ListParts::read(doc), Err(BodyError::BadNumber { element: "PartNumber", .. })));
    /// ```
    pub fn read(doc: &'a str) -> Result<Self, BodyError> {
        let mut cursor = open_expecting(doc, LIST_PARTS)?;
        let body = cursor;
        let (mut bucket, mut key, mut upload_id) = (None, None, None);
        let (mut marker, mut next_marker, mut max_parts, mut truncated) = (None, None, None, None);
        let mut part_count = 0usize;
        while let Some((name, at)) = cursor.next_child(LIST_PARTS)? {
            match name {
                PART => {
                    read_part(&mut cursor)?;
                    part_count += 1;
                }
                "Bucket" => {
                    let text = cursor.text("Bucket")?;
                    once(&mut bucket, text, "Bucket", LIST_PARTS, at)?;
                }
                "Key" => once(&mut key, cursor.text("Key")?, "Key", LIST_PARTS, at)?,
                UPLOAD_ID => {
                    let text = cursor.text(UPLOAD_ID)?;
                    once(&mut upload_id, (text, at), UPLOAD_ID, LIST_PARTS, at)?;
                }
                "PartNumberMarker" => {
                    let n = cursor.part_number("PartNumberMarker", 0, MARKER_RANGE)?;
                    once(&mut marker, n, "PartNumberMarker", LIST_PARTS, at)?;
                }
                "NextPartNumberMarker" => {
                    let n = cursor.part_number("NextPartNumberMarker", 0, MARKER_RANGE)?;
                    once(&mut next_marker, n, "NextPartNumberMarker", LIST_PARTS, at)?;
                }
                "MaxParts" => {
                    let n: u32 = cursor.number(
                        "MaxParts",
                        0,
                        u32::MAX.into(),
                        "an integer in 0..=4294967295",
                    )?;
                    once(&mut max_parts, n, "MaxParts", LIST_PARTS, at)?;
                }
                "IsTruncated" => {
                    let b = cursor.boolean("IsTruncated")?;
                    once(&mut truncated, b, "IsTruncated", LIST_PARTS, at)?;
                }
                _ => cursor.skip_element()?,
            }
        }
        cursor.finish()?;
        Ok(Self {
            bucket,
            key,
            upload_id: non_empty_upload_id(upload_id, LIST_PARTS)?,
            part_number_marker: marker,
            next_part_number_marker: next_marker,
            max_parts,
            // Absent means false: see `read`'s documentation.
            is_truncated: truncated.unwrap_or(false),
            part_count,
            body,
        })
    }

    /// The parts in document order (S3 lists them by ascending part number).
    ///
    /// ```
    /// let doc = "<ListPartsResult><IsTruncated>0</IsTruncated><UploadId>u</UploadId>\
    ///            <Part><Size>9</Size><ETag>e</ETag><PartNumber>4</PartNumber>\
    ///            <LastModified>2010-11-10T20:48:34.000Z</LastModified></Part></ListPartsResult>";
    /// let part = presign::ListParts::read(doc)?.parts().next().expect("one part");
    /// assert_eq!((part.number(), part.size()), (4, 9));
    /// assert_eq!(part.last_modified().map(|t| t == "2010-11-10T20:48:34.000Z"), Some(true));
    /// # Ok::<(), presign::BodyError>(())
    /// ```
    #[must_use]
    pub const fn parts(&self) -> ListedParts<'a> {
        ListedParts {
            cursor: self.body,
            remaining: self.part_count,
        }
    }

    /// How many `Part` elements the document has.
    ///
    /// ```
    /// let doc = "<ListPartsResult><UploadId>u</UploadId><IsTruncated>false</IsTruncated></ListPartsResult>";
    /// assert_eq!(presign::ListParts::read(doc)?.part_count(), 0);
    /// # Ok::<(), presign::BodyError>(())
    /// ```
    #[must_use]
    pub const fn part_count(&self) -> usize {
        self.part_count
    }

    /// The bucket, when the document names it.
    ///
    /// ```
    /// let doc = "<ListPartsResult><Bucket>b</Bucket><UploadId>u</UploadId><IsTruncated>false</IsTruncated></ListPartsResult>";
    /// assert_eq!(presign::ListParts::read(doc)?.bucket().map(|b| b == "b"), Some(true));
    /// # Ok::<(), presign::BodyError>(())
    /// ```
    #[must_use]
    pub const fn bucket(&self) -> Option<XmlText<'a>> {
        self.bucket
    }

    /// The object key, when the document names it.
    ///
    /// ```
    /// let doc = "<ListPartsResult><Key>k</Key><UploadId>u</UploadId><IsTruncated>false</IsTruncated></ListPartsResult>";
    /// assert_eq!(presign::ListParts::read(doc)?.key().map(|k| k == "k"), Some(true));
    /// # Ok::<(), presign::BodyError>(())
    /// ```
    #[must_use]
    pub const fn key(&self) -> Option<XmlText<'a>> {
        self.key
    }

    /// The upload ID, never empty.
    ///
    /// ```
    /// let doc = "<ListPartsResult><UploadId>u-1</UploadId><IsTruncated>false</IsTruncated></ListPartsResult>";
    /// assert_eq!(presign::ListParts::read(doc)?.upload_id(), "u-1");
    /// # Ok::<(), presign::BodyError>(())
    /// ```
    #[must_use]
    pub const fn upload_id(&self) -> XmlText<'a> {
        self.upload_id
    }

    /// Whether more parts follow: list again with `part-number-marker` set to
    /// [`next_part_number_marker`](Self::next_part_number_marker).
    ///
    /// ```
    /// let doc = "<ListPartsResult><UploadId>u</UploadId><IsTruncated>true</IsTruncated>\
    ///            <NextPartNumberMarker>3</NextPartNumberMarker></ListPartsResult>";
    /// let list = presign::ListParts::read(doc)?;
    /// assert_eq!((list.is_truncated(), list.next_part_number_marker()), (true, Some(3)));
    /// # Ok::<(), presign::BodyError>(())
    /// ```
    #[must_use]
    pub const fn is_truncated(&self) -> bool {
        self.is_truncated
    }

    /// The `part-number-marker` of the next page, when the document has one.
    ///
    /// ```
    /// let doc = "<ListPartsResult><UploadId>u</UploadId><IsTruncated>false</IsTruncated></ListPartsResult>";
    /// assert_eq!(presign::ListParts::read(doc)?.next_part_number_marker(), None);
    /// # Ok::<(), presign::BodyError>(())
    /// ```
    #[must_use]
    pub const fn next_part_number_marker(&self) -> Option<u16> {
        self.next_part_number_marker
    }

    /// The `part-number-marker` this page was asked with, when the document has one.
    ///
    /// ```
    /// let doc = "<ListPartsResult><UploadId>u</UploadId><IsTruncated>false</IsTruncated>\
    ///            <PartNumberMarker>0</PartNumberMarker></ListPartsResult>";
    /// assert_eq!(presign::ListParts::read(doc)?.part_number_marker(), Some(0));
    /// # Ok::<(), presign::BodyError>(())
    /// ```
    #[must_use]
    pub const fn part_number_marker(&self) -> Option<u16> {
        self.part_number_marker
    }

    /// The most parts a page holds, when the document says.
    ///
    /// ```
    /// let doc = "<ListPartsResult><UploadId>u</UploadId><IsTruncated>false</IsTruncated>\
    ///            <MaxParts>1000</MaxParts></ListPartsResult>";
    /// assert_eq!(presign::ListParts::read(doc)?.max_parts(), Some(1000));
    /// # Ok::<(), presign::BodyError>(())
    /// ```
    #[must_use]
    pub const fn max_parts(&self) -> Option<u32> {
        self.max_parts
    }
}

/// Reads a `Part` whose start was read last, through its end.
fn read_part<'a>(cursor: &mut Cursor<'a>) -> Result<ListedPart<'a>, BodyError> {
    let (mut number, mut etag, mut size, mut last_modified) = (None, None, None, None);
    while let Some((name, at)) = cursor.next_child(PART)? {
        match name {
            "PartNumber" => {
                let n = cursor.part_number("PartNumber", 1, PART_NUMBER_RANGE)?;
                once(&mut number, n, "PartNumber", PART, at)?;
            }
            "ETag" => once(&mut etag, cursor.text("ETag")?, "ETag", PART, at)?,
            "Size" => {
                let n = cursor.number(
                    "Size",
                    0,
                    u64::MAX,
                    "an integer in 0..=18446744073709551615",
                )?;
                once(&mut size, n, "Size", PART, at)?;
            }
            "LastModified" => {
                let t = cursor.text("LastModified")?;
                once(&mut last_modified, t, "LastModified", PART, at)?;
            }
            _ => cursor.skip_element()?,
        }
    }
    Ok(ListedPart {
        number: required(number, "PartNumber", PART)?,
        etag: required(etag, "ETag", PART)?,
        size: required(size, "Size", PART)?,
        last_modified,
    })
}

/// One part of a [`ListParts`] page.
///
/// ```
/// let doc = "<ListPartsResult><UploadId>u</UploadId><IsTruncated>false</IsTruncated>\
///            <Part><PartNumber>2</PartNumber><ETag>&quot;7778aef8&quot;</ETag><Size>10485760</Size></Part>\
///            </ListPartsResult>";
/// let part = presign::ListParts::read(doc)?.parts().next().expect("one part");
/// assert_eq!((part.number(), part.size()), (2, 10_485_760));
/// assert_eq!(part.etag(), "\"7778aef8\"");
/// assert!(part.last_modified().is_none());
/// # Ok::<(), presign::BodyError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListedPart<'a> {
    number: u16,
    etag: XmlText<'a>,
    size: u64,
    last_modified: Option<XmlText<'a>>,
}

impl<'a> ListedPart<'a> {
    /// The part number, `1 ..= 10_000`.
    ///
    /// ```
    /// let doc = "<ListPartsResult><UploadId>u</UploadId><IsTruncated>false</IsTruncated>\
    ///            <Part><PartNumber>9</PartNumber><ETag>e</ETag><Size>1</Size></Part></ListPartsResult>";
    /// assert_eq!(presign::ListParts::read(doc)?.parts().map(|p| p.number()).collect::<Vec<_>>(), [9]);
    /// # Ok::<(), presign::BodyError>(())
    /// ```
    #[must_use]
    pub const fn number(&self) -> u16 {
        self.number
    }

    /// The part's `ETag`, as [`CompletedPart::new`] wants it once unescaped.
    ///
    /// ```
    /// let doc = "<ListPartsResult><UploadId>u</UploadId><IsTruncated>false</IsTruncated>\
    ///            <Part><PartNumber>1</PartNumber><ETag>&#34;e&#34;</ETag><Size>1</Size></Part></ListPartsResult>";
    /// let etag = presign::ListParts::read(doc)?.parts().next().expect("one part").etag().to_string();
    /// let part = presign::CompletedPart::new(1, &etag);
    /// assert_eq!(part.etag(), "\"e\"");
    /// # Ok::<(), presign::BodyError>(())
    /// ```
    #[must_use]
    pub const fn etag(&self) -> XmlText<'a> {
        self.etag
    }

    /// The part's size in bytes.
    ///
    /// ```
    /// let doc = "<ListPartsResult><UploadId>u</UploadId><IsTruncated>false</IsTruncated>\
    ///            <Part><PartNumber>1</PartNumber><ETag>e</ETag><Size>5242880</Size></Part></ListPartsResult>";
    /// assert_eq!(presign::ListParts::read(doc)?.parts().map(|p| p.size()).sum::<u64>(), 5_242_880);
    /// # Ok::<(), presign::BodyError>(())
    /// ```
    #[must_use]
    pub const fn size(&self) -> u64 {
        self.size
    }

    /// When the part was uploaded, as the store wrote it (ISO 8601), when present.
    ///
    /// ```
    /// let doc = "<ListPartsResult><UploadId>u</UploadId><IsTruncated>false</IsTruncated>\
    ///            <Part><PartNumber>1</PartNumber><ETag>e</ETag><Size>1</Size>\
    ///            <LastModified>2010-11-10T20:48:33.000Z</LastModified></Part></ListPartsResult>";
    /// let part = presign::ListParts::read(doc)?.parts().next().expect("one part");
    /// assert_eq!(part.last_modified().map(|t| t.to_string()).as_deref(), Some("2010-11-10T20:48:33.000Z"));
    /// # Ok::<(), presign::BodyError>(())
    /// ```
    #[must_use]
    pub const fn last_modified(&self) -> Option<XmlText<'a>> {
        self.last_modified
    }
}

/// The parts of a [`ListParts`] page in document order; from [`ListParts::parts`].
///
/// ```
/// let doc = "<ListPartsResult><UploadId>u</UploadId><IsTruncated>false</IsTruncated>\
///            <Part><PartNumber>1</PartNumber><ETag>e</ETag><Size>1</Size></Part></ListPartsResult>";
/// let list = presign::ListParts::read(doc)?;
/// let mut parts = list.parts();
/// assert_eq!(parts.len(), 1);
/// assert!(parts.next().is_some() && parts.next().is_none());
/// # Ok::<(), presign::BodyError>(())
/// ```
#[derive(Debug, Clone)]
pub struct ListedParts<'a> {
    cursor: Cursor<'a>,
    remaining: usize,
}

impl<'a> Iterator for ListedParts<'a> {
    type Item = ListedPart<'a>;

    fn next(&mut self) -> Option<ListedPart<'a>> {
        if self.remaining == 0 {
            return None;
        }
        let part = self
            .next_part()
            .expect("ListParts::read accepted this document, and reading it again is the same");
        self.remaining -= 1;
        Some(part)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.remaining, Some(self.remaining))
    }
}

impl<'a> ListedParts<'a> {
    fn next_part(&mut self) -> Result<ListedPart<'a>, BodyError> {
        loop {
            match self.cursor.next_child(LIST_PARTS)? {
                Some((PART, _)) => return read_part(&mut self.cursor),
                Some(_) => self.cursor.skip_element()?,
                // `remaining` counts the parts `read` found, so the root cannot end first.
                None => {
                    return Err(BodyError::UnexpectedEnd {
                        offset: self.cursor.pos,
                    });
                }
            }
        }
    }
}

impl ExactSizeIterator for ListedParts<'_> {}

impl FusedIterator for ListedParts<'_> {}

// -------------------------------------------------------------------------------------------
// Error
// -------------------------------------------------------------------------------------------

/// An S3 `<Error>` response: what went wrong (`Code`), in words (`Message`), and the IDs
/// AWS support asks for.
///
/// ```
/// // The sample of docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html
/// let doc = r#"<?xml version="1.0" encoding="UTF-8"?>
/// <Error>
///   <Code>NoSuchKey</Code>
///   <Message>The resource you requested does not exist</Message>
///   <Resource>/mybucket/myfoto.jpg</Resource>
///   <RequestId>4442587FB7D0A2F9</RequestId>
/// </Error>"#;
/// let err = presign::S3ErrorBody::read(doc)?;
/// assert_eq!(err.code(), "NoSuchKey");
/// assert_eq!(err.to_string(), "NoSuchKey: The resource you requested does not exist \
///                              (resource /mybucket/myfoto.jpg, request id 4442587FB7D0A2F9)");
/// # Ok::<(), presign::BodyError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct S3ErrorBody<'a> {
    code: XmlText<'a>,
    message: Option<XmlText<'a>>,
    resource: Option<XmlText<'a>>,
    request_id: Option<XmlText<'a>>,
    host_id: Option<XmlText<'a>>,
}

impl<'a> S3ErrorBody<'a> {
    /// Reads an `Error` document; `Code` is required.
    ///
    /// ```
    /// use presign::{BodyError, S3ErrorBody};
    /// assert_eq!(
    ///     S3ErrorBody::read("<Error><Message>m</Message></Error>"),
    ///     Err(BodyError::MissingElement { element: "Code", parent: "Error" })
    /// );
    /// ```
    pub fn read(doc: &'a str) -> Result<Self, BodyError> {
        let mut cursor = open_expecting(doc, ERROR)?;
        let err = read_error(&mut cursor)?;
        cursor.finish()?;
        Ok(err)
    }

    /// The error code, e.g. `NoSuchUpload`, `InvalidPart`, `EntityTooSmall`.
    ///
    /// ```
    /// let err = presign::S3ErrorBody::read("<Error><Code>NoSuchUpload</Code></Error>")?;
    /// assert_eq!(err.code(), "NoSuchUpload");
    /// # Ok::<(), presign::BodyError>(())
    /// ```
    #[must_use]
    pub const fn code(&self) -> XmlText<'a> {
        self.code
    }

    /// The message, when present.
    ///
    /// ```
    /// let err = presign::S3ErrorBody::read("<Error><Code>C</Code><Message>it &lt;broke&gt;</Message></Error>")?;
    /// assert_eq!(err.message().map(|m| m == "it <broke>"), Some(true));
    /// # Ok::<(), presign::BodyError>(())
    /// ```
    #[must_use]
    pub const fn message(&self) -> Option<XmlText<'a>> {
        self.message
    }

    /// The resource the request named, when present.
    ///
    /// ```
    /// let err = presign::S3ErrorBody::read("<Error><Code>C</Code><Resource>/b/k</Resource></Error>")?;
    /// assert_eq!(err.resource().map(|r| r == "/b/k"), Some(true));
    /// # Ok::<(), presign::BodyError>(())
    /// ```
    #[must_use]
    pub const fn resource(&self) -> Option<XmlText<'a>> {
        self.resource
    }

    /// The request ID (`x-amz-request-id`), when present.
    ///
    /// ```
    /// let err = presign::S3ErrorBody::read("<Error><Code>C</Code><RequestId>4442587FB7D0A2F9</RequestId></Error>")?;
    /// assert_eq!(err.request_id().map(|r| r == "4442587FB7D0A2F9"), Some(true));
    /// # Ok::<(), presign::BodyError>(())
    /// ```
    #[must_use]
    pub const fn request_id(&self) -> Option<XmlText<'a>> {
        self.request_id
    }

    /// The host ID (`x-amz-id-2`), when present.
    ///
    /// ```
    /// let err = presign::S3ErrorBody::read("<Error><Code>C</Code><HostId>h==</HostId></Error>")?;
    /// assert_eq!(err.host_id().map(|h| h == "h=="), Some(true));
    /// # Ok::<(), presign::BodyError>(())
    /// ```
    #[must_use]
    pub const fn host_id(&self) -> Option<XmlText<'a>> {
        self.host_id
    }
}

/// `Code: Message (resource …, request id …)`, unescaped, the parts that are present.
impl fmt::Display for S3ErrorBody<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.code)?;
        if let Some(message) = self.message {
            write!(f, ": {message}")?;
        }
        let mut sep = " (";
        if let Some(resource) = self.resource {
            write!(f, "{sep}resource {resource}")?;
            sep = ", ";
        }
        if let Some(id) = self.request_id {
            write!(f, "{sep}request id {id}")?;
            sep = ", ";
        }
        if sep == ", " {
            f.write_str(")")?;
        }
        Ok(())
    }
}

fn read_error<'a>(cursor: &mut Cursor<'a>) -> Result<S3ErrorBody<'a>, BodyError> {
    let (mut code, mut message, mut resource, mut request_id, mut host_id) =
        (None, None, None, None, None);
    while let Some((name, at)) = cursor.next_child(ERROR)? {
        let (slot, element) = match name {
            "Code" => (&mut code, "Code"),
            "Message" => (&mut message, "Message"),
            "Resource" => (&mut resource, "Resource"),
            "RequestId" => (&mut request_id, "RequestId"),
            "HostId" => (&mut host_id, "HostId"),
            _ => {
                cursor.skip_element()?;
                continue;
            }
        };
        once(slot, cursor.text(element)?, element, ERROR, at)?;
    }
    Ok(S3ErrorBody {
        code: required(code, "Code", ERROR)?,
        message,
        resource,
        request_id,
        host_id,
    })
}

// -------------------------------------------------------------------------------------------
// CompleteMultipartUploadResult
// -------------------------------------------------------------------------------------------

const COMPLETE: &str = "CompleteMultipartUploadResult";

/// A successful `CompleteMultipartUpload`: the object made and its `ETag`.
///
/// ```
/// // The sample response of docs.aws.amazon.com/AmazonS3/latest/API/API_CompleteMultipartUpload.html
/// let doc = r#"<?xml version="1.0" encoding="UTF-8"?>
/// <CompleteMultipartUploadResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
///  <Location>http://Example-Bucket.s3.Region.amazonaws.com/Example-Object</Location>
///  <Bucket>Example-Bucket</Bucket>
///  <Key>Example-Object</Key>
///  <ETag>"3858f62230ac3c915f300c664312c11f-9"</ETag>
/// </CompleteMultipartUploadResult>"#;
/// let presign::CompleteOutcome::Completed(done) = presign::CompleteOutcome::read(doc)? else { panic!() };
/// assert_eq!(done.etag(), "\"3858f62230ac3c915f300c664312c11f-9\"");
/// # Ok::<(), presign::BodyError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CompleteResult<'a> {
    location: Option<XmlText<'a>>,
    bucket: Option<XmlText<'a>>,
    key: Option<XmlText<'a>>,
    etag: XmlText<'a>,
}

impl<'a> CompleteResult<'a> {
    /// The object's URL, when present.
    ///
    /// ```
    /// let doc = "<CompleteMultipartUploadResult><Location>https://b.s3.amazonaws.com/k</Location>\
    ///            <ETag>e</ETag></CompleteMultipartUploadResult>";
    /// let done = presign::CompleteOutcome::read(doc)?.into_result().expect("completed");
    /// assert_eq!(done.location().map(|l| l == "https://b.s3.amazonaws.com/k"), Some(true));
    /// # Ok::<(), presign::BodyError>(())
    /// ```
    #[must_use]
    pub const fn location(&self) -> Option<XmlText<'a>> {
        self.location
    }

    /// The bucket, when present.
    ///
    /// ```
    /// let doc = "<CompleteMultipartUploadResult><Bucket>b</Bucket><ETag>e</ETag></CompleteMultipartUploadResult>";
    /// let done = presign::CompleteOutcome::read(doc)?.into_result().expect("completed");
    /// assert_eq!(done.bucket().map(|b| b == "b"), Some(true));
    /// # Ok::<(), presign::BodyError>(())
    /// ```
    #[must_use]
    pub const fn bucket(&self) -> Option<XmlText<'a>> {
        self.bucket
    }

    /// The object key, when present.
    ///
    /// ```
    /// let doc = "<CompleteMultipartUploadResult><Key>k</Key><ETag>e</ETag></CompleteMultipartUploadResult>";
    /// let done = presign::CompleteOutcome::read(doc)?.into_result().expect("completed");
    /// assert_eq!(done.key().map(|k| k == "k"), Some(true));
    /// # Ok::<(), presign::BodyError>(())
    /// ```
    #[must_use]
    pub const fn key(&self) -> Option<XmlText<'a>> {
        self.key
    }

    /// The object's `ETag` (for a multipart object, `"<hex>-<part count>"`).
    ///
    /// ```
    /// let doc = "<CompleteMultipartUploadResult><ETag>&quot;abc-2&quot;</ETag></CompleteMultipartUploadResult>";
    /// let done = presign::CompleteOutcome::read(doc)?.into_result().expect("completed");
    /// assert_eq!(done.etag(), "\"abc-2\"");
    /// # Ok::<(), presign::BodyError>(())
    /// ```
    #[must_use]
    pub const fn etag(&self) -> XmlText<'a> {
        self.etag
    }
}

/// What a `CompleteMultipartUpload` answer says. S3 sends 200 OK before it finishes
/// assembling the object, so a failure can arrive as an `<Error>` body with status 200: the
/// status alone does not tell success.
///
/// ```
/// use presign::CompleteOutcome;
///
/// // The 200-with-error sample of docs.aws.amazon.com/AmazonS3/latest/API/API_CompleteMultipartUpload.html
/// let doc = r#"<?xml version="1.0" encoding="UTF-8"?>
///
/// <Error>
/// <Code>InternalError</Code>
/// <Message>We encountered an internal error. Please try again.</Message>
/// <RequestId>656c76696e6727732072657175657374</RequestId>
/// <HostId>Uuag1LuByRx9e6j5Onimru9pO4ZVKnJ2Qz7/C1NPcfTWAtRPfTaOFg==</HostId>
/// </Error>"#;
/// match CompleteOutcome::read(doc)? {
///     CompleteOutcome::Completed(_) => unreachable!(),
///     CompleteOutcome::Failed(err) => assert_eq!(err.code(), "InternalError"),
/// }
/// # Ok::<(), presign::BodyError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompleteOutcome<'a> {
    /// The object was made.
    Completed(CompleteResult<'a>),
    /// The store refused or failed; the upload is still open (retry or abort it).
    Failed(S3ErrorBody<'a>),
}

impl<'a> CompleteOutcome<'a> {
    /// Reads a `CompleteMultipartUploadResult` or an `Error` document; `ETag` and `Code`
    /// are required.
    ///
    /// ```
    /// use presign::{BodyError, CompleteOutcome};
    /// assert!(matches!(
    ///     CompleteOutcome::read("<ListPartsResult/>"),
    ///     Err(BodyError::WrongRoot { expected: "CompleteMultipartUploadResult", offset: 0 })
    /// ));
    /// ```
    pub fn read(doc: &'a str) -> Result<Self, BodyError> {
        let (mut cursor, root, offset) = Cursor::open(doc)?;
        let outcome = match root {
            COMPLETE => Self::Completed(read_complete(&mut cursor)?),
            ERROR => Self::Failed(read_error(&mut cursor)?),
            _ => {
                return Err(BodyError::WrongRoot {
                    expected: COMPLETE,
                    offset,
                });
            }
        };
        cursor.finish()?;
        Ok(outcome)
    }

    /// The result, or the S3 error as `Err`.
    ///
    /// ```
    /// let outcome = presign::CompleteOutcome::read("<Error><Code>NoSuchUpload</Code></Error>")?;
    /// assert_eq!(outcome.into_result().map_err(|e| e.code().to_string()), Err("NoSuchUpload".into()));
    /// # Ok::<(), presign::BodyError>(())
    /// ```
    pub const fn into_result(self) -> Result<CompleteResult<'a>, S3ErrorBody<'a>> {
        match self {
            Self::Completed(done) => Ok(done),
            Self::Failed(err) => Err(err),
        }
    }
}

fn read_complete<'a>(cursor: &mut Cursor<'a>) -> Result<CompleteResult<'a>, BodyError> {
    let (mut location, mut bucket, mut key, mut etag) = (None, None, None, None);
    while let Some((name, at)) = cursor.next_child(COMPLETE)? {
        match name {
            "Location" => once(
                &mut location,
                cursor.text("Location")?,
                "Location",
                COMPLETE,
                at,
            )?,
            "Bucket" => once(&mut bucket, cursor.text("Bucket")?, "Bucket", COMPLETE, at)?,
            "Key" => once(&mut key, cursor.text("Key")?, "Key", COMPLETE, at)?,
            "ETag" => once(&mut etag, cursor.text("ETag")?, "ETag", COMPLETE, at)?,
            _ => cursor.skip_element()?,
        }
    }
    Ok(CompleteResult {
        location,
        bucket,
        key,
        etag: required(etag, "ETag", COMPLETE)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::format;
    use alloc::string::{String, ToString};
    use alloc::vec::Vec;
    use core::fmt::Write as _;

    // ---------------------------------------------------------------------------------------
    // Sample documents
    // ---------------------------------------------------------------------------------------

    /// The sample response of `ListParts` ("Sample Response for general purpose buckets"),
    /// <https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListParts.html>, with the
    /// `DisplayName` lines the older revision of the page had.
    const AWS_LIST_PARTS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<ListPartsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Bucket>example-bucket</Bucket>
  <Key>example-object</Key>
  <UploadId>XXBsb2FkIElEIGZvciBlbHZpbmcncyVcdS1tb3ZpZS5tMnRzEEEwbG9hZA</UploadId>
  <Initiator>
      <ID>arn:aws:iam::111122223333:user/some-user-11116a31-17b5-4fb7-9df5-b288870f11xx</ID>
      <DisplayName>umat-user-11116a31-17b5-4fb7-9df5-b288870f11xx</DisplayName>
  </Initiator>
  <Owner>
    <ID>75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a</ID>
    <DisplayName>someName</DisplayName>
  </Owner>
  <StorageClass>STANDARD</StorageClass>
  <PartNumberMarker>1</PartNumberMarker>
  <NextPartNumberMarker>3</NextPartNumberMarker>
  <MaxParts>2</MaxParts>
  <IsTruncated>true</IsTruncated>
  <Part>
    <PartNumber>2</PartNumber>
    <LastModified>2010-11-10T20:48:34.000Z</LastModified>
    <ETag>"7778aef83f66abc1fa1e8477f296d394"</ETag>
    <Size>10485760</Size>
  </Part>
  <Part>
    <PartNumber>3</PartNumber>
    <LastModified>2010-11-10T20:48:33.000Z</LastModified>
    <ETag>"aaaa18db4cc2f85cedef654fccc4a4x8"</ETag>
    <Size>10485760</Size>
  </Part>
</ListPartsResult>"#;

    /// The "Response Syntax" of the same page filled in: checksums inside `Part`,
    /// `Initiator`, `Owner`, `StorageClass`, `ChecksumAlgorithm` and `ChecksumType` after
    /// the parts, no namespace, escaped `ETag`s.
    const SYNTAX_LIST_PARTS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<ListPartsResult>
   <Bucket>b</Bucket>
   <Key>k</Key>
   <UploadId>u</UploadId>
   <PartNumberMarker>0</PartNumberMarker>
   <NextPartNumberMarker>1</NextPartNumberMarker>
   <MaxParts>1000</MaxParts>
   <IsTruncated>false</IsTruncated>
   <Part>
      <ChecksumCRC32>AAAAAA==</ChecksumCRC32>
      <ChecksumCRC32C>AAAAAA==</ChecksumCRC32C>
      <ChecksumCRC64NVME>AAAAAAAAAAA=</ChecksumCRC64NVME>
      <ChecksumSHA1>2jmj7l5rSw0yVb/vlWAYkK/YBwk=</ChecksumSHA1>
      <ChecksumSHA256>47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=</ChecksumSHA256>
      <ETag>&quot;d8d3ed3a4de016917a814a2cf5acad3c&quot;</ETag>
      <LastModified>2017-08-14T18:45:01.601Z</LastModified>
      <PartNumber>1</PartNumber>
      <Size>5242880</Size>
   </Part>
   <Initiator>
      <DisplayName>d</DisplayName>
      <ID>i</ID>
   </Initiator>
   <Owner>
      <DisplayName>d</DisplayName>
      <ID>i</ID>
   </Owner>
   <StorageClass>STANDARD</StorageClass>
   <ChecksumAlgorithm>CRC32</ChecksumAlgorithm>
   <ChecksumType>COMPOSITE</ChecksumType>
</ListPartsResult>"#;

    /// The sample response of `CreateMultipartUpload` ("Sample Response for general purpose
    /// buckets"), <https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateMultipartUpload.html>.
    const AWS_INITIATE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
            <InitiateMultipartUploadResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
              <Bucket>amzn-s3-demo-bucket</Bucket>
              <Key>example-object</Key>
              <UploadId>VXBsb2FkIElEIGZvciA2aWWpbmcncyBteS1tb3ZpZS5tMnRzIHVwbG9hZA</UploadId>
            </InitiateMultipartUploadResult>"#;

    /// The sample response of `CompleteMultipartUpload`,
    /// <https://docs.aws.amazon.com/AmazonS3/latest/API/API_CompleteMultipartUpload.html>
    /// (`<Region>` written as `Region`: the page's placeholder would not be XML).
    const AWS_COMPLETE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<CompleteMultipartUploadResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
 <Location>http://Example-Bucket.s3.Region.amazonaws.com/Example-Object</Location>
 <Bucket>Example-Bucket</Bucket>
 <Key>Example-Object</Key>
 <ETag>"3858f62230ac3c915f300c664312c11f-9"</ETag>
</CompleteMultipartUploadResult>"#;

    /// The sample of the same page for an error in the body of a 200 OK.
    const AWS_COMPLETE_ERROR: &str = r#"<?xml version="1.0" encoding="UTF-8"?>

<Error>
<Code>InternalError</Code>
<Message>We encountered an internal error. Please try again.</Message>
<RequestId>656c76696e6727732072657175657374</RequestId>
<HostId>Uuag1LuByRx9e6j5Onimru9pO4ZVKnJ2Qz7/C1NPcfTWAtRPfTaOFg==</HostId>
</Error>"#;

    /// The sample error of <https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html>.
    const AWS_ERROR: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<Error>
  <Code>NoSuchKey</Code>
  <Message>The resource you requested does not exist</Message>
  <Resource>/mybucket/myfoto.jpg</Resource> 
  <RequestId>4442587FB7D0A2F9</RequestId>
</Error>"#;

    /// The parts of the `CompleteMultipartUpload` sample request on the same page.
    const AWS_COMPLETE_REQUEST_PARTS: [(u16, &str); 3] = [
        (1, "\"a54357aff0632cce46d942af68356b38\""),
        (2, "\"0c78aef83f66abc1fa1e8477f296d394\""),
        (3, "\"acbd18db4cc2f85cedef654fccc4a4d8\""),
    ];

    fn body(parts: &[CompletedPart<'_>]) -> Result<String, BodyError> {
        let mut out = String::new();
        write_complete_multipart_upload(parts, &mut out).map(|()| out)
    }

    /// A fixed buffer (what a no-alloc caller writes into).
    struct Fixed<const N: usize> {
        bytes: [u8; N],
        len: usize,
    }

    impl<const N: usize> fmt::Write for Fixed<N> {
        fn write_str(&mut self, s: &str) -> fmt::Result {
            let end = self.len + s.len();
            self.bytes
                .get_mut(self.len..end)
                .ok_or(fmt::Error)?
                .copy_from_slice(s.as_bytes());
            self.len = end;
            Ok(())
        }
    }

    /// The body of `parts` turned into a `ListPartsResult` page (size of part n: n bytes).
    fn as_list_parts(body: &str) -> String {
        let mut doc = body.replace(
            BODY_START,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListPartsResult \
             xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><UploadId>u</UploadId>\
             <IsTruncated>false</IsTruncated>",
        );
        doc = doc.replace(BODY_END, "</ListPartsResult>");
        let mut out = String::new();
        let mut rest = doc.as_str();
        while let Some(at) = rest.find("<PartNumber>") {
            let (head, tail) = rest.split_at(at);
            out.push_str(head);
            let digits: String = tail["<PartNumber>".len()..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            write!(out, "<Size>{digits}</Size>").unwrap();
            out.push_str("<PartNumber>");
            rest = &tail["<PartNumber>".len()..];
        }
        out.push_str(rest);
        out
    }

    // ---------------------------------------------------------------------------------------
    // Writer
    // ---------------------------------------------------------------------------------------

    #[test]
    fn writes_the_aws_sample_request() {
        let parts: Vec<_> = AWS_COMPLETE_REQUEST_PARTS
            .iter()
            .map(|&(n, e)| CompletedPart::new(n, e))
            .collect();
        assert_eq!(
            body(&parts).unwrap(),
            "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">\
             <Part><PartNumber>1</PartNumber><ETag>&quot;a54357aff0632cce46d942af68356b38&quot;</ETag></Part>\
             <Part><PartNumber>2</PartNumber><ETag>&quot;0c78aef83f66abc1fa1e8477f296d394&quot;</ETag></Part>\
             <Part><PartNumber>3</PartNumber><ETag>&quot;acbd18db4cc2f85cedef654fccc4a4d8&quot;</ETag></Part>\
             </CompleteMultipartUpload>"
        );
    }

    #[test]
    fn escapes_the_five_characters() {
        let out = body(&[CompletedPart::new(10_000, "a&b<c>d\"e'f\u{e9}")]).unwrap();
        assert!(out.contains(
            "<Part><PartNumber>10000</PartNumber><ETag>a&amp;b&lt;c&gt;d&quot;e&apos;f\u{e9}</ETag></Part>"
        ));
    }

    #[test]
    fn refuses_bad_lists_and_writes_nothing() {
        let cases: [(&[CompletedPart<'_>], BodyError); 8] = [
            (&[], BodyError::NoParts),
            (
                &[CompletedPart::new(0, "e")],
                BodyError::PartNumberOutOfRange {
                    index: 0,
                    number: 0,
                },
            ),
            (
                &[CompletedPart::new(1, "e"), CompletedPart::new(10_001, "e")],
                BodyError::PartNumberOutOfRange {
                    index: 1,
                    number: 10_001,
                },
            ),
            (
                &[CompletedPart::new(2, "e"), CompletedPart::new(2, "e")],
                BodyError::DuplicatePart {
                    index: 1,
                    number: 2,
                },
            ),
            (
                &[
                    CompletedPart::new(1, "e"),
                    CompletedPart::new(3, "e"),
                    CompletedPart::new(2, "e"),
                ],
                BodyError::PartsOutOfOrder {
                    index: 2,
                    number: 2,
                    previous: 3,
                },
            ),
            (
                &[CompletedPart::new(1, "")],
                BodyError::EmptyEtag {
                    index: 0,
                    number: 1,
                },
            ),
            (
                &[CompletedPart::new(1, "ab\u{0}")],
                BodyError::InvalidEtagCharacter {
                    index: 0,
                    number: 1,
                    character: '\0',
                    offset: 2,
                },
            ),
            (
                &[CompletedPart::new(1, "\u{e9}\u{85}\u{FFFE}")],
                BodyError::InvalidEtagCharacter {
                    index: 0,
                    number: 1,
                    character: '\u{85}',
                    offset: 2,
                },
            ),
        ];
        for (parts, err) in cases {
            let mut out = String::new();
            assert_eq!(write_complete_multipart_upload(parts, &mut out), Err(err));
            assert!(out.is_empty(), "{parts:?} wrote {out:?}");
        }
        for bad in ['\u{7f}', '\n', '\u{FFFF}'] {
            let etag = format!("x{bad}");
            assert!(matches!(
                body(&[CompletedPart::new(1, &etag)]),
                Err(BodyError::InvalidEtagCharacter { character, offset: 1, .. }) if character == bad
            ));
        }
    }

    #[test]
    fn bound_holds_and_is_tight_for_the_worst_case() {
        // Worst case: a 5-digit number, an ETag of characters escaped to 6 bytes.
        let etag = "\"'\"'";
        let out = body(&[CompletedPart::new(10_000, etag)]).unwrap();
        assert_eq!(out.len(), complete_multipart_upload_max_len(1, etag.len()));
        let parts: Vec<_> = (9_001..=10_000)
            .map(|n| CompletedPart::new(n, etag))
            .collect();
        let out = body(&parts).unwrap();
        assert!(out.len() <= complete_multipart_upload_max_len(parts.len(), parts.len() * 4));
        // Typical: well under.
        let parts: Vec<_> = (1..=10_000)
            .map(|n| CompletedPart::new(n, "\"0c78aef83f66abc1fa1e8477f296d394\""))
            .collect();
        let out = body(&parts).unwrap();
        assert!(out.len() <= complete_multipart_upload_max_len(parts.len(), parts.len() * 34));
        assert_eq!(complete_multipart_upload_max_len(usize::MAX, 1), usize::MAX);
    }

    #[test]
    fn fixed_buffer_fits_the_bound_and_reports_overflow() {
        const MAX: usize = complete_multipart_upload_max_len(2, 6);
        let parts = [CompletedPart::new(1, "\"abc\""), CompletedPart::new(2, "x")];
        let mut buf = Fixed {
            bytes: [0; MAX],
            len: 0,
        };
        write_complete_multipart_upload(&parts, &mut buf).unwrap();
        assert_eq!(
            core::str::from_utf8(&buf.bytes[..buf.len]).unwrap(),
            body(&parts).unwrap()
        );
        let mut small = Fixed {
            bytes: [0; 40],
            len: 0,
        };
        assert_eq!(
            write_complete_multipart_upload(&parts, &mut small),
            Err(BodyError::Write)
        );
    }

    // ---------------------------------------------------------------------------------------
    // Round trip
    // ---------------------------------------------------------------------------------------

    #[test]
    fn written_parts_read_back_from_a_list_parts_page() {
        let etags = [
            "\"a54357aff0632cce46d942af68356b38\"",
            "&<>\"'",
            "&amp; is not an entity here",
            "x&#34;y",
            "'single'",
            "\u{e9}\u{1F600}>",
            "]]>",
            " spaced ",
        ];
        let parts: Vec<_> = etags
            .iter()
            .enumerate()
            .map(|(i, e)| CompletedPart::new(u16::try_from(i * 1000 + 1).unwrap(), e))
            .collect();
        let doc = as_list_parts(&body(&parts).unwrap());
        let list = ListParts::read(&doc).unwrap();
        assert_eq!(list.part_count(), parts.len());
        assert_eq!(list.parts().len(), parts.len());
        for (read, written) in list.parts().zip(&parts) {
            assert_eq!(read.number(), written.number());
            assert_eq!(read.etag(), written.etag());
            assert_eq!(read.etag().to_string(), written.etag());
            assert_eq!(read.etag().unescaped_len(), written.etag().len());
            assert_eq!(read.size(), u64::from(written.number()));
        }
    }

    // ---------------------------------------------------------------------------------------
    // Readers on the AWS samples
    // ---------------------------------------------------------------------------------------

    #[test]
    fn reads_the_aws_list_parts_sample() {
        let list = ListParts::read(AWS_LIST_PARTS).unwrap();
        assert_eq!(list.bucket().unwrap(), "example-bucket");
        assert_eq!(list.key().unwrap(), "example-object");
        assert_eq!(
            list.upload_id(),
            "XXBsb2FkIElEIGZvciBlbHZpbmcncyVcdS1tb3ZpZS5tMnRzEEEwbG9hZA"
        );
        assert_eq!(list.part_number_marker(), Some(1));
        assert_eq!(list.next_part_number_marker(), Some(3));
        assert_eq!(list.max_parts(), Some(2));
        assert!(list.is_truncated());
        let parts: Vec<_> = list.parts().collect();
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].number(), 2);
        assert_eq!(parts[0].etag(), "\"7778aef83f66abc1fa1e8477f296d394\"");
        assert_eq!(parts[0].size(), 10_485_760);
        assert_eq!(
            parts[0].last_modified().unwrap(),
            "2010-11-10T20:48:34.000Z"
        );
        assert_eq!(parts[1].number(), 3);
        assert_eq!(parts[1].etag(), "\"aaaa18db4cc2f85cedef654fccc4a4x8\"");
    }

    #[test]
    fn reads_the_response_syntax_with_every_field() {
        let list = ListParts::read(SYNTAX_LIST_PARTS).unwrap();
        assert!(!list.is_truncated());
        assert_eq!(list.part_number_marker(), Some(0));
        let part = list.parts().next().unwrap();
        assert_eq!(part.etag(), "\"d8d3ed3a4de016917a814a2cf5acad3c\"");
        assert!(part.etag().needs_unescaping());
        assert_eq!((part.number(), part.size()), (1, 5_242_880));
    }

    #[test]
    fn reads_the_aws_initiate_sample() {
        let init = InitiateResult::read(AWS_INITIATE).unwrap();
        assert_eq!(init.bucket().unwrap(), "amzn-s3-demo-bucket");
        assert_eq!(init.key().unwrap(), "example-object");
        assert_eq!(
            init.upload_id().as_plain_str(),
            Some("VXBsb2FkIElEIGZvciA2aWWpbmcncyBteS1tb3ZpZS5tMnRzIHVwbG9hZA")
        );
    }

    #[test]
    fn reads_the_aws_complete_samples() {
        let done = CompleteOutcome::read(AWS_COMPLETE)
            .unwrap()
            .into_result()
            .unwrap();
        assert_eq!(
            done.location().unwrap(),
            "http://Example-Bucket.s3.Region.amazonaws.com/Example-Object"
        );
        assert_eq!(done.bucket().unwrap(), "Example-Bucket");
        assert_eq!(done.key().unwrap(), "Example-Object");
        assert_eq!(done.etag(), "\"3858f62230ac3c915f300c664312c11f-9\"");

        let err = CompleteOutcome::read(AWS_COMPLETE_ERROR)
            .unwrap()
            .into_result()
            .unwrap_err();
        assert_eq!(err.code(), "InternalError");
        assert_eq!(
            err.message().unwrap(),
            "We encountered an internal error. Please try again."
        );
        assert_eq!(
            err.request_id().unwrap(),
            "656c76696e6727732072657175657374"
        );
        assert_eq!(
            err.host_id().unwrap(),
            "Uuag1LuByRx9e6j5Onimru9pO4ZVKnJ2Qz7/C1NPcfTWAtRPfTaOFg=="
        );
        assert_eq!(
            err.to_string(),
            "InternalError: We encountered an internal error. Please try again. \
             (request id 656c76696e6727732072657175657374)"
        );
    }

    #[test]
    fn reads_the_aws_error_sample() {
        let err = S3ErrorBody::read(AWS_ERROR).unwrap();
        assert_eq!(err.code(), "NoSuchKey");
        assert_eq!(err.resource().unwrap(), "/mybucket/myfoto.jpg");
        assert_eq!(err.request_id().unwrap(), "4442587FB7D0A2F9");
        assert!(err.host_id().is_none());
        // The other readers point at S3ErrorBody.
        assert_eq!(
            ListParts::read(AWS_ERROR).unwrap_err(),
            BodyError::ErrorDocument {
                expected: "ListPartsResult"
            }
        );
        assert_eq!(
            InitiateResult::read(AWS_ERROR).unwrap_err(),
            BodyError::ErrorDocument {
                expected: "InitiateMultipartUploadResult"
            }
        );
        assert_eq!(
            S3ErrorBody::read(AWS_LIST_PARTS).unwrap_err(),
            BodyError::WrongRoot {
                expected: "Error",
                offset: 39
            }
        );
    }

    // ---------------------------------------------------------------------------------------
    // Accepted variations
    // ---------------------------------------------------------------------------------------

    #[test]
    fn accepts_bom_padding_comments_attributes_and_empty_roots() {
        let padded = format!("\u{feff}  \n\n{AWS_COMPLETE}\n  <!-- done -->\n");
        assert!(matches!(
            CompleteOutcome::read(&padded),
            Ok(CompleteOutcome::Completed(_))
        ));
        let doc = "<!-- c --><Error a='1' b = \"x>y\"\t><!-- c --><Code\n>C</Code  ><Extra/>\
                   <Nested><A><B x=\"1\">t<!-- c --></B></A></Nested></Error>";
        assert_eq!(S3ErrorBody::read(doc).unwrap().code(), "C");
        // A store that leaves out a false IsTruncated (s3s-fs does) reads as not truncated.
        let quiet = ListParts::read("<ListPartsResult><UploadId>u</UploadId></ListPartsResult>")
            .expect("IsTruncated is optional");
        assert!(!quiet.is_truncated());
        // Self-closing root: a ListParts page must still name its upload.
        assert_eq!(
            ListParts::read("<ListPartsResult/>").unwrap_err(),
            BodyError::MissingElement {
                element: "UploadId",
                parent: "ListPartsResult"
            }
        );
        let list = ListParts::read(
            "<ListPartsResult><UploadId>u</UploadId><IsTruncated>1</IsTruncated>\
             <Part><PartNumber>7</PartNumber><ETag/><Size>0</Size></Part></ListPartsResult>",
        )
        .unwrap();
        let part = list.parts().next().unwrap();
        assert!(list.is_truncated());
        assert_eq!(
            (part.number(), part.etag(), part.size()),
            (7, XmlText { raw: "" }, 0)
        );
    }

    #[test]
    fn max_depth_is_allowed_one_more_is_not() {
        let nest = |n: usize| {
            format!(
                "<Error><Code>C</Code>{}{}</Error>",
                "<a>".repeat(n),
                "</a>".repeat(n)
            )
        };
        assert!(S3ErrorBody::read(&nest(MAX_XML_DEPTH - 1)).is_ok());
        assert_eq!(
            S3ErrorBody::read(&nest(MAX_XML_DEPTH)).unwrap_err(),
            BodyError::TooDeep {
                offset: 21 + 3 * (MAX_XML_DEPTH - 1),
                max: MAX_XML_DEPTH
            }
        );
    }

    // ---------------------------------------------------------------------------------------
    // Refusals
    // ---------------------------------------------------------------------------------------

    fn list_with(inner: &str) -> String {
        format!(
            "<ListPartsResult><UploadId>u</UploadId><IsTruncated>false</IsTruncated>{inner}</ListPartsResult>"
        )
    }

    #[test]
    fn every_truncation_is_unexpected_end() {
        for doc in [
            AWS_LIST_PARTS,
            SYNTAX_LIST_PARTS,
            AWS_INITIATE,
            AWS_COMPLETE,
            AWS_ERROR,
        ] {
            let root_end = doc.rfind('>').unwrap() + 1;
            for cut in (0..root_end).filter(|&i| doc.is_char_boundary(i)) {
                let prefix = &doc[..cut];
                let results = [
                    ListParts::read(prefix).map(|_| ()),
                    InitiateResult::read(prefix).map(|_| ()),
                    S3ErrorBody::read(prefix).map(|_| ()),
                    CompleteOutcome::read(prefix).map(|_| ()),
                ];
                for r in results {
                    let err = r.unwrap_err();
                    // A prefix may stop right after a start tag of the wrong root, which is
                    // reported first; anything else is the end of input.
                    assert!(
                        matches!(
                            err,
                            BodyError::UnexpectedEnd { .. }
                                | BodyError::WrongRoot { .. }
                                | BodyError::ErrorDocument { .. }
                        ),
                        "cut at {cut}: {err:?}"
                    );
                }
            }
        }
    }

    /// Documents refused for their structure, whatever the reader: what each must say.
    const STRUCTURAL: &[(&str, BodyError)] = &[
        ("", BodyError::UnexpectedEnd { offset: 0 }),
        ("  \n", BodyError::UnexpectedEnd { offset: 3 }),
        (
            "<Error><Code>C</Cod></Error>",
            BodyError::MismatchedTag { offset: 14 },
        ),
        ("</Error>", BodyError::MismatchedTag { offset: 0 }),
        (
            "<Error><Code>C</Code></Error><Error/>",
            BodyError::Malformed {
                offset: 29,
                reason: "second root element",
            },
        ),
        (
            "<Error><Code>C</Code></Error>x",
            BodyError::Malformed {
                offset: 29,
                reason: "text outside the root element",
            },
        ),
        (
            "x<Error/>",
            BodyError::Malformed {
                offset: 0,
                reason: "text outside the root element",
            },
        ),
        (
            "<Error><Code>C</Code>oops</Error>",
            BodyError::UnexpectedText {
                element: "Error",
                offset: 21,
            },
        ),
        (
            "<Error><Code><b/>C</Code></Error>",
            BodyError::NotAValue {
                element: "Code",
                offset: 13,
            },
        ),
        (
            "<Error><Code>C<!--x--></Code></Error>",
            BodyError::Unsupported {
                what: "comment inside a value",
                offset: 14,
            },
        ),
        (
            "<Error><Code><![CDATA[C]]></Code></Error>",
            BodyError::Unsupported {
                what: "CDATA section",
                offset: 13,
            },
        ),
        (
            "<!DOCTYPE x [<!ENTITY a \"b\">]><Error/>",
            BodyError::Unsupported {
                what: "document type declaration",
                offset: 0,
            },
        ),
        (
            "<Error><?pi x?><Code>C</Code></Error>",
            BodyError::Unsupported {
                what: "processing instruction",
                offset: 7,
            },
        ),
        (
            "<!-- c --><?xml version=\"1.0\"?><Error/>",
            BodyError::Unsupported {
                what: "processing instruction",
                offset: 10,
            },
        ),
        (
            "<s3:Error xmlns:s3=\"x\"/>",
            BodyError::Unsupported {
                what: "prefixed element name",
                offset: 0,
            },
        ),
        (
            "<Error><Code>C</Code><Code>D</Code></Error>",
            BodyError::DuplicateElement {
                element: "Code",
                parent: "Error",
                offset: 21,
            },
        ),
        (
            "<Error><Code>&bogus;</Code></Error>",
            BodyError::UnknownEntity { offset: 13 },
        ),
        (
            "<Error><Code>a & b</Code></Error>",
            BodyError::UnknownEntity { offset: 15 },
        ),
        (
            "<Error><Code>&#xD800;</Code></Error>",
            BodyError::BadCharReference { offset: 13 },
        ),
        (
            "<Error a=b/>",
            BodyError::Malformed {
                offset: 9,
                reason: "attribute value not in quotes",
            },
        ),
        (
            "<Error a=\"<\"/>",
            BodyError::Malformed {
                offset: 10,
                reason: "`<` in an attribute value",
            },
        ),
        (
            "<Error a=\"1\"b=\"2\"/>",
            BodyError::Malformed {
                offset: 12,
                reason: "bad attribute in a tag",
            },
        ),
        (
            "< Error/>",
            BodyError::Malformed {
                offset: 0,
                reason: "`<` not followed by a name",
            },
        ),
        (
            "<Error/ >",
            BodyError::Malformed {
                offset: 6,
                reason: "`/` not followed by `>` in a tag",
            },
        ),
    ];

    #[test]
    fn structural_errors() {
        for (doc, expected) in STRUCTURAL {
            assert_eq!(S3ErrorBody::read(doc).unwrap_err(), *expected, "{doc}");
        }
        // Whitespace before the `>` of an end tag is allowed.
        assert!(S3ErrorBody::read("<Error><Code>C</Code></Error >").is_ok());
    }

    #[test]
    fn value_errors() {
        let bad_number = |element, offset, allowed| BodyError::BadNumber {
            element,
            offset,
            allowed,
        };
        let part = |n: &str, size: &str| {
            list_with(&format!(
                "<Part><PartNumber>{n}</PartNumber><ETag>e</ETag><Size>{size}</Size></Part>"
            ))
        };
        let n_at = part("", "").find("<PartNumber>").unwrap() + "<PartNumber>".len();
        for n in [
            "0",
            "10001",
            "-1",
            "+1",
            " 1",
            "1 ",
            "",
            "&#49;",
            "99999999999999999999999",
        ] {
            assert_eq!(
                ListParts::read(&part(n, "1")).unwrap_err(),
                bad_number("PartNumber", n_at, PART_NUMBER_RANGE),
                "{n:?}"
            );
        }
        assert_eq!(
            ListParts::read(&part("00042", "18446744073709551615"))
                .unwrap()
                .parts()
                .map(|p| (p.number(), p.size()))
                .collect::<Vec<_>>(),
            [(42, u64::MAX)]
        );
        assert!(matches!(
            ListParts::read(&part("1", "18446744073709551616")),
            Err(BodyError::BadNumber {
                element: "Size",
                ..
            })
        ));
    }

    #[test]
    fn field_errors() {
        assert!(matches!(
            ListParts::read(&list_with(
                "<NextPartNumberMarker>10001</NextPartNumberMarker>"
            )),
            Err(BodyError::BadNumber {
                element: "NextPartNumberMarker",
                allowed: MARKER_RANGE,
                ..
            })
        ));
        assert!(matches!(
            ListParts::read(
                "<ListPartsResult><UploadId>u</UploadId><IsTruncated>yes</IsTruncated></ListPartsResult>"
            ),
            Err(BodyError::BadBoolean {
                element: "IsTruncated",
                offset: 52
            })
        ));
        assert_eq!(
            ListParts::read(&list_with(
                "<Part><PartNumber>1</PartNumber><Size>1</Size></Part>"
            ))
            .unwrap_err(),
            BodyError::MissingElement {
                element: "ETag",
                parent: "Part"
            }
        );
        assert_eq!(
            ListParts::read(&list_with(
                "<Part><PartNumber>1</PartNumber><ETag>e</ETag></Part>"
            ))
            .unwrap_err(),
            BodyError::MissingElement {
                element: "Size",
                parent: "Part"
            }
        );
        assert_eq!(
            ListParts::read(&list_with("<UploadId>v</UploadId>")).unwrap_err(),
            BodyError::DuplicateElement {
                element: "UploadId",
                parent: "ListPartsResult",
                offset: 71
            }
        );
        assert_eq!(
            CompleteOutcome::read("<CompleteMultipartUploadResult/>").unwrap_err(),
            BodyError::MissingElement {
                element: "ETag",
                parent: "CompleteMultipartUploadResult"
            }
        );
        assert_eq!(
            InitiateResult::read(
                "<InitiateMultipartUploadResult><UploadId></UploadId></InitiateMultipartUploadResult>"
            )
            .unwrap_err(),
            BodyError::EmptyValue {
                element: "UploadId",
                offset: 31
            }
        );
    }

    // ---------------------------------------------------------------------------------------
    // Text
    // ---------------------------------------------------------------------------------------

    #[test]
    fn references() {
        let ok = [
            ("&amp;&lt;&gt;&quot;&apos;", "&<>\"'"),
            ("&#34;&#x22;&#0000034;&#x000022;", "\"\"\"\""),
            ("&#x1F600;&#128512;", "\u{1F600}\u{1F600}"),
            (
                "&#9;&#10;&#13;&#xFFFD;&#xE000;&#x10FFFF;",
                "\t\n\r\u{FFFD}\u{E000}\u{10FFFF}",
            ),
            ("plain", "plain"),
            ("", ""),
        ];
        for (raw, text) in ok {
            let t = XmlText::from_raw(raw).unwrap();
            assert_eq!(t, text);
            assert_eq!(t.to_string(), text);
            assert_eq!(t.chars().collect::<String>(), text);
            assert_eq!(t.unescaped_len(), text.len());
            assert_eq!(t.needs_unescaping(), raw != text);
        }
        let unknown = ["&", "&amp", "&nbsp;", "&AMP;", "a&", "&;", "&lt"];
        for raw in unknown {
            assert!(
                matches!(XmlText::from_raw(raw), Err(BodyError::UnknownEntity { .. })),
                "{raw}"
            );
        }
        let bad_char = [
            "&#;",
            "&#x;",
            "&#0;",
            "&#1;",
            "&#xD800;",
            "&#xDFFF;",
            "&#xFFFE;",
            "&#xFFFF;",
            "&#x110000;",
            "&#1114112;",
            "&#X22;",
            "&#x-1;",
            "&#12a;",
            "&#34",
            "&#99999999999999999999999999;",
        ];
        for raw in bad_char {
            assert!(
                matches!(
                    XmlText::from_raw(raw),
                    Err(BodyError::BadCharReference { .. })
                ),
                "{raw}"
            );
        }
        assert_eq!(
            XmlText::from_raw("a<b"),
            Err(BodyError::Malformed {
                offset: 1,
                reason: "`<` in text"
            })
        );
    }

    #[test]
    fn text_equality_is_on_the_unescaped_text() {
        let a = XmlText::from_raw("&quot;abc&quot;").unwrap();
        let b = XmlText::from_raw("\"abc\"").unwrap();
        let c = XmlText::from_raw("&#34;abc&#x22;").unwrap();
        assert_eq!(a, b);
        assert_eq!(b, c);
        assert_eq!(a, "\"abc\"");
        assert_ne!(a, "\"abc");
        assert_ne!(a, XmlText::from_raw("abc").unwrap());
        assert_eq!(format!("{a:?}"), "XmlText(\"&quot;abc&quot;\")");
    }

    #[test]
    fn error_messages_read_well() {
        let cases = [
            (
                BodyError::PartsOutOfOrder {
                    index: 2,
                    number: 2,
                    previous: 3,
                },
                "part number 2 (list index 2) comes after 3; parts must be in ascending order",
            ),
            (
                BodyError::InvalidEtagCharacter {
                    index: 0,
                    number: 1,
                    character: '\u{1}',
                    offset: 4,
                },
                "ETag of part 1 (list index 0) has U+0001 at byte 4; allowed: any character but \
                 control characters, U+FFFE and U+FFFF",
            ),
            (
                BodyError::BadNumber {
                    element: "PartNumber",
                    offset: 9,
                    allowed: PART_NUMBER_RANGE,
                },
                "<PartNumber> at byte 9 is not a number the field accepts; allowed: an integer \
                 in 1..=10000 in ASCII digits",
            ),
            (
                BodyError::ErrorDocument {
                    expected: "ListPartsResult",
                },
                "document is an S3 <Error>, not <ListPartsResult>; read it with S3ErrorBody::read",
            ),
            (
                BodyError::Unsupported {
                    what: "CDATA section",
                    offset: 3,
                },
                "document has a CDATA section at byte 3; it is not supported",
            ),
        ];
        for (err, msg) in cases {
            assert_eq!(err.to_string(), msg);
        }
    }

    /// Inputs that would make a naive reader quadratic or recursive stay quick and
    /// refused or accepted as documented.
    #[test]
    fn large_hostile_inputs() {
        let many_skipped = format!(
            "<Error><Code>C</Code>{}</Error>",
            "<x a='1'/>".repeat(100_000)
        );
        assert!(S3ErrorBody::read(&many_skipped).is_ok());
        let opens = "<a>".repeat(100_000);
        assert!(matches!(
            S3ErrorBody::read(&format!("<Error>{opens}")),
            Err(BodyError::TooDeep { .. })
        ));
        let amps = format!("<Error><Code>{}</Code></Error>", "&#".repeat(100_000));
        assert!(matches!(
            S3ErrorBody::read(&amps),
            Err(BodyError::BadCharReference { offset: 13 })
        ));
        let comment = format!("<Error><Code>C</Code><!--{}", "-".repeat(100_000));
        assert!(matches!(
            S3ErrorBody::read(&comment),
            Err(BodyError::UnexpectedEnd { .. })
        ));
    }
}
