//! Reading: reference data, counties and every part of their plans, the project library
//! (filtered, sorted and paginated in SQL), and whole datasets.

use crate::connect::Store;
use crate::error::{Result, StoreError};
use crate::sql::*;
use serde::Serialize;
use sqlx::any::AnyRow;
use std::collections::HashMap;
use xiancheng_core::dataset::CountyDataset;
use xiancheng_core::enums::*;
use xiancheng_core::ids::*;
use xiancheng_core::model::*;
use xiancheng_core::{Date, DivisionCode, Money, Percent, ProjectCode, YearMonth};

/// Every table of the schema, in an order that respects foreign keys.
pub const TABLES: &[&str] = &[
    "id_counter",
    "national_document",
    "national_parts",
    "national_items",
    "functional_types",
    "ndrc_groups",
    "ndrc_areas",
    "counties",
    "county_population",
    "departments",
    "department_aliases",
    "plans",
    "plan_nodes",
    "alignments",
    "positioning_elements",
    "goals",
    "indicators",
    "indicator_values",
    "task_areas",
    "categories",
    "category_ndrc_areas",
    "projects",
    "project_annual_plans",
    "funding_lines",
    "permits",
    "risks",
    "tasks",
    "task_co_departments",
    "task_national_items",
    "task_indicators",
    "task_projects",
    "milestones",
    "safeguards",
    "safeguard_co_departments",
    "project_reports",
    "task_reports",
    "users",
    "api_tokens",
    "audit_log",
    "audit_head",
    "report_amendments",
    "county_settings",
];

/// Rows in one table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TableCount {
    pub table: &'static str,
    pub rows: i64,
}

/// Order of the project library.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ProjectSort {
    #[default]
    Code,
    Name,
    InvestmentDesc,
    InvestmentAsc,
    Stage,
    PlannedStart,
}

impl ProjectSort {
    pub const ALL: &'static [(&'static str, ProjectSort)] = &[
        ("code", ProjectSort::Code),
        ("name", ProjectSort::Name),
        ("-investment", ProjectSort::InvestmentDesc),
        ("investment", ProjectSort::InvestmentAsc),
        ("stage", ProjectSort::Stage),
        ("start", ProjectSort::PlannedStart),
    ];

    pub fn parse(input: &str) -> Option<ProjectSort> {
        Self::ALL.iter().find(|(k, _)| *k == input).map(|(_, s)| *s)
    }

    pub fn key(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, s)| *s == self)
            .map(|(k, _)| *k)
            .unwrap_or("code")
    }

    fn order_by(self) -> &'static str {
        match self {
            ProjectSort::Code => "p.internal_code",
            ProjectSort::Name => "p.name, p.internal_code",
            ProjectSort::InvestmentDesc => "p.total_investment_yuan DESC, p.internal_code",
            ProjectSort::InvestmentAsc => "p.total_investment_yuan, p.internal_code",
            ProjectSort::Stage => "p.stage, p.internal_code",
            ProjectSort::PlannedStart => "p.planned_start, p.internal_code",
        }
    }
}

/// Filters of the project library; `page` counts from 1.
#[derive(Debug, Clone, Default)]
pub struct ProjectFilter {
    pub category: Option<CategoryId>,
    pub stage: Option<Stage>,
    pub township: Option<DepartmentId>,
    pub sort: ProjectSort,
    pub page: i64,
    pub per_page: i64,
}

/// One line of the project library.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProjectSummary {
    pub id: ProjectId,
    pub internal_code: String,
    pub national_code: Option<String>,
    pub name: String,
    pub category_id: CategoryId,
    pub category: String,
    pub township_id: Option<DepartmentId>,
    pub township: Option<String>,
    pub lead: String,
    pub stage: Stage,
    pub total_investment: Money,
    pub planned_start: Option<YearMonth>,
    pub planned_finish: Option<YearMonth>,
    /// The latest approved report: unapproved figures are never shown in the library.
    pub latest_period: Option<YearMonth>,
    pub latest_progress: Option<Percent>,
    pub latest_cumulative: Option<Money>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProjectPage {
    pub items: Vec<ProjectSummary>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
    /// Total investment of every project matching the filter (not just this page).
    pub total_investment: Money,
}

fn month(row: &AnyRow, column: &str) -> Result<Option<YearMonth>> {
    match opt_int(row, column)? {
        Some(key) => YearMonth::from_key(key)
            .map(Some)
            .ok_or_else(|| StoreError::Corrupt(format!("{column}: {key}"))),
        None => Ok(None),
    }
}

fn percent(bp: i64, column: &str) -> Result<Percent> {
    Percent::from_basis_points(bp).ok_or_else(|| StoreError::Corrupt(format!("{column}: {bp}")))
}

fn point(row: &AnyRow) -> Result<Option<GeoPoint>> {
    Ok(match (opt_real(row, "lon")?, opt_real(row, "lat")?) {
        (Some(lon), Some(lat)) => Some(GeoPoint { lon, lat }),
        _ => None,
    })
}

