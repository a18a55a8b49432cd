//! Cadre work's queries: the posts held in units over time (holdings) and the training facts of
//! members. The access layer checks the capability, the scope and the rules, and writes the
//! audit row.

pub(crate) mod figures;

use chrono::NaiveDate;
use dangbo_domain::cadres::{Move, Post};
use serde::Serialize;

use crate::engine::sql::{in_force, in_subtree};
use crate::tree::subtree_bounds;
use crate::{Result, StoreError, Tx};

/// A holding as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Holding {
    pub id: i64,
    pub unit_code: String,
    pub unit_name: String,
    #[serde(skip)]
    pub unit_path: String,
    pub post: Post,
    #[serde(skip)]
    pub member_id: Option<i64>,
    /// The member holding it, or none for a non-member.
    pub member_code: Option<String>,
    pub person_name: String,
    pub birth_date: Option<NaiveDate>,
    /// The village whose post it is (trưởng thôn), held at the branch covering it.
    pub village: String,
    pub from: NaiveDate,
    /// The first day it is no longer held.
    pub to: Option<NaiveDate>,
    pub start_move: Move,
    pub start_decision: String,
    pub end_move: Option<Move>,
    pub end_decision: String,
}

fn decode<T>(parsed: Option<T>, what: &str, code: &str) -> std::result::Result<T, sqlx::Error> {
    parsed.ok_or_else(|| sqlx::Error::Decode(format!("unknown {what} {code}").into()))
}

macro_rules! holding_from_row {
    ($row:ident) => {
        (|| -> std::result::Result<Holding, sqlx::Error> {
            let post: String = $row.try_get("post")?;
            let start: String = $row.try_get("start_move")?;
            let end: Option<String> = $row.try_get("end_move")?;
            Ok(Holding {
                id: $row.try_get("id")?,
                unit_code: $row.try_get("unit_code")?,
                unit_name: $row.try_get("unit_name")?,
                unit_path: $row.try_get("unit_path")?,
                post: decode(Post::parse(&post), "post", &post)?,
                member_id: $row.try_get("member_id")?,
                member_code: $row.try_get("member_code")?,
                person_name: $row.try_get("person_name")?,
                birth_date: $row.try_get("birth_date")?,
                village: $row.try_get("village")?,
                from: $row.try_get("from_date")?,
                to: $row.try_get("to_date")?,
                start_move: decode(Move::parse(&start), "move", &start)?,
                start_decision: $row.try_get("start_decision")?,
                end_move: match end {
                    Some(e) => Some(decode(Move::parse(&e), "move", &e)?),
                    None => None,
                },
                end_decision: $row.try_get("end_decision")?,
            })
        })()
    };
}

const SELECT: &str = "SELECT h.*, u.code AS unit_code, (SELECT n.name FROM unit_names n \
     WHERE n.unit_id = u.id ORDER BY n.from_date DESC LIMIT 1) AS unit_name, \
     m.code AS member_code FROM holdings h JOIN units u ON u.id = h.unit_id \
     LEFT JOIN members m ON m.id = h.member_id";

/// The holdings of units in the subtree of `path` held on `on`, by unit and post.
pub(crate) async fn held_under(tx: &mut Tx, path: &str, on: NaiveDate) -> Result<Vec<Holding>> {
    let (lo, hi) = subtree_bounds(path);
    let sql = format!(
        "{SELECT} WHERE {} AND {} ORDER BY h.unit_path, h.post, h.from_date, h.id",
        in_subtree("h.unit_path", "$1", "$2"),
        in_force("h.from_date", "h.to_date", "$3")
    );
    Ok(fetch_all!(tx, sql, [lo, hi, on], |row| holding_from_row!(
        row
    ))?)
}

/// The holdings of units in the subtree of `path` started or ended in the period (the moves),
/// oldest first.
pub(crate) async fn moved_under(
    tx: &mut Tx,
    path: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<Holding>> {
    let (lo, hi) = subtree_bounds(path);
    let sql = format!(
        "{SELECT} WHERE {} AND ((h.from_date >= $3 AND h.from_date <= $4) \
         OR (h.to_date >= $3 AND h.to_date <= $4)) ORDER BY h.from_date, h.id",
        in_subtree("h.unit_path", "$1", "$2")
    );
    Ok(fetch_all!(
        tx,
        sql,
        [lo, hi, from, to],
        |row| holding_from_row!(row)
    )?)
}

/// A member's holdings, oldest first.
pub(crate) async fn of_member(tx: &mut Tx, member_id: i64) -> Result<Vec<Holding>> {
    let sql = format!("{SELECT} WHERE h.member_id = $1 ORDER BY h.from_date, h.id");
    Ok(fetch_all!(tx, sql, [member_id], |row| holding_from_row!(
        row
    ))?)
}

/// A holding by id.
pub(crate) async fn by_id(tx: &mut Tx, id: i64) -> Result<Option<Holding>> {
    let sql = format!("{SELECT} WHERE h.id = $1");
    Ok(fetch_optional!(tx, sql, [id], |row| holding_from_row!(
        row
    ))?)
}

/// The holdings of a post in a unit that overlap a period (`to` open: from `from` on).
pub(crate) async fn overlapping(
    tx: &mut Tx,
    unit_id: i64,
    post: Post,
    from: NaiveDate,
    to: Option<NaiveDate>,
) -> Result<Vec<Holding>> {
    let sql = format!(
        "{SELECT} WHERE h.unit_id = $1 AND h.post = $2 AND (h.to_date IS NULL OR h.to_date > $3) \
         AND ($4 IS NULL OR h.from_date < $4)"
    );
    Ok(fetch_all!(
        tx,
        sql,
        [unit_id, post.code(), from, to],
        |row| { holding_from_row!(row) }
    )?)
}

/// A new holding's columns.
pub(crate) struct HoldingRow<'a> {
    pub unit_id: i64,
    pub unit_path: &'a str,
    pub post: Post,
    pub member_id: Option<i64>,
    pub person_name: &'a str,
    pub birth_date: Option<NaiveDate>,
    pub village: &'a str,
    pub from: NaiveDate,
    pub start_move: Move,
    pub start_decision: &'a str,
}

pub(crate) async fn insert(tx: &mut Tx, row: &HoldingRow<'_>, recorded_by: &str) -> Result<i64> {
    let id = fetch_optional!(
        tx,
        "INSERT INTO holdings (unit_id, unit_path, post, member_id, person_name, birth_date, \
         village, from_date, to_date, start_move, start_decision, end_move, end_decision, \
         recorded_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL, $9, $10, NULL, '', $11) \
         RETURNING id",
        [
            row.unit_id,
            row.unit_path,
            row.post.code(),
            row.member_id,
            row.person_name,
            row.birth_date,
            row.village,
            row.from,
            row.start_move.code(),
            row.start_decision,
            recorded_by
        ],
        |r| r.try_get::<i64, _>("id")
    )?;
    id.ok_or_else(|| StoreError::NotFound("chức vụ vừa ghi".into()))
}

/// Ends a holding on a day by a decision.
pub(crate) async fn end(
    tx: &mut Tx,
    id: i64,
    to: NaiveDate,
    end_move: Move,
    decision: &str,
) -> Result<()> {
    execute!(
        tx,
        "UPDATE holdings SET to_date = $1, end_move = $2, end_decision = $3 WHERE id = $4",
        [to, end_move.code(), decision, id]
    )?;
    Ok(())
}
