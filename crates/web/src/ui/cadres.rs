//! Cadre work: a unit's posts on a date (who holds what, the key posts left vacant, the
//! concurrency and theory-standard shares), forms to record a post and its end; the moves of a
//! period; the holders against their group's standard; the non-members who hold posts; and a
//! person's posts over time and training, with a form to record a level reached.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use dangbo_domain::cadres::{Move, Post, PostGroup};
use dangbo_domain::education::TrainingKind;
use dangbo_domain::figures::Window;
use dangbo_domain::tree::UnitKind;
use dangbo_store::StoreError;
use dangbo_store::access::{FactInput, Holding, HoldingEnd, HoldingInput, PersonInput};
use serde::Deserialize;

use super::{Choice, Chrome, FieldErrors, choices, vocabulary_choices};
use crate::AppError;
use crate::error::render_form;
use crate::format::{self, url};
use crate::params::{Problems, date_field, period, required_date};
use crate::session::{Identity, Ui};

/// A unit and a day (today by default).
#[derive(Deserialize, Default, Clone)]
pub struct OnQuery {
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub on: String,
    #[serde(default)]
    pub ok: String,
}

/// A unit and a period (this year to today by default).
#[derive(Deserialize, Default, Clone)]
pub struct PeriodQuery {
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
}

#[derive(Deserialize, Default, Clone)]
pub struct HoldingForm {
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub post: String,
    #[serde(default)]
    pub post_detail: String,
    #[serde(default)]
    pub holder: String,
    #[serde(default)]
    pub village: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub start_move: String,
    #[serde(default)]
    pub start_body: String,
    #[serde(default)]
    pub start_decision: String,
    #[serde(default)]
    pub start_decided_on: String,
}

#[derive(Deserialize, Default, Clone)]
pub struct EndForm {
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub holding: String,
    #[serde(default)]
    pub to: String,
    #[serde(default)]
    pub end_move: String,
    #[serde(default)]
    pub end_body: String,
    #[serde(default)]
    pub end_decision: String,
    #[serde(default)]
    pub end_decided_on: String,
}

/// A holding as a row of a table.
pub struct HoldingRow {
    pub unit: String,
    pub post: String,
    pub holder_link: String,
    pub holder: String,
    pub village: String,
    pub from: String,
    pub to: String,
    pub started: String,
    pub ended: String,
}

fn holder_link(holding: &Holding) -> String {
    format!("/cadres/persons/{}", url(holding.holder()))
}

fn post_words(holding: &Holding) -> String {
    if holding.post_detail.is_empty() {
        holding.post.label_vi().to_string()
    } else {
        format!("{} ({})", holding.post.label_vi(), holding.post_detail)
    }
}

fn decision_words(how: Option<Move>, number: &str, body: &str) -> String {
    let mut parts: Vec<String> = how.map(|m| m.label_vi().to_string()).into_iter().collect();
    if !number.is_empty() {
        parts.push(number.to_string());
    }
    if !body.is_empty() {
        parts.push(body.to_string());
    }
    parts.join(", ")
}

fn holding_row(holding: &Holding) -> HoldingRow {
    HoldingRow {
        unit: holding.unit_name.clone(),
        post: post_words(holding),
        holder_link: holder_link(holding),
        holder: holding.person_name.clone(),
        village: holding.village.clone(),
        from: format::date(holding.from),
        to: format::opt_date(holding.to),
        started: decision_words(
            Some(holding.start_move),
            &holding.start_decision,
            &holding.start_body,
        ),
        ended: decision_words(holding.end_move, &holding.end_decision, &holding.end_body),
    }
}

/// A figure's label, value and drill-down link.
type FigureCell = (String, String, String);

async fn figure_cells(
    identity: &Identity,
    unit_code: &str,
    keys: &[String],
    window: &Window,
) -> Result<Vec<FigureCell>, AppError> {
    let definitions = identity.access.figures_named(keys).await?;
    let (_, values) = identity
        .access
        .figures(unit_code, &definitions, window, false)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(definitions
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
                        ("unit", unit_code),
                        ("as_of", &format::date(window.as_of)),
                        ("from", &format::date(window.from)),
                        ("to", &format::date(window.to)),
                    ])
                ),
            )
        })
        .collect())
}

