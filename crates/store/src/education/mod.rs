//! Political education's records: study sessions organized by units on documents or topics, their
//! participating units, and attendance, per member or as counts. The access layer checks the
//! capability, the scope and the rules, and writes the audit row.

pub(crate) mod figures;

use chrono::NaiveDate;
use dangbo_domain::education::{Attendance, StudyKind};
use serde::Serialize;

use crate::engine::sql::in_subtree;
use crate::tree::subtree_bounds;
use crate::{Result, StoreError, Tx};

/// A document a session studies: a work programme's document when one is recorded, else its
/// number and title as given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SessionDocument {
    #[serde(skip)]
    pub document_id: Option<i64>,
    pub number: String,
    pub title: String,
}

/// A participating unit, with its attendance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StudyUnit {
    #[serde(skip)]
    pub unit_id: i64,
    pub unit_code: String,
    pub unit_name: String,
    #[serde(skip)]
    pub unit_path: String,
    /// Whether only counts are known for it.
    pub by_count: bool,
    pub expected: Option<i64>,
    /// The attendances counted: the count given, or the members present.
    pub attended: i64,
    /// Members recorded absent (per-member attendance only).
    pub absent: i64,
    /// Attendances of people who are not members.
    pub non_members: i64,
}

/// A study session as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StudySession {
    #[serde(skip)]
    pub id: i64,
    pub code: String,
    pub unit_code: String,
    pub unit_name: String,
    #[serde(skip)]
    pub unit_path: String,
    /// The board beside the unit that organized it, if not the committee itself.
    pub organizer_body: String,
    pub kind: StudyKind,
    pub title: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub place: String,
    pub online: bool,
    pub documents: Vec<SessionDocument>,
    pub units: Vec<StudyUnit>,
}

impl StudySession {
    /// All attendances (lượt) of its units.
    pub fn attendances(&self) -> i64 {
        self.units.iter().map(|u| u.attended + u.non_members).sum()
    }
}

/// A member's attendance of a session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AttendanceRow {
    pub session_code: String,
    pub session_title: String,
    pub from: NaiveDate,
    pub member_code: String,
    pub full_name: String,
    pub unit_code: String,
    pub attendance: Attendance,
    pub reason: String,
}

fn decode<T>(parsed: Option<T>, what: &str, code: &str) -> std::result::Result<T, sqlx::Error> {
    parsed.ok_or_else(|| sqlx::Error::Decode(format!("unknown {what} {code}").into()))
}

const UNIT_NAME: &str = "(SELECT n.name FROM unit_names n WHERE n.unit_id = u.id \
     ORDER BY n.from_date DESC LIMIT 1)";

/// The sessions organized in the subtree of `path` starting in the period, newest first.
pub(crate) async fn under(
    tx: &mut Tx,
    path: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<StudySession>> {
    let (lo, hi) = subtree_bounds(path);
    let sql = format!(
        "SELECT s.id FROM study_sessions s WHERE {} AND s.from_date >= $3 AND s.from_date <= $4 \
         ORDER BY s.from_date DESC, s.code",
        in_subtree("s.unit_path", "$1", "$2")
    );
    let ids = fetch_all!(tx, sql, [lo, hi, from, to], |row| row
        .try_get::<i64, _>("id"))?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(session) = by_id(tx, id).await? {
            out.push(session);
        }
    }
    Ok(out)
}

pub(crate) async fn by_code(tx: &mut Tx, code: &str) -> Result<Option<StudySession>> {
    let id = fetch_optional!(
        tx,
        "SELECT id FROM study_sessions WHERE code = $1",
        [code],
        |row| row.try_get::<i64, _>("id")
    )?;
    match id {
        Some(id) => by_id(tx, id).await,
        None => Ok(None),
    }
}

