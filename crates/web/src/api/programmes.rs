//! Work programmes: documents with their targets and tasks, a unit's targets for a period judged
//! with met / total per domain, a unit's tasks on a day; and the writing routes, through the same
//! programme writer as the forms and the imports.

use std::collections::BTreeMap;

use axum::Json;
use axum::body::Bytes;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use dangbo_store::access::{
    Document, NewDocument, NewTarget, NewTask, NewTaskReport, TargetsReport, Task,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{ApiQuery, ApiResult, json_body};
use crate::error::{ApiError, ErrorEnvelope};
use crate::params::{date_field, required_date};
use crate::session::Api;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TargetsParams {
    /// Unit code or exact name; the caller's scope by default. Targets of its whole subtree are
    /// listed.
    #[serde(default)]
    unit: String,
    /// Targets whose period overlaps from…to; 1 January of `to`'s year by default.
    #[serde(default)]
    from: String,
    /// The day targets are judged on; today by default.
    #[serde(default)]
    to: String,
}

#[derive(Serialize, ToSchema)]
pub struct TargetUnitOut {
    pub code: String,
    pub name: String,
}

#[derive(Serialize, ToSchema)]
pub struct TargetOut {
    /// The number of the document that set it ("03-NQ/HU").
    pub document: String,
    /// The code of the unit whose subtree it measures.
    pub unit: String,
    pub text: String,
    /// economy, culture_society, defence_security or party_building.
    pub domain: String,
    /// The figure it is bound to; null for a target judged on reported values.
    pub figure: Option<String>,
    /// `>`, `>=`, `=`, `<=` or `<`.
    pub comparator: String,
    pub target: f64,
    /// Null when nothing is recorded or reported yet.
    pub actual: Option<f64>,
    /// The actual over the target in percent (for a period not over, the share reached so far).
    pub percent: Option<f64>,
    /// achieved, not_achieved or not_due.
    pub result: String,
}

#[derive(Serialize, ToSchema)]
pub struct MetTotalOut {
    pub met: usize,
    pub total: usize,
}

#[derive(Serialize, ToSchema)]
pub struct TargetsOut {
    pub unit: TargetUnitOut,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub targets: Vec<TargetOut>,
    /// Met / total for each of the four main domains.
    pub by_domain: BTreeMap<String, MetTotalOut>,
    pub met: usize,
    pub total: usize,
}

impl From<TargetsReport> for TargetsOut {
    fn from(report: TargetsReport) -> TargetsOut {
        TargetsOut {
            unit: TargetUnitOut {
                code: report.unit.code,
                name: report.unit.name,
            },
            from: report.from,
            to: report.to,
            targets: report
                .targets
                .into_iter()
                .map(|t| TargetOut {
                    document: t.document,
                    unit: t.unit,
                    text: t.text,
                    domain: t.domain.to_string(),
                    figure: t.figure,
                    comparator: t.comparator.to_string(),
                    target: t.target,
                    actual: t.actual,
                    percent: t.percent,
                    result: t.result.to_string(),
                })
                .collect(),
            by_domain: report
                .by_domain
                .into_iter()
                .map(|(domain, count)| {
                    (
                        domain.to_string(),
                        MetTotalOut {
                            met: count.met,
                            total: count.total,
                        },
                    )
                })
                .collect(),
            met: report.met,
            total: report.total,
        }
    }
}

/// The targets of a unit's subtree whose period overlaps the one asked, each judged on what is
/// counted (or reported) up to `to`.
#[utoipa::path(get, path = "/api/v1/targets", params(TargetsParams), responses((status = 200, body = TargetsOut), (status = 400, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)), security(("bearer" = [])))]
pub async fn targets(
    Api(identity): Api,
    ApiQuery(p): ApiQuery<TargetsParams>,
) -> ApiResult<TargetsOut> {
    let (from, to) = crate::params::period(&p.from, &p.to).map_err(ApiError::fields)?;
    let report = identity
        .access
        .targets_report(&p.unit, from, to)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(Json(report.into()))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DocumentsParams {
    /// Unit code or exact name; the caller's scope by default. Documents of its whole subtree.
    #[serde(default)]
    unit: String,
    /// Signed from…to; 1 January of `to`'s year by default.
    #[serde(default)]
    from: String,
    /// Today by default.
    #[serde(default)]
    to: String,
}

#[derive(Serialize, ToSchema)]
pub struct DocumentOut {
    pub id: i64,
    /// In the Party's form: "03-NQ/HU".
    pub number: String,
    /// resolution, thematic_resolution, action_program, plan, conclusion, directive, regulation
    /// or report.
    pub kind: String,
    pub title: String,
    /// The issuing unit's code.
    pub unit: String,
    /// The body beside the unit that issued it; empty when the unit's committee did.
    pub issuing_body: String,
    pub signed_on: NaiveDate,
    pub valid_from: NaiveDate,
    pub valid_to: NaiveDate,
    pub domain: String,
    /// The number of the document it carries out.
    pub implements: Option<String>,
}

impl From<Document> for DocumentOut {
    fn from(d: Document) -> DocumentOut {
        DocumentOut {
            id: d.id,
            number: d.number,
            kind: d.kind.code().to_string(),
            title: d.title,
            unit: d.unit_code,
            issuing_body: d.issuing_body,
            signed_on: d.signed_on,
            valid_from: d.valid_from,
            valid_to: d.valid_to,
            domain: d.domain.code().to_string(),
            implements: d.implements,
        }
    }
}

/// The documents signed in a period by issuers in a unit's subtree, newest first.
#[utoipa::path(get, path = "/api/v1/documents", params(DocumentsParams), responses((status = 200, body = Vec<DocumentOut>), (status = 400, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)), security(("bearer" = [])))]
pub async fn documents(
    Api(identity): Api,
    ApiQuery(p): ApiQuery<DocumentsParams>,
) -> ApiResult<Vec<DocumentOut>> {
    let (from, to) = crate::params::period(&p.from, &p.to).map_err(ApiError::fields)?;
    let (_, list) = identity
        .access
        .documents(&p.unit, from, to)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(Json(list.into_iter().map(DocumentOut::from).collect()))
}

#[derive(Serialize, ToSchema)]
pub struct DocumentTargetOut {
    pub id: i64,
    pub unit: String,
    pub text: String,
    pub domain: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub figure: Option<String>,
    pub comparator: String,
    pub value: f64,
    /// The id of the target it is a part of, when split from one.
    pub allocated_from: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct TaskOut {
    pub id: i64,
    /// The number of the document assigning it, and its id.
    pub document: String,
    pub document_id: i64,
    pub unit: String,
    pub text: String,
    pub owner: String,
    pub assigned_on: NaiveDate,
    pub deadline: NaiveDate,
    pub done_on: Option<NaiveDate>,
    /// assigned, in_progress, done or overdue, on the day asked (today for a document's tasks).
    pub state: String,
}

fn task_out(task: Task, day: NaiveDate) -> TaskOut {
    let state = task.state_shown(day).code().to_string();
    TaskOut {
        id: task.id,
        document: task.document,
        document_id: task.document_id,
        unit: task.unit_code,
        text: task.text,
        owner: task.owner,
        assigned_on: task.assigned_on,
        deadline: task.deadline,
        done_on: task.done_on,
        state,
    }
}

#[derive(Serialize, ToSchema)]
pub struct AttachedFileOut {
    pub name: String,
    pub size: i64,
    /// Where the signed-in browser downloads it.
    pub link: String,
}

#[derive(Serialize, ToSchema)]
pub struct DocumentDetailOut {
    pub document: DocumentOut,
    pub targets: Vec<DocumentTargetOut>,
    pub tasks: Vec<TaskOut>,
    /// The documents carrying it out.
    pub implementing: Vec<DocumentOut>,
    pub file: Option<AttachedFileOut>,
}

/// A document in scope with its targets, its tasks (their state today) and the documents
/// carrying it out.
#[utoipa::path(get, path = "/api/v1/documents/{id}", params(("id" = i64, Path)), responses((status = 200, body = DocumentDetailOut), (status = 404, body = ErrorEnvelope)), security(("bearer" = [])))]
pub async fn document(Api(identity): Api, Path(id): Path<String>) -> ApiResult<DocumentDetailOut> {
    let id: i64 = id.parse().map_err(|_| ApiError::not_found())?;
    let file = identity
        .access
        .document(id)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let today = crate::format::today();
    Ok(Json(DocumentDetailOut {
        targets: file
            .targets
            .into_iter()
            .map(|(t, _)| DocumentTargetOut {
                id: t.id,
                unit: t.unit_code,
                text: t.text,
                domain: t.domain.code().to_string(),
                from: t.from,
                to: t.to,
                figure: t.figure_key,
                comparator: t.comparator.symbol().to_string(),
                value: t.value,
                allocated_from: t.allocated_from,
            })
            .collect(),
        tasks: file
            .tasks
            .into_iter()
            .map(|(task, _)| task_out(task, today))
            .collect(),
        implementing: file
            .implementing
            .into_iter()
            .map(DocumentOut::from)
            .collect(),
        file: file.file.map(|f| AttachedFileOut {
            name: f.name,
            size: f.size,
            link: format!("/documents/{id}/file"),
        }),
        document: file.document.into(),
    }))
}

#[derive(Deserialize, ToSchema)]
pub struct DocumentIn {
    /// The issuing unit's code.
    pub unit: String,
    #[serde(default)]
    pub issuing_body: String,
    pub kind: String,
    pub number: String,
    pub title: String,
    /// yyyy-mm-dd or dd/mm/yyyy.
    pub signed_on: String,
    pub valid_from: String,
    pub valid_to: String,
    pub domain: String,
    /// The number of the document it carries out.
    #[serde(default)]
    pub implements: String,
}

#[derive(Serialize, ToSchema)]
pub struct Created {
    pub id: i64,
}

fn created(id: i64) -> Response {
    (StatusCode::CREATED, Json(Created { id })).into_response()
}

/// The writer's problems after the body's own (an unreadable date), without a second word on a
/// field already named.
fn refused(problems: crate::params::Problems, error: dangbo_store::StoreError) -> ApiError {
    match error {
        dangbo_store::StoreError::Fields(more) => {
            dangbo_store::StoreError::Fields(crate::params::merged(problems, more)).into()
        }
        other => other.into(),
    }
}

/// Files a directing document of a unit in scope.
#[utoipa::path(post, path = "/api/v1/documents", request_body = DocumentIn, responses((status = 201, body = Created), (status = 422, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)), security(("bearer" = [])))]
pub async fn add_document(Api(identity): Api, body: Bytes) -> Result<Response, ApiError> {
    let writer = identity.access.programmes()?;
    let input: DocumentIn = json_body(&body)?;
    let mut problems = Vec::new();
    let signed_on = required_date("signed_on", &input.signed_on, &mut problems);
    let valid_from = required_date("valid_from", &input.valid_from, &mut problems);
    let valid_to = required_date("valid_to", &input.valid_to, &mut problems);
    writer
        .add_document(&NewDocument {
            unit: input.unit,
            issuing_body: input.issuing_body,
            kind: input.kind,
            number: input.number,
            title: input.title,
            signed_on,
            valid_from,
            valid_to,
            domain: input.domain,
            implements: input.implements,
        })
        .await
        .map(created)
        .map_err(|e| refused(problems, e))
}

#[derive(Deserialize, ToSchema)]
pub struct TargetIn {
    /// The document setting it: its id, or its number (looked up among the documents of the
    /// target's unit and those above it).
    #[serde(default)]
    pub document_id: Option<i64>,
    #[serde(default)]
    pub document: String,
    pub unit: String,
    pub text: String,
    pub domain: String,
    pub from: String,
    pub to: String,
    /// A figure key; empty for a target judged on reported values.
    #[serde(default)]
    pub figure: String,
    pub comparator: String,
    pub value: f64,
    /// The wording of the target of the same document it is a part of.
    #[serde(default)]
    pub allocated_from: String,
}

/// Sets a target of a document for a unit in scope.
#[utoipa::path(post, path = "/api/v1/targets", request_body = TargetIn, responses((status = 201, body = Created), (status = 422, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)), security(("bearer" = [])))]
pub async fn add_target(Api(identity): Api, body: Bytes) -> Result<Response, ApiError> {
    let writer = identity.access.programmes()?;
    let input: TargetIn = json_body(&body)?;
    let mut problems = Vec::new();
    let from = required_date("from", &input.from, &mut problems);
    let to = required_date("to", &input.to, &mut problems);
    writer
        .add_target(&NewTarget {
            document: input.document,
            document_id: input.document_id,
            unit: input.unit,
            text: input.text,
            domain: input.domain,
            from,
            to,
            figure: input.figure,
            comparator: input.comparator,
            value: Some(input.value),
            allocated_from: input.allocated_from,
        })
        .await
        .map(created)
        .map_err(|e| refused(problems, e))
}

#[derive(Deserialize, ToSchema)]
pub struct ValueIn {
    /// The day the value is reported as of.
    pub as_of: String,
    pub value: f64,
    /// The document it comes from.
    pub source: String,
}

#[derive(Serialize, ToSchema)]
pub struct Recorded {
    pub recorded: bool,
}

/// Reports the value of a target in scope judged on reported values.
#[utoipa::path(post, path = "/api/v1/targets/{id}/values", params(("id" = i64, Path)), request_body = ValueIn, responses((status = 201, body = Recorded), (status = 422, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)), security(("bearer" = [])))]
pub async fn report_value(
    Api(identity): Api,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let writer = identity.access.programmes()?;
    let id: i64 = id.parse().map_err(|_| ApiError::not_found())?;
    // A target outside the scope is not found, whatever the body says.
    if identity.access.target(id).await?.is_none() {
        return Err(ApiError::not_found());
    }
    let input: ValueIn = json_body(&body)?;
    let mut problems = Vec::new();
    let as_of = required_date("as_of", &input.as_of, &mut problems);
    let Some(as_of) = as_of else {
        let more = writer.report_problems(Some(input.value), &input.source);
        return Err(refused(problems, dangbo_store::StoreError::Fields(more)));
    };
    writer
        .report_value(id, as_of, input.value, &input.source)
        .await
        .map_err(|e| refused(problems, e))?;
    Ok((StatusCode::CREATED, Json(Recorded { recorded: true })).into_response())
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TasksParams {
    /// Unit code or exact name; the caller's scope by default. Tasks of its whole subtree.
    #[serde(default)]
    unit: String,
    /// The day the states are read on; today by default.
    #[serde(default)]
    as_of: String,
}

/// The tasks of a unit's subtree assigned by a day, with their state that day, overdue first.
#[utoipa::path(get, path = "/api/v1/tasks", params(TasksParams), responses((status = 200, body = Vec<TaskOut>), (status = 400, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)), security(("bearer" = [])))]
pub async fn tasks(
    Api(identity): Api,
    ApiQuery(p): ApiQuery<TasksParams>,
) -> ApiResult<Vec<TaskOut>> {
    let mut problems = Vec::new();
    let day = date_field("as_of", &p.as_of, &mut problems).unwrap_or_else(crate::format::today);
    if !problems.is_empty() {
        return Err(ApiError::fields(problems));
    }
    let (_, list) = identity
        .access
        .tasks(&p.unit, day)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(Json(
        list.into_iter().map(|s| task_out(s.task, day)).collect(),
    ))
}

#[derive(Deserialize, ToSchema)]
pub struct TaskIn {
    /// The document assigning it: its id, or its number.
    #[serde(default)]
    pub document_id: Option<i64>,
    #[serde(default)]
    pub document: String,
    pub unit: String,
    pub text: String,
    pub owner: String,
    /// Empty: the document's signing date.
    #[serde(default)]
    pub assigned_on: String,
    pub deadline: String,
}

/// Assigns a task of a document to a unit in scope.
#[utoipa::path(post, path = "/api/v1/tasks", request_body = TaskIn, responses((status = 201, body = Created), (status = 422, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)), security(("bearer" = [])))]
pub async fn add_task(Api(identity): Api, body: Bytes) -> Result<Response, ApiError> {
    let writer = identity.access.programmes()?;
    let input: TaskIn = json_body(&body)?;
    let mut problems = Vec::new();
    let assigned_on = date_field("assigned_on", &input.assigned_on, &mut problems);
    let deadline = required_date("deadline", &input.deadline, &mut problems);
    let task = NewTask {
        document: input.document,
        document_id: input.document_id,
        unit: input.unit,
        text: input.text,
        owner: input.owner,
        assigned_on,
        deadline,
    };
    if !problems.is_empty() {
        // An unreadable assignment date must not stand for the document's day.
        let more = writer.task_problems(&task).await?;
        return Err(refused(problems, dangbo_store::StoreError::Fields(more)));
    }
    writer
        .add_task(&task)
        .await
        .map(created)
        .map_err(|e| refused(Vec::new(), e))
}

#[derive(Deserialize, ToSchema)]
pub struct TaskReportIn {
    pub reported_on: String,
    /// in_progress or done.
    pub state: String,
    #[serde(default)]
    pub note: String,
}

/// Records progress on a task in scope.
#[utoipa::path(post, path = "/api/v1/tasks/{id}/reports", params(("id" = i64, Path)), request_body = TaskReportIn, responses((status = 201, body = Recorded), (status = 422, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)), security(("bearer" = [])))]
pub async fn report_task(
    Api(identity): Api,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let writer = identity.access.programmes()?;
    let id: i64 = id.parse().map_err(|_| ApiError::not_found())?;
    if identity.access.task(id).await?.is_none() {
        return Err(ApiError::not_found());
    }
    let input: TaskReportIn = json_body(&body)?;
    let mut problems = Vec::new();
    let reported_on = required_date("reported_on", &input.reported_on, &mut problems);
    writer
        .report_task(
            id,
            &NewTaskReport {
                reported_on,
                state: input.state,
                note: input.note,
            },
            crate::format::today(),
        )
        .await
        .map_err(|e| refused(problems, e))?;
    Ok((StatusCode::CREATED, Json(Recorded { recorded: true })).into_response())
}
