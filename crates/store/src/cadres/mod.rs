//! Cadre work's records: the persons who hold posts or have training facts ([`persons`]), the
//! posts they hold in units over time (holdings), and their training ([`training`], read from and
//! written to files by [`columns`]). The access layer checks the capability, the scope and the
//! rules, and writes the audit row.

pub(crate) mod columns;
pub(crate) mod figures;
pub(crate) mod persons;
pub(crate) mod training;

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
    /// The body or title the post is of ("Hội Nông dân", "Tư pháp – Hộ tịch").
    pub post_detail: String,
    #[serde(skip)]
    pub person_id: i64,
    /// The member holding it, or none for a non-member.
    pub member_code: Option<String>,
    /// A non-member's own code.
    pub person_code: Option<String>,
    pub person_name: String,
    /// The village whose post it is (trưởng thôn), held at the branch covering it.
    pub village: String,
    pub from: NaiveDate,
    /// The first day it is no longer held.
    pub to: Option<NaiveDate>,
    pub start_move: Move,
    pub start_body: String,
    pub start_decision: String,
    pub start_decided_on: Option<NaiveDate>,
    pub end_move: Option<Move>,
    pub end_body: String,
    pub end_decision: String,
    pub end_decided_on: Option<NaiveDate>,
}

impl Holding {
    pub fn held_on(&self, day: NaiveDate) -> bool {
        self.from <= day && self.to.is_none_or(|to| to > day)
    }

    /// The code people name the holder by.
    pub fn holder(&self) -> &str {
        self.member_code
            .as_deref()
            .or(self.person_code.as_deref())
            .unwrap_or_default()
    }
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
                post_detail: $row.try_get("post_detail")?,
                person_id: $row.try_get("person_id")?,
                member_code: $row.try_get("member_code")?,
                person_code: $row.try_get("person_code")?,
                person_name: $row.try_get("person_name")?,
                village: $row.try_get("village")?,
                from: $row.try_get("from_date")?,
                to: $row.try_get("to_date")?,
                start_move: decode(Move::parse(&start), "move", &start)?,
                start_body: $row.try_get("start_body")?,
                start_decision: $row.try_get("start_decision")?,
                start_decided_on: $row.try_get("start_decided_on")?,
                end_move: match end {
                    Some(e) => Some(decode(Move::parse(&e), "move", &e)?),
                    None => None,
                },
                end_body: $row.try_get("end_body")?,
                end_decision: $row.try_get("end_decision")?,
                end_decided_on: $row.try_get("end_decided_on")?,
            })
        })()
    };
}

const SELECT: &str = "SELECT h.*, u.code AS unit_code, (SELECT n.name FROM unit_names n \
     WHERE n.unit_id = u.id ORDER BY n.from_date DESC LIMIT 1) AS unit_name, \
     p.code AS person_code, m.code AS member_code, \
     COALESCE(m.full_name, p.full_name) AS person_name \
     FROM holdings h JOIN units u ON u.id = h.unit_id JOIN persons p ON p.id = h.person_id \
     LEFT JOIN members m ON m.id = p.member_id";

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

