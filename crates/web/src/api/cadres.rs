//! Cadre work: the posts held on a day in a unit's subtree, the moves of a period, the holders
//! measured against their group's standard, a person's posts and training; and the writing routes
//! of the organization board (a holding started, a holding ended, a non-member's short record, a
//! training fact), through the same cadre writer as the pages. A holding or a person out of scope
//! is not found, whatever the body says.

use axum::Json;
use axum::body::Bytes;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use dangbo_store::access::{
    Compliance, FactInput, Holding, HoldingEnd, HoldingInput, Person, PersonInput, PersonView,
    TrainingFact,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{ApiQuery, ApiResult, json_body};
use crate::error::{ApiError, ErrorEnvelope};
use crate::params::{date_field, period, required_date};
use crate::session::Api;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OnDayParams {
    /// Unit code or exact name; the caller's scope by default. Posts of its whole subtree.
    #[serde(default)]
    unit: String,
    /// The day (dd/mm/yyyy or yyyy-mm-dd); today by default.
    #[serde(default)]
    on: String,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MovesParams {
    /// Unit code or exact name; the caller's scope by default. Holdings of its whole subtree.
    #[serde(default)]
    unit: String,
    /// The period's first day (dd/mm/yyyy or yyyy-mm-dd); 1 January of `to`'s year by default.
    #[serde(default)]
    from: String,
    /// The period's last day; today by default.
    #[serde(default)]
    to: String,
}

#[derive(Serialize, ToSchema)]
pub struct HoldingOut {
    pub id: i64,
    pub unit_code: String,
    pub unit_name: String,
    /// The post's code: secretary, deputy_secretary, standing_member, committee_member,
    /// branch_secretary, branch_deputy_secretary, commission_chair, commission_member,
    /// council_chair, council_vice_chair, people_committee_chair, people_committee_vice_chair,
    /// village_head, mass_organization_head or civil_servant.
    pub post: String,
    /// The body or title the post is of ("Hội Nông dân", "Tư pháp – Hộ tịch").
    pub post_detail: String,
    /// The member holding it; null for a non-member.
    pub member_code: Option<String>,
    /// A non-member's own code.
    pub person_code: Option<String>,
    pub person_name: String,
    /// The village whose post it is (trưởng thôn), held at the branch covering it.
    pub village: String,
    pub from: NaiveDate,
    /// The first day it is no longer held; null while held.
    pub to: Option<NaiveDate>,
    /// appointment, election, rotation, reassignment or secondment.
    pub start_move: String,
    pub start_body: String,
    pub start_decision: String,
    pub start_decided_on: Option<NaiveDate>,
    /// What ended it (a move's code), once ended by a decision.
    pub end_move: Option<String>,
    pub end_body: String,
    pub end_decision: String,
    pub end_decided_on: Option<NaiveDate>,
}

fn holding_out(h: Holding) -> HoldingOut {
    HoldingOut {
        id: h.id,
        unit_code: h.unit_code,
        unit_name: h.unit_name,
        post: h.post.code().into(),
        post_detail: h.post_detail,
        member_code: h.member_code,
        person_code: h.person_code,
        person_name: h.person_name,
        village: h.village,
        from: h.from,
        to: h.to,
        start_move: h.start_move.code().into(),
        start_body: h.start_body,
        start_decision: h.start_decision,
        start_decided_on: h.start_decided_on,
        end_move: h.end_move.map(|m| m.code().into()),
        end_body: h.end_body,
        end_decision: h.end_decision,
        end_decided_on: h.end_decided_on,
    }
}

#[derive(Serialize, ToSchema)]
pub struct ComplianceOut {
    pub holding: HoldingOut,
    /// The post's group: party_committee, branch, government, village, mass_organization or
    /// civil_servant.
    pub group: String,
    /// The levels held on the day (codes), null where none is known.
    pub theory: Option<String>,
    pub education: Option<String>,
    pub qualification: Option<String>,
    /// What the holder lacks of the standard, in Vietnamese; empty when it is met.
    pub shortfalls: Vec<String>,
    /// Whether the theory standard is met (the figure `positions.theory_standard.<group>`).
    pub meets_theory: bool,
}

fn compliance_out(c: Compliance) -> ComplianceOut {
    ComplianceOut {
        holding: holding_out(c.holding),
        group: c.group.code().into(),
        theory: c.theory.map(|l| l.code().into()),
        education: c.education.map(|l| l.code().into()),
        qualification: c.qualification.map(|l| l.code().into()),
        shortfalls: c.shortfalls,
        meets_theory: c.meets_theory,
    }
}

#[derive(Serialize, ToSchema)]
pub struct PersonOut {
    /// A non-member's own code; null for a member (their member code names them).
    pub code: Option<String>,
    pub member_code: Option<String>,
    pub full_name: String,
    /// male, female, or empty when not recorded.
    pub sex: String,
    pub birth_date: Option<NaiveDate>,
    pub note: String,
}

fn person_out(p: Person) -> PersonOut {
    PersonOut {
        code: p.code,
        member_code: p.member_code,
        full_name: p.full_name,
        sex: p.sex,
        birth_date: p.birth_date,
        note: p.note,
    }
}

#[derive(Serialize, ToSchema)]
pub struct TrainingFactOut {
    pub id: i64,
    /// theory, education or qualification.
    pub kind: String,
    /// The level's code, and its Vietnamese name.
    pub level: String,
    pub level_label: String,
    /// The day the level was reached.
    pub on: NaiveDate,
    pub institution: String,
    /// diploma or equivalence (giấy chứng nhận tương đương).
    pub proof: String,
    pub diploma: String,
}

fn fact_out(f: TrainingFact) -> TrainingFactOut {
    TrainingFactOut {
        id: f.id,
        kind: f.kind.code().into(),
        level: f.level,
        level_label: f.level_label,
        on: f.on,
        institution: f.institution,
        proof: f.proof,
        diploma: f.diploma,
    }
}

#[derive(Serialize, ToSchema)]
pub struct PersonViewOut {
    pub person: PersonOut,
    /// Their posts in units in scope, oldest first.
    pub holdings: Vec<HoldingOut>,
    /// Their training facts.
    pub training: Vec<TrainingFactOut>,
}

fn view_out(view: PersonView) -> PersonViewOut {
    PersonViewOut {
        person: person_out(view.person),
        holdings: view.holdings.into_iter().map(holding_out).collect(),
        training: view.training.into_iter().map(fact_out).collect(),
    }
}

/// The day asked for, today by default.
fn read_day(on: &str) -> Result<NaiveDate, ApiError> {
    let mut problems = Vec::new();
    let day = date_field("on", on, &mut problems).unwrap_or_else(crate::format::today);
    if problems.is_empty() {
        Ok(day)
    } else {
        Err(ApiError::fields(problems))
    }
}

/// The posts held on a day in a unit's subtree, by unit and post.
#[utoipa::path(get, path = "/api/v1/cadres/posts", params(OnDayParams), responses((status = 200, body = Vec<HoldingOut>), (status = 400, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)), security(("bearer" = [])))]
pub async fn posts(
    Api(identity): Api,
    ApiQuery(p): ApiQuery<OnDayParams>,
) -> ApiResult<Vec<HoldingOut>> {
    let day = read_day(&p.on)?;
    let (_, list) = identity
        .access
        .posts_held(&p.unit, day)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(Json(list.into_iter().map(holding_out).collect()))
}

/// The holdings of a unit's subtree started or ended in a period (the moves), oldest first.
#[utoipa::path(get, path = "/api/v1/cadres/moves", params(MovesParams), responses((status = 200, body = Vec<HoldingOut>), (status = 400, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)), security(("bearer" = [])))]
pub async fn moves(
    Api(identity): Api,
    ApiQuery(p): ApiQuery<MovesParams>,
) -> ApiResult<Vec<HoldingOut>> {
    let (from, to) = period(&p.from, &p.to).map_err(ApiError::fields)?;
    let (_, list) = identity
        .access
        .cadre_moves(&p.unit, from, to)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(Json(list.into_iter().map(holding_out).collect()))
}

/// The holders on a day in a unit's subtree measured against their group's standard in force
/// that day, those below it first; each person once per group.
#[utoipa::path(get, path = "/api/v1/cadres/compliance", params(OnDayParams), responses((status = 200, body = Vec<ComplianceOut>), (status = 400, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)), security(("bearer" = [])))]
pub async fn compliance(
    Api(identity): Api,
    ApiQuery(p): ApiQuery<OnDayParams>,
) -> ApiResult<Vec<ComplianceOut>> {
    let day = read_day(&p.on)?;
    let (_, list) = identity
        .access
        .compliance(&p.unit, day)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(Json(list.into_iter().map(compliance_out).collect()))
}

#[derive(Deserialize, ToSchema)]
pub struct HoldingIn {
    /// The unit whose post it is (a village post: the branch covering the village).
    pub unit: String,
    /// A post's code (or its Vietnamese name).
    pub post: String,
    /// The body or title the post is of ("Hội Nông dân"), when the post names several.
    #[serde(default)]
    pub post_detail: String,
    /// The holder: a member's code, or a non-member's own code (recorded first).
    pub holder: String,
    /// The village of a village post.
    #[serde(default)]
    pub village: String,
    /// The first day held.
    pub from: String,
    /// For history: the first day no longer held, with `end_move`.
    #[serde(default)]
    pub to: String,
    /// What started it: appointment, election, rotation, reassignment or secondment.
    pub start_move: String,
    /// The body that decided it, the decision's number and day.
    #[serde(default)]
    pub start_body: String,
    #[serde(default)]
    pub start_decision: String,
    #[serde(default)]
    pub start_decided_on: String,
    /// For history: what ended it (a move's code), and the decision's number.
    #[serde(default)]
    pub end_move: String,
    #[serde(default)]
    pub end_decision: String,
}

/// Records a post held from a day by a decision (and, for history, its end): a party post is a
/// member's; one secretary or chair of a unit at a time.
#[utoipa::path(post, path = "/api/v1/cadres/holdings", request_body = HoldingIn, responses((status = 201, body = HoldingOut), (status = 400, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)), security(("bearer" = [])))]
pub async fn add_holding(Api(identity): Api, body: Bytes) -> Result<Response, ApiError> {
    let writer = identity.access.cadre_writer()?;
    let input: HoldingIn = json_body(&body)?;
    let mut problems = Vec::new();
    let from = required_date("from", &input.from, &mut problems);
    let to = date_field("to", &input.to, &mut problems);
    let start_decided_on = date_field("start_decided_on", &input.start_decided_on, &mut problems);
    if !problems.is_empty() {
        return Err(ApiError::fields(problems));
    }
    let holding = writer
        .record(&HoldingInput {
            unit: input.unit,
            post: input.post,
            post_detail: input.post_detail,
            holder: input.holder,
            village: input.village,
            from,
            to,
            start_move: input.start_move,
            start_body: input.start_body,
            start_decision: input.start_decision,
            start_decided_on,
            end_move: input.end_move,
            end_decision: input.end_decision,
        })
        .await?;
    Ok((StatusCode::CREATED, Json(holding_out(holding))).into_response())
}

#[derive(Deserialize, ToSchema)]
pub struct HoldingEndIn {
    /// The first day it is no longer held.
    pub to: String,
    /// What ends it (a move's code; the successor's rotation or reassignment too).
    pub end_move: String,
    /// The body that decided it, the decision's number and day.
    #[serde(default)]
    pub end_body: String,
    #[serde(default)]
    pub end_decision: String,
    #[serde(default)]
    pub end_decided_on: String,
}

/// Ends a holding in scope on a day by a decision.
#[utoipa::path(post, path = "/api/v1/cadres/holdings/{id}/end", params(("id" = i64, Path)), request_body = HoldingEndIn, responses((status = 200, body = HoldingOut), (status = 400, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)), security(("bearer" = [])))]
pub async fn end_holding(
    Api(identity): Api,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let writer = identity.access.cadre_writer()?;
    let id: i64 = id.parse().map_err(|_| ApiError::not_found())?;
    // A holding out of scope is not found, whatever the body says.
    if identity.access.holding(id).await?.is_none() {
        return Err(ApiError::not_found());
    }
    let input: HoldingEndIn = json_body(&body)?;
    let mut problems = Vec::new();
    let to = required_date("to", &input.to, &mut problems);
    let end_decided_on = date_field("end_decided_on", &input.end_decided_on, &mut problems);
    if !problems.is_empty() {
        return Err(ApiError::fields(problems));
    }
    let holding = writer
        .end(&HoldingEnd {
            holding_id: id,
            to,
            end_move: input.end_move,
            end_body: input.end_body,
            end_decision: input.end_decision,
            end_decided_on,
        })
        .await?;
    Ok((StatusCode::OK, Json(holding_out(holding))).into_response())
}

#[derive(Deserialize, ToSchema)]
pub struct PersonIn {
    /// Their own code (not a member's: a member is named by their member code).
    pub code: String,
    pub full_name: String,
    /// male or female (or the Vietnamese word); empty when not known.
    #[serde(default)]
    pub sex: String,
    #[serde(default)]
    pub birth_date: String,
    /// The unit keeping the record, in scope.
    pub unit: String,
    #[serde(default)]
    pub note: String,
}

/// Records a non-member's short record (a village head, a civil servant…), kept by a unit in
/// scope.
#[utoipa::path(post, path = "/api/v1/persons", request_body = PersonIn, responses((status = 201, body = PersonOut), (status = 400, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)), security(("bearer" = [])))]
pub async fn add_person(Api(identity): Api, body: Bytes) -> Result<Response, ApiError> {
    let writer = identity.access.cadre_writer()?;
    let input: PersonIn = json_body(&body)?;
    let mut problems = Vec::new();
    let birth_date = date_field("birth_date", &input.birth_date, &mut problems);
    if !problems.is_empty() {
        return Err(ApiError::fields(problems));
    }
    let person = writer
        .add_person(&PersonInput {
            code: input.code,
            full_name: input.full_name,
            sex: input.sex,
            birth_date,
            unit: input.unit,
            note: input.note,
        })
        .await?;
    Ok((StatusCode::CREATED, Json(person_out(person))).into_response())
}

/// A person in scope by member code or their own code, with their posts in scope and their
/// training.
#[utoipa::path(get, path = "/api/v1/persons/{code}", params(("code" = String, Path)), responses((status = 200, body = PersonViewOut), (status = 400, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)), security(("bearer" = [])))]
pub async fn person(Api(identity): Api, Path(code): Path<String>) -> ApiResult<PersonViewOut> {
    let view = identity
        .access
        .person(&code)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(Json(view_out(view)))
}

#[derive(Deserialize, ToSchema)]
pub struct FactIn {
    /// theory (lý luận chính trị), education (giáo dục phổ thông) or qualification (chuyên
    /// môn), or the Vietnamese words.
    pub kind: String,
    /// A level of that kind (its code or its Vietnamese name).
    pub level: String,
    /// The day the level was reached.
    pub on: String,
    #[serde(default)]
    pub institution: String,
    /// diploma (the default) or equivalence.
    #[serde(default)]
    pub proof: String,
    /// The diploma's or certificate's number.
    #[serde(default)]
    pub diploma: String,
}

/// Records a level a person in scope reached; a member's record then keeps their highest level.
#[utoipa::path(post, path = "/api/v1/persons/{code}/training", params(("code" = String, Path)), request_body = FactIn, responses((status = 201, body = TrainingFactOut), (status = 400, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)), security(("bearer" = [])))]
pub async fn add_fact(
    Api(identity): Api,
    Path(code): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let writer = identity.access.cadre_writer()?;
    // A person out of scope is not found, whatever the body says.
    if identity.access.person(&code).await?.is_none() {
        return Err(ApiError::not_found());
    }
    let input: FactIn = json_body(&body)?;
    let mut problems = Vec::new();
    let on = required_date("on", &input.on, &mut problems);
    if !problems.is_empty() {
        return Err(ApiError::fields(problems));
    }
    let fact = writer
        .record_fact(&FactInput {
            person: code,
            kind: input.kind,
            level: input.level,
            on,
            institution: input.institution,
            proof: input.proof,
            diploma: input.diploma,
        })
        .await?;
    Ok((StatusCode::CREATED, Json(fact_out(fact))).into_response())
}
