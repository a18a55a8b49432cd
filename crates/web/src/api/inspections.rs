//! Inspection, supervision and discipline (confidential): the cases of a unit's subtree, a case,
//! and recording a case and its steps. To callers who may not read cases every path answers 404,
//! as for a record out of scope.

use axum::Json;
use axum::body::Bytes;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use dangbo_domain::inspection::CaseKind;
use dangbo_store::access::{
    Case, CaseFilter, CaseInput, ComplaintInput, ConclusionInput, DecisionInput, SettlementInput,
    SubjectConclusion,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{ApiQuery, ApiResult, json_body};
use crate::error::{ApiError, ErrorEnvelope};
use crate::params::{date_field, period};
use crate::session::{Api, Identity};

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CasesParams {
    /// Unit code or exact name; the caller's scope by default. Cases decided in its subtree.
    #[serde(default)]
    unit: String,
    /// The period's first day (dd/mm/yyyy or yyyy-mm-dd); 1 January of `to`'s year by default.
    #[serde(default)]
    from: String,
    /// The period's last day; today by default.
    #[serde(default)]
    to: String,
    /// A kind's code (`regular_inspection`, `signs_of_violation`, `lower_commission`,
    /// `finance`, `regular_supervision`, `thematic_supervision`, `denunciation`,
    /// `discipline_complaint`); every kind by default.
    #[serde(default)]
    kind: String,
}

#[derive(Serialize, ToSchema)]
pub struct ComplaintOut {
    pub id: i64,
    pub received_on: NaiveDate,
    pub settling_unit: String,
    /// The last day to settle it (30 working days after its receipt).
    pub deadline: NaiveDate,
    pub settled_on: Option<NaiveDate>,
    /// `upheld`, `changed` or `annulled` once settled.
    pub result: Option<String>,
    pub new_form: Option<String>,
    pub note: String,
    /// Unsettled today past its deadline.
    pub overdue: bool,
}

#[derive(Serialize, ToSchema)]
pub struct DecisionOut {
    pub id: i64,
    /// `reprimand`, `warning`, `dismissal`, `expulsion` or `dissolution`.
    pub form: String,
    pub decided_by: String,
    /// `committee`, `standing_committee` or `commission`.
    pub body: String,
    pub decision_number: String,
    pub decided_on: NaiveDate,
    pub violation_on: NaiveDate,
    pub no_limit_kind: bool,
    pub reason: String,
    pub annulled_on: Option<NaiveDate>,
    /// When it stops being in force by the rules (none for expulsion and dissolution, or where
    /// the rules in force say nothing verified).
    pub lapses_on: Option<NaiveDate>,
    pub complaints: Vec<ComplaintOut>,
}

#[derive(Serialize, ToSchema)]
pub struct SubjectOut {
    /// `organization`, `full_member` or `probationary_member`.
    pub subject_kind: String,
    pub member: Option<String>,
    pub member_name: Option<String>,
    /// The organization, or the member's unit when the case was decided.
    pub unit: String,
    pub unit_name: String,
    /// `no_violation`, `minor` or `to_be_disciplined` once concluded.
    pub conclusion: Option<String>,
    pub conclusion_note: String,
    pub decisions: Vec<DecisionOut>,
}

#[derive(Serialize, ToSchema)]
pub struct CaseOut {
    pub code: String,
    pub kind: String,
    pub kind_label: String,
    /// The unit whose body decided the case.
    pub unit: String,
    pub body: String,
    pub decision_number: String,
    pub decided_on: NaiveDate,
    pub started_on: Option<NaiveDate>,
    pub concluded_on: Option<NaiveDate>,
    pub topic: String,
    /// `decided`, `started` or `concluded`.
    pub stage: String,
    pub subjects: Vec<SubjectOut>,
}

fn case_out(case: Case) -> CaseOut {
    let today = crate::format::today();
    CaseOut {
        stage: case.stage().into(),
        code: case.code,
        kind: case.kind.code().into(),
        kind_label: case.kind.label_vi().into(),
        unit: case.unit_code,
        body: case.body.code().into(),
        decision_number: case.decision_number,
        decided_on: case.decided_on,
        started_on: case.started_on,
        concluded_on: case.concluded_on,
        topic: case.topic,
        subjects: case
            .subjects
            .into_iter()
            .map(|s| SubjectOut {
                subject_kind: s.subject_kind.code().into(),
                member: s.member_code,
                member_name: s.member_name,
                unit: s.unit_code,
                unit_name: s.unit_name,
                conclusion: s.conclusion.map(|c| c.code().into()),
                conclusion_note: s.conclusion_note,
                decisions: s
                    .decisions
                    .into_iter()
                    .map(|d| DecisionOut {
                        id: d.id,
                        form: d.form.code().into(),
                        decided_by: d.decided_by_code,
                        body: d.body.code().into(),
                        decision_number: d.decision_number,
                        decided_on: d.decided_on,
                        violation_on: d.violation_on,
                        no_limit_kind: d.no_limit_kind,
                        reason: d.reason,
                        annulled_on: d.annulled_on,
                        lapses_on: d.lapses_on,
                        complaints: d
                            .complaints
                            .into_iter()
                            .map(|k| ComplaintOut {
                                overdue: k.overdue_on(today),
                                id: k.id,
                                received_on: k.received_on,
                                settling_unit: k.settling_code,
                                deadline: k.deadline,
                                settled_on: k.settled_on,
                                result: k.result.map(|r| r.code().into()),
                                new_form: k.new_form.map(|f| f.code().into()),
                                note: k.note,
                            })
                            .collect(),
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// The cases decided in a period by units in a unit's subtree, newest first.
#[utoipa::path(get, path = "/api/v1/inspections", params(CasesParams), responses((status = 200, body = Vec<CaseOut>), (status = 400, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)), security(("bearer" = [])))]
pub async fn cases(
    Api(identity): Api,
    ApiQuery(p): ApiQuery<CasesParams>,
) -> ApiResult<Vec<CaseOut>> {
    let (from, to) = period(&p.from, &p.to).map_err(ApiError::fields)?;
    let kind = match p.kind.trim() {
        "" => None,
        text => Some(CaseKind::parse(text).ok_or_else(|| {
            ApiError::fields(vec![(
                "kind".into(),
                format!(
                    "«{text}» không phải loại vụ việc; cần: {}",
                    CaseKind::expected_vi()
                ),
            )])
        })?),
    };
    let filter = CaseFilter {
        from: Some(from),
        to: Some(to),
        kind,
    };
    let (_, list) = identity
        .access
        .inspection_cases(&p.unit, &filter)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(Json(list.into_iter().map(case_out).collect()))
}

/// A case in scope, with its subjects, conclusions, discipline and complaints.
#[utoipa::path(get, path = "/api/v1/inspections/{code}", params(("code" = String, Path)), responses((status = 200, body = CaseOut), (status = 404, body = ErrorEnvelope)), security(("bearer" = [])))]
pub async fn case(Api(identity): Api, Path(code): Path<String>) -> ApiResult<CaseOut> {
    let case = identity
        .access
        .inspection_case(&code)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(Json(case_out(case)))
}

#[derive(Deserialize, ToSchema)]
pub struct CaseIn {
    pub code: String,
    /// A kind's code or its words.
    pub kind: String,
    /// The unit whose body decided the case.
    pub unit: String,
    /// `committee` (default), `standing_committee` or `commission`.
    #[serde(default)]
    pub body: String,
    pub decision_number: String,
    /// dd/mm/yyyy or yyyy-mm-dd.
    pub decided_on: String,
    #[serde(default)]
    pub started_on: String,
    #[serde(default)]
    pub topic: String,
    /// Members' or organizations' codes, inside the deciding unit.
    pub subjects: Vec<String>,
}

/// The case again once a step is written, 201 for a new case.
async fn answer(identity: &Identity, code: &str, status: StatusCode) -> Result<Response, ApiError> {
    let case = identity
        .access
        .inspection_case(code)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok((status, Json(case_out(case))).into_response())
}

/// Records a new case with its subjects.
#[utoipa::path(post, path = "/api/v1/inspections", request_body = CaseIn, responses((status = 201, body = CaseOut), (status = 400, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)), security(("bearer" = [])))]
pub async fn add_case(Api(identity): Api, body: Bytes) -> Result<Response, ApiError> {
    let writer = identity.access.inspection_writer()?;
    let input: CaseIn = json_body(&body)?;
    let mut problems = Vec::new();
    let decided_on = date_field("decided_on", &input.decided_on, &mut problems);
    let started_on = date_field("started_on", &input.started_on, &mut problems);
    if !problems.is_empty() {
        return Err(ApiError::fields(problems));
    }
    let case = writer
        .record_case(&CaseInput {
            code: input.code,
            kind: input.kind,
            unit: input.unit,
            body: input.body,
            decision_number: input.decision_number,
            decided_on,
            started_on,
            topic: input.topic,
            plan_item: None,
            subjects: input.subjects,
        })
        .await?;
    answer(&identity, &case.code, StatusCode::CREATED).await
}

#[derive(Deserialize, ToSchema)]
pub struct SubjectConclusionIn {
    /// The subject's code (a member's or an organization's).
    pub subject: String,
    /// `no_violation`, `minor` or `to_be_disciplined` (or their words).
    pub conclusion: String,
    #[serde(default)]
    pub note: String,
}

#[derive(Deserialize, ToSchema)]
pub struct ConclusionIn {
    pub concluded_on: String,
    pub subjects: Vec<SubjectConclusionIn>,
}

/// Records a case's conclusion about its subjects.
#[utoipa::path(post, path = "/api/v1/inspections/{code}/conclusion", params(("code" = String, Path)), request_body = ConclusionIn, responses((status = 200, body = CaseOut), (status = 400, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)), security(("bearer" = [])))]
pub async fn conclude(
    Api(identity): Api,
    Path(code): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let writer = identity.access.inspection_writer()?;
    // A case out of scope is not found, whatever the body says.
    identity.access.require_case(&code, |_| true).await?;
    let input: ConclusionIn = json_body(&body)?;
    let mut problems = Vec::new();
    let concluded_on = date_field("concluded_on", &input.concluded_on, &mut problems);
    if !problems.is_empty() {
        return Err(ApiError::fields(problems));
    }
    writer
        .conclude(
            &code,
            &ConclusionInput {
                concluded_on,
                subjects: input
                    .subjects
                    .into_iter()
                    .map(|s| SubjectConclusion {
                        subject: s.subject,
                        conclusion: s.conclusion,
                        note: s.note,
                    })
                    .collect(),
            },
        )
        .await?;
    answer(&identity, &code, StatusCode::OK).await
}

#[derive(Deserialize, ToSchema)]
pub struct DecisionIn {
    /// The subject's code, concluded `to_be_disciplined`.
    pub subject: String,
    /// `reprimand`, `warning`, `dismissal`, `expulsion` or `dissolution` (or their words).
    pub form: String,
    /// The deciding unit, containing the subject (its authority is checked).
    pub decided_by: String,
    #[serde(default)]
    pub body: String,
    pub decision_number: String,
    pub decided_on: String,
    /// The violation's (last act's) day: the limitation period runs from it.
    pub violation_on: String,
    #[serde(default)]
    pub no_limit_kind: bool,
    #[serde(default)]
    pub reason: String,
    /// For a dissolution: the branch its members move to.
    #[serde(default)]
    pub move_members_to: String,
}

/// Records a discipline decision on a subject of the case: an expulsion records the member's
/// expulsion, a dissolution dissolves the organization.
#[utoipa::path(post, path = "/api/v1/inspections/{code}/decisions", params(("code" = String, Path)), request_body = DecisionIn, responses((status = 201, body = CaseOut), (status = 400, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)), security(("bearer" = [])))]
pub async fn decide(
    Api(identity): Api,
    Path(code): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let writer = identity.access.inspection_writer()?;
    // A case out of scope is not found, whatever the body says.
    identity.access.require_case(&code, |_| true).await?;
    let input: DecisionIn = json_body(&body)?;
    let mut problems = Vec::new();
    let decided_on = date_field("decided_on", &input.decided_on, &mut problems);
    let violation_on = date_field("violation_on", &input.violation_on, &mut problems);
    if !problems.is_empty() {
        return Err(ApiError::fields(problems));
    }
    writer
        .decide(&DecisionInput {
            case_code: code.clone(),
            subject: input.subject,
            form: input.form,
            decided_by: input.decided_by,
            body: input.body,
            decision_number: input.decision_number,
            decided_on,
            violation_on,
            no_limit_kind: input.no_limit_kind,
            reason: input.reason,
            move_members_to: input.move_members_to,
        })
        .await?;
    answer(&identity, &code, StatusCode::CREATED).await
}

#[derive(Deserialize, ToSchema)]
pub struct ComplaintIn {
    /// A decision of this case (its `id`).
    pub decision_id: i64,
    pub received_on: String,
    /// The deciding unit or one above it.
    pub settling_unit: String,
    #[serde(default)]
    pub note: String,
}

/// Records a complaint against a decision of the case, with its deadline in working days.
#[utoipa::path(post, path = "/api/v1/inspections/{code}/complaints", params(("code" = String, Path)), request_body = ComplaintIn, responses((status = 201, body = CaseOut), (status = 400, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)), security(("bearer" = [])))]
pub async fn complain(
    Api(identity): Api,
    Path(code): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let writer = identity.access.inspection_writer()?;
    // A case out of scope is not found, whatever the body says.
    identity.access.require_case(&code, |_| true).await?;
    let input: ComplaintIn = json_body(&body)?;
    identity
        .access
        .require_case(&code, |case| case.has_decision(input.decision_id))
        .await?;
    let mut problems = Vec::new();
    let received_on = date_field("received_on", &input.received_on, &mut problems);
    if !problems.is_empty() {
        return Err(ApiError::fields(problems));
    }
    writer
        .complain(&ComplaintInput {
            decision_id: input.decision_id,
            received_on,
            settling_unit: input.settling_unit,
            note: input.note,
        })
        .await?;
    answer(&identity, &code, StatusCode::CREATED).await
}

#[derive(Deserialize, ToSchema)]
pub struct SettlementIn {
    /// A complaint about a decision of this case (its `id`).
    pub complaint_id: i64,
    pub settled_on: String,
    /// `upheld`, `changed` or `annulled` (or their words).
    pub result: String,
    /// The new form when `changed`.
    #[serde(default)]
    pub new_form: String,
    #[serde(default)]
    pub note: String,
}

/// Records a complaint's settlement: an annulled expulsion restores the member.
#[utoipa::path(post, path = "/api/v1/inspections/{code}/settlements", params(("code" = String, Path)), request_body = SettlementIn, responses((status = 200, body = CaseOut), (status = 400, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)), security(("bearer" = [])))]
pub async fn settle(
    Api(identity): Api,
    Path(code): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let writer = identity.access.inspection_writer()?;
    // A case out of scope is not found, whatever the body says.
    identity.access.require_case(&code, |_| true).await?;
    let input: SettlementIn = json_body(&body)?;
    identity
        .access
        .require_case(&code, |case| case.has_complaint(input.complaint_id))
        .await?;
    let mut problems = Vec::new();
    let settled_on = date_field("settled_on", &input.settled_on, &mut problems);
    if !problems.is_empty() {
        return Err(ApiError::fields(problems));
    }
    writer
        .settle(&SettlementInput {
            complaint_id: input.complaint_id,
            settled_on,
            result: input.result,
            new_form: input.new_form,
            note: input.note,
        })
        .await?;
    answer(&identity, &code, StatusCode::OK).await
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PlanParams {
    /// Unit code or exact name; the caller's scope by default. Programmes of its subtree.
    #[serde(default)]
    unit: String,
    /// The programme's year (four digits).
    year: String,
}

#[derive(Serialize, ToSchema)]
pub struct PlanItemOut {
    pub id: i64,
    /// The unit whose programme it is.
    pub unit: String,
    pub year: i32,
    pub kind: String,
    /// The organization's or the member's code, and its name.
    pub subject: String,
    pub subject_name: String,
    pub topic: String,
    pub planned_from: NaiveDate,
    pub planned_to: NaiveDate,
    /// The cases made for it, and the day the first of them was concluded.
    pub cases: Vec<String>,
    pub done_on: Option<NaiveDate>,
}

fn plan_item_out(item: dangbo_store::access::PlanItem) -> PlanItemOut {
    PlanItemOut {
        id: item.id,
        unit: item.unit_code,
        year: item.year,
        kind: item.kind.code().into(),
        subject: item.subject_code,
        subject_name: item.subject_name,
        topic: item.topic,
        planned_from: item.planned_from,
        planned_to: item.planned_to,
        cases: item.case_codes,
        done_on: item.done_on,
    }
}

/// The items of the yearly inspection and supervision programmes of a unit's subtree.
#[utoipa::path(get, path = "/api/v1/inspections/plan", params(PlanParams), responses((status = 200, body = Vec<PlanItemOut>), (status = 400, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)), security(("bearer" = [])))]
pub async fn plan(
    Api(identity): Api,
    ApiQuery(p): ApiQuery<PlanParams>,
) -> ApiResult<Vec<PlanItemOut>> {
    let text = p.year.trim();
    let year = text
        .parse::<i32>()
        .ok()
        .filter(|y| (1990..=2100).contains(y))
        .ok_or_else(|| {
            ApiError::fields(vec![(
                "year".into(),
                format!("«{text}» không phải năm (1990 đến 2100)"),
            )])
        })?;
    let (_, items) = identity
        .access
        .inspection_plan(&p.unit, year)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(Json(items.into_iter().map(plan_item_out).collect()))
}

#[derive(Deserialize, ToSchema)]
pub struct PlanItemIn {
    /// The unit whose programme it is.
    pub unit: String,
    pub year: i32,
    /// An inspection's or a supervision's kind (complaints and denunciations are not planned).
    pub kind: String,
    /// An organization's or a member's code, inside the unit.
    pub subject: String,
    #[serde(default)]
    pub topic: String,
    pub planned_from: String,
    pub planned_to: String,
}

/// Adds an item to a unit's programme.
#[utoipa::path(post, path = "/api/v1/inspections/plan", request_body = PlanItemIn, responses((status = 201, body = PlanItemOut), (status = 400, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope)), security(("bearer" = [])))]
pub async fn add_plan_item(Api(identity): Api, body: Bytes) -> Result<Response, ApiError> {
    let writer = identity.access.inspection_writer()?;
    let input: PlanItemIn = json_body(&body)?;
    let mut problems = Vec::new();
    let planned_from = date_field("planned_from", &input.planned_from, &mut problems);
    let planned_to = date_field("planned_to", &input.planned_to, &mut problems);
    if !problems.is_empty() {
        return Err(ApiError::fields(problems));
    }
    let item = writer
        .plan(&dangbo_store::access::PlanInput {
            unit: input.unit,
            year: input.year,
            kind: input.kind,
            subject: input.subject,
            topic: input.topic,
            planned_from,
            planned_to,
        })
        .await?;
    Ok((StatusCode::CREATED, Json(plan_item_out(item))).into_response())
}
