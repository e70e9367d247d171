//! The monthly dispatch cycle (DOMAIN §8.3): what a report may say, and which transitions
//! of its life cycle are allowed to whom.
//!
//! ```text
//! draft ──submit──▶ submitted ──approve──▶ approved (locked)
//!   ▲                   │                      │
//!   └──── returned ◀─return (reason)      amend (plan office, reason; old values kept)
//! ```
//!
//! A report's figures must agree with the approved reports around it: the cumulative
//! investment equals last month's approved cumulative plus this month's (or, after missing
//! months, is at least that), it never falls, physical progress never falls, and completed
//! investment does not exceed the total beyond a margin. A contradiction is refused with the
//! numbers.

use crate::auth::Actor;
use crate::calendar::ReportingCalendar;
use crate::enums::ReportStatus;
use crate::error::{ValidationError, ValidationErrors};
use crate::model::{Plan, Project, ProjectReport, Task, TaskReport};
use crate::money::Money;
use crate::period::{Percent, YearMonth};
use serde::{Deserialize, Serialize};

/// A report as typed into a form or sent to the API: every field a string, so that every
/// problem can be reported at its field.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReportForm {
    pub period: String,
    /// 本月完成投资（万元）.
    pub investment_month: String,
    /// 开工至本月累计完成投资（万元）.
    pub investment_cumulative: String,
    /// 形象进度（%）.
    pub progress: String,
    pub narrative: String,
    pub problems: String,
    pub next_steps: String,
}

/// A report's content, parsed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportInput {
    pub period: YearMonth,
    pub investment_month: Money,
    pub investment_cumulative: Money,
    pub progress: Option<Percent>,
    pub narrative: String,
    pub problems: String,
    pub next_steps: String,
}

const MAX_TEXT: usize = 4_000;

fn text(errors: &mut ValidationErrors, field: &str, value: &str) -> String {
    let value = value.trim();
    if value.chars().count() > MAX_TEXT {
        errors.push(ValidationError::new(
            field,
            format!("{} 字", value.chars().count()),
            format!("不超过 {MAX_TEXT} 字"),
            format!("at most {MAX_TEXT} characters"),
        ));
    }
    value.to_owned()
}

impl ReportForm {
    /// Parses every field; money in 万元 (`Money::parse_wan`), progress in % (0–100).
    /// For task reports, `progress_required` is false and investment may be empty.
    pub fn parse(&self, progress_required: bool) -> Result<ReportInput, ValidationErrors> {
        let mut e = ValidationErrors::default();
        let period = e.check(YearMonth::parse("period", &self.period));
        let money = |e: &mut ValidationErrors, field: &str, value: &str| {
            if value.trim().is_empty() && !progress_required {
                Some(Money::ZERO)
            } else {
                e.check(Money::parse_wan(field, value))
            }
        };
        let investment_month = money(&mut e, "investment_month", &self.investment_month);
        let investment_cumulative =
            money(&mut e, "investment_cumulative", &self.investment_cumulative);
        let progress = if self.progress.trim().is_empty() && !progress_required {
            Some(None)
        } else {
            e.check(Percent::parse("progress", &self.progress))
                .map(Some)
        };
        let narrative = text(&mut e, "narrative", &self.narrative);
        let problems = text(&mut e, "problems", &self.problems);
        let next_steps = text(&mut e, "next_steps", &self.next_steps);
        if let (Some(m), Some(c)) = (investment_month, investment_cumulative)
            && m > c
        {
            e.push(ValidationError::new(
                "investment_cumulative",
                c.format_wan(),
                format!("不小于本月完成投资 {} 万元", m.format_wan()),
                "at least this month's completed investment",
            ));
        }
        e.into_result()?;
        match (period, investment_month, investment_cumulative, progress) {
            (Some(period), Some(investment_month), Some(investment_cumulative), Some(progress)) => {
                Ok(ReportInput {
                    period,
                    investment_month,
                    investment_cumulative,
                    progress,
                    narrative,
                    problems,
                    next_steps,
                })
            }
            _ => Err(ValidationErrors::default()),
        }
    }
}

