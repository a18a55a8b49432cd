//! The training file through the import page: offered to the organization board with its
//! template; a file with one bad row shows that row and column and writes nothing; the good file
//! is previewed, confirmed, and the level shows on the person's page.

use dangbo_domain::access::Role;
use dangbo_testkit::{TestApp, conformance_app, user_of};
use reqwest::StatusCode;

async fn preview(
    client: &reqwest::Client,
    app: &TestApp,
    csrf: &str,
    csv: &str,
) -> (StatusCode, String) {
    let form = reqwest::multipart::Form::new()
        .text("dataset", "training")
        .part(
            "file",
            reqwest::multipart::Part::bytes(csv.as_bytes().to_vec()).file_name("dao-tao.csv"),
        );
    let answer = client
        .post(app.url(&format!("/import?csrf={csrf}")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    (answer.status(), answer.text().await.unwrap())
}

const HEADER: &str = "Mã đảng viên,Loại trình độ,Trình độ,Ngày cấp bằng,Cơ sở đào tạo\n";

async fn training_through_the_import_page(app: &TestApp) {
    let (client, csrf) = app.sign_in(&user_of(Role::Organization)).await;
    let page = TestApp::get_text(&client, &app.url("/import")).await;
    assert!(
        page.contains(r#"value="training""#) && page.contains("Quá trình đào tạo, bồi dưỡng"),
        "{page}"
    );
    let template = client
        .get(app.url("/import/template/training.xlsx"))
        .send()
        .await
        .unwrap();
    assert_eq!(template.status(), StatusCode::OK);

    // A2's level is not a theory level: nothing is written, the row and column are named.
    let bad = format!(
        "{HEADER}A1,Lý luận chính trị,Trung cấp,15/09/2020,Trường Chính trị tỉnh\n\
         A2,Lý luận chính trị,Thạc sĩ,01/06/2021,\n\
         A2,Giáo dục phổ thông,THPT,01/06/1995,\n"
    );
    let (status, text) = preview(&client, app, &csrf, &bad).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let rows: Vec<&str> = text.matches(r#"<tr class="bad-row">"#).collect();
    assert_eq!(rows.len(), 1, "{text}");
    assert!(
        text.contains(r#"<td data-label="Dòng">3</td><td data-label="Cột">Trình độ</td>"#),
        "{text}"
    );
    assert_eq!(app.test_db.count("training_facts").await, 0);

    // The good file: a preview writes nothing, the confirmation writes both facts.
    let good = format!(
        "{HEADER}A1,Lý luận chính trị,Trung cấp,15/09/2020,Trường Chính trị tỉnh\n\
         A2,Giáo dục phổ thông,THPT,01/06/1995,\n"
    );
    let (status, text) = preview(&client, app, &csrf, &good).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    assert_eq!(app.test_db.count("training_facts").await, 0);
    let confirm = text
        .split(r#"action=""#)
        .filter_map(|s| s.split('"').next())
        .find(|a| a.ends_with("/confirm"))
        .expect("a confirm form")
        .to_string();
    let done = client
        .post(app.url(&confirm))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(done.status(), StatusCode::OK);
    assert!(done.text().await.unwrap().contains(r#"id="import-done""#));
    assert_eq!(app.test_db.count("training_facts").await, 2);
    let person = TestApp::get_text(&client, &app.url("/cadres/persons/A1")).await;
    assert!(
        person.contains("Trung cấp") && person.contains("Trường Chính trị tỉnh"),
        "{person}"
    );

    // Not the inspection commission's file.
    let (inspector, inspector_csrf) = app.sign_in(&user_of(Role::Inspection)).await;
    let page = TestApp::get_text(&inspector, &app.url("/import")).await;
    assert!(!page.contains(r#"value="training""#));
    let (status, _) = preview(&inspector, app, &inspector_csrf, &good).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.test_db.count("training_facts").await, 2);
}

conformance_app!(
    training_file_on_both_engines,
    training_through_the_import_page
);
