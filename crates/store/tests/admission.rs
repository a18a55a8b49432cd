//! The admission pipeline through the access layer, on both engines: a candidate walked through
//! every step to full membership, the member the decision creates having the history of one
//! imported the old way; each rule refusing a breaking step by name; the scope; the due list
//! against a hand count.

use dangbo_domain::NaiveDate;
use dangbo_domain::access::Role;
use dangbo_domain::admission::Stage;
use dangbo_domain::members::{MemberRecord, Sex};
use dangbo_store::StoreError;
use dangbo_store::access::{Access, Dataset, EventInput, NewCandidate, StepInput, Window};
use dangbo_testkit::fixture::{self, table};
use dangbo_testkit::{TestDb, conformance, d};

fn person(code: &str, name: &str, birth: NaiveDate) -> MemberRecord {
    MemberRecord {
        code: code.into(),
        full_name: name.into(),
        sex: Sex::Female,
        birth_date: birth,
        ethnicity: "Tày".into(),
        religion: "Không".into(),
        home_town: String::new(),
        residence: String::new(),
        national_id: String::new(),
        general_education: Some(dangbo_domain::members::GeneralEducation::LowerSecondary),
        qualification: None,
        theory_level: None,
        occupation: "Nông dân".into(),
        phone: String::new(),
        card_number: String::new(),
    }
}

fn candidate(code: &str, birth: NaiveDate, unit: &str, on: NaiveDate) -> NewCandidate {
    NewCandidate {
        record: person(code, "Hà Thị Mai", birth),
        unit: unit.into(),
        nominated_by: "Đoàn TNCS Hồ Chí Minh".into(),
        nominated_on: Some(on),
    }
}

fn file_of(code: &str, birth: NaiveDate, on: NaiveDate) -> NewCandidate {
    candidate(code, birth, "CA", on)
}

fn step(stage: Stage, on: NaiveDate) -> StepInput {
    StepInput {
        stage: stage.code().into(),
        on: Some(on),
        ..StepInput::default()
    }
}

fn class(on: NaiveDate) -> StepInput {
    StepInput {
        certificate: "125/CN-TTCT".into(),
        centre: "Trung tâm Chính trị huyện".into(),
        ..step(Stage::ClassPassed, on)
    }
}

fn vote(stage: Stage, on: NaiveDate, votes_for: u32, entitled: u32) -> StepInput {
    StepInput {
        votes_for: Some(votes_for),
        votes_against: Some(0),
        present: Some(votes_for),
        entitled: Some(entitled),
        ..step(stage, on)
    }
}

fn decision(on: NaiveDate) -> StepInput {
    StepInput {
        number: "45-QĐ/ĐU".into(),
        committee: "Đảng ủy xã An Thắng".into(),
        ..step(Stage::Decided, on)
    }
}

const TODAY: fn() -> NaiveDate = || d(2026, 11, 30);

/// Records steps in order, panicking on a refusal.
async fn walk(access: &Access, code: &str, steps: &[StepInput]) {
    let writer = access.admission_writer().unwrap();
    for s in steps {
        writer
            .record_step(code, s, TODAY())
            .await
            .unwrap_or_else(|e| panic!("{code} {}: {e:?}", s.stage));
    }
}

/// The steps of a file up to the branch's resolution (CA has two full members).
fn until_branch(start: NaiveDate) -> Vec<StepInput> {
    let day = |n: u64| start.checked_add_days(chrono::Days::new(n)).unwrap();
    vec![
        class(day(10)),
        step(Stage::Applied, day(20)),
        step(Stage::Vetted, day(40)),
        step(Stage::MassOrganization, day(50)),
        vote(Stage::BranchResolution, day(60), 2, 2),
    ]
}

fn rule_of(result: Result<Stage, StoreError>) -> &'static str {
    match result {
        Err(e) => e
            .rule()
            .unwrap_or_else(|| panic!("refused without a rule: {e:?}")),
        Ok(stage) => panic!("accepted, reaching {stage:?}"),
    }
}

