//! Members: the personal record and its classifications ([`events`] and the [`history`] derived
//! from them, [`seniority`], the membership [`rules`] by edition, and the members' [`figures`]).

pub mod events;
pub mod figures;
pub mod history;
pub mod rules;
pub mod seniority;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::text::fold;

vocabulary!(
    /// Giới tính.
    Sex {
        Male => "male", "Nam", ["m"];
        Female => "female", "Nữ", ["f", "nu"];
    }
);

vocabulary!(
    /// Giáo dục phổ thông: the highest general-education level finished.
    GeneralEducation {
        Primary => "primary", "Tiểu học", ["5/12", "cap 1"];
        LowerSecondary => "lower_secondary", "Trung học cơ sở", ["thcs", "9/12", "cap 2"];
        UpperSecondary => "upper_secondary", "Trung học phổ thông", ["thpt", "12/12", "cap 3"];
    }
);

vocabulary!(
    /// Chuyên môn, nghiệp vụ: the highest professional qualification.
    Qualification {
        None => "none", "Chưa qua đào tạo", ["khong"];
        Vocational => "vocational", "Sơ cấp", ["so cap nghe"];
        Intermediate => "intermediate", "Trung cấp";
        College => "college", "Cao đẳng";
        University => "university", "Đại học";
        Master => "master", "Thạc sĩ";
        Doctor => "doctor", "Tiến sĩ";
    }
);

vocabulary!(
    /// Lý luận chính trị: the highest political-theory level (statistics count the highest only).
    TheoryLevel {
        None => "none", "Chưa qua đào tạo", ["khong"];
        Elementary => "elementary", "Sơ cấp";
        Intermediate => "intermediate", "Trung cấp";
        Advanced => "advanced", "Cao cấp";
        Bachelor => "bachelor", "Cử nhân";
    }
);

/// The name DOMAIN.md and the statistics forms use for the majority ethnic group.
pub const MAJORITY_ETHNICITY: &str = "Kinh";

/// True when the ethnicity is one of the minorities (anything recorded other than Kinh).
pub fn is_ethnic_minority(ethnicity: &str) -> bool {
    let key = fold(ethnicity);
    !key.is_empty() && key != "kinh"
}

/// True when a religion is recorded ("Không" and an empty cell mean none).
pub fn has_religion(religion: &str) -> bool {
    let key = fold(religion);
    !key.is_empty() && key != "khong"
}

/// The personal record (lý lịch) of a member or candidate. Text is stored in NFC.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberRecord {
    /// The member's code in this system (mã đảng viên): the key of import rows.
    pub code: String,
    pub full_name: String,
    pub sex: Sex,
    pub birth_date: NaiveDate,
    pub ethnicity: String,
    pub religion: String,
    pub home_town: String,
    pub residence: String,
    pub national_id: String,
    pub general_education: Option<GeneralEducation>,
    pub qualification: Option<Qualification>,
    pub theory_level: Option<TheoryLevel>,
    pub occupation: String,
    pub phone: String,
    pub card_number: String,
}

impl MemberRecord {
    /// The text fields their kind does not take, as (field, Vietnamese message); the fields are
    /// named as the record's form and API name them.
    pub fn text_problems(&self) -> Vec<(String, String)> {
        use crate::input::{TextKind, problems};
        problems([
            ("code", TextKind::Code, self.code.as_str()),
            ("full_name", TextKind::Name, &self.full_name),
            ("ethnicity", TextKind::Short, &self.ethnicity),
            ("religion", TextKind::Short, &self.religion),
            ("home_town", TextKind::Line, &self.home_town),
            ("residence", TextKind::Line, &self.residence),
            ("national_id", TextKind::Short, &self.national_id),
            ("occupation", TextKind::Line, &self.occupation),
            ("phone", TextKind::Short, &self.phone),
            ("card_number", TextKind::Short, &self.card_number),
        ])
    }
}

/// Completed years between two dates (age on `on`, for someone born on `from`).
pub fn years_between(from: NaiveDate, on: NaiveDate) -> i32 {
    use chrono::Datelike;
    let mut years = on.year() - from.year();
    if (on.month(), on.day()) < (from.month(), from.day()) {
        years -= 1;
    }
    years
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vocabularies_parse_labels_codes_and_aliases() {
        assert_eq!(Sex::parse("Nữ"), Some(Sex::Female));
        assert_eq!(Sex::parse("nu"), Some(Sex::Female));
        assert_eq!(Sex::parse("NAM"), Some(Sex::Male));
        assert_eq!(Sex::parse("khác"), None);
        assert_eq!(
            GeneralEducation::parse("12/12"),
            Some(GeneralEducation::UpperSecondary)
        );
        assert_eq!(TheoryLevel::parse("cao cap"), Some(TheoryLevel::Advanced));
        assert_eq!(TheoryLevel::parse("Cử nhân"), Some(TheoryLevel::Bachelor));
        for level in TheoryLevel::ALL {
            assert_eq!(TheoryLevel::parse(level.label_vi()), Some(*level));
        }
    }

    #[test]
    fn minorities_and_religion() {
        assert!(!is_ethnic_minority("Kinh"));
        assert!(!is_ethnic_minority("kinh"));
        assert!(is_ethnic_minority("Tày"));
        assert!(is_ethnic_minority("H'Mông"));
        assert!(!has_religion("Không"));
        assert!(!has_religion(""));
        assert!(has_religion("Phật giáo"));
    }

    #[test]
    fn age_in_completed_years() {
        let born = NaiveDate::from_ymd_opt(1990, 6, 15).unwrap();
        assert_eq!(
            years_between(born, NaiveDate::from_ymd_opt(2020, 6, 14).unwrap()),
            29
        );
        assert_eq!(
            years_between(born, NaiveDate::from_ymd_opt(2020, 6, 15).unwrap()),
            30
        );
    }
}
