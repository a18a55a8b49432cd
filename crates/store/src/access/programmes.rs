//! Work programmes through the scope: documents and targets of units in scope, each target judged
//! from the figure it is bound to (or the values people reported), and the [`ProgrammeWriter`].

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate};
use dangbo_domain::access::Capability;
use dangbo_domain::figures::{Definition, Value, Window};
use dangbo_domain::input::TextKind;
use dangbo_domain::programmes::{
    Assessment, Comparator, DocumentKind, DocumentNumber, Domain, TargetResult, assess,
};
use serde::Serialize;
use serde_json::json;

use super::Access;
use crate::programmes::{self, DocumentRow, ReportedActual, TargetRow};
use crate::tree::Unit;
use crate::{Result, StoreError, Tx, figures};

pub use crate::programmes::{Document, Target};

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

/// Files documents, sets targets and reports values for them inside the scope, each with its
/// audit row.
pub struct ProgrammeWriter<'a> {
    access: &'a Access,
}

impl ProgrammeWriter<'_> {
    /// Files a directing document of a unit in scope; problems come back per field.
    pub async fn add_document(&self, input: &NewDocument) -> Result<i64> {
        let mut problems = dangbo_domain::input::problems([
            ("title", TextKind::Line, input.title.as_str()),
            ("issuing_body", TextKind::Line, input.issuing_body.as_str()),
        ]);
        let kind = DocumentKind::parse(&input.kind);
        if kind.is_none() {
            problems.push((
                "kind".into(),
                format!("cần một trong: {}", DocumentKind::expected_vi()),
            ));
        }
        let number = match DocumentNumber::parse(&input.number) {
            Ok(number) => Some(number),
            Err(problem) => {
                problems.push(("number".into(), problem.0));
                None
            }
        };
        if let (Some(kind), Some(number)) = (kind, &number)
            && !number.fits(kind)
        {
            problems.push((
                "number".into(),
                format!(
                    "số văn bản {number} mang chữ «{}», không phải «{}» của {}",
                    number.kind,
                    kind.abbreviation(),
                    kind.label_vi().to_lowercase()
                ),
            ));
        }
        if input.title.trim().is_empty() {
            problems.push(("title".into(), "cần trích yếu của văn bản".into()));
        }
        let domain = Domain::parse(&input.domain);
        if domain.is_none() {
            problems.push((
                "domain".into(),
                format!("cần một trong: {}", Domain::expected_vi()),
            ));
        }
        for (field, value) in [
            ("signed_on", input.signed_on),
            ("valid_from", input.valid_from),
            ("valid_to", input.valid_to),
        ] {
            if value.is_none() {
                problems.push((field.into(), "cần ngày dạng dd/mm/yyyy".into()));
            }
        }
        if let (Some(from), Some(to)) = (input.valid_from, input.valid_to)
            && from > to
        {
            problems.push((
                "valid_to".into(),
                "hiệu lực đến phải không trước hiệu lực từ".into(),
            ));
        }
        let mut tx = self.access.db.begin_write().await?;
        let unit = self.access.unit_in(&mut tx, &input.unit).await?;
        let unit = match unit {
            Some(unit) if !unit.is_whole_database() => Some(unit),
            _ => {
                problems.push((
                    "unit".into(),
                    format!(
                        "không có đơn vị «{}» trong phạm vi của bạn",
                        input.unit.trim()
                    ),
                ));
                None
            }
        };
        let (
            Some(unit),
            Some(kind),
            Some(number),
            Some(domain),
            Some(signed_on),
            Some(valid_from),
            Some(valid_to),
        ) = (
            unit,
            kind,
            number,
            domain,
            input.signed_on,
            input.valid_from,
            input.valid_to,
        )
        else {
            return Err(StoreError::Fields(problems));
        };
        if !problems.is_empty() {
            return Err(StoreError::Fields(problems));
        }
        let number = number.to_string();
        let issuing_body = input.issuing_body.trim();
        let title = input.title.trim();
        let id = programmes::insert_document(
            &mut tx,
            &DocumentRow {
                unit: &unit,
                issuing_body,
                kind,
                number: &number,
                title,
                signed_on,
                valid_from,
                valid_to,
                domain,
                recorded_by: &self.access.actor.name,
            },
        )
        .await?;
        self.access
            .audit(
                &mut tx,
                "document.add",
                "document",
                &format!("{number}|{}|{}", unit.code, signed_on.year()),
                &unit.path,
                serde_json::Value::Null,
                json!({
                    "unit": unit.code,
                    "issuing_body": issuing_body,
                    "kind": kind.code(),
                    "number": number,
                    "title": title,
                    "signed_on": signed_on,
                    "valid_from": valid_from,
                    "valid_to": valid_to,
                    "domain": domain.code(),
                }),
            )
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Sets a target of a document for a unit in scope; problems come back per field: an unknown
    /// figure, a comparator that does not read, a period outside the document's validity.
    pub async fn add_target(&self, input: &NewTarget) -> Result<i64> {
        let mut problems =
            dangbo_domain::input::problems([("text", TextKind::Line, input.text.as_str())]);
        if input.text.trim().is_empty() {
            problems.push((
                "text".into(),
                "cần nội dung chỉ tiêu như văn bản viết".into(),
            ));
        }
        let domain = Domain::parse(&input.domain);
        if domain.is_none() {
            problems.push((
                "domain".into(),
                format!("cần một trong: {}", Domain::expected_vi()),
            ));
        }
        let comparator = Comparator::parse(&input.comparator);
        if comparator.is_none() {
            problems.push((
                "comparator".into(),
                format!(
                    "cần một trong: {}",
                    Comparator::ALL.map(Comparator::symbol).join(" ")
                ),
            ));
        }
        if !input.value.is_some_and(f64::is_finite) {
            problems.push(("value".into(), "cần một số".into()));
        }
        match (input.from, input.to) {
            (Some(from), Some(to)) if from > to => problems.push((
                "to".into(),
                "ngày cuối kỳ phải không trước ngày đầu kỳ".into(),
            )),
            (Some(_), Some(_)) => {}
            _ => problems.push(("from".into(), "cần kỳ: từ ngày và đến ngày".into())),
        }
        let mut tx = self.access.db.begin_write().await?;
        let figure_key = input.figure.trim();
        if !figure_key.is_empty()
            && figures::find_in(&mut tx, figure_key, &self.access.actor.scope.path)
                .await?
                .is_none()
        {
            problems.push((
                "figure".into(),
                format!("chỉ tiêu «{figure_key}» không có trong danh mục"),
            ));
        }
        let unit = match self.access.unit_in(&mut tx, &input.unit).await? {
            Some(unit) if !unit.is_whole_database() => Some(unit),
            _ => {
                problems.push((
                    "unit".into(),
                    format!(
                        "không có đơn vị «{}» trong phạm vi của bạn",
                        input.unit.trim()
                    ),
                ));
                None
            }
        };
        let document = match &unit {
            Some(unit) => {
                self.document_for(&mut tx, input, unit, &mut problems)
                    .await?
            }
            None => None,
        };
        let (
            Some(unit),
            Some(document),
            Some(domain),
            Some(comparator),
            Some(value),
            Some(from),
            Some(to),
        ) = (
            unit,
            document,
            domain,
            comparator,
            input.value,
            input.from,
            input.to,
        )
        else {
            return Err(StoreError::Fields(problems));
        };
        if from < document.valid_from || to > document.valid_to {
            problems.push((
                "from".into(),
                format!(
                    "kỳ {} – {} ngoài hiệu lực của văn bản {} ({} – {})",
                    dangbo_domain::text::format_date(from),
                    dangbo_domain::text::format_date(to),
                    document.number,
                    dangbo_domain::text::format_date(document.valid_from),
                    dangbo_domain::text::format_date(document.valid_to)
                ),
            ));
        }
        if !problems.is_empty() {
            return Err(StoreError::Fields(problems));
        }
        let text = input.text.trim();
        let figure = Some(figure_key).filter(|k| !k.is_empty());
        let id = programmes::insert_target(
            &mut tx,
            &TargetRow {
                document_id: document.id,
                unit: &unit,
                text,
                domain,
                from,
                to,
                figure_key: figure,
                comparator,
                value,
                recorded_by: &self.access.actor.name,
            },
        )
        .await?;
        self.access
            .audit(
                &mut tx,
                "target.add",
                "target",
                &id.to_string(),
                &unit.path,
                serde_json::Value::Null,
                json!({
                    "document": document.number,
                    "unit": unit.code,
                    "text": text,
                    "domain": domain.code(),
                    "from": from,
                    "to": to,
                    "figure": figure,
                    "comparator": comparator.symbol(),
                    "value": value,
                }),
            )
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The document a target names by its number: issued by the target's unit or one above it,
    /// inside the scope, valid over the target's period when several carry the number.
    async fn document_for(
        &self,
        tx: &mut Tx,
        input: &NewTarget,
        unit: &Unit,
        problems: &mut Vec<(String, String)>,
    ) -> Result<Option<Document>> {
        let number = match DocumentNumber::parse(&input.document) {
            Ok(number) => number.to_string(),
            Err(problem) => {
                problems.push(("document".into(), problem.0));
                return Ok(None);
            }
        };
        let scope = &self.access.actor.scope;
        // The unit and those above it, as far as the scope reaches.
        let lineage: Vec<i64> = unit
            .path
            .split('/')
            .filter_map(|id| id.parse::<i64>().ok())
            .collect();
        let mut found: Vec<Document> = programmes::documents_numbered(tx, &number, &lineage)
            .await?
            .into_iter()
            .filter(|(_, path)| self.access.actor.sees(path))
            .map(|(document, _)| document)
            .collect();
        if let (Some(from), Some(to)) = (input.from, input.to)
            && found.len() > 1
        {
            found.retain(|d| d.valid_from <= from && to <= d.valid_to);
        }
        match found.len() {
            0 => {
                problems.push((
                    "document".into(),
                    format!(
                        "không có văn bản số {number} của {} hoặc cấp trên trong phạm vi {}",
                        unit.code, scope.name
                    ),
                ));
                Ok(None)
            }
            1 => Ok(found.pop()),
            n => {
                problems.push((
                    "document".into(),
                    format!(
                        "có {n} văn bản số {number} còn hiệu lực trong kỳ này ({}): hãy ghi kỳ nằm trong hiệu lực của một văn bản",
                        found
                            .iter()
                            .map(|d| format!("{} ngày {}", d.unit_code, dangbo_domain::text::format_date(d.signed_on)))
                            .collect::<Vec<_>>()
                            .join("; ")
                    ),
                ));
                Ok(None)
            }
        }
    }

    /// Reports the value of a target judged on reported values, as of a date, with the document
    /// it comes from (a second report on the same date corrects the first).
    pub async fn report_value(
        &self,
        target_id: i64,
        as_of: NaiveDate,
        value: f64,
        source: &str,
    ) -> Result<()> {
        let mut problems = dangbo_domain::input::problems([("source", TextKind::Line, source)]);
        if source.trim().is_empty() {
            problems.push((
                "source".into(),
                "cần nguồn số liệu (ví dụ: Báo cáo số 12-BC/UBND)".into(),
            ));
        }
        if !value.is_finite() {
            problems.push(("value".into(), "cần một số".into()));
        }
        if !problems.is_empty() {
            return Err(StoreError::Fields(problems));
        }
        let mut tx = self.access.db.begin_write().await?;
        let Some((id, path, figure)) = programmes::target(&mut tx, target_id)
            .await?
            .filter(|(_, path, _)| self.access.actor.sees(path))
        else {
            return Err(StoreError::NotFound(format!("chỉ tiêu số {target_id}")));
        };
        if let Some(figure) = figure {
            return Err(StoreError::Fields(vec![(
                "value".into(),
                format!("chỉ tiêu này tính từ hồ sơ («{figure}»), không nhập số báo cáo"),
            )]));
        }
        let actual = ReportedActual {
            as_of,
            value,
            source: source.trim().to_string(),
        };
        let before =
            programmes::report_value(&mut tx, id, &actual, &self.access.actor.name).await?;
        self.access
            .audit(
                &mut tx,
                "target.report",
                "target",
                &id.to_string(),
                &path,
                before.map(|b| json!(b)).unwrap_or(serde_json::Value::Null),
                json!(actual),
            )
            .await?;
        tx.commit().await?;
        Ok(())
    }
}
