//! The admission pipeline's queries: candidates with a member's personal fields, their dated steps
//! (each step's facts kept as the JSON the domain's rules read), the members introducing them, and
//! the probationers whose full membership is due. Every write happens inside the caller's
//! transaction; the access layer checks the scope and the rules and writes the audit row.

pub(crate) mod classes;
pub(crate) mod columns;
pub(crate) mod figures;

use std::collections::HashMap;

use chrono::NaiveDate;
use dangbo_domain::admission::{NominatedBy, Stage, Step};
use dangbo_domain::members::MemberRecord;
use serde::Serialize;

use crate::engine::Value;
use crate::engine::sql::{in_force, in_subtree};
use crate::members::{RECORD_COLUMNS, record_from_row, record_values};
use crate::tree::{Unit, subtree_bounds};
use crate::{Result, StoreError, Tx};

/// A candidate as stored, with the branch preparing them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Candidate {
    pub id: i64,
    /// The personal fields; the code is the file's, and becomes the member's code at the decision.
    #[serde(flatten)]
    pub record: MemberRecord,
    pub unit_id: i64,
    pub unit_code: String,
    #[serde(skip)]
    pub unit_path: String,
    pub nominated_by: NominatedBy,
    /// Where the file stands: the stage of its last step, and that step's date.
    pub stage: Stage,
    pub stage_on: NaiveDate,
    /// The member the decision created, once decided.
    pub member_code: Option<String>,
    #[serde(skip)]
    pub member_id: Option<i64>,
}

/// A recorded step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredStep {
    pub id: i64,
    #[serde(flatten)]
    pub step: Step,
    pub recorded_by: String,
}

/// A full member introducing a candidate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Introducer {
    pub member_code: String,
    pub full_name: String,
    pub assigned_on: NaiveDate,
}

const CANDIDATE_FIELDS: &str = "c.*, u.code AS unit_code, m.code AS member_code";
const CANDIDATES_FROM: &str =
    "candidates c JOIN units u ON u.id = c.unit_id LEFT JOIN members m ON m.id = c.member_id";

fn decode<T>(value: Option<T>, what: &str, text: &str) -> std::result::Result<T, sqlx::Error> {
    value.ok_or_else(|| sqlx::Error::Decode(format!("unknown {what} {text}").into()))
}

macro_rules! candidate_from_row {
    ($row:ident) => {
        (|| -> std::result::Result<Candidate, sqlx::Error> {
            let nominated_by: String = $row.try_get("nominated_by")?;
            let stage: String = $row.try_get("stage")?;
            Ok(Candidate {
                id: $row.try_get("id")?,
                record: record_from_row!($row)?,
                unit_id: $row.try_get("unit_id")?,
                unit_code: $row.try_get("unit_code")?,
                unit_path: $row.try_get("unit_path")?,
                nominated_by: decode(
                    NominatedBy::parse(&nominated_by),
                    "nominating body",
                    &nominated_by,
                )?,
                stage: decode(Stage::parse(&stage), "stage", &stage)?,
                stage_on: $row.try_get("stage_on")?,
                member_code: $row.try_get("member_code")?,
                member_id: $row.try_get("member_id")?,
            })
        })()
    };
}

/// Whether a code is already another candidate's.
pub(crate) async fn code_taken(tx: &mut Tx, code: &str) -> Result<bool> {
    let found = fetch_optional!(
        tx,
        "SELECT COUNT(*) AS n FROM candidates WHERE code = $1",
        [code],
        |row| row.try_get::<i64, _>("n")
    )?;
    Ok(found.unwrap_or(0) > 0)
}

/// Files a candidate (already checked) at their first step's stage; returns the id.
pub(crate) async fn insert(
    tx: &mut Tx,
    record: &MemberRecord,
    unit: &Unit,
    nominated_by: NominatedBy,
    first: &Step,
    recorded_by: &str,
) -> Result<i64> {
    let mut columns: Vec<&str> = RECORD_COLUMNS.to_vec();
    columns.extend([
        "unit_id",
        "unit_path",
        "nominated_by",
        "stage",
        "stage_on",
        "recorded_by",
    ]);
    let mut values = record_values(record);
    values.extend([
        Value::from(unit.id),
        unit.path.clone().into(),
        nominated_by.code().into(),
        first.stage().code().into(),
        first.date().into(),
        recorded_by.into(),
    ]);
    let placeholders: Vec<String> = (1..=values.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "INSERT INTO candidates ({}) VALUES ({})",
        columns.join(", "),
        placeholders.join(", ")
    );
    tx.execute_values(&sql, &values).await?;
    let id = fetch_optional!(
        tx,
        "SELECT id FROM candidates WHERE code = $1",
        [record.code.as_str()],
        |row| row.try_get::<i64, _>("id")
    )?
    .ok_or_else(|| StoreError::NotFound("hồ sơ vừa thêm".into()))?;
    add_step(tx, id, first, recorded_by).await?;
    Ok(id)
}

