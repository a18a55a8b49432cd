//! The cadre and study pages: a post recorded through the form (one out of scope refused on its
//! field), the unit's posts and the standards' table showing it, a level recorded on the
//! person's page; a study session recorded, its sheet file with one bad row refused whole with
//! the row named, then a good sheet counted; the pages' absence out of scope.

use dangbo_domain::access::Role;
use dangbo_testkit::{TestApp, conformance_app, user_of};
use reqwest::StatusCode;

async fn posts_through_the_pages(app: &TestApp) {
    let (client, csrf) = app.sign_in(&user_of(Role::Organization)).await;
    let post = async |path: &str, fields: &[(&str, &str)]| {
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend_from_slice(fields);
        client.post(app.url(path)).form(&all).send().await.unwrap()
    };
    let holding = |unit: &'static str| {
        [
            ("unit", unit),
            ("post", "secretary"),
            ("holder", "A1"),
            ("from", "01/10/2020"),
            ("start_move", "election"),
            ("start_decision", "12-QĐ/HU"),
        ]
    };
    let refused = post("/cadres/holdings", &holding("XB")).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text().await.unwrap().contains("«XB»"));
    assert_eq!(app.test_db.count("holdings").await, 0);
    let saved = post("/cadres/holdings", &holding("XA")).await;
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let page = client
        .get(app.url("/cadres?unit=XA&on=01/01/2021"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Bí thư cấp ủy") && page.contains("12-QĐ/HU"),
        "{page}"
    );
    // The fixture's members are at the elementary theory level: A1 falls short of intermediate.
    let standards = client
        .get(app.url("/cadres/standards?unit=XA&on=01/01/2021"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        standards.contains("lý luận chính trị từ trung cấp trở lên"),
        "{standards}"
    );
    let fact = post(
        "/cadres/persons/A1/training",
        &[
            ("kind", "theory"),
            ("level", "intermediate"),
            ("on", "15/09/2020"),
            ("institution", "Trường Chính trị tỉnh"),
        ],
    )
    .await;
    assert_eq!(fact.status(), StatusCode::SEE_OTHER);
    let person = client
        .get(app.url("/cadres/persons/A1"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(person.contains("Trường Chính trị tỉnh") && person.contains("15/09/2020"));
    // A viewer may read the posts but not record one.
    let (viewer, viewer_csrf) = app.sign_in(&user_of(Role::Viewer)).await;
    let mut fields = vec![("csrf", viewer_csrf.as_str())];
    fields.extend_from_slice(&holding("XA"));
    let forbidden = viewer
        .post(app.url("/cadres/holdings"))
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert_eq!(forbidden.status(), StatusCode::FORBIDDEN);
}

conformance_app!(posts_on_both_engines, posts_through_the_pages);

async fn upload(
    client: &reqwest::Client,
    app: &TestApp,
    csrf: &str,
    path: &str,
    csv: &str,
) -> reqwest::Response {
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(csv.as_bytes().to_vec()).file_name("diem-danh.csv"),
    );
    client
        .post(app.url(&format!("{path}?csrf={csrf}")))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

async fn a_session_and_its_sheet(app: &TestApp) {
    let (client, csrf) = app.sign_in(&user_of(Role::Propaganda)).await;
    let created = client
        .post(app.url("/study"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("code", "HT-01"),
            ("unit", "XA"),
            ("kind", "resolution_study"),
            ("title", "Quán triệt Nghị quyết Đại hội"),
            ("from", "10/03/2025"),
            ("documents", "01-NQ/ĐH | Nghị quyết Đại hội Đảng bộ xã"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), StatusCode::SEE_OTHER);
    let page = TestApp::get_text(&client, &app.url("/study/HT-01")).await;
    assert!(
        page.contains("01-NQ/ĐH") && page.contains(r#"name="a:A1""#),
        "{page}"
    );
    // One bad row: nothing is written, the row and its column are named.
    let bad = upload(
        &client,
        app,
        &csrf,
        "/study/HT-01/file",
        "ma_dang_vien,diem_danh,ly_do\nA1,có mặt,\nA2,không rõ,\n",
    )
    .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let text = bad.text().await.unwrap();
    assert!(
        text.contains("Dòng 3") && text.contains("diem_danh"),
        "{text}"
    );
    assert_eq!(app.test_db.count("study_attendance").await, 0);
    let good = upload(
        &client,
        app,
        &csrf,
        "/study/HT-01/file",
        "ma_dang_vien,diem_danh,ly_do\nA1,có mặt,\nA2,vắng có lý do,Ốm\n",
    )
    .await;
    assert_eq!(good.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.test_db.count("study_attendance").await, 2);
    let list = TestApp::get_text(
        &client,
        &app.url("/study?unit=XA&from=01/01/2025&to=31/12/2025"),
    )
    .await;
    assert!(list.contains("HT-01"), "{list}");
    let member = TestApp::get_text(&client, &app.url("/members/A2")).await;
    assert!(member.contains("Quán triệt Nghị quyết Đại hội") && member.contains("Vắng có lý do"));
}

conformance_app!(sessions_on_both_engines, a_session_and_its_sheet);
