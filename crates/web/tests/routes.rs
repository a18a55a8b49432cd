//! Every route, for every role and for a record outside the user's scope; CSRF; API tokens; the
//! OpenAPI document.

use dangbo_domain::access::Role;
use dangbo_store::access::NewToken;
use dangbo_testkit::fixture::{self, PASSWORD};
use dangbo_testkit::{TestApp, TestDb, user_of};
use dangbo_web::{Need, ROUTES};
use reqwest::{Method, StatusCode};

/// Records inside commune XA (where the test users are scoped) and outside it, for each kind of
/// path parameter that names one.
struct Targets {
    inside_token: i64,
    outside_token: i64,
    inside_document: i64,
    outside_document: i64,
    inside_target: i64,
    outside_target: i64,
    inside_task: i64,
    outside_task: i64,
    inside_class: i64,
    outside_class: i64,
    inside_holding: i64,
    outside_holding: i64,
}

/// Adds users and API tokens inside and outside commune XA for the administration routes.
async fn targets(app: &TestApp) -> Targets {
    let db = &app.test_db.db;
    fixture::add_user(db, "target_xa", Role::Viewer, Some("XA")).await;
    fixture::add_user(db, "target_xb", Role::Viewer, Some("XB")).await;
    let admin = fixture::system(db);
    let token = async |scope: &str| {
        let new = NewToken {
            name: format!("token {scope}"),
            role: Role::Viewer,
            scope_code: Some(scope.to_string()),
        };
        admin
            .user_admin()
            .unwrap()
            .create_token(&new)
            .await
            .unwrap()
            .0
            .id
    };
    let document = async |unit: &str| {
        let signed = chrono::NaiveDate::from_ymd_opt(2021, 1, 5);
        admin
            .programmes()
            .unwrap()
            .add_document(&dangbo_store::access::NewDocument {
                unit: unit.to_string(),
                kind: "Kế hoạch".into(),
                number: "01-KH/ĐU".into(),
                title: "Kế hoạch năm 2021".into(),
                signed_on: signed,
                valid_from: signed,
                valid_to: chrono::NaiveDate::from_ymd_opt(2021, 12, 31),
                domain: "Xây dựng Đảng".into(),
                ..Default::default()
            })
            .await
            .unwrap()
    };
    // A target judged on reported values on each document, for the value form's route.
    let target = async |document: i64, unit: &str| {
        admin
            .programmes()
            .unwrap()
            .add_target(&dangbo_store::access::NewTarget {
                document_id: Some(document),
                unit: unit.to_string(),
                text: "Thu nhập bình quân đạt 40 triệu đồng".into(),
                domain: "Kinh tế".into(),
                from: chrono::NaiveDate::from_ymd_opt(2021, 1, 5),
                to: chrono::NaiveDate::from_ymd_opt(2021, 12, 31),
                comparator: ">=".into(),
                value: Some(40.0),
                ..Default::default()
            })
            .await
            .unwrap()
    };
    let task = async |document: i64, unit: &str| {
        admin
            .programmes()
            .unwrap()
            .add_task(&dangbo_store::access::NewTask {
                document_id: Some(document),
                unit: unit.to_string(),
                text: "Kiện toàn chi bộ".into(),
                owner: "Văn phòng".into(),
                deadline: chrono::NaiveDate::from_ymd_opt(2021, 6, 30),
                ..Default::default()
            })
            .await
            .unwrap()
    };
    // A candidate's file in each commune's branch, for the admission routes.
    for (code, branch) in [("QA", "CA"), ("QB", "CB")] {
        admin
            .admission_writer()
            .unwrap()
            .add_candidate(
                &dangbo_store::access::NewCandidate {
                    record: dangbo_domain::members::MemberRecord {
                        code: code.into(),
                        full_name: "Hà Thị Mai".into(),
                        sex: dangbo_domain::members::Sex::Female,
                        birth_date: chrono::NaiveDate::from_ymd_opt(1999, 5, 1).unwrap(),
                        ethnicity: "Tày".into(),
                        religion: String::new(),
                        home_town: String::new(),
                        residence: String::new(),
                        national_id: String::new(),
                        general_education: None,
                        qualification: None,
                        theory_level: None,
                        occupation: String::new(),
                        phone: String::new(),
                        card_number: String::new(),
                    },
                    unit: branch.into(),
                    nominated_by: "youth_union".into(),
                    nominated_on: chrono::NaiveDate::from_ymd_opt(2021, 1, 4),
                },
                chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
            )
            .await
            .unwrap();
    }
    let class = async |unit: &str| {
        admin
            .admission_writer()
            .unwrap()
            .add_class(&dangbo_store::access::NewClass {
                unit: unit.to_string(),
                name: "Lớp nhận thức về Đảng".into(),
                organizer: "Trung tâm Chính trị".into(),
                starts_on: chrono::NaiveDate::from_ymd_opt(2021, 3, 1),
                ends_on: chrono::NaiveDate::from_ymd_opt(2021, 3, 5),
                place: String::new(),
            })
            .await
            .unwrap()
    };
    // A case of each commune's inspection commission, for the inspection routes.
    for (code, unit, subject) in [("KA", "XA", "A1"), ("KB", "XB", "B1")] {
        admin
            .inspection_writer()
            .unwrap()
            .record_case(&dangbo_store::access::CaseInput {
                code: code.into(),
                kind: "signs_of_violation".into(),
                unit: unit.into(),
                decision_number: "1-QĐ/UBKT".into(),
                decided_on: chrono::NaiveDate::from_ymd_opt(2025, 3, 1),
                subjects: vec![subject.into()],
                ..Default::default()
            })
            .await
            .unwrap();
    }
    // A study session of each commune, for the study routes.
    for (code, unit) in [("SA", "XA"), ("SB", "XB")] {
        admin
            .study_writer()
            .unwrap()
            .record(&dangbo_store::access::SessionInput {
                code: code.into(),
                unit: unit.into(),
                kind: "resolution_study".into(),
                title: "Quán triệt nghị quyết".into(),
                from: chrono::NaiveDate::from_ymd_opt(2025, 3, 1),
                ..Default::default()
            })
            .await
            .unwrap();
    }
    // A branch secretary in each commune, for the routes that name a holding.
    let holding = async |member: &str, branch: &str| {
        admin
            .cadre_writer()
            .unwrap()
            .record(&dangbo_store::access::HoldingInput {
                unit: branch.into(),
                post: "branch_secretary".into(),
                holder: member.into(),
                from: chrono::NaiveDate::from_ymd_opt(2020, 10, 1),
                start_move: "election".into(),
                ..Default::default()
            })
            .await
            .unwrap()
            .id
    };
    let inside_document = document("XA").await;
    let outside_document = document("XB").await;
    Targets {
        inside_token: token("XA").await,
        outside_token: token("XB").await,
        inside_target: target(inside_document, "XA").await,
        outside_target: target(outside_document, "XB").await,
        inside_task: task(inside_document, "XA").await,
        outside_task: task(outside_document, "XB").await,
        inside_document,
        outside_document,
        inside_class: class("XA").await,
        outside_class: class("XB").await,
        inside_holding: holding("A1", "CA").await,
        outside_holding: holding("B1", "CB").await,
    }
}

