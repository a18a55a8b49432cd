//! Units of the organization tree. A unit never moves and is never deleted: it starts, may be
//! renamed on dates, and ends. Its materialized path (`/id/id/`) never changes.

pub(crate) mod figures;
pub(crate) mod restructure;

use std::collections::HashMap;

use chrono::NaiveDate;
use dangbo_domain::input::TextKind;
use dangbo_domain::members::events::UnitFacts;
use dangbo_domain::text::{clean, compare_vi, fold, format_date};
use dangbo_domain::tree::UnitKind;
use serde::Serialize;

use crate::engine::sql::{in_force, in_subtree};
use crate::{Result, StoreError, Tx};

/// A unit as stored, with the name in force on the date it was read for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unit {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub kind: UnitKind,
    pub parent_id: Option<i64>,
    pub path: String,
    pub start_date: NaiveDate,
    /// First day the unit no longer exists (exclusive end).
    pub end_date: Option<NaiveDate>,
}

impl Unit {
    /// Whether this is the stand-in for the whole database (see [`everything`]), not a real unit.
    pub fn is_whole_database(&self) -> bool {
        self.id == 0
    }

    pub fn exists_on(&self, date: NaiveDate) -> bool {
        dangbo_domain::tree::exists_between(self.start_date, self.end_date, date)
    }

    pub fn facts(&self) -> UnitFacts {
        UnitFacts {
            id: self.id,
            code: self.code.clone(),
            kind: self.kind,
            start_date: self.start_date,
            end_date: self.end_date,
        }
    }
}

/// The pseudo-unit standing for the whole database (the scope of a national administrator).
pub fn everything() -> Unit {
    Unit {
        id: 0,
        code: String::new(),
        name: "Toàn quốc".into(),
        kind: UnitKind::Province,
        parent_id: None,
        path: "/".into(),
        start_date: NaiveDate::MIN,
        end_date: None,
    }
}

/// A unit to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUnit {
    pub code: String,
    pub name: String,
    pub kind: UnitKind,
    pub parent_code: Option<String>,
    pub start_date: NaiveDate,
    pub end_date: Option<NaiveDate>,
}

/// The bounds of a subtree for a range scan on paths: `lo <= path < hi`.
/// '0' is the character after '/', so every path under `/1/5/` sorts before `/1/50`.
pub fn subtree_bounds(path: &str) -> (String, String) {
    let mut hi = path[..path.len() - 1].to_string();
    hi.push('0');
    (path.to_string(), hi)
}

const UNIT_FIELDS: &str = "u.id, u.code, u.kind, u.parent_id, u.path, u.start_date, u.end_date";

/// The unit's latest name, selected as `name`.
const LATEST_NAME: &str = "(SELECT n.name FROM unit_names n WHERE n.unit_id = u.id ORDER BY n.from_date DESC LIMIT 1) AS name";

fn parse_kind(code: &str) -> std::result::Result<UnitKind, sqlx::Error> {
    UnitKind::parse(code)
        .ok_or_else(|| sqlx::Error::Decode(format!("unknown unit kind {code}").into()))
}

macro_rules! unit_from_row {
    ($row:ident) => {
        (|| -> std::result::Result<Unit, sqlx::Error> {
            Ok(Unit {
                id: $row.try_get("id")?,
                code: $row.try_get("code")?,
                name: $row
                    .try_get::<Option<String>, _>("name")?
                    .unwrap_or_default(),
                kind: parse_kind(&$row.try_get::<String, _>("kind")?)?,
                parent_id: $row.try_get("parent_id")?,
                path: $row.try_get("path")?,
                start_date: $row.try_get("start_date")?,
                end_date: $row.try_get("end_date")?,
            })
        })()
    };
}

/// Finds a unit by its code (with its latest name).
/// The units with these codes, by code: (path, names over time). One statement per 500 codes,
/// then one per 500 units for the names.
pub async fn names_by_code(
    tx: &mut Tx,
    codes: &[&str],
) -> Result<HashMap<String, (String, Vec<(NaiveDate, String)>)>> {
    let mut units: HashMap<i64, (String, String)> = HashMap::new();
    for chunk in codes.chunks(500) {
        let list: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT id, code, path FROM units WHERE code IN ({})",
            list.join(", ")
        );
        let values: Vec<crate::engine::Value> = chunk.iter().map(|c| (*c).into()).collect();
        let rows = fetch_all_values!(tx, sql, &values, |row| Ok((
            row.try_get::<i64, _>("id")?,
            row.try_get::<String, _>("code")?,
            row.try_get::<String, _>("path")?
        )))?;
        units.extend(rows.into_iter().map(|(id, code, path)| (id, (code, path))));
    }
    let ids: Vec<i64> = units.keys().copied().collect();
    let mut names = names_of(tx, &ids).await?;
    Ok(units
        .into_iter()
        .map(|(id, (code, path))| (code, (path, names.remove(&id).unwrap_or_default())))
        .collect())
}

