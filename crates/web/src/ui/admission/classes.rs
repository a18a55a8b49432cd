//! Awareness classes: a unit's classes in a period with a form to add one, and a class's page
//! with its trainees and a form to add a trainee (a candidate's file code, or a name).

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query};
use axum::response::{IntoResponse, Redirect, Response};
use dangbo_domain::admission::ClassResult;
use dangbo_store::StoreError;
use dangbo_store::access::{NewClass, NewTrainee};
use serde::Deserialize;

use super::super::{Choice, Chrome, FieldErrors, vocabulary_choices};
use crate::AppError;
use crate::error::render_form;
use crate::format::{self, url};
use crate::params::{Problems, WindowQuery, date_field, merged, required_date};
use crate::session::{Identity, Ui};

#[derive(Deserialize, Default, Clone)]
pub struct ClassForm {
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub organizer: String,
    #[serde(default)]
    pub starts_on: String,
    #[serde(default)]
    pub ends_on: String,
    #[serde(default)]
    pub place: String,
}

pub struct ClassRow {
    pub link: String,
    pub name: String,
    pub unit: String,
    pub organizer: String,
    pub dates: String,
    pub place: String,
    pub trainees: String,
    pub passed: String,
}

#[derive(Template)]
#[template(path = "classes.html")]
struct ClassesPage {
    c: Chrome,
    q: WindowQuery,
    unit_name: String,
    period: String,
    rows: Vec<ClassRow>,
    writes: bool,
    /// The form's text fields: (name, label, value).
    fields: Vec<(&'static str, &'static str, String)>,
    form: ClassForm,
    errors: FieldErrors,
}

async fn classes_view(
    identity: &Identity,
    lang: crate::i18n::Lang,
    q: WindowQuery,
    returned: Option<(ClassForm, FieldErrors)>,
) -> Result<Response, AppError> {
    let t = lang.texts();
    let window = q.window().map_err(AppError::fields)?;
    let (unit, list) = identity
        .access
        .awareness_classes(&q.unit, window.from, window.to)
        .await?
        .ok_or(AppError::NotFound)?;
    let codes = list.iter().map(|c| c.unit_code.as_str()).collect();
    let names = super::super::unit_names_on(&identity.access, codes, window.to).await?;
    let rows = list
        .into_iter()
        .map(|c| ClassRow {
            link: format!("/classes/{}", c.id),
            unit: names.get(&c.unit_code).cloned().unwrap_or(c.unit_code),
            name: c.name,
            organizer: c.organizer,
            dates: format!(
                "{} – {}",
                format::date(c.starts_on),
                format::date(c.ends_on)
            ),
            place: c.place,
            trainees: format::int(c.trainees),
            passed: format::int(c.passed),
        })
        .collect();
    let failed = returned.is_some();
    let (form, errors) = returned.unwrap_or_else(|| {
        (
            ClassForm {
                unit: q.unit.clone(),
                ..ClassForm::default()
            },
            FieldErrors::default(),
        )
    });
    let page = ClassesPage {
        c: Chrome::new(
            identity,
            lang,
            t.classes_title,
            "candidates",
            &format!("/classes{}", q.link()),
        ),
        unit_name: identity.access.unit_name_on(&unit, window.to).await?,
        period: format!(
            "{} – {}",
            format::date(window.from),
            format::date(window.to)
        ),
        rows,
        writes: identity.access.admission_writer().is_ok(),
        fields: vec![
            ("name", t.class_name, form.name.clone()),
            ("organizer", t.class_organizer, form.organizer.clone()),
            ("starts_on", t.class_starts, form.starts_on.clone()),
            ("ends_on", t.class_ends, form.ends_on.clone()),
            ("place", t.class_place, form.place.clone()),
        ],
        form,
        errors,
        q,
    };
    render_form(&page, failed)
}

/// A unit's classes that ended in the period.
pub async fn list(
    Ui(identity, lang): Ui,
    Query(q): Query<WindowQuery>,
) -> Result<Response, AppError> {
    classes_view(&identity, lang, q, None).await
}

