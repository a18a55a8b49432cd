//! The members' figures: counts of members active on a date (by status, sex, ethnicity, age,
//! education, theory level…) and of events in a period (admissions, transfers, deaths…), with the
//! shares reports quote. Each is a condition as data; the store turns it into SQL.

use crate::figures::{Definition, Timing};
use crate::members::events::{EventKind, MembershipStatus};
use crate::members::{GeneralEducation, Qualification, Sex, TheoryLevel};
use crate::text::fold;

/// What a member figure counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MemberMeasure {
    /// Members active in the subtree on the date, restricted by a condition.
    Members(MemberCondition),
    /// Events dated within the period, counted in the subtree where they happened.
    Events(EventCondition),
}

/// A condition on a member active on the date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MemberCondition {
    All,
    Status(MembershipStatus),
    Sex(Sex),
    EthnicMinority,
    /// Ethnicity by its folded name ("tay", "h'mong").
    Ethnicity(String),
    Religious,
    /// Religion by its folded name.
    Religion(String),
    Exempt,
    Suspended,
    /// Age on the date in completed years, from `min` to `max` inclusive (`None`: no upper bound).
    AgeBetween(u32, Option<u32>),
    Education(Option<GeneralEducation>),
    Qualification(Option<Qualification>),
    /// Theory level; `None` counts members with no level recorded.
    Theory(Option<TheoryLevel>),
    /// Cao cấp and cử nhân together (statistics count them as one group).
    TheoryAdvancedOrBachelor,
}

/// Which events a flow figure counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventCondition {
    /// Events of these kinds recorded in a unit of the subtree (restructure moves excluded).
    Kinds(Vec<EventKind>),
    /// Permanent transfers whose destination is in the subtree and whose origin is not.
    TransfersIn,
    /// Permanent transfers whose origin is in the subtree and whose destination is not.
    TransfersOut,
    /// Moves made by restructuring the tree, arriving in the subtree from outside it.
    RestructureMovesIn,
    /// Moves made by restructuring the tree, leaving the subtree for a unit outside it.
    RestructureMovesOut,
    /// Members placed in a branch of the subtree when the roster was brought in, having joined
    /// the Party before the branch was founded (a placement, not a transfer).
    InitialPlacements,
}

/// Age bands of the statistics forms: (key suffix, min, max).
pub const AGE_BANDS: [(&str, u32, Option<u32>); 6] = [
    ("18_30", 0, Some(30)),
    ("31_40", 31, Some(40)),
    ("41_50", 41, Some(50)),
    ("51_60", 51, Some(60)),
    ("61_70", 61, Some(70)),
    ("71_plus", 71, None),
];

