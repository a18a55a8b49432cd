//! The file of training facts, on both engines: one bad row among good ones writes nothing and is
//! named with its column; the good file writes every fact through the cadres writer, the
//! members' figures follow the facts from their day, and an export of the scope holds them and
//! reads back unchanged.

use dangbo_domain::access::Role;
use dangbo_store::StoreError;
use dangbo_store::access::{
    Access, AuditFilter, Dataset, FactInput, PersonInput, Quiet, Table, Window,
};
use dangbo_testkit::fixture::{self, table};
use dangbo_testkit::{TestDb, conformance, d};

const HEADERS: [&str; 7] = [
    "Mã đảng viên",
    "Loại trình độ",
    "Trình độ",
    "Ngày cấp bằng",
    "Cơ sở đào tạo",
    "Văn bằng",
    "Số hiệu văn bằng",
];

const A1_INTERMEDIATE: [&str; 7] = [
    "A1",
    "Lý luận chính trị",
    "Trung cấp",
    "15/09/2020",
    "Trường Chính trị tỉnh",
    "",
    "LL-2020-01",
];

const NN1_BACHELOR: [&str; 7] = [
    "NN1",
    "chuyen mon",
    "Đại học",
    "20/06/2018",
    "Đại học Thái Nguyên",
    "Bằng tốt nghiệp",
    "DH-07",
];

async fn values(access: &Access, unit: &str, keys: &[&str], day: chrono::NaiveDate) -> Vec<String> {
    let names: Vec<String> = keys.iter().map(|k| k.to_string()).collect();
    let definitions = access.figures_named(&names).await.unwrap();
    let window = Window {
        as_of: day,
        from: day,
        to: day,
    };
    let (_, values) = access
        .figures(unit, &definitions, &window, false)
        .await
        .unwrap()
        .unwrap();
    values.iter().map(|v| v.value.display()).collect()
}

/// The (row, column) of each problem a refused import names.
async fn refused(access: &Access, file: &Table) -> Vec<(usize, String, String)> {
    match access
        .importer()
        .unwrap()
        .apply(Dataset::Training, file, "dao-tao.csv", &mut Quiet)
        .await
    {
        Err(StoreError::Import(errors)) => errors
            .into_iter()
            .map(|e| (e.row, e.column, e.message))
            .collect(),
        other => panic!("expected bad rows, got {other:?}"),
    }
}

fn named(errors: &[(usize, String, String)]) -> Vec<(usize, &str)> {
    errors.iter().map(|(r, c, _)| (*r, c.as_str())).collect()
}

