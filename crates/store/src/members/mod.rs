//! Members' personal records. Status and unit are never stored here: they come from events.

pub(crate) mod events;
pub(crate) mod figures;
pub(crate) mod search;

use chrono::NaiveDate;
use dangbo_domain::input::may_name_a_record;
use dangbo_domain::members::MemberRecord;
use dangbo_domain::text::{clean, fold, person_sort_key};
use serde::Serialize;

use crate::engine::Value;
use crate::{Result, Tx};

/// A stored member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Member {
    pub id: i64,
    #[serde(flatten)]
    pub record: MemberRecord,
    /// Incremented by every change of the record: an edit names the version it was made from.
    pub version: i64,
    /// When the record last changed (Unix seconds; 0 if never since it was created).
    pub updated_at: i64,
}

pub(crate) const RECORD_COLUMNS: [&str; 19] = [
    "code",
    "full_name",
    "name_key",
    "sort_key",
    "sex",
    "birth_date",
    "ethnicity",
    "ethnicity_key",
    "religion",
    "religion_key",
    "home_town",
    "residence",
    "national_id",
    "general_education",
    "qualification",
    "theory_level",
    "occupation",
    "phone",
    "card_number",
];

/// Normalises the text of a record (NFC, single spaces).
pub fn normalise(record: &MemberRecord) -> MemberRecord {
    MemberRecord {
        code: clean(&record.code),
        full_name: clean(&record.full_name),
        ethnicity: clean(&record.ethnicity),
        religion: clean(&record.religion),
        home_town: clean(&record.home_town),
        residence: clean(&record.residence),
        national_id: clean(&record.national_id),
        occupation: clean(&record.occupation),
        phone: clean(&record.phone),
        card_number: clean(&record.card_number),
        ..record.clone()
    }
}

/// Checks a record: (field, message) for each problem.
pub fn validate(record: &MemberRecord, today: NaiveDate) -> Vec<(String, String)> {
    let mut problems = Vec::new();
    if record.code.is_empty() {
        problems.push((
            "code".to_string(),
            "mã đảng viên không được để trống".to_string(),
        ));
    }
    if record.full_name.is_empty() {
        problems.push((
            "full_name".to_string(),
            "họ và tên không được để trống".to_string(),
        ));
    }
    let earliest = NaiveDate::from_ymd_opt(1890, 1, 1).unwrap_or(NaiveDate::MIN);
    if record.birth_date < earliest || record.birth_date > today {
        problems.push((
            "birth_date".to_string(),
            "ngày sinh phải trong khoảng 1890 đến hôm nay".to_string(),
        ));
    }
    let id = &record.national_id;
    if !id.is_empty() && (id.len() != 12 || !id.chars().all(|c| c.is_ascii_digit())) {
        problems.push((
            "national_id".to_string(),
            "số CCCD gồm đúng 12 chữ số".to_string(),
        ));
    }
    problems.extend(record.text_problems());
    problems
}

pub(crate) fn record_values(record: &MemberRecord) -> Vec<Value> {
    vec![
        record.code.clone().into(),
        record.full_name.clone().into(),
        fold(&record.full_name).into(),
        person_sort_key(&record.full_name).into(),
        record.sex.code().into(),
        record.birth_date.into(),
        record.ethnicity.clone().into(),
        fold(&record.ethnicity).into(),
        record.religion.clone().into(),
        fold(&record.religion).into(),
        record.home_town.clone().into(),
        record.residence.clone().into(),
        record.national_id.clone().into(),
        Value::Text(record.general_education.map(|v| v.code().to_string())),
        Value::Text(record.qualification.map(|v| v.code().to_string())),
        Value::Text(record.theory_level.map(|v| v.code().to_string())),
        record.occupation.clone().into(),
        record.phone.clone().into(),
        record.card_number.clone().into(),
    ]
}

pub(crate) fn decode<T>(
    code: Option<String>,
    parse: fn(&str) -> Option<T>,
) -> std::result::Result<Option<T>, sqlx::Error> {
    code.map(|c| parse(&c).ok_or_else(|| sqlx::Error::Decode(format!("unknown code {c}").into())))
        .transpose()
}

