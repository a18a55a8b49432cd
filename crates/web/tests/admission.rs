//! The admission pipeline's pages: a branch secretary opens a file and walks it to the decision
//! through the step forms (a bad step comes back with the rule's words), the board shows it in
//! its column, the due list and its workbook name what is due, and the dashboard says how much.

use calamine::{Data, Reader, Xlsx};
use dangbo_domain::access::Role;
use dangbo_testkit::fixture;
use dangbo_testkit::{TestApp, conformance_app, user_of};
use reqwest::StatusCode;

fn capture(pattern: &str, text: &str) -> Option<String> {
    regex::Regex::new(pattern)
        .ok()?
        .captures(text)
        .map(|c| c[1].to_string())
}

async fn a_secretary_walks_a_file_to_the_decision(app: &TestApp) {
    // The secretary of branch CA, whose scope is the branch itself.
    fixture::add_user(&app.test_db, "bithu_ca", Role::BranchSecretary, Some("CA")).await;
    let (client, csrf) = app.sign_in("bithu_ca").await;
    let post = async |path: &str, fields: &[(&str, &str)]| {
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend_from_slice(fields);
        client.post(app.url(path)).form(&all).send().await.unwrap()
    };
    let board = TestApp::get_text(&client, &app.url("/candidates")).await;
    assert!(board.contains(r#"id="new-candidate""#));
    let person = [
        ("code", "QC01"),
        ("unit", ""),
        ("nominated_by", "youth_union"),
        ("nominated_on", "04/01/2021"),
        ("full_name", "Hà Thị Mai"),
        ("sex", "female"),
        ("birth_date", "01/05/1999"),
        ("ethnicity", "Tày"),
        ("general_education", "lower_secondary"),
    ];
    // A bad form names each field; nothing is written.
    let mut bad = person;
    bad[0] = ("code", "A1");
    bad[6] = ("birth_date", "31/02/1999");
    bad[2] = ("nominated_by", "hội đồng hương");
    let refused = post("/candidates", &bad).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = refused.text().await.unwrap();
    for field in ["birth_date", "nominated_by"] {
        let error = capture(&format!(r#"id="n-{field}-err">([^<]*)<"#), &page).unwrap_or_default();
        assert!(!error.is_empty(), "{field} has its problem in {page}");
    }
    assert_eq!(app.test_db.count("candidates").await, 0);
    // The empty branch is the secretary's own.
    let filed = post("/candidates", &person).await;
    assert_eq!(filed.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        filed.headers()["location"].to_str().unwrap(),
        "/candidates/QC01?ok=created"
    );
    let steps: [&[(&str, &str)]; 5] = [
        &[
            ("stage", "class_passed"),
            ("on", "14/01/2021"),
            ("certificate", "125/CN-TTCT"),
            ("centre", "Trung tâm Chính trị huyện"),
        ],
        &[("stage", "applied"), ("on", "24/01/2021")],
        &[("stage", "vetted"), ("on", "13/02/2021")],
        &[("stage", "mass_organization"), ("on", "23/02/2021")],
        &[
            ("stage", "branch_resolution"),
            ("on", "05/03/2021"),
            ("votes_for", "2"),
            ("votes_against", "0"),
            ("present", "2"),
            ("entitled", "2"),
        ],
    ];
    for step in steps {
        let done = post("/candidates/QC01/steps", step).await;
        assert_eq!(done.status(), StatusCode::SEE_OTHER, "{step:?}");
    }
    // The committee's vote short of 2/3 comes back with the rule's words, its form open.
    let short = post(
        "/candidates/QC01/steps",
        &[
            ("stage", "committee_resolution"),
            ("on", "10/03/2021"),
            ("votes_for", "5"),
            ("votes_against", "4"),
            ("present", "9"),
            ("entitled", "9"),
        ],
    )
    .await;
    assert_eq!(short.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = short.text().await.unwrap();
    assert!(page.contains("chưa đủ 2/3"), "{page}");
    assert!(page.contains(r#"<details open data-stage="committee_resolution">"#));
    // A vote typed as words is named on its field.
    let words = post(
        "/candidates/QC01/steps",
        &[
            ("stage", "committee_resolution"),
            ("on", "10/03/2021"),
            ("votes_for", "bảy"),
        ],
    )
    .await;
    let page = words.text().await.unwrap();
    assert!(
        capture(r#"id="committee_resolution-votes_for-err">([^<]*)<"#, &page)
            .unwrap_or_default()
            .contains("bảy")
    );
    for step in [
        &[
            ("stage", "committee_resolution"),
            ("on", "10/03/2021"),
            ("votes_for", "7"),
            ("votes_against", "0"),
            ("present", "9"),
            ("entitled", "9"),
        ][..],
        &[
            ("stage", "decided"),
            ("on", "25/03/2021"),
            ("number", "45-QĐ/ĐU"),
            ("committee", "Đảng ủy xã An Thắng"),
        ],
    ] {
        let done = post("/candidates/QC01/steps", step).await;
        assert_eq!(done.status(), StatusCode::SEE_OTHER, "{step:?}");
    }
    let file = TestApp::get_text(&client, &app.url("/candidates/QC01?ok=step")).await;
    assert!(file.contains(r#"id="member-link""#));
    assert!(file.contains("Quyết định số 45-QĐ/ĐU"));
    // The member exists, on probation, in the branch.
    let member = TestApp::get_text(&client, &app.url("/members/QC01")).await;
    assert!(member.contains("Dự bị"), "{member}");
    // The board shows the file in the decided column with the ceremony's deadline, overdue today.
    let board = TestApp::get_text(&client, &app.url("/candidates")).await;
    let column = capture(r#"(?s)(data-stage="decided".*?</section>)"#, &board).unwrap_or_default();
    assert!(column.contains("Hà Thị Mai"), "{board}");
    assert!(column.contains("Lễ kết nạp"));
    // The due list names it, and its workbook holds the same line.
    let due = TestApp::get_text(&client, &app.url("/candidates/due")).await;
    assert!(due.contains(r#"data-code="QC01""#), "{due}");
    let response = client
        .get(app.url("/candidates/due.xlsx"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let bytes = response.bytes().await.unwrap();
    let mut book = Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let range = book.worksheet_range_at(0).unwrap().unwrap();
    let line = range
        .rows()
        .find(|r| matches!(r.get(1), Some(Data::String(s)) if s == "QC01"))
        .expect("the file's line")
        .to_vec();
    assert_eq!(line[4], Data::String("Lễ kết nạp".into()));
    // The dashboard says it.
    let dashboard = TestApp::get_text(&client, &app.url("/")).await;
    assert!(
        dashboard.contains(r#"id="admission-due-line""#),
        "{dashboard}"
    );
}

conformance_app!(
    secretary_on_both_engines,
    a_secretary_walks_a_file_to_the_decision
);

async fn files_out_of_scope_are_not_found(app: &TestApp) {
    let (client, csrf) = app.sign_in(&user_of(Role::Organization)).await;
    let post = async |path: &str, fields: &[(&str, &str)]| {
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend_from_slice(fields);
        client.post(app.url(path)).form(&all).send().await.unwrap()
    };
    // A file in the other commune's branch, filed by the whole-database administrator.
    let (national, national_csrf) = app.sign_in("national").await;
    let filed = national
        .post(app.url("/candidates"))
        .form(&[
            ("csrf", national_csrf.as_str()),
            ("code", "QB01"),
            ("unit", "CB"),
            ("nominated_by", "women_union"),
            ("nominated_on", "04/01/2021"),
            ("full_name", "Nông Thị Bích"),
            ("sex", "female"),
            ("birth_date", "01/05/1999"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(filed.status(), StatusCode::SEE_OTHER);
    let page = client
        .get(app.url("/candidates/QB01"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::NOT_FOUND);
    let step = post(
        "/candidates/QB01/steps",
        &[("stage", "applied"), ("on", "10/01/2021")],
    )
    .await;
    assert_eq!(step.status(), StatusCode::NOT_FOUND);
    let board = TestApp::get_text(&client, &app.url("/candidates?all=1")).await;
    assert!(!board.contains("QB01"));
    let other = client
        .get(app.url("/candidates?unit=XB"))
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), StatusCode::NOT_FOUND);
    // Filing in the other commune's branch is refused on the branch's field.
    let refused = post(
        "/candidates",
        &[
            ("code", "QB02"),
            ("unit", "CB"),
            ("nominated_by", "women_union"),
            ("nominated_on", "04/01/2021"),
            ("full_name", "Nông Thị Bích"),
            ("sex", "female"),
            ("birth_date", "01/05/1999"),
        ],
    )
    .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = refused.text().await.unwrap();
    assert!(
        !capture(r#"id="n-unit-err">([^<]*)<"#, &page)
            .unwrap_or_default()
            .is_empty()
    );
    assert_eq!(app.test_db.count("candidates").await, 1);
}

conformance_app!(scope_on_both_engines, files_out_of_scope_are_not_found);

async fn the_api_files_a_candidate_and_walks_a_step(app: &TestApp) {
    let (client, csrf) = app.sign_in(&user_of(Role::Organization)).await;
    let post = async |path: &str, body: serde_json::Value| {
        client
            .post(app.url(path))
            .header("x-csrf-token", &csrf)
            .json(&body)
            .send()
            .await
            .unwrap()
    };
    let filed = post(
        "/api/v1/candidates",
        serde_json::json!({
            "code": "QC02", "unit": "CA", "nominated_by": "women_union",
            "nominated_on": "2021-01-04", "full_name": "Lò Thị Hoa", "sex": "female",
            "birth_date": "1999-05-01"
        }),
    )
    .await;
    assert_eq!(filed.status(), StatusCode::CREATED);
    // Out of order: the application before the class, refused with the rule named.
    let refused = post(
        "/api/v1/candidates/QC02/steps",
        serde_json::json!({ "stage": "applied", "on": "2021-02-01" }),
    )
    .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: serde_json::Value = refused.json().await.unwrap();
    assert_eq!(body["error"]["rule"], "admission.order", "{body}");
    let done = post(
        "/api/v1/candidates/QC02/steps",
        serde_json::json!({
            "stage": "class_passed", "on": "2021-01-14",
            "certificate": "7/CN", "centre": "Trung tâm Chính trị huyện"
        }),
    )
    .await;
    assert_eq!(done.status(), StatusCode::CREATED);
    let file = TestApp::get_json(&client, &app.url("/api/v1/candidates/QC02")).await;
    assert_eq!(file["candidate"]["stage"], "class_passed");
    assert_eq!(file["steps"][1]["facts"]["certificate"], "7/CN");
    assert_eq!(
        file["next_stages"],
        serde_json::json!(["applied", "stopped"])
    );
    let list = TestApp::get_json(&client, &app.url("/api/v1/candidates?unit=XA")).await;
    assert_eq!(list.as_array().unwrap().len(), 1);
    let outside = client
        .get(app.url("/api/v1/candidates?unit=XB"))
        .send()
        .await
        .unwrap();
    assert_eq!(outside.status(), StatusCode::NOT_FOUND);
}

conformance_app!(
    api_on_both_engines,
    the_api_files_a_candidate_and_walks_a_step
);

async fn a_class_is_added_and_a_candidate_passes_it(app: &TestApp) {
    let (client, csrf) = app.sign_in(&user_of(Role::Organization)).await;
    let post = async |path: &str, fields: &[(&str, &str)]| {
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend_from_slice(fields);
        client.post(app.url(path)).form(&all).send().await.unwrap()
    };
    let filed = post(
        "/candidates",
        &[
            ("code", "QC03"),
            ("unit", "CA"),
            ("nominated_by", "youth_union"),
            ("nominated_on", "04/01/2021"),
            ("full_name", "Hà Văn Tuấn"),
            ("sex", "male"),
            ("birth_date", "01/05/1999"),
        ],
    )
    .await;
    assert_eq!(filed.status(), StatusCode::SEE_OTHER);
    let class = [
        ("unit", "XA"),
        ("name", "Lớp nhận thức về Đảng khóa 1/2021"),
        ("organizer", "Trung tâm Chính trị huyện"),
        ("starts_on", "01/03/2021"),
        ("ends_on", "31/02/2021"),
        ("place", "Hội trường xã"),
    ];
    let refused = post("/classes", &class).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = refused.text().await.unwrap();
    assert!(
        capture(r#"id="k-ends_on-err">([^<]*)<"#, &page)
            .unwrap_or_default()
            .contains("31/02/2021")
    );
    let mut good = class;
    good[4] = ("ends_on", "05/03/2021");
    let added = post("/classes", &good).await;
    assert_eq!(added.status(), StatusCode::SEE_OTHER);
    let location = added.headers()["location"].to_str().unwrap().to_string();
    let id = capture(r"^/classes/(\d+)\?ok=created$", &location).expect("the class's page");
    let passed = post(
        &format!("/classes/{id}/trainees"),
        &[
            ("candidate", "QC03"),
            ("result", "passed"),
            ("certificate", "45/CN-TTCT"),
        ],
    )
    .await;
    assert_eq!(passed.status(), StatusCode::SEE_OTHER);
    let page = TestApp::get_text(&client, &app.url(&format!("/classes/{id}"))).await;
    assert!(page.contains(r#"href="/candidates/QC03""#));
    let file = TestApp::get_text(&client, &app.url("/candidates/QC03")).await;
    assert!(file.contains("Giấy chứng nhận số 45/CN-TTCT, Trung tâm Chính trị huyện"));
    let list = TestApp::get_text(
        &client,
        &app.url("/classes?unit=XA&from=01/01/2021&to=31/12/2021"),
    )
    .await;
    assert!(list.contains("Lớp nhận thức về Đảng khóa 1/2021"));
}

conformance_app!(
    classes_on_both_engines,
    a_class_is_added_and_a_candidate_passes_it
);
