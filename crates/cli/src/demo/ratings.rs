//! The demo's ratings, every year from 2012 (the old scheme) to 2025 (QĐ 366, with points), so that
//! long series and the changes of scheme show: every member to rate, through the rating writer,
//! within the quota (excellent members at most a fifth of the good ones in every branch, so in
//! every grassroots organization); the old district's grassroots organizations each year until
//! the 2025 reform (within the old local caps), and the new communes' organizations in 2025.

use dangbo_domain::ratings::{Period, Subject, levels, scheme_for};
use dangbo_store::Result;
use dangbo_store::access::{Access, Table};

/// The first and last years the demo rates.
pub const FIRST_YEAR: i32 = 2012;
pub const LAST_YEAR: i32 = 2025;

/// A member's level by their place on the branch's list, the year and the branch: about one in
/// fifty failing (a quarter of those failing the year before fail again), one in four done, the rest good or better,
/// a sixth of those excellent.
fn member_levels(count: usize, year: i32, branch: i64) -> Vec<&'static str> {
    let shift = usize::try_from(year).unwrap_or_default();
    let mut levels: Vec<&str> = (0..count)
        .map(|i| {
            // Spread over the list whatever the branch's size, other members each year.
            let fails = |offset: usize| {
                mix(((branch as u64) << 32) | ((i as u64) << 16) | (shift - offset) as u64)
                    .is_multiple_of(50)
            };
            if fails(0) || (fails(1) && i % 4 == 0) {
                "not_done"
            } else if (i + shift) % 4 == 3 {
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

/// A well-spread hash of a number (splitmix64's finalizer): the demo's "random" without a
/// random source.
fn mix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
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

/// The levels of the organizations one committee rates in a year, by their place: one in ten
/// done, the rest good or better; under the old scheme about four in ten clean and strong, one
/// in ten of them exemplary, within the local caps (clean at most half, exemplary at most a
/// fifth, rounded down); under the four levels two in ten excellent.
fn organization_levels(count: usize, year: i32) -> Vec<&'static str> {
    let shift = usize::try_from(year).unwrap_or_default();
    let old = levels(&scheme_for(Period::year(year)).rules, Subject::Organization)
        .iter()
        .any(|l| l.code == "clean");
    let (mut clean_room, mut exemplary_room) = (count / 2, count / 5);
    (0..count)
        .map(|i| match ((i + shift) % 10, old) {
            (9, _) => "done",
            (0 | 5, false) => "excellent",
            (0, true) if clean_room > 0 && exemplary_room > 0 => {
                clean_room -= 1;
                exemplary_room -= 1;
                "clean_exemplary"
            }
            (0..=3, true) if clean_room > 0 => {
                clean_room -= 1;
                "clean"
            }
            _ => "good",
        })
        .collect()
}

/// The demo's ratings as the two import files (levels by code): members' then organizations'.
/// Reading the branches' lists needs no rating, so the files are built first and imported in
/// one transaction, each row checked as an import checks it. Gives the files and the number of
/// member ratings.
pub async fn files(access: &Access) -> Result<(Table, Table)> {
    let (mut members, mut units) = (Vec::new(), Vec::new());
    let mut decision = 400;
    for year in FIRST_YEAR..=LAST_YEAR {
        let period = Period::year(year);
        let scored = scheme_for(period).rules.points;
        let cells = |level: &str, i: usize, decided_by: String, number: String| {
            vec![
                year.to_string(),
                level.to_string(),
                if scored {
                    points(level, i).to_string()
                } else {
                    String::new()
                },
                decided_by,
                number,
            ]
        };
        let tree = access.tree(period.review_date()).await?;
        for entry in tree.iter().filter(|e| e.unit.kind.holds_members()) {
            let Some((unit, list)) = access.branch_ratings(&entry.unit.code, period).await? else {
                continue;
            };
            let to_rate: Vec<_> = list.iter().filter(|m| m.not_rated.is_none()).collect();
            decision += 1;
            for (i, (m, level)) in to_rate
                .iter()
                .zip(member_levels(to_rate.len(), year, unit.id))
                .enumerate()
            {
                let mut row = vec![m.code.clone(), unit.code.clone()];
                row.extend(cells(
                    level,
                    i,
                    "Đảng ủy cơ sở".into(),
                    format!("{decision}-QĐ/ĐU"),
                ));
                members.push(row);
            }
        }
        // Each committee rates the organizations directly under it: the old district its
        // grassroots organizations, a grassroots committee or a new commune its branches, the
        // new province its communes.
        for committee in tree.iter().filter(|e| !e.unit.kind.holds_members()) {
            let rated_here: Vec<_> = tree
                .iter()
                .filter(|e| {
                    e.unit.parent_id == Some(committee.unit.id)
                        && dangbo_store::access::is_rated_kind(e.unit.kind)
                })
                .collect();
            for (i, (e, level)) in rated_here
                .iter()
                .zip(organization_levels(rated_here.len(), year))
                .enumerate()
            {
                let mut row = vec![e.unit.code.clone()];
                row.extend(cells(
                    level,
                    i,
                    format!("Ban Thường vụ {}", committee.unit.name),
                    format!("{}-QĐ/TU", 500 + year - FIRST_YEAR),
                ));
                units.push(row);
            }
        }
    }
    let shared = ["Năm", "Xếp loại", "Điểm", "Cấp quyết định", "Số quyết định"];
    let headers = |first: &[&str]| -> Vec<String> {
        first
            .iter()
            .chain(shared.iter())
            .map(|h| h.to_string())
            .collect()
    };
    let table = |headers: Vec<String>, rows: Vec<Vec<String>>| Table {
        headers,
        rows: rows
            .into_iter()
            .enumerate()
            .map(|(i, r)| (i + 2, r))
            .collect(),
    };
    Ok((
        table(headers(&["Mã đảng viên", "Mã chi bộ"]), members),
        table(headers(&["Mã đơn vị"]), units),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn organizations_stay_within_the_old_local_caps() {
        for (count, year) in (1..40).zip((FIRST_YEAR..2018).cycle()) {
            let levels = organization_levels(count, year);
            let exemplary = levels.iter().filter(|l| **l == "clean_exemplary").count();
            let clean = levels.iter().filter(|l| l.starts_with("clean")).count();
            assert!(
                clean * 2 <= count && exemplary * 5 <= count,
                "{count}: {levels:?}"
            );
        }
    }

    #[test]
    fn excellent_members_stay_within_a_fifth_of_the_good_in_any_branch() {
        for (count, year) in (1..60).zip((FIRST_YEAR..=LAST_YEAR).cycle()) {
            let levels = member_levels(count, year, count as i64);
            let excellent = levels.iter().filter(|l| **l == "excellent").count();
            let good = levels.iter().filter(|l| **l == "good").count();
            assert!(excellent * 5 <= good, "{count}: {excellent} for {good}");
        }
    }
}
