//! The [`ProgrammeWriter`]: documents filed, targets set and values reported inside the scope,
//! every field checked (problems come back per field, for a form or an import row) and every
//! change audited. The forms, the API and the imports all write through it.

use chrono::{Datelike, NaiveDate};
use dangbo_domain::input::TextKind;
use dangbo_domain::programmes::{
    Attachment, Comparator, DocumentKind, DocumentNumber, Domain, measure_problem,
};
use dangbo_domain::text::format_date;
use serde_json::json;

use super::{Document, NewDocument, NewTarget};
use crate::access::Access;
// Every write says from when the figures of its subtree may change, so cached answers are dropped.
use crate::figures::summary::touch;
use crate::programmes::{self, DocumentRow, ReportedActual, TargetRow};
use crate::tree::Unit;
use crate::{Result, StoreError, Tx, figures};

/// Problems with what was typed, per field: (field, message in Vietnamese).
pub(in crate::access) type Problems = Vec<(String, String)>;

/// Files documents, sets targets and reports values for them inside the scope, each with its
/// audit row.
pub struct ProgrammeWriter<'a> {
    pub(in crate::access) access: &'a Access,
}

/// What saving one record did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(in crate::access) enum Saved {
    Created(i64),
    Updated(i64),
    Unchanged(i64),
}

impl Saved {
    pub(in crate::access) fn id(self) -> i64 {
        match self {
            Saved::Created(id) | Saved::Updated(id) | Saved::Unchanged(id) => id,
        }
    }
}

/// A document whose every field reads, its unit in scope.
pub(in crate::access) struct CheckedDocument {
    pub unit: Unit,
    pub issuing_body: String,
    pub kind: DocumentKind,
    pub number: String,
    pub title: String,
    pub signed_on: NaiveDate,
    pub valid_from: NaiveDate,
    pub valid_to: NaiveDate,
    pub domain: Domain,
}

/// A target whose every field reads, its unit and document in scope.
pub(in crate::access) struct CheckedTarget {
    pub unit: Unit,
    pub document: Document,
    pub text: String,
    pub domain: Domain,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub figure: Option<String>,
    pub comparator: Comparator,
    pub value: f64,
    /// The target it is a part of, and that target's wording.
    pub allocated_from: Option<(i64, String)>,
}

