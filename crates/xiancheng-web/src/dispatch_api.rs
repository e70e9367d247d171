//! The JSON API of the dispatch: logging in and out, API tokens, reports through their life
//! cycle, who has not reported, roll-ups, earned value, warnings, indicator progress, and
//! each object's history. Every route here needs a token or a session; a department
//! reporter sees only what its department answers for.

use crate::AppState;
use crate::auth::{ApiActor, random_salt, random_secret, session_cookie, sha256_hex};
use crate::error::{AppError, Flavor};
use crate::views::load_county;
use axum::Json;
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use xiancheng_core::analysis::earned_value::{self, EarnedValue};
use xiancheng_core::analysis::indicators::{self, IndicatorProgress};
use xiancheng_core::analysis::rollup::{Dimension, rollup, task_progress};
use xiancheng_core::analysis::warnings::{Level, evaluate_with_calendar};
use xiancheng_core::auth::{Actor, Role};
use xiancheng_core::calendar::expected_reports;
use xiancheng_core::dataset::CountyDataset;
use xiancheng_core::dispatch::ReportForm;
use xiancheng_core::model::County;
use xiancheng_core::{Timestamp, YearMonth};
use xiancheng_store::dispatch::ReportKind;

fn json<T: Serialize>(result: Result<T, AppError>) -> Response {
    match result {
        Ok(value) => Json(value).into_response(),
        Err(e) => e.into_flavored_response(Flavor::Json),
    }
}

fn body<T>(payload: Result<Json<T>, JsonRejection>) -> Result<T, AppError> {
    payload.map(|Json(v)| v).map_err(|e| {
        AppError::BadRequest(format!(
            "请求体不是所需格式的 JSON (malformed JSON body): {}",
            e.body_text()
        ))
    })
}

fn query<T>(q: Result<Query<T>, QueryRejection>) -> Result<T, AppError> {
    q.map(|Query(v)| v).map_err(|e| {
        AppError::BadRequest(format!("查询参数格式错误 (malformed query string): {e}"))
    })
}

fn period_of(input: Option<&str>) -> Result<YearMonth, AppError> {
    let input = input.ok_or_else(|| {
        AppError::BadRequest("缺少 period 参数，格式 YYYY-MM (period is required)".into())
    })?;
    YearMonth::parse("period", input).map_err(|e| AppError::BadRequest(e.to_string()))
}

/// The county, if the actor may read it.
pub(crate) async fn readable_county(
    state: &AppState,
    actor: &Actor,
    code: &str,
) -> Result<County, AppError> {
    let county = load_county(&state.store, code).await?;
    if actor.can_read_county(county.id, county.division_code) {
        Ok(county)
    } else {
        Err(AppError::Forbidden(format!(
            "账号 {} 无权查看{}的内部数据",
            actor.username, county.name
        )))
    }
}

/// The county's records as the actor may see them: a reporter keeps only the projects and
/// tasks its department answers for, with their reports.
pub(crate) fn scoped(
    shared: std::sync::Arc<CountyDataset>,
    actor: &Actor,
) -> std::sync::Arc<CountyDataset> {
    if actor.role != Role::Reporter {
        return shared;
    }
    std::sync::Arc::new(scoped_copy((*shared).clone(), actor))
}

fn scoped_copy(mut ds: CountyDataset, actor: &Actor) -> CountyDataset {
    let Some(department) = actor.department else {
        ds.projects.clear();
        ds.tasks.clear();
        ds.project_reports.clear();
        ds.task_reports.clear();
        return ds;
    };
    ds.projects.retain(|p| p.lead == department);
    ds.tasks
        .retain(|t| t.lead == department || t.co.contains(&department));
    let projects: std::collections::HashSet<_> = ds.projects.iter().map(|p| p.id).collect();
    let tasks: std::collections::HashSet<_> = ds.tasks.iter().map(|t| t.id).collect();
    ds.indicators
        .retain(|i| i.source_department == Some(department));
    ds.project_reports
        .retain(|r| projects.contains(&r.project_id));
    ds.task_reports.retain(|r| tasks.contains(&r.task_id));
    for t in &mut ds.tasks {
        t.projects.retain(|p| projects.contains(p));
    }
    ds
}

