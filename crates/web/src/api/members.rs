//! Members: the list, a member's record and events, and recording an event.

use axum::Json;
use axum::body::Bytes;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use dangbo_store::access::EventOutcome;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{ApiQuery, ApiResult};
use crate::error::{ApiError, ErrorEnvelope};
use crate::format;
use crate::params::{EventForm, RecordForm};
use crate::session::Api;

#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
pub struct MemberListParams {
    /// Name (tone marks optional) or member code.
    #[serde(default)]
    q: String,
    /// Unit code; the whole scope by default.
    #[serde(default)]
    unit: String,
    #[serde(default)]
    date: String,
    /// full or probationary.
    #[serde(default)]
    status: String,
    /// male or female.
    #[serde(default)]
    sex: String,
    #[serde(default)]
    ethnicity: String,
    min_age: Option<u32>,
    max_age: Option<u32>,
    /// Theory level code, or "unknown".
    #[serde(default)]
    theory: String,
    /// The `next` cursor of the previous page.
    #[serde(default)]
    after: String,
    /// Rows per page, 1–1000 (default 100).
    limit: Option<usize>,
}

#[derive(Serialize, ToSchema)]
pub struct MemberRowOut {
    pub code: String,
    pub full_name: String,
    pub sex: String,
    pub birth_date: NaiveDate,
    pub ethnicity: String,
    pub theory_level: Option<String>,
    pub unit_code: String,
    pub unit_name: String,
    pub status: String,
}

#[derive(Serialize, ToSchema)]
pub struct MemberPageOut {
    pub rows: Vec<MemberRowOut>,
    /// Pass as `after` for the next page; absent on the last page.
    pub next: Option<String>,
}

/// Members active on a date in the caller's scope, in Vietnamese name order, paged by cursor.
#[utoipa::path(get, path = "/api/v1/members", params(MemberListParams), responses((status = 200, body = MemberPageOut), (status = 401, body = ErrorEnvelope)), security(("bearer" = [])))]
pub async fn members(
    Api(identity): Api,
    ApiQuery(p): ApiQuery<MemberListParams>,
) -> ApiResult<MemberPageOut> {
    let list = crate::ui::members::ListQuery {
        q: p.q,
        unit: p.unit,
        date: p.date,
        status: p.status,
        sex: p.sex,
        ethnicity: p.ethnicity,
        min_age: p.min_age.map(|a| a.to_string()).unwrap_or_default(),
        max_age: p.max_age.map(|a| a.to_string()).unwrap_or_default(),
        theory: p.theory,
        after: p.after,
        partial: String::new(),
    };
    let limit = match p.limit {
        None => 100,
        Some(limit @ 1..=1000) => limit,
        Some(other) => {
            return Err(ApiError::fields(vec![(
                "limit".into(),
                format!("«{other}» không hợp lệ: cần số nguyên từ 1 đến 1000"),
            )]));
        }
    };
    let query = list.to_store(limit).map_err(ApiError::fields)?;
    let page = identity.access.members(&query, format::today()).await?;
    Ok(Json(MemberPageOut {
        next: page.next.map(|(k, c)| format!("{k}|{c}")),
        rows: page
            .rows
            .into_iter()
            .map(|r| MemberRowOut {
                code: r.code,
                full_name: r.full_name,
                sex: r.sex,
                birth_date: r.birth_date,
                ethnicity: r.ethnicity,
                theory_level: r.theory_level,
                unit_code: r.unit_code,
                unit_name: r.unit_name,
                status: r.status,
            })
            .collect(),
    }))
}

#[derive(Serialize, ToSchema)]
pub struct MemberOut {
    pub code: String,
    pub full_name: String,
    pub sex: String,
    pub birth_date: NaiveDate,
    pub ethnicity: String,
    pub religion: String,
    pub home_town: String,
    pub residence: String,
    pub national_id: String,
    pub general_education: Option<String>,
    pub qualification: Option<String>,
    pub theory_level: Option<String>,
    pub occupation: String,
    pub phone: String,
    pub card_number: String,
    /// Current (or last) unit.
    pub unit_code: Option<String>,
    /// full, probationary, outside, or how membership ended.
    pub status: Option<String>,
    pub seniority_years: Option<u32>,
    /// The record's version: send it back with a change (`PUT`), which is refused if it moved on.
    pub version: i64,
}

