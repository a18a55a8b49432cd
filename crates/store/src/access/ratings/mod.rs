//! Ratings through the scope: a branch's members on the review date with whether they are rated
//! and their rating, the members failing two years running, and the [`RatingWriter`], which
//! records ratings checked against the scheme of the period (level, points, who is rated, the
//! quota per grassroots organization) and audits them. A decided rating changes only with a new
//! decision; the old one stays as history.

use dangbo_domain::access::Capability;
use dangbo_domain::input::TextKind;
use dangbo_domain::ratings::{
    NotRated, Period, RatingProblem, Subject, check_period, check_rating, failing_two_years,
    level_of, level_words, levels, not_rated, quota_problem, scheme_for,
};
use dangbo_domain::tree::UnitKind;
use serde::Serialize;
use serde_json::json;

mod import;

use super::Access;
use crate::ratings::{self as store, RatingRow};
use crate::tree::Unit;
use crate::{Refusal, Result, StoreError, Tx};

pub use crate::ratings::{Proposal, Rating};

/// A rating as typed: the levels by code or words, points where the scheme scores.
#[derive(Debug, Clone, Default)]
pub struct RatingInput {
    pub self_level: String,
    pub proposed_level: String,
    pub level: String,
    pub points: Option<u32>,
    pub decided_by: String,
    pub decision_number: String,
    pub comment: String,
    /// The decision allowing a level past the quota (empty: none).
    pub quota_exception: String,
}

/// A member on a branch's list for a period: rated, or why not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MemberToRate {
    pub code: String,
    pub full_name: String,
    pub status: String,
    pub not_rated: Option<NotRated>,
    pub rating: Option<Rating>,
    /// The branch's proposal, if it entered one.
    pub proposal: Option<Proposal>,
}

/// A branch's proposal as typed: the member's self rating and the branch's level, by code or
/// words, and a comment.
#[derive(Debug, Clone, Default)]
pub struct ProposalInput {
    pub self_level: String,
    pub proposed_level: String,
    pub comment: String,
}

fn refusal(problem: RatingProblem) -> StoreError {
    StoreError::Invalid(Refusal {
        code: problem.rule,
        message_en: format!("the rating breaks the rule {}", problem.rule),
        message: format!("{} (theo {})", problem.message, problem.source),
    })
}

impl Access {
    /// The members of a branch in scope on the period's review date, each with their current
    /// rating or why they are not rated; `None` for a unit out of scope.
    pub async fn branch_ratings(
        &self,
        branch: &str,
        period: Period,
    ) -> Result<Option<(Unit, Vec<MemberToRate>)>> {
        let mut tx = self.read().await?;
        let Some(unit) = self.unit_in(&mut tx, branch).await? else {
            tx.rollback().await?;
            return Ok(None);
        };
        let list = self.to_rate(&mut tx, &unit, period).await;
        tx.rollback().await?;
        Ok(Some((unit, list?)))
    }

    async fn to_rate(&self, tx: &mut Tx, unit: &Unit, period: Period) -> Result<Vec<MemberToRate>> {
        let listed = store::listed(tx, unit.id, period.review_date()).await?;
        let rated = store::current_under(tx, &unit.path, Subject::Member, period).await?;
        let mut proposals = store::proposals(tx, unit.id, period).await?;
        Ok(listed
            .into_iter()
            .map(|l| MemberToRate {
                proposal: proposals.remove(&l.member_id),
                not_rated: not_rated(period, l.exempt, l.suspended, l.admitted_on),
                rating: rated
                    .iter()
                    .find(|r| r.member_code.as_deref() == Some(l.code.as_str()))
                    .cloned(),
                code: l.code,
                full_name: l.full_name,
                status: l.status,
            })
            .collect())
    }

