//! Reported figures: the numbers people enter for a unit and period, with their source.

use axum::Json;
use axum::body::Bytes;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use dangbo_store::access::{FigureKind, ReportedInput};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{ApiQuery, ApiResult, json_body};
use crate::error::{ApiError, ErrorEnvelope};
use crate::params::required_date;
use crate::session::Api;

#[derive(Serialize, ToSchema)]
pub struct ReportedFigureOut {
    pub key: String,
    pub label: String,
    /// What the number counts ("hộ", "%").
    pub unit_label: String,
}

/// The reported figures defined.
#[utoipa::path(get, path = "/api/v1/reported", responses((status = 200, body = Vec<ReportedFigureOut>), (status = 401, body = ErrorEnvelope)), security(("bearer" = [])))]
pub async fn list(Api(identity): Api) -> ApiResult<Vec<ReportedFigureOut>> {
    let catalogue = identity.access.catalogue().await?;
    Ok(Json(
        catalogue
            .into_iter()
            .filter_map(|d| match d.kind {
                FigureKind::Reported { unit_label } => Some(ReportedFigureOut {
                    key: d.key,
                    label: d.label_vi,
                    unit_label,
                }),
                _ => None,
            })
            .collect(),
    ))
}

#[derive(Deserialize, ToSchema)]
pub struct ReportedFigureIn {
    /// `reported.` then lowercase letters, digits and underscores.
    pub key: String,
    pub label: String,
    #[serde(default)]
    pub unit_label: String,
}

/// Defines a reported figure (whole-database administrators, the office and the organization
/// board of the whole database).
#[utoipa::path(post, path = "/api/v1/reported", request_body = ReportedFigureIn, responses((status = 201, body = ReportedFigureOut), (status = 422, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)), security(("bearer" = [])))]
pub async fn define(Api(identity): Api, body: Bytes) -> Result<Response, ApiError> {
    let reporter = identity.access.reporter()?;
    let input: ReportedFigureIn = json_body(&body)?;
    let definition = reporter
        .define(&input.key, &input.label, &input.unit_label)
        .await?;
    let unit_label = match definition.kind {
        FigureKind::Reported { unit_label } => unit_label,
        _ => String::new(),
    };
    let out = ReportedFigureOut {
        key: definition.key,
        label: definition.label_vi,
        unit_label,
    };
    Ok((StatusCode::CREATED, Json(out)).into_response())
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ValuesParams {
    /// Unit code; the caller's scope by default. Values of its whole subtree are listed.
    #[serde(default)]
    unit: String,
    /// Periods overlapping from…to are listed; 1 January of this year by default.
    #[serde(default)]
    from: String,
    /// Today by default.
    #[serde(default)]
    to: String,
}

#[derive(Serialize, ToSchema)]
pub struct ReportedValueOut {
    pub key: String,
    pub unit_code: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub value: f64,
    pub source: String,
    pub note: String,
}

/// Values reported in a unit's subtree for periods overlapping the one asked.
#[utoipa::path(get, path = "/api/v1/reported/values", params(ValuesParams), responses((status = 200, body = Vec<ReportedValueOut>), (status = 400, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)), security(("bearer" = [])))]
pub async fn values(
    Api(identity): Api,
    ApiQuery(p): ApiQuery<ValuesParams>,
) -> ApiResult<Vec<ReportedValueOut>> {
    let (from, to) = crate::params::period(&p.from, &p.to).map_err(ApiError::fields)?;
    let values = identity
        .access
        .reported_values(&p.unit, from, to)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(Json(
        values
            .into_iter()
            .map(|v| ReportedValueOut {
                key: v.key,
                unit_code: v.unit_code,
                from: v.from,
                to: v.to,
                value: v.value,
                source: v.source,
                note: v.note,
            })
            .collect(),
    ))
}

#[derive(Deserialize, ToSchema)]
pub struct ReportedValueIn {
    pub key: String,
    /// The unit the number is about (its code).
    pub unit: String,
    /// yyyy-mm-dd or dd/mm/yyyy.
    pub from: String,
    pub to: String,
    pub value: f64,
    /// The document the number comes from.
    pub source: String,
    #[serde(default)]
    pub note: String,
}

#[derive(Serialize, ToSchema)]
pub struct Saved {
    pub saved: bool,
}

/// Enters the value of a reported figure for a unit in scope and a period.
#[utoipa::path(post, path = "/api/v1/reported/values", request_body = ReportedValueIn, responses((status = 201, body = Saved), (status = 422, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)), security(("bearer" = [])))]
pub async fn record(Api(identity): Api, body: Bytes) -> Result<Response, ApiError> {
    let reporter = identity.access.reporter()?;
    let input: ReportedValueIn = json_body(&body)?;
    let mut problems = Vec::new();
    let from = required_date("from", &input.from, &mut problems);
    let to = required_date("to", &input.to, &mut problems);
    if !problems.is_empty() {
        return Err(ApiError::fields(problems));
    }
    reporter
        .record(&ReportedInput {
            key: input.key,
            unit: input.unit,
            from,
            to,
            value: Some(input.value),
            source: input.source,
            note: input.note,
        })
        .await?;
    Ok((StatusCode::CREATED, Json(Saved { saved: true })).into_response())
}
