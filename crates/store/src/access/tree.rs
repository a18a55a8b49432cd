//! The organization tree through the scope: units, the tree on a date, restructure history, and
//! the [`Restructurer`] writer.

use chrono::NaiveDate;
use dangbo_domain::access::Capability;
use dangbo_domain::input::TextKind;
use serde::Serialize;
use serde_json::json;

use super::{Access, MemberQuery, MemberRow};
use crate::tree::common_path;
use crate::tree::restructure;
use crate::{Result, StoreError, Tx};

pub use crate::tree::restructure::{Decision, Outcome, SplitPart};

pub use crate::tree::{LineageStep, NewUnit, TreeEntry, Unit};

/// A unit's name on a date, from its names over time (its first name before it existed).
pub fn name_on(names: &[(NaiveDate, String)], date: NaiveDate) -> String {
    crate::tree::pick_name(names, date)
}

impl Access {
    /// The unit with this code, if it is in scope; an empty code means the scope's root.
    pub async fn unit(&self, code: &str) -> Result<Option<Unit>> {
        let mut tx = self.read().await?;
        let unit = self.unit_in(&mut tx, code).await?;
        tx.rollback().await?;
        Ok(unit)
    }

    /// A read transaction with the unit in scope a reader is asked about (the scope when the code
    /// is empty); `None`, the transaction closed, when no unit in scope answers to it.
    pub(super) async fn read_unit(&self, code: &str) -> Result<Option<(Tx, Unit)>> {
        let mut tx = self.read().await?;
        match self.unit_in(&mut tx, code).await {
            Ok(Some(unit)) => Ok(Some((tx, unit))),
            other => {
                tx.rollback().await?;
                other.map(|_| None)
            }
        }
    }

    /// [`Access::unit`] inside the caller's transaction. A unit is named by its code, or by its
    /// exact name (any name it has had) when no unit has that code and one unit in scope has the
    /// name; several units with the name are refused, asking for the code.
    pub(super) async fn unit_in(&self, tx: &mut Tx, code: &str) -> Result<Option<Unit>> {
        if code.trim().is_empty() {
            return Ok(Some(self.actor.scope.clone()));
        }
        if let Some(unit) = crate::tree::by_code(tx, code).await? {
            return Ok(Some(unit).filter(|u| self.actor.sees(&u.path)));
        }
        let named: Vec<Unit> = crate::tree::by_name(tx, code.trim())
            .await?
            .into_iter()
            .filter(|u| self.actor.sees(&u.path))
            .collect();
        match named.len() {
            0 | 1 => Ok(named.into_iter().next()),
            n => Err(StoreError::invalid(
                "unit.ambiguous_name",
                format!(
                    "có {n} đơn vị tên «{}» ({}): hãy chọn trong danh sách hoặc nhập mã",
                    code.trim(),
                    named
                        .iter()
                        .map(|u| u.code.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )),
        }
    }

    /// The names over time of the units with these codes that lie in the scope, by code: for
    /// lists that name many units on many dates (a restructure history). Read with [`name_on`].
    pub async fn unit_names_by_code(
        &self,
        codes: &[&str],
    ) -> Result<std::collections::HashMap<String, Vec<(NaiveDate, String)>>> {
        let mut tx = self.read().await?;
        let names = crate::tree::names_by_code(&mut tx, codes).await;
        tx.rollback().await?;
        Ok(names?
            .into_iter()
            .filter(|(_, (path, _))| self.actor.sees(path))
            .map(|(code, (_, history))| (code, history))
            .collect())
    }

    /// Units of the scope existing on `date` whose name holds every word typed (tone marks and
    /// case ignored) or whose code starts with it: names starting with the text first, then by
    /// depth; each with its path of names ("Chi bộ thôn Nà Làng › Đảng ủy xã Bằng Thành › …").
    pub async fn pick_units(
        &self,
        typed: &str,
        date: NaiveDate,
        limit: usize,
    ) -> Result<Vec<(Unit, String)>> {
        // No unit name is longer; a longer text would only make every name's check longer.
        if typed.chars().count() > 200 {
            return Ok(Vec::new());
        }
        let folded = dangbo_domain::text::fold(typed);
        let words: Vec<&str> = folded.split_whitespace().take(12).collect();
        if words.is_empty() {
            return Ok(Vec::new());
        }
        let tree = self.tree(date).await?;
        let by_id: std::collections::HashMap<i64, &Unit> =
            tree.iter().map(|e| (e.unit.id, &e.unit)).collect();
        let code_prefix = typed.trim().to_uppercase();
        let mut found: Vec<(bool, usize, &TreeEntry)> = tree
            .iter()
            .filter_map(|e| {
                let name = dangbo_domain::text::fold(&e.unit.name);
                let by_code = e.unit.code.to_uppercase().starts_with(&code_prefix);
                let by_words = words.iter().all(|w| name.contains(w));
                (by_code || by_words).then(|| (!name.starts_with(&folded), e.depth, e))
            })
            .collect();
        found.sort_by_key(|(later, depth, _)| (*later, *depth));
        Ok(found
            .into_iter()
            .take(limit)
            .map(|(_, _, e)| {
                let mut path = Vec::new();
                let mut parent = e.unit.parent_id.and_then(|p| by_id.get(&p));
                while let Some(unit) = parent {
                    path.push(unit.name.clone());
                    parent = unit.parent_id.and_then(|p| by_id.get(&p));
                }
                (e.unit.clone(), path.join(" › "))
            })
            .collect())
    }

    pub(super) async fn require_unit(&self, tx: &mut Tx, code: &str) -> Result<Unit> {
        self.unit_in(tx, code)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("đơn vị «{}»", code.trim())))
    }

