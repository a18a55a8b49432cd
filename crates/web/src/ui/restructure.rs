//! The guided restructure form: merge, split, rename, dissolve, with a preview of who moves.

use askama::Template;
use axum::Form;
use axum::response::{IntoResponse, Response};
use dangbo_domain::tree::UnitKind;
use dangbo_store::StoreError;
use dangbo_store::access::{Decision, NewUnit, RestructurePlan, RestructurePreview, SplitPart};
use serde::Deserialize;

use super::Chrome;
use super::units::status_label;
use super::{Choice, choices, vocabulary_choices};
use crate::AppError;
use crate::error::render;
use crate::format;
use crate::session::Ui;

#[derive(Deserialize, Default, Clone)]
pub struct RestructureForm {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub sources: String,
    #[serde(default)]
    pub new_code: String,
    #[serde(default)]
    pub new_name: String,
    #[serde(default)]
    pub parent_code: String,
    #[serde(default)]
    pub unit_kind: String,
    #[serde(default)]
    pub move_to: String,
    #[serde(default)]
    pub split_parts: String,
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub decision_number: String,
    #[serde(default)]
    pub issuing_body: String,
    /// "preview" or "apply".
    #[serde(default)]
    pub step: String,
}

fn codes(list: &str) -> Vec<String> {
    list.split([',', ';', '\n', ' '])
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_string)
        .collect()
}

impl RestructureForm {
    /// The kind of the new units, or a problem on the field.
    fn unit_kind(&self, problems: &mut Vec<(String, String)>) -> Option<UnitKind> {
        let kind = UnitKind::parse(&self.unit_kind);
        if kind.is_none() {
            let expected = UnitKind::ALL.map(|k| k.label_vi()).join(", ");
            problems.push(("unit_kind".into(), format!("cần một trong: {expected}")));
        }
        kind
    }

    /// The plan and its decision, or the problems per field.
    fn plan(&self) -> Result<(RestructurePlan, Decision), Vec<(String, String)>> {
        let mut problems = Vec::new();
        let date = crate::params::required_date("date", &self.date, &mut problems);
        let need = |value: &str, field: &str, what: &str, problems: &mut Vec<(String, String)>| {
            if value.trim().is_empty() {
                problems.push((field.to_string(), format!("cần {what}")));
            }
        };
        let sources = codes(&self.sources);
        let plan = match self.kind.as_str() {
            "merge" => {
                if sources.len() < 2 {
                    problems.push(("sources".into(), "cần ít nhất hai mã đơn vị".into()));
                }
                need(&self.new_code, "new_code", "mã đơn vị mới", &mut problems);
                need(&self.new_name, "new_name", "tên đơn vị mới", &mut problems);
                let kind = self.unit_kind(&mut problems);
                kind.map(|kind| RestructurePlan::Merge {
                    sources: sources.clone(),
                    new: NewUnit {
                        code: self.new_code.trim().to_string(),
                        name: self.new_name.trim().to_string(),
                        kind,
                        parent_code: Some(self.parent_code.trim().to_string())
                            .filter(|p| !p.is_empty()),
                        start_date: date.unwrap_or_default(),
                        end_date: None,
                    },
                })
            }
            "rename" => {
                if sources.len() != 1 {
                    problems.push(("sources".into(), "cần đúng một mã đơn vị".into()));
                }
                need(&self.new_name, "new_name", "tên mới", &mut problems);
                sources.first().map(|code| RestructurePlan::Rename {
                    code: code.clone(),
                    new_name: self.new_name.trim().to_string(),
                })
            }
            "dissolve" => {
                if sources.len() != 1 {
                    problems.push(("sources".into(), "cần đúng một mã đơn vị".into()));
                }
                sources.first().map(|code| RestructurePlan::Dissolve {
                    code: code.clone(),
                    move_members_to: Some(self.move_to.trim().to_string())
                        .filter(|c| !c.is_empty()),
                })
            }
            "split" => {
                if sources.len() != 1 {
                    problems.push(("sources".into(), "cần đúng một mã đơn vị".into()));
                }
                let kind = self.unit_kind(&mut problems);
                let mut parts = Vec::new();
                for (n, line) in self
                    .split_parts
                    .lines()
                    .filter(|l| !l.trim().is_empty())
                    .enumerate()
                {
                    let fields: Vec<&str> = line.splitn(3, ';').map(str::trim).collect();
                    if fields.len() < 2 || fields[0].is_empty() || fields[1].is_empty() {
                        problems.push((
                            "split_parts".into(),
                            format!("dòng {}: cần «mã; tên; mã đảng viên…»", n + 1),
                        ));
                        continue;
                    }
                    parts.push(SplitPart {
                        unit: NewUnit {
                            code: fields[0].to_string(),
                            name: fields[1].to_string(),
                            kind: kind.unwrap_or(UnitKind::Branch),
                            parent_code: Some(self.parent_code.trim().to_string())
                                .filter(|p| !p.is_empty()),
                            start_date: date.unwrap_or_default(),
                            end_date: None,
                        },
                        members: fields.get(2).map(|m| codes(m)).unwrap_or_default(),
                        children: Vec::new(),
                    });
                }
                if parts.len() < 2 {
                    problems.push(("split_parts".into(), "cần ít nhất hai đơn vị mới".into()));
                }
                sources.first().map(|code| RestructurePlan::Split {
                    source: code.clone(),
                    parts,
                })
            }
            _ => {
                problems.push(("kind".into(), "chọn loại sắp xếp".into()));
                None
            }
        };
        match (plan, date) {
            (Some(plan), Some(date)) if problems.is_empty() => Ok((
                plan,
                Decision {
                    date,
                    decision_number: self.decision_number.trim().to_string(),
                    issuing_body: self.issuing_body.trim().to_string(),
                    note: String::new(),
                },
            )),
            _ => Err(problems),
        }
    }
}

