//! The admission pipeline's pages: the board of a unit's candidates by stage (plain HTML, no
//! script needed), a candidate's file with the timeline of its steps and a short form for each
//! step that may come next, the form that opens a file, and the due list with its XLSX export.

pub mod classes;

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use dangbo_domain::admission::{NominatedBy, Stage, Step, StopReason};
use dangbo_domain::members::{GeneralEducation, Qualification, Sex, TheoryLevel};
use dangbo_store::StoreError;
use dangbo_store::access::{Cell, DueLine, NewCandidate, ReportSheet, StepInput};
use serde::Deserialize;

use super::{Choice, Chrome, FieldErrors, vocabulary_choices};
use crate::AppError;
use crate::error::render_form;
use crate::format::{self, url};
use crate::params::{Problems, RecordForm, date_field, merged, number_field};
use crate::session::{Identity, Ui};

/// The board's and the due list's query: the unit and the day.
#[derive(Deserialize, Default, Clone)]
pub struct BoardQuery {
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub as_of: String,
    /// Any value: admitted and stopped files too.
    #[serde(default)]
    pub all: String,
}

impl BoardQuery {
    fn day(&self) -> Result<NaiveDate, AppError> {
        let mut problems = Vec::new();
        let day = date_field("as_of", &self.as_of, &mut problems);
        if !problems.is_empty() {
            return Err(AppError::fields(problems));
        }
        Ok(day.unwrap_or_else(format::today))
    }

    fn link(&self) -> String {
        format::query(&[("unit", &self.unit), ("as_of", &self.as_of)])
    }
}

pub struct Card {
    pub code: String,
    pub name: String,
    pub link: String,
    pub unit: String,
    pub since: String,
    /// "Quyết định kết nạp: 27/05/2021"; empty without a deadline.
    pub due: String,
    pub overdue: bool,
}

pub struct Column {
    pub stage: &'static str,
    pub label: &'static str,
    pub cards: Vec<Card>,
}

#[derive(Template)]
#[template(path = "candidates.html")]
struct BoardPage {
    c: Chrome,
    q: BoardQuery,
    unit_name: String,
    day: String,
    columns: Vec<Column>,
    total: usize,
    writes: bool,
    due_link: String,
}

/// The board: a column per stage, each candidate a card with their branch and next deadline.
pub async fn board(
    Ui(identity, lang): Ui,
    Query(q): Query<BoardQuery>,
) -> Result<Response, AppError> {
    let t = lang.texts();
    let day = q.day()?;
    let all = !q.all.is_empty();
    let (unit, lines) = identity
        .access
        .candidates(&q.unit, day, !all)
        .await?
        .ok_or(AppError::NotFound)?;
    let stages: Vec<Stage> = Stage::ALL
        .iter()
        .copied()
        .filter(|s| all || !matches!(s, Stage::Admitted | Stage::Stopped))
        .collect();
    let total = lines.len();
    let mut columns: Vec<Column> = stages
        .iter()
        .map(|s| Column {
            stage: s.code(),
            label: s.label_vi(),
            cards: Vec::new(),
        })
        .collect();
    // A card warns of what comes within the due list's horizon; the file page gives any deadline.
    let horizon = day
        .checked_add_days(chrono::Days::new(dangbo_store::access::WARN_DAYS))
        .unwrap_or(NaiveDate::MAX);
    for line in lines {
        let next_due = line.next_due.filter(|d| d.due_on <= horizon);
        let Some(column) = columns
            .iter_mut()
            .find(|c| c.stage == line.candidate.stage.code())
        else {
            continue;
        };
        column.cards.push(Card {
            link: format!("/candidates/{}", url(&line.candidate.record.code)),
            code: line.candidate.record.code,
            name: line.candidate.record.full_name,
            unit: line.unit_name,
            since: format::date(line.candidate.stage_on),
            due: next_due
                .as_ref()
                .map(|d| format!("{}: {}", d.what, format::date(d.due_on)))
                .unwrap_or_default(),
            overdue: next_due.is_some_and(|d| d.overdue),
        });
    }
    let page = BoardPage {
        c: Chrome::new(
            &identity,
            lang,
            t.candidates_title,
            "candidates",
            &format!("/candidates{}", q.link()),
        ),
        unit_name: identity.access.unit_name_on(&unit, day).await?,
        day: format::date(day),
        columns,
        total,
        writes: identity.access.admission_writer().is_ok(),
        due_link: format!("/candidates/due{}", q.link()),
        q,
    };
    render_form(&page, false)
}

