//! Store integration tests: one story over the whole Store API, run on SQLite, and on
//! PostgreSQL when `XIANCHENG_TEST_DATABASE_URL` names an admin URL (CI sets it).

#![allow(clippy::unwrap_used, reason = "a test that cannot unwrap has failed")]

mod bad_input;
mod migrations;
mod rollups;
mod story;

use xiancheng_store::Store;

/// A migrated, empty store on the backend under test, and the directory that holds it.
pub async fn fresh_store() -> (Store, String, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let admin = std::env::var("XIANCHENG_TEST_DATABASE_URL").ok();
    let (store, url) = xiancheng_store::testing::fresh_store(admin.as_deref(), dir.path())
        .await
        .unwrap();
    (store, url, dir)
}