    /// A branch's sheet to fill in for a period: one row per member to rate, in the members'
    /// ratings file's columns, their rating in force (if any) filled in; `None` for a unit out of
    /// scope or not a branch.
    pub async fn branch_sheet(
        &self,
        branch: &str,
        period: Period,
    ) -> Result<Option<crate::io::Table>> {
        let Some((unit, list)) = self.branch_ratings(branch, period).await? else {
            return Ok(None);
        };
        if !unit.kind.holds_members() {
            return Ok(None);
        }
        let rows = list
            .into_iter()
            .filter(|m| m.not_rated.is_none())
            .map(|m| {
                let mut row = vec![m.code, m.full_name, unit.code.clone()];
                row.extend(crate::ratings::columns::rating_cells(
                    period,
                    Subject::Member,
                    m.rating.as_ref(),
                    m.proposal.as_ref(),
                ));
                row
            })
            .collect();
        Ok(Some(crate::io::numbered(
            crate::io::export_headers(crate::io::Dataset::MemberRatings),
            rows,
        )))
    }

    /// The members rated failing in `year` whose rating of the year before failed too, in a
    /// unit's subtree (in scope): the list for the committee to consider.
    pub async fn failing_two_years(
        &self,
        unit_code: &str,
        year: i32,
    ) -> Result<Option<Vec<Rating>>> {
        let mut tx = self.read().await?;
        let Some(unit) = self.unit_in(&mut tx, unit_code).await? else {
            tx.rollback().await?;
            return Ok(None);
        };
        let this =
            store::current_under(&mut tx, &unit.path, Subject::Member, Period::year(year)).await?;
        // The year before, wherever they were rated then (a member may have moved in).
        let ids: Vec<i64> = this.iter().filter_map(|r| r.member_id).collect();
        let before = store::current_for_members(&mut tx, &ids, Period::year(year - 1)).await?;
        tx.rollback().await?;
        let level = |r: &Rating| {
            levels(&scheme_for(r.period).rules, Subject::Member)
                .iter()
                .find(|l| l.code == r.level)
                .copied()
        };
        Ok(Some(
            this.into_iter()
                .filter(|r| {
                    let previous = r.member_id.and_then(|id| before.get(&id)).and_then(level);
                    level(r).is_some_and(|now| failing_two_years(previous.as_ref(), &now))
                })
                .collect(),
        ))
    }

    /// The ratings in force for a period in a unit's subtree (in scope): members' then
    /// organizations'; `None` for a unit out of scope.
    pub async fn ratings_under(
        &self,
        unit_code: &str,
        period: Period,
    ) -> Result<Option<(Unit, Vec<Rating>)>> {
        let mut tx = self.read().await?;
        let Some(unit) = self.unit_in(&mut tx, unit_code).await? else {
            tx.rollback().await?;
            return Ok(None);
        };
        let mut list = store::current_under(&mut tx, &unit.path, Subject::Member, period).await?;
        list.extend(
            store::current_under(&mut tx, &unit.path, Subject::Organization, period).await?,
        );
        tx.rollback().await?;
        Ok(Some((unit, list)))
    }

    /// The organizations' ratings in force for a period in a unit's subtree (in scope), without
    /// the members' (a committee's grid); `None` for a unit out of scope.
    pub async fn organization_ratings_under(
        &self,
        unit_code: &str,
        period: Period,
    ) -> Result<Option<Vec<Rating>>> {
        let mut tx = self.read().await?;
        let Some(unit) = self.unit_in(&mut tx, unit_code).await? else {
            tx.rollback().await?;
            return Ok(None);
        };
        let list = store::current_under(&mut tx, &unit.path, Subject::Organization, period).await;
        tx.rollback().await?;
        Ok(Some(list?))
    }

    /// A member's ratings in force, by period, if the member is in scope.
    pub async fn member_ratings(&self, code: &str) -> Result<Option<Vec<Rating>>> {
        let mut tx = self.read().await?;
        let Some((member, _)) = self.member_in_scope(&mut tx, code).await? else {
            tx.rollback().await?;
            return Ok(None);
        };
        let list = store::of_member(&mut tx, member.id).await;
        tx.rollback().await?;
        Ok(Some(list?))
    }

