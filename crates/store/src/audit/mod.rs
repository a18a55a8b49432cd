//! The audit log: who changed which record, when, from what to what. Rows are written in the same
//! transaction as the change, never updated or deleted (triggers refuse it), and chained: each row's
//! hash covers its content and the previous row's hash, so editing or removing a row is detectable.

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::engine::Value;
use crate::{Db, Engine, Result, Tx};

/// One row of the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    pub id: i64,
    /// RFC 3339, UTC.
    pub at: String,
    pub actor: String,
    pub action: String,
    pub record_kind: String,
    pub record_key: String,
    pub before_json: String,
    pub after_json: String,
    /// The path of the unit whose subtree the changed record lies in (`/` for the whole database,
    /// empty on rows written before scopes were recorded): who may read the row.
    pub unit_path: String,
    pub prev_hash: String,
    pub hash: String,
}

impl Entry {
    /// The hash this row must carry: SHA-256 over the JSON array of the previous row's hash and
    /// this row's fields. The unit path joins the array when there is one, so rows written before
    /// it existed keep their hashes.
    fn computed_hash(&self) -> String {
        let mut parts = vec![
            &self.prev_hash,
            &self.at,
            &self.actor,
            &self.action,
            &self.record_kind,
            &self.record_key,
            &self.before_json,
            &self.after_json,
        ];
        if !self.unit_path.is_empty() {
            parts.push(&self.unit_path);
        }
        let canonical = serde_json::to_string(&parts).unwrap_or_default();
        hex::encode(Sha256::digest(canonical.as_bytes()))
    }

    /// The time as a `DateTime`, when it parses.
    pub fn time(&self) -> Option<DateTime<Utc>> {
        DateTime::parse_from_rfc3339(&self.at)
            .ok()
            .map(|t| t.with_timezone(&Utc))
    }
}

/// A change to log.
#[derive(Debug, Clone)]
pub struct Change<'a> {
    pub actor: &'a str,
    pub action: &'a str,
    pub record_kind: &'a str,
    pub record_key: &'a str,
    /// The path of the unit the record lies in (see [`Entry::unit_path`]).
    pub unit_path: &'a str,
    pub before: serde_json::Value,
    pub after: serde_json::Value,
}

fn json_text(value: &serde_json::Value) -> String {
    if value.is_null() {
        String::new()
    } else {
        value.to_string()
    }
}

/// Appends a change to the log inside the caller's transaction.
pub async fn append(tx: &mut Tx, change: &Change<'_>) -> Result<()> {
    // Writers take turns so that two transactions never chain onto the same row. On SQLite write
    // transactions are already serial (BEGIN IMMEDIATE); PostgreSQL needs the lock.
    if tx.engine() == Engine::Postgres {
        execute!(
            tx,
            "SELECT pg_advisory_xact_lock($1)",
            [crate::engine::WRITER_LOCK]
        )?;
    }
    let prev = fetch_optional!(
        tx,
        "SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1",
        [],
        |row| row.try_get::<String, _>("hash")
    )?
    .unwrap_or_default();
    let mut entry = Entry {
        id: 0,
        at: Utc::now().to_rfc3339_opts(SecondsFormat::Micros, true),
        actor: change.actor.to_string(),
        action: change.action.to_string(),
        record_kind: change.record_kind.to_string(),
        record_key: change.record_key.to_string(),
        before_json: json_text(&change.before),
        after_json: json_text(&change.after),
        unit_path: change.unit_path.to_string(),
        prev_hash: prev,
        hash: String::new(),
    };
    entry.hash = entry.computed_hash();
    execute!(
        tx,
        "INSERT INTO audit_log (at, actor, action, record_kind, record_key, before_json, after_json, \
         unit_path, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        [
            &entry.at,
            &entry.actor,
            &entry.action,
            &entry.record_kind,
            &entry.record_key,
            &entry.before_json,
            &entry.after_json,
            &entry.unit_path,
            &entry.prev_hash,
            &entry.hash
        ]
    )?;
    Ok(())
}