    /// Whether the scope holds any unit at all, at any date.
    pub async fn has_units(&self) -> Result<bool> {
        let mut tx = self.read().await?;
        let (lo, hi) = crate::tree::subtree_bounds(&self.actor.scope.path);
        let found = fetch_optional!(
            &mut tx,
            "SELECT 1 AS found FROM units WHERE path >= $1 AND path < $2 LIMIT 1",
            [lo, hi],
            |row| row.try_get::<i32, _>("found")
        )?;
        tx.rollback().await?;
        Ok(found.is_some())
    }

    /// The tree of the scope as it stood on `date`.
    pub async fn tree(&self, date: NaiveDate) -> Result<Vec<TreeEntry>> {
        let mut tx = self.read().await?;
        let root = (!self.actor.sees_everything()).then_some(&self.actor.scope);
        let tree = crate::tree::tree_on(&mut tx, root, date).await?;
        tx.rollback().await?;
        Ok(tree)
    }

    /// The tree under one unit of the scope (by code) as it stood on `date`.
    pub async fn subtree(&self, code: &str, date: NaiveDate) -> Result<Option<Vec<TreeEntry>>> {
        let mut tx = self.read().await?;
        let Some(unit) = self.unit_in(&mut tx, code).await? else {
            tx.rollback().await?;
            return Ok(None);
        };
        let root = (unit.id != 0).then_some(&unit);
        let tree = crate::tree::tree_on(&mut tx, root, date).await?;
        tx.rollback().await?;
        Ok(Some(tree))
    }

    /// Refuses a unit the caller built or kept from elsewhere unless it is the unit stored under
    /// its id and lies in the scope (the pseudo-unit of the whole database only for unscoped
    /// actors): methods taking a `Unit` cannot be used to look outside the scope.
    async fn check_unit(&self, tx: &mut Tx, unit: &Unit) -> Result<()> {
        let not_found = || StoreError::NotFound(format!("đơn vị «{}»", unit.code));
        if unit.id == 0 {
            return if self.actor.sees_everything() {
                Ok(())
            } else {
                Err(not_found())
            };
        }
        let stored = crate::tree::by_id(tx, unit.id)
            .await
            .map_err(|_| not_found())?;
        if stored.path == unit.path && self.actor.sees(&stored.path) {
            Ok(())
        } else {
            Err(not_found())
        }
    }

    /// The newest restructure steps that touch the scope (from or to a unit inside it), newest first.
    pub async fn restructure_history(&self, limit: usize) -> Result<Vec<LineageStep>> {
        let mut tx = self.read().await?;
        let steps = crate::tree::lineage_within(&mut tx, &self.actor.scope, limit).await?;
        tx.rollback().await?;
        Ok(steps)
    }

