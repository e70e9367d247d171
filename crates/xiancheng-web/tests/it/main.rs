//! Web tests: requests through the router in-process, on a store holding the demo county
//! (SQLite, or PostgreSQL when `XIANCHENG_TEST_DATABASE_URL` is set).

#![allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]

mod analysis_pages;
mod api;
mod dispatch;
mod pages;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;
use xiancheng_core::dataset::CountyDataset;
use xiancheng_store::{IdPolicy, Store};

#[derive(Debug)]
pub struct TestApp {
    pub router: Router,
    pub store: Store,
    _dir: tempfile::TempDir,
}

impl TestApp {
    /// A store with the reference data and the given county (the demo county by default).
    pub async fn with(dataset: Option<CountyDataset>) -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        let admin = std::env::var("XIANCHENG_TEST_DATABASE_URL").ok();
        let (store, _url) = xiancheng_store::testing::fresh_store(admin.as_deref(), dir.path())
            .await
            .unwrap();
        store
            .ensure_national_framework(&xiancheng_data::national_framework())
            .await
            .unwrap();
        let dataset = dataset.unwrap_or_else(|| xiancheng_data::panshan::dataset().unwrap());
        store
            .insert_county_dataset(&dataset, IdPolicy::Fresh)
            .await
            .unwrap();
        let router = xiancheng_web::app(xiancheng_web::AppState::new(store.clone()));
        TestApp {
            router,
            store,
            _dir: dir,
        }
    }

    pub async fn demo() -> TestApp {
        Self::with(None).await
    }

    pub async fn get(&self, uri: &str) -> (StatusCode, String, String) {
        let response = self
            .router
            .clone()
            .oneshot(Request::get(uri).body(Body::empty()).unwrap())
            .await
            .unwrap();
        let status = response.status();
        let content_type = response
            .headers()
            .get("content-type")
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default();
        let body = response.into_body().collect().await.unwrap().to_bytes();
        (
            status,
            content_type,
            String::from_utf8(body.to_vec()).unwrap(),
        )
    }

    pub async fn json(&self, uri: &str) -> (StatusCode, serde_json::Value) {
        let (status, content_type, body) = self.get(uri).await;
        assert!(
            content_type.starts_with("application/json"),
            "{uri}: {content_type}"
        );
        (status, serde_json::from_str(&body).unwrap())
    }
}