fn day_of(text: &str) -> Result<NaiveDate, AppError> {
    let mut problems: Problems = Vec::new();
    let day = date_field("on", text, &mut problems);
    if !problems.is_empty() {
        return Err(AppError::fields(problems));
    }
    Ok(day.unwrap_or_else(format::today))
}

fn on_day(day: NaiveDate) -> Window {
    Window {
        as_of: day,
        from: day,
        to: day,
    }
}

/// The posts a unit of its kind is expected to have filled.
fn key_posts(kind_is_branch: bool) -> &'static [Post] {
    if kind_is_branch {
        &[Post::BranchSecretary]
    } else {
        &[
            Post::Secretary,
            Post::DeputySecretary,
            Post::CommissionChair,
        ]
    }
}

#[derive(Template)]
#[template(path = "cadres.html")]
struct PostsPage {
    c: Chrome,
    q: OnQuery,
    unit_name: String,
    day: String,
    notice: &'static str,
    figures: Vec<FigureCell>,
    rows: Vec<HoldingRow>,
    vacancies: Vec<String>,
    writes: bool,
    form: HoldingForm,
    posts: Vec<Choice>,
    starts: Vec<Choice>,
    /// The new holding's text fields: (name, label, value).
    fields: Vec<(&'static str, &'static str, String)>,
    end: EndForm,
    held: Vec<Choice>,
    ends: Vec<Choice>,
    end_fields: Vec<(&'static str, &'static str, String)>,
    errors: FieldErrors,
}

async fn posts_view(
    identity: &Identity,
    lang: crate::i18n::Lang,
    q: OnQuery,
    returned: Option<(HoldingForm, EndForm, FieldErrors)>,
) -> Result<Response, AppError> {
    let t = lang.texts();
    let day = day_of(&q.on)?;
    let mut held = identity.access.posts_held(&q.unit, day).await?;
    if held.is_none() && returned.is_some() {
        // A form naming a unit out of scope comes back over the whole scope.
        held = identity.access.posts_held("", day).await?;
    }
    let (unit, holdings) = held.ok_or(AppError::NotFound)?;
    let mut keys = vec![
        "positions.concurrent.branch_secretary_village_head".to_string(),
        "positions.concurrent.secretary_council_chair".to_string(),
    ];
    keys.extend(
        PostGroup::ALL
            .iter()
            .map(|g| format!("positions.theory_standard.{}", g.code())),
    );
    let figures = figure_cells(identity, &unit.code, &keys, &on_day(day)).await?;
    // The key posts of the unit and the units right under it, when none holds them.
    let mut vacancies = Vec::new();
    if let Some(entries) = identity.access.subtree(&unit.code, day).await? {
        for entry in entries.iter().filter(|e| e.depth <= 1) {
            let branch = matches!(
                entry.unit.kind,
                UnitKind::Branch | UnitKind::GrassrootsBranch
            );
            for &post in key_posts(branch) {
                let filled = holdings
                    .iter()
                    .any(|h| h.unit_code == entry.unit.code && h.post == post);
                if !filled {
                    vacancies.push(format!(
                        "{}: {}",
                        identity.access.unit_name_on(&entry.unit, day).await?,
                        post.label_vi()
                    ));
                }
            }
        }
    }
    let failed = returned.is_some();
    let (form, end, errors) = returned.unwrap_or_else(|| {
        (
            HoldingForm {
                unit: unit.code.clone(),
                ..HoldingForm::default()
            },
            EndForm {
                unit: unit.code.clone(),
                ..EndForm::default()
            },
            FieldErrors::default(),
        )
    });
    let starting: Vec<Move> = Move::ALL.iter().copied().filter(|m| m.starts()).collect();
    let held = choices(
        &end.holding,
        holdings
            .iter()
            .filter(|h| h.to.is_none())
            .map(|h| {
                (
                    h.id.to_string(),
                    format!("{} – {} – {}", h.unit_name, post_words(h), h.person_name),
                )
            })
            .collect(),
    );
    let page = PostsPage {
        c: Chrome::new(
            identity,
            lang,
            t.cadres_title,
            "cadres",
            &format!(
                "/cadres{}",
                format::query(&[("unit", &q.unit), ("on", &q.on)])
            ),
        ),
        unit_name: identity.access.unit_name_on(&unit, day).await?,
        day: format::date(day),
        notice: if q.ok.is_empty() { "" } else { t.holding_saved },
        figures,
        rows: holdings.iter().map(holding_row).collect(),
        vacancies,
        writes: identity.access.cadre_writer().is_ok(),
        posts: vocabulary_choices(&form.post, Post::ALL, Post::code, Post::label_vi),
        starts: vocabulary_choices(&form.start_move, &starting, Move::code, Move::label_vi),
        fields: vec![
            ("post_detail", t.post_detail, form.post_detail.clone()),
            ("holder", t.holder_word, form.holder.clone()),
            ("village", t.village_word, form.village.clone()),
            ("from", t.held_from, form.from.clone()),
            ("start_body", t.start_body, form.start_body.clone()),
            (
                "start_decision",
                t.start_decision,
                form.start_decision.clone(),
            ),
            (
                "start_decided_on",
                t.start_decided_on,
                form.start_decided_on.clone(),
            ),
        ],
        held,
        ends: vocabulary_choices(&end.end_move, Move::ALL, Move::code, Move::label_vi),
        end_fields: vec![
            ("to", t.held_to, end.to.clone()),
            ("end_body", t.end_body, end.end_body.clone()),
            ("end_decision", t.end_decision, end.end_decision.clone()),
            (
                "end_decided_on",
                t.end_decided_on,
                end.end_decided_on.clone(),
            ),
        ],
        form,
        end,
        errors,
        q,
    };
    render_form(&page, failed)
}