    /// Records a branch's proposals; for branch secretaries and the roles that decide.
    pub fn rating_proposer(&self) -> Result<RatingProposer<'_>> {
        self.allowed(Capability::ProposeRatings)?;
        Ok(RatingProposer { access: self })
    }

    /// Records ratings; only for roles that decide them.
    pub fn rating_writer(&self) -> Result<RatingWriter<'_>> {
        self.allowed(Capability::Rate)?;
        Ok(RatingWriter { access: self })
    }
}

/// Records ratings inside the scope, each checked and audited.
pub struct RatingWriter<'a> {
    access: &'a Access,
}

/// Records a branch's proposals inside the scope, checked and audited.
pub struct RatingProposer<'a> {
    access: &'a Access,
}

impl RatingProposer<'_> {
    /// Records a branch's proposals for a period at once, all or nothing: each entry with a
    /// level or a comment, for a member on the list to rate; problems come back per member code.
    /// Returns how many were recorded.
    pub async fn propose_members(
        &self,
        branch: &str,
        period: Period,
        entries: &[(String, ProposalInput)],
    ) -> Result<usize> {
        let mut tx = self.access.db.begin_write().await?;
        let unit = branch_in(self.access, &mut tx, branch).await?;
        let listed = store::listed(&mut tx, unit.id, period.review_date()).await?;
        let before = store::proposals(&mut tx, unit.id, period).await?;
        let ids: Vec<i64> = listed.iter().map(|l| l.member_id).collect();
        let decided = store::current_for_members(&mut tx, &ids, period).await?;
        let mut problems = Vec::new();
        let mut recorded = 0;
        let typed = entries.iter().filter(|(_, i)| {
            !(i.self_level.trim().is_empty()
                && i.proposed_level.trim().is_empty()
                && i.comment.trim().is_empty())
        });
        for (code, input) in typed {
            match self
                .propose_one(
                    &mut tx, &unit, &listed, &before, &decided, code, period, input,
                )
                .await
            {
                Ok(true) => recorded += 1,
                Ok(false) => {}
                Err(error) => line_problem(code, error, &mut problems)?,
            }
        }
        if !problems.is_empty() {
            return Err(StoreError::Fields(problems));
        }
        tx.commit().await?;
        Ok(recorded)
    }

    /// One member's proposal; `false` when the same was there already.
    #[allow(clippy::too_many_arguments)]
    async fn propose_one(
        &self,
        tx: &mut Tx,
        unit: &Unit,
        listed: &[store::Listed],
        before: &std::collections::HashMap<i64, Proposal>,
        decided: &std::collections::HashMap<i64, Rating>,
        code: &str,
        period: Period,
        input: &ProposalInput,
    ) -> Result<bool> {
        let member = on_list(listed, code, period)?;
        check_period(period).map_err(refusal)?;
        if let Some(decided) = decided.get(&member.member_id) {
            return Err(StoreError::invalid(
                "rating.decided",
                format!(
                    "đã có quyết định xếp loại «{}» ({}): đề xuất không còn thay đổi được",
                    level_words(period, Subject::Member, &decided.level),
                    decided.decision_number
                ),
            ));
        }
        let problems =
            dangbo_domain::input::problems([("comment", TextKind::Note, input.comment.as_str())]);
        if !problems.is_empty() {
            return Err(StoreError::Fields(problems));
        }
        let proposal = Proposal {
            self_level: level_code(period, Subject::Member, "self_level", &input.self_level)?,
            proposed_level: level_code(
                period,
                Subject::Member,
                "proposed_level",
                &input.proposed_level,
            )?,
            comment: dangbo_domain::text::clean(&input.comment),
            proposed_by: self.access.actor.name.clone(),
        };
        if before.get(&member.member_id).is_some_and(|old| {
            old.self_level == proposal.self_level
                && old.proposed_level == proposal.proposed_level
                && old.comment == proposal.comment
        }) {
            return Ok(false);
        }
        store::propose(tx, member.member_id, unit, period, &proposal).await?;
        let words = |code: &str| level_words(period, Subject::Member, code);
        self.access
            .audit(
                tx,
                "rating.propose",
                "member",
                &format!("{}|{}", member.code, period.label_vi()),
                &unit.path,
                serde_json::Value::Null,
                json!({ "self_level": words(&proposal.self_level),
                        "proposed_level": words(&proposal.proposed_level),
                        "comment": proposal.comment }),
            )
            .await?;
        Ok(true)
    }
}

