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

use crate::dataset::CountyDataset;
use crate::enums::ReportStatus;
use crate::ids::ProjectId;
use crate::model::ProjectReport;
use crate::period::YearMonth;
use std::collections::HashMap;

/// The report that counts for `period`: the latest approved one at or before it.
/// Unapproved figures never enter the analysis (DOMAIN §10.2, step 1).
pub fn latest_approved<'a>(
    reports: &[&'a ProjectReport],
    period: YearMonth,
) -> Option<&'a ProjectReport> {
    reports
        .iter()
        .copied()
        .filter(|r| r.status == ReportStatus::Approved && r.period <= period)
        .max_by_key(|r| r.period)
}

/// A ratio, or nothing when the denominator is zero.
pub fn ratio(numerator: i64, denominator: i64) -> Option<f64> {
    (denominator != 0).then(|| numerator as f64 / denominator as f64)
}

/// Each project's reports, oldest first. One pass, and no sort when the reports are already
/// in period order (as the store gives them).
pub fn reports_by_project(ds: &CountyDataset) -> HashMap<ProjectId, Vec<&ProjectReport>> {
    let mut map: HashMap<ProjectId, Vec<&ProjectReport>> =
        HashMap::with_capacity(ds.projects.len());
    // Reports usually come project by project: one map lookup per run, not per report.
    for run in ds
        .project_reports
        .chunk_by(|a, b| a.project_id == b.project_id)
    {
        map.entry(run[0].project_id).or_default().extend(run);
    }
    for list in map.values_mut() {
        if !list.windows(2).all(|w| w[0].period <= w[1].period) {
            list.sort_by_key(|r| r.period);
        }
    }
    map
}
