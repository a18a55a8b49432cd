//! Figures through the scope: values over a unit's subtree (alone, or for each of its sub-units or
//! grassroots organizations as a table), the records behind a figure, reported values and their
//! writer, and the cache that spares re-evaluating an unchanged dashboard.

use std::collections::HashMap;

use chrono::NaiveDate;
use dangbo_domain::access::Capability;
use dangbo_domain::figures::{Definition, FigureValue, Window};
use dangbo_domain::input::TextKind;
use serde::Serialize;
use serde_json::json;

use super::Access;
use crate::figures::{self, reported};
use crate::tree::Unit;
use crate::{Result, StoreError, Tx};

pub use crate::figures::reported::ReportedValue;
pub use crate::figures::{Breakdown, Record, RecordPage};

/// Every figure of the fixed catalogue, in the order reports list them (reported figures that
/// people defined come from [`Access::catalogue`]).
pub fn catalogue() -> Vec<Definition> {
    figures::catalogue()
}

/// A figure of the fixed catalogue or one of its families, by key.
pub fn find_figure(key: &str) -> Option<Definition> {
    figures::find(key)
}

/// Figures already computed, shared by every request of a server, each valid until a change
/// reaches its unit's subtree on or before its window's end (changes record what they touch). A
/// dashboard seen by many users of a province costs one evaluation per change that concerns it,
/// however many changes happen elsewhere.
#[derive(Default)]
pub struct FigureCache {
    /// Values and the newest touch when they were computed (or last found still valid).
    entries: std::sync::Mutex<HashMap<String, (i64, Vec<FigureValue>)>>,
    /// Answers served from the cache, and evaluations.
    hits: std::sync::atomic::AtomicU64,
    misses: std::sync::atomic::AtomicU64,
    /// One lock per key being evaluated, so that requests missing the same key together evaluate
    /// it once while other keys go on.
    evaluating: std::sync::Mutex<HashMap<String, std::sync::Arc<tokio::sync::Mutex<()>>>>,
}

/// Entries kept before the cache starts over.
const FIGURE_CACHE_ENTRIES: usize = 2000;

impl FigureCache {
    /// (answers served from the cache, evaluations) since the cache was made.
    pub fn counts(&self) -> (u64, u64) {
        use std::sync::atomic::Ordering::Relaxed;
        (self.hits.load(Relaxed), self.misses.load(Relaxed))
    }

    fn get(&self, key: &str) -> Option<(i64, Vec<FigureValue>)> {
        self.entries.lock().ok()?.get(key).cloned()
    }

    fn turn(&self, key: &str) -> std::sync::Arc<tokio::sync::Mutex<()>> {
        match self.evaluating.lock() {
            Ok(mut locks) => locks.entry(key.to_string()).or_default().clone(),
            Err(_) => std::sync::Arc::default(),
        }
    }

    /// Lets others evaluate a key whose evaluation failed.
    fn forget(&self, key: &str) {
        if let Ok(mut locks) = self.evaluating.lock() {
            locks.remove(key);
        }
    }

    /// Marks an entry as still valid up to a newer change.
    fn checked(&self, key: &str, generation: i64) {
        if let Ok(mut entries) = self.entries.lock()
            && let Some(entry) = entries.get_mut(key)
        {
            entry.0 = entry.0.max(generation);
        }
    }

    fn put(&self, key: String, generation: i64, values: Vec<FigureValue>) {
        if let Ok(mut locks) = self.evaluating.lock() {
            locks.remove(&key);
        }
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() >= FIGURE_CACHE_ENTRIES {
                entries.clear();
            }
            entries.insert(key, (generation, values));
        }
    }
}

/// The cached values of `key` if no change since they were computed reaches their unit and window;
/// the entry is then marked as checked up to the newest change, so the next check reads only later
/// ones.
async fn cached(
    access: &Access,
    cache: &FigureCache,
    key: &str,
    unit: &Unit,
    window: &Window,
) -> Result<Option<Vec<FigureValue>>> {
    let Some((generation, values)) = cache.get(key) else {
        return Ok(None);
    };
    let mut tx = access.read().await?;
    let end = window.as_of.max(window.to);
    let checked = match figures::summary::touched_since(&mut tx, generation, &unit.path, end).await
    {
        Ok(false) => figures::summary::generation(&mut tx).await.map(Some),
        Ok(true) => Ok(None),
        Err(e) => Err(e),
    };
    tx.rollback().await?;
    Ok(match checked? {
        Some(newest) => {
            if newest != generation {
                cache.checked(key, newest);
            }
            cache
                .hits
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            Some(values)
        }
        None => None,
    })
}

