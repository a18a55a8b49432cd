//! The organization tree: units on a date, a unit with its sub-units and history.

use axum::Json;
use axum::extract::Path;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{ApiQuery, ApiResult};
use crate::error::{ApiError, ErrorEnvelope};
use crate::format;
use crate::session::Api;

#[derive(Serialize, ToSchema)]
pub struct UnitOut {
    pub code: String,
    pub name: String,
    /// Unit kind code (province_committee, grassroots_committee, branch, …), or `whole_database`
    /// (code "") for the figures of an unscoped caller's whole database.
    pub kind: String,
    pub kind_label: String,
    /// Null only for the whole database.
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    /// Depth under the caller's scope (tree listings only).
    pub depth: Option<usize>,
}

impl UnitOut {
    pub fn of(unit: &dangbo_store::access::Unit, depth: Option<usize>) -> UnitOut {
        // The whole database stands in a tree of its own: no kind, no founding date.
        if unit.is_whole_database() {
            return UnitOut {
                code: String::new(),
                name: unit.name.clone(),
                kind: "whole_database".into(),
                kind_label: unit.name.clone(),
                start_date: None,
                end_date: None,
                depth,
            };
        }
        UnitOut {
            code: unit.code.clone(),
            name: unit.name.clone(),
            kind: unit.kind.code().to_string(),
            kind_label: unit.kind.label_vi().to_string(),
            start_date: Some(unit.start_date),
            end_date: unit.end_date,
            depth,
        }
    }
}

impl DateParam {
    /// The date asked for, today by default; refused when it cannot be read.
    fn date(&self) -> Result<NaiveDate, ApiError> {
        let mut problems = Vec::new();
        let date = crate::params::date_field("date", &self.date, &mut problems);
        if !problems.is_empty() {
            return Err(ApiError::fields(problems));
        }
        Ok(date.unwrap_or_else(format::today))
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
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
    let date = q.date()?;
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
    let date = q.date()?;
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
