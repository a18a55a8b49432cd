//! Work programmes: the queries of directing documents, their targets and the values people report
//! for targets Dangbo does not count. Every write happens inside the caller's transaction; the
//! access layer checks the scope and writes the audit row.

pub(crate) mod columns;
pub(crate) mod figures;
pub(crate) mod judge;
pub mod tasks;

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use dangbo_domain::programmes::{Comparator, DocumentKind, Domain};
use serde::Serialize;

use crate::engine::sql::in_subtree;
use crate::tree::{Unit, subtree_bounds};
use crate::{Result, StoreError, Tx};

/// A directing document as stored, with its issuing unit's code.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Document {
    pub id: i64,
    pub unit_code: String,
    /// The body that issued it when not the unit itself (the Fatherland Front of that level…).
    pub issuing_body: String,
    pub kind: DocumentKind,
    pub number: String,
    pub title: String,
    pub signed_on: NaiveDate,
    pub valid_from: NaiveDate,
    pub valid_to: NaiveDate,
    pub domain: Domain,
    /// The number of the document this one implements (a programme implements a resolution).
    pub implements: Option<String>,
    pub implements_id: Option<i64>,
}

/// A document to file, checked by the access layer.
pub(crate) struct DocumentRow<'a> {
    pub unit: &'a Unit,
    pub issuing_body: &'a str,
    pub kind: DocumentKind,
    pub number: &'a str,
    pub title: &'a str,
    pub signed_on: NaiveDate,
    pub valid_from: NaiveDate,
    pub valid_to: NaiveDate,
    pub domain: Domain,
    pub implements_id: Option<i64>,
    pub recorded_by: &'a str,
}

pub(crate) async fn insert_document(tx: &mut Tx, row: &DocumentRow<'_>) -> Result<i64> {
    let taken = fetch_optional!(
        tx,
        "SELECT id FROM documents WHERE unit_id = $1 AND issuing_body = $2 AND number = $3 \
         AND year = $4",
        [
            row.unit.id,
            row.issuing_body,
            row.number,
            i64::from(row.signed_on.year())
        ],
        |r| r.try_get::<i64, _>("id")
    )?;
    if taken.is_some() {
        return Err(StoreError::invalid(
            "document.number_taken",
            format!(
                "{} đã có văn bản số {} năm {}",
                row.unit.code,
                row.number,
                row.signed_on.year()
            ),
        ));
    }
    let id = fetch_optional!(
        tx,
        "INSERT INTO documents (unit_id, unit_path, issuing_body, kind, number, year, title, \
         signed_on, valid_from, valid_to, domain, implements_id, recorded_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
        [
            row.unit.id,
            row.unit.path.as_str(),
            row.issuing_body,
            row.kind.code(),
            row.number,
            i64::from(row.signed_on.year()),
            row.title,
            row.signed_on,
            row.valid_from,
            row.valid_to,
            row.domain.code(),
            row.implements_id,
            row.recorded_by
        ],
        |r| r.try_get::<i64, _>("id")
    )?;
    id.ok_or_else(|| StoreError::NotFound("văn bản vừa thêm".into()))
}

const DOCUMENT_FIELDS: &str = "d.id, u.code AS unit_code, d.issuing_body, d.kind, d.number, \
     d.title, d.signed_on, d.valid_from, d.valid_to, d.domain, i.number AS implements, d.implements_id, d.unit_path";

/// The tables [`DOCUMENT_FIELDS`] come from.
const DOCUMENTS_FROM: &str = "documents d JOIN units u ON u.id = d.unit_id \
     LEFT JOIN documents i ON i.id = d.implements_id";

fn decode<T>(value: Option<T>, what: &str, text: &str) -> std::result::Result<T, sqlx::Error> {
    value.ok_or_else(|| sqlx::Error::Decode(format!("unknown {what} {text}").into()))
}

macro_rules! document_from_row {
    ($row:expr) => {{
        let kind: String = $row.try_get("kind")?;
        let domain: String = $row.try_get("domain")?;
        Ok(Document {
            id: $row.try_get("id")?,
            unit_code: $row.try_get("unit_code")?,
            issuing_body: $row.try_get("issuing_body")?,
            kind: decode(DocumentKind::parse(&kind), "document kind", &kind)?,
            number: $row.try_get("number")?,
            title: $row.try_get("title")?,
            signed_on: $row.try_get("signed_on")?,
            valid_from: $row.try_get("valid_from")?,
            valid_to: $row.try_get("valid_to")?,
            domain: decode(Domain::parse(&domain), "domain", &domain)?,
            implements: $row.try_get("implements")?,
            implements_id: $row.try_get("implements_id")?,
        })
    }};
}

