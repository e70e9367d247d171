//! Support for tests in every crate: a fresh, empty database per test, on SQLite (a file in
//! a directory the test owns) or on PostgreSQL (a new database beside the one an admin URL
//! names; the role needs CREATEDB). Callers decide which from their own environment.

use crate::connect::{Store, redact_url};
use crate::error::{Result, StoreError};
use sqlx::{AssertSqlSafe, Connection};
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// A URL for a new, empty database: a PostgreSQL database created next to `postgres_admin`
/// when it is given, otherwise a SQLite file in `dir`.
pub async fn fresh_database_url(postgres_admin: Option<&str>, dir: &Path) -> Result<String> {
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let name = format!("xct_{}_{n}_{nanos}", std::process::id());
    match postgres_admin {
        None => Ok(format!(
            "sqlite://{}",
            dir.join(format!("{name}.sqlite")).display()
        )),
        Some(admin) => {
            sqlx::any::install_default_drivers();
            let mut conn =
                sqlx::AnyConnection::connect(admin)
                    .await
                    .map_err(|e| StoreError::Unreachable {
                        url: redact_url(admin),
                        reason: e.to_string(),
                    })?;
            sqlx::query(AssertSqlSafe(format!("CREATE DATABASE {name}")))
                .execute(&mut conn)
                .await?;
            conn.close().await?;
            let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap_or(admin);
            Ok(format!("{base}/{name}"))
        }
    }
}

/// A new, empty, migrated store (see [`fresh_database_url`]); also returns its URL.
pub async fn fresh_store(postgres_admin: Option<&str>, dir: &Path) -> Result<(Store, String)> {
    let url = fresh_database_url(postgres_admin, dir).await?;
    let store = Store::connect(&url).await?;
    store.migrate().await?;
    Ok((store, url))
}