/// The form that opens a file: a member's personal fields, the code, the branch and nomination.
#[derive(Deserialize, Default, Clone)]
pub struct CandidateForm {
    #[serde(flatten)]
    pub record: RecordForm,
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub nominated_by: String,
    #[serde(default)]
    pub nominated_on: String,
}

#[derive(Template)]
#[template(path = "candidate_form.html")]
struct NewPage {
    c: Chrome,
    form: CandidateForm,
    errors: FieldErrors,
    text_fields: Vec<(&'static str, &'static str, String)>,
    sexes: Vec<Choice>,
    educations: Vec<Choice>,
    qualifications: Vec<Choice>,
    theories: Vec<Choice>,
    nominators: Vec<Choice>,
}

fn new_view(
    identity: &Identity,
    lang: crate::i18n::Lang,
    form: CandidateForm,
    errors: FieldErrors,
) -> Result<Response, AppError> {
    let t = lang.texts();
    let r = &form.record;
    let page = NewPage {
        c: Chrome::new(
            identity,
            lang,
            t.candidate_new,
            "candidates",
            "/candidates/new",
        ),
        text_fields: vec![
            ("full_name", t.full_name, r.full_name.clone()),
            ("ethnicity", t.ethnicity, r.ethnicity.clone()),
            ("religion", t.religion, r.religion.clone()),
            ("home_town", t.home_town, r.home_town.clone()),
            ("residence", t.residence, r.residence.clone()),
            ("national_id", t.national_id, r.national_id.clone()),
            ("occupation", t.occupation, r.occupation.clone()),
            ("phone", t.phone, r.phone.clone()),
        ],
        sexes: vocabulary_choices(&r.sex, Sex::ALL, Sex::code, Sex::label_vi),
        educations: vocabulary_choices(
            &r.general_education,
            GeneralEducation::ALL,
            GeneralEducation::code,
            GeneralEducation::label_vi,
        ),
        qualifications: vocabulary_choices(
            &r.qualification,
            Qualification::ALL,
            Qualification::code,
            Qualification::label_vi,
        ),
        theories: vocabulary_choices(
            &r.theory_level,
            TheoryLevel::ALL,
            TheoryLevel::code,
            TheoryLevel::label_vi,
        ),
        nominators: vocabulary_choices(
            &form.nominated_by,
            NominatedBy::ALL,
            NominatedBy::code,
            NominatedBy::label_vi,
        ),
        form,
        errors,
    };
    let failed = !page.errors.is_empty();
    render_form(&page, failed)
}

pub async fn new_page(Ui(identity, lang): Ui) -> Result<Response, AppError> {
    identity.access.admission_writer()?;
    new_view(
        &identity,
        lang,
        CandidateForm::default(),
        FieldErrors::default(),
    )
}

/// Opens a file, then shows it.
pub async fn create(
    Ui(identity, lang): Ui,
    Form(form): Form<CandidateForm>,
) -> Result<Response, AppError> {
    let writer = identity.access.admission_writer()?;
    let mut problems: Problems = Vec::new();
    let nominated_on =
        crate::params::required_date("nominated_on", &form.nominated_on, &mut problems);
    let unit = super::unit_code_for(&identity.access, "unit", &form.unit).await;
    match (
        form.record.parse(form.code.trim()),
        unit,
        problems.is_empty(),
    ) {
        (Ok(record), Ok(unit), true) => {
            let input = NewCandidate {
                record,
                unit,
                nominated_by: form.nominated_by.clone(),
                nominated_on,
            };
            match writer.add_candidate(&input, format::today()).await {
                Ok(code) => {
                    return Ok(
                        Redirect::to(&format!("/candidates/{}?ok=created", url(&code)))
                            .into_response(),
                    );
                }
                Err(error) => problems = store_problems(error),
            }
        }
        (record, unit, _) => {
            problems = merged(problems, record.err().unwrap_or_default());
            // The writer is not reached: the choice it would check is checked here, so that one
            // answer names every problem.
            if NominatedBy::parse(&form.nominated_by).is_none() {
                problems.push((
                    "nominated_by".into(),
                    format!("cần một trong: {}", NominatedBy::expected_vi()),
                ));
            }
            problems = merged(problems, unit.err().map(store_problems).unwrap_or_default());
        }
    }
    new_view(&identity, lang, form, FieldErrors(problems))
}

