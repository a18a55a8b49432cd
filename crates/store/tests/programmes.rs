//! Work programmes through the access layer: documents and targets filed inside the scope, a
//! target bound to a figure judged from the records (and again when they change), a reported
//! target judged on the value entered, on both engines.

use dangbo_domain::NaiveDate;
use dangbo_domain::access::Role;
use dangbo_domain::programmes::TargetResult;
use dangbo_store::StoreError;
use dangbo_store::access::{Dataset, NewDocument, NewTarget, Quiet, RowError, TargetStatus};
use dangbo_testkit::fixture::{self, table};
use dangbo_testkit::{TestDb, conformance, d};

fn resolution(unit: &str) -> NewDocument {
    NewDocument {
        unit: unit.into(),
        kind: "Nghị quyết".into(),
        number: "01-NQ/ĐU".into(),
        title: "Nghị quyết Đại hội Đảng bộ xã nhiệm kỳ 2020 – 2025".into(),
        signed_on: Some(d(2020, 8, 20)),
        valid_from: Some(d(2020, 8, 20)),
        valid_to: Some(d(2025, 6, 30)),
        domain: "Xây dựng Đảng".into(),
        ..NewDocument::default()
    }
}

fn admissions_2021() -> NewTarget {
    NewTarget {
        document: "01-NQ/ĐU".into(),
        document_id: None,
        unit: "XA".into(),
        text: "Kết nạp từ 2 đảng viên mới trở lên".into(),
        domain: "party_building".into(),
        from: Some(d(2021, 1, 1)),
        to: Some(d(2021, 12, 31)),
        figure: "admissions".into(),
        comparator: ">=".into(),
        value: Some(2.0),
        allocated_from: String::new(),
    }
}

/// Admits a new member to CA on a date.
async fn admit(db: &TestDb, code: &str, date: &str) {
    let headers = [
        "Mã đảng viên",
        "Họ và tên",
        "Giới tính",
        "Ngày sinh",
        "Ngày vào Đảng",
        "Mã chi bộ",
    ];
    fixture::load(
        db,
        Dataset::Members,
        &table(
            &headers,
            &[&[code, "Hà Thị Mai", "Nữ", "01/01/1998", date, "CA"]],
        ),
    )
    .await;
}

fn one(statuses: &[TargetStatus], text: &str) -> TargetStatus {
    statuses
        .iter()
        .find(|s| s.target.text.starts_with(text))
        .cloned()
        .unwrap_or_else(|| panic!("no target «{text}» in {statuses:?}"))
}

async fn targets_are_judged_from_the_records(db: &TestDb) {
    fixture::two_communes(db).await;
    let office = fixture::access(db, "vanphong", Role::Office, Some("XA")).await;
    let writer = office.programmes().unwrap();
    writer.add_document(&resolution("XA")).await.unwrap();
    writer.add_target(&admissions_2021()).await.unwrap();
    let income = writer
        .add_target(&NewTarget {
            text: "Thu nhập bình quân đầu người đạt từ 40 triệu đồng".into(),
            domain: "Kinh tế".into(),
            figure: String::new(),
            comparator: "≥".into(),
            value: Some(40.0),
            ..admissions_2021()
        })
        .await
        .unwrap();
    let year = |office: &dangbo_store::access::Access, to: NaiveDate| {
        let office = office.clone();
        async move {
            office
                .targets("XA", d(2021, 1, 1), to)
                .await
                .unwrap()
                .expect("XA is in scope")
                .1
        }
    };
    // Nothing admitted yet: the year ends short of the target; nothing reported is not 0.
    let before = year(&office, d(2021, 12, 31)).await;
    let admissions = one(&before, "Kết nạp");
    assert_eq!(admissions.actual, Some(0.0));
    assert_eq!(admissions.assessment.result, TargetResult::NotAchieved);
    assert_eq!(admissions.assessment.percent_text(), "0 %");
    let reported = one(&before, "Thu nhập");
    assert_eq!(reported.actual, None);
    assert_eq!(reported.assessment.result, TargetResult::NotDue);
    // One admission in March, one in September: half the target by June, met by December.
    admit(db, "A7", "15/03/2021").await;
    admit(db, "A8", "10/09/2021").await;
    let half = one(&year(&office, d(2021, 6, 30)).await, "Kết nạp");
    assert_eq!(half.actual, Some(1.0));
    assert_eq!(half.counted_to, d(2021, 6, 30));
    assert_eq!(
        (
            half.assessment.result,
            half.assessment.percent_text().as_str()
        ),
        (TargetResult::NotDue, "50 %")
    );
    let after = one(&year(&office, d(2021, 12, 31)).await, "Kết nạp");
    assert_eq!(
        (
            after.actual,
            after.assessment.result,
            after.assessment.percent_text().as_str()
        ),
        (Some(2.0), TargetResult::Achieved, "100 %")
    );
    // Asked past the target's year, it is counted over its own year only.
    let later = one(&year(&office, d(2022, 6, 30)).await, "Kết nạp");
    assert_eq!(
        (later.counted_to, later.actual),
        (d(2021, 12, 31), Some(2.0))
    );
    // The reported target takes the value entered, with its source.
    writer
        .report_value(income, d(2021, 12, 31), 42.5, "Báo cáo số 98-BC/UBND")
        .await
        .unwrap();
    let income_status = one(&year(&office, d(2021, 12, 31)).await, "Thu nhập");
    assert_eq!(income_status.actual, Some(42.5));
    assert_eq!(
        income_status.source.as_deref(),
        Some("Báo cáo số 98-BC/UBND")
    );
    assert_eq!(
        (
            income_status.assessment.result,
            income_status.assessment.percent_text().as_str()
        ),
        (TargetResult::Achieved, "106,25 %")
    );
    // A target bound to a figure takes no reported number.
    let figure_target = one(&before, "Kết nạp").target.id;
    assert!(matches!(
        writer
            .report_value(figure_target, d(2021, 12, 31), 5.0, "x")
            .await,
        Err(StoreError::Fields(_))
    ));
    // Another commune's staff see none of it.
    let other = fixture::access(db, "bocbo", Role::Office, Some("XB")).await;
    assert!(
        other
            .targets("XA", d(2021, 1, 1), d(2021, 12, 31))
            .await
            .unwrap()
            .is_none()
    );
    let mine = other
        .targets("XB", d(2021, 1, 1), d(2021, 12, 31))
        .await
        .unwrap()
        .unwrap()
        .1;
    assert!(mine.is_empty());
    assert!(matches!(
        other
            .programmes()
            .unwrap()
            .report_value(income, d(2021, 12, 31), 1.0, "x")
            .await,
        Err(StoreError::NotFound(_))
    ));
}