async fn a_candidate_walks_to_full_membership(db: &TestDb) {
    fixture::two_communes(db).await;
    let staff = fixture::access(db, "tochuc", Role::Organization, Some("XA")).await;
    let writer = staff.admission_writer().unwrap();
    let start = d(2021, 1, 4);
    writer
        .add_candidate(&candidate("QC1", d(1999, 5, 1), "CA", start), TODAY())
        .await
        .unwrap();
    let mut steps = until_branch(start);
    steps.push(vote(Stage::CommitteeResolution, d(2021, 3, 10), 7, 9));
    steps.push(decision(d(2021, 3, 25)));
    walk(&staff, "QC1", &steps).await;
    // The decision made the member, admitted in CA on its date.
    let member = staff.member("QC1", TODAY()).await.unwrap().expect("member");
    assert_eq!(member.events.len(), 1);
    assert_eq!(member.events[0].event.date, d(2021, 3, 25));
    assert_eq!(member.events[0].event.decision_number, "45-QĐ/ĐU");
    assert_eq!(member.status.as_deref(), Some("probationary"));
    walk(&staff, "QC1", &[step(Stage::Admitted, d(2021, 4, 5))]).await;
    let file = staff.candidate("QC1", TODAY()).await.unwrap().unwrap();
    assert_eq!(file.line.candidate.stage, Stage::Admitted);
    assert_eq!(file.line.candidate.member_code.as_deref(), Some("QC1"));
    assert_eq!(file.steps.len(), 9);
    assert!(file.next_stages.is_empty());
    // Probation counts from the ceremony: 12 months, then 30 working days for the vote.
    let (ends, vote_by) = file.probation.unwrap();
    assert_eq!(ends, d(2022, 4, 5));
    assert!(vote_by > ends);
    let member = staff.member("QC1", TODAY()).await.unwrap().unwrap();
    assert_eq!(member.events[0].event.ceremony_date, Some(d(2021, 4, 5)));
    // Full membership goes through the member history, as for any member.
    staff
        .editor()
        .unwrap()
        .record_event(
            "QC1",
            &EventInput {
                kind: "full_membership".into(),
                date: "05/04/2022".into(),
                ..EventInput::default()
            },
        )
        .await
        .unwrap();
    let member = staff.member("QC1", TODAY()).await.unwrap().unwrap();
    assert_eq!(member.status.as_deref(), Some("full"));

    // The same person imported the old way has the same history, and counts the same.
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
            &[&[
                "OLD1",
                "Hà Thị Mai",
                "Nữ",
                "01/05/1999",
                "25/03/2021",
                "05/04/2022",
                "CA",
            ]],
        ),
    )
    .await;
    let old = staff.member("OLD1", TODAY()).await.unwrap().unwrap();
    let facts = |v: &dangbo_store::access::MemberView| {
        v.events
            .iter()
            .map(|e| (e.event.kind, e.event.date, e.unit_id))
            .collect::<Vec<_>>()
    };
    assert_eq!(facts(&old), facts(&member));
    assert_eq!(old.status, member.status);
    let year = Window {
        as_of: d(2021, 12, 31),
        from: d(2021, 1, 1),
        to: d(2021, 12, 31),
    };
    let admissions = staff.figure("admissions").await.unwrap().unwrap();
    let (_, values) = staff
        .figures("XA", &[admissions], &year, false)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(values[0].value.as_count(), Some(2));
    // A file once admitted takes no more steps.
    assert_eq!(
        rule_of(
            writer
                .record_step(
                    "QC1",
                    &StepInput {
                        reason: "withdrawn".into(),
                        ..step(Stage::Stopped, d(2022, 5, 1))
                    },
                    TODAY()
                )
                .await
        ),
        "admission.order"
    );
}

conformance!(
    walking_on_both_engines,
    a_candidate_walks_to_full_membership
);

