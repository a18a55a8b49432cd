//! Ratings: the year's (or a quarter's) ratings in force in a unit's subtree, members' and
//! organizations', with the level in the scheme's words; and recording one, checked as the grids
//! check it.

use axum::Json;
use axum::body::Bytes;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use dangbo_domain::ratings::{Period, level_words};
use dangbo_store::access::{Rated, RatingInput};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{ApiQuery, ApiResult, json_body};
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
    /// The member's self rating and the proposed level (codes; empty when not entered).
    pub self_level: String,
    pub proposed_level: String,
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
    Ok(Json(
        list.into_iter()
            .map(|r| RatingOut {
                level_label: level_words(period, r.subject, &r.level),
                subject: r.subject.code().into(),
                member: r.member_code,
                member_name: r.member_name,
                unit: r.unit_code,
                year: r.period.year,
                quarter: r.period.quarter,
                level: r.level,
                self_level: r.self_level,
                proposed_level: r.proposed_level,
                points: r.points,
                decided_by: r.decided_by,
                decision_number: r.decision_number,
                comment: r.comment,
            })
            .collect(),
    ))
}

#[derive(Deserialize, ToSchema)]
pub struct RatingIn {
    /// The member rated; empty for an organization's rating.
    #[serde(default)]
    pub member: String,
    /// The member's branch on the period's last day, or the organization rated.
    pub unit: String,
    pub year: i32,
    /// 1, 2 or 3 for a quarter (where the scheme rates quarters); null for the year.
    #[serde(default)]
    pub quarter: Option<u32>,
    /// Levels by code (`excellent`, `good`, `done`, `not_done`; the old scheme's organization
    /// levels `clean_exemplary`, `clean`, `weak`) or in the scheme's words.
    #[serde(default)]
    pub self_level: String,
    #[serde(default)]
    pub proposed_level: String,
    pub level: String,
    /// 0–100 where the scheme scores (QĐ 366), inside the level's band; null otherwise.
    #[serde(default)]
    pub points: Option<u32>,
    pub decided_by: String,
    /// A decided rating changes only with another decision number.
    #[serde(default)]
    pub decision_number: String,
    #[serde(default)]
    pub comment: String,
    /// The decision allowing a level past the quota, if one is needed.
    #[serde(default)]
    pub quota_exception: String,
}

#[derive(Serialize, ToSchema)]
pub struct RatingRecorded {
    /// new, replaced (a new decision; the old rating stays as history) or unchanged.
    pub outcome: String,
}

/// Records a member's or an organization's rating for a period, in scope; 201 when new.
#[utoipa::path(post, path = "/api/v1/ratings", request_body = RatingIn, responses((status = 201, body = RatingRecorded), (status = 200, body = RatingRecorded), (status = 400, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)), security(("bearer" = [])))]
pub async fn rate(Api(identity): Api, body: Bytes) -> Result<Response, ApiError> {
    let writer = identity.access.rating_writer()?;
    let input: RatingIn = json_body(&body)?;
    if !(1990..=2100).contains(&input.year) {
        return Err(ApiError::fields(vec![(
            "year".to_string(),
            format!("{} không phải năm (1990 đến 2100)", input.year),
        )]));
    }
    let period = Period {
        year: input.year,
        quarter: input.quarter,
    };
    let rating = RatingInput {
        self_level: input.self_level,
        proposed_level: input.proposed_level,
        level: input.level,
        points: input.points,
        decided_by: input.decided_by,
        decision_number: input.decision_number,
        comment: input.comment,
        quota_exception: input.quota_exception,
    };
    let outcome = if input.member.trim().is_empty() {
        writer
            .rate_organization(&input.unit, period, &rating)
            .await?
    } else {
        writer
            .rate_member(&input.unit, &input.member, period, &rating)
            .await?
    };
    let (status, word) = match outcome {
        Rated::New => (StatusCode::CREATED, "new"),
        Rated::Replaced => (StatusCode::OK, "replaced"),
        Rated::Unchanged => (StatusCode::OK, "unchanged"),
    };
    Ok((
        status,
        Json(RatingRecorded {
            outcome: word.into(),
        }),
    )
        .into_response())
}
