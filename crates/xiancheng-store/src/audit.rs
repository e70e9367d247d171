//! The audit trail in the database: entries appended inside the writing transaction, the
//! chain head kept beside them, and verification of the whole chain.

use crate::connect::Store;
use crate::error::{Result, StoreError};
use crate::sql::{Val, bind_all, int, opt_int, text};
use sqlx::{AnyConnection, Row};
use xiancheng_core::Timestamp;
use xiancheng_core::audit::{AuditEntry, ChainProblem, FieldChange, verify_chain};
use xiancheng_core::auth::Actor;

/// What a change was, before it is sealed into the chain.
#[derive(Debug, Clone)]
pub struct Change {
    pub action: &'static str,
    pub object_kind: &'static str,
    pub object_id: i64,
    pub county_id: Option<i64>,
    pub changes: Vec<FieldChange>,
}

/// Appends one entry, chained to the last, in the caller's transaction.
pub(crate) async fn append(
    conn: &mut AnyConnection,
    now: Timestamp,
    actor: Option<&Actor>,
    change: Change,
) -> Result<AuditEntry> {
    // Taking the head row first serializes writers on PostgreSQL; SQLite has one writer.
    let head =
        sqlx::query("UPDATE audit_head SET seq = seq + 1 WHERE name = 'head' RETURNING seq, hash")
            .fetch_one(&mut *conn)
            .await?;
    let seq: i64 = head.try_get("seq")?;
    let prev_hash: String = head.try_get("hash")?;
    let entry = AuditEntry {
        seq,
        at: now.to_string(),
        actor_id: actor.map(|a| a.user_id),
        actor_name: actor
            .map(|a| a.username.clone())
            .unwrap_or_else(|| "system".to_owned()),
        action: change.action.to_owned(),
        object_kind: change.object_kind.to_owned(),
        object_id: change.object_id,
        county_id: change.county_id,
        changes: change.changes,
        prev_hash: String::new(),
        hash: String::new(),
    }
    .seal(&prev_hash);
    let changes =
        serde_json::to_string(&entry.changes).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    bind_all(
        sqlx::query(
            "INSERT INTO audit_log (seq, at, actor_id, actor_name, action, object_kind, object_id, county_id, changes, prev_hash, hash) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        ),
        &[
            seq.into(),
            (&entry.at).into(),
            entry.actor_id.into(),
            (&entry.actor_name).into(),
            (&entry.action).into(),
            (&entry.object_kind).into(),
            entry.object_id.into(),
            entry.county_id.into(),
            changes.into(),
            (&entry.prev_hash).into(),
            (&entry.hash).into(),
        ],
    )
    .execute(&mut *conn)
    .await?;
    sqlx::query("UPDATE audit_head SET hash = $1 WHERE name = 'head'")
        .bind(entry.hash.clone())
        .execute(&mut *conn)
        .await?;
    Ok(entry)
}

fn entry_from(r: &sqlx::any::AnyRow) -> Result<AuditEntry> {
    let changes: Vec<FieldChange> = serde_json::from_str(&text(r, "changes")?)
        .map_err(|e| StoreError::Corrupt(format!("audit_log.changes: {e}")))?;
    Ok(AuditEntry {
        seq: int(r, "seq")?,
        at: text(r, "at")?,
        actor_id: opt_int(r, "actor_id")?,
        actor_name: text(r, "actor_name")?,
        action: text(r, "action")?,
        object_kind: text(r, "object_kind")?,
        object_id: int(r, "object_id")?,
        county_id: opt_int(r, "county_id")?,
        changes,
        prev_hash: text(r, "prev_hash")?,
        hash: text(r, "hash")?,
    })
}

/// The result of `audit verify`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditVerification {
    pub entries: usize,
    pub head: i64,
    pub problems: Vec<ChainProblem>,
}

impl Store {
    /// Entries about one object (its history), or all, oldest first.
    pub async fn audit_entries(&self, object: Option<(&str, i64)>) -> Result<Vec<AuditEntry>> {
        let rows = match object {
            Some((kind, id)) => {
                bind_all(sqlx::query("SELECT * FROM audit_log WHERE object_kind = $1 AND object_id = $2 ORDER BY seq"), &[Val::from(kind), id.into()])
                    .fetch_all(&self.pool)
                    .await?
            }
            None => sqlx::query("SELECT * FROM audit_log ORDER BY seq").fetch_all(&self.pool).await?,
        };
        rows.iter().map(entry_from).collect()
    }

    /// Recomputes the whole chain and compares it with the recorded head.
    pub async fn verify_audit(&self) -> Result<AuditVerification> {
        let entries = self.audit_entries(None).await?;
        let head: i64 = sqlx::query("SELECT seq FROM audit_head WHERE name = 'head'")
            .fetch_one(&self.pool)
            .await?
            .try_get("seq")?;
        let problems = verify_chain(&entries, head);
        Ok(AuditVerification {
            entries: entries.len(),
            head,
            problems,
        })
    }
}
