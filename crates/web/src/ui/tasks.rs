//! A unit's tasks on a day: those overdue first, then those due within 30 days, then the others,
//! each with its document, owner, deadline and state; the tasks' figures as of that day.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query};
use axum::response::{IntoResponse, Redirect, Response};
use dangbo_domain::programmes::tasks::TaskState;
use dangbo_store::StoreError;
use dangbo_store::access::TaskStatus;
use serde::Deserialize;

use super::dashboard::WindowQuery;
use super::{Choice, Chrome, FieldErrors};
use crate::AppError;
use crate::error::render_form;
use crate::format;
use crate::session::{Identity, Ui};

/// Tasks due within this many days are listed apart.
const DUE_SOON_DAYS: i64 = 30;

pub struct TaskRow {
    pub id: i64,
    pub document: String,
    pub document_link: String,
    pub text: String,
    pub unit: String,
    pub owner: String,
    pub deadline: String,
    pub state_code: &'static str,
    pub state: &'static str,
    /// "còn 12 ngày", "đến hạn hôm nay", "quá 184 ngày"; empty for a task done.
    pub days_left: String,
}

/// One part of the list.
pub struct TaskGroup {
    pub id: &'static str,
    pub title: &'static str,
    pub rows: Vec<TaskRow>,
}

#[derive(Template)]
#[template(path = "tasks.html")]
struct TasksPage {
    c: Chrome,
    q: WindowQuery,
    unit_name: String,
    day: String,
    /// (state label, count) for every state, in order.
    counts: Vec<(&'static str, &'static str, usize)>,
    groups: Vec<TaskGroup>,
    total: usize,
    notice: &'static str,
    /// Whether the person records progress (the forms), and a form returned with problems.
    writes: bool,
    states: Vec<Choice>,
    progress_task: i64,
    progress: super::documents::ProgressForm,
    progress_errors: FieldErrors,
}

/// A progress report typed on the list, with the list it was typed on (to come back to it).
#[derive(Deserialize, Default)]
pub struct ProgressForm {
    #[serde(flatten)]
    pub progress: super::documents::ProgressForm,
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub as_of: String,
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(flatten)]
    pub window: WindowQuery,
    #[serde(default)]
    pub ok: String,
}

pub async fn page(
    Ui(identity, lang): Ui,
    Query(list): Query<ListQuery>,
) -> Result<Response, AppError> {
    let notice = if list.ok == "progress" {
        lang.texts().progress_recorded
    } else {
        ""
    };
    tasks_view(&identity, lang, list.window, notice, None).await
}

/// Records progress on a task in scope from the list (a commune records its part of a task a
/// district's document gave it, whose document page it cannot open), then shows the list again.
pub async fn report(
    Ui(identity, lang): Ui,
    Path(task): Path<String>,
    Form(form): Form<ProgressForm>,
) -> Result<Response, AppError> {
    let writer = identity.access.programmes()?;
    let task: i64 = task.parse().map_err(|_| AppError::NotFound)?;
    if identity.access.task(task).await?.is_none() {
        return Err(AppError::NotFound);
    }
    let q = WindowQuery {
        unit: form.unit.clone(),
        as_of: form.as_of.clone(),
        ..WindowQuery::default()
    };
    match super::documents::record_progress(&writer, task, &form.progress).await {
        Ok(()) => {
            let back = format::query(&[
                ("unit", &form.unit),
                ("as_of", &form.as_of),
                ("ok", "progress"),
            ]);
            Ok(Redirect::to(&format!("/tasks{back}")).into_response())
        }
        Err(StoreError::Fields(problems)) => {
            let returned = (task, form.progress, FieldErrors(problems));
            tasks_view(&identity, lang, q, lang.texts().fix_errors, Some(returned)).await
        }
        Err(other) => Err(other.into()),
    }
}

async fn tasks_view(
    identity: &Identity,
    lang: crate::i18n::Lang,
    q: WindowQuery,
    notice: &'static str,
    returned: Option<(i64, super::documents::ProgressForm, FieldErrors)>,
) -> Result<Response, AppError> {
    let t = lang.texts();
    let window = q.window().map_err(AppError::fields)?;
    let day = window.as_of;
    let (unit, list) = identity
        .access
        .tasks(&q.unit, day)
        .await?
        .ok_or(AppError::NotFound)?;
    let codes = list.iter().map(|s| s.task.unit_code.as_str()).collect();
    let names = super::unit_names_on(&identity.access, codes, day).await?;
    let counts = TaskState::ALL
        .iter()
        .map(|&state| {
            (
                state.code(),
                state.label_vi(),
                list.iter().filter(|s| s.state == state).count(),
            )
        })
        .collect();
    let row = |s: TaskStatus| TaskRow {
        id: s.task.id,
        document_link: format!("/documents/{}", s.task.document_id),
        document: s.task.document,
        unit: names
            .get(&s.task.unit_code)
            .cloned()
            .unwrap_or(s.task.unit_code),
        owner: s.task.owner,
        deadline: format::date(s.task.deadline),
        state_code: s.state.code(),
        state: s.state.label_vi(),
        days_left: s
            .days_left
            .map(|days| match days {
                0 => t.due_today.to_string(),
                d if d > 0 => format!("{} {} {}", t.left_word, format::int(d), t.days_word),
                d => format!("{} {} {}", t.past_word, format::int(-d), t.days_word),
            })
            .unwrap_or_default(),
        text: s.task.text,
    };
    let (overdue, rest): (Vec<TaskStatus>, Vec<TaskStatus>) = list
        .into_iter()
        .partition(|s| s.state == TaskState::Overdue);
    let (soon, others): (Vec<TaskStatus>, Vec<TaskStatus>) = rest.into_iter().partition(|s| {
        s.state != TaskState::Done && s.days_left.is_some_and(|d| d <= DUE_SOON_DAYS)
    });
    let groups = [
        ("tasks-overdue", t.tasks_overdue, overdue),
        ("tasks-due-soon", t.tasks_due_soon, soon),
        ("tasks-other", t.tasks_other, others),
    ]
    .into_iter()
    .map(|(id, title, list)| TaskGroup {
        id,
        title,
        rows: list.into_iter().map(row).collect(),
    })
    .collect::<Vec<_>>();
    let total = groups.iter().map(|g: &TaskGroup| g.rows.len()).sum();
    let failed = returned.is_some();
    let (progress_task, progress, progress_errors) = returned.unwrap_or_default();
    let page = TasksPage {
        total,
        notice,
        writes: identity.access.programmes().is_ok(),
        states: progress.states(),
        progress_task,
        progress,
        progress_errors,
        c: Chrome::new(
            identity,
            lang,
            t.tasks_title,
            "targets",
            &format!("/tasks{}", q.link()),
        ),
        unit_name: identity.access.unit_name_on(&unit, day).await?,
        day: format::date(day),
        counts,
        groups,
        q,
    };
    render_form(&page, failed)
}
