//! The review of a year (or quarter): a unit's branches with how far their rating has gone, the
//! results by organization (its own level, its members by level, the share good or better) with
//! an Excel export; a branch's grid of members ([`grid`]) and a committee's grid of its
//! organizations ([`units`]).

pub mod grid;
pub mod units;

use askama::Template;
use axum::extract::Query;
use axum::response::Response;
use chrono::Datelike;
use dangbo_domain::ratings::{Period, Subject, levels, scheme_for};
use dangbo_store::access::{Access, Cell, Rating, ReportSheet, Unit};
use serde::Deserialize;

use super::Chrome;
use crate::AppError;
use crate::error::render_form;
use crate::format::{self, url};
use crate::session::Ui;

#[derive(Deserialize, Default, Clone)]
pub struct ReviewQuery {
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub year: String,
    /// 1–3 for a quarter (where the scheme rates quarters); empty for the year.
    #[serde(default)]
    pub quarter: String,
    #[serde(default)]
    pub ok: String,
}

impl ReviewQuery {
    /// The period reviewed: the year asked for (last year's until this one's closes), and the
    /// quarter if one is asked for.
    pub fn period(&self) -> Result<Period, AppError> {
        let year = if self.year.trim().is_empty() {
            format::today().year() - 1
        } else {
            match self.year.trim().parse::<i32>() {
                Ok(year) if (1990..=2100).contains(&year) => year,
                _ => {
                    return Err(AppError::fields(vec![(
                        "year".to_string(),
                        format!("«{}» không phải năm (1990 đến 2100)", self.year.trim()),
                    )]));
                }
            }
        };
        let quarter = match self.quarter.trim() {
            "" => None,
            text => match text.parse::<u32>() {
                Ok(q) if (1..=3).contains(&q) => Some(q),
                _ => {
                    return Err(AppError::fields(vec![(
                        "quarter".to_string(),
                        format!("«{text}» không phải quý 1, 2 hoặc 3 (quý 4 gộp vào năm)"),
                    )]));
                }
            },
        };
        Ok(Period { year, quarter })
    }
}

/// The query string of a period's pages: `?year=2025` or `?year=2026&quarter=2`.
pub fn period_query(period: Period) -> String {
    match period.quarter {
        Some(q) => format!("?year={}&quarter={q}", period.year),
        None => format!("?year={}", period.year),
    }
}

pub struct BranchRow {
    pub link: String,
    pub name: String,
    pub rated: usize,
    pub to_rate: usize,
    pub done: bool,
}

/// One organization's line of the results: its own level, its members' ratings by level.
pub struct ResultRow {
    pub name: String,
    pub level: String,
    pub rated: usize,
    pub by_level: Vec<usize>,
    pub good_or_better: usize,
}

impl ResultRow {
    pub fn share(&self) -> String {
        format::share(self.good_or_better as i64, self.rated as i64)
    }
}

/// The results by organization of a unit's review.
pub struct Results {
    /// What each row is: grassroots organizations, or the unit's branches.
    pub rows_label: &'static str,
    /// The members' levels of the period's scheme, in words (the count columns).
    pub level_labels: Vec<&'static str>,
    pub rows: Vec<ResultRow>,
    pub total: ResultRow,
}

