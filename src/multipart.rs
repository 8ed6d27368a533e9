//! The identifiers of a multipart upload (its upload id, its part numbers) and the query
//! parameters that name each step of the protocol.
//!
//! A multi-GB upload over a slow link outlives any one URL: it is cut into parts, each sent
//! with its own URL (`PUT ?partNumber=N&uploadId=…`), and a part that fails or whose URL
//! lapsed is sent again with a freshly minted one. The steps:
//!
//! | step | request | lifetime |
//! | --- | --- | --- |
//! | create | `POST /key?uploads`, the Content-Type bound here | [`Ttl`](crate::Ttl) |
//! | upload a part | `PUT /key?partNumber=N&uploadId=ID` | [`PutTtl`](crate::PutTtl) |
//! | list the parts | `GET /key?uploadId=ID[&max-parts=M][&part-number-marker=P]` | [`GetTtl`](crate::GetTtl) |
//! | complete | `POST /key?uploadId=ID` with the part list as the body | [`Ttl`](crate::Ttl) |
//! | abort | `DELETE /key?uploadId=ID` | [`Ttl`](crate::Ttl) |

use core::fmt;

use crate::decimal::Decimal;
use crate::error::{Error, Field};
use crate::text::{self, VISIBLE_ASCII};

/// The longest upload id accepted. S3 documents no limit; its ids are about 100 bytes and
/// R2's a few hundred, and every byte lengthens every part URL.
pub const MAX_UPLOAD_ID_LEN: usize = 1024;

/// The id S3 or R2 gave a multipart upload (`UploadId` of `InitiateMultipartUploadResult`).
///
/// 1 ..= 1024 bytes of visible ASCII; it is sent query-encoded. `Debug` shows only its
/// length: with a part URL's other parameters it names an upload in progress, and logs
/// outlive uploads.
///
/// ```
/// use presign::UploadId;
/// let id = UploadId::new("VXBsb2FkSWQtMTIz")?;
/// assert_eq!(id.as_str(), "VXBsb2FkSWQtMTIz");
/// assert_eq!(format!("{id:?}"), "UploadId(<16 bytes>)");
/// assert!(UploadId::new("").is_err());
/// assert!(UploadId::new("id with spaces").is_err());
/// # Ok::<(), presign::Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct UploadId<'a> {
    id: &'a str,
    /// Whether the id is all unreserved characters, so the query carries it as it is
    /// (found once here, not for every part URL).
    plain: bool,
}

impl<'a> UploadId<'a> {
    /// Checks `id`: 1 ..= [`MAX_UPLOAD_ID_LEN`] bytes of visible ASCII.
    ///
    /// ```
    /// assert!(presign::UploadId::new("2~iCw_lDY8VoV2oPsN1Pc").is_ok());
    /// ```
    pub fn new(id: &'a str) -> Result<Self, Error> {
        text::check(Field::UploadId, id, MAX_UPLOAD_ID_LEN, VISIBLE_ASCII)?;
        Ok(Self {
            id,
            plain: id.bytes().all(crate::encode::is_unreserved),
        })
    }

    /// The id as given.
    ///
    /// ```
    /// assert_eq!(presign::UploadId::new("abc")?.as_str(), "abc");
    /// # Ok::<(), presign::Error>(())
    /// ```
    #[must_use]
    pub const fn as_str(&self) -> &'a str {
        self.id
    }
}

impl fmt::Debug for UploadId<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "UploadId(<{} bytes>)", self.id.len())
    }
}

/// A part's number in a multipart upload: 1 ..= 10,000 (S3's and R2's limit). Parts are
/// assembled in number order, and sending a number again replaces that part.
///
/// ```
/// use presign::PartNumber;
/// const FIRST: PartNumber = PartNumber::checked(1).expect("1 is a part number");
/// assert_eq!(FIRST.get(), 1);
/// assert_eq!(PartNumber::new(10_000)?.as_str(), "10000");
/// assert!(PartNumber::new(0).is_err());
/// assert!(PartNumber::new(10_001).is_err());
/// # Ok::<(), presign::Error>(())
/// ```
#[derive(Clone, Copy)]
pub struct PartNumber {
    number: u16,
    text: Decimal,
}

impl PartNumber {
    /// The first part number, 1.
    ///
    /// ```
    /// assert_eq!(presign::PartNumber::MIN.get(), 1);
    /// ```
    pub const MIN: Self = Self::from_valid(1);

    /// The last part number, 10,000.
    ///
    /// ```
    /// assert_eq!(presign::PartNumber::MAX.get(), 10_000);
    /// ```
    pub const MAX: Self = Self::from_valid(10_000);

    const fn from_valid(number: u16) -> Self {
        Self {
            number,
            text: Decimal::new(number as u32),
        }
    }

