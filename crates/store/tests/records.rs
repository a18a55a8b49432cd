//! Records, figures and restructuring through the access layer, on both engines.

use chrono::NaiveDate;
use dangbo_domain::members::events::EventKind;
use dangbo_store::Db;
use dangbo_store::access::{
    Access, Dataset, Decision, EventInput, FigureValue, NewUnit, RestructurePlan, Value, Window,
    catalogue, find_figure,
};
use dangbo_testkit::fixture::{EVENT_HEADERS, UNIT_HEADERS, load, system, table, table_of};
use dangbo_testkit::{conformance, d};

/// A district with two communes, each with one village branch, and a school branch.
async fn small_district(db: &Db) {
    load(
        db,
        Dataset::Units,
        &table(
            &UNIT_HEADERS,
            &[
                &["T", "Tỉnh ủy Bắc Kạn", "Tỉnh ủy", "", "01/01/1997"],
                &["H", "Huyện ủy Pác Nặm", "Huyện ủy", "T", "01/01/2003"],
                &[
                    "XA",
                    "Đảng bộ xã An Thắng",
                    "Đảng bộ cơ sở",
                    "H",
                    "01/01/2003",
                ],
                &[
                    "XB",
                    "Đảng bộ xã Bộc Bố",
                    "Đảng bộ cơ sở",
                    "H",
                    "01/01/2003",
                ],
                &[
                    "CA",
                    "Chi bộ thôn Nà Làng",
                    "Chi bộ trực thuộc",
                    "XA",
                    "01/01/2003",
                ],
                &[
                    "CB",
                    "Chi bộ thôn Khuổi Khí",
                    "Chi bộ trực thuộc",
                    "XB",
                    "01/01/2003",
                ],
                &[
                    "TS",
                    "Chi bộ Trường THCS",
                    "Chi bộ cơ sở",
                    "H",
                    "01/01/2003",
                ],
            ],
        ),
    )
    .await;
}

/// A member to admit: code, name, sex, birth date, ethnicity, branch, admitted, full after 12 months.
type Person<'a> = (
    &'a str,
    &'a str,
    &'a str,
    &'a str,
    &'a str,
    &'a str,
    NaiveDate,
    bool,
);

