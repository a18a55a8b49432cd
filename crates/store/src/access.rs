//! Scoped access: every read and write a user or API token makes goes through an [`Access`] handle,
//! which sees only the actor's unit and its subtree, and hands out writers only to roles that have
//! the capability. A record outside the scope reads as absent, exactly like one that does not exist.

use std::collections::HashMap;

use chrono::{Months, NaiveDate};
use dangbo_domain::access::{Capability, Role};
use dangbo_domain::event::{EventKind, History, next_badge, seniority_years};
use dangbo_domain::figure::Figure;
use dangbo_domain::member::{MemberRecord, Sex};
use dangbo_domain::text::fold;
use dangbo_domain::unit::UnitKind;
use serde::Serialize;
use serde_json::json;

use crate::audit::{self, Change};
use crate::auth::{ApiToken, User};
use crate::db::Value;
use crate::events::{self, NewEvent, StoredEvent};
use crate::figures::{self, Record, Window};
use crate::io::{self, Dataset, ImportSummary, Table};
use crate::members::{self, Member};
use crate::restructure::{self, Decision, Outcome};
use crate::sql::{in_force, in_subtree};
use crate::units::{self, LineageStep, NewUnit, TreeEntry, Unit, subtree_bounds};
use crate::{Db, Result, StoreError, Tx};

/// Who is acting, with which role, over which subtree.
#[derive(Debug, Clone, Serialize)]
pub struct Actor {
    /// The username or `token:<id>`, as written in the audit log.
    pub name: String,
    pub display_name: String,
    pub role: Role,
    /// The root of the scope; the pseudo-unit [`units::everything`] for the whole database.
    pub scope: Unit,
}

impl Actor {
    async fn with_scope(
        tx: &mut Tx,
        name: String,
        display_name: String,
        role: Role,
        scope_unit_id: Option<i64>,
    ) -> Result<Actor> {
        let scope = match scope_unit_id {
            Some(id) => units::by_id(tx, id).await?,
            None => units::everything(),
        };
        Ok(Actor {
            name,
            display_name,
            role,
            scope,
        })
    }

    pub async fn of_user(tx: &mut Tx, user: &User) -> Result<Actor> {
        let name = user.username.clone();
        let display = user.display_name.clone();
        Actor::with_scope(tx, name, display, user.role, user.scope_unit_id).await
    }

    pub async fn of_token(tx: &mut Tx, token: &ApiToken) -> Result<Actor> {
        let name = format!("token:{}", token.id);
        let display = token.name.clone();
        Actor::with_scope(tx, name, display, token.role, token.scope_unit_id).await
    }

    /// Whether a unit path lies inside the scope.
    pub fn sees(&self, path: &str) -> bool {
        path.starts_with(&self.scope.path)
    }

    pub fn can(&self, capability: Capability) -> bool {
        self.role.can(capability)
    }
}

/// The refusal for a role without a capability.
fn forbidden(actor: &Actor) -> StoreError {
    StoreError::Forbidden(format!(
        "vai trò «{}» không có quyền làm việc này",
        actor.role.label_vi()
    ))
}

/// A member as shown on their page.
#[derive(Debug, Clone, Serialize)]
pub struct MemberView {
    pub member: Member,
    pub events: Vec<StoredEvent>,
    /// Current (or last) unit and status; `None` before admission.
    pub unit: Option<Unit>,
    pub status: Option<String>,
    pub seniority_years: Option<u32>,
    pub next_badge: Option<(u32, NaiveDate)>,
    /// Units the events name, by id, for showing their codes and names.
    pub units: HashMap<i64, Unit>,
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
}

/// A restructure to preview or apply.
#[derive(Debug, Clone)]
pub enum RestructurePlan {
    Merge {
        sources: Vec<String>,
        new: NewUnit,
    },
    Rename {
        code: String,
        new_name: String,
    },
    Dissolve {
        code: String,
        move_members_to: Option<String>,
    },
    Split {
        source: String,
        parts: Vec<restructure::SplitPart>,
    },
}