conformance!(targets_on_both_engines, targets_are_judged_from_the_records);

async fn bad_documents_and_targets_are_named(db: &TestDb) {
    fixture::two_communes(db).await;
    let viewer = fixture::access(db, "xem", Role::Viewer, Some("XA")).await;
    assert!(matches!(viewer.programmes(), Err(StoreError::Forbidden(_))));
    let office = fixture::access(db, "vanphong", Role::Office, Some("XA")).await;
    let writer = office.programmes().unwrap();
    let fields = |result: Result<i64, StoreError>| match result {
        Err(StoreError::Fields(problems)) => {
            problems.into_iter().map(|(f, _)| f).collect::<Vec<_>>()
        }
        other => panic!("expected field problems, got {other:?}"),
    };
    // A plan numbered as a resolution, out of the scope, with its validity reversed.
    let wrong = NewDocument {
        unit: "XB".into(),
        kind: "Kế hoạch".into(),
        valid_to: Some(d(2019, 1, 1)),
        ..resolution("XA")
    };
    assert_eq!(
        fields(writer.add_document(&wrong).await),
        ["number", "valid_to", "unit"]
    );
    writer.add_document(&resolution("XA")).await.unwrap();
    assert_eq!(
        fields(writer.add_document(&resolution("XA")).await),
        ["number"],
        "the same number twice in a year"
    );
    let bad = NewTarget {
        figure: "members.nothing".into(),
        comparator: "=>".into(),
        ..admissions_2021()
    };
    assert_eq!(
        fields(writer.add_target(&bad).await),
        ["comparator", "figure"]
    );
    let outside = NewTarget {
        unit: "CB".into(),
        ..admissions_2021()
    };
    assert_eq!(fields(writer.add_target(&outside).await), ["unit"]);
    let late = NewTarget {
        from: Some(d(2025, 1, 1)),
        to: Some(d(2025, 12, 31)),
        ..admissions_2021()
    };
    assert_eq!(
        fields(writer.add_target(&late).await),
        ["from"],
        "past the document's validity"
    );
    let unknown = NewTarget {
        document: "99-NQ/ĐU".into(),
        ..admissions_2021()
    };
    assert_eq!(fields(writer.add_target(&unknown).await), ["document"]);
    // A branch's target may come from its commune's resolution.
    writer
        .add_target(&NewTarget {
            unit: "CA".into(),
            value: Some(1.0),
            ..admissions_2021()
        })
        .await
        .unwrap();
    assert_eq!(
        db.count("targets").await,
        1,
        "nothing written by the refused ones"
    );
}

conformance!(
    refusals_on_both_engines,
    bad_documents_and_targets_are_named
);

