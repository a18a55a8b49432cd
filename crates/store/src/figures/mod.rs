//! The figure engine: evaluates catalogue figures over a unit's subtree on a date or over a period,
//! and lists the records behind each one. A figure's count and its list come from the same condition,
//! so the drill-down always adds up to the number.

use chrono::{Months, NaiveDate};
use dangbo_domain::event::EventKind;
use dangbo_domain::figure::{EventCondition, Figure, Measure, MemberCondition};
use dangbo_domain::text::{compare_person_names, compare_vi};
use serde::Serialize;

use crate::engine::Value;
use crate::engine::sql::{in_force, in_subtree};
use crate::tree::{Unit, subtree_bounds};
use crate::{Result, Tx};

/// The date and period figures are evaluated for. The period is inclusive at both ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Window {
    pub as_of: NaiveDate,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// A statement's text with its parameters, numbered as they are added.
struct Sql {
    text: String,
    values: Vec<Value>,
}

impl Sql {
    fn new() -> Sql {
        Sql {
            text: String::new(),
            values: Vec::new(),
        }
    }

    /// Adds a parameter and returns its placeholder.
    fn param(&mut self, value: impl Into<Value>) -> String {
        self.values.push(value.into());
        format!("${}", self.values.len())
    }

    fn push(&mut self, text: &str) {
        self.text.push_str(text);
    }
}

fn member_condition(condition: &MemberCondition, as_of: NaiveDate, sql: &mut Sql) -> String {
    use MemberCondition as M;
    let code_or_null = |column: &str, code: Option<&str>, sql: &mut Sql| match code {
        Some(code) => format!("{column} = {}", sql.param(code)),
        None => format!("{column} IS NULL"),
    };
    match condition {
        M::All => "1 = 1".to_string(),
        M::Status(status) => format!("s.status = {}", sql.param(status.code())),
        M::Sex(sex) => format!("m.sex = {}", sql.param(sex.code())),
        M::EthnicMinority => "(m.ethnicity_key <> 'kinh' AND m.ethnicity_key <> '')".to_string(),
        M::Ethnicity(key) => format!("m.ethnicity_key = {}", sql.param(key.as_str())),
        M::Religious => "(m.religion_key <> 'khong' AND m.religion_key <> '')".to_string(),
        M::Religion(key) => format!("m.religion_key = {}", sql.param(key.as_str())),
        M::Exempt => "s.exempt = 1".to_string(),
        M::Suspended => "s.suspended = 1".to_string(),
        M::AgeBetween(min, max) => {
            // Age ≥ min ⇔ born on or before as_of − min years; age ≤ max ⇔ born after as_of − (max+1) years.
            let born_by = as_of
                .checked_sub_months(Months::new(min * 12))
                .unwrap_or(as_of);
            let mut text = format!("m.birth_date <= {}", sql.param(born_by));
            if let Some(max) = max {
                let born_after = as_of
                    .checked_sub_months(Months::new((max + 1) * 12))
                    .unwrap_or(NaiveDate::MIN);
                text.push_str(&format!(" AND m.birth_date > {}", sql.param(born_after)));
            }
            format!("({text})")
        }
        M::Education(level) => code_or_null("m.general_education", level.map(|l| l.code()), sql),
        M::Qualification(level) => code_or_null("m.qualification", level.map(|l| l.code()), sql),
        M::Theory(level) => code_or_null("m.theory_level", level.map(|l| l.code()), sql),
        M::TheoryAdvancedOrBachelor => "m.theory_level IN ('advanced', 'bachelor')".to_string(),
    }
}

