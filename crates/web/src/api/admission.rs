//! The admission pipeline: a unit's candidates with their files' next deadlines, a candidate's
//! file with its steps, the due list; and the writing routes (a new file, the next step), through
//! the same admission writer as the pages.

use axum::Json;
use axum::body::Bytes;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use dangbo_store::access::{CandidateFile, CandidateLine, DueLine, NewCandidate, StepInput};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{ApiQuery, ApiResult, json_body};
use crate::error::{ApiError, ErrorEnvelope};
use crate::params::{RecordForm, date_field, required_date};
use crate::session::Api;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CandidatesParams {
    /// Unit code or exact name; the caller's scope by default. Candidates of its whole subtree.
    #[serde(default)]
    unit: String,
    /// The day deadlines are counted on; today by default.
    #[serde(default)]
    as_of: String,
    /// `true` or `1`: admitted and stopped files too.
    #[serde(default)]
    all: String,
}

#[derive(Serialize, ToSchema)]
pub struct DueOut {
    /// The rule whose deadline it is (`admission.decision_deadline`, `membership.full_vote`…).
    pub rule: String,
    /// What is due, in Vietnamese.
    pub what: String,
    pub due_on: NaiveDate,
    pub overdue: bool,
}

#[derive(Serialize, ToSchema)]
pub struct CandidateOut {
    /// The file's code; the member's code once decided.
    pub code: String,
    pub full_name: String,
    /// male or female.
    pub sex: String,
    pub birth_date: NaiveDate,
    /// The code and name of the branch preparing them.
    pub unit: String,
    pub unit_name: String,
    /// youth_union, trade_union, women_union, farmers_union, veterans_union, fatherland_front or
    /// branch.
    pub nominated_by: String,
    /// The stage of the last step: nominated, class_passed, applied, vetted, mass_organization,
    /// branch_resolution, committee_resolution, decided, admitted or stopped.
    pub stage: String,
    pub stage_on: NaiveDate,
    /// The member the decision created (or linked); null before it.
    pub member: Option<String>,
    /// The file's next deadline on the day asked; null for none.
    pub next_due: Option<DueOut>,
}

fn candidate_out(line: CandidateLine) -> CandidateOut {
    let c = line.candidate;
    CandidateOut {
        code: c.record.code,
        full_name: c.record.full_name,
        sex: c.record.sex.code().into(),
        birth_date: c.record.birth_date,
        unit: c.unit_code,
        unit_name: line.unit_name,
        nominated_by: c.nominated_by.code().into(),
        stage: c.stage.code().into(),
        stage_on: c.stage_on,
        member: c.member_code,
        next_due: line.next_due.map(|d| DueOut {
            rule: d.rule.into(),
            what: d.what.into(),
            due_on: d.due_on,
            overdue: d.overdue,
        }),
    }
}

/// The day asked for and whether closed files are wanted, or the problems of reading them.
fn read_params(p: &CandidatesParams) -> Result<(NaiveDate, bool), ApiError> {
    let mut problems = Vec::new();
    let day = date_field("as_of", &p.as_of, &mut problems).unwrap_or_else(crate::format::today);
    let all = match p.all.trim() {
        "" | "false" | "0" => false,
        "true" | "1" => true,
        other => {
            problems.push((
                "all".to_string(),
                format!("«{other}» không hợp lệ: cần true hoặc false"),
            ));
            false
        }
    };
    if problems.is_empty() {
        Ok((day, all))
    } else {
        Err(ApiError::fields(problems))
    }
}

