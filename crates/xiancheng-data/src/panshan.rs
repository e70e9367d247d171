//! The illustrative Panshan County (盘山县, 211122) dataset.
//!
//! `data/panshan.json` is written for people: references are by name (department short
//! names, township names, category codes, article labels, indicator codes) and amounts are
//! in 万元. [`dataset`] resolves it into a [`CountyDataset`] with ids from 1, and generates
//! the monthly project reports and task reports from each project's plan and its
//! *scenario* (on track, behind, stalled, late reporter, missing months, inconsistent), so
//! that warnings have realistic mess to find. Generation is deterministic: no clock, no
//! randomness beyond a fixed-seed generator.

use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use xiancheng_core::dataset::CountyDataset;
use xiancheng_core::enums::*;
use xiancheng_core::ids::*;
use xiancheng_core::model::*;
use xiancheng_core::{Date, DivisionCode, Money, Percent, ProjectCode, ValidationError, YearMonth};

/// The last month the demo dataset has reports for.
pub fn last_period() -> YearMonth {
    YearMonth::new(2026, 10).expect("valid month")
}

/// Day of the following month by which a monthly report is due in the demo calendar.
pub const DUE_DAY: u32 = 10;

const SOURCE: &str = include_str!("../data/panshan.json");
const INTERPRETATION: &str = include_str!("../data/panshan-interpretation.txt");

#[derive(Debug, Deserialize)]
struct Source {
    county: SrcCounty,
    departments: Vec<SrcDepartment>,
    townships: Vec<SrcTownship>,
    plan: SrcPlan,
    positioning: Vec<SrcPositioning>,
    goals: Vec<SrcGoal>,
    indicators: Vec<SrcIndicator>,
    task_areas: Vec<SrcArea>,
    safeguards: Vec<SrcSafeguard>,
    categories: Vec<SrcCategory>,
    projects: Vec<SrcProject>,
}

#[derive(Debug, Deserialize)]
struct SrcCounty {
    division_code: DivisionCode,
    name: String,
    name_en: String,
    province: String,
    city: String,
    seat: String,
    primary_type: FunctionalType,
    secondary_type: Option<FunctionalType>,
    area_km2: Option<f64>,
    #[serde(default)]
    population: Vec<SrcPopulation>,
}

#[derive(Debug, Deserialize)]
struct SrcPopulation {
    year: i32,
    kind: PopulationKind,
    persons: i64,
    source: String,
}

