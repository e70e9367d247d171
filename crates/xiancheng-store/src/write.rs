//! Writing: the national reference data, and whole county datasets, each in one
//! transaction (all rows or none).

use crate::connect::Store;
use crate::error::{Result, StoreError};
use crate::sql::{Val, insert_rows};
use sqlx::{AnyConnection, Row};
use std::collections::HashMap;
use xiancheng_core::dataset::CountyDataset;
use xiancheng_core::ids::CountyId;
use xiancheng_core::model::NationalFramework;

/// How a dataset's ids are treated when it is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdPolicy {
    /// Give the dataset fresh ids from the database's id space (demo load, imports).
    Fresh,
    /// Keep the ids as they are (copying a database); the id counter moves past them.
    Keep,
}

fn opt_date(d: Option<xiancheng_core::Date>) -> Val {
    Val::Text(d.map(|d| d.to_string()))
}

fn opt_month(m: Option<xiancheng_core::YearMonth>) -> Val {
    Val::Int(m.map(|m| m.as_key()))
}

impl Store {
    /// Takes `count` ids from the id space; returns the first.
    pub(crate) async fn reserve_ids_in(conn: &mut AnyConnection, count: i64) -> Result<i64> {
        let row = sqlx::query(
            "UPDATE id_counter SET next_id = next_id + $1 WHERE name = 'global' RETURNING next_id",
        )
        .bind(count)
        .fetch_one(&mut *conn)
        .await?;
        Ok(row.try_get::<i64, _>("next_id")? - count)
    }

    /// Moves the id counter past `max_id` (after ids were written as given).
    async fn advance_ids_past(conn: &mut AnyConnection, max_id: i64) -> Result<()> {
        sqlx::query("UPDATE id_counter SET next_id = $1 WHERE name = 'global' AND next_id <= $1")
            .bind(max_id + 1)
            .execute(&mut *conn)
            .await?;
        Ok(())
    }

