//! The figure engine. Each capability registers its figures here ([`registry`]): counts over a
//! [`Source`] of rows with a SQL condition each, ratios of two counts, and reported values. A set of
//! figures is evaluated for one unit or for many at once (a table per sub-unit): the units' subtree
//! bounds are joined as an inline table, and each source's figures are one statement grouped by
//! unit, a conditional sum per figure. A count and its drill-down come from the same condition, so
//! the list always adds up to the number.

pub mod plans;
pub(crate) mod reported;
pub(crate) mod summary;

use std::collections::HashMap;

use chrono::NaiveDate;
use dangbo_domain::figures::{Definition, FigureValue, Kind, Ratio, Value, Window};
use dangbo_domain::text::compare_vi;
use serde::Serialize;

use crate::engine::Value as SqlValue;
use crate::tree::{Unit, subtree_bounds};
use crate::{Result, StoreError, Tx};

/// A statement's text with its parameters, numbered as they are added.
pub(crate) struct Sql {
    values: Vec<SqlValue>,
}

impl Sql {
    pub(crate) fn new() -> Sql {
        Sql { values: Vec::new() }
    }

    /// Adds a parameter and returns its placeholder.
    pub(crate) fn param(&mut self, value: impl Into<SqlValue>) -> String {
        self.values.push(value.into());
        format!("${}", self.values.len())
    }
}

/// The SQL condition selecting one figure's rows among its source's rows, for the subtree whose
/// bounds are the expressions `lo` and `hi`.
pub(crate) type Condition = Box<dyn Fn(&Bounds, &Window, &mut Sql) -> String + Send + Sync>;

/// The bounds of the subtree being counted, as SQL expressions (`lo <= path < hi`).
pub(crate) struct Bounds {
    pub lo: &'static str,
    pub hi: &'static str,
}

/// The columns of the inline table of units being evaluated: an index, and the subtree bounds.
const BOUNDS: Bounds = Bounds {
    lo: "c.column2",
    hi: "c.column3",
};

/// Rows some figures count: members on a date, events in a period, units, …
pub(crate) trait Source: Sync {
    /// A short name, to group a source's figures into one statement.
    fn name(&self) -> &'static str;

    /// The tables of the rows (`FROM` without the keyword) and the condition that keeps those in
    /// the subtree for the window.
    fn rows(&self, bounds: &Bounds, window: &Window, sql: &mut Sql) -> (String, String);

    /// The drill-down's columns, with these aliases: `code`, `name`, `unit_code`, `record_date`,
    /// `detail`, `note`.
    fn record_columns(&self, window: &Window, sql: &mut Sql) -> String;

    /// What kind of record the drill-down lists ("member", "event", "unit").
    fn record_kind(&self) -> &'static str;

    /// The detail shown for a record, from its `detail` and `note` columns.
    fn detail(&self, detail: String, note: String) -> String {
        let _ = note;
        detail
    }

    /// The order a person reads the records in, when the records are sorted in Rust (a source
    /// without a [`Source::keyset`]).
    fn sort(&self, records: &mut [Record]) {
        records.sort_by(|a, b| compare_vi(&a.name, &b.name).then_with(|| a.code.cmp(&b.code)));
    }

    /// The SQL expressions the records are read in order of, unique together: the database
    /// sorts them and reads one page after another from a cursor of their values (keyset). A
    /// source without one (a few thousand units at most) is read whole and sorted in Rust.
    fn keyset(&self) -> Option<&'static [(&'static str, KeyType)]> {
        None
    }

    /// What each row adds to a count (an SQL expression over the rows; `1` for most sources: a
    /// row is one). A source whose rows stand for several (a unit's attendances known only as a
    /// count) says so here; its drill-down lists the rows.
    fn weight(&self) -> &'static str {
        "1"
    }

    /// Whether its records are confidential (inspection): the counts are for everyone, the
    /// records behind them only for those who may read cases.
    fn confidential(&self) -> bool {
        false
    }
}

/// How a keyset column's value is kept in a page cursor and bound again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KeyType {
    Text,
    Date,
    Int,
}

/// One page of the records behind a figure.
#[derive(Debug, Clone)]
pub struct RecordPage {
    pub records: Vec<Record>,
    /// How many records there are in all.
    pub total: usize,
    /// The cursor of the next page, if there is one.
    pub next: Option<String>,
}

/// A count: a figure, the rows it counts, and which of them.
pub(crate) struct Measure {
    pub definition: Definition,
    pub source: &'static dyn Source,
    pub condition: Condition,
    /// How the summary tables answer it for a big subtree (`None`: only the rows can).
    pub summary: Option<summary::Formula>,
}

