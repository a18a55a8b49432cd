//! Every route, for every role and for a record outside the user's scope; CSRF; API tokens; the
//! OpenAPI document.

mod support;

use dangbo_domain::access::Role;
use dangbo_store::auth;
use dangbo_web::{Need, ROUTES};
use reqwest::{Method, StatusCode};
use support::common::TestDb;
use support::{TestApp, user_of};

/// The path of a route with in-scope (or out-of-scope) values for its parameters.
fn concrete(path: &str, out_of_scope: bool) -> String {
    let (member, unit) = if out_of_scope {
        ("B1", "XB")
    } else {
        ("A1", "CA")
    };
    let code = if path.starts_with("/units") || path.starts_with("/api/v1/units") {
        unit
    } else {
        member
    };
    path.replace("{code}", code)
        .replace("{key}", "members.total")
        .replace("{id}", "1")
        .replace("{username}", "nobody")
        .replace("{lang}", "en")
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
        _ if path == "/import" => {
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
    let anonymous = TestApp::client();
    for route in ROUTES {
        let response = call(
            &app,
            &anonymous,
            "",
            route.method,
            &concrete(route.path, false),
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
            };
            let response = call(
                &app,
                &client,
                &csrf,
                route.method,
                &concrete(route.path, false),
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
            if route.path.contains("{code}") {
                let outside = call(
                    &app,
                    &client,
                    &csrf,
                    route.method,
                    &concrete(route.path, true),
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
    app.finish().await;
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
    app.finish().await;
}

#[tokio::test]
async fn session_cookie_is_http_only_and_same_site() {
    let app = TestApp::spawn(TestDb::sqlite().await).await;
    let response = TestApp::client()
        .post(app.url("/sign-in"))
        .form(&[
            ("username", "national"),
            ("password", support::common::fixture::PASSWORD),
        ])
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
    app.finish().await;
}

#[tokio::test]
async fn api_tokens_are_scoped_and_errors_share_one_envelope() {
    let app = TestApp::spawn(TestDb::sqlite().await).await;
    let mut tx = app.test_db.db.begin_write().await.unwrap();
    let (_, secret) = auth::create_token(&mut tx, "test", "script", Role::Organization, Some("XA"))
        .await
        .unwrap();
    tx.commit().await.unwrap();
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
    assert_eq!(body["error"]["details"][0]["field"], "kind");
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
    let mut tx = app.test_db.db.begin_write().await.unwrap();
    auth::revoke_token(&mut tx, "test", 1).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(
        get("/api/v1/members").await.unwrap().status(),
        StatusCode::UNAUTHORIZED
    );
    app.finish().await;
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
    app.finish().await;
}
