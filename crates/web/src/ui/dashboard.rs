//! The dashboard of the user's scope and the drill-down behind every number.

use askama::Template;
use axum::extract::{Path, Query};
use axum::response::{IntoResponse, Response};
use dangbo_domain::figure::{self, Figure};
use dangbo_store::access::Record;

pub use crate::params::WindowQuery;

use super::Chrome;
use crate::AppError;
use crate::error::render;
use crate::format::{self, int};
use crate::session::Ui;

/// A number on the dashboard, with the link to its records.
pub struct Card {
    pub label: String,
    pub value: String,
    pub link: String,
}

/// One bar of a horizontal bar chart, laid out in SVG units.
pub struct Bar {
    pub label: String,
    pub value: String,
    pub link: String,
    pub y: usize,
    pub width: usize,
    pub text_y: usize,
}

/// A horizontal bar chart drawn on the server as SVG.
pub struct Chart {
    pub title: String,
    pub bars: Vec<Bar>,
    pub height: usize,
}

const BAR_HEIGHT: usize = 22;
const BAR_GAP: usize = 8;
/// Width of the bars' area in SVG units (labels sit to its left, values to its right).
const BAR_AREA: usize = 300;

impl Chart {
    pub fn new(title: &str, items: Vec<(String, i64, String)>) -> Chart {
        let max = items.iter().map(|(_, v, _)| *v).max().unwrap_or(0).max(1);
        let bars = items
            .into_iter()
            .enumerate()
            .map(|(i, (label, value, link))| {
                let y = i * (BAR_HEIGHT + BAR_GAP);
                Bar {
                    label,
                    value: int(value),
                    link,
                    y,
                    width: ((value.max(0) as usize) * BAR_AREA / max as usize).max(1),
                    text_y: y + BAR_HEIGHT - 6,
                }
            })
            .collect::<Vec<_>>();
        Chart {
            title: title.to_string(),
            height: bars.len() * (BAR_HEIGHT + BAR_GAP),
            bars,
        }
    }
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    c: Chrome,
    unit_code: String,
    unit_name: String,
    as_of: String,
    from: String,
    to: String,
    as_of_text: String,
    period_text: String,
    stock: Vec<Card>,
    flow: Vec<Card>,
    charts: Vec<Chart>,
}

const STOCK: [&str; 9] = [
    "members.total",
    "members.full",
    "members.probationary",
    "members.female",
    "members.ethnic_minority",
    "units.grassroots",
    "units.grassroots_committees",
    "units.grassroots_branches",
    "units.branches",
];
const FLOW: [&str; 7] = [
    "admissions",
    "full_memberships",
    "transfers_in",
    "transfers_out",
    "deaths",
    "removals",
    "restructure_moves_in",
];
const AGES: [&str; 6] = [
    "members.age.18_30",
    "members.age.31_40",
    "members.age.41_50",
    "members.age.51_60",
    "members.age.61_70",
    "members.age.71_plus",
];
const THEORY: [&str; 6] = [
    "members.theory.bachelor",
    "members.theory.advanced",
    "members.theory.intermediate",
    "members.theory.elementary",
    "members.theory.none",
    "members.theory.unknown",
];

fn figures_of(keys: &[&str]) -> Vec<Figure> {
    keys.iter().filter_map(|k| figure::find(k)).collect()
}

