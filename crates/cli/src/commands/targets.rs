//! `dangbo targets`: the targets of a unit's subtree for a period, each judged from the records
//! (or the values reported), with met / total per domain.

use chrono::NaiveDate;
use dangbo_domain::programmes::{Domain, TargetResult};
use dangbo_domain::text::format_date;
use dangbo_store::access::TargetStatus;
use dangbo_store::{Db, Result, StoreError};
use serde_json::json;

use super::cli_access;

/// (met, total) of a list of judged targets.
fn met_of<'a>(targets: impl Iterator<Item = &'a TargetStatus>) -> (usize, usize) {
    targets.fold((0, 0), |(met, total), t| {
        let achieved = t.assessment.result == TargetResult::Achieved;
        (met + usize::from(achieved), total + 1)
    })
}

pub async fn targets(
    db: &Db,
    unit: &str,
    from: NaiveDate,
    to: NaiveDate,
    as_json: bool,
) -> Result<()> {
    if from > to {
        return Err(StoreError::invalid(
            "period.reversed",
            format!("--from {} sau --to {}", format_date(from), format_date(to)),
        ));
    }
    let access = cli_access(db);
    let (root, list) = access
        .targets(unit, from, to)
        .await?
        .filter(|_| !unit.trim().is_empty())
        .ok_or_else(|| StoreError::NotFound(format!("đơn vị có mã \"{}\"", unit.trim())))?;
    let name = access.unit_name_on(&root, to).await?;
    let (met, total) = met_of(list.iter());
    let by_domain: Vec<(Domain, usize, usize)> = Domain::MAIN
        .iter()
        .map(|&domain| {
            let (met, total) = met_of(list.iter().filter(|t| t.target.domain.main() == domain));
            (domain, met, total)
        })
        .collect();
    if as_json {
        let targets: Vec<serde_json::Value> = list
            .iter()
            .map(|t| {
                json!({
                    "document": t.target.document,
                    "unit": t.target.unit_code,
                    "text": t.target.text,
                    "domain": t.target.domain.main().code(),
                    "figure": t.target.figure_key,
                    "comparator": t.target.comparator.symbol(),
                    "target": t.target.value,
                    "actual": t.actual,
                    "percent": t.assessment.percent_hundredths.map(|h| h as f64 / 100.0),
                    "result": t.assessment.result.code(),
                })
            })
            .collect();
        let domains: serde_json::Map<String, serde_json::Value> = by_domain
            .iter()
            .map(|(domain, met, total)| {
                (
                    domain.code().to_string(),
                    json!({ "met": met, "total": total }),
                )
            })
            .collect();
        let out = json!({
            "unit": { "code": root.code, "name": name },
            "from": from.to_string(),
            "to": to.to_string(),
            "targets": targets,
            "by_domain": domains,
            "met": met,
            "total": total,
        });
        emit!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
        return Ok(());
    }
    emit!(
        "Chỉ tiêu của {name}, {} – {}: đạt {met}/{total}",
        format_date(from),
        format_date(to)
    );
    for (domain, met, total) in &by_domain {
        if *total > 0 {
            emit!("  {}: {met}/{total}", domain.label_vi());
        }
    }
    for t in &list {
        let actual = t
            .actual
            .map(dangbo_domain::figures::format_decimal)
            .unwrap_or_else(|| "chưa có số liệu".into());
        emit!(
            "- [{}] {} ({}): {} {} {} → {} ({}), {}",
            t.target.document,
            t.target.text,
            t.target.unit_code,
            t.target.figure_key.as_deref().unwrap_or("số báo cáo"),
            t.target.comparator.symbol(),
            dangbo_domain::figures::format_decimal(t.target.value),
            actual,
            t.assessment.percent_text(),
            t.assessment.result.label_vi()
        );
    }
    Ok(())
}
