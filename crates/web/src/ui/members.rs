//! The member list (search as you type, filters, keyset pages, Excel export) and a member's page
//! (record, timeline, forms to edit the record and to record events).

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query};
use axum::response::{IntoResponse, Redirect, Response};
use dangbo_domain::members::events::{EventField, EventKind};
use dangbo_domain::members::{GeneralEducation, Qualification, Sex, TheoryLevel};
use dangbo_store::StoreError;
use dangbo_store::access::{EventOutcome, MemberRow};
use serde::Deserialize;

use super::units::status_label;
use super::{Choice, Chrome, FieldErrors, choices, vocabulary_choices};
use crate::AppError;
use crate::error::render;
use crate::format::{self, url};
use crate::session::Ui;

/// Rows per page of the member list.
const PAGE_SIZE: usize = 50;
/// The most rows one Excel export holds.
const EXPORT_LIMIT: usize = 200_000;

pub use crate::params::ListQuery;

pub struct ListRow {
    pub code: String,
    pub link: String,
    pub name: String,
    pub sex: &'static str,
    pub birth: String,
    pub ethnicity: String,
    pub theory: &'static str,
    pub unit: String,
    pub status: String,
}

impl ListRow {
    fn of(row: MemberRow) -> ListRow {
        ListRow {
            link: format!("/members/{}", url(&row.code)),
            code: row.code,
            name: row.full_name,
            sex: Sex::parse(&row.sex).map(Sex::label_vi).unwrap_or(""),
            birth: format::date(row.birth_date),
            ethnicity: row.ethnicity,
            theory: row
                .theory_level
                .as_deref()
                .and_then(TheoryLevel::parse)
                .map(TheoryLevel::label_vi)
                .unwrap_or(""),
            unit: if row.unit_name.is_empty() {
                row.unit_code
            } else {
                row.unit_name
            },
            status: status_label(&row.status),
        }
    }
}

#[derive(Template)]
#[template(path = "members.html")]
struct ListPage {
    c: Chrome,
    /// "Tìm thấy 1.234 đảng viên" (empty after the first page).
    count: String,
    f: ListQuery,
    rows: Vec<ListRow>,
    next_link: String,
    first_link: String,
    export_link: String,
    statuses: Vec<Choice>,
    sexes: Vec<Choice>,
    theories: Vec<Choice>,
    errors: FieldErrors,
}

#[derive(Template)]
#[template(path = "member_rows.html")]
struct RowsFragment {
    c: Chrome,
    rows: Vec<ListRow>,
    next_link: String,
}

pub async fn list(
    Ui(identity, lang): Ui,
    Query(f): Query<ListQuery>,
) -> Result<Response, AppError> {
    let t = lang.texts();
    let found = match f.to_store(PAGE_SIZE) {
        Ok(query) => match identity.access.members(&query, format::today()).await {
            Ok(page) => Ok(page),
            Err(StoreError::Fields(problems)) => Err(problems),
            Err(other) => return Err(other.into()),
        },
        Err(problems) => Err(problems),
    };
    let (page, errors) = match found {
        Ok(page) => (page, FieldErrors::default()),
        Err(problems) => (
            dangbo_store::access::MemberPage {
                rows: Vec::new(),
                next: None,
                total: None,
            },
            FieldErrors(problems),
        ),
    };
    let count = page
        .total
        .map(|n| format!("{} {} {}", t.found, format::int(n), t.members_word))
        .unwrap_or_default();
    let next_link = page
        .next
        .map(|(key, code)| f.link("/members", &[("after", format!("{key}|{code}"))]))
        .unwrap_or_default();
    let rows: Vec<ListRow> = page.rows.into_iter().map(ListRow::of).collect();
    let c = Chrome::new(
        &identity,
        lang,
        t.nav_members,
        "members",
        &f.link("/members", &[]),
    );
    if f.partial == "rows" {
        // The count and the export follow the search typed: the script reads them from here.
        let export = f.link("/members/export.xlsx", &[]);
        return Ok((
            [
                ("x-member-count", format::url(&count)),
                ("x-member-export", export),
            ],
            render(&RowsFragment { c, rows, next_link })?,
        )
            .into_response());
    }
    let any = || (String::new(), t.any.to_string());
    let statuses = vec![
        any(),
        ("full".into(), status_label("full")),
        ("probationary".into(), status_label("probationary")),
    ];
    let mut sexes = vec![any()];
    sexes.extend(
        Sex::ALL
            .iter()
            .map(|s| (s.code().to_string(), s.label_vi().to_string())),
    );
    let mut theories = vec![any()];
    theories.extend(
        TheoryLevel::ALL
            .iter()
            .map(|l| (l.code().to_string(), l.label_vi().to_string())),
    );
    theories.push(("unknown".into(), "Chưa ghi".into()));
    let page = ListPage {
        count,
        first_link: f.link("/members", &[]),
        export_link: f.link("/members/export.xlsx", &[]),
        statuses: choices(&f.status, statuses),
        sexes: choices(&f.sex, sexes),
        theories: choices(&f.theory, theories),
        errors,
        c,
        f,
        rows,
        next_link,
    };
    let status = if page.errors.is_empty() {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::BAD_REQUEST
    };
    Ok((status, render(&page)?).into_response())
}

