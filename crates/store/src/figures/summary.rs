//! Summary tables: the figures of the big subtrees (the whole database and each province) kept as
//! running stocks and monthly flows, so that a province or the nation costs a few hundred rows
//! instead of millions.
//!
//! Every span of a member and every event *contributes* to keys (a dimension's value: `sex:female`,
//! `age:31-40`, `kind:admission:recorded`, `in:recorded`…) of each summary unit whose subtree holds
//! it: a span adds one to its keys' stock from its first day and takes it away on its end, an event
//! adds one to its keys' flow in its month. A member's age band is a key like the others: the span is
//! cut where the member reaches each band's ages, so the stock needs no date arithmetic in SQL.
//!
//! Stocks are held as the stock at each year's end plus the change within each month; the stock on
//! a month's last day is one year row and at most twelve month rows per key. Any other day adds the
//! contributions of the rows that change between the month's start and that day, read through the
//! date indexes (spans starting or ending, members reaching an age band). Flows are monthly counts;
//! a period that does not start or end on a month boundary adds its partial months from the events.
//!
//! The same contributions maintain the tables: a write reads the contributions of the members it
//! changes before and after, and applies the difference in its own transaction. A property test
//! checks that the summary equals the raw computation on both engines.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{Datelike, Months, NaiveDate};
use dangbo_domain::figures::Window;
use dangbo_domain::members::events::Span;
use dangbo_domain::members::figures::{AGE_BANDS, EventCondition, MemberCondition};

use dangbo_domain::education::{TrainingKind, level_history};

use crate::cadres::training::LevelFact;
use crate::engine::Value as SqlValue;
use crate::members::events::NewEvent;
use crate::tree::{Unit, subtree_bounds};
use crate::{Result, Tx};

/// The last year the summary holds; figures for later dates are computed from the rows.
pub(crate) const LAST_YEAR: i32 = 2100;

/// A count read from the summary: the sum of some keys' values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Formula {
    /// Members active on the date: the sum of these keys' stocks.
    Stock(Vec<String>),
    /// Members active on the date: the sum of the stocks of every key with this prefix, except some.
    StockOfPrefix {
        prefix: &'static str,
        except: Vec<String>,
    },
    /// Events in the period: the sum of these keys' flows.
    Flow(Vec<String>),
}

impl Formula {
    fn apply(&self, stock: &HashMap<String, i64>, flows: &HashMap<String, i64>) -> i64 {
        let sum = |map: &HashMap<String, i64>, keys: &[String]| {
            keys.iter().map(|k| map.get(k).copied().unwrap_or(0)).sum()
        };
        match self {
            Formula::Stock(keys) => sum(stock, keys),
            Formula::Flow(keys) => sum(flows, keys),
            Formula::StockOfPrefix { prefix, except } => stock
                .iter()
                .filter(|(k, _)| k.starts_with(prefix) && !except.contains(k))
                .map(|(_, v)| v)
                .sum(),
        }
    }

    fn is_stock(&self) -> bool {
        !matches!(self, Formula::Flow(_))
    }
}

fn optional_key(dimension: &str, code: Option<&str>) -> String {
    match code {
        Some(code) => format!("{dimension}:{code}"),
        None => format!("{dimension}#none"),
    }
}

fn age_key(min: u32, max: Option<u32>) -> String {
    match max {
        Some(max) => format!("age:{min}-{max}"),
        None => format!("age:{min}-"),
    }
}

/// The summary's reading of a member condition (`None`: only the rows can answer it).
pub(crate) fn member_formula(condition: &MemberCondition) -> Option<Formula> {
    use MemberCondition as M;
    let one = |key: String| Some(Formula::Stock(vec![key]));
    match condition {
        M::All => one("total".into()),
        M::Status(status) => one(format!("status:{}", status.code())),
        M::Sex(sex) => one(format!("sex:{}", sex.code())),
        M::EthnicMinority => Some(Formula::StockOfPrefix {
            prefix: "ethnicity:",
            except: vec!["ethnicity:kinh".into(), "ethnicity:".into()],
        }),
        M::Ethnicity(key) => one(format!("ethnicity:{key}")),
        M::Religious => Some(Formula::StockOfPrefix {
            prefix: "religion:",
            except: vec!["religion:khong".into(), "religion:".into()],
        }),
        M::Religion(key) => one(format!("religion:{key}")),
        M::Exempt => one("exempt".into()),
        M::Suspended => one("suspended".into()),
        M::AgeBetween(min, max) => AGE_BANDS
            .iter()
            .any(|(_, lo, hi)| lo == min && hi == max)
            .then(|| Formula::Stock(vec![age_key(*min, *max)])),
        M::Education(level) => one(optional_key("education", level.map(|l| l.code()))),
        M::Qualification(level) => one(optional_key("qualification", level.map(|l| l.code()))),
        M::Theory(level) => one(optional_key("theory", level.map(|l| l.code()))),
        M::TheoryAdvancedOrBachelor => Some(Formula::Stock(vec![
            "theory:advanced".into(),
            "theory:bachelor".into(),
        ])),
    }
}

