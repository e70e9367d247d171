//! Persistence for xiancheng: one [`Store`] over SQLite (embedded, the default) or
//! PostgreSQL, chosen by the database URL.
//!
//! This is the only crate that contains SQL. It uses sqlx's `Any` driver with runtime
//! queries, so each statement is written once; the schema keeps to the types `Any` decodes
//! on both backends (see `migrations/README.md`). Rows are decoded into core types here and
//! never leave the crate as rows.
//!
//! Layout: [`connect`] (URLs, pool set-up, the errors a person can act on), [`migrate`]
//! (embedded paired migrations and the schema-version guard), `sql` (bulk inserts and
//! typed column getters), `write` (datasets and reference data in), `read` (queries out).

pub mod accounts;
pub mod audit;
mod cache;
pub mod connect;
pub mod dispatch;
pub mod error;
pub mod migrate;
mod read;
mod rollup_sql;
mod sql;
pub mod testing;
mod write;

pub use connect::{Backend, Store};
pub use error::StoreError;
pub use read::{ProjectFilter, ProjectPage, ProjectSort, ProjectSummary, TableCount};
pub use rollup_sql::SqlDimension;
pub use write::IdPolicy;
