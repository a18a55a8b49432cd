//! Restructuring the tree (merge, split, dissolve, rename, move under a new parent). Each operation
//! is one transaction that ends old units on a date, starts new ones, records the lineage, and moves
//! members with transfer events dated on the restructure. Nothing is deleted or overwritten.

use std::collections::HashMap;

use chrono::NaiveDate;
use dangbo_domain::members::events::{EventCause, EventKind};
use dangbo_domain::text::{clean, format_date};
use serde::Serialize;

use crate::members::events::{self, NewEvent};
use crate::tree::{self, NewUnit, Unit};
use crate::{Result, StoreError, Tx};

/// The decision behind a restructure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub date: NaiveDate,
    pub decision_number: String,
    pub issuing_body: String,
    pub note: String,
}

impl Decision {
    pub fn on(date: NaiveDate) -> Decision {
        Decision {
            date,
            decision_number: String::new(),
            issuing_body: String::new(),
            note: String::new(),
        }
    }
}

/// What a restructure did, for the caller to show.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Outcome {
    pub restructure_id: i64,
    pub created: Vec<String>,
    pub ended: Vec<String>,
    pub members_moved: usize,
}

struct Work<'a> {
    tx: &'a mut Tx,
    units: HashMap<i64, Unit>,
    restructure_id: i64,
    decision: Decision,
    outcome: Outcome,
}

async fn begin<'a>(tx: &'a mut Tx, kind: &str, decision: &Decision) -> Result<Work<'a>> {
    let id = fetch_optional!(
        tx,
        "INSERT INTO restructures (kind, effective_date, decision_number, issuing_body, note) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
        [
            kind,
            decision.date,
            clean(&decision.decision_number),
            clean(&decision.issuing_body),
            clean(&decision.note)
        ],
        |row| row.try_get::<i64, _>("id")
    )?
    .ok_or_else(|| {
        StoreError::invalid("store.write_failed", "không ghi được quyết định sắp xếp")
    })?;
    let units = tree::all_units(tx).await?;
    Ok(Work {
        tx,
        units,
        restructure_id: id,
        decision: decision.clone(),
        outcome: Outcome {
            restructure_id: id,
            ..Outcome::default()
        },
    })
}

