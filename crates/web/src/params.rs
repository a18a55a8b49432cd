//! Request parameters that pages and the API share: the date and period of figures, and the
//! member list's filters. Both read them the same way, and a value that cannot be read is refused
//! with a message naming the field, never replaced by a default.

use chrono::{Datelike, NaiveDate};
use dangbo_domain::members::{GeneralEducation, MemberRecord, Qualification, Sex, TheoryLevel};
use dangbo_domain::text::{DateProblem, read_date};
use dangbo_store::access::{MemberQuery, Window};
use serde::Deserialize;

use crate::format::{self, query};

/// Problems with a request's fields: (field, message) pairs.
pub type Problems = Vec<(String, String)>;

/// A request's own problems (a date or number that does not read) followed by the writer's, without
/// a second word on a field already named.
pub fn merged(mut problems: Problems, more: Problems) -> Problems {
    for (field, message) in more {
        if !problems.iter().any(|(f, _)| *f == field) {
            problems.push((field, message));
        }
    }
    problems
}

/// An optional date field: empty is `None`; anything else must be a real date.
pub fn date_field(field: &str, value: &str, problems: &mut Problems) -> Option<NaiveDate> {
    match read_date(value) {
        Ok(date) => Some(date),
        Err(DateProblem::Empty) => None,
        Err(problem) => {
            problems.push((field.to_string(), problem.message(value)));
            None
        }
    }
}

/// A required date field.
pub fn required_date(field: &str, value: &str, problems: &mut Problems) -> Option<NaiveDate> {
    if value.trim().is_empty() {
        problems.push((field.to_string(), DateProblem::Empty.message(value)));
        return None;
    }
    date_field(field, value, problems)
}

/// An optional whole number from `min` to `max`.
pub fn number_field(
    field: &str,
    value: &str,
    (min, max): (u32, u32),
    problems: &mut Problems,
) -> Option<u32> {
    let value = value.trim();
    if value.is_empty() {
        return None;
    }
    match value.parse::<u32>() {
        Ok(n) if (min..=max).contains(&n) => Some(n),
        _ => {
            problems.push((
                field.to_string(),
                format!("«{value}» không hợp lệ: cần số nguyên từ {min} đến {max}"),
            ));
            None
        }
    }
}

/// The date and period a page is about, as the query string gives them.
#[derive(Deserialize, Default, Clone)]
pub struct WindowQuery {
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub as_of: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
}

impl WindowQuery {
    /// The window: as of the given date (today by default), for the period from 1 January of that
    /// date's year to that date unless the person set it. A date that cannot be read, or a period
    /// that ends before it starts, is refused.
    pub fn window(&self) -> Result<Window, Problems> {
        let mut problems = Vec::new();
        let as_of = date_field("as_of", &self.as_of, &mut problems);
        let from = date_field("from", &self.from, &mut problems);
        let to = date_field("to", &self.to, &mut problems);
        if !problems.is_empty() {
            return Err(problems);
        }
        let as_of = as_of.unwrap_or_else(format::today);
        let (from, to) = period_ending(from, to.unwrap_or(as_of))?;
        Ok(Window { as_of, from, to })
    }

    /// The query string that carries what the person set, to another page: a date or period left
    /// unset stays unset, so that the period follows the date.
    pub fn link(&self) -> String {
        query(&[
            ("unit", &self.unit),
            ("as_of", &self.as_of),
            ("from", &self.from),
            ("to", &self.to),
        ])
    }
}

/// A period from two typed dates: `to` today by default, `from` 1 January of `to`'s year; a date
/// that cannot be read, or a period that ends before it starts, is refused.
pub fn period(from: &str, to: &str) -> Result<(NaiveDate, NaiveDate), Problems> {
    let mut problems = Vec::new();
    let from = date_field("from", from, &mut problems);
    let to = date_field("to", to, &mut problems);
    if !problems.is_empty() {
        return Err(problems);
    }
    period_ending(from, to.unwrap_or_else(format::today))
}