pub struct MovingRow {
    pub code: String,
    pub name: String,
    pub unit: String,
    pub status: String,
}

#[derive(Template)]
#[template(path = "restructure.html")]
struct RestructurePage {
    c: Chrome,
    f: RestructureForm,
    kinds: Vec<Choice>,
    unit_kinds: Vec<Choice>,
    errors: super::FieldErrors,
    error: String,
    /// (code, name) of each unit the plan creates and ends.
    created: Vec<(String, String)>,
    ended: Vec<(String, String)>,
    moving: Vec<MovingRow>,
    moved_count: String,
    previewed: bool,
    done: bool,
}

fn page_for(c: Chrome, f: RestructureForm) -> RestructurePage {
    let kinds = vec![
        ("".to_string(), "—".to_string()),
        ("merge".into(), c.t.merge.to_string()),
        ("split".into(), c.t.split.to_string()),
        ("rename".into(), c.t.rename.to_string()),
        ("dissolve".into(), c.t.dissolve.to_string()),
    ];
    RestructurePage {
        kinds: choices(&f.kind, kinds),
        unit_kinds: vocabulary_choices(
            &f.unit_kind,
            &UnitKind::ALL,
            UnitKind::code,
            UnitKind::label_vi,
        ),
        c,
        f,
        errors: super::FieldErrors::default(),
        error: String::new(),
        created: Vec::new(),
        ended: Vec::new(),
        moving: Vec::new(),
        moved_count: String::new(),
        previewed: false,
        done: false,
    }
}

pub async fn page(Ui(identity, lang): Ui) -> Result<Response, AppError> {
    identity.access.restructurer()?;
    let c = Chrome::new(
        &identity,
        lang,
        lang.texts().restructure_title,
        "restructure",
        "/restructure",
    );
    Ok(render(&page_for(c, RestructureForm::default()))?.into_response())
}

impl RestructureForm {
    /// The units the plan creates, by code: (code, name) as typed in the form.
    fn new_names(&self) -> Vec<(String, String)> {
        let mut names = vec![(
            self.new_code.trim().to_string(),
            self.new_name.trim().to_string(),
        )];
        names.extend(self.split_parts.lines().filter_map(|line| {
            let mut fields = line.splitn(3, ';').map(str::trim);
            Some((fields.next()?.to_string(), fields.next()?.to_string()))
        }));
        names.retain(|(code, name)| !code.is_empty() && !name.is_empty());
        names
    }
}

/// The preview (or what was applied), every unit by its name: a new one as the form names it, an
/// ended one as it was called on its last day.
async fn show(
    page: &mut RestructurePage,
    preview: RestructurePreview,
    access: &dangbo_store::access::Access,
    f: &RestructureForm,
) -> Result<(), AppError> {
    let new_names = f.new_names();
    page.created = preview
        .outcome
        .created
        .into_iter()
        .map(|code| {
            let name = new_names
                .iter()
                .find(|(c, _)| *c == code)
                .map_or_else(|| code.clone(), |(_, n)| n.clone());
            (code, name)
        })
        .collect();
    let last_day = crate::params::date_field("date", &f.date, &mut Vec::new())
        .and_then(|d| d.pred_opt())
        .unwrap_or_else(format::today);
    let codes: Vec<&str> = preview.outcome.ended.iter().map(String::as_str).collect();
    let names = access.unit_names_by_code(&codes).await?;
    page.ended = preview
        .outcome
        .ended
        .iter()
        .map(|code| {
            let name = names.get(code).map_or_else(
                || code.clone(),
                |h| dangbo_store::access::name_on(h, last_day),
            );
            (code.clone(), name)
        })
        .collect();
    page.moved_count = format::int(preview.outcome.members_moved as i64);
    page.moving = preview
        .moving
        .into_iter()
        .map(|m| MovingRow {
            code: m.code,
            name: m.full_name,
            unit: if m.unit_name.is_empty() {
                m.unit_code
            } else {
                m.unit_name
            },
            status: status_label(&m.status),
        })
        .collect();
    Ok(())
}

pub async fn submit(
    Ui(identity, lang): Ui,
    Form(f): Form<RestructureForm>,
) -> Result<Response, AppError> {
    let restructurer = identity.access.restructurer()?;
    let c = Chrome::new(
        &identity,
        lang,
        lang.texts().restructure_title,
        "restructure",
        "/restructure",
    );
    let apply = f.step == "apply";
    let mut page = page_for(c, f.clone());
    let (plan, decision) = match f.plan() {
        Ok(plan) => plan,
        Err(problems) => {
            page.errors = super::FieldErrors(problems);
            return Ok(
                (axum::http::StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response(),
            );
        }
    };
    let result = if apply {
        restructurer.apply(&plan, &decision).await
    } else {
        restructurer.preview(&plan, &decision).await
    };
    match result {
        Ok(preview) => {
            show(&mut page, preview, &identity.access, &f).await?;
            page.previewed = !apply;
            page.done = apply;
            Ok(render(&page)?.into_response())
        }
        Err(error @ (StoreError::Invalid(_) | StoreError::NotFound(_))) => {
            page.error = error.to_string();
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, render(&page)?).into_response())
        }
        Err(other) => Err(other.into()),
    }
}
