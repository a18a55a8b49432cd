//! Cadre work: who holds which post in the units of the scope, over time, and the persons' training.
//! Readers see the holdings of units in scope and the persons in scope (a member through their
//! record's scope, a non-member through the unit keeping them); the writer
//! ([`Capability::ManageCadres`], the organization board) records persons, holdings started and
//! ended by decisions, and training facts, each checked and audited.

use chrono::NaiveDate;
use dangbo_domain::access::Capability;
use dangbo_domain::cadres::standards::{Levels, Shortfall, shortfalls, standards};
use dangbo_domain::cadres::{Holding as Span, Move, Post, PostGroup, check_holding};
use dangbo_domain::education::{TrainingKind, level_history};
use dangbo_domain::input::TextKind;
use dangbo_domain::members::{GeneralEducation, Qualification, Sex, TheoryLevel};
use dangbo_domain::text::format_date;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::Access;
use crate::cadres::persons::{self, NonMember, Person};
use crate::cadres::training::{self, FactRow, TrainingFact};
use crate::cadres::{self as store, EndRow, Holding, HoldingRow};
use crate::tree::Unit;
use crate::{Result, StoreError, Tx};

/// A non-member's short record, as a form, the API or a file gives it.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct PersonInput {
    /// Their own code (not a member's).
    pub code: String,
    pub full_name: String,
    #[serde(default)]
    pub sex: String,
    #[serde(default)]
    pub birth_date: Option<NaiveDate>,
    /// The unit keeping the record.
    pub unit: String,
    #[serde(default)]
    pub note: String,
}

/// A holding to record.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct HoldingInput {
    pub unit: String,
    /// A [`Post`] code or words.
    pub post: String,
    /// The body or title the post is of ("Hội Nông dân"), when the post names several.
    #[serde(default)]
    pub post_detail: String,
    /// The holder: a member code, or a non-member's code.
    pub holder: String,
    /// The village of a village post, held at the branch covering it.
    #[serde(default)]
    pub village: String,
    pub from: Option<NaiveDate>,
    /// When it ended already (history), the first day no longer held.
    #[serde(default)]
    pub to: Option<NaiveDate>,
    /// The [`Move`] that starts it (appointment, election, rotation, reassignment, secondment).
    pub start_move: String,
    #[serde(default)]
    pub start_body: String,
    #[serde(default)]
    pub start_decision: String,
    #[serde(default)]
    pub start_decided_on: Option<NaiveDate>,
    /// The [`Move`] that ended it, with `to`.
    #[serde(default)]
    pub end_move: String,
    #[serde(default)]
    pub end_decision: String,
}

/// The end of a holding.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct HoldingEnd {
    pub holding_id: i64,
    /// The first day it is no longer held.
    pub to: Option<NaiveDate>,
    /// The [`Move`] that ends it (its successor's move when it is a rotation or reassignment).
    pub end_move: String,
    #[serde(default)]
    pub end_body: String,
    #[serde(default)]
    pub end_decision: String,
    #[serde(default)]
    pub end_decided_on: Option<NaiveDate>,
}

/// A training fact to record.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct FactInput {
    /// A member code, or a non-member's code.
    pub person: String,
    /// A [`TrainingKind`] code or words.
    pub kind: String,
    /// A level of that kind, code or words.
    pub level: String,
    pub on: Option<NaiveDate>,
    #[serde(default)]
    pub institution: String,
    /// `diploma` (bằng) or `equivalence` (giấy chứng nhận tương đương); a diploma when empty.
    #[serde(default)]
    pub proof: String,
    #[serde(default)]
    pub diploma: String,
}

/// A person with their posts and training, as their page shows them.
#[derive(Debug, Clone, Serialize)]
pub struct PersonView {
    pub person: Person,
    pub holdings: Vec<Holding>,
    pub training: Vec<TrainingFact>,
}

/// A holder on a day measured against their group's standard.
#[derive(Debug, Clone, Serialize)]
pub struct Compliance {
    pub holding: Holding,
    pub group: PostGroup,
    pub theory: Option<TheoryLevel>,
    pub education: Option<GeneralEducation>,
    pub qualification: Option<Qualification>,
    /// What they lack (empty: the standard is met).
    pub shortfalls: Vec<String>,
    /// Whether the theory standard is met (the figure `positions.theory_standard.*`).
    pub meets_theory: bool,
}

