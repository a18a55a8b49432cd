//! Members through the scope: the member list, a member's page, and the [`Editor`] that writes
//! records and events.

use std::collections::HashMap;

use chrono::{Months, NaiveDate};
use dangbo_domain::access::Capability;
use dangbo_domain::education::TrainingKind;
use dangbo_domain::input::TextKind;
use dangbo_domain::members::events::EventKind;
use dangbo_domain::members::history::History;
use dangbo_domain::members::seniority::{next_badge, seniority_years};
use dangbo_domain::members::{MemberRecord, Sex};
use dangbo_domain::text::{DateProblem, fold, read_date};
use dangbo_domain::tree::UnitKind;
use serde::Serialize;
use serde_json::json;

use super::Access;
use crate::engine::Value;
use crate::engine::sql::{in_force, in_subtree};
use crate::members::events;
use crate::tree::{Unit, subtree_bounds};
use crate::{Result, StoreError, Tx};

pub use crate::members::Member;
pub use crate::members::events::{NewEvent, StoredEvent};

/// A member as shown on their page.
#[derive(Debug, Clone, Serialize)]
pub struct MemberView {
    pub member: Member,
    /// Events up to the day asked about, in date order.
    pub events: Vec<StoredEvent>,
    /// Events recorded for later days (a decision taking effect on a future date): they do not
    /// change today's standing.
    pub scheduled: Vec<StoredEvent>,
    /// Unit and status on the day asked about (or the last ones); `None` before admission.
    pub unit: Option<Unit>,
    pub status: Option<String>,
    pub seniority_years: Option<u32>,
    pub next_badge: Option<(u32, NaiveDate)>,
    /// Units the events name, by id, for showing their codes and names.
    pub units: HashMap<i64, Unit>,
    /// The names over time of those units and of their parents, by id.
    #[serde(skip)]
    pub unit_names: HashMap<i64, Vec<(NaiveDate, String)>>,
}

/// How an event of a member's history reads: its kind and the places it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventLine {
    /// "Kết nạp", "Chuyển do sắp xếp tổ chức" (a restructure's move is none of the member's
    /// transfers).
    pub kind: &'static str,
    /// "từ Chi bộ A sang Chi bộ B", by the units' names on the day; the organization outside the
    /// database in brackets.
    pub place: String,
}

impl MemberView {
    /// How one of this member's events reads.
    pub fn line(&self, e: &StoredEvent) -> EventLine {
        // Units by name as they were called on the event's date; where a move's two ends share a
        // name (a branch carried over into a new commune), each says which unit it belonged to.
        let label = |id: Option<i64>, date: NaiveDate, with_parent: bool| -> String {
            let Some(id) = id else {
                return String::new();
            };
            let named = if with_parent {
                self.unit_name_with_parent(id, date)
            } else {
                self.unit_name_on(id, date)
            };
            named
                .or_else(|| self.units.get(&id).map(|u| u.code.clone()))
                .unwrap_or_default()
        };
        let date = e.event.date;
        // The place a member left is named as it was the day before the move.
        let before = date.pred_opt().unwrap_or(date);
        let same =
            label(e.event.from_unit_id, before, false) == label(e.event.to_unit_id, date, false);
        let mut from = label(e.event.from_unit_id, before, same);
        let mut to = label(e.event.to_unit_id, date, same);
        // The organization outside the database is the move's other end.
        let external = e.event.external_unit.clone();
        if !external.is_empty() {
            if from.is_empty() && !to.is_empty() {
                from = external;
            } else if to.is_empty() {
                to = external;
            }
        }
        use dangbo_domain::members::events::EventKind as K;
        // An admission, a return, or a placement says where the member is, not where from.
        let joining = matches!(e.event.kind, K::Admission | K::Readmission | K::Restoration)
            || e.event.cause == dangbo_domain::members::events::EventCause::Placement;
        let place = match (from.is_empty(), to.is_empty()) {
            (false, false) => format!("từ {from} sang {to}"),
            (true, false) if joining => format!("tại {to}"),
            (true, false) => format!("sang {to}"),
            (false, true) => format!("từ {from}"),
            (true, true) => label(e.unit_id, date, false),
        };
        EventLine {
            kind: e
                .event
                .cause
                .transfer_label_vi()
                .unwrap_or(e.event.kind.label_vi()),
            place,
        }
    }

