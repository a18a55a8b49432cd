//! What a report writer takes away: the table per organization on the page and in Excel.

use calamine::{Data, Reader, Xlsx};
use dangbo_domain::access::Role;
use dangbo_store::access::Dataset;
use dangbo_testkit::fixture::{self, EVENT_HEADERS, MEMBER_HEADERS};
use dangbo_testkit::{TestApp, TestDb, user_of};
use reqwest::StatusCode;

/// A workbook's first sheet as cells.
async fn sheet(client: &reqwest::Client, url: &str) -> Vec<Vec<Data>> {
    let response = client.get(url).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{url}");
    let disposition = response.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(disposition.contains(".xlsx"), "{disposition}");
    let bytes = response.bytes().await.unwrap();
    let mut book = Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let range = book.worksheet_range_at(0).unwrap().unwrap();
    range.rows().map(|r| r.to_vec()).collect()
}

/// The row whose second cell is `name`.
fn row_named<'a>(rows: &'a [Vec<Data>], name: &str) -> &'a [Data] {
    rows.iter()
        .find(|r| {
            r.get(1)
                .is_some_and(|c| matches!(c, Data::String(s) if s == name))
        })
        .unwrap_or_else(|| panic!("no row «{name}»"))
}

/// The numbers of a page's table rows, by the row's name: the first cells of each row.
fn page_rows(page: &str) -> Vec<(String, Vec<String>)> {
    let row =
        regex::Regex::new(r#"(?s)<tr><th scope="row">(?:<a [^>]*>)?([^<]+)(?:</a>)?.*?</tr>"#)
            .unwrap();
    let cell = regex::Regex::new(r#"<td class="number"><a [^>]*>([^<]*)</a></td>"#).unwrap();
    row.captures_iter(page)
        .map(|c| {
            let cells = cell
                .captures_iter(&c[0])
                .map(|d| d[1].to_string())
                .collect();
            (c[1].trim().to_string(), cells)
        })
        .collect()
}

#[tokio::test]
async fn the_table_per_organization_sorts_totals_and_exports() {
    let app = TestApp::spawn(TestDb::sqlite().await).await;
    let (client, csrf) = app.sign_in("national").await;
    // XA keeps one member of two, XB both: the sort has something to order.
    let recorded = client
        .post(app.url("/members/A1/events"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("kind", "death"),
            ("date", "10/05/2021"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(recorded.status(), StatusCode::SEE_OTHER);
    let query = "unit=T&as_of=31/12/2021&from=01/01/2021&to=31/12/2021\
                 &f=members.total&f=members.female.share&f=deaths";
    let page = TestApp::get_text(
        &client,
        &app.url(&format!("/table?{query}&sort=members.total&desc=1")),
    )
    .await;
    let rows = page_rows(&page);
    let names: Vec<&str> = rows.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names.len(), 3, "two organizations and the total: {names:?}");
    // Largest first, then the total.
    assert_eq!(rows[0].1[0], "2");
    assert_eq!(rows[1].1[0], "1");
    assert_eq!(
        rows[2],
        (
            "Tổng".to_string(),
            vec!["3".into(), "2/3 (66,67 %)".into(), "1".into()]
        )
    );
    assert!(page.contains(r#"aria-sort="descending" data-key="members.total""#));
    // Ascending is the reverse.
    let ascending = page_rows(
        &TestApp::get_text(
            &client,
            &app.url(&format!("/table?{query}&sort=members.total")),
        )
        .await,
    );
    assert_eq!(ascending[0], rows[1]);

    // The workbook holds what the page shows, as numbers, under lines saying what it is.
    let cells = sheet(
        &client,
        &app.url(&format!("/table.xlsx?{query}&sort=members.total&desc=1")),
    )
    .await;
    let title: Vec<String> = cells.iter().take(3).map(|r| r[0].to_string()).collect();
    assert!(title[0].starts_with("Số liệu theo tổ chức"), "{title:?}");
    assert!(title[1].contains(&rows_unit_name(&page)), "{title:?}");
    assert!(
        title[2].contains("31/12/2021") && title[2].contains("01/01/2021"),
        "{title:?}"
    );
    for (name, values) in &rows[..2] {
        let row = row_named(&cells, name);
        assert_eq!(
            row[2],
            Data::Float(values[0].parse::<f64>().unwrap()),
            "{name}"
        );
        assert_eq!(row[4].to_string(), values[2], "{name}");
    }
    let total = row_named(&cells, "Tổng");
    assert_eq!(total[2], Data::Float(3.0));
    // 2 women of 3 members: a share Excel computes with, not text.
    match &total[3] {
        Data::Float(share) => assert!((share - 2.0 / 3.0).abs() < 1e-9, "{share}"),
        other => panic!("the share is {other:?}"),
    }
    let header = cells
        .iter()
        .find(|r| {
            r.first()
                .is_some_and(|c| matches!(c, Data::String(s) if s == "STT"))
        })
        .expect("a header row");
    assert_eq!(header[2].to_string(), "Tổng số đảng viên");

    // Nothing outside the person's scope, and no column that is not a figure.
    let (commune, _) = app.sign_in(&user_of(Role::Viewer)).await;
    for path in ["/table?unit=XB", "/table.xlsx?unit=XB"] {
        let response = commune.get(app.url(path)).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
    }
    let unknown = client
        .get(app.url("/table?unit=T&f=members.nonsense"))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), StatusCode::BAD_REQUEST);
    assert!(unknown.text().await.unwrap().contains("members.nonsense"));
}

fn rows_unit_name(page: &str) -> String {
    let h1 = regex::Regex::new(r"<h1>[^:]*: ([^<]+)</h1>").unwrap();
    h1.captures(page).expect("a title")[1].to_string()
}

/// Adds `n` members admitted in CA on 01/06/2020, numbered M0001…
async fn many_members(app: &TestApp, n: usize) {
    let db = &app.test_db.db;
    let code = |i: usize| format!("M{i:04}");
    let members: Vec<Vec<String>> = (1..=n)
        .map(|i| {
            vec![
                code(i),
                format!("Nguyễn Văn Số {i}"),
                "Nam".into(),
                "01/05/1990".into(),
                "Kinh".into(),
                "Không".into(),
                "Sơ cấp".into(),
            ]
        })
        .collect();
    fixture::load(
        db,
        Dataset::Members,
        &fixture::table_of(&MEMBER_HEADERS, members),
    )
    .await;
    let events: Vec<Vec<String>> = (1..=n)
        .map(|i| {
            [
                code(i).as_str(),
                "Kết nạp",
                "01/06/2020",
                "5-QĐ/ĐU",
                "",
                "CA",
            ]
            .map(str::to_string)
            .to_vec()
        })
        .collect();
    fixture::load(
        db,
        Dataset::Events,
        &fixture::table_of(&EVENT_HEADERS, events),
    )
    .await;
}

#[tokio::test]
async fn a_drill_down_pages_through_every_record_and_exports_them_all() {
    let app = TestApp::spawn(TestDb::sqlite().await).await;
    many_members(&app, 450).await;
    let (client, _) = app.sign_in(&user_of(Role::Viewer)).await;
    let first = "/figures/members.total?unit=XA&as_of=31/12/2021".to_string();
    let mut url = first.clone();
    let mut seen: Vec<String> = Vec::new();
    let code = regex::Regex::new(r#"<td><a href="/members/([^"]+)">"#).unwrap();
    let next = regex::Regex::new(r#"<a href="([^"]+)" rel="next">"#).unwrap();
    let mut pages = 0;
    let mut words = String::new();
    loop {
        let page = TestApp::get_text(&client, &app.url(&url.replace("&#38;", "&"))).await;
        pages += 1;
        assert!(pages <= 3, "the pages end, at {url}");
        assert!(page.contains("Tổng số đảng viên: <span data-key=\"total\">452</span>"));
        assert!(!page.contains("members.total<"), "the key is never shown");
        assert!(page.contains("<th scope=\"col\">Họ và tên</th>"));
        assert!(page.contains("<td>Dự bị</td>"), "statuses in words");
        assert!(!page.contains(">full<") && !page.contains(">probationary<"));
        if pages == 2 {
            assert!(page.contains("201–400"), "the rows shown are numbered");
        }
        words.push_str(&page);
        seen.extend(code.captures_iter(&page).map(|c| c[1].to_string()));
        match next.captures(&page) {
            Some(link) => url = link[1].to_string(),
            None => break,
        }
    }
    assert_eq!(pages, 3, "200 a page");
    assert!(words.contains("<td>Chính thức</td>"));
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!((seen.len(), unique.len()), (452, 452), "every record once");

    // The attached list holds them all, with dates Excel computes with.
    let cells = sheet(
        &client,
        &app.url("/figures/members.total/export.xlsx?unit=XA&as_of=31/12/2021"),
    )
    .await;
    assert!(
        cells[0][0]
            .to_string()
            .starts_with("Danh sách kèm theo: Tổng số đảng viên (452")
    );
    let header = cells
        .iter()
        .position(|r| matches!(r.first(), Some(Data::String(s)) if s == "STT"))
        .expect("a header row");
    let rows = &cells[header + 1..];
    assert_eq!(rows.len(), 452);
    let listed: Vec<String> = rows.iter().map(|r| r[1].to_string()).collect();
    assert_eq!(listed, seen, "the pages and the list in the same order");
    let member = rows
        .iter()
        .find(|r| matches!(&r[1], Data::String(s) if s == "M0001"))
        .expect("M0001 listed");
    assert_eq!(
        member[3].to_string(),
        "Chi bộ thôn Nà Làng",
        "the unit's name, not its code"
    );
    assert!(matches!(member[4], Data::DateTime(_)), "{:?}", member[4]);
    assert_eq!(member[5].to_string(), "Dự bị");
    // A cursor that matches nothing is refused, not read as the first page.
    let stale = client
        .get(app.url(&format!("{first}&after=NOPE|2020-01-01|1")))
        .send()
        .await
        .unwrap();
    assert_eq!(stale.status(), StatusCode::BAD_REQUEST);
    let mistyped = client
        .get(app.url(&format!(
            "{first}&after=%5B%22a%22%2C%22M0001%22%2C%22not-a-date%22%5D"
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(mistyped.status(), StatusCode::BAD_REQUEST);
    // Out of scope: nothing.
    let outside = client
        .get(app.url("/figures/members.total/export.xlsx?unit=XB"))
        .send()
        .await
        .unwrap();
    assert_eq!(outside.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_member_export_holds_what_the_search_shows() {
    let app = TestApp::spawn(TestDb::sqlite().await).await;
    many_members(&app, 30).await;
    let (client, _) = app.sign_in(&user_of(Role::Viewer)).await;
    // "so 1" without tone marks: Số 1, Số 10 … Số 19.
    let filters = "q=so+1&sex=male&date=31/12/2021";
    let page = TestApp::get_text(&client, &app.url(&format!("/members?{filters}"))).await;
    assert!(page.contains("Tìm thấy 11 đảng viên"), "the count");
    let typed = client
        .get(app.url(&format!("/members?{filters}&partial=rows")))
        .send()
        .await
        .unwrap();
    let export_link = typed.headers()["x-member-export"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        export_link.contains("q=so%201") || export_link.contains("q=so+1"),
        "{export_link}"
    );
    let cells = sheet(&client, &app.url(&export_link)).await;
    assert!(
        cells[0][0]
            .to_string()
            .starts_with("Danh sách đảng viên (11")
    );
    assert!(
        cells
            .iter()
            .any(|r| r[0].to_string().contains("tìm «so 1»")),
        "the search is written above the list"
    );
    let header = cells
        .iter()
        .position(|r| matches!(r.first(), Some(Data::String(s)) if s == "STT"))
        .expect("a header row");
    let rows = &cells[header + 1..];
    assert_eq!(rows.len(), 11);
    for row in rows {
        assert!(row[2].to_string().contains("Số 1"), "{:?}", row[2]);
        assert!(
            matches!(row[4], Data::DateTime(_)),
            "birth date {:?}",
            row[4]
        );
    }
}

#[tokio::test]
async fn units_are_picked_by_a_toneless_name_or_typed_by_exact_name() {
    let app = TestApp::spawn(TestDb::sqlite().await).await;
    let (client, _) = app.sign_in(&user_of(Role::Viewer)).await;
    let picked: serde_json::Value = client
        .get(app.url("/units/pick?q=na%20lang"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let first = &picked[0];
    assert_eq!(first["code"], "CA", "{picked}");
    assert_eq!(first["name"], "Chi bộ thôn Nà Làng");
    assert!(
        first["path"].as_str().unwrap().starts_with("Đảng ủy xã"),
        "{picked}"
    );
    // Nothing outside the person's scope is offered: XB's branch is not.
    let outside: serde_json::Value = client
        .get(app.url("/units/pick?q=chi%20bo"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let codes: Vec<&str> = outside
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, vec!["CA"]);
    // A text longer than any name is not searched at all (it would match through its words).
    let long = format!("/units/pick?q=na%20lang{}", "%20".repeat(300));
    let none: serde_json::Value = client
        .get(app.url(&long))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(none, serde_json::json!([]));
    // Without the script: the exact name works where a code does.
    let page = TestApp::get_text(
        &client,
        &app.url("/?unit=Chi%20b%E1%BB%99%20th%C3%B4n%20N%C3%A0%20L%C3%A0ng"),
    )
    .await;
    assert!(
        page.contains("<h1>Tổng quan: Chi bộ thôn Nà Làng</h1>"),
        "by name"
    );
    let (national, _) = app.sign_in("national").await;
    let outside_by_name = client
        .get(app.url("/?unit=%C4%90%E1%BA%A3ng%20%E1%BB%A7y%20x%C3%A3%20B%E1%BB%99c%20B%E1%BB%91"))
        .send()
        .await
        .unwrap();
    assert_eq!(
        outside_by_name.status(),
        StatusCode::NOT_FOUND,
        "XB by name, outside"
    );
    let inside_by_name = national
        .get(app.url("/?unit=%C4%90%E1%BA%A3ng%20%E1%BB%A7y%20x%C3%A3%20B%E1%BB%99c%20B%E1%BB%91"))
        .send()
        .await
        .unwrap();
    assert_eq!(inside_by_name.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_drill_down_names_no_unit_above_the_scope() {
    let app = TestApp::spawn(TestDb::sqlite().await).await;
    let (client, _) = app.sign_in(&user_of(Role::Viewer)).await;
    // The commune counts itself as a grassroots organization; the province above it is not the
    // commune's staff's to read.
    let page = TestApp::get_text(&client, &app.url("/figures/units.grassroots?unit=XA")).await;
    assert!(page.contains("Đảng ủy xã An Thắng"), "{page}");
    assert!(!page.contains("Tỉnh ủy Thử Nghiệm"), "{page}");
    let (national, _) = app.sign_in("national").await;
    let page = TestApp::get_text(&national, &app.url("/figures/units.grassroots?unit=XA")).await;
    assert!(
        page.contains("Tỉnh ủy Thử Nghiệm"),
        "the whole database sees it: {page}"
    );
}

#[tokio::test]
async fn the_favicon_is_served_to_everyone() {
    let app = TestApp::spawn(TestDb::sqlite().await).await;
    for path in ["/favicon.ico", "/static/favicon.svg"] {
        let response = TestApp::client().get(app.url(path)).send().await.unwrap();
        assert_eq!(response.status(), reqwest::StatusCode::OK, "{path}");
        assert_eq!(
            response.headers()["content-type"],
            "image/svg+xml",
            "{path}"
        );
        assert!(response.text().await.unwrap().contains("<svg"), "{path}");
    }
}

#[tokio::test]
async fn the_achievement_summary_groups_targets_by_domain_and_exports_them() {
    use dangbo_store::access::{NewDocument, NewTarget};
    let app = TestApp::spawn(TestDb::sqlite().await).await;
    let office = fixture::access(&app.test_db, "vanphong", Role::Office, Some("XA")).await;
    let writer = office.programmes().unwrap();
    let day = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d);
    writer
        .add_document(&NewDocument {
            unit: "XA".into(),
            kind: "Nghị quyết".into(),
            number: "05-NQ/ĐU".into(),
            title: "Nghị quyết về nhiệm vụ năm 2010".into(),
            signed_on: day(2009, 12, 20),
            valid_from: day(2010, 1, 1),
            valid_to: day(2010, 12, 31),
            domain: "Xây dựng Đảng".into(),
            ..NewDocument::default()
        })
        .await
        .unwrap();
    let target = |text: &str, domain: &str, figure: &str, value: f64| NewTarget {
        document: "05-NQ/ĐU".into(),
        document_id: None,
        unit: "XA".into(),
        text: text.into(),
        domain: domain.into(),
        from: day(2010, 1, 1),
        to: day(2010, 12, 31),
        figure: figure.into(),
        comparator: ">=".into(),
        value: Some(value),
        allocated_from: String::new(),
    };
    writer
        .add_target(&target(
            "Kết nạp từ 2 đảng viên",
            "Tổ chức xây dựng Đảng",
            "admissions",
            2.0,
        ))
        .await
        .unwrap();
    writer
        .add_target(&target("Trồng mới 50 ha rừng", "Kinh tế", "", 50.0))
        .await
        .unwrap();
    let (client, _) = app.sign_in(&user_of(Role::Viewer)).await;
    let query = "?unit=XA&from=01/01/2010&to=31/12/2010";
    let page = TestApp::get_text(&client, &app.url(&format!("/targets{query}"))).await;
    assert!(
        page.contains(r#"<strong id="targets-met">Đạt 1/2</strong>"#),
        "{page}"
    );
    assert!(page.contains(r#"<span data-domain="economy">0/1</span>"#));
    assert!(page.contains(r#"<span data-domain="party_building">1/1</span>"#));
    // The admissions counted link to the admissions behind them; the unreported value says so.
    assert!(page.contains(
        r#"<a href="/figures/admissions?unit=XA&#38;as_of=31%2F12%2F2010&#38;from=01%2F01%2F2010&#38;to=31%2F12%2F2010">2</a>"#
    ), "{page}");
    assert!(page.contains("chưa có số liệu"));
    assert!(page.contains("<td>Đạt</td>") && page.contains("<td>Chưa đến hạn</td>"));
    assert!(page.contains("từ 2"), "the target in words");
    // The workbook: what, where, when on top; real numbers.
    let cells = sheet(&client, &app.url(&format!("/targets.xlsx{query}"))).await;
    assert_eq!(
        cells[0][0].to_string(),
        "Kết quả thực hiện chỉ tiêu: đạt 1/2"
    );
    let admissions = row_named(&cells, "Kết nạp từ 2 đảng viên");
    assert_eq!(admissions[4], Data::Float(2.0));
    assert_eq!(admissions[5], Data::Float(2.0));
    assert_eq!(admissions[7].to_string(), "Đạt");
    // The documents of the period, and the document's page with the targets it sets.
    let documents = TestApp::get_text(
        &client,
        &app.url("/documents?unit=XA&from=01/01/2009&to=31/12/2010"),
    )
    .await;
    let link = regex::Regex::new(r#"<a href="(/documents/\d+)">05-NQ/ĐU</a>"#)
        .unwrap()
        .captures(&documents)
        .map(|c| c[1].to_string())
        .expect("the document listed");
    assert!(
        documents.contains("Đảng ủy xã An Thắng"),
        "the issuer by name"
    );
    let document = TestApp::get_text(&client, &app.url(&link)).await;
    assert!(document.contains("Nghị quyết về nhiệm vụ năm 2010"));
    assert!(document.contains("Kết nạp từ 2 đảng viên") && document.contains("Số báo cáo từ 50"));
    assert!(
        document.contains("<td>Kết nạp đảng viên (kể cả kết nạp lại) từ 2</td>"),
        "the figure by its label: {document}"
    );
    // The API answers the same, in the shape `dangbo targets --json` prints.
    let json: serde_json::Value = TestApp::get_json(
        &client,
        &app.url("/api/v1/targets?unit=XA&from=2010-01-01&to=2010-12-31"),
    )
    .await;
    assert_eq!(
        (json["met"].as_u64(), json["total"].as_u64()),
        (Some(1), Some(2))
    );
    assert_eq!(
        json["by_domain"]["economy"],
        serde_json::json!({"met": 0, "total": 1})
    );
    assert_eq!(json["unit"]["name"], "Đảng ủy xã An Thắng");
    let counted = json["targets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["figure"] == "admissions")
        .unwrap();
    assert_eq!(
        (
            counted["actual"].as_f64(),
            counted["percent"].as_f64(),
            counted["result"].as_str()
        ),
        (Some(2.0), Some(100.0), Some("achieved"))
    );
    // The dashboard of the period says it in one line, the unit's admission target beside it.
    let dashboard = TestApp::get_text(
        &client,
        &app.url("/?unit=XA&as_of=31/12/2010&from=01/01/2010&to=31/12/2010"),
    )
    .await;
    assert!(dashboard.contains("Chỉ tiêu: đạt 1/2</a>"), "{dashboard}");
    assert!(dashboard.contains("Kết nạp đảng viên: 2 / chỉ tiêu từ 2 (100 %)"));
    // Another commune's unit is not found.
    let (other, _) = app.sign_in(&user_of(Role::Viewer)).await;
    let outside = other
        .get(app.url("/targets?unit=XB&from=01/01/2010&to=31/12/2010"))
        .send()
        .await
        .unwrap();
    assert_eq!(outside.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_name_column_shows_its_sort_arrow() {
    let app = TestApp::spawn(TestDb::sqlite().await).await;
    let (client, _) = app.sign_in(&user_of(Role::Viewer)).await;
    let arrow = |page: &str| {
        regex::Regex::new(
            r#"<th scope="col" aria-sort="(\w+)"><a href="[^"]*">[^<]*?( ▲| ▼)?</a></th>"#,
        )
        .unwrap()
        .captures(page)
        .map(|c| (c[1].to_string(), c.get(2).map(|m| m.as_str().to_string())))
    };
    // In tree order the rows read by name, ascending; sorted by a figure, the name has no arrow.
    let page = TestApp::get_text(&client, &app.url("/table?unit=XA")).await;
    assert_eq!(arrow(&page), Some(("ascending".into(), Some(" ▲".into()))));
    let page = TestApp::get_text(&client, &app.url("/table?unit=XA&sort=members.total")).await;
    assert_eq!(arrow(&page), Some(("none".into(), None)));
}

#[tokio::test]
async fn a_script_files_a_document_its_targets_and_tasks_through_the_api() {
    use dangbo_store::access::NewToken;
    let app = TestApp::spawn(TestDb::sqlite().await).await;
    let admin = dangbo_testkit::fixture::system(&app.test_db);
    let (_, secret) = admin
        .user_admin()
        .unwrap()
        .create_token(&NewToken {
            name: "office script".into(),
            role: Role::Office,
            scope_code: Some("XA".into()),
        })
        .await
        .unwrap();
    let client = TestApp::client();
    let post = async |path: &str, body: serde_json::Value| {
        let response = client
            .post(app.url(path))
            .bearer_auth(&secret)
            .json(&body)
            .send()
            .await
            .unwrap();
        let status = response.status();
        (status, response.json::<serde_json::Value>().await.unwrap())
    };
    let get = async |path: &str| {
        client
            .get(app.url(path))
            .bearer_auth(&secret)
            .send()
            .await
            .unwrap()
            .json::<serde_json::Value>()
            .await
            .unwrap()
    };
    // Every problem of a bad document comes back on its field.
    let (status, body) = post(
        "/api/v1/documents",
        serde_json::json!({
            "unit": "XB", "kind": "plan", "number": "07-NQ/ĐU", "title": "Kế hoạch",
            "signed_on": "2021-02-30", "valid_from": "2021-01-01", "valid_to": "2021-12-31",
            "domain": "organization"
        }),
    )
    .await;
    assert_eq!(status, reqwest::StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&str> = body["error"]["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["field"].as_str().unwrap())
        .collect();
    for field in ["signed_on", "number", "unit"] {
        assert!(fields.contains(&field), "{field} in {body}");
    }
    let (status, body) = post(
        "/api/v1/documents",
        serde_json::json!({
            "unit": "XA", "kind": "resolution", "number": "07-NQ/ĐU",
            "title": "Nghị quyết về nhiệm vụ năm 2021", "signed_on": "2020-12-28",
            "valid_from": "2021-01-01", "valid_to": "2021-12-31", "domain": "party_building"
        }),
    )
    .await;
    assert_eq!(status, reqwest::StatusCode::CREATED, "{body}");
    let document = body["id"].as_i64().unwrap();
    let (status, body) = post(
        "/api/v1/targets",
        serde_json::json!({
            "document": "07-NQ/ĐU", "unit": "XA", "text": "Trồng mới 120 ha rừng",
            "domain": "economy", "from": "2021-01-01", "to": "2021-12-31",
            "comparator": ">=", "value": 120
        }),
    )
    .await;
    assert_eq!(status, reqwest::StatusCode::CREATED, "{body}");
    let target = body["id"].as_i64().unwrap();
    let (status, body) = post(
        &format!("/api/v1/targets/{target}/values"),
        serde_json::json!({"as_of": "31/12/2021", "value": 96.5, "source": "Báo cáo số 40-BC/UBND"}),
    )
    .await;
    assert_eq!(status, reqwest::StatusCode::CREATED, "{body}");
    let (status, body) = post(
        "/api/v1/tasks",
        serde_json::json!({
            "document_id": document, "unit": "CA", "text": "Rà soát hồ sơ đảng viên",
            "owner": "Chi bộ thôn Nà Làng", "deadline": "2021-03-31"
        }),
    )
    .await;
    assert_eq!(status, reqwest::StatusCode::CREATED, "{body}");
    let task = body["id"].as_i64().unwrap();
    let (status, _) = post(
        &format!("/api/v1/tasks/{task}/reports"),
        serde_json::json!({"reported_on": "2021-03-25", "state": "done"}),
    )
    .await;
    assert_eq!(status, reqwest::StatusCode::CREATED);
    // What was written reads back through the reading routes.
    let listed = get("/api/v1/documents?unit=XA&from=2020-01-01&to=2020-12-31").await;
    assert_eq!(listed[0]["number"], "07-NQ/ĐU");
    let detail = get(&format!("/api/v1/documents/{document}")).await;
    assert_eq!(detail["targets"][0]["value"], 120.0);
    assert_eq!(detail["tasks"][0]["state"], "done");
    let judged = get("/api/v1/targets?unit=XA&from=2021-01-01&to=2021-12-31").await;
    assert_eq!(judged["targets"][0]["actual"], 96.5);
    assert_eq!(judged["targets"][0]["result"], "not_achieved");
    let tasks = get("/api/v1/tasks?unit=XA&as_of=2021-03-01").await;
    assert_eq!(tasks[0]["state"], "assigned");
    // Another commune's document is not found.
    let other = admin
        .programmes()
        .unwrap()
        .add_document(&dangbo_store::access::NewDocument {
            unit: "XB".into(),
            kind: "Kế hoạch".into(),
            number: "01-KH/ĐU".into(),
            title: "Kế hoạch".into(),
            signed_on: chrono::NaiveDate::from_ymd_opt(2021, 1, 5),
            valid_from: chrono::NaiveDate::from_ymd_opt(2021, 1, 5),
            valid_to: chrono::NaiveDate::from_ymd_opt(2021, 12, 31),
            domain: "Xây dựng Đảng".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    let response = client
        .get(app.url(&format!("/api/v1/documents/{other}")))
        .bearer_auth(&secret)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), reqwest::StatusCode::NOT_FOUND);
}
