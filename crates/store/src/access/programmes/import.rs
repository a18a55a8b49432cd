//! Files of documents, targets and tasks, read row by row through the [`ProgrammeWriter`]: every row is
//! checked as a form would be (the scope included), every bad row named with its column, and
//! nothing written unless every row is good (the importer's transaction is rolled back).

use std::collections::HashMap;

use dangbo_domain::text::{format_date, read_number};

use super::writer::{ProgrammeWriter, Saved};
use super::{NewDocument, NewTarget, NewTask, NewTaskReport};
use crate::io::{Columns, Dataset, ImportSummary, Row, RowError, Table, refused};
use crate::{Result, StoreError, Tx};

impl ProgrammeWriter<'_> {
    /// Imports a file of documents or targets inside the caller's transaction.
    pub(in crate::access) async fn import(
        &self,
        tx: &mut Tx,
        dataset: Dataset,
        table: &Table,
    ) -> Result<ImportSummary> {
        let columns = Columns::find(table, dataset).map_err(StoreError::Import)?;
        let mut errors = Vec::new();
        let mut summary = ImportSummary {
            rows: table.rows.len(),
            ..ImportSummary::default()
        };
        match dataset {
            Dataset::Targets => {
                self.import_targets(tx, table, &columns, &mut errors, &mut summary)
                    .await?
            }
            Dataset::Tasks => {
                self.import_tasks(tx, table, &columns, &mut errors, &mut summary)
                    .await?
            }
            _ => {
                self.import_documents(tx, table, &columns, &mut errors, &mut summary)
                    .await?
            }
        }
        if errors.is_empty() {
            Ok(summary)
        } else {
            Err(refused(errors))
        }
    }

    /// Documents in two passes: each row filed, then each named implemented document looked up,
    /// so that a programme may come before the resolution it implements in the file.
    async fn import_documents(
        &self,
        tx: &mut Tx,
        table: &Table,
        columns: &Columns,
        errors: &mut Vec<RowError>,
        summary: &mut ImportSummary,
    ) -> Result<()> {
        let mut filed = Vec::new();
        let mut seen: HashMap<(String, String, String, i32), usize> = HashMap::new();
        for line in &table.rows {
            let mut row = Row::new(line, table, columns, errors);
            let input = NewDocument {
                unit: row.text("unit"),
                issuing_body: row.text("issuing_body"),
                kind: row.text("kind"),
                number: row.text("number"),
                title: row.text("title"),
                signed_on: row.date("signed_on", true),
                valid_from: row.date("valid_from", true),
                valid_to: row.date("valid_to", true),
                domain: row.text("domain"),
                implements: String::new(),
            };
            let checked = match self.check_document(tx, &input).await {
                Ok(checked) => checked,
                Err(StoreError::Fields(problems)) => {
                    fail_all(&mut row, problems);
                    continue;
                }
                Err(other) => return Err(other),
            };
            let key = (
                checked.unit.code.clone(),
                checked.issuing_body.clone(),
                checked.number.clone(),
                chrono::Datelike::year(&checked.signed_on),
            );
            if let Some(first) = seen.insert(key, line.0) {
                row.fail(
                    "number",
                    format!("văn bản này đã có ở dòng {first} của tệp"),
                );
                continue;
            }
            filed.push((line, checked, row.text("implements")));
        }
        if !errors.is_empty() {
            return Ok(());
        }
        // A document whose implemented one exists already is filed with the link; the others
        // without it first, and linked once every document of the file exists.
        let mut unlinked = Vec::new();
        for (line, checked, implements) in filed {
            match self.implemented(tx, &checked, &implements).await {
                Ok(link) => {
                    let saved = self
                        .save_document(tx, &checked, link.as_ref(), true)
                        .await?;
                    count(summary, saved);
                }
                Err(StoreError::Fields(_)) => {
                    let first = self.save_document(tx, &checked, None, true).await?;
                    unlinked.push((line, checked, implements, first));
                }
                Err(other) => return Err(other),
            }
        }
        for (line, checked, implements, first) in unlinked {
            let mut row = Row::new(line, table, columns, errors);
            match self.implemented(tx, &checked, &implements).await {
                Ok(link) => {
                    self.save_document(tx, &checked, link.as_ref(), true)
                        .await?;
                    count(summary, first);
                }
                Err(StoreError::Fields(problems)) => fail_all(&mut row, problems),
                Err(other) => return Err(other),
            }
        }
        Ok(())
    }

    /// Targets in file order, a part of another target after that one: a row naming the target
    /// it is allocated from waits, round after round, until that target is set.
    async fn import_targets(
        &self,
        tx: &mut Tx,
        table: &Table,
        columns: &Columns,
        errors: &mut Vec<RowError>,
        summary: &mut ImportSummary,
    ) -> Result<()> {
        let mut seen: HashMap<i64, usize> = HashMap::new();
        let mut pending: Vec<&(usize, Vec<String>)> = table.rows.iter().collect();
        let mut last_round = false;
        while !pending.is_empty() {
            let before = pending.len();
            let mut waiting = Vec::new();
            for line in pending {
                let mut row = Row::new(line, table, columns, errors);
                let waits = self
                    .import_target_row(tx, &mut row, summary, &mut seen, last_round)
                    .await?;
                if waits {
                    waiting.push(line);
                }
            }
            last_round = waiting.len() == before;
            pending = waiting;
        }
        Ok(())
    }

    /// One row of a targets file; `true` when it waits for the target it is allocated from
    /// (never on the last round, which names the problem instead).
    async fn import_target_row(
        &self,
        tx: &mut Tx,
        row: &mut Row<'_>,
        summary: &mut ImportSummary,
        seen: &mut HashMap<i64, usize>,
        last_round: bool,
    ) -> Result<bool> {
        let value = number(row, "value");
        let input = NewTarget {
            document: row.text("document"),
            document_id: None,
            unit: row.text("unit"),
            text: row.text("text"),
            domain: row.text("domain"),
            from: row.date("from", true),
            to: row.date("to", true),
            figure: row.text("figure"),
            comparator: row.text("comparator"),
            value,
            allocated_from: row.text("allocated_from"),
        };
        let reported = number(row, "reported");
        let as_of = row.date("as_of", false).or(input.to);
        let source = row.text("source");
        let checked = match self.check_target(tx, &input).await {
            Ok(checked) => checked,
            Err(StoreError::Fields(problems)) => {
                let only_the_whole = problems.iter().all(|(f, _)| f == "allocated_from");
                if only_the_whole && !row.has_errors() && !last_round {
                    return Ok(true);
                }
                fail_all(row, problems);
                return Ok(false);
            }
            Err(other) => return Err(other),
        };
        if reported.is_some() && checked.figure.is_some() {
            row.fail(
                "reported",
                "chỉ tiêu gắn chỉ số được tính từ hồ sơ; để trống «Giá trị báo cáo» hoặc bỏ «Chỉ số»",
            );
            return Ok(false);
        }
        if reported.is_none() && !source.is_empty() && row.text("reported").is_empty() {
            row.fail(
                "source",
                "có nguồn số liệu nhưng không có «Giá trị báo cáo»",
            );
            return Ok(false);
        }
        let saved = self.save_target(tx, &checked, true).await?;
        if let Some(first) = seen.insert(saved.id(), row.number()) {
            row.fail("text", format!("chỉ tiêu này đã có ở dòng {first} của tệp"));
            return Ok(false);
        }
        let mut changed_value = false;
        if let (Some(value), Some(as_of)) = (reported, as_of) {
            match self
                .report_value_in(tx, saved.id(), as_of, value, &source)
                .await
            {
                Ok(changed) => changed_value = changed,
                Err(StoreError::Fields(problems)) => {
                    for (field, message) in problems {
                        let column = if field == "value" {
                            "reported"
                        } else {
                            field.as_str()
                        };
                        row.fail(column, message);
                    }
                    return Ok(false);
                }
                Err(other) => return Err(other),
            }
        }
        match saved {
            Saved::Unchanged(id) if changed_value => count(summary, Saved::Updated(id)),
            saved => count(summary, saved),
        }
        Ok(false)
    }
}

