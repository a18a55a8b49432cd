//! The admission pipeline through the scope: candidates of branches in scope with their steps, the
//! due list, and the [`AdmissionWriter`], which files candidates and records their steps, each
//! checked against the rules in force on its date and audited. The decision creates the member
//! and their admission event through the member history, so the member has the same history as
//! one imported, and the admission figures keep their meaning.

use std::collections::HashMap;

use chrono::{Days, NaiveDate};
use dangbo_domain::access::Capability;
use dangbo_domain::admission::{
    Due, NominatedBy, Stage, Step, StepRefusal, StopReason, Vote, check_step, education_problem,
    full_membership_due, next_due, next_stages,
};
use dangbo_domain::calendar::Calendar;
use dangbo_domain::input::TextKind;
use dangbo_domain::members::MemberRecord;
use dangbo_domain::members::events::EventKind;
use dangbo_domain::text::format_date;
use serde::Serialize;
use serde_json::json;

use super::Access;
use crate::admission::{self as store, Probationer};
use crate::members::events::{self, NewEvent};
use crate::tree::Unit;
use crate::{Refusal, Result, StoreError, Tx};

pub use crate::admission::{Candidate, Introducer, StoredStep};

mod classes;
mod import;

pub use self::classes::{AwarenessClass, NewClass, NewTrainee, Trainee};

/// The largest count a vote may give (no branch or committee is larger).
pub const MAX_VOTES: u32 = 100_000;

/// How many days ahead the due list warns of a deadline.
pub const WARN_DAYS: u64 = 30;

/// A candidate to file, as typed: the personal record (its code becomes the member's code at the
/// decision), the branch preparing them, who nominated them and when.
#[derive(Debug, Clone)]
pub struct NewCandidate {
    pub record: MemberRecord,
    /// The branch's code or exact name.
    pub unit: String,
    pub nominated_by: String,
    pub nominated_on: Option<NaiveDate>,
}

/// A step as typed: which stage it reaches (`class_passed` … `admitted` for the ceremony,
/// `stopped` to stop the file) and the fields that stage asks for.
#[derive(Debug, Clone, Default)]
pub struct StepInput {
    pub stage: String,
    pub on: Option<NaiveDate>,
    /// The awareness certificate's number and issuing centre.
    pub certificate: String,
    pub centre: String,
    pub votes_for: Option<u32>,
    pub votes_against: Option<u32>,
    pub present: Option<u32>,
    pub entitled: Option<u32>,
    /// The provincial standing committee's approval for a candidate past the age limit.
    pub over_age_approval: String,
    /// The decision's number and issuing committee.
    pub number: String,
    pub committee: String,
    /// Why a file stops, and a note.
    pub reason: String,
    pub note: String,
}

/// A candidate in a list, with the branch's name and the file's next deadline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CandidateLine {
    #[serde(flatten)]
    pub candidate: Candidate,
    pub unit_name: String,
    pub next_due: Option<Due>,
}

/// A candidate's whole file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CandidateFile {
    #[serde(flatten)]
    pub line: CandidateLine,
    pub steps: Vec<StoredStep>,
    pub introducers: Vec<Introducer>,
    /// The steps that may be recorded next.
    pub next_stages: Vec<Stage>,
    /// The full members of the branch today: what a branch vote counts against.
    pub branch_full_members: i64,
    /// For an admitted candidate: when probation ends and by when the branch votes on full
    /// membership.
    pub probation: Option<(NaiveDate, NaiveDate)>,
}

/// One line of the due list: a candidate's file or a probationer, what is due and by when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DueLine {
    /// `candidate` or `member`.
    pub kind: &'static str,
    /// The candidate's file code or the member's code.
    pub code: String,
    pub full_name: String,
    pub unit_code: String,
    pub unit_name: String,
    /// The rule whose deadline it is (`admission.decision_deadline`, `membership.probation_end`,
    /// `membership.full_vote`…).
    pub rule: &'static str,
    pub what: &'static str,
    pub due_on: NaiveDate,
    pub overdue: bool,
}

