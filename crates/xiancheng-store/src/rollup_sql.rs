//! Roll-ups computed in SQL: the same figures as
//! [`xiancheng_core::analysis::rollup::rollup`] for the dimensions that put each project in
//! exactly one group (category, stage, township, lead department, county), so a dashboard
//! over many counties can ask the database instead of loading every report.
//!
//! The query follows the core rules: only approved reports count; the cumulative figure is
//! the latest approved report at or before the period; this month's figure is the approved
//! report of the period; this year's is the cumulative minus the cumulative at the end of
//! the previous year, never below zero; planned value spreads each year's plan over its
//! twelve months, rounded to the yuan. One query text serves SQLite and PostgreSQL (`$n`
//! placeholders, integer arithmetic, sums cast to BIGINT); the indices (SPI, CPI …) and
//! the weighted progress are derived from the summed integers by the core's own code, so
//! the rows equal the core's to the yuan. The differential test (`tests/it/rollups.rs`)
//! checks that on generated counties, on both databases.

use crate::connect::Store;
use crate::error::{Result, StoreError};
use crate::sql::*;
use sqlx::AssertSqlSafe;
use xiancheng_core::analysis::earned_value::{self, EarnedValue};
use xiancheng_core::analysis::rollup::{Dimension, RollupRow};
use xiancheng_core::enums::Stage;
use xiancheng_core::ids::CountyId;
use xiancheng_core::{Money, Percent, YearMonth};

/// The dimensions the store rolls up in SQL.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SqlDimension {
    Category,
    Stage,
    Township,
    Department,
    County,
}

impl SqlDimension {
    pub const ALL: &'static [SqlDimension] = &[
        SqlDimension::Category,
        SqlDimension::Stage,
        SqlDimension::Township,
        SqlDimension::Department,
        SqlDimension::County,
    ];

    /// The core dimension this one computes.
    pub fn dimension(self) -> Dimension {
        match self {
            SqlDimension::Category => Dimension::Category,
            SqlDimension::Stage => Dimension::Stage,
            SqlDimension::Township => Dimension::Township,
            SqlDimension::Department => Dimension::Department,
            SqlDimension::County => Dimension::County,
        }
    }

    /// The SQL dimension for a core one, when there is one (area, task and channel share
    /// projects between groups and stay in the core).
    pub fn from_dimension(by: Dimension) -> Option<SqlDimension> {
        Self::ALL.iter().copied().find(|d| d.dimension() == by)
    }

    /// The group key and label columns, the join that provides them, the GROUP BY list.
    fn grouping(self) -> (&'static str, &'static str, &'static str) {
        match self {
            SqlDimension::Category => (
                "c.code AS key_text, c.name AS label",
                "JOIN categories c ON c.id = f.category_id",
                "c.code, c.name",
            ),
            SqlDimension::Stage => ("f.stage AS key_text", "", "f.stage"),
            SqlDimension::Township => (
                "f.township_id AS key_id, t.short_name AS label",
                "LEFT JOIN departments t ON t.id = f.township_id",
                "f.township_id, t.short_name",
            ),
            SqlDimension::Department => (
                "f.lead_department_id AS key_id, d.short_name AS label",
                "JOIN departments d ON d.id = f.lead_department_id",
                "f.lead_department_id, d.short_name",
            ),
            SqlDimension::County => (
                "k.division_code AS key_text, k.name AS label",
                "JOIN counties k ON k.id = f.county_id",
                "k.division_code, k.name",
            ),
        }
    }
}

/// Per-project figures as of `$2` for county `$1`; `$3` is December of the previous year,
/// `$4` the period's year and `$5` its month.
const FIGURES: &str = "\
WITH latest AS (
    SELECT r.project_id, MAX(r.period) AS period
    FROM project_reports r JOIN projects p ON p.id = r.project_id
    WHERE p.county_id = $1 AND r.status = 'approved' AND r.period <= $2
    GROUP BY r.project_id
), before_year AS (
    SELECT r.project_id, MAX(r.period) AS period
    FROM project_reports r JOIN projects p ON p.id = r.project_id
    WHERE p.county_id = $1 AND r.status = 'approved' AND r.period <= $3
    GROUP BY r.project_id
), plans AS (
    SELECT a.project_id,
        SUM(CASE WHEN a.year = $4 THEN a.amount_yuan ELSE 0 END) AS planned_this_year,
        SUM(CASE WHEN a.year < $4 THEN a.amount_yuan
                 WHEN a.year = $4 THEN (a.amount_yuan * $5 + 6) / 12
                 ELSE 0 END) AS pv
    FROM project_annual_plans a JOIN projects p ON p.id = a.project_id
    WHERE p.county_id = $1
    GROUP BY a.project_id
), f AS (
    SELECT p.id, p.county_id, p.internal_code, p.category_id, p.stage, p.township_id,
        p.lead_department_id, p.total_investment_yuan AS total,
        COALESCE(pl.planned_this_year, 0) AS planned,
        COALESCE(pl.pv, 0) AS pv,
        COALESCE(m.investment_month_yuan, 0) AS month_yuan,
        COALESCE(lr.investment_cumulative_yuan, 0) AS cumulative,
        COALESCE(br.investment_cumulative_yuan, 0) AS before_year,
        lr.progress_bp AS progress_bp
    FROM projects p
    LEFT JOIN plans pl ON pl.project_id = p.id
    LEFT JOIN latest l ON l.project_id = p.id
    LEFT JOIN project_reports lr ON lr.project_id = p.id AND lr.period = l.period
    LEFT JOIN before_year b ON b.project_id = p.id
    LEFT JOIN project_reports br ON br.project_id = p.id AND br.period = b.period
    LEFT JOIN project_reports m ON m.project_id = p.id AND m.period = $2 AND m.status = 'approved'
    WHERE p.county_id = $1
)";