async fn dataset_for(
    state: &AppState,
    actor: &Actor,
    county: &County,
) -> Result<std::sync::Arc<CountyDataset>, AppError> {
    Ok(scoped(
        state.store.county_dataset_cached(county.id).await?,
        actor,
    ))
}

// ------------------------------------------------------------------ session and tokens

#[derive(Debug, Deserialize)]
pub struct LoginBody {
    username: String,
    password: String,
}

#[derive(Debug, Serialize)]
struct SessionView {
    username: String,
    display_name: String,
    role: Role,
    role_label: &'static str,
    county: Option<i64>,
    department: Option<i64>,
    csrf_token: String,
    expires_at: Timestamp,
}

/// `POST /api/v1/session`: logs in; sets the session cookie and returns the CSRF token.
pub async fn login(
    State(state): State<AppState>,
    payload: Result<Json<LoginBody>, JsonRejection>,
) -> Response {
    let result = async {
        let body = body(payload)?;
        let username = body.username.trim().to_owned();
        let delay = state.throttle.delay(&username, &state.auth);
        if !delay.is_zero() {
            tokio::time::sleep(delay).await;
        }
        let found = state.store.user_for_login(&username).await?;
        let password = body.password;
        let ok = match &found {
            Some((user, hash)) if !user.disabled => {
                let hash = hash.clone();
                tokio::task::spawn_blocking(move || {
                    xiancheng_core::auth::verify_password(&password, &hash)
                })
                .await
                .unwrap_or(false)
            }
            _ => false,
        };
        let Some((user, _)) = found.filter(|_| ok) else {
            state.throttle.fail(&username);
            return Err(AppError::Unauthorized(
                "用户名或口令错误 (wrong user name or password)".into(),
            ));
        };
        state.throttle.succeed(&username);
        let session = random_secret()?;
        let csrf = random_secret()?;
        let expires_at = state
            .store
            .create_session(
                &user,
                &sha256_hex(&session),
                &csrf,
                state.auth.session_seconds,
            )
            .await?;
        let view = SessionView {
            username: user.username.clone(),
            display_name: user.display_name.clone(),
            role: user.role,
            role_label: user.role.label_zh(),
            county: user.county.map(|c| c.0),
            department: user.department.map(|d| d.0),
            csrf_token: csrf,
            expires_at,
        };
        Ok((
            [(
                header::SET_COOKIE,
                session_cookie(Some(&session), &state.auth),
            )],
            Json(view),
        )
            .into_response())
    }
    .await;
    result.unwrap_or_else(|e: AppError| e.into_flavored_response(Flavor::Json))
}

/// `DELETE /api/v1/session`: logs out.
pub async fn logout(
    State(state): State<AppState>,
    ApiActor(_): ApiActor,
    headers: HeaderMap,
) -> Response {
    let session = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|p| {
            p.trim()
                .strip_prefix(&format!("{}=", crate::auth::SESSION_COOKIE))
                .map(str::to_owned)
        });
    if let Some(s) = session
        && let Err(e) = state.store.delete_session(&sha256_hex(&s)).await
    {
        return AppError::from(e).into_flavored_response(Flavor::Json);
    }
    (
        StatusCode::NO_CONTENT,
        [(header::SET_COOKIE, session_cookie(None, &state.auth))],
    )
        .into_response()
}

#[derive(Debug, Deserialize)]
pub struct TokenBody {
    name: String,
    #[serde(default)]
    expires_in_days: Option<i64>,
}

#[derive(Debug, Serialize)]
struct NewToken {
    id: i64,
    name: String,
    /// Shown once: only its hash is stored.
    token: String,
    expires_at: Option<Timestamp>,
}