/// Groups child rows by their parent id, keeping query order.
fn group<K: std::hash::Hash + Eq, V>(
    pairs: impl IntoIterator<Item = (K, V)>,
) -> HashMap<K, Vec<V>> {
    let mut map: HashMap<K, Vec<V>> = HashMap::new();
    for (k, v) in pairs {
        map.entry(k).or_default().push(v);
    }
    map
}

impl Store {
    async fn rows(&self, sql: &'static str, binds: &[Val]) -> Result<Vec<AnyRow>> {
        Ok(bind_all(sqlx::query(sql), binds)
            .fetch_all(&self.pool)
            .await?)
    }

    pub async fn national_item_numbers(&self) -> Result<Vec<i32>> {
        let rows = self
            .rows("SELECT number FROM national_items ORDER BY number", &[])
            .await?;
        rows.iter().map(|r| int_as(r, "number")).collect()
    }

    pub async fn national_framework(&self) -> Result<NationalFramework> {
        let doc = self
            .rows("SELECT * FROM national_document WHERE id = 1", &[])
            .await?;
        let doc = doc.first().ok_or_else(|| {
            StoreError::NotFound(
                "国家《意见》参考数据（请先运行 xiancheng migrate 与 demo load）".into(),
            )
        })?;
        let document = NationalDocument {
            title: text(doc, "title")?,
            issuers: text(doc, "issuers")?,
            doc_number: text(doc, "doc_number")?,
            issued: text(doc, "issued")?,
            verification: parsed(doc, "verification", Verification::parse)?,
        };
        let parts = self
            .rows("SELECT * FROM national_parts ORDER BY number", &[])
            .await?
            .iter()
            .map(|r| {
                Ok(NationalPart {
                    number: int_as(r, "number")?,
                    label: text(r, "label")?,
                    title: text(r, "title")?,
                    title_en: text(r, "title_en")?,
                    verification: parsed(r, "verification", Verification::parse)?,
                })
            })
            .collect::<Result<_>>()?;
        let items = self
            .rows("SELECT * FROM national_items ORDER BY number", &[])
            .await?
            .iter()
            .map(|r| {
                Ok(NationalItem {
                    number: int_as(r, "number")?,
                    label: text(r, "label")?,
                    part: int_as(r, "part")?,
                    heading: text(r, "heading")?,
                    heading_en: text(r, "heading_en")?,
                    role: parsed(r, "role", ItemRole::parse)?,
                    heading_verification: parsed(r, "heading_verification", Verification::parse)?,
                    number_verification: parsed(r, "number_verification", Verification::parse)?,
                    keywords: text(r, "keywords")?
                        .split('、')
                        .filter(|k| !k.is_empty())
                        .map(str::to_owned)
                        .collect(),
                })
            })
            .collect::<Result<_>>()?;
        let functional_types = self
            .rows("SELECT * FROM functional_types ORDER BY item", &[])
            .await?
            .iter()
            .map(|r| {
                Ok(FunctionalTypeInfo {
                    code: parsed(r, "code", FunctionalType::parse)?,
                    verb: text(r, "verb")?,
                    name: text(r, "name")?,
                    heading: text(r, "heading")?,
                    name_en: text(r, "name_en")?,
                    description_zh: text(r, "description_zh")?,
                    description_en: text(r, "description_en")?,
                    item: int_as(r, "item")?,
                })
            })
            .collect::<Result<_>>()?;
        let mut areas = group(
            self.rows("SELECT * FROM ndrc_areas ORDER BY group_code, ordinal", &[])
                .await?
                .iter()
                .map(|r| {
                    Ok((
                        text(r, "group_code")?,
                        NdrcArea {
                            code: text(r, "code")?,
                            name: text(r, "name")?,
                            name_en: text(r, "name_en")?,
                        },
                    ))
                })
                .collect::<Result<Vec<_>>>()?,
        );
        let ndrc_groups = self
            .rows("SELECT * FROM ndrc_groups ORDER BY ordinal", &[])
            .await?
            .iter()
            .map(|r| {
                let code = text(r, "code")?;
                Ok(NdrcGroup {
                    areas: areas.remove(&code).unwrap_or_default(),
                    code,
                    name: text(r, "name")?,
                    phrase: text(r, "phrase")?,
                    name_en: text(r, "name_en")?,
                })
            })
            .collect::<Result<_>>()?;
        Ok(NationalFramework {
            document,
            parts,
            items,
            functional_types,
            ndrc_groups,
        })
    }

    fn county_from(r: &AnyRow) -> Result<County> {
        Ok(County {
            id: CountyId(int(r, "id")?),
            division_code: parsed(r, "division_code", DivisionCode::parse)?,
            name: text(r, "name")?,
            name_en: text(r, "name_en")?,
            province: text(r, "province")?,
            city: text(r, "city")?,
            seat: text(r, "seat")?,
            primary_type: parsed(r, "primary_type", FunctionalType::parse)?,
            secondary_type: opt_parsed(r, "secondary_type", FunctionalType::parse)?,
            area_km2: opt_real(r, "area_km2")?,
            illustrative: int(r, "illustrative")? != 0,
        })
    }

    pub async fn counties(&self) -> Result<Vec<County>> {
        self.rows("SELECT * FROM counties ORDER BY division_code", &[])
            .await?
            .iter()
            .map(Self::county_from)
            .collect()
    }

