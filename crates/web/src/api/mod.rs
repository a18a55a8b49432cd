//! The JSON API under `/api/v1`, described by the OpenAPI document at `/api/v1/openapi.json`.
//! Callers authenticate with an API token (`Authorization: Bearer …`) or a browser session; both
//! are scoped like users. Every error has the same envelope: `{"error": {code, message, details}}`.

use axum::Json;
use axum::extract::{FromRequestParts, Query};
use axum::http::request::Parts;
use utoipa::OpenApi;

use crate::error::ApiError;

pub mod admission;
pub mod cadres;
mod contract;
pub mod figures;
pub mod import;
pub mod inspections;
pub mod members;
pub mod programmes;
pub mod ratings;
pub mod reported;
pub mod study;
pub mod units;

pub use units::UnitOut;

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

/// A JSON request body, its parse error in the envelope.
fn json_body<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(body)
        .map_err(|e| ApiError::bad_request(format!("JSON không hợp lệ: {e}")))
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
    paths(units::units, units::unit, members::members, members::member, members::update_member, members::member_events, members::record_event, figures::figures, figures::table, figures::figure_records, import::import, reported::list, reported::define, reported::values, reported::record, programmes::targets, programmes::documents, programmes::document, programmes::add_document, programmes::add_target, programmes::report_value, programmes::tasks, programmes::add_task, programmes::report_task, admission::candidates, admission::due, admission::candidate, admission::add_candidate, admission::record_step, ratings::ratings, ratings::rate, inspections::cases, inspections::case, inspections::add_case, inspections::conclude, inspections::decide, inspections::complain, inspections::settle, inspections::plan, inspections::add_plan_item, cadres::posts, cadres::moves, cadres::compliance, cadres::add_holding, cadres::end_holding, cadres::add_person, cadres::person, cadres::add_fact, study::sessions, study::add_session, study::session, study::record_counts, study::record_attendance),
    modifiers(&BearerAuth)
)]
struct ApiDoc;

/// The OpenAPI document, made exact by [`contract::refine`].
pub fn openapi() -> utoipa::openapi::OpenApi {
    static DOCUMENT: std::sync::OnceLock<utoipa::openapi::OpenApi> = std::sync::OnceLock::new();
    DOCUMENT
        .get_or_init(|| {
            let generated = ApiDoc::openapi();
            let refined = serde_json::to_value(&generated).and_then(|mut document| {
                contract::refine(&mut document);
                serde_json::from_value(document)
            });
            // The contract test checks the refined document; this only happens if it fails.
            refined.unwrap_or_else(|e| {
                tracing::error!("the OpenAPI document could not be refined: {e}");
                generated
            })
        })
        .clone()
}