async fn documents_issued_are_counted_by_issuer_and_kind(db: &TestDb) {
    fixture::two_communes(db).await;
    let office = fixture::access(db, "vanphong", Role::Office, Some("XA")).await;
    let writer = office.programmes().unwrap();
    writer.add_document(&resolution("XA")).await.unwrap();
    for (unit, body, kind, number, signed) in [
        ("XA", "", "Kế hoạch", "02-KH/ĐU", d(2021, 3, 1)),
        ("CA", "", "Kế hoạch", "01-KH/CB", d(2021, 4, 1)),
        (
            "XA",
            "Hội Nông dân xã",
            "Chương trình hành động",
            "01-CTr/HND",
            d(2021, 5, 1),
        ),
        ("XA", "", "Kế hoạch", "09-KH/ĐU", d(2022, 1, 10)),
    ] {
        writer
            .add_document(&NewDocument {
                unit: unit.into(),
                issuing_body: body.into(),
                kind: kind.into(),
                number: number.into(),
                signed_on: Some(signed),
                valid_from: Some(signed),
                valid_to: Some(d(2025, 6, 30)),
                ..resolution("XA")
            })
            .await
            .unwrap();
    }
    let window = dangbo_store::access::Window {
        as_of: d(2021, 12, 31),
        from: d(2021, 1, 1),
        to: d(2021, 12, 31),
    };
    let count = |key: &'static str| {
        let office = office.clone();
        async move {
            let figure = office.figure(key).await.unwrap().unwrap();
            let (_, values) = office
                .figures("XA", std::slice::from_ref(&figure), &window, false)
                .await
                .unwrap()
                .unwrap();
            values[0].value.as_count().unwrap()
        }
    };
    assert_eq!(count("documents.issued").await, 3, "2021 only");
    assert_eq!(count("documents.issued.own").await, 1);
    assert_eq!(count("documents.issued.sub_units").await, 1);
    assert_eq!(count("documents.issued.mass_organizations").await, 1);
    assert_eq!(count("documents.issued.plan").await, 2);
    assert_eq!(count("documents.issued.own.plan").await, 1);
    assert_eq!(
        count("documents.issued.mass_organizations.action_program").await,
        1
    );
    // The records behind a count: the documents, by number, with their issuer.
    let figure = office
        .figure("documents.issued.plan")
        .await
        .unwrap()
        .unwrap();
    let (_, records) = office
        .figure_records("XA", &figure, &window)
        .await
        .unwrap()
        .unwrap();
    let numbers: Vec<&str> = records.iter().map(|r| r.code.as_str()).collect();
    assert_eq!(numbers, ["02-KH/ĐU", "01-KH/CB"]);
    assert_eq!(records[1].unit_code, "CA");
    // Another commune counts none of them.
    let other = fixture::access(db, "bocbo", Role::Viewer, Some("XB")).await;
    let figure = other.figure("documents.issued").await.unwrap().unwrap();
    let (_, values) = other
        .figures("XB", std::slice::from_ref(&figure), &window, false)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(values[0].value.as_count(), Some(0));
}

conformance!(
    documents_on_both_engines,
    documents_issued_are_counted_by_issuer_and_kind
);

const DOCUMENT_HEADERS: [&str; 10] = [
    "Số văn bản",
    "Loại văn bản",
    "Trích yếu",
    "Mã đơn vị ban hành",
    "Cơ quan ban hành",
    "Ngày ban hành",
    "Hiệu lực từ",
    "Hiệu lực đến",
    "Lĩnh vực",
    "Thực hiện văn bản",
];

const TARGET_HEADERS: [&str; 11] = [
    "Số văn bản",
    "Mã đơn vị",
    "Nội dung chỉ tiêu",
    "Lĩnh vực",
    "Từ ngày",
    "Đến ngày",
    "Chỉ số",
    "So sánh",
    "Giá trị",
    "Giá trị báo cáo",
    "Nguồn số liệu",
];

