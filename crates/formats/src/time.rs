//! Timestamps as exports write them, turned into seconds since the Unix epoch (UTC).
//!
//! [`parse_time`] accepts the two shapes social exports use:
//!
//! - **ISO-8601 / RFC 3339**: a date `2024-03-01` (midnight UTC), or a date and time
//!   `2024-03-01T12:30:00` with `T`, `t` or a space between them, seconds optional
//!   (`2024-03-01T12:30`), fractional seconds of any length (`12:30:00.123456`, dropped — the
//!   result is the whole second the instant falls in), and an optional zone: `Z`/`z`, `+02:00`,
//!   `-0530` or `+02`. No zone means UTC.
//! - **Unix seconds**: an integer (`1709296200`, `-86400`) or a decimal (`1709296200.75`,
//!   `1.7092962e9`), rounded down to the whole second.
//!
//! A string of digits alone is always Unix seconds, never a compact ISO date (`20240301` is
//! 20,240,301 seconds after the epoch). Anything else — empty strings, `NaN`, month 13,
//! February 30th, out-of-range offsets — gives `None`.
//!
//! Calendar arithmetic uses Howard Hinnant's `days_from_civil` algorithm (proleptic Gregorian
//! calendar, exact for every year of `i32`), so no date library is needed.

/// Seconds in a day.
const DAY: i64 = 86_400;

/// The number of days from 1970-01-01 to the date `year-month-day` of the proleptic Gregorian
/// calendar (negative before 1970). `month` is 1–12 and `day` 1–31; the date is not checked.
///
/// Howard Hinnant, "chrono-Compatible Low-Level Date Algorithms", `days_from_civil`.
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400); // [0, 399]
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1; // [0, 365]
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy; // [0, 146096]
    era * 146_097 + doe - 719_468
}

/// The date `(year, month, day)` that lies `days` days after 1970-01-01: the inverse of
/// [`days_from_civil`].
///
/// Howard Hinnant, "chrono-Compatible Low-Level Date Algorithms", `civil_from_days`.
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097); // [0, 146096]
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365; // [0, 399]
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // [0, 365]
    let mp = (5 * doy + 2) / 153; // [0, 11]
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32; // [1, 31]
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32; // [1, 12]
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// Whether `year` is a leap year of the Gregorian calendar.
pub fn is_leap_year(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// The number of days in `month` (1–12) of `year`; 0 for a month outside 1–12.
pub fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Parses a timestamp (ISO-8601 date or date-time, or Unix seconds) into seconds since
/// 1970-01-01T00:00:00Z; `None` when `s` is neither. Surrounding whitespace is ignored.
///
/// ```
/// use contextivity_formats::time::parse_time;
///
/// assert_eq!(parse_time("2024-03-01"), Some(1_709_251_200));
/// assert_eq!(parse_time("2024-03-01T12:30:00Z"), Some(1_709_296_200));
/// assert_eq!(parse_time("2024-03-01T14:30:00.250+02:00"), Some(1_709_296_200));
/// assert_eq!(parse_time("1709296200"), Some(1_709_296_200));
/// assert_eq!(parse_time("1709296200.9"), Some(1_709_296_200));
/// assert_eq!(parse_time("yesterday"), None);
/// ```
pub fn parse_time(s: &str) -> Option<i64> {
    let s = s.trim();
    let b = s.as_bytes();
    // An ISO date starts with four digits and a dash; everything else numeric is Unix time.
    if b.len() >= 10 && b[..4].iter().all(u8::is_ascii_digit) && b[4] == b'-' {
        parse_iso(b)
    } else {
        parse_unix(s)
    }
}

/// Unix seconds: `[+-]digits[.digits]`, or a float in exponent notation; rounded down.
fn parse_unix(s: &str) -> Option<i64> {
    let (negative, unsigned) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let (int, frac) = match unsigned.split_once('.') {
        Some((i, f)) => (i, f),
        None => (unsigned, ""),
    };
    let digits = |t: &str| t.bytes().all(|c| c.is_ascii_digit());
    if digits(int) && digits(frac) && !(int.is_empty() && frac.is_empty()) {
        let whole: i64 = if int.is_empty() { 0 } else { int.parse().ok()? };
        let has_fraction = frac.bytes().any(|c| c != b'0');
        return Some(match (negative, has_fraction) {
            (false, _) => whole,
            (true, false) => -whole,
            (true, true) => (-whole).checked_sub(1)?,
        });
    }
    // Exponent notation as spreadsheets and data frames write large numbers: 1.7092962e9.
    if !unsigned.bytes().any(|c| c == b'e' || c == b'E')
        || !unsigned
            .bytes()
            .all(|c| c.is_ascii_digit() || matches!(c, b'.' | b'e' | b'E' | b'+' | b'-'))
    {
        return None;
    }
    let value: f64 = s.parse().ok()?;
    let floor = value.floor();
    // i64 covers ±9.2e18; stay well inside so the cast is exact and never saturates.
    (floor.is_finite() && floor.abs() < 9.0e18).then_some(floor as i64)
}

/// A cursor over the bytes of an ISO-8601 timestamp.
struct Cursor<'a> {
    b: &'a [u8],
    i: usize,
}