    /// The units that took over from a unit that ended: those its restructure (or the restructure
    /// of anything under it, on the day it ended) moved members or sub-units to, outside it, as far
    /// as the scope reaches; in Vietnamese order of their names.
    pub async fn successors(&self, unit: &Unit) -> Result<Vec<Unit>> {
        let Some(end) = unit.end_date else {
            return Ok(Vec::new());
        };
        let mut tx = self.read().await?;
        self.check_unit(&mut tx, unit).await?;
        let steps = crate::tree::lineage_within(&mut tx, unit, 10_000).await?;
        let mut codes: Vec<String> = steps
            .into_iter()
            .filter(|step| step.date == end)
            .filter_map(|step| step.to_code)
            .collect();
        codes.sort();
        codes.dedup();
        let mut found = Vec::new();
        for code in codes {
            if let Some(next) = self.unit_in(&mut tx, &code).await?
                && !next.path.starts_with(&unit.path)
            {
                found.push(next);
            }
        }
        tx.rollback().await?;
        // Direct successors (a new commune) before the units moved under them.
        let tops: Vec<Unit> = found
            .iter()
            .filter(|u| {
                !found
                    .iter()
                    .any(|o| o.id != u.id && u.path.starts_with(&o.path))
            })
            .cloned()
            .collect();
        let mut tops = tops;
        tops.sort_by(|a, b| dangbo_domain::text::compare_vi(&a.name, &b.name));
        Ok(tops)
    }

    /// The name a unit of the scope bore on a date.
    pub async fn unit_name_on(&self, unit: &Unit, date: NaiveDate) -> Result<String> {
        let mut tx = self.read().await?;
        self.check_unit(&mut tx, unit).await?;
        if unit.id == 0 {
            return Ok(unit.name.clone());
        }
        let name = crate::tree::name_on(&mut tx, unit.id, date).await?;
        tx.rollback().await?;
        Ok(name)
    }

    /// A unit's sub-units on `date`, its name on that date and its restructure history.
    pub async fn unit_details(
        &self,
        unit: &Unit,
        date: NaiveDate,
    ) -> Result<(String, Vec<Unit>, Vec<LineageStep>)> {
        let mut tx = self.read().await?;
        self.check_unit(&mut tx, unit).await?;
        let name = if unit.id == 0 {
            unit.name.clone()
        } else {
            crate::tree::name_on(&mut tx, unit.id, date).await?
        };
        let children = self.children_in(&mut tx, unit, date).await?;
        let lineage = if unit.id == 0 {
            Vec::new()
        } else {
            crate::tree::lineage(&mut tx, unit.id).await?
        };
        tx.rollback().await?;
        Ok((name, children, lineage))
    }

    /// The direct sub-units of a unit of the scope existing on `date`, named as on that date, in
    /// Vietnamese order; for the whole database, the roots of the tree.
    pub(super) async fn children_in(
        &self,
        tx: &mut Tx,
        unit: &Unit,
        date: NaiveDate,
    ) -> Result<Vec<Unit>> {
        let mut children = crate::tree::children_on(tx, unit, date).await?;
        let ids: Vec<i64> = children.iter().map(|c| c.id).collect();
        let names = crate::tree::names_of(tx, &ids).await?;
        for child in &mut children {
            child.name = crate::tree::pick_name(
                names.get(&child.id).map(Vec::as_slice).unwrap_or(&[]),
                date,
            );
        }
        children.sort_by(|a, b| dangbo_domain::text::compare_vi(&a.name, &b.name));
        Ok(children)
    }

    /// Restructures units; only for roles that may.
    pub fn restructurer(&self) -> Result<Restructurer<'_>> {
        self.allowed(Capability::Restructure)?;
        Ok(Restructurer { access: self })
    }
}

/// A restructure to preview or apply.
#[derive(Debug, Clone)]
pub enum RestructurePlan {
    /// A new unit (thành lập), with no members yet.
    Establish {
        new: NewUnit,
    },
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
        parts: Vec<SplitPart>,
    },
    /// The unit ends and a successor starts under a new parent with its members and sub-units.
    MoveUnder {
        code: String,
        new_parent: String,
        new_code: Option<String>,
    },
}

impl RestructurePlan {
    /// Every unit the plan names, existing or to be created as a parent (all must be in scope).
    fn unit_codes(&self) -> Vec<&str> {
        fn parent(new: &NewUnit) -> Option<&str> {
            new.parent_code.as_deref().map(str::trim)
        }
        match self {
            RestructurePlan::Establish { new } => parent(new).into_iter().collect(),
            RestructurePlan::Merge { sources, new } => sources
                .iter()
                .map(String::as_str)
                .chain(parent(new))
                .collect(),
            RestructurePlan::Rename { code, .. } => vec![code],
            RestructurePlan::Dissolve {
                code,
                move_members_to,
            } => std::iter::once(code.as_str())
                .chain(move_members_to.as_deref())
                .collect(),
            RestructurePlan::Split { source, parts } => std::iter::once(source.as_str())
                .chain(parts.iter().filter_map(|p| parent(&p.unit)))
                .collect(),
            RestructurePlan::MoveUnder {
                code, new_parent, ..
            } => vec![code, new_parent],
        }
    }