/// The actions of the life cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    SaveDraft,
    Submit,
    Return,
    Approve,
    Amend,
}

impl Action {
    pub fn label_zh(self) -> &'static str {
        match self {
            Action::SaveDraft => "保存草稿",
            Action::Submit => "提交",
            Action::Return => "退回",
            Action::Approve => "审核通过",
            Action::Amend => "更正已审核报告",
        }
    }
}

/// Why an action was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DispatchError {
    #[error("无权{action}：{why}")]
    Forbidden { action: &'static str, why: String },
    #[error("报告当前状态为“{status}”，不能{action}")]
    WrongState {
        action: &'static str,
        status: &'static str,
    },
    #[error("{0}")]
    Invalid(ValidationErrors),
}

/// The status after `action` on a report in `current` (None: no report yet), or why not.
pub fn transition(
    current: Option<ReportStatus>,
    action: Action,
) -> Result<ReportStatus, DispatchError> {
    use ReportStatus::*;
    let next = match (current, action) {
        (None | Some(Draft) | Some(Returned), Action::SaveDraft) => Some(current.unwrap_or(Draft)),
        (Some(Draft) | Some(Returned), Action::Submit) => Some(Submitted),
        (Some(Submitted), Action::Return) => Some(Returned),
        (Some(Submitted), Action::Approve) => Some(Approved),
        (Some(Approved), Action::Amend) => Some(Approved),
        _ => None,
    };
    next.ok_or(DispatchError::WrongState {
        action: action.label_zh(),
        status: current.map(|s| s.label_zh()).unwrap_or("尚未填报"),
    })
}

/// Who may take `action` on a report about something `lead`/`co` answer for; `submitted_by`
/// is who submitted it (nobody approves or returns what they submitted themselves).
pub fn authorize(
    actor: &Actor,
    project_or_task: (
        crate::ids::CountyId,
        crate::ids::DepartmentId,
        &[crate::ids::DepartmentId],
    ),
    action: Action,
    submitted_by: Option<i64>,
) -> Result<(), DispatchError> {
    let (county, lead, co) = project_or_task;
    let forbidden = |why: &str| {
        Err(DispatchError::Forbidden {
            action: action.label_zh(),
            why: why.to_owned(),
        })
    };
    match action {
        Action::SaveDraft | Action::Submit => {
            if actor.answers_for(county, lead, co) {
                Ok(())
            } else {
                forbidden("只有责任单位（或县发改局）可以填报本单位负责的项目和任务")
            }
        }
        Action::Return | Action::Approve => {
            if !actor.runs_dispatch(county) {
                forbidden("只有本县发改局可以审核或退回报告")
            } else if submitted_by == Some(actor.user_id) {
                forbidden("不能审核或退回自己提交的报告")
            } else {
                Ok(())
            }
        }
        Action::Amend => {
            if actor.runs_dispatch(county) {
                Ok(())
            } else {
                forbidden("已审核（锁定）的报告只能由本县发改局更正")
            }
        }
    }
}