    /// Loads the national reference data if the database has none yet. Returns whether it
    /// wrote anything: corrections made by an administrator are never overwritten.
    pub async fn ensure_national_framework(&self, framework: &NationalFramework) -> Result<bool> {
        let mut tx = self.pool.begin().await?;
        let existing: i64 = sqlx::query("SELECT COUNT(*) AS n FROM national_items")
            .fetch_one(&mut *tx)
            .await?
            .try_get("n")?;
        if existing > 0 {
            return Ok(false);
        }
        let d = &framework.document;
        insert_rows(
            &mut tx,
            "national_document",
            &[
                "id",
                "title",
                "issuers",
                "doc_number",
                "issued",
                "verification",
            ],
            &[vec![
                1i64.into(),
                (&d.title).into(),
                (&d.issuers).into(),
                (&d.doc_number).into(),
                (&d.issued).into(),
                d.verification.code().into(),
            ]],
        )
        .await?;
        let parts: Vec<Vec<Val>> = framework
            .parts
            .iter()
            .map(|p| {
                vec![
                    p.number.into(),
                    (&p.label).into(),
                    (&p.title).into(),
                    (&p.title_en).into(),
                    p.verification.code().into(),
                ]
            })
            .collect();
        insert_rows(
            &mut tx,
            "national_parts",
            &["number", "label", "title", "title_en", "verification"],
            &parts,
        )
        .await?;
        let items: Vec<Vec<Val>> = framework
            .items
            .iter()
            .map(|i| {
                vec![
                    i.number.into(),
                    (&i.label).into(),
                    i.part.into(),
                    (&i.heading).into(),
                    (&i.heading_en).into(),
                    i.role.code().into(),
                    i.heading_verification.code().into(),
                    i.number_verification.code().into(),
                    i.keywords.join("、").into(),
                ]
            })
            .collect();
        insert_rows(
            &mut tx,
            "national_items",
            &[
                "number",
                "label",
                "part",
                "heading",
                "heading_en",
                "role",
                "heading_verification",
                "number_verification",
                "keywords",
            ],
            &items,
        )
        .await?;
        let types: Vec<Vec<Val>> = framework
            .functional_types
            .iter()
            .map(|t| {
                vec![
                    t.code.code().into(),
                    (&t.verb).into(),
                    (&t.name).into(),
                    (&t.heading).into(),
                    (&t.name_en).into(),
                    (&t.description_zh).into(),
                    (&t.description_en).into(),
                    t.item.into(),
                ]
            })
            .collect();
        insert_rows(
            &mut tx,
            "functional_types",
            &[
                "code",
                "verb",
                "name",
                "heading",
                "name_en",
                "description_zh",
                "description_en",
                "item",
            ],
            &types,
        )
        .await?;
        let mut groups = Vec::new();
        let mut areas = Vec::new();
        for (gi, g) in framework.ndrc_groups.iter().enumerate() {
            groups.push(vec![
                (&g.code).into(),
                (gi as i64 + 1).into(),
                (&g.name).into(),
                (&g.phrase).into(),
                (&g.name_en).into(),
            ]);
            for (ai, a) in g.areas.iter().enumerate() {
                areas.push(vec![
                    (&a.code).into(),
                    (&g.code).into(),
                    (ai as i64 + 1).into(),
                    (&a.name).into(),
                    (&a.name_en).into(),
                ]);
            }
        }
        insert_rows(
            &mut tx,
            "ndrc_groups",
            &["code", "ordinal", "name", "phrase", "name_en"],
            &groups,
        )
        .await?;
        insert_rows(
            &mut tx,
            "ndrc_areas",
            &["code", "group_code", "ordinal", "name", "name_en"],
            &areas,
        )
        .await?;
        let changes = vec![
            xiancheng_core::audit::FieldChange::new(
                "document",
                None,
                Some(framework.document.doc_number.clone()),
            ),
            xiancheng_core::audit::FieldChange::new(
                "items",
                None,
                Some(framework.items.len().to_string()),
            ),
        ];
        let change = crate::audit::Change {
            action: "reference.load",
            object_kind: "national_document",
            object_id: 1,
            county_id: None,
            changes,
        };
        crate::audit::append(&mut tx, self.now(), None, change).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Writes a whole county in one transaction. Refuses a county whose division code is
    /// already stored ([`StoreError::Conflict`]) and a dataset whose references do not
    /// resolve ([`StoreError::Invalid`]); in both cases nothing is written.
    pub async fn insert_county_dataset(
        &self,
        dataset: &CountyDataset,
        ids: IdPolicy,
    ) -> Result<CountyId> {
        let national: Vec<i32> = self.national_item_numbers().await?;
        dataset.validate(&national)?;
        let mut ds = dataset.clone();
        let mut tx = self.pool.begin().await?;
        let taken: i64 = sqlx::query("SELECT COUNT(*) AS n FROM counties WHERE division_code = $1")
            .bind(ds.county.division_code.to_string())
            .fetch_one(&mut *tx)
            .await?
            .try_get("n")?;
        if taken > 0 {
            return Err(StoreError::Conflict(format!(
                "行政区划代码 {} 的县（{}）已存在 (county already stored)",
                ds.county.division_code, ds.county.name
            )));
        }
        let (lo, hi) = ds.id_range();
        match ids {
            IdPolicy::Fresh => {
                let base = Self::reserve_ids_in(&mut tx, hi - lo + 1).await?;
                ds.rebase(base - lo);
            }
            IdPolicy::Keep => Self::advance_ids_past(&mut tx, hi).await?,
        }
        write_dataset(&mut tx, &ds).await?;
        if ids == IdPolicy::Fresh {
            let count = |n: usize| Some(n.to_string());
            let changes = vec![
                xiancheng_core::audit::FieldChange::new(
                    "division_code",
                    None,
                    Some(ds.county.division_code.to_string()),
                ),
                xiancheng_core::audit::FieldChange::new("projects", None, count(ds.projects.len())),
                xiancheng_core::audit::FieldChange::new("tasks", None, count(ds.tasks.len())),
                xiancheng_core::audit::FieldChange::new(
                    "project_reports",
                    None,
                    count(ds.project_reports.len()),
                ),
                xiancheng_core::audit::FieldChange::new(
                    "illustrative",
                    None,
                    Some(ds.county.illustrative.to_string()),
                ),
            ];
            let change = crate::audit::Change {
                action: "county.import",
                object_kind: "county",
                object_id: ds.county.id.0,
                county_id: Some(ds.county.id.0),
                changes,
            };
            crate::audit::append(&mut tx, self.now(), None, change).await?;
        }
        tx.commit().await?;
        Ok(ds.county.id)
    }

    /// Moves the id counter past every id stored (after a copy written with kept ids).
    pub async fn set_id_counter_at_least(&self, next_id: i64) -> Result<()> {
        let mut conn = self.pool.acquire().await?;
        Self::advance_ids_past(&mut conn, next_id - 1).await
    }
}

async fn write_dataset(tx: &mut AnyConnection, ds: &CountyDataset) -> Result<()> {
    let c = &ds.county;
    insert_rows(
        tx,
        "counties",
        &[
            "id",
            "division_code",
            "name",
            "name_en",
            "province",
            "city",
            "seat",
            "primary_type",
            "secondary_type",
            "area_km2",
            "illustrative",
        ],
        &[vec![
            c.id.0.into(),
            c.division_code.to_string().into(),
            (&c.name).into(),
            (&c.name_en).into(),
            (&c.province).into(),
            (&c.city).into(),
            (&c.seat).into(),
            c.primary_type.code().into(),
            Val::Text(c.secondary_type.map(|t| t.code().to_owned())),
            c.area_km2.into(),
            c.illustrative.into(),
        ]],
    )
    .await?;
    let population: Vec<Vec<Val>> = ds
        .population
        .iter()
        .map(|p| {
            vec![
                c.id.0.into(),
                p.year.into(),
                p.kind.code().into(),
                p.persons.into(),
                (&p.source).into(),
            ]
        })
        .collect();
    insert_rows(
        tx,
        "county_population",
        &["county_id", "year", "kind", "persons", "source"],
        &population,
    )
    .await?;

    let mut departments = Vec::new();
    let mut aliases = Vec::new();
    for (i, d) in ds.departments.iter().enumerate() {
        departments.push(vec![
            d.id.0.into(),
            c.id.0.into(),
            (i as i64 + 1).into(),
            (&d.name).into(),
            (&d.short_name).into(),
            d.kind.code().into(),
            d.location.map(|p| p.lon).into(),
            d.location.map(|p| p.lat).into(),
        ]);
        for (j, a) in d.aliases.iter().enumerate() {
            aliases.push(vec![d.id.0.into(), (j as i64 + 1).into(), a.into()]);
        }
    }
    insert_rows(
        tx,
        "departments",
        &[
            "id",
            "county_id",
            "ordinal",
            "name",
            "short_name",
            "kind",
            "lon",
            "lat",
        ],
        &departments,
    )
    .await?;
    insert_rows(
        tx,
        "department_aliases",
        &["department_id", "ordinal", "alias"],
        &aliases,
    )
    .await?;

    let plans: Vec<Vec<Val>> = ds
        .plans
        .iter()
        .map(|p| {
            let i = p.interpretation.as_ref();
            vec![
                p.id.0.into(),
                c.id.0.into(),
                (&p.title).into(),
                (&p.issuing_body).into(),
                (&p.doc_number).into(),
                opt_date(p.issued_on),
                p.period_start.into(),
                p.period_end.into(),
                p.outlook_year.into(),
                p.status.code().into(),
                Val::Text(i.map(|i| i.title.clone())),
                Val::Text(i.map(|i| i.text.clone())),
                Val::Text(i.map(|i| i.source.clone())),
                Val::Int(i.map(|i| i64::from(i.truncated))),
            ]
        })
        .collect();
    insert_rows(
        tx,
        "plans",
        &[
            "id",
            "county_id",
            "title",
            "issuing_body",
            "doc_number",
            "issued_on",
            "period_start",
            "period_end",
            "outlook_year",
            "status",
            "interpretation_title",
            "interpretation_text",
            "interpretation_source",
            "interpretation_truncated",
        ],
        &plans,
    )
    .await?;

    // Parents before children, so each statement's foreign keys resolve.
    let parents: HashMap<_, _> = ds.nodes.iter().map(|n| (n.id, n.parent)).collect();
    let depth = |mut id| {
        let mut d = 0;
        while let Some(Some(parent)) = parents.get(&id) {
            id = *parent;
            d += 1;
            if d > 64 {
                break;
            }
        }
        d
    };
    let mut nodes: Vec<_> = ds.nodes.iter().collect();
    nodes.sort_by_key(|n| depth(n.id));
    let nodes: Vec<Vec<Val>> = nodes
        .iter()
        .map(|n| {
            vec![
                n.id.0.into(),
                n.plan_id.0.into(),
                Val::Int(n.parent.map(|p| p.0)),
                n.ordinal.into(),
                n.level.code().into(),
                (&n.label).into(),
                (&n.title).into(),
                (&n.body).into(),
            ]
        })
        .collect();
    insert_rows(
        tx,
        "plan_nodes",
        &[
            "id",
            "plan_id",
            "parent_id",
            "ordinal",
            "level",
            "label",
            "title",
            "body",
        ],
        &nodes,
    )
    .await?;

    let alignments: Vec<Vec<Val>> = ds
        .alignments
        .iter()
        .map(|a| {
            vec![
                a.id.0.into(),
                a.plan_id.0.into(),
                a.national_item.into(),
                Val::Int(a.node.map(|n| n.0)),
                a.status.code().into(),
                (&a.reason).into(),
            ]
        })
        .collect();
    insert_rows(
        tx,
        "alignments",
        &[
            "id",
            "plan_id",
            "national_item",
            "node_id",
            "status",
            "reason",
        ],
        &alignments,
    )
    .await?;
    let positioning: Vec<Vec<Val>> = ds
        .positioning
        .iter()
        .map(|p| {
            vec![
                p.id.0.into(),
                p.plan_id.0.into(),
                p.kind.code().into(),
                p.ordinal.into(),
                (&p.text).into(),
            ]
        })
        .collect();
    insert_rows(
        tx,
        "positioning_elements",
        &["id", "plan_id", "kind", "ordinal", "text"],
        &positioning,
    )
    .await?;
    let goals: Vec<Vec<Val>> = ds
        .goals
        .iter()
        .map(|g| {
            vec![
                g.id.0.into(),
                g.plan_id.0.into(),
                g.ordinal.into(),
                g.year.into(),
                (&g.text).into(),
            ]
        })
        .collect();
    insert_rows(
        tx,
        "goals",
        &["id", "plan_id", "ordinal", "year", "text"],
        &goals,
    )
    .await?;

    let mut indicators = Vec::new();
    let mut values = Vec::new();
    for i in &ds.indicators {
        indicators.push(vec![
            i.id.0.into(),
            c.id.0.into(),
            i.plan_id.0.into(),
            (&i.code).into(),
            (&i.name).into(),
            (&i.unit).into(),
            i.direction.code().into(),
            i64::from(i.decimals).into(),
            (&i.theme).into(),
            Val::Int(i.source_department.map(|d| d.0)),
            i.baseline.map(|b| b.year).into(),
            i.baseline.map(|b| b.value).into(),
        ]);
        for (kind, list) in [("target", &i.targets), ("actual", &i.actuals)] {
            for v in list {
                values.push(vec![
                    i.id.0.into(),
                    kind.into(),
                    v.year.into(),
                    v.value.into(),
                ]);
            }
        }
    }
    insert_rows(
        tx,
        "indicators",
        &[
            "id",
            "county_id",
            "plan_id",
            "code",
            "name",
            "unit",
            "direction",
            "decimals",
            "theme",
            "source_department_id",
            "baseline_year",
            "baseline_value",
        ],
        &indicators,
    )
    .await?;
    insert_rows(
        tx,
        "indicator_values",
        &["indicator_id", "kind", "year", "value"],
        &values,
    )
    .await?;

    let areas: Vec<Vec<Val>> = ds
        .task_areas
        .iter()
        .map(|a| {
            vec![
                a.id.0.into(),
                a.plan_id.0.into(),
                a.ordinal.into(),
                (&a.title).into(),
                Val::Int(a.node.map(|n| n.0)),
            ]
        })
        .collect();
    insert_rows(
        tx,
        "task_areas",
        &["id", "plan_id", "ordinal", "title", "node_id"],
        &areas,
    )
    .await?;

    let mut categories = Vec::new();
    let mut category_areas = Vec::new();
    for cat in &ds.categories {
        categories.push(vec![
            cat.id.0.into(),
            c.id.0.into(),
            cat.ordinal.into(),
            (&cat.code).into(),
            (&cat.name).into(),
        ]);
        for (j, a) in cat.ndrc_areas.iter().enumerate() {
            category_areas.push(vec![cat.id.0.into(), (j as i64 + 1).into(), a.into()]);
        }
    }
    insert_rows(
        tx,
        "categories",
        &["id", "county_id", "ordinal", "code", "name"],
        &categories,
    )
    .await?;
    insert_rows(
        tx,
        "category_ndrc_areas",
        &["category_id", "ordinal", "area_code"],
        &category_areas,
    )
    .await?;

    write_projects(tx, ds).await?;
    write_tasks(tx, ds).await?;

    let mut safeguards = Vec::new();
    let mut safeguard_co = Vec::new();
    for s in &ds.safeguards {
        safeguards.push(vec![
            s.id.0.into(),
            s.plan_id.0.into(),
            s.ordinal.into(),
            (&s.title).into(),
            (&s.description).into(),
            Val::Int(s.node.map(|n| n.0)),
            Val::Int(s.lead.map(|d| d.0)),
        ]);
        for (j, d) in s.co.iter().enumerate() {
            safeguard_co.push(vec![s.id.0.into(), (j as i64 + 1).into(), d.0.into()]);
        }
    }
    insert_rows(
        tx,
        "safeguards",
        &[
            "id",
            "plan_id",
            "ordinal",
            "title",
            "description",
            "node_id",
            "lead_department_id",
        ],
        &safeguards,
    )
    .await?;
    insert_rows(
        tx,
        "safeguard_co_departments",
        &["safeguard_id", "ordinal", "department_id"],
        &safeguard_co,
    )
    .await?;

    let reports: Vec<Vec<Val>> = ds
        .project_reports
        .iter()
        .map(|r| {
            vec![
                r.id.0.into(),
                r.project_id.0.into(),
                r.period.as_key().into(),
                r.investment_month.yuan().into(),
                r.investment_cumulative.yuan().into(),
                r.progress.basis_points().into(),
                (&r.narrative).into(),
                (&r.problems).into(),
                (&r.next_steps).into(),
                r.status.code().into(),
                opt_date(r.submitted_on),
                opt_date(r.approved_on),
                Val::Int(r.submitted_by.map(|u| u.0)),
                Val::Int(r.approved_by.map(|u| u.0)),
                (&r.return_reason).into(),
            ]
        })
        .collect();
    insert_rows(
        tx,
        "project_reports",
        &[
            "id",
            "project_id",
            "period",
            "investment_month_yuan",
            "investment_cumulative_yuan",
            "progress_bp",
            "narrative",
            "problems",
            "next_steps",
            "status",
            "submitted_on",
            "approved_on",
            "submitted_by",
            "approved_by",
            "return_reason",
        ],
        &reports,
    )
    .await?;
    let task_reports: Vec<Vec<Val>> = ds
        .task_reports
        .iter()
        .map(|r| {
            vec![
                r.id.0.into(),
                r.task_id.0.into(),
                r.period.as_key().into(),
                Val::Int(r.progress.map(|p| p.basis_points())),
                (&r.narrative).into(),
                (&r.problems).into(),
                (&r.next_steps).into(),
                r.status.code().into(),
                opt_date(r.submitted_on),
                opt_date(r.approved_on),
                Val::Int(r.submitted_by.map(|u| u.0)),
                Val::Int(r.approved_by.map(|u| u.0)),
                (&r.return_reason).into(),
            ]
        })
        .collect();
    insert_rows(
        tx,
        "task_reports",
        &[
            "id",
            "task_id",
            "period",
            "progress_bp",
            "narrative",
            "problems",
            "next_steps",
            "status",
            "submitted_on",
            "approved_on",
            "submitted_by",
            "approved_by",
            "return_reason",
        ],
        &task_reports,
    )
    .await?;
    Ok(())
}

async fn write_projects(tx: &mut AnyConnection, ds: &CountyDataset) -> Result<()> {
    let mut projects = Vec::new();
    let mut annual = Vec::new();
    let mut funding = Vec::new();
    let mut permits = Vec::new();
    let mut risks = Vec::new();
    for p in &ds.projects {
        projects.push(vec![
            p.id.0.into(),
            p.county_id.0.into(),
            (&p.internal_code).into(),
            Val::Text(p.national_code.as_ref().map(|c| c.to_string())),
            (&p.name).into(),
            p.category.0.into(),
            Val::Int(p.township.map(|d| d.0)),
            p.location.map(|l| l.lon).into(),
            p.location.map(|l| l.lat).into(),
            (&p.address).into(),
            (&p.content).into(),
            p.nature.code().into(),
            p.lead.0.into(),
            (&p.owner).into(),
            Val::Int(p.competent.map(|d| d.0)),
            p.total_investment.yuan().into(),
            p.funding_nature.code().into(),
            p.stage.code().into(),
            opt_month(p.planned_start),
            opt_month(p.planned_finish),
            opt_month(p.actual_start),
            opt_month(p.actual_finish),
            (&p.competent_opinion).into(),
            Val::Int(p.feasibility_score.map(i64::from)),
            (&p.feasibility_note).into(),
        ]);
        for a in &p.annual_plan {
            annual.push(vec![p.id.0.into(), a.year.into(), a.amount.yuan().into()]);
        }
        for (i, l) in p.funding.iter().enumerate() {
            funding.push(vec![
                l.id.0.into(),
                p.id.0.into(),
                (i as i64 + 1).into(),
                l.channel.code().into(),
                (&l.programme).into(),
                l.planned.yuan().into(),
                l.approved.yuan().into(),
                l.arrived.yuan().into(),
                l.status.code().into(),
                (&l.doc_number).into(),
            ]);
        }
        for (i, x) in p.permits.iter().enumerate() {
            permits.push(vec![
                x.id.0.into(),
                p.id.0.into(),
                (i as i64 + 1).into(),
                x.kind.code().into(),
                x.status.code().into(),
                (&x.doc_number).into(),
                opt_date(x.issued_on),
                opt_date(x.valid_until),
                (&x.issuer).into(),
            ]);
        }
        for (i, r) in p.risks.iter().enumerate() {
            risks.push(vec![
                r.id.0.into(),
                p.id.0.into(),
                (i as i64 + 1).into(),
                r.category.code().into(),
                (&r.description).into(),
                i64::from(r.likelihood).into(),
                i64::from(r.impact).into(),
                Val::Int(r.owner.map(|d| d.0)),
                (&r.mitigation).into(),
                r.status.code().into(),
            ]);
        }
    }
    insert_rows(
        tx,
        "projects",
        &[
            "id",
            "county_id",
            "internal_code",
            "national_code",
            "name",
            "category_id",
            "township_id",
            "lon",
            "lat",
            "address",
            "content",
            "nature",
            "lead_department_id",
            "owner",
            "competent_department_id",
            "total_investment_yuan",
            "funding_nature",
            "stage",
            "planned_start",
            "planned_finish",
            "actual_start",
            "actual_finish",
            "competent_opinion",
            "feasibility_score",
            "feasibility_note",
        ],
        &projects,
    )
    .await?;
    insert_rows(
        tx,
        "project_annual_plans",
        &["project_id", "year", "amount_yuan"],
        &annual,
    )
    .await?;
    insert_rows(
        tx,
        "funding_lines",
        &[
            "id",
            "project_id",
            "ordinal",
            "channel",
            "programme",
            "planned_yuan",
            "approved_yuan",
            "arrived_yuan",
            "status",
            "doc_number",
        ],
        &funding,
    )
    .await?;
    insert_rows(
        tx,
        "permits",
        &[
            "id",
            "project_id",
            "ordinal",
            "kind",
            "status",
            "doc_number",
            "issued_on",
            "valid_until",
            "issuer",
        ],
        &permits,
    )
    .await?;
    insert_rows(
        tx,
        "risks",
        &[
            "id",
            "project_id",
            "ordinal",
            "category",
            "description",
            "likelihood",
            "impact",
            "owner_department_id",
            "mitigation",
            "status",
        ],
        &risks,
    )
    .await?;
    Ok(())
}

async fn write_tasks(tx: &mut AnyConnection, ds: &CountyDataset) -> Result<()> {
    let mut tasks = Vec::new();
    let mut co = Vec::new();
    let mut items = Vec::new();
    let mut indicators = Vec::new();
    let mut projects = Vec::new();
    let mut milestones = Vec::new();
    for t in &ds.tasks {
        tasks.push(vec![
            t.id.0.into(),
            t.area_id.0.into(),
            t.county_id.0.into(),
            t.ordinal.into(),
            (&t.title).into(),
            (&t.description).into(),
            t.lead.0.into(),
            t.status.code().into(),
            t.progress_mode.code().into(),
            Val::Int(t.entered_progress.map(|p| p.basis_points())),
            t.cadence.code().into(),
            Val::Int(t.node.map(|n| n.0)),
        ]);
        for (j, d) in t.co.iter().enumerate() {
            co.push(vec![t.id.0.into(), (j as i64 + 1).into(), d.0.into()]);
        }
        for n in &t.national_items {
            items.push(vec![t.id.0.into(), (*n).into()]);
        }
        for i in &t.indicators {
            indicators.push(vec![t.id.0.into(), i.0.into()]);
        }
        for p in &t.projects {
            projects.push(vec![t.id.0.into(), p.0.into()]);
        }
        for m in &t.milestones {
            milestones.push(vec![
                m.id.0.into(),
                t.id.0.into(),
                m.ordinal.into(),
                (&m.title).into(),
                m.due.to_string().into(),
                opt_date(m.done),
            ]);
        }
    }
    insert_rows(
        tx,
        "tasks",
        &[
            "id",
            "area_id",
            "county_id",
            "ordinal",
            "title",
            "description",
            "lead_department_id",
            "status",
            "progress_mode",
            "entered_progress_bp",
            "cadence",
            "node_id",
        ],
        &tasks,
    )
    .await?;
    insert_rows(
        tx,
        "task_co_departments",
        &["task_id", "ordinal", "department_id"],
        &co,
    )
    .await?;
    insert_rows(
        tx,
        "task_national_items",
        &["task_id", "national_item"],
        &items,
    )
    .await?;
    insert_rows(
        tx,
        "task_indicators",
        &["task_id", "indicator_id"],
        &indicators,
    )
    .await?;
    insert_rows(tx, "task_projects", &["task_id", "project_id"], &projects).await?;
    insert_rows(
        tx,
        "milestones",
        &["id", "task_id", "ordinal", "title", "due_on", "done_on"],
        &milestones,
    )
    .await?;
    Ok(())
}

/// Column types of the tables outside county datasets, for copying them verbatim.
#[derive(Debug, Clone, Copy)]
enum Col {
    Int,
    Text,
}

/// A table's name, its ordering column and its columns with their types.
type SideTable = (&'static str, &'static str, &'static [(&'static str, Col)]);

