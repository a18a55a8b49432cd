//! Tasks through the scope: those assigned to units in scope, read with their state on a day, set
//! by the programme writer on a document and reported on, every change audited.

use chrono::NaiveDate;
use dangbo_domain::input::TextKind;
use dangbo_domain::programmes::tasks::{ReportedState, TaskState};
use dangbo_domain::text::format_date;
use serde_json::json;

use super::writer::{Problems, ProgrammeWriter, Saved};
use crate::access::Access;
use crate::figures::summary::touch;
use crate::programmes::Document;
use crate::programmes::tasks::{self, Task, TaskReport, TaskRow};
use crate::tree::Unit;
use crate::{Result, StoreError, Tx};

/// A task to set, as typed.
#[derive(Debug, Clone, Default)]
pub struct NewTask {
    /// The number of the document assigning it.
    pub document: String,
    /// The document itself, when the form knows it (its page).
    pub document_id: Option<i64>,
    /// The unit it is assigned to.
    pub unit: String,
    pub text: String,
    /// The office, board or person in charge.
    pub owner: String,
    /// Empty: the document's signing date.
    pub assigned_on: Option<NaiveDate>,
    pub deadline: Option<NaiveDate>,
}

/// A progress report, as typed.
#[derive(Debug, Clone, Default)]
pub struct NewTaskReport {
    pub reported_on: Option<NaiveDate>,
    /// `in_progress` or `done` (or their Vietnamese words).
    pub state: String,
    pub note: String,
}

/// A task with its state on the day asked about.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct TaskStatus {
    pub task: Task,
    pub state: TaskState,
    /// Days left to the deadline (negative: days past it), for a task not done.
    pub days_left: Option<i64>,
}

/// A task whose every field reads, its unit and document in scope.
pub(in crate::access) struct CheckedTask {
    pub unit: Unit,
    pub document: Document,
    pub text: String,
    pub owner: String,
    pub assigned_on: NaiveDate,
    pub deadline: NaiveDate,
}

impl Access {
    /// The tasks of a unit's subtree (by code or exact name, in scope) assigned by `day`, each
    /// with its state that day, overdue first, then by deadline; `None` for a unit out of scope.
    pub async fn tasks(
        &self,
        unit_code: &str,
        day: NaiveDate,
    ) -> Result<Option<(Unit, Vec<TaskStatus>)>> {
        let mut tx = self.read().await?;
        let Some(unit) = self.unit_in(&mut tx, unit_code).await? else {
            tx.rollback().await?;
            return Ok(None);
        };
        let list = tasks::tasks_under(&mut tx, &unit.path, day).await;
        tx.rollback().await?;
        let mut list: Vec<TaskStatus> = list?
            .into_iter()
            .filter_map(|task| status_on(task, day))
            .collect();
        list.sort_by_key(|t| (t.state != TaskState::Overdue, t.state == TaskState::Done));
        Ok(Some((unit, list)))
    }

    /// A task in scope with its progress reports; `None` when absent or outside the scope.
    pub async fn task(&self, id: i64) -> Result<Option<(Task, Vec<TaskReport>)>> {
        let mut tx = self.read().await?;
        let found = match tasks::task(&mut tx, id).await? {
            Some(task) if self.actor.sees(&task.unit_path) => {
                let reports = tasks::reports_of(&mut tx, id).await?;
                Some((task, reports))
            }
            _ => None,
        };
        tx.rollback().await?;
        Ok(found)
    }
}

/// A task's state on `day`, with the days left to its deadline; `None` before it was assigned.
pub fn status_on(task: Task, day: NaiveDate) -> Option<TaskStatus> {
    let state = task.state_on(day)?;
    let days_left = (state != TaskState::Done).then(|| (task.deadline - day).num_days());
    Some(TaskStatus {
        task,
        state,
        days_left,
    })
}

