//! Ratings: the year's (or a quarter's) ratings in force in a unit's subtree, members' and
//! organizations', with the level in the scheme's words.

use axum::Json;
use dangbo_domain::ratings::{Period, levels, scheme_for};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{ApiQuery, ApiResult};
use crate::error::{ApiError, ErrorEnvelope};
use crate::session::Api;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RatingsParams {
    /// Unit code or exact name; the caller's scope by default. Ratings of its whole subtree.
    #[serde(default)]
    unit: String,
    /// The review year (four digits).
    year: String,
    /// 1, 2 or 3 for a quarter (QĐ 366); empty for the year.
    #[serde(default)]
    quarter: String,
}

#[derive(Serialize, ToSchema)]
pub struct RatingOut {
    /// member or organization.
    pub subject: String,
    /// The member's code (null for an organization's rating) and name.
    pub member: Option<String>,
    pub member_name: Option<String>,
    /// The branch a member was rated at, or the organization rated.
    pub unit: String,
    pub year: i32,
    pub quarter: Option<u32>,
    /// The level's code (`excellent`, `good`, `done`, `not_done`; the old scheme's
    /// `clean_exemplary`, `clean`, `weak`) and its words in the period's scheme.
    pub level: String,
    pub level_label: String,
    pub points: Option<u32>,
    pub decided_by: String,
    pub decision_number: String,
    pub comment: String,
}

/// The ratings in force for a period in a unit's subtree.
#[utoipa::path(get, path = "/api/v1/ratings", params(RatingsParams), responses((status = 200, body = Vec<RatingOut>), (status = 400, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)), security(("bearer" = [])))]
pub async fn ratings(
    Api(identity): Api,
    ApiQuery(p): ApiQuery<RatingsParams>,
) -> ApiResult<Vec<RatingOut>> {
    let year = p
        .year
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|y| (1990..=2100).contains(y));
    let quarter = match p.quarter.trim() {
        "" => Some(None),
        q @ ("1" | "2" | "3") => q.parse::<u32>().ok().map(Some),
        _ => None,
    };
    let (Some(year), Some(quarter)) = (year, quarter) else {
        return Err(ApiError::fields(vec![(
            "year".to_string(),
            "cần năm (1990 đến 2100) và quý 1, 2, 3 hoặc để trống".to_string(),
        )]));
    };
    let period = Period { year, quarter };
    let (_, list) = identity
        .access
        .ratings_under(&p.unit, period)
        .await?
        .ok_or_else(ApiError::not_found)?;
    let scheme = &scheme_for(period).rules;
    Ok(Json(
        list.into_iter()
            .map(|r| RatingOut {
                level_label: levels(scheme, r.subject)
                    .iter()
                    .find(|l| l.code == r.level)
                    .map_or(r.level.clone(), |l| l.label_vi.to_string()),
                subject: r.subject.code().into(),
                member: r.member_code,
                member_name: r.member_name,
                unit: r.unit_code,
                year: r.period.year,
                quarter: r.period.quarter,
                level: r.level,
                points: r.points,
                decided_by: r.decided_by,
                decision_number: r.decision_number,
                comment: r.comment,
            })
            .collect(),
    ))
}