macro_rules! entry_from_row {
    ($row:ident) => {
        Ok(Entry {
            id: $row.try_get("id")?,
            at: $row.try_get("at")?,
            actor: $row.try_get("actor")?,
            action: $row.try_get("action")?,
            record_kind: $row.try_get("record_kind")?,
            record_key: $row.try_get("record_key")?,
            before_json: $row.try_get("before_json")?,
            after_json: $row.try_get("after_json")?,
            unit_path: $row.try_get("unit_path")?,
            prev_hash: $row.try_get("prev_hash")?,
            hash: $row.try_get("hash")?,
        })
    };
}

/// The result of checking the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verification {
    pub entries: usize,
    /// The first row that does not match its hash or its predecessor, with the reason.
    pub broken_at: Option<(i64, String)>,
}

/// Recomputes every hash in order and checks each row links to the one before it.
pub async fn verify(db: &Db) -> Result<Verification> {
    let mut tx = db.begin().await?;
    let mut prev = String::new();
    let mut entries = 0;
    let mut after_id = 0i64;
    loop {
        let page = fetch_all!(
            &mut tx,
            "SELECT * FROM audit_log WHERE id > $1 ORDER BY id LIMIT 5000",
            [after_id],
            |row| entry_from_row!(row)
        )?;
        let Some(last) = page.last() else { break };
        after_id = last.id;
        for entry in &page {
            entries += 1;
            if entry.prev_hash != prev {
                let reason = "không nối tiếp dòng trước (có dòng bị xóa hoặc chèn)".to_string();
                return Ok(Verification {
                    entries,
                    broken_at: Some((entry.id, reason)),
                });
            }
            if entry.computed_hash() != entry.hash {
                let reason = "nội dung không khớp mã băm (dòng đã bị sửa)".to_string();
                return Ok(Verification {
                    entries,
                    broken_at: Some((entry.id, reason)),
                });
            }
            prev = entry.hash.clone();
        }
    }
    tx.rollback().await?;
    Ok(Verification {
        entries,
        broken_at: None,
    })
}

/// What to list from the log; every field narrows it.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub actor: Option<String>,
    pub record_kind: Option<String>,
    pub record_key: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Keyset paging: rows older than this id.
    pub before_id: Option<i64>,
    /// Only rows about records inside this subtree (its path); every row when `None`.
    pub within: Option<String>,
    pub limit: usize,
}

/// The newest rows matching `filter`, newest first.
pub async fn list(tx: &mut Tx, filter: &Filter) -> Result<Vec<Entry>> {
    let mut conditions = vec!["1 = 1".to_string()];
    let mut values: Vec<Value> = Vec::new();
    let mut add = |condition: &str, value: Value, values: &mut Vec<Value>| {
        values.push(value);
        conditions.push(condition.replace('?', &format!("${}", values.len())));
    };
    if let Some(actor) = filter.actor.as_deref().filter(|a| !a.is_empty()) {
        add("actor = ?", actor.to_string().into(), &mut values);
    }
    if let Some(kind) = filter.record_kind.as_deref().filter(|a| !a.is_empty()) {
        add("record_kind = ?", kind.to_string().into(), &mut values);
    }
    if let Some(key) = filter.record_key.as_deref().filter(|a| !a.is_empty()) {
        add("record_key = ?", key.to_string().into(), &mut values);
    }
    if let Some(from) = filter.from {
        add(
            "at >= ?",
            from.format("%Y-%m-%d").to_string().into(),
            &mut values,
        );
    }
    if let Some(to) = filter.to.and_then(|d| d.succ_opt()) {
        add(
            "at < ?",
            to.format("%Y-%m-%d").to_string().into(),
            &mut values,
        );
    }
    if let Some(id) = filter.before_id {
        add("id < ?", Value::Int(Some(id)), &mut values);
    }
    if let Some(path) = &filter.within {
        let (lo, hi) = crate::tree::subtree_bounds(path);
        add("unit_path >= ?", lo.into(), &mut values);
        add("unit_path < ?", hi.into(), &mut values);
    }
    let sql = format!(
        "SELECT * FROM audit_log WHERE {} ORDER BY id DESC LIMIT {}",
        conditions.join(" AND "),
        filter.limit.clamp(1, 500)
    );
    Ok(fetch_all_values!(tx, sql, &values, |row| entry_from_row!(
        row
    ))?)
}
