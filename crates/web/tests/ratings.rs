//! The year's review pages: a branch's grid saved all at once, a bad row named on its member, the
//! review page's progress and figures, the branch's sheet filled in and imported, a committee's
//! grid of its organizations, the results by organization and their workbook, and the scope.

use calamine::{Data, Reader, Xlsx};
use dangbo_domain::access::Role;
use dangbo_testkit::{TestApp, conformance_app, user_of};
use reqwest::StatusCode;

async fn a_branch_grid_is_saved_and_counted(app: &TestApp) {
    let (client, csrf) = app.sign_in(&user_of(Role::Organization)).await;
    let post = async |fields: &[(&str, &str)]| {
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend_from_slice(fields);
        client
            .post(app.url("/ratings/CA?year=2021"))
            .form(&all)
            .send()
            .await
            .unwrap()
    };
    let grid = TestApp::get_text(&client, &app.url("/ratings/CA?year=2021")).await;
    assert!(grid.contains(r#"name="level.A1""#) && grid.contains(r#"name="level.A2""#));
    // Points where the 2021 scheme does not score: refused on that member, nothing written.
    let refused = post(&[
        ("level.A1", "good"),
        ("level.A2", "excellent"),
        ("points.A2", "95"),
        ("decided_by", "Đảng ủy xã An Thắng"),
        ("decision_number", "12-QĐ/ĐU"),
    ])
    .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = refused.text().await.unwrap();
    assert!(page.contains("không chấm điểm"), "{page}");
    assert_eq!(app.test_db.count("ratings").await, 0);
    // Two members: one excellent for one good is over a fifth of the good: the quota says so.
    let over = post(&[
        ("level.A1", "good"),
        ("level.A2", "excellent"),
        ("decided_by", "Đảng ủy xã An Thắng"),
        ("decision_number", "12-QĐ/ĐU"),
    ])
    .await;
    assert_eq!(over.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(over.text().await.unwrap().contains("quá số được phép 0"));
    let saved = post(&[
        ("level.A1", "good"),
        ("level.A2", "done"),
        ("decided_by", "Đảng ủy xã An Thắng"),
        ("decision_number", "12-QĐ/ĐU"),
    ])
    .await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let review = TestApp::get_text(&client, &app.url("/ratings?unit=XA&year=2021")).await;
    assert!(review.contains(r#"id="review-progress""#));
    assert!(review.contains("1/1"), "the one branch is done: {review}");
    assert!(review.contains("1/2 (50 %)"), "{review}");
    // The member's page lists their ratings.
    let member = TestApp::get_text(&client, &app.url("/members/A1")).await;
    assert!(member.contains(r#"id="member-ratings""#), "{member}");
    assert!(member.contains("Năm 2021") && member.contains("Hoàn thành tốt nhiệm vụ"));
    // The API gives the year's ratings of a unit's subtree.
    let api = TestApp::get_json(&client, &app.url("/api/v1/ratings?unit=XA&year=2021")).await;
    let rows = api.as_array().unwrap();
    assert_eq!(rows.len(), 2);
    assert!(
        rows.iter()
            .any(|r| r["member"] == "A1" && r["level"] == "good")
    );
    // Another commune's branch is not found.
    let other = client
        .get(app.url("/ratings/CB?year=2021"))
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), StatusCode::NOT_FOUND);
}

conformance_app!(grid_on_both_engines, a_branch_grid_is_saved_and_counted);

fn sheet_rows(bytes: &[u8]) -> Vec<Vec<String>> {
    let mut book = Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let range = book.worksheet_range_at(0).unwrap().unwrap();
    range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::String(s) => s.clone(),
                    Data::Empty => String::new(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

async fn a_sheet_and_a_committee_grid_make_the_results(app: &TestApp) {
    let (client, csrf) = app.sign_in(&user_of(Role::Organization)).await;
    // The branch's sheet lists its members to rate in the import's columns.
    let sheet = client
        .get(app.url("/ratings/CA/sheet.xlsx?year=2021"))
        .send()
        .await
        .unwrap();
    assert_eq!(sheet.status(), StatusCode::OK);
    let mut rows = sheet_rows(&sheet.bytes().await.unwrap());
    assert_eq!(rows[0][0], "Mã đảng viên");
    let level = rows[0].iter().position(|h| h == "Xếp loại").unwrap();
    let decided = rows[0].iter().position(|h| h == "Cấp quyết định").unwrap();
    let codes: Vec<&str> = rows[1..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(codes, vec!["A1", "A2"]);
    // Filled in and imported back: a line left blank rates nobody.
    rows[1][level] = "Hoàn thành tốt nhiệm vụ".to_string();
    rows[1][decided] = "Đảng ủy xã An Thắng".to_string();
    let partial: String = rows.iter().map(|r| format!("{}\n", r.join(","))).collect();
    let imported = client
        .post(app.url("/api/v1/import?dataset=member_ratings&format=csv"))
        .header("x-csrf-token", &csrf)
        .body(partial)
        .send()
        .await
        .unwrap();
    assert_eq!(imported.status(), StatusCode::OK);
    let summary: serde_json::Value = imported.json().await.unwrap();
    assert_eq!(
        (summary["created"].as_u64(), summary["unchanged"].as_u64()),
        (Some(1), Some(1)),
        "{summary}"
    );
    rows[2][level] = "Hoàn thành nhiệm vụ".to_string();
    rows[2][decided] = "Đảng ủy xã An Thắng".to_string();
    let csv: String = rows.iter().map(|r| format!("{}\n", r.join(","))).collect();
    let imported = client
        .post(app.url("/api/v1/import?dataset=member_ratings&format=csv"))
        .header("x-csrf-token", &csrf)
        .body(csv)
        .send()
        .await
        .unwrap();
    assert_eq!(
        imported.status(),
        StatusCode::OK,
        "{}",
        imported.text().await.unwrap()
    );
    // The commune's committee rates its branch on its grid.
    let units = TestApp::get_text(&client, &app.url("/ratings/XA/units?year=2021")).await;
    assert!(units.contains(r#"name="level.CA""#), "{units}");
    let saved = client
        .post(app.url("/ratings/XA/units?year=2021"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("level.CA", "good"),
            ("decided_by", "Đảng ủy xã An Thắng"),
            ("decision_number", "13-QĐ/ĐU"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    // The results by organization: the branch's own level and its members by level.
    let review = TestApp::get_text(&client, &app.url("/ratings?unit=XA&year=2021")).await;
    assert!(review.contains(r#"id="review-results""#), "{review}");
    let export = client
        .get(app.url("/ratings/results.xlsx?unit=XA&year=2021"))
        .send()
        .await
        .unwrap();
    assert_eq!(export.status(), StatusCode::OK);
    let table = sheet_rows(&export.bytes().await.unwrap());
    let line = table
        .iter()
        .find(|r| r.first().is_some_and(|c| c == "1"))
        .unwrap_or_else(|| panic!("the branch's line: {table:?}"));
    assert_eq!(line[2], "Hoàn thành tốt nhiệm vụ");
    assert_eq!(line[3], "2", "two members rated");
    // Excellent, good, done, not done.
    assert_eq!(&line[4..8], &["0", "1", "1", "0"]);
    // The API records a rating checked as the grid checks it: 2025's scheme scores, and 95
    // points are not in the band of "good".
    let rate = async |body: serde_json::Value| {
        client
            .post(app.url("/api/v1/ratings"))
            .header("x-csrf-token", &csrf)
            .json(&body)
            .send()
            .await
            .unwrap()
    };
    let body = |points: u32| {
        serde_json::json!({ "member": "A1", "unit": "CA", "year": 2025, "level": "good",
            "points": points, "decided_by": "Đảng ủy xã An Thắng", "decision_number": "30-QĐ/ĐU" })
    };
    let refused = rate(body(95)).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let error: serde_json::Value = refused.json().await.unwrap();
    assert_eq!(error["error"]["rule"], "rating.points", "{error}");
    let created = rate(body(80)).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let again: serde_json::Value = rate(body(80)).await.json().await.unwrap();
    assert_eq!(again["outcome"], "unchanged");
    // Another commune's committee is not found; a viewer does not rate.
    let other = client
        .get(app.url("/ratings/XB/units?year=2021"))
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), StatusCode::NOT_FOUND);
    let (viewer, _) = app.sign_in(&user_of(Role::Viewer)).await;
    let refused = viewer
        .get(app.url("/ratings/XA/units?year=2021"))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
}

conformance_app!(
    sheets_on_both_engines,
    a_sheet_and_a_committee_grid_make_the_results
);

async fn a_branch_proposes_and_the_committee_decides(app: &TestApp) {
    let (secretary, secretary_csrf) = app.sign_in(&user_of(Role::BranchSecretary)).await;
    // The secretary's grid posts proposals; the decision is not theirs.
    let grid = TestApp::get_text(&secretary, &app.url("/ratings/CA?year=2021")).await;
    assert!(
        grid.contains(r#"action="/ratings/CA/proposals?year=2021""#),
        "{grid}"
    );
    let decided = secretary
        .post(app.url("/ratings/CA?year=2021"))
        .form(&[("csrf", secretary_csrf.as_str()), ("level.A1", "good")])
        .send()
        .await
        .unwrap();
    assert_eq!(decided.status(), StatusCode::FORBIDDEN);
    let propose = async |level: &str| {
        secretary
            .post(app.url("/ratings/CA/proposals?year=2021"))
            .form(&[
                ("csrf", secretary_csrf.as_str()),
                ("self.A1", "good"),
                ("proposal.A1", level),
                ("comment.A1", "Gương mẫu ở khu dân cư"),
            ])
            .send()
            .await
            .unwrap()
    };
    let bad = propose("clean").await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.test_db.count("rating_proposals").await, 0);
    assert_eq!(propose("excellent").await.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.test_db.count("rating_proposals").await, 1);
    assert_eq!(
        app.test_db.count("ratings").await,
        0,
        "a proposal is not a rating"
    );
    // The organization board's grid shows the proposal; deciding carries it on.
    let (client, csrf) = app.sign_in(&user_of(Role::Organization)).await;
    let grid = TestApp::get_text(&client, &app.url("/ratings/CA?year=2021")).await;
    assert!(grid.contains("Gương mẫu ở khu dân cư"), "{grid}");
    let saved = client
        .post(app.url("/ratings/CA?year=2021"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("self.A1", "good"),
            ("proposal.A1", "excellent"),
            ("level.A1", "good"),
            ("level.A2", "good"),
            ("comment.A1", "Gương mẫu ở khu dân cư"),
            ("decided_by", "Đảng ủy xã An Thắng"),
            ("decision_number", "12-QĐ/ĐU"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let api = TestApp::get_json(&client, &app.url("/api/v1/ratings?unit=CA&year=2021")).await;
    let a1 = api
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["member"] == "A1")
        .cloned()
        .unwrap();
    assert_eq!(a1["level"], "good");
    assert_eq!(a1["comment"], "Gương mẫu ở khu dân cư");
    // Once decided, the branch's proposal no longer changes; a quarter of 2021 (rated by year)
    // takes none.
    assert_eq!(
        propose("good").await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let quarter = secretary
        .post(app.url("/ratings/CA/proposals?year=2021&quarter=2"))
        .form(&[("csrf", secretary_csrf.as_str()), ("proposal.A2", "good")])
        .send()
        .await
        .unwrap();
    assert_eq!(quarter.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // Another commune's branch takes no proposal from this secretary.
    let other = secretary
        .post(app.url("/ratings/CB/proposals?year=2021"))
        .form(&[("csrf", secretary_csrf.as_str()), ("proposal.B1", "good")])
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), StatusCode::NOT_FOUND);
}

conformance_app!(
    proposals_on_both_engines,
    a_branch_proposes_and_the_committee_decides
);

async fn a_wide_review_reads_the_year_s_figures(app: &TestApp) {
    // More branches than the review reads one by one: 601 empty ones under the commune.
    let rows: Vec<Vec<String>> = (0..601)
        .map(|i| {
            vec![
                format!("W{i:03}"),
                format!("Chi bộ thôn Rộng {i}"),
                "Chi bộ trực thuộc".into(),
                "XA".into(),
                "01/01/2003".into(),
            ]
        })
        .collect();
    dangbo_testkit::fixture::load(
        &app.test_db,
        dangbo_store::access::Dataset::Units,
        &dangbo_testkit::fixture::table_of(&dangbo_testkit::fixture::UNIT_HEADERS, rows),
    )
    .await;
    let (client, csrf) = app.sign_in(&user_of(Role::Organization)).await;
    let saved = client
        .post(app.url("/ratings/CA?year=2021"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("level.A1", "good"),
            ("level.A2", "done"),
            ("decided_by", "Đảng ủy xã An Thắng"),
            ("decision_number", "12-QĐ/ĐU"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let review = TestApp::get_text(&client, &app.url("/ratings?unit=XA&year=2021")).await;
    assert!(review.contains("hơn 600 chi bộ"), "{review}");
    let export = client
        .get(app.url("/ratings/results.xlsx?unit=XA&year=2021"))
        .send()
        .await
        .unwrap();
    let table = sheet_rows(&export.bytes().await.unwrap());
    let total = table
        .iter()
        .find(|r| r.get(1).is_some_and(|c| c == "Tổng số"))
        .unwrap_or_else(|| panic!("the total: {table:?}"));
    // Rated 2: excellent 0, good 1, done 1, not done 0; good or better 50 %; not rated unknown.
    assert_eq!(&total[3..8], &["2", "0", "1", "1", "0"]);
    assert_eq!(total[9], "", "not read for a wide subtree");
    let quarter = client
        .get(app.url("/ratings?unit=XA&year=2026&quarter=1"))
        .send()
        .await
        .unwrap();
    assert_eq!(quarter.status(), StatusCode::BAD_REQUEST);
}

conformance_app!(
    wide_review_on_both_engines,
    a_wide_review_reads_the_year_s_figures
);
