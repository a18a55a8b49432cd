//! The rating schemes, one edition per document (DOMAIN.md §2): a 2012 rating is read with the
//! 2008 scheme, a 2026 rating with the 2025 100-point scheme. Each scheme lists its levels for
//! organizations and for members (code, label, which count as "good or better" and as failing),
//! its point bands where it scores, its quota and its periods. Values DOMAIN.md marks UNVERIFIED
//! are data with `verified: false`.

use chrono::NaiveDate;

use crate::rules::{Edition, Editions};

/// One level of a scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Level {
    /// Stable code, used in figure keys (`ratings.members.excellent`).
    pub code: &'static str,
    pub label_vi: &'static str,
    /// Counts as "good or better" (hoàn thành tốt nhiệm vụ trở lên).
    pub good_or_better: bool,
    /// Counts as failing (không hoàn thành nhiệm vụ, yếu kém).
    pub failing: bool,
    /// The lowest score of the level, in a points-based scheme.
    pub min_points: Option<u32>,
    /// A level counted also under another (the exemplary clean-and-strong organizations are
    /// clean-and-strong too).
    pub also_counts_as: Option<&'static str>,
    /// The four-level scale this level reads as across schemes, for long series.
    pub comparable: &'static str,
}

const fn level(
    code: &'static str,
    label_vi: &'static str,
    good_or_better: bool,
    failing: bool,
    comparable: &'static str,
) -> Level {
    Level {
        code,
        label_vi,
        good_or_better,
        failing,
        min_points: None,
        also_counts_as: None,
        comparable,
    }
}

/// A cap on one level: at most `per_mille`/1000 of the count of the `of` levels, within each
/// grassroots organization (`excellent ≤ 20 % of good`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quota {
    pub level: &'static str,
    pub per_mille: u32,
    pub of: &'static [&'static str],
    /// Whether a source confirms it (local caps and some central ones do not).
    pub verified: bool,
}

/// What a scheme rates with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RatingScheme {
    /// The levels of a party organization, best first.
    pub organization_levels: &'static [Level],
    /// The levels of a member, best first.
    pub member_levels: &'static [Level],
    /// Whether ratings carry points (0–100) that must fall in the level's band.
    pub points: bool,
    /// Whether the first three quarters are rated too (the fourth goes into the year's rating).
    pub quarterly: bool,
    /// Caps on members' levels, per grassroots organization.
    pub member_quotas: &'static [Quota],
    /// Caps on organizations' levels among those a committee rates (local data).
    pub organization_quotas: &'static [Quota],
    /// Members admitted fewer months than this before the review are not rated (QĐ 124).
    pub not_rated_if_admitted_within_months: Option<u32>,
    /// A member disciplined in the year is rated failing (unless the case is exempted).
    pub disciplined_fails: bool,
}

const OLD_ORGANIZATION: &[Level] = &[
    Level {
        also_counts_as: Some("clean"),
        ..level(
            "clean_exemplary",
            "Trong sạch, vững mạnh tiêu biểu",
            true,
            false,
            "excellent",
        )
    },
    level("clean", "Trong sạch, vững mạnh", true, false, "excellent"),
    level("good", "Hoàn thành tốt nhiệm vụ", true, false, "good"),
    level("done", "Hoàn thành nhiệm vụ", false, false, "done"),
    level("weak", "Yếu kém", false, true, "not_done"),
];

const OLD_MEMBER: &[Level] = &[
    level(
        "excellent",
        "Đủ tư cách, hoàn thành xuất sắc nhiệm vụ",
        true,
        false,
        "excellent",
    ),
    level(
        "good",
        "Đủ tư cách, hoàn thành tốt nhiệm vụ",
        true,
        false,
        "good",
    ),
    level(
        "done",
        "Đủ tư cách, hoàn thành nhiệm vụ",
        false,
        false,
        "done",
    ),
    level(
        "not_done",
        "Vi phạm tư cách hoặc không hoàn thành nhiệm vụ",
        false,
        true,
        "not_done",
    ),
];

const FOUR_LEVELS: &[Level] = &[
    level(
        "excellent",
        "Hoàn thành xuất sắc nhiệm vụ",
        true,
        false,
        "excellent",
    ),
    level("good", "Hoàn thành tốt nhiệm vụ", true, false, "good"),
    level("done", "Hoàn thành nhiệm vụ", false, false, "done"),
    level(
        "not_done",
        "Không hoàn thành nhiệm vụ",
        false,
        true,
        "not_done",
    ),
];