/// The path of a route with in-scope (or out-of-scope) values for its parameters.
fn concrete(path: &str, out_of_scope: bool, targets: &Targets) -> String {
    let (member, unit, user, token) = if out_of_scope {
        ("B1", "XB", "target_xb", targets.outside_token)
    } else {
        ("A1", "CA", "target_xa", targets.inside_token)
    };
    let code = if path.starts_with("/units")
        || path.starts_with("/api/v1/units")
        || path.starts_with("/ratings/")
    {
        unit
    } else if path.starts_with("/inspections/") || path.starts_with("/api/v1/inspections/") {
        if out_of_scope { "KB" } else { "KA" }
    } else if path.starts_with("/candidates/") || path.starts_with("/api/v1/candidates/") {
        if out_of_scope { "QB" } else { "QA" }
    } else if path.starts_with("/study/") || path.starts_with("/api/v1/study/") {
        if out_of_scope { "SB" } else { "SA" }
    } else {
        member
    };
    let (target, task) = if out_of_scope {
        (targets.outside_target, targets.outside_task)
    } else {
        (targets.inside_target, targets.inside_task)
    };
    let id = if path.starts_with("/admin/tokens") {
        token.to_string()
    } else if path.starts_with("/api/v1/targets/") {
        target.to_string()
    } else if path.starts_with("/api/v1/tasks/") {
        task.to_string()
    } else if path.starts_with("/classes/") {
        if out_of_scope {
            targets.outside_class
        } else {
            targets.inside_class
        }
        .to_string()
    } else if path.starts_with("/api/v1/cadres/holdings/") {
        if out_of_scope {
            targets.outside_holding
        } else {
            targets.inside_holding
        }
        .to_string()
    } else if path.starts_with("/documents/") || path.starts_with("/api/v1/documents/") {
        if out_of_scope {
            targets.outside_document
        } else {
            targets.inside_document
        }
        .to_string()
    } else {
        "1".to_string()
    };
    path.replace("{code}", code)
        .replace("{target}", &target.to_string())
        .replace("{task}", &task.to_string())
        .replace("{key}", "members.total")
        .replace("{id}", &id)
        .replace("{username}", user)
        .replace("{lang}", "en")
        .replace("{dataset}", "members.xlsx")
}

