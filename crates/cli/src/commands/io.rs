//! `dangbo import` and `dangbo export`: files of units, members and events.

use std::path::Path;

use dangbo_domain::text::format_int;
use dangbo_store::access::{Dataset, read_table, write_table};
use dangbo_store::{Db, Result};

use super::cli_access;
use crate::progress;

/// Imports a file through the audited importer, as the administrator running the command.
pub async fn import(db: &Db, dataset: Dataset, file: &Path) -> Result<()> {
    let table = read_table(file)?;
    let access = cli_access(db);
    let mut bar = progress::Bar::new();
    let file_name = file.display().to_string();
    let summary = access
        .importer()?
        .apply(dataset, &table, &file_name, &mut bar)
        .await;
    bar.finish();
    let s = summary?;
    let n = |count: usize| format_int(count as i64);
    emit!(
        "Đã nhập {} dòng: {} mới, {} cập nhật, {} không đổi, {} sự kiện ghi mới.",
        n(s.rows),
        n(s.created),
        n(s.updated),
        n(s.unchanged),
        n(s.events_written)
    );
    if s.placed_before_branch > 0 {
        emit!(
            "{} đảng viên vào Đảng trước khi chi bộ thành lập: ghi nhận nơi kết nạp ngoài hệ thống, vào chi bộ từ ngày chi bộ thành lập.",
            n(s.placed_before_branch)
        );
    }
    Ok(())
}

/// Exports every record of a dataset to a CSV or XLSX file.
pub async fn export(db: &Db, dataset: Dataset, file: &Path) -> Result<()> {
    let table = cli_access(db).export(dataset).await?;
    write_table(&table, file)?;
    emit!(
        "Đã xuất {} dòng vào {}.",
        format_int(table.rows.len() as i64),
        file.display()
    );
    Ok(())
}
