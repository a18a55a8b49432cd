//! The restructure wizard: one step per choice (the kind; the units, picked from the tree, and the
//! decision; for a split, who goes where; the preview by name), then apply. The choices made so
//! far travel in the form itself, so every step works without JavaScript and nothing is kept on
//! the server between steps.

use std::collections::{BTreeMap, HashMap, HashSet};

use askama::Template;
use axum::Form;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use dangbo_domain::tree::UnitKind;
use dangbo_store::StoreError;
use dangbo_store::access::{
    Access, Decision, NewUnit, RestructurePlan, RestructurePreview, SplitContents, SplitPart,
};

use super::Chrome;
use super::units::status_label;
use super::{Choice, vocabulary_choices};
use crate::AppError;
use crate::error::render;
use crate::format;
use crate::session::Ui;

/// The most units the tree of the units step lists; a larger scope shows its upper levels and
/// the picker finds the rest.
const TREE_LIMIT: usize = 1500;
/// The levels a scope too large for [`TREE_LIMIT`] shows.
const TREE_LEVELS: usize = 2;

/// The most new units a split offers: more than any decision makes, few enough that the page of
/// choices (one per new unit for every member) stays small whatever a form sends.
const MAX_PARTS: usize = 30;
/// The most fields a wizard form may carry: a split of a branch of a few thousand members.
const MAX_FIELDS: usize = 20_000;

/// The kinds of restructure, in the order offered.
const KINDS: [&str; 5] = ["merge", "split", "rename", "dissolve", "move"];

/// The wizard's steps, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Step {
    Kind,
    Units,
    /// A split's new units and who goes to each.
    Parts,
    Preview,
    Apply,
}

impl Step {
    fn parse(step: &str) -> Step {
        match step {
            "units" => Step::Units,
            "parts" | "add_part" => Step::Parts,
            "preview" => Step::Preview,
            "apply" => Step::Apply,
            _ => Step::Kind,
        }
    }
}

/// One new unit of a split, as typed.
#[derive(Debug, Clone, Default)]
pub struct PartForm {
    pub code: String,
    pub name: String,
}

/// Everything chosen so far. Fields: `kind`; `source` (a unit ticked in the tree, repeated) and
/// `sources` (codes or exact names, comma-separated); `new_code`, `new_name`, `unit_kind`,
/// `parent_code` (merge, split), `move_to` (dissolve), `new_parent` (move); the decision's `date`,
/// `decision_number`, `issuing_body`; a split's `part_code` and `part_name` (repeated, in order)
/// and `member:CODE` / `unit:CODE` = the number of the new unit (from 1) each member or sub-unit
/// goes to; `step`, the step asked for; `add_part`, one more new unit.
#[derive(Debug, Clone, Default)]
pub struct RestructureForm {
    pub kind: String,
    pub sources: Vec<String>,
    pub new_code: String,
    pub new_name: String,
    pub parent_code: String,
    pub unit_kind: String,
    pub move_to: String,
    pub new_parent: String,
    pub date: String,
    pub decision_number: String,
    pub issuing_body: String,
    pub parts: Vec<PartForm>,
    /// Member code → the number of their new unit (a code sent twice keeps its last choice).
    pub members: BTreeMap<String, usize>,
    /// Sub-unit code → the number of its new unit.
    pub units: BTreeMap<String, usize>,
    pub add_part: bool,
    pub step: String,
}

/// Keeps the first of each repeated entry, in order (a unit ticked and typed is one unit).
fn unique(list: &mut Vec<String>) {
    let mut seen = HashSet::new();
    list.retain(|s| seen.insert(s.clone()));
}

fn codes(list: &str) -> impl Iterator<Item = String> + '_ {
    list.split([',', ';', '\n'])
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(str::to_string)
}

/// The number of a new unit chosen in a select: 0 for none.
fn part_number(value: &str) -> usize {
    value.trim().parse().unwrap_or(0)
}