impl RestructurePlan {
    /// The units the plan touches (all must be in scope).
    fn unit_codes(&self) -> Vec<&str> {
        match self {
            RestructurePlan::Merge { sources, new } => sources
                .iter()
                .map(String::as_str)
                .chain(new.parent_code.as_deref())
                .collect(),
            RestructurePlan::Rename { code, .. } => vec![code],
            RestructurePlan::Dissolve {
                code,
                move_members_to,
            } => std::iter::once(code.as_str())
                .chain(move_members_to.as_deref())
                .collect(),
            RestructurePlan::Split { source, .. } => vec![source],
        }
    }

    fn kind(&self) -> &'static str {
        match self {
            RestructurePlan::Merge { .. } => "merge",
            RestructurePlan::Rename { .. } => "rename",
            RestructurePlan::Dissolve { .. } => "dissolve",
            RestructurePlan::Split { .. } => "split",
        }
    }
}

/// What a restructure does: its outcome and who moves.
#[derive(Debug, Clone, Serialize)]
pub struct RestructurePreview {
    pub outcome: Outcome,
    /// Members active in the units that end, the day before (code, name, unit code).
    pub moving: Vec<MemberRow>,
}

/// Figures already computed, valid until the next audited change (the newest audit row's id is
/// part of the key), shared by every request of a server. A dashboard seen by many users of a
/// province costs one evaluation per change instead of one per view.
#[derive(Default)]
pub struct FigureCache {
    entries: std::sync::Mutex<HashMap<String, Vec<(String, i64)>>>,
    /// One lock per key being evaluated, so that requests missing the same key together evaluate
    /// it once while other keys go on.
    evaluating: std::sync::Mutex<HashMap<String, std::sync::Arc<tokio::sync::Mutex<()>>>>,
}

/// Entries kept before the cache starts over.
const FIGURE_CACHE_ENTRIES: usize = 2000;

impl FigureCache {
    fn get(&self, key: &str) -> Option<Vec<(String, i64)>> {
        self.entries.lock().ok()?.get(key).cloned()
    }

    fn turn(&self, key: &str) -> std::sync::Arc<tokio::sync::Mutex<()>> {
        match self.evaluating.lock() {
            Ok(mut locks) => locks.entry(key.to_string()).or_default().clone(),
            Err(_) => std::sync::Arc::default(),
        }
    }

    fn put(&self, key: String, values: Vec<(String, i64)>) {
        if let Ok(mut locks) = self.evaluating.lock() {
            locks.remove(&key);
        }
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() >= FIGURE_CACHE_ENTRIES {
                entries.clear();
            }
            entries.insert(key, values);
        }
    }
}

/// A handle bound to one actor over the database.
#[derive(Clone)]
pub struct Access {
    db: Db,
    actor: Actor,
    cache: Option<std::sync::Arc<FigureCache>>,
}

impl Access {
    pub fn new(db: Db, actor: Actor) -> Access {
        Access {
            db,
            actor,
            cache: None,
        }
    }

    /// Shares a figure cache with other handles.
    pub fn with_cache(mut self, cache: std::sync::Arc<FigureCache>) -> Access {
        self.cache = Some(cache);
        self
    }

    pub fn actor(&self) -> &Actor {
        &self.actor
    }

    async fn read(&self) -> Result<Tx> {
        self.db.begin().await
    }

    /// The unit with this code, if it is in scope; an empty code means the scope's root.
    pub async fn unit(&self, code: &str) -> Result<Option<Unit>> {
        let mut tx = self.read().await?;
        let unit = self.unit_in(&mut tx, code).await?;
        tx.rollback().await?;
        Ok(unit)
    }

    /// [`Access::unit`] inside the caller's transaction.
    async fn unit_in(&self, tx: &mut Tx, code: &str) -> Result<Option<Unit>> {
        if code.trim().is_empty() {
            return Ok(Some(self.actor.scope.clone()));
        }
        let unit = units::by_code(tx, code).await?;
        Ok(unit.filter(|u| self.actor.sees(&u.path)))
    }

