//! Embedded, paired migrations and the schema-version guard.
//!
//! Each backend has its own folder of `NNNN_name.sql` files with identical versions and
//! names. Applied migrations are recorded in `schema_migrations` with a checksum; a
//! database whose schema is newer than the binary, or whose applied migrations differ from
//! the embedded ones, is refused with a message that says why.

use crate::connect::{Backend, Store};
use crate::error::{Result, StoreError};
use sqlx::{AssertSqlSafe, Row};

/// One migration: its version, its name and the SQL for one backend.
#[derive(Debug, Clone, Copy)]
pub struct Migration {
    pub version: i64,
    pub name: &'static str,
    pub sql: &'static str,
}

// Each list names the files of its folder, `NNNN_name.sql`; a test checks that every file is
// listed and that the two lists pair up.
pub const SQLITE: &[Migration] = &[
    Migration {
        version: 1,
        name: "init",
        sql: include_str!("../migrations/sqlite/0001_init.sql"),
    },
    Migration {
        version: 2,
        name: "accounts_dispatch_audit",
        sql: include_str!("../migrations/sqlite/0002_accounts_dispatch_audit.sql"),
    },
];
pub const POSTGRES: &[Migration] = &[
    Migration {
        version: 1,
        name: "init",
        sql: include_str!("../migrations/postgres/0001_init.sql"),
    },
    Migration {
        version: 2,
        name: "accounts_dispatch_audit",
        sql: include_str!("../migrations/postgres/0002_accounts_dispatch_audit.sql"),
    },
];

/// The embedded migrations for a backend.
pub fn embedded(backend: Backend) -> &'static [Migration] {
    match backend {
        Backend::Sqlite => SQLITE,
        Backend::Postgres => POSTGRES,
    }
}

/// The newest schema version this binary knows.
pub fn known_version() -> i64 {
    SQLITE.iter().map(|m| m.version).max().unwrap_or(0)
}

/// FNV-1a, 64 bits: enough to notice an edited migration, and no dependency.
pub fn checksum(sql: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in sql.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}

/// What `migrate` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationReport {
    pub applied: Vec<i64>,
    pub version: i64,
}

const CREATE_TABLE: &str = "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL)";

impl Store {
    /// Applied migrations as (version, checksum), oldest first; empty on a new database.
    async fn applied_migrations(&self) -> Result<Vec<(i64, String)>> {
        sqlx::query(CREATE_TABLE).execute(&self.pool).await?;
        let rows = sqlx::query("SELECT version, checksum FROM schema_migrations ORDER BY version")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    r.try_get::<i64, _>("version")?,
                    r.try_get::<String, _>("checksum")?,
                ))
            })
            .collect::<Result<Vec<_>, sqlx::Error>>()
            .map_err(StoreError::from)
    }

    /// Checks applied migrations against the embedded ones; returns the current version.
    async fn verify_applied(&self) -> Result<i64> {
        let applied = self.applied_migrations().await?;
        let known = known_version();
        let found = applied.last().map(|(v, _)| *v).unwrap_or(0);
        if found > known {
            return Err(StoreError::SchemaTooNew { found, known });
        }
        for (version, sum) in &applied {
            let embedded = embedded(self.backend())
                .iter()
                .find(|m| m.version == *version);
            if embedded.map(|m| checksum(m.sql)) != Some(sum.clone()) {
                return Err(StoreError::MigrationChanged { version: *version });
            }
        }
        Ok(found)
    }

    /// Applies every pending migration, each in its own transaction.
    pub async fn migrate(&self) -> Result<MigrationReport> {
        let current = self.verify_applied().await?;
        let mut applied = Vec::new();
        for migration in embedded(self.backend())
            .iter()
            .filter(|m| m.version > current)
        {
            let mut tx = self.pool.begin().await?;
            sqlx::raw_sql(AssertSqlSafe(migration.sql))
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)",
            )
            .bind(migration.version)
            .bind(migration.name)
            .bind(checksum(migration.sql))
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            tracing::info!(
                version = migration.version,
                name = migration.name,
                "migration applied"
            );
            applied.push(migration.version);
        }
        Ok(MigrationReport {
            applied,
            version: known_version(),
        })
    }

    /// Refuses to go on unless the schema is exactly the one this binary knows.
    pub async fn check_schema(&self) -> Result<()> {
        let found = self.verify_applied().await?;
        let known = known_version();
        if found < known {
            return Err(StoreError::NotMigrated { found, known });
        }
        Ok(())
    }
}
