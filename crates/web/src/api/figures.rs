//! Figures over a unit's subtree and the records behind each.

use axum::Json;
use axum::extract::Path;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::units::UnitOut;
use super::{ApiQuery, ApiResult};
use crate::error::{ApiError, ErrorEnvelope};
use crate::params::WindowQuery;
use crate::session::Api;
use dangbo_domain::figure;

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