impl Access {
    /// The candidates of a unit's subtree (by code or exact name, in scope), in name order, each
    /// with the next deadline of their file on `today`; `None` for a unit out of scope. With
    /// `open_only`, admitted and stopped files are left out.
    pub async fn candidates(
        &self,
        unit_code: &str,
        today: NaiveDate,
        open_only: bool,
    ) -> Result<Option<(Unit, Vec<CandidateLine>)>> {
        let mut tx = self.read().await?;
        let Some(unit) = self.unit_in(&mut tx, unit_code).await? else {
            tx.rollback().await?;
            return Ok(None);
        };
        let lines = self.lines_under(&mut tx, &unit, today, open_only).await;
        tx.rollback().await?;
        Ok(Some((unit, lines?)))
    }

    async fn lines_under(
        &self,
        tx: &mut Tx,
        unit: &Unit,
        today: NaiveDate,
        open_only: bool,
    ) -> Result<Vec<CandidateLine>> {
        let list = store::under(tx, &unit.path, open_only).await?;
        let ids: Vec<i64> = list.iter().map(|c| c.id).collect();
        let mut steps = store::steps_of(tx, &ids).await?;
        let names = self.unit_names(tx, list.iter().map(|c| c.unit_id)).await?;
        let mut calendar = Calendar::new();
        Ok(list
            .into_iter()
            .map(|candidate| {
                let steps: Vec<Step> = steps
                    .remove(&candidate.id)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|s| s.step)
                    .collect();
                CandidateLine {
                    unit_name: names.get(&candidate.unit_id).cloned().unwrap_or_default(),
                    next_due: next_due(&steps, today, &mut calendar),
                    candidate,
                }
            })
            .collect())
    }

    /// The names of some units, by id.
    async fn unit_names(
        &self,
        tx: &mut Tx,
        ids: impl Iterator<Item = i64>,
    ) -> Result<HashMap<i64, String>> {
        let mut ids: Vec<i64> = ids.collect();
        ids.sort_unstable();
        ids.dedup();
        Ok(crate::tree::units_by_ids(tx, &ids)
            .await?
            .into_iter()
            .map(|(id, unit)| (id, unit.name))
            .collect())
    }

    /// A candidate's file by its code, if the branch preparing them is in scope.
    pub async fn candidate(&self, code: &str, today: NaiveDate) -> Result<Option<CandidateFile>> {
        let mut tx = self.read().await?;
        let file = self.file_in(&mut tx, code, today).await;
        tx.rollback().await?;
        file
    }

    async fn file_in(
        &self,
        tx: &mut Tx,
        code: &str,
        today: NaiveDate,
    ) -> Result<Option<CandidateFile>> {
        let Some(candidate) = self.candidate_in(tx, code).await? else {
            return Ok(None);
        };
        let steps = store::steps_of(tx, &[candidate.id])
            .await?
            .remove(&candidate.id)
            .unwrap_or_default();
        let plain: Vec<Step> = steps.iter().map(|s| s.step.clone()).collect();
        let introducers = store::introducers(tx, candidate.id).await?;
        let names = self.unit_names(tx, [candidate.unit_id].into_iter()).await?;
        let branch_full_members =
            store::count_with_status(tx, candidate.unit_id, "full", today).await?;
        let mut calendar = Calendar::new();
        let probation = plain.iter().find_map(|s| match s {
            Step::Ceremony { on } => Some(full_membership_due(*on, &mut calendar)),
            _ => None,
        });
        Ok(Some(CandidateFile {
            next_stages: next_stages(&plain),
            line: CandidateLine {
                unit_name: names.get(&candidate.unit_id).cloned().unwrap_or_default(),
                next_due: next_due(&plain, today, &mut calendar),
                candidate,
            },
            steps,
            introducers,
            branch_full_members,
            probation,
        }))
    }

    /// Whether a candidate's file is in scope: the light check a write's page makes before it
    /// reads the form (the writer checks again in its transaction).
    pub async fn sees_candidate(&self, code: &str) -> Result<bool> {
        let mut tx = self.read().await?;
        let seen = self.candidate_in(&mut tx, code).await.map(|c| c.is_some());
        tx.rollback().await?;
        seen
    }

    /// A candidate by file code, if their branch is in scope (one out of scope reads as absent).
    async fn candidate_in(&self, tx: &mut Tx, code: &str) -> Result<Option<Candidate>> {
        let code = code.trim();
        if !dangbo_domain::input::may_name_a_record(code) {
            return Ok(None);
        }
        Ok(store::by_code(tx, code)
            .await?
            .filter(|c| self.actor.sees(&c.unit_path)))
    }

    /// What is due in a unit's subtree (in scope) within [`WARN_DAYS`] of `today`, or overdue:
    /// candidates' files (the branch's vote before the file or certificate grows too old, the
    /// decision, the ceremony) and probationers from the member records (probation ending, the
    /// full-membership vote); by date, overdue first. `None` for a unit out of scope.
    pub async fn admission_due(
        &self,
        unit_code: &str,
        today: NaiveDate,
    ) -> Result<Option<(Unit, Vec<DueLine>)>> {
        let mut tx = self.read().await?;
        let Some(unit) = self.unit_in(&mut tx, unit_code).await? else {
            tx.rollback().await?;
            return Ok(None);
        };
        let lines = self.due_in(&mut tx, &unit, today).await;
        tx.rollback().await?;
        Ok(Some((unit, lines?)))
    }

    async fn due_in(&self, tx: &mut Tx, unit: &Unit, today: NaiveDate) -> Result<Vec<DueLine>> {
        let horizon = today
            .checked_add_days(Days::new(WARN_DAYS))
            .unwrap_or(NaiveDate::MAX);
        let mut lines: Vec<DueLine> = self
            .lines_under(tx, unit, today, true)
            .await?
            .into_iter()
            .filter_map(|line| {
                let due = line.next_due?;
                (due.due_on <= horizon).then_some(DueLine {
                    kind: "candidate",
                    code: line.candidate.record.code,
                    full_name: line.candidate.record.full_name,
                    unit_code: line.candidate.unit_code,
                    unit_name: line.unit_name,
                    rule: due.rule,
                    what: due.what,
                    due_on: due.due_on,
                    overdue: due.overdue,
                })
            })
            .collect();
        let probationers = store::probationers_under(tx, &unit.path, today).await?;
        let units = crate::tree::units_by_ids(
            tx,
            &probationers.iter().map(|p| p.unit_id).collect::<Vec<_>>(),
        )
        .await?;
        let mut calendar = Calendar::new();
        for p in probationers {
            let Some((rule, what, due_on)) = probation_due(&p, today, horizon, &mut calendar)
            else {
                continue;
            };
            let (unit_code, unit_name) = units
                .get(&p.unit_id)
                .map(|u| (u.code.clone(), u.name.clone()))
                .unwrap_or_default();
            lines.push(DueLine {
                kind: "member",
                code: p.code,
                full_name: p.full_name,
                unit_code,
                unit_name,
                rule,
                what,
                due_on,
                overdue: today > due_on,
            });
        }
        lines.sort_by(|a, b| {
            (!a.overdue, a.due_on, &a.unit_code, &a.full_name).cmp(&(
                !b.overdue,
                b.due_on,
                &b.unit_code,
                &b.full_name,
            ))
        });
        Ok(lines)
    }

    /// Files candidates and records their steps; only for roles that keep the admission files.
    pub fn admission_writer(&self) -> Result<AdmissionWriter<'_>> {
        self.allowed(Capability::Admit)?;
        Ok(AdmissionWriter { access: self })
    }
}