/// A grid line's refusal, kept under its code (member or unit) for the page to show beside it;
/// other errors stop the save.
fn line_problem(code: &str, error: StoreError, problems: &mut Vec<(String, String)>) -> Result<()> {
    match error {
        StoreError::Fields(list) => {
            problems.extend(list.into_iter().map(|(_, m)| (code.to_string(), m)));
        }
        StoreError::Invalid(refusal) => problems.push((code.to_string(), refusal.message)),
        StoreError::NotFound(what) => {
            problems.push((code.to_string(), format!("không có {what} trong phạm vi")));
        }
        StoreError::Forbidden(message) => problems.push((code.to_string(), message)),
        other => return Err(other),
    }
    Ok(())
}

/// The quotas on the levels counted under `unit` (a grassroots organization's members, or the
/// organizations a committee rates), refused with the count allowed unless an exception's
/// decision is given.
async fn quota_kept(
    tx: &mut Tx,
    unit: &Unit,
    subject: Subject,
    period: Period,
    exception: &str,
) -> Result<()> {
    let counts = level_counts(tx, unit, subject, period).await?;
    let pairs: Vec<(&str, u32)> = counts.iter().map(|(c, n)| (c.as_str(), *n)).collect();
    match quota_problem(period, subject, &pairs) {
        Some(problem) if exception.trim().is_empty() => Err(refusal(RatingProblem {
            message: format!(
                "{}: {}. Ghi quyết định cho phép vượt nếu có",
                unit.name, problem.message
            ),
            ..problem
        })),
        _ => Ok(()),
    }
}

/// Where the scheme says so, a member disciplined in the year (a decision of that year not
/// annulled) is rated failing: any other level is refused, naming the decision.
async fn disciplined_fails(tx: &mut Tx, member_id: i64, period: Period) -> Result<()> {
    let edition = scheme_for(period);
    if !edition.rules.disciplined_fails || period.quarter.is_some() {
        return Ok(());
    }
    let decisions = crate::inspection::decisions_of_member(tx, member_id).await?;
    // The form and date stay in the confidential case: the board rating learns only the fact.
    let disciplined = decisions
        .iter()
        .any(|d| d.annulled_on.is_none() && chrono::Datelike::year(&d.decided_on) == period.year);
    if !disciplined {
        return Ok(());
    }
    let failing: Vec<&str> = levels(&edition.rules, Subject::Member)
        .iter()
        .filter(|l| l.failing)
        .map(|l| l.label_vi)
        .collect();
    Err(refusal(RatingProblem {
        rule: "rating.disciplined",
        source: edition.citation(),
        message: format!(
            "đảng viên bị thi hành kỷ luật trong năm {}: xếp loại {}",
            period.year,
            failing.join(" hoặc ").to_lowercase()
        ),
    }))
}

/// A level typed in a field (by code or words), as its code; empty stays empty.
fn level_code(period: Period, subject: Subject, field: &str, text: &str) -> Result<String> {
    if text.trim().is_empty() {
        return Ok(String::new());
    }
    level_of(period, subject, text)
        .map(|l| l.code.to_string())
        .map_err(|p| StoreError::Fields(vec![(field.into(), p.message)]))
}

/// A branch in scope, by code.
async fn branch_in(access: &Access, tx: &mut Tx, branch: &str) -> Result<Unit> {
    access
        .unit_in(tx, branch)
        .await?
        .filter(|u| u.kind.holds_members())
        .ok_or_else(|| StoreError::NotFound(format!("chi bộ «{}»", branch.trim())))
}

/// What recording a rating did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rated {
    New,
    /// A new decision replaced the rating in force (kept as history).
    Replaced,
    /// The same rating was there already.
    Unchanged,
}