/// What one capability registers.
pub(crate) struct Registration {
    /// The counts, in the order reports list them.
    pub counts: fn() -> Vec<Measure>,
    /// Ratios over those counts (or anyone's).
    pub ratios: fn() -> Vec<Definition>,
    /// Counts named by a family and a value (`members.ethnicity.{name}`).
    pub family: fn(&str) -> Option<Measure>,
}

/// Every capability's figures; a new capability adds its line.
fn registry() -> [Registration; 9] {
    [
        crate::tree::figures::REGISTRATION,
        crate::members::figures::MEMBERS,
        crate::members::figures::EVENTS,
        crate::programmes::figures::REGISTRATION,
        crate::admission::figures::REGISTRATION,
        crate::ratings::figures::REGISTRATION,
        crate::inspection::figures::REGISTRATION,
        crate::cadres::figures::REGISTRATION,
        crate::education::figures::REGISTRATION,
    ]
}

/// Every figure of the catalogue (families excepted), in the order reports list them.
pub(crate) fn catalogue() -> Vec<Definition> {
    registry()
        .iter()
        .flat_map(|r| {
            let counts = (r.counts)().into_iter().map(|m| m.definition);
            counts.chain((r.ratios)())
        })
        .collect()
}

/// The count with this key, from the catalogue or a family.
fn measure(key: &str) -> Option<Measure> {
    registry().iter().find_map(|r| {
        (r.counts)()
            .into_iter()
            .find(|m| m.definition.key == key)
            .or_else(|| (r.family)(key))
    })
}

/// The figure with this key: from the catalogue, a family, or the reported figures people defined.
/// A figure by key; a family figure is labelled with its group's name as spelled by the members
/// of `scope_path`'s subtree (the whole database for "/").
pub(crate) async fn find_in(
    tx: &mut Tx,
    key: &str,
    scope_path: &str,
) -> Result<Option<Definition>> {
    match find(key) {
        Some(definition) => Ok(Some(named_as_recorded(tx, definition, scope_path).await?)),
        None => reported::definition(tx, key).await,
    }
}

/// A family figure's label with the group's name as members' records spell it ("Tày", "Phật
/// giáo"), not as its key folds it ("tay").
async fn named_as_recorded(
    tx: &mut Tx,
    mut definition: Definition,
    scope_path: &str,
) -> Result<Definition> {
    for by in [Breakdown::Ethnicity, Breakdown::Religion] {
        let (name, key, prefix) = by.columns();
        let Some(folded) = definition.key.strip_prefix(prefix) else {
            continue;
        };
        let folded = dangbo_domain::text::fold(&folded.replace('_', " "));
        let recorded = if scope_path == "/" {
            key_names(tx, name, key, &[&folded]).await?.remove(&folded)
        } else {
            // Only the spelling of members the person may see: nothing of other scopes shows.
            let (lo, hi) = crate::tree::subtree_bounds(scope_path);
            let sql = format!(
                "SELECT MIN({name}) AS n FROM members m WHERE {key} = $1 AND EXISTS \
                 (SELECT 1 FROM member_spans s WHERE s.member_id = m.id AND {})",
                crate::engine::sql::in_subtree("s.unit_path", "$2", "$3")
            );
            fetch_optional!(
                tx,
                sql,
                [folded.as_str(), lo.as_str(), hi.as_str()],
                |row| row.try_get::<Option<String>, _>("n")
            )?
            .flatten()
        };
        if let Some(recorded) = recorded {
            definition.label_vi = by.label(&recorded);
        }
    }
    Ok(definition)
}

/// Every figure, the reported figures people defined included.
pub(crate) async fn catalogue_in(tx: &mut Tx) -> Result<Vec<Definition>> {
    let mut list = catalogue();
    list.extend(reported::definitions(tx).await?);
    Ok(list)
}

/// The figure with this key, from the catalogue or a family.
pub(crate) fn find(key: &str) -> Option<Definition> {
    if let Some(m) = measure(key) {
        return Some(m.definition);
    }
    registry()
        .iter()
        .flat_map(|r| (r.ratios)())
        .find(|d| d.key == key)
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
    /// That unit's name on the record's date (an event's) or on the window's date.
    pub unit_name: String,
    pub date: Option<NaiveDate>,
    pub detail: String,
}

/// The counts some definitions need (ratios need their two parts), each once.
fn counts_needed(definitions: &[Definition]) -> Result<Vec<Measure>> {
    let mut keys: Vec<&str> = Vec::new();
    for definition in definitions {
        match &definition.kind {
            Kind::Count => keys.push(&definition.key),
            Kind::Ratio {
                numerator,
                denominator,
            } => {
                keys.push(numerator);
                keys.push(denominator);
            }
            Kind::Reported { .. } => {}
        }
    }
    let mut seen = std::collections::HashSet::new();
    keys.retain(|k| seen.insert(*k));
    keys.into_iter()
        .map(|key| {
            measure(key).ok_or_else(|| {
                StoreError::invalid(
                    "figure.unknown",
                    format!("chỉ tiêu «{key}» không có trong danh mục"),
                )
            })
        })
        .collect()
}