pub async fn page(
    Ui(identity, lang): Ui,
    Query(q): Query<WindowQuery>,
) -> Result<Response, AppError> {
    let t = lang.texts();
    let window = q.window();
    let keys: Vec<&str> = STOCK
        .iter()
        .chain(&FLOW)
        .chain(&AGES)
        .chain(&THEORY)
        .copied()
        .collect();
    let catalogue = figures_of(&keys);
    let (unit, values) = identity
        .access
        .figures(&q.unit, &catalogue, &window)
        .await?
        .ok_or(AppError::NotFound)?;
    let link_query = q.link(&window);
    let entry = |key: &str| {
        let label = catalogue
            .iter()
            .find(|f| f.key == key)
            .map(|f| f.label_vi.clone())
            .unwrap_or_default();
        let value = values
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| *v)
            .unwrap_or(0);
        (label, value, format!("/figures/{key}{link_query}"))
    };
    let cards = |keys: &[&str]| -> Vec<Card> {
        keys.iter()
            .map(|k| {
                let (label, value, link) = entry(k);
                Card {
                    label,
                    value: int(value),
                    link,
                }
            })
            .collect()
    };
    let charts = vec![
        Chart::new(t.age_structure, AGES.iter().map(|k| entry(k)).collect()),
        Chart::new(
            t.theory_structure,
            THEORY.iter().map(|k| entry(k)).collect(),
        ),
        Chart::new(t.movement, FLOW.iter().map(|k| entry(k)).collect()),
    ];
    let page = DashboardPage {
        c: Chrome::new(
            &identity,
            lang,
            t.nav_dashboard,
            "dashboard",
            &format!("/{link_query}"),
        ),
        unit_code: unit.code.clone(),
        unit_name: unit.name.clone(),
        as_of: format::date(window.as_of),
        from: format::date(window.from),
        to: format::date(window.to),
        as_of_text: format::date(window.as_of),
        period_text: format!(
            "{} – {}",
            format::date(window.from),
            format::date(window.to)
        ),
        stock: cards(&STOCK),
        flow: cards(&FLOW),
        charts,
    };
    Ok(render(&page)?.into_response())
}

/// A record behind a figure, with its link.
pub struct RecordRow {
    pub code: String,
    pub name: String,
    pub link: String,
    pub unit_code: String,
    pub date: String,
    pub detail: String,
}

impl RecordRow {
    pub fn of(record: Record) -> RecordRow {
        let link = match record.record {
            "unit" => format!("/units/{}", format::url(&record.code)),
            _ => format!("/members/{}", format::url(&record.code)),
        };
        RecordRow {
            link,
            code: record.code,
            name: record.name,
            unit_code: record.unit_code,
            date: format::opt_date(record.date),
            detail: record.detail,
        }
    }
}

#[derive(Template)]
#[template(path = "drill_down.html")]
struct DrillDownPage {
    c: Chrome,
    key: String,
    label: String,
    unit_name: String,
    total: String,
    shown: String,
    as_of_text: String,
    period_text: String,
    rows: Vec<RecordRow>,
    back: String,
}

/// Records shown on one page of a drill-down; the API gives them all.
const DRILL_DOWN_ROWS: usize = 1000;

pub async fn drill_down(
    Ui(identity, lang): Ui,
    Path(key): Path<String>,
    Query(q): Query<WindowQuery>,
) -> Result<Response, AppError> {
    let figure = figure::find(&key).ok_or(AppError::NotFound)?;
    let window = q.window();
    let (unit, records) = identity
        .access
        .figure_records(&q.unit, &figure, &window)
        .await?
        .ok_or(AppError::NotFound)?;
    let total = records.len();
    let rows: Vec<RecordRow> = records
        .into_iter()
        .take(DRILL_DOWN_ROWS)
        .map(RecordRow::of)
        .collect();
    let link_query = q.link(&window);
    let page = DrillDownPage {
        c: Chrome::new(
            &identity,
            lang,
            figure.label_vi.clone(),
            "dashboard",
            &format!("/figures/{key}{link_query}"),
        ),
        label: figure.label_vi,
        key,
        unit_name: unit.name,
        total: int(total as i64),
        shown: int(rows.len() as i64),
        as_of_text: format::date(window.as_of),
        period_text: format!(
            "{} – {}",
            format::date(window.from),
            format::date(window.to)
        ),
        rows,
        back: format!("/{link_query}"),
    };
    Ok(render(&page)?.into_response())
}
