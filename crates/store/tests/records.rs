mod common;

use chrono::NaiveDate;
use common::d;
use dangbo_domain::figure::{self, catalogue};
use dangbo_domain::members::events::EventKind;
use dangbo_domain::members::{MemberRecord, Sex, TheoryLevel};
use dangbo_domain::tree::UnitKind;
use dangbo_store::events::{self, NewEvent};
use dangbo_store::figures::{self, Window};
use dangbo_store::restructure::{self, Decision};
use dangbo_store::units::{self, NewUnit};
use dangbo_store::{Db, Tx, members};

fn unit(code: &str, name: &str, kind: UnitKind, parent: Option<&str>, start: NaiveDate) -> NewUnit {
    NewUnit {
        code: code.into(),
        name: name.into(),
        kind,
        parent_code: parent.map(str::to_string),
        start_date: start,
        end_date: None,
    }
}

fn person(code: &str, name: &str, sex: Sex, born: NaiveDate, ethnicity: &str) -> MemberRecord {
    MemberRecord {
        code: code.into(),
        full_name: name.into(),
        sex,
        birth_date: born,
        ethnicity: ethnicity.into(),
        religion: "Không".into(),
        home_town: "Bắc Kạn".into(),
        residence: "Pác Nặm".into(),
        national_id: String::new(),
        general_education: None,
        qualification: None,
        theory_level: Some(TheoryLevel::Elementary),
        occupation: "Nông dân".into(),
        phone: String::new(),
        card_number: String::new(),
    }
}

/// A district with two communes, each with one village branch.
async fn small_district(tx: &mut Tx) {
    for u in [
        unit(
            "T",
            "Tỉnh ủy Bắc Kạn",
            UnitKind::Province,
            None,
            d(1997, 1, 1),
        ),
        unit(
            "H",
            "Huyện ủy Pác Nặm",
            UnitKind::District,
            Some("T"),
            d(2003, 1, 1),
        ),
        unit(
            "XA",
            "Đảng bộ xã An Thắng",
            UnitKind::GrassrootsCommittee,
            Some("H"),
            d(2003, 1, 1),
        ),
        unit(
            "XB",
            "Đảng bộ xã Bộc Bố",
            UnitKind::GrassrootsCommittee,
            Some("H"),
            d(2003, 1, 1),
        ),
        unit(
            "CA",
            "Chi bộ thôn Nà Làng",
            UnitKind::Branch,
            Some("XA"),
            d(2003, 1, 1),
        ),
        unit(
            "CB",
            "Chi bộ thôn Pác Nặm",
            UnitKind::Branch,
            Some("XB"),
            d(2003, 1, 1),
        ),
        unit(
            "TS",
            "Chi bộ Trường THCS",
            UnitKind::GrassrootsBranch,
            Some("H"),
            d(2005, 1, 1),
        ),
    ] {
        units::create(tx, &u).await.unwrap();
    }
}

async fn admit(
    tx: &mut Tx,
    record: MemberRecord,
    branch: &str,
    admitted: NaiveDate,
    full: bool,
) -> i64 {
    let (id, _) = members::upsert(tx, &record).await.unwrap();
    let branch = units::require(tx, branch).await.unwrap();
    let mut list = vec![NewEvent {
        to_unit_id: Some(branch.id),
        decision_number: "01-QĐ/HU".into(),
        ..NewEvent::new(EventKind::Admission, admitted)
    }];
    if full {
        list.push(NewEvent::new(
            EventKind::FullMembership,
            admitted + chrono::Months::new(12),
        ));
    }
    events::record_for(tx, id, list).await.unwrap();
    id
}

fn key(values: &[(String, i64)], k: &str) -> i64 {
    values
        .iter()
        .find(|(key, _)| key == k)
        .map(|(_, v)| *v)
        .unwrap_or_else(|| panic!("{k}"))
}

