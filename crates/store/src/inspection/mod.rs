//! Inspection's queries: cases with their subjects, the discipline decided on subjects, the
//! complaints against it, and the yearly plan items. The access layer checks the capability, the
//! scope and the rules, makes the consequences (events, restructuring) and writes the audit row.

pub(crate) mod columns;
pub(crate) mod figures;

use chrono::NaiveDate;
use dangbo_domain::inspection::{
    Body, CaseKind, ComplaintResult, Conclusion, Discipline, SubjectKind, lapses_on,
};
use serde::Serialize;

use crate::engine::sql::in_subtree;
use crate::tree::subtree_bounds;
use crate::{Result, StoreError, Tx};

/// A case as stored, with its subjects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Case {
    #[serde(skip)]
    pub id: i64,
    pub code: String,
    pub kind: CaseKind,
    /// The unit whose body decided the case.
    pub unit_code: String,
    pub unit_name: String,
    #[serde(skip)]
    pub unit_id: i64,
    #[serde(skip)]
    pub unit_path: String,
    pub body: Body,
    pub decision_number: String,
    pub decided_on: NaiveDate,
    pub started_on: Option<NaiveDate>,
    pub concluded_on: Option<NaiveDate>,
    pub topic: String,
    #[serde(skip)]
    pub plan_item_id: Option<i64>,
    pub subjects: Vec<CaseSubject>,
    /// Its documents (filled for one case, not in lists).
    pub files: Vec<CaseFile>,
}

/// A document of a case, without its content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaseFile {
    pub id: i64,
    pub name: String,
    pub media_type: String,
    pub size: i64,
}

impl Case {
    /// Whether one of its subjects has the decision `id`.
    pub fn has_decision(&self, id: i64) -> bool {
        self.subjects
            .iter()
            .any(|s| s.decisions.iter().any(|d| d.id == id))
    }

    /// Whether a decision on one of its subjects has the complaint `id`.
    pub fn has_complaint(&self, id: i64) -> bool {
        self.subjects.iter().any(|s| {
            s.decisions
                .iter()
                .any(|d| d.complaints.iter().any(|k| k.id == id))
        })
    }

    /// The step the case has reached ("decided", "started", "concluded").
    pub fn stage(&self) -> &'static str {
        if self.concluded_on.is_some() {
            "concluded"
        } else if self.started_on.is_some() {
            "started"
        } else {
            "decided"
        }
    }
}

/// One subject of a case: an organization, or a member (with the unit they belonged to).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaseSubject {
    pub id: i64,
    pub subject_kind: SubjectKind,
    #[serde(skip)]
    pub member_id: Option<i64>,
    pub member_code: Option<String>,
    pub member_name: Option<String>,
    #[serde(skip)]
    pub unit_id: i64,
    pub unit_code: String,
    pub unit_name: String,
    #[serde(skip)]
    pub subject_path: String,
    pub conclusion: Option<Conclusion>,
    pub conclusion_note: String,
    pub decisions: Vec<DisciplineDecision>,
}

impl CaseSubject {
    /// The member's code, or the organization's: what names the subject in a file or a form.
    pub fn key(&self) -> &str {
        self.member_code.as_deref().unwrap_or(&self.unit_code)
    }

    pub fn name(&self) -> &str {
        self.member_name.as_deref().unwrap_or(&self.unit_name)
    }
}

/// A discipline decision on a subject.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DisciplineDecision {
    pub id: i64,
    pub case_code: String,
    #[serde(skip)]
    pub case_subject_id: i64,
    pub subject_kind: SubjectKind,
    #[serde(skip)]
    pub member_id: Option<i64>,
    pub member_code: Option<String>,
    pub member_name: Option<String>,
    pub unit_code: String,
    pub unit_name: String,
    #[serde(skip)]
    pub subject_path: String,
    pub form: Discipline,
    pub decided_by_code: String,
    pub decided_by_name: String,
    pub body: Body,
    pub decision_number: String,
    pub decided_on: NaiveDate,
    pub violation_on: NaiveDate,
    pub no_limit_kind: bool,
    pub reason: String,
    pub annulled_on: Option<NaiveDate>,
    /// The day it stops being in force by the rules (none for expulsion and dissolution).
    pub lapses_on: Option<NaiveDate>,
    pub complaints: Vec<Complaint>,
}