/// A document and its issuing unit's path.
macro_rules! with_path {
    ($row:expr) => {{
        let document: std::result::Result<Document, sqlx::Error> = document_from_row!($row);
        Ok((document?, $row.try_get::<String, _>("unit_path")?))
    }};
}

/// The document a unit (or the body beside it) issued with this number in this year: the
/// identity an import matches rows against.
pub(crate) async fn document_keyed(
    tx: &mut Tx,
    unit_id: i64,
    issuing_body: &str,
    number: &str,
    year: i32,
) -> Result<Option<Document>> {
    let sql = format!(
        "SELECT {DOCUMENT_FIELDS} FROM {DOCUMENTS_FROM} \
         WHERE d.unit_id = $1 AND d.issuing_body = $2 AND d.number = $3 AND d.year = $4"
    );
    Ok(fetch_optional!(
        tx,
        sql,
        [unit_id, issuing_body, number, i64::from(year)],
        |row| document_from_row!(row)
    )?)
}

/// Rewrites what a document says (its identity, unit, body, number and year, stays).
pub(crate) async fn update_document(tx: &mut Tx, id: i64, row: &DocumentRow<'_>) -> Result<()> {
    execute!(
        tx,
        "UPDATE documents SET kind = $1, title = $2, signed_on = $3, valid_from = $4, \
         valid_to = $5, domain = $6, implements_id = $7, recorded_by = $8 WHERE id = $9",
        [
            row.kind.code(),
            row.title,
            row.signed_on,
            row.valid_from,
            row.valid_to,
            row.domain.code(),
            row.implements_id,
            row.recorded_by,
            id
        ]
    )?;
    Ok(())
}

/// Every document issued in the subtree of `scope_path`, oldest first (an implemented document
/// before those implementing it, as an import reads them back).
pub(crate) async fn documents_under(tx: &mut Tx, scope_path: &str) -> Result<Vec<Document>> {
    let (lo, hi) = subtree_bounds(scope_path);
    let sql = format!(
        "SELECT {DOCUMENT_FIELDS} FROM {DOCUMENTS_FROM} WHERE {} \
         ORDER BY d.signed_on, d.unit_path, d.number, d.id",
        in_subtree("d.unit_path", "$1", "$2")
    );
    Ok(fetch_all!(tx, sql, [lo, hi], |row| document_from_row!(
        row
    ))?)
}

/// A target's columns and the tables they come from (`WHERE` follows).
const TARGET_FIELDS: &str = "t.id, t.document_id, d.number AS document, t.unit_id, u.code AS unit_code, \
     t.unit_path, t.text, t.domain, t.period_from, t.period_to, t.figure_key, t.comparator, t.value, \
     t.allocated_from \
     FROM targets t JOIN documents d ON d.id = t.document_id JOIN units u ON u.id = t.unit_id";

macro_rules! target_from_row {
    ($row:expr) => {{
        let domain: String = $row.try_get("domain")?;
        let comparator: String = $row.try_get("comparator")?;
        Ok(Target {
            id: $row.try_get("id")?,
            document_id: $row.try_get("document_id")?,
            document: $row.try_get("document")?,
            unit_id: $row.try_get("unit_id")?,
            unit_code: $row.try_get("unit_code")?,
            unit_path: $row.try_get("unit_path")?,
            text: $row.try_get("text")?,
            domain: decode(Domain::parse(&domain), "domain", &domain)?,
            from: $row.try_get("period_from")?,
            to: $row.try_get("period_to")?,
            figure_key: $row.try_get("figure_key")?,
            comparator: decode(Comparator::parse(&comparator), "comparator", &comparator)?,
            value: $row.try_get("value")?,
            allocated_from: $row.try_get("allocated_from")?,
        })
    }};
}