/// The organizations a review's results list: the grassroots organizations in the unit's subtree,
/// or, for a grassroots organization or below, the branches in it.
async fn results(access: &Access, unit: &Unit, period: Period) -> Result<Results, AppError> {
    let day = period.review_date();
    let subtree = access.subtree(&unit.code, day).await?.unwrap_or_default();
    let grassroots: Vec<&Unit> = subtree
        .iter()
        .map(|e| &e.unit)
        .filter(|u| u.kind.is_grassroots() && u.id != unit.id)
        .collect();
    let (rows_label, listed): (&'static str, Vec<&Unit>) = if grassroots.is_empty() {
        (
            "Chi bộ",
            subtree
                .iter()
                .map(|e| &e.unit)
                .filter(|u| u.kind.holds_members())
                .collect(),
        )
    } else {
        ("Tổ chức cơ sở đảng", grassroots)
    };
    let (_, ratings) = access
        .ratings_under(&unit.code, period)
        .await?
        .ok_or(AppError::NotFound)?;
    let scheme = &scheme_for(period).rules;
    let member_levels = levels(scheme, Subject::Member);
    let line = |name: String, level: String, members: &[&Rating]| ResultRow {
        name,
        level,
        rated: members.len(),
        by_level: member_levels
            .iter()
            .map(|l| members.iter().filter(|r| r.level == l.code).count())
            .collect(),
        good_or_better: members
            .iter()
            .filter(|r| {
                member_levels
                    .iter()
                    .any(|l| l.code == r.level && l.good_or_better)
            })
            .count(),
    };
    let members: Vec<&Rating> = ratings
        .iter()
        .filter(|r| r.subject == Subject::Member)
        .collect();
    let rows = listed
        .iter()
        .map(|u| {
            let inside: Vec<&Rating> = members
                .iter()
                .copied()
                .filter(|r| {
                    r.unit_path == u.path || r.unit_path.starts_with(&format!("{}/", u.path))
                })
                .collect();
            let own = ratings
                .iter()
                .find(|r| r.subject == Subject::Organization && r.unit_code == u.code)
                .and_then(|r| {
                    levels(scheme, Subject::Organization)
                        .iter()
                        .find(|l| l.code == r.level)
                })
                .map(|l| l.label_vi.to_string())
                .unwrap_or_default();
            line(u.name.clone(), own, &inside)
        })
        .collect();
    Ok(Results {
        rows_label,
        level_labels: member_levels.iter().map(|l| l.label_vi).collect(),
        rows,
        total: line("Tổng số".into(), String::new(), &members),
    })
}

#[derive(Template)]
#[template(path = "ratings.html")]
struct ReviewPage {
    c: Chrome,
    q: ReviewQuery,
    year: i32,
    quarter: String,
    unit_name: String,
    scheme: String,
    figures: Vec<(String, String)>,
    branches: Vec<BranchRow>,
    progress: String,
    results: Results,
    export_link: String,
    units_link: String,
    rates_units: bool,
    /// Members failing this year and the year before: (member link, name, branch).
    failing_two_years: Vec<(String, String, String)>,
}

/// A unit's review of a period: its figures, each branch with its progress and grid link, and
/// the results by organization.
pub async fn review(
    Ui(identity, lang): Ui,
    Query(q): Query<ReviewQuery>,
) -> Result<Response, AppError> {
    let t = lang.texts();
    let period = q.period()?;
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
                link: format!("/ratings/{}{}", url(&branch.code), period_query(period)),
                name: branch.name,
                rated,
                to_rate,
                done: rated >= to_rate,
            });
        }
    }
    // The catalogue's figures count year ratings; a quarter shows its results table only.
    let figures = if period.quarter.is_none() {
        year_figures(&identity.access, &unit, day).await?
    } else {
        Vec::new()
    };
    let done = branches.iter().filter(|b| b.done).count();
    let results = results(&identity.access, &unit, period).await?;
    let failing_two_years = match period.quarter {
        Some(_) => Vec::new(),
        None => identity
            .access
            .failing_two_years(&unit.code, period.year)
            .await?
            .unwrap_or_default()
            .into_iter()
            .map(|r| {
                let code = r.member_code.unwrap_or_default();
                (
                    format!("/members/{}", url(&code)),
                    r.member_name.unwrap_or(code),
                    r.unit_name,
                )
            })
            .collect(),
    };
    let rates_units = !unit.is_whole_database()
        && identity.access.rating_writer().is_ok()
        && subtree
            .iter()
            .any(|e| e.depth == 1 && dangbo_store::access::is_rated_kind(e.unit.kind));
    let page = ReviewPage {
        c: Chrome::new(
            &identity,
            lang,
            t.ratings_title,
            "ratings",
            &format!(
                "/ratings{}",
                format::query(&[
                    ("unit", &q.unit),
                    ("year", &q.year),
                    ("quarter", &q.quarter)
                ])
            ),
        ),
        unit_name: identity.access.unit_name_on(&unit, day).await?,
        scheme: scheme_for(period).citation(),
        progress: format!("{done}/{}", branches.len()),
        export_link: format!(
            "/ratings/results.xlsx{}&unit={}",
            period_query(period),
            url(&unit.code)
        ),
        units_link: format!("/ratings/{}/units{}", url(&unit.code), period_query(period)),
        rates_units,
        failing_two_years,
        figures,
        branches,
        results,
        year: period.year,
        quarter: period.quarter.map(|q| q.to_string()).unwrap_or_default(),
        q,
    };
    render_form(&page, false)
}

