//! `dangbo study`: the study sessions organized in a unit's subtree in a period, each with its
//! documents and its participating units' attendance, and the figures of the period (sessions,
//! attendances as lượt, members who studied). The command line reads as the whole database.

use chrono::NaiveDate;
use dangbo_domain::text::{format_date, format_int};
use dangbo_store::access::Window;
use dangbo_store::{Db, Result, StoreError};

use super::cli_access;

/// The figures shown, in the order a report gives them.
const KEYS: [&str; 3] = ["study.sessions", "study.attendances", "study.members"];

pub async fn study(
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
    let (_, sessions) = access
        .study_sessions(unit, from, to)
        .await?
        .ok_or_else(missing)?;
    if as_json {
        let listed: Vec<serde_json::Value> = sessions
            .iter()
            .map(|s| {
                let mut value = serde_json::to_value(s).unwrap_or_default();
                value["attendances"] = serde_json::json!(s.attendances());
                value
            })
            .collect();
        let json = serde_json::json!({
            "unit": root.code,
            "from": from,
            "to": to,
            "figures": values.iter().map(|v| (v.key.clone(), v.value.to_json())).collect::<serde_json::Map<_, _>>(),
            "sessions": listed,
        });
        emit!(
            "{}",
            serde_json::to_string_pretty(&json).unwrap_or_default()
        );
        return Ok(());
    }
    emit!(
        "Học tập chính trị từ {} đến {}, {}",
        format_date(from),
        format_date(to),
        root.name
    );
    for (v, definition) in values.iter().zip(&definitions) {
        emit!("  {:<60} {}", definition.label_vi, v.value.display());
    }
    emit!("Buổi học tập ({}):", sessions.len());
    for s in &sessions {
        let days = if s.to == s.from {
            format_date(s.from)
        } else {
            format!("{}–{}", format_date(s.from), format_date(s.to))
        };
        let organizer = if s.organizer_body.is_empty() {
            s.unit_name.clone()
        } else {
            format!("{}, {}", s.organizer_body, s.unit_name)
        };
        emit!(
            "  {} {} — {}: {} ({}), {} lượt",
            s.code,
            days,
            s.kind.label_vi(),
            s.title,
            organizer,
            format_int(s.attendances())
        );
        for d in &s.documents {
            emit!("    Văn bản {} {}", d.number, d.title);
        }
        for u in &s.units {
            let attendance = if u.by_count {
                match u.expected {
                    Some(expected) => format!(
                        "{} lượt / {} triệu tập",
                        format_int(u.attended),
                        format_int(expected)
                    ),
                    None => format!("{} lượt", format_int(u.attended)),
                }
            } else {
                format!(
                    "{} có mặt, {} vắng",
                    format_int(u.attended),
                    format_int(u.absent)
                )
            };
            let others = if u.non_members > 0 {
                format!(", {} lượt người ngoài Đảng", format_int(u.non_members))
            } else {
                String::new()
            };
            emit!(
                "    {} {}: {}{}",
                u.unit_code,
                u.unit_name,
                attendance,
                others
            );
        }
    }
    Ok(())
}
