//! Work programmes through the scope: documents and targets of units in scope, each target judged
//! from the figure it is bound to (or the values people reported), and the [`ProgrammeWriter`].

use std::collections::BTreeMap;

use chrono::NaiveDate;
use dangbo_domain::access::Capability;
use dangbo_domain::programmes::{Domain, TargetResult};
use serde::Serialize;

use super::Access;
use crate::Result;
use crate::programmes;
use crate::tree::Unit;

pub use self::writer::ProgrammeWriter;

pub use crate::programmes::judge::TargetStatus;
pub use crate::programmes::{AttachedFile, Document, ReportedActual, Target};

mod import;
mod tasks;
mod writer;

pub use self::tasks::{NewTask, NewTaskReport, TaskStatus, status_on};
pub use crate::programmes::tasks::{Task, TaskReport};

/// A document to file, as typed: codes and vocabulary words are read by the writer.
#[derive(Debug, Clone, Default)]
pub struct NewDocument {
    /// The issuing unit's code or exact name.
    pub unit: String,
    /// The body beside the unit that issued it (empty: the unit's committee itself).
    pub issuing_body: String,
    pub kind: String,
    pub number: String,
    pub title: String,
    pub signed_on: Option<NaiveDate>,
    pub valid_from: Option<NaiveDate>,
    pub valid_to: Option<NaiveDate>,
    pub domain: String,
    /// The number of the document it implements (empty: none).
    pub implements: String,
}

/// A target to set, as typed.
#[derive(Debug, Clone, Default)]
pub struct NewTarget {
    /// The number of the document that sets it ("03-NQ/ĐU").
    pub document: String,
    /// The document itself, when the form already knows it (its page): then `document` is not
    /// looked up, and the target's unit must lie in the document's issuing unit's subtree.
    pub document_id: Option<i64>,
    /// The unit whose subtree it measures.
    pub unit: String,
    pub text: String,
    pub domain: String,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// A figure key; empty for a target judged on reported values.
    pub figure: String,
    pub comparator: String,
    pub value: Option<f64>,
    /// The wording of the target of the same document, set for a unit above this one, that this
    /// one is a part of (empty: not a part of another).
    pub allocated_from: String,
}

/// A document with what hangs on it.
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentFile {
    pub document: Document,
    /// The targets it sets, each with the latest value reported for it (targets bound to a
    /// figure have none).
    pub targets: Vec<(Target, Option<ReportedActual>)>,
    /// The documents carrying it out.
    pub implementing: Vec<Document>,
    /// The tasks it assigns to units in scope, by deadline, each with its latest progress report.
    pub tasks: Vec<(Task, Option<TaskReport>)>,
    /// Its targets split among sub-units, with what the parts add up to.
    pub allocations: Vec<Allocation>,
    /// Its attached file (PDF or DOCX), if any.
    pub file: Option<AttachedFile>,
}

/// A target split among sub-units: how many parts, what their values add up to, and whether
/// that is the whole's value (`None` for a share, whose parts are not added: each part is a share
/// of its own unit).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Allocation {
    pub whole: i64,
    pub parts: usize,
    pub sum: f64,
    pub adds_up: Option<bool>,
}

/// The allocations among `targets`: each target with parts, in the targets' order.
fn allocations(targets: &[Target]) -> Vec<Allocation> {
    targets
        .iter()
        .filter_map(|whole| {
            let parts: Vec<f64> = targets
                .iter()
                .filter(|t| t.allocated_from == Some(whole.id))
                .map(|t| t.value)
                .collect();
            if parts.is_empty() {
                return None;
            }
            let sum: f64 = parts.iter().sum();
            let additive = whole.figure_key.as_deref().is_none_or(|key| {
                crate::figures::find(key)
                    .is_none_or(|f| !matches!(f.kind, dangbo_domain::figures::Kind::Ratio { .. }))
            });
            Some(Allocation {
                whole: whole.id,
                parts: parts.len(),
                sum,
                adds_up: additive.then(|| (sum - whole.value).abs() < 1e-9),
            })
        })
        .collect()
}

/// One target in a [`TargetsReport`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TargetLine {
    pub document: String,
    pub unit: String,
    pub text: String,
    /// One of the four main domains (`economy`, `culture_society`, `defence_security`,
    /// `party_building`).
    pub domain: &'static str,
    pub figure: Option<String>,
    pub comparator: &'static str,
    pub target: f64,
    pub actual: Option<f64>,
    /// The actual over the target, in percent (two decimals).
    pub percent: Option<f64>,
    /// `achieved`, `not_achieved` or `not_due`.
    pub result: &'static str,
}

/// Met over total.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct MetTotal {
    pub met: usize,
    pub total: usize,
}

/// A unit's targets for a period, judged, with met / total per domain: what `dangbo targets
/// --json` prints and `GET /api/v1/targets` answers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TargetsReport {
    pub unit: ReportUnit,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub targets: Vec<TargetLine>,
    pub by_domain: BTreeMap<&'static str, MetTotal>,
    pub met: usize,
    pub total: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportUnit {
    pub code: String,
    pub name: String,
}

/// How many of these targets are achieved, of how many.
pub fn met_total<'a>(list: impl Iterator<Item = &'a TargetStatus>) -> MetTotal {
    list.fold(MetTotal { met: 0, total: 0 }, |acc, t| MetTotal {
        met: acc.met + usize::from(t.assessment.result == TargetResult::Achieved),
        total: acc.total + 1,
    })
}

