//! Awareness classes (lớp bồi dưỡng nhận thức về Đảng): a class organized by a unit, its dates and
//! place, and its trainees (candidates whose files are kept here, or other people) with their
//! results and certificate numbers.

use chrono::NaiveDate;
use dangbo_domain::admission::ClassResult;
use serde::Serialize;

use crate::engine::sql::in_subtree;
use crate::tree::{Unit, subtree_bounds};
use crate::{Result, StoreError, Tx};

/// A class as stored, with its organizing unit's code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AwarenessClass {
    pub id: i64,
    pub unit_code: String,
    #[serde(skip)]
    pub unit_path: String,
    pub name: String,
    /// Who taught it: the political centre, the committee.
    pub organizer: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub place: String,
    /// Trainees, and those who passed.
    pub trainees: i64,
    pub passed: i64,
}

/// A trainee of a class.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Trainee {
    pub id: i64,
    /// The candidate's file, when the trainee has one here.
    pub candidate_code: Option<String>,
    pub full_name: String,
    pub birth_date: Option<NaiveDate>,
    pub result: ClassResult,
    pub certificate: String,
}

const CLASS_FIELDS: &str = "k.id, u.code AS unit_code, k.unit_path, k.name, k.organizer, \
     k.starts_on, k.ends_on, k.place, \
     (SELECT COUNT(*) FROM class_trainees t WHERE t.class_id = k.id) AS trainees, \
     (SELECT COUNT(*) FROM class_trainees t WHERE t.class_id = k.id AND t.result = 'passed') AS passed";

macro_rules! class_from_row {
    ($row:ident) => {
        (|| -> std::result::Result<AwarenessClass, sqlx::Error> {
            Ok(AwarenessClass {
                id: $row.try_get("id")?,
                unit_code: $row.try_get("unit_code")?,
                unit_path: $row.try_get("unit_path")?,
                name: $row.try_get("name")?,
                organizer: $row.try_get("organizer")?,
                starts_on: $row.try_get("starts_on")?,
                ends_on: $row.try_get("ends_on")?,
                place: $row.try_get("place")?,
                trainees: $row.try_get("trainees")?,
                passed: $row.try_get("passed")?,
            })
        })()
    };
}

/// A class to add (already checked).
pub(crate) struct ClassRow<'a> {
    pub unit: &'a Unit,
    pub name: &'a str,
    pub organizer: &'a str,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub place: &'a str,
}

pub(crate) async fn insert_class(
    tx: &mut Tx,
    row: &ClassRow<'_>,
    recorded_by: &str,
) -> Result<i64> {
    let id = fetch_optional!(
        tx,
        "INSERT INTO awareness_classes (unit_id, unit_path, name, organizer, starts_on, ends_on, \
         place, recorded_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        [
            row.unit.id,
            row.unit.path.as_str(),
            row.name,
            row.organizer,
            row.starts_on,
            row.ends_on,
            row.place,
            recorded_by
        ],
        |r| r.try_get::<i64, _>("id")
    )?;
    id.ok_or_else(|| StoreError::NotFound("lớp vừa thêm".into()))
}

pub(crate) async fn class(tx: &mut Tx, id: i64) -> Result<Option<AwarenessClass>> {
    let sql = format!(
        "SELECT {CLASS_FIELDS} FROM awareness_classes k JOIN units u ON u.id = k.unit_id \
         WHERE k.id = $1"
    );
    Ok(fetch_optional!(tx, sql, [id], |row| class_from_row!(row))?)
}

/// The classes organized in the subtree of `scope_path` that end within the period, latest first.
pub(crate) async fn classes_under(
    tx: &mut Tx,
    scope_path: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<AwarenessClass>> {
    let (lo, hi) = subtree_bounds(scope_path);
    let sql = format!(
        "SELECT {CLASS_FIELDS} FROM awareness_classes k JOIN units u ON u.id = k.unit_id \
         WHERE {} AND k.ends_on >= $3 AND k.ends_on <= $4 ORDER BY k.ends_on DESC, k.id DESC",
        in_subtree("k.unit_path", "$1", "$2")
    );
    Ok(fetch_all!(
        tx,
        sql,
        [lo, hi, from, to],
        |row| class_from_row!(row)
    )?)
}

pub(crate) async fn trainees(tx: &mut Tx, class_id: i64) -> Result<Vec<Trainee>> {
    Ok(fetch_all!(
        tx,
        "SELECT t.id, c.code AS candidate_code, t.full_name, t.birth_date, t.result, t.certificate \
         FROM class_trainees t LEFT JOIN candidates c ON c.id = t.candidate_id \
         WHERE t.class_id = $1 ORDER BY t.id",
        [class_id],
        |row| {
            let result: String = row.try_get("result")?;
            Ok(Trainee {
                id: row.try_get("id")?,
                candidate_code: row.try_get("candidate_code")?,
                full_name: row.try_get("full_name")?,
                birth_date: row.try_get("birth_date")?,
                result: ClassResult::parse(&result).ok_or_else(|| {
                    sqlx::Error::Decode(format!("unknown class result {result}").into())
                })?,
                certificate: row.try_get("certificate")?,
            })
        }
    )?)
}

/// A trainee to add (already checked).
pub(crate) struct TraineeRow<'a> {
    pub class_id: i64,
    pub candidate_id: Option<i64>,
    pub full_name: &'a str,
    pub birth_date: Option<NaiveDate>,
    pub result: ClassResult,
    pub certificate: &'a str,
}

pub(crate) async fn insert_trainee(
    tx: &mut Tx,
    row: &TraineeRow<'_>,
    recorded_by: &str,
) -> Result<()> {
    execute!(
        tx,
        "INSERT INTO class_trainees (class_id, candidate_id, full_name, birth_date, result, \
         certificate, recorded_by) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        [
            row.class_id,
            row.candidate_id,
            row.full_name,
            row.birth_date,
            row.result.code(),
            row.certificate,
            recorded_by
        ]
    )?;
    Ok(())
}

/// Whether a candidate is already a trainee of a class.
pub(crate) async fn has_trainee(tx: &mut Tx, class_id: i64, candidate_id: i64) -> Result<bool> {
    Ok(fetch_optional!(
        tx,
        "SELECT COUNT(*) AS n FROM class_trainees WHERE class_id = $1 AND candidate_id = $2",
        [class_id, candidate_id],
        |row| row.try_get::<i64, _>("n")
    )?
    .unwrap_or(0)
        > 0)
}
