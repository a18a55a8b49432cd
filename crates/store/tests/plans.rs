//! Every figure statement reaches its rows through an index, on both engines: the cost of a unit's
//! figures follows its subtree (and, for the summary's partial months, the days asked for), never
//! the size of the database. The indexes each statement relies on are named, so that dropping or
//! bypassing one fails here.

use dangbo_store::Db;
use dangbo_store::access::Dataset;
use dangbo_store::plans::figure_plans;
use dangbo_testkit::fixture::{EVENT_HEADERS, MEMBER_HEADERS, UNIT_HEADERS, load, table_of};
use dangbo_testkit::{conformance, d};

/// (statement, indexes its plan must use).
const EXPECTED: [(&str, &[&str]); 26] = [
    // SQLite's index for the unique path, PostgreSQL's (each engine names its own).
    ("count units", &["sqlite_autoindex_units_2|units_path_key"]),
    ("count member_spans", &["member_spans_path"]),
    (
        "count member_events",
        &[
            "member_events_unit_date",
            "member_events_from_date",
            "member_events_to_date",
        ],
    ),
    ("count documents", &["documents_path"]),
    ("count targets", &["targets_path"]),
    ("count tasks", &["tasks_path"]),
    (
        "count candidates",
        &["candidates_path", "candidate_steps_candidate"],
    ),
    ("count awareness_classes", &["awareness_classes_path"]),
    (
        "count class_trainees",
        &["awareness_classes_path", "class_trainees_class"],
    ),
    ("count ratings", &["ratings_path"]),
    (
        "count case_subjects",
        &["inspection_cases_path", "case_subjects_case"],
    ),
    ("count discipline", &["discipline_decisions_path"]),
    (
        "count complaints",
        &[
            "discipline_decisions_path",
            "discipline_complaints_decision",
        ],
    ),
    ("count inspection_plans", &["inspection_plan_items_path"]),
    ("count holdings", &["holdings_path"]),
    ("count training", &["member_spans_path|member_spans_to"]),
    ("count study_sessions", &["study_sessions_path"]),
    ("count study_units", &["study_units_path"]),
    ("count study_attendance", &["study_attendance_path"]),
    ("units with summaries", &["units_kind"]),
    (
        "summary stock",
        &["summary_stock_years", "summary_stock_months"],
    ),
    ("summary flows", &["summary_flow_months"]),
    (
        "summary partial month: spans",
        &["member_spans_from", "member_spans_to", "members_birth"],
    ),
    ("summary partial month: events", &["member_events_dated"]),
    ("summary breakdown: ethnicity name", &["members_ethnicity"]),
    ("summary breakdown: religion name", &["members_religion"]),
];

/// A province of five communes with four branches each, and 3.000 members admitted over twenty
/// years, some of them moved between branches: enough rows for each engine to plan as it would
/// for a real database.
async fn province(db: &Db) {
    let mut units = vec![
        ["T", "Tỉnh ủy Thử Nghiệm", "Tỉnh ủy", ""]
            .map(str::to_string)
            .to_vec(),
    ];
    for x in 0..5 {
        units.push(vec![
            format!("X{x}"),
            format!("Đảng ủy xã Số {x}"),
            "Đảng bộ cơ sở".into(),
            "T".into(),
        ]);
        for b in 0..4 {
            units.push(vec![
                format!("X{x}B{b}"),
                format!("Chi bộ thôn Số {x} {b}"),
                "Chi bộ trực thuộc".into(),
                format!("X{x}"),
            ]);
        }
    }
    for unit in &mut units {
        unit.push("01/01/2000".into());
    }
    load(db, Dataset::Units, &table_of(&UNIT_HEADERS, units)).await;
    let given = ["An", "Bình", "Chi", "Dũng", "Hoà", "Lan", "Minh"];
    let members: Vec<Vec<String>> = (0..3000)
        .map(|i| {
            vec![
                format!("M{i:05}"),
                format!("Trần Thị {}", given[i % given.len()]),
                if i % 2 == 0 { "Nữ" } else { "Nam" }.into(),
                format!("{:02}/{:02}/{}", 1 + i % 28, 1 + i % 12, 1950 + i % 50),
                "Kinh".into(),
                "Không".into(),
                String::new(),
            ]
        })
        .collect();
    load(db, Dataset::Members, &table_of(&MEMBER_HEADERS, members)).await;
    let mut events = Vec::new();
    for i in 0..3000usize {
        let code = format!("M{i:05}");
        let branch = format!("X{}B{}", i % 5, (i / 5) % 4);
        let admitted = format!(
            "{:02}/{:02}/{}",
            1 + i % 28,
            1 + (i / 28) % 12,
            2001 + i % 20
        );
        events.push(vec![
            code.clone(),
            "Kết nạp".into(),
            admitted,
            "01-QĐ/ĐU".into(),
            String::new(),
            branch,
        ]);
        if i % 3 == 0 {
            let moved = format!("{:02}/{:02}/2022", 1 + i % 28, 1 + i % 12);
            let to = format!("X{}B{}", (i + 1) % 5, i % 4);
            events.push(vec![
                code,
                "Chuyển đi".into(),
                moved,
                String::new(),
                String::new(),
                to,
            ]);
        }
    }
    load(db, Dataset::Events, &table_of(&EVENT_HEADERS, events)).await;
}

