//! The reporting calendar of a county (DOMAIN §8.1): which projects and tasks report for a
//! period, by when, and the "who has not reported" view built from it.
//!
//! Defaults (documented in [`ReportingCalendar::default`]): a month's report is due on the
//! 10th of the following month; formal projects (待开工 and later, until completion) report
//! monthly; preparatory projects (前期) quarterly, in March, June, September and December;
//! tasks by their own cadence; suspended projects are exempt.

use crate::dataset::CountyDataset;
use crate::enums::{Cadence, ProgressMode, ReportStatus, Stage};
use crate::ids::DepartmentId;
use crate::model::{Project, Task};
use crate::period::{Date, YearMonth};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReportingCalendar {
    /// Day of the month by which a report is due. Default 10.
    pub due_day: u32,
    /// Months after the period in which the due day falls. Default 1 (the following month).
    pub period_offset: u32,
    /// Months in which quarterly reports are expected. Default 3, 6, 9, 12.
    pub quarter_months: Vec<u32>,
    /// Stages that report monthly. Default 待开工 and 在建 (and 竣工 in the month of completion).
    pub monthly_stages: Vec<Stage>,
    /// Stages that report quarterly. Default 前期.
    pub quarterly_stages: Vec<Stage>,
    /// Suspended projects need not report. Default true.
    pub exempt_suspended: bool,
}

impl Default for ReportingCalendar {
    fn default() -> Self {
        ReportingCalendar {
            due_day: 10,
            period_offset: 1,
            quarter_months: vec![3, 6, 9, 12],
            monthly_stages: vec![Stage::Ready, Stage::UnderConstruction],
            quarterly_stages: vec![Stage::Preparing],
            exempt_suspended: true,
        }
    }
}

impl ReportingCalendar {
    /// The day a report for `period` is due.
    pub fn due_date(&self, period: YearMonth) -> Date {
        let mut month = period;
        for _ in 0..self.period_offset {
            month = month.next();
        }
        let day = self.due_day.clamp(1, 28);
        Date::new(month.year(), month.month(), day).unwrap_or(month.last_day())
    }

    /// How `project` reports for `period`, if it must.
    pub fn project_cadence(&self, p: &Project, period: YearMonth) -> Option<Cadence> {
        let finished_before = p.actual_finish.is_some_and(|f| f < period);
        let started_after = p.actual_start.is_some_and(|s| s > period);
        let stage = p.stage;
        if stage == Stage::Suspended && !self.exempt_suspended {
            return Some(Cadence::Monthly);
        }
        let completed_in_window = matches!(stage, Stage::Completed | Stage::Operating)
            && p.actual_finish.is_some_and(|f| f >= period)
            && !started_after;
        if completed_in_window
            || (self.monthly_stages.contains(&stage) && !finished_before && !started_after)
        {
            return Some(Cadence::Monthly);
        }
        if self.quarterly_stages.contains(&stage) && self.quarter_months.contains(&period.month()) {
            return Some(Cadence::Quarterly);
        }
        None
    }

    /// How `task` reports for `period`, if it must. Tasks excluded from roll-up do not.
    pub fn task_cadence(&self, t: &Task, period: YearMonth) -> Option<Cadence> {
        if t.progress_mode == ProgressMode::Excluded {
            return None;
        }
        match t.cadence {
            Cadence::Monthly => Some(Cadence::Monthly),
            Cadence::Quarterly => self
                .quarter_months
                .contains(&period.month())
                .then_some(Cadence::Quarterly),
        }
    }
}

/// Where an expected report stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportState {
    NotStarted,
    Draft,
    Submitted,
    Returned,
    Approved,
}

