//! `dangbo ratings`: the year's ratings of a unit's subtree: each branch's members with their
//! level (or why they are not rated), the organizations rated, the members failing two years
//! running, and the counts by level.

use dangbo_domain::ratings::{Period, Subject, level_words, scheme_for};
use dangbo_store::access::Window;
use dangbo_store::{Db, Result, StoreError};

use super::cli_access;

pub async fn ratings(db: &Db, unit: &str, year: i32, as_json: bool) -> Result<()> {
    let access = cli_access(db);
    let period = Period::year(year);
    let day = period.review_date();
    let subtree = access
        .subtree(unit, day)
        .await?
        .filter(|_| !unit.trim().is_empty())
        .ok_or_else(|| StoreError::NotFound(format!("đơn vị có mã \"{}\"", unit.trim())))?;
    let keys: Vec<String> = [
        "ratings.members.rated",
        "ratings.members.good_or_better",
        "ratings.members.good_or_better.share",
        "ratings.grassroots.rated",
        "ratings.grassroots.good_or_better",
    ]
    .iter()
    .map(|k| k.to_string())
    .collect();
    let definitions = access.figures_named(&keys).await?;
    let window = Window {
        as_of: day,
        from: day,
        to: day,
    };
    let (_, values) = access
        .figures(unit, &definitions, &window, false)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("đơn vị có mã \"{}\"", unit.trim())))?;
    let mut branches = Vec::new();
    for entry in subtree.iter().filter(|e| e.unit.kind.holds_members()) {
        if let Some((branch, list)) = access.branch_ratings(&entry.unit.code, period).await? {
            branches.push((branch, list));
        }
    }
    let failing = access
        .failing_two_years(unit, year)
        .await?
        .unwrap_or_default();
    if as_json {
        let json = serde_json::json!({
            "unit": unit.trim(),
            "year": year,
            "scheme": scheme_for(period).document,
            "figures": values.iter().map(|v| (v.key.clone(), v.value.to_json())).collect::<serde_json::Map<_, _>>(),
            "branches": branches.iter().map(|(b, list)| serde_json::json!({
                "unit": b.code, "name": b.name, "members": list,
            })).collect::<Vec<_>>(),
            "failing_two_years": failing,
        });
        emit!(
            "{}",
            serde_json::to_string_pretty(&json).unwrap_or_default()
        );
        return Ok(());
    }
    emit!(
        "Đánh giá, xếp loại năm {year} ({}), {}",
        scheme_for(period).document,
        subtree.first().map_or("", |e| e.unit.name.as_str())
    );
    for (v, definition) in values.iter().zip(&definitions) {
        emit!("  {:<60} {}", definition.label_vi, v.value.display());
    }
    let words = |code: &str| level_words(period, Subject::Member, code);
    for (branch, list) in &branches {
        let rated = list.iter().filter(|m| m.rating.is_some()).count();
        emit!("{} ({rated}/{} đã xếp loại):", branch.name, list.len());
        for m in list {
            let state = match (&m.rating, m.not_rated) {
                (Some(r), _) => words(&r.level),
                (None, Some(reason)) => format!("không xếp loại: {}", reason.label_vi()),
                (None, None) => "chưa xếp loại".to_string(),
            };
            emit!("  {} {}: {state}", m.code, m.full_name);
        }
    }
    if !failing.is_empty() {
        emit!("Hai năm liền không hoàn thành nhiệm vụ:");
        for r in &failing {
            emit!(
                "  {} {}",
                r.member_code.as_deref().unwrap_or(""),
                r.member_name.as_deref().unwrap_or("")
            );
        }
    }
    Ok(())
}
