//! The JSON API under `/api/v1`, described by the OpenAPI document at `/api/v1/openapi.json`.
//! Callers authenticate with an API token (`Authorization: Bearer …`) or a browser session; both
//! are scoped like users. Every error has the same envelope: `{"error": {code, message, details}}`.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{FromRequestParts, Path, Query};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use dangbo_domain::figure;
use dangbo_store::StoreError;
use dangbo_store::io::{Dataset, Format};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, OpenApi, ToSchema};

use crate::AppError;
use crate::format;
use crate::session::Api;
use crate::ui::dashboard::WindowQuery;

/// The error envelope.
#[derive(Serialize, ToSchema)]
pub struct ErrorEnvelope {
    pub error: ErrorBody,
}

#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    /// not_found, forbidden, unauthorized, bad_request, invalid, internal.
    pub code: String,
    /// For people, in Vietnamese.
    pub message: String,
    /// Per-field or per-row problems, when there are any.
    pub details: Vec<Problem>,
}

/// One problem: a field of a request, or a row and column of an imported file.
#[derive(Serialize, ToSchema)]
pub struct Problem {
    pub field: String,
    pub row: Option<usize>,
    pub value: Option<String>,
    pub message: String,
}

/// An API error; internal text is logged, never sent.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
    details: Vec<(String, Option<usize>, Option<String>, String)>,
}

impl ApiError {
    pub fn unauthorized() -> ApiError {
        ApiError {
            status: StatusCode::UNAUTHORIZED,
            code: "unauthorized",
            message: "cần mã truy cập (Authorization: Bearer …) hoặc đăng nhập".into(),
            details: Vec::new(),
        }
    }

    fn not_found() -> ApiError {
        AppError::NotFound.into()
    }

    fn bad_request(message: impl Into<String>) -> ApiError {
        AppError::BadRequest(message.into()).into()
    }
}