/// Units that have, or once had, exactly this name.
pub async fn by_name(tx: &mut Tx, name: &str) -> Result<Vec<Unit>> {
    // No stored name holds a control character (PostgreSQL refuses NUL outright) or is longer.
    if name.is_empty() || name.chars().count() > 300 || name.chars().any(char::is_control) {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT {UNIT_FIELDS}, {LATEST_NAME} FROM units u WHERE u.id IN \
         (SELECT n.unit_id FROM unit_names n WHERE n.name = $1) ORDER BY u.code"
    );
    Ok(fetch_all!(tx, sql, [name], |row| unit_from_row!(row))?)
}

pub async fn by_code(tx: &mut Tx, code: &str) -> Result<Option<Unit>> {
    if !dangbo_domain::input::may_name_a_record(code.trim()) {
        return Ok(None);
    }
    let sql = format!("SELECT {UNIT_FIELDS}, {LATEST_NAME} FROM units u WHERE u.code = $1");
    Ok(fetch_optional!(
        tx,
        sql,
        [code.trim()],
        |row| unit_from_row!(row)
    )?)
}

/// Finds a unit by its code or fails with a message naming the code.
pub async fn require(tx: &mut Tx, code: &str) -> Result<Unit> {
    by_code(tx, code)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("đơn vị có mã \"{}\"", code.trim())))
}

pub async fn by_id(tx: &mut Tx, id: i64) -> Result<Unit> {
    let sql = format!("SELECT {UNIT_FIELDS}, {LATEST_NAME} FROM units u WHERE u.id = $1");
    fetch_optional!(tx, sql, [id], |row| unit_from_row!(row))?
        .ok_or_else(|| StoreError::NotFound(format!("đơn vị số {id}")))
}

/// Every unit (with its latest name), keyed by id: the import and demo paths validate against it.
pub async fn all_units(tx: &mut Tx) -> Result<HashMap<i64, Unit>> {
    let sql = format!("SELECT {UNIT_FIELDS}, {LATEST_NAME} FROM units u");
    let units = fetch_all!(tx, sql, [], |row| unit_from_row!(row))?;
    Ok(units.into_iter().map(|u| (u.id, u)).collect())
}

/// The deepest unit path that contains every path given (`/` when they share nothing): where an
/// audit row about them belongs.
pub(crate) fn common_path<'a>(paths: impl IntoIterator<Item = &'a str>) -> String {
    let mut common: Option<&str> = None;
    for path in paths {
        common = Some(match common {
            None => path,
            Some(current) => {
                let shared = current
                    .char_indices()
                    .zip(path.chars())
                    .take_while(|((_, a), b)| a == b)
                    .filter(|((_, a), _)| *a == '/')
                    .map(|((i, _), _)| i + 1)
                    .last()
                    .unwrap_or(1);
                &current[..shared]
            }
        });
    }
    common.unwrap_or("/").to_string()
}

/// The units with these ids (with their latest names), keyed by id.
pub async fn units_by_ids(tx: &mut Tx, ids: &[i64]) -> Result<HashMap<i64, Unit>> {
    let mut out = HashMap::new();
    for chunk in ids.chunks(1000) {
        let sql = format!(
            "SELECT {UNIT_FIELDS}, {LATEST_NAME} FROM units u WHERE u.id IN ({})",
            crate::engine::id_list(chunk)
        );
        let units = fetch_all!(tx, sql, [], |row| unit_from_row!(row))?;
        out.extend(units.into_iter().map(|u| (u.id, u)));
    }
    Ok(out)
}

/// The name a unit bore on a date (its first name before it was named).
pub async fn name_on(tx: &mut Tx, unit_id: i64, date: NaiveDate) -> Result<String> {
    let names = names_of(tx, &[unit_id]).await?;
    Ok(pick_name(
        names.get(&unit_id).map(Vec::as_slice).unwrap_or(&[]),
        date,
    ))
}

