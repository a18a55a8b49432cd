//! Ratings through the access layer, on both engines: a branch rated under the 2018 scheme with
//! its quota, who is not rated, the old scheme's levels, QĐ 366's points and quarters, a decided
//! rating changed only by a new decision, the members failing two years running, the scope.

use dangbo_domain::access::Role;
use dangbo_domain::ratings::{NotRated, Period};
use dangbo_store::StoreError;
use dangbo_store::access::{Access, Dataset, EventInput, Rated, RatingInput};
use dangbo_testkit::fixture::{self, table};
use dangbo_testkit::{TestDb, conformance};

/// Eight more members of CA, admitted in 2010 and full from 2011.
async fn branch_of_ten(db: &TestDb) {
    let rows: Vec<[String; 7]> = (1..=8)
        .map(|i| {
            [
                format!("M{i:02}"),
                format!("Nông Văn Thành {i}"),
                "Nam".into(),
                "01/01/1990".into(),
                "01/03/2010".into(),
                "01/03/2011".into(),
                "CA".into(),
            ]
        })
        .collect();
    let lines: Vec<Vec<&str>> = rows
        .iter()
        .map(|r| r.iter().map(String::as_str).collect())
        .collect();
    let refs: Vec<&[&str]> = lines.iter().map(Vec::as_slice).collect();
    fixture::load(
        db,
        Dataset::Members,
        &table(
            &[
                "Mã đảng viên",
                "Họ và tên",
                "Giới tính",
                "Ngày sinh",
                "Ngày vào Đảng",
                "Ngày chính thức",
                "Mã chi bộ",
            ],
            &refs,
        ),
    )
    .await;
}

fn decided(level: &str) -> RatingInput {
    RatingInput {
        level: level.into(),
        decided_by: "Đảng ủy xã An Thắng".into(),
        decision_number: "12-QĐ/ĐU".into(),
        ..RatingInput::default()
    }
}

fn rule_of(result: Result<Rated, StoreError>) -> &'static str {
    match result {
        Err(e) => e.rule().unwrap_or_else(|| panic!("no rule: {e:?}")),
        Ok(r) => panic!("accepted: {r:?}"),
    }
}

async fn staff(db: &TestDb) -> Access {
    fixture::access(db, "tochuc", Role::Organization, Some("XA")).await
}

