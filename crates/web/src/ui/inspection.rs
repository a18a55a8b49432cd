//! Inspection, supervision and discipline (confidential): a unit's cases in a period with the
//! counts and the complaints not settled, a form for a new case; a case's page with its steps,
//! subjects, conclusions, discipline and complaints, and a form for each next step. To those who
//! may not read cases the pages do not exist (404), as a record out of scope.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query};
use axum::response::{IntoResponse, Redirect, Response};
use dangbo_domain::inspection::{Body, CaseKind, ComplaintResult, Conclusion, Discipline};
use dangbo_store::StoreError;
use dangbo_store::access::{
    Case, CaseFilter, CaseInput, ComplaintInput, ConclusionInput, DecisionInput, SettlementInput,
    SubjectConclusion,
};
use serde::Deserialize;

use super::{Choice, Chrome, FieldErrors, choices, vocabulary_choices};
use crate::AppError;
use crate::error::render_form;
use crate::format::{self, url};
use crate::params::{Problems, WindowQuery, date_field};
use crate::session::{Identity, Ui};

/// The list's filters: a unit, a period (this year to today by default) and a kind.
#[derive(Deserialize, Default, Clone)]
pub struct CasesQuery {
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub kind: String,
}

#[derive(Deserialize, Default, Clone)]
pub struct CaseForm {
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub decision_number: String,
    #[serde(default)]
    pub decided_on: String,
    #[serde(default)]
    pub started_on: String,
    #[serde(default)]
    pub topic: String,
    /// One subject's code per line (or separated by commas).
    #[serde(default)]
    pub subjects: String,
    /// The programme item the case carries out (its id), if any.
    #[serde(default)]
    pub plan_item: String,
}

pub struct CaseRow {
    pub link: String,
    pub code: String,
    pub decided_on: String,
    pub kind: &'static str,
    pub unit: String,
    pub subjects: String,
    pub stage: &'static str,
}

pub struct ComplaintRow {
    pub link: String,
    pub case_code: String,
    pub subject: String,
    pub form: &'static str,
    pub received_on: String,
    pub deadline: String,
    pub overdue: bool,
}

#[derive(Template)]
#[template(path = "inspections.html")]
struct CasesPage {
    c: Chrome,
    q: CasesQuery,
    unit_name: String,
    period: String,
    kinds: Vec<Choice>,
    /// (label, value, drill-down link) of the period's counts.
    figures: Vec<(String, String, String)>,
    rows: Vec<CaseRow>,
    complaints: Vec<ComplaintRow>,
    writes: bool,
    form: CaseForm,
    form_kinds: Vec<Choice>,
    bodies: Vec<Choice>,
    /// The items of the year's programmes in the unit's subtree.
    plan_items: Vec<Choice>,
    /// The new case's text fields: (name, label, value).
    fields: Vec<(&'static str, &'static str, String)>,
    errors: FieldErrors,
}

/// The counts the list shows over its period.
const FIGURES: [&str; 8] = [
    "inspections.organizations",
    "inspections.members",
    "inspections.violation_signs.organizations",
    "inspections.violation_signs.members",
    "supervisions.organizations",
    "supervisions.members",
    "discipline.organizations",
    "discipline.members",
];

fn stage_words(case: &Case, t: &crate::i18n::Texts) -> &'static str {
    match case.stage() {
        "concluded" => t.stage_concluded,
        "started" => t.stage_started,
        _ => t.stage_decided,
    }
}