impl ProgrammeWriter<'_> {
    /// Tasks by their document, unit and wording; a `Ngày hoàn thành` records the task done that
    /// day (once: a task already done on another day is a bad row).
    async fn import_tasks(
        &self,
        tx: &mut Tx,
        table: &Table,
        columns: &Columns,
        errors: &mut Vec<RowError>,
        summary: &mut ImportSummary,
    ) -> Result<()> {
        let today = chrono::Local::now().date_naive();
        let mut seen: HashMap<i64, usize> = HashMap::new();
        for line in &table.rows {
            let mut row = Row::new(line, table, columns, errors);
            let input = NewTask {
                document: row.text("document"),
                document_id: None,
                unit: row.text("unit"),
                text: row.text("text"),
                owner: row.text("owner"),
                assigned_on: row.date("assigned_on", false),
                deadline: row.date("deadline", true),
            };
            let done_on = row.date("done_on", false);
            let checked = match self.check_task(tx, &input).await {
                Ok(checked) => checked,
                Err(StoreError::Fields(problems)) => {
                    fail_all(&mut row, problems);
                    continue;
                }
                Err(other) => return Err(other),
            };
            let saved = self.save_task(tx, &checked, true).await?;
            if let Some(first) = seen.insert(saved.id(), line.0) {
                row.fail("text", format!("nhiệm vụ này đã có ở dòng {first} của tệp"));
                continue;
            }
            let recorded = crate::programmes::tasks::task(tx, saved.id())
                .await?
                .and_then(|t| t.done_on);
            let mut finished = false;
            match (done_on, recorded) {
                (Some(day), Some(done)) if day != done => {
                    row.fail(
                        "done_on",
                        format!("nhiệm vụ đã ghi hoàn thành ngày {}", format_date(done)),
                    );
                    continue;
                }
                (Some(day), None) => {
                    let report = NewTaskReport {
                        reported_on: Some(day),
                        state: "done".into(),
                        note: String::new(),
                    };
                    match self.report_task_in(tx, saved.id(), &report, today).await {
                        Ok(()) => finished = true,
                        Err(StoreError::Fields(problems)) => {
                            for (field, message) in problems {
                                let column = if field == "reported_on" {
                                    "done_on"
                                } else {
                                    field.as_str()
                                };
                                row.fail(column, message);
                            }
                            continue;
                        }
                        Err(other) => return Err(other),
                    }
                }
                _ => {}
            }
            match saved {
                Saved::Unchanged(id) if finished => count(summary, Saved::Updated(id)),
                saved => count(summary, saved),
            }
        }
        Ok(())
    }
}

fn count(summary: &mut ImportSummary, saved: Saved) {
    match saved {
        Saved::Created(_) => summary.created += 1,
        Saved::Updated(_) => summary.updated += 1,
        Saved::Unchanged(_) => summary.unchanged += 1,
    }
}

/// A number cell read the Vietnamese way (`1.250`, `85,5`); an error on the row when it does
/// not read; `None` when empty too.
fn number(row: &mut Row<'_>, key: &str) -> Option<f64> {
    let text = row.text(key);
    if text.is_empty() {
        return None;
    }
    let value = read_number(&text);
    if value.is_none() {
        row.fail(
            key,
            "cần một số (dấu phẩy trước phần thập phân, dấu chấm giữa hàng nghìn: 1.250; 85,5)",
        );
    }
    value
}

/// The writer's problems with a row, each on its column; a column whose cell did not read (a
/// date, a number) was already named, and the writer's "needs a date" about it is left out.
fn fail_all(row: &mut Row<'_>, problems: Vec<(String, String)>) {
    for (field, message) in problems {
        if !row.has_error(&field) {
            row.fail(&field, message);
        }
    }
}
