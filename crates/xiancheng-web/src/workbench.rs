//! The workbench in the browser: logging in and out with forms, a department's "this month"
//! page, the report form (previous approved figures beside the fields, messages at the
//! field, input kept on error), and the plan office's approval queue. Every form carries the
//! session's CSRF token; the login form a double-submit token of its own.

use crate::AppState;
use crate::auth::{
    LOGIN_CSRF_COOKIE, SESSION_COOKIE, SessionActor, login_csrf_of, random_secret, same_secret,
    session_cookie, sha256_hex,
};
use crate::error::AppError;
use crate::views::{CountyHeader, load_county};
use axum::Form;
use axum::extract::rejection::FormRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use minijinja::value::Serde;
use minijinja::{Value, context};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use xiancheng_core::auth::Actor;
use xiancheng_core::calendar::{SubjectKind, expected_reports};
use xiancheng_core::dispatch::ReportForm;
use xiancheng_core::enums::ReportStatus;
use xiancheng_core::{ValidationErrors, YearMonth};
use xiancheng_store::dispatch::{Report, ReportKind};

/// Where to send someone who needs to log in.
pub fn to_login() -> Response {
    Redirect::to("/login").into_response()
}

fn page(state: &AppState, template: &str, ctx: Value, status: StatusCode) -> Response {
    match state.templates.render(template, ctx) {
        Ok(html) => (status, html).into_response(),
        Err(e) => e.into_response(),
    }
}

fn bad_form(e: FormRejection) -> Response {
    AppError::BadRequest(format!("表单格式错误：{}", e.body_text())).into_response()
}

fn forbidden_csrf() -> Response {
    AppError::Forbidden("表单已过期或来源不明（CSRF 校验失败），请刷新页面后重试。".into())
        .into_response()
}

// ------------------------------------------------------------------ login and logout

#[derive(Debug, Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf: String,
}

fn login_page(
    state: &AppState,
    username: &str,
    error: Option<&str>,
    status: StatusCode,
) -> Response {
    let token = match random_secret() {
        Ok(t) => t,
        Err(e) => return e.into_response(),
    };
    let mut response = page(
        state,
        "login.html",
        context! { username => username, error => error, csrf => &token },
        status,
    );
    let cookie = format!(
        "{LOGIN_CSRF_COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/login; Max-Age=3600"
    );
    if let Ok(value) = cookie.parse() {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
    response
}

pub async fn login_form(State(state): State<AppState>) -> Response {
    login_page(&state, "", None, StatusCode::OK)
}

pub async fn login_submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    form: Result<Form<LoginForm>, FormRejection>,
) -> Response {
    let Form(form) = match form {
        Ok(f) => f,
        Err(e) => return bad_form(e),
    };
    let expected = login_csrf_of(&headers).unwrap_or_default();
    if expected.is_empty() || !same_secret(&expected, &form.csrf) {
        return login_page(
            &state,
            &form.username,
            Some("登录表单已过期，请重新输入。"),
            StatusCode::FORBIDDEN,
        );
    }
    let username = form.username.trim().to_owned();
    let delay = state.throttle.delay(&username, &state.auth);
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    let found = match state.store.user_for_login(&username).await {
        Ok(f) => f,
        Err(e) => return AppError::from(e).into_response(),
    };
    let password = form.password;
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
        return login_page(
            &state,
            &username,
            Some("用户名或口令错误。"),
            StatusCode::UNAUTHORIZED,
        );
    };
    state.throttle.succeed(&username);
    let result = async {
        let session = random_secret()?;
        let csrf = random_secret()?;
        state
            .store
            .create_session(
                &user,
                &sha256_hex(&session),
                &csrf,
                state.auth.session_seconds,
            )
            .await?;
        let target = match user.county {
            Some(county) => {
                let code = state
                    .store
                    .counties()
                    .await?
                    .into_iter()
                    .find(|c| c.id == county)
                    .map(|c| c.division_code.to_string())
                    .unwrap_or_default();
                format!("/counties/{code}/workbench")
            }
            None => "/".to_owned(),
        };
        Ok::<_, AppError>((session, target))
    }
    .await;
    match result {
        Ok((session, target)) => (
            [(
                header::SET_COOKIE,
                session_cookie(Some(&session), &state.auth),
            )],
            Redirect::to(&target),
        )
            .into_response(),
        Err(e) => e.into_response(),
    }
}

#[derive(Debug, Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

