//! The API's contract: the OpenAPI document is valid (checked by `openapi-spec-validator`), kept as
//! a snapshot in `docs/openapi.json` so that every change to it shows in review, and the server
//! keeps it: Schemathesis generates at least 2.000 requests from it per engine (valid ones and ones
//! that break the schema) and checks that none gives a server error, that every status and body is
//! the documented one, and that what breaks the schema is refused. `test.sh` installs both tools
//! from PyPI (pinned in `tools/requirements.txt`) into `target/pytools`; a missing tool fails these
//! tests rather than skipping them.

use std::path::{Path, PathBuf};

use dangbo_domain::access::Role;
use dangbo_store::access::NewToken;
use dangbo_testkit::{TestApp, conformance_app, fixture};

/// Requests per engine the fuzz must reach.
const MIN_REQUESTS: usize = 2000;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn tool(name: &str) -> PathBuf {
    let path = root().join("target/pytools/bin").join(name);
    assert!(
        path.exists(),
        "{} is missing: run `python3 -m venv target/pytools && target/pytools/bin/pip install -r tools/requirements.txt` (test.sh does)",
        path.display()
    );
    path
}

fn document() -> String {
    let mut text = dangbo_web::api::openapi()
        .to_pretty_json()
        .expect("the document serializes");
    text.push('\n');
    text
}

#[test]
fn the_document_is_the_reviewed_snapshot() {
    let snapshot = root().join("docs/openapi.json");
    let current = document();
    if std::env::var_os("DANGBO_UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&snapshot, &current).expect("write the snapshot");
    }
    let kept = std::fs::read_to_string(&snapshot).unwrap_or_default();
    assert!(
        kept == current,
        "the OpenAPI document changed: review it, then run `DANGBO_UPDATE_SNAPSHOTS=1 cargo nextest run -p dangbo-web --test contract` and commit docs/openapi.json"
    );
}

#[test]
fn the_document_is_valid_openapi() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("openapi.json");
    std::fs::write(&file, document()).unwrap();
    let out = std::process::Command::new(tool("openapi-spec-validator"))
        .arg(&file)
        .output()
        .expect("run openapi-spec-validator");
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn every_response_is_described_and_every_route_documents_its_errors() {
    let document: serde_json::Value = serde_json::from_str(&document()).unwrap();
    let operations = document["paths"].as_object().unwrap();
    for (path, item) in operations {
        for (method, operation) in item.as_object().unwrap() {
            let responses = operation["responses"].as_object().unwrap();
            for status in ["400", "401"] {
                assert!(responses.contains_key(status), "{method} {path}: {status}");
            }
            for (status, response) in responses {
                let described = response["description"]
                    .as_str()
                    .is_some_and(|d| !d.is_empty())
                    || response["$ref"].is_string();
                assert!(described, "{method} {path} {status} has a description");
            }
            for parameter in operation["parameters"].as_array().into_iter().flatten() {
                let in_path =
                    path.contains(&format!("{{{}}}", parameter["name"].as_str().unwrap()));
                assert_eq!(
                    parameter["in"] == "path",
                    in_path,
                    "{method} {path}: parameter {} is where it is read",
                    parameter["name"]
                );
            }
        }
    }
}

/// Runs Schemathesis against the app: on SQLite with an administrator of the whole database (who
/// reaches every route, defining reported figures too), on PostgreSQL with a commune-scoped token
/// of the organization board (whose scope every answer must keep).
async fn schemathesis_finds_no_fault(app: &TestApp) {
    let (role, scope) = match app.test_db.engine() {
        dangbo_testkit::Engine::Sqlite => (Role::Administrator, None),
        dangbo_testkit::Engine::Postgres => (Role::Organization, Some("XA".to_string())),
    };
    let (_, secret) = fixture::system(&app.test_db)
        .user_admin()
        .unwrap()
        .create_token(&NewToken {
            name: "schemathesis".into(),
            role,
            scope_code: scope,
        })
        .await
        .unwrap();
    // Schemathesis keeps state in its working folder: not in the repository.
    let workdir = tempfile::tempdir().unwrap();
    let out = tokio::process::Command::new(tool("st"))
        .current_dir(workdir.path())
        .args(["run", &app.url("/api/v1/openapi.json")])
        .args(["--header", &format!("Authorization: Bearer {secret}")])
        // Enough examples per operation for the total; a fixed seed makes a failure repeatable.
        .args([
            "--max-examples",
            "150",
            "--seed",
            "20261129",
            "--workers",
            "1",
        ])
        // Rules refuse valid-looking requests (a death before a birth), so acceptance of every
        // schema-valid request is not a property of this API; every other check runs.
        .args(["--exclude-checks", "positive_data_acceptance"])
        .args(["--request-timeout", "60"])
        .env("SCHEMATHESIS_HOOKS", "")
        .env("NO_COLOR", "1")
        .output()
        .await
        .expect("run schemathesis");
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "schemathesis found faults:\n{report}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let generated = report
        .lines()
        .find_map(|line| {
            let (count, rest) = line.trim().split_once(' ')?;
            rest.starts_with("generated")
                .then(|| count.parse::<usize>().ok())?
        })
        .unwrap_or_else(|| panic!("no count of generated cases in:\n{report}"));
    // Shown with --no-capture, for the notes.
    eprintln!("schemathesis: {generated} cases, no fault");
    assert!(
        generated >= MIN_REQUESTS,
        "only {generated} requests generated:\n{report}"
    );
}
conformance_app!(schemathesis_finds_no_fault_on, schemathesis_finds_no_fault);