    /// A unit's name on a date, as the events' units and their parents were called then.
    pub fn unit_name_on(&self, id: i64, date: NaiveDate) -> Option<String> {
        self.unit_names
            .get(&id)
            .map(|names| crate::tree::pick_name(names, date))
    }

    /// A unit's name on a date, with its parent's name when `plain` would be ambiguous: "Chi bộ
    /// thôn Bản Đâng (thuộc Đảng ủy xã Nhạn Môn)".
    pub fn unit_name_with_parent(&self, id: i64, date: NaiveDate) -> Option<String> {
        let name = self.unit_name_on(id, date)?;
        let parent = self
            .units
            .get(&id)
            .and_then(|u| u.parent_id)
            .and_then(|p| self.unit_name_on(p, date));
        Some(match parent {
            Some(parent) => format!("{name} (thuộc {parent})"),
            None => name,
        })
    }
}

/// Filters of the member list. Every field narrows it.
#[derive(Debug, Clone, Default)]
pub struct MemberQuery {
    /// A unit's code; the whole scope when `None`.
    pub unit: Option<String>,
    /// The list's date (members active on it).
    pub date: Option<NaiveDate>,
    /// Part of the name, with or without tone marks, or a member code.
    pub search: Option<String>,
    pub status: Option<String>,
    pub sex: Option<Sex>,
    /// Ethnicity, matched ignoring tone marks and case.
    pub ethnicity: Option<String>,
    pub min_age: Option<u32>,
    pub max_age: Option<u32>,
    /// A theory level code, or "unknown" for members with none recorded.
    pub theory_level: Option<String>,
    /// Keyset cursor: the (sort key, code) of the last row of the previous page.
    pub after: Option<(String, String)>,
    pub limit: usize,
    /// Also count every member the filters match (one more statement over the whole list).
    pub count: bool,
}

/// One row of the member list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MemberRow {
    pub code: String,
    pub full_name: String,
    pub sex: String,
    pub birth_date: NaiveDate,
    pub ethnicity: String,
    pub theory_level: Option<String>,
    pub unit_code: String,
    pub unit_name: String,
    pub status: String,
    #[serde(skip)]
    pub sort_key: String,
}

/// A page of the member list; `next` is the cursor of the following page, if any.
#[derive(Debug, Clone, Serialize)]
pub struct MemberPage {
    pub rows: Vec<MemberRow>,
    pub next: Option<(String, String)>,
    /// How many members the filters match, when asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total: Option<i64>,
}

impl Access {
    /// Whether a member whose current (or last) unit has this path is in scope; members with
    /// no unit yet are seen only by whole-database actors.
    /// Where an audit row about a member belongs: their current (or last) unit, else the scope.
    fn member_path(&self, last_unit: Option<&(i64, String)>) -> String {
        last_unit
            .map(|(_, path)| path.clone())
            .unwrap_or_else(|| self.actor.scope.path.clone())
    }

    pub(super) fn sees_member(&self, last_unit: Option<&(i64, String)>) -> bool {
        match last_unit {
            Some((_, path)) => self.actor.sees(path),
            None => self.actor.scope.id == 0,
        }
    }

    /// A member in scope, with the (id, path) of their current (or last) unit.
    pub(super) async fn member_in_scope(
        &self,
        tx: &mut Tx,
        code: &str,
    ) -> Result<Option<(Member, Option<(i64, String)>)>> {
        let Some(member) = crate::members::by_code(tx, code).await? else {
            return Ok(None);
        };
        let last_unit = last_units(tx, &[member.id]).await?.remove(&member.id);
        Ok(self
            .sees_member(last_unit.as_ref())
            .then_some((member, last_unit)))
    }