/// Reads the personal fields of [`RECORD_COLUMNS`] from a row (of members, or of candidates, who
/// have the same fields).
macro_rules! record_from_row {
    ($row:ident) => {
        (|| -> std::result::Result<MemberRecord, sqlx::Error> {
            use dangbo_domain::members::{
                GeneralEducation, MemberRecord, Qualification, Sex, TheoryLevel,
            };
            use $crate::members::decode;
            Ok(MemberRecord {
                code: $row.try_get("code")?,
                full_name: $row.try_get("full_name")?,
                sex: decode(Some($row.try_get("sex")?), Sex::parse)?.unwrap_or(Sex::Male),
                birth_date: $row.try_get("birth_date")?,
                ethnicity: $row.try_get("ethnicity")?,
                religion: $row.try_get("religion")?,
                home_town: $row.try_get("home_town")?,
                residence: $row.try_get("residence")?,
                national_id: $row.try_get("national_id")?,
                general_education: decode(
                    $row.try_get("general_education")?,
                    GeneralEducation::parse,
                )?,
                qualification: decode($row.try_get("qualification")?, Qualification::parse)?,
                theory_level: decode($row.try_get("theory_level")?, TheoryLevel::parse)?,
                occupation: $row.try_get("occupation")?,
                phone: $row.try_get("phone")?,
                card_number: $row.try_get("card_number")?,
            })
        })()
    };
}
pub(crate) use record_from_row;

macro_rules! member_from_row {
    ($row:ident) => {
        (|| -> std::result::Result<Member, sqlx::Error> {
            Ok(Member {
                id: $row.try_get("id")?,
                version: $row.try_get("version")?,
                updated_at: $row.try_get("updated_at")?,
                record: record_from_row!($row)?,
            })
        })()
    };
}

/// A member's unit (id and path) on a day, if they were a member then.
pub(crate) async fn unit_on(
    tx: &mut Tx,
    member_id: i64,
    on: NaiveDate,
) -> Result<Option<(i64, String)>> {
    Ok(fetch_optional!(
        tx,
        format!(
            "SELECT unit_id, unit_path FROM member_spans WHERE member_id = $1 AND status <> '' \
             AND {} ORDER BY from_date DESC LIMIT 1",
            crate::engine::sql::in_force("from_date", "to_date", "$2")
        ),
        [member_id, on],
        |row| Ok((
            row.try_get::<i64, _>("unit_id")?,
            row.try_get::<String, _>("unit_path")?
        ))
    )?)
}

pub(crate) async fn by_id(tx: &mut Tx, id: i64) -> Result<Option<Member>> {
    Ok(fetch_optional!(
        tx,
        "SELECT * FROM members WHERE id = $1",
        [id],
        |row| member_from_row!(row)
    )?)
}

pub async fn by_code(tx: &mut Tx, code: &str) -> Result<Option<Member>> {
    let code = clean(code);
    if !may_name_a_record(&code) {
        return Ok(None);
    }
    Ok(fetch_optional!(
        tx,
        "SELECT * FROM members WHERE code = $1",
        [code],
        |row| member_from_row!(row)
    )?)
}

/// Overwrites a stored member's record with one already normalised and validated.
pub(crate) async fn update(tx: &mut Tx, id: i64, record: &MemberRecord) -> Result<()> {
    let assignments: Vec<String> = RECORD_COLUMNS
        .iter()
        .enumerate()
        .map(|(i, c)| format!("{c} = ${}", i + 1))
        .collect();
    let sql = format!(
        "UPDATE members SET {}, version = version + 1, updated_at = ${} WHERE id = ${}",
        assignments.join(", "),
        RECORD_COLUMNS.len() + 1,
        RECORD_COLUMNS.len() + 2
    );
    let mut values = record_values(record);
    values.push(chrono::Utc::now().timestamp().into());
    values.push(id.into());
    // The fields figures count (sex, age, ethnicity…) apply to the member's whole history.
    let before = crate::figures::summary::snapshot(tx, &[id]).await?;
    tx.execute_values(&sql, &values).await?;
    let after = crate::figures::summary::snapshot(tx, &[id]).await?;
    search::reindex(tx, &[id]).await?;
    crate::figures::summary::update(tx, before, after).await
}

