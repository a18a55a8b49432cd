use super::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

#[test]
fn each_year_is_rated_with_its_scheme() {
    assert_eq!(scheme_for(Period::year(2012)).document, "20-HD/BTCTW");
    assert_eq!(scheme_for(Period::year(2016)).document, "27-HD/BTCTW");
    assert_eq!(scheme_for(Period::year(2021)).document, "132-QĐ/TW");
    assert_eq!(scheme_for(Period::year(2024)).document, "124-QĐ/TW");
    // QĐ 366 took effect on 30 August 2025: the review of 2025 uses it, its first quarters not.
    assert_eq!(scheme_for(Period::year(2025)).document, "366-QĐ/TW");
    let q2 = Period {
        year: 2025,
        quarter: Some(2),
    };
    assert_eq!(scheme_for(q2).document, "124-QĐ/TW");
}

#[test]
fn the_old_scheme_rates_organizations_clean_and_strong() {
    let level = check_rating(
        Period::year(2012),
        Subject::Organization,
        "Trong sạch, vững mạnh tiêu biểu",
        None,
    )
    .unwrap();
    assert_eq!(level.code, "clean_exemplary");
    assert_eq!(level.also_counts_as, Some("clean"));
    assert_eq!(level.comparable, "excellent");
    // The four-level words are not the old scheme's organization levels.
    let refused = check_rating(
        Period::year(2012),
        Subject::Organization,
        "Hoàn thành xuất sắc nhiệm vụ",
        None,
    )
    .unwrap_err();
    assert_eq!(refused.rule, "rating.level");
    assert!(refused.source.contains("20-HD/BTCTW"));
    // A year of the four-level scheme takes them, by code or by words without tone marks.
    let level = check_rating(
        Period::year(2021),
        Subject::Organization,
        "hoan thanh xuat sac nhiem vu",
        None,
    )
    .unwrap();
    assert_eq!(level.code, "excellent");
}

#[test]
fn qd_366_scores_points_inside_the_level_s_band_and_rates_quarters() {
    let q2 = Period {
        year: 2026,
        quarter: Some(2),
    };
    assert_eq!(
        check_rating(q2, Subject::Member, "good", Some(70))
            .unwrap()
            .code,
        "good"
    );
    assert_eq!(
        check_rating(q2, Subject::Member, "excellent", Some(90))
            .unwrap()
            .code,
        "excellent"
    );
    for (level, points) in [("good", 69), ("good", 90), ("done", 49), ("excellent", 101)] {
        let refused = check_rating(q2, Subject::Member, level, Some(points)).unwrap_err();
        assert_eq!(refused.rule, "rating.points", "{level} {points}");
    }
    assert_eq!(
        check_rating(q2, Subject::Member, "good", None)
            .unwrap_err()
            .rule,
        "rating.points"
    );
    // The fourth quarter goes into the year; the four-level schemes rate years only.
    let q4 = Period {
        year: 2026,
        quarter: Some(4),
    };
    assert_eq!(
        check_rating(q4, Subject::Member, "good", Some(75))
            .unwrap_err()
            .rule,
        "rating.period"
    );
    let old_quarter = Period {
        year: 2021,
        quarter: Some(1),
    };
    assert_eq!(
        check_rating(old_quarter, Subject::Member, "good", None)
            .unwrap_err()
            .rule,
        "rating.period"
    );
    // Points where the scheme does not score are refused, not ignored.
    assert_eq!(
        check_rating(Period::year(2021), Subject::Member, "good", Some(80))
            .unwrap_err()
            .rule,
        "rating.points"
    );
}

#[test]
fn the_exempt_the_suspended_and_from_2023_the_newly_admitted_are_not_rated() {
    let y2021 = Period::year(2021);
    let y2024 = Period::year(2024);
    assert_eq!(not_rated(y2021, true, false, None), Some(NotRated::Exempt));
    assert_eq!(
        not_rated(y2021, false, true, None),
        Some(NotRated::Suspended)
    );
    // Admitted on 1 August: under 6 months at the 2024 review (QĐ 124), rated in 2021 (QĐ 132).
    assert_eq!(
        not_rated(y2024, false, false, Some(d(2024, 8, 1))),
        Some(NotRated::RecentlyAdmitted)
    );
    assert_eq!(not_rated(y2021, false, false, Some(d(2021, 8, 1))), None);
    // Six months to the day is enough.
    assert_eq!(not_rated(y2024, false, false, Some(d(2024, 6, 30))), None);
    assert_eq!(
        not_rated(y2024, false, false, Some(d(2024, 7, 1))),
        Some(NotRated::RecentlyAdmitted)
    );
}

#[test]
fn excellent_members_are_at_most_a_fifth_of_the_good_ones() {
    let year = Period::year(2021);
    assert!(quota_problem(year, Subject::Member, &[("excellent", 2), ("good", 10)]).is_none());
    let refused = quota_problem(year, Subject::Member, &[("excellent", 3), ("good", 10)]).unwrap();
    assert_eq!(refused.rule, "rating.quota");
    assert!(
        refused.message.contains("3, quá số được phép 2"),
        "{}",
        refused.message
    );
    // Rounded down: 9 good members allow one excellent.
    assert!(quota_problem(year, Subject::Member, &[("excellent", 2), ("good", 9)]).is_some());
}

#[test]
fn old_local_caps_count_the_exemplary_as_clean_and_strong() {
    let year = Period::year(2016);
    let counts = [
        ("clean_exemplary", 2),
        ("clean", 4),
        ("good", 3),
        ("done", 1),
    ];
    // 6 clean and strong of 10: over half.
    let refused = quota_problem(year, Subject::Organization, &counts).unwrap();
    assert!(
        refused.message.contains("6, quá số được phép 5"),
        "{}",
        refused.message
    );
    let counts = [
        ("clean_exemplary", 2),
        ("clean", 3),
        ("good", 4),
        ("done", 1),
    ];
    assert!(quota_problem(year, Subject::Organization, &counts).is_none());
}

#[test]
fn two_failing_years_in_a_row_put_a_member_on_the_list() {
    let failing = check_rating(Period::year(2021), Subject::Member, "not_done", None).unwrap();
    let done = check_rating(Period::year(2020), Subject::Member, "done", None).unwrap();
    assert!(failing_two_years(Some(&failing), &failing));
    assert!(!failing_two_years(Some(&done), &failing));
    assert!(!failing_two_years(None, &failing));
}

#[test]
fn every_scheme_s_levels_have_unique_codes_and_one_comparable_scale() {
    let scales = ["excellent", "good", "done", "not_done"];
    for year in [2012, 2016, 2021, 2024, 2025] {
        let scheme = &scheme_for(Period::year(year)).rules;
        for subject in [Subject::Member, Subject::Organization] {
            let list = levels(scheme, subject);
            let mut codes: Vec<&str> = list.iter().map(|l| l.code).collect();
            codes.dedup();
            assert_eq!(codes.len(), list.len());
            assert!(list.iter().all(|l| scales.contains(&l.comparable)));
            assert_eq!(list.iter().filter(|l| l.failing).count(), 1);
        }
    }
}