#[derive(Debug, Deserialize)]
struct SrcDepartment {
    name: String,
    short: String,
    kind: DepartmentKind,
    #[serde(default)]
    aliases: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct SrcTownship {
    name: String,
    kind: DepartmentKind,
    lon: f64,
    lat: f64,
}

#[derive(Debug, Deserialize)]
struct SrcPlan {
    title: String,
    issuing_body: String,
    doc_number: String,
    issued_on: Date,
    period_start: i32,
    period_end: i32,
    outlook_year: Option<i32>,
    status: PlanStatus,
    chapters: Vec<SrcChapter>,
    omissions: Vec<SrcReasoned>,
    not_applicable: Vec<SrcReasoned>,
}

#[derive(Debug, Deserialize)]
struct SrcChapter {
    label: String,
    title: String,
    #[serde(default)]
    body: String,
    articles: Vec<SrcArticle>,
}

#[derive(Debug, Deserialize)]
struct SrcArticle {
    label: String,
    title: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    national_items: Vec<SrcItemLink>,
}

#[derive(Debug, Deserialize)]
struct SrcItemLink {
    number: i32,
    status: AlignmentStatus,
}

#[derive(Debug, Deserialize)]
struct SrcReasoned {
    number: i32,
    reason: String,
}

#[derive(Debug, Deserialize)]
struct SrcPositioning {
    kind: PositioningKind,
    items: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct SrcGoal {
    year: Option<i32>,
    text: String,
}

#[derive(Debug, Deserialize)]
struct SrcIndicator {
    code: String,
    name: String,
    unit: String,
    direction: Direction,
    #[serde(default)]
    decimals: u8,
    source: Option<String>,
    #[serde(default)]
    theme: String,
    baseline: Option<YearValue>,
    #[serde(default)]
    targets: Vec<YearValue>,
    #[serde(default)]
    actuals: Vec<YearValue>,
}

#[derive(Debug, Deserialize)]
struct SrcArea {
    chapter: String,
    title: String,
    tasks: Vec<SrcTask>,
}

#[derive(Debug, Deserialize)]
struct SrcTask {
    article: String,
    title: String,
    #[serde(default)]
    description: String,
    lead: String,
    #[serde(default)]
    co: Vec<String>,
    #[serde(default)]
    milestones: Vec<SrcMilestone>,
    progress_mode: ProgressMode,
    status: TaskStatus,
    cadence: Cadence,
    #[serde(default)]
    indicators: Vec<String>,
    entered_progress: Option<f64>,
}

#[derive(Debug, Deserialize)]
struct SrcMilestone {
    title: String,
    due: Date,
    done: Option<Date>,
}

#[derive(Debug, Deserialize)]
struct SrcSafeguard {
    article: String,
    title: String,
    #[serde(default)]
    description: String,
    lead: Option<String>,
    #[serde(default)]
    co: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct SrcCategory {
    code: String,
    name: String,
    #[serde(default)]
    ndrc_areas: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct SrcProject {
    key: String,
    name: String,
    category: String,
    township: Option<String>,
    lon: Option<f64>,
    lat: Option<f64>,
    #[serde(default)]
    address: String,
    #[serde(default)]
    content: String,
    nature: ConstructionNature,
    lead: String,
    #[serde(default)]
    owner: String,
    competent: Option<String>,
    total_wan: f64,
    funding_nature: FundingNature,
    stage: Stage,
    planned_start: Option<YearMonth>,
    planned_finish: Option<YearMonth>,
    actual_start: Option<YearMonth>,
    actual_finish: Option<YearMonth>,
    #[serde(default)]
    annual_plan_wan: BTreeMap<String, f64>,
    #[serde(default)]
    funding: Vec<SrcFunding>,
    #[serde(default)]
    permits: Vec<SrcPermit>,
    #[serde(default)]
    risks: Vec<SrcRisk>,
    #[serde(default)]
    opinion: String,
    feasibility: Option<SrcFeasibility>,
    #[serde(default)]
    tasks: Vec<String>,
    national_code: Option<String>,
    #[serde(default = "default_scenario")]
    scenario: String,
}

fn default_scenario() -> String {
    "on_track".into()
}

#[derive(Debug, Deserialize)]
struct SrcFunding {
    channel: FundingChannel,
    #[serde(default)]
    programme: String,
    planned_wan: f64,
    #[serde(default)]
    approved_wan: f64,
    #[serde(default)]
    arrived_wan: f64,
    status: FundingStatus,
    doc_number: Option<String>,
}

#[derive(Debug, Deserialize)]
struct SrcPermit {
    kind: PermitKind,
    status: PermitStatus,
    doc_number: Option<String>,
    date: Option<Date>,
    valid_until: Option<Date>,
    #[serde(default)]
    issuer: String,
}

#[derive(Debug, Deserialize)]
struct SrcRisk {
    category: RiskCategory,
    description: String,
    likelihood: u8,
    impact: u8,
    owner: Option<String>,
    #[serde(default)]
    mitigation: String,
    status: RiskStatus,
}

#[derive(Debug, Deserialize)]
struct SrcFeasibility {
    score: u8,
    text: String,
}

/// Converts 万元 as written in the source (at most four decimals) to exact yuan.
fn wan(field: &str, value: f64) -> Result<Money, ValidationError> {
    Money::parse_wan(field, &format!("{value:.4}"))
}

/// A small deterministic generator (SplitMix64), so the demo is the same on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A float in `lo..hi`.
    fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (self.next() >> 11) as f64 / (1u64 << 53) as f64 * (hi - lo)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

struct Builder {
    next_id: i64,
    errors: Vec<ValidationError>,
}

impl Builder {
    fn id(&mut self) -> i64 {
        let id = self.next_id;
        self.next_id += 1;
        id
    }

    fn check<T>(&mut self, r: Result<T, ValidationError>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(e) => {
                self.errors.push(e);
                None
            }
        }
    }

    fn lookup<T: Copy>(
        &mut self,
        map: &HashMap<String, T>,
        field: String,
        name: &str,
        what: &str,
    ) -> Option<T> {
        let found = map.get(name).copied();
        if found.is_none() {
            self.errors.push(ValidationError::new(
                field,
                name,
                format!("已定义的{what}"),
                format!("a defined {what}"),
            ));
        }
        found
    }
}

/// Builds the Panshan dataset with ids from 1. Errors name the place in `panshan.json`.
pub fn dataset() -> Result<CountyDataset, xiancheng_core::ValidationErrors> {
    let src: Source = serde_json::from_str(SOURCE).map_err(|e| {
        xiancheng_core::ValidationErrors(vec![ValidationError::new(
            "panshan.json",
            e,
            "符合约定结构的 JSON",
            "JSON of the documented shape",
        )])
    })?;
    let mut b = Builder {
        next_id: 1,
        errors: Vec::new(),
    };
    let county_id = CountyId(b.id());
    let c = &src.county;
    let county = County {
        id: county_id,
        division_code: c.division_code,
        name: c.name.clone(),
        name_en: c.name_en.clone(),
        province: c.province.clone(),
        city: c.city.clone(),
        seat: c.seat.clone(),
        primary_type: c.primary_type,
        secondary_type: c.secondary_type,
        area_km2: c.area_km2,
        illustrative: true,
    };
    let population = c
        .population
        .iter()
        .map(|p| PopulationFigure {
            county_id,
            year: p.year,
            kind: p.kind,
            persons: p.persons,
            source: p.source.clone(),
        })
        .collect();

    // Departments, then townships (which are responsible units too). Names, short names and
    // aliases all resolve to the same unit.
    let mut departments = Vec::new();
    let mut dept_by_name: HashMap<String, DepartmentId> = HashMap::new();
    for d in &src.departments {
        let id = DepartmentId(b.id());
        for name in std::iter::once(&d.name)
            .chain(std::iter::once(&d.short))
            .chain(&d.aliases)
        {
            dept_by_name.insert(name.clone(), id);
        }
        departments.push(Department {
            id,
            county_id,
            name: d.name.clone(),
            short_name: d.short.clone(),
            kind: d.kind,
            aliases: d.aliases.clone(),
            location: None,
        });
    }
    let mut township_by_name: HashMap<String, DepartmentId> = HashMap::new();
    for t in &src.townships {
        let id = DepartmentId(b.id());
        dept_by_name.insert(t.name.clone(), id);
        township_by_name.insert(t.name.clone(), id);
        departments.push(Department {
            id,
            county_id,
            name: format!("{}{}", c.name, t.name),
            short_name: t.name.clone(),
            kind: t.kind,
            aliases: Vec::new(),
            location: Some(GeoPoint {
                lon: t.lon,
                lat: t.lat,
            }),
        });
    }

    let p = &src.plan;
    let plan_id = PlanId(b.id());
    let mut lines = INTERPRETATION
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty());
    let interpretation_title = lines.next().unwrap_or_default().to_owned();
    let interpretation_text = lines.collect::<Vec<_>>().join("\n");
    let plan = Plan {
        id: plan_id,
        county_id,
        title: p.title.clone(),
        issuing_body: p.issuing_body.clone(),
        doc_number: p.doc_number.clone(),
        issued_on: Some(p.issued_on),
        period_start: p.period_start,
        period_end: p.period_end,
        outlook_year: p.outlook_year,
        status: p.status,
        interpretation: Some(Interpretation {
            title: interpretation_title,
            text: interpretation_text,
            source: "盘山县人民政府网站（网页抓取件，已转为简体、去除拼音注音与网站页脚）".into(),
            truncated: true,
        }),
    };

