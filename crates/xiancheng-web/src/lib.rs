//! HTTP for xiancheng: server-rendered pages (Chinese first) and the JSON API, on axum.
//!
//! Handlers load what they need from the [`Store`], build view models (`views`), and render
//! templates (`templates/`, embedded in the binary and rendered by minijinja) or JSON.
//! Templates never query. The router is built by [`app`], separate from any socket, so
//! tests drive it in-process.
//!
//! Routes: `pages` (HTML), `api` (JSON under `/api/v1`), `/healthz`, `/static/site.css`.

mod api;
mod error;
mod pages;
mod render;
mod svg;
mod views;
mod views_analysis;

use axum::Router;
use axum::routing::get;
use std::sync::Arc;
use xiancheng_store::Store;

pub use error::AppError;

/// Shared state of every handler.
#[derive(Debug, Clone)]
pub struct AppState {
    pub store: Store,
    templates: Arc<render::Templates>,
}

impl AppState {
    pub fn new(store: Store) -> Self {
        AppState {
            store,
            templates: Arc::new(render::Templates::new()),
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
        .route("/api/v1/counties", get(api::counties))
        .route("/api/v1/counties/{code}", get(api::county))
        .route("/api/v1/counties/{code}/plan", get(api::plan))
        .route("/api/v1/counties/{code}/alignment", get(api::alignment))
        .route("/api/v1/counties/{code}/tasks", get(api::tasks))
        .route("/api/v1/counties/{code}/projects", get(api::projects))
        .route("/api/v1/counties/{code}/projects/{id}", get(api::project))
        .route("/api/v1/national/opinions", get(api::opinions))
        .route("/healthz", get(api::healthz))
        .route("/static/site.css", get(render::stylesheet))
        .fallback(pages::not_found)
        .with_state(state)
}