/// Posts one holder at a time in a unit.
fn single(post: Post) -> bool {
    matches!(
        post,
        Post::Secretary
            | Post::BranchSecretary
            | Post::CommissionChair
            | Post::CouncilChair
            | Post::PeopleCommitteeChair
    )
}

fn field(name: &str, message: impl Into<String>) -> (String, String) {
    (name.to_string(), message.into())
}

/// The proofs a training fact may have.
const PROOFS: [(&str, &str); 2] = [
    ("diploma", "Bằng tốt nghiệp"),
    ("equivalence", "Giấy chứng nhận tương đương"),
];

fn parse_proof(input: &str) -> Option<&'static str> {
    let folded = dangbo_domain::text::fold(input);
    if folded.is_empty() {
        return Some("diploma");
    }
    PROOFS
        .iter()
        .find(|(code, label)| folded == *code || folded == dangbo_domain::text::fold(label))
        .map(|(code, _)| *code)
        .or_else(|| {
            if folded.starts_with("bang") {
                Some("diploma")
            } else if folded.contains("tuong duong") {
                Some("equivalence")
            } else {
                None
            }
        })
}

/// The levels a person held on a day: their facts of a kind, or, when they have none of that
/// kind, their member record's level.
fn levels_on(
    facts: &[TrainingFact],
    record: Option<&crate::members::Member>,
    day: NaiveDate,
) -> Levels {
    let held = |kind: TrainingKind| -> Option<&'static str> {
        let dated: Vec<(NaiveDate, &str)> = facts
            .iter()
            .filter(|f| f.kind == kind)
            .map(|f| (f.on, f.level.as_str()))
            .collect();
        level_history(kind, &dated)
            .into_iter()
            .filter(|(on, _)| *on <= day)
            .map(|(_, code)| code)
            .next_back()
    };
    let has = |kind: TrainingKind| facts.iter().any(|f| f.kind == kind);
    let record = record.map(|m| &m.record);
    Levels {
        theory: if has(TrainingKind::Theory) {
            held(TrainingKind::Theory).and_then(TheoryLevel::parse)
        } else {
            record.and_then(|r| r.theory_level)
        },
        education: if has(TrainingKind::Education) {
            held(TrainingKind::Education).and_then(GeneralEducation::parse)
        } else {
            record.and_then(|r| r.general_education)
        },
        qualification: if has(TrainingKind::Qualification) {
            held(TrainingKind::Qualification).and_then(Qualification::parse)
        } else {
            record.and_then(|r| r.qualification)
        },
    }
}

impl Access {
    /// The posts held on a day in the subtree of `unit_code` (the scope when empty), by unit.
    pub async fn posts_held(
        &self,
        unit_code: &str,
        on: NaiveDate,
    ) -> Result<Option<(Unit, Vec<Holding>)>> {
        let Some((mut tx, unit)) = self.read_unit(unit_code).await? else {
            return Ok(None);
        };
        let list = store::held_under(&mut tx, &unit.path, on).await;
        tx.rollback().await?;
        Ok(Some((unit, list?)))
    }

