//! Import: upload a file, see a preview with every bad row, then confirm or cancel.

use askama::Template;
use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use dangbo_store::StoreError;
use dangbo_store::access::{Dataset, ImportSummary, Quiet, RowError};

use super::Chrome;
use crate::error::render;
use crate::format::int;
use crate::session::Ui;
use crate::{AppError, AppState, PendingImport};

/// An upload not confirmed within this time is forgotten.
const PENDING_SECONDS: u64 = 30 * 60;

pub struct SummaryView {
    pub rows: String,
    pub created: String,
    pub updated: String,
    pub unchanged: String,
    pub events: String,
    /// Members admitted before their branch was founded, if any.
    pub placed: String,
}

impl SummaryView {
    fn of(s: &ImportSummary) -> SummaryView {
        SummaryView {
            rows: int(s.rows as i64),
            created: int(s.created as i64),
            updated: int(s.updated as i64),
            unchanged: int(s.unchanged as i64),
            events: int(s.events_written as i64),
            placed: if s.placed_before_branch == 0 {
                String::new()
            } else {
                int(s.placed_before_branch as i64)
            },
        }
    }
}

/// A kind of file the user may import, as the page offers it.
pub struct DatasetChoice {
    pub code: &'static str,
    pub label: &'static str,
}

/// The kinds of file this user may import, labelled in the page's language.
fn choices(identity: &crate::session::Identity, t: &crate::i18n::Texts) -> Vec<DatasetChoice> {
    identity
        .access
        .importable()
        .into_iter()
        .map(|dataset| DatasetChoice {
            code: dataset.code(),
            label: match dataset {
                Dataset::Units => t.dataset_units,
                Dataset::Members => t.dataset_members,
                Dataset::Events => t.dataset_events,
                Dataset::Documents => t.dataset_documents,
                Dataset::Targets => t.dataset_targets,
                Dataset::Tasks => t.dataset_tasks,
                Dataset::Candidates => t.dataset_candidates,
                Dataset::CandidateSteps => t.dataset_candidate_steps,
                Dataset::MemberRatings => t.dataset_member_ratings,
                Dataset::UnitRatings => t.dataset_unit_ratings,
                Dataset::Inspections => t.dataset_inspections,
                Dataset::Training => t.dataset_training,
            },
        })
        .collect()
}

#[derive(Template)]
#[template(path = "import.html")]
struct ImportPage {
    c: Chrome,
    choices: Vec<DatasetChoice>,
    file_name: String,
    dataset: String,
    pending_id: String,
    summary: Option<SummaryView>,
    errors: Vec<RowError>,
    error: String,
    done: bool,
}

fn empty_page(c: Chrome, identity: &crate::session::Identity) -> ImportPage {
    ImportPage {
        choices: choices(identity, c.t),
        c,
        file_name: String::new(),
        dataset: String::new(),
        pending_id: String::new(),
        summary: None,
        errors: Vec::new(),
        error: String::new(),
        done: false,
    }
}

pub async fn page(Ui(identity, lang): Ui) -> Result<Response, AppError> {
    identity.access.importer()?;
    let c = Chrome::new(
        &identity,
        lang,
        lang.texts().import_title,
        "import",
        "/import",
    );
    Ok(render(&empty_page(c, &identity))?.into_response())
}

/// One kind of file on the help page: its columns as the template explains them.
pub struct GuideSection {
    pub code: &'static str,
    pub title: &'static str,
    pub columns: Vec<dangbo_store::access::ColumnGuide>,
}

#[derive(Template)]
#[template(path = "import_help.html")]
struct ImportHelpPage {
    c: Chrome,
    sections: Vec<GuideSection>,
    max_megabytes: String,
    max_rows: String,
    max_columns: String,
}

/// The import guide, in Vietnamese, from the same column lists the importer reads and the
/// templates explain (so it cannot drift from them).
pub async fn help(Ui(identity, lang): Ui) -> Result<Response, AppError> {
    identity.access.importer()?;
    let c = Chrome::new(
        &identity,
        lang,
        lang.texts().import_guide,
        "import",
        "/import/help",
    );
    let limits = dangbo_store::access::LIMITS;
    let page = ImportHelpPage {
        c,
        sections: identity
            .access
            .importable()
            .into_iter()
            .map(|dataset| GuideSection {
                code: dataset.code(),
                title: dataset.label_vi(),
                columns: dangbo_store::access::column_guide(dataset),
            })
            .collect(),
        max_megabytes: int((limits.file_bytes / (1024 * 1024)) as i64),
        max_rows: int(limits.rows as i64),
        max_columns: int(limits.columns as i64),
    };
    Ok(render(&page)?.into_response())
}

