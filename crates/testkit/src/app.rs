//! `TestApp`: the app on port 0 over a fresh database holding the two-commune fixture, with a user
//! per role (scoped to commune XA), a national administrator, and a client that signs in.

use std::net::SocketAddr;

use dangbo_domain::access::Role;
use dangbo_web::AppState;

use crate::TestDb;
use crate::fixture::{self, PASSWORD};

/// The username of the fixture's user with `role`, scoped to commune XA.
pub fn user_of(role: Role) -> String {
    format!("u_{}", role.code())
}

pub struct TestApp {
    pub base: String,
    pub test_db: TestDb,
    server: tokio::task::JoinHandle<()>,
}

impl TestApp {
    pub async fn spawn(test_db: TestDb) -> TestApp {
        fixture::two_communes(&test_db.db).await;
        for &role in Role::ALL {
            fixture::add_user(&test_db.db, &user_of(role), role, Some("XA")).await;
        }
        fixture::add_user(&test_db.db, "national", Role::Administrator, None).await;
        let state = AppState::new(test_db.db.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("address");
        let app = dangbo_web::router(state).into_make_service_with_connect_info::<SocketAddr>();
        let server = tokio::spawn(async move {
            axum::serve(listener, app).await.expect("serve");
        });
        TestApp {
            base: format!("http://{addr}"),
            test_db,
            server,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A client that keeps cookies and does not follow redirects.
    pub fn client() -> reqwest::Client {
        reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client")
    }

    /// GETs a URL and reads the answer as JSON, whatever its status.
    pub async fn get_json(client: &reqwest::Client, url: &str) -> serde_json::Value {
        client
            .get(url)
            .send()
            .await
            .expect("a response")
            .json()
            .await
            .expect("a JSON answer")
    }

    /// GETs a page and returns its text.
    pub async fn get_text(client: &reqwest::Client, url: &str) -> String {
        client
            .get(url)
            .send()
            .await
            .expect("a response")
            .text()
            .await
            .expect("a text answer")
    }

    /// A signed-in client and its CSRF token.
    pub async fn sign_in(&self, username: &str) -> (reqwest::Client, String) {
        let client = TestApp::client();
        let response = client
            .post(self.url("/sign-in"))
            .form(&[
                ("username", username),
                ("password", PASSWORD),
                ("next", "/"),
            ])
            .send()
            .await
            .expect("sign in");
        assert_eq!(response.status(), 303, "sign-in of {username}");
        let page = client
            .get(self.url("/account/password"))
            .send()
            .await
            .expect("page")
            .text()
            .await
            .expect("text");
        let csrf = regex::Regex::new(r#"name="csrf" value="([0-9a-f]+)""#)
            .expect("regex")
            .captures(&page)
            .map(|c| c[1].to_string())
            .expect("a CSRF token on the page");
        (client, csrf)
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.server.abort();
    }
}

/// The whole body of `PUT /api/v1/members/{code}` from what GET gave (`read`), every field the
/// API's document names, with `changes` applied.
pub fn record_body(
    read: &serde_json::Value,
    changes: &[(&str, serde_json::Value)],
) -> serde_json::Value {
    let document = serde_json::to_value(dangbo_web::api::openapi()).expect("the document");
    let fields = document["components"]["schemas"]["RecordForm"]["properties"]
        .as_object()
        .expect("RecordForm's fields")
        .keys();
    let mut body = serde_json::Map::new();
    for field in fields {
        let value = match &read[field.as_str()] {
            serde_json::Value::Null => serde_json::json!(""),
            value => value.clone(),
        };
        body.insert(field.clone(), value);
    }
    for (field, value) in changes {
        body.insert(field.to_string(), value.clone());
    }
    serde_json::Value::Object(body)
}