/// `POST /api/v1/tokens`: a new API token for the calling account.
pub async fn create_token(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    payload: Result<Json<TokenBody>, JsonRejection>,
) -> Response {
    json(
        async {
            let body = body(payload)?;
            let name = body.name.trim();
            if name.is_empty() || name.chars().count() > 100 {
                return Err(AppError::Unprocessable(xiancheng_core::ValidationErrors(
                    vec![xiancheng_core::ValidationError::new(
                        "name",
                        name,
                        "1 到 100 字的令牌名称",
                        "a name of 1 to 100 characters",
                    )],
                )));
            }
            let days = body.expires_in_days.unwrap_or(90);
            if !(1..=366).contains(&days) {
                return Err(AppError::Unprocessable(xiancheng_core::ValidationErrors(
                    vec![xiancheng_core::ValidationError::new(
                        "expires_in_days",
                        days,
                        "1 到 366 天",
                        "1 to 366 days",
                    )],
                )));
            }
            let token = format!("xc_{}", random_secret()?);
            let expires_at = state.store.now().plus_seconds(days * 86_400);
            let info = state
                .store
                .create_token(&actor, name, &sha256_hex(&token), Some(expires_at))
                .await?;
            Ok(NewToken {
                id: info.id,
                name: info.name,
                token,
                expires_at: info.expires_at,
            })
        }
        .await,
    )
}

/// `GET /api/v1/tokens`: the calling account's tokens (without secrets).
pub async fn list_tokens(State(state): State<AppState>, ApiActor(actor): ApiActor) -> Response {
    json(
        async {
            Ok(state
                .store
                .tokens(xiancheng_core::ids::UserId(actor.user_id))
                .await?)
        }
        .await,
    )
}

/// `DELETE /api/v1/tokens/{id}`: revokes one of the calling account's tokens.
pub async fn revoke_token(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(id): Path<String>,
) -> Response {
    let result = async {
        let id: i64 = id
            .parse()
            .map_err(|_| AppError::BadRequest(format!("令牌编号“{id}”应为整数")))?;
        state.store.revoke_token(&actor, id).await?;
        Ok::<(), AppError>(())
    }
    .await;
    match result {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => e.into_flavored_response(Flavor::Json),
    }
}

/// `POST /api/v1/password`: changes the calling account's password.
#[derive(Debug, Deserialize)]
pub struct PasswordBody {
    current: String,
    new: String,
}

pub async fn change_password(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    payload: Result<Json<PasswordBody>, JsonRejection>,
) -> Response {
    let result = async {
        let body = body(payload)?;
        let (_, hash) = state
            .store
            .user_for_login(&actor.username)
            .await?
            .ok_or_else(|| AppError::Unauthorized("账号不存在".into()))?;
        let current = body.current;
        let ok = tokio::task::spawn_blocking(move || {
            xiancheng_core::auth::verify_password(&current, &hash)
        })
        .await
        .unwrap_or(false);
        if !ok {
            return Err(AppError::Forbidden("当前口令不正确".into()));
        }
        xiancheng_core::auth::check_password_strength("new", &body.new)
            .map_err(|e| AppError::Unprocessable(xiancheng_core::ValidationErrors(vec![e])))?;
        let salt = random_salt()?;
        let new = body.new;
        let hash =
            tokio::task::spawn_blocking(move || xiancheng_core::auth::hash_password(&new, &salt))
                .await
                .map_err(|e| AppError::Internal(e.to_string()))?
                .map_err(AppError::Internal)?;
        state
            .store
            .set_password(
                xiancheng_core::ids::UserId(actor.user_id),
                &hash,
                Some(&actor),
            )
            .await?;
        Ok::<(), AppError>(())
    }
    .await;
    match result {
        Ok(()) => StatusCode::NO_CONTENT.into_response(),
        Err(e) => e.into_flavored_response(Flavor::Json),
    }
}

// ------------------------------------------------------------------ reports

#[derive(Debug, Deserialize)]
pub struct ReportBody {
    kind: ReportKind,
    subject_id: i64,
    #[serde(flatten)]
    form: ReportForm,
}

#[derive(Debug, Deserialize, Default)]
pub struct ReasonBody {
    #[serde(default)]
    reason: String,
}

#[derive(Debug, Deserialize)]
pub struct AmendBody {
    #[serde(flatten)]
    form: ReportForm,
    #[serde(default)]
    reason: String,
}

fn report_id(id: &str) -> Result<i64, AppError> {
    id.parse().map_err(|_| {
        AppError::BadRequest(format!(
            "报告编号“{id}”应为整数 (report id must be an integer)"
        ))
    })
}

/// `POST /api/v1/counties/{code}/reports`: creates or updates a draft.
pub async fn save_report(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(code): Path<String>,
    payload: Result<Json<ReportBody>, JsonRejection>,
) -> Response {
    json(
        async {
            let body = body(payload)?;
            let county = load_county(&state.store, &code).await?;
            Ok(state
                .store
                .save_report(&actor, &county, body.kind, body.subject_id, &body.form)
                .await?)
        }
        .await,
    )
}

