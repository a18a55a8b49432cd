//! The table per organization: one row per grassroots organization (or direct sub-unit) of a unit,
//! the figures a person chooses as columns, a total row; sortable by any column and exported to
//! Excel with real numbers under title lines that say what it is.

use askama::Template;
use axum::extract::RawQuery;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use dangbo_store::access::{
    Access, Cell, Definition, FigureTable, FigureValue, ReportSheet, TableRows, Value, Window,
};

use super::Chrome;
use super::dashboard::{WindowQuery, absence};
use crate::AppError;
use crate::error::render;
use crate::format::{self, query, url};
use crate::session::Ui;

/// The columns a table has until the person chooses others.
pub const DEFAULT_COLUMNS: [&str; 7] = [
    "members.total",
    "members.full",
    "members.probationary",
    "members.female.share",
    "members.age.18_30.share",
    "admissions",
    "units.branches",
];

/// More columns than fit a landscape page are refused rather than silently dropped.
const MAX_COLUMNS: usize = 40;

/// What the table is of, as the query string gives it.
#[derive(Clone, Default)]
pub struct TableQuery {
    pub window: WindowQuery,
    /// "grassroots" (the default) or "children".
    pub rows: String,
    /// The chosen figure keys, in order.
    pub columns: Vec<String>,
    /// A column's key to sort by; tree order when empty.
    pub sort: String,
    pub descending: bool,
}

impl TableQuery {
    /// Reads the query string; `f` repeats, once per column.
    pub fn parse(raw: Option<&str>) -> Result<TableQuery, AppError> {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(raw.unwrap_or(""))
            .map_err(|_| AppError::BadRequest("địa chỉ trang không đọc được".into()))?;
        let mut q = TableQuery::default();
        for (name, value) in pairs {
            match name.as_str() {
                "unit" => q.window.unit = value,
                "as_of" => q.window.as_of = value,
                "from" => q.window.from = value,
                "to" => q.window.to = value,
                "rows" => q.rows = value,
                "f" => q.columns.extend(
                    value
                        .split(',')
                        .map(str::trim)
                        .filter(|k| !k.is_empty())
                        .map(str::to_string),
                ),
                "sort" => q.sort = value,
                "desc" => q.descending = value == "1",
                _ => {}
            }
        }
        Ok(q)
    }

    pub fn table_rows(&self) -> Result<TableRows, AppError> {
        match self.rows.as_str() {
            "" | "grassroots" => Ok(TableRows::Grassroots),
            "children" => Ok(TableRows::Children),
            other => Err(AppError::BadRequest(format!(
                "hàng của bảng «{other}» không có: cần «grassroots» (tổ chức cơ sở đảng) hoặc \
                 «children» (đơn vị trực thuộc)"
            ))),
        }
    }

    /// The query string of this table, sorted as asked.
    pub fn link(&self, sort: &str, descending: bool) -> String {
        let mut pairs: Vec<(&str, &str)> = vec![
            ("unit", &self.window.unit),
            ("as_of", &self.window.as_of),
            ("from", &self.window.from),
            ("to", &self.window.to),
            ("rows", &self.rows),
        ];
        pairs.extend(self.columns.iter().map(|c| ("f", c.as_str())));
        pairs.push(("sort", sort));
        if descending {
            pairs.push(("desc", "1"));
        }
        query(&pairs)
    }
}

/// A column's header, with the link that sorts by it.
pub struct Column {
    pub key: String,
    pub label: String,
    pub sort_link: String,
    /// "ascending", "descending" or "none", for `aria-sort`.
    pub sorted: &'static str,
}

pub struct Row {
    pub name: String,
    /// The unit's code, shown only where two rows have the same name.
    pub code_hint: String,
    pub link: String,
    /// (value as read, link to its records).
    pub cells: Vec<(String, String)>,
}

/// A table ready for a page.
pub struct TableView {
    pub unit_name: String,
    pub as_of_text: String,
    pub period_text: String,
    pub rows_label: &'static str,
    pub columns: Vec<Column>,
    pub rows: Vec<Row>,
    pub total: Vec<(String, String)>,
    pub name_sort_link: String,
    pub name_sorted: &'static str,
    pub export_link: String,
    pub full_link: String,
    /// Shown on the table's own page (else embedded in another, with a link to it).
    pub full_page: bool,
}

