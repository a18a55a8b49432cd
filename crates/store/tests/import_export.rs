//! Import and export through the access layer: bad rows named, nothing written half-way,
//! re-import harmless, and an export that re-imports to the same data, on both engines.

use std::path::Path;

use dangbo_store::StoreError;
use dangbo_store::access::{
    Dataset, FigureValue, ImportSummary, Quiet, Window, catalogue, read_table, write_table,
};
use dangbo_testkit::fixture::system;
use dangbo_testkit::{TestDb, conformance, d};

const UNITS: &str = "\u{feff}Mã,Tên,Loại,Mã cấp trên,Ngày thành lập,Ngày giải thể
CB1,Chi bộ thôn Nà Làng,Chi bộ trực thuộc,X1,01/01/2003,
H,Huyện ủy Pác Nặm,Huyện ủy,,2003-01-01,
X1,Đảng bộ xã An Thắng,Đảng bộ cơ sở,H,01/01/2003,
CS,Chi bộ Trường THCS,chi bo co so,H,01/01/2005,
";

const MEMBERS: &str = "MÃ ĐẢNG VIÊN,Họ và tên,Giới tính,Ngày sinh,Dân tộc,Tôn giáo,Quê quán,Số CCCD,Trình độ lý luận chính trị,Ngày vào Đảng,Ngày chính thức,Số thẻ đảng viên,Mã chi bộ
DV1,Nguyễn Văn An,Nam,02/03/1980,Kinh,Không,Bắc Kạn,,Sơ cấp,01/03/2010,01/03/2011,123,CB1
DV2,Hoàng Thị Hoà,Nữ,1995-06-01,Tày,,Pác Nặm,001095000123,Trung cấp,01/09/2020,,,CS
DV3,Lý Văn Bình,nam,01/01/1960,Dao,,,,,,,,
";

const EVENTS: &str =
    "Mã đảng viên,Sự kiện,Ngày,Số quyết định,Cơ quan quyết định,Từ đơn vị,Đến đơn vị,Ghi chú
DV1,Chuyển đi,01/06/2021,12-QĐ/ĐU,Đảng ủy xã An Thắng,CB1,CS,
DV3,Chuyển đến,01/02/2015,,,Đảng bộ huyện Chợ Đồn,CB1,
DV2,Công nhận chính thức,01/09/2021,,,,,
";

fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

async fn import_file(
    db: &TestDb,
    dataset: Dataset,
    path: &Path,
) -> Result<ImportSummary, StoreError> {
    let table = read_table(path)?;
    system(db)
        .importer()?
        .apply(dataset, &table, &path.display().to_string(), &mut Quiet)
        .await
}

async fn figures_of(db: &TestDb, code: &str) -> Vec<FigureValue> {
    let window = Window {
        as_of: d(2022, 1, 1),
        from: d(2000, 1, 1),
        to: d(2022, 1, 1),
    };
    system(db)
        .figures(code, &catalogue(), &window, false)
        .await
        .unwrap()
        .unwrap()
        .1
}