/// A complaint against a discipline decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Complaint {
    pub id: i64,
    #[serde(skip)]
    pub decision_id: i64,
    pub received_on: NaiveDate,
    pub settling_code: String,
    pub settling_name: String,
    pub deadline: NaiveDate,
    pub settled_on: Option<NaiveDate>,
    pub result: Option<ComplaintResult>,
    pub new_form: Option<Discipline>,
    pub note: String,
}

impl Complaint {
    /// Unsettled on `today` and past its deadline.
    pub fn overdue_on(&self, today: NaiveDate) -> bool {
        self.deadline < today && self.settled_on.is_none_or(|s| s > today)
    }
}

/// A planned inspection or supervision of a unit's yearly programme.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlanItem {
    pub id: i64,
    #[serde(skip)]
    pub unit_path: String,
    pub unit_code: String,
    pub year: i32,
    pub kind: CaseKind,
    pub subject_code: String,
    pub subject_name: String,
    pub topic: String,
    pub planned_from: NaiveDate,
    pub planned_to: NaiveDate,
    /// The cases made for it, and the day the first was concluded.
    pub case_codes: Vec<String>,
    pub done_on: Option<NaiveDate>,
}

/// A unit's latest name, as a subquery on `id` (a column).
fn latest_name(id: &str) -> String {
    format!(
        "(SELECT n.name FROM unit_names n WHERE n.unit_id = {id} ORDER BY n.from_date DESC LIMIT 1)"
    )
}

fn decode<T>(parsed: Option<T>, what: &str, code: &str) -> std::result::Result<T, sqlx::Error> {
    parsed.ok_or_else(|| sqlx::Error::Decode(format!("unknown {what} {code}").into()))
}

macro_rules! case_from_row {
    ($row:ident) => {
        (|| -> std::result::Result<Case, sqlx::Error> {
            let kind: String = $row.try_get("kind")?;
            let body: String = $row.try_get("body")?;
            Ok(Case {
                id: $row.try_get("id")?,
                code: $row.try_get("code")?,
                kind: decode(CaseKind::parse(&kind), "case kind", &kind)?,
                unit_code: $row.try_get("unit_code")?,
                unit_name: $row.try_get("unit_name")?,
                unit_id: $row.try_get("unit_id")?,
                unit_path: $row.try_get("unit_path")?,
                body: decode(Body::parse(&body), "body", &body)?,
                decision_number: $row.try_get("decision_number")?,
                decided_on: $row.try_get("decided_on")?,
                started_on: $row.try_get("started_on")?,
                concluded_on: $row.try_get("concluded_on")?,
                topic: $row.try_get("topic")?,
                plan_item_id: $row.try_get("plan_item_id")?,
                subjects: Vec::new(),
                files: Vec::new(),
            })
        })()
    };
}

fn case_fields() -> String {
    format!(
        "c.*, u.code AS unit_code, {} AS unit_name",
        latest_name("c.unit_id")
    )
}

const CASE_FROM: &str = "inspection_cases c JOIN units u ON u.id = c.unit_id";

/// A case by its code, with its subjects, their decisions and complaints.
pub(crate) async fn by_code(tx: &mut Tx, code: &str) -> Result<Option<Case>> {
    let sql = format!(
        "SELECT {} FROM {CASE_FROM} WHERE c.code = $1",
        case_fields()
    );
    let Some(mut case) = fetch_optional!(tx, sql, [code], |row| case_from_row!(row))? else {
        return Ok(None);
    };
    fill_subjects(tx, std::slice::from_mut(&mut case)).await?;
    case.files = fetch_all!(
        tx,
        "SELECT id, name, media_type, size FROM case_files WHERE case_id = $1 ORDER BY id",
        [case.id],
        |row| Ok(CaseFile {
            id: row.try_get("id")?,
            name: row.try_get("name")?,
            media_type: row.try_get("media_type")?,
            size: row.try_get("size")?,
        })
    )?;
    Ok(Some(case))
}

/// Adds a document to a case; gives its id.
pub(crate) async fn insert_file(
    tx: &mut Tx,
    case_id: i64,
    file: &CaseFile,
    content: &[u8],
    recorded_by: &str,
) -> Result<i64> {
    let id = fetch_optional!(
        tx,
        "INSERT INTO case_files (case_id, name, media_type, size, content, recorded_by) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        [
            case_id,
            file.name.as_str(),
            file.media_type.as_str(),
            file.size,
            content,
            recorded_by
        ],
        |r| r.try_get::<i64, _>("id")
    )?;
    returned(id, "tài liệu vừa ghi")
}

