//! Member events: the only way a member's status and unit change. Writing events re-derives the
//! member's whole history (spans, and the unit each event counts in) in the same transaction.

use std::collections::HashMap;

use chrono::NaiveDate;
use dangbo_domain::members::events::{EventCause, EventFacts, EventKind};
use dangbo_domain::members::history::{History, derive_history};
use dangbo_domain::text::clean;
use serde::Serialize;

use crate::engine::Value;
use crate::engine::sql::in_force;
use crate::figures::summary;
use crate::tree::Unit;
use crate::{Refusal, Result, StoreError, Tx};

/// An event to record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewEvent {
    pub kind: EventKind,
    pub date: NaiveDate,
    pub ceremony_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    pub decision_number: String,
    pub issuing_body: String,
    pub from_unit_id: Option<i64>,
    pub to_unit_id: Option<i64>,
    /// The other side of a transfer when it is outside this database.
    pub external_unit: String,
    pub note: String,
    pub cause: EventCause,
    pub restructure_id: Option<i64>,
}

impl NewEvent {
    /// A plain recorded event with no units or papers; fill the rest with struct update syntax.
    pub fn new(kind: EventKind, date: NaiveDate) -> NewEvent {
        NewEvent {
            kind,
            date,
            ceremony_date: None,
            end_date: None,
            decision_number: String::new(),
            issuing_body: String::new(),
            from_unit_id: None,
            to_unit_id: None,
            external_unit: String::new(),
            note: String::new(),
            cause: EventCause::Recorded,
            restructure_id: None,
        }
    }

    /// Two events are the same fact when kind, date and units agree (re-imports skip them).
    fn same_fact(&self, other: &NewEvent) -> bool {
        self.kind == other.kind
            && self.date == other.date
            && self.from_unit_id == other.from_unit_id
            && self.to_unit_id == other.to_unit_id
    }
}

/// A stored event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredEvent {
    pub id: i64,
    pub member_id: i64,
    #[serde(flatten)]
    pub event: NewEvent,
    /// The unit where the event counts (derived).
    pub unit_id: Option<i64>,
}

/// Why a member's new events were refused: the index among the new events, and the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventRefusal {
    pub member_id: i64,
    pub new_index: usize,
    /// The history rule broken (`history.…`).
    pub code: &'static str,
    pub message: String,
    pub message_en: String,
}

const EVENT_COLUMNS: [&str; 17] = [
    "member_id",
    "kind",
    "event_date",
    "ceremony_date",
    "end_date",
    "decision_number",
    "issuing_body",
    "from_unit_id",
    "to_unit_id",
    "external_unit",
    "note",
    "cause",
    "restructure_id",
    "unit_path",
    "from_path",
    "to_path",
    "id",
];

/// Loads the stored events of some members, in date order.
pub async fn of_members(tx: &mut Tx, member_ids: &[i64]) -> Result<HashMap<i64, Vec<StoredEvent>>> {
    let mut out: HashMap<i64, Vec<StoredEvent>> = HashMap::new();
    for chunk in member_ids.chunks(500) {
        let list = crate::engine::id_list(chunk);
        let sql = format!(
            "SELECT e.*, u.id AS counted_unit FROM member_events e \
             LEFT JOIN units u ON u.path = e.unit_path \
             WHERE e.member_id IN ({list}) ORDER BY e.member_id, e.event_date, e.id"
        );
        let rows = fetch_all!(tx, sql, [], |row| {
            let kind: String = row.try_get("kind")?;
            let cause: String = row.try_get("cause")?;
            Ok(StoredEvent {
                id: row.try_get("id")?,
                member_id: row.try_get("member_id")?,
                event: NewEvent {
                    kind: EventKind::parse(&kind).ok_or_else(|| {
                        sqlx::Error::Decode(format!("unknown event kind {kind}").into())
                    })?,
                    date: row.try_get("event_date")?,
                    ceremony_date: row.try_get("ceremony_date")?,
                    end_date: row.try_get("end_date")?,
                    decision_number: row.try_get("decision_number")?,
                    issuing_body: row.try_get("issuing_body")?,
                    from_unit_id: row.try_get("from_unit_id")?,
                    to_unit_id: row.try_get("to_unit_id")?,
                    external_unit: row.try_get("external_unit")?,
                    note: row.try_get("note")?,
                    cause: EventCause::parse(&cause).ok_or_else(|| {
                        sqlx::Error::Decode(format!("unknown event cause {cause}").into())
                    })?,
                    restructure_id: row.try_get("restructure_id")?,
                },
                unit_id: row.try_get("counted_unit")?,
            })
        })?;
        for event in rows {
            out.entry(event.member_id).or_default().push(event);
        }
    }
    Ok(out)
}

