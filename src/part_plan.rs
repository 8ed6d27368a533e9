//! How an object is cut into the parts of a multipart upload: part size, part count, and
//! each part's byte range, within the limits of the store.
//!
//! ```
//! use presign::{PartPlan, Store};
//!
//! // 100 MiB + 1 byte on R2 with the default 8 MiB parts: 12 full parts and a 4 MiB + 1 one.
//! let plan = PartPlan::new(100 * 1024 * 1024 + 1, Store::R2)?;
//! assert_eq!((plan.part_size(), plan.part_count()), (8 * 1024 * 1024, 13));
//! let last = plan.parts().last().expect("a plan has at least one part");
//! assert_eq!(last.number(), 13);
//! assert_eq!(last.range_header().to_string(), "bytes=100663296-104857600");
//! # Ok::<(), presign::PlanError>(())
//! ```
//!
//! # The rules
//!
//! Every part has the same size except the last, which holds the rest (1 byte up to the part
//! size). S3 would accept parts of different sizes; R2 refuses them (every part but the last
//! must have the same length, or `CompleteMultipartUpload` fails), so one shape serves both.
//!
//! - **Limits** ([`Store`]): every part but the last is at least [`MIN_PART_SIZE`] (5 MiB);
//!   at most [`MAX_PARTS`] (10,000) parts; a part is at most 5 GiB on S3 and 5 GiB less
//!   5 MiB on R2; an object is at most 10,000 × 5 GiB on S3 and 5 TiB less 5 GiB on R2.
//! - **Part size**: the preferred size ([`DEFAULT_PART_SIZE`] unless
//!   [`PartPlan::with_part_size`] gives one) is used as it is, to the byte, when it is at
//!   least 5 MiB and cuts the object into at most 10,000 parts. Below 5 MiB it is raised to
//!   5 MiB (the store would refuse smaller parts; the preference is for *small* parts and
//!   5 MiB is the smallest there is). When 10,000 parts of that size cannot hold the object,
//!   the size becomes the smallest multiple of 1 MiB that can: `ceil(size / 10,000)` rounded
//!   up to a MiB. That is always above the preferred size, never above the store's part
//!   maximum (both maxima are whole MiB), and round sizes read well in logs and buffers.
//! - **Refused**: a preferred size above the store's part maximum (whatever the object size:
//!   it is a setting that would fail on the first large file), an object larger than the
//!   store holds, and an empty object ([`PlanError::EmptyObject`]).
//!
//! Why not plan an empty object as one empty part: a part's byte range (`bytes=first-last`)
//! cannot express zero bytes, and not every S3-compatible store accepts a multipart upload
//! of nothing; a single PUT of an empty body works everywhere ([`Store::fits_single_put`]).

use core::fmt;
use core::iter::FusedIterator;

/// One mebibyte, 2^20 bytes.
const MIB: u64 = 1 << 20;
/// One gibibyte, 2^30 bytes.
const GIB: u64 = 1 << 30;

/// The smallest size of every part but the last: 5 MiB (5,242,880 bytes), on S3 and R2.
///
/// ```
/// assert_eq!(presign::MIN_PART_SIZE, 5 * 1024 * 1024);
/// ```
pub const MIN_PART_SIZE: u64 = 5 * MIB;

/// The most parts one multipart upload can have; part numbers are `1 ..= 10_000`.
///
/// ```
/// assert_eq!(presign::MAX_PARTS, 10_000);
/// ```
pub const MAX_PARTS: u16 = 10_000;

/// The part size used when the caller states no preference: 8 MiB.
///
/// It is the AWS CLI's and boto3's default, so plans match what other tools upload; it keeps
/// a retried part cheap on a slow link, and 10,000 parts of it hold 78 GiB before the plan
/// has to grow the size.
///
/// ```
/// use presign::{DEFAULT_PART_SIZE, PartPlan, Store};
/// assert_eq!(PartPlan::new(1 << 30, Store::S3)?.part_size(), DEFAULT_PART_SIZE);
/// # Ok::<(), presign::PlanError>(())
/// ```
pub const DEFAULT_PART_SIZE: u64 = 8 * MIB;