impl RestructureForm {
    pub fn from_pairs(pairs: Vec<(String, String)>) -> RestructureForm {
        let mut f = RestructureForm::default();
        let (mut part_codes, mut part_names) = (Vec::new(), Vec::new());
        for (name, value) in pairs {
            match name.as_str() {
                "kind" => f.kind = value,
                "source" => f.sources.push(value.trim().to_string()),
                "sources" => f.sources.extend(codes(&value)),
                "new_code" => f.new_code = value,
                "new_name" => f.new_name = value,
                "parent_code" => f.parent_code = value,
                "unit_kind" => f.unit_kind = value,
                "move_to" => f.move_to = value,
                "new_parent" => f.new_parent = value,
                "date" => f.date = value,
                "decision_number" => f.decision_number = value,
                "issuing_body" => f.issuing_body = value,
                "part_code" => part_codes.push(value),
                "part_name" => part_names.push(value),
                "step" => {
                    f.add_part = value == "add_part";
                    f.step = value;
                }
                _ => {
                    if let Some(code) = name.strip_prefix("member:") {
                        f.members.insert(code.to_string(), part_number(&value));
                    } else if let Some(code) = name.strip_prefix("unit:") {
                        f.units.insert(code.to_string(), part_number(&value));
                    }
                }
            }
        }
        f.sources.retain(|s| !s.is_empty());
        unique(&mut f.sources);
        let count = part_codes.len().max(part_names.len());
        part_codes.resize(count, String::new());
        part_names.resize(count, String::new());
        f.parts = part_codes
            .into_iter()
            .zip(part_names)
            .take(MAX_PARTS)
            .map(|(code, name)| PartForm {
                code: code.trim().to_string(),
                name: name.trim().to_string(),
            })
            .collect();
        f
    }

    /// Every choice as form fields, to carry through the steps that do not show it.
    fn pairs(&self) -> Vec<(String, String)> {
        let mut pairs: Vec<(String, String)> = [
            ("kind", &self.kind),
            ("new_code", &self.new_code),
            ("new_name", &self.new_name),
            ("parent_code", &self.parent_code),
            ("unit_kind", &self.unit_kind),
            ("move_to", &self.move_to),
            ("new_parent", &self.new_parent),
            ("date", &self.date),
            ("decision_number", &self.decision_number),
            ("issuing_body", &self.issuing_body),
        ]
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect();
        if !self.sources.is_empty() {
            pairs.push(("sources".into(), self.sources.join(", ")));
        }
        for part in &self.parts {
            pairs.push(("part_code".into(), part.code.clone()));
            pairs.push(("part_name".into(), part.name.clone()));
        }
        for (code, n) in &self.members {
            pairs.push((format!("member:{code}"), n.to_string()));
        }
        for (code, n) in &self.units {
            pairs.push((format!("unit:{code}"), n.to_string()));
        }
        pairs
    }

    /// The choices a step does not show, as hidden fields.
    fn hidden_for(&self, step: Step) -> Vec<(String, String)> {
        let shown: &[&str] = match step {
            Step::Kind => &["kind"],
            Step::Units => &[
                "sources",
                "new_code",
                "new_name",
                "parent_code",
                "unit_kind",
                "move_to",
                "new_parent",
                "date",
                "decision_number",
                "issuing_body",
            ],
            Step::Parts => &["part_code", "part_name", "member:", "unit:"],
            Step::Preview | Step::Apply => &[],
        };
        self.pairs()
            .into_iter()
            .filter(|(name, _)| {
                !shown
                    .iter()
                    .any(|s| name == s || (s.ends_with(':') && name.starts_with(s)))
            })
            .collect()
    }

    fn date(&self, problems: &mut Vec<(String, String)>) -> Option<NaiveDate> {
        crate::params::required_date("date", &self.date, problems)
    }

    /// Puts a unit's code in place of a name typed in a unit field (a code stays as it is), or
    /// names the field when no unit in scope answers to it.
    async fn resolve(&mut self, access: &Access) -> Result<Vec<(String, String)>, AppError> {
        let mut problems = Vec::new();
        let mut sources = Vec::new();
        for typed in std::mem::take(&mut self.sources) {
            match unit_code(access, &typed).await? {
                Ok(code) => sources.push(code),
                Err(problem) => {
                    problems.push(("sources".to_string(), problem));
                    sources.push(typed);
                }
            }
        }
        unique(&mut sources);
        self.sources = sources;
        for (field, value) in [
            ("parent_code", &mut self.parent_code),
            ("move_to", &mut self.move_to),
            ("new_parent", &mut self.new_parent),
        ] {
            if value.trim().is_empty() {
                continue;
            }
            match unit_code(access, value).await? {
                Ok(code) => *value = code,
                Err(problem) => problems.push((field.to_string(), problem)),
            }
        }
        Ok(problems)
    }

