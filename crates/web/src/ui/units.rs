//! The unit tree as of a date, and a unit's page (figures, sub-units, members, restructure history).

use askama::Template;
use axum::extract::{Path, Query};
use axum::response::{IntoResponse, Response};
use dangbo_store::access::MemberQuery;
use serde::Deserialize;

use super::Chrome;
use super::dashboard::{Absence, Card, WindowQuery, absence, figures_of};
use crate::AppError;
use crate::error::render;
use crate::format::{self, query, url};
use crate::params::date_field;
use crate::session::Ui;

pub struct TreeRow {
    pub code: String,
    pub name: String,
    pub kind: &'static str,
    pub indent: usize,
    pub since: String,
}

/// A restructure step on the tree page.
pub struct HistoryRow {
    pub from_name: String,
    pub to_name: String,
    pub date: String,
    /// Dated after today: decided, not yet in force.
    pub scheduled: bool,
    pub kind: String,
    pub decision: String,
    pub from: String,
    pub to: String,
}

#[derive(Template)]
#[template(path = "tree.html")]
struct TreePage {
    c: Chrome,
    date: String,
    date_text: String,
    rows: Vec<TreeRow>,
    history: Vec<HistoryRow>,
}

/// Restructure steps listed under the tree.
const TREE_HISTORY_ROWS: usize = 300;

#[derive(Deserialize, Default)]
pub struct DateQuery {
    #[serde(default)]
    date: String,
}

pub async fn tree(
    Ui(identity, lang): Ui,
    Query(q): Query<DateQuery>,
) -> Result<Response, AppError> {
    let t = lang.texts();
    let mut problems = Vec::new();
    let date = date_field("date", &q.date, &mut problems);
    if !problems.is_empty() {
        return Err(AppError::fields(problems));
    }
    let date = date.unwrap_or_else(format::today);
    let rows = identity
        .access
        .tree(date)
        .await?
        .into_iter()
        .map(|entry| TreeRow {
            // The stylesheet indents up to 8 levels; deeper ones line up with the eighth.
            indent: entry.depth.min(8),
            kind: entry.unit.kind.label_vi(),
            since: format::date(entry.unit.start_date),
            code: entry.unit.code,
            name: entry.unit.name,
        })
        .collect();
    let steps = identity
        .access
        .restructure_history(TREE_HISTORY_ROWS)
        .await?;
    let mut codes: Vec<&str> = steps
        .iter()
        .flat_map(|s| [Some(s.from_code.as_str()), s.to_code.as_deref()])
        .flatten()
        .collect();
    codes.sort_unstable();
    codes.dedup();
    let names = identity.access.unit_names_by_code(&codes).await?;
    // A unit by its name on the day (the day before, for the one that ended then); its code if
    // it lies outside the scope.
    let named = |code: &str, on: chrono::NaiveDate| {
        names.get(code).map_or_else(
            || code.to_string(),
            |history| dangbo_store::access::name_on(history, on),
        )
    };
    let history = steps
        .iter()
        .map(|step| {
            let before = step.date.pred_opt().unwrap_or(step.date);
            let to = step.to_code.clone().unwrap_or_default();
            HistoryRow {
                scheduled: step.date > format::today(),
                date: format::date(step.date),
                kind: restructure_label(&step.restructure_kind),
                decision: step.decision_number.clone(),
                from_name: named(&step.from_code, before),
                from: step.from_code.clone(),
                to_name: if to.is_empty() {
                    String::new()
                } else {
                    named(&to, step.date)
                },
                to,
            }
        })
        .collect();
    let page = TreePage {
        history,
        c: Chrome::new(
            &identity,
            lang,
            t.nav_units,
            "units",
            &format!("/units{}", query(&[("date", &q.date)])),
        ),
        date: date.to_string(),
        date_text: format::date(date),
        rows,
    };
    Ok(render(&page)?.into_response())
}