/// The object store whose limits a plan follows.
///
/// ```
/// use presign::Store;
/// assert_eq!(Store::S3.max_part_size(), 5 * 1024 * 1024 * 1024);
/// assert_eq!(Store::R2.max_part_size(), 5 * 1024 * 1024 * 1024 - 5 * 1024 * 1024);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Store {
    /// Amazon S3 (general purpose buckets).
    S3,
    /// Cloudflare R2, whose multipart parts must all have the same size but the last.
    R2,
}

impl Store {
    /// The largest part, and the largest single PUT, the store accepts, in bytes.
    ///
    /// S3: 5 GiB. R2: 5 GiB less 5 MiB (5,363,466,240), its limit on any one upload
    /// request (developers.cloudflare.com/r2/platform/limits).
    ///
    /// ```
    /// assert_eq!(presign::Store::R2.max_part_size(), 5_363_466_240);
    /// ```
    #[must_use]
    pub const fn max_part_size(self) -> u64 {
        match self {
            Self::S3 => 5 * GIB,
            Self::R2 => 5 * GIB - 5 * MIB,
        }
    }

    /// The largest object a multipart upload can make on the store, in bytes.
    ///
    /// S3: AWS states 48.8 TiB, which is exactly 10,000 parts of 5 GiB
    /// (53,687,091,200,000 bytes); that is the value here (docs.aws.amazon.com/AmazonS3/
    /// latest/userguide/qfacts.html). R2: 5 TiB less 5 GiB (5,492,189,429,760).
    ///
    /// ```
    /// use presign::Store;
    /// assert_eq!(Store::S3.max_object_size(), 10_000 * Store::S3.max_part_size());
    /// assert_eq!(Store::R2.max_object_size(), 5_492_189_429_760);
    /// ```
    #[must_use]
    pub const fn max_object_size(self) -> u64 {
        match self {
            Self::S3 => MAX_PARTS as u64 * 5 * GIB,
            Self::R2 => 5 * 1024 * GIB - 5 * GIB,
        }
    }

    /// Whether an object of `size` bytes can be uploaded with one PUT (up to
    /// [`max_part_size`](Self::max_part_size): the same limit applies to a single upload).
    ///
    /// ```
    /// use presign::Store;
    /// assert!(Store::S3.fits_single_put(5 * 1024 * 1024 * 1024));
    /// assert!(!Store::R2.fits_single_put(5 * 1024 * 1024 * 1024));
    /// assert!(Store::R2.fits_single_put(0));
    /// ```
    #[must_use]
    pub const fn fits_single_put(self, size: u64) -> bool {
        size <= self.max_part_size()
    }

    /// The store's name as messages print it: `S3` or `R2`.
    ///
    /// ```
    /// assert_eq!(presign::Store::R2.name(), "R2");
    /// ```
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::S3 => "S3",
            Self::R2 => "R2",
        }
    }
}

impl fmt::Display for Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Why no plan could be made.
///
/// ```
/// use presign::{PartPlan, PlanError, Store};
///
/// let err = PartPlan::new(u64::MAX, Store::R2).unwrap_err();
/// assert!(matches!(err, PlanError::ObjectTooLarge { store: Store::R2, .. }));
/// assert_eq!(
///     err.to_string(),
///     "object size is 18446744073709551615 bytes; R2 allows at most 5492189429760 bytes per object"
/// );
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum PlanError {
    /// The object is empty: upload it with a single PUT.
    EmptyObject,
    /// The object is larger than the store accepts.
    ObjectTooLarge {
        /// The object size in bytes.
        size: u64,
        /// The largest object the store accepts, in bytes.
        max: u64,
        /// The store.
        store: Store,
    },
    /// The preferred part size is above what the store accepts for one part.
    PartSizeTooLarge {
        /// The preferred part size in bytes.
        preferred: u64,
        /// The largest part the store accepts, in bytes.
        max: u64,
        /// The store.
        store: Store,
    },
}