    let mut nodes = Vec::new();
    let mut alignments = Vec::new();
    let mut chapter_by_label: HashMap<String, PlanNodeId> = HashMap::new();
    let mut article_by_label: HashMap<String, (PlanNodeId, Vec<i32>)> = HashMap::new();
    for (ci, ch) in p.chapters.iter().enumerate() {
        let chapter_id = PlanNodeId(b.id());
        chapter_by_label.insert(ch.label.clone(), chapter_id);
        nodes.push(PlanNode {
            id: chapter_id,
            plan_id,
            parent: None,
            ordinal: ci as i32 + 1,
            level: NodeLevel::Chapter,
            label: ch.label.clone(),
            title: ch.title.clone(),
            body: ch.body.clone(),
        });
        for (ai, a) in ch.articles.iter().enumerate() {
            let article_id = PlanNodeId(b.id());
            article_by_label.insert(
                a.label.clone(),
                (
                    article_id,
                    a.national_items.iter().map(|l| l.number).collect(),
                ),
            );
            nodes.push(PlanNode {
                id: article_id,
                plan_id,
                parent: Some(chapter_id),
                ordinal: ai as i32 + 1,
                level: NodeLevel::Article,
                label: a.label.clone(),
                title: a.title.clone(),
                body: a.body.clone(),
            });
            for link in &a.national_items {
                alignments.push(Alignment {
                    id: AlignmentId(b.id()),
                    plan_id,
                    national_item: link.number,
                    node: Some(article_id),
                    status: link.status,
                    reason: String::new(),
                });
            }
        }
    }
    for (list, status) in [
        (&p.omissions, AlignmentStatus::Omitted),
        (&p.not_applicable, AlignmentStatus::NotApplicable),
    ] {
        for o in list {
            alignments.push(Alignment {
                id: AlignmentId(b.id()),
                plan_id,
                national_item: o.number,
                node: None,
                status,
                reason: o.reason.clone(),
            });
        }
    }