impl RatingWriter<'_> {
    /// Rates a member on the list of a branch in scope for a period.
    pub async fn rate_member(
        &self,
        branch: &str,
        member_code: &str,
        period: Period,
        input: &RatingInput,
    ) -> Result<Rated> {
        let mut tx = self.access.db.begin_write().await?;
        let unit = self.branch_in(&mut tx, branch).await?;
        let listed = store::listed(&mut tx, unit.id, period.review_date()).await?;
        let outcome = self
            .rate_one(&mut tx, &unit, &listed, member_code, period, input)
            .await?;
        self.member_quota(&mut tx, &unit, period, &input.quota_exception)
            .await?;
        tx.commit().await?;
        Ok(outcome)
    }

    /// Rates a branch's members at once (a grid), all or nothing: each entry with a level is
    /// recorded, then the quota is checked; problems come back per member code. Returns how many
    /// ratings changed.
    pub async fn rate_members(
        &self,
        branch: &str,
        period: Period,
        entries: &[(String, RatingInput)],
        quota_exception: &str,
    ) -> Result<usize> {
        let mut tx = self.access.db.begin_write().await?;
        let unit = self.branch_in(&mut tx, branch).await?;
        let listed = store::listed(&mut tx, unit.id, period.review_date()).await?;
        let mut problems = Vec::new();
        let mut changed = 0;
        for (code, input) in entries.iter().filter(|(_, i)| !i.level.trim().is_empty()) {
            match self
                .rate_one(&mut tx, &unit, &listed, code, period, input)
                .await
            {
                Ok(Rated::Unchanged) => {}
                Ok(_) => changed += 1,
                Err(error) => line_problem(code, error, &mut problems)?,
            }
        }
        if !problems.is_empty() {
            return Err(StoreError::Fields(problems));
        }
        self.member_quota(&mut tx, &unit, period, quota_exception)
            .await?;
        tx.commit().await?;
        Ok(changed)
    }

    async fn branch_in(&self, tx: &mut Tx, branch: &str) -> Result<Unit> {
        branch_in(self.access, tx, branch).await
    }

    /// Records one member's rating (checked, audited) inside the caller's transaction.
    async fn rate_one(
        &self,
        tx: &mut Tx,
        unit: &Unit,
        listed: &[store::Listed],
        member_code: &str,
        period: Period,
        input: &RatingInput,
    ) -> Result<Rated> {
        let member = on_list(listed, member_code, period)?;
        let existing = store::current(tx, Subject::Member, member.member_id, period).await?;
        let outcome = self
            .save(
                tx,
                Subject::Member,
                Some(member.member_id),
                unit,
                period,
                input,
                existing.as_ref(),
            )
            .await?;
        if outcome != Rated::Unchanged {
            crate::figures::summary::touch(tx, &unit.path, period.review_date()).await?;
            self.audit(tx, unit, Some(&member.code), period, input)
                .await?;
        }
        Ok(outcome)
    }

    /// The quota of the grassroots organization a branch belongs to, checked once all its
    /// members to rate are rated (before, a share of a part says nothing).
    async fn member_quota(
        &self,
        tx: &mut Tx,
        unit: &Unit,
        period: Period,
        exception: &str,
    ) -> Result<()> {
        let grassroots = grassroots_of(tx, unit).await?;
        self.grassroots_quota(tx, &grassroots, period, exception)
            .await
    }

    /// [`RatingWriter::member_quota`] of a grassroots organization.
    async fn grassroots_quota(
        &self,
        tx: &mut Tx,
        grassroots: &Unit,
        period: Period,
        exception: &str,
    ) -> Result<()> {
        if !members_all_rated(tx, grassroots, period).await? {
            return Ok(());
        }
        quota_kept(tx, grassroots, Subject::Member, period, exception).await
    }

    /// Rates a party organization in scope (a grassroots organization, a sub-committee, a branch,
    /// a commune's committee) existing on the period's review date.
    pub async fn rate_organization(
        &self,
        unit_code: &str,
        period: Period,
        input: &RatingInput,
    ) -> Result<Rated> {
        let mut tx = self.access.db.begin_write().await?;
        let outcome = self
            .rate_organization_in(&mut tx, unit_code, period, input)
            .await?;
        tx.commit().await?;
        Ok(outcome)
    }

    /// Rates a committee's organizations at once (its grid), all or nothing: each entry with a
    /// level is recorded (the caps checked once the committee's set is complete); problems come
    /// back per unit code. Returns how many ratings changed.
    pub async fn rate_organizations(
        &self,
        period: Period,
        entries: &[(String, RatingInput)],
    ) -> Result<usize> {
        let mut tx = self.access.db.begin_write().await?;
        let mut problems = Vec::new();
        let mut changed = 0;
        // The committees whose caps to check, with the exception the grid gives.
        let mut committees: Vec<(i64, &str)> = Vec::new();
        for (code, input) in entries.iter().filter(|(_, i)| !i.level.trim().is_empty()) {
            match self.record_organization(&mut tx, code, period, input).await {
                Ok((unit, outcome)) => {
                    if outcome != Rated::Unchanged {
                        changed += 1;
                    }
                    if let Some(parent) = unit.parent_id
                        && !committees.iter().any(|(id, _)| *id == parent)
                    {
                        committees.push((parent, input.quota_exception.as_str()));
                    }
                }
                Err(error) => line_problem(code, error, &mut problems)?,
            }
        }
        if !problems.is_empty() {
            return Err(StoreError::Fields(problems));
        }
        for (committee, exception) in committees {
            self.organization_caps(&mut tx, committee, period, exception)
                .await?;
        }
        tx.commit().await?;
        Ok(changed)
    }

    /// [`RatingWriter::rate_organization`] inside the caller's transaction.
    async fn rate_organization_in(
        &self,
        tx: &mut Tx,
        unit_code: &str,
        period: Period,
        input: &RatingInput,
    ) -> Result<Rated> {
        let (unit, outcome) = self
            .record_organization(tx, unit_code, period, input)
            .await?;
        if let Some(parent) = unit.parent_id {
            self.organization_caps(tx, parent, period, &input.quota_exception)
                .await?;
        }
        Ok(outcome)
    }

    /// Checks and writes an organization's rating (audited), without the committee's caps.
    async fn record_organization(
        &self,
        tx: &mut Tx,
        unit_code: &str,
        period: Period,
        input: &RatingInput,
    ) -> Result<(Unit, Rated)> {
        let unit = self
            .access
            .unit_in(tx, unit_code)
            .await?
            .filter(|u| !u.is_whole_database())
            .ok_or_else(|| StoreError::NotFound(format!("đơn vị «{}»", unit_code.trim())))?;
        // An organization is rated by the committee above it: not by those it scopes.
        if unit.path == self.access.actor.scope.path && !self.access.actor.sees_everything() {
            return Err(StoreError::Forbidden(format!(
                "{} do cấp ủy cấp trên xếp loại",
                unit.name
            )));
        }
        if !is_rated_kind(unit.kind) || !unit.exists_on(period.review_date()) {
            return Err(StoreError::invalid(
                "rating.not_rated",
                format!(
                    "{} không thuộc diện xếp loại ngày {} (tổ chức cơ sở đảng, đảng bộ bộ phận, chi bộ, đảng ủy xã đang hoạt động)",
                    unit.name,
                    dangbo_domain::text::format_date(period.review_date())
                ),
            ));
        }
        let existing = store::current(tx, Subject::Organization, unit.id, period).await?;
        let outcome = self
            .save(
                tx,
                Subject::Organization,
                None,
                &unit,
                period,
                input,
                existing.as_ref(),
            )
            .await?;
        if outcome != Rated::Unchanged {
            crate::figures::summary::touch(tx, &unit.path, period.review_date()).await?;
            self.audit(tx, &unit, None, period, input).await?;
        }
        Ok((unit, outcome))
    }

    /// The caps on organizations' levels among those one committee rates (its direct
    /// sub-units), once all of them are rated.
    async fn organization_caps(
        &self,
        tx: &mut Tx,
        committee: i64,
        period: Period,
        exception: &str,
    ) -> Result<()> {
        let committee = crate::tree::by_id(tx, committee).await?;
        if !organizations_all_rated(tx, &committee, period).await? {
            return Ok(());
        }
        quota_kept(tx, &committee, Subject::Organization, period, exception).await
    }

    /// Checks and writes a rating over the one in force (`existing`); a decided one changes
    /// only with another decision number. The caller touches the figures and audits.
    #[allow(clippy::too_many_arguments)]
    async fn save(
        &self,
        tx: &mut Tx,
        subject: Subject,
        member_id: Option<i64>,
        unit: &Unit,
        period: Period,
        input: &RatingInput,
        existing: Option<&Rating>,
    ) -> Result<Rated> {
        let mut problems = dangbo_domain::input::problems([
            ("decided_by", TextKind::Line, input.decided_by.as_str()),
            (
                "decision_number",
                TextKind::Short,
                input.decision_number.as_str(),
            ),
            ("comment", TextKind::Note, input.comment.as_str()),
            (
                "quota_exception",
                TextKind::Short,
                input.quota_exception.as_str(),
            ),
        ]);
        if input.decided_by.trim().is_empty() {
            problems.push(("decided_by".into(), "cần cấp quyết định xếp loại".into()));
        }
        if !problems.is_empty() {
            return Err(StoreError::Fields(problems));
        }
        let level = check_rating(period, subject, &input.level, input.points).map_err(refusal)?;
        if let (Some(member_id), false) = (member_id, level.failing) {
            disciplined_fails(tx, member_id, period).await?;
        }
        // The self rating and the proposal, when given, are levels of the scheme too.
        let self_level = level_code(period, subject, "self_level", &input.self_level)?;
        let proposed_level = level_code(period, subject, "proposed_level", &input.proposed_level)?;
        let text = dangbo_domain::text::clean;
        let row = RatingRow {
            subject,
            member_id,
            unit,
            period,
            self_level: &self_level,
            proposed_level: &proposed_level,
            level: level.code,
            points: input.points,
            decided_by: &text(&input.decided_by),
            decision_number: &text(&input.decision_number),
            comment: &text(&input.comment),
            quota_exception: &text(&input.quota_exception),
        };
        let outcome = match existing {
            Some(old)
                if old.level == row.level
                    && old.points == row.points
                    && old.decision_number == row.decision_number
                    && old.self_level == row.self_level
                    && old.proposed_level == row.proposed_level
                    && old.comment == row.comment =>
            {
                return Ok(Rated::Unchanged);
            }
            Some(old) if old.decision_number == row.decision_number => {
                return Err(StoreError::invalid(
                    "rating.needs_decision",
                    format!(
                        "đã xếp loại «{}» theo quyết định «{}»: thay đổi cần quyết định mới (số khác)",
                        old.level, old.decision_number
                    ),
                ));
            }
            Some(_) => Rated::Replaced,
            None => Rated::New,
        };
        store::insert(tx, &row, existing.map(|r| r.id), &self.access.actor.name).await?;
        Ok(outcome)
    }

    async fn audit(
        &self,
        tx: &mut Tx,
        unit: &Unit,
        member: Option<&str>,
        period: Period,
        input: &RatingInput,
    ) -> Result<()> {
        let key = format!(
            "{}|{}",
            member.unwrap_or(unit.code.as_str()),
            period.label_vi()
        );
        // Levels are logged in words, as the scheme names them.
        let subject = if member.is_some() {
            Subject::Member
        } else {
            Subject::Organization
        };
        let words = |text: &str| level_words(period, subject, text);
        self.access
            .audit(
                tx,
                "rating.record",
                if member.is_some() { "member" } else { "unit" },
                &key,
                &unit.path,
                serde_json::Value::Null,
                json!({ "level": words(&input.level), "points": input.points,
                        "self_level": words(&input.self_level),
                        "proposed_level": words(&input.proposed_level),
                        "decided_by": input.decided_by, "decision_number": input.decision_number,
                        "comment": input.comment, "quota_exception": input.quota_exception }),
            )
            .await
    }
}