/// A unit's posts on a day.
pub async fn posts(Ui(identity, lang): Ui, Query(q): Query<OnQuery>) -> Result<Response, AppError> {
    posts_view(&identity, lang, q, None).await
}

/// Records a post, then shows the unit's posts on its first day.
pub async fn record(
    Ui(identity, lang): Ui,
    Form(form): Form<HoldingForm>,
) -> Result<Response, AppError> {
    let writer = identity.access.cadre_writer()?;
    let mut problems: Problems = Vec::new();
    let from = required_date("from", &form.from, &mut problems);
    let decided_on = date_field("start_decided_on", &form.start_decided_on, &mut problems);
    let input = HoldingInput {
        unit: form.unit.clone(),
        post: form.post.clone(),
        post_detail: form.post_detail.clone(),
        holder: form.holder.clone(),
        village: form.village.clone(),
        from,
        start_move: form.start_move.clone(),
        start_body: form.start_body.clone(),
        start_decision: form.start_decision.clone(),
        start_decided_on: decided_on,
        ..HoldingInput::default()
    };
    let result = if problems.is_empty() {
        writer.record(&input).await.map(Some)
    } else {
        Err(StoreError::Fields(Vec::new()))
    };
    match result {
        Ok(holding) => {
            let on = holding.map(|h| format::date(h.from)).unwrap_or_default();
            Ok(Redirect::to(&format!(
                "/cadres{}",
                format::query(&[("unit", &form.unit), ("on", &on), ("ok", "saved")])
            ))
            .into_response())
        }
        Err(StoreError::Fields(more)) => {
            let q = OnQuery {
                unit: form.unit.clone(),
                ..OnQuery::default()
            };
            let end = EndForm {
                unit: form.unit.clone(),
                ..EndForm::default()
            };
            let problems = crate::params::merged(problems, more);
            posts_view(&identity, lang, q, Some((form, end, FieldErrors(problems)))).await
        }
        Err(other) => Err(other.into()),
    }
}