async fn each_rule_refuses_a_breaking_step(db: &TestDb) {
    fixture::two_communes(db).await;
    let staff = fixture::access(db, "tochuc", Role::Organization, Some("XA")).await;
    let writer = staff.admission_writer().unwrap();
    let start = d(2021, 1, 4);
    let file = |code: &str, birth| candidate(code, birth, "CA", start);
    // Order: the class comes before the application.
    writer
        .add_candidate(&file("R1", d(1999, 5, 1)), TODAY())
        .await
        .unwrap();
    assert_eq!(
        rule_of(
            writer
                .record_step("R1", &step(Stage::Applied, d(2021, 2, 1)), TODAY())
                .await
        ),
        "admission.order"
    );
    // Age: 17 years 11 months at the branch's vote; over 60 without the approval.
    for (code, birth) in [("R2", d(2003, 4, 1)), ("R3", d(1960, 1, 1))] {
        writer
            .add_candidate(&file(code, birth), TODAY())
            .await
            .unwrap();
        let mut steps = until_branch(start);
        let branch = steps.pop().unwrap();
        walk(&staff, code, &steps).await;
        assert_eq!(
            rule_of(writer.record_step(code, &branch, TODAY()).await),
            "admission.age",
            "{code}"
        );
    }
    // With the standing committee's approval, past 60 passes.
    let approved = StepInput {
        over_age_approval: "112-QĐ/TU".into(),
        ..vote(Stage::BranchResolution, d(2021, 3, 5), 2, 2)
    };
    writer.record_step("R3", &approved, TODAY()).await.unwrap();
    // The branch's vote: 2/3 of its full members, counted against the records.
    writer
        .add_candidate(&file("R4", d(1999, 5, 1)), TODAY())
        .await
        .unwrap();
    let mut steps = until_branch(start);
    steps.pop();
    walk(&staff, "R4", &steps).await;
    let day = d(2021, 3, 5);
    assert_eq!(
        rule_of(
            writer
                .record_step("R4", &vote(Stage::BranchResolution, day, 1, 2), TODAY())
                .await
        ),
        "admission.branch_vote"
    );
    match writer
        .record_step("R4", &vote(Stage::BranchResolution, day, 1, 1), TODAY())
        .await
    {
        Err(StoreError::Fields(problems)) => assert_eq!(problems[0].0, "entitled"),
        other => panic!("a vote counted against fewer members than recorded: {other:?}"),
    }
    writer
        .record_step("R4", &vote(Stage::BranchResolution, day, 2, 2), TODAY())
        .await
        .unwrap();
    // The decision within 60 working days of the branch's resolution (5 March 2021: due 2 June,
    // past the Hùng Kings' day and 30 April – 3 May).
    writer
        .record_step(
            "R4",
            &vote(Stage::CommitteeResolution, d(2021, 3, 20), 7, 9),
            TODAY(),
        )
        .await
        .unwrap();
    assert_eq!(
        rule_of(
            writer
                .record_step("R4", &decision(d(2021, 6, 30)), TODAY())
                .await
        ),
        "admission.decision_deadline"
    );
    // The committee's vote, the decision's number.
    writer
        .add_candidate(&file("R5", d(1999, 5, 1)), TODAY())
        .await
        .unwrap();
    walk(&staff, "R5", &until_branch(start)).await;
    assert_eq!(
        rule_of(
            writer
                .record_step(
                    "R5",
                    &vote(Stage::CommitteeResolution, d(2021, 3, 20), 5, 9),
                    TODAY()
                )
                .await
        ),
        "admission.committee_vote"
    );
    // The ceremony within 30 working days of the decision.
    walk(
        &staff,
        "R5",
        &[
            vote(Stage::CommitteeResolution, d(2021, 3, 20), 7, 9),
            decision(d(2021, 4, 1)),
        ],
    )
    .await;
    assert_eq!(
        rule_of(
            writer
                .record_step("R5", &step(Stage::Admitted, d(2021, 6, 1)), TODAY())
                .await
        ),
        "admission.ceremony_deadline"
    );
    // The certificate (60 months) and the file (12 months) grow too old before the branch votes.
    writer
        .add_candidate(&file("R6", d(1999, 5, 1)), TODAY())
        .await
        .unwrap();
    let mut steps = until_branch(start);
    steps.pop();
    walk(&staff, "R6", &steps).await;
    assert_eq!(
        rule_of(
            writer
                .record_step(
                    "R6",
                    &vote(Stage::BranchResolution, d(2022, 3, 1), 2, 2),
                    TODAY()
                )
                .await
        ),
        "admission.file_age"
    );
    // Renewing the mass organization's resolution makes the file young again.
    walk(
        &staff,
        "R6",
        &[
            step(Stage::MassOrganization, d(2022, 2, 20)),
            vote(Stage::BranchResolution, d(2022, 3, 1), 2, 2),
        ],
    )
    .await;
    // A stopped file takes no more steps; stopping needs its reason.
    writer
        .add_candidate(&file("R7", d(1999, 5, 1)), TODAY())
        .await
        .unwrap();
    match writer
        .record_step("R7", &step(Stage::Stopped, d(2021, 2, 1)), TODAY())
        .await
    {
        Err(StoreError::Fields(problems)) => assert_eq!(problems[0].0, "reason"),
        other => panic!("stopped without a reason: {other:?}"),
    }
    let stop = StepInput {
        reason: "moved_away".into(),
        ..step(Stage::Stopped, d(2021, 2, 1))
    };
    writer.record_step("R7", &stop, TODAY()).await.unwrap();
    assert_eq!(
        rule_of(
            writer
                .record_step("R7", &class(d(2021, 3, 1)), TODAY())
                .await
        ),
        "admission.order"
    );
    // A member's code names their file entered after the fact: the decision links to them only
    // when it is their admission (A1 was admitted in CA on 1 March 2010), else it is refused.
    writer
        .add_candidate(&file("A1", d(1985, 5, 1)), TODAY())
        .await
        .unwrap();
    let mut steps = until_branch(start);
    steps.push(vote(Stage::CommitteeResolution, d(2021, 3, 20), 7, 9));
    walk(&staff, "A1", &steps).await;
    assert_eq!(
        rule_of(
            writer
                .record_step("A1", &decision(d(2021, 4, 1)), TODAY())
                .await
        ),
        "admission.code_taken"
    );
    // A member out of scope is not named; another file's code is taken.
    for code in ["B1", "R1"] {
        match writer
            .add_candidate(&file(code, d(1999, 5, 1)), TODAY())
            .await
        {
            Err(StoreError::Fields(problems)) => assert_eq!(problems[0].0, "code", "{code}"),
            other => panic!("{code} filed: {other:?}"),
        }
    }
}

async fn an_admitted_member_s_file_links_to_them(db: &TestDb) {
    fixture::two_communes(db).await;
    let staff = fixture::access(db, "tochuc", Role::Organization, Some("XA")).await;
    let writer = staff.admission_writer().unwrap();
    // A2's file, entered after the fact: decided on the day A2 was admitted in CA.
    let start = d(2009, 1, 5);
    writer
        .add_candidate(&file_of("A2", d(1985, 5, 1), start), TODAY())
        .await
        .unwrap();
    let mut steps = until_branch(start);
    // Before A1 and A2 were members the branch had none on record.
    steps.pop();
    steps.push(vote(Stage::BranchResolution, d(2010, 2, 1), 3, 3));
    steps.push(vote(Stage::CommitteeResolution, d(2010, 2, 10), 7, 9));
    steps.push(decision(d(2010, 3, 1)));
    steps.push(step(Stage::Admitted, d(2010, 3, 1)));
    walk(&staff, "A2", &steps).await;
    let member = staff.member("A2", TODAY()).await.unwrap().unwrap();
    // No second admission: the file is linked, and the ceremony dates the recorded admission.
    assert_eq!(member.events.len(), 2);
    assert_eq!(member.events[0].event.ceremony_date, Some(d(2010, 3, 1)));
    let file = staff.candidate("A2", TODAY()).await.unwrap().unwrap();
    assert_eq!(file.line.candidate.member_code.as_deref(), Some("A2"));
    // A1 too was recognized on 1 March 2011: a ceremony later than the decision would put that
    // recognition inside probation, and is refused with the history's rule; nothing is written.
    writer
        .add_candidate(&file_of("A1", d(1985, 5, 1), start), TODAY())
        .await
        .unwrap();
    steps.pop();
    walk(&staff, "A1", &steps).await;
    assert_eq!(
        rule_of(
            writer
                .record_step("A1", &step(Stage::Admitted, d(2010, 3, 10)), TODAY())
                .await
        ),
        "history.probation_not_over"
    );
    let file = staff.candidate("A1", TODAY()).await.unwrap().unwrap();
    assert_eq!(file.line.candidate.stage, Stage::Decided);
    writer
        .record_step("A1", &step(Stage::Admitted, d(2010, 3, 1)), TODAY())
        .await
        .unwrap();
}