impl fmt::Display for PlanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::EmptyObject => f.write_str(
                "object size is 0 bytes; a multipart upload needs at least 1 byte \
                 (upload an empty object with a single PUT)",
            ),
            Self::ObjectTooLarge { size, max, store } => write!(
                f,
                "object size is {size} bytes; {store} allows at most {max} bytes per object"
            ),
            Self::PartSizeTooLarge {
                preferred,
                max,
                store,
            } => write!(
                f,
                "preferred part size is {preferred} bytes; {store} allows at most {max} bytes \
                 per part"
            ),
        }
    }
}

impl core::error::Error for PlanError {}

/// How an object of a given size is cut into parts: every part `part_size` bytes but the
/// last, which holds the rest.
///
/// ```
/// use presign::{PartPlan, Store};
///
/// // A slow link asks for 5 MiB parts; 20 MiB is exactly 4 of them.
/// let plan = PartPlan::with_part_size(20 << 20, Store::S3, 5 << 20)?;
/// assert_eq!(plan.part_count(), 4);
/// assert_eq!(plan.last_part_size(), 5 << 20);
/// # Ok::<(), presign::PlanError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PartPlan {
    object_size: u64,
    part_size: u64,
    part_count: u16,
    store: Store,
}

impl PartPlan {
    /// The plan for `object_size` bytes with [`DEFAULT_PART_SIZE`] parts, grown as the
    /// module's rules say when 10,000 of them are not enough.
    ///
    /// ```
    /// use presign::{PartPlan, Store};
    ///
    /// // R2's largest object needs 524 MiB parts (the smallest whole MiB that fits 10,000).
    /// let plan = PartPlan::new(Store::R2.max_object_size(), Store::R2)?;
    /// assert_eq!(plan.part_size(), 524 << 20);
    /// assert!(plan.part_count() <= 10_000);
    /// # Ok::<(), presign::PlanError>(())
    /// ```
    pub const fn new(object_size: u64, store: Store) -> Result<Self, PlanError> {
        Self::with_part_size(object_size, store, DEFAULT_PART_SIZE)
    }

    /// The plan for `object_size` bytes with parts of `preferred` bytes when that size is
    /// valid (at least 5 MiB, at most 10,000 parts), else raised as the module's rules say.
    ///
    /// Refusals are checked in this order: [`PlanError::PartSizeTooLarge`],
    /// [`PlanError::EmptyObject`], [`PlanError::ObjectTooLarge`].
    ///
    /// ```
    /// use presign::{PartPlan, PlanError, Store};
    ///
    /// // Honoured to the byte when valid.
    /// assert_eq!(PartPlan::with_part_size(1 << 30, Store::R2, 6_000_000)?.part_size(), 6_000_000);
    /// // Raised to the 5 MiB minimum.
    /// assert_eq!(PartPlan::with_part_size(1 << 30, Store::R2, 1)?.part_size(), 5 << 20);
    /// // Grown to a whole MiB when 10,000 parts would not hold the object.
    /// assert_eq!(PartPlan::with_part_size(100 << 30, Store::S3, 5 << 20)?.part_size(), 11 << 20);
    /// // Refused above the store's part maximum.
    /// assert!(matches!(
    ///     PartPlan::with_part_size(1 << 30, Store::R2, 5 << 30),
    ///     Err(PlanError::PartSizeTooLarge { .. })
    /// ));
    /// # Ok::<(), presign::PlanError>(())
    /// ```
    pub const fn with_part_size(
        object_size: u64,
        store: Store,
        preferred: u64,
    ) -> Result<Self, PlanError> {
        let max_part = store.max_part_size();
        if preferred > max_part {
            return Err(PlanError::PartSizeTooLarge {
                preferred,
                max: max_part,
                store,
            });
        }
        if object_size == 0 {
            return Err(PlanError::EmptyObject);
        }
        let max_object = store.max_object_size();
        if object_size > max_object {
            return Err(PlanError::ObjectTooLarge {
                size: object_size,
                max: max_object,
                store,
            });
        }
        let wanted = if preferred < MIN_PART_SIZE {
            MIN_PART_SIZE
        } else {
            preferred
        };
        // The smallest part size that fits the object in 10,000 parts. No overflow: the
        // object size is at most 53,687,091,200,000 here.
        let fewest = object_size.div_ceil(MAX_PARTS as u64);
        let part_size = if wanted >= fewest {
            wanted
        } else {
            // Rounding up to a MiB cannot pass the part maximum: `fewest` is at most the
            // maximum (max object <= 10,000 x max part) and the maximum is a whole MiB.
            fewest.div_ceil(MIB) * MIB
        };
        let count = object_size.div_ceil(part_size);
        debug_assert!(count >= 1 && count <= MAX_PARTS as u64);
        debug_assert!(part_size >= MIN_PART_SIZE && part_size <= max_part);
        Ok(Self {
            object_size,
            part_size,
            // At most 10,000: `part_size >= fewest = ceil(size / 10,000)`.
            part_count: count as u16,
            store,
        })
    }

