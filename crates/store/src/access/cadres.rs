//! Cadre work: who holds which post in the units of the scope, over time. Readers see the
//! holdings of units in scope; the writer ([`Capability::ManageCadres`], the organization board)
//! records a holding started by a decision and ends one, each checked and audited. A party post
//! is held by a member (a member on the day it starts); other posts may be held by anyone named.

use chrono::NaiveDate;
use dangbo_domain::access::Capability;
use dangbo_domain::cadres::{Holding as Span, Move, Post, check_holding};
use dangbo_domain::input::TextKind;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::Access;
use crate::cadres::{self as store, Holding, HoldingRow};
use crate::tree::Unit;
use crate::{Result, StoreError, Tx};

/// A holding to record, as a form, the API or a file gives it.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct HoldingInput {
    pub unit: String,
    /// A [`Post`] code or words.
    pub post: String,
    /// The member holding it; empty for a non-member (then `person_name` is needed).
    #[serde(default)]
    pub member: String,
    #[serde(default)]
    pub person_name: String,
    #[serde(default)]
    pub birth_date: Option<NaiveDate>,
    /// The village of a village post, held at the branch covering it.
    #[serde(default)]
    pub village: String,
    pub from: Option<NaiveDate>,
    /// The [`Move`] that starts it (appointment, election, rotation, reassignment, secondment).
    pub start_move: String,
    #[serde(default)]
    pub start_decision: String,
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
    pub end_decision: String,
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

impl Access {
    /// The posts held on a day in the subtree of `unit_code` (the scope when empty), by unit.
    pub async fn posts_held(
        &self,
        unit_code: &str,
        on: NaiveDate,
    ) -> Result<Option<(Unit, Vec<Holding>)>> {
        let mut tx = self.read().await?;
        let Some(unit) = self.unit_in(&mut tx, unit_code).await? else {
            tx.rollback().await?;
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
        let mut tx = self.read().await?;
        let Some(unit) = self.unit_in(&mut tx, unit_code).await? else {
            tx.rollback().await?;
            return Ok(None);
        };
        let list = store::moved_under(&mut tx, &unit.path, from, to).await;
        tx.rollback().await?;
        Ok(Some((unit, list?)))
    }

    /// A member's posts over time, those of units in scope; empty for a member out of scope.
    pub async fn member_posts(&self, member_code: &str) -> Result<Vec<Holding>> {
        let mut tx = self.read().await?;
        let Some((member, _)) = self.member_in_scope(&mut tx, member_code).await? else {
            tx.rollback().await?;
            return Ok(Vec::new());
        };
        let list = store::of_member(&mut tx, member.id).await;
        tx.rollback().await?;
        Ok(list?
            .into_iter()
            .filter(|h| self.actor.sees(&h.unit_path))
            .collect())
    }

    pub fn cadre_writer(&self) -> Result<CadreWriter<'_>> {
        self.allowed(Capability::ManageCadres)?;
        Ok(CadreWriter { access: self })
    }
}

/// Records posts held in the scope, each checked and audited.
pub struct CadreWriter<'a> {
    access: &'a Access,
}

