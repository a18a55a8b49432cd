//! The tasks documents assign and their progress reports. A task keeps the dates its reports give
//! (the first progress reported, the day it was reported done), so that its state on any day is a
//! condition on its own row, for the lists and the figures alike.

use chrono::NaiveDate;
use dangbo_domain::programmes::tasks::{ReportedState, TaskDates, TaskState};
use serde::Serialize;

use crate::engine::sql::in_subtree;
use crate::tree::{Unit, subtree_bounds};
use crate::{Result, StoreError, Tx};

/// A task as stored, with its document's number and its unit's code.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Task {
    pub id: i64,
    pub document_id: i64,
    pub document: String,
    pub unit_code: String,
    pub unit_path: String,
    pub text: String,
    /// The office, board or person in charge ("Ban Tổ chức Huyện ủy").
    pub owner: String,
    pub assigned_on: NaiveDate,
    pub deadline: NaiveDate,
    pub started_on: Option<NaiveDate>,
    pub done_on: Option<NaiveDate>,
}

impl Task {
    pub fn dates(&self) -> TaskDates {
        TaskDates {
            assigned_on: self.assigned_on,
            deadline: self.deadline,
            started_on: self.started_on,
            done_on: self.done_on,
        }
    }

    /// Where it stands on `day` (`None` before it was assigned).
    pub fn state_on(&self, day: NaiveDate) -> Option<TaskState> {
        self.dates().state_on(day)
    }

    /// Its state on `day` as a document's page and the API show it: a task recorded to be
    /// assigned after that day reads as assigned.
    pub fn state_shown(&self, day: NaiveDate) -> TaskState {
        self.state_on(day).unwrap_or(TaskState::Assigned)
    }
}

/// A progress report on a task.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TaskReport {
    pub reported_on: NaiveDate,
    pub state: ReportedState,
    pub note: String,
    pub recorded_by: String,
}

/// A task to set, checked by the access layer.
pub(crate) struct TaskRow<'a> {
    pub document_id: i64,
    pub unit: &'a Unit,
    pub text: &'a str,
    pub owner: &'a str,
    pub assigned_on: NaiveDate,
    pub deadline: NaiveDate,
    pub recorded_by: &'a str,
}

const TASK_FIELDS: &str = "k.id, k.document_id, d.number AS document, u.code AS unit_code, \
     k.unit_path, k.text, k.owner, k.assigned_on, k.deadline, k.started_on, k.done_on \
     FROM tasks k JOIN documents d ON d.id = k.document_id JOIN units u ON u.id = k.unit_id";

macro_rules! task_from_row {
    ($row:expr) => {{
        Ok(Task {
            id: $row.try_get("id")?,
            document_id: $row.try_get("document_id")?,
            document: $row.try_get("document")?,
            unit_code: $row.try_get("unit_code")?,
            unit_path: $row.try_get("unit_path")?,
            text: $row.try_get("text")?,
            owner: $row.try_get("owner")?,
            assigned_on: $row.try_get("assigned_on")?,
            deadline: $row.try_get("deadline")?,
            started_on: $row.try_get("started_on")?,
            done_on: $row.try_get("done_on")?,
        })
    }};
}

pub(crate) async fn insert_task(tx: &mut Tx, row: &TaskRow<'_>) -> Result<i64> {
    let id = fetch_optional!(
        tx,
        "INSERT INTO tasks (document_id, unit_id, unit_path, text, owner, assigned_on, deadline, \
         recorded_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        [
            row.document_id,
            row.unit.id,
            row.unit.path.as_str(),
            row.text,
            row.owner,
            row.assigned_on,
            row.deadline,
            row.recorded_by
        ],
        |r| r.try_get::<i64, _>("id")
    )?;
    id.ok_or_else(|| StoreError::NotFound("nhiệm vụ vừa thêm".into()))
}

/// The task a document gives a unit with this wording: the identity an import matches rows
/// against.
pub(crate) async fn task_keyed(tx: &mut Tx, row: &TaskRow<'_>) -> Result<Option<Task>> {
    Ok(fetch_optional!(
        tx,
        format!("SELECT {TASK_FIELDS} WHERE k.document_id = $1 AND k.unit_id = $2 AND k.text = $3"),
        [row.document_id, row.unit.id, row.text],
        |row| task_from_row!(row)
    )?)
}