fn event_condition(condition: &EventCondition, lo: &str, hi: &str, sql: &mut Sql) -> String {
    let kinds = |kinds: &[EventKind], sql: &mut Sql| {
        kinds
            .iter()
            .map(|k| sql.param(k.code()))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let transfer = "e.kind IN ('transfer_in', 'transfer_out')";
    let arriving = format!(
        "{} AND (e.from_path IS NULL OR NOT {})",
        in_subtree("e.to_path", lo, hi),
        in_subtree("e.from_path", lo, hi)
    );
    let leaving = format!(
        "{} AND (e.to_path IS NULL OR NOT {})",
        in_subtree("e.from_path", lo, hi),
        in_subtree("e.to_path", lo, hi)
    );
    match condition {
        EventCondition::Kinds(list) => format!(
            "(e.kind IN ({}) AND e.cause = 'recorded' AND {})",
            kinds(list, sql),
            in_subtree("e.unit_path", lo, hi)
        ),
        EventCondition::TransfersIn => {
            format!("({transfer} AND e.cause = 'recorded' AND {arriving})")
        }
        EventCondition::TransfersOut => {
            format!("({transfer} AND e.cause = 'recorded' AND {leaving})")
        }
        EventCondition::RestructureMovesIn => {
            format!("({transfer} AND e.cause = 'restructure' AND {arriving})")
        }
    }
}

fn unit_condition(kinds: &[dangbo_domain::unit::UnitKind], sql: &mut Sql) -> String {
    let list: Vec<String> = kinds.iter().map(|k| sql.param(k.code())).collect();
    format!("u.kind IN ({})", list.join(", "))
}

/// The FROM and WHERE of a measure's rows. The subtree bounds are always parameters $1 and $2.
fn base(figure: &Figure, unit: &Unit, window: &Window, sql: &mut Sql) -> String {
    let (lo, hi) = subtree_bounds(&unit.path);
    let lo = sql.param(lo);
    let hi = sql.param(hi);
    match &figure.measure {
        Measure::Units(_) => {
            let date = sql.param(window.as_of);
            format!(
                "FROM units u WHERE {} AND {}",
                in_subtree("u.path", &lo, &hi),
                in_force("u.start_date", "u.end_date", &date)
            )
        }
        Measure::Members(_) => {
            let date = sql.param(window.as_of);
            format!(
                "FROM member_spans s JOIN members m ON m.id = s.member_id JOIN units u ON u.id = s.unit_id \
                 WHERE {} AND {}",
                in_subtree("s.unit_path", &lo, &hi),
                in_force("s.from_date", "s.to_date", &date)
            )
        }
        Measure::Events(_) => {
            let from = sql.param(window.from);
            let to = sql.param(window.to);
            format!(
                "FROM member_events e JOIN members m ON m.id = e.member_id \
                 LEFT JOIN units u ON u.path = COALESCE(e.unit_path, e.to_path, e.from_path) \
                 WHERE e.event_date >= {from} AND e.event_date <= {to} AND ({} OR {} OR {})",
                in_subtree("e.unit_path", &lo, &hi),
                in_subtree("e.from_path", &lo, &hi),
                in_subtree("e.to_path", &lo, &hi)
            )
        }
    }
}

/// The condition selecting one figure's rows among its measure's rows.
fn condition(figure: &Figure, window: &Window, sql: &mut Sql) -> String {
    match &figure.measure {
        Measure::Units(kinds) => unit_condition(kinds, sql),
        Measure::Members(c) => member_condition(c, window.as_of, sql),
        Measure::Events(c) => event_condition(c, "$1", "$2", sql),
    }
}

/// Evaluates figures over the subtree of `unit`: one statement per kind of measure, each figure a
/// conditional sum over the same rows.
pub async fn evaluate(
    tx: &mut Tx,
    unit: &Unit,
    figures: &[Figure],
    window: &Window,
) -> Result<Vec<(String, i64)>> {
    let mut results: Vec<(String, i64)> = figures.iter().map(|f| (f.key.clone(), 0)).collect();
    // One statement per kind of measure: figures of a kind share their rows.
    let kind = |f: &Figure| std::mem::discriminant(&f.measure);
    let mut kinds: Vec<_> = figures.iter().map(kind).collect();
    kinds.dedup();
    for measure_kind in kinds {
        let group: Vec<usize> = figures
            .iter()
            .enumerate()
            .filter(|(_, f)| kind(f) == measure_kind)
            .map(|(i, _)| i)
            .collect();
        let Some(&first) = group.first() else {
            continue;
        };
        let mut sql = Sql::new();
        let base = base(&figures[first], unit, window, &mut sql);
        let mut sums = Vec::new();
        for (n, &i) in group.iter().enumerate() {
            let condition = condition(&figures[i], window, &mut sql);
            sums.push(format!(
                "SUM(CASE WHEN {condition} THEN 1 ELSE 0 END) AS f{n}"
            ));
        }
        sql.push(&format!("SELECT {} {base}", sums.join(", ")));
        let count = group.len();
        let rows = fetch_all_values!(tx, sql.text.clone(), &sql.values, |row| {
            (0..count)
                .map(|n| {
                    row.try_get::<Option<i64>, _>(format!("f{n}").as_str())
                        .map(|v| v.unwrap_or(0))
                })
                .collect::<std::result::Result<Vec<i64>, sqlx::Error>>()
        })?;
        if let Some(values) = rows.first() {
            for (n, &i) in group.iter().enumerate() {
                results[i].1 = values[n];
            }
        }
    }
    Ok(results)
}

/// One record behind a figure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Record {
    /// "unit", "member" or "event".
    pub record: &'static str,
    pub code: String,
    pub name: String,
    /// The unit where it counts.
    pub unit_code: String,
    pub date: Option<NaiveDate>,
    pub detail: String,
}