fn facts(event: &NewEvent, units: &HashMap<i64, Unit>) -> EventFacts {
    EventFacts {
        kind: event.kind,
        date: event.date,
        ceremony_date: event.ceremony_date,
        end_date: event.end_date,
        from_unit: event
            .from_unit_id
            .and_then(|id| units.get(&id))
            .map(Unit::facts),
        to_unit: event
            .to_unit_id
            .and_then(|id| units.get(&id))
            .map(Unit::facts),
    }
}

/// Derives a member's history from stored events.
pub fn history_of(events: &[StoredEvent], units: &HashMap<i64, Unit>) -> Result<History> {
    let facts: Vec<EventFacts> = events.iter().map(|e| facts(&e.event, units)).collect();
    derive_history(&facts).map_err(|e| {
        StoreError::Invalid(Refusal {
            code: e.code,
            message: e.message,
            message_en: e.message_en,
        })
    })
}

/// Records new events for many members at once. Events already stored (same kind, date and units)
/// are skipped, so re-recording is harmless. Either every member's history stays possible and all
/// is written, or nothing is written and every refusal is returned.
pub async fn record(
    tx: &mut Tx,
    units: &HashMap<i64, Unit>,
    batch: Vec<(i64, Vec<NewEvent>)>,
) -> Result<std::result::Result<usize, Vec<EventRefusal>>> {
    let member_ids: Vec<i64> = batch.iter().map(|(id, _)| *id).collect();
    let mut stored = of_members(tx, &member_ids).await?;
    // A member with no events has no spans either: nothing to read for them.
    let with_history: Vec<i64> = member_ids
        .iter()
        .copied()
        .filter(|id| stored.contains_key(id))
        .collect();
    let before = summary::snapshot(tx, &with_history).await?;
    let mut refusals = Vec::new();
    let mut event_rows = Vec::new();
    let mut span_rows = Vec::new();
    let mut path_updates = Vec::new();
    let mut counted_events = Vec::new();
    let path_of = |id: Option<i64>| id.and_then(|id| units.get(&id)).map(|u| u.path.clone());

    for (member_id, new_events) in batch {
        let existing = stored.remove(&member_id).unwrap_or_default();
        let fresh: Vec<(usize, NewEvent)> = new_events
            .into_iter()
            .enumerate()
            .filter(|(_, e)| !existing.iter().any(|s| s.event.same_fact(e)))
            .map(|(i, mut e)| {
                e.decision_number = clean(&e.decision_number);
                e.issuing_body = clean(&e.issuing_body);
                e.external_unit = clean(&e.external_unit);
                e.note = clean(&e.note);
                (i, e)
            })
            .collect();
        if fresh.is_empty() {
            continue;
        }
        let all: Vec<&NewEvent> = existing
            .iter()
            .map(|s| &s.event)
            .chain(fresh.iter().map(|(_, e)| e))
            .collect();
        let facts: Vec<EventFacts> = all.iter().map(|e| facts(e, units)).collect();
        let history = match derive_history(&facts) {
            Ok(h) => h,
            Err(err) => {
                let (new_index, message, message_en) = if err.index >= existing.len() {
                    (
                        fresh[err.index - existing.len()].0,
                        err.message,
                        err.message_en,
                    )
                } else {
                    let old = &existing[err.index].event;
                    (
                        fresh[0].0,
                        format!(
                            "làm cho sự kiện đã ghi \"{}\" ngày {} không còn hợp lệ: {}",
                            old.kind.label_vi(),
                            dangbo_domain::text::format_date(old.date),
                            err.message
                        ),
                        format!(
                            "makes the recorded {} of {} impossible: {}",
                            old.kind.code(),
                            old.date,
                            err.message_en
                        ),
                    )
                };
                refusals.push(EventRefusal {
                    member_id,
                    new_index,
                    code: err.code,
                    message,
                    message_en,
                });
                continue;
            }
        };
        for (i, stored_event) in existing.iter().enumerate() {
            if stored_event.unit_id != history.event_units[i] {
                path_updates.push((stored_event.id, path_of(history.event_units[i])));
            }
        }
        for (offset, (_, event)) in fresh.iter().enumerate() {
            let counted = history.event_units[existing.len() + offset];
            counted_events.push(summary::new_event_row(
                counted_events.len(),
                event,
                EventCause::code(event.cause),
                [
                    path_of(counted),
                    path_of(event.from_unit_id),
                    path_of(event.to_unit_id),
                ],
            ));
            event_rows.push(vec![
                Value::from(member_id),
                event.kind.code().into(),
                event.date.into(),
                event.ceremony_date.into(),
                event.end_date.into(),
                event.decision_number.clone().into(),
                event.issuing_body.clone().into(),
                event.from_unit_id.into(),
                event.to_unit_id.into(),
                event.external_unit.clone().into(),
                event.note.clone().into(),
                EventCause::code(event.cause).into(),
                event.restructure_id.into(),
                path_of(counted).into(),
                path_of(event.from_unit_id).into(),
                path_of(event.to_unit_id).into(),
            ]);
        }
        span_rows.push((member_id, history));
    }
    if !refusals.is_empty() {
        return Ok(Err(refusals));
    }
    let written = event_rows.len();
    tx.insert_rows("member_events", &EVENT_COLUMNS[..16], &event_rows)
        .await?;
    for (id, path) in &path_updates {
        execute!(
            tx,
            "UPDATE member_events SET unit_path = $1 WHERE id = $2",
            [path.clone(), *id]
        )?;
    }
    let counted_spans = write_spans(tx, units, &span_rows).await?;
    let rewritten = span_rows.iter().map(|(id, _)| *id).collect();
    let moved = path_updates.into_iter().collect();
    let after =
        summary::Snapshot::after_write(&before, &rewritten, counted_spans, &moved, counted_events);
    summary::update(tx, before, after).await?;
    Ok(Ok(written))
}

