//! Bad URLs, wrong files, unreachable servers and schemas from the future: each gives an
//! error that names the problem, and nothing stored changes.

use crate::fresh_store;
use xiancheng_store::{Store, StoreError};

#[tokio::test]
async fn refuses_an_unknown_url_scheme() {
    let err = Store::connect("mysql://root:secret@localhost/x")
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::InvalidUrl { .. }), "{err}");
    let message = err.to_string();
    assert!(
        message.contains("mysql") && message.contains("sqlite://"),
        "{message}"
    );
    assert!(
        !message.contains("secret"),
        "passwords never appear: {message}"
    );
}

#[tokio::test]
async fn refuses_a_file_that_is_not_a_sqlite_database_and_leaves_it_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.sqlite");
    let content = "这是一份会议记录，不是数据库。".repeat(50);
    std::fs::write(&path, &content).unwrap();
    let err = Store::connect(&format!("sqlite://{}", path.display()))
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::NotSqlite { .. }), "{err}");
    assert!(err.to_string().contains("notes.sqlite"));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), content);
    assert!(!dir.path().join("notes.sqlite-wal").exists());
}

#[tokio::test]
async fn reports_an_unreachable_postgres_without_its_password() {
    let err = Store::connect("postgres://app:hunter2@127.0.0.1:1/xiancheng")
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Unreachable { .. }), "{err}");
    let message = err.to_string();
    assert!(
        message.contains("127.0.0.1:1") && !message.contains("hunter2"),
        "{message}"
    );
}

#[tokio::test]
async fn refuses_a_schema_newer_than_the_binary() {
    let (store, url, _dir) = fresh_store().await;
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(&url).await.unwrap();
    sqlx::query("INSERT INTO schema_migrations (version, name, checksum) VALUES (9999, 'from_the_future', 'x')").execute(&pool).await.unwrap();
    let err = store.check_schema().await.unwrap_err();
    assert!(
        matches!(err, StoreError::SchemaTooNew { found: 9999, .. }),
        "{err}"
    );
    assert!(err.to_string().contains("9999"));
    assert!(matches!(
        store.migrate().await.unwrap_err(),
        StoreError::SchemaTooNew { .. }
    ));
}

#[tokio::test]
async fn refuses_an_edited_migration() {
    let (store, url, _dir) = fresh_store().await;
    let pool = sqlx::AnyPool::connect(&url).await.unwrap();
    sqlx::query("UPDATE schema_migrations SET checksum = 'edited' WHERE version = 1")
        .execute(&pool)
        .await
        .unwrap();
    assert!(matches!(
        store.check_schema().await.unwrap_err(),
        StoreError::MigrationChanged { version: 1 }
    ));
}

#[tokio::test]
async fn refuses_an_unmigrated_database_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::connect(&format!(
        "sqlite://{}",
        dir.path().join("new.sqlite").display()
    ))
    .await
    .unwrap();
    let err = store.check_schema().await.unwrap_err();
    assert!(
        matches!(err, StoreError::NotMigrated { found: 0, .. }),
        "{err}"
    );
    assert!(err.to_string().contains("xiancheng migrate"));
}