/// A store error as problems on a form's fields; a rule's refusal goes on the form as a whole.
fn store_problems(error: StoreError) -> Problems {
    match error {
        StoreError::Fields(problems) => problems,
        other => vec![("form".into(), other.to_string())],
    }
}

/// A step as typed on the file's page.
#[derive(Deserialize, Default, Clone)]
pub struct StepForm {
    #[serde(default)]
    pub stage: String,
    #[serde(default)]
    pub on: String,
    #[serde(default)]
    pub certificate: String,
    #[serde(default)]
    pub centre: String,
    #[serde(default)]
    pub votes_for: String,
    #[serde(default)]
    pub votes_against: String,
    #[serde(default)]
    pub present: String,
    #[serde(default)]
    pub entitled: String,
    #[serde(default)]
    pub over_age_approval: String,
    #[serde(default)]
    pub number: String,
    #[serde(default)]
    pub committee: String,
    #[serde(default)]
    pub reason: String,
    #[serde(default)]
    pub note: String,
}

impl StepForm {
    /// The step for the writer, or the problems of the fields that do not read.
    pub fn input(&self) -> Result<StepInput, Problems> {
        let mut problems = Vec::new();
        let on = crate::params::required_date("on", &self.on, &mut problems);
        let mut count =
            |field: &str, value: &str| number_field(field, value, (0, 1_000_000), &mut problems);
        let votes_for = count("votes_for", &self.votes_for);
        let votes_against = count("votes_against", &self.votes_against);
        let present = count("present", &self.present);
        let entitled = count("entitled", &self.entitled);
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(StepInput {
            stage: self.stage.clone(),
            on,
            certificate: self.certificate.clone(),
            centre: self.centre.clone(),
            votes_for,
            votes_against,
            present,
            entitled,
            over_age_approval: self.over_age_approval.clone(),
            number: self.number.clone(),
            committee: self.committee.clone(),
            reason: self.reason.clone(),
            note: self.note.clone(),
        })
    }
}

#[derive(Deserialize, Default, Clone)]
pub struct IntroducerForm {
    #[serde(default)]
    pub member: String,
    #[serde(default)]
    pub assigned_on: String,
}

pub struct StepRow {
    pub date: String,
    pub stage: &'static str,
    pub details: String,
    pub recorded_by: String,
}

/// A form for a step that may come next.
pub struct NextForm {
    pub stage: &'static str,
    pub label: &'static str,
    pub open: bool,
    /// The vote's counts (field, label, value) for a resolution; empty for other steps.
    pub counts: Vec<(&'static str, &'static str, String)>,
    pub form: StepForm,
    pub errors: FieldErrors,
}

#[derive(Template)]
#[template(path = "candidate.html")]
struct FilePage {
    c: Chrome,
    notice: String,
    /// Whether a form came back with problems.
    failed: bool,
    code: String,
    link: String,
    name: String,
    sex: &'static str,
    birth_date: String,
    ethnicity: String,
    religion: String,
    occupation: String,
    residence: String,
    unit: String,
    unit_link: String,
    nominated_by: &'static str,
    stage: &'static str,
    stage_code: &'static str,
    since: String,
    next_due: String,
    overdue: bool,
    member_link: String,
    probation_ends: String,
    full_vote_by: String,
    steps: Vec<StepRow>,
    introducers: Vec<(String, String, String, String)>,
    writes: bool,
    forms: Vec<NextForm>,
    branch_full_members: String,
    reasons: Vec<Choice>,
    introducer: IntroducerForm,
    introducer_errors: FieldErrors,
}

