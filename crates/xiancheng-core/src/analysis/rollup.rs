//! Roll-ups of physical progress and investment by one dimension, for one period, and the
//! progress of each key task with the rule that produced it.
//!
//! A project counts in every group it belongs to (a project serving two tasks counts in
//! both tasks); by funding channel, a project's figures are shared out in proportion to
//! its planned funding lines, so channel totals add up to the county total.

use super::earned_value::{self, EarnedValue, annual_plan};
use super::latest_approved;
use crate::dataset::CountyDataset;
use crate::enums::{FundingChannel, ProgressMode, ReportStatus, Stage};
use crate::ids::{CategoryId, DepartmentId, ProjectId, TaskAreaId, TaskId};
use crate::model::{Project, ProjectReport, Task};
use crate::money::Money;
use crate::period::{Percent, YearMonth};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// What to group by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    Category,
    Area,
    Task,
    Department,
    Channel,
    Township,
    Stage,
    County,
}

impl Dimension {
    pub const ALL: &'static [(&'static str, Dimension)] = &[
        ("category", Dimension::Category),
        ("area", Dimension::Area),
        ("task", Dimension::Task),
        ("department", Dimension::Department),
        ("channel", Dimension::Channel),
        ("township", Dimension::Township),
        ("stage", Dimension::Stage),
        ("county", Dimension::County),
    ];

    pub fn parse(field: &str, input: &str) -> Result<Dimension, crate::ValidationError> {
        Self::ALL
            .iter()
            .find(|(k, _)| *k == input.trim())
            .map(|(_, d)| *d)
            .ok_or_else(|| {
                let keys: Vec<&str> = Self::ALL.iter().map(|(k, _)| *k).collect();
                crate::ValidationError::new(
                    field,
                    input,
                    format!("汇总维度之一：{}", keys.join("、")),
                    format!("one of {}", keys.join(", ")),
                )
            })
    }
}

/// Figures of one project for one period, the unit every roll-up sums.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProjectFigures {
    pub project_id: ProjectId,
    pub total_investment: Money,
    /// The annual plan of the period's year.
    pub planned_this_year: Money,
    pub completed_this_month: Money,
    /// Cumulative at the period minus cumulative at the end of the previous year.
    pub completed_this_year: Money,
    pub completed_cumulative: Money,
    pub progress: Option<Percent>,
    pub earned_value: EarnedValue,
}

/// Computes [`ProjectFigures`] for every project of the dataset from its grouped reports.
fn figures_from(
    ds: &CountyDataset,
    period: YearMonth,
    reports: &HashMap<ProjectId, Vec<&ProjectReport>>,
) -> Vec<ProjectFigures> {
    let december = YearMonth::new(period.year() - 1, 12).unwrap_or(period);
    ds.projects
        .iter()
        .map(|p| {
            let mine = reports.get(&p.id).map(Vec::as_slice).unwrap_or_default();
            let latest = latest_approved(mine, period);
            let before_year = latest_approved(mine, december);
            let cumulative = latest
                .as_ref()
                .map(|r| r.investment_cumulative)
                .unwrap_or_default();
            let this_month = mine
                .iter()
                .find(|r| r.period == period && r.status == ReportStatus::Approved)
                .map(|r| r.investment_month)
                .unwrap_or_default();
            ProjectFigures {
                project_id: p.id,
                total_investment: p.total_investment,
                planned_this_year: annual_plan(&p.annual_plan, period.year()),
                completed_this_month: this_month,
                completed_this_year: cumulative
                    .saturating_sub(
                        before_year
                            .map(|r| r.investment_cumulative)
                            .unwrap_or_default(),
                    )
                    .max(Money::ZERO),
                completed_cumulative: cumulative,
                progress: latest.as_ref().map(|r| r.progress),
                earned_value: earned_value::project(p, mine, period),
            }
        })
        .collect()
}

/// One group of a roll-up.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RollupRow {
    pub key: String,
    pub label: String,
    pub projects: usize,
    pub total_investment: Money,
    pub planned_this_year: Money,
    pub completed_this_month: Money,
    pub completed_this_year: Money,
    pub completed_cumulative: Money,
    /// Physical progress weighted by total investment, over projects with a figure.
    pub progress: Option<Percent>,
    /// Year-to-date completion against the annual plan (投资完成率).
    pub completion_rate: Option<f64>,
    pub earned_value: EarnedValue,
}

