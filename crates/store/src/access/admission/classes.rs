//! Awareness classes through the scope: the classes of units in scope with their trainees, and
//! the writer's part that adds a class and its trainees. A candidate who passes is given the
//! awareness-class step of their file when that is the step the file waits for.

use chrono::NaiveDate;
use dangbo_domain::admission::{ClassResult, Stage};
use dangbo_domain::input::TextKind;
use serde_json::json;

use super::{AdmissionWriter, StepInput};
use crate::access::Access;
use crate::admission::classes::{self, ClassRow, TraineeRow};
use crate::tree::Unit;
use crate::{Result, StoreError};

pub use crate::admission::classes::{AwarenessClass, Trainee};

/// A class to add, as typed.
#[derive(Debug, Clone, Default)]
pub struct NewClass {
    /// The organizing unit's code or exact name.
    pub unit: String,
    pub name: String,
    pub organizer: String,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    pub place: String,
}

/// A trainee to add, as typed: a candidate's file code, or a name (and birth date) for someone
/// without a file here.
#[derive(Debug, Clone, Default)]
pub struct NewTrainee {
    pub candidate: String,
    pub full_name: String,
    pub birth_date: Option<NaiveDate>,
    pub result: String,
    pub certificate: String,
}

impl Access {
    /// The classes organized in a unit's subtree (in scope) ending within the period, latest
    /// first; `None` for a unit out of scope.
    pub async fn awareness_classes(
        &self,
        unit_code: &str,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Option<(Unit, Vec<AwarenessClass>)>> {
        let mut tx = self.read().await?;
        let Some(unit) = self.unit_in(&mut tx, unit_code).await? else {
            tx.rollback().await?;
            return Ok(None);
        };
        let list = classes::classes_under(&mut tx, &unit.path, from, to).await;
        tx.rollback().await?;
        Ok(Some((unit, list?)))
    }

    /// Whether a class is in scope (the light check before a write's form is read).
    pub async fn sees_class(&self, id: i64) -> Result<bool> {
        let mut tx = self.read().await?;
        let class = classes::class(&mut tx, id).await;
        tx.rollback().await?;
        Ok(class?.is_some_and(|c| self.actor.sees(&c.unit_path)))
    }

    /// A class in scope with its trainees.
    pub async fn awareness_class(&self, id: i64) -> Result<Option<(AwarenessClass, Vec<Trainee>)>> {
        let mut tx = self.read().await?;
        let found = match classes::class(&mut tx, id).await? {
            Some(class) if self.actor.sees(&class.unit_path) => {
                let trainees = classes::trainees(&mut tx, id).await?;
                Some((class, trainees))
            }
            _ => None,
        };
        tx.rollback().await?;
        Ok(found)
    }
}

impl AdmissionWriter<'_> {
    /// Adds a class of a unit in scope; problems come back per field.
    pub async fn add_class(&self, input: &NewClass) -> Result<i64> {
        let mut problems = dangbo_domain::input::problems([
            ("name", TextKind::Line, input.name.as_str()),
            ("organizer", TextKind::Line, input.organizer.as_str()),
            ("place", TextKind::Line, input.place.as_str()),
        ]);
        if input.name.trim().is_empty() {
            problems.push(("name".into(), "cần tên lớp".into()));
        }
        if input.organizer.trim().is_empty() {
            problems.push((
                "organizer".into(),
                "cần nơi tổ chức (trung tâm chính trị, đảng ủy…)".into(),
            ));
        }
        for (field, value) in [("starts_on", input.starts_on), ("ends_on", input.ends_on)] {
            if value.is_none() {
                problems.push((field.into(), "cần ngày dạng dd/mm/yyyy".into()));
            }
        }
        if let (Some(start), Some(end)) = (input.starts_on, input.ends_on)
            && end < start
        {
            problems.push((
                "ends_on".into(),
                "ngày kết thúc trước ngày khai giảng".into(),
            ));
        }
        let mut tx = self.access.db.begin_write().await?;
        let unit = self.access.unit_in(&mut tx, &input.unit).await?;
        let unit = match unit {
            Some(unit) if !unit.is_whole_database() => Some(unit),
            _ => {
                problems.push((
                    "unit".into(),
                    "không có đơn vị này trong phạm vi của bạn".into(),
                ));
                None
            }
        };
        let (Some(unit), Some(starts_on), Some(ends_on), true) =
            (unit, input.starts_on, input.ends_on, problems.is_empty())
        else {
            return Err(StoreError::Fields(problems));
        };
        let text = dangbo_domain::text::clean;
        let row = ClassRow {
            unit: &unit,
            name: &text(&input.name),
            organizer: &text(&input.organizer),
            starts_on,
            ends_on,
            place: &text(&input.place),
        };
        let id = classes::insert_class(&mut tx, &row, &self.access.actor.name).await?;
        crate::figures::summary::touch(&mut tx, &unit.path, ends_on).await?;
        self.access
            .audit(
                &mut tx,
                "class.add",
                "awareness_class",
                &id.to_string(),
                &unit.path,
                serde_json::Value::Null,
                json!({ "name": row.name, "organizer": row.organizer, "starts_on": starts_on,
                        "ends_on": ends_on, "place": row.place, "unit": unit.code }),
            )
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Adds a trainee to a class in scope with their result; a candidate in scope who passed is
    /// given their file's awareness-class step (dated the class's last day, with the certificate
    /// and the organizer) when their file waits for it.
    pub async fn add_trainee(
        &self,
        class_id: i64,
        input: &NewTrainee,
        today: NaiveDate,
    ) -> Result<()> {
        let mut problems = dangbo_domain::input::problems([
            ("candidate", TextKind::Code, input.candidate.as_str()),
            ("full_name", TextKind::Name, input.full_name.as_str()),
            ("certificate", TextKind::Short, input.certificate.as_str()),
        ]);
        let result = ClassResult::parse(&input.result);
        if result.is_none() {
            problems.push((
                "result".into(),
                format!("cần một trong: {}", ClassResult::expected_vi()),
            ));
        }
        if result == Some(ClassResult::Passed) && input.certificate.trim().is_empty() {
            problems.push((
                "certificate".into(),
                "người đạt cần số giấy chứng nhận".into(),
            ));
        }
        let mut tx = self.access.db.begin_write().await?;
        let Some(class) = classes::class(&mut tx, class_id)
            .await?
            .filter(|c| self.access.actor.sees(&c.unit_path))
        else {
            return Err(StoreError::NotFound(format!("lớp số {class_id}")));
        };
        let candidate = if input.candidate.trim().is_empty() {
            if input.full_name.trim().is_empty() {
                problems.push((
                    "full_name".into(),
                    "cần họ và tên, hoặc mã hồ sơ người vào Đảng".into(),
                ));
            }
            None
        } else {
            let found = self.access.candidate_in(&mut tx, &input.candidate).await?;
            match &found {
                None => problems.push((
                    "candidate".into(),
                    "không có hồ sơ này trong phạm vi của bạn".into(),
                )),
                // A class takes the candidates of its own unit's branches (its page shows them).
                Some(c) if !c.unit_path.starts_with(&class.unit_path) => problems.push((
                    "candidate".into(),
                    format!(
                        "hồ sơ của chi bộ {} không thuộc đơn vị mở lớp ({})",
                        c.unit_code, class.unit_code
                    ),
                )),
                Some(c) if classes::has_trainee(&mut tx, class_id, c.id).await? => problems.push((
                    "candidate".into(),
                    "người này đã có trong danh sách lớp".into(),
                )),
                Some(_) => {}
            }
            found
        };
        let (Some(result), true) = (result, problems.is_empty()) else {
            return Err(StoreError::Fields(problems));
        };
        let full_name = candidate.as_ref().map_or_else(
            || dangbo_domain::text::clean(&input.full_name),
            |c| c.record.full_name.clone(),
        );
        let birth_date = candidate
            .as_ref()
            .map(|c| c.record.birth_date)
            .or(input.birth_date);
        let certificate = dangbo_domain::text::clean(&input.certificate);
        classes::insert_trainee(
            &mut tx,
            &TraineeRow {
                class_id,
                candidate_id: candidate.as_ref().map(|c| c.id),
                full_name: &full_name,
                birth_date,
                result,
                certificate: &certificate,
            },
            &self.access.actor.name,
        )
        .await?;
        crate::figures::summary::touch(&mut tx, &class.unit_path, class.ends_on).await?;
        self.access
            .audit(
                &mut tx,
                "class.trainee",
                "awareness_class",
                &class_id.to_string(),
                &class.unit_path,
                serde_json::Value::Null,
                json!({ "full_name": full_name, "result": result.code(),
                        "certificate": certificate,
                        "candidate": candidate.as_ref().map(|c| c.record.code.clone()) }),
            )
            .await?;
        // The file's step follows, unless the class ended before the nomination (the file then
        // keeps its own class step, to record on its page).
        if let (Some(candidate), ClassResult::Passed) = (&candidate, result)
            && candidate.stage == Stage::Nominated
            && class.ends_on >= candidate.stage_on
        {
            let step = StepInput {
                stage: Stage::ClassPassed.code().into(),
                on: Some(class.ends_on),
                certificate: certificate.clone(),
                centre: class.organizer.clone(),
                ..StepInput::default()
            };
            // The step's problems (a class ending after today) are said on the candidate's field.
            match self
                .record_step_in(&mut tx, &candidate.record.code, &step, today)
                .await
            {
                Ok(_) => {}
                Err(StoreError::Fields(problems)) => {
                    return Err(StoreError::Fields(
                        problems
                            .into_iter()
                            .map(|(_, message)| {
                                (
                                    "candidate".to_string(),
                                    format!("bước học lớp của hồ sơ: {message}"),
                                )
                            })
                            .collect(),
                    ));
                }
                Err(other) => return Err(other),
            }
        }
        tx.commit().await?;
        Ok(())
    }
}
