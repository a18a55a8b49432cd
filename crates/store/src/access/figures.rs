//! Figures through the scope: values over a unit's subtree, the records behind a figure, and the
//! cache that spares re-evaluating an unchanged dashboard.

use std::collections::HashMap;

use dangbo_domain::figure::Figure;

use super::Access;
use crate::Result;
use crate::figures;
use crate::tree::Unit;

pub use crate::figures::{Breakdown, Record, Window};

/// Figures already computed, valid until the next audited change (the newest audit row's id is
/// part of the key), shared by every request of a server. A dashboard seen by many users of a
/// province costs one evaluation per change instead of one per view.
#[derive(Default)]
pub struct FigureCache {
    entries: std::sync::Mutex<HashMap<String, Vec<(String, i64)>>>,
    /// One lock per key being evaluated, so that requests missing the same key together evaluate
    /// it once while other keys go on.
    evaluating: std::sync::Mutex<HashMap<String, std::sync::Arc<tokio::sync::Mutex<()>>>>,
}

/// Entries kept before the cache starts over.
const FIGURE_CACHE_ENTRIES: usize = 2000;

impl FigureCache {
    fn get(&self, key: &str) -> Option<Vec<(String, i64)>> {
        self.entries.lock().ok()?.get(key).cloned()
    }

    fn turn(&self, key: &str) -> std::sync::Arc<tokio::sync::Mutex<()>> {
        match self.evaluating.lock() {
            Ok(mut locks) => locks.entry(key.to_string()).or_default().clone(),
            Err(_) => std::sync::Arc::default(),
        }
    }

    fn put(&self, key: String, values: Vec<(String, i64)>) {
        if let Ok(mut locks) = self.evaluating.lock() {
            locks.remove(&key);
        }
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() >= FIGURE_CACHE_ENTRIES {
                entries.clear();
            }
            entries.insert(key, values);
        }
    }
}

impl Access {
    /// Figures over a unit's subtree (the scope's root for an empty code).
    pub async fn figures(
        &self,
        unit_code: &str,
        catalogue: &[Figure],
        window: &Window,
    ) -> Result<Option<(Unit, Vec<(String, i64)>)>> {
        let mut tx = self.read().await?;
        let Some(unit) = self.unit_in(&mut tx, unit_code).await? else {
            tx.rollback().await?;
            return Ok(None);
        };
        let Some(cache) = &self.cache else {
            let values = figures::evaluate(&mut tx, &unit, catalogue, window).await?;
            tx.rollback().await?;
            return Ok(Some((unit, values)));
        };
        let generation = fetch_optional!(
            &mut tx,
            "SELECT COALESCE(MAX(id), 0) AS n FROM audit_log",
            [],
            |row| row.try_get::<i64, _>("n")
        )?
        .unwrap_or(0);
        let keys: Vec<&str> = catalogue.iter().map(|f| f.key.as_str()).collect();
        let key = format!(
            "{generation}|{}|{}|{}|{}|{}",
            unit.path,
            window.as_of,
            window.from,
            window.to,
            keys.join(",")
        );
        let values = match cache.get(&key) {
            Some(values) => values,
            None => {
                let turn = cache.turn(&key);
                let _turn = turn.lock().await;
                match cache.get(&key) {
                    Some(values) => values,
                    None => {
                        let values = figures::evaluate(&mut tx, &unit, catalogue, window).await?;
                        cache.put(key, values.clone());
                        values
                    }
                }
            }
        };
        tx.rollback().await?;
        Ok(Some((unit, values)))
    }

    /// The records behind one figure.
    pub async fn figure_records(
        &self,
        unit_code: &str,
        figure: &Figure,
        window: &Window,
    ) -> Result<Option<(Unit, Vec<Record>)>> {
        let mut tx = self.read().await?;
        let Some(unit) = self.unit_in(&mut tx, unit_code).await? else {
            tx.rollback().await?;
            return Ok(None);
        };
        let records = figures::records(&mut tx, &unit, figure, window).await?;
        tx.rollback().await?;
        Ok(Some((unit, records)))
    }

    /// Members active on the date in a unit's subtree counted by ethnicity or religion:
    /// (figure key, name as recorded, count), largest first.
    pub async fn breakdown(
        &self,
        unit_code: &str,
        as_of: chrono::NaiveDate,
        by: Breakdown,
    ) -> Result<Option<Vec<(String, String, i64)>>> {
        let mut tx = self.read().await?;
        let Some(unit) = self.unit_in(&mut tx, unit_code).await? else {
            tx.rollback().await?;
            return Ok(None);
        };
        let rows = figures::breakdown(&mut tx, &unit, as_of, by).await?;
        tx.rollback().await?;
        Ok(Some(rows))
    }
}
