//! A file of inspection cases read through the [`InspectionWriter`]: one row per case subject.
//! The rows of a case must agree on the case's decision; a new case is recorded with all its
//! subjects, then each row's conclusion and discipline go through the same checks as the forms
//! (scope, authority, limitation period). A case already recorded takes the conclusions and
//! discipline it does not have yet; what it has is left as it is. Every bad row is named with
//! its column, and nothing is written unless every row is good.

use std::collections::HashMap;

use chrono::NaiveDate;
use dangbo_domain::inspection::{CaseKind, Conclusion, Discipline};
use dangbo_domain::text::fold;

use super::{CaseInput, ConclusionInput, DecisionInput, InspectionWriter, SubjectConclusion};
use crate::io::{Columns, Dataset, ImportSummary, Row, RowError, Table, refused};
use crate::{Result, StoreError, Tx};

/// One row, read.
struct Line {
    number: usize,
    case: String,
    /// The case's own columns, to check the rows of a case agree.
    decision: (String, String, String, String, Option<NaiveDate>),
    input: CaseInput,
    subject: String,
    /// Whether the subject was named in the members' column.
    member_subject: bool,
    concluded_on: Option<NaiveDate>,
    conclusion: String,
    note: String,
    discipline: Option<DecisionInput>,
}

/// The row columns a writer's field problem is about.
fn column_of(field: &str) -> &'static str {
    match field {
        "code" => "case",
        "kind" => "kind",
        "unit" => "unit",
        "body" => "body",
        "decision_number" => "decision_number",
        "decided_on" => "decided_on",
        "started_on" => "started_on",
        "topic" => "topic",
        "concluded_on" => "concluded_on",
        "form" => "form",
        "violation_on" => "violation_on",
        "decided_by" => "discipline_by",
        "reason" => "reason",
        "move_members_to" => "form",
        _ => "subject_member",
    }
}

fn read_line(row: &mut Row<'_>) -> Option<Line> {
    let case = row.required("case");
    let kind = row.required("kind");
    let unit = row.required("unit");
    let decision_number = row.required("decision_number");
    let decided_on = row.date("decided_on", true);
    let started_on = row.date("started_on", false);
    let concluded_on = row.date("concluded_on", false);
    let (unit_code, member_code) = (row.text("subject_unit"), row.text("subject_member"));
    let subject = match (unit_code.trim(), member_code.trim()) {
        ("", "") => {
            row.fail(
                "subject_member",
                "cần mã đảng viên hoặc mã đơn vị của đối tượng",
            );
            None
        }
        (u, "") => Some(u.to_string()),
        ("", m) => Some(m.to_string()),
        _ => {
            row.fail(
                "subject_member",
                "một dòng một đối tượng: để trống mã đơn vị hoặc mã đảng viên",
            );
            None
        }
    };
    let form = row.text("form");
    let discipline = if form.trim().is_empty() {
        None
    } else {
        let violation_on = row.date("violation_on", true);
        let number = row.required("discipline_number");
        let decided = row.date("discipline_on", true);
        let no_limit = match fold(row.text("no_limit").trim()).as_str() {
            "" | "khong" | "no" => false,
            "co" | "yes" | "x" => true,
            _ => {
                row.fail("no_limit", "cần «có» hoặc để trống");
                false
            }
        };
        let by = row.text("discipline_by");
        Some(DecisionInput {
            case_code: case.clone().unwrap_or_default(),
            subject: subject.clone().unwrap_or_default(),
            form: form.clone(),
            decided_by: if by.trim().is_empty() {
                unit.clone().unwrap_or_default()
            } else {
                by
            },
            body: row.text("discipline_body"),
            decision_number: number.unwrap_or_default(),
            decided_on: decided,
            violation_on,
            no_limit_kind: no_limit,
            reason: row.text("reason"),
            move_members_to: String::new(),
        })
    };
    // "Có vi phạm" says a violation; with a form of discipline it is one to be disciplined.
    let conclusion_text = row.text("conclusion");
    let conclusion = match fold(conclusion_text.trim()).as_str() {
        "" => String::new(),
        "co vi pham" if discipline.is_none() => Conclusion::Minor.code().to_string(),
        "co vi pham" => Conclusion::ToBeDisciplined.code().to_string(),
        _ => match Conclusion::parse(conclusion_text.trim()) {
            Some(c) => c.code().to_string(),
            None => {
                row.fail(
                    "conclusion",
                    format!(
                        "cần «Có vi phạm», «Không vi phạm» hoặc: {}",
                        Conclusion::expected_vi()
                    ),
                );
                String::new()
            }
        },
    };
    if !conclusion.is_empty() && concluded_on.is_none() && !row.has_error("concluded_on") {
        row.fail("concluded_on", "cần ngày kết luận khi có kết luận");
    }
    if discipline.is_some() && conclusion.is_empty() && !row.has_error("conclusion") {
        row.fail("conclusion", "kỷ luật cần kết luận «Có vi phạm»");
    }
    if discipline
        .as_ref()
        .is_some_and(|d| Discipline::parse(d.form.trim()).is_none())
    {
        row.fail(
            "form",
            format!("cần một trong: {}", Discipline::expected_vi()),
        );
    }
    if row.has_errors() {
        return None;
    }
    let (case, kind, unit, decision_number) = (case?, kind?, unit?, decision_number?);
    let body = row.text("body");
    Some(Line {
        number: row.number(),
        decision: (
            kind.clone(),
            unit.clone(),
            body.clone(),
            decision_number.clone(),
            decided_on,
        ),
        input: CaseInput {
            code: case.clone(),
            kind,
            unit,
            body,
            decision_number,
            decided_on,
            started_on,
            topic: row.text("topic"),
            plan_item: None,
            subjects: Vec::new(),
        },
        case,
        subject: subject?,
        member_subject: !member_code.trim().is_empty(),
        concluded_on,
        conclusion,
        note: row.text("conclusion_note"),
        discipline,
    })
}