/// A whole project; a share of 10^12 keeps pro-rata channel splits exact to the yuan.
const SHARE_WHOLE: i128 = 1_000_000_000_000;

#[derive(Default)]
struct Acc {
    label: String,
    projects: usize,
    total: i128,
    planned: i128,
    month: i128,
    year: i128,
    cumulative: i128,
    weighted_progress: i128,
    weight: i128,
    pv: i128,
    ev: i128,
    any_ev: bool,
    ac: i128,
    bac: i128,
}

impl Acc {
    /// Adds `share` (parts of [`SHARE_WHOLE`]) of a project's figures.
    fn add(&mut self, f: &ProjectFigures, share: i128) {
        let part = |m: Money| i128::from(m.yuan()) * share / SHARE_WHOLE;
        self.projects += 1;
        self.total += part(f.total_investment);
        self.planned += part(f.planned_this_year);
        self.month += part(f.completed_this_month);
        self.year += part(f.completed_this_year);
        self.cumulative += part(f.completed_cumulative);
        if let Some(p) = f.progress {
            self.weighted_progress += part(f.total_investment) * i128::from(p.basis_points());
            self.weight += part(f.total_investment);
        }
        self.bac += part(f.earned_value.bac);
        self.pv += part(f.earned_value.pv);
        self.ac += part(f.earned_value.ac);
        if let Some(ev) = f.earned_value.ev {
            self.ev += part(ev);
            self.any_ev = true;
        }
    }

    fn finish(self, key: String, period: YearMonth) -> RollupRow {
        let m = |v: i128| Money::from_yuan(v as i64);
        let ev = EarnedValue {
            period,
            bac: m(self.bac),
            pv: m(self.pv),
            ev: None,
            ac: m(self.ac),
            sv: None,
            cv: None,
            spi: None,
            cpi: None,
            eac: None,
            report_period: None,
        };
        let ev = if self.any_ev {
            let with = EarnedValue {
                ev: Some(m(self.ev)),
                ..ev.clone()
            };
            earned_value::combine(period, [&with])
        } else {
            earned_value::combine(period, [&ev])
        };
        RollupRow {
            key,
            label: self.label,
            projects: self.projects,
            total_investment: m(self.total),
            planned_this_year: m(self.planned),
            completed_this_month: m(self.month),
            completed_this_year: m(self.year),
            completed_cumulative: m(self.cumulative),
            progress: (self.weight > 0).then(|| {
                Percent::from_basis_points((self.weighted_progress / self.weight) as i64)
                    .unwrap_or(Percent::ZERO)
            }),
            completion_rate: (self.planned > 0).then(|| self.year as f64 / self.planned as f64),
            earned_value: ev,
        }
    }
}

/// The key of a group: an id or a code, made into text only for the finished row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum GroupKey<'a> {
    Id(i64),
    Code(&'a str),
}

impl GroupKey<'_> {
    fn text(self) -> String {
        match self {
            GroupKey::Id(id) => id.to_string(),
            GroupKey::Code(code) => code.to_owned(),
        }
    }
}

/// Names looked up while grouping, indexed once per county.
#[derive(Debug)]
struct Names<'a> {
    departments: HashMap<DepartmentId, &'a str>,
    categories: HashMap<CategoryId, (&'a str, &'a str)>,
    areas: HashMap<TaskAreaId, &'a str>,
    division_code: String,
}

impl<'a> Names<'a> {
    fn new(ds: &'a CountyDataset) -> Self {
        Names {
            departments: ds
                .departments
                .iter()
                .map(|d| (d.id, d.short_name.as_str()))
                .collect(),
            categories: ds
                .categories
                .iter()
                .map(|c| (c.id, (c.code.as_str(), c.name.as_str())))
                .collect(),
            areas: ds
                .task_areas
                .iter()
                .map(|a| (a.id, a.title.as_str()))
                .collect(),
            division_code: ds.county.division_code.to_string(),
        }
    }
}