/// The member of a branch's list a rating names, if they are to be rated.
fn on_list<'l>(
    listed: &'l [store::Listed],
    member_code: &str,
    period: Period,
) -> Result<&'l store::Listed> {
    let Some(member) = listed.iter().find(|l| l.code == member_code.trim()) else {
        return Err(StoreError::Fields(vec![(
            "member".into(),
            format!(
                "không có trong danh sách đảng viên của chi bộ ngày {}",
                dangbo_domain::text::format_date(period.review_date())
            ),
        )]));
    };
    if let Some(reason) = not_rated(period, member.exempt, member.suspended, member.admitted_on) {
        return Err(StoreError::invalid(
            "rating.not_rated",
            format!("{} không xếp loại: {}", member.code, reason.label_vi()),
        ));
    }
    Ok(member)
}

/// The kinds of unit that are rated.
pub fn is_rated_kind(kind: UnitKind) -> bool {
    matches!(
        kind,
        UnitKind::Commune
            | UnitKind::GrassrootsCommittee
            | UnitKind::GrassrootsBranch
            | UnitKind::SubCommittee
            | UnitKind::Branch
    )
}

/// Whether every member to rate in a grassroots organization's branches has a rating for the
/// period.
async fn members_all_rated(tx: &mut Tx, grassroots: &Unit, period: Period) -> Result<bool> {
    let day = period.review_date();
    let rated = store::current_under(tx, &grassroots.path, Subject::Member, period).await?;
    let rated: std::collections::HashSet<String> =
        rated.into_iter().filter_map(|r| r.member_code).collect();
    let tree = crate::tree::tree_on(tx, Some(grassroots), day).await?;
    for entry in tree.iter().filter(|e| e.unit.kind.holds_members()) {
        for l in store::listed(tx, entry.unit.id, day).await? {
            let rated_here = not_rated(period, l.exempt, l.suspended, l.admitted_on).is_some()
                || rated.contains(&l.code);
            if !rated_here {
                return Ok(false);
            }
        }
    }
    Ok(true)
}