/// Whether a route names a record that lies inside or outside a scope.
fn names_a_scoped_record(path: &str) -> bool {
    path.contains("{code}")
        || path.contains("{username}")
        || path.starts_with("/admin/tokens/")
        || path.starts_with("/documents/{id}")
        || path.starts_with("/classes/{id}")
        || path.starts_with("/api/v1/documents/{id}")
        || path.starts_with("/api/v1/targets/{id}")
        || path.starts_with("/api/v1/tasks/{id}")
        || path.starts_with("/api/v1/cadres/holdings/{id}")
        || path.starts_with("/tasks/{task}")
        || path.starts_with("/targets/{target}")
}

async fn call(
    app: &TestApp,
    client: &reqwest::Client,
    csrf: &str,
    method: &str,
    path: &str,
) -> reqwest::Response {
    let url = app.url(path);
    let request = match method {
        "get" => client.get(&url),
        "put" => client
            .put(&url)
            .header("x-csrf-token", csrf)
            .body(r#"{"version": "1", "full_name": ""}"#),
        _ if path == "/import" || path.ends_with("/file") || path.ends_with("/files") => {
            let form = reqwest::multipart::Form::new().text("dataset", "units");
            client.post(format!("{url}?csrf={csrf}")).multipart(form)
        }
        _ if path == "/api/v1/import" => client
            .post(format!("{url}?dataset=units&format=csv"))
            .header("x-csrf-token", csrf)
            .body(""),
        _ if path.starts_with("/api/") => client
            .post(&url)
            .header("x-csrf-token", csrf)
            .body(r#"{"kind": "death", "date": "2024-01-01"}"#),
        _ => client.request(Method::POST, &url).form(&[("csrf", csrf)]),
    };
    request.send().await.expect("request")
}

fn signs_in_again(response: &reqwest::Response) -> bool {
    response.status() == StatusCode::SEE_OTHER
        && response
            .headers()
            .get("location")
            .and_then(|l| l.to_str().ok())
            .is_some_and(|l| l.starts_with("/sign-in"))
}

async fn every_route_for_every_role(test_db: TestDb) {
    let app = TestApp::spawn(test_db).await;
    let targets = targets(&app).await;
    let anonymous = TestApp::client();
    for route in ROUTES {
        let response = call(
            &app,
            &anonymous,
            "",
            route.method,
            &concrete(route.path, false, &targets),
        )
        .await;
        if route.need == Need::Public {
            assert!(
                !signs_in_again(&response),
                "{} {} is public",
                route.method,
                route.path
            );
        } else if route.path.starts_with("/api/") {
            assert_eq!(
                response.status(),
                StatusCode::UNAUTHORIZED,
                "{} {} without sign-in",
                route.method,
                route.path
            );
            let body: serde_json::Value = response.json().await.expect("json");
            assert_eq!(body["error"]["code"], "unauthorized");
        } else {
            assert!(
                signs_in_again(&response),
                "{} {} without sign-in goes to sign-in",
                route.method,
                route.path
            );
        }
    }
    for &role in Role::ALL {
        let (client, csrf) = app.sign_in(&user_of(role)).await;
        for route in ROUTES.iter().filter(|r| r.path != "/sign-out") {
            let allowed = match route.need {
                Need::Public | Need::SignedIn => true,
                Need::Can(capability) => role.can(capability),
                Need::CanAny(capabilities) => capabilities.iter().any(|&c| role.can(c)),
            };
            let response = call(
                &app,
                &client,
                &csrf,
                route.method,
                &concrete(route.path, false, &targets),
            )
            .await;
            let status = response.status();
            assert!(
                !signs_in_again(&response),
                "{role:?} {} {}",
                route.method,
                route.path
            );
            assert!(
                status != StatusCode::INTERNAL_SERVER_ERROR,
                "{role:?} {} {}",
                route.method,
                route.path
            );
            if allowed {
                assert_ne!(
                    status,
                    StatusCode::FORBIDDEN,
                    "{role:?} may {} {}",
                    route.method,
                    route.path
                );
            } else {
                assert_eq!(
                    status,
                    StatusCode::FORBIDDEN,
                    "{role:?} may not {} {}",
                    route.method,
                    route.path
                );
            }
            if names_a_scoped_record(route.path) {
                let outside = call(
                    &app,
                    &client,
                    &csrf,
                    route.method,
                    &concrete(route.path, true, &targets),
                )
                .await;
                let expected = if allowed {
                    StatusCode::NOT_FOUND
                } else {
                    StatusCode::FORBIDDEN
                };
                assert_eq!(
                    outside.status(),
                    expected,
                    "{role:?} {} {} outside the scope",
                    route.method,
                    route.path
                );
            }
        }
        let response = call(&app, &client, &csrf, "post", "/sign-out").await;
        assert!(signs_in_again(&response));
        let after = client.get(app.url("/")).send().await.expect("request");
        assert!(signs_in_again(&after), "{role:?}: signed out");
    }
}

#[tokio::test]
async fn every_route_for_every_role_sqlite() {
    every_route_for_every_role(TestDb::sqlite().await).await;
}

#[tokio::test]
async fn every_route_for_every_role_postgres() {
    every_route_for_every_role(TestDb::postgres().await).await;
}

#[tokio::test]
async fn forms_need_the_csrf_token_and_the_same_origin() {
    let app = TestApp::spawn(TestDb::sqlite().await).await;
    let (client, csrf) = app.sign_in(&user_of(Role::Organization)).await;
    let form = [("kind", "death"), ("date", "2024-05-01")];
    let missing = client
        .post(app.url("/members/A1/events"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), StatusCode::FORBIDDEN);
    let wrong = client
        .post(app.url("/members/A1/events"))
        .form(&[("csrf", "0000"), ("kind", "death"), ("date", "2024-05-01")])
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::FORBIDDEN);
    let cross_site = client
        .post(app.url("/members/A1/events"))
        .header("origin", "http://evil.example")
        .form(&[
            ("csrf", csrf.as_str()),
            ("kind", "death"),
            ("date", "2024-05-01"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(cross_site.status(), StatusCode::FORBIDDEN);
    let good = client
        .post(app.url("/members/A1/events"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("kind", "death"),
            ("date", "2024-05-01"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(good.status(), StatusCode::SEE_OTHER);
    let page = client
        .get(app.url("/members/A1"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Từ trần"), "the event is on the timeline");
}

#[tokio::test]
async fn session_cookie_is_http_only_and_same_site() {
    let app = TestApp::spawn(TestDb::sqlite().await).await;
    let response = TestApp::client()
        .post(app.url("/sign-in"))
        .form(&[("username", "national"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    let cookie = response
        .headers()
        .get("set-cookie")
        .and_then(|c| c.to_str().ok())
        .unwrap_or("")
        .to_string();
    assert!(cookie.starts_with("dangbo_session="), "{cookie}");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    let wrong = TestApp::client()
        .post(app.url("/sign-in"))
        .form(&[("username", "national"), ("password", "nope")])
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    assert!(wrong.headers().get("set-cookie").is_none());
}

#[tokio::test]
async fn api_tokens_are_scoped_and_errors_share_one_envelope() {
    let app = TestApp::spawn(TestDb::sqlite().await).await;
    let admin = fixture::system(&app.test_db);
    let (token, secret) = admin
        .user_admin()
        .unwrap()
        .create_token(&NewToken {
            name: "script".into(),
            role: Role::Organization,
            scope_code: Some("XA".into()),
        })
        .await
        .unwrap();
    let client = TestApp::client();
    let get = |path: &str| client.get(app.url(path)).bearer_auth(&secret).send();
    let list: serde_json::Value = get("/api/v1/members").await.unwrap().json().await.unwrap();
    let codes: Vec<&str> = list["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes.len(), 2);
    assert!(codes.iter().all(|c| c.starts_with('A')));
    let hidden = get("/api/v1/members/B1").await.unwrap();
    assert_eq!(hidden.status(), StatusCode::NOT_FOUND);
    let body: serde_json::Value = hidden.json().await.unwrap();
    assert_eq!(body["error"]["code"], "not_found");
    let figures: serde_json::Value = get("/api/v1/figures?keys=members.total")
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(figures["figures"][0]["value"], 2);
    let records: serde_json::Value = get("/api/v1/figures/members.total/records")
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(records["records"].as_array().unwrap().len(), 2);
    let table: serde_json::Value = get(
        "/api/v1/figures/table?unit=XA&keys=members.total,members.female.share&compare_prior=true",
    )
    .await
    .unwrap()
    .json()
    .await
    .unwrap();
    assert_eq!(table["rows"][0]["unit"]["code"], "CA");
    assert_eq!(table["total"][0]["value"], 2);
    assert_eq!(table["total"][0]["prior"], 2);
    assert_eq!(table["total"][1]["value"]["denominator"], 2);
    let bad_flag = get("/api/v1/figures?compare_prior=maybe").await.unwrap();
    assert_eq!(bad_flag.status(), StatusCode::BAD_REQUEST);
    let unknown = get("/api/v1/figures?keys=no.such").await.unwrap();
    assert_eq!(unknown.status(), StatusCode::BAD_REQUEST);
    let refused = client
        .post(app.url("/api/v1/members/A1/events"))
        .bearer_auth(&secret)
        .body(r#"{"kind": "full_membership", "date": "2024-01-01"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: serde_json::Value = refused.json().await.unwrap();
    assert_eq!(body["error"]["code"], "invalid");
    assert_eq!(body["error"]["rule"], "history.already_full");
    assert!(body["error"]["message_en"].as_str().is_some());
    // The same request sent twice (a retry after a lost answer) writes once and says so.
    for (expected, recorded) in [(StatusCode::CREATED, true), (StatusCode::OK, false)] {
        let sent = client
            .post(app.url("/api/v1/members/A2/events"))
            .bearer_auth(&secret)
            .body(r#"{"kind": "exemption", "date": "2024-03-01", "decision_number": "7-QĐ"}"#)
            .send()
            .await
            .unwrap();
        assert_eq!(sent.status(), expected);
        let body: serde_json::Value = sent.json().await.unwrap();
        assert_eq!(body["recorded"], recorded);
    }
    let csv = "Mã đảng viên,Sự kiện,Ngày\nA1,Không có,2024-01-01\n";
    let bad = client
        .post(app.url("/api/v1/import?dataset=events&format=csv"))
        .bearer_auth(&secret)
        .body(csv)
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: serde_json::Value = bad.json().await.unwrap();
    assert_eq!(body["error"]["details"][0]["row"], 2);
    admin
        .user_admin()
        .unwrap()
        .revoke_token(token.id)
        .await
        .unwrap();
    assert_eq!(
        get("/api/v1/members").await.unwrap().status(),
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn openapi_describes_every_api_route() {
    let app = TestApp::spawn(TestDb::sqlite().await).await;
    let document: serde_json::Value = TestApp::client()
        .get(app.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    for route in ROUTES.iter().filter(|r| r.path.starts_with("/api/v1/")) {
        let operation = &document["paths"][route.path][route.method];
        assert!(
            operation.is_object(),
            "{} {} is in the OpenAPI document",
            route.method,
            route.path
        );
    }
    let docs = TestApp::client()
        .get(app.url("/api/docs/"))
        .send()
        .await
        .unwrap();
    assert_eq!(docs.status(), StatusCode::OK);
}

async fn a_commune_administrator_reaches_nothing_outside(test_db: TestDb) {
    let app = TestApp::spawn(test_db).await;
    let targets = targets(&app).await;
    // Events in both communes, so that the audit log has rows about each.
    let national_admin = fixture::system(&app.test_db);
    for member in ["A2", "B2"] {
        national_admin
            .editor()
            .unwrap()
            .record_event(
                member,
                &dangbo_store::access::EventInput {
                    kind: "death".into(),
                    date: "2024-03-01".into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
    }
    let (client, csrf) = app.sign_in(&user_of(Role::Administrator)).await;
    let text = async |path: &str| {
        let response = client.get(app.url(path)).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        response.text().await.unwrap()
    };
    let users = text("/admin/users").await;
    assert!(users.contains("target_xa"));
    for outside in ["national", "target_xb"] {
        assert!(!users.contains(outside), "{outside} is listed");
    }
    assert!(!users.contains(&format!("#{} ", targets.outside_token)));
    let audit = text("/admin/audit").await;
    assert!(audit.contains("A2"));
    assert!(!audit.contains("B2"), "an audit row about another commune");
    // (A cell of its own: a record's fields such as `national_id` may hold the word.)
    assert!(
        !audit.contains("<td>national</td>"),
        "an audit row about a national user"
    );
    // Resetting the national administrator's password reads as a user that does not exist.
    let reset = client
        .post(app.url("/admin/users/national/password"))
        .form(&[("csrf", csrf.as_str()), ("password", "mat-khau-cua-ke-xau")])
        .send()
        .await
        .unwrap();
    assert_eq!(reset.status(), StatusCode::NOT_FOUND);
    // A new user with the whole database, or another commune, as scope is refused.
    for scope in ["", "XB", "T", "Đảng ủy xã Bộc Bố"] {
        let created = client
            .post(app.url("/admin/users"))
            .form(&[
                ("csrf", csrf.as_str()),
                ("username", "ke_xau"),
                ("display_name", "Kẻ xấu"),
                ("password", "mat-khau-dai-du-10"),
                ("role", "administrator"),
                ("scope", scope),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(
            created.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{scope}"
        );
    }
    // A unit of the scope may be named instead of coded.
    let named = client
        .post(app.url("/admin/users"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("username", "chi_bo_na_lang"),
            ("display_name", "Chi bộ Nà Làng"),
            ("password", "mat-khau-dai-du-10"),
            ("role", "viewer"),
            ("scope", "Chi bộ thôn Nà Làng"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(named.status(), StatusCode::SEE_OTHER);
    let admin = fixture::system(&app.test_db);
    let all = admin.user_admin().unwrap().users().await.unwrap();
    assert!(all.iter().all(|(u, _)| u.username != "ke_xau"));
    assert!(
        all.iter().any(|(u, scope)| u.username == "chi_bo_na_lang"
            && scope.as_ref().is_some_and(|s| s.code == "CA")),
        "the scope named by its name is the branch"
    );
    // The national administrator can still sign in with the fixture's password.
    app.sign_in("national").await;
}

#[tokio::test]
async fn a_commune_administrator_reaches_nothing_outside_sqlite() {
    a_commune_administrator_reaches_nothing_outside(TestDb::sqlite().await).await;
}

#[tokio::test]
async fn a_commune_administrator_reaches_nothing_outside_postgres() {
    a_commune_administrator_reaches_nothing_outside(TestDb::postgres().await).await;
}

/// A date that does not exist, as a person might type it.
const BAD_DATE: &str = "31/02/2026";

#[tokio::test]
async fn bad_dates_are_refused_on_every_route_family() {
    let app = TestApp::spawn(TestDb::sqlite().await).await;
    let (client, csrf) = app.sign_in("national").await;
    let says_why = |body: &str| body.contains(&format!("{BAD_DATE} không phải là ngày có thật"));
    // Pages and the API, by query parameter.
    for path in [
        "/?as_of=",
        "/?from=",
        "/figures/members.total?to=",
        "/units?date=",
        "/units/CA?as_of=",
        "/members?date=",
        "/admin/audit?from=",
        "/api/v1/units?date=",
        "/api/v1/units/CA?date=",
        "/api/v1/members?date=",
        "/api/v1/figures?as_of=",
        "/api/v1/figures/table?from=",
        "/api/v1/figures/members.total/records?as_of=",
        "/api/v1/cadres/posts?on=",
        "/api/v1/cadres/moves?from=",
        "/api/v1/cadres/compliance?on=",
        "/api/v1/study?to=",
    ] {
        let response = client
            .get(app.url(&format!("{path}{BAD_DATE}")))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{path}");
        let body = response.text().await.unwrap();
        assert!(says_why(&body), "{path}: {body}");
    }
    // A reversed period is refused too, never swapped or defaulted.
    let reversed = client
        .get(app.url("/api/v1/figures?from=2021-07-01&to=2021-06-30"))
        .send()
        .await
        .unwrap();
    assert_eq!(reversed.status(), StatusCode::BAD_REQUEST);
    // Forms: the reason stands next to the field.
    for (path, field, kind) in [
        ("/members/A1/events", "date", "death"),
        ("/members/A1", "birth_date", "death"),
        ("/restructure", "date", "rename"),
    ] {
        let response = client
            .post(app.url(path))
            .form(&[
                ("csrf", csrf.as_str()),
                ("kind", kind),
                ("full_name", "Nguyễn Văn An"),
                ("sex", "male"),
                ("sources", "CA"),
                ("new_name", "Chi bộ đổi tên"),
                ("step", "preview"),
                (field, BAD_DATE),
            ])
            .send()
            .await
            .unwrap();
        assert!(
            response.status().is_client_error(),
            "{path}: {}",
            response.status()
        );
        let body = response.text().await.unwrap();
        assert!(says_why(&body), "{path}: {body}");
    }
    // The API's event.
    let refused = client
        .post(app.url("/api/v1/members/A1/events"))
        .header("x-csrf-token", &csrf)
        .body(format!(r#"{{"kind": "death", "date": "{BAD_DATE}"}}"#))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: serde_json::Value = refused.json().await.unwrap();
    assert_eq!(body["error"]["details"][0]["field"], "date");
    // An unknown figure key is refused by the API and the command line alike.
    let unknown = client
        .get(app.url("/api/v1/figures?keys=members.total,no.such"))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), StatusCode::BAD_REQUEST);
    let body: serde_json::Value = unknown.json().await.unwrap();
    assert_eq!(body["error"]["details"][0]["field"], "keys");
    // A unit that no longer exists on the date says so instead of answering zeros.
    let fixture_end = client
        .get(app.url("/api/v1/figures?unit=CA&as_of=01/01/2000"))
        .send()
        .await
        .unwrap();
    assert_eq!(fixture_end.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_document_outside_the_scope_is_not_found_even_for_its_parts_inside() {
    let app = TestApp::spawn(TestDb::sqlite().await).await;
    let admin = fixture::system(&app.test_db);
    let writer = admin.programmes().unwrap();
    let day = |m: u32, d: u32| chrono::NaiveDate::from_ymd_opt(2021, m, d);
    // The province's plan gives commune XA a reported target and a task: XA's staff read and
    // report them on their own lists, but the province's document stays out of their reach.
    let document = writer
        .add_document(&dangbo_store::access::NewDocument {
            unit: "T".into(),
            kind: "Kế hoạch".into(),
            number: "12-KH/TU".into(),
            title: "Kế hoạch năm 2021".into(),
            signed_on: day(1, 5),
            valid_from: day(1, 1),
            valid_to: day(12, 31),
            domain: "Kinh tế".into(),
            ..Default::default()
        })
        .await
        .unwrap();
    let target = writer
        .add_target(&dangbo_store::access::NewTarget {
            document_id: Some(document),
            unit: "XA".into(),
            text: "Trồng mới 120 ha rừng".into(),
            domain: "economy".into(),
            from: day(1, 1),
            to: day(12, 31),
            comparator: ">=".into(),
            value: Some(120.0),
            ..Default::default()
        })
        .await
        .unwrap();
    let task = writer
        .add_task(&dangbo_store::access::NewTask {
            document_id: Some(document),
            unit: "XA".into(),
            text: "Rà soát quy hoạch cán bộ".into(),
            owner: "Đảng ủy xã".into(),
            deadline: day(6, 30),
            ..Default::default()
        })
        .await
        .unwrap();
    let (client, csrf) = app.sign_in(&user_of(Role::Office)).await;
    for (path, fields) in [
        (
            format!("/documents/{document}/targets/{target}/value"),
            vec![
                ("value", "100"),
                ("as_of", "31/12/2021"),
                ("source", "Báo cáo"),
            ],
        ),
        (
            format!("/documents/{document}/tasks/{task}/reports"),
            vec![
                ("reported_on", "01/06/2021"),
                ("state", "done"),
                ("note", ""),
            ],
        ),
    ] {
        let mut form = vec![("csrf", csrf.as_str())];
        form.extend(fields);
        let response = client
            .post(app.url(&path))
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
    }
    assert_eq!(
        app.test_db.count("target_values").await,
        0,
        "nothing written"
    );
    assert_eq!(
        app.test_db.count("task_reports").await,
        0,
        "nothing written"
    );
}
