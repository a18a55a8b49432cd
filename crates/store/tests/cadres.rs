//! Cadre work through the access layer, on both engines: posts held over time, one secretary at
//! a time, party posts for members only, the concurrency shares from the day a second post
//! starts, the moves of a period by kind, a member's theory level over time in the members'
//! figures (from the rows for a commune, from the summary for the province), and the standard's
//! compliance listing exactly the holders below it.

use chrono::NaiveDate;
use dangbo_domain::access::Role;
use dangbo_domain::members::TheoryLevel;
use dangbo_store::StoreError;
use dangbo_store::access::{Access, FactInput, HoldingEnd, HoldingInput, PersonInput, Window};
use dangbo_store::access::{Dataset, EventInput, Quiet};
use dangbo_testkit::{TestDb, conformance, d, fixture};

fn holding(unit: &str, post: &str, holder: &str, from: NaiveDate, by: &str) -> HoldingInput {
    HoldingInput {
        unit: unit.into(),
        post: post.into(),
        holder: holder.into(),
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

fn year(y: i32) -> Window {
    Window {
        as_of: d(y, 12, 31),
        from: d(y, 1, 1),
        to: d(y, 12, 31),
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

fn fields<T: std::fmt::Debug>(result: Result<T, StoreError>) -> Vec<String> {
    match result {
        Err(StoreError::Fields(list)) => list.into_iter().map(|(f, _)| f).collect(),
        other => panic!("expected field problems, got {other:?}"),
    }
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
    // One secretary at a time; the same person not twice in one post at once.
    let taken = writer
        .record(&holding(
            "XA",
            "secretary",
            "A2",
            d(2021, 1, 1),
            "appointment",
        ))
        .await;
    assert_eq!(fields(taken), ["post"]);
    let again = writer
        .record(&holding(
            "CA",
            "branch_secretary",
            "A2",
            d(2022, 1, 1),
            "election",
        ))
        .await;
    assert_eq!(fields(again), ["from"]);
    // A party post needs a member; a non-member holds other posts.
    writer
        .add_person(&PersonInput {
            code: "NS-01".into(),
            full_name: "Lý Văn Hùng".into(),
            sex: "Nam".into(),
            unit: "XB".into(),
            ..PersonInput::default()
        })
        .await
        .map(|_| ())
        .expect_err("XB is out of XA's scope");
    writer
        .add_person(&PersonInput {
            code: "NS-01".into(),
            full_name: "Lý Văn Hùng".into(),
            sex: "Nam".into(),
            birth_date: Some(d(1970, 2, 3)),
            unit: "XA".into(),
            ..PersonInput::default()
        })
        .await
        .unwrap();
    let outsider = writer
        .record(&holding(
            "CA",
            "deputy_secretary",
            "NS-01",
            d(2021, 1, 1),
            "election",
        ))
        .await;
    assert_eq!(fields(outsider), ["holder"]);
    // A member code cannot name a non-member.
    let clash = writer
        .add_person(&PersonInput {
            code: "A1".into(),
            full_name: "Ai Đó".into(),
            unit: "XA".into(),
            ..PersonInput::default()
        })
        .await;
    assert_eq!(fields(clash), ["code"]);

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
        ["0/0 (—)"],
        "no council chair recorded yet: no share"
    );
    assert_eq!(
        values(&staff, "XA", &chair, &on(d(2021, 6, 1))).await,
        ["1/1 (100 %)"]
    );

    // CA's village head is a non-member until 2023; then its secretary A2 is the village head.
    writer
        .record(&HoldingInput {
            village: "Nà Làng".into(),
            to: Some(d(2023, 1, 1)),
            end_move: "end_of_term".into(),
            ..holding("CA", "village_head", "NS-01", d(2020, 1, 1), "election")
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
        values(&staff, "XA", &share, &on(d(2022, 12, 31))).await,
        ["0/1 (0 %)"]
    );
    assert_eq!(
        values(&staff, "XA", &share, &on(d(2023, 1, 1))).await,
        ["1/1 (100 %)"]
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
            ..HoldingEnd::default()
        })
        .await
        .unwrap();
    writer
        .record(&holding("XA", "secretary", "A2", d(2024, 3, 1), "rotation"))
        .await
        .unwrap();
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
        ["3", "0", "3"]
    );
    let (_, moved) = staff
        .cadre_moves("XA", d(2024, 1, 1), d(2024, 12, 31))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(moved.len(), 2, "the rotation away and the rotation in");
    let a1 = staff.person("A1").await.unwrap().unwrap();
    assert_eq!(a1.holdings.len(), 2, "secretary, council chair");

    // A2 dies in mid-2025: their posts (secretary, branch secretary) end that day; the village
    // head's post, not a party one, is left to its own decision.
    staff
        .editor()
        .unwrap()
        .record_event(
            "A2",
            &EventInput {
                kind: "death".into(),
                date: "01/06/2025".into(),
                ..EventInput::default()
            },
        )
        .await
        .unwrap();
    let a2 = staff.person("A2").await.unwrap().unwrap();
    let ends: Vec<(&str, Option<NaiveDate>)> =
        a2.holdings.iter().map(|h| (h.post.code(), h.to)).collect();
    assert!(
        ends.contains(&("secretary", Some(d(2025, 6, 1)))),
        "{ends:?}"
    );
    assert!(
        ends.contains(&("branch_secretary", Some(d(2025, 6, 1)))),
        "{ends:?}"
    );
    assert!(ends.contains(&("village_head", None)), "{ends:?}");
    assert_eq!(
        values(
            &staff,
            "XA",
            &["positions.holders.secretary"],
            &on(d(2025, 6, 1))
        )
        .await,
        ["0"]
    );

    // Out of scope: another commune's staff sees none of it.
    let other = fixture::access(db, "tochuc_xb", Role::Organization, Some("XB")).await;
    assert!(other.person("A1").await.unwrap().is_none());
    assert!(other.person("NS-01").await.unwrap().is_none());
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
    assert_eq!(fields(refused), ["unit", "holder"]);
    for role in [Role::Viewer, Role::Propaganda, Role::Inspection] {
        assert!(
            fixture::access(db, &format!("r{}", role.code()), role, Some("XA"))
                .await
                .cadre_writer()
                .is_err()
        );
    }
}

conformance!(posts_on_both_engines, posts_over_time);

/// A1's theory level is raised in 2020: the members' figures count the old level as of 2019 and
/// the new one as of 2021, for the commune (rows) and the province (summary), and on a day in the
/// middle of a month; the record keeps the latest. The committee's compliance lists exactly A2.
async fn levels_over_time(db: &TestDb) {
    fixture::two_communes(db).await;
    let staff = fixture::access(db, "tochuc", Role::Organization, Some("XA")).await;
    let writer = staff.cadre_writer().unwrap();
    let fact = |level: &str, on: NaiveDate| FactInput {
        person: "A1".into(),
        kind: "Lý luận chính trị".into(),
        level: level.into(),
        on: Some(on),
        institution: "Trường Chính trị tỉnh".into(),
        diploma: "LL-123".into(),
        ..FactInput::default()
    };
    writer
        .record_fact(&fact("Sơ cấp", d(2012, 6, 1)))
        .await
        .unwrap();
    writer
        .record_fact(&fact("intermediate", d(2020, 9, 15)))
        .await
        .unwrap();
    assert_eq!(
        fields(writer.record_fact(&fact("Trung cấp", d(2020, 9, 15))).await),
        ["level"]
    );
    assert_eq!(
        fields(writer.record_fact(&fact("Thạc sĩ", d(2021, 1, 1))).await),
        ["level"],
        "not a theory level"
    );
    let keys = ["members.theory.elementary", "members.theory.intermediate"];
    for unit in ["XA", "T"] {
        let admin = fixture::system(db);
        let others = if unit == "T" { 2 } else { 0 };
        let elementary = |n: i64| (n + others).to_string();
        assert_eq!(
            values(&admin, unit, &keys, &on(d(2019, 12, 31))).await,
            [elementary(2), "0".to_string()],
            "{unit} in 2019"
        );
        assert_eq!(
            values(&admin, unit, &keys, &on(d(2020, 9, 14))).await,
            [elementary(2), "0".to_string()],
            "{unit} the day before"
        );
        assert_eq!(
            values(&admin, unit, &keys, &on(d(2020, 9, 20))).await,
            [elementary(1), "1".to_string()],
            "{unit} mid-month"
        );
        assert_eq!(
            values(&admin, unit, &keys, &on(d(2021, 12, 31))).await,
            [elementary(1), "1".to_string()],
            "{unit} in 2021"
        );
    }
    assert_eq!(
        values(&staff, "XA", &["training.theory.intermediate"], &year(2020)).await,
        ["1"]
    );
    let view = staff.member("A1", d(2026, 1, 1)).await.unwrap().unwrap();
    assert_eq!(
        view.member.record.theory_level.map(|l| l.code()),
        Some("intermediate"),
        "the record keeps the latest"
    );
    // The record's theory level now follows the facts: editing it by hand is refused.
    let mut record = view.member.record.clone();
    record.theory_level = Some(TheoryLevel::Advanced);
    let refused = staff
        .editor()
        .unwrap()
        .update_member("A1", &record, view.member.version, d(2026, 1, 1))
        .await;
    assert_eq!(fields(refused), ["theory_level"]);
    // So is a members file changing it: the row and column are named, nothing is written.
    let file = fixture::table(
        &fixture::MEMBER_HEADERS,
        &[&[
            "A1",
            "Nguyễn Văn An",
            "Nam",
            "01/05/1985",
            "Tày",
            "Không",
            "Cao cấp",
        ]],
    );
    let refused = fixture::system(db)
        .importer()
        .unwrap()
        .apply(Dataset::Members, &file, "levels.csv", &mut Quiet)
        .await;
    match refused {
        Err(StoreError::Import(rows)) => {
            let named: Vec<(usize, &str)> =
                rows.iter().map(|r| (r.row, r.column.as_str())).collect();
            assert_eq!(named, [(2, "Trình độ lý luận chính trị")]);
        }
        other => panic!("{other:?}"),
    }

    // The committee: A1 secretary (intermediate from 2020), A2 committee member (elementary).
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
            "XA",
            "committee_member",
            "A2",
            d(2020, 10, 1),
            "election",
        ))
        .await
        .unwrap();
    let (_, list) = staff
        .compliance("XA", d(2021, 1, 1))
        .await
        .unwrap()
        .unwrap();
    let below: Vec<&str> = list
        .iter()
        .filter(|c| !c.meets_theory)
        .map(|c| c.holding.holder())
        .collect();
    assert_eq!(below, ["A2"]);
    let ratio = ["positions.theory_standard.party_committee"];
    assert_eq!(
        values(&staff, "XA", &ratio, &on(d(2021, 1, 1))).await,
        ["1/2 (50 %)"]
    );
    // The drill-down behind those below lists exactly A2.
    let below_key = vec!["positions.below_theory_standard.party_committee".to_string()];
    let definition = staff.figures_named(&below_key).await.unwrap().remove(0);
    let (_, records) = staff
        .figure_records("XA", &definition, &on(d(2021, 1, 1)))
        .await
        .unwrap()
        .unwrap();
    let codes: Vec<&str> = records.iter().map(|r| r.code.as_str()).collect();
    assert_eq!(codes, ["A2"]);
}

conformance!(levels_on_both_engines, levels_over_time);