/// Rewrites who owns a task and its dates (its document, unit and wording stay).
pub(crate) async fn update_task(tx: &mut Tx, id: i64, row: &TaskRow<'_>) -> Result<()> {
    execute!(
        tx,
        "UPDATE tasks SET owner = $1, assigned_on = $2, deadline = $3, recorded_by = $4 \
         WHERE id = $5",
        [
            row.owner,
            row.assigned_on,
            row.deadline,
            row.recorded_by,
            id
        ]
    )?;
    Ok(())
}

/// A task by id.
pub(crate) async fn task(tx: &mut Tx, id: i64) -> Result<Option<Task>> {
    Ok(fetch_optional!(
        tx,
        format!("SELECT {TASK_FIELDS} WHERE k.id = $1"),
        [id],
        |row| task_from_row!(row)
    )?)
}

/// The tasks a document assigns, by deadline.
pub(crate) async fn tasks_of(tx: &mut Tx, document_id: i64) -> Result<Vec<Task>> {
    Ok(fetch_all!(
        tx,
        format!("SELECT {TASK_FIELDS} WHERE k.document_id = $1 ORDER BY k.deadline, k.id"),
        [document_id],
        |row| task_from_row!(row)
    )?)
}

/// The tasks of units in the subtree of `path` assigned on or before `by`, by deadline.
pub(crate) async fn tasks_under(tx: &mut Tx, path: &str, by: NaiveDate) -> Result<Vec<Task>> {
    let (lo, hi) = subtree_bounds(path);
    let sql = format!(
        "SELECT {TASK_FIELDS} WHERE {} AND k.assigned_on <= $3 ORDER BY k.deadline, k.id",
        in_subtree("k.unit_path", "$1", "$2")
    );
    Ok(fetch_all!(tx, sql, [lo, hi, by], |row| task_from_row!(
        row
    ))?)
}

/// A task's progress reports, oldest first.
pub(crate) async fn reports_of(tx: &mut Tx, task_id: i64) -> Result<Vec<TaskReport>> {
    Ok(reports_of_tasks(tx, &[task_id])
        .await?
        .into_iter()
        .map(|(_, report)| report)
        .collect())
}

/// The latest progress report of each of these tasks, by task.
pub(crate) async fn latest_reports(
    tx: &mut Tx,
    task_ids: &[i64],
) -> Result<std::collections::HashMap<i64, TaskReport>> {
    // In date order: the last one of each task stays.
    Ok(reports_of_tasks(tx, task_ids).await?.into_iter().collect())
}

/// The progress reports of these tasks, oldest first, each with its task's id.
async fn reports_of_tasks(tx: &mut Tx, task_ids: &[i64]) -> Result<Vec<(i64, TaskReport)>> {
    let mut out = Vec::new();
    for chunk in task_ids.chunks(500) {
        let sql = format!(
            "SELECT task_id, reported_on, state, note, recorded_by FROM task_reports \
             WHERE task_id IN ({}) ORDER BY task_id, reported_on, id",
            crate::engine::id_list(chunk)
        );
        out.extend(fetch_all!(tx, sql, [], |row| {
            let state: String = row.try_get("state")?;
            Ok((
                row.try_get::<i64, _>("task_id")?,
                TaskReport {
                    reported_on: row.try_get("reported_on")?,
                    state: ReportedState::parse(&state).ok_or_else(|| {
                        sqlx::Error::Decode(format!("unknown task report state {state}").into())
                    })?,
                    note: row.try_get("note")?,
                    recorded_by: row.try_get("recorded_by")?,
                },
            ))
        })?);
    }
    Ok(out)
}

/// Adds a progress report and keeps the task's dates in step with its reports: the first report
/// starts it, the first report of it done finishes it.
pub(crate) async fn add_report(tx: &mut Tx, task_id: i64, report: &TaskReport) -> Result<()> {
    execute!(
        tx,
        "INSERT INTO task_reports (task_id, reported_on, state, note, recorded_by) \
         VALUES ($1, $2, $3, $4, $5)",
        [
            task_id,
            report.reported_on,
            report.state.code(),
            report.note.as_str(),
            report.recorded_by.as_str()
        ]
    )?;
    execute!(
        tx,
        "UPDATE tasks SET \
         started_on = (SELECT MIN(r.reported_on) FROM task_reports r WHERE r.task_id = $1), \
         done_on = (SELECT MIN(r.reported_on) FROM task_reports r WHERE r.task_id = $2 \
         AND r.state = 'done') WHERE id = $3",
        [task_id, task_id, task_id]
    )?;
    Ok(())
}