/// The documents with this number issued by one of `units` (a unit and those above it), newest
/// first, each with its issuing unit's path: a number repeats across units and years.
pub(crate) async fn documents_numbered(
    tx: &mut Tx,
    number: &str,
    units: &[i64],
) -> Result<Vec<(Document, String)>> {
    let ids = crate::engine::id_list(units);
    let sql = format!(
        "SELECT {DOCUMENT_FIELDS} FROM {DOCUMENTS_FROM} \
         WHERE d.number = $1 AND d.unit_id IN ({ids}) ORDER BY d.signed_on DESC, d.id DESC"
    );
    Ok(fetch_all!(tx, sql, [number], |row| with_path!(row))?)
}

/// The documents signed in `from`–`to` by issuers in the subtree of `root`, newest first.
pub(crate) async fn documents_signed(
    tx: &mut Tx,
    root: &Unit,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<Document>> {
    let (lo, hi) = subtree_bounds(&root.path);
    let sql = format!(
        "SELECT {DOCUMENT_FIELDS} FROM {DOCUMENTS_FROM} \
         WHERE {} AND d.signed_on >= $3 AND d.signed_on <= $4 \
         ORDER BY d.signed_on DESC, d.number, d.id",
        in_subtree("d.unit_path", "$1", "$2")
    );
    Ok(fetch_all!(
        tx,
        sql,
        [lo, hi, from, to],
        |row| document_from_row!(row)
    )?)
}

/// A document by id, with the path of its issuing unit (for the scope check).
pub(crate) async fn document(tx: &mut Tx, id: i64) -> Result<Option<(Document, String)>> {
    let sql = format!("SELECT {DOCUMENT_FIELDS} FROM {DOCUMENTS_FROM} WHERE d.id = $1");
    Ok(fetch_optional!(tx, sql, [id], |row| with_path!(row))?)
}

/// The documents that implement this one, oldest first, each with its issuing unit's path.
pub(crate) async fn implementing(tx: &mut Tx, id: i64) -> Result<Vec<(Document, String)>> {
    let sql = format!(
        "SELECT {DOCUMENT_FIELDS} FROM {DOCUMENTS_FROM} WHERE d.implements_id = $1 \
         ORDER BY d.signed_on, d.number, d.id"
    );
    Ok(fetch_all!(tx, sql, [id], |row| with_path!(row))?)
}

/// A document's attached file, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttachedFile {
    pub name: String,
    pub media_type: String,
    pub size: i64,
}

/// Attaches a file to a document, replacing the one it had; the one replaced, if any.
pub(crate) async fn put_file(
    tx: &mut Tx,
    document_id: i64,
    file: &AttachedFile,
    content: &[u8],
    recorded_by: &str,
) -> Result<Option<AttachedFile>> {
    let before = file_of(tx, document_id).await?;
    execute!(
        tx,
        "DELETE FROM document_files WHERE document_id = $1",
        [document_id]
    )?;
    execute!(
        tx,
        "INSERT INTO document_files (document_id, name, media_type, size, content, recorded_by) \
         VALUES ($1, $2, $3, $4, $5, $6)",
        [
            document_id,
            file.name.as_str(),
            file.media_type.as_str(),
            file.size,
            content,
            recorded_by
        ]
    )?;
    Ok(before)
}

/// What file a document has attached, without its content.
pub(crate) async fn file_of(tx: &mut Tx, document_id: i64) -> Result<Option<AttachedFile>> {
    Ok(fetch_optional!(
        tx,
        "SELECT name, media_type, size FROM document_files WHERE document_id = $1",
        [document_id],
        |row| Ok(AttachedFile {
            name: row.try_get("name")?,
            media_type: row.try_get("media_type")?,
            size: row.try_get("size")?,
        })
    )?)
}

/// A document's attached file with its content.
pub(crate) async fn file_content(
    tx: &mut Tx,
    document_id: i64,
) -> Result<Option<(AttachedFile, Vec<u8>)>> {
    Ok(fetch_optional!(
        tx,
        "SELECT name, media_type, size, content FROM document_files WHERE document_id = $1",
        [document_id],
        |row| Ok((
            AttachedFile {
                name: row.try_get("name")?,
                media_type: row.try_get("media_type")?,
                size: row.try_get("size")?,
            },
            row.try_get::<Vec<u8>, _>("content")?
        ))
    )?)
}