/// The figures of one unit, with their counts from `route`.
async fn evaluate_one(
    tx: &mut Tx,
    unit: &Unit,
    definitions: &[Definition],
    window: &Window,
    with_prior: bool,
    route: figures::Route,
) -> Result<Vec<FigureValue>> {
    let mut rows = figures::evaluate_by(
        tx,
        std::slice::from_ref(unit),
        definitions,
        window,
        with_prior,
        route,
    )
    .await?;
    Ok(rows.pop().unwrap_or_default())
}

/// Which units a figure table has a row for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TableRows {
    /// The unit's direct sub-units existing on the date.
    Children,
    /// The grassroots organizations in the unit's subtree existing on the date.
    Grassroots,
}

/// Figures for each sub-unit of a unit, and for the unit itself (the total).
#[derive(Debug, Clone, Serialize)]
pub struct FigureTable {
    pub unit: Unit,
    /// The unit's name on the window's date.
    pub unit_name: String,
    pub rows: Vec<(Unit, Vec<FigureValue>)>,
    pub total: Vec<FigureValue>,
}

impl Access {
    /// Every figure, the reported figures people defined included.
    pub async fn catalogue(&self) -> Result<Vec<Definition>> {
        let mut tx = self.read().await?;
        let list = figures::catalogue_in(&mut tx).await?;
        tx.rollback().await?;
        Ok(list)
    }

    /// A figure by key, reported figures people defined included.
    pub async fn figure(&self, key: &str) -> Result<Option<Definition>> {
        let mut tx = self.read().await?;
        let found = figures::find_in(&mut tx, key, &self.actor.scope.path).await?;
        tx.rollback().await?;
        Ok(found)
    }

