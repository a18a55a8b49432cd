//! Directing documents: the list of a unit's subtree for a period; one document with the targets
//! it sets and the documents carrying it out; and, for those who write programmes, the forms to
//! file a document, set a target on it and report the value of a target Dangbo does not count.

use askama::Template;
use axum::Form;
use axum::extract::{Multipart, Path, Query};
use axum::response::{IntoResponse, Redirect, Response};
use dangbo_domain::figures::format_decimal;
use dangbo_domain::programmes::tasks::ReportedState;
use dangbo_domain::programmes::{Comparator, DocumentKind, Domain};
use dangbo_domain::text::read_number;
use dangbo_store::StoreError;
use dangbo_store::access::{
    Allocation, Document, NewDocument, NewTarget, NewTask, NewTaskReport, ReportedActual, Target,
    Task, TaskReport,
};
use serde::Deserialize;

use super::dashboard::WindowQuery;
use super::{Choice, Chrome, FieldErrors, choices, vocabulary_choices};
use crate::AppError;
use crate::error::render;
use crate::format;
use crate::params::{Problems, date_field, merged, required_date};
use crate::session::{Identity, Ui};

/// A document as a list or its page shows it.
pub struct DocumentRow {
    pub link: String,
    pub number: String,
    pub kind: &'static str,
    pub title: String,
    /// The issuing unit's name, or the body beside it that issued it.
    pub issuer: String,
    pub signed_on: String,
    pub validity: String,
    pub domain: &'static str,
}

fn row_of(d: Document, names: &std::collections::HashMap<String, String>) -> DocumentRow {
    let unit = names
        .get(&d.unit_code)
        .cloned()
        .unwrap_or_else(|| d.unit_code.clone());
    DocumentRow {
        link: format!("/documents/{}", d.id),
        number: d.number,
        kind: d.kind.label_vi(),
        title: d.title,
        issuer: if d.issuing_body.is_empty() {
            unit
        } else {
            format!("{} ({unit})", d.issuing_body)
        },
        signed_on: format::date(d.signed_on),
        validity: format!(
            "{} – {}",
            format::date(d.valid_from),
            format::date(d.valid_to)
        ),
        domain: d.domain.label_vi(),
    }
}

#[derive(Template)]
#[template(path = "documents.html")]
struct DocumentsPage {
    c: Chrome,
    q: WindowQuery,
    unit_name: String,
    period: String,
    count: String,
    rows: Vec<DocumentRow>,
    /// Whether the person may file documents (the link to the form).
    writes: bool,
}

pub async fn list(
    Ui(identity, lang): Ui,
    Query(q): Query<WindowQuery>,
) -> Result<Response, AppError> {
    let window = q.window().map_err(AppError::fields)?;
    let (unit, list) = identity
        .access
        .documents(&q.unit, window.from, window.to)
        .await?
        .ok_or(AppError::NotFound)?;
    let codes = list.iter().map(|d| d.unit_code.as_str()).collect();
    let names = super::unit_names_on(&identity.access, codes, window.to).await?;
    let page = DocumentsPage {
        c: Chrome::new(
            &identity,
            lang,
            lang.texts().documents_title,
            "targets",
            &format!("/documents{}", q.link()),
        ),
        unit_name: identity.access.unit_name_on(&unit, window.to).await?,
        period: format!(
            "{} – {}",
            format::date(window.from),
            format::date(window.to)
        ),
        count: format::int(list.len() as i64),
        rows: list.into_iter().map(|d| row_of(d, &names)).collect(),
        writes: identity.access.programmes().is_ok(),
        q,
    };
    Ok(render(&page)?.into_response())
}

/// A target as the document's page lists it.
pub struct TargetLine {
    pub id: i64,
    pub text: String,
    pub unit: String,
    pub domain: &'static str,
    pub period: String,
    /// "admissions từ 80", or "số báo cáo từ 28".
    pub measure: String,
    /// The achievement summary of the target's unit for its period.
    pub summary_link: String,
    /// For a target judged on reported values: whether it takes them, and the latest one
    /// ("42,5 ngày 31/12/2021 · Báo cáo số 98-BC/UBND").
    pub reported: bool,
    pub latest: String,
    /// For a target split among sub-units: "Phân bổ cho 10 đơn vị, tổng 78: thiếu 2", and
    /// whether the parts add up to it.
    pub allocation: String,
    pub allocation_adds_up: bool,
    /// For a part: the wording of the target it is allocated from.
    pub part_of: String,
}

