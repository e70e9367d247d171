//! The store's error type. Database errors are mapped here, in one place, into the cases
//! callers act on; the message of each says what happened and what to do.

/// Errors of the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("数据库地址无效：“{url}”。{reason} (invalid database URL)")]
    InvalidUrl { url: String, reason: String },
    #[error(
        "文件 {path} 不是 SQLite 数据库，请检查 --database-url 或 --data-dir (not a SQLite database)"
    )]
    NotSqlite { path: String },
    #[error(
        "无法连接数据库 {url}：{reason}。请确认数据库服务已启动、地址与口令正确 (database unreachable)"
    )]
    Unreachable { url: String, reason: String },
    #[error(
        "数据库结构版本为 {found}，高于本程序支持的 {known}：请升级 xiancheng 后再启动，勿用旧版本写入 (the database schema is newer than this binary)"
    )]
    SchemaTooNew { found: i64, known: i64 },
    #[error(
        "已执行的迁移 {version} 与本程序内置的不一致（校验和不同）：迁移文件不得修改 (applied migration {version} differs from the embedded one)"
    )]
    MigrationChanged { version: i64 },
    #[error(
        "数据库尚未初始化或版本过旧（当前 {found}，需要 {known}）：请先运行 `xiancheng migrate` (schema not migrated)"
    )]
    NotMigrated { found: i64, known: i64 },
    #[error("无权操作：{0}")]
    Forbidden(String),
    #[error("未找到：{0}")]
    NotFound(String),
    #[error("冲突：{0}")]
    Conflict(String),
    #[error("数据校验失败：{0}")]
    Invalid(#[from] xiancheng_core::ValidationErrors),
    #[error("数据库中的数据无法解读：{0}")]
    Corrupt(String),
    #[error("数据库错误：{0}")]
    Db(#[source] sqlx::Error),
}

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> Self {
        if let Some(db) = error.as_database_error() {
            let message = db.message();
            if db.is_unique_violation() {
                return StoreError::Conflict(message.to_owned());
            }
            if message.contains("file is not a database") {
                return StoreError::NotSqlite {
                    path: String::from("(数据库文件)"),
                };
            }
        }
        match error {
            sqlx::Error::RowNotFound => StoreError::NotFound("记录".into()),
            other => StoreError::Db(other),
        }
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;
