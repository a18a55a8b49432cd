//! Backing up and restoring the whole database: only for an administrator of the whole database
//! (the command line), since a backup holds every record.

use std::path::Path;

use dangbo_domain::access::Role;

use super::{Access, forbidden};
use crate::audit::Verification;
use crate::{Db, Result};

pub use crate::engine::backup::Backup;

impl Access {
    /// Writes a consistent copy of the whole database to `target` (which must not exist) while
    /// others go on writing; the copy holds every change committed before it began.
    pub async fn backup(&self, target: &Path) -> Result<Backup> {
        if !(self.actor.sees_everything() && self.actor.role == Role::Administrator) {
            return Err(forbidden(&self.actor));
        }
        self.db.backup_to(target).await
    }
}

/// A database restored from a backup, with its audit chain checked.
#[derive(Debug)]
pub struct Restored {
    pub db: Db,
    pub audit: Verification,
}

/// Restores a backup into the empty database at `url` (of the engine the backup came from),
/// migrates it to this program's version and verifies its audit chain. Nothing is written when
/// the target holds anything. There is no actor yet: whoever can reach the database files can
/// restore.
pub async fn restore(url: &str, source: &Path) -> Result<Restored> {
    let db = crate::engine::backup::restore(url, source).await?;
    let audit = crate::audit::verify(&db).await?;
    Ok(Restored { db, audit })
}