    /// The holdings started or ended in a period in the subtree of `unit_code`.
    pub async fn cadre_moves(
        &self,
        unit_code: &str,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Option<(Unit, Vec<Holding>)>> {
        let Some((mut tx, unit)) = self.read_unit(unit_code).await? else {
            return Ok(None);
        };
        let list = store::moved_under(&mut tx, &unit.path, from, to).await;
        tx.rollback().await?;
        Ok(Some((unit, list?)))
    }

    /// The holders on a day in the subtree of `unit_code` measured against their group's
    /// standard, those below it first.
    pub async fn compliance(
        &self,
        unit_code: &str,
        on: NaiveDate,
    ) -> Result<Option<(Unit, Vec<Compliance>)>> {
        let Some((mut tx, unit)) = self.read_unit(unit_code).await? else {
            return Ok(None);
        };
        let list = compliance_in(&mut tx, &unit, on).await;
        tx.rollback().await?;
        Ok(Some((unit, list?)))
    }

    /// A person in scope, by member code or their own code, with their posts in scope and their
    /// training.
    pub async fn person(&self, reference: &str) -> Result<Option<PersonView>> {
        let mut tx = self.read().await?;
        let view = self.person_in(&mut tx, reference).await;
        let view = match view {
            Ok(Some(person)) => {
                let holdings = store::of_person(&mut tx, person.id).await;
                let training = training::of_person(&mut tx, person.id).await;
                match (holdings, training) {
                    (Ok(holdings), Ok(training)) => Ok(Some(PersonView {
                        holdings: holdings
                            .into_iter()
                            .filter(|h| self.actor.sees(&h.unit_path))
                            .collect(),
                        training,
                        person,
                    })),
                    (Err(e), _) | (_, Err(e)) => Err(e),
                }
            }
            other => other.map(|_| None),
        };
        tx.rollback().await?;
        view
    }

    /// The non-members kept by units in the subtree of `unit_code`.
    pub async fn non_members(&self, unit_code: &str) -> Result<Option<(Unit, Vec<Person>)>> {
        let Some((mut tx, unit)) = self.read_unit(unit_code).await? else {
            return Ok(None);
        };
        let (lo, hi) = crate::tree::subtree_bounds(&unit.path);
        let list = persons::non_members_under(&mut tx, &lo, &hi).await;
        tx.rollback().await?;
        Ok(Some((unit, list?)))
    }

    /// A holding of a unit in scope, by id (for a request that names one: out of scope it is
    /// absent, whatever else the request says).
    pub async fn holding(&self, id: i64) -> Result<Option<Holding>> {
        let mut tx = self.read().await?;
        let holding = store::by_id(&mut tx, id).await;
        tx.rollback().await?;
        Ok(holding?.filter(|h| self.actor.sees(&h.unit_path)))
    }

    /// A person in scope: a member whose record is in scope (their person made on first use is
    /// not needed to read them), or a non-member kept in scope.
    async fn person_in(&self, tx: &mut Tx, reference: &str) -> Result<Option<Person>> {
        let reference = reference.trim();
        if reference.is_empty() {
            return Ok(None);
        }
        if let Some((member, _)) = self.member_in_scope(tx, reference).await? {
            return Ok(Some(match persons::by_member(tx, member.id).await? {
                Some(person) => person,
                None => Person {
                    id: 0,
                    code: None,
                    member_id: Some(member.id),
                    member_code: Some(member.record.code.clone()),
                    full_name: member.record.full_name.clone(),
                    sex: member.record.sex.code().to_string(),
                    birth_date: Some(member.record.birth_date),
                    unit_path: None,
                    note: String::new(),
                },
            }));
        }
        let person = persons::by_code(tx, reference).await?;
        Ok(person.filter(|p| {
            p.unit_path
                .as_deref()
                .is_some_and(|path| self.actor.sees(path))
        }))
    }

    pub fn cadre_writer(&self) -> Result<CadreWriter<'_>> {
        self.allowed(Capability::ManageCadres)?;
        Ok(CadreWriter { access: self })
    }
}

/// The holders on a day under `unit` against their group's standard.
async fn compliance_in(tx: &mut Tx, unit: &Unit, on: NaiveDate) -> Result<Vec<Compliance>> {
    let editions = standards();
    let rules = &editions.on(on).rules;
    let mut out = Vec::new();
    let mut seen: Vec<(i64, PostGroup)> = Vec::new();
    for holding in store::held_under(tx, &unit.path, on).await? {
        let group = holding.post.group();
        let Some(standard) = rules.of(group) else {
            continue;
        };
        // Each person once per group, as the figures count them.
        if seen.contains(&(holding.person_id, group)) {
            continue;
        }
        seen.push((holding.person_id, group));
        let facts = training::of_person(tx, holding.person_id).await?;
        let person = persons::by_id(tx, holding.person_id).await?;
        let member = match person.as_ref().and_then(|p| p.member_id) {
            Some(id) => crate::members::by_id(tx, id).await?,
            None => None,
        };
        let levels = levels_on(&facts, member.as_ref(), on);
        let first_age = first_age(tx, &holding, person.as_ref(), group).await?;
        let lacking: Vec<Shortfall> = shortfalls(standard, &levels, first_age);
        let meets_theory = !lacking.iter().any(|s| s.field == "theory");
        out.push(Compliance {
            holding,
            group,
            theory: levels.theory,
            education: levels.education,
            qualification: levels.qualification,
            shortfalls: lacking.into_iter().map(|s| s.message).collect(),
            meets_theory,
        });
    }
    out.sort_by_key(|c| (c.shortfalls.is_empty(), c.holding.unit_path.clone()));
    Ok(out)
}

