//! Political education and training (DOMAIN.md §5): study sessions on a document or a topic with
//! their attendance, and a person's political-theory, general-education and professional levels
//! as dated facts, of which figures "as of D" take the highest held on D (the statistics count
//! the highest only). Pure rules, no I/O.

use chrono::NaiveDate;

use crate::members::{GeneralEducation, Qualification, TheoryLevel};

vocabulary!(
    /// What a study session is.
    StudyKind {
        ResolutionStudy => "resolution_study", "Học tập, quán triệt nghị quyết", ["quan triet", "hoc tap nghi quyet"];
        TheoryTraining => "theory_training", "Bồi dưỡng lý luận chính trị", ["boi duong ly luan"];
        ProfessionalTraining => "professional_training", "Bồi dưỡng nghiệp vụ", ["boi duong nghiep vu", "tap huan"];
        ThematicMeeting => "thematic_meeting", "Sinh hoạt chuyên đề", ["chuyen de"];
    }
);

vocabulary!(
    /// A member's attendance of a session.
    Attendance {
        Present => "present", "Có mặt", ["co mat", "x"];
        Excused => "excused", "Vắng có lý do", ["vang co ly do", "co phep"];
        Absent => "absent", "Vắng không lý do", ["vang", "khong phep"];
    }
);

impl Attendance {
    pub fn attended(self) -> bool {
        self == Attendance::Present
    }
}

/// A level reached on a day, with the diploma (or equivalence certificate) that proves it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fact<L> {
    pub level: L,
    pub on: NaiveDate,
    pub institution: String,
    pub diploma: String,
}

/// The highest level reached on or before `day`; `None` before the first fact.
pub fn level_on<L: Ord + Copy>(facts: &[Fact<L>], day: NaiveDate) -> Option<L> {
    facts.iter().filter(|f| f.on <= day).map(|f| f.level).max()
}

/// The three kinds of level a person's facts are about.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Training {
    pub theory: Vec<Fact<TheoryLevel>>,
    pub education: Vec<Fact<GeneralEducation>>,
    pub qualification: Vec<Fact<Qualification>>,
}

impl Training {
    /// What the person holds on a day, for the standards (`crate::cadres::standards`).
    pub fn levels_on(&self, day: NaiveDate) -> crate::cadres::standards::Levels {
        crate::cadres::standards::Levels {
            theory: level_on(&self.theory, day),
            education: level_on(&self.education, day),
            qualification: level_on(&self.qualification, day),
        }
    }
}

/// A session's attendance as counts, when only counts are known (lượt): the attendances and
/// those expected. Refused when more attended than were expected.
pub fn check_counts(attended: u32, expected: Option<u32>) -> Result<(), String> {
    match expected {
        Some(expected) if attended > expected => Err(format!(
            "{attended} lượt có mặt nhiều hơn {expected} người được triệu tập"
        )),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn fact(level: TheoryLevel, on: NaiveDate) -> Fact<TheoryLevel> {
        Fact {
            level,
            on,
            institution: "Trường Chính trị tỉnh".into(),
            diploma: String::new(),
        }
    }

    #[test]
    fn a_level_raised_in_2020_counts_from_its_day() {
        let facts = [
            fact(TheoryLevel::Elementary, d(2012, 6, 1)),
            fact(TheoryLevel::Intermediate, d(2020, 9, 15)),
        ];
        assert_eq!(level_on(&facts, d(2011, 12, 31)), None);
        assert_eq!(
            level_on(&facts, d(2019, 12, 31)),
            Some(TheoryLevel::Elementary)
        );
        assert_eq!(
            level_on(&facts, d(2020, 9, 15)),
            Some(TheoryLevel::Intermediate)
        );
        assert_eq!(
            level_on(&facts, d(2021, 12, 31)),
            Some(TheoryLevel::Intermediate)
        );
        // A lower level recorded later (a second diploma) does not lower what is held.
        let more = [
            fact(TheoryLevel::Advanced, d(2015, 1, 1)),
            fact(TheoryLevel::Elementary, d(2016, 1, 1)),
        ];
        assert_eq!(level_on(&more, d(2017, 1, 1)), Some(TheoryLevel::Advanced));
        let training = Training {
            theory: facts.to_vec(),
            ..Training::default()
        };
        assert_eq!(
            training.levels_on(d(2019, 1, 1)).theory,
            Some(TheoryLevel::Elementary)
        );
        assert_eq!(training.levels_on(d(2019, 1, 1)).education, None);
    }

    #[test]
    fn attendance_words_and_counts() {
        assert_eq!(
            Attendance::parse("vắng có lý do"),
            Some(Attendance::Excused)
        );
        assert!(Attendance::Present.attended() && !Attendance::Excused.attended());
        assert_eq!(
            StudyKind::parse("Sinh hoạt chuyên đề"),
            Some(StudyKind::ThematicMeeting)
        );
        assert!(check_counts(40, Some(45)).is_ok());
        assert!(check_counts(46, Some(45)).is_err());
        assert!(check_counts(46, None).is_ok());
    }
}
