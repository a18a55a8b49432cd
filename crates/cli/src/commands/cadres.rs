//! `dangbo cadres`: the posts held on a day in a unit's subtree (unit, post, holder, since when,
//! by which decision) and the cadre figures of that day: the concurrency shares and the share of
//! each group of posts meeting its political-theory standard. The command line reads as the whole
//! database.

use chrono::{Datelike, NaiveDate};
use dangbo_domain::cadres::PostGroup;
use dangbo_domain::text::format_date;
use dangbo_store::access::Window;
use dangbo_store::{Db, Result, StoreError};

use super::cli_access;

/// The figures shown: the concurrency shares, then the theory standard by group.
fn keys() -> Vec<String> {
    let mut keys = vec![
        "positions.concurrent.branch_secretary_village_head".to_string(),
        "positions.concurrent.secretary_council_chair".to_string(),
    ];
    keys.extend(
        PostGroup::ALL
            .iter()
            .map(|g| format!("positions.theory_standard.{}", g.code())),
    );
    keys
}

pub async fn cadres(db: &Db, unit: &str, on: NaiveDate, as_json: bool) -> Result<()> {
    let access = cli_access(db);
    let missing = || StoreError::NotFound(format!("đơn vị có mã \"{}\"", unit.trim()));
    let definitions = access.figures_named(&keys()).await?;
    let window = Window {
        as_of: on,
        from: NaiveDate::from_ymd_opt(on.year(), 1, 1).unwrap_or(on),
        to: on,
    };
    let (root, values) = access
        .figures(unit, &definitions, &window, false)
        .await?
        .ok_or_else(missing)?;
    let (_, mut held) = access.posts_held(unit, on).await?.ok_or_else(missing)?;
    // By unit, then in the catalogue's order of posts (the secretary first).
    held.sort_by(|a, b| (&a.unit_path, a.post, a.from).cmp(&(&b.unit_path, b.post, b.from)));
    if as_json {
        let json = serde_json::json!({
            "unit": root.code,
            "on": on,
            "figures": values.iter().map(|v| (v.key.clone(), v.value.to_json())).collect::<serde_json::Map<_, _>>(),
            "posts": held,
        });
        emit!(
            "{}",
            serde_json::to_string_pretty(&json).unwrap_or_default()
        );
        return Ok(());
    }
    emit!("Cán bộ ngày {}, {}", format_date(on), root.name);
    for (v, definition) in values.iter().zip(&definitions) {
        emit!("  {:<60} {}", definition.label_vi, v.value.display());
    }
    emit!("Chức vụ đang giữ ({}):", held.len());
    for h in &held {
        let detail = if h.post_detail.is_empty() {
            String::new()
        } else {
            format!(" ({})", h.post_detail)
        };
        let village = if h.village.is_empty() {
            String::new()
        } else {
            format!(", {}", h.village)
        };
        let decision = if h.start_decision.is_empty() {
            String::new()
        } else {
            format!(", {}", h.start_decision)
        };
        emit!(
            "  {} {} — {}{}{}: {} {}, từ {} ({}{})",
            h.unit_code,
            h.unit_name,
            h.post.label_vi(),
            detail,
            village,
            h.holder(),
            h.person_name,
            format_date(h.from),
            h.start_move.label_vi(),
            decision
        );
    }
    Ok(())
}
