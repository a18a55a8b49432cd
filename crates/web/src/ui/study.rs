//! Political education: a unit's study sessions in a period with their counts and a form for a
//! new one; a session's page with its documents, participating units and attendance, a form for
//! a unit's counts, the attendance sheet of its members and the import of a sheet file.

use askama::Template;
use axum::Form;
use axum::extract::{Multipart, Path, Query};
use axum::response::{IntoResponse, Redirect, Response};
use dangbo_domain::education::{Attendance, StudyKind};
use dangbo_domain::figures::Window;
use dangbo_store::StoreError;
use dangbo_store::access::{CountsInput, DocumentRef, MarkInput, SessionInput};
use serde::Deserialize;

use super::{Choice, Chrome, FieldErrors, choices, vocabulary_choices};
use crate::AppError;
use crate::error::render_form;
use crate::format::{self, url};
use crate::params::{Problems, date_field, period, required_date};
use crate::session::{Identity, Ui};

/// The most members the sheet shows on the page; more are imported from a file.
const SHEET_ROWS: i64 = 300;

#[derive(Deserialize, Default, Clone)]
pub struct SessionsQuery {
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
}

#[derive(Deserialize, Default, Clone)]
pub struct SessionForm {
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub organizer_body: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub online: String,
    /// One document per line: number | title.
    #[serde(default)]
    pub documents: String,
    /// One unit code per line.
    #[serde(default)]
    pub units: String,
}

pub struct SessionRow {
    pub link: String,
    pub code: String,
    pub dates: String,
    pub kind: &'static str,
    pub title: String,
    pub organizer: String,
    pub attendances: String,
}

#[derive(Template)]
#[template(path = "study.html")]
struct SessionsPage {
    c: Chrome,
    q: SessionsQuery,
    unit_name: String,
    period: String,
    figures: Vec<(String, String, String)>,
    rows: Vec<SessionRow>,
    writes: bool,
    form: SessionForm,
    kinds: Vec<Choice>,
    fields: Vec<(&'static str, &'static str, String)>,
    errors: FieldErrors,
}

const FIGURES: [&str; 4] = [
    "study.sessions",
    "study.attendances",
    "study.members",
    "study.members.share",
];

fn dates(from: chrono::NaiveDate, to: chrono::NaiveDate) -> String {
    if from == to {
        format::date(from)
    } else {
        format!("{} – {}", format::date(from), format::date(to))
    }
}

async fn sessions_view(
    identity: &Identity,
    lang: crate::i18n::Lang,
    q: SessionsQuery,
    returned: Option<(SessionForm, FieldErrors)>,
) -> Result<Response, AppError> {
    let t = lang.texts();
    let (from, to) = period(&q.from, &q.to).map_err(AppError::fields)?;
    let mut found = identity.access.study_sessions(&q.unit, from, to).await?;
    if found.is_none() && returned.is_some() {
        // A form naming a unit out of scope comes back over the whole scope.
        found = identity.access.study_sessions("", from, to).await?;
    }
    let (unit, sessions) = found.ok_or(AppError::NotFound)?;
    let window = Window {
        as_of: to,
        from,
        to,
    };
    let definitions = identity
        .access
        .figures_named(&FIGURES.map(String::from))
        .await?;
    let (_, values) = identity
        .access
        .figures(&unit.code, &definitions, &window, false)
        .await?
        .ok_or(AppError::NotFound)?;
    let figures = definitions
        .iter()
        .zip(&values)
        .map(|(d, v)| {
            (
                d.label_vi.clone(),
                v.value.display(),
                format!(
                    "/figures/{}{}",
                    url(&d.key),
                    format::query(&[
                        ("unit", &unit.code),
                        ("as_of", &format::date(to)),
                        ("from", &format::date(from)),
                        ("to", &format::date(to)),
                    ])
                ),
            )
        })
        .collect();
    let rows = sessions
        .iter()
        .map(|s| SessionRow {
            link: format!("/study/{}", url(&s.code)),
            code: s.code.clone(),
            dates: dates(s.from, s.to),
            kind: s.kind.label_vi(),
            title: s.title.clone(),
            organizer: if s.organizer_body.is_empty() {
                s.unit_name.clone()
            } else {
                format!("{} ({})", s.unit_name, s.organizer_body)
            },
            attendances: format::int(s.attendances()),
        })
        .collect();
    let failed = returned.is_some();
    let (form, errors) = returned.unwrap_or_else(|| {
        (
            SessionForm {
                unit: unit.code.clone(),
                ..SessionForm::default()
            },
            FieldErrors::default(),
        )
    });
    let page = SessionsPage {
        c: Chrome::new(
            identity,
            lang,
            t.study_title,
            "study",
            &format!(
                "/study{}",
                format::query(&[("unit", &q.unit), ("from", &q.from), ("to", &q.to)])
            ),
        ),
        unit_name: identity.access.unit_name_on(&unit, to).await?,
        period: format!("{} – {}", format::date(from), format::date(to)),
        figures,
        rows,
        writes: identity.access.study_writer().is_ok(),
        kinds: vocabulary_choices(
            &form.kind,
            StudyKind::ALL,
            StudyKind::code,
            StudyKind::label_vi,
        ),
        fields: vec![
            ("code", t.study_code, form.code.clone()),
            ("unit", t.study_organizer, form.unit.clone()),
            ("organizer_body", t.study_body, form.organizer_body.clone()),
            ("title", t.study_name, form.title.clone()),
            ("from", t.study_from, form.from.clone()),
            ("to", t.study_to, form.to.clone()),
            ("place", t.study_place, form.place.clone()),
        ],
        form,
        errors,
        q,
    };
    render_form(&page, failed)
}