/// A case's document with its content.
pub(crate) async fn file_content(
    tx: &mut Tx,
    case_id: i64,
    file_id: i64,
) -> Result<Option<(CaseFile, Vec<u8>)>> {
    Ok(fetch_optional!(
        tx,
        "SELECT id, name, media_type, size, content FROM case_files WHERE case_id = $1 AND id = $2",
        [case_id, file_id],
        |row| Ok((
            CaseFile {
                id: row.try_get("id")?,
                name: row.try_get("name")?,
                media_type: row.try_get("media_type")?,
                size: row.try_get("size")?,
            },
            row.try_get::<Vec<u8>, _>("content")?
        ))
    )?)
}

/// What a list of cases keeps.
#[derive(Debug, Clone, Default)]
pub struct CaseFilter {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub kind: Option<CaseKind>,
}

/// The first day of an open period that both engines compare as a date (see
/// [`crate::programmes::LAST_DAY`]).
const EARLIEST: NaiveDate = match NaiveDate::from_ymd_opt(1000, 1, 1) {
    Some(day) => day,
    None => NaiveDate::MIN,
};

/// The cases decided by units in the subtree of `path`, newest first, with their subjects.
pub(crate) async fn under(tx: &mut Tx, path: &str, filter: &CaseFilter) -> Result<Vec<Case>> {
    let (lo, hi) = subtree_bounds(path);
    let sql = format!(
        "SELECT {} FROM {CASE_FROM} WHERE {} AND c.decided_on >= $3 AND c.decided_on <= $4 \
         AND ($5 = '' OR c.kind = $5) ORDER BY c.decided_on DESC, c.code",
        case_fields(),
        in_subtree("c.unit_path", "$1", "$2")
    );
    let mut cases = fetch_all!(
        tx,
        sql,
        [
            lo,
            hi,
            filter.from.unwrap_or(EARLIEST),
            filter.to.unwrap_or(crate::programmes::LAST_DAY),
            filter.kind.map(|k| k.code()).unwrap_or("")
        ],
        |row| case_from_row!(row)
    )?;
    fill_subjects(tx, &mut cases).await?;
    Ok(cases)
}

/// Ids written inline (no parameter limit on long lists); `NULL` for none, so that `IN (…)`
/// stays valid SQL and matches nothing.
fn id_list(ids: &[i64]) -> String {
    if ids.is_empty() {
        "NULL".to_string()
    } else {
        crate::engine::id_list(ids)
    }
}

async fn fill_subjects(tx: &mut Tx, cases: &mut [Case]) -> Result<()> {
    let ids: Vec<i64> = cases.iter().map(|c| c.id).collect();
    let sql = format!(
        "SELECT s.*, u.code AS unit_code, {} AS unit_name, m.code AS member_code, \
         m.full_name AS member_name FROM case_subjects s JOIN units u ON u.id = s.unit_id \
         LEFT JOIN members m ON m.id = s.member_id WHERE s.case_id IN ({}) ORDER BY s.id",
        latest_name("s.unit_id"),
        id_list(&ids)
    );
    let rows = fetch_all!(tx, sql, [], |row| {
        let kind: String = row.try_get("subject_kind")?;
        let conclusion: Option<String> = row.try_get("conclusion")?;
        Ok((
            row.try_get::<i64, _>("case_id")?,
            CaseSubject {
                id: row.try_get("id")?,
                subject_kind: decode(SubjectKind::parse(&kind), "subject kind", &kind)?,
                member_id: row.try_get("member_id")?,
                member_code: row.try_get("member_code")?,
                member_name: row.try_get("member_name")?,
                unit_id: row.try_get("unit_id")?,
                unit_code: row.try_get("unit_code")?,
                unit_name: row.try_get("unit_name")?,
                subject_path: row.try_get("subject_path")?,
                conclusion: match conclusion {
                    Some(c) => Some(decode(Conclusion::parse(&c), "conclusion", &c)?),
                    None => None,
                },
                conclusion_note: row.try_get("conclusion_note")?,
                decisions: Vec::new(),
            },
        ))
    })?;
    let subject_ids: Vec<i64> = rows.iter().map(|(_, s)| s.id).collect();
    let mut decisions = decisions_where(
        tx,
        &format!("d.case_subject_id IN ({})", id_list(&subject_ids)),
        [],
    )
    .await?;
    for (case_id, mut subject) in rows {
        subject.decisions = decisions
            .extract_if(.., |d| d.case_subject_id == subject.id)
            .collect();
        if let Some(case) = cases.iter_mut().find(|c| c.id == case_id) {
            case.subjects.push(subject);
        }
    }
    Ok(())
}