async fn programmes_come_in_and_go_out_as_files(db: &TestDb) {
    fixture::two_communes(db).await;
    // Another commune's document, which the office of XA must neither see nor export.
    let national = fixture::access(db, "quantri", Role::Administrator, None).await;
    national
        .programmes()
        .unwrap()
        .add_document(&resolution("XB"))
        .await
        .unwrap();
    let office = fixture::access(db, "vanphong", Role::Office, Some("XA")).await;
    let importer = office.importer().unwrap();
    assert!(
        matches!(
            importer
                .preview(Dataset::Units, &table(&["Mã", "Tên"], &[]))
                .await,
            Err(StoreError::Forbidden(_))
        ),
        "the office imports documents, not units"
    );
    // The programme comes before the resolution it implements: the file is read whole.
    let documents = table(
        &DOCUMENT_HEADERS,
        &[
            &[
                "05-CTr/ĐU",
                "Chương trình hành động",
                "Chương trình hành động thực hiện Nghị quyết Đại hội",
                "XA",
                "",
                "01/10/2020",
                "01/10/2020",
                "30/06/2025",
                "Xây dựng Đảng",
                "01-NQ/ĐU",
            ],
            &[
                "01-NQ/ĐU",
                "Nghị quyết",
                "Nghị quyết Đại hội Đảng bộ xã nhiệm kỳ 2020 – 2025",
                "XA",
                "",
                "20/08/2020",
                "20/08/2020",
                "30/06/2025",
                "Xây dựng Đảng",
                "",
            ],
            &[
                "02-CTr/ĐTN",
                "Chương trình hành động",
                "Chương trình hành động của Đoàn xã",
                "XA",
                "Đoàn Thanh niên xã An Thắng",
                "05/11/2020",
                "05/11/2020",
                "30/06/2025",
                "Dân vận",
                "01-NQ/ĐU",
            ],
        ],
    );
    let summary = importer
        .apply(Dataset::Documents, &documents, "van-ban.xlsx", &mut Quiet)
        .await
        .unwrap();
    assert_eq!((summary.created, summary.updated), (3, 0));
    let (_, filed) = office
        .documents("XA", d(2020, 1, 1), d(2020, 12, 31))
        .await
        .unwrap()
        .unwrap();
    let programme = filed.iter().find(|x| x.number == "05-CTr/ĐU").unwrap();
    assert_eq!(programme.implements.as_deref(), Some("01-NQ/ĐU"));
    let targets = table(
        &TARGET_HEADERS,
        &[
            &[
                "01-NQ/ĐU",
                "XA",
                "Kết nạp từ 2 đảng viên mới trở lên",
                "Xây dựng Đảng",
                "01/01/2021",
                "31/12/2021",
                "admissions",
                ">=",
                "2",
                "",
                "",
            ],
            &[
                "01-NQ/ĐU",
                "XA",
                "Thu nhập bình quân đầu người đạt từ 40 triệu đồng",
                "Kinh tế",
                "01/01/2021",
                "31/12/2021",
                "",
                "≥",
                "40",
                "42,5",
                "Báo cáo số 12-BC/UBND",
            ],
        ],
    );
    let summary = importer
        .apply(Dataset::Targets, &targets, "chi-tieu.csv", &mut Quiet)
        .await
        .unwrap();
    assert_eq!(summary.created, 2);
    let (_, judged) = office
        .targets("XA", d(2021, 1, 1), d(2021, 12, 31))
        .await
        .unwrap()
        .unwrap();
    let income = one(&judged, "Thu nhập");
    assert_eq!(income.actual, Some(42.5));
    assert_eq!(income.assessment.result, TargetResult::Achieved);
    assert_eq!(one(&judged, "Kết nạp").actual, Some(0.0));

    // What goes out comes back in unchanged; the other commune's document stays out.
    let out = office.export(Dataset::Documents).await.unwrap();
    assert_eq!(out.headers, DOCUMENT_HEADERS);
    assert_eq!(out.rows.len(), 3, "{:?}", out.rows);
    let again = importer
        .apply(Dataset::Documents, &out, "ra.xlsx", &mut Quiet)
        .await
        .unwrap();
    assert_eq!((again.created, again.updated, again.unchanged), (0, 0, 3));
    let out = office.export(Dataset::Targets).await.unwrap();
    assert_eq!(&out.headers[..11], TARGET_HEADERS);
    let income_row = &out.rows.iter().find(|(_, r)| r[3] == "Kinh tế").unwrap().1;
    assert_eq!(
        income_row[6..],
        [
            "",
            ">=",
            "40",
            "42,5",
            "Báo cáo số 12-BC/UBND",
            "31/12/2021",
            ""
        ],
        "the measure and the value reported, with its date; not a part of another"
    );
    let again = importer
        .apply(Dataset::Targets, &out, "ra.xlsx", &mut Quiet)
        .await
        .unwrap();
    assert_eq!((again.created, again.updated, again.unchanged), (0, 0, 2));

    // No document carries itself out, directly or round a circle of documents of one day.
    let itself = table(
        &DOCUMENT_HEADERS,
        &[&[
            "01-NQ/ĐU",
            "Nghị quyết",
            "Nghị quyết Đại hội Đảng bộ xã nhiệm kỳ 2020 – 2025",
            "XA",
            "",
            "20/08/2020",
            "20/08/2020",
            "30/06/2025",
            "Xây dựng Đảng",
            "01-NQ/ĐU",
        ]],
    );
    let Err(StoreError::Import(errors)) = importer
        .apply(Dataset::Documents, &itself, "vong.xlsx", &mut Quiet)
        .await
    else {
        panic!("a document implementing itself is refused")
    };
    assert_eq!(errors[0].column, "Thực hiện văn bản", "{errors:?}");
    let circle = |number: &'static str, other: &'static str| {
        [
            number,
            "Kế hoạch",
            "Kế hoạch",
            "XA",
            "",
            "02/02/2021",
            "02/02/2021",
            "31/12/2021",
            "Xây dựng Đảng",
            other,
        ]
    };
    let rows = [
        circle("21-KH/ĐU", "22-KH/ĐU"),
        circle("22-KH/ĐU", "21-KH/ĐU"),
    ];
    let Err(StoreError::Import(errors)) = importer
        .apply(
            Dataset::Documents,
            &table(
                &DOCUMENT_HEADERS,
                &rows.iter().map(|r| &r[..]).collect::<Vec<_>>(),
            ),
            "vong.xlsx",
            &mut Quiet,
        )
        .await
    else {
        panic!("a circle of documents is refused")
    };
    assert!(
        errors[0].message.contains("không thể thực hiện ngược lại"),
        "{errors:?}"
    );

    // A bad file writes nothing and names every bad row.
    let good_row = [
        "01-NQ/ĐU",
        "CA",
        "Chi bộ kết nạp 1 đảng viên",
        "Xây dựng Đảng",
        "01/01/2021",
        "31/12/2021",
        "admissions",
        ">=",
        "1",
        "",
        "",
    ];
    let with = |column: usize, value: &'static str| {
        let mut row = good_row;
        row[column] = value;
        row
    };
    let rows = [
        with(6, "members.nothing"),
        with(7, "=>"),
        with(1, "CB"),
        with(8, "abc"),
        with(9, "3"),
        good_row,
    ];
    let bad = table(
        &TARGET_HEADERS,
        &rows.iter().map(|r| &r[..]).collect::<Vec<_>>(),
    );
    let before = db.count("targets").await;
    let Err(StoreError::Import(errors)) = importer
        .apply(Dataset::Targets, &bad, "xau.csv", &mut Quiet)
        .await
    else {
        panic!("a bad file is refused")
    };
    let named: Vec<(usize, &str, &str)> = errors
        .iter()
        .map(|e: &RowError| (e.row, e.column.as_str(), e.value.as_str()))
        .collect();
    assert_eq!(
        named,
        [
            (2, "Chỉ số", "members.nothing"),
            (3, "So sánh", "=>"),
            (4, "Mã đơn vị", "CB"),
            (5, "Giá trị", "abc"),
            (6, "Giá trị báo cáo", "3"),
        ],
        "{errors:?}"
    );
    assert_eq!(db.count("targets").await, before, "nothing written");
}

