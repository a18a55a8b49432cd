//! Reported figures: numbers a person enters for a unit and a period, with the document they come
//! from, for things Dangbo does not record ("households meeting the urban-order standard"). Their
//! keys start with `reported.`; people define them, and a value is read for exactly the unit it was
//! entered for.

use chrono::NaiveDate;
use dangbo_domain::figures::{Definition, Kind, Reported, Timing, Window};
use serde::Serialize;

use crate::tree::Unit;
use crate::{Result, StoreError, Tx};

/// The prefix of every reported figure's key.
pub const PREFIX: &str = "reported.";

/// Checks a new key: `reported.` then lowercase letters, digits and underscores.
pub(crate) fn check_key(key: &str) -> std::result::Result<(), String> {
    let valid = key.strip_prefix(PREFIX).is_some_and(|rest| {
        !rest.is_empty()
            && rest.len() <= 60
            && rest
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    });
    if valid {
        Ok(())
    } else {
        Err(format!(
            "mã «{key}» không hợp lệ: cần «{PREFIX}» rồi chữ thường không dấu, chữ số hoặc gạch dưới (ví dụ {PREFIX}ho_dat_chuan_van_minh)"
        ))
    }
}

fn definition_of(key: String, label_vi: String, unit_label: String) -> Definition {
    Definition {
        key,
        label_vi,
        timing: Timing::Flow,
        kind: Kind::Reported { unit_label },
    }
}

/// Every reported figure defined, by key.
pub(crate) async fn definitions(tx: &mut Tx) -> Result<Vec<Definition>> {
    Ok(fetch_all!(
        tx,
        "SELECT key, label_vi, unit_label FROM reported_figures ORDER BY key",
        [],
        |row| Ok(definition_of(
            row.try_get("key")?,
            row.try_get("label_vi")?,
            row.try_get("unit_label")?
        ))
    )?)
}

/// The reported figure with this key, if defined.
pub(crate) async fn definition(tx: &mut Tx, key: &str) -> Result<Option<Definition>> {
    if !key.starts_with(PREFIX) {
        return Ok(None);
    }
    Ok(fetch_optional!(
        tx,
        "SELECT key, label_vi, unit_label FROM reported_figures WHERE key = $1",
        [key],
        |row| Ok(definition_of(
            row.try_get("key")?,
            row.try_get("label_vi")?,
            row.try_get("unit_label")?
        ))
    )?)
}

/// Defines a reported figure (or changes its label); returns the definition before, if any.
pub(crate) async fn define(
    tx: &mut Tx,
    key: &str,
    label_vi: &str,
    unit_label: &str,
    by: &str,
) -> Result<Option<Definition>> {
    let mut problems = Vec::new();
    if let Err(message) = check_key(key) {
        problems.push(("key".to_string(), message));
    }
    if label_vi.trim().is_empty() {
        problems.push(("label".to_string(), "cần tên chỉ tiêu".to_string()));
    }
    if !problems.is_empty() {
        return Err(StoreError::Fields(problems));
    }
    let before = definition(tx, key).await?;
    execute!(
        tx,
        "INSERT INTO reported_figures (key, label_vi, unit_label, created_by) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (key) DO UPDATE SET label_vi = excluded.label_vi, unit_label = excluded.unit_label",
        [key, label_vi.trim(), unit_label.trim(), by]
    )?;
    Ok(before)
}

/// A value as entered.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportedValue {
    pub key: String,
    pub unit_code: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub value: f64,
    pub source: String,
    pub note: String,
    pub recorded_by: String,
}

/// Records the value of a reported figure for a unit and period (replacing one entered for the
/// same unit and period); returns the value before, if any.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn record(
    tx: &mut Tx,
    key: &str,
    unit: &Unit,
    from: NaiveDate,
    to: NaiveDate,
    value: f64,
    source: &str,
    note: &str,
    by: &str,
) -> Result<Option<f64>> {
    let before = fetch_optional!(
        tx,
        "SELECT value FROM reported_values WHERE figure_key = $1 AND unit_id = $2 AND period_from = $3 AND period_to = $4",
        [key, unit.id, from, to],
        |row| row.try_get::<f64, _>("value")
    )?;
    execute!(
        tx,
        "INSERT INTO reported_values (figure_key, unit_id, unit_path, period_from, period_to, value, source_document, note, recorded_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
         ON CONFLICT (figure_key, unit_id, period_from, period_to) DO UPDATE SET value = excluded.value, \
         source_document = excluded.source_document, note = excluded.note, recorded_by = excluded.recorded_by",
        [
            key,
            unit.id,
            unit.path.clone(),
            from,
            to,
            value,
            source.trim(),
            note.trim(),
            by
        ]
    )?;
    super::summary::touch(tx, &unit.path, from).await?;
    Ok(before)
}

/// The value reported for exactly `unit` for a period inside the window's (the latest such
/// period when there are several); `None` when nothing was reported.
pub(crate) async fn value(
    tx: &mut Tx,
    unit: &Unit,
    key: &str,
    window: &Window,
) -> Result<Option<Reported>> {
    Ok(fetch_optional!(
        tx,
        "SELECT value, source_document, period_from, period_to FROM reported_values \
         WHERE figure_key = $1 AND unit_id = $2 AND period_from >= $3 AND period_to <= $4 \
         ORDER BY period_to DESC, period_from LIMIT 1",
        [key, unit.id, window.from, window.to],
        |row| Ok(Reported {
            value: row.try_get("value")?,
            source: row.try_get("source_document")?,
            from: row.try_get("period_from")?,
            to: row.try_get("period_to")?,
        })
    )?)
}

/// Values reported in a subtree (its path bounds) whose period overlaps [from, to].
pub(crate) async fn values_within(
    tx: &mut Tx,
    lo: &str,
    hi: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<ReportedValue>> {
    Ok(fetch_all!(
        tx,
        "SELECT v.figure_key, u.code, v.period_from, v.period_to, v.value, v.source_document, v.note, v.recorded_by \
         FROM reported_values v JOIN units u ON u.id = v.unit_id \
         WHERE v.unit_path >= $1 AND v.unit_path < $2 AND v.period_to >= $3 AND v.period_from <= $4 \
         ORDER BY v.figure_key, u.code, v.period_from",
        [lo, hi, from, to],
        |row| Ok(ReportedValue {
            key: row.try_get("figure_key")?,
            unit_code: row.try_get("code")?,
            from: row.try_get("period_from")?,
            to: row.try_get("period_to")?,
            value: row.try_get("value")?,
            source: row.try_get("source_document")?,
            note: row.try_get("note")?,
            recorded_by: row.try_get("recorded_by")?,
        })
    )?)
}