async fn figures_follow_events(db: &Db) {
    let mut tx = db.begin().await.unwrap();
    small_district(&mut tx).await;
    admit(
        &mut tx,
        person("M1", "Nguyễn Văn An", Sex::Male, d(1980, 2, 1), "Kinh"),
        "CA",
        d(2010, 3, 1),
        true,
    )
    .await;
    admit(
        &mut tx,
        person("M2", "Hoàng Thị Hoà", Sex::Female, d(1995, 6, 1), "Tày"),
        "CA",
        d(2020, 9, 1),
        false,
    )
    .await;
    let m3 = admit(
        &mut tx,
        person("M3", "Lý Văn Bình", Sex::Male, d(1950, 1, 1), "Dao"),
        "CB",
        d(2004, 5, 19),
        true,
    )
    .await;
    admit(
        &mut tx,
        person("M4", "Đặng Thị Ánh", Sex::Female, d(1990, 1, 1), "Nùng"),
        "TS",
        d(2012, 1, 1),
        true,
    )
    .await;
    let ca = units::require(&mut tx, "CA").await.unwrap();
    let cb = units::require(&mut tx, "CB").await.unwrap();
    events::record_for(
        &mut tx,
        m3,
        vec![NewEvent::new(EventKind::Death, d(2021, 3, 1))],
    )
    .await
    .unwrap();
    let m1 = members::require(&mut tx, "M1").await.unwrap();
    events::record_for(
        &mut tx,
        m1.id,
        vec![NewEvent {
            from_unit_id: Some(ca.id),
            to_unit_id: Some(cb.id),
            ..NewEvent::new(EventKind::TransferOut, d(2021, 6, 1))
        }],
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();

    let mut tx = db.begin().await.unwrap();
    let district = units::require(&mut tx, "H").await.unwrap();
    let window = Window {
        as_of: d(2021, 12, 31),
        from: d(2021, 1, 1),
        to: d(2021, 12, 31),
    };
    let all = catalogue();
    let values = figures::evaluate(&mut tx, &district, &all, &window)
        .await
        .unwrap();
    assert_eq!(key(&values, "units.grassroots"), 3);
    assert_eq!(key(&values, "units.branches"), 2);
    assert_eq!(key(&values, "members.total"), 3);
    assert_eq!(key(&values, "members.full"), 2);
    assert_eq!(key(&values, "members.probationary"), 1);
    assert_eq!(key(&values, "members.female"), 2);
    assert_eq!(key(&values, "members.ethnic_minority"), 2);
    assert_eq!(key(&values, "members.age.18_30"), 1);
    assert_eq!(key(&values, "members.age.41_50"), 1);
    assert_eq!(key(&values, "members.theory.elementary"), 3);
    assert_eq!(key(&values, "deaths"), 1);
    assert_eq!(key(&values, "admissions"), 0);
    // A move inside the district is neither a transfer in nor out of the district...
    assert_eq!(key(&values, "transfers_in"), 0);
    assert_eq!(key(&values, "transfers_out"), 0);
    // ...but it is both for the communes.
    let xb = units::require(&mut tx, "XB").await.unwrap();
    let xa = units::require(&mut tx, "XA").await.unwrap();
    let in_b = figures::evaluate(&mut tx, &xb, &all, &window)
        .await
        .unwrap();
    let in_a = figures::evaluate(&mut tx, &xa, &all, &window)
        .await
        .unwrap();
    assert_eq!(key(&in_b, "transfers_in"), 1);
    assert_eq!(key(&in_a, "transfers_out"), 1);
    assert_eq!(key(&in_b, "deaths"), 1);
    assert_eq!(key(&in_a, "members.total") + key(&in_b, "members.total"), 2);

    // Back in 2015: M1 and M3 full, M4 full, M2 not yet admitted.
    let earlier = Window {
        as_of: d(2015, 12, 31),
        from: d(2010, 1, 1),
        to: d(2015, 12, 31),
    };
    let old = figures::evaluate(&mut tx, &district, &all, &earlier)
        .await
        .unwrap();
    assert_eq!(key(&old, "members.total"), 3);
    assert_eq!(key(&old, "admissions"), 2);
    assert_eq!(key(&old, "full_memberships"), 2);

    // Every figure's drill-down has exactly as many records as its number.
    for (i, f) in all.iter().enumerate() {
        let list = figures::records(&mut tx, &district, f, &window)
            .await
            .unwrap();
        assert_eq!(list.len() as i64, values[i].1, "{}", f.key);
    }
    let female = figures::records(
        &mut tx,
        &district,
        &figure::find("members.female").unwrap(),
        &window,
    )
    .await
    .unwrap();
    let names: Vec<&str> = female.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, vec!["Đặng Thị Ánh", "Hoàng Thị Hoà"]);

    let tay = figure::find("members.ethnicity.Tày").unwrap();
    let v = figures::evaluate(&mut tx, &district, &[tay], &window)
        .await
        .unwrap();
    assert_eq!(v[0].1, 1);
    let by_ethnicity = figures::breakdown(
        &mut tx,
        &district,
        window.as_of,
        figures::Breakdown::Ethnicity,
    )
    .await
    .unwrap();
    assert_eq!(by_ethnicity.iter().map(|r| r.2).sum::<i64>(), 3);
    assert!(
        by_ethnicity
            .iter()
            .any(|(k, n, c)| k == "members.ethnicity.tay" && n == "Tày" && *c == 1)
    );

    // Search ignores tone marks and case.
    let found = members::active_in(&mut tx, &district, window.as_of, Some("hoang thi hoa"))
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].code, "M2");
    let found = members::active_in(&mut tx, &district, window.as_of, Some("HOÀ"))
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
}
conformance!(figures_follow_events_on_both_engines, figures_follow_events);

