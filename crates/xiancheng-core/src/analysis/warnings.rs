//! Early warnings (红黄灯, DOMAIN §8.6): each rule looks at the county as of one period and
//! names its subject, the responsible department, the level and a one-sentence reason in
//! Chinese with the numbers in it. Thresholds are [`WarningConfig`], with documented
//! defaults; nothing here is a hard-coded policy.

use super::earned_value::{self, EarnedValue};
use super::indicators::{self, ProgressCategory, ProgressConfig};
use super::latest_approved;
use super::rollup;
use crate::calendar::ReportingCalendar;
use crate::dataset::CountyDataset;
use crate::enums::{PermitKind, PermitStatus, ReportStatus, Stage};
use crate::ids::DepartmentId;
use crate::model::{Project, ProjectReport};
use crate::money::Money;
use crate::period::{Date, YearMonth};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Yellow,
    Red,
}

impl Level {
    pub fn label_zh(self) -> &'static str {
        match self {
            Level::Yellow => "黄灯",
            Level::Red => "红灯",
        }
    }
}

/// The rules, each with a stable code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    BehindSchedule,
    InvestmentBehindPlan,
    ReportMissing,
    ReportLate,
    MilestoneOverdue,
    PermitExpired,
    PermitExpiring,
    StagePermitMismatch,
    InconsistentFigures,
    Stalled,
    IndicatorOffTrack,
}