    /// The problems of the units step's choices.
    fn units_problems(&self) -> Vec<(String, String)> {
        let mut problems = Vec::new();
        self.date(&mut problems);
        let one = |problems: &mut Vec<(String, String)>| {
            if self.sources.len() != 1 {
                problems.push(("sources".into(), "chọn đúng một đơn vị".into()));
            }
        };
        let need = |value: &str, field: &str, what: &str, problems: &mut Vec<(String, String)>| {
            if value.trim().is_empty() {
                problems.push((field.to_string(), format!("cần {what}")));
            }
        };
        match self.kind.as_str() {
            "merge" => {
                if self.sources.len() < 2 {
                    problems.push(("sources".into(), "chọn ít nhất hai đơn vị".into()));
                }
                need(&self.new_code, "new_code", "mã đơn vị mới", &mut problems);
                need(&self.new_name, "new_name", "tên đơn vị mới", &mut problems);
                self.unit_kind(&mut problems);
            }
            "rename" => {
                one(&mut problems);
                need(&self.new_name, "new_name", "tên mới", &mut problems);
            }
            "dissolve" => one(&mut problems),
            "split" => {
                one(&mut problems);
                self.unit_kind(&mut problems);
            }
            "move" => {
                one(&mut problems);
                need(
                    &self.new_parent,
                    "new_parent",
                    "đơn vị cấp trên mới",
                    &mut problems,
                );
            }
            _ => problems.push(("kind".into(), "chọn loại sắp xếp".into())),
        }
        problems
    }

    /// The kind of the new units, or a problem on the field.
    fn unit_kind(&self, problems: &mut Vec<(String, String)>) -> Option<UnitKind> {
        let kind = UnitKind::parse(&self.unit_kind);
        if kind.is_none() {
            let expected = UnitKind::ALL.map(|k| k.label_vi()).join(", ");
            problems.push(("unit_kind".into(), format!("cần một trong: {expected}")));
        }
        kind
    }

    /// The problems of a split's parts: every new unit named, every member and sub-unit sent to
    /// one of them (named in the message).
    fn parts_problems(&self, contents: &SplitContents) -> Vec<(String, String)> {
        let mut problems = Vec::new();
        let parts: Vec<&PartForm> = self.filled_parts();
        if parts.len() < 2 {
            problems.push(("parts".into(), "cần ít nhất hai đơn vị mới".into()));
        }
        for (n, part) in self.parts.iter().enumerate() {
            if part.code.is_empty() != part.name.is_empty() {
                problems.push((
                    "parts".into(),
                    format!("đơn vị mới {}: cần cả mã và tên", n + 1),
                ));
            }
        }
        // A choice counts only for a new unit that has its code and name.
        let chosen = |list: &BTreeMap<String, usize>, code: &str| {
            list.get(code)
                .and_then(|n| self.parts.get(n.wrapping_sub(1)))
                .is_some_and(|p| !p.code.is_empty() && !p.name.is_empty())
        };
        let mut missing: Vec<&str> = contents
            .children
            .iter()
            .filter(|u| !chosen(&self.units, &u.code))
            .map(|u| u.name.as_str())
            .collect();
        missing.extend(
            contents
                .members
                .iter()
                .filter(|(code, _)| !chosen(&self.members, code))
                .map(|(_, name)| name.as_str()),
        );
        if !missing.is_empty() {
            let shown = missing.len().min(10);
            let rest = missing.len() - shown;
            problems.push((
                "assign".into(),
                format!(
                    "chưa chọn đơn vị mới cho {}: {}{}",
                    format::int(missing.len() as i64),
                    missing[..shown].join(", "),
                    if rest > 0 {
                        format!(" và {} khác", format::int(rest as i64))
                    } else {
                        String::new()
                    }
                ),
            ));
        }
        problems
    }

