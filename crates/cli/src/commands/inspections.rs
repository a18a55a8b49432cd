//! `dangbo inspections`: the inspection work of a unit's subtree in a period: the counts, the
//! cases decided with their subjects, conclusions and discipline, and the complaints not settled
//! at the period's end (overdue ones marked). The command line reads as the whole database.

use chrono::NaiveDate;
use dangbo_domain::text::format_date;
use dangbo_store::access::{CaseFilter, Window};
use dangbo_store::{Db, Result, StoreError};

use super::cli_access;

/// The counts shown, in the order a report gives them.
const KEYS: [&str; 12] = [
    "inspections.organizations",
    "inspections.members",
    "inspections.violation_signs.organizations",
    "inspections.violation_signs.members",
    "inspections.violations.organizations",
    "inspections.violations.members",
    "supervisions.organizations",
    "supervisions.members",
    "discipline.organizations",
    "discipline.members",
    "discipline.members.expulsion",
    "discipline.complaints.overdue",
];

pub async fn inspections(
    db: &Db,
    unit: &str,
    from: NaiveDate,
    to: NaiveDate,
    as_json: bool,
) -> Result<()> {
    if to < from {
        return Err(StoreError::invalid(
            "period.reversed",
            format!(
                "--to {} trước --from {}",
                format_date(to),
                format_date(from)
            ),
        ));
    }
    let access = cli_access(db);
    let missing = || StoreError::NotFound(format!("đơn vị có mã \"{}\"", unit.trim()));
    let keys: Vec<String> = KEYS.iter().map(|k| k.to_string()).collect();
    let definitions = access.figures_named(&keys).await?;
    let window = Window {
        as_of: to,
        from,
        to,
    };
    let (root, values) = access
        .figures(unit, &definitions, &window, false)
        .await?
        .ok_or_else(missing)?;
    let filter = CaseFilter {
        from: Some(from),
        to: Some(to),
        kind: None,
    };
    let (_, cases) = access
        .inspection_cases(unit, &filter)
        .await?
        .ok_or_else(missing)?;
    let complaints = access
        .open_complaints(unit, to)
        .await?
        .ok_or_else(missing)?;
    if as_json {
        let json = serde_json::json!({
            "unit": root.code,
            "from": from,
            "to": to,
            "figures": values.iter().map(|v| (v.key.clone(), v.value.to_json())).collect::<serde_json::Map<_, _>>(),
            "cases": cases,
            "open_complaints": complaints.iter().map(|(c, d)| serde_json::json!({
                "complaint": c,
                "overdue": c.overdue_on(to),
                "case": d.case_code,
                "subject": d.member_code.clone().unwrap_or(d.unit_code.clone()),
                "form": d.form,
            })).collect::<Vec<_>>(),
        });
        emit!(
            "{}",
            serde_json::to_string_pretty(&json).unwrap_or_default()
        );
        return Ok(());
    }
    emit!(
        "Kiểm tra, giám sát, kỷ luật từ {} đến {}, {}",
        format_date(from),
        format_date(to),
        root.name
    );
    for (v, definition) in values.iter().zip(&definitions) {
        emit!("  {:<60} {}", definition.label_vi, v.value.display());
    }
    emit!("Vụ việc ({}):", cases.len());
    for case in &cases {
        emit!(
            "  {} {} — {} {} ({}, số {}){}",
            case.code,
            format_date(case.decided_on),
            case.kind.label_vi(),
            case.unit_name,
            case.body.label_vi(),
            case.decision_number,
            case.concluded_on
                .map(|c| format!(", kết luận {}", format_date(c)))
                .unwrap_or_default()
        );
        for s in &case.subjects {
            emit!(
                "    {} {}: {}",
                s.key(),
                s.name(),
                s.conclusion.map_or("chưa kết luận", |c| c.label_vi())
            );
            for d in &s.decisions {
                emit!(
                    "      {} ngày {} ({} {}){}",
                    d.form.label_vi(),
                    format_date(d.decided_on),
                    d.body.label_vi(),
                    d.decided_by_name,
                    d.annulled_on
                        .map(|a| format!(", xóa bỏ ngày {}", format_date(a)))
                        .unwrap_or_default()
                );
            }
        }
    }
    if !complaints.is_empty() {
        emit!("Khiếu nại chưa giải quyết ngày {}:", format_date(to));
        for (c, d) in &complaints {
            emit!(
                "  {} {} ({}, vụ việc {}): nhận {}, hạn {}{}",
                d.member_code.as_deref().unwrap_or(&d.unit_code),
                d.member_name.as_deref().unwrap_or(&d.unit_name),
                d.form.label_vi(),
                d.case_code,
                format_date(c.received_on),
                format_date(c.deadline),
                if c.overdue_on(to) {
                    " — QUÁ HẠN"
                } else {
                    ""
                }
            );
        }
    }
    Ok(())
}