    /// The object size in bytes.
    ///
    /// ```
    /// assert_eq!(presign::PartPlan::new(42, presign::Store::S3)?.object_size(), 42);
    /// # Ok::<(), presign::PlanError>(())
    /// ```
    #[must_use]
    pub const fn object_size(&self) -> u64 {
        self.object_size
    }

    /// The size of every part but the last, in bytes.
    ///
    /// It can exceed the object size (a 1 MiB object is one 1 MiB part of an 8 MiB plan).
    ///
    /// ```
    /// assert_eq!(presign::PartPlan::new(1 << 20, presign::Store::S3)?.part_size(), 8 << 20);
    /// # Ok::<(), presign::PlanError>(())
    /// ```
    #[must_use]
    pub const fn part_size(&self) -> u64 {
        self.part_size
    }

    /// The number of parts, `1 ..= 10_000`.
    ///
    /// ```
    /// assert_eq!(presign::PartPlan::new(1 << 30, presign::Store::R2)?.part_count(), 128);
    /// # Ok::<(), presign::PlanError>(())
    /// ```
    #[must_use]
    pub const fn part_count(&self) -> u16 {
        self.part_count
    }

    /// The size of the last part in bytes: `1 ..= part_size()`.
    ///
    /// ```
    /// let plan = presign::PartPlan::new((16 << 20) + 3, presign::Store::S3)?;
    /// assert_eq!(plan.last_part_size(), 3);
    /// # Ok::<(), presign::PlanError>(())
    /// ```
    #[must_use]
    pub const fn last_part_size(&self) -> u64 {
        // `part_count - 1` full parts come first; the constructor guarantees 1 ..= part_size.
        self.object_size - (self.part_count as u64 - 1) * self.part_size
    }

    /// The store whose limits the plan follows.
    ///
    /// ```
    /// use presign::{PartPlan, Store};
    /// assert_eq!(PartPlan::new(1, Store::R2)?.store(), Store::R2);
    /// # Ok::<(), presign::PlanError>(())
    /// ```
    #[must_use]
    pub const fn store(&self) -> Store {
        self.store
    }

    /// Part `number` (`1 ..= part_count()`), or `None` outside that range.
    ///
    /// ```
    /// let plan = presign::PartPlan::new(20 << 20, presign::Store::S3)?;
    /// let second = plan.part(2).expect("20 MiB is 3 parts");
    /// assert_eq!((second.first_byte(), second.last_byte(), second.len()), (8 << 20, (16 << 20) - 1, 8 << 20));
    /// assert!(plan.part(0).is_none() && plan.part(4).is_none());
    /// # Ok::<(), presign::PlanError>(())
    /// ```
    #[must_use]
    pub const fn part(&self, number: u16) -> Option<Part> {
        if number == 0 || number > self.part_count {
            return None;
        }
        // No overflow: number <= 10,000 and part_size <= 5 GiB.
        let first_byte = (number as u64 - 1) * self.part_size;
        let len = if number == self.part_count {
            self.last_part_size()
        } else {
            self.part_size
        };
        Some(Part {
            number,
            first_byte,
            len,
        })
    }