/// The chosen figures (the default ones when none is chosen), every key checked.
async fn chosen(access: &Access, q: &TableQuery) -> Result<Vec<Definition>, AppError> {
    let keys: Vec<String> = if q.columns.is_empty() {
        DEFAULT_COLUMNS.iter().map(|k| k.to_string()).collect()
    } else {
        q.columns.clone()
    };
    if keys.len() > MAX_COLUMNS {
        return Err(AppError::BadRequest(format!(
            "đã chọn {} cột: bảng có tối đa {MAX_COLUMNS} cột",
            keys.len()
        )));
    }
    Ok(access.figures_named(&keys).await?)
}

/// A value as a number to sort by: a count, a share's percentage, a reported value; nothing
/// (sorted first) for a share of nothing or a value not reported.
fn sort_value(value: &Value) -> Option<f64> {
    match value {
        Value::Count(n) => Some(*n as f64),
        Value::Ratio(r) => r.percent(),
        Value::Reported(r) => r.as_ref().map(|r| r.value),
    }
}

/// The table's figures, its rows sorted as asked.
async fn computed(
    access: &Access,
    q: &TableQuery,
) -> Result<(Vec<Definition>, Window, FigureTable), AppError> {
    let window = q.window.window().map_err(AppError::fields)?;
    let unit = access
        .unit(&q.window.unit)
        .await?
        .ok_or(AppError::NotFound)?;
    if let Some(absent) = absence(access, &unit, window.as_of, lang_vi()).await? {
        return Err(AppError::BadRequest(absent.message));
    }
    let definitions = chosen(access, q).await?;
    let mut table = access
        .figure_table(&unit.code, q.table_rows()?, &definitions, &window, false)
        .await?
        .ok_or(AppError::NotFound)?;
    if !q.sort.is_empty() {
        let Some(index) = definitions.iter().position(|d| d.key == q.sort) else {
            return Err(AppError::BadRequest(format!(
                "không sắp xếp được theo «{}»: bảng không có cột này",
                q.sort
            )));
        };
        let by = |values: &[FigureValue]| values.get(index).and_then(|v| sort_value(&v.value));
        table.rows.sort_by(|(_, a), (_, b)| {
            by(a)
                .partial_cmp(&by(b))
                .unwrap_or(std::cmp::Ordering::Equal)
        });
    }
    if q.descending {
        table.rows.reverse();
    }
    Ok((definitions, window, table))
}

/// A unit's code as part of a file name: letters, digits and dashes ("toan-quoc" for the whole
/// database).
pub fn file_part(code: &str) -> String {
    let part: String = dangbo_domain::text::fold(code)
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    if part.is_empty() {
        "toan-quoc".to_string()
    } else {
        part
    }
}

fn lang_vi() -> &'static crate::i18n::Texts {
    crate::i18n::Lang::Vi.texts()
}

/// The table for a page; its headers sort it on the table's own page.
pub async fn view(
    access: &Access,
    q: &TableQuery,
    t: &crate::i18n::Texts,
    full_page: bool,
) -> Result<TableView, AppError> {
    let (definitions, window, table) = computed(access, q).await?;
    let cells = |unit_code: &str, values: &[FigureValue]| {
        values
            .iter()
            .zip(&definitions)
            .map(|(v, definition)| {
                if !access.may_drill(definition) {
                    return (v.value.display(), String::new());
                }
                let link = WindowQuery {
                    unit: unit_code.to_string(),
                    ..q.window.clone()
                }
                .link();
                (v.value.display(), format!("/figures/{}{link}", url(&v.key)))
            })
            .collect::<Vec<_>>()
    };
    let mut seen = std::collections::HashMap::new();
    for (unit, _) in &table.rows {
        *seen.entry(unit.name.as_str()).or_insert(0) += 1;
    }
    let sorted = |key: &str| match (q.sort == key, q.descending) {
        (true, false) => "ascending",
        (true, true) => "descending",
        (false, _) => "none",
    };
    let rows_label = match q.table_rows()? {
        TableRows::Grassroots => t.grassroots_rows,
        TableRows::Children => t.children_rows,
    };
    Ok(TableView {
        unit_name: table.unit_name.clone(),
        as_of_text: format::date(window.as_of),
        period_text: format!(
            "{} – {}",
            format::date(window.from),
            format::date(window.to)
        ),
        rows_label,
        columns: definitions
            .iter()
            .map(|d| Column {
                sort_link: format!("/table{}", q.link(&d.key, q.sort == d.key && !q.descending)),
                sorted: sorted(&d.key),
                key: d.key.clone(),
                label: d.label_vi.clone(),
            })
            .collect(),
        rows: table
            .rows
            .iter()
            .map(|(unit, values)| Row {
                name: unit.name.clone(),
                code_hint: if seen.get(unit.name.as_str()).copied().unwrap_or(0) > 1 {
                    unit.code.clone()
                } else {
                    String::new()
                },
                link: format!("/units/{}{}", url(&unit.code), q.window.link()),
                cells: cells(&unit.code, values),
            })
            .collect(),
        total: cells(&table.unit.code, &table.total),
        name_sort_link: format!("/table{}", q.link("", q.sort.is_empty() && !q.descending)),
        name_sorted: sorted(""),
        export_link: format!("/table.xlsx{}", q.link(&q.sort, q.descending)),
        full_link: format!("/table{}", q.link(&q.sort, q.descending)),
        full_page,
    })
}