impl CadreWriter<'_> {
    /// Records a holding started by a decision.
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
            ("person_name", TextKind::Name, input.person_name.as_str()),
            ("village", TextKind::Line, input.village.as_str()),
            (
                "start_decision",
                TextKind::Short,
                input.start_decision.as_str(),
            ),
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
        let start_move = Move::parse(input.start_move.trim());
        if start_move.is_none() {
            problems.push(field("start_move", format!("cần: {}", Move::expected_vi())));
        }
        let from = input.from.unwrap_or_else(|| {
            problems.push(field("from", "cần ngày dạng dd/mm/yyyy"));
            NaiveDate::MIN
        });
        let unit = self.access.unit_in(tx, &input.unit).await?;
        let Some(unit) = unit.filter(|_| !input.unit.trim().is_empty()) else {
            problems.push(field(
                "unit",
                format!("không có đơn vị «{}» trong phạm vi", input.unit.trim()),
            ));
            return Err(StoreError::Fields(problems));
        };
        let (Some(post), Some(start_move)) = (post, start_move) else {
            return Err(StoreError::Fields(problems));
        };
        if let Err(message) = check_holding(
            &Span {
                post,
                from,
                to: None,
            },
            start_move,
        ) {
            problems.push(field("start_move", message));
        }
        // The holder: a member in scope, or (for a post that is not the party's) a person named.
        let mut person_name = input.person_name.trim().to_string();
        let mut member_id = None;
        if input.member.trim().is_empty() {
            if post.is_party_post() {
                problems.push(field("member", "chức vụ của Đảng: cần mã đảng viên"));
            } else if person_name.is_empty() {
                problems.push(field(
                    "person_name",
                    "cần mã đảng viên hoặc họ tên người giữ chức",
                ));
            }
        } else {
            match self.access.member_in_scope(tx, input.member.trim()).await? {
                Some((member, _)) => {
                    member_id = Some(member.id);
                    person_name = member.record.full_name.clone();
                }
                None => problems.push(field(
                    "member",
                    format!("không có đảng viên «{}» trong phạm vi", input.member.trim()),
                )),
            }
        }
        if input.from.is_some() && !unit.exists_on(from) {
            problems.push(field(
                "from",
                format!("{} không tồn tại ngày này", unit.name),
            ));
        }
        if input.from.is_some() && single(post) {
            let taken = store::overlapping(tx, unit.id, post, from, None).await?;
            if let Some(other) = taken.first() {
                problems.push(field(
                    "post",
                    format!(
                        "{} đang giữ chức {} của {} từ {}: ghi ngày thôi giữ chức trước",
                        other.person_name,
                        post.label_vi(),
                        unit.name,
                        dangbo_domain::text::format_date(other.from)
                    ),
                ));
            }
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
                member_id,
                person_name: &person_name,
                birth_date: input.birth_date,
                village: input.village.trim(),
                from,
                start_move,
                start_decision: input.start_decision.trim(),
            },
            &self.access.actor.name,
        )
        .await?;
        crate::figures::summary::touch(tx, &unit.path, from).await?;
        self.access
            .audit(
                tx,
                "cadre.hold",
                "holding",
                &format!("{}|{}", unit.code, post.code()),
                &unit.path,
                serde_json::Value::Null,
                json!({
                    "post": post.label_vi(),
                    "member": input.member.trim(),
                    "person_name": person_name,
                    "village": input.village.trim(),
                    "from": from,
                    "start_move": start_move.label_vi(),
                    "start_decision": input.start_decision.trim(),
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
        let mut problems = dangbo_domain::input::problems([(
            "end_decision",
            TextKind::Short,
            input.end_decision.as_str(),
        )]);
        if holding.to.is_some() {
            problems.push(field("to", "chức vụ này đã kết thúc"));
        }
        let end_move = Move::parse(input.end_move.trim());
        if end_move.is_none() {
            problems.push(field("end_move", format!("cần: {}", Move::expected_vi())));
        }
        match input.to {
            None => problems.push(field("to", "cần ngày dạng dd/mm/yyyy")),
            Some(to) if to <= holding.from => {
                problems.push(field("to", "ngày thôi giữ chức phải sau ngày bắt đầu"))
            }
            Some(_) => {}
        }
        let (Some(to), Some(end_move), true) = (input.to, end_move, problems.is_empty()) else {
            return Err(StoreError::Fields(problems));
        };
        store::end(&mut tx, holding.id, to, end_move, input.end_decision.trim()).await?;
        crate::figures::summary::touch(&mut tx, &holding.unit_path, holding.from).await?;
        self.access
            .audit(
                &mut tx,
                "cadre.end",
                "holding",
                &format!("{}|{}", holding.unit_code, holding.post.code()),
                &holding.unit_path,
                json!({ "to": holding.to }),
                json!({
                    "person_name": holding.person_name,
                    "to": to,
                    "end_move": end_move.label_vi(),
                    "end_decision": input.end_decision.trim(),
                }),
            )
            .await?;
        let ended = store::by_id(&mut tx, holding.id).await?;
        tx.commit().await?;
        ended.ok_or_else(|| StoreError::NotFound("chức vụ".into()))
    }
}