/// `GET /api/v1/counties/{code}/reports/{id}`: a report with its amendments and history.
pub async fn get_report(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path((code, id)): Path<(String, String)>,
) -> Response {
    json(
        async {
            let id = report_id(&id)?;
            let county = readable_county(&state, &actor, &code).await?;
            let report = state
                .store
                .report(county.id, id)
                .await?
                .ok_or_else(|| AppError::not_found(format!("本县编号为 {id} 的报告")))?;
            if actor.role == Role::Reporter {
                let ds = dataset_for(&state, &actor, &county).await?;
                let visible = ds.project_reports.iter().any(|r| r.id.0 == id)
                    || ds.task_reports.iter().any(|r| r.id.0 == id);
                if !visible {
                    return Err(AppError::Forbidden(
                        "只能查看本单位负责的项目和任务的报告".into(),
                    ));
                }
            }
            let kind = match report {
                xiancheng_store::dispatch::Report::Project(_) => "project_report",
                xiancheng_store::dispatch::Report::Task(_) => "task_report",
            };
            Ok(serde_json::json!({
                "report": report,
                "amendments": state.store.report_amendments(id).await?,
                "history": state.store.audit_entries(Some((kind, id))).await?,
            }))
        }
        .await,
    )
}

pub async fn submit_report(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path((code, id)): Path<(String, String)>,
) -> Response {
    json(
        async {
            let id = report_id(&id)?;
            let county = load_county(&state.store, &code).await?;
            Ok(state.store.submit_report(&actor, &county, id).await?)
        }
        .await,
    )
}

pub async fn return_report(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path((code, id)): Path<(String, String)>,
    payload: Result<Json<ReasonBody>, JsonRejection>,
) -> Response {
    json(
        async {
            let id = report_id(&id)?;
            let body = body(payload)?;
            let county = load_county(&state.store, &code).await?;
            Ok(state
                .store
                .return_report(&actor, &county, id, &body.reason)
                .await?)
        }
        .await,
    )
}

pub async fn approve_report(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path((code, id)): Path<(String, String)>,
) -> Response {
    json(
        async {
            let id = report_id(&id)?;
            let county = load_county(&state.store, &code).await?;
            Ok(state.store.approve_report(&actor, &county, id).await?)
        }
        .await,
    )
}

pub async fn amend_report(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path((code, id)): Path<(String, String)>,
    payload: Result<Json<AmendBody>, JsonRejection>,
) -> Response {
    json(
        async {
            let id = report_id(&id)?;
            let body = body(payload)?;
            let county = load_county(&state.store, &code).await?;
            Ok(state
                .store
                .amend_report(&actor, &county, id, &body.form, &body.reason)
                .await?)
        }
        .await,
    )
}

// ------------------------------------------------------------------ analysis

#[derive(Debug, Deserialize, Default)]
pub struct AnalysisQuery {
    period: Option<String>,
    by: Option<String>,
    project: Option<String>,
}

#[derive(Debug, Serialize)]
struct Missing {
    kind: xiancheng_core::calendar::SubjectKind,
    subject_id: i64,
    subject_name: String,
    state: xiancheng_core::calendar::ReportState,
    state_label: &'static str,
    report_id: Option<i64>,
    submitted_on: Option<String>,
    days_late: i64,
}

#[derive(Debug, Serialize)]
struct Group {
    id: Option<i64>,
    name: String,
    missing: usize,
    reports: Vec<Missing>,
}