/// What was typed into the target form, kept when the form comes back with problems.
#[derive(Deserialize, Default)]
pub struct TargetForm {
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub domain: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub figure: String,
    #[serde(default)]
    pub comparator: String,
    #[serde(default)]
    pub value: String,
    #[serde(default)]
    pub allocated_from: String,
}

/// What was typed into a reported value form.
#[derive(Deserialize, Default)]
pub struct ValueForm {
    #[serde(default)]
    pub value: String,
    #[serde(default)]
    pub as_of: String,
    #[serde(default)]
    pub source: String,
}

/// What was typed into the task form.
#[derive(Deserialize, Default)]
pub struct TaskForm {
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub owner: String,
    #[serde(default)]
    pub assigned_on: String,
    #[serde(default)]
    pub deadline: String,
}

/// What was typed into a task's progress form.
#[derive(Deserialize, Default)]
pub struct ProgressForm {
    #[serde(default)]
    pub reported_on: String,
    #[serde(default)]
    pub state: String,
    #[serde(default)]
    pub note: String,
}

impl ProgressForm {
    /// The states a report may give, the one typed chosen.
    pub fn states(&self) -> Vec<Choice> {
        choices(
            &self.state,
            ReportedState::ALL
                .iter()
                .map(|s| (s.code().to_string(), s.label_vi().to_string()))
                .collect(),
        )
    }
}

/// A task as the document's page lists it.
pub struct TaskLine {
    pub id: i64,
    pub text: String,
    pub unit: String,
    pub owner: String,
    pub deadline: String,
    pub state_code: &'static str,
    pub state: &'static str,
    /// "20/03/2021 · Hoàn thành · Đã họp triển khai".
    pub latest: String,
}

/// The form that came back with problems, if any: it is shown open, as typed, with them.
pub enum Returned {
    Nothing,
    File(String),
    Target(TargetForm, FieldErrors),
    Value(i64, ValueForm, FieldErrors),
    Task(TaskForm, FieldErrors),
    Progress(i64, ProgressForm, FieldErrors),
}

#[derive(Template)]
#[template(path = "document.html")]
struct DocumentPage {
    c: Chrome,
    id: i64,
    d: DocumentRow,
    implements: String,
    implements_link: String,
    implementing: Vec<DocumentRow>,
    targets: Vec<TargetLine>,
    notice: String,
    /// The forms, for those who write programmes.
    writes: bool,
    target: TargetForm,
    target_errors: FieldErrors,
    domains: Vec<Choice>,
    comparators: Vec<Choice>,
    figures: Vec<(String, String)>,
    /// The wordings of the document's targets a new one may be a part of.
    wholes: Vec<String>,
    /// The target whose value form came back with problems, and them.
    value_target: i64,
    value: ValueForm,
    value_errors: FieldErrors,
    tasks: Vec<TaskLine>,
    task: TaskForm,
    task_errors: FieldErrors,
    /// The task whose progress form came back with problems, and them.
    progress_task: i64,
    progress: ProgressForm,
    progress_errors: FieldErrors,
    progress_states: Vec<Choice>,
    /// The attached file: "Nghị quyết 03.pdf (1,2 MB)", empty when none; and a problem with an
    /// upload.
    file: String,
    file_error: String,
    max_megabytes: usize,
}

/// A number typed into a form, read the Vietnamese way (`1.250`, `85,5`).
fn number_field(field: &str, value: &str, problems: &mut Problems) -> Option<f64> {
    if value.trim().is_empty() {
        problems.push((field.into(), "cần một số".into()));
        return None;
    }
    let read = read_number(value);
    if read.is_none() {
        problems.push((
            field.into(),
            format!("«{}» không phải số (ví dụ: 80; 85,5; 1.250)", value.trim()),
        ));
    }
    read
}

