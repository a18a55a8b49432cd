//! Training facts: the levels a person reached, dated. Figures "as of D" take the highest level
//! a member had reached by D; a member with no fact of a kind keeps the level on their record
//! (the only one known), and one whose facts all come after D has no known level on D.

use std::collections::HashMap;

use chrono::NaiveDate;
use dangbo_domain::education::TrainingKind;
use serde::Serialize;

use crate::{Result, StoreError, Tx};

/// A member's fact as the summary counts it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct LevelFact {
    pub kind: TrainingKind,
    pub on: NaiveDate,
    pub level: String,
}

/// A training fact as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrainingFact {
    pub id: i64,
    pub kind: TrainingKind,
    pub level: String,
    /// The level's Vietnamese name.
    pub level_label: String,
    pub on: NaiveDate,
    pub institution: String,
    /// `diploma` or `equivalence` (giấy chứng nhận tương đương).
    pub proof: String,
    pub diploma: String,
}

/// A SQL `CASE` giving a level's rank (0 the lowest) from a column of codes; `otherwise` for
/// NULL or a code of another kind.
pub(crate) fn rank_of(kind: TrainingKind, column: &str, otherwise: i64) -> String {
    let arms: Vec<String> = kind
        .levels()
        .iter()
        .enumerate()
        .map(|(i, code)| format!("WHEN '{code}' THEN {i}"))
        .collect();
    format!("(CASE {column} {} ELSE {otherwise} END)", arms.join(" "))
}

/// The facts of kind `kind` of the member whose id is the SQL expression `member`.
fn member_facts(kind: TrainingKind, member: &str) -> String {
    format!(
        "persons lp JOIN training_facts lf ON lf.person_id = lp.id \
         WHERE lp.member_id = {member} AND lf.kind = '{}'",
        kind.code()
    )
}

/// A SQL expression for the level code of kind `kind` the member `member` (an id expression)
/// held on `on` (a placeholder); `record` is the record's column of that level.
pub(crate) fn member_level_on(kind: TrainingKind, member: &str, record: &str, on: &str) -> String {
    let facts = member_facts(kind, member);
    format!(
        "(CASE WHEN EXISTS (SELECT 1 FROM {facts}) THEN (SELECT lf.level FROM {facts} \
         AND lf.on_date <= {on} ORDER BY {} DESC LIMIT 1) ELSE {record} END)",
        rank_of(kind, "lf.level", -1)
    )
}

/// A SQL expression for the rank of the level of kind `kind` the person `person` (an id
/// expression) held on `on`: their facts, else their member record's level; -1 when none is
/// known.
pub(crate) fn person_rank_on(kind: TrainingKind, person: &str, on: &str) -> String {
    let k = kind.code();
    format!(
        "(CASE WHEN EXISTS (SELECT 1 FROM training_facts rf WHERE rf.person_id = {person} \
         AND rf.kind = '{k}') THEN COALESCE((SELECT MAX({}) FROM training_facts rf \
         WHERE rf.person_id = {person} AND rf.kind = '{k}' AND rf.on_date <= {on}), -1) \
         ELSE COALESCE((SELECT {} FROM persons rp JOIN members rm ON rm.id = rp.member_id \
         WHERE rp.id = {person}), -1) END)",
        rank_of(kind, "rf.level", -1),
        rank_of(kind, &format!("rm.{}", kind.member_field()), -1),
    )
}

