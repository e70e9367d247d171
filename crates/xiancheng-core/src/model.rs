//! The entities of a county's work plan. Every record belongs to a county, directly or
//! through its parent, so many counties can share one database.
//!
//! Reference data shared by all counties (the national Opinions, the functional types, the
//! NDRC 2020 taxonomy) is in [`NationalFramework`]; it is data, loaded into the store, and an
//! administrator can correct it.

use crate::codes::{DivisionCode, ProjectCode};
use crate::enums::*;
use crate::ids::*;
use crate::money::Money;
use crate::period::{Date, Percent, YearMonth};
use serde::{Deserialize, Serialize};

// ---------------------------------------------------------------- national reference data

/// The national Opinions and the taxonomies that go with them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NationalFramework {
    pub document: NationalDocument,
    pub parts: Vec<NationalPart>,
    pub items: Vec<NationalItem>,
    pub functional_types: Vec<FunctionalTypeInfo>,
    pub ndrc_groups: Vec<NdrcGroup>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NationalDocument {
    pub title: String,
    pub issuers: String,
    pub doc_number: String,
    pub issued: String,
    pub verification: Verification,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NationalPart {
    pub number: i32,
    pub label: String,
    pub title: String,
    pub title_en: String,
    pub verification: Verification,
}

/// One of the 39 continuously numbered items of the Opinions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NationalItem {
    pub number: i32,
    pub label: String,
    pub part: i32,
    pub heading: String,
    pub heading_en: String,
    pub role: ItemRole,
    pub heading_verification: Verification,
    pub number_verification: Verification,
    pub keywords: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FunctionalTypeInfo {
    pub code: FunctionalType,
    pub verb: String,
    pub name: String,
    pub heading: String,
    pub name_en: String,
    pub description_zh: String,
    pub description_en: String,
    /// The national item that describes this type.
    pub item: i32,
}

/// A group of the NDRC 2020 county-town taxonomy (发改规划〔2020〕831号).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NdrcGroup {
    pub code: String,
    pub name: String,
    pub phrase: String,
    pub name_en: String,
    pub areas: Vec<NdrcArea>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NdrcArea {
    pub code: String,
    pub name: String,
    pub name_en: String,
}

// ---------------------------------------------------------------- county and plan

/// A county (the tenant).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct County {
    pub id: CountyId,
    pub division_code: DivisionCode,
    pub name: String,
    pub name_en: String,
    pub province: String,
    pub city: String,
    /// The county seat (县城所在地).
    pub seat: String,
    pub primary_type: FunctionalType,
    pub secondary_type: Option<FunctionalType>,
    pub area_km2: Option<f64>,
    /// Illustrative data (示例数据), never to be passed off as official.
    pub illustrative: bool,
}

/// A population figure of a county for one year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PopulationFigure {
    pub county_id: CountyId,
    pub year: i32,
    pub kind: PopulationKind,
    pub persons: i64,
    pub source: String,
}

/// A work plan document (工作方案).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    pub id: PlanId,
    pub county_id: CountyId,
    pub title: String,
    pub issuing_body: String,
    /// 文号, e.g. 盘县政办发〔2023〕15号.
    pub doc_number: String,
    pub issued_on: Option<Date>,
    pub period_start: i32,
    pub period_end: i32,
    pub outlook_year: Option<i32>,
    pub status: PlanStatus,
    pub interpretation: Option<Interpretation>,
}

/// The policy interpretation (政策解读) published with a plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Interpretation {
    pub title: String,
    /// Normalized text, one paragraph per line.
    pub text: String,
    pub source: String,
    /// The source was cut off mid-sentence.
    pub truncated: bool,
}

/// A node of a plan's document tree, with its original number label.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanNode {
    pub id: PlanNodeId,
    pub plan_id: PlanId,
    pub parent: Option<PlanNodeId>,
    /// Position among its siblings, from 1.
    pub ordinal: i32,
    pub level: NodeLevel,
    /// The original label: 第一章, 第五条, （一）.
    pub label: String,
    pub title: String,
    pub body: String,
}