conformance!(
    programme_files_on_both_engines,
    programmes_come_in_and_go_out_as_files
);

async fn target_figures_count_what_the_summary_judges(db: &TestDb) {
    fixture::two_communes(db).await;
    let office = fixture::access(db, "vanphong", Role::Office, Some("XA")).await;
    let writer = office.programmes().unwrap();
    writer.add_document(&resolution("XA")).await.unwrap();
    writer.add_target(&admissions_2021()).await.unwrap();
    let income = writer
        .add_target(&NewTarget {
            text: "Thu nhập bình quân đầu người đạt từ 40 triệu đồng".into(),
            domain: "Kinh tế".into(),
            figure: String::new(),
            value: Some(40.0),
            ..admissions_2021()
        })
        .await
        .unwrap();
    let bound_to_targets = NewTarget {
        figure: "targets.met".into(),
        ..admissions_2021()
    };
    assert!(
        matches!(writer.add_target(&bound_to_targets).await, Err(StoreError::Fields(f)) if f[0].0 == "figure"),
        "a target is not measured by the targets"
    );
    let year = dangbo_store::access::Window {
        as_of: d(2021, 12, 31),
        from: d(2021, 1, 1),
        to: d(2021, 12, 31),
    };
    let counts = |access: dangbo_store::access::Access, unit: &'static str, window| async move {
        let keys: Vec<String> = [
            "targets.total",
            "targets.met",
            "targets.total.economy",
            "targets.met.economy",
            "targets.met.party_building",
        ]
        .map(String::from)
        .to_vec();
        let figures = access.figures_named(&keys).await.unwrap();
        let (_, values) = access
            .figures(unit, &figures, &window, false)
            .await
            .unwrap()
            .unwrap();
        values
            .iter()
            .map(|v| v.value.as_count().unwrap())
            .collect::<Vec<_>>()
    };
    assert_eq!(counts(office.clone(), "XA", year).await, [2, 0, 1, 0, 0]);
    admit(db, "A7", "15/03/2021").await;
    admit(db, "A8", "10/09/2021").await;
    writer
        .report_value(income, d(2021, 12, 31), 42.5, "Báo cáo số 98-BC/UBND")
        .await
        .unwrap();
    // Recorded admissions and the reported income meet both; the figures follow the records.
    assert_eq!(counts(office.clone(), "XA", year).await, [2, 2, 1, 1, 1]);
    let report = office
        .targets_report("XA", year.from, year.to)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (report.met, report.total),
        (2, 2),
        "the summary says the same"
    );
    // By June the admissions are half-way and the income not reported yet: none met.
    let half = dangbo_store::access::Window {
        as_of: d(2021, 6, 30),
        from: d(2021, 1, 1),
        to: d(2021, 6, 30),
    };
    assert_eq!(counts(office.clone(), "XA", half).await, [2, 0, 1, 0, 0]);
    // The records behind the targets met: the targets, with their document and measure.
    let figure = office.figure("targets.met").await.unwrap().unwrap();
    let (_, records) = office
        .figure_records("XA", &figure, &year)
        .await
        .unwrap()
        .unwrap();
    let listed: Vec<(&str, &str, &str)> = records
        .iter()
        .map(|r| (r.code.as_str(), r.name.as_str(), r.detail.as_str()))
        .collect();
    assert_eq!(
        listed,
        [
            (
                "01-NQ/ĐU",
                "Kết nạp từ 2 đảng viên mới trở lên",
                "Xây dựng Đảng · >= 2"
            ),
            (
                "01-NQ/ĐU",
                "Thu nhập bình quân đầu người đạt từ 40 triệu đồng",
                "Kinh tế · >= 40"
            ),
        ]
    );
    // Another commune counts none of them.
    let other = fixture::access(db, "bocbo", Role::Viewer, Some("XB")).await;
    assert_eq!(counts(other, "XB", year).await, [0, 0, 0, 0, 0]);
}

conformance!(
    target_figures_on_both_engines,
    target_figures_count_what_the_summary_judges
);

const TASK_HEADERS: [&str; 7] = [
    "Số văn bản",
    "Mã đơn vị",
    "Nhiệm vụ",
    "Chủ trì",
    "Ngày giao",
    "Hạn hoàn thành",
    "Ngày hoàn thành",
];

