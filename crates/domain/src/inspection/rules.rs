//! The discipline rules by edition (DOMAIN.md §0, §3): QĐ 102-QĐ/TW (members) with 07-QĐi/TW
//! (organizations) from 2017, QĐ 69-QĐ/TW from 6/7/2022, QĐ 296-QĐ/TW from 30/5/2025. The
//! limitation periods are QĐ 102's; the same figures in QĐ 69 and 296 are UNVERIFIED, kept as data.

use chrono::NaiveDate;

use super::{Discipline, SubjectKind};
use crate::rules::{Edition, Editions};
use crate::tree::UnitKind;

/// Who may decide which forms for which subjects inside their subtree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Authority {
    pub deciders: &'static [UnitKind],
    pub subjects: &'static [SubjectKind],
    pub forms: &'static [Discipline],
}

/// What one edition says about deciding discipline and settling complaints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisciplineRules {
    /// Years after the violation within which a reprimand-level decision may be made.
    pub reprimand_years: u32,
    /// The same for warning- and dismissal-level (dissolution-level for organizations: none).
    pub warning_years: u32,
    /// Working days to settle a complaint after its receipt.
    pub complaint_working_days: u32,
    /// Months after which a decision other than expulsion or dissolution lapses without a
    /// complaint or a new violation; `None` where the edition says nothing verified.
    pub lapse_months: Option<u32>,
    /// Who may decide what (DOMAIN.md §3). A branch reprimands and warns its own members; a
    /// grassroots or higher committee (or its commission) decides every member form in its
    /// subtree; a committee above an organization reprimands or warns it, and a commune, direct,
    /// district or provincial committee may dissolve it. The organizations' rows and the
    /// post-2025 commune powers are UNVERIFIED.
    pub authority: Vec<Authority>,
}

impl DisciplineRules {
    /// The limitation period of a form for a subject, in years; `None` for the forms with no
    /// limit (expulsion, dissolution).
    pub fn limitation_years(&self, _subject: SubjectKind, form: Discipline) -> Option<u32> {
        match form {
            Discipline::Reprimand => Some(self.reprimand_years),
            Discipline::Warning | Discipline::Dismissal => Some(self.warning_years),
            Discipline::Expulsion | Discipline::Dissolution => None,
        }
    }
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap_or(NaiveDate::MIN)
}

fn authority() -> Vec<Authority> {
    use Discipline as F;
    use SubjectKind as S;
    use UnitKind as K;
    const MEMBERS: &[SubjectKind] = &[S::FullMember, S::ProbationaryMember];
    const COMMITTEES: &[UnitKind] = &[
        K::Province,
        K::District,
        K::Commune,
        K::DirectCommittee,
        K::GrassrootsCommittee,
    ];
    vec![
        Authority {
            deciders: &[K::Branch, K::GrassrootsBranch],
            subjects: MEMBERS,
            forms: &[F::Reprimand, F::Warning],
        },
        Authority {
            deciders: COMMITTEES,
            subjects: MEMBERS,
            forms: &[F::Reprimand, F::Warning, F::Dismissal, F::Expulsion],
        },
        Authority {
            deciders: COMMITTEES,
            subjects: &[S::Organization],
            forms: &[F::Reprimand, F::Warning],
        },
        Authority {
            deciders: &[K::Province, K::District, K::Commune, K::DirectCommittee],
            subjects: &[S::Organization],
            forms: &[F::Dissolution],
        },
    ]
}

/// The editions, oldest first.
pub fn discipline_rules() -> Editions<DisciplineRules> {
    let rules = DisciplineRules {
        reprimand_years: 5,
        warning_years: 10,
        complaint_working_days: 30,
        lapse_months: Some(12),
        authority: authority(),
    };
    let list = vec![
        Edition {
            document: "102-QĐ/TW",
            title: "Quy định xử lý kỷ luật đảng viên vi phạm",
            in_force_from: d(2017, 11, 15),
            source: "https://stdt.danguykhoibinhthuan.vn/S%E1%BB%95%20tay/cong-tac-kiem-tra-giam-sat/thi-hanh-ky%CC%89-lua%CC%A3t-da%CC%89ng/thoi-hie%CC%A3u-xu%CC%89-ly-ky%CC%89-lua%CC%A3t",
            verified: true,
            rules: rules.clone(),
        },
        Edition {
            document: "69-QĐ/TW",
            title: "Quy định về kỷ luật tổ chức đảng, đảng viên vi phạm",
            in_force_from: d(2022, 7, 6),
            source: "https://thuvienphapluat.vn/chinh-sach-phap-luat-moi/vn/ho-tro-phap-luat/chinh-sach-moi/41466/da-co-quy-dinh-69-qd-tw-ky-luat-to-chuc-dang-dang-vien-vi-pham",
            verified: false,
            rules: rules.clone(),
        },
        Edition {
            document: "296-QĐ/TW",
            title: "Quy định về công tác kiểm tra, giám sát và kỷ luật của Đảng",
            in_force_from: d(2025, 5, 30),
            source: "https://tcnnld.vn/news/detail/68337/Quy-dinh-so-296-QDTW-ve-cong-tac-kiem-tra-giam-sat-va-ky-luat-cua-Dang.html",
            verified: false,
            rules: DisciplineRules {
                lapse_months: None,
                ..rules
            },
        },
    ];
    match Editions::new(list) {
        Ok(editions) => editions,
        Err(e) => unreachable!("discipline editions out of order: {e}"),
    }
}
