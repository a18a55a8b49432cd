//! The dashboard of the user's scope and the drill-down behind every number.

use askama::Template;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use dangbo_store::access::{Breakdown, Definition, Record, find_figure};

pub use crate::params::WindowQuery;

use super::{Chrome, FieldErrors};
use crate::AppError;
use crate::error::render;
use crate::format::{self, int};

use crate::session::Ui;

/// A number on the dashboard, with the link to its records.
pub struct Card {
    /// The figure's key, for scripts and tests that look a card up.
    pub key: String,
    pub label: String,
    pub value: String,
    pub link: String,
}

/// One group of members within the total, with its share and a bar drawn to that share.
pub struct ShareRow {
    pub key: String,
    pub label: String,
    /// "1.022 (37,16 %)".
    pub value: String,
    pub link: String,
    /// The share in percent with a decimal point ("37.16"), the bar's length out of 100.
    pub bar: String,
}

/// Members split one way (by sex, by age, …): each part with its share of the total.
pub struct Structure {
    pub title: String,
    pub rows: Vec<ShareRow>,
}

/// A figure's label inside its group's table, without the words the group's title already says:
/// "Đảng viên dân tộc Tày" → "Tày", "Lý luận chính trị: Sơ cấp" → "Sơ cấp".
fn short_label(label: &str) -> String {
    const SAID: [&str; 6] = [
        "Đảng viên dân tộc ",
        "Đảng viên theo tôn giáo ",
        "Giáo dục phổ thông: ",
        "Chuyên môn: ",
        "Lý luận chính trị: ",
        "Đảng viên ",
    ];
    let rest = SAID
        .iter()
        .find_map(|p| label.strip_prefix(p))
        .unwrap_or(label);
    let mut chars = rest.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => label.to_string(),
    }
}

impl Structure {
    /// `parts` are (figure key, label, count); parts counting members whose field is not recorded
    /// are left out when there are none.
    fn new(title: &str, parts: Vec<(String, String, i64)>, total: i64, link_query: &str) -> Self {
        let rows = parts
            .into_iter()
            .filter(|(key, _, count)| *count > 0 || !key.ends_with(".unknown"))
            .map(|(key, label, count)| ShareRow {
                label: short_label(&label),
                link: format!("/figures/{}{link_query}", format::url(&key)),
                value: format::share(count, total),
                bar: if total > 0 {
                    format!("{:.2}", count as f64 * 100.0 / total as f64)
                } else {
                    "0".to_string()
                },
                key,
            })
            .collect();
        Structure {
            title: title.to_string(),
            rows,
        }
    }
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    c: Chrome,
    unit_code: String,
    unit_name: String,
    /// The form's fields as the person typed them (empty when unset).
    q: WindowQuery,
    errors: FieldErrors,
    as_of_text: String,
    period_text: String,
    /// Why there are no figures: the unit does not exist on the date.
    absent: Option<Absence>,
    stock: Vec<Card>,
    flow: Vec<Card>,
    balance: Option<Balance>,
    structure: Vec<Structure>,
    table: Option<super::table::TableView>,
    /// The targets of the period, when the unit's documents set any.
    targets: Option<TargetsLine>,
    /// The admission files and probationers due on the date, when some are.
    admission_due: Option<AdmissionDue>,
}

/// What of the admission pipeline is due within 30 days of the date, and how much is overdue.
pub struct AdmissionDue {
    pub due: String,
    pub overdue: String,
    pub link: String,
}

/// The period's targets in one line beside the figures: met / total, and the admission target of
/// the unit itself with how far it is reached.
pub struct TargetsLine {
    pub met: String,
    pub link: String,
    /// "100 / chỉ tiêu 80 (125 %)".
    pub admissions: Option<String>,
    /// How many of the subtree's tasks are overdue on the date, when some are.
    pub overdue: Option<String>,
    pub tasks_link: String,
}

