//! Ratings' queries: the current rating of a member or an organization for a period, the ratings
//! under a subtree, the members a branch rates on a review date, and writing a rating (a new one
//! replaces the current one, which stays as history). The access layer checks the scope and the
//! rules and writes the audit row.

pub(crate) mod columns;
pub(crate) mod figures;

use chrono::NaiveDate;
use dangbo_domain::ratings::{Period, Subject};
use serde::Serialize;

use crate::engine::sql::{in_force, in_subtree};
use crate::tree::{Unit, subtree_bounds};
use crate::{Result, StoreError, Tx};

/// A rating as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rating {
    pub id: i64,
    pub subject: Subject,
    #[serde(skip)]
    pub member_id: Option<i64>,
    /// The member rated (for a member's rating), with their name.
    pub member_code: Option<String>,
    pub member_name: Option<String>,
    /// The branch a member was rated at, or the organization rated.
    pub unit_code: String,
    pub unit_name: String,
    #[serde(skip)]
    pub unit_path: String,
    pub period: Period,
    pub self_level: String,
    pub proposed_level: String,
    pub level: String,
    pub points: Option<u32>,
    pub decided_by: String,
    pub decision_number: String,
    pub comment: String,
    /// The decision allowing a level past the quota, when one was needed.
    pub quota_exception: String,
    /// Whether it is the rating in force (a later decision replaced it otherwise).
    pub current: bool,
}

/// The unit's name is its latest.
const FIELDS: &str = "r.*, u.code AS unit_code, m.code AS member_code, m.full_name AS member_name, \
     (SELECT n.name FROM unit_names n WHERE n.unit_id = u.id ORDER BY n.from_date DESC LIMIT 1) \
     AS unit_name";
const FROM: &str =
    "ratings r JOIN units u ON u.id = r.unit_id LEFT JOIN members m ON m.id = r.member_id";

macro_rules! rating_from_row {
    ($row:ident) => {
        (|| -> std::result::Result<Rating, sqlx::Error> {
            let subject: String = $row.try_get("subject")?;
            let points: Option<i64> = $row.try_get("points")?;
            let quarter: Option<i64> = $row.try_get("quarter")?;
            let year: i64 = $row.try_get("year")?;
            Ok(Rating {
                id: $row.try_get("id")?,
                subject: Subject::parse(&subject).ok_or_else(|| {
                    sqlx::Error::Decode(format!("unknown subject {subject}").into())
                })?,
                member_id: $row.try_get("member_id")?,
                member_code: $row.try_get("member_code")?,
                member_name: $row.try_get("member_name")?,
                unit_code: $row.try_get("unit_code")?,
                unit_name: $row.try_get("unit_name")?,
                unit_path: $row.try_get("unit_path")?,
                period: Period {
                    year: i32::try_from(year).unwrap_or_default(),
                    quarter: quarter.and_then(|q| u32::try_from(q).ok()),
                },
                self_level: $row.try_get("self_level")?,
                proposed_level: $row.try_get("proposed_level")?,
                level: $row.try_get("level")?,
                points: points.and_then(|p| u32::try_from(p).ok()),
                decided_by: $row.try_get("decided_by")?,
                decision_number: $row.try_get("decision_number")?,
                comment: $row.try_get("comment")?,
                quota_exception: $row.try_get("quota_exception")?,
                current: $row.try_get::<i64, _>("current")? == 1,
            })
        })()
    };
}

/// The condition on a period's columns, `year` and `quarter` bound at `$n` and `$n+1`.
fn period_is(n: usize) -> String {
    format!(
        "r.year = ${n} AND (r.quarter = ${} OR (r.quarter IS NULL AND ${} IS NULL))",
        n + 1,
        n + 1
    )
}

fn quarter_value(period: Period) -> Option<i64> {
    period.quarter.map(i64::from)
}

/// The current rating of a member, or of an organization, for a period.
pub(crate) async fn current(
    tx: &mut Tx,
    subject: Subject,
    id: i64,
    period: Period,
) -> Result<Option<Rating>> {
    let who = match subject {
        Subject::Member => "r.member_id = $1",
        Subject::Organization => "r.member_id IS NULL AND r.unit_id = $1",
    };
    let sql = format!(
        "SELECT {FIELDS} FROM {FROM} WHERE {who} AND {} AND r.current = 1",
        period_is(2)
    );
    Ok(fetch_optional!(
        tx,
        sql,
        [id, i64::from(period.year), quarter_value(period)],
        |row| rating_from_row!(row)
    )?)
}