    pub async fn county_by_code(&self, code: DivisionCode) -> Result<Option<County>> {
        let rows = self
            .rows(
                "SELECT * FROM counties WHERE division_code = $1",
                &[code.to_string().into()],
            )
            .await?;
        rows.first().map(Self::county_from).transpose()
    }

    async fn county_by_id(&self, id: CountyId) -> Result<County> {
        let rows = self
            .rows("SELECT * FROM counties WHERE id = $1", &[id.0.into()])
            .await?;
        rows.first()
            .map(Self::county_from)
            .transpose()?
            .ok_or_else(|| StoreError::NotFound(format!("县 {id}")))
    }

    pub async fn population(&self, county: CountyId) -> Result<Vec<PopulationFigure>> {
        self.rows(
            "SELECT * FROM county_population WHERE county_id = $1 ORDER BY year, kind",
            &[county.0.into()],
        )
        .await?
        .iter()
        .map(|r| {
            Ok(PopulationFigure {
                county_id: county,
                year: int_as(r, "year")?,
                kind: parsed(r, "kind", PopulationKind::parse)?,
                persons: int(r, "persons")?,
                source: text(r, "source")?,
            })
        })
        .collect()
    }

    pub async fn departments(&self, county: CountyId) -> Result<Vec<Department>> {
        let mut aliases = group(
            self.rows(
                "SELECT a.department_id, a.alias FROM department_aliases a JOIN departments d ON d.id = a.department_id WHERE d.county_id = $1 ORDER BY a.department_id, a.ordinal",
                &[county.0.into()],
            )
            .await?
            .iter()
            .map(|r| Ok((int(r, "department_id")?, text(r, "alias")?)))
            .collect::<Result<Vec<_>>>()?,
        );
        self.rows(
            "SELECT * FROM departments WHERE county_id = $1 ORDER BY ordinal",
            &[county.0.into()],
        )
        .await?
        .iter()
        .map(|r| {
            let id = int(r, "id")?;
            Ok(Department {
                id: DepartmentId(id),
                county_id: county,
                name: text(r, "name")?,
                short_name: text(r, "short_name")?,
                kind: parsed(r, "kind", DepartmentKind::parse)?,
                aliases: aliases.remove(&id).unwrap_or_default(),
                location: point(r)?,
            })
        })
        .collect()
    }

    pub async fn plans(&self, county: CountyId) -> Result<Vec<Plan>> {
        self.rows(
            "SELECT * FROM plans WHERE county_id = $1 ORDER BY id",
            &[county.0.into()],
        )
        .await?
        .iter()
        .map(|r| {
            let interpretation = match opt_text(r, "interpretation_text")? {
                Some(text_) => Some(Interpretation {
                    title: opt_text(r, "interpretation_title")?.unwrap_or_default(),
                    text: text_,
                    source: opt_text(r, "interpretation_source")?.unwrap_or_default(),
                    truncated: opt_int(r, "interpretation_truncated")?.unwrap_or(0) != 0,
                }),
                None => None,
            };
            Ok(Plan {
                id: PlanId(int(r, "id")?),
                county_id: county,
                title: text(r, "title")?,
                issuing_body: text(r, "issuing_body")?,
                doc_number: text(r, "doc_number")?,
                issued_on: opt_parsed(r, "issued_on", Date::parse)?,
                period_start: int_as(r, "period_start")?,
                period_end: int_as(r, "period_end")?,
                outlook_year: opt_int(r, "outlook_year")?.map(|y| y as i32),
                status: parsed(r, "status", PlanStatus::parse)?,
                interpretation,
            })
        })
        .collect()
    }

    /// The plan in force for a county (the newest one when there are several).
    pub async fn current_plan(&self, county: CountyId) -> Result<Option<Plan>> {
        let plans = self.plans(county).await?;
        Ok(plans
            .iter()
            .rev()
            .find(|p| p.status == PlanStatus::InForce)
            .or(plans.last())
            .cloned())
    }

    pub async fn plan_nodes(&self, county: CountyId) -> Result<Vec<PlanNode>> {
        self.rows(
            "SELECT n.* FROM plan_nodes n JOIN plans p ON p.id = n.plan_id WHERE p.county_id = $1 ORDER BY n.plan_id, n.id",
            &[county.0.into()],
        )
        .await?
        .iter()
        .map(|r| {
            Ok(PlanNode {
                id: PlanNodeId(int(r, "id")?),
                plan_id: PlanId(int(r, "plan_id")?),
                parent: opt_int(r, "parent_id")?.map(PlanNodeId),
                ordinal: int_as(r, "ordinal")?,
                level: parsed(r, "level", NodeLevel::parse)?,
                label: text(r, "label")?,
                title: text(r, "title")?,
                body: text(r, "body")?,
            })
        })
        .collect()
    }

