//! Annual review and quality rating (kiểm điểm, đánh giá, xếp loại chất lượng, DOMAIN.md §2): the
//! schemes as dated editions ([`rules`]), and the checks a rating meets as it is entered: the
//! period the scheme rates, a level the scheme has, points inside the level's band, who is not
//! rated, the quota per grassroots organization, and the members failing two years running.
//! Pure rules, no I/O: the ratings capability keeps the ratings and calls these.

pub mod figures;
pub mod rules;

use chrono::{Months, NaiveDate};
use serde::Serialize;

use crate::rules::Edition;

use self::rules::{Level, Quota, RatingScheme, schemes};

vocabulary!(
    /// Who is rated: a member, or a party organization.
    Subject {
        Member => "member", "Đảng viên";
        Organization => "organization", "Tổ chức đảng";
    }
);

vocabulary!(
    /// Why a member on the branch's list is not rated.
    NotRated {
        Exempt => "exempt", "Miễn công tác và sinh hoạt";
        Suspended => "suspended", "Đình chỉ sinh hoạt";
        RecentlyAdmitted => "recently_admitted", "Kết nạp chưa đủ 6 tháng";
    }
);

/// The period a rating covers: a year, or (where the scheme rates quarters) one of the first
/// three quarters, the fourth going into the year's rating.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Period {
    pub year: i32,
    /// 1–3 for a quarter; `None` for the year.
    pub quarter: Option<u32>,
}

impl Period {
    pub fn year(year: i32) -> Period {
        Period {
            year,
            quarter: None,
        }
    }

    /// The day the period is reviewed on: its last day (the review closes with it).
    pub fn review_date(self) -> NaiveDate {
        let (month, day) = match self.quarter {
            Some(1) => (3, 31),
            Some(2) => (6, 30),
            Some(_) => (9, 30),
            None => (12, 31),
        };
        NaiveDate::from_ymd_opt(self.year, month, day).unwrap_or(NaiveDate::MIN)
    }

    /// "Năm 2025", "Quý 2 năm 2026".
    pub fn label_vi(self) -> String {
        match self.quarter {
            Some(q) => format!("Quý {q} năm {}", self.year),
            None => format!("Năm {}", self.year),
        }
    }
}

/// The scheme a period is rated with: the one in force on its review date.
pub fn scheme_for(period: Period) -> &'static Edition<RatingScheme> {
    use std::sync::OnceLock;
    static SCHEMES: OnceLock<crate::rules::Editions<RatingScheme>> = OnceLock::new();
    SCHEMES.get_or_init(schemes).on(period.review_date())
}

/// Every level code of every scheme, once each, best first within each scheme (an API's closed
/// list).
pub fn all_level_codes() -> Vec<&'static str> {
    let mut codes: Vec<&'static str> = Vec::new();
    for edition in schemes().all() {
        for level in edition
            .rules
            .member_levels
            .iter()
            .chain(edition.rules.organization_levels)
        {
            if !codes.contains(&level.code) {
                codes.push(level.code);
            }
        }
    }
    codes
}

/// Why a rating is refused: a stable code, the scheme it comes from, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RatingProblem {
    /// `rating.period`, `rating.level`, `rating.points`, `rating.quota`.
    pub rule: &'static str,
    /// The scheme's document and edition.
    pub source: String,
    pub message: String,
}

/// The levels a scheme gives one subject.
pub fn levels(scheme: &RatingScheme, subject: Subject) -> &'static [Level] {
    match subject {
        Subject::Member => scheme.member_levels,
        Subject::Organization => scheme.organization_levels,
    }
}

/// Checks a rating of `subject` for `period`: the scheme rates such a period, has the level (by
/// code or label), and where it scores, the points lie in the level's band. Gives the level.
pub fn check_rating(
    period: Period,
    subject: Subject,
    level: &str,
    points: Option<u32>,
) -> Result<Level, RatingProblem> {
    let edition = scheme_for(period);
    let scheme = &edition.rules;
    let problem = |rule: &'static str, message: String| RatingProblem {
        rule,
        source: edition.citation(),
        message,
    };
    check_period(period)?;
    let found = level_of(period, subject, level)?;
    match (scheme.points, points) {
        (true, None) => Err(problem(
            "rating.points",
            format!("{} chấm điểm: cần số điểm (0 đến 100)", edition.document),
        )),
        (false, Some(_)) => Err(problem(
            "rating.points",
            format!("{} không chấm điểm: để trống số điểm", edition.document),
        )),
        (true, Some(points)) => {
            let band = band_of(levels(scheme, subject), points);
            if points > 100 {
                return Err(problem(
                    "rating.points",
                    format!("{points} điểm: thang điểm đến 100"),
                ));
            }
            if band.map(|b| b.code) != Some(found.code) {
                return Err(problem(
                    "rating.points",
                    format!(
                        "{points} điểm thuộc mức «{}», không phải «{}»",
                        band.map_or("?", |b| b.label_vi),
                        found.label_vi
                    ),
                ));
            }
            Ok(found)
        }
        (false, None) => Ok(found),
    }
}