/// Records the end of a post, then shows the unit's posts on that day.
pub async fn end(Ui(identity, lang): Ui, Form(end): Form<EndForm>) -> Result<Response, AppError> {
    let writer = identity.access.cadre_writer()?;
    let mut problems: Problems = Vec::new();
    let to = required_date("to", &end.to, &mut problems);
    let decided_on = date_field("end_decided_on", &end.end_decided_on, &mut problems);
    let holding_id = match end.holding.trim().parse::<i64>() {
        Ok(id) => id,
        Err(_) => {
            problems.push(("holding".into(), "cần chọn một chức vụ đang giữ".into()));
            0
        }
    };
    let result = if problems.is_empty() {
        writer
            .end(&HoldingEnd {
                holding_id,
                to,
                end_move: end.end_move.clone(),
                end_body: end.end_body.clone(),
                end_decision: end.end_decision.clone(),
                end_decided_on: decided_on,
            })
            .await
            .map(|_| ())
    } else {
        Err(StoreError::Fields(Vec::new()))
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!(
            "/cadres{}",
            format::query(&[("unit", &end.unit), ("on", &end.to), ("ok", "saved")])
        ))
        .into_response()),
        Err(StoreError::Fields(more)) => {
            let q = OnQuery {
                unit: end.unit.clone(),
                ..OnQuery::default()
            };
            let form = HoldingForm {
                unit: end.unit.clone(),
                ..HoldingForm::default()
            };
            let problems = crate::params::merged(problems, more);
            posts_view(&identity, lang, q, Some((form, end, FieldErrors(problems)))).await
        }
        Err(other) => Err(other.into()),
    }
}

/// A move as a row: its day, whether it started or ended a post, and the holding.
pub struct MoveRow {
    pub day: String,
    pub started: bool,
    pub how: String,
    pub row: HoldingRow,
}

#[derive(Template)]
#[template(path = "cadre_moves.html")]
struct MovesPage {
    c: Chrome,
    q: PeriodQuery,
    unit_name: String,
    period: String,
    figures: Vec<FigureCell>,
    rows: Vec<MoveRow>,
}

/// The posts started or ended in a period.
pub async fn moves(
    Ui(identity, lang): Ui,
    Query(q): Query<PeriodQuery>,
) -> Result<Response, AppError> {
    let t = lang.texts();
    let (from, to) = period(&q.from, &q.to).map_err(AppError::fields)?;
    let (unit, holdings) = identity
        .access
        .cadre_moves(&q.unit, from, to)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut keys = vec!["cadres.moves".to_string()];
    keys.extend(
        Move::ALL
            .iter()
            .map(|m| format!("cadres.moves.{}", m.code())),
    );
    let window = Window {
        as_of: to,
        from,
        to,
    };
    let figures = figure_cells(&identity, &unit.code, &keys, &window).await?;
    let mut rows = Vec::new();
    for holding in &holdings {
        if (from..=to).contains(&holding.from) {
            rows.push(MoveRow {
                day: format::date(holding.from),
                started: true,
                how: holding.start_move.label_vi().to_string(),
                row: holding_row(holding),
            });
        }
        if let Some(end) = holding.to.filter(|d| (from..=to).contains(d)) {
            rows.push(MoveRow {
                day: format::date(end),
                started: false,
                how: holding
                    .end_move
                    .map(|m| m.label_vi().to_string())
                    .unwrap_or_default(),
                row: holding_row(holding),
            });
        }
    }
    let page = MovesPage {
        c: Chrome::new(
            &identity,
            lang,
            t.moves_title,
            "cadres",
            &format!(
                "/cadres/moves{}",
                format::query(&[("unit", &q.unit), ("from", &q.from), ("to", &q.to)])
            ),
        ),
        unit_name: identity.access.unit_name_on(&unit, to).await?,
        period: format!("{} – {}", format::date(from), format::date(to)),
        figures,
        rows,
        q,
    };
    render_form(&page, false)
}