    pub async fn alignments(&self, county: CountyId) -> Result<Vec<Alignment>> {
        self.rows(
            "SELECT a.* FROM alignments a JOIN plans p ON p.id = a.plan_id WHERE p.county_id = $1 ORDER BY a.plan_id, a.national_item, a.id",
            &[county.0.into()],
        )
        .await?
        .iter()
        .map(|r| {
            Ok(Alignment {
                id: AlignmentId(int(r, "id")?),
                plan_id: PlanId(int(r, "plan_id")?),
                national_item: int_as(r, "national_item")?,
                node: opt_int(r, "node_id")?.map(PlanNodeId),
                status: parsed(r, "status", AlignmentStatus::parse)?,
                reason: text(r, "reason")?,
            })
        })
        .collect()
    }

    pub async fn positioning(&self, county: CountyId) -> Result<Vec<PositioningElement>> {
        self.rows(
            "SELECT e.* FROM positioning_elements e JOIN plans p ON p.id = e.plan_id WHERE p.county_id = $1 ORDER BY e.plan_id, e.id",
            &[county.0.into()],
        )
        .await?
        .iter()
        .map(|r| {
            Ok(PositioningElement {
                id: PositioningId(int(r, "id")?),
                plan_id: PlanId(int(r, "plan_id")?),
                kind: parsed(r, "kind", PositioningKind::parse)?,
                ordinal: int_as(r, "ordinal")?,
                text: text(r, "text")?,
            })
        })
        .collect()
    }

    pub async fn goals(&self, county: CountyId) -> Result<Vec<Goal>> {
        self.rows("SELECT g.* FROM goals g JOIN plans p ON p.id = g.plan_id WHERE p.county_id = $1 ORDER BY g.plan_id, g.ordinal", &[county.0.into()])
            .await?
            .iter()
            .map(|r| {
                Ok(Goal {
                    id: GoalId(int(r, "id")?),
                    plan_id: PlanId(int(r, "plan_id")?),
                    ordinal: int_as(r, "ordinal")?,
                    year: opt_int(r, "year")?.map(|y| y as i32),
                    text: text(r, "text")?,
                })
            })
            .collect()
    }

    pub async fn indicators(&self, county: CountyId) -> Result<Vec<Indicator>> {
        let values = self
            .rows(
                "SELECT v.* FROM indicator_values v JOIN indicators i ON i.id = v.indicator_id WHERE i.county_id = $1 ORDER BY v.indicator_id, v.kind, v.year",
                &[county.0.into()],
            )
            .await?;
        let mut by_kind = group(
            values
                .iter()
                .map(|r| {
                    Ok((
                        (int(r, "indicator_id")?, text(r, "kind")?),
                        YearValue {
                            year: int_as(r, "year")?,
                            value: real(r, "value")?,
                        },
                    ))
                })
                .collect::<Result<Vec<_>>>()?,
        );
        self.rows(
            "SELECT * FROM indicators WHERE county_id = $1 ORDER BY plan_id, code",
            &[county.0.into()],
        )
        .await?
        .iter()
        .map(|r| {
            let id = int(r, "id")?;
            let baseline = match (opt_int(r, "baseline_year")?, opt_real(r, "baseline_value")?) {
                (Some(year), Some(value)) => Some(YearValue {
                    year: year as i32,
                    value,
                }),
                _ => None,
            };
            Ok(Indicator {
                id: IndicatorId(id),
                county_id: county,
                plan_id: PlanId(int(r, "plan_id")?),
                code: text(r, "code")?,
                name: text(r, "name")?,
                unit: text(r, "unit")?,
                direction: parsed(r, "direction", Direction::parse)?,
                decimals: int_as(r, "decimals")?,
                theme: text(r, "theme")?,
                source_department: opt_int(r, "source_department_id")?.map(DepartmentId),
                baseline,
                targets: by_kind
                    .remove(&(id, "target".to_owned()))
                    .unwrap_or_default(),
                actuals: by_kind
                    .remove(&(id, "actual".to_owned()))
                    .unwrap_or_default(),
            })
        })
        .collect()
    }

    pub async fn task_areas(&self, county: CountyId) -> Result<Vec<TaskArea>> {
        self.rows("SELECT a.* FROM task_areas a JOIN plans p ON p.id = a.plan_id WHERE p.county_id = $1 ORDER BY a.plan_id, a.ordinal", &[county.0.into()])
            .await?
            .iter()
            .map(|r| {
                Ok(TaskArea {
                    id: TaskAreaId(int(r, "id")?),
                    plan_id: PlanId(int(r, "plan_id")?),
                    ordinal: int_as(r, "ordinal")?,
                    title: text(r, "title")?,
                    node: opt_int(r, "node_id")?.map(PlanNodeId),
                })
            })
            .collect()
    }

