//! The audit log through the scope: a scoped administrator reads only rows about records inside
//! the scope; the chain is verified over the whole log.

use dangbo_domain::access::Capability;

use super::Access;
use crate::Result;

pub use crate::audit::{Entry as AuditEntry, Filter as AuditFilter, Verification};

impl Access {
    /// Reads the audit log; only for roles that may.
    pub fn auditor(&self) -> Result<Auditor<'_>> {
        self.allowed(Capability::ReadAudit)?;
        Ok(Auditor { access: self })
    }
}

/// Reads the audit log.
pub struct Auditor<'a> {
    access: &'a Access,
}

impl Auditor<'_> {
    /// The newest rows matching `filter` about records inside the scope, newest first.
    pub async fn list(&self, filter: &AuditFilter) -> Result<Vec<AuditEntry>> {
        let actor = &self.access.actor;
        let scoped = AuditFilter {
            within: (!actor.sees_everything()).then(|| actor.scope.path.clone()),
            ..filter.clone()
        };
        let mut tx = self.access.read().await?;
        let list = crate::audit::list(&mut tx, &scoped).await?;
        tx.rollback().await?;
        Ok(list)
    }

    /// Recomputes the whole chain (every row, whoever may read it: a break anywhere matters).
    pub async fn verify(&self) -> Result<Verification> {
        crate::audit::verify(&self.access.db).await
    }
}
