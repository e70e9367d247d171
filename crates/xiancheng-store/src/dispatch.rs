//! The monthly dispatch in the database: saving, submitting, returning, approving and
//! amending reports, each in one transaction that checks the domain's rules
//! (`xiancheng_core::dispatch`) against the current rows and appends to the audit trail.
//! Also the per-county settings (reporting calendar and warning thresholds).

use crate::audit::{Change, append};
use crate::connect::Store;
use crate::error::{Result, StoreError};
use crate::sql::{Val, bind_all, int, text};
use serde::Serialize;
use sqlx::AnyConnection;
use xiancheng_core::analysis::warnings::WarningConfig;
use xiancheng_core::audit::FieldChange;
use xiancheng_core::auth::Actor;
use xiancheng_core::calendar::ReportingCalendar;
use xiancheng_core::dispatch::{self, Action, DispatchError, ReportForm, ReportInput};
use xiancheng_core::enums::ReportStatus;
use xiancheng_core::ids::{CountyId, ProjectId, TaskId};
use xiancheng_core::model::{County, Plan, ProjectReport, TaskReport};
use xiancheng_core::{ValidationError, ValidationErrors};

/// What a report is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportKind {
    Project,
    Task,
}

/// A stored report of either kind.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Report {
    Project(ProjectReport),
    Task(TaskReport),
}

impl Report {
    pub fn id(&self) -> i64 {
        match self {
            Report::Project(r) => r.id.0,
            Report::Task(r) => r.id.0,
        }
    }

    pub fn status(&self) -> ReportStatus {
        match self {
            Report::Project(r) => r.status,
            Report::Task(r) => r.status,
        }
    }
}

impl From<DispatchError> for StoreError {
    fn from(e: DispatchError) -> Self {
        match e {
            DispatchError::Forbidden { .. } => StoreError::Forbidden(e.to_string()),
            DispatchError::WrongState { .. } => StoreError::Conflict(e.to_string()),
            DispatchError::Invalid(errors) => StoreError::Invalid(errors),
        }
    }
}

fn required_reason(reason: &str) -> Result<String> {
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > 1_000 {
        return Err(StoreError::Invalid(ValidationErrors(vec![
            ValidationError::new(
                "reason",
                reason,
                "1 到 1000 字的理由",
                "a reason of 1 to 1000 characters",
            ),
        ])));
    }
    Ok(reason.to_owned())
}

/// The fields of a report as text, for the audit trail and amendments.
fn fields(input: &ReportInput) -> Vec<(&'static str, String)> {
    vec![
        ("period", input.period.to_string()),
        ("investment_month", input.investment_month.format_wan()),
        (
            "investment_cumulative",
            input.investment_cumulative.format_wan(),
        ),
        (
            "progress",
            input.progress.map(|p| p.to_string()).unwrap_or_default(),
        ),
        ("narrative", input.narrative.clone()),
        ("problems", input.problems.clone()),
        ("next_steps", input.next_steps.clone()),
    ]
}

fn input_of(report: &Report) -> ReportInput {
    match report {
        Report::Project(r) => ReportInput {
            period: r.period,
            investment_month: r.investment_month,
            investment_cumulative: r.investment_cumulative,
            progress: Some(r.progress),
            narrative: r.narrative.clone(),
            problems: r.problems.clone(),
            next_steps: r.next_steps.clone(),
        },
        Report::Task(r) => ReportInput {
            period: r.period,
            investment_month: xiancheng_core::Money::ZERO,
            investment_cumulative: xiancheng_core::Money::ZERO,
            progress: r.progress,
            narrative: r.narrative.clone(),
            problems: r.problems.clone(),
            next_steps: r.next_steps.clone(),
        },
    }
}

fn diff(old: Option<&ReportInput>, new: &ReportInput) -> Vec<FieldChange> {
    let before: Vec<(&str, String)> = old.map(fields).unwrap_or_default();
    fields(new)
        .into_iter()
        .filter_map(|(name, value)| {
            let previous = before
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.clone());
            (previous.as_deref() != Some(value.as_str()))
                .then(|| FieldChange::new(name, previous, Some(value)))
        })
        .collect()
}

