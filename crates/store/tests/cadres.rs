//! Cadre work through the access layer, on both engines: posts held over time, one secretary at
//! a time, party posts for members only, the concurrency shares from the day a second post
//! starts, the moves of a period by kind, the share of holders meeting the theory standard.

use chrono::NaiveDate;
use dangbo_domain::access::Role;
use dangbo_store::StoreError;
use dangbo_store::access::{Access, HoldingEnd, HoldingInput, Window};
use dangbo_testkit::{TestDb, conformance, d, fixture};

fn holding(unit: &str, post: &str, member: &str, from: NaiveDate, by: &str) -> HoldingInput {
    HoldingInput {
        unit: unit.into(),
        post: post.into(),
        member: member.into(),
        from: Some(from),
        start_move: by.into(),
        start_decision: "01-QĐ/ĐU".into(),
        ..HoldingInput::default()
    }
}

fn on(date: NaiveDate) -> Window {
    Window {
        as_of: date,
        from: date,
        to: date,
    }
}

async fn values(access: &Access, unit: &str, keys: &[&str], window: &Window) -> Vec<String> {
    let names: Vec<String> = keys.iter().map(|k| k.to_string()).collect();
    let definitions = access.figures_named(&names).await.unwrap();
    let (_, values) = access
        .figures(unit, &definitions, window, false)
        .await
        .unwrap()
        .unwrap();
    values.iter().map(|v| v.value.display()).collect()
}

async fn posts_over_time(db: &TestDb) {
    fixture::two_communes(db).await;
    let staff = fixture::access(db, "tochuc", Role::Organization, Some("XA")).await;
    let writer = staff.cadre_writer().unwrap();
    writer
        .record(&holding(
            "XA",
            "secretary",
            "A1",
            d(2020, 10, 1),
            "election",
        ))
        .await
        .unwrap();
    writer
        .record(&holding(
            "CA",
            "Bí thư chi bộ",
            "A2",
            d(2020, 10, 5),
            "Bầu cử",
        ))
        .await
        .unwrap();
    // One secretary at a time; a party post needs a member.
    let taken = writer
        .record(&holding(
            "XA",
            "secretary",
            "A2",
            d(2021, 1, 1),
            "appointment",
        ))
        .await;
    assert!(matches!(taken, Err(StoreError::Fields(_))), "{taken:?}");
    let outsider = writer
        .record(&HoldingInput {
            person_name: "Lý Văn Hùng".into(),
            ..holding("CA", "deputy_secretary", "", d(2021, 1, 1), "election")
        })
        .await;
    assert!(
        matches!(outsider, Err(StoreError::Fields(_))),
        "{outsider:?}"
    );
    // The secretary chairs the People's Council from mid-2021.
    writer
        .record(&holding(
            "XA",
            "council_chair",
            "A1",
            d(2021, 6, 1),
            "election",
        ))
        .await
        .unwrap();
    let chair = ["positions.concurrent.secretary_council_chair"];
    assert_eq!(
        values(&staff, "XA", &chair, &on(d(2021, 5, 31))).await,
        ["0/1 (0 %)"]
    );
    assert_eq!(
        values(&staff, "XA", &chair, &on(d(2021, 6, 1))).await,
        ["1/1 (100 %)"]
    );

    // Branch CB has a village head (not a member) from 2020; CA's secretary A2 becomes the
    // village head in 2023.
    let admin = fixture::system(db);
    admin
        .cadre_writer()
        .unwrap()
        .record(&HoldingInput {
            person_name: "Lý Văn Hùng".into(),
            village: "Khuổi Khí".into(),
            ..holding("CB", "village_head", "", d(2020, 1, 1), "election")
        })
        .await
        .unwrap();
    writer
        .record(&HoldingInput {
            village: "Nà Làng".into(),
            ..holding("CA", "village_head", "A2", d(2023, 1, 1), "election")
        })
        .await
        .unwrap();
    let share = ["positions.concurrent.branch_secretary_village_head"];
    assert_eq!(
        values(&admin, "T", &share, &on(d(2022, 12, 31))).await,
        ["0/1 (0 %)"]
    );
    assert_eq!(
        values(&admin, "T", &share, &on(d(2023, 1, 1))).await,
        ["1/2 (50 %)"]
    );

    // A1 is rotated away in 2024; A2 comes in by rotation.
    let held = staff
        .posts_held("XA", d(2024, 1, 1))
        .await
        .unwrap()
        .unwrap()
        .1;
    let secretary = held.iter().find(|h| h.post.code() == "secretary").unwrap();
    writer
        .end(&HoldingEnd {
            holding_id: secretary.id,
            to: Some(d(2024, 3, 1)),
            end_move: "rotation".into(),
            end_decision: "15-QĐ/TU".into(),
        })
        .await
        .unwrap();
    writer
        .record(&holding("XA", "secretary", "A2", d(2024, 3, 1), "rotation"))
        .await
        .unwrap();
    let year = |y: i32| Window {
        as_of: d(y, 12, 31),
        from: d(y, 1, 1),
        to: d(y, 12, 31),
    };
    let moves = [
        "cadres.moves",
        "cadres.moves.rotation",
        "cadres.moves.election",
    ];
    assert_eq!(
        values(&staff, "XA", &moves, &year(2024)).await,
        ["1", "1", "0"]
    );
    assert_eq!(
        values(&staff, "XA", &moves, &year(2020)).await,
        ["2", "0", "2"]
    );
    let (_, moved) = staff
        .cadre_moves("XA", d(2024, 1, 1), d(2024, 12, 31))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(moved.len(), 2, "the rotation away and the rotation in");
    assert_eq!(
        staff.member_posts("A1").await.unwrap().len(),
        2,
        "secretary, council chair"
    );

    // The fixture's members have the elementary theory level on record: the party committee's
    // holders (A1 then A2) do not meet the intermediate standard; a branch's holders do.
    assert_eq!(
        values(
            &staff,
            "XA",
            &[
                "positions.theory_standard.party_committee",
                "positions.theory_standard.branch"
            ],
            &on(d(2024, 6, 1))
        )
        .await,
        ["0/1 (0 %)", "1/1 (100 %)"]
    );
    // Out of scope: another commune's staff sees none of it.
    let other = fixture::access(db, "tochuc_xb", Role::Organization, Some("XB")).await;
    assert!(other.member_posts("A1").await.unwrap().is_empty());
    assert!(
        other
            .posts_held("XA", d(2024, 1, 1))
            .await
            .unwrap()
            .is_none()
    );
    let refused = other
        .cadre_writer()
        .unwrap()
        .record(&holding(
            "XA",
            "committee_member",
            "A1",
            d(2024, 1, 1),
            "election",
        ))
        .await;
    assert!(matches!(refused, Err(StoreError::Fields(_))), "{refused:?}");
    assert!(
        fixture::access(db, "xem", Role::Viewer, Some("XA"))
            .await
            .cadre_writer()
            .is_err()
    );
}

conformance!(posts_on_both_engines, posts_over_time);