async fn cases_view(
    identity: &Identity,
    lang: crate::i18n::Lang,
    q: CasesQuery,
    returned: Option<(CaseForm, FieldErrors)>,
) -> Result<Response, AppError> {
    let t = lang.texts();
    let window = WindowQuery {
        unit: q.unit.clone(),
        as_of: String::new(),
        from: q.from.clone(),
        to: q.to.clone(),
    }
    .window()
    .map_err(AppError::fields)?;
    let kind = match q.kind.trim() {
        "" => None,
        text => Some(CaseKind::parse(text).ok_or_else(|| {
            AppError::fields(vec![(
                "kind".to_string(),
                format!(
                    "«{text}» không phải loại vụ việc; cần: {}",
                    CaseKind::expected_vi()
                ),
            )])
        })?),
    };
    let filter = CaseFilter {
        from: Some(window.from),
        to: Some(window.to),
        kind,
    };
    let (unit, cases) = identity
        .access
        .inspection_cases(&q.unit, &filter)
        .await?
        .ok_or(AppError::NotFound)?;
    let complaints = identity
        .access
        .open_complaints(&unit.code, window.to)
        .await?
        .unwrap_or_default();
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
                        ("as_of", &format::date(window.to)),
                        ("from", &format::date(window.from)),
                        ("to", &format::date(window.to)),
                    ])
                ),
            )
        })
        .collect();
    let rows = cases
        .iter()
        .map(|case| CaseRow {
            link: format!("/inspections/{}", url(&case.code)),
            code: case.code.clone(),
            decided_on: format::date(case.decided_on),
            kind: case.kind.label_vi(),
            unit: case.unit_name.clone(),
            subjects: case
                .subjects
                .iter()
                .map(|s| s.name().to_string())
                .collect::<Vec<_>>()
                .join(", "),
            stage: stage_words(case, t),
        })
        .collect();
    let complaints = complaints
        .into_iter()
        .map(|(c, d)| ComplaintRow {
            link: format!("/inspections/{}", url(&d.case_code)),
            case_code: d.case_code.clone(),
            subject: d.member_name.clone().unwrap_or(d.unit_name.clone()),
            form: d.form.label_vi(),
            received_on: format::date(c.received_on),
            deadline: format::date(c.deadline),
            overdue: c.overdue_on(window.to),
        })
        .collect();
    let failed = returned.is_some();
    let (form, errors) = returned.unwrap_or_else(|| {
        (
            CaseForm {
                unit: unit.code.clone(),
                ..CaseForm::default()
            },
            FieldErrors::default(),
        )
    });
    let plan_items = identity
        .access
        .inspection_plan(&unit.code, chrono::Datelike::year(&window.to))
        .await?
        .map(|(_, items)| items)
        .unwrap_or_default()
        .into_iter()
        .map(|i| {
            (
                i.id.to_string(),
                format!(
                    "{}: {} ({})",
                    i.kind.label_vi(),
                    i.subject_name,
                    format::date(i.planned_from)
                ),
            )
        })
        .collect::<Vec<_>>()
        .pipe_choices(&form.plan_item);
    let page = CasesPage {
        c: Chrome::new(
            identity,
            lang,
            t.inspections_title,
            "inspections",
            &format!(
                "/inspections{}",
                format::query(&[
                    ("unit", &q.unit),
                    ("from", &q.from),
                    ("to", &q.to),
                    ("kind", &q.kind)
                ])
            ),
        ),
        unit_name: identity.access.unit_name_on(&unit, window.to).await?,
        period: format!(
            "{} – {}",
            format::date(window.from),
            format::date(window.to)
        ),
        kinds: {
            let mut list = vec![(String::new(), t.all_kinds.to_string())];
            list.extend(
                CaseKind::ALL
                    .iter()
                    .map(|k| (k.code().to_string(), k.label_vi().to_string())),
            );
            choices(&q.kind, list)
        },
        figures,
        rows,
        complaints,
        writes: identity.access.inspection_writer().is_ok(),
        form_kinds: vocabulary_choices(
            &form.kind,
            CaseKind::ALL,
            CaseKind::code,
            CaseKind::label_vi,
        ),
        bodies: vocabulary_choices(&form.body, Body::ALL, Body::code, Body::label_vi),
        plan_items,
        fields: vec![
            ("code", t.case_code, form.code.clone()),
            (
                "decision_number",
                t.case_decision_number,
                form.decision_number.clone(),
            ),
            ("decided_on", t.case_decided_on, form.decided_on.clone()),
            ("started_on", t.case_started_on, form.started_on.clone()),
            ("topic", t.case_topic, form.topic.clone()),
        ],
        form,
        errors,
        q,
    };
    render_form(&page, failed)
}

/// A unit's cases decided in the period, with the counts and the complaints not settled.
pub async fn list(
    Ui(identity, lang): Ui,
    Query(q): Query<CasesQuery>,
) -> Result<Response, AppError> {
    cases_view(&identity, lang, q, None).await
}

