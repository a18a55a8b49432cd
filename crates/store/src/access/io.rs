//! Import and export through the scope: the [`Importer`] writer, which refuses a file that would
//! write outside the actor's scope, and the file formats.

use std::collections::HashMap;

use chrono::NaiveDate;
use dangbo_domain::access::Capability;
use dangbo_domain::education::TrainingKind;
use serde_json::json;

use super::Access;
use super::cadres::FactInput;
use crate::io;
use crate::io::{Columns, Row};
use crate::{Result, StoreError, Tx};

pub use crate::io::{
    Cell, ColumnGuide, Dataset, Format, ImportSummary, LIMITS, Limits, Progress, Quiet,
    ReportSheet, RowError, Table, column_guide, csv_bytes, read_table, report_xlsx, template_xlsx,
    write_table, xlsx_bytes,
};

impl Access {
    /// Imports files; only for roles that may import some kind of file.
    pub fn importer(&self) -> Result<Importer<'_>> {
        if !Dataset::ALL
            .iter()
            .any(|dataset| self.actor.can(dataset.capability()))
        {
            self.allowed(Capability::Import)?;
        }
        Ok(Importer { access: self })
    }

    /// The kinds of file this actor may import.
    pub fn importable(&self) -> Vec<Dataset> {
        Dataset::ALL
            .into_iter()
            .filter(|dataset| self.actor.can(dataset.capability()))
            .collect()
    }

    /// The records of a dataset, as a table to write to a file. Units, members and events hold
    /// the whole database, so only whole-database administrators may export them; documents and
    /// targets are exported as far as the scope reaches, for whoever may import them.
    pub async fn export(&self, dataset: Dataset) -> Result<Table> {
        self.allowed(dataset.capability())?;
        if dataset.exports_whole_database() && !self.actor.sees_everything() {
            return Err(StoreError::Forbidden(
                "chỉ quản trị toàn bộ cơ sở dữ liệu được xuất toàn bộ dữ liệu".into(),
            ));
        }
        let mut tx = self.read().await?;
        let table = io::export_table(&mut tx, dataset, &self.actor.scope.path).await;
        tx.rollback().await?;
        table
    }
}

/// An import of this many rows refreshes the planner's statistics afterwards, if they are stale.
const BIG_IMPORT: usize = 10_000;

