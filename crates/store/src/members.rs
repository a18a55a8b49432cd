//! Members' personal records. Status and unit are never stored here: they come from events.

use chrono::NaiveDate;
use dangbo_domain::member::{GeneralEducation, MemberRecord, Qualification, Sex, TheoryLevel};
use dangbo_domain::text::{clean, compare_person_names, fold, person_sort_key};
use serde::Serialize;

use crate::db::Value;
use crate::sql::{in_force, in_subtree};
use crate::units::{Unit, subtree_bounds};
use crate::{Result, StoreError, Tx};

/// A stored member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Member {
    pub id: i64,
    #[serde(flatten)]
    pub record: MemberRecord,
}

/// What writing a record did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Created,
    Updated,
    Unchanged,
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
pub fn validate(record: &MemberRecord, today: NaiveDate) -> Vec<(&'static str, String)> {
    let mut problems = Vec::new();
    if record.code.is_empty() {
        problems.push(("code", "mã đảng viên không được để trống".to_string()));
    }
    if record.full_name.is_empty() {
        problems.push(("full_name", "họ và tên không được để trống".to_string()));
    }
    let earliest = NaiveDate::from_ymd_opt(1890, 1, 1).unwrap_or(NaiveDate::MIN);
    if record.birth_date < earliest || record.birth_date > today {
        problems.push((
            "birth_date",
            "ngày sinh phải trong khoảng 1890 đến hôm nay".to_string(),
        ));
    }
    let id = &record.national_id;
    if !id.is_empty() && (id.len() != 12 || !id.chars().all(|c| c.is_ascii_digit())) {
        problems.push(("national_id", "số CCCD gồm đúng 12 chữ số".to_string()));
    }
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

fn decode<T>(
    code: Option<String>,
    parse: fn(&str) -> Option<T>,
) -> std::result::Result<Option<T>, sqlx::Error> {
    code.map(|c| parse(&c).ok_or_else(|| sqlx::Error::Decode(format!("unknown code {c}").into())))
        .transpose()
}

macro_rules! member_from_row {
    ($row:ident) => {
        (|| -> std::result::Result<Member, sqlx::Error> {
            Ok(Member {
                id: $row.try_get("id")?,
                record: MemberRecord {
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
                },
            })
        })()
    };
}

pub async fn by_code(tx: &mut Tx, code: &str) -> Result<Option<Member>> {
    Ok(fetch_optional!(
        tx,
        "SELECT * FROM members WHERE code = $1",
        [clean(code)],
        |row| member_from_row!(row)
    )?)
}

pub async fn require(tx: &mut Tx, code: &str) -> Result<Member> {
    by_code(tx, code)
        .await?
        .ok_or_else(|| StoreError::NotFound(format!("đảng viên có mã \"{}\"", clean(code))))
}

/// Creates or updates a member's record by code; writes nothing if it is unchanged.
pub async fn upsert(tx: &mut Tx, record: &MemberRecord) -> Result<(i64, Change)> {
    let record = normalise(record);
    let problems = validate(&record, chrono::Local::now().date_naive());
    if let Some((_, message)) = problems.first() {
        return Err(StoreError::Invalid(format!(
            "đảng viên {}: {message}",
            record.code
        )));
    }
    match by_code(tx, &record.code).await? {
        Some(existing) if existing.record == record => Ok((existing.id, Change::Unchanged)),
        Some(existing) => {
            update(tx, existing.id, &record).await?;
            Ok((existing.id, Change::Updated))
        }
        None => {
            let placeholders: Vec<String> = (1..=RECORD_COLUMNS.len())
                .map(|i| format!("${i}"))
                .collect();
            let sql = format!(
                "INSERT INTO members ({}) VALUES ({}) RETURNING id",
                RECORD_COLUMNS.join(", "),
                placeholders.join(", ")
            );
            let ids = fetch_all_values!(tx, sql, &record_values(&record), |row| row
                .try_get::<i64, _>("id"))?;
            let id = ids.first().copied().ok_or_else(|| {
                StoreError::Invalid(format!("không ghi được đảng viên {}", record.code))
            })?;
            Ok((id, Change::Created))
        }
    }
}

/// Overwrites a stored member's record with one already normalised and validated.
pub(crate) async fn update(tx: &mut Tx, id: i64, record: &MemberRecord) -> Result<()> {
    let assignments: Vec<String> = RECORD_COLUMNS
        .iter()
        .enumerate()
        .map(|(i, c)| format!("{c} = ${}", i + 1))
        .collect();
    let sql = format!(
        "UPDATE members SET {} WHERE id = ${}",
        assignments.join(", "),
        RECORD_COLUMNS.len() + 1
    );
    let mut values = record_values(record);
    values.push(id.into());
    tx.execute_values(&sql, &values).await?;
    Ok(())
}

/// A member in a list: who, where and with which status on the list's date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Listing {
    pub code: String,
    pub full_name: String,
    pub sex: String,
    pub birth_date: NaiveDate,
    pub unit_code: String,
    pub status: String,
}

/// Members active in the subtree of `unit` on `date`, optionally only those whose name matches
/// `search` ignoring tone marks and case; in Vietnamese order (given name, then the rest).
pub async fn active_in(
    tx: &mut Tx,
    unit: &Unit,
    date: NaiveDate,
    search: Option<&str>,
) -> Result<Vec<Listing>> {
    let (lo, hi) = subtree_bounds(&unit.path);
    let pattern = format!("%{}%", fold(search.unwrap_or("")).replace(['%', '_'], ""));
    let sql = format!(
        "SELECT m.code, m.full_name, m.sex, m.birth_date, u.code AS unit_code, s.status \
         FROM member_spans s JOIN members m ON m.id = s.member_id JOIN units u ON u.id = s.unit_id \
         WHERE {} AND {} AND m.name_key LIKE $4",
        in_subtree("s.unit_path", "$1", "$2"),
        in_force("s.from_date", "s.to_date", "$3")
    );
    let mut list = fetch_all!(tx, sql, [lo, hi, date, pattern], |row| Ok(Listing {
        code: row.try_get("code")?,
        full_name: row.try_get("full_name")?,
        sex: row.try_get("sex")?,
        birth_date: row.try_get("birth_date")?,
        unit_code: row.try_get("unit_code")?,
        status: row.try_get("status")?,
    }))?;
    list.sort_by(|a, b| {
        compare_person_names(&a.full_name, &b.full_name).then_with(|| a.code.cmp(&b.code))
    });
    Ok(list)
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

/// Placeholders `$1,…,$n` for an `IN (…)` list of codes, and the codes to bind to them.
fn code_list(codes: &[String]) -> (String, Vec<Value>) {
    let placeholders: Vec<String> = (1..=codes.len()).map(|i| format!("${i}")).collect();
    (
        placeholders.join(","),
        codes.iter().map(|c| c.clone().into()).collect(),
    )
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