/// Counts made ready for `units` and `window`: a count that depends on other figures (the targets
/// met) is prepared by its capability first; the others are ready as registered.
async fn prepared(
    tx: &mut Tx,
    measures: Vec<Measure>,
    units: &[Unit],
    window: &Window,
) -> Result<Vec<Measure>> {
    let mut out = Vec::with_capacity(measures.len());
    for measure in measures {
        out.push(crate::programmes::figures::prepare(tx, measure, units, window).await?);
    }
    Ok(out)
}

/// The inline table of units being evaluated: `(VALUES (0, lo, hi), (1, lo, hi), …) AS c`.
fn units_table(units: &[Unit], sql: &mut Sql) -> String {
    let rows: Vec<String> = units
        .iter()
        .enumerate()
        .map(|(i, unit)| {
            let (lo, hi) = subtree_bounds(&unit.path);
            format!(
                "({}, {}, {})",
                sql.param(i as i64),
                sql.param(lo),
                sql.param(hi)
            )
        })
        .collect();
    format!("(VALUES {}) AS c", rows.join(", "))
}

/// Units evaluated by one statement: 3 parameters each stay well under both engines' limits.
const UNITS_PER_STATEMENT: usize = 2000;

/// Counts over the subtree of each unit: `[unit][measure]`, one statement per source for every
/// [`UNITS_PER_STATEMENT`] units.
async fn count(
    tx: &mut Tx,
    units: &[Unit],
    measures: &[Measure],
    window: &Window,
    route: Route,
) -> Result<Vec<Vec<i64>>> {
    let all: Vec<&Measure> = measures.iter().collect();
    let mut out = vec![Vec::new(); units.len()];
    // Big subtrees read the summary for the counts it answers; the rest come from the rows.
    let holders = if route == Route::Summaries {
        summary::usable(tx, window).await?
    } else {
        None
    };
    let (summarized, others): (Vec<usize>, Vec<usize>) =
        (0..units.len()).partition(|&i| holders.as_ref().is_some_and(|h| h.contains(units[i].id)));
    if let (Some(holders), false) = (&holders, summarized.is_empty()) {
        let (answered, rest): (Vec<&Measure>, Vec<&Measure>) =
            all.iter().partition(|m| m.summary.is_some());
        let formulas: Vec<&summary::Formula> =
            answered.iter().filter_map(|m| m.summary.as_ref()).collect();
        let ids: Vec<i64> = summarized.iter().map(|&i| units[i].id).collect();
        let counts = summary::evaluate(tx, holders, &ids, &formulas, window).await?;
        let big: Vec<Unit> = summarized.iter().map(|&i| units[i].clone()).collect();
        let raw = count_rows(tx, &big, &rest, window).await?;
        for (n, &i) in summarized.iter().enumerate() {
            let mut row = Vec::with_capacity(measures.len());
            let (mut a, mut r) = (0, 0);
            for measure in measures {
                if measure.summary.is_some() {
                    row.push(counts[n][a]);
                    a += 1;
                } else {
                    row.push(raw[n][r]);
                    r += 1;
                }
            }
            out[i] = row;
        }
    }
    let small: Vec<Unit> = others.iter().map(|&i| units[i].clone()).collect();
    for (i, row) in others
        .into_iter()
        .zip(count_rows(tx, &small, &all, window).await?)
    {
        out[i] = row;
    }
    Ok(out)
}

/// Counts from the rows, one statement per source for every [`UNITS_PER_STATEMENT`] units.
async fn count_rows(
    tx: &mut Tx,
    units: &[Unit],
    measures: &[&Measure],
    window: &Window,
) -> Result<Vec<Vec<i64>>> {
    if measures.is_empty() {
        return Ok(vec![Vec::new(); units.len()]);
    }
    let mut out = Vec::with_capacity(units.len());
    for chunk in units.chunks(UNITS_PER_STATEMENT) {
        out.extend(count_chunk(tx, chunk, measures, window).await?);
    }
    Ok(out)
}