/// "Phân bổ cho 10 đơn vị, tổng 78: thiếu 2 so với 80" (or "khớp", or, for a share, no sum).
fn allocation_text(a: &Allocation, whole: f64, t: &crate::i18n::Texts) -> String {
    let head = format!("{} {} {}", t.allocated_to, a.parts, t.units_word);
    match a.adds_up {
        None => head,
        Some(true) => format!(
            "{head}, {} {}: {}",
            t.sum_word,
            format_decimal(a.sum),
            t.adds_up
        ),
        Some(false) => format!(
            "{head}, {} {}: {} {} {}",
            t.sum_word,
            format_decimal(a.sum),
            if a.sum < whole { t.short_by } else { t.over_by },
            format_decimal((a.sum - whole).abs()),
            t.of_whole
        ),
    }
}

#[derive(Deserialize, Default)]
pub struct NoticeQuery {
    #[serde(default)]
    pub ok: String,
}

pub async fn page(
    Ui(identity, lang): Ui,
    Path(id): Path<String>,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, AppError> {
    let t = lang.texts();
    let notice = match q.ok.as_str() {
        "filed" => t.document_filed,
        "target" => t.target_set,
        "value" => t.value_reported,
        "task" => t.task_assigned,
        "progress" => t.progress_recorded,
        "file" => t.file_attached,
        _ => "",
    };
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    document_view(&identity, lang, id, notice, Returned::Nothing).await
}

/// The document's page, with a form that came back with problems, if any.
async fn document_view(
    identity: &Identity,
    lang: crate::i18n::Lang,
    id: i64,
    notice: &str,
    returned: Returned,
) -> Result<Response, AppError> {
    let file = identity
        .access
        .document(id)
        .await?
        .ok_or(AppError::NotFound)?;
    let document = file.document;
    let mut codes: Vec<&str> = file
        .targets
        .iter()
        .map(|(t, _)| t.unit_code.as_str())
        .collect();
    codes.push(&document.unit_code);
    codes.extend(file.implementing.iter().map(|d| d.unit_code.as_str()));
    codes.extend(file.tasks.iter().map(|(t, _)| t.unit_code.as_str()));
    let names = super::unit_names_on(&identity.access, codes, document.signed_on).await?;
    let catalogue = identity.access.catalogue().await?;
    let t = lang.texts();
    let wording: std::collections::HashMap<i64, String> = file
        .targets
        .iter()
        .map(|(t, _)| (t.id, t.text.clone()))
        .collect();
    let line = |(target, value): (Target, Option<ReportedActual>)| TargetLine {
        allocation: file
            .allocations
            .iter()
            .find(|a| a.whole == target.id)
            .map(|a| allocation_text(a, target.value, t))
            .unwrap_or_default(),
        allocation_adds_up: file
            .allocations
            .iter()
            .find(|a| a.whole == target.id)
            .is_none_or(|a| a.adds_up != Some(false)),
        part_of: target
            .allocated_from
            .and_then(|id| wording.get(&id).cloned())
            .unwrap_or_default(),
        id: target.id,
        measure: format!(
            "{} {} {}",
            target
                .figure_key
                .as_deref()
                .map(|key| {
                    catalogue
                        .iter()
                        .find(|f| f.key == key)
                        .map_or(key.to_string(), |f| f.label_vi.clone())
                })
                .unwrap_or_else(|| t.reported_value.to_string()),
            target.comparator.words_vi(),
            format_decimal(target.value)
        ),
        summary_link: format!(
            "/targets{}",
            format::query(&[
                ("unit", &target.unit_code),
                ("from", &format::date(target.from)),
                ("to", &format::date(target.to)),
            ])
        ),
        reported: target.figure_key.is_none(),
        latest: value
            .map(|v| {
                format!(
                    "{} ngày {} · {}",
                    format_decimal(v.value),
                    format::date(v.as_of),
                    v.source
                )
            })
            .unwrap_or_default(),
        unit: names
            .get(&target.unit_code)
            .cloned()
            .unwrap_or(target.unit_code),
        domain: target.domain.label_vi(),
        period: format!(
            "{} – {}",
            format::date(target.from),
            format::date(target.to)
        ),
        text: target.text,
    };
    let implements_link = document
        .implements_id
        .map(|id| format!("/documents/{id}"))
        .unwrap_or_default();
    let today = format::today();
    let task_line = |(task, latest): (Task, Option<TaskReport>)| {
        let state = task.state_shown(today);
        TaskLine {
            id: task.id,
            unit: names
                .get(&task.unit_code)
                .cloned()
                .unwrap_or(task.unit_code.clone()),
            owner: task.owner,
            deadline: format::date(task.deadline),
            state_code: state.code(),
            state: state.label_vi(),
            latest: latest
                .map(|r| {
                    let mut text =
                        format!("{} · {}", format::date(r.reported_on), r.state.label_vi());
                    if !r.note.is_empty() {
                        text.push_str(" · ");
                        text.push_str(&r.note);
                    }
                    text
                })
                .unwrap_or_default(),
            text: task.text,
        }
    };
    let mut target = TargetForm {
        unit: document.unit_code.clone(),
        domain: document.domain.code().to_string(),
        from: format::date(document.valid_from),
        to: format::date(document.valid_to),
        comparator: Comparator::AtLeast.symbol().to_string(),
        ..TargetForm::default()
    };
    let mut task = TaskForm {
        unit: document.unit_code.clone(),
        assigned_on: format::date(document.signed_on),
        ..TaskForm::default()
    };
    let (mut target_errors, mut task_errors) = (FieldErrors::default(), FieldErrors::default());
    let (mut value_target, mut value, mut value_errors) =
        (0, ValueForm::default(), FieldErrors::default());
    let (mut progress_task, mut progress, mut progress_errors) =
        (0, ProgressForm::default(), FieldErrors::default());
    let mut file_error = String::new();
    let returned_problems = !matches!(returned, Returned::Nothing);
    match returned {
        Returned::Nothing => {}
        Returned::File(problem) => file_error = problem,
        Returned::Target(form, errors) => (target, target_errors) = (form, errors),
        Returned::Value(id, form, errors) => {
            (value_target, value, value_errors) = (id, form, errors)
        }
        Returned::Task(form, errors) => (task, task_errors) = (form, errors),
        Returned::Progress(id, form, errors) => {
            (progress_task, progress, progress_errors) = (id, form, errors)
        }
    }
    let title = format!("{} {}", document.kind.label_vi(), document.number);
    let page = DocumentPage {
        c: Chrome::new(
            identity,
            lang,
            title,
            "targets",
            &format!("/documents/{id}"),
        ),
        id,
        implements: document.implements.clone().unwrap_or_default(),
        implements_link,
        implementing: file
            .implementing
            .into_iter()
            .map(|d| row_of(d, &names))
            .collect(),
        d: row_of(document, &names),
        targets: file.targets.into_iter().map(line).collect(),
        notice: notice.to_string(),
        writes: identity.access.programmes().is_ok(),
        domains: vocabulary_choices(&target.domain, Domain::ALL, Domain::code, Domain::label_vi),
        comparators: choices(
            &target.comparator,
            Comparator::ALL
                .iter()
                .map(|c| (c.symbol().to_string(), c.symbol().to_string()))
                .collect(),
        ),
        wholes: {
            let mut list: Vec<String> = wording.values().cloned().collect();
            list.sort();
            list.dedup();
            list
        },
        figures: catalogue
            .iter()
            .filter(|f| !dangbo_domain::programmes::figures::counts_targets(&f.key))
            .map(|f| (f.key.clone(), f.label_vi.clone()))
            .collect(),
        target,
        target_errors,
        value_target,
        value,
        value_errors,
        tasks: file.tasks.into_iter().map(task_line).collect(),
        progress_states: progress.states(),
        file: file
            .file
            .as_ref()
            .map(|f| format!("{} ({})", f.name, megabytes(f.size)))
            .unwrap_or_default(),
        file_error,
        max_megabytes: dangbo_domain::programmes::ATTACHMENT_MAX_BYTES / (1024 * 1024),
        task,
        task_errors,
        progress_task,
        progress,
        progress_errors,
    };
    crate::error::render_form(&page, returned_problems)
}

/// Sets a target on the document.
pub async fn add_target(
    Ui(identity, lang): Ui,
    Path(id): Path<String>,
    Form(form): Form<TargetForm>,
) -> Result<Response, AppError> {
    let writer = identity.access.programmes()?;
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let mut problems = Vec::new();
    let from = required_date("from", &form.from, &mut problems);
    let to = required_date("to", &form.to, &mut problems);
    let value = number_field("value", &form.value, &mut problems);
    let unit = super::unit_code_for(&identity.access, "unit", &form.unit).await;
    let result = match unit {
        Ok(unit) => {
            writer
                .add_target(&NewTarget {
                    document: String::new(),
                    document_id: Some(id),
                    unit,
                    text: form.text.clone(),
                    domain: form.domain.clone(),
                    from,
                    to,
                    figure: form.figure.clone(),
                    comparator: form.comparator.clone(),
                    value,
                    allocated_from: form.allocated_from.clone(),
                })
                .await
        }
        Err(problem) => Err(problem),
    };
    match result {
        // The writer takes no target with a date or number missing: accepted, the form read whole.
        Ok(_) => Ok(Redirect::to(&format!("/documents/{id}?ok=target")).into_response()),
        Err(StoreError::Fields(more)) => {
            let problems = merged(problems, more);
            document_view(
                &identity,
                lang,
                id,
                lang.texts().fix_errors,
                Returned::Target(form, FieldErrors(problems)),
            )
            .await
        }
        Err(other) => Err(other.into()),
    }
}

/// Reports the value of one of the document's targets judged on reported values.
pub async fn report_value(
    Ui(identity, lang): Ui,
    Path((id, target)): Path<(String, String)>,
    Form(form): Form<ValueForm>,
) -> Result<Response, AppError> {
    let writer = identity.access.programmes()?;
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let target: i64 = target.parse().map_err(|_| AppError::NotFound)?;
    // One of the targets of this document, both in scope.
    if !identity.access.sees_document(id).await?
        || identity
            .access
            .target(target)
            .await?
            .is_none_or(|t| t.document_id != id)
    {
        return Err(AppError::NotFound);
    }
    match record_value(&writer, target, &form).await {
        Ok(()) => Ok(Redirect::to(&format!("/documents/{id}?ok=value")).into_response()),
        Err(StoreError::Fields(problems)) => {
            document_view(
                &identity,
                lang,
                id,
                lang.texts().fix_errors,
                Returned::Value(target, form, FieldErrors(problems)),
            )
            .await
        }
        Err(other) => Err(other.into()),
    }
}

/// Reports a value typed into a value form (the document's page, the achievement summary): the
/// form's own problems (a number or date that does not read) with the writer's.
pub async fn record_value(
    writer: &dangbo_store::access::ProgrammeWriter<'_>,
    target: i64,
    form: &ValueForm,
) -> Result<(), StoreError> {
    let mut problems = Vec::new();
    let value = number_field("value", &form.value, &mut problems);
    let as_of = required_date("as_of", &form.as_of, &mut problems);
    match (value, as_of) {
        (Some(value), Some(as_of)) => writer
            .report_value(target, as_of, value, &form.source)
            .await
            .map_err(|e| match e {
                StoreError::Fields(more) => StoreError::Fields(merged(problems, more)),
                other => other,
            }),
        _ => {
            let more = writer.report_problems(value, &form.source);
            Err(StoreError::Fields(merged(problems, more)))
        }
    }
}

/// Assigns a task of the document to a unit.
pub async fn add_task(
    Ui(identity, lang): Ui,
    Path(id): Path<String>,
    Form(form): Form<TaskForm>,
) -> Result<Response, AppError> {
    let writer = identity.access.programmes()?;
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let mut problems = Vec::new();
    let assigned_on = date_field("assigned_on", &form.assigned_on, &mut problems);
    let deadline = required_date("deadline", &form.deadline, &mut problems);
    let result = match super::unit_code_for(&identity.access, "unit", &form.unit).await {
        Ok(unit) => {
            let input = NewTask {
                document: String::new(),
                document_id: Some(id),
                unit,
                text: form.text.clone(),
                owner: form.owner.clone(),
                assigned_on,
                deadline,
            };
            if problems.is_empty() {
                writer.add_task(&input).await
            } else {
                // A date typed but unreadable must not stand for "the document's day": the
                // writer only checks the rest.
                Err(StoreError::Fields(writer.task_problems(&input).await?))
            }
        }
        Err(problem) => Err(problem),
    };
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/documents/{id}?ok=task")).into_response()),
        Err(StoreError::Fields(more)) => {
            document_view(
                &identity,
                lang,
                id,
                lang.texts().fix_errors,
                Returned::Task(form, FieldErrors(merged(problems, more))),
            )
            .await
        }
        Err(other) => Err(other.into()),
    }
}