/// All dated names of some units: unit id → [(from, name)] in date order.
pub async fn names_of(tx: &mut Tx, ids: &[i64]) -> Result<HashMap<i64, Vec<(NaiveDate, String)>>> {
    let mut out: HashMap<i64, Vec<(NaiveDate, String)>> = HashMap::new();
    for chunk in ids.chunks(500) {
        let list = crate::engine::id_list(chunk);
        let sql = format!(
            "SELECT unit_id, from_date, name FROM unit_names WHERE unit_id IN ({list}) ORDER BY unit_id, from_date"
        );
        let rows = fetch_all!(tx, sql, [], |row| Ok((
            row.try_get::<i64, _>("unit_id")?,
            row.try_get::<NaiveDate, _>("from_date")?,
            row.try_get::<String, _>("name")?
        )))?;
        for (id, from, name) in rows {
            out.entry(id).or_default().push((from, name));
        }
    }
    Ok(out)
}

pub(crate) fn pick_name(names: &[(NaiveDate, String)], date: NaiveDate) -> String {
    names
        .iter()
        .rev()
        .find(|(from, _)| *from <= date)
        .or(names.first())
        .map(|(_, n)| n.clone())
        .unwrap_or_default()
}

/// Creates a unit; the parent must exist for the whole life of the child.
pub async fn create(tx: &mut Tx, new: &NewUnit) -> Result<Unit> {
    let code = clean(&new.code);
    let name = clean(&new.name);
    let problems = dangbo_domain::input::problems([
        ("code", TextKind::Code, code.as_str()),
        ("name", TextKind::Name, name.as_str()),
    ]);
    if !problems.is_empty() {
        return Err(StoreError::Fields(
            problems
                .into_iter()
                .map(|(field, message)| (field, format!("đơn vị «{code}»: {message}")))
                .collect(),
        ));
    }
    if code.is_empty() {
        return Err(StoreError::invalid(
            "unit.code_empty",
            "mã đơn vị không được để trống",
        ));
    }
    if name.is_empty() {
        return Err(StoreError::invalid(
            "unit.name_empty",
            format!("đơn vị {code}: tên không được để trống"),
        ));
    }
    if let Some(end) = new.end_date
        && end <= new.start_date
    {
        return Err(StoreError::invalid(
            "unit.end_before_start",
            format!(
                "đơn vị {code}: ngày giải thể {} phải sau ngày thành lập {}",
                format_date(end),
                format_date(new.start_date)
            ),
        ));
    }
    if by_code(tx, &code).await?.is_some() {
        return Err(StoreError::invalid(
            "unit.code_taken",
            format!("mã đơn vị \"{code}\" đã tồn tại"),
        ));
    }
    let parent = match &new.parent_code {
        Some(p) if !p.trim().is_empty() => Some(require(tx, p).await?),
        _ => None,
    };
    if let Some(parent) = &parent {
        check_parent(&code, new, parent)?;
    }
    let temp_path = format!("new:{code}");
    let id = fetch_optional!(
        tx,
        "INSERT INTO units (code, kind, parent_id, path, start_date, end_date) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        [
            code.clone(),
            new.kind.code(),
            parent.as_ref().map(|p| p.id),
            temp_path,
            new.start_date,
            new.end_date
        ],
        |row| row.try_get::<i64, _>("id")
    )?
    .ok_or_else(|| StoreError::invalid("store.write_failed", "không tạo được đơn vị"))?;
    let path = format!(
        "{}{id}/",
        parent.as_ref().map(|p| p.path.as_str()).unwrap_or("/")
    );
    execute!(
        tx,
        "UPDATE units SET path = $1 WHERE id = $2",
        [path.clone(), id]
    )?;
    crate::figures::summary::touch(tx, &path, new.start_date).await?;
    execute!(
        tx,
        "INSERT INTO unit_names (unit_id, from_date, name, name_key) VALUES ($1, $2, $3, $4)",
        [id, new.start_date, name.clone(), fold(&name)]
    )?;
    by_id(tx, id).await
}

fn check_parent(code: &str, new: &NewUnit, parent: &Unit) -> Result<()> {
    if parent.kind == UnitKind::Branch {
        return Err(StoreError::invalid(
            "unit.parent_is_branch",
            format!(
                "đơn vị {code}: cấp trên {} là chi bộ trực thuộc, không có đơn vị con",
                parent.code
            ),
        ));
    }
    let starts_inside = parent.exists_on(new.start_date);
    let ends_inside = match (new.end_date, parent.end_date) {
        (_, None) => true,
        (Some(end), Some(parent_end)) => end <= parent_end,
        (None, Some(_)) => false,
    };
    if !starts_inside || !ends_inside {
        return Err(StoreError::invalid(
            "unit.outside_parent",
            format!(
                "đơn vị {code} ({}{}) nằm ngoài thời gian tồn tại của cấp trên {} ({}{})",
                format_date(new.start_date),
                new.end_date
                    .map(|e| format!(" – {}", format_date(e)))
                    .unwrap_or_default(),
                parent.code,
                format_date(parent.start_date),
                parent
                    .end_date
                    .map(|e| format!(" – {}", format_date(e)))
                    .unwrap_or_default(),
            ),
        ));
    }
    Ok(())
}