/// Adds a class, then shows it.
pub async fn create(
    Ui(identity, lang): Ui,
    Form(form): Form<ClassForm>,
) -> Result<Response, AppError> {
    let writer = identity.access.admission_writer()?;
    let mut problems: Problems = Vec::new();
    let starts_on = required_date("starts_on", &form.starts_on, &mut problems);
    let ends_on = required_date("ends_on", &form.ends_on, &mut problems);
    let unit = super::super::unit_code_for(&identity.access, "unit", &form.unit).await;
    let input = NewClass {
        unit: unit.as_ref().cloned().unwrap_or_default(),
        name: form.name.clone(),
        organizer: form.organizer.clone(),
        starts_on,
        ends_on,
        place: form.place.clone(),
    };
    let result = match (unit, problems.is_empty()) {
        (Ok(_), true) => writer.add_class(&input).await,
        (Ok(_), false) => Err(StoreError::Fields(Vec::new())),
        (Err(e), _) => Err(e),
    };
    match result {
        Ok(id) => Ok(Redirect::to(&format!("/classes/{id}?ok=created")).into_response()),
        Err(StoreError::Fields(more)) => {
            let q = WindowQuery {
                unit: form.unit.clone(),
                ..WindowQuery::default()
            };
            let problems = merged(problems, more);
            classes_view(&identity, lang, q, Some((form, FieldErrors(problems)))).await
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(Deserialize, Default, Clone)]
pub struct TraineeForm {
    #[serde(default)]
    pub candidate: String,
    #[serde(default)]
    pub full_name: String,
    #[serde(default)]
    pub birth_date: String,
    #[serde(default)]
    pub result: String,
    #[serde(default)]
    pub certificate: String,
}

pub struct TraineeRow {
    pub code: String,
    pub link: String,
    pub name: String,
    pub birth_date: String,
    pub result: &'static str,
    pub certificate: String,
}

#[derive(Template)]
#[template(path = "class.html")]
struct ClassPage {
    c: Chrome,
    notice: &'static str,
    failed: bool,
    id: i64,
    name: String,
    unit: String,
    organizer: String,
    dates: String,
    place: String,
    rows: Vec<TraineeRow>,
    writes: bool,
    results: Vec<Choice>,
    /// The form's text fields: (name, label, value).
    fields: Vec<(&'static str, &'static str, String)>,
    errors: FieldErrors,
}

#[derive(Deserialize, Default)]
pub struct NoticeQuery {
    #[serde(default)]
    pub ok: String,
}

async fn class_view(
    identity: &Identity,
    lang: crate::i18n::Lang,
    id: &str,
    notice: &'static str,
    returned: Option<(TraineeForm, FieldErrors)>,
) -> Result<Response, AppError> {
    let t = lang.texts();
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let (class, trainees) = identity
        .access
        .awareness_class(id)
        .await?
        .ok_or(AppError::NotFound)?;
    let unit = super::super::unit_names_on(
        &identity.access,
        vec![class.unit_code.as_str()],
        class.ends_on,
    )
    .await?
    .remove(&class.unit_code)
    .unwrap_or_else(|| class.unit_code.clone());
    let failed = returned.is_some();
    let (form, errors) = returned.unwrap_or_default();
    let page = ClassPage {
        c: Chrome::new(
            identity,
            lang,
            class.name.clone(),
            "candidates",
            &format!("/classes/{id}"),
        ),
        notice,
        failed,
        id,
        name: class.name,
        unit,
        organizer: class.organizer,
        dates: format!(
            "{} – {}",
            format::date(class.starts_on),
            format::date(class.ends_on)
        ),
        place: class.place,
        rows: trainees
            .into_iter()
            .map(|t| TraineeRow {
                link: t
                    .candidate_code
                    .as_ref()
                    .map(|c| format!("/candidates/{}", url(c)))
                    .unwrap_or_default(),
                code: t.candidate_code.unwrap_or_default(),
                name: t.full_name,
                birth_date: format::opt_date(t.birth_date),
                result: t.result.label_vi(),
                certificate: t.certificate,
            })
            .collect(),
        writes: identity.access.admission_writer().is_ok(),
        results: vocabulary_choices(
            &form.result,
            ClassResult::ALL,
            ClassResult::code,
            ClassResult::label_vi,
        ),
        fields: vec![
            ("candidate", t.candidate_code, form.candidate.clone()),
            ("full_name", t.full_name, form.full_name.clone()),
            ("birth_date", t.birth_date, form.birth_date.clone()),
            ("certificate", t.certificate, form.certificate.clone()),
        ],
        errors,
    };
    render_form(&page, failed)
}

pub async fn page(
    Ui(identity, lang): Ui,
    Path(id): Path<String>,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, AppError> {
    let t = lang.texts();
    let notice = match q.ok.as_str() {
        "created" => t.class_created,
        "trainee" => t.trainee_added,
        _ => "",
    };
    class_view(&identity, lang, &id, notice, None).await
}

/// Adds a trainee, then shows the class again.
pub async fn add_trainee(
    Ui(identity, lang): Ui,
    Path(id): Path<String>,
    Form(form): Form<TraineeForm>,
) -> Result<Response, AppError> {
    let writer = identity.access.admission_writer()?;
    let class_id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    if !identity.access.sees_class(class_id).await? {
        return Err(AppError::NotFound);
    }
    let mut problems: Problems = Vec::new();
    let birth_date = date_field("birth_date", &form.birth_date, &mut problems);
    let input = NewTrainee {
        candidate: form.candidate.clone(),
        full_name: form.full_name.clone(),
        birth_date,
        result: form.result.clone(),
        certificate: form.certificate.clone(),
    };
    let result = if problems.is_empty() {
        writer.add_trainee(class_id, &input, format::today()).await
    } else {
        Err(StoreError::Fields(Vec::new()))
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/classes/{class_id}?ok=trainee")).into_response()),
        Err(StoreError::Fields(more)) => {
            let problems = merged(problems, more);
            let notice = lang.texts().fix_errors;
            class_view(
                &identity,
                lang,
                &id,
                notice,
                Some((form, FieldErrors(problems))),
            )
            .await
        }
        // A step of the candidate's file refused by a rule: said on the candidate's field.
        Err(StoreError::Invalid(refusal)) => {
            let problems = vec![("candidate".to_string(), refusal.message)];
            let notice = lang.texts().fix_errors;
            class_view(
                &identity,
                lang,
                &id,
                notice,
                Some((form, FieldErrors(problems))),
            )
            .await
        }
        Err(other) => Err(other.into()),
    }
}