/// Records progress on one of the document's tasks.
pub async fn report_task(
    Ui(identity, lang): Ui,
    Path((id, task)): Path<(String, String)>,
    Form(form): Form<ProgressForm>,
) -> Result<Response, AppError> {
    let writer = identity.access.programmes()?;
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let task: i64 = task.parse().map_err(|_| AppError::NotFound)?;
    // One of the tasks of this document, both in scope.
    if !identity.access.sees_document(id).await?
        || identity
            .access
            .task(task)
            .await?
            .is_none_or(|(t, _)| t.document_id != id)
    {
        return Err(AppError::NotFound);
    }
    match record_progress(&writer, task, &form).await {
        Ok(()) => Ok(Redirect::to(&format!("/documents/{id}?ok=progress")).into_response()),
        Err(StoreError::Fields(problems)) => {
            document_view(
                &identity,
                lang,
                id,
                lang.texts().fix_errors,
                Returned::Progress(task, form, FieldErrors(problems)),
            )
            .await
        }
        Err(other) => Err(other.into()),
    }
}

/// Records progress typed into a progress form (the document's page, the task list): the form's
/// own problems (a date that does not read) with the writer's.
pub async fn record_progress(
    writer: &dangbo_store::access::ProgrammeWriter<'_>,
    task: i64,
    form: &ProgressForm,
) -> Result<(), StoreError> {
    let mut problems = Vec::new();
    let reported_on = required_date("reported_on", &form.reported_on, &mut problems);
    let input = NewTaskReport {
        reported_on,
        state: form.state.clone(),
        note: form.note.clone(),
    };
    writer
        .report_task(task, &input, format::today())
        .await
        .map_err(|e| match e {
            StoreError::Fields(more) => StoreError::Fields(merged(problems, more)),
            other => other,
        })
}