    let mut positioning = Vec::new();
    for group in &src.positioning {
        for (i, text) in group.items.iter().enumerate() {
            positioning.push(PositioningElement {
                id: PositioningId(b.id()),
                plan_id,
                kind: group.kind,
                ordinal: i as i32 + 1,
                text: text.clone(),
            });
        }
    }
    let goals = src
        .goals
        .iter()
        .enumerate()
        .map(|(i, g)| Goal {
            id: GoalId(b.id()),
            plan_id,
            ordinal: i as i32 + 1,
            year: g.year,
            text: g.text.clone(),
        })
        .collect();

    let mut indicators = Vec::new();
    let mut indicator_by_code: HashMap<String, IndicatorId> = HashMap::new();
    for (i, ind) in src.indicators.iter().enumerate() {
        let id = IndicatorId(b.id());
        indicator_by_code.insert(ind.code.clone(), id);
        let source_department = match &ind.source {
            Some(name) => b.lookup(
                &dept_by_name,
                format!("indicators[{i}].source"),
                name,
                "单位",
            ),
            None => None,
        };
        indicators.push(Indicator {
            id,
            county_id,
            plan_id,
            code: ind.code.clone(),
            name: ind.name.clone(),
            unit: ind.unit.clone(),
            direction: ind.direction,
            decimals: ind.decimals,
            theme: ind.theme.clone(),
            source_department,
            baseline: ind.baseline,
            targets: ind.targets.clone(),
            actuals: ind.actuals.clone(),
        });
    }

    let mut categories = Vec::new();
    let mut category_by_code: HashMap<String, CategoryId> = HashMap::new();
    for (i, cat) in src.categories.iter().enumerate() {
        let id = CategoryId(b.id());
        category_by_code.insert(cat.code.clone(), id);
        categories.push(Category {
            id,
            county_id,
            ordinal: i as i32 + 1,
            code: cat.code.clone(),
            name: cat.name.clone(),
            ndrc_areas: cat.ndrc_areas.clone(),
        });
    }

