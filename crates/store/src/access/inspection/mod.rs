//! Inspection, supervision and discipline: confidential. Only actors who may read cases
//! ([`Capability::ReadCases`]) see a case, a decision or a complaint, and only in their scope;
//! to everyone else they do not exist (the same absence as a record out of scope). A case is in
//! scope when the unit that decided it is; a decision and its complaints when the subject is.
//!
//! The writer checks each step against the rules (`dangbo_domain::inspection`), and makes the
//! consequences through their one source of truth: an expulsion records the member's expulsion
//! event, a dissolution ends the unit through restructuring, an annulled expulsion records the
//! restoration event.

mod import;

use chrono::NaiveDate;
use dangbo_domain::access::Capability;
use dangbo_domain::calendar::Calendar;
use dangbo_domain::input::TextKind;
use dangbo_domain::inspection::{
    Body, CaseKind, ComplaintResult, Conclusion, DecisionFacts, Discipline, DisciplineProblem,
    SubjectKind, check_authority, check_decision, complaint_deadline, forms_for,
};
use dangbo_domain::members::events::{EventKind, MembershipStatus};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::Access;
use crate::inspection::{
    self as store, Case, CaseFile, CaseFilter, CaseRow, Complaint, ComplaintRow, DecisionRow,
    DisciplineDecision, PlanItem, PlanRow, SubjectRow,
};
use crate::members::events::NewEvent;
use crate::tree::Unit;
use crate::{Refusal, Result, StoreError, Tx};

/// A new case, as a form, the API or a file gives it.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct CaseInput {
    pub code: String,
    /// A [`CaseKind`] code or label.
    pub kind: String,
    /// The unit whose body decided the case.
    pub unit: String,
    /// A [`Body`] code or label (the committee when empty).
    #[serde(default)]
    pub body: String,
    pub decision_number: String,
    pub decided_on: Option<NaiveDate>,
    #[serde(default)]
    pub started_on: Option<NaiveDate>,
    #[serde(default)]
    pub topic: String,
    /// The programme item the case carries out, if any.
    #[serde(default)]
    pub plan_item: Option<i64>,
    /// The subjects: members' codes or units' codes.
    pub subjects: Vec<String>,
}

/// A case's conclusion about its subjects.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct ConclusionInput {
    pub concluded_on: Option<NaiveDate>,
    /// (subject's code, [`Conclusion`] code or label, note) for each subject concluded.
    pub subjects: Vec<SubjectConclusion>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct SubjectConclusion {
    pub subject: String,
    pub conclusion: String,
    #[serde(default)]
    pub note: String,
}

/// A discipline decision on a case's subject.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct DecisionInput {
    pub case_code: String,
    /// The subject's code (a member's or a unit's).
    pub subject: String,
    /// A [`Discipline`] code or label.
    pub form: String,
    /// The unit whose body decided.
    pub decided_by: String,
    #[serde(default)]
    pub body: String,
    pub decision_number: String,
    pub decided_on: Option<NaiveDate>,
    /// The day of the violation (its last act), from which the limitation period runs.
    pub violation_on: Option<NaiveDate>,
    /// A violation of a kind with no limitation period.
    #[serde(default)]
    pub no_limit_kind: bool,
    #[serde(default)]
    pub reason: String,
    /// Where a dissolved organization's members go (a branch's code).
    #[serde(default)]
    pub move_members_to: String,
}

/// A complaint against a decision.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct ComplaintInput {
    pub decision_id: i64,
    pub received_on: Option<NaiveDate>,
    /// The unit whose body must settle it: the deciding unit or one above it.
    pub settling_unit: String,
    #[serde(default)]
    pub note: String,
}

/// A complaint's settlement.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct SettlementInput {
    pub complaint_id: i64,
    pub settled_on: Option<NaiveDate>,
    /// A [`ComplaintResult`] code or label.
    pub result: String,
    /// The new form when the result changes it.
    #[serde(default)]
    pub new_form: String,
    #[serde(default)]
    pub note: String,
}

/// An item of a unit's yearly programme.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct PlanInput {
    pub unit: String,
    pub year: i32,
    pub kind: String,
    /// A member's code or a unit's code.
    pub subject: String,
    #[serde(default)]
    pub topic: String,
    pub planned_from: Option<NaiveDate>,
    pub planned_to: Option<NaiveDate>,
}

fn discipline_refusal(problem: DisciplineProblem) -> StoreError {
    StoreError::Invalid(Refusal {
        code: problem.rule,
        message_en: format!("the decision breaks the rule {}", problem.rule),
        message: format!("{} (theo {})", problem.message, problem.source),
    })
}

/// The confidential records' absence, for those who may not read them.
fn hidden(what: &str) -> StoreError {
    StoreError::NotFound(what.to_string())
}

fn field(name: &str, message: impl Into<String>) -> (String, String) {
    (name.to_string(), message.into())
}

fn fields_or<T>(problems: Vec<(String, String)>, value: T) -> Result<T> {
    if problems.is_empty() {
        Ok(value)
    } else {
        Err(StoreError::Fields(problems))
    }
}

/// Parses a vocabulary field, or says what it takes.
macro_rules! parse_field {
    ($problems:ident, $ty:ty, $name:literal, $value:expr) => {{
        let parsed = <$ty>::parse($value.trim());
        if parsed.is_none() {
            $problems.push(field(
                $name,
                format!(
                    "«{}» không phải một giá trị được nhận; cần: {}",
                    $value.trim(),
                    <$ty>::expected_vi()
                ),
            ));
        }
        parsed
    }};
}

fn required_date(
    problems: &mut Vec<(String, String)>,
    name: &str,
    value: Option<NaiveDate>,
) -> NaiveDate {
    value.unwrap_or_else(|| {
        problems.push(field(name, "cần ngày dạng dd/mm/yyyy"));
        NaiveDate::MIN
    })
}