/// The statement counting measures of one source over each unit's subtree: one row per unit, a
/// conditional sum per measure.
fn count_statement(units: &[Unit], measures: &[&Measure], window: &Window) -> (String, Sql) {
    let mut sql = Sql::new();
    let table = units_table(units, &mut sql);
    let Some(first) = measures.first() else {
        return (String::new(), sql);
    };
    let (tables, filter) = first.source.rows(&BOUNDS, window, &mut sql);
    let sums: Vec<String> = measures
        .iter()
        .enumerate()
        .map(|(n, measure)| {
            let condition = (measure.condition)(&BOUNDS, window, &mut sql);
            match measure.source.weight() {
                "1" => format!("SUM(CASE WHEN {condition} THEN 1 ELSE 0 END) AS f{n}"),
                // PostgreSQL sums BIGINT as NUMERIC: back to BIGINT for one decoding.
                weight => format!(
                    "CAST(SUM(CASE WHEN {condition} THEN {weight} ELSE 0 END) AS BIGINT) AS f{n}"
                ),
            }
        })
        .collect();
    // CROSS JOIN keeps SQLite from reordering: each unit's subtree is one index range.
    let text = format!(
        "SELECT c.column1 AS g, {} FROM {table} CROSS JOIN {tables} WHERE {filter} GROUP BY c.column1",
        sums.join(", ")
    );
    (text, sql)
}

/// The statements a unit's figures run, for [`plans`]: (what, SQL, parameters).
pub(crate) fn statements(unit: &Unit, window: &Window) -> Vec<(String, String, Vec<SqlValue>)> {
    let measures: Vec<Measure> = registry().iter().flat_map(|r| (r.counts)()).collect();
    let all: Vec<&Measure> = measures.iter().collect();
    by_source(&all)
        .into_iter()
        .map(|group| {
            let same: Vec<&Measure> = group.iter().map(|&i| all[i]).collect();
            let (text, sql) = count_statement(std::slice::from_ref(unit), &same, window);
            (format!("count {}", same[0].source.name()), text, sql.values)
        })
        .collect()
}

/// The measures' indexes grouped by source, each source once, in the order first seen: one
/// statement per group.
fn by_source(measures: &[&Measure]) -> Vec<Vec<usize>> {
    let mut groups: Vec<(&'static str, Vec<usize>)> = Vec::new();
    for (i, measure) in measures.iter().enumerate() {
        let name = measure.source.name();
        match groups.iter_mut().find(|(n, _)| *n == name) {
            Some((_, group)) => group.push(i),
            None => groups.push((name, vec![i])),
        }
    }
    groups.into_iter().map(|(_, group)| group).collect()
}

async fn count_chunk(
    tx: &mut Tx,
    units: &[Unit],
    measures: &[&Measure],
    window: &Window,
) -> Result<Vec<Vec<i64>>> {
    let mut out = vec![vec![0i64; measures.len()]; units.len()];
    for group in by_source(measures) {
        let members: Vec<&Measure> = group.iter().map(|&i| measures[i]).collect();
        let (text, sql) = count_statement(units, &members, window);
        let width = group.len();
        let rows = fetch_all_values!(tx, text, &sql.values, |row| {
            let g: i64 = row.try_get("g")?;
            let values = (0..width)
                .map(|n| {
                    row.try_get::<Option<i64>, _>(format!("f{n}").as_str())
                        .map(|v| v.unwrap_or(0))
                })
                .collect::<std::result::Result<Vec<i64>, sqlx::Error>>()?;
            Ok((g, values))
        })?;
        for (g, values) in rows {
            let Some(slot) = usize::try_from(g).ok().and_then(|g| out.get_mut(g)) else {
                continue;
            };
            for (n, &i) in group.iter().enumerate() {
                slot[i] = values[n];
            }
        }
    }
    Ok(out)
}

/// The values of `definitions` for the subtree of each unit, without comparisons.
async fn values(
    tx: &mut Tx,
    units: &[Unit],
    definitions: &[Definition],
    window: &Window,
    route: Route,
) -> Result<Vec<Vec<Value>>> {
    let measures = prepared(tx, counts_needed(definitions)?, units, window).await?;
    let counts = count(tx, units, &measures, window, route).await?;
    let index: HashMap<&str, usize> = measures
        .iter()
        .enumerate()
        .map(|(i, m)| (m.definition.key.as_str(), i))
        .collect();
    let mut out = Vec::with_capacity(units.len());
    for (u, unit) in units.iter().enumerate() {
        let mut row = Vec::with_capacity(definitions.len());
        for definition in definitions {
            let count_of = |key: &str| index.get(key).map(|&i| counts[u][i]).unwrap_or(0);
            row.push(match &definition.kind {
                Kind::Count => Value::Count(count_of(&definition.key)),
                Kind::Ratio {
                    numerator,
                    denominator,
                } => Value::Ratio(Ratio {
                    numerator: count_of(numerator),
                    denominator: count_of(denominator),
                }),
                Kind::Reported { .. } => {
                    Value::Reported(reported::value(tx, unit, &definition.key, window).await?)
                }
            });
        }
        out.push(row);
    }
    Ok(out)
}

/// Evaluates figures for the subtree of each unit (a table when there are several), with the same
/// figures a year earlier when `with_prior`: `[unit][figure]`.
pub(crate) async fn evaluate(
    tx: &mut Tx,
    units: &[Unit],
    definitions: &[Definition],
    window: &Window,
    with_prior: bool,
) -> Result<Vec<Vec<FigureValue>>> {
    evaluate_by(tx, units, definitions, window, with_prior, Route::Summaries).await
}

/// Where counts come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Route {
    /// The summary tables for the big subtrees, the rows for the others.
    Summaries,
    /// The rows alone: what the summary tables are checked against.
    Rows,
}

