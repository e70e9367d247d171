//! Server-rendered pages. Each handler loads a view model and renders one template.

use crate::AppState;
use crate::auth::PageActor;
use crate::error::AppError;
use crate::views::{self, CountyHeader};
use crate::views_analysis;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use minijinja::value::Serde;
use minijinja::{Value, context};
use xiancheng_core::dataset::CountyDataset;
use xiancheng_core::model::County;

type Page = Result<Html<String>, AppError>;

pub async fn home(State(state): State<AppState>) -> Result<Response, AppError> {
    let counties = state.store.counties().await?;
    if let [only] = counties.as_slice() {
        return Ok(Redirect::to(&format!("/counties/{}", only.division_code)).into_response());
    }
    let headers: Vec<CountyHeader> = counties.iter().map(CountyHeader::from).collect();
    Ok(state
        .templates
        .render(
            "home.html",
            context! { counties => Value::from(Serde(&headers)) },
        )?
        .into_response())
}

pub async fn county(State(state): State<AppState>, Path(code): Path<String>) -> Page {
    let county = views::load_county(&state.store, &code).await?;
    let view = views::county_overview(&state.store, &county).await?;
    state.templates.render(
        "county.html",
        context! { v => Value::from(Serde(&view)), nav => "county" },
    )
}

pub async fn plan(State(state): State<AppState>, Path(code): Path<String>) -> Page {
    let county = views::load_county(&state.store, &code).await?;
    let view = views::plan_view(&state.store, &county).await?;
    state.templates.render(
        "plan.html",
        context! { v => Value::from(Serde(&view)), nav => "plan" },
    )
}

pub async fn alignment(State(state): State<AppState>, Path(code): Path<String>) -> Page {
    let county = views::load_county(&state.store, &code).await?;
    let view = views::alignment_view(&state.store, &county).await?;
    state.templates.render(
        "alignment.html",
        context! { v => Value::from(Serde(&view)), nav => "alignment" },
    )
}

pub async fn tasks(State(state): State<AppState>, Path(code): Path<String>) -> Page {
    let county = views::load_county(&state.store, &code).await?;
    let view = views::tasks_view(&state.store, &county).await?;
    state.templates.render(
        "tasks.html",
        context! { v => Value::from(Serde(&view)), nav => "tasks" },
    )
}

pub async fn projects(
    State(state): State<AppState>,
    Path(code): Path<String>,
    query: Result<Query<views::ProjectQuery>, QueryRejection>,
) -> Page {
    let query = query.map(|q| q.0).map_err(|e| {
        AppError::BadRequest(format!("查询参数格式错误 (malformed query string): {e}"))
    })?;
    let county = views::load_county(&state.store, &code).await?;
    let view = views::projects_view(&state.store, &county, &query).await?;
    state.templates.render(
        "projects.html",
        context! { v => Value::from(Serde(&view)), nav => "projects" },
    )
}

pub async fn project(
    State(state): State<AppState>,
    crate::auth::MaybeActor(viewer): crate::auth::MaybeActor,
    Path((code, id)): Path<(String, String)>,
    query: Result<Query<views_analysis::AnalysisQuery>, QueryRejection>,
) -> Page {
    let query = analysis_query(query)?;
    let county = views::load_county(&state.store, &code).await?;
    let view = views::project_detail(&state.store, &county, &id, viewer.as_ref()).await?;
    let ev = views_analysis::load_project_ev(&state.store, &county, view.id, &query).await?;
    state.templates.render(
        "project.html",
        context! { v => Value::from(Serde(&view)), ev => Value::from(Serde(&ev)), nav => "projects" },
    )
}

pub async fn opinions(State(state): State<AppState>) -> Page {
    let framework = state.store.national_framework().await?;
    state.templates.render(
        "opinions.html",
        context! { fw => Value::from(Serde(&framework)) },
    )
}

pub async fn not_found() -> AppError {
    AppError::not_found("您访问的页面（page not found）")
}

// ------------------------------------------------------------------ analysis pages

fn analysis_query(
    query: Result<Query<views_analysis::AnalysisQuery>, QueryRejection>,
) -> Result<views_analysis::AnalysisQuery, AppError> {
    query.map(|q| q.0).map_err(|e| {
        AppError::BadRequest(format!("查询参数格式错误 (malformed query string): {e}"))
    })
}

/// What every internal analysis page starts from: the county the actor may read, its records
/// as the actor may see them, and its settings.
async fn analysis_input(
    state: &AppState,
    actor: &xiancheng_core::auth::Actor,
    code: &str,
) -> Result<
    (
        County,
        std::sync::Arc<CountyDataset>,
        views_analysis::CountySettings,
    ),
    AppError,
> {
    let county = crate::dispatch_api::readable_county(state, actor, code).await?;
    let dataset =
        crate::dispatch_api::scoped(state.store.county_dataset_cached(county.id).await?, actor);
    let settings = state.store.county_settings(county.id).await?;
    Ok((county, dataset, settings))
}

pub async fn dashboard(
    State(state): State<AppState>,
    PageActor(actor): PageActor,
    Path(code): Path<String>,
    query: Result<Query<views_analysis::AnalysisQuery>, QueryRejection>,
) -> Page {
    let query = analysis_query(query)?;
    let (county, dataset, settings) = analysis_input(&state, &actor, &code).await?;
    let view = views_analysis::dashboard(&county, &dataset, &query, &settings)?;
    state.templates.render(
        "dashboard.html",
        context! { v => Value::from(Serde(&view)), nav => "dashboard" },
    )
}

pub async fn warnings(
    State(state): State<AppState>,
    PageActor(actor): PageActor,
    Path(code): Path<String>,
    query: Result<Query<views_analysis::AnalysisQuery>, QueryRejection>,
) -> Page {
    let query = analysis_query(query)?;
    let (county, dataset, settings) = analysis_input(&state, &actor, &code).await?;
    let view = views_analysis::warnings_view(&county, &dataset, &query, &settings)?;
    state.templates.render(
        "warnings.html",
        context! { v => Value::from(Serde(&view)), nav => "warnings" },
    )
}

pub async fn indicators(
    State(state): State<AppState>,
    PageActor(actor): PageActor,
    Path(code): Path<String>,
    query: Result<Query<views_analysis::AnalysisQuery>, QueryRejection>,
) -> Page {
    let query = analysis_query(query)?;
    let (county, dataset, settings) = analysis_input(&state, &actor, &code).await?;
    let view = views_analysis::indicators_view(&county, &dataset, &query, &settings)?;
    state.templates.render(
        "indicators.html",
        context! { v => Value::from(Serde(&view)), nav => "indicators" },
    )
}

/// `GET /counties/{code}/history/{kind}/{id}`: an object's audit trail, for accounts.
pub async fn history(
    State(state): State<AppState>,
    PageActor(actor): PageActor,
    Path((code, kind, id)): Path<(String, String, String)>,
) -> Page {
    let entries = crate::dispatch_api::history_entries(&state, &actor, &code, &kind, &id).await?;
    let county = views::load_county(&state.store, &code).await?;
    let header = CountyHeader::from(&county);
    state.templates.render(
        "history.html",
        context! { v => Value::from(Serde(&serde_json::json!({ "county": header }))), entries => Value::from(Serde(&entries)), kind => kind, id => id, nav => "history" },
    )
}