/// The decisions matching `condition` (on `d`, binding `$1`, `$2` … to `params`), oldest first,
/// with their complaints.
async fn decisions_where<const N: usize>(
    tx: &mut Tx,
    condition: &str,
    params: [crate::engine::Value; N],
) -> Result<Vec<DisciplineDecision>> {
    let sql = format!(
        "SELECT d.*, c.code AS case_code, u.code AS unit_code, {} AS unit_name, \
         m.code AS member_code, m.full_name AS member_name, b.code AS decided_by_code, \
         {} AS decided_by_name FROM discipline_decisions d \
         JOIN case_subjects s ON s.id = d.case_subject_id \
         JOIN inspection_cases c ON c.id = s.case_id JOIN units u ON u.id = d.unit_id \
         JOIN units b ON b.id = d.decided_by_unit_id LEFT JOIN members m ON m.id = d.member_id \
         WHERE {condition} ORDER BY d.decided_on, d.id",
        latest_name("d.unit_id"),
        latest_name("d.decided_by_unit_id")
    );
    let mut list = fetch_all_values!(tx, sql, &params, |row| {
        let kind: String = row.try_get("subject_kind")?;
        let form: String = row.try_get("form")?;
        let body: String = row.try_get("body")?;
        let form = decode(Discipline::parse(&form), "form", &form)?;
        let decided_on: NaiveDate = row.try_get("decided_on")?;
        Ok(DisciplineDecision {
            id: row.try_get("id")?,
            case_code: row.try_get("case_code")?,
            case_subject_id: row.try_get("case_subject_id")?,
            subject_kind: decode(SubjectKind::parse(&kind), "subject kind", &kind)?,
            member_id: row.try_get("member_id")?,
            member_code: row.try_get("member_code")?,
            member_name: row.try_get("member_name")?,
            unit_code: row.try_get("unit_code")?,
            unit_name: row.try_get("unit_name")?,
            subject_path: row.try_get("subject_path")?,
            form,
            decided_by_code: row.try_get("decided_by_code")?,
            decided_by_name: row.try_get("decided_by_name")?,
            body: decode(Body::parse(&body), "body", &body)?,
            decision_number: row.try_get("decision_number")?,
            decided_on,
            violation_on: row.try_get("violation_on")?,
            no_limit_kind: row.try_get::<i64, _>("no_limit_kind")? == 1,
            reason: row.try_get("reason")?,
            annulled_on: row.try_get("annulled_on")?,
            lapses_on: lapses_on(form, decided_on),
            complaints: Vec::new(),
        })
    })?;
    let ids: Vec<i64> = list.iter().map(|d| d.id).collect();
    let mut complaints =
        complaints_where(tx, &format!("k.decision_id IN ({})", id_list(&ids)), []).await?;
    for decision in &mut list {
        decision.complaints = complaints
            .extract_if(.., |k| k.decision_id == decision.id)
            .collect();
    }
    Ok(list)
}

async fn complaints_where<const N: usize>(
    tx: &mut Tx,
    condition: &str,
    params: [crate::engine::Value; N],
) -> Result<Vec<Complaint>> {
    let sql = format!(
        "SELECT k.*, u.code AS settling_code, {} AS settling_name \
         FROM discipline_complaints k JOIN units u ON u.id = k.settling_unit_id \
         JOIN discipline_decisions d ON d.id = k.decision_id \
         WHERE {condition} ORDER BY k.received_on, k.id",
        latest_name("k.settling_unit_id")
    );
    Ok(fetch_all_values!(tx, sql, &params, |row| {
        let result: Option<String> = row.try_get("result")?;
        let new_form: Option<String> = row.try_get("new_form")?;
        Ok(Complaint {
            id: row.try_get("id")?,
            decision_id: row.try_get("decision_id")?,
            received_on: row.try_get("received_on")?,
            settling_code: row.try_get("settling_code")?,
            settling_name: row.try_get("settling_name")?,
            deadline: row.try_get("deadline")?,
            settled_on: row.try_get("settled_on")?,
            result: match result {
                Some(r) => Some(decode(ComplaintResult::parse(&r), "result", &r)?),
                None => None,
            },
            new_form: match new_form {
                Some(f) => Some(decode(Discipline::parse(&f), "form", &f)?),
                None => None,
            },
            note: row.try_get("note")?,
        })
    })?)
}

