//! View models of the analysis pages (dashboard, warnings, indicators, a project's earned
//! value): the glue between `xiancheng_core::analysis` and the templates. Everything here is
//! computed from one [`CountyDataset`] and one period; the period comes from the query
//! string (`?period=YYYY-MM`) and defaults to the latest month with any project report.

use crate::error::AppError;
use crate::svg::{self, BarGroup, Series, Style};
use crate::views::{Amount, CountyHeader};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use xiancheng_core::analysis::earned_value::{self, EarnedValue};
use xiancheng_core::analysis::indicators::{self, Method, ProgressCategory, ProgressConfig};
use xiancheng_core::analysis::rollup::{self, Dimension};
use xiancheng_core::analysis::warnings::{self, Level, Rule, SubjectKind, Warning, WarningConfig};
use xiancheng_core::analysis::{latest_approved, ratio};
use xiancheng_core::calendar::ReportingCalendar;
use xiancheng_core::dataset::CountyDataset;
use xiancheng_core::enums::ReportStatus;
use xiancheng_core::ids::ProjectId;
use xiancheng_core::model::{County, Indicator, Project, ProjectReport};
use xiancheng_core::{Money, YearMonth};

/// The query string of the analysis pages; every value is optional and checked here, so a
/// bad value is answered with a message naming it.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct AnalysisQuery {
    pub period: Option<String>,
    pub level: Option<String>,
    pub rule: Option<String>,
}

