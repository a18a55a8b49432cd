//! The figure catalogue: every number Dangbo reports is one of these, evaluated over a unit's subtree
//! and a date (stock figures) or a period (flow figures). `docs/figures.md` documents each key.

use crate::event::{EventKind, MembershipStatus};
use crate::member::{GeneralEducation, Qualification, Sex, TheoryLevel};
use crate::text::fold;
use crate::unit::UnitKind;

/// What a figure counts, and over what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Measure {
    /// Units of these kinds existing on the date, in the subtree (the root included).
    Units(Vec<UnitKind>),
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
}

/// A named figure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Figure {
    pub key: String,
    pub label_vi: String,
    pub measure: Measure,
}

impl Figure {
    fn new(key: &str, label_vi: &str, measure: Measure) -> Figure {
        Figure {
            key: key.to_string(),
            label_vi: label_vi.to_string(),
            measure,
        }
    }

    /// Flow figures are counted over a period; the others on a date.
    pub fn is_flow(&self) -> bool {
        matches!(self.measure, Measure::Events(_))
    }
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

/// The fixed catalogue, in the order reports list it. Figures by ethnicity and religion name are
/// families (`members.ethnicity.{name}`, `members.religion.{name}`) resolved by [`find`].
pub fn catalogue() -> Vec<Figure> {
    use MemberCondition as M;
    let mut figures = vec![
        Figure::new(
            "units.grassroots",
            "Tổ chức cơ sở đảng",
            Measure::Units(vec![
                UnitKind::GrassrootsCommittee,
                UnitKind::GrassrootsBranch,
            ]),
        ),
        Figure::new(
            "units.grassroots_committees",
            "Đảng bộ cơ sở",
            Measure::Units(vec![UnitKind::GrassrootsCommittee]),
        ),
        Figure::new(
            "units.grassroots_branches",
            "Chi bộ cơ sở",
            Measure::Units(vec![UnitKind::GrassrootsBranch]),
        ),
        Figure::new(
            "units.sub_committees",
            "Đảng bộ bộ phận",
            Measure::Units(vec![UnitKind::SubCommittee]),
        ),
        Figure::new(
            "units.branches",
            "Chi bộ trực thuộc",
            Measure::Units(vec![UnitKind::Branch]),
        ),
        Figure::new(
            "members.total",
            "Tổng số đảng viên",
            Measure::Members(M::All),
        ),
        Figure::new(
            "members.full",
            "Đảng viên chính thức",
            Measure::Members(M::Status(MembershipStatus::Full)),
        ),
        Figure::new(
            "members.probationary",
            "Đảng viên dự bị",
            Measure::Members(M::Status(MembershipStatus::Probationary)),
        ),
        Figure::new(
            "members.male",
            "Đảng viên nam",
            Measure::Members(M::Sex(Sex::Male)),
        ),
        Figure::new(
            "members.female",
            "Đảng viên nữ",
            Measure::Members(M::Sex(Sex::Female)),
        ),
        Figure::new(
            "members.ethnic_minority",
            "Đảng viên người dân tộc thiểu số",
            Measure::Members(M::EthnicMinority),
        ),
        Figure::new(
            "members.religious",
            "Đảng viên có tôn giáo",
            Measure::Members(M::Religious),
        ),
        Figure::new(
            "members.exempt",
            "Đảng viên được miễn công tác và sinh hoạt",
            Measure::Members(M::Exempt),
        ),
        Figure::new(
            "members.suspended",
            "Đảng viên bị đình chỉ sinh hoạt",
            Measure::Members(M::Suspended),
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
        figures.push(Figure::new(
            &format!("members.age.{suffix}"),
            &label,
            Measure::Members(M::AgeBetween(min, max)),
        ));
    }
    for level in GeneralEducation::ALL {
        figures.push(Figure::new(
            &format!("members.education.{}", level.code()),
            &format!("Giáo dục phổ thông: {}", level.label_vi()),
            Measure::Members(M::Education(Some(*level))),
        ));
    }
    figures.push(Figure::new(
        "members.education.unknown",
        "Giáo dục phổ thông: chưa ghi",
        Measure::Members(M::Education(None)),
    ));
    for level in Qualification::ALL {
        figures.push(Figure::new(
            &format!("members.qualification.{}", level.code()),
            &format!("Chuyên môn: {}", level.label_vi()),
            Measure::Members(M::Qualification(Some(*level))),
        ));
    }
    figures.push(Figure::new(
        "members.qualification.unknown",
        "Chuyên môn: chưa ghi",
        Measure::Members(M::Qualification(None)),
    ));
    for level in TheoryLevel::ALL {
        figures.push(Figure::new(
            &format!("members.theory.{}", level.code()),
            &format!("Lý luận chính trị: {}", level.label_vi()),
            Measure::Members(M::Theory(Some(*level))),
        ));
    }
    figures.push(Figure::new(
        "members.theory.unknown",
        "Lý luận chính trị: chưa ghi",
        Measure::Members(M::Theory(None)),
    ));
    figures.push(Figure::new(
        "members.theory.advanced_or_bachelor",
        "Lý luận chính trị: cao cấp, cử nhân",
        Measure::Members(M::TheoryAdvancedOrBachelor),
    ));
    use EventCondition as E;
    let flows: [(&str, &str, EventCondition); 14] = [
        (
            "admissions",
            "Kết nạp đảng viên (kể cả kết nạp lại)",
            E::Kinds(vec![EventKind::Admission, EventKind::Readmission]),
        ),
        (
            "readmissions",
            "Kết nạp lại",
            E::Kinds(vec![EventKind::Readmission]),
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
    ];
    for (key, label, condition) in flows {
        figures.push(Figure::new(key, label, Measure::Events(condition)));
    }
    figures
}

/// Finds a figure by key, including the ethnicity and religion families.
pub fn find(key: &str) -> Option<Figure> {
    if let Some(name) = key.strip_prefix("members.ethnicity.") {
        let name = fold(&name.replace('_', " "));
        return (!name.is_empty()).then(|| {
            Figure::new(
                key,
                &format!("Đảng viên dân tộc {name}"),
                Measure::Members(MemberCondition::Ethnicity(name.clone())),
            )
        });
    }
    if let Some(name) = key.strip_prefix("members.religion.") {
        let name = fold(&name.replace('_', " "));
        return (!name.is_empty()).then(|| {
            Figure::new(
                key,
                &format!("Đảng viên theo tôn giáo {name}"),
                Measure::Members(MemberCondition::Religion(name.clone())),
            )
        });
    }
    catalogue().into_iter().find(|f| f.key == key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unique_and_found() {
        let figures = catalogue();
        let mut keys: Vec<&str> = figures.iter().map(|f| f.key.as_str()).collect();
        keys.sort();
        let before = keys.len();
        keys.dedup();
        assert_eq!(before, keys.len());
        for f in &figures {
            assert_eq!(find(&f.key).as_ref(), Some(f));
        }
        assert!(find("members.nonsense").is_none());
    }

    #[test]
    fn families_fold_names() {
        let f = find("members.ethnicity.Tày").unwrap();
        assert_eq!(
            f.measure,
            Measure::Members(MemberCondition::Ethnicity("tay".into()))
        );
        assert!(find("members.religion.").is_none());
    }

    #[test]
    fn required_keys_exist() {
        for key in [
            "units.grassroots",
            "units.branches",
            "members.total",
            "members.full",
            "members.probationary",
            "members.female",
            "members.ethnic_minority",
            "admissions",
            "full_memberships",
            "transfers_in",
            "transfers_out",
            "removals",
            "expulsions",
            "deaths",
        ] {
            assert!(find(key).is_some(), "{key}");
        }
    }
}

#[cfg(test)]
mod docs_tests {
    /// Every catalogue key is documented in docs/figures.md.
    #[test]
    fn every_figure_is_documented() {
        let doc = include_str!("../../../docs/figures.md");
        for figure in super::catalogue() {
            let key = &figure.key;
            let (family, last) = key.rsplit_once('.').unwrap_or(("", key));
            let documented = doc.contains(&format!("`{key}`"))
                || (!family.is_empty()
                    && doc.contains(&format!("`{family}."))
                    && doc.contains(&format!("`.{last}`")));
            assert!(documented, "{key} is missing from docs/figures.md");
        }
    }
}
