//! The signing time in the two forms SigV4 needs: `X-Amz-Date` and the scope date.

use time::OffsetDateTime;

use crate::Error;

/// Seconds from the Unix epoch to 0000-01-01T00:00:00Z, the first instant with four year
/// digits.
const FIRST_UNIX: i64 = -62_167_219_200;
/// Seconds from the Unix epoch to 9999-12-31T23:59:59Z, the last whole second with four
/// year digits (and the last one `time` represents without its `large-dates` feature).
pub(crate) const LAST_UNIX: i64 = 253_402_300_799;
const SECONDS_PER_DAY: i64 = 86_400;

/// A signing time rendered once as `YYYYMMDD'T'HHMMSS'Z'` (ISO 8601 basic, UTC).
///
/// The scope date is the first eight bytes, so the two can never disagree, even across
/// midnight: both come from the same normalised instant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct AmzDate {
    text: [u8; 16],
    /// The instant as whole seconds since the Unix epoch (what `X-Amz-Date` says).
    unix: i64,
}

impl AmzDate {
    /// Normalises `time` to UTC and drops sub-second precision, which `X-Amz-Date` cannot
    /// carry. Years outside 0000 ..= 9999 are refused: the format has four year digits.
    ///
    /// The calendar date comes from the Unix day number by integer arithmetic (the
    /// days-to-civil conversion of the proleptic Gregorian calendar), one division per
    /// field instead of a round trip through `time`'s calendar types.
    pub(crate) fn new(time: OffsetDateTime) -> Result<Self, Error> {
        let unix = time.unix_timestamp();
        if !(FIRST_UNIX..=LAST_UNIX).contains(&unix) {
            return Err(Error::SigningTimeOutOfRange);
        }
        let days = unix.div_euclid(SECONDS_PER_DAY);
        let second_of_day = unix.rem_euclid(SECONDS_PER_DAY) as u32;
        let (year, month, day) = civil_from_days(days);
        let mut text = *b"00000000T000000Z";
        put_two_digits(&mut text[0..2], year / 100);
        put_two_digits(&mut text[2..4], year % 100);
        put_two_digits(&mut text[4..6], month);
        put_two_digits(&mut text[6..8], day);
        put_two_digits(&mut text[9..11], second_of_day / 3600);
        put_two_digits(&mut text[11..13], second_of_day / 60 % 60);
        put_two_digits(&mut text[13..15], second_of_day % 60);
        Ok(Self { text, unix })
    }

    /// Reads `YYYYMMDD'T'HHMMSS'Z'`, the form [`Self::new`] writes (as a presigned URL's
    /// `X-Amz-Date` carries it): `None` unless every field is digits and the whole names a
    /// real instant (month 1 ..= 12, a day the month has, hour below 24, minute and second
    /// below 60). Integer arithmetic, the inverse of [`Self::new`]'s.
    pub(crate) fn parse(text: [u8; 16]) -> Option<Self> {
        let (date, time) = text.split_at(8);
        let date = u64::from_le_bytes(date.try_into().ok()?);
        let time = u64::from_le_bytes(time.try_into().ok()?);
        if time & 0xFF != u64::from(b'T') || time >> 56 != u64::from(b'Z') {
            return None;
        }
        // `HHMMSS` moved to the low six bytes, with two `0` digits above them.
        let time = (time >> 8) & 0x0000_FFFF_FFFF_FFFF | 0x3030_0000_0000_0000;
        let [[century, year, month, day], [hour, minute, second, _]] =
            [date_pairs(date)?, date_pairs(time)?];
        let year = century * 100 + year;
        let valid = (1..=12).contains(&month)
            && (1..=days_in_month(year, month)).contains(&day)
            && hour < 24
            && minute < 60
            && second < 60;
        valid.then(|| Self {
            text,
            unix: days_from_civil(year, month, day) * SECONDS_PER_DAY
                + i64::from(hour * 3600 + minute * 60 + second),
        })
    }

    /// The text, `YYYYMMDD'T'HHMMSS'Z'`.
    pub(crate) fn text(&self) -> &[u8; 16] {
        &self.text
    }