impl Work<'_> {
    fn date(&self) -> NaiveDate {
        self.decision.date
    }

    async fn unit(&mut self, code: &str) -> Result<Unit> {
        let unit = tree::require(self.tx, code).await?;
        if !unit.exists_on(self.date()) || unit.start_date == self.date() {
            return Err(StoreError::invalid(
                "unit.not_on_date",
                format!(
                    "đơn vị {} không tồn tại trước ngày {} nên không thể sắp xếp",
                    unit.code,
                    format_date(self.date())
                ),
            ));
        }
        Ok(unit)
    }

    async fn create(&mut self, new: &NewUnit) -> Result<Unit> {
        let unit = tree::create(self.tx, new).await?;
        self.units.insert(unit.id, unit.clone());
        self.outcome.created.push(unit.code.clone());
        Ok(unit)
    }

    async fn link(&mut self, from: i64, to: Option<i64>) -> Result<()> {
        execute!(
            self.tx,
            "INSERT INTO unit_lineage (restructure_id, from_unit_id, to_unit_id) VALUES ($1, $2, $3)",
            [self.restructure_id, from, to]
        )?;
        Ok(())
    }

    /// Moves members active in `from` the day before the restructure to `to`, with transfer events
    /// (and, when all of them go, the open admission files with them).
    async fn move_members(
        &mut self,
        from: &Unit,
        to: &Unit,
        only: Option<&[(i64, String)]>,
    ) -> Result<()> {
        // A branch moving whole takes its open admission files along.
        if only.is_none() && to.kind.holds_members() {
            crate::admission::follow_unit(self.tx, from, to, self.date()).await?;
        }
        let before = self.date().pred_opt().unwrap_or(self.date());
        let present = events::active_in_unit(self.tx, from.id, before).await?;
        let moving: Vec<(i64, String)> = match only {
            Some(list) => list.to_vec(),
            None => present,
        };
        if moving.is_empty() {
            return Ok(());
        }
        if !to.kind.holds_members() {
            return Err(StoreError::invalid(
                "restructure.members_need_branch",
                format!(
                    "{} đảng viên của {} cần chuyển đến một chi bộ, nhưng {} là {}",
                    moving.len(),
                    from.code,
                    to.code,
                    to.kind.label_vi()
                ),
            ));
        }
        let batch = moving
            .iter()
            .map(|(id, _)| {
                (
                    *id,
                    vec![NewEvent {
                        from_unit_id: Some(from.id),
                        to_unit_id: Some(to.id),
                        decision_number: self.decision.decision_number.clone(),
                        issuing_body: self.decision.issuing_body.clone(),
                        cause: EventCause::Restructure,
                        restructure_id: Some(self.restructure_id),
                        ..NewEvent::new(EventKind::TransferOut, self.date())
                    }],
                )
            })
            .collect();
        match events::record(self.tx, &self.units, batch).await? {
            Ok(_) => {
                self.outcome.members_moved += moving.len();
                Ok(())
            }
            Err(refusals) => Err(events::refusal_error(refusals)),
        }
    }

    /// Ends a unit on the restructure date once nothing lives in it any more.
    async fn end(&mut self, unit: &Unit) -> Result<()> {
        let date = self.date();
        let children = tree::children_on(self.tx, unit, date).await?;
        if !children.is_empty() {
            let codes: Vec<String> = children.iter().map(|c| c.code.clone()).collect();
            return Err(StoreError::invalid(
                "restructure.children_remain",
                format!(
                    "đơn vị {} còn đơn vị trực thuộc vào ngày {}: {}",
                    unit.code,
                    format_date(date),
                    codes.join(", ")
                ),
            ));
        }
        let staying = events::active_in_unit(self.tx, unit.id, date).await?;
        let later = events::arriving_after(self.tx, unit.id, date).await?;
        if !staying.is_empty() || !later.is_empty() {
            let mut codes: Vec<String> = staying.into_iter().map(|(_, c)| c).chain(later).collect();
            codes.dedup();
            return Err(StoreError::invalid(
                "restructure.members_remain",
                format!(
                    "đơn vị {} còn đảng viên sinh hoạt từ ngày {}: {}",
                    unit.code,
                    format_date(date),
                    codes.join(", ")
                ),
            ));
        }
        tree::set_end(self.tx, unit.id, date).await?;
        if let Some(u) = self.units.get_mut(&unit.id) {
            u.end_date = Some(date);
        }
        self.outcome.ended.push(unit.code.clone());
        Ok(())
    }

    async fn successor_code(&mut self, old_code: &str) -> Result<String> {
        let year = self.date().format("%Y").to_string();
        let base = format!("{old_code}-{year}");
        let mut candidate = base.clone();
        let mut n = 2;
        while tree::by_code(self.tx, &candidate).await?.is_some() {
            candidate = format!("{base}-{n}");
            n += 1;
        }
        Ok(candidate)
    }

    /// Starts a successor of `old` (same name and kind) under `parent`, moves its members and,
    /// recursively, its sub-units, then ends `old`.
    async fn succeed(&mut self, old: &Unit, parent: &Unit, code: Option<String>) -> Result<Unit> {
        let code = match code {
            Some(c) => c,
            None => self.successor_code(&old.code).await?,
        };
        let name = tree::name_on(self.tx, old.id, self.date()).await?;
        let successor = self
            .create(&NewUnit {
                code,
                name,
                kind: old.kind,
                parent_code: Some(parent.code.clone()),
                start_date: self.date(),
                end_date: None,
            })
            .await?;
        self.carry_children(old, &successor).await?;
        self.move_members(old, &successor, None).await?;
        self.link(old.id, Some(successor.id)).await?;
        self.end(old).await?;
        Ok(successor)
    }

    async fn carry_children(&mut self, old: &Unit, new_parent: &Unit) -> Result<()> {
        let before = self.date().pred_opt().unwrap_or(self.date());
        let children = tree::children_on(self.tx, old, before).await?;
        for child in children {
            if child.exists_on(self.date()) {
                Box::pin(self.succeed(&child, new_parent, None)).await?;
            }
        }
        Ok(())
    }
}

/// Establishes a new unit (thành lập) from the decision's date, with no members yet.
pub async fn establish(tx: &mut Tx, new: &NewUnit, decision: &Decision) -> Result<Outcome> {
    let mut work = begin(tx, "establish", decision).await?;
    work.create(&NewUnit {
        start_date: decision.date,
        ..new.clone()
    })
    .await?;
    Ok(work.outcome)
}

/// Merges several units into a new one (hợp nhất / sáp nhập). Members of the sources move to the new
/// unit; their sub-units get successors under it.
pub async fn merge(
    tx: &mut Tx,
    sources: &[String],
    new: &NewUnit,
    decision: &Decision,
) -> Result<Outcome> {
    if sources.is_empty() {
        return Err(StoreError::invalid(
            "restructure.no_sources",
            "cần ít nhất một đơn vị để hợp nhất",
        ));
    }
    let mut work = begin(tx, "merge", decision).await?;
    let mut olds = Vec::new();
    for code in sources {
        olds.push(work.unit(code).await?);
    }
    let target = work
        .create(&NewUnit {
            start_date: decision.date,
            ..new.clone()
        })
        .await?;
    for old in &olds {
        work.carry_children(old, &target).await?;
        work.move_members(old, &target, None).await?;
        work.link(old.id, Some(target.id)).await?;
        work.end(old).await?;
    }
    Ok(work.outcome)
}

