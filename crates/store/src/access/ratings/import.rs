//! Files of ratings read row by row through the [`RatingWriter`]: every row is checked as the
//! grid would check it (the branch's list on the review date, the scheme's levels and points, a
//! decided rating changing only with a new decision), each member or organization once per
//! period, then the quota of every grassroots organization the file completes. Every bad row is
//! named with its column, and nothing is written unless every row is good (the importer's
//! transaction is rolled back).

use std::collections::HashMap;

use dangbo_domain::ratings::Period;

use dangbo_domain::ratings::Subject;

use super::{Rated, Rating, RatingInput, RatingWriter};
use crate::io::{Columns, Dataset, ImportSummary, Row, Table, refused};
use crate::ratings::Listed;
use crate::tree::Unit;
use crate::{Result, StoreError, Tx};

/// A branch read once per file and period: the unit, its list on the review date, the ratings
/// in force by member, the last row naming it and the quota exception its rows give.
struct Branch {
    unit: Unit,
    period: Period,
    listed: Vec<Listed>,
    /// The ratings in force of its listed members for the period, wherever they were made.
    rated: HashMap<i64, Rating>,
    last_row: usize,
    exception: String,
    changed: bool,
}

impl RatingWriter<'_> {
    /// Imports a file of members' or organizations' ratings inside the caller's transaction.
    /// The import's own audit row records the file; each rating keeps its history in the
    /// ratings themselves (who recorded it, the one it replaced).
    pub(in crate::access) async fn import(
        &self,
        tx: &mut Tx,
        dataset: Dataset,
        table: &Table,
    ) -> Result<ImportSummary> {
        let columns = Columns::find(table, dataset).map_err(StoreError::Import)?;
        let mut errors = Vec::new();
        let mut summary = ImportSummary {
            rows: table.rows.len(),
            ..ImportSummary::default()
        };
        let mut branches: HashMap<(String, Period), Branch> = HashMap::new();
        // The committees whose organizations the file rates, per period, with the last row.
        let mut committees: HashMap<(i64, Period), (usize, String)> = HashMap::new();
        // Who a row rated for a period, and on which row: each once per file.
        let mut first_row: HashMap<(String, Period), usize> = HashMap::new();
        for (index, line) in table.rows.iter().enumerate() {
            let mut row = Row::new(line, table, &columns, &mut errors);
            // A line of a branch's sheet left blank rates nobody (its member stays unrated).
            if row.text("level").trim().is_empty() && row.text("points").trim().is_empty() {
                summary.unchanged += 1;
                continue;
            }
            let Some((mut who, period, input)) = read_row(&mut row, dataset) else {
                continue;
            };
            // An organization named by its name counts as the same as by its code.
            if dataset == Dataset::UnitRatings {
                match self.access.unit_in(tx, &who).await {
                    Ok(Some(unit)) => who = unit.code,
                    Ok(None) => {}
                    Err(StoreError::Invalid(refusal)) => {
                        row.fail("unit", refusal.message);
                        continue;
                    }
                    Err(other) => return Err(other),
                }
            }
            let subject_column = if dataset == Dataset::MemberRatings {
                "member"
            } else {
                "unit"
            };
            if let Some(earlier) = first_row.get(&(who.clone(), period)) {
                row.fail(
                    subject_column,
                    format!(
                        "đã xếp loại {} ở dòng {earlier}: mỗi kỳ một dòng",
                        period.label_vi().to_lowercase()
                    ),
                );
                continue;
            }
            first_row.insert((who.clone(), period), row.number());
            let outcome = if dataset == Dataset::MemberRatings {
                let key = (row.text("unit").trim().to_string(), period);
                if !branches.contains_key(&key) {
                    match self.read_branch(tx, &key.0, period).await {
                        Ok(Some(branch)) => {
                            branches.insert(key.clone(), branch);
                        }
                        Ok(None) => {
                            row.fail("unit", "không có chi bộ này trong phạm vi của bạn");
                            continue;
                        }
                        Err(StoreError::Invalid(refusal)) => {
                            row.fail("unit", refusal.message);
                            continue;
                        }
                        Err(other) => return Err(other),
                    }
                }
                let Some(branch) = branches.get_mut(&key) else {
                    continue;
                };
                let outcome = self
                    .import_member(tx, &mut row, branch, &who, period, &input)
                    .await?;
                branch.last_row = index;
                if branch.exception.is_empty() {
                    branch.exception.clone_from(&input.quota_exception);
                }
                outcome
            } else {
                match self.record_organization(tx, &who, period, &input).await {
                    Ok((unit, outcome)) => {
                        if let Some(parent) = unit.parent_id {
                            let entry = committees
                                .entry((parent, period))
                                .or_insert((index, String::new()));
                            entry.0 = index;
                            if entry.1.is_empty() {
                                entry.1.clone_from(&input.quota_exception);
                            }
                        }
                        Some(outcome)
                    }
                    Err(StoreError::NotFound(_)) => {
                        row.fail("unit", "không có đơn vị này trong phạm vi của bạn");
                        None
                    }
                    Err(other) => on_row(&mut row, "unit", Err(other))?,
                }
            };
            match outcome {
                Some(Rated::New) => summary.created += 1,
                Some(Rated::Replaced) => summary.updated += 1,
                Some(Rated::Unchanged) => summary.unchanged += 1,
                None => {}
            }
        }
        if !errors.is_empty() {
            return Err(refused(errors));
        }
        // The figures of every branch that changed, once each.
        for branch in branches.values().filter(|b| b.changed) {
            crate::figures::summary::touch(tx, &branch.unit.path, branch.period.review_date())
                .await?;
        }
        // The quota of each grassroots organization, once the rows are in: a breach is named on
        // the last row of its branches in the file.
        let mut organizations: HashMap<(i64, Period), (Unit, usize, String)> = HashMap::new();
        for ((_, period), branch) in &branches {
            let grassroots = super::grassroots_of(tx, &branch.unit).await?;
            let entry = organizations.entry((grassroots.id, *period)).or_insert((
                grassroots,
                branch.last_row,
                String::new(),
            ));
            entry.1 = entry.1.max(branch.last_row);
            if entry.2.is_empty() {
                entry.2.clone_from(&branch.exception);
            }
        }
        for ((_, period), (grassroots, index, exception)) in &organizations {
            let checked = self
                .grassroots_quota(tx, grassroots, *period, exception)
                .await;
            quota_on_row(checked, table, &columns, *index, &mut errors)?;
        }
        // The caps of each committee whose organizations the file rates.
        for ((committee, period), (index, exception)) in &committees {
            let checked = self
                .organization_caps(tx, *committee, *period, exception)
                .await;
            quota_on_row(checked, table, &columns, *index, &mut errors)?;
        }
        if errors.is_empty() {
            Ok(summary)
        } else {
            Err(refused(errors))
        }
    }

    /// A branch in scope, its list and ratings in force for a period; `None` out of scope.
    async fn read_branch(&self, tx: &mut Tx, code: &str, period: Period) -> Result<Option<Branch>> {
        let unit = match self.branch_in(tx, code).await {
            Ok(unit) => unit,
            Err(StoreError::NotFound(_)) => return Ok(None),
            Err(other) => return Err(other),
        };
        let listed = crate::ratings::listed(tx, unit.id, period.review_date()).await?;
        let ids: Vec<i64> = listed.iter().map(|l| l.member_id).collect();
        let rated = crate::ratings::current_for_members(tx, &ids, period).await?;
        Ok(Some(Branch {
            unit,
            period,
            listed,
            rated,
            last_row: 0,
            exception: String::new(),
            changed: false,
        }))
    }

    /// One member's rating: `Some` with what it did, `None` when the row is bad.
    async fn import_member(
        &self,
        tx: &mut Tx,
        row: &mut Row<'_>,
        branch: &mut Branch,
        member: &str,
        period: Period,
        input: &RatingInput,
    ) -> Result<Option<Rated>> {
        let name = row.text("name");
        if let Some(on_list) = branch.listed.iter().find(|l| l.code == member)
            && !name.trim().is_empty()
            && dangbo_domain::text::fold(&name) != dangbo_domain::text::fold(&on_list.full_name)
        {
            row.fail(
                "name",
                format!(
                    "hồ sơ của {member} ghi «{}»: kiểm tra lại dòng",
                    on_list.full_name
                ),
            );
            return Ok(None);
        }
        let outcome = match super::on_list(&branch.listed, member, period) {
            Ok(listed) => {
                let existing = branch.rated.get(&listed.member_id);
                self.save(
                    tx,
                    Subject::Member,
                    Some(listed.member_id),
                    &branch.unit,
                    period,
                    input,
                    existing,
                )
                .await
            }
            Err(e) => Err(e),
        };
        if matches!(outcome, Ok(Rated::New | Rated::Replaced)) {
            branch.changed = true;
        }
        on_row(row, "member", outcome)
    }
}