/// The facts of some members, by member.
pub(crate) async fn of_members(
    tx: &mut Tx,
    member_ids: &[i64],
) -> Result<HashMap<i64, Vec<LevelFact>>> {
    let mut out: HashMap<i64, Vec<LevelFact>> = HashMap::new();
    for chunk in member_ids.chunks(2000) {
        let list = crate::engine::id_list(chunk);
        let sql = format!(
            "SELECT p.member_id, f.kind, f.on_date, f.level FROM training_facts f \
             JOIN persons p ON p.id = f.person_id WHERE p.member_id IN ({list})"
        );
        let rows = fetch_all!(tx, sql, [], |row| {
            let kind: String = row.try_get("kind")?;
            Ok((
                row.try_get::<i64, _>("member_id")?,
                LevelFact {
                    kind: TrainingKind::parse(&kind).ok_or_else(|| {
                        sqlx::Error::Decode(format!("unknown training kind {kind}").into())
                    })?,
                    on: row.try_get("on_date")?,
                    level: row.try_get("level")?,
                },
            ))
        })?;
        for (member, fact) in rows {
            out.entry(member).or_default().push(fact);
        }
    }
    for facts in out.values_mut() {
        facts.sort_by(|a, b| (a.kind.code(), a.on, &a.level).cmp(&(b.kind.code(), b.on, &b.level)));
    }
    Ok(out)
}

/// The kinds of which a member has training facts (their record's level of those kinds is the
/// facts' latest, kept by the facts' writer).
pub(crate) async fn kinds_of_member(tx: &mut Tx, member_id: i64) -> Result<Vec<TrainingKind>> {
    let kinds = fetch_all!(
        tx,
        "SELECT DISTINCT f.kind FROM training_facts f JOIN persons p ON p.id = f.person_id \
         WHERE p.member_id = $1",
        [member_id],
        |row| row.try_get::<String, _>("kind")
    )?;
    Ok(kinds
        .iter()
        .filter_map(|k| TrainingKind::parse(k))
        .collect())
}

/// A person's facts, by kind and date.
pub(crate) async fn of_person(tx: &mut Tx, person_id: i64) -> Result<Vec<TrainingFact>> {
    Ok(fetch_all!(
        tx,
        "SELECT * FROM training_facts WHERE person_id = $1 ORDER BY kind, on_date, id",
        [person_id],
        |row| {
            let kind: String = row.try_get("kind")?;
            let kind = TrainingKind::parse(&kind).ok_or_else(|| {
                sqlx::Error::Decode(format!("unknown training kind {kind}").into())
            })?;
            let level: String = row.try_get("level")?;
            Ok(TrainingFact {
                id: row.try_get("id")?,
                kind,
                level_label: kind.level_label_vi(&level).unwrap_or_default().to_string(),
                level,
                on: row.try_get("on_date")?,
                institution: row.try_get("institution")?,
                proof: row.try_get("proof")?,
                diploma: row.try_get("diploma")?,
            })
        }
    )?)
}

/// A new fact's columns.
pub(crate) struct FactRow<'a> {
    pub person_id: i64,
    pub kind: TrainingKind,
    pub level: &'a str,
    pub on: NaiveDate,
    pub institution: &'a str,
    pub proof: &'a str,
    pub diploma: &'a str,
}

pub(crate) async fn insert(tx: &mut Tx, row: &FactRow<'_>, recorded_by: &str) -> Result<i64> {
    let id = fetch_optional!(
        tx,
        "INSERT INTO training_facts (person_id, kind, level, on_date, institution, proof, \
         diploma, recorded_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        [
            row.person_id,
            row.kind.code(),
            row.level,
            row.on,
            row.institution,
            row.proof,
            row.diploma,
            recorded_by
        ],
        |r| r.try_get::<i64, _>("id")
    )?;
    id.ok_or_else(|| StoreError::NotFound("quá trình đào tạo vừa ghi".into()))
}

/// Whether the person already has this fact.
pub(crate) async fn exists(
    tx: &mut Tx,
    person_id: i64,
    kind: TrainingKind,
    level: &str,
    on: NaiveDate,
) -> Result<bool> {
    Ok(fetch_optional!(
        tx,
        "SELECT id FROM training_facts WHERE person_id = $1 AND kind = $2 AND level = $3 \
         AND on_date = $4",
        [person_id, kind.code(), level, on],
        |r| r.try_get::<i64, _>("id")
    )?
    .is_some())
}