impl InspectionWriter<'_> {
    /// Imports a file of cases inside the caller's transaction (the importer's, with its audit
    /// row; each case, conclusion and decision writes its own too).
    pub(in crate::access) async fn import(
        &self,
        tx: &mut Tx,
        table: &Table,
    ) -> Result<ImportSummary> {
        let columns = Columns::find(table, Dataset::Inspections).map_err(StoreError::Import)?;
        let mut errors: Vec<RowError> = Vec::new();
        let mut summary = ImportSummary {
            rows: table.rows.len(),
            ..ImportSummary::default()
        };
        let mut cases: Vec<(String, Vec<Line>)> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        for line in &table.rows {
            let mut row = Row::new(line, table, &columns, &mut errors);
            let Some(read) = read_line(&mut row) else {
                continue;
            };
            let at = *index.entry(read.case.clone()).or_insert_with(|| {
                cases.push((read.case.clone(), Vec::new()));
                cases.len() - 1
            });
            let first = cases[at].1.first();
            if let Some(first) = first {
                if first.decision != read.decision {
                    row.fail(
                        "decision_number",
                        format!(
                            "khác dòng {} của cùng vụ việc (loại, cơ quan, số, ngày quyết định phải giống nhau)",
                            first.number
                        ),
                    );
                    continue;
                }
                if cases[at].1.iter().any(|l| l.subject == read.subject) {
                    row.fail(
                        "subject_member",
                        "đối tượng đã có ở một dòng khác của vụ việc",
                    );
                    continue;
                }
            }
            cases[at].1.push(read);
        }
        let mut fail = |line: &Line, column: &str, message: String| {
            let value = if column.starts_with("subject") {
                line.subject.clone()
            } else {
                String::new()
            };
            errors.push(RowError {
                row: line.number,
                column: crate::io::export_header(column, Dataset::Inspections).to_string(),
                value,
                message,
            });
        };
        for (code, lines) in &cases {
            let existing = crate::inspection::by_code(tx, code).await?;
            match &existing {
                Some(case) if !self.access.actor.sees(&case.unit_path) => {
                    for line in lines {
                        fail(line, "case", format!("mã vụ việc «{code}» đã dùng"));
                    }
                    continue;
                }
                Some(case) => {
                    // The file's case must be the one recorded.
                    let (kind, unit, _, number, decided_on) = &lines[0].decision;
                    let same_unit = match self.access.unit_in(tx, unit).await {
                        Ok(Some(u)) => u.code == case.unit_code,
                        _ => false,
                    };
                    let differs = [
                        ("kind", CaseKind::parse(kind) != Some(case.kind)),
                        ("unit", !same_unit),
                        ("decision_number", number.trim() != case.decision_number),
                        ("decided_on", *decided_on != Some(case.decided_on)),
                    ];
                    if let Some((column, _)) = differs.iter().find(|(_, d)| *d) {
                        fail(&lines[0], column, format!("khác vụ việc «{code}» đã ghi"));
                        continue;
                    }
                    // Subjects the case does not have cannot be added by a file.
                    let mut missing = false;
                    for line in lines {
                        if !case.subjects.iter().any(|s| s.key() == line.subject) {
                            fail(
                                line,
                                "subject_member",
                                format!("vụ việc «{code}» đã ghi không có đối tượng này"),
                            );
                            missing = true;
                        }
                    }
                    if missing {
                        continue;
                    }
                }
                None => {
                    let input = CaseInput {
                        subjects: lines.iter().map(|l| l.subject.clone()).collect(),
                        ..lines[0].input.clone()
                    };
                    match self.record_case_in(tx, &input).await {
                        Ok(_) => summary.created += 1,
                        Err(StoreError::Fields(problems)) => {
                            for (field, message) in problems {
                                // A subject's problem quotes its code: on that subject's row.
                                let line = lines
                                    .iter()
                                    .find(|l| {
                                        field == "subjects"
                                            && message.contains(&format!("«{}»", l.subject))
                                    })
                                    .unwrap_or(&lines[0]);
                                let column = match (field.as_str(), line.member_subject) {
                                    ("subjects", true) => "subject_member",
                                    ("subjects", false) => "subject_unit",
                                    _ => column_of(&field),
                                };
                                fail(line, column, message);
                            }
                            continue;
                        }
                        Err(other) => return Err(other),
                    }
                }
            }
            // The conclusions the case does not have yet, on the earliest date given.
            let stored = crate::inspection::by_code(tx, code)
                .await?
                .ok_or_else(|| StoreError::NotFound(format!("vụ việc «{code}»")))?;
            let to_conclude: Vec<&Line> = lines
                .iter()
                .filter(|l| !l.conclusion.is_empty())
                .filter(|l| {
                    stored
                        .subjects
                        .iter()
                        .find(|s| s.key() == l.subject)
                        .is_some_and(|s| s.conclusion.is_none())
                })
                .collect();
            if let Some(first) = to_conclude.first() {
                let dates: Vec<Option<NaiveDate>> =
                    to_conclude.iter().map(|l| l.concluded_on).collect();
                if dates.iter().any(|d| *d != first.concluded_on) {
                    for line in &to_conclude {
                        fail(
                            line,
                            "concluded_on",
                            "các đối tượng của một vụ việc kết luận cùng ngày".into(),
                        );
                    }
                    continue;
                }
                let input = ConclusionInput {
                    concluded_on: first.concluded_on,
                    subjects: to_conclude
                        .iter()
                        .map(|l| SubjectConclusion {
                            subject: l.subject.clone(),
                            conclusion: l.conclusion.clone(),
                            note: l.note.clone(),
                        })
                        .collect(),
                };
                if let Err(error) = self.conclude_in(tx, code, &input).await {
                    match error {
                        StoreError::Fields(problems) => {
                            for (field, message) in problems {
                                fail(first, column_of(&field), message);
                            }
                            continue;
                        }
                        other => return Err(other),
                    }
                }
                summary.updated += usize::from(existing.is_some());
            }
            // Discipline not decided yet on the subject.
            let stored = crate::inspection::by_code(tx, code)
                .await?
                .ok_or_else(|| StoreError::NotFound(format!("vụ việc «{code}»")))?;
            for line in lines {
                let Some(decision) = &line.discipline else {
                    continue;
                };
                let standing = stored
                    .subjects
                    .iter()
                    .find(|s| s.key() == line.subject)
                    .is_some_and(|s| s.decisions.iter().any(|d| d.annulled_on.is_none()));
                if standing {
                    summary.unchanged += 1;
                    continue;
                }
                match self.decide_in(tx, decision).await {
                    Ok(_) => summary.events_written += 1,
                    Err(StoreError::Fields(problems)) => {
                        for (field, message) in problems {
                            fail(line, column_of(&field), message);
                        }
                    }
                    Err(StoreError::Invalid(refusal)) => fail(line, "form", refusal.message),
                    Err(StoreError::NotFound(what)) => fail(
                        line,
                        "discipline_by",
                        format!("không có {what} trong phạm vi"),
                    ),
                    Err(other) => return Err(other),
                }
            }
        }
        if errors.is_empty() {
            Ok(summary)
        } else {
            Err(refused(errors))
        }
    }
}