/// A quota's refusal, named on the row given; other errors stop the import.
fn quota_on_row(
    checked: Result<()>,
    table: &Table,
    columns: &Columns,
    index: usize,
    errors: &mut Vec<crate::io::RowError>,
) -> Result<()> {
    match checked {
        Ok(()) => Ok(()),
        Err(StoreError::Invalid(refusal)) => {
            let mut row = Row::new(&table.rows[index], table, columns, errors);
            row.fail("level", format!("{} [{}]", refusal.message, refusal.code));
            Ok(())
        }
        Err(other) => Err(other),
    }
}

/// The row's subject (member or unit code), period and rating, or `None` with the row's errors.
fn read_row(row: &mut Row<'_>, dataset: Dataset) -> Option<(String, Period, RatingInput)> {
    let who = if dataset == Dataset::MemberRatings {
        let member = row.required("member");
        row.required("unit");
        member
    } else {
        row.required("unit")
    };
    let year = row.required("year").and_then(|text| {
        let year = text
            .trim()
            .parse::<i32>()
            .ok()
            .filter(|y| (1990..=2100).contains(y));
        if year.is_none() {
            row.fail("year", "cần năm, từ 1990 đến 2100");
        }
        year
    });
    let quarter_text = row.text("quarter");
    let quarter = if quarter_text.trim().is_empty() {
        None
    } else {
        let quarter = quarter_text
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|q| (1..=3).contains(q));
        if quarter.is_none() {
            row.fail(
                "quarter",
                "cần 1, 2 hoặc 3 (quý 4 gộp vào xếp loại năm), hoặc để trống khi xếp loại năm",
            );
        }
        quarter
    };
    let points_text = row.text("points");
    let points = if points_text.trim().is_empty() {
        None
    } else {
        let points = points_text.trim().parse::<u32>().ok();
        if points.is_none() {
            row.fail("points", "cần số điểm nguyên từ 0 đến 100");
        }
        points
    };
    let level = row.required("level");
    let decided_by = row.required("decided_by");
    let (Some(who), Some(year), Some(level), Some(decided_by)) = (who, year, level, decided_by)
    else {
        return None;
    };
    if row.has_errors() {
        return None;
    }
    let period = Period { year, quarter };
    Some((
        who.trim().to_string(),
        period,
        RatingInput {
            self_level: row.text("self_level"),
            proposed_level: row.text("proposed_level"),
            level,
            points,
            decided_by,
            decision_number: row.text("decision_number"),
            comment: row.text("comment"),
            quota_exception: row.text("quota_exception"),
        },
    ))
}

/// Puts a writer's refusal on the row's column it concerns (`subject`: the column naming who is
/// rated).
fn on_row(row: &mut Row<'_>, subject: &str, outcome: Result<Rated>) -> Result<Option<Rated>> {
    match outcome {
        Ok(rated) => Ok(Some(rated)),
        Err(StoreError::Fields(problems)) => {
            for (field, message) in problems {
                if !row.has_error(&field) {
                    row.fail(&field, message);
                }
            }
            Ok(None)
        }
        Err(StoreError::Invalid(refusal)) => {
            let column = match refusal.code {
                "rating.points" => "points",
                "rating.period" => "quarter",
                "rating.not_rated" => subject,
                _ => "level",
            };
            row.fail(column, format!("{} [{}]", refusal.message, refusal.code));
            Ok(None)
        }
        Err(other) => Err(other),
    }
}