/// Tables copied row by row by [`Store::copy_side_tables`], parents first.
const SIDE_TABLES: &[SideTable] = &[
    (
        "users",
        "id",
        &[
            ("id", Col::Int),
            ("username", Col::Text),
            ("display_name", Col::Text),
            ("role", Col::Text),
            ("county_id", Col::Int),
            ("department_id", Col::Int),
            ("scope_code", Col::Text),
            ("password_hash", Col::Text),
            ("disabled", Col::Int),
            ("created_at", Col::Text),
        ],
    ),
    (
        "api_tokens",
        "id",
        &[
            ("id", Col::Int),
            ("user_id", Col::Int),
            ("name", Col::Text),
            ("token_hash", Col::Text),
            ("created_at", Col::Text),
            ("expires_at", Col::Text),
            ("revoked_at", Col::Text),
        ],
    ),
    (
        "audit_log",
        "seq",
        &[
            ("seq", Col::Int),
            ("at", Col::Text),
            ("actor_id", Col::Int),
            ("actor_name", Col::Text),
            ("action", Col::Text),
            ("object_kind", Col::Text),
            ("object_id", Col::Int),
            ("county_id", Col::Int),
            ("changes", Col::Text),
            ("prev_hash", Col::Text),
            ("hash", Col::Text),
        ],
    ),
    (
        "audit_head",
        "name",
        &[("name", Col::Text), ("seq", Col::Int), ("hash", Col::Text)],
    ),
    (
        "report_amendments",
        "id",
        &[
            ("id", Col::Int),
            ("report_id", Col::Int),
            ("report_kind", Col::Text),
            ("amended_by", Col::Int),
            ("at", Col::Text),
            ("reason", Col::Text),
            ("old_values", Col::Text),
            ("new_values", Col::Text),
        ],
    ),
    (
        "county_settings",
        "county_id",
        &[
            ("county_id", Col::Int),
            ("calendar", Col::Text),
            ("warnings", Col::Text),
        ],
    ),
];

