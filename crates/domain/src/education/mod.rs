//! Political education and training (DOMAIN.md §5): study sessions on a document or a topic with
//! their attendance, and a person's political-theory, general-education and professional levels
//! as dated facts, of which figures "as of D" take the highest held on D (the statistics count
//! the highest only). Pure rules, no I/O.

pub mod figures;

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

vocabulary!(
    /// What a training fact is about (the three levels the statistics count).
    TrainingKind {
        Theory => "theory", "Lý luận chính trị", ["ly luan", "llct"];
        Education => "education", "Giáo dục phổ thông", ["van hoa", "gdpt"];
        Qualification => "qualification", "Chuyên môn, nghiệp vụ", ["chuyen mon"];
    }
);

impl TrainingKind {
    /// The level codes of this kind, lowest first.
    pub fn levels(self) -> Vec<&'static str> {
        match self {
            TrainingKind::Theory => TheoryLevel::ALL.iter().map(|l| l.code()).collect(),
            TrainingKind::Education => GeneralEducation::ALL.iter().map(|l| l.code()).collect(),
            TrainingKind::Qualification => Qualification::ALL.iter().map(|l| l.code()).collect(),
        }
    }

    /// A level's rank among this kind's levels (0 the lowest), from its code or words.
    pub fn parse_level(self, input: &str) -> Option<(usize, &'static str)> {
        let code = match self {
            TrainingKind::Theory => TheoryLevel::parse(input).map(|l| l.code()),
            TrainingKind::Education => GeneralEducation::parse(input).map(|l| l.code()),
            TrainingKind::Qualification => Qualification::parse(input).map(|l| l.code()),
        }?;
        let rank = self.levels().iter().position(|c| *c == code)?;
        Some((rank, code))
    }

    /// A level's Vietnamese label, from its code.
    pub fn level_label_vi(self, code: &str) -> Option<&'static str> {
        match self {
            TrainingKind::Theory => TheoryLevel::parse(code).map(|l| l.label_vi()),
            TrainingKind::Education => GeneralEducation::parse(code).map(|l| l.label_vi()),
            TrainingKind::Qualification => Qualification::parse(code).map(|l| l.label_vi()),
        }
    }

    /// The levels a person may name, for an error message.
    pub fn expected_levels_vi(self) -> String {
        match self {
            TrainingKind::Theory => TheoryLevel::expected_vi(),
            TrainingKind::Education => GeneralEducation::expected_vi(),
            TrainingKind::Qualification => Qualification::expected_vi(),
        }
    }

    /// The member record's field that keeps the latest level of this kind.
    pub fn member_field(self) -> &'static str {
        match self {
            TrainingKind::Theory => "theory_level",
            TrainingKind::Education => "general_education",
            TrainingKind::Qualification => "qualification",
        }
    }
}

/// The level held over time from dated facts of one kind, as (first day, level code) pieces,
/// oldest first: each piece starts where a fact raises the highest level reached so far. Before
/// the first piece the level is not known.
pub fn level_history(
    kind: TrainingKind,
    facts: &[(NaiveDate, &str)],
) -> Vec<(NaiveDate, &'static str)> {
    let mut dated: Vec<(NaiveDate, usize, &'static str)> = facts
        .iter()
        .filter_map(|(on, code)| kind.parse_level(code).map(|(rank, code)| (*on, rank, code)))
        .collect();
    dated.sort();
    let mut out: Vec<(NaiveDate, &'static str)> = Vec::new();
    let mut best: Option<usize> = None;
    for (on, rank, code) in dated {
        if best.is_some_and(|b| b >= rank) {
            continue;
        }
        best = Some(rank);
        match out.last_mut() {
            Some(last) if last.0 == on => last.1 = code,
            _ => out.push((on, code)),
        }
    }
    out
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
    fn the_history_of_a_level_keeps_the_highest_reached() {
        let facts = [
            (d(2020, 9, 15), "intermediate"),
            (d(2012, 6, 1), "elementary"),
            // A lower diploma later changes nothing; two on one day keep the higher.
            (d(2021, 1, 1), "elementary"),
            (d(2023, 5, 1), "advanced"),
            (d(2023, 5, 1), "bachelor"),
            (d(2024, 1, 1), "not a level"),
        ];
        assert_eq!(
            level_history(TrainingKind::Theory, &facts),
            vec![
                (d(2012, 6, 1), "elementary"),
                (d(2020, 9, 15), "intermediate"),
                (d(2023, 5, 1), "bachelor"),
            ]
        );
        assert_eq!(
            TrainingKind::Education.parse_level("12/12"),
            Some((2, "upper_secondary"))
        );
        assert_eq!(
            TrainingKind::Qualification.parse_level("Đại học"),
            Some((4, "university"))
        );
        assert_eq!(TrainingKind::Theory.parse_level("Cao đẳng"), None);
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