/// The current ratings of a period in the subtree of `path`, of members or of organizations.
pub(crate) async fn current_under(
    tx: &mut Tx,
    path: &str,
    subject: Subject,
    period: Period,
) -> Result<Vec<Rating>> {
    let (lo, hi) = subtree_bounds(path);
    let sql = format!(
        "SELECT {FIELDS} FROM {FROM} WHERE {} AND r.subject = $3 AND {} AND r.current = 1 \
         ORDER BY u.path, m.sort_key, r.id",
        in_subtree("r.unit_path", "$1", "$2"),
        period_is(4)
    );
    Ok(fetch_all!(
        tx,
        sql,
        [
            lo,
            hi,
            subject.code(),
            i64::from(period.year),
            quarter_value(period)
        ],
        |row| rating_from_row!(row)
    )?)
}

/// The current ratings of every period in the subtree of `path`, of members or of
/// organizations, by period then place.
pub(crate) async fn current_all_under(
    tx: &mut Tx,
    path: &str,
    subject: Subject,
) -> Result<Vec<Rating>> {
    let (lo, hi) = subtree_bounds(path);
    let sql = format!(
        "SELECT {FIELDS} FROM {FROM} WHERE {} AND r.subject = $3 AND r.current = 1 \
         ORDER BY r.year, COALESCE(r.quarter, 4), u.path, m.sort_key, r.id",
        in_subtree("r.unit_path", "$1", "$2"),
    );
    Ok(fetch_all!(tx, sql, [lo, hi, subject.code()], |row| {
        rating_from_row!(row)
    })?)
}

/// The current ratings of a period of the given members, wherever they were rated, by member id.
pub(crate) async fn current_for_members(
    tx: &mut Tx,
    member_ids: &[i64],
    period: Period,
) -> Result<std::collections::HashMap<i64, Rating>> {
    let mut found = std::collections::HashMap::new();
    for chunk in member_ids.chunks(500) {
        let sql = format!(
            "SELECT {FIELDS} FROM {FROM} WHERE r.member_id IN ({}) AND {} AND r.current = 1",
            crate::engine::id_list(chunk),
            period_is(1)
        );
        let rows = fetch_all!(
            tx,
            sql,
            [i64::from(period.year), quarter_value(period)],
            |row| rating_from_row!(row)
        )?;
        found.extend(
            rows.into_iter()
                .filter_map(|r| r.member_id.map(|id| (id, r))),
        );
    }
    Ok(found)
}

/// A member's current ratings, by period.
pub(crate) async fn of_member(tx: &mut Tx, member_id: i64) -> Result<Vec<Rating>> {
    let sql = format!(
        "SELECT {FIELDS} FROM {FROM} WHERE r.member_id = $1 AND r.current = 1 \
         ORDER BY r.year, COALESCE(r.quarter, 4), r.id"
    );
    Ok(fetch_all!(tx, sql, [member_id], |row| rating_from_row!(
        row
    ))?)
}

/// A rating to write (already checked).
pub(crate) struct RatingRow<'a> {
    pub subject: Subject,
    pub member_id: Option<i64>,
    pub unit: &'a Unit,
    pub period: Period,
    pub self_level: &'a str,
    pub proposed_level: &'a str,
    pub level: &'a str,
    pub points: Option<u32>,
    pub decided_by: &'a str,
    pub decision_number: &'a str,
    pub comment: &'a str,
    pub quota_exception: &'a str,
}

/// Writes a rating; the one it replaces, if any, stays as history.
pub(crate) async fn insert(
    tx: &mut Tx,
    row: &RatingRow<'_>,
    replaces: Option<i64>,
    recorded_by: &str,
) -> Result<i64> {
    if let Some(old) = replaces {
        execute!(tx, "UPDATE ratings SET current = 0 WHERE id = $1", [old])?;
    }
    let id = fetch_optional!(
        tx,
        "INSERT INTO ratings (subject, member_id, unit_id, unit_path, year, quarter, self_level, \
         proposed_level, level, points, decided_by, decision_number, comment, quota_exception, \
         replaces_id, current, recorded_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, 1, $16) \
         RETURNING id",
        [
            row.subject.code(),
            row.member_id,
            row.unit.id,
            row.unit.path.as_str(),
            i64::from(row.period.year),
            quarter_value(row.period),
            row.self_level,
            row.proposed_level,
            row.level,
            row.points.map(i64::from),
            row.decided_by,
            row.decision_number,
            row.comment,
            row.quota_exception,
            replaces,
            recorded_by
        ],
        |r| r.try_get::<i64, _>("id")
    )?;
    id.ok_or_else(|| StoreError::NotFound("xếp loại vừa ghi".into()))
}