/// [`evaluate`], taking the counts from `route`.
pub(crate) async fn evaluate_by(
    tx: &mut Tx,
    units: &[Unit],
    definitions: &[Definition],
    window: &Window,
    with_prior: bool,
    route: Route,
) -> Result<Vec<Vec<FigureValue>>> {
    if units.is_empty() {
        return Ok(Vec::new());
    }
    let now = values(tx, units, definitions, window, route).await?;
    let prior = match (with_prior, window.year_before()) {
        (true, Some(earlier)) => Some(values(tx, units, definitions, &earlier, route).await?),
        _ => None,
    };
    Ok(now
        .into_iter()
        .enumerate()
        .map(|(u, row)| {
            row.into_iter()
                .enumerate()
                .map(|(f, value)| FigureValue {
                    key: definitions[f].key.clone(),
                    value,
                    prior: prior.as_ref().map(|p| p[u][f].clone()),
                    target: None,
                })
                .collect()
        })
        .collect())
}

/// Whether the records behind a figure (a ratio's numerator) are confidential.
pub(crate) fn confidential(definition: &Definition) -> bool {
    let key = match &definition.kind {
        Kind::Count => definition.key.as_str(),
        Kind::Ratio { numerator, .. } => numerator.as_str(),
        Kind::Reported { .. } => return false,
    };
    measure(key).is_some_and(|m| m.source.confidential())
}

/// Lists the records behind one count (for a ratio, behind its numerator), in the order a person
/// reads them, each with its unit as far as `visible` (a subtree's path) reaches: the unit above
/// a listed unit at the top of a scope is left out. Reported values have no records.
pub(crate) async fn records(
    tx: &mut Tx,
    unit: &Unit,
    definition: &Definition,
    window: &Window,
    visible: &str,
) -> Result<Vec<Record>> {
    let key = match &definition.kind {
        Kind::Count => definition.key.as_str(),
        Kind::Ratio { numerator, .. } => numerator.as_str(),
        Kind::Reported { .. } => return Ok(Vec::new()),
    };
    let measure = measure(key).ok_or_else(|| {
        StoreError::invalid(
            "figure.unknown",
            format!("chỉ tiêu «{key}» không có trong danh mục"),
        )
    })?;
    let measure =
        crate::programmes::figures::prepare(tx, measure, std::slice::from_ref(unit), window)
            .await?;
    let mut query = RecordQuery::new(&measure, unit, window);
    if let Some(keyset) = measure.source.keyset() {
        query.order_by(keyset);
    }
    let (mut list, _) = query.read(tx, measure.source, None).await?;
    name_units(tx, &mut list, window.as_of, visible).await?;
    if measure.source.keyset().is_none() {
        measure.source.sort(&mut list);
    }
    Ok(list)
}

