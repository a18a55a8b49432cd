//! The inspection pages: a case recorded, concluded and decided through the forms, a decision
//! past the limitation period refused on the page with its dates, the discipline on the member's
//! page, the counts without their records for other boards, and the cases' absence to them.

use dangbo_domain::access::Role;
use dangbo_testkit::{TestApp, conformance_app, user_of};
use reqwest::StatusCode;

async fn a_case_goes_through_its_steps_on_the_pages(app: &TestApp) {
    let (client, csrf) = app.sign_in(&user_of(Role::Inspection)).await;
    let post = async |path: &str, fields: &[(&str, &str)]| {
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend_from_slice(fields);
        client.post(app.url(path)).form(&all).send().await.unwrap()
    };
    // A subject outside the deciding unit is named on its field; nothing is written.
    let refused = post(
        "/inspections",
        &[
            ("code", "KT-01"),
            ("kind", "signs_of_violation"),
            ("unit", "XA"),
            ("body", "commission"),
            ("decision_number", "01-QĐ/UBKT"),
            ("decided_on", "10/03/2025"),
            ("subjects", "A1\nB1"),
        ],
    )
    .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text().await.unwrap().contains("«B1»"));
    assert_eq!(app.test_db.count("inspection_cases").await, 0);
    let created = post(
        "/inspections",
        &[
            ("code", "KT-01"),
            ("kind", "signs_of_violation"),
            ("unit", "XA"),
            ("body", "commission"),
            ("decision_number", "01-QĐ/UBKT"),
            ("decided_on", "10/03/2025"),
            ("subjects", "A1\nA2, CA"),
        ],
    )
    .await;
    assert_eq!(created.status(), StatusCode::SEE_OTHER);
    let concluded = post(
        "/inspections/KT-01/conclusion",
        &[
            ("concluded_on", "10/06/2025"),
            ("conclusion.A1", "to_be_disciplined"),
            ("conclusion.A2", "to_be_disciplined"),
            ("conclusion.CA", "no_violation"),
        ],
    )
    .await;
    assert_eq!(concluded.status(), StatusCode::SEE_OTHER);
    // Past the five years of a reprimand: refused with the period and the dates.
    let late = post(
        "/inspections/KT-01/decisions",
        &[
            ("subject", "A1"),
            ("form", "reprimand"),
            ("decided_by", "XA"),
            ("decision_number", "7-QĐ/ĐU"),
            ("decided_on", "01/07/2025"),
            ("violation_on", "01/03/2019"),
        ],
    )
    .await;
    assert_eq!(late.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = late.text().await.unwrap();
    assert!(
        page.contains("hết thời hiệu 5 năm") && page.contains("01/03/2024"),
        "{page}"
    );
    // The values typed stay in the form.
    assert!(page.contains(r#"value="01/03/2019""#));
    let decided = post(
        "/inspections/KT-01/decisions",
        &[
            ("subject", "A2"),
            ("form", "expulsion"),
            ("decided_by", "XA"),
            ("decision_number", "8-QĐ/ĐU"),
            ("decided_on", "01/07/2025"),
            ("violation_on", "01/03/2025"),
        ],
    )
    .await;
    assert_eq!(decided.status(), StatusCode::SEE_OTHER);
    let case = TestApp::get_text(&client, &app.url("/inspections/KT-01")).await;
    assert!(
        case.contains("Khai trừ") && case.contains("8-QĐ/ĐU"),
        "{case}"
    );
    let list = TestApp::get_text(
        &client,
        &app.url("/inspections?unit=XA&from=01/01/2025&to=31/12/2025"),
    )
    .await;
    assert!(list.contains(r#"href="/inspections/KT-01""#), "{list}");
    // A document of the case: kept, listed, opened; a file that is not a PDF is refused.
    let upload = |name: &str, bytes: &[u8]| {
        let part = reqwest::multipart::Part::bytes(bytes.to_vec()).file_name(name.to_string());
        client
            .post(app.url(&format!("/inspections/KT-01/files?csrf={csrf}")))
            .multipart(reqwest::multipart::Form::new().part("file", part))
            .send()
    };
    let refused = upload("ket-luan.pdf", b"not a pdf").await.unwrap();
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let pdf = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";
    let saved = upload("ket-luan.pdf", pdf).await.unwrap();
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let case = TestApp::get_text(&client, &app.url("/inspections/KT-01")).await;
    let link = regex::Regex::new(r#"href="(/inspections/KT-01/files/\d+)">ket-luan.pdf"#)
        .unwrap()
        .captures(&case)
        .map(|c| c[1].to_string())
        .expect("the document is listed");
    let file = client.get(app.url(&link)).send().await.unwrap();
    assert_eq!(file.status(), StatusCode::OK);
    assert_eq!(file.bytes().await.unwrap().as_ref(), pdf);
    // The member's page shows the discipline to those who read cases, and the expulsion.
    let member = TestApp::get_text(&client, &app.url("/members/A2")).await;
    assert!(member.contains(r#"id="member-discipline""#), "{member}");
    assert!(member.contains("Khai trừ"));

    // The year's programme: an item, carried out by a case concluded.
    let added = post(
        "/inspections/plan",
        &[
            ("unit", "XA"),
            ("year", "2025"),
            ("kind", "thematic_supervision"),
            ("subject", "CA"),
            ("planned_from", "01/09/2025"),
            ("planned_to", "30/09/2025"),
        ],
    )
    .await;
    assert_eq!(added.status(), StatusCode::SEE_OTHER);
    let plan = TestApp::get_text(&client, &app.url("/inspections/plan?unit=XA&year=2025")).await;
    assert!(
        plan.contains(r#"<strong id="plan-done">0/1</strong>"#),
        "{plan}"
    );
    let form = TestApp::get_text(
        &client,
        &app.url("/inspections?unit=XA&from=01/01/2025&to=31/12/2025"),
    )
    .await;
    let item = regex::Regex::new(r#"<option value="(\d+)">Giám sát chuyên đề"#)
        .unwrap()
        .captures(&form)
        .map(|c| c[1].to_string())
        .expect("the programme's item is offered");
    let created = post(
        "/inspections",
        &[
            ("code", "GS-01"),
            ("kind", "thematic_supervision"),
            ("unit", "XA"),
            ("decision_number", "02-QĐ/ĐU"),
            ("decided_on", "05/09/2025"),
            ("subjects", "CA"),
            ("plan_item", &item),
        ],
    )
    .await;
    assert_eq!(created.status(), StatusCode::SEE_OTHER);
    post(
        "/inspections/GS-01/conclusion",
        &[
            ("concluded_on", "25/09/2025"),
            ("conclusion.CA", "no_violation"),
        ],
    )
    .await;
    let plan = TestApp::get_text(&client, &app.url("/inspections/plan?unit=XA&year=2025")).await;
    assert!(
        plan.contains(r#"<strong id="plan-done">1/1</strong>"#),
        "{plan}"
    );
    let items = TestApp::get_json(
        &client,
        &app.url("/api/v1/inspections/plan?unit=XA&year=2025"),
    )
    .await;
    assert_eq!(items[0]["cases"][0], "GS-01", "{items}");
    assert_eq!(items[0]["done_on"], "2025-09-25");

    // To the propaganda board: no case, no list, no discipline on the member's page; the counts
    // on the unit's page without their records.
    let (other, _) = app.sign_in(&user_of(Role::Propaganda)).await;
    for path in [
        link.as_str(),
        "/inspections/KT-01",
        "/inspections/plan?unit=XA&year=2025",
        "/api/v1/inspections/plan?unit=XA&year=2025",
        "/api/v1/inspections/KT-01",
        "/inspections?unit=XA&from=01/01/2025&to=31/12/2025",
    ] {
        let response = other.get(app.url(path)).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
    }
    let member = TestApp::get_text(&other, &app.url("/members/A2")).await;
    assert!(!member.contains(r#"id="member-discipline""#));
    let drill = other
        .get(app.url(
            "/figures/inspections.members?unit=XA&as_of=31/12/2025&from=01/01/2025&to=31/12/2025",
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(drill.status(), StatusCode::FORBIDDEN);
    let table = TestApp::get_text(
        &other,
        &app.url("/table?unit=XA&rows=children&f=inspections.members&f=members.total&from=01/01/2025&to=31/12/2025"),
    )
    .await;
    assert!(table.contains(r#"href="/figures/members.total"#), "{table}");
    assert!(
        !table.contains(r#"href="/figures/inspections.members"#),
        "{table}"
    );
    let unit = TestApp::get_text(&other, &app.url("/units/XA")).await;
    // The menu shows the section only to those who read cases.
    assert!(!unit.contains(r#"href="/inspections""#));
}

conformance_app!(
    case_steps_on_both_engines,
    a_case_goes_through_its_steps_on_the_pages
);
