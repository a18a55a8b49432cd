//! `dangbo units`: the unit tree as of a date.

use chrono::NaiveDate;
use dangbo_domain::text::format_date;
use dangbo_store::{Db, Result, StoreError};

use super::cli_access;

pub async fn units(db: &Db, date: NaiveDate, unit: Option<&str>) -> Result<()> {
    let access = cli_access(db);
    let code = unit.unwrap_or("");
    let tree = access
        .subtree(code, date)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("đơn vị có mã \"{}\"", code.trim())))?;
    emit!("Cây tổ chức ngày {}:", format_date(date));
    for entry in tree {
        emit!(
            "{}{} [{}] {}",
            "  ".repeat(entry.depth),
            entry.unit.name,
            entry.unit.code,
            entry.unit.kind.label_vi()
        );
    }
    Ok(())
}
