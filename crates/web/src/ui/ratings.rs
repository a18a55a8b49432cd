//! The year's review: a unit's branches with how far their rating has gone, and a branch's grid
//! (one row per member on its list: the level, points where the scheme scores, a comment), saved
//! all at once with the deciding body and decision.

use std::collections::HashMap;

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Datelike;
use dangbo_domain::ratings::{Period, Subject, levels, scheme_for};
use dangbo_store::StoreError;
use dangbo_store::access::RatingInput;
use serde::Deserialize;

use super::{Choice, Chrome, FieldErrors};
use crate::AppError;
use crate::error::render_form;
use crate::format::{self, url};
use crate::session::{Identity, Ui};

#[derive(Deserialize, Default, Clone)]
pub struct ReviewQuery {
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub year: String,
    #[serde(default)]
    pub ok: String,
}

impl ReviewQuery {
    /// The review year: the one asked for, or last year's review until this one's closes.
    fn year(&self) -> Result<i32, AppError> {
        if self.year.trim().is_empty() {
            return Ok(format::today().year() - 1);
        }
        match self.year.trim().parse::<i32>() {
            Ok(year) if (1990..=2100).contains(&year) => Ok(year),
            _ => Err(AppError::fields(vec![(
                "year".to_string(),
                format!("«{}» không phải năm (1990 đến 2100)", self.year.trim()),
            )])),
        }
    }
}

pub struct BranchRow {
    pub link: String,
    pub name: String,
    pub rated: usize,
    pub to_rate: usize,
    pub done: bool,
}

#[derive(Template)]
#[template(path = "ratings.html")]
struct ReviewPage {
    c: Chrome,
    q: ReviewQuery,
    year: i32,
    unit_name: String,
    scheme: String,
    figures: Vec<(String, String)>,
    branches: Vec<BranchRow>,
    progress: String,
}

/// A unit's review of a year: its figures, and each branch with its progress and grid link.
pub async fn review(
    Ui(identity, lang): Ui,
    Query(q): Query<ReviewQuery>,
) -> Result<Response, AppError> {
    let t = lang.texts();
    let year = q.year()?;
    let period = Period::year(year);
    let day = period.review_date();
    let unit = identity
        .access
        .unit(&q.unit)
        .await?
        .ok_or(AppError::NotFound)?;
    let subtree = identity
        .access
        .subtree(&unit.code, day)
        .await?
        .unwrap_or_default();
    let mut branches = Vec::new();
    for entry in subtree.iter().filter(|e| e.unit.kind.holds_members()) {
        if let Some((branch, list)) = identity
            .access
            .branch_ratings(&entry.unit.code, period)
            .await?
        {
            let to_rate = list.iter().filter(|m| m.not_rated.is_none()).count();
            let rated = list.iter().filter(|m| m.rating.is_some()).count();
            branches.push(BranchRow {
                link: format!("/ratings/{}?year={year}", url(&branch.code)),
                name: branch.name,
                rated,
                to_rate,
                done: rated >= to_rate,
            });
        }
    }
    let keys: Vec<String> = [
        "ratings.members.rated",
        "ratings.members.good_or_better.share",
        "ratings.members.failing",
        "ratings.grassroots.rated",
        "ratings.grassroots.good_or_better.share",
    ]
    .iter()
    .map(|k| k.to_string())
    .collect();
    let definitions = identity.access.figures_named(&keys).await?;
    let window = dangbo_store::access::Window {
        as_of: day,
        from: day,
        to: day,
    };
    let figures = match identity
        .access
        .figures(&unit.code, &definitions, &window, false)
        .await?
    {
        Some((_, values)) => values
            .iter()
            .zip(&definitions)
            .map(|(v, d)| (d.label_vi.clone(), v.value.display()))
            .collect(),
        None => Vec::new(),
    };
    let done = branches.iter().filter(|b| b.done).count();
    let page = ReviewPage {
        c: Chrome::new(
            &identity,
            lang,
            t.ratings_title,
            "ratings",
            &format!(
                "/ratings{}",
                format::query(&[("unit", &q.unit), ("year", &q.year)])
            ),
        ),
        unit_name: identity.access.unit_name_on(&unit, day).await?,
        scheme: scheme_for(period).citation(),
        progress: format!("{done}/{}", branches.len()),
        figures,
        branches,
        year,
        q,
    };
    render_form(&page, false)
}

pub struct GridRow {
    pub code: String,
    pub name: String,
    /// Why they are not rated; empty when rated.
    pub not_rated: &'static str,
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
    code: String,
    year: i32,
    unit_name: String,
    scheme: String,
    points: bool,
    rows: Vec<GridRow>,
    writes: bool,
    decided_by: String,
    decision_number: String,
    quota_exception: String,
    review_link: String,
}

/// The grid as posted: `level.CODE`, `points.CODE`, `comment.CODE` per member, and the decision.
#[derive(Deserialize, Default, Clone)]
pub struct GridForm {
    #[serde(flatten)]
    pub fields: HashMap<String, String>,
}