async fn tasks_are_counted_by_their_state_on_each_day(db: &TestDb) {
    use dangbo_domain::programmes::tasks::TaskState;
    use dangbo_store::access::{NewTask, NewTaskReport};
    fixture::two_communes(db).await;
    let office = fixture::access(db, "vanphong", Role::Office, Some("XA")).await;
    let writer = office.programmes().unwrap();
    writer.add_document(&resolution("XA")).await.unwrap();
    let task = |text: &str, unit: &str, deadline: NaiveDate| NewTask {
        document: "01-NQ/ĐU".into(),
        unit: unit.into(),
        text: text.into(),
        owner: "Văn phòng Đảng ủy".into(),
        assigned_on: Some(d(2021, 1, 4)),
        deadline: Some(deadline),
        ..NewTask::default()
    };
    let early = writer
        .add_task(&task("Kiện toàn chi bộ thôn", "XA", d(2021, 3, 31)))
        .await
        .unwrap();
    let late = writer
        .add_task(&task("Rà soát hồ sơ đảng viên", "CA", d(2021, 6, 30)))
        .await
        .unwrap();
    let idle = writer
        .add_task(&task("Tổng kết nghị quyết", "XA", d(2021, 12, 31)))
        .await
        .unwrap();
    let today = d(2026, 11, 30);
    let report = |day: NaiveDate, state: &str| NewTaskReport {
        reported_on: Some(day),
        state: state.into(),
        note: "Đã họp triển khai".into(),
    };
    writer
        .report_task(early, &report(d(2021, 2, 1), "Đang thực hiện"), today)
        .await
        .unwrap();
    writer
        .report_task(early, &report(d(2021, 3, 20), "Hoàn thành"), today)
        .await
        .unwrap();
    writer
        .report_task(late, &report(d(2021, 7, 15), "done"), today)
        .await
        .unwrap();
    // Reports the rules refuse: before the task, in the future, in progress after done.
    let fields = |result: Result<(), StoreError>| match result {
        Err(StoreError::Fields(problems)) => problems.into_iter().map(|(f, _)| f).collect(),
        other => panic!("expected field problems, got {other:?}"),
    };
    let refused: Vec<String> = fields(
        writer
            .report_task(idle, &report(d(2020, 12, 1), "done"), today)
            .await,
    );
    assert_eq!(refused, ["reported_on"]);
    let refused: Vec<String> = fields(
        writer
            .report_task(idle, &report(d(2027, 1, 1), "done"), today)
            .await,
    );
    assert_eq!(refused, ["reported_on"]);
    let refused: Vec<String> = fields(
        writer
            .report_task(early, &report(d(2021, 4, 1), "in_progress"), today)
            .await,
    );
    assert_eq!(refused, ["state"]);
    let refused: Vec<String> = fields(
        writer
            .report_task(early, &report(d(2021, 3, 10), "done"), today)
            .await,
    );
    assert_eq!(refused, ["state"], "done once, on one day");
    writer
        .report_task(idle, &report(d(2021, 5, 1), "in_progress"), today)
        .await
        .unwrap();
    let refused: Vec<String> = fields(
        writer
            .report_task(idle, &report(d(2021, 4, 1), "done"), today)
            .await,
    );
    assert_eq!(
        refused,
        ["reported_on"],
        "not done before progress reported"
    );
    let refused: Vec<String> = fields(
        writer
            .add_task(&NewTask {
                deadline: Some(d(2020, 12, 31)),
                owner: String::new(),
                ..task("Quá hạn từ đầu", "CB", d(2021, 1, 1))
            })
            .await
            .map(|_| ()),
    );
    assert_eq!(refused, ["owner", "unit"]);
    // The figures, day by day, count what the task's own rule says of each task.
    let keys: Vec<String> = [
        "tasks.total",
        "tasks.assigned",
        "tasks.in_progress",
        "tasks.done",
        "tasks.overdue",
        "tasks.done_on_time",
    ]
    .map(String::from)
    .to_vec();
    let figures = office.figures_named(&keys).await.unwrap();
    let all = office.tasks("XA", today).await.unwrap().unwrap().1;
    assert_eq!(all.len(), 3);
    for day in [
        d(2021, 1, 1),
        d(2021, 1, 4),
        d(2021, 2, 1),
        d(2021, 3, 20),
        d(2021, 4, 1),
        d(2021, 7, 1),
        d(2021, 7, 15),
        d(2022, 1, 1),
    ] {
        let window = dangbo_store::access::Window {
            as_of: day,
            from: d(2021, 1, 1),
            to: day,
        };
        let (_, values) = office
            .figures("XA", &figures, &window, false)
            .await
            .unwrap()
            .unwrap();
        let counted: Vec<i64> = values.iter().map(|v| v.value.as_count().unwrap()).collect();
        let states: Vec<TaskState> = all.iter().filter_map(|t| t.task.state_on(day)).collect();
        let of = |state| states.iter().filter(|s| **s == state).count() as i64;
        let on_time = all
            .iter()
            .filter(|t| {
                t.task.done_on.is_some_and(|done| done <= day) && t.task.dates().done_on_time()
            })
            .count() as i64;
        assert_eq!(
            counted,
            [
                states.len() as i64,
                of(TaskState::Assigned),
                of(TaskState::InProgress),
                of(TaskState::Done),
                of(TaskState::Overdue),
                on_time
            ],
            "on {day}"
        );
    }
    // Overdue first in the list; the commune's own view as of mid-2021.
    let (_, mid) = office.tasks("XA", d(2021, 7, 1)).await.unwrap().unwrap();
    assert_eq!(mid[0].state, TaskState::Overdue);
    assert_eq!(mid[0].task.text, "Rà soát hồ sơ đảng viên");
    assert_eq!(mid[0].days_left, Some(-1));
    // Another commune sees none of them.
    let other = fixture::access(db, "bocbo", Role::Office, Some("XB")).await;
    assert!(other.tasks("XA", today).await.unwrap().is_none());
    assert!(other.task(early).await.unwrap().is_none());

    // A file of tasks: the done date recorded once; a bad file writes nothing.
    let importer = office.importer().unwrap();
    let file = table(
        &TASK_HEADERS,
        &[
            &[
                "01-NQ/ĐU",
                "CA",
                "Phát triển đảng viên ở thôn chưa có đảng viên",
                "Chi bộ thôn Nà Làng",
                "",
                "30/09/2021",
                "15/09/2021",
            ],
            &[
                "01-NQ/ĐU",
                "XA",
                "Kiện toàn chi bộ thôn",
                "Văn phòng Đảng ủy",
                "04/01/2021",
                "31/03/2021",
                "20/03/2021",
            ],
        ],
    );
    let summary = importer
        .apply(Dataset::Tasks, &file, "nhiem-vu.xlsx", &mut Quiet)
        .await
        .unwrap();
    assert_eq!(
        (summary.created, summary.updated, summary.unchanged),
        (1, 0, 1)
    );
    let out = office.export(Dataset::Tasks).await.unwrap();
    assert_eq!(out.headers, TASK_HEADERS);
    assert_eq!(out.rows.len(), 4);
    let again = importer
        .apply(Dataset::Tasks, &out, "ra.xlsx", &mut Quiet)
        .await
        .unwrap();
    assert_eq!((again.created, again.updated, again.unchanged), (0, 0, 4));
    let before = db.count("tasks").await;
    let bad = table(
        &TASK_HEADERS,
        &[
            &[
                "01-NQ/ĐU",
                "CB",
                "Việc ngoài phạm vi",
                "Chi bộ",
                "",
                "30/09/2021",
                "",
            ],
            &[
                "01-NQ/ĐU",
                "XA",
                "Kiện toàn chi bộ thôn",
                "Văn phòng",
                "04/01/2021",
                "31/03/2021",
                "21/03/2021",
            ],
            &[
                "99-NQ/ĐU",
                "XA",
                "Văn bản không có",
                "Văn phòng",
                "",
                "31/12/2021",
                "",
            ],
            &[
                "01-NQ/ĐU",
                "XA",
                "Hạn sai",
                "Văn phòng",
                "",
                "31/13/2021",
                "",
            ],
            &[
                "01-NQ/ĐU",
                "XA",
                "Việc mới hợp lệ",
                "Văn phòng",
                "",
                "31/12/2021",
                "",
            ],
        ],
    );
    let Err(StoreError::Import(errors)) = importer
        .apply(Dataset::Tasks, &bad, "xau.xlsx", &mut Quiet)
        .await
    else {
        panic!("a bad file is refused")
    };
    let named: Vec<(usize, &str)> = errors.iter().map(|e| (e.row, e.column.as_str())).collect();
    assert_eq!(
        named,
        [
            (2, "Mã đơn vị"),
            (3, "Ngày hoàn thành"),
            (4, "Số văn bản"),
            (5, "Hạn hoàn thành")
        ],
        "{errors:?}"
    );
    assert_eq!(db.count("tasks").await, before, "nothing written");
}