    fn filled_parts(&self) -> Vec<&PartForm> {
        self.parts
            .iter()
            .filter(|p| !p.code.is_empty() || !p.name.is_empty())
            .collect()
    }

    /// The plan and its decision, once every step's choices are valid.
    fn plan(&self, date: NaiveDate) -> Option<RestructurePlan> {
        let parent = || Some(self.parent_code.trim().to_string()).filter(|p| !p.is_empty());
        let new_unit = |code: &str, name: &str| NewUnit {
            code: code.trim().to_string(),
            name: name.trim().to_string(),
            kind: UnitKind::parse(&self.unit_kind).unwrap_or(UnitKind::Branch),
            parent_code: parent(),
            start_date: date,
            end_date: None,
        };
        let source = self.sources.first()?.clone();
        Some(match self.kind.as_str() {
            "merge" => RestructurePlan::Merge {
                sources: self.sources.clone(),
                new: new_unit(&self.new_code, &self.new_name),
            },
            "rename" => RestructurePlan::Rename {
                code: source,
                new_name: self.new_name.trim().to_string(),
            },
            "dissolve" => RestructurePlan::Dissolve {
                code: source,
                move_members_to: Some(self.move_to.trim().to_string()).filter(|c| !c.is_empty()),
            },
            "move" => RestructurePlan::MoveUnder {
                code: source,
                new_parent: self.new_parent.trim().to_string(),
                new_code: Some(self.new_code.trim().to_string()).filter(|c| !c.is_empty()),
            },
            "split" => {
                let to = |list: &BTreeMap<String, usize>, n: usize| {
                    list.iter()
                        .filter(|(_, p)| **p == n)
                        .map(|(c, _)| c.clone())
                        .collect()
                };
                RestructurePlan::Split {
                    source,
                    parts: self
                        .parts
                        .iter()
                        .enumerate()
                        .filter(|(_, p)| !p.code.is_empty() && !p.name.is_empty())
                        .map(|(i, p)| SplitPart {
                            unit: new_unit(&p.code, &p.name),
                            members: to(&self.members, i + 1),
                            children: to(&self.units, i + 1),
                        })
                        .collect(),
                }
            }
            _ => return None,
        })
    }

    /// The units the plan creates, by code: (code, name) as typed in the form.
    fn new_names(&self) -> Vec<(String, String)> {
        let mut names = vec![(
            self.new_code.trim().to_string(),
            self.new_name.trim().to_string(),
        )];
        names.extend(self.parts.iter().map(|p| (p.code.clone(), p.name.clone())));
        names.retain(|(code, name)| !code.is_empty() && !name.is_empty());
        names
    }

    /// The name of the new unit a split sends a member to: directly, or with the sub-unit their
    /// unit lies under (`part_of_unit`: every unit of each moved sub-unit's subtree).
    fn split_destination(
        &self,
        member: &str,
        unit: &str,
        part_of_unit: &HashMap<String, usize>,
    ) -> String {
        let n = self
            .members
            .get(member)
            .or_else(|| part_of_unit.get(unit))
            .copied()
            .unwrap_or(0);
        self.parts
            .get(n.wrapping_sub(1))
            .map(|p| p.name.clone())
            .unwrap_or_default()
    }
}

/// The code of the unit in scope answering to a code or exact name, or why there is none.
async fn unit_code(access: &Access, typed: &str) -> Result<Result<String, String>, AppError> {
    match super::unit_in_scope(access, "", typed).await {
        Ok(Some(code)) => Ok(Ok(code)),
        Ok(None) => Ok(Err(format!(
            "không có đơn vị «{}» trong phạm vi của bạn",
            typed.trim()
        ))),
        Err(StoreError::Fields(problems)) => Ok(Err(problems
            .into_iter()
            .map(|(_, message)| message)
            .collect::<Vec<_>>()
            .join("; "))),
        Err(other) => Err(other.into()),
    }
}