/// A size as a person reads it: "340 KB", "1,25 MB".
fn megabytes(bytes: i64) -> String {
    const MB: i64 = 1024 * 1024;
    if bytes < MB {
        format!("{} KB", format::int((bytes + 1023) / 1024))
    } else {
        format!("{} MB", format_decimal(bytes as f64 / MB as f64))
    }
}

/// Attaches the document's file (PDF or DOCX), replacing the one it had.
pub async fn attach_file(
    Ui(identity, lang): Ui,
    Path(id): Path<String>,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let writer = identity.access.programmes()?;
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    // Out of scope reads as absent, before anything of the upload is read.
    if !identity.access.sees_document(id).await? {
        return Err(AppError::NotFound);
    }
    let upload = crate::upload::read_attachment(&mut multipart).await?;
    let result = match upload {
        Some((name, bytes)) => writer.attach_file(id, &name, &bytes).await,
        None => Err(StoreError::Fields(vec![(
            "file".into(),
            "chưa chọn tệp".into(),
        )])),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/documents/{id}?ok=file")).into_response()),
        Err(StoreError::Fields(problems)) => {
            let problem = problems
                .into_iter()
                .map(|(_, m)| m)
                .collect::<Vec<_>>()
                .join("; ");
            document_view(
                &identity,
                lang,
                id,
                lang.texts().fix_errors,
                Returned::File(problem),
            )
            .await
        }
        Err(other) => Err(other.into()),
    }
}