/// Checks a project report's figures against the plan period, the calendar and the
/// approved reports around it (`others`: the project's other reports).
pub fn check_project_report(
    project: &Project,
    plan: &Plan,
    calendar: &ReportingCalendar,
    others: &[&ProjectReport],
    input: &ReportInput,
    over_total_margin: f64,
) -> Result<(), ValidationErrors> {
    let mut e = ValidationErrors::default();
    check_period(&mut e, plan, input.period);
    if calendar.project_cadence(project, input.period).is_none() {
        e.push(ValidationError::new(
            "period",
            input.period,
            format!(
                "本项目（{}，阶段“{}”）按报送日历在该月无需报送",
                project.name,
                project.stage.label_zh()
            ),
            "a month in which this project is expected to report",
        ));
    }
    let approved =
        |r: &&&ProjectReport| r.status == ReportStatus::Approved && r.period != input.period;
    let before = others
        .iter()
        .filter(approved)
        .filter(|r| r.period < input.period)
        .max_by_key(|r| r.period);
    let after = others
        .iter()
        .filter(approved)
        .filter(|r| r.period > input.period)
        .min_by_key(|r| r.period);
    let cum = input.investment_cumulative;
    if let Some(b) = before {
        let expected = b.investment_cumulative + input.investment_month;
        if b.period == input.period.prev() && cum != expected {
            e.push(ValidationError::new(
                "investment_cumulative",
                cum.format_wan(),
                format!(
                    "等于 {} 已审核累计 {} 万元加本月 {} 万元，即 {} 万元",
                    b.period,
                    b.investment_cumulative.format_wan(),
                    input.investment_month.format_wan(),
                    expected.format_wan()
                ),
                "last month's approved cumulative plus this month's",
            ));
        } else if cum < expected {
            e.push(ValidationError::new(
                "investment_cumulative",
                cum.format_wan(),
                format!(
                    "不小于 {} 已审核累计 {} 万元加本月 {} 万元，即 {} 万元",
                    b.period,
                    b.investment_cumulative.format_wan(),
                    input.investment_month.format_wan(),
                    expected.format_wan()
                ),
                "at least the last approved cumulative plus this month's",
            ));
        }
        if let Some(p) = input.progress
            && p < b.progress
        {
            e.push(ValidationError::new(
                "progress",
                p,
                format!("不低于 {} 已审核的形象进度 {}", b.period, b.progress),
                "not below the last approved progress",
            ));
        }
    }
    if let Some(a) = after {
        if cum > a.investment_cumulative {
            e.push(ValidationError::new(
                "investment_cumulative",
                cum.format_wan(),
                format!(
                    "不大于 {} 已审核累计 {} 万元",
                    a.period,
                    a.investment_cumulative.format_wan()
                ),
                "not above a later approved cumulative",
            ));
        }
        if let Some(p) = input.progress.filter(|p| *p > a.progress) {
            e.push(ValidationError::new(
                "progress",
                p,
                format!("不高于 {} 已审核的形象进度 {}", a.period, a.progress),
                "not above a later approved progress",
            ));
        }
    }
    let limit = (project.total_investment.yuan() as f64 * (1.0 + over_total_margin)) as i64;
    if cum.yuan() > limit {
        e.push(ValidationError::new(
            "investment_cumulative",
            cum.format_wan(),
            format!(
                "不超过项目总投资 {} 万元（允许超出 {:.0}%）",
                project.total_investment.format_wan(),
                over_total_margin * 100.0
            ),
            "not above the project's total investment",
        ));
    }
    if input.progress.is_none() {
        e.push(ValidationError::new(
            "progress",
            "",
            "0 到 100 之间的形象进度（%）",
            "physical progress in % from 0 to 100",
        ));
    }
    e.into_result()
}

/// Checks a task report against the plan period, the calendar and its approved neighbours.
pub fn check_task_report(
    task: &Task,
    plan: &Plan,
    calendar: &ReportingCalendar,
    others: &[&TaskReport],
    input: &ReportInput,
) -> Result<(), ValidationErrors> {
    let mut e = ValidationErrors::default();
    check_period(&mut e, plan, input.period);
    if calendar.task_cadence(task, input.period).is_none() {
        e.push(ValidationError::new(
            "period",
            input.period,
            format!("任务“{}”按报送日历在该月无需报送", task.title),
            "a month in which this task is expected to report",
        ));
    }
    if input.narrative.is_empty() {
        e.push(ValidationError::new(
            "narrative",
            "",
            "本期工作进展（文字）",
            "a narrative of the period's progress",
        ));
    }
    if let Some(p) = input.progress {
        let before = others
            .iter()
            .filter(|r| r.status == ReportStatus::Approved && r.period < input.period)
            .max_by_key(|r| r.period);
        if let Some(b) = before.and_then(|b| b.progress.map(|bp| (b.period, bp)))
            && p < b.1
        {
            e.push(ValidationError::new(
                "progress",
                p,
                format!("不低于 {} 已审核的进度 {}", b.0, b.1),
                "not below the last approved progress",
            ));
        }
    }
    e.into_result()
}

