//! Inspection and discipline through the access layer, on both engines: a case on signs of
//! violation against two members and a branch, concluded with a warning and an expulsion; its
//! figures (each subject once), the expulsion in the member's history and the members' figures,
//! a complaint's deadline across a holiday and its settlement restoring the member, the
//! limitation period, the authority rules, and the confidentiality of it all.

use chrono::NaiveDate;
use dangbo_domain::access::Role;
use dangbo_store::StoreError;
use dangbo_store::access::{
    Access, CaseFilter, CaseInput, ComplaintInput, ConclusionInput, DecisionInput, SettlementInput,
    SubjectConclusion, Window,
};
use dangbo_testkit::{TestDb, conformance, d, fixture};

fn case(code: &str, kind: &str, unit: &str, on: NaiveDate, subjects: &[&str]) -> CaseInput {
    CaseInput {
        code: code.into(),
        kind: kind.into(),
        unit: unit.into(),
        body: "commission".into(),
        decision_number: format!("{code}-QĐ/UBKT"),
        decided_on: Some(on),
        subjects: subjects.iter().map(|s| s.to_string()).collect(),
        ..CaseInput::default()
    }
}

fn concluded(on: NaiveDate, subjects: &[(&str, &str)]) -> ConclusionInput {
    ConclusionInput {
        concluded_on: Some(on),
        subjects: subjects
            .iter()
            .map(|(s, c)| SubjectConclusion {
                subject: s.to_string(),
                conclusion: c.to_string(),
                note: String::new(),
            })
            .collect(),
    }
}

fn decision(case: &str, subject: &str, form: &str, by: &str, on: NaiveDate) -> DecisionInput {
    DecisionInput {
        case_code: case.into(),
        subject: subject.into(),
        form: form.into(),
        decided_by: by.into(),
        decision_number: "7-QĐ/ĐU".into(),
        decided_on: Some(on),
        violation_on: Some(d(2024, 12, 1)),
        reason: "Vi phạm quy định về những điều đảng viên không được làm".into(),
        ..DecisionInput::default()
    }
}

fn year(y: i32) -> Window {
    Window {
        as_of: d(y, 12, 31),
        from: d(y, 1, 1),
        to: d(y, 12, 31),
    }
}

async fn counts(access: &Access, unit: &str, keys: &[&str], window: &Window) -> Vec<i64> {
    let names: Vec<String> = keys.iter().map(|k| k.to_string()).collect();
    let definitions = access.figures_named(&names).await.unwrap();
    let (_, values) = access
        .figures(unit, &definitions, window, false)
        .await
        .unwrap()
        .unwrap();
    values
        .iter()
        .map(|v| {
            v.value
                .as_count()
                .unwrap_or_else(|| panic!("{}: {:?}", v.key, v.value))
        })
        .collect()
}

fn rule_of<T: std::fmt::Debug>(result: Result<T, StoreError>) -> (&'static str, String) {
    match result {
        Err(e) => (
            e.rule().unwrap_or_else(|| panic!("no rule: {e:?}")),
            e.to_string(),
        ),
        Ok(r) => panic!("accepted: {r:?}"),
    }
}

/// The commune's inspection commission opens a case on signs of violation against A1, A2 and
/// their branch, and a regular inspection of A1.
async fn cases_of_an_thang(inspector: &Access) {
    let writer = inspector.inspection_writer().unwrap();
    writer
        .record_case(&case(
            "KT-01",
            "signs_of_violation",
            "XA",
            d(2025, 3, 10),
            &["A1", "A2", "CA"],
        ))
        .await
        .unwrap();
    writer
        .record_case(&case(
            "KT-02",
            "Kiểm tra việc thực hiện nhiệm vụ",
            "XA",
            d(2025, 4, 1),
            &["A1"],
        ))
        .await
        .unwrap();
    let case = writer
        .conclude(
            "KT-01",
            &concluded(
                d(2025, 6, 10),
                &[
                    ("A1", "to_be_disciplined"),
                    ("A2", "Có vi phạm, đến mức phải kỷ luật"),
                    ("CA", "minor"),
                ],
            ),
        )
        .await
        .unwrap();
    assert_eq!(case.stage(), "concluded");
}

