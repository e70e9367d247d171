//! Official codes: the GB/T 2260 administrative division code of a county and the national
//! fixed-asset investment project code (项目代码, 发改投资〔2020〕1439号, GB/T 40058-2021).

use crate::error::ValidationError;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// Province-level prefixes of GB/T 2260 (two digits). Kept here because they are settled
/// by the standard and have not changed since 1997 (Chongqing, 50).
const PROVINCE_PREFIXES: [u8; 34] = [
    11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52,
    53, 54, 61, 62, 63, 64, 65, 71, 81, 82,
];

/// A six-digit administrative division code (行政区划代码, GB/T 2260), e.g. `211122` for
/// 盘山县. Levels: `PP0000` province, `PPCC00` city, `PPCCDD` county.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DivisionCode(u32);

/// The level a division code designates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DivisionLevel {
    Province,
    City,
    County,
}

impl DivisionCode {
    pub fn parse(field: &str, input: &str) -> Result<Self, ValidationError> {
        let err = |why_zh: &str, why_en: &str| {
            ValidationError::new(
                field,
                input,
                format!("六位行政区划代码（GB/T 2260），{why_zh}"),
                format!("a six-digit GB/T 2260 division code; {why_en}"),
            )
        };
        let s = input.trim();
        if s.len() != 6 || !s.chars().all(|c| c.is_ascii_digit()) {
            return Err(err(
                "须为 6 位数字，如 211122",
                "exactly six digits, e.g. 211122",
            ));
        }
        let n: u32 = s.parse().map_err(|_| err("须为 6 位数字", "six digits"))?;
        let province = (n / 10_000) as u8;
        if !PROVINCE_PREFIXES.contains(&province) {
            return Err(err(
                "前两位须为有效的省级代码（如 21 辽宁）",
                "the first two digits must be a province (e.g. 21 Liaoning)",
            ));
        }
        if (n / 100).is_multiple_of(100) && !n.is_multiple_of(100) {
            // A county directly under a province is coded PP90DD; PP00DD is not a code.
            return Err(err(
                "第三、四位为 00 时后两位也须为 00",
                "when digits 3–4 are 00, digits 5–6 must be 00 too",
            ));
        }
        Ok(DivisionCode(n))
    }

    pub fn level(self) -> DivisionLevel {
        if self.0.is_multiple_of(10_000) {
            DivisionLevel::Province
        } else if self.0.is_multiple_of(100) {
            DivisionLevel::City
        } else {
            DivisionLevel::County
        }
    }

    /// The province this code lies in (`210000` for `211122`).
    pub fn province(self) -> DivisionCode {
        DivisionCode(self.0 / 10_000 * 10_000)
    }

    /// The city (prefecture) this code lies in (`211100` for `211122`).
    pub fn city(self) -> DivisionCode {
        DivisionCode(self.0 / 100 * 100)
    }

    /// Whether `self` lies within `area` (a province, a city or the same county).
    pub fn is_within(self, area: DivisionCode) -> bool {
        match area.level() {
            DivisionLevel::Province => self.province() == area,
            DivisionLevel::City => self.city() == area,
            DivisionLevel::County => self == area,
        }
    }
}

impl fmt::Display for DivisionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:06}", self.0)
    }
}

impl Serialize for DivisionCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for DivisionCode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        DivisionCode::parse("division_code", &s).map_err(serde::de::Error::custom)
    }
}

/// Which generation of the national project code format a code follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProjectCodeFormat {
    /// `YYMM-RRRRRR-DD-TT-NNNNNC` (since 2020-11).
    Current,
    /// `YYYY-RRRRRR-II-TT-NNNNNN` (2016–2020).
    Legacy,
}

/// A 24-character national project code (项目代码). Only the shape is checked: the check
/// character's algorithm (GB/T 40058) is not public, so it is not verified.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ProjectCode(String);

