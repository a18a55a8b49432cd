//! Files of candidates and of their steps, read row by row through the [`AdmissionWriter`]: every
//! row is checked as a form would be (the scope and the rules of the steps included), every bad
//! row named with its column, and nothing written unless every row is good (the importer's
//! transaction is rolled back).

use dangbo_domain::admission::NominatedBy;
use dangbo_domain::members::{GeneralEducation, MemberRecord, Qualification, Sex, TheoryLevel};

use super::{AdmissionWriter, NewCandidate, StepInput};
use crate::admission::columns::parse_stage;
use crate::io::{Columns, Dataset, ImportSummary, Row, Table, refused};
use crate::{Result, StoreError, Tx};

impl AdmissionWriter<'_> {
    /// Imports a file of candidates or of their steps inside the caller's transaction.
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
        let today = chrono::Local::now().date_naive();
        for line in &table.rows {
            let mut row = Row::new(line, table, &columns, &mut errors);
            let outcome = if dataset == Dataset::CandidateSteps {
                self.import_step(tx, &mut row, today).await?
            } else {
                self.import_candidate(tx, &mut row, today).await?
            };
            match outcome {
                Some(true) => summary.created += 1,
                Some(false) => summary.unchanged += 1,
                None => {}
            }
        }
        if errors.is_empty() {
            Ok(summary)
        } else {
            Err(refused(errors))
        }
    }

    /// One candidate: `Some(true)` when filed, `Some(false)` when the same file is there already,
    /// `None` when the row is bad.
    async fn import_candidate(
        &self,
        tx: &mut Tx,
        row: &mut Row<'_>,
        today: chrono::NaiveDate,
    ) -> Result<Option<bool>> {
        let code = row.required("code");
        let name = row.required("name");
        let sex = row.required_choice("sex", Sex::parse, &Sex::expected_vi());
        let birth = row.date("birth", true);
        let general_education = row.choice(
            "education",
            GeneralEducation::parse,
            &GeneralEducation::expected_vi(),
        );
        let qualification = row.choice(
            "qualification",
            Qualification::parse,
            &Qualification::expected_vi(),
        );
        let theory_level = row.choice("theory", TheoryLevel::parse, &TheoryLevel::expected_vi());
        let nominated_by = row.required_choice(
            "nominated_by",
            NominatedBy::parse,
            &NominatedBy::expected_vi(),
        );
        let nominated_on = row.date("nominated_on", true);
        let unit = row.text("unit");
        let (Some(code), Some(full_name), Some(sex), Some(birth_date), Some(by)) =
            (code, name, sex, birth, nominated_by)
        else {
            return Ok(None);
        };
        let record = crate::members::normalise(&MemberRecord {
            code,
            full_name,
            sex,
            birth_date,
            ethnicity: row.text("ethnicity"),
            religion: row.text("religion"),
            home_town: row.text("home_town"),
            residence: row.text("residence"),
            national_id: row.text("national_id"),
            general_education,
            qualification,
            theory_level,
            occupation: row.text("occupation"),
            phone: row.text("phone"),
            card_number: String::new(),
        });
        // A file already there (an export read back) is the same file, or a row to mend.
        if let Some(existing) = self.access.candidate_in(tx, &record.code).await? {
            let first_step = crate::admission::steps_of(tx, &[existing.id])
                .await?
                .remove(&existing.id)
                .and_then(|steps| steps.into_iter().next())
                .map(|s| s.step.date());
            let same = existing.record == record
                && existing.unit_code == unit.trim()
                && existing.nominated_by == by
                && first_step == nominated_on;
            if !same {
                row.fail(
                    "code",
                    "đã có hồ sơ này với thông tin khác: sửa trên trang hồ sơ, hoặc dùng mã khác",
                );
                return Ok(None);
            }
            return Ok(Some(false));
        }
        let input = NewCandidate {
            record,
            unit,
            nominated_by: by.code().into(),
            nominated_on,
        };
        match self.add_candidate_in(tx, &input, today).await {
            Ok(_) => Ok(Some(true)),
            Err(StoreError::Fields(problems)) => {
                for (field, message) in problems {
                    let column = match field.as_str() {
                        "full_name" => "name",
                        "birth_date" => "birth",
                        other => other,
                    };
                    if !row.has_error(column) {
                        row.fail(column, message);
                    }
                }
                Ok(None)
            }
            Err(other) => Err(other),
        }
    }

    /// One step: `Some(true)` when recorded, `Some(false)` when the file has it already (same
    /// stage and day), `None` when the row is bad (a rule's refusal names the rule).
    async fn import_step(
        &self,
        tx: &mut Tx,
        row: &mut Row<'_>,
        today: chrono::NaiveDate,
    ) -> Result<Option<bool>> {
        let code = row.required("code");
        let stage_text = row.required("stage");
        let stage = stage_text.as_deref().and_then(parse_stage);
        if stage_text.is_some() && stage.is_none() {
            row.fail(
                "stage",
                format!(
                    "cần một bước: {}",
                    dangbo_domain::admission::Stage::ALL
                        .iter()
                        .map(|s| s.step_label())
                        .collect::<Vec<_>>()
                        .join("; ")
                ),
            );
        }
        let on = row.date("on", true);
        let count = |row: &mut Row<'_>, key: &str| {
            let text = row.text(key);
            if text.is_empty() {
                return None;
            }
            let parsed = text.trim().parse::<u32>().ok();
            if parsed.is_none() {
                row.fail(key, "cần số nguyên không âm");
            }
            parsed
        };
        let votes_for = count(row, "votes_for");
        let votes_against = count(row, "votes_against");
        let present = count(row, "present");
        let entitled = count(row, "entitled");
        let (Some(code), Some(stage), Some(on)) = (code, stage, on) else {
            return Ok(None);
        };
        if row.has_errors() {
            return Ok(None);
        }
        let Some(candidate) = self.access.candidate_in(tx, &code).await? else {
            row.fail("code", "không có hồ sơ này trong phạm vi của bạn");
            return Ok(None);
        };
        // A step already recorded (an export read back) is not recorded again.
        let recorded = crate::admission::steps_of(tx, &[candidate.id])
            .await?
            .remove(&candidate.id)
            .unwrap_or_default();
        let input = StepInput {
            stage: stage.code().into(),
            on: Some(on),
            certificate: row.text("certificate"),
            centre: row.text("centre"),
            votes_for,
            votes_against,
            present,
            entitled,
            over_age_approval: row.text("over_age_approval"),
            number: row.text("number"),
            committee: row.text("committee"),
            reason: row.text("reason"),
            note: row.text("note"),
        };
        // A step already recorded (an export read back) is not recorded again; one of the same
        // stage and day saying something else is a row to mend.
        if let Some(same_day) = recorded
            .iter()
            .find(|s| s.step.stage() == stage && s.step.date() == on)
        {
            let typed = super::read_step(&input, today).ok();
            if typed.as_ref() == Some(&same_day.step) {
                return Ok(Some(false));
            }
            row.fail(
                "stage",
                "hồ sơ đã có bước này ngày này với nội dung khác: sửa dòng cho khớp, hoặc bỏ dòng",
            );
            return Ok(None);
        }
        match self.record_step_in(tx, &code, &input, today).await {
            Ok(_) => Ok(Some(true)),
            Err(StoreError::Fields(problems)) => {
                for (field, message) in problems {
                    if !row.has_error(&field) {
                        row.fail(&field, message);
                    }
                }
                Ok(None)
            }
            // A rule's refusal goes on the step, with the rule's code.
            Err(StoreError::Invalid(refusal)) => {
                row.fail("stage", format!("{} [{}]", refusal.message, refusal.code));
                Ok(None)
            }
            Err(other) => Err(other),
        }
    }
}
