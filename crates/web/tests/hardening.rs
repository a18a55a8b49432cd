//! The probes of the hardening review, over HTTP on both engines: hostile files, codes that are
//! paths, control characters, redirects off-site and missing security headers each get a clear
//! refusal, never a server error.

use dangbo_domain::access::Role;
use dangbo_store::access::NewToken;
use dangbo_testkit::{TestApp, conformance_app, fixture, user_of};
use reqwest::StatusCode;

/// A commune-scoped API token, as the probes used.
async fn commune_token(app: &TestApp) -> String {
    let admin = fixture::system(&app.test_db);
    let (_, secret) = admin
        .user_admin()
        .unwrap()
        .create_token(&NewToken {
            name: "probe".into(),
            role: Role::Organization,
            scope_code: Some("XA".into()),
        })
        .await
        .unwrap();
    secret
}

async fn import(
    app: &TestApp,
    secret: &str,
    dataset: &str,
    format: &str,
    body: Vec<u8>,
) -> (StatusCode, serde_json::Value) {
    let response = TestApp::client()
        .post(app.url(&format!("/api/v1/import?dataset={dataset}&format={format}")))
        .bearer_auth(secret)
        .body(body)
        .send()
        .await
        .unwrap();
    let status = response.status();
    (status, response.json().await.unwrap())
}

