//! The cadre API: the organization board records a non-member, posts and a training fact and reads
//! them back (the posts held on a day, the moves of a period, the standard's compliance, a
//! person's page); a holding or a person out of scope is not found, and the boards that do not
//! manage cadres are refused.

use dangbo_domain::access::Role;
use dangbo_testkit::{TestApp, conformance_app, fixture, user_of};
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn the_organization_board_records_posts_and_training(app: &TestApp) {
    let (client, csrf) = app.sign_in(&user_of(Role::Organization)).await;
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

    // A non-member's short record, kept by the commune.
    let person = post(
        "/api/v1/persons",
        json!({
            "code": "NG-01", "full_name": "Lò Văn Tiến", "sex": "male",
            "birth_date": "1975-02-01", "unit": "XA"
        }),
    )
    .await;
    assert_eq!(person.status(), StatusCode::CREATED);
    let person: Value = person.json().await.unwrap();
    assert_eq!(person["code"], "NG-01");
    assert_eq!(person["birth_date"], "1975-02-01");

    // Posts: the branch's secretary who becomes the village head, and a civil servant.
    let secretary = post(
        "/api/v1/cadres/holdings",
        json!({
            "unit": "CA", "post": "branch_secretary", "holder": "A1", "from": "2020-10-01",
            "start_move": "election", "start_decision": "12-NQ/CB",
            "start_decided_on": "2020-10-01"
        }),
    )
    .await;
    assert_eq!(secretary.status(), StatusCode::CREATED);
    let secretary: Value = secretary.json().await.unwrap();
    assert_eq!(secretary["post"], "branch_secretary");
    assert_eq!(secretary["member_code"], "A1");
    assert_eq!(secretary["from"], "2020-10-01");
    assert_eq!(secretary["to"], Value::Null);
    for body in [
        json!({
            "unit": "CA", "post": "village_head", "holder": "A1", "village": "Nà Làng",
            "from": "2021-01-01", "start_move": "election"
        }),
        json!({
            "unit": "XA", "post": "civil_servant", "post_detail": "Tư pháp – Hộ tịch",
            "holder": "NG-01", "from": "2019-01-01", "start_move": "appointment"
        }),
    ] {
        let created = post("/api/v1/cadres/holdings", body).await;
        assert_eq!(created.status(), StatusCode::CREATED);
    }
    // A party post is a member's: refused on its field, nothing written.
    let refused = post(
        "/api/v1/cadres/holdings",
        json!({
            "unit": "XA", "post": "deputy_secretary", "holder": "NG-01", "from": "2021-01-01",
            "start_move": "election"
        }),
    )
    .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = refused.json().await.unwrap();
    assert_eq!(body["error"]["details"][0]["field"], "holder", "{body}");
    assert_eq!(app.test_db.count("holdings").await, 3);
    // A date that does not read is a bad request naming its field.
    let bad = post(
        "/api/v1/cadres/holdings",
        json!({
            "unit": "CA", "post": "branch_deputy_secretary", "holder": "A2",
            "from": "31/02/2021", "start_move": "election"
        }),
    )
    .await;
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    let body: Value = bad.json().await.unwrap();
    assert_eq!(body["error"]["details"][0]["field"], "from");

    // The posts held on a day.
    let held = get("/api/v1/cadres/posts?unit=XA&on=2021-06-30").await;
    let posts: Vec<(&str, &str)> = held
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["unit_code"].as_str().unwrap(),
                h["post"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(posts.len(), 3, "{held}");
    assert!(posts.contains(&("CA", "branch_secretary")));
    assert!(posts.contains(&("CA", "village_head")));
    assert!(posts.contains(&("XA", "civil_servant")));
    let before = get("/api/v1/cadres/posts?unit=XA&on=2020-06-30").await;
    assert_eq!(before.as_array().unwrap().len(), 1, "{before}");
    assert_eq!(before[0]["person_code"], "NG-01");

    // A training fact, on the person's page with their posts.
    let fact = post(
        "/api/v1/persons/A1/training",
        json!({
            "kind": "theory", "level": "intermediate", "on": "2020-05-01",
            "institution": "Trường Chính trị tỉnh", "diploma": "123/TC"
        }),
    )
    .await;
    assert_eq!(fact.status(), StatusCode::CREATED);
    let fact: Value = fact.json().await.unwrap();
    assert_eq!(fact["level"], "intermediate");
    assert_eq!(fact["proof"], "diploma");
    let page = get("/api/v1/persons/A1").await;
    assert_eq!(page["person"]["member_code"], "A1");
    assert_eq!(page["holdings"].as_array().unwrap().len(), 2, "{page}");
    assert_eq!(page["training"][0]["on"], "2020-05-01");

    // Compliance: the branch secretary meets the theory standard, the civil servant (no level
    // known) does not; those below the standard come first.
    let compliance = get("/api/v1/cadres/compliance?unit=XA&on=2021-06-30").await;
    let rows = compliance.as_array().unwrap();
    let of = |holder: &str, group: &str| {
        rows.iter()
            .find(|c| {
                c["group"] == group
                    && (c["holding"]["member_code"] == holder
                        || c["holding"]["person_code"] == holder)
            })
            .unwrap_or_else(|| panic!("{holder} {group} in {compliance}"))
    };
    assert_eq!(of("A1", "branch")["meets_theory"], true);
    assert_eq!(of("A1", "branch")["theory"], "intermediate");
    let servant = of("NG-01", "civil_servant");
    assert_eq!(servant["meets_theory"], false);
    assert!(!servant["shortfalls"].as_array().unwrap().is_empty());
    assert!(!rows[0]["shortfalls"].as_array().unwrap().is_empty());

    // The end of a holding, among the moves of its period.
    let id = secretary["id"].as_i64().unwrap();
    let ended = post(
        &format!("/api/v1/cadres/holdings/{id}/end"),
        json!({ "to": "2025-10-01", "end_move": "end_of_term", "end_decision": "5-NQ/CB" }),
    )
    .await;
    assert_eq!(ended.status(), StatusCode::OK);
    let ended: Value = ended.json().await.unwrap();
    assert_eq!(ended["to"], "2025-10-01");
    assert_eq!(ended["end_move"], "end_of_term");
    let again = post(
        &format!("/api/v1/cadres/holdings/{id}/end"),
        json!({ "to": "2025-11-01", "end_move": "dismissal" }),
    )
    .await;
    assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let moves = get("/api/v1/cadres/moves?unit=XA&from=2025-01-01&to=2025-12-31").await;
    assert_eq!(moves.as_array().unwrap().len(), 1, "{moves}");
    assert_eq!(moves[0]["id"], id);
    let moves = get("/api/v1/cadres/moves?unit=XA&from=2019-01-01&to=2021-12-31").await;
    assert_eq!(moves.as_array().unwrap().len(), 3, "{moves}");

    // Out of scope: the other commune's holding, person and posts are not found.
    let outside = fixture::system(&app.test_db)
        .cadre_writer()
        .unwrap()
        .record(&dangbo_store::access::HoldingInput {
            unit: "CB".into(),
            post: "branch_secretary".into(),
            holder: "B1".into(),
            from: chrono::NaiveDate::from_ymd_opt(2020, 10, 1),
            start_move: "election".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    let hidden = post(
        &format!("/api/v1/cadres/holdings/{}/end", outside.id),
        json!({ "to": "2025-10-01", "end_move": "end_of_term" }),
    )
    .await;
    assert_eq!(hidden.status(), StatusCode::NOT_FOUND);
    let hidden = post(
        "/api/v1/persons/B1/training",
        json!({ "kind": "theory", "level": "advanced", "on": "2020-05-01" }),
    )
    .await;
    assert_eq!(hidden.status(), StatusCode::NOT_FOUND);
    for path in [
        "/api/v1/persons/B1",
        "/api/v1/cadres/posts?unit=XB",
        "/api/v1/cadres/compliance?unit=CB",
        "/api/v1/cadres/moves?unit=XB",
    ] {
        let response = client.get(app.url(path)).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
    }
    assert!(
        app.test_db.count("training_facts").await == 1,
        "nothing written out of scope"
    );

    // A viewer and the propaganda board read the posts but may not write them.
    for role in [Role::Viewer, Role::Propaganda] {
        let (other, other_csrf) = app.sign_in(&user_of(role)).await;
        let read = other
            .get(app.url("/api/v1/cadres/posts?unit=XA&on=2021-06-30"))
            .send()
            .await
            .unwrap();
        assert_eq!(read.status(), StatusCode::OK);
        for (path, body) in [
            (
                "/api/v1/cadres/holdings".to_string(),
                json!({
                    "unit": "CA", "post": "branch_deputy_secretary", "holder": "A2",
                    "from": "2021-01-01", "start_move": "election"
                }),
            ),
            (
                "/api/v1/persons".to_string(),
                json!({ "code": "NG-02", "full_name": "Hà Văn Sáng", "unit": "XA" }),
            ),
            (
                format!("/api/v1/cadres/holdings/{id}/end"),
                json!({ "to": "2025-10-01", "end_move": "end_of_term" }),
            ),
        ] {
            let refused = other
                .post(app.url(&path))
                .header("x-csrf-token", &other_csrf)
                .json(&body)
                .send()
                .await
                .unwrap();
            assert_eq!(refused.status(), StatusCode::FORBIDDEN, "{role:?} {path}");
        }
    }
    assert_eq!(app.test_db.count("holdings").await, 4);
    assert_eq!(app.test_db.count("persons").await, 3);
}

conformance_app!(
    cadres_api_on_both_engines,
    the_organization_board_records_posts_and_training
);