/// A member on a branch's list on the review date, with what decides whether they are rated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Listed {
    pub member_id: i64,
    pub code: String,
    pub full_name: String,
    pub status: String,
    pub exempt: bool,
    pub suspended: bool,
    /// Their latest admission (or readmission) decided by the review date.
    pub admitted_on: Option<NaiveDate>,
}

/// The members active in a branch itself on `on`, in Vietnamese name order.
pub(crate) async fn listed(tx: &mut Tx, unit_id: i64, on: NaiveDate) -> Result<Vec<Listed>> {
    let sql = format!(
        "SELECT m.id, m.code, m.full_name, s.status, s.exempt, s.suspended \
         FROM member_spans s JOIN members m ON m.id = s.member_id \
         WHERE s.unit_id = $1 AND {} ORDER BY m.sort_key, m.code",
        in_force("s.from_date", "s.to_date", "$2")
    );
    let mut list = fetch_all!(tx, sql, [unit_id, on], |row| Ok(Listed {
        member_id: row.try_get("id")?,
        code: row.try_get("code")?,
        full_name: row.try_get("full_name")?,
        status: row.try_get("status")?,
        exempt: row.try_get::<i64, _>("exempt")? == 1,
        suspended: row.try_get::<i64, _>("suspended")? == 1,
        admitted_on: None,
    }))?;
    let ids: Vec<i64> = list.iter().map(|l| l.member_id).collect();
    let mut admitted: std::collections::HashMap<i64, NaiveDate> = std::collections::HashMap::new();
    for chunk in ids.chunks(500) {
        let sql = format!(
            "SELECT member_id, event_date FROM member_events WHERE member_id IN ({}) \
             AND kind IN ('admission', 'readmission') AND event_date <= $1 \
             ORDER BY member_id, event_date",
            crate::engine::id_list(chunk)
        );
        let rows = fetch_all!(tx, sql, [on], |row| Ok((
            row.try_get::<i64, _>("member_id")?,
            row.try_get::<NaiveDate, _>("event_date")?
        )))?;
        // In date order: the latest admission of each member stays.
        admitted.extend(rows);
    }
    for l in &mut list {
        l.admitted_on = admitted.get(&l.member_id).copied();
    }
    Ok(list)
}

/// A branch's proposal for a member's rating, before the decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Proposal {
    pub self_level: String,
    pub proposed_level: String,
    pub comment: String,
    pub proposed_by: String,
}

/// The proposals of a branch's members for a period, by member id.
pub(crate) async fn proposals(
    tx: &mut Tx,
    unit_id: i64,
    period: Period,
) -> Result<std::collections::HashMap<i64, Proposal>> {
    let sql = format!(
        "SELECT r.member_id, r.self_level, r.proposed_level, r.comment, r.proposed_by \
         FROM rating_proposals r WHERE r.unit_id = $1 AND {}",
        period_is(2)
    );
    let rows = fetch_all!(
        tx,
        sql,
        [unit_id, i64::from(period.year), quarter_value(period)],
        |row| Ok((
            row.try_get::<i64, _>("member_id")?,
            Proposal {
                self_level: row.try_get("self_level")?,
                proposed_level: row.try_get("proposed_level")?,
                comment: row.try_get("comment")?,
                proposed_by: row.try_get("proposed_by")?,
            }
        ))
    )?;
    Ok(rows.into_iter().collect())
}

/// Writes a member's proposal for a period at a branch, replacing the one before.
pub(crate) async fn propose(
    tx: &mut Tx,
    member_id: i64,
    unit: &Unit,
    period: Period,
    proposal: &Proposal,
) -> Result<()> {
    let sql = format!(
        "DELETE FROM rating_proposals AS r WHERE r.member_id = $1 AND {}",
        period_is(2)
    );
    execute!(
        tx,
        sql,
        [member_id, i64::from(period.year), quarter_value(period)]
    )?;
    execute!(
        tx,
        "INSERT INTO rating_proposals (member_id, unit_id, unit_path, year, quarter, self_level, \
         proposed_level, comment, proposed_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        [
            member_id,
            unit.id,
            unit.path.as_str(),
            i64::from(period.year),
            quarter_value(period),
            proposal.self_level.as_str(),
            proposal.proposed_level.as_str(),
            proposal.comment.as_str(),
            proposal.proposed_by.as_str()
        ]
    )?;
    Ok(())
}