fn body_or_committee(problems: &mut Vec<(String, String)>, value: &str) -> Body {
    if value.trim().is_empty() {
        return Body::Committee;
    }
    parse_field!(problems, Body, "body", value).unwrap_or(Body::Committee)
}

/// Where a subject is on a day: its unit, path and kind (members: full or probationary).
struct Placed {
    kind: SubjectKind,
    member_id: Option<i64>,
    member_code: Option<String>,
    unit: Unit,
}

impl Access {
    fn reads_cases(&self) -> bool {
        self.actor.can(Capability::ReadCases)
    }

    /// The cases decided by units in the subtree of `unit_code` (the scope when empty), newest
    /// first; `None` for a unit out of scope, and for actors who may not read cases.
    pub async fn inspection_cases(
        &self,
        unit_code: &str,
        filter: &CaseFilter,
    ) -> Result<Option<(Unit, Vec<Case>)>> {
        if !self.reads_cases() {
            return Ok(None);
        }
        let mut tx = self.read().await?;
        let Some(unit) = self.unit_in(&mut tx, unit_code).await? else {
            tx.rollback().await?;
            return Ok(None);
        };
        let cases = store::under(&mut tx, &unit.path, filter).await;
        tx.rollback().await?;
        Ok(Some((unit, cases?)))
    }

    /// A case in scope, with its subjects, decisions and complaints.
    pub async fn inspection_case(&self, code: &str) -> Result<Option<Case>> {
        if !self.reads_cases() || !dangbo_domain::input::can_be_code(code.trim()) {
            return Ok(None);
        }
        let mut tx = self.read().await?;
        let case = store::by_code(&mut tx, code.trim()).await;
        tx.rollback().await?;
        Ok(case?.filter(|c| self.actor.sees(&c.unit_path)))
    }

    /// Refuses, as absent, a case out of reach or one that does not hold what a request names
    /// (a decision or complaint of another case).
    pub async fn require_case(&self, code: &str, holds: impl Fn(&Case) -> bool) -> Result<()> {
        match self.inspection_case(code).await? {
            Some(case) if holds(&case) => Ok(()),
            _ => Err(hidden(&format!("vụ việc «{}»", code.trim()))),
        }
    }

    /// A document of a case in scope, with its content.
    pub async fn inspection_case_file(
        &self,
        code: &str,
        file_id: i64,
    ) -> Result<Option<(CaseFile, Vec<u8>)>> {
        let Some(case) = self.inspection_case(code).await? else {
            return Ok(None);
        };
        let mut tx = self.read().await?;
        let file = store::file_content(&mut tx, case.id, file_id).await;
        tx.rollback().await?;
        file
    }

    /// The discipline decided on a member in scope (for those who may read cases; empty for the
    /// rest), oldest first.
    pub async fn member_discipline(&self, member_code: &str) -> Result<Vec<DisciplineDecision>> {
        if !self.reads_cases() {
            return Ok(Vec::new());
        }
        let mut tx = self.read().await?;
        let Some((member, _)) = self.member_in_scope(&mut tx, member_code).await? else {
            tx.rollback().await?;
            return Ok(Vec::new());
        };
        let list = store::decisions_of_member(&mut tx, member.id).await;
        tx.rollback().await?;
        // A member who moved in brings no other committee's decisions.
        Ok(list?
            .into_iter()
            .filter(|d| self.actor.sees(&d.subject_path))
            .collect())
    }

    /// The discipline decided in the period on subjects in the subtree of `unit_code`.
    pub async fn discipline_under(
        &self,
        unit_code: &str,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Option<Vec<DisciplineDecision>>> {
        if !self.reads_cases() {
            return Ok(None);
        }
        let mut tx = self.read().await?;
        let Some(unit) = self.unit_in(&mut tx, unit_code).await? else {
            tx.rollback().await?;
            return Ok(None);
        };
        let list = store::decisions_under(&mut tx, &unit.path, from, to).await;
        tx.rollback().await?;
        Ok(Some(list?))
    }

    /// The complaints about subjects in the subtree of `unit_code` not settled on `today`, each
    /// with the decision it is against (whose complaints are the open ones), oldest first.
    pub async fn open_complaints(
        &self,
        unit_code: &str,
        today: NaiveDate,
    ) -> Result<Option<Vec<(Complaint, DisciplineDecision)>>> {
        if !self.reads_cases() {
            return Ok(None);
        }
        let mut tx = self.read().await?;
        let Some(unit) = self.unit_in(&mut tx, unit_code).await? else {
            tx.rollback().await?;
            return Ok(None);
        };
        let complaints = store::open_complaints_under(&mut tx, &unit.path, today).await?;
        let ids: Vec<i64> = complaints.iter().map(|c| c.decision_id).collect();
        let decisions = store::decisions_by_ids(&mut tx, &ids).await?;
        tx.rollback().await?;
        Ok(Some(
            complaints
                .into_iter()
                .filter_map(|c| {
                    let decision = decisions.iter().find(|d| d.id == c.decision_id)?.clone();
                    Some((c, decision))
                })
                .collect(),
        ))
    }

    /// The items of the yearly programmes of units in the subtree of `unit_code`.
    pub async fn inspection_plan(
        &self,
        unit_code: &str,
        year: i32,
    ) -> Result<Option<(Unit, Vec<PlanItem>)>> {
        if !self.reads_cases() {
            return Ok(None);
        }
        let mut tx = self.read().await?;
        let Some(unit) = self.unit_in(&mut tx, unit_code).await? else {
            tx.rollback().await?;
            return Ok(None);
        };
        let items = store::plan_items(&mut tx, &unit.path, Some(year), None).await;
        tx.rollback().await?;
        Ok(Some((unit, items?)))
    }

    /// The writer of cases, conclusions, discipline, complaints and programmes.
    pub fn inspection_writer(&self) -> Result<InspectionWriter<'_>> {
        self.allowed(Capability::Inspect)?;
        Ok(InspectionWriter { access: self })
    }
}