/// Records a new name from a date on (đổi tên). The code and path stay.
pub async fn rename(
    tx: &mut Tx,
    code: &str,
    new_name: &str,
    date: NaiveDate,
    decision: &str,
) -> Result<()> {
    let unit = require(tx, code).await?;
    let name = clean(new_name);
    if let Err(problem) = TextKind::Name.check(&name) {
        return Err(StoreError::Fields(vec![(
            "new_name".to_string(),
            format!("tên mới: {problem}"),
        )]));
    }
    if name.is_empty() {
        return Err(StoreError::invalid(
            "unit.name_empty",
            "tên mới không được để trống",
        ));
    }
    if !unit.exists_on(date) {
        return Err(StoreError::invalid(
            "unit.not_on_date",
            format!(
                "đơn vị {} không tồn tại vào ngày đổi tên {}",
                unit.code,
                format_date(date)
            ),
        ));
    }
    execute!(
        tx,
        "INSERT INTO unit_names (unit_id, from_date, name, name_key, decision_number) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (unit_id, from_date) DO UPDATE SET name = excluded.name, name_key = excluded.name_key, \
         decision_number = excluded.decision_number",
        [unit.id, date, name.clone(), fold(&name), clean(decision)]
    )?;
    Ok(())
}

/// Sets the end date of a unit (internal to restructuring, which moves members and children first).
pub(crate) async fn set_end(tx: &mut Tx, unit_id: i64, date: NaiveDate) -> Result<()> {
    execute!(
        tx,
        "UPDATE units SET end_date = $1 WHERE id = $2",
        [date, unit_id]
    )?;
    crate::cadres::close_in_unit(tx, unit_id, date).await?;
    let unit = by_id(tx, unit_id).await?;
    crate::figures::summary::touch(tx, &unit.path, date).await
}

/// A unit in a tree listing, with its name on the listing's date and its depth under the root.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TreeEntry {
    pub unit: Unit,
    pub depth: usize,
}

/// The tree as it stood on `date`: every unit existing then, under `root` (or every root), children
/// in Vietnamese order of their names on that date.
pub async fn tree_on(tx: &mut Tx, root: Option<&Unit>, date: NaiveDate) -> Result<Vec<TreeEntry>> {
    let (lo, hi) = root
        .map(|r| subtree_bounds(&r.path))
        .unwrap_or(("/".to_string(), "0".to_string()));
    let sql = format!(
        "SELECT {UNIT_FIELDS}, CAST(NULL AS TEXT) AS name FROM units u WHERE {} AND {}",
        in_subtree("u.path", "$1", "$2"),
        in_force("u.start_date", "u.end_date", "$3")
    );
    let mut units = fetch_all!(tx, sql, [lo, hi, date], |row| unit_from_row!(row))?;
    let ids: Vec<i64> = units.iter().map(|u| u.id).collect();
    let names = names_of(tx, &ids).await?;
    for unit in &mut units {
        unit.name = pick_name(names.get(&unit.id).map(Vec::as_slice).unwrap_or(&[]), date);
    }
    let mut children: HashMap<Option<i64>, Vec<Unit>> = HashMap::new();
    let present: std::collections::HashSet<i64> = units.iter().map(|u| u.id).collect();
    for unit in units {
        // A unit whose parent is outside the listing is one of its roots.
        let key = unit.parent_id.filter(|p| present.contains(p));
        children.entry(key).or_default().push(unit);
    }
    for list in children.values_mut() {
        list.sort_by(|a, b| compare_vi(&a.name, &b.name).then_with(|| a.code.cmp(&b.code)));
    }
    let mut out = Vec::new();
    let mut stack: Vec<(Unit, usize)> = children
        .remove(&None)
        .unwrap_or_default()
        .into_iter()
        .rev()
        .map(|u| (u, 0))
        .collect();
    while let Some((unit, depth)) = stack.pop() {
        if let Some(kids) = children.remove(&Some(unit.id)) {
            stack.extend(kids.into_iter().rev().map(|k| (k, depth + 1)));
        }
        out.push(TreeEntry { unit, depth });
    }
    Ok(out)
}