impl From<AppError> for ApiError {
    fn from(error: AppError) -> ApiError {
        if let AppError::Internal(detail) = &error {
            tracing::error!("{detail}");
            eprintln!("lỗi nội bộ: {detail}");
        }
        ApiError {
            status: error.status(),
            code: error.code(),
            message: error.public_message(),
            details: Vec::new(),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> ApiError {
        match error {
            StoreError::Fields(problems) => ApiError {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                code: "invalid",
                message: "dữ liệu chưa hợp lệ".into(),
                details: problems
                    .into_iter()
                    .map(|(f, m)| (f, None, None, m))
                    .collect(),
            },
            StoreError::Import(rows) => ApiError {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                code: "invalid",
                message: format!("{} dòng lỗi, không ghi gì vào cơ sở dữ liệu", rows.len()),
                details: rows
                    .into_iter()
                    .map(|r| (r.column, Some(r.row), Some(r.value), r.message))
                    .collect(),
            },
            other => AppError::from(other).into(),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorEnvelope {
            error: ErrorBody {
                code: self.code.to_string(),
                message: self.message,
                details: self
                    .details
                    .into_iter()
                    .map(|(field, row, value, message)| Problem {
                        field,
                        row,
                        value,
                        message,
                    })
                    .collect(),
            },
        };
        (self.status, Json(body)).into_response()
    }
}

type ApiResult<T> = Result<Json<T>, ApiError>;

/// Query parameters whose parse errors come back in the error envelope.
pub struct ApiQuery<T>(pub T);

impl<T, S> FromRequestParts<S> for ApiQuery<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<ApiQuery<T>, ApiError> {
        Query::<T>::from_request_parts(parts, state)
            .await
            .map(|Query(value)| ApiQuery(value))
            .map_err(|e| ApiError::bad_request(format!("tham số không hợp lệ: {}", e.body_text())))
    }
}

#[derive(Serialize, ToSchema)]
pub struct UnitOut {
    pub code: String,
    pub name: String,
    /// Unit kind code (province_committee, grassroots_committee, branch, …).
    pub kind: String,
    pub kind_label: String,
    pub start_date: NaiveDate,
    pub end_date: Option<NaiveDate>,
    /// Depth under the caller's scope (tree listings only).
    pub depth: Option<usize>,
}

impl UnitOut {
    fn of(unit: &dangbo_store::units::Unit, depth: Option<usize>) -> UnitOut {
        UnitOut {
            code: unit.code.clone(),
            name: unit.name.clone(),
            kind: unit.kind.code().to_string(),
            kind_label: unit.kind.label_vi().to_string(),
            start_date: unit.start_date,
            end_date: unit.end_date,
            depth,
        }
    }
}

#[derive(Deserialize, IntoParams)]
pub struct DateParam {
    /// yyyy-mm-dd or dd/mm/yyyy; today by default.
    #[serde(default)]
    date: String,
}

/// The unit tree of the caller's scope on a date.
#[utoipa::path(get, path = "/api/v1/units", params(DateParam), responses((status = 200, body = Vec<UnitOut>), (status = 401, body = ErrorEnvelope)), security(("bearer" = [])))]
pub async fn units(
    Api(identity): Api,
    ApiQuery(q): ApiQuery<DateParam>,
) -> ApiResult<Vec<UnitOut>> {
    let date = format::parse_date(&q.date).unwrap_or_else(format::today);
    let tree = identity.access.tree(date).await?;
    Ok(Json(
        tree.iter()
            .map(|e| UnitOut::of(&e.unit, Some(e.depth)))
            .collect(),
    ))
}

#[derive(Serialize, ToSchema)]
pub struct LineageOut {
    pub kind: String,
    pub date: NaiveDate,
    pub decision_number: String,
    pub from_code: String,
    pub to_code: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct UnitDetailOut {
    pub unit: UnitOut,
    pub children: Vec<UnitOut>,
    pub lineage: Vec<LineageOut>,
}

/// A unit with its sub-units on a date and its restructure history.
#[utoipa::path(get, path = "/api/v1/units/{code}", params(("code" = String, Path), DateParam), responses((status = 200, body = UnitDetailOut), (status = 404, body = ErrorEnvelope)), security(("bearer" = [])))]
pub async fn unit(
    Api(identity): Api,
    Path(code): Path<String>,
    ApiQuery(q): ApiQuery<DateParam>,
) -> ApiResult<UnitDetailOut> {
    let date = format::parse_date(&q.date).unwrap_or_else(format::today);
    let unit = identity
        .access
        .unit(&code)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let (name, children, lineage) = identity.access.unit_details(&unit, date).await?;
    let mut out = UnitOut::of(&unit, None);
    out.name = name;
    Ok(Json(UnitDetailOut {
        unit: out,
        children: children.iter().map(|u| UnitOut::of(u, None)).collect(),
        lineage: lineage
            .into_iter()
            .map(|l| LineageOut {
                kind: l.restructure_kind,
                date: l.date,
                decision_number: l.decision_number,
                from_code: l.from_code,
                to_code: l.to_code,
            })
            .collect(),
    }))
}

#[derive(Deserialize, IntoParams, Default)]
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
    let query = list.to_store(p.limit.unwrap_or(100).clamp(1, 1000));
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
    }))
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
    /// recorded, or restructure (moved by a restructure of the tree).
    pub cause: String,
}

/// A member's events in date order.
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
            .map(|e| EventOut {
                kind: e.event.kind.code().into(),
                kind_label: e.event.kind.label_vi().into(),
                date: e.event.date,
                decision_number: e.event.decision_number.clone(),
                issuing_body: e.event.issuing_body.clone(),
                from_unit: unit_code(e.event.from_unit_id),
                to_unit: unit_code(e.event.to_unit_id),
                external_unit: e.event.external_unit.clone(),
                note: e.event.note.clone(),
                cause: match e.event.cause {
                    dangbo_domain::event::EventCause::Recorded => "recorded".into(),
                    dangbo_domain::event::EventCause::Restructure => "restructure".into(),
                },
            })
            .collect(),
    ))
}