/// Records inspection work inside the scope, each step checked and audited.
pub struct InspectionWriter<'a> {
    access: &'a Access,
}

impl InspectionWriter<'_> {
    /// Records a new case with its subjects.
    pub async fn record_case(&self, input: &CaseInput) -> Result<Case> {
        let mut tx = self.access.db.begin_write().await?;
        let code = self.record_case_in(&mut tx, input).await?;
        let case = store::by_code(&mut tx, &code).await?;
        tx.commit().await?;
        case.ok_or_else(|| StoreError::NotFound(format!("vụ việc «{code}»")))
    }

    /// [`InspectionWriter::record_case`] inside the caller's transaction; gives the case's code.
    pub(in crate::access) async fn record_case_in(
        &self,
        tx: &mut Tx,
        input: &CaseInput,
    ) -> Result<String> {
        let mut problems = dangbo_domain::input::problems([
            ("code", TextKind::Code, input.code.as_str()),
            (
                "decision_number",
                TextKind::Short,
                input.decision_number.as_str(),
            ),
            ("topic", TextKind::Line, input.topic.as_str()),
        ]);
        let code = input.code.trim().to_string();
        if code.is_empty() {
            problems.push(field("code", "cần mã vụ việc"));
        } else if store::by_code(tx, &code).await?.is_some() {
            problems.push(field("code", format!("đã có vụ việc mã «{code}»")));
        }
        if input.decision_number.trim().is_empty() {
            problems.push(field("decision_number", "cần số quyết định"));
        }
        let kind = parse_field!(problems, CaseKind, "kind", input.kind);
        let body = body_or_committee(&mut problems, &input.body);
        let decided_on = required_date(&mut problems, "decided_on", input.decided_on);
        if input.started_on.is_some_and(|s| s < decided_on) {
            problems.push(field("started_on", "ngày bắt đầu trước ngày quyết định"));
        }
        let unit = self.access.unit_in(tx, &input.unit).await?;
        if input.unit.trim().is_empty() || unit.is_none() {
            problems.push(field(
                "unit",
                format!("không có đơn vị «{}» trong phạm vi", input.unit.trim()),
            ));
        }
        if input.subjects.iter().all(|s| s.trim().is_empty()) {
            problems.push(field("subjects", "cần ít nhất một đối tượng"));
        }
        let (Some(kind), Some(unit)) = (kind, unit) else {
            return Err(StoreError::Fields(problems));
        };
        if !problems.is_empty() {
            return Err(StoreError::Fields(problems));
        }
        let mut placed: Vec<Placed> = Vec::new();
        for subject in input.subjects.iter().filter(|s| !s.trim().is_empty()) {
            match self.place(tx, subject, &unit, decided_on).await {
                Ok(p) if placed.iter().any(|q| same(q, &p)) => problems.push(field(
                    "subjects",
                    format!("«{}» có hai lần trong vụ việc", subject.trim()),
                )),
                Ok(p) => placed.push(p),
                Err(message) => problems.push(field("subjects", message)),
            }
        }
        if let Some(item) = input.plan_item {
            // The item of the deciding unit's programme, or of a unit above it in the scope.
            let found =
                store::plan_items(tx, &self.access.actor.scope.path, None, Some(item)).await?;
            if !found
                .first()
                .is_some_and(|i| unit.path.starts_with(&i.unit_path))
            {
                problems.push(field(
                    "plan_item",
                    "mục chương trình này không phải của đơn vị quyết định hay cấp trên của nó",
                ));
            }
        }
        fields_or(problems, ())?;
        let case_id = store::insert_case(
            tx,
            &CaseRow {
                code: &code,
                kind,
                unit_id: unit.id,
                unit_path: &unit.path,
                body,
                decision_number: input.decision_number.trim(),
                decided_on,
                started_on: input.started_on,
                concluded_on: None,
                topic: input.topic.trim(),
                plan_item_id: input.plan_item,
            },
            &self.access.actor.name,
        )
        .await?;
        for p in &placed {
            store::insert_subject(
                tx,
                &SubjectRow {
                    case_id,
                    subject_kind: p.kind,
                    member_id: p.member_id,
                    unit_id: p.unit.id,
                    subject_path: &p.unit.path,
                },
            )
            .await?;
            crate::figures::summary::touch(tx, &p.unit.path, decided_on).await?;
        }
        crate::figures::summary::touch(tx, &unit.path, decided_on).await?;
        self.access
            .audit(
                tx,
                "inspection.case",
                "inspection_case",
                &code,
                &unit.path,
                serde_json::Value::Null,
                json!({
                    "kind": kind.label_vi(),
                    "body": body.label_vi(),
                    "decision_number": input.decision_number.trim(),
                    "decided_on": decided_on,
                    "started_on": input.started_on,
                    "topic": input.topic.trim(),
                    "subjects": placed.iter().map(|p| p.member_code.clone().unwrap_or_else(|| p.unit.code.clone())).collect::<Vec<_>>(),
                }),
            )
            .await?;
        Ok(code)
    }

    /// Finds a subject (a member's code first, then a unit's) inside the deciding unit's
    /// subtree on the day; the problem in words otherwise.
    async fn place(
        &self,
        tx: &mut Tx,
        code: &str,
        decider: &Unit,
        on: NaiveDate,
    ) -> Result<Placed, String> {
        let code = code.trim();
        let outside = || format!("«{code}» không thuộc {} ({})", decider.name, decider.code);
        if let Ok(Some((member, _))) = self.access.member_in_scope(tx, code).await {
            let span = member_on(tx, member.id, on)
                .await
                .map_err(|e| e.to_string())?;
            let Some((unit_id, kind)) = span else {
                return Err(format!(
                    "đảng viên «{code}» không sinh hoạt ở đơn vị nào ngày {}",
                    dangbo_domain::text::format_date(on)
                ));
            };
            let unit = crate::tree::by_id(tx, unit_id)
                .await
                .map_err(|e| e.to_string())?;
            if !unit.path.starts_with(&decider.path) {
                return Err(outside());
            }
            return Ok(Placed {
                kind,
                member_id: Some(member.id),
                member_code: Some(member.record.code),
                unit,
            });
        }
        match self.access.unit_in(tx, code).await {
            Ok(Some(unit)) if unit.path.starts_with(&decider.path) => Ok(Placed {
                kind: SubjectKind::Organization,
                member_id: None,
                member_code: None,
                unit,
            }),
            Ok(Some(_)) => Err(outside()),
            Ok(None) => Err(format!(
                "không có đảng viên hay đơn vị mã «{code}» trong phạm vi"
            )),
            Err(e) => Err(e.to_string()),
        }
    }

    /// The case in scope, or its absence.
    async fn case_in(&self, tx: &mut Tx, code: &str) -> Result<Case> {
        store::by_code(tx, code.trim())
            .await?
            .filter(|c| self.access.actor.sees(&c.unit_path))
            .ok_or_else(|| hidden(&format!("vụ việc «{}»", code.trim())))
    }

    /// Adds a document (PDF or DOCX, within the size limit) to a case in scope; the problem
    /// comes back on the field `file`.
    pub async fn attach_file(&self, code: &str, name: &str, content: &[u8]) -> Result<CaseFile> {
        let name = name.trim();
        let mut problems = dangbo_domain::input::problems([("file", TextKind::Line, name)]);
        let kind = match dangbo_domain::programmes::Attachment::of(name, content) {
            Ok(kind) => Some(kind),
            Err(problem) => {
                problems.push(field("file", problem));
                None
            }
        };
        let mut tx = self.access.db.begin_write().await?;
        let case = self.case_in(&mut tx, code).await?;
        let (Some(kind), true) = (kind, problems.is_empty()) else {
            return Err(StoreError::Fields(problems));
        };
        let mut file = CaseFile {
            id: 0,
            name: name.to_string(),
            media_type: kind.media_type().to_string(),
            size: i64::try_from(content.len()).unwrap_or(i64::MAX),
        };
        file.id =
            store::insert_file(&mut tx, case.id, &file, content, &self.access.actor.name).await?;
        self.access
            .audit(
                &mut tx,
                "inspection.file",
                "inspection_case",
                &case.code,
                &case.unit_path,
                serde_json::Value::Null,
                json!({ "name": file.name, "size": file.size }),
            )
            .await?;
        tx.commit().await?;
        Ok(file)
    }

    /// Records the start of a case.
    pub async fn start(&self, code: &str, started_on: NaiveDate) -> Result<Case> {
        let mut tx = self.access.db.begin_write().await?;
        let case = self.case_in(&mut tx, code).await?;
        if started_on < case.decided_on {
            return Err(StoreError::Fields(vec![field(
                "started_on",
                "ngày bắt đầu trước ngày quyết định",
            )]));
        }
        if case.concluded_on.is_some_and(|c| c < started_on) {
            return Err(StoreError::Fields(vec![field(
                "started_on",
                "ngày bắt đầu sau ngày kết luận",
            )]));
        }
        store::set_steps(&mut tx, case.id, Some(started_on), case.concluded_on).await?;
        self.access
            .audit(
                &mut tx,
                "inspection.start",
                "inspection_case",
                &case.code,
                &case.unit_path,
                json!({ "started_on": case.started_on }),
                json!({ "started_on": started_on }),
            )
            .await?;
        let case = store::by_code(&mut tx, &case.code).await?;
        tx.commit().await?;
        case.ok_or_else(|| StoreError::NotFound(format!("vụ việc «{}»", code.trim())))
    }

    /// Records a case's conclusion: the day, and for each subject named, whether a violation was
    /// found and how grave. A subject with a discipline decided keeps its conclusion.
    pub async fn conclude(&self, code: &str, input: &ConclusionInput) -> Result<Case> {
        let mut tx = self.access.db.begin_write().await?;
        self.conclude_in(&mut tx, code, input).await?;
        let case = store::by_code(&mut tx, code.trim()).await?;
        tx.commit().await?;
        case.ok_or_else(|| StoreError::NotFound(format!("vụ việc «{}»", code.trim())))
    }

    pub(in crate::access) async fn conclude_in(
        &self,
        tx: &mut Tx,
        code: &str,
        input: &ConclusionInput,
    ) -> Result<()> {
        let case = self.case_in(tx, code).await?;
        let mut problems = Vec::new();
        let concluded_on = required_date(&mut problems, "concluded_on", input.concluded_on);
        let start = case.started_on.unwrap_or(case.decided_on);
        if input.concluded_on.is_some() && concluded_on < start {
            problems.push(field(
                "concluded_on",
                format!(
                    "ngày kết luận trước ngày {} của vụ việc",
                    dangbo_domain::text::format_date(start)
                ),
            ));
        }
        let mut changes = Vec::new();
        for (i, entry) in input.subjects.iter().enumerate() {
            let name = format!("subjects[{i}]");
            let Some(subject) = case
                .subjects
                .iter()
                .find(|s| s.key() == entry.subject.trim())
            else {
                problems.push(field(
                    &name,
                    format!(
                        "«{}» không phải đối tượng của vụ việc",
                        entry.subject.trim()
                    ),
                ));
                continue;
            };
            if let Err(p) = TextKind::Note.check(&entry.note) {
                problems.push(field(&name, p.message()));
            }
            let conclusion = if entry.conclusion.trim().is_empty() {
                None
            } else {
                match Conclusion::parse(entry.conclusion.trim()) {
                    Some(c) => Some(c),
                    None => {
                        problems.push(field(
                            &name,
                            format!(
                                "kết luận «{}» không được nhận; cần: {}",
                                entry.conclusion.trim(),
                                Conclusion::expected_vi()
                            ),
                        ));
                        continue;
                    }
                }
            };
            if subject.decisions.iter().any(|d| d.annulled_on.is_none())
                && conclusion != Some(Conclusion::ToBeDisciplined)
            {
                problems.push(field(
                    &name,
                    format!(
                        "{} đã bị kỷ luật theo kết luận này: không đổi kết luận",
                        subject.name()
                    ),
                ));
                continue;
            }
            changes.push((subject, conclusion, entry.note.trim().to_string()));
        }
        fields_or(problems, ())?;
        store::set_steps(tx, case.id, case.started_on, Some(concluded_on)).await?;
        for (subject, conclusion, note) in &changes {
            store::set_conclusion(tx, subject.id, *conclusion, note).await?;
            crate::figures::summary::touch(tx, &subject.subject_path, concluded_on).await?;
        }
        crate::figures::summary::touch(tx, &case.unit_path, concluded_on).await?;
        // The programme that planned it is counted done at its own unit.
        if let Some(item) = case.plan_item_id {
            for planned in store::plan_items(tx, "/", None, Some(item)).await? {
                crate::figures::summary::touch(tx, &planned.unit_path, concluded_on).await?;
            }
        }
        self.access
            .audit(
                tx,
                "inspection.conclude",
                "inspection_case",
                &case.code,
                &case.unit_path,
                json!({ "concluded_on": case.concluded_on }),
                json!({
                    "concluded_on": concluded_on,
                    "subjects": changes.iter().map(|(s, c, n)| json!({
                        "subject": s.key(),
                        "conclusion": c.map(|c| c.label_vi()),
                        "note": n,
                    })).collect::<Vec<_>>(),
                }),
            )
            .await?;
        Ok(())
    }

    /// Records a discipline decision on a subject concluded "to be disciplined", checked for the
    /// form, the authority and the limitation period, with its consequence: an expulsion
    /// records the member's expulsion event; a dissolution dissolves the unit.
    pub async fn decide(&self, input: &DecisionInput) -> Result<DisciplineDecision> {
        let mut tx = self.access.db.begin_write().await?;
        let id = self.decide_in(&mut tx, input).await?;
        let decision = store::decision(&mut tx, id).await?;
        tx.commit().await?;
        decision.ok_or_else(|| StoreError::NotFound("quyết định kỷ luật".into()))
    }

    pub(in crate::access) async fn decide_in(
        &self,
        tx: &mut Tx,
        input: &DecisionInput,
    ) -> Result<i64> {
        let case = self.case_in(tx, &input.case_code).await?;
        let mut problems = dangbo_domain::input::problems([
            (
                "decision_number",
                TextKind::Short,
                input.decision_number.as_str(),
            ),
            ("reason", TextKind::Note, input.reason.as_str()),
        ]);
        if input.decision_number.trim().is_empty() {
            problems.push(field("decision_number", "cần số quyết định kỷ luật"));
        }
        let form = parse_field!(problems, Discipline, "form", input.form);
        let body = body_or_committee(&mut problems, &input.body);
        let decided_on = required_date(&mut problems, "decided_on", input.decided_on);
        let violation_on = required_date(&mut problems, "violation_on", input.violation_on);
        let subject = case
            .subjects
            .iter()
            .find(|s| s.key() == input.subject.trim());
        match subject {
            None => problems.push(field(
                "subject",
                format!(
                    "«{}» không phải đối tượng của vụ việc",
                    input.subject.trim()
                ),
            )),
            Some(s) if s.conclusion != Some(Conclusion::ToBeDisciplined) => problems.push(field(
                "subject",
                format!(
                    "{} chưa được kết luận «{}»",
                    s.name(),
                    Conclusion::ToBeDisciplined.label_vi()
                ),
            )),
            Some(s) if s.decisions.iter().any(|d| d.annulled_on.is_none()) => problems.push(field(
                "subject",
                format!("{} đã có quyết định kỷ luật trong vụ việc", s.name()),
            )),
            Some(_) => {}
        }
        if let (Some(concluded), Some(_)) = (case.concluded_on, input.decided_on)
            && decided_on < concluded
        {
            problems.push(field(
                "decided_on",
                "ngày quyết định kỷ luật trước ngày kết luận",
            ));
        }
        let decider = self.access.unit_in(tx, &input.decided_by).await?;
        if input.decided_by.trim().is_empty() || decider.is_none() {
            problems.push(field(
                "decided_by",
                format!(
                    "không có đơn vị «{}» trong phạm vi",
                    input.decided_by.trim()
                ),
            ));
        }
        let (Some(form), Some(subject), Some(decider)) = (form, subject, decider) else {
            return Err(StoreError::Fields(problems));
        };
        fields_or(problems, ())?;
        if !subject.subject_path.starts_with(&decider.path) {
            return Err(StoreError::invalid(
                "discipline.authority",
                format!(
                    "{} ({}) không ở trong {}: cấp ủy cấp trên quyết định",
                    subject.name(),
                    subject.unit_code,
                    decider.name
                ),
            ));
        }
        // A member's standing on the decision's day decides the forms (a probationer became
        // full, or the reverse, since the case was opened).
        // An expulsion already recorded on the day (a restored export) ended the member's
        // standing that day: it is judged on the day before, and the event is linked, not
        // recorded again.
        let recorded_expulsion = match (form, subject.member_id) {
            (Discipline::Expulsion, Some(member_id)) => {
                event_on(tx, member_id, EventKind::Expulsion, decided_on).await?
            }
            _ => None,
        };
        let standing_on = match recorded_expulsion {
            Some(_) => decided_on.pred_opt().unwrap_or(decided_on),
            None => decided_on,
        };
        let (kind, unit) = match subject.member_id {
            Some(member_id) => match member_on(tx, member_id, standing_on).await? {
                Some((unit_id, kind)) => (kind, crate::tree::by_id(tx, unit_id).await?),
                None => {
                    return Err(StoreError::invalid(
                        "discipline.not_member",
                        format!(
                            "{} không còn là đảng viên ngày {}",
                            subject.name(),
                            dangbo_domain::text::format_date(decided_on)
                        ),
                    ));
                }
            },
            None => (
                SubjectKind::Organization,
                crate::tree::by_id(tx, subject.unit_id).await?,
            ),
        };
        // A member who moved since the case was opened is disciplined where they are now: that
        // must still lie inside the deciding unit and the scope.
        if !unit.path.starts_with(&decider.path) || !self.access.actor.sees(&unit.path) {
            return Err(StoreError::invalid(
                "discipline.authority",
                format!(
                    "{} nay sinh hoạt ở {} ({}), không thuộc {}",
                    subject.name(),
                    unit.name,
                    unit.code,
                    decider.name
                ),
            ));
        }
        let own = match subject.member_id {
            Some(_) => unit.id == decider.id,
            None => subject.unit_id == decider.id,
        };
        check_decision(&DecisionFacts {
            subject: kind,
            form,
            violation_on,
            decided_on,
            no_limit_kind: input.no_limit_kind,
        })
        .map_err(discipline_refusal)?;
        check_authority(decider.kind, own, kind, form, decided_on).map_err(discipline_refusal)?;
        let issuing = format!("{} {}", body.label_vi(), decider.name);
        let mut event_id = None;
        let mut restructure_id = None;
        match (form, subject.member_id) {
            (Discipline::Expulsion, Some(member_id)) => {
                event_id = match recorded_expulsion {
                    Some(id) => Some(id),
                    // The member's history is read by every role: the event says nothing of
                    // the case (the link is the decision's `event_id`).
                    None => Some(
                        record_event(
                            tx,
                            member_id,
                            EventKind::Expulsion,
                            decided_on,
                            input.decision_number.trim(),
                            &issuing,
                        )
                        .await?,
                    ),
                };
            }
            (Discipline::Dissolution, None) => {
                let target = input.move_members_to.trim();
                if !target.is_empty() && self.access.unit_in(tx, target).await?.is_none() {
                    return Err(StoreError::Fields(vec![field(
                        "move_members_to",
                        format!("không có đơn vị «{target}» trong phạm vi"),
                    )]));
                }
                if unit.end_date.is_some_and(|end| end <= decided_on) {
                    return Err(StoreError::invalid(
                        "discipline.dissolution_final",
                        format!("{} đã kết thúc trước ngày quyết định", unit.name),
                    ));
                }
                let outcome = crate::tree::restructure::dissolve(
                    tx,
                    &unit.code,
                    (!target.is_empty()).then_some(target),
                    &crate::tree::restructure::Decision {
                        date: decided_on,
                        decision_number: input.decision_number.trim().to_string(),
                        issuing_body: issuing.clone(),
                        note: "Kỷ luật giải tán".into(),
                    },
                )
                .await?;
                restructure_id = Some(outcome.restructure_id);
            }
            _ => {}
        }
        let id = store::insert_decision(
            tx,
            &DecisionRow {
                case_subject_id: subject.id,
                subject_kind: kind,
                member_id: subject.member_id,
                unit_id: unit.id,
                subject_path: &unit.path,
                form,
                decided_by_unit_id: decider.id,
                body,
                decision_number: input.decision_number.trim(),
                decided_on,
                violation_on,
                no_limit_kind: input.no_limit_kind,
                reason: input.reason.trim(),
                event_id,
                restructure_id,
            },
            &self.access.actor.name,
        )
        .await?;
        crate::figures::summary::touch(tx, &unit.path, decided_on).await?;
        self.access
            .audit(
                tx,
                "discipline.decide",
                "inspection_case",
                &case.code,
                &unit.path,
                serde_json::Value::Null,
                json!({
                    "subject": subject.key(),
                    "form": form.label_vi(),
                    "decided_by": issuing,
                    "decision_number": input.decision_number.trim(),
                    "decided_on": decided_on,
                    "violation_on": violation_on,
                    "no_limit_kind": input.no_limit_kind,
                    "reason": input.reason.trim(),
                }),
            )
            .await?;
        Ok(id)
    }

    /// The decision in scope (its subject's), or its absence.
    async fn decision_in(&self, tx: &mut Tx, id: i64) -> Result<DisciplineDecision> {
        store::decision(tx, id)
            .await?
            .filter(|d| self.access.actor.sees(&d.subject_path))
            .ok_or_else(|| hidden("quyết định kỷ luật"))
    }

    /// Records a complaint against a decision, with its deadline: the working days the rules
    /// give after its receipt, by the foundation calendar.
    pub async fn complain(&self, input: &ComplaintInput) -> Result<Complaint> {
        let mut tx = self.access.db.begin_write().await?;
        let id = self.complain_in(&mut tx, input).await?;
        let complaint = store::complaint(&mut tx, id).await?;
        tx.commit().await?;
        complaint.ok_or_else(|| StoreError::NotFound("đơn khiếu nại".into()))
    }

    pub(in crate::access) async fn complain_in(
        &self,
        tx: &mut Tx,
        input: &ComplaintInput,
    ) -> Result<i64> {
        let decision = self.decision_in(tx, input.decision_id).await?;
        let mut problems =
            dangbo_domain::input::problems([("note", TextKind::Note, input.note.as_str())]);
        if decision.annulled_on.is_some() {
            problems.push(field("decision_id", "quyết định này đã bị xóa bỏ"));
        }
        if decision.complaints.iter().any(|k| k.settled_on.is_none()) {
            problems.push(field(
                "decision_id",
                "quyết định này đang có đơn khiếu nại chưa giải quyết",
            ));
        }
        let received_on = required_date(&mut problems, "received_on", input.received_on);
        if input.received_on.is_some() && received_on < decision.decided_on {
            problems.push(field(
                "received_on",
                "ngày nhận đơn trước ngày quyết định kỷ luật",
            ));
        }
        // Complaints go upward: the deciding unit or one above it settles them.
        let settling = crate::tree::by_code(tx, input.settling_unit.trim()).await?;
        let decider = crate::tree::by_code(tx, &decision.decided_by_code).await?;
        let settling = match (settling, decider) {
            (Some(s), Some(d)) if d.path.starts_with(&s.path) => Some(s),
            _ => {
                problems.push(field(
                    "settling_unit",
                    format!(
                        "«{}» không phải {} hay một cấp trên của nó",
                        input.settling_unit.trim(),
                        decision.decided_by_name
                    ),
                ));
                None
            }
        };
        let Some(settling) = settling else {
            return Err(StoreError::Fields(problems));
        };
        fields_or(problems, ())?;
        let deadline = complaint_deadline(&mut Calendar::new(), received_on);
        let id = store::insert_complaint(
            tx,
            &ComplaintRow {
                decision_id: decision.id,
                received_on,
                settling_unit_id: settling.id,
                deadline,
                note: input.note.trim(),
            },
            &self.access.actor.name,
        )
        .await?;
        crate::figures::summary::touch(tx, &decision.subject_path, received_on).await?;
        self.access
            .audit(
                tx,
                "discipline.complaint",
                "inspection_case",
                &decision.case_code,
                &decision.subject_path,
                serde_json::Value::Null,
                json!({
                    "subject": decision.member_code.clone().unwrap_or(decision.unit_code.clone()),
                    "received_on": received_on,
                    "settling_unit": settling.code,
                    "deadline": deadline,
                    "note": input.note.trim(),
                }),
            )
            .await?;
        Ok(id)
    }

    /// Records a complaint's settlement. Annulling an expulsion (or changing it to a lighter
    /// form) restores the member through the restoration event; changing a decision to an
    /// expulsion records the expulsion.
    pub async fn settle(&self, input: &SettlementInput) -> Result<Complaint> {
        let mut tx = self.access.db.begin_write().await?;
        self.settle_in(&mut tx, input).await?;
        let complaint = store::complaint(&mut tx, input.complaint_id).await?;
        tx.commit().await?;
        complaint.ok_or_else(|| StoreError::NotFound("đơn khiếu nại".into()))
    }

    pub(in crate::access) async fn settle_in(
        &self,
        tx: &mut Tx,
        input: &SettlementInput,
    ) -> Result<()> {
        let complaint = store::complaint(tx, input.complaint_id)
            .await?
            .ok_or_else(|| hidden("đơn khiếu nại"))?;
        let decision = self.decision_in(tx, complaint.decision_id).await?;
        // The settlement is the settling body's decision: recorded within its scope.
        let settling = crate::tree::by_code(tx, &complaint.settling_code).await?;
        if !settling.is_some_and(|u| self.access.actor.sees(&u.path)) {
            return Err(StoreError::Forbidden(format!(
                "kết quả giải quyết do {} ghi",
                complaint.settling_name
            )));
        }
        let mut problems =
            dangbo_domain::input::problems([("note", TextKind::Note, input.note.as_str())]);
        if complaint.settled_on.is_some() {
            problems.push(field("result", "đơn khiếu nại này đã được giải quyết"));
        }
        let settled_on = required_date(&mut problems, "settled_on", input.settled_on);
        if input.settled_on.is_some() && settled_on < complaint.received_on {
            problems.push(field("settled_on", "ngày giải quyết trước ngày nhận đơn"));
        }
        let result = parse_field!(problems, ComplaintResult, "result", input.result);
        let new_form = match result {
            Some(ComplaintResult::Changed) => {
                let form = parse_field!(problems, Discipline, "new_form", input.new_form);
                match form {
                    Some(f) if f == decision.form => {
                        problems.push(field("new_form", "hình thức mới giống hình thức cũ"));
                        None
                    }
                    Some(f) if !forms_for(decision.subject_kind).contains(&f) => {
                        problems.push(field(
                            "new_form",
                            format!(
                                "{} không áp dụng với {}",
                                f.label_vi(),
                                decision.subject_kind.label_vi().to_lowercase()
                            ),
                        ));
                        None
                    }
                    other => other,
                }
            }
            _ => None,
        };
        let Some(result) = result else {
            return Err(StoreError::Fields(problems));
        };
        fields_or(problems, ())?;
        if decision.form == Discipline::Dissolution && result != ComplaintResult::Upheld {
            return Err(StoreError::invalid(
                "discipline.dissolution_final",
                "tổ chức đã bị giải tán qua sắp xếp tổ chức: việc lập lại tổ chức ghi ở trang sắp xếp",
            ));
        }
        let form_after = match result {
            ComplaintResult::Changed => new_form.unwrap_or(decision.form),
            _ => decision.form,
        };
        let was_expelled = decision.form == Discipline::Expulsion;
        let expelled_after =
            result != ComplaintResult::Annulled && form_after == Discipline::Expulsion;
        if let Some(member_id) = decision.member_id {
            let issuing = complaint.settling_name.clone();
            if was_expelled && !expelled_after {
                record_event(
                    tx,
                    member_id,
                    EventKind::Restoration,
                    settled_on,
                    "",
                    &issuing,
                )
                .await?;
            } else if !was_expelled && expelled_after {
                record_event(
                    tx,
                    member_id,
                    EventKind::Expulsion,
                    settled_on,
                    "",
                    &issuing,
                )
                .await?;
            }
        }
        store::settle_complaint(
            tx,
            complaint.id,
            settled_on,
            result,
            new_form,
            input.note.trim(),
        )
        .await?;
        let annulled = (result == ComplaintResult::Annulled).then_some(settled_on);
        store::settle_decision(tx, decision.id, annulled, form_after).await?;
        crate::figures::summary::touch(tx, &decision.subject_path, decision.decided_on).await?;
        self.access
            .audit(
                tx,
                "discipline.settle",
                "inspection_case",
                &decision.case_code,
                &decision.subject_path,
                json!({ "form": decision.form.label_vi() }),
                json!({
                    "settled_on": settled_on,
                    "result": result.label_vi(),
                    "form": form_after.label_vi(),
                    "note": input.note.trim(),
                }),
            )
            .await?;
        Ok(())
    }

    /// Adds an item to a unit's yearly programme.
    pub async fn plan(&self, input: &PlanInput) -> Result<PlanItem> {
        let mut tx = self.access.db.begin_write().await?;
        let id = self.plan_in(&mut tx, input).await?;
        let item = store::plan_items(&mut tx, &self.access.actor.scope.path, None, Some(id))
            .await?
            .pop();
        tx.commit().await?;
        item.ok_or_else(|| StoreError::NotFound("mục chương trình".into()))
    }

    pub(in crate::access) async fn plan_in(&self, tx: &mut Tx, input: &PlanInput) -> Result<i64> {
        let mut problems =
            dangbo_domain::input::problems([("topic", TextKind::Line, input.topic.as_str())]);
        let kind = parse_field!(problems, CaseKind, "kind", input.kind);
        if kind == Some(CaseKind::DisciplineComplaint) || kind == Some(CaseKind::Denunciation) {
            problems.push(field(
                "kind",
                "tố cáo, khiếu nại không lập trước trong chương trình",
            ));
        }
        let from = required_date(&mut problems, "planned_from", input.planned_from);
        let to = required_date(&mut problems, "planned_to", input.planned_to);
        if input.planned_from.is_some() && input.planned_to.is_some() && to < from {
            problems.push(field("planned_to", "kết thúc trước khi bắt đầu"));
        }
        if !(1945..=2100).contains(&input.year) {
            problems.push(field("year", format!("năm {} không hợp lệ", input.year)));
        }
        let unit = self.access.unit_in(tx, &input.unit).await?;
        let Some(unit) = unit.filter(|_| !input.unit.trim().is_empty()) else {
            problems.push(field(
                "unit",
                format!("không có đơn vị «{}» trong phạm vi", input.unit.trim()),
            ));
            return Err(StoreError::Fields(problems));
        };
        let on = NaiveDate::from_ymd_opt(input.year, 1, 1).unwrap_or(from);
        let placed = match self.place(tx, &input.subject, &unit, from.max(on)).await {
            Ok(p) => Some(p),
            Err(message) => {
                problems.push(field("subject", message));
                None
            }
        };
        let (Some(kind), Some(placed)) = (kind, placed) else {
            return Err(StoreError::Fields(problems));
        };
        fields_or(problems, ())?;
        let id = store::insert_plan_item(
            tx,
            &PlanRow {
                unit_id: unit.id,
                unit_path: &unit.path,
                year: input.year,
                kind,
                subject_unit_id: placed.unit.id,
                subject_member_id: placed.member_id,
                topic: input.topic.trim(),
                planned_from: from,
                planned_to: to,
            },
            &self.access.actor.name,
        )
        .await?;
        crate::figures::summary::touch(tx, &unit.path, from).await?;
        self.access
            .audit(
                tx,
                "inspection.plan",
                "inspection_plan",
                &format!("{}|{}", unit.code, input.year),
                &unit.path,
                serde_json::Value::Null,
                json!({
                    "kind": kind.label_vi(),
                    "subject": input.subject.trim(),
                    "topic": input.topic.trim(),
                    "planned_from": from,
                    "planned_to": to,
                }),
            )
            .await?;
        Ok(id)
    }
}