/// The sums every group needs.
const SUMS: &str = "\
    MIN(f.internal_code) AS first_code,
    COUNT(*) AS projects,
    CAST(SUM(f.total) AS BIGINT) AS total_investment,
    CAST(SUM(f.planned) AS BIGINT) AS planned_this_year,
    CAST(SUM(f.month_yuan) AS BIGINT) AS completed_this_month,
    CAST(SUM(CASE WHEN f.cumulative > f.before_year THEN f.cumulative - f.before_year ELSE 0 END) AS BIGINT) AS completed_this_year,
    CAST(SUM(f.cumulative) AS BIGINT) AS completed_cumulative,
    CAST(SUM(CASE WHEN f.progress_bp IS NULL THEN 0 ELSE f.total * f.progress_bp END) AS BIGINT) AS weighted_progress,
    CAST(SUM(CASE WHEN f.progress_bp IS NULL THEN 0 ELSE f.total END) AS BIGINT) AS progress_weight,
    CAST(SUM(f.pv) AS BIGINT) AS pv,
    CAST(SUM(CASE WHEN f.progress_bp IS NULL THEN NULL ELSE (f.total * f.progress_bp + 5000) / 10000 END) AS BIGINT) AS ev";

impl Store {
    /// Rolls county `county` up by `by` as of `period`, in SQL: the rows
    /// [`xiancheng_core::analysis::rollup::rollup`] gives for the same county as stored
    /// (projects in internal-code order), equal field for field.
    pub async fn rollup_sql(
        &self,
        county: CountyId,
        period: YearMonth,
        by: SqlDimension,
    ) -> Result<Vec<RollupRow>> {
        let december = YearMonth::new(period.year() - 1, 12).unwrap_or(period);
        let (key, join, group) = by.grouping();
        let sql = format!("{FIGURES}\nSELECT {key},\n{SUMS}\nFROM f {join}\nGROUP BY {group}");
        let rows = bind_all(
            sqlx::query(AssertSqlSafe(sql)),
            &[
                county.0.into(),
                period.as_key().into(),
                december.as_key().into(),
                period.year().into(),
                i64::from(period.month()).into(),
            ],
        )
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let (key, label) = match by {
                SqlDimension::Category | SqlDimension::County => {
                    (text(r, "key_text")?, text(r, "label")?)
                }
                SqlDimension::Stage => {
                    let stage = parsed(r, "key_text", Stage::parse)?;
                    (stage.code().to_owned(), stage.label_zh().to_owned())
                }
                SqlDimension::Township => match opt_int(r, "key_id")? {
                    Some(id) => (id.to_string(), opt_text(r, "label")?.unwrap_or_default()),
                    None => ("none".to_owned(), "未定位".to_owned()),
                },
                SqlDimension::Department => (
                    int(r, "key_id")?.to_string(),
                    opt_text(r, "label")?.unwrap_or_default(),
                ),
            };
            out.push((text(r, "first_code")?, row(r, key, label, period)?));
        }
        // The core keeps groups in the order their first project appears; stages in stage order.
        out.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
        let mut rows: Vec<RollupRow> = out.into_iter().map(|(_, r)| r).collect();
        if by == SqlDimension::Stage {
            rows.sort_by_key(|r| Stage::parse("stage", &r.key).ok());
        }
        Ok(rows)
    }
}

/// One group from its sums, finished as the core finishes it.
fn row(r: &sqlx::any::AnyRow, key: String, label: String, period: YearMonth) -> Result<RollupRow> {
    let money = |column: &str| int(r, column).map(Money::from_yuan);
    let projects = int(r, "projects")?;
    let weighted = int(r, "weighted_progress")?;
    let weight = int(r, "progress_weight")?;
    let planned = money("planned_this_year")?;
    let year = money("completed_this_year")?;
    let cumulative = money("completed_cumulative")?;
    let sums = EarnedValue {
        period,
        bac: money("total_investment")?,
        pv: money("pv")?,
        ev: opt_int(r, "ev")?.map(Money::from_yuan),
        ac: cumulative,
        sv: None,
        cv: None,
        spi: None,
        cpi: None,
        eac: None,
        report_period: None,
    };
    Ok(RollupRow {
        key,
        label,
        projects: usize::try_from(projects)
            .map_err(|_| StoreError::Corrupt(format!("projects: {projects}")))?,
        total_investment: sums.bac,
        planned_this_year: planned,
        completed_this_month: money("completed_this_month")?,
        completed_this_year: year,
        completed_cumulative: cumulative,
        progress: (weight > 0)
            .then(|| Percent::from_basis_points(weighted / weight).unwrap_or(Percent::ZERO)),
        completion_rate: (planned.yuan() > 0).then(|| year.yuan() as f64 / planned.yuan() as f64),
        earned_value: earned_value::combine(period, [&sums]),
    })
}
