//! Money: an integer number of yuan (元), entered and shown in 万元 (ten thousand yuan).
//!
//! Plans and reports speak 万元 with up to four decimals (one yuan = 0.0001 万元), so every
//! amount a person can type in 万元 is exact in yuan. Floats never hold money.

use crate::error::ValidationError;
use serde::{Deserialize, Serialize};
use std::fmt;

/// An amount of money in yuan. Non-negative amounts are the rule for investment figures;
/// [`Money::parse_wan`] refuses negatives, arithmetic may produce them (differences).
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Money(i64);

const YUAN_PER_WAN: i64 = 10_000;

impl Money {
    pub const ZERO: Money = Money(0);

    pub const fn from_yuan(yuan: i64) -> Self {
        Money(yuan)
    }

    pub const fn yuan(self) -> i64 {
        self.0
    }

    /// A whole number of 万元.
    pub const fn from_wan(wan: i64) -> Self {
        Money(wan * YUAN_PER_WAN)
    }

    /// Parses an amount typed in 万元: `1234`, `1,234.5`, `0.0001`. Refuses negative amounts,
    /// more than four decimals, and anything that is not a plain decimal number.
    pub fn parse_wan(field: &str, input: &str) -> Result<Self, ValidationError> {
        let err = || {
            ValidationError::new(
                field,
                input,
                "不小于 0 的金额（万元，最多四位小数），如 1234.5",
                "a non-negative amount in 万元 with at most four decimals, e.g. 1234.5",
            )
        };
        let cleaned: String = input
            .trim()
            .chars()
            .filter(|c| *c != ',' && *c != '，')
            .collect();
        if cleaned.is_empty() || cleaned.starts_with('-') {
            return Err(err());
        }
        let (whole, frac) = match cleaned.split_once('.') {
            Some((w, f)) => (w, f),
            None => (cleaned.as_str(), ""),
        };
        let digits_only = |s: &str| s.chars().all(|c| c.is_ascii_digit());
        if (whole.is_empty() && frac.is_empty())
            || !digits_only(whole)
            || !digits_only(frac)
            || frac.len() > 4
        {
            return Err(err());
        }
        let whole: i64 = if whole.is_empty() {
            0
        } else {
            whole.parse().map_err(|_| err())?
        };
        let frac_yuan: i64 = if frac.is_empty() {
            0
        } else {
            format!("{frac:0<4}").parse().map_err(|_| err())?
        };
        whole
            .checked_mul(YUAN_PER_WAN)
            .and_then(|y| y.checked_add(frac_yuan))
            .map(Money)
            .ok_or_else(err)
    }

    /// The amount in 万元 as a float, for charts and ratios only (never for storage).
    pub fn as_wan_f64(self) -> f64 {
        self.0 as f64 / YUAN_PER_WAN as f64
    }

    /// The amount in 万元 with two decimals and thousands separators: `12,345.67`.
    pub fn format_wan(self) -> String {
        // Round half away from zero to the nearest 100 yuan (0.01 万元).
        let hundreds = if self.0 >= 0 {
            (self.0 + 50) / 100
        } else {
            (self.0 - 50) / 100
        };
        let sign = if hundreds < 0 { "-" } else { "" };
        let abs = hundreds.unsigned_abs();
        format!("{sign}{}.{:02}", group_thousands(abs / 100), abs % 100)
    }

    pub fn checked_add(self, other: Money) -> Option<Money> {
        self.0.checked_add(other.0).map(Money)
    }

    pub fn saturating_sub(self, other: Money) -> Money {
        Money(self.0.saturating_sub(other.0))
    }

    pub fn is_negative(self) -> bool {
        self.0 < 0
    }
}

impl std::iter::Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        Money(iter.map(|m| m.0).sum())
    }
}

impl std::ops::Add for Money {
    type Output = Money;
    fn add(self, rhs: Money) -> Money {
        Money(self.0 + rhs.0)
    }
}

impl std::ops::Sub for Money {
    type Output = Money;
    fn sub(self, rhs: Money) -> Money {
        Money(self.0 - rhs.0)
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} 万元", self.format_wan())
    }
}

fn group_thousands(mut n: u64) -> String {
    let mut groups = Vec::new();
    loop {
        if n < 1000 {
            groups.push(n.to_string());
            break;
        }
        groups.push(format!("{:03}", n % 1000));
        n /= 1000;
    }
    groups.reverse();
    groups.join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_wan_amounts_exactly() {
        let cases = [
            ("1234", 12_340_000),
            ("1,234.5", 12_345_000),
            ("0.0001", 1),
            ("12.34", 123_400),
            (" 7 ", 70_000),
            (".5", 5_000),
        ];
        for (input, yuan) in cases {
            assert_eq!(
                Money::parse_wan("f", input).unwrap().yuan(),
                yuan,
                "{input}"
            );
        }
    }

    #[test]
    fn refuses_negative_and_malformed_amounts() {
        for input in ["-1", "", "abc", "1.23456", "1e5", "1.2.3", "１２", "."] {
            let err = Money::parse_wan("total_investment", input).unwrap_err();
            assert_eq!(err.field, "total_investment");
            assert!(err.expected_zh.contains("万元"), "{input}");
        }
    }

    #[test]
    fn refuses_amounts_that_overflow() {
        assert!(Money::parse_wan("f", "999999999999999999").is_err());
    }

    #[test]
    fn formats_in_wan_with_separators() {
        assert_eq!(Money::from_yuan(123_456_789).format_wan(), "12,345.68");
        assert_eq!(Money::from_yuan(0).format_wan(), "0.00");
        assert_eq!(Money::from_yuan(-15_000).format_wan(), "-1.50");
        assert_eq!(Money::from_wan(1_000_000).to_string(), "1,000,000.00 万元");
    }
}
