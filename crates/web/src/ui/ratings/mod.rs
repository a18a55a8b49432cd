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
use dangbo_domain::ratings::{Period, Subject, level_words, levels, scheme_for};
use dangbo_domain::tree::UnitKind;
use dangbo_store::access::{Access, Cell, Rating, ReportSheet, Unit, is_rated_kind};
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

/// One organization's line of the results: its own level, its members' ratings by level, those
/// on the lists not rated, and the average points where the scheme scores.
pub struct ResultRow {
    pub name: String,
    pub level: String,
    pub rated: usize,
    pub by_level: Vec<usize>,
    pub good_or_better: usize,
    /// Those on the lists not rated; unknown for a wide subtree (its lists are not read).
    pub not_rated: Option<usize>,
    pub points_total: u64,
}

impl ResultRow {
    pub fn share(&self) -> String {
        format::share(self.good_or_better as i64, self.rated as i64)
    }

    /// The average points of the members rated, one decimal ("84,5"); empty when none.
    pub fn average_points(&self) -> Option<f64> {
        (self.rated > 0).then(|| self.points_total as f64 / self.rated as f64)
    }

    pub fn average_points_text(&self) -> String {
        self.average_points()
            .map(|p| format!("{p:.1}").replace('.', ","))
            .unwrap_or_default()
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
    /// Whether the scheme scores (the average points column).
    pub scored: bool,
    /// Each branch's progress: rated of those to rate.
    pub branches: Vec<BranchRow>,
    /// Whether the subtree was too wide to read each branch's list.
    pub wide: bool,
}

/// More branches than this and the review reads its results from the figures (their summaries),
/// by direct sub-unit, without each branch's list: a province's or the nation's review.
const BRANCHES_LISTED: usize = 600;

/// The organizations a review's results list: the grassroots organizations in the unit's subtree,
/// or, for a grassroots organization or below, the branches in it.
async fn results(access: &Access, unit: &Unit, period: Period) -> Result<Results, AppError> {
    let day = period.review_date();
    let subtree = access.subtree(&unit.code, day).await?.unwrap_or_default();
    let branch_count = subtree
        .iter()
        .filter(|e| e.unit.kind.holds_members())
        .count();
    if branch_count > BRANCHES_LISTED {
        return wide_results(access, unit, period).await;
    }
    // A grassroots organization (since 2025 also a commune's committee) is the unit of the
    // results; inside one, its direct sub-units are (each member under exactly one row).
    let grassroots_level = |u: &Unit| u.kind.is_grassroots() || u.kind == UnitKind::Commune;
    let inside_grassroots =
        grassroots_level(unit) || matches!(unit.kind, UnitKind::SubCommittee | UnitKind::Branch);
    let (rows_label, listed): (&'static str, Vec<&Unit>) = if inside_grassroots {
        (
            "Tổ chức trực thuộc",
            subtree
                .iter()
                .filter(|e| e.depth == 1 && is_rated_kind(e.unit.kind))
                .map(|e| &e.unit)
                .collect(),
        )
    } else {
        // The top-most grassroots organizations: none above them in the list.
        let tops: Vec<&Unit> = subtree
            .iter()
            .map(|e| &e.unit)
            .filter(|u| u.id != unit.id && grassroots_level(u))
            .collect();
        let listed = tops
            .iter()
            .copied()
            .filter(|u| {
                !tops
                    .iter()
                    .any(|above| above.id != u.id && u.path.starts_with(&above.path))
            })
            .collect();
        ("Tổ chức cơ sở đảng", listed)
    };
    let (_, ratings) = access
        .ratings_under(&unit.code, period)
        .await?
        .ok_or(AppError::NotFound)?;
    // Each branch's list: its progress, and those on it not rated (by path).
    let mut branches = Vec::new();
    let mut not_rated: Vec<(String, usize)> = Vec::new();
    for entry in subtree.iter().filter(|e| e.unit.kind.holds_members()) {
        if let Some((branch, list)) = access.branch_ratings(&entry.unit.code, period).await? {
            let to_rate = list.iter().filter(|m| m.not_rated.is_none()).count();
            let rated = list.iter().filter(|m| m.rating.is_some()).count();
            not_rated.push((branch.path.clone(), list.len() - to_rate));
            branches.push(BranchRow {
                link: format!("/ratings/{}{}", url(&branch.code), period_query(period)),
                name: branch.name,
                rated,
                to_rate,
                done: rated >= to_rate,
            });
        }
    }
    // Paths end with their separator: a prefix is a subtree.
    let under = |path: &str, inside: &str| inside.starts_with(path);
    let not_rated_under = |path: &str| -> usize {
        not_rated
            .iter()
            .filter(|(p, _)| under(path, p))
            .map(|(_, n)| n)
            .sum()
    };
    let scheme = &scheme_for(period).rules;
    let member_levels = levels(scheme, Subject::Member);
    let line = |name: String, level: String, members: &[&Rating], not_rated: usize| ResultRow {
        name,
        level,
        not_rated: Some(not_rated),
        points_total: members.iter().filter_map(|r| r.points).map(u64::from).sum(),
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
                .filter(|r| under(&u.path, &r.unit_path))
                .collect();
            let own = ratings
                .iter()
                .find(|r| r.subject == Subject::Organization && r.unit_code == u.code)
                .map(|r| level_words(period, Subject::Organization, &r.level))
                .unwrap_or_default();
            line(u.name.clone(), own, &inside, not_rated_under(&u.path))
        })
        .collect();
    Ok(Results {
        rows_label,
        level_labels: member_levels.iter().map(|l| l.label_vi).collect(),
        rows,
        total: line(
            "Tổng số".into(),
            String::new(),
            &members,
            not_rated.iter().map(|(_, n)| n).sum(),
        ),
        scored: scheme.points,
        branches,
        wide: false,
    })
}

