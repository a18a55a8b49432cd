//! Judging targets: each target of a subtree whose period overlaps the one asked about, with the
//! value counted from the records (for a target bound to a figure) or reported by people, and
//! whether it is met. The achievement summary, the API and the `targets.met` figures all judge
//! here, so they cannot disagree.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use dangbo_domain::figures::{Definition, Value, Window};
use dangbo_domain::programmes::{Assessment, Domain, assess};
use serde::Serialize;

use super::Target;
use crate::tree::Unit;
use crate::{Result, StoreError, Tx, figures};

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

pub(crate) async fn judge_targets(
    tx: &mut Tx,
    unit: &Unit,
    from: NaiveDate,
    to: NaiveDate,
    scope_path: &str,
) -> Result<Vec<TargetStatus>> {
    let mut list = super::targets_overlapping(tx, unit, from, to).await?;
    // In the order reports take the domains (economy first); the query's order within each.
    list.sort_by_key(|t| Domain::MAIN.iter().position(|d| *d == t.domain.main()));
    let reported: Vec<i64> = list
        .iter()
        .filter(|t| t.figure_key.is_none())
        .map(|t| t.id)
        .collect();
    let values = super::latest_values(tx, &reported, to).await?;
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
        // Boxed: a figure of targets met judges targets, which evaluates figures.
        let values = Box::pin(figures::evaluate(tx, &units, &wanted, &window, false)).await?;
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