pub struct ComplianceRow {
    pub group: &'static str,
    pub unit: String,
    pub post: String,
    pub holder_link: String,
    pub holder: String,
    pub theory: &'static str,
    pub education: &'static str,
    pub qualification: &'static str,
    pub shortfalls: String,
}

#[derive(Template)]
#[template(path = "cadre_standards.html")]
struct StandardsPage {
    c: Chrome,
    q: OnQuery,
    unit_name: String,
    day: String,
    /// Per group: the share meeting the theory standard and the link to those below it.
    groups: Vec<(String, String, String, String)>,
    rows: Vec<ComplianceRow>,
}

/// The holders on a day against their group's standard, those below it first.
pub async fn standards(
    Ui(identity, lang): Ui,
    Query(q): Query<OnQuery>,
) -> Result<Response, AppError> {
    let t = lang.texts();
    let day = day_of(&q.on)?;
    let (unit, list) = identity
        .access
        .compliance(&q.unit, day)
        .await?
        .ok_or(AppError::NotFound)?;
    let shares: Vec<String> = PostGroup::ALL
        .iter()
        .map(|g| format!("positions.theory_standard.{}", g.code()))
        .collect();
    let below: Vec<String> = PostGroup::ALL
        .iter()
        .map(|g| format!("positions.below_theory_standard.{}", g.code()))
        .collect();
    let share_cells = figure_cells(&identity, &unit.code, &shares, &on_day(day)).await?;
    let below_cells = figure_cells(&identity, &unit.code, &below, &on_day(day)).await?;
    let groups = share_cells
        .into_iter()
        .zip(below_cells)
        .map(|((label, value, _), (_, count, link))| (label, value, count, link))
        .collect();
    let rows = list
        .iter()
        .map(|c| ComplianceRow {
            group: c.group.label_vi(),
            unit: c.holding.unit_name.clone(),
            post: post_words(&c.holding),
            holder_link: holder_link(&c.holding),
            holder: c.holding.person_name.clone(),
            theory: c.theory.map_or("—", |l| l.label_vi()),
            education: c.education.map_or("—", |l| l.label_vi()),
            qualification: c.qualification.map_or("—", |l| l.label_vi()),
            shortfalls: if c.shortfalls.is_empty() {
                t.meets_word.to_string()
            } else {
                c.shortfalls.join("; ")
            },
        })
        .collect();
    let page = StandardsPage {
        c: Chrome::new(
            &identity,
            lang,
            t.standards_title,
            "cadres",
            &format!(
                "/cadres/standards{}",
                format::query(&[("unit", &q.unit), ("on", &q.on)])
            ),
        ),
        unit_name: identity.access.unit_name_on(&unit, day).await?,
        day: format::date(day),
        groups,
        rows,
        q,
    };
    render_form(&page, false)
}

#[derive(Deserialize, Default, Clone)]
pub struct PersonForm {
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub full_name: String,
    #[serde(default)]
    pub sex: String,
    #[serde(default)]
    pub birth_date: String,
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub note: String,
}

#[derive(Template)]
#[template(path = "cadre_persons.html")]
struct PersonsPage {
    c: Chrome,
    q: OnQuery,
    unit_name: String,
    /// (link, code, name, birth date, note)
    rows: Vec<(String, String, String, String, String)>,
    writes: bool,
    fields: Vec<(&'static str, &'static str, String)>,
    errors: FieldErrors,
}