pub struct LineageRow {
    pub date: String,
    pub kind: String,
    pub decision: String,
    pub direction: &'static str,
    pub other: String,
    pub link: String,
}

pub struct MemberLine {
    pub link: String,
    pub name: String,
    pub unit_code: String,
    pub status: String,
}

#[derive(Template)]
#[template(path = "unit.html")]
struct UnitPage {
    c: Chrome,
    code: String,
    name: String,
    kind: &'static str,
    dates: String,
    absent: Option<Absence>,
    cards: Vec<Card>,
    table: Option<super::table::TableView>,
    children: Vec<(String, String, String)>,
    lineage: Vec<LineageRow>,
    members: Vec<MemberLine>,
    more_members: bool,
    members_link: String,
    dashboard_link: String,
}

const UNIT_FIGURES: [&str; 6] = [
    "members.total",
    "members.full",
    "members.probationary",
    "units.branches",
    "admissions",
    "transfers_in",
];

/// Members listed on a unit's page; the member list pages through the rest.
const UNIT_PAGE_MEMBERS: usize = 50;

fn restructure_label(kind: &str) -> String {
    match kind {
        "establish" => "Thành lập",
        "merge" => "Hợp nhất",
        "split" => "Chia tách",
        "dissolve" => "Giải thể",
        "rename" => "Đổi tên",
        "move" => "Chuyển trực thuộc",
        other => other,
    }
    .to_string()
}

/// The figure table per direct sub-unit of `unit`, if it has sub-units on the date.
pub async fn sub_unit_table(
    access: &dangbo_store::access::Access,
    q: &WindowQuery,
    t: &crate::i18n::Texts,
) -> Result<Option<super::table::TableView>, AppError> {
    let q = super::table::TableQuery {
        window: q.clone(),
        rows: "children".into(),
        ..Default::default()
    };
    let table = super::table::view(access, &q, t, false).await?;
    Ok((!table.rows.is_empty()).then_some(table))
}