fn same(a: &Placed, b: &Placed) -> bool {
    match (a.member_id, b.member_id) {
        (Some(x), Some(y)) => x == y,
        (None, None) => a.unit.id == b.unit.id,
        _ => false,
    }
}

/// A member's unit and status on a day, if they were a member then.
/// A member's unit on a day and what kind of subject they are then (full or probationary), if
/// they were a member that day.
async fn member_on(
    tx: &mut Tx,
    member_id: i64,
    on: NaiveDate,
) -> Result<Option<(i64, SubjectKind)>> {
    let span = fetch_optional!(
        tx,
        format!(
            "SELECT unit_id, status FROM member_spans WHERE member_id = $1 AND {} \
             ORDER BY from_date DESC LIMIT 1",
            crate::engine::sql::in_force("from_date", "to_date", "$2")
        ),
        [member_id, on],
        |row| Ok((
            row.try_get::<i64, _>("unit_id")?,
            row.try_get::<String, _>("status")?
        ))
    )?;
    Ok(span.map(|(unit_id, status)| {
        let kind = match MembershipStatus::parse(&status) {
            Some(MembershipStatus::Probationary) => SubjectKind::ProbationaryMember,
            _ => SubjectKind::FullMember,
        };
        (unit_id, kind)
    }))
}