/// The summary's reading of an event condition.
pub(crate) fn event_formula(condition: &EventCondition) -> Formula {
    match condition {
        EventCondition::Kinds(kinds) => Formula::Flow(
            kinds
                .iter()
                .map(|k| format!("kind:{}:recorded", k.code()))
                .collect(),
        ),
        EventCondition::TransfersIn => Formula::Flow(vec!["in:recorded".into()]),
        EventCondition::TransfersOut => Formula::Flow(vec!["out:recorded".into()]),
        EventCondition::RestructureMovesIn => Formula::Flow(vec!["in:restructure".into()]),
        EventCondition::RestructureMovesOut => Formula::Flow(vec!["out:restructure".into()]),
        EventCondition::InitialPlacements => Formula::Flow(vec!["in:placement".into()]),
    }
}

/// A member's span with the member's fields that figures look at.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct SpanRow {
    member_id: i64,
    unit_path: String,
    status: String,
    exempt: bool,
    suspended: bool,
    from: NaiveDate,
    to: Option<NaiveDate>,
    sex: String,
    ethnicity_key: String,
    religion_key: String,
    birth: NaiveDate,
    education: Option<String>,
    qualification: Option<String>,
    theory: Option<String>,
    /// The member's dated levels, which take the place of the record's for their kind.
    facts: Vec<LevelFact>,
}

/// An event as figures count it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct EventRow {
    /// Two members' events can agree in everything else (a restructure moves many at once).
    id: i64,
    kind: String,
    cause: String,
    date: NaiveDate,
    unit_path: Option<String>,
    from_path: Option<String>,
    to_path: Option<String>,
}

const SPAN_SELECT: &str = "SELECT s.member_id, s.unit_path, s.status, s.exempt, s.suspended, \
     s.from_date, s.to_date, m.sex, m.ethnicity_key, m.religion_key, m.birth_date, \
     m.general_education, m.qualification, m.theory_level \
     FROM member_spans s JOIN members m ON m.id = s.member_id";

const EVENT_SELECT: &str = "SELECT e.id, e.kind, e.cause, e.event_date, e.unit_path, e.from_path, e.to_path FROM member_events e";

async fn span_rows(tx: &mut Tx, filter: &str, values: &[SqlValue]) -> Result<Vec<SpanRow>> {
    span_rows_sql(tx, format!("{SPAN_SELECT} WHERE {filter}"), values).await
}