/// The discipline decided on a member, oldest first.
pub(crate) async fn decisions_of_member(
    tx: &mut Tx,
    member_id: i64,
) -> Result<Vec<DisciplineDecision>> {
    decisions_where(tx, "d.member_id = $1", [member_id.into()]).await
}

/// A decision by its id.
pub(crate) async fn decision(tx: &mut Tx, id: i64) -> Result<Option<DisciplineDecision>> {
    Ok(decisions_where(tx, "d.id = $1", [id.into()]).await?.pop())
}

/// The decisions with these ids, in one query.
pub(crate) async fn decisions_by_ids(tx: &mut Tx, ids: &[i64]) -> Result<Vec<DisciplineDecision>> {
    decisions_where(tx, &format!("d.id IN ({})", id_list(ids)), []).await
}

/// The decisions on subjects in the subtree of `path` decided in the period, oldest first.
pub(crate) async fn decisions_under(
    tx: &mut Tx,
    path: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<DisciplineDecision>> {
    let (lo, hi) = subtree_bounds(path);
    decisions_where(
        tx,
        &format!(
            "{} AND d.decided_on >= $3 AND d.decided_on <= $4",
            in_subtree("d.subject_path", "$1", "$2")
        ),
        [lo.into(), hi.into(), from.into(), to.into()],
    )
    .await
}

/// The complaints about subjects in the subtree of `path` unsettled on `today`, oldest first.
pub(crate) async fn open_complaints_under(
    tx: &mut Tx,
    path: &str,
    today: NaiveDate,
) -> Result<Vec<Complaint>> {
    let (lo, hi) = subtree_bounds(path);
    complaints_where(
        tx,
        &format!(
            "{} AND k.received_on <= $3 AND (k.settled_on IS NULL OR k.settled_on > $3)",
            in_subtree("d.subject_path", "$1", "$2")
        ),
        [lo.into(), hi.into(), today.into()],
    )
    .await
}

/// A new case's columns.
pub(crate) struct CaseRow<'a> {
    pub code: &'a str,
    pub kind: CaseKind,
    pub unit_id: i64,
    pub unit_path: &'a str,
    pub body: Body,
    pub decision_number: &'a str,
    pub decided_on: NaiveDate,
    pub started_on: Option<NaiveDate>,
    pub concluded_on: Option<NaiveDate>,
    pub topic: &'a str,
    pub plan_item_id: Option<i64>,
}

fn returned(id: Option<i64>, what: &str) -> Result<i64> {
    id.ok_or_else(|| StoreError::NotFound(what.to_string()))
}

pub(crate) async fn insert_case(tx: &mut Tx, row: &CaseRow<'_>, recorded_by: &str) -> Result<i64> {
    let id = fetch_optional!(
        tx,
        "INSERT INTO inspection_cases (code, kind, unit_id, unit_path, body, decision_number, \
         decided_on, started_on, concluded_on, topic, plan_item_id, recorded_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
        [
            row.code,
            row.kind.code(),
            row.unit_id,
            row.unit_path,
            row.body.code(),
            row.decision_number,
            row.decided_on,
            row.started_on,
            row.concluded_on,
            row.topic,
            row.plan_item_id,
            recorded_by
        ],
        |r| r.try_get::<i64, _>("id")
    )?;
    returned(id, "vụ việc vừa ghi")
}

/// Sets a case's dated steps (start and conclusion).
pub(crate) async fn set_steps(
    tx: &mut Tx,
    case_id: i64,
    started_on: Option<NaiveDate>,
    concluded_on: Option<NaiveDate>,
) -> Result<()> {
    execute!(
        tx,
        "UPDATE inspection_cases SET started_on = $1, concluded_on = $2 WHERE id = $3",
        [started_on, concluded_on, case_id]
    )?;
    Ok(())
}

/// A subject's columns.
pub(crate) struct SubjectRow<'a> {
    pub case_id: i64,
    pub subject_kind: SubjectKind,
    pub member_id: Option<i64>,
    pub unit_id: i64,
    pub subject_path: &'a str,
}