/// The subjects' codes typed one per line (or with commas).
fn subject_codes(text: &str) -> Vec<String> {
    text.split(['\n', ',', ';'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// Records a new case, then shows it.
pub async fn create(
    Ui(identity, lang): Ui,
    Form(form): Form<CaseForm>,
) -> Result<Response, AppError> {
    let writer = identity.access.inspection_writer()?;
    let mut problems: Problems = Vec::new();
    let decided_on = date_field("decided_on", &form.decided_on, &mut problems);
    let started_on = date_field("started_on", &form.started_on, &mut problems);
    let plan_item = match form.plan_item.trim() {
        "" => None,
        text => match text.parse::<i64>() {
            Ok(id) => Some(id),
            Err(_) => {
                problems.push((
                    "plan_item".into(),
                    "cần chọn một mục trong danh sách".into(),
                ));
                None
            }
        },
    };
    let input = CaseInput {
        code: form.code.clone(),
        kind: form.kind.clone(),
        unit: form.unit.clone(),
        body: form.body.clone(),
        decision_number: form.decision_number.clone(),
        decided_on,
        started_on,
        topic: form.topic.clone(),
        plan_item,
        subjects: subject_codes(&form.subjects),
    };
    let result = if problems.is_empty() {
        writer.record_case(&input).await
    } else {
        Err(StoreError::Fields(Vec::new()))
    };
    match result {
        Ok(case) => Ok(
            Redirect::to(&format!("/inspections/{}?ok=created", url(&case.code))).into_response(),
        ),
        Err(StoreError::Fields(more)) => {
            let q = CasesQuery {
                unit: form.unit.clone(),
                ..CasesQuery::default()
            };
            let problems = crate::params::merged(problems, more);
            cases_view(&identity, lang, q, Some((form, FieldErrors(problems)))).await
        }
        Err(other) => Err(other.into()),
    }
}

/// One subject on the case's page.
pub struct SubjectView {
    pub link: String,
    pub name: String,
    pub kind: &'static str,
    pub unit: String,
    pub conclusion: &'static str,
    pub note: String,
    pub decisions: Vec<DecisionView>,
}

pub struct DecisionView {
    pub form: &'static str,
    pub decided: String,
    pub violation_on: String,
    pub reason: String,
    pub lapses_on: String,
    pub annulled_on: String,
    pub complaints: Vec<ComplaintView>,
}

pub struct ComplaintView {
    pub received_on: String,
    pub settling: String,
    pub deadline: String,
    pub overdue: bool,
    pub settled: String,
    pub note: String,
}

#[derive(Template)]
#[template(path = "inspection_case.html")]
struct CasePage {
    c: Chrome,
    notice: String,
    failed: bool,
    code: String,
    path: String,
    kind: &'static str,
    body: &'static str,
    unit: String,
    decision_number: String,
    decided_on: String,
    started_on: String,
    concluded_on: String,
    topic: String,
    stage: &'static str,
    subjects: Vec<SubjectView>,
    /// The case's documents: (link, name, size in words).
    files: Vec<(String, String, String)>,
    writes: bool,
    /// Per subject: (key, name, choices of conclusions).
    conclusions: Vec<(String, String, Vec<Choice>)>,
    to_discipline: Vec<Choice>,
    forms: Vec<Choice>,
    bodies: Vec<Choice>,
    /// (id, words) of the decisions standing, for a complaint.
    decisions: Vec<Choice>,
    /// Complaints not settled, for a settlement.
    open: Vec<Choice>,
    results: Vec<Choice>,
    new_forms: Vec<Choice>,
    /// Values kept after a refused form, by `form.field`.
    kept: FieldErrors,
    errors: FieldErrors,
}

#[derive(Deserialize, Default)]
pub struct NoticeQuery {
    #[serde(default)]
    pub ok: String,
}

async fn case_view(
    identity: &Identity,
    lang: crate::i18n::Lang,
    code: &str,
    notice: String,
    returned: Option<(Problems, Problems)>,
) -> Result<Response, AppError> {
    let t = lang.texts();
    let case = identity
        .access
        .inspection_case(code)
        .await?
        .ok_or(AppError::NotFound)?;
    let today = format::today();
    let subjects: Vec<SubjectView> = case
        .subjects
        .iter()
        .map(|s| SubjectView {
            link: match &s.member_code {
                Some(m) => format!("/members/{}", url(m)),
                None => format!("/units/{}", url(&s.unit_code)),
            },
            name: s.name().to_string(),
            kind: s.subject_kind.label_vi(),
            unit: s.unit_name.clone(),
            conclusion: s.conclusion.map_or(t.not_concluded, |c| c.label_vi()),
            note: s.conclusion_note.clone(),
            decisions: s
                .decisions
                .iter()
                .map(|d| DecisionView {
                    form: d.form.label_vi(),
                    decided: format!(
                        "{} {}, số {}, ngày {}",
                        d.body.label_vi(),
                        d.decided_by_name,
                        d.decision_number,
                        format::date(d.decided_on)
                    ),
                    violation_on: format::date(d.violation_on),
                    reason: d.reason.clone(),
                    lapses_on: format::opt_date(d.lapses_on),
                    annulled_on: format::opt_date(d.annulled_on),
                    complaints: d
                        .complaints
                        .iter()
                        .map(|k| ComplaintView {
                            received_on: format::date(k.received_on),
                            settling: k.settling_name.clone(),
                            deadline: format::date(k.deadline),
                            overdue: k.overdue_on(today),
                            settled: match (k.settled_on, k.result) {
                                (Some(on), Some(r)) => {
                                    let form = k
                                        .new_form
                                        .map(|f| format!(" ({})", f.label_vi()))
                                        .unwrap_or_default();
                                    format!("{}{form}, {}", r.label_vi(), format::date(on))
                                }
                                _ => String::new(),
                            },
                            note: k.note.clone(),
                        })
                        .collect(),
                })
                .collect(),
        })
        .collect();
    let failed = returned.is_some();
    let (errors, kept) = returned.unwrap_or_default();
    let kept = FieldErrors(kept);
    let decisions: Vec<Choice> = case
        .subjects
        .iter()
        .flat_map(|s| {
            s.decisions
                .iter()
                .filter(|d| d.annulled_on.is_none())
                .map(move |d| {
                    (
                        d.id.to_string(),
                        format!(
                            "{}: {} ({})",
                            s.name(),
                            d.form.label_vi(),
                            format::date(d.decided_on)
                        ),
                    )
                })
        })
        .collect::<Vec<_>>()
        .pipe_choices(kept.get("complaint.decision_id"));
    let open: Vec<Choice> = case
        .subjects
        .iter()
        .flat_map(|s| {
            s.decisions.iter().flat_map(move |d| {
                d.complaints
                    .iter()
                    .filter(|k| k.settled_on.is_none())
                    .map(move |k| {
                        (
                            k.id.to_string(),
                            format!(
                                "{}: {} (nhận {})",
                                s.name(),
                                d.form.label_vi(),
                                format::date(k.received_on)
                            ),
                        )
                    })
            })
        })
        .collect::<Vec<_>>()
        .pipe_choices(kept.get("settle.complaint_id"));
    let to_discipline = case
        .subjects
        .iter()
        .filter(|s| {
            s.conclusion == Some(Conclusion::ToBeDisciplined)
                && s.decisions.iter().all(|d| d.annulled_on.is_some())
        })
        .map(|s| (s.key().to_string(), s.name().to_string()))
        .collect::<Vec<_>>()
        .pipe_choices(kept.get("decide.subject"));
    let page = CasePage {
        c: Chrome::new(
            identity,
            lang,
            format!("{} {}", t.case_code, case.code),
            "inspections",
            &format!("/inspections/{}", url(&case.code)),
        ),
        notice,
        failed,
        path: format!("/inspections/{}", url(&case.code)),
        code: case.code.clone(),
        kind: case.kind.label_vi(),
        body: case.body.label_vi(),
        unit: case.unit_name.clone(),
        decision_number: case.decision_number.clone(),
        decided_on: format::date(case.decided_on),
        started_on: format::opt_date(case.started_on),
        concluded_on: format::opt_date(case.concluded_on),
        topic: case.topic.clone(),
        stage: stage_words(&case, t),
        files: case
            .files
            .iter()
            .map(|f| {
                (
                    format!("/inspections/{}/files/{}", url(&case.code), f.id),
                    f.name.clone(),
                    format!("{} kB", format::int((f.size + 1023) / 1024)),
                )
            })
            .collect(),
        conclusions: case
            .subjects
            .iter()
            .map(|s| {
                let field = format!("conclude.{}", s.key());
                let current = if kept.get(&field).is_empty() {
                    s.conclusion.map_or("", |c| c.code())
                } else {
                    kept.get(&field)
                };
                (
                    s.key().to_string(),
                    s.name().to_string(),
                    vocabulary_choices(
                        current,
                        Conclusion::ALL,
                        Conclusion::code,
                        Conclusion::label_vi,
                    ),
                )
            })
            .collect(),
        subjects,
        writes: identity.access.inspection_writer().is_ok(),
        to_discipline,
        forms: vocabulary_choices(
            kept.get("decide.form"),
            Discipline::ALL,
            Discipline::code,
            Discipline::label_vi,
        ),
        bodies: vocabulary_choices(
            kept.get("decide.body"),
            Body::ALL,
            Body::code,
            Body::label_vi,
        ),
        decisions,
        open,
        results: vocabulary_choices(
            kept.get("settle.result"),
            ComplaintResult::ALL,
            ComplaintResult::code,
            ComplaintResult::label_vi,
        ),
        new_forms: vocabulary_choices(
            kept.get("settle.new_form"),
            Discipline::ALL,
            Discipline::code,
            Discipline::label_vi,
        ),
        kept,
        errors: FieldErrors(errors),
    };
    render_form(&page, failed)
}

/// Options of a select from (value, words), with an empty first one.
trait PipeChoices {
    fn pipe_choices(self, current: &str) -> Vec<Choice>;
}

impl PipeChoices for Vec<(String, String)> {
    fn pipe_choices(self, current: &str) -> Vec<Choice> {
        let mut options = vec![(String::new(), "—".to_string())];
        options.extend(self);
        choices(current, options)
    }
}

/// A case's page.
pub async fn page(
    Ui(identity, lang): Ui,
    Path(code): Path<String>,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, AppError> {
    let t = lang.texts();
    let notice = match q.ok.as_str() {
        "created" => t.case_created,
        "saved" => t.case_saved,
        _ => "",
    };
    case_view(&identity, lang, &code, notice.to_string(), None).await
}

/// A step's form, as pairs (the conclusion's form has a field per subject).
type Pairs = Vec<(String, String)>;

fn value<'a>(pairs: &'a Pairs, name: &str) -> &'a str {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.as_str())
}

/// What a step's save leads to: the case again with a notice, or with the problems on the
/// step's form (`form.field`) and its values kept.
async fn after_step(
    identity: &Identity,
    lang: crate::i18n::Lang,
    code: &str,
    step: &str,
    pairs: &Pairs,
    problems: Problems,
    result: Result<(), StoreError>,
) -> Result<Response, AppError> {
    let result = match (result, problems.is_empty()) {
        (Ok(()), true) => {
            return Ok(
                Redirect::to(&format!("/inspections/{}?ok=saved", url(code))).into_response(),
            );
        }
        (Ok(()), false) => Err(StoreError::Fields(Vec::new())),
        (Err(e), _) => Err(e),
    };
    let kept: Problems = pairs
        .iter()
        .map(|(k, v)| (format!("{step}.{k}"), v.clone()))
        .collect();
    let t = lang.texts();
    match result {
        Err(StoreError::Fields(more)) => {
            let errors = crate::params::merged(problems, more)
                .into_iter()
                .map(|(f, m)| (format!("{step}.{f}"), m))
                .collect();
            case_view(
                identity,
                lang,
                code,
                t.fix_errors.to_string(),
                Some((errors, kept)),
            )
            .await
        }
        Err(StoreError::Invalid(refusal)) => {
            case_view(
                identity,
                lang,
                code,
                refusal.message,
                Some((Vec::new(), kept)),
            )
            .await
        }
        Err(other) => Err(other.into()),
        Ok(()) => Err(AppError::NotFound),
    }
}

/// Records the start of the case.
pub async fn start(
    Ui(identity, lang): Ui,
    Path(code): Path<String>,
    Form(pairs): Form<Pairs>,
) -> Result<Response, AppError> {
    let writer = identity.access.inspection_writer()?;
    let mut problems = Vec::new();
    let on = date_field("started_on", value(&pairs, "started_on"), &mut problems);
    let result = match on {
        Some(on) if problems.is_empty() => writer.start(&code, on).await.map(|_| ()),
        None if problems.is_empty() => Err(StoreError::Fields(vec![(
            "started_on".into(),
            "cần ngày dạng dd/mm/yyyy".into(),
        )])),
        _ => Ok(()),
    };
    after_step(&identity, lang, &code, "start", &pairs, problems, result).await
}

/// Records the conclusion: its date and each subject's conclusion (`conclusion.<key>`,
/// `note.<key>`).
pub async fn conclude(
    Ui(identity, lang): Ui,
    Path(code): Path<String>,
    Form(pairs): Form<Pairs>,
) -> Result<Response, AppError> {
    let writer = identity.access.inspection_writer()?;
    let mut problems = Vec::new();
    let concluded_on = date_field("concluded_on", value(&pairs, "concluded_on"), &mut problems);
    let subjects = pairs
        .iter()
        .filter_map(|(k, v)| {
            k.strip_prefix("conclusion.").map(|key| SubjectConclusion {
                subject: key.to_string(),
                conclusion: v.clone(),
                note: value(&pairs, &format!("note.{key}")).to_string(),
            })
        })
        .collect();
    let input = ConclusionInput {
        concluded_on,
        subjects,
    };
    let result = if problems.is_empty() {
        writer.conclude(&code, &input).await.map(|_| ())
    } else {
        Ok(())
    };
    // The per-subject selects keep their values under `conclude.<key>`.
    let pairs: Pairs = pairs
        .into_iter()
        .map(|(k, v)| (k.strip_prefix("conclusion.").unwrap_or(&k).to_string(), v))
        .collect();
    after_step(&identity, lang, &code, "conclude", &pairs, problems, result).await
}

/// Records a discipline decision on one of the case's subjects.
pub async fn decide(
    Ui(identity, lang): Ui,
    Path(code): Path<String>,
    Form(pairs): Form<Pairs>,
) -> Result<Response, AppError> {
    let writer = identity.access.inspection_writer()?;
    let mut problems = Vec::new();
    let decided_on = date_field("decided_on", value(&pairs, "decided_on"), &mut problems);
    let violation_on = date_field("violation_on", value(&pairs, "violation_on"), &mut problems);
    let input = DecisionInput {
        case_code: code.clone(),
        subject: value(&pairs, "subject").to_string(),
        form: value(&pairs, "form").to_string(),
        decided_by: value(&pairs, "decided_by").to_string(),
        body: value(&pairs, "body").to_string(),
        decision_number: value(&pairs, "decision_number").to_string(),
        decided_on,
        violation_on,
        no_limit_kind: !value(&pairs, "no_limit_kind").is_empty(),
        reason: value(&pairs, "reason").to_string(),
        move_members_to: value(&pairs, "move_members_to").to_string(),
    };
    let result = if problems.is_empty() {
        writer.decide(&input).await.map(|_| ())
    } else {
        Ok(())
    };
    after_step(&identity, lang, &code, "decide", &pairs, problems, result).await
}

fn id_field(pairs: &Pairs, name: &str, problems: &mut Problems) -> i64 {
    match value(pairs, name).trim().parse::<i64>() {
        Ok(id) => id,
        Err(_) => {
            problems.push((
                name.to_string(),
                "cần chọn một mục trong danh sách".to_string(),
            ));
            0
        }
    }
}

/// Records a complaint against one of the case's decisions.
pub async fn complain(
    Ui(identity, lang): Ui,
    Path(code): Path<String>,
    Form(pairs): Form<Pairs>,
) -> Result<Response, AppError> {
    let writer = identity.access.inspection_writer()?;
    let mut problems = Vec::new();
    let decision_id = id_field(&pairs, "decision_id", &mut problems);
    let received_on = date_field("received_on", value(&pairs, "received_on"), &mut problems);
    let result = if problems.is_empty() {
        identity
            .access
            .require_case(&code, |case| case.has_decision(decision_id))
            .await?;
        writer
            .complain(&ComplaintInput {
                decision_id,
                received_on,
                settling_unit: value(&pairs, "settling_unit").to_string(),
                note: value(&pairs, "note").to_string(),
            })
            .await
            .map(|_| ())
    } else {
        Ok(())
    };
    after_step(
        &identity,
        lang,
        &code,
        "complaint",
        &pairs,
        problems,
        result,
    )
    .await
}

/// Records the settlement of a complaint about one of the case's decisions.
pub async fn settle(
    Ui(identity, lang): Ui,
    Path(code): Path<String>,
    Form(pairs): Form<Pairs>,
) -> Result<Response, AppError> {
    let writer = identity.access.inspection_writer()?;
    let mut problems = Vec::new();
    let complaint_id = id_field(&pairs, "complaint_id", &mut problems);
    let settled_on = date_field("settled_on", value(&pairs, "settled_on"), &mut problems);
    let result = if problems.is_empty() {
        identity
            .access
            .require_case(&code, |case| case.has_complaint(complaint_id))
            .await?;
        writer
            .settle(&SettlementInput {
                complaint_id,
                settled_on,
                result: value(&pairs, "result").to_string(),
                new_form: value(&pairs, "new_form").to_string(),
                note: value(&pairs, "note").to_string(),
            })
            .await
            .map(|_| ())
    } else {
        Ok(())
    };
    after_step(&identity, lang, &code, "settle", &pairs, problems, result).await
}

/// The programme's filters: a unit and a year (this year by default).
#[derive(Deserialize, Default, Clone)]
pub struct PlanQuery {
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub year: String,
    #[serde(default)]
    pub ok: String,
}

#[derive(Deserialize, Default, Clone)]
pub struct PlanForm {
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub year: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub subject: String,
    #[serde(default)]
    pub topic: String,
    #[serde(default)]
    pub planned_from: String,
    #[serde(default)]
    pub planned_to: String,
}

pub struct PlanRow {
    pub kind: &'static str,
    pub subject: String,
    pub topic: String,
    pub planned: String,
    /// The cases made for it, with their links.
    pub cases: Vec<(String, String)>,
    pub done_on: String,
}

#[derive(Template)]
#[template(path = "inspection_plan.html")]
struct PlanPage {
    c: Chrome,
    q: PlanQuery,
    year: i32,
    unit_name: String,
    rows: Vec<PlanRow>,
    done: usize,
    notice: &'static str,
    writes: bool,
    kinds: Vec<Choice>,
    form: PlanForm,
    /// The new item's text fields: (name, label, value).
    fields: Vec<(&'static str, &'static str, String)>,
    errors: FieldErrors,
}

fn plan_year(text: &str) -> Result<i32, AppError> {
    if text.trim().is_empty() {
        return Ok(chrono::Datelike::year(&format::today()));
    }
    match text.trim().parse::<i32>() {
        Ok(year) if (1990..=2100).contains(&year) => Ok(year),
        _ => Err(AppError::fields(vec![(
            "year".to_string(),
            format!("«{}» không phải năm (1990 đến 2100)", text.trim()),
        )])),
    }
}

async fn plan_view(
    identity: &Identity,
    lang: crate::i18n::Lang,
    q: PlanQuery,
    returned: Option<(PlanForm, FieldErrors)>,
) -> Result<Response, AppError> {
    let t = lang.texts();
    let year = plan_year(&q.year)?;
    let (unit, items) = identity
        .access
        .inspection_plan(&q.unit, year)
        .await?
        .ok_or(AppError::NotFound)?;
    let rows: Vec<PlanRow> = items
        .into_iter()
        .map(|item| PlanRow {
            kind: item.kind.label_vi(),
            subject: format!("{} ({})", item.subject_name, item.subject_code),
            topic: item.topic,
            planned: format!(
                "{} – {}",
                format::date(item.planned_from),
                format::date(item.planned_to)
            ),
            cases: item
                .case_codes
                .iter()
                .map(|c| (format!("/inspections/{}", url(c)), c.clone()))
                .collect(),
            done_on: format::opt_date(item.done_on),
        })
        .collect();
    let failed = returned.is_some();
    let (form, errors) = returned.unwrap_or_else(|| {
        (
            PlanForm {
                unit: unit.code.clone(),
                year: year.to_string(),
                ..PlanForm::default()
            },
            FieldErrors::default(),
        )
    });
    let page = PlanPage {
        c: Chrome::new(
            identity,
            lang,
            t.plan_title,
            "inspections",
            &format!(
                "/inspections/plan{}",
                format::query(&[("unit", &q.unit), ("year", &q.year)])
            ),
        ),
        year,
        unit_name: identity.access.unit_name_on(&unit, format::today()).await?,
        done: rows.iter().filter(|r| !r.done_on.is_empty()).count(),
        rows,
        notice: if q.ok == "added" { t.case_saved } else { "" },
        writes: identity.access.inspection_writer().is_ok(),
        kinds: vocabulary_choices(
            &form.kind,
            CaseKind::ALL,
            CaseKind::code,
            CaseKind::label_vi,
        ),
        fields: vec![
            ("subject", t.plan_subject, form.subject.clone()),
            ("topic", t.case_topic, form.topic.clone()),
            ("planned_from", t.plan_from, form.planned_from.clone()),
            ("planned_to", t.plan_to, form.planned_to.clone()),
        ],
        form,
        errors,
        q,
    };
    render_form(&page, failed)
}

/// A unit's programme of inspections and supervisions for a year, with what was carried out.
pub async fn plan(
    Ui(identity, lang): Ui,
    Query(q): Query<PlanQuery>,
) -> Result<Response, AppError> {
    plan_view(&identity, lang, q, None).await
}

/// Adds an item to a unit's programme, then shows the programme.
pub async fn add_plan_item(
    Ui(identity, lang): Ui,
    Form(form): Form<PlanForm>,
) -> Result<Response, AppError> {
    let writer = identity.access.inspection_writer()?;
    let mut problems: Problems = Vec::new();
    let planned_from = date_field("planned_from", &form.planned_from, &mut problems);
    let planned_to = date_field("planned_to", &form.planned_to, &mut problems);
    let year = match form.year.trim().parse::<i32>() {
        Ok(year) => year,
        Err(_) => {
            problems.push(("year".into(), "cần năm, 4 chữ số".into()));
            0
        }
    };
    let result = if problems.is_empty() {
        writer
            .plan(&dangbo_store::access::PlanInput {
                unit: form.unit.clone(),
                year,
                kind: form.kind.clone(),
                subject: form.subject.clone(),
                topic: form.topic.clone(),
                planned_from,
                planned_to,
            })
            .await
            .map(|_| ())
    } else {
        Err(StoreError::Fields(Vec::new()))
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!(
            "/inspections/plan{}",
            format::query(&[("unit", &form.unit), ("year", &form.year), ("ok", "added")])
        ))
        .into_response()),
        Err(StoreError::Fields(more)) => {
            let q = PlanQuery {
                unit: form.unit.clone(),
                year: form.year.clone(),
                ok: String::new(),
            };
            let problems = crate::params::merged(problems, more);
            plan_view(&identity, lang, q, Some((form, FieldErrors(problems)))).await
        }
        Err(other) => Err(other.into()),
    }
}

/// Adds a document to the case, then shows it again.
pub async fn attach_file(
    Ui(identity, lang): Ui,
    Path(code): Path<String>,
    mut multipart: axum::extract::Multipart,
) -> Result<Response, AppError> {
    let writer = identity.access.inspection_writer()?;
    // Out of scope reads as absent, before anything of the upload is read.
    identity.access.require_case(&code, |_| true).await?;
    let upload = crate::upload::read_attachment(&mut multipart).await?;
    let result = match upload {
        Some((name, bytes)) => writer.attach_file(&code, &name, &bytes).await.map(|_| ()),
        None => Err(StoreError::Fields(vec![(
            "file".into(),
            "chưa chọn tệp".into(),
        )])),
    };
    after_step(
        &identity,
        lang,
        &code,
        "file",
        &Vec::new(),
        Vec::new(),
        result,
    )
    .await
}

/// A document of the case, to open or save.
pub async fn download_file(
    Ui(identity, _): Ui,
    Path((code, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound)?;
    let (file, content) = identity
        .access
        .inspection_case_file(&code, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, file.media_type),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format::attachment_disposition(&file.name),
            ),
        ],
        content,
    )
        .into_response())
}
