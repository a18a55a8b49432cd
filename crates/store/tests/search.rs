//! The member search on both engines: a rare name through the search index, a name so common that
//! the list is walked in name order instead, both with the same matching rule (any part of the name
//! that starts at a word, ignoring tone marks and case, or the start of a code).

use dangbo_store::Db;
use dangbo_store::access::{Dataset, MemberQuery};
use dangbo_testkit::fixture::{
    EVENT_HEADERS, MEMBER_HEADERS, UNIT_HEADERS, load, system, table, table_of,
};
use dangbo_testkit::{conformance, d};

/// More members called Nguyễn than the index serves (20.000), and one Lò Thị Sáu.
const COMMON: usize = 20_100;

async fn search_finds_rare_and_common_names(db: &Db) {
    load(
        db,
        Dataset::Units,
        &table(
            &UNIT_HEADERS,
            &[
                &["T", "Tỉnh ủy Thử Nghiệm", "Tỉnh ủy", "", "01/01/2003"],
                &["CA", "Chi bộ Trường Một", "Chi bộ cơ sở", "T", "01/01/2003"],
            ],
        ),
    )
    .await;
    let given = ["An", "Bình", "Chi", "Dũng", "Hoà", "Lan"];
    let mut members: Vec<Vec<String>> = (0..COMMON)
        .map(|i| {
            vec![
                format!("N{i:05}"),
                format!("Nguyễn Văn {}", given[i % given.len()]),
                "Nam".into(),
                "01/01/1980".into(),
                "Kinh".into(),
                "Không".into(),
                String::new(),
            ]
        })
        .collect();
    members.push(
        [
            "L00001",
            "Lò Thị Sáu",
            "Nữ",
            "02/03/1985",
            "Thái",
            "Không",
            "",
        ]
        .map(str::to_string)
        .to_vec(),
    );
    members.push(
        [
            "HN_01",
            "Hà Quang Tư",
            "Nam",
            "02/03/1975",
            "Kinh",
            "Không",
            "",
        ]
        .map(str::to_string)
        .to_vec(),
    );
    let events = members
        .iter()
        .map(|m| {
            [m[0].as_str(), "Kết nạp", "01/03/2010", "01-QĐ/ĐU", "", "CA"]
                .map(str::to_string)
                .to_vec()
        })
        .collect();
    load(db, Dataset::Members, &table_of(&MEMBER_HEADERS, members)).await;
    load(db, Dataset::Events, &table_of(&EVENT_HEADERS, events)).await;
    let access = system(db);
    let find = |search: &str| MemberQuery {
        search: Some(search.into()),
        date: Some(d(2021, 12, 31)),
        limit: 50,
        ..MemberQuery::default()
    };
    // Rare: through the index, by any word-start part of the name or the start of the code.
    for search in ["lo thi sau", "THỊ SÁU", "sau", "l0000", "lò"] {
        let page = access
            .members(&find(search), d(2021, 12, 31))
            .await
            .unwrap();
        let codes: Vec<&str> = page.rows.iter().map(|r| r.code.as_str()).collect();
        assert_eq!(codes, vec!["L00001"], "{search}");
    }
    // A code's underscore is a character like the others, and wildcards are taken literally.
    let page = access
        .members(&find("hn_01"), d(2021, 12, 31))
        .await
        .unwrap();
    let codes: Vec<&str> = page.rows.iter().map(|r| r.code.as_str()).collect();
    assert_eq!(codes, vec!["HN_01"]);
    for search in ["hn%", "h_", "nguyen_van", "%"] {
        let page = access
            .members(&find(search), d(2021, 12, 31))
            .await
            .unwrap();
        assert!(page.rows.is_empty(), "{search}: {:?}", page.rows);
    }
    // A part that does not start a word is not a match, on either path.
    for search in ["guyen", "hi sau"] {
        let page = access
            .members(&find(search), d(2021, 12, 31))
            .await
            .unwrap();
        assert!(page.rows.is_empty(), "{search}: {:?}", page.rows);
    }
    // Common: walked in name order, a full page of the first matches in Vietnamese order.
    let page = access
        .members(&find("nguyen van"), d(2021, 12, 31))
        .await
        .unwrap();
    assert_eq!(page.rows.len(), 50);
    assert!(
        page.rows
            .iter()
            .all(|r| r.full_name.starts_with("Nguyễn Văn"))
    );
    assert!(page.rows.iter().all(|r| r.full_name == "Nguyễn Văn An"));
    // "van an" matches the Ans only (3.350 of them: still the index), "van" all of them (the walk).
    let ans = access
        .members(&find("van an"), d(2021, 12, 31))
        .await
        .unwrap();
    assert!(ans.rows.iter().all(|r| r.full_name == "Nguyễn Văn An"));
    let all = access
        .members(
            &MemberQuery {
                limit: 5000,
                ..find("van")
            },
            d(2021, 12, 31),
        )
        .await
        .unwrap();
    assert_eq!(all.rows.len(), 5000, "a full page");
    assert!(
        all.rows
            .iter()
            .all(|r| r.full_name.starts_with("Nguyễn Văn"))
    );
    // An edit of the name moves the member in the index.
    let editor = access.editor().unwrap();
    let view = access
        .member("L00001", d(2021, 12, 31))
        .await
        .unwrap()
        .unwrap();
    let record = dangbo_domain::members::MemberRecord {
        full_name: "Lò Thị Sinh".into(),
        ..view.member.record.clone()
    };
    editor
        .update_member("L00001", &record, view.member.version, d(2021, 12, 31))
        .await
        .unwrap();
    let old = access
        .members(&find("thi sau"), d(2021, 12, 31))
        .await
        .unwrap();
    assert!(old.rows.is_empty());
    let new = access
        .members(&find("thi sinh"), d(2021, 12, 31))
        .await
        .unwrap();
    assert_eq!(new.rows.len(), 1);
}

conformance!(
    search_finds_rare_and_common_names_on_both_engines,
    search_finds_rare_and_common_names
);