/// A unit of the tree to tick.
pub struct TreeChoice {
    pub code: String,
    pub name: String,
    pub kind: &'static str,
    pub indent: usize,
    pub checked: bool,
    /// The scope's own root: restructured by the level above.
    pub fixed: bool,
}

/// One new unit of a split, with its number (from 1).
pub struct PartRow {
    pub number: usize,
    pub code: String,
    pub name: String,
}

/// A member or sub-unit of a split to send to a new unit.
pub struct AssignRow {
    pub field: String,
    pub name: String,
    pub detail: String,
    pub options: Vec<Choice>,
}

/// The sub-units, or the members, of a split to assign.
pub struct AssignGroup {
    pub title: &'static str,
    pub name_header: &'static str,
    pub rows: Vec<AssignRow>,
}

pub struct MovingRow {
    pub code: String,
    pub name: String,
    pub unit: String,
    pub to: String,
    pub status: String,
}

#[derive(Template)]
#[template(path = "restructure.html")]
struct RestructurePage {
    c: Chrome,
    f: RestructureForm,
    step: Step,
    /// The steps this kind goes through, with (label, is current, is done).
    steps: Vec<(&'static str, bool, bool)>,
    hidden: Vec<(String, String)>,
    kinds: Vec<(&'static str, &'static str, &'static str, bool)>,
    unit_kinds: Vec<Choice>,
    errors: super::FieldErrors,
    error: String,
    tree: Vec<TreeChoice>,
    /// Set when the scope is too large for the whole tree: how many units it holds.
    tree_cut: String,
    many_sources: bool,
    /// The step the form goes on to when Enter is pressed in a field.
    next_step: &'static str,
    /// The typed sources not ticked in the tree.
    typed_sources: String,
    split_unit: String,
    parts: Vec<PartRow>,
    groups: Vec<AssignGroup>,
    all_options: Vec<Choice>,
    /// (code, name) of each unit the plan creates and ends.
    created: Vec<(String, String)>,
    ended: Vec<(String, String)>,
    moving: Vec<MovingRow>,
    moved_count: String,
    done: bool,
}

impl RestructurePage {
    fn new(c: Chrome, f: RestructureForm, step: Step) -> RestructurePage {
        let t = c.t;
        let kinds = KINDS
            .iter()
            .map(|&k| {
                let (label, help) = match k {
                    "merge" => (t.merge, t.merge_help),
                    "split" => (t.split, t.split_help),
                    "rename" => (t.rename, t.rename_help),
                    "dissolve" => (t.dissolve, t.dissolve_help),
                    _ => (t.move_under, t.move_under_help),
                };
                (k, label, help, f.kind == k)
            })
            .collect();
        let mut steps = vec![(t.step_kind, Step::Kind), (t.step_units, Step::Units)];
        if f.kind == "split" {
            steps.push((t.step_parts, Step::Parts));
        }
        steps.push((t.preview, Step::Preview));
        steps.push((t.apply, Step::Apply));
        RestructurePage {
            steps: steps
                .into_iter()
                .map(|(label, s)| (label, s == step, s < step))
                .collect(),
            hidden: f.hidden_for(step),
            kinds,
            unit_kinds: vocabulary_choices(
                &f.unit_kind,
                &UnitKind::ALL,
                UnitKind::code,
                UnitKind::label_vi,
            ),
            many_sources: f.kind == "merge",
            next_step: match step {
                Step::Kind => "units",
                Step::Units if f.kind == "split" => "parts",
                _ => "preview",
            },
            c,
            f,
            step,
            errors: super::FieldErrors::default(),
            error: String::new(),
            tree: Vec::new(),
            tree_cut: String::new(),
            typed_sources: String::new(),
            split_unit: String::new(),
            parts: Vec::new(),
            groups: Vec::new(),
            all_options: Vec::new(),
            created: Vec::new(),
            ended: Vec::new(),
            moving: Vec::new(),
            moved_count: String::new(),
            done: false,
        }
    }

    /// The units step: the scope's tree, as it stood the day before the decision (today when no
    /// date is given yet), to tick the units in.
    async fn fill_units(&mut self, access: &Access) -> Result<(), AppError> {
        let on = crate::params::date_field("date", &self.f.date, &mut Vec::new())
            .and_then(|d| d.pred_opt())
            .unwrap_or_else(format::today);
        let mut entries = access.tree(on).await?;
        if entries.len() > TREE_LIMIT {
            self.tree_cut = format::int(entries.len() as i64);
            entries.retain(|e| e.depth <= TREE_LEVELS);
        }
        let actor = access.actor();
        let scope_root = (!actor.sees_everything()).then_some(actor.scope.id);
        self.tree = entries
            .into_iter()
            .map(|e| TreeChoice {
                checked: self.f.sources.contains(&e.unit.code),
                fixed: Some(e.unit.id) == scope_root,
                indent: e.depth.min(8),
                kind: e.unit.kind.label_vi(),
                code: e.unit.code,
                name: e.unit.name,
            })
            .collect();
        self.typed_sources = self
            .f
            .sources
            .iter()
            .filter(|s| !self.tree.iter().any(|t| &t.code == *s))
            .cloned()
            .collect::<Vec<_>>()
            .join(", ");
        Ok(())
    }

    /// The parts step: the new units, and a choice of new unit per sub-unit and member.
    fn fill_parts(&mut self, contents: &SplitContents) {
        self.split_unit = contents.unit.name.clone();
        self.parts = self
            .f
            .parts
            .iter()
            .enumerate()
            .map(|(i, p)| PartRow {
                number: i + 1,
                code: p.code.clone(),
                name: p.name.clone(),
            })
            .collect();
        let options = |current: usize| -> Vec<Choice> {
            let mut options = vec![Choice {
                value: String::new(),
                label: "—".into(),
                selected: current == 0,
            }];
            options.extend(self.parts.iter().map(|p| Choice {
                value: p.number.to_string(),
                label: part_label(p),
                selected: p.number == current,
            }));
            options
        };
        let chosen =
            |list: &BTreeMap<String, usize>, code: &str| list.get(code).copied().unwrap_or(0);
        let children: Vec<AssignRow> = contents
            .children
            .iter()
            .map(|u| AssignRow {
                field: format!("unit:{}", u.code),
                name: u.name.clone(),
                detail: u.kind.label_vi().to_string(),
                options: options(chosen(&self.f.units, &u.code)),
            })
            .collect();
        let members: Vec<AssignRow> = contents
            .members
            .iter()
            .map(|(code, name)| AssignRow {
                field: format!("member:{code}"),
                name: name.clone(),
                detail: code.clone(),
                options: options(chosen(&self.f.members, code)),
            })
            .collect();
        let t = self.c.t;
        self.groups = [
            (t.split_children, t.unit_name_header, children),
            (t.split_members, t.full_name, members),
        ]
        .into_iter()
        .filter(|(_, _, rows)| !rows.is_empty())
        .map(|(title, name_header, rows)| AssignGroup {
            title,
            name_header,
            rows,
        })
        .collect();
        self.all_options = options(0);
    }

    /// The preview (or what was applied), every unit by its name: a new one as the form names
    /// it, an ended one as it was called on its last day.
    async fn show(
        &mut self,
        preview: RestructurePreview,
        access: &Access,
        date: NaiveDate,
    ) -> Result<(), AppError> {
        let last_day = date.pred_opt().unwrap_or(date);
        // A split's members move with the sub-unit their unit lies under, however deep.
        let mut part_of_unit = HashMap::new();
        for (code, n) in &self.f.units {
            for entry in access.subtree(code, last_day).await?.unwrap_or_default() {
                part_of_unit.insert(entry.unit.code, *n);
            }
        }
        let new_names = self.f.new_names();
        self.created = preview
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
        let mut codes: Vec<&str> = preview.outcome.ended.iter().map(String::as_str).collect();
        codes.push(&self.f.move_to);
        codes.push(&self.f.new_parent);
        let names = access.unit_names_by_code(&codes).await?;
        let named = |code: &str| {
            names.get(code).map_or_else(
                || code.to_string(),
                |h| dangbo_store::access::name_on(h, last_day),
            )
        };
        self.ended = preview
            .outcome
            .ended
            .iter()
            .map(|code| (code.clone(), named(code)))
            .collect();
        self.moved_count = format::int(preview.outcome.members_moved as i64);
        let f = &self.f;
        self.moving = preview
            .moving
            .into_iter()
            .map(|m| {
                let to = match f.kind.as_str() {
                    "merge" => f.new_name.trim().to_string(),
                    "split" => f.split_destination(&m.code, &m.unit_code, &part_of_unit),
                    "dissolve" if !f.move_to.is_empty() => named(&f.move_to),
                    "move" => format!("{} ({})", m.unit_name, named(&f.new_parent)),
                    _ => String::new(),
                };
                MovingRow {
                    unit: if m.unit_name.is_empty() {
                        m.unit_code
                    } else {
                        m.unit_name
                    },
                    code: m.code,
                    name: m.full_name,
                    to,
                    status: status_label(&m.status),
                }
            })
            .collect();
        Ok(())
    }
}

/// A new unit of a split as its choice reads: its name, or its number until it has one.
fn part_label(part: &PartRow) -> String {
    if part.name.is_empty() {
        format!("Đơn vị mới {}", part.number)
    } else {
        part.name.clone()
    }
}

fn chrome(identity: &crate::session::Identity, lang: crate::i18n::Lang) -> Chrome {
    Chrome::new(
        identity,
        lang,
        lang.texts().restructure_title,
        "restructure",
        "/restructure",
    )
}

pub async fn page(Ui(identity, lang): Ui) -> Result<Response, AppError> {
    identity.access.restructurer()?;
    let page = RestructurePage::new(
        chrome(&identity, lang),
        RestructureForm::default(),
        Step::Kind,
    );
    Ok(render(&page)?.into_response())
}

/// Goes to the step asked for when the steps before it are complete; otherwise back to the first
/// step with a problem, its fields marked.
pub async fn submit(
    Ui(identity, lang): Ui,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let restructurer = identity.access.restructurer()?;
    if pairs.len() > MAX_FIELDS {
        return Err(AppError::BadRequest(format!(
            "biểu mẫu có {} trường, nhiều hơn {} trường một lần sắp xếp cần",
            format::int(pairs.len() as i64),
            format::int(MAX_FIELDS as i64)
        )));
    }
    let access = &identity.access;
    let mut f = RestructureForm::from_pairs(pairs);
    let asked = Step::parse(&f.step);
    let c = chrome(&identity, lang);
    let refuse = |page: &RestructurePage| -> Result<Response, AppError> {
        Ok((StatusCode::UNPROCESSABLE_ENTITY, render(page)?).into_response())
    };
    if asked == Step::Kind {
        return Ok(render(&RestructurePage::new(c, f, Step::Kind))?.into_response());
    }
    if !KINDS.contains(&f.kind.as_str()) {
        let mut page = RestructurePage::new(c, f, Step::Kind);
        page.errors = super::FieldErrors(vec![("kind".into(), "chọn loại sắp xếp".into())]);
        return refuse(&page);
    }
    let mut problems = if asked > Step::Units {
        f.resolve(access).await?
    } else {
        Vec::new()
    };
    if asked == Step::Units || !problems.is_empty() || !f.units_problems().is_empty() {
        let back = asked > Step::Units;
        if back {
            problems.extend(f.units_problems());
        }
        let mut page = RestructurePage::new(c, f, Step::Units);
        page.fill_units(access).await?;
        page.errors = super::FieldErrors(problems);
        return if back {
            refuse(&page)
        } else {
            Ok(render(&page)?.into_response())
        };
    }
    let date = f.date(&mut Vec::new()).unwrap_or_else(format::today);
    if f.kind == "split" {
        let contents = match restructurer.split_contents(&f.sources[0], date).await {
            Ok(contents) => contents,
            Err(
                error @ (StoreError::Invalid(_)
                | StoreError::NotFound(_)
                | StoreError::Forbidden(_)),
            ) => {
                let mut page = RestructurePage::new(c, f, Step::Units);
                page.fill_units(access).await?;
                page.errors = super::FieldErrors(vec![("sources".into(), error.to_string())]);
                return refuse(&page);
            }
            Err(other) => return Err(other.into()),
        };
        if f.parent_code.is_empty() {
            f.parent_code = contents.parent_code.clone().unwrap_or_default();
        }
        if f.parts.is_empty() {
            f.parts = vec![PartForm::default(), PartForm::default()];
        }
        if f.add_part && f.parts.len() < MAX_PARTS {
            f.parts.push(PartForm::default());
        }
        let problems = f.parts_problems(&contents);
        if asked == Step::Parts || f.add_part || !problems.is_empty() {
            let back = asked > Step::Parts && !f.add_part;
            let mut page = RestructurePage::new(c, f, Step::Parts);
            page.fill_parts(&contents);
            if back {
                page.errors = super::FieldErrors(problems);
                return refuse(&page);
            }
            return Ok(render(&page)?.into_response());
        }
    }
    let Some(plan) = f.plan(date) else {
        let mut page = RestructurePage::new(c, f, Step::Kind);
        page.errors = super::FieldErrors(vec![("kind".into(), "chọn loại sắp xếp".into())]);
        return refuse(&page);
    };
    let decision = Decision {
        date,
        decision_number: f.decision_number.trim().to_string(),
        issuing_body: f.issuing_body.trim().to_string(),
        note: String::new(),
    };
    let apply = asked == Step::Apply;
    let result = if apply {
        restructurer.apply(&plan, &decision).await
    } else {
        restructurer.preview(&plan, &decision).await
    };
    let mut page = RestructurePage::new(c, f, if apply { Step::Apply } else { Step::Preview });
    match result {
        Ok(preview) => {
            page.show(preview, access, date).await?;
            page.done = apply;
            Ok(render(&page)?.into_response())
        }
        Err(StoreError::Fields(problems)) => {
            page.errors = super::FieldErrors(problems);
            refuse(&page)
        }
        // A refusal of the plan (a unit outside the scope, the scope's own root) keeps every
        // choice on the page, to go back and change.
        Err(
            error @ (StoreError::Invalid(_) | StoreError::NotFound(_) | StoreError::Forbidden(_)),
        ) => {
            page.error = error.to_string();
            refuse(&page)
        }
        Err(other) => Err(other.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dangbo_store::access::Unit;

    fn pairs(list: &[(&str, &str)]) -> RestructureForm {
        RestructureForm::from_pairs(
            list.iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        )
    }

    #[test]
    fn a_unit_ticked_and_typed_counts_once() {
        let f = pairs(&[("source", "CA"), ("source", "CB"), ("sources", "CA, CC")]);
        assert_eq!(f.sources, ["CA", "CB", "CC"]);
    }

    #[test]
    fn unassigned_members_are_named_up_to_ten_and_blank_units_choose_nothing() {
        let unit = Unit {
            id: 1,
            code: "CA".into(),
            name: "Chi bộ".into(),
            kind: UnitKind::Branch,
            parent_id: None,
            path: "/1/".into(),
            start_date: NaiveDate::MIN,
            end_date: None,
        };
        let members: Vec<(String, String)> = (1..=12)
            .map(|i| (format!("M{i}"), format!("Người {i}")))
            .collect();
        let contents = SplitContents {
            unit,
            parent_code: None,
            members,
            children: Vec::new(),
        };
        // M1 goes to the named first unit; M2 to the second, which has no name yet.
        let f = pairs(&[
            ("part_code", "P1"),
            ("part_name", "Chi bộ Một"),
            ("part_code", ""),
            ("part_name", ""),
            ("member:M1", "1"),
            ("member:M2", "2"),
        ]);
        let problems = f.parts_problems(&contents);
        let assign = problems
            .iter()
            .find(|(field, _)| field == "assign")
            .map(|(_, m)| m.as_str())
            .expect("unassigned members named");
        assert!(
            assign.starts_with("chưa chọn đơn vị mới cho 11: Người 2, Người 3"),
            "{assign}"
        );
        assert!(assign.ends_with(" và 1 khác"), "{assign}");
        assert!(!assign.contains("Người 1,"), "{assign}");
    }
}