/// What a step says beyond its date and stage.
fn details(step: &Step) -> String {
    let vote = |v: &dangbo_domain::admission::Vote| {
        format!(
            "tán thành {}/{} (có mặt {}, không tán thành {})",
            v.votes_for, v.entitled, v.present, v.votes_against
        )
    };
    match step {
        Step::Nominated { by, .. } => by.label_vi().to_string(),
        Step::ClassPassed {
            certificate,
            centre,
            ..
        } => format!("Giấy chứng nhận số {certificate}, {centre}"),
        Step::BranchResolution {
            vote: v,
            over_age_approval,
            ..
        } if !over_age_approval.is_empty() => {
            format!("{}; quá tuổi: {over_age_approval}", vote(v))
        }
        Step::BranchResolution { vote: v, .. } | Step::CommitteeResolution { vote: v, .. } => {
            vote(v)
        }
        Step::Decided {
            number, committee, ..
        } => format!("Quyết định số {number}, {committee}"),
        Step::Stop { reason, note, .. } if note.is_empty() => reason.label_vi().to_string(),
        Step::Stop { reason, note, .. } => format!("{}: {note}", reason.label_vi()),
        Step::Applied { .. }
        | Step::Vetted { .. }
        | Step::MassOrganization { .. }
        | Step::Ceremony { .. } => String::new(),
    }
}

/// The file's page, with a form that came back with problems when there is one.
async fn file_view(
    identity: &Identity,
    lang: crate::i18n::Lang,
    code: &str,
    notice: String,
    step_state: Option<(StepForm, FieldErrors)>,
    introducer_state: Option<(IntroducerForm, FieldErrors)>,
) -> Result<Response, AppError> {
    let t = lang.texts();
    let today = format::today();
    let file = identity
        .access
        .candidate(code, today)
        .await?
        .ok_or(AppError::NotFound)?;
    let c = &file.line.candidate;
    let failed = step_state.is_some() || introducer_state.is_some();
    let (returned, returned_errors) = step_state.unwrap_or_default();
    let forms = file
        .next_stages
        .iter()
        .map(|&stage| {
            let open = returned.stage == stage.code();
            let form = if open {
                returned.clone()
            } else {
                StepForm {
                    // What the vote counts against, from the records; the person corrects it.
                    entitled: if stage == Stage::BranchResolution {
                        file.branch_full_members.to_string()
                    } else {
                        String::new()
                    },
                    ..StepForm::default()
                }
            };
            let counts = if matches!(stage, Stage::BranchResolution | Stage::CommitteeResolution) {
                vec![
                    ("votes_for", t.votes_for, form.votes_for.clone()),
                    ("votes_against", t.votes_against, form.votes_against.clone()),
                    ("present", t.present_word, form.present.clone()),
                    ("entitled", t.entitled_word, form.entitled.clone()),
                ]
            } else {
                Vec::new()
            };
            NextForm {
                counts,
                stage: stage.code(),
                label: stage.step_label(),
                open,
                form,
                errors: if open {
                    FieldErrors(returned_errors.0.clone())
                } else {
                    FieldErrors::default()
                },
            }
        })
        .collect();
    let (introducer, introducer_errors) = introducer_state.unwrap_or_default();
    let page = FilePage {
        c: Chrome::new(
            identity,
            lang,
            c.record.full_name.clone(),
            "candidates",
            &format!("/candidates/{}", url(&c.record.code)),
        ),
        notice,
        failed,
        link: format!("/candidates/{}", url(&c.record.code)),
        code: c.record.code.clone(),
        name: c.record.full_name.clone(),
        sex: c.record.sex.label_vi(),
        birth_date: format::date(c.record.birth_date),
        ethnicity: c.record.ethnicity.clone(),
        religion: c.record.religion.clone(),
        occupation: c.record.occupation.clone(),
        residence: c.record.residence.clone(),
        unit: file.line.unit_name.clone(),
        unit_link: format!("/units/{}", url(&c.unit_code)),
        nominated_by: c.nominated_by.label_vi(),
        stage: c.stage.label_vi(),
        stage_code: c.stage.code(),
        since: format::date(c.stage_on),
        next_due: file
            .line
            .next_due
            .as_ref()
            .map(|d| format!("{}: {}", d.what, format::date(d.due_on)))
            .unwrap_or_default(),
        overdue: file.line.next_due.as_ref().is_some_and(|d| d.overdue),
        member_link: c
            .member_code
            .as_ref()
            .map(|m| format!("/members/{}", url(m)))
            .unwrap_or_default(),
        probation_ends: file
            .probation
            .map(|(ends, _)| format::date(ends))
            .unwrap_or_default(),
        full_vote_by: file
            .probation
            .map(|(_, by)| format::date(by))
            .unwrap_or_default(),
        steps: file
            .steps
            .iter()
            .map(|s| StepRow {
                date: format::date(s.step.date()),
                stage: s.step.stage().step_label(),
                details: details(&s.step),
                recorded_by: s.recorded_by.clone(),
            })
            .collect(),
        introducers: file
            .introducers
            .iter()
            .map(|i| {
                (
                    i.member_code.clone(),
                    format!("/members/{}", url(&i.member_code)),
                    i.full_name.clone(),
                    format::date(i.assigned_on),
                )
            })
            .collect(),
        writes: identity.access.admission_writer().is_ok(),
        forms,
        branch_full_members: t
            .branch_full_members
            .replace("{n}", &format::int(file.branch_full_members)),
        reasons: vocabulary_choices(
            &returned.reason,
            StopReason::ALL,
            StopReason::code,
            StopReason::label_vi,
        ),
        introducer,
        introducer_errors,
    };
    render_form(&page, failed)
}

