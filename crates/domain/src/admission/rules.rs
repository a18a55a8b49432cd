//! The admission rules as dated editions of the Charter's implementing rules (DOMAIN.md §1). The
//! deadlines in working days are the membership rules' (`members::rules`); these are the limits a
//! candidate's file is checked against. Values DOMAIN.md marks UNVERIFIED are data with
//! `verified: false`, to be corrected, never constants.

use chrono::NaiveDate;

use crate::members::GeneralEducation;
use crate::rules::{Edition, Editions};

/// What one edition says of admission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdmissionRules {
    /// Full months of age at the branch's vote: at least, and at most without the provincial
    /// standing committee's approval.
    pub min_age_months: u32,
    pub max_age_months: u32,
    /// The share of the branch's full members who must vote for (2/3).
    pub branch_vote: (u32, u32),
    /// The share of the grassroots committee's members (UNVERIFIED: DOMAIN.md §1).
    pub committee_vote: (u32, u32),
    /// Months the awareness class certificate stays valid (UNVERIFIED: local guides say 5 years).
    pub certificate_validity_months: u32,
    /// Months a file may wait for the branch's vote before its introduction and opinions must be
    /// redone.
    pub file_validity_months: u32,
    /// Months after leaving the Party before readmission may be considered (36 under QĐ 294).
    pub readmission_wait_months: u32,
    /// The general education a candidate needs (lower secondary), and in hardship areas (primary).
    pub min_education: GeneralEducation,
    pub hardship_min_education: GeneralEducation,
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap_or(NaiveDate::MIN)
}

const RULES: AdmissionRules = AdmissionRules {
    min_age_months: 18 * 12,
    max_age_months: 60 * 12,
    branch_vote: (2, 3),
    committee_vote: (2, 3),
    certificate_validity_months: 60,
    file_validity_months: 12,
    readmission_wait_months: 36,
    min_education: GeneralEducation::LowerSecondary,
    hardship_min_education: GeneralEducation::Primary,
};

/// The editions, oldest first. The certificate's validity and the committee's threshold could not
/// be confirmed from a public source: both editions mark them unverified.
pub fn admission_rules() -> Editions<AdmissionRules> {
    let edition = |document, from, source| Edition {
        document,
        title: "Quy định thi hành Điều lệ Đảng",
        in_force_from: from,
        source,
        verified: false,
        rules: RULES,
    };
    let list = vec![
        edition("45-QĐ/TW", d(2011, 11, 1), ""),
        edition(
            "24-QĐ/TW",
            d(2021, 7, 30),
            "https://thuviennhadat.vn/vbpl/quy-dinh-24-qd-tw-2021-thi-hanh-dieu-le-dang-484359.html",
        ),
        edition(
            "294-QĐ/TW",
            d(2025, 7, 1),
            "https://thads.moj.gov.vn/noidung/tintuc/Lists/CongTacDang/View_Detail.aspx?ItemID=288",
        ),
    ];
    match Editions::new(list) {
        Ok(editions) => editions,
        Err(e) => unreachable!("admission editions out of order: {e}"),
    }
}