conformance!(
    tasks_on_both_engines,
    tasks_are_counted_by_their_state_on_each_day
);

async fn a_target_split_among_sub_units_counts_once(db: &TestDb) {
    fixture::two_communes(db).await;
    let national = fixture::access(db, "quantri", Role::Administrator, None).await;
    // The province's resolution, its admission target split between the two communes; the
    // parts come before the whole in the file.
    let importer = national.importer().unwrap();
    let documents = table(
        &DOCUMENT_HEADERS,
        &[&[
            "09-NQ/TU",
            "Nghị quyết",
            "Nghị quyết về nhiệm vụ năm 2021",
            "T",
            "",
            "20/12/2020",
            "01/01/2021",
            "31/12/2021",
            "Xây dựng Đảng",
            "",
        ]],
    );
    importer
        .apply(Dataset::Documents, &documents, "vb.csv", &mut Quiet)
        .await
        .unwrap();
    let mut headers = TARGET_HEADERS.to_vec();
    headers.push("Phân bổ từ");
    let row = |unit: &'static str, text: &'static str, value: &'static str, whole: &'static str| {
        [
            "09-NQ/TU",
            unit,
            text,
            "Xây dựng Đảng",
            "01/01/2021",
            "31/12/2021",
            "admissions",
            ">=",
            value,
            "",
            "",
            whole,
        ]
    };
    let whole = "Kết nạp từ 5 đảng viên mới";
    let rows = [
        row("XA", "Xã An Thắng kết nạp 2 đảng viên", "2", whole),
        row("XB", "Xã Bộc Bố kết nạp 2 đảng viên", "2", whole),
        row("T", whole, "5", ""),
    ];
    let file = table(&headers, &rows.iter().map(|r| &r[..]).collect::<Vec<_>>());
    let summary = importer
        .apply(Dataset::Targets, &file, "ct.csv", &mut Quiet)
        .await
        .unwrap();
    assert_eq!(summary.created, 3);
    let (_, province) = national
        .targets("T", d(2021, 1, 1), d(2021, 12, 31))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        province.len(),
        1,
        "the province counts its whole once, not its parts"
    );
    let (_, commune) = national
        .targets("XA", d(2021, 1, 1), d(2021, 12, 31))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(commune.len(), 1, "the commune counts its part");
    let (_, documents) = national
        .documents("T", d(2020, 1, 1), d(2020, 12, 31))
        .await
        .unwrap()
        .unwrap();
    let file = national.document(documents[0].id).await.unwrap().unwrap();
    let split = &file.allocations[0];
    assert_eq!(
        (split.parts, split.sum, split.adds_up),
        (2, 4.0, Some(false)),
        "4 of 5 allocated"
    );
    // A part measured otherwise than its whole is refused.
    let mut wrong = row("XB", "Xã Bộc Bố kết nạp 3 đảng viên", "3", whole);
    wrong[6] = "members.total";
    let Err(StoreError::Import(errors)) = importer
        .apply(
            Dataset::Targets,
            &table(&headers, &[&wrong[..]]),
            "x.csv",
            &mut Quiet,
        )
        .await
    else {
        panic!("refused")
    };
    assert_eq!(errors[0].column, "Phân bổ từ", "{errors:?}");
    // The next year's resolution carries the same number and the same wording: a part and a
    // task of 2022 find the 2022 document and whole, not 2021's.
    let next_year = table(
        &DOCUMENT_HEADERS,
        &[&[
            "09-NQ/TU",
            "Nghị quyết",
            "Nghị quyết về nhiệm vụ năm 2022",
            "T",
            "",
            "20/12/2021",
            "01/01/2022",
            "31/12/2022",
            "Xây dựng Đảng",
            "",
        ]],
    );
    importer
        .apply(Dataset::Documents, &next_year, "vb.csv", &mut Quiet)
        .await
        .unwrap();
    let in_2022 = |mut r: [&'static str; 12]| {
        r[4] = "01/01/2022";
        r[5] = "31/12/2022";
        r
    };
    let rows = [
        in_2022(row("T", whole, "6", "")),
        in_2022(row("XA", "Xã An Thắng kết nạp 3 đảng viên", "3", whole)),
    ];
    importer
        .apply(
            Dataset::Targets,
            &table(&headers, &rows.iter().map(|r| &r[..]).collect::<Vec<_>>()),
            "ct.csv",
            &mut Quiet,
        )
        .await
        .unwrap();
    let task = national
        .programmes()
        .unwrap()
        .add_task(&dangbo_store::access::NewTask {
            document: "09-NQ/TU".into(),
            unit: "XA".into(),
            text: "Tổng kết năm".into(),
            owner: "Văn phòng".into(),
            assigned_on: Some(d(2022, 1, 10)),
            deadline: Some(d(2022, 12, 20)),
            ..Default::default()
        })
        .await
        .unwrap();
    let (task, _) = national.task(task).await.unwrap().unwrap();
    let (_, documents_2021) = national
        .documents("T", d(2021, 12, 1), d(2021, 12, 31))
        .await
        .unwrap()
        .unwrap();
    let file_2022 = national
        .document(documents_2021[0].id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        task.document_id, file_2022.document.id,
        "the 2022 resolution"
    );
    assert_eq!(
        (file_2022.allocations[0].parts, file_2022.allocations[0].sum),
        (1, 3.0)
    );

    // The commune's office reads its part but exports nothing of the province's document: an
    // export holds what its maker may import back.
    let office = fixture::access(db, "vanphong", Role::Office, Some("XA")).await;
    let (_, part) = office
        .targets("XA", d(2021, 1, 1), d(2021, 12, 31))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(part.len(), 1);
    assert!(
        office
            .export(Dataset::Targets)
            .await
            .unwrap()
            .rows
            .is_empty()
    );
}

