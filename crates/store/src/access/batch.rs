//! Several writes in one transaction: a demo or a migration from another system loads units,
//! members and events and applies restructures, and either all of it happens or none of it.

use dangbo_domain::access::Capability;

use super::io::{Dataset, ImportSummary, Progress, Table};
use super::tree::{Decision, RestructurePlan, RestructurePreview};
use super::{Access, Importer, Restructurer};
use crate::{Result, Tx};

impl Access {
    /// Starts a batch; only for roles that may import (restructures in it need that capability too).
    pub async fn batch(&self) -> Result<Batch<'_>> {
        self.allowed(Capability::Import)?;
        Ok(Batch {
            access: self,
            tx: self.db.begin_write().await?,
        })
    }
}

/// Writes that commit together; dropped without [`Batch::commit`], nothing is written.
pub struct Batch<'a> {
    access: &'a Access,
    tx: Tx,
}

impl Batch<'_> {
    /// Imports a table, as [`Importer::apply`] does, inside the batch.
    pub async fn import(
        &mut self,
        dataset: Dataset,
        table: &Table,
        file_name: &str,
        progress: &mut dyn Progress,
    ) -> Result<ImportSummary> {
        let importer = Importer {
            access: self.access,
        };
        importer
            .apply_in(&mut self.tx, dataset, table, file_name, progress)
            .await
    }

    /// Applies a restructure, as [`Restructurer::apply`] does, inside the batch.
    pub async fn restructure(
        &mut self,
        plan: &RestructurePlan,
        decision: &Decision,
    ) -> Result<RestructurePreview> {
        let restructurer: Restructurer<'_> = self.access.restructurer()?;
        restructurer.apply_in(&mut self.tx, plan, decision).await
    }

    pub async fn commit(self) -> Result<()> {
        self.tx.commit().await
    }
}