/// Adds one member record (already normalised and validated, its code free); returns the id. Their
/// status and unit come from the events recorded next.
pub(crate) async fn create(tx: &mut Tx, record: &MemberRecord) -> Result<i64> {
    tx.insert_rows("members", &RECORD_COLUMNS, &[record_values(record)])
        .await?;
    let id = ids_by_code(tx, std::slice::from_ref(&record.code))
        .await?
        .remove(&record.code)
        .ok_or_else(|| crate::StoreError::NotFound(format!("đảng viên {}", record.code)))?;
    search::index_new(tx, &[id]).await?;
    Ok(id)
}

/// Every member record, in code order (for export).
pub async fn all(tx: &mut Tx) -> Result<Vec<Member>> {
    Ok(fetch_all!(
        tx,
        "SELECT * FROM members ORDER BY code",
        [],
        |row| member_from_row!(row)
    )?)
}

/// Placeholders `$1,…,$n` for an `IN (…)` list of codes, and the codes to bind to them; values
/// that cannot be codes are left out (they name no member).
fn code_list(codes: &[String]) -> (String, Vec<Value>) {
    let values: Vec<Value> = codes
        .iter()
        .filter(|c| may_name_a_record(c))
        .map(|c| c.clone().into())
        .collect();
    if values.is_empty() {
        // `IN (NULL)` matches nothing and is valid SQL on both engines.
        return ("NULL".to_string(), values);
    }
    let placeholders: Vec<String> = (1..=values.len()).map(|i| format!("${i}")).collect();
    (placeholders.join(","), values)
}

/// Members with the given codes, keyed by code.
pub async fn by_codes(
    tx: &mut Tx,
    codes: &[String],
) -> Result<std::collections::HashMap<String, Member>> {
    let mut out = std::collections::HashMap::new();
    for chunk in codes.chunks(500) {
        let (list, values) = code_list(chunk);
        let sql = format!("SELECT * FROM members WHERE code IN ({list})");
        let rows = fetch_all_values!(tx, sql, &values, |row| member_from_row!(row))?;
        out.extend(rows.into_iter().map(|m| (m.record.code.clone(), m)));
    }
    Ok(out)
}

/// Ids of the members with the given codes, keyed by code.
pub async fn ids_by_code(
    tx: &mut Tx,
    codes: &[String],
) -> Result<std::collections::HashMap<String, i64>> {
    let mut out = std::collections::HashMap::new();
    for chunk in codes.chunks(500) {
        let (list, values) = code_list(chunk);
        let sql = format!("SELECT id, code FROM members WHERE code IN ({list})");
        let rows = fetch_all_values!(tx, sql, &values, |row| Ok((
            row.try_get::<String, _>("code")?,
            row.try_get::<i64, _>("id")?
        )))?;
        out.extend(rows);
    }
    Ok(out)
}

/// The lowest and highest member ids ((0, -1) when there are none), for work done in id ranges.
pub(crate) async fn id_range(tx: &mut Tx) -> Result<(i64, i64)> {
    Ok(fetch_optional!(
        tx,
        "SELECT COALESCE(MIN(id), 0) AS lo, COALESCE(MAX(id), -1) AS hi FROM members",
        [],
        |row| Ok((row.try_get::<i64, _>("lo")?, row.try_get::<i64, _>("hi")?))
    )?
    .unwrap_or((0, -1)))
}

/// Fills the list sort key of members stored before it existed (migration 0002), in one transaction.
pub async fn fill_sort_keys(tx: &mut Tx) -> Result<usize> {
    let missing = fetch_all!(
        tx,
        "SELECT id, full_name FROM members WHERE sort_key = ''",
        [],
        |row| Ok((
            row.try_get::<i64, _>("id")?,
            row.try_get::<String, _>("full_name")?
        ))
    )?;
    for (id, name) in &missing {
        execute!(
            tx,
            "UPDATE members SET sort_key = $1 WHERE id = $2",
            [person_sort_key(name), *id]
        )?;
    }
    Ok(missing.len())
}