/// The targets a document sets, in the order they were set.
pub(crate) async fn targets_of(tx: &mut Tx, document_id: i64) -> Result<Vec<Target>> {
    Ok(fetch_all!(
        tx,
        format!("SELECT {TARGET_FIELDS} WHERE t.document_id = $1 ORDER BY t.id"),
        [document_id],
        |row| target_from_row!(row)
    )?)
}

/// A target to set, checked by the access layer.
pub(crate) struct TargetRow<'a> {
    pub document_id: i64,
    pub unit: &'a Unit,
    pub text: &'a str,
    pub domain: Domain,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub figure_key: Option<&'a str>,
    pub comparator: Comparator,
    pub value: f64,
    pub allocated_from: Option<i64>,
    pub recorded_by: &'a str,
}

pub(crate) async fn insert_target(tx: &mut Tx, row: &TargetRow<'_>) -> Result<i64> {
    let id = fetch_optional!(
        tx,
        "INSERT INTO targets (document_id, unit_id, unit_path, text, domain, period_from, \
         period_to, figure_key, comparator, value, allocated_from, recorded_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
        [
            row.document_id,
            row.unit.id,
            row.unit.path.as_str(),
            row.text,
            row.domain.code(),
            row.from,
            row.to,
            row.figure_key,
            row.comparator.symbol(),
            row.value,
            row.allocated_from,
            row.recorded_by
        ],
        |r| r.try_get::<i64, _>("id")
    )?;
    id.ok_or_else(|| StoreError::NotFound("chỉ tiêu vừa thêm".into()))
}

/// The target a document sets for a unit with this wording and period: the identity an import
/// matches rows against.
pub(crate) async fn target_keyed(
    tx: &mut Tx,
    (document_id, unit_id): (i64, i64),
    text: &str,
    (from, to): (NaiveDate, NaiveDate),
) -> Result<Option<Target>> {
    Ok(fetch_optional!(
        tx,
        format!(
            "SELECT {TARGET_FIELDS} WHERE t.document_id = $1 AND t.unit_id = $2 AND t.text = $3 \
             AND t.period_from = $4 AND t.period_to = $5"
        ),
        [document_id, unit_id, text, from, to],
        |row| target_from_row!(row)
    )?)
}

/// Rewrites a target's measure (its identity, document, unit, wording and period, stays).
pub(crate) async fn update_target(tx: &mut Tx, id: i64, row: &TargetRow<'_>) -> Result<()> {
    execute!(
        tx,
        "UPDATE targets SET domain = $1, figure_key = $2, comparator = $3, value = $4, \
         allocated_from = $5, recorded_by = $6 WHERE id = $7",
        [
            row.domain.code(),
            row.figure_key,
            row.comparator.symbol(),
            row.value,
            row.allocated_from,
            row.recorded_by,
            id
        ]
    )?;
    Ok(())
}

/// Every target of a unit in the subtree of `scope_path`, by its document's date and number,
/// then unit.
pub(crate) async fn targets_under(tx: &mut Tx, scope_path: &str) -> Result<Vec<Target>> {
    let (lo, hi) = subtree_bounds(scope_path);
    let sql = format!(
        "SELECT {TARGET_FIELDS} WHERE {} ORDER BY d.signed_on, d.number, t.unit_path, t.id",
        in_subtree("t.unit_path", "$1", "$2")
    );
    Ok(fetch_all!(tx, sql, [lo, hi], |row| target_from_row!(row))?)
}

/// A target as stored, with its document's number and its unit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Target {
    pub id: i64,
    pub document_id: i64,
    pub document: String,
    pub unit_id: i64,
    pub unit_code: String,
    pub unit_path: String,
    pub text: String,
    pub domain: Domain,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The figure it is bound to; `None` for a target judged on reported values.
    pub figure_key: Option<String>,
    pub comparator: Comparator,
    pub value: f64,
    /// The target of a unit above this one that this one is a part of, when it was split.
    pub allocated_from: Option<i64>,
}