async fn import_then_export(db: &TestDb) {
    let dir = tempfile::tempdir().unwrap();
    let summary = import_file(db, Dataset::Units, &write(dir.path(), "u.csv", UNITS))
        .await
        .unwrap();
    assert_eq!(summary.created, 4);

    // One bad row among good ones: nothing is written, and each problem names row, column and value.
    let bad = MEMBERS.replace(
        "DV3,Lý Văn Bình,nam,01/01/1960",
        "DV3,Lý Văn Bình,nam,31/02/1960",
    );
    let bad = bad.replace(
        "Sơ cấp,01/03/2010,01/03/2011,123,CB1",
        "Sơ cấp,01/03/2010,01/03/2011,123,CB9",
    );
    let err = import_file(db, Dataset::Members, &write(dir.path(), "bad.csv", &bad))
        .await
        .unwrap_err();
    let StoreError::Import(errors) = err else {
        panic!("expected row errors, got {err}")
    };
    let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(errors.len(), 2, "{text:?}");
    assert_eq!(errors[0].row, 2);
    assert_eq!(errors[0].column, "Mã chi bộ");
    assert_eq!(errors[0].value, "CB9");
    assert_eq!(errors[1].row, 4);
    assert_eq!(errors[1].column, "Ngày sinh");
    assert!(text[1].contains("31/02/1960"), "{}", text[1]);
    assert_eq!(db.count("members").await, 0);

    // A full-membership date too early is caught by the history rules, on the right row, in the
    // same pass as a bad row of another member.
    let early = MEMBERS
        .replace("01/03/2010,01/03/2011", "01/03/2010,01/01/2011")
        .replace(
            "DV3,Lý Văn Bình,nam,01/01/1960",
            "DV3,Lý Văn Bình,nam,31/02/1960",
        );
    let err = import_file(
        db,
        Dataset::Members,
        &write(dir.path(), "early.csv", &early),
    )
    .await
    .unwrap_err();
    let StoreError::Import(errors) = err else {
        panic!("expected row errors")
    };
    let found: Vec<(usize, &str)> = errors.iter().map(|e| (e.row, e.column.as_str())).collect();
    assert_eq!(found, [(2, "Ngày chính thức"), (4, "Ngày sinh")]);
    assert_eq!(db.count("members").await, 0);
    assert_eq!(db.count("member_events").await, 0);

    let summary = import_file(db, Dataset::Members, &write(dir.path(), "m.csv", MEMBERS))
        .await
        .unwrap();
    assert_eq!((summary.created, summary.events_written), (3, 3));
    // Events: a bad date and an impossible history of another member, both named in one pass.
    let bad_events = "Mã đảng viên,Sự kiện,Ngày,Từ đơn vị,Đến đơn vị
DV1,Chuyển đi,01/06/2021,CS,Đảng bộ huyện Chợ Đồn
DV2,Công nhận chính thức,31/02/2021,,
DV2,Chuyển đi,01/06/2022,CB1,Đảng bộ huyện Chợ Đồn
";
    let err = import_file(
        db,
        Dataset::Events,
        &write(dir.path(), "bad-events.csv", bad_events),
    )
    .await
    .unwrap_err();
    let StoreError::Import(errors) = err else {
        panic!("expected row errors")
    };
    let found: Vec<(usize, &str)> = errors.iter().map(|e| (e.row, e.column.as_str())).collect();
    // DV2's transfer is not checked while their other row is bad: without it their history
    // would be judged on a part of the file.
    assert_eq!(found, [(2, "Sự kiện"), (3, "Ngày")], "{errors:?}");
    assert_eq!(db.count("member_events").await, 3, "nothing written");
    let summary = import_file(db, Dataset::Events, &write(dir.path(), "e.csv", EVENTS))
        .await
        .unwrap();
    assert_eq!(summary.events_written, 3);

    // Re-importing the same files changes nothing.
    let before = (
        db.count("members").await,
        db.count("member_events").await,
        db.count("member_spans").await,
    );
    let again = import_file(db, Dataset::Members, &write(dir.path(), "m.csv", MEMBERS))
        .await
        .unwrap();
    assert_eq!(
        (
            again.created,
            again.updated,
            again.unchanged,
            again.events_written
        ),
        (0, 0, 3, 0)
    );
    let again = import_file(db, Dataset::Events, &write(dir.path(), "e.csv", EVENTS))
        .await
        .unwrap();
    assert_eq!(again.events_written, 0);
    import_file(db, Dataset::Units, &write(dir.path(), "u.csv", UNITS))
        .await
        .unwrap();
    let after = (
        db.count("members").await,
        db.count("member_events").await,
        db.count("member_spans").await,
    );
    assert_eq!(before, after);

    let original = figures_of(db, "H").await;
    let total = original.iter().find(|v| v.key == "members.total").unwrap();
    assert_eq!(total.value.as_count(), Some(3));

    // Export in both formats and re-import into a fresh database of the same engine.
    for ext in ["csv", "xlsx"] {
        let mut paths = Vec::new();
        for (dataset, name) in [
            (Dataset::Units, "units"),
            (Dataset::Members, "members"),
            (Dataset::Events, "events"),
        ] {
            let table = system(db).export(dataset).await.unwrap();
            let path = dir.path().join(format!("out-{name}.{ext}"));
            write_table(&table, &path).unwrap();
            assert_eq!(
                read_table(&path).unwrap(),
                table,
                "{name}.{ext} reads back as written"
            );
            paths.push((dataset, path));
        }
        let fresh = TestDb::on(db.engine()).await;
        for (dataset, path) in &paths {
            import_file(&fresh, *dataset, path).await.unwrap();
        }
        assert_eq!(figures_of(&fresh, "H").await, original, "{ext}");
        assert_eq!(
            fresh.count("member_events").await,
            db.count("member_events").await
        );
        for dataset in [Dataset::Units, Dataset::Members, Dataset::Events] {
            assert_eq!(
                system(db).export(dataset).await.unwrap(),
                system(&fresh).export(dataset).await.unwrap()
            );
        }
    }
}
conformance!(import_then_export_on_both_engines, import_then_export);

