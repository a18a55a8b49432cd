mod common;

use common::d;
use dangbo_domain::tree::UnitKind;
use dangbo_store::units::{self, NewUnit};
use dangbo_store::{Db, StoreError};

fn new_unit(
    code: &str,
    name: &str,
    kind: UnitKind,
    parent: Option<&str>,
    start: chrono::NaiveDate,
) -> NewUnit {
    NewUnit {
        code: code.into(),
        name: name.into(),
        kind,
        parent_code: parent.map(str::to_string),
        start_date: start,
        end_date: None,
    }
}

async fn tree_and_renames(db: &Db) {
    let mut tx = db.begin().await.unwrap();
    units::create(
        &mut tx,
        &new_unit(
            "T",
            "Tỉnh ủy Bắc Kạn",
            UnitKind::Province,
            None,
            d(1997, 1, 1),
        ),
    )
    .await
    .unwrap();
    units::create(
        &mut tx,
        &new_unit(
            "H",
            "Huyện ủy Pác Nặm",
            UnitKind::District,
            Some("T"),
            d(2003, 1, 1),
        ),
    )
    .await
    .unwrap();
    units::create(
        &mut tx,
        &new_unit(
            "X2",
            "Đảng bộ xã Bộc Bố",
            UnitKind::GrassrootsCommittee,
            Some("H"),
            d(2003, 1, 1),
        ),
    )
    .await
    .unwrap();
    units::create(
        &mut tx,
        &new_unit(
            "X1",
            "Đảng bộ xã An Thắng",
            UnitKind::GrassrootsCommittee,
            Some("H"),
            d(2003, 1, 1),
        ),
    )
    .await
    .unwrap();
    units::rename(
        &mut tx,
        "X1",
        "Đảng bộ xã Ân Thắng",
        d(2010, 1, 1),
        "12-QĐ/HU",
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();

    let mut tx = db.begin().await.unwrap();
    let root = units::require(&mut tx, "H").await.unwrap();
    let tree = units::tree_on(&mut tx, Some(&root), d(2005, 1, 1))
        .await
        .unwrap();
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
    let later = units::tree_on(&mut tx, Some(&root), d(2012, 1, 1))
        .await
        .unwrap();
    assert_eq!(later[1].unit.name, "Đảng bộ xã Ân Thắng");
    let before = units::tree_on(&mut tx, None, d(1990, 1, 1)).await.unwrap();
    assert!(before.is_empty());

    // A child outside its parent's life, a duplicate code, and a unit under a branch are refused.
    let err = units::create(
        &mut tx,
        &new_unit(
            "X3",
            "Xã",
            UnitKind::GrassrootsCommittee,
            Some("H"),
            d(2000, 1, 1),
        ),
    )
    .await
    .unwrap_err();
    assert!(
        matches!(err, StoreError::Invalid(ref m) if m.contains("ngoài thời gian")),
        "{err}"
    );
    let err = units::create(
        &mut tx,
        &new_unit(
            "X1",
            "Trùng",
            UnitKind::GrassrootsCommittee,
            Some("H"),
            d(2005, 1, 1),
        ),
    )
    .await
    .unwrap_err();
    assert!(err.to_string().contains("đã tồn tại"));
    units::create(
        &mut tx,
        &new_unit(
            "CB",
            "Chi bộ thôn Nà Pài",
            UnitKind::Branch,
            Some("X1"),
            d(2005, 1, 1),
        ),
    )
    .await
    .unwrap();
    let err = units::create(
        &mut tx,
        &new_unit("TO", "Tổ", UnitKind::Branch, Some("CB"), d(2005, 1, 1)),
    )
    .await
    .unwrap_err();
    assert!(err.to_string().contains("không có đơn vị con"));
}
conformance!(tree_and_renames_on_both_engines, tree_and_renames);

async fn schemas(db: &Db) {
    let versions = db.applied_migrations().await.unwrap();
    assert_eq!(versions, vec![1, 2]);
}
conformance!(migrations_apply, schemas);

#[tokio::test]
async fn sqlite_and_postgres_schemas_match() {
    let lite = common::TestDb::sqlite().await;
    let pg = common::TestDb::postgres().await;
    let a = lite.db.schema_outline().await.unwrap();
    let b = pg.db.schema_outline().await.unwrap();
    assert!(!a.is_empty());
    assert_eq!(a, b);
    assert_eq!(
        lite.db.applied_migrations().await.unwrap(),
        pg.db.applied_migrations().await.unwrap()
    );
    lite.finish().await;
    pg.finish().await;
}