    /// The existing units the plan changes (not those it only names as a parent or destination).
    fn subjects(&self) -> Vec<&str> {
        match self {
            RestructurePlan::Establish { .. } => Vec::new(),
            RestructurePlan::Merge { sources, .. } => sources.iter().map(String::as_str).collect(),
            RestructurePlan::Rename { code, .. }
            | RestructurePlan::Dissolve { code, .. }
            | RestructurePlan::MoveUnder { code, .. }
            | RestructurePlan::Split { source: code, .. } => vec![code],
        }
    }

    /// The new units the plan creates, whose parents must be named and in scope.
    fn new_units(&self) -> Vec<&NewUnit> {
        match self {
            RestructurePlan::Establish { new } | RestructurePlan::Merge { new, .. } => vec![new],
            RestructurePlan::Split { parts, .. } => parts.iter().map(|p| &p.unit).collect(),
            _ => Vec::new(),
        }
    }

    fn kind(&self) -> &'static str {
        match self {
            RestructurePlan::Establish { .. } => "establish",
            RestructurePlan::Merge { .. } => "merge",
            RestructurePlan::Rename { .. } => "rename",
            RestructurePlan::Dissolve { .. } => "dissolve",
            RestructurePlan::Split { .. } => "split",
            RestructurePlan::MoveUnder { .. } => "move",
        }
    }
}

/// Refuses codes outside the safe alphabet and decision text a field does not take, before any of
/// them is looked up.
fn check_plan_text(plan: &RestructurePlan, decision: &Decision) -> Result<()> {
    let mut problems = dangbo_domain::input::problems([
        (
            "decision_number",
            TextKind::Short,
            decision.decision_number.as_str(),
        ),
        ("issuing_body", TextKind::Line, &decision.issuing_body),
        ("note", TextKind::Note, &decision.note),
    ]);
    let members = match plan {
        RestructurePlan::Split { parts, .. } => parts
            .iter()
            .flat_map(|p| p.members.iter().map(String::as_str))
            .collect(),
        _ => Vec::new(),
    };
    let new_codes = plan.new_units().into_iter().map(|n| n.code.as_str());
    for code in plan
        .unit_codes()
        .into_iter()
        .chain(new_codes)
        .chain(members)
    {
        if let Err(problem) = TextKind::Code.check(code.trim()) {
            problems.push(("code".to_string(), format!("«{}»: {problem}", code.trim())));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(StoreError::Fields(problems))
    }
}

/// What a restructure does: its outcome and who moves.
#[derive(Debug, Clone, Serialize)]
pub struct RestructurePreview {
    pub outcome: Outcome,
    /// Members active in the units that end, the day before.
    pub moving: Vec<MemberRow>,
}

/// What a split has to share out among the new units: the members directly in the unit and its
/// sub-units on the day before the split, and the unit's parent (where the new units usually go).
#[derive(Debug, Clone)]
pub struct SplitContents {
    pub unit: Unit,
    pub parent_code: Option<String>,
    /// (code, full name) of each member, in Vietnamese order of names.
    pub members: Vec<(String, String)>,
    pub children: Vec<Unit>,
}

/// Restructures units in scope.
pub struct Restructurer<'a> {
    access: &'a Access,
}