/// A workbook to fill in for one kind of import: headers, an example row, and a sheet explaining
/// every column.
pub async fn template(
    Ui(identity, _): Ui,
    axum::extract::Path(dataset): axum::extract::Path<String>,
) -> Result<Response, AppError> {
    identity.access.importer()?;
    let dataset = dataset.trim_end_matches(".xlsx");
    let dataset = Dataset::parse(dataset).ok_or(AppError::NotFound)?;
    let bytes = dangbo_store::access::template_xlsx(dataset)?;
    super::table::xlsx_response(bytes, &format!("mau-nhap-{}.xlsx", dataset.code()))
}

pub async fn upload(
    State(state): State<AppState>,
    Ui(identity, lang): Ui,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let importer = identity.access.importer()?;
    let t = lang.texts();
    let mut dataset = String::new();
    let mut file: Option<(String, Vec<u8>)> = None;
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|e| AppError::BadRequest(format!("tệp tải lên bị lỗi: {e}")))?
    {
        match field.name().unwrap_or("") {
            "dataset" => dataset = field.text().await.unwrap_or_default(),
            "file" => {
                let name = field.file_name().unwrap_or("").to_string();
                let bytes = field
                    .bytes()
                    .await
                    .map_err(|e| AppError::BadRequest(format!("tệp tải lên bị lỗi: {e}")))?;
                file = Some((name, bytes.to_vec()));
            }
            _ => {}
        }
    }
    let mut page = empty_page(
        Chrome::new(&identity, lang, t.import_title, "import", "/import"),
        &identity,
    );
    let Some(dataset_kind) = Dataset::parse(&dataset) else {
        page.error = format!("Chưa chọn {}.", t.dataset.to_lowercase());
        return Ok((axum::http::StatusCode::BAD_REQUEST, render(&page)?).into_response());
    };
    let Some((file_name, bytes)) =
        file.filter(|(name, bytes)| !name.is_empty() && !bytes.is_empty())
    else {
        page.error = "Chưa chọn tệp.".into();
        return Ok((axum::http::StatusCode::BAD_REQUEST, render(&page)?).into_response());
    };
    page.file_name = file_name.clone();
    page.dataset = dataset.clone();
    let table = match crate::upload::read_upload(&file_name, bytes).await {
        Ok(table) => table,
        Err(e) => {
            page.error = AppError::from(e).public_message();
            return Ok((axum::http::StatusCode::BAD_REQUEST, render(&page)?).into_response());
        }
    };
    match importer.preview(dataset_kind, &table).await {
        Ok(summary) => {
            page.summary = Some(SummaryView::of(&summary));
            let id = random_id();
            let mut pending = pending_imports(&state)?;
            let owner = identity.access.actor().name.clone();
            // One upload waits per person: a new preview replaces their earlier one, so uploads
            // held in memory are bounded by the people who may import.
            pending
                .retain(|_, p| p.created.elapsed().as_secs() < PENDING_SECONDS && p.owner != owner);
            pending.insert(
                id.clone(),
                PendingImport {
                    owner,
                    dataset: dataset_kind,
                    file_name,
                    table,
                    created: std::time::Instant::now(),
                },
            );
            page.pending_id = id;
            Ok(render(&page)?.into_response())
        }
        Err(StoreError::Import(errors)) => {
            page.errors = errors;
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response())
        }
        Err(error @ (StoreError::Forbidden(_) | StoreError::Invalid(_))) => {
            let message = error.to_string();
            page.error = message;
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

/// The uploads waiting for confirmation.
fn pending_imports(
    state: &AppState,
) -> Result<std::sync::MutexGuard<'_, std::collections::HashMap<String, PendingImport>>, AppError> {
    state
        .pending_imports
        .lock()
        .map_err(|_| AppError::Internal("pending imports lock".into()))
}

fn take_pending(state: &AppState, id: &str, owner: &str) -> Result<PendingImport, AppError> {
    let mut pending = pending_imports(state)?;
    match pending.get(id) {
        Some(p) if p.owner == owner => pending.remove(id).ok_or(AppError::NotFound),
        _ => Err(AppError::NotFound),
    }
}

pub async fn confirm(
    State(state): State<AppState>,
    Ui(identity, lang): Ui,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let importer = identity.access.importer()?;
    let t = lang.texts();
    let pending = take_pending(&state, &id, &identity.access.actor().name)?;
    let mut page = empty_page(
        Chrome::new(&identity, lang, t.import_title, "import", "/import"),
        &identity,
    );
    page.file_name = pending.file_name.clone();
    match importer
        .apply(
            pending.dataset,
            &pending.table,
            &pending.file_name,
            &mut Quiet,
        )
        .await
    {
        Ok(summary) => {
            page.summary = Some(SummaryView::of(&summary));
            page.done = true;
            Ok(render(&page)?.into_response())
        }
        Err(StoreError::Import(errors)) => {
            page.errors = errors;
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

pub async fn cancel(
    State(state): State<AppState>,
    Ui(identity, _): Ui,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    identity.access.importer()?;
    let _ = take_pending(&state, &id, &identity.access.actor().name);
    Ok(Redirect::to("/import").into_response())
}

/// A random id for a pending upload (128 bits, hex).
fn random_id() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