fn nonempty(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// The serde code of a unit enum (`red`, `behind_schedule`, `target_achieved`).
fn code_of<T: Serialize>(value: T) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// The latest period with any project report, if there is one.
pub fn latest_report_period(reports: &[ProjectReport]) -> Option<YearMonth> {
    reports.iter().map(|r| r.period).max()
}

/// The period when none is asked for: the latest month with a project report; failing
/// that, with a task report; failing that, December of the latest year with an indicator
/// value; failing that, January of the plan's first year.
fn default_period(ds: &CountyDataset) -> Option<YearMonth> {
    latest_report_period(&ds.project_reports)
        .or_else(|| ds.task_reports.iter().map(|r| r.period).max())
        .or_else(|| {
            ds.indicators
                .iter()
                .flat_map(|i| i.actuals.iter().map(|v| v.year))
                .max()
                .and_then(|y| YearMonth::new(y, 12))
        })
        .or_else(|| {
            ds.plans
                .iter()
                .map(|p| p.period_start)
                .min()
                .and_then(|y| YearMonth::new(y, 1))
        })
}

/// Parses `?period=`; a malformed value is a 400 naming it.
pub fn parse_period(query: &AnalysisQuery) -> Result<Option<YearMonth>, AppError> {
    nonempty(&query.period)
        .map(|s| {
            YearMonth::parse("period", s)
                .map_err(|e| AppError::BadRequest(format!("报告期（period）“{s}”无效：{e}")))
        })
        .transpose()
}

fn resolve_period(query: &AnalysisQuery, ds: &CountyDataset) -> Result<YearMonth, AppError> {
    match parse_period(query)? {
        Some(p) => Ok(p),
        None => default_period(ds).ok_or_else(|| {
            AppError::BadRequest(format!(
                "{}尚无任何月报或指标数据，请用 ?period=YYYY-MM 指定报告期",
                ds.county.name
            ))
        }),
    }
}

/// The period shown and the range offered by the period picker.
#[derive(Debug, Clone, Serialize)]
pub struct PeriodInfo {
    pub value: YearMonth,
    pub year: i32,
    pub month: u32,
    /// Whether the period was asked for (otherwise it is the default).
    pub chosen: bool,
    pub first_report: Option<YearMonth>,
    pub last_report: Option<YearMonth>,
}

impl PeriodInfo {
    fn new(value: YearMonth, query: &AnalysisQuery, reports: &[ProjectReport]) -> Self {
        PeriodInfo {
            value,
            year: value.year(),
            month: value.month(),
            chosen: nonempty(&query.period).is_some(),
            first_report: reports.iter().map(|r| r.period).min(),
            last_report: latest_report_period(reports),
        }
    }
}

/// A code with its Chinese label.
#[derive(Debug, Clone, Serialize)]
pub struct Tag {
    pub code: String,
    pub zh: &'static str,
}

fn level_tag(level: Level) -> Tag {
    Tag {
        code: code_of(level),
        zh: level.label_zh(),
    }
}

fn rule_tag(rule: Rule) -> Tag {
    Tag {
        code: code_of(rule),
        zh: rule.label_zh(),
    }
}

fn percent_text(value: Option<f64>) -> Option<String> {
    value.map(|v| format!("{:.1}%", v * 100.0))
}

fn index_text(value: Option<f64>) -> Option<String> {
    value.map(|v| format!("{v:.2}"))
}

fn reports_by_project(ds: &CountyDataset) -> HashMap<ProjectId, Vec<&ProjectReport>> {
    let mut map: HashMap<ProjectId, Vec<&ProjectReport>> = HashMap::new();
    for r in &ds.project_reports {
        map.entry(r.project_id).or_default().push(r);
    }
    for list in map.values_mut() {
        list.sort_by_key(|r| r.period);
    }
    map
}

fn department_name(ds: &CountyDataset, id: Option<xiancheng_core::ids::DepartmentId>) -> String {
    id.and_then(|id| ds.departments.iter().find(|d| d.id == id))
        .map(|d| d.name.clone())
        .unwrap_or_else(|| "未明确".to_owned())
}

// ------------------------------------------------------------------ warnings

/// One warning as a row: level, rule, subject (kind and id, for its page), department,
/// reason. Pages build links from the kind and id.
#[derive(Debug, Clone, Serialize)]
pub struct WarningRow {
    pub level: Tag,
    pub rule: Tag,
    /// `project`, `task` or `indicator`.
    pub kind: String,
    pub kind_zh: &'static str,
    pub subject_id: i64,
    pub subject: String,
    pub department: String,
    pub reason: String,
}

fn warning_row(ds: &CountyDataset, w: &Warning) -> WarningRow {
    WarningRow {
        level: level_tag(w.level),
        rule: rule_tag(w.rule),
        kind: code_of(w.subject.kind),
        kind_zh: match w.subject.kind {
            SubjectKind::Project => "项目",
            SubjectKind::Task => "任务",
            SubjectKind::Indicator => "指标",
        },
        subject_id: w.subject.id,
        subject: w.subject.name.clone(),
        department: department_name(ds, w.department),
        reason: w.reason.clone(),
    }
}

/// Warnings of one rule, by level.
#[derive(Debug, Clone, Serialize)]
pub struct RuleCount {
    pub rule: Tag,
    pub red: usize,
    pub yellow: usize,
    pub total: usize,
    pub selected: bool,
}

/// An option of a filter.
#[derive(Debug, Clone, Serialize)]
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct WarningsView {
    pub county: CountyHeader,
    pub period: PeriodInfo,
    pub level: Option<Tag>,
    pub rule: Option<Tag>,
    pub red: usize,
    pub yellow: usize,
    pub total: usize,
    pub by_rule: Vec<RuleCount>,
    pub rows: Vec<WarningRow>,
    pub levels: Vec<Choice>,
    pub rules: Vec<Choice>,
}

fn parse_level(input: Option<&str>) -> Result<Option<Level>, AppError> {
    input
        .map(|s| match s {
            "red" | "红灯" => Ok(Level::Red),
            "yellow" | "黄灯" => Ok(Level::Yellow),
            other => Err(AppError::BadRequest(format!(
                "预警等级（level）“{other}”无效，应为 red（红灯）或 yellow（黄灯）"
            ))),
        })
        .transpose()
}

fn parse_rule(input: Option<&str>) -> Result<Option<Rule>, AppError> {
    input
        .map(|s| {
            Rule::ALL
                .iter()
                .copied()
                .find(|r| code_of(*r) == s || r.label_zh() == s)
                .ok_or_else(|| {
                    let codes: Vec<String> = Rule::ALL.iter().map(|r| code_of(*r)).collect();
                    AppError::BadRequest(format!(
                        "预警规则（rule）“{s}”无效，应为 {} 之一",
                        codes.join("、")
                    ))
                })
        })
        .transpose()
}

/// A county's reporting calendar and warning thresholds, as the store gives them.
pub type CountySettings = (ReportingCalendar, WarningConfig);

/// The full list of warnings as of the period, filtered by level and rule.
pub fn warnings_view(
    county: &County,
    ds: &CountyDataset,
    query: &AnalysisQuery,
    settings: &CountySettings,
) -> Result<WarningsView, AppError> {
    let period = resolve_period(query, ds)?;
    let level = parse_level(nonempty(&query.level))?;
    let rule = parse_rule(nonempty(&query.rule))?;
    let all = warnings::evaluate_with_calendar(ds, period, &settings.1, &settings.0);
    let count = |l: Level| all.iter().filter(|w| w.level == l).count();
    let by_rule = Rule::ALL
        .iter()
        .map(|r| {
            let of = |l: Level| all.iter().filter(|w| w.rule == *r && w.level == l).count();
            RuleCount {
                rule: rule_tag(*r),
                red: of(Level::Red),
                yellow: of(Level::Yellow),
                total: of(Level::Red) + of(Level::Yellow),
                selected: rule == Some(*r),
            }
        })
        .collect();
    let rows = all
        .iter()
        .filter(|w| level.is_none_or(|l| w.level == l) && rule.is_none_or(|r| w.rule == r))
        .map(|w| warning_row(ds, w))
        .collect();
    Ok(WarningsView {
        county: county.into(),
        period: PeriodInfo::new(period, query, &ds.project_reports),
        level: level.map(level_tag),
        rule: rule.map(rule_tag),
        red: count(Level::Red),
        yellow: count(Level::Yellow),
        total: all.len(),
        by_rule,
        rows,
        levels: [Level::Red, Level::Yellow]
            .iter()
            .map(|l| Choice {
                value: code_of(*l),
                label: l.label_zh().to_owned(),
                selected: level == Some(*l),
            })
            .collect(),
        rules: Rule::ALL
            .iter()
            .map(|r| Choice {
                value: code_of(*r),
                label: r.label_zh().to_owned(),
                selected: rule == Some(*r),
            })
            .collect(),
    })
}

// ------------------------------------------------------------------ dashboard

/// Investment of one project category as of the period.
#[derive(Debug, Clone, Serialize)]
pub struct CategoryRow {
    pub name: String,
    /// The category's id, for the filtered project library; absent for unclassified.
    pub category_id: Option<i64>,
    pub projects: usize,
    pub total_investment: Amount,
    pub planned_this_year: Amount,
    pub completed_this_year: Amount,
    pub completed_cumulative: Amount,
    /// Cumulative completed ÷ total investment.
    pub share_completed: Option<String>,
    /// Year-to-date completed ÷ the year's plan (投资完成率).
    pub completion_rate: Option<String>,
}

/// Plan against actual at the end of one month of the period's year, cumulative.
#[derive(Debug, Clone, Serialize)]
pub struct MonthRow {
    pub period: YearMonth,
    pub label: String,
    pub planned: Amount,
    /// Absent for months after the period.
    pub completed: Option<Amount>,
    pub gap: Option<Amount>,
    pub rate: Option<String>,
}

/// A project expected to report for the period that has not.
#[derive(Debug, Clone, Serialize)]
pub struct MissingProject {
    pub id: ProjectId,
    pub name: String,
    pub state: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct MissingGroup {
    pub department: String,
    pub projects: Vec<MissingProject>,
}

/// County totals as of the period.
#[derive(Debug, Clone, Serialize)]
pub struct Totals {
    pub projects: usize,
    pub total_investment: Amount,
    pub planned_this_year: Amount,
    pub completed_this_year: Amount,
    pub completed_cumulative: Amount,
    pub completion_rate: Option<String>,
    pub spi: Option<String>,
    pub cpi: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DashboardView {
    pub county: CountyHeader,
    pub period: PeriodInfo,
    pub red: usize,
    pub yellow: usize,
    pub totals: Totals,
    pub categories: Vec<CategoryRow>,
    pub category_chart: String,
    pub months: Vec<MonthRow>,
    pub month_chart: String,
    pub expected: usize,
    pub missing_count: usize,
    pub missing: Vec<MissingGroup>,
    pub top: Vec<WarningRow>,
    pub warning_total: usize,
}

/// Σ planned cumulative and Σ completed cumulative (approved reports) for each month of the
/// period's year; completed only up to the period.
fn plan_against_actual(
    ds: &CountyDataset,
    reports: &HashMap<ProjectId, Vec<&ProjectReport>>,
    period: YearMonth,
) -> Vec<MonthRow> {
    let Some(january) = YearMonth::new(period.year(), 1) else {
        return Vec::new();
    };
    let december = YearMonth::new(period.year(), 12).unwrap_or(period);
    january
        .through(december)
        .map(|m| {
            let planned: Money = ds
                .projects
                .iter()
                .map(|p| earned_value::planned_cumulative(&p.annual_plan, m))
                .sum();
            let completed = (m <= period).then(|| {
                ds.projects
                    .iter()
                    .filter_map(|p| {
                        let mine = reports.get(&p.id).map(Vec::as_slice).unwrap_or_default();
                        latest_approved(mine, m).map(|r| r.investment_cumulative)
                    })
                    .sum::<Money>()
            });
            MonthRow {
                period: m,
                label: format!("{}月", m.month()),
                planned: planned.into(),
                gap: completed.map(|c| Amount::from(c - planned)),
                rate: completed.and_then(|c| percent_text(ratio(c.yuan(), planned.yuan()))),
                completed: completed.map(Amount::from),
            }
        })
        .collect()
}

fn missing_reports(
    calendar: &ReportingCalendar,
    ds: &CountyDataset,
    reports: &HashMap<ProjectId, Vec<&ProjectReport>>,
    period: YearMonth,
) -> (usize, Vec<MissingGroup>) {
    let expected: Vec<&Project> = ds
        .projects
        .iter()
        .filter(|p| calendar.project_cadence(p, period).is_some())
        .collect();
    let mut groups: BTreeMap<(usize, String), Vec<MissingProject>> = BTreeMap::new();
    for p in &expected {
        let this = reports
            .get(&p.id)
            .and_then(|rs| rs.iter().find(|r| r.period == period));
        let state = match this.map(|r| r.status) {
            Some(ReportStatus::Submitted | ReportStatus::Approved) => continue,
            Some(ReportStatus::Draft) => "仅有草稿",
            Some(ReportStatus::Returned) => "被退回未重报",
            None => "未报送",
        };
        let department = department_name(ds, Some(p.lead));
        let position = ds
            .departments
            .iter()
            .position(|d| d.id == p.lead)
            .unwrap_or(usize::MAX);
        groups
            .entry((position, department))
            .or_default()
            .push(MissingProject {
                id: p.id,
                name: p.name.clone(),
                state,
            });
    }
    let mut list: Vec<MissingGroup> = groups
        .into_iter()
        .map(|((_, department), projects)| MissingGroup {
            department,
            projects,
        })
        .collect();
    list.sort_by_key(|g| std::cmp::Reverse(g.projects.len()));
    (expected.len(), list)
}

/// The leader's one-screen dashboard.
pub fn dashboard(
    county: &County,
    ds: &CountyDataset,
    query: &AnalysisQuery,
    settings: &CountySettings,
) -> Result<DashboardView, AppError> {
    let period = resolve_period(query, ds)?;
    let reports = reports_by_project(ds);
    let all = warnings::evaluate_with_calendar(ds, period, &settings.1, &settings.0);
    let ids_by_code: HashMap<&str, i64> = ds
        .categories
        .iter()
        .map(|c| (c.code.as_str(), c.id.0))
        .collect();
    let rows = rollup::rollup(ds, period, Dimension::Category);
    let categories: Vec<CategoryRow> = rows
        .iter()
        .map(|r| CategoryRow {
            name: if r.label.is_empty() {
                "未分类".to_owned()
            } else {
                r.label.clone()
            },
            category_id: ids_by_code.get(r.key.as_str()).copied(),
            projects: r.projects,
            total_investment: r.total_investment.into(),
            planned_this_year: r.planned_this_year.into(),
            completed_this_year: r.completed_this_year.into(),
            completed_cumulative: r.completed_cumulative.into(),
            share_completed: percent_text(ratio(
                r.completed_cumulative.yuan(),
                r.total_investment.yuan(),
            )),
            completion_rate: percent_text(r.completion_rate),
        })
        .collect();
    let category_chart = svg::bar_chart(
        "chart-categories",
        &format!("各类别总投资与截至 {period} 累计完成投资（万元）"),
        "横向条形图：每个项目类别两根条，分别为总投资和累计完成投资；数据见下表。",
        "万元",
        &[("总投资", Style::Plan), ("累计完成", Style::Actual)],
        &rows
            .iter()
            .map(|r| BarGroup {
                label: r.label.clone(),
                values: vec![
                    r.total_investment.as_wan_f64(),
                    r.completed_cumulative.as_wan_f64(),
                ],
            })
            .collect::<Vec<_>>(),
    );
    let months = plan_against_actual(ds, &reports, period);
    let month_chart = svg::line_chart(
        "chart-months",
        &format!(
            "{} 年各月末累计计划投资与累计完成投资（万元）",
            period.year()
        ),
        "折线图：计划（虚线）为各项目年度投资计划按序时分摊的累计值，完成（实线）为已审核月报的累计完成投资，截至所选报告期；数据见下表。",
        "万元",
        &months.iter().map(|m| m.label.clone()).collect::<Vec<_>>(),
        &[
            Series {
                name: "累计计划".into(),
                style: Style::Plan,
                values: months
                    .iter()
                    .map(|m| Some(Money::from_yuan(m.planned.yuan).as_wan_f64()))
                    .collect(),
            },
            Series {
                name: "累计完成".into(),
                style: Style::Actual,
                values: months
                    .iter()
                    .map(|m| {
                        m.completed
                            .as_ref()
                            .map(|c| Money::from_yuan(c.yuan).as_wan_f64())
                    })
                    .collect(),
            },
        ],
    );
    let (expected, missing) = missing_reports(&settings.0, ds, &reports, period);
    let county_row = rollup::rollup(ds, period, Dimension::County)
        .into_iter()
        .next();
    let totals = match county_row {
        Some(r) => Totals {
            projects: r.projects,
            total_investment: r.total_investment.into(),
            planned_this_year: r.planned_this_year.into(),
            completed_this_year: r.completed_this_year.into(),
            completed_cumulative: r.completed_cumulative.into(),
            completion_rate: percent_text(r.completion_rate),
            spi: index_text(r.earned_value.spi),
            cpi: index_text(r.earned_value.cpi),
        },
        None => Totals {
            projects: 0,
            total_investment: Money::ZERO.into(),
            planned_this_year: Money::ZERO.into(),
            completed_this_year: Money::ZERO.into(),
            completed_cumulative: Money::ZERO.into(),
            completion_rate: None,
            spi: None,
            cpi: None,
        },
    };
    Ok(DashboardView {
        county: county.into(),
        period: PeriodInfo::new(period, query, &ds.project_reports),
        red: all.iter().filter(|w| w.level == Level::Red).count(),
        yellow: all.iter().filter(|w| w.level == Level::Yellow).count(),
        totals,
        categories,
        category_chart,
        months,
        month_chart,
        expected,
        missing_count: missing.iter().map(|g| g.projects.len()).sum(),
        missing,
        top: all.iter().take(10).map(|w| warning_row(ds, w)).collect(),
        warning_total: all.len(),
    })
}

// ------------------------------------------------------------------ indicators

/// One year of an indicator's table.
#[derive(Debug, Clone, Serialize)]
pub struct IndicatorYear {
    pub year: i32,
    pub baseline: Option<String>,
    pub actual: Option<String>,
    pub target: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct IndicatorRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub unit: String,
    pub direction: &'static str,
    pub theme: String,
    pub source: Option<String>,
    pub baseline: Option<String>,
    pub targets: Vec<String>,
    pub latest: Option<String>,
    pub category: Tag,
    pub method: &'static str,
    pub reason: String,
    pub score: Option<String>,
    pub years: Vec<IndicatorYear>,
    pub chart: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct CategoryCount {
    pub category: Tag,
    pub count: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct IndicatorsView {
    pub county: CountyHeader,
    pub period: PeriodInfo,
    pub year: i32,
    pub counts: Vec<CategoryCount>,
    pub items: Vec<IndicatorRow>,
}

fn method_label(method: Method) -> &'static str {
    match method {
        Method::CompoundGrowth => "年均增速比较法：实际年均增速 ÷ 实现目标所需年均增速",
        Method::GapClosed => "差距缩小法：已缩小的差距占比 ÷ 已过去的时间占比",
        Method::GrowthWithoutTarget => "无目标值：实际年均增速对照固定阈值",
        Method::None => "无法计算",
    }
}

fn category_tag(category: ProgressCategory) -> Tag {
    Tag {
        code: code_of(category),
        zh: category.label_zh(),
    }
}

fn indicator_row(
    ds: &CountyDataset,
    i: &Indicator,
    year: i32,
    config: &ProgressConfig,
) -> IndicatorRow {
    let progress = indicators::progress(i, year, config);
    let decimals = usize::from(i.decimals.min(6));
    let fmt = |v: f64| svg::format_number(v, decimals);
    let actuals: Vec<(i32, f64)> = i
        .actuals
        .iter()
        .filter(|v| v.year <= year)
        .map(|v| (v.year, v.value))
        .collect();
    let mut points = actuals.clone();
    if let Some(b) = i.baseline
        && !points.iter().any(|p| p.0 == b.year)
    {
        points.push((b.year, b.value));
    }
    points.sort_by_key(|p| p.0);
    let target = progress.target.map(|t| (t.year, t.value));
    let mut by_year: BTreeMap<i32, IndicatorYear> = BTreeMap::new();
    if let Some(b) = i.baseline {
        by_year
            .entry(b.year)
            .or_insert_with(|| empty_year(b.year))
            .baseline = Some(fmt(b.value));
    }
    for (y, v) in &actuals {
        by_year.entry(*y).or_insert_with(|| empty_year(*y)).actual = Some(fmt(*v));
    }
    for t in &i.targets {
        by_year
            .entry(t.year)
            .or_insert_with(|| empty_year(t.year))
            .target = Some(fmt(t.value));
    }
    let title = format!("{}：历年实际值与目标值（{}）", i.name, i.unit);
    let desc = match target {
        Some((ty, tv)) => format!(
            "迷你折线图：蓝线为基期及历年实际值，虚线和菱形为 {ty} 年目标值 {}；数据见下表。",
            fmt(tv)
        ),
        None => "迷你折线图：蓝线为基期及历年实际值，无目标值；数据见下表。".to_owned(),
    };
    IndicatorRow {
        id: i.id.0,
        code: i.code.clone(),
        name: i.name.clone(),
        unit: i.unit.clone(),
        direction: i.direction.label_zh(),
        theme: i.theme.clone(),
        source: i
            .source_department
            .and_then(|d| ds.departments.iter().find(|x| x.id == d))
            .map(|d| d.short_name.clone()),
        baseline: i
            .baseline
            .map(|b| format!("{}（{}年）", fmt(b.value), b.year)),
        targets: i
            .targets
            .iter()
            .map(|t| format!("{}（{}年）", fmt(t.value), t.year))
            .collect(),
        latest: progress
            .latest
            .map(|l| format!("{}（{}年）", fmt(l.value), l.year)),
        category: category_tag(progress.category),
        method: method_label(progress.method),
        reason: progress.reason.clone(),
        score: progress.score.map(|s| format!("{s:.2}")),
        years: by_year.into_values().collect(),
        chart: svg::sparkline(&format!("spark-{}", i.id.0), &title, &desc, &points, target),
    }
}

fn empty_year(year: i32) -> IndicatorYear {
    IndicatorYear {
        year,
        baseline: None,
        actual: None,
        target: None,
    }
}

/// Indicators with their progress as of the period's year.
pub fn indicators_view(
    county: &County,
    ds: &CountyDataset,
    query: &AnalysisQuery,
    settings: &CountySettings,
) -> Result<IndicatorsView, AppError> {
    let period = resolve_period(query, ds)?;
    let items: Vec<IndicatorRow> = ds
        .indicators
        .iter()
        .map(|i| indicator_row(ds, i, period.year(), &settings.1.indicator_progress))
        .collect();
    let counts = [
        ProgressCategory::TargetAchieved,
        ProgressCategory::Substantial,
        ProgressCategory::Moderate,
        ProgressCategory::Limited,
        ProgressCategory::Deterioration,
        ProgressCategory::NotAvailable,
    ]
    .into_iter()
    .map(|c| CategoryCount {
        count: items
            .iter()
            .filter(|i| i.category.code == code_of(c))
            .count(),
        category: category_tag(c),
    })
    .collect();
    Ok(IndicatorsView {
        county: county.into(),
        period: PeriodInfo::new(period, query, &ds.project_reports),
        year: period.year(),
        counts,
        items,
    })
}

// ------------------------------------------------------------------ project earned value

/// Earned value at the end of one month.
#[derive(Debug, Clone, Serialize)]
pub struct EvMonth {
    pub period: YearMonth,
    pub pv: Amount,
    pub ev: Option<Amount>,
    pub ac: Amount,
    pub spi: Option<String>,
    pub cpi: Option<String>,
}

/// The latest earned-value figures, as of the period.
#[derive(Debug, Clone, Serialize)]
pub struct EvLatest {
    pub period: YearMonth,
    pub report_period: Option<YearMonth>,
    pub bac: Amount,
    pub pv: Amount,
    pub ev: Option<Amount>,
    pub ac: Amount,
    pub sv: Option<Amount>,
    pub cv: Option<Amount>,
    pub spi: Option<String>,
    pub cpi: Option<String>,
    pub eac: Option<Amount>,
}

impl From<&EarnedValue> for EvLatest {
    fn from(v: &EarnedValue) -> Self {
        EvLatest {
            period: v.period,
            report_period: v.report_period,
            bac: v.bac.into(),
            pv: v.pv.into(),
            ev: v.ev.map(Amount::from),
            ac: v.ac.into(),
            sv: v.sv.map(Amount::from),
            cv: v.cv.map(Amount::from),
            spi: index_text(v.spi),
            cpi: index_text(v.cpi),
            eac: v.eac.map(Amount::from),
        }
    }
}

/// A project's earned value from its first report to the period.
#[derive(Debug, Clone, Serialize)]
pub struct ProjectEv {
    pub period: YearMonth,
    pub first: Option<YearMonth>,
    pub months: Vec<EvMonth>,
    pub chart: Option<String>,
    pub latest: EvLatest,
}

/// Earned value of `project` month by month; `county_reports` are all the county's reports
/// (for the default period), the project's own are picked from them.
pub fn project_ev(
    project: &Project,
    county_reports: &[ProjectReport],
    query: &AnalysisQuery,
) -> Result<Option<ProjectEv>, AppError> {
    let Some(period) = parse_period(query)?.or_else(|| latest_report_period(county_reports)) else {
        return Ok(None);
    };
    let mine: Vec<&ProjectReport> = county_reports
        .iter()
        .filter(|r| r.project_id == project.id)
        .collect();
    let first = mine.iter().map(|r| r.period).min();
    let months: Vec<EvMonth> = first
        .map(|f| {
            f.through(period)
                .map(|m| {
                    let v = earned_value::project(project, &mine, m);
                    EvMonth {
                        period: m,
                        pv: v.pv.into(),
                        ev: v.ev.map(Amount::from),
                        ac: v.ac.into(),
                        spi: index_text(v.spi),
                        cpi: index_text(v.cpi),
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    let latest = earned_value::project(project, &mine, period);
    let wan = |a: &Amount| Money::from_yuan(a.yuan).as_wan_f64();
    let chart = (!months.is_empty()).then(|| {
        svg::line_chart(
            &format!("chart-ev-{}", project.id.0),
            &format!("{}：计划值、挣值与实际投资（万元）", project.name),
            &format!(
                "折线图：{} 至 {} 各月末的计划值 PV（虚线）、挣值 EV（点线）和实际完成投资 AC（实线）；数据见下表。",
                months.first().map(|m| m.period.to_string()).unwrap_or_default(),
                period
            ),
            "万元",
            &months
                .iter()
                .map(|m| m.period.to_string())
                .collect::<Vec<_>>(),
            &[
                Series {
                    name: "计划值 PV".into(),
                    style: Style::Plan,
                    values: months.iter().map(|m| Some(wan(&m.pv))).collect(),
                },
                Series {
                    name: "挣值 EV".into(),
                    style: Style::Earned,
                    values: months.iter().map(|m| m.ev.as_ref().map(wan)).collect(),
                },
                Series {
                    name: "实际投资 AC".into(),
                    style: Style::Actual,
                    values: months.iter().map(|m| Some(wan(&m.ac))).collect(),
                },
            ],
        )
    });
    Ok(Some(ProjectEv {
        period,
        first,
        months,
        chart,
        latest: (&latest).into(),
    }))
}

/// Loads what [`project_ev`] needs for the project page.
pub async fn load_project_ev(
    store: &xiancheng_store::Store,
    county: &County,
    id: ProjectId,
    query: &AnalysisQuery,
) -> Result<Option<ProjectEv>, AppError> {
    let Some(project) = store.project(county.id, id).await? else {
        return Ok(None);
    };
    let reports = store.project_reports(county.id, None).await?;
    project_ev(&project, &reports, query)
}
