//! Work programmes: a unit's targets for a period, judged, with met / total per domain.

use std::collections::BTreeMap;

use axum::Json;
use chrono::NaiveDate;
use dangbo_store::access::TargetsReport;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{ApiQuery, ApiResult};
use crate::error::{ApiError, ErrorEnvelope};
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