/// The results of a wide subtree, by direct sub-unit, from the year's figures: members rated by
/// level and good or better; the organizations' own levels and the branches' lists are for a
/// narrower unit. Quarters are not in the figures: a quarter's review needs a narrower unit.
async fn wide_results(access: &Access, unit: &Unit, period: Period) -> Result<Results, AppError> {
    if period.quarter.is_some() {
        return Err(AppError::BadRequest(format!(
            "đánh giá quý của hơn {BRANCHES_LISTED} chi bộ: chọn đơn vị nhỏ hơn"
        )));
    }
    let scheme = &scheme_for(period).rules;
    let member_levels = levels(scheme, Subject::Member);
    let mut keys = vec![
        "ratings.members.rated".to_string(),
        "ratings.members.good_or_better".to_string(),
    ];
    keys.extend(
        member_levels
            .iter()
            .map(|l| format!("ratings.members.{}", l.code)),
    );
    let definitions = access.figures_named(&keys).await?;
    let day = period.review_date();
    let window = dangbo_store::access::Window {
        as_of: day,
        from: day,
        to: day,
    };
    let table = access
        .figure_table(
            &unit.code,
            dangbo_store::access::TableRows::Children,
            &definitions,
            &window,
            false,
        )
        .await?
        .ok_or(AppError::NotFound)?;
    let count = |values: &[dangbo_store::access::FigureValue], i: usize| {
        values
            .get(i)
            .and_then(|v| v.value.as_count())
            .and_then(|n| usize::try_from(n).ok())
            .unwrap_or(0)
    };
    let line = |name: String, values: &[dangbo_store::access::FigureValue]| ResultRow {
        name,
        level: String::new(),
        rated: count(values, 0),
        good_or_better: count(values, 1),
        by_level: (0..member_levels.len())
            .map(|i| count(values, i + 2))
            .collect(),
        not_rated: None,
        points_total: 0,
    };
    Ok(Results {
        rows_label: "Đơn vị trực thuộc",
        level_labels: member_levels.iter().map(|l| l.label_vi).collect(),
        rows: table
            .rows
            .iter()
            .map(|(u, values)| line(u.name.clone(), values))
            .collect(),
        total: line("Tổng số".into(), &table.total),
        scored: false,
        branches: Vec::new(),
        wide: true,
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
    // The catalogue's figures count year ratings; a quarter shows its results table only.
    let figures = if period.quarter.is_none() {
        year_figures(&identity.access, &unit, day).await?
    } else {
        Vec::new()
    };
    let results = results(&identity.access, &unit, period).await?;
    let done = results.branches.iter().filter(|b| b.done).count();
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
        progress: format!("{done}/{}", results.branches.len()),
        export_link: format!(
            "/ratings/results.xlsx{}&unit={}",
            period_query(period),
            url(&unit.code)
        ),
        units_link: format!("/ratings/{}/units{}", url(&unit.code), period_query(period)),
        rates_units,
        failing_two_years,
        figures,
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
    headers.push("Không xếp loại".to_string());
    if results.scored {
        headers.push("Điểm bình quân".to_string());
    }
    let cells = |row: &ResultRow| {
        let mut cells = vec![Cell::Text(row.level.clone()), Cell::Count(row.rated as i64)];
        cells.extend(row.by_level.iter().map(|n| Cell::Count(*n as i64)));
        cells.push(if row.rated > 0 {
            Cell::Percent(row.good_or_better as f64 * 100.0 / row.rated as f64)
        } else {
            Cell::Empty
        });
        cells.push(row.not_rated.map_or(Cell::Empty, |n| Cell::Count(n as i64)));
        if results.scored {
            cells.push(row.average_points().map_or(Cell::Empty, Cell::Number));
        }
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