    pub async fn tasks(&self, county: CountyId) -> Result<Vec<Task>> {
        let c: Val = county.0.into();
        let pairs = |rows: Vec<AnyRow>, col: &'static str| -> Result<HashMap<i64, Vec<i64>>> {
            Ok(group(
                rows.iter()
                    .map(|r| Ok((int(r, "task_id")?, int(r, col)?)))
                    .collect::<Result<Vec<_>>>()?,
            ))
        };
        let mut co = pairs(
            self.rows(
                "SELECT x.task_id, x.department_id FROM task_co_departments x JOIN tasks t ON t.id = x.task_id WHERE t.county_id = $1 ORDER BY x.task_id, x.ordinal",
                std::slice::from_ref(&c),
            )
            .await?,
            "department_id",
        )?;
        let mut items = pairs(
            self.rows(
                "SELECT x.task_id, x.national_item FROM task_national_items x JOIN tasks t ON t.id = x.task_id WHERE t.county_id = $1 ORDER BY x.task_id, x.national_item",
                std::slice::from_ref(&c),
            )
            .await?,
            "national_item",
        )?;
        let mut indicators = pairs(
            self.rows(
                "SELECT x.task_id, x.indicator_id FROM task_indicators x JOIN tasks t ON t.id = x.task_id WHERE t.county_id = $1 ORDER BY x.task_id, x.indicator_id",
                std::slice::from_ref(&c),
            )
            .await?,
            "indicator_id",
        )?;
        let mut projects = pairs(
            self.rows(
                "SELECT x.task_id, x.project_id FROM task_projects x JOIN tasks t ON t.id = x.task_id WHERE t.county_id = $1 ORDER BY x.task_id, x.project_id",
                std::slice::from_ref(&c),
            )
            .await?,
            "project_id",
        )?;
        let mut milestones = group(
            self.rows(
                "SELECT m.* FROM milestones m JOIN tasks t ON t.id = m.task_id WHERE t.county_id = $1 ORDER BY m.task_id, m.ordinal",
                std::slice::from_ref(&c),
            )
            .await?
            .iter()
            .map(|r| {
                Ok((
                    int(r, "task_id")?,
                    Milestone {
                        id: MilestoneId(int(r, "id")?),
                        ordinal: int_as(r, "ordinal")?,
                        title: text(r, "title")?,
                        due: parsed(r, "due_on", Date::parse)?,
                        done: opt_parsed(r, "done_on", Date::parse)?,
                    },
                ))
            })
            .collect::<Result<Vec<_>>>()?,
        );
        self.rows(
            "SELECT t.* FROM tasks t JOIN task_areas a ON a.id = t.area_id WHERE t.county_id = $1 ORDER BY a.ordinal, t.ordinal",
            std::slice::from_ref(&c),
        )
        .await?
        .iter()
        .map(|r| {
            let id = int(r, "id")?;
            Ok(Task {
                id: TaskId(id),
                area_id: TaskAreaId(int(r, "area_id")?),
                county_id: county,
                ordinal: int_as(r, "ordinal")?,
                title: text(r, "title")?,
                description: text(r, "description")?,
                lead: DepartmentId(int(r, "lead_department_id")?),
                co: co.remove(&id).unwrap_or_default().into_iter().map(DepartmentId).collect(),
                status: parsed(r, "status", TaskStatus::parse)?,
                progress_mode: parsed(r, "progress_mode", ProgressMode::parse)?,
                entered_progress: opt_int(r, "entered_progress_bp")?.map(|bp| percent(bp, "entered_progress_bp")).transpose()?,
                cadence: parsed(r, "cadence", Cadence::parse)?,
                node: opt_int(r, "node_id")?.map(PlanNodeId),
                national_items: items.remove(&id).unwrap_or_default().into_iter().map(|n| n as i32).collect(),
                projects: projects.remove(&id).unwrap_or_default().into_iter().map(ProjectId).collect(),
                indicators: indicators.remove(&id).unwrap_or_default().into_iter().map(IndicatorId).collect(),
                milestones: milestones.remove(&id).unwrap_or_default(),
            })
        })
        .collect()
    }

    pub async fn safeguards(&self, county: CountyId) -> Result<Vec<Safeguard>> {
        let mut co = group(
            self.rows(
                "SELECT x.safeguard_id, x.department_id FROM safeguard_co_departments x JOIN safeguards s ON s.id = x.safeguard_id JOIN plans p ON p.id = s.plan_id WHERE p.county_id = $1 ORDER BY x.safeguard_id, x.ordinal",
                &[county.0.into()],
            )
            .await?
            .iter()
            .map(|r| Ok((int(r, "safeguard_id")?, DepartmentId(int(r, "department_id")?))))
            .collect::<Result<Vec<_>>>()?,
        );
        self.rows("SELECT s.* FROM safeguards s JOIN plans p ON p.id = s.plan_id WHERE p.county_id = $1 ORDER BY s.plan_id, s.ordinal", &[county.0.into()])
            .await?
            .iter()
            .map(|r| {
                let id = int(r, "id")?;
                Ok(Safeguard {
                    id: SafeguardId(id),
                    plan_id: PlanId(int(r, "plan_id")?),
                    ordinal: int_as(r, "ordinal")?,
                    title: text(r, "title")?,
                    description: text(r, "description")?,
                    node: opt_int(r, "node_id")?.map(PlanNodeId),
                    lead: opt_int(r, "lead_department_id")?.map(DepartmentId),
                    co: co.remove(&id).unwrap_or_default(),
                })
            })
            .collect()
    }

    pub async fn categories(&self, county: CountyId) -> Result<Vec<Category>> {
        let mut areas = group(
            self.rows(
                "SELECT x.category_id, x.area_code FROM category_ndrc_areas x JOIN categories c ON c.id = x.category_id WHERE c.county_id = $1 ORDER BY x.category_id, x.ordinal",
                &[county.0.into()],
            )
            .await?
            .iter()
            .map(|r| Ok((int(r, "category_id")?, text(r, "area_code")?)))
            .collect::<Result<Vec<_>>>()?,
        );
        self.rows(
            "SELECT * FROM categories WHERE county_id = $1 ORDER BY ordinal",
            &[county.0.into()],
        )
        .await?
        .iter()
        .map(|r| {
            let id = int(r, "id")?;
            Ok(Category {
                id: CategoryId(id),
                county_id: county,
                ordinal: int_as(r, "ordinal")?,
                code: text(r, "code")?,
                name: text(r, "name")?,
                ndrc_areas: areas.remove(&id).unwrap_or_default(),
            })
        })
        .collect()
    }

    /// Full project records of a county, or the one project `only`.
    async fn full_projects(
        &self,
        county: CountyId,
        only: Option<ProjectId>,
    ) -> Result<Vec<Project>> {
        let binds = [county.0.into(), Val::Int(only.map(|p| p.0))];
        let mut annual = group(
            self.rows(
                "SELECT x.* FROM project_annual_plans x JOIN projects p ON p.id = x.project_id WHERE p.county_id = $1 AND ($2 IS NULL OR p.id = $2) ORDER BY x.project_id, x.year",
                &binds,
            )
            .await?
            .iter()
            .map(|r| Ok((int(r, "project_id")?, AnnualInvestment { year: int_as(r, "year")?, amount: Money::from_yuan(int(r, "amount_yuan")?) })))
            .collect::<Result<Vec<_>>>()?,
        );
        let mut funding = group(
            self.rows(
                "SELECT x.* FROM funding_lines x JOIN projects p ON p.id = x.project_id WHERE p.county_id = $1 AND ($2 IS NULL OR p.id = $2) ORDER BY x.project_id, x.ordinal",
                &binds,
            )
            .await?
            .iter()
            .map(|r| {
                Ok((
                    int(r, "project_id")?,
                    FundingLine {
                        id: FundingLineId(int(r, "id")?),
                        channel: parsed(r, "channel", FundingChannel::parse)?,
                        programme: text(r, "programme")?,
                        planned: Money::from_yuan(int(r, "planned_yuan")?),
                        approved: Money::from_yuan(int(r, "approved_yuan")?),
                        arrived: Money::from_yuan(int(r, "arrived_yuan")?),
                        status: parsed(r, "status", FundingStatus::parse)?,
                        doc_number: text(r, "doc_number")?,
                    },
                ))
            })
            .collect::<Result<Vec<_>>>()?,
        );
        let mut permits = group(
            self.rows(
                "SELECT x.* FROM permits x JOIN projects p ON p.id = x.project_id WHERE p.county_id = $1 AND ($2 IS NULL OR p.id = $2) ORDER BY x.project_id, x.ordinal",
                &binds,
            )
            .await?
            .iter()
            .map(|r| {
                Ok((
                    int(r, "project_id")?,
                    Permit {
                        id: PermitId(int(r, "id")?),
                        kind: parsed(r, "kind", PermitKind::parse)?,
                        status: parsed(r, "status", PermitStatus::parse)?,
                        doc_number: text(r, "doc_number")?,
                        issued_on: opt_parsed(r, "issued_on", Date::parse)?,
                        valid_until: opt_parsed(r, "valid_until", Date::parse)?,
                        issuer: text(r, "issuer")?,
                    },
                ))
            })
            .collect::<Result<Vec<_>>>()?,
        );
        let mut risks = group(
            self.rows(
                "SELECT x.* FROM risks x JOIN projects p ON p.id = x.project_id WHERE p.county_id = $1 AND ($2 IS NULL OR p.id = $2) ORDER BY x.project_id, x.ordinal",
                &binds,
            )
            .await?
            .iter()
            .map(|r| {
                Ok((
                    int(r, "project_id")?,
                    Risk {
                        id: RiskId(int(r, "id")?),
                        category: parsed(r, "category", RiskCategory::parse)?,
                        description: text(r, "description")?,
                        likelihood: int_as(r, "likelihood")?,
                        impact: int_as(r, "impact")?,
                        owner: opt_int(r, "owner_department_id")?.map(DepartmentId),
                        mitigation: text(r, "mitigation")?,
                        status: parsed(r, "status", RiskStatus::parse)?,
                    },
                ))
            })
            .collect::<Result<Vec<_>>>()?,
        );
        self.rows("SELECT * FROM projects p WHERE p.county_id = $1 AND ($2 IS NULL OR p.id = $2) ORDER BY p.internal_code", &binds)
            .await?
            .iter()
            .map(|r| {
                let id = int(r, "id")?;
                Ok(Project {
                    id: ProjectId(id),
                    county_id: county,
                    internal_code: text(r, "internal_code")?,
                    national_code: opt_parsed(r, "national_code", ProjectCode::parse)?,
                    name: text(r, "name")?,
                    category: CategoryId(int(r, "category_id")?),
                    township: opt_int(r, "township_id")?.map(DepartmentId),
                    location: point(r)?,
                    address: text(r, "address")?,
                    content: text(r, "content")?,
                    nature: parsed(r, "nature", ConstructionNature::parse)?,
                    lead: DepartmentId(int(r, "lead_department_id")?),
                    owner: text(r, "owner")?,
                    competent: opt_int(r, "competent_department_id")?.map(DepartmentId),
                    total_investment: Money::from_yuan(int(r, "total_investment_yuan")?),
                    funding_nature: parsed(r, "funding_nature", FundingNature::parse)?,
                    stage: parsed(r, "stage", Stage::parse)?,
                    planned_start: month(r, "planned_start")?,
                    planned_finish: month(r, "planned_finish")?,
                    actual_start: month(r, "actual_start")?,
                    actual_finish: month(r, "actual_finish")?,
                    competent_opinion: text(r, "competent_opinion")?,
                    feasibility_score: opt_int(r, "feasibility_score")?.map(|s| s as u8),
                    feasibility_note: text(r, "feasibility_note")?,
                    annual_plan: annual.remove(&id).unwrap_or_default(),
                    funding: funding.remove(&id).unwrap_or_default(),
                    permits: permits.remove(&id).unwrap_or_default(),
                    risks: risks.remove(&id).unwrap_or_default(),
                })
            })
            .collect()
    }

    /// One project with its annual plan, funding lines, permits and risks.
    pub async fn project(&self, county: CountyId, id: ProjectId) -> Result<Option<Project>> {
        Ok(self
            .full_projects(county, Some(id))
            .await?
            .into_iter()
            .next())
    }

    /// Progress reports of a county's projects, or of one project, oldest first.
    pub async fn project_reports(
        &self,
        county: CountyId,
        only: Option<ProjectId>,
    ) -> Result<Vec<ProjectReport>> {
        self.rows(
            "SELECT r.* FROM project_reports r JOIN projects p ON p.id = r.project_id WHERE p.county_id = $1 AND ($2 IS NULL OR p.id = $2) ORDER BY r.project_id, r.period",
            &[county.0.into(), Val::Int(only.map(|p| p.0))],
        )
        .await?
        .iter()
        .map(|r| {
            Ok(ProjectReport {
                id: ProjectReportId(int(r, "id")?),
                project_id: ProjectId(int(r, "project_id")?),
                period: YearMonth::from_key(int(r, "period")?).ok_or_else(|| StoreError::Corrupt("period".into()))?,
                investment_month: Money::from_yuan(int(r, "investment_month_yuan")?),
                investment_cumulative: Money::from_yuan(int(r, "investment_cumulative_yuan")?),
                progress: percent(int(r, "progress_bp")?, "progress_bp")?,
                narrative: text(r, "narrative")?,
                problems: text(r, "problems")?,
                next_steps: text(r, "next_steps")?,
                status: parsed(r, "status", ReportStatus::parse)?,
                submitted_on: opt_parsed(r, "submitted_on", Date::parse)?,
                approved_on: opt_parsed(r, "approved_on", Date::parse)?,
                submitted_by: opt_int(r, "submitted_by")?.map(UserId),
                approved_by: opt_int(r, "approved_by")?.map(UserId),
                return_reason: opt_text(r, "return_reason")?.unwrap_or_default(),
            })
        })
        .collect()
    }

    pub async fn task_reports(&self, county: CountyId) -> Result<Vec<TaskReport>> {
        self.rows(
            "SELECT r.* FROM task_reports r JOIN tasks t ON t.id = r.task_id WHERE t.county_id = $1 ORDER BY r.task_id, r.period",
            &[county.0.into()],
        )
        .await?
        .iter()
        .map(|r| {
            Ok(TaskReport {
                id: TaskReportId(int(r, "id")?),
                task_id: TaskId(int(r, "task_id")?),
                period: YearMonth::from_key(int(r, "period")?).ok_or_else(|| StoreError::Corrupt("period".into()))?,
                progress: opt_int(r, "progress_bp")?.map(|bp| percent(bp, "progress_bp")).transpose()?,
                narrative: text(r, "narrative")?,
                problems: text(r, "problems")?,
                next_steps: text(r, "next_steps")?,
                status: parsed(r, "status", ReportStatus::parse)?,
                submitted_on: opt_parsed(r, "submitted_on", Date::parse)?,
                approved_on: opt_parsed(r, "approved_on", Date::parse)?,
                submitted_by: opt_int(r, "submitted_by")?.map(UserId),
                approved_by: opt_int(r, "approved_by")?.map(UserId),
                return_reason: opt_text(r, "return_reason")?.unwrap_or_default(),
            })
        })
        .collect()
    }

    /// A whole county, as written by [`Store::insert_county_dataset`].
    pub async fn county_dataset(&self, county: CountyId) -> Result<CountyDataset> {
        Ok(CountyDataset {
            county: self.county_by_id(county).await?,
            population: self.population(county).await?,
            departments: self.departments(county).await?,
            plans: self.plans(county).await?,
            nodes: self.plan_nodes(county).await?,
            alignments: self.alignments(county).await?,
            positioning: self.positioning(county).await?,
            goals: self.goals(county).await?,
            indicators: self.indicators(county).await?,
            task_areas: self.task_areas(county).await?,
            tasks: self.tasks(county).await?,
            safeguards: self.safeguards(county).await?,
            categories: self.categories(county).await?,
            projects: self.full_projects(county, None).await?,
            project_reports: self.project_reports(county, None).await?,
            task_reports: self.task_reports(county).await?,
        })
    }

    /// One page of the project library, with each project's latest report.
    pub async fn projects_page(
        &self,
        county: CountyId,
        filter: &ProjectFilter,
    ) -> Result<ProjectPage> {
        let per_page = filter.per_page.clamp(1, 200);
        let page = filter.page.max(1);
        let binds = [
            county.0.into(),
            Val::Int(filter.category.map(|c| c.0)),
            Val::Text(filter.stage.map(|s| s.code().to_owned())),
            Val::Int(filter.township.map(|t| t.0)),
        ];
        const WHERE: &str = "p.county_id = $1 AND ($2 IS NULL OR p.category_id = $2) AND ($3 IS NULL OR p.stage = $3) AND ($4 IS NULL OR p.township_id = $4)";
        let totals = bind_all(
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT COUNT(*) AS n, CAST(COALESCE(SUM(p.total_investment_yuan), 0) AS BIGINT) AS total FROM projects p WHERE {WHERE}"
            ))),
            &binds,
        )
        .fetch_one(&self.pool)
        .await?;
        let sql = format!(
            "SELECT p.id, p.internal_code, p.national_code, p.name, p.category_id, c.name AS category, p.township_id, t.name AS township, \
             d.short_name AS lead, p.stage, p.total_investment_yuan, p.planned_start, p.planned_finish, \
             r.period AS latest_period, r.progress_bp AS latest_progress_bp, r.investment_cumulative_yuan AS latest_cumulative_yuan \
             FROM projects p JOIN categories c ON c.id = p.category_id \
             LEFT JOIN departments t ON t.id = p.township_id \
             JOIN departments d ON d.id = p.lead_department_id \
             LEFT JOIN project_reports r ON r.project_id = p.id AND r.status = 'approved' AND r.period = (SELECT MAX(r2.period) FROM project_reports r2 WHERE r2.project_id = p.id AND r2.status = 'approved') \
             WHERE {WHERE} ORDER BY {} LIMIT {per_page} OFFSET {}",
            filter.sort.order_by(),
            (page - 1) * per_page
        );
        let items = bind_all(sqlx::query(sqlx::AssertSqlSafe(sql)), &binds)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| {
                Ok(ProjectSummary {
                    id: ProjectId(int(r, "id")?),
                    internal_code: text(r, "internal_code")?,
                    national_code: opt_text(r, "national_code")?,
                    name: text(r, "name")?,
                    category_id: CategoryId(int(r, "category_id")?),
                    category: text(r, "category")?,
                    township_id: opt_int(r, "township_id")?.map(DepartmentId),
                    township: opt_text(r, "township")?,
                    lead: text(r, "lead")?,
                    stage: parsed(r, "stage", Stage::parse)?,
                    total_investment: Money::from_yuan(int(r, "total_investment_yuan")?),
                    planned_start: month(r, "planned_start")?,
                    planned_finish: month(r, "planned_finish")?,
                    latest_period: month(r, "latest_period")?,
                    latest_progress: opt_int(r, "latest_progress_bp")?
                        .map(|bp| percent(bp, "latest_progress_bp"))
                        .transpose()?,
                    latest_cumulative: opt_int(r, "latest_cumulative_yuan")?.map(Money::from_yuan),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(ProjectPage {
            items,
            total: int(&totals, "n")?,
            page,
            per_page,
            total_investment: Money::from_yuan(int(&totals, "total")?),
        })
    }

    /// Projects and total investment per stage, in stage order.
    pub async fn project_stage_summary(
        &self,
        county: CountyId,
    ) -> Result<Vec<(Stage, i64, Money)>> {
        let mut rows = self
            .rows(
                "SELECT stage, COUNT(*) AS n, CAST(SUM(total_investment_yuan) AS BIGINT) AS total FROM projects WHERE county_id = $1 GROUP BY stage",
                &[county.0.into()],
            )
            .await?
            .iter()
            .map(|r| Ok((parsed(r, "stage", Stage::parse)?, int(r, "n")?, Money::from_yuan(int(r, "total")?))))
            .collect::<Result<Vec<_>>>()?;
        rows.sort_by_key(|r| r.0);
        Ok(rows)
    }

    /// Row counts of every table (used to check a copy).
    pub async fn table_counts(&self) -> Result<Vec<TableCount>> {
        let mut counts = Vec::with_capacity(TABLES.len());
        for table in TABLES {
            let row = sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT COUNT(*) AS n FROM {table}"
            )))
            .fetch_one(&self.pool)
            .await?;
            counts.push(TableCount {
                table,
                rows: int(&row, "n")?,
            });
        }
        Ok(counts)
    }

    /// The next id the id space will hand out.
    pub async fn next_id(&self) -> Result<i64> {
        let row = sqlx::query("SELECT next_id FROM id_counter WHERE name = 'global'")
            .fetch_one(&self.pool)
            .await?;
        int(&row, "next_id")
    }
}