/// A minimal workbook whose sheet holds the given cells.
fn workbook(cells: &str) -> Vec<u8> {
    use std::io::Write;
    let mut bytes = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut bytes);
        let options = zip::write::SimpleFileOptions::default();
        let parts = [
            ("[Content_Types].xml", r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.to_string()),
            ("_rels/.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_string()),
            ("xl/workbook.xml", r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#.to_string()),
            ("xl/_rels/workbook.xml.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#.to_string()),
            ("xl/worksheets/sheet1.xml", format!(r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{cells}</sheetData></worksheet>"#)),
        ];
        for (name, text) in parts {
            zip.start_file(name, options).unwrap();
            zip.write_all(text.as_bytes()).unwrap();
        }
        zip.finish().unwrap();
    }
    bytes.into_inner()
}

async fn spreadsheet_bombs_are_refused_and_the_server_stays_up(app: &TestApp) {
    let secret = commune_token(app).await;
    let far = workbook(
        r#"<row r="1"><c r="A1" t="inlineStr"><is><t>Mã đảng viên</t></is></c></row><row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>"#,
    );
    let (status, body) = import(app, &secret, "members", "xlsx", far).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("XFD1048576"),
        "{body}"
    );
    // An ISO date cell far outside the calendar, in an otherwise valid events file.
    let header = r#"<row r="1"><c r="A1" t="inlineStr"><is><t>Mã đảng viên</t></is></c><c r="B1" t="inlineStr"><is><t>Sự kiện</t></is></c><c r="C1" t="inlineStr"><is><t>Ngày</t></is></c></row>"#;
    for value in ["1e12", "-1e15", "99999-01-01"] {
        let dates = workbook(&format!(
            r#"{header}<row r="2"><c r="A2" t="inlineStr"><is><t>A1</t></is></c><c r="B2" t="inlineStr"><is><t>Từ trần</t></is></c><c r="C2" t="d"><v>{value}</v></c></row>"#
        ));
        let (status, body) = import(app, &secret, "events", "xlsx", dates).await;
        assert!(status.is_client_error(), "{value}: {status} {body}");
        let said = body.to_string();
        assert!(
            said.contains("Ngày") || said.contains("C2"),
            "{value}: {body}"
        );
    }
    // Still serving.
    let alive = TestApp::client()
        .get(app.url("/sign-in"))
        .send()
        .await
        .unwrap();
    assert_eq!(alive.status(), StatusCode::OK);
}
conformance_app!(
    spreadsheet_bombs_are_refused_and_the_server_stays_up_on,
    spreadsheet_bombs_are_refused_and_the_server_stays_up
);

async fn codes_that_are_paths_are_refused(app: &TestApp) {
    let secret = commune_token(app).await;
    let csv = "Mã đảng viên,Họ và tên,Giới tính,Ngày sinh,Ngày vào Đảng,Mã chi bộ\n\
               ../admin/users/xem/disable?,Vi Văn Cường,Nam,01/01/1990,01/01/2020,CA\n";
    let (status, body) = import(app, &secret, "members", "csv", csv.into()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let detail = &body["error"]["details"][0];
    assert_eq!(detail["row"], 2);
    assert_eq!(detail["field"], "Mã đảng viên");
    assert!(
        detail["message"].as_str().unwrap().contains("«/»"),
        "{body}"
    );
}
conformance_app!(
    codes_that_are_paths_are_refused_on,
    codes_that_are_paths_are_refused
);

async fn control_characters_are_bad_input_everywhere(app: &TestApp) {
    let secret = commune_token(app).await;
    let client = TestApp::client();
    // In a search, a path and a filter: refused before any handler.
    for path in [
        "/api/v1/members?q=An%00",
        "/api/v1/members/A1%00",
        "/api/v1/members?q=%E2%80%AEnA",
    ] {
        let response = client
            .get(app.url(path))
            .bearer_auth(&secret)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{path}");
        let body: serde_json::Value = response.json().await.unwrap();
        assert!(
            body["error"]["message"].as_str().unwrap().contains("U+"),
            "{path}: {body}"
        );
    }
    let (signed_in, _) = app.sign_in(&user_of(Role::Organization)).await;
    let page = signed_in
        .get(app.url("/members?q=%00"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::BAD_REQUEST);
    // In a sign-in form: a refusal like any wrong name, not a server error.
    let sign_in = client
        .post(app.url("/sign-in"))
        .form(&[("username", "u_\0admin"), ("password", "x"), ("next", "/")])
        .send()
        .await
        .unwrap();
    assert_eq!(sign_in.status(), StatusCode::UNAUTHORIZED);
    // In an event's note and a record's name.
    let event = client
        .post(app.url("/api/v1/members/A1/events"))
        .bearer_auth(&secret)
        .json(&serde_json::json!({"kind": "exemption", "date": "2024-03-01", "note": "a\u{0}b"}))
        .send()
        .await
        .unwrap();
    assert_eq!(event.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: serde_json::Value = event.json().await.unwrap();
    assert_eq!(body["error"]["details"][0]["field"], "note");
    let read: serde_json::Value = client
        .get(app.url("/api/v1/members/A1"))
        .bearer_auth(&secret)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let renamed = client
        .put(app.url("/api/v1/members/A1"))
        .bearer_auth(&secret)
        .json(&dangbo_testkit::record_body(
            &read,
            &[("full_name", serde_json::json!("Nguyễn\u{202E}nA"))],
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(renamed.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: serde_json::Value = renamed.json().await.unwrap();
    assert_eq!(body["error"]["details"][0]["field"], "full_name", "{body}");
    // In an import cell.
    let csv = "Mã đảng viên,Sự kiện,Ngày,Ghi chú\nA1,Miễn sinh hoạt,01/03/2024,x\u{1b}[2J\n";
    let (status, body) = import(app, &secret, "events", "csv", csv.into()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["details"][0]["field"], "Ghi chú");
}
conformance_app!(
    control_characters_are_bad_input_everywhere_on,
    control_characters_are_bad_input_everywhere
);

async fn redirects_stay_on_the_site(app: &TestApp) {
    let client = TestApp::client();
    for back in ["//evil.example", "/%5Cevil.example", "https://evil.example"] {
        let response = client
            .get(app.url(&format!("/language/en?back={back}")))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{back}");
        assert_eq!(response.headers()["location"], "/", "{back}");
    }
    // A tab in an address is refused before the switch runs at all.
    let tab = client
        .get(app.url("/language/en?back=/%09/evil.example/"))
        .send()
        .await
        .unwrap();
    assert_eq!(tab.status(), StatusCode::BAD_REQUEST);
    let response = client
        .post(app.url("/sign-in"))
        .form(&[
            ("username", user_of(Role::Organization).as_str()),
            ("password", fixture::PASSWORD),
            ("next", "/\t/evil.example/"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()["location"], "/");
}
conformance_app!(redirects_stay_on_the_site_on, redirects_stay_on_the_site);

async fn every_kind_of_response_carries_the_security_headers(app: &TestApp) {
    let (client, _) = app.sign_in(&user_of(Role::Organization)).await;
    let anonymous = TestApp::client();
    let responses = [
        client.get(app.url("/")).send().await.unwrap(),
        client.get(app.url("/members/A1")).send().await.unwrap(),
        client.get(app.url("/no-such-page")).send().await.unwrap(),
        client.get(app.url("/api/v1/members")).send().await.unwrap(),
        client.get(app.url("/api/v1/no-such")).send().await.unwrap(),
        anonymous
            .get(app.url("/api/v1/members"))
            .send()
            .await
            .unwrap(),
        anonymous.get(app.url("/sign-in")).send().await.unwrap(),
        anonymous
            .get(app.url("/static/app.css"))
            .send()
            .await
            .unwrap(),
        anonymous
            .get(app.url("/static/app.js"))
            .send()
            .await
            .unwrap(),
        anonymous.get(app.url("/api/docs/")).send().await.unwrap(),
        anonymous
            .get(app.url("/api/v1/openapi.json"))
            .send()
            .await
            .unwrap(),
        anonymous
            .get(app.url("/members?q=%00"))
            .send()
            .await
            .unwrap(),
    ];
    for response in responses {
        let url = response.url().to_string();
        let headers = response.headers();
        let policy = headers
            .get("content-security-policy")
            .unwrap_or_else(|| panic!("{url}: no CSP"))
            .to_str()
            .unwrap();
        assert!(policy.contains("frame-ancestors 'none'"), "{url}: {policy}");
        assert!(
            !policy.contains("script-src 'self' 'unsafe-inline'"),
            "{url}: {policy}"
        );
        assert_eq!(headers["x-content-type-options"], "nosniff", "{url}");
        assert_eq!(headers["x-frame-options"], "DENY", "{url}");
        assert_eq!(headers["referrer-policy"], "same-origin", "{url}");
    }
}
conformance_app!(
    every_kind_of_response_carries_the_security_headers_on,
    every_kind_of_response_carries_the_security_headers
);
