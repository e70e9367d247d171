//! The analysis engine: earned value, roll-ups, early warnings and indicator progress.
//!
//! Everything here is a pure function of a [`CountyDataset`](crate::dataset::CountyDataset),
//! a reference period and a configuration: nothing reads the wall clock, and the same
//! inputs always give the same figures. Reasons are written in Chinese with the numbers in
//! them, so a leader reads why, not just that.

pub mod earned_value;
pub mod indicators;
pub mod rollup;
pub mod warnings;

use crate::enums::ReportStatus;
use crate::model::ProjectReport;
use crate::period::YearMonth;

/// The report that counts for `period`: the latest approved one at or before it.
/// Unapproved figures never enter the analysis (DOMAIN §10.2, step 1).
pub fn latest_approved(reports: &[&ProjectReport], period: YearMonth) -> Option<ProjectReport> {
    reports
        .iter()
        .filter(|r| r.status == ReportStatus::Approved && r.period <= period)
        .max_by_key(|r| r.period)
        .map(|r| (*r).clone())
}

/// A ratio, or nothing when the denominator is zero.
pub fn ratio(numerator: i64, denominator: i64) -> Option<f64> {
    (denominator != 0).then(|| numerator as f64 / denominator as f64)
}