/// One page of [`records`]: at most `limit` records after the cursor `after` (empty: from the
/// first), read in SQL by the source's keyset (only the page is read), or, for a source without
/// one, from the list sorted in Rust. A cursor that does not fit the list is refused.
pub(crate) async fn records_page(
    tx: &mut Tx,
    unit: &Unit,
    definition: &Definition,
    window: &Window,
    visible: &str,
    after: &str,
    limit: usize,
) -> Result<RecordPage> {
    let key = match &definition.kind {
        Kind::Count => definition.key.as_str(),
        Kind::Ratio { numerator, .. } => numerator.as_str(),
        Kind::Reported { .. } => {
            return Ok(RecordPage {
                records: Vec::new(),
                total: 0,
                next: None,
            });
        }
    };
    let Some(measure) = measure(key) else {
        return Err(StoreError::invalid(
            "figure.unknown",
            format!("chỉ tiêu «{key}» không có trong danh mục"),
        ));
    };
    let measure =
        crate::programmes::figures::prepare(tx, measure, std::slice::from_ref(unit), window)
            .await?;
    let unreadable = || {
        StoreError::Fields(vec![(
            "after".into(),
            format!("vị trí trang «{after}» không đọc được; hãy mở lại từ trang đầu"),
        )])
    };
    let cursor: Vec<String> = if after.is_empty() {
        Vec::new()
    } else {
        serde_json::from_str(after).map_err(|_| unreadable())?
    };
    // The count the figure itself gives (from the summaries for a big subtree): the page says
    // the same number as the dashboard, without a second pass over the rows.
    let total = match evaluate(
        tx,
        std::slice::from_ref(unit),
        std::slice::from_ref(&measure.definition),
        window,
        false,
    )
    .await?
    .first()
    .and_then(|values| values.first())
    .and_then(|v| v.value.as_count())
    {
        Some(n) => usize::try_from(n).unwrap_or(0),
        None => RecordQuery::new(&measure, unit, window).count(tx).await?,
    };
    let Some(keyset) = measure.source.keyset() else {
        let all = records(tx, unit, definition, window, visible).await?;
        let start = match cursor.as_slice() {
            [] => 0,
            [code] => {
                all.iter().position(|r| &r.code == code).ok_or_else(|| {
                    StoreError::Fields(vec![(
                        "after".into(),
                        "danh sách đã thay đổi: hãy mở lại từ trang đầu".into(),
                    )])
                })? + 1
            }
            _ => return Err(unreadable()),
        };
        let end = (start + limit).min(all.len());
        let next = (end < all.len()).then(|| serde_json::json!([all[end - 1].code]).to_string());
        return Ok(RecordPage {
            records: all[start..end].to_vec(),
            total,
            next,
        });
    };
    if !cursor.is_empty() && cursor.len() != keyset.len() {
        return Err(unreadable());
    }
    let mut query = RecordQuery::new(&measure, unit, window);
    if !cursor.is_empty() {
        query.after(keyset, &cursor).ok_or_else(unreadable)?;
    }
    query.order_by(keyset);
    query.limit(limit + 1);
    let (mut list, mut keys) = query.read(tx, measure.source, Some(keyset)).await?;
    let next = if list.len() > limit {
        list.truncate(limit);
        keys.truncate(limit);
        keys.last().map(|k| serde_json::json!(k).to_string())
    } else {
        None
    };
    name_units(tx, &mut list, window.as_of, visible).await?;
    Ok(RecordPage {
        records: list,
        total,
        next,
    })
}

/// The statement that reads the records behind one count, built up for a whole list, a page,
/// or a count.
struct RecordQuery {
    sql: Sql,
    from: String,
    condition: String,
    order: String,
    limit: String,
    window: Window,
}

impl RecordQuery {
    fn new(measure: &Measure, unit: &Unit, window: &Window) -> RecordQuery {
        let mut sql = Sql::new();
        let table = units_table(std::slice::from_ref(unit), &mut sql);
        let (tables, filter) = measure.source.rows(&BOUNDS, window, &mut sql);
        let condition = (measure.condition)(&BOUNDS, window, &mut sql);
        RecordQuery {
            sql,
            from: format!("{table} CROSS JOIN {tables}"),
            condition: format!("{filter} AND {condition}"),
            order: String::new(),
            limit: String::new(),
            window: *window,
        }
    }

    /// Keeps the records after the cursor's values, in keyset order; `None` if a value does not
    /// read as its column's type.
    fn after(&mut self, keyset: &[(&str, KeyType)], cursor: &[String]) -> Option<()> {
        let mut params = Vec::new();
        for ((_, kind), value) in keyset.iter().zip(cursor) {
            let param = match kind {
                KeyType::Text => self.sql.param(value.as_str()),
                KeyType::Date => self.sql.param(value.parse::<NaiveDate>().ok()?),
                KeyType::Int => self.sql.param(value.parse::<i64>().ok()?),
            };
            params.push(param);
        }
        // (a, b, c) > (x, y, z), written out: both engines use an index on it the same way.
        let alternatives: Vec<String> = (0..keyset.len())
            .map(|i| {
                let mut parts: Vec<String> = (0..i)
                    .map(|j| format!("{} = {}", keyset[j].0, params[j]))
                    .collect();
                parts.push(format!("{} > {}", keyset[i].0, params[i]));
                format!("({})", parts.join(" AND "))
            })
            .collect();
        self.condition
            .push_str(&format!(" AND ({})", alternatives.join(" OR ")));
        Some(())
    }

    fn order_by(&mut self, keyset: &[(&str, KeyType)]) {
        let columns: Vec<&str> = keyset.iter().map(|(expression, _)| *expression).collect();
        self.order = format!(" ORDER BY {}", columns.join(", "));
    }

    fn limit(&mut self, limit: usize) {
        self.limit = format!(" LIMIT {limit}");
    }

    async fn count(mut self, tx: &mut Tx) -> Result<usize> {
        let text = format!(
            "SELECT COUNT(*) AS n FROM {} WHERE {}",
            self.from, self.condition
        );
        let values = std::mem::take(&mut self.sql.values);
        let n = fetch_all_values!(tx, text, &values, |row| row.try_get::<i64, _>("n"))?;
        Ok(n.first().copied().unwrap_or(0).max(0) as usize)
    }