/// Lists the records behind one figure, in the order a person would read them.
pub async fn records(
    tx: &mut Tx,
    unit: &Unit,
    figure: &Figure,
    window: &Window,
) -> Result<Vec<Record>> {
    let mut sql = Sql::new();
    let base = base(figure, unit, window, &mut sql);
    let condition = condition(figure, window, &mut sql);
    let mut list = match &figure.measure {
        Measure::Units(_) => {
            let as_of = sql.param(window.as_of);
            sql.push(&format!(
                "SELECT u.code, u.kind, u.start_date, (SELECT n.name FROM unit_names n WHERE n.unit_id = u.id \
                 AND n.from_date <= {d} ORDER BY n.from_date DESC LIMIT 1) AS name, \
                 (SELECT p.code FROM units p WHERE p.id = u.parent_id) AS parent {base} AND {condition}",
                d = as_of
            ));
            fetch_all_values!(tx, sql.text.clone(), &sql.values, |row| Ok(Record {
                record: "unit",
                code: row.try_get("code")?,
                name: row
                    .try_get::<Option<String>, _>("name")?
                    .unwrap_or_default(),
                unit_code: row
                    .try_get::<Option<String>, _>("parent")?
                    .unwrap_or_default(),
                date: Some(row.try_get("start_date")?),
                detail: row.try_get("kind")?,
            }))?
        }
        Measure::Members(_) => {
            sql.push(&format!(
                "SELECT m.code, m.full_name, u.code AS unit_code, s.from_date, s.status {base} AND {condition}"
            ));
            fetch_all_values!(tx, sql.text.clone(), &sql.values, |row| Ok(Record {
                record: "member",
                code: row.try_get("code")?,
                name: row.try_get("full_name")?,
                unit_code: row.try_get("unit_code")?,
                date: Some(row.try_get("from_date")?),
                detail: row.try_get("status")?,
            }))?
        }
        Measure::Events(_) => {
            sql.push(&format!(
                "SELECT m.code, m.full_name, u.code AS unit_code, e.event_date, e.kind, e.decision_number \
                 {base} AND {condition}"
            ));
            fetch_all_values!(tx, sql.text.clone(), &sql.values, |row| {
                let kind: String = row.try_get("kind")?;
                let decision: String = row.try_get("decision_number")?;
                let label = EventKind::parse(&kind).map(|k| k.label_vi()).unwrap_or("");
                Ok(Record {
                    record: "event",
                    code: row.try_get("code")?,
                    name: row.try_get("full_name")?,
                    unit_code: row
                        .try_get::<Option<String>, _>("unit_code")?
                        .unwrap_or_default(),
                    date: Some(row.try_get("event_date")?),
                    detail: if decision.is_empty() {
                        label.to_string()
                    } else {
                        format!("{label} ({decision})")
                    },
                })
            })?
        }
    };
    match figure.measure {
        Measure::Events(_) => {
            list.sort_by(|a, b| a.date.cmp(&b.date).then_with(|| a.code.cmp(&b.code)))
        }
        Measure::Members(_) => list.sort_by(|a, b| {
            compare_person_names(&a.name, &b.name).then_with(|| a.code.cmp(&b.code))
        }),
        Measure::Units(_) => {
            list.sort_by(|a, b| compare_vi(&a.name, &b.name).then_with(|| a.code.cmp(&b.code)))
        }
    }
    Ok(list)
}

/// Members active on the date in the subtree, counted by ethnicity or religion:
/// (figure key, name as recorded, count), largest first.
pub async fn breakdown(
    tx: &mut Tx,
    unit: &Unit,
    as_of: NaiveDate,
    by: Breakdown,
) -> Result<Vec<(String, String, i64)>> {
    let (lo, hi) = subtree_bounds(&unit.path);
    let (name, key, prefix) = match by {
        Breakdown::Ethnicity => ("m.ethnicity", "m.ethnicity_key", "members.ethnicity."),
        Breakdown::Religion => ("m.religion", "m.religion_key", "members.religion."),
    };
    let sql = format!(
        "SELECT {key} AS k, MIN({name}) AS n, COUNT(*) AS c FROM member_spans s JOIN members m ON m.id = s.member_id \
         WHERE {} AND {} AND {key} <> '' AND {key} <> 'khong' GROUP BY {key}",
        in_subtree("s.unit_path", "$1", "$2"),
        in_force("s.from_date", "s.to_date", "$3")
    );
    let mut rows = fetch_all!(tx, sql, [lo, hi, as_of], |row| Ok((
        format!(
            "{prefix}{}",
            row.try_get::<String, _>("k")?.replace(' ', "_")
        ),
        row.try_get::<String, _>("n")?,
        row.try_get::<i64, _>("c")?
    )))?;
    rows.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| compare_vi(&a.1, &b.1)));
    Ok(rows)
}

/// What [`breakdown`] groups by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Breakdown {
    Ethnicity,
    Religion,
}