    /// `YYYYMMDD`, the first element of the credential scope.
    pub(crate) fn date(&self) -> &str {
        core::str::from_utf8(&self.text[..8]).expect("digits are ASCII")
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

    /// The signing instant: whole seconds since the Unix epoch.
    pub(crate) fn unix(&self) -> i64 {
        self.unix
    }
}

/// The instant `unix` seconds after the epoch, for a `unix` within years 0000 ..= 9999 (an
/// [`AmzDate`]'s, or an expiry checked against [`LAST_UNIX`]), all of which `time` holds.
/// Total: a value outside is clamped into the range first, so no call can fail.
pub(crate) fn instant(unix: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(unix.clamp(FIRST_UNIX, LAST_UNIX))
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

/// `(year, month, day)` of the proleptic Gregorian date `days` after 1970-01-01, for days
/// in years 0 ..= 9999. The calendar repeats every 400 years (146 097 days); counting from
/// 0000-03-01 puts the leap day at the end of each year, so month lengths follow the
/// pattern 31, 30, 31, 30, 31 from March, which `(153 * m + 2) / 5` captures.
fn civil_from_days(days: i64) -> (u32, u32, u32) {
    // Days since 0000-03-01; non-negative for every year from 0000 on, once the two
    // months of year 0 before March are handled by the shift below.
    let from_march = days + 719_468;
    let era = from_march.div_euclid(146_097);
    let day_of_era = from_march.rem_euclid(146_097) as u32; // 0 ..= 146 096
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153; // 0 = March ..= 11 = February
    let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    };
    let year = u32::try_from(era * 400 + i64::from(year_of_era) + i64::from(month <= 2))
        .expect("the caller keeps `days` within years 0 ..= 9999");
    (year, month, day)
}

/// The days from 1970-01-01 to the proleptic Gregorian date `year-month-day` (years
/// 0 ..= 9999, a valid date): [`civil_from_days`] backwards, from 0000-03-01 again.
fn days_from_civil(year: u32, month: u32, day: u32) -> i64 {
    let year = i64::from(year) - i64::from(month <= 2);
    let era = year.div_euclid(400);
    let year_of_era = year.rem_euclid(400); // 0 ..= 399
    let month_from_march = i64::from((month + 9) % 12); // 0 = March ..= 11 = February
    let day_of_year = (153 * month_from_march + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The four two-digit numbers that eight ASCII digits spell (the first digit in the low
/// byte of `word`), or `None` if any byte is not a digit: eight at a time, with no branch
/// per digit.
#[inline]
fn date_pairs(word: u64) -> Option<[u32; 4]> {
    const HIGH_NIBBLES: u64 = 0xF0F0_F0F0_F0F0_F0F0;
    const DIGIT_HIGH: u64 = 0x3030_3030_3030_3030;
    // Every byte is within 0x30 ..= 0x3F, and stays there when 6 is added: 0x30 ..= 0x39.
    // No addition carries out of its byte (0x3F + 6 < 0x100).
    if word & HIGH_NIBBLES != DIGIT_HIGH
        || word.wrapping_add(0x0606_0606_0606_0606) & HIGH_NIBBLES != DIGIT_HIGH
    {
        return None;
    }
    let digits = word & 0x0F0F_0F0F_0F0F_0F0F;
    // Byte 2k becomes ten times digit 2k plus digit 2k + 1 (at most 99: no carry).
    let pairs = (digits * 10 + (digits >> 8)) & 0x00FF_00FF_00FF_00FF;
    Some([0, 1, 2, 3].map(|k| (pairs >> (16 * k)) as u32 & 0xFF))
}

/// How many days `month` (1 ..= 12) of `year` has.
fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Writes `value` (below 100) as two decimal digits.
fn put_two_digits(out: &mut [u8], value: u32) {
    /// "00" ..= "99", so each pair is one table load.
    const PAIRS: [[u8; 2]; 100] = {
        let mut pairs = [[0u8; 2]; 100];
        let mut i = 0;
        while i < 100 {
            pairs[i] = [b'0' + (i / 10) as u8, b'0' + (i % 10) as u8];
            i += 1;
        }
        pairs
    };
    if let (Some(slot), Some(pair)) = (out.get_mut(..2), PAIRS.get(value as usize)) {
        slot.copy_from_slice(pair);
    }
}

#[cfg(test)]
mod tests {
    use time::{Duration, OffsetDateTime, UtcOffset};

    use super::*;

    /// The basic ISO 8601 form `time` itself renders, for comparing against.
    fn rendered_by_time(t: OffsetDateTime) -> alloc::string::String {
        let utc = t.to_offset(UtcOffset::UTC);
        alloc::format!(
            "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
            utc.year(),
            u8::from(utc.month()),
            utc.day(),
            utc.hour(),
            utc.minute(),
            utc.second()
        )
    }

    /// Every day from 0000-01-01 to 9999-12-31 (about 3.65 million), at a time of day that
    /// moves through the whole day, matches `time`'s own calendar.
    #[test]
    fn every_day_of_four_digit_years_matches_time() {
        let mut t = OffsetDateTime::from_unix_timestamp(FIRST_UNIX).expect("year 0");
        let mut n: i64 = 0;
        while t.unix_timestamp() <= LAST_UNIX - SECONDS_PER_DAY {
            let at = t + Duration::seconds(n.wrapping_mul(7919) % SECONDS_PER_DAY);
            let date = AmzDate::new(at).expect("in range");
            assert_eq!(
                date.timestamp_bytes(),
                rendered_by_time(at).as_bytes(),
                "{at}"
            );
            // And read back: the same instant.
            assert_eq!(AmzDate::parse(date.text), Some(date), "{at}");
            t += Duration::DAY;
            n += 1;
        }
        assert_eq!(n, 3_652_424, "days from 0000-01-01 to 9999-12-30");
    }

    /// What is no instant is not read: each field just out of range, a 29th of February
    /// outside leap years (1900 and 2100 are none, 2000 is one), other letters, non-digits.
    #[test]
    fn parse_refuses_any_stray_byte() {
        // Each place of a valid text, given every byte that does not belong there: the
        // eight-at-a-time digit test against a byte-by-byte one.
        let good = *b"20261124T035649Z";
        for at in 0..16 {
            for byte in 0..=u8::MAX {
                let fits = match at {
                    8 => byte == b'T',
                    15 => byte == b'Z',
                    _ => byte.is_ascii_digit(),
                };
                let mut text = good;
                text[at] = byte;
                if !fits {
                    assert_eq!(AmzDate::parse(text), None, "{at} {byte:#04x}");
                }
            }
        }
    }

    #[test]
    fn parse_refuses_what_names_no_instant() {
        for bad in [
            "20261301T000000Z",
            "20260001T000000Z",
            "20260100T000000Z",
            "20260132T000000Z",
            "20260431T000000Z",
            "20260229T000000Z",
            "19000229T000000Z",
            "21000229T000000Z",
            "20260101T240000Z",
            "20260101T006000Z",
            "20260101T000060Z",
            "20260101 000000Z",
            "20260101T000000z",
            "2026010AT000000Z",
            "2026-101T000000Z",
            "20260101T00000/Z",
        ] {
            let text: [u8; 16] = bad.as_bytes().try_into().expect("16 bytes");
            assert_eq!(AmzDate::parse(text), None, "{bad}");
        }
        for good in [
            "20000229T000000Z",
            "20240229T235959Z",
            "00000101T000000Z",
            "99991231T235959Z",
        ] {
            let text: [u8; 16] = good.as_bytes().try_into().expect("16 bytes");
            let date = AmzDate::parse(text).expect(good);
            let time = OffsetDateTime::from_unix_timestamp(date.unix()).expect("in range");
            assert_eq!(rendered_by_time(time), good);
        }
    }

    /// The ends of the range, and the instants just outside it.
    #[test]
    fn range_ends() {
        let first = OffsetDateTime::from_unix_timestamp(FIRST_UNIX).expect("year 0");
        assert_eq!(
            AmzDate::new(first).expect("first").timestamp_bytes(),
            b"00000101T000000Z"
        );
        let last = OffsetDateTime::from_unix_timestamp(LAST_UNIX).expect("year 9999");
        assert_eq!(
            AmzDate::new(last).expect("last").timestamp_bytes(),
            b"99991231T235959Z"
        );
        assert!(AmzDate::new(first - Duration::SECOND).is_err());
        let offset = UtcOffset::from_hms(-1, 0, 0).expect("offset");
        assert!(AmzDate::new(last.to_offset(offset) + Duration::SECOND).is_err());
    }
}