async fn a_branch_is_rated_within_its_quota(db: &TestDb) {
    fixture::two_communes(db).await;
    branch_of_ten(db).await;
    let staff = staff(db).await;
    // A2 is exempt from work and activity through 2021: on the list, not rated.
    staff
        .editor()
        .unwrap()
        .record_event(
            "A2",
            &EventInput {
                kind: "exemption".into(),
                date: "01/06/2021".into(),
                end_date: "01/06/2023".into(),
                ..EventInput::default()
            },
        )
        .await
        .unwrap();
    let year = Period::year(2021);
    let (_, list) = staff.branch_ratings("CA", year).await.unwrap().unwrap();
    assert_eq!(list.len(), 10);
    let a2 = list.iter().find(|m| m.code == "A2").unwrap();
    assert_eq!(a2.not_rated, Some(NotRated::Exempt));
    let writer = staff.rating_writer().unwrap();
    assert_eq!(
        rule_of(writer.rate_member("CA", "A2", year, &decided("good")).await),
        "rating.not_rated"
    );
    // Five good, one excellent (a fifth of the good), two done, one not done: the quota is
    // checked once everyone to rate is rated, whatever the order of entry.
    for (code, level) in [
        ("M06", "excellent"),
        ("M01", "good"),
        ("M02", "good"),
        ("M03", "Hoàn thành tốt nhiệm vụ"),
        ("M04", "good"),
        ("M05", "good"),
        ("M07", "done"),
        ("M08", "done"),
        ("A1", "not_done"),
    ] {
        let rated = writer
            .rate_member("CA", code, year, &decided(level))
            .await
            .unwrap_or_else(|e| panic!("{code}: {e:?}"));
        assert_eq!(rated, Rated::New);
    }
    // M05 moved from good to excellent: two excellent for four good is over the quota (none
    // allowed), refused with the count allowed, unless a decision allows it.
    let over = RatingInput {
        decision_number: "13-QĐ/ĐU".into(),
        ..decided("excellent")
    };
    match writer.rate_member("CA", "M05", year, &over).await {
        Err(StoreError::Invalid(refusal)) => {
            assert_eq!(refusal.code, "rating.quota");
            assert!(
                refusal.message.contains("2, quá số được phép 0"),
                "{}",
                refusal.message
            );
        }
        other => panic!("over the quota: {other:?}"),
    }
    let allowed = RatingInput {
        quota_exception: "05-QĐ/TU".into(),
        ..over.clone()
    };
    assert_eq!(
        writer
            .rate_member("CA", "M05", year, &allowed)
            .await
            .unwrap(),
        Rated::Replaced
    );
    let (_, list) = staff.branch_ratings("CA", year).await.unwrap().unwrap();
    let rated: Vec<&str> = list
        .iter()
        .filter_map(|m| m.rating.as_ref().map(|r| r.level.as_str()))
        .collect();
    assert_eq!(rated.len(), 9);
    let good_or_better = rated
        .iter()
        .filter(|l| ["excellent", "good"].contains(l))
        .count();
    assert_eq!(good_or_better, 6);
    assert_eq!(db.count("ratings").await, 10, "the replaced rating stays");
    // The figures of the year, as of its last day: the current ratings only.
    let window = dangbo_store::access::Window {
        as_of: dangbo_testkit::d(2021, 12, 31),
        from: dangbo_testkit::d(2021, 1, 1),
        to: dangbo_testkit::d(2021, 12, 31),
    };
    let keys = [
        "ratings.members.rated",
        "ratings.members.good_or_better",
        "ratings.members.excellent",
        "ratings.members.good",
        "ratings.members.not_done",
        "ratings.members.good_or_better.share",
    ];
    let definitions = staff.figures_named(&keys.map(String::from)).await.unwrap();
    let (_, values) = staff
        .figures("XA", &definitions, &window, false)
        .await
        .unwrap()
        .unwrap();
    let shown: Vec<String> = values.iter().map(|v| format!("{:?}", v.value)).collect();
    assert_eq!(values[0].value.as_count(), Some(9), "{shown:?}");
    assert_eq!(values[1].value.as_count(), Some(6));
    assert_eq!(values[2].value.as_count(), Some(2));
    assert_eq!(values[3].value.as_count(), Some(4));
    assert_eq!(values[4].value.as_count(), Some(1));
    assert!(
        shown[5].contains("numerator: 6") && shown[5].contains("denominator: 9"),
        "{}",
        shown[5]
    );
    let (_, records) = staff
        .figure_records("XA", &definitions[2], &window)
        .await
        .unwrap()
        .unwrap();
    let mut codes: Vec<&str> = records.iter().map(|r| r.code.as_str()).collect();
    codes.sort();
    assert_eq!(codes, vec!["M05", "M06"]);
    assert_eq!(records[0].detail, "Hoàn thành xuất sắc nhiệm vụ");
}

conformance!(quota_on_both_engines, a_branch_is_rated_within_its_quota);

async fn each_period_is_rated_with_its_scheme(db: &TestDb) {
    fixture::two_communes(db).await;
    let staff = staff(db).await;
    let writer = staff.rating_writer().unwrap();
    // The province's organization board rates the communes' committees.
    let province = fixture::access(db, "tinh", Role::Organization, Some("T")).await;
    let upper = province.rating_writer().unwrap();
    // 2012: the old scheme's levels for organizations (XA's one branch: the local cap of half
    // the organizations clean and strong applies once all are rated, and refuses it alone).
    assert_eq!(
        rule_of(
            writer
                .rate_organization("CA", Period::year(2012), &decided("Trong sạch, vững mạnh"))
                .await
        ),
        "rating.quota"
    );
    assert_eq!(
        writer
            .rate_organization("CA", Period::year(2012), &decided("good"))
            .await
            .unwrap(),
        Rated::New
    );
    assert_eq!(
        rule_of(
            upper
                .rate_organization("XA", Period::year(2012), &decided("excellent"))
                .await
        ),
        "rating.level"
    );
    // The first quarter of 2026: QĐ 366's points, inside the level's band.
    let q1 = Period {
        year: 2026,
        quarter: Some(1),
    };
    let scored = |level: &str, points: u32| RatingInput {
        points: Some(points),
        ..decided(level)
    };
    assert_eq!(
        writer
            .rate_member("CA", "A1", q1, &scored("good", 75))
            .await
            .unwrap(),
        Rated::New
    );
    assert_eq!(
        rule_of(
            writer
                .rate_member("CA", "A2", q1, &scored("good", 60))
                .await
        ),
        "rating.points"
    );
    // The same rating again changes nothing; another level needs another decision.
    assert_eq!(
        writer
            .rate_member("CA", "A1", q1, &scored("good", 75))
            .await
            .unwrap(),
        Rated::Unchanged
    );
    assert_eq!(
        rule_of(
            writer
                .rate_member("CA", "A1", q1, &scored("excellent", 92))
                .await
        ),
        "rating.needs_decision"
    );
    // Not a member of the branch on the review date; not a unit that is rated.
    assert!(matches!(
        writer
            .rate_member("CA", "B1", q1, &scored("good", 75))
            .await,
        Err(StoreError::Fields(_))
    ));
    assert_eq!(
        rule_of(
            upper
                .rate_organization("XA", Period::year(2002), &decided("Yếu kém"))
                .await
        ),
        "rating.not_rated"
    );
    // Another commune's branch is out of scope.
    assert!(matches!(
        writer
            .rate_member("CB", "B1", q1, &scored("good", 75))
            .await,
        Err(StoreError::NotFound(_))
    ));
    let viewer = fixture::access(db, "xem", Role::Viewer, Some("XA")).await;
    assert!(matches!(
        viewer.rating_writer(),
        Err(StoreError::Forbidden(_))
    ));
}