#[derive(Deserialize, Default)]
pub struct NoticeQuery {
    #[serde(default)]
    pub ok: String,
}

pub async fn page(
    Ui(identity, lang): Ui,
    Path(code): Path<String>,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, AppError> {
    let t = lang.texts();
    let notice = match q.ok.as_str() {
        "created" => t.candidate_created,
        "step" => t.step_recorded,
        "introducer" => t.introducer_added,
        _ => "",
    };
    file_view(&identity, lang, &code, notice.to_string(), None, None).await
}

/// Records a step, then shows the file again.
pub async fn record_step(
    Ui(identity, lang): Ui,
    Path(code): Path<String>,
    Form(form): Form<StepForm>,
) -> Result<Response, AppError> {
    let writer = identity.access.admission_writer()?;
    // A file out of scope is not found, whatever the form says.
    if !identity.access.sees_candidate(&code).await? {
        return Err(AppError::NotFound);
    }
    let result = match form.input() {
        Ok(input) => writer
            .record_step(&code, &input, format::today())
            .await
            .map_err(store_problems),
        Err(problems) => Err(problems),
    };
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/candidates/{}?ok=step", url(&code))).into_response()),
        Err(problems) => {
            let notice = problems
                .iter()
                .find(|(f, _)| f == "form")
                .map(|(_, m)| m.clone())
                .unwrap_or_else(|| lang.texts().fix_errors.to_string());
            file_view(
                &identity,
                lang,
                &code,
                notice,
                Some((form, FieldErrors(problems))),
                None,
            )
            .await
        }
    }
}

/// Names an introducer, then shows the file again.
pub async fn add_introducer(
    Ui(identity, lang): Ui,
    Path(code): Path<String>,
    Form(form): Form<IntroducerForm>,
) -> Result<Response, AppError> {
    let writer = identity.access.admission_writer()?;
    if !identity.access.sees_candidate(&code).await? {
        return Err(AppError::NotFound);
    }
    let mut problems = Vec::new();
    let on = crate::params::required_date("assigned_on", &form.assigned_on, &mut problems);
    let result = if problems.is_empty() {
        writer
            .add_introducer(&code, &form.member, on)
            .await
            .map_err(store_problems)
    } else {
        Err(problems)
    };
    match result {
        Ok(()) => {
            Ok(Redirect::to(&format!("/candidates/{}?ok=introducer", url(&code))).into_response())
        }
        Err(problems) => {
            let notice = lang.texts().fix_errors.to_string();
            file_view(
                &identity,
                lang,
                &code,
                notice,
                None,
                Some((form, FieldErrors(problems))),
            )
            .await
        }
    }
}