/// Checks that the period's scheme rates such a period: years always, the first three quarters
/// where it rates quarters.
pub fn check_period(period: Period) -> Result<(), RatingProblem> {
    let edition = scheme_for(period);
    let problem = |message: String| RatingProblem {
        rule: "rating.period",
        source: edition.citation(),
        message,
    };
    if period.quarter.is_some() && !edition.rules.quarterly {
        return Err(problem(format!(
            "{} xếp loại theo năm, không theo quý",
            edition.document
        )));
    }
    if period.quarter.is_some_and(|q| !(1..=3).contains(&q)) {
        return Err(problem(
            "chỉ đánh giá quý 1, 2, 3; quý 4 gộp vào đánh giá năm".into(),
        ));
    }
    Ok(())
}

/// The level of the period's scheme named by `text` (its code, or its words without regard to
/// tone marks or case).
pub fn level_of(period: Period, subject: Subject, text: &str) -> Result<Level, RatingProblem> {
    let edition = scheme_for(period);
    let list = levels(&edition.rules, subject);
    let folded = crate::text::fold(text);
    list.iter()
        .find(|l| l.code == text.trim() || crate::text::fold(l.label_vi) == folded)
        .copied()
        .ok_or_else(|| RatingProblem {
            rule: "rating.level",
            source: edition.citation(),
            message: format!(
                "«{}» không phải mức của {}: {}",
                text.trim(),
                edition.document,
                list.iter()
                    .map(|l| l.label_vi)
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
        })
}

/// A level's words in the period's scheme, from its code (or words): empty for empty, the text
/// itself when the scheme has no such level (nothing recorded is hidden).
pub fn level_words(period: Period, subject: Subject, text: &str) -> String {
    if text.trim().is_empty() {
        return String::new();
    }
    level_of(period, subject, text).map_or_else(|_| text.to_string(), |l| l.label_vi.to_string())
}

/// The level whose band holds `points` (the best level whose minimum it reaches).
fn band_of(levels: &'static [Level], points: u32) -> Option<&'static Level> {
    levels
        .iter()
        .find(|l| l.min_points.is_some_and(|min| points >= min))
}

/// Why a member on the branch's list is not rated for `period`: exempt or suspended on the review
/// date, or (where the scheme says so) admitted fewer months before it than the scheme asks.
pub fn not_rated(
    period: Period,
    exempt: bool,
    suspended: bool,
    admitted_on: Option<NaiveDate>,
) -> Option<NotRated> {
    if exempt {
        return Some(NotRated::Exempt);
    }
    if suspended {
        return Some(NotRated::Suspended);
    }
    let review = period.review_date();
    let months = scheme_for(period)
        .rules
        .not_rated_if_admitted_within_months?;
    let admitted = admitted_on?;
    let enough = admitted
        .checked_add_months(Months::new(months))
        .unwrap_or(NaiveDate::MAX);
    (review < enough).then_some(NotRated::RecentlyAdmitted)
}

/// The quota a grassroots organization's ratings break, if any: the level, how many it has and
/// how many the quota allows (rounded down, as a share "at most" is read).
pub fn quota_problem(
    period: Period,
    subject: Subject,
    counts: &[(&str, u32)],
) -> Option<RatingProblem> {
    let edition = scheme_for(period);
    let quotas: &[Quota] = match subject {
        Subject::Member => edition.rules.member_quotas,
        Subject::Organization => edition.rules.organization_quotas,
    };
    let count_of = |code: &str| {
        counts
            .iter()
            .filter(|(c, _)| {
                *c == code
                    || levels(&edition.rules, subject)
                        .iter()
                        .any(|l| l.code == *c && l.also_counts_as == Some(code))
            })
            .map(|(_, n)| u64::from(*n))
            .sum::<u64>()
    };
    quotas.iter().find_map(|quota| {
        // The base counts each rating once, by its own level.
        let base: u64 = counts
            .iter()
            .filter(|(c, _)| quota.of.contains(c))
            .map(|(_, n)| u64::from(*n))
            .sum();
        let allowed = base * u64::from(quota.per_mille) / 1000;
        let actual = count_of(quota.level);
        let label = levels(&edition.rules, subject)
            .iter()
            .find(|l| l.code == quota.level)
            .map_or(quota.level, |l| l.label_vi);
        (actual > allowed).then(|| RatingProblem {
            rule: "rating.quota",
            source: edition.citation(),
            message: format!(
                "«{label}»: {actual}, quá số được phép {allowed} ({} ‰ của {base}){}",
                quota.per_mille,
                if quota.verified {
                    ""
                } else {
                    "; tỷ lệ chưa đối chiếu được văn bản gốc, sửa trong dữ liệu quy định nếu khác"
                }
            ),
        })
    })
}

/// Whether a member failing in `period` failed the year before too (a list for the committee to
/// consider removal; HD 02-HD/BTCTW 2021). Years only: quarters do not count.
pub fn failing_two_years(previous: Option<&Level>, this: &Level) -> bool {
    this.failing && previous.is_some_and(|l| l.failing)
}

#[cfg(test)]
mod tests;