/// QĐ 366's bands: ≥ 90, 70–< 90, 50–< 70, < 50.
const POINT_LEVELS: &[Level] = &[
    Level {
        min_points: Some(90),
        ..FOUR_LEVELS[0]
    },
    Level {
        min_points: Some(70),
        ..FOUR_LEVELS[1]
    },
    Level {
        min_points: Some(50),
        ..FOUR_LEVELS[2]
    },
    Level {
        min_points: Some(0),
        ..FOUR_LEVELS[3]
    },
];

/// HD 21-HD/BTCTW (2019): members rated excellent at most 20 % of those rated good, within each
/// grassroots organization. The clause's place in QĐ 124 and QĐ 366 is UNVERIFIED (DOMAIN.md §2).
const EXCELLENT_QUOTA: &[Quota] = &[Quota {
    level: "excellent",
    per_mille: 200,
    of: &["good"],
    verified: false,
}];

/// Local caps of 2014 (Thái Nguyên's guide): clean and strong at most 50 % of the organizations,
/// exemplary at most 20 %; UNVERIFIED as central rules, kept as editable data.
const OLD_ORGANIZATION_QUOTAS: &[Quota] = &[
    Quota {
        level: "clean",
        per_mille: 500,
        of: &["clean_exemplary", "clean", "good", "done", "weak"],
        verified: false,
    },
    Quota {
        level: "clean_exemplary",
        per_mille: 200,
        of: &["clean_exemplary", "clean", "good", "done", "weak"],
        verified: false,
    },
];

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap_or(NaiveDate::MIN)
}

fn edition(
    document: &'static str,
    from: NaiveDate,
    source: &'static str,
    verified: bool,
    rules: RatingScheme,
) -> Edition<RatingScheme> {
    Edition {
        document,
        title: "Kiểm điểm, đánh giá, xếp loại chất lượng tổ chức đảng và đảng viên",
        in_force_from: from,
        source,
        verified,
        rules,
    }
}

/// The rating schemes, oldest first. Dates marked unverified are data to correct.
pub fn schemes() -> Editions<RatingScheme> {
    let old = || RatingScheme {
        organization_levels: OLD_ORGANIZATION,
        member_levels: OLD_MEMBER,
        points: false,
        quarterly: false,
        member_quotas: &[],
        organization_quotas: OLD_ORGANIZATION_QUOTAS,
        not_rated_if_admitted_within_months: None,
        disciplined_fails: true,
    };
    let four = || RatingScheme {
        organization_levels: FOUR_LEVELS,
        member_levels: FOUR_LEVELS,
        member_quotas: EXCELLENT_QUOTA,
        organization_quotas: &[],
        ..old()
    };
    let list = vec![
        edition("20-HD/BTCTW", d(2008, 1, 1), "", false, old()),
        edition(
            "27-HD/BTCTW",
            d(2014, 1, 1),
            "https://baothainguyen.vn/thoi-su-trong-tinh/201412/huong-dan-kiem-diem-danh-gia-xep-loai-to-chuc-dang-va-dang-vien-367B229",
            false,
            old(),
        ),
        edition(
            "132-QĐ/TW",
            d(2018, 3, 8),
            "https://thuvienphapluat.vn/hoi-dap-phap-luat/iframe/4CDB4-hd-dang-vien-hoan-thanh-tot-nhiem-vu-co-duoc-khen-thuong-khong.html",
            false,
            four(),
        ),
        edition(
            "124-QĐ/TW",
            d(2023, 10, 4),
            "https://xaydungchinhsach.chinhphu.vn/print/quy-dinh-124-qd-tw-cac-truong-hop-tap-the-ca-nhan-duoc-xep-loai-khong-hoan-thanh-nhiem-vu-119231009165620474.htm",
            true,
            RatingScheme {
                not_rated_if_admitted_within_months: Some(6),
                ..four()
            },
        ),
        edition(
            "366-QĐ/TW",
            d(2025, 8, 30),
            "https://thanhnien.vn/bo-chinh-tri-ban-hanh-tieu-chi-danh-gia-can-bo-dang-vien-theo-thang-diem-100-185250920111919699.htm",
            true,
            RatingScheme {
                organization_levels: POINT_LEVELS,
                member_levels: POINT_LEVELS,
                points: true,
                quarterly: true,
                not_rated_if_admitted_within_months: Some(6),
                ..four()
            },
        ),
    ];
    match Editions::new(list) {
        Ok(editions) => editions,
        Err(e) => unreachable!("rating editions out of order: {e}"),
    }
}