async fn training_file_all_or_nothing(db: &TestDb) {
    fixture::two_communes(db).await;
    let staff = fixture::access(db, "tochuc", Role::Organization, Some("XA")).await;
    let admin = fixture::system(db);
    // A non-member kept by CA (in scope) and one kept by CB (outside it).
    for (code, unit) in [("NN1", "CA"), ("NN2", "CB")] {
        admin
            .cadre_writer()
            .unwrap()
            .add_person(&PersonInput {
                code: code.into(),
                full_name: format!("Người {code}"),
                unit: unit.into(),
                ..PersonInput::default()
            })
            .await
            .unwrap();
    }
    let theory = ["members.theory.elementary", "members.theory.intermediate"];

    // Two good rows and, between them, a level that is not a theory level: nothing is written and
    // exactly that row and column are named.
    let bad_level = [
        "A2",
        "Lý luận chính trị",
        "Thạc sĩ",
        "01/06/2021",
        "",
        "",
        "",
    ];
    let file = table(&HEADERS, &[&A1_INTERMEDIATE, &bad_level, &NN1_BACHELOR]);
    let errors = refused(&staff, &file).await;
    assert_eq!(named(&errors), [(3, "Trình độ")], "{errors:?}");
    assert!(
        errors[0]
            .2
            .contains("không phải trình độ lý luận chính trị"),
        "{errors:?}"
    );
    for person in ["A1", "NN1"] {
        let view = staff.person(person).await.unwrap().unwrap();
        assert!(view.training.is_empty(), "{person}: nothing is written");
    }
    assert_eq!(
        values(&admin, "XA", &theory, d(2021, 12, 31)).await,
        ["2", "0"],
        "the figures are untouched"
    );

    // Every bad row at once, each with the file's own header: a member out of scope, a
    // non-member kept outside it, a date that is not one, a kind that is not one, an unknown
    // proof, and the same fact twice.
    let file = table(
        &["ma dang vien", "Loai", "Trinh do", "Ngay", "Van bang"],
        &[
            &["A1", "theory", "intermediate", "15/09/2020", ""],
            &["B1", "theory", "intermediate", "15/09/2020", ""],
            &["NN2", "education", "THPT", "01/06/2000", ""],
            &["A2", "theory", "Trung cấp", "31/02/2021", ""],
            &["A2", "ngoại ngữ", "B1", "01/03/2021", ""],
            &["A2", "theory", "Cao cấp", "01/03/2022", "giấy khen"],
            &["A1", "Lý luận chính trị", "Trung cấp", "15/09/2020", ""],
        ],
    );
    let errors = refused(&staff, &file).await;
    assert_eq!(
        named(&errors),
        [
            (3, "ma dang vien"),
            (4, "ma dang vien"),
            (5, "Ngay"),
            (6, "Loai"),
            (7, "Van bang"),
            (8, "Trinh do"),
        ],
        "{errors:?}"
    );
    assert!(errors[0].2.contains("trong phạm vi"), "{errors:?}");
    assert!(errors[5].2.contains("dòng 2"), "{errors:?}");
    // A file without a required column is refused on its header.
    let errors = refused(&staff, &table(&HEADERS[..3], &[&A1_INTERMEDIATE[..3]])).await;
    assert_eq!(named(&errors), [(1, "Ngày cấp bằng")], "{errors:?}");

    // The good rows are written whole, each through the writer.
    let good = table(&HEADERS, &[&A1_INTERMEDIATE, &NN1_BACHELOR]);
    let summary = staff
        .importer()
        .unwrap()
        .apply(Dataset::Training, &good, "dao-tao.csv", &mut Quiet)
        .await
        .unwrap();
    assert_eq!(
        (summary.rows, summary.created, summary.unchanged),
        (2, 2, 0)
    );
    // Audited: each fact by the writer, the file by the importer; the refused files left none.
    let actions: Vec<(String, String, String)> = admin
        .auditor()
        .unwrap()
        .list(&AuditFilter {
            actor: Some("tochuc".into()),
            limit: 10,
            ..AuditFilter::default()
        })
        .await
        .unwrap()
        .into_iter()
        .map(|e| (e.action, e.record_kind, e.record_key))
        .collect();
    let expected = |action: &str, kind: &str, key: &str| {
        (action.to_string(), kind.to_string(), key.to_string())
    };
    assert_eq!(
        actions,
        [
            expected("import", "training", "dao-tao.csv"),
            expected("cadre.training", "person", "NN1"),
            expected("cadre.training", "person", "A1"),
        ]
    );
    let a1 = staff.person("A1").await.unwrap().unwrap();
    assert_eq!(a1.training.len(), 1);
    assert_eq!(
        (
            a1.training[0].level.as_str(),
            a1.training[0].on,
            a1.training[0].proof.as_str()
        ),
        ("intermediate", d(2020, 9, 15), "diploma")
    );
    let nn1 = staff.person("NN1").await.unwrap().unwrap();
    assert_eq!(nn1.training[0].level_label, "Đại học");
    // A1's only fact is from 2020: before its day their level is not known (the facts replace
    // the record's single field), from it they count at the new level, for the commune (rows)
    // and the province (summary); the record keeps the latest.
    let with_unknown = [theory[0], theory[1], "members.theory.unknown"];
    assert_eq!(
        values(&admin, "XA", &with_unknown, d(2019, 12, 31)).await,
        ["1", "0", "1"]
    );
    assert_eq!(
        values(&admin, "XA", &theory, d(2021, 12, 31)).await,
        ["1", "1"]
    );
    assert_eq!(
        values(&admin, "T", &theory, d(2021, 12, 31)).await,
        ["3", "1"]
    );
    let view = staff.member("A1", d(2026, 1, 1)).await.unwrap().unwrap();
    assert_eq!(
        view.member.record.theory_level.map(|l| l.code()),
        Some("intermediate")
    );

    // A fact outside the scope, recorded by an administrator, is in the whole database's export
    // only.
    admin
        .cadre_writer()
        .unwrap()
        .record_fact(&FactInput {
            person: "B1".into(),
            kind: "theory".into(),
            level: "advanced".into(),
            on: Some(d(2022, 5, 1)),
            ..FactInput::default()
        })
        .await
        .unwrap();
    let exported = staff.export(Dataset::Training).await.unwrap();
    assert_eq!(exported.headers, HEADERS);
    let rows: Vec<&[String]> = exported.rows.iter().map(|(_, r)| r.as_slice()).collect();
    assert_eq!(
        rows,
        [
            [
                "A1",
                "Lý luận chính trị",
                "Trung cấp",
                "15/09/2020",
                "Trường Chính trị tỉnh",
                "Bằng tốt nghiệp",
                "LL-2020-01"
            ],
            [
                "NN1",
                "Chuyên môn, nghiệp vụ",
                "Đại học",
                "20/06/2018",
                "Đại học Thái Nguyên",
                "Bằng tốt nghiệp",
                "DH-07"
            ],
        ]
    );
    let everything = admin.export(Dataset::Training).await.unwrap();
    let people: Vec<&str> = everything.rows.iter().map(|(_, r)| r[0].as_str()).collect();
    assert_eq!(people, ["A1", "B1", "NN1"]);

    // The export reads back unchanged; the same fact with another number is a bad row.
    let again = staff
        .importer()
        .unwrap()
        .apply(Dataset::Training, &exported, "lai.csv", &mut Quiet)
        .await
        .unwrap();
    assert_eq!((again.created, again.unchanged), (0, 2));
    let mut renumbered = A1_INTERMEDIATE;
    renumbered[6] = "LL-2020-99";
    let errors = refused(&staff, &table(&HEADERS, &[&renumbered])).await;
    assert_eq!(named(&errors), [(2, "Trình độ")], "{errors:?}");
    assert_eq!(staff.person("A1").await.unwrap().unwrap().training.len(), 1);

    // The file is the organization board's: the inspection commission neither imports nor
    // exports it.
    let inspector = fixture::access(db, "ubkt", Role::Inspection, Some("XA")).await;
    assert!(matches!(
        inspector
            .importer()
            .unwrap()
            .apply(Dataset::Training, &good, "t.csv", &mut Quiet)
            .await,
        Err(StoreError::Forbidden(_))
    ));
    assert!(matches!(
        inspector.export(Dataset::Training).await,
        Err(StoreError::Forbidden(_))
    ));
}

conformance!(training_file_on_both_engines, training_file_all_or_nothing);

/// The template's example row names only columns the importer knows: it is refused for its
/// member alone, not in an empty database.
async fn training_template_is_read(db: &TestDb) {
    let admin = fixture::system(db);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("training.xlsx");
    std::fs::write(
        &path,
        dangbo_store::access::template_xlsx(Dataset::Training).unwrap(),
    )
    .unwrap();
    let file = dangbo_store::access::read_table(&path).unwrap();
    assert_eq!(file.headers, HEADERS);
    let errors = refused(&admin, &file).await;
    assert_eq!(named(&errors), [(2, "Mã đảng viên")], "{errors:?}");
}

conformance!(training_template_on_both_engines, training_template_is_read);