#[derive(Deserialize, ToSchema)]
pub struct EventIn {
    /// Event kind code or Vietnamese label (admission, full_membership, transfer_in, transfer_out, …).
    pub kind: String,
    /// yyyy-mm-dd or dd/mm/yyyy.
    pub date: String,
    #[serde(default)]
    pub decision_number: String,
    #[serde(default)]
    pub issuing_body: String,
    /// The destination unit's code (transfers, admission).
    #[serde(default)]
    pub to_unit: String,
    #[serde(default)]
    pub external_unit: String,
    #[serde(default)]
    pub note: String,
}

#[derive(Serialize, ToSchema)]
pub struct Recorded {
    pub recorded: bool,
}

/// Records an event for a member; refused events come back with the reason per field.
#[utoipa::path(post, path = "/api/v1/members/{code}/events", params(("code" = String, Path)), request_body = EventIn, responses((status = 201, body = Recorded), (status = 422, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)), security(("bearer" = [])))]
pub async fn record_event(
    Api(identity): Api,
    Path(code): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let editor = identity.access.editor()?;
    let input: EventIn = serde_json::from_slice(&body)
        .map_err(|e| ApiError::bad_request(format!("JSON không hợp lệ: {e}")))?;
    let event = dangbo_store::access::EventInput {
        kind: input.kind,
        date: format::parse_date(&input.date),
        decision_number: input.decision_number,
        issuing_body: input.issuing_body,
        to_unit: input.to_unit,
        external_unit: input.external_unit,
        note: input.note,
    };
    editor.record_event(&code, &event).await?;
    Ok((StatusCode::CREATED, Json(Recorded { recorded: true })).into_response())
}

#[derive(Deserialize, IntoParams)]
pub struct FigureParams {
    /// Unit code; the caller's scope by default.
    #[serde(default)]
    unit: String,
    /// The date of stock figures (members, units); today by default.
    #[serde(default)]
    as_of: String,
    /// Period start for event figures; 1 January of `as_of`'s year by default.
    #[serde(default)]
    from: String,
    /// Period end (inclusive); `as_of` by default.
    #[serde(default)]
    to: String,
    /// Comma-separated figure keys (docs/figures.md); every catalogue figure by default.
    #[serde(default)]
    keys: String,
}