    /// Every part, in order.
    ///
    /// ```
    /// let plan = presign::PartPlan::new(20 << 20, presign::Store::R2)?;
    /// let lens: Vec<u64> = plan.parts().map(|p| p.len()).collect();
    /// assert_eq!(lens, [8 << 20, 8 << 20, 4 << 20]);
    /// # Ok::<(), presign::PlanError>(())
    /// ```
    #[must_use]
    pub const fn parts(&self) -> PlannedParts {
        PlannedParts {
            plan: *self,
            front: 1,
            back: self.part_count,
        }
    }
}

/// One part of a [`PartPlan`]: its number and its bytes `first_byte ..= last_byte` of the
/// object.
///
/// ```
/// let part = presign::PartPlan::new(10, presign::Store::S3)?.part(1).expect("one part");
/// assert_eq!((part.number(), part.first_byte(), part.last_byte(), part.len()), (1, 0, 9, 10));
/// # Ok::<(), presign::PlanError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Part {
    number: u16,
    first_byte: u64,
    len: u64,
}

impl Part {
    /// The part number, `1 ..= 10_000`: the `partNumber` of its `UploadPart` request.
    ///
    /// ```
    /// assert_eq!(presign::PartPlan::new(1, presign::Store::S3)?.part(1).map(|p| p.number()), Some(1));
    /// # Ok::<(), presign::PlanError>(())
    /// ```
    #[must_use]
    pub const fn number(&self) -> u16 {
        self.number
    }

    /// The offset of its first byte in the object.
    ///
    /// ```
    /// let plan = presign::PartPlan::new(9 << 20, presign::Store::S3)?;
    /// assert_eq!(plan.part(2).map(|p| p.first_byte()), Some(8 << 20));
    /// # Ok::<(), presign::PlanError>(())
    /// ```
    #[must_use]
    pub const fn first_byte(&self) -> u64 {
        self.first_byte
    }

    /// The offset of its last byte in the object (inclusive, as in an HTTP `Range`).
    ///
    /// ```
    /// let plan = presign::PartPlan::new(9 << 20, presign::Store::S3)?;
    /// assert_eq!(plan.part(2).map(|p| p.last_byte()), Some((9 << 20) - 1));
    /// # Ok::<(), presign::PlanError>(())
    /// ```
    #[must_use]
    pub const fn last_byte(&self) -> u64 {
        // len >= 1 for every part a plan makes, and first_byte + len <= object size.
        self.first_byte + self.len - 1
    }

    /// Its length in bytes, never 0: the `Content-Length` of its `UploadPart` request.
    ///
    /// ```
    /// let plan = presign::PartPlan::new(9 << 20, presign::Store::S3)?;
    /// assert_eq!(plan.part(2).map(|p| p.len()), Some(1 << 20));
    /// # Ok::<(), presign::PlanError>(())
    /// ```
    #[must_use]
    #[expect(clippy::len_without_is_empty, reason = "a part is never empty")]
    pub const fn len(&self) -> u64 {
        self.len
    }

    /// The end of its bytes, exclusive: `first_byte() + len()`, for slicing.
    ///
    /// ```
    /// let plan = presign::PartPlan::new(9 << 20, presign::Store::S3)?;
    /// assert_eq!(plan.part(2).map(|p| p.end_byte()), Some(9 << 20));
    /// # Ok::<(), presign::PlanError>(())
    /// ```
    #[must_use]
    pub const fn end_byte(&self) -> u64 {
        self.first_byte + self.len
    }