/// What is due for a probationer on `today`: the end of probation when it comes within the
/// horizon, then the branch's vote on full membership (30 working days after).
fn probation_due(
    p: &Probationer,
    today: NaiveDate,
    horizon: NaiveDate,
    calendar: &mut Calendar,
) -> Option<(&'static str, &'static str, NaiveDate)> {
    let (ends, vote_by) = full_membership_due(p.probation_from, calendar);
    if today < ends {
        (ends <= horizon).then_some(("membership.probation_end", "Hết thời gian dự bị", ends))
    } else {
        Some((
            "membership.full_vote",
            "Chi bộ xét công nhận đảng viên chính thức",
            vote_by,
        ))
    }
}

/// Files candidates and records their steps inside the scope, each checked and audited.
pub struct AdmissionWriter<'a> {
    access: &'a Access,
}

/// The refusal of a step by a rule, with its document and the dates.
fn refusal(r: StepRefusal) -> StoreError {
    let message = if r.source.is_empty() {
        r.message
    } else {
        format!("{} (theo {})", r.message, r.source)
    };
    StoreError::Invalid(Refusal {
        code: r.rule,
        message_en: format!("the step breaks the rule {}", r.rule),
        message,
    })
}

impl AdmissionWriter<'_> {
    /// Files a candidate of a branch in scope with their nomination; problems come back per field
    /// (the record's, `unit`, `nominated_by`, `nominated_on`), a code already a member's or another
    /// candidate's among them.
    pub async fn add_candidate(&self, input: &NewCandidate, today: NaiveDate) -> Result<String> {
        let mut tx = self.access.db.begin_write().await?;
        let code = self.add_candidate_in(&mut tx, input, today).await?;
        tx.commit().await?;
        Ok(code)
    }

    /// [`AdmissionWriter::add_candidate`] inside the caller's transaction (an import).
    pub(in crate::access) async fn add_candidate_in(
        &self,
        tx: &mut Tx,
        input: &NewCandidate,
        today: NaiveDate,
    ) -> Result<String> {
        let record = crate::members::normalise(&input.record);
        let mut problems = crate::members::validate(&record, today);
        let by = NominatedBy::parse(&input.nominated_by);
        if by.is_none() {
            problems.push((
                "nominated_by".into(),
                format!("cần một trong: {}", NominatedBy::expected_vi()),
            ));
        }
        match input.nominated_on {
            None => problems.push((
                "nominated_on".into(),
                "cần ngày giới thiệu dạng dd/mm/yyyy".into(),
            )),
            Some(on) if on > today || on < record.birth_date => problems.push((
                "nominated_on".into(),
                "ngày giới thiệu phải sau ngày sinh và không sau hôm nay".into(),
            )),
            Some(_) => {}
        }
        let unit = self.access.unit_in(tx, &input.unit).await?;
        match &unit {
            None => problems.push((
                "unit".into(),
                "không có chi bộ này trong phạm vi của bạn".into(),
            )),
            Some(u) if !u.kind.holds_members() => problems.push((
                "unit".into(),
                format!(
                    "{} không phải chi bộ: người vào Đảng do chi bộ bồi dưỡng",
                    u.name
                ),
            )),
            Some(u) if input.nominated_on.is_some_and(|on| !u.exists_on(on)) => problems.push((
                "unit".into(),
                "chi bộ chưa có (hoặc đã giải thể) vào ngày giới thiệu".into(),
            )),
            Some(_) => {}
        }
        // A member's code names the file of that member entered after the fact (the decision
        // links to them); a member out of scope is not named.
        if !record.code.is_empty() {
            if store::code_taken(tx, &record.code).await? {
                // Another file's code, named only when that file is in scope.
                let message = if self.access.candidate_in(tx, &record.code).await?.is_some() {
                    "mã này đã là của một hồ sơ khác"
                } else {
                    "mã này không dùng được; dùng mã khác"
                };
                problems.push(("code".into(), message.into()));
            } else if crate::members::by_code(tx, &record.code).await?.is_some()
                && self
                    .access
                    .member_in_scope(tx, &record.code)
                    .await?
                    .is_none()
            {
                problems.push(("code".into(), "mã này không dùng được; dùng mã khác".into()));
            }
        }
        let (Some(unit), Some(by), Some(on), true) =
            (unit, by, input.nominated_on, problems.is_empty())
        else {
            return Err(StoreError::Fields(problems));
        };
        let first = Step::Nominated { on, by };
        store::insert(tx, &record, &unit, by, &first, &self.access.actor.name).await?;
        self.access
            .audit(
                tx,
                "candidate.add",
                "candidate",
                &record.code,
                &unit.path,
                serde_json::Value::Null,
                with_fields(
                    json!(record),
                    json!({ "unit": unit.code, "nominated_by": by.code(), "nominated_on": on }),
                ),
            )
            .await?;
        Ok(record.code)
    }

    /// Records the next step of a candidate's file in scope, checked against the order of the
    /// steps and the rules in force on its date. The decision creates the member with their
    /// admission event in the branch; the ceremony dates it. Returns the stage reached.
    pub async fn record_step(
        &self,
        code: &str,
        input: &StepInput,
        today: NaiveDate,
    ) -> Result<Stage> {
        let mut tx = self.access.db.begin_write().await?;
        let stage = self.record_step_in(&mut tx, code, input, today).await?;
        tx.commit().await?;
        Ok(stage)
    }

    /// [`AdmissionWriter::record_step`] inside the caller's transaction (an import).
    pub(in crate::access) async fn record_step_in(
        &self,
        tx: &mut Tx,
        code: &str,
        input: &StepInput,
        today: NaiveDate,
    ) -> Result<Stage> {
        let candidate = self
            .access
            .candidate_in(tx, code)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("hồ sơ «{}»", code.trim())))?;
        let step = read_step(input, today)?;
        let steps: Vec<Step> = store::steps_of(tx, &[candidate.id])
            .await?
            .remove(&candidate.id)
            .unwrap_or_default()
            .into_iter()
            .map(|s| s.step)
            .collect();
        let mut calendar = Calendar::new();
        check_step(&steps, &step, candidate.record.birth_date, &mut calendar).map_err(refusal)?;
        if let Step::BranchResolution { on, .. } = &step {
            let hardship = store::in_hardship_area(tx, &candidate.unit_path).await?;
            if let Some(problem) =
                education_problem(candidate.record.general_education, hardship, *on)
            {
                return Err(refusal(problem));
            }
        }
        if let Step::BranchResolution { on, vote, .. } = &step {
            // The vote counts against the branch's full members: fewer than the records hold
            // would let a vote pass that does not.
            let recorded = store::count_with_status(tx, candidate.unit_id, "full", *on).await?;
            if i64::from(vote.entitled) < recorded {
                return Err(StoreError::Fields(vec![(
                    "entitled".into(),
                    format!(
                        "chi bộ có {recorded} đảng viên chính thức ngày {} theo hồ sơ: tổng số không được ít hơn",
                        format_date(*on)
                    ),
                )]));
            }
        }
        // What the step does to the member history comes first: when it is refused, nothing of
        // the step is written.
        match &step {
            Step::Decided {
                on,
                number,
                committee,
            } => {
                self.create_member(tx, &candidate, *on, number, committee)
                    .await?;
            }
            Step::Ceremony { on } => {
                let decided = steps.iter().rev().find_map(|s| match s {
                    Step::Decided { on, .. } => Some(*on),
                    _ => None,
                });
                let (Some(member_id), Some(decided)) = (candidate.member_id, decided) else {
                    return Err(StoreError::invalid(
                        "admission.order",
                        "hồ sơ chưa có quyết định kết nạp gắn với đảng viên: không ghi lễ kết nạp",
                    ));
                };
                events::set_ceremony(tx, member_id, decided, *on).await?;
            }
            _ => {}
        }
        store::add_step(tx, candidate.id, &step, &self.access.actor.name).await?;
        // The candidates' figures of the branch's subtree change from the step's date.
        crate::figures::summary::touch(tx, &candidate.unit_path, step.date()).await?;
        self.access
            .audit(
                tx,
                "candidate.step",
                "candidate",
                &candidate.record.code,
                &candidate.unit_path,
                json!({ "stage": candidate.stage }),
                step_fields(&step),
            )
            .await?;
        Ok(step.stage())
    }

    /// The member a decision creates: the candidate's record under the same code, admitted in the
    /// branch on the decision's date, through the member history. A file entered after the fact,
    /// for a member already recorded with that admission (same code, date and branch), is linked
    /// to them instead; any other member with the code refuses the decision.
    async fn create_member(
        &self,
        tx: &mut Tx,
        candidate: &Candidate,
        on: NaiveDate,
        number: &str,
        committee: &str,
    ) -> Result<()> {
        if let Some(existing) = crate::members::by_code(tx, &candidate.record.code).await? {
            // A member out of scope is never named.
            if self
                .access
                .member_in_scope(tx, &candidate.record.code)
                .await?
                .is_none()
            {
                return Err(StoreError::invalid(
                    "admission.code_taken",
                    "mã hồ sơ không dùng được làm mã đảng viên: lập hồ sơ mới với mã khác",
                ));
            }
            let recorded = events::of_members(tx, &[existing.id])
                .await?
                .remove(&existing.id)
                .unwrap_or_default();
            let same_admission = recorded.iter().any(|e| {
                e.event.kind == EventKind::Admission
                    && e.event.date == on
                    && e.event.to_unit_id == Some(candidate.unit_id)
            });
            if !same_admission {
                return Err(StoreError::invalid(
                    "admission.code_taken",
                    format!(
                        "đã có đảng viên mã {} mà không có sự kiện kết nạp ngày {} tại chi bộ này: đặt mã khác cho hồ sơ",
                        candidate.record.code,
                        format_date(on)
                    ),
                ));
            }
            return store::link_member(tx, candidate.id, existing.id).await;
        }
        let member_id = crate::members::create(tx, &candidate.record).await?;
        events::record_for(
            tx,
            member_id,
            vec![NewEvent {
                to_unit_id: Some(candidate.unit_id),
                decision_number: number.to_string(),
                issuing_body: committee.to_string(),
                note: format!("Kết nạp từ hồ sơ người vào Đảng {}", candidate.record.code),
                ..NewEvent::new(EventKind::Admission, on)
            }],
        )
        .await?;
        store::link_member(tx, candidate.id, member_id).await?;
        self.access
            .audit(
                tx,
                "member.admit",
                "member",
                &candidate.record.code,
                &candidate.unit_path,
                serde_json::Value::Null,
                with_fields(
                    json!(candidate.record),
                    json!({ "decision_number": number, "issuing_body": committee, "date": on }),
                ),
            )
            .await
    }

    /// Names a full member in scope as an introducer of a candidate in scope, from a date.
    pub async fn add_introducer(
        &self,
        code: &str,
        member_code: &str,
        on: Option<NaiveDate>,
    ) -> Result<()> {
        let mut tx = self.access.db.begin_write().await?;
        let candidate = self
            .access
            .candidate_in(&mut tx, code)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("hồ sơ «{}»", code.trim())))?;
        let Some(on) = on else {
            return Err(StoreError::Fields(vec![(
                "assigned_on".into(),
                "cần ngày phân công dạng dd/mm/yyyy".into(),
            )]));
        };
        let Some((member, _)) = self.access.member_in_scope(&mut tx, member_code).await? else {
            return Err(StoreError::Fields(vec![(
                "member".into(),
                "không có đảng viên này trong phạm vi của bạn".into(),
            )]));
        };
        // An introducer is a full member of the candidate's own branch on the day (the branch
        // assigns them; its members are the ones its pages may name).
        let standing = store::status_of(&mut tx, member.id, on).await?;
        if standing != Some(("full".to_string(), candidate.unit_id)) {
            return Err(StoreError::Fields(vec![(
                "member".into(),
                format!(
                    "người giới thiệu phải là đảng viên chính thức của chi bộ {} ngày {}",
                    candidate.unit_code,
                    format_date(on)
                ),
            )]));
        }
        store::add_introducer(
            &mut tx,
            candidate.id,
            member.id,
            on,
            &self.access.actor.name,
        )
        .await?;
        self.access
            .audit(
                &mut tx,
                "candidate.introducer",
                "candidate",
                &candidate.record.code,
                &candidate.unit_path,
                serde_json::Value::Null,
                json!({ "member": member.record.code, "assigned_on": on }),
            )
            .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// A record's fields with more beside them, in one flat object (the audit log shows each field).