/// The document's attached file, to open or save.
pub async fn download_file(
    Ui(identity, _): Ui,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let (file, content) = identity
        .access
        .document_attachment(id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, file.media_type),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format::attachment_disposition(&file.name),
            ),
        ],
        content,
    )
        .into_response())
}

/// What was typed into the document form.
#[derive(Deserialize, Default)]
pub struct DocumentForm {
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub issuing_body: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub number: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub signed_on: String,
    #[serde(default)]
    pub valid_from: String,
    #[serde(default)]
    pub valid_to: String,
    #[serde(default)]
    pub domain: String,
    #[serde(default)]
    pub implements: String,
}

#[derive(Template)]
#[template(path = "document_form.html")]
struct DocumentFormPage {
    c: Chrome,
    /// The three dates: (field, label, value).
    dates: Vec<(&'static str, &'static str, String)>,
    f: DocumentForm,
    errors: FieldErrors,
    kinds: Vec<Choice>,
    domains: Vec<Choice>,
}

fn form_page(
    identity: &Identity,
    lang: crate::i18n::Lang,
    f: DocumentForm,
    errors: FieldErrors,
) -> Result<Response, AppError> {
    let page = DocumentFormPage {
        c: Chrome::new(
            identity,
            lang,
            lang.texts().new_document,
            "targets",
            "/documents/new",
        ),
        dates: vec![
            ("signed_on", lang.texts().signed_on, f.signed_on.clone()),
            ("valid_from", lang.texts().valid_from, f.valid_from.clone()),
            ("valid_to", lang.texts().valid_to, f.valid_to.clone()),
        ],
        kinds: vocabulary_choices(
            &f.kind,
            DocumentKind::ALL,
            DocumentKind::code,
            DocumentKind::label_vi,
        ),
        domains: vocabulary_choices(&f.domain, Domain::ALL, Domain::code, Domain::label_vi),
        f,
        errors,
    };
    crate::error::render_form(&page, !page.errors.is_empty())
}

