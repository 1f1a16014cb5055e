//! Calendar dates without time zones: all rules compare whole days (reference date: `--date`, the file's
//! `date`, or today).

use std::fmt;

/// A proleptic Gregorian calendar date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: i32,
    month: u8,
    day: u8,
}

impl Date {
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date { year, month, day })
    }

    /// Parses `YYYY-MM-DD` (full-width digits allowed; nothing else).
    pub fn parse(s: &str) -> Option<Date> {
        let s = crate::text::nfkc(s);
        let mut parts = s.split('-');
        let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() || y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return None;
        }
        if !(y.bytes().chain(m.bytes()).chain(d.bytes())).all(|b| b.is_ascii_digit()) {
            return None;
        }
        Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
    }

    /// Parses `YYYYMMDD` (as in ID numbers).
    pub fn parse_compact(s: &str) -> Option<Date> {
        if s.len() != 8 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        Date::new(
            s.get(0..4)?.parse().ok()?,
            s.get(4..6)?.parse().ok()?,
            s.get(6..8)?.parse().ok()?,
        )
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn month(self) -> u8 {
        self.month
    }

    pub fn day(self) -> u8 {
        self.day
    }

    /// Days since 1970-01-01 (negative before).
    pub fn days(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let mp = if m > 2 { m - 3 } else { m + 9 };
        let doy = (153 * mp + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    pub fn from_days(z: i64) -> Date {
        let z = z + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    /// `other - self` in days.
    pub fn days_until(self, other: Date) -> i64 {
        other.days() - self.days()
    }

    /// Completed years from `self` (a birth date) to `on`: a person reaches the new age on the birthday, and a
    /// 29 February birthday counts from 1 March in common years (the conservative reading).
    pub fn age_on(self, on: Date) -> i32 {
        let before_birthday = (on.month, on.day) < (self.month, self.day);
        on.year - self.year - i32::from(before_birthday)
    }

    /// Today in Asia/Shanghai (UTC+8 all year since 1991), so a CI runner on UTC is not a day behind the 管局.
    pub fn today_shanghai() -> Date {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0);
        Date::from_days((secs + 8 * 3600).div_euclid(86_400))
    }
}

fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_and_rejects() {
        assert_eq!(Date::parse("2026-12-01"), Date::new(2026, 12, 1));
        assert!(Date::parse("2026-02-30").is_none());
        assert!(Date::parse("2026-2-3").is_none());
        assert!(Date::parse("2026-12-01x").is_none());
        assert_eq!(Date::parse("2024-02-29"), Date::new(2024, 2, 29));
        assert!(Date::parse("2023-02-29").is_none());
    }

    #[test]
    fn leap_day_birthday_counts_from_march_first() {
        let birth = Date::new(2008, 2, 29).unwrap();
        assert_eq!(birth.age_on(Date::new(2026, 2, 28).unwrap()), 17);
        assert_eq!(birth.age_on(Date::new(2026, 3, 1).unwrap()), 18);
        assert_eq!(birth.age_on(Date::new(2028, 2, 29).unwrap()), 20);
    }

    #[test]
    fn day_arithmetic() {
        let a = Date::new(2026, 12, 1).unwrap();
        assert_eq!(a.days_until(Date::new(2027, 2, 15).unwrap()), 76);
        assert_eq!(Date::new(1970, 1, 1).unwrap().days(), 0);
    }

    proptest! {
        #[test]
        fn days_roundtrip(z in -800_000i64..800_000) {
            let d = Date::from_days(z);
            prop_assert_eq!(d.days(), z);
            prop_assert_eq!(Date::parse(&d.to_string()).map(Date::days), if (0..=9999).contains(&d.year()) { Some(z) } else { None });
        }
    }
}