/// Whether every organization a committee rates (its direct sub-units of the rated kinds
/// existing on the review date) has a rating for the period.
async fn organizations_all_rated(tx: &mut Tx, committee: &Unit, period: Period) -> Result<bool> {
    let day = period.review_date();
    let children = crate::tree::children_on(tx, committee, day).await?;
    let rated: std::collections::HashSet<String> =
        store::current_under(tx, &committee.path, Subject::Organization, period)
            .await?
            .into_iter()
            .map(|r| r.unit_code)
            .collect();
    Ok(children
        .iter()
        .filter(|c| is_rated_kind(c.kind))
        .all(|c| rated.contains(&c.code)))
}

/// The grassroots organization a branch belongs to: itself when it is one, else the nearest
/// grassroots unit above it (the branch itself when none is).
async fn grassroots_of(tx: &mut Tx, branch: &Unit) -> Result<Unit> {
    let mut unit = branch.clone();
    loop {
        // Since 2025 a commune's committee is the grassroots organization of its own branches.
        if unit.kind.is_grassroots() || unit.kind == UnitKind::Commune {
            return Ok(unit);
        }
        match unit.parent_id {
            Some(parent) => unit = crate::tree::by_id(tx, parent).await?,
            None => return Ok(branch.clone()),
        }
    }
}

/// How many current ratings of a period each level has: members in a grassroots organization's
/// subtree, or the organizations directly under a committee.
async fn level_counts(
    tx: &mut Tx,
    unit: &Unit,
    subject: Subject,
    period: Period,
) -> Result<Vec<(String, u32)>> {
    let ratings = store::current_under(tx, &unit.path, subject, period).await?;
    let mut counts: Vec<(String, u32)> = Vec::new();
    for r in ratings {
        // An organization's quota counts the units the committee rates, not deeper ones.
        if subject == Subject::Organization {
            let depth = |p: &str| p.matches('/').count();
            if depth(&r.unit_path) != depth(&unit.path) + 1 {
                continue;
            }
        }
        match counts.iter_mut().find(|(c, _)| *c == r.level) {
            Some((_, n)) => *n += 1,
            None => counts.push((r.level, 1)),
        }
    }
    Ok(counts)
}