async fn impossible_histories_are_refused(db: &Db) {
    let mut tx = db.begin().await.unwrap();
    small_district(&mut tx).await;
    let id = admit(
        &mut tx,
        person("M1", "Nguyễn Văn An", Sex::Male, d(1980, 2, 1), "Kinh"),
        "CA",
        d(2010, 3, 1),
        false,
    )
    .await;
    tx.commit().await.unwrap();

    let mut tx = db.begin().await.unwrap();
    let cb = units::require(&mut tx, "CB").await.unwrap();
    let ca = units::require(&mut tx, "CA").await.unwrap();
    let cases: Vec<(Vec<NewEvent>, &str)> = vec![
        (
            vec![NewEvent::new(EventKind::FullMembership, d(2010, 12, 1))],
            "12 tháng",
        ),
        (
            vec![
                NewEvent::new(EventKind::Death, d(2015, 1, 1)),
                NewEvent::new(EventKind::Removal, d(2016, 1, 1)),
            ],
            "từ trần",
        ),
        (
            vec![NewEvent {
                to_unit_id: Some(cb.id),
                ..NewEvent::new(EventKind::TransferIn, d(2012, 1, 1))
            }],
            "hai đơn vị",
        ),
        (
            vec![NewEvent {
                from_unit_id: Some(cb.id),
                to_unit_id: Some(ca.id),
                ..NewEvent::new(EventKind::TransferOut, d(2012, 1, 1))
            }],
            "chuyển đi khỏi CB",
        ),
    ];
    for (list, expected) in cases {
        let err = events::record_for(&mut tx, id, list).await.unwrap_err();
        assert!(err.to_string().contains(expected), "{err} ∌ {expected}");
    }
    tx.rollback().await.unwrap();

    let mut tx = db.begin().await.unwrap();
    let stored = events::of_members(&mut tx, &[id]).await.unwrap();
    assert_eq!(stored[&id].len(), 1, "refused events left nothing behind");
    // Recording the same admission again changes nothing.
    let n = events::record_for(
        &mut tx,
        id,
        vec![NewEvent {
            to_unit_id: Some(ca.id),
            ..NewEvent::new(EventKind::Admission, d(2010, 3, 1))
        }],
    )
    .await
    .unwrap();
    assert_eq!(n, 0);
}
conformance!(
    impossible_histories_on_both_engines,
    impossible_histories_are_refused
);

