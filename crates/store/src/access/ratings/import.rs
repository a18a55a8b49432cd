//! Files of ratings read row by row through the [`RatingWriter`]: every row is checked as the
//! grid would check it (the branch's list on the review date, the scheme's levels and points, a
//! decided rating changing only with a new decision), each member or organization once per
//! period, then the quota of every grassroots organization the file completes. Every bad row is
//! named with its column, and nothing is written unless every row is good (the importer's
//! transaction is rolled back).

use std::collections::HashMap;

use dangbo_domain::ratings::Period;

use super::{Rated, RatingInput, RatingWriter};
use crate::io::{Columns, Dataset, ImportSummary, Row, Table, refused};
use crate::ratings::Listed;
use crate::tree::Unit;
use crate::{Result, StoreError, Tx};

/// A branch's list on a review date, read once per file.
type Lists = HashMap<(String, Period), (Unit, Vec<Listed>)>;

impl RatingWriter<'_> {
    /// Imports a file of members' or organizations' ratings inside the caller's transaction.
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
        let mut lists = Lists::new();
        // Who a row rated for a period, and on which row: each once per file.
        let mut first_row: HashMap<(String, Period), usize> = HashMap::new();
        // Each branch whose members the file rates, per period: its last row and the exception.
        let mut groups: Vec<((String, Period), usize, String)> = Vec::new();
        for (index, line) in table.rows.iter().enumerate() {
            let mut row = Row::new(line, table, &columns, &mut errors);
            let Some((who, period, input)) = read_row(&mut row, dataset) else {
                continue;
            };
            if let Some(earlier) = first_row.get(&(who.clone(), period)) {
                let key = if dataset == Dataset::MemberRatings {
                    "member"
                } else {
                    "unit"
                };
                row.fail(
                    key,
                    format!(
                        "đã xếp loại {} ở dòng {earlier}: mỗi kỳ một dòng",
                        period.label_vi().to_lowercase()
                    ),
                );
                continue;
            }
            first_row.insert((who.clone(), period), row.number());
            let outcome = if dataset == Dataset::MemberRatings {
                let branch = row.text("unit").trim().to_string();
                let outcome = self
                    .import_member(tx, &mut row, &mut lists, &branch, &who, period, &input)
                    .await?;
                let key = (branch, period);
                match groups.iter_mut().find(|(k, _, _)| *k == key) {
                    Some(group) => {
                        group.1 = index;
                        if group.2.is_empty() {
                            group.2 = input.quota_exception.clone();
                        }
                    }
                    None => groups.push((key, index, input.quota_exception.clone())),
                }
                outcome
            } else {
                self.import_unit(tx, &mut row, &who, period, &input).await?
            };
            match outcome {
                Some(Rated::New) => summary.created += 1,
                Some(Rated::Replaced) => summary.updated += 1,
                Some(Rated::Unchanged) => summary.unchanged += 1,
                None => {}
            }
        }
        // The quota of each grassroots organization, once the rows are in: a breach is named on
        // the last row of the branch that completes it.
        if errors.is_empty() {
            for ((branch, period), index, exception) in &groups {
                let Some((unit, _)) = lists.get(&(branch.clone(), *period)) else {
                    continue;
                };
                match self.member_quota(tx, unit, *period, exception).await {
                    Ok(()) => {}
                    Err(StoreError::Invalid(refusal)) => {
                        let mut row = Row::new(&table.rows[*index], table, &columns, &mut errors);
                        row.fail("level", format!("{} [{}]", refusal.message, refusal.code));
                    }
                    Err(other) => return Err(other),
                }
            }
        }
        if errors.is_empty() {
            Ok(summary)
        } else {
            Err(refused(errors))
        }
    }

    /// One member's rating: `Some` with what it did, `None` when the row is bad.
    #[allow(clippy::too_many_arguments)]
    async fn import_member(
        &self,
        tx: &mut Tx,
        row: &mut Row<'_>,
        lists: &mut Lists,
        branch: &str,
        member: &str,
        period: Period,
        input: &RatingInput,
    ) -> Result<Option<Rated>> {
        let key = (branch.to_string(), period);
        if !lists.contains_key(&key) {
            let unit = match self.branch_in(tx, branch).await {
                Ok(unit) => unit,
                Err(StoreError::NotFound(_)) => {
                    row.fail("unit", "không có chi bộ này trong phạm vi của bạn");
                    return Ok(None);
                }
                Err(other) => return Err(other),
            };
            let listed = crate::ratings::listed(tx, unit.id, period.review_date()).await?;
            lists.insert(key.clone(), (unit, listed));
        }
        let Some((unit, listed)) = lists.get(&key) else {
            return Ok(None);
        };
        let name = row.text("name");
        if let Some(on_list) = listed.iter().find(|l| l.code == member)
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
        let outcome = self.rate_one(tx, unit, listed, member, period, input).await;
        on_row(row, "member", outcome)
    }

    /// One organization's rating: `Some` with what it did, `None` when the row is bad.
    async fn import_unit(
        &self,
        tx: &mut Tx,
        row: &mut Row<'_>,
        unit: &str,
        period: Period,
        input: &RatingInput,
    ) -> Result<Option<Rated>> {
        match self.rate_organization_in(tx, unit, period, input).await {
            Err(StoreError::NotFound(_)) => {
                row.fail("unit", "không có đơn vị này trong phạm vi của bạn");
                Ok(None)
            }
            outcome => on_row(row, "unit", outcome),
        }
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