conformance!(
    schemes_on_both_engines,
    each_period_is_rated_with_its_scheme
);

async fn a_member_failing_two_years_is_listed(db: &TestDb) {
    fixture::two_communes(db).await;
    let staff = staff(db).await;
    let writer = staff.rating_writer().unwrap();
    for (code, y2020, y2021) in [("A1", "not_done", "not_done"), ("A2", "done", "not_done")] {
        writer
            .rate_member("CA", code, Period::year(2020), &decided(y2020))
            .await
            .unwrap();
        writer
            .rate_member("CA", code, Period::year(2021), &decided(y2021))
            .await
            .unwrap();
    }
    let listed = staff.failing_two_years("XA", 2021).await.unwrap().unwrap();
    let codes: Vec<&str> = listed
        .iter()
        .filter_map(|r| r.member_code.as_deref())
        .collect();
    assert_eq!(codes, vec!["A1"]);
    assert!(staff.failing_two_years("XB", 2021).await.unwrap().is_none());
    // The commune's committee is rated by the province, not by the commune's own staff.
    assert!(matches!(
        writer
            .rate_organization("XA", Period::year(2021), &decided("good"))
            .await,
        Err(StoreError::Forbidden(_))
    ));
    // The figure counts the same list; the commune's branch rated under the branches' levels.
    writer
        .rate_organization("CA", Period::year(2021), &decided("good"))
        .await
        .unwrap();
    let keys = [
        "ratings.members.failing_two_years",
        "ratings.branches.rated",
        "ratings.branches.good",
        "ratings.grassroots.rated",
    ];
    let definitions = staff.figures_named(&keys.map(String::from)).await.unwrap();
    let day = dangbo_testkit::d(2021, 12, 31);
    let window = dangbo_store::access::Window {
        as_of: day,
        from: day,
        to: day,
    };
    let (_, values) = staff
        .figures("XA", &definitions, &window, false)
        .await
        .unwrap()
        .unwrap();
    let counts: Vec<Option<i64>> = values.iter().map(|v| v.value.as_count()).collect();
    assert_eq!(counts, vec![Some(1), Some(1), Some(1), Some(0)]);
}

conformance!(
    failing_on_both_engines,
    a_member_failing_two_years_is_listed
);

const SHEET: [&str; 8] = [
    "Mã đảng viên",
    "Họ và tên",
    "Mã chi bộ",
    "Năm",
    "Xếp loại",
    "Điểm",
    "Cấp quyết định",
    "Số quyết định",
];

