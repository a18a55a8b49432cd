//! The import and restructure forms end to end over HTTP: preview first, nothing written until
//! confirmed; and the API's error envelope for unknown routes and bad parameters.

use dangbo_domain::access::Role;
use dangbo_testkit::{TestApp, TestDb, user_of};
use reqwest::StatusCode;

fn capture(pattern: &str, text: &str) -> Option<String> {
    regex::Regex::new(pattern)
        .ok()?
        .captures(text)
        .map(|c| c[1].to_string())
}

/// Uploads a members file for a preview; the page.
async fn preview_members(client: &reqwest::Client, app: &TestApp, csrf: &str, csv: &str) -> String {
    let form = reqwest::multipart::Form::new()
        .text("dataset", "members")
        .part(
            "file",
            reqwest::multipart::Part::bytes(csv.as_bytes().to_vec()).file_name("dang-vien.csv"),
        );
    let preview = client
        .post(app.url(&format!("/import?csrf={csrf}")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(preview.status(), StatusCode::OK);
    preview.text().await.unwrap()
}

#[tokio::test]
async fn a_new_preview_replaces_the_earlier_one_of_the_same_person() {
    let app = TestApp::spawn(TestDb::sqlite().await).await;
    let (client, csrf) = app.sign_in(&user_of(Role::Organization)).await;
    let csv = "Mã đảng viên,Họ và tên,Giới tính,Ngày sinh,Ngày vào Đảng,Mã chi bộ\nA3,Vi Văn Cường,Nam,01/01/1990,01/01/2020,CA\n";
    let confirm_of = |page: &str| {
        capture(r#"action="(/import/[0-9a-f]+/confirm)""#, page).expect("a confirm form")
    };
    let first = confirm_of(&preview_members(&client, &app, &csrf, csv).await);
    let second = confirm_of(&preview_members(&client, &app, &csrf, csv).await);
    assert_ne!(first, second);
    let confirm = |url: String| {
        client
            .post(app.url(&url))
            .form(&[("csrf", csrf.as_str())])
            .send()
    };
    assert_eq!(
        confirm(first).await.unwrap().status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(confirm(second).await.unwrap().status(), StatusCode::OK);
}

#[tokio::test]
async fn import_previews_then_writes_on_confirm() {
    let app = TestApp::spawn(TestDb::sqlite().await).await;
    let (client, csrf) = app.sign_in(&user_of(Role::Organization)).await;
    let csv = "Mã đảng viên,Họ và tên,Giới tính,Ngày sinh,Ngày vào Đảng,Mã chi bộ\nA3,Vi Văn Cường,Nam,01/01/1990,01/01/2020,CA\n";
    let page = preview_members(&client, &app, &csrf, csv).await;
    assert!(page.contains("id=\"import-preview\""), "{page}");
    let not_yet = client.get(app.url("/members/A3")).send().await.unwrap();
    assert_eq!(
        not_yet.status(),
        StatusCode::NOT_FOUND,
        "a preview writes nothing"
    );
    let confirm =
        capture(r#"action="(/import/[0-9a-f]+/confirm)""#, &page).expect("a confirm form");
    let done = client
        .post(app.url(&confirm))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(done.status(), StatusCode::OK);
    assert!(done.text().await.unwrap().contains("id=\"import-done\""));
    let member = client.get(app.url("/members/A3")).send().await.unwrap();
    assert_eq!(member.status(), StatusCode::OK);
    assert!(member.text().await.unwrap().contains("Vi Văn Cường"));
    // The same upload cannot be confirmed twice.
    let again = client
        .post(app.url(&confirm))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn restructure_previews_who_moves_then_applies() {
    let app = TestApp::spawn(TestDb::sqlite().await).await;
    let (client, csrf) = app.sign_in("national").await;
    let form = |step: &'static str| {
        vec![
            ("csrf", csrf.clone()),
            ("kind", "merge".to_string()),
            ("sources", "CA, CB".to_string()),
            ("new_code", "CM".to_string()),
            ("new_name", "Chi bộ hợp nhất".to_string()),
            ("unit_kind", "branch".to_string()),
            ("parent_code", "XA".to_string()),
            ("date", "01/07/2025".to_string()),
            ("decision_number", "99-QĐ/TU".to_string()),
            ("step", step.to_string()),
        ]
    };
    let preview = client
        .post(app.url("/restructure"))
        .form(&form("preview"))
        .send()
        .await
        .unwrap();
    assert_eq!(preview.status(), StatusCode::OK);
    let page = preview.text().await.unwrap();
    for (code, ..) in dangbo_testkit::fixture::MEMBERS {
        assert!(page.contains(&format!("<td>{code}</td>")), "{code} moves");
    }
    // Units by name: the new one as the form names it, the ended ones as they were called.
    assert!(
        page.contains(r#"<span title="CM">Chi bộ hợp nhất</span>"#),
        "not yet a link"
    );
    assert!(
        page.contains(r#"title="CA">Chi bộ thôn Nà Làng</a>"#),
        "the ended unit, named"
    );
    let unit = client.get(app.url("/units/CM")).send().await.unwrap();
    assert_eq!(
        unit.status(),
        StatusCode::NOT_FOUND,
        "a preview writes nothing"
    );
    let applied = client
        .post(app.url("/restructure"))
        .form(&form("apply"))
        .send()
        .await
        .unwrap();
    assert_eq!(applied.status(), StatusCode::OK);
    let figures: serde_json::Value = TestApp::get_json(
        &client,
        &app.url("/api/v1/figures?unit=CM&keys=members.total"),
    )
    .await;
    assert_eq!(figures["figures"][0]["value"], 4);
    // The units' pages say where they went and where the new one came from, by name.
    let ended = TestApp::get_text(&client, &app.url("/units/CA?as_of=30/06/2025")).await;
    assert!(
        ended.contains(">Chi bộ hợp nhất</a>"),
        "CA went to the merged branch, named"
    );
    let merged = TestApp::get_text(&client, &app.url("/units/CM?as_of=01/07/2025")).await;
    assert!(
        merged.contains(">Chi bộ thôn Nà Làng</a>"),
        "CM came from CA, named"
    );
    let tree = client
        .get(app.url("/units"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        tree.contains("title=\"CM\">Chi bộ hợp nhất</a>"),
        "the history under the tree names the units"
    );
    assert!(
        tree.contains("href=\"/units/CM\""),
        "the history under the tree names the new unit"
    );
    let audit = client
        .get(app.url("/admin/audit?kind=unit"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(audit.contains("Sắp xếp: hợp nhất"), "the action in words");
    assert!(!audit.contains("restructure.merge"));
    // A refused plan names the field.
    let mut bad = form("preview");
    bad.retain(|(k, _)| *k != "date");
    let refused = client
        .post(app.url("/restructure"))
        .form(&bad)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = refused.text().await.unwrap();
    assert!(
        page.contains(r#"aria-invalid="true""#) && page.contains("cần ngày dạng dd/mm/yyyy"),
        "the date field is marked: {page}"
    );
}

/// Posts the restructure wizard's fields; the status and the page.
async fn wizard(
    client: &reqwest::Client,
    app: &TestApp,
    fields: &[(&str, &str)],
) -> (StatusCode, String) {
    let response = client
        .post(app.url("/restructure"))
        .form(fields)
        .send()
        .await
        .unwrap();
    (response.status(), response.text().await.unwrap())
}

#[tokio::test]
async fn a_branch_is_split_by_picking_each_member_step_by_step() {
    let app = TestApp::spawn(TestDb::sqlite().await).await;
    let (client, csrf) = app.sign_in(&user_of(Role::Organization)).await;
    let csrf = csrf.as_str();
    let first = TestApp::get_text(&client, &app.url("/restructure")).await;
    assert!(first.contains(r#"type="radio" name="kind" value="split""#));
    // The units step lists the scope's tree to pick from; its root is the level above's to change.
    let (status, units) = wizard(
        &client,
        &app,
        &[("csrf", csrf), ("kind", "split"), ("step", "units")],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        units.contains(r#"type="radio" name="source" value="CA""#),
        "{units}"
    );
    assert!(units.contains(r#"name="source" value="XA" disabled"#));
    assert!(
        !units.contains(r#"value="CB""#),
        "nothing outside the scope"
    );
    // The branch typed by its name; the parts step offers its members by name, the new units
    // placed under its parent unless said otherwise.
    let mut fields = vec![
        ("csrf", csrf),
        ("kind", "split"),
        ("sources", "Chi bộ thôn Nà Làng"),
        ("unit_kind", "branch"),
        ("date", "01/07/2025"),
        ("decision_number", "12-QĐ/ĐU"),
    ];
    let (status, parts) = wizard(
        &client,
        &app,
        &[fields.clone(), vec![("step", "parts")]].concat(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{parts}");
    assert!(parts.contains(r#"<select name="member:A1""#), "{parts}");
    assert!(parts.contains("Lường Thị Ánh"));
    assert!(parts.contains(r#"name="parent_code" value="XA""#));
    assert!(
        parts.contains(r#"name="sources" value="CA""#),
        "the name became the code"
    );
    // One more new unit on request, the choices so far kept.
    let (_, more) = wizard(
        &client,
        &app,
        &[
            fields.clone(),
            vec![
                ("part_code", "CA1"),
                ("part_code", ""),
                ("step", "add_part"),
            ],
        ]
        .concat(),
    )
    .await;
    assert_eq!(more.matches(r#"name="part_code""#).count(), 3, "{more}");
    assert!(more.contains(r#"name="part_code" value="CA1""#));
    // Enter in a field goes on to the next step, never back.
    let default_button =
        regex::Regex::new(r#"<button type="submit" name="step" value="([a-z_]+)""#).unwrap();
    assert_eq!(&default_button.captures(&more).unwrap()[1], "preview");
    // The commune itself is split by the level above: refused, every choice kept on the page.
    let (status, root) = wizard(
        &client,
        &app,
        &[
            ("csrf", csrf),
            ("kind", "split"),
            ("sources", "XA"),
            ("unit_kind", "branch"),
            ("date", "01/07/2025"),
            ("decision_number", "12-QĐ/ĐU"),
            ("step", "parts"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        root.contains("là đơn vị gốc trong phạm vi của bạn"),
        "{root}"
    );
    assert!(root.contains(r#"value="12-QĐ/ĐU""#), "the decision is kept");
    // A plan the store refuses for the scope at the preview keeps the page too.
    let (status, rename) = wizard(
        &client,
        &app,
        &[
            ("csrf", csrf),
            ("kind", "rename"),
            ("sources", "XA"),
            ("new_name", "Đảng ủy xã mới"),
            ("date", "01/07/2025"),
            ("decision_number", "13-QĐ/ĐU"),
            ("step", "preview"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        rename.contains("là đơn vị gốc trong phạm vi của bạn"),
        "{rename}"
    );
    assert!(
        rename.contains(r#"value="13-QĐ/ĐU""#),
        "the decision is kept"
    );
    // At most 30 new units, whatever is asked; a form with more fields than any split needs is
    // refused before it is read.
    let mut many = vec![("csrf", csrf), ("kind", "split"), ("sources", "CA")];
    many.extend([("unit_kind", "branch"), ("date", "01/07/2025")]);
    many.extend(std::iter::repeat_n(("part_code", ""), 30));
    many.push(("step", "add_part"));
    let (_, capped) = wizard(&client, &app, &many).await;
    assert_eq!(capped.matches(r#"name="part_code""#).count(), 30);
    let mut huge = vec![("csrf", csrf), ("kind", "split"), ("step", "parts")];
    huge.extend(std::iter::repeat_n(("member:A1", "1"), 20_001));
    let (status, _) = wizard(&client, &app, &huge).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    fields.extend([
        ("parent_code", "XA"),
        ("part_code", "CA1"),
        ("part_name", "Chi bộ thôn Nà Làng Trên"),
        ("part_code", "CA2"),
        ("part_name", "Chi bộ thôn Nà Làng Dưới"),
        ("member:A1", "1"),
    ]);
    // A member left without a new unit is named, and nothing is written.
    let (status, missing) = wizard(
        &client,
        &app,
        &[fields.clone(), vec![("step", "apply")]].concat(),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        missing.contains("chưa chọn đơn vị mới cho 1: Lường Thị Ánh"),
        "{missing}"
    );
    fields.push(("member:A2", "2"));
    let (status, preview) = wizard(
        &client,
        &app,
        &[fields.clone(), vec![("step", "preview")]].concat(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{preview}");
    assert!(preview.contains("Đơn vị sẽ thành lập"));
    assert!(
        preview
            .contains("<td>A2</td><td>Chi bộ thôn Nà Làng</td><td>Chi bộ thôn Nà Làng Dưới</td>"),
        "who goes where: {preview}"
    );
    assert_eq!(
        client
            .get(app.url("/units/CA1"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NOT_FOUND,
        "a preview writes nothing"
    );
    let (status, done) = wizard(
        &client,
        &app,
        &[fields.clone(), vec![("step", "apply")]].concat(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{done}");
    assert!(done.contains("Đã thực hiện sắp xếp tổ chức.") && done.contains("Đơn vị đã thành lập"));
    assert!(done.contains(r#"<a href="/units/CA1" title="CA1">Chi bộ thôn Nà Làng Trên</a>"#));
    for (unit, member) in [("CA1", "A1"), ("CA2", "A2")] {
        let page = TestApp::get_text(&client, &app.url(&format!("/members/{member}"))).await;
        assert!(
            page.contains(&format!("/units/{unit}")),
            "{member} is in {unit}"
        );
    }
    // A unit outside the scope cannot be named, by code or by name.
    let (status, refused) = wizard(
        &client,
        &app,
        &[
            ("csrf", csrf),
            ("kind", "rename"),
            ("sources", "CB"),
            ("new_name", "X"),
            ("date", "01/07/2025"),
            ("step", "preview"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.contains("không có đơn vị «CB» trong phạm vi của bạn"),
        "{refused}"
    );
}

#[tokio::test]
async fn a_committee_split_moves_each_sub_unit_whole() {
    let app = TestApp::spawn(TestDb::sqlite().await).await;
    let (client, csrf) = app.sign_in("national").await;
    let fields = [
        ("csrf", csrf.as_str()),
        ("kind", "split"),
        ("source", "XA"),
        ("unit_kind", "commune"),
        ("date", "01/07/2025"),
        ("part_code", "XA1"),
        ("part_name", "Đảng ủy xã Một"),
        ("part_code", "XA2"),
        ("part_name", "Đảng ủy xã Hai"),
        ("unit:CA", "2"),
    ];
    let (_, parts) = wizard(&client, &app, &[&fields[..], &[("step", "parts")]].concat()).await;
    assert!(parts.contains(r#"<select name="unit:CA""#), "{parts}");
    assert!(
        parts.contains("<th>Tên đơn vị</th>"),
        "sub-units headed by their name"
    );
    assert!(
        !parts.contains(r#"name="member:A1""#),
        "members move with their branch"
    );
    let (status, done) = wizard(&client, &app, &[&fields[..], &[("step", "apply")]].concat()).await;
    assert_eq!(status, StatusCode::OK, "{done}");
    let figures: serde_json::Value = TestApp::get_json(
        &client,
        &app.url("/api/v1/figures?unit=XA2&keys=members.total"),
    )
    .await;
    assert_eq!(
        figures["figures"][0]["value"], 2,
        "the branch took its members along"
    );
}

#[tokio::test]
async fn api_errors_use_the_envelope_everywhere() {
    let app = TestApp::spawn(TestDb::sqlite().await).await;
    let (client, _) = app.sign_in(&user_of(Role::Viewer)).await;
    let unknown = client
        .get(app.url("/api/v1/nothing-here"))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    let body: serde_json::Value = unknown.json().await.unwrap();
    assert_eq!(body["error"]["code"], "not_found");
    let bad = client
        .get(app.url("/api/v1/members?min_age=old"))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    let body: serde_json::Value = bad.json().await.unwrap();
    assert_eq!(body["error"]["code"], "bad_request");
    let page = client.get(app.url("/no-such-page")).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::NOT_FOUND);
    assert!(page.text().await.unwrap().contains("Không tìm thấy"));
}

#[tokio::test]
async fn a_future_dated_event_is_scheduled_not_applied() {
    let app = TestApp::spawn(TestDb::sqlite().await).await;
    let (client, csrf) = app.sign_in(&user_of(Role::Organization)).await;
    let next_year = chrono::Local::now().date_naive() + chrono::Duration::days(400);
    let date = next_year.format("%d/%m/%Y").to_string();
    let recorded = client
        .post(app.url("/members/A1/events"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("kind", "removal"),
            ("date", date.as_str()),
            ("decision_number", "7-QĐ/ĐU"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(recorded.status(), StatusCode::SEE_OTHER);
    let page = client
        .get(app.url("/members/A1"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let status = capture(r#"id="member-status">([^<]*)<"#, &page).unwrap();
    assert_eq!(status, "Chính thức", "today's status is unchanged");
    let scheduled = page
        .split(r#"id="scheduled-events""#)
        .nth(1)
        .expect("a scheduled list");
    assert!(scheduled.contains(&date) && scheduled.contains("Xóa tên"));
    // The member is still counted today, and the API marks the event as scheduled.
    let list = client
        .get(app.url("/members"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(list.contains("Nguyễn Văn An"));
    let events: serde_json::Value =
        TestApp::get_json(&client, &app.url("/api/v1/members/A1/events")).await;
    let last = events.as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["kind"], "removal");
    assert_eq!(last["scheduled"], true);
}

#[tokio::test]
async fn an_edit_from_a_stale_copy_is_refused_on_the_page_and_the_api() {
    let app = TestApp::spawn(TestDb::sqlite().await).await;
    let (client, csrf) = app.sign_in(&user_of(Role::Organization)).await;
    let read: serde_json::Value = TestApp::get_json(&client, &app.url("/api/v1/members/A1")).await;
    let version = read["version"].as_i64().unwrap().to_string();
    // The whole record as GET gave it (the version as its number), with a new phone.
    let record =
        |phone: &str| dangbo_testkit::record_body(&read, &[("phone", serde_json::json!(phone))]);
    // A body that leaves fields out would erase them: refused, naming them.
    let partial = client
        .put(app.url("/api/v1/members/A1"))
        .header("x-csrf-token", &csrf)
        .json(
            &serde_json::json!({ "version": version, "phone": "0912000009", "phone_number": "x" }),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(partial.status(), StatusCode::BAD_REQUEST);
    let refusal: serde_json::Value = partial.json().await.unwrap();
    let fields: Vec<&str> = refusal["error"]["details"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|d| d["field"].as_str())
        .collect();
    assert!(
        fields.contains(&"phone_number") && fields.contains(&"full_name"),
        "{refusal}"
    );
    let first = client
        .put(app.url("/api/v1/members/A1"))
        .header("x-csrf-token", &csrf)
        .json(&record("0912000001"))
        .send()
        .await
        .unwrap();
    assert_eq!(first.status(), StatusCode::OK);
    let moved: serde_json::Value = first.json().await.unwrap();
    assert!(moved["version"].as_i64().unwrap() > version.parse::<i64>().unwrap());
    let after: serde_json::Value = TestApp::get_json(&client, &app.url("/api/v1/members/A1")).await;
    assert_eq!(after["phone"], "0912000001");
    assert_eq!(after["ethnicity"], read["ethnicity"], "other fields kept");
    // A second writer who read the same version is told, not overwritten silently.
    let second = client
        .put(app.url("/api/v1/members/A1"))
        .header("x-csrf-token", &csrf)
        .json(&record("0912000002"))
        .send()
        .await
        .unwrap();
    assert_eq!(second.status(), StatusCode::CONFLICT);
    let body: serde_json::Value = second.json().await.unwrap();
    assert_eq!(body["error"]["code"], "conflict");
    let page = client
        .post(app.url("/members/A1"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("version", version.as_str()),
            ("full_name", read["full_name"].as_str().unwrap()),
            ("sex", read["sex"].as_str().unwrap()),
            ("birth_date", read["birth_date"].as_str().unwrap()),
            ("phone", "0912000003"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::CONFLICT);
    let html = page.text().await.unwrap();
    assert!(html.contains(r#"id="stale""#), "{html}");
    let now: serde_json::Value = TestApp::get_json(&client, &app.url("/api/v1/members/A1")).await;
    assert_eq!(now["phone"], "0912000001", "the first change stands");
}

/// The numbers of a page's links marked `data-key="<prefix>…"`: (key, value).
fn marked(page: &str, prefix: &str) -> Vec<(String, i64)> {
    let pattern = regex::Regex::new(&format!(
        r#"data-key="({}[^"]*)">([0-9.]+)<"#,
        regex::escape(prefix)
    ))
    .unwrap();
    pattern
        .captures_iter(page)
        .map(|c| (c[1].to_string(), c[2].replace('.', "").parse().unwrap()))
        .collect()
}

#[tokio::test]
async fn the_dashboard_balances_the_period() {
    let app = TestApp::spawn(TestDb::sqlite().await).await;
    let (client, csrf) = app.sign_in("national").await;
    // B1 leaves and comes back (to a branch named, not coded), B2 is expelled and restored: each
    // return is one increase, never two (admissions include readmissions).
    for (member, kind, date, to_unit) in [
        ("A1", "death", "10/05/2021", ""),
        ("A2", "expulsion", "01/06/2021", ""),
        ("B1", "removal", "01/02/2015", ""),
        ("B1", "readmission", "01/03/2021", "Chi bộ thôn Khuổi Khí"),
        ("B2", "expulsion", "01/02/2016", ""),
        ("B2", "restoration", "01/04/2021", ""),
    ] {
        let recorded = client
            .post(app.url(&format!("/members/{member}/events")))
            .form(&[
                ("csrf", csrf.as_str()),
                ("kind", kind),
                ("date", date),
                ("decision_number", "9-QĐ/ĐU"),
                ("to_unit", to_unit),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(recorded.status(), StatusCode::SEE_OTHER, "{member} {kind}");
    }
    // The log names the unit the member returned to, never its id.
    let audit = TestApp::get_text(&client, &app.url("/admin/audit?kind=member")).await;
    assert!(
        audit.contains("Đến đơn vị: Chi bộ thôn Khuổi Khí (CB)"),
        "{audit}"
    );
    // A commune that lost both its members, the whole database, and a period with no change.
    let national = client;
    for (unit, from, to, expected) in [
        ("XA", "01/01/2021", "31/12/2021", (2, 0, 2, 0)),
        ("", "01/01/2021", "31/12/2021", (2, 2, 2, 2)),
        ("XB", "01/01/2021", "31/12/2021", (0, 2, 0, 2)),
        ("XB", "01/03/2021", "31/03/2021", (0, 1, 0, 1)),
        ("XB", "01/04/2021", "30/04/2021", (1, 1, 0, 2)),
        ("XB", "01/01/2015", "31/12/2016", (2, 0, 2, 0)),
        ("XA", "01/01/2010", "31/12/2010", (0, 2, 0, 2)),
    ] {
        let page = TestApp::get_text(
            &national,
            &app.url(&format!(
                "/?unit={unit}&as_of=31/12/2022&from={from}&to={to}"
            )),
        )
        .await;
        let value = |key: &str| {
            marked(&page, key)
                .first()
                .unwrap_or_else(|| panic!("{unit} {from}: no {key}"))
                .1
        };
        let added: i64 = marked(&page, "balance.in.").iter().map(|(_, v)| v).sum();
        let removed: i64 = marked(&page, "balance.out.").iter().map(|(_, v)| v).sum();
        let (start, end) = (value("balance.start"), value("balance.end"));
        assert_eq!(
            (start, added, removed, end),
            expected,
            "unit «{unit}» {from}–{to}"
        );
        assert_eq!(start + added - removed, end);
        assert!(
            page.contains(&format!("{start} + {added} − {removed} = {end}<")),
            "the identity is written out"
        );
        assert_eq!(marked(&page, "balance.in.").len(), 6);
        assert_eq!(marked(&page, "balance.out.").len(), 6);
    }
}

/// The structure's entries: (figure key, count, percent as written).
fn shares(page: &str) -> Vec<(String, i64, String)> {
    let pattern =
        regex::Regex::new(r#"data-key="structure\.([^"]*)">([0-9.]+) \(([0-9,]+) %\)<"#).unwrap();
    pattern
        .captures_iter(page)
        .map(|c| {
            (
                c[1].to_string(),
                c[2].replace('.', "").parse().unwrap(),
                c[3].to_string(),
            )
        })
        .collect()
}

#[tokio::test]
async fn the_dashboard_splits_the_members_with_their_shares() {
    let app = TestApp::spawn(TestDb::sqlite().await).await;
    let (client, csrf) = app.sign_in("national").await;
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
    let page = TestApp::get_text(&client, &app.url("/?as_of=31/12/2022")).await;
    let total: i64 =
        regex::Regex::new(r#"data-key="members.total"><span class="value">([0-9.]+)<"#)
            .unwrap()
            .captures(&page)
            .expect("the members' total")[1]
            .replace('.', "")
            .parse()
            .unwrap();
    assert_eq!(total, 3);
    let entries = shares(&page);
    for (key, count, percent) in &entries {
        // Two decimals at most, a decimal comma, no trailing zeros: 1 of 3 is "33,33".
        let expected = format!("{:.2}", *count as f64 * 100.0 / total as f64)
            .trim_end_matches('0')
            .trim_end_matches('.')
            .replace('.', ",");
        assert_eq!(percent, &expected, "{key}");
    }
    let count = |key: &str| entries.iter().find(|e| e.0 == key).map(|e| e.1);
    assert_eq!(count("members.female"), Some(2));
    assert_eq!(count("members.male"), Some(1));
    assert!(page.contains(">2 (66,67 %)<") && page.contains(">1 (33,33 %)<"));
    // Each split covers every member once.
    let sum =
        |keys: &mut dyn Iterator<Item = &(String, i64, String)>| keys.map(|e| e.1).sum::<i64>();
    assert_eq!(
        count("members.male").unwrap() + count("members.female").unwrap(),
        total
    );
    for prefix in [
        "members.age.",
        "members.education.",
        "members.qualification.",
        "members.theory.",
        "members.ethnicity.",
    ] {
        let split = sum(&mut entries.iter().filter(|e| e.0.starts_with(prefix)));
        assert_eq!(split, total, "{prefix}");
    }
    // Ethnic groups read as recorded, and link to their members.
    assert!(
        page.contains(r#"<th scope="row">Tày</th>"#),
        "named as recorded"
    );
    assert!(page.contains(r#"href="/figures/members.ethnicity.tay?as_of=31%2F12%2F2022""#));
}

#[tokio::test]
async fn the_import_guide_is_a_page_of_the_app_listing_every_column() {
    use dangbo_store::access::{Dataset, column_guide};
    let app = TestApp::spawn(TestDb::sqlite().await).await;
    let (client, _) = app.sign_in(&user_of(Role::Organization)).await;
    let import = TestApp::get_text(&client, &app.url("/import")).await;
    assert!(import.contains(r#"href="/import/help""#));
    assert!(!import.contains("docs/"), "no repository path for users");
    let guide = TestApp::get_text(&client, &app.url("/import/help")).await;
    // The cases' file is the inspection commission's: not on the organization board's guide.
    assert!(!guide.contains("Mã vụ việc"));
    let (inspector, _) = app.sign_in(&user_of(Role::Inspection)).await;
    let inspection_guide = TestApp::get_text(&inspector, &app.url("/import/help")).await;
    for column in column_guide(Dataset::Inspections) {
        assert!(
            inspection_guide.contains(&format!(r#"<th scope="row">{}</th>"#, column.header)),
            "{} is explained",
            column.header
        );
    }
    for dataset in Dataset::ALL
        .into_iter()
        .filter(|d| Role::Organization.can(d.capability()))
    {
        let columns = column_guide(dataset);
        assert!(!columns.is_empty());
        for column in columns {
            assert!(
                guide.contains(&format!(r#"<th scope="row">{}</th>"#, column.header)),
                "{} is explained",
                column.header
            );
        }
        assert!(guide.contains(&format!(
            r#"href="/import/template/{}.xlsx""#,
            dataset.code()
        )));
    }
    let (viewer, _) = app.sign_in(&user_of(Role::Viewer)).await;
    let refused = viewer.get(app.url("/import/help")).send().await.unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_roster_member_older_than_the_branch_is_placed_not_transferred() {
    let app = TestApp::spawn(TestDb::sqlite().await).await;
    let (client, csrf) = app.sign_in(&user_of(Role::Organization)).await;
    let csv = "Mã đảng viên,Họ và tên,Giới tính,Ngày sinh,Ngày vào Đảng,Mã chi bộ,Nơi vào Đảng\nA5,Nông Văn Cường,Nam,01/01/1970,01/03/1999,CA,Chi bộ Đội 3\n";
    let page = preview_members(&client, &app, &csrf, csv).await;
    assert!(
        page.contains("1 đảng viên vào Đảng trước khi chi bộ thành lập"),
        "{page}"
    );
    let confirm =
        capture(r#"action="(/import/[0-9a-f]+/confirm)""#, &page).expect("a confirm form");
    let done = client
        .post(app.url(&confirm))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(done.contains("Đã ghi nhận 1 đảng viên vào Đảng trước khi chi bộ thành lập"));
    let member = TestApp::get_text(&client, &app.url("/members/A5")).await;
    assert!(
        member.contains("Ghi nhận vào chi bộ khi nhập danh sách"),
        "{member}"
    );
    let figures: serde_json::Value = TestApp::get_json(
        &client,
        &app.url("/api/v1/figures?unit=XA&from=2003-01-01&to=2003-12-31&keys=initial_placements,transfers_in"),
    )
    .await;
    assert_eq!(figures["figures"][0]["value"], 1, "{figures}");
    assert_eq!(figures["figures"][1]["value"], 0, "{figures}");
}

#[tokio::test]
async fn the_office_files_a_document_sets_its_targets_and_reports_a_value() {
    let app = TestApp::spawn(TestDb::sqlite().await).await;
    let (client, csrf) = app.sign_in(&user_of(Role::Office)).await;
    // The office imports the work programmes, not the membership records.
    let import = TestApp::get_text(&client, &app.url("/import")).await;
    assert!(import.contains(r#"value="documents""#) && import.contains(r#"value="targets""#));
    assert!(!import.contains(r#"value="members""#), "{import}");
    let form = TestApp::get_text(&client, &app.url("/documents/new")).await;
    assert!(form.contains(r#"id="document-form""#));
    let post = async |path: &str, fields: &[(&str, &str)]| {
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend_from_slice(fields);
        client.post(app.url(path)).form(&all).send().await.unwrap()
    };
    let resolution = [
        ("unit", "XA"),
        ("kind", "resolution"),
        ("number", "05-NQ/ĐU"),
        ("title", "Nghị quyết về nhiệm vụ năm 2021"),
        ("signed_on", "20/12/2020"),
        ("valid_from", "01/01/2021"),
        ("valid_to", "31/12/2021"),
        ("domain", "party_building"),
        ("issuing_body", ""),
        ("implements", ""),
    ];
    // A bad form comes back with each problem beside its field, in Vietnamese.
    let mut bad = resolution;
    bad[2] = ("number", "05-KH/ĐU");
    bad[4] = ("signed_on", "31/02/2020");
    bad[0] = ("unit", "XB");
    let refused = post("/documents", &bad).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = refused.text().await.unwrap();
    for (field, words) in [
        ("number", "không phải «NQ»"),
        ("signed_on", "31/02/2020"),
        ("unit", "không có đơn vị «XB» trong phạm vi của bạn"),
    ] {
        let error = capture(&format!(r#"id="d-{field}-err">([^<]*)<"#), &page).unwrap_or_default();
        assert!(error.contains(words), "{field}: «{error}» in the page");
    }
    assert_eq!(app.test_db.count("documents").await, 0);
    let filed = post("/documents", &resolution).await;
    assert_eq!(filed.status(), StatusCode::SEE_OTHER);
    let location = filed.headers()["location"].to_str().unwrap().to_string();
    let id = capture(r"^/documents/(\d+)\?ok=filed$", &location).expect("the document's page");
    let page = TestApp::get_text(&client, &app.url(&location)).await;
    assert!(page.contains("Đã lưu văn bản."));
    // A target on it: a ratio is never pinned with "=", then a good one, then a reported one.
    let target_path = format!("/documents/{id}/targets");
    let ratio = [
        ("text", "Tỷ lệ đảng viên nữ đạt 40 %"),
        ("unit", "XA"),
        ("domain", "party_building"),
        ("from", "01/01/2021"),
        ("to", "31/12/2021"),
        ("figure", "members.female.share"),
        ("comparator", "="),
        ("value", "40"),
    ];
    let refused = post(&target_path, &ratio).await;
    let page = refused.text().await.unwrap();
    assert!(
        capture(r#"id="t-comparator-err">([^<]*)<"#, &page)
            .unwrap_or_default()
            .contains("«=»"),
        "a ratio is not compared with ="
    );
    let admissions = [
        ("text", "Kết nạp từ 2 đảng viên mới"),
        ("unit", "Đảng ủy xã An Thắng"),
        ("domain", "organization"),
        ("from", "01/01/2021"),
        ("to", "31/12/2021"),
        ("figure", "admissions"),
        ("comparator", ">="),
        ("value", "2"),
    ];
    let set = post(&target_path, &admissions).await;
    assert_eq!(
        set.status(),
        StatusCode::SEE_OTHER,
        "{}",
        set.text().await.unwrap()
    );
    let income = [
        ("text", "Thu nhập bình quân đầu người đạt 40 triệu đồng"),
        ("unit", "XA"),
        ("domain", "economy"),
        ("from", "01/01/2021"),
        ("to", "31/12/2021"),
        ("figure", ""),
        ("comparator", ">="),
        ("value", "40"),
    ];
    assert_eq!(
        post(&target_path, &income).await.status(),
        StatusCode::SEE_OTHER
    );
    let page = TestApp::get_text(&client, &app.url(&format!("/documents/{id}"))).await;
    let income_id = capture(r#"action="/documents/\d+/targets/(\d+)/value""#, &page)
        .expect("a value form for the reported target only");
    assert_eq!(
        page.matches("/value\"").count(),
        1,
        "the admissions target is counted, not reported"
    );
    // A value that does not read comes back named; a good one is recorded with its source.
    let value_path = format!("/documents/{id}/targets/{income_id}/value");
    let refused = post(
        &value_path,
        &[
            ("value", "bốn mươi"),
            ("as_of", "31/12/2021"),
            ("source", ""),
        ],
    )
    .await;
    let page = refused.text().await.unwrap();
    assert!(page.contains("«bốn mươi» không phải số"), "{page}");
    assert!(page.contains("cần nguồn số liệu"));
    let reported = post(
        &value_path,
        &[
            ("value", "42,5"),
            ("as_of", "31/12/2021"),
            ("source", "Báo cáo số 98-BC/UBND"),
        ],
    )
    .await;
    assert_eq!(reported.status(), StatusCode::SEE_OTHER);
    let page = TestApp::get_text(&client, &app.url(&format!("/documents/{id}"))).await;
    assert!(
        page.contains("42,5 ngày 31/12/2021 · Báo cáo số 98-BC/UBND"),
        "{page}"
    );
    let summary = TestApp::get_text(
        &client,
        &app.url("/targets?unit=XA&from=01/01/2021&to=31/12/2021"),
    )
    .await;
    assert!(
        summary.contains(r#"data-domain="economy">1/1<"#),
        "{summary}"
    );
    // The targets met as a figure: its records are the targets, listed without a member's link.
    let met = TestApp::get_text(
        &client,
        &app.url("/figures/targets.met?unit=XA&as_of=31/12/2021&from=01/01/2021&to=31/12/2021"),
    )
    .await;
    assert!(
        met.contains("Thu nhập bình quân đầu người đạt 40 triệu đồng"),
        "{met}"
    );
    assert!(!met.contains("/members/05-NQ"), "a target is no member");
    // A task: an unreadable deadline is named and nothing is assigned; then assigned, and its
    // progress recorded; the unit's task list shows it.
    let task_path = format!("/documents/{id}/tasks");
    let refused = post(
        &task_path,
        &[
            ("text", "Kiện toàn chi bộ thôn Nà Làng"),
            ("unit", "CA"),
            ("owner", ""),
            ("assigned_on", "31/04/2021"),
            ("deadline", "30/06/2021"),
        ],
    )
    .await;
    let page = refused.text().await.unwrap();
    for (field, words) in [("owner", "chủ trì"), ("assigned_on", "31/04/2021")] {
        let error = capture(&format!(r#"id="k-{field}-err">([^<]*)<"#), &page).unwrap_or_default();
        assert!(error.contains(words), "{field}: «{error}»");
    }
    assert_eq!(
        app.test_db.count("tasks").await,
        0,
        "an unreadable date assigns nothing"
    );
    let assigned = post(
        &task_path,
        &[
            ("text", "Kiện toàn chi bộ thôn Nà Làng"),
            ("unit", "CA"),
            ("owner", "Ban Tổ chức Đảng ủy"),
            ("assigned_on", "05/01/2021"),
            ("deadline", "30/06/2021"),
        ],
    )
    .await;
    assert_eq!(assigned.status(), StatusCode::SEE_OTHER);
    let page = TestApp::get_text(&client, &app.url(&format!("/documents/{id}"))).await;
    let task_id = capture(r#"action="/documents/\d+/tasks/(\d+)/reports""#, &page).unwrap();
    assert!(
        page.contains(r#"data-state="overdue""#),
        "past its deadline, not done"
    );
    let progress_path = format!("/documents/{id}/tasks/{task_id}/reports");
    let refused = post(
        &progress_path,
        &[
            ("reported_on", "01/01/2020"),
            ("state", "done"),
            ("note", ""),
        ],
    )
    .await;
    assert!(refused.text().await.unwrap().contains("trước ngày giao"));
    let done = post(
        &progress_path,
        &[
            ("reported_on", "20/06/2021"),
            ("state", "done"),
            ("note", "Đã bầu bổ sung bí thư chi bộ"),
        ],
    )
    .await;
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    let page = TestApp::get_text(&client, &app.url(&format!("/documents/{id}"))).await;
    assert!(page.contains("20/06/2021 · Hoàn thành · Đã bầu bổ sung bí thư chi bộ"));
    let list = TestApp::get_text(&client, &app.url("/tasks?unit=XA&as_of=01/06/2021")).await;
    assert!(
        list.contains(r#"id="tasks-due-soon""#),
        "due on 30/06: {list}"
    );
    assert!(list.contains(r#"<span data-state="in_progress">Đang thực hiện: 0</span>"#));
    let list = TestApp::get_text(&client, &app.url("/tasks?unit=XA&as_of=01/07/2021")).await;
    assert!(
        list.contains(r#"<span data-state="done">Hoàn thành: 1</span>"#),
        "{list}"
    );
    // The document's signed copy: a file that only pretends to be a PDF is refused; a PDF is
    // kept and comes back as it went in, under its own name.
    let upload = async |name: &str, bytes: &[u8]| {
        let form = reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(bytes.to_vec()).file_name(name.to_string()),
        );
        client
            .post(app.url(&format!("/documents/{id}/file?csrf={csrf}")))
            .multipart(form)
            .send()
            .await
            .unwrap()
    };
    let refused = upload("Nghị quyết 05.pdf", b"MZ\x90\x00 not a pdf").await;
    let page = refused.text().await.unwrap();
    assert!(
        capture(r#"id="f-file-err">([^<]*)<"#, &page)
            .unwrap_or_default()
            .contains("không phải tệp PDF thật"),
        "{page}"
    );
    let pdf = b"%PDF-1.4\n% a resolution\n%%EOF\n";
    assert_eq!(
        upload("Nghị quyết 05.pdf", pdf).await.status(),
        StatusCode::SEE_OTHER
    );
    let page = TestApp::get_text(&client, &app.url(&format!("/documents/{id}"))).await;
    assert!(page.contains("Nghị quyết 05.pdf (1 KB)"), "{page}");
    let download = client
        .get(app.url(&format!("/documents/{id}/file")))
        .send()
        .await
        .unwrap();
    assert_eq!(download.headers()["content-type"], "application/pdf");
    let disposition = download.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        disposition.contains("filename*=UTF-8''Ngh%E1%BB%8B"),
        "{disposition}"
    );
    assert_eq!(download.bytes().await.unwrap().as_ref(), pdf);
    // A viewer reads the page without the forms, and may not post them.
    let (viewer, viewer_csrf) = app.sign_in(&user_of(Role::Viewer)).await;
    let page = TestApp::get_text(&viewer, &app.url(&format!("/documents/{id}"))).await;
    assert!(!page.contains("target-form") && !page.contains("/value\""));
    assert!(!page.contains("task-form") && !page.contains("/reports\""));
    let forbidden = viewer
        .post(app.url(&target_path))
        .form(&[("csrf", viewer_csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(forbidden.status(), StatusCode::FORBIDDEN);
}

/// A document of the province (T) for 2021, filed by the whole database's administrator.
async fn province_document(app: &TestApp, kind: &str, number: &str, title: &str) {
    let day = |d: u32, m: u32| chrono::NaiveDate::from_ymd_opt(2021, m, d);
    dangbo_testkit::fixture::system(&app.test_db)
        .programmes()
        .unwrap()
        .add_document(&dangbo_store::access::NewDocument {
            unit: "T".into(),
            kind: kind.into(),
            number: number.into(),
            title: title.into(),
            signed_on: day(5, 1),
            valid_from: day(1, 1),
            valid_to: day(31, 12),
            domain: "Kinh tế".into(),
            ..Default::default()
        })
        .await
        .unwrap();
}

#[tokio::test]
async fn a_commune_records_progress_on_a_task_its_province_gave_it() {
    let app = TestApp::spawn(TestDb::sqlite().await).await;
    let national = dangbo_testkit::fixture::system(&app.test_db);
    let writer = national.programmes().unwrap();
    let day = |d: u32, m: u32| chrono::NaiveDate::from_ymd_opt(2021, m, d);
    province_document(&app, "Kế hoạch", "12-KH/TU", "Kế hoạch năm 2021").await;
    let task = writer
        .add_task(&dangbo_store::access::NewTask {
            document: "12-KH/TU".into(),
            unit: "XA".into(),
            text: "Rà soát quy hoạch cán bộ".into(),
            owner: "Đảng ủy xã An Thắng".into(),
            deadline: day(30, 6),
            ..Default::default()
        })
        .await
        .unwrap();
    // The commune's office cannot open the province's plan, but sees the task in its list and
    // records its progress there.
    let (client, csrf) = app.sign_in(&user_of(Role::Office)).await;
    let list = TestApp::get_text(&client, &app.url("/tasks?unit=XA&as_of=01/06/2021")).await;
    assert!(
        list.contains(&format!(r#"action="/tasks/{task}/reports""#)),
        "{list}"
    );
    let post = async |fields: &[(&str, &str)]| {
        let mut all = vec![
            ("csrf", csrf.as_str()),
            ("unit", "XA"),
            ("as_of", "01/06/2021"),
        ];
        all.extend_from_slice(fields);
        client
            .post(app.url(&format!("/tasks/{task}/reports")))
            .form(&all)
            .send()
            .await
            .unwrap()
    };
    let refused = post(&[("reported_on", "30/02/2021"), ("state", "done")]).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = refused.text().await.unwrap();
    assert!(
        capture(&format!(r#"id="p{task}-reported_on-err">([^<]*)<"#), &page)
            .unwrap_or_default()
            .contains("30/02/2021"),
        "{page}"
    );
    let done = post(&[
        ("reported_on", "20/05/2021"),
        ("state", "done"),
        ("note", "Xong"),
    ])
    .await;
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    let back = done.headers()["location"].to_str().unwrap().to_string();
    assert!(back.starts_with("/tasks?unit=XA"), "{back}");
    let list = TestApp::get_text(&client, &app.url(&back)).await;
    assert!(list.contains("Đã ghi tiến độ."));
    assert!(list.contains(r#"<span data-state="done">Hoàn thành: 1</span>"#));
}

#[tokio::test]
async fn a_commune_reports_its_part_of_a_province_target_on_the_summary() {
    let app = TestApp::spawn(TestDb::sqlite().await).await;
    let national = dangbo_testkit::fixture::system(&app.test_db);
    let writer = national.programmes().unwrap();
    let day = |d: u32, m: u32| chrono::NaiveDate::from_ymd_opt(2021, m, d);
    province_document(
        &app,
        "Nghị quyết",
        "15-NQ/TU",
        "Nghị quyết về trồng rừng năm 2021",
    )
    .await;
    let target =
        |unit: &str, text: &str, value: f64, whole: &str| dangbo_store::access::NewTarget {
            document: "15-NQ/TU".into(),
            unit: unit.into(),
            text: text.into(),
            domain: "economy".into(),
            from: day(1, 1),
            to: day(31, 12),
            comparator: ">=".into(),
            value: Some(value),
            allocated_from: whole.into(),
            ..Default::default()
        };
    writer
        .add_target(&target("T", "Trồng mới 500 ha rừng", 500.0, ""))
        .await
        .unwrap();
    let part = writer
        .add_target(&target(
            "XA",
            "Xã An Thắng trồng mới 120 ha rừng",
            120.0,
            "Trồng mới 500 ha rừng",
        ))
        .await
        .unwrap();
    let (client, csrf) = app.sign_in(&user_of(Role::Office)).await;
    let summary_url = "/targets?unit=XA&from=01/01/2021&to=31/12/2021";
    let page = TestApp::get_text(&client, &app.url(summary_url)).await;
    assert!(
        page.contains(&format!(r#"action="/targets/{part}/values""#)),
        "{page}"
    );
    let post = async |fields: &[(&str, &str)]| {
        let mut all = vec![
            ("csrf", csrf.as_str()),
            ("unit", "XA"),
            ("from", "01/01/2021"),
            ("to", "31/12/2021"),
        ];
        all.extend_from_slice(fields);
        client
            .post(app.url(&format!("/targets/{part}/values")))
            .form(&all)
            .send()
            .await
            .unwrap()
    };
    let refused = post(&[
        ("value", "một trăm"),
        ("as_of", "31/12/2021"),
        ("source", ""),
    ])
    .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = refused.text().await.unwrap();
    assert!(
        capture(&format!(r#"id="v{part}-value-err">([^<]*)<"#), &page)
            .unwrap_or_default()
            .contains("«một trăm» không phải số")
    );
    assert!(page.contains("cần nguồn số liệu"));
    let reported = post(&[
        ("value", "126,5"),
        ("as_of", "31/12/2021"),
        ("source", "Báo cáo số 30-BC/UBND"),
    ])
    .await;
    assert_eq!(reported.status(), StatusCode::SEE_OTHER);
    let back = reported.headers()["location"].to_str().unwrap().to_string();
    let page = TestApp::get_text(&client, &app.url(&back)).await;
    assert!(page.contains("Đã ghi số báo cáo."));
    assert!(page.contains("126,5"), "{page}");
    assert!(page.contains(r#"data-domain="economy">1/1<"#));
}
