//! Persons: who holds a post or has training facts. A member is linked once and read from their
//! record (name, sex, birth date, scope); a non-member has a short record of their own, kept by a
//! unit, and a code of their own.

use chrono::NaiveDate;
use serde::Serialize;

use crate::{Result, StoreError, Tx};

/// A person as stored, with a member's fields read from their record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Person {
    #[serde(skip)]
    pub id: i64,
    /// A non-member's code (none for a member: their member code names them).
    pub code: Option<String>,
    #[serde(skip)]
    pub member_id: Option<i64>,
    pub member_code: Option<String>,
    pub full_name: String,
    pub sex: String,
    pub birth_date: Option<NaiveDate>,
    /// The unit keeping a non-member's record.
    #[serde(skip)]
    pub unit_path: Option<String>,
    pub note: String,
}

impl Person {
    /// The code people name them by: the member code, or their own.
    pub fn reference(&self) -> &str {
        self.member_code
            .as_deref()
            .or(self.code.as_deref())
            .unwrap_or_default()
    }
}

const SELECT: &str = "SELECT p.id, p.code, p.member_id, m.code AS member_code, \
     COALESCE(m.full_name, p.full_name) AS full_name, COALESCE(m.sex, p.sex) AS sex, \
     COALESCE(m.birth_date, p.birth_date) AS birth_date, p.unit_path, p.note \
     FROM persons p LEFT JOIN members m ON m.id = p.member_id";

macro_rules! person_from_row {
    ($row:ident) => {
        Ok(Person {
            id: $row.try_get("id")?,
            code: $row.try_get("code")?,
            member_id: $row.try_get("member_id")?,
            member_code: $row.try_get("member_code")?,
            full_name: $row.try_get("full_name")?,
            sex: $row.try_get("sex")?,
            birth_date: $row.try_get("birth_date")?,
            unit_path: $row.try_get("unit_path")?,
            note: $row.try_get("note")?,
        })
    };
}

pub(crate) async fn by_id(tx: &mut Tx, id: i64) -> Result<Option<Person>> {
    let sql = format!("{SELECT} WHERE p.id = $1");
    Ok(fetch_optional!(tx, sql, [id], |row| person_from_row!(row))?)
}

/// A non-member by their code.
pub(crate) async fn by_code(tx: &mut Tx, code: &str) -> Result<Option<Person>> {
    let sql = format!("{SELECT} WHERE p.code = $1");
    Ok(fetch_optional!(tx, sql, [code], |row| person_from_row!(
        row
    ))?)
}

pub(crate) async fn by_member(tx: &mut Tx, member_id: i64) -> Result<Option<Person>> {
    let sql = format!("{SELECT} WHERE p.member_id = $1");
    Ok(fetch_optional!(
        tx,
        sql,
        [member_id],
        |row| person_from_row!(row)
    )?)
}

/// The non-members kept by units in a subtree, by name.
pub(crate) async fn non_members_under(tx: &mut Tx, lo: &str, hi: &str) -> Result<Vec<Person>> {
    let sql = format!(
        "{SELECT} WHERE p.member_id IS NULL AND p.unit_path >= $1 AND p.unit_path < $2 \
         ORDER BY p.name_key, p.code"
    );
    Ok(fetch_all!(tx, sql, [lo, hi], |row| person_from_row!(row))?)
}

/// The person of a member, made on first use.
pub(crate) async fn of_member(tx: &mut Tx, member_id: i64, recorded_by: &str) -> Result<i64> {
    if let Some(person) = by_member(tx, member_id).await? {
        return Ok(person.id);
    }
    let id = fetch_optional!(
        tx,
        "INSERT INTO persons (code, member_id, full_name, name_key, sex, birth_date, unit_id, \
         unit_path, note, recorded_by) VALUES (NULL, $1, '', '', '', NULL, NULL, NULL, '', $2) \
         RETURNING id",
        [member_id, recorded_by],
        |r| r.try_get::<i64, _>("id")
    )?;
    id.ok_or_else(|| StoreError::NotFound("người vừa ghi".into()))
}

/// A non-member's record.
pub(crate) struct NonMember<'a> {
    pub code: &'a str,
    pub full_name: &'a str,
    pub sex: &'a str,
    pub birth_date: Option<NaiveDate>,
    pub unit_id: i64,
    pub unit_path: &'a str,
    pub note: &'a str,
}

pub(crate) async fn insert_non_member(
    tx: &mut Tx,
    person: &NonMember<'_>,
    recorded_by: &str,
) -> Result<i64> {
    let id = fetch_optional!(
        tx,
        "INSERT INTO persons (code, member_id, full_name, name_key, sex, birth_date, unit_id, \
         unit_path, note, recorded_by) VALUES ($1, NULL, $2, $3, $4, $5, $6, $7, $8, $9) \
         RETURNING id",
        [
            person.code,
            person.full_name,
            dangbo_domain::text::fold(person.full_name),
            person.sex,
            person.birth_date,
            person.unit_id,
            person.unit_path,
            person.note,
            recorded_by
        ],
        |r| r.try_get::<i64, _>("id")
    )?;
    id.ok_or_else(|| StoreError::NotFound("người vừa ghi".into()))
}