conformance!(
    allocations_on_both_engines,
    a_target_split_among_sub_units_counts_once
);

async fn cached_programme_figures_follow_their_writes(db: &TestDb) {
    use dangbo_store::access::{NewTask, NewTaskReport};
    fixture::two_communes(db).await;
    let office = fixture::access(db, "vanphong", Role::Office, Some("XA"))
        .await
        .with_cache(std::sync::Arc::default());
    let year = dangbo_store::access::Window {
        as_of: d(2021, 12, 31),
        from: d(2021, 1, 1),
        to: d(2021, 12, 31),
    };
    let keys: Vec<String> = ["documents.issued", "targets.total", "tasks.done"]
        .map(String::from)
        .to_vec();
    let figures = office.figures_named(&keys).await.unwrap();
    let counts = || async {
        let (_, values) = office
            .figures("XA", &figures, &year, false)
            .await
            .unwrap()
            .unwrap();
        values
            .iter()
            .map(|v| v.value.as_count().unwrap())
            .collect::<Vec<_>>()
    };
    assert_eq!(counts().await, [0, 0, 0], "cached now");
    let writer = office.programmes().unwrap();
    writer
        .add_document(&NewDocument {
            signed_on: Some(d(2021, 1, 4)),
            valid_from: Some(d(2021, 1, 1)),
            valid_to: Some(d(2021, 12, 31)),
            ..resolution("XA")
        })
        .await
        .unwrap();
    assert_eq!(counts().await, [1, 0, 0], "a document filed");
    writer.add_target(&admissions_2021()).await.unwrap();
    assert_eq!(counts().await, [1, 1, 0], "a target set");
    let task = writer
        .add_task(&NewTask {
            document: "01-NQ/ĐU".into(),
            unit: "CA".into(),
            text: "Rà soát hồ sơ đảng viên".into(),
            owner: "Chi bộ".into(),
            deadline: Some(d(2021, 6, 30)),
            ..NewTask::default()
        })
        .await
        .unwrap();
    writer
        .report_task(
            task,
            &NewTaskReport {
                reported_on: Some(d(2021, 6, 1)),
                state: "done".into(),
                note: String::new(),
            },
            d(2026, 11, 30),
        )
        .await
        .unwrap();
    assert_eq!(counts().await, [1, 1, 1], "a task done");
}

conformance!(
    programme_cache_on_both_engines,
    cached_programme_figures_follow_their_writes
);