    async fn require_unit(&self, tx: &mut Tx, code: &str) -> Result<Unit> {
        self.unit_in(tx, code)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("đơn vị «{}»", code.trim())))
    }

    /// The tree of the scope as it stood on `date`.
    pub async fn tree(&self, date: NaiveDate) -> Result<Vec<TreeEntry>> {
        let mut tx = self.read().await?;
        let root = (self.actor.scope.id != 0).then_some(&self.actor.scope);
        let tree = units::tree_on(&mut tx, root, date).await?;
        tx.rollback().await?;
        Ok(tree)
    }

    /// The newest restructure steps that touch the scope (from or to a unit inside it), newest first.
    pub async fn restructure_history(&self, limit: usize) -> Result<Vec<LineageStep>> {
        let mut tx = self.read().await?;
        let steps = units::lineage_within(&mut tx, &self.actor.scope, limit).await?;
        tx.rollback().await?;
        Ok(steps)
    }

    /// A unit's sub-units on `date`, its name on that date and its restructure history.
    pub async fn unit_details(
        &self,
        unit: &Unit,
        date: NaiveDate,
    ) -> Result<(String, Vec<Unit>, Vec<LineageStep>)> {
        let mut tx = self.read().await?;
        let name = if unit.id == 0 {
            unit.name.clone()
        } else {
            units::name_on(&mut tx, unit.id, date).await?
        };
        let children = if unit.id == 0 {
            self.tree(date)
                .await?
                .into_iter()
                .filter(|e| e.depth == 0)
                .map(|e| e.unit)
                .collect()
        } else {
            let mut children = units::children_on(&mut tx, unit, date).await?;
            for child in &mut children {
                child.name = units::name_on(&mut tx, child.id, date).await?;
            }
            children.sort_by(|a, b| dangbo_domain::text::compare_vi(&a.name, &b.name));
            children
        };
        let lineage = if unit.id == 0 {
            Vec::new()
        } else {
            units::lineage(&mut tx, unit.id).await?
        };
        tx.rollback().await?;
        Ok((name, children, lineage))
    }

    /// Whether a member whose current (or last) unit has this path is in scope; members with
    /// no unit yet are seen only by whole-database actors.
    fn sees_member(&self, last_unit: Option<&(i64, String)>) -> bool {
        match last_unit {
            Some((_, path)) => self.actor.sees(path),
            None => self.actor.scope.id == 0,
        }
    }

    /// A member in scope, with the (id, path) of their current (or last) unit.
    async fn member_in_scope(
        &self,
        tx: &mut Tx,
        code: &str,
    ) -> Result<Option<(Member, Option<(i64, String)>)>> {
        let Some(member) = members::by_code(tx, code).await? else {
            return Ok(None);
        };
        let last_unit = last_units(tx, &[member.id]).await?.remove(&member.id);
        Ok(self
            .sees_member(last_unit.as_ref())
            .then_some((member, last_unit)))
    }

    async fn require_member(
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
        let all_units = units::all_units(&mut tx).await?;
        let history: Option<History> = events::history_of(&events, &all_units).ok();
        tx.rollback().await?;
        let unit = history
            .as_ref()
            .and_then(|h| h.spans.last())
            .and_then(|span| all_units.get(&span.unit_id).cloned());
        let status = history.as_ref().map(standing);
        let mut named = HashMap::new();
        for event in &events {
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
            unit,
            status,
            units: named,
        }))
    }

    /// A page of the member list, in Vietnamese order of names, paged by keyset so that the last
    /// page of a long list costs what the first does.
    pub async fn members(&self, query: &MemberQuery, today: NaiveDate) -> Result<MemberPage> {
        let mut tx = self.read().await?;
        let root = match query.unit.as_deref().filter(|c| !c.trim().is_empty()) {
            Some(code) => self.require_unit(&mut tx, code).await?,
            None => self.actor.scope.clone(),
        };
        let date = query.date.unwrap_or(today);
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
        if let Some(search) = query.search.as_deref().map(fold).filter(|s| !s.is_empty()) {
            let pattern = format!("%{}%", search.replace(['%', '_'], ""));
            values.push(pattern.into());
            values.push(search.into());
            let (p, c) = (values.len() - 1, values.len());
            conditions.push(format!("(m.name_key LIKE ${p} OR LOWER(m.code) = ${c})"));
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
        if let Some((key, code)) = &query.after {
            values.push(key.clone().into());
            values.push(code.clone().into());
            let (k, c) = (values.len() - 1, values.len());
            conditions.push(format!(
                "(m.sort_key > ${k} OR (m.sort_key = ${k} AND m.code > ${c}))"
            ));
        }
        let limit = query.limit.clamp(1, 5000);
        // Over a province or more, most members qualify: walking the name index and stopping after
        // one page beats sorting the whole subtree. Under a commune, the subtree is small: scan it.
        // (CROSS JOIN fixes SQLite's join order; PostgreSQL plans both the same way.)
        let wide = root.id == 0 || matches!(root.kind, UnitKind::Province | UnitKind::District);
        let from = if wide {
            "members m CROSS JOIN member_spans s"
        } else {
            "member_spans s CROSS JOIN members m"
        };
        let sql = format!(
            "SELECT m.code, m.full_name, m.sex, m.birth_date, m.ethnicity, m.theory_level, m.sort_key, \
             u.code AS unit_code, s.status, (SELECT n.name FROM unit_names n WHERE n.unit_id = u.id \
             AND n.from_date <= $3 ORDER BY n.from_date DESC LIMIT 1) AS unit_name \
             FROM {from} JOIN units u ON u.id = s.unit_id \
             WHERE s.member_id = m.id AND {} ORDER BY m.sort_key, m.code LIMIT {}",
            conditions.join(" AND "),
            limit + 1
        );
        let mut rows = fetch_all_values!(&mut tx, sql, &values, |row| Ok(MemberRow {
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
        tx.rollback().await?;
        let next = (rows.len() > limit).then(|| {
            rows.truncate(limit);
            rows.last()
                .map(|r| (r.sort_key.clone(), r.code.clone()))
                .unwrap_or_default()
        });
        Ok(MemberPage { rows, next })
    }

    /// Figures over a unit's subtree (the scope's root for an empty code).
    pub async fn figures(
        &self,
        unit_code: &str,
        catalogue: &[Figure],
        window: &Window,
    ) -> Result<Option<(Unit, Vec<(String, i64)>)>> {
        let mut tx = self.read().await?;
        let Some(unit) = self.unit_in(&mut tx, unit_code).await? else {
            tx.rollback().await?;
            return Ok(None);
        };
        let Some(cache) = &self.cache else {
            let values = figures::evaluate(&mut tx, &unit, catalogue, window).await?;
            tx.rollback().await?;
            return Ok(Some((unit, values)));
        };
        let generation = fetch_optional!(
            &mut tx,
            "SELECT COALESCE(MAX(id), 0) AS n FROM audit_log",
            [],
            |row| row.try_get::<i64, _>("n")
        )?
        .unwrap_or(0);
        let keys: Vec<&str> = catalogue.iter().map(|f| f.key.as_str()).collect();
        let key = format!(
            "{generation}|{}|{}|{}|{}|{}",
            unit.path,
            window.as_of,
            window.from,
            window.to,
            keys.join(",")
        );
        let values = match cache.get(&key) {
            Some(values) => values,
            None => {
                let turn = cache.turn(&key);
                let _turn = turn.lock().await;
                match cache.get(&key) {
                    Some(values) => values,
                    None => {
                        let values = figures::evaluate(&mut tx, &unit, catalogue, window).await?;
                        cache.put(key, values.clone());
                        values
                    }
                }
            }
        };
        tx.rollback().await?;
        Ok(Some((unit, values)))
    }

    /// The records behind one figure.
    pub async fn figure_records(
        &self,
        unit_code: &str,
        figure: &Figure,
        window: &Window,
    ) -> Result<Option<(Unit, Vec<Record>)>> {
        let mut tx = self.read().await?;
        let Some(unit) = self.unit_in(&mut tx, unit_code).await? else {
            tx.rollback().await?;
            return Ok(None);
        };
        let records = figures::records(&mut tx, &unit, figure, window).await?;
        tx.rollback().await?;
        Ok(Some((unit, records)))
    }

    /// Writes members' records and events; only for roles that may.
    pub fn editor(&self) -> Result<Editor<'_>> {
        self.allowed(Capability::EditMembers)?;
        Ok(Editor { access: self })
    }

    /// Imports files; only for roles that may.
    pub fn importer(&self) -> Result<Importer<'_>> {
        self.allowed(Capability::Import)?;
        Ok(Importer { access: self })
    }

    /// Restructures units; only for roles that may.
    pub fn restructurer(&self) -> Result<Restructurer<'_>> {
        self.allowed(Capability::Restructure)?;
        Ok(Restructurer { access: self })
    }

    /// Reads the audit log; only administrators.
    pub fn auditor(&self) -> Result<Auditor<'_>> {
        self.allowed(Capability::ReadAudit)?;
        Ok(Auditor { access: self })
    }

    fn allowed(&self, capability: Capability) -> Result<()> {
        if self.actor.can(capability) {
            Ok(())
        } else {
            Err(forbidden(&self.actor))
        }
    }

    async fn audit(
        &self,
        tx: &mut Tx,
        action: &str,
        kind: &str,
        key: &str,
        before: serde_json::Value,
        after: serde_json::Value,
    ) -> Result<()> {
        audit::append(
            tx,
            &Change {
                actor: &self.actor.name,
                action,
                record_kind: kind,
                record_key: key,
                before,
                after,
            },
        )
        .await
    }
}