conformance!(
    linking_on_both_engines,
    an_admitted_member_s_file_links_to_them
);

conformance!(rules_on_both_engines, each_rule_refuses_a_breaking_step);

async fn files_stay_inside_the_scope(db: &TestDb) {
    fixture::two_communes(db).await;
    let xa = fixture::access(db, "tochuc", Role::Organization, Some("XA")).await;
    let xb = fixture::access(db, "bithu", Role::BranchSecretary, Some("CB")).await;
    let viewer = fixture::access(db, "xem", Role::Viewer, Some("XA")).await;
    xa.admission_writer()
        .unwrap()
        .add_candidate(
            &candidate("S1", d(1999, 5, 1), "CA", d(2021, 1, 4)),
            TODAY(),
        )
        .await
        .unwrap();
    // Another commune's secretary neither sees the file nor files one in a branch out of scope.
    assert!(xb.candidate("S1", TODAY()).await.unwrap().is_none());
    let writer = xb.admission_writer().unwrap();
    assert!(matches!(
        writer
            .record_step("S1", &class(d(2021, 2, 1)), TODAY())
            .await,
        Err(StoreError::NotFound(_))
    ));
    match writer
        .add_candidate(
            &candidate("S2", d(1999, 5, 1), "CA", d(2021, 1, 4)),
            TODAY(),
        )
        .await
    {
        Err(StoreError::Fields(problems)) => assert!(problems.iter().any(|(f, _)| f == "unit")),
        other => panic!("filed out of scope: {other:?}"),
    }
    let (_, listed) = xb.candidates("", TODAY(), false).await.unwrap().unwrap();
    assert!(listed.is_empty());
    // A candidate is prepared by a branch, not a committee.
    match xa
        .admission_writer()
        .unwrap()
        .add_candidate(
            &candidate("S3", d(1999, 5, 1), "XA", d(2021, 1, 4)),
            TODAY(),
        )
        .await
    {
        Err(StoreError::Fields(problems)) => assert!(problems.iter().any(|(f, _)| f == "unit")),
        other => panic!("filed in a committee: {other:?}"),
    }
    // A viewer reads but does not write.
    assert!(viewer.candidate("S1", TODAY()).await.unwrap().is_some());
    assert!(matches!(
        viewer.admission_writer(),
        Err(StoreError::Forbidden(_))
    ));
    // Introducers: full members in scope only.
    let writer = xa.admission_writer().unwrap();
    writer
        .add_introducer("S1", "A1", Some(d(2021, 1, 10)))
        .await
        .unwrap();
    match writer
        .add_introducer("S1", "B1", Some(d(2021, 1, 10)))
        .await
    {
        Err(StoreError::Fields(problems)) => assert_eq!(problems[0].0, "member"),
        other => panic!("an introducer out of scope: {other:?}"),
    }
    // A1 was on probation in 2010.
    match writer.add_introducer("S1", "A2", Some(d(2010, 6, 1))).await {
        Err(StoreError::Fields(problems)) => assert_eq!(problems[0].0, "member"),
        other => panic!("a probationer introducing: {other:?}"),
    }
    let file = xa.candidate("S1", TODAY()).await.unwrap().unwrap();
    assert_eq!(file.introducers.len(), 1);
    assert_eq!(file.introducers[0].member_code, "A1");
}

conformance!(scope_on_both_engines, files_stay_inside_the_scope);

async fn the_due_list_names_what_is_due(db: &TestDb) {
    fixture::two_communes(db).await;
    let staff = fixture::access(db, "tochuc", Role::Organization, Some("XA")).await;
    let writer = staff.admission_writer().unwrap();
    let today = d(2021, 6, 1);
    // D1: the branch voted on 1 March; the decision was due 27 May: overdue.
    // D2: decided on 20 May; the ceremony is due within 30 working days: due, not overdue.
    // D3: nominated with its class in January: nothing due within 30 days.
    // D4: stopped: never due.
    for code in ["D1", "D2", "D3", "D4"] {
        writer
            .add_candidate(&candidate(code, d(1999, 5, 1), "CA", d(2021, 1, 4)), today)
            .await
            .unwrap();
    }
    let mut to_branch = until_branch(d(2021, 1, 4));
    to_branch.pop();
    to_branch.push(vote(Stage::BranchResolution, d(2021, 3, 1), 2, 2));
    walk(&staff, "D1", &to_branch).await;
    let mut decided = to_branch.clone();
    decided.push(vote(Stage::CommitteeResolution, d(2021, 3, 20), 7, 9));
    decided.push(decision(d(2021, 5, 20)));
    walk(&staff, "D2", &decided).await;
    walk(&staff, "D3", &[class(d(2021, 1, 10))]).await;
    walk(
        &staff,
        "D4",
        &[StepInput {
            reason: "withdrawn".into(),
            ..step(Stage::Stopped, d(2021, 2, 1))
        }],
    )
    .await;
    // The fixture's members are full since 2011; one admitted on 15 June 2020 ends probation on
    // 15 June 2021 (within 30 days); one admitted on 1 March 2020 is overdue for the vote.
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
                "Mã chi bộ",
            ],
            &[
                &["P1", "Lò Văn Phúc", "Nam", "01/01/1995", "15/06/2020", "CA"],
                &[
                    "P2",
                    "Vi Thị Phương",
                    "Nữ",
                    "01/01/1996",
                    "01/03/2020",
                    "CA",
                ],
                &[
                    "PB",
                    "Nông Văn Bảo",
                    "Nam",
                    "01/01/1996",
                    "01/03/2020",
                    "CB",
                ],
            ],
        ),
    )
    .await;
    let (_, due) = staff.admission_due("", today).await.unwrap().unwrap();
    let seen: Vec<(&str, &str, NaiveDate, bool)> = due
        .iter()
        .map(|l| (l.code.as_str(), l.rule, l.due_on, l.overdue))
        .collect();
    assert_eq!(
        seen,
        vec![
            ("P2", "membership.full_vote", d(2021, 4, 12), true),
            ("D1", "admission.decision_deadline", d(2021, 5, 27), true),
            ("P1", "membership.probation_end", d(2021, 6, 15), false),
            ("D2", "admission.ceremony_deadline", d(2021, 7, 1), false),
        ]
    );
}