async fn a_branch_sheet_imports_all_or_nothing(db: &TestDb) {
    fixture::two_communes(db).await;
    let staff = staff(db).await;
    let importer = staff.importer().unwrap();
    let row =
        |code: &'static str, name: &'static str, level: &'static str, points: &'static str| {
            [
                code,
                name,
                "CA",
                "2021",
                level,
                points,
                "Đảng ủy xã An Thắng",
                "7-QĐ/ĐU",
            ]
        };
    // Row 2 gives points to a 2021 rating (QĐ 132 does not score), row 3 a name that is not the
    // member's, row 4 names a branch out of scope, row 5 rates A1 a second time: nothing is
    // written and every bad row is named.
    let bad = table(
        &SHEET,
        &[
            &row("A1", "", "Hoàn thành tốt nhiệm vụ", "80"),
            &row("A2", "Người Khác", "Hoàn thành nhiệm vụ", ""),
            &["B1", "", "CB", "2021", "good", "", "Đảng ủy xã", "7-QĐ/ĐU"],
            &row("A1", "", "Hoàn thành nhiệm vụ", ""),
        ],
    );
    let Err(StoreError::Import(errors)) = importer
        .apply(
            Dataset::MemberRatings,
            &bad,
            "t",
            &mut dangbo_store::access::Quiet,
        )
        .await
    else {
        panic!("a sheet with bad rows was accepted");
    };
    let named: Vec<(usize, &str)> = errors.iter().map(|e| (e.row, e.column.as_str())).collect();
    assert_eq!(
        named,
        vec![
            (2, "Điểm"),
            (3, "Họ và tên"),
            (4, "Mã chi bộ"),
            (5, "Mã đảng viên")
        ],
        "{errors:?}"
    );
    assert!(errors[0].message.contains("rating.points"), "{errors:?}");
    assert!(errors[3].message.contains("dòng 2"), "{errors:?}");
    let (_, list) = staff
        .branch_ratings("CA", Period::year(2021))
        .await
        .unwrap()
        .unwrap();
    assert!(
        list.iter().all(|m| m.rating.is_none()),
        "nothing is written"
    );

    // The good sheet is written whole; read back from its export, nothing changes.
    let good = table(
        &SHEET,
        &[
            &row("A1", "", "Hoàn thành tốt nhiệm vụ", ""),
            &row("A2", "", "hoan thanh nhiem vu", ""),
        ],
    );
    let summary = importer
        .apply(
            Dataset::MemberRatings,
            &good,
            "t",
            &mut dangbo_store::access::Quiet,
        )
        .await
        .unwrap();
    assert_eq!((summary.created, summary.unchanged), (2, 0));
    let (_, list) = staff
        .branch_ratings("CA", Period::year(2021))
        .await
        .unwrap()
        .unwrap();
    let levels: Vec<Option<&str>> = list
        .iter()
        .map(|m| m.rating.as_ref().map(|r| r.level.as_str()))
        .collect();
    assert_eq!(levels, vec![Some("good"), Some("done")]);
    let exported = staff.export(Dataset::MemberRatings).await.unwrap();
    assert_eq!(exported.rows.len(), 2);
    assert_eq!(
        exported.rows[0].1[7], "Hoàn thành tốt nhiệm vụ",
        "levels in words"
    );
    let again = importer
        .apply(
            Dataset::MemberRatings,
            &exported,
            "t",
            &mut dangbo_store::access::Quiet,
        )
        .await
        .unwrap();
    assert_eq!((again.created, again.unchanged), (0, 2));

    // An organization's sheet: CA under the 2025 scheme needs its points.
    let units = table(
        &[
            "Mã đơn vị",
            "Năm",
            "Xếp loại",
            "Điểm",
            "Cấp quyết định",
            "Số quyết định",
        ],
        &[
            &[
                "CA",
                "2025",
                "Hoàn thành tốt nhiệm vụ",
                "",
                "Đảng ủy xã",
                "9-QĐ/ĐU",
            ],
            &["XB", "2025", "good", "75", "Đảng ủy xã", "9-QĐ/ĐU"],
        ],
    );
    let Err(StoreError::Import(errors)) = importer
        .apply(
            Dataset::UnitRatings,
            &units,
            "t",
            &mut dangbo_store::access::Quiet,
        )
        .await
    else {
        panic!("accepted");
    };
    let named: Vec<(usize, &str)> = errors.iter().map(|e| (e.row, e.column.as_str())).collect();
    assert_eq!(named, vec![(2, "Điểm"), (3, "Mã đơn vị")], "{errors:?}");
    let fixed = table(
        &[
            "Mã đơn vị",
            "Năm",
            "Xếp loại",
            "Điểm",
            "Cấp quyết định",
            "Số quyết định",
        ],
        &[&[
            "CA",
            "2025",
            "Hoàn thành tốt nhiệm vụ",
            "75",
            "Đảng ủy xã",
            "9-QĐ/ĐU",
        ]],
    );
    importer
        .apply(
            Dataset::UnitRatings,
            &fixed,
            "t",
            &mut dangbo_store::access::Quiet,
        )
        .await
        .unwrap();
    let exported = staff.export(Dataset::UnitRatings).await.unwrap();
    assert_eq!(exported.rows.len(), 1);
    assert_eq!(exported.rows[0].1[7], "75");
}

conformance!(
    sheets_on_both_engines,
    a_branch_sheet_imports_all_or_nothing
);
