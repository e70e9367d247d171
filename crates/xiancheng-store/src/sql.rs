//! Small helpers over sqlx's `Any` driver: typed values for multi-row inserts, and column
//! getters that turn a bad stored value into [`StoreError::Corrupt`] naming the column.

use crate::error::{Result, StoreError};
use sqlx::any::{AnyArguments, AnyRow};
use sqlx::query::Query;
use sqlx::{Any, AnyConnection, AssertSqlSafe, Row};
use xiancheng_core::ValidationError;

/// A value to bind. `None` binds a typed NULL.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Val {
    Int(Option<i64>),
    Real(Option<f64>),
    Text(Option<String>),
}

impl From<i64> for Val {
    fn from(v: i64) -> Self {
        Val::Int(Some(v))
    }
}
impl From<i32> for Val {
    fn from(v: i32) -> Self {
        Val::Int(Some(i64::from(v)))
    }
}
impl From<Option<i64>> for Val {
    fn from(v: Option<i64>) -> Self {
        Val::Int(v)
    }
}
impl From<Option<i32>> for Val {
    fn from(v: Option<i32>) -> Self {
        Val::Int(v.map(i64::from))
    }
}
impl From<bool> for Val {
    fn from(v: bool) -> Self {
        Val::Int(Some(i64::from(v)))
    }
}
impl From<f64> for Val {
    fn from(v: f64) -> Self {
        Val::Real(Some(v))
    }
}
impl From<Option<f64>> for Val {
    fn from(v: Option<f64>) -> Self {
        Val::Real(v)
    }
}
impl From<&str> for Val {
    fn from(v: &str) -> Self {
        Val::Text(Some(v.to_owned()))
    }
}
impl From<String> for Val {
    fn from(v: String) -> Self {
        Val::Text(Some(v))
    }
}
impl From<&String> for Val {
    fn from(v: &String) -> Self {
        Val::Text(Some(v.clone()))
    }
}
impl From<Option<String>> for Val {
    fn from(v: Option<String>) -> Self {
        Val::Text(v)
    }
}

pub(crate) fn bind_all<'q>(
    mut query: Query<'q, Any, AnyArguments>,
    values: &[Val],
) -> Query<'q, Any, AnyArguments> {
    for value in values {
        query = match value {
            Val::Int(v) => query.bind(*v),
            // sqlx's Any driver types a NULL f64 as float4 on PostgreSQL, after which the
            // prepared statement refuses a real f64 in that position; a NULL f32 goes as float8.
            Val::Real(None) => query.bind(None::<f32>),
            Val::Real(Some(v)) => query.bind(*v),
            Val::Text(v) => query.bind(v.clone()),
        };
    }
    query
}

/// Inserts `rows` into `table` in multi-row statements (a few hundred parameters each, well
/// under both backends' limits). `table` and `columns` come from code, never from input.
pub(crate) async fn insert_rows(
    conn: &mut AnyConnection,
    table: &str,
    columns: &[&str],
    rows: &[Vec<Val>],
) -> Result<()> {
    let rows_per_statement = (900 / columns.len()).max(1);
    for chunk in rows.chunks(rows_per_statement) {
        let mut sql = format!("INSERT INTO {table} ({}) VALUES ", columns.join(", "));
        let mut n = 0;
        for (i, row) in chunk.iter().enumerate() {
            debug_assert_eq!(row.len(), columns.len(), "{table}");
            sql.push_str(if i == 0 { "(" } else { ", (" });
            for j in 0..row.len() {
                n += 1;
                sql.push_str(&if j == 0 {
                    format!("${n}")
                } else {
                    format!(", ${n}")
                });
            }
            sql.push(')');
        }
        let values: Vec<Val> = chunk.iter().flatten().cloned().collect();
        bind_all(sqlx::query(AssertSqlSafe(sql)), &values)
            .execute(&mut *conn)
            .await?;
    }
    Ok(())
}

fn corrupt(column: &str, error: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("{column}: {error}"))
}

pub(crate) fn int(row: &AnyRow, column: &str) -> Result<i64> {
    row.try_get::<i64, _>(column)
        .map_err(|e| corrupt(column, e))
}

pub(crate) fn opt_int(row: &AnyRow, column: &str) -> Result<Option<i64>> {
    row.try_get::<Option<i64>, _>(column)
        .map_err(|e| corrupt(column, e))
}

pub(crate) fn text(row: &AnyRow, column: &str) -> Result<String> {
    row.try_get::<String, _>(column)
        .map_err(|e| corrupt(column, e))
}

pub(crate) fn opt_text(row: &AnyRow, column: &str) -> Result<Option<String>> {
    row.try_get::<Option<String>, _>(column)
        .map_err(|e| corrupt(column, e))
}

pub(crate) fn opt_real(row: &AnyRow, column: &str) -> Result<Option<f64>> {
    row.try_get::<Option<f64>, _>(column)
        .map_err(|e| corrupt(column, e))
}

pub(crate) fn real(row: &AnyRow, column: &str) -> Result<f64> {
    row.try_get::<f64, _>(column)
        .map_err(|e| corrupt(column, e))
}

/// Parses a stored value with a core parser (`Stage::parse`, `Date::parse` …).
pub(crate) fn parsed<T>(
    row: &AnyRow,
    column: &str,
    parse: fn(&str, &str) -> Result<T, ValidationError>,
) -> Result<T> {
    let raw = text(row, column)?;
    parse(column, &raw).map_err(|e| corrupt(column, e))
}

pub(crate) fn opt_parsed<T>(
    row: &AnyRow,
    column: &str,
    parse: fn(&str, &str) -> Result<T, ValidationError>,
) -> Result<Option<T>> {
    match opt_text(row, column)? {
        Some(raw) => parse(column, &raw)
            .map(Some)
            .map_err(|e| corrupt(column, e)),
        None => Ok(None),
    }
}

pub(crate) fn int_as<T: TryFrom<i64>>(row: &AnyRow, column: &str) -> Result<T> {
    let v = int(row, column)?;
    T::try_from(v).map_err(|_| corrupt(column, format!("out of range: {v}")))
}
