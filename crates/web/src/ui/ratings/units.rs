//! A committee's grid for a period: one row per organization it rates (its direct sub-units of
//! the rated kinds existing on the review date) with the self rating, the proposal, the decided
//! level, points where the scheme scores and a comment, saved all at once with the decision.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query};
use axum::response::{IntoResponse, Redirect, Response};
use dangbo_domain::ratings::{Period, Subject, levels, scheme_for};
use dangbo_store::StoreError;
use dangbo_store::access::{RatingInput, Unit, is_rated_kind};

use super::grid::GridForm;
use super::{ReviewQuery, period_query};
use crate::AppError;
use crate::error::render_form;
use crate::format::url;
use crate::session::{Identity, Ui};
use crate::ui::{Choice, Chrome, FieldErrors};

pub struct UnitRow {
    pub code: String,
    pub name: String,
    pub self_levels: Vec<Choice>,
    pub proposed_levels: Vec<Choice>,
    pub levels: Vec<Choice>,
    pub points: String,
    pub comment: String,
    pub error: String,
}

#[derive(Template)]
#[template(path = "rating_units.html")]
struct UnitsPage {
    c: Chrome,
    notice: String,
    failed: bool,
    code: String,
    period_query: String,
    period_label: String,
    unit_name: String,
    scheme: String,
    points: bool,
    rows: Vec<UnitRow>,
    decided_by: String,
    decision_number: String,
    quota_exception: String,
    review_link: String,
}

/// The organizations a committee rates on the period's review date.
async fn rated_units(
    identity: &Identity,
    code: &str,
    period: Period,
) -> Result<(Unit, Vec<Unit>), AppError> {
    let day = period.review_date();
    let unit = identity
        .access
        .unit(code)
        .await?
        .filter(|u| !u.is_whole_database())
        .ok_or(AppError::NotFound)?;
    let subtree = identity
        .access
        .subtree(&unit.code, day)
        .await?
        .unwrap_or_default();
    let children = subtree
        .into_iter()
        .filter(|e| e.depth == 1 && is_rated_kind(e.unit.kind))
        .map(|e| e.unit)
        .collect();
    Ok((unit, children))
}

async fn units_view(
    identity: &Identity,
    lang: crate::i18n::Lang,
    code: &str,
    period: Period,
    notice: String,
    returned: Option<(GridForm, FieldErrors)>,
) -> Result<Response, AppError> {
    let t = lang.texts();
    let (unit, children) = rated_units(identity, code, period).await?;
    let ratings = identity
        .access
        .organization_ratings_under(&unit.code, period)
        .await?
        .ok_or(AppError::NotFound)?;
    let scheme = scheme_for(period);
    let failed = returned.is_some();
    let (form, errors) = returned.unwrap_or_default();
    let typed = |key: String, stored: String| {
        if failed { form.get(&key) } else { stored }
    };
    let mut options = vec![(String::new(), "—".to_string())];
    options.extend(
        levels(&scheme.rules, Subject::Organization)
            .iter()
            .map(|l| (l.code.to_string(), l.label_vi.to_string())),
    );
    let rows = children
        .iter()
        .map(|u| {
            let stored = ratings
                .iter()
                .find(|r| r.subject == Subject::Organization && r.unit_code == u.code);
            let select = |name: &str, stored: Option<&String>| {
                let current = typed(
                    format!("{name}.{}", u.code),
                    stored.cloned().unwrap_or_default(),
                );
                crate::ui::choices(&current, options.clone())
            };
            UnitRow {
                self_levels: select("self", stored.map(|r| &r.self_level)),
                proposed_levels: select("proposal", stored.map(|r| &r.proposed_level)),
                levels: select("level", stored.map(|r| &r.level)),
                points: typed(
                    format!("points.{}", u.code),
                    stored
                        .and_then(|r| r.points)
                        .map(|p| p.to_string())
                        .unwrap_or_default(),
                ),
                comment: typed(
                    format!("comment.{}", u.code),
                    stored.map(|r| r.comment.clone()).unwrap_or_default(),
                ),
                error: errors.get(&u.code).to_string(),
                code: u.code.clone(),
                name: u.name.clone(),
            }
        })
        .collect();
    let first = ratings.iter().find(|r| {
        r.subject == Subject::Organization && children.iter().any(|u| u.code == r.unit_code)
    });
    let page = UnitsPage {
        c: Chrome::new(
            identity,
            lang,
            format!("{} · {}", t.ratings_title, unit.name),
            "ratings",
            &format!("/ratings/{}/units{}", url(&unit.code), period_query(period)),
        ),
        notice,
        failed,
        unit_name: identity
            .access
            .unit_name_on(&unit, period.review_date())
            .await?,
        code: unit.code.clone(),
        period_query: period_query(period),
        period_label: period.label_vi(),
        scheme: scheme.citation(),
        points: scheme.rules.points,
        rows,
        decided_by: typed(
            "decided_by".into(),
            first.map(|r| r.decided_by.clone()).unwrap_or_default(),
        ),
        decision_number: typed(
            "decision_number".into(),
            first.map(|r| r.decision_number.clone()).unwrap_or_default(),
        ),
        quota_exception: typed("quota_exception".into(), String::new()),
        review_link: format!("/ratings{}&unit={}", period_query(period), url(&unit.code)),
    };
    render_form(&page, failed)
}

/// A committee's grid of its organizations for a period.
pub async fn grid(
    Ui(identity, lang): Ui,
    Path(code): Path<String>,
    Query(q): Query<ReviewQuery>,
) -> Result<Response, AppError> {
    identity.access.rating_writer()?;
    let period = q.period()?;
    let notice = if q.ok == "saved" {
        lang.texts().ratings_saved.to_string()
    } else {
        String::new()
    };
    units_view(&identity, lang, &code, period, notice, None).await
}

/// Saves a committee's grid, all or nothing.
pub async fn save(
    Ui(identity, lang): Ui,
    Path(code): Path<String>,
    Query(q): Query<ReviewQuery>,
    Form(form): Form<GridForm>,
) -> Result<Response, AppError> {
    let writer = identity.access.rating_writer()?;
    let period = q.period()?;
    let (_, children) = rated_units(&identity, &code, period).await?;
    let mut problems = Vec::new();
    let entries: Vec<(String, RatingInput)> = children
        .iter()
        .map(|u| {
            let points = super::grid::points_of(&form.get(&format!("points.{}", u.code)))
                .unwrap_or_else(|message| {
                    problems.push((u.code.clone(), message));
                    None
                });
            (
                u.code.clone(),
                RatingInput {
                    self_level: form.get(&format!("self.{}", u.code)),
                    proposed_level: form.get(&format!("proposal.{}", u.code)),
                    level: form.get(&format!("level.{}", u.code)),
                    points,
                    comment: form.get(&format!("comment.{}", u.code)),
                    decided_by: form.get("decided_by"),
                    decision_number: form.get("decision_number"),
                    quota_exception: form.get("quota_exception"),
                },
            )
        })
        .collect();
    let result = if problems.is_empty() {
        writer.rate_organizations(period, &entries).await
    } else {
        Err(StoreError::Fields(problems))
    };
    match super::grid::saved(result, lang)? {
        None => Ok(Redirect::to(&format!(
            "/ratings/{}/units{}&ok=saved",
            url(&code),
            period_query(period)
        ))
        .into_response()),
        Some((notice, errors)) => {
            units_view(&identity, lang, &code, period, notice, Some((form, errors))).await
        }
    }
}