pub async fn unit_page(
    Ui(identity, lang): Ui,
    Path(code): Path<String>,
    Query(mut q): Query<WindowQuery>,
) -> Result<Response, AppError> {
    let t = lang.texts();
    let access = &identity.access;
    let unit = access.unit(&code).await?.ok_or(AppError::NotFound)?;
    q.unit = unit.code.clone();
    let window = q.window().map_err(AppError::fields)?;
    let absent = absence(access, &unit, window.as_of, t).await?;
    let link_query = q.link();
    let (cards, table) = if absent.is_some() {
        (Vec::new(), None)
    } else {
        let catalogue = figures_of(&UNIT_FIGURES);
        let (_, values) = access
            .figures(&unit.code, &catalogue, &window, false)
            .await?
            .ok_or(AppError::NotFound)?;
        let cards = catalogue
            .iter()
            .zip(values)
            .map(|(f, v)| Card {
                key: v.key.clone(),
                label: f.label_vi.clone(),
                value: v.value.display(),
                // The records behind confidential figures are only for those who read cases.
                link: if access.may_drill(f) {
                    format!("/figures/{}{link_query}", url(&v.key))
                } else {
                    String::new()
                },
            })
            .collect();
        (cards, sub_unit_table(access, &q, t).await?)
    };
    let (name, children, lineage) = access.unit_details(&unit, window.as_of).await?;
    let mut codes: Vec<&str> = lineage
        .iter()
        .flat_map(|s| [Some(s.from_code.as_str()), s.to_code.as_deref()])
        .flatten()
        .collect();
    codes.sort_unstable();
    codes.dedup();
    let names = access.unit_names_by_code(&codes).await?;
    let mut rows = Vec::new();
    for step in lineage {
        let came =
            step.to_code.as_deref() == Some(unit.code.as_str()) && step.from_code != unit.code;
        let other = if came {
            step.from_code
        } else {
            step.to_code.unwrap_or_default()
        };
        // The other unit by its name on the step's day (the day before, for one that ended
        // then); its code where it lies outside the person's scope.
        let on = if came {
            step.date.pred_opt().unwrap_or(step.date)
        } else {
            step.date
        };
        let other_name = names
            .get(&other)
            .map_or_else(|| other.clone(), |h| dangbo_store::access::name_on(h, on));
        rows.push(LineageRow {
            date: format::date(step.date),
            kind: restructure_label(&step.restructure_kind),
            decision: step.decision_number,
            direction: if came { t.came_from } else { t.went_to },
            link: if other.is_empty() {
                String::new()
            } else {
                format!("/units/{}", url(&other))
            },
            other: if other.is_empty() {
                "—".into()
            } else {
                other_name
            },
        });
    }
    let lineage = rows;
    let list = access
        .members(
            &MemberQuery {
                unit: Some(unit.code.clone()),
                date: Some(window.as_of),
                limit: UNIT_PAGE_MEMBERS,
                ..MemberQuery::default()
            },
            format::today(),
        )
        .await?;
    let page = UnitPage {
        c: Chrome::new(
            &identity,
            lang,
            name.clone(),
            "units",
            &format!("/units/{}{link_query}", url(&unit.code)),
        ),
        kind: unit.kind.label_vi(),
        dates: format!(
            "{}{}",
            format::date(unit.start_date),
            unit.end_date
                .map(|e| format!(" – {}", format::date(e)))
                .unwrap_or_default()
        ),
        absent,
        cards,
        table,
        children: children
            .into_iter()
            .map(|u| {
                (
                    format!("/units/{}{}", url(&u.code), link_query),
                    u.name,
                    u.code,
                )
            })
            .collect(),
        lineage,
        more_members: list.next.is_some(),
        members: list
            .rows
            .into_iter()
            .map(|r| MemberLine {
                link: format!("/members/{}", url(&r.code)),
                name: r.full_name,
                unit_code: r.unit_code,
                status: status_label(&r.status),
            })
            .collect(),
        members_link: format!(
            "/members{}",
            query(&[("unit", &unit.code), ("date", &format::date(window.as_of))])
        ),
        dashboard_link: format!("/{link_query}"),
        code: unit.code,
        name,
    };
    Ok(render(&page)?.into_response())
}

/// A membership status code in Vietnamese.
pub fn status_label(code: &str) -> String {
    match code {
        "full" => "Chính thức".into(),
        "probationary" => "Dự bị".into(),
        "outside" => "Ngoài hệ thống".into(),
        other => dangbo_domain::members::events::EventKind::parse(other)
            .map(|k| k.label_vi().to_string())
            .unwrap_or_else(|| other.to_string()),
    }
}

#[derive(Deserialize, Default)]
pub struct PickQuery {
    #[serde(default)]
    pub q: String,
    /// The date the units must exist on (dd/mm/yyyy); today by default.
    #[serde(default)]
    pub date: String,
}

/// A unit offered by the picker.
#[derive(serde::Serialize)]
pub struct Picked {
    pub code: String,
    pub name: String,
    /// The names of the units above it, nearest first.
    pub path: String,
}

/// Units of the person's scope matching what they typed, for the unit picker (JSON).
pub async fn pick(
    Ui(identity, _): Ui,
    Query(q): Query<PickQuery>,
) -> Result<axum::Json<Vec<Picked>>, AppError> {
    let mut problems = Vec::new();
    let date =
        crate::params::date_field("date", &q.date, &mut problems).unwrap_or_else(format::today);
    if !problems.is_empty() {
        return Err(AppError::fields(problems));
    }
    let found = identity.access.pick_units(&q.q, date, 15).await?;
    Ok(axum::Json(
        found
            .into_iter()
            .map(|(unit, path)| Picked {
                code: unit.code,
                name: unit.name,
                path,
            })
            .collect(),
    ))
}
