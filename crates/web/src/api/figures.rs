//! Figures over a unit's subtree (alone, or per sub-unit as a table) and the records behind each.

use axum::Json;
use axum::extract::Path;
use chrono::NaiveDate;
use dangbo_store::access::{Access, Definition, FigureValue, TableRows, Unit, Window};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::units::UnitOut;
use super::{ApiQuery, ApiResult};
use crate::error::{ApiError, ErrorEnvelope};
use crate::format;
use crate::params::WindowQuery;
use crate::session::Api;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FigureParams {
    /// Unit code; the caller's scope by default.
    #[serde(default)]
    unit: String,
    /// The date of stock figures (members, units): dd/mm/yyyy or yyyy-mm-dd; today by default.
    #[serde(default)]
    as_of: String,
    /// Period start for event figures; 1 January of the period end's year by default.
    #[serde(default)]
    from: String,
    /// Period end (inclusive); `as_of` by default.
    #[serde(default)]
    to: String,
    /// Comma-separated figure keys (docs/figures.md); every figure by default. An unknown key is
    /// refused.
    #[serde(default)]
    keys: String,
    /// `true` to also give each figure's value a year earlier (`prior`); `false` by default.
    #[serde(default)]
    compare_prior: String,
}

impl FigureParams {
    fn window_query(&self) -> WindowQuery {
        WindowQuery {
            unit: self.unit.clone(),
            as_of: self.as_of.clone(),
            from: self.from.clone(),
            to: self.to.clone(),
        }
    }

    /// Whether the year-earlier values were asked for.
    fn prior(&self) -> Result<bool, ApiError> {
        match self.compare_prior.trim() {
            "" | "false" | "0" => Ok(false),
            "true" | "1" => Ok(true),
            other => Err(ApiError::fields(vec![(
                "compare_prior".into(),
                format!("«{other}» không hợp lệ: cần true hoặc false"),
            )])),
        }
    }

    /// The figures, the unit and the window asked for, each refused with a reason when it cannot
    /// be read; a unit that does not exist on the date is refused too.
    async fn read(&self, access: &Access) -> Result<(Vec<Definition>, Unit, Window), ApiError> {
        let window = self.window_query().window().map_err(ApiError::fields)?;
        // An unknown key is a bad parameter (400), like a bad date.
        let definitions = match access.figures_named(std::slice::from_ref(&self.keys)).await {
            Ok(definitions) => definitions,
            Err(dangbo_store::StoreError::Fields(problems)) => {
                return Err(ApiError::fields(problems));
            }
            Err(other) => return Err(other.into()),
        };
        let unit = access
            .unit(&self.unit)
            .await?
            .ok_or_else(ApiError::not_found)?;
        if unit.id != 0 && !unit.exists_on(window.as_of) {
            let ended = unit
                .end_date
                .map(|e| format!(", đã kết thúc từ {}", format::date(e)))
                .unwrap_or_default();
            return Err(ApiError::fields(vec![(
                "as_of".into(),
                format!(
                    "đơn vị {} không tồn tại vào ngày {} (thành lập {}{ended}); xem lịch sử sắp xếp tại /api/v1/units/{}",
                    unit.code,
                    format::date(window.as_of),
                    format::date(unit.start_date),
                    format::url(&unit.code)
                ),
            )]));
        }
        Ok((definitions, unit, window))
    }
}

#[derive(Serialize, ToSchema)]
pub struct FigureOut {
    pub key: String,
    pub label: String,
    /// count, ratio or reported.
    pub kind: String,
    /// A count is a number; a ratio `{numerator, denominator, percent}` (percent rounded half-up
    /// to two decimals, null when the denominator is 0); a reported value `{value, source, from,
    /// to}`, or null when nothing was reported.
    #[schema(value_type = Object)]
    pub value: serde_json::Value,
    /// The value as Vietnamese readers read it ("2.712", "32/46 (69,57 %)").
    pub display: String,
    /// The same figure a year earlier, when `compare_prior` was asked.
    #[schema(value_type = Object)]
    pub prior: Option<serde_json::Value>,
    /// Where the records behind the value are.
    pub records: String,
}