fn status_change(old: ReportStatus, new: ReportStatus) -> FieldChange {
    FieldChange::new(
        "status",
        Some(old.code().to_owned()),
        Some(new.code().to_owned()),
    )
}

/// The subject of a report, loaded for the rules.
struct Subject {
    county: CountyId,
    lead: xiancheng_core::ids::DepartmentId,
    co: Vec<xiancheng_core::ids::DepartmentId>,
}

impl Store {
    /// The county's reporting calendar and warning thresholds (defaults until configured).
    pub async fn county_settings(
        &self,
        county: CountyId,
    ) -> Result<(ReportingCalendar, WarningConfig)> {
        let rows = bind_all(
            sqlx::query("SELECT calendar, warnings FROM county_settings WHERE county_id = $1"),
            &[county.0.into()],
        )
        .fetch_all(&self.pool)
        .await?;
        match rows.first() {
            None => Ok((ReportingCalendar::default(), WarningConfig::default())),
            Some(r) => {
                let calendar = serde_json::from_str(&text(r, "calendar")?)
                    .map_err(|e| StoreError::Corrupt(format!("county_settings.calendar: {e}")))?;
                let warnings = serde_json::from_str(&text(r, "warnings")?)
                    .map_err(|e| StoreError::Corrupt(format!("county_settings.warnings: {e}")))?;
                Ok((calendar, warnings))
            }
        }
    }