fn with_fields(record: serde_json::Value, more: serde_json::Value) -> serde_json::Value {
    let mut out = record;
    if let (Some(map), serde_json::Value::Object(more)) = (out.as_object_mut(), more) {
        map.extend(more);
    }
    out
}

/// A step's facts in one flat object: its stage, date and fields, a vote's counts beside them.
fn step_fields(step: &Step) -> serde_json::Value {
    let mut value = json!(step);
    if let Some(map) = value.as_object_mut() {
        if let Some(serde_json::Value::Object(vote)) = map.remove("vote") {
            map.extend(vote);
        }
        // The serialized tag names the step ("ceremony"); the log names the stage reached.
        if map.remove("step").is_some() {
            map.insert("stage".into(), json!(step.stage().code()));
        }
    }
    value
}

/// Reads a typed step; problems come back per field.
pub(in crate::access) fn read_step(input: &StepInput, today: NaiveDate) -> Result<Step> {
    let mut problems = dangbo_domain::input::problems([
        ("certificate", TextKind::Short, input.certificate.as_str()),
        ("centre", TextKind::Line, input.centre.as_str()),
        (
            "over_age_approval",
            TextKind::Short,
            input.over_age_approval.as_str(),
        ),
        ("number", TextKind::Short, input.number.as_str()),
        ("committee", TextKind::Line, input.committee.as_str()),
        ("note", TextKind::Note, input.note.as_str()),
    ]);
    let stage = Stage::parse(&input.stage);
    match (stage, input.on) {
        (None, _) => problems.push((
            "stage".into(),
            format!("cần một bước trong: {}", Stage::expected_vi()),
        )),
        (_, None) => problems.push(("on".into(), "cần ngày dạng dd/mm/yyyy".into())),
        (_, Some(on)) if on > today => {
            problems.push(("on".into(), "không ghi trước một bước chưa diễn ra".into()))
        }
        _ => {}
    }
    let mut required = |field: &'static str, value: &str, what: &str| {
        if value.trim().is_empty() {
            problems.push((field.into(), format!("cần {what}")));
        }
    };
    match stage {
        Some(Stage::ClassPassed) => {
            required("certificate", &input.certificate, "số giấy chứng nhận");
            required("centre", &input.centre, "nơi cấp (trung tâm chính trị)");
        }
        Some(Stage::Decided) => {
            required("number", &input.number, "số quyết định kết nạp");
            required("committee", &input.committee, "cấp ủy ra quyết định");
        }
        _ => {}
    }
    let reason = StopReason::parse(&input.reason);
    if stage == Some(Stage::Stopped) && reason.is_none() {
        problems.push((
            "reason".into(),
            format!("cần lý do: {}", StopReason::expected_vi()),
        ));
    }
    let vote = if matches!(
        stage,
        Some(Stage::BranchResolution | Stage::CommitteeResolution)
    ) {
        let mut count = |field: &'static str, value: Option<u32>| {
            match value {
                None => problems.push((field.into(), "cần một số nguyên không âm".into())),
                Some(n) if n > MAX_VOTES => problems.push((
                    field.into(),
                    format!("{n} không hợp lý: không quá {MAX_VOTES}"),
                )),
                Some(_) => {}
            }
            value.unwrap_or(0)
        };
        Some(Vote {
            votes_for: count("votes_for", input.votes_for),
            votes_against: count("votes_against", input.votes_against),
            present: count("present", input.present),
            entitled: count("entitled", input.entitled),
        })
    } else {
        None
    };
    let (Some(stage), Some(on), true) = (stage, input.on, problems.is_empty()) else {
        return Err(StoreError::Fields(problems));
    };
    let text = |s: &str| dangbo_domain::text::clean(s);
    // Both are read above for the stages that need them; a missing one was a problem already.
    let missing = |field: &str| StoreError::Fields(vec![(field.into(), "cần nhập".into())]);
    Ok(match stage {
        Stage::Nominated => {
            return Err(StoreError::Fields(vec![(
                "stage".into(),
                "hồ sơ đã có bước giới thiệu khi được lập".into(),
            )]));
        }
        Stage::ClassPassed => Step::ClassPassed {
            on,
            certificate: text(&input.certificate),
            centre: text(&input.centre),
        },
        Stage::Applied => Step::Applied { on },
        Stage::Vetted => Step::Vetted { on },
        Stage::MassOrganization => Step::MassOrganization { on },
        Stage::BranchResolution => Step::BranchResolution {
            on,
            vote: vote.ok_or_else(|| missing("votes_for"))?,
            over_age_approval: text(&input.over_age_approval),
        },
        Stage::CommitteeResolution => Step::CommitteeResolution {
            on,
            vote: vote.ok_or_else(|| missing("votes_for"))?,
        },
        Stage::Decided => Step::Decided {
            on,
            number: text(&input.number),
            committee: text(&input.committee),
        },
        Stage::Admitted => Step::Ceremony { on },
        Stage::Stopped => Step::Stop {
            on,
            reason: reason.ok_or_else(|| missing("reason"))?,
            note: text(&input.note),
        },
    })
}