fn check_period(e: &mut ValidationErrors, plan: &Plan, period: YearMonth) {
    if period.year() < plan.period_start || period.year() > plan.period_end {
        e.push(ValidationError::new(
            "period",
            period,
            format!(
                "方案实施期 {}—{} 年内的月份",
                plan.period_start, plan.period_end
            ),
            "a month within the plan period",
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::Role;
    use crate::ids::*;

    fn form(period: &str, month: &str, cum: &str, progress: &str) -> ReportForm {
        ReportForm {
            period: period.into(),
            investment_month: month.into(),
            investment_cumulative: cum.into(),
            progress: progress.into(),
            narrative: "进展".into(),
            ..Default::default()
        }
    }

    #[test]
    fn parse_reports_every_bad_field_at_once() {
        let errors = form("2026-13", "-5", "abc", "120").parse(true).unwrap_err();
        let fields: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "period",
                "investment_month",
                "investment_cumulative",
                "progress"
            ]
        );
        let errors = form("2026-10", "100", "50", "10").parse(true).unwrap_err();
        assert_eq!(errors.0[0].field, "investment_cumulative");
    }

    #[test]
    fn transitions_follow_the_life_cycle() {
        use ReportStatus::*;
        assert_eq!(transition(None, Action::SaveDraft), Ok(Draft));
        assert_eq!(transition(Some(Draft), Action::Submit), Ok(Submitted));
        assert_eq!(transition(Some(Submitted), Action::Return), Ok(Returned));
        assert_eq!(transition(Some(Returned), Action::SaveDraft), Ok(Returned));
        assert_eq!(transition(Some(Returned), Action::Submit), Ok(Submitted));
        assert_eq!(transition(Some(Submitted), Action::Approve), Ok(Approved));
        assert_eq!(transition(Some(Approved), Action::Amend), Ok(Approved));
        assert!(matches!(
            transition(Some(Approved), Action::SaveDraft),
            Err(DispatchError::WrongState { .. })
        ));
        assert!(matches!(
            transition(Some(Draft), Action::Approve),
            Err(DispatchError::WrongState { .. })
        ));
        assert!(matches!(
            transition(None, Action::Submit),
            Err(DispatchError::WrongState { .. })
        ));
    }

    #[test]
    fn nobody_approves_their_own_report() {
        let office = Actor {
            user_id: 1,
            username: "o".into(),
            role: Role::PlanOffice,
            county: Some(CountyId(1)),
            department: Some(DepartmentId(2)),
            scope: None,
        };
        let subject = (CountyId(1), DepartmentId(2), &[][..]);
        assert!(authorize(&office, subject, Action::Approve, Some(2)).is_ok());
        assert!(matches!(
            authorize(&office, subject, Action::Approve, Some(1)),
            Err(DispatchError::Forbidden { .. })
        ));
        let reporter = Actor {
            role: Role::Reporter,
            user_id: 3,
            ..office.clone()
        };
        assert!(authorize(&reporter, subject, Action::Submit, None).is_ok());
        assert!(authorize(&reporter, subject, Action::Approve, Some(2)).is_err());
        assert!(authorize(&reporter, subject, Action::Amend, None).is_err());
        let other = Actor {
            department: Some(DepartmentId(9)),
            ..reporter
        };
        assert!(authorize(&other, subject, Action::SaveDraft, None).is_err());
    }
}