impl ProgrammeWriter<'_> {
    /// Assigns a task of a document to a unit in scope; problems come back per field.
    pub async fn add_task(&self, input: &NewTask) -> Result<i64> {
        let mut tx = self.access.db.begin_write().await?;
        let task = self.check_task(&mut tx, input).await?;
        let saved = self.save_task(&mut tx, &task, false).await?;
        tx.commit().await?;
        Ok(saved.id())
    }

    /// What is wrong with a task as typed, without writing it (empty: nothing).
    pub async fn task_problems(&self, input: &NewTask) -> Result<Problems> {
        // Checking only reads: no writer's turn is taken.
        let mut tx = self.access.read().await?;
        let checked = self.check_task(&mut tx, input).await;
        tx.rollback().await?;
        match checked {
            Ok(_) => Ok(Vec::new()),
            Err(StoreError::Fields(problems)) => Ok(problems),
            Err(other) => Err(other),
        }
    }

    /// Records progress on a task in scope: in progress, or done (the first report of it done
    /// is the day it was done). Not before it was assigned, not in the future, and nothing
    /// "in progress" after it was reported done.
    pub async fn report_task(
        &self,
        task_id: i64,
        input: &NewTaskReport,
        today: NaiveDate,
    ) -> Result<()> {
        let mut tx = self.access.db.begin_write().await?;
        self.report_task_in(&mut tx, task_id, input, today).await?;
        tx.commit().await?;
        Ok(())
    }

    pub(in crate::access) async fn report_task_in(
        &self,
        tx: &mut Tx,
        task_id: i64,
        input: &NewTaskReport,
        today: NaiveDate,
    ) -> Result<()> {
        let Some(task) = tasks::task(tx, task_id)
            .await?
            .filter(|t| self.access.actor.sees(&t.unit_path))
        else {
            return Err(StoreError::NotFound(format!("nhiệm vụ số {task_id}")));
        };
        let mut problems =
            dangbo_domain::input::problems([("note", TextKind::Note, input.note.as_str())]);
        let state = ReportedState::parse(&input.state);
        if state.is_none() {
            problems.push((
                "state".into(),
                format!("cần một trong: {}", ReportedState::expected_vi()),
            ));
        }
        match input.reported_on {
            None => problems.push(("reported_on".into(), "cần ngày dạng dd/mm/yyyy".into())),
            Some(day) if day < task.assigned_on => problems.push((
                "reported_on".into(),
                format!(
                    "trước ngày giao nhiệm vụ ({})",
                    format_date(task.assigned_on)
                ),
            )),
            Some(day) if day > today => problems.push((
                "reported_on".into(),
                format!("sau hôm nay ({}): chưa thể báo cáo", format_date(today)),
            )),
            Some(_) => {}
        }
        // One day it was done: nothing in progress after it, no second "done", and no "done"
        // before progress already reported.
        match (state, input.reported_on, task.done_on) {
            (Some(ReportedState::InProgress), Some(day), Some(done)) if day >= done => problems
                .push((
                    "state".into(),
                    format!("nhiệm vụ đã hoàn thành ngày {}", format_date(done)),
                )),
            (Some(ReportedState::Done), _, Some(done)) => problems.push((
                "state".into(),
                format!("nhiệm vụ đã ghi hoàn thành ngày {}", format_date(done)),
            )),
            (Some(ReportedState::Done), Some(day), None) => {
                let last = tasks::reports_of(tx, task.id)
                    .await?
                    .into_iter()
                    .map(|r| r.reported_on)
                    .max();
                if let Some(last) = last.filter(|last| *last > day) {
                    problems.push((
                        "reported_on".into(),
                        format!(
                            "trước báo cáo tiến độ ngày {}: ngày hoàn thành không trước các báo cáo đã có",
                            format_date(last)
                        ),
                    ));
                }
            }
            _ => {}
        }
        let (Some(state), Some(reported_on), true) =
            (state, input.reported_on, problems.is_empty())
        else {
            return Err(StoreError::Fields(problems));
        };
        let report = TaskReport {
            reported_on,
            state,
            note: input.note.trim().to_string(),
            recorded_by: self.access.actor.name.clone(),
        };
        tasks::add_report(tx, task.id, &report).await?;
        touch(tx, &task.unit_path, report.reported_on).await?;
        self.access
            .audit(
                tx,
                "task.report",
                "task",
                &task.id.to_string(),
                &task.unit_path,
                serde_json::Value::Null,
                json!({
                    "reported_on": report.reported_on,
                    "state": report.state.code(),
                    "note": report.note,
                }),
            )
            .await?;
        Ok(())
    }

    /// Reads a typed task: every field, its unit and document in scope, assigned no earlier than
    /// the document was signed and due no earlier than assigned.
    pub(in crate::access) async fn check_task(
        &self,
        tx: &mut Tx,
        input: &NewTask,
    ) -> Result<CheckedTask> {
        let mut problems: Problems = dangbo_domain::input::problems([
            ("text", TextKind::Line, input.text.as_str()),
            ("owner", TextKind::Line, input.owner.as_str()),
        ]);
        if input.text.trim().is_empty() {
            problems.push(("text".into(), "cần nội dung nhiệm vụ".into()));
        }
        if input.owner.trim().is_empty() {
            problems.push((
                "owner".into(),
                "cần cơ quan, ban hoặc người chủ trì (ví dụ: Ban Tổ chức)".into(),
            ));
        }
        if input.deadline.is_none() {
            problems.push((
                "deadline".into(),
                "cần hạn hoàn thành dạng dd/mm/yyyy".into(),
            ));
        }
        let unit = self.unit_for(tx, &input.unit, &mut problems).await?;
        let document = match &unit {
            Some(unit) => {
                // A number repeated year after year: the document in force on the day the task
                // was assigned (or, without that day, its deadline).
                let day = input.assigned_on.or(input.deadline);
                self.document_for(
                    tx,
                    (&input.document, input.document_id),
                    (day, day),
                    unit,
                    &mut problems,
                )
                .await?
            }
            None => None,
        };
        let (Some(unit), Some(document), Some(deadline)) = (unit, document, input.deadline) else {
            return Err(StoreError::Fields(problems));
        };
        let assigned_on = input.assigned_on.unwrap_or(document.signed_on);
        if assigned_on < document.signed_on {
            problems.push((
                "assigned_on".into(),
                format!(
                    "trước ngày ban hành văn bản {} ({})",
                    document.number,
                    format_date(document.signed_on)
                ),
            ));
        }
        if deadline < assigned_on {
            problems.push((
                "deadline".into(),
                format!("trước ngày giao ({})", format_date(assigned_on)),
            ));
        }
        if !problems.is_empty() {
            return Err(StoreError::Fields(problems));
        }
        Ok(CheckedTask {
            unit,
            document,
            text: input.text.trim().to_string(),
            owner: input.owner.trim().to_string(),
            assigned_on,
            deadline,
        })
    }

    /// Sets a checked task, or (with `replace`) rewrites the owner and dates of the one its
    /// document already gives the unit with that wording.
    pub(in crate::access) async fn save_task(
        &self,
        tx: &mut Tx,
        task: &CheckedTask,
        replace: bool,
    ) -> Result<Saved> {
        let row = TaskRow {
            document_id: task.document.id,
            unit: &task.unit,
            text: &task.text,
            owner: &task.owner,
            assigned_on: task.assigned_on,
            deadline: task.deadline,
            recorded_by: &self.access.actor.name,
        };
        let after = json!({
            "document": task.document.number,
            "unit": task.unit.code,
            "text": task.text,
            "owner": task.owner,
            "assigned_on": task.assigned_on,
            "deadline": task.deadline,
        });
        match tasks::task_keyed(tx, &row).await? {
            Some(_) if !replace => Err(StoreError::Fields(vec![(
                "text".into(),
                format!(
                    "văn bản {} đã giao nhiệm vụ này cho {}",
                    task.document.number, task.unit.code
                ),
            )])),
            Some(old) => {
                if old.owner == task.owner
                    && old.assigned_on == task.assigned_on
                    && old.deadline == task.deadline
                {
                    return Ok(Saved::Unchanged(old.id));
                }
                tasks::update_task(tx, old.id, &row).await?;
                touch(tx, &task.unit.path, old.assigned_on.min(task.assigned_on)).await?;
                self.access
                    .audit(
                        tx,
                        "task.update",
                        "task",
                        &old.id.to_string(),
                        &task.unit.path,
                        json!(old),
                        after,
                    )
                    .await?;
                Ok(Saved::Updated(old.id))
            }
            None => {
                let id = tasks::insert_task(tx, &row).await?;
                touch(tx, &task.unit.path, task.assigned_on).await?;
                self.access
                    .audit(
                        tx,
                        "task.add",
                        "task",
                        &id.to_string(),
                        &task.unit.path,
                        serde_json::Value::Null,
                        after,
                    )
                    .await?;
                Ok(Saved::Created(id))
            }
        }
    }
}
