//! Work programmes through the scope: documents and targets of units in scope, each target judged
//! from the figure it is bound to (or the values people reported), and the [`ProgrammeWriter`].

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use dangbo_domain::access::Capability;
use dangbo_domain::figures::{Definition, Value, Window};
use dangbo_domain::programmes::{
    Assessment, Domain, TargetResult, assess,
};
use serde::Serialize;

use super::Access;
use crate::programmes;
use crate::tree::Unit;
use crate::{Result, StoreError, Tx, figures};

pub use self::writer::ProgrammeWriter;
pub use crate::programmes::{Document, Target};

mod import;
mod writer;

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
}

/// A target judged for a period: the value counted (or reported) and the result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TargetStatus {
    pub target: Target,
    /// The day the actual value is counted up to: the end of the period asked about, or of the
    /// target's period if that ends first.
    pub counted_to: NaiveDate,
    /// `None` when nothing is recorded or reported yet.
    pub actual: Option<f64>,
    /// For a reported target: the document the value comes from.
    pub source: Option<String>,
    pub assessment: Assessment,
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

    /// A document in scope and the targets it sets; `None` when it does not exist or lies
    /// outside the scope (the same answer).
    pub async fn document(&self, id: i64) -> Result<Option<(Document, Vec<Target>)>> {
        let mut tx = self.read().await?;
        let found = match programmes::document(&mut tx, id).await? {
            Some((document, path)) if self.actor.sees(&path) => {
                let targets = programmes::targets_of(&mut tx, document.id).await?;
                Some((document, targets))
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
        let result = judge_targets(&mut tx, &unit, from, to, &self.actor.scope.path).await;
        tx.rollback().await?;
        Ok(Some((unit, result?)))
    }
}

async fn judge_targets(
    tx: &mut Tx,
    unit: &Unit,
    from: NaiveDate,
    to: NaiveDate,
    scope_path: &str,
) -> Result<Vec<TargetStatus>> {
    let mut list = programmes::targets_overlapping(tx, unit, from, to).await?;
    // In the order reports take the domains (economy first); the query's order within each.
    list.sort_by_key(|t| Domain::MAIN.iter().position(|d| *d == t.domain.main()));
    let reported: Vec<i64> = list
        .iter()
        .filter(|t| t.figure_key.is_none())
        .map(|t| t.id)
        .collect();
    let values = programmes::latest_values(tx, &reported, to).await?;
    let actuals = bound_actuals(tx, &list, to, scope_path).await?;
    let mut out = Vec::with_capacity(list.len());
    for target in list {
        let counted_to = to.min(target.to);
        let (actual, source, cumulative) = match &target.figure_key {
            Some(key) => {
                let (actual, cumulative) = actuals
                    .get(&(target.unit_id, key.clone(), target.from, counted_to))
                    .copied()
                    .unwrap_or((None, false));
                (actual, None, cumulative)
            }
            None => {
                let reported = values.get(&target.id);
                (
                    reported.map(|r| r.value),
                    reported.map(|r| r.source.clone()),
                    false,
                )
            }
        };
        let assessment = assess(
            target.comparator,
            target.value,
            actual,
            target.to,
            to,
            cumulative,
        );
        out.push(TargetStatus {
            target,
            counted_to,
            actual,
            source,
            assessment,
        });
    }
    Ok(out)
}

/// The actual of every target bound to a figure, by (unit, figure, period from, counted to), with
/// whether the figure is a count over the period (which only grows): one evaluation per period
/// for all the figures and units measured over it, not one per target (the dashboard asks on
/// every view).
async fn bound_actuals(
    tx: &mut Tx,
    list: &[Target],
    to: NaiveDate,
    scope_path: &str,
) -> Result<HashMap<(i64, String, NaiveDate, NaiveDate), (Option<f64>, bool)>> {
    let mut definitions: HashMap<String, Definition> = HashMap::new();
    let mut periods: BTreeMap<(NaiveDate, NaiveDate), (Vec<i64>, Vec<String>)> = BTreeMap::new();
    for target in list {
        let Some(key) = &target.figure_key else {
            continue;
        };
        if !definitions.contains_key(key) {
            let definition = figures::find_in(tx, key, scope_path)
                .await?
                .ok_or_else(|| {
                    StoreError::NotFound(format!("chỉ tiêu «{key}» của mục tiêu {}", target.id))
                })?;
            definitions.insert(key.clone(), definition);
        }
        let (units, keys) = periods.entry((target.from, to.min(target.to))).or_default();
        if !units.contains(&target.unit_id) {
            units.push(target.unit_id);
        }
        if !keys.contains(key) {
            keys.push(key.clone());
        }
    }
    let mut units_by_id: HashMap<i64, Unit> = HashMap::new();
    let mut actuals = HashMap::new();
    for ((from, counted_to), (unit_ids, keys)) in periods {
        let mut units = Vec::with_capacity(unit_ids.len());
        for id in unit_ids {
            let unit = match units_by_id.get(&id) {
                Some(unit) => unit.clone(),
                None => crate::tree::by_id(tx, id).await?,
            };
            units_by_id.insert(id, unit.clone());
            units.push(unit);
        }
        let wanted: Vec<Definition> = keys.iter().map(|k| definitions[k].clone()).collect();
        let window = Window {
            as_of: counted_to,
            from,
            to: counted_to,
        };
        let values = figures::evaluate(tx, &units, &wanted, &window, false).await?;
        for (unit, values) in units.iter().zip(values) {
            for value in values {
                let cumulative = definitions.get(&value.key).is_some_and(Definition::is_flow);
                actuals.insert(
                    (unit.id, value.key.clone(), from, counted_to),
                    (number(&value.value), cumulative),
                );
            }
        }
    }
    Ok(actuals)
}

/// A figure's value as the number a target compares: a count, a ratio's percentage, a reported
/// number; `None` when there is none (a share of nothing, nothing reported).
fn number(value: &Value) -> Option<f64> {
    match value {
        Value::Count(n) => Some(*n as f64),
        Value::Ratio(r) => r.percent(),
        Value::Reported(r) => r.as_ref().map(|r| r.value),
    }
}