/// A holder's age on the first day they held a post of the group.
async fn first_age(
    tx: &mut Tx,
    holding: &Holding,
    person: Option<&Person>,
    group: PostGroup,
) -> Result<Option<u32>> {
    let Some(birth) = person.and_then(|p| p.birth_date) else {
        return Ok(None);
    };
    let first = store::of_person(tx, holding.person_id)
        .await?
        .into_iter()
        .filter(|h| h.post.group() == group)
        .map(|h| h.from)
        .min()
        .unwrap_or(holding.from);
    Ok(u32::try_from(dangbo_domain::members::years_between(birth, first)).ok())
}

/// Records persons, posts and training in the scope, each checked and audited.
pub struct CadreWriter<'a> {
    access: &'a Access,
}

impl CadreWriter<'_> {
    /// Records a non-member's short record.
    pub async fn add_person(&self, input: &PersonInput) -> Result<Person> {
        let mut tx = self.access.db.begin_write().await?;
        let id = self.add_person_in(&mut tx, input).await?;
        let person = persons::by_id(&mut tx, id).await?;
        tx.commit().await?;
        person.ok_or_else(|| StoreError::NotFound("người".into()))
    }

    pub(in crate::access) async fn add_person_in(
        &self,
        tx: &mut Tx,
        input: &PersonInput,
    ) -> Result<i64> {
        let code = input.code.trim();
        let mut problems = dangbo_domain::input::problems([
            ("code", TextKind::Code, code),
            ("full_name", TextKind::Name, input.full_name.as_str()),
            ("note", TextKind::Note, input.note.as_str()),
        ]);
        if code.is_empty() {
            problems.push(field("code", "cần mã người (không phải đảng viên)"));
        }
        if input.full_name.trim().is_empty() {
            problems.push(field("full_name", "cần họ và tên"));
        }
        let sex = if input.sex.trim().is_empty() {
            Some("")
        } else {
            Sex::parse(input.sex.trim()).map(|s| s.code())
        };
        if sex.is_none() {
            problems.push(field(
                "sex",
                format!(
                    "«{}» không hợp lệ; cần: {}",
                    input.sex.trim(),
                    Sex::expected_vi()
                ),
            ));
        }
        if !code.is_empty() {
            // The same words whether the code is a member's (in scope or not) or a person's:
            // a refusal says nothing of records out of scope.
            if crate::members::by_code(tx, code).await?.is_some()
                || persons::by_code(tx, code).await?.is_some()
            {
                problems.push(field(
                    "code",
                    format!("mã «{code}» đã có (mã đảng viên hoặc mã người khác)"),
                ));
            }
        }
        let unit = self.access.unit_in(tx, &input.unit).await?;
        let Some(unit) = unit.filter(|_| !input.unit.trim().is_empty()) else {
            problems.push(field(
                "unit",
                format!("không có đơn vị «{}» trong phạm vi", input.unit.trim()),
            ));
            return Err(StoreError::Fields(problems));
        };
        let Some(sex) = sex.filter(|_| problems.is_empty()) else {
            return Err(StoreError::Fields(problems));
        };
        let id = persons::insert_non_member(
            tx,
            &NonMember {
                code,
                full_name: input.full_name.trim(),
                sex,
                birth_date: input.birth_date,
                unit_id: unit.id,
                unit_path: &unit.path,
                note: input.note.trim(),
            },
            &self.access.actor.name,
        )
        .await?;
        self.access
            .audit(
                tx,
                "cadre.person",
                "person",
                code,
                &unit.path,
                serde_json::Value::Null,
                json!({
                    "full_name": input.full_name.trim(),
                    "sex": sex,
                    "birth_date": input.birth_date,
                    "unit": unit.code,
                    "note": input.note.trim(),
                }),
            )
            .await?;
        Ok(id)
    }

    /// The person a reference names in scope, made for a member on first use; a problem for
    /// `field_name` otherwise.
    async fn holder(
        &self,
        tx: &mut Tx,
        reference: &str,
        field_name: &str,
    ) -> Result<std::result::Result<(i64, Person), (String, String)>> {
        let reference = reference.trim();
        if reference.is_empty() {
            return Ok(Err(field(
                field_name,
                "cần mã đảng viên hoặc mã người ngoài Đảng",
            )));
        }
        if let Some((member, _)) = self.access.member_in_scope(tx, reference).await? {
            let id = persons::of_member(tx, member.id, &self.access.actor.name).await?;
            let person = persons::by_id(tx, id).await?;
            return Ok(person
                .map(|p| (id, p))
                .ok_or_else(|| field(field_name, "không đọc được người vừa ghi")));
        }
        match self.access.person_in(tx, reference).await? {
            Some(person) => Ok(Ok((person.id, person))),
            None => Ok(Err(field(
                field_name,
                format!("không có đảng viên hay người nào mã «{reference}» trong phạm vi"),
            ))),
        }
    }

    /// Records a holding started by a decision (and, for history, ended).
    pub async fn record(&self, input: &HoldingInput) -> Result<Holding> {
        let mut tx = self.access.db.begin_write().await?;
        let id = self.record_in(&mut tx, input).await?;
        let holding = store::by_id(&mut tx, id).await?;
        tx.commit().await?;
        holding.ok_or_else(|| StoreError::NotFound("chức vụ".into()))
    }

    pub(in crate::access) async fn record_in(
        &self,
        tx: &mut Tx,
        input: &HoldingInput,
    ) -> Result<i64> {
        let mut problems = dangbo_domain::input::problems([
            ("post_detail", TextKind::Line, input.post_detail.as_str()),
            ("village", TextKind::Line, input.village.as_str()),
            ("start_body", TextKind::Line, input.start_body.as_str()),
            (
                "start_decision",
                TextKind::Short,
                input.start_decision.as_str(),
            ),
            ("end_decision", TextKind::Short, input.end_decision.as_str()),
        ]);
        let post = Post::parse(input.post.trim());
        if post.is_none() {
            problems.push(field(
                "post",
                format!(
                    "«{}» không phải chức danh; cần: {}",
                    input.post.trim(),
                    Post::expected_vi()
                ),
            ));
        }
        let starts: Vec<&str> = Move::ALL
            .iter()
            .filter(|m| m.starts())
            .map(|m| m.label_vi())
            .collect();
        let start_move = Move::parse(input.start_move.trim());
        if start_move.is_none() {
            problems.push(field(
                "start_move",
                format!(
                    "«{}» không hợp lệ; cần: {}",
                    input.start_move.trim(),
                    starts.join(", ")
                ),
            ));
        }
        let end_move = if input.end_move.trim().is_empty() {
            None
        } else {
            let parsed = Move::parse(input.end_move.trim());
            if parsed.is_none() {
                problems.push(field(
                    "end_move",
                    format!(
                        "«{}» không hợp lệ; cần: {}",
                        input.end_move.trim(),
                        Move::expected_vi()
                    ),
                ));
            }
            parsed
        };
        if end_move.is_some() && input.to.is_none() {
            problems.push(field(
                "to",
                "có hình thức thôi giữ chức thì cần ngày thôi giữ chức",
            ));
        }
        let Some(from) = input.from else {
            problems.push(field("from", "cần ngày bắt đầu dạng dd/mm/yyyy"));
            return Err(StoreError::Fields(problems));
        };
        let unit = self.access.unit_in(tx, &input.unit).await?;
        let holder = self.holder(tx, &input.holder, "holder").await?;
        let Some(unit) = unit.filter(|_| !input.unit.trim().is_empty()) else {
            problems.push(field(
                "unit",
                format!("không có đơn vị «{}» trong phạm vi", input.unit.trim()),
            ));
            problems.extend(holder.err());
            return Err(StoreError::Fields(problems));
        };
        let (Some(post), Some(start_move)) = (post, start_move) else {
            return Err(StoreError::Fields(problems));
        };
        if let Err(message) = check_holding(
            &Span {
                post,
                from,
                to: input.to,
            },
            start_move,
        ) {
            let name = if start_move.starts() {
                "to"
            } else {
                "start_move"
            };
            problems.push(field(name, message));
        }
        if !unit.exists_on(from) {
            problems.push(field(
                "from",
                format!("{} không tồn tại ngày {}", unit.name, format_date(from)),
            ));
        } else if let Some(end) = unit.end_date
            && input.to.is_none_or(|to| to > end)
        {
            // Posts end with their unit: a holding there must say so.
            problems.push(field(
                "to",
                format!(
                    "{} kết thúc ngày {}: cần ngày thôi giữ chức không sau ngày đó",
                    unit.name,
                    format_date(end)
                ),
            ));
        }
        let (person_id, person) = match holder {
            Ok(found) => found,
            Err(problem) => {
                problems.push(problem);
                return Err(StoreError::Fields(problems));
            }
        };
        // A party post is a member's, from a day they were a member.
        if post.is_party_post() {
            match person.member_id {
                None => problems.push(field(
                    "holder",
                    format!("{} là chức vụ của Đảng: cần mã đảng viên", post.label_vi()),
                )),
                Some(member_id) => {
                    if crate::members::unit_on(tx, member_id, from)
                        .await?
                        .is_none()
                    {
                        problems.push(field(
                            "from",
                            format!(
                                "{} chưa (hoặc không còn) là đảng viên ngày {}",
                                person.full_name,
                                format_date(from)
                            ),
                        ));
                    }
                }
            }
        }
        let taken = store::overlapping(tx, unit.id, post, from, input.to).await?;
        if let Some(same) = taken.iter().find(|h| h.person_id == person_id) {
            problems.push(field(
                "from",
                format!(
                    "{} đã giữ chức {} của {} từ {}",
                    person.full_name,
                    post.label_vi(),
                    unit.name,
                    format_date(same.from)
                ),
            ));
        } else if single(post)
            && let Some(other) = taken.first()
        {
            problems.push(field(
                "post",
                format!(
                    "{} giữ chức {} của {} từ {}: ghi ngày thôi giữ chức của người đó trước",
                    other.person_name,
                    post.label_vi(),
                    unit.name,
                    format_date(other.from)
                ),
            ));
        }
        if !problems.is_empty() {
            return Err(StoreError::Fields(problems));
        }
        let id = store::insert(
            tx,
            &HoldingRow {
                unit_id: unit.id,
                unit_path: &unit.path,
                post,
                post_detail: input.post_detail.trim(),
                person_id,
                village: input.village.trim(),
                from,
                start_move,
                start_body: input.start_body.trim(),
                start_decision: input.start_decision.trim(),
                start_decided_on: input.start_decided_on,
            },
            &self.access.actor.name,
        )
        .await?;
        if let Some(to) = input.to {
            store::end(
                tx,
                id,
                &EndRow {
                    to,
                    end_move,
                    end_body: "",
                    end_decision: input.end_decision.trim(),
                    end_decided_on: None,
                },
            )
            .await?;
        }
        crate::figures::summary::touch(tx, &unit.path, from).await?;
        self.access
            .audit(
                tx,
                "cadre.hold",
                "holding",
                &id.to_string(),
                &unit.path,
                serde_json::Value::Null,
                json!({
                    "unit": unit.code,
                    "post": post.label_vi(),
                    "post_detail": input.post_detail.trim(),
                    "holder": person.reference(),
                    "full_name": person.full_name,
                    "village": input.village.trim(),
                    "from": from,
                    "to": input.to,
                    "start_move": start_move.label_vi(),
                    "start_body": input.start_body.trim(),
                    "start_decision": input.start_decision.trim(),
                    "start_decided_on": input.start_decided_on,
                    "end_move": end_move.map(|m| m.label_vi()),
                    "end_decision": input.end_decision.trim(),
                }),
            )
            .await?;
        Ok(id)
    }

    /// Ends a holding in scope on a day by a decision.
    pub async fn end(&self, input: &HoldingEnd) -> Result<Holding> {
        let mut tx = self.access.db.begin_write().await?;
        let holding = store::by_id(&mut tx, input.holding_id)
            .await?
            .filter(|h| self.access.actor.sees(&h.unit_path))
            .ok_or_else(|| StoreError::NotFound("chức vụ".into()))?;
        let mut problems = dangbo_domain::input::problems([
            ("end_body", TextKind::Line, input.end_body.as_str()),
            ("end_decision", TextKind::Short, input.end_decision.as_str()),
        ]);
        if let Some(to) = holding.to {
            problems.push(field(
                "to",
                format!("chức vụ này đã kết thúc ngày {}", format_date(to)),
            ));
        }
        let end_move = Move::parse(input.end_move.trim());
        if end_move.is_none() {
            problems.push(field(
                "end_move",
                format!(
                    "«{}» không hợp lệ; cần: {}",
                    input.end_move.trim(),
                    Move::expected_vi()
                ),
            ));
        }
        match input.to {
            None => problems.push(field("to", "cần ngày thôi giữ chức dạng dd/mm/yyyy")),
            Some(to) if to <= holding.from => problems.push(field(
                "to",
                format!(
                    "ngày thôi giữ chức phải sau ngày bắt đầu {}",
                    format_date(holding.from)
                ),
            )),
            Some(_) => {}
        }
        let (Some(to), Some(end_move), true) = (input.to, end_move, problems.is_empty()) else {
            return Err(StoreError::Fields(problems));
        };
        store::end(
            &mut tx,
            holding.id,
            &EndRow {
                to,
                end_move: Some(end_move),
                end_body: input.end_body.trim(),
                end_decision: input.end_decision.trim(),
                end_decided_on: input.end_decided_on,
            },
        )
        .await?;
        crate::figures::summary::touch(&mut tx, &holding.unit_path, to).await?;
        self.access
            .audit(
                &mut tx,
                "cadre.end",
                "holding",
                &holding.id.to_string(),
                &holding.unit_path,
                json!({ "to": holding.to }),
                json!({
                    "holder": holding.holder(),
                    "full_name": holding.person_name,
                    "post": holding.post.label_vi(),
                    "to": to,
                    "end_move": end_move.label_vi(),
                    "end_body": input.end_body.trim(),
                    "end_decision": input.end_decision.trim(),
                    "end_decided_on": input.end_decided_on,
                }),
            )
            .await?;
        let ended = store::by_id(&mut tx, holding.id).await?;
        tx.commit().await?;
        ended.ok_or_else(|| StoreError::NotFound("chức vụ".into()))
    }

    /// Records a level a person reached; a member's record then keeps their highest level.
    pub async fn record_fact(&self, input: &FactInput) -> Result<TrainingFact> {
        let mut tx = self.access.db.begin_write().await?;
        let (person_id, id) = self.record_fact_in(&mut tx, input).await?;
        let fact = training::of_person(&mut tx, person_id)
            .await?
            .into_iter()
            .find(|f| f.id == id);
        tx.commit().await?;
        fact.ok_or_else(|| StoreError::NotFound("quá trình đào tạo".into()))
    }

    pub(in crate::access) async fn record_fact_in(
        &self,
        tx: &mut Tx,
        input: &FactInput,
    ) -> Result<(i64, i64)> {
        let mut problems = dangbo_domain::input::problems([
            ("institution", TextKind::Line, input.institution.as_str()),
            ("diploma", TextKind::Short, input.diploma.as_str()),
        ]);
        let kind = TrainingKind::parse(input.kind.trim());
        let level = match kind {
            None => {
                problems.push(field(
                    "kind",
                    format!(
                        "«{}» không hợp lệ; cần: {}",
                        input.kind.trim(),
                        TrainingKind::expected_vi()
                    ),
                ));
                None
            }
            Some(kind) => {
                let level = kind.parse_level(input.level.trim()).map(|(_, code)| code);
                if level.is_none() {
                    problems.push(field(
                        "level",
                        format!(
                            "«{}» không phải trình độ {}; cần: {}",
                            input.level.trim(),
                            kind.label_vi().to_lowercase(),
                            kind.expected_levels_vi()
                        ),
                    ));
                }
                level
            }
        };
        let proof = parse_proof(&input.proof);
        if proof.is_none() {
            problems.push(field(
                "proof",
                format!(
                    "«{}» không hợp lệ; cần: bằng tốt nghiệp hoặc giấy chứng nhận tương đương",
                    input.proof.trim()
                ),
            ));
        }
        if input.on.is_none() {
            problems.push(field("on", "cần ngày cấp bằng dạng dd/mm/yyyy"));
        }
        let holder = self.holder(tx, &input.person, "person").await?;
        let (person_id, person) = match holder {
            Ok(found) => found,
            Err(problem) => {
                problems.push(problem);
                return Err(StoreError::Fields(problems));
            }
        };
        let (Some(kind), Some(level), Some(proof), Some(on)) = (kind, level, proof, input.on)
        else {
            return Err(StoreError::Fields(problems));
        };
        if training::exists(tx, person_id, kind, level, on).await? {
            problems.push(field(
                "level",
                format!(
                    "{} đã có trình độ này ghi ngày {}",
                    person.full_name,
                    format_date(on)
                ),
            ));
        }
        if !problems.is_empty() {
            return Err(StoreError::Fields(problems));
        }
        // A member's figures follow their facts from the fact's day: the summary is told.
        let members: Vec<i64> = person.member_id.into_iter().collect();
        let before = crate::figures::summary::snapshot(tx, &members).await?;
        let id = training::insert(
            tx,
            &FactRow {
                person_id,
                kind,
                level,
                on,
                institution: input.institution.trim(),
                proof,
                diploma: input.diploma.trim(),
            },
            &self.access.actor.name,
        )
        .await?;
        let after = crate::figures::summary::snapshot(tx, &members).await?;
        crate::figures::summary::update(tx, before, after).await?;
        let path = match person.member_id {
            Some(member_id) => {
                keep_latest(tx, member_id, kind).await?;
                crate::access::members::last_units(tx, &[member_id])
                    .await?
                    .remove(&member_id)
                    .map(|(_, path)| path)
                    .unwrap_or_else(|| "/".to_string())
            }
            None => person.unit_path.clone().unwrap_or_else(|| "/".to_string()),
        };
        // The figures that read levels (members', standards') may change from the fact's day,
        // where the person is and where they hold posts.
        crate::figures::summary::touch(tx, &path, on).await?;
        for holding in store::of_person(tx, person_id).await? {
            crate::figures::summary::touch(tx, &holding.unit_path, on).await?;
        }
        self.access
            .audit(
                tx,
                "cadre.training",
                "person",
                person.reference(),
                &path,
                serde_json::Value::Null,
                json!({
                    "full_name": person.full_name,
                    "kind": kind.label_vi(),
                    "level": kind.level_label_vi(level),
                    "on": on,
                    "institution": input.institution.trim(),
                    "proof": proof,
                    "diploma": input.diploma.trim(),
                }),
            )
            .await?;
        Ok((person_id, id))
    }
}

/// Sets a member record's level of a kind to the highest their facts reach (the "latest" the
/// record keeps for what reads only the record).
async fn keep_latest(tx: &mut Tx, member_id: i64, kind: TrainingKind) -> Result<()> {
    let Some(member) = crate::members::by_id(tx, member_id).await? else {
        return Ok(());
    };
    let Some(person) = persons::by_member(tx, member_id).await? else {
        return Ok(());
    };
    let facts = training::of_person(tx, person.id).await?;
    let dated: Vec<(NaiveDate, &str)> = facts
        .iter()
        .filter(|f| f.kind == kind)
        .map(|f| (f.on, f.level.as_str()))
        .collect();
    let Some((_, highest)) = level_history(kind, &dated).last().copied() else {
        return Ok(());
    };
    let mut record = member.record.clone();
    match kind {
        TrainingKind::Theory => record.theory_level = TheoryLevel::parse(highest),
        TrainingKind::Education => record.general_education = GeneralEducation::parse(highest),
        TrainingKind::Qualification => record.qualification = Qualification::parse(highest),
    }
    if record != member.record {
        crate::members::update(tx, member_id, &record).await?;
    }
    Ok(())
}
