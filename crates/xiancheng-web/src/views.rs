//! View models: what pages and JSON show, built from store reads. Names are resolved
//! (department ids → names, item numbers → headings), enums carry their Chinese and English
//! labels beside their codes, and money is given both in yuan (exact) and as 万元 text.

use crate::error::AppError;
use serde::Serialize;
use std::collections::HashMap;
use xiancheng_core::enums::*;
use xiancheng_core::ids::*;
use xiancheng_core::model::*;
use xiancheng_core::{DivisionCode, Money, Percent, YearMonth};
use xiancheng_store::{ProjectFilter, ProjectPage, ProjectSort, Store};

/// The notice shown with illustrative data.
pub const ILLUSTRATIVE_NOTICE: &str = "示例数据：本县数据为演示用虚构数据，不代表官方统计或批复。Illustrative data, not official figures.";

/// A code with its labels.
#[derive(Debug, Clone, Serialize)]
pub struct Label {
    pub code: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
}

macro_rules! label_of {
    ($($t:ty),*) => {$(
        impl From<$t> for Label {
            fn from(v: $t) -> Label {
                Label { code: v.code(), zh: v.label_zh(), en: v.label_en() }
            }
        }
    )*};
}
label_of!(
    FunctionalType,
    PlanStatus,
    NodeLevel,
    AlignmentStatus,
    ItemRole,
    Verification,
    PositioningKind,
    DepartmentKind,
    Direction,
    TaskStatus,
    ProgressMode,
    Cadence,
    ConstructionNature,
    FundingNature,
    Stage,
    FundingChannel,
    FundingStatus,
    PermitKind,
    PermitStatus,
    RiskCategory,
    RiskStatus,
    ReportStatus
);

/// An amount: exact yuan and 万元 text.
#[derive(Debug, Clone, Serialize)]
pub struct Amount {
    pub yuan: i64,
    pub wan: String,
}

impl From<Money> for Amount {
    fn from(m: Money) -> Amount {
        Amount {
            yuan: m.yuan(),
            wan: m.format_wan(),
        }
    }
}

/// A department reference: id and names.
#[derive(Debug, Clone, Serialize)]
pub struct DeptRef {
    pub id: DepartmentId,
    pub name: String,
    pub short_name: String,
}

pub struct Departments(HashMap<DepartmentId, Department>);

impl Departments {
    pub fn new(list: Vec<Department>) -> Self {
        Departments(list.into_iter().map(|d| (d.id, d)).collect())
    }

    pub fn get(&self, id: DepartmentId) -> Option<DeptRef> {
        self.0.get(&id).map(|d| DeptRef {
            id,
            name: d.name.clone(),
            short_name: d.short_name.clone(),
        })
    }

    pub fn townships(&self) -> Vec<DeptRef> {
        let mut list: Vec<&Department> = self.0.values().filter(|d| d.kind.is_township()).collect();
        list.sort_by_key(|d| d.id);
        list.iter()
            .map(|d| DeptRef {
                id: d.id,
                name: d.name.clone(),
                short_name: d.short_name.clone(),
            })
            .collect()
    }
}

pub fn parse_division_code(input: &str) -> Result<DivisionCode, AppError> {
    DivisionCode::parse("division_code", input).map_err(|e| AppError::BadRequest(e.to_string()))
}

pub async fn load_county(store: &Store, code: &str) -> Result<County, AppError> {
    let code = parse_division_code(code)?;
    store.county_by_code(code).await?.ok_or_else(|| {
        AppError::not_found(format!("行政区划代码为 {code} 的县（county not found）"))
    })
}

/// What every county page and response carries about the county.
#[derive(Debug, Clone, Serialize)]
pub struct CountyHeader {
    pub division_code: String,
    pub name: String,
    pub name_en: String,
    pub province: String,
    pub city: String,
    pub seat: String,
    pub primary_type: Label,
    pub secondary_type: Option<Label>,
    pub area_km2: Option<f64>,
    pub illustrative: bool,
    pub notice: Option<&'static str>,
}