impl ProjectCode {
    pub fn parse(field: &str, input: &str) -> Result<Self, ValidationError> {
        let s = input.trim();
        let err = |why_zh: &str, why_en: &str| {
            ValidationError::new(
                field,
                input,
                format!(
                    "24 位全国投资项目代码，格式 YYMM-行政区划-DD-TT-NNNNNC，如 2406-211122-04-01-12345X；{why_zh}"
                ),
                format!(
                    "a 24-character national project code YYMM-RRRRRR-DD-TT-NNNNNC, e.g. 2406-211122-04-01-12345X; {why_en}"
                ),
            )
        };
        if s.chars().count() != 24 {
            return Err(err("长度须为 24 个字符", "it must be 24 characters long"));
        }
        let segments: Vec<&str> = s.split('-').collect();
        let [date, region, dept, kind, serial] = segments.as_slice() else {
            return Err(err(
                "须由 5 段组成，以“-”分隔",
                "five segments joined by '-'",
            ));
        };
        let digits = |t: &str| t.chars().all(|c| c.is_ascii_digit());
        let shape_ok = date.len() == 4
            && region.len() == 6
            && dept.len() == 2
            && kind.len() == 2
            && serial.len() == 6
            && digits(date)
            && digits(region)
            && digits(dept)
            && digits(kind)
            && digits(&serial[..5])
            && serial[5..]
                .chars()
                .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase());
        if !shape_ok {
            return Err(err(
                "各段位数或字符不符（末位可为数字或大写字母）",
                "a segment has the wrong length or characters",
            ));
        }
        DivisionCode::parse(field, region).map_err(|_| {
            err(
                "第二段须为有效的行政区划代码",
                "the second segment must be a division code",
            )
        })?;
        let code = ProjectCode(s.to_owned());
        if code.format().is_none() {
            return Err(err(
                "第 3–4 位须为月份（01–12）",
                "characters 3–4 must be a month (01–12)",
            ));
        }
        Ok(code)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Current when characters 3–4 are a month, legacy when they are a year 13–20 and the
    /// code starts with 20. A code that fits neither is refused by [`ProjectCode::parse`].
    pub fn format(&self) -> Option<ProjectCodeFormat> {
        let mm: u32 = self.0.get(2..4)?.parse().ok()?;
        if self.0.starts_with("20") && (13..=20).contains(&mm) && !self.0[4..].starts_with('-') {
            return Some(ProjectCodeFormat::Legacy);
        }
        (1..=12).contains(&mm).then_some(ProjectCodeFormat::Current)
    }

    /// The division code embedded in the second segment.
    pub fn region(&self) -> Option<DivisionCode> {
        let region = self.0.split('-').nth(1)?;
        DivisionCode::parse("region", region).ok()
    }
}

impl fmt::Display for ProjectCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for ProjectCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for ProjectCode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        ProjectCode::parse("national_code", &s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn division_code_accepts_county_city_province() {
        let panshan = DivisionCode::parse("c", "211122").unwrap();
        assert_eq!(panshan.level(), DivisionLevel::County);
        assert_eq!(panshan.city().to_string(), "211100");
        assert_eq!(panshan.province().to_string(), "210000");
        assert!(panshan.is_within(DivisionCode::parse("c", "211100").unwrap()));
        assert!(panshan.is_within(DivisionCode::parse("c", "210000").unwrap()));
        assert!(!panshan.is_within(DivisionCode::parse("c", "220000").unwrap()));
        assert_eq!(
            DivisionCode::parse("c", "110000").unwrap().level(),
            DivisionLevel::Province
        );
    }

    #[test]
    fn division_code_refuses_bad_values_with_the_reason() {
        for bad in [
            "21112",
            "2111222",
            "21112a",
            "991122",
            "000000",
            "",
            "２１１１２２",
        ] {
            let err = DivisionCode::parse("division_code", bad).unwrap_err();
            assert_eq!(err.field, "division_code");
            assert!(err.expected_zh.contains("行政区划代码"), "{bad}");
        }
    }

    #[test]
    fn project_code_checks_shape_and_month() {
        let code = ProjectCode::parse("c", "2406-211122-04-01-12345X").unwrap();
        assert_eq!(code.format(), Some(ProjectCodeFormat::Current));
        assert_eq!(code.region().unwrap().to_string(), "211122");
        for bad in [
            "2406-211122-04-01-12345",  // 23 characters
            "2413-211122-04-01-12345X", // month 13
            "2406-211122-04-01-12345x", // lower-case check character
            "2406_211122_04_01_12345X", // wrong separator
            "2406-991122-04-01-12345X", // no such province
            "24061-21122-04-01-12345X", // segment lengths
        ] {
            assert!(ProjectCode::parse("national_code", bad).is_err(), "{bad}");
        }
    }
}