/// Appends a step (already checked) and moves the file to its stage.
pub(crate) async fn add_step(
    tx: &mut Tx,
    candidate_id: i64,
    step: &Step,
    recorded_by: &str,
) -> Result<()> {
    let facts = serde_json::to_string(step)
        .map_err(|e| StoreError::invalid("admission.step", e.to_string()))?;
    execute!(
        tx,
        "INSERT INTO candidate_steps (candidate_id, stage, step_date, facts, recorded_by) \
         VALUES ($1, $2, $3, $4, $5)",
        [
            candidate_id,
            step.stage().code(),
            step.date(),
            facts,
            recorded_by
        ]
    )?;
    execute!(
        tx,
        "UPDATE candidates SET stage = $1, stage_on = $2 WHERE id = $3",
        [step.stage().code(), step.date(), candidate_id]
    )?;
    Ok(())
}

/// The open files of a branch a restructure moves whole (a merge, a move under a new parent, a
/// dissolution into another branch) follow it to the unit that takes its members; admitted and
/// stopped files stay with the branch they went through. Returns how many moved.
pub(crate) async fn follow_unit(tx: &mut Tx, from: &Unit, to: &Unit, on: NaiveDate) -> Result<u64> {
    let moved = execute!(
        tx,
        "UPDATE candidates SET unit_id = $1, unit_path = $2 \
         WHERE unit_id = $3 AND stage NOT IN ('admitted', 'stopped')",
        [to.id, to.path.as_str(), from.id]
    )?;
    if moved > 0 {
        crate::figures::summary::touch(tx, &from.path, on).await?;
        crate::figures::summary::touch(tx, &to.path, on).await?;
    }
    Ok(moved)
}

/// Links the member a decision created to the file.
pub(crate) async fn link_member(tx: &mut Tx, candidate_id: i64, member_id: i64) -> Result<()> {
    execute!(
        tx,
        "UPDATE candidates SET member_id = $1 WHERE id = $2",
        [member_id, candidate_id]
    )?;
    Ok(())
}

pub(crate) async fn by_code(tx: &mut Tx, code: &str) -> Result<Option<Candidate>> {
    let sql = format!("SELECT {CANDIDATE_FIELDS} FROM {CANDIDATES_FROM} WHERE c.code = $1");
    Ok(fetch_optional!(
        tx,
        sql,
        [code],
        |row| candidate_from_row!(row)
    )?)
}

/// The candidates prepared in the subtree of `scope_path`, in Vietnamese name order; with
/// `open_only`, those whose file is neither stopped nor admitted.
pub(crate) async fn under(
    tx: &mut Tx,
    scope_path: &str,
    open_only: bool,
) -> Result<Vec<Candidate>> {
    let (lo, hi) = subtree_bounds(scope_path);
    let open = if open_only {
        " AND c.stage NOT IN ('admitted', 'stopped')"
    } else {
        ""
    };
    let sql = format!(
        "SELECT {CANDIDATE_FIELDS} FROM {CANDIDATES_FROM} WHERE {}{open} \
         ORDER BY c.sort_key, c.code",
        in_subtree("c.unit_path", "$1", "$2")
    );
    Ok(fetch_all!(tx, sql, [lo, hi], |row| candidate_from_row!(
        row
    ))?)
}

/// The steps of some candidates, in the order they were recorded.
pub(crate) async fn steps_of(tx: &mut Tx, ids: &[i64]) -> Result<HashMap<i64, Vec<StoredStep>>> {
    let mut out: HashMap<i64, Vec<StoredStep>> = HashMap::new();
    for chunk in ids.chunks(500) {
        let list = crate::engine::id_list(chunk);
        let sql = format!(
            "SELECT id, candidate_id, facts, recorded_by FROM candidate_steps \
             WHERE candidate_id IN ({list}) ORDER BY candidate_id, id"
        );
        let rows = fetch_all!(tx, sql, [], |row| {
            let facts: String = row.try_get("facts")?;
            let step: Step = serde_json::from_str(&facts)
                .map_err(|e| sqlx::Error::Decode(format!("step {facts}: {e}").into()))?;
            Ok((
                row.try_get::<i64, _>("candidate_id")?,
                StoredStep {
                    id: row.try_get("id")?,
                    step,
                    recorded_by: row.try_get("recorded_by")?,
                },
            ))
        })?;
        for (candidate, step) in rows {
            out.entry(candidate).or_default().push(step);
        }
    }
    Ok(out)
}

pub(crate) async fn introducers(tx: &mut Tx, candidate_id: i64) -> Result<Vec<Introducer>> {
    Ok(fetch_all!(
        tx,
        "SELECT m.code, m.full_name, i.assigned_on FROM candidate_introducers i \
         JOIN members m ON m.id = i.member_id WHERE i.candidate_id = $1 \
         ORDER BY i.assigned_on, m.sort_key",
        [candidate_id],
        |row| Ok(Introducer {
            member_code: row.try_get("code")?,
            full_name: row.try_get("full_name")?,
            assigned_on: row.try_get("assigned_on")?,
        })
    )?)
}