/// A member's standing now, as a code (full, probationary, outside, or how membership ended).
fn standing(history: &History) -> String {
    use dangbo_domain::event::State;
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
    pub date: Option<NaiveDate>,
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
    pub async fn update_member(
        &self,
        code: &str,
        record: &MemberRecord,
        today: NaiveDate,
    ) -> Result<Member> {
        let record = members::normalise(record);
        let mut problems: Vec<(String, String)> = members::validate(&record, today)
            .into_iter()
            .map(|(f, m)| (f.to_string(), m))
            .collect();
        if record.code != code.trim() {
            problems.push(("code".into(), "không đổi được mã đảng viên".into()));
        }
        if !problems.is_empty() {
            return Err(StoreError::Fields(problems));
        }
        let mut tx = self.access.db.begin_write().await?;
        let (old, _) = self.access.require_member(&mut tx, code).await?;
        if old.record == record {
            tx.rollback().await?;
            return Ok(old);
        }
        members::update(&mut tx, old.id, &record).await?;
        self.access
            .audit(
                &mut tx,
                "member.update",
                "member",
                &record.code,
                json!(old.record),
                json!(record),
            )
            .await?;
        tx.commit().await?;
        Ok(Member { id: old.id, record })
    }

    /// Records an event for a member in scope. The unit it goes to must be in scope too, except
    /// the destination of a transfer out.
    pub async fn record_event(&self, code: &str, input: &EventInput) -> Result<()> {
        let mut problems = Vec::new();
        let kind = EventKind::parse(&input.kind);
        if kind.is_none() {
            problems.push((
                "kind".to_string(),
                format!("cần một trong: {}", EventKind::expected_vi()),
            ));
        }
        if input.date.is_none() {
            problems.push((
                "date".to_string(),
                "cần ngày theo dạng dd/mm/yyyy".to_string(),
            ));
        }
        let (Some(kind), Some(date)) = (kind, input.date) else {
            return Err(StoreError::Fields(problems));
        };
        let mut tx = self.access.db.begin_write().await?;
        let (member, last_unit) = self.access.require_member(&mut tx, code).await?;
        let mut to_unit_id = None;
        let to = input.to_unit.trim();
        if !to.is_empty() {
            let unit = units::by_code(&mut tx, to).await?;
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
            .filter(|_| {
                matches!(
                    kind,
                    EventKind::TransferOut | EventKind::TemporaryTransferOut
                )
            })
            .map(|(id, _)| id);
        let event = NewEvent {
            decision_number: input.decision_number.trim().to_string(),
            issuing_body: input.issuing_body.trim().to_string(),
            to_unit_id,
            from_unit_id,
            external_unit: input.external_unit.trim().to_string(),
            note: input.note.trim().to_string(),
            ..NewEvent::new(kind, date)
        };
        match events::record_for(&mut tx, member.id, vec![event.clone()]).await {
            Ok(_) => {}
            Err(StoreError::Invalid(message)) => {
                return Err(StoreError::Fields(vec![("kind".into(), message)]));
            }
            Err(other) => return Err(other),
        }
        self.access
            .audit(
                &mut tx,
                "event.record",
                "member",
                &member.record.code,
                serde_json::Value::Null,
                json!(event),
            )
            .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// Imports files into the scope.
pub struct Importer<'a> {
    access: &'a Access,
}

impl Importer<'_> {
    /// Runs the import and rolls it back: what it would do, or every bad row.
    pub async fn preview(&self, dataset: Dataset, table: &Table) -> Result<ImportSummary> {
        let mut tx = self.access.db.begin_write().await?;
        let result = self.run(&mut tx, dataset, table, &mut io::Quiet).await;
        tx.rollback().await?;
        result
    }

    /// Imports for real, in one transaction with its audit row.
    pub async fn apply(
        &self,
        dataset: Dataset,
        table: &Table,
        file_name: &str,
        progress: &mut dyn io::Progress,
    ) -> Result<ImportSummary> {
        let mut tx = self.access.db.begin_write().await?;
        let summary = self.run(&mut tx, dataset, table, progress).await?;
        self.access
            .audit(
                &mut tx,
                "import",
                dataset.code(),
                file_name,
                serde_json::Value::Null,
                json!({
                    "rows": summary.rows,
                    "created": summary.created,
                    "updated": summary.updated,
                    "unchanged": summary.unchanged,
                    "events_written": summary.events_written,
                }),
            )
            .await?;
        tx.commit().await?;
        Ok(summary)
    }

    async fn run(
        &self,
        tx: &mut Tx,
        dataset: Dataset,
        table: &Table,
        progress: &mut dyn io::Progress,
    ) -> Result<ImportSummary> {
        let before = high_water(tx).await?;
        let summary = io::import(tx, dataset, table, progress).await?;
        self.check_scope(tx, before, &summary).await?;
        Ok(summary)
    }

    /// Refuses an import that wrote anything outside the actor's scope.
    async fn check_scope(
        &self,
        tx: &mut Tx,
        before: (i64, i64),
        summary: &ImportSummary,
    ) -> Result<()> {
        let actor = &self.access.actor;
        if actor.scope.id == 0 {
            return Ok(());
        }
        let mut outside = Vec::new();
        let new_units = fetch_all!(
            tx,
            "SELECT code, path FROM units WHERE id > $1",
            [before.0],
            |row| Ok((
                row.try_get::<String, _>("code")?,
                row.try_get::<String, _>("path")?
            ))
        )?;
        outside.extend(
            new_units
                .into_iter()
                .filter(|(_, path)| !actor.sees(path))
                .map(|(code, _)| format!("đơn vị {code}")),
        );
        let new_events = fetch_all!(
            tx,
            "SELECT m.code, e.unit_path FROM member_events e JOIN members m ON m.id = e.member_id WHERE e.id > $1",
            [before.1],
            |row| Ok((
                row.try_get::<String, _>("code")?,
                row.try_get::<Option<String>, _>("unit_path")?
            ))
        )?;
        outside.extend(
            new_events
                .into_iter()
                .filter(|(_, path)| !path.as_deref().is_some_and(|p| actor.sees(p)))
                .map(|(code, _)| format!("sự kiện của đảng viên {code}")),
        );
        let updated = members::ids_by_code(tx, &summary.updated_codes).await?;
        let ids: Vec<i64> = updated.values().copied().collect();
        let last = last_units(tx, &ids).await?;
        outside.extend(
            updated
                .iter()
                .filter(|(_, id)| !self.access.sees_member(last.get(id)))
                .map(|(code, _)| format!("hồ sơ đảng viên {code}")),
        );
        if outside.is_empty() {
            return Ok(());
        }
        outside.sort();
        outside.dedup();
        let shown: Vec<String> = outside.iter().take(10).cloned().collect();
        Err(StoreError::Forbidden(format!(
            "tệp ghi ra ngoài phạm vi của bạn ({}): {}{}",
            actor.scope.name,
            shown.join(", "),
            if outside.len() > 10 {
                format!(" và {} mục khác", outside.len() - 10)
            } else {
                String::new()
            }
        )))
    }
}

/// The (id, path) of the unit each member is in now, or was in last, by member id; members with
/// no span yet are absent.
async fn last_units(tx: &mut Tx, member_ids: &[i64]) -> Result<HashMap<i64, (i64, String)>> {
    let mut out = HashMap::new();
    for chunk in member_ids.chunks(500) {
        let sql = format!(
            "SELECT member_id, unit_id, unit_path, from_date FROM member_spans \
             WHERE member_id IN ({}) ORDER BY member_id, from_date",
            crate::db::id_list(chunk)
        );
        let spans = fetch_all!(tx, sql, [], |row| Ok((
            row.try_get::<i64, _>("member_id")?,
            row.try_get::<i64, _>("unit_id")?,
            row.try_get::<String, _>("unit_path")?
        )))?;
        // Ordered by date: the last span of each member wins.
        out.extend(spans.into_iter().map(|(m, u, p)| (m, (u, p))));
    }
    Ok(out)
}

/// The highest unit and event ids, to find what an import added.
async fn high_water(tx: &mut Tx) -> Result<(i64, i64)> {
    Ok(fetch_optional!(
        tx,
        "SELECT (SELECT COALESCE(MAX(id), 0) FROM units) AS u, (SELECT COALESCE(MAX(id), 0) FROM member_events) AS e",
        [],
        |row| Ok((row.try_get::<i64, _>("u")?, row.try_get::<i64, _>("e")?))
    )?
    .unwrap_or((0, 0)))
}

/// Restructures units in scope.
pub struct Restructurer<'a> {
    access: &'a Access,
}