/// `GET .../reports/status?period=`: every expected report missing, late or returned, by
/// department and by township.
pub async fn report_status(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(code): Path<String>,
    q: Result<Query<AnalysisQuery>, QueryRejection>,
) -> Response {
    json(
        async {
            let q = query(q)?;
            let period = period_of(q.period.as_deref())?;
            let county = readable_county(&state, &actor, &code).await?;
            let (calendar, _) = state.store.county_settings(county.id).await?;
            let ds = dataset_for(&state, &actor, &county).await?;
            let as_of = state.store.now().date();
            let expected = expected_reports(&ds, period, &calendar, as_of);
            let name = |id: i64| {
                ds.departments
                    .iter()
                    .find(|d| d.id.0 == id)
                    .map(|d| d.short_name.clone())
                    .unwrap_or_else(|| "未定位".into())
            };
            let mut by_department: BTreeMap<i64, Vec<Missing>> = BTreeMap::new();
            let mut by_township: BTreeMap<i64, Vec<Missing>> = BTreeMap::new();
            let mut attention = 0;
            for e in expected.iter().filter(|e| e.needs_attention()) {
                attention += 1;
                let row = || Missing {
                    kind: e.kind,
                    subject_id: e.subject_id,
                    subject_name: e.subject_name.clone(),
                    state: e.state,
                    state_label: e.state.label_zh(),
                    report_id: e.report_id,
                    submitted_on: e.submitted_on.map(|d| d.to_string()),
                    days_late: e.days_late,
                };
                by_department.entry(e.department.0).or_default().push(row());
                by_township
                    .entry(e.township.map(|t| t.0).unwrap_or(0))
                    .or_default()
                    .push(row());
            }
            let groups = |m: BTreeMap<i64, Vec<Missing>>| -> Vec<Group> {
                m.into_iter()
                    .map(|(id, reports)| Group {
                        id: (id != 0).then_some(id),
                        name: if id == 0 {
                            "未定位（任务）".into()
                        } else {
                            name(id)
                        },
                        missing: reports.len(),
                        reports,
                    })
                    .collect()
            };
            Ok(serde_json::json!({
                "county": county.division_code.to_string(),
                "period": period,
                "due": calendar.due_date(period),
                "as_of": as_of,
                "expected": expected.len(),
                "needing_attention": attention,
                "by_department": groups(by_department),
                "by_township": groups(by_township),
                "illustrative": county.illustrative,
            }))
        }
        .await,
    )
}

/// `GET .../rollups?by=&period=`.
pub async fn rollups(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(code): Path<String>,
    q: Result<Query<AnalysisQuery>, QueryRejection>,
) -> Response {
    json(async {
        let q = query(q)?;
        let period = period_of(q.period.as_deref())?;
        let by = Dimension::parse("by", q.by.as_deref().unwrap_or("")).map_err(|e| AppError::BadRequest(e.to_string()))?;
        let county = readable_county(&state, &actor, &code).await?;
        let ds = dataset_for(&state, &actor, &county).await?;
        let tasks = if by == Dimension::Task { Some(task_progress(&ds, period)) } else { None };
        Ok(serde_json::json!({ "period": period, "by": by, "rows": rollup(&ds, period, by), "task_progress": tasks, "illustrative": county.illustrative }))
    }
    .await)
}

#[derive(Debug, Serialize)]
struct ProjectEv {
    project_id: i64,
    name: String,
    earned_value: EarnedValue,
}

/// `GET .../earned-value?period=[&project=]`.
pub async fn earned_value_route(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(code): Path<String>,
    q: Result<Query<AnalysisQuery>, QueryRejection>,
) -> Response {
    json(async {
        let q = query(q)?;
        let period = period_of(q.period.as_deref())?;
        let county = readable_county(&state, &actor, &code).await?;
        let ds = dataset_for(&state, &actor, &county).await?;
        let only = match q.project.as_deref() {
            Some(p) => Some(p.parse::<i64>().map_err(|_| AppError::BadRequest(format!("project: “{p}” 应为项目编号（整数）")))?),
            None => None,
        };
        if let Some(id) = only
            && !ds.projects.iter().any(|p| p.id.0 == id) {
                return Err(AppError::not_found(format!("编号为 {id} 的项目（或无权查看）")));
            }
        let projects: Vec<ProjectEv> = ds
            .projects
            .iter()
            .filter(|p| only.is_none_or(|id| p.id.0 == id))
            .map(|p| {
                let reports: Vec<_> = ds.project_reports.iter().filter(|r| r.project_id == p.id).collect();
                ProjectEv { project_id: p.id.0, name: p.name.clone(), earned_value: earned_value::project(p, &reports, period) }
            })
            .collect();
        let total = earned_value::combine(period, projects.iter().map(|p| &p.earned_value));
        Ok(serde_json::json!({ "period": period, "total": total, "projects": projects, "illustrative": county.illustrative }))
    }
    .await)
}