impl Cursor<'_> {
    /// Exactly `n` ASCII digits as a number.
    fn digits(&mut self, n: usize) -> Option<u32> {
        let part = self.b.get(self.i..self.i + n)?;
        let mut v = 0u32;
        for &c in part {
            if !c.is_ascii_digit() {
                return None;
            }
            v = v * 10 + u32::from(c - b'0');
        }
        self.i += n;
        Some(v)
    }

    /// Consumes `c` if it comes next.
    fn eat(&mut self, c: u8) -> bool {
        let hit = self.peek() == Some(c);
        if hit {
            self.i += 1;
        }
        hit
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn done(&self) -> bool {
        self.i == self.b.len()
    }
}

/// `YYYY-MM-DD[(T|t| )hh:mm[:ss[(.|,)f+]][Z|z|±hh[:mm]|±hhmm]]`.
fn parse_iso(b: &[u8]) -> Option<i64> {
    let mut c = Cursor { b, i: 0 };
    let year = i64::from(c.digits(4)?);
    if !c.eat(b'-') {
        return None;
    }
    let month = c.digits(2)?;
    if !c.eat(b'-') {
        return None;
    }
    let day = c.digits(2)?;
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    let date = days_from_civil(year, month, day) * DAY;
    if c.done() {
        return Some(date);
    }
    if !(c.eat(b'T') || c.eat(b't') || c.eat(b' ')) {
        return None;
    }
    let hour = c.digits(2)?;
    if !c.eat(b':') {
        return None;
    }
    let minute = c.digits(2)?;
    let mut second = 0;
    if c.eat(b':') {
        second = c.digits(2)?;
        if c.eat(b'.') || c.eat(b',') {
            let start = c.i;
            while c.peek().is_some_and(|d| d.is_ascii_digit()) {
                c.i += 1;
            }
            if c.i == start {
                return None;
            }
        }
    }
    // Second 60 is a leap second: it counts as the first second of the next minute.
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let clock = i64::from(hour * 3600 + minute * 60 + second);
    let offset = match c.peek() {
        None => 0,
        Some(b'Z' | b'z') => {
            c.i += 1;
            0
        }
        Some(sign @ (b'+' | b'-')) => {
            c.i += 1;
            let oh = c.digits(2)?;
            let om = if c.done() {
                0
            } else {
                c.eat(b':');
                c.digits(2)?
            };
            if oh > 23 || om > 59 {
                return None;
            }
            let o = i64::from(oh * 3600 + om * 60);
            if sign == b'-' {
                -o
            } else {
                o
            }
        }
        Some(_) => return None,
    };
    if !c.done() {
        return None;
    }
    Some(date + clock - offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_and_known_dates() {
        assert_eq!(parse_time("1970-01-01"), Some(0));
        assert_eq!(parse_time("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse_time("2000-01-01T00:00:00Z"), Some(946_684_800));
        assert_eq!(parse_time("2024-03-01"), Some(1_709_251_200));
        assert_eq!(parse_time("2024-03-01T12:30:00Z"), Some(1_709_296_200));
        assert_eq!(parse_time("2038-01-19T03:14:07Z"), Some(2_147_483_647));
        assert_eq!(parse_time("  2024-03-01T12:30:00Z\r"), Some(1_709_296_200));
    }

    #[test]
    fn separators_precision_and_missing_seconds() {
        let t = Some(1_709_296_200);
        assert_eq!(parse_time("2024-03-01t12:30:00z"), t);
        assert_eq!(parse_time("2024-03-01 12:30:00"), t);
        assert_eq!(parse_time("2024-03-01T12:30"), t);
        assert_eq!(parse_time("2024-03-01T12:30:00"), t);
        assert_eq!(parse_time("2024-03-01T12:30:00.999999999Z"), t);
        assert_eq!(parse_time("2024-03-01T12:30:00,5Z"), t);
        assert_eq!(parse_time("2024-03-01T12:30:00.5"), t);
    }

    #[test]
    fn offsets_shift_to_utc() {
        let t = Some(1_709_296_200);
        assert_eq!(parse_time("2024-03-01T14:30:00+02:00"), t);
        assert_eq!(parse_time("2024-03-01T14:30:00+0200"), t);
        assert_eq!(parse_time("2024-03-01T14:30:00+02"), t);
        assert_eq!(parse_time("2024-03-01T07:00:00-05:30"), t);
        assert_eq!(parse_time("2024-03-01T12:30:00.25-00:00"), t);
        // An offset can move the instant across midnight and across a year.
        assert_eq!(
            parse_time("2024-01-01T01:00:00+02:00"),
            parse_time("2023-12-31T23:00:00Z")
        );
        assert_eq!(
            parse_time("2024-03-01T23:30:00-01:00"),
            parse_time("2024-03-02T00:30:00Z")
        );
    }

    #[test]
    fn leap_years_follow_the_gregorian_rules() {
        assert!(parse_time("2024-02-29").is_some());
        assert!(parse_time("2000-02-29").is_some());
        assert!(parse_time("1600-02-29").is_some());
        assert_eq!(parse_time("2023-02-29"), None);
        assert_eq!(parse_time("1900-02-29"), None);
        assert_eq!(parse_time("2100-02-29"), None);
        assert_eq!(
            parse_time("2024-03-01")
                .zip(parse_time("2024-02-28"))
                .map(|(a, b)| a - b),
            Some(2 * DAY)
        );
        assert_eq!(
            parse_time("2023-03-01")
                .zip(parse_time("2023-02-28"))
                .map(|(a, b)| a - b),
            Some(DAY)
        );
        assert_eq!(days_in_month(2024, 2), 29);
        assert_eq!(days_in_month(1900, 2), 28);
        assert_eq!(days_in_month(2023, 13), 0);
    }

    #[test]
    fn before_1970_is_negative() {
        assert_eq!(parse_time("1969-12-31"), Some(-DAY));
        assert_eq!(parse_time("1969-12-31T23:59:59Z"), Some(-1));
        // A fraction drops to the start of its second, also before the epoch.
        assert_eq!(parse_time("1969-12-31T23:59:59.5Z"), Some(-1));
        assert_eq!(parse_time("1900-01-01T00:00:00Z"), Some(-2_208_988_800));
        assert_eq!(parse_time("0000-03-01"), Some(-62_162_035_200));
        assert_eq!(parse_time("-86400"), Some(-DAY));
    }

    #[test]
    fn unix_seconds_integer_and_decimal() {
        assert_eq!(parse_time("0"), Some(0));
        assert_eq!(parse_time("1709296200"), Some(1_709_296_200));
        assert_eq!(parse_time("+1709296200"), Some(1_709_296_200));
        assert_eq!(parse_time("1709296200.999"), Some(1_709_296_200));
        assert_eq!(parse_time("1709296200."), Some(1_709_296_200));
        assert_eq!(parse_time(".5"), Some(0));
        assert_eq!(parse_time("-1.5"), Some(-2));
        assert_eq!(parse_time("-2.000"), Some(-2));
        assert_eq!(parse_time("1.7092962e9"), Some(1_709_296_200));
        assert_eq!(parse_time("1.7092962E+09"), Some(1_709_296_200));
        // Digits alone are seconds, not a compact date.
        assert_eq!(parse_time("20240301"), Some(20_240_301));
        assert_eq!(parse_time("2024"), Some(2024));
    }

    #[test]
    fn garbage_is_rejected() {
        for s in [
            "",
            " ",
            "yesterday",
            "-",
            "+",
            ".",
            "1.2.3",
            "12abc",
            "0x10",
            "NaN",
            "inf",
            "1e999",
            "-1e999",
            "1e",
            "e5",
            "99999999999999999999",
            "2024-13-01",
            "2024-00-10",
            "2024-04-31",
            "2024-03-00",
            "2024-3-1",
            "2024/03/01",
            "2024-03-01T",
            "2024-03-01T24:00:00Z",
            "2024-03-01T12:60:00Z",
            "2024-03-01T12:30:61Z",
            "2024-03-01T12:30:00.Z",
            "2024-03-01T12:30:00+25:00",
            "2024-03-01T12:30:00+02:60",
            "2024-03-01T12:30:00+2",
            "2024-03-01T12:30:00 UTC",
            "2024-03-01T12:30:00ZZ",
            "2024-03-01X12:30",
            "2024-03-01T1:30",
            "2024-03-01T12",
            "2024-03-01garbage",
            "１９７０-01-01",
        ] {
            assert_eq!(parse_time(s), None, "{s:?} should not parse");
        }
    }

    #[test]
    fn leap_second_rolls_into_the_next_minute() {
        assert_eq!(
            parse_time("2016-12-31T23:59:60Z"),
            parse_time("2017-01-01T00:00:00Z")
        );
    }

    #[test]
    fn civil_round_trip_over_many_centuries() {
        for days in (-800_000..800_000).step_by(997) {
            let (y, m, d) = civil_from_days(days);
            assert!((1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m));
            assert_eq!(days_from_civil(y, m, d), days, "{y}-{m}-{d}");
        }
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
        assert_eq!(civil_from_days(19_782), (2024, 2, 29));
        assert_eq!(civil_from_days(19_783), (2024, 3, 1));
    }

    #[test]
    fn consecutive_days_are_one_day_apart() {
        let mut prev = days_from_civil(1899, 12, 31);
        for year in 1900..=2100 {
            for month in 1..=12 {
                for day in 1..=days_in_month(year, month) {
                    let d = days_from_civil(year, month, day);
                    assert_eq!(d, prev + 1, "{year}-{month}-{day}");
                    prev = d;
                }
            }
        }
    }
}
