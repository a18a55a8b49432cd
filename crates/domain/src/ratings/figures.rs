//! The ratings' figures: members and organizations (grassroots, sub-committees, branches) rated
//! for the review year of the date asked (its 31 December review), by level, "good or better"
//! and its share, and the members failing two years running. Level codes
//! are those of every scheme (`docs/rules.md`, Ratings); a code a year's scheme does not have
//! counts nothing that year.

use crate::figures::{Definition, Timing};

use super::Subject;

/// What a rating count keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RatingsCounted {
    /// Every current year rating.
    Rated,
    /// Those whose level counts as good or better in the year's scheme.
    GoodOrBetter,
    /// Those whose level is failing in the year's scheme.
    Failing,
    /// Those of one level (or counted under it: the exemplary clean-and-strong are clean too).
    Level(&'static str),
    /// Members failing this year whose rating of the year before failed too (to consider for
    /// removal).
    FailingTwoYears,
}

/// Whose ratings: members, or organizations of a kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rated {
    Members,
    /// Grassroots organizations (đảng bộ cơ sở, chi bộ cơ sở).
    Grassroots,
    /// Sub-committees (đảng bộ bộ phận).
    SubCommittees,
    /// Branches under a grassroots committee or a commune (chi bộ trực thuộc).
    Branches,
}

impl Rated {
    pub const ALL: [Rated; 4] = [
        Rated::Members,
        Rated::Grassroots,
        Rated::SubCommittees,
        Rated::Branches,
    ];

    pub fn subject(self) -> Subject {
        match self {
            Rated::Members => Subject::Member,
            _ => Subject::Organization,
        }
    }

    /// The unit kinds (their codes) whose organizations are counted; none for members.
    pub fn unit_kinds(self) -> &'static [&'static str] {
        match self {
            Rated::Members => &[],
            Rated::Grassroots => &["grassroots_committee", "grassroots_branch"],
            Rated::SubCommittees => &["sub_committee"],
            Rated::Branches => &["branch"],
        }
    }

    fn key(self) -> &'static str {
        match self {
            Rated::Members => "members",
            Rated::Grassroots => "grassroots",
            Rated::SubCommittees => "subcommittees",
            Rated::Branches => "branches",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Rated::Members => "Đảng viên",
            Rated::Grassroots => "Tổ chức cơ sở đảng",
            Rated::SubCommittees => "Đảng bộ bộ phận",
            Rated::Branches => "Chi bộ trực thuộc",
        }
    }

    fn levels(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Rated::Members => &MEMBER_LEVELS,
            _ => &ORGANIZATION_LEVELS,
        }
    }
}

const MEMBER_LEVELS: [(&str, &str); 4] = [
    ("excellent", "hoàn thành xuất sắc nhiệm vụ"),
    ("good", "hoàn thành tốt nhiệm vụ"),
    ("done", "hoàn thành nhiệm vụ"),
    ("not_done", "không hoàn thành nhiệm vụ"),
];

const ORGANIZATION_LEVELS: [(&str, &str); 7] = [
    ("clean_exemplary", "trong sạch, vững mạnh tiêu biểu"),
    ("clean", "trong sạch, vững mạnh (kể cả tiêu biểu)"),
    ("excellent", "hoàn thành xuất sắc nhiệm vụ"),
    ("good", "hoàn thành tốt nhiệm vụ"),
    ("done", "hoàn thành nhiệm vụ"),
    ("weak", "yếu kém"),
    ("not_done", "không hoàn thành nhiệm vụ"),
];

/// The counts the catalogue lists.
pub fn counts() -> Vec<(Definition, Rated, RatingsCounted)> {
    let mut list = Vec::new();
    for rated in Rated::ALL {
        let key = |part: &str| format!("ratings.{}.{part}", rated.key());
        list.push((
            Definition::count(
                &key("rated"),
                &format!("{} được đánh giá, xếp loại", rated.label()),
                Timing::Stock,
            ),
            rated,
            RatingsCounted::Rated,
        ));
        list.push((
            Definition::count(
                &key("good_or_better"),
                &format!("{} xếp loại hoàn thành tốt nhiệm vụ trở lên", rated.label()),
                Timing::Stock,
            ),
            rated,
            RatingsCounted::GoodOrBetter,
        ));
        list.push((
            Definition::count(
                &key("failing"),
                &format!("{} không hoàn thành nhiệm vụ (yếu kém)", rated.label()),
                Timing::Stock,
            ),
            rated,
            RatingsCounted::Failing,
        ));
        for (code, words) in rated.levels() {
            list.push((
                Definition::count(
                    &key(code),
                    &format!("{} xếp loại {words}", rated.label()),
                    Timing::Stock,
                ),
                rated,
                RatingsCounted::Level(code),
            ));
        }
    }
    list.push((
        Definition::count(
            "ratings.members.failing_two_years",
            "Đảng viên không hoàn thành nhiệm vụ hai năm liền",
            Timing::Stock,
        ),
        Rated::Members,
        RatingsCounted::FailingTwoYears,
    ));
    list
}

/// The shares reports quote: good or better among those rated; clean and strong among the
/// grassroots organizations rated ("32/46, 69,57 %").
pub fn ratios() -> Vec<Definition> {
    vec![
        Definition::ratio(
            "ratings.members.good_or_better.share",
            "Tỷ lệ đảng viên hoàn thành tốt nhiệm vụ trở lên",
            "ratings.members.good_or_better",
            "ratings.members.rated",
        ),
        Definition::ratio(
            "ratings.grassroots.good_or_better.share",
            "Tỷ lệ tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ trở lên",
            "ratings.grassroots.good_or_better",
            "ratings.grassroots.rated",
        ),
        Definition::ratio(
            "ratings.branches.good_or_better.share",
            "Tỷ lệ chi bộ trực thuộc hoàn thành tốt nhiệm vụ trở lên",
            "ratings.branches.good_or_better",
            "ratings.branches.rated",
        ),
        Definition::ratio(
            "ratings.grassroots.clean.share",
            "Tỷ lệ tổ chức cơ sở đảng trong sạch, vững mạnh",
            "ratings.grassroots.clean",
            "ratings.grassroots.rated",
        ),
    ]
}