    /// Its HTTP `Range` header value, `bytes=first-last`, written without allocating (for
    /// reading the part from a source that serves ranges, or for `UploadPartCopy`'s
    /// `x-amz-copy-source-range`).
    ///
    /// ```
    /// let plan = presign::PartPlan::new(6 << 20, presign::Store::S3)?;
    /// let part = plan.part(1).expect("one part");
    /// assert_eq!(part.range_header().to_string(), "bytes=0-6291455");
    /// # Ok::<(), presign::PlanError>(())
    /// ```
    #[must_use]
    pub const fn range_header(&self) -> RangeHeader {
        RangeHeader {
            first_byte: self.first_byte,
            last_byte: self.last_byte(),
        }
    }
}

/// A `Range` header value `bytes=first-last` that formats itself with [`Display`](fmt::Display).
///
/// ```
/// let plan = presign::PartPlan::new(1, presign::Store::R2)?;
/// let range = plan.part(1).expect("one part").range_header();
/// assert_eq!(format!("Range: {range}"), "Range: bytes=0-0");
/// # Ok::<(), presign::PlanError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RangeHeader {
    first_byte: u64,
    last_byte: u64,
}

impl fmt::Display for RangeHeader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "bytes={}-{}", self.first_byte, self.last_byte)
    }
}

/// The parts of a [`PartPlan`] in order; from [`PartPlan::parts`].
///
/// ```
/// let plan = presign::PartPlan::new(17 << 20, presign::Store::S3)?;
/// let mut parts = plan.parts();
/// assert_eq!(parts.len(), 3);
/// assert_eq!(parts.next_back().map(|p| p.len()), Some(1 << 20));
/// # Ok::<(), presign::PlanError>(())
/// ```
#[derive(Debug, Clone)]
pub struct PlannedParts {
    plan: PartPlan,
    /// The next number from the front; `front > back` when done.
    front: u16,
    back: u16,
}

impl Iterator for PlannedParts {
    type Item = Part;

    fn next(&mut self) -> Option<Part> {
        if self.front > self.back {
            return None;
        }
        let part = self.plan.part(self.front);
        self.front += 1;
        part
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = usize::from(self.back.saturating_sub(self.front.saturating_sub(1)));
        (left, Some(left))
    }
}

impl DoubleEndedIterator for PlannedParts {
    fn next_back(&mut self) -> Option<Part> {
        if self.front > self.back {
            return None;
        }
        let part = self.plan.part(self.back);
        // back >= front >= 1, so this cannot underflow.
        self.back -= 1;
        part
    }
}

impl ExactSizeIterator for PlannedParts {}