conformance!(due_on_both_engines, the_due_list_names_what_is_due);

/// The value of a figure over a unit's subtree, and the codes of the records behind it.
async fn counted(access: &Access, key: &str, unit: &str, window: &Window) -> (i64, Vec<String>) {
    let definition = access.figure(key).await.unwrap().expect(key);
    let (_, values) = access
        .figures(unit, std::slice::from_ref(&definition), window, false)
        .await
        .unwrap()
        .unwrap();
    let (_, records) = access
        .figure_records(unit, &definition, window)
        .await
        .unwrap()
        .unwrap();
    let mut codes: Vec<String> = records.into_iter().map(|r| r.code).collect();
    codes.sort();
    (values[0].value.as_count().expect("a count"), codes)
}

async fn files_are_counted_by_the_stage_they_had_reached(db: &TestDb) {
    fixture::two_communes(db).await;
    let staff = fixture::access(db, "tochuc", Role::Administrator, None).await;
    let writer = staff.admission_writer().unwrap();
    let start = d(2021, 1, 4);
    for (code, branch) in [("F1", "CA"), ("F2", "CA"), ("F3", "CA"), ("F4", "CB")] {
        writer
            .add_candidate(&candidate(code, d(1999, 5, 1), branch, start), TODAY())
            .await
            .unwrap();
    }
    // F1 reaches the decision on 25 March; F2 stops on 1 March; F3 has its class on 14 January;
    // F4, in the other commune, only its nomination.
    let mut f1 = until_branch(start);
    f1.push(vote(Stage::CommitteeResolution, d(2021, 3, 10), 7, 9));
    f1.push(decision(d(2021, 3, 25)));
    walk(&staff, "F1", &f1).await;
    walk(
        &staff,
        "F2",
        &[StepInput {
            reason: "not_passed".into(),
            ..step(Stage::Stopped, d(2021, 3, 1))
        }],
    )
    .await;
    walk(&staff, "F3", &[class(d(2021, 1, 14))]).await;
    let on = |y, m, day| Window {
        as_of: d(y, m, day),
        from: d(2021, 1, 1),
        to: d(y, m, day),
    };
    let codes = |list: &[&str]| list.iter().map(|c| c.to_string()).collect::<Vec<_>>();
    // On 20 February every file is open; F1 is vetted by then.
    let feb = on(2021, 2, 20);
    assert_eq!(
        counted(&staff, "candidates.total", "XA", &feb).await,
        (3, codes(&["F1", "F2", "F3"]))
    );
    assert_eq!(
        counted(&staff, "candidates.stage.vetted", "XA", &feb).await,
        (1, codes(&["F1"]))
    );
    assert_eq!(counted(&staff, "candidates.total", "T", &feb).await.0, 4);
    // On 31 March F1 is decided (still open until its ceremony), F2 stopped.
    let march = on(2021, 3, 31);
    assert_eq!(
        counted(&staff, "candidates.total", "XA", &march).await,
        (2, codes(&["F1", "F3"]))
    );
    assert_eq!(
        counted(&staff, "candidates.stage.decided", "XA", &march).await,
        (1, codes(&["F1"]))
    );
    assert_eq!(
        counted(&staff, "candidates.stopped", "XA", &march).await,
        (1, codes(&["F2"]))
    );
    assert_eq!(
        counted(&staff, "candidates.new", "XA", &march).await,
        (3, codes(&["F1", "F2", "F3"]))
    );
    // The decision is an admission like any other, of a woman of an ethnic minority.
    assert_eq!(
        counted(&staff, "candidates.decided", "XA", &march).await,
        (1, codes(&["F1"]))
    );
    for key in [
        "admissions",
        "admissions.female",
        "admissions.ethnic_minority",
    ] {
        assert_eq!(
            counted(&staff, key, "XA", &march).await,
            (1, codes(&["F1"])),
            "{key}"
        );
    }
    assert_eq!(
        counted(&staff, "admissions.religious", "XA", &march)
            .await
            .0,
        0
    );
    // Before the nomination nothing is counted.
    let before = Window {
        as_of: d(2020, 12, 31),
        from: d(2020, 1, 1),
        to: d(2020, 12, 31),
    };
    assert_eq!(counted(&staff, "candidates.total", "T", &before).await.0, 0);
}