impl ReportState {
    pub fn label_zh(self) -> &'static str {
        match self {
            ReportState::NotStarted => "未填报",
            ReportState::Draft => "草稿未提交",
            ReportState::Submitted => "已提交待审",
            ReportState::Returned => "已退回待改",
            ReportState::Approved => "已审核",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SubjectKind {
    Project,
    Task,
}

/// One report the calendar expects for a period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExpectedReport {
    pub kind: SubjectKind,
    pub subject_id: i64,
    pub subject_name: String,
    pub department: DepartmentId,
    pub township: Option<DepartmentId>,
    pub cadence: Cadence,
    pub state: ReportState,
    pub report_id: Option<i64>,
    pub due: Date,
    pub submitted_on: Option<Date>,
    /// Days after the due date it was submitted, or (not yet submitted) days past due as of
    /// the reference date; 0 when on time.
    pub days_late: i64,
}

impl ExpectedReport {
    /// Missing, late or returned: what the "who has not reported" view lists.
    pub fn needs_attention(&self) -> bool {
        !matches!(self.state, ReportState::Submitted | ReportState::Approved) || self.days_late > 0
    }
}

fn state_of(status: Option<ReportStatus>) -> ReportState {
    match status {
        None => ReportState::NotStarted,
        Some(ReportStatus::Draft) => ReportState::Draft,
        Some(ReportStatus::Submitted) => ReportState::Submitted,
        Some(ReportStatus::Returned) => ReportState::Returned,
        Some(ReportStatus::Approved) => ReportState::Approved,
    }
}

/// Every report the calendar expects for `period`, with its state as of `as_of`.
pub fn expected_reports(
    ds: &CountyDataset,
    period: YearMonth,
    calendar: &ReportingCalendar,
    as_of: Date,
) -> Vec<ExpectedReport> {
    let due = calendar.due_date(period);
    // One expected report, given the subject and its report for the period, if any
    // (status, submission date, id).
    let expected = |kind,
                    subject_id,
                    subject_name: &str,
                    department,
                    township,
                    cadence,
                    report: Option<(ReportStatus, Option<Date>, i64)>| {
        let submitted_on = report
            .filter(|r| r.0 != ReportStatus::Draft)
            .and_then(|r| r.1);
        ExpectedReport {
            kind,
            subject_id,
            subject_name: subject_name.to_owned(),
            department,
            township,
            cadence,
            state: state_of(report.map(|r| r.0)),
            report_id: report.map(|r| r.2),
            due,
            submitted_on,
            days_late: due.days_until(submitted_on.unwrap_or(as_of)).max(0),
        }
    };
    let mut out = Vec::new();
    for p in &ds.projects {
        if let Some(cadence) = calendar.project_cadence(p, period) {
            let report = ds
                .project_reports
                .iter()
                .find(|r| r.project_id == p.id && r.period == period)
                .map(|r| (r.status, r.submitted_on, r.id.0));
            out.push(expected(
                SubjectKind::Project,
                p.id.0,
                &p.name,
                p.lead,
                p.township,
                cadence,
                report,
            ));
        }
    }
    for t in &ds.tasks {
        if let Some(cadence) = calendar.task_cadence(t, period) {
            let report = ds
                .task_reports
                .iter()
                .find(|r| r.task_id == t.id && r.period == period)
                .map(|r| (r.status, r.submitted_on, r.id.0));
            out.push(expected(
                SubjectKind::Task,
                t.id.0,
                &t.title,
                t.lead,
                None,
                cadence,
                report,
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn due_date_is_in_the_following_month() {
        let c = ReportingCalendar::default();
        assert_eq!(
            c.due_date(YearMonth::new(2026, 12).unwrap()).to_string(),
            "2027-01-10"
        );
        let same_month = ReportingCalendar {
            due_day: 25,
            period_offset: 0,
            ..Default::default()
        };
        assert_eq!(
            same_month
                .due_date(YearMonth::new(2026, 2).unwrap())
                .to_string(),
            "2026-02-25"
        );
        let late_day = ReportingCalendar {
            due_day: 31,
            ..Default::default()
        };
        assert_eq!(
            late_day
                .due_date(YearMonth::new(2026, 1).unwrap())
                .to_string(),
            "2026-02-28"
        );
    }
}