/// `GET .../warnings?period=`.
pub async fn warnings_route(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(code): Path<String>,
    q: Result<Query<AnalysisQuery>, QueryRejection>,
) -> Response {
    json(async {
        let q = query(q)?;
        let period = period_of(q.period.as_deref())?;
        let county = readable_county(&state, &actor, &code).await?;
        let (calendar, config) = state.store.county_settings(county.id).await?;
        let ds = dataset_for(&state, &actor, &county).await?;
        let names: std::collections::HashMap<_, _> = ds.departments.iter().map(|d| (d.id, d.short_name.clone())).collect();
        let list: Vec<serde_json::Value> = evaluate_with_calendar(&ds, period, &config, &calendar)
            .into_iter()
            .map(|w| {
                serde_json::json!({
                    "level": w.level,
                    "level_label": w.level.label_zh(),
                    "rule": w.rule,
                    "rule_label": w.rule.label_zh(),
                    "subject": w.subject,
                    "department": w.department.map(|d| serde_json::json!({ "id": d, "name": names.get(&d) })),
                    "reason": w.reason,
                })
            })
            .collect();
        let red = list.iter().filter(|w| w["level"] == serde_json::json!(Level::Red)).count();
        Ok(serde_json::json!({ "period": period, "red": red, "yellow": list.len() - red, "warnings": list, "illustrative": county.illustrative }))
    }
    .await)
}

#[derive(Debug, Serialize)]
struct IndicatorRow {
    id: i64,
    code: String,
    name: String,
    unit: String,
    progress: IndicatorProgress,
    category_label: &'static str,
}

/// `GET .../indicators?period=`: every indicator with its progress category.
pub async fn indicators_route(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path(code): Path<String>,
    q: Result<Query<AnalysisQuery>, QueryRejection>,
) -> Response {
    json(async {
        let q = query(q)?;
        let period = period_of(q.period.as_deref())?;
        let county = readable_county(&state, &actor, &code).await?;
        let (_, config) = state.store.county_settings(county.id).await?;
        let rows: Vec<IndicatorRow> = state
            .store
            .indicators(county.id)
            .await?
            .iter()
            .map(|i| {
                let progress = indicators::progress(i, period.year(), &config.indicator_progress);
                IndicatorRow { id: i.id.0, code: i.code.clone(), name: i.name.clone(), unit: i.unit.clone(), category_label: progress.category.label_zh(), progress }
            })
            .collect();
        Ok(serde_json::json!({ "period": period, "indicators": rows, "illustrative": county.illustrative }))
    }
    .await)
}

/// `GET .../history/{kind}/{id}`: the audit trail of one object of the county.
pub async fn history(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path((code, kind, id)): Path<(String, String, String)>,
) -> Response {
    json(history_entries(&state, &actor, &code, &kind, &id).await)
}

/// The audit trail of one object of the county, if the actor may see it: a reporter only
/// for the projects and tasks its department answers for, and their reports.
pub(crate) async fn history_entries(
    state: &AppState,
    actor: &Actor,
    code: &str,
    kind: &str,
    id: &str,
) -> Result<Vec<xiancheng_core::audit::AuditEntry>, AppError> {
    let county = readable_county(state, actor, code).await?;
    let id: i64 = id
        .parse()
        .map_err(|_| AppError::BadRequest(format!("编号“{id}”应为整数")))?;
    if actor.role == Role::Reporter {
        let ds = dataset_for(state, actor, &county).await?;
        let visible = match kind {
            "project" => ds.projects.iter().any(|p| p.id.0 == id),
            "task" => ds.tasks.iter().any(|t| t.id.0 == id),
            "project_report" => ds.project_reports.iter().any(|r| r.id.0 == id),
            "task_report" => ds.task_reports.iter().any(|r| r.id.0 == id),
            _ => false,
        };
        if !visible {
            return Err(AppError::Forbidden(
                "只能查看本单位负责的项目、任务及其报告的变更历史".into(),
            ));
        }
    }
    let entries = state.store.audit_entries(Some((kind, id))).await?;
    Ok(entries
        .into_iter()
        .filter(|e| e.county_id.is_none_or(|c| c == county.id.0))
        .collect())
}