/// Imports files into the scope.
pub struct Importer<'a> {
    pub(super) access: &'a Access,
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
        let summary = self
            .apply_in(&mut tx, dataset, table, file_name, progress)
            .await?;
        tx.commit().await?;
        if table.rows.len() >= BIG_IMPORT {
            let changed = match dataset {
                Dataset::Units => "units",
                Dataset::Members => "members",
                Dataset::Events => "member_events",
                Dataset::Documents => "documents",
                Dataset::Targets => "targets",
                Dataset::Tasks => "tasks",
                Dataset::Candidates | Dataset::CandidateSteps => "candidate_steps",
                Dataset::MemberRatings | Dataset::UnitRatings => "ratings",
                Dataset::Inspections => "case_subjects",
                Dataset::Training => "training_facts",
            };
            self.access
                .db
                .refresh_statistics_after(changed, table.rows.len())
                .await?;
        }
        Ok(summary)
    }

    /// [`Importer::apply`] inside the caller's transaction (a batch).
    pub(super) async fn apply_in(
        &self,
        tx: &mut Tx,
        dataset: Dataset,
        table: &Table,
        file_name: &str,
        progress: &mut dyn io::Progress,
    ) -> Result<ImportSummary> {
        let summary = self.run(tx, dataset, table, progress).await?;
        // Everything an import writes lies inside the scope (checked above): its row belongs there.
        self.access
            .audit(
                tx,
                "import",
                dataset.code(),
                file_name,
                &self.access.actor.scope.path,
                serde_json::Value::Null,
                json!({
                    "rows": summary.rows,
                    "created": summary.created,
                    "updated": summary.updated,
                    "unchanged": summary.unchanged,
                    "events_written": summary.events_written,
                    "placed_before_branch": summary.placed_before_branch,
                }),
            )
            .await?;
        Ok(summary)
    }

    async fn run(
        &self,
        tx: &mut Tx,
        dataset: Dataset,
        table: &Table,
        progress: &mut dyn io::Progress,
    ) -> Result<ImportSummary> {
        self.access.allowed(dataset.capability())?;
        io::check_text(dataset, table)?;
        match dataset.read_by() {
            Some(Capability::WriteProgrammes) => {
                return self.access.programmes()?.import(tx, dataset, table).await;
            }
            Some(Capability::Admit) => {
                return self
                    .access
                    .admission_writer()?
                    .import(tx, dataset, table)
                    .await;
            }
            Some(Capability::Rate) => {
                return self
                    .access
                    .rating_writer()?
                    .import(tx, dataset, table)
                    .await;
            }
            Some(Capability::Inspect) => {
                return self.access.inspection_writer()?.import(tx, table).await;
            }
            Some(Capability::ManageCadres) => return self.import_training(tx, table).await,
            _ => {}
        }
        let before = high_water(tx).await?;
        let hidden = self.hidden_members(tx, dataset, table).await?;
        let summary = io::import(tx, dataset, table, progress, &hidden).await?;
        self.check_scope(tx, before, &summary).await?;
        Ok(summary)
    }

    /// Imports a file of training facts: each row through the cadres writer (the scope, the kind's
    /// levels, the proof, one fact per person, kind, level and day), inside the caller's
    /// transaction. A row naming a fact already recorded with the same institution, proof and
    /// number changes nothing (an export reads back unchanged); the same fact twice in the file, or
    /// one recorded with other details, is a bad row. Every bad row is named with the file's
    /// column; the caller writes nothing unless every row is good.
    async fn import_training(&self, tx: &mut Tx, table: &Table) -> Result<ImportSummary> {
        let writer = self.access.cadre_writer()?;
        let columns = Columns::find(table, Dataset::Training).map_err(StoreError::Import)?;
        let mut errors: Vec<RowError> = Vec::new();
        let mut summary = ImportSummary {
            rows: table.rows.len(),
            ..ImportSummary::default()
        };
        // Each fact the file names, by person, kind, level and day: its first row.
        let mut seen: HashMap<(String, &'static str, &'static str, NaiveDate), usize> =
            HashMap::new();
        for line in &table.rows {
            let mut row = Row::new(line, table, &columns, &mut errors);
            let person = row.required("person");
            let kind = row.required("kind");
            let level = row.required("level");
            let on = row.date("on", true);
            let input = FactInput {
                person: person.unwrap_or_default(),
                kind: kind.unwrap_or_default(),
                level: level.unwrap_or_default(),
                on,
                institution: row.text("institution"),
                proof: row.text("proof"),
                diploma: row.text("diploma"),
            };
            if !row.has_errors()
                && let Some(key) = fact_key(&input)
            {
                if let Some(first) = seen.get(&key) {
                    row.fail("level", format!("trùng với dòng {first} của tệp"));
                    continue;
                }
                seen.insert(key, row.number());
                if self.already_recorded(tx, &input).await? {
                    summary.unchanged += 1;
                    continue;
                }
            }
            // A row with a bad cell still goes to the writer, for its other columns' problems;
            // the writer refuses it whole (a required value is missing), so nothing is written.
            match writer.record_fact_in(tx, &input).await {
                Ok(_) => summary.created += 1,
                Err(StoreError::Fields(problems)) => {
                    for (field, message) in problems {
                        let column = training_column(&field);
                        if !row.has_error(column) {
                            row.fail(column, message);
                        }
                    }
                }
                Err(other) => return Err(other),
            }
        }
        if errors.is_empty() {
            Ok(summary)
        } else {
            Err(io::refused(errors))
        }
    }

    /// Whether a row's fact is recorded already, with the same institution, proof and number, for
    /// a person in scope.
    async fn already_recorded(&self, tx: &mut Tx, input: &FactInput) -> Result<bool> {
        let (Some(kind), Some(on)) = (TrainingKind::parse(input.kind.trim()), input.on) else {
            return Ok(false);
        };
        let Some((_, level)) = kind.parse_level(input.level.trim()) else {
            return Ok(false);
        };
        let reference = input.person.trim();
        let person = match self.access.member_in_scope(tx, reference).await? {
            Some((member, _)) => crate::cadres::persons::by_member(tx, member.id).await?,
            None => crate::cadres::persons::by_code(tx, reference)
                .await?
                .filter(|p| {
                    p.unit_path
                        .as_deref()
                        .is_some_and(|path| self.access.actor.sees(path))
                }),
        };
        let Some(person) = person else {
            return Ok(false);
        };
        let facts = crate::cadres::training::of_person(tx, person.id).await?;
        Ok(facts.iter().any(|f| {
            f.kind == kind
                && f.level == level
                && f.on == on
                && f.institution == input.institution.trim()
                && f.diploma == input.diploma.trim()
                && crate::cadres::columns::names_proof(&input.proof, &f.proof)
        }))
    }

    /// The member codes a file names that exist outside the actor's scope: the import treats them
    /// as codes it may not use, and says nothing about those members.
    async fn hidden_members(
        &self,
        tx: &mut Tx,
        dataset: Dataset,
        table: &Table,
    ) -> Result<std::collections::HashSet<String>> {
        if self.access.actor.sees_everything() {
            return Ok(Default::default());
        }
        let codes = io::member_codes(table, dataset);
        let ids = crate::members::ids_by_code(tx, &codes).await?;
        let id_list: Vec<i64> = ids.values().copied().collect();
        let last = super::members::last_units(tx, &id_list).await?;
        Ok(ids
            .into_iter()
            .filter(|(_, id)| !self.access.sees_member(last.get(id)))
            .map(|(code, _)| code)
            .collect())
    }

    /// Refuses an import that wrote anything outside the actor's scope.
    async fn check_scope(
        &self,
        tx: &mut Tx,
        before: (i64, i64, i64),
        summary: &ImportSummary,
    ) -> Result<()> {
        let actor = &self.access.actor;
        if actor.sees_everything() {
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
        // An event counts inside the scope, and a transfer leaves from inside it too. An event
        // counted in no unit (an admission outside the system, before a roster's member was
        // placed in their branch) is the member's: it stays in scope if the member does.
        let new_events = fetch_all!(
            tx,
            "SELECT m.id, m.code, e.unit_path, e.from_path FROM member_events e \
             JOIN members m ON m.id = e.member_id WHERE e.id > $1",
            [before.1],
            |row| Ok((
                row.try_get::<i64, _>("id")?,
                row.try_get::<String, _>("code")?,
                row.try_get::<Option<String>, _>("unit_path")?,
                row.try_get::<Option<String>, _>("from_path")?
            ))
        )?;
        let unplaced: Vec<i64> = new_events
            .iter()
            .filter(|(_, _, path, _)| path.is_none())
            .map(|(id, ..)| *id)
            .collect();
        let homes = super::members::last_units(tx, &unplaced).await?;
        outside.extend(
            new_events
                .into_iter()
                .filter(|(id, _, path, from)| {
                    let counted_inside = match path {
                        Some(path) => actor.sees(path),
                        None => self.access.sees_member(homes.get(id)),
                    };
                    !counted_inside || from.as_deref().is_some_and(|f| !actor.sees(f))
                })
                .map(|(_, code, _, _)| format!("sự kiện của đảng viên {code}")),
        );
        // A new member with no branch yet belongs to no unit: only the whole database's
        // administrators would see the record, so a scoped importer may not create it.
        let new_members = fetch_all!(
            tx,
            "SELECT id, code FROM members WHERE id > $1",
            [before.2],
            |row| Ok((
                row.try_get::<i64, _>("id")?,
                row.try_get::<String, _>("code")?
            ))
        )?;
        let new_ids: Vec<i64> = new_members.iter().map(|(id, _)| *id).collect();
        let placed = super::members::last_units(tx, &new_ids).await?;
        outside.extend(
            new_members
                .into_iter()
                .filter(|(id, _)| !placed.contains_key(id))
                .map(|(_, code)| {
                    format!(
                        "hồ sơ đảng viên {code} (chưa có chi bộ: cần «Ngày vào Đảng» và «Mã chi bộ» \
                         thuộc phạm vi của bạn)"
                    )
                }),
        );
        let updated = crate::members::ids_by_code(tx, &summary.updated_codes).await?;
        let ids: Vec<i64> = updated.values().copied().collect();
        let last = super::members::last_units(tx, &ids).await?;
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

/// A fact's key as the cadres writer knows it (person, kind, level, day), when the row's kind and
/// level read.
fn fact_key(input: &FactInput) -> Option<(String, &'static str, &'static str, NaiveDate)> {
    let kind = TrainingKind::parse(input.kind.trim())?;
    let (_, level) = kind.parse_level(input.level.trim())?;
    Some((
        input.person.trim().to_string(),
        kind.code(),
        level,
        input.on?,
    ))
}

/// The column of the training file a cadres writer's field problem is about.
fn training_column(field: &str) -> &'static str {
    match field {
        "kind" => "kind",
        "level" => "level",
        "on" => "on",
        "institution" => "institution",
        "proof" => "proof",
        "diploma" => "diploma",
        _ => "person",
    }
}

/// The highest unit and event ids, to find what an import added.
async fn high_water(tx: &mut Tx) -> Result<(i64, i64, i64)> {
    Ok(fetch_optional!(
        tx,
        "SELECT (SELECT COALESCE(MAX(id), 0) FROM units) AS u, \
         (SELECT COALESCE(MAX(id), 0) FROM member_events) AS e, \
         (SELECT COALESCE(MAX(id), 0) FROM members) AS m",
        [],
        |row| Ok((
            row.try_get::<i64, _>("u")?,
            row.try_get::<i64, _>("e")?,
            row.try_get::<i64, _>("m")?
        ))
    )?
    .unwrap_or((0, 0, 0)))
}
