//! The organization tree through the access layer, and the schema both engines share.

use std::collections::BTreeMap;

use dangbo_domain::tree::UnitKind;
use dangbo_store::Db;
use dangbo_store::access::{Decision, NewUnit, RestructurePlan};
use dangbo_testkit::fixture::system;
use dangbo_testkit::{TestDb, conformance, d};

fn establish(code: &str, name: &str, kind: UnitKind, parent: Option<&str>) -> RestructurePlan {
    RestructurePlan::Establish {
        new: NewUnit {
            code: code.into(),
            name: name.into(),
            kind,
            parent_code: parent.map(str::to_string),
            start_date: d(2000, 1, 1),
            end_date: None,
        },
    }
}

async fn tree_and_renames(db: &Db) {
    let access = system(db);
    let restructurer = access.restructurer().unwrap();
    let apply = async |plan: RestructurePlan, date| {
        restructurer
            .apply(&plan, &Decision::on(date))
            .await
            .map(|p| p.outcome)
    };
    apply(
        establish("T", "Tỉnh ủy Bắc Kạn", UnitKind::Province, None),
        d(1997, 1, 1),
    )
    .await
    .unwrap();
    apply(
        establish("H", "Huyện ủy Pác Nặm", UnitKind::District, Some("T")),
        d(2003, 1, 1),
    )
    .await
    .unwrap();
    for (code, name) in [("X2", "Đảng bộ xã Bộc Bố"), ("X1", "Đảng bộ xã An Thắng")]
    {
        apply(
            establish(code, name, UnitKind::GrassrootsCommittee, Some("H")),
            d(2003, 1, 1),
        )
        .await
        .unwrap();
    }
    apply(
        RestructurePlan::Rename {
            code: "X1".into(),
            new_name: "Đảng bộ xã Ân Thắng".into(),
        },
        d(2010, 1, 1),
    )
    .await
    .unwrap();

    let tree = access.subtree("H", d(2005, 1, 1)).await.unwrap().unwrap();
    let names: Vec<(&str, usize)> = tree
        .iter()
        .map(|e| (e.unit.name.as_str(), e.depth))
        .collect();
    assert_eq!(
        names,
        vec![
            ("Huyện ủy Pác Nặm", 0),
            ("Đảng bộ xã An Thắng", 1),
            ("Đảng bộ xã Bộc Bố", 1)
        ]
    );
    let later = access.subtree("H", d(2012, 1, 1)).await.unwrap().unwrap();
    assert_eq!(later[1].unit.name, "Đảng bộ xã Ân Thắng");
    assert!(access.tree(d(1990, 1, 1)).await.unwrap().is_empty());

    // A child before its parent exists, a duplicate code, and a unit under a branch are refused.
    let err = apply(
        establish("X3", "Xã", UnitKind::GrassrootsCommittee, Some("H")),
        d(2000, 1, 1),
    )
    .await
    .unwrap_err();
    assert_eq!(err.rule(), Some("unit.outside_parent"), "{err}");
    let err = apply(
        establish("X1", "Trùng", UnitKind::GrassrootsCommittee, Some("H")),
        d(2005, 1, 1),
    )
    .await
    .unwrap_err();
    assert_eq!(err.rule(), Some("unit.code_taken"), "{err}");
    apply(
        establish("CB", "Chi bộ thôn Nà Pài", UnitKind::Branch, Some("X1")),
        d(2005, 1, 1),
    )
    .await
    .unwrap();
    let err = apply(
        establish("TO", "Tổ", UnitKind::Branch, Some("CB")),
        d(2005, 1, 1),
    )
    .await
    .unwrap_err();
    assert_eq!(err.rule(), Some("unit.parent_is_branch"), "{err}");
}
conformance!(tree_and_renames_on_both_engines, tree_and_renames);

async fn migrations_apply(db: &Db) {
    // Every migration file on disk (for both engines, in step) has been applied, in order.
    let on_disk = |engine: &str| -> Vec<i64> {
        let folder = format!("{}/migrations/{engine}", env!("CARGO_MANIFEST_DIR"));
        let mut versions: Vec<i64> = std::fs::read_dir(folder)
            .unwrap()
            .map(|entry| {
                let name = entry.unwrap().file_name().into_string().unwrap();
                name.split('_').next().unwrap().parse().unwrap()
            })
            .collect();
        versions.sort();
        versions
    };
    assert_eq!(on_disk("sqlite"), on_disk("postgres"));
    let versions = db.applied_migrations().await.unwrap();
    assert_eq!(versions, on_disk("sqlite"));
}
conformance!(migrations_apply_on_both_engines, migrations_apply);

/// Whether a SQLite column type and a PostgreSQL one hold the same values: integers are 64-bit
/// on both, dates are ISO text on SQLite, floats are doubles, bytes are bytes.
fn same_kind(sqlite: &str, postgres: &str) -> bool {
    matches!(
        (sqlite, postgres),
        ("integer", "bigint")
            | ("integer", "integer")
            | ("text", "text")
            | ("text", "date")
            | ("real", "double precision")
            | ("blob", "bytea")
    )
}

#[tokio::test]
async fn sqlite_and_postgres_schemas_match() {
    let lite = TestDb::sqlite().await;
    let pg = TestDb::postgres().await;
    let a = lite.db.schema().await.unwrap();
    let b = pg.db.schema().await.unwrap();
    assert!(!a.columns.is_empty());
    // The same tables and columns, with the same nullability and types that hold the same values.
    let key = |c: &dangbo_store::engine_schema::Column| (c.table.clone(), c.name.clone());
    let lite_columns: BTreeMap<_, _> = a.columns.iter().map(|c| (key(c), c)).collect();
    let pg_columns: BTreeMap<_, _> = b.columns.iter().map(|c| (key(c), c)).collect();
    assert_eq!(
        lite_columns.keys().collect::<Vec<_>>(),
        pg_columns.keys().collect::<Vec<_>>()
    );
    for (name, l) in &lite_columns {
        let p = pg_columns[name];
        assert_eq!(l.not_null, p.not_null, "nullability of {name:?}");
        assert!(same_kind(&l.ty, &p.ty), "{name:?}: {} vs {}", l.ty, p.ty);
        // Paths and sort keys are compared byte by byte, as SQLite's BINARY does.
        if name.1.ends_with("path") || name.1 == "sort_key" {
            assert_eq!(p.collation.as_deref(), Some("C"), "collation of {name:?}");
        }
    }
    // The same indexes (primary keys aside) and unique constraints, on the same columns.
    assert_eq!(a.indexes, b.indexes);
    assert!(a.indexes.iter().any(|i| i.unique));
    // The same tables guarded by triggers (the append-only audit log).
    assert_eq!(a.triggered_tables, b.triggered_tables);
    assert_eq!(a.triggered_tables, vec!["audit_log".to_string()]);
    assert_eq!(
        lite.db.applied_migrations().await.unwrap(),
        pg.db.applied_migrations().await.unwrap()
    );
}