    // Projects first, so tasks can link to them.
    let mut projects = Vec::new();
    let mut projects_of_article: HashMap<String, Vec<ProjectId>> = HashMap::new();
    let mut scenarios = Vec::new();
    for (i, sp) in src.projects.iter().enumerate() {
        let at = |f: &str| format!("projects[{i}]({}).{f}", sp.key);
        let id = ProjectId(b.id());
        for article in &sp.tasks {
            projects_of_article
                .entry(article.clone())
                .or_default()
                .push(id);
        }
        let category = b
            .lookup(&category_by_code, at("category"), &sp.category, "项目类别")
            .unwrap_or(CategoryId(0));
        let township = match &sp.township {
            Some(t) => b.lookup(&township_by_name, at("township"), t, "乡镇（街道）"),
            None => None,
        };
        let lead = b
            .lookup(&dept_by_name, at("lead"), &sp.lead, "单位")
            .unwrap_or(DepartmentId(0));
        let competent = match &sp.competent {
            Some(d) => b.lookup(&dept_by_name, at("competent"), d, "单位"),
            None => None,
        };
        let total = b
            .check(wan(&at("total_wan"), sp.total_wan))
            .unwrap_or_default();
        let mut annual_plan = Vec::new();
        for (year, amount) in &sp.annual_plan_wan {
            let year: Option<i32> = b.check(year.parse().map_err(|_| {
                ValidationError::new(at("annual_plan_wan"), year, "四位年份", "a year")
            }));
            let amount = b.check(wan(&at("annual_plan_wan"), *amount));
            if let (Some(year), Some(amount)) = (year, amount) {
                annual_plan.push(AnnualInvestment { year, amount });
            }
        }
        let mut funding = Vec::new();
        for f in &sp.funding {
            let planned = b
                .check(wan(&at("funding.planned_wan"), f.planned_wan))
                .unwrap_or_default();
            let approved = b
                .check(wan(&at("funding.approved_wan"), f.approved_wan))
                .unwrap_or_default();
            let arrived = b
                .check(wan(&at("funding.arrived_wan"), f.arrived_wan))
                .unwrap_or_default();
            funding.push(FundingLine {
                id: FundingLineId(b.id()),
                channel: f.channel,
                programme: f.programme.clone(),
                planned,
                approved,
                arrived,
                status: f.status,
                doc_number: f.doc_number.clone().unwrap_or_default(),
            });
        }
        let permits = sp
            .permits
            .iter()
            .map(|x| Permit {
                id: PermitId(b.id()),
                kind: x.kind,
                status: x.status,
                doc_number: x.doc_number.clone().unwrap_or_default(),
                issued_on: x.date,
                valid_until: x.valid_until,
                issuer: x.issuer.clone(),
            })
            .collect();
        let mut risks = Vec::new();
        for r in &sp.risks {
            let owner = match &r.owner {
                Some(o) => b.lookup(&dept_by_name, at("risks.owner"), o, "单位"),
                None => None,
            };
            risks.push(Risk {
                id: RiskId(b.id()),
                category: r.category,
                description: r.description.clone(),
                likelihood: r.likelihood,
                impact: r.impact,
                owner,
                mitigation: r.mitigation.clone(),
                status: r.status,
            });
        }
        let national_code = match &sp.national_code {
            Some(code) => b.check(ProjectCode::parse(&at("national_code"), code)),
            None => None,
        };
        let location = match (sp.lon, sp.lat) {
            (Some(lon), Some(lat)) => Some(GeoPoint { lon, lat }),
            _ => None,
        };
        scenarios.push(sp.scenario.clone());
        projects.push(Project {
            id,
            county_id,
            internal_code: format!("{}-{:03}", c.division_code, i + 1),
            national_code,
            name: sp.name.clone(),
            category,
            township,
            location,
            address: sp.address.clone(),
            content: sp.content.clone(),
            nature: sp.nature,
            lead,
            owner: sp.owner.clone(),
            competent,
            total_investment: total,
            funding_nature: sp.funding_nature,
            stage: sp.stage,
            planned_start: sp.planned_start,
            planned_finish: sp.planned_finish,
            actual_start: sp.actual_start,
            actual_finish: sp.actual_finish,
            competent_opinion: sp.opinion.clone(),
            feasibility_score: sp.feasibility.as_ref().map(|f| f.score),
            feasibility_note: sp
                .feasibility
                .as_ref()
                .map(|f| f.text.clone())
                .unwrap_or_default(),
            annual_plan,
            funding,
            permits,
            risks,
        });
    }