impl FigureParams {
    fn window(&self) -> WindowQuery {
        WindowQuery {
            unit: self.unit.clone(),
            as_of: self.as_of.clone(),
            from: self.from.clone(),
            to: self.to.clone(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct FigureOut {
    pub key: String,
    pub label: String,
    pub value: i64,
    /// Where the records behind the value are.
    pub records: String,
}

#[derive(Serialize, ToSchema)]
pub struct FiguresOut {
    pub unit: UnitOut,
    pub as_of: NaiveDate,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub figures: Vec<FigureOut>,
}

/// Figures over a unit's subtree as of a date and for a period.
#[utoipa::path(get, path = "/api/v1/figures", params(FigureParams), responses((status = 200, body = FiguresOut), (status = 400, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)), security(("bearer" = [])))]
pub async fn figures(
    Api(identity): Api,
    ApiQuery(p): ApiQuery<FigureParams>,
) -> ApiResult<FiguresOut> {
    let catalogue = if p.keys.trim().is_empty() {
        figure::catalogue()
    } else {
        p.keys
            .split(',')
            .map(str::trim)
            .filter(|k| !k.is_empty())
            .map(|k| {
                figure::find(k).ok_or_else(|| {
                    ApiError::bad_request(format!("không có chỉ tiêu «{k}» (xem docs/figures.md)"))
                })
            })
            .collect::<Result<Vec<_>, _>>()?
    };
    let wq = p.window();
    let window = wq.window();
    let (unit, values) = identity
        .access
        .figures(&p.unit, &catalogue, &window)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let link = wq.link(&window);
    Ok(Json(FiguresOut {
        unit: UnitOut::of(&unit, None),
        as_of: window.as_of,
        from: window.from,
        to: window.to,
        figures: catalogue
            .iter()
            .zip(values)
            .map(|(f, (key, value))| FigureOut {
                records: format!("/api/v1/figures/{key}/records{link}"),
                key,
                label: f.label_vi.clone(),
                value,
            })
            .collect(),
    }))
}

#[derive(Serialize, ToSchema)]
pub struct RecordOut {
    /// unit, member or event.
    pub record: String,
    pub code: String,
    pub name: String,
    pub unit_code: String,
    pub date: Option<NaiveDate>,
    pub detail: String,
}

#[derive(Serialize, ToSchema)]
pub struct FigureRecordsOut {
    pub key: String,
    pub label: String,
    pub value: usize,
    pub records: Vec<RecordOut>,
}

/// The records behind one figure (the drill-down): as many as the figure's value.
#[utoipa::path(get, path = "/api/v1/figures/{key}/records", params(("key" = String, Path), FigureParams), responses((status = 200, body = FigureRecordsOut), (status = 404, body = ErrorEnvelope)), security(("bearer" = [])))]
pub async fn figure_records(
    Api(identity): Api,
    Path(key): Path<String>,
    ApiQuery(p): ApiQuery<FigureParams>,
) -> ApiResult<FigureRecordsOut> {
    let figure = figure::find(&key).ok_or_else(ApiError::not_found)?;
    let window = p.window().window();
    let (_, records) = identity
        .access
        .figure_records(&p.unit, &figure, &window)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(Json(FigureRecordsOut {
        key,
        label: figure.label_vi,
        value: records.len(),
        records: records
            .into_iter()
            .map(|r| RecordOut {
                record: r.record.into(),
                code: r.code,
                name: r.name,
                unit_code: r.unit_code,
                date: r.date,
                detail: r.detail,
            })
            .collect(),
    }))
}

#[derive(Deserialize, IntoParams)]
pub struct ImportParams {
    /// units, members or events.
    dataset: String,
    /// csv or xlsx (the body's format).
    format: String,
    /// true: check and report, write nothing.
    #[serde(default)]
    dry_run: bool,
}

#[derive(Serialize, ToSchema)]
pub struct ImportOut {
    pub dry_run: bool,
    pub rows: usize,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub events_written: usize,
}

/// Imports a CSV or XLSX file sent as the request body, in one transaction; bad rows come back
/// in `details` and nothing is written.
#[utoipa::path(post, path = "/api/v1/import", params(ImportParams), request_body(content = Vec<u8>, content_type = "application/octet-stream"), responses((status = 200, body = ImportOut), (status = 422, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)), security(("bearer" = [])))]
pub async fn import(
    Api(identity): Api,
    ApiQuery(p): ApiQuery<ImportParams>,
    body: Bytes,
) -> ApiResult<ImportOut> {
    let importer = identity.access.importer()?;
    let dataset = Dataset::parse(&p.dataset).ok_or_else(|| {
        ApiError::bad_request(format!(
            "dataset «{}» không có; cần units, members hoặc events",
            p.dataset
        ))
    })?;
    let file_name = match Format::of(std::path::Path::new(&format!("upload.{}", p.format))) {
        Ok(_) => format!("api-upload.{}", p.format.to_lowercase()),
        Err(_) => {
            return Err(ApiError::bad_request(format!(
                "format «{}» không có; cần csv hoặc xlsx",
                p.format
            )));
        }
    };
    let table = crate::ui::import::read_upload(&file_name, &body)?;
    let summary = if p.dry_run {
        importer.preview(dataset, &table).await?
    } else {
        importer
            .apply(dataset, &table, &file_name, &mut dangbo_store::io::Quiet)
            .await?
    };
    Ok(Json(ImportOut {
        dry_run: p.dry_run,
        rows: summary.rows,
        created: summary.created,
        updated: summary.updated,
        unchanged: summary.unchanged,
        events_written: summary.events_written,
    }))
}

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Dangbo API", description = "Hồ sơ và số liệu công tác xây dựng Đảng. Records and figures of party-building work."),
    paths(units, unit, members, member, member_events, record_event, figures, figure_records, import),
    modifiers(&BearerAuth)
)]
struct ApiDoc;

/// The OpenAPI document.
pub fn openapi() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}