pub(crate) async fn by_id(tx: &mut Tx, id: i64) -> Result<Option<StudySession>> {
    let sql = format!(
        "SELECT s.*, u.code AS unit_code, {UNIT_NAME} AS unit_name FROM study_sessions s \
         JOIN units u ON u.id = s.unit_id WHERE s.id = $1"
    );
    let session = fetch_optional!(tx, sql, [id], |row| {
        let kind: String = row.try_get("kind")?;
        Ok(StudySession {
            id: row.try_get("id")?,
            code: row.try_get("code")?,
            unit_code: row.try_get("unit_code")?,
            unit_name: row.try_get("unit_name")?,
            unit_path: row.try_get("unit_path")?,
            organizer_body: row.try_get("organizer_body")?,
            kind: decode(StudyKind::parse(&kind), "study kind", &kind)?,
            title: row.try_get("title")?,
            from: row.try_get("from_date")?,
            to: row.try_get("to_date")?,
            place: row.try_get("place")?,
            online: row.try_get::<i64, _>("online")? == 1,
            documents: Vec::new(),
            units: Vec::new(),
        })
    })?;
    let Some(mut session) = session else {
        return Ok(None);
    };
    session.documents = fetch_all!(
        tx,
        "SELECT document_id, number, title FROM study_session_documents WHERE session_id = $1 \
         ORDER BY position",
        [id],
        |row| Ok(SessionDocument {
            document_id: row.try_get("document_id")?,
            number: row.try_get("number")?,
            title: row.try_get("title")?,
        })
    )?;
    let sql = format!(
        "SELECT su.unit_id, su.unit_path, su.by_count, su.expected, su.attended, su.non_members, \
         u.code AS unit_code, {UNIT_NAME} AS unit_name, \
         (SELECT COUNT(*) FROM study_attendance a WHERE a.session_id = su.session_id \
          AND a.unit_id = su.unit_id AND a.attendance = 'present') AS present, \
         (SELECT COUNT(*) FROM study_attendance a WHERE a.session_id = su.session_id \
          AND a.unit_id = su.unit_id AND a.attendance <> 'present') AS away \
         FROM study_units su JOIN units u ON u.id = su.unit_id WHERE su.session_id = $1 \
         ORDER BY su.unit_path"
    );
    session.units = fetch_all!(tx, sql, [id], |row| {
        let by_count = row.try_get::<i64, _>("by_count")? == 1;
        let present: i64 = row.try_get("present")?;
        Ok(StudyUnit {
            unit_id: row.try_get("unit_id")?,
            unit_code: row.try_get("unit_code")?,
            unit_name: row.try_get("unit_name")?,
            unit_path: row.try_get("unit_path")?,
            by_count,
            expected: row.try_get("expected")?,
            attended: if by_count {
                row.try_get::<Option<i64>, _>("attended")?.unwrap_or(0)
            } else {
                present
            },
            absent: row.try_get("away")?,
            non_members: row.try_get("non_members")?,
        })
    })?;
    Ok(Some(session))
}

const ATTENDANCE_SELECT: &str = "SELECT s.code AS session_code, s.title AS session_title, \
     s.from_date, m.code AS member_code, m.full_name, u.code AS unit_code, a.attendance, a.reason \
     FROM study_attendance a JOIN study_sessions s ON s.id = a.session_id \
     JOIN members m ON m.id = a.member_id JOIN units u ON u.id = a.unit_id";

macro_rules! attendance_from_row {
    ($row:ident) => {{
        let attendance: String = $row.try_get("attendance")?;
        Ok(AttendanceRow {
            session_code: $row.try_get("session_code")?,
            session_title: $row.try_get("session_title")?,
            from: $row.try_get("from_date")?,
            member_code: $row.try_get("member_code")?,
            full_name: $row.try_get("full_name")?,
            unit_code: $row.try_get("unit_code")?,
            attendance: decode(Attendance::parse(&attendance), "attendance", &attendance)?,
            reason: $row.try_get("reason")?,
        })
    }};
}

/// A session's attendance sheet, by unit and name.
pub(crate) async fn sheet(tx: &mut Tx, session_id: i64) -> Result<Vec<AttendanceRow>> {
    let sql = format!(
        "{ATTENDANCE_SELECT} WHERE a.session_id = $1 ORDER BY a.unit_path, m.sort_key, m.code"
    );
    Ok(fetch_all!(
        tx,
        sql,
        [session_id],
        |row| attendance_from_row!(row)
    )?)
}

/// A member's studies, newest first.
pub(crate) async fn of_member(tx: &mut Tx, member_id: i64) -> Result<Vec<AttendanceRow>> {
    let sql =
        format!("{ATTENDANCE_SELECT} WHERE a.member_id = $1 ORDER BY s.from_date DESC, s.code");
    Ok(fetch_all!(
        tx,
        sql,
        [member_id],
        |row| attendance_from_row!(row)
    )?)
}

/// A member expected on a session's sheet, with what was recorded for them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RosterRow {
    pub member_code: String,
    pub full_name: String,
    pub unit_code: String,
    pub attendance: Option<Attendance>,
    pub reason: String,
}

/// The members on the session's first day in the subtree of the sheet unit at `unit_path`, by
/// unit and name, at most `limit`.
pub(crate) async fn roster(
    tx: &mut Tx,
    session: &StudySession,
    unit_path: &str,
    limit: i64,
) -> Result<Vec<RosterRow>> {
    let (lo, hi) = subtree_bounds(unit_path);
    let sql = format!(
        "SELECT m.code, m.full_name, u.code AS unit_code, a.attendance, a.reason \
         FROM member_spans s JOIN members m ON m.id = s.member_id JOIN units u ON u.id = s.unit_id \
         LEFT JOIN study_attendance a ON a.session_id = $4 AND a.member_id = s.member_id \
         WHERE {} AND s.status <> '' AND {} ORDER BY s.unit_path, m.sort_key, m.code LIMIT $5",
        in_subtree("s.unit_path", "$1", "$2"),
        crate::engine::sql::in_force("s.from_date", "s.to_date", "$3")
    );
    Ok(fetch_all!(
        tx,
        sql,
        [lo, hi, session.from, session.id, limit],
        |row| {
            let attendance: Option<String> = row.try_get("attendance")?;
            Ok(RosterRow {
                member_code: row.try_get("code")?,
                full_name: row.try_get("full_name")?,
                unit_code: row.try_get("unit_code")?,
                attendance: match attendance {
                    Some(a) => Some(decode(Attendance::parse(&a), "attendance", &a)?),
                    None => None,
                },
                reason: row
                    .try_get::<Option<String>, _>("reason")?
                    .unwrap_or_default(),
            })
        }
    )?)
}