conformance!(
    figures_on_both_engines,
    files_are_counted_by_the_stage_they_had_reached
);

async fn files_and_steps_import_all_or_nothing(db: &TestDb) {
    use dangbo_store::access::{Quiet, RowError};
    fixture::two_communes(db).await;
    let staff = fixture::access(db, "tochuc", Role::Organization, Some("XA")).await;
    let importer = staff.importer().unwrap();
    let people = table(
        &[
            "Mã hồ sơ",
            "Họ và tên",
            "Giới tính",
            "Ngày sinh",
            "Dân tộc",
            "Giáo dục phổ thông",
            "Mã chi bộ",
            "Tổ chức giới thiệu",
            "Ngày giới thiệu",
        ],
        &[
            &[
                "I1",
                "Lò Thị Hoa",
                "Nữ",
                "01/05/1999",
                "Thái",
                "THCS",
                "CA",
                "Đoàn TNCS Hồ Chí Minh",
                "04/01/2021",
            ],
            &[
                "I2",
                "Vi Văn Nam",
                "Nam",
                "01/05/2004",
                "Tày",
                "THCS",
                "CA",
                "Hội Nông dân",
                "04/01/2021",
            ],
            // Out of scope, and a nominating body nobody knows.
            &[
                "I3",
                "Nông Văn Bảo",
                "Nam",
                "01/05/1999",
                "Tày",
                "THCS",
                "CB",
                "Hội đồng hương",
                "04/01/2021",
            ],
        ],
    );
    let bad = importer
        .apply(Dataset::Candidates, &people, "hs.csv", &mut Quiet)
        .await
        .unwrap_err();
    let StoreError::Import(errors) = bad else {
        panic!("{bad:?}");
    };
    let named: Vec<(usize, &str)> = errors
        .iter()
        .map(|e: &RowError| (e.row, e.column.as_str()))
        .collect();
    assert_eq!(named, vec![(4, "Tổ chức giới thiệu")]);
    assert_eq!(db.count("candidates").await, 0);
    let good = table(
        &people
            .headers
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>(),
        &[
            &[
                "I1",
                "Lò Thị Hoa",
                "Nữ",
                "01/05/1999",
                "Thái",
                "THCS",
                "CA",
                "Đoàn TNCS Hồ Chí Minh",
                "04/01/2021",
            ],
            &[
                "I2",
                "Vi Văn Nam",
                "Nam",
                "01/05/2004",
                "Tày",
                "THCS",
                "CA",
                "Hội Nông dân",
                "04/01/2021",
            ],
        ],
    );
    let summary = importer
        .apply(Dataset::Candidates, &good, "hs.csv", &mut Quiet)
        .await
        .unwrap();
    assert_eq!(summary.created, 2);
    let step_headers = [
        "Mã hồ sơ",
        "Bước",
        "Ngày",
        "Số giấy chứng nhận",
        "Nơi cấp",
        "Tán thành",
        "Không tán thành",
        "Có mặt",
        "Tổng số",
    ];
    let walk_to_branch = |code: &'static str| -> Vec<[&'static str; 9]> {
        vec![
            [
                code,
                "Đã học lớp nhận thức về Đảng",
                "14/01/2021",
                "125/CN",
                "Trung tâm Chính trị huyện",
                "",
                "",
                "",
                "",
            ],
            [
                code,
                "Đã có đơn và lý lịch",
                "24/01/2021",
                "",
                "",
                "",
                "",
                "",
                "",
            ],
            [
                code,
                "Đã thẩm tra lý lịch",
                "13/02/2021",
                "",
                "",
                "",
                "",
                "",
                "",
            ],
            [
                code,
                "Đoàn thể đã giới thiệu, có nhận xét",
                "23/02/2021",
                "",
                "",
                "",
                "",
                "",
                "",
            ],
            [
                code,
                "Chi bộ đã đề nghị kết nạp",
                "05/03/2021",
                "",
                "",
                "2",
                "0",
                "2",
                "2",
            ],
        ]
    };
    // I2 is 16 at the branch's vote: that row is named with the rule, and nothing is written.
    let mut rows = walk_to_branch("I1");
    rows.extend(walk_to_branch("I2"));
    let lines: Vec<&[&str]> = rows.iter().map(|r| &r[..]).collect();
    let steps = table(&step_headers, &lines);
    let bad = importer
        .apply(Dataset::CandidateSteps, &steps, "buoc.csv", &mut Quiet)
        .await
        .unwrap_err();
    let StoreError::Import(errors) = bad else {
        panic!("{bad:?}");
    };
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!((errors[0].row, errors[0].column.as_str()), (11, "Bước"));
    assert!(
        errors[0].message.contains("[admission.age]"),
        "{}",
        errors[0].message
    );
    assert_eq!(db.count("candidate_steps").await, 2);
    // Without I2's vote the file goes in; read back from an export it changes nothing.
    let lines: Vec<&[&str]> = rows.iter().take(9).map(|r| &r[..]).collect();
    let steps = table(&step_headers, &lines);
    let summary = importer
        .apply(Dataset::CandidateSteps, &steps, "buoc.csv", &mut Quiet)
        .await
        .unwrap();
    assert_eq!(summary.created, 9);
    let file = staff.candidate("I1", TODAY()).await.unwrap().unwrap();
    assert_eq!(file.line.candidate.stage, Stage::BranchResolution);
    // The same step on the same day saying something else is named, not skipped.
    let mut changed = rows[4];
    changed[5] = "1";
    let steps = table(&step_headers, &[&changed[..]]);
    let refused = importer
        .apply(Dataset::CandidateSteps, &steps, "buoc.csv", &mut Quiet)
        .await
        .unwrap_err();
    assert!(matches!(refused, StoreError::Import(ref e) if e.len() == 1 && e[0].column == "Bước"));
    for dataset in [Dataset::Candidates, Dataset::CandidateSteps] {
        let exported = staff.export(dataset).await.unwrap();
        let again = importer
            .apply(dataset, &exported, "lai.csv", &mut Quiet)
            .await
            .unwrap();
        assert_eq!(
            (again.created, again.unchanged),
            (0, exported.rows.len()),
            "{dataset:?}"
        );
    }
}