pub async fn logout(
    State(state): State<AppState>,
    session: SessionActor,
    headers: HeaderMap,
    form: Result<Form<CsrfForm>, FormRejection>,
) -> Response {
    let Form(form) = match form {
        Ok(f) => f,
        Err(e) => return bad_form(e),
    };
    if !same_secret(&session.csrf, &form.csrf) {
        return forbidden_csrf();
    }
    let cookie = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|p| {
            p.trim()
                .strip_prefix(&format!("{SESSION_COOKIE}="))
                .map(str::to_owned)
        });
    if let Some(c) = cookie
        && let Err(e) = state.store.delete_session(&sha256_hex(&c)).await
    {
        return AppError::from(e).into_response();
    }
    (
        [(header::SET_COOKIE, session_cookie(None, &state.auth))],
        Redirect::to("/"),
    )
        .into_response()
}

// ------------------------------------------------------------------ this month

#[derive(Debug, Deserialize, Default)]
pub struct PeriodQuery {
    period: Option<String>,
}

#[derive(Debug, Serialize)]
struct Me {
    username: String,
    role: &'static str,
    csrf: String,
    runs_dispatch: bool,
}

fn me(session: &SessionActor, county: xiancheng_core::ids::CountyId) -> Me {
    Me {
        username: session.actor.username.clone(),
        role: session.actor.role.label_zh(),
        csrf: session.csrf.clone(),
        runs_dispatch: session.actor.runs_dispatch(county),
    }
}

#[derive(Debug, Serialize)]
struct Owed {
    kind: &'static str,
    subject_id: i64,
    subject_name: String,
    department: String,
    state: &'static str,
    state_code: String,
    due: String,
    days_late: i64,
    return_reason: String,
}

/// The month a workbench page is about: the query's, else the last month whose reports are due
/// by now (the previous month, by the default calendar).
fn period_of(query: &PeriodQuery, state: &AppState) -> Result<YearMonth, AppError> {
    match query
        .period
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(p) => YearMonth::parse("period", p).map_err(|e| AppError::BadRequest(e.to_string())),
        None => Ok(state.store.now().date().year_month().prev()),
    }
}

/// `GET /counties/{code}/workbench`: every report the actor's department owes for the month
/// (all of the county's for the plan office), with its state and due date.
pub async fn this_month(
    State(state): State<AppState>,
    session: SessionActor,
    Path(code): Path<String>,
    Query(query): Query<PeriodQuery>,
) -> Response {
    let result = async {
        let county = crate::dispatch_api::readable_county(&state, &session.actor, &code).await?;
        let period = period_of(&query, &state)?;
        let ds = crate::dispatch_api::scoped(state.store.county_dataset_cached(county.id).await?, &session.actor);
        let (calendar, _) = state.store.county_settings(county.id).await?;
        let names: HashMap<_, _> = ds.departments.iter().map(|d| (d.id, d.short_name.clone())).collect();
        let reasons: HashMap<i64, String> = ds.project_reports.iter().map(|r| (r.id.0, r.return_reason.clone())).chain(ds.task_reports.iter().map(|r| (r.id.0, r.return_reason.clone()))).collect();
        let owed: Vec<Owed> = expected_reports(&ds, period, &calendar, state.store.now().date())
            .into_iter()
            .map(|e| Owed {
                kind: match e.kind {
                    SubjectKind::Project => "project",
                    SubjectKind::Task => "task",
                },
                subject_id: e.subject_id,
                subject_name: e.subject_name,
                department: names.get(&e.department).cloned().unwrap_or_default(),
                state: e.state.label_zh(),
                state_code: format!("{:?}", e.state).to_lowercase(),
                due: e.due.to_string(),
                days_late: e.days_late,
                return_reason: e.report_id.and_then(|id| reasons.get(&id).cloned()).unwrap_or_default(),
            })
            .collect();
        let header = CountyHeader::from(&county);
        Ok::<_, AppError>(page(&state, "workbench.html", context! { v => Value::from(Serde(&serde_json::json!({ "county": header }))), owed => Value::from(Serde(&owed)), period => period.to_string(), nav => "workbench", me => Value::from(Serde(&me(&session, county.id))) }, StatusCode::OK))
    }
    .await;
    result.unwrap_or_else(IntoResponse::into_response)
}

// ------------------------------------------------------------------ the report form