    /// The records, and each one's keyset values as a cursor would keep them.
    async fn read(
        mut self,
        tx: &mut Tx,
        source: &dyn Source,
        keyset: Option<&[(&str, KeyType)]>,
    ) -> Result<(Vec<Record>, Vec<Vec<String>>)> {
        let mut columns = source.record_columns(&self.window, &mut self.sql);
        let keyset = keyset.unwrap_or(&[]);
        for (i, (expression, _)) in keyset.iter().enumerate() {
            columns.push_str(&format!(", {expression} AS k{i}"));
        }
        let text = format!(
            "SELECT {columns} FROM {} WHERE {}{}{}",
            self.from, self.condition, self.order, self.limit
        );
        let rows = fetch_all_values!(tx, text, &self.sql.values, |row| {
            let mut keys = Vec::with_capacity(keyset.len());
            for (i, (_, kind)) in keyset.iter().enumerate() {
                let column = format!("k{i}");
                keys.push(match kind {
                    KeyType::Text => row.try_get::<String, _>(column.as_str())?,
                    KeyType::Date => row.try_get::<NaiveDate, _>(column.as_str())?.to_string(),
                    KeyType::Int => row.try_get::<i64, _>(column.as_str())?.to_string(),
                });
            }
            Ok((
                Record {
                    record: source.record_kind(),
                    code: row.try_get::<String, _>("code")?,
                    name: row
                        .try_get::<Option<String>, _>("name")?
                        .unwrap_or_default(),
                    unit_code: row
                        .try_get::<Option<String>, _>("unit_code")?
                        .unwrap_or_default(),
                    unit_name: String::new(),
                    date: row.try_get::<Option<NaiveDate>, _>("record_date")?,
                    detail: source.detail(
                        row.try_get::<Option<String>, _>("detail")?
                            .unwrap_or_default(),
                        row.try_get::<Option<String>, _>("note")?
                            .unwrap_or_default(),
                    ),
                },
                keys,
            ))
        })?;
        Ok(rows.into_iter().unzip())
    }
}

/// Fills in each record's unit name, on the event's date for events and on `as_of` otherwise,
/// and leaves out units outside `visible`: one statement per 500 distinct units, whatever the
/// number of records.
async fn name_units(
    tx: &mut Tx,
    records: &mut [Record],
    as_of: NaiveDate,
    visible: &str,
) -> Result<()> {
    let mut codes: Vec<&str> = records
        .iter()
        .map(|r| r.unit_code.as_str())
        .filter(|c| !c.is_empty())
        .collect();
    codes.sort_unstable();
    codes.dedup();
    let names = crate::tree::names_by_code(tx, &codes).await?;
    for record in records.iter_mut() {
        let Some((path, history)) = names.get(&record.unit_code) else {
            continue;
        };
        if !path.starts_with(visible) {
            record.unit_code.clear();
            continue;
        }
        let on = match record.record {
            "event" => record.date.unwrap_or(as_of),
            _ => as_of,
        };
        record.unit_name = crate::tree::pick_name(history, on);
    }
    Ok(())
}

/// Members active on the date in the subtree, counted by ethnicity or religion:
/// (figure key, name as recorded, count), largest first.
pub(crate) async fn breakdown(
    tx: &mut Tx,
    unit: &Unit,
    as_of: NaiveDate,
    by: Breakdown,
    route: Route,
) -> Result<Vec<(String, String, i64)>> {
    let (name, key, prefix) = by.columns();
    let window = Window {
        as_of,
        from: as_of,
        to: as_of,
    };
    let holders = match route {
        Route::Summaries => summary::summarizing(tx, unit, &window).await?,
        Route::Rows => None,
    };
    let counts = match holders {
        Some(holders) => {
            let keys =
                summary::stock_of_prefix(tx, &holders, unit.id, by.summary_prefix(), as_of).await?;
            let keys: Vec<(String, i64)> = keys
                .into_iter()
                .filter(|(k, count)| !k.is_empty() && k != "khong" && *count != 0)
                .collect();
            let values: Vec<&str> = keys.iter().map(|(k, _)| k.as_str()).collect();
            let names = key_names(tx, name, key, &values).await?;
            keys.into_iter()
                .map(|(k, count)| {
                    let recorded = names.get(&k).cloned().unwrap_or_else(|| k.clone());
                    (k, recorded, count)
                })
                .collect()
        }
        None => breakdown_rows(tx, unit, as_of, by).await?,
    };
    let mut rows: Vec<(String, String, i64)> = counts
        .into_iter()
        .map(|(k, n, c)| (format!("{prefix}{}", k.replace(' ', "_")), n, c))
        .collect();
    rows.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| compare_vi(&a.1, &b.1)));
    Ok(rows)
}