    /// The figures named by `keys` (comma-separated allowed), or every figure when there are none;
    /// an unknown key is refused, never skipped.
    pub async fn figures_named(&self, keys: &[String]) -> Result<Vec<Definition>> {
        let keys: Vec<&str> = keys
            .iter()
            .flat_map(|k| k.split(','))
            .map(str::trim)
            .filter(|k| !k.is_empty())
            .collect();
        if keys.is_empty() {
            return self.catalogue().await;
        }
        let mut tx = self.read().await?;
        let mut found = Vec::new();
        let mut unknown = Vec::new();
        for key in keys {
            match figures::find_in(&mut tx, key, &self.actor.scope.path).await? {
                Some(definition) => found.push(definition),
                None => unknown.push(key.to_string()),
            }
        }
        tx.rollback().await?;
        if unknown.is_empty() {
            Ok(found)
        } else {
            Err(StoreError::Fields(vec![(
                "keys".into(),
                format!(
                    "không có chỉ tiêu {} trong danh mục (xem docs/figures.md)",
                    unknown
                        .iter()
                        .map(|k| format!("«{k}»"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )]))
        }
    }

    /// Figures over a unit's subtree (the scope's root for an empty code), with last year's values
    /// when `with_prior`.
    pub async fn figures(
        &self,
        unit_code: &str,
        definitions: &[Definition],
        window: &Window,
        with_prior: bool,
    ) -> Result<Option<(Unit, Vec<FigureValue>)>> {
        let mut tx = self.read().await?;
        let Some(unit) = self.unit_in(&mut tx, unit_code).await? else {
            tx.rollback().await?;
            return Ok(None);
        };
        let Some(cache) = &self.cache else {
            let values = evaluate_one(
                &mut tx,
                &unit,
                definitions,
                window,
                with_prior,
                figures::Route::Summaries,
            )
            .await;
            tx.rollback().await?;
            return Ok(Some((unit, values?)));
        };
        // No transaction is held while waiting for another request's evaluation.
        tx.rollback().await?;
        let keys: Vec<&str> = definitions.iter().map(|f| f.key.as_str()).collect();
        let key = format!(
            "{}|{}|{}|{}|{with_prior}|{}",
            unit.path,
            window.as_of,
            window.from,
            window.to,
            keys.join(",")
        );
        if let Some(values) = cached(self, cache, &key, &unit, window).await? {
            return Ok(Some((unit, values)));
        }
        let turn = cache.turn(&key);
        let _turn = turn.lock().await;
        if let Some(values) = cached(self, cache, &key, &unit, window).await? {
            return Ok(Some((unit, values)));
        }
        cache
            .misses
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let mut tx = self.read().await?;
        // The generation is read before the values: a change committed in between makes the
        // entry look older than it is, which only drops it sooner.
        let values = match figures::summary::generation(&mut tx).await {
            Ok(generation) => evaluate_one(
                &mut tx,
                &unit,
                definitions,
                window,
                with_prior,
                figures::Route::Summaries,
            )
            .await
            .map(|values| (generation, values)),
            Err(e) => Err(e),
        };
        tx.rollback().await?;
        match values {
            Ok((generation, values)) => {
                cache.put(key, generation, values.clone());
                Ok(Some((unit, values)))
            }
            Err(e) => {
                cache.forget(&key);
                Err(e)
            }
        }
    }

    /// The same figures computed from the records alone, never from the summary tables: what those
    /// tables are checked against (the property tests, `dangbo bench`).
    pub async fn figures_from_rows(
        &self,
        unit_code: &str,
        definitions: &[Definition],
        window: &Window,
    ) -> Result<Option<(Unit, Vec<FigureValue>)>> {
        let mut tx = self.read().await?;
        let Some(unit) = self.unit_in(&mut tx, unit_code).await? else {
            tx.rollback().await?;
            return Ok(None);
        };
        let values = evaluate_one(
            &mut tx,
            &unit,
            definitions,
            window,
            false,
            figures::Route::Rows,
        )
        .await;
        tx.rollback().await?;
        Ok(Some((unit, values?)))
    }

    /// Figures for each sub-unit (or grassroots organization) of a unit and for the unit itself,
    /// one statement per kind of record whatever the number of rows.
    pub async fn figure_table(
        &self,
        unit_code: &str,
        rows: TableRows,
        definitions: &[Definition],
        window: &Window,
        with_prior: bool,
    ) -> Result<Option<FigureTable>> {
        let mut tx = self.read().await?;
        let Some(unit) = self.unit_in(&mut tx, unit_code).await? else {
            tx.rollback().await?;
            return Ok(None);
        };
        let table = self
            .table_in(&mut tx, unit, rows, definitions, window, with_prior)
            .await;
        tx.rollback().await?;
        table.map(Some)
    }

    async fn table_in(
        &self,
        tx: &mut Tx,
        unit: Unit,
        rows: TableRows,
        definitions: &[Definition],
        window: &Window,
        with_prior: bool,
    ) -> Result<FigureTable> {
        let units: Vec<Unit> = match rows {
            TableRows::Children => self.children_in(tx, &unit, window.as_of).await?,
            TableRows::Grassroots => {
                let root = (unit.id != 0).then_some(&unit);
                crate::tree::tree_on(tx, root, window.as_of)
                    .await?
                    .into_iter()
                    .map(|e| e.unit)
                    .filter(|u| u.kind.is_grassroots())
                    .collect()
            }
        };
        let mut all = units.clone();
        all.push(unit.clone());
        let mut values = figures::evaluate(tx, &all, definitions, window, with_prior).await?;
        let total = values.pop().unwrap_or_default();
        let unit_name = if unit.id == 0 {
            unit.name.clone()
        } else {
            crate::tree::name_on(tx, unit.id, window.as_of).await?
        };
        Ok(FigureTable {
            unit,
            unit_name,
            rows: units.into_iter().zip(values).collect(),
            total,
        })
    }

    /// Whether the actor may see the records behind a figure: everyone, except behind the
    /// confidential figures of inspection, which need [`Capability::ReadCases`].
    pub fn may_drill(&self, definition: &Definition) -> bool {
        !figures::confidential(definition) || self.actor.can(Capability::ReadCases)
    }

    fn drill_allowed(&self, definition: &Definition) -> Result<()> {
        if self.may_drill(definition) {
            Ok(())
        } else {
            Err(StoreError::Forbidden(
                "hồ sơ kiểm tra, kỷ luật là tài liệu mật: chỉ xem được số liệu tổng hợp".into(),
            ))
        }
    }

    /// The records behind one figure (for a ratio, behind its numerator).
    pub async fn figure_records(
        &self,
        unit_code: &str,
        definition: &Definition,
        window: &Window,
    ) -> Result<Option<(Unit, Vec<Record>)>> {
        self.drill_allowed(definition)?;
        let mut tx = self.read().await?;
        let Some(unit) = self.unit_in(&mut tx, unit_code).await? else {
            tx.rollback().await?;
            return Ok(None);
        };
        let records =
            figures::records(&mut tx, &unit, definition, window, &self.actor.scope.path).await;
        tx.rollback().await?;
        Ok(Some((unit, records?)))
    }

    /// One page of the records behind one figure: at most `limit` after the cursor `after`
    /// (empty: the first page), with how many there are in all.
    pub async fn figure_records_page(
        &self,
        unit_code: &str,
        definition: &Definition,
        window: &Window,
        after: &str,
        limit: usize,
    ) -> Result<Option<(Unit, figures::RecordPage)>> {
        self.drill_allowed(definition)?;
        let mut tx = self.read().await?;
        let Some(unit) = self.unit_in(&mut tx, unit_code).await? else {
            tx.rollback().await?;
            return Ok(None);
        };
        let page = figures::records_page(
            &mut tx,
            &unit,
            definition,
            window,
            &self.actor.scope.path,
            after,
            limit,
        )
        .await;
        tx.rollback().await?;
        Ok(Some((unit, page?)))
    }

    /// Members active on the date in a unit's subtree counted by ethnicity or religion:
    /// (figure key, name as recorded, count), largest first.
    pub async fn breakdown(
        &self,
        unit_code: &str,
        as_of: NaiveDate,
        by: Breakdown,
    ) -> Result<Option<Vec<(String, String, i64)>>> {
        self.breakdown_by(unit_code, as_of, by, figures::Route::Summaries)
            .await
    }

    /// The same breakdown counted from the records alone, never from the summary tables.
    pub async fn breakdown_from_rows(
        &self,
        unit_code: &str,
        as_of: NaiveDate,
        by: Breakdown,
    ) -> Result<Option<Vec<(String, String, i64)>>> {
        self.breakdown_by(unit_code, as_of, by, figures::Route::Rows)
            .await
    }

    async fn breakdown_by(
        &self,
        unit_code: &str,
        as_of: NaiveDate,
        by: Breakdown,
        route: figures::Route,
    ) -> Result<Option<Vec<(String, String, i64)>>> {
        let mut tx = self.read().await?;
        let Some(unit) = self.unit_in(&mut tx, unit_code).await? else {
            tx.rollback().await?;
            return Ok(None);
        };
        let rows = figures::breakdown(&mut tx, &unit, as_of, by, route).await;
        tx.rollback().await?;
        Ok(Some(rows?))
    }

    /// Values reported in a unit's subtree for periods overlapping [from, to].
    pub async fn reported_values(
        &self,
        unit_code: &str,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Option<Vec<ReportedValue>>> {
        let mut tx = self.read().await?;
        let Some(unit) = self.unit_in(&mut tx, unit_code).await? else {
            tx.rollback().await?;
            return Ok(None);
        };
        let (lo, hi) = crate::tree::subtree_bounds(&unit.path);
        let values = reported::values_within(&mut tx, &lo, &hi, from, to).await;
        tx.rollback().await?;
        Ok(Some(values?))
    }

    /// Enters reported values; only for roles that may.
    pub fn reporter(&self) -> Result<Reporter<'_>> {
        self.allowed(Capability::ReportValues)?;
        Ok(Reporter { access: self })
    }
}

/// A reported value to enter.
#[derive(Debug, Clone, Default)]
pub struct ReportedInput {
    pub key: String,
    /// The unit the number is about (its code).
    pub unit: String,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub value: Option<f64>,
    /// The document the number comes from.
    pub source: String,
    pub note: String,
}

/// Defines reported figures and enters their values inside the scope, each with its audit row.
pub struct Reporter<'a> {
    access: &'a Access,
}

impl Reporter<'_> {
    /// Defines a reported figure (or renames one). Definitions are shared by every scope, so only a
    /// whole-database actor may make them.
    pub async fn define(&self, key: &str, label_vi: &str, unit_label: &str) -> Result<Definition> {
        let actor = &self.access.actor;
        if !actor.sees_everything() {
            return Err(StoreError::Forbidden(
                "chỉ quản trị toàn bộ cơ sở dữ liệu được thêm chỉ tiêu báo cáo dùng chung".into(),
            ));
        }
        let key = key.trim();
        let mut problems = dangbo_domain::input::problems([
            ("label_vi", TextKind::Name, label_vi),
            ("unit_label", TextKind::Short, unit_label),
        ]);
        if let Err(problem) = reported::check_key(key) {
            problems.insert(0, ("key".to_string(), problem));
        }
        if !problems.is_empty() {
            return Err(StoreError::Fields(problems));
        }
        let mut tx = self.access.db.begin_write().await?;
        if figures::find(key).is_some() {
            return Err(StoreError::Fields(vec![(
                "key".into(),
                format!("«{key}» là chỉ tiêu tính từ hồ sơ, không nhập tay"),
            )]));
        }
        let before = reported::define(&mut tx, key, label_vi, unit_label, &actor.name).await?;
        self.access
            .audit(
                &mut tx,
                "figure.define",
                "reported_figure",
                key,
                "/",
                before.map(|d| json!(d)).unwrap_or(serde_json::Value::Null),
                json!({ "label_vi": label_vi.trim(), "unit_label": unit_label.trim() }),
            )
            .await?;
        let definition = reported::definition(&mut tx, key)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("chỉ tiêu «{key}»")))?;
        tx.commit().await?;
        Ok(definition)
    }

    /// Enters the value of a reported figure for a unit in scope and a period; problems come back
    /// per field.
    pub async fn record(&self, input: &ReportedInput) -> Result<()> {
        let mut problems = Vec::new();
        let (from, to, value) = (input.from, input.to, input.value);
        if from.is_none() {
            problems.push(("from".to_string(), "cần ngày dạng dd/mm/yyyy".to_string()));
        }
        if to.is_none() {
            problems.push(("to".to_string(), "cần ngày dạng dd/mm/yyyy".to_string()));
        }
        if let (Some(from), Some(to)) = (from, to)
            && from > to
        {
            problems.push((
                "to".to_string(),
                "ngày cuối kỳ phải không trước ngày đầu kỳ".to_string(),
            ));
        }
        if !value.is_some_and(f64::is_finite) {
            problems.push(("value".to_string(), "cần một số".to_string()));
        }
        if input.source.trim().is_empty() {
            problems.push((
                "source".to_string(),
                "cần văn bản nguồn của số liệu (ví dụ: Báo cáo số …)".to_string(),
            ));
        }
        problems.extend(dangbo_domain::input::problems([
            ("source", TextKind::Line, input.source.as_str()),
            ("note", TextKind::Note, input.note.as_str()),
        ]));
        let mut tx = self.access.db.begin_write().await?;
        // A key that cannot be one is not looked up.
        let definition = match reported::check_key(input.key.trim()) {
            Ok(()) => reported::definition(&mut tx, input.key.trim()).await?,
            Err(_) => None,
        };
        if definition.is_none() {
            problems.push((
                "key".to_string(),
                format!("chưa có chỉ tiêu báo cáo «{}»", input.key.trim()),
            ));
        }
        let unit = self.access.unit_in(&mut tx, &input.unit).await?;
        let unit = match unit {
            Some(unit) if unit.id != 0 => Some(unit),
            _ => {
                problems.push((
                    "unit".to_string(),
                    format!(
                        "không có đơn vị «{}» trong phạm vi của bạn",
                        input.unit.trim()
                    ),
                ));
                None
            }
        };
        if let (Some(unit), Some(from), Some(to)) = (&unit, from, to)
            && !(unit.exists_on(from) && unit.exists_on(to))
        {
            problems.push((
                "unit".to_string(),
                format!(
                    "đơn vị «{}» không tồn tại suốt kỳ báo cáo (thành lập {}{})",
                    unit.code,
                    dangbo_domain::text::format_date(unit.start_date),
                    unit.end_date
                        .map(|e| format!(", kết thúc {}", dangbo_domain::text::format_date(e)))
                        .unwrap_or_default()
                ),
            ));
        }
        let (Some(from), Some(to), Some(value), Some(unit), true) =
            (from, to, value, unit, problems.is_empty())
        else {
            return Err(StoreError::Fields(problems));
        };
        let key = input.key.trim();
        let before = reported::record(
            &mut tx,
            key,
            &unit,
            from,
            to,
            value,
            &input.source,
            &input.note,
            &self.access.actor.name,
        )
        .await?;
        self.access
            .audit(
                &mut tx,
                "figure.report",
                "reported_value",
                &format!("{key}|{}|{from}|{to}", unit.code),
                &unit.path,
                before
                    .map(|v| json!({ "value": v }))
                    .unwrap_or(serde_json::Value::Null),
                json!({ "value": value, "source": input.source.trim(), "note": input.note.trim() }),
            )
            .await?;
        tx.commit().await?;
        Ok(())
    }
}