/// A person's holdings, oldest first.
pub(crate) async fn of_person(tx: &mut Tx, person_id: i64) -> Result<Vec<Holding>> {
    let sql = format!("{SELECT} WHERE h.person_id = $1 ORDER BY h.from_date, h.id");
    Ok(fetch_all!(tx, sql, [person_id], |row| holding_from_row!(
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

/// The holdings of a post in a unit that overlap the days from `from` to `to` (exclusive; open).
pub(crate) async fn overlapping(
    tx: &mut Tx,
    unit_id: i64,
    post: Post,
    from: NaiveDate,
    to: Option<NaiveDate>,
) -> Result<Vec<Holding>> {
    // A far day for an open end keeps one statement for both engines (SQLite compares dates
    // as text: the day must have four digits of year).
    let to = to.unwrap_or(NaiveDate::from_ymd_opt(9999, 12, 31).unwrap_or(NaiveDate::MAX));
    let sql = format!(
        "{SELECT} WHERE h.unit_id = $1 AND h.post = $2 AND (h.to_date IS NULL OR h.to_date > $3) \
         AND h.from_date < $4 ORDER BY h.from_date"
    );
    Ok(fetch_all!(
        tx,
        sql,
        [unit_id, post.code(), from, to],
        |row| { holding_from_row!(row) }
    )?)
}

/// Ends the holdings of a unit still open on the day the unit ends (restructuring): its posts
/// end with it, with no decision of their own.
pub(crate) async fn close_in_unit(tx: &mut Tx, unit_id: i64, day: NaiveDate) -> Result<()> {
    execute!(
        tx,
        "UPDATE holdings SET to_date = $1 WHERE unit_id = $2 AND from_date < $1 \
         AND (to_date IS NULL OR to_date > $1)",
        [day, unit_id]
    )?;
    Ok(())
}

/// A member's spans: (member id, [(first day, end)]).
pub(crate) type MemberSpans = (i64, Vec<(NaiveDate, Option<NaiveDate>)>);

/// Ends the party posts of members on the first day they stop being members (death, expulsion,
/// removal, leaving the database): a party post is a member's. `spans` are each member's spans
/// (first day, end) as just written. A post is only ever shortened here, never reopened.
pub(crate) async fn close_party_posts(tx: &mut Tx, spans: &[MemberSpans]) -> Result<()> {
    let party: Vec<String> = Post::ALL
        .iter()
        .filter(|p| p.is_party_post())
        .map(|p| format!("'{}'", p.code()))
        .collect();
    for chunk in spans.chunks(500) {
        let list = crate::engine::id_list(&chunk.iter().map(|(id, _)| *id).collect::<Vec<_>>());
        let sql = format!(
            "SELECT h.id, h.from_date, h.to_date, p.member_id FROM holdings h \
             JOIN persons p ON p.id = h.person_id WHERE p.member_id IN ({list}) \
             AND h.post IN ({})",
            party.join(", ")
        );
        let held = fetch_all!(tx, sql, [], |row| Ok((
            row.try_get::<i64, _>("id")?,
            row.try_get::<NaiveDate, _>("from_date")?,
            row.try_get::<Option<NaiveDate>, _>("to_date")?,
            row.try_get::<i64, _>("member_id")?
        )))?;
        for (id, from, to, member) in held {
            let Some((_, list)) = chunk.iter().find(|(m, _)| *m == member) else {
                continue;
            };
            let mut sorted = list.clone();
            sorted.sort();
            // The membership holding the post's first day, followed through adjoining spans.
            let Some(mut end) = sorted
                .iter()
                .find(|(f, t)| *f <= from && t.is_none_or(|t| t > from))
                .map(|(_, t)| *t)
            else {
                continue;
            };
            while let Some(e) = end {
                match sorted.iter().find(|(f, _)| *f == e) {
                    Some((_, next)) => end = *next,
                    None => break,
                }
            }
            if let Some(e) = end
                && to.is_none_or(|t| t > e)
            {
                execute!(
                    tx,
                    "UPDATE holdings SET to_date = $1 WHERE id = $2",
                    [e, id]
                )?;
            }
        }
    }
    Ok(())
}

/// A new holding's columns.
pub(crate) struct HoldingRow<'a> {
    pub unit_id: i64,
    pub unit_path: &'a str,
    pub post: Post,
    pub post_detail: &'a str,
    pub person_id: i64,
    pub village: &'a str,
    pub from: NaiveDate,
    pub start_move: Move,
    pub start_body: &'a str,
    pub start_decision: &'a str,
    pub start_decided_on: Option<NaiveDate>,
}

pub(crate) async fn insert(tx: &mut Tx, row: &HoldingRow<'_>, recorded_by: &str) -> Result<i64> {
    let id = fetch_optional!(
        tx,
        "INSERT INTO holdings (unit_id, unit_path, post, post_detail, person_id, village, \
         from_date, to_date, start_move, start_body, start_decision, start_decided_on, end_move, \
         end_body, end_decision, end_decided_on, end_discipline_id, end_event_id, recorded_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, $8, $9, $10, $11, NULL, '', '', NULL, NULL, \
         NULL, $12) RETURNING id",
        [
            row.unit_id,
            row.unit_path,
            row.post.code(),
            row.post_detail,
            row.person_id,
            row.village,
            row.from,
            row.start_move.code(),
            row.start_body,
            row.start_decision,
            row.start_decided_on,
            recorded_by
        ],
        |r| r.try_get::<i64, _>("id")
    )?;
    id.ok_or_else(|| StoreError::NotFound("chức vụ vừa ghi".into()))
}

/// The end of a holding.
pub(crate) struct EndRow<'a> {
    pub to: NaiveDate,
    pub end_move: Option<Move>,
    pub end_body: &'a str,
    pub end_decision: &'a str,
    pub end_decided_on: Option<NaiveDate>,
}

/// Ends a holding on a day.
pub(crate) async fn end(tx: &mut Tx, id: i64, row: &EndRow<'_>) -> Result<()> {
    execute!(
        tx,
        "UPDATE holdings SET to_date = $1, end_move = $2, end_body = $3, end_decision = $4, \
         end_decided_on = $5 WHERE id = $6",
        [
            row.to,
            row.end_move.map(|m| m.code()),
            row.end_body,
            row.end_decision,
            row.end_decided_on,
            id
        ]
    )?;
    Ok(())
}
