//! The rating schemes, one edition per document: a 2012 rating is read with the 2008 scheme, a
//! 2026 rating with the 2025 100-point scheme.

use chrono::NaiveDate;

use crate::rules::{Edition, Editions};

/// What a scheme rates with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RatingScheme {
    /// The levels of a party organization, best first.
    pub organization_levels: &'static [&'static str],
    /// The levels of a member, best first.
    pub member_levels: &'static [&'static str],
    /// For a points-based scheme: the lowest score of each level, in the order of the levels.
    pub minimum_points: Option<&'static [u32]>,
}

const OLD_ORGANIZATION: &[&str] = &[
    "Trong sạch, vững mạnh",
    "Hoàn thành tốt nhiệm vụ",
    "Hoàn thành nhiệm vụ",
    "Yếu kém",
];
const OLD_MEMBER: &[&str] = &[
    "Đủ tư cách, hoàn thành xuất sắc nhiệm vụ",
    "Đủ tư cách, hoàn thành tốt nhiệm vụ",
    "Đủ tư cách, hoàn thành nhiệm vụ",
    "Vi phạm tư cách hoặc không hoàn thành nhiệm vụ",
];
const FOUR_LEVELS: &[&str] = &[
    "Hoàn thành xuất sắc nhiệm vụ",
    "Hoàn thành tốt nhiệm vụ",
    "Hoàn thành nhiệm vụ",
    "Không hoàn thành nhiệm vụ",
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
        minimum_points: None,
    };
    let four = || RatingScheme {
        organization_levels: FOUR_LEVELS,
        member_levels: FOUR_LEVELS,
        minimum_points: None,
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
            four(),
        ),
        edition(
            "366-QĐ/TW",
            d(2025, 8, 30),
            "https://thanhnien.vn/bo-chinh-tri-ban-hanh-tieu-chi-danh-gia-can-bo-dang-vien-theo-thang-diem-100-185250920111919699.htm",
            true,
            RatingScheme {
                minimum_points: Some(&[90, 70, 50, 0]),
                ..four()
            },
        ),
    ];
    match Editions::new(list) {
        Ok(editions) => editions,
        Err(e) => unreachable!("rating editions out of order: {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_year_is_rated_with_its_scheme() {
        let schemes = schemes();
        assert_eq!(schemes.on(d(2012, 12, 31)).document, "20-HD/BTCTW");
        assert_eq!(
            schemes.on(d(2016, 12, 31)).rules.organization_levels[0],
            "Trong sạch, vững mạnh"
        );
        assert_eq!(schemes.on(d(2021, 12, 31)).document, "132-QĐ/TW");
        assert_eq!(schemes.on(d(2024, 12, 31)).document, "124-QĐ/TW");
        let latest = schemes.on(d(2025, 12, 31));
        assert_eq!(latest.document, "366-QĐ/TW");
        assert_eq!(latest.rules.minimum_points, Some(&[90u32, 70, 50, 0][..]));
    }
}