async fn a_case_on_signs_of_violation_is_counted_and_expels(db: &TestDb) {
    fixture::two_communes(db).await;
    let inspector = fixture::access(db, "ubkt", Role::Inspection, Some("XA")).await;
    cases_of_an_thang(&inspector).await;
    let writer = inspector.inspection_writer().unwrap();

    // A branch may only reprimand or warn its members.
    let (rule, message) = rule_of(
        writer
            .decide(&decision("KT-01", "A2", "expulsion", "CA", d(2025, 7, 1)))
            .await,
    );
    assert_eq!(rule, "discipline.authority", "{message}");

    writer
        .decide(&decision("KT-01", "A1", "Cảnh cáo", "XA", d(2025, 7, 1)))
        .await
        .unwrap();
    let expelled = writer
        .decide(&decision("KT-01", "A2", "expulsion", "XA", d(2025, 7, 1)))
        .await
        .unwrap();
    assert_eq!(expelled.member_code.as_deref(), Some("A2"));
    // The minor violation of the branch has no discipline.
    let refused = writer
        .decide(&decision("KT-01", "CA", "reprimand", "XA", d(2025, 7, 1)))
        .await;
    assert!(matches!(refused, Err(StoreError::Fields(_))), "{refused:?}");

    // The expulsion is in A2's history, and the members' figures follow it.
    let view = inspector
        .member("A2", d(2025, 12, 31))
        .await
        .unwrap()
        .unwrap();
    assert!(
        view.events
            .iter()
            .any(|e| e.event.kind.code() == "expulsion" && e.event.date == d(2025, 7, 1)),
        "{:?}",
        view.events
    );
    let on = |date: NaiveDate| Window {
        as_of: date,
        from: date,
        to: date,
    };
    assert_eq!(
        counts(&inspector, "XA", &["members.total"], &on(d(2025, 6, 30))).await,
        [2]
    );
    assert_eq!(
        counts(&inspector, "XA", &["members.total"], &on(d(2025, 7, 31))).await,
        [1]
    );

    // Each subject once per figure, however many cases it had.
    let keys = [
        "inspections.members",
        "inspections.organizations",
        "inspections.violation_signs.members",
        "inspections.violation_signs.organizations",
        "inspections.regular.members",
        "inspections.violations.members",
        "inspections.violations.organizations",
        "supervisions.members",
        "discipline.members",
        "discipline.members.warning",
        "discipline.members.expulsion",
        "discipline.organizations",
    ];
    assert_eq!(
        counts(&inspector, "XA", &keys, &year(2025)).await,
        [2, 1, 2, 1, 1, 2, 1, 0, 2, 1, 1, 0]
    );
    // The province counts the commune's work; the other commune and last year count none.
    assert_eq!(
        counts(&fixture::system(db), "T", &keys[..2], &year(2025)).await,
        [2, 1]
    );
    assert_eq!(
        counts(&fixture::system(db), "XB", &keys[..2], &year(2025)).await,
        [0, 0]
    );
    assert_eq!(
        counts(&inspector, "XA", &keys[..2], &year(2024)).await,
        [0, 0]
    );
    // 1 of the 1 grassroots organizations under XA inspected? XA itself was not a subject.
    assert_eq!(
        counts(
            &fixture::system(db),
            "T",
            &["inspections.grassroots"],
            &year(2025)
        )
        .await,
        [0]
    );

    // The drill-down lists the subjects, once each.
    let definitions = inspector
        .figures_named(&["inspections.members".to_string()])
        .await
        .unwrap();
    let (_, records) = inspector
        .figure_records("XA", &definitions[0], &year(2025))
        .await
        .unwrap()
        .unwrap();
    let mut codes: Vec<&str> = records.iter().map(|r| r.code.as_str()).collect();
    codes.sort();
    assert_eq!(codes, ["A1", "A2"]);

    // A complaint received on Friday 22/8/2025 is due 30 working days later, after the National
    // Day holiday of 1–2/9: Tuesday 7/10/2025 (3/10 without it).
    let complaint = writer
        .complain(&ComplaintInput {
            decision_id: expelled.id,
            received_on: Some(d(2025, 8, 22)),
            settling_unit: "T".into(),
            note: String::new(),
        })
        .await
        .unwrap();
    assert_eq!(complaint.deadline, d(2025, 10, 7));
    let overdue = ["discipline.complaints.overdue"];
    assert_eq!(
        counts(&inspector, "XA", &overdue, &on(d(2025, 10, 7))).await,
        [0]
    );
    assert_eq!(
        counts(&inspector, "XA", &overdue, &on(d(2025, 10, 8))).await,
        [1]
    );
    let open = inspector
        .open_complaints("XA", d(2025, 10, 8))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(open.len(), 1);
    assert!(open[0].0.overdue_on(d(2025, 10, 8)));

    // The province settles it (its scope), not the commune.
    let settlement = SettlementInput {
        complaint_id: complaint.id,
        settled_on: Some(d(2025, 10, 20)),
        result: "annulled".into(),
        new_form: String::new(),
        note: "Xóa bỏ quyết định khai trừ".into(),
    };
    assert!(matches!(
        writer.settle(&settlement).await,
        Err(StoreError::Forbidden(_))
    ));
    // A second complaint while one is open is refused.
    let again = writer
        .complain(&ComplaintInput {
            decision_id: expelled.id,
            received_on: Some(d(2025, 8, 25)),
            settling_unit: "T".into(),
            note: String::new(),
        })
        .await;
    assert!(matches!(again, Err(StoreError::Fields(_))), "{again:?}");
    // Annulled: the member is restored, and the expulsion no longer counts.
    let province = fixture::system(db);
    province
        .inspection_writer()
        .unwrap()
        .settle(&SettlementInput {
            complaint_id: complaint.id,
            settled_on: Some(d(2025, 10, 20)),
            result: "annulled".into(),
            new_form: String::new(),
            note: "Xóa bỏ quyết định khai trừ".into(),
        })
        .await
        .unwrap();
    assert_eq!(
        counts(&inspector, "XA", &["members.total"], &on(d(2025, 12, 31))).await,
        [2]
    );
    assert_eq!(
        counts(
            &inspector,
            "XA",
            &[
                "discipline.members",
                "discipline.members.expulsion",
                "discipline.complaints.settled"
            ],
            &year(2025)
        )
        .await,
        [1, 0, 1]
    );
    // An annulled decision takes no more complaints (it cannot come back into force).
    let late = writer
        .complain(&ComplaintInput {
            decision_id: expelled.id,
            received_on: Some(d(2025, 11, 3)),
            settling_unit: "T".into(),
            note: String::new(),
        })
        .await;
    assert!(matches!(late, Err(StoreError::Fields(_))), "{late:?}");
    // Nothing in the member's history names the case.
    let view = inspector
        .member("A2", d(2025, 12, 31))
        .await
        .unwrap()
        .unwrap();
    assert!(
        view.events.iter().all(|e| !e.event.note.contains("KT-01")),
        "{:?}",
        view.events
    );
    let case = inspector.inspection_case("KT-01").await.unwrap().unwrap();
    let a2 = case.subjects.iter().find(|s| s.key() == "A2").unwrap();
    assert_eq!(a2.decisions[0].annulled_on, Some(d(2025, 10, 20)));
    assert_eq!(
        a2.decisions[0].complaints[0].result.map(|r| r.code()),
        Some("annulled")
    );
}