/// The period's balance: members on the eve of the period, each increase and decrease in it, and
/// members on its last day; the first plus the increases minus the decreases is the last.
pub struct Balance {
    pub start: Card,
    pub increases: Vec<Card>,
    pub decreases: Vec<Card>,
    pub end: Card,
    /// "2.687 + 115 − 52 = 2.750".
    pub identity: String,
    pub start_date: String,
    pub end_date: String,
}

/// What adds members to a subtree in a period (`admissions` would count readmissions twice).
const INCREASES: [&str; 6] = [
    "first_admissions",
    "readmissions",
    "restorations",
    "transfers_in",
    "restructure_moves_in",
    "initial_placements",
];
/// What takes members out of a subtree in a period.
const DECREASES: [&str; 6] = [
    "transfers_out",
    "deaths",
    "removals",
    "expulsions",
    "resignations",
    "restructure_moves_out",
];

const STOCK: [&str; 13] = [
    "members.total",
    "members.full",
    "members.probationary",
    "members.female",
    "members.female.share",
    "members.ethnic_minority",
    "members.ethnic_minority.share",
    "members.exempt",
    "members.suspended",
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
const STATUS: [&str; 2] = ["members.full", "members.probationary"];
/// Members of either status excused from or barred from branch life: a part of the total, not a
/// third status, so they make a table of their own.
const STANDING: [&str; 2] = ["members.exempt", "members.suspended"];
const SEX: [&str; 2] = ["members.male", "members.female"];
const AGES: [&str; 6] = [
    "members.age.18_30",
    "members.age.31_40",
    "members.age.41_50",
    "members.age.51_60",
    "members.age.61_70",
    "members.age.71_plus",
];
/// Groups whose figures are every catalogue key under a prefix (each level, then "not recorded").
const LEVELS: [&str; 2] = ["members.education.", "members.qualification."];
const THEORY: [&str; 6] = [
    "members.theory.bachelor",
    "members.theory.advanced",
    "members.theory.intermediate",
    "members.theory.elementary",
    "members.theory.none",
    "members.theory.unknown",
];

/// The figures of some catalogue keys (all of them exist: a missing one is a defect the tests
/// catch).
pub fn figures_of(keys: &[&str]) -> Vec<Definition> {
    keys.iter().filter_map(|k| find_figure(k)).collect()
}

/// A unit that does not exist on the date asked: when it ended and what came after it.
pub struct Absence {
    pub message: String,
    /// (link, name) of the units that succeeded it, or of the unit on its last day.
    pub links: Vec<(String, String)>,
}

/// Says why a unit has no figures on a date, if it does not exist then.
pub async fn absence(
    access: &dangbo_store::access::Access,
    unit: &dangbo_store::access::Unit,
    as_of: chrono::NaiveDate,
    t: &crate::i18n::Texts,
) -> Result<Option<Absence>, AppError> {
    if unit.id == 0 || unit.exists_on(as_of) {
        return Ok(None);
    }
    let name = access.unit_name_on(unit, as_of).await?;
    let mut links: Vec<(String, String)> = access
        .successors(unit)
        .await?
        .into_iter()
        .map(|u| (format!("/units/{}", format::url(&u.code)), u.name))
        .collect();
    let message = match unit.end_date {
        Some(end) if end <= as_of => {
            if let Some(last) = end.pred_opt() {
                links.push((
                    format!(
                        "/?{}",
                        format::query(&[("unit", &unit.code), ("as_of", &format::date(last))])
                            .trim_start_matches('?')
                    ),
                    format!("{} {}", t.figures_as_of, format::date(last)),
                ));
            }
            format!("{name} {} {}.", t.ended_on, format::date(end))
        }
        _ => format!("{name} {} {}.", t.started_on, format::date(unit.start_date)),
    };
    Ok(Some(Absence { message, links }))
}

/// Members by ethnic group or religion, each group named as recorded: (key, label, count).
async fn named_groups(
    access: &dangbo_store::access::Access,
    unit: &dangbo_store::access::Unit,
    as_of: chrono::NaiveDate,
    by: Breakdown,
) -> Result<Vec<(String, String, i64)>, AppError> {
    let rows = access
        .breakdown(&unit.code, as_of, by)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(rows
        .into_iter()
        .map(|(key, name, count)| (key, by.label(&name), count))
        .collect())
}

/// The balance of the period for a unit existing on the eve of the period and on its last day.
async fn balance(
    access: &dangbo_store::access::Access,
    unit: &dangbo_store::access::Unit,
    window: &dangbo_store::access::Window,
    q: &WindowQuery,
) -> Result<Option<Balance>, AppError> {
    let Some(eve) = window.from.pred_opt() else {
        return Ok(None);
    };
    if unit.id != 0 && !(unit.exists_on(eve) && unit.exists_on(window.to)) {
        return Ok(None);
    }
    let total = figures_of(&["members.total"]);
    let opening = dangbo_store::access::Window {
        as_of: eve,
        ..*window
    };
    let closing = dangbo_store::access::Window {
        as_of: window.to,
        ..*window
    };
    let mut keys: Vec<&str> = INCREASES.iter().chain(&DECREASES).copied().collect();
    keys.push("members.total");
    let catalogue = figures_of(&keys);
    let (Some((_, start)), Some((_, end))) = (
        access.figures(&unit.code, &total, &opening, false).await?,
        access
            .figures(&unit.code, &catalogue, &closing, false)
            .await?,
    ) else {
        return Ok(None);
    };
    let count = |values: &[dangbo_store::access::FigureValue], key: &str| {
        values
            .iter()
            .find(|v| v.key == key)
            .and_then(|v| v.value.as_count())
            .unwrap_or(0)
    };
    let on = |date: chrono::NaiveDate| {
        WindowQuery {
            as_of: format::date(date),
            ..q.clone()
        }
        .link()
    };
    let card = |key: &str, value: i64, link_query: &str| Card {
        key: key.to_string(),
        label: catalogue
            .iter()
            .find(|f| f.key == key)
            .map(|f| f.label_vi.clone())
            .unwrap_or_default(),
        value: int(value),
        link: format!("/figures/{key}{link_query}"),
    };
    let closing_query = on(window.to);
    let cards = |keys: &[&str]| -> Vec<Card> {
        keys.iter()
            .map(|k| card(k, count(&end, k), &closing_query))
            .collect()
    };
    let (first, last) = (count(&start, "members.total"), count(&end, "members.total"));
    let added: i64 = INCREASES.iter().map(|k| count(&end, k)).sum();
    let removed: i64 = DECREASES.iter().map(|k| count(&end, k)).sum();
    let computed = first + added - removed;
    Ok(Some(Balance {
        start: card("members.total", first, &on(eve)),
        increases: cards(&INCREASES),
        decreases: cards(&DECREASES),
        end: card("members.total", last, &closing_query),
        start_date: format::date(eve),
        end_date: format::date(window.to),
        // Written out so that a reader checks it; a difference would be shown, never hidden.
        identity: format!(
            "{} + {} − {} = {}{}",
            int(first),
            int(added),
            int(removed),
            int(computed),
            if computed == last {
                String::new()
            } else {
                format!(" ≠ {}", int(last))
            }
        ),
    }))
}

pub async fn page(
    Ui(identity, lang): Ui,
    Query(q): Query<WindowQuery>,
) -> Result<Response, AppError> {
    let t = lang.texts();
    let here = format!("/{}", q.link());
    let chrome = Chrome::new(&identity, lang, t.nav_dashboard, "dashboard", &here);
    let window = match q.window() {
        Ok(window) => window,
        Err(problems) => {
            let unit = identity
                .access
                .unit(&q.unit)
                .await?
                .ok_or(AppError::NotFound)?;
            let page = DashboardPage {
                c: chrome,
                unit_code: unit.code.clone(),
                unit_name: unit.name.clone(),
                q,
                errors: FieldErrors(problems),
                as_of_text: String::new(),
                period_text: String::new(),
                absent: None,
                stock: Vec::new(),
                flow: Vec::new(),
                balance: None,
                structure: Vec::new(),
                table: None,
                targets: None,
                admission_due: None,
            };
            return Ok((StatusCode::BAD_REQUEST, render(&page)?).into_response());
        }
    };
    let levels: Vec<Definition> = dangbo_store::access::catalogue()
        .into_iter()
        .filter(|f| LEVELS.iter().any(|p| f.key.starts_with(p)))
        .collect();
    let mut keys: Vec<&str> = STOCK
        .iter()
        .chain(&FLOW)
        .chain(&STATUS)
        .chain(&STANDING)
        .chain(&SEX)
        .chain(&AGES)
        .chain(&THEORY)
        .copied()
        .collect();
    keys.extend(levels.iter().map(|f| f.key.as_str()));
    let catalogue = figures_of(&keys);
    let unit = identity
        .access
        .unit(&q.unit)
        .await?
        .ok_or(AppError::NotFound)?;
    let absent = absence(&identity.access, &unit, window.as_of, t).await?;
    let values = if absent.is_some() {
        Vec::new()
    } else {
        identity
            .access
            .figures(&unit.code, &catalogue, &window, false)
            .await?
            .ok_or(AppError::NotFound)?
            .1
    };
    let link_query = q.link();
    let entry = |key: &str| {
        let label = catalogue
            .iter()
            .find(|f| f.key == key)
            .map(|f| f.label_vi.clone())
            .unwrap_or_default();
        let value = values.iter().find(|v| v.key == key).map(|v| &v.value);
        (label, value, format!("/figures/{key}{link_query}"))
    };
    let cards = |keys: &[&str]| -> Vec<Card> {
        keys.iter()
            .filter_map(|k| {
                let (label, value, link) = entry(k);
                value.map(|value| Card {
                    key: k.to_string(),
                    label,
                    value: value.display(),
                    link,
                })
            })
            .collect()
    };
    let parts = |keys: &[&str]| -> Vec<(String, String, i64)> {
        keys.iter()
            .filter_map(|k| {
                let (label, value, _) = entry(k);
                value
                    .and_then(|v| v.as_count())
                    .map(|count| (k.to_string(), label, count))
            })
            .collect()
    };
    let balance = if absent.is_some() {
        None
    } else {
        balance(&identity.access, &unit, &window, &q).await?
    };
    let structure = if absent.is_some() {
        Vec::new()
    } else {
        let total = entry("members.total")
            .1
            .and_then(|v| v.as_count())
            .unwrap_or(0);
        let level = |prefix: &str| {
            let keys: Vec<&str> = levels
                .iter()
                .filter(|f| f.key.starts_with(prefix))
                .map(|f| f.key.as_str())
                .collect();
            parts(&keys)
        };
        vec![
            Structure::new(t.by_status, parts(&STATUS), total, &link_query),
            Structure::new(t.by_standing, parts(&STANDING), total, &link_query),
            Structure::new(t.by_sex, parts(&SEX), total, &link_query),
            Structure::new(
                t.by_ethnicity,
                named_groups(&identity.access, &unit, window.as_of, Breakdown::Ethnicity).await?,
                total,
                &link_query,
            ),
            Structure::new(
                t.by_religion,
                named_groups(&identity.access, &unit, window.as_of, Breakdown::Religion).await?,
                total,
                &link_query,
            ),
            Structure::new(t.by_age, parts(&AGES), total, &link_query),
            Structure::new(t.by_education, level(LEVELS[0]), total, &link_query),
            Structure::new(t.by_qualification, level(LEVELS[1]), total, &link_query),
            Structure::new(t.by_theory, parts(&THEORY), total, &link_query),
        ]
    };
    let table = if absent.is_some() {
        None
    } else {
        super::units::sub_unit_table(&identity.access, &q, t).await?
    };
    let targets = if absent.is_some() {
        None
    } else {
        targets_line(&identity.access, &unit, &window).await?
    };
    let admission_due = if absent.is_some() {
        None
    } else {
        admission_due(&identity.access, &unit, window.as_of).await?
    };
    let page = DashboardPage {
        c: chrome,
        table,
        targets,
        admission_due,
        unit_code: unit.code.clone(),
        unit_name: identity.access.unit_name_on(&unit, window.as_of).await?,
        q,
        errors: FieldErrors::default(),
        as_of_text: format::date(window.as_of),
        period_text: format!(
            "{} – {}",
            format::date(window.from),
            format::date(window.to)
        ),
        absent,
        stock: cards(&STOCK),
        flow: cards(&FLOW),
        balance,
        structure,
    };
    Ok(render(&page)?.into_response())
}

/// The admission files and probationers of the unit's subtree due within 30 days of `day`, if any.
async fn admission_due(
    access: &dangbo_store::access::Access,
    unit: &dangbo_store::access::Unit,
    day: chrono::NaiveDate,
) -> Result<Option<AdmissionDue>, AppError> {
    let Some((_, lines)) = access.admission_due(&unit.code, day).await? else {
        return Ok(None);
    };
    if lines.is_empty() {
        return Ok(None);
    }
    let overdue = lines.iter().filter(|l| l.overdue).count();
    Ok(Some(AdmissionDue {
        due: format::int(lines.len() as i64),
        overdue: format::int(overdue as i64),
        link: format!(
            "/candidates/due{}",
            format::query(&[("unit", &unit.code), ("as_of", &format::date(day))])
        ),
    }))
}

/// The period's targets of the unit's subtree, if any: met / total, and the unit's own admission
/// target beside the admissions counted.
async fn targets_line(
    access: &dangbo_store::access::Access,
    unit: &dangbo_store::access::Unit,
    window: &dangbo_store::access::Window,
) -> Result<Option<TargetsLine>, AppError> {
    let Some((_, list)) = access.targets(&unit.code, window.from, window.to).await? else {
        return Ok(None);
    };
    if list.is_empty() {
        return Ok(None);
    }

    let admissions = list
        .iter()
        .find(|t| {
            t.target.unit_code == unit.code && t.target.figure_key.as_deref() == Some("admissions")
        })
        .map(|t| {
            format!(
                "{} / chỉ tiêu {} {} ({})",
                t.actual
                    .map(dangbo_domain::figures::format_decimal)
                    .unwrap_or_default(),
                t.target.comparator.words_vi(),
                dangbo_domain::figures::format_decimal(t.target.value),
                t.assessment.percent_text()
            )
        });
    let overdue = match access.tasks(&unit.code, window.as_of).await? {
        Some((_, tasks)) => tasks
            .iter()
            .filter(|t| t.state == dangbo_domain::programmes::tasks::TaskState::Overdue)
            .count(),
        None => 0,
    };
    Ok(Some(TargetsLine {
        overdue: (overdue > 0).then(|| format::int(overdue as i64)),
        tasks_link: format!(
            "/tasks{}",
            format::query(&[("unit", &unit.code), ("as_of", &format::date(window.as_of))])
        ),
        met: super::targets::ratio_text(dangbo_store::access::met_total(list.iter())),
        link: format!(
            "/targets{}",
            format::query(&[
                ("unit", &unit.code),
                ("from", &format::date(window.from)),
                ("to", &format::date(window.to)),
            ])
        ),
        admissions,
    }))
}

/// A record behind a figure, with its link.
pub struct RecordRow {
    pub code: String,
    pub name: String,
    pub link: String,
    pub unit_name: String,
    pub unit_code: String,
    pub date: String,
    pub detail: String,
}

impl RecordRow {
    pub fn of(record: Record) -> RecordRow {
        // Documents, targets and tasks are listed by their document's number, which names no
        // single page (numbers repeat across units and years): shown without a link.
        let link = match record.record {
            "unit" => format!("/units/{}", format::url(&record.code)),
            "member" | "event" => format!("/members/{}", format::url(&record.code)),
            "candidate" => format!("/candidates/{}", format::url(&record.code)),
            "awareness_class" => format!("/classes/{}", format::url(&record.code)),
            // A trainee links to their file when they have one here.
            "trainee" if !record.code.is_empty() => {
                format!("/candidates/{}", format::url(&record.code))
            }
            _ => String::new(),
        };
        RecordRow {
            link,
            code: record.code,
            name: record.name,
            unit_name: if record.unit_name.is_empty() {
                record.unit_code.clone()
            } else {
                record.unit_name
            },
            unit_code: record.unit_code,
            date: format::opt_date(record.date),
            detail: record.detail,
        }
    }
}

/// The headers of a list of records of one kind: (name, unit, date, detail).
fn record_headers(kind: &str, t: &crate::i18n::Texts) -> [&'static str; 4] {
    match kind {
        "unit" => [t.unit_name, t.parent_unit, t.founded_on, t.unit_kind],
        "event" => [t.full_name, t.unit, t.date, t.event],
        "document" => [
            t.document_title,
            t.issuing_unit,
            t.signed_on,
            t.document_kind,
        ],
        "candidate" => [t.full_name, t.branch_word, t.since_word, t.stage_word],
        "awareness_class" => [t.class_name, t.unit, t.class_ends, t.class_organizer],
        "trainee" => [t.full_name, t.unit, t.class_ends, t.result_word],
        _ => [t.full_name, t.unit, t.in_unit_since, t.member_status],
    }
}

#[derive(Template)]
#[template(path = "drill_down.html")]
struct DrillDownPage {
    c: Chrome,
    label: String,
    unit_name: String,
    total: String,
    /// "1–200".
    shown: String,
    as_of_text: String,
    period_text: String,
    headers: [&'static str; 4],
    rows: Vec<RecordRow>,
    back: String,
    next: Option<String>,
    first: Option<String>,
    export: String,
}

/// Records on one page of a drill-down; the export and the API give them all.
const DRILL_DOWN_ROWS: usize = 200;

/// Where a drill-down page starts: after the store's cursor (the previous page's last record).
#[derive(serde::Deserialize, Default)]
pub struct DrillDownQuery {
    #[serde(flatten)]
    pub window: WindowQuery,
    /// The store's cursor of the previous page's last record; empty for the first page.
    #[serde(default)]
    pub after: String,
    /// How many records the pages before this one held (to number the rows shown).
    #[serde(default)]
    pub row: usize,
}

/// The figure, window and unit of a drill-down, checked against the person's scope, and the
/// unit's name on the date.
async fn drilled(
    identity: &crate::session::Identity,
    key: &str,
    q: &WindowQuery,
) -> Result<
    (
        Definition,
        dangbo_store::access::Window,
        dangbo_store::access::Unit,
        String,
    ),
    AppError,
> {
    let figure = identity
        .access
        .figure(key)
        .await?
        .ok_or(AppError::NotFound)?;
    let window = q.window().map_err(AppError::fields)?;
    let unit = identity
        .access
        .unit(&q.unit)
        .await?
        .ok_or(AppError::NotFound)?;
    if let Some(absent) = absence(
        &identity.access,
        &unit,
        window.as_of,
        crate::i18n::Lang::Vi.texts(),
    )
    .await?
    {
        return Err(AppError::BadRequest(absent.message));
    }
    let unit_name = identity.access.unit_name_on(&unit, window.as_of).await?;
    Ok((figure, window, unit, unit_name))
}

/// The kind of the records behind a figure ("member", "event", "unit").
fn record_kind(records: &[Record], figure: &Definition) -> &'static str {
    records
        .first()
        .map(|r| r.record)
        .unwrap_or(if figure.is_flow() { "event" } else { "member" })
}

pub async fn drill_down(
    Ui(identity, lang): Ui,
    Path(key): Path<String>,
    Query(q): Query<DrillDownQuery>,
) -> Result<Response, AppError> {
    let t = lang.texts();
    let (figure, window, unit, unit_name) = drilled(&identity, &key, &q.window).await?;
    let (_, page) = identity
        .access
        .figure_records_page(&unit.code, &figure, &window, &q.after, DRILL_DOWN_ROWS)
        .await?
        .ok_or(AppError::NotFound)?;
    let start = if q.after.is_empty() { 0 } else { q.row };
    let end = start.saturating_add(page.records.len());
    let link_query = q.window.link();
    let here = format!("/figures/{}{link_query}", format::url(&key));
    let with_after = |after: &str| {
        let joiner = if link_query.is_empty() { '?' } else { '&' };
        format!("{here}{joiner}after={}&row={end}", format::url(after))
    };
    let page = DrillDownPage {
        c: Chrome::new(&identity, lang, figure.label_vi.clone(), "dashboard", &here),
        headers: record_headers(record_kind(&page.records, &figure), t),
        label: figure.label_vi,
        unit_name,
        total: int(page.total as i64),
        shown: if start < end {
            format!("{}–{}", int(start as i64 + 1), int(end as i64))
        } else {
            "0".to_string()
        },
        as_of_text: format::date(window.as_of),
        period_text: format!(
            "{} – {}",
            format::date(window.from),
            format::date(window.to)
        ),
        next: page.next.as_deref().map(with_after),
        first: (!q.after.is_empty()).then(|| here.clone()),
        export: format!("/figures/{}/export.xlsx{link_query}", format::url(&key)),
        rows: page.records.into_iter().map(RecordRow::of).collect(),
        back: format!("/{link_query}"),
    };
    Ok(render(&page)?.into_response())
}

/// Excel's last row: a longer list cannot be one sheet.
const SHEET_ROWS: usize = 1_048_576 - 10;

/// The whole list behind a figure as a workbook ("danh sách kèm theo"): title, unit, date and
/// period above it, dates as Excel dates.
pub async fn drill_down_export(
    Ui(identity, _): Ui,
    Path(key): Path<String>,
    Query(q): Query<WindowQuery>,
) -> Result<Response, AppError> {
    let t = crate::i18n::Lang::Vi.texts();
    let (figure, window, drilled_unit, unit_name) = drilled(&identity, &key, &q).await?;
    let (_, records) = identity
        .access
        .figure_records(&drilled_unit.code, &figure, &window)
        .await?
        .ok_or(AppError::NotFound)?;
    if records.len() > SHEET_ROWS {
        return Err(AppError::BadRequest(format!(
            "danh sách có {} hồ sơ, quá số hàng một trang Excel chứa ({}): hãy chọn đơn vị nhỏ hơn",
            int(records.len() as i64),
            int(SHEET_ROWS as i64)
        )));
    }
    let [name, unit, date, detail] = record_headers(record_kind(&records, &figure), t);
    use dangbo_store::access::Cell;
    let rows = records
        .iter()
        .enumerate()
        .map(|(i, r)| {
            vec![
                Cell::Count(i as i64 + 1),
                Cell::from(r.code.as_str()),
                Cell::from(r.name.as_str()),
                Cell::from(if r.unit_name.is_empty() {
                    r.unit_code.as_str()
                } else {
                    r.unit_name.as_str()
                }),
                Cell::from(r.date),
                Cell::from(r.detail.as_str()),
            ]
        })
        .collect();
    let sheet = dangbo_store::access::ReportSheet {
        name: t.attached_list.to_string(),
        title: vec![
            format!(
                "{}: {} ({} {})",
                t.attached_list,
                figure.label_vi,
                int(records.len() as i64),
                t.records_word
            ),
            format!("{}: {unit_name}", t.unit),
            if figure.is_flow() {
                format!(
                    "{} {} – {}",
                    t.movement,
                    format::date(window.from),
                    format::date(window.to)
                )
            } else {
                format!("{} {}", t.figures_as_of, format::date(window.as_of))
            },
        ],
        headers: ["STT", t.code, name, unit, date, detail]
            .iter()
            .map(|h| h.to_string())
            .collect(),
        rows,
        total: None,
    };
    let bytes = dangbo_store::access::report_xlsx(&[sheet])?;
    super::table::xlsx_response(
        bytes,
        &format!(
            "danh-sach-{}-{}-{}.xlsx",
            super::table::file_part(&key),
            super::table::file_part(&drilled_unit.code),
            window.as_of
        ),
    )
}
