//! The achievement summary (bảng tổng hợp kết quả thực hiện chỉ tiêu): a unit's targets whose
//! period overlaps the one chosen, each judged from the records or the value reported, grouped by
//! domain with met / total, exported to Excel.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query};
use axum::response::{IntoResponse, Redirect, Response};
use dangbo_domain::figures::format_decimal;
use dangbo_domain::programmes::Domain;
use dangbo_store::StoreError;
use dangbo_store::access::{Cell, MetTotal, ReportSheet, TargetStatus, Unit, Window, met_total};
use serde::Deserialize;

use super::dashboard::WindowQuery;
use super::documents::{ValueForm, record_value};
use super::{Chrome, FieldErrors};
use crate::AppError;
use crate::error::render_form;
use crate::format::{self, url};
use crate::session::{Identity, Ui};

/// One target as the summary shows it.
pub struct TargetRow {
    pub id: i64,
    /// Whether it takes reported values (a value form for those who write).
    pub reported: bool,
    pub document: String,
    pub text: String,
    pub unit: String,
    /// "≥ 80" as the person reads it: "từ 80".
    pub target: String,
    pub actual: String,
    /// The drill-down of the bound figure for the target's unit and period; empty for a
    /// reported target.
    pub actual_link: String,
    pub source: String,
    pub percent: String,
    pub result: &'static str,
    pub result_code: &'static str,
}

/// The targets of one domain.
pub struct DomainGroup {
    pub label: &'static str,
    pub code: &'static str,
    pub met: String,
    pub rows: Vec<TargetRow>,
}

#[derive(Template)]
#[template(path = "targets.html")]
struct TargetsPage {
    c: Chrome,
    q: WindowQuery,
    unit_name: String,
    period: String,
    met: String,
    groups: Vec<DomainGroup>,
    export: String,
    documents_link: String,
    tasks_link: String,
    notice: &'static str,
    /// Whether the person reports values (the forms), and a form returned with problems.
    writes: bool,
    value_target: i64,
    value: ValueForm,
    value_errors: FieldErrors,
}

/// The summary's query, with the notice of a value just reported.
#[derive(Deserialize, Default)]
pub struct SummaryQuery {
    #[serde(flatten)]
    pub window: WindowQuery,
    #[serde(default)]
    pub ok: String,
}

/// A value typed on the summary, with the summary it was typed on (to come back to it).
#[derive(Deserialize, Default)]
pub struct SummaryValueForm {
    #[serde(flatten)]
    pub value: ValueForm,
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
}

/// The summary's parts: the unit, its name, the period, and its targets judged.
async fn summary(
    identity: &Identity,
    q: &WindowQuery,
) -> Result<(Window, Unit, String, Vec<TargetStatus>), AppError> {
    let window = q.window().map_err(AppError::fields)?;
    let (unit, list) = identity
        .access
        .targets(&q.unit, window.from, window.to)
        .await?
        .ok_or(AppError::NotFound)?;
    let name = identity.access.unit_name_on(&unit, window.to).await?;
    Ok((window, unit, name, list))
}

/// "47/55".
pub fn ratio_text(count: MetTotal) -> String {
    format!(
        "{}/{}",
        format::int(count.met as i64),
        format::int(count.total as i64)
    )
}

fn row_of(t: &TargetStatus, names: &std::collections::HashMap<String, String>) -> TargetRow {
    let target = &t.target;
    let actual_link = match &target.figure_key {
        Some(key) => format!(
            "/figures/{}{}",
            url(key),
            format::query(&[
                ("unit", &target.unit_code),
                ("as_of", &format::date(t.counted_to)),
                ("from", &format::date(target.from)),
                ("to", &format::date(t.counted_to)),
            ])
        ),
        None => String::new(),
    };
    TargetRow {
        id: target.id,
        reported: target.figure_key.is_none(),
        document: target.document.clone(),
        text: target.text.clone(),
        unit: names
            .get(&target.unit_code)
            .cloned()
            .unwrap_or_else(|| target.unit_code.clone()),
        target: format!(
            "{} {}",
            target.comparator.words_vi(),
            format_decimal(target.value)
        ),
        actual: t
            .actual
            .map(format_decimal)
            .unwrap_or_else(|| "chưa có số liệu".into()),
        actual_link,
        source: t.source.clone().unwrap_or_default(),
        percent: t.assessment.percent_text(),
        result: t.assessment.result.label_vi(),
        result_code: t.assessment.result.code(),
    }
}

/// The targets' units' names as of the period's end, by code.
async fn unit_names(
    identity: &Identity,
    list: &[TargetStatus],
    on: chrono::NaiveDate,
) -> Result<std::collections::HashMap<String, String>, AppError> {
    let codes: Vec<&str> = list.iter().map(|t| t.target.unit_code.as_str()).collect();
    super::unit_names_on(&identity.access, codes, on).await
}

fn groups(
    list: &[TargetStatus],
    names: &std::collections::HashMap<String, String>,
) -> Vec<DomainGroup> {
    Domain::MAIN
        .iter()
        .map(|&domain| {
            let of: Vec<&TargetStatus> = list
                .iter()
                .filter(|t| t.target.domain.main() == domain)
                .collect();
            DomainGroup {
                label: domain.label_vi(),
                code: domain.code(),
                met: ratio_text(met_total(of.iter().copied())),
                rows: of.iter().map(|t| row_of(t, names)).collect(),
            }
        })
        .filter(|g| !g.rows.is_empty())
        .collect()
}

