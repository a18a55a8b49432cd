//! A branch's grid for a period: one row per member on its list (self rating, the branch's
//! proposal, the decided level, points where the scheme scores, a comment), saved all at once
//! with the deciding body and decision; and the branch's sheet to fill in offline and import.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query};
use axum::response::{IntoResponse, Redirect, Response};
use dangbo_domain::ratings::{Period, Subject, levels, scheme_for};
use dangbo_store::StoreError;
use dangbo_store::access::{ProposalInput, RatingInput};
use serde::Deserialize;

use super::{ReviewQuery, period_query};
use crate::AppError;
use crate::error::render_form;
use crate::format::url;
use crate::session::{Identity, Ui};
use crate::ui::{Choice, Chrome, FieldErrors};

pub struct GridRow {
    pub code: String,
    pub name: String,
    /// Why they are not rated; empty when rated.
    pub not_rated: &'static str,
    pub self_levels: Vec<Choice>,
    pub proposed_levels: Vec<Choice>,
    pub levels: Vec<Choice>,
    pub points: String,
    pub comment: String,
    pub error: String,
}

#[derive(Template)]
#[template(path = "rating_grid.html")]
struct GridPage {
    c: Chrome,
    notice: String,
    failed: bool,
    period_label: String,
    unit_name: String,
    scheme: String,
    points: bool,
    rows: Vec<GridRow>,
    /// Whether this user decides (the levels), or only proposes (self ratings, proposals,
    /// comments).
    writes: bool,
    proposes: bool,
    action: String,
    decided_by: String,
    decision_number: String,
    quota_exception: String,
    review_link: String,
    sheet_link: String,
}

/// The grid as posted: `self.CODE`, `proposal.CODE`, `level.CODE`, `points.CODE`, `comment.CODE`
/// per member, and the decision.
#[derive(Deserialize, Default, Clone)]
pub struct GridForm {
    #[serde(flatten)]
    pub fields: HashMap<String, String>,
}

impl GridForm {
    pub fn get(&self, key: &str) -> String {
        self.fields.get(key).cloned().unwrap_or_default()
    }
}

async fn grid_view(
    identity: &Identity,
    lang: crate::i18n::Lang,
    code: &str,
    period: Period,
    notice: String,
    returned: Option<(GridForm, FieldErrors)>,
) -> Result<Response, AppError> {
    let t = lang.texts();
    let (unit, list) = identity
        .access
        .branch_ratings(code, period)
        .await?
        .ok_or(AppError::NotFound)?;
    if !unit.kind.holds_members() {
        return Err(AppError::NotFound);
    }
    let scheme = scheme_for(period);
    let failed = returned.is_some();
    let (form, errors) = returned.unwrap_or_default();
    let mut options = vec![(String::new(), "—".to_string())];
    options.extend(
        levels(&scheme.rules, Subject::Member)
            .iter()
            .map(|l| (l.code.to_string(), l.label_vi.to_string())),
    );
    let typed = |key: String, stored: String| {
        if failed { form.get(&key) } else { stored }
    };
    let rows = list
        .iter()
        .map(|m| {
            let stored = m.rating.as_ref();
            // Until the decision, the branch's proposal fills the self rating, the proposal and
            // the comment.
            let proposal = m.proposal.as_ref().filter(|_| stored.is_none());
            let select = |name: &str, stored: Option<&String>| {
                let current = typed(
                    format!("{name}.{}", m.code),
                    stored.cloned().unwrap_or_default(),
                );
                crate::ui::choices(&current, options.clone())
            };
            GridRow {
                self_levels: select(
                    "self",
                    stored
                        .map(|r| &r.self_level)
                        .or(proposal.map(|p| &p.self_level)),
                ),
                proposed_levels: select(
                    "proposal",
                    stored
                        .map(|r| &r.proposed_level)
                        .or(proposal.map(|p| &p.proposed_level)),
                ),
                levels: select("level", stored.map(|r| &r.level)),
                points: typed(
                    format!("points.{}", m.code),
                    stored
                        .and_then(|r| r.points)
                        .map(|p| p.to_string())
                        .unwrap_or_default(),
                ),
                comment: typed(
                    format!("comment.{}", m.code),
                    stored
                        .map(|r| r.comment.clone())
                        .or(proposal.map(|p| p.comment.clone()))
                        .unwrap_or_default(),
                ),
                not_rated: m.not_rated.map_or("", |r| r.label_vi()),
                error: errors.get(&m.code).to_string(),
                code: m.code.clone(),
                name: m.full_name.clone(),
            }
        })
        .collect();
    let first = list.iter().find_map(|m| m.rating.as_ref());
    let writes = identity.access.rating_writer().is_ok();
    let page = GridPage {
        c: Chrome::new(
            identity,
            lang,
            format!("{} · {}", t.ratings_title, unit.name),
            "ratings",
            &format!("/ratings/{}{}", url(&unit.code), period_query(period)),
        ),
        notice,
        failed,
        unit_name: unit.name.clone(),
        period_label: period.label_vi(),
        scheme: scheme.citation(),
        points: scheme.rules.points,
        rows,
        writes,
        proposes: !writes && identity.access.rating_proposer().is_ok(),
        action: format!(
            "/ratings/{}{}{}",
            url(&unit.code),
            if writes { "" } else { "/proposals" },
            period_query(period)
        ),
        decided_by: typed(
            "decided_by".into(),
            first.map(|r| r.decided_by.clone()).unwrap_or_default(),
        ),
        decision_number: typed(
            "decision_number".into(),
            first.map(|r| r.decision_number.clone()).unwrap_or_default(),
        ),
        quota_exception: typed("quota_exception".into(), String::new()),
        review_link: format!("/ratings{}", period_query(period)),
        sheet_link: format!(
            "/ratings/{}/sheet.xlsx{}",
            url(&unit.code),
            period_query(period)
        ),
    };
    render_form(&page, failed)
}