async fn restructure_keeps_history(db: &Db) {
    let mut tx = db.begin().await.unwrap();
    small_district(&mut tx).await;
    units::create(
        &mut tx,
        &unit(
            "TN",
            "Tỉnh ủy Thái Nguyên",
            UnitKind::Province,
            None,
            d(1997, 1, 1),
        ),
    )
    .await
    .unwrap();
    admit(
        &mut tx,
        person("M1", "Nguyễn Văn An", Sex::Male, d(1980, 2, 1), "Kinh"),
        "CA",
        d(2010, 3, 1),
        true,
    )
    .await;
    admit(
        &mut tx,
        person("M2", "Hoàng Thị Hoà", Sex::Female, d(1995, 6, 1), "Tày"),
        "CB",
        d(2020, 9, 1),
        true,
    )
    .await;
    admit(
        &mut tx,
        person("M3", "Đặng Văn Cường", Sex::Male, d(1985, 6, 1), "Tày"),
        "TS",
        d(2015, 9, 1),
        true,
    )
    .await;
    tx.commit().await.unwrap();

    let reform = Decision {
        decision_number: "1656-QĐ/TU".into(),
        ..Decision::on(d(2025, 7, 1))
    };
    let mut tx = db.begin().await.unwrap();
    let out = restructure::merge(
        &mut tx,
        &["XA".to_string(), "XB".to_string()],
        &unit(
            "NEW",
            "Đảng ủy xã Bằng Thành",
            UnitKind::Commune,
            Some("TN"),
            d(2025, 7, 1),
        ),
        &reform,
    )
    .await
    .unwrap();
    assert_eq!(out.members_moved, 2);
    assert_eq!(out.created.len(), 3, "{:?}", out.created);
    // The district cannot end while the school branch is still under it.
    let err = restructure::dissolve(&mut tx, "H", None, &reform)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("TS"), "{err}");
    restructure::move_under(&mut tx, "TS", "NEW", Some("TS-BT"), &reform)
        .await
        .unwrap();
    restructure::dissolve(&mut tx, "H", None, &reform)
        .await
        .unwrap();
    tx.commit().await.unwrap();

    let mut tx = db.begin().await.unwrap();
    let district = units::require(&mut tx, "H").await.unwrap();
    let commune = units::require(&mut tx, "NEW").await.unwrap();
    let all = catalogue();
    let y2021 = Window {
        as_of: d(2021, 12, 31),
        from: d(2021, 1, 1),
        to: d(2021, 12, 31),
    };
    let now = Window {
        as_of: d(2026, 1, 1),
        from: d(2025, 1, 1),
        to: d(2025, 12, 31),
    };
    let old = figures::evaluate(&mut tx, &district, &all, &y2021)
        .await
        .unwrap();
    assert_eq!(key(&old, "members.total"), 3);
    assert_eq!(key(&old, "units.grassroots"), 3);
    let after = figures::evaluate(&mut tx, &district, &all, &now)
        .await
        .unwrap();
    assert_eq!(key(&after, "members.total"), 0);
    let new = figures::evaluate(&mut tx, &commune, &all, &now)
        .await
        .unwrap();
    assert_eq!(key(&new, "members.total"), 3);
    assert_eq!(key(&new, "members.full"), 3);
    assert_eq!(key(&new, "units.branches"), 2);
    assert_eq!(key(&new, "units.grassroots"), 1);
    assert_eq!(key(&new, "restructure_moves_in"), 3);
    assert_eq!(
        key(&new, "transfers_in"),
        0,
        "restructure moves are not transfers"
    );
    let old_again = figures::evaluate(&mut tx, &district, &all, &y2021)
        .await
        .unwrap();
    assert_eq!(old, old_again);

    let m1 = members::require(&mut tx, "M1").await.unwrap();
    let history = events::of_members(&mut tx, &[m1.id]).await.unwrap();
    let kinds: Vec<EventKind> = history[&m1.id].iter().map(|e| e.event.kind).collect();
    assert_eq!(
        kinds,
        vec![
            EventKind::Admission,
            EventKind::FullMembership,
            EventKind::TransferOut
        ]
    );
    assert_eq!(history[&m1.id][2].event.decision_number, "1656-QĐ/TU");
    let xa = units::require(&mut tx, "XA").await.unwrap();
    let lineage = units::lineage(&mut tx, xa.id).await.unwrap();
    assert_eq!(lineage[0].to_code.as_deref(), Some("NEW"));
    let tree = units::tree_on(&mut tx, None, d(2026, 1, 1)).await.unwrap();
    assert!(
        tree.iter()
            .all(|e| e.unit.code != "H" && e.unit.code != "XA")
    );
    let tree_2021 = units::tree_on(&mut tx, None, d(2021, 1, 1)).await.unwrap();
    assert!(tree_2021.iter().any(|e| e.unit.code == "XA"));
}
conformance!(restructure_on_both_engines, restructure_keeps_history);