    pub(super) async fn require_member(
        &self,
        tx: &mut Tx,
        code: &str,
    ) -> Result<(Member, Option<(i64, String)>)> {
        self.member_in_scope(tx, code)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("đảng viên «{}»", code.trim())))
    }

    /// A member's record, events and derived standing, if the member is in scope.
    pub async fn member(&self, code: &str, today: NaiveDate) -> Result<Option<MemberView>> {
        let mut tx = self.read().await?;
        let Some((member, _)) = self.member_in_scope(&mut tx, code).await? else {
            tx.rollback().await?;
            return Ok(None);
        };
        let events = events::of_members(&mut tx, &[member.id])
            .await?
            .remove(&member.id)
            .unwrap_or_default();
        let all_units = events::units_named(&mut tx, &events, &[]).await?;
        let mut ids: Vec<i64> = all_units
            .values()
            .flat_map(|u| [Some(u.id), u.parent_id])
            .flatten()
            .collect();
        ids.sort_unstable();
        ids.dedup();
        let unit_names = crate::tree::names_of(&mut tx, &ids).await?;
        tx.rollback().await?;
        // Today's standing comes from what has happened by today; later events are scheduled.
        let (events, scheduled): (Vec<StoredEvent>, Vec<StoredEvent>) =
            events.into_iter().partition(|e| e.event.date <= today);
        let history: Option<History> = events::history_of(&events, &all_units).ok();
        let unit = history
            .as_ref()
            .and_then(|h| h.spans.last())
            .and_then(|span| all_units.get(&span.unit_id).cloned());
        let status = history.as_ref().map(standing);
        let mut named = HashMap::new();
        for event in events.iter().chain(&scheduled) {
            for id in [
                event.event.from_unit_id,
                event.event.to_unit_id,
                event.unit_id,
            ]
            .into_iter()
            .flatten()
            {
                if let Some(u) = all_units.get(&id) {
                    named.insert(id, u.clone());
                }
            }
        }
        Ok(Some(MemberView {
            seniority_years: history.as_ref().and_then(|h| seniority_years(h, today)),
            next_badge: history.as_ref().and_then(|h| next_badge(h, today)),
            member,
            events,
            scheduled,
            unit,
            status,
            units: named,
            unit_names,
        }))
    }

    /// A page of the member list, in Vietnamese order of names, paged by keyset so that the last
    /// page of a long list costs what the first does.
    pub async fn members(&self, query: &MemberQuery, today: NaiveDate) -> Result<MemberPage> {
        let mut tx = self.read().await?;
        let page = self.members_in(&mut tx, query, today).await;
        tx.rollback().await?;
        page
    }

    /// [`Access::members`] inside the caller's transaction.
    pub(super) async fn members_in(
        &self,
        tx: &mut Tx,
        query: &MemberQuery,
        today: NaiveDate,
    ) -> Result<MemberPage> {
        let texts = dangbo_domain::input::problems([
            ("q", TextKind::Line, query.search.as_deref().unwrap_or("")),
            (
                "ethnicity",
                TextKind::Short,
                query.ethnicity.as_deref().unwrap_or(""),
            ),
            (
                "status",
                TextKind::Short,
                query.status.as_deref().unwrap_or(""),
            ),
            (
                "theory_level",
                TextKind::Short,
                query.theory_level.as_deref().unwrap_or(""),
            ),
        ]);
        if !texts.is_empty() {
            return Err(StoreError::Fields(texts));
        }
        let root = match query.unit.as_deref().filter(|c| !c.trim().is_empty()) {
            Some(code) => self.require_unit(tx, code).await?,
            None => self.actor.scope.clone(),
        };
        let date = query.date.unwrap_or(today);
        if root.id != 0 && !root.exists_on(date) {
            return Err(StoreError::Fields(vec![(
                "unit".to_string(),
                format!(
                    "đơn vị «{}» không tồn tại vào ngày {} (từ {}{})",
                    root.code,
                    dangbo_domain::text::format_date(date),
                    dangbo_domain::text::format_date(root.start_date),
                    root.end_date
                        .map(|e| format!(" đến trước {}", dangbo_domain::text::format_date(e)))
                        .unwrap_or_default()
                ),
            )]));
        }
        // Over a province or more, most members qualify: walking the name index and stopping after
        // one page beats sorting the whole subtree. Under a commune, the subtree is small: scan it.
        // (CROSS JOIN fixes SQLite's join order; PostgreSQL plans both the same way.)
        let wide = root.id == 0 || matches!(root.kind, UnitKind::Province | UnitKind::District);
        let (lo, hi) = subtree_bounds(&root.path);
        let mut values: Vec<Value> = vec![lo.into(), hi.into(), date.into()];
        let mut conditions = vec![
            in_subtree("s.unit_path", "$1", "$2"),
            in_force("s.from_date", "s.to_date", "$3"),
        ];
        let add = |template: &str,
                   value: Value,
                   values: &mut Vec<Value>,
                   conditions: &mut Vec<String>| {
            values.push(value);
            conditions.push(template.replace('?', &format!("${}", values.len())));
        };
        if let Some(search) = query
            .search
            .as_deref()
            .and_then(crate::members::search::normalise)
        {
            // A rare name comes from the search index; a common one is checked row by row while
            // the list is walked in name order, which meets a page of matches at once.
            use crate::members::search::{self, Route};
            match search::route(tx, &search).await? {
                Route::Nobody => conditions.push("1 = 0".into()),
                Route::Indexed => {
                    let end = search::upper_bound(&search);
                    values.push(search.into());
                    values.push(end.into());
                    let (lo, hi) = (values.len() - 1, values.len());
                    conditions.push(search::indexed_condition(
                        &format!("${lo}"),
                        &format!("${hi}"),
                    ));
                }
                Route::Walk => {
                    values.push(search::like_text(&search).into());
                    conditions.push(search::condition(&format!("${}", values.len())));
                }
            }
        }
        if let Some(status) = query.status.as_deref().filter(|s| !s.is_empty()) {
            add(
                "s.status = ?",
                status.to_string().into(),
                &mut values,
                &mut conditions,
            );
        }
        if let Some(sex) = query.sex {
            add("m.sex = ?", sex.code().into(), &mut values, &mut conditions);
        }
        if let Some(ethnicity) = query
            .ethnicity
            .as_deref()
            .map(fold)
            .filter(|e| !e.is_empty())
        {
            add(
                "m.ethnicity_key = ?",
                ethnicity.into(),
                &mut values,
                &mut conditions,
            );
        }
        if let Some(min) = query.min_age {
            let latest = date
                .checked_sub_months(Months::new(12 * min))
                .unwrap_or(date);
            add(
                "m.birth_date <= ?",
                latest.into(),
                &mut values,
                &mut conditions,
            );
        }
        if let Some(max) = query.max_age {
            let earliest = date
                .checked_sub_months(Months::new(12 * (max + 1)))
                .unwrap_or(NaiveDate::MIN);
            add(
                "m.birth_date > ?",
                earliest.into(),
                &mut values,
                &mut conditions,
            );
        }
        match query.theory_level.as_deref() {
            None | Some("") => {}
            Some("unknown") => conditions.push("m.theory_level IS NULL".into()),
            Some(level) => add(
                "m.theory_level = ?",
                level.to_string().into(),
                &mut values,
                &mut conditions,
            ),
        }
        let from = if wide {
            "members m CROSS JOIN member_spans s"
        } else {
            "member_spans s CROSS JOIN members m"
        };
        let total = if query.count {
            let sql = format!(
                "SELECT COUNT(*) AS n FROM {from} WHERE s.member_id = m.id AND {}",
                conditions.join(" AND ")
            );
            let counted = fetch_all_values!(tx, sql, &values, |row| row.try_get::<i64, _>("n"))?;
            counted.first().copied()
        } else {
            None
        };
        if let Some((key, code)) = &query.after {
            values.push(key.clone().into());
            values.push(code.clone().into());
            let (k, c) = (values.len() - 1, values.len());
            conditions.push(format!(
                "(m.sort_key > ${k} OR (m.sort_key = ${k} AND m.code > ${c}))"
            ));
        }
        let limit = query.limit.clamp(1, 5000);
        let sql = format!(
            "SELECT m.code, m.full_name, m.sex, m.birth_date, m.ethnicity, m.theory_level, m.sort_key, \
             u.code AS unit_code, s.status, (SELECT n.name FROM unit_names n WHERE n.unit_id = u.id \
             AND n.from_date <= $3 ORDER BY n.from_date DESC LIMIT 1) AS unit_name \
             FROM {from} JOIN units u ON u.id = s.unit_id \
             WHERE s.member_id = m.id AND {} ORDER BY m.sort_key, m.code LIMIT {}",
            conditions.join(" AND "),
            limit + 1
        );
        let mut rows = fetch_all_values!(tx, sql, &values, |row| Ok(MemberRow {
            code: row.try_get("code")?,
            full_name: row.try_get("full_name")?,
            sex: row.try_get("sex")?,
            birth_date: row.try_get("birth_date")?,
            ethnicity: row.try_get("ethnicity")?,
            theory_level: row.try_get("theory_level")?,
            unit_code: row.try_get("unit_code")?,
            unit_name: row
                .try_get::<Option<String>, _>("unit_name")?
                .unwrap_or_default(),
            status: row.try_get("status")?,
            sort_key: row.try_get("sort_key")?,
        }))?;
        let next = (rows.len() > limit).then(|| {
            rows.truncate(limit);
            rows.last()
                .map(|r| (r.sort_key.clone(), r.code.clone()))
                .unwrap_or_default()
        });
        Ok(MemberPage { rows, next, total })
    }

    /// Writes members' records and events; only for roles that may.
    pub fn editor(&self) -> Result<Editor<'_>> {
        self.allowed(Capability::EditMembers)?;
        Ok(Editor { access: self })
    }
}