/// Members with their admission (decision 01-QĐ/HU) and, when `full`, recognition 12 months on.
async fn admit(db: &Db, people: &[Person<'_>]) {
    let members = people
        .iter()
        .map(|(code, name, sex, born, ethnicity, ..)| {
            [*code, *name, *sex, *born, *ethnicity, "Không", "Sơ cấp"]
                .map(str::to_string)
                .to_vec()
        })
        .collect();
    load(
        db,
        Dataset::Members,
        &table_of(&dangbo_testkit::fixture::MEMBER_HEADERS, members),
    )
    .await;
    let mut events = Vec::new();
    for (code, .., branch, admitted, full) in people {
        events.push(vec![
            code.to_string(),
            "Kết nạp".into(),
            admitted.to_string(),
            "01-QĐ/HU".into(),
            String::new(),
            branch.to_string(),
        ]);
        if *full {
            let date = *admitted + chrono::Months::new(12);
            events.push(vec![
                code.to_string(),
                "Công nhận chính thức".into(),
                date.to_string(),
                String::new(),
                String::new(),
                String::new(),
            ]);
        }
    }
    load(db, Dataset::Events, &table_of(&EVENT_HEADERS, events)).await;
}

fn count(values: &[FigureValue], key: &str) -> i64 {
    values
        .iter()
        .find(|v| v.key == key)
        .and_then(|v| v.value.as_count())
        .unwrap_or_else(|| panic!("no count {key}"))
}

async fn figures_of(access: &Access, unit: &str, window: &Window) -> Vec<FigureValue> {
    access
        .figures(unit, &catalogue(), window, false)
        .await
        .unwrap()
        .unwrap()
        .1
}

async fn record(access: &Access, code: &str, input: EventInput) {
    access
        .editor()
        .unwrap()
        .record_event(code, &input)
        .await
        .unwrap_or_else(|e| panic!("{code}: {e:?}"));
}

fn event(kind: &str, date: &str) -> EventInput {
    EventInput {
        kind: kind.into(),
        date: date.into(),
        ..EventInput::default()
    }
}

async fn figures_follow_events(db: &Db) {
    small_district(db).await;
    admit(
        db,
        &[
            (
                "M1",
                "Nguyễn Văn An",
                "Nam",
                "01/02/1980",
                "Kinh",
                "CA",
                d(2010, 3, 1),
                true,
            ),
            (
                "M2",
                "Hoàng Thị Hoà",
                "Nữ",
                "01/06/1995",
                "Tày",
                "CA",
                d(2020, 9, 1),
                false,
            ),
            (
                "M3",
                "Lý Văn Bình",
                "Nam",
                "01/01/1950",
                "Dao",
                "CB",
                d(2004, 5, 19),
                true,
            ),
            (
                "M4",
                "Đặng Thị Ánh",
                "Nữ",
                "01/01/1990",
                "Nùng",
                "TS",
                d(2012, 1, 1),
                true,
            ),
        ],
    )
    .await;
    let access = system(db);
    record(&access, "M3", event("death", "2021-03-01")).await;
    record(
        &access,
        "M1",
        EventInput {
            to_unit: "CB".into(),
            ..event("transfer_out", "2021-06-01")
        },
    )
    .await;

    let window = Window {
        as_of: d(2021, 12, 31),
        from: d(2021, 1, 1),
        to: d(2021, 12, 31),
    };
    let values = figures_of(&access, "H", &window).await;
    assert_eq!(count(&values, "units.grassroots"), 3);
    assert_eq!(count(&values, "units.branches"), 2);
    assert_eq!(count(&values, "members.total"), 3);
    assert_eq!(count(&values, "members.full"), 2);
    assert_eq!(count(&values, "members.probationary"), 1);
    assert_eq!(count(&values, "members.female"), 2);
    assert_eq!(count(&values, "members.ethnic_minority"), 2);
    assert_eq!(count(&values, "members.age.18_30"), 1);
    assert_eq!(count(&values, "members.age.41_50"), 1);
    assert_eq!(count(&values, "members.theory.elementary"), 3);
    assert_eq!(count(&values, "deaths"), 1);
    assert_eq!(count(&values, "admissions"), 0);
    // A ratio is its two counts: 2 women of 3 members.
    let share = values
        .iter()
        .find(|v| v.key == "members.female.share")
        .unwrap();
    let Value::Ratio(ratio) = &share.value else {
        panic!("a ratio")
    };
    assert_eq!((ratio.numerator, ratio.denominator), (2, 3));
    assert_eq!(share.value.display(), "2/3 (66,67 %)");
    // A move inside the district is neither a transfer in nor out of the district...
    assert_eq!(count(&values, "transfers_in"), 0);
    assert_eq!(count(&values, "transfers_out"), 0);
    // ...but it is both for the communes.
    let in_b = figures_of(&access, "XB", &window).await;
    let in_a = figures_of(&access, "XA", &window).await;
    assert_eq!(count(&in_b, "transfers_in"), 1);
    assert_eq!(count(&in_a, "transfers_out"), 1);
    assert_eq!(count(&in_b, "deaths"), 1);
    assert_eq!(
        count(&in_a, "members.total") + count(&in_b, "members.total"),
        2
    );

    // Back in 2015: M1 and M3 full, M4 full, M2 not yet admitted.
    let earlier = Window {
        as_of: d(2015, 12, 31),
        from: d(2010, 1, 1),
        to: d(2015, 12, 31),
    };
    let old = figures_of(&access, "H", &earlier).await;
    assert_eq!(count(&old, "members.total"), 3);
    assert_eq!(count(&old, "admissions"), 2);
    assert_eq!(count(&old, "full_memberships"), 2);

    // Every count's drill-down has exactly as many records as its number.
    for (definition, value) in catalogue().iter().zip(&values) {
        let Some(n) = value.value.as_count() else {
            continue;
        };
        let (_, list) = access
            .figure_records("H", definition, &window)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(list.len() as i64, n, "{}", definition.key);
    }
    let female = find_figure("members.female").unwrap();
    let (_, list) = access
        .figure_records("H", &female, &window)
        .await
        .unwrap()
        .unwrap();
    let names: Vec<&str> = list.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, vec!["Đặng Thị Ánh", "Hoàng Thị Hoà"]);

    let tay = find_figure("members.ethnicity.Tày").unwrap();
    let (_, v) = access
        .figures("H", &[tay], &window, false)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(v[0].value, Value::Count(1));
    // Read by a person, a group is named as the records spell it, not as its key folds it.
    for (key, label) in [
        ("members.ethnicity.tay", "Đảng viên dân tộc Tày"),
        // No member of the group: nothing to name it by but its key.
        ("members.ethnicity.cham", "Đảng viên dân tộc cham"),
    ] {
        let figure = access.figure(key).await.unwrap().unwrap();
        assert_eq!(figure.label_vi, label, "{key}");
    }
    let by_ethnicity = access
        .breakdown(
            "H",
            window.as_of,
            dangbo_store::access::Breakdown::Ethnicity,
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(by_ethnicity.iter().map(|r| r.2).sum::<i64>(), 3);
    assert!(
        by_ethnicity
            .iter()
            .any(|(k, n, c)| k == "members.ethnicity.tay" && n == "Tày" && *c == 1)
    );

    // A table per sub-unit: one row per commune and the school, adding up to the district.
    let keys = [
        find_figure("members.total").unwrap(),
        find_figure("deaths").unwrap(),
    ];
    let table = access
        .figure_table(
            "H",
            dangbo_store::access::TableRows::Children,
            &keys,
            &window,
            true,
        )
        .await
        .unwrap()
        .unwrap();
    let rows = member_totals(&table);
    // In Vietnamese order of names: "Chi bộ Trường…" before "Đảng bộ xã…".
    assert_eq!(rows, vec![("TS", 1), ("XA", 1), ("XB", 1)]);
    assert_eq!(count(&table.total, "members.total"), 3);
    // A year earlier (31/12/2020) M3 was alive: all four were members, and nobody died in 2020.
    let prior = table.total[0].prior.clone().unwrap();
    assert_eq!(prior, Value::Count(4));
    assert_eq!(table.total[1].prior, Some(Value::Count(0)));
    let grassroots = access
        .figure_table(
            "T",
            dangbo_store::access::TableRows::Grassroots,
            &keys,
            &window,
            false,
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(grassroots.rows.len(), 3);
    // The whole database's rows are its top-level units (here the province), adding up to it.
    let top = access
        .figure_table(
            "",
            dangbo_store::access::TableRows::Children,
            &keys,
            &window,
            false,
        )
        .await
        .unwrap()
        .unwrap();
    let rows = member_totals(&top);
    assert_eq!(rows, vec![("T", 3)]);
    assert_eq!(count(&top.total, "members.total"), 3);

    // Search ignores tone marks and case.
    for search in ["hoang thi hoa", "HOÀ"] {
        let query = dangbo_store::access::MemberQuery {
            unit: Some("H".into()),
            date: Some(window.as_of),
            search: Some(search.into()),
            limit: 50,
            ..Default::default()
        };
        let found = access.members(&query, window.as_of).await.unwrap();
        assert_eq!(found.rows.len(), 1, "{search}");
        assert_eq!(found.rows[0].code, "M2");
    }
}
conformance!(figures_follow_events_on_both_engines, figures_follow_events);

async fn impossible_histories_are_refused(db: &Db) {
    small_district(db).await;
    admit(
        db,
        &[(
            "M1",
            "Nguyễn Văn An",
            "Nam",
            "01/02/1980",
            "Kinh",
            "CA",
            d(2010, 3, 1),
            false,
        )],
    )
    .await;
    let access = system(db);
    let editor = access.editor().unwrap();
    let cases: Vec<(EventInput, &str)> = vec![
        (
            event("full_membership", "2010-12-01"),
            "history.probation_not_over",
        ),
        (
            EventInput {
                to_unit: "CB".into(),
                ..event("transfer_in", "2012-01-01")
            },
            "history.two_units",
        ),
        (
            event("readmission", "2012-01-01"),
            "history.readmission_needs_left",
        ),
    ];
    for (input, rule) in cases {
        let err = editor.record_event("M1", &input).await.unwrap_err();
        assert_eq!(err.rule(), Some(rule), "{err}");
    }
    record(&access, "M1", event("death", "2015-01-01")).await;
    let err = editor
        .record_event("M1", &event("removal", "2016-01-01"))
        .await
        .unwrap_err();
    assert_eq!(err.rule(), Some("history.after_death"));
    // A date that is not a date says so, naming the field.
    let err = editor
        .record_event("M1", &event("removal", "31/02/2016"))
        .await
        .unwrap_err();
    let dangbo_store::StoreError::Fields(problems) = err else {
        panic!("field problems")
    };
    assert_eq!(problems[0].0, "date");

    let view = access.member("M1", d(2026, 1, 1)).await.unwrap().unwrap();
    assert_eq!(view.events.len(), 2, "refused events left nothing behind");
    // Recording the same admission again changes nothing.
    record(
        &access,
        "M1",
        EventInput {
            to_unit: "CA".into(),
            ..event("admission", "2010-03-01")
        },
    )
    .await;
    let view = access.member("M1", d(2026, 1, 1)).await.unwrap().unwrap();
    assert_eq!(view.events.len(), 2);
}
conformance!(
    impossible_histories_on_both_engines,
    impossible_histories_are_refused
);

fn new_unit(code: &str, name: &str, kind: &str, parent: Option<&str>) -> NewUnit {
    NewUnit {
        code: code.into(),
        name: name.into(),
        kind: dangbo_domain::tree::UnitKind::parse(kind).unwrap(),
        parent_code: parent.map(str::to_string),
        start_date: d(2025, 7, 1),
        end_date: None,
    }
}

async fn restructure_keeps_history(db: &Db) {
    small_district(db).await;
    load(
        db,
        Dataset::Units,
        &table(
            &UNIT_HEADERS,
            &[&["TN", "Tỉnh ủy Thái Nguyên", "Tỉnh ủy", "", "01/01/1997"]],
        ),
    )
    .await;
    admit(
        db,
        &[
            (
                "M1",
                "Nguyễn Văn An",
                "Nam",
                "01/02/1980",
                "Kinh",
                "CA",
                d(2010, 3, 1),
                true,
            ),
            (
                "M2",
                "Hoàng Thị Hoà",
                "Nữ",
                "01/06/1995",
                "Tày",
                "CB",
                d(2020, 9, 1),
                true,
            ),
            (
                "M3",
                "Đặng Văn Cường",
                "Nam",
                "01/06/1985",
                "Tày",
                "TS",
                d(2015, 9, 1),
                true,
            ),
        ],
    )
    .await;
    let access = system(db);
    let restructurer = access.restructurer().unwrap();
    let reform = Decision {
        decision_number: "1656-QĐ/TU".into(),
        ..Decision::on(d(2025, 7, 1))
    };
    let y2021 = Window {
        as_of: d(2021, 12, 31),
        from: d(2021, 1, 1),
        to: d(2021, 12, 31),
    };
    let old = figures_of(&access, "H", &y2021).await;
    let merge = RestructurePlan::Merge {
        sources: vec!["XA".into(), "XB".into()],
        new: new_unit("NEW", "Đảng ủy xã Bằng Thành", "commune", Some("TN")),
    };
    let out = restructurer.apply(&merge, &reform).await.unwrap();
    assert_eq!(out.outcome.members_moved, 2);
    assert_eq!(out.outcome.created.len(), 3, "{:?}", out.outcome.created);
    // The district cannot end while the school branch is still under it.
    let dissolve = RestructurePlan::Dissolve {
        code: "H".into(),
        move_members_to: None,
    };
    let err = restructurer.apply(&dissolve, &reform).await.unwrap_err();
    assert_eq!(err.rule(), Some("restructure.children_remain"), "{err}");
    let move_school = RestructurePlan::MoveUnder {
        code: "TS".into(),
        new_parent: "NEW".into(),
        new_code: Some("TS-BT".into()),
    };
    restructurer.apply(&move_school, &reform).await.unwrap();
    restructurer.apply(&dissolve, &reform).await.unwrap();

    let now = Window {
        as_of: d(2026, 1, 1),
        from: d(2025, 1, 1),
        to: d(2025, 12, 31),
    };
    assert_eq!(count(&old, "members.total"), 3);
    assert_eq!(count(&old, "units.grassroots"), 3);
    let after = figures_of(&access, "H", &now).await;
    assert_eq!(count(&after, "members.total"), 0);
    let new = figures_of(&access, "NEW", &now).await;
    assert_eq!(count(&new, "members.total"), 3);
    assert_eq!(count(&new, "members.full"), 3);
    assert_eq!(count(&new, "units.branches"), 2);
    assert_eq!(count(&new, "units.grassroots"), 1);
    assert_eq!(count(&new, "restructure_moves_in"), 3);
    // Everyone left the district for the new commune of another province.
    assert_eq!(count(&after, "restructure_moves_out"), 3);
    assert_eq!(count(&after, "restructure_moves_in"), 0);
    assert_eq!(
        count(&new, "transfers_in"),
        0,
        "restructure moves are not transfers"
    );
    // Figures of the past are unchanged by the restructure.
    assert_eq!(figures_of(&access, "H", &y2021).await, old);

    let view = access.member("M1", d(2026, 1, 1)).await.unwrap().unwrap();
    let kinds: Vec<EventKind> = view.events.iter().map(|e| e.event.kind).collect();
    assert_eq!(
        kinds,
        vec![
            EventKind::Admission,
            EventKind::FullMembership,
            EventKind::TransferOut
        ]
    );
    assert_eq!(view.events[2].event.decision_number, "1656-QĐ/TU");
    // Read by a person: a restructure's move, by the units' names, not codes.
    let moved = view.line(&view.events[2]);
    assert_eq!(moved.kind, "Chuyển do sắp xếp tổ chức");
    let ca = access.unit("CA").await.unwrap().unwrap();
    let ca_name = access.unit_name_on(&ca, d(2025, 6, 30)).await.unwrap();
    assert!(
        moved.place.starts_with(&format!("từ {ca_name}")) && moved.place.contains(" sang "),
        "{}",
        moved.place
    );
    assert!(!moved.place.contains("CA"), "{}", moved.place);
    assert_eq!(view.line(&view.events[0]).place, format!("tại {ca_name}"));
    let xa = access.unit("XA").await.unwrap().unwrap();
    let (_, _, lineage) = access.unit_details(&xa, d(2026, 1, 1)).await.unwrap();
    assert_eq!(lineage[0].to_code.as_deref(), Some("NEW"));
    let tree = access.tree(d(2026, 1, 1)).await.unwrap();
    assert!(
        tree.iter()
            .all(|e| e.unit.code != "H" && e.unit.code != "XA")
    );
    let tree_2021 = access.tree(d(2021, 1, 1)).await.unwrap();
    assert!(tree_2021.iter().any(|e| e.unit.code == "XA"));
}
conformance!(restructure_on_both_engines, restructure_keeps_history);

async fn reported_values_are_read_for_their_unit_and_period(db: &Db) {
    small_district(db).await;
    let access = system(db);
    let reporter = access.reporter().unwrap();
    let err = reporter.define("households", "Hộ", "hộ").await.unwrap_err();
    assert!(
        matches!(err, dangbo_store::StoreError::Fields(_)),
        "a key without the prefix"
    );
    reporter
        .define("reported.ho_van_hoa", "Hộ gia đình văn hóa", "hộ")
        .await
        .unwrap();
    let input = |unit: &str, value: f64| dangbo_store::access::ReportedInput {
        key: "reported.ho_van_hoa".into(),
        unit: unit.into(),
        from: Some(d(2021, 1, 1)),
        to: Some(d(2021, 12, 31)),
        value: Some(value),
        source: "Báo cáo 05-BC/UBND".into(),
        note: String::new(),
    };
    reporter.record(&input("XA", 412.0)).await.unwrap();
    reporter.record(&input("XA", 415.0)).await.unwrap();
    let missing_source = dangbo_store::access::ReportedInput {
        source: String::new(),
        ..input("XB", 1.0)
    };
    assert!(reporter.record(&missing_source).await.is_err());
    // NUL and direction characters are bad input on both engines, never a database error.
    for (key, source) in [
        ("reported.\0", "Báo cáo"),
        ("reported.ho_van_hoa", "Báo cáo\0"),
        ("reported.ho_van_hoa", "Báo cáo \u{202E}"),
    ] {
        let hostile = dangbo_store::access::ReportedInput {
            key: key.into(),
            source: source.into(),
            ..input("XB", 1.0)
        };
        let refused = reporter.record(&hostile).await;
        assert!(
            matches!(refused, Err(dangbo_store::StoreError::Fields(_))),
            "{key:?} {source:?}: {refused:?}"
        );
    }
    let refused = reporter.define("reported.x", "Hộ\0", "hộ").await;
    assert!(matches!(refused, Err(dangbo_store::StoreError::Fields(_))));
    let definition = access.figure("reported.ho_van_hoa").await.unwrap().unwrap();
    let year = Window {
        as_of: d(2021, 12, 31),
        from: d(2021, 1, 1),
        to: d(2021, 12, 31),
    };
    let value_of = async |unit: &str, window: &Window| {
        access
            .figures(unit, std::slice::from_ref(&definition), window, false)
            .await
            .unwrap()
            .unwrap()
            .1[0]
            .value
            .clone()
    };
    // The latest entry for the unit and period counts, with its source.
    let Value::Reported(Some(reported)) = value_of("XA", &year).await else {
        panic!("a reported value")
    };
    assert_eq!(reported.value, 415.0);
    assert_eq!(reported.source, "Báo cáo 05-BC/UBND");
    // Nothing was reported for XB, nor for the district itself: missing, never 0.
    assert_eq!(value_of("XB", &year).await, Value::Reported(None));
    assert_eq!(value_of("H", &year).await, Value::Reported(None));
    // A half year does not contain the year's period.
    let half = Window {
        to: d(2021, 6, 30),
        ..year
    };
    assert_eq!(value_of("XA", &half).await, Value::Reported(None));
    let listed = access
        .reported_values("H", d(2021, 1, 1), d(2021, 12, 31))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(listed.len(), 1, "one value per unit and period");
}
conformance!(
    reported_values_on_both_engines,
    reported_values_are_read_for_their_unit_and_period
);

/// Each row's unit code and members' total.
fn member_totals(table: &dangbo_store::access::FigureTable) -> Vec<(&str, i64)> {
    table
        .rows
        .iter()
        .map(|(u, v)| (u.code.as_str(), count(v, "members.total")))
        .collect()
}