async fn figure_statements_use_indexes(db: &Db) {
    province(db).await;
    // A branch, a grassroots committee, the province, the whole database; a month end and a
    // mid-month day.
    for unit in ["X0B1", "X2", "T", ""] {
        for date in [d(2021, 12, 31), d(2021, 6, 15)] {
            let plans = figure_plans(db, unit, date).await.unwrap();
            let whats: Vec<&str> = plans.iter().map(|p| p.what.as_str()).collect();
            let summarized = unit == "T" || unit.is_empty();
            let expected: Vec<&str> = EXPECTED
                .iter()
                .map(|(what, _)| *what)
                .filter(|what| {
                    what.starts_with("summary") == summarized
                        || *what == "count units"
                        || *what == "count member_events"
                        || *what == "count documents"
                        || *what == "count targets"
                        || *what == "count tasks"
                        || *what == "count candidates"
                        || *what == "count awareness_classes"
                        || *what == "count class_trainees"
                        || *what == "count ratings"
                        || *what == "count case_subjects"
                        || *what == "count discipline"
                        || *what == "count complaints"
                        || *what == "count inspection_plans"
                        || *what == "count holdings"
                        || *what == "count training"
                        || *what == "count study_sessions"
                        || *what == "count study_units"
                        || *what == "count study_attendance"
                        || *what == "units with summaries"
                })
                .collect();
            assert_eq!(whats, expected, "unit «{unit}»");
            for &(what, indexes) in EXPECTED.iter().filter(|(w, _)| whats.contains(w)) {
                let plan = plans.iter().find(|p| p.what == what).unwrap_or_else(|| {
                    panic!("no plan for {what}: {plans:#?}");
                });
                assert!(
                    plan.full_scans().is_empty(),
                    "unit «{unit}», {what}: reads a table whole: {:?}\n{}",
                    plan.full_scans(),
                    plan.plan
                );
                // Over a summarized subtree the events read from the rows (admissions by who was
                // admitted) are the period's events of the whole subtree: any index on the date
                // serves, and none reads the table whole (checked above).
                if summarized && what == "count member_events" {
                    assert!(plan.plan.contains("_date"), "{what}: {}", plan.plan);
                    continue;
                }
                for index in indexes {
                    assert!(
                        index.split('|').any(|name| plan.plan.contains(name)),
                        "unit «{unit}», {what}: does not use {index}\n{}",
                        plan.plan
                    );
                }
            }
        }
    }
}

conformance!(
    figure_statements_use_indexes_on_both_engines,
    figure_statements_use_indexes
);

/// After an import of 10.000 rows or more PostgreSQL's statistics are refreshed at once, so the
/// next figures get the plans checked above. `ANALYZE` writes the table's row count into the
/// catalog in its own transaction, so it is seen at once (the cumulative statistics views lag).
#[tokio::test]
async fn big_imports_refresh_the_statistics_on_postgres() {
    let t = dangbo_testkit::TestDb::postgres().await;
    let analyzed = "pg_class WHERE relname = 'members' AND reltuples = 10100";
    let members = |from: usize, to: usize| {
        let rows = (from..to)
            .map(|i| {
                vec![
                    format!("S{i:06}"),
                    "Trần Thị Lan".into(),
                    "Nữ".into(),
                    "01/01/1980".into(),
                    "Kinh".into(),
                    "Không".into(),
                    String::new(),
                ]
            })
            .collect();
        table_of(&MEMBER_HEADERS, rows)
    };
    load(&t.db, Dataset::Members, &members(0, 100)).await;
    assert_eq!(t.count(analyzed).await, 0);
    load(&t.db, Dataset::Members, &members(100, 10_100)).await;
    assert_eq!(
        t.count(analyzed).await,
        1,
        "the import's ANALYZE counted 10.100 members"
    );
}