/// The members' counts, in the order reports list them.
pub fn counts() -> Vec<(Definition, MemberMeasure)> {
    use MemberCondition as M;
    let member = |key: &str, label: &str, condition: MemberCondition| {
        (
            Definition::count(key, label, Timing::Stock),
            MemberMeasure::Members(condition),
        )
    };
    let mut figures = vec![
        member("members.total", "Tổng số đảng viên", M::All),
        member(
            "members.full",
            "Đảng viên chính thức",
            M::Status(MembershipStatus::Full),
        ),
        member(
            "members.probationary",
            "Đảng viên dự bị",
            M::Status(MembershipStatus::Probationary),
        ),
        member("members.male", "Đảng viên nam", M::Sex(Sex::Male)),
        member("members.female", "Đảng viên nữ", M::Sex(Sex::Female)),
        member(
            "members.ethnic_minority",
            "Đảng viên người dân tộc thiểu số",
            M::EthnicMinority,
        ),
        member("members.religious", "Đảng viên có tôn giáo", M::Religious),
        member(
            "members.exempt",
            "Đảng viên được miễn công tác và sinh hoạt",
            M::Exempt,
        ),
        member(
            "members.suspended",
            "Đảng viên bị đình chỉ sinh hoạt",
            M::Suspended,
        ),
    ];
    for (suffix, min, max) in AGE_BANDS {
        let label = match max {
            Some(max) => format!("Đảng viên từ {min} đến {max} tuổi"),
            None => format!("Đảng viên từ {min} tuổi trở lên"),
        };
        let label = if min == 0 {
            "Đảng viên đến 30 tuổi".to_string()
        } else {
            label
        };
        figures.push(member(
            &format!("members.age.{suffix}"),
            &label,
            M::AgeBetween(min, max),
        ));
    }
    for level in GeneralEducation::ALL {
        figures.push(member(
            &format!("members.education.{}", level.code()),
            &format!("Giáo dục phổ thông: {}", level.label_vi()),
            M::Education(Some(*level)),
        ));
    }
    figures.push(member(
        "members.education.unknown",
        "Giáo dục phổ thông: chưa ghi",
        M::Education(None),
    ));
    for level in Qualification::ALL {
        figures.push(member(
            &format!("members.qualification.{}", level.code()),
            &format!("Chuyên môn: {}", level.label_vi()),
            M::Qualification(Some(*level)),
        ));
    }
    figures.push(member(
        "members.qualification.unknown",
        "Chuyên môn: chưa ghi",
        M::Qualification(None),
    ));
    for level in TheoryLevel::ALL {
        figures.push(member(
            &format!("members.theory.{}", level.code()),
            &format!("Lý luận chính trị: {}", level.label_vi()),
            M::Theory(Some(*level)),
        ));
    }
    figures.push(member(
        "members.theory.unknown",
        "Lý luận chính trị: chưa ghi",
        M::Theory(None),
    ));
    figures.push(member(
        "members.theory.advanced_or_bachelor",
        "Lý luận chính trị: cao cấp, cử nhân",
        M::TheoryAdvancedOrBachelor,
    ));
    use EventCondition as E;
    let flows: [(&str, &str, EventCondition); 18] = [
        (
            "admissions",
            "Kết nạp đảng viên (kể cả kết nạp lại)",
            E::Kinds(vec![EventKind::Admission, EventKind::Readmission]),
        ),
        (
            "first_admissions",
            "Kết nạp lần đầu",
            E::Kinds(vec![EventKind::Admission]),
        ),
        (
            "readmissions",
            "Kết nạp lại",
            E::Kinds(vec![EventKind::Readmission]),
        ),
        (
            "restorations",
            "Phục hồi đảng tịch",
            E::Kinds(vec![EventKind::Restoration]),
        ),
        (
            "full_memberships",
            "Công nhận đảng viên chính thức",
            E::Kinds(vec![EventKind::FullMembership]),
        ),
        (
            "transfers_in",
            "Chuyển sinh hoạt chính thức đến",
            E::TransfersIn,
        ),
        (
            "transfers_out",
            "Chuyển sinh hoạt chính thức đi",
            E::TransfersOut,
        ),
        (
            "temporary_transfers_in",
            "Chuyển sinh hoạt tạm thời đến",
            E::Kinds(vec![EventKind::TemporaryTransferIn]),
        ),
        (
            "temporary_transfers_out",
            "Chuyển sinh hoạt tạm thời đi",
            E::Kinds(vec![EventKind::TemporaryTransferOut]),
        ),
        (
            "exemptions",
            "Miễn công tác và sinh hoạt",
            E::Kinds(vec![EventKind::Exemption]),
        ),
        (
            "suspensions",
            "Đình chỉ sinh hoạt",
            E::Kinds(vec![EventKind::Suspension]),
        ),
        ("removals", "Xóa tên", E::Kinds(vec![EventKind::Removal])),
        (
            "expulsions",
            "Khai trừ",
            E::Kinds(vec![EventKind::Expulsion]),
        ),
        (
            "resignations",
            "Xin ra khỏi Đảng",
            E::Kinds(vec![EventKind::Resignation]),
        ),
        ("deaths", "Từ trần", E::Kinds(vec![EventKind::Death])),
        (
            "restructure_moves_in",
            "Chuyển đến do sắp xếp tổ chức",
            E::RestructureMovesIn,
        ),
        (
            "restructure_moves_out",
            "Chuyển đi do sắp xếp tổ chức",
            E::RestructureMovesOut,
        ),
        (
            "initial_placements",
            "Ghi nhận vào chi bộ khi nhập danh sách",
            E::InitialPlacements,
        ),
    ];
    for (key, label, condition) in flows {
        figures.push((
            Definition::count(key, label, Timing::Flow),
            MemberMeasure::Events(condition),
        ));
    }
    figures
}