/// The year's headline figures of the unit, from the catalogue.
async fn year_figures(
    access: &Access,
    unit: &Unit,
    day: chrono::NaiveDate,
) -> Result<Vec<(String, String)>, AppError> {
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
    let definitions = access.figures_named(&keys).await?;
    let window = dangbo_store::access::Window {
        as_of: day,
        from: day,
        to: day,
    };
    Ok(
        match access
            .figures(&unit.code, &definitions, &window, false)
            .await?
        {
            Some((_, values)) => values
                .iter()
                .zip(&definitions)
                .map(|(v, d)| (d.label_vi.clone(), v.value.display()))
                .collect(),
            None => Vec::new(),
        },
    )
}

/// The results by organization as a workbook, under title lines that say what it is.
pub async fn export(
    Ui(identity, _): Ui,
    Query(q): Query<ReviewQuery>,
) -> Result<Response, AppError> {
    let period = q.period()?;
    let unit = identity
        .access
        .unit(&q.unit)
        .await?
        .ok_or(AppError::NotFound)?;
    let results = results(&identity.access, &unit, period).await?;
    let mut headers = vec![
        "STT".to_string(),
        results.rows_label.to_string(),
        "Xếp loại của tổ chức".to_string(),
        "Đảng viên được xếp loại".to_string(),
    ];
    headers.extend(results.level_labels.iter().map(|l| l.to_string()));
    headers.push("Tỷ lệ hoàn thành tốt nhiệm vụ trở lên".to_string());
    let cells = |row: &ResultRow| {
        let mut cells = vec![Cell::Text(row.level.clone()), Cell::Count(row.rated as i64)];
        cells.extend(row.by_level.iter().map(|n| Cell::Count(*n as i64)));
        cells.push(if row.rated > 0 {
            Cell::Percent(row.good_or_better as f64 * 100.0 / row.rated as f64)
        } else {
            Cell::Empty
        });
        cells
    };
    let rows = results
        .rows
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let mut line = vec![Cell::Count(i as i64 + 1), Cell::Text(row.name.clone())];
            line.extend(cells(row));
            line
        })
        .collect();
    let mut total = vec![Cell::Empty, Cell::Text(results.total.name.clone())];
    total.extend(cells(&results.total));
    let day = period.review_date();
    let sheet = ReportSheet {
        name: "Kết quả xếp loại".to_string(),
        title: vec![
            format!("Kết quả xếp loại chất lượng – {}", period.label_vi()),
            format!(
                "Đơn vị: {}",
                identity.access.unit_name_on(&unit, day).await?
            ),
            format!("Theo {}", scheme_for(period).citation()),
        ],
        headers,
        rows,
        total: Some(total),
    };
    let bytes = dangbo_store::access::report_xlsx(&[sheet])?;
    let name = format!(
        "xep-loai-{}-{}{}.xlsx",
        super::table::file_part(&unit.code),
        period.year,
        period.quarter.map(|q| format!("-q{q}")).unwrap_or_default()
    );
    super::table::xlsx_response(bytes, &name)
}