    let mut task_areas = Vec::new();
    let mut tasks = Vec::new();
    for (ai, area) in src.task_areas.iter().enumerate() {
        let area_id = TaskAreaId(b.id());
        let node = b.lookup(
            &chapter_by_label,
            format!("task_areas[{ai}].chapter"),
            &area.chapter,
            "章",
        );
        task_areas.push(TaskArea {
            id: area_id,
            plan_id,
            ordinal: ai as i32 + 1,
            title: area.title.clone(),
            node,
        });
        for (ti, st) in area.tasks.iter().enumerate() {
            let at = |f: &str| format!("task_areas[{ai}].tasks[{ti}].{f}");
            let (node, national_items) = match article_by_label.get(&st.article) {
                Some((node, items)) => (Some(*node), items.clone()),
                None => {
                    b.errors.push(ValidationError::new(
                        at("article"),
                        &st.article,
                        "已定义的条",
                        "a defined article",
                    ));
                    (None, Vec::new())
                }
            };
            let lead = b
                .lookup(&dept_by_name, at("lead"), &st.lead, "单位")
                .unwrap_or(DepartmentId(0));
            let co = st
                .co
                .iter()
                .filter_map(|d| b.lookup(&dept_by_name, at("co"), d, "单位"))
                .collect();
            let indicators = st
                .indicators
                .iter()
                .filter_map(|code| b.lookup(&indicator_by_code, at("indicators"), code, "指标"))
                .collect();
            let entered_progress = match st.entered_progress {
                Some(v) => b.check(Percent::parse(&at("entered_progress"), &format!("{v:.2}"))),
                None => None,
            };
            let milestones = st
                .milestones
                .iter()
                .enumerate()
                .map(|(mi, m)| Milestone {
                    id: MilestoneId(b.id()),
                    ordinal: mi as i32 + 1,
                    title: m.title.clone(),
                    due: m.due,
                    done: m.done,
                })
                .collect();
            tasks.push(Task {
                id: TaskId(b.id()),
                area_id,
                county_id,
                ordinal: ti as i32 + 1,
                title: st.title.clone(),
                description: st.description.clone(),
                lead,
                co,
                status: st.status,
                progress_mode: st.progress_mode,
                entered_progress,
                cadence: st.cadence,
                node,
                national_items,
                projects: projects_of_article
                    .get(&st.article)
                    .cloned()
                    .unwrap_or_default(),
                indicators,
                milestones,
            });
        }
    }

    let mut safeguards = Vec::new();
    for (si, s) in src.safeguards.iter().enumerate() {
        let node = article_by_label.get(&s.article).map(|(n, _)| *n);
        let lead = match &s.lead {
            Some(d) => b.lookup(&dept_by_name, format!("safeguards[{si}].lead"), d, "单位"),
            None => None,
        };
        let co =
            s.co.iter()
                .filter_map(|d| b.lookup(&dept_by_name, format!("safeguards[{si}].co"), d, "单位"))
                .collect();
        safeguards.push(Safeguard {
            id: SafeguardId(b.id()),
            plan_id,
            ordinal: si as i32 + 1,
            title: s.title.clone(),
            description: s.description.clone(),
            node,
            lead,
            co,
        });
    }

    let mut rng = Rng(211_122);
    let mut project_reports = Vec::new();
    for (project, scenario) in projects.iter().zip(&scenarios) {
        project_reports.extend(project_reports_for(&mut b, &mut rng, project, scenario));
    }
    let mut task_reports = Vec::new();
    for task in &tasks {
        task_reports.extend(task_reports_for(
            &mut b,
            &mut rng,
            task,
            p.issued_on.year_month().next(),
        ));
    }