    /// Replaces the county's settings: the plan office or an administrator; `None` is the
    /// server's own command line.
    pub async fn save_county_settings(
        &self,
        actor: Option<&Actor>,
        county: CountyId,
        calendar: &ReportingCalendar,
        warnings: &WarningConfig,
    ) -> Result<()> {
        if actor.is_some_and(|a| {
            !a.runs_dispatch(county) && a.role != xiancheng_core::auth::Role::Admin
        }) {
            return Err(StoreError::Forbidden(
                "只有本县发改局可以修改报送日历与预警阈值".into(),
            ));
        }
        let (old_calendar, old_warnings) = self.county_settings(county).await?;
        let mut tx = self.pool.begin().await?;
        bind_all(
            sqlx::query("DELETE FROM county_settings WHERE county_id = $1"),
            &[county.0.into()],
        )
        .execute(&mut *tx)
        .await?;
        bind_all(
            sqlx::query(
                "INSERT INTO county_settings (county_id, calendar, warnings) VALUES ($1, $2, $3)",
            ),
            &[
                county.0.into(),
                json(calendar).into(),
                json(warnings).into(),
            ],
        )
        .execute(&mut *tx)
        .await?;
        let changes = vec![
            FieldChange::new("calendar", Some(json(&old_calendar)), Some(json(calendar))),
            FieldChange::new("warnings", Some(json(&old_warnings)), Some(json(warnings))),
        ];
        append(
            &mut tx,
            self.now(),
            actor,
            Change {
                action: "settings.save",
                object_kind: "county",
                object_id: county.0,
                county_id: Some(county.0),
                changes,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// A report of the county by id, of either kind.
    pub async fn report(&self, county: CountyId, id: i64) -> Result<Option<Report>> {
        let project = bind_all(sqlx::query("SELECT r.project_id FROM project_reports r JOIN projects p ON p.id = r.project_id WHERE r.id = $1 AND p.county_id = $2"), &[id.into(), county.0.into()])
            .fetch_all(&self.pool)
            .await?;
        if let Some(row) = project.first() {
            let project_id = ProjectId(int(row, "project_id")?);
            return Ok(self
                .project_reports(county, Some(project_id))
                .await?
                .into_iter()
                .find(|r| r.id.0 == id)
                .map(Report::Project));
        }
        let task = bind_all(sqlx::query("SELECT r.task_id FROM task_reports r JOIN tasks t ON t.id = r.task_id WHERE r.id = $1 AND t.county_id = $2"), &[id.into(), county.0.into()])
            .fetch_all(&self.pool)
            .await?;
        if !task.is_empty() {
            return Ok(self
                .task_reports(county)
                .await?
                .into_iter()
                .find(|r| r.id.0 == id)
                .map(Report::Task));
        }
        Ok(None)
    }

    async fn subject_of(
        &self,
        county: &County,
        kind: ReportKind,
        subject_id: i64,
    ) -> Result<Subject> {
        match kind {
            ReportKind::Project => {
                let p = self
                    .project(county.id, ProjectId(subject_id))
                    .await?
                    .ok_or_else(|| {
                        StoreError::NotFound(format!("本县编号为 {subject_id} 的项目"))
                    })?;
                Ok(Subject {
                    county: county.id,
                    lead: p.lead,
                    co: Vec::new(),
                })
            }
            ReportKind::Task => {
                let t = self
                    .tasks(county.id)
                    .await?
                    .into_iter()
                    .find(|t| t.id.0 == subject_id)
                    .ok_or_else(|| {
                        StoreError::NotFound(format!("本县编号为 {subject_id} 的任务"))
                    })?;
                Ok(Subject {
                    county: county.id,
                    lead: t.lead,
                    co: t.co,
                })
            }
        }
    }

    async fn plan_of(&self, county: &County) -> Result<Plan> {
        self.current_plan(county.id)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("{}的工作方案", county.name)))
    }

    /// Checks a report's figures against the rules and the approved reports around it.
    async fn check_figures(
        &self,
        county: &County,
        kind: ReportKind,
        subject_id: i64,
        input: &ReportInput,
        exclude: Option<i64>,
    ) -> Result<()> {
        let plan = self.plan_of(county).await?;
        let (calendar, warnings) = self.county_settings(county.id).await?;
        let result = match kind {
            ReportKind::Project => {
                let project = self
                    .project(county.id, ProjectId(subject_id))
                    .await?
                    .ok_or_else(|| StoreError::NotFound(format!("项目 {subject_id}")))?;
                let reports = self.project_reports(county.id, Some(project.id)).await?;
                let others: Vec<&ProjectReport> =
                    reports.iter().filter(|r| Some(r.id.0) != exclude).collect();
                dispatch::check_project_report(
                    &project,
                    &plan,
                    &calendar,
                    &others,
                    input,
                    warnings.over_total_margin,
                )
            }
            ReportKind::Task => {
                let task = self
                    .tasks(county.id)
                    .await?
                    .into_iter()
                    .find(|t| t.id.0 == subject_id)
                    .ok_or_else(|| StoreError::NotFound(format!("任务 {subject_id}")))?;
                let reports = self.task_reports(county.id).await?;
                let others: Vec<&TaskReport> = reports
                    .iter()
                    .filter(|r| r.task_id == task.id && Some(r.id.0) != exclude)
                    .collect();
                dispatch::check_task_report(&task, &plan, &calendar, &others, input)
            }
        };
        result.map_err(StoreError::Invalid)
    }

    /// Creates a draft for the subject's period, or updates its draft or returned report.
    pub async fn save_report(
        &self,
        actor: &Actor,
        county: &County,
        kind: ReportKind,
        subject_id: i64,
        form: &ReportForm,
    ) -> Result<Report> {
        let input = form.parse(kind == ReportKind::Project)?;
        let subject = self.subject_of(county, kind, subject_id).await?;
        dispatch::authorize(
            actor,
            (subject.county, subject.lead, &subject.co),
            Action::SaveDraft,
            None,
        )?;
        let existing = self
            .find_report(county.id, kind, subject_id, input.period)
            .await?;
        let status =
            dispatch::transition(existing.as_ref().map(Report::status), Action::SaveDraft)?;
        self.check_figures(
            county,
            kind,
            subject_id,
            &input,
            existing.as_ref().map(Report::id),
        )
        .await?;
        let mut tx = self.pool.begin().await?;
        let id = match &existing {
            Some(r) => r.id(),
            None => Self::reserve_ids_in(&mut tx, 1).await?,
        };
        write_values(
            &mut tx,
            kind,
            id,
            subject_id,
            &input,
            status,
            existing.is_none(),
        )
        .await?;
        let mut changes = diff(existing.as_ref().map(input_of).as_ref(), &input);
        if existing.is_none() {
            changes.push(FieldChange::new(
                "status",
                None,
                Some(status.code().to_owned()),
            ));
        }
        append(
            &mut tx,
            self.now(),
            Some(actor),
            Change {
                action: "report.save",
                object_kind: kind_name(kind),
                object_id: id,
                county_id: Some(county.id.0),
                changes,
            },
        )
        .await?;
        tx.commit().await?;
        self.report(county.id, id)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("报告 {id}")))
    }

    async fn find_report(
        &self,
        county: CountyId,
        kind: ReportKind,
        subject_id: i64,
        period: xiancheng_core::YearMonth,
    ) -> Result<Option<Report>> {
        Ok(match kind {
            ReportKind::Project => self
                .project_reports(county, Some(ProjectId(subject_id)))
                .await?
                .into_iter()
                .find(|r| r.period == period)
                .map(Report::Project),
            ReportKind::Task => self
                .task_reports(county)
                .await?
                .into_iter()
                .find(|r| r.task_id == TaskId(subject_id) && r.period == period)
                .map(Report::Task),
        })
    }

    async fn load_for_action(
        &self,
        actor: &Actor,
        county: &County,
        id: i64,
        action: Action,
    ) -> Result<(Report, ReportKind, i64)> {
        let report = self
            .report(county.id, id)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("本县编号为 {id} 的报告")))?;
        let (kind, subject_id, submitted_by) = match &report {
            Report::Project(r) => (
                ReportKind::Project,
                r.project_id.0,
                r.submitted_by.map(|u| u.0),
            ),
            Report::Task(r) => (ReportKind::Task, r.task_id.0, r.submitted_by.map(|u| u.0)),
        };
        let subject = self.subject_of(county, kind, subject_id).await?;
        dispatch::authorize(
            actor,
            (subject.county, subject.lead, &subject.co),
            action,
            submitted_by,
        )?;
        Ok((report, kind, subject_id))
    }

    /// Moves a report from `expected` to `next`, guarded against concurrent changes.
    async fn set_status(
        tx: &mut AnyConnection,
        kind: ReportKind,
        id: i64,
        expected: ReportStatus,
        next: ReportStatus,
        extra: &str,
        extra_values: &[Val],
    ) -> Result<()> {
        let table = table_of(kind);
        let sql = format!("UPDATE {table} SET status = $1{extra} WHERE id = $2 AND status = $3");
        let mut values = vec![Val::from(next.code()), id.into(), expected.code().into()];
        values.extend_from_slice(extra_values);
        let done = bind_all(sqlx::query(sqlx::AssertSqlSafe(sql)), &values)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() != 1 {
            return Err(StoreError::Conflict(
                "报告已被他人同时修改，请刷新后重试".into(),
            ));
        }
        Ok(())
    }

    /// Submits a draft or returned report for approval.
    pub async fn submit_report(&self, actor: &Actor, county: &County, id: i64) -> Result<Report> {
        self.stamp(
            actor,
            county,
            id,
            Action::Submit,
            ", submitted_on = $4, submitted_by = $5",
            "report.submit",
        )
        .await
    }

    /// Moves a report on by `action` after checking its figures again, recording the day and
    /// the actor in the `stamp` columns (`$4` the date, `$5` the user), and audits it.
    async fn stamp(
        &self,
        actor: &Actor,
        county: &County,
        id: i64,
        action: Action,
        stamp: &str,
        audit_action: &'static str,
    ) -> Result<Report> {
        let (report, kind, subject_id) = self.load_for_action(actor, county, id, action).await?;
        let next = dispatch::transition(Some(report.status()), action)?;
        self.check_figures(county, kind, subject_id, &input_of(&report), Some(id))
            .await?;
        let now = self.now();
        let mut tx = self.pool.begin().await?;
        Self::set_status(
            &mut tx,
            kind,
            id,
            report.status(),
            next,
            stamp,
            &[now.date().to_string().into(), actor.user_id.into()],
        )
        .await?;
        let change = Change {
            action: audit_action,
            object_kind: kind_name(kind),
            object_id: id,
            county_id: Some(county.id.0),
            changes: vec![status_change(report.status(), next)],
        };
        append(&mut tx, now, Some(actor), change).await?;
        tx.commit().await?;
        self.report(county.id, id)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("报告 {id}")))
    }

    /// Returns a submitted report to its reporter with a reason.
    pub async fn return_report(
        &self,
        actor: &Actor,
        county: &County,
        id: i64,
        reason: &str,
    ) -> Result<Report> {
        let reason = required_reason(reason)?;
        let (report, kind, _) = self
            .load_for_action(actor, county, id, Action::Return)
            .await?;
        let next = dispatch::transition(Some(report.status()), Action::Return)?;
        let mut tx = self.pool.begin().await?;
        Self::set_status(
            &mut tx,
            kind,
            id,
            report.status(),
            next,
            ", return_reason = $4",
            &[reason.clone().into()],
        )
        .await?;
        let changes = vec![
            status_change(report.status(), next),
            FieldChange::new("return_reason", None, Some(reason)),
        ];
        append(
            &mut tx,
            self.now(),
            Some(actor),
            Change {
                action: "report.return",
                object_kind: kind_name(kind),
                object_id: id,
                county_id: Some(county.id.0),
                changes,
            },
        )
        .await?;
        tx.commit().await?;
        self.report(county.id, id)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("报告 {id}")))
    }

    /// Approves a submitted report; it is then locked.
    pub async fn approve_report(&self, actor: &Actor, county: &County, id: i64) -> Result<Report> {
        self.stamp(
            actor,
            county,
            id,
            Action::Approve,
            ", approved_on = $4, approved_by = $5",
            "report.approve",
        )
        .await
    }

    /// Changes an approved (locked) report: plan office only, with a reason; the old values
    /// are kept in `report_amendments` and in the audit trail.
    pub async fn amend_report(
        &self,
        actor: &Actor,
        county: &County,
        id: i64,
        form: &ReportForm,
        reason: &str,
    ) -> Result<Report> {
        let reason = required_reason(reason)?;
        let (report, kind, subject_id) = self
            .load_for_action(actor, county, id, Action::Amend)
            .await?;
        dispatch::transition(Some(report.status()), Action::Amend)?;
        let input = form.parse(kind == ReportKind::Project)?;
        let old = input_of(&report);
        if input.period != old.period {
            return Err(StoreError::Invalid(ValidationErrors(vec![
                ValidationError::new(
                    "period",
                    input.period,
                    format!("原报告的月份 {}（更正不能改变月份）", old.period),
                    "the report's own month",
                ),
            ])));
        }
        self.check_figures(county, kind, subject_id, &input, Some(id))
            .await?;
        let now = self.now();
        let to_json = |i: &ReportInput| {
            serde_json::to_string(
                &fields(i)
                    .into_iter()
                    .collect::<std::collections::BTreeMap<_, _>>(),
            )
            .unwrap_or_default()
        };
        let mut tx = self.pool.begin().await?;
        let amendment_id = Self::reserve_ids_in(&mut tx, 1).await?;
        bind_all(
            sqlx::query("INSERT INTO report_amendments (id, report_id, report_kind, amended_by, at, reason, old_values, new_values) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"),
            &[amendment_id.into(), id.into(), kind_name(kind).into(), actor.user_id.into(), now.to_string().into(), reason.clone().into(), to_json(&old).into(), to_json(&input).into()],
        )
        .execute(&mut *tx)
        .await?;
        write_values(
            &mut tx,
            kind,
            id,
            subject_id,
            &input,
            ReportStatus::Approved,
            false,
        )
        .await?;
        let mut changes = diff(Some(&old), &input);
        changes.push(FieldChange::new("amendment_reason", None, Some(reason)));
        append(
            &mut tx,
            now,
            Some(actor),
            Change {
                action: "report.amend",
                object_kind: kind_name(kind),
                object_id: id,
                county_id: Some(county.id.0),
                changes,
            },
        )
        .await?;
        tx.commit().await?;
        self.report(county.id, id)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("报告 {id}")))
    }

    /// Amendments of one report, oldest first: (when, who, reason, old values, new values).
    pub async fn report_amendments(&self, id: i64) -> Result<Vec<Amendment>> {
        bind_all(
            sqlx::query("SELECT * FROM report_amendments WHERE report_id = $1 ORDER BY id"),
            &[id.into()],
        )
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| {
            Ok(Amendment {
                at: text(r, "at")?,
                amended_by: int(r, "amended_by")?,
                reason: text(r, "reason")?,
                old_values: serde_json::from_str(&text(r, "old_values")?).unwrap_or_default(),
                new_values: serde_json::from_str(&text(r, "new_values")?).unwrap_or_default(),
            })
        })
        .collect()
    }
}