/// A checkbox of the column chooser.
pub struct Choice {
    pub key: String,
    pub label: String,
    pub checked: bool,
}

#[derive(Template)]
#[template(path = "table.html")]
struct TablePage {
    c: Chrome,
    q: TableQuery,
    table: TableView,
    stock_choices: Vec<Choice>,
    flow_choices: Vec<Choice>,
}

pub async fn page(Ui(identity, lang): Ui, RawQuery(raw): RawQuery) -> Result<Response, AppError> {
    let t = lang.texts();
    let q = TableQuery::parse(raw.as_deref())?;
    let table = view(&identity.access, &q, t, true).await?;
    let picked: Vec<String> = table.columns.iter().map(|c| c.key.clone()).collect();
    let choices = |flow: bool| {
        dangbo_store::access::catalogue()
            .into_iter()
            .filter(|d| d.is_flow() == flow)
            .map(|d| Choice {
                checked: picked.contains(&d.key),
                key: d.key,
                label: d.label_vi,
            })
            .collect()
    };
    let page = TablePage {
        c: Chrome::new(
            &identity,
            lang,
            format!("{}: {}", t.table_title, table.unit_name),
            "dashboard",
            &table.full_link,
        ),
        stock_choices: choices(false),
        flow_choices: choices(true),
        q,
        table,
    };
    Ok(render(&page)?.into_response())
}

/// The table as an Excel workbook: title lines (what, which unit, date and period), a header row,
/// one row per organization with numbers as numbers and shares as percentages, the total.
pub async fn export(Ui(identity, _): Ui, RawQuery(raw): RawQuery) -> Result<Response, AppError> {
    let t = lang_vi();
    let q = TableQuery::parse(raw.as_deref())?;
    let (definitions, window, table) = computed(&identity.access, &q).await?;
    let cell = |v: &FigureValue| match &v.value {
        Value::Count(n) => Cell::Count(*n),
        // The exact share: Excel rounds it for display and computes with all of it.
        Value::Ratio(r) if r.denominator > 0 => {
            Cell::Percent(r.numerator as f64 * 100.0 / r.denominator as f64)
        }
        Value::Ratio(_) => Cell::Empty,
        Value::Reported(Some(r)) => Cell::Number(r.value),
        Value::Reported(None) => Cell::Empty,
    };
    let rows_label = match q.table_rows()? {
        TableRows::Grassroots => t.grassroots_rows,
        TableRows::Children => t.children_rows,
    };
    let mut headers = vec!["STT".to_string(), rows_label.to_string()];
    headers.extend(definitions.iter().map(|d| d.label_vi.clone()));
    let rows = table
        .rows
        .iter()
        .enumerate()
        .map(|(i, (unit, values))| {
            let mut row = vec![Cell::Count(i as i64 + 1), Cell::Text(unit.name.clone())];
            row.extend(values.iter().map(cell));
            row
        })
        .collect();
    let mut total = vec![Cell::Empty, Cell::Text(t.total.to_string())];
    total.extend(table.total.iter().map(cell));
    let sheet = ReportSheet {
        name: t.table_title.to_string(),
        title: vec![
            format!("{} – {}", t.table_title, rows_label),
            format!("{}: {}", t.unit, table.unit_name),
            format!(
                "{} {}; {} {} – {}",
                t.figures_as_of,
                format::date(window.as_of),
                t.movement.to_lowercase(),
                format::date(window.from),
                format::date(window.to)
            ),
        ],
        headers,
        rows,
        total: Some(total),
    };
    let bytes = dangbo_store::access::report_xlsx(&[sheet])?;
    let name = format!(
        "so-lieu-{}-{}.xlsx",
        file_part(&table.unit.code),
        window.as_of
    );
    xlsx_response(bytes, &name)
}

/// A workbook to download under a file name.
pub fn xlsx_response(bytes: Vec<u8>, name: &str) -> Result<Response, AppError> {
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}