/// A file big enough for PostgreSQL's bulk path (`COPY`) keeps every character of its text, the
/// characters that path escapes included, and tells an empty cell from a text.
async fn big_file_keeps_its_text(db: &TestDb) {
    let dir = tempfile::tempdir().unwrap();
    import_file(db, Dataset::Units, &write(dir.path(), "u.csv", UNITS))
        .await
        .unwrap();
    let awkward = r#"Số 5\N ngõ "Tư" \ Hà Nội\t"#;
    let mut text =
        String::from("Mã đảng viên,Họ và tên,Giới tính,Ngày sinh,Nơi ở hiện nay,Quê quán\n");
    for i in 0..1200_usize {
        let residence = if i.is_multiple_of(2) { awkward } else { "" };
        text.push_str(&format!(
            "B{i:04},Nguyễn Văn {i},Nam,01/01/1980,\"{}\",Bắc Kạn\n",
            residence.replace('"', "\"\"")
        ));
    }
    let summary = import_file(db, Dataset::Members, &write(dir.path(), "big.csv", &text))
        .await
        .unwrap();
    assert_eq!(summary.created, 1200);
    let table = system(db).export(Dataset::Members).await.unwrap();
    let column = |name: &str| {
        table
            .headers
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name} in {:?}", table.headers))
    };
    let (code, residence) = (column("Mã đảng viên"), column("Nơi ở hiện nay"));
    let mut seen = 0;
    for (_, cells) in &table.rows {
        let Some(i) = cells[code].strip_prefix('B') else {
            continue;
        };
        let i: usize = i.parse().unwrap();
        let expected = if i.is_multiple_of(2) { awkward } else { "" };
        assert_eq!(cells[residence], expected, "member B{i:04}");
        seen += 1;
    }
    assert_eq!(seen, 1200);
}
conformance!(
    big_file_keeps_its_text_on_both_engines,
    big_file_keeps_its_text
);

/// The import templates are files the importer reads: their example rows of units and members go
/// in as they are, and the events template names only columns the importer knows.
async fn templates_are_importable(db: &dangbo_store::Db) {
    let access = system(db);
    let dir = tempfile::tempdir().unwrap();
    for dataset in [Dataset::Units, Dataset::Members, Dataset::Events] {
        let path = dir.path().join(format!("{}.xlsx", dataset.code()));
        std::fs::write(&path, dangbo_store::access::template_xlsx(dataset).unwrap()).unwrap();
        let table = read_table(&path).unwrap();
        assert_eq!(table.rows.len(), 1, "{}: one example row", dataset.code());
        let importer = access.importer().unwrap();
        match (dataset, importer.preview(dataset, &table).await) {
            (Dataset::Units | Dataset::Members, Ok(summary)) => {
                assert_eq!(summary.rows, 1, "{}", dataset.code())
            }
            (Dataset::Events, Err(StoreError::Import(errors))) => {
                // The example's member is not in an empty database; every column was understood.
                assert!(errors.iter().all(|e| e.row == 2), "{errors:?}");
                assert!(errors.iter().any(|e| e.value == "DV-MAU-01"), "{errors:?}");
            }
            (_, other) => panic!("{}: {other:?}", dataset.code()),
        }
    }
}
conformance!(templates_on_both_engines, templates_are_importable);