pub(crate) async fn add_introducer(
    tx: &mut Tx,
    candidate_id: i64,
    member_id: i64,
    assigned_on: NaiveDate,
    recorded_by: &str,
) -> Result<()> {
    let taken = fetch_optional!(
        tx,
        "SELECT COUNT(*) AS n FROM candidate_introducers WHERE candidate_id = $1 AND member_id = $2",
        [candidate_id, member_id],
        |row| row.try_get::<i64, _>("n")
    )?;
    if taken.unwrap_or(0) > 0 {
        return Err(StoreError::Fields(vec![(
            "member".into(),
            "đảng viên này đã là người giới thiệu của hồ sơ".into(),
        )]));
    }
    execute!(
        tx,
        "INSERT INTO candidate_introducers (candidate_id, member_id, assigned_on, recorded_by) \
         VALUES ($1, $2, $3, $4)",
        [candidate_id, member_id, assigned_on, recorded_by]
    )?;
    Ok(())
}

/// Members of a unit itself (not its subtree) with a given status on a date.
pub(crate) async fn count_with_status(
    tx: &mut Tx,
    unit_id: i64,
    status: &str,
    on: NaiveDate,
) -> Result<i64> {
    let sql = format!(
        "SELECT COUNT(*) AS n FROM member_spans s WHERE s.unit_id = $1 AND s.status = $2 AND {}",
        in_force("s.from_date", "s.to_date", "$3")
    );
    Ok(fetch_optional!(tx, sql, [unit_id, status, on], |row| row
        .try_get::<i64, _>("n"))?
    .unwrap_or(0))
}

/// A member's status (`full`, `probationary`) and unit on a date, if active then.
pub(crate) async fn status_of(
    tx: &mut Tx,
    member_id: i64,
    on: NaiveDate,
) -> Result<Option<(String, i64)>> {
    let sql = format!(
        "SELECT s.status, s.unit_id FROM member_spans s WHERE s.member_id = $1 AND {}",
        in_force("s.from_date", "s.to_date", "$2")
    );
    Ok(fetch_optional!(tx, sql, [member_id, on], |row| Ok((
        row.try_get::<String, _>("status")?,
        row.try_get::<i64, _>("unit_id")?
    )))?)
}

/// Whether a unit, or one above it, lies in a hardship area (the flag holds for a subtree).
pub(crate) async fn in_hardship_area(tx: &mut Tx, unit_path: &str) -> Result<bool> {
    let ids: Vec<i64> = unit_path
        .split('/')
        .filter_map(|part| part.parse::<i64>().ok())
        .collect();
    if ids.is_empty() {
        return Ok(false);
    }
    let sql = format!(
        "SELECT COUNT(*) AS n FROM units WHERE hardship_area = 1 AND id IN ({})",
        crate::engine::id_list(&ids)
    );
    Ok(fetch_optional!(tx, sql, [], |row| row.try_get::<i64, _>("n"))?.unwrap_or(0) > 0)
}

/// A member on probation on a date, with where their probation counts from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Probationer {
    pub code: String,
    pub full_name: String,
    pub unit_id: i64,
    /// The ceremony of their latest admission (or readmission), else its decision.
    pub probation_from: NaiveDate,
}

/// The members on probation in the subtree of `scope_path` on `on`.
pub(crate) async fn probationers_under(
    tx: &mut Tx,
    scope_path: &str,
    on: NaiveDate,
) -> Result<Vec<Probationer>> {
    let (lo, hi) = subtree_bounds(scope_path);
    let sql = format!(
        "SELECT m.code, m.full_name, s.unit_id, e.event_date, e.ceremony_date \
         FROM member_spans s JOIN members m ON m.id = s.member_id \
         JOIN member_events e ON e.member_id = s.member_id \
           AND e.kind IN ('admission', 'readmission') AND e.event_date <= $3 \
         WHERE s.status = 'probationary' AND {} AND {} \
         ORDER BY m.code, e.event_date",
        in_subtree("s.unit_path", "$1", "$2"),
        in_force("s.from_date", "s.to_date", "$3")
    );
    let rows = fetch_all!(tx, sql, [lo, hi, on], |row| {
        let decided: NaiveDate = row.try_get("event_date")?;
        let ceremony: Option<NaiveDate> = row.try_get("ceremony_date")?;
        Ok(Probationer {
            code: row.try_get("code")?,
            full_name: row.try_get("full_name")?,
            unit_id: row.try_get("unit_id")?,
            probation_from: ceremony.unwrap_or(decided),
        })
    })?;
    // Rows come by member and date: the latest admission of each member is the one in force.
    let mut latest: Vec<Probationer> = Vec::new();
    for row in rows {
        match latest.last_mut() {
            Some(last) if last.code == row.code => *last = row,
            _ => latest.push(row),
        }
    }
    Ok(latest)
}