pub async fn export(Ui(identity, _): Ui, Query(f): Query<ListQuery>) -> Result<Response, AppError> {
    use dangbo_store::access::{Cell, ReportSheet};
    let mut store_query = f.to_store(EXPORT_LIMIT).map_err(AppError::fields)?;
    store_query.after = None;
    // The sheet counts its own rows.
    store_query.count = false;
    let date = store_query.date.unwrap_or_else(format::today);
    let page = identity
        .access
        .members(&store_query, format::today())
        .await?;
    if page.next.is_some() {
        return Err(AppError::BadRequest(format!(
            "danh sách có hơn {} đảng viên: hãy lọc theo đơn vị hoặc điều kiện khác rồi xuất lại",
            format::int(EXPORT_LIMIT as i64)
        )));
    }
    let unit = identity
        .access
        .unit(f.unit.trim())
        .await?
        .ok_or(AppError::NotFound)?;
    let scope = identity.access.unit_name_on(&unit, date).await?;
    let rows: Vec<Vec<Cell>> = page
        .rows
        .into_iter()
        .enumerate()
        .map(|(i, r)| {
            let birth = r.birth_date;
            let row = ListRow::of(r);
            vec![
                Cell::Count(i as i64 + 1),
                row.code.into(),
                row.name.into(),
                row.sex.into(),
                Cell::Date(birth),
                row.ethnicity.into(),
                row.theory.into(),
                row.unit.into(),
                row.status.into(),
            ]
        })
        .collect();
    let mut title = vec![
        format!(
            "Danh sách đảng viên ({} người)",
            format::int(rows.len() as i64)
        ),
        format!("Đơn vị: {scope}"),
        format!("Đang sinh hoạt ngày {}", format::date(date)),
    ];
    let filters = f.described();
    if !filters.is_empty() {
        title.push(format!("Điều kiện: {filters}"));
    }
    let sheet = ReportSheet {
        name: "Danh sách đảng viên".into(),
        title,
        headers: [
            "STT",
            "Mã đảng viên",
            "Họ và tên",
            "Giới tính",
            "Ngày sinh",
            "Dân tộc",
            "Lý luận chính trị",
            "Đơn vị",
            "Loại đảng viên",
        ]
        .iter()
        .map(|h| h.to_string())
        .collect(),
        rows,
        total: None,
    };
    let bytes = dangbo_store::access::report_xlsx(&[sheet])?;
    super::table::xlsx_response(bytes, &format!("dang-vien-{}.xlsx", format::today()))
}

pub struct TimelineRow {
    pub date: String,
    pub kind: &'static str,
    pub decision: String,
    pub body: String,
    pub units: String,
    pub note: String,
}

pub use crate::params::EventForm;
pub use crate::params::RecordForm;