fn figure_out(definitions: &[Definition], values: &[FigureValue], link: &str) -> Vec<FigureOut> {
    definitions
        .iter()
        .zip(values)
        .map(|(f, v)| FigureOut {
            records: format!("/api/v1/figures/{}/records{link}", format::url(&v.key)),
            key: v.key.clone(),
            label: f.label_vi.clone(),
            kind: match f.kind {
                dangbo_store::access::FigureKind::Count => "count",
                dangbo_store::access::FigureKind::Ratio { .. } => "ratio",
                dangbo_store::access::FigureKind::Reported { .. } => "reported",
            }
            .into(),
            value: v.value.to_json(),
            display: v.value.display(),
            prior: v.prior.as_ref().map(|p| p.to_json()),
        })
        .collect()
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
    let (definitions, unit, window) = p.read(&identity.access).await?;
    let (unit, values) = identity
        .access
        .figures(&unit.code, &definitions, &window, p.prior()?)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let link = WindowQuery {
        unit: unit.code.clone(),
        ..p.window_query()
    }
    .link();
    Ok(Json(FiguresOut {
        unit: UnitOut::of(&unit, None),
        as_of: window.as_of,
        from: window.from,
        to: window.to,
        figures: figure_out(&definitions, &values, &link),
    }))
}

#[derive(Deserialize)]
pub struct TableParams {
    #[serde(flatten)]
    figures: FigureParams,
    #[serde(default)]
    rows: String,
}

impl IntoParams for TableParams {
    fn into_params(
        parameter_in: impl Fn() -> Option<utoipa::openapi::path::ParameterIn>,
    ) -> Vec<utoipa::openapi::path::Parameter> {
        use utoipa::openapi::path::{ParameterBuilder, ParameterIn};
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        let mut params = FigureParams::into_params(&parameter_in);
        params.push(
            ParameterBuilder::new()
                .name("rows")
                .parameter_in(parameter_in().unwrap_or(ParameterIn::Query))
                .description(Some(
                    "`children` (the unit's direct sub-units, by default) or `grassroots` (every grassroots organization in its subtree).",
                ))
                .schema(Some(
                    ObjectBuilder::new()
                        .schema_type(Type::String)
                        .enum_values(Some(["children", "grassroots"])),
                ))
                .build(),
        );
        params
    }
}

#[derive(Serialize, ToSchema)]
pub struct TableRowOut {
    pub unit: UnitOut,
    pub figures: Vec<FigureOut>,
}

#[derive(Serialize, ToSchema)]
pub struct FigureTableOut {
    pub unit: UnitOut,
    pub as_of: NaiveDate,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// One row per sub-unit (or grassroots organization) existing on `as_of`.
    pub rows: Vec<TableRowOut>,
    /// The unit itself.
    pub total: Vec<FigureOut>,
}

/// Figures for each sub-unit (or grassroots organization) of a unit, with the unit's total.
#[utoipa::path(get, path = "/api/v1/figures/table", params(TableParams), responses((status = 200, body = FigureTableOut), (status = 400, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)), security(("bearer" = [])))]
pub async fn table(
    Api(identity): Api,
    ApiQuery(p): ApiQuery<TableParams>,
) -> ApiResult<FigureTableOut> {
    let rows = match p.rows.trim() {
        "" | "children" => TableRows::Children,
        "grassroots" => TableRows::Grassroots,
        other => {
            return Err(ApiError::fields(vec![(
                "rows".into(),
                format!("«{other}» không hợp lệ: cần children hoặc grassroots"),
            )]));
        }
    };
    let (definitions, unit, window) = p.figures.read(&identity.access).await?;
    let table = identity
        .access
        .figure_table(&unit.code, rows, &definitions, &window, p.figures.prior()?)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let link_of = |code: &str| {
        WindowQuery {
            unit: code.to_string(),
            ..p.figures.window_query()
        }
        .link()
    };
    Ok(Json(FigureTableOut {
        unit: UnitOut::of(&table.unit, None),
        as_of: window.as_of,
        from: window.from,
        to: window.to,
        rows: table
            .rows
            .iter()
            .map(|(u, values)| TableRowOut {
                unit: UnitOut::of(u, None),
                figures: figure_out(&definitions, values, &link_of(&u.code)),
            })
            .collect(),
        total: figure_out(&definitions, &table.total, &link_of(&table.unit.code)),
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
    /// How many records there are (for a ratio, behind its numerator).
    pub value: usize,
    pub records: Vec<RecordOut>,
}

/// The records behind one figure (the drill-down): as many as the figure's value; for a ratio,
/// the records of its numerator. The records behind the confidential figures of inspection and
/// discipline are only for the roles that read cases (403 for the others).
#[utoipa::path(get, path = "/api/v1/figures/{key}/records", params(("key" = String, Path), FigureParams), responses((status = 200, body = FigureRecordsOut), (status = 400, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)), security(("bearer" = [])))]
pub async fn figure_records(
    Api(identity): Api,
    Path(key): Path<String>,
    ApiQuery(p): ApiQuery<FigureParams>,
) -> ApiResult<FigureRecordsOut> {
    let figure = identity
        .access
        .figure(&key)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let (_, unit, window) = FigureParams {
        keys: key.clone(),
        ..p
    }
    .read(&identity.access)
    .await?;
    let (_, records) = identity
        .access
        .figure_records(&unit.code, &figure, &window)
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