    if !b.errors.is_empty() {
        return Err(xiancheng_core::ValidationErrors(b.errors));
    }
    Ok(CountyDataset {
        county,
        population,
        departments,
        plans: vec![plan],
        nodes,
        alignments,
        positioning,
        goals,
        indicators,
        task_areas,
        tasks,
        safeguards,
        categories,
        projects,
        project_reports,
        task_reports,
    })
}

/// Planned cumulative investment at the end of `month`: each year's plan spread evenly over
/// the months of that year in which the project is active.
fn planned_cumulative(
    project: &Project,
    start: YearMonth,
    end: YearMonth,
    month: YearMonth,
) -> i64 {
    let mut total = 0i64;
    for a in &project.annual_plan {
        let first = if a.year == start.year() {
            start.month()
        } else {
            1
        };
        let last = if a.year == end.year() {
            end.month()
        } else {
            12
        };
        if a.year < start.year() || a.year > end.year() || first > last {
            // A plan year outside the active window is spent evenly over that whole year.
            let elapsed = if month.year() > a.year {
                12
            } else if month.year() == a.year {
                month.month()
            } else {
                0
            };
            total += a.amount.yuan() * i64::from(elapsed) / 12;
            continue;
        }
        let months = i64::from(last - first + 1);
        let elapsed = if month.year() > a.year {
            months
        } else if month.year() == a.year {
            (i64::from(month.month()) - i64::from(first) + 1).clamp(0, months)
        } else {
            0
        };
        total += a.amount.yuan() * elapsed / months;
    }
    total
}

fn round_wan(yuan: f64) -> Money {
    // Reports are filled in 万元 with two decimals: round to 100 yuan.
    Money::from_yuan(((yuan / 100.0).round() as i64).max(0) * 100)
}

fn project_reports_for(
    b: &mut Builder,
    rng: &mut Rng,
    project: &Project,
    scenario: &str,
) -> Vec<ProjectReport> {
    let Some(start) = project
        .actual_start
        .filter(|_| project.stage.has_started() || project.stage == Stage::Suspended)
    else {
        return Vec::new();
    };
    if scenario == "not_started" {
        return Vec::new();
    }
    let last = last_period();
    let end = project.actual_finish.unwrap_or(last).min(last);
    let planned_end = project.planned_finish.unwrap_or(end).max(start);
    if start > end {
        return Vec::new();
    }
    let months: Vec<YearMonth> = start.through(end).collect();
    let total = project.total_investment.yuan() as f64;
    let pace = match scenario {
        "behind" => rng.range(0.55, 0.75),
        "stalled" => rng.range(0.7, 0.85),
        _ => rng.range(0.92, 1.03),
    };
    let missing: Vec<usize> = if scenario == "missing_months" && months.len() > 6 {
        let a = months.len() - 1 - rng.below(2) as usize;
        let b_ = 2 + rng.below(months.len() as u64 - 4) as usize;
        vec![a, b_, b_.saturating_sub(1).max(1)]
    } else {
        Vec::new()
    };
    let stalled_from = if scenario == "stalled" {
        months.len().saturating_sub(5)
    } else {
        usize::MAX
    };
    let inconsistent_at = if scenario == "inconsistent" && months.len() > 4 {
        Some(months.len() - 2 - rng.below(3) as usize)
    } else {
        None
    };
    let finished = project.actual_finish.is_some_and(|f| f <= last);

    let mut reports = Vec::new();
    let mut prev_cum = 0i64;
    let mut prev_progress = 0i64;
    for (i, &month) in months.iter().enumerate() {
        let planned = planned_cumulative(project, start, planned_end, month) as f64;
        let mut cumulative = if i >= stalled_from {
            prev_cum
        } else if finished && i == months.len() - 1 {
            (total * rng.range(0.97, 1.0)) as i64
        } else {
            (planned * pace * rng.range(0.97, 1.03)).min(total) as i64
        };
        cumulative = round_wan(cumulative.max(prev_cum) as f64).yuan();
        let mut progress_bp = if total > 0.0 {
            ((cumulative as f64 / total) * 10_000.0 * rng.range(0.98, 1.04)).round() as i64
        } else {
            0
        };
        if finished && i == months.len() - 1 {
            progress_bp = 10_000;
        }
        if i >= stalled_from {
            progress_bp = prev_progress;
        }
        progress_bp = progress_bp.clamp(prev_progress, 10_000);
        let mut month_investment = cumulative - prev_cum;
        // The inconsistent scenario: one month's cumulative figure falls below the last one.
        if Some(i) == inconsistent_at {
            cumulative = round_wan(prev_cum as f64 * 0.93).yuan();
            month_investment = 0;
        }
        let next = month.next();
        let late = scenario == "late_reporter" && rng.below(3) == 0;
        let submit_day = if late {
            DUE_DAY + 3 + rng.below(12) as u32
        } else {
            3 + rng.below(u64::from(DUE_DAY) - 3) as u32
        };
        let submitted_on = Date::new(next.year(), next.month(), submit_day.min(28));
        let is_latest = month == last;
        let status = if !is_latest {
            ReportStatus::Approved
        } else {
            match rng.below(4) {
                0 => ReportStatus::Draft,
                1 => ReportStatus::Returned,
                _ => ReportStatus::Submitted,
            }
        };
        let approved_on = (status == ReportStatus::Approved)
            .then(|| {
                submitted_on.and_then(|d| Date::new(d.year(), d.month(), (d.day() + 2).min(28)))
            })
            .flatten();
        if missing.contains(&i) {
            prev_cum = cumulative.max(prev_cum);
            continue;
        }
        let percent = Percent::from_basis_points(progress_bp).unwrap_or(Percent::ZERO);
        let (narrative, problems, next_steps) =
            report_texts(project, scenario, i >= stalled_from, percent);
        reports.push(ProjectReport {
            id: ProjectReportId(b.id()),
            project_id: project.id,
            period: month,
            investment_month: Money::from_yuan(month_investment.max(0)),
            investment_cumulative: Money::from_yuan(cumulative),
            progress: percent,
            narrative,
            problems,
            next_steps,
            status,
            submitted_on: if status == ReportStatus::Draft {
                None
            } else {
                submitted_on
            },
            approved_on,
            submitted_by: None,
            approved_by: None,
            return_reason: if status == ReportStatus::Returned {
                "累计投资与财务支出凭证不一致，请核实后重新提交。".into()
            } else {
                String::new()
            },
        });
        if Some(i) != inconsistent_at {
            prev_cum = cumulative;
        }
        prev_progress = progress_bp;
    }
    reports
}

fn report_texts(
    project: &Project,
    scenario: &str,
    stalled: bool,
    progress: Percent,
) -> (String, String, String) {
    let stage_words = match progress.basis_points() {
        0..=1500 => "场地平整及基础施工",
        1501..=4000 => "主体结构施工",
        4001..=7000 => "主体施工及配套管线敷设",
        7001..=9500 => "装饰装修及附属工程",
        _ => "竣工验收及收尾",
    };
    let narrative = format!(
        "{}：{}，形象进度约{}。",
        project.name, stage_words, progress
    );
    let problems = if stalled {
        "资金未及时到位，施工单位暂停作业，需协调解决。".to_owned()
    } else {
        match scenario {
            "behind" => "上级资金到位滞后，投资完成进度慢于计划。".to_owned(),
            "inconsistent" => "本月累计投资按审计核减口径调整。".to_owned(),
            _ => String::new(),
        }
    };
    let next_steps = if stalled {
        "协调资金拨付，督促施工单位尽快复工。"
    } else {
        "按计划推进施工，加强质量安全管理。"
    }
    .to_owned();
    (narrative, problems, next_steps)
}

fn task_reports_for(
    b: &mut Builder,
    rng: &mut Rng,
    task: &Task,
    first: YearMonth,
) -> Vec<TaskReport> {
    if task.progress_mode == ProgressMode::Excluded {
        return Vec::new();
    }
    let last = last_period();
    let months: Vec<YearMonth> = first
        .through(last)
        .filter(|m| task.cadence == Cadence::Monthly || m.month() % 3 == 0)
        .collect();
    let final_bp = task.entered_progress.map(|p| p.basis_points()).unwrap_or(0);
    let count = months.len().max(1) as i64;
    let mut reports = Vec::new();
    for (i, &month) in months.iter().enumerate() {
        // About one report in 25 was never filed.
        if rng.below(25) == 0 {
            continue;
        }
        let progress = (task.progress_mode == ProgressMode::Entered).then(|| {
            Percent::from_basis_points(final_bp * (i as i64 + 1) / count).unwrap_or(Percent::ZERO)
        });
        let next = month.next();
        let submitted_on = Date::new(next.year(), next.month(), 4 + rng.below(6) as u32);
        let is_latest = month == last;
        let status = if is_latest {
            ReportStatus::Submitted
        } else {
            ReportStatus::Approved
        };
        reports.push(TaskReport {
            id: TaskReportId(b.id()),
            task_id: task.id,
            period: month,
            progress,
            narrative: format!("{}：按方案分工持续推进，本期完成阶段性工作。", task.title),
            problems: String::new(),
            next_steps: "按节点推进下阶段工作。".into(),
            status,
            submitted_on,
            approved_on: (!is_latest)
                .then(|| submitted_on.and_then(|d| Date::new(d.year(), d.month(), d.day() + 3)))
                .flatten(),
            submitted_by: None,
            approved_by: None,
            return_reason: String::new(),
        });
    }
    reports
}