impl ProgrammeWriter<'_> {
    /// Files a directing document of a unit in scope; problems come back per field, a number the
    /// unit already used that year among them.
    pub async fn add_document(&self, input: &NewDocument) -> Result<i64> {
        let mut tx = self.access.db.begin_write().await?;
        let document = self.check_document(&mut tx, input).await?;
        let implements = self
            .implemented(&mut tx, &document, &input.implements)
            .await?;
        let saved = self
            .save_document(&mut tx, &document, implements.as_ref(), false)
            .await?;
        tx.commit().await?;
        Ok(saved.id())
    }

    /// Sets a target of a document for a unit in scope; problems come back per field: an unknown
    /// figure, a measure the figure cannot take, a period outside the document's validity.
    pub async fn add_target(&self, input: &NewTarget) -> Result<i64> {
        let mut tx = self.access.db.begin_write().await?;
        let target = self.check_target(&mut tx, input).await?;
        let saved = self.save_target(&mut tx, &target, false).await?;
        tx.commit().await?;
        Ok(saved.id())
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
        let mut tx = self.access.db.begin_write().await?;
        self.report_value_in(&mut tx, target_id, as_of, value, source)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Attaches a file (PDF or DOCX, within the size limit) to a document in scope, replacing
    /// the one it had; the problem comes back on the field `file`.
    pub async fn attach_file(&self, document_id: i64, name: &str, content: &[u8]) -> Result<()> {
        let name = name.trim();
        let mut problems = dangbo_domain::input::problems([("file", TextKind::Line, name)]);
        let kind = match Attachment::of(name, content) {
            Ok(kind) => Some(kind),
            Err(problem) => {
                problems.push(("file".into(), problem));
                None
            }
        };
        let mut tx = self.access.db.begin_write().await?;
        let Some((document, path)) = programmes::document(&mut tx, document_id)
            .await?
            .filter(|(_, path)| self.access.actor.sees(path))
        else {
            return Err(StoreError::NotFound(format!("văn bản số {document_id}")));
        };
        let (Some(kind), true) = (kind, problems.is_empty()) else {
            return Err(StoreError::Fields(problems));
        };
        let file = programmes::AttachedFile {
            name: name.to_string(),
            media_type: kind.media_type().to_string(),
            size: i64::try_from(content.len()).unwrap_or(i64::MAX),
        };
        let before = programmes::put_file(
            &mut tx,
            document.id,
            &file,
            content,
            &self.access.actor.name,
        )
        .await?;
        self.access
            .audit(
                &mut tx,
                "document.file",
                "document",
                &format!("{}|{}", document.number, document.unit_code),
                &path,
                before
                    .map(|b| json!({"name": b.name, "size": b.size}))
                    .unwrap_or(serde_json::Value::Null),
                json!({"name": file.name, "size": file.size}),
            )
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Reads a typed document: every field, the unit in scope.
    pub(in crate::access) async fn check_document(
        &self,
        tx: &mut Tx,
        input: &NewDocument,
    ) -> Result<CheckedDocument> {
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
        let unit = self.unit_for(tx, &input.unit, &mut problems).await?;
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
        Ok(CheckedDocument {
            unit,
            issuing_body: input.issuing_body.trim().to_string(),
            kind,
            number: number.to_string(),
            title: input.title.trim().to_string(),
            signed_on,
            valid_from,
            valid_to,
            domain,
        })
    }

    /// The document that `document` implements, by its number (empty: none): issued by the
    /// same unit or one above it, in scope, signed on or before it; the latest such.
    pub(in crate::access) async fn implemented(
        &self,
        tx: &mut Tx,
        document: &CheckedDocument,
        number: &str,
    ) -> Result<Option<Document>> {
        if number.trim().is_empty() {
            return Ok(None);
        }
        let number = DocumentNumber::parse(number)
            .map_err(|problem| StoreError::Fields(vec![("implements".into(), problem.0)]))?
            .to_string();
        // Not the document itself (a re-imported row naming its own number), nor one that
        // already carries it out, however far up: no document implements itself.
        let itself = |d: &Document| {
            d.unit_code == document.unit.code
                && d.issuing_body == document.issuing_body
                && d.number == document.number
                && d.signed_on.year() == document.signed_on.year()
        };
        let found = self
            .numbered_in_lineage(tx, &number, &document.unit)
            .await?
            .into_iter()
            .find(|d| d.signed_on <= document.signed_on && !itself(d));
        if let Some(candidate) = &found {
            let mut above = candidate.implements_id;
            for _ in 0..64 {
                let Some(id) = above else { break };
                match programmes::document(tx, id).await? {
                    Some((up, _)) if itself(&up) => {
                        return Err(StoreError::Fields(vec![(
                            "implements".into(),
                            format!(
                                "văn bản {} đã thực hiện (trực tiếp hoặc gián tiếp) văn bản {}: không thể thực hiện ngược lại",
                                candidate.number, document.number
                            ),
                        )]));
                    }
                    Some((up, _)) => above = up.implements_id,
                    None => break,
                }
            }
        }
        match found {
            Some(found) => Ok(Some(found)),
            None => Err(StoreError::Fields(vec![(
                "implements".into(),
                format!(
                    "không có văn bản số {number} của {} hoặc cấp trên, ban hành không sau ngày {}, trong phạm vi của bạn",
                    document.unit.code,
                    format_date(document.signed_on)
                ),
            )])),
        }
    }

    /// Files a checked document, or (with `replace`) rewrites the one the unit issued with that
    /// number that year; without it, a number taken is a problem with the number.
    pub(in crate::access) async fn save_document(
        &self,
        tx: &mut Tx,
        document: &CheckedDocument,
        implements: Option<&Document>,
        replace: bool,
    ) -> Result<Saved> {
        let year = document.signed_on.year();
        let existing = programmes::document_keyed(
            tx,
            document.unit.id,
            &document.issuing_body,
            &document.number,
            year,
        )
        .await?;
        let row = DocumentRow {
            unit: &document.unit,
            issuing_body: &document.issuing_body,
            kind: document.kind,
            number: &document.number,
            title: &document.title,
            signed_on: document.signed_on,
            valid_from: document.valid_from,
            valid_to: document.valid_to,
            domain: document.domain,
            implements_id: implements.map(|d| d.id),
            recorded_by: &self.access.actor.name,
        };
        let after = json!({
            "unit": document.unit.code,
            "issuing_body": document.issuing_body,
            "kind": document.kind.code(),
            "number": document.number,
            "title": document.title,
            "signed_on": document.signed_on,
            "valid_from": document.valid_from,
            "valid_to": document.valid_to,
            "domain": document.domain.code(),
            "implements": implements.map(|d| d.number.as_str()),
        });
        let key = format!("{}|{}|{year}", document.number, document.unit.code);
        let saved = match existing {
            Some(_) if !replace => {
                return Err(StoreError::Fields(vec![(
                    "number".into(),
                    format!(
                        "{} đã có văn bản số {} năm {year}",
                        document.unit.code, document.number
                    ),
                )]));
            }
            Some(old) => {
                let same = old.kind == document.kind
                    && old.title == document.title
                    && old.signed_on == document.signed_on
                    && old.valid_from == document.valid_from
                    && old.valid_to == document.valid_to
                    && old.domain == document.domain
                    && old.implements_id == row.implements_id;
                if same {
                    return Ok(Saved::Unchanged(old.id));
                }
                programmes::update_document(tx, old.id, &row).await?;
                touch(
                    tx,
                    &document.unit.path,
                    old.signed_on.min(document.signed_on),
                )
                .await?;
                self.access
                    .audit(
                        tx,
                        "document.update",
                        "document",
                        &key,
                        &document.unit.path,
                        json!(old),
                        after,
                    )
                    .await?;
                Saved::Updated(old.id)
            }
            None => {
                let id = programmes::insert_document(tx, &row).await?;
                touch(tx, &document.unit.path, document.signed_on).await?;
                self.access
                    .audit(
                        tx,
                        "document.add",
                        "document",
                        &key,
                        &document.unit.path,
                        serde_json::Value::Null,
                        after,
                    )
                    .await?;
                Saved::Created(id)
            }
        };
        Ok(saved)
    }

    /// Reads a typed target: every field, its unit and document in scope, its measure one the
    /// figure can take, its period inside the document's validity.
    pub(in crate::access) async fn check_target(
        &self,
        tx: &mut Tx,
        input: &NewTarget,
    ) -> Result<CheckedTarget> {
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
        let value = input.value.filter(|v| v.is_finite());
        if value.is_none() {
            problems.push(("value".into(), "cần một số".into()));
        }
        match (input.from, input.to) {
            (Some(from), Some(to)) if from > to => problems.push((
                "to".into(),
                "ngày cuối kỳ phải không trước ngày đầu kỳ".into(),
            )),
            (Some(_), Some(_)) => {}
            (None, _) => problems.push(("from".into(), "cần ngày đầu kỳ, dd/mm/yyyy".into())),
            (_, None) => problems.push(("to".into(), "cần ngày cuối kỳ, dd/mm/yyyy".into())),
        }
        let figure_key = input.figure.trim();
        let figure = if figure_key.is_empty() {
            None
        } else if dangbo_domain::programmes::figures::counts_targets(figure_key) {
            problems.push((
                "figure".into(),
                format!("chỉ tiêu không đo bằng chỉ số về chỉ tiêu («{figure_key}»)"),
            ));
            None
        } else {
            let found = figures::find_in(tx, figure_key, &self.access.actor.scope.path).await?;
            if found.is_none() {
                problems.push((
                    "figure".into(),
                    format!("chỉ số «{figure_key}» không có trong danh mục"),
                ));
            }
            found
        };
        if let (Some(figure), Some(comparator), Some(value)) = (&figure, comparator, value)
            && let Some(problem) = measure_problem(&figure.kind, comparator, value)
        {
            problems.push(("comparator".into(), problem));
        }
        let unit = self.unit_for(tx, &input.unit, &mut problems).await?;
        let document = match &unit {
            Some(unit) => {
                self.document_for(
                    tx,
                    (&input.document, input.document_id),
                    (input.from, input.to),
                    unit,
                    &mut problems,
                )
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
            unit, document, domain, comparator, value, input.from, input.to,
        )
        else {
            return Err(StoreError::Fields(problems));
        };
        if from < document.valid_from || to > document.valid_to {
            problems.push((
                "from".into(),
                format!(
                    "kỳ {} – {} ngoài hiệu lực của văn bản {} ({} – {})",
                    format_date(from),
                    format_date(to),
                    document.number,
                    format_date(document.valid_from),
                    format_date(document.valid_to)
                ),
            ));
        }
        let figure = figure.map(|f| f.key);
        let allocated_from = self
            .allocated_from(
                tx,
                input.allocated_from.trim(),
                (&document, &unit),
                (from, to),
                (figure.as_deref(), comparator),
                &mut problems,
            )
            .await?;
        if !problems.is_empty() {
            return Err(StoreError::Fields(problems));
        }
        Ok(CheckedTarget {
            unit,
            document,
            text: input.text.trim().to_string(),
            domain,
            from,
            to,
            figure,
            comparator,
            value,
            allocated_from,
        })
    }

    /// The target a part is allocated from, named by its wording: a target of the same document
    /// for a unit above the part's (the nearest such), measured by the same figure and
    /// comparator, over a period holding the part's.
    async fn allocated_from(
        &self,
        tx: &mut Tx,
        wording: &str,
        (document, unit): (&Document, &Unit),
        (from, to): (NaiveDate, NaiveDate),
        (figure, comparator): (Option<&str>, Comparator),
        problems: &mut Problems,
    ) -> Result<Option<(i64, String)>> {
        if wording.is_empty() {
            return Ok(None);
        }
        let whole = programmes::targets_of(tx, document.id)
            .await?
            .into_iter()
            .filter(|t| {
                t.text == wording
                    && unit.path.starts_with(&t.unit_path)
                    && unit.path != t.unit_path
                    && self.access.actor.sees(&t.unit_path)
            })
            // A wording repeated year after year: the whole whose period holds the part's.
            .max_by_key(|t| (t.from <= from && to <= t.to, t.unit_path.len()));
        let Some(whole) = whole else {
            problems.push((
                "allocated_from".into(),
                format!(
                    "văn bản {} không có chỉ tiêu «{wording}» của đơn vị cấp trên {} trong phạm vi của bạn",
                    document.number, unit.code
                ),
            ));
            return Ok(None);
        };
        if whole.figure_key.as_deref() != figure || whole.comparator != comparator {
            problems.push((
                "allocated_from".into(),
                format!(
                    "phần phân bổ cần cùng chỉ số và cách so sánh với chỉ tiêu «{wording}» ({} {})",
                    whole.figure_key.as_deref().unwrap_or("số báo cáo"),
                    whole.comparator.symbol()
                ),
            ));
        }
        if from < whole.from || to > whole.to {
            problems.push((
                "allocated_from".into(),
                format!(
                    "kỳ của phần phân bổ nằm ngoài kỳ của chỉ tiêu «{wording}» ({} – {})",
                    format_date(whole.from),
                    format_date(whole.to)
                ),
            ));
        }
        Ok(Some((whole.id, whole.text)))
    }

    /// Sets a checked target, or (with `replace`) rewrites the measure of the one its document
    /// already sets for the unit with that wording and period.
    pub(in crate::access) async fn save_target(
        &self,
        tx: &mut Tx,
        target: &CheckedTarget,
        replace: bool,
    ) -> Result<Saved> {
        let existing = programmes::target_keyed(
            tx,
            (target.document.id, target.unit.id),
            &target.text,
            (target.from, target.to),
        )
        .await?;
        let row = TargetRow {
            document_id: target.document.id,
            unit: &target.unit,
            text: &target.text,
            domain: target.domain,
            from: target.from,
            to: target.to,
            figure_key: target.figure.as_deref(),
            comparator: target.comparator,
            value: target.value,
            allocated_from: target.allocated_from.as_ref().map(|(id, _)| *id),
            recorded_by: &self.access.actor.name,
        };
        let after = json!({
            "document": target.document.number,
            "unit": target.unit.code,
            "text": target.text,
            "domain": target.domain.code(),
            "from": target.from,
            "to": target.to,
            "figure": target.figure,
            "comparator": target.comparator.symbol(),
            "value": target.value,
            "allocated_from": target.allocated_from.as_ref().map(|(_, text)| text),
        });
        match existing {
            Some(_) if !replace => Err(StoreError::Fields(vec![(
                "text".into(),
                format!(
                    "văn bản {} đã đặt chỉ tiêu này cho {} trong kỳ {} – {}",
                    target.document.number,
                    target.unit.code,
                    format_date(target.from),
                    format_date(target.to)
                ),
            )])),
            Some(old) => {
                let same = old.domain == target.domain
                    && old.figure_key == target.figure
                    && old.comparator == target.comparator
                    && old.value == target.value
                    && old.allocated_from == row.allocated_from;
                if same {
                    return Ok(Saved::Unchanged(old.id));
                }
                programmes::update_target(tx, old.id, &row).await?;
                touch(tx, &target.unit.path, target.from).await?;
                self.access
                    .audit(
                        tx,
                        "target.update",
                        "target",
                        &old.id.to_string(),
                        &target.unit.path,
                        json!(old),
                        after,
                    )
                    .await?;
                Ok(Saved::Updated(old.id))
            }
            None => {
                let id = programmes::insert_target(tx, &row).await?;
                touch(tx, &target.unit.path, target.from).await?;
                self.access
                    .audit(
                        tx,
                        "target.add",
                        "target",
                        &id.to_string(),
                        &target.unit.path,
                        serde_json::Value::Null,
                        after,
                    )
                    .await?;
                Ok(Saved::Created(id))
            }
        }
    }

    /// [`ProgrammeWriter::report_value`] inside the caller's transaction; `true` when it changed
    /// what was recorded.
    pub(in crate::access) async fn report_value_in(
        &self,
        tx: &mut Tx,
        target_id: i64,
        as_of: NaiveDate,
        value: f64,
        source: &str,
    ) -> Result<bool> {
        let problems = report_problems(Some(value), source);
        if !problems.is_empty() {
            return Err(StoreError::Fields(problems));
        }
        let Some(target) = programmes::target(tx, target_id)
            .await?
            .filter(|t| self.access.actor.sees(&t.unit_path))
        else {
            return Err(StoreError::NotFound(format!("chỉ tiêu số {target_id}")));
        };
        let (id, path) = (target.id, target.unit_path);
        if let Some(figure) = target.figure_key {
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
        let before = programmes::report_value(tx, id, &actual, &self.access.actor.name).await?;
        if before.as_ref() == Some(&actual) {
            return Ok(false);
        }
        touch(tx, &path, as_of).await?;
        self.access
            .audit(
                tx,
                "target.report",
                "target",
                &id.to_string(),
                &path,
                before.map(|b| json!(b)).unwrap_or(serde_json::Value::Null),
                json!(actual),
            )
            .await?;
        Ok(true)
    }

    /// What is wrong with a value reported as typed (`None`: it did not read as a number).
    pub fn report_problems(&self, value: Option<f64>, source: &str) -> Problems {
        report_problems(value, source)
    }

    /// A unit in scope by code or exact name, as a problem with `unit` when there is none (the
    /// whole database is no issuer).
    pub(in crate::access) async fn unit_for(
        &self,
        tx: &mut Tx,
        code: &str,
        problems: &mut Problems,
    ) -> Result<Option<Unit>> {
        let found = match self.access.unit_in(tx, code).await {
            Ok(found) => found,
            Err(StoreError::Invalid(refusal)) => {
                problems.push(("unit".into(), refusal.message));
                return Ok(None);
            }
            Err(other) => return Err(other),
        };
        match found {
            Some(unit) if !unit.is_whole_database() => Ok(Some(unit)),
            _ => {
                problems.push((
                    "unit".into(),
                    format!("không có đơn vị «{}» trong phạm vi của bạn", code.trim()),
                ));
                Ok(None)
            }
        }
    }

    /// The documents with this number issued by `unit` or a unit above it, inside the scope,
    /// newest first.
    async fn numbered_in_lineage(
        &self,
        tx: &mut Tx,
        number: &str,
        unit: &Unit,
    ) -> Result<Vec<Document>> {
        let lineage: Vec<i64> = unit
            .path
            .split('/')
            .filter_map(|id| id.parse::<i64>().ok())
            .collect();
        Ok(programmes::documents_numbered(tx, number, &lineage)
            .await?
            .into_iter()
            .filter(|(_, path)| self.access.actor.sees(path))
            .map(|(document, _)| document)
            .collect())
    }

    /// The document a target names by its number: issued by the target's unit or one above it,
    /// inside the scope, valid over the target's period when several carry the number.
    pub(in crate::access) async fn document_for(
        &self,
        tx: &mut Tx,
        named: (&str, Option<i64>),
        period: (Option<NaiveDate>, Option<NaiveDate>),
        unit: &Unit,
        problems: &mut Problems,
    ) -> Result<Option<Document>> {
        let (number, document_id) = named;
        if let Some(id) = document_id {
            let found = programmes::document(tx, id)
                .await?
                .filter(|(_, path)| self.access.actor.sees(path));
            return Ok(match found {
                Some((document, path)) if unit.path.starts_with(&path) => Some(document),
                Some((document, _)) => {
                    problems.push((
                        "unit".into(),
                        format!(
                            "{} không thuộc {}, đơn vị ban hành văn bản {}",
                            unit.code, document.unit_code, document.number
                        ),
                    ));
                    None
                }
                None => {
                    problems.push(("document".into(), format!("không có văn bản số {id}")));
                    None
                }
            });
        }
        let number = match DocumentNumber::parse(number) {
            Ok(number) => number.to_string(),
            Err(problem) => {
                problems.push(("document".into(), problem.0));
                return Ok(None);
            }
        };
        let mut found = self.numbered_in_lineage(tx, &number, unit).await?;
        if let (Some(from), Some(to)) = period
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
                        unit.code, self.access.actor.scope.name
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
                            .map(|d| format!("{} ngày {}", d.unit_code, format_date(d.signed_on)))
                            .collect::<Vec<_>>()
                            .join("; ")
                    ),
                ));
                Ok(None)
            }
        }
    }
}

fn report_problems(value: Option<f64>, source: &str) -> Problems {
    let mut problems = dangbo_domain::input::problems([("source", TextKind::Line, source)]);
    if source.trim().is_empty() {
        problems.push((
            "source".into(),
            "cần nguồn số liệu (ví dụ: Báo cáo số 12-BC/UBND)".into(),
        ));
    }
    if !value.is_some_and(f64::is_finite) {
        problems.push(("value".into(), "cần một số".into()));
    }
    problems
}
