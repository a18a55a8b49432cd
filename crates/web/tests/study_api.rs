//! The study API: the propaganda board records a session, a unit's counts and a sheet of members'
//! attendance and reads them back with the figures; a sheet with a bad row is refused whole with
//! every bad row named; a session out of scope is not found, and the boards that do not manage
//! study are refused.

use dangbo_domain::access::Role;
use dangbo_testkit::{TestApp, conformance_app, fixture, user_of};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn the_propaganda_board_records_a_session_and_its_attendance(app: &TestApp) {
    let (client, csrf) = app.sign_in(&user_of(Role::Propaganda)).await;
    let post = async |path: &str, body: Value| {
        client
            .post(app.url(path))
            .header("x-csrf-token", &csrf)
            .json(&body)
            .send()
            .await
            .unwrap()
    };
    let get = async |path: &str| TestApp::get_json(&client, &app.url(path)).await;

    let created = post(
        "/api/v1/study",
        json!({
            "code": "HT-01", "unit": "XA", "organizer_body": "Ban Tuyên giáo",
            "kind": "resolution_study", "title": "Học tập, quán triệt Nghị quyết Đại hội XIII",
            "from": "2021-04-10", "to": "2021-04-11", "place": "Hội trường xã",
            "documents": [{ "number": "01-NQ/TW", "title": "Nghị quyết Đại hội XIII" }],
            "units": ["XA", "CA"]
        }),
    )
    .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let session: Value = created.json().await.unwrap();
    assert_eq!(session["code"], "HT-01");
    assert_eq!(session["kind"], "resolution_study");
    assert_eq!(session["to"], "2021-04-11");
    assert_eq!(session["documents"][0]["number"], "01-NQ/TW");
    assert_eq!(session["units"].as_array().unwrap().len(), 2);

    // A sheet with bad rows: every one named with its number, nothing written.
    let refused = post(
        "/api/v1/study/HT-01/attendance",
        json!({ "rows": [
            { "member": "A1", "attendance": "present" },
            { "member": "ZZ9", "attendance": "present" },
            { "member": "A2", "attendance": "maybe" },
            { "member": "B1", "attendance": "present" }
        ]}),
    )
    .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = refused.json().await.unwrap();
    let named: Vec<(i64, &str)> = body["error"]["details"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["row"].as_i64().unwrap(), d["field"].as_str().unwrap()))
        .collect();
    assert_eq!(
        named,
        vec![(2, "member"), (3, "attendance"), (4, "member")],
        "{body}"
    );
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("không ghi gì"),
        "{body}"
    );
    assert_eq!(app.test_db.count("study_attendance").await, 0);

    // The good sheet, then the commune committee's counts.
    let marked = post(
        "/api/v1/study/HT-01/attendance",
        json!({ "rows": [
            { "member": "A1", "attendance": "present" },
            { "member": "A2", "attendance": "excused", "reason": "Ốm" }
        ]}),
    )
    .await;
    assert_eq!(marked.status(), StatusCode::OK);
    let view: Value = marked.json().await.unwrap();
    assert_eq!(view["sheet"].as_array().unwrap().len(), 2, "{view}");
    let counted = post(
        "/api/v1/study/HT-01/counts",
        json!({ "unit": "XA", "attended": 30, "expected": 35, "non_members": 5 }),
    )
    .await;
    assert_eq!(counted.status(), StatusCode::OK);
    // Counts bigger than attendances can be, or more present than expected, are refused.
    let too_many = post(
        "/api/v1/study/HT-01/counts",
        json!({ "unit": "XA", "attended": 5_000_000_000_i64 }),
    )
    .await;
    assert_eq!(too_many.status(), StatusCode::BAD_REQUEST);
    let over = post(
        "/api/v1/study/HT-01/counts",
        json!({ "unit": "XA", "attended": 40, "expected": 35 }),
    )
    .await;
    assert_eq!(over.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // Read back: the session with its units and sheet, in the list, in the figures.
    let view = get("/api/v1/study/HT-01").await;
    let unit = |code: &str| {
        view["session"]["units"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["unit_code"] == code)
            .cloned()
            .unwrap_or_else(|| panic!("{code} in {view}"))
    };
    assert_eq!(unit("CA")["by_count"], false);
    assert_eq!(unit("CA")["attended"], 1);
    assert_eq!(unit("CA")["absent"], 1);
    assert_eq!(unit("XA")["by_count"], true);
    assert_eq!(unit("XA")["attended"], 30);
    assert_eq!(unit("XA")["expected"], 35);
    assert_eq!(unit("XA")["non_members"], 5);
    let a2 = view["sheet"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["member_code"] == "A2")
        .unwrap();
    assert_eq!(a2["attendance"], "excused");
    assert_eq!(a2["reason"], "Ốm");
    let list = get("/api/v1/study?unit=XA&from=2021-01-01&to=2021-12-31").await;
    assert_eq!(list.as_array().unwrap().len(), 1, "{list}");
    assert_eq!(list[0]["code"], "HT-01");
    let none = get("/api/v1/study?unit=XA&from=2022-01-01&to=2022-12-31").await;
    assert_eq!(none.as_array().unwrap().len(), 0);
    let figures = get(
        "/api/v1/figures?unit=XA&as_of=2021-12-31&from=2021-01-01&to=2021-12-31&keys=study.sessions,study.attendances,study.members",
    )
    .await;
    let value = |key: &str| {
        figures["figures"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["key"] == key)
            .map(|f| f["value"].clone())
            .unwrap_or_else(|| panic!("{key} in {figures}"))
    };
    assert_eq!(value("study.sessions"), 1);
    assert_eq!(value("study.attendances"), 36);
    assert_eq!(value("study.members"), 1);

    // Out of scope: the other commune's session is not found, whatever the body says.
    fixture::system(&app.test_db)
        .study_writer()
        .unwrap()
        .record(&dangbo_store::access::SessionInput {
            code: "HT-B".into(),
            unit: "XB".into(),
            kind: "thematic_meeting".into(),
            title: "Sinh hoạt chuyên đề".into(),
            from: chrono::NaiveDate::from_ymd_opt(2021, 5, 1),
            ..Default::default()
        })
        .await
        .unwrap();
    let hidden = client
        .get(app.url("/api/v1/study/HT-B"))
        .send()
        .await
        .unwrap();
    assert_eq!(hidden.status(), StatusCode::NOT_FOUND);
    for (path, body) in [
        (
            "/api/v1/study/HT-B/attendance",
            json!({ "rows": [{ "member": "A1", "attendance": "present" }] }),
        ),
        (
            "/api/v1/study/HT-B/counts",
            json!({ "unit": "XB", "attended": 3 }),
        ),
    ] {
        let response = post(path, body).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
    }
    let outside = client
        .get(app.url("/api/v1/study?unit=XB"))
        .send()
        .await
        .unwrap();
    assert_eq!(outside.status(), StatusCode::NOT_FOUND);

    // A viewer and the organization board read the sessions but may not write them.
    for role in [Role::Viewer, Role::Organization] {
        let (other, other_csrf) = app.sign_in(&user_of(role)).await;
        let read = other
            .get(app.url("/api/v1/study/HT-01"))
            .send()
            .await
            .unwrap();
        assert_eq!(read.status(), StatusCode::OK);
        for (path, body) in [
            (
                "/api/v1/study",
                json!({
                    "code": "HT-02", "unit": "XA", "kind": "thematic_meeting",
                    "title": "Chuyên đề", "from": "2021-06-01"
                }),
            ),
            (
                "/api/v1/study/HT-01/attendance",
                json!({ "rows": [{ "member": "A2", "attendance": "present" }] }),
            ),
            (
                "/api/v1/study/HT-01/counts",
                json!({ "unit": "XA", "attended": 1 }),
            ),
        ] {
            let refused = other
                .post(app.url(path))
                .header("x-csrf-token", &other_csrf)
                .json(&body)
                .send()
                .await
                .unwrap();
            assert_eq!(refused.status(), StatusCode::FORBIDDEN, "{role:?} {path}");
        }
    }
    assert_eq!(app.test_db.count("study_sessions").await, 2);
    assert_eq!(app.test_db.count("study_attendance").await, 2);
}

conformance_app!(
    study_api_on_both_engines,
    the_propaganda_board_records_a_session_and_its_attendance
);