impl Restructurer<'_> {
    /// What a split of the unit (by code or exact name) on `date` has to assign.
    pub async fn split_contents(&self, code: &str, date: NaiveDate) -> Result<SplitContents> {
        let mut tx = self.access.read().await?;
        let unit = self.access.require_unit(&mut tx, code).await?;
        let actor = &self.access.actor;
        if !actor.sees_everything() && unit.id == actor.scope.id {
            return Err(StoreError::Forbidden(format!(
                "{} là đơn vị gốc trong phạm vi của bạn: việc sắp xếp đơn vị này do cấp trên quyết định",
                unit.code
            )));
        }
        let day_before = date.pred_opt().unwrap_or(date);
        let members = crate::members::events::present_by_name(&mut tx, unit.id, day_before).await?;
        let children = self.access.children_in(&mut tx, &unit, day_before).await?;
        let parent_code = match unit.parent_id {
            Some(id) => Some(crate::tree::by_id(&mut tx, id).await?.code),
            None => None,
        };
        tx.rollback().await?;
        Ok(SplitContents {
            unit,
            parent_code,
            members,
            children,
        })
    }

    /// What the plan would do, without doing it.
    pub async fn preview(
        &self,
        plan: &RestructurePlan,
        decision: &Decision,
    ) -> Result<RestructurePreview> {
        let mut tx = self.access.db.begin_write().await?;
        let result = self.run(&mut tx, plan, decision).await;
        tx.rollback().await?;
        result.map(|(preview, _)| preview)
    }

    /// Applies the plan in one transaction, with its audit row.
    pub async fn apply(
        &self,
        plan: &RestructurePlan,
        decision: &Decision,
    ) -> Result<RestructurePreview> {
        let mut tx = self.access.db.begin_write().await?;
        let preview = self.apply_in(&mut tx, plan, decision).await?;
        tx.commit().await?;
        Ok(preview)
    }

    /// [`Restructurer::apply`] inside the caller's transaction (a batch).
    pub(super) async fn apply_in(
        &self,
        tx: &mut Tx,
        plan: &RestructurePlan,
        decision: &Decision,
    ) -> Result<RestructurePreview> {
        let (preview, touched) = self.run(tx, plan, decision).await?;
        let codes = plan.unit_codes().join(", ");
        let key = if codes.is_empty() {
            preview.outcome.created.join(", ")
        } else {
            codes
        };
        self.access
            .audit(
                tx,
                &format!("restructure.{}", plan.kind()),
                "unit",
                &key,
                &common_path(touched.iter().map(String::as_str)),
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
        Ok(preview)
    }

    /// Runs the plan in `tx`; returns what it did and the paths of every unit it touched.
    async fn run(
        &self,
        tx: &mut Tx,
        plan: &RestructurePlan,
        decision: &Decision,
    ) -> Result<(RestructurePreview, Vec<String>)> {
        let actor = &self.access.actor;
        check_plan_text(plan, decision)?;
        // A new unit at the root would lie outside every scope but the whole database's.
        for new in plan.new_units() {
            let named = new
                .parent_code
                .as_deref()
                .is_some_and(|p| !p.trim().is_empty());
            if !named && !actor.sees_everything() {
                return Err(StoreError::Fields(vec![(
                    "parent_code".into(),
                    format!(
                        "cần mã đơn vị cấp trên trong phạm vi của bạn ({})",
                        actor.scope.name
                    ),
                )]));
            }
        }
        let mut touched = Vec::new();
        for code in plan.unit_codes() {
            touched.push(self.access.require_unit(tx, code).await?.path);
        }
        // The unit at the top of a scope is restructured by the level above it.
        for code in plan.subjects() {
            let unit = self.access.require_unit(tx, code).await?;
            if !actor.sees_everything() && unit.id == actor.scope.id {
                return Err(StoreError::Forbidden(format!(
                    "{} là đơn vị gốc trong phạm vi của bạn: việc sắp xếp đơn vị này do cấp trên quyết định",
                    unit.code
                )));
            }
        }
        let day_before = decision.date.pred_opt().unwrap_or(decision.date);
        let mut moving = Vec::new();
        let leaving: Vec<&str> = match plan {
            RestructurePlan::Merge { sources, .. } => sources.iter().map(String::as_str).collect(),
            RestructurePlan::Dissolve { code, .. }
            | RestructurePlan::Split { source: code, .. }
            | RestructurePlan::MoveUnder { code, .. } => vec![code],
            RestructurePlan::Rename { .. } | RestructurePlan::Establish { .. } => Vec::new(),
        };
        for code in leaving {
            let query = MemberQuery {
                unit: Some(code.to_string()),
                date: Some(day_before),
                limit: 5000,
                ..MemberQuery::default()
            };
            moving.extend(self.access.members_in(tx, &query, day_before).await?.rows);
        }
        let outcome = match plan {
            RestructurePlan::Establish { new } => restructure::establish(tx, new, decision).await?,
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
            RestructurePlan::MoveUnder {
                code,
                new_parent,
                new_code,
            } => {
                restructure::move_under(tx, code, new_parent, new_code.as_deref(), decision).await?
            }
        };
        // Whatever the operation created (successors of sub-units included) must lie in scope.
        for code in &outcome.created {
            let unit = crate::tree::require(tx, code).await?;
            if !actor.sees(&unit.path) {
                return Err(StoreError::Forbidden(format!(
                    "đơn vị {code} sẽ nằm ngoài phạm vi của bạn ({})",
                    actor.scope.name
                )));
            }
            touched.push(unit.path);
        }
        Ok((RestructurePreview { outcome, moving }, touched))
    }
}