conformance!(
    import_on_both_engines,
    files_and_steps_import_all_or_nothing
);

async fn a_class_passes_its_candidates_on_to_the_next_step(db: &TestDb) {
    use dangbo_store::access::{NewClass, NewTrainee};
    fixture::two_communes(db).await;
    let staff = fixture::access(db, "tochuc", Role::Organization, Some("XA")).await;
    let writer = staff.admission_writer().unwrap();
    for code in ["K1", "K2"] {
        writer
            .add_candidate(
                &candidate(code, d(1999, 5, 1), "CA", d(2021, 1, 4)),
                TODAY(),
            )
            .await
            .unwrap();
    }
    let class = NewClass {
        unit: "XA".into(),
        name: "Lớp nhận thức về Đảng khóa 1/2021".into(),
        organizer: "Trung tâm Chính trị huyện".into(),
        starts_on: Some(d(2021, 3, 1)),
        ends_on: Some(d(2021, 3, 5)),
        place: "Hội trường xã".into(),
    };
    // Dates in the wrong order, a unit out of scope: each named.
    match writer
        .add_class(&NewClass {
            unit: "XB".into(),
            ends_on: Some(d(2021, 2, 1)),
            ..class.clone()
        })
        .await
    {
        Err(StoreError::Fields(problems)) => {
            let fields: Vec<&str> = problems.iter().map(|(f, _)| f.as_str()).collect();
            assert_eq!(fields, vec!["ends_on", "unit"]);
        }
        other => panic!("{other:?}"),
    }
    let id = writer.add_class(&class).await.unwrap();
    let trainee = |candidate: &str, name: &str, result: &str, certificate: &str| NewTrainee {
        candidate: candidate.into(),
        full_name: name.into(),
        birth_date: None,
        result: result.into(),
        certificate: certificate.into(),
    };
    // Passing needs a certificate.
    assert!(matches!(
        writer
            .add_trainee(id, &trainee("K1", "", "Đạt", ""), TODAY())
            .await,
        Err(StoreError::Fields(_))
    ));
    writer
        .add_trainee(id, &trainee("K1", "", "Đạt", "31/CN-TTCT"), TODAY())
        .await
        .unwrap();
    writer
        .add_trainee(id, &trainee("K2", "", "Không đạt", ""), TODAY())
        .await
        .unwrap();
    writer
        .add_trainee(
            id,
            &trainee("", "Đinh Văn Tú", "Đạt", "32/CN-TTCT"),
            TODAY(),
        )
        .await
        .unwrap();
    // K1's file takes the class step, dated the class's last day, with its certificate.
    let file = staff.candidate("K1", TODAY()).await.unwrap().unwrap();
    assert_eq!(file.line.candidate.stage, Stage::ClassPassed);
    assert_eq!(
        file.steps[1].step,
        dangbo_domain::admission::Step::ClassPassed {
            on: d(2021, 3, 5),
            certificate: "31/CN-TTCT".into(),
            centre: "Trung tâm Chính trị huyện".into(),
        }
    );
    let other = staff.candidate("K2", TODAY()).await.unwrap().unwrap();
    assert_eq!(other.line.candidate.stage, Stage::Nominated);
    let (found, trainees) = staff.awareness_class(id).await.unwrap().unwrap();
    assert_eq!((found.trainees, found.passed), (3, 2));
    assert_eq!(trainees.len(), 3);
    // A candidate of another commune's branch is not a trainee of this commune's class.
    let national = fixture::access(db, "quantri", Role::Administrator, None).await;
    national
        .admission_writer()
        .unwrap()
        .add_candidate(
            &candidate("K9", d(1999, 5, 1), "CB", d(2021, 1, 4)),
            TODAY(),
        )
        .await
        .unwrap();
    match national
        .admission_writer()
        .unwrap()
        .add_trainee(id, &trainee("K9", "", "Đạt", "33/CN-TTCT"), TODAY())
        .await
    {
        Err(StoreError::Fields(problems)) => assert_eq!(problems[0].0, "candidate"),
        other => panic!("a trainee from outside the class's unit: {other:?}"),
    }
    // Another commune neither sees the class nor adds to it.
    let xb = fixture::access(db, "tochuc_b", Role::Organization, Some("XB")).await;
    assert!(xb.awareness_class(id).await.unwrap().is_none());
    assert!(matches!(
        xb.admission_writer()
            .unwrap()
            .add_trainee(id, &trainee("", "Người lạ", "Đạt", "1"), TODAY())
            .await,
        Err(StoreError::NotFound(_))
    ));
    // The figures of the year, and the records behind them.
    let year = Window {
        as_of: d(2021, 12, 31),
        from: d(2021, 1, 1),
        to: d(2021, 12, 31),
    };
    assert_eq!(counted(&staff, "classes.held", "XA", &year).await.0, 1);
    assert_eq!(counted(&staff, "classes.trainees", "XA", &year).await.0, 3);
    let (passed, codes) = counted(&staff, "classes.passed", "XA", &year).await;
    assert_eq!(passed, 2);
    assert_eq!(codes, vec!["".to_string(), "K1".to_string()]);
    assert_eq!(
        counted(
            &staff,
            "classes.held",
            "XA",
            &Window {
                as_of: d(2020, 12, 31),
                from: d(2020, 1, 1),
                to: d(2020, 12, 31),
            }
        )
        .await
        .0,
        0
    );
}