/// A committee brings in its roster: members listed by today's branch, some admitted before that
/// branch was founded.
async fn a_roster_older_than_its_branches(db: &TestDb) {
    let dir = tempfile::tempdir().unwrap();
    import_file(db, Dataset::Units, &write(dir.path(), "u.csv", UNITS))
        .await
        .unwrap();
    let roster = "Mã đảng viên,Họ và tên,Giới tính,Ngày sinh,Ngày vào Đảng,Ngày chính thức,Mã chi bộ,Nơi vào Đảng
DV1,Nguyễn Văn An,Nam,02/03/1960,01/03/1998,01/03/1999,CB1,\"Chi bộ Đội 3, Nông trường Chợ Đồn\"
DV2,Hoàng Thị Hoà,Nữ,01/06/1975,01/09/2001,,CS,
DV3,Lý Văn Bình,Nam,01/01/1985,01/03/2010,,CB1,
";
    let summary = import_file(db, Dataset::Members, &write(dir.path(), "r.csv", roster))
        .await
        .unwrap();
    assert_eq!(summary.created, 3);
    assert_eq!(summary.placed_before_branch, 2, "DV1 and DV2");
    // DV1: admission elsewhere, placement, full membership; DV2: two; DV3: the admission.
    assert_eq!(summary.events_written, 6);
    let value = |values: &[FigureValue], key: &str| {
        values
            .iter()
            .find(|v| v.key == key)
            .and_then(|v| v.value.as_count())
            .unwrap_or_else(|| panic!("{key}"))
    };
    let district = figures_of(db, "H").await;
    assert_eq!(value(&district, "members.total"), 3);
    assert_eq!(value(&district, "initial_placements"), 2);
    assert_eq!(
        value(&district, "transfers_in"),
        0,
        "a placement is no transfer"
    );
    assert_eq!(
        value(&district, "admissions"),
        1,
        "only DV3 was admitted here"
    );
    let commune = figures_of(db, "X1").await;
    assert_eq!(value(&commune, "initial_placements"), 1);
    // The export gives the roster back as it came, so that it re-imports to the same records.
    let exported = system(db).export(Dataset::Members).await.unwrap();
    let column = |name: &str| exported.headers.iter().position(|h| h == name).unwrap();
    let dv1 = &exported.rows.iter().find(|(_, r)| r[0] == "DV1").unwrap().1;
    assert_eq!(dv1[column("Ngày vào Đảng")], "01/03/1998");
    assert_eq!(dv1[column("Mã chi bộ")], "CB1");
    assert_eq!(
        dv1[column("Nơi vào Đảng")],
        "Chi bộ Đội 3, Nông trường Chợ Đồn"
    );
    let dv2 = &exported.rows.iter().find(|(_, r)| r[0] == "DV2").unwrap().1;
    assert_eq!(dv2[column("Nơi vào Đảng")], "không rõ");
    let again = import_file(db, Dataset::Members, &write(dir.path(), "r.csv", roster))
        .await
        .unwrap();
    assert_eq!((again.events_written, again.placed_before_branch), (0, 0));
    // A place of admission for a branch that already existed then is refused: the move from
    // there has a date the file does not give.
    let wrong = roster.replace("01/03/2010,,CB1,", "01/03/2010,,CB1,Đảng bộ huyện Chợ Đồn");
    let err = import_file(db, Dataset::Members, &write(dir.path(), "w.csv", &wrong))
        .await
        .unwrap_err();
    let StoreError::Import(errors) = err else {
        panic!("expected row errors, got {err}")
    };
    assert_eq!(
        errors
            .iter()
            .map(|e| (e.row, e.column.as_str()))
            .collect::<Vec<_>>(),
        [(4, "Nơi vào Đảng")]
    );
    assert!(errors[0].message.contains("01/01/2003"), "{}", errors[0]);

    // The records behind a figure, page by page (read in SQL after a cursor), are the whole list
    // in the same order, for members on a date and for events in a period.
    let access = system(db);
    let window = Window {
        as_of: d(2022, 1, 1),
        from: d(1990, 1, 1),
        to: d(2022, 1, 1),
    };
    for key in [
        "members.total",
        "initial_placements",
        "admissions",
        "units.branches",
    ] {
        let figure = access.figure(key).await.unwrap().unwrap();
        let (_, whole) = access
            .figure_records("H", &figure, &window)
            .await
            .unwrap()
            .unwrap();
        let mut paged = Vec::new();
        let mut after = String::new();
        loop {
            let (_, page) = access
                .figure_records_page("H", &figure, &window, &after, 1)
                .await
                .unwrap()
                .unwrap();
            assert_eq!(page.total, whole.len(), "{key}");
            paged.extend(page.records);
            match page.next {
                Some(next) => after = next,
                None => break,
            }
            assert!(paged.len() <= whole.len(), "{key}: the pages end");
        }
        assert!(!whole.is_empty(), "{key}");
        assert_eq!(paged, whole, "{key}");
    }
}

conformance!(roster_on_both_engines, a_roster_older_than_its_branches);