const SPAN_COLUMNS: [&str; 8] = [
    "member_id",
    "unit_id",
    "unit_path",
    "status",
    "exempt",
    "suspended",
    "from_date",
    "to_date",
];

/// Replaces the spans of the given members with those of their new histories; returns them as
/// figures count them.
async fn write_spans(
    tx: &mut Tx,
    units: &HashMap<i64, Unit>,
    histories: &[(i64, History)],
) -> Result<Vec<summary::SpanRow>> {
    let ids: Vec<i64> = histories.iter().map(|(id, _)| *id).collect();
    let dims = summary::member_dims(tx, &ids).await?;
    let mut counted = Vec::new();
    for chunk in histories.chunks(500) {
        let list = chunk
            .iter()
            .map(|(id, _)| id.to_string())
            .collect::<Vec<_>>()
            .join(",");
        let sql = format!("DELETE FROM member_spans WHERE member_id IN ({list})");
        execute!(tx, sql, [])?;
    }
    let mut rows = Vec::new();
    for (member_id, history) in histories {
        let member = dims
            .get(member_id)
            .ok_or_else(|| StoreError::NotFound(format!("đảng viên số {member_id}")))?;
        for span in &history.spans {
            let path = units
                .get(&span.unit_id)
                .map(|u| u.path.clone())
                .ok_or_else(|| {
                    StoreError::invalid(
                        "unit.not_on_date",
                        format!("đơn vị số {} không tồn tại", span.unit_id),
                    )
                })?;
            counted.push(summary::span_row(*member_id, span, &path, member));
            rows.push(vec![
                Value::from(*member_id),
                span.unit_id.into(),
                path.into(),
                span.status.code().into(),
                i64::from(span.exempt).into(),
                i64::from(span.suspended).into(),
                span.from.into(),
                span.to.into(),
            ]);
        }
    }
    tx.insert_rows("member_spans", &SPAN_COLUMNS, &rows).await?;
    let spans: Vec<crate::cadres::MemberSpans> = histories
        .iter()
        .map(|(id, h)| (*id, h.spans.iter().map(|s| (s.from, s.to)).collect()))
        .collect();
    crate::cadres::close_party_posts(tx, &spans).await?;
    Ok(counted)
}

/// Turns refusals into one error that says why (the first refusal's rule names it).
pub fn refusal_error(refusals: Vec<EventRefusal>) -> StoreError {
    let code = refusals.first().map_or("history.refused", |r| r.code);
    let (message, message_en): (Vec<String>, Vec<String>) = refusals
        .into_iter()
        .map(|r| (r.message, r.message_en))
        .unzip();
    StoreError::Invalid(Refusal {
        code,
        message: message.join("; "),
        message_en: message_en.join("; "),
    })
}

