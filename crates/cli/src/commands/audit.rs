//! `dangbo audit`: checking the audit log.

use clap::Subcommand;
use dangbo_store::access::Verification;
use dangbo_store::{Db, Result, StoreError};

use super::cli_access;

#[derive(Subcommand)]
pub enum AuditCommand {
    /// Check the audit log's hash chain from the first row to the last.
    Verify,
}

/// Verifies the audit chain; an error (non-zero exit) when it is broken.
pub async fn audit(db: &Db, command: AuditCommand) -> Result<()> {
    match command {
        AuditCommand::Verify => report(&cli_access(db).auditor()?.verify().await?),
    }
}

/// Prints a verified chain, or fails with where it broke.
pub fn report(verification: &Verification) -> Result<()> {
    match &verification.broken_at {
        None => {
            emit!(
                "Nhật ký toàn vẹn: {} dòng, chuỗi mã băm khớp.",
                verification.entries
            );
            Ok(())
        }
        Some((id, reason)) => Err(StoreError::invalid(
            "audit.broken",
            format!("nhật ký bị can thiệp tại dòng #{id}: {reason}"),
        )),
    }
}
