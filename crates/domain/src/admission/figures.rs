//! The figures of the admission pipeline: candidates with an open file on the date, by the stage
//! their file had reached then; files opened (nominations), decided and stopped in the period;
//! and admissions by who was admitted (women, ethnic minorities, religious people), counted from
//! the member history like every admission.

use crate::figures::{Definition, Timing};
use crate::members::Sex;

use super::Stage;

/// Which candidates a count keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CandidatesCounted {
    /// Files open on the date: nominated by then, neither admitted nor stopped by then.
    Open,
    /// Files whose last step by the date reached this stage.
    At(Stage),
    /// Files that reached this stage in the period (nominated, decided, stopped).
    Reached(Stage),
}

/// The stages an open file can be at.
const OPEN: [Stage; 8] = [
    Stage::Nominated,
    Stage::ClassPassed,
    Stage::Applied,
    Stage::Vetted,
    Stage::MassOrganization,
    Stage::BranchResolution,
    Stage::CommitteeResolution,
    Stage::Decided,
];

/// The counts the catalogue lists.
pub fn counts() -> Vec<(Definition, CandidatesCounted)> {
    let mut list = vec![(
        Definition::count(
            "candidates.total",
            "Quần chúng đang được xem xét kết nạp",
            Timing::Stock,
        ),
        CandidatesCounted::Open,
    )];
    list.extend(OPEN.iter().map(|&stage| {
        (
            Definition::count(
                &format!("candidates.stage.{}", stage.code()),
                &format!("Hồ sơ ở bước: {}", stage.label_vi().to_lowercase()),
                Timing::Stock,
            ),
            CandidatesCounted::At(stage),
        )
    }));
    for (key, label, stage) in [
        (
            "candidates.new",
            "Quần chúng ưu tú được giới thiệu mới",
            Stage::Nominated,
        ),
        (
            "candidates.decided",
            "Hồ sơ có quyết định kết nạp",
            Stage::Decided,
        ),
        ("candidates.stopped", "Hồ sơ dừng xem xét", Stage::Stopped),
    ] {
        list.push((
            Definition::count(key, label, Timing::Flow),
            CandidatesCounted::Reached(stage),
        ));
    }
    list
}

/// What a count of awareness classes keeps: the classes that ended in the period, their trainees,
/// and those who passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClassesCounted {
    Held,
    Trainees,
    Passed,
}

/// The awareness classes' counts.
pub fn class_counts() -> Vec<(Definition, ClassesCounted)> {
    [
        (
            "classes.held",
            "Lớp bồi dưỡng nhận thức về Đảng đã mở",
            ClassesCounted::Held,
        ),
        (
            "classes.trainees",
            "Lượt học viên lớp nhận thức về Đảng",
            ClassesCounted::Trainees,
        ),
        (
            "classes.passed",
            "Học viên được cấp giấy chứng nhận",
            ClassesCounted::Passed,
        ),
    ]
    .into_iter()
    .map(|(key, label, counted)| (Definition::count(key, label, Timing::Flow), counted))
    .collect()
}

/// Who an admission count keeps, by the admitted member's record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdmittedWho {
    Sex(Sex),
    EthnicMinority,
    Religious,
}

/// Admissions (first or again) by who was admitted.
pub fn admission_counts() -> Vec<(Definition, AdmittedWho)> {
    [
        (
            "admissions.female",
            "Kết nạp đảng viên nữ",
            AdmittedWho::Sex(Sex::Female),
        ),
        (
            "admissions.ethnic_minority",
            "Kết nạp đảng viên người dân tộc thiểu số",
            AdmittedWho::EthnicMinority,
        ),
        (
            "admissions.religious",
            "Kết nạp đảng viên có tôn giáo",
            AdmittedWho::Religious,
        ),
    ]
    .into_iter()
    .map(|(key, label, who)| (Definition::count(key, label, Timing::Flow), who))
    .collect()
}

/// The shares of the period's admissions reports quote ("admitted 103, 45 % women").
pub fn ratios() -> Vec<Definition> {
    [
        ("admissions.female", "Tỷ lệ nữ trong số kết nạp"),
        (
            "admissions.ethnic_minority",
            "Tỷ lệ người dân tộc thiểu số trong số kết nạp",
        ),
    ]
    .into_iter()
    .map(|(numerator, label)| {
        Definition::ratio(
            &format!("{numerator}.share"),
            label,
            numerator,
            "admissions",
        )
    })
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_open_stage_has_its_count_and_keys_are_unique() {
        let list = counts();
        for stage in OPEN {
            assert!(list.iter().any(|(d, c)| *c == CandidatesCounted::At(stage)
                && d.key == format!("candidates.stage.{}", stage.code())));
        }
        let mut keys: Vec<String> = list
            .iter()
            .map(|(d, _)| d.key.clone())
            .chain(admission_counts().into_iter().map(|(d, _)| d.key))
            .chain(ratios().into_iter().map(|d| d.key))
            .collect();
        let n = keys.len();
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), n);
    }
}