/// A member who moved out of the deciding unit since the case opened is not disciplined by it.
async fn a_member_who_moved_away_is_not_disciplined_from_here(db: &TestDb) {
    fixture::two_communes(db).await;
    let inspector = fixture::access(db, "ubkt", Role::Inspection, Some("XA")).await;
    cases_of_an_thang(&inspector).await;
    fixture::system(db)
        .editor()
        .unwrap()
        .record_event(
            "A1",
            &dangbo_store::access::EventInput {
                kind: "transfer_out".into(),
                date: "20/06/2025".into(),
                to_unit: "CB".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let (rule, message) = rule_of(
        inspector
            .inspection_writer()
            .unwrap()
            .decide(&decision("KT-01", "A1", "warning", "XA", d(2025, 7, 1)))
            .await,
    );
    assert_eq!(rule, "discipline.authority", "{message}");
    assert_eq!(db.count("discipline_decisions").await, 0);
}

/// Dissolution ends the organization through restructuring: its members move to the branch
/// named, and the figures follow.
async fn a_dissolved_branch_ends_and_its_members_move(db: &TestDb) {
    fixture::two_communes(db).await;
    let admin = fixture::system(db);
    let writer = admin.inspection_writer().unwrap();
    writer
        .record_case(&case(
            "KT-10",
            "signs_of_violation",
            "T",
            d(2025, 3, 1),
            &["CA"],
        ))
        .await
        .unwrap();
    writer
        .conclude(
            "KT-10",
            &concluded(d(2025, 4, 1), &[("CA", "to_be_disciplined")]),
        )
        .await
        .unwrap();
    // A grassroots committee does not dissolve its branch: the committee above it does.
    let (rule, _) = rule_of(
        writer
            .decide(&DecisionInput {
                move_members_to: "CB".into(),
                ..decision("KT-10", "CA", "dissolution", "XA", d(2025, 5, 1))
            })
            .await,
    );
    assert_eq!(rule, "discipline.authority");
    writer
        .decide(&DecisionInput {
            move_members_to: "CB".into(),
            ..decision("KT-10", "CA", "dissolution", "T", d(2025, 5, 1))
        })
        .await
        .unwrap();
    let on = |date: NaiveDate| Window {
        as_of: date,
        from: date,
        to: date,
    };
    assert_eq!(
        counts(
            &admin,
            "XA",
            &["units.branches", "members.total"],
            &on(d(2025, 6, 1))
        )
        .await,
        [0, 0]
    );
    assert_eq!(
        counts(&admin, "XB", &["members.total"], &on(d(2025, 6, 1))).await,
        [4]
    );
    assert_eq!(
        counts(
            &admin,
            "T",
            &["discipline.organizations.dissolution"],
            &year(2025)
        )
        .await,
        [1]
    );
}

/// An expulsion already in the member's history on the decision's day (a restored export) is
/// linked, not recorded twice; a case's programme item must be its unit's or above it; a file's
/// case must agree with the case recorded.
async fn restored_and_linked_records_stay_consistent(db: &TestDb) {
    use dangbo_store::access::{Dataset, PlanInput, Quiet};
    fixture::two_communes(db).await;
    let inspector = fixture::access(db, "ubkt", Role::Inspection, Some("XA")).await;
    cases_of_an_thang(&inspector).await;
    fixture::system(db)
        .editor()
        .unwrap()
        .record_event(
            "A2",
            &dangbo_store::access::EventInput {
                kind: "expulsion".into(),
                date: "01/07/2025".into(),
                decision_number: "7-QĐ/ĐU".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let writer = inspector.inspection_writer().unwrap();
    writer
        .decide(&decision("KT-01", "A2", "expulsion", "XA", d(2025, 7, 1)))
        .await
        .unwrap();
    let view = inspector
        .member("A2", d(2025, 12, 31))
        .await
        .unwrap()
        .unwrap();
    let expulsions = view
        .events
        .iter()
        .filter(|e| e.event.kind.code() == "expulsion")
        .count();
    assert_eq!(expulsions, 1);

    // CA's programme item cannot be carried out by a case the commune decides.
    let item = writer
        .plan(&PlanInput {
            unit: "CA".into(),
            year: 2025,
            kind: "regular_supervision".into(),
            subject: "A1".into(),
            topic: String::new(),
            planned_from: Some(d(2025, 5, 1)),
            planned_to: Some(d(2025, 5, 31)),
        })
        .await
        .unwrap();
    let refused = writer
        .record_case(&CaseInput {
            plan_item: Some(item.id),
            ..case("GS-01", "regular_supervision", "XA", d(2025, 5, 2), &["A1"])
        })
        .await;
    assert!(
        matches!(refused, Err(StoreError::Fields(ref f)) if f.iter().any(|(k, _)| k == "plan_item")),
        "{refused:?}"
    );
    writer
        .record_case(&CaseInput {
            plan_item: Some(item.id),
            ..case("GS-01", "regular_supervision", "CA", d(2025, 5, 2), &["A1"])
        })
        .await
        .unwrap();

    // A file naming KT-01 with another decision number is refused on that column.
    let table = fixture::table(
        &[
            "Mã vụ việc",
            "Loại",
            "Cơ quan quyết định",
            "Số quyết định",
            "Ngày quyết định",
            "Mã đảng viên",
        ],
        &[&[
            "KT-01",
            "signs_of_violation",
            "XA",
            "99-QĐ/UBKT",
            "10/03/2025",
            "A1",
        ]],
    );
    let error = inspector
        .importer()
        .unwrap()
        .apply(Dataset::Inspections, &table, "kt.csv", &mut Quiet)
        .await
        .unwrap_err();
    let StoreError::Import(rows) = &error else {
        panic!("{error:?}");
    };
    assert_eq!(
        (rows[0].row, rows[0].column.as_str()),
        (2, "Số quyết định"),
        "{rows:?}"
    );
}

async fn cases_are_confidential(db: &TestDb) {
    fixture::two_communes(db).await;
    let inspector = fixture::access(db, "ubkt", Role::Inspection, Some("XA")).await;
    cases_of_an_thang(&inspector).await;
    let window = year(2025);

    // The committee's standing members read the cases, and write none.
    let standing = fixture::access(db, "thuongtruc", Role::Standing, Some("XA")).await;
    assert!(standing.inspection_case("KT-01").await.unwrap().is_some());
    assert!(standing.inspection_writer().is_err());

    // The propaganda board sees the counts, not the cases nor the records behind the counts.
    let propaganda = fixture::access(db, "tuyengiao", Role::Propaganda, Some("XA")).await;
    assert!(propaganda.inspection_case("KT-01").await.unwrap().is_none());
    assert!(
        propaganda
            .inspection_cases("XA", &CaseFilter::default())
            .await
            .unwrap()
            .is_none()
    );
    assert!(propaganda.member_discipline("A1").await.unwrap().is_empty());
    assert!(propaganda.inspection_writer().is_err());
    assert_eq!(
        counts(&propaganda, "XA", &["inspections.members"], &window).await,
        [2]
    );
    let definitions = propaganda
        .figures_named(&["inspections.members".to_string()])
        .await
        .unwrap();
    assert!(!propaganda.may_drill(&definitions[0]));
    assert!(matches!(
        propaganda
            .figure_records("XA", &definitions[0], &window)
            .await,
        Err(StoreError::Forbidden(_))
    ));

    // An inspector of the other commune sees nothing of An Thắng's and cannot reach it.
    let other = fixture::access(db, "ubkt_xb", Role::Inspection, Some("XB")).await;
    assert!(other.inspection_case("KT-01").await.unwrap().is_none());
    let (_, listed) = other
        .inspection_cases("", &CaseFilter::default())
        .await
        .unwrap()
        .unwrap();
    assert!(listed.is_empty());
    let refused = other
        .inspection_writer()
        .unwrap()
        .record_case(&case("KT-09", "finance", "XA", d(2025, 5, 1), &["A1"]))
        .await;
    assert!(matches!(refused, Err(StoreError::Fields(_))), "{refused:?}");
    let refused = other
        .inspection_writer()
        .unwrap()
        .record_case(&case("KT-09", "finance", "XB", d(2025, 5, 1), &["A1"]))
        .await;
    assert!(matches!(refused, Err(StoreError::Fields(_))), "{refused:?}");
    let refused = other
        .inspection_writer()
        .unwrap()
        .conclude(
            "KT-01",
            &concluded(d(2025, 6, 1), &[("A1", "no_violation")]),
        )
        .await;
    assert!(
        matches!(refused, Err(StoreError::NotFound(_))),
        "{refused:?}"
    );
}

async fn a_decision_past_the_limitation_period_is_refused(db: &TestDb) {
    fixture::two_communes(db).await;
    let inspector = fixture::access(db, "ubkt_xb", Role::Inspection, Some("XB")).await;
    let writer = inspector.inspection_writer().unwrap();
    writer
        .record_case(&case("KT-03", "denunciation", "XB", d(2025, 3, 1), &["B1"]))
        .await
        .unwrap();
    writer
        .conclude(
            "KT-03",
            &concluded(d(2025, 4, 1), &[("B1", "to_be_disciplined")]),
        )
        .await
        .unwrap();
    let late = DecisionInput {
        violation_on: Some(d(2019, 6, 1)),
        ..decision("KT-03", "B1", "reprimand", "XB", d(2025, 5, 1))
    };
    let (rule, message) = rule_of(writer.decide(&late).await);
    assert_eq!(rule, "discipline.limitation");
    for part in [
        "5 năm",
        "01/06/2019",
        "01/06/2024",
        "01/05/2025",
        "69-QĐ/TW",
    ] {
        assert!(message.contains(part), "{part} in {message}");
    }
    // A warning's period is ten years; a violation of a kind with no limit has none.
    writer
        .decide(&DecisionInput {
            no_limit_kind: true,
            ..late.clone()
        })
        .await
        .unwrap();
    // Nothing was written by the refusal: one decision.
    let case = inspector.inspection_case("KT-03").await.unwrap().unwrap();
    assert_eq!(case.subjects[0].decisions.len(), 1);
    // A second decision on the same subject is refused while the first stands.
    let again = writer
        .decide(&DecisionInput {
            form: "warning".into(),
            ..late
        })
        .await;
    assert!(matches!(again, Err(StoreError::Fields(_))), "{again:?}");
}

/// A member disciplined in the year is rated failing (the scheme says so), unless the decision
/// was annulled.
async fn a_disciplined_member_is_rated_failing(db: &TestDb) {
    fixture::two_communes(db).await;
    let inspector = fixture::access(db, "ubkt", Role::Inspection, Some("XA")).await;
    let writer = inspector.inspection_writer().unwrap();
    writer
        .record_case(&case(
            "KT-05",
            "signs_of_violation",
            "XA",
            d(2024, 3, 1),
            &["A1"],
        ))
        .await
        .unwrap();
    writer
        .conclude(
            "KT-05",
            &concluded(d(2024, 4, 1), &[("A1", "to_be_disciplined")]),
        )
        .await
        .unwrap();
    // The branch reprimands its own member.
    writer
        .decide(&DecisionInput {
            violation_on: Some(d(2024, 2, 1)),
            ..decision("KT-05", "A1", "reprimand", "CA", d(2024, 6, 1))
        })
        .await
        .unwrap();
    let staff = fixture::access(db, "tochuc", Role::Organization, Some("XA")).await;
    let rating = |level: &str| dangbo_store::access::RatingInput {
        level: level.into(),
        decided_by: "Đảng ủy xã An Thắng".into(),
        decision_number: "12-QĐ/ĐU".into(),
        ..Default::default()
    };
    let year = dangbo_domain::ratings::Period::year(2024);
    let rater = staff.rating_writer().unwrap();
    let (rule, message) = rule_of(rater.rate_member("CA", "A1", year, &rating("good")).await);
    assert_eq!(rule, "rating.disciplined");
    assert!(
        message.contains("bị thi hành kỷ luật trong năm 2024"),
        "{message}"
    );
    // The board rating learns the fact, not the form or the date (they stay in the case).
    assert!(!message.contains("khiển trách") && !message.contains("01/06/2024"));
    rater
        .rate_member("CA", "A1", year, &rating("not_done"))
        .await
        .unwrap();
    // The year before is not touched.
    rater
        .rate_member(
            "CA",
            "A1",
            dangbo_domain::ratings::Period::year(2023),
            &rating("good"),
        )
        .await
        .unwrap();
}

const HEADERS: [&str; 12] = [
    "Mã vụ việc",
    "Loại",
    "Cơ quan quyết định",
    "Số quyết định",
    "Ngày quyết định",
    "Mã đơn vị",
    "Mã đảng viên",
    "Ngày kết luận",
    "Kết luận",
    "Hình thức kỷ luật",
    "Ngày vi phạm",
    "Ngày quyết định kỷ luật",
];

/// A file of cases: all or nothing, every bad row named; an export reads back unchanged.
async fn a_file_of_cases_imports_all_or_nothing(db: &TestDb) {
    use dangbo_store::access::{Dataset, Quiet};
    fixture::two_communes(db).await;
    let inspector = fixture::access(db, "ubkt", Role::Inspection, Some("XA")).await;
    let importer = inspector.importer().unwrap();
    fn row(cells: [&'static str; 12]) -> Vec<&'static str> {
        let mut cells = cells.to_vec();
        cells.push("9-QĐ/ĐU");
        cells
    }
    let good = [
        row([
            "KT-01",
            "Kiểm tra khi có dấu hiệu vi phạm",
            "XA",
            "1-QĐ/UBKT",
            "10/03/2025",
            "",
            "A1",
            "10/06/2025",
            "Có vi phạm",
            "Cảnh cáo",
            "01/12/2024",
            "01/07/2025",
        ]),
        row([
            "KT-01",
            "Kiểm tra khi có dấu hiệu vi phạm",
            "XA",
            "1-QĐ/UBKT",
            "10/03/2025",
            "",
            "A2",
            "10/06/2025",
            "Không vi phạm",
            "",
            "",
            "",
        ]),
        row([
            "KT-01",
            "Kiểm tra khi có dấu hiệu vi phạm",
            "XA",
            "1-QĐ/UBKT",
            "10/03/2025",
            "CA",
            "",
            "10/06/2025",
            "Có vi phạm",
            "",
            "",
            "",
        ]),
        row([
            "GS-01",
            "Giám sát chuyên đề",
            "XA",
            "2-QĐ/ĐU",
            "01/04/2025",
            "CA",
            "",
            "",
            "",
            "",
            "",
            "",
        ]),
    ];
    let mut headers = HEADERS.to_vec();
    headers.push("Số quyết định kỷ luật");
    let lines: Vec<Vec<&str>> = good.to_vec();
    // Bad: B1 lies outside the commune; a reprimand seven years after the violation.
    let mut bad = lines.clone();
    bad[1][6] = "B1";
    bad[0][9] = "Khiển trách";
    bad[0][10] = "01/01/2018";
    let refs: Vec<&[&str]> = bad.iter().map(Vec::as_slice).collect();
    let error = importer
        .apply(
            Dataset::Inspections,
            &fixture::table(&headers, &refs),
            "kt.xlsx",
            &mut Quiet,
        )
        .await
        .unwrap_err();
    let StoreError::Import(rows) = &error else {
        panic!("{error:?}");
    };
    let named: Vec<(usize, &str)> = rows.iter().map(|e| (e.row, e.column.as_str())).collect();
    assert!(named.contains(&(3, "Mã đảng viên")), "{rows:?}");
    assert_eq!(db.count("inspection_cases").await, 0, "nothing written");
    // The case of the first file was refused whole; fixed, the file goes in.
    let refs: Vec<&[&str]> = lines.iter().map(Vec::as_slice).collect();
    let table = fixture::table(&headers, &refs);
    let summary = importer
        .apply(Dataset::Inspections, &table, "kt.xlsx", &mut Quiet)
        .await
        .unwrap();
    assert_eq!(summary.created, 2);
    let case = inspector.inspection_case("KT-01").await.unwrap().unwrap();
    assert_eq!(case.subjects.len(), 3);
    let a1 = case.subjects.iter().find(|s| s.key() == "A1").unwrap();
    assert_eq!(a1.decisions[0].form.code(), "warning");
    let ca = case.subjects.iter().find(|s| s.key() == "CA").unwrap();
    assert_eq!(ca.conclusion.map(|c| c.code()), Some("minor"));
    assert_eq!(
        counts(
            &inspector,
            "XA",
            &[
                "supervisions.thematic.organizations",
                "discipline.members.warning"
            ],
            &year(2025)
        )
        .await,
        [1, 1]
    );
    // A limitation refusal is named on its row, in the form's column.
    let mut late = lines.clone();
    for line in &mut late {
        line[0] = "KT-02";
    }
    late.truncate(1);
    late[0][9] = "Khiển trách";
    late[0][10] = "01/01/2018";
    let refs: Vec<&[&str]> = late.iter().map(Vec::as_slice).collect();
    let error = importer
        .apply(
            Dataset::Inspections,
            &fixture::table(&headers, &refs),
            "kt2.xlsx",
            &mut Quiet,
        )
        .await
        .unwrap_err();
    let StoreError::Import(rows) = &error else {
        panic!("{error:?}");
    };
    assert_eq!(rows[0].row, 2);
    assert_eq!(rows[0].column, "Hình thức kỷ luật");
    assert!(rows[0].message.contains("thời hiệu"), "{rows:?}");
    assert_eq!(db.count("inspection_cases").await, 2);
    // The export reads back: nothing new.
    let exported = inspector.export(Dataset::Inspections).await.unwrap();
    assert_eq!(exported.rows.len(), 4);
    let again = importer
        .apply(Dataset::Inspections, &exported, "export.xlsx", &mut Quiet)
        .await
        .unwrap();
    assert_eq!((again.created, again.events_written), (0, 0), "{again:?}");
    assert_eq!(db.count("discipline_decisions").await, 1);
    // Other boards may not import or export cases.
    let staff = fixture::access(db, "tochuc", Role::Organization, Some("XA")).await;
    assert!(matches!(
        staff.export(Dataset::Inspections).await,
        Err(StoreError::Forbidden(_))
    ));
}

conformance!(
    files_on_both_engines,
    a_file_of_cases_imports_all_or_nothing
);
conformance!(
    disciplined_rating_on_both_engines,
    a_disciplined_member_is_rated_failing
);
conformance!(
    signs_of_violation_on_both_engines,
    a_case_on_signs_of_violation_is_counted_and_expels
);
conformance!(confidential_on_both_engines, cases_are_confidential);
conformance!(
    linked_on_both_engines,
    restored_and_linked_records_stay_consistent
);
conformance!(
    dissolution_on_both_engines,
    a_dissolved_branch_ends_and_its_members_move
);
conformance!(
    moved_member_on_both_engines,
    a_member_who_moved_away_is_not_disciplined_from_here
);
conformance!(
    limitation_on_both_engines,
    a_decision_past_the_limitation_period_is_refused
);
