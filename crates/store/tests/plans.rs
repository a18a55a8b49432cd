//! Every figure statement reaches its rows through an index, on both engines: the cost of a unit's
//! figures follows its subtree (and, for the summary's partial months, the days asked for), never
//! the size of the database. The indexes each statement relies on are named, so that dropping or
//! bypassing one fails here.

use dangbo_store::Db;
use dangbo_store::plans::figure_plans;
use dangbo_testkit::fixture::two_communes;
use dangbo_testkit::{conformance, d};

/// (statement, indexes its plan must use).
const EXPECTED: [(&str, &[&str]); 7] = [
    ("count member_spans", &["member_spans_path"]),
    (
        "count member_events",
        &[
            "member_events_unit_date",
            "member_events_from_date",
            "member_events_to_date",
        ],
    ),
    ("count units", &["units"]),
    (
        "summary stock",
        &["summary_stock_years", "summary_stock_months"],
    ),
    ("summary flows", &["summary_flow_months"]),
    (
        "summary partial month: spans",
        &["member_spans_from", "member_spans_to", "members_birth"],
    ),
    ("summary partial month: events", &["member_events_date"]),
];

async fn figure_statements_use_indexes(db: &Db) {
    two_communes(db).await;
    // A branch, a grassroots committee, the province, the whole database; a month end and a
    // mid-month day.
    for unit in ["CA", "XA", "T", ""] {
        for date in [d(2021, 12, 31), d(2021, 6, 15)] {
            let plans = figure_plans(db, unit, date).await.unwrap();
            assert_eq!(plans.len(), EXPECTED.len(), "{plans:#?}");
            for (what, indexes) in EXPECTED {
                let plan = plans.iter().find(|p| p.what == what).unwrap_or_else(|| {
                    panic!("no plan for {what}: {plans:#?}");
                });
                assert!(
                    plan.full_scans().is_empty(),
                    "unit «{unit}», {what}: reads a table whole: {:?}\n{}",
                    plan.full_scans(),
                    plan.plan
                );
                for index in indexes {
                    assert!(
                        plan.plan.contains(index),
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
