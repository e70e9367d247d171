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
    /// A leader's session cookie, sent by [`TestApp::get`].
    pub cookie: String,
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
        let county = store.counties().await.unwrap()[0].id;
        let password = "Leader-pass-2026";
        store
            .create_user(
                &xiancheng_store::accounts::NewUser {
                    username: "leader".into(),
                    display_name: "县领导".into(),
                    role: xiancheng_core::auth::Role::Leader,
                    county: Some(county),
                    department: None,
                    scope: None,
                    password_hash: xiancheng_core::auth::hash_password(password, &[1; 16]).unwrap(),
                },
                None,
            )
            .await
            .unwrap();
        let login = Request::post("/api/v1/session")
            .header("content-type", "application/json")
            .body(Body::from(
                serde_json::json!({ "username": "leader", "password": password }).to_string(),
            ))
            .unwrap();
        let response = router.clone().oneshot(login).await.unwrap();
        let cookie = response
            .headers()
            .get("set-cookie")
            .unwrap()
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_owned();
        TestApp {
            router,
            store,
            cookie,
            _dir: dir,
        }
    }

    pub async fn demo() -> TestApp {
        Self::with(None).await
    }

    /// GET as the county's leader (logged in).
    pub async fn get(&self, uri: &str) -> (StatusCode, String, String) {
        self.get_with(uri, Some(&self.cookie)).await
    }

    /// GET without any account.
    pub async fn get_anonymous(&self, uri: &str) -> (StatusCode, String, String) {
        self.get_with(uri, None).await
    }

    async fn get_with(&self, uri: &str, cookie: Option<&str>) -> (StatusCode, String, String) {
        let mut request = Request::get(uri);
        if let Some(c) = cookie {
            request = request.header("cookie", c);
        }
        let response = self
            .router
            .clone()
            .oneshot(request.body(Body::empty()).unwrap())
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