/// Points as typed: none when empty, else a whole number.
pub fn points_of(text: &str) -> Result<Option<u32>, String> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    text.trim()
        .parse::<u32>()
        .map(Some)
        .map_err(|_| format!("«{}» không phải số điểm (0 đến 100)", text.trim()))
}

/// A branch's grid for a period.
pub async fn grid(
    Ui(identity, lang): Ui,
    Path(code): Path<String>,
    Query(q): Query<ReviewQuery>,
) -> Result<Response, AppError> {
    let period = q.period()?;
    let notice = if q.ok == "saved" {
        lang.texts().ratings_saved.to_string()
    } else {
        String::new()
    };
    grid_view(&identity, lang, &code, period, notice, None).await
}

/// Saves a branch's grid, all or nothing.
pub async fn save(
    Ui(identity, lang): Ui,
    Path(code): Path<String>,
    Query(q): Query<ReviewQuery>,
    Form(form): Form<GridForm>,
) -> Result<Response, AppError> {
    let writer = identity.access.rating_writer()?;
    let period = q.period()?;
    let Some((_, list)) = identity.access.branch_ratings(&code, period).await? else {
        return Err(AppError::NotFound);
    };
    let mut problems = Vec::new();
    let entries: Vec<(String, RatingInput)> = list
        .iter()
        .map(|m| {
            let points =
                points_of(&form.get(&format!("points.{}", m.code))).unwrap_or_else(|message| {
                    problems.push((m.code.clone(), message));
                    None
                });
            (
                m.code.clone(),
                RatingInput {
                    self_level: form.get(&format!("self.{}", m.code)),
                    proposed_level: form.get(&format!("proposal.{}", m.code)),
                    level: form.get(&format!("level.{}", m.code)),
                    points,
                    comment: form.get(&format!("comment.{}", m.code)),
                    decided_by: form.get("decided_by"),
                    decision_number: form.get("decision_number"),
                    quota_exception: form.get("quota_exception"),
                },
            )
        })
        .collect();
    let result = if problems.is_empty() {
        writer
            .rate_members(&code, period, &entries, &form.get("quota_exception"))
            .await
    } else {
        Err(StoreError::Fields(problems))
    };
    match saved(result, lang)? {
        None => Ok(Redirect::to(&format!(
            "/ratings/{}{}&ok=saved",
            url(&code),
            period_query(period)
        ))
        .into_response()),
        Some((notice, errors)) => {
            grid_view(&identity, lang, &code, period, notice, Some((form, errors))).await
        }
    }
}

/// What a grid's save leads to: `None` on to the saved page, or the notice and the problems
/// to show the grid again with what was typed; other errors go up.
pub(super) fn saved(
    result: Result<usize, StoreError>,
    lang: crate::i18n::Lang,
) -> Result<Option<(String, FieldErrors)>, AppError> {
    match result {
        Ok(_) => Ok(None),
        Err(StoreError::Fields(problems)) => Ok(Some((
            lang.texts().fix_errors.to_string(),
            FieldErrors(problems),
        ))),
        Err(StoreError::Invalid(refusal)) => Ok(Some((refusal.message, FieldErrors::default()))),
        Err(other) => Err(other.into()),
    }
}

/// The branch's sheet for the period, to fill in and import as members' ratings.
pub async fn sheet(
    Ui(identity, _): Ui,
    Path(code): Path<String>,
    Query(q): Query<ReviewQuery>,
) -> Result<Response, AppError> {
    let period = q.period()?;
    let table = identity
        .access
        .branch_sheet(&code, period)
        .await?
        .ok_or(AppError::NotFound)?;
    let rows: Vec<Vec<String>> = table.rows.into_iter().map(|(_, cells)| cells).collect();
    let bytes = dangbo_store::access::xlsx_bytes(&table.headers, &rows)?;
    let name = format!(
        "xep-loai-{}-{}{}.xlsx",
        crate::ui::table::file_part(&code),
        period.year,
        period.quarter.map(|q| format!("-q{q}")).unwrap_or_default()
    );
    crate::ui::table::xlsx_response(bytes, &name)
}

/// Saves a branch's proposals (self ratings, the branch's levels, comments), all or nothing.
pub async fn propose(
    Ui(identity, lang): Ui,
    Path(code): Path<String>,
    Query(q): Query<ReviewQuery>,
    Form(form): Form<GridForm>,
) -> Result<Response, AppError> {
    let proposer = identity.access.rating_proposer()?;
    let period = q.period()?;
    let Some((_, list)) = identity.access.branch_ratings(&code, period).await? else {
        return Err(AppError::NotFound);
    };
    let entries: Vec<(String, ProposalInput)> = list
        .iter()
        .filter(|m| m.not_rated.is_none())
        .map(|m| {
            (
                m.code.clone(),
                ProposalInput {
                    self_level: form.get(&format!("self.{}", m.code)),
                    proposed_level: form.get(&format!("proposal.{}", m.code)),
                    comment: form.get(&format!("comment.{}", m.code)),
                },
            )
        })
        .collect();
    let result = proposer.propose_members(&code, period, &entries).await;
    match saved(result, lang)? {
        None => Ok(Redirect::to(&format!(
            "/ratings/{}{}&ok=saved",
            url(&code),
            period_query(period)
        ))
        .into_response()),
        Some((notice, errors)) => {
            grid_view(&identity, lang, &code, period, notice, Some((form, errors))).await
        }
    }
}