/// The form to file a document.
pub async fn new_page(Ui(identity, lang): Ui) -> Result<Response, AppError> {
    identity.access.programmes()?;
    let today = format::date(format::today());
    let f = DocumentForm {
        unit: identity.access.actor().scope.code.clone(),
        signed_on: today.clone(),
        valid_from: today,
        ..DocumentForm::default()
    };
    form_page(&identity, lang, f, FieldErrors::default())
}

/// Files a document and goes to its page.
pub async fn create(
    Ui(identity, lang): Ui,
    Form(f): Form<DocumentForm>,
) -> Result<Response, AppError> {
    let writer = identity.access.programmes()?;
    let mut problems = Vec::new();
    let signed_on = date_field("signed_on", &f.signed_on, &mut problems);
    let valid_from = date_field("valid_from", &f.valid_from, &mut problems);
    let valid_to = date_field("valid_to", &f.valid_to, &mut problems);
    let result = match super::unit_code_for(&identity.access, "unit", &f.unit).await {
        Ok(unit) => {
            writer
                .add_document(&NewDocument {
                    unit,
                    issuing_body: f.issuing_body.clone(),
                    kind: f.kind.clone(),
                    number: f.number.clone(),
                    title: f.title.clone(),
                    signed_on,
                    valid_from,
                    valid_to,
                    domain: f.domain.clone(),
                    implements: f.implements.clone(),
                })
                .await
        }
        Err(problem) => Err(problem),
    };
    match result {
        // The writer takes no document with a date missing: accepted, the form read whole.
        Ok(id) => Ok(Redirect::to(&format!("/documents/{id}?ok=filed")).into_response()),
        Err(StoreError::Fields(more)) => {
            form_page(&identity, lang, f, FieldErrors(merged(problems, more)))
        }
        Err(other) => Err(other.into()),
    }
}