/// Records a member's event caused by discipline; gives its id. The event carries the
/// decision's number and body, nothing of the confidential case.
async fn record_event(
    tx: &mut Tx,
    member_id: i64,
    kind: EventKind,
    date: NaiveDate,
    decision_number: &str,
    issuing_body: &str,
) -> Result<i64> {
    crate::members::events::record_for(
        tx,
        member_id,
        vec![NewEvent {
            decision_number: decision_number.to_string(),
            issuing_body: issuing_body.to_string(),
            ..NewEvent::new(kind, date)
        }],
    )
    .await?;
    event_on(tx, member_id, kind, date).await?.ok_or_else(|| {
        StoreError::invalid("store.write_failed", "sự kiện vừa ghi không đọc lại được")
    })
}

/// A member's event of a kind on a day, if one is recorded.
async fn event_on(
    tx: &mut Tx,
    member_id: i64,
    kind: EventKind,
    date: NaiveDate,
) -> Result<Option<i64>> {
    Ok(fetch_optional!(
        tx,
        "SELECT id FROM member_events WHERE member_id = $1 AND kind = $2 AND event_date = $3 \
         ORDER BY id DESC LIMIT 1",
        [member_id, kind.code(), date],
        |row| row.try_get::<i64, _>("id")
    )?)
}