/// Calls `add(key, label, share)` for each group a project belongs to under `by`; the share
/// is in parts of [`SHARE_WHOLE`].
fn for_each_group<'a>(
    ds: &'a CountyDataset,
    names: &'a Names<'a>,
    p: &'a Project,
    by: Dimension,
    tasks_of: &HashMap<ProjectId, Vec<&'a Task>>,
    add: &mut dyn FnMut(GroupKey<'a>, &'a str, i128),
) {
    const WHOLE: i128 = SHARE_WHOLE;
    let department = |id: DepartmentId| names.departments.get(&id).copied().unwrap_or("");
    match by {
        Dimension::County => add(GroupKey::Code(&names.division_code), &ds.county.name, WHOLE),
        Dimension::Category => {
            let (code, name) = names
                .categories
                .get(&p.category)
                .copied()
                .unwrap_or(("", ""));
            add(GroupKey::Code(code), name, WHOLE);
        }
        Dimension::Department => add(GroupKey::Id(p.lead.0), department(p.lead), WHOLE),
        Dimension::Township => match p.township {
            Some(t) => add(GroupKey::Id(t.0), department(t), WHOLE),
            None => add(GroupKey::Code("none"), "未定位", WHOLE),
        },
        Dimension::Stage => add(GroupKey::Code(p.stage.code()), p.stage.label_zh(), WHOLE),
        Dimension::Task => {
            for t in tasks_of.get(&p.id).map(Vec::as_slice).unwrap_or_default() {
                add(GroupKey::Id(t.id.0), &t.title, WHOLE);
            }
        }
        Dimension::Area => {
            let mut areas: Vec<TaskAreaId> = tasks_of
                .get(&p.id)
                .map(|ts| ts.iter().map(|t| t.area_id).collect())
                .unwrap_or_default();
            areas.sort_unstable();
            areas.dedup();
            for a in areas {
                add(
                    GroupKey::Id(a.0),
                    names.areas.get(&a).copied().unwrap_or(""),
                    WHOLE,
                );
            }
        }
        Dimension::Channel => {
            let planned: i128 = p.funding.iter().map(|f| i128::from(f.planned.yuan())).sum();
            if planned <= 0 {
                add(
                    GroupKey::Code(FundingChannel::Other.code()),
                    "未落实资金渠道",
                    WHOLE,
                );
                return;
            }
            let mut by_channel: BTreeMap<FundingChannel, i128> = BTreeMap::new();
            for f in &p.funding {
                *by_channel.entry(f.channel).or_default() += i128::from(f.planned.yuan());
            }
            for (c, amount) in by_channel {
                add(
                    GroupKey::Code(c.code()),
                    c.label_zh(),
                    amount * WHOLE / planned,
                );
            }
        }
    }
}

/// What roll-ups and task progress need, computed once per county and period: each
/// project's figures and the tasks each project serves. Several dimensions from one
/// `Prepared` cost one pass over the reports.
#[derive(Debug)]
pub struct Prepared<'a> {
    ds: &'a CountyDataset,
    period: YearMonth,
    /// In the order of `ds.projects`.
    pub figures: Vec<ProjectFigures>,
    /// Each project's reports, oldest first.
    pub reports: HashMap<ProjectId, Vec<&'a ProjectReport>>,
    tasks_of: HashMap<ProjectId, Vec<&'a Task>>,
    names: Names<'a>,
}

/// Prepares `ds` for roll-ups as of `period`.
pub fn prepare(ds: &CountyDataset, period: YearMonth) -> Prepared<'_> {
    let mut tasks_of: HashMap<ProjectId, Vec<&Task>> = HashMap::new();
    for t in &ds.tasks {
        for p in &t.projects {
            tasks_of.entry(*p).or_default().push(t);
        }
    }
    let reports = super::reports_by_project(ds);
    Prepared {
        ds,
        period,
        figures: figures_from(ds, period, &reports),
        reports,
        tasks_of,
        names: Names::new(ds),
    }
}