/// How a plan treats one national item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Alignment {
    pub id: AlignmentId,
    pub plan_id: PlanId,
    /// Number of the national item (1..=39).
    pub national_item: i32,
    /// The plan node that carries it, if any.
    pub node: Option<PlanNodeId>,
    pub status: AlignmentStatus,
    /// Required for omitted and not-applicable items.
    pub reason: String,
}

/// A positioning element (两个提升, 三个统筹, 四大领域, target identity …).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PositioningElement {
    pub id: PositioningId,
    pub plan_id: PlanId,
    pub kind: PositioningKind,
    pub ordinal: i32,
    pub text: String,
}

/// A development goal of a plan, for a milestone year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Goal {
    pub id: GoalId,
    pub plan_id: PlanId,
    pub ordinal: i32,
    pub year: Option<i32>,
    pub text: String,
}

// ---------------------------------------------------------------- departments, indicators

/// A responsible unit (责任单位): a bureau, a township or subdistrict, or another body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Department {
    pub id: DepartmentId,
    pub county_id: CountyId,
    pub name: String,
    pub short_name: String,
    pub kind: DepartmentKind,
    pub aliases: Vec<String>,
    /// The centre of a township or subdistrict.
    pub location: Option<GeoPoint>,
}

/// WGS-84 longitude and latitude in degrees.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GeoPoint {
    pub lon: f64,
    pub lat: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Indicator {
    pub id: IndicatorId,
    pub county_id: CountyId,
    pub plan_id: PlanId,
    pub code: String,
    pub name: String,
    pub unit: String,
    pub direction: Direction,
    pub decimals: u8,
    pub theme: String,
    pub source_department: Option<DepartmentId>,
    pub baseline: Option<YearValue>,
    pub targets: Vec<YearValue>,
    pub actuals: Vec<YearValue>,
}

/// A value of an indicator for a year.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct YearValue {
    pub year: i32,
    pub value: f64,
}