pub(crate) async fn insert_subject(tx: &mut Tx, row: &SubjectRow<'_>) -> Result<i64> {
    let id = fetch_optional!(
        tx,
        "INSERT INTO case_subjects (case_id, subject_kind, member_id, unit_id, subject_path, \
         conclusion, conclusion_note) VALUES ($1, $2, $3, $4, $5, NULL, '') RETURNING id",
        [
            row.case_id,
            row.subject_kind.code(),
            row.member_id,
            row.unit_id,
            row.subject_path
        ],
        |r| r.try_get::<i64, _>("id")
    )?;
    returned(id, "đối tượng vừa ghi")
}

pub(crate) async fn set_conclusion(
    tx: &mut Tx,
    subject_id: i64,
    conclusion: Option<Conclusion>,
    note: &str,
) -> Result<()> {
    execute!(
        tx,
        "UPDATE case_subjects SET conclusion = $1, conclusion_note = $2 WHERE id = $3",
        [conclusion.map(|c| c.code()), note, subject_id]
    )?;
    Ok(())
}

/// A discipline decision's columns.
pub(crate) struct DecisionRow<'a> {
    pub case_subject_id: i64,
    pub subject_kind: SubjectKind,
    pub member_id: Option<i64>,
    pub unit_id: i64,
    pub subject_path: &'a str,
    pub form: Discipline,
    pub decided_by_unit_id: i64,
    pub body: Body,
    pub decision_number: &'a str,
    pub decided_on: NaiveDate,
    pub violation_on: NaiveDate,
    pub no_limit_kind: bool,
    pub reason: &'a str,
    pub event_id: Option<i64>,
    pub restructure_id: Option<i64>,
}

pub(crate) async fn insert_decision(
    tx: &mut Tx,
    row: &DecisionRow<'_>,
    recorded_by: &str,
) -> Result<i64> {
    let id = fetch_optional!(
        tx,
        "INSERT INTO discipline_decisions (case_subject_id, subject_kind, member_id, unit_id, \
         subject_path, form, decided_by_unit_id, body, decision_number, decided_on, \
         violation_on, no_limit_kind, reason, event_id, restructure_id, annulled_on, recorded_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, NULL, $16) \
         RETURNING id",
        [
            row.case_subject_id,
            row.subject_kind.code(),
            row.member_id,
            row.unit_id,
            row.subject_path,
            row.form.code(),
            row.decided_by_unit_id,
            row.body.code(),
            row.decision_number,
            row.decided_on,
            row.violation_on,
            i64::from(row.no_limit_kind),
            row.reason,
            row.event_id,
            row.restructure_id,
            recorded_by
        ],
        |r| r.try_get::<i64, _>("id")
    )?;
    returned(id, "quyết định kỷ luật vừa ghi")
}

/// Marks a decision annulled (or its form changed) by a complaint's settlement.
pub(crate) async fn settle_decision(
    tx: &mut Tx,
    decision_id: i64,
    annulled_on: Option<NaiveDate>,
    form: Discipline,
) -> Result<()> {
    execute!(
        tx,
        "UPDATE discipline_decisions SET annulled_on = COALESCE($1, annulled_on), form = $2 \
         WHERE id = $3",
        [annulled_on, form.code(), decision_id]
    )?;
    Ok(())
}

/// A complaint's columns.
pub(crate) struct ComplaintRow<'a> {
    pub decision_id: i64,
    pub received_on: NaiveDate,
    pub settling_unit_id: i64,
    pub deadline: NaiveDate,
    pub note: &'a str,
}

pub(crate) async fn insert_complaint(
    tx: &mut Tx,
    row: &ComplaintRow<'_>,
    recorded_by: &str,
) -> Result<i64> {
    let id = fetch_optional!(
        tx,
        "INSERT INTO discipline_complaints (decision_id, received_on, settling_unit_id, deadline, \
         settled_on, result, new_form, note, recorded_by) \
         VALUES ($1, $2, $3, $4, NULL, NULL, NULL, $5, $6) RETURNING id",
        [
            row.decision_id,
            row.received_on,
            row.settling_unit_id,
            row.deadline,
            row.note,
            recorded_by
        ],
        |r| r.try_get::<i64, _>("id")
    )?;
    returned(id, "đơn khiếu nại vừa ghi")
}

pub(crate) async fn complaint(tx: &mut Tx, id: i64) -> Result<Option<Complaint>> {
    Ok(complaints_where(tx, "k.id = $1", [id.into()]).await?.pop())
}

