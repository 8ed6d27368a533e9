//! The one place that reads the system clock (feature `std`).

use time::OffsetDateTime;

/// The current time in UTC, for the `now` argument of the signing methods.
///
/// Everything else in the crate takes the time as an argument, so signing stays
/// deterministic and testable; call this at the edge of your service.
///
/// ```
/// let now = presign::now_utc();
/// assert!(now.year() >= 2024);
/// ```
#[must_use]
pub fn now_utc() -> OffsetDateTime {
    OffsetDateTime::now_utc()
}