/// A new session's columns.
pub(crate) struct SessionRow<'a> {
    pub code: &'a str,
    pub unit_id: i64,
    pub unit_path: &'a str,
    pub organizer_body: &'a str,
    pub kind: StudyKind,
    pub title: &'a str,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub place: &'a str,
    pub online: bool,
}

pub(crate) async fn insert(tx: &mut Tx, row: &SessionRow<'_>, recorded_by: &str) -> Result<i64> {
    let id = fetch_optional!(
        tx,
        "INSERT INTO study_sessions (code, unit_id, unit_path, organizer_body, kind, title, \
         from_date, to_date, place, online, recorded_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, \
         $9, $10, $11) RETURNING id",
        [
            row.code,
            row.unit_id,
            row.unit_path,
            row.organizer_body,
            row.kind.code(),
            row.title,
            row.from,
            row.to,
            row.place,
            i64::from(row.online),
            recorded_by
        ],
        |r| r.try_get::<i64, _>("id")
    )?;
    id.ok_or_else(|| StoreError::NotFound("buổi học tập vừa ghi".into()))
}

pub(crate) async fn insert_document(
    tx: &mut Tx,
    session_id: i64,
    position: i64,
    document: &SessionDocument,
) -> Result<()> {
    execute!(
        tx,
        "INSERT INTO study_session_documents (session_id, position, document_id, number, title) \
         VALUES ($1, $2, $3, $4, $5)",
        [
            session_id,
            position,
            document.document_id,
            document.number.as_str(),
            document.title.as_str()
        ]
    )?;
    Ok(())
}

pub(crate) async fn insert_unit(
    tx: &mut Tx,
    session_id: i64,
    unit_id: i64,
    unit_path: &str,
    recorded_by: &str,
) -> Result<()> {
    execute!(
        tx,
        "INSERT INTO study_units (session_id, unit_id, unit_path, by_count, expected, attended, \
         non_members, recorded_by) VALUES ($1, $2, $3, 0, NULL, NULL, 0, $4)",
        [session_id, unit_id, unit_path, recorded_by]
    )?;
    Ok(())
}

/// Sets a unit's attendance as counts (`attended` some: only counts are known).
pub(crate) async fn set_counts(
    tx: &mut Tx,
    session_id: i64,
    unit_id: i64,
    expected: Option<i64>,
    attended: Option<i64>,
    non_members: i64,
) -> Result<()> {
    execute!(
        tx,
        "UPDATE study_units SET by_count = $1, expected = $2, attended = $3, non_members = $4 \
         WHERE session_id = $5 AND unit_id = $6",
        [
            i64::from(attended.is_some()),
            expected,
            attended,
            non_members,
            session_id,
            unit_id
        ]
    )?;
    Ok(())
}

/// A member's attendance, replacing what was recorded for them at the session.
pub(crate) struct MarkRow<'a> {
    pub session_id: i64,
    pub unit_id: i64,
    pub member_id: i64,
    pub member_path: &'a str,
    pub attendance: Attendance,
    pub reason: &'a str,
}

pub(crate) async fn mark(tx: &mut Tx, row: &MarkRow<'_>, recorded_by: &str) -> Result<()> {
    execute!(
        tx,
        "DELETE FROM study_attendance WHERE session_id = $1 AND member_id = $2",
        [row.session_id, row.member_id]
    )?;
    execute!(
        tx,
        "INSERT INTO study_attendance (session_id, unit_id, member_id, unit_path, attendance, \
         reason, recorded_by) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        [
            row.session_id,
            row.unit_id,
            row.member_id,
            row.member_path,
            row.attendance.code(),
            row.reason,
            recorded_by
        ]
    )?;
    Ok(())
}

/// A work programme's document by number, issued by the unit at `path` or one above it.
pub(crate) async fn document_by_number(
    tx: &mut Tx,
    path: &str,
    number: &str,
) -> Result<Option<(i64, String)>> {
    let found = fetch_all!(
        tx,
        "SELECT id, unit_path, title FROM documents WHERE number = $1 ORDER BY year DESC, id DESC",
        [number],
        |row| Ok((
            row.try_get::<i64, _>("id")?,
            row.try_get::<String, _>("unit_path")?,
            row.try_get::<String, _>("title")?
        ))
    )?;
    Ok(found
        .into_iter()
        .find(|(_, unit_path, _)| path.starts_with(unit_path.as_str()))
        .map(|(id, _, title)| (id, title)))
}
