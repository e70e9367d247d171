//! HTTP for xiancheng: server-rendered pages (Chinese first) and the JSON API, on axum.
//!
//! Handlers load what they need from the [`Store`], build view models (`views`), and render
//! templates (`templates/`, embedded in the binary and rendered by minijinja) or JSON.
//! Templates never query. The router is built by [`app`], separate from any socket, so
//! tests drive it in-process.
//!
//! Routes: `pages` (HTML), `api` (JSON under `/api/v1`), `/healthz`, `/static/site.css`.

mod api;
pub mod auth;
mod dispatch_api;
mod error;
mod openapi;
mod pages;
mod render;
mod svg;
mod views;
mod views_analysis;
mod workbench;

use axum::Router;
use axum::routing::{get, post};
use std::sync::Arc;
use xiancheng_store::Store;

pub use error::AppError;

/// Shared state of every handler.
#[derive(Debug, Clone)]
pub struct AppState {
    pub store: Store,
    templates: Arc<render::Templates>,
    auth: Arc<auth::AuthSettings>,
    throttle: Arc<auth::LoginThrottle>,
}

impl AppState {
    pub fn new(store: Store) -> Self {
        Self::with_auth(store, auth::AuthSettings::default())
    }

    pub fn with_auth(store: Store, settings: auth::AuthSettings) -> Self {
        AppState {
            store,
            templates: Arc::new(render::Templates::new()),
            auth: Arc::new(settings),
            throttle: Arc::new(auth::LoginThrottle::default()),
        }
    }
}

/// The whole application: pages, API, health check and static assets.
pub fn app(state: AppState) -> Router {
    Router::new()
        .route("/", get(pages::home))
        .route("/counties/{code}", get(pages::county))
        .route("/counties/{code}/plan", get(pages::plan))
        .route("/counties/{code}/alignment", get(pages::alignment))
        .route("/counties/{code}/tasks", get(pages::tasks))
        .route("/counties/{code}/projects", get(pages::projects))
        .route("/counties/{code}/projects/{id}", get(pages::project))
        // analysis pages
        .route("/counties/{code}/dashboard", get(pages::dashboard))
        .route("/counties/{code}/warnings", get(pages::warnings))
        .route("/counties/{code}/indicators", get(pages::indicators))
        // end of analysis pages
        .route("/national/opinions", get(pages::opinions))
        // workbench forms (browser sessions)
        .route(
            "/login",
            get(workbench::login_form).post(workbench::login_submit),
        )
        .route("/logout", post(workbench::logout))
        .route("/counties/{code}/workbench", get(workbench::this_month))
        .route(
            "/counties/{code}/report-form",
            get(workbench::report_form).post(workbench::report_form_submit),
        )
        .route("/counties/{code}/queue", get(workbench::queue))
        .route("/counties/{code}/queue/{id}", post(workbench::decide))
        .route("/counties/{code}/history/{kind}/{id}", get(pages::history))
        .route("/api/v1/counties", get(api::counties))
        .route("/api/v1/counties/{code}", get(api::county))
        .route("/api/v1/counties/{code}/plan", get(api::plan))
        .route("/api/v1/counties/{code}/alignment", get(api::alignment))
        .route("/api/v1/counties/{code}/tasks", get(api::tasks))
        .route("/api/v1/counties/{code}/projects", get(api::projects))
        .route("/api/v1/counties/{code}/projects/{id}", get(api::project))
        .route("/api/v1/national/opinions", get(api::opinions))
        // dispatch API (authenticated)
        .route("/api/v1/openapi.json", get(openapi::serve))
        .route(
            "/api/v1/session",
            post(dispatch_api::login).delete(dispatch_api::logout),
        )
        .route("/api/v1/password", post(dispatch_api::change_password))
        .route(
            "/api/v1/tokens",
            get(dispatch_api::list_tokens).post(dispatch_api::create_token),
        )
        .route(
            "/api/v1/tokens/{id}",
            axum::routing::delete(dispatch_api::revoke_token),
        )
        .route(
            "/api/v1/counties/{code}/reports",
            post(dispatch_api::save_report),
        )
        .route(
            "/api/v1/counties/{code}/reports/status",
            get(dispatch_api::report_status),
        )
        .route(
            "/api/v1/counties/{code}/reports/{id}",
            get(dispatch_api::get_report),
        )
        .route(
            "/api/v1/counties/{code}/reports/{id}/submit",
            post(dispatch_api::submit_report),
        )
        .route(
            "/api/v1/counties/{code}/reports/{id}/return",
            post(dispatch_api::return_report),
        )
        .route(
            "/api/v1/counties/{code}/reports/{id}/approve",
            post(dispatch_api::approve_report),
        )
        .route(
            "/api/v1/counties/{code}/reports/{id}/amend",
            post(dispatch_api::amend_report),
        )
        .route(
            "/api/v1/counties/{code}/rollups",
            get(dispatch_api::rollups),
        )
        .route(
            "/api/v1/counties/{code}/earned-value",
            get(dispatch_api::earned_value_route),
        )
        .route(
            "/api/v1/counties/{code}/warnings",
            get(dispatch_api::warnings_route),
        )
        .route(
            "/api/v1/counties/{code}/indicators",
            get(dispatch_api::indicators_route),
        )
        .route(
            "/api/v1/counties/{code}/history/{kind}/{id}",
            get(dispatch_api::history),
        )
        .route("/healthz", get(api::healthz))
        .route("/static/site.css", get(render::stylesheet))
        .fallback(pages::not_found)
        .with_state(state)
}