/// Units under `unit` (not itself) existing on `date`, direct children only.
pub async fn children_on(tx: &mut Tx, unit: &Unit, date: NaiveDate) -> Result<Vec<Unit>> {
    if unit.is_whole_database() {
        // The top-level units, read alone: not the whole tree of the country.
        let sql = format!(
            "SELECT {UNIT_FIELDS}, {LATEST_NAME} FROM units u WHERE u.parent_id IS NULL AND {} ORDER BY u.code",
            in_force("u.start_date", "u.end_date", "$1")
        );
        return Ok(fetch_all!(tx, sql, [date], |row| unit_from_row!(row))?);
    }
    let sql = format!(
        "SELECT {UNIT_FIELDS}, {LATEST_NAME} FROM units u WHERE u.parent_id = $1 AND {} ORDER BY u.code",
        in_force("u.start_date", "u.end_date", "$2")
    );
    Ok(fetch_all!(tx, sql, [unit.id, date], |row| unit_from_row!(
        row
    ))?)
}

/// One step of a unit's restructure history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LineageStep {
    pub restructure_kind: String,
    pub date: NaiveDate,
    pub decision_number: String,
    pub from_code: String,
    pub to_code: Option<String>,
}

/// The restructure steps, joined with their restructure and unit codes, for `lineage_from_row!`.
const LINEAGE_FROM: &str = "SELECT r.kind, r.effective_date, r.decision_number, f.code AS from_code, \
     t.code AS to_code FROM unit_lineage l JOIN restructures r ON r.id = l.restructure_id \
     JOIN units f ON f.id = l.from_unit_id LEFT JOIN units t ON t.id = l.to_unit_id";

macro_rules! lineage_from_row {
    ($row:ident) => {
        Ok(LineageStep {
            restructure_kind: $row.try_get("kind")?,
            date: $row.try_get("effective_date")?,
            decision_number: $row.try_get("decision_number")?,
            from_code: $row.try_get("from_code")?,
            to_code: $row.try_get("to_code")?,
        })
    };
}

/// Where a unit came from and where it went: every restructure that names it.
pub async fn lineage(tx: &mut Tx, unit_id: i64) -> Result<Vec<LineageStep>> {
    let sql = format!(
        "{LINEAGE_FROM} WHERE l.from_unit_id = $1 OR l.to_unit_id = $1 \
         ORDER BY r.effective_date, r.id, f.code"
    );
    Ok(fetch_all!(tx, sql, [unit_id], |row| lineage_from_row!(
        row
    ))?)
}

/// The newest restructure steps from or to a unit inside the subtree of `root`, newest first.
pub async fn lineage_within(tx: &mut Tx, root: &Unit, limit: usize) -> Result<Vec<LineageStep>> {
    let (lo, hi) = subtree_bounds(&root.path);
    let sql = format!(
        "{LINEAGE_FROM} WHERE {} OR {} ORDER BY r.effective_date DESC, r.id DESC, f.code LIMIT {}",
        in_subtree("f.path", "$1", "$2"),
        in_subtree("t.path", "$1", "$2"),
        limit.max(1)
    );
    Ok(fetch_all!(tx, sql, [lo, hi], |row| lineage_from_row!(row))?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_path_stops_at_whole_units() {
        assert_eq!(common_path(["/1/5/", "/1/5/7/"]), "/1/5/");
        assert_eq!(common_path(["/1/5/", "/1/50/"]), "/1/");
        assert_eq!(common_path(["/1/", "/2/"]), "/");
        assert_eq!(common_path(["/1/5/9/"]), "/1/5/9/");
        assert_eq!(common_path(Vec::<&str>::new()), "/");
    }

    #[test]
    fn subtree_bounds_exclude_siblings_with_longer_ids() {
        let (lo, hi) = subtree_bounds("/1/5/");
        assert!("/1/5/" >= lo.as_str() && "/1/5/" < hi.as_str());
        assert!("/1/5/77/" >= lo.as_str() && "/1/5/77/" < hi.as_str());
        assert!(!("/1/50/" >= lo.as_str() && "/1/50/" < hi.as_str()));
        assert!(!("/1/4/" >= lo.as_str() && "/1/4/" < hi.as_str()));
    }

    #[test]
    fn names_are_picked_by_date() {
        let d = |y| NaiveDate::from_ymd_opt(y, 1, 1).unwrap();
        let names = vec![(d(2000), "A".to_string()), (d(2010), "B".to_string())];
        assert_eq!(pick_name(&names, d(1990)), "A");
        assert_eq!(pick_name(&names, d(2005)), "A");
        assert_eq!(pick_name(&names, d(2010)), "B");
    }
}
