//! The JSON API under `/api/v1`: the same view models the pages show. Read-only for now.
//! Errors answer `{"error": {"status", "message"}}` with the HTTP status.

use crate::AppState;
use crate::error::{AppError, Flavor};
use crate::views::{self, CountyHeader};
use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

fn json<T: Serialize>(result: Result<T, AppError>) -> Response {
    match result {
        Ok(value) => Json(value).into_response(),
        Err(e) => e.into_flavored_response(Flavor::Json),
    }
}

#[derive(Serialize)]
struct CountyList {
    counties: Vec<CountyHeader>,
}

pub async fn counties(State(state): State<AppState>) -> Response {
    json(
        async {
            Ok(CountyList {
                counties: state
                    .store
                    .counties()
                    .await?
                    .iter()
                    .map(CountyHeader::from)
                    .collect(),
            })
        }
        .await,
    )
}

pub async fn county(State(state): State<AppState>, Path(code): Path<String>) -> Response {
    json(
        async {
            let county = views::load_county(&state.store, &code).await?;
            views::county_overview(&state.store, &county).await
        }
        .await,
    )
}

pub async fn plan(State(state): State<AppState>, Path(code): Path<String>) -> Response {
    json(
        async {
            let county = views::load_county(&state.store, &code).await?;
            views::plan_view(&state.store, &county).await
        }
        .await,
    )
}

pub async fn alignment(State(state): State<AppState>, Path(code): Path<String>) -> Response {
    json(
        async {
            let county = views::load_county(&state.store, &code).await?;
            views::alignment_view(&state.store, &county).await
        }
        .await,
    )
}

pub async fn tasks(State(state): State<AppState>, Path(code): Path<String>) -> Response {
    json(
        async {
            let county = views::load_county(&state.store, &code).await?;
            views::tasks_view(&state.store, &county).await
        }
        .await,
    )
}

pub async fn projects(
    State(state): State<AppState>,
    Path(code): Path<String>,
    query: Result<Query<views::ProjectQuery>, QueryRejection>,
) -> Response {
    json(
        async {
            let query = query.map(|q| q.0).map_err(|e| {
                AppError::BadRequest(format!("查询参数格式错误 (malformed query string): {e}"))
            })?;
            let county = views::load_county(&state.store, &code).await?;
            views::projects_view(&state.store, &county, &query).await
        }
        .await,
    )
}

pub async fn project(
    State(state): State<AppState>,
    crate::auth::MaybeActor(viewer): crate::auth::MaybeActor,
    Path((code, id)): Path<(String, String)>,
) -> Response {
    json(
        async {
            let county = views::load_county(&state.store, &code).await?;
            views::project_detail(&state.store, &county, &id, viewer.as_ref()).await
        }
        .await,
    )
}

pub async fn opinions(State(state): State<AppState>) -> Response {
    json(async { Ok(state.store.national_framework().await?) }.await)
}

/// Liveness and database reachability.
pub async fn healthz(State(state): State<AppState>) -> Response {
    match state.store.ping().await {
        Ok(()) => {
            Json(serde_json::json!({ "status": "ok", "database": state.store.backend().name() }))
                .into_response()
        }
        Err(e) => {
            tracing::warn!(error = %e, "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, Json(serde_json::json!({ "status": "unavailable", "database": state.store.backend().name() })))
                .into_response()
        }
    }
}