/// The units some events name (origin, destination, where they count), keyed by id.
pub async fn units_named(
    tx: &mut Tx,
    stored: &[StoredEvent],
    new: &[NewEvent],
) -> Result<HashMap<i64, Unit>> {
    let mut ids: Vec<i64> = stored
        .iter()
        .flat_map(|s| [s.event.from_unit_id, s.event.to_unit_id, s.unit_id])
        .chain(new.iter().flat_map(|e| [e.from_unit_id, e.to_unit_id]))
        .flatten()
        .collect();
    ids.sort_unstable();
    ids.dedup();
    crate::tree::units_by_ids(tx, &ids).await
}

/// Records events for one member, turning a refusal into an error that says why.
pub async fn record_for(tx: &mut Tx, member_id: i64, events: Vec<NewEvent>) -> Result<usize> {
    // Only the units this member's history names: a write costs the same in a commune's database
    // and the nation's.
    let stored = of_members(tx, &[member_id]).await?;
    let stored: Vec<StoredEvent> = stored.into_values().flatten().collect();
    let units = units_named(tx, &stored, &events).await?;
    match record(tx, &units, vec![(member_id, events)]).await? {
        Ok(n) => Ok(n),
        Err(refusals) => Err(refusal_error(refusals)),
    }
}

/// Records the ceremony of a member's admission decided on `decided_on` (the ceremony comes after
/// the decision, which created the member). Probation counts from it, so the member's history is
/// checked again: a full membership already recorded less than 12 months after it is refused.
pub(crate) async fn set_ceremony(
    tx: &mut Tx,
    member_id: i64,
    decided_on: NaiveDate,
    ceremony: NaiveDate,
) -> Result<()> {
    let changed = execute!(
        tx,
        "UPDATE member_events SET ceremony_date = $1 \
         WHERE member_id = $2 AND kind = 'admission' AND event_date = $3",
        [ceremony, member_id, decided_on]
    )?;
    if changed == 0 {
        return Err(StoreError::NotFound(format!(
            "sự kiện kết nạp ngày {} của đảng viên",
            dangbo_domain::text::format_date(decided_on)
        )));
    }
    let stored: Vec<StoredEvent> = of_members(tx, &[member_id])
        .await?
        .into_values()
        .flatten()
        .collect();
    let units = units_named(tx, &stored, &[]).await?;
    history_of(&stored, &units).map(|_| ())
}

/// Members active in a unit itself (not its subtree) on a date: (member id, member code).
pub async fn active_in_unit(
    tx: &mut Tx,
    unit_id: i64,
    date: NaiveDate,
) -> Result<Vec<(i64, String)>> {
    let sql = format!(
        "SELECT s.member_id, m.code FROM member_spans s JOIN members m ON m.id = s.member_id \
         WHERE s.unit_id = $1 AND {} ORDER BY m.code",
        in_force("s.from_date", "s.to_date", "$2")
    );
    Ok(fetch_all!(tx, sql, [unit_id, date], |row| Ok((
        row.try_get::<i64, _>("member_id")?,
        row.try_get::<String, _>("code")?
    )))?)
}

/// (code, full name) of the members active directly in a unit on a date, in Vietnamese order of
/// their names.
pub async fn present_by_name(
    tx: &mut Tx,
    unit_id: i64,
    date: NaiveDate,
) -> Result<Vec<(String, String)>> {
    let sql = format!(
        "SELECT m.code, m.full_name FROM member_spans s JOIN members m ON m.id = s.member_id \
         WHERE s.unit_id = $1 AND {} ORDER BY m.sort_key, m.code",
        in_force("s.from_date", "s.to_date", "$2")
    );
    Ok(fetch_all!(tx, sql, [unit_id, date], |row| Ok((
        row.try_get::<String, _>("code")?,
        row.try_get::<String, _>("full_name")?
    )))?)
}

/// Members with a span in a unit that starts on or after a date (they would be orphaned if it ended).
pub async fn arriving_after(tx: &mut Tx, unit_id: i64, date: NaiveDate) -> Result<Vec<String>> {
    Ok(fetch_all!(
        tx,
        "SELECT DISTINCT m.code FROM member_spans s JOIN members m ON m.id = s.member_id \
         WHERE s.unit_id = $1 AND s.from_date > $2 ORDER BY m.code",
        [unit_id, date],
        |row| row.try_get::<String, _>("code")
    )?)
}