/// A breakdown counted from the rows of a subtree: (key, name as recorded, count).
async fn breakdown_rows(
    tx: &mut Tx,
    unit: &Unit,
    as_of: NaiveDate,
    by: Breakdown,
) -> Result<Vec<(String, String, i64)>> {
    use crate::engine::sql::{in_force, in_subtree};
    let (lo, hi) = subtree_bounds(&unit.path);
    let (name, key, _) = by.columns();
    let sql = format!(
        "SELECT {key} AS k, MIN({name}) AS n, COUNT(*) AS c FROM member_spans s JOIN members m ON m.id = s.member_id \
         WHERE {} AND {} AND {key} <> '' AND {key} <> 'khong' GROUP BY {key}",
        in_subtree("s.unit_path", "$1", "$2"),
        in_force("s.from_date", "s.to_date", "$3")
    );
    Ok(fetch_all!(tx, sql, [lo, hi, as_of], |row| Ok((
        row.try_get::<String, _>("k")?,
        row.try_get::<String, _>("n")?,
        row.try_get::<i64, _>("c")?
    )))?)
}

/// The name recorded for each key (the first in order, as [`breakdown_rows`] gives it), through
/// the (key, name) index, in one statement.
async fn key_names(
    tx: &mut Tx,
    name: &str,
    key: &str,
    values: &[&str],
) -> Result<HashMap<String, String>> {
    if values.is_empty() {
        return Ok(HashMap::new());
    }
    let sql = key_names_sql(name, key, values.len());
    let values: Vec<SqlValue> = values.iter().map(|v| (*v).into()).collect();
    Ok(fetch_all_values!(tx, sql, &values, |row| Ok((
        row.try_get::<String, _>("k")?,
        row.try_get::<String, _>("n")?
    )))?
    .into_iter()
    .collect())
}

fn key_names_sql(name: &str, key: &str, count: usize) -> String {
    let list: Vec<String> = (1..=count).map(|i| format!("${i}")).collect();
    format!(
        "SELECT {key} AS k, MIN({name}) AS n FROM members m WHERE {key} IN ({}) GROUP BY {key}",
        list.join(", ")
    )
}

/// The statements of a summarized breakdown besides the summary's, for the plan tests.
pub(crate) fn breakdown_statements() -> Vec<(String, String, Vec<SqlValue>)> {
    [
        (Breakdown::Ethnicity, "ethnicity", "tay"),
        (Breakdown::Religion, "religion", "phat giao"),
    ]
    .into_iter()
    .map(|(by, what, example)| {
        let (name, key, _) = by.columns();
        (
            format!("summary breakdown: {what} name"),
            key_names_sql(name, key, 2),
            vec![example.into(), "kinh".into()],
        )
    })
    .collect()
}

/// What [`breakdown`] groups by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Breakdown {
    Ethnicity,
    Religion,
}

impl Breakdown {
    /// (name column, key column, figure key prefix).
    fn columns(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Breakdown::Ethnicity => ("m.ethnicity", "m.ethnicity_key", "members.ethnicity."),
            Breakdown::Religion => ("m.religion", "m.religion_key", "members.religion."),
        }
    }

    /// The label of one group's members, named as recorded.
    pub fn label(self, name: &str) -> String {
        match self {
            Breakdown::Ethnicity => dangbo_domain::members::figures::ethnicity_label(name),
            Breakdown::Religion => dangbo_domain::members::figures::religion_label(name),
        }
    }

    /// The summary keys' prefix.
    fn summary_prefix(self) -> &'static str {
        match self {
            Breakdown::Ethnicity => "ethnicity:",
            Breakdown::Religion => "religion:",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unique_and_ratios_name_counts_of_the_catalogue() {
        let all = catalogue();
        let mut keys: Vec<&str> = all.iter().map(|d| d.key.as_str()).collect();
        keys.sort();
        let before = keys.len();
        keys.dedup();
        assert_eq!(before, keys.len(), "a key registered twice");
        for definition in &all {
            assert_eq!(find(&definition.key).as_ref(), Some(definition));
            if let Kind::Ratio {
                numerator,
                denominator,
            } = &definition.kind
            {
                assert!(measure(numerator).is_some(), "{numerator}");
                assert!(measure(denominator).is_some(), "{denominator}");
            }
        }
        assert!(find("members.nonsense").is_none());
        assert!(find("members.ethnicity.tay").is_some());
    }

    /// Every catalogue key is documented in docs/figures.md.
    #[test]
    fn every_figure_is_documented() {
        let doc = include_str!("../../../../docs/figures.md");
        for figure in catalogue() {
            let key = &figure.key;
            let (family, last) = key.rsplit_once('.').unwrap_or(("", key));
            let documented = doc.contains(&format!("`{key}`"))
                || (!family.is_empty()
                    && doc.contains(&format!("`{family}."))
                    && doc.contains(&format!("`.{last}`")));
            assert!(documented, "{key} is missing from docs/figures.md");
        }
    }
}
