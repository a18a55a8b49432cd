//! `dangbo members` and `dangbo member`: members active in a unit, and one member's record.

use chrono::NaiveDate;
use dangbo_domain::text::{format_date, format_int};
use dangbo_store::access::MemberQuery;
use dangbo_store::{Db, Result, StoreError};

use super::cli_access;

/// Rows read per page while listing.
const PAGE: usize = 5000;

/// Every member active in the subtree of `unit` on `date`, in Vietnamese order.
pub async fn members(db: &Db, unit: &str, date: NaiveDate, search: Option<&str>) -> Result<()> {
    let access = cli_access(db);
    let root = access
        .unit(unit)
        .await?
        .filter(|_| !unit.trim().is_empty())
        .ok_or_else(|| StoreError::NotFound(format!("đơn vị có mã \"{}\"", unit.trim())))?;
    let name = access.unit_name_on(&root, date).await?;
    let mut query = MemberQuery {
        unit: Some(root.code.clone()),
        date: Some(date),
        search: search.map(str::to_string),
        limit: PAGE,
        ..MemberQuery::default()
    };
    let mut rows = Vec::new();
    loop {
        let page = access.members(&query, date).await?;
        rows.extend(page.rows);
        match page.next {
            Some(cursor) => query.after = Some(cursor),
            None => break,
        }
    }
    emit!(
        "{} đảng viên của {} ngày {}:",
        format_int(rows.len() as i64),
        name,
        format_date(date)
    );
    for (i, m) in rows.iter().enumerate() {
        let status = if m.status == "full" {
            "chính thức"
        } else {
            "dự bị"
        };
        emit!(
            "{:>5}. {} [{}] {} – {} – {}",
            i + 1,
            m.full_name,
            m.code,
            format_date(m.birth_date),
            if m.unit_name.is_empty() {
                &m.unit_code
            } else {
                &m.unit_name
            },
            status
        );
    }
    Ok(())
}

pub async fn member(db: &Db, code: &str) -> Result<(), StoreError> {
    let access = cli_access(db);
    let view = access
        .member(code, crate::today())
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("đảng viên «{}»", code.trim())))?;
    let member = &view.member;
    let list = &view.events;
    let r = &member.record;
    emit!("{} [{}]", r.full_name, r.code);
    emit!(
        "  Giới tính: {}; ngày sinh: {}; dân tộc: {}; tôn giáo: {}",
        r.sex.label_vi(),
        format_date(r.birth_date),
        r.ethnicity,
        r.religion
    );
    if let Some(years) = view.seniority_years {
        emit!("  Tuổi Đảng: {years} năm");
    }
    if let Some((years, on)) = view.next_badge {
        emit!(
            "  Huy hiệu tiếp theo: {years} năm tuổi Đảng, ngày {}",
            format_date(on)
        );
    }
    emit!("  Quá trình:");
    for e in list {
        let line = view.line(e);
        emit!(
            "    {}  {:<26} {} {}",
            format_date(e.event.date),
            line.kind,
            line.place,
            e.event.decision_number
        );
    }
    Ok(())
}
