//! Directing documents: the list of a unit's subtree for a period, and one document with the
//! targets it sets.

use askama::Template;
use axum::extract::{Path, Query};
use axum::response::{IntoResponse, Response};
use dangbo_domain::figures::format_decimal;
use dangbo_store::access::{Document, Target};

use super::Chrome;
use super::dashboard::WindowQuery;
use crate::AppError;
use crate::error::render;
use crate::format;
use crate::session::Ui;

/// A document as a list or its page shows it.
pub struct DocumentRow {
    pub link: String,
    pub number: String,
    pub kind: &'static str,
    pub title: String,
    /// The issuing unit's name, or the body beside it that issued it.
    pub issuer: String,
    pub signed_on: String,
    pub validity: String,
    pub domain: &'static str,
}

fn row_of(d: Document, names: &std::collections::HashMap<String, String>) -> DocumentRow {
    let unit = names
        .get(&d.unit_code)
        .cloned()
        .unwrap_or_else(|| d.unit_code.clone());
    DocumentRow {
        link: format!("/documents/{}", d.id),
        number: d.number,
        kind: d.kind.label_vi(),
        title: d.title,
        issuer: if d.issuing_body.is_empty() {
            unit
        } else {
            format!("{} ({unit})", d.issuing_body)
        },
        signed_on: format::date(d.signed_on),
        validity: format!(
            "{} – {}",
            format::date(d.valid_from),
            format::date(d.valid_to)
        ),
        domain: d.domain.label_vi(),
    }
}

#[derive(Template)]
#[template(path = "documents.html")]
struct DocumentsPage {
    c: Chrome,
    q: WindowQuery,
    unit_name: String,
    period: String,
    count: String,
    rows: Vec<DocumentRow>,
}

pub async fn list(
    Ui(identity, lang): Ui,
    Query(q): Query<WindowQuery>,
) -> Result<Response, AppError> {
    let window = q.window().map_err(AppError::fields)?;
    let (unit, list) = identity
        .access
        .documents(&q.unit, window.from, window.to)
        .await?
        .ok_or(AppError::NotFound)?;
    let codes = list.iter().map(|d| d.unit_code.as_str()).collect();
    let names = super::unit_names_on(&identity.access, codes, window.to).await?;
    let page = DocumentsPage {
        c: Chrome::new(
            &identity,
            lang,
            lang.texts().documents_title,
            "targets",
            &format!("/documents{}", q.link()),
        ),
        unit_name: identity.access.unit_name_on(&unit, window.to).await?,
        period: format!(
            "{} – {}",
            format::date(window.from),
            format::date(window.to)
        ),
        count: format::int(list.len() as i64),
        rows: list.into_iter().map(|d| row_of(d, &names)).collect(),
        q,
    };
    Ok(render(&page)?.into_response())
}

/// A target as the document's page lists it.
pub struct TargetLine {
    pub text: String,
    pub unit: String,
    pub domain: &'static str,
    pub period: String,
    /// "admissions từ 80", or "số báo cáo từ 28".
    pub measure: String,
    /// The achievement summary of the target's unit for its period.
    pub summary_link: String,
}

#[derive(Template)]
#[template(path = "document.html")]
struct DocumentPage {
    c: Chrome,
    d: DocumentRow,
    targets: Vec<TargetLine>,
}

pub async fn page(Ui(identity, lang): Ui, Path(id): Path<String>) -> Result<Response, AppError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let (document, targets) = identity
        .access
        .document(id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut codes: Vec<&str> = targets.iter().map(|t| t.unit_code.as_str()).collect();
    codes.push(&document.unit_code);
    let names = super::unit_names_on(&identity.access, codes, document.signed_on).await?;
    let catalogue = identity.access.catalogue().await?;
    let line = |t: Target| TargetLine {
        measure: format!(
            "{} {} {}",
            t.figure_key
                .as_deref()
                .map(|key| {
                    catalogue
                        .iter()
                        .find(|f| f.key == key)
                        .map_or(key.to_string(), |f| f.label_vi.clone())
                })
                .unwrap_or_else(|| lang.texts().reported_value.to_string()),
            t.comparator.words_vi(),
            format_decimal(t.value)
        ),
        summary_link: format!(
            "/targets{}",
            format::query(&[
                ("unit", &t.unit_code),
                ("from", &format::date(t.from)),
                ("to", &format::date(t.to)),
            ])
        ),
        unit: names.get(&t.unit_code).cloned().unwrap_or(t.unit_code),
        domain: t.domain.label_vi(),
        period: format!("{} – {}", format::date(t.from), format::date(t.to)),
        text: t.text,
    };
    let title = format!("{} {}", document.kind.label_vi(), document.number);
    let page = DocumentPage {
        c: Chrome::new(
            &identity,
            lang,
            title,
            "targets",
            &format!("/documents/{id}"),
        ),
        d: row_of(document, &names),
        targets: targets.into_iter().map(line).collect(),
    };
    Ok(render(&page)?.into_response())
}