/// A member's record and standing.
#[utoipa::path(get, path = "/api/v1/members/{code}", params(("code" = String, Path)), responses((status = 200, body = MemberOut), (status = 404, body = ErrorEnvelope)), security(("bearer" = [])))]
pub async fn member(Api(identity): Api, Path(code): Path<String>) -> ApiResult<MemberOut> {
    let view = identity
        .access
        .member(&code, format::today())
        .await?
        .ok_or_else(ApiError::not_found)?;
    let r = view.member.record;
    Ok(Json(MemberOut {
        code: r.code,
        full_name: r.full_name,
        sex: r.sex.code().into(),
        birth_date: r.birth_date,
        ethnicity: r.ethnicity,
        religion: r.religion,
        home_town: r.home_town,
        residence: r.residence,
        national_id: r.national_id,
        general_education: r.general_education.map(|v| v.code().into()),
        qualification: r.qualification.map(|v| v.code().into()),
        theory_level: r.theory_level.map(|v| v.code().into()),
        occupation: r.occupation,
        phone: r.phone,
        card_number: r.card_number,
        unit_code: view.unit.map(|u| u.code),
        status: view.status,
        seniority_years: view.seniority_years,
        version: view.member.version,
    }))
}

#[derive(Serialize, ToSchema)]
pub struct Updated {
    /// The record's new version.
    pub version: i64,
}

/// Replaces a member's record. `version` is the one it was read at (`GET`); if someone changed the
/// record since, nothing is written and the answer is 409 with when it changed.
#[utoipa::path(put, path = "/api/v1/members/{code}", params(("code" = String, Path)), request_body = RecordForm, responses((status = 200, body = Updated), (status = 409, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)), security(("bearer" = [])))]
pub async fn update_member(
    Api(identity): Api,
    Path(code): Path<String>,
    body: Bytes,
) -> ApiResult<Updated> {
    let editor = identity.access.editor()?;
    // A member outside the scope is not found, whatever the body says.
    identity
        .access
        .member(&code, format::today())
        .await?
        .ok_or_else(ApiError::not_found)?;
    let form = record_body(&body)?;
    let mut problems = Vec::new();
    let version = match form.version.trim().parse::<i64>() {
        Ok(version) => Some(version),
        Err(_) => {
            problems.push((
                "version".to_string(),
                "cần phiên bản hồ sơ (version) đọc được từ GET".to_string(),
            ));
            None
        }
    };
    let record = form.parse(&code).map_err(|mut p| {
        p.append(&mut problems.clone());
        ApiError::from(dangbo_store::StoreError::Fields(p))
    })?;
    let Some(version) = version else {
        return Err(dangbo_store::StoreError::Fields(problems).into());
    };
    let member = editor
        .update_member(&code, &record, version, format::today())
        .await?;
    Ok(Json(Updated {
        version: member.version,
    }))
}

