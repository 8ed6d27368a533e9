//! The signing time in the two forms SigV4 needs: `X-Amz-Date` and the scope date.

use time::{OffsetDateTime, UtcOffset};

use crate::Error;

/// A signing time rendered once as `YYYYMMDD'T'HHMMSS'Z'` (ISO 8601 basic, UTC).
///
/// The scope date is the first eight bytes, so the two can never disagree, even across
/// midnight: both come from the same normalised instant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct AmzDate {
    text: [u8; 16],
    /// The instant, in UTC, truncated to whole seconds (what `X-Amz-Date` says).
    instant: OffsetDateTime,
}

impl AmzDate {
    /// Normalises `time` to UTC and drops sub-second precision, which `X-Amz-Date` cannot
    /// carry. Years outside 0000 ..= 9999 are refused: the format has four year digits.
    pub(crate) fn new(time: OffsetDateTime) -> Result<Self, Error> {
        let utc = time
            .checked_to_offset(UtcOffset::UTC)
            .ok_or(Error::SigningTimeOutOfRange)?;
        let year = u32::try_from(utc.year()).map_err(|_| Error::SigningTimeOutOfRange)?;
        if year > 9999 {
            return Err(Error::SigningTimeOutOfRange);
        }
        let instant = utc
            .replace_nanosecond(0)
            .map_err(|_| Error::SigningTimeOutOfRange)?;
        // One calendar conversion for the date and one for the time of day.
        let (_, month, day) = utc.to_calendar_date();
        let (hour, minute, second) = utc.to_hms();
        let mut text = *b"00000000T000000Z";
        put_digits(&mut text[0..4], year);
        put_digits(&mut text[4..6], u32::from(u8::from(month)));
        put_digits(&mut text[6..8], u32::from(day));
        put_digits(&mut text[9..11], u32::from(hour));
        put_digits(&mut text[11..13], u32::from(minute));
        put_digits(&mut text[13..15], u32::from(second));
        Ok(Self { text, instant })
    }

    /// `YYYYMMDD`, the first element of the credential scope.
    pub(crate) fn date(&self) -> &str {
        core::str::from_utf8(&self.text[..8]).unwrap_or_default()
    }

    /// `YYYYMMDD'T'HHMMSS'Z'`, the value of `X-Amz-Date`.
    pub(crate) fn timestamp_bytes(&self) -> &[u8] {
        &self.text
    }

    /// [`Self::date`] as bytes.
    pub(crate) fn date_bytes(&self) -> &[u8] {
        &self.text[..8]
    }

    /// The scope date as a number (`20261124`), the key of the signing-key cache.
    pub(crate) fn date_number(&self) -> u32 {
        self.text[..8]
            .iter()
            .fold(0, |n, &d| n * 10 + u32::from(d - b'0'))
    }

    /// The signing instant in UTC, whole seconds.
    pub(crate) fn instant(&self) -> OffsetDateTime {
        self.instant
    }
}

/// Writes `value` as zero-padded decimal filling `out`.
fn put_digits(out: &mut [u8], mut value: u32) {
    for slot in out.iter_mut().rev() {
        *slot = b'0' + (value % 10) as u8;
        value /= 10;
    }
}