impl GridForm {
    fn get(&self, key: &str) -> String {
        self.fields.get(key).cloned().unwrap_or_default()
    }
}

async fn grid_view(
    identity: &Identity,
    lang: crate::i18n::Lang,
    code: &str,
    year: i32,
    notice: String,
    returned: Option<(GridForm, FieldErrors)>,
) -> Result<Response, AppError> {
    let t = lang.texts();
    let period = Period::year(year);
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
    let typed = |key: String, stored: String| {
        if failed { form.get(&key) } else { stored }
    };
    let rows = list
        .iter()
        .map(|m| {
            let stored = m.rating.as_ref();
            let level = typed(
                format!("level.{}", m.code),
                stored.map(|r| r.level.clone()).unwrap_or_default(),
            );
            let mut options = vec![(String::new(), "—".to_string())];
            options.extend(
                levels(&scheme.rules, Subject::Member)
                    .iter()
                    .map(|l| (l.code.to_string(), l.label_vi.to_string())),
            );
            GridRow {
                levels: super::choices(&level, options),
                points: typed(
                    format!("points.{}", m.code),
                    stored
                        .and_then(|r| r.points)
                        .map(|p| p.to_string())
                        .unwrap_or_default(),
                ),
                comment: typed(
                    format!("comment.{}", m.code),
                    stored.map(|r| r.comment.clone()).unwrap_or_default(),
                ),
                not_rated: m.not_rated.map_or("", |r| r.label_vi()),
                error: errors.get(&m.code).to_string(),
                code: m.code.clone(),
                name: m.full_name.clone(),
            }
        })
        .collect();
    let first = list.iter().find_map(|m| m.rating.as_ref());
    let page = GridPage {
        c: Chrome::new(
            identity,
            lang,
            format!("{} · {}", t.ratings_title, unit.name),
            "ratings",
            &format!("/ratings/{}?year={year}", url(&unit.code)),
        ),
        notice,
        failed,
        unit_name: unit.name.clone(),
        code: unit.code.clone(),
        year,
        scheme: scheme.citation(),
        points: scheme.rules.points,
        rows,
        writes: identity.access.rating_writer().is_ok(),
        decided_by: typed(
            "decided_by".into(),
            first.map(|r| r.decided_by.clone()).unwrap_or_default(),
        ),
        decision_number: typed(
            "decision_number".into(),
            first.map(|r| r.decision_number.clone()).unwrap_or_default(),
        ),
        quota_exception: typed("quota_exception".into(), String::new()),
        review_link: format!("/ratings?year={year}"),
    };
    render_form(&page, failed)
}

/// A branch's grid for a year.
pub async fn grid(
    Ui(identity, lang): Ui,
    Path(code): Path<String>,
    Query(q): Query<ReviewQuery>,
) -> Result<Response, AppError> {
    let year = q.year()?;
    let notice = if q.ok == "saved" {
        lang.texts().ratings_saved.to_string()
    } else {
        String::new()
    };
    grid_view(&identity, lang, &code, year, notice, None).await
}

/// Saves a branch's grid, all or nothing.
pub async fn save(
    Ui(identity, lang): Ui,
    Path(code): Path<String>,
    Query(q): Query<ReviewQuery>,
    Form(form): Form<GridForm>,
) -> Result<Response, AppError> {
    let writer = identity.access.rating_writer()?;
    let year = q.year()?;
    let period = Period::year(year);
    let Some((_, list)) = identity.access.branch_ratings(&code, period).await? else {
        return Err(AppError::NotFound);
    };
    let mut problems = Vec::new();
    let entries: Vec<(String, RatingInput)> = list
        .iter()
        .map(|m| {
            let points_text = form.get(&format!("points.{}", m.code));
            let points = if points_text.trim().is_empty() {
                None
            } else {
                match points_text.trim().parse::<u32>() {
                    Ok(p) => Some(p),
                    Err(_) => {
                        problems.push((
                            m.code.clone(),
                            format!("«{}» không phải số điểm (0 đến 100)", points_text.trim()),
                        ));
                        None
                    }
                }
            };
            (
                m.code.clone(),
                RatingInput {
                    level: form.get(&format!("level.{}", m.code)),
                    points,
                    comment: form.get(&format!("comment.{}", m.code)),
                    decided_by: form.get("decided_by"),
                    decision_number: form.get("decision_number"),
                    quota_exception: form.get("quota_exception"),
                    ..RatingInput::default()
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
    match result {
        Ok(_) => Ok(
            Redirect::to(&format!("/ratings/{}?year={year}&ok=saved", url(&code))).into_response(),
        ),
        Err(StoreError::Fields(problems)) => {
            let notice = lang.texts().fix_errors.to_string();
            grid_view(
                &identity,
                lang,
                &code,
                year,
                notice,
                Some((form, FieldErrors(problems))),
            )
            .await
        }
        Err(StoreError::Invalid(refusal)) => {
            grid_view(
                &identity,
                lang,
                &code,
                year,
                refusal.message,
                Some((form, FieldErrors::default())),
            )
            .await
        }
        Err(other) => Err(other.into()),
    }
}
