//! Calendar values of the domain: [`YearMonth`] (a reporting period), [`Date`] (a due
//! date, a permit's validity end) and [`Percent`] (physical progress).
//!
//! Nothing here reads the wall clock: the reference period is always data or a flag.

use crate::error::ValidationError;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A reporting period: one calendar month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearMonth {
    year: i32,
    month: u8,
}

impl YearMonth {
    pub fn new(year: i32, month: u32) -> Option<Self> {
        ((1900..=2200).contains(&year) && (1..=12).contains(&month)).then_some(YearMonth {
            year,
            month: month as u8,
        })
    }

    /// Parses `YYYY-MM` (also accepts `YYYY年M月`).
    pub fn parse(field: &str, input: &str) -> Result<Self, ValidationError> {
        let err = || {
            ValidationError::new(
                field,
                input,
                "年月，格式 YYYY-MM，如 2026-10",
                "a month as YYYY-MM, e.g. 2026-10",
            )
        };
        let s = input.trim();
        let (y, m) = if let Some((y, rest)) = s.split_once('年') {
            (y, rest.strip_suffix('月').ok_or_else(err)?)
        } else {
            let (y, m) = s.split_once('-').ok_or_else(err)?;
            if m.len() != 2 {
                return Err(err());
            }
            (y, m)
        };
        if y.len() != 4
            || !y.chars().all(|c| c.is_ascii_digit())
            || !m.chars().all(|c| c.is_ascii_digit())
        {
            return Err(err());
        }
        let year: i32 = y.parse().map_err(|_| err())?;
        let month: u32 = m.parse().map_err(|_| err())?;
        YearMonth::new(year, month).ok_or_else(err)
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn month(self) -> u32 {
        u32::from(self.month)
    }

    /// The period as one sortable integer, `YYYYMM` (how the store keeps it).
    pub fn as_key(self) -> i64 {
        i64::from(self.year) * 100 + i64::from(self.month)
    }

    pub fn from_key(key: i64) -> Option<Self> {
        YearMonth::new(
            i32::try_from(key / 100).ok()?,
            u32::try_from(key % 100).ok()?,
        )
    }

    pub fn next(self) -> Self {
        if self.month == 12 {
            YearMonth {
                year: self.year + 1,
                month: 1,
            }
        } else {
            YearMonth {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    pub fn prev(self) -> Self {
        if self.month == 1 {
            YearMonth {
                year: self.year - 1,
                month: 12,
            }
        } else {
            YearMonth {
                year: self.year,
                month: self.month - 1,
            }
        }
    }

    /// Months from `self` to `later` (negative when `later` is earlier).
    pub fn months_until(self, later: YearMonth) -> i64 {
        (i64::from(later.year) * 12 + i64::from(later.month))
            - (i64::from(self.year) * 12 + i64::from(self.month))
    }

    /// Every month from `self` to `last`, both included.
    pub fn through(self, last: YearMonth) -> impl Iterator<Item = YearMonth> {
        let count = self.months_until(last).max(-1) + 1;
        std::iter::successors(Some(self), |m| Some(m.next())).take(count as usize)
    }

    pub fn first_day(self) -> Date {
        Date {
            year: self.year,
            month: self.month,
            day: 1,
        }
    }

    pub fn last_day(self) -> Date {
        Date {
            year: self.year,
            month: self.month,
            day: days_in_month(self.year, u32::from(self.month)) as u8,
        }
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl Serialize for YearMonth {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for YearMonth {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        YearMonth::parse("year_month", &s).map_err(serde::de::Error::custom)
    }
}

/// A calendar date (no time, no zone).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: i32,
    month: u8,
    day: u8,
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 31,
    }
}

impl Date {
    pub fn new(year: i32, month: u32, day: u32) -> Option<Self> {
        let month_ok = (1..=12).contains(&month);
        (month_ok && (1900..=2200).contains(&year) && day >= 1 && day <= days_in_month(year, month))
            .then_some(Date {
                year,
                month: month as u8,
                day: day as u8,
            })
    }

    /// Parses `YYYY-MM-DD`.
    pub fn parse(field: &str, input: &str) -> Result<Self, ValidationError> {
        let err = || {
            ValidationError::new(
                field,
                input,
                "日期，格式 YYYY-MM-DD，如 2026-10-31",
                "a date as YYYY-MM-DD, e.g. 2026-10-31",
            )
        };
        let parts: Vec<&str> = input.trim().split('-').collect();
        let [y, m, d] = parts.as_slice() else {
            return Err(err());
        };
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return Err(err());
        }
        let num = |s: &str| -> Result<u32, ValidationError> {
            if s.chars().all(|c| c.is_ascii_digit()) {
                s.parse().map_err(|_| err())
            } else {
                Err(err())
            }
        };
        let year = i32::try_from(num(y)?).map_err(|_| err())?;
        Date::new(year, num(m)?, num(d)?).ok_or_else(err)
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn month(self) -> u32 {
        u32::from(self.month)
    }

    pub fn day(self) -> u32 {
        u32::from(self.day)
    }

    pub fn year_month(self) -> YearMonth {
        YearMonth {
            year: self.year,
            month: self.month,
        }
    }

    /// Days since 1970-01-01 (negative before), for differences between dates.
    pub fn days_since_epoch(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    pub fn days_until(self, later: Date) -> i64 {
        later.days_since_epoch() - self.days_since_epoch()
    }
}

impl Date {
    /// The date `days` after 1970-01-01 (Howard Hinnant's civil_from_days).
    pub fn from_days_since_epoch(days: i64) -> Option<Date> {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        Date::new(i32::try_from(year).ok()?, month as u32, day as u32)
    }
}

/// An instant, in whole seconds since 1970-01-01 UTC. Where time matters (sessions,
/// tokens, the audit trail) it is passed in by the caller, never read here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Timestamp(pub i64);

impl Timestamp {
    pub fn date(self) -> Date {
        Date::from_days_since_epoch(self.0.div_euclid(86_400)).unwrap_or(Date {
            year: 1970,
            month: 1,
            day: 1,
        })
    }

    pub fn plus_seconds(self, seconds: i64) -> Timestamp {
        Timestamp(self.0.saturating_add(seconds))
    }

    /// Parses the ISO form [`Timestamp`] displays as.
    pub fn parse(field: &str, input: &str) -> Result<Timestamp, ValidationError> {
        let err = || {
            ValidationError::new(
                field,
                input,
                "时间，格式 YYYY-MM-DDTHH:MM:SSZ",
                "a UTC time as YYYY-MM-DDTHH:MM:SSZ",
            )
        };
        let (date, time) = input
            .trim()
            .strip_suffix('Z')
            .and_then(|s| s.split_once('T'))
            .ok_or_else(err)?;
        let date = Date::parse(field, date).map_err(|_| err())?;
        let parts: Vec<i64> = time
            .split(':')
            .map(|p| p.parse::<i64>())
            .collect::<Result<_, _>>()
            .map_err(|_| err())?;
        let [h, m, sec] = parts.as_slice() else {
            return Err(err());
        };
        if !(0..24).contains(h) || !(0..60).contains(m) || !(0..60).contains(sec) {
            return Err(err());
        }
        Ok(Timestamp(
            date.days_since_epoch() * 86_400 + h * 3_600 + m * 60 + sec,
        ))
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let secs = self.0.rem_euclid(86_400);
        write!(
            f,
            "{}T{:02}:{:02}:{:02}Z",
            self.date(),
            secs / 3_600,
            secs % 3_600 / 60,
            secs % 60
        )
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Date::parse("date", &s).map_err(serde::de::Error::custom)
    }
}

/// A percentage between 0 and 100 with two decimals, kept as basis points (0..=10000).
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(try_from = "f64", into = "f64")]
pub struct Percent(u16);

impl Percent {
    pub const ZERO: Percent = Percent(0);
    pub const FULL: Percent = Percent(10_000);

    pub fn from_basis_points(bp: i64) -> Option<Self> {
        (0..=10_000).contains(&bp).then_some(Percent(bp as u16))
    }

    pub fn basis_points(self) -> i64 {
        i64::from(self.0)
    }

    /// Parses `45`, `45.5`, `45.25%` (0 to 100, at most two decimals).
    pub fn parse(field: &str, input: &str) -> Result<Self, ValidationError> {
        let err = || {
            ValidationError::new(
                field,
                input,
                "0 到 100 之间的百分数，最多两位小数，如 45.5",
                "a percentage from 0 to 100 with at most two decimals, e.g. 45.5",
            )
        };
        let s = input.trim().trim_end_matches(['%', '％']).trim();
        let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
        let digits = |t: &str| t.chars().all(|c| c.is_ascii_digit());
        if whole.is_empty() || !digits(whole) || !digits(frac) || frac.len() > 2 || whole.len() > 3
        {
            return Err(err());
        }
        let bp = whole.parse::<i64>().map_err(|_| err())? * 100
            + if frac.is_empty() {
                0
            } else {
                format!("{frac:0<2}").parse::<i64>().map_err(|_| err())?
            };
        Percent::from_basis_points(bp).ok_or_else(err)
    }

    pub fn as_f64(self) -> f64 {
        f64::from(self.0) / 100.0
    }

    /// A fraction in 0..=1.
    pub fn fraction(self) -> f64 {
        f64::from(self.0) / 10_000.0
    }
}

impl TryFrom<f64> for Percent {
    type Error = String;
    fn try_from(value: f64) -> Result<Self, String> {
        let bp = (value * 100.0).round();
        if value.is_finite() && (0.0..=10_000.0).contains(&bp) {
            Ok(Percent(bp as u16))
        } else {
            Err(format!("百分数应在 0 到 100 之间: {value}"))
        }
    }
}

impl From<Percent> for f64 {
    fn from(p: Percent) -> f64 {
        p.as_f64()
    }
}

impl fmt::Display for Percent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_multiple_of(100) {
            write!(f, "{}%", self.0 / 100)
        } else {
            write!(f, "{:.2}%", self.as_f64())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn year_month_parses_both_notations() {
        assert_eq!(
            YearMonth::parse("p", "2026-10").unwrap(),
            YearMonth::new(2026, 10).unwrap()
        );
        assert_eq!(
            YearMonth::parse("p", "2026年3月").unwrap(),
            YearMonth::new(2026, 3).unwrap()
        );
        for bad in [
            "2026-13",
            "2026-00",
            "26-10",
            "2026/10",
            "2026-1",
            "",
            "abcd-ef",
            "2026-10-01",
        ] {
            assert!(YearMonth::parse("period", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn year_month_steps_and_counts_across_years() {
        let dec = YearMonth::new(2025, 12).unwrap();
        assert_eq!(dec.next(), YearMonth::new(2026, 1).unwrap());
        assert_eq!(dec.next().prev(), dec);
        assert_eq!(
            YearMonth::new(2023, 1)
                .unwrap()
                .months_until(YearMonth::new(2026, 10).unwrap()),
            45
        );
        assert_eq!(
            YearMonth::new(2023, 11)
                .unwrap()
                .through(YearMonth::new(2024, 2).unwrap())
                .count(),
            4
        );
        assert_eq!(YearMonth::from_key(202610), YearMonth::new(2026, 10));
        assert_eq!(dec.last_day().to_string(), "2025-12-31");
    }

    #[test]
    fn date_validates_calendar() {
        assert!(Date::parse("d", "2024-02-29").is_ok());
        for bad in [
            "2023-02-29",
            "2024-04-31",
            "2024-4-1",
            "2024-01-01T00:00",
            "yesterday",
        ] {
            assert!(Date::parse("d", bad).is_err(), "{bad}");
        }
        let a = Date::parse("d", "2024-02-28").unwrap();
        let b = Date::parse("d", "2024-03-01").unwrap();
        assert_eq!(a.days_until(b), 2);
        assert_eq!(Date::new(1970, 1, 1).unwrap().days_since_epoch(), 0);
    }

    #[test]
    fn timestamps_round_trip_through_their_iso_form() {
        let t = Timestamp(1_795_000_000);
        assert_eq!(Timestamp::parse("t", &t.to_string()).unwrap(), t);
        assert_eq!(Timestamp(0).to_string(), "1970-01-01T00:00:00Z");
        assert_eq!(
            Timestamp::parse("t", "2026-11-28T22:02:47Z")
                .unwrap()
                .date()
                .to_string(),
            "2026-11-28"
        );
        for days in [-25_000, -1, 0, 59, 60, 20_000, 80_000] {
            let d = Date::from_days_since_epoch(days).unwrap();
            assert_eq!(d.days_since_epoch(), days);
        }
        assert!(Timestamp::parse("t", "2026-11-28 22:02:47").is_err());
    }

    #[test]
    fn percent_accepts_0_to_100_with_two_decimals() {
        assert_eq!(Percent::parse("p", "45.5").unwrap().basis_points(), 4550);
        assert_eq!(Percent::parse("p", "100%").unwrap(), Percent::FULL);
        for bad in ["-1", "100.01", "101", "abc", "1.234", ""] {
            assert!(Percent::parse("progress", bad).is_err(), "{bad}");
        }
        assert_eq!(
            Percent::from_basis_points(4550).unwrap().to_string(),
            "45.50%"
        );
    }
}