/// The targets of units in the subtree of `root` whose period overlaps `from`–`to`, by domain,
/// document and unit.
pub(crate) async fn targets_overlapping(
    tx: &mut Tx,
    root: &Unit,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<Target>> {
    let (lo, hi) = subtree_bounds(&root.path);
    let sql = format!(
        "SELECT {TARGET_FIELDS} WHERE {} AND t.period_from <= $3 AND t.period_to >= $4 AND {} \
         ORDER BY t.domain, d.signed_on, d.number, t.unit_path, t.id",
        in_subtree("t.unit_path", "$1", "$2"),
        not_a_part_within("t", "$5", "$6")
    );
    Ok(fetch_all!(
        tx,
        sql,
        [lo.as_str(), hi.as_str(), to, from, lo.as_str(), hi.as_str()],
        |row| target_from_row!(row)
    )?)
}

/// The condition that a target (`alias`) is not a part allocated from a target of the subtree
/// bounded by `lo`–`hi`: a subtree counts a whole once, not again in its parts.
pub(crate) fn not_a_part_within(alias: &str, lo: &str, hi: &str) -> String {
    format!(
        "NOT EXISTS (SELECT 1 FROM targets w WHERE w.id = {alias}.allocated_from AND {})",
        in_subtree("w.unit_path", lo, hi)
    )
}

/// A target by id.
pub(crate) async fn target(tx: &mut Tx, id: i64) -> Result<Option<Target>> {
    Ok(fetch_optional!(
        tx,
        format!("SELECT {TARGET_FIELDS} WHERE t.id = $1"),
        [id],
        |row| target_from_row!(row)
    )?)
}

/// A value reported for a target, as of a date, with the document it comes from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportedActual {
    pub as_of: NaiveDate,
    pub value: f64,
    pub source: String,
}

/// Records (or corrects) the value reported for a target as of a date; the earlier value, if any.
pub(crate) async fn report_value(
    tx: &mut Tx,
    target_id: i64,
    actual: &ReportedActual,
    recorded_by: &str,
) -> Result<Option<ReportedActual>> {
    let before = fetch_optional!(
        tx,
        "SELECT as_of, value, source_document FROM target_values WHERE target_id = $1 AND as_of = $2",
        [target_id, actual.as_of],
        |row| Ok(ReportedActual {
            as_of: row.try_get("as_of")?,
            value: row.try_get("value")?,
            source: row.try_get("source_document")?,
        })
    )?;
    if before.is_some() {
        execute!(
            tx,
            "UPDATE target_values SET value = $1, source_document = $2, recorded_by = $3 \
             WHERE target_id = $4 AND as_of = $5",
            [
                actual.value,
                actual.source.as_str(),
                recorded_by,
                target_id,
                actual.as_of
            ]
        )?;
    } else {
        execute!(
            tx,
            "INSERT INTO target_values (target_id, as_of, value, source_document, recorded_by) \
             VALUES ($1, $2, $3, $4, $5)",
            [
                target_id,
                actual.as_of,
                actual.value,
                actual.source.as_str(),
                recorded_by
            ]
        )?;
    }
    Ok(before)
}

/// The last day both engines compare as a date: SQLite compares dates as text, so a far-future
/// sentinel with a sign or five digits (`NaiveDate::MAX`) would sort before every real date.
pub(crate) const LAST_DAY: NaiveDate = match NaiveDate::from_ymd_opt(9999, 12, 31) {
    Some(day) => day,
    None => NaiveDate::MIN,
};

/// The latest value ever reported for each target.
pub(crate) async fn latest_values_ever(
    tx: &mut Tx,
    targets: &[i64],
) -> Result<HashMap<i64, ReportedActual>> {
    latest_values(tx, targets, LAST_DAY).await
}

/// The latest value reported for each target on or before `up_to`.
pub(crate) async fn latest_values(
    tx: &mut Tx,
    targets: &[i64],
    up_to: NaiveDate,
) -> Result<HashMap<i64, ReportedActual>> {
    let mut latest: HashMap<i64, ReportedActual> = HashMap::new();
    for chunk in targets.chunks(500) {
        let ids = crate::engine::id_list(chunk);
        let sql = format!(
            "SELECT target_id, as_of, value, source_document FROM target_values \
             WHERE target_id IN ({ids}) AND as_of <= $1 ORDER BY target_id, as_of"
        );
        let rows = fetch_all!(tx, sql, [up_to], |row| Ok((
            row.try_get::<i64, _>("target_id")?,
            ReportedActual {
                as_of: row.try_get("as_of")?,
                value: row.try_get("value")?,
                source: row.try_get("source_document")?,
            }
        )))?;
        // In date order: the last one of each target stays.
        latest.extend(rows);
    }
    Ok(latest)
}