impl Restructurer<'_> {
    /// What the plan would do, without doing it.
    pub async fn preview(
        &self,
        plan: &RestructurePlan,
        decision: &Decision,
    ) -> Result<RestructurePreview> {
        let mut tx = self.access.db.begin_write().await?;
        let result = self.run(&mut tx, plan, decision).await;
        tx.rollback().await?;
        result
    }

    /// Applies the plan in one transaction, with its audit row.
    pub async fn apply(
        &self,
        plan: &RestructurePlan,
        decision: &Decision,
    ) -> Result<RestructurePreview> {
        let mut tx = self.access.db.begin_write().await?;
        let preview = self.run(&mut tx, plan, decision).await?;
        let codes = plan.unit_codes().join(", ");
        self.access
            .audit(
                &mut tx,
                &format!("restructure.{}", plan.kind()),
                "unit",
                &codes,
                serde_json::Value::Null,
                json!({
                    "date": decision.date,
                    "decision_number": decision.decision_number,
                    "created": preview.outcome.created,
                    "ended": preview.outcome.ended,
                    "members_moved": preview.outcome.members_moved,
                }),
            )
            .await?;
        tx.commit().await?;
        Ok(preview)
    }

    async fn run(
        &self,
        tx: &mut Tx,
        plan: &RestructurePlan,
        decision: &Decision,
    ) -> Result<RestructurePreview> {
        for code in plan.unit_codes() {
            self.access.require_unit(tx, code).await?;
        }
        let day_before = decision.date.pred_opt().unwrap_or(decision.date);
        let mut moving = Vec::new();
        let leaving: Vec<&str> = match plan {
            RestructurePlan::Merge { sources, .. } => sources.iter().map(String::as_str).collect(),
            RestructurePlan::Dissolve { code, .. }
            | RestructurePlan::Split { source: code, .. } => vec![code],
            RestructurePlan::Rename { .. } => Vec::new(),
        };
        for code in leaving {
            let query = MemberQuery {
                unit: Some(code.to_string()),
                date: Some(day_before),
                limit: 5000,
                ..MemberQuery::default()
            };
            moving.extend(self.access.members(&query, day_before).await?.rows);
        }
        let outcome = match plan {
            RestructurePlan::Merge { sources, new } => {
                restructure::merge(tx, sources, new, decision).await?
            }
            RestructurePlan::Rename { code, new_name } => {
                restructure::rename(tx, code, new_name, decision).await?
            }
            RestructurePlan::Dissolve {
                code,
                move_members_to,
            } => restructure::dissolve(tx, code, move_members_to.as_deref(), decision).await?,
            RestructurePlan::Split { source, parts } => {
                restructure::split(tx, source, parts, decision).await?
            }
        };
        Ok(RestructurePreview { outcome, moving })
    }
}

/// Reads the audit log.
pub struct Auditor<'a> {
    access: &'a Access,
}

impl Auditor<'_> {
    pub async fn list(&self, filter: &audit::Filter) -> Result<Vec<audit::Entry>> {
        let mut tx = self.access.read().await?;
        let list = audit::list(&mut tx, filter).await?;
        tx.rollback().await?;
        Ok(list)
    }
}