// ---------------------------------------------------------------- tasks and safeguards

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskArea {
    pub id: TaskAreaId,
    pub plan_id: PlanId,
    pub ordinal: i32,
    pub title: String,
    pub node: Option<PlanNodeId>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Task {
    pub id: TaskId,
    pub area_id: TaskAreaId,
    pub county_id: CountyId,
    pub ordinal: i32,
    pub title: String,
    pub description: String,
    pub lead: DepartmentId,
    pub co: Vec<DepartmentId>,
    pub status: TaskStatus,
    pub progress_mode: ProgressMode,
    pub entered_progress: Option<Percent>,
    pub cadence: Cadence,
    /// The plan article this task carries out.
    pub node: Option<PlanNodeId>,
    pub national_items: Vec<i32>,
    pub projects: Vec<ProjectId>,
    pub indicators: Vec<IndicatorId>,
    pub milestones: Vec<Milestone>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Milestone {
    pub id: MilestoneId,
    pub ordinal: i32,
    pub title: String,
    pub due: Date,
    pub done: Option<Date>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Safeguard {
    pub id: SafeguardId,
    pub plan_id: PlanId,
    pub ordinal: i32,
    pub title: String,
    pub description: String,
    pub node: Option<PlanNodeId>,
    pub lead: Option<DepartmentId>,
    pub co: Vec<DepartmentId>,
}

// ---------------------------------------------------------------- projects

/// A county's own project category, mapped to NDRC 2020 areas (codes like `A1`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Category {
    pub id: CategoryId,
    pub county_id: CountyId,
    pub ordinal: i32,
    pub code: String,
    pub name: String,
    pub ndrc_areas: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Project {
    pub id: ProjectId,
    pub county_id: CountyId,
    /// The county's own project number, always present (谋划 projects have no national code).
    pub internal_code: String,
    pub national_code: Option<ProjectCode>,
    pub name: String,
    pub category: CategoryId,
    pub township: Option<DepartmentId>,
    pub location: Option<GeoPoint>,
    pub address: String,
    /// 建设规模及主要建设内容.
    pub content: String,
    pub nature: ConstructionNature,
    pub lead: DepartmentId,
    /// 项目单位 / 业主.
    pub owner: String,
    pub competent: Option<DepartmentId>,
    pub total_investment: Money,
    pub funding_nature: FundingNature,
    pub stage: Stage,
    pub planned_start: Option<YearMonth>,
    pub planned_finish: Option<YearMonth>,
    pub actual_start: Option<YearMonth>,
    pub actual_finish: Option<YearMonth>,
    /// 主管部门意见.
    pub competent_opinion: String,
    /// 对上政策和资金争取可行性: a score 1–5 and the reasoning.
    pub feasibility_score: Option<u8>,
    pub feasibility_note: String,
    pub annual_plan: Vec<AnnualInvestment>,
    pub funding: Vec<FundingLine>,
    pub permits: Vec<Permit>,
    pub risks: Vec<Risk>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnnualInvestment {
    pub year: i32,
    pub amount: Money,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FundingLine {
    pub id: FundingLineId,
    pub channel: FundingChannel,
    pub programme: String,
    pub planned: Money,
    pub approved: Money,
    pub arrived: Money,
    pub status: FundingStatus,
    pub doc_number: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Permit {
    pub id: PermitId,
    pub kind: PermitKind,
    pub status: PermitStatus,
    pub doc_number: String,
    pub issued_on: Option<Date>,
    pub valid_until: Option<Date>,
    pub issuer: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Risk {
    pub id: RiskId,
    pub category: RiskCategory,
    pub description: String,
    /// 1 (rare) to 5 (almost certain).
    pub likelihood: u8,
    /// 1 (minor) to 5 (severe).
    pub impact: u8,
    pub owner: Option<DepartmentId>,
    pub mitigation: String,
    pub status: RiskStatus,
}

impl Risk {
    /// Likelihood × impact, banded 低 (≤ 6), 中 (≤ 14), 高.
    pub fn rating(&self) -> (u8, &'static str) {
        let score = self.likelihood * self.impact;
        let band = match score {
            0..=6 => "低",
            7..=14 => "中",
            _ => "高",
        };
        (score, band)
    }
}

// ---------------------------------------------------------------- progress reports

/// A monthly progress report of a project.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProjectReport {
    pub id: ProjectReportId,
    pub project_id: ProjectId,
    pub period: YearMonth,
    /// 本月完成投资.
    pub investment_month: Money,
    /// 开工至本月累计完成投资.
    pub investment_cumulative: Money,
    /// Physical progress (形象进度, %).
    pub progress: Percent,
    /// Narrative progress (形象进度描述).
    pub narrative: String,
    pub problems: String,
    pub next_steps: String,
    pub status: ReportStatus,
    pub submitted_on: Option<Date>,
    pub approved_on: Option<Date>,
    /// Who submitted it last (an account outside the dataset's id space).
    pub submitted_by: Option<UserId>,
    /// Who approved it.
    pub approved_by: Option<UserId>,
    /// Why it was last returned, if it was.
    pub return_reason: String,
}

/// A progress report of a key task.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TaskReport {
    pub id: TaskReportId,
    pub task_id: TaskId,
    pub period: YearMonth,
    pub progress: Option<Percent>,
    pub narrative: String,
    pub problems: String,
    pub next_steps: String,
    pub status: ReportStatus,
    pub submitted_on: Option<Date>,
    pub approved_on: Option<Date>,
    /// Who submitted it last (an account outside the dataset's id space).
    pub submitted_by: Option<UserId>,
    /// Who approved it.
    pub approved_by: Option<UserId>,
    /// Why it was last returned, if it was.
    pub return_reason: String,
}