impl Rule {
    pub const ALL: &'static [Rule] = &[
        Rule::BehindSchedule,
        Rule::InvestmentBehindPlan,
        Rule::ReportMissing,
        Rule::ReportLate,
        Rule::MilestoneOverdue,
        Rule::PermitExpired,
        Rule::PermitExpiring,
        Rule::StagePermitMismatch,
        Rule::InconsistentFigures,
        Rule::Stalled,
        Rule::IndicatorOffTrack,
    ];

    pub fn label_zh(self) -> &'static str {
        match self {
            Rule::BehindSchedule => "进度滞后（挣值）",
            Rule::InvestmentBehindPlan => "投资滞后于序时进度",
            Rule::ReportMissing => "未按期报送",
            Rule::ReportLate => "逾期报送",
            Rule::MilestoneOverdue => "节点逾期",
            Rule::PermitExpired => "手续已过期",
            Rule::PermitExpiring => "手续即将到期",
            Rule::StagePermitMismatch => "阶段与手续不符",
            Rule::InconsistentFigures => "数据前后矛盾",
            Rule::Stalled => "长期停滞",
            Rule::IndicatorOffTrack => "指标偏离目标",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SubjectKind {
    Project,
    Task,
    Indicator,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Subject {
    pub kind: SubjectKind,
    pub id: i64,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Warning {
    pub level: Level,
    pub rule: Rule,
    pub subject: Subject,
    pub department: Option<DepartmentId>,
    /// One sentence in Chinese with the numbers.
    pub reason: String,
}

/// Thresholds of the rules. Defaults follow published local practice (DOMAIN §8.6, 银川
/// 2025 for investment against 序时) where there is one, and are otherwise conservative.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WarningConfig {
    /// SPI (earned value) below this is yellow. Default 0.90.
    pub spi_yellow: f64,
    /// SPI below this is red. Default 0.80.
    pub spi_red: f64,
    /// Points behind 序时 (year-to-date completion vs month ÷ 12) from which it is yellow. Default 10.
    pub schedule_points_yellow: f64,
    /// Points behind 序时 above which it is red. Default 30.
    pub schedule_points_red: f64,
    /// Consecutive missing months from which a missing report is red. Default 2.
    pub missing_months_red: u32,
    /// Days overdue from which a milestone is red (yellow before). Default 90.
    pub milestone_red_days: i64,
    /// A permit ending within this many days after the period is yellow. Default 60.
    pub permit_expiring_days: i64,
    /// Completed investment may exceed the total by this share before it is refused as
    /// inconsistent. Default 0.05.
    pub over_total_margin: f64,
    /// How many months back inconsistent figures are reported. Default 12.
    pub inconsistency_window_months: i64,
    /// Months without any change from which a project is stalled (yellow). Default 3.
    pub stalled_months_yellow: u32,
    /// Months without any change from which it is red. Default 6.
    pub stalled_months_red: u32,
    /// Indicator progress categories and their cut-offs.
    pub indicator_progress: ProgressConfig,
}

impl Default for WarningConfig {
    fn default() -> Self {
        WarningConfig {
            spi_yellow: 0.90,
            spi_red: 0.80,
            schedule_points_yellow: 10.0,
            schedule_points_red: 30.0,
            missing_months_red: 2,
            milestone_red_days: 90,
            permit_expiring_days: 60,
            over_total_margin: 0.05,
            inconsistency_window_months: 12,
            stalled_months_yellow: 3,
            stalled_months_red: 6,
            indicator_progress: ProgressConfig::default(),
        }
    }
}

fn wan(m: Money) -> String {
    m.format_wan()
}

/// Whether a project is expected to report for `period`: started on or before it and not
/// finished before it, and neither cancelled nor suspended.
pub fn expected_to_report(p: &Project, period: YearMonth) -> bool {
    let started = p.actual_start.is_some_and(|s| s <= period) && (p.stage.has_started());
    let finished_before = p.actual_finish.is_some_and(|f| f < period);
    started && !finished_before && !matches!(p.stage, Stage::Cancelled | Stage::Suspended)
}

/// Every warning for the county as of `period` under the default reporting calendar.
pub fn evaluate(ds: &CountyDataset, period: YearMonth, config: &WarningConfig) -> Vec<Warning> {
    evaluate_with_calendar(ds, period, config, &ReportingCalendar::default())
}

/// Every warning for the county as of `period`, red first, then by rule and subject; which
/// reports are expected, and when they are due, comes from the county's `calendar`.
pub fn evaluate_with_calendar(
    ds: &CountyDataset,
    period: YearMonth,
    config: &WarningConfig,
    calendar: &ReportingCalendar,
) -> Vec<Warning> {
    evaluate_prepared(&rollup::prepare(ds, period), config, calendar)
}

/// [`evaluate_with_calendar`] on a county already prepared for roll-ups, reusing its grouped
/// reports and earned value.
pub fn evaluate_prepared(
    prepared: &rollup::Prepared<'_>,
    config: &WarningConfig,
    calendar: &ReportingCalendar,
) -> Vec<Warning> {
    let (ds, period) = (prepared.dataset(), prepared.period());
    // Reports cannot have been expected before the plan was issued.
    let first_expected = ds
        .plans
        .iter()
        .filter_map(|p| p.issued_on)
        .map(|d| d.year_month())
        .min();
    let mut out = Vec::new();
    let end_of_period = period.last_day();
    for (p, figures) in ds.projects.iter().zip(&prepared.figures) {
        let mine = prepared
            .reports
            .get(&p.id)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let context = ProjectContext {
            period,
            end: end_of_period,
            config,
            calendar,
            first_expected,
            earned: &figures.earned_value,
        };
        project_rules(p, mine, &context, &mut out);
    }
    for t in &ds.tasks {
        for m in &t.milestones {
            if m.due < end_of_period && m.done.is_none() {
                let days = m.due.days_until(end_of_period);
                let level = if days >= config.milestone_red_days {
                    Level::Red
                } else {
                    Level::Yellow
                };
                out.push(Warning {
                    level,
                    rule: Rule::MilestoneOverdue,
                    subject: Subject {
                        kind: SubjectKind::Task,
                        id: t.id.0,
                        name: t.title.clone(),
                    },
                    department: Some(t.lead),
                    reason: format!(
                        "节点“{}”应于 {} 完成，截至 {} 仍未完成，已逾期 {} 天。",
                        m.title, m.due, end_of_period, days
                    ),
                });
            }
        }
    }
    for i in &ds.indicators {
        let progress = indicators::progress(i, period.year(), &config.indicator_progress);
        let level = match progress.category {
            ProgressCategory::Deterioration => Some(Level::Red),
            ProgressCategory::Limited => Some(Level::Yellow),
            _ => None,
        };
        if let Some(level) = level {
            out.push(Warning {
                level,
                rule: Rule::IndicatorOffTrack,
                subject: Subject {
                    kind: SubjectKind::Indicator,
                    id: i.id.0,
                    name: i.name.clone(),
                },
                department: i.source_department,
                reason: format!("{}：{}。", i.name, progress.reason),
            });
        }
    }
    out.sort_by(|a, b| {
        b.level
            .cmp(&a.level)
            .then(a.rule.cmp(&b.rule))
            .then(a.subject.id.cmp(&b.subject.id))
    });
    out
}

/// What every project's rules read besides the project.
struct ProjectContext<'a> {
    period: YearMonth,
    end: Date,
    config: &'a WarningConfig,
    calendar: &'a ReportingCalendar,
    first_expected: Option<YearMonth>,
    earned: &'a EarnedValue,
}

fn project_rules(
    p: &Project,
    reports: &[&ProjectReport],
    cx: &ProjectContext<'_>,
    out: &mut Vec<Warning>,
) {
    let (period, end, c, calendar, first_expected) =
        (cx.period, cx.end, cx.config, cx.calendar, cx.first_expected);
    let subject = || Subject {
        kind: SubjectKind::Project,
        id: p.id.0,
        name: p.name.clone(),
    };
    let mut warn = |level, rule, reason: String| {
        out.push(Warning {
            level,
            rule,
            subject: subject(),
            department: Some(p.lead),
            reason,
        })
    };

    // Stage inconsistent with permits: under construction or later without a construction permit.
    if p.stage.has_started() {
        let permit = p
            .permits
            .iter()
            .find(|x| x.kind == PermitKind::ConstructionPermit);
        let ok = permit.is_some_and(|x| {
            matches!(
                x.status,
                PermitStatus::Obtained | PermitStatus::NotNeeded | PermitStatus::Expired
            )
        });
        if !ok {
            let state = permit.map(|x| x.status.label_zh()).unwrap_or("无记录");
            let since = p
                .actual_start
                .map(|s| format!("于 {s} 开工、"))
                .unwrap_or_default();
            warn(
                Level::Red,
                Rule::StagePermitMismatch,
                format!(
                    "项目{since}处于“{}”阶段，但施工许可证状态为“{}”（截至 {end}）。",
                    p.stage.label_zh(),
                    state
                ),
            );
        }
    }
    // Permits expired or expiring.
    for x in &p.permits {
        if x.status == PermitStatus::NotNeeded {
            continue;
        }
        match x.valid_until {
            // The date decides where there is one: the status is today's, the period may be earlier.
            Some(until) if until < end => {
                warn(
                    Level::Red,
                    Rule::PermitExpired,
                    format!(
                        "{}（{}）已于 {} 到期。",
                        x.kind.label_zh(),
                        if x.doc_number.is_empty() {
                            "无文号"
                        } else {
                            &x.doc_number
                        },
                        until
                    ),
                );
            }
            Some(until)
                if end.days_until(until) <= c.permit_expiring_days
                    && p.stage != Stage::Completed
                    && p.stage != Stage::Operating =>
            {
                warn(
                    Level::Yellow,
                    Rule::PermitExpiring,
                    format!(
                        "{}将于 {} 到期，距 {} 仅 {} 天。",
                        x.kind.label_zh(),
                        until,
                        end,
                        end.days_until(until)
                    ),
                );
            }
            None if x.status == PermitStatus::Expired => {
                warn(
                    Level::Red,
                    Rule::PermitExpired,
                    format!("{}已过期。", x.kind.label_zh()),
                );
            }
            _ => {}
        }
    }
    let expects = |m: YearMonth| {
        first_expected.is_none_or(|f| m >= f) && calendar.project_cadence(p, m).is_some()
    };
    if !expects(period) && !expected_to_report(p, period) && reports.is_empty() {
        return;
    }
    // Reporting for the period, by the county's calendar.
    if expects(period) {
        let this = reports.iter().find(|r| r.period == period);
        let filed = this
            .is_some_and(|r| matches!(r.status, ReportStatus::Submitted | ReportStatus::Approved));
        if !filed {
            // Consecutive expected reports missing, counting back from this one.
            let mut missing = 1u32;
            let mut m = period.prev();
            for _ in 0..36 {
                if first_expected.is_some_and(|f| m < f) {
                    break;
                }
                if calendar.project_cadence(p, m).is_some() {
                    if reports
                        .iter()
                        .any(|r| r.period == m && r.status != ReportStatus::Draft)
                    {
                        break;
                    }
                    missing += 1;
                }
                m = m.prev();
            }
            let level = if missing >= c.missing_months_red {
                Level::Red
            } else {
                Level::Yellow
            };
            let state = match this.map(|r| r.status) {
                Some(ReportStatus::Draft) => "仅有草稿",
                Some(ReportStatus::Returned) => "被退回后未重新提交",
                _ => "未报送",
            };
            let run = if missing > 1 {
                format!("，已连续 {missing} 期未报送")
            } else {
                String::new()
            };
            warn(
                level,
                Rule::ReportMissing,
                format!(
                    "{period} 月报{state}{run}（应于 {} 前报送）。",
                    calendar.due_date(period)
                ),
            );
        }
        let due = calendar.due_date(period);
        if let Some(r) = this
            && let Some(submitted) = r.submitted_on.filter(|s| *s > due)
        {
            warn(
                Level::Yellow,
                Rule::ReportLate,
                format!(
                    "{period} 月报应于 {due} 前报送，实际 {submitted} 报送，逾期 {} 天。",
                    due.days_until(submitted)
                ),
            );
        }
    }
    let approved: Vec<&ProjectReport> = reports
        .iter()
        .copied()
        .filter(|r| r.status == ReportStatus::Approved && r.period <= period)
        .collect();
    // Inconsistent figures in the recent window: falling cumulative, falling progress,
    // completed investment above the total.
    for pair in approved.windows(2) {
        let (before, after) = (pair[0], pair[1]);
        let age = after.period.months_until(period);
        if !(0..c.inconsistency_window_months).contains(&age) {
            continue;
        }
        if after.investment_cumulative < before.investment_cumulative {
            warn(
                Level::Red,
                Rule::InconsistentFigures,
                format!(
                    "{} 累计完成投资 {} 万元，低于 {} 的 {} 万元，累计数不应下降。",
                    after.period,
                    wan(after.investment_cumulative),
                    before.period,
                    wan(before.investment_cumulative)
                ),
            );
        }
        if after.progress < before.progress {
            warn(
                Level::Yellow,
                Rule::InconsistentFigures,
                format!(
                    "{} 形象进度 {}，低于 {} 的 {}。",
                    after.period, after.progress, before.period, before.progress
                ),
            );
        }
    }
    if let Some(last) = approved.last() {
        let limit = (p.total_investment.yuan() as f64 * (1.0 + c.over_total_margin)) as i64;
        if last.investment_cumulative.yuan() > limit {
            warn(
                Level::Red,
                Rule::InconsistentFigures,
                format!(
                    "{} 累计完成投资 {} 万元，超过总投资 {} 万元的 {:.0}% 以上。",
                    last.period,
                    wan(last.investment_cumulative),
                    wan(p.total_investment),
                    c.over_total_margin * 100.0
                ),
            );
        }
    }
    if !expected_to_report(p, period) {
        return;
    }
    // Stalled: the latest approved figures unchanged for N months.
    if let Some(last) = approved.last() {
        let unchanged_since = approved
            .iter()
            .rev()
            .take_while(|r| {
                r.investment_cumulative == last.investment_cumulative && r.progress == last.progress
            })
            .last()
            .map(|r| r.period)
            .unwrap_or(last.period);
        let months = unchanged_since.months_until(last.period).max(0) as u32;
        if months >= c.stalled_months_yellow && last.progress.basis_points() < 10_000 {
            let level = if months >= c.stalled_months_red {
                Level::Red
            } else {
                Level::Yellow
            };
            warn(
                level,
                Rule::Stalled,
                format!(
                    "自 {unchanged_since} 至 {} 连续 {months} 个月累计投资（{} 万元）与形象进度（{}）无变化。",
                    last.period,
                    wan(last.investment_cumulative),
                    last.progress
                ),
            );
        }
    }
    // Earned-value schedule performance.
    let ev = cx.earned;
    if let (Some(spi), Some(earned)) = (ev.spi, ev.ev)
        && spi < c.spi_yellow
        && ev.pv > Money::ZERO
    {
        let level = if spi < c.spi_red {
            Level::Red
        } else {
            Level::Yellow
        };
        warn(
            level,
            Rule::BehindSchedule,
            format!(
                "截至 {period} 计划完成 {} 万元，按形象进度挣值 {} 万元，SPI {:.2}，低于 {:.2}。",
                wan(ev.pv),
                wan(earned),
                spi,
                c.spi_yellow
            ),
        );
    }
    // Year-to-date investment against 序时.
    let plan = earned_value::annual_plan(&p.annual_plan, period.year());
    if plan > Money::ZERO {
        let december = YearMonth::new(period.year() - 1, 12).unwrap_or(period);
        let now = latest_approved(&approved, period)
            .map(|r| r.investment_cumulative)
            .unwrap_or_default();
        let before = latest_approved(&approved, december)
            .map(|r| r.investment_cumulative)
            .unwrap_or_default();
        let ytd = now.saturating_sub(before).max(Money::ZERO);
        let rate = ytd.yuan() as f64 / plan.yuan() as f64;
        let schedule = f64::from(period.month()) / 12.0;
        let points = (schedule - rate) * 100.0;
        if points >= c.schedule_points_yellow {
            let level = if points > c.schedule_points_red {
                Level::Red
            } else {
                Level::Yellow
            };
            warn(
                level,
                Rule::InvestmentBehindPlan,
                format!(
                    "{} 年计划投资 {} 万元，截至 {period} 完成 {} 万元，完成率 {:.1}%，低于序时进度 {:.1}% 共 {:.1} 个百分点。",
                    period.year(),
                    wan(plan),
                    wan(ytd),
                    rate * 100.0,
                    schedule * 100.0,
                    points
                ),
            );
        }
    }
}