pub struct DueRow {
    pub kind: &'static str,
    pub code: String,
    pub link: String,
    pub name: String,
    pub unit: String,
    pub what: &'static str,
    pub due_on: String,
    pub overdue: bool,
}

#[derive(Template)]
#[template(path = "candidates_due.html")]
struct DuePage {
    c: Chrome,
    q: BoardQuery,
    unit_name: String,
    day: String,
    rows: Vec<DueRow>,
    export_link: String,
    board_link: String,
}

async fn due_lines(
    identity: &Identity,
    q: &BoardQuery,
) -> Result<(dangbo_store::access::Unit, NaiveDate, Vec<DueLine>), AppError> {
    let day = q.day()?;
    let (unit, lines) = identity
        .access
        .admission_due(&q.unit, day)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((unit, day, lines))
}

fn kind_label(t: &crate::i18n::Texts, line: &DueLine) -> &'static str {
    if line.kind == "member" {
        t.kind_member
    } else {
        t.kind_candidate
    }
}

/// The due list: files and probationers with a deadline within 30 days, or past it.
pub async fn due(
    Ui(identity, lang): Ui,
    Query(q): Query<BoardQuery>,
) -> Result<Response, AppError> {
    let t = lang.texts();
    let (unit, day, lines) = due_lines(&identity, &q).await?;
    let rows = lines
        .iter()
        .map(|l| DueRow {
            kind: kind_label(t, l),
            link: if l.kind == "member" {
                format!("/members/{}", url(&l.code))
            } else {
                format!("/candidates/{}", url(&l.code))
            },
            code: l.code.clone(),
            name: l.full_name.clone(),
            unit: l.unit_name.clone(),
            what: l.what,
            due_on: format::date(l.due_on),
            overdue: l.overdue,
        })
        .collect();
    let page = DuePage {
        c: Chrome::new(
            &identity,
            lang,
            t.due_title,
            "candidates",
            &format!("/candidates/due{}", q.link()),
        ),
        unit_name: identity.access.unit_name_on(&unit, day).await?,
        day: format::date(day),
        rows,
        export_link: format!("/candidates/due.xlsx{}", q.link()),
        board_link: format!("/candidates{}", q.link()),
        q,
    };
    render_form(&page, false)
}

/// The due list as an XLSX workbook.
pub async fn due_export(
    Ui(identity, lang): Ui,
    Query(q): Query<BoardQuery>,
) -> Result<Response, AppError> {
    let t = lang.texts();
    let (unit, day, lines) = due_lines(&identity, &q).await?;
    let name = identity.access.unit_name_on(&unit, day).await?;
    let rows = lines
        .iter()
        .map(|l| {
            vec![
                Cell::from(kind_label(t, l)),
                Cell::from(l.code.as_str()),
                Cell::from(l.full_name.as_str()),
                Cell::from(l.unit_name.as_str()),
                Cell::from(l.what),
                Cell::Date(l.due_on),
                Cell::from(if l.overdue { "Quá hạn" } else { "" }),
            ]
        })
        .collect();
    let sheet = ReportSheet {
        name: "Đến hạn".into(),
        title: vec![
            "Kết nạp và dự bị: việc đến hạn trong 30 ngày hoặc đã quá hạn".into(),
            format!("Đơn vị: {name}"),
            format!("Ngày: {}", format::date(day)),
        ],
        headers: [
            "Loại",
            "Mã",
            "Họ và tên",
            "Chi bộ",
            "Việc",
            "Hạn",
            "Tình trạng",
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
            "den-han-ket-nap-{}-{}.xlsx",
            super::table::file_part(&unit.code),
            day.format("%Y%m%d")
        ),
    )
}