conformance!(
    classes_on_both_engines,
    a_class_passes_its_candidates_on_to_the_next_step
);

async fn open_files_follow_their_branch_when_it_moves_whole(db: &TestDb) {
    use dangbo_store::access::{Decision, NewUnit, RestructurePlan};
    fixture::two_communes(db).await;
    let staff = fixture::access(db, "quantri", Role::Administrator, None).await;
    let writer = staff.admission_writer().unwrap();
    for code in ["M1", "M2"] {
        writer
            .add_candidate(
                &candidate(code, d(1999, 5, 1), "CA", d(2021, 1, 4)),
                TODAY(),
            )
            .await
            .unwrap();
    }
    walk(
        &staff,
        "M2",
        &[StepInput {
            reason: "withdrawn".into(),
            ..step(Stage::Stopped, d(2021, 2, 1))
        }],
    )
    .await;
    // CA and CB merge into a new branch of XB on 1 July 2021.
    staff
        .restructurer()
        .unwrap()
        .apply(
            &RestructurePlan::Merge {
                sources: vec!["CA".into(), "CB".into()],
                new: NewUnit {
                    code: "CM".into(),
                    name: "Chi bộ thôn Nà Làng – Khuổi Khí".into(),
                    kind: dangbo_domain::tree::UnitKind::Branch,
                    parent_code: Some("XB".into()),
                    start_date: d(2021, 7, 1),
                    end_date: None,
                },
            },
            &Decision::on(d(2021, 7, 1)),
        )
        .await
        .unwrap();
    // The open file is now the new branch's, seen from XB; the stopped one stays with CA.
    let open = staff.candidate("M1", TODAY()).await.unwrap().unwrap();
    assert_eq!(open.line.candidate.unit_code, "CM");
    let stopped = staff.candidate("M2", TODAY()).await.unwrap().unwrap();
    assert_eq!(stopped.line.candidate.unit_code, "CA");
    let xb = fixture::access(db, "tochuc_b", Role::Organization, Some("XB")).await;
    assert!(xb.candidate("M1", TODAY()).await.unwrap().is_some());
    // Its next step counts the new branch's full members (A1, A2, B1, B2 moved there).
    let file = xb.candidate("M1", d(2021, 7, 5)).await.unwrap().unwrap();
    assert_eq!(file.branch_full_members, 4);
}

conformance!(
    restructure_on_both_engines,
    open_files_follow_their_branch_when_it_moves_whole
);

async fn the_branch_votes_on_a_candidate_with_the_education_the_area_needs(db: &TestDb) {
    fixture::two_communes(db).await;
    let staff = fixture::access(db, "tochuc", Role::Organization, Some("XA")).await;
    let writer = staff.admission_writer().unwrap();
    let start = d(2021, 1, 4);
    let mut primary = candidate("E1", d(1999, 5, 1), "CA", start);
    primary.record.general_education = Some(dangbo_domain::members::GeneralEducation::Primary);
    writer.add_candidate(&primary, TODAY()).await.unwrap();
    let mut steps = until_branch(start);
    let vote = steps.pop().unwrap();
    walk(&staff, "E1", &steps).await;
    assert_eq!(
        rule_of(writer.record_step("E1", &vote, TODAY()).await),
        "admission.education"
    );
    // XA marked as a hardship area (the units file's column): primary education is enough.
    let units = table(
        &[
            "Mã",
            "Tên",
            "Loại",
            "Mã cấp trên",
            "Ngày thành lập",
            "Vùng khó khăn",
        ],
        &[&[
            "XA",
            "Đảng ủy xã An Thắng",
            "Đảng bộ cơ sở",
            "T",
            "01/01/2003",
            "có",
        ]],
    );
    let summary = fixture::system(db)
        .importer()
        .unwrap()
        .apply(
            Dataset::Units,
            &units,
            "dv.csv",
            &mut dangbo_store::access::Quiet,
        )
        .await
        .unwrap();
    assert_eq!((summary.updated, summary.unchanged), (1, 0));
    writer.record_step("E1", &vote, TODAY()).await.unwrap();
    // The flag reads back in the units' export.
    let exported = fixture::system(db).export(Dataset::Units).await.unwrap();
    let xa = exported.rows.iter().find(|(_, r)| r[0] == "XA").unwrap();
    assert_eq!(xa.1.last().map(String::as_str), Some("có"));
}

conformance!(
    education_on_both_engines,
    the_branch_votes_on_a_candidate_with_the_education_the_area_needs
);