pub(crate) async fn settle_complaint(
    tx: &mut Tx,
    id: i64,
    settled_on: NaiveDate,
    result: ComplaintResult,
    new_form: Option<Discipline>,
    note: &str,
) -> Result<()> {
    execute!(
        tx,
        "UPDATE discipline_complaints SET settled_on = $1, result = $2, new_form = $3, note = $4 \
         WHERE id = $5",
        [
            settled_on,
            result.code(),
            new_form.map(|f| f.code()),
            note,
            id
        ]
    )?;
    Ok(())
}

/// A plan item's columns.
pub(crate) struct PlanRow<'a> {
    pub unit_id: i64,
    pub unit_path: &'a str,
    pub year: i32,
    pub kind: CaseKind,
    pub subject_unit_id: i64,
    pub subject_member_id: Option<i64>,
    pub topic: &'a str,
    pub planned_from: NaiveDate,
    pub planned_to: NaiveDate,
}

pub(crate) async fn insert_plan_item(
    tx: &mut Tx,
    row: &PlanRow<'_>,
    recorded_by: &str,
) -> Result<i64> {
    let id = fetch_optional!(
        tx,
        "INSERT INTO inspection_plan_items (unit_id, unit_path, year, kind, subject_unit_id, \
         subject_member_id, topic, planned_from, planned_to, recorded_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        [
            row.unit_id,
            row.unit_path,
            i64::from(row.year),
            row.kind.code(),
            row.subject_unit_id,
            row.subject_member_id,
            row.topic,
            row.planned_from,
            row.planned_to,
            recorded_by
        ],
        |r| r.try_get::<i64, _>("id")
    )?;
    returned(id, "mục chương trình vừa ghi")
}

/// The plan items of units in the subtree of `path` for a year, or one item by id.
pub(crate) async fn plan_items(
    tx: &mut Tx,
    path: &str,
    year: Option<i32>,
    id: Option<i64>,
) -> Result<Vec<PlanItem>> {
    let (lo, hi) = subtree_bounds(path);
    let sql = format!(
        "SELECT p.*, u.code AS unit_code, COALESCE(m.code, s.code) AS subject_code, \
         COALESCE(m.full_name, {}) AS subject_name FROM inspection_plan_items p \
         JOIN units u ON u.id = p.unit_id JOIN units s ON s.id = p.subject_unit_id \
         LEFT JOIN members m ON m.id = p.subject_member_id \
         WHERE {} AND (p.year = $3 OR $3 = 0) AND (p.id = $4 OR $4 = 0) \
         ORDER BY p.planned_from, p.id",
        latest_name("p.subject_unit_id"),
        in_subtree("p.unit_path", "$1", "$2")
    );
    let mut items = fetch_all!(
        tx,
        sql,
        [lo, hi, i64::from(year.unwrap_or(0)), id.unwrap_or(0)],
        |row| {
            let kind: String = row.try_get("kind")?;
            Ok(PlanItem {
                id: row.try_get("id")?,
                unit_path: row.try_get("unit_path")?,
                unit_code: row.try_get("unit_code")?,
                year: i32::try_from(row.try_get::<i64, _>("year")?).unwrap_or_default(),
                kind: decode(CaseKind::parse(&kind), "case kind", &kind)?,
                subject_code: row.try_get("subject_code")?,
                subject_name: row.try_get("subject_name")?,
                topic: row.try_get("topic")?,
                planned_from: row.try_get("planned_from")?,
                planned_to: row.try_get("planned_to")?,
                case_codes: Vec::new(),
                done_on: None,
            })
        }
    )?;
    let ids: Vec<i64> = items.iter().map(|i| i.id).collect();
    let sql = format!(
        "SELECT plan_item_id, code, concluded_on FROM inspection_cases \
         WHERE plan_item_id IN ({}) ORDER BY decided_on, code",
        id_list(&ids)
    );
    let cases = fetch_all!(tx, sql, [], |row| Ok((
        row.try_get::<i64, _>("plan_item_id")?,
        row.try_get::<String, _>("code")?,
        row.try_get::<Option<NaiveDate>, _>("concluded_on")?
    )))?;
    for (item_id, code, concluded) in cases {
        if let Some(item) = items.iter_mut().find(|i| i.id == item_id) {
            item.case_codes.push(code);
            item.done_on = match (item.done_on, concluded) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
        }
    }
    Ok(items)
}