impl<'a> Prepared<'a> {
    pub fn dataset(&self) -> &'a CountyDataset {
        self.ds
    }

    pub fn period(&self) -> YearMonth {
        self.period
    }

    /// Rolls the county up by `by`, groups in a stable order.
    pub fn rollup(&self, by: Dimension) -> Vec<RollupRow> {
        // Groups in the order first met; an index keeps the lookups cheap.
        let mut index: HashMap<GroupKey<'_>, usize> = HashMap::new();
        let mut groups: Vec<(GroupKey<'_>, Acc)> = Vec::new();
        for (p, f) in self.ds.projects.iter().zip(&self.figures) {
            for_each_group(
                self.ds,
                &self.names,
                p,
                by,
                &self.tasks_of,
                &mut |key, label, share| {
                    let i = *index.entry(key).or_insert_with(|| {
                        groups.push((
                            key,
                            Acc {
                                label: label.to_owned(),
                                ..Default::default()
                            },
                        ));
                        groups.len() - 1
                    });
                    groups[i].1.add(f, share);
                },
            );
        }
        let mut rows: Vec<RollupRow> = groups
            .into_iter()
            .map(|(key, acc)| acc.finish(key.text(), self.period))
            .collect();
        if by == Dimension::Stage {
            rows.sort_by_key(|r| Stage::parse("stage", &r.key).ok());
        }
        rows
    }

    /// Progress of every task (see [`task_progress`]).
    pub fn task_progress(&self) -> Vec<TaskProgress> {
        let figures: HashMap<ProjectId, &ProjectFigures> =
            self.figures.iter().map(|f| (f.project_id, f)).collect();
        task_progress_from(self.ds, self.period, &figures)
    }
}

/// Rolls the county up by `by` as of `period`, groups in a stable order.
pub fn rollup(ds: &CountyDataset, period: YearMonth, by: Dimension) -> Vec<RollupRow> {
    prepare(ds, period).rollup(by)
}

/// A task's progress and how it was obtained.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TaskProgress {
    pub task_id: TaskId,
    pub progress: Option<Percent>,
    pub mode: ProgressMode,
    /// The rule in words: 由 3 个关联项目按总投资加权推算 …
    pub rule: String,
}

/// Progress of every task as of `period`: derived from linked projects weighted by total
/// investment, entered (the latest approved task report, else the entered figure), or
/// excluded from roll-up.
pub fn task_progress(ds: &CountyDataset, period: YearMonth) -> Vec<TaskProgress> {
    prepare(ds, period).task_progress()
}

fn task_progress_from(
    ds: &CountyDataset,
    period: YearMonth,
    figures: &HashMap<ProjectId, &ProjectFigures>,
) -> Vec<TaskProgress> {
    ds.tasks
        .iter()
        .map(|t| match t.progress_mode {
            ProgressMode::Excluded => TaskProgress {
                task_id: t.id,
                progress: None,
                mode: t.progress_mode,
                rule: "不参与汇总（excluded from roll-up）".into(),
            },
            ProgressMode::Entered => {
                let reported = ds
                    .task_reports
                    .iter()
                    .filter(|r| {
                        r.task_id == t.id
                            && r.status == ReportStatus::Approved
                            && r.period <= period
                            && r.progress.is_some()
                    })
                    .max_by_key(|r| r.period);
                match reported {
                    Some(r) => TaskProgress {
                        task_id: t.id,
                        progress: r.progress,
                        mode: t.progress_mode,
                        rule: format!("取 {} 已审核填报进度", r.period),
                    },
                    None => TaskProgress {
                        task_id: t.id,
                        progress: t.entered_progress,
                        mode: t.progress_mode,
                        rule: "取任务登记的填报进度（无已审核月报）".into(),
                    },
                }
            }
            ProgressMode::Derived => {
                let (mut weighted, mut weight, mut counted) = (0i128, 0i128, 0usize);
                for f in t.projects.iter().filter_map(|p| figures.get(p)) {
                    if let Some(p) = f.progress {
                        weighted +=
                            i128::from(f.total_investment.yuan()) * i128::from(p.basis_points());
                        weight += i128::from(f.total_investment.yuan());
                        counted += 1;
                    }
                }
                let progress = (weight > 0).then(|| {
                    Percent::from_basis_points((weighted / weight) as i64).unwrap_or(Percent::ZERO)
                });
                let rule = if counted == 0 {
                    format!(
                        "关联 {} 个项目均无已审核形象进度，无法推算",
                        t.projects.len()
                    )
                } else {
                    format!(
                        "由 {counted} 个关联项目（共 {} 个）的形象进度按总投资加权推算",
                        t.projects.len()
                    )
                };
                TaskProgress {
                    task_id: t.id,
                    progress,
                    mode: t.progress_mode,
                    rule,
                }
            }
        })
        .collect()
}