/// A member's standing now, as a code (full, probationary, outside, or how membership ended).
fn standing(history: &History) -> String {
    use dangbo_domain::members::events::State;
    match &history.state {
        State::NotYet => "chưa kết nạp".into(),
        State::Active { status, .. } => status.code().into(),
        State::Outside { .. } => "outside".into(),
        State::Left { kind, .. } => kind.code().into(),
        State::Dead { .. } => "death".into(),
    }
}

/// An event to record, with units named by code as a person enters them.
#[derive(Debug, Clone, Default)]
pub struct EventInput {
    pub kind: String,
    /// The date as typed: dd/mm/yyyy or yyyy-mm-dd.
    pub date: String,
    /// The admission ceremony's date, for an admission or readmission (optional).
    pub ceremony_date: String,
    /// When an exemption or suspension ends (optional).
    pub end_date: String,
    pub decision_number: String,
    pub issuing_body: String,
    pub to_unit: String,
    pub external_unit: String,
    pub note: String,
}

/// Writes members' records and events in scope, each with its audit row.
pub struct Editor<'a> {
    access: &'a Access,
}

impl Editor<'_> {
    /// Replaces a member's personal record. Problems come back per field.
    ///
    /// `version` is the record's version the edit was made from: if someone changed the record
    /// since, the edit is refused (`member.stale`) and nothing is lost.
    pub async fn update_member(
        &self,
        code: &str,
        record: &MemberRecord,
        version: i64,
        today: NaiveDate,
    ) -> Result<Member> {
        let record = crate::members::normalise(record);
        let mut problems = crate::members::validate(&record, today);
        if record.code != code.trim() {
            problems.push(("code".into(), "không đổi được mã đảng viên".into()));
        }
        if !problems.is_empty() {
            return Err(StoreError::Fields(problems));
        }
        let mut tx = self.access.db.begin_write().await?;
        let (old, last_unit) = self.access.require_member(&mut tx, code).await?;
        if old.version != version {
            // The time of the other edit, when it is known (records older than versions have none).
            let when = chrono::DateTime::from_timestamp(old.updated_at, 0)
                .filter(|_| old.updated_at > 0)
                .map(|t| {
                    t.with_timezone(&chrono::Local)
                        .format(" lúc %H:%M ngày %d/%m/%Y")
                        .to_string()
                })
                .unwrap_or_default();
            return Err(StoreError::Conflict(crate::Refusal::new(
                "member.stale",
                format!("Hồ sơ đã được người khác sửa{when} — tải lại để xem thay đổi"),
            )));
        }
        if old.record == record {
            tx.rollback().await?;
            return Ok(old);
        }
        // A level kept by dated training facts changes by a new fact, not by the record.
        let kept = crate::cadres::training::kinds_of_member(&mut tx, old.id).await?;
        let changed: Vec<(String, String)> = kept
            .into_iter()
            .filter(|kind| match kind {
                TrainingKind::Theory => old.record.theory_level != record.theory_level,
                TrainingKind::Education => old.record.general_education != record.general_education,
                TrainingKind::Qualification => old.record.qualification != record.qualification,
            })
            .map(|kind| {
                (
                    kind.member_field().to_string(),
                    format!(
                        "{} của đảng viên này theo quá trình đào tạo: ghi trình độ mới ở trang \
                         chức vụ, đào tạo",
                        kind.label_vi()
                    ),
                )
            })
            .collect();
        if !changed.is_empty() {
            tx.rollback().await?;
            return Err(StoreError::Fields(changed));
        }
        crate::members::update(&mut tx, old.id, &record).await?;
        self.access
            .audit(
                &mut tx,
                "member.update",
                "member",
                &record.code,
                &self.access.member_path(last_unit.as_ref()),
                json!(old.record),
                json!(record),
            )
            .await?;
        let updated = crate::members::by_code(&mut tx, &record.code)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("đảng viên «{}»", record.code)))?;
        tx.commit().await?;
        Ok(updated)
    }

    /// Records an event for a member in scope. The unit it goes to must be in scope too, except
    /// the destination of a transfer out.
    pub async fn record_event(&self, code: &str, input: &EventInput) -> Result<EventOutcome> {
        let mut problems = Vec::new();
        let kind = EventKind::parse(&input.kind);
        if kind.is_none() {
            problems.push((
                "kind".to_string(),
                format!("cần một trong: {}", EventKind::expected_vi()),
            ));
        }
        let date = match read_date(&input.date) {
            Ok(date) => Some(date),
            Err(problem) => {
                problems.push(("date".to_string(), problem.message(&input.date)));
                None
            }
        };
        let mut optional_date = |field: &str, text: &str| match read_date(text) {
            Ok(date) => Some(date),
            Err(DateProblem::Empty) => None,
            Err(problem) => {
                problems.push((field.to_string(), problem.message(text)));
                None
            }
        };
        let ceremony_date = optional_date("ceremony_date", &input.ceremony_date);
        let end_date = optional_date("end_date", &input.end_date);
        problems.extend(dangbo_domain::input::problems([
            (
                "decision_number",
                TextKind::Short,
                input.decision_number.trim(),
            ),
            ("issuing_body", TextKind::Line, input.issuing_body.trim()),
            ("to_unit", TextKind::Code, input.to_unit.trim()),
            ("external_unit", TextKind::Line, input.external_unit.trim()),
            ("note", TextKind::Note, input.note.trim()),
        ]));
        let (Some(kind), Some(date), true) = (kind, date, problems.is_empty()) else {
            return Err(StoreError::Fields(problems));
        };
        let mut tx = self.access.db.begin_write().await?;
        let (member, last_unit) = self.access.require_member(&mut tx, code).await?;
        let mut to_unit_id = None;
        let to = input.to_unit.trim();
        if !to.is_empty() {
            let unit = crate::tree::by_code(&mut tx, to).await?;
            let reachable = unit.filter(|u| {
                kind == EventKind::TransferOut
                    || kind == EventKind::TemporaryTransferOut
                    || self.access.actor.sees(&u.path)
            });
            match reachable {
                Some(u) => to_unit_id = Some(u.id),
                None => problems.push((
                    "to_unit".into(),
                    format!("không có đơn vị «{to}» trong phạm vi của bạn"),
                )),
            }
        }
        if !problems.is_empty() {
            return Err(StoreError::Fields(problems));
        }
        // A transfer out leaves the member's current unit.
        let from_unit_id = last_unit
            .as_ref()
            .filter(|_| {
                matches!(
                    kind,
                    EventKind::TransferOut | EventKind::TemporaryTransferOut
                )
            })
            .map(|(id, _)| *id);
        let event = NewEvent {
            decision_number: input.decision_number.trim().to_string(),
            issuing_body: input.issuing_body.trim().to_string(),
            to_unit_id,
            from_unit_id,
            external_unit: input.external_unit.trim().to_string(),
            note: input.note.trim().to_string(),
            ceremony_date,
            end_date,
            ..NewEvent::new(kind, date)
        };
        if events::record_for(&mut tx, member.id, vec![event.clone()]).await? == 0 {
            // The same event is already on file (a resent form): nothing changed, nothing to audit.
            return Ok(EventOutcome::AlreadyRecorded);
        }
        // The log names the units as a person reads them, on the event's date (ids mean nothing).
        let mut logged = json!(event);
        for (field, id) in [("from_unit", from_unit_id), ("to_unit", to_unit_id)] {
            if let Some(id) = id {
                let unit = crate::tree::by_id(&mut tx, id).await?;
                let name = crate::tree::name_on(&mut tx, id, date).await?;
                logged[field] = json!(format!("{name} ({})", unit.code));
            }
        }
        self.access
            .audit(
                &mut tx,
                "event.record",
                "member",
                &member.record.code,
                &self.access.member_path(last_unit.as_ref()),
                serde_json::Value::Null,
                logged,
            )
            .await?;
        tx.commit().await?;
        Ok(EventOutcome::Recorded)
    }
}

/// What recording an event did: a resent request for an event already on file changes nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventOutcome {
    Recorded,
    AlreadyRecorded,
}

/// The (id, path) of the unit each member is in today, or was in last before today, by member id;
/// members with no span starting by today are absent. A transfer scheduled for a later day does not
/// move the member into the other unit's scope before it happens.
pub(in crate::access) async fn last_units(
    tx: &mut Tx,
    member_ids: &[i64],
) -> Result<HashMap<i64, (i64, String)>> {
    let today = chrono::Local::now().date_naive();
    let mut out = HashMap::new();
    for chunk in member_ids.chunks(500) {
        let sql = format!(
            "SELECT member_id, unit_id, unit_path, from_date FROM member_spans \
             WHERE member_id IN ({}) AND from_date <= $1 ORDER BY member_id, from_date",
            crate::engine::id_list(chunk)
        );
        let spans = fetch_all!(tx, sql, [today], |row| Ok((
            row.try_get::<i64, _>("member_id")?,
            row.try_get::<i64, _>("unit_id")?,
            row.try_get::<String, _>("unit_path")?
        )))?;
        // Ordered by date: the last span of each member wins.
        out.extend(spans.into_iter().map(|(m, u, p)| (m, (u, p))));
    }
    Ok(out)
}