    /// `number` if it is within 1 ..= 10,000.
    ///
    /// ```
    /// assert!(presign::PartNumber::new(42).is_ok());
    /// assert_eq!(presign::PartNumber::new(0).unwrap_err().to_string(),
    ///            "part number is 0; S3 allows 1 ..= 10000");
    /// ```
    pub const fn new(number: u32) -> Result<Self, Error> {
        if number >= 1 && number <= 10_000 {
            Ok(Self::from_valid(number as u16))
        } else {
            Err(Error::NumberOutOfRange {
                field: Field::PartNumber,
                value: number as u64,
                min: 1,
                max: 10_000,
            })
        }
    }

    /// [`Self::new`] as an `Option`, usable in `const` items.
    ///
    /// ```
    /// const LAST: presign::PartNumber = presign::PartNumber::checked(10_000).expect("in range");
    /// assert_eq!(LAST.get(), 10_000);
    /// ```
    #[must_use]
    pub const fn checked(number: u32) -> Option<Self> {
        match Self::new(number) {
            Ok(part) => Some(part),
            Err(_) => None,
        }
    }

    /// The number.
    ///
    /// ```
    /// assert_eq!(presign::PartNumber::new(7)?.get(), 7);
    /// # Ok::<(), presign::Error>(())
    /// ```
    #[must_use]
    pub const fn get(&self) -> u16 {
        self.number
    }

    /// The number in decimal, as the query carries it.
    ///
    /// ```
    /// assert_eq!(presign::PartNumber::new(7)?.as_str(), "7");
    /// # Ok::<(), presign::Error>(())
    /// ```
    #[must_use]
    pub fn as_str(&self) -> &str {
        self.text.as_str()
    }
}

impl PartialEq for PartNumber {
    fn eq(&self, other: &Self) -> bool {
        self.number == other.number
    }
}

impl Eq for PartNumber {}

impl PartialOrd for PartNumber {
    fn partial_cmp(&self, other: &Self) -> Option<core::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for PartNumber {
    fn cmp(&self, other: &Self) -> core::cmp::Ordering {
        self.number.cmp(&other.number)
    }
}

impl fmt::Debug for PartNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PartNumber({})", self.number)
    }
}

impl fmt::Display for PartNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which page of a part listing to ask for: at most `max_parts` parts (S3: 1 ..= 1000;
/// S3's default is 1000) after part `after` (`part-number-marker`).
///
/// A listing answers with `IsTruncated` and `NextPartNumberMarker`; ask for the next page
/// with that marker.
///
/// ```
/// use presign::{PartNumber, PartsPage};
/// let first = PartsPage::FIRST;
/// let next = PartsPage::new(Some(100), Some(PartNumber::new(100)?))?;
/// assert_ne!(first, next);
/// assert!(PartsPage::new(Some(0), None).is_err());
/// assert!(PartsPage::new(Some(1001), None).is_err());
/// # Ok::<(), presign::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PartsPage {
    max_parts: Option<u16>,
    after: Option<PartNumber>,
}

impl PartsPage {
    /// The first page, of S3's default size.
    ///
    /// ```
    /// assert_eq!(presign::PartsPage::FIRST, presign::PartsPage::default());
    /// ```
    pub const FIRST: Self = Self {
        max_parts: None,
        after: None,
    };

    /// The largest page S3 returns.
    const MAX_PARTS: u32 = 1000;

    /// A page of at most `max_parts` (1 ..= 1000) parts after part `after`.
    ///
    /// ```
    /// let page = presign::PartsPage::new(Some(50), None)?;
    /// assert_eq!(page.max_parts(), Some(50));
    /// # Ok::<(), presign::Error>(())
    /// ```
    pub fn new(max_parts: Option<u32>, after: Option<PartNumber>) -> Result<Self, Error> {
        let max_parts = match max_parts {
            None => None,
            Some(n @ 1..=Self::MAX_PARTS) => Some(n as u16),
            Some(n) => {
                return Err(Error::NumberOutOfRange {
                    field: Field::MaxParts,
                    value: u64::from(n),
                    min: 1,
                    max: u64::from(Self::MAX_PARTS),
                });
            }
        };
        Ok(Self { max_parts, after })
    }

    /// The page size asked for, if any.
    ///
    /// ```
    /// assert_eq!(presign::PartsPage::FIRST.max_parts(), None);
    /// ```
    #[must_use]
    pub fn max_parts(&self) -> Option<u16> {
        self.max_parts
    }

    /// The part the page starts after, if any.
    ///
    /// ```
    /// assert_eq!(presign::PartsPage::FIRST.after(), None);
    /// ```
    #[must_use]
    pub fn after(&self) -> Option<PartNumber> {
        self.after
    }
}

impl Default for PartsPage {
    fn default() -> Self {
        Self::FIRST
    }
}

