//! Importing files through the API.

use axum::Json;
use axum::body::Bytes;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{ApiQuery, ApiResult};
use crate::error::{ApiError, ErrorEnvelope};
use crate::session::Api;
use dangbo_store::access::{Dataset, Format};

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportParams {
    /// units, members, events, documents or targets.
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
    /// Members admitted before their branch was founded: recorded as admitted elsewhere and
    /// placed in the branch from its founding (not counted as transfers in).
    pub placed_before_branch: usize,
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
            "dataset «{}» không có; cần một trong: {}",
            p.dataset,
            Dataset::ALL.map(Dataset::code).join(", ")
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
    let table = crate::upload::read_upload(&file_name, body).await?;
    let summary = if p.dry_run {
        importer.preview(dataset, &table).await?
    } else {
        importer
            .apply(
                dataset,
                &table,
                &file_name,
                &mut dangbo_store::access::Quiet,
            )
            .await?
    };
    Ok(Json(ImportOut {
        dry_run: p.dry_run,
        rows: summary.rows,
        created: summary.created,
        updated: summary.updated,
        unchanged: summary.unchanged,
        events_written: summary.events_written,
        placed_before_branch: summary.placed_before_branch,
    }))
}