/// Shares reports quote: each a count over the members' total (keys end in `.share`).
pub fn ratios() -> Vec<Definition> {
    [
        ("members.female", "Tỷ lệ đảng viên nữ"),
        (
            "members.ethnic_minority",
            "Tỷ lệ đảng viên người dân tộc thiểu số",
        ),
        ("members.religious", "Tỷ lệ đảng viên có tôn giáo"),
        ("members.probationary", "Tỷ lệ đảng viên dự bị"),
        ("members.age.18_30", "Tỷ lệ đảng viên đến 30 tuổi"),
        (
            "members.theory.advanced_or_bachelor",
            "Tỷ lệ đảng viên có trình độ lý luận chính trị cao cấp, cử nhân",
        ),
    ]
    .into_iter()
    .map(|(numerator, label)| {
        Definition::ratio(
            &format!("{numerator}.share"),
            label,
            numerator,
            "members.total",
        )
    })
    .collect()
}

/// Figures named by a family and a recorded name: `members.ethnicity.{name}` and
/// `members.religion.{name}` (names fold tone marks and case; `_` stands for a space).
/// The label of the members of one ethnic group, named as given ("Tày").
pub fn ethnicity_label(name: &str) -> String {
    format!("Đảng viên dân tộc {name}")
}

/// The label of the members of one religion, named as given ("Phật giáo").
pub fn religion_label(name: &str) -> String {
    format!("Đảng viên theo tôn giáo {name}")
}

pub fn family(key: &str) -> Option<(Definition, MemberMeasure)> {
    let stock = |label: String, condition| {
        Some((
            Definition::count(key, &label, Timing::Stock),
            MemberMeasure::Members(condition),
        ))
    };
    if let Some(name) = key.strip_prefix("members.ethnicity.") {
        let name = fold(&name.replace('_', " "));
        if name.is_empty() {
            return None;
        }
        return stock(ethnicity_label(&name), MemberCondition::Ethnicity(name));
    }
    if let Some(name) = key.strip_prefix("members.religion.") {
        let name = fold(&name.replace('_', " "));
        if name.is_empty() {
            return None;
        }
        return stock(religion_label(&name), MemberCondition::Religion(name));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unique_and_ratios_name_counts() {
        let counts = counts();
        let mut keys: Vec<&str> = counts.iter().map(|(d, _)| d.key.as_str()).collect();
        keys.sort();
        let before = keys.len();
        keys.dedup();
        assert_eq!(before, keys.len());
        for ratio in ratios() {
            let crate::figures::Kind::Ratio {
                numerator,
                denominator,
            } = &ratio.kind
            else {
                panic!("{} is a ratio", ratio.key);
            };
            assert!(keys.contains(&numerator.as_str()), "{numerator}");
            assert!(keys.contains(&denominator.as_str()), "{denominator}");
        }
    }

    #[test]
    fn families_fold_names() {
        let (definition, measure) = family("members.ethnicity.Tày").unwrap();
        assert_eq!(definition.key, "members.ethnicity.Tày");
        assert_eq!(
            measure,
            MemberMeasure::Members(MemberCondition::Ethnicity("tay".into()))
        );
        assert!(family("members.religion.").is_none());
        assert!(family("members.nonsense").is_none());
    }
}