/// The body of a record update: the whole record, every field named (a field left out or misspelt
/// would otherwise be erased without a word). `version` may be the number GET gave or its text.
fn record_body(body: &[u8]) -> Result<RecordForm, ApiError> {
    let json_error =
        |e: serde_json::Error| ApiError::bad_request(format!("JSON không hợp lệ: {e}"));
    let mut object: serde_json::Map<String, serde_json::Value> =
        serde_json::from_slice(body).map_err(json_error)?;
    let unknown: Vec<&str> = object
        .keys()
        .map(String::as_str)
        .filter(|key| !RecordForm::FIELDS.contains(key))
        .collect();
    let missing: Vec<&str> = RecordForm::FIELDS
        .iter()
        .copied()
        .filter(|field| !object.contains_key(*field))
        .collect();
    let mut problems: Vec<(String, String)> = unknown
        .iter()
        .map(|key| {
            (
                key.to_string(),
                "không có trường này trong hồ sơ".to_string(),
            )
        })
        .collect();
    problems.extend(missing.iter().map(|field| {
        (
            field.to_string(),
            "cần có (gửi cả hồ sơ; để trống là \"\")".to_string(),
        )
    }));
    if !problems.is_empty() {
        return Err(ApiError::fields(problems));
    }
    if let Some(version) = object.get_mut("version")
        && let Some(number) = version.as_i64()
    {
        *version = serde_json::Value::String(number.to_string());
    }
    serde_json::from_value(serde_json::Value::Object(object)).map_err(json_error)
}

#[derive(Serialize, ToSchema)]
pub struct EventOut {
    pub kind: String,
    pub kind_label: String,
    pub date: NaiveDate,
    pub decision_number: String,
    pub issuing_body: String,
    pub from_unit: Option<String>,
    pub to_unit: Option<String>,
    pub external_unit: String,
    pub note: String,
    /// recorded; restructure (moved by a restructure of the tree); or placement (placed in the
    /// branch when the roster was brought in, having joined the Party before it was founded).
    pub cause: String,
    /// Dated after today: recorded, not yet in force.
    pub scheduled: bool,
}

/// A member's events in date order, those dated after today marked `scheduled`.
#[utoipa::path(get, path = "/api/v1/members/{code}/events", params(("code" = String, Path)), responses((status = 200, body = Vec<EventOut>), (status = 404, body = ErrorEnvelope)), security(("bearer" = [])))]
pub async fn member_events(
    Api(identity): Api,
    Path(code): Path<String>,
) -> ApiResult<Vec<EventOut>> {
    let view = identity
        .access
        .member(&code, format::today())
        .await?
        .ok_or_else(ApiError::not_found)?;
    let unit_code = |id: Option<i64>| {
        id.and_then(|id| view.units.get(&id))
            .map(|u| u.code.clone())
    };
    Ok(Json(
        view.events
            .iter()
            .map(|e| (e, false))
            .chain(view.scheduled.iter().map(|e| (e, true)))
            .map(|(e, scheduled)| EventOut {
                scheduled,
                kind: e.event.kind.code().into(),
                kind_label: e.event.kind.label_vi().into(),
                date: e.event.date,
                decision_number: e.event.decision_number.clone(),
                issuing_body: e.event.issuing_body.clone(),
                from_unit: unit_code(e.event.from_unit_id),
                to_unit: unit_code(e.event.to_unit_id),
                external_unit: e.event.external_unit.clone(),
                note: e.event.note.clone(),
                cause: e.event.cause.code().into(),
            })
            .collect(),
    ))
}

#[derive(Serialize, ToSchema)]
pub struct Recorded {
    /// False when the same event was already on file and nothing was written.
    pub recorded: bool,
}

/// Records an event for a member; refused events come back with the reason per field.
#[utoipa::path(post, path = "/api/v1/members/{code}/events", params(("code" = String, Path)), request_body = EventForm, responses((status = 201, body = Recorded, description = "Recorded"), (status = 200, body = Recorded, description = "The same event was already on file; nothing written"), (status = 422, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)), security(("bearer" = [])))]
pub async fn record_event(
    Api(identity): Api,
    Path(code): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let editor = identity.access.editor()?;
    let input: EventForm = serde_json::from_slice(&body)
        .map_err(|e| ApiError::bad_request(format!("JSON không hợp lệ: {e}")))?;
    // A resent request for an event already on file is answered 200 with `recorded: false`.
    let (status, recorded) = match editor.record_event(&code, &input.input()).await? {
        EventOutcome::Recorded => (StatusCode::CREATED, true),
        EventOutcome::AlreadyRecorded => (StatusCode::OK, false),
    };
    Ok((status, Json(Recorded { recorded })).into_response())
}