impl Access {
    /// [`Access::targets`] as a report: each target's line, met / total per main domain and in
    /// all; `None` for a unit out of scope.
    pub async fn targets_report(
        &self,
        unit_code: &str,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Option<TargetsReport>> {
        let Some((unit, list)) = self.targets(unit_code, from, to).await? else {
            return Ok(None);
        };
        let name = self.unit_name_on(&unit, to).await?;
        let by_domain = Domain::MAIN
            .iter()
            .map(|&domain| {
                (
                    domain.code(),
                    met_total(list.iter().filter(|t| t.target.domain.main() == domain)),
                )
            })
            .collect();
        let MetTotal { met, total } = met_total(list.iter());
        Ok(Some(TargetsReport {
            unit: ReportUnit {
                code: unit.code,
                name,
            },
            from,
            to,
            targets: list
                .into_iter()
                .map(|t| TargetLine {
                    document: t.target.document,
                    unit: t.target.unit_code,
                    text: t.target.text,
                    domain: t.target.domain.main().code(),
                    figure: t.target.figure_key,
                    comparator: t.target.comparator.symbol(),
                    target: t.target.value,
                    actual: t.actual,
                    percent: t.assessment.percent_hundredths.map(|h| h as f64 / 100.0),
                    result: t.assessment.result.code(),
                })
                .collect(),
            by_domain,
            met,
            total,
        }))
    }

    /// The documents signed in `from`–`to` by issuers in a unit's subtree (by code or exact
    /// name, in scope), newest first; `None` for a unit out of scope.
    pub async fn documents(
        &self,
        unit_code: &str,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Option<(Unit, Vec<Document>)>> {
        let mut tx = self.read().await?;
        let Some(unit) = self.unit_in(&mut tx, unit_code).await? else {
            tx.rollback().await?;
            return Ok(None);
        };
        let list = programmes::documents_signed(&mut tx, &unit, from, to).await;
        tx.rollback().await?;
        Ok(Some((unit, list?)))
    }

    /// A document in scope, the targets it sets (each judged over its own period, so that a
    /// reported target shows its latest value) and the documents in scope implementing it; `None`
    /// when it does not exist or lies outside the scope (the same answer).
    pub async fn document(&self, id: i64) -> Result<Option<DocumentFile>> {
        let mut tx = self.read().await?;
        let found = match programmes::document(&mut tx, id).await? {
            Some((document, path)) if self.actor.sees(&path) => {
                let targets = programmes::targets_of(&mut tx, document.id).await?;
                let ids: Vec<i64> = targets.iter().map(|t| t.id).collect();
                let reported = programmes::latest_values_ever(&mut tx, &ids).await?;
                let implementing = programmes::implementing(&mut tx, document.id)
                    .await?
                    .into_iter()
                    .filter(|(_, path)| self.actor.sees(path))
                    .map(|(document, _)| document)
                    .collect();
                let tasks: Vec<Task> = crate::programmes::tasks::tasks_of(&mut tx, document.id)
                    .await?
                    .into_iter()
                    .filter(|t| self.actor.sees(&t.unit_path))
                    .collect();
                let ids: Vec<i64> = tasks.iter().map(|t| t.id).collect();
                let mut latest = crate::programmes::tasks::latest_reports(&mut tx, &ids).await?;
                let assigned = tasks
                    .into_iter()
                    .map(|t| {
                        let report = latest.remove(&t.id);
                        (t, report)
                    })
                    .collect();
                Some(DocumentFile {
                    file: programmes::file_of(&mut tx, document.id).await?,
                    allocations: allocations(&targets),
                    tasks: assigned,
                    targets: targets
                        .into_iter()
                        .map(|t| {
                            let value = reported.get(&t.id).cloned();
                            (t, value)
                        })
                        .collect(),
                    document,
                    implementing,
                })
            }
            _ => None,
        };
        tx.rollback().await?;
        Ok(found)
    }

    /// Whether a document exists inside the scope (a cheap check before a write on its page).
    pub async fn sees_document(&self, id: i64) -> Result<bool> {
        let mut tx = self.read().await?;
        let found = programmes::document(&mut tx, id).await?;
        tx.rollback().await?;
        Ok(found.is_some_and(|(_, path)| self.actor.sees(&path)))
    }

    /// A target inside the scope; `None` when absent or outside it (the same answer).
    pub async fn target(&self, id: i64) -> Result<Option<Target>> {
        let mut tx = self.read().await?;
        let found = programmes::target(&mut tx, id).await?;
        tx.rollback().await?;
        Ok(found.filter(|t| self.actor.sees(&t.unit_path)))
    }

    /// A document's attached file with its content, if the document is in scope and has one.
    pub async fn document_attachment(&self, id: i64) -> Result<Option<(AttachedFile, Vec<u8>)>> {
        let mut tx = self.read().await?;
        let found = match programmes::document(&mut tx, id).await? {
            Some((_, path)) if self.actor.sees(&path) => {
                programmes::file_content(&mut tx, id).await?
            }
            _ => None,
        };
        tx.rollback().await?;
        Ok(found)
    }

    /// Files documents and sets targets inside the scope; only for roles that may.
    pub fn programmes(&self) -> Result<ProgrammeWriter<'_>> {
        self.allowed(Capability::WriteProgrammes)?;
        Ok(ProgrammeWriter { access: self })
    }

    /// The targets of a unit's subtree (by code or exact name, in scope) whose period overlaps
    /// `from`–`to`, each judged on what is counted up to `to`; `None` for a unit out of scope.
    pub async fn targets(
        &self,
        unit_code: &str,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Option<(Unit, Vec<TargetStatus>)>> {
        let mut tx = self.read().await?;
        let Some(unit) = self.unit_in(&mut tx, unit_code).await? else {
            tx.rollback().await?;
            return Ok(None);
        };
        let result =
            programmes::judge::judge_targets(&mut tx, &unit, from, to, &self.actor.scope.path)
                .await;
        tx.rollback().await?;
        Ok(Some((unit, result?)))
    }
}