/// One amendment of an approved report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Amendment {
    pub at: String,
    pub amended_by: i64,
    pub reason: String,
    pub old_values: std::collections::BTreeMap<String, String>,
    pub new_values: std::collections::BTreeMap<String, String>,
}

fn kind_name(kind: ReportKind) -> &'static str {
    match kind {
        ReportKind::Project => "project_report",
        ReportKind::Task => "task_report",
    }
}

fn table_of(kind: ReportKind) -> &'static str {
    match kind {
        ReportKind::Project => "project_reports",
        ReportKind::Task => "task_reports",
    }
}

/// Inserts a new report row or updates the values of an existing one.
async fn write_values(
    tx: &mut AnyConnection,
    kind: ReportKind,
    id: i64,
    subject_id: i64,
    input: &ReportInput,
    status: ReportStatus,
    new: bool,
) -> Result<()> {
    let progress = Val::Int(input.progress.map(|p| p.basis_points()));
    match (kind, new) {
        (ReportKind::Project, true) => {
            bind_all(
                sqlx::query(
                    "INSERT INTO project_reports (id, project_id, period, investment_month_yuan, investment_cumulative_yuan, progress_bp, narrative, problems, next_steps, status, return_reason) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, '')",
                ),
                &[
                    id.into(),
                    subject_id.into(),
                    input.period.as_key().into(),
                    input.investment_month.yuan().into(),
                    input.investment_cumulative.yuan().into(),
                    Val::Int(Some(input.progress.map(|p| p.basis_points()).unwrap_or(0))),
                    (&input.narrative).into(),
                    (&input.problems).into(),
                    (&input.next_steps).into(),
                    status.code().into(),
                ],
            )
            .execute(&mut *tx)
            .await?;
        }
        (ReportKind::Task, true) => {
            bind_all(
                sqlx::query(
                    "INSERT INTO task_reports (id, task_id, period, progress_bp, narrative, problems, next_steps, status, return_reason) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, '')",
                ),
                &[id.into(), subject_id.into(), input.period.as_key().into(), progress, (&input.narrative).into(), (&input.problems).into(), (&input.next_steps).into(), status.code().into()],
            )
            .execute(&mut *tx)
            .await?;
        }
        (ReportKind::Project, false) => {
            bind_all(
                sqlx::query(
                    "UPDATE project_reports SET investment_month_yuan = $2, investment_cumulative_yuan = $3, progress_bp = $4, narrative = $5, problems = $6, next_steps = $7 WHERE id = $1",
                ),
                &[
                    id.into(),
                    input.investment_month.yuan().into(),
                    input.investment_cumulative.yuan().into(),
                    Val::Int(Some(input.progress.map(|p| p.basis_points()).unwrap_or(0))),
                    (&input.narrative).into(),
                    (&input.problems).into(),
                    (&input.next_steps).into(),
                ],
            )
            .execute(&mut *tx)
            .await?;
        }
        (ReportKind::Task, false) => {
            bind_all(
                sqlx::query("UPDATE task_reports SET progress_bp = $2, narrative = $3, problems = $4, next_steps = $5 WHERE id = $1"),
                &[id.into(), progress, (&input.narrative).into(), (&input.problems).into(), (&input.next_steps).into()],
            )
            .execute(&mut *tx)
            .await?;
        }
    }
    Ok(())
}

fn json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}
