//! The standards of each group of posts, as dated editions (DOMAIN.md §5): the political-theory,
//! general-education and professional levels a holder needs, and the age at first appointment.
//! QĐ 04/2004/QĐ-BNV's commune standards are the oldest known; NĐ 33/2023 refers to the party's
//! rules with a catch-up deadline of 1/8/2028; the post-2025 communes' standards are UNVERIFIED
//! and kept as data to correct.

use chrono::NaiveDate;

use super::PostGroup;
use crate::members::{GeneralEducation, Qualification, TheoryLevel};
use crate::rules::{Edition, Editions};

/// What one group's holders need.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Standard {
    pub theory: Option<TheoryLevel>,
    pub education: Option<GeneralEducation>,
    pub qualification: Option<Qualification>,
    /// The oldest age at first appointment.
    pub max_first_age: Option<u32>,
}

/// The standards of one edition, by group (a group not listed has none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Standards {
    pub groups: Vec<(PostGroup, Standard)>,
}

impl Standards {
    pub fn of(&self, group: PostGroup) -> Option<&Standard> {
        self.groups
            .iter()
            .find(|(g, _)| *g == group)
            .map(|(_, s)| s)
    }
}

/// What a holder has on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Levels {
    pub theory: Option<TheoryLevel>,
    pub education: Option<GeneralEducation>,
    pub qualification: Option<Qualification>,
}

/// A standard not met: its field and what it asks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shortfall {
    /// `theory`, `education`, `qualification`, `age`.
    pub field: &'static str,
    pub message: String,
}

/// What a holder lacks of a standard (empty: it is met). A level not recorded does not meet one
/// that is asked for. `first_age` is the age at first appointment, when known.
pub fn shortfalls(standard: &Standard, levels: &Levels, first_age: Option<u32>) -> Vec<Shortfall> {
    fn below<T: Ord + Copy>(needed: Option<T>, held: Option<T>) -> Option<T> {
        let needed = needed?;
        match held {
            Some(held) if held >= needed => None,
            _ => Some(needed),
        }
    }
    let mut out = Vec::new();
    if let Some(needed) = below(standard.theory, levels.theory) {
        out.push(Shortfall {
            field: "theory",
            message: format!(
                "lý luận chính trị từ {} trở lên",
                needed.label_vi().to_lowercase()
            ),
        });
    }
    if let Some(needed) = below(standard.education, levels.education) {
        out.push(Shortfall {
            field: "education",
            message: format!(
                "giáo dục phổ thông từ {} trở lên",
                needed.label_vi().to_lowercase()
            ),
        });
    }
    if let Some(needed) = below(standard.qualification, levels.qualification) {
        out.push(Shortfall {
            field: "qualification",
            message: format!("chuyên môn từ {} trở lên", needed.label_vi().to_lowercase()),
        });
    }
    if let (Some(max), Some(age)) = (standard.max_first_age, first_age)
        && age > max
    {
        out.push(Shortfall {
            field: "age",
            message: format!("không quá {max} tuổi khi bổ nhiệm lần đầu"),
        });
    }
    out
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap_or(NaiveDate::MIN)
}

/// The editions, oldest first.
pub fn standards() -> Editions<Standards> {
    let commune = |theory, qualification| Standard {
        theory: Some(theory),
        education: Some(GeneralEducation::UpperSecondary),
        qualification: Some(qualification),
        max_first_age: None,
    };
    let qd04 = Standards {
        groups: vec![
            (
                PostGroup::PartyCommittee,
                Standard {
                    max_first_age: Some(45),
                    ..commune(TheoryLevel::Intermediate, Qualification::Intermediate)
                },
            ),
            (
                PostGroup::Government,
                commune(TheoryLevel::Intermediate, Qualification::Intermediate),
            ),
            (
                PostGroup::MassOrganization,
                commune(TheoryLevel::Elementary, Qualification::Intermediate),
            ),
            (
                PostGroup::CivilServant,
                Standard {
                    theory: Some(TheoryLevel::Elementary),
                    ..commune(TheoryLevel::Elementary, Qualification::Intermediate)
                },
            ),
            (
                PostGroup::Branch,
                Standard {
                    theory: Some(TheoryLevel::Elementary),
                    education: Some(GeneralEducation::LowerSecondary),
                    qualification: None,
                    max_first_age: None,
                },
            ),
        ],
    };
    let list = vec![
        Edition {
            document: "04/2004/QĐ-BNV",
            title: "Quy định tiêu chuẩn cụ thể đối với cán bộ, công chức xã, phường, thị trấn",
            in_force_from: d(2004, 2, 1),
            source: "https://nganhangphapluat.lawnet.vn/tu-van-phap-luat/bo-may-hanh-chinh/bi-thu-dang-uy-xa-co-phai-tot-nghiep-dai-hoc-khong-308344",
            verified: false,
            rules: qd04.clone(),
        },
        Edition {
            document: "33/2023/NĐ-CP",
            title: "Quy định về cán bộ, công chức cấp xã",
            in_force_from: d(2023, 8, 1),
            source: "https://bnews.vn/tu-1-8-2028-can-bo-cong-chuc-cap-xa-chua-du-tieu-chuan-se-nghi-huu-hoac-tinh-gian-bien-che/299280.html",
            verified: false,
            rules: qd04,
        },
    ];
    match Editions::new(list) {
        Ok(editions) => editions,
        Err(e) => unreachable!("standards editions out of order: {e}"),
    }
}