impl Store {
    /// Copies accounts, tokens, the audit trail (with its head), amendments and settings
    /// into `target`, replacing what `target` has in those tables. Sessions are not copied:
    /// people log in again after a move. Run after the counties are copied.
    pub async fn copy_side_tables(&self, target: &Store) -> Result<()> {
        let mut tx = target.pool.begin().await?;
        for (table, _, _) in SIDE_TABLES.iter().rev() {
            sqlx::query(sqlx::AssertSqlSafe(format!("DELETE FROM {table}")))
                .execute(&mut *tx)
                .await?;
        }
        for (table, order, columns) in SIDE_TABLES {
            let names: Vec<&str> = columns.iter().map(|(n, _)| *n).collect();
            let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT {} FROM {table} ORDER BY {order}",
                names.join(", ")
            )))
            .fetch_all(&self.pool)
            .await?;
            let values: Vec<Vec<Val>> = rows
                .iter()
                .map(|r| {
                    columns
                        .iter()
                        .map(|(name, col)| match col {
                            Col::Int => Ok(Val::Int(r.try_get::<Option<i64>, _>(*name)?)),
                            Col::Text => Ok(Val::Text(r.try_get::<Option<String>, _>(*name)?)),
                        })
                        .collect::<Result<Vec<Val>, sqlx::Error>>()
                })
                .collect::<Result<_, _>>()?;
            insert_rows(&mut tx, table, &names, &values).await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
