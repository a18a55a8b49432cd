//! `dangbo targets`: the targets of a unit's subtree for a period, each judged from the records
//! (or the values reported), with met / total per domain.

use chrono::NaiveDate;
use dangbo_domain::figures::format_decimal;
use dangbo_domain::programmes::{Domain, TargetResult};
use dangbo_domain::text::format_date;
use dangbo_store::{Db, Result, StoreError};

use super::cli_access;

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
    let report = cli_access(db)
        .targets_report(unit, from, to)
        .await?
        .filter(|_| !unit.trim().is_empty())
        .ok_or_else(|| StoreError::NotFound(format!("đơn vị có mã \"{}\"", unit.trim())))?;
    if as_json {
        emit!(
            "{}",
            serde_json::to_string_pretty(&report).unwrap_or_default()
        );
        return Ok(());
    }
    emit!(
        "Chỉ tiêu của {}, {} – {}: đạt {}/{}",
        report.unit.name,
        format_date(from),
        format_date(to),
        report.met,
        report.total
    );
    for domain in Domain::MAIN {
        if let Some(count) = report.by_domain.get(domain.code())
            && count.total > 0
        {
            emit!("  {}: {}/{}", domain.label_vi(), count.met, count.total);
        }
    }
    for t in &report.targets {
        let result = [
            TargetResult::Achieved,
            TargetResult::NotAchieved,
            TargetResult::NotDue,
        ]
        .into_iter()
        .find(|r| r.code() == t.result)
        .map_or(t.result, TargetResult::label_vi);
        emit!(
            "- [{}] {} ({}): {} {} {} → {} ({}), {}",
            t.document,
            t.text,
            t.unit,
            t.figure.as_deref().unwrap_or("số báo cáo"),
            t.comparator,
            format_decimal(t.target),
            t.actual
                .map(format_decimal)
                .unwrap_or_else(|| "chưa có số liệu".into()),
            t.percent
                .map(|p| format!("{} %", format_decimal(p)))
                .unwrap_or_else(|| "—".into()),
            result
        );
    }
    Ok(())
}