#[derive(Debug, Deserialize, Default)]
pub struct FormQuery {
    kind: Option<String>,
    subject: Option<String>,
    period: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct ReportFormPost {
    kind: String,
    subject: String,
    #[serde(flatten)]
    form: ReportForm,
    #[serde(default)]
    action: String,
    #[serde(default)]
    csrf: String,
}

fn kind_of(text: &str) -> Result<ReportKind, AppError> {
    match text {
        "project" => Ok(ReportKind::Project),
        "task" => Ok(ReportKind::Task),
        other => Err(AppError::BadRequest(format!(
            "kind: “{other}” 应为 project 或 task"
        ))),
    }
}

/// What the form shows beside its fields: the previous approved report and the current one.
async fn form_context(
    state: &AppState,
    session: &SessionActor,
    code: &str,
    kind: ReportKind,
    subject: i64,
    period: YearMonth,
) -> Result<(serde_json::Value, Option<Report>), AppError> {
    let county = crate::dispatch_api::readable_county(state, &session.actor, code).await?;
    let ds = crate::dispatch_api::scoped(
        state.store.county_dataset_cached(county.id).await?,
        &session.actor,
    );
    let (name, previous, current) = match kind {
        ReportKind::Project => {
            let p = ds
                .projects
                .iter()
                .find(|p| p.id.0 == subject)
                .ok_or_else(|| AppError::Forbidden("只能填报本单位负责的项目".into()))?;
            let mine: Vec<_> = ds
                .project_reports
                .iter()
                .filter(|r| r.project_id == p.id)
                .collect();
            let previous = mine.iter().filter(|r| r.status == ReportStatus::Approved && r.period < period).max_by_key(|r| r.period).map(|r| {
                serde_json::json!({ "period": r.period, "investment_month": r.investment_month.format_wan(), "investment_cumulative": r.investment_cumulative.format_wan(), "progress": r.progress.as_f64() })
            });
            let current = mine
                .iter()
                .find(|r| r.period == period)
                .map(|r| Report::Project((*r).clone()));
            (p.name.clone(), previous, current)
        }
        ReportKind::Task => {
            let t = ds
                .tasks
                .iter()
                .find(|t| t.id.0 == subject)
                .ok_or_else(|| AppError::Forbidden("只能填报本单位负责的任务".into()))?;
            let mine: Vec<_> = ds
                .task_reports
                .iter()
                .filter(|r| r.task_id == t.id)
                .collect();
            let previous = mine
                .iter()
                .filter(|r| r.status == ReportStatus::Approved && r.period < period)
                .max_by_key(|r| r.period)
                .map(|r| serde_json::json!({ "period": r.period, "progress": r.progress.map(|p| p.as_f64()) }));
            let current = mine
                .iter()
                .find(|r| r.period == period)
                .map(|r| Report::Task((*r).clone()));
            (t.title.clone(), previous, current)
        }
    };
    let header = CountyHeader::from(&county);
    Ok((
        serde_json::json!({ "county": header, "subject_name": name, "previous": previous }),
        current,
    ))
}

fn form_values(current: Option<&Report>, period: YearMonth) -> ReportForm {
    match current {
        Some(Report::Project(r)) => ReportForm {
            period: r.period.to_string(),
            investment_month: r.investment_month.format_wan().replace(',', ""),
            investment_cumulative: r.investment_cumulative.format_wan().replace(',', ""),
            progress: format!("{:.2}", r.progress.as_f64()),
            narrative: r.narrative.clone(),
            problems: r.problems.clone(),
            next_steps: r.next_steps.clone(),
        },
        Some(Report::Task(r)) => ReportForm {
            period: r.period.to_string(),
            progress: r
                .progress
                .map(|p| format!("{:.2}", p.as_f64()))
                .unwrap_or_default(),
            narrative: r.narrative.clone(),
            problems: r.problems.clone(),
            next_steps: r.next_steps.clone(),
            ..Default::default()
        },
        None => ReportForm {
            period: period.to_string(),
            ..Default::default()
        },
    }
}

#[expect(
    clippy::too_many_arguments,
    reason = "the form, its context and its messages travel together"
)]
fn render_form(
    state: &AppState,
    session: &SessionActor,
    ctx: serde_json::Value,
    kind: &str,
    subject: i64,
    values: &ReportForm,
    current: Option<&Report>,
    errors: &ValidationErrors,
    message: Option<String>,
    status: StatusCode,
) -> Response {
    let field_errors: HashMap<String, String> = errors
        .0
        .iter()
        .map(|e| {
            (
                e.field.clone(),
                format!("“{}” 无效，应为{}", e.value, e.expected_zh),
            )
        })
        .collect();
    let (status_label, return_reason, editable) = match current {
        Some(r) => {
            let reason = match r {
                Report::Project(p) => p.return_reason.clone(),
                Report::Task(t) => t.return_reason.clone(),
            };
            (
                r.status().label_zh(),
                reason,
                matches!(r.status(), ReportStatus::Draft | ReportStatus::Returned),
            )
        }
        None => ("尚未填报", String::new(), true),
    };
    let county = ctx["county"]["division_code"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    page(
        state,
        "report_form.html",
        context! {
            v => Value::from(Serde(&ctx)),
            kind => kind,
            subject => subject,
            values => Value::from(Serde(values)),
            errors => Value::from(Serde(&field_errors)),
            message => message,
            status_label => status_label,
            return_reason => return_reason,
            editable => editable,
            csrf => &session.csrf,
            code => county,
            nav => "workbench",
        },
        status,
    )
}

/// `GET /counties/{code}/report-form?kind=&subject=&period=`.
pub async fn report_form(
    State(state): State<AppState>,
    session: SessionActor,
    Path(code): Path<String>,
    Query(q): Query<FormQuery>,
) -> Response {
    let result = async {
        let kind_text = q.kind.clone().unwrap_or_default();
        let kind = kind_of(&kind_text)?;
        let subject: i64 = q
            .subject
            .as_deref()
            .unwrap_or_default()
            .parse()
            .map_err(|_| AppError::BadRequest("subject 应为项目或任务编号（整数）".into()))?;
        let period = period_of(
            &PeriodQuery {
                period: q.period.clone(),
            },
            &state,
        )?;
        let (ctx, current) = form_context(&state, &session, &code, kind, subject, period).await?;
        let values = form_values(current.as_ref(), period);
        Ok::<_, AppError>(render_form(
            &state,
            &session,
            ctx,
            &kind_text,
            subject,
            &values,
            current.as_ref(),
            &ValidationErrors::default(),
            None,
            StatusCode::OK,
        ))
    }
    .await;
    result.unwrap_or_else(IntoResponse::into_response)
}

/// `POST /counties/{code}/report-form`: save the draft, or save and submit. On any problem the
/// form comes back with the messages at the fields and the input kept.
pub async fn report_form_submit(
    State(state): State<AppState>,
    session: SessionActor,
    Path(code): Path<String>,
    form: Result<Form<ReportFormPost>, FormRejection>,
) -> Response {
    let Form(post) = match form {
        Ok(f) => f,
        Err(e) => return bad_form(e),
    };
    if !same_secret(&session.csrf, &post.csrf) {
        return forbidden_csrf();
    }
    let result = async {
        let kind = kind_of(&post.kind)?;
        let subject: i64 = post
            .subject
            .parse()
            .map_err(|_| AppError::BadRequest("subject 应为整数".into()))?;
        let county = load_county(&state.store, &code).await?;
        let period = YearMonth::parse("period", &post.form.period)
            .map_err(|e| AppError::BadRequest(e.to_string()))?;
        let outcome = async {
            let saved = state
                .store
                .save_report(&session.actor, &county, kind, subject, &post.form)
                .await?;
            if post.action == "submit" {
                state
                    .store
                    .submit_report(&session.actor, &county, saved.id())
                    .await?;
            }
            Ok::<_, xiancheng_store::StoreError>(())
        }
        .await;
        match outcome {
            Ok(()) => Ok(
                Redirect::to(&format!("/counties/{code}/workbench?period={period}"))
                    .into_response(),
            ),
            Err(xiancheng_store::StoreError::Invalid(errors)) => {
                let (ctx, current) =
                    form_context(&state, &session, &code, kind, subject, period).await?;
                Ok(render_form(
                    &state,
                    &session,
                    ctx,
                    &post.kind,
                    subject,
                    &post.form,
                    current.as_ref(),
                    &errors,
                    Some(format!("有 {} 处需要修改，见各栏提示。", errors.0.len())),
                    StatusCode::UNPROCESSABLE_ENTITY,
                ))
            }
            Err(xiancheng_store::StoreError::Conflict(message)) => {
                let (ctx, current) =
                    form_context(&state, &session, &code, kind, subject, period).await?;
                Ok(render_form(
                    &state,
                    &session,
                    ctx,
                    &post.kind,
                    subject,
                    &post.form,
                    current.as_ref(),
                    &ValidationErrors::default(),
                    Some(message),
                    StatusCode::CONFLICT,
                ))
            }
            Err(e) => Err(AppError::from(e)),
        }
    }
    .await;
    result.unwrap_or_else(IntoResponse::into_response)
}

// ------------------------------------------------------------------ approval queue

#[derive(Debug, Serialize)]
struct Pending {
    id: i64,
    kind: &'static str,
    subject: String,
    department: String,
    period: String,
    figures: String,
    narrative: String,
    submitted_on: String,
}

/// `GET /counties/{code}/queue`: submitted reports waiting for the plan office.
pub async fn queue(
    State(state): State<AppState>,
    session: SessionActor,
    Path(code): Path<String>,
) -> Response {
    let result = async {
        let county = crate::dispatch_api::readable_county(&state, &session.actor, &code).await?;
        if !session.actor.runs_dispatch(county.id) {
            return Err(AppError::Forbidden("审核队列仅供本县发改局使用".into()));
        }
        let ds = state.store.county_dataset_cached(county.id).await?;
        let names: HashMap<_, _> = ds.departments.iter().map(|d| (d.id, d.short_name.clone())).collect();
        let mut pending: Vec<Pending> = Vec::new();
        for r in ds.project_reports.iter().filter(|r| r.status == ReportStatus::Submitted) {
            if let Some(p) = ds.projects.iter().find(|p| p.id == r.project_id) {
                pending.push(Pending {
                    id: r.id.0,
                    kind: "项目",
                    subject: p.name.clone(),
                    department: names.get(&p.lead).cloned().unwrap_or_default(),
                    period: r.period.to_string(),
                    figures: format!("本月 {} 万元，累计 {} 万元，形象进度 {}", r.investment_month.format_wan(), r.investment_cumulative.format_wan(), r.progress),
                    narrative: r.narrative.clone(),
                    submitted_on: r.submitted_on.map(|d| d.to_string()).unwrap_or_default(),
                });
            }
        }
        for r in ds.task_reports.iter().filter(|r| r.status == ReportStatus::Submitted) {
            if let Some(t) = ds.tasks.iter().find(|t| t.id == r.task_id) {
                pending.push(Pending {
                    id: r.id.0,
                    kind: "任务",
                    subject: t.title.clone(),
                    department: names.get(&t.lead).cloned().unwrap_or_default(),
                    period: r.period.to_string(),
                    figures: r.progress.map(|p| format!("进度 {p}")).unwrap_or_default(),
                    narrative: r.narrative.clone(),
                    submitted_on: r.submitted_on.map(|d| d.to_string()).unwrap_or_default(),
                });
            }
        }
        pending.sort_by(|a, b| a.period.cmp(&b.period).then(a.department.cmp(&b.department)));
        let header = CountyHeader::from(&county);
        Ok(page(&state, "queue.html", context! { v => Value::from(Serde(&serde_json::json!({ "county": header }))), pending => Value::from(Serde(&pending)), nav => "queue", me => Value::from(Serde(&me(&session, county.id))) }, StatusCode::OK))
    }
    .await;
    result.unwrap_or_else(IntoResponse::into_response)
}

#[derive(Debug, Deserialize)]
pub struct DecisionForm {
    #[serde(default)]
    decision: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    csrf: String,
}

/// `POST /counties/{code}/queue/{id}`: approve, or return with a reason.
pub async fn decide(
    State(state): State<AppState>,
    session: SessionActor,
    Path((code, id)): Path<(String, String)>,
    form: Result<Form<DecisionForm>, FormRejection>,
) -> Response {
    let Form(form) = match form {
        Ok(f) => f,
        Err(e) => return bad_form(e),
    };
    if !same_secret(&session.csrf, &form.csrf) {
        return forbidden_csrf();
    }
    let result = async {
        let id: i64 = id
            .parse()
            .map_err(|_| AppError::BadRequest(format!("报告编号“{id}”应为整数")))?;
        let county = load_county(&state.store, &code).await?;
        let actor: &Actor = &session.actor;
        match form.decision.as_str() {
            "approve" => state.store.approve_report(actor, &county, id).await?,
            "return" => {
                state
                    .store
                    .return_report(actor, &county, id, &form.reason)
                    .await?
            }
            other => {
                return Err(AppError::BadRequest(format!(
                    "decision: “{other}” 应为 approve 或 return"
                )));
            }
        };
        Ok::<_, AppError>(Redirect::to(&format!("/counties/{code}/queue")).into_response())
    }
    .await;
    result.unwrap_or_else(|e| match e {
        AppError::Unprocessable(errors) => AppError::BadRequest(format!(
            "{}（退回须填写理由）",
            errors.to_string().trim_end()
        ))
        .into_response(),
        other => other.into_response(),
    })
}
