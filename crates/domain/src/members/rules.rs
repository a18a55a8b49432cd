//! The rules of membership as dated editions of the Charter's implementing rules (DOMAIN.md §0, §1,
//! §4): probation, party badges, and the deadlines in working days. A record is judged by the
//! edition in force on its own date.

use chrono::NaiveDate;

use crate::rules::{Edition, Editions};

/// What one edition of the Charter's implementing rules says about membership.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MembershipRules {
    /// Months of probation, counted from the admission ceremony.
    pub probation_months: u32,
    /// Years of seniority at which a party badge is awarded.
    pub badge_years: &'static [u32],
    /// Working days the competent committee has to decide an admission after the branch's
    /// resolution.
    pub admission_decision_working_days: u32,
    /// Working days to decide recognition as a full member.
    pub full_membership_decision_working_days: u32,
    /// Working days to hold the admission ceremony after receiving the decision.
    pub ceremony_working_days: u32,
}

const BADGES_WITHOUT_45: &[u32] = &[30, 40, 50, 55, 60, 65, 70, 75, 80, 85, 90];
const BADGES_WITH_45: &[u32] = &[30, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90];

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap_or(NaiveDate::MIN)
}

fn edition(
    document: &'static str,
    from: NaiveDate,
    source: &'static str,
    verified: bool,
    badge_years: &'static [u32],
) -> Edition<MembershipRules> {
    Edition {
        document,
        title: "Quy định thi hành Điều lệ Đảng",
        in_force_from: from,
        source,
        verified,
        rules: MembershipRules {
            probation_months: 12,
            badge_years,
            admission_decision_working_days: 60,
            full_membership_decision_working_days: 30,
            ceremony_working_days: 30,
        },
    }
}

/// The editions of the Charter's implementing rules, oldest first.
pub fn membership_rules() -> Editions<MembershipRules> {
    let list = vec![
        // Records older than the 2011 Charter are judged by its rules, the oldest known here.
        edition("45-QĐ/TW", d(2011, 11, 1), "", false, BADGES_WITHOUT_45),
        // The 45-year badge exists since the 2016 rules (DOMAIN.md §4).
        edition(
            "29-QĐ/TW",
            d(2016, 7, 25),
            "https://xaydungdang.org.vn/dang-vien/ve-viec-xet-tang-huy-hieu-45-nam-tuoi-dang-10049",
            false,
            BADGES_WITH_45,
        ),
        edition(
            "24-QĐ/TW",
            d(2021, 7, 30),
            "https://thuviennhadat.vn/vbpl/quy-dinh-24-qd-tw-2021-thi-hanh-dieu-le-dang-484359.html",
            true,
            BADGES_WITH_45,
        ),
        edition(
            "232-QĐ/TW",
            d(2025, 1, 20),
            "https://thads.moj.gov.vn/noidung/tintuc/Lists/CongTacDang/View_Detail.aspx?ItemID=288",
            true,
            BADGES_WITH_45,
        ),
        edition(
            "294-QĐ/TW",
            d(2025, 7, 1),
            "https://thads.moj.gov.vn/noidung/tintuc/Lists/CongTacDang/View_Detail.aspx?ItemID=288",
            true,
            BADGES_WITH_45,
        ),
    ];
    match Editions::new(list) {
        Ok(editions) => editions,
        Err(e) => unreachable!("membership editions out of order: {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_45_year_badge_exists_from_the_2016_rules() {
        let rules = membership_rules();
        assert!(!rules.on(d(2016, 7, 24)).rules.badge_years.contains(&45));
        assert!(rules.on(d(2016, 7, 25)).rules.badge_years.contains(&45));
        assert_eq!(rules.on(d(2003, 1, 1)).document, "45-QĐ/TW");
        assert_eq!(rules.on(d(2025, 6, 30)).document, "232-QĐ/TW");
        assert_eq!(rules.on(d(2025, 7, 1)).document, "294-QĐ/TW");
        assert_eq!(rules.on(d(2012, 1, 1)).rules.probation_months, 12);
    }
}