impl From<&County> for CountyHeader {
    fn from(c: &County) -> Self {
        CountyHeader {
            division_code: c.division_code.to_string(),
            name: c.name.clone(),
            name_en: c.name_en.clone(),
            province: c.province.clone(),
            city: c.city.clone(),
            seat: c.seat.clone(),
            primary_type: c.primary_type.into(),
            secondary_type: c.secondary_type.map(Label::from),
            area_km2: c.area_km2,
            illustrative: c.illustrative,
            notice: c.illustrative.then_some(ILLUSTRATIVE_NOTICE),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct PlanHeader {
    pub id: PlanId,
    pub title: String,
    pub issuing_body: String,
    pub doc_number: String,
    pub issued_on: Option<String>,
    pub period_start: i32,
    pub period_end: i32,
    pub outlook_year: Option<i32>,
    pub status: Label,
}

impl From<&Plan> for PlanHeader {
    fn from(p: &Plan) -> Self {
        PlanHeader {
            id: p.id,
            title: p.title.clone(),
            issuing_body: p.issuing_body.clone(),
            doc_number: p.doc_number.clone(),
            issued_on: p.issued_on.map(|d| d.to_string()),
            period_start: p.period_start,
            period_end: p.period_end,
            outlook_year: p.outlook_year,
            status: p.status.into(),
        }
    }
}

async fn current_plan(store: &Store, county: &County) -> Result<Plan, AppError> {
    store
        .current_plan(county.id)
        .await?
        .ok_or_else(|| AppError::not_found(format!("{}的工作方案（no plan loaded）", county.name)))
}

// ------------------------------------------------------------------ overview

#[derive(Debug, Clone, Serialize)]
pub struct Counts {
    pub chapters: usize,
    pub articles: usize,
    pub task_areas: usize,
    pub tasks: usize,
    pub safeguards: usize,
    pub categories: usize,
    pub projects: i64,
    pub indicators: usize,
    pub departments: usize,
    pub townships: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct PositioningGroup {
    pub kind: Label,
    pub items: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct IndicatorView {
    pub code: String,
    pub name: String,
    pub unit: String,
    pub direction: Label,
    pub theme: String,
    pub source: Option<String>,
    pub baseline: Option<YearValue>,
    pub targets: Vec<YearValue>,
    pub actuals: Vec<YearValue>,
    pub latest: Option<YearValue>,
}

#[derive(Debug, Clone, Serialize)]
pub struct StageCount {
    pub stage: Label,
    pub projects: i64,
    pub investment: Amount,
}

#[derive(Debug, Clone, Serialize)]
pub struct PopulationView {
    pub year: i32,
    pub kind: &'static str,
    pub persons: i64,
    pub source: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct CountyOverview {
    pub county: CountyHeader,
    pub plan: Option<PlanHeader>,
    pub functional_type_heading: Option<String>,
    pub population: Vec<PopulationView>,
    pub counts: Counts,
    pub positioning: Vec<PositioningGroup>,
    pub goals: Vec<Goal>,
    pub indicators: Vec<IndicatorView>,
    pub interpretation: Option<Interpretation>,
    /// The interpretation's text split into paragraphs.
    pub interpretation_paragraphs: Vec<String>,
    pub total_investment: Amount,
    pub by_stage: Vec<StageCount>,
    pub alignment_summary: AlignmentSummary,
}

pub async fn county_overview(store: &Store, county: &County) -> Result<CountyOverview, AppError> {
    let plan = store.current_plan(county.id).await?;
    let nodes = store.plan_nodes(county.id).await?;
    let departments = store.departments(county.id).await?;
    let deps = Departments::new(departments.clone());
    let framework = store.national_framework().await?;
    let by_stage = store.project_stage_summary(county.id).await?;
    let projects_total: i64 = by_stage.iter().map(|s| s.1).sum();
    let total_investment: Money = by_stage.iter().map(|s| s.2).sum();
    let positioning_elements = store.positioning(county.id).await?;
    let mut positioning: Vec<PositioningGroup> = Vec::new();
    for e in positioning_elements
        .iter()
        .filter(|e| Some(e.plan_id) == plan.as_ref().map(|p| p.id))
    {
        match positioning.last_mut() {
            Some(g) if g.kind.code == e.kind.code() => g.items.push(e.text.clone()),
            _ => positioning.push(PositioningGroup {
                kind: e.kind.into(),
                items: vec![e.text.clone()],
            }),
        }
    }
    let indicators = store
        .indicators(county.id)
        .await?
        .into_iter()
        .map(|i| IndicatorView {
            latest: i.actuals.last().copied(),
            code: i.code,
            name: i.name,
            unit: i.unit,
            direction: i.direction.into(),
            theme: i.theme,
            source: i
                .source_department
                .and_then(|d| deps.get(d))
                .map(|d| d.short_name),
            baseline: i.baseline,
            targets: i.targets,
            actuals: i.actuals,
        })
        .collect::<Vec<_>>();
    let alignments = store.alignments(county.id).await?;
    Ok(CountyOverview {
        county: county.into(),
        functional_type_heading: framework
            .functional_types
            .iter()
            .find(|t| t.code == county.primary_type)
            .map(|t| t.heading.clone()),
        population: store
            .population(county.id)
            .await?
            .into_iter()
            .map(|p| PopulationView {
                year: p.year,
                kind: p.kind.label_zh(),
                persons: p.persons,
                source: p.source,
            })
            .collect(),
        counts: Counts {
            chapters: nodes
                .iter()
                .filter(|n| n.level == NodeLevel::Chapter)
                .count(),
            articles: nodes
                .iter()
                .filter(|n| n.level == NodeLevel::Article)
                .count(),
            task_areas: store.task_areas(county.id).await?.len(),
            tasks: store.tasks(county.id).await?.len(),
            safeguards: store.safeguards(county.id).await?.len(),
            categories: store.categories(county.id).await?.len(),
            projects: projects_total,
            indicators: indicators.len(),
            departments: departments.iter().filter(|d| !d.kind.is_township()).count(),
            townships: departments.iter().filter(|d| d.kind.is_township()).count(),
        },
        goals: store.goals(county.id).await?,
        indicators,
        interpretation_paragraphs: plan
            .as_ref()
            .and_then(|p| p.interpretation.as_ref())
            .map(|i| i.text.lines().map(str::to_owned).collect())
            .unwrap_or_default(),
        interpretation: plan.as_ref().and_then(|p| p.interpretation.clone()),
        plan: plan.as_ref().map(PlanHeader::from),
        positioning,
        total_investment: total_investment.into(),
        by_stage: by_stage
            .into_iter()
            .map(|(s, n, m)| StageCount {
                stage: s.into(),
                projects: n,
                investment: m.into(),
            })
            .collect(),
        alignment_summary: summarize(&framework, &alignments),
    })
}

// ------------------------------------------------------------------ plan tree

#[derive(Debug, Clone, Serialize)]
pub struct ItemRef {
    pub number: i32,
    pub label: String,
    pub heading: String,
    pub status: Label,
    pub reason: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct NodeView {
    pub id: PlanNodeId,
    pub level: Label,
    pub label: String,
    pub title: String,
    pub body: String,
    pub alignments: Vec<ItemRef>,
    pub children: Vec<NodeView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PlanView {
    pub county: CountyHeader,
    pub plan: PlanHeader,
    pub interpretation: Option<Interpretation>,
    pub chapters: usize,
    pub articles: usize,
    pub tree: Vec<NodeView>,
}

pub async fn plan_view(store: &Store, county: &County) -> Result<PlanView, AppError> {
    let plan = current_plan(store, county).await?;
    let framework = store.national_framework().await?;
    let items: HashMap<i32, &NationalItem> =
        framework.items.iter().map(|i| (i.number, i)).collect();
    let nodes: Vec<PlanNode> = store
        .plan_nodes(county.id)
        .await?
        .into_iter()
        .filter(|n| n.plan_id == plan.id)
        .collect();
    let mut by_node: HashMap<PlanNodeId, Vec<ItemRef>> = HashMap::new();
    for a in store
        .alignments(county.id)
        .await?
        .into_iter()
        .filter(|a| a.plan_id == plan.id)
    {
        if let (Some(node), Some(item)) = (a.node, items.get(&a.national_item)) {
            by_node.entry(node).or_default().push(ItemRef {
                number: a.national_item,
                label: item.label.clone(),
                heading: item.heading.clone(),
                status: a.status.into(),
                reason: a.reason.clone(),
            });
        }
    }
    let mut children: HashMap<Option<PlanNodeId>, Vec<&PlanNode>> = HashMap::new();
    for n in &nodes {
        children.entry(n.parent).or_default().push(n);
    }
    fn build(
        parent: Option<PlanNodeId>,
        children: &HashMap<Option<PlanNodeId>, Vec<&PlanNode>>,
        by_node: &mut HashMap<PlanNodeId, Vec<ItemRef>>,
        depth: usize,
    ) -> Vec<NodeView> {
        let mut list = children.get(&parent).cloned().unwrap_or_default();
        list.sort_by_key(|n| n.ordinal);
        list.into_iter()
            .map(|n| NodeView {
                id: n.id,
                level: n.level.into(),
                label: n.label.clone(),
                title: n.title.clone(),
                body: n.body.clone(),
                alignments: by_node.remove(&n.id).unwrap_or_default(),
                children: if depth < 16 {
                    build(Some(n.id), children, by_node, depth + 1)
                } else {
                    Vec::new()
                },
            })
            .collect()
    }
    let tree = build(None, &children, &mut by_node, 0);
    Ok(PlanView {
        county: county.into(),
        interpretation: plan.interpretation.clone(),
        chapters: nodes
            .iter()
            .filter(|n| n.level == NodeLevel::Chapter)
            .count(),
        articles: nodes
            .iter()
            .filter(|n| n.level == NodeLevel::Article)
            .count(),
        plan: (&plan).into(),
        tree,
    })
}

// ------------------------------------------------------------------ alignment

#[derive(Debug, Clone, Default, Serialize)]
pub struct AlignmentSummary {
    pub items: usize,
    pub covered: usize,
    pub partial: usize,
    pub omitted: usize,
    pub not_applicable: usize,
    pub unmapped: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct NodeRef {
    pub id: PlanNodeId,
    pub label: String,
    pub title: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct AlignmentRow {
    pub number: i32,
    pub label: String,
    pub heading: String,
    pub heading_en: String,
    pub part: i32,
    pub part_title: String,
    pub role: Label,
    pub heading_verification: Label,
    pub status: Label,
    pub reason: String,
    pub nodes: Vec<NodeRef>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AlignmentView {
    pub county: CountyHeader,
    pub plan: PlanHeader,
    pub summary: AlignmentSummary,
    pub items: Vec<AlignmentRow>,
}

/// The status of each national item in a plan: the strongest of its rows (covered beats
/// partial beats omitted beats not applicable); items without a row are unmapped.
fn item_statuses(alignments: &[Alignment]) -> HashMap<i32, AlignmentStatus> {
    let rank = |s: AlignmentStatus| match s {
        AlignmentStatus::Covered => 5,
        AlignmentStatus::Partial => 4,
        AlignmentStatus::Omitted => 3,
        AlignmentStatus::NotApplicable => 2,
        AlignmentStatus::Unmapped => 1,
    };
    let mut map: HashMap<i32, AlignmentStatus> = HashMap::new();
    for a in alignments {
        let e = map.entry(a.national_item).or_insert(a.status);
        if rank(a.status) > rank(*e) {
            *e = a.status;
        }
    }
    map
}

fn summarize(framework: &NationalFramework, alignments: &[Alignment]) -> AlignmentSummary {
    let statuses = item_statuses(alignments);
    let mut s = AlignmentSummary {
        items: framework.items.len(),
        ..Default::default()
    };
    for item in &framework.items {
        match statuses
            .get(&item.number)
            .copied()
            .unwrap_or(AlignmentStatus::Unmapped)
        {
            AlignmentStatus::Covered => s.covered += 1,
            AlignmentStatus::Partial => s.partial += 1,
            AlignmentStatus::Omitted => s.omitted += 1,
            AlignmentStatus::NotApplicable => s.not_applicable += 1,
            AlignmentStatus::Unmapped => s.unmapped += 1,
        }
    }
    s
}

pub async fn alignment_view(store: &Store, county: &County) -> Result<AlignmentView, AppError> {
    let plan = current_plan(store, county).await?;
    let framework = store.national_framework().await?;
    let alignments: Vec<Alignment> = store
        .alignments(county.id)
        .await?
        .into_iter()
        .filter(|a| a.plan_id == plan.id)
        .collect();
    let nodes: HashMap<PlanNodeId, PlanNode> = store
        .plan_nodes(county.id)
        .await?
        .into_iter()
        .map(|n| (n.id, n))
        .collect();
    let statuses = item_statuses(&alignments);
    let parts: HashMap<i32, &NationalPart> =
        framework.parts.iter().map(|p| (p.number, p)).collect();
    let items = framework
        .items
        .iter()
        .map(|item| {
            let rows: Vec<&Alignment> = alignments
                .iter()
                .filter(|a| a.national_item == item.number)
                .collect();
            let status = statuses
                .get(&item.number)
                .copied()
                .unwrap_or(AlignmentStatus::Unmapped);
            AlignmentRow {
                number: item.number,
                label: item.label.clone(),
                heading: item.heading.clone(),
                heading_en: item.heading_en.clone(),
                part: item.part,
                part_title: parts
                    .get(&item.part)
                    .map(|p| format!("{}、{}", p.label, p.title))
                    .unwrap_or_default(),
                role: item.role.into(),
                heading_verification: item.heading_verification.into(),
                status: status.into(),
                reason: rows
                    .iter()
                    .map(|a| a.reason.as_str())
                    .filter(|r| !r.is_empty())
                    .collect::<Vec<_>>()
                    .join("；"),
                nodes: rows
                    .iter()
                    .filter_map(|a| a.node.and_then(|n| nodes.get(&n)))
                    .map(|n| NodeRef {
                        id: n.id,
                        label: n.label.clone(),
                        title: n.title.clone(),
                    })
                    .collect(),
            }
        })
        .collect();
    Ok(AlignmentView {
        county: county.into(),
        plan: (&plan).into(),
        summary: summarize(&framework, &alignments),
        items,
    })
}

// ------------------------------------------------------------------ tasks

#[derive(Debug, Clone, Serialize)]
pub struct MilestoneView {
    pub title: String,
    pub due: String,
    pub done: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TaskView {
    pub id: TaskId,
    pub number: usize,
    pub title: String,
    pub description: String,
    pub article: Option<NodeRef>,
    pub lead: Option<DeptRef>,
    pub co: Vec<DeptRef>,
    pub status: Label,
    pub progress_mode: Label,
    pub entered_progress: Option<Percent>,
    pub cadence: Label,
    pub national_items: Vec<String>,
    pub project_count: usize,
    pub indicators: Vec<String>,
    pub milestones: Vec<MilestoneView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AreaView {
    pub id: TaskAreaId,
    pub ordinal: i32,
    pub title: String,
    pub chapter: Option<NodeRef>,
    pub tasks: Vec<TaskView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SafeguardView {
    pub title: String,
    pub description: String,
    pub article: Option<NodeRef>,
    pub lead: Option<DeptRef>,
    pub co: Vec<DeptRef>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TasksView {
    pub county: CountyHeader,
    pub task_count: usize,
    pub areas: Vec<AreaView>,
    pub safeguards: Vec<SafeguardView>,
}

pub async fn tasks_view(store: &Store, county: &County) -> Result<TasksView, AppError> {
    let deps = Departments::new(store.departments(county.id).await?);
    let nodes: HashMap<PlanNodeId, PlanNode> = store
        .plan_nodes(county.id)
        .await?
        .into_iter()
        .map(|n| (n.id, n))
        .collect();
    let node_ref = |id: Option<PlanNodeId>| {
        id.and_then(|n| nodes.get(&n)).map(|n| NodeRef {
            id: n.id,
            label: n.label.clone(),
            title: n.title.clone(),
        })
    };
    let framework = store.national_framework().await?;
    let items: HashMap<i32, &NationalItem> =
        framework.items.iter().map(|i| (i.number, i)).collect();
    let indicators: HashMap<IndicatorId, String> = store
        .indicators(county.id)
        .await?
        .into_iter()
        .map(|i| (i.id, i.name))
        .collect();
    let tasks = store.tasks(county.id).await?;
    let mut number = 0;
    let areas = store
        .task_areas(county.id)
        .await?
        .into_iter()
        .map(|area| AreaView {
            id: area.id,
            ordinal: area.ordinal,
            chapter: node_ref(area.node),
            tasks: tasks
                .iter()
                .filter(|t| t.area_id == area.id)
                .map(|t| {
                    number += 1;
                    TaskView {
                        id: t.id,
                        number,
                        title: t.title.clone(),
                        description: t.description.clone(),
                        article: node_ref(t.node),
                        lead: deps.get(t.lead),
                        co: t.co.iter().filter_map(|d| deps.get(*d)).collect(),
                        status: t.status.into(),
                        progress_mode: t.progress_mode.into(),
                        entered_progress: t.entered_progress,
                        cadence: t.cadence.into(),
                        national_items: t
                            .national_items
                            .iter()
                            .filter_map(|n| items.get(n))
                            .map(|i| format!("{}{}", i.label, i.heading))
                            .collect(),
                        project_count: t.projects.len(),
                        indicators: t
                            .indicators
                            .iter()
                            .filter_map(|i| indicators.get(i).cloned())
                            .collect(),
                        milestones: t
                            .milestones
                            .iter()
                            .map(|m| MilestoneView {
                                title: m.title.clone(),
                                due: m.due.to_string(),
                                done: m.done.map(|d| d.to_string()),
                            })
                            .collect(),
                    }
                })
                .collect(),
            title: area.title,
        })
        .collect();
    let safeguards = store
        .safeguards(county.id)
        .await?
        .into_iter()
        .map(|s| SafeguardView {
            article: node_ref(s.node),
            lead: s.lead.and_then(|d| deps.get(d)),
            co: s.co.iter().filter_map(|d| deps.get(*d)).collect(),
            title: s.title,
            description: s.description,
        })
        .collect();
    Ok(TasksView {
        county: county.into(),
        task_count: tasks.len(),
        areas,
        safeguards,
    })
}

// ------------------------------------------------------------------ projects

/// Query parameters of the project library, as typed by a person.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct ProjectQuery {
    pub category: Option<String>,
    pub stage: Option<String>,
    pub township: Option<String>,
    pub sort: Option<String>,
    pub page: Option<String>,
    pub per_page: Option<String>,
}

fn nonempty(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn positive(field: &str, input: Option<&str>, default: i64, max: i64) -> Result<i64, AppError> {
    match input {
        None => Ok(default),
        Some(s) => s
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=max).contains(n))
            .ok_or_else(|| {
                AppError::BadRequest(format!(
                    "{field}: “{s}” 无效，应为 1 到 {max} 之间的整数 (an integer from 1 to {max})"
                ))
            }),
    }
}

impl ProjectQuery {
    /// Turns the typed query into a store filter; category and township accept an id, a
    /// code or a name.
    pub fn to_filter(
        &self,
        categories: &[Category],
        townships: &[DeptRef],
    ) -> Result<ProjectFilter, AppError> {
        let category = match nonempty(&self.category) {
            None => None,
            Some(s) => Some(
                categories
                    .iter()
                    .find(|c| c.id.0.to_string() == s || c.code == s || c.name == s)
                    .map(|c| c.id)
                    .ok_or_else(|| {
                        AppError::BadRequest(format!(
                            "category: “{s}” 不是本县的项目类别 (unknown category)"
                        ))
                    })?,
            ),
        };
        let stage = match nonempty(&self.stage) {
            None => None,
            Some(s) => {
                Some(Stage::parse("stage", s).map_err(|e| AppError::BadRequest(e.to_string()))?)
            }
        };
        let township = match nonempty(&self.township) {
            None => None,
            Some(s) => Some(
                townships
                    .iter()
                    .find(|t| t.id.0.to_string() == s || t.short_name == s || t.name == s)
                    .map(|t| t.id)
                    .ok_or_else(|| {
                        AppError::BadRequest(format!(
                            "township: “{s}” 不是本县的乡镇（街道） (unknown township)"
                        ))
                    })?,
            ),
        };
        let sort = match nonempty(&self.sort) {
            None => ProjectSort::default(),
            Some(s) => ProjectSort::parse(s).ok_or_else(|| {
                let keys: Vec<&str> = ProjectSort::ALL.iter().map(|(k, _)| *k).collect();
                AppError::BadRequest(format!("sort: “{s}” 无效，应为 {} 之一", keys.join("、")))
            })?,
        };
        Ok(ProjectFilter {
            category,
            stage,
            township,
            sort,
            page: positive("page", nonempty(&self.page), 1, 100_000)?,
            per_page: positive("per_page", nonempty(&self.per_page), 20, 200)?,
        })
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ProjectRow {
    pub id: ProjectId,
    pub internal_code: String,
    pub national_code: Option<String>,
    pub name: String,
    pub category: String,
    pub township: Option<String>,
    pub lead: String,
    pub stage: Label,
    pub total_investment: Amount,
    pub planned_start: Option<YearMonth>,
    pub planned_finish: Option<YearMonth>,
    pub latest_period: Option<YearMonth>,
    pub latest_progress: Option<Percent>,
    pub latest_cumulative: Option<Amount>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SelectOption {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProjectsView {
    pub county: CountyHeader,
    pub items: Vec<ProjectRow>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
    pub pages: i64,
    pub total_investment: Amount,
    pub categories: Vec<SelectOption>,
    pub stages: Vec<SelectOption>,
    pub townships: Vec<SelectOption>,
    pub sorts: Vec<SelectOption>,
    /// The query string without `page`, for pagination links.
    pub base_query: String,
    /// The map of every project matching the filter (inline SVG, already escaped).
    pub map: String,
}

fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// The map of the projects matching `filter`, with the township centres for orientation.
async fn project_map(
    store: &Store,
    county: &County,
    departments: &[Department],
    filter: &ProjectFilter,
) -> Result<String, AppError> {
    let ds = store.county_dataset_cached(county.id).await?;
    let townships: Vec<crate::svg::MapPoint> = departments
        .iter()
        .filter_map(|d| {
            d.location.map(|l| crate::svg::MapPoint {
                name: d.short_name.clone(),
                lon: l.lon,
                lat: l.lat,
                stage: String::new(),
                stage_label: String::new(),
                link: None,
            })
        })
        .collect();
    let projects: Vec<crate::svg::MapPoint> = ds
        .projects
        .iter()
        .filter(|p| {
            filter.category.is_none_or(|c| p.category == c)
                && filter.stage.is_none_or(|s| p.stage == s)
                && filter.township.is_none_or(|t| p.township == Some(t))
        })
        .filter_map(|p| {
            p.location.map(|l| crate::svg::MapPoint {
                name: p.name.clone(),
                lon: l.lon,
                lat: l.lat,
                stage: p.stage.code().to_owned(),
                stage_label: p.stage.label_zh().to_owned(),
                link: Some(format!(
                    "/counties/{}/projects/{}",
                    county.division_code, p.id
                )),
            })
        })
        .collect();
    Ok(crate::svg::project_map(
        "project-map",
        &format!("{}项目分布图", county.name),
        &townships,
        &projects,
    ))
}

pub async fn projects_view(
    store: &Store,
    county: &County,
    query: &ProjectQuery,
) -> Result<ProjectsView, AppError> {
    let categories = store.categories(county.id).await?;
    let departments = store.departments(county.id).await?;
    let townships = Departments::new(departments.clone()).townships();
    let filter = query.to_filter(&categories, &townships)?;
    let page: ProjectPage = store.projects_page(county.id, &filter).await?;
    let map = project_map(store, county, &departments, &filter).await?;
    let mut base = Vec::new();
    if let Some(c) = filter.category {
        base.push(format!("category={c}"));
    }
    if let Some(s) = filter.stage {
        base.push(format!("stage={}", s.code()));
    }
    if let Some(t) = filter.township {
        base.push(format!("township={t}"));
    }
    if filter.sort != ProjectSort::default() {
        base.push(format!("sort={}", encode(filter.sort.key())));
    }
    if filter.per_page != 20 {
        base.push(format!("per_page={}", filter.per_page));
    }
    let sort_labels = [
        ("code", "按编号"),
        ("name", "按名称"),
        ("-investment", "总投资从高到低"),
        ("investment", "总投资从低到高"),
        ("stage", "按阶段"),
        ("start", "按计划开工"),
    ];
    Ok(ProjectsView {
        county: county.into(),
        total: page.total,
        page: page.page,
        per_page: page.per_page,
        pages: ((page.total + page.per_page - 1) / page.per_page).max(1),
        total_investment: page.total_investment.into(),
        items: page
            .items
            .into_iter()
            .map(|p| ProjectRow {
                id: p.id,
                internal_code: p.internal_code,
                national_code: p.national_code,
                name: p.name,
                category: p.category,
                township: p.township,
                lead: p.lead,
                stage: p.stage.into(),
                total_investment: p.total_investment.into(),
                planned_start: p.planned_start,
                planned_finish: p.planned_finish,
                latest_period: p.latest_period,
                latest_progress: p.latest_progress,
                latest_cumulative: p.latest_cumulative.map(Amount::from),
            })
            .collect(),
        categories: categories
            .iter()
            .map(|c| SelectOption {
                value: c.id.to_string(),
                label: c.name.clone(),
                selected: filter.category == Some(c.id),
            })
            .collect(),
        stages: Stage::ALL
            .iter()
            .map(|s| SelectOption {
                value: s.code().into(),
                label: s.label_zh().into(),
                selected: filter.stage == Some(*s),
            })
            .collect(),
        townships: townships
            .iter()
            .map(|t| SelectOption {
                value: t.id.to_string(),
                label: t.short_name.clone(),
                selected: filter.township == Some(t.id),
            })
            .collect(),
        sorts: sort_labels
            .iter()
            .map(|(k, l)| SelectOption {
                value: (*k).into(),
                label: (*l).into(),
                selected: filter.sort.key() == *k,
            })
            .collect(),
        base_query: base.join("&"),
        map,
    })
}

#[derive(Debug, Clone, Serialize)]
pub struct FundingView {
    pub channel: Label,
    pub programme: String,
    pub planned: Amount,
    pub approved: Amount,
    pub arrived: Amount,
    pub status: Label,
    pub doc_number: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct PermitView {
    pub kind: Label,
    pub status: Label,
    pub doc_number: String,
    pub issued_on: Option<String>,
    pub valid_until: Option<String>,
    pub issuer: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct RiskView {
    pub category: Label,
    pub description: String,
    pub likelihood: u8,
    pub impact: u8,
    pub score: u8,
    pub band: &'static str,
    pub owner: Option<DeptRef>,
    pub mitigation: String,
    pub status: Label,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReportView {
    pub period: YearMonth,
    pub investment_month: Amount,
    pub investment_cumulative: Amount,
    pub progress: Percent,
    pub narrative: String,
    pub problems: String,
    pub next_steps: String,
    pub status: Label,
    pub submitted_on: Option<String>,
    pub approved_on: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AnnualView {
    pub year: i32,
    pub amount: Amount,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProjectDetail {
    pub county: CountyHeader,
    pub id: ProjectId,
    pub internal_code: String,
    pub national_code: Option<String>,
    pub name: String,
    pub category: Option<String>,
    pub ndrc_areas: Vec<String>,
    pub township: Option<DeptRef>,
    pub location: Option<GeoPoint>,
    pub address: String,
    pub content: String,
    pub nature: Label,
    pub lead: Option<DeptRef>,
    pub owner: String,
    pub competent: Option<DeptRef>,
    pub total_investment: Amount,
    pub funding_nature: Label,
    pub stage: Label,
    pub planned_start: Option<YearMonth>,
    pub planned_finish: Option<YearMonth>,
    pub actual_start: Option<YearMonth>,
    pub actual_finish: Option<YearMonth>,
    pub competent_opinion: String,
    pub feasibility_score: Option<u8>,
    pub feasibility_note: String,
    pub annual_plan: Vec<AnnualView>,
    pub funding: Vec<FundingView>,
    pub funding_planned: Amount,
    pub funding_approved: Amount,
    pub funding_arrived: Amount,
    pub permits: Vec<PermitView>,
    pub risks: Vec<RiskView>,
    /// Whether the internal fields are shown (false: the public view).
    pub internal: bool,
    pub tasks: Vec<String>,
    pub reports: Vec<ReportView>,
}

/// One project. `viewer` decides what is shown: the internal fields (risks, the competent
/// department's opinion, the feasibility assessment, problems, reports not yet approved)
/// only to accounts that may read this project's internal data; the public sees approved
/// figures only.
pub async fn project_detail(
    store: &Store,
    county: &County,
    id: &str,
    viewer: Option<&xiancheng_core::auth::Actor>,
) -> Result<ProjectDetail, AppError> {
    let id: i64 = id.parse().map_err(|_| {
        AppError::BadRequest(format!(
            "项目编号“{id}”无效，应为整数 (project id must be an integer)"
        ))
    })?;
    let p = store
        .project(county.id, ProjectId(id))
        .await?
        .ok_or_else(|| AppError::not_found(format!("编号为 {id} 的项目（project not found）")))?;
    let internal = viewer.is_some_and(|a| {
        a.can_read_county(county.id, county.division_code)
            && (a.role != xiancheng_core::auth::Role::Reporter || a.department == Some(p.lead))
    });
    let deps = Departments::new(store.departments(county.id).await?);
    let category = store
        .categories(county.id)
        .await?
        .into_iter()
        .find(|c| c.id == p.category);
    let framework = store.national_framework().await?;
    let area_names: HashMap<String, String> = framework
        .ndrc_groups
        .iter()
        .flat_map(|g| g.areas.iter())
        .map(|a| (a.code.clone(), a.name.clone()))
        .collect();
    let tasks = store
        .tasks(county.id)
        .await?
        .into_iter()
        .filter(|t| t.projects.contains(&p.id))
        .map(|t| t.title)
        .collect();
    let reports = store
        .project_reports(county.id, Some(p.id))
        .await?
        .into_iter()
        .rev()
        .filter(|r| internal || r.status == xiancheng_core::enums::ReportStatus::Approved)
        .map(|r| ReportView {
            period: r.period,
            investment_month: r.investment_month.into(),
            investment_cumulative: r.investment_cumulative.into(),
            progress: r.progress,
            narrative: r.narrative,
            problems: if internal { r.problems } else { String::new() },
            next_steps: r.next_steps,
            status: r.status.into(),
            submitted_on: r.submitted_on.map(|d| d.to_string()),
            approved_on: r.approved_on.map(|d| d.to_string()),
        })
        .collect();
    Ok(ProjectDetail {
        county: county.into(),
        id: p.id,
        internal_code: p.internal_code,
        national_code: p.national_code.map(|c| c.to_string()),
        name: p.name,
        ndrc_areas: category
            .as_ref()
            .map(|c| {
                c.ndrc_areas
                    .iter()
                    .map(|a| format!("{a} {}", area_names.get(a).cloned().unwrap_or_default()))
                    .collect()
            })
            .unwrap_or_default(),
        category: category.map(|c| c.name),
        township: p.township.and_then(|d| deps.get(d)),
        location: p.location,
        address: p.address,
        content: p.content,
        nature: p.nature.into(),
        lead: deps.get(p.lead),
        owner: p.owner,
        competent: p.competent.and_then(|d| deps.get(d)),
        total_investment: p.total_investment.into(),
        funding_nature: p.funding_nature.into(),
        stage: p.stage.into(),
        planned_start: p.planned_start,
        planned_finish: p.planned_finish,
        actual_start: p.actual_start,
        actual_finish: p.actual_finish,
        competent_opinion: if internal {
            p.competent_opinion
        } else {
            String::new()
        },
        feasibility_score: p.feasibility_score.filter(|_| internal),
        feasibility_note: if internal {
            p.feasibility_note
        } else {
            String::new()
        },
        annual_plan: p
            .annual_plan
            .iter()
            .map(|a| AnnualView {
                year: a.year,
                amount: a.amount.into(),
            })
            .collect(),
        funding_planned: p.funding.iter().map(|f| f.planned).sum::<Money>().into(),
        funding_approved: p.funding.iter().map(|f| f.approved).sum::<Money>().into(),
        funding_arrived: p.funding.iter().map(|f| f.arrived).sum::<Money>().into(),
        funding: p
            .funding
            .iter()
            .map(|f| FundingView {
                channel: f.channel.into(),
                programme: f.programme.clone(),
                planned: f.planned.into(),
                approved: f.approved.into(),
                arrived: f.arrived.into(),
                status: f.status.into(),
                doc_number: f.doc_number.clone(),
            })
            .collect(),
        permits: p
            .permits
            .iter()
            .map(|x| PermitView {
                kind: x.kind.into(),
                status: x.status.into(),
                doc_number: x.doc_number.clone(),
                issued_on: x.issued_on.map(|d| d.to_string()),
                valid_until: x.valid_until.map(|d| d.to_string()),
                issuer: x.issuer.clone(),
            })
            .collect(),
        internal,
        risks: p
            .risks
            .iter()
            .filter(|_| internal)
            .map(|r| {
                let (score, band) = r.rating();
                RiskView {
                    category: r.category.into(),
                    description: r.description.clone(),
                    likelihood: r.likelihood,
                    impact: r.impact,
                    score,
                    band,
                    owner: r.owner.and_then(|d| deps.get(d)),
                    mitigation: r.mitigation.clone(),
                    status: r.status.into(),
                }
            })
            .collect(),
        tasks,
        reports,
    })
}