async fn persons_view(
    identity: &Identity,
    lang: crate::i18n::Lang,
    q: OnQuery,
    returned: Option<(PersonForm, FieldErrors)>,
) -> Result<Response, AppError> {
    let t = lang.texts();
    let mut found = identity.access.non_members(&q.unit).await?;
    if found.is_none() && returned.is_some() {
        // A form naming a unit out of scope comes back over the whole scope.
        found = identity.access.non_members("").await?;
    }
    let (unit, list) = found.ok_or(AppError::NotFound)?;
    let failed = returned.is_some();
    let (form, errors) = returned.unwrap_or_else(|| {
        (
            PersonForm {
                unit: unit.code.clone(),
                ..PersonForm::default()
            },
            FieldErrors::default(),
        )
    });
    let page = PersonsPage {
        c: Chrome::new(
            identity,
            lang,
            t.cadres_persons,
            "cadres",
            &format!("/cadres/persons{}", format::query(&[("unit", &q.unit)])),
        ),
        unit_name: identity.access.unit_name_on(&unit, format::today()).await?,
        rows: list
            .iter()
            .map(|p| {
                (
                    format!("/cadres/persons/{}", url(p.reference())),
                    p.reference().to_string(),
                    p.full_name.clone(),
                    format::opt_date(p.birth_date),
                    p.note.clone(),
                )
            })
            .collect(),
        writes: identity.access.cadre_writer().is_ok(),
        fields: vec![
            ("code", t.person_code, form.code.clone()),
            ("full_name", t.full_name, form.full_name.clone()),
            ("sex", t.sex_word, form.sex.clone()),
            ("birth_date", t.birth_date, form.birth_date.clone()),
            ("unit", t.unit, form.unit.clone()),
            ("note", t.note_word, form.note.clone()),
        ],
        errors,
        q,
    };
    render_form(&page, failed)
}

/// The non-members kept by the unit's subtree.
pub async fn persons(
    Ui(identity, lang): Ui,
    Query(q): Query<OnQuery>,
) -> Result<Response, AppError> {
    persons_view(&identity, lang, q, None).await
}

