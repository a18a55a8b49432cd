//! Political education: the study sessions organized in a unit's subtree, a session with its
//! attendance sheet; and the writing routes of the propaganda board (a session, a participating
//! unit's counts, members' attendance as an all-or-nothing sheet), through the same study writer
//! as the pages. A session out of scope is not found, whatever the body says.

use axum::Json;
use axum::body::Bytes;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use dangbo_store::access::{
    AttendanceRow, CountsInput, DocumentRef, MarkInput, SessionInput, SessionView, StudySession,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{ApiQuery, ApiResult, json_body};
use crate::error::{ApiError, ErrorEnvelope};
use crate::params::{date_field, period, required_date};
use crate::session::{Api, Identity};

/// The largest count of attendances or members a unit may give for one session.
pub(super) use dangbo_store::access::MAX_COUNT;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SessionsParams {
    /// Unit code or exact name; the caller's scope by default. Sessions organized in its
    /// subtree.
    #[serde(default)]
    unit: String,
    /// The period's first day (dd/mm/yyyy or yyyy-mm-dd); 1 January of `to`'s year by default.
    #[serde(default)]
    from: String,
    /// The period's last day; today by default. Sessions starting in the period.
    #[serde(default)]
    to: String,
}

#[derive(Serialize, ToSchema)]
pub struct SessionDocumentOut {
    pub number: String,
    pub title: String,
}

#[derive(Serialize, ToSchema)]
pub struct StudyUnitOut {
    pub unit_code: String,
    pub unit_name: String,
    /// Whether only counts are known for it (else a sheet of members).
    pub by_count: bool,
    /// The members expected.
    pub expected: Option<i64>,
    /// The attendances (lượt): the count given, or the members present.
    pub attended: i64,
    /// Members recorded absent (on a sheet only).
    pub absent: i64,
    /// Attendances of people who are not members.
    pub non_members: i64,
}

#[derive(Serialize, ToSchema)]
pub struct StudySessionOut {
    pub code: String,
    /// The organizing unit.
    pub unit_code: String,
    pub unit_name: String,
    /// The board beside the unit that organized it, if not the committee itself.
    pub organizer_body: String,
    /// resolution_study, theory_training, professional_training or thematic_meeting.
    pub kind: String,
    pub title: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub place: String,
    pub online: bool,
    pub documents: Vec<SessionDocumentOut>,
    /// The participating units with their attendance.
    pub units: Vec<StudyUnitOut>,
}

fn session_out(s: StudySession) -> StudySessionOut {
    StudySessionOut {
        code: s.code,
        unit_code: s.unit_code,
        unit_name: s.unit_name,
        organizer_body: s.organizer_body,
        kind: s.kind.code().into(),
        title: s.title,
        from: s.from,
        to: s.to,
        place: s.place,
        online: s.online,
        documents: s
            .documents
            .into_iter()
            .map(|d| SessionDocumentOut {
                number: d.number,
                title: d.title,
            })
            .collect(),
        units: s
            .units
            .into_iter()
            .map(|u| StudyUnitOut {
                unit_code: u.unit_code,
                unit_name: u.unit_name,
                by_count: u.by_count,
                expected: u.expected,
                attended: u.attended,
                absent: u.absent,
                non_members: u.non_members,
            })
            .collect(),
    }
}

#[derive(Serialize, ToSchema)]
pub struct AttendanceRowOut {
    pub session_code: String,
    pub session_title: String,
    pub from: NaiveDate,
    pub member_code: String,
    pub full_name: String,
    /// The participating unit the member attended with.
    pub unit_code: String,
    /// present, excused or absent.
    pub attendance: String,
    pub reason: String,
}

fn row_out(r: AttendanceRow) -> AttendanceRowOut {
    AttendanceRowOut {
        session_code: r.session_code,
        session_title: r.session_title,
        from: r.from,
        member_code: r.member_code,
        full_name: r.full_name,
        unit_code: r.unit_code,
        attendance: r.attendance.code().into(),
        reason: r.reason,
    }
}

#[derive(Serialize, ToSchema)]
pub struct SessionViewOut {
    pub session: StudySessionOut,
    /// The members' attendance of the participating units in scope.
    pub sheet: Vec<AttendanceRowOut>,
}

fn view_out(view: SessionView) -> SessionViewOut {
    SessionViewOut {
        session: session_out(view.session),
        sheet: view.sheet.into_iter().map(row_out).collect(),
    }
}

/// The study sessions organized in a unit's subtree starting in a period, newest first.
#[utoipa::path(get, path = "/api/v1/study", params(SessionsParams), responses((status = 200, body = Vec<StudySessionOut>), (status = 400, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)), security(("bearer" = [])))]
pub async fn sessions(
    Api(identity): Api,
    ApiQuery(p): ApiQuery<SessionsParams>,
) -> ApiResult<Vec<StudySessionOut>> {
    let (from, to) = period(&p.from, &p.to).map_err(ApiError::fields)?;
    let (_, list) = identity
        .access
        .study_sessions(&p.unit, from, to)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(Json(list.into_iter().map(session_out).collect()))
}

/// A session organized in scope, with the attendance sheet of its units in scope.
#[utoipa::path(get, path = "/api/v1/study/{code}", params(("code" = String, Path)), responses((status = 200, body = SessionViewOut), (status = 400, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)), security(("bearer" = [])))]
pub async fn session(Api(identity): Api, Path(code): Path<String>) -> ApiResult<SessionViewOut> {
    Ok(Json(read(&identity, &code).await?))
}

/// The session in scope with its sheet, or not found.
async fn read(identity: &Identity, code: &str) -> Result<SessionViewOut, ApiError> {
    let view = identity
        .access
        .study_session(code)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(view_out(view))
}

#[derive(Deserialize, ToSchema)]
pub struct DocumentRefIn {
    /// The document's number: a work programme's document of the unit or above when one has
    /// it (its title is then taken when none is given).
    pub number: String,
    #[serde(default)]
    pub title: String,
}

#[derive(Deserialize, ToSchema)]
pub struct SessionIn {
    pub code: String,
    /// The organizing unit.
    pub unit: String,
    /// The board beside the unit that organized it (Ban Tuyên giáo…), if not the committee.
    #[serde(default)]
    pub organizer_body: String,
    /// resolution_study, theory_training, professional_training or thematic_meeting (or the
    /// Vietnamese words).
    pub kind: String,
    /// The class's, conference's or topic's name.
    pub title: String,
    /// The first day.
    pub from: String,
    /// The last day; the first day when empty.
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub online: bool,
    /// The documents studied.
    #[serde(default)]
    pub documents: Vec<DocumentRefIn>,
    /// The participating units (codes or exact names) in the organizing unit's subtree; the
    /// organizing unit when empty.
    #[serde(default)]
    pub units: Vec<String>,
}

/// Records a study session with its documents and participating units.
#[utoipa::path(post, path = "/api/v1/study", request_body = SessionIn, responses((status = 201, body = StudySessionOut), (status = 400, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)), security(("bearer" = [])))]
pub async fn add_session(Api(identity): Api, body: Bytes) -> Result<Response, ApiError> {
    let writer = identity.access.study_writer()?;
    let input: SessionIn = json_body(&body)?;
    let mut problems = Vec::new();
    let from = required_date("from", &input.from, &mut problems);
    let to = date_field("to", &input.to, &mut problems);
    if !problems.is_empty() {
        return Err(ApiError::fields(problems));
    }
    let session = writer
        .record(&SessionInput {
            code: input.code,
            unit: input.unit,
            organizer_body: input.organizer_body,
            kind: input.kind,
            title: input.title,
            from,
            to,
            place: input.place,
            online: input.online,
            documents: input
                .documents
                .into_iter()
                .map(|d| DocumentRef {
                    number: d.number,
                    title: d.title,
                })
                .collect(),
            units: input.units,
        })
        .await?;
    Ok((StatusCode::CREATED, Json(session_out(session))).into_response())
}

#[derive(Deserialize, ToSchema)]
pub struct CountsIn {
    /// A participating unit's code.
    pub unit: String,
    /// The attendances (lượt) of members; null when the unit keeps a sheet of members.
    #[serde(default)]
    pub attended: Option<i64>,
    /// The members expected.
    #[serde(default)]
    pub expected: Option<i64>,
    /// Attendances of people who are not members.
    #[serde(default)]
    pub non_members: i64,
}

/// Records a participating unit's attendance as counts, when only counts are known.
#[utoipa::path(post, path = "/api/v1/study/{code}/counts", params(("code" = String, Path)), request_body = CountsIn, responses((status = 200, body = SessionViewOut), (status = 400, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)), security(("bearer" = [])))]
pub async fn record_counts(
    Api(identity): Api,
    Path(code): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let writer = identity.access.study_writer()?;
    // A session out of scope is not found, whatever the body says.
    read(&identity, &code).await?;
    let input: CountsIn = json_body(&body)?;
    let problems: Vec<(String, String)> = [
        ("attended", input.attended),
        ("expected", input.expected),
        ("non_members", Some(input.non_members)),
    ]
    .into_iter()
    .filter_map(|(field, value)| {
        let value = value.filter(|v| *v > MAX_COUNT)?;
        Some((
            field.to_string(),
            format!(
                "{} quá lớn: tối đa {}",
                dangbo_domain::text::format_int(value),
                dangbo_domain::text::format_int(MAX_COUNT)
            ),
        ))
    })
    .collect();
    if !problems.is_empty() {
        return Err(ApiError::fields(problems));
    }
    writer
        .record_counts(
            &code,
            &CountsInput {
                unit: input.unit,
                attended: input.attended,
                expected: input.expected,
                non_members: input.non_members,
            },
        )
        .await?;
    Ok((StatusCode::OK, Json(read(&identity, &code).await?)).into_response())
}

#[derive(Deserialize, ToSchema)]
pub struct MarkIn {
    /// The member's code.
    pub member: String,
    /// present, excused or absent (or the Vietnamese words).
    pub attendance: String,
    /// Why they were absent.
    #[serde(default)]
    pub reason: String,
}

#[derive(Deserialize, ToSchema)]
pub struct SheetIn {
    /// One row per member, numbered from 1 in the errors.
    pub rows: Vec<MarkIn>,
}

/// Records members' attendance of a session in scope, all or nothing: every bad row is named
/// with its number (the first row is 1) and nothing is written unless every row is good.
#[utoipa::path(post, path = "/api/v1/study/{code}/attendance", params(("code" = String, Path)), request_body = SheetIn, responses((status = 200, body = SessionViewOut), (status = 400, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)), security(("bearer" = [])))]
pub async fn record_attendance(
    Api(identity): Api,
    Path(code): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let writer = identity.access.study_writer()?;
    // A session out of scope is not found, whatever the body says.
    read(&identity, &code).await?;
    let input: SheetIn = json_body(&body)?;
    let rows: Vec<MarkInput> = input
        .rows
        .into_iter()
        .map(|r| MarkInput {
            member: r.member,
            attendance: r.attendance,
            reason: r.reason,
        })
        .collect();
    writer.mark(&code, &rows, 1).await?;
    Ok((StatusCode::OK, Json(read(&identity, &code).await?)).into_response())
}
