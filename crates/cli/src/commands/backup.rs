//! `dangbo backup` and `dangbo restore`: a consistent copy of the whole database, taken while the
//! app runs, and its restore into an empty database.

use std::path::Path;

use dangbo_domain::figures::format_decimal;
use dangbo_store::access::restore as restore_database;
use dangbo_store::{Db, Result};

use super::cli_access;

pub async fn backup(db: &Db, file: &Path) -> Result<()> {
    let backup = cli_access(db).backup(file).await?;
    emit!(
        "Đã sao lưu vào {} ({}). Khôi phục vào một cơ sở dữ liệu trống: dangbo --db ĐỊA_CHỈ restore {}",
        backup.path.display(),
        format!(
            "{} MB",
            format_decimal(backup.bytes as f64 / (1024.0 * 1024.0))
        ),
        backup.path.display()
    );
    Ok(())
}

/// Restores into the empty database at `url`; fails (non-zero exit) when the restored audit chain
/// is broken, though the data stays restored to be looked into.
pub async fn restore(url: &str, file: &Path) -> Result<()> {
    let restored = restore_database(url, file).await?;
    let versions = restored.db.applied_migrations().await?;
    restored.db.close().await;
    emit!(
        "Đã khôi phục từ {} (cơ sở dữ liệu phiên bản {}).",
        file.display(),
        versions.last().unwrap_or(&0)
    );
    super::audit::report(&restored.audit)
}
