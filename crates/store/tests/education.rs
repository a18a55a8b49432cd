//! Political education through the access layer, on both engines: a commune's conference on a
//! resolution with two branches, one with an attendance sheet and one known only by counts; the
//! sessions, attendances and members figures; a sheet with one bad row writes nothing and names
//! it; a member's studies; scope and roles.

use dangbo_domain::access::Role;
use dangbo_store::StoreError;
use dangbo_store::access::{
    Access, CountsInput, DocumentRef, MarkInput, NewDocument, SessionInput, Window,
};
use dangbo_testkit::{TestDb, conformance, d, fixture};

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

fn mark(member: &str, attendance: &str) -> MarkInput {
    MarkInput {
        member: member.into(),
        attendance: attendance.into(),
        reason: String::new(),
    }
}

async fn sessions_and_attendance(db: &TestDb) {
    fixture::two_communes(db).await;
    // The province's congress resolution, a work programme's document.
    let document = fixture::system(db)
        .programmes()
        .unwrap()
        .add_document(&NewDocument {
            unit: "T".into(),
            kind: "Nghị quyết".into(),
            number: "01-NQ/ĐH".into(),
            title: "Nghị quyết Đại hội Đảng bộ tỉnh".into(),
            signed_on: Some(d(2025, 1, 10)),
            valid_from: Some(d(2025, 1, 10)),
            valid_to: Some(d(2030, 12, 31)),
            domain: "Xây dựng Đảng".into(),
            ..NewDocument::default()
        })
        .await
        .unwrap();
    // The province's propaganda board reaches both communes.
    let board = fixture::access(db, "tuyengiao", Role::Propaganda, Some("T")).await;
    let writer = board.study_writer().unwrap();
    let session = writer
        .record(&SessionInput {
            code: "HT-2025-01".into(),
            unit: "T".into(),
            organizer_body: "Ban Tuyên giáo Tỉnh ủy".into(),
            kind: "Học tập, quán triệt nghị quyết".into(),
            title: "Quán triệt Nghị quyết Đại hội tỉnh".into(),
            from: Some(d(2025, 3, 10)),
            place: "Hội trường Tỉnh ủy".into(),
            documents: vec![DocumentRef {
                number: "01-NQ/ĐH".into(),
                title: String::new(),
            }],
            units: vec!["XA".into(), "XB".into()],
            ..SessionInput::default()
        })
        .await
        .unwrap();
    assert_eq!(session.units.len(), 2);
    assert_eq!(session.documents[0].number, "01-NQ/ĐH");
    assert_eq!(
        session.documents[0].title, "Nghị quyết Đại hội Đảng bộ tỉnh",
        "linked to the programme's document, its title taken from it"
    );
    // XB's attendance is known only by counts: 40 of 45, and 3 non-members.
    writer
        .record_counts(
            "HT-2025-01",
            &CountsInput {
                unit: "XB".into(),
                attended: Some(40),
                expected: Some(45),
                non_members: 3,
            },
        )
        .await
        .unwrap();
    let too_many = writer
        .record_counts(
            "HT-2025-01",
            &CountsInput {
                unit: "XB".into(),
                attended: Some(46),
                expected: Some(45),
                non_members: 0,
            },
        )
        .await;
    assert!(
        matches!(too_many, Err(StoreError::Fields(_))),
        "{too_many:?}"
    );
    // Counts are capped in the store, whatever path they come by.
    let huge = writer
        .record_counts(
            "HT-2025-01",
            &CountsInput {
                unit: "XB".into(),
                attended: Some(2_000_000_000),
                expected: None,
                non_members: 0,
            },
        )
        .await;
    assert!(
        matches!(&huge, Err(StoreError::Fields(p)) if p.iter().any(|(f, _)| f == "attended")),
        "{huge:?}"
    );
    // XA keeps a sheet: a bad row (B1 is XB's, already counted) writes nothing and is named.
    let bad = writer
        .mark(
            "HT-2025-01",
            &[
                mark("A1", "có mặt"),
                mark("B1", "present"),
                mark("A2", "maybe"),
            ],
            2,
        )
        .await;
    match bad {
        Err(StoreError::Import(rows)) => {
            let named: Vec<(usize, &str)> =
                rows.iter().map(|r| (r.row, r.column.as_str())).collect();
            assert_eq!(named, [(3, "member"), (4, "attendance")]);
        }
        other => panic!("{other:?}"),
    }
    let view = board.study_session("HT-2025-01").await.unwrap().unwrap();
    assert!(view.sheet.is_empty(), "nothing written");
    writer
        .mark(
            "HT-2025-01",
            &[
                mark("A1", "Có mặt"),
                MarkInput {
                    member: "A2".into(),
                    attendance: "Vắng có lý do".into(),
                    reason: "Ốm".into(),
                },
            ],
            2,
        )
        .await
        .unwrap();
    // A second session in XA only, A1 present again.
    writer
        .record(&SessionInput {
            code: "CD-2025-02".into(),
            unit: "XA".into(),
            kind: "thematic_meeting".into(),
            title: "Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh".into(),
            from: Some(d(2025, 5, 19)),
            ..SessionInput::default()
        })
        .await
        .unwrap();
    writer
        .mark("CD-2025-02", &[mark("A1", "x"), mark("A2", "x")], 2)
        .await
        .unwrap();

    let keys = [
        "study.sessions",
        "study.sessions.thematic_meeting",
        "study.attendances",
        "study.members",
        "study.members.share",
    ];
    assert_eq!(
        values(&board, "T", &keys, &year(2025)).await,
        ["2", "1", "46", "2", "2/4 (50 %)"],
        "43 in XB, 1 then 2 in XA"
    );
    assert_eq!(
        values(&board, "XA", &keys, &year(2025)).await,
        ["1", "1", "3", "2", "2/2 (100 %)"]
    );
    assert_eq!(
        values(&board, "XB", &keys, &year(2025)).await,
        ["0", "0", "43", "0", "0/2 (0 %)"]
    );
    assert_eq!(values(&board, "T", &keys[..1], &year(2024)).await, ["0"]);
    // Of the members who studied, those who studied the resolution: A1 (A2 was excused).
    let on_document = format!("study.document.{document}");
    assert_eq!(
        values(&board, "T", &[on_document.as_str()], &year(2025)).await,
        ["1"]
    );
    let studies = board.member_studies("A1").await.unwrap();
    let codes: Vec<&str> = studies.iter().map(|s| s.session_code.as_str()).collect();
    assert_eq!(codes, ["CD-2025-02", "HT-2025-01"]);

    // Scope: XB's staff sees the province's session with its own unit only, not XA's session.
    let xb = fixture::access(db, "tuyengiao_xb", Role::Propaganda, Some("XB")).await;
    assert!(
        xb.study_session("HT-2025-01").await.unwrap().is_none(),
        "organized above XB"
    );
    assert!(xb.study_session("CD-2025-02").await.unwrap().is_none());
    assert!(xb.member_studies("A1").await.unwrap().is_empty());
    let refused = xb
        .study_writer()
        .unwrap()
        .mark("CD-2025-02", &[mark("A1", "x")], 2)
        .await;
    assert!(
        matches!(refused, Err(StoreError::NotFound(_))),
        "{refused:?}"
    );
    assert!(
        fixture::access(db, "tochuc", Role::Organization, Some("XA"))
            .await
            .study_writer()
            .is_err()
    );
}

conformance!(sessions_on_both_engines, sessions_and_attendance);