/// One part of a split: the new unit, and the codes of the members and sub-units it takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitPart {
    pub unit: NewUnit,
    pub members: Vec<String>,
    pub children: Vec<String>,
}

/// Splits a unit into several new ones (chia tách); every member and sub-unit must be assigned.
pub async fn split(
    tx: &mut Tx,
    source: &str,
    parts: &[SplitPart],
    decision: &Decision,
) -> Result<Outcome> {
    let mut work = begin(tx, "split", decision).await?;
    let old = work.unit(source).await?;
    let before = decision.date.pred_opt().unwrap_or(decision.date);
    let present = events::active_in_unit(work.tx, old.id, before).await?;
    let children = tree::children_on(work.tx, &old, before).await?;
    let assigned_members: Vec<&String> = parts.iter().flat_map(|p| &p.members).collect();
    let assigned_children: Vec<&String> = parts.iter().flat_map(|p| &p.children).collect();
    let mut seen = std::collections::HashSet::new();
    let mut twice: Vec<&str> = assigned_members
        .iter()
        .chain(&assigned_children)
        .filter(|c| !seen.insert(c.as_str()))
        .map(|c| c.as_str())
        .collect();
    twice.sort_unstable();
    twice.dedup();
    if !twice.is_empty() {
        return Err(StoreError::invalid(
            "restructure.assigned_twice",
            format!("phân về hai đơn vị mới: {}", twice.join(", ")),
        ));
    }
    let missing: Vec<String> = present
        .iter()
        .map(|(_, c)| c.clone())
        .chain(children.iter().map(|c| c.code.clone()))
        .filter(|c| !assigned_members.contains(&c) && !assigned_children.contains(&c))
        .collect();
    if !missing.is_empty() {
        return Err(StoreError::invalid(
            "restructure.unassigned",
            format!("chưa phân về đơn vị mới: {}", missing.join(", ")),
        ));
    }
    for part in parts {
        for code in &part.members {
            if !present.iter().any(|(_, c)| c == code) {
                return Err(StoreError::invalid(
                    "restructure.not_in_unit",
                    format!(
                        "đảng viên {code} không sinh hoạt tại {} trước ngày {}",
                        old.code,
                        format_date(decision.date)
                    ),
                ));
            }
        }
        for code in &part.children {
            if !children.iter().any(|c| &c.code == code) {
                return Err(StoreError::invalid(
                    "restructure.not_a_child",
                    format!("{code} không phải đơn vị trực thuộc {}", old.code),
                ));
            }
        }
    }
    for part in parts {
        let target = work
            .create(&NewUnit {
                start_date: decision.date,
                ..part.unit.clone()
            })
            .await?;
        let moving: Vec<(i64, String)> = present
            .iter()
            .filter(|(_, c)| part.members.contains(c))
            .cloned()
            .collect();
        work.move_members(&old, &target, Some(&moving)).await?;
        for child in children.iter().filter(|c| part.children.contains(&c.code)) {
            work.succeed(child, &target, None).await?;
        }
        work.link(old.id, Some(target.id)).await?;
    }
    work.end(&old).await?;
    Ok(work.outcome)
}

/// Dissolves a unit (giải thể). Its members move to `move_members_to` if given; a unit that still
/// has members with nowhere to go, or live sub-units, is refused.
pub async fn dissolve(
    tx: &mut Tx,
    code: &str,
    move_members_to: Option<&str>,
    decision: &Decision,
) -> Result<Outcome> {
    let mut work = begin(tx, "dissolve", decision).await?;
    let old = work.unit(code).await?;
    if let Some(target) = move_members_to {
        let target = tree::require(work.tx, target).await?;
        work.move_members(&old, &target, None).await?;
    }
    work.link(old.id, None).await?;
    work.end(&old).await?;
    Ok(work.outcome)
}

/// Renames a unit from a date (its code, path and history stay).
pub async fn rename(
    tx: &mut Tx,
    code: &str,
    new_name: &str,
    decision: &Decision,
) -> Result<Outcome> {
    let mut work = begin(tx, "rename", decision).await?;
    let unit = tree::require(work.tx, code).await?;
    tree::rename(
        work.tx,
        code,
        new_name,
        decision.date,
        &decision.decision_number,
    )
    .await?;
    work.link(unit.id, Some(unit.id)).await?;
    Ok(work.outcome)
}

/// Moves a unit under a new parent: the unit ends and a successor (code `new_code`, or a derived one)
/// starts under the new parent with its members and sub-units.
pub async fn move_under(
    tx: &mut Tx,
    code: &str,
    new_parent: &str,
    new_code: Option<&str>,
    decision: &Decision,
) -> Result<Outcome> {
    let mut work = begin(tx, "move", decision).await?;
    let old = work.unit(code).await?;
    let parent = tree::require(work.tx, new_parent).await?;
    work.succeed(&old, &parent, new_code.map(clean)).await?;
    Ok(work.outcome)
}
