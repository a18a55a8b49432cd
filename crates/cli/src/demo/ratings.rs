//! The demo's year ratings: every member to rate in 2021 (QĐ 132) and 2025 (QĐ 366, with points),
//! and the grassroots organizations of 2021, through the rating writer, within the quota
//! (excellent members at most a fifth of the good ones in every branch, so in every grassroots
//! organization).

use dangbo_domain::ratings::Period;
use dangbo_store::access::{Access, RatingInput};
use dangbo_store::{Result, StoreError};

/// A member's level by their place on the branch's list: about one in twenty-five failing, one in
/// four done, the rest good or better, a sixth of those excellent.
fn member_levels(count: usize) -> Vec<&'static str> {
    let mut levels: Vec<&str> = (0..count)
        .map(|i| {
            if i % 25 == 24 {
                "not_done"
            } else if i % 4 == 3 {
                "done"
            } else {
                "good"
            }
        })
        .collect();
    let good = levels.iter().filter(|l| **l == "good").count();
    for level in levels.iter_mut().filter(|l| **l == "good").take(good / 6) {
        *level = "excellent";
    }
    levels
}

/// Points inside QĐ 366's band of a level, varying with the member's place.
fn points(level: &str, i: usize) -> u32 {
    let spread = (i % 7) as u32;
    match level {
        "excellent" => 90 + spread,
        "good" => 72 + spread * 2,
        "done" => 55 + spread,
        _ => 40 + spread,
    }
}

fn demo_error(what: &str, error: StoreError) -> StoreError {
    StoreError::invalid(
        "demo.invalid_data",
        format!("dữ liệu mẫu lỗi: xếp loại {what}: {error}"),
    )
}

pub async fn fill(access: &Access) -> Result<usize> {
    let writer = access.rating_writer()?;
    let mut rated = 0;
    let mut decision = 400;
    for (year, scored) in [(2021, false), (2025, true)] {
        let period = Period::year(year);
        let tree = access.tree(period.review_date()).await?;
        for entry in tree.iter().filter(|e| e.unit.kind.holds_members()) {
            let Some((unit, list)) = access.branch_ratings(&entry.unit.code, period).await? else {
                continue;
            };
            let to_rate: Vec<_> = list.iter().filter(|m| m.not_rated.is_none()).collect();
            if to_rate.is_empty() {
                continue;
            }
            decision += 1;
            let entries: Vec<(String, RatingInput)> = to_rate
                .iter()
                .zip(member_levels(to_rate.len()))
                .enumerate()
                .map(|(i, (m, level))| {
                    (
                        m.code.clone(),
                        RatingInput {
                            level: level.into(),
                            points: scored.then(|| points(level, i)),
                            decided_by: "Đảng ủy cơ sở".into(),
                            decision_number: format!("{decision}-QĐ/ĐU"),
                            ..RatingInput::default()
                        },
                    )
                })
                .collect();
            writer
                .rate_members(&unit.code, period, &entries, "")
                .await
                .map_err(|e| demo_error(&format!("{} năm {year}", unit.code), e))?;
            rated += entries.len();
        }
    }
    // The grassroots organizations of the old district in 2021, rated by its standing committee.
    let period = Period::year(2021);
    let tree = access.tree(period.review_date()).await?;
    let grassroots: Vec<_> = tree
        .iter()
        .filter(|e| e.unit.kind.is_grassroots() && e.unit.path.contains('/'))
        .collect();
    for (i, entry) in grassroots.iter().enumerate() {
        let level = match i % 10 {
            0 | 5 => "excellent",
            9 => "done",
            _ => "good",
        };
        writer
            .rate_organization(
                &entry.unit.code,
                period,
                &RatingInput {
                    level: level.into(),
                    decided_by: "Ban Thường vụ Huyện ủy Pác Nặm".into(),
                    decision_number: "520-QĐ/HU".into(),
                    ..RatingInput::default()
                },
            )
            .await
            .map_err(|e| demo_error(&entry.unit.code, e))?;
    }
    Ok(rated)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excellent_members_stay_within_a_fifth_of_the_good_in_any_branch() {
        for count in 1..60 {
            let levels = member_levels(count);
            let excellent = levels.iter().filter(|l| **l == "excellent").count();
            let good = levels.iter().filter(|l| **l == "good").count();
            assert!(excellent * 5 <= good, "{count}: {excellent} for {good}");
        }
    }
}