/// The candidates of a unit's subtree, in name order, with each file's next deadline.
#[utoipa::path(get, path = "/api/v1/candidates", params(CandidatesParams), responses((status = 200, body = Vec<CandidateOut>), (status = 400, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)), security(("bearer" = [])))]
pub async fn candidates(
    Api(identity): Api,
    ApiQuery(p): ApiQuery<CandidatesParams>,
) -> ApiResult<Vec<CandidateOut>> {
    let (day, all) = read_params(&p)?;
    let (_, lines) = identity
        .access
        .candidates(&p.unit, day, !all)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(Json(lines.into_iter().map(candidate_out).collect()))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DueParams {
    /// Unit code or exact name; the caller's scope by default.
    #[serde(default)]
    unit: String,
    /// The day deadlines are counted on; today by default.
    #[serde(default)]
    as_of: String,
}

#[derive(Serialize, ToSchema)]
pub struct DueLineOut {
    /// candidate (a file) or member (a probationer).
    pub kind: String,
    pub code: String,
    pub full_name: String,
    pub unit: String,
    pub unit_name: String,
    pub rule: String,
    pub what: String,
    pub due_on: NaiveDate,
    pub overdue: bool,
}

fn due_out(l: DueLine) -> DueLineOut {
    DueLineOut {
        kind: l.kind.into(),
        code: l.code,
        full_name: l.full_name,
        unit: l.unit_code,
        unit_name: l.unit_name,
        rule: l.rule.into(),
        what: l.what.into(),
        due_on: l.due_on,
        overdue: l.overdue,
    }
}

/// What of the admission pipeline and of probation is due within 30 days of the day, or overdue.
#[utoipa::path(get, path = "/api/v1/candidates/due", params(DueParams), responses((status = 200, body = Vec<DueLineOut>), (status = 400, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)), security(("bearer" = [])))]
pub async fn due(
    Api(identity): Api,
    ApiQuery(p): ApiQuery<DueParams>,
) -> ApiResult<Vec<DueLineOut>> {
    let mut problems = Vec::new();
    let day = date_field("as_of", &p.as_of, &mut problems).unwrap_or_else(crate::format::today);
    if !problems.is_empty() {
        return Err(ApiError::fields(problems));
    }
    let (_, lines) = identity
        .access
        .admission_due(&p.unit, day)
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(Json(lines.into_iter().map(due_out).collect()))
}

#[derive(Serialize, ToSchema)]
pub struct StepOut {
    /// The stage the step reached (`admitted` for the ceremony, `stopped`).
    pub stage: String,
    pub date: NaiveDate,
    /// The step's facts as recorded: votes, certificate, decision…
    #[schema(value_type = Object)]
    pub facts: serde_json::Value,
    pub recorded_by: String,
}

#[derive(Serialize, ToSchema)]
pub struct IntroducerOut {
    pub member: String,
    pub full_name: String,
    pub assigned_on: NaiveDate,
}

#[derive(Serialize, ToSchema)]
pub struct CandidateFileOut {
    pub candidate: CandidateOut,
    pub steps: Vec<StepOut>,
    pub introducers: Vec<IntroducerOut>,
    /// The stages a next step may reach.
    pub next_stages: Vec<String>,
    /// Once admitted: when probation ends and by when the branch votes on full membership.
    pub probation_ends: Option<NaiveDate>,
    pub full_vote_by: Option<NaiveDate>,
}

fn file_out(file: CandidateFile) -> CandidateFileOut {
    CandidateFileOut {
        steps: file
            .steps
            .into_iter()
            .map(|s| StepOut {
                stage: s.step.stage().code().into(),
                date: s.step.date(),
                facts: serde_json::to_value(&s.step).unwrap_or_default(),
                recorded_by: s.recorded_by,
            })
            .collect(),
        introducers: file
            .introducers
            .into_iter()
            .map(|i| IntroducerOut {
                member: i.member_code,
                full_name: i.full_name,
                assigned_on: i.assigned_on,
            })
            .collect(),
        next_stages: file
            .next_stages
            .iter()
            .map(|s| s.code().to_string())
            .collect(),
        probation_ends: file.probation.map(|(ends, _)| ends),
        full_vote_by: file.probation.map(|(_, by)| by),
        candidate: candidate_out(file.line),
    }
}

/// A candidate's file, if the branch preparing them is in scope.
#[utoipa::path(get, path = "/api/v1/candidates/{code}", params(("code" = String, Path)), responses((status = 200, body = CandidateFileOut), (status = 404, body = ErrorEnvelope)), security(("bearer" = [])))]
pub async fn candidate(
    Api(identity): Api,
    Path(code): Path<String>,
) -> ApiResult<CandidateFileOut> {
    let file = identity
        .access
        .candidate(&code, crate::format::today())
        .await?
        .ok_or_else(ApiError::not_found)?;
    Ok(Json(file_out(file)))
}

#[derive(Deserialize, ToSchema)]
pub struct CandidateIn {
    /// The file's code, which becomes the member's code at the decision.
    pub code: String,
    /// The branch's code or exact name; empty for the caller's scope when it is a branch.
    #[serde(default)]
    pub unit: String,
    /// youth_union, trade_union, women_union, farmers_union, veterans_union, fatherland_front or
    /// branch (or the Vietnamese name).
    pub nominated_by: String,
    pub nominated_on: String,
    pub full_name: String,
    pub sex: String,
    pub birth_date: String,
    #[serde(default)]
    pub ethnicity: String,
    #[serde(default)]
    pub religion: String,
    #[serde(default)]
    pub home_town: String,
    #[serde(default)]
    pub residence: String,
    #[serde(default)]
    pub national_id: String,
    #[serde(default)]
    pub general_education: String,
    #[serde(default)]
    pub qualification: String,
    #[serde(default)]
    pub theory_level: String,
    #[serde(default)]
    pub occupation: String,
    #[serde(default)]
    pub phone: String,
}

#[derive(Serialize, ToSchema)]
pub struct CandidateCreated {
    pub code: String,
}

/// Opens a candidate's file in a branch in scope, with their nomination.
#[utoipa::path(post, path = "/api/v1/candidates", request_body = CandidateIn, responses((status = 201, body = CandidateCreated), (status = 422, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope)), security(("bearer" = [])))]
pub async fn add_candidate(Api(identity): Api, body: Bytes) -> Result<Response, ApiError> {
    let writer = identity.access.admission_writer()?;
    let input: CandidateIn = json_body(&body)?;
    let mut problems = Vec::new();
    let nominated_on = required_date("nominated_on", &input.nominated_on, &mut problems);
    let form = RecordForm {
        version: String::new(),
        full_name: input.full_name,
        sex: input.sex,
        birth_date: input.birth_date,
        ethnicity: input.ethnicity,
        religion: input.religion,
        home_town: input.home_town,
        residence: input.residence,
        national_id: input.national_id,
        general_education: input.general_education,
        qualification: input.qualification,
        theory_level: input.theory_level,
        occupation: input.occupation,
        phone: input.phone,
        card_number: String::new(),
    };
    let record = match form.parse(input.code.trim()) {
        Ok(record) => record,
        Err(more) => {
            return Err(ApiError::fields(crate::params::merged(problems, more)));
        }
    };
    if !problems.is_empty() {
        return Err(ApiError::fields(problems));
    }
    let code = writer
        .add_candidate(
            &NewCandidate {
                record,
                unit: input.unit,
                nominated_by: input.nominated_by,
                nominated_on,
            },
            crate::format::today(),
        )
        .await?;
    Ok((StatusCode::CREATED, Json(CandidateCreated { code })).into_response())
}

#[derive(Deserialize, ToSchema)]
pub struct StepIn {
    /// The stage the step reaches: class_passed, applied, vetted, mass_organization,
    /// branch_resolution, committee_resolution, decided, admitted (the ceremony) or stopped.
    pub stage: String,
    pub on: String,
    /// The awareness class's certificate number and issuing centre (class_passed).
    #[serde(default)]
    pub certificate: String,
    #[serde(default)]
    pub centre: String,
    /// The vote (branch_resolution, committee_resolution): for, against, present, and those
    /// entitled (the branch's full members; the committee's members).
    #[serde(default)]
    pub votes_for: Option<u32>,
    #[serde(default)]
    pub votes_against: Option<u32>,
    #[serde(default)]
    pub present: Option<u32>,
    #[serde(default)]
    pub entitled: Option<u32>,
    /// The provincial standing committee's approval, for a candidate past the age limit.
    #[serde(default)]
    pub over_age_approval: String,
    /// The decision's number and issuing committee (decided).
    #[serde(default)]
    pub number: String,
    #[serde(default)]
    pub committee: String,
    /// withdrawn, not_passed or moved_away (stopped), and a note.
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub note: String,
}

#[derive(Serialize, ToSchema)]
pub struct StepRecorded {
    /// The stage the file reached.
    pub stage: String,
}

/// Records the next step of a candidate's file in scope, checked against the rules in force on
/// its date (a refusal names the rule).
#[utoipa::path(post, path = "/api/v1/candidates/{code}/steps", params(("code" = String, Path)), request_body = StepIn, responses((status = 201, body = StepRecorded), (status = 422, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)), security(("bearer" = [])))]
pub async fn record_step(
    Api(identity): Api,
    Path(code): Path<String>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let writer = identity.access.admission_writer()?;
    // A file out of scope is not found, whatever the body says.
    if !identity.access.sees_candidate(&code).await? {
        return Err(ApiError::not_found());
    }
    let input: StepIn = json_body(&body)?;
    let mut problems = Vec::new();
    let on = required_date("on", &input.on, &mut problems);
    if !problems.is_empty() {
        return Err(ApiError::fields(problems));
    }
    let stage = writer
        .record_step(
            &code,
            &StepInput {
                stage: input.stage,
                on,
                certificate: input.certificate,
                centre: input.centre,
                votes_for: input.votes_for,
                votes_against: input.votes_against,
                present: input.present,
                entitled: input.entitled,
                over_age_approval: input.over_age_approval,
                number: input.number,
                committee: input.committee,
                reason: input.reason,
                note: input.note,
            },
            crate::format::today(),
        )
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(StepRecorded {
            stage: stage.code().into(),
        }),
    )
        .into_response())
}