impl FusedIterator for PlannedParts {}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn limits_are_the_published_numbers() {
        assert_eq!(Store::S3.max_part_size(), 5_368_709_120);
        assert_eq!(Store::R2.max_part_size(), 5_363_466_240);
        assert_eq!(Store::S3.max_object_size(), 53_687_091_200_000);
        assert_eq!(Store::R2.max_object_size(), 5_492_189_429_760);
        assert_eq!(MIN_PART_SIZE, 5_242_880);
    }

    #[test]
    fn empty_object_is_refused() {
        assert_eq!(PartPlan::new(0, Store::S3), Err(PlanError::EmptyObject));
        assert_eq!(PartPlan::new(0, Store::R2), Err(PlanError::EmptyObject));
    }

    #[test]
    fn one_byte_is_one_part() {
        let plan = PartPlan::new(1, Store::R2).unwrap();
        assert_eq!(plan.part_count(), 1);
        let p = plan.part(1).unwrap();
        assert_eq!((p.first_byte(), p.last_byte(), p.len()), (0, 0, 1));
    }

    #[test]
    fn store_maxima_plan_and_one_more_byte_is_refused() {
        for store in [Store::S3, Store::R2] {
            let max = store.max_object_size();
            let plan = PartPlan::new(max, store).unwrap();
            assert!(plan.part_count() <= MAX_PARTS);
            assert!(plan.part_size() <= store.max_part_size());
            assert_eq!(
                PartPlan::new(max + 1, store),
                Err(PlanError::ObjectTooLarge {
                    size: max + 1,
                    max,
                    store
                })
            );
        }
        // S3's maximum is exactly 10,000 parts of 5 GiB.
        let plan = PartPlan::new(Store::S3.max_object_size(), Store::S3).unwrap();
        assert_eq!((plan.part_count(), plan.part_size()), (10_000, 5 << 30));
        assert_eq!(plan.last_part_size(), 5 << 30);
    }

    #[test]
    fn extreme_inputs_do_not_overflow() {
        for store in [Store::S3, Store::R2] {
            for size in [u64::MAX, u64::MAX - 1, 1 << 63] {
                for preferred in [0, 1, u64::MAX, MIN_PART_SIZE, store.max_part_size()] {
                    assert!(PartPlan::with_part_size(size, store, preferred).is_err());
                }
            }
        }
    }

    #[test]
    fn preferred_size_rules() {
        // Valid: used to the byte, even when not a whole MiB.
        let plan = PartPlan::with_part_size(1 << 30, Store::S3, MIN_PART_SIZE + 7).unwrap();
        assert_eq!(plan.part_size(), MIN_PART_SIZE + 7);
        // Below 5 MiB: raised.
        assert_eq!(
            PartPlan::with_part_size(1 << 30, Store::S3, 0)
                .unwrap()
                .part_size(),
            MIN_PART_SIZE
        );
        // Exactly the maximum is fine; one more byte is not.
        let max = Store::R2.max_part_size();
        assert_eq!(
            PartPlan::with_part_size(1 << 40, Store::R2, max)
                .unwrap()
                .part_size(),
            max
        );
        assert_eq!(
            PartPlan::with_part_size(1, Store::R2, max + 1),
            Err(PlanError::PartSizeTooLarge {
                preferred: max + 1,
                max,
                store: Store::R2
            })
        );
        // Exactly 10,000 parts of the preferred size: kept.
        let plan =
            PartPlan::with_part_size(10_000 * MIN_PART_SIZE, Store::S3, MIN_PART_SIZE).unwrap();
        assert_eq!(
            (plan.part_size(), plan.part_count()),
            (MIN_PART_SIZE, 10_000)
        );
        // One byte more: grown to 6 MiB.
        let plan =
            PartPlan::with_part_size(10_000 * MIN_PART_SIZE + 1, Store::S3, MIN_PART_SIZE).unwrap();
        assert_eq!(plan.part_size(), 6 * MIB);
        assert!(plan.part_count() <= MAX_PARTS);
    }

    #[test]
    fn default_grows_past_78_gib() {
        let at_limit = 10_000 * DEFAULT_PART_SIZE;
        assert_eq!(
            PartPlan::new(at_limit, Store::R2).unwrap().part_size(),
            DEFAULT_PART_SIZE
        );
        assert_eq!(
            PartPlan::new(at_limit + 1, Store::R2).unwrap().part_size(),
            9 * MIB
        );
    }

    #[test]
    fn iterator_both_ends_and_len() {
        let plan = PartPlan::new(25 << 20, Store::S3).unwrap();
        let mut it = plan.parts();
        assert_eq!(it.len(), 4);
        assert_eq!(it.next().map(|p| p.number()), Some(1));
        assert_eq!(it.next_back().map(|p| p.number()), Some(4));
        assert_eq!(it.len(), 2);
        assert_eq!(it.next().map(|p| p.number()), Some(2));
        assert_eq!(it.next_back().map(|p| p.number()), Some(3));
        assert_eq!(it.len(), 0);
        assert!(it.next().is_none() && it.next_back().is_none());
    }

    #[test]
    fn error_messages() {
        assert_eq!(
            PlanError::PartSizeTooLarge {
                preferred: 6,
                max: 5,
                store: Store::S3
            }
            .to_string(),
            "preferred part size is 6 bytes; S3 allows at most 5 bytes per part"
        );
        assert_eq!(
            PlanError::EmptyObject.to_string(),
            "object size is 0 bytes; a multipart upload needs at least 1 byte \
             (upload an empty object with a single PUT)"
        );
    }
}
