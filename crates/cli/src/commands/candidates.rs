//! `dangbo candidates`: a unit's candidates for admission by stage with each file's next deadline,
//! or (`--due`) what of the pipeline and of probation is due within 30 days or overdue.

use chrono::NaiveDate;
use dangbo_domain::admission::Stage;
use dangbo_domain::text::format_date;
use dangbo_store::{Db, Result, StoreError};

use super::cli_access;

fn not_found(unit: &str) -> StoreError {
    StoreError::NotFound(format!("đơn vị có mã \"{}\"", unit.trim()))
}

pub async fn list(db: &Db, unit: &str, day: NaiveDate, all: bool, as_json: bool) -> Result<()> {
    let (found, lines) = cli_access(db)
        .candidates(unit, day, !all)
        .await?
        .filter(|_| !unit.trim().is_empty())
        .ok_or_else(|| not_found(unit))?;
    if as_json {
        emit!(
            "{}",
            serde_json::to_string_pretty(&lines).unwrap_or_default()
        );
        return Ok(());
    }
    emit!(
        "Hồ sơ người vào Đảng của {} ngày {}: {}",
        found.name,
        format_date(day),
        lines.len()
    );
    for stage in Stage::ALL {
        let at: Vec<_> = lines
            .iter()
            .filter(|l| l.candidate.stage == *stage)
            .collect();
        if at.is_empty() {
            continue;
        }
        emit!("{} ({}):", stage.label_vi(), at.len());
        for l in at {
            let due = l
                .next_due
                .as_ref()
                .map(|d| {
                    format!(
                        "; {}{}: {}",
                        if d.overdue { "QUÁ HẠN " } else { "" },
                        d.what,
                        format_date(d.due_on)
                    )
                })
                .unwrap_or_default();
            emit!(
                "  {} {} ({}), từ {}{due}",
                l.candidate.record.code,
                l.candidate.record.full_name,
                l.unit_name,
                format_date(l.candidate.stage_on)
            );
        }
    }
    Ok(())
}

pub async fn due(db: &Db, unit: &str, day: NaiveDate, as_json: bool) -> Result<()> {
    let (found, lines) = cli_access(db)
        .admission_due(unit, day)
        .await?
        .filter(|_| !unit.trim().is_empty())
        .ok_or_else(|| not_found(unit))?;
    if as_json {
        emit!(
            "{}",
            serde_json::to_string_pretty(&lines).unwrap_or_default()
        );
        return Ok(());
    }
    emit!(
        "Kết nạp, dự bị đến hạn trong 30 ngày hoặc quá hạn, {} ngày {}: {}",
        found.name,
        format_date(day),
        lines.len()
    );
    for l in &lines {
        emit!(
            "  {}{} {} ({}): {} {}",
            if l.overdue { "QUÁ HẠN " } else { "" },
            l.code,
            l.full_name,
            l.unit_name,
            l.what,
            format_date(l.due_on)
        );
    }
    Ok(())
}