/// Which multipart step a request is, with the query parameters that name it.
#[derive(Clone, Copy, Debug)]
pub(crate) enum MultipartStep<'a> {
    /// `?uploads`: start an upload.
    Create,
    /// `?partNumber=N&uploadId=ID`: send one part.
    Part {
        upload_id: UploadId<'a>,
        part_number: PartNumber,
    },
    /// `?uploadId=ID`: complete (POST) or abort (DELETE) an upload.
    Upload { upload_id: UploadId<'a> },
    /// `?uploadId=ID[&max-parts=M][&part-number-marker=P]`: list the parts sent so far.
    ListParts {
        upload_id: UploadId<'a>,
        max_parts: Option<Decimal>,
        marker: Option<PartNumber>,
    },
}

impl<'a> MultipartStep<'a> {
    /// The listing step for `page`.
    pub(crate) fn list_parts(upload_id: UploadId<'a>, page: PartsPage) -> Self {
        Self::ListParts {
            upload_id,
            max_parts: page.max_parts.map(|n| Decimal::new(u32::from(n))),
            marker: page.after,
        }
    }
}

impl MultipartStep<'_> {
    /// The step's query parameters, decoded, in canonical order.
    pub(crate) fn for_each_param<'s>(&'s self, mut f: impl FnMut(&'static str, &'s str)) {
        match self {
            Self::Create => f("uploads", ""),
            Self::Part {
                upload_id,
                part_number,
            } => {
                f("partNumber", part_number.as_str());
                f("uploadId", upload_id.as_str());
            }
            Self::Upload { upload_id } => f("uploadId", upload_id.as_str()),
            Self::ListParts {
                upload_id,
                max_parts,
                marker,
            } => {
                if let Some(max) = max_parts {
                    f("max-parts", max.as_str());
                }
                if let Some(marker) = marker {
                    f("part-number-marker", marker.as_str());
                }
                f("uploadId", upload_id.as_str());
            }
        }
    }

    /// Whether every name and value is made of unreserved characters only, so the query
    /// carries them without encoding.
    pub(crate) fn is_plain(&self) -> bool {
        match self {
            Self::Create => true,
            Self::Part { upload_id, .. }
            | Self::Upload { upload_id }
            | Self::ListParts { upload_id, .. } => upload_id.plain,
        }
    }

    /// At most the length of the step's parameters in the query.
    pub(crate) fn query_len_bound(&self) -> usize {
        let mut len = 0;
        self.for_each_param(|name, value| len += name.len() + 3 * value.len() + 2);
        len
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn part_numbers_are_one_to_ten_thousand() {
        for n in [1, 2, 9, 10, 99, 100, 9_999, 10_000] {
            let part = PartNumber::new(n).expect("in range");
            assert_eq!(u32::from(part.get()), n);
            assert_eq!(part.as_str(), alloc::format!("{n}"));
        }
        for n in [0, 10_001, u32::MAX] {
            assert_eq!(
                PartNumber::new(n).err(),
                Some(Error::NumberOutOfRange {
                    field: Field::PartNumber,
                    value: u64::from(n),
                    min: 1,
                    max: 10_000
                })
            );
        }
    }

    #[test]
    fn upload_ids_are_visible_ascii() {
        assert_eq!(
            UploadId::new("").err(),
            Some(Error::Empty {
                field: Field::UploadId
            })
        );
        let long = "a".repeat(MAX_UPLOAD_ID_LEN + 1);
        assert!(matches!(
            UploadId::new(&long),
            Err(Error::TooLong {
                field: Field::UploadId,
                ..
            })
        ));
        assert!(matches!(
            UploadId::new("a\nb"),
            Err(Error::InvalidCharacter {
                field: Field::UploadId,
                index: 1,
                ..
            })
        ));
    }

    /// Every step's parameters come out in SigV4 order (by encoded name: `max-parts` <
    /// `part-number-marker` < `partNumber` < `uploadId` < `uploads`).
    #[test]
    fn steps_list_their_parameters_in_canonical_order() {
        let id = UploadId::new("ID").expect("valid");
        let steps = [
            MultipartStep::Create,
            MultipartStep::Part {
                upload_id: id,
                part_number: PartNumber::MAX,
            },
            MultipartStep::Upload { upload_id: id },
            MultipartStep::ListParts {
                upload_id: id,
                max_parts: Some(Decimal::new(100)),
                marker: Some(PartNumber::MIN),
            },
        ];
        for step in steps {
            let mut names = alloc::vec::Vec::new();
            step.for_each_param(|name, _| names.push(name));
            let mut sorted = names.clone();
            sorted.sort_by(|a, b| crate::encode::cmp_encoded(a, b));
            assert_eq!(names, sorted, "{step:?}");
        }
    }
}