/// Records a non-member, then shows their page.
pub async fn add_person(
    Ui(identity, lang): Ui,
    Form(form): Form<PersonForm>,
) -> Result<Response, AppError> {
    let writer = identity.access.cadre_writer()?;
    let mut problems: Problems = Vec::new();
    let birth_date = date_field("birth_date", &form.birth_date, &mut problems);
    let result = if problems.is_empty() {
        writer
            .add_person(&PersonInput {
                code: form.code.clone(),
                full_name: form.full_name.clone(),
                sex: form.sex.clone(),
                birth_date,
                unit: form.unit.clone(),
                note: form.note.clone(),
            })
            .await
    } else {
        Err(StoreError::Fields(Vec::new()))
    };
    match result {
        Ok(person) => Ok(Redirect::to(&format!(
            "/cadres/persons/{}?ok=saved",
            url(person.reference())
        ))
        .into_response()),
        Err(StoreError::Fields(more)) => {
            let q = OnQuery {
                unit: form.unit.clone(),
                ..OnQuery::default()
            };
            let problems = crate::params::merged(problems, more);
            persons_view(&identity, lang, q, Some((form, FieldErrors(problems)))).await
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(Deserialize, Default, Clone)]
pub struct FactForm {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub level: String,
    #[serde(default)]
    pub on: String,
    #[serde(default)]
    pub institution: String,
    #[serde(default)]
    pub proof: String,
    #[serde(default)]
    pub diploma: String,
}

#[derive(Template)]
#[template(path = "person.html")]
struct PersonPage {
    c: Chrome,
    reference: String,
    name: String,
    member_link: String,
    birth_date: String,
    notice: &'static str,
    rows: Vec<HoldingRow>,
    /// (kind, level, date, institution, proof, diploma)
    training: Vec<(&'static str, String, String, String, &'static str, String)>,
    writes: bool,
    kinds: Vec<Choice>,
    levels: Vec<Choice>,
    proofs: Vec<Choice>,
    fields: Vec<(&'static str, &'static str, String)>,
    errors: FieldErrors,
}

async fn person_view(
    identity: &Identity,
    lang: crate::i18n::Lang,
    reference: &str,
    ok: bool,
    returned: Option<(FactForm, FieldErrors)>,
) -> Result<Response, AppError> {
    let t = lang.texts();
    let view = identity
        .access
        .person(reference)
        .await?
        .ok_or(AppError::NotFound)?;
    let failed = returned.is_some();
    let (form, errors) = returned.unwrap_or_default();
    // Every kind's levels in one list, "kind: level", so one select serves all kinds.
    let mut levels = vec![(String::new(), "—".to_string())];
    for &kind in TrainingKind::ALL {
        for code in kind.levels() {
            levels.push((
                code.to_string(),
                format!(
                    "{}: {}",
                    kind.label_vi(),
                    kind.level_label_vi(code).unwrap_or(code)
                ),
            ));
        }
    }
    let page = PersonPage {
        c: Chrome::new(
            identity,
            lang,
            format!("{} – {}", t.person_title, view.person.full_name),
            "cadres",
            &format!("/cadres/persons/{}", url(reference)),
        ),
        reference: view.person.reference().to_string(),
        name: view.person.full_name.clone(),
        member_link: view
            .person
            .member_code
            .as_deref()
            .map(|code| format!("/members/{}", url(code)))
            .unwrap_or_default(),
        birth_date: format::opt_date(view.person.birth_date),
        notice: if ok { t.person_saved } else { "" },
        rows: view.holdings.iter().map(holding_row).collect(),
        training: view
            .training
            .iter()
            .map(|f| {
                (
                    f.kind.label_vi(),
                    f.level_label.clone(),
                    format::date(f.on),
                    f.institution.clone(),
                    if f.proof == "equivalence" {
                        "Giấy chứng nhận tương đương"
                    } else {
                        "Bằng tốt nghiệp"
                    },
                    f.diploma.clone(),
                )
            })
            .collect(),
        writes: identity.access.cadre_writer().is_ok(),
        kinds: vocabulary_choices(
            &form.kind,
            TrainingKind::ALL,
            TrainingKind::code,
            TrainingKind::label_vi,
        ),
        levels: choices(&form.level, levels),
        proofs: choices(
            &form.proof,
            vec![
                ("diploma".into(), "Bằng tốt nghiệp".into()),
                ("equivalence".into(), "Giấy chứng nhận tương đương".into()),
            ],
        ),
        fields: vec![
            ("on", t.training_on, form.on.clone()),
            (
                "institution",
                t.training_institution,
                form.institution.clone(),
            ),
            ("diploma", t.training_diploma, form.diploma.clone()),
        ],
        errors,
    };
    render_form(&page, failed)
}

#[derive(Deserialize, Default)]
pub struct OkQuery {
    #[serde(default)]
    pub ok: String,
}

/// A person's posts over time and training.
pub async fn person(
    Ui(identity, lang): Ui,
    Path(reference): Path<String>,
    Query(q): Query<OkQuery>,
) -> Result<Response, AppError> {
    person_view(&identity, lang, &reference, !q.ok.is_empty(), None).await
}

/// Records a level the person reached, then shows their page.
pub async fn add_fact(
    Ui(identity, lang): Ui,
    Path(reference): Path<String>,
    Form(form): Form<FactForm>,
) -> Result<Response, AppError> {
    let writer = identity.access.cadre_writer()?;
    // Out of scope reads as absent, before anything is checked.
    identity
        .access
        .person(&reference)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut problems: Problems = Vec::new();
    let on = required_date("on", &form.on, &mut problems);
    let result = if problems.is_empty() {
        writer
            .record_fact(&FactInput {
                person: reference.clone(),
                kind: form.kind.clone(),
                level: form.level.clone(),
                on,
                institution: form.institution.clone(),
                proof: form.proof.clone(),
                diploma: form.diploma.clone(),
            })
            .await
            .map(|_| ())
    } else {
        Err(StoreError::Fields(Vec::new()))
    };
    match result {
        Ok(()) => Ok(
            Redirect::to(&format!("/cadres/persons/{}?ok=saved", url(&reference))).into_response(),
        ),
        Err(StoreError::Fields(more)) => {
            let problems = crate::params::merged(problems, more);
            person_view(
                &identity,
                lang,
                &reference,
                false,
                Some((form, FieldErrors(problems))),
            )
            .await
        }
        Err(other) => Err(other.into()),
    }
}