async fn span_rows_sql(tx: &mut Tx, sql: String, values: &[SqlValue]) -> Result<Vec<SpanRow>> {
    let mut rows = fetch_all_values!(tx, sql, values, |row| Ok(SpanRow {
        member_id: row.try_get("member_id")?,
        unit_path: row.try_get("unit_path")?,
        status: row.try_get("status")?,
        exempt: row.try_get::<i64, _>("exempt")? == 1,
        suspended: row.try_get::<i64, _>("suspended")? == 1,
        from: row.try_get("from_date")?,
        to: row.try_get("to_date")?,
        sex: row.try_get("sex")?,
        ethnicity_key: row.try_get("ethnicity_key")?,
        religion_key: row.try_get("religion_key")?,
        birth: row.try_get("birth_date")?,
        education: row.try_get("general_education")?,
        qualification: row.try_get("qualification")?,
        theory: row.try_get("theory_level")?,
        facts: Vec::new(),
    }))?;
    let mut ids: Vec<i64> = rows.iter().map(|row| row.member_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let mut facts = crate::cadres::training::of_members(tx, &ids).await?;
    for row in &mut rows {
        if let Some(list) = facts.get(&row.member_id) {
            row.facts = list.clone();
        }
    }
    facts.clear();
    Ok(rows)
}

async fn event_rows(tx: &mut Tx, filter: &str, values: &[SqlValue]) -> Result<Vec<EventRow>> {
    let sql = format!("{EVENT_SELECT} WHERE {filter}");
    Ok(fetch_all_values!(tx, sql, values, |row| Ok(EventRow {
        id: row.try_get("id")?,
        kind: row.try_get("kind")?,
        cause: row.try_get("cause")?,
        date: row.try_get("event_date")?,
        unit_path: row.try_get("unit_path")?,
        from_path: row.try_get("from_path")?,
        to_path: row.try_get("to_path")?,
    }))?)
}

/// The first day on which someone born on `birth` counts as `years` old: the figures' condition is
/// `birth ≤ day − years` (someone born on 29 February reaches an age on 1 March of a common year).
fn age_reached(birth: NaiveDate, years: u32) -> Option<NaiveDate> {
    let span = Months::new(years.checked_mul(12)?);
    let mut day = birth.checked_add_months(span)?;
    while day.checked_sub_months(span)? < birth {
        day = day.succ_opt()?;
    }
    Some(day)
}

/// The ages at which someone enters or leaves a band.
fn band_edges() -> Vec<u32> {
    let mut edges: Vec<u32> = AGE_BANDS
        .iter()
        .flat_map(|(_, min, max)| [Some(*min), max.map(|m| m + 1)])
        .flatten()
        .collect();
    edges.sort_unstable();
    edges.dedup();
    edges
}

/// The keys a span counts in, each from a first day to an end (exclusive; `None`: still counting).
fn span_intervals(row: &SpanRow) -> Vec<(String, NaiveDate, Option<NaiveDate>)> {
    let mut keys = vec![
        "total".to_string(),
        format!("status:{}", row.status),
        format!("sex:{}", row.sex),
        format!("ethnicity:{}", row.ethnicity_key),
        format!("religion:{}", row.religion_key),
    ];
    if row.exempt {
        keys.push("exempt".into());
    }
    if row.suspended {
        keys.push("suspended".into());
    }
    let mut out: Vec<(String, NaiveDate, Option<NaiveDate>)> =
        keys.into_iter().map(|k| (k, row.from, row.to)).collect();
    for (kind, dimension, recorded) in [
        (TrainingKind::Education, "education", &row.education),
        (
            TrainingKind::Qualification,
            "qualification",
            &row.qualification,
        ),
        (TrainingKind::Theory, "theory", &row.theory),
    ] {
        out.extend(level_intervals(row, kind, dimension, recorded.as_deref()));
    }
    for (_, min, max) in AGE_BANDS {
        let Some(enters) = age_reached(row.birth, min) else {
            continue;
        };
        let leaves = max.and_then(|max| age_reached(row.birth, max + 1));
        let from = row.from.max(enters);
        let to = match (row.to, leaves) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        if to.is_none_or(|to| from < to) {
            out.push((age_key(min, max), from, to));
        }
    }
    out
}

/// The keys of one level dimension a span counts in: the record's level throughout when the member
/// has no fact of that kind; otherwise, piece by piece, the highest level reached by each day
/// (unknown before the first fact).
fn level_intervals(
    row: &SpanRow,
    kind: TrainingKind,
    dimension: &str,
    recorded: Option<&str>,
) -> Vec<(String, NaiveDate, Option<NaiveDate>)> {
    let facts: Vec<(NaiveDate, &str)> = row
        .facts
        .iter()
        .filter(|f| f.kind == kind)
        .map(|f| (f.on, f.level.as_str()))
        .collect();
    if facts.is_empty() {
        return vec![(optional_key(dimension, recorded), row.from, row.to)];
    }
    let history = level_history(kind, &facts);
    let mut pieces: Vec<(Option<&str>, NaiveDate)> = vec![(None, NaiveDate::MIN)];
    pieces.extend(history.iter().map(|(on, code)| (Some(*code), *on)));
    let mut out = Vec::new();
    for (i, (code, start)) in pieces.iter().enumerate() {
        let end = pieces.get(i + 1).map(|(_, next)| *next);
        let from = row.from.max(*start);
        let to = match (row.to, end) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        if to.is_none_or(|to| from < to) {
            out.push((optional_key(dimension, *code), from, to));
        }
    }
    out
}

/// A span's contributions: one to each key on the day it starts counting there, minus one on the
/// day it stops.
fn span_changes(row: &SpanRow) -> Vec<(String, NaiveDate, i64)> {
    let mut out = Vec::new();
    for (key, from, to) in span_intervals(row) {
        if let Some(to) = to {
            out.push((key.clone(), to, -1));
        }
        out.push((key, from, 1));
    }
    out
}

fn inside(path: Option<&str>, root: &str) -> bool {
    path.is_some_and(|p| p.starts_with(root))
}

/// The keys an event counts in for the subtree at `root`.
fn event_keys(row: &EventRow, root: &str) -> Vec<String> {
    let mut keys = Vec::new();
    if inside(row.unit_path.as_deref(), root) {
        keys.push(format!("kind:{}:{}", row.kind, row.cause));
    }
    if row.kind == "transfer_in" || row.kind == "transfer_out" {
        let from = inside(row.from_path.as_deref(), root);
        let to = inside(row.to_path.as_deref(), root);
        if to && !from {
            keys.push(format!("in:{}", row.cause));
        }
        if from && !to {
            keys.push(format!("out:{}", row.cause));
        }
    }
    keys
}

/// The provinces, read on every write and every summarized count (through `units_kind`).
const SUMMARY_UNITS: &str = "SELECT id, path FROM units WHERE kind = 'province'";

/// The units with summaries: the whole database (id 0) and each province.
#[derive(Debug, Clone)]
pub(crate) struct SummaryUnits {
    units: Vec<(i64, String)>,
}

impl SummaryUnits {
    pub(crate) async fn load(tx: &mut Tx) -> Result<SummaryUnits> {
        let mut units = vec![(0, "/".to_string())];
        units.extend(fetch_all!(tx, SUMMARY_UNITS, [], |row| Ok((
            row.try_get::<i64, _>("id")?,
            row.try_get::<String, _>("path")?
        )))?);
        Ok(SummaryUnits { units })
    }

    pub(crate) fn contains(&self, unit_id: i64) -> bool {
        self.units.iter().any(|(id, _)| *id == unit_id)
    }

    fn only(&self, ids: &[i64]) -> SummaryUnits {
        SummaryUnits {
            units: self
                .units
                .iter()
                .filter(|(id, _)| ids.contains(id))
                .cloned()
                .collect(),
        }
    }

    fn holding<'a>(&'a self, path: &'a str) -> impl Iterator<Item = i64> + 'a {
        self.units
            .iter()
            .filter(move |(_, root)| path.starts_with(root.as_str()))
            .map(|(id, _)| *id)
    }
}

/// Keys named once and then counted by number: a big import adds millions of contributions to a
/// few hundred keys, and hashing numbers is what keeps its summary cheap.
#[derive(Debug, Default, Clone)]
struct Keys {
    names: Vec<String>,
    numbers: HashMap<String, u32>,
}

impl Keys {
    fn number(&mut self, key: &str) -> u32 {
        if let Some(&n) = self.numbers.get(key) {
            return n;
        }
        let n = u32::try_from(self.names.len()).unwrap_or(u32::MAX);
        self.names.push(key.to_string());
        self.numbers.insert(key.to_string(), n);
        n
    }

    fn name(&self, number: u32) -> &str {
        self.names.get(number as usize).map_or("", String::as_str)
    }
}

/// Changes to apply to the summary tables, by (unit, key, month).
#[derive(Debug, Default, Clone)]
pub(crate) struct Deltas {
    keys: Keys,
    stock: HashMap<(i64, u32, i32), i64>,
    flows: HashMap<(i64, u32, i32), i64>,
}

fn month_of(date: NaiveDate) -> i32 {
    date.year() * 12 + date.month0() as i32
}

impl Deltas {
    /// Adds a span's contributions dated within `days`, `sign` times.
    fn add_span(
        &mut self,
        units: &SummaryUnits,
        row: &SpanRow,
        sign: i64,
        days: &std::ops::RangeInclusive<NaiveDate>,
    ) {
        let holders: Vec<i64> = units.holding(&row.unit_path).collect();
        if holders.is_empty() {
            return;
        }
        for (key, day, n) in span_changes(row) {
            if days.contains(&day) {
                self.add_stock(&holders, &key, day, n * sign);
            }
        }
    }

    fn add_stock(&mut self, holders: &[i64], key: &str, day: NaiveDate, n: i64) {
        let key = self.keys.number(key);
        self.add_numbered(holders.iter().copied(), key, day, n);
    }

    fn add_numbered(
        &mut self,
        holders: impl Iterator<Item = i64>,
        key: u32,
        day: NaiveDate,
        n: i64,
    ) {
        for unit in holders {
            *self.stock.entry((unit, key, month_of(day))).or_default() += n;
        }
    }

    fn add_event(&mut self, units: &SummaryUnits, row: &EventRow, sign: i64) {
        // Only the subtrees holding one of its units can count it.
        let paths = [&row.unit_path, &row.from_path, &row.to_path];
        let holding = |root: &str| paths.iter().any(|p| inside(p.as_deref(), root));
        for (unit, root) in units.units.iter().filter(|(_, root)| holding(root)) {
            for key in event_keys(row, root) {
                let key = self.keys.number(&key);
                *self
                    .flows
                    .entry((*unit, key, month_of(row.date)))
                    .or_default() += sign;
            }
        }
    }

    fn is_empty(&self) -> bool {
        self.stock.values().all(|v| *v == 0) && self.flows.values().all(|v| *v == 0)
    }

    /// Adds the stock changes to `out`, by unit and key.
    fn add_stock_to(&self, out: &mut PerUnit) {
        Self::add_to(&self.keys, &self.stock, out);
    }

    /// Adds the flows to `out`, by unit and key.
    fn add_flows_to(&self, out: &mut PerUnit) {
        Self::add_to(&self.keys, &self.flows, out);
    }

    fn add_to(keys: &Keys, counts: &HashMap<(i64, u32, i32), i64>, out: &mut PerUnit) {
        for ((unit, key, _), v) in counts {
            *out.entry(*unit)
                .or_default()
                .entry(keys.name(*key).to_string())
                .or_default() += v;
        }
    }
}

/// What some members contribute now: their spans and events as rows.
#[derive(Debug, Default)]
pub(crate) struct Snapshot {
    spans: HashSet<SpanRow>,
    events: HashSet<EventRow>,
}

/// The fields of a member that their spans count by.
#[derive(Debug, Clone)]
pub(crate) struct MemberDims {
    sex: String,
    ethnicity_key: String,
    religion_key: String,
    birth: NaiveDate,
    education: Option<String>,
    qualification: Option<String>,
    theory: Option<String>,
    facts: Vec<LevelFact>,
}

/// The counted fields of some members.
pub(crate) async fn member_dims(
    tx: &mut Tx,
    member_ids: &[i64],
) -> Result<HashMap<i64, MemberDims>> {
    let mut out = HashMap::new();
    for chunk in member_ids.chunks(2000) {
        let list = crate::engine::id_list(chunk);
        let sql = format!(
            "SELECT id, sex, ethnicity_key, religion_key, birth_date, general_education, \
             qualification, theory_level FROM members WHERE id IN ({list})"
        );
        let rows = fetch_all!(tx, sql, [], |row| Ok((
            row.try_get::<i64, _>("id")?,
            MemberDims {
                sex: row.try_get("sex")?,
                ethnicity_key: row.try_get("ethnicity_key")?,
                religion_key: row.try_get("religion_key")?,
                birth: row.try_get("birth_date")?,
                education: row.try_get("general_education")?,
                qualification: row.try_get("qualification")?,
                theory: row.try_get("theory_level")?,
                facts: Vec::new(),
            }
        )))?;
        out.extend(rows);
    }
    let ids: Vec<i64> = out.keys().copied().collect();
    for (member, facts) in crate::cadres::training::of_members(tx, &ids).await? {
        if let Some(dims) = out.get_mut(&member) {
            dims.facts = facts;
        }
    }
    Ok(out)
}

/// A span about to be written, as figures count it.
pub(crate) fn span_row(member_id: i64, span: &Span, unit_path: &str, dims: &MemberDims) -> SpanRow {
    SpanRow {
        member_id,
        unit_path: unit_path.to_string(),
        status: span.status.code().to_string(),
        exempt: span.exempt,
        suspended: span.suspended,
        from: span.from,
        to: span.to,
        sex: dims.sex.clone(),
        ethnicity_key: dims.ethnicity_key.clone(),
        religion_key: dims.religion_key.clone(),
        birth: dims.birth,
        education: dims.education.clone(),
        qualification: dims.qualification.clone(),
        theory: dims.theory.clone(),
        facts: dims.facts.clone(),
    }
}

/// The `index`th event a write adds, as figures count it. Its id is not known before it is written
/// and only tells rows apart: a new event gets a negative one, never a stored id.
pub(crate) fn new_event_row(
    index: usize,
    event: &NewEvent,
    cause: &str,
    paths: [Option<String>; 3],
) -> EventRow {
    let [unit_path, from_path, to_path] = paths;
    EventRow {
        id: -i64::try_from(index).unwrap_or(i64::MAX - 1) - 1,
        kind: event.kind.code().to_string(),
        cause: cause.to_string(),
        date: event.date,
        unit_path,
        from_path,
        to_path,
    }
}

impl Snapshot {
    /// What the members of `before` contribute after a write that replaced the spans of `rewritten`
    /// members with `spans`, moved some stored events to other units (`moved`: event id → new
    /// unit path) and added `events`: computed from what was written, not read back.
    pub(crate) fn after_write(
        before: &Snapshot,
        rewritten: &HashSet<i64>,
        spans: Vec<SpanRow>,
        moved: &HashMap<i64, Option<String>>,
        events: Vec<EventRow>,
    ) -> Snapshot {
        let mut after = Snapshot {
            spans: before
                .spans
                .iter()
                .filter(|row| !rewritten.contains(&row.member_id))
                .cloned()
                .collect(),
            events: before
                .events
                .iter()
                .map(|row| match moved.get(&row.id) {
                    Some(path) => EventRow {
                        unit_path: path.clone(),
                        ..row.clone()
                    },
                    None => row.clone(),
                })
                .collect(),
        };
        after.spans.extend(spans);
        after.events.extend(events);
        after
    }
}

/// Reads the rows of some members, before and after a write that changes them.
pub(crate) async fn snapshot(tx: &mut Tx, member_ids: &[i64]) -> Result<Snapshot> {
    let mut out = Snapshot::default();
    for chunk in member_ids.chunks(2000) {
        let list = crate::engine::id_list(chunk);
        let spans = span_rows(tx, &format!("s.member_id IN ({list})"), &[]).await?;
        out.spans.extend(spans);
        let events = event_rows(tx, &format!("e.member_id IN ({list})"), &[]).await?;
        out.events.extend(events);
    }
    Ok(out)
}

/// Applies what changed between two snapshots of the same members to the summary tables, and
/// records what the change touched for the figure cache.
pub(crate) async fn update(tx: &mut Tx, before: Snapshot, after: Snapshot) -> Result<()> {
    let units = SummaryUnits::load(tx).await?;
    let mut deltas = Deltas::default();
    let removed: Vec<&SpanRow> = before.spans.difference(&after.spans).collect();
    let added: Vec<&SpanRow> = after.spans.difference(&before.spans).collect();
    let revised: HashSet<i64> = removed.iter().map(|row| row.member_id).collect();
    let mut touched = Vec::new();
    // Members who only gain rows (new members, most of an import): everything they contribute is
    // a change, from the first day of each row.
    for row in added.iter().filter(|row| !revised.contains(&row.member_id)) {
        deltas.add_span(&units, row, 1, &(NaiveDate::MIN..=NaiveDate::MAX));
        touched.push((row.unit_path.clone(), row.from));
    }
    // Members whose rows changed: what changed, where and from when, by day; a death in 2023
    // changes nothing before 2023 even though it ends a span begun in 2010.
    let mut changes: HashMap<(&str, u32, NaiveDate), i64> = HashMap::new();
    let revisions = removed.iter().map(|row| (*row, -1)).chain(
        added
            .iter()
            .filter(|row| revised.contains(&row.member_id))
            .map(|row| (*row, 1)),
    );
    for (row, sign) in revisions {
        for (key, day, n) in span_changes(row) {
            let key = deltas.keys.number(&key);
            *changes.entry((&row.unit_path, key, day)).or_default() += n * sign;
        }
    }
    for ((path, key, day), n) in changes {
        if n != 0 {
            deltas.add_numbered(units.holding(path), key, day, n);
            touched.push((path.to_string(), day));
        }
    }
    let changed_events = before
        .events
        .symmetric_difference(&after.events)
        .collect::<Vec<_>>();
    for row in &changed_events {
        let sign = if after.events.contains(*row) { 1 } else { -1 };
        deltas.add_event(&units, row, sign);
        for path in [&row.unit_path, &row.from_path, &row.to_path]
            .into_iter()
            .flatten()
        {
            touched.push((path.clone(), row.date));
        }
    }
    apply(tx, &deltas).await?;
    touch_many(tx, touched).await
}

/// Records that figures of the subtrees holding `path` may have changed from `date` on.
pub(crate) async fn touch(tx: &mut Tx, path: &str, date: NaiveDate) -> Result<()> {
    touch_many(tx, vec![(path.to_string(), date)]).await
}

/// Touches beyond this many distinct paths are recorded as one touch of their common ancestor.
const TOUCHED_PATHS: usize = 50;

async fn touch_many(tx: &mut Tx, touched: Vec<(String, NaiveDate)>) -> Result<()> {
    let mut earliest: BTreeMap<String, NaiveDate> = BTreeMap::new();
    for (path, date) in touched {
        let entry = earliest.entry(path).or_insert(date);
        *entry = (*entry).min(date);
    }
    if earliest.len() > TOUCHED_PATHS {
        let first = earliest.values().min().copied();
        let common = crate::tree::common_path(earliest.keys().map(String::as_str));
        earliest = first.map(|d| (common, d)).into_iter().collect();
    }
    let rows: Vec<Vec<SqlValue>> = earliest
        .into_iter()
        .map(|(path, date)| vec![path.into(), date.into()])
        .collect();
    tx.insert_rows("figure_touches", &["path", "first_date"], &rows)
        .await
}

/// Whether a change recorded after `generation` reaches the subtree at `path` on or before `end`.
pub(crate) async fn touched_since(
    tx: &mut Tx,
    generation: i64,
    path: &str,
    end: NaiveDate,
) -> Result<bool> {
    let (lo, hi) = subtree_bounds(path);
    // A touch of an ancestor (a bulk change collapsed to it) reaches every unit under it.
    let rows = fetch_all!(
        tx,
        "SELECT path FROM figure_touches WHERE id > $1 AND first_date <= $2",
        [generation, end],
        |row| row.try_get::<String, _>("path")
    )?;
    Ok(rows
        .iter()
        .any(|p| (p.as_str() >= lo.as_str() && p.as_str() < hi.as_str()) || path.starts_with(p)))
}

/// The newest touch: figures computed now are valid until a later touch reaches them. Touch ids
/// follow commit order because writers take turns (`Db::begin_write`), so no touch can commit
/// below a generation already read.
pub(crate) async fn generation(tx: &mut Tx) -> Result<i64> {
    Ok(fetch_optional!(
        tx,
        "SELECT COALESCE(MAX(id), 0) AS n FROM figure_touches",
        [],
        |row| row.try_get::<i64, _>("n")
    )?
    .unwrap_or(0))
}

/// Writes deltas: month rows as they are, year rows as running sums up to [`LAST_YEAR`].
async fn apply(tx: &mut Tx, deltas: &Deltas) -> Result<()> {
    if deltas.is_empty() {
        return Ok(());
    }
    let last_month = LAST_YEAR * 12 + 11;
    let mut month_rows = Vec::new();
    let mut by_key: HashMap<(i64, u32), BTreeMap<i32, i64>> = HashMap::new();
    for ((unit, key, month), delta) in &deltas.stock {
        if *delta == 0 || *month > last_month {
            continue;
        }
        month_rows.push(vec![
            SqlValue::from(*unit),
            deltas.keys.name(*key).to_string().into(),
            i64::from(*month).into(),
            (*delta).into(),
        ]);
        *by_key
            .entry((*unit, *key))
            .or_default()
            .entry(month.div_euclid(12))
            .or_default() += delta;
    }
    let mut year_rows = Vec::new();
    for ((unit, key), years) in by_key {
        let Some(&first) = years.keys().next() else {
            continue;
        };
        let mut running = 0;
        for year in first..=LAST_YEAR {
            running += years.get(&year).copied().unwrap_or(0);
            if running != 0 {
                year_rows.push(vec![
                    SqlValue::from(unit),
                    deltas.keys.name(key).to_string().into(),
                    i64::from(year).into(),
                    running.into(),
                ]);
            }
        }
    }
    let flow_rows: Vec<Vec<SqlValue>> = deltas
        .flows
        .iter()
        .filter(|(k, v)| **v != 0 && k.2 <= last_month)
        .map(|((unit, key, month), n)| {
            vec![
                SqlValue::from(*unit),
                deltas.keys.name(*key).to_string().into(),
                i64::from(*month).into(),
                (*n).into(),
            ]
        })
        .collect();
    tx.upsert_adding(
        "summary_stock_months",
        &["unit_id", "key", "month", "delta"],
        "unit_id, month, key",
        &month_rows,
    )
    .await?;
    tx.upsert_adding(
        "summary_stock_years",
        &["unit_id", "key", "year", "stock"],
        "unit_id, year, key",
        &year_rows,
    )
    .await?;
    tx.upsert_adding(
        "summary_flow_months",
        &["unit_id", "key", "month", "count"],
        "unit_id, month, key",
        &flow_rows,
    )
    .await
}

/// Members read at a time when the summary is rebuilt.
const REBUILD_MEMBERS: i64 = 20_000;

/// Recomputes the summary tables from every record.
pub(crate) async fn rebuild(tx: &mut Tx) -> Result<()> {
    for table in [
        "summary_stock_years",
        "summary_stock_months",
        "summary_flow_months",
    ] {
        execute!(tx, format!("DELETE FROM {table}"), [])?;
    }
    let units = SummaryUnits::load(tx).await?;
    let (low, high) = crate::members::id_range(tx).await?;
    let mut deltas = Deltas::default();
    let mut start = low;
    while start <= high {
        let end = start + REBUILD_MEMBERS;
        let range = [SqlValue::from(start), SqlValue::from(end)];
        for row in span_rows(tx, "s.member_id >= $1 AND s.member_id < $2", &range).await? {
            deltas.add_span(&units, &row, 1, &(NaiveDate::MIN..=NaiveDate::MAX));
        }
        for row in event_rows(tx, "e.member_id >= $1 AND e.member_id < $2", &range).await? {
            deltas.add_event(&units, &row, 1);
        }
        start = end;
    }
    apply(tx, &deltas).await?;
    execute!(tx, "UPDATE summary_state SET built = 1", [])?;
    Ok(())
}

/// Rebuilds the summary tables if they do not hold every record yet (after the migration that
/// made them, or after a restore).
pub(crate) async fn rebuild_if_needed(tx: &mut Tx) -> Result<()> {
    if !is_built(tx).await? {
        rebuild(tx).await?;
    }
    Ok(())
}

pub(crate) async fn is_built(tx: &mut Tx) -> Result<bool> {
    Ok(
        fetch_optional!(tx, "SELECT built FROM summary_state", [], |row| row
            .try_get::<i64, _>("built"))?
            == Some(1),
    )
}

/// The summary units, when the summary can answer for the window (built, and the dates within the
/// years it holds).
pub(crate) async fn usable(tx: &mut Tx, window: &Window) -> Result<Option<SummaryUnits>> {
    Ok(if covers(window) && is_built(tx).await? {
        Some(SummaryUnits::load(tx).await?)
    } else {
        None
    })
}

/// The summary units when `unit` is one of them and the summary can answer for the window.
pub(crate) async fn summarizing(
    tx: &mut Tx,
    unit: &Unit,
    window: &Window,
) -> Result<Option<SummaryUnits>> {
    Ok(usable(tx, window)
        .await?
        .filter(|holders| holders.contains(unit.id)))
}

/// A summary unit's stock on `date` of every key starting with `prefix`: (the rest of the key,
/// count).
pub(crate) async fn stock_of_prefix(
    tx: &mut Tx,
    holders: &SummaryUnits,
    unit: i64,
    prefix: &str,
    date: NaiveDate,
) -> Result<Vec<(String, i64)>> {
    let mut per_unit = stocks(tx, holders, &[unit], date).await?;
    Ok(per_unit
        .remove(&unit)
        .unwrap_or_default()
        .into_iter()
        .filter_map(|(key, n)| key.strip_prefix(prefix).map(|rest| (rest.to_string(), n)))
        .collect())
}

/// The summary can answer for a window when its dates fall within the years it holds.
pub(crate) fn covers(window: &Window) -> bool {
    window.as_of.year() <= LAST_YEAR && window.to.year() <= LAST_YEAR
}

fn last_of_month(date: NaiveDate) -> bool {
    date.succ_opt().is_none_or(|next| next.day() == 1)
}

fn first_of(date: NaiveDate) -> NaiveDate {
    date.with_day(1).unwrap_or(date)
}

fn last_of(date: NaiveDate) -> NaiveDate {
    first_of(date)
        .checked_add_months(Months::new(1))
        .and_then(|d| d.pred_opt())
        .unwrap_or(date)
}

type PerUnit = HashMap<i64, HashMap<String, i64>>;

/// Each unit's stock of every key on `date`.
async fn stocks(
    tx: &mut Tx,
    summary: &SummaryUnits,
    units: &[i64],
    date: NaiveDate,
) -> Result<PerUnit> {
    // The stock at the end of the month before `date` (or of `date`'s month when it is its last
    // day), then the changes of the days between.
    let whole_month = last_of_month(date);
    let through = if whole_month {
        month_of(date)
    } else {
        month_of(date) - 1
    };
    let mut out = keyed_counts(tx, stock_statement(units, through)).await?;
    if !whole_month {
        let start = first_of(date);
        let before = start.pred_opt().unwrap_or(start);
        let wanted = summary.only(units);
        let mut deltas = Deltas::default();
        for row in changing_spans(tx, before, date).await? {
            deltas.add_span(&wanted, &row, 1, &(start..=date));
        }
        deltas.add_stock_to(&mut out);
    }
    Ok(out)
}

/// Spans whose contributions may change after `before` up to `date`: those starting or ending then,
/// those of members reaching the age of a band's edge then, and those of members reaching a level
/// then.
async fn changing_spans(tx: &mut Tx, before: NaiveDate, date: NaiveDate) -> Result<Vec<SpanRow>> {
    let (sql, values) = changing_spans_statement(before, date);
    span_rows_sql(tx, sql, &values).await
}

type Statement = (String, Vec<SqlValue>);

fn stock_statement(units: &[i64], through: i32) -> Statement {
    let year = through.div_euclid(12);
    let list = crate::engine::id_list(units);
    (
        format!(
            "SELECT unit_id, key, CAST(SUM(v) AS BIGINT) AS v FROM (\
             SELECT unit_id, key, stock AS v FROM summary_stock_years WHERE unit_id IN ({list}) AND year = $1 \
             UNION ALL SELECT unit_id, key, delta AS v FROM summary_stock_months \
             WHERE unit_id IN ({list}) AND month >= $2 AND month <= $3) t GROUP BY unit_id, key"
        ),
        vec![
            i64::from(year - 1).into(),
            i64::from(year * 12).into(),
            i64::from(through).into(),
        ],
    )
}

fn flow_statement(units: &[i64], first_month: i32, last_month: i32) -> Statement {
    let list = crate::engine::id_list(units);
    (
        format!(
            "SELECT unit_id, key, CAST(SUM(count) AS BIGINT) AS v FROM summary_flow_months \
             WHERE unit_id IN ({list}) AND month >= $1 AND month <= $2 GROUP BY unit_id, key"
        ),
        vec![i64::from(first_month).into(), i64::from(last_month).into()],
    )
}

fn changing_spans_statement(before: NaiveDate, date: NaiveDate) -> Statement {
    let mut values: Vec<SqlValue> = vec![before.into(), date.into()];
    let mut births = Vec::new();
    for years in band_edges() {
        let span = Months::new(years * 12);
        // A day's margin on each side: February's 29th moves a birthday by one day.
        let (Some(lo), Some(hi)) = (
            before.checked_sub_months(span).and_then(|d| d.pred_opt()),
            date.checked_sub_months(span).and_then(|d| d.succ_opt()),
        ) else {
            continue;
        };
        values.push(lo.into());
        values.push(hi.into());
        let n = values.len();
        births.push(format!(
            "(m.birth_date >= ${} AND m.birth_date <= ${n})",
            n - 1
        ));
    }
    let mut sql = format!(
        "{SPAN_SELECT} WHERE s.status <> '' AND s.from_date > $1 AND s.from_date <= $2 \
         UNION {SPAN_SELECT} WHERE s.status <> '' AND s.to_date > $1 AND s.to_date <= $2"
    );
    sql.push_str(&format!(
        " UNION {SPAN_SELECT} WHERE s.from_date <= $2 AND (s.to_date IS NULL OR s.to_date > $1) \
         AND s.member_id IN (SELECT p.member_id FROM training_facts f JOIN persons p \
         ON p.id = f.person_id WHERE f.kind IN ('theory', 'education', 'qualification') \
         AND f.on_date > $1 AND f.on_date <= $2 AND p.member_id IS NOT NULL)"
    ));
    if !births.is_empty() {
        // Only a span lasting into the days asked for can reach an age in them.
        sql.push_str(&format!(
            " UNION {SPAN_SELECT} WHERE s.from_date <= $2 AND (s.to_date IS NULL OR s.to_date > $1) \
             AND ({})",
            births.join(" OR ")
        ));
    }
    (sql, values)
}

/// Events dated in a period, through the partial date index (its condition stated).
const EVENTS_BETWEEN: &str = "e.cause <> '' AND e.event_date >= $1 AND e.event_date <= $2";

/// The statements reading the summary of some units on a date, for the plan tests: (what, SQL,
/// parameters).
pub(crate) fn statements(units: &[i64], date: NaiveDate) -> Vec<(String, String, Vec<SqlValue>)> {
    let month = month_of(date);
    let before = first_of(date).pred_opt().unwrap_or(date);
    let (stock, stock_values) = stock_statement(units, month);
    let (flow, flow_values) = flow_statement(units, month - 12, month);
    let (spans, span_values) = changing_spans_statement(before, date);
    vec![
        (
            "units with summaries".into(),
            SUMMARY_UNITS.into(),
            Vec::new(),
        ),
        ("summary stock".into(), stock, stock_values),
        ("summary flows".into(), flow, flow_values),
        ("summary partial month: spans".into(), spans, span_values),
        (
            "summary partial month: events".into(),
            format!("{EVENT_SELECT} WHERE {EVENTS_BETWEEN}"),
            vec![before.into(), date.into()],
        ),
    ]
}

/// Runs a statement returning (unit_id, key, v) rows.
async fn keyed_counts(tx: &mut Tx, (sql, values): Statement) -> Result<PerUnit> {
    let rows = fetch_all_values!(tx, sql, &values, |row| Ok((
        row.try_get::<i64, _>("unit_id")?,
        row.try_get::<String, _>("key")?,
        row.try_get::<i64, _>("v")?
    )))?;
    let mut out: PerUnit = HashMap::new();
    for (unit, key, v) in rows {
        *out.entry(unit).or_default().entry(key).or_default() += v;
    }
    Ok(out)
}

/// Each unit's count of every flow key for the events dated from `from` to `to`.
async fn flows(
    tx: &mut Tx,
    summary: &SummaryUnits,
    units: &[i64],
    from: NaiveDate,
    to: NaiveDate,
) -> Result<PerUnit> {
    let mut out: PerUnit = HashMap::new();
    if from > to {
        return Ok(out);
    }
    // Whole months from the table, the days of partial months from the events themselves.
    let first_month = if from.day() == 1 {
        month_of(from)
    } else {
        month_of(from) + 1
    };
    let last_month = if last_of_month(to) {
        month_of(to)
    } else {
        month_of(to) - 1
    };
    let mut partial = Vec::new();
    if first_month > last_month {
        partial.push((from, to));
    } else {
        if from.day() != 1 {
            partial.push((from, last_of(from)));
        }
        if !last_of_month(to) {
            partial.push((first_of(to), to));
        }
        out = keyed_counts(tx, flow_statement(units, first_month, last_month)).await?;
    }
    let wanted = summary.only(units);
    for (a, b) in partial {
        let rows = event_rows(tx, EVENTS_BETWEEN, &[a.into(), b.into()]).await?;
        let mut deltas = Deltas::default();
        for row in &rows {
            deltas.add_event(&wanted, row, 1);
        }
        deltas.add_flows_to(&mut out);
    }
    Ok(out)
}

/// Counts of summarized units: `[unit][formula]`, for units that are all summary units.
pub(crate) async fn evaluate(
    tx: &mut Tx,
    summary: &SummaryUnits,
    units: &[i64],
    formulas: &[&Formula],
    window: &Window,
) -> Result<Vec<Vec<i64>>> {
    let empty = HashMap::new();
    let stock = if formulas.iter().any(|f| f.is_stock()) {
        stocks(tx, summary, units, window.as_of).await?
    } else {
        HashMap::new()
    };
    let flow = if formulas.iter().any(|f| !f.is_stock()) {
        flows(tx, summary, units, window.from, window.to).await?
    } else {
        HashMap::new()
    };
    Ok(units
        .iter()
        .map(|unit| {
            let s = stock.get(unit).unwrap_or(&empty);
            let f = flow.get(unit).unwrap_or(&empty);
            formulas.iter().map(|formula| formula.apply(s, f)).collect()
        })
        .collect())
}