#[derive(Template)]
#[template(path = "member.html")]
struct MemberPage {
    c: Chrome,
    code: String,
    name: String,
    unit: String,
    unit_code: String,
    status: String,
    seniority: String,
    badge: String,
    timeline: Vec<TimelineRow>,
    /// Events dated after today, not yet in force.
    scheduled: Vec<TimelineRow>,
    /// The member's ratings in force: (period, level in the scheme's words, points, decision).
    ratings: Vec<(String, String, String, String)>,
    /// The discipline decided on the member (confidential: for those who read cases): (link to
    /// the case, form, decision, state).
    discipline: Vec<(String, &'static str, String, String)>,
    /// The member's posts: (unit, post, from, to).
    posts: Vec<(String, String, String, String)>,
    /// The member's studies: (link to the session, date, title, attendance).
    studies: Vec<(String, String, String, &'static str)>,
    /// The member's page of posts and training.
    person_link: String,
    /// The member's page, percent-encoded, for the forms' actions.
    link: String,
    /// The unit's page, percent-encoded.
    unit_link: String,
    can_edit: bool,
    notice: String,
    record: RecordForm,
    /// The record's free-text fields: (name, label, value).
    text_fields: Vec<(&'static str, &'static str, String)>,
    record_errors: FieldErrors,
    event: EventForm,
    event_errors: FieldErrors,
    sexes: Vec<Choice>,
    educations: Vec<Choice>,
    qualifications: Vec<Choice>,
    theories: Vec<Choice>,
    kinds: Vec<Choice>,
    /// For each optional event field, the kinds that use it (space-separated codes), so that
    /// the form shows a field only once a kind that needs it is chosen.
    ceremony_kinds: String,
    end_kinds: String,
    to_unit_kinds: String,
    external_kinds: String,
}

/// The codes of the kinds of event that carry a field, space-separated.
fn kinds_using(field: dangbo_domain::members::events::EventField) -> String {
    EventKind::ALL
        .iter()
        .filter(|k| k.uses(field))
        .map(|k| k.code())
        .collect::<Vec<_>>()
        .join(" ")
}

#[derive(Deserialize, Default)]
pub struct NoticeQuery {
    #[serde(default)]
    ok: String,
}

/// Renders a member's page, with the forms' values and problems when a submission was refused.
async fn member_view(
    identity: &crate::session::Identity,
    lang: crate::i18n::Lang,
    code: &str,
    notice: String,
    record_state: Option<(RecordForm, FieldErrors)>,
    event_state: Option<(EventForm, FieldErrors)>,
) -> Result<Response, AppError> {
    let t = lang.texts();
    let today = format::today();
    let view = identity
        .access
        .member(code, today)
        .await?
        .ok_or(AppError::NotFound)?;
    let row = |e: &dangbo_store::access::StoredEvent| {
        let line = view.line(e);
        TimelineRow {
            date: format::date(e.event.date),
            kind: line.kind,
            decision: e.event.decision_number.clone(),
            body: e.event.issuing_body.clone(),
            units: line.place,
            note: e.event.note.clone(),
        }
    };
    let timeline = view.events.iter().map(row).collect();
    let scheduled = view.scheduled.iter().map(row).collect();
    let ratings = identity
        .access
        .member_ratings(code)
        .await?
        .unwrap_or_default()
        .into_iter()
        .map(|r| {
            let scheme = dangbo_domain::ratings::scheme_for(r.period);
            let level = dangbo_domain::ratings::levels(
                &scheme.rules,
                dangbo_domain::ratings::Subject::Member,
            )
            .iter()
            .find(|l| l.code == r.level)
            .map_or(r.level.clone(), |l| l.label_vi.to_string());
            (
                r.period.label_vi(),
                level,
                r.points.map(|p| p.to_string()).unwrap_or_default(),
                format!("{} {}", r.decision_number, r.decided_by)
                    .trim()
                    .to_string(),
            )
        })
        .collect();
    let discipline = identity
        .access
        .member_discipline(code)
        .await?
        .into_iter()
        .map(|d| {
            let state = match (d.annulled_on, d.lapses_on) {
                (Some(on), _) => {
                    format!("{} {}", lang.texts().discipline_annulled, format::date(on))
                }
                (None, Some(on)) => {
                    format!("{}: {}", lang.texts().discipline_lapses, format::date(on))
                }
                (None, None) => String::new(),
            };
            (
                format!("/inspections/{}", crate::format::url(&d.case_code)),
                d.form.label_vi(),
                format!(
                    "{} {}, số {}, ngày {}",
                    d.body.label_vi(),
                    d.decided_by_name,
                    d.decision_number,
                    format::date(d.decided_on)
                ),
                state,
            )
        })
        .collect();
    let posts = identity
        .access
        .person(code)
        .await?
        .map(|view| view.holdings)
        .unwrap_or_default()
        .into_iter()
        .map(|h| {
            (
                h.unit_name,
                h.post.label_vi().to_string(),
                format::date(h.from),
                format::opt_date(h.to),
            )
        })
        .collect();
    let studies = identity
        .access
        .member_studies(code)
        .await?
        .into_iter()
        .map(|s| {
            (
                format!("/study/{}", crate::format::url(&s.session_code)),
                format::date(s.from),
                s.session_title,
                s.attendance.label_vi(),
            )
        })
        .collect();
    let (record, record_errors) = record_state.unwrap_or_else(|| {
        (
            RecordForm::of(&view.member.record, view.member.version),
            FieldErrors::default(),
        )
    });
    let (event, event_errors) = event_state.unwrap_or_default();
    let record_code = view.member.record.code.clone();
    let page = MemberPage {
        c: Chrome::new(
            identity,
            lang,
            view.member.record.full_name.clone(),
            "members",
            &format!("/members/{}", url(&record_code)),
        ),
        name: view.member.record.full_name.clone(),
        unit: view
            .unit
            .as_ref()
            .map(|u| u.name.clone())
            .unwrap_or_default(),
        unit_code: view
            .unit
            .as_ref()
            .map(|u| u.code.clone())
            .unwrap_or_default(),
        status: view.status.as_deref().map(status_label).unwrap_or_default(),
        seniority: view
            .seniority_years
            .map(|y| format!("{y} {}", t.years))
            .unwrap_or_default(),
        badge: view
            .next_badge
            .map(|(years, date)| format!("{years} {} ({})", t.years, format::date(date)))
            .unwrap_or_default(),
        timeline,
        scheduled,
        ratings,
        discipline,
        posts,
        studies,
        person_link: format!("/cadres/persons/{}", url(&view.member.record.code)),
        link: format!("/members/{}", url(&view.member.record.code)),
        unit_link: view
            .unit
            .as_ref()
            .map(|u| format!("/units/{}", url(&u.code)))
            .unwrap_or_default(),
        can_edit: identity.access.editor().is_ok(),
        notice,
        sexes: vocabulary_choices(&record.sex, Sex::ALL, Sex::code, Sex::label_vi),
        educations: vocabulary_choices(
            &record.general_education,
            GeneralEducation::ALL,
            GeneralEducation::code,
            GeneralEducation::label_vi,
        ),
        qualifications: vocabulary_choices(
            &record.qualification,
            Qualification::ALL,
            Qualification::code,
            Qualification::label_vi,
        ),
        theories: vocabulary_choices(
            &record.theory_level,
            TheoryLevel::ALL,
            TheoryLevel::code,
            TheoryLevel::label_vi,
        ),
        ceremony_kinds: kinds_using(EventField::CeremonyDate),
        end_kinds: kinds_using(EventField::EndDate),
        to_unit_kinds: kinds_using(EventField::ToUnit),
        external_kinds: kinds_using(EventField::ExternalUnit),
        kinds: vocabulary_choices(
            &event.kind,
            EventKind::ALL,
            EventKind::code,
            EventKind::label_vi,
        ),
        code: record_code,
        text_fields: vec![
            ("full_name", t.full_name, record.full_name.clone()),
            ("ethnicity", t.ethnicity, record.ethnicity.clone()),
            ("religion", t.religion, record.religion.clone()),
            ("home_town", t.home_town, record.home_town.clone()),
            ("residence", t.residence, record.residence.clone()),
            ("national_id", t.national_id, record.national_id.clone()),
            ("occupation", t.occupation, record.occupation.clone()),
            ("phone", t.phone, record.phone.clone()),
            ("card_number", t.card_number, record.card_number.clone()),
        ],
        record,
        record_errors,
        event,
        event_errors,
    };
    let status = if page.record_errors.is_empty() && page.event_errors.is_empty() {
        axum::http::StatusCode::OK
    } else if !page.record_errors.get("version").is_empty() {
        // The record moved on since the form was filled.
        axum::http::StatusCode::CONFLICT
    } else {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((status, render(&page)?).into_response())
}

pub async fn member_page(
    Ui(identity, lang): Ui,
    Path(code): Path<String>,
    Query(q): Query<NoticeQuery>,
) -> Result<Response, AppError> {
    let t = lang.texts();
    let notice = match q.ok.as_str() {
        "record" => t.saved.to_string(),
        "event" => t.event_saved.to_string(),
        "event_already_recorded" => t.event_already_recorded.to_string(),
        _ => String::new(),
    };
    member_view(&identity, lang, &code, notice, None, None).await
}

pub async fn update(
    Ui(identity, lang): Ui,
    Path(code): Path<String>,
    Form(form): Form<RecordForm>,
) -> Result<Response, AppError> {
    let editor = identity.access.editor()?;
    let version = form.version.trim().parse::<i64>();
    let (problems, notice) = match (form.parse(&code), version) {
        (Ok(record), Ok(version)) => {
            match editor
                .update_member(&code, &record, version, format::today())
                .await
            {
                Ok(_) => {
                    return Ok(
                        Redirect::to(&format!("/members/{}?ok=record", url(&code))).into_response()
                    );
                }
                Err(StoreError::Fields(problems)) => {
                    (problems, lang.texts().fix_errors.to_string())
                }
                // Someone else changed the record: say when, keep what this person typed.
                Err(StoreError::Conflict(refusal)) => (
                    vec![("version".to_string(), refusal.message.clone())],
                    refusal.message,
                ),
                Err(other) => return Err(other.into()),
            }
        }
        (Err(problems), _) => (problems, lang.texts().fix_errors.to_string()),
        (Ok(_), Err(_)) => (
            vec![(
                "version".to_string(),
                "thiếu phiên bản hồ sơ; tải lại trang rồi sửa lại".to_string(),
            )],
            lang.texts().fix_errors.to_string(),
        ),
    };
    member_view(
        &identity,
        lang,
        &code,
        notice,
        Some((form, FieldErrors(problems))),
        None,
    )
    .await
}

pub async fn record_event(
    Ui(identity, lang): Ui,
    Path(code): Path<String>,
    Form(form): Form<EventForm>,
) -> Result<Response, AppError> {
    let editor = identity.access.editor()?;
    let result = match super::unit_code_for(&identity.access, "to_unit", &form.to_unit).await {
        Ok(to_unit) => {
            let mut input = form.input();
            input.to_unit = to_unit;
            editor.record_event(&code, &input).await
        }
        Err(problem) => Err(problem),
    };
    match result {
        Ok(outcome) => {
            let ok = match outcome {
                EventOutcome::Recorded => "event",
                EventOutcome::AlreadyRecorded => "event_already_recorded",
            };
            Ok(Redirect::to(&format!("/members/{}?ok={ok}", url(&code))).into_response())
        }
        Err(error @ (StoreError::Fields(_) | StoreError::Invalid(_))) => {
            let problems = match error {
                StoreError::Fields(problems) => problems,
                // A history rule refused the event: its reason goes next to the kind of event.
                other => vec![("kind".to_string(), other.to_string())],
            };
            let notice = lang.texts().fix_errors.to_string();
            member_view(
                &identity,
                lang,
                &code,
                notice,
                None,
                Some((form, FieldErrors(problems))),
            )
            .await
        }
        Err(other) => Err(other.into()),
    }
}