/// The period ending `to`, from 1 January of its year unless `from` is given; a period that ends
/// before it starts is refused.
fn period_ending(
    from: Option<NaiveDate>,
    to: NaiveDate,
) -> Result<(NaiveDate, NaiveDate), Problems> {
    let from = from.unwrap_or_else(|| NaiveDate::from_ymd_opt(to.year(), 1, 1).unwrap_or(to));
    if from > to {
        return Err(vec![(
            "from".to_string(),
            format!(
                "đầu kỳ {} sau cuối kỳ {}: cần đầu kỳ không sau cuối kỳ",
                format::date(from),
                format::date(to)
            ),
        )]);
    }
    Ok((from, to))
}

#[derive(Deserialize, Default, Clone)]
pub struct ListQuery {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub sex: String,
    #[serde(default)]
    pub ethnicity: String,
    #[serde(default)]
    pub min_age: String,
    #[serde(default)]
    pub max_age: String,
    #[serde(default)]
    pub theory: String,
    /// Keyset cursor: "sort key|code" of the previous page's last row.
    #[serde(default)]
    pub after: String,
    /// "rows" asks for the table rows only (search as you type).
    #[serde(default)]
    pub partial: String,
}

impl ListQuery {
    /// The store's query, or the problems of the fields that cannot be read.
    pub fn to_store(&self, limit: usize) -> Result<MemberQuery, Problems> {
        use dangbo_domain::input::TextKind;
        // Texts are checked here, so that a search too long is a bad request like any other.
        let mut problems: Problems = dangbo_domain::input::problems([
            ("q", TextKind::Line, self.q.as_str()),
            ("ethnicity", TextKind::Short, self.ethnicity.as_str()),
            ("after", TextKind::Line, self.after.as_str()),
        ]);
        let date = date_field("date", &self.date, &mut problems);
        let min_age = number_field("min_age", &self.min_age, (0, 150), &mut problems);
        let max_age = number_field("max_age", &self.max_age, (0, 150), &mut problems);
        let sex = match self.sex.trim() {
            "" => None,
            text => {
                let sex = Sex::parse(text);
                if sex.is_none() {
                    problems.push((
                        "sex".to_string(),
                        format!("cần một trong: {}", Sex::expected_vi()),
                    ));
                }
                sex
            }
        };
        let status = match self.status.trim() {
            "" => None,
            s @ ("full" | "probationary") => Some(s.to_string()),
            other => {
                problems.push((
                    "status".to_string(),
                    format!("«{other}» không hợp lệ: cần full hoặc probationary"),
                ));
                None
            }
        };
        let after = match self.after.trim() {
            "" => None,
            cursor => match cursor.split_once('|') {
                Some((k, c)) => Some((k.to_string(), c.to_string())),
                None => {
                    problems.push((
                        "after".to_string(),
                        "con trỏ trang không hợp lệ: dùng giá trị `next` của trang trước"
                            .to_string(),
                    ));
                    None
                }
            },
        };
        if let (Some(min), Some(max)) = (min_age, max_age)
            && min > max
        {
            problems.push((
                "max_age".to_string(),
                format!("tuổi đến {max} nhỏ hơn tuổi từ {min}"),
            ));
        }
        let theory = self.theory.trim();
        if !theory.is_empty()
            && theory != "unknown"
            && dangbo_domain::members::TheoryLevel::parse(theory).is_none()
        {
            problems.push((
                "theory".to_string(),
                format!(
                    "«{theory}» không hợp lệ: cần một trong {} hoặc unknown",
                    dangbo_domain::members::TheoryLevel::ALL
                        .iter()
                        .map(|l| l.code())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(MemberQuery {
            unit: Some(self.unit.clone()).filter(|u| !u.trim().is_empty()),
            date,
            search: Some(self.q.clone()).filter(|s| !s.trim().is_empty()),
            status,
            sex,
            ethnicity: Some(self.ethnicity.clone()).filter(|s| !s.trim().is_empty()),
            min_age,
            max_age,
            theory_level: match theory {
                "" => None,
                "unknown" => Some("unknown".to_string()),
                other => {
                    dangbo_domain::members::TheoryLevel::parse(other).map(|l| l.code().to_string())
                }
            },
            // The first page says how many match; the next ones keep that count.
            count: after.is_none(),
            after,
            limit,
        })
    }

    /// The search and filters in words, for the title of an export ("tìm «an»; giới tính: Nữ").
    pub fn described(&self) -> String {
        use dangbo_domain::members::{Sex, TheoryLevel};
        let mut parts = Vec::new();
        if !self.q.trim().is_empty() {
            parts.push(format!("tìm «{}»", self.q.trim()));
        }
        if let Some(status) = dangbo_domain::members::events::MembershipStatus::parse(&self.status)
        {
            parts.push(format!("loại đảng viên: {}", status.label_vi()));
        }
        if let Some(sex) = Sex::parse(&self.sex) {
            parts.push(format!("giới tính: {}", sex.label_vi()));
        }
        if !self.ethnicity.trim().is_empty() {
            parts.push(format!("dân tộc: {}", self.ethnicity.trim()));
        }
        match (self.min_age.trim(), self.max_age.trim()) {
            ("", "") => {}
            (min, "") => parts.push(format!("từ {min} tuổi")),
            ("", max) => parts.push(format!("đến {max} tuổi")),
            (min, max) => parts.push(format!("từ {min} đến {max} tuổi")),
        }
        match self.theory.as_str() {
            "" => {}
            "unknown" => parts.push("lý luận chính trị: chưa ghi".into()),
            code => {
                if let Some(level) = TheoryLevel::parse(code) {
                    parts.push(format!("lý luận chính trị: {}", level.label_vi()));
                }
            }
        }
        parts.join("; ")
    }

    /// The filters as a query string (without the cursor).
    pub fn filters(&self) -> Vec<(&'static str, String)> {
        vec![
            ("q", self.q.clone()),
            ("unit", self.unit.clone()),
            ("date", self.date.clone()),
            ("status", self.status.clone()),
            ("sex", self.sex.clone()),
            ("ethnicity", self.ethnicity.clone()),
            ("min_age", self.min_age.clone()),
            ("max_age", self.max_age.clone()),
            ("theory", self.theory.clone()),
        ]
    }

    pub fn link(&self, path: &str, extra: &[(&'static str, String)]) -> String {
        let mut pairs = self.filters();
        pairs.extend(extra.iter().cloned());
        let borrowed: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
        format!("{path}{}", query(&borrowed))
    }
}

/// A member's record as a person or a script enters it, every value as text so that a refused form
/// shows what was typed.
#[derive(Deserialize, Default, Clone, utoipa::ToSchema)]
pub struct RecordForm {
    /// The record's version the form was filled from.
    #[serde(default)]
    pub version: String,
    #[serde(default)]
    pub full_name: String,
    #[serde(default)]
    pub sex: String,
    #[serde(default)]
    pub birth_date: String,
    #[serde(default)]
    pub ethnicity: String,
    #[serde(default)]
    pub religion: String,
    #[serde(default)]
    pub home_town: String,
    #[serde(default)]
    pub residence: String,
    #[serde(default)]
    pub national_id: String,
    #[serde(default)]
    pub general_education: String,
    #[serde(default)]
    pub qualification: String,
    #[serde(default)]
    pub theory_level: String,
    #[serde(default)]
    pub occupation: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub card_number: String,
}

impl RecordForm {
    /// Every field, as the API's body names them.
    pub const FIELDS: [&'static str; 15] = [
        "version",
        "full_name",
        "sex",
        "birth_date",
        "ethnicity",
        "religion",
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

    pub fn of(record: &MemberRecord, version: i64) -> RecordForm {
        RecordForm {
            version: version.to_string(),
            full_name: record.full_name.clone(),
            sex: record.sex.code().into(),
            birth_date: format::date(record.birth_date),
            ethnicity: record.ethnicity.clone(),
            religion: record.religion.clone(),
            home_town: record.home_town.clone(),
            residence: record.residence.clone(),
            national_id: record.national_id.clone(),
            general_education: record
                .general_education
                .map(|v| v.code().to_string())
                .unwrap_or_default(),
            qualification: record
                .qualification
                .map(|v| v.code().to_string())
                .unwrap_or_default(),
            theory_level: record
                .theory_level
                .map(|v| v.code().to_string())
                .unwrap_or_default(),
            occupation: record.occupation.clone(),
            phone: record.phone.clone(),
            card_number: record.card_number.clone(),
        }
    }

    /// The record, or the problems per field.
    pub fn parse(&self, code: &str) -> Result<MemberRecord, Vec<(String, String)>> {
        let mut problems = Vec::new();
        let sex = Sex::parse(&self.sex);
        if sex.is_none() {
            problems.push((
                "sex".to_string(),
                format!("cần một trong: {}", Sex::expected_vi()),
            ));
        }
        let birth = crate::params::required_date("birth_date", &self.birth_date, &mut problems);
        fn optional<T>(
            value: &str,
            field: &str,
            parse: fn(&str) -> Option<T>,
            expected: String,
            problems: &mut Vec<(String, String)>,
        ) -> Option<T> {
            if value.trim().is_empty() {
                return None;
            }
            let parsed = parse(value);
            if parsed.is_none() {
                problems.push((field.to_string(), format!("cần một trong: {expected}")));
            }
            parsed
        }
        let general_education = optional(
            &self.general_education,
            "general_education",
            GeneralEducation::parse,
            GeneralEducation::expected_vi(),
            &mut problems,
        );
        let qualification = optional(
            &self.qualification,
            "qualification",
            Qualification::parse,
            Qualification::expected_vi(),
            &mut problems,
        );
        let theory_level = optional(
            &self.theory_level,
            "theory_level",
            TheoryLevel::parse,
            TheoryLevel::expected_vi(),
            &mut problems,
        );
        let (Some(sex), Some(birth_date)) = (sex, birth) else {
            return Err(problems);
        };
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(MemberRecord {
            code: code.to_string(),
            full_name: self.full_name.clone(),
            sex,
            birth_date,
            ethnicity: self.ethnicity.clone(),
            religion: self.religion.clone(),
            home_town: self.home_town.clone(),
            residence: self.residence.clone(),
            national_id: self.national_id.clone(),
            general_education,
            qualification,
            theory_level,
            occupation: self.occupation.clone(),
            phone: self.phone.clone(),
            card_number: self.card_number.clone(),
        })
    }
}

/// An event as a person or a script enters it: the member page's form and the API's body.
#[derive(Deserialize, Default, Clone, utoipa::ToSchema)]
pub struct EventForm {
    /// Event kind code or Vietnamese label (admission, full_membership, transfer_in, …).
    #[serde(default)]
    pub kind: String,
    /// dd/mm/yyyy or yyyy-mm-dd.
    #[serde(default)]
    pub date: String,
    /// The admission ceremony's date (admission, readmission).
    #[serde(default)]
    pub ceremony_date: String,
    /// When an exemption or suspension ends.
    #[serde(default)]
    pub end_date: String,
    #[serde(default)]
    pub decision_number: String,
    #[serde(default)]
    pub issuing_body: String,
    /// The destination unit's code (transfers, admission).
    #[serde(default)]
    pub to_unit: String,
    #[serde(default)]
    pub external_unit: String,
    #[serde(default)]
    pub note: String,
}

impl EventForm {
    pub fn input(&self) -> dangbo_store::access::EventInput {
        dangbo_store::access::EventInput {
            kind: self.kind.clone(),
            date: self.date.clone(),
            ceremony_date: self.ceremony_date.clone(),
            end_date: self.end_date.clone(),
            decision_number: self.decision_number.clone(),
            issuing_body: self.issuing_body.clone(),
            to_unit: self.to_unit.clone(),
            external_unit: self.external_unit.clone(),
            note: self.note.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn window(as_of: &str, from: &str, to: &str) -> Result<Window, Problems> {
        WindowQuery {
            unit: String::new(),
            as_of: as_of.into(),
            from: from.into(),
            to: to.into(),
        }
        .window()
    }

    #[test]
    fn the_period_follows_the_date_unless_set() {
        let w = window("15/03/2021", "", "").unwrap();
        assert_eq!(w.from, NaiveDate::from_ymd_opt(2021, 1, 1).unwrap());
        assert_eq!(w.to, NaiveDate::from_ymd_opt(2021, 3, 15).unwrap());
        let w = window("15/03/2021", "01/06/2020", "31/12/2020").unwrap();
        assert_eq!(w.from, NaiveDate::from_ymd_opt(2020, 6, 1).unwrap());
    }

    #[test]
    fn bad_dates_and_reversed_periods_are_refused() {
        let problems = window("31/02/2026", "", "").unwrap_err();
        assert_eq!(problems[0].0, "as_of");
        assert!(problems[0].1.contains("không phải là ngày có thật"));
        let problems = window("", "01/07/2021", "30/06/2021").unwrap_err();
        assert_eq!(problems[0].0, "from");
        assert!(window("hôm nay", "", "").is_err());
    }
}
