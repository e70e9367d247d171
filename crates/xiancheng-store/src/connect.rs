//! Opening a store from a URL: `sqlite://PATH` (or `sqlite::memory:`) and
//! `postgres://USER:PASSWORD@HOST/DB`. SQLite runs in WAL mode with foreign keys on.
//! Passwords never appear in messages or `Debug` output.

use crate::error::{Result, StoreError};
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, ConnectOptions, Connection, Executor};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;
use xiancheng_core::Timestamp;

/// The database behind a store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "SQLite",
            Backend::Postgres => "PostgreSQL",
        }
    }
}

/// Where the store gets the time for audit entries, sessions and tokens.
pub type Clock = Arc<dyn Fn() -> Timestamp + Send + Sync>;

/// The system clock, in whole seconds.
pub fn system_clock() -> Clock {
    Arc::new(|| {
        Timestamp(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|d| d.as_secs() as i64)
                .unwrap_or(0),
        )
    })
}

/// The one store. Cheap to clone (the pool is shared).
#[derive(Clone)]
pub struct Store {
    pub(crate) pool: AnyPool,
    backend: Backend,
    url_redacted: String,
    clock: Clock,
    pub(crate) cache: Arc<crate::cache::DatasetCache>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("backend", &self.backend)
            .field("url", &self.url_redacted)
            .finish()
    }
}

/// The URL with any password replaced by `***`.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let userinfo = &url[scheme_end + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => {
                    format!("{}://{user}:***@{}", &url[..scheme_end], &url[at + 1..])
                }
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

fn backend_of(url: &str) -> Result<Backend> {
    let scheme = url
        .split(':')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    match scheme.as_str() {
        "sqlite" => Ok(Backend::Sqlite),
        "postgres" | "postgresql" => Ok(Backend::Postgres),
        _ => Err(StoreError::InvalidUrl {
            url: redact_url(url),
            reason: format!(
                "不支持的协议“{scheme}”，应为 sqlite://文件路径 或 postgres://用户:口令@主机/库名 (expected sqlite:// or postgres://)"
            ),
        }),
    }
}

/// The file path of a SQLite URL, when it names a file.
fn sqlite_path(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or_default();
    (!path.is_empty() && !path.starts_with(":memory:")).then(|| path.to_owned())
}

impl Store {
    /// Opens a pool on `url`. For SQLite the file is created if missing; an existing file
    /// that is not a SQLite database is refused before anything is written to it.
    pub async fn connect(url: &str) -> Result<Store> {
        sqlx::any::install_default_drivers();
        let backend = backend_of(url)?;
        let url_redacted = redact_url(url);
        let mut url = url.to_owned();
        if backend == Backend::Sqlite {
            if let Some(path) = sqlite_path(&url) {
                check_sqlite_file(&path)?;
            }
            if !url.contains("mode=") {
                url.push(if url.contains('?') { '&' } else { '?' });
                url.push_str("mode=rwc");
            }
        }
        let options = AnyConnectOptions::from_str(&url)
            .map_err(|e| StoreError::InvalidUrl {
                url: url_redacted.clone(),
                reason: e.to_string(),
            })?
            .log_statements(tracing::log::LevelFilter::Trace);
        let pool_options = AnyPoolOptions::new()
            .max_connections(if backend == Backend::Sqlite { 4 } else { 8 })
            .acquire_timeout(Duration::from_secs(10))
            .after_connect(|conn, _meta| {
                Box::pin(async move {
                    if conn.backend_name() == "SQLite" {
                        conn.execute("PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; PRAGMA synchronous = NORMAL;")
                            .await?;
                    }
                    Ok(())
                })
            });
        // One direct connection first: a refused or misaddressed server fails at once with
        // its real reason, instead of after the pool's retries.
        let map_connect_error = |e: sqlx::Error| match StoreError::from(e) {
            StoreError::NotSqlite { .. } => StoreError::NotSqlite {
                path: sqlite_path(&url).unwrap_or_default(),
            },
            StoreError::Db(e) => StoreError::Unreachable {
                url: url_redacted.clone(),
                reason: e.to_string(),
            },
            other => other,
        };
        let probe = sqlx::AnyConnection::connect_with(&options)
            .await
            .map_err(map_connect_error)?;
        probe.close().await.map_err(map_connect_error)?;
        let pool = pool_options
            .connect_with(options)
            .await
            .map_err(map_connect_error)?;
        Ok(Store {
            pool,
            backend,
            url_redacted,
            clock: system_clock(),
            cache: Arc::new(crate::cache::DatasetCache::default()),
        })
    }

    /// The same store reading time from `clock` (tests fix or advance it).
    pub fn with_clock(mut self, clock: Clock) -> Store {
        self.clock = clock;
        self
    }

    /// The current time by the store's clock.
    pub fn now(&self) -> Timestamp {
        (self.clock)()
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The URL with its password hidden, for messages.
    pub fn url(&self) -> &str {
        &self.url_redacted
    }

    /// Whether the database answers (for `/healthz`).
    pub async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Refuses an existing, non-empty file whose header is not SQLite's, so that a wrong path
/// never gets a WAL file or a schema written next to someone's document.
fn check_sqlite_file(path: &str) -> Result<()> {
    use std::io::Read;
    let Ok(mut file) = std::fs::File::open(path) else {
        return Ok(());
    };
    let mut header = [0u8; 16];
    let read = file.read(&mut header).unwrap_or(0);
    if read == 0 || (read == 16 && &header == b"SQLite format 3\0") {
        Ok(())
    } else {
        Err(StoreError::NotSqlite {
            path: path.to_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_passwords() {
        assert_eq!(
            redact_url("postgres://app:secret@localhost/x"),
            "postgres://app:***@localhost/x"
        );
        assert_eq!(redact_url("sqlite:///tmp/a.db"), "sqlite:///tmp/a.db");
    }

    #[test]
    fn refuses_unknown_schemes() {
        let err = backend_of("mysql://localhost/x").unwrap_err();
        assert!(err.to_string().contains("mysql"));
        assert!(backend_of("postgresql://h/x").is_ok());
    }
}