pub async fn page(
    Ui(identity, lang): Ui,
    Query(query): Query<SummaryQuery>,
) -> Result<Response, AppError> {
    let notice = if query.ok == "value" {
        lang.texts().value_reported
    } else {
        ""
    };
    summary_view(&identity, lang, query.window, notice, None).await
}

/// Reports the value of a target judged on reported values from the summary (where a commune
/// reports its part of a target its province's document set), then shows the summary again.
pub async fn report_value(
    Ui(identity, lang): Ui,
    Path(target): Path<String>,
    Form(form): Form<SummaryValueForm>,
) -> Result<Response, AppError> {
    let writer = identity.access.programmes()?;
    let target: i64 = target.parse().map_err(|_| AppError::NotFound)?;
    if identity.access.target(target).await?.is_none() {
        return Err(AppError::NotFound);
    }
    let q = WindowQuery {
        unit: form.unit.clone(),
        from: form.from.clone(),
        to: form.to.clone(),
        ..WindowQuery::default()
    };
    match record_value(&writer, target, &form.value).await {
        Ok(()) => {
            let back = format::query(&[
                ("unit", &form.unit),
                ("from", &form.from),
                ("to", &form.to),
                ("ok", "value"),
            ]);
            Ok(Redirect::to(&format!("/targets{back}")).into_response())
        }
        Err(StoreError::Fields(problems)) => {
            let returned = (target, form.value, FieldErrors(problems));
            summary_view(&identity, lang, q, lang.texts().fix_errors, Some(returned)).await
        }
        Err(other) => Err(other.into()),
    }
}

async fn summary_view(
    identity: &Identity,
    lang: crate::i18n::Lang,
    q: WindowQuery,
    notice: &'static str,
    returned: Option<(i64, ValueForm, FieldErrors)>,
) -> Result<Response, AppError> {
    let (window, unit, name, list) = summary(identity, &q).await?;
    let names = unit_names(identity, &list, window.to).await?;
    let link = q.link();
    let failed = returned.is_some();
    let (value_target, value, value_errors) = returned.unwrap_or_default();
    let page = TargetsPage {
        notice,
        writes: identity.access.programmes().is_ok(),
        value_target,
        value,
        value_errors,
        c: Chrome::new(
            identity,
            lang,
            lang.texts().targets_title,
            "targets",
            &format!("/targets{link}"),
        ),
        unit_name: name,
        period: format!(
            "{} – {}",
            format::date(window.from),
            format::date(window.to)
        ),
        met: ratio_text(met_total(list.iter())),
        groups: groups(&list, &names),
        documents_link: format!("/documents{link}"),
        tasks_link: format!(
            "/tasks{}",
            format::query(&[("unit", &unit.code), ("as_of", &format::date(window.to))])
        ),
        export: format!(
            "/targets.xlsx{}",
            format::query(&[
                ("unit", &unit.code),
                ("from", &format::date(window.from)),
                ("to", &format::date(window.to)),
            ])
        ),
        q,
    };
    render_form(&page, failed)
}

/// The summary as a workbook: title lines naming the unit and period, one row per target under
/// its domain's line, real numbers.
pub async fn export(
    Ui(identity, _): Ui,
    Query(q): Query<WindowQuery>,
) -> Result<Response, AppError> {
    let (window, unit, name, list) = summary(&identity, &q).await?;
    let names = unit_names(&identity, &list, window.to).await?;
    let mut rows = Vec::new();
    for group in groups(&list, &names) {
        rows.push(vec![
            Cell::from(format!("{}: đạt {}", group.label, group.met)),
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
        ]);
        for t in list
            .iter()
            .filter(|t| t.target.domain.main().code() == group.code)
        {
            let row = row_of(t, &names);
            rows.push(vec![
                Cell::from(row.document),
                Cell::from(row.text),
                Cell::from(row.unit),
                Cell::from(t.target.comparator.symbol()),
                Cell::Number(t.target.value),
                t.actual.map_or(Cell::Empty, Cell::Number),
                t.assessment
                    .percent_hundredths
                    .map_or(Cell::Empty, |h| Cell::Percent(h as f64 / 100.0)),
                Cell::from(row.result),
            ]);
        }
    }
    let sheet = ReportSheet {
        name: "Chỉ tiêu".into(),
        title: vec![
            format!(
                "Kết quả thực hiện chỉ tiêu: đạt {}",
                ratio_text(met_total(list.iter()))
            ),
            format!("Đơn vị: {name}"),
            format!(
                "Kỳ: {} – {}",
                format::date(window.from),
                format::date(window.to)
            ),
        ],
        headers: [
            "Văn bản",
            "Nội dung chỉ tiêu",
            "Đơn vị",
            "So sánh",
            "Chỉ tiêu",
            "Thực hiện",
            "Tỷ lệ",
            "Kết quả",
        ]
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
            "chi-tieu-{}-{}.xlsx",
            super::table::file_part(&unit.code),
            window.to.format("%Y%m%d")
        ),
    )
}