/// A unit's sessions in a period.
pub async fn list(
    Ui(identity, lang): Ui,
    Query(q): Query<SessionsQuery>,
) -> Result<Response, AppError> {
    sessions_view(&identity, lang, q, None).await
}

/// The documents typed one per line, "number | title".
fn document_refs(text: &str) -> Vec<DocumentRef> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|line| match line.split_once('|') {
            Some((number, title)) => DocumentRef {
                number: number.trim().to_string(),
                title: title.trim().to_string(),
            },
            None => DocumentRef {
                number: line.to_string(),
                title: String::new(),
            },
        })
        .collect()
}

/// Records a session, then shows it.
pub async fn create(
    Ui(identity, lang): Ui,
    Form(form): Form<SessionForm>,
) -> Result<Response, AppError> {
    let writer = identity.access.study_writer()?;
    let mut problems: Problems = Vec::new();
    let from = required_date("from", &form.from, &mut problems);
    let to = date_field("to", &form.to, &mut problems);
    let input = SessionInput {
        code: form.code.clone(),
        unit: form.unit.clone(),
        organizer_body: form.organizer_body.clone(),
        kind: form.kind.clone(),
        title: form.title.clone(),
        from,
        to,
        place: form.place.clone(),
        online: !form.online.is_empty(),
        documents: document_refs(&form.documents),
        units: form
            .units
            .split(['\n', ',', ';'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect(),
    };
    let result = if problems.is_empty() {
        writer.record(&input).await
    } else {
        Err(StoreError::Fields(Vec::new()))
    };
    match result {
        Ok(session) => {
            Ok(Redirect::to(&format!("/study/{}?ok=created", url(&session.code))).into_response())
        }
        Err(StoreError::Fields(more)) => {
            let q = SessionsQuery {
                unit: form.unit.clone(),
                ..SessionsQuery::default()
            };
            let problems = crate::params::merged(problems, more);
            sessions_view(&identity, lang, q, Some((form, FieldErrors(problems)))).await
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(Deserialize, Default, Clone)]
pub struct CountsForm {
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub attended: String,
    #[serde(default)]
    pub expected: String,
    #[serde(default)]
    pub non_members: String,
}

pub struct UnitRow {
    pub unit: String,
    pub mode: &'static str,
    pub expected: String,
    pub attended: String,
    pub absent: String,
    pub non_members: String,
}

/// A member on the sheet: code, name, unit, the attendance chosen and the reason.
pub struct SheetRow {
    pub code: String,
    pub name: String,
    pub unit: String,
    pub options: Vec<Choice>,
    pub reason: String,
}

#[derive(Template)]
#[template(path = "study_session.html")]
struct SessionPage {
    c: Chrome,
    code: String,
    title: String,
    facts: Vec<(&'static str, String)>,
    /// (number, title, members who studied it of all, drill-down link).
    documents: Vec<(String, String, String, String)>,
    notice: &'static str,
    units: Vec<UnitRow>,
    sheet: Vec<SheetRow>,
    sheet_too_long: bool,
    writes: bool,
    count_units: Vec<Choice>,
    count_fields: Vec<(&'static str, &'static str, String)>,
    errors: FieldErrors,
    /// Rows of a refused sheet: (row, column, value, message).
    row_errors: Vec<(usize, String, String, String)>,
}

enum Returned {
    Counts(CountsForm, FieldErrors),
    Rows(Vec<(usize, String, String, String)>),
}

async fn session_view(
    identity: &Identity,
    lang: crate::i18n::Lang,
    code: &str,
    notice: bool,
    returned: Option<Returned>,
) -> Result<Response, AppError> {
    let t = lang.texts();
    let view = identity
        .access
        .study_session(code)
        .await?
        .ok_or(AppError::NotFound)?;
    let session = &view.session;
    let roster = identity
        .access
        .study_roster(code, SHEET_ROWS + 1)
        .await?
        .unwrap_or_default();
    let sheet_too_long = roster.len() > usize::try_from(SHEET_ROWS).unwrap_or(usize::MAX);
    let sheet = roster
        .iter()
        .take(usize::try_from(SHEET_ROWS).unwrap_or(0))
        .map(|r| SheetRow {
            code: r.member_code.clone(),
            name: r.full_name.clone(),
            unit: r.unit_code.clone(),
            options: {
                let mut list = vec![(String::new(), t.not_marked.to_string())];
                list.extend(
                    Attendance::ALL
                        .iter()
                        .map(|a| (a.code().to_string(), a.label_vi().to_string())),
                );
                choices(r.attendance.map_or("", |a| a.code()), list)
            },
            reason: r.reason.clone(),
        })
        .collect();
    let failed = returned.is_some();
    let (counts, errors, row_errors) = match returned {
        Some(Returned::Counts(form, errors)) => (form, errors, Vec::new()),
        Some(Returned::Rows(rows)) => (CountsForm::default(), FieldErrors::default(), rows),
        None => (CountsForm::default(), FieldErrors::default(), Vec::new()),
    };
    let units_in_scope: Vec<(String, String)> = session
        .units
        .iter()
        .map(|u| (u.unit_code.clone(), u.unit_name.clone()))
        .collect();
    // For a programme's document: the members of the organizer's subtree who studied it in the
    // session's year, of all its members, with the drill-down.
    let year = chrono::Datelike::year(&session.from);
    let window = Window {
        as_of: chrono::NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(session.to),
        from: chrono::NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(session.from),
        to: chrono::NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(session.to),
    };
    let mut documents = Vec::new();
    for d in &session.documents {
        let studied = match d.document_id {
            Some(id) => {
                let keys = [format!("study.document.{id}"), "members.total".to_string()];
                let definitions = identity.access.figures_named(&keys).await?;
                let values = identity
                    .access
                    .figures(&session.unit_code, &definitions, &window, false)
                    .await?
                    .map(|(_, values)| values)
                    .unwrap_or_default();
                let count = |i: usize| values.get(i).and_then(|v| v.value.as_count()).unwrap_or(0);
                let link = format!(
                    "/figures/{}{}",
                    url(&keys[0]),
                    format::query(&[
                        ("unit", &session.unit_code),
                        ("as_of", &format::date(window.as_of)),
                        ("from", &format::date(window.from)),
                        ("to", &format::date(window.to)),
                    ])
                );
                Some((
                    dangbo_domain::figures::Ratio {
                        numerator: count(0),
                        denominator: count(1),
                    }
                    .display(),
                    link,
                ))
            }
            None => None,
        };
        let (share, link) = studied.unwrap_or_default();
        documents.push((d.number.clone(), d.title.clone(), share, link));
    }
    let page = SessionPage {
        c: Chrome::new(
            identity,
            lang,
            session.title.clone(),
            "study",
            &format!("/study/{}", url(&session.code)),
        ),
        code: session.code.clone(),
        title: session.title.clone(),
        facts: vec![
            (t.study_kind, session.kind.label_vi().to_string()),
            (
                t.study_organizer,
                if session.organizer_body.is_empty() {
                    session.unit_name.clone()
                } else {
                    format!("{} ({})", session.unit_name, session.organizer_body)
                },
            ),
            (t.cadres_on, dates(session.from, session.to)),
            (
                t.study_place,
                if session.online {
                    format!("{} ({})", session.place, t.study_online)
                } else {
                    session.place.clone()
                },
            ),
            (t.attendances_word, format::int(session.attendances())),
        ],
        documents,
        notice: if notice { t.case_saved } else { "" },
        units: session
            .units
            .iter()
            .map(|u| UnitRow {
                unit: u.unit_name.clone(),
                mode: if u.by_count {
                    t.by_count_word
                } else {
                    t.by_sheet_word
                },
                expected: u.expected.map(format::int).unwrap_or_default(),
                attended: format::int(u.attended),
                absent: if u.by_count {
                    String::new()
                } else {
                    format::int(u.absent)
                },
                non_members: format::int(u.non_members),
            })
            .collect(),
        sheet,
        sheet_too_long,
        writes: identity.access.study_writer().is_ok(),
        count_units: choices(&counts.unit, units_in_scope),
        count_fields: vec![
            ("attended", t.attendances_word, counts.attended.clone()),
            ("expected", t.expected_word, counts.expected.clone()),
            (
                "non_members",
                t.non_members_word,
                counts.non_members.clone(),
            ),
        ],
        errors,
        row_errors,
    };
    render_form(&page, failed)
}

#[derive(Deserialize, Default)]
pub struct OkQuery {
    #[serde(default)]
    pub ok: String,
}

/// A session with its units and attendance.
pub async fn page(
    Ui(identity, lang): Ui,
    Path(code): Path<String>,
    Query(q): Query<OkQuery>,
) -> Result<Response, AppError> {
    session_view(&identity, lang, &code, !q.ok.is_empty(), None).await
}

fn whole(field: &str, text: &str, problems: &mut Problems) -> Option<i64> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    match text.replace('.', "").parse::<i64>() {
        Ok(n) if n >= 0 => Some(n),
        _ => {
            problems.push((
                field.to_string(),
                format!("«{text}» không phải số nguyên không âm"),
            ));
            None
        }
    }
}

/// Records a participating unit's counts, then shows the session.
pub async fn record_counts(
    Ui(identity, lang): Ui,
    Path(code): Path<String>,
    Form(form): Form<CountsForm>,
) -> Result<Response, AppError> {
    let writer = identity.access.study_writer()?;
    identity
        .access
        .study_session(&code)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut problems: Problems = Vec::new();
    let attended = whole("attended", &form.attended, &mut problems);
    let expected = whole("expected", &form.expected, &mut problems);
    let non_members = whole("non_members", &form.non_members, &mut problems).unwrap_or(0);
    let result = if problems.is_empty() {
        writer
            .record_counts(
                &code,
                &CountsInput {
                    unit: form.unit.clone(),
                    attended,
                    expected,
                    non_members,
                },
            )
            .await
            .map(|_| ())
    } else {
        Err(StoreError::Fields(Vec::new()))
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/study/{}?ok=saved", url(&code))).into_response()),
        Err(StoreError::Fields(more)) => {
            let problems = crate::params::merged(problems, more);
            session_view(
                &identity,
                lang,
                &code,
                false,
                Some(Returned::Counts(form, FieldErrors(problems))),
            )
            .await
        }
        Err(other) => Err(other.into()),
    }
}

fn row_problems(rows: Vec<dangbo_store::access::RowError>) -> Returned {
    Returned::Rows(
        rows.into_iter()
            .map(|r| (r.row, r.column, r.value, r.message))
            .collect(),
    )
}

/// Records the sheet as marked on the page (`a:<member>` the attendance, `r:<member>` the
/// reason; members left unmarked are not written), then shows the session.
pub async fn record_sheet(
    Ui(identity, lang): Ui,
    Path(code): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let writer = identity.access.study_writer()?;
    identity
        .access
        .study_session(&code)
        .await?
        .ok_or(AppError::NotFound)?;
    let reason_of = |member: &str| {
        pairs
            .iter()
            .find(|(k, _)| k.strip_prefix("r:") == Some(member))
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let rows: Vec<MarkInput> = pairs
        .iter()
        .filter_map(|(k, v)| {
            let member = k.strip_prefix("a:")?;
            (!v.is_empty()).then(|| MarkInput {
                member: member.to_string(),
                attendance: v.clone(),
                reason: reason_of(member),
            })
        })
        .collect();
    match writer.mark(&code, &rows, 1).await {
        Ok(_) => Ok(Redirect::to(&format!("/study/{}?ok=saved", url(&code))).into_response()),
        Err(StoreError::Import(rows)) => {
            session_view(&identity, lang, &code, false, Some(row_problems(rows))).await
        }
        Err(other) => Err(other.into()),
    }
}

/// Imports a sheet file (XLSX or CSV) for the session, all or nothing.
pub async fn import_sheet(
    Ui(identity, lang): Ui,
    Path(code): Path<String>,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let writer = identity.access.study_writer()?;
    // Out of scope reads as absent, before anything of the upload is read.
    identity
        .access
        .study_session(&code)
        .await?
        .ok_or(AppError::NotFound)?;
    let upload = crate::upload::read_attachment(&mut multipart).await?;
    let Some((name, bytes)) = upload else {
        return session_view(
            &identity,
            lang,
            &code,
            false,
            Some(Returned::Rows(vec![(
                0,
                "file".into(),
                String::new(),
                "chưa chọn tệp".into(),
            )])),
        )
        .await;
    };
    let result = match crate::upload::read_upload(&name, bytes).await {
        Ok(table) => writer.import_sheet(&code, &table).await.map(|_| ()),
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/study/{}?ok=saved", url(&code))).into_response()),
        Err(StoreError::Import(rows)) => {
            session_view(&identity, lang, &code, false, Some(row_problems(rows))).await
        }
        Err(StoreError::File(message)) => {
            session_view(
                &identity,
                lang,
                &code,
                false,
                Some(Returned::Rows(vec![(0, "file".into(), name, message)])),
            )
            .await
        }
        Err(other) => Err(other.into()),
    }
}
