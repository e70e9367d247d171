//! The audit trail: who changed what, when, with old and new values. Entries are chained:
//! each carries the SHA-256 of its predecessor's hash and its own content, so an entry
//! edited or removed behind the application's back breaks the chain at that point.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The hash before the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One changed field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    pub field: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

impl FieldChange {
    pub fn new(field: &str, old: Option<String>, new: Option<String>) -> Self {
        FieldChange {
            field: field.to_owned(),
            old,
            new,
        }
    }
}

/// One entry, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    /// Position in the chain, from 1, without gaps.
    pub seq: i64,
    /// When, as `YYYY-MM-DDTHH:MM:SSZ`.
    pub at: String,
    pub actor_id: Option<i64>,
    pub actor_name: String,
    /// What happened: `report.submit`, `user.add`, `county.import` …
    pub action: String,
    pub object_kind: String,
    pub object_id: i64,
    pub county_id: Option<i64>,
    pub changes: Vec<FieldChange>,
    pub prev_hash: String,
    pub hash: String,
}

fn field(out: &mut Vec<u8>, value: &str) {
    // Length-prefixed, so no choice of separators inside values can make two different
    // entries hash alike.
    out.extend_from_slice(value.len().to_string().as_bytes());
    out.push(b':');
    out.extend_from_slice(value.as_bytes());
    out.push(b';');
}

fn opt(value: &Option<String>) -> String {
    match value {
        Some(v) => format!("S{v}"),
        None => "N".to_owned(),
    }
}

impl AuditEntry {
    /// The hash this entry must carry, given its content and `prev_hash`.
    pub fn compute_hash(&self) -> String {
        let mut bytes = Vec::new();
        field(&mut bytes, &self.prev_hash);
        field(&mut bytes, &self.seq.to_string());
        field(&mut bytes, &self.at);
        field(&mut bytes, &opt(&self.actor_id.map(|a| a.to_string())));
        field(&mut bytes, &self.actor_name);
        field(&mut bytes, &self.action);
        field(&mut bytes, &self.object_kind);
        field(&mut bytes, &self.object_id.to_string());
        field(&mut bytes, &opt(&self.county_id.map(|c| c.to_string())));
        field(&mut bytes, &self.changes.len().to_string());
        for c in &self.changes {
            field(&mut bytes, &c.field);
            field(&mut bytes, &opt(&c.old));
            field(&mut bytes, &opt(&c.new));
        }
        Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    /// Fills in `prev_hash` and `hash` for an entry appended after `prev`.
    pub fn seal(mut self, prev_hash: &str) -> Self {
        self.prev_hash = prev_hash.to_owned();
        self.hash = self.compute_hash();
        self
    }
}

/// What `audit verify` finds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum ChainProblem {
    /// The entry's content does not match its hash: it was edited.
    Edited { seq: i64 },
    /// The entry does not follow its predecessor: entries before it were removed or edited.
    Broken { seq: i64 },
    /// Sequence numbers jump: entries were removed.
    Gap { after: i64, next: i64 },
    /// The chain ends before the recorded head: entries at the end were removed.
    Truncated { last: i64, head: i64 },
}

impl std::fmt::Display for ChainProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ChainProblem::Edited { seq } => {
                write!(f, "第 {seq} 条记录的内容与其哈希不符（被改动）")
            }
            ChainProblem::Broken { seq } => {
                write!(f, "第 {seq} 条记录与前一条不衔接（之前的记录被删改）")
            }
            ChainProblem::Gap { after, next } => {
                write!(f, "第 {after} 条之后直接是第 {next} 条（中间记录被删除）")
            }
            ChainProblem::Truncated { last, head } => write!(
                f,
                "记录止于第 {last} 条，但登记的末条为第 {head} 条（末尾记录被删除）"
            ),
        }
    }
}

/// Checks a chain given in sequence order, against the recorded head (the last sequence
/// number the application wrote). Returns every problem found.
pub fn verify_chain(entries: &[AuditEntry], head: i64) -> Vec<ChainProblem> {
    let mut problems = Vec::new();
    let mut prev_hash = GENESIS.to_owned();
    let mut prev_seq = 0;
    for e in entries {
        if e.seq != prev_seq + 1 {
            problems.push(ChainProblem::Gap {
                after: prev_seq,
                next: e.seq,
            });
        }
        if e.compute_hash() != e.hash {
            problems.push(ChainProblem::Edited { seq: e.seq });
        } else if e.prev_hash != prev_hash {
            problems.push(ChainProblem::Broken { seq: e.seq });
        }
        prev_hash = e.hash.clone();
        prev_seq = e.seq;
    }
    if prev_seq < head {
        problems.push(ChainProblem::Truncated {
            last: prev_seq,
            head,
        });
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: i64) -> Vec<AuditEntry> {
        let mut prev = GENESIS.to_owned();
        (1..=n)
            .map(|seq| {
                let e = AuditEntry {
                    seq,
                    at: format!("2026-11-0{}T08:00:00Z", seq % 9 + 1),
                    actor_id: Some(7),
                    actor_name: "县发改局".into(),
                    action: "report.approve".into(),
                    object_kind: "project_report".into(),
                    object_id: 100 + seq,
                    county_id: Some(1),
                    changes: vec![FieldChange::new(
                        "status",
                        Some("submitted".into()),
                        Some("approved".into()),
                    )],
                    prev_hash: String::new(),
                    hash: String::new(),
                }
                .seal(&prev);
                prev = e.hash.clone();
                e
            })
            .collect()
    }

    #[test]
    fn an_intact_chain_verifies() {
        assert!(verify_chain(&chain(5), 5).is_empty());
    }

    #[test]
    fn detects_an_edited_entry() {
        let mut c = chain(5);
        c[2].changes[0].new = Some("draft".into());
        assert_eq!(verify_chain(&c, 5), vec![ChainProblem::Edited { seq: 3 }]);
    }

    #[test]
    fn detects_an_edited_entry_whose_hash_was_recomputed() {
        let mut c = chain(5);
        c[2].actor_name = "someone else".into();
        c[2].hash = c[2].compute_hash();
        assert_eq!(verify_chain(&c, 5), vec![ChainProblem::Broken { seq: 4 }]);
    }

    #[test]
    fn detects_removed_entries_in_the_middle_and_at_the_end() {
        let mut c = chain(5);
        c.remove(1);
        let problems = verify_chain(&c, 5);
        assert!(problems.contains(&ChainProblem::Gap { after: 1, next: 3 }));
        assert!(problems.contains(&ChainProblem::Broken { seq: 3 }));
        let c = chain(5);
        assert_eq!(
            verify_chain(&c[..4], 5),
            vec![ChainProblem::Truncated { last: 4, head: 5 }]
        );
    }

    #[test]
    fn values_cannot_be_shifted_between_fields() {
        let a = FieldChange::new("a;b", Some("c".into()), None);
        let b = FieldChange::new("a", Some("b;c".into()), None);
        let mut x = chain(1).remove(0);
        let mut y = x.clone();
        x.changes = vec![a];
        y.changes = vec![b];
        assert_ne!(x.compute_hash(), y.compute_hash());
    }
}
